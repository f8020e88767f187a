"""The 2026 sources end to end: `finews crawl` over 127.0.0.1 into a real SQLite file, then
`finews feeds`: the rolling news as the emnews column, long articles joined, and the health
feed and exit code 4 when a page stops matching."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import feedparser
import pytest

from feeds.build import build_feeds
from finews.exitcodes import ExitCode
from storage import Store
from tests.conftest import finews, run_crawl
from tests.crawler.spiders.test_shape_misses import SCRIPTED_LIST
from tests.crawler.support import crawl_blocking
from tests.finews.test_crawl import column_pages, rows


def stream(truth: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(s for s in truth["streams"] if s["kind"] == kind)


@pytest.fixture(scope="module")
def rolling_crawl(site, truth, tmp_path_factory):
    db = tmp_path_factory.mktemp("rolling") / "finews.db"
    host = ["-s", f"FINEWS_ARTICLE_HOST={site.url}"]
    first = run_crawl(site, db, [stream(truth, "fastnews")["start"]], *host, now=truth["now"])
    again = run_crawl(
        site, db, [stream(truth, "fastnews")["start"]], *host, now="2023-01-02T10:05:00+08:00"
    )
    return db, first, again


def test_the_rolling_news_is_stored_as_emnews(rolling_crawl, truth) -> None:
    db, first, _ = rolling_crawl
    records = stream(truth, "fastnews")["records"]
    missing = [r for r in records if not r["page_served"]]
    # Pages failed (listed), their articles stored from their records.
    assert first.returncode == ExitCode.PAGES_FAILED, first.stderr
    assert f"{len(records)} new, 0 updated, {len(missing)} failed" in first.stdout
    assert rows(db, "SELECT name, kind FROM categories WHERE slug = 'emnews'")[0][:] == (
        "东财滚动新闻",
        "column",
    )
    members = {
        r[0]
        for r in rows(db, "SELECT article_id FROM article_categories WHERE category = 'emnews'")
    }
    assert members == {r["id"] for r in records}
    stored = {r["id"]: r for r in rows(db, "SELECT * FROM articles")}
    for record in records:
        row = stored[record["id"]]
        # The API's seconds, not the page's minute.
        assert (row["title"], row["published"], row["summary"]) == (
            record["title"],
            record["time"],
            record["summary"],
        ), record["id"]
        assert row["title"].strip() and row["updated"] is None


def test_a_second_crawl_with_nothing_new_makes_one_api_request(rolling_crawl) -> None:
    _, _, again = rolling_crawl
    assert again.returncode == 0, again.stderr
    assert [t for t in again.targets if t != "/robots.txt"][0].startswith(
        "/comm/web/getFastNewsList"
    )
    assert len([t for t in again.targets if t != "/robots.txt"]) == 1
    assert "0 new" in again.stdout


def test_feeds_publish_the_rolling_news_under_column_emnews(rolling_crawl, truth, tmp_path) -> None:
    db, _, _ = rolling_crawl
    out = tmp_path / "public"
    with Store.open(db, readonly=True) as store:
        build_feeds(store, out, "https://feeds.example.org/", 50)
    atom = feedparser.parse((out / "column" / "emnews.atom").read_bytes())
    assert not atom.bozo and atom.feed.title.startswith("东财滚动新闻")
    records = stream(truth, "fastnews")["records"]
    newest = max(records, key=lambda r: r["time"])
    assert atom.entries[0].id == f"tag:finews.withounder.com,2021:{newest['id']}"
    assert atom.entries[0].published == newest["time"]
    assert {e.id.rsplit(":", 1)[1] for e in atom.entries} == {r["id"] for r in records}
    for ext in ("xml", "json"):
        assert (out / "column" / f"emnews.{ext}").is_file()


@pytest.fixture
def healthy_column(site_copy, truth, tmp_path):
    """A private copy of the fixture site whose first column was crawled once, fine (in this
    process: only the runs after it are the command line's)."""
    _, server = site_copy
    db = tmp_path / "finews.db"
    column = column_pages(truth)[0]
    healthy = crawl_blocking(server, [column], db=db, now=truth["now"], max_pages=1)
    assert healthy.stat("finews/pages/list/matched") == 1
    return db, column


def test_a_template_change_exits_4_and_makes_a_health_entry(
    healthy_column, site_copy, truth, tmp_path
) -> None:
    root, server = site_copy
    (db, column), out = healthy_column, tmp_path / "public"
    # The same column again, in a shape finews does not know.
    (root / column.lstrip("/")).write_text(SCRIPTED_LIST, "utf-8")
    changed = run_crawl(server, db, [column], "--depth", "1", now="2023-01-02T10:05:00+08:00")
    assert changed.returncode == ExitCode.SHAPE_MISS, changed.stdout + changed.stderr
    assert "shape misses (list 1)" in changed.stdout
    assert f"shape miss: list page {server.url}{column}: no articles" in changed.stderr
    run = rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    kinds = json.loads(run["page_kinds"])
    assert run["shape_misses"] == 1 and run["failed"] == 0
    assert kinds["list"]["misses"] == 1 and kinds["list"]["sample"].startswith(server.url + column)

    with Store.open(db, readonly=True) as store:
        build_feeds(store, out, "https://feeds.example.org/", 50)
    (entry,) = feedparser.parse((out / "health.atom").read_bytes()).entries
    assert "list" in entry.title and f"第 {run['id']} 次抓取" in entry.title
    assert entry.link == server.url + column
    assert "1 页未匹配" in entry.content[0].value and "上次" in entry.content[0].value
    rss = feedparser.parse((out / "health.xml").read_bytes())
    assert [e.id for e in rss.entries] == [entry.id]

    # Still broken at the next run: the cron job says so again, the feed keeps one entry.
    cron = finews(
        "run", "--db", str(db), "--out", str(out), "--base-url", "https://feeds.example.org/",
        "--depth", "1", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "FINEWS_NOW=2023-01-02T10:10:00+08:00", server.url + column,
    )  # fmt: skip
    assert cron.returncode == ExitCode.SHAPE_MISS, cron.stderr
    assert "shape miss: list page" in cron.stderr
    assert len(feedparser.parse((out / "health.atom").read_bytes()).entries) == 1


def test_the_start_urls_of_a_config_file(site, truth, tmp_path) -> None:
    config = tmp_path / "finews.toml"
    urls = [site.url + stream(truth, "colapi")["start"], site.url + column_pages(truth)[-1]]
    config.write_text(
        f'[crawl]\nstart_urls = {json.dumps(urls)}\ndepth = 1\n[columns]\n1207 = "早餐"\n', "utf-8"
    )
    db = tmp_path / "finews.db"
    result = finews(
        "crawl", "--config", str(config), "--db", str(db),
        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", f"FINEWS_NOW={truth['now']}",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    names = dict(
        tuple(r) for r in rows(db, "SELECT slug, name FROM categories WHERE kind = 'column'")
    )
    modern = truth["columns"][-1]
    assert names == {"1207": "早餐", modern["slug"]: modern["name"]}
    conn = sqlite3.connect(db)
    try:
        count = conn.execute(
            "SELECT count(*) FROM article_categories WHERE category = '1207'"
        ).fetchone()[0]
    finally:
        conn.close()
    assert count == len([r for r in stream(truth, "colapi")["records"] if r["on_page"] == 1])
