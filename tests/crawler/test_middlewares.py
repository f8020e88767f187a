"""SkipKnownArticlesMiddleware: in-process crawls of the fixture site over a store that already
holds some of its articles, checked in the server's request log."""

from __future__ import annotations

from typing import Any

import pytest
import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.middlewares import SkipKnownArticlesMiddleware
from storage import Store
from storage.listings import add_coverage
from tests.crawler.support import listed_on, make_crawler, store_articles


def page_without_broken_articles(truth: dict[str, Any]) -> tuple[str, str]:
    """A column's first page whose articles all work, and the column's second page."""
    for column in truth["columns"]:
        first, second = column["pages"][:2]
        if not any(article["broken"] for article, _ in listed_on(truth, first)):
            return first, second
    raise AssertionError("every column's first page lists a broken article")


@deferred_f_from_coro_f
async def test_stored_articles_on_a_list_page_are_not_downloaded(
    crawl_site, truth, tmp_path
) -> None:
    page, _ = page_without_broken_articles(truth)
    on_page = listed_on(truth, page)
    known, unknown = on_page[::2], on_page[1::2]
    assert known and unknown
    db = tmp_path / "finews.db"
    store_articles(db, [article for article, _ in known], truth["now"])
    result = await crawl_site([page], db=db, max_pages=1)
    assert not {path for _, path in known} & set(result.requests)
    assert {path for _, path in unknown} <= set(result.requests)
    assert result.stat("finews/skipped") == len(known)
    assert set(result.articles) == {article["id"] for article, _ in unknown}
    # A skipped article still joins the column it was found on.
    column = next(c["slug"] for c in truth["columns"] if page in c["pages"])
    with Store.open(db) as store:
        for article, _ in on_page:
            assert column in store.article_categories(article["id"])


@pytest.mark.parametrize(
    ("stored", "covered", "pages_on"),
    [
        ("all", True, False),  # stored, and an earlier crawl paged past them: stop
        ("all", False, True),  # stored by a crawl that stopped on this page (killed, --depth 1)
        ("all but one", True, True),  # one article is new: what follows may be new too
    ],
)
@deferred_f_from_coro_f
async def test_paging_stops_only_at_a_page_an_earlier_crawl_paged_past(
    crawl_site, truth, tmp_path, stored, covered, pages_on
) -> None:
    page, next_page = page_without_broken_articles(truth)
    on_page = [article for article, _ in listed_on(truth, page)]
    db = tmp_path / "finews.db"
    store_articles(db, on_page if stored == "all" else on_page[1:], truth["now"])
    if covered:
        column = next(c["slug"] for c in truth["columns"] if page in c["pages"])
        with Store.open(db) as store:
            add_coverage(store, f"column:{column}", [a["id"] for a in on_page], run_id=1)
    result = await crawl_site([page], db=db, max_pages=2)
    assert (next_page in result.requests) is pages_on
    if not pages_on:
        assert result.requests == ["/robots.txt", page]


@deferred_f_from_coro_f
async def test_articles_asked_for_by_url_are_always_fetched(crawl_site, truth, tmp_path) -> None:
    article = next(a for a in truth["articles"] if not a["broken"] and len(a["urls"]) >= 2)
    db = tmp_path / "finews.db"
    store_articles(db, [article], truth["now"])
    share = next(url for url in article["urls"] if "NewsShare" in url)
    result = await crawl_site([article["urls"][0], share], db=db)
    assert {article["urls"][0], article["api"]} <= set(result.requests)
    assert result.stat("finews/skipped") == 0
    assert list(result.articles) == [article["id"]]


def test_requests_from_other_pages_pass_untouched(truth, tmp_path) -> None:
    article = next(a for a in truth["articles"] if not a["broken"])
    db = tmp_path / "finews.db"
    store_articles(db, [article], truth["now"])
    crawler = make_crawler(db, truth["now"])
    middleware = SkipKnownArticlesMiddleware.from_crawler(crawler)
    url = "http://127.0.0.1:8000" + article["urls"][0]
    wanted = scrapy.Request(url, meta={"finews_article_id": article["id"]})

    def response(meta: dict[str, Any]) -> HtmlResponse:
        page = "http://127.0.0.1:8000/a/page.html"
        return HtmlResponse(page, body=b"<html></html>", request=scrapy.Request(page, meta=meta))

    assert list(middleware.process_spider_output(response({}), [wanted])) == [wanted]
    listed = response({"finews_list": "column:cywjh"})
    assert list(middleware.process_spider_output(listed, [wanted])) == []
    assert crawler.stats.get_value("finews/skipped") == 1
    middleware.spider_closed()


@deferred_f_from_coro_f
async def test_with_skip_known_off_nothing_is_dropped(crawl_site, truth, tmp_path) -> None:
    page, next_page = page_without_broken_articles(truth)
    on_page = listed_on(truth, page)
    db = tmp_path / "finews.db"
    store_articles(db, [article for article, _ in on_page], truth["now"])
    result = await crawl_site([page], db=db, max_pages=2, settings={"FINEWS_SKIP_KNOWN": "false"})
    assert {path for _, path in on_page} <= set(result.requests)
    assert next_page in result.requests
    assert result.stat("finews/skipped") == 0
