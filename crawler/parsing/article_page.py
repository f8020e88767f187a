"""An article page (``/a/<code>.html``, ``/news/<col>,<code>.html`` and their continuation
pages ``<code>_N.html``): title, time, source, body and the pages it continues on
(SOURCE.md §2, §4).

The 2026 page has no ``<h1>``: the title is then read from ``<title>`` less the site's name,
never from elements of class ``title`` (side widgets have them). Time and source are in
``.tipbox .infos .item`` (2026), ``.infos .item`` or the older ``.time-source``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from parsel import Selector

from crawler.parsing.content import clean_title, inner_html_by_id, media_from_text, page_title
from crawler.parsing.urls import UnknownPageError, classify

_EDITOR_LINE = re.compile(r"<p\b[^>]*class=[\"']?res-edit\b[^>]*>.*?</p>\s*", re.S | re.I)
_INFO_ITEMS = (
    ".tipbox .infos .item, .infos .item, .time-source .time, .time-source .source,"
    " .Info .time, .Info .source"
)
# "2026年09月24日 11:42" or "2026-09-24 11:42:00".
_TIME = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月|\d{4}-\d{1,2}-\d{1,2}")
# Info items that are other fields than the source ("作者：", "评论 12", "阅读").
_OTHER_FIELD = re.compile(r"[:：]|评论|阅读|收藏|分享|举报|\d+\s*$")
_NEXT_PAGE = "下一页"


@dataclass(frozen=True)
class ArticlePage:
    """What one page of an article shows."""

    title: str  # "" when the page has none
    body_html: str | None  # the inner HTML of the body, as the page has it; None: no body
    published: str | None  # the time as the page writes it
    media: str | None
    summary: str | None  # the page's own abstract
    parts: tuple[str, ...] = ()  # URLs of the article's other pages the pager names, in order
    next_link: bool = False  # the page has a "下一页" (next page) link, readable or not
    numbers: tuple[int, ...] = field(default=(), compare=False)  # the numbers of ``parts``

    @property
    def missing(self) -> list[str]:
        """What an article page must have and this one lacks."""
        return [
            name for name, value in (("title", self.title), ("body", self.body_html)) if not value
        ]

    @property
    def gone(self) -> bool:
        """No title and no body at all: the site's "not found" page, not an article."""
        return not self.title and self.body_html is None

    def next_part(self, current: int) -> str | None:
        """The pager's URL of the first page after ``current``, if it names one."""
        return next(
            (url for n, url in zip(self.numbers, self.parts, strict=True) if n > current), None
        )


def parse_article_page(doc: Selector, text: str, url: str, code: str) -> ArticlePage:
    """Read one page of the article ``code``; ``text`` is the page's decoded HTML."""
    title = clean_title(" ".join(doc.css("h1 ::text").getall()))
    title = title or page_title(doc.css("title::text").get())
    info = [clean_title(" ".join(node.css("::text").getall())) for node in doc.css(_INFO_ITEMS)]
    published = next((line for line in info if _TIME.search(line)), None)
    media = _media(info, published) or media_from_text(
        " ".join(doc.css("p.em_media ::text").getall())
    )
    abstract = clean_title(" ".join(doc.css(".abstract .txt ::text").getall()))
    numbers, parts = _parts(doc, url, code)
    next_link = bool(doc.xpath(f'//a[contains(normalize-space(.), "{_NEXT_PAGE}")]'))
    return ArticlePage(
        title=title,
        body_html=_body(doc, text),
        published=published,
        media=media,
        summary=abstract or None,
        parts=parts,
        next_link=next_link,
        numbers=numbers,
    )


def _body(doc: Selector, text: str) -> str | None:
    body = inner_html_by_id(text, "ContentBody")
    if body is None:
        # Re-serialized by the parser, so kept for pages the exact reading misses.
        nodes = doc.css("#ContentBody, div.txtinfos, div.newsContent div.Body")[:1]
        body = "".join(nodes.xpath("node()").getall()) if nodes else None
    # The old layout's editor line is page furniture: the content API has no such line.
    return _EDITOR_LINE.sub("", body) if body is not None else None


def _media(info: list[str], published: str | None) -> str | None:
    """The source: the ``来源：…`` item, else (2026) the item after the time that is a bare
    name."""
    for line in info:
        if "来源" in line:
            return media_from_text(line)
    after_time = info[info.index(published) + 1 :] if published in info else info
    return next((line for line in after_time if line and not _OTHER_FIELD.search(line)), None)


def _parts(doc: Selector, url: str, code: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The article's continuation pages the page links to, in page order."""
    found: dict[int, str] = {}
    for href in doc.css("a::attr(href)").getall():
        href = href.strip()
        # A link to a page of the article names its code: skip the others unparsed.
        if code not in href or href.startswith(("javascript:", "#")):
            continue
        target_url = urljoin(url, href)
        try:
            target = classify(target_url)
        except UnknownPageError:
            continue
        if target.kind == "article" and target.code == code and target.page > 1:
            found.setdefault(target.page, target_url)
    numbers = tuple(sorted(found))
    return numbers, tuple(found[n] for n in numbers)
