"""Deterministic generator of sites in the shapes of the source site (SOURCE.md §2, §4).

A ``SiteSpec`` describes a site's columns, articles and API streams (the rolling news, the
older rolling-news list, the column API); ``build_site(spec, root)`` writes its list pages,
article pages (with their continuation pages), share page, API answers, ``robots.txt``,
``_headers.json`` and the truth file ``site.json`` that tests and the demo read to know what a
crawl must find.
The same spec always gives the same bytes, so no generated site is kept anywhere: the demo
(``finews.demo.demo_data``) and the test fixture site are built from their specs when needed,
``temporary_site(spec)`` for the length of a ``with`` block.

This module knows no particular site: specs import it, never the other way round.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import struct
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from finews.demo import pages
from storage.times import CHINA_TZ

TRUTH_FILE = "site.json"
TRUTH_SCHEMA = 2
HREF_STYLES = ("abs", "rel", "bare", "news")
LAYOUTS = ("new", "old", "2026")
STREAM_KINDS = ("fastnews", "kuaixun", "colapi")
ENCODINGS = ("utf-8", "gbk-header", "gbk-meta")
API_OPTIONAL = ("text", "content", "Date")


@dataclass(frozen=True)
class Listing:
    """An article's item on a column's list pages, and how its link is written there.

    ``href``: ``abs`` ``/a/X.html``, ``rel`` ``./X.html``, ``bare`` ``X.html``,
    ``news`` ``/news/<news_column>,X.html``.
    """

    column: str
    href: str = "abs"


@dataclass(frozen=True, kw_only=True)
class ArticleSpec:
    """One article of a synthetic site. ``published`` is naive China time, whole minutes."""

    title: str
    media: str
    published: datetime | None
    summary: str
    paragraphs: tuple[str, ...]
    code: str = ""  # 18 (or 17) digits; derived from the date and title when empty
    listings: tuple[Listing, ...] = ()
    layout: str = "new"  # layout of /a/X.html: "new", "old" or "2026"
    parts: int = 1  # pages of the article: /a/X.html, then /a/X_2.html, ...
    api_seconds: int = 0  # the APIs give its time to the second: published + these seconds
    news_column: int | None = None  # also served as /news/<n>,X.html (old layout)
    title_pad: tuple[str, str] = ("", "")  # whitespace around the title in list <a>, h1, API
    encoding: str = "utf-8"  # of /a/X.html: "utf-8", "gbk-header", "gbk-meta"
    media_markup: str = ""  # the closing source line, may hold auto-links; default: media
    stock_chart: str | None = None  # quote id like "0.002752": K-line block atop the body
    hidden_p: bool = False
    author: tuple[str, ...] = ()
    api_omit: tuple[str, ...] = ()  # of "text", "content", "Date"
    broken: bool = False  # /a/X.html is a 200 page without h1 and #ContentBody
    private: bool = False  # its article page is disallowed by robots.txt; no API answer
    notes: tuple[str, ...] = ()  # extra quirk flags for site.json

    @property
    def resolved_code(self) -> str:
        return self.code or article_code(self.published, self.title)

    @property
    def source_markup(self) -> str:
        return self.media_markup or self.media


@dataclass(frozen=True)
class ColumnSpec:
    """A column: ``/<folder>/<slug>.html``, ``..._2.html``; ``style`` ``classic`` (the list
    id ``newsListContent``, year-less times, a pager with the next page only) or ``2026`` (a
    bare ``ul`` of ``li#newsTrN``, times with the year, the summary cut short in ``p.info``
    and whole in its title, a pager naming every page)."""

    slug: str
    name: str
    pages: int = 2
    folder: str = "a"
    style: str = "classic"


@dataclass(frozen=True, kw_only=True)
class RecordSpec:
    """A record of an API stream (SOURCE.md §4): about ``article`` (its page is on the site),
    or about an article whose page the site does not have (``code``, ``when``,
    ``stored_title``: what a crawl must store from the record alone).

    ``title`` and ``summary`` default to the article's title and ``【title】summary``;
    ``link`` names the field that gives the page's (relative) URL: ``url_w``, ``uniqueUrl``,
    ``url``, or ``""`` for a record that gives only its code.
    """

    article: ArticleSpec | None = None
    code: str = ""
    when: datetime | None = None  # naive China time, to the second
    seconds: int = 0  # with an article: its minute, to this second
    title: str | None = None
    summary: str | None = None
    link: str = ""
    media: str = ""
    stored_title: str = ""
    stored_summary: str | None = None  # default: the summary less a head repeating the title

    @property
    def resolved_code(self) -> str:
        return self.article.resolved_code if self.article else self.code

    @property
    def resolved_when(self) -> datetime:
        if self.when is not None:
            return self.when
        assert self.article is not None and self.article.published is not None
        return self.article.published + timedelta(seconds=self.seconds)

    @property
    def resolved_title(self) -> str:
        if self.title is not None:
            return self.title
        return self.article.title if self.article else ""

    @property
    def resolved_summary(self) -> str:
        if self.summary is not None:
            return self.summary
        assert self.article is not None
        return f"【{self.article.title}】{self.article.summary}"


@dataclass(frozen=True)
class StreamSpec:
    """An API stream: the rolling news (``fastnews``, paged by cursor), the older rolling-news
    list (``kuaixun``) or a column API (``colapi``); records newest first, ``pages`` pages."""

    kind: str
    column: str
    records: tuple[RecordSpec, ...]
    pages: int = 2


@dataclass(frozen=True, kw_only=True)
class SiteSpec:
    name: str
    now: datetime  # the crawl clock list-page times assume; aware
    columns: tuple[ColumnSpec, ...]
    articles: tuple[ArticleSpec, ...]
    readme: str
    disallow: tuple[str, ...] = ()  # robots.txt rules besides the private articles' pages
    empty_api_ids: tuple[str, ...] = ()  # infoCodes answered by an all-empty API record
    streams: tuple[StreamSpec, ...] = ()


def china_time(text: str) -> datetime:
    """``"2022-12-31 22:15"`` as a naive China-time datetime (for writing specs)."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def article_code(day: date | datetime | None, salt: str) -> str:
    """An 18-digit article code: ``YYYYMMDD`` + 10 digits derived from ``salt``."""
    if day is None:
        raise ValueError("an article without a date needs an explicit code")
    digits = int.from_bytes(hashlib.sha256(salt.encode("utf-8")).digest()[:8], "big")
    # Real codes' tails are a running number around 2.2e9; keep that look.
    return f"{day:%Y%m%d}2{digits % 10**9:09d}"


def article_path(code: str) -> str:
    return f"/a/{code}.html"


def news_path(news_column: int, code: str) -> str:
    return f"/news/{news_column},{code}.html"


def share_target(info_code: str) -> str:
    return f"{pages.SHARE_PATH}?infoCode={info_code}"


def api_target(info_code: str) -> str:
    return f"{pages.API_PATH}?id={info_code}"


def list_page_path(slug: str, number: int, folder: str = "a") -> str:
    name = f"{slug}.html" if number == 1 else f"{slug}_{number}.html"
    return f"/{folder}/{name}"


def article_part_path(code: str, part: int) -> str:
    return article_path(code) if part == 1 else f"/a/{code}_{part}.html"


def _iso(when: datetime) -> str:
    return when.replace(tzinfo=CHINA_TZ).isoformat()


def _tiny_png() -> bytes:
    """A valid 1x1 grey PNG, built here so no binary blob lives in the source."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80", 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _marker_args(article: ArticleSpec, kind: str) -> list[str]:
    return [arg for p in article.paragraphs for k, arg in pages.markers(p) if k == kind]


def _validate(spec: SiteSpec) -> None:
    if spec.now.utcoffset() != timedelta(hours=8):
        raise ValueError("SiteSpec.now must carry the +08:00 offset")
    columns = {c.slug: c for c in spec.columns}
    slugs = set(columns)
    for c in spec.columns:
        if c.folder not in ("a", "news") or c.style not in ("classic", "2026"):
            raise ValueError(f"column {c.slug}: unknown folder or style")
    codes: set[str] = set()
    now = spec.now.replace(tzinfo=None)
    for a in spec.articles:
        code = a.resolved_code
        where = f"article {code} {a.title!r}"
        if len(code) not in (17, 18) or not code.isascii() or not code.isdigit() or code in codes:
            raise ValueError(f"{where}: code must be 17 or 18 digits and unique")
        codes.add(code)
        if a.published and code[:8] != f"{a.published:%Y%m%d}":
            raise ValueError(f"{where}: code must start with the publication date")
        if a.title != a.title.strip() or a.title_pad[0].strip() or a.title_pad[1].strip():
            raise ValueError(f"{where}: title must be trimmed, title_pad whitespace only")
        if pages.markup_text(a.source_markup) != a.media:
            raise ValueError(f"{where}: media_markup must read as media")
        if a.layout not in LAYOUTS or a.encoding not in ENCODINGS:
            raise ValueError(f"{where}: unknown layout or encoding")
        if a.parts > 1 and (len(a.paragraphs) < a.parts or a.news_column or a.broken or a.private):
            raise ValueError(f"{where}: a long article needs a paragraph a page, on /a/ only")
        if not 0 <= a.api_seconds < 60:
            raise ValueError(f"{where}: api_seconds is a second of the minute")
        if not set(a.api_omit) <= set(API_OPTIONAL):
            raise ValueError(f"{where}: api_omit may only name {API_OPTIONAL}")
        if a.published is None and "Date" not in a.api_omit:
            raise ValueError(f"{where}: an undated article's API record has no Date")
        if a.published and a.published.second:
            # Pages show minutes only; whole minutes keep every source of the time in agreement.
            raise ValueError(f"{where}: published must be whole minutes")
        for listing in a.listings:
            if listing.column not in slugs or listing.href not in HREF_STYLES:
                raise ValueError(f"{where}: bad listing {listing}")
            if listing.href == "news" and a.news_column is None:
                raise ValueError(f"{where}: a news href needs news_column")
            if listing.href in ("rel", "bare") and columns[listing.column].folder != "a":
                raise ValueError(f"{where}: a relative href under /news/ is no article URL")
            # A list time has no year; it is only readable within the year before `now`.
            if a.published is None or not now - timedelta(days=360) < a.published <= now:
                raise ValueError(f"{where}: listed articles need a date within a year of now")
        if a.private and (not a.listings or a.broken or a.news_column):
            raise ValueError(f"{where}: a private article is a plain listed page")
    _validate_streams(spec, codes)


def _validate_streams(spec: SiteSpec, codes: set[str]) -> None:
    known = {a.resolved_code for a in spec.articles}
    for stream in spec.streams:
        where = f"stream {stream.kind}:{stream.column}"
        if stream.kind not in STREAM_KINDS or not stream.column.isdigit():
            raise ValueError(f"{where}: unknown kind, or a column that is no number")
        if len(stream.records) < stream.pages:
            raise ValueError(f"{where}: too few records for {stream.pages} pages")
        times = [record.resolved_when for record in stream.records]
        if times != sorted(times, reverse=True):
            raise ValueError(f"{where}: records go newest first")
        for record in stream.records:
            code = record.resolved_code
            if record.article is not None and code not in known:
                raise ValueError(f"{where}: record {code}: its article is not on the site")
            if record.article is None and (code in codes or record.when is None):
                raise ValueError(f"{where}: record {code}: a page-less record needs a new code")
            if record.article is None and not record.stored_title:
                raise ValueError(f"{where}: record {code}: say the title a crawl must store")
            if record.link not in ("", "url_w", "uniqueUrl", "url"):
                raise ValueError(f"{where}: record {code}: unknown link field")


def _quirks(a: ArticleSpec, now: datetime, columns: list[str]) -> list[str]:
    flags = set(a.notes)
    checks = {
        "title-whitespace": a.title_pad != ("", ""),
        "title-escapes": any(c in a.title for c in "&<>\"'"),
        "title-emoji": any(ord(c) > 0xFFFF for c in a.title),
        "undated": a.published is None,
        "previous-year": a.published is not None and a.published.year < now.year,
        "unlisted": not a.listings,
        "multi-column": len(columns) > 1,
        "news-url": a.news_column is not None,
        "relative-href": any(x.href in ("rel", "bare") for x in a.listings),
        "old-layout": a.layout == "old",
        "source-autolink": a.source_markup != a.media,
        "autolinks": any(_marker_args(a, k) for k in ("stock", "bk", "info", "key")),
        "stock-chart": a.stock_chart is not None,
        "hidden-p": a.hidden_p,
        "relative-img": bool(_marker_args(a, "img")),
        "relative-link": bool(_marker_args(a, "link")),
        "broken": a.broken,
        a.encoding: a.encoding != "utf-8",
        "layout-2026": a.layout == "2026",
        "continued": a.parts > 1,
        "17-digit-code": len(a.resolved_code) == 17,
        "api-seconds": a.api_seconds != 0,
    }
    flags.update(name for name, on in checks.items() if on)
    flags.update(f"api-no-{k.lower()}" for k in a.api_omit)
    return sorted(flags)


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.headers: dict[str, dict[str, str]] = {}

    def write(self, url_path: str, data: str | bytes, content_type: str | None = None) -> None:
        rel = url_path.lstrip("/")
        target = self.root / rel
        if target.exists():
            raise ValueError(f"two things want {url_path}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if content_type:
            self.headers[rel] = {"Content-Type": content_type}


def _prepare_root(root: Path) -> None:
    # Only a folder this builder made (it has site.json) may be wiped before a rebuild.
    if root.exists() and any(root.iterdir()):
        if not (root / TRUTH_FILE).is_file():
            raise FileExistsError(f"{root} is not empty and holds no {TRUTH_FILE}; not touching it")
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)


def _href(a: ArticleSpec, style: str) -> str:
    code = a.resolved_code
    if a.private:
        return article_path(code)
    return {
        "abs": article_path(code),
        "rel": f"./{code}.html",
        "bare": f"{code}.html",
        "news": news_path(a.news_column or 0, code),
    }[style]


def _column_pages(spec: SiteSpec, column: ColumnSpec) -> list[list[tuple[ArticleSpec, Listing]]]:
    entries = [(a, x) for a in spec.articles for x in a.listings if x.column == column.slug]
    # Newest first, as real list pages are; the code breaks ties deterministically.
    entries.sort(key=lambda e: (e[0].published, e[0].resolved_code.rjust(18)), reverse=True)
    size = math.ceil(len(entries) / column.pages) if entries else 0
    chunks = [entries[i * size : (i + 1) * size] for i in range(column.pages)]
    if not all(chunks):
        raise ValueError(f"column {column.slug}: too few articles for {column.pages} pages")
    return chunks


def _part_paragraphs(a: ArticleSpec) -> list[tuple[str, ...]]:
    """``a``'s paragraphs page by page (as even as can be, the first pages the longer)."""
    size, extra = divmod(len(a.paragraphs), a.parts)
    chunks, start = [], 0
    for part in range(a.parts):
        end = start + size + (part < extra)
        chunks.append(a.paragraphs[start:end])
        start = end
    return chunks


def article_page(
    a: ArticleSpec, layout: str | None = None, meta_charset: str | None = "utf-8", part: int = 1
) -> str:
    """The HTML of page ``part`` of ``a``'s article page, in ``layout`` (default: the
    article's own). A long article's pages carry a pager naming all of them."""
    if a.broken:
        return pages.render_broken_page()
    chunks = _part_paragraphs(a)
    body = pages.render_body(
        chunks[part - 1],
        a.source_markup,
        hidden_p=a.hidden_p and part == 1,
        stock_chart=a.stock_chart if part == 1 else None,
        source_line=part == len(chunks),
    )
    code = a.resolved_code
    hrefs = [f"./{article_part_path(code, n).rsplit('/', 1)[1]}" for n in range(1, a.parts + 1)]
    return pages.render_article_page(
        layout=layout or a.layout,
        title=a.title,
        media=a.media,
        published=a.published,
        summary=a.summary,
        body_html=body,
        title_pad=a.title_pad,
        meta_charset=meta_charset,
        pager=pages.render_pager(hrefs, part),
    )


def api_record(a: ArticleSpec) -> dict[str, Any]:
    """``a``'s content-API record (render it with ``pages.render_api_record``)."""
    # The API's bodies are unindented and unseparated, as in the reference posts.
    text = pages.render_body(
        a.paragraphs, a.source_markup, autolinks=False, indent=False, hidden_p=a.hidden_p, sep=""
    )
    content = pages.render_body(
        a.paragraphs,
        a.source_markup,
        indent=False,
        hidden_p=a.hidden_p,
        stock_chart=a.stock_chart,
        sep="",
    )
    record: dict[str, Any] = {
        "Id": "NW" + a.resolved_code,
        "Title": a.title_pad[0] + a.title + a.title_pad[1],
        "Date": pages.format_api_time(api_time(a)) if a.published else None,
        "medianame": a.media,
        "From": a.media,
        "Author": list(a.author),
        "url": pages.ARTICLE_URL.format(code=a.resolved_code),
        "text": text,
        "content": content,
    }
    for key in a.api_omit:
        del record[key]
    return record


def api_time(a: ArticleSpec) -> datetime:
    """``a``'s time as the APIs give it: its minute, to the second."""
    assert a.published is not None
    return a.published + timedelta(seconds=a.api_seconds)


def list_item(a: ArticleSpec, href: str, *, image: bool, style: str = "classic") -> pages.ListItem:
    """``a``'s item on a column list page, linking to ``href``, with or without its image."""
    assert a.published is not None
    modern = style == "2026"
    return pages.ListItem(
        href=href,
        title=a.title,
        summary=a.summary,
        time=(pages.format_list_time_2026 if modern else pages.format_list_time)(a.published),
        image_code=a.resolved_code if image else None,
        title_pad=a.title_pad,
        cut_info=modern,
    )


def _paragraph_texts(a: ArticleSpec) -> list[str]:
    texts = (pages.markup_text(p) for p in a.paragraphs)
    return [t for t in texts if t]


def build_site(spec: SiteSpec, root: Path) -> dict[str, Any]:
    """Write the site described by ``spec`` into ``root`` (replacing an earlier build there)
    and return the truth that was written to ``root/site.json``."""
    _validate(spec)
    root = Path(root)
    _prepare_root(root)
    out = _Writer(root)
    now = spec.now.replace(tzinfo=None)

    listed: dict[str, list[dict[str, str]]] = {a.resolved_code: [] for a in spec.articles}
    columns_truth = []
    for column in spec.columns:
        chunks = _column_pages(spec, column)
        paths = [list_page_path(column.slug, n, column.folder) for n in range(1, len(chunks) + 1)]
        for number, (path, chunk) in enumerate(zip(paths, chunks, strict=True), start=1):
            items = []
            for index, (a, listing) in enumerate(chunk):
                # Every third item has the optional image block.
                href = _href(a, listing.href)
                item = list_item(a, href, image=index % 3 == 0, style=column.style)
                listed[a.resolved_code].append({"page": path, "href": item.href, "time": item.time})
                items.append(item)
            if column.style == "2026":
                out.write(path, pages.render_list_page_2026(column.name, items, paths, number))
                continue
            has_next = number < len(chunks)
            next_href = f"{column.slug}_{number + 1}.html" if has_next else None
            out.write(path, pages.render_list_page(column.name, items, next_href))
        columns_truth.append(
            {"slug": column.slug, "name": column.name, "pages": paths, "style": column.style}
        )

    articles_truth = []
    disallowed_truth = []
    for a in spec.articles:
        code = a.resolved_code
        info_code = "NW" + code
        if a.private:
            out.write(article_path(code), article_page(a))
            disallowed_truth.append(
                {"id": info_code, "code": code, "path": article_path(code), "listed": listed[code]}
            )
            continue
        parts = [article_part_path(code, n) for n in range(2, a.parts + 1)]
        if a.encoding == "utf-8":
            out.write(article_path(code), article_page(a))
            for number, path in enumerate(parts, start=2):
                out.write(path, article_page(a, part=number))
        else:
            # Real GBK bytes; strict, so a character GBK lacks fails the build here.
            header = a.encoding == "gbk-header"
            page = article_page(a, meta_charset=None if header else "gbk").encode("gbk")
            content_type = "text/html; charset=gbk" if header else "text/html"
            out.write(article_path(code), page, content_type)
        urls = [article_path(code)]
        if a.news_column is not None:
            urls.append(news_path(a.news_column, code))
            out.write(urls[-1], article_page(a, "old"))
        urls.append(share_target(info_code))
        out.write(
            "/" + pages.api_file(info_code),
            pages.render_api_record(api_record(a)),
        )
        for src in _marker_args(a, "img"):
            if src.startswith("/") and not (root / src.lstrip("/")).exists():
                out.write(src, _tiny_png())
        columns = [c.slug for c in spec.columns if any(x.column == c.slug for x in a.listings)]
        articles_truth.append(
            {
                "id": info_code,
                "code": code,
                "title": a.title,
                "media": a.media,
                "published": _iso(a.published) if a.published else None,
                # As the content API gives it (the rolling news and column API too).
                "api_published": _iso(api_time(a)) if a.published else None,
                "columns": columns,
                "summary": a.summary,
                "paragraphs": _paragraph_texts(a),
                "urls": urls,
                "parts": parts,  # continuation pages, in order
                "api": api_target(info_code),
                "listed": listed[code],
                "layout": a.layout,
                "encoding": a.encoding,
                "broken": a.broken,
                "api_missing": list(a.api_omit),
                "quirks": _quirks(a, now, columns),
            }
        )

    for info_code in spec.empty_api_ids:
        empty = {"Id": info_code, "Title": "", "Date": "", "medianame": "", "From": ""}
        empty |= {"Author": [], "url": "", "text": "", "content": ""}
        out.write("/" + pages.api_file(info_code), pages.render_api_record(empty))

    streams_truth = [_write_stream(out, stream) for stream in spec.streams]
    out.write(pages.SHARE_PATH, pages.render_share_page())
    # A private article is linked like any other, so only robots.txt keeps a crawler out.
    rules = [*spec.disallow, *(rule["path"] for rule in disallowed_truth)]
    disallow_lines = "".join(f"Disallow: {p}\n" for p in rules) or "Disallow:\n"
    out.write("/robots.txt", "User-agent: *\n" + disallow_lines)
    if out.headers:
        out.write("/_headers.json", _dump_json(dict(sorted(out.headers.items()))))
    truth: dict[str, Any] = {
        "schema": TRUTH_SCHEMA,
        "name": spec.name,
        "now": spec.now.isoformat(),
        "robots_disallow": rules,
        "columns": columns_truth,
        "streams": streams_truth,
        "articles": articles_truth,
        "disallowed": disallowed_truth,
        "empty_api": [api_target(i) for i in spec.empty_api_ids],
    }
    out.write("/README.md", spec.readme)
    out.write("/" + TRUTH_FILE, _dump_json(truth))
    return truth


STREAM_PAGE_SIZE = {"fastnews": 50, "kuaixun": 50, "colapi": 20}


def stream_start(stream: StreamSpec) -> str:
    """The path and query a crawl of ``stream`` starts from (as a user would give it)."""
    size = STREAM_PAGE_SIZE[stream.kind]
    if stream.kind == "fastnews":
        query = f"client=web&biz=web_724&fastColumn={stream.column}&pageSize={size}"
        return f"{pages.FAST_NEWS_PATH}?{query}"
    if stream.kind == "kuaixun":
        return kuaixun_path(stream.column, 1)
    query = f"client=web&biz=web_news_col&column={stream.column}&order=1&needInteractData=0"
    return f"{pages.COLUMN_API_PATH}?{query}&page_index=1&page_size={size}"


def kuaixun_path(column: str, page: int) -> str:
    return f"/kuaixun/v1/getlist_{column}_ajaxResult_50_{page}_.html"


def _record_page(record: RecordSpec) -> str:
    return article_path(record.resolved_code)


def _record_json(stream: StreamSpec, record: RecordSpec, sort: str) -> dict[str, Any]:
    when = pages.format_api_time(record.resolved_when)
    code, title, summary = record.resolved_code, record.resolved_title, record.resolved_summary
    link = {record.link: _record_page(record)} if record.link else {}
    if stream.kind == "fastnews":
        return {
            "code": code, "title": title, "summary": summary, "showTime": when,
            "realSort": sort, "stockList": [], "image": [], "pinglun_Num": 0, "share": 0,
            "titleColor": 0, **link,
        }  # fmt: skip
    if stream.kind == "kuaixun":
        return {
            "id": code, "newsid": code, "title": title, "digest": summary, "showtime": when,
            "column": f"100,{stream.column}", **link,
        }  # fmt: skip
    return {
        "code": code, "showTime": when, "title": title, "mediaName": record.media,
        "summary": summary, "image": "", **link,
    }  # fmt: skip


def _stored_summary(record: RecordSpec) -> str:
    """The record's summary as a crawl keeps it: less its ``【…】`` head when the head is the
    title (the record's, or the head itself standing in for an empty one)."""
    if record.stored_summary is not None:
        return record.stored_summary
    summary = record.resolved_summary
    if summary.startswith("【") and "】" in summary:
        head, rest = summary[1:].split("】", 1)
        if head == (record.resolved_title or head):
            return rest
    return summary


def _write_stream(out: _Writer, stream: StreamSpec) -> dict[str, Any]:
    """Write ``stream``'s pages (and the empty page past its end); return its truth."""
    size = math.ceil(len(stream.records) / stream.pages)
    # realSort: newest highest, unique; a page's sortEnd is its last record's.
    count = len(stream.records)
    sorts = [
        f"{record.resolved_when:%Y%m%d%H%M%S}{count - index:04d}"
        for index, record in enumerate(stream.records)
    ]
    chunks = [range(i * size, min((i + 1) * size, count)) for i in range(stream.pages)]
    cursor = ""
    for number, chunk in enumerate([*chunks, range(0)], start=1):
        records = [_record_json(stream, stream.records[i], sorts[i]) for i in chunk]
        if stream.kind == "fastnews":
            last = sorts[chunk[-1]] if chunk else ""
            out.write("/" + pages.fast_news_file(cursor), pages.render_fast_news(records, last))
            cursor = last
        elif stream.kind == "kuaixun":
            out.write(kuaixun_path(stream.column, number), pages.render_kuaixun(records))
        else:
            path = "/" + pages.column_api_file(stream.column, number)
            out.write(path, pages.render_column_api(records))
    return {
        "kind": stream.kind,
        "column": stream.column,
        "start": stream_start(stream),
        "pages": stream.pages,
        "records": [
            {
                "id": "NW" + record.resolved_code,
                "code": record.resolved_code,
                "time": _iso(record.resolved_when),
                "page": _record_page(record),
                "page_served": record.article is not None,
                "named_page": bool(record.link),
                "record_title": record.resolved_title,
                "title": record.article.title if record.article else record.stored_title,
                "summary": _stored_summary(record),
                "media": record.media or None,
                "on_page": number,
            }
            for number, chunk in enumerate(chunks, start=1)
            for record in (stream.records[i] for i in chunk)
        ],
    }


def _dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def load_truth(root: Path) -> dict[str, Any]:
    """Read ``site.json`` of a built site folder."""
    return json.loads((Path(root) / TRUTH_FILE).read_text("utf-8"))


@contextmanager
def temporary_site(spec: SiteSpec) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Build ``spec`` into a temporary folder; yield the folder and its truth, then remove it."""
    with tempfile.TemporaryDirectory(prefix="finews-site-") as folder:
        root = Path(folder) / "site"
        truth = build_site(spec, root)
        yield root, truth


def build_command(spec: SiteSpec, prog: str, argv: Sequence[str] | None = None) -> int:
    """The ``python -m`` entry of a spec module: build ``spec`` into the folder given."""
    parser = argparse.ArgumentParser(prog=prog, description=f"Write the {spec.name}.")
    parser.add_argument("folder", type=Path, help="where to write it (replaces an earlier build)")
    args = parser.parse_args(argv)
    truth = build_site(spec, args.folder)
    print(f"wrote {args.folder}: {len(truth['articles'])} articles", flush=True)
    return 0
