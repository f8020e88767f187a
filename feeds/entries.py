"""Store rows into feed entries: sanitized text, aware China times, permanent ids."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from feeds.render.model import FeedEntry, guid_for
from feeds.render.sanitize import clean_html, clean_text
from storage import feed_queries
from storage.feed_queries import ArticleRow, CategoryLabel
from storage.store import Store
from storage.times import CHINA_TZ, parse_stored_time

# A feed with no entries still needs an Atom <updated>; never the clock, so builds repeat.
EMPTY_FEED_TIME = datetime(2021, 1, 1, tzinfo=CHINA_TZ)


def entry_from_row(row: ArticleRow, categories: Iterable[CategoryLabel] = ()) -> FeedEntry | None:
    """A feed entry from a stored article; None when it has no usable time."""
    published = parse_stored_time(row.published)
    if published is None:
        return None
    changed = parse_stored_time(row.updated)
    updated = max(published, changed) if changed else published
    summary = clean_text(row.summary)
    title = clean_text(row.title) or summary[:40] or row.id
    return FeedEntry(
        guid=guid_for(row.id),
        title=title,
        link=_absolute_http(row.url) or _absolute_http(row.share_url),
        content_html=clean_html(row.body_html),
        summary=summary,
        author=clean_text(row.media) or None,
        categories=tuple((clean_text(c.slug), clean_text(c.name)) for c in categories),
        published=published,
        updated=_entry_updated(row.id, updated),
    )


def entries_from_rows(store: Store, rows: list[ArticleRow]) -> list[FeedEntry]:
    """Feed entries of ``rows`` with their categories (rows without a usable time dropped)."""
    member_of = feed_queries.memberships(store, [row.id for row in rows])
    entries = (entry_from_row(row, member_of.get(row.id, ())) for row in rows)
    return [entry for entry in entries if entry is not None]


def _absolute_http(url: str | None) -> str | None:
    url = clean_text(url)
    if url.startswith("//"):
        url = "https:" + url
    return url if url.startswith(("http://", "https://")) and " " not in url else None


def _entry_updated(article_id: str, moment: datetime) -> datetime:
    # The W3C validator warns when two entries share an atom:updated, and list times only
    # have minutes. A fraction of a second derived from the id keeps values unique and stable
    # (the same article has the same value in every feed and every build).
    digest = hashlib.sha256(article_id.encode("utf-8")).digest()
    return moment.replace(microsecond=int.from_bytes(digest[:4], "big") % 999_999 + 1)
