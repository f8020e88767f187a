"""RSS 2.0 documents through feedgen.

Every date is set from the entries (feedgen would otherwise write the clock into
``lastBuildDate``), entries are appended (feedgen prepends by default), and the channel's
``<link>`` is the last link given to feedgen, so the home page goes last. RSS ``author``
needs an e-mail address; the media name goes to ``dc:creator`` instead.

Readers render ``description`` as HTML: the summary, plain text, goes there escaped
(``text_as_html``); the sanitized body is ``content:encoded``. Titles are plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from feedgen.feed import FeedGenerator

from feeds.render.model import FeedEntry, FeedInfo
from feeds.render.sanitize import text_as_html
from feeds.render.xml import declared

DOCS = "https://www.rssboard.org/rss-specification"


def rss_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """An RSS 2.0 document of ``entries`` in the order given (newest first)."""
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.title(info.title)
    fg.description(info.description)
    fg.language(info.language.lower())
    fg.link(href=info.self_url, rel="self", type="application/rss+xml")  # atom:link
    fg.link(href=info.home_url, rel="alternate")  # the channel <link>: the last one
    if entries:
        fg.pubDate(max(entry.published for entry in entries))
        fg.lastBuildDate(max(entry.updated for entry in entries))
    else:
        fg.lastBuildDate(info.empty_updated)
    fg.generator("finews")
    fg.docs(DOCS)
    for entry in entries:
        item = fg.add_entry(order="append")
        item.title(entry.title)
        if entry.link:
            item.link(href=entry.link)
        item.description(text_as_html(entry.summary or entry.title))
        if entry.content_html:
            item.content(entry.content_html)  # content:encoded
        if entry.author:
            item.dc.dc_creator(entry.author)
        if entry.categories:
            item.category([{"term": slug, "label": name} for slug, name in entry.categories])
        item.guid(entry.guid, permalink=False)
        item.pubDate(entry.published)
    return declared(fg.rss_str(pretty=True, xml_declaration=False))
