"""Every page shape ``classify`` knows, on any host, and the URLs it refuses (SOURCE.md §2, §4)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from crawler.parsing.urls import (
    Page,
    UnknownPageError,
    api_url,
    article_part_url,
    classify,
    column_api_url,
    fast_news_url,
    kuaixun_url,
    list_page_url,
    share_url_for,
    with_query,
)

CODE = "202202072267575261"
CODE17 = "20170701752100652"
FAST = "https://np-weblist.eastmoney.com/comm/web/getFastNewsList"
COLUMNS = "https://np-listapi.eastmoney.com/comm/web/getNewsByColumns"
KUAIXUN = "https://newsapi.eastmoney.com/kuaixun/v1/getlist_102_ajaxResult_50_{}_.html"
FULL_WIDTH_CODE = CODE.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})  # ２０２２…


@pytest.mark.parametrize(
    ("url", "kind", "column", "page", "code"),
    [
        # Column list pages, page 1 and page N.
        ("https://finance.eastmoney.com/a/cywjh.html", "list", "cywjh", 1, None),
        ("https://finance.eastmoney.com/a/czqyw_2.html", "list", "czqyw", 2, None),
        ("http://futures.eastmoney.com/a/cqhdd_12.html", "list", "cqhdd", 12, None),
        ("http://127.0.0.1:8000/a/cgnjj.html", "list", "cgnjj", 1, None),
        # ... and under /news/ (2026).
        ("https://finance.eastmoney.com/news/cywjh.html", "list", "cywjh", 1, None),
        ("https://stock.eastmoney.com/news/cgspl_3.html", "list", "cgspl", 3, None),
        # Article pages, new and old shapes.
        (f"https://finance.eastmoney.com/a/{CODE}.html", "article", None, 1, CODE),
        (f"http://stock.eastmoney.com/a/{CODE}.html", "article", None, 1, CODE),
        (f"http://finance.eastmoney.com/news/1344,{CODE}.html", "article", "1344", 1, CODE),
        (f"https://hk.eastmoney.com/news/11,{CODE}.html", "article", "11", 1, CODE),
        # 17-digit codes (2017), and continuation pages of long articles.
        (f"http://finance.eastmoney.com/news/1354,{CODE17}.html", "article", "1354", 1, CODE17),
        (f"https://finance.eastmoney.com/a/{CODE17}.html", "article", None, 1, CODE17),
        (f"https://finance.eastmoney.com/a/{CODE}_2.html", "article", None, 2, CODE),
        (f"http://finance.eastmoney.com/news/1344,{CODE}_3.html", "article", "1344", 3, CODE),
        # Share links, whatever the case of the query key, path or prefix.
        (f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{CODE}", "share", None, 1, CODE),
        (f"https://choicewzp1.eastmoney.com/html_News/NewsShare.html?infocode=NW{CODE}", "share", None, 1, CODE),
        (f"https://choicewzp1.eastmoney.com/html_news/newsshare.html?INFOCODE=nw{CODE}", "share", None, 1, CODE),
        (f"http://127.0.0.1:8000/html_News/NewsShare.html?from=app&infoCode=NW{CODE}#top", "share", None, 1, CODE),
        # The content API.
        (f"http://choicewzp1.eastmoney.com/NewsData/GetNewsText.do?id=NW{CODE}", "api", None, 1, CODE),
        (f"https://finews.zning.xyz/NewsData/GetNewsText.do?ID=NW{CODE}", "api", None, 1, CODE),
        (f"http://127.0.0.1:8000/NewsData/GetNewsText.do?id=NW{CODE17}", "api", None, 1, CODE17),
        # The rolling-news API, with or without its cursor; the older list; the column API.
        (f"{FAST}?client=web&biz=web_724&fastColumn=102&pageSize=50", "fastnews", "102", 1, None),
        (f"{FAST}?fastColumn=102&sortEnd=1234&req_trace=1", "fastnews", "102", 1, None),
        ("http://127.0.0.1:8000/comm/web/getFastNewsList?client=web", "fastnews", "102", 1, None),
        (KUAIXUN.format(1), "kuaixun", "102", 1, None),
        (KUAIXUN.format(7), "kuaixun", "102", 7, None),
        (f"{COLUMNS}?client=web&biz=web_news_col&column=1207&page_index=1", "colapi", "1207", 1, None),
        (f"{COLUMNS}?column=345&page_index=3&page_size=20", "colapi", "345", 3, None),
        (f"{COLUMNS}?column=350", "colapi", "350", 1, None),
        # Pasted with blanks around it.
        (f"  https://finance.eastmoney.com/a/{CODE}.html\n", "article", None, 1, CODE),
    ],
)  # fmt: skip
def test_known_shapes(url, kind, column, page, code) -> None:
    found = classify(url)
    assert (found.kind, found.column, found.page, found.code) == (kind, column, page, code)
    assert found.url == url
    assert found.info_code == (f"NW{code}" if code else None)


@pytest.mark.parametrize(
    "url",
    [
        # Unknown paths.
        "https://finance.eastmoney.com/",
        "https://finance.eastmoney.com/a/",
        "https://finance.eastmoney.com/a/cywjh.htm",
        "https://finance.eastmoney.com/b/cywjh.html",
        "https://finance.eastmoney.com/a/cywjh/index.html",
        f"https://finance.eastmoney.com/private/{CODE}.html",
        # Codes of other lengths than 17 or 18 digits.
        f"https://finance.eastmoney.com/a/{CODE}1.html",
        f"https://finance.eastmoney.com/a/{CODE[:16]}.html",
        f"http://finance.eastmoney.com/news/1354,{CODE[:16]}.html",
        f"https://finance.eastmoney.com/a/{CODE}_.html",
        # APIs without what names their stream.
        f"{COLUMNS}?page_index=1",
        f"{COLUMNS}?column=abc",
        f"{COLUMNS}?column=345&page_index=0",
        f"{FAST}?fastColumn=latest",
        "https://newsapi.eastmoney.com/kuaixun/v1/getlist_102_ajaxResult_50__.html",
        # Digits other than ASCII ones (a full-width IME writes them).
        f"https://finance.eastmoney.com/a/{FULL_WIDTH_CODE}.html",
        f"http://finance.eastmoney.com/news/1344,{FULL_WIDTH_CODE}.html",
        "https://finance.eastmoney.com/a/cywjh_２.html",
        "https://finance.eastmoney.com/news/cywjh_２.html",
        f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{quote(FULL_WIDTH_CODE)}",
        f"http://finews.zning.xyz/NewsData/GetNewsText.do?id=NW{FULL_WIDTH_CODE}",
        # Not http(s), or no host.
        "ftp://finance.eastmoney.com/a/cywjh.html",
        "/a/cywjh.html",
        "finance.eastmoney.com/a/cywjh.html",
        # Share links and API answers without a usable infoCode.
        "http://finews.zning.xyz/html_News/NewsShare.html",
        "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=",
        f"http://finews.zning.xyz/html_News/NewsShare.html?id=NW{CODE}",
        f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode={CODE}",
        "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW2022020722675752AB",
        f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{CODE}9",
        f"http://finews.zning.xyz/NewsData/GetNewsText.do?infoCode=NW{CODE}",
        "http://finews.zning.xyz/NewsData/GetNewsText.do?id=NWabc",
    ],
)
def test_refused(url) -> None:
    with pytest.raises(UnknownPageError):
        classify(url)


def test_the_refusal_says_what_is_expected() -> None:
    expected = (
        r"/a/<column>\.html.*/news/<column>\.html.*NewsShare\.html\?infoCode=.*getFastNewsList"
    )
    with pytest.raises(UnknownPageError, match=expected):
        classify("https://finance.eastmoney.com/b/cywjh.html")


@pytest.mark.parametrize(
    ("share", "api"),
    [
        (
            f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{CODE}",
            f"http://finews.zning.xyz/NewsData/GetNewsText.do?id=NW{CODE}",
        ),
        (
            f"https://127.0.0.1:8443/html_news/newsshare.html?infocode=NW{CODE}#top",
            f"https://127.0.0.1:8443/NewsData/GetNewsText.do?id=NW{CODE}",
        ),
    ],
)
def test_api_url_is_on_the_share_links_host(share, api) -> None:
    assert api_url(share, f"NW{CODE}") == api
    assert classify(api) == Page("api", api, code=CODE)


@pytest.mark.parametrize(
    ("page", "url"),
    [
        (1, "https://finance.eastmoney.com/a/cywjh.html"),
        (2, "https://finance.eastmoney.com/a/cywjh_2.html"),
        (10, "https://finance.eastmoney.com/a/cywjh_10.html"),
    ],
)
def test_list_page_url(page, url) -> None:
    assert list_page_url("https://finance.eastmoney.com/a/cywjh_3.html?p=1#x", "cywjh", page) == url
    assert classify(url) == Page("list", url, column="cywjh", page=page)


def test_share_url_for() -> None:
    url = share_url_for(f"http://finews.zning.xyz/a/{CODE}.html", f"NW{CODE}")
    assert url == f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{CODE}"
    assert classify(url) == Page("share", url, code=CODE)


@pytest.mark.parametrize(
    ("url", "page", "expected"),
    [
        ("https://finance.eastmoney.com/news/cywjh.html", 2, "https://finance.eastmoney.com/news/cywjh_2.html"),
        ("https://finance.eastmoney.com/news/cywjh_2.html", 1, "https://finance.eastmoney.com/news/cywjh.html"),
        ("http://127.0.0.1:1/a/cywjh_2.html", 3, "http://127.0.0.1:1/a/cywjh_3.html"),
    ],
)  # fmt: skip
def test_list_page_url_keeps_the_folder(url, page, expected) -> None:
    assert list_page_url(url, "cywjh", page) == expected


@pytest.mark.parametrize(
    ("url", "part", "expected"),
    [
        (f"https://finance.eastmoney.com/a/{CODE}.html", 2, f"https://finance.eastmoney.com/a/{CODE}_2.html"),
        (f"https://finance.eastmoney.com/a/{CODE}_2.html?x=1", 3, f"https://finance.eastmoney.com/a/{CODE}_3.html"),
        (f"https://finance.eastmoney.com/a/{CODE}_3.html", 1, f"https://finance.eastmoney.com/a/{CODE}.html"),
        (f"http://finance.eastmoney.com/news/1354,{CODE17}.html", 2, f"http://finance.eastmoney.com/news/1354,{CODE17}_2.html"),
    ],
)  # fmt: skip
def test_article_part_url(url, part, expected) -> None:
    assert article_part_url(url, part) == expected
    found = classify(expected)
    assert (found.kind, found.page, found.code) == ("article", part, classify(url).code)


def test_api_pages_carry_their_cursor_and_the_clock() -> None:
    start = f"{FAST}?client=web&biz=web_724&fastColumn=102&pageSize=50&callback=cb"
    first = fast_news_url(start, "", "1700000000000")
    assert first == start + "&sortEnd=&req_trace=1700000000000"
    # The next page replaces the cursor and the clock in place and keeps everything else.
    later = fast_news_url(first, "2026082017123456", "1700000000000")
    assert later == start + "&sortEnd=2026082017123456&req_trace=1700000000000"
    assert classify(later).listing == "fastnews:102"
    page = column_api_url(f"{COLUMNS}?column=1207&page_index=1&page_size=20", 2, "5")
    assert page == f"{COLUMNS}?column=1207&page_index=2&page_size=20&req_trace=5"
    assert (classify(page).page, classify(page).listing) == (2, "colapi:1207")
    assert kuaixun_url(KUAIXUN.format(1), 2) == KUAIXUN.format(2)
    assert classify(KUAIXUN.format(2)).listing == "kuaixun:102"


def test_query_values_are_set_whatever_their_case() -> None:
    assert with_query("http://h/p?A=1&b=2&a=3", a="x") == "http://h/p?A=x&b=2"
    assert with_query("http://h/p", a="1", b="") == "http://h/p?a=1&b="


@pytest.mark.parametrize(
    ("url", "listing"),
    [
        ("https://finance.eastmoney.com/a/cywjh_2.html", "column:cywjh"),
        ("https://finance.eastmoney.com/news/cywjh.html", "column:cywjh"),
        (f"https://finance.eastmoney.com/a/{CODE}.html", None),
        (f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{CODE}", None),
    ],
)
def test_listing_keys_name_the_stream(url, listing) -> None:
    assert classify(url).listing == listing
