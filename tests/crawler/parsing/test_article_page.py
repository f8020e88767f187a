"""parse_article_page: title, time, source, body and continuation pages in each layout."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.parsing.article_page import parse_article_page

CODE = "202609242491234567"
URL = f"https://finance.eastmoney.com/a/{CODE}.html"


def parse(html: str, url: str = URL):
    return parse_article_page(Selector(text=html), html, url, CODE)


NEW = (
    "<html><head><title>央行开展逆回购_东方财富网</title></head><body>"
    '<div class="mainleft"><div class="zwinfos"><div class="title">央行开展逆回购</div>'
    "<h1>\n 央行开展逆回购 </h1>"
    '<div class="infos"><div class="item">2022年02月08日 09:20</div>'
    '<div class="item">来源：<a href="javascript:void(0);">证券时报</a></div></div>'
    '<div class="abstract"><div class="txt">摘要</div></div>'
    '<div class="txtinfos" id="ContentBody">\n<p>　　正文</p>\n</div></div></div></body></html>'
)
OLD = (
    '<html><head><title>雪球_东方财富网</title></head><body><div class="newsContent"><h1>雪球</h1>'
    '<div class="Info"><div class="time-source"><div class="time">2022年01月07日 08:14</div>'
    '<div class="source data-source">来源：<span>券商中国</span></div></div></div>'
    '<div id="ContentBody" class="Body">\n<p>正文</p>\n<p class="res-edit">(责任编辑：DF120)</p></div>'
    "</div></body></html>"
)
# 2026: no h1, side widgets of class "title", time in ISO form, the source without 来源.
NEW_2026 = (
    "<html><head><title>美联储维持利率不变 _ 东方财富网</title></head><body>"
    '<div class="sidebar"><div class="title">24小时热门</div><p class="title">别的文章</p></div>'
    '<div class="tipbox"><div class="infos"><div class="item">2026-09-24 11:42:00</div>'
    '<div class="item">第一财经</div><div class="item">评论 12</div></div></div>'
    '<div class="txtinfos" id="ContentBody"><p><span id="stock_1.600519"><a class="keytip">茅台</a >'
    '</span>正文</p><p class="em_media">（文章来源：第一财经）</p></div>'
    '<div class="pagerbox"><a href="./' + CODE + '_2.html">2</a>'
    f'<a href="/a/{CODE}_3.html">3</a><a href="{CODE}_2.html">下一页</a></div>'
    "</body></html>"
)


def test_the_new_layout() -> None:
    read = parse(NEW)
    assert (read.title, read.published, read.media, read.summary) == (
        "央行开展逆回购",
        "2022年02月08日 09:20",
        "证券时报",
        "摘要",
    )
    assert read.body_html == "\n<p>　　正文</p>\n"
    assert read.missing == [] and not read.gone and not read.next_link and read.parts == ()


def test_the_old_layout_without_its_editor_line() -> None:
    read = parse(OLD)
    assert (read.title, read.published, read.media) == ("雪球", "2022年01月07日 08:14", "券商中国")
    assert read.body_html == "\n<p>正文</p>\n"


def test_the_2026_layout() -> None:
    read = parse(NEW_2026)
    assert read.title == "美联储维持利率不变"  # from <title>, not from a widget's .title
    assert (read.published, read.media) == ("2026-09-24 11:42:00", "第一财经")
    assert "正文" in (read.body_html or "")
    assert read.next_link and read.parts == (
        f"https://finance.eastmoney.com/a/{CODE}_2.html",
        f"https://finance.eastmoney.com/a/{CODE}_3.html",
    )
    assert read.next_part(1) == read.parts[0] and read.next_part(2) == read.parts[1]
    assert read.next_part(3) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("美联储 _ 东方财富网", "美联储"),
        ("美联储-东方财富网", "美联储"),
        ("美联储|东方财富网", "美联储"),
        ("净利同比预增1117%-1233%_东方财富网", "净利同比预增1117%-1233%"),
    ],
)
def test_the_site_name_leaves_the_title(title, expected) -> None:
    html = f'<html><head><title>{title}</title></head><body><div id="ContentBody"><p>x</p></div></body></html>'
    assert parse(html).title == expected


def test_the_source_line_of_the_body_when_the_info_line_has_none() -> None:
    html = (
        '<html><head><title>标题_东方财富网</title></head><body><div class="infos">'
        '<div class="item">2026年09月24日 11:42</div><div class="item">作者：王某</div></div>'
        '<div id="ContentBody"><p>正文</p><p class="em_media">（文章来源：南昌日报）</p></div></body></html>'
    )
    assert parse(html).media == "南昌日报"


def test_a_page_that_lost_its_body_misses_it_and_a_not_found_page_is_gone() -> None:
    changed = parse(
        "<html><head><title>标题 _ 东方财富网</title></head><body><p>x</p></body></html>"
    )
    assert changed.missing == ["body"] and not changed.gone
    untitled = parse('<html><body><div id="ContentBody"><p>x</p></div></body></html>')
    assert untitled.missing == ["title"] and not untitled.gone
    gone = parse("<html><head><title>东方财富网</title></head><body>页面不存在</body></html>")
    assert gone.gone and gone.missing == ["title", "body"]


def test_a_next_page_link_without_numbered_pages_is_a_pager() -> None:
    html = NEW.replace("</body>", '<a href="javascript:next()">下一页</a></body>')
    read = parse(html)
    assert read.next_link and read.parts == ()


def test_continuation_links_of_other_articles_are_not_parts() -> None:
    other = "202609242491234568"
    html = NEW.replace("</body>", f'<a href="/a/{other}_2.html">2</a></body>')
    assert parse(html).parts == ()
