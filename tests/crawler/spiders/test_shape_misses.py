"""A page of a known kind that yields nothing it should is a shape miss: counted per kind with
its URL and what was missing, never mistaken for the end of a column or a failed download."""

from __future__ import annotations

from typing import Any

from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.stats import page_kinds
from tests.crawler.support import crawl

# What a template change can look like: the list is rendered by script, no link in the HTML.
SCRIPTED_LIST = (
    '<html><head><meta charset="utf-8"><title>要闻精华_东方财富网</title></head><body>'
    '<div id="app"></div><script>window.__LIST__ = {"items": []};</script></body></html>'
)


async def crawl_copy(
    site_copy: Any, truth: dict[str, Any], tmp_path: Any, paths: list[str], **kw: Any
):
    _, server = site_copy
    settings = {"FINEWS_ARTICLE_HOST": server.url}
    return await crawl(
        server, paths, db=tmp_path / "finews.db", now=truth["now"], settings=settings, **kw
    )


@deferred_f_from_coro_f
async def test_a_first_list_page_without_articles(site_copy, truth, tmp_path) -> None:
    root, _ = site_copy
    column = truth["columns"][0]
    (root / column["pages"][0].lstrip("/")).write_text(SCRIPTED_LIST, "utf-8")
    result = await crawl_copy(site_copy, truth, tmp_path, [column["pages"][0]])
    assert result.stat("finews/shape_miss/list") == 1
    (sample,) = result.stat("finews/pages/list/misses")
    assert sample.startswith(f"{result_url(site_copy)}{column['pages'][0]}: no articles")
    # Not a failure, and not paged further: the page could not be read at all.
    assert result.stat("finews/pages/failed") == 0
    assert column["pages"][1] not in result.requests
    kinds = page_kinds(result.stats)
    assert kinds["list"] == {
        "pages": 1, "matched": 0, "misses": 1, "articles": 0, "bad_dates": 0, "sample": sample,
    }  # fmt: skip


@deferred_f_from_coro_f
async def test_a_page_past_the_last_is_no_miss(site_copy, truth, tmp_path) -> None:
    root, _ = site_copy
    column = truth["columns"][0]
    # The page after the last exists, empty (some servers answer so rather than 404).
    (root / "a" / f"{column['slug']}_3.html").write_text(SCRIPTED_LIST, "utf-8")
    result = await crawl_copy(site_copy, truth, tmp_path, [column["pages"][0]], max_pages=3)
    past = f"/a/{column['slug']}_3.html"
    assert past in result.requests
    assert result.stat("finews/shape_miss/list") == 0
    assert not [error for error in result.stat("finews/errors", []) if past in error]


@deferred_f_from_coro_f
async def test_an_article_page_that_lost_its_body(site_copy, truth, tmp_path) -> None:
    root, _ = site_copy
    article = next(
        a
        for a in truth["articles"]
        if a["layout"] == "new" and not a["broken"] and a["encoding"] == "utf-8"
    )
    page = root / article["urls"][0].lstrip("/")
    page.write_text(
        page.read_text("utf-8")
        .replace('id="ContentBody"', 'id="articleBody"')
        .replace("txtinfos", "article-body"),
        "utf-8",
    )
    result = await crawl_copy(site_copy, truth, tmp_path, [article["urls"][0]])
    assert not result.articles
    assert result.stat("finews/shape_miss/article") == 1 and result.stat("finews/pages/failed") == 0
    (sample,) = result.stat("finews/pages/article/misses")
    assert sample.endswith("no body on an article page")


@deferred_f_from_coro_f
async def test_an_api_answer_out_of_shape(site_copy, truth, tmp_path) -> None:
    root, _ = site_copy
    (root / "comm/web/getFastNewsList/newest.json").write_text(
        '{"code":"0","message":"illegal request","data":null}', "utf-8"
    )
    (root / "comm/web/getNewsByColumns/1207_1.json").write_text(
        '{"code":"1","data":{"items":[]}}', "utf-8"
    )
    starts = [s["start"] for s in truth["streams"] if s["kind"] in ("fastnews", "colapi")]
    result = await crawl_copy(site_copy, truth, tmp_path, starts)
    assert (result.stat("finews/shape_miss/fastnews"), result.stat("finews/shape_miss/colapi")) == (
        1,
        1,
    )
    assert "code is '0'" in result.stat("finews/pages/fastnews/misses")[0]
    assert "no data.list list" in result.stat("finews/pages/colapi/misses")[0]
    assert not result.articles and not result.listings


def result_url(site_copy: Any) -> str:
    return site_copy[1].url
