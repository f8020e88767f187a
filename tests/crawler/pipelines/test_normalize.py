"""NormalizePipeline, built from a real crawler with the project's settings and given real items."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import ArticleItem, ListingItem
from crawler.pipelines.normalize import NormalizePipeline
from crawler.pipelines.store import StorePipeline
from storage import Store
from tests.crawler.support import close_pipeline, make_crawler

NOW = "2023-01-02T10:00:00+08:00"
PAGE = "https://finance.eastmoney.com/a/202212312235151062.html"
API = "https://choicewzp1.eastmoney.com/NewsData/GetNewsText.do?id=NW202212312235151062"


def item(**fields: Any) -> ArticleItem:
    values: dict[str, Any] = {
        "id": "NW202212312235151062",
        "title": "2022年A股收官：沪指全年下跌15.13%",
        "body_html": "<p>2022年最后一个交易日，A股三大指数集体收涨。</p>",
        "source_url": PAGE,
        "url": PAGE,
        "media": "证券时报",
        "published_raw": "2022年12月31日 22:15",
    }
    values.update(fields)
    return ArticleItem(**values)


def normalize(crawler: Crawler, article: Any) -> Any:
    return NormalizePipeline.from_crawler(crawler).process_item(article)


@pytest.fixture
def crawler(tmp_path: Path) -> Crawler:
    return make_crawler(tmp_path / "finews.db", NOW)


@pytest.mark.parametrize(
    ("raw", "published"),
    [
        ("2022年12月31日 22:15", "2022-12-31T22:15:00+08:00"),
        ("2022-12-31 22:15:07", "2022-12-31T22:15:07+08:00"),
        ("2022-12-31T14:15:07Z", "2022-12-31T22:15:07+08:00"),
        ("1672496107000", "2022-12-31T22:15:07+08:00"),
        # List pages show no year: it comes from the clock (FINEWS_NOW, 2 January 2023).
        ("12月31日 22:15", "2022-12-31T22:15:00+08:00"),
        ("01月02日 08:00", "2023-01-02T08:00:00+08:00"),
    ],
)
def test_times_become_china_time(crawler, raw, published) -> None:
    assert normalize(crawler, item(published_raw=raw)).published == published
    assert crawler.stats.get_value("finews/dates/bad") is None


def test_year_less_times_take_their_year_from_the_clock_passed_in(tmp_path) -> None:
    summer = make_crawler(tmp_path / "finews.db", "2022-06-30T12:00:00+08:00")
    assert normalize(summer, item(published_raw="12月31日 22:15")).published == (
        "2021-12-31T22:15:00+08:00"
    )
    assert normalize(summer, item(published_raw="06月30日 09:00")).published == (
        "2022-06-30T09:00:00+08:00"
    )


@pytest.mark.parametrize("raw", ["不是时间", "2022年13月45日 25:61", "", None])
def test_an_unreadable_time_is_counted_and_left_unset(crawler, raw) -> None:
    assert normalize(crawler, item(published_raw=raw)).published is None
    assert crawler.stats.get_value("finews/dates/bad") == 1


def test_an_unreadable_time_is_stored_as_first_seen(crawler, tmp_path) -> None:
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    store.process_item(normalize(crawler, item(published_raw="刚刚")))
    close_pipeline(store)
    with Store.open(tmp_path / "finews.db") as opened:
        row = opened.article("NW202212312235151062")
        run = opened.conn.execute("SELECT bad_dates FROM crawl_runs").fetchone()
    assert row is not None
    assert row["published"] == row["first_seen"] == NOW
    assert run == (1,)


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        (
            "\n      2022年A股收官：\n      沪指全年下跌15.13%   \n  ",
            "2022年A股收官： 沪指全年下跌15.13%",
        ),
        ("比亚迪&amp;宁德时代&quot;&lt;电池&gt;&quot;之争 🚀", '比亚迪&宁德时代"<电池>"之争 🚀'),
    ],
)
def test_titles_are_cleaned(crawler, raw, title) -> None:
    assert normalize(crawler, item(title=raw)).title == title


@pytest.mark.parametrize("title", ["", "   \n\t ", "&nbsp;&#12288;"])
def test_an_item_without_a_title_is_dropped(crawler, title) -> None:
    with pytest.raises(DropItem, match="NW202212312235151062"):
        normalize(crawler, item(title=title))


def test_the_body_is_cleaned_and_its_text_kept(crawler) -> None:
    body = (
        "<p>　　A股三大指数集体收涨，"
        '<span id="stock_1.600519"><a href="http://quote.eastmoney.com/sh600519.html"'
        ' class="keytip">贵州茅台</a></span><span id="quote_1.600519"></span>领涨。</p>\n'
        '<p>　　<img src="/images/chart.png"></p>'
    )
    result = normalize(crawler, item(body_html=body))
    assert result.body_html == (
        "<p>A股三大指数集体收涨，贵州茅台领涨。</p>\n"
        '<p><img src="https://finance.eastmoney.com/images/chart.png"></p>'
    )
    assert result.body_text == "A股三大指数集体收涨，贵州茅台领涨。"


def test_links_of_an_api_copy_resolve_against_the_article_page(crawler) -> None:
    body = '<p><a href="202212312235151062_2.html">下一页</a></p>'
    from_api = normalize(crawler, item(body_html=body, source_url=API))
    assert 'href="https://finance.eastmoney.com/a/202212312235151062_2.html"' in from_api.body_html
    without_page = normalize(crawler, item(body_html=body, source_url=API, url=None))
    assert 'href="https://choicewzp1.eastmoney.com/NewsData/202212312235151062_2.html"' in (
        without_page.body_html
    )


def test_a_missing_summary_is_cut_from_the_body(crawler) -> None:
    sentence = "沪指全年下跌15.13%，深证成指下跌25.85%。"
    body = "".join(f"<p>{sentence}</p>" for _ in range(8))
    result = normalize(crawler, item(body_html=body, summary="  \n "))
    assert len(result.summary) == 120 and result.summary.endswith("…")
    assert " ".join(result.body_text.splitlines()).startswith(result.summary[:-1])
    short = normalize(crawler, item(body_html=f"<p>{sentence}</p>"))
    assert short.summary == sentence


def test_a_given_summary_and_media_are_cleaned(crawler) -> None:
    result = normalize(crawler, item(summary="\n  A股收官， \n 沪指下跌 ", media=" 证券时报\n"))
    assert (result.summary, result.media) == ("A股收官， 沪指下跌", "证券时报")
    assert normalize(crawler, item(media="  ")).media is None


def test_listings_pass_untouched(crawler) -> None:
    listing = ListingItem(
        id="NW202212312235151062", column="cywjh", column_name="要闻精华", url=PAGE
    )
    assert normalize(crawler, listing) == ListingItem(
        id="NW202212312235151062", column="cywjh", column_name="要闻精华", url=PAGE
    )
