"""Feeds of saved searches (``[searches]`` in finews.toml): ``search/<name>.xml .atom .json``.

Each holds the newest articles matching its query, as ``finews search QUERY --sort time``
finds them. A build runs each query (milliseconds, through the search index) and renders
the feeds only when the matches changed: a new or revised article that matches, or one that
stopped matching. Otherwise nothing is written, so the files keep their bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from feeds.entries import EMPTY_FEED_TIME, entries_from_rows
from feeds.render.model import FeedEntry, FeedInfo, FeedLink, feed_id_for, rfc3339
from storage import feed_queries
from storage.feed_queries import ArticleRow
from storage.search import search
from storage.store import Store, StoreError

SEARCH_DIR = "search"
Renderer = Callable[[FeedInfo, list[FeedEntry]], bytes]


class BuildContext(Protocol):
    """What a feed build gives this module (``feeds.build._Context``)."""

    store: Store
    root: Path
    limit: int

    def write(self, relative: Sequence[str], data: bytes) -> None: ...

    def url(self, *relative: str) -> str: ...


@dataclass(frozen=True)
class SavedSearch:
    """One saved search after a build: its feeds, newest match and state for the next build."""

    name: str
    query: str
    link: FeedLink
    newest: FeedEntry | None
    state: dict[str, Any]


def build_saved_searches(
    context: BuildContext,
    searches: Sequence[tuple[str, str]],
    previous: dict[str, Any],
    formats: Sequence[tuple[str, Renderer]],
) -> list[SavedSearch]:
    """Write the feeds of every saved search whose matches changed since ``previous``.

    Names are file names already checked (``finews.config``); ``formats`` are the build's
    ``(extension, renderer)`` pairs.
    """
    built: list[SavedSearch] = []
    if searches and not context.store.has_table("article_search_rows"):
        raise StoreError(
            f"{context.store.path} has no search index yet for [searches]: open it once with"
            " finews search or finews crawl to bring it up to date"
        )
    for name, query in searches:
        hits = search(context.store.conn, query, sort="time", limit=context.limit)
        rows = feed_queries.articles_by_ids(context.store, [hit.id for hit in hits])
        entries = entries_from_rows(context.store, rows)
        fingerprint = _fingerprint(query, rows)
        paths = [(SEARCH_DIR, f"{name}.{ext}") for ext, _ in formats]
        stale = (previous.get(name) or {}).get("fingerprint") != fingerprint
        if stale or not all(context.root.joinpath(*path).is_file() for path in paths):
            for (_, render), path in zip(formats, paths, strict=True):
                info = FeedInfo(
                    feed_id=feed_id_for(f"{SEARCH_DIR}/{name}"),
                    title=f"搜索“{query}” · finews",
                    description=f"finews 收录的财经新闻中最新的“{query}”",
                    self_url=context.url(*path),
                    home_url=context.url(f"index.html#search-{name}"),
                    empty_updated=EMPTY_FEED_TIME,
                )
                context.write(path, render(info, entries))
        newest = entries[0] if entries else None
        link = FeedLink(
            slug=name,
            name=query,
            kind="search",
            count=len(entries),
            newest=newest.published if newest else None,
            rss_url=context.url(SEARCH_DIR, f"{name}.xml"),
            atom_url=context.url(SEARCH_DIR, f"{name}.atom"),
            json_url=context.url(SEARCH_DIR, f"{name}.json"),
            home_url=context.url(f"index.html#search-{name}"),
        )
        state = {
            "fingerprint": fingerprint,
            "newest": rfc3339(newest.published) if newest else None,
        }
        built.append(SavedSearch(name, query, link, newest, state))
    return built


def _fingerprint(query: str, rows: list[ArticleRow]) -> str:
    # A match's id, time and last change: a new, revised or dropped match changes it.
    listed = [query, [(row.id, row.published, row.updated) for row in rows]]
    return hashlib.sha256(json.dumps(listed, ensure_ascii=False).encode("utf-8")).hexdigest()
