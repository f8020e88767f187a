"""``health.atom`` and ``health.xml``: one entry for every crawl run in which a kind of page
stopped matching, so that whoever subscribes learns the day East Money's templates changed.

A kind *stopped matching* in a run when the run has shape misses of that kind (pages that
yielded nothing they should) while earlier runs read it fine, or when its unreadable dates
jumped. Entries are made from the crawl runs' records alone (``crawl_runs.page_kinds``), so
the same store gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from feeds.entries import EMPTY_FEED_TIME
from feeds.render.atom import atom_feed
from feeds.render.model import FeedEntry, FeedInfo, feed_id_for
from feeds.render.rss import rss_feed
from feeds.render.sanitize import clean_html, clean_text
from storage.run_queries import RunPageKinds, recent_runs
from storage.store import Store
from storage.times import parse_stored_time

# The runs looked at: a week of runs every five minutes. Older entries leave the feed.
WINDOW = 2016
# Unreadable dates "jump": at least this many, at least this share of the kind's articles,
# and more than twice the share of the run before.
MIN_BAD_DATES = 2
MIN_BAD_SHARE = 0.25
KIND_NAMES = {
    "list": "栏目列表页",
    "article": "文章页",
    "api": "正文接口",
    "fastnews": "7×24 快讯接口",
    "kuaixun": "快讯列表",
    "colapi": "栏目接口",
}
FILES = (("health.atom", atom_feed), ("health.xml", rss_feed))


@dataclass(frozen=True)
class HealthEvent:
    """A kind of page that stopped matching in a run (``what``: "misses" or "dates")."""

    run: RunPageKinds
    kind: str
    what: str
    counts: dict[str, Any]
    before: RunPageKinds  # the last earlier run that read the kind
    before_counts: dict[str, Any]


def health_events(runs: Sequence[RunPageKinds]) -> list[HealthEvent]:
    """The events of ``runs`` (oldest first), newest first.

    Misses: a run with shape misses of a kind, when an earlier run read pages of the kind
    that matched and the last run that read the kind had no misses (one entry per time it
    breaks, not one per run while it stays broken). Dates: see ``MIN_BAD_DATES``.
    """
    events: list[HealthEvent] = []
    last: dict[str, RunPageKinds] = {}  # per kind, the last run that read it
    matched_before: set[str] = set()
    for run in runs:
        for kind, counts in sorted(run.kinds.items()):
            if not isinstance(counts, dict):
                continue
            before = last.get(kind)
            if before is not None:
                old = before.kinds[kind]
                if (
                    _count(counts, "misses")
                    and kind in matched_before
                    and not _count(old, "misses")
                ):
                    events.append(HealthEvent(run, kind, "misses", counts, before, old))
                elif _dates_jumped(counts, old):
                    events.append(HealthEvent(run, kind, "dates", counts, before, old))
            if _count(counts, "pages") or _count(counts, "articles"):
                last[kind] = run
            if _count(counts, "matched"):
                matched_before.add(kind)
    events.reverse()
    return events


def _count(counts: dict[str, Any], name: str) -> int:
    value = counts.get(name, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _bad_share(counts: dict[str, Any]) -> float:
    articles = _count(counts, "articles")
    return _count(counts, "bad_dates") / articles if articles else 0.0


def _dates_jumped(counts: dict[str, Any], old: dict[str, Any]) -> bool:
    share = _bad_share(counts)
    return (
        _count(counts, "bad_dates") >= MIN_BAD_DATES
        and share >= MIN_BAD_SHARE
        and _count(old, "articles") > 0
        and share > 2 * _bad_share(old)
    )


def health_entry(event: HealthEvent) -> FeedEntry | None:
    """The feed entry of an event; None when its run has no readable start time."""
    when = parse_stored_time(event.run.started)
    if when is None:
        return None
    kind, counts = event.kind, event.counts
    name = f"{KIND_NAMES.get(kind, kind)}（{kind}）"
    run = f"第 {event.run.id} 次抓取"
    if event.what == "misses":
        title = f"{name}不再匹配：{run}有 {_count(counts, 'misses')} 个页面没有应有的内容"
    else:
        title = f"{name}的时间读不出：{run}有 {_count(counts, 'bad_dates')} 篇"
    sample = clean_text(str(counts.get("sample") or ""))
    link = sample.split(": ", 1)[0] if sample.startswith(("http://", "https://")) else None
    lines = [
        f"页面类型：{kind}",
        f"本次（{run}，{event.run.started}）：读了 {_count(counts, 'pages')} 页，"
        f"{_count(counts, 'matched')} 页匹配，{_count(counts, 'misses')} 页未匹配；"
        f"文章 {_count(counts, 'articles')} 篇，时间读不出 {_count(counts, 'bad_dates')} 篇",
        f"上次（第 {event.before.id} 次抓取，{event.before.started}）：读了"
        f" {_count(event.before_counts, 'pages')} 页，{_count(event.before_counts, 'matched')}"
        f" 页匹配，{_count(event.before_counts, 'misses')} 页未匹配；时间读不出"
        f" {_count(event.before_counts, 'bad_dates')} 篇",
    ]
    if sample:
        lines.append(f"示例：{sample}")
    summary = "；".join(lines[:2])
    content = (
        "<p>东方财富的页面可能改版了。</p><ul>"
        + "".join(f"<li>{html.escape(clean_text(line), quote=False)}</li>" for line in lines)
        + "</ul>"
    )
    return FeedEntry(
        guid=feed_id_for(f"health/{event.run.id}/{kind}"),
        title=clean_text(title),
        link=link,
        content_html=clean_html(content),
        summary=clean_text(summary),
        author=None,
        categories=((kind, KIND_NAMES.get(kind, kind)),),
        published=when,
        updated=when,
    )


def health_documents(store: Store, base_url: str, limit: int) -> dict[str, bytes]:
    """``health.atom`` and ``health.xml`` of the store's recent crawl runs, by file name;
    ``base_url`` ends with ``/``; ``limit`` entries at most, newest first."""
    entries = [
        entry
        for event in health_events(recent_runs(store, WINDOW))
        if (entry := health_entry(event)) is not None
    ][:limit]
    documents = {}
    for name, render in FILES:
        info = FeedInfo(
            feed_id=feed_id_for("health"),
            title="finews 抓取健康",
            description="东方财富的某类页面不再匹配时的记录：页面结构可能变了",
            self_url=base_url + name,
            home_url=base_url,
            empty_updated=EMPTY_FEED_TIME,
        )
        documents[name] = render(info, entries)
    return documents
