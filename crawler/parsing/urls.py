"""Recognize a source page by its path and query, on any host (SOURCE.md §2)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

# ASCII: a bare \d also matches full-width and other Unicode digits, which would give an
# article a second, wrong id (NW２０２２… is not NW2022…).
_LIST = re.compile(r"^/a/([a-z][a-z0-9]*)(?:_(\d+))?\.html$", re.A)
_ARTICLE = re.compile(r"^/a/(\d{18})\.html$", re.A)
_OLD_ARTICLE = re.compile(r"^/news/(\d+),(\d{18})\.html$", re.A)
_INFO_CODE = re.compile(r"^NW(\d{18})$", re.I | re.A)
SHARE_PATH = "/html_News/NewsShare.html"
API_PATH = "/NewsData/GetNewsText.do"


class UnknownPageError(ValueError):
    """The URL is none of the page shapes finews knows."""


@dataclass(frozen=True)
class Page:
    kind: str  # "list", "article", "share" or "api"
    url: str
    column: str | None = None
    page: int = 1
    code: str | None = None  # the 18-digit article code

    @property
    def info_code(self) -> str | None:
        return f"NW{self.code}" if self.code else None


def classify(url: str) -> Page:
    """What kind of page ``url`` is; raises :class:`UnknownPageError` otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UnknownPageError(f"not an http(s) URL: {url!r}")
    path = parts.path
    if match := _ARTICLE.match(path):
        return Page("article", url, code=match.group(1))
    if match := _OLD_ARTICLE.match(path):
        return Page("article", url, column=match.group(1), code=match.group(2))
    if match := _LIST.match(path):
        return Page("list", url, column=match.group(1), page=int(match.group(2) or 1))
    query = {key.lower(): values for key, values in parse_qs(parts.query).items()}
    if path.lower() == SHARE_PATH.lower():
        code = _code_of(query.get("infocode"))
        if code:
            return Page("share", url, code=code)
    if path.lower() == API_PATH.lower():
        code = _code_of(query.get("id"))
        if code:
            return Page("api", url, code=code)
    raise UnknownPageError(
        f"not a column list, article page or share link: {url!r}"
        " (expected /a/<column>.html, /a/<18 digits>.html, /news/<col>,<18 digits>.html"
        " or /html_News/NewsShare.html?infoCode=NW...)"
    )


def _code_of(values: list[str] | None) -> str | None:
    if not values:
        return None
    match = _INFO_CODE.match(values[0].strip())
    return match.group(1) if match else None


def api_url(share_url: str, info_code: str) -> str:
    """The content API on the share link's own host."""
    parts = urlsplit(share_url)
    return urlunsplit((parts.scheme, parts.netloc, API_PATH, urlencode({"id": info_code}), ""))


def list_page_url(list_url: str, column: str, page: int) -> str:
    """Page ``page`` of a column: ``/a/<column>.html``, then ``/a/<column>_N.html``."""
    parts = urlsplit(list_url)
    name = f"{column}.html" if page == 1 else f"{column}_{page}.html"
    return urlunsplit((parts.scheme, parts.netloc, f"/a/{name}", "", ""))


def share_url_for(host_url: str, info_code: str) -> str:
    parts = urlsplit(host_url)
    query = urlencode({"infoCode": info_code})
    return urlunsplit((parts.scheme, parts.netloc, SHARE_PATH, query, ""))
