"""RFC 5005 (Feed Paging and Archiving) as a feedgen extension: the ``fh:archive`` marker.

The paging links (``current``, ``prev-archive``, ``next-archive``) are registered link
relations that feedgen's own ``link()`` accepts; only the marker needs an extension.
RFC 5005 defines nothing for entries, so the extension has no entry part.
"""

from __future__ import annotations

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

HISTORY = "http://purl.org/syndication/history/1.0"


class ArchiveExtension(BaseExtension):
    """Marks an Atom document as an archive page: ``<fh:archive/>`` after the feed's elements."""

    def extend_ns(self) -> dict[str, str]:
        return {"fh": HISTORY}

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        etree.SubElement(feed, f"{{{HISTORY}}}archive")
        return feed


def mark_archive(fg: FeedGenerator) -> None:
    """Make ``fg``'s Atom document an RFC 5005 archive page (Atom only; RSS is left alone)."""
    fg.register_extension("history", ArchiveExtension, None, atom=True, rss=False)
