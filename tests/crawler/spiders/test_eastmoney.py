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
    # The default depth goes past a column's last page: without a pager naming the pages, the
    # next one is tried and is a 404, which is no failure (test_a_broken_page_is_counted_and_
    # named counts only the broken page); a pager that names the last page ends the column.
    for column in truth["columns"]:
        slug, last = column["slug"], len(column["pages"])
        folder = column["pages"][0].rsplit("/", 1)[0]
        assert last < default("crawl", "depth")
        assert set(column["pages"]) <= set(columns.requests)
        tried = f"{folder}/{slug}_{last + 1}.html" in columns.requests
        assert tried == (column["style"] == "classic"), slug
        assert f"{folder}/{slug}_{last + 2}.html" not in columns.requests
    assert columns.stat("finews/shape_miss/list") == 0


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


def long_read(truth: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in truth["articles"] if "continued" in a["quirks"])


def test_a_long_article_is_one_item_of_its_pages_in_order(columns, truth) -> None:
    article = long_read(truth)
    first, parts = article["urls"][0], article["parts"]
    assert len(parts) == 2
    # Its pages are fetched one after the other, never as articles of their own.
    fetched = [t for t in columns.requests if t.startswith(first.removesuffix(".html"))]
    assert fetched == [first, *parts]
    item = columns.articles[article["id"]]
    assert item.body_text.splitlines()[:-1] == article["paragraphs"]
    assert item.body_text.splitlines()[-1] == f"（文章来源：{article['media']}）"
    assert (item.title, item.published, item.url) == (
        article["title"],
        article["published"],
        item.source_url,
    )
    assert item.source_url.endswith(first)


def test_2026_pages_read_as_the_others(columns, truth) -> None:
    modern = [a for a in truth["articles"] if "layout-2026" in a["quirks"] and a["listed"]]
    assert len(modern) >= 2
    for article in modern:
        item = columns.articles[article["id"]]
        assert (item.title, item.media, item.published) == (
            article["title"],
            article["media"],
            article["published"],
        )
        assert "　" not in item.body_html and "keytip" not in item.body_html
    (old,) = [a for a in truth["articles"] if "17-digit-code" in a["quirks"]]
    assert columns.articles[old["id"]].title == old["title"] and len(old["id"]) == 19
    assert columns.stat("finews/shape_miss/article") == 0


@deferred_f_from_coro_f
async def test_a_continuation_page_given_by_url_reads_the_whole_article(crawl_site, truth) -> None:
    article = long_read(truth)
    result = await crawl_site([article["parts"][-1]])
    assert result.requests == ["/robots.txt", article["urls"][0], *article["parts"]]
    assert list(result.articles) == [article["id"]]


@deferred_f_from_coro_f
async def test_a_missing_continuation_page_stores_nothing_and_is_tried_again(
    site_copy, truth, tmp_path
) -> None:
    root, server = site_copy
    article = long_read(truth)
    last = root / article["parts"][-1].lstrip("/")
    saved = last.read_bytes()
    last.unlink()
    db = tmp_path / "finews.db"
    first = await crawl(server, [article["urls"][0]], db=db, now=truth["now"])
    assert article["id"] not in first.articles
    assert first.stat("finews/pages/failed") == 1
    (error,) = first.stat("finews/errors")
    assert error.startswith(server.url + article["parts"][-1] + ": HTTP 404")
    assert "not stored" in error
    # The page is back: the next run reads the whole article.
    last.write_bytes(saved)
    again = await crawl(server, [article["urls"][0]], db=db, now=truth["now"])
    assert article["paragraphs"][-1] in again.articles[article["id"]].body_text


@deferred_f_from_coro_f
async def test_a_pager_without_numbered_pages_is_followed_until_a_page_is_missing(
    site_copy, truth, tmp_path
) -> None:
    root, server = site_copy
    article = long_read(truth)
    # The pager shows only "下一页", by script: the next pages are tried one by one.
    for path in [article["urls"][0], *article["parts"]]:
        page = root / path.lstrip("/")
        text = page.read_text("utf-8")
        start, end = (
            text.index('<div class="pagerbox">'),
            text.index("</div>", text.index('<div class="pagerbox">')),
        )
        page.write_text(
            text[:start]
            + '<div class="pagerbox"><a href="javascript:next()">下一页</a>'
            + text[end:],
            "utf-8",
        )
    result = await crawl(server, [article["urls"][0]], db=tmp_path / "finews.db", now=truth["now"])
    code = article["code"]
    assert result.requests[1:] == [article["urls"][0], *article["parts"], f"/a/{code}_4.html"]
    assert article["paragraphs"][-1] in result.articles[article["id"]].body_text
    assert result.stat("finews/pages/failed") == 0
