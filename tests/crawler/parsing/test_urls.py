"""Every page shape ``classify`` knows, on any host, and the URLs it refuses (SOURCE.md §2)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from crawler.parsing.urls import (
    Page,
    UnknownPageError,
    api_url,
    classify,
    list_page_url,
    share_url_for,
)

CODE = "202202072267575261"
FULL_WIDTH_CODE = CODE.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})  # ２０２２…


@pytest.mark.parametrize(
    ("url", "kind", "column", "page", "code"),
    [
        # Column list pages, page 1 and page N.
        ("https://finance.eastmoney.com/a/cywjh.html", "list", "cywjh", 1, None),
        ("https://finance.eastmoney.com/a/czqyw_2.html", "list", "czqyw", 2, None),
        ("http://futures.eastmoney.com/a/cqhdd_12.html", "list", "cqhdd", 12, None),
        ("http://127.0.0.1:8000/a/cgnjj.html", "list", "cgnjj", 1, None),
        # Article pages, new and old shapes.
        (f"https://finance.eastmoney.com/a/{CODE}.html", "article", None, 1, CODE),
        (f"http://stock.eastmoney.com/a/{CODE}.html", "article", None, 1, CODE),
        (f"http://finance.eastmoney.com/news/1344,{CODE}.html", "article", "1344", 1, CODE),
        (f"https://hk.eastmoney.com/news/11,{CODE}.html", "article", "11", 1, CODE),
        # Share links, whatever the case of the query key, path or prefix.
        (f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{CODE}", "share", None, 1, CODE),
        (f"https://choicewzp1.eastmoney.com/html_News/NewsShare.html?infocode=NW{CODE}", "share", None, 1, CODE),
        (f"https://choicewzp1.eastmoney.com/html_news/newsshare.html?INFOCODE=nw{CODE}", "share", None, 1, CODE),
        (f"http://127.0.0.1:8000/html_News/NewsShare.html?from=app&infoCode=NW{CODE}#top", "share", None, 1, CODE),
        # The content API.
        (f"http://choicewzp1.eastmoney.com/NewsData/GetNewsText.do?id=NW{CODE}", "api", None, 1, CODE),
        (f"https://finews.zning.xyz/NewsData/GetNewsText.do?ID=NW{CODE}", "api", None, 1, CODE),
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
        # Codes of other lengths: 17 digits (articles of 2017) are not read today.
        "http://finance.eastmoney.com/news/1354,20170701752100652.html",
        "https://finance.eastmoney.com/a/20170701752100652.html",
        f"https://finance.eastmoney.com/a/{CODE}1.html",
        # Digits other than ASCII ones (a full-width IME writes them).
        f"https://finance.eastmoney.com/a/{FULL_WIDTH_CODE}.html",
        f"http://finance.eastmoney.com/news/1344,{FULL_WIDTH_CODE}.html",
        "https://finance.eastmoney.com/a/cywjh_２.html",
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
    with pytest.raises(UnknownPageError, match=r"/a/<column>\.html.*NewsShare\.html\?infoCode="):
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
