"""Search: index build, index size, recall and precision, and query time against a scan.

``python -m benchmarks.search --articles N --db PATH`` makes a store of N articles (about
1,000 Chinese characters of text each: sentences of dictionary words, with the queried terms
planted at known rates beside look-alikes that must not match), times migration 6 on it
(which builds the index), measures the index's size against the text's, checks every query
of :data:`QUERIES` against a scan that does not use the index, and times the top 20 of each
query (by rank and by time) against a scan with ``instr()`` for the matches (what ranking
them takes without an index) and against the newest 20 found with ``instr()`` reading
articles newest first (the cheapest scan, which stops early). It prints one JSON line.

The scan's truth: Chinese queries are found with ``instr()`` over title, summary and body
(case matters not for Chinese); a query with ASCII letters or digits with a regular
expression over the ``instr()`` candidates, case-insensitive, whose ASCII ends may not
continue a run of the same kind (``NIO`` not in ``UNION``, ``002752`` not in ``1002752``);
a quoted phrase with its space standing for one or more separators. These are the rules the
README states for ``finews search``, written here independently of the index.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from pypinyin import phrases_dict

from storage import Store
from storage.search import search

# (query, the share of articles it is planted in, look-alikes planted that must not match)
QUERIES: list[tuple[str, float, list[str]]] = [
    ("茅台", 0.01, []),
    ("券商", 0.03, []),
    ("数字", 0.04, []),
    ("上涨", 0.04, []),
    ("中国", 0.5, []),
    ("数字经济", 0.005, ["数字，经济"]),
    ("5G基站", 0.003, ["5G 基站", "15G基站"]),
    ("002752", 0.002, ["SZ002752", "002752.SZ", "1002752", "0027521"]),
    ("NIO", 0.002, ["UNION", "nio", "NIOX"]),
    ('"数字经济 发展"', 0.002, ["数字经济，发展", "数字经济发展"]),
]
SENTENCES = 50_000
SENTENCES_PER_BODY = 22
BATCH = 5_000
_PUNCTUATION = "，，，，。、；："


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Dictionary words in a random order, with Zipf-like cumulative weights."""
    words = sorted(word for word in phrases_dict.phrases_dict if len(word) <= 4)
    rng.shuffle(words)
    return words, list(itertools.accumulate(1 / (rank + 10) for rank in range(len(words))))


def _sentences(rng: random.Random) -> list[str]:
    words, weights = _vocabulary(rng)
    out = []
    for _ in range(SENTENCES):
        picked = rng.choices(words, cum_weights=weights, k=rng.randint(8, 16))
        parts = []
        for word in picked:
            parts.append(word)
            if rng.random() < 0.25:
                parts.append(rng.choice(_PUNCTUATION))
        out.append("".join(parts) + "。")
    return out


def _planted(rng: random.Random) -> list[str]:
    """The terms and look-alikes planted in one article."""
    plant = []
    for query, share, lookalikes in QUERIES:
        text = query.strip('"').replace(" ", "，")
        if rng.random() < share:
            plant.append(text)
        for lookalike in lookalikes:
            if rng.random() < share:
                plant.append(lookalike)
    return plant


def make_store(path: Path, articles: int, seed: int = 7) -> int:
    """A store of ``articles`` articles without its search index (as before migration 6).

    Returns the size of the text in bytes (title, summary and body, UTF-8)."""
    rng = random.Random(seed)
    sentences = _sentences(rng)
    Store.open(path).close()
    text_bytes = 0
    with Store.open(path) as store:
        conn = store.conn
        conn.execute("PRAGMA synchronous = OFF")
        for start in range(0, articles, BATCH):
            rows = []
            for index in range(start, min(articles, start + BATCH)):
                body = rng.sample(sentences, SENTENCES_PER_BODY)
                for term in _planted(rng):
                    spot = rng.randrange(len(body))
                    body[spot] = body[spot][:5] + term + body[spot][5:]
                title = sentences[index % SENTENCES][:20]
                summary = body[0][:60]
                text = "\n".join(body)
                text_bytes += len((title + summary + text).encode("utf-8"))
                published = (
                    f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}T{index % 24:02d}:00:00+08:00"
                )
                rows.append(
                    (f"NW{index:020d}", title, None, None, f"媒体{index % 50}", published,
                     summary, "", text, "h", published, published)
                )  # fmt: skip
            with store.transaction():
                conn.executemany(
                    "INSERT INTO articles (id, title, url, share_url, media, published,"
                    " summary, body_html, body_text, content_hash, first_seen, last_seen)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        # Back to before migration 6: the next open builds the index, as on an upgrade.
        for statement in (
            "DROP VIEW newest",
            "DROP VIEW per_media_day",
            "DROP VIEW merged",
            "DROP VIEW revised",
            "DROP TABLE article_search",
            "DROP TABLE article_search_rows",
            "DELETE FROM schema_migrations WHERE version = 6",
            "PRAGMA user_version = 5",
        ):
            conn.execute(statement)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return text_bytes


def _index_bytes(conn: sqlite3.Connection) -> int:
    rows = conn.execute(
        "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'article_search%'"
        " OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'article_search_rows')"
    )
    return int(rows.fetchone()[0])


def _fields(conn: sqlite3.Connection, ids: list[str]) -> list[tuple[str, list[str]]]:
    out = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT id, title, summary, body_text FROM articles WHERE id IN ({marks})", chunk
        ):
            out.append((row[0], [text or "" for text in row[1:]]))
    return out


def _truth_pattern(query: str) -> re.Pattern[str] | None:
    """None for a Chinese-only query (instr() alone is the truth)."""
    if re.fullmatch(r"[^\x00-\x7f]+", query):
        return None
    text = query.strip('"')
    body = r"[\W_]+".join(re.escape(part) for part in text.split(" "))
    for edge, kind in ((text[0], "before"), (text[-1], "after")):
        cls = "A-Za-z" if edge.isascii() and edge.isalpha() else "0-9" if edge.isdigit() else ""
        if cls and kind == "before":
            body = f"(?<![{cls}])" + body
        elif cls:
            body += f"(?![{cls}])"
    return re.compile(body, re.IGNORECASE)


def truth(conn: sqlite3.Connection, query: str) -> set[str]:
    """The articles a scan without the index finds for ``query`` (see the module docstring)."""
    pattern = _truth_pattern(query)
    needle = query.strip('"').split(" ")[0].lower() if pattern else query
    field = "lower({})" if pattern else "{}"
    where = " OR ".join(f"instr({field.format(c)}, ?)" for c in ("title", "summary", "body_text"))
    ids = [row[0] for row in conn.execute(f"SELECT id FROM articles WHERE {where}", [needle] * 3)]
    if pattern is None:
        return set(ids)
    return {aid for aid, texts in _fields(conn, ids) if any(pattern.search(t) for t in texts)}


_SCAN = "SELECT id FROM articles WHERE instr(title, ?) OR instr(summary, ?) OR instr(body_text, ?)"


def _scan_all(conn: sqlite3.Connection, query: str) -> list[str]:
    """Every match by ``instr()``: what ranking the matches without an index has to read."""
    needle = query.strip('"').split(" ")[0]
    return [row[0] for row in conn.execute(_SCAN, [needle] * 3)]


def _scan_newest(conn: sqlite3.Connection, query: str) -> list[str]:
    """The newest 20 matches by ``instr()``, reading articles newest first until 20 are found
    (through the time index): the cheapest scan there is, and only for newest-first."""
    needle = query.strip('"').split(" ")[0]
    rows = conn.execute(_SCAN + " ORDER BY published DESC LIMIT 20", [needle] * 3)
    return [row[0] for row in rows]


def _timed(action: Any, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(db: Path, articles: int, repeat: int, scan_repeat: int) -> dict[str, Any]:
    started = time.monotonic()
    text_bytes = make_store(db, articles)
    made = time.monotonic() - started
    started = time.monotonic()
    with Store.open(db) as store:  # migration 6: the index is built here
        migrated = time.monotonic() - started
        assert store.schema_version >= 6
        conn = store.conn
        index_bytes = _index_bytes(conn)
        results = []
        for query, _, _ in QUERIES:
            expected = truth(conn, query)
            got = {hit.id for hit in search(conn, query, limit=None)}
            rank = _timed(lambda q=query: search(conn, q, limit=20), repeat)
            newest = _timed(lambda q=query: search(conn, q, limit=20, sort="time"), repeat)
            scan = _timed(lambda q=query: _scan_all(conn, q), scan_repeat)
            scan_newest = _timed(lambda q=query: _scan_newest(conn, q), scan_repeat)
            results.append(
                {
                    "query": query,
                    "share": len(expected) / articles,
                    "matches": len(expected),
                    "recall": len(got & expected) / len(expected) if expected else 1.0,
                    "precision": len(got & expected) / len(got) if got else 1.0,
                    "rank_p50": _percentile(rank, 0.5),
                    "rank_p95": _percentile(rank, 0.95),
                    "time_p50": _percentile(newest, 0.5),
                    "time_p95": _percentile(newest, 0.95),
                    "scan_p50": _percentile(scan, 0.5),
                    "scan_newest_p50": _percentile(scan_newest, 0.5),
                }
            )
    return {
        "articles": articles,
        "store_seconds": made,
        "migration_seconds": migrated,
        "text_mb": text_bytes / 1e6,
        "index_mb": index_bytes / 1e6,
        "index_ratio": index_bytes / text_bytes,
        "queries": results,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search")
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=20, help="timings per indexed query")
    parser.add_argument("--scan-repeat", type=int, default=3, help="timings per scan")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.db, args.articles, args.repeat, args.scan_repeat)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
