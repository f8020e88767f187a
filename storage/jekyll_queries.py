"""Reads for ``finews export jekyll``: every article with its categories, streamed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from storage.records import Category
from storage.store import Store


@dataclass
class ExportArticle:
    """An article as the export reads it: its columns and every category it is in."""

    id: str
    title: str
    published: str  # YYYY-MM-DDTHH:MM:SS+08:00
    body_html: str
    body_text: str
    summary: str | None
    url: str | None
    share_url: str | None
    media: str | None
    categories: list[Category] = field(default_factory=list)  # ordered by slug


_COLUMNS = tuple(column.name for column in fields(ExportArticle) if column.name != "categories")


def iter_export_articles(
    store: Store, *, categories: Sequence[str] | None = None, since: str | None = None
) -> Iterator[ExportArticle]:
    """Every article with its categories (:class:`ExportArticle`), in id order.

    ``categories`` keeps articles that are in at least one of those slugs (the article still
    lists all its categories); ``since`` (ISO, +08:00) keeps articles published at or after
    it. Rows come from one cursor, one article at a time, never all at once.
    """
    where = ["1 = 1"]
    params: list[Any] = []
    if since is not None:
        # Every stored time has the same +08:00 form, so text order is time order.
        where.append("a.published >= ?")
        params.append(since)
    if categories is not None:
        slugs = sorted(set(categories))
        if not slugs:
            return
        marks = ",".join("?" * len(slugs))
        where.append(
            f"a.id IN (SELECT article_id FROM article_categories WHERE category IN ({marks}))"
        )
        params.extend(slugs)
    columns = ", ".join(f"a.{name}" for name in _COLUMNS)
    # The primary keys give this order without a sort, so rows stream as they are read.
    cursor = store.conn.execute(
        f"SELECT {columns}, c.slug, c.name, c.kind FROM articles a"
        " JOIN article_categories ac ON ac.article_id = a.id"
        " JOIN categories c ON c.slug = ac.category"
        f" WHERE {' AND '.join(where)}"
        " ORDER BY a.id, ac.category",
        params,
    )
    current: ExportArticle | None = None
    width = len(_COLUMNS)
    try:
        for row in cursor:
            if current is None or current.id != row[0]:
                if current is not None:
                    yield current
                current = ExportArticle(*row[:width])
            current.categories.append(Category(*row[width:]))
        if current is not None:
            yield current
    finally:
        cursor.close()
