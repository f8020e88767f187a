"""Articles as the store receives them, and what saving a batch of them does to the store.

Pure data and rules, no SQL: :func:`plan_save` decides, from a batch and the stored state of
its ids, which articles are new, seen again or revised, and returns the rows to write.
``storage.store`` reads that state and writes the plan in one transaction.

The row types are plain dataclasses, not frozen ones: one is built for every article of
every batch, and a frozen one costs about three times as much to build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from storage.times import more_precise


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    kind: str  # "media" or "column"


@dataclass
class ArticleRecord:
    """One article as the store receives it."""

    id: str
    title: str
    published: str | None  # ISO 8601 with +08:00; None when no time could be read
    body_html: str = ""
    body_text: str = ""
    url: str | None = None
    share_url: str | None = None
    media: str | None = None
    summary: str | None = None
    categories: list[Category] = field(default_factory=list)
    # When this copy was seen, if not the batch's clock (an imported post: its own date).
    seen_at: str | None = None

    def content_hash(self) -> str:
        """What counts as a change of content: title, time, media and the words of the body.

        The same article reaches finews as an article page and as a content API answer, whose
        markup differs (stock charts, wrappers) while the article does not; so the body counts
        by its text, and the time to the minute (pages show minutes, the API seconds).
        """
        body = " ".join(self.body_text.split()) if self.body_text else self.body_html
        digest = hashlib.sha256()
        for part in (self.title, (self.published or "")[:16], self.media or "", body):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()


@dataclass
class StoredArticle:
    """What the store holds of an article that a new copy of it is compared with."""

    id: str
    title: str
    url: str | None
    share_url: str | None
    media: str | None
    published: str
    summary: str | None
    body_html: str
    content_hash: str
    last_seen: str


@dataclass
class NewArticle:
    """A row of ``articles`` for an id the store has not seen."""

    id: str
    title: str
    url: str | None
    share_url: str | None
    media: str | None
    published: str  # the copy's time, or when it was seen when it has none
    summary: str | None
    body_html: str
    body_text: str
    content_hash: str
    first_seen: str
    last_seen: str


@dataclass
class SeenAgain:
    """A stored article whose content stays: ``last_seen`` moves, gaps are filled.

    ``url``, ``share_url`` and ``summary`` are the stored values, or the copy's where the
    stored row has none. ``published`` is set only when the copy gives the stored minute its
    seconds (None: the stored time stays).
    """

    id: str
    last_seen: str
    url: str | None
    share_url: str | None
    summary: str | None
    published: str | None = None


@dataclass
class Revision:
    """A row of ``article_revisions``: the version a revised article replaces."""

    article_id: str
    title: str
    media: str | None
    published: str
    summary: str | None
    body_html: str
    content_hash: str
    replaced: str


@dataclass
class RevisedArticle:
    """New content for a stored article; ``revision`` keeps the version it replaces."""

    id: str
    title: str
    url: str | None
    share_url: str | None
    media: str | None
    published: str  # the copy's time, or the stored one when it has none
    summary: str | None
    body_html: str
    body_text: str
    content_hash: str
    last_seen: str
    updated: str
    revision: Revision


@dataclass
class SavePlan:
    """What saving one batch writes, each list in the batch's order of first appearance."""

    new: list[NewArticle] = field(default_factory=list)
    seen_again: list[SeenAgain] = field(default_factory=list)
    revised: list[RevisedArticle] = field(default_factory=list)
    # Every (article id, category) the batch's copies name, for new and stored articles.
    memberships: list[tuple[str, Category]] = field(default_factory=list)

    def retimed(self) -> list[str]:
        """Ids of stored articles whose time gains its seconds (not a revision)."""
        return [article.id for article in self.seen_again if article.published]

    def changed_categories(self) -> set[str]:
        """Slugs the batch names for its new, revised and retimed articles (their feeds
        change)."""
        changed = {article.id for article in self.new} | {a.id for a in self.revised}
        changed.update(self.retimed())
        return {category.slug for aid, category in self.memberships if aid in changed}


def merge_copies(records: Sequence[ArticleRecord]) -> dict[str, ArticleRecord]:
    """One record per id, in order of first appearance, as if the copies came one by one.

    The last copy wins; earlier copies fill in what it lacks, and the categories of every
    copy are kept.
    """
    latest: dict[str, ArticleRecord] = {}
    for record in records:
        earlier = latest.get(record.id)
        if earlier is not None:
            categories = {c.slug: c for c in (*earlier.categories, *record.categories)}
            record = replace(
                record,
                url=record.url or earlier.url,
                share_url=record.share_url or earlier.share_url,
                media=record.media or earlier.media,
                summary=record.summary or earlier.summary,
                # The time with seconds wins over the same minute without them.
                published=more_precise(record.published, earlier.published),
                categories=list(categories.values()),
            )
        latest[record.id] = record
    return latest


def plan_save(
    records: Sequence[ArticleRecord], stored: Mapping[str, StoredArticle], seen_at: str
) -> SavePlan:
    """Decide what saving ``records`` does, given the ``stored`` state of their ids.

    ``seen_at`` is the crawl's clock (ISO, +08:00); a record's own ``seen_at`` overrides it.
    An id not in ``stored`` is new. A stored article is revised when its content hash
    differs, unless the copy has no body while the stored one has, or the copy is older than
    the stored ``last_seen``: such copies, like identical ones, only fill gaps.
    """
    latest = merge_copies(records)
    plan = SavePlan(
        memberships=[
            (aid, category) for aid, record in latest.items() for category in record.categories
        ]
    )
    for article_id, record in latest.items():
        digest = record.content_hash()
        seen = record.seen_at or seen_at
        old = stored.get(article_id)
        if old is None:
            plan.new.append(
                NewArticle(
                    id=article_id,
                    title=record.title,
                    url=record.url,
                    share_url=record.share_url,
                    media=record.media,
                    published=record.published or seen,
                    summary=record.summary,
                    body_html=record.body_html,
                    body_text=record.body_text,
                    content_hash=digest,
                    first_seen=seen,
                    last_seen=seen,
                )
            )
        elif (
            old.content_hash == digest
            or (not record.body_html and old.body_html)
            or seen < old.last_seen
        ):
            # An identical copy, a body-less copy of a full article, or a copy older than
            # what is stored (an old post imported after crawling): it may fill gaps but
            # never replaces newer content. Seconds for the stored minute are such a gap.
            published = more_precise(old.published, record.published)
            plan.seen_again.append(
                SeenAgain(
                    id=article_id,
                    last_seen=max(old.last_seen, seen),
                    url=old.url if old.url is not None else record.url,
                    share_url=old.share_url if old.share_url is not None else record.share_url,
                    summary=old.summary or record.summary,
                    published=published if published != old.published else None,
                )
            )
        else:
            plan.revised.append(
                RevisedArticle(
                    id=article_id,
                    title=record.title,
                    url=record.url if record.url is not None else old.url,
                    share_url=record.share_url if record.share_url is not None else old.share_url,
                    media=record.media if record.media is not None else old.media,
                    published=more_precise(record.published, old.published),
                    summary=record.summary or old.summary,
                    body_html=record.body_html,
                    body_text=record.body_text,
                    content_hash=digest,
                    last_seen=seen,  # never older than the stored one: that is a gap-fill
                    updated=seen,
                    revision=Revision(
                        article_id=article_id,
                        title=old.title,
                        media=old.media,
                        published=old.published,
                        summary=old.summary,
                        body_html=old.body_html,
                        content_hash=old.content_hash,
                        replaced=seen,
                    ),
                )
            )
    return plan
