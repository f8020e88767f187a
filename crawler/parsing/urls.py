"""Recognize a source page by its path and query, on any host (SOURCE.md §2 and §4)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

# ASCII: a bare \d also matches full-width and other Unicode digits, which would give an
# article a second, wrong id (NW２０２２… is not NW2022…). Codes have 18 digits, 17 before 2018.
_CODE = r"(\d{17,18})"
_LIST = re.compile(r"^/(a|news)/([a-z][a-z0-9]*)(?:_(\d+))?\.html$", re.A)
_ARTICLE = re.compile(rf"^/a/{_CODE}(?:_(\d+))?\.html$", re.A)
_OLD_ARTICLE = re.compile(rf"^/news/(\d+),{_CODE}(?:_(\d+))?\.html$", re.A)
_KUAIXUN = re.compile(r"^/kuaixun/v1/getlist_(\d+)_ajaxResult_(\d+)_(\d+)_\.html$", re.A)
_INFO_CODE = re.compile(rf"^NW{_CODE}$", re.I | re.A)
_DIGITS = re.compile(r"^\d+$", re.A)
_PART = re.compile(r"(\d{17,18})(?:_\d+)?\.html$", re.A)
SHARE_PATH = "/html_News/NewsShare.html"
API_PATH = "/NewsData/GetNewsText.do"
FAST_NEWS_PATH = "/comm/web/getFastNewsList"
COLUMN_API_PATH = "/comm/web/getNewsByColumns"
# The rolling news (7×24) of the old site: its fastColumn and kuaixun list number.
ROLLING_COLUMN = "102"

EXPECTED = (
    "expected a column list /a/<column>.html or /news/<column>.html, an article page"
    " /a/<17 or 18 digits>.html or /news/<col>,<17 or 18 digits>.html, a share link"
    " /html_News/NewsShare.html?infoCode=NW..., or an API: /comm/web/getFastNewsList,"
    " /comm/web/getNewsByColumns?column=<id>, /kuaixun/v1/getlist_102_ajaxResult_50_<page>_.html"
)


class UnknownPageError(ValueError):
    """The URL is none of the page shapes finews knows."""


@dataclass(frozen=True)
class Page:
    """A recognized URL.

    ``kind`` is ``list`` (a column's list page), ``article`` (an article page; ``page`` > 1
    is a continuation page), ``share`` (a share link), ``api`` (the content API),
    ``fastnews`` (the rolling-news API), ``kuaixun`` (the older rolling-news list) or
    ``colapi`` (the column API). ``column`` is the column's short name, the old article
    URL's column number, or the API's column id; ``page`` the page number.
    """

    kind: str
    url: str
    column: str | None = None
    page: int = 1
    code: str | None = None  # the article code, 17 or 18 digits

    @property
    def info_code(self) -> str | None:
        return f"NW{self.code}" if self.code else None

    @property
    def listing(self) -> str | None:
        """The stream a listing page pages through (``column:cywjh``, ``fastnews:102``, ...)."""
        prefix = {"list": "column"}.get(self.kind, self.kind)
        return f"{prefix}:{self.column}" if self.kind in LISTING_KINDS else None


# The kinds of page that list articles (a column page or an API page of records).
LISTING_KINDS = ("list", "fastnews", "kuaixun", "colapi")


def classify(url: str) -> Page:
    """What kind of page ``url`` is; raises :class:`UnknownPageError` otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UnknownPageError(f"not an http(s) URL: {url!r}")
    path = parts.path
    if match := _ARTICLE.match(path):
        return Page("article", url, code=match.group(1), page=int(match.group(2) or 1))
    if match := _OLD_ARTICLE.match(path):
        page = int(match.group(3) or 1)
        return Page("article", url, column=match.group(1), code=match.group(2), page=page)
    if match := _LIST.match(path):
        return Page("list", url, column=match.group(2), page=int(match.group(3) or 1))
    if match := _KUAIXUN.match(path):
        return Page("kuaixun", url, column=match.group(1), page=int(match.group(3)))
    query = {key.lower(): values for key, values in parse_qs(parts.query).items()}
    lower = path.lower()
    if lower == SHARE_PATH.lower() and (code := _code_of(query.get("infocode"))):
        return Page("share", url, code=code)
    if lower == API_PATH.lower() and (code := _code_of(query.get("id"))):
        return Page("api", url, code=code)
    if lower == FAST_NEWS_PATH.lower():
        column = _number(query.get("fastcolumn"), ROLLING_COLUMN)
        if column:
            return Page("fastnews", url, column=column)
    if lower == COLUMN_API_PATH.lower():
        column = _number(query.get("column"), None)
        page = _number(query.get("page_index"), "1")
        if column and page and int(page) >= 1:
            return Page("colapi", url, column=column, page=int(page))
    raise UnknownPageError(f"not a page finews reads: {url!r} ({EXPECTED})")


def _code_of(values: list[str] | None) -> str | None:
    if not values:
        return None
    match = _INFO_CODE.match(values[0].strip())
    return match.group(1) if match else None


def _number(values: list[str] | None, default: str | None) -> str | None:
    """A query value of ASCII digits, the default when absent, None when it is no number."""
    if not values or not values[0].strip():
        return default
    value = values[0].strip()
    return value if _DIGITS.match(value) else None


def api_url(share_url: str, info_code: str) -> str:
    """The content API on the share link's own host."""
    parts = urlsplit(share_url)
    return urlunsplit((parts.scheme, parts.netloc, API_PATH, urlencode({"id": info_code}), ""))


def list_page_url(list_url: str, column: str, page: int) -> str:
    """Page ``page`` of a column: ``<column>.html``, then ``<column>_N.html``, in the folder
    (``/a/`` or ``/news/``) of ``list_url``."""
    parts = urlsplit(list_url)
    folder = "/news/" if parts.path.startswith("/news/") else "/a/"
    name = f"{column}.html" if page == 1 else f"{column}_{page}.html"
    return urlunsplit((parts.scheme, parts.netloc, folder + name, "", ""))


def article_part_url(article_url: str, part: int) -> str:
    """Page ``part`` of an article: ``<code>.html``, then ``<code>_N.html``."""
    parts = urlsplit(article_url)
    suffix = ".html" if part == 1 else f"_{part}.html"
    path = _PART.sub(lambda match: match.group(1) + suffix, parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def with_query(url: str, **values: str) -> str:
    """``url`` with these query values set: replaced where the query has them (whatever their
    case), added at the end where it has not; every other value is kept as it is."""
    parts = urlsplit(url)
    wanted = {name.lower(): name for name in values}
    pairs, done = [], set()
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        name = wanted.get(key.lower())
        if name is None:
            pairs.append((key, value))
        elif name not in done:
            pairs.append((key, values[name]))
            done.add(name)
    pairs += [(name, value) for name, value in values.items() if name not in done]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(pairs), ""))


def fast_news_url(url: str, sort_end: str, req_trace: str) -> str:
    """A rolling-news API page: ``sortEnd`` is the cursor (empty: the newest page) and
    ``req_trace`` the crawl's clock in epoch milliseconds; without both the API answers no
    data."""
    return with_query(url, sortEnd=sort_end, req_trace=req_trace)


def column_api_url(url: str, page: int, req_trace: str) -> str:
    """Page ``page`` of the column API."""
    return with_query(url, page_index=str(page), req_trace=req_trace)


def kuaixun_url(url: str, page: int) -> str:
    """Page ``page`` of the older rolling-news list (``..._<page>_.html``)."""
    parts = urlsplit(url)
    path = re.sub(r"_(\d+)_\.html$", f"_{page}_.html", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def share_url_for(host_url: str, info_code: str) -> str:
    parts = urlsplit(host_url)
    query = urlencode({"infoCode": info_code})
    return urlunsplit((parts.scheme, parts.netloc, SHARE_PATH, query, ""))
