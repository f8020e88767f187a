"""plan_archive: a category's archive pages and what one build keeps, writes and leaves."""

from __future__ import annotations

from collections.abc import Collection

import pytest

from feeds.archive_plan import ArchivePlan, plan_archive

TITLE = "南昌日报新闻 · finews"


def history(count: int, revised: Collection[int] = ()) -> list[tuple[str, str]]:
    """``count`` articles, oldest first; those in ``revised`` with another content hash."""
    return [
        (f"NW2022020722675752{n:02d}", ("new-" if n in revised else "") + f"hash{n}")
        for n in range(1, count + 1)
    ]


def plan(
    entries: list[tuple[str, str]],
    previous: list[str | None] | None = None,
    on_disk: set[int] | None = None,
    budget: int | None = None,
    limit: int = 3,
    title: str = TITLE,
) -> ArchivePlan:
    previous = previous or []
    on_disk = set(range(1, len(previous) + 1)) if on_disk is None else on_disk
    return plan_archive(entries, limit, title, previous, on_disk, budget)


def fingerprints(result: ArchivePlan) -> list[str]:
    return [page.fingerprint for page in result.pages]


@pytest.mark.parametrize(
    ("count", "pages"),
    [(0, 0), (2, 0), (3, 1), (7, 2), (9, 3), (11, 3)],
)
def test_only_full_pages_are_archived(count: int, pages: int) -> None:
    result = plan(history(count))
    assert result.articles == count
    assert [page.number for page in result.pages] == list(range(1, pages + 1))
    ids = [article_id for article_id, _ in history(count)]
    for page in result.pages:
        start = (page.number - 1) * 3
        assert page.article_ids == tuple(ids[start : start + 3])  # oldest first, in order


def test_first_build_writes_every_page_newest_first() -> None:
    result = plan(history(11))
    assert [page.number for page in result.write] == [3, 2, 1]
    assert result.kept == frozenset() and result.pending == ()
    assert result.state() == fingerprints(result) and result.newest_page == 3


def test_newer_articles_leave_the_full_pages_alone() -> None:
    first = plan(history(7))
    later = plan(history(11), previous=first.state())
    assert fingerprints(later)[:2] == fingerprints(first)
    assert later.kept == {1, 2}
    assert [page.number for page in later.write] == [3]


def test_a_revised_article_changes_only_its_page() -> None:
    first = plan(history(9))
    revised = plan(history(9, revised={5}), previous=first.state())
    changed = [a != b for a, b in zip(fingerprints(first), fingerprints(revised), strict=True)]
    assert changed == [False, True, False]
    assert [page.number for page in revised.write] == [2] and revised.kept == {1, 3}


def test_a_renamed_category_rewrites_every_page() -> None:
    first = plan(history(9))
    renamed = plan(history(9), previous=first.state(), title="南昌日报（新名）新闻 · finews")
    assert not set(fingerprints(first)) & set(fingerprints(renamed))
    assert [page.number for page in renamed.write] == [3, 2, 1]


def test_a_page_missing_on_disk_or_still_owed_is_written_again() -> None:
    first = plan(history(9))
    state = first.state()
    missing = plan(history(9), previous=state, on_disk={1, 3})
    assert [page.number for page in missing.write] == [2]
    owed = plan(history(9), previous=[state[0], None, state[2]])
    assert [page.number for page in owed.write] == [2]


@pytest.mark.parametrize(
    ("budget", "written", "pending"),
    [
        (None, [5, 4, 3, 2, 1], []),
        (5, [5, 4, 3, 2, 1], []),
        (7, [5, 4, 3, 2, 1], []),
        (2, [5, 4], [3, 2, 1]),
        (1, [5], [4, 3, 2, 1]),
        (0, [], [5, 4, 3, 2, 1]),
    ],
)
def test_the_budget_writes_the_newest_pages_and_leaves_the_rest(
    budget: int | None, written: list[int], pending: list[int]
) -> None:
    result = plan(history(16), budget=budget)
    assert [page.number for page in result.write] == written
    assert list(result.pending) == pending
    # Pages left for later are recorded as owed, so the next build picks them up.
    assert [fp is None for fp in result.state()] == [n in pending for n in range(1, 6)]
    assert result.newest_page == (max(written) if written else None)


def test_later_builds_pick_up_pending_pages_newest_first() -> None:
    entries = history(16)
    state: list[str | None] = []
    on_disk: set[int] = set()
    order = []
    for _ in range(5):
        result = plan(entries, previous=state, on_disk=on_disk, budget=2)
        order.append([page.number for page in result.write])
        on_disk |= {page.number for page in result.write}
        state = result.state()
    assert order == [[5, 4], [3, 2], [1], [], []]
    assert state == fingerprints(result) and result.kept == {1, 2, 3, 4, 5}


def test_budget_is_spent_only_on_owed_pages() -> None:
    first = plan(history(9))
    grown = plan(history(15), previous=first.state(), budget=1)
    assert grown.kept == {1, 2, 3}
    assert [page.number for page in grown.write] == [5] and grown.pending == (4,)
    assert grown.newest_page == 5
