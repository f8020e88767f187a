"""RSS 2.0 documents.

Written with lxml rather than feedgen: feedgen's RSS author needs an e-mail address (we have
a media name, which goes to ``dc:creator``), its lastBuildDate defaults to the clock, and
sharing the tree code with Atom keeps the bytes identical from build to build.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from feeds.render.model import FeedEntry, FeedInfo, rfc822
from feeds.render.xml import sub, to_bytes

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"


def rss_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """An RSS 2.0 document of ``entries`` in the order given (newest first)."""
    root = etree.Element("rss", nsmap={"atom": ATOM, "content": CONTENT, "dc": DC})
    root.set("version", "2.0")
    channel = sub(root, "channel")
    sub(channel, "title", info.title)
    sub(channel, "link", info.home_url)
    sub(channel, "description", info.description)
    sub(channel, "language", info.language.lower())
    if entries:
        # From the newest article, never the clock: the same store gives the same bytes.
        newest = max(entry.updated for entry in entries)
        sub(channel, "pubDate", rfc822(max(entry.published for entry in entries)))
        sub(channel, "lastBuildDate", rfc822(newest))
    sub(channel, "generator", "finews")
    sub(channel, "docs", "https://www.rssboard.org/rss-specification")
    sub(
        channel,
        f"{{{ATOM}}}link",
        href=info.self_url,
        rel="self",
        type="application/rss+xml",
    )
    for entry in entries:
        item = sub(channel, "item")
        sub(item, "title", entry.title)
        if entry.link:
            sub(item, "link", entry.link)
        sub(item, "description", entry.summary or entry.title)
        if entry.content_html:
            sub(item, f"{{{CONTENT}}}encoded", entry.content_html)
        if entry.author:
            sub(item, f"{{{DC}}}creator", entry.author)
        for _slug, name in entry.categories:
            sub(item, "category", name)
        sub(item, "guid", entry.guid, isPermaLink="false")
        sub(item, "pubDate", rfc822(entry.published))
    return to_bytes(root)
