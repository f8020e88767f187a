"""The East Money spider, crawled in-process against the fixture site on 127.0.0.1.

Items are collected from the ``item_scraped`` signal, after the project's pipelines; the
server's request log shows what was fetched. ``site.json`` (``truth``) says what each page holds.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.defaults import default
from finews.demo.server import RunningServer
from tests.crawler.support import Crawled, crawl, crawl_blocking, listed_on


def column_of(truth: dict[str, Any], page: str) -> dict[str, Any]:
    return next(column for column in truth["columns"] if page in column["pages"])


def one_article(truth: dict[str, Any], **wanted: Any) -> dict[str, Any]:
    """The first working, dated article of the fixture site with the ``wanted`` fields."""
    return next(
        article
        for article in truth["articles"]
        if not article["broken"]
        and article["published"]
        and all(article[key] == value for key, value in wanted.items())
    )


def share_path(article: dict[str, Any]) -> str:
    return next(url for url in article["urls"] if "NewsShare" in url)


@pytest.fixture(scope="module")
def columns(site: RunningServer, truth: dict[str, Any], tmp_path_factory: Any) -> Crawled:
    """Every column of the fixture site, crawled once from its first page to the default depth."""
    return crawl_blocking(
        site,
        [column["pages"][0] for column in truth["columns"]],
        db=tmp_path_factory.mktemp("columns") / "finews.db",
        now=truth["now"],
    )


def test_list_pages_yield_a_listing_for_every_entry(columns, site, truth) -> None:
    expected = sorted(
        (
            article["id"],
            column_of(truth, entry["page"])["slug"],
            column_of(truth, entry["page"])["name"],
            urljoin(site.url + entry["page"], entry["href"]),
        )
        for article in [*truth["articles"], *truth["disallowed"]]
        for entry in article["listed"]
    )
    got = sorted((item.id, item.column, item.column_name, item.url) for item in columns.listings)
    assert got == expected
    # An article on two columns is listed once on each.
    for article in truth["articles"]:
        assert {item.column for item in columns.listings if item.id == article["id"]} == set(
            article["columns"]
        )


def test_list_pages_yield_an_article_for_every_working_entry(columns, truth) -> None:
    expected = {a["id"]: a for a in truth["articles"] if a["listed"] and not a["broken"]}
    assert set(columns.articles) == set(expected)
    assert any("title-whitespace" in article["quirks"] for article in expected.values())
    for article_id, article in expected.items():
        item = columns.articles[article_id]
        assert item.title == article["title"], article_id
        assert item.published == article["published"], article_id
        assert item.media == article["media"], article_id
        assert item.summary == article["summary"], article_id
        assert article["paragraphs"][0] in item.body_text, article_id


def test_gbk_pages_reach_the_items_as_text(columns, truth) -> None:
    gbk = [a for a in truth["articles"] if a["encoding"] != "utf-8" and a["listed"]]
    assert {a["encoding"] for a in gbk} == {"gbk-header", "gbk-meta"}
    for article in gbk:
        item = columns.articles[article["id"]]
        assert item.title == article["title"]
        assert item.media == article["media"]
        assert item.body_text.splitlines()[: len(article["paragraphs"])] == article["paragraphs"]


def test_a_broken_page_is_counted_and_named(columns, site, truth) -> None:
    broken = [a for a in truth["articles"] if a["broken"] and a["listed"]]
    assert broken
    assert columns.stat("finews/pages/failed") == len(broken)
    errors = columns.stat("finews/errors", [])
    assert len(errors) == len(broken)
    for article in broken:
        assert article["id"] not in columns.articles
        assert any(error.startswith(site.url + article["urls"][0] + ": ") for error in errors)


def test_the_missing_page_after_the_last_ends_a_column_quietly(columns, truth) -> None:
    # The default depth goes past a column's last page: the next one is a 404, which is no
    # failure (test_a_broken_page_is_counted_and_named counts only the broken page).
    for column in truth["columns"]:
        slug, last = column["slug"], len(column["pages"])
        assert last < default("crawl", "depth")
        assert set(column["pages"]) <= set(columns.requests)
        assert f"/a/{slug}_{last + 1}.html" in columns.requests
        assert f"/a/{slug}_{last + 2}.html" not in columns.requests


@pytest.mark.parametrize("layout", ["new", "old"])
@deferred_f_from_coro_f
async def test_an_article_page_in_either_layout(crawl_site, site, truth, layout) -> None:
    article = one_article(truth, layout=layout, encoding="utf-8")
    path = article["urls"][0]
    result = await crawl_site([path])
    assert result.requests == ["/robots.txt", path]
    assert not result.listings
    item = result.articles[article["id"]]
    assert list(result.articles) == [article["id"]]
    assert (item.title, item.media, item.published) == (
        article["title"],
        article["media"],
        article["published"],
    )
    assert item.url == item.source_url == site.url + path
    assert item.share_url is None
    lines = item.body_text.splitlines()
    assert lines[: len(article["paragraphs"])] == article["paragraphs"]
    # The old layout's editor line is page furniture, not article text.
    assert not any("责任编辑" in line for line in lines)
    assert "　" not in item.body_html


@pytest.mark.parametrize("missing", [[], ["text"], ["content"]])
@deferred_f_from_coro_f
async def test_a_share_link_is_read_through_the_content_api(
    crawl_site, site, truth, missing
) -> None:
    article = one_article(truth, api_missing=missing)
    result = await crawl_site([share_path(article)])
    assert result.requests == ["/robots.txt", article["api"]]
    item = result.articles[article["id"]]
    assert (item.title, item.media, item.published) == (
        article["title"],
        article["media"],
        article["published"],
    )
    assert item.share_url == site.url + share_path(article)
    assert item.source_url == site.url + article["api"]
    assert item.body_text.splitlines()[: len(article["paragraphs"])] == article["paragraphs"]


@deferred_f_from_coro_f
async def test_a_page_robots_txt_disallows_is_never_requested(site_copy, truth, tmp_path) -> None:
    # robots.txt forbids one more article the page links to, beside the fixture's own.
    root, server = site_copy
    page = truth["columns"][0]["pages"][0]
    on_page = listed_on(truth, page)
    hidden_article, hidden = next((a, path) for a, path in on_page if not a["broken"])
    rules = [*truth["robots_disallow"], hidden]
    (root / "robots.txt").write_text(
        "User-agent: *\n" + "".join(f"Disallow: {rule}\n" for rule in rules), "utf-8"
    )
    result = await crawl(server, [page], db=tmp_path / "finews.db", now=truth["now"], max_pages=1)
    assert result.requests[0] == "/robots.txt"
    assert hidden not in result.requests
    assert hidden_article["id"] not in result.articles
    assert result.stat("robotstxt/forbidden") == 1
    # Everything else on the page is fetched.
    assert {path for a, path in on_page if a is not hidden_article} <= set(result.requests)


@pytest.mark.parametrize(
    ("spider_args", "settings", "pages"),
    [
        ({"max_pages": 1}, {}, 1),
        ({"max_pages": 2}, {}, 2),
        ({}, {"FINEWS_DEPTH": 1}, 1),
        ({"max_pages": 2}, {"FINEWS_DEPTH": 1}, 2),  # the spider argument wins
    ],
)
@deferred_f_from_coro_f
async def test_paging_stops_at_the_depth(crawl_site, truth, spider_args, settings, pages) -> None:
    slug = truth["columns"][0]["slug"]
    result = await crawl_site([f"/a/{slug}.html"], settings=settings, **spider_args)
    list_pages = [t for t in result.requests if t.startswith(f"/a/{slug}")]
    expected = [f"/a/{slug}.html", *(f"/a/{slug}_{n}.html" for n in range(2, pages + 1))]
    assert list_pages == expected
