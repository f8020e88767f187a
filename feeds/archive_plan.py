"""Which archive pages of a category a build keeps and which it writes: a pure plan.

A category's history, oldest first, is cut into full pages of ``limit`` articles (RFC 5005
archives; page 1 is the oldest). The newest articles, fewer than a page, are only in the
subscription document. A page's fingerprint covers its number, the feed's title and the ids
and content hashes of its articles: it changes when one of those articles is revised (or the
category is renamed), never when newer articles arrive, so a full page is written once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass

FINGERPRINT_LENGTH = 20  # hex digits kept of a page's SHA-256


@dataclass(frozen=True)
class ArchivePage:
    """One full archive page: its number (1 = oldest), fingerprint and articles."""

    number: int
    fingerprint: str
    article_ids: tuple[str, ...]  # oldest first


@dataclass(frozen=True)
class ArchivePlan:
    """A category's archive pages and what one build does with them."""

    pages: tuple[ArchivePage, ...]  # every full page, oldest first
    kept: frozenset[int]  # pages whose file already holds this fingerprint
    write: tuple[ArchivePage, ...]  # pages this build (re)writes, newest first
    pending: tuple[int, ...]  # pages owed but left to later builds by the budget, newest first
    articles: int  # articles in the history, full pages and the rest

    def state(self) -> list[str | None]:
        """Each page's fingerprint once it is on disk, None while it is still owed."""
        done = self.kept | {page.number for page in self.write}
        return [page.fingerprint if page.number in done else None for page in self.pages]

    @property
    def newest_page(self) -> int | None:
        """The newest page on disk after this build: where the feed's prev-archive points."""
        done = self.kept | {page.number for page in self.write}
        return max(done, default=None)


def _fingerprint(number: int, title: str, entries: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256(f"{number}\0{title}".encode())
    for entry in entries:
        digest.update("\0".join(entry).encode("utf-8") + b"\n")
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def _full_pages(
    history: Iterable[tuple[str, str]], limit: int, title: str
) -> tuple[int, list[ArchivePage]]:
    pages: list[ArchivePage] = []
    batch: list[tuple[str, str]] = []
    count = 0
    for entry in history:
        count += 1
        batch.append(entry)
        if len(batch) == limit:
            number = len(pages) + 1
            fingerprint = _fingerprint(number, title, batch)
            pages.append(ArchivePage(number, fingerprint, tuple(aid for aid, _ in batch)))
            batch = []
    return count, pages


def plan_archive(
    history: Iterable[tuple[str, str]],
    limit: int,
    title: str,
    previous: Sequence[str | None],
    on_disk: Container[int],
    budget: int | None,
) -> ArchivePlan:
    """Plan a category's archive pages for one build.

    ``history`` is ``(article_id, content_hash)`` of every article of the category, oldest
    first; ``limit`` the page size; ``title`` the feed's title (part of every fingerprint).
    ``previous`` holds the fingerprints the last build recorded (None: a page it still owed)
    and ``on_disk`` the numbers of the page files that exist. A page is kept when both say it
    is current; every other page is owed. ``budget`` is how many pages this build may still
    write (None: no limit): owed pages are written newest first, so under a budget the chain
    a reader follows back from the feed stays whole, and the rest are ``pending``.
    """
    count, pages = _full_pages(history, limit, title)
    kept = frozenset(
        page.number
        for page in pages
        if page.number <= len(previous)
        and previous[page.number - 1] == page.fingerprint
        and page.number in on_disk
    )
    owed = [page for page in reversed(pages) if page.number not in kept]
    allowed = len(owed) if budget is None else min(budget, len(owed))
    return ArchivePlan(
        pages=tuple(pages),
        kept=kept,
        write=tuple(owed[:allowed]),
        pending=tuple(page.number for page in owed[allowed:]),
        articles=count,
    )
