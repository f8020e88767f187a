"""The paging record of a listing (crawler.listings): what a crawl may call paged past."""

from __future__ import annotations

from crawler.listings import ListingCovered, ListingTracker

LISTING = "fastnews:102"


def read(tracker: ListingTracker, ids: set[str], *, next_page: bool, paging_on: bool):
    tracker.page_arrived(LISTING, 200, next_page)
    return tracker.page_read(LISTING, ids, paging_on=paging_on, stopped_here=False)


def test_a_page_is_covered_once_the_page_after_it_was_read() -> None:
    tracker = ListingTracker()
    assert read(tracker, {"a", "b"}, next_page=False, paging_on=True) is None
    assert read(tracker, {"c"}, next_page=True, paging_on=True) is None
    # The page after the last answers 404: the last page was paged past too.
    assert tracker.page_arrived(LISTING, 404, True) == ListingCovered(LISTING, ("a", "b", "c"))


def test_an_empty_next_page_ends_the_listing_without_covering_the_page_before() -> None:
    tracker = ListingTracker()
    read(tracker, {"a", "b"}, next_page=False, paging_on=True)
    read(tracker, {"c"}, next_page=True, paging_on=True)
    # An empty page may be the end or a broken template: "c" is not proven paged past.
    assert read(tracker, set(), next_page=True, paging_on=False) == ListingCovered(
        LISTING, ("a", "b")
    )


def test_a_failed_next_page_covers_nothing() -> None:
    tracker = ListingTracker()
    read(tracker, {"a"}, next_page=False, paging_on=True)
    read(tracker, {"b"}, next_page=True, paging_on=True)
    assert tracker.page_arrived(LISTING, 500, True) is None
    assert read(tracker, {"z"}, next_page=False, paging_on=False) is None
