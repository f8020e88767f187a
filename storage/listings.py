"""What completed crawls of a listing covered (``listing_coverage``, migration 5).

A listing is a stream of articles paged newest first: a column's list pages, a news API's
pages. Its key names it (``column:cywjh``). An article is covered by a listing once a crawl
that ended normally paged past the page listing it, so everything older was reached too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from storage.store import Store


def covered_ids(store: Store, listing: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` the listing ``listing`` covers."""
    rows = store.conn.execute(
        "SELECT article_id FROM listing_coverage WHERE listing = ?"
        " AND article_id IN (SELECT value FROM json_each(?))",
        (listing, json.dumps(sorted(set(ids)))),
    )
    return {row[0] for row in rows}


def add_coverage(store: Store, listing: str, ids: Iterable[str], run_id: int) -> None:
    """Record that run ``run_id`` paged past ``ids`` of ``listing``."""
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO listing_coverage (listing, article_id, run_id) VALUES (?, ?, ?)"
            " ON CONFLICT (listing, article_id) DO UPDATE SET run_id = excluded.run_id",
            [(listing, article_id, run_id) for article_id in sorted(set(ids))],
        )
