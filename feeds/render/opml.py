"""OPML 2.0 subscription list: every category feed, to import into a reader in one step.

OPML lets an outline's ``text`` hold HTML, so names go there escaped (``text_as_html``);
``title`` is plain text.
"""

from __future__ import annotations

from lxml import etree

from feeds.render.model import SiteInfo, rfc822
from feeds.render.sanitize import text_as_html
from feeds.render.xml import sub, to_bytes

KIND_TITLES = {"media": "媒体", "column": "栏目", "search": "搜索"}


def opml_document(site: SiteInfo) -> bytes:
    """OPML listing the RSS feed of every category, grouped by kind (media, column)."""
    root = etree.Element("opml", version="2.0")
    head = sub(root, "head")
    sub(head, "title", site.title)
    newest = [link.newest for link in site.links if link.newest]
    if newest:
        sub(head, "dateModified", rfc822(max(newest)))
    body = sub(root, "body")
    everything = f"{site.title}（全部）"
    sub(
        body,
        "outline",
        type="rss",
        text=text_as_html(everything),
        title=everything,
        xmlUrl=site.all_rss_url,
        htmlUrl=site.base_url,
    )
    for kind, kind_title in KIND_TITLES.items():
        links = [link for link in site.links if link.kind == kind]
        if not links:
            continue
        group = sub(body, "outline", text=kind_title)
        for link in links:
            sub(
                group,
                "outline",
                type="rss",
                text=text_as_html(link.name),
                title=link.name,
                xmlUrl=link.rss_url,
                htmlUrl=link.home_url or site.base_url,
            )
    return to_bytes(root)
