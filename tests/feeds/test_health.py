"""The health feed: which crawl runs make an entry, and the feed files as readers get them."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from feeds.build import build_feeds
from feeds.health import health_events
from storage.run_queries import RunPageKinds
from storage.store import Store
from tests.feeds.support import BASE_URL, make_store


def counts(
    pages: int = 1,
    matched: int | None = None,
    misses: int = 0,
    articles: int = 0,
    bad: int = 0,
    sample: str | None = None,
) -> dict:
    matched = pages - misses if matched is None else matched
    return {"pages": pages, "matched": matched, "misses": misses, "articles": articles, "bad_dates": bad, "sample": sample}  # fmt: skip


def runs(*kinds: dict) -> list[RunPageKinds]:
    return [
        RunPageKinds(n, f"2026-09-24T1{n}:00:00+08:00", "finished", k)
        for n, k in enumerate(kinds, start=1)
    ]


def summary(events) -> list[tuple[int, str, str]]:
    return [(event.run.id, event.kind, event.what) for event in events]


MISS = counts(pages=1, misses=1, sample="http://x/a/cywjh.html: no articles")


def test_a_kind_that_stops_matching_makes_one_entry_per_breakage() -> None:
    found = health_events(
        runs(
            {"list": counts(3)}, {"list": MISS}, {"list": MISS}, {"list": counts(2)}, {"list": MISS}
        )
    )
    # Newest first; the run that stays broken makes none.
    assert summary(found) == [(5, "list", "misses"), (2, "list", "misses")]
    assert found[1].before.id == 1 and found[1].counts["sample"] == MISS["sample"]


def test_no_entry_without_a_run_that_read_the_kind_fine() -> None:
    assert health_events(runs({"list": MISS})) == []
    assert health_events(runs({"list": MISS}, {"list": MISS})) == []
    # The last run that read the kind counts, however many runs read other kinds between.
    found = health_events(runs({"fastnews": counts(2)}, {"list": counts(1)}, {"article": counts(4)}, {"fastnews": counts(1, misses=1)}))  # fmt: skip
    assert summary(found) == [(4, "fastnews", "misses")]
    assert found[0].before.id == 1


@pytest.mark.parametrize(
    ("before", "now", "jumped"),
    [
        (counts(10, articles=10, bad=0), counts(10, articles=10, bad=5), True),
        (counts(10, articles=10, bad=4), counts(10, articles=10, bad=5), False),  # as before
        (counts(10, articles=10, bad=0), counts(10, articles=10, bad=1), False),  # one is noise
        (counts(10, articles=40, bad=0), counts(10, articles=40, bad=5), False),  # a few of many
        (counts(0, articles=0), counts(10, articles=10, bad=5), False),  # nothing to compare
    ],
)
def test_unreadable_dates_that_jump(before, now, jumped) -> None:
    found = health_events(runs({"article": before}, {"article": now}))
    assert summary(found) == ([(2, "article", "dates")] if jumped else [])


def test_records_of_other_shapes_are_ignored() -> None:
    odd = RunPageKinds(
        2, "2026-09-24T12:00:00+08:00", "finished", {"list": "broken", "api": {"misses": "1"}}
    )
    assert health_events([*runs({"list": counts(1), "api": counts(1)}), odd]) == []


def record_run(store: Store, started: str, kinds: dict) -> int:
    run_id = store.start_run(started)
    store.finish_run(run_id, started, {}, [], "finished")
    store.record_page_kinds(run_id, kinds)
    return run_id


def test_the_feed_files(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=2)
    build_feeds(store, tmp_path / "out", BASE_URL, limit=10)
    empty = feedparser.parse((tmp_path / "out" / "health.atom").read_bytes())
    assert not empty.bozo and empty.entries == []
    record_run(store, "2026-09-24T10:00:00+08:00", {"list": counts(2)})
    broken = record_run(store, "2026-09-24T10:05:00+08:00", {"list": MISS, "article": counts(3)})
    result = build_feeds(store, tmp_path / "out", BASE_URL, limit=10)
    assert sorted(f for f in result.written_files if f.startswith("health")) == [
        "health.atom",
        "health.xml",
    ]
    for name in ("health.atom", "health.xml"):
        parsed = feedparser.parse((tmp_path / "out" / name).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        (entry,) = parsed.entries
        assert "list" in entry.title and f"第 {broken} 次抓取" in entry.title
        assert entry.link == "http://x/a/cywjh.html"
        assert entry.id == f"tag:finews.withounder.com,2021:health/{broken}/list"
        assert (
            "http://x/a/cywjh.html: no articles" in entry.content[0].value
            if name.endswith("atom")
            else entry.description
        )
    atom = feedparser.parse((tmp_path / "out" / "health.atom").read_bytes())
    assert atom.entries[0].published == "2026-09-24T10:05:00+08:00"
    assert atom.feed.links[0].href == BASE_URL + "health.atom"
    # The same store gives the same bytes.
    again = build_feeds(store, tmp_path / "out", BASE_URL, limit=10)
    assert again.written == 0


def test_a_store_older_than_the_records_has_an_empty_feed(tmp_path: Path) -> None:
    make_store(tmp_path / "finews.db", count=1).close()
    with Store.open(tmp_path / "finews.db") as store:
        store.conn.execute("PRAGMA user_version = 3")
    with Store.open(tmp_path / "finews.db", readonly=True) as store:
        build_feeds(store, tmp_path / "out", BASE_URL, limit=10)
    assert feedparser.parse((tmp_path / "out" / "health.xml").read_bytes()).entries == []
