"""A column's list page (``/a/<column>.html``, ``/news/<column>_N.html``): its articles and
its next page (SOURCE.md §2, §4).

Every selector is a first choice with fallbacks, because "the list page changes often":
items are ``#newsListContent > li``, else ``li[id^=newsTr]`` (the 2026 page has no list id),
else every link on the page whose URL is an article page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from parsel import Selector

from crawler.parsing.content import clean_title, page_title
from crawler.parsing.urls import UnknownPageError, classify


@dataclass(frozen=True)
class ListEntry:
    """One article as a list page shows it."""

    url: str  # the article page, absolute
    code: str
    title: str
    summary: str | None
    time: str | None  # as the page writes it: "02月07日 09:09" or "2026年08月17日 20:16"


@dataclass(frozen=True)
class ListPage:
    column_name: str | None  # from the page's <title>
    entries: tuple[ListEntry, ...]
    found_by: str  # "newsListContent", "newsTr", "links": which selector found the entries
    pager: bool  # the page links to other pages of its column
    next_url: str | None  # the pager's link to the next page, if it has one


def parse_list_page(doc: Selector, url: str, column: str, page: int) -> ListPage:
    """Read the list page ``url``, page ``page`` of ``column``."""
    items = doc.css("#newsListContent > li")
    found_by = "newsListContent"
    if not items:
        items, found_by = doc.css("li[id^=newsTr]"), "newsTr"
    if items:
        entries = [entry for item in items if (entry := _item_entry(item, url))]
    else:
        found_by = "links"
        entries = _linked_articles(doc, url)
    first_copies: dict[str, ListEntry] = {}
    for entry in entries:
        first_copies.setdefault(entry.code, entry)
    pager, next_url = _pager(doc, url, column, page)
    return ListPage(
        column_name=_column_name(doc),
        entries=tuple(first_copies.values()),
        found_by=found_by,
        pager=pager,
        next_url=next_url,
    )


def _item_entry(item: Selector, base: str) -> ListEntry | None:
    text = item.css("div.text") or item
    # The title link first, then any other link of the item to an article.
    anchor, target = _first_article_link(text.css("p.title a[href]"), base)
    if target is None:
        anchor, target = _first_article_link(item.css("a[href]"), base)
    if anchor is None or target is None:
        return None
    url, code = target
    title = _text(anchor) or _title_of_link(item, url, base)
    paragraphs = text.css("p")
    info = text.css("p.info")
    # p.info shows the summary cut short with "..."; its title attribute has all of it.
    summary = clean_title(info.attrib.get("title")) if info else ""
    summary = summary or _text(info) or _text(paragraphs[1:2])
    time = _text(text.css("p.time")) or _text(paragraphs[2:3])
    return ListEntry(url, code, title, summary or None, time or None)


def _first_article_link(
    anchors: list[Selector], base: str
) -> tuple[Selector | None, tuple[str, str] | None]:
    for anchor in anchors:
        target = _article_url(anchor.attrib.get("href", ""), base)
        if target is not None:
            return anchor, target
    return None, None


def _title_of_link(item: Selector, url: str, base: str) -> str:
    """The text of another link of the item to the same article (the image link has none)."""
    for anchor in item.css("a[href]"):
        target = _article_url(anchor.attrib.get("href", ""), base)
        if target and target[0] == url and (text := _text(anchor)):
            return text
    return ""


def _linked_articles(doc: Selector, base: str) -> list[ListEntry]:
    titles: dict[str, str] = {}
    found: list[tuple[str, str]] = []
    for anchor in doc.css("a[href]"):
        target = _article_url(anchor.attrib.get("href", ""), base)
        if target is None:
            continue
        if target[1] not in titles:
            found.append(target)
            titles[target[1]] = ""
        titles[target[1]] = titles[target[1]] or _text(anchor)
    return [ListEntry(url, code, titles[code], None, None) for url, code in found]


def _article_url(href: str, base: str) -> tuple[str, str] | None:
    """The absolute URL and code of a link to an article's first page; None otherwise."""
    href = href.strip()
    if not href or href.startswith(("javascript:", "#")):
        return None
    url = urljoin(base, href)
    try:
        target = classify(url)
    except UnknownPageError:
        return None
    if target.kind != "article" or target.page != 1 or not target.code:
        return None
    return url, target.code


def _pager(doc: Selector, base: str, column: str, page: int) -> tuple[bool, str | None]:
    """Whether the page has a pager (links to other pages of the column) and its next page."""
    pages: dict[int, str] = {}
    for href in doc.css("a::attr(href)").getall():
        href = href.strip()
        # A link to a page of the column names the column: skip the others unparsed.
        if column not in href or href.startswith(("javascript:", "#")):
            continue
        url = urljoin(base, href)
        try:
            target = classify(url)
        except UnknownPageError:
            continue
        if target.kind == "list" and target.column == column and target.page != page:
            pages.setdefault(target.page, url)
    return bool(pages), pages.get(page + 1)


def _column_name(doc: Selector) -> str | None:
    title = page_title(doc.css("title::text").get())
    # "国内经济_财经频道": the column's own name comes first.
    name = title.split("_")[0].strip()
    return name or None


def _text(nodes: Selector | list[Selector]) -> str:
    """The text of a node or nodes, on one line."""
    if isinstance(nodes, Selector):
        nodes = [nodes]
    return clean_title(" ".join(text for node in nodes for text in node.css("::text").getall()))
