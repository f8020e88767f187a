"""parse_list_page: the articles of a column page in each of its shapes, and its next page."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.parsing.list_page import parse_list_page

BASE = "https://finance.eastmoney.com/a/cywjh.html"
CODE1, CODE2 = "202608172487563251", "202608172487563252"
CODE17 = "20170701752100652"


def page(body: str, title: str = "要闻精华_东方财富网") -> Selector:
    return Selector(text=f"<html><head><title>{title}</title></head><body>{body}</body></html>")


def item(index: int, href: str, title: str, info: str, time: str, *, full: str = "") -> str:
    title_attr = f' title="{full}"' if full else ""
    return (
        f'<li id="newsTr{index}"><div class="image"><a href="{href}"><img src="x.jpg"></a></div>'
        f'<div class="text"><p class="title"><a href="{href}">\n   {title}\n  </a></p>'
        f'<p class="info"{title_attr}>{info}</p><p class="time">{time}</p></div></li>'
    )


CLASSIC = (
    '<ul id="newsListContent">'
    + item(0, f"/a/{CODE1}.html", "第一条", "摘要一", "08月17日 20:16")
    + item(1, f"./{CODE2}.html", "第二条", "摘要二", "08月17日 19:00")
    + '</ul><div class="pagerbox"><a href="cywjh_2.html">下一页</a></div>'
)
# 2026: no list id, the summary cut short in the text, whole in title, years in the times.
BARE_2026 = (
    "<ul>"
    + item(0, f"/a/{CODE1}.html", "第一条", "截断的摘...", "2026年08月17日 20:16", full="截断的摘要全文")
    + item(1, f"http://finance.eastmoney.com/news/1354,{CODE17}.html", "旧文", "旧摘要", "2017年07月01日 08:00")
    + "</ul>"
)  # fmt: skip


def test_classic_list_items() -> None:
    listed = parse_list_page(page(CLASSIC), BASE, "cywjh", 1)
    assert listed.found_by == "newsListContent"
    assert listed.column_name == "要闻精华"
    assert [(e.url, e.code, e.title, e.summary, e.time) for e in listed.entries] == [
        (f"https://finance.eastmoney.com/a/{CODE1}.html", CODE1, "第一条", "摘要一", "08月17日 20:16"),
        (f"https://finance.eastmoney.com/a/{CODE2}.html", CODE2, "第二条", "摘要二", "08月17日 19:00"),
    ]  # fmt: skip
    assert listed.pager and listed.next_url == "https://finance.eastmoney.com/a/cywjh_2.html"


def test_2026_items_without_the_list_id() -> None:
    listed = parse_list_page(page(BARE_2026, "要闻精华 _ 东方财富网"), BASE, "cywjh", 1)
    assert listed.found_by == "newsTr"
    first, old = listed.entries
    assert (first.summary, first.time) == ("截断的摘要全文", "2026年08月17日 20:16")
    assert (old.code, old.url) == (CODE17, f"http://finance.eastmoney.com/news/1354,{CODE17}.html")
    assert listed.column_name == "要闻精华"
    # No pager: the caller tries <column>_2.html.
    assert not listed.pager and listed.next_url is None


def test_any_article_link_when_no_item_selector_matches() -> None:
    body = (
        f'<div class="list"><div class="row"><a href="/a/{CODE1}.html"><img></a>'
        f'<a href="/a/{CODE1}.html">第一条</a></div>'
        f'<div class="row"><a href="/news/1344,{CODE2}.html">第二条</a></div>'
        # Not articles: a list page, a continuation page, a script link, another site.
        '<a href="/a/czqyw.html">证券要闻</a><a href="javascript:void(0)">x</a>'
        f'<a href="/a/{CODE2}_2.html">第2页</a><a href="https://example.org/">外站</a></div>'
    )
    listed = parse_list_page(page(body), BASE, "cywjh", 1)
    assert listed.found_by == "links"
    assert [(e.code, e.title, e.summary) for e in listed.entries] == [
        (CODE1, "第一条", None),
        (CODE2, "第二条", None),
    ]


def test_an_item_whose_title_link_is_not_an_article_falls_back_to_its_other_links() -> None:
    body = (
        '<ul id="newsListContent"><li><div class="text">'
        f'<p class="title"><a href="/special/x.html">专题</a></p><p><a href="/a/{CODE1}.html">正文</a></p>'
        "</div></li><li><p>没有链接</p></li></ul>"
    )
    (entry,) = parse_list_page(page(body), BASE, "cywjh", 1).entries
    assert (entry.code, entry.title) == (CODE1, "正文")


@pytest.mark.parametrize(
    ("pager", "current", "has_pager", "next_url"),
    [
        # A full pager: its next page, or none on the last page.
        ('<a href="/news/cjdd.html">1</a><a href="cjdd_2.html">2</a><a href="cjdd_3.html">3</a>', 2, True, "https://finance.eastmoney.com/news/cjdd_3.html"),
        ('<a href="/news/cjdd.html">1</a><a href="cjdd_2.html">2</a><a href="cjdd_3.html">3</a>', 3, True, None),
        # Links to other columns are no pager.
        ('<a href="/news/cywjh_2.html">要闻</a>', 1, False, None),
        ("", 1, False, None),
    ],
)  # fmt: skip
def test_the_pager(pager, current, has_pager, next_url) -> None:
    url = f"https://finance.eastmoney.com/news/cjdd_{current}.html"
    listed = parse_list_page(page(CLASSIC + pager), url, "cjdd", current)
    assert (listed.pager, listed.next_url) == (has_pager, next_url)


def test_a_page_past_the_end_has_no_entries() -> None:
    listed = parse_list_page(page('<ul id="newsListContent"></ul>'), BASE, "cywjh", 6)
    assert listed.entries == () and listed.found_by == "links"
