"""Paging a listing so that an interrupted or shallower crawl never leaves a gap.

A listing (a column's list pages, a news API's pages; the spider names it in
``meta["finews_list"]``) is paged newest first. Stopping at a page whose articles are all
stored is right only when an earlier crawl paged past that page: otherwise the earlier crawl
may have stopped there (killed, Ctrl-C, a lower ``--depth``) and what follows was never read.
So each crawl records, per listing, the articles on the pages it paged past, and a later
crawl stops only at a page whose articles are all stored *and* all covered that way.

A page is paged past when the crawl fetched the page after it, or learned that it was the
last (the next page answered 404). A chain of pages that broke (a page failed, the crawl was
interrupted) covers nothing; the store pipeline writes the coverage of a crawl only when the
crawl finished normally, after its articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ListingCovered:
    """Emitted when a crawl has paged a listing to its end: these articles are covered."""

    listing: str
    article_ids: tuple[str, ...]


@dataclass
class _Chain:
    passed: set[str] = field(default_factory=set)
    last_page: set[str] = field(default_factory=set)  # fetched, not yet paged past
    waiting: bool = False  # a request for the next page is out


class ListingTracker:
    """Follows each listing's pages through one crawl; see the module docstring."""

    def __init__(self) -> None:
        self.chains: dict[str, _Chain] = {}

    def page_arrived(self, listing: str, status: int, next_page: bool) -> ListingCovered | None:
        """Any answer for a page of ``listing``; ``next_page`` if it was asked for as the page
        after one already read. A 200 answer is then read (:meth:`page_read`).

        A 404 for a next page ends the listing: the page before it was the last, and the
        coverage is returned. Any other error breaks the chain: nothing of it is covered.
        """
        if not next_page:
            self.chains[listing] = _Chain()  # a listing (re)started: only pages paged past count
            return None
        chain = self.chains.get(listing)
        if chain is None or not chain.waiting or status == 200:
            return None
        if status == 404:
            chain.passed |= chain.last_page
            return self._end(listing)
        del self.chains[listing]
        return None

    def page_read(
        self, listing: str, article_ids: set[str], *, paging_on: bool, stopped_here: bool
    ) -> ListingCovered | None:
        """The articles a page of ``listing`` (answered 200) lists, and what the crawl does
        next: ``paging_on`` (the next page is requested), ``stopped_here`` (paging stops
        because this page is covered already, so it counts as paged past), or neither (the
        crawl's depth ends the listing here, and this page is not paged past).
        """
        chain = self.chains.setdefault(listing, _Chain())
        if chain.waiting:
            chain.waiting = False
            if not article_ids:
                # A next page that lists nothing proves nothing about the one before it (an
                # end, or a template that broke), but the pages before that were paged past:
                # as when the crawl's depth ends a listing.
                return self._end(listing)
            chain.passed |= chain.last_page
        if paging_on:
            chain.last_page = set(article_ids)
            chain.waiting = True
            return None
        if stopped_here:
            chain.passed |= article_ids
        return self._end(listing)

    def _end(self, listing: str) -> ListingCovered | None:
        chain = self.chains.pop(listing)
        if not chain.passed:
            return None
        return ListingCovered(listing, tuple(sorted(chain.passed)))
