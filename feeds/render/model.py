"""What every feed format is built from: plain entries and feed metadata, no database.

Identity: an article's guid / Atom id / JSON Feed id is ``tag:finews.withounder.com,2021:<id>``
where ``<id>`` is the store's article id (the infoCode, e.g. ``NW202202072267575261``). It
never changes, whatever the base URL, the article's link or its content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import quote

TAG_PREFIX = "tag:finews.withounder.com,2021:"


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
    # A feed with no entries still needs an Atom <updated>: never the clock, so builds repeat.
    empty_updated: datetime
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


def rfc822(moment: datetime) -> str:
    """RSS date: ``Mon, 07 Feb 2022 09:09:43 +0800`` (English names whatever the locale).

    ``moment`` is aware; it is written in its own offset (the build gives China time).
    """
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return (
        f"{days[moment.weekday()]}, {moment.day:02d} {months[moment.month - 1]} {moment.year}"
        f" {moment:%H:%M:%S %z}"
    )


def rfc3339(moment: datetime) -> str:
    """Atom / JSON Feed date: ``2022-02-07T09:09:43+08:00`` (microseconds only when set)."""
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")


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


def feed_updated(info: FeedInfo, entries: Sequence[FeedEntry]) -> datetime:
    """A feed's own updated time: its newest entry's, never the clock."""
    return max((entry.updated for entry in entries), default=info.empty_updated)
