"""Reads for ``finews export jekyll``: every article with its categories, streamed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from storage.store import Category, Store

_COLUMNS = (
    "id",
    "title",
    "published",
    "body_html",
    "body_text",
    "summary",
    "url",
    "share_url",
    "media",
)


def iter_export_articles(
    store: Store, *, categories: Sequence[str] | None = None, since: str | None = None
) -> Iterator[dict[str, Any]]:
    """Articles in id order, each a dict of its columns plus ``categories``: list[Category].

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
    current: dict[str, Any] | None = None
    width = len(_COLUMNS)
    try:
        for row in cursor:
            if current is None or current["id"] != row[0]:
                if current is not None:
                    yield current
                current = dict(zip(_COLUMNS, row[:width], strict=True))
                current["categories"] = []
            current["categories"].append(Category(row[width], row[width + 1], row[width + 2]))
        if current is not None:
            yield current
    finally:
        cursor.close()
