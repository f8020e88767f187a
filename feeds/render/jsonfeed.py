"""JSON Feed 1.1 documents (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from feeds.render.model import FeedEntry, FeedInfo, rfc3339, unique_updated

VERSION = "https://jsonfeed.org/version/1.1"


def json_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """A JSON Feed of ``entries`` in the order given (newest first), UTF-8, keys in spec order."""
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": info.title,
        "home_page_url": info.home_url,
        "feed_url": info.self_url,
        "description": info.description,
        "language": info.language,
        "authors": [{"name": "finews", "url": info.home_url}],
        "items": [_item(entry) for entry in unique_updated(entries)],
    }
    return json.dumps(feed, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _item(entry: FeedEntry) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry.guid}
    if entry.link:
        item["url"] = entry.link
    item["title"] = entry.title
    # Only sanitized body HTML is ever markup: without a body, the summary is plain text.
    if entry.content_html:
        item["content_html"] = entry.content_html
    else:
        item["content_text"] = entry.summary or entry.title
    if entry.summary:
        item["summary"] = entry.summary
    item["date_published"] = rfc3339(entry.published)
    item["date_modified"] = rfc3339(entry.updated)
    if entry.author:
        item["authors"] = [{"name": entry.author}]
    if entry.categories:
        item["tags"] = [name for _slug, name in entry.categories]
    return item
