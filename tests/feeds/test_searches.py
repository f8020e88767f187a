"""Saved-search feeds: what they hold, and that they change only when their matches do."""

from __future__ import annotations

from pathlib import Path

import feedparser
import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from feeds.build import build_feeds
from finews.cli import main
from storage.store import StoreError
from tests.feeds.support import BASE_URL, CAILIAN, article, make_store

SEARCHES = (("zhongyao", "重要"), ("kuaixun", "快讯 OR 港股"))


def files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (out / "search").iterdir()}


def test_saved_search_feeds_hold_the_newest_matches(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=4)
    store.save_articles(
        [article(60, day=9, title="无关", body_html="<p>无关</p>", body_text="无关")],
        "2022-02-09T12:00:00+08:00",
    )
    out = tmp_path / "out"
    build_feeds(store, out, BASE_URL, limit=3, searches=SEARCHES)
    assert sorted(files(out)) == [
        "kuaixun.atom", "kuaixun.json", "kuaixun.xml", "zhongyao.atom", "zhongyao.json",
        "zhongyao.xml",
    ]  # fmt: skip
    parsed = feedparser.parse((out / "search/zhongyao.atom").read_bytes())
    assert not parsed.bozo
    # 重要 is in the body of articles 1-4 and 99 (not 60); the newest three, newest first.
    assert [e.id[-2:] for e in parsed.entries] == ["99", "04", "03"]
    assert parsed.feed.links[0].href == BASE_URL + "search/zhongyao.atom"
    rss = feedparser.parse((out / "search/kuaixun.xml").read_bytes())
    assert not rss.bozo and len(rss.entries) == 3
    # Listed in the OPML and on the front page, with their queries.
    opml = etree.parse(str(out / "index.opml")).getroot()
    urls = {o.get("xmlUrl") for o in opml.iter("outline")}
    assert {BASE_URL + "search/zhongyao.xml", BASE_URL + "search/kuaixun.xml"} <= urls
    page = lxml.html.fromstring((out / "index.html").read_bytes())
    card = page.get_element_by_id("search-kuaixun")
    assert "快讯 OR 港股" in card.text_content()
    assert card.find(".//a").get("href") == "search/kuaixun.atom"


def test_saved_search_feeds_are_rewritten_only_when_a_match_changes(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=4)
    out = tmp_path / "out"
    build_feeds(store, out, BASE_URL, limit=3, searches=SEARCHES)
    before = files(out)
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "search").iterdir()}

    # Nothing new: nothing written, the same bytes.
    again = build_feeds(store, out, BASE_URL, limit=3, searches=SEARCHES)
    assert not [f for f in again.written_files if f.startswith("search/")]
    # An article that matches neither search.
    store.save_articles(
        [article(61, day=10, title="无关", body_html="<p>无关</p>", body_text="无关")],
        "2022-02-10T12:00:00+08:00",
    )
    result = build_feeds(store, out, BASE_URL, limit=3, searches=SEARCHES)
    assert not [f for f in result.written_files if f.startswith("search/")]
    assert files(out) == before
    assert {p.name: p.stat().st_mtime_ns for p in (out / "search").iterdir()} == stamps

    # A new article that matches one of them: only its feeds are rewritten.
    store.save_articles(
        [
            article(
                62,
                day=11,
                title="财联社快讯",
                body_html="<p>快讯</p>",
                body_text="快讯",
                media="财联社",
                categories=[CAILIAN],
            )
        ],
        "2022-02-11T12:00:00+08:00",
    )
    result = build_feeds(store, out, BASE_URL, limit=3, searches=SEARCHES)
    written = sorted(f for f in result.written_files if f.startswith("search/"))
    assert written == ["search/kuaixun.atom", "search/kuaixun.json", "search/kuaixun.xml"]
    # A revised article that matches the other one.
    revised = article(3, body_html="<p>更正：重要</p>", body_text="更正：重要")
    store.save_articles([revised], "2022-02-12T12:00:00+08:00")
    result = build_feeds(store, out, BASE_URL, limit=3, searches=SEARCHES)
    written = sorted(f for f in result.written_files if f.startswith("search/"))
    assert written == ["search/zhongyao.atom", "search/zhongyao.json", "search/zhongyao.xml"]
    entries = feedparser.parse((out / "search/zhongyao.atom").read_bytes()).entries
    assert any("更正" in entry.content[0].value for entry in entries)


def test_a_deleted_search_feed_is_written_again(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=2)
    out = tmp_path / "out"
    build_feeds(store, out, BASE_URL, limit=3, searches=SEARCHES)
    (out / "search/zhongyao.json").unlink()
    result = build_feeds(store, out, BASE_URL, limit=3, searches=SEARCHES)
    assert "search/zhongyao.json" in result.written_files


def test_a_store_without_the_search_index_is_refused_with_a_reason(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=2)
    store.conn.execute("DROP VIEW newest")
    store.conn.execute("DROP TABLE article_search_rows")
    with pytest.raises(StoreError, match="no search index"):
        build_feeds(store, tmp_path / "out", BASE_URL, limit=3, searches=SEARCHES)


def test_finews_feeds_publishes_the_searches_of_the_config_file(tmp_path: Path) -> None:
    make_store(tmp_path / "finews.db", count=3).close()
    config = tmp_path / "finews.toml"
    config.write_text('[searches]\nzhongyao = "重要"\n', "utf-8")
    args = ["feeds", "--db", str(tmp_path / "finews.db"), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, [*args, "--config", str(config)])
    assert result.exit_code == 0, result.output
    rss = etree.parse(str(tmp_path / "out/search/zhongyao.xml")).getroot()
    assert len(rss.findall("channel/item")) == 4
