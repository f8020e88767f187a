"""Read queries for publishing feeds.

Every query reads the ``article_categories_history`` index (category, published, article_id,
content_hash) or a primary key, so a category's feed costs its ``limit`` and its history the
category's index entries, never a scan of the store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import NamedTuple

from storage.store import Store, in_chunks


@dataclass(frozen=True)
class ArticleRow:
    """An article as the feed queries return it."""

    id: str
    title: str
    url: str | None
    share_url: str | None
    media: str | None
    published: str  # YYYY-MM-DDTHH:MM:SS+08:00
    updated: str | None
    summary: str | None
    body_html: str
    body_text: str


ARTICLE_COLUMNS = tuple(column.name for column in fields(ArticleRow))
_SELECT = ", ".join(f"a.{name}" for name in ARTICLE_COLUMNS)


@dataclass(frozen=True)
class CategoryRow:
    slug: str
    name: str
    kind: str
    revision: int


class CategoryLabel(NamedTuple):
    """A category an article is in, as a feed entry names it."""

    slug: str
    name: str


def categories(store: Store) -> list[CategoryRow]:
    """Every category with its revision, ordered by kind then slug."""
    rows = store.db.query("SELECT slug, name, kind, revision FROM categories ORDER BY kind, slug")
    return [CategoryRow(**row) for row in rows]


def newest_in_category(store: Store, slug: str, limit: int) -> list[ArticleRow]:
    """The category's newest ``limit`` articles, newest first (ties: higher id first)."""
    cursor = store.conn.execute(
        f"SELECT {_SELECT} FROM article_categories AS ac JOIN articles AS a ON a.id = ac.article_id"
        " WHERE ac.category = ? ORDER BY ac.published DESC, ac.article_id DESC LIMIT ?",
        (slug, limit),
    )
    return [ArticleRow(*row) for row in cursor]


def newest_overall(store: Store, limit: int) -> list[ArticleRow]:
    """The newest ``limit`` articles that belong to at least one category, newest first."""
    cursor = store.conn.execute(
        f"SELECT {_SELECT} FROM articles AS a"
        " WHERE EXISTS (SELECT 1 FROM article_categories WHERE article_id = a.id)"
        " ORDER BY a.published DESC, a.id DESC LIMIT ?",
        (limit,),
    )
    return [ArticleRow(*row) for row in cursor]


def category_history(store: Store, slug: str) -> Iterator[tuple[str, str]]:
    """``(article_id, content_hash)`` of every article of the category, oldest first, streamed.

    Archive pages are cut from this order, so they do not move when newer articles arrive.
    The pairs stay plain tuples: their one reader fingerprints them whole, and a named tuple
    per row would add a quarter of a second to a first build of 1,000,000 articles.
    """
    # Read from the covering index article_categories_history alone: its cost is the
    # category's size in index entries, never a visit to the (large) articles table.
    cursor = store.conn.execute(
        "SELECT article_id, content_hash FROM article_categories"
        " WHERE category = ? ORDER BY published ASC, article_id ASC",
        (slug,),
    )
    yield from cursor


def articles_by_ids(store: Store, ids: Sequence[str]) -> list[ArticleRow]:
    """The articles with these ids, in the order of ``ids`` (missing ones left out)."""
    found: dict[str, ArticleRow] = {}
    for chunk in in_chunks(ids):
        marks = ",".join("?" * len(chunk))
        cursor = store.conn.execute(
            f"SELECT {_SELECT} FROM articles AS a WHERE a.id IN ({marks})", chunk
        )
        for row in cursor:
            found[row[0]] = ArticleRow(*row)
    return [found[article_id] for article_id in ids if article_id in found]


def memberships(store: Store, ids: Sequence[str]) -> dict[str, list[CategoryLabel]]:
    """For each article id, its categories, ordered by slug."""
    found: dict[str, list[CategoryLabel]] = defaultdict(list)
    for chunk in in_chunks(ids):
        marks = ",".join("?" * len(chunk))
        cursor = store.conn.execute(
            "SELECT ac.article_id, c.slug, c.name FROM article_categories AS ac"
            f" JOIN categories AS c ON c.slug = ac.category WHERE ac.article_id IN ({marks})"
            " ORDER BY ac.article_id, c.slug",
            chunk,
        )
        for article_id, slug, name in cursor:
            found[article_id].append(CategoryLabel(slug, name))
    return dict(found)
