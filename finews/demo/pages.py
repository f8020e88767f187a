"""Templates of the East Money page shapes described in docs SOURCE.md sections 2 and 4.

Pure functions: values in, ``str`` (or JSON ``bytes``) out. The builder in ``build.py`` composes
them into a site folder; the spider is written against exactly these shapes.

Body text is written in a tiny markup so one source renders both with and without East Money's
auto-link wrappers (the API's ``content`` and ``text`` fields):

- ``{stock:0.002752:昇兴股份}``   stock auto-link (``span#stock_…`` + ``a.keytip``)
- ``{bk:90.BK0473:证券}``         sector auto-link (``span#bk_…`` + ``a.keytip``)
- ``{info:3306:券商}``            data-centre auto-link (``span#Info.…`` + ``a.infokey``)
- ``{key:90.BK0475:银行}``        bare keyword (``span.em_stock_key_common``)
- ``{link:/a/X.html:相关阅读}``    a relative link kept in both renderings
- ``{img:/images/x.png}``         a relative image (only as a whole paragraph)
- a paragraph starting with ``## `` is a bold sub-heading.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SHARE_PATH = "/html_News/NewsShare.html"
API_PATH = "/NewsData/GetNewsText.do"
FAST_NEWS_PATH = "/comm/web/getFastNewsList"
COLUMN_API_PATH = "/comm/web/getNewsByColumns"
QUOTE_URL = "http://quote.eastmoney.com/unify/r/"
ARTICLE_URL = "http://finance.eastmoney.com/a/{code}.html"
SITE_SUFFIX = "_东方财富网"
SITE_SUFFIX_2026 = " _ 东方财富网"
# How much of a summary the 2026 list page shows before its "...".
INFO_CUT = 12
INDENT = "\u3000\u3000"
HIDDEN_P = '<p style="display:none;height:1px;overflow:hidden;"><br /></p>'

# Targets of the data-centre auto-links, as seen in the reference posts.
INFO_URLS: dict[str, str] = {
    "3120": "http://fund.eastmoney.com/trade/default.html",
    "3281": "http://data.eastmoney.com/gstz/detail.aspx?type=1",
    "3293": "http://data.eastmoney.com/zlsj/",
    "3300": "http://data.eastmoney.com/zdht/",
    "3304": "http://data.eastmoney.com/wtlc/",
    "3306": "http://data.eastmoney.com/other/qsjy.html",
    "3332": "http://data.eastmoney.com/notices/",
}

_MARKER = re.compile(r"\{(stock|bk|info|key|link|img):([^{}]*)\}")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _render_marker(kind: str, arg: str, *, autolinks: bool) -> str:
    if kind == "img":
        return f'<img src="{_esc(arg)}" border="0" alt="" />'
    ref, _, word = arg.partition(":")
    if kind == "link":
        return f'<a href="{_esc(ref)}" target="_blank">{_esc(word)}</a>'
    if not autolinks:
        return _esc(word)
    code = ref.replace(".", ",")
    if kind == "stock":
        return (
            f'<span id="stock_{ref}"><a href="{QUOTE_URL}{ref}" class="keytip" '
            f'data-code="{code}">{_esc(word)}</a></span><span id="quote_{ref}"></span>'
        )
    if kind == "bk":
        return (
            f'<span id="bk_{ref}"><a href="{QUOTE_URL}{ref}" class="keytip" '
            f'data-code="{code}">{_esc(word)}</a></span><span id="bkquote_{ref}"></span>'
        )
    if kind == "info":
        return (
            f'<span id="Info.{ref}"><a href="{INFO_URLS[ref]}" class="infokey">'
            f"{_esc(word)}</a></span>"
        )
    # kind == "key"
    return (
        f'<span web="1" href="{QUOTE_URL}{ref}" class="em_stock_key_common" '
        f'data-code="{code}">{_esc(word)}</span>'
    )


def render_inline(markup: str, *, autolinks: bool = True) -> str:
    """Render one line of body markup to HTML (text escaped, markers expanded)."""
    out: list[str] = []
    pos = 0
    for m in _MARKER.finditer(markup):
        out.append(_esc(markup[pos : m.start()]))
        out.append(_render_marker(m.group(1), m.group(2), autolinks=autolinks))
        pos = m.end()
    out.append(_esc(markup[pos:]))
    return "".join(out)


def markers(markup: str) -> list[tuple[str, str]]:
    """The ``(kind, argument)`` of each marker in a line of markup, e.g. ``("img", "/x.png")``."""
    return _MARKER.findall(markup)


def markup_text(markup: str) -> str:
    """The plain text a reader sees for a line of markup (no tags, no ``## ``, stripped)."""

    def word(m: re.Match[str]) -> str:
        return "" if m.group(1) == "img" else m.group(2).partition(":")[2]

    return _MARKER.sub(word, markup.removeprefix("## ")).strip()


def render_paragraph(markup: str, *, autolinks: bool = True, indent: bool = True) -> str:
    """One body ``<p>``: sub-heading, centred image, or an (optionally indented) paragraph."""
    if markup.startswith("## "):
        return f"<p><strong>{render_inline(markup[3:], autolinks=autolinks)}</strong></p>"
    if markup.startswith("{img:"):
        return f'<p style="text-align:center;">{render_inline(markup, autolinks=autolinks)}</p>'
    lead = INDENT if indent else ""
    return f"<p>{lead}{render_inline(markup, autolinks=autolinks)}</p>"


def render_stock_chart(quote_id: str) -> str:
    """The K-line image block East Money inserts for a stock (``quote_id`` like ``0.002752``)."""
    market, _, ticker = quote_id.partition(".")
    # The raw "&" in the image URL is as in the real pages.
    return (
        "<!-- EM_StockImg_Start -->"
        f'<p style="text-align:center;"><a href="{QUOTE_URL}{quote_id}" '
        f'data-code="{ticker}|{market}|2" data-code2="{ticker}|{market}|6|" '
        'class="EmImageRemark" target="_blank">'
        f'<img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid={quote_id}'
        f'&imageType=k&at=1" border="0" alt="K图 {ticker}_{market}" '
        f'data-code="K {ticker}|{market}|2" data-code2="K {ticker}|{market}|6|" '
        'style="border:#d1d1d1 1px solid;" width="578" height="276" /></a></p>'
        "<!-- EM_StockImg_End -->"
    )


def render_body(
    paragraphs: Sequence[str],
    media_markup: str,
    *,
    autolinks: bool = True,
    indent: bool = True,
    hidden_p: bool = False,
    stock_chart: str | None = None,
    sep: str = "\n",
    source_line: bool = True,
) -> str:
    """Body HTML: optional hidden ``<p>`` and chart block, the paragraphs, the source line
    (``source_line`` False: a page of a long article before its last)."""
    parts: list[str] = []
    if hidden_p:
        parts.append(HIDDEN_P)
    if stock_chart and autolinks:
        parts.append(render_stock_chart(stock_chart))
    parts.extend(render_paragraph(p, autolinks=autolinks, indent=indent) for p in paragraphs)
    if source_line:
        source = render_inline(media_markup, autolinks=autolinks)
        parts.append(f'<p class="em_media">（文章来源：{source}）</p>')
    return sep.join(parts)


def format_list_time(when: datetime) -> str:
    """List-page time, without a year: ``02月07日 09:09``."""
    return when.strftime("%m月%d日 %H:%M")


def format_list_time_2026(when: datetime) -> str:
    """2026 list-page time, with the year: ``2026年08月17日 20:16``."""
    return when.strftime("%Y年%m月%d日 %H:%M")


def format_page_time_2026(when: datetime) -> str:
    """2026 article-page time: ``2026-09-24 11:42:00``."""
    return when.strftime("%Y-%m-%d %H:%M:00")


def format_page_time(when: datetime) -> str:
    """Article-page time: ``2022年02月07日 09:09``."""
    return when.strftime("%Y年%m月%d日 %H:%M")


def format_api_time(when: datetime) -> str:
    """Content-API time: ``2022-02-07 09:09:43``."""
    return when.strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class ListItem:
    """One ``li`` of a column list page."""

    href: str
    title: str
    summary: str
    time: str
    image_code: str | None = None
    title_pad: tuple[str, str] = ("", "")
    # 2026: p.info shows the summary cut short with "..."; its title attribute has all of it.
    cut_info: bool = False


# Real list pages wrap the link text in the template's own indentation.
_LIST_TITLE_PAD = ("\n                                ", "\n                            ")


def _list_item(index: int, item: ListItem) -> str:
    href = _esc(item.href)
    image = ""
    if item.image_code:
        image = (
            f'  <div class="image"><a href="{href}" target="_blank">'
            f'<img src="//example-img/{item.image_code}.jpg"></a></div>\n'
        )
    title = _LIST_TITLE_PAD[0] + item.title_pad[0] + _esc(item.title)
    title += item.title_pad[1] + _LIST_TITLE_PAD[1]
    summary = _esc(item.summary)
    shown = _esc(item.summary[:INFO_CUT] + "...") if item.cut_info else summary
    return (
        f'<li id="newsTr{index}">\n'
        f"{image}"
        '  <div class="text">\n'
        f'    <p class="title"><a href="{href}" target="_blank">{title}</a></p>\n'
        f'    <p class="info" title="{summary}">{shown}</p>\n'
        f'    <p class="time">{_esc(item.time)}</p>\n'
        "  </div>\n"
        "</li>\n"
    )


def render_list_page_2026(
    column_name: str, items: Sequence[ListItem], page_hrefs: Sequence[str], number: int
) -> str:
    """A 2026 column list page (``/news/<column>.html``): a bare ``<ul>`` of ``li#newsTrN``
    and a pager naming every page (``page_hrefs``, page 1 first; this is page ``number``)."""
    lis = "".join(_list_item(i, item) for i, item in enumerate(items))
    return (
        "<!DOCTYPE html>\n"
        '<html><head><meta charset="utf-8">'
        f"<title>{_esc(column_name)}{SITE_SUFFIX_2026}</title></head>\n"
        '<body><div class="mainCont"><div class="list-content">\n'
        f"<ul>\n{lis}</ul>\n"
        f"{render_pager(page_hrefs, number)}"
        "</div></div></body></html>\n"
    )


def render_pager(page_hrefs: Sequence[str], number: int) -> str:
    """A pager: a link to every page, and ``下一页`` on every page but the last."""
    if len(page_hrefs) < 2:
        return ""
    links = "".join(
        f'<span class="at">{n}</span>' if n == number else f'<a href="{_esc(href)}">{n}</a>'
        for n, href in enumerate(page_hrefs, start=1)
    )
    if number < len(page_hrefs):
        links += f'<a href="{_esc(page_hrefs[number])}">下一页</a>'
    return f'<div class="pagerbox">{links}</div>\n'


def render_list_page(column_name: str, items: Sequence[ListItem], next_href: str | None) -> str:
    """A column list page (``/a/<column>.html`` or ``/a/<column>_N.html``)."""
    lis = "".join(_list_item(i, item) for i, item in enumerate(items))
    pager = ""
    if next_href:
        pager = (
            f'<div class="pagerbox"><a href="{_esc(next_href)}" target="_self">下一页</a></div>\n'
        )
    return (
        "<!DOCTYPE html>\n"
        '<html><head><meta charset="utf-8">'
        f"<title>{_esc(column_name)}{SITE_SUFFIX}</title></head>\n"
        '<body><div class="mainCont"><div class="listContent">\n'
        '<ul id="newsListContent">\n'
        f"{lis}"
        "</ul>\n"
        f"{pager}"
        "</div></div></body></html>\n"
    )


def _head(title: str, charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>{_esc(title)}{SITE_SUFFIX}</title></head><body>\n"


def render_article_page(
    *,
    layout: str,
    title: str,
    media: str,
    published: datetime | None,
    summary: str,
    body_html: str,
    title_pad: tuple[str, str] = ("", ""),
    meta_charset: str | None = "utf-8",
    pager: str = "",
) -> str:
    """An article page, ``layout`` ``"new"`` (div.mainleft div.zwinfos), ``"old"``
    (div.newsContent with ``.res-edit``) or ``"2026"`` (no ``h1``, the title only in
    ``<title>``, side widgets of class ``title``, ``.tipbox .infos .item``, the source without
    ``来源：``). ``published`` None leaves the time out entirely; ``meta_charset`` None writes
    no ``<meta charset>`` (the header alone declares it). ``pager`` follows the body (the
    pages of a long article)."""
    h1 = f"<h1>{title_pad[0]}{_esc(title)}{title_pad[1]}</h1>"
    source = _esc(media)
    if layout == "2026":
        time_item = (
            f'<div class="item">{format_page_time_2026(published)}</div>' if published else ""
        )
        meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
        # The auto-links of 2026 close with "</a >".
        body_html = body_html.replace("</a></span>", "</a ></span>")
        return (
            f"<html><head>{meta}<title>{_esc(title)}{SITE_SUFFIX_2026}</title></head><body>\n"
            '<div class="sidebar"><div class="title">24小时热门</div>'
            '<ul><li><p class="title">财经日历</p></li></ul></div>\n'
            '<div class="mainleft"><div class="tipbox"><div class="infos">'
            f'{time_item}<div class="item">{source}</div><div class="item">评论</div>'
            "</div></div>\n"
            f'<div class="txtinfos" id="ContentBody">\n{body_html}\n</div>\n{pager}'
            "</div>\n</body></html>\n"
        )
    if layout == "new":
        time_item = f'<div class="item">{format_page_time(published)}</div>' if published else ""
        main = (
            '<div class="mainleft"><div class="zwinfos">\n'
            f'<div class="title">{_esc(title)}</div>\n'
            f"{h1}\n"
            f'<div class="infos">{time_item}<div class="item">来源：'
            f'<a href="javascript:void(0);">{source}</a></div></div>\n'
            f'<div class="abstract"><div class="txt">{_esc(summary)}</div></div>\n'
            f'<div class="txtinfos" id="ContentBody">\n{body_html}\n</div>\n{pager}'
            "</div></div>"
        )
    elif layout == "old":
        time_div = f'<div class="time">{format_page_time(published)}</div>' if published else ""
        main = (
            f'<div class="newsContent">{h1}<div class="Info"><div class="time-source">'
            f'{time_div}<div class="source data-source">来源：<span>{source}</span></div>'
            "</div></div>\n"
            f'<div id="ContentBody" class="Body">\n{body_html}\n'
            f'<p class="res-edit">(责任编辑：DF120)</p></div>{pager}</div>'
        )
    else:
        raise ValueError(f"unknown layout {layout!r}")
    return _head(title, meta_charset) + main + "\n</body></html>\n"


def render_broken_page() -> str:
    """A 200 page that is not an article: no ``h1``, no ``#ContentBody``, a generic title."""
    return (
        '<html><head><meta charset="utf-8"><title>东方财富网</title></head><body>\n'
        '<div class="errorPage"><p>您访问的页面不存在或已被删除</p>'
        '<a href="/">返回首页</a></div>\n</body></html>\n'
    )


def render_share_page() -> str:
    """The share page shell; its article is loaded by script from the content API."""
    return (
        "<!DOCTYPE html>\n"
        '<html><head><meta charset="utf-8"><title>东方财富网</title></head>\n'
        '<body><div id="content"></div>\n'
        "<script>\n"
        "var m = /infoCode=(\\w+)/.exec(location.search);\n"
        "if (m) {\n"
        "  var x = new XMLHttpRequest();\n"
        '  x.open("GET", "/NewsData/GetNewsText.do?id=" + m[1]);\n'
        "  x.onload = function () {\n"
        "    var d = JSON.parse(x.responseText);\n"
        '    document.getElementById("content").innerHTML = d.content || d.text || "";\n'
        "  };\n"
        "  x.send();\n"
        "}\n"
        "</script></body></html>\n"
    )


def api_file(info_code: str) -> str:
    """Where a site folder keeps the API answer for ``info_code`` (relative to its root)."""
    return f"NewsData/GetNewsText/{info_code}.json"


def render_api_record(record: dict[str, Any]) -> bytes:
    """A content-API answer: compact UTF-8 JSON, non-ASCII kept raw."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def render_fast_news(records: Sequence[dict[str, Any]], sort_end: str) -> bytes:
    """A rolling-news API answer (``getFastNewsList``), in JSON."""
    answer = {
        "code": "1",
        "message": "success",
        "data": {"sortEnd": sort_end, "fastNewsList": list(records)},
    }
    return render_api_record(answer)


def render_column_api(records: Sequence[dict[str, Any]]) -> bytes:
    """A column API answer (``getNewsByColumns``), in JSON."""
    return render_api_record({"code": "1", "message": "success", "data": {"list": list(records)}})


def render_kuaixun(records: Sequence[dict[str, Any]]) -> bytes:
    """A page of the older rolling-news list: a script ``var ajaxResult={...};``."""
    answer = {"rc": 1, "me": "", "LivesList": list(records)}
    return b"var ajaxResult=" + render_api_record(answer) + b";"


def jsonp(answer: bytes, callback: str) -> bytes:
    """A JSON answer wrapped for a JSONP ``callback``."""
    return callback.encode("ascii") + b"(" + answer + b")"


def fast_news_file(sort_end: str) -> str:
    """Where a site folder keeps the rolling-news page after cursor ``sort_end``."""
    return f"comm/web/getFastNewsList/{sort_end or 'newest'}.json"


def column_api_file(column: str, page: int) -> str:
    """Where a site folder keeps page ``page`` of column API ``column``."""
    return f"comm/web/getNewsByColumns/{column}_{page}.json"
