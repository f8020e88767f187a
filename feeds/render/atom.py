"""Atom 1.0 (RFC 4287) documents through feedgen, with RFC 5005 archive pages.

Every date is set from the entries (feedgen would otherwise write the clock), entries are
appended (feedgen prepends by default) and the generator carries no version, so the same
entries give the same bytes in every build.
"""

from __future__ import annotations

from collections.abc import Sequence

from feedgen.feed import FeedGenerator

from feeds.render.history import mark_archive
from feeds.render.model import FeedEntry, FeedInfo, feed_updated, unique_updated
from feeds.render.xml import declared

ATOM_TYPE = "application/atom+xml"


def atom_feed(info: FeedInfo, entries: Sequence[FeedEntry], *, archive: bool = False) -> bytes:
    """An Atom document of ``entries`` in the order given (newest first).

    ``archive`` marks an RFC 5005 archive page: it carries ``fh:archive`` and a ``current``
    link to ``info.current_url``. Its ``next-archive`` link names the next page's fixed URL
    even before that page fills up, so a page never changes when newer pages appear.
    """
    entries = unique_updated(entries)
    fg = FeedGenerator()
    fg.id(info.feed_id)
    fg.title(info.title)
    fg.subtitle(info.description)
    fg.language(info.language)  # xml:lang
    fg.updated(feed_updated(info, entries))
    fg.link(href=info.self_url, rel="self", type=ATOM_TYPE)
    fg.link(href=info.home_url, rel="alternate", type="text/html")
    if archive and info.current_url:
        fg.link(href=info.current_url, rel="current", type=ATOM_TYPE)
    if info.prev_archive:
        fg.link(href=info.prev_archive, rel="prev-archive", type=ATOM_TYPE)
    if archive and info.next_archive:
        fg.link(href=info.next_archive, rel="next-archive", type=ATOM_TYPE)
    if archive:
        mark_archive(fg)
    fg.author(name="finews", uri=info.home_url)
    fg.generator("finews")
    for entry in entries:
        _entry(fg, entry)
    return declared(fg.atom_str(pretty=True, xml_declaration=False))


def _entry(fg: FeedGenerator, entry: FeedEntry) -> None:
    item = fg.add_entry(order="append")
    item.id(entry.guid)
    item.title(entry.title)
    item.updated(entry.updated)
    item.published(entry.published)
    if entry.author:
        item.author(name=entry.author)
    if entry.link:
        item.link(href=entry.link, rel="alternate", type="text/html")
    if entry.categories:
        item.category([{"term": slug, "label": name} for slug, name in entry.categories])
    if entry.summary:
        item.summary(entry.summary, type="text")
    # Atom requires content or an alternate link; an empty body still gets its content
    # element, the summary as plain text: only sanitized body HTML is ever markup.
    if entry.content_html:
        item.content(entry.content_html, type="html")
    else:
        item.content(entry.summary or entry.title, type="text")
