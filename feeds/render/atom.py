"""Atom 1.0 (RFC 4287) documents, with RFC 5005 archive links.

Written with lxml rather than feedgen: feedgen cannot emit the RFC 5005 ``fh:archive``
marker that archive pages need, and building the tree ourselves keeps every byte under our
control (no clock-derived defaults, no generator version in the output).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from feeds.render.model import FeedEntry, FeedInfo, feed_updated, rfc3339, unique_updated
from feeds.render.xml import sub, to_bytes

ATOM = "http://www.w3.org/2005/Atom"
HISTORY = "http://purl.org/syndication/history/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM_TYPE = "application/atom+xml"


def atom_feed(info: FeedInfo, entries: Sequence[FeedEntry], *, archive: bool = False) -> bytes:
    """An Atom document of ``entries`` in the order given (newest first).

    ``archive`` marks an RFC 5005 archive page: it carries ``fh:archive`` and a ``current``
    link to ``info.current_url``. Its ``next-archive`` link names the next page's fixed URL
    even before that page fills up, so a page never changes when newer pages appear.
    """
    entries = unique_updated(entries)
    nsmap = {None: ATOM, "fh": HISTORY} if archive else {None: ATOM}
    root = etree.Element(f"{{{ATOM}}}feed", nsmap=nsmap)
    root.set(XML_LANG, info.language)
    a = f"{{{ATOM}}}"
    sub(root, a + "id", info.feed_id)
    sub(root, a + "title", info.title, type="text")
    sub(root, a + "subtitle", info.description, type="text")
    sub(root, a + "updated", rfc3339(feed_updated(info, entries)))
    sub(root, a + "link", rel="self", type=ATOM_TYPE, href=info.self_url)
    sub(root, a + "link", rel="alternate", type="text/html", href=info.home_url)
    if archive and info.current_url:
        sub(root, a + "link", rel="current", type=ATOM_TYPE, href=info.current_url)
    if info.prev_archive:
        sub(root, a + "link", rel="prev-archive", type=ATOM_TYPE, href=info.prev_archive)
    if archive and info.next_archive:
        sub(root, a + "link", rel="next-archive", type=ATOM_TYPE, href=info.next_archive)
    if archive:
        sub(root, f"{{{HISTORY}}}archive")
    author = sub(root, a + "author")
    sub(author, a + "name", "finews")
    sub(author, a + "uri", info.home_url)
    sub(root, a + "generator", "finews")
    for entry in entries:
        _entry(root, entry)
    return to_bytes(root)


def _entry(root: etree._Element, entry: FeedEntry) -> None:
    a = f"{{{ATOM}}}"
    node = sub(root, a + "entry")
    sub(node, a + "id", entry.guid)
    sub(node, a + "title", entry.title, type="text")
    sub(node, a + "updated", rfc3339(entry.updated))
    sub(node, a + "published", rfc3339(entry.published))
    if entry.author:
        author = sub(node, a + "author")
        sub(author, a + "name", entry.author)
    if entry.link:
        sub(node, a + "link", rel="alternate", type="text/html", href=entry.link)
    for slug, name in entry.categories:
        sub(node, a + "category", term=slug, label=name)
    if entry.summary:
        sub(node, a + "summary", entry.summary, type="text")
    # Atom requires content or an alternate link; an empty body still gets its content element.
    sub(node, a + "content", entry.content_html or entry.summary, type="html")
