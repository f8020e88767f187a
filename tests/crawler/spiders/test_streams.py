"""The rolling news, the older kuaixun list and the column API, crawled in-process from the
fixture site: records become articles (their pages fetched when the site has them) and members
of their stream's column; paging follows the cursor and stops where everything is stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.parsing.urls import classify
from storage import ArticleRecord, Store
from storage.listings import add_coverage
from tests.crawler.support import Crawled, crawl_blocking, store_articles


def stream(truth: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(s for s in truth["streams"] if s["kind"] == kind)


def by_id(truth: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in truth["articles"]}


def query(target: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(target).query, keep_blank_values=True)


@pytest.fixture(scope="module")
def rolling(site, truth, tmp_path_factory) -> Crawled:
    """The rolling news, crawled once (to the default depth) with FINEWS_ARTICLE_HOST set."""
    return crawl_blocking(
        site,
        [stream(truth, "fastnews")["start"]],
        db=tmp_path_factory.mktemp("rolling") / "finews.db",
        now=truth["now"],
        settings={"FINEWS_ARTICLE_HOST": site.url},
    )


def test_every_record_is_a_member_of_emnews(rolling, site, truth) -> None:
    records = stream(truth, "fastnews")["records"]
    assert sorted(
        (item.id, item.column, item.column_name, item.url) for item in rolling.listings
    ) == sorted((r["id"], "emnews", "东财滚动新闻", site.url + r["page"]) for r in records)


def test_records_become_articles_with_their_times_to_the_second(rolling, truth) -> None:
    records = stream(truth, "fastnews")["records"]
    assert set(rolling.articles) == {r["id"] for r in records}
    articles = by_id(truth)
    for record in records:
        item = rolling.articles[record["id"]]
        assert item.published == record["time"], record["id"]
        assert item.title == record["title"], record["id"]
        assert item.summary == record["summary"], record["id"]
        if record["page_served"]:
            # The page gives the body and the media; the record's summary is kept.
            article = articles[record["id"]]
            assert (
                item.body_text.splitlines()[: len(article["paragraphs"])] == article["paragraphs"]
            )
            assert item.media == article["media"]
        else:
            # No page: the record alone, its summary as the body.
            assert item.body_text == record["summary"] and item.media is None
    empty_titles = [r for r in records if not r["record_title"]]
    assert len(empty_titles) >= 2 and all(rolling.articles[r["id"]].title for r in empty_titles)


def test_pages_are_fetched_at_the_article_host_and_the_missing_ones_are_counted(
    rolling, truth
) -> None:
    records = stream(truth, "fastnews")["records"]
    assert {r["page"] for r in records} <= set(rolling.requests)
    missing = [r for r in records if not r["page_served"]]
    assert missing and rolling.stat("finews/pages/failed") == len(missing)
    errors = rolling.stat("finews/errors", [])
    assert all(any(r["page"] + ": HTTP 404" in e for e in errors) for r in missing)
    assert rolling.stat("finews/shape_miss/fastnews") == 0


def test_pages_follow_the_cursor_with_the_crawl_clock(rolling, truth) -> None:
    calls = [t for t in rolling.requests if t.startswith("/comm/web/getFastNewsList")]
    # Two pages of records, then the page after the last cursor, which is empty: the end.
    assert len(calls) == stream(truth, "fastnews")["pages"] + 1
    clock = str(int(datetime.fromisoformat(truth["now"]).timestamp() * 1000))
    cursors = [query(call)["sortEnd"] for call in calls]
    assert cursors[0] == [""] and all(c != [""] for c in cursors[1:])
    assert all(query(call)["req_trace"] == [clock] for call in calls)
    assert all(query(call)["fastColumn"] == ["102"] for call in calls)
    assert rolling.stat("finews/pages/fastnews/read") == len(calls)


@deferred_f_from_coro_f
async def test_jsonp_answers_are_read_alike(crawl_site, site, truth) -> None:
    start = stream(truth, "fastnews")["start"] + "&callback=jQuery35106_1672624800000"
    result = await crawl_site([start], max_pages=2, settings={"FINEWS_ARTICLE_HOST": site.url})
    calls = [t for t in result.requests if t.startswith("/comm/web/getFastNewsList")]
    assert len(calls) == 2 and all("callback=jQuery35106" in call for call in calls)
    assert set(result.articles) == {r["id"] for r in stream(truth, "fastnews")["records"]}


@deferred_f_from_coro_f
async def test_a_stored_record_is_not_fetched_but_joins_emnews(
    crawl_site, site, truth, tmp_path
) -> None:
    records = stream(truth, "fastnews")["records"]
    listed = {a["id"] for a in truth["articles"] if a["listed"]}
    known = next(r for r in records if r["id"] in listed)  # also on a column
    db = tmp_path / "finews.db"
    store_articles(db, [by_id(truth)[known["id"]]], truth["now"])
    result = await crawl_site(
        [stream(truth, "fastnews")["start"]], db=db, settings={"FINEWS_ARTICLE_HOST": site.url}
    )
    assert known["page"] not in result.requests
    assert known["id"] not in result.articles and result.stat("finews/skipped") == 1
    with Store.open(db) as store:
        assert "emnews" in store.article_categories(known["id"])


@pytest.mark.parametrize("stored_pages", [1, 2])
@deferred_f_from_coro_f
async def test_paging_stops_at_the_first_page_whose_records_are_all_stored(
    crawl_site, site, truth, tmp_path, stored_pages
) -> None:
    fast = stream(truth, "fastnews")
    first_pages = [r for r in fast["records"] if r["on_page"] <= stored_pages]
    db = tmp_path / "finews.db"
    with Store.open(db) as store:
        store.save_articles(
            [ArticleRecord(id=r["id"], title=r["title"], published=r["time"]) for r in first_pages],
            truth["now"],
        )
        # As an earlier crawl that paged past them and ended normally would have recorded.
        add_coverage(
            store, classify(site.url + fast["start"]).listing, [r["id"] for r in first_pages], 1
        )
    result = await crawl_site([fast["start"]], db=db, settings={"FINEWS_ARTICLE_HOST": site.url})
    calls = [t for t in result.requests if t.startswith("/comm/web/getFastNewsList")]
    assert calls == [fast["start"] + "&sortEnd=&req_trace=" + query(calls[0])["req_trace"][0]]
    expected = {r["id"] for r in fast["records"] if r["on_page"] == 1 and r not in first_pages}
    assert set(result.articles) == expected


@deferred_f_from_coro_f
async def test_the_kuaixun_list_names_its_pages(crawl_site, site, truth) -> None:
    kuaixun = stream(truth, "kuaixun")
    result = await crawl_site([kuaixun["start"]])  # no article host: the records name pages
    assert {r["page"] for r in kuaixun["records"]} <= set(result.requests)
    for record in kuaixun["records"]:
        item = result.articles[record["id"]]
        assert (item.title, item.published, item.summary) == (
            record["title"],
            record["time"],
            record["summary"],
        )
    assert {item.column for item in result.listings} == {"emnews"}
    pages = [t for t in result.requests if t.startswith("/kuaixun/")]
    assert pages == [f"/kuaixun/v1/getlist_102_ajaxResult_50_{n}_.html" for n in (1, 2, 3)]


@pytest.mark.parametrize(
    ("names", "expected"),
    [(None, "财经早餐"), ({"1207": "早餐"}, "早餐"), ({}, "1207")],
    ids=["shipped name", "configured name", "no name"],
)
@deferred_f_from_coro_f
async def test_the_column_api_makes_a_column_of_its_id(crawl_site, truth, names, expected) -> None:
    column = stream(truth, "colapi")
    settings = {} if names is None else {"FINEWS_COLUMN_NAMES": names}
    result = await crawl_site([column["start"]], settings=settings)
    assert {(item.column, item.column_name) for item in result.listings} == {("1207", expected)}
    for record in column["records"]:
        item = result.articles[record["id"]]
        assert (item.title, item.media, item.published) == (
            record["title"],
            record["media"],
            record["time"],
        )
    calls = [t for t in result.requests if t.startswith("/comm/web/getNewsByColumns")]
    assert [query(call)["page_index"] for call in calls] == [["1"], ["2"], ["3"]]
    assert all(query(call)["req_trace"] for call in calls)


@deferred_f_from_coro_f
async def test_an_article_on_a_column_and_in_the_rolling_news_keeps_the_records_seconds(
    crawl_site, site, truth, tmp_path
) -> None:
    records = stream(truth, "fastnews")["records"]
    articles = by_id(truth)
    both = next(r for r in records if articles.get(r["id"], {}).get("listed"))
    column = articles[both["id"]]["listed"][0]["page"]
    db = tmp_path / "finews.db"
    # The column first: its request for the page must not stand in for the record's.
    for paths in ([column], [column, stream(truth, "fastnews")["start"]]):
        await crawl_site(
            paths,
            db=db,
            max_pages=2,
            settings={"FINEWS_ARTICLE_HOST": site.url, "FINEWS_SKIP_KNOWN": "false"},
        )
    with Store.open(db) as store:
        row = store.article(both["id"])
        assert row["published"] == both["time"] != articles[both["id"]]["published"]
        assert row["updated"] is None
        assert {"emnews", *articles[both["id"]]["columns"]} <= set(
            store.article_categories(both["id"])
        )
