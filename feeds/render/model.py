"""What every feed format is built from: plain entries and feed metadata, no database.

Identity: an article's guid / Atom id / JSON Feed id is ``tag:finews.withounder.com,2021:<id>``
where ``<id>`` is the store's article id (the infoCode, e.g. ``NW202202072267575261``). It
never changes, whatever the base URL, the article's link or its content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from feeds.render.sanitize import clean_html, clean_text

CHINA = timezone(timedelta(hours=8))
TAG_PREFIX = "tag:finews.withounder.com,2021:"
# A feed with no entries still needs an Atom <updated>; never the clock, so builds repeat.
EMPTY_FEED_TIME = datetime(2021, 1, 1, tzinfo=CHINA)
SUMMARY_LENGTH = 120


@dataclass(frozen=True)
class FeedEntry:
    """One article, sanitized and ready for any format."""

    guid: str
    title: str
    link: str | None
    content_html: str
    summary: str
    author: str | None
    categories: tuple[tuple[str, str], ...]  # (slug, name)
    published: datetime
    updated: datetime


@dataclass(frozen=True)
class FeedInfo:
    """A feed document's own metadata. URLs are absolute."""

    feed_id: str
    title: str
    description: str
    self_url: str
    home_url: str
    language: str = "zh-CN"
    # RFC 5005: the newest archive page older than this document, if any.
    prev_archive: str | None = None
    # Set on archive pages only: the subscription document they belong to and the next page.
    current_url: str | None = None
    next_archive: str | None = None


@dataclass(frozen=True)
class FeedLink:
    """One category as the index page and OPML list it."""

    slug: str
    name: str
    kind: str
    count: int
    newest: datetime | None
    rss_url: str
    atom_url: str
    json_url: str
    home_url: str = ""


@dataclass(frozen=True)
class SiteInfo:
    title: str
    base_url: str
    all_rss_url: str
    all_atom_url: str
    all_json_url: str
    links: Sequence[FeedLink] = field(default_factory=tuple)


def guid_for(article_id: str) -> str:
    """The permanent id of an article in every feed (see module docstring)."""
    return TAG_PREFIX + quote(article_id, safe="-._~")


def feed_id_for(path: str) -> str:
    """The permanent id of a feed, e.g. ``tag:finews.withounder.com,2021:category/emnews``."""
    return TAG_PREFIX + quote(path, safe="-._~/")


def parse_time(value: str | None) -> datetime | None:
    """A stored ISO time as an aware datetime in China time (naive means China time)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=CHINA)
    return parsed.astimezone(CHINA)


def rfc822(moment: datetime) -> str:
    """RSS date: ``Mon, 07 Feb 2022 09:09:43 +0800`` (English names whatever the locale)."""
    moment = moment.astimezone(CHINA)
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return (
        f"{days[moment.weekday()]}, {moment.day:02d} {months[moment.month - 1]} {moment.year}"
        f" {moment:%H:%M:%S} +0800"
    )


def rfc3339(moment: datetime) -> str:
    """Atom / JSON Feed date: ``2022-02-07T09:09:43+08:00`` (microseconds only when set)."""
    moment = moment.astimezone(CHINA)
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")


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


def entry_from_row(
    row: Mapping[str, Any], categories: Iterable[tuple[str, str]] = ()
) -> FeedEntry | None:
    """A feed entry from a store row (``articles`` columns); None when it has no usable time."""
    article_id = str(row["id"])
    published = parse_time(row.get("published"))
    if published is None:
        return None
    changed = parse_time(row.get("updated"))
    updated = max(published, changed) if changed else published
    summary = clean_text(row.get("summary"))
    if not summary:
        text = clean_text(row.get("body_text"))
        summary = text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"
    title = clean_text(row.get("title")) or summary[:40] or article_id
    return FeedEntry(
        guid=guid_for(article_id),
        title=title,
        link=_absolute_http(row.get("url")) or _absolute_http(row.get("share_url")),
        content_html=clean_html(row.get("body_html")),
        summary=summary,
        author=clean_text(row.get("media")) or None,
        categories=tuple((clean_text(slug), clean_text(name)) for slug, name in categories),
        published=published,
        updated=_entry_updated(article_id, updated),
    )


def unique_updated(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """Entries whose ``updated`` values are pairwise distinct (nudged by microseconds)."""
    seen: set[datetime] = set()
    out = []
    for entry in entries:
        moment = entry.updated
        while moment in seen:
            moment += timedelta(microseconds=1)
        seen.add(moment)
        out.append(entry if moment == entry.updated else replace(entry, updated=moment))
    return out


def feed_updated(entries: Sequence[FeedEntry]) -> datetime:
    """A feed's own updated time: its newest entry's, never the clock."""
    return max((entry.updated for entry in entries), default=EMPTY_FEED_TIME)
