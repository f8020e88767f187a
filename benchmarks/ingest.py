"""Ingest: ``Store.save_articles`` in batches of 200 against one plain ``executemany``.

Both sides write the same articles (about 2 KB of HTML each, with one media and one column
category) into a fresh store of the real schema (``Store.open``). The store layer computes
content hashes, looks up existing rows, merges duplicates and bumps category revisions, one
transaction per batch; the baseline inserts the finished rows (articles, categories,
memberships) in one transaction and does nothing else.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.feedbuild import article_row, category_slug, insert_plain
from storage import ArticleRecord, Category, Store

BATCH = 200
SEEN = "2026-03-01T12:00:00+08:00"
COLUMNS = 6


def _records(count: int, categories: int) -> list[ArticleRecord]:
    records = []
    for index in range(count):
        row = article_row(index, categories)
        records.append(
            ArticleRecord(
                id=row[0],
                title=row[1],
                url=row[2],
                media=row[4],
                published=row[5],
                summary=row[6],
                body_html=row[7],
                body_text=row[8],
                categories=[
                    Category(category_slug(index % categories), row[4] or "", "media"),
                    Category(f"col{index % COLUMNS}", f"栏目{index % COLUMNS}", "column"),
                ],
            )
        )
    return records


def measure_ingest(count: int, categories: int = 200) -> dict[str, float]:
    """Articles/s of ``save_articles`` and rows/s of plain ``executemany``, same rows."""
    records = _records(count, categories)
    with tempfile.TemporaryDirectory(prefix="finews-ingest-") as tmp:
        with Store.open(Path(tmp) / "store.db") as store:
            started = time.perf_counter()
            for start in range(0, count, BATCH):
                store.save_articles(records[start : start + BATCH], SEEN)
            store_seconds = time.perf_counter() - started
            assert store.counts()["articles"] == count

        rows = [
            (
                r.id, r.title, r.url, r.share_url, r.media, r.published, r.summary, r.body_html,
                r.body_text, r.content_hash(), SEEN, SEEN,
            )
            for r in records
        ]  # fmt: skip
        category_rows = sorted({(c.slug, c.name, c.kind) for r in records for c in r.categories})
        memberships = [
            (r.id, c.slug, r.published, r.content_hash()) for r in records for c in r.categories
        ]
        with Store.open(Path(tmp) / "plain.db") as plain:
            conn = plain.conn
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO categories (slug, name, kind) VALUES (?, ?, ?)", category_rows
            )
            insert_plain(conn, rows, memberships)
            conn.execute("COMMIT")
            plain_seconds = time.perf_counter() - started
    return {
        "articles": count,
        "store_per_s": count / store_seconds,
        "plain_per_s": count / plain_seconds,
        "ratio": plain_seconds / store_seconds,
    }
