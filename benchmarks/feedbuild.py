"""Feed build benchmarks: a big store made fast, then ``build_feeds`` timed in a subprocess.

``make_store(path, articles, categories)`` writes a store through ``Store.open`` (so the schema
is the real, migrated one) and then plain ``executemany`` into ``articles``, ``categories`` and
``article_categories``: bodies of about 2 KB, each article in one media category, categories
filled round-robin, times one minute apart.

``python -m benchmarks.feedbuild --db DB --out DIR [--limit 50]`` runs one build and prints one
JSON line: seconds, peak RSS of the process (MB), and the build's counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.memory import peak_rss_mb
from storage import ArticleRecord, Category, Store

START = datetime(2020, 1, 1, 0, 0)
_PARAGRAPH = (
    "<p>第{n}号文章。今日沪深两市震荡走高，成交量较前一交易日明显放大，北向资金净流入，"
    "市场人士认为资金面边际改善，结构性行情有望延续，投资者宜关注业绩确定性较高的细分领域。</p>"
)
_TEXT = (
    "第{n}号文章。今日沪深两市震荡走高，成交量较前一交易日明显放大，北向资金净流入，"
    "市场人士认为资金面边际改善，结构性行情有望延续，投资者宜关注业绩确定性较高的细分领域。"
)
CHUNK = 20_000


def category_slug(number: int) -> str:
    return f"meiti{number:04d}"


def _published(index: int) -> str:
    return (START + timedelta(minutes=index)).strftime("%Y-%m-%dT%H:%M:%S+08:00")


def _article_id(index: int) -> str:
    when = START + timedelta(minutes=index)
    return f"NW{when:%Y%m%d}{index:010d}"


def article_row(index: int, categories: int) -> tuple[str, ...]:
    """One ``articles`` row: about 2 KB of HTML and 1 KB of text."""
    article_id = _article_id(index)
    body_html = "\n".join(_PARAGRAPH.format(n=f"{index}-{k}") for k in range(7))
    body_text = "\n".join(_TEXT.format(n=f"{index}-{k}") for k in range(4))
    published = _published(index)
    digest = hashlib.sha256(body_html.encode()).hexdigest()
    media = f"媒体{index % categories}"
    return (
        article_id,
        f"第{index}号文章：{media}报道市场走势",
        f"http://finance.eastmoney.com/a/{article_id[2:]}.html",
        None,
        media,
        published,
        f"第{index}号文章的摘要",
        body_html,
        body_text,
        digest,
        published,
        published,
    )


def make_store(path: Path, articles: int, categories: int) -> None:
    """A store of ``articles`` articles in ``categories`` media categories, quickly."""
    Store.open(path).close()
    with Store.open(path) as store:
        conn = store.conn
        conn.execute("PRAGMA synchronous = OFF")
        with store.transaction():
            conn.executemany(
                "INSERT INTO categories (slug, name, kind) VALUES (?, ?, 'media')",
                [(category_slug(c), f"媒体{c}") for c in range(categories)],
            )
        for start in range(0, articles, CHUNK):
            rows = [article_row(i, categories) for i in range(start, min(articles, start + CHUNK))]
            with store.transaction():
                insert_plain(
                    conn,
                    rows,
                    [
                        (row[0], category_slug(i % categories), row[5], row[9])
                        for i, row in zip(range(start, start + len(rows)), rows, strict=True)
                    ],
                )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def insert_plain(
    conn: sqlite3.Connection,
    rows: Sequence[tuple[Any, ...]],
    memberships: Sequence[tuple[Any, ...]],
) -> None:
    """Finished rows straight into the schema with ``executemany``: no store logic at all.

    ``rows`` are full ``articles`` rows (12 columns, as ``article_row`` makes them);
    ``memberships`` are ``(article_id, category, published, content_hash)``.
    """
    conn.executemany(
        "INSERT INTO articles (id, title, url, share_url, media, published, summary,"
        " body_html, body_text, content_hash, first_seen, last_seen)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO article_categories (article_id, category, published, content_hash)"
        " VALUES (?, ?, ?, ?)",
        memberships,
    )


def change_one_category(path: Path, categories: int) -> str:
    """Rewrite the newest article of category 0 through ``Store.save_articles``."""
    with Store.open(path) as store:
        row = store.conn.execute(
            "SELECT article_id FROM article_categories WHERE category = ?"
            " ORDER BY published DESC LIMIT 1",
            (category_slug(0),),
        ).fetchone()
        old = store.article(row[0])
        assert old is not None
        record = ArticleRecord(
            id=old["id"],
            title=old["title"] + "（更新）",
            published=old["published"],
            body_html=old["body_html"] + "<p>更正：补充一段。</p>",
            body_text=old["body_text"] + "\n更正：补充一段。",
            url=old["url"],
            media=old["media"],
            summary=old["summary"],
            categories=[Category(category_slug(0), f"媒体{0}", "media")],
        )
        result = store.save_articles([record], "2030-01-01T00:00:00+08:00")
        assert result.updated == [old["id"]], result
    return category_slug(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.feedbuild")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--backfill", action="store_true", help="no archive page budget")
    args = parser.parse_args(argv)
    from feeds.build import DEFAULT_ARCHIVE_BUDGET, build_feeds

    started = time.monotonic()
    with Store.open(args.db, readonly=True) as store:
        result = build_feeds(
            store,
            args.out,
            "https://feeds.example.org/",
            args.limit,
            force=args.force,
            archive_budget=None if args.backfill else DEFAULT_ARCHIVE_BUDGET,
        )
    print(
        json.dumps(
            {
                "seconds": time.monotonic() - started,
                "maxrss_mb": peak_rss_mb(),
                "categories": result.categories,
                "rebuilt": result.rebuilt,
                "written": result.written,
                "unchanged": result.unchanged,
                "archive_pending": result.archive_pending,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
