"""The finews store: the only code that knows SQL.

One SQLite file in WAL mode. Every batch of writes is one transaction, so a failure (a full
disk, a killed process) loses at most the batch in hand and never what was stored before.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils

BUSY_TIMEOUT_MS = 30_000
# SQLite's default limit on host parameters is 32766; stay well below for IN (...) lists.
_IN_CHUNK = 900


class StoreError(RuntimeError):
    """A store operation failed; the message says what and why, nothing was half-written."""


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
class SaveResult:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _merge_copies(earlier: ArticleRecord, later: ArticleRecord) -> ArticleRecord:
    categories = {c.slug: c for c in (*earlier.categories, *later.categories)}
    return replace(
        later,
        url=later.url or earlier.url,
        share_url=later.share_url or earlier.share_url,
        media=later.media or earlier.media,
        summary=later.summary or earlier.summary,
        published=later.published or earlier.published,
        categories=list(categories.values()),
    )


def migrations() -> list[tuple[int, str, str]]:
    """The numbered migrations shipped with the package: (version, name, sql)."""
    found = []
    for entry in resources.files("storage").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.name, entry.read_text("utf-8")))
    return sorted(found)


def _statements(script: str) -> Iterator[str]:
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        yield buffer


def in_chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices small enough for one ``IN (...)`` list of host parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Store:
    """An open finews database. Use :meth:`open`; close it (or use ``with``) when done."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self.db = sqlite_utils.Database(conn)

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Store:
        """Open (creating if needed) the database at ``path`` and apply pending migrations."""
        path = str(path)
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot open {path}: folder {parent} does not exist")
        try:
            if readonly:
                uri = Path(path).resolve().as_uri() + "?mode=ro"
                conn = sqlite3.connect(uri, uri=True, isolation_level=None)
            else:
                conn = sqlite3.connect(path, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path)
            if not readonly:
                store.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {path} as a finews database: {exc}") from exc
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> list[str]:
        """Apply the migrations this database has not had yet, each in its own transaction."""
        applied = []
        for version, name, script in migrations():
            with self.transaction():
                # Read the version inside the write lock: two processes never both apply it.
                if self.schema_version >= version:
                    continue
                for statement in _statements(script):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {int(version)}")
                applied.append(name)
        return applied

    def transaction(self) -> _Transaction:
        """``with store.transaction():`` runs the block in one write transaction."""
        return _Transaction(self.conn)

    # -- writes ----------------------------------------------------------------------------

    def save_articles(self, records: Sequence[ArticleRecord], seen_at: str) -> SaveResult:
        """Insert new articles, touch unchanged ones, update changed ones keeping a revision.

        All in one transaction. ``seen_at`` is the crawl's clock (ISO, +08:00).
        """
        result = SaveResult()
        if not records:
            return result
        # The last copy of an id in a batch wins, as if they had come one by one: earlier
        # copies fill in what it lacks, and the categories of every copy are kept.
        latest: dict[str, ArticleRecord] = {}
        for record in records:
            earlier = latest.get(record.id)
            if earlier is not None:
                record = _merge_copies(earlier, record)
            latest[record.id] = record
        with self.transaction():
            existing = self._existing(list(latest))
            inserts, touches, changes, revisions = [], [], [], []
            for article_id, record in latest.items():
                digest = record.content_hash()
                seen = record.seen_at or seen_at
                old = existing.get(article_id)
                if old is None:
                    published = record.published or seen
                    inserts.append(
                        (
                            article_id,
                            record.title,
                            record.url,
                            record.share_url,
                            record.media,
                            published,
                            record.summary,
                            record.body_html,
                            record.body_text,
                            digest,
                            seen,
                            seen,
                        )
                    )
                    result.new.append(article_id)
                elif (
                    old["content_hash"] == digest
                    or (not record.body_html and old["body_html"])
                    or seen < old["last_seen"]
                ):
                    # An identical copy, a body-less copy of a full article, or a copy older
                    # than what is stored (an old post imported after crawling): it may fill
                    # gaps but never replaces newer content.
                    touches.append((seen, record.url, record.share_url, record.summary, article_id))
                    result.unchanged.append(article_id)
                else:
                    revisions.append(
                        (
                            article_id,
                            old["title"],
                            old["media"],
                            old["published"],
                            old["summary"],
                            old["body_html"],
                            old["content_hash"],
                            seen,
                        )
                    )
                    changes.append(
                        (
                            record.title,
                            record.url,
                            record.share_url,
                            record.media,
                            record.published or old["published"],
                            record.summary,
                            record.body_html,
                            record.body_text,
                            digest,
                            seen,
                            seen,
                            article_id,
                        )
                    )
                    result.updated.append(article_id)
            self.conn.executemany(
                "INSERT INTO articles (id, title, url, share_url, media, published, summary,"
                " body_html, body_text, content_hash, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
            self.conn.executemany(
                "UPDATE articles SET last_seen = max(last_seen, ?), url = coalesce(url, ?),"
                " share_url = coalesce(share_url, ?), summary = coalesce(nullif(summary, ''), ?)"
                " WHERE id = ?",
                touches,
            )
            self.conn.executemany(
                "INSERT INTO article_revisions (article_id, title, media, published, summary,"
                " body_html, content_hash, replaced) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                revisions,
            )
            self.conn.executemany(
                "UPDATE articles SET title = ?, url = coalesce(?, url),"
                " share_url = coalesce(?, share_url), media = coalesce(?, media), published = ?,"
                " summary = coalesce(nullif(?, ''), summary), body_html = ?, body_text = ?,"
                " content_hash = ?, last_seen = max(last_seen, ?), updated = ? WHERE id = ?",
                changes,
            )
            if changes:
                self.conn.executemany(
                    "UPDATE article_categories SET (published, content_hash) ="
                    " (SELECT published, content_hash FROM articles WHERE id = article_id)"
                    " WHERE article_id = ?",
                    [(article_id,) for article_id in result.updated],
                )
            memberships = [
                (article_id, category)
                for article_id, record in latest.items()
                for category in record.categories
            ]
            self._add_memberships(memberships)
            touched = set(result.new) | set(result.updated)
            self._bump_categories(
                {c.slug for aid, c in memberships if aid in touched}
                | self._categories_of([aid for aid in result.updated])
            )
        return result

    def add_memberships(self, memberships: Iterable[tuple[str, Category]]) -> int:
        """Put stored articles into categories (a known article found on another column).

        Memberships of articles not stored yet are ignored: the article brings its own.
        Returns how many memberships were new.
        """
        memberships = list(memberships)
        if not memberships:
            return 0
        with self.transaction():
            stored = self._existing_ids([aid for aid, _ in memberships])
            added = self._add_memberships([(a, c) for a, c in memberships if a in stored])
            self._bump_categories({slug for _, slug in added})
        return len(added)

    def _add_memberships(self, memberships: list[tuple[str, Category]]) -> list[tuple[str, str]]:
        if not memberships:
            return []
        categories = {c.slug: c for _, c in memberships}
        self.conn.executemany(
            "INSERT INTO categories (slug, name, kind) VALUES (?, ?, ?)"
            " ON CONFLICT (slug) DO NOTHING",
            [(c.slug, c.name, c.kind) for c in categories.values()],
        )
        pairs = sorted({(aid, c.slug) for aid, c in memberships})
        before = self.conn.total_changes
        added = []
        for article_id, slug in pairs:
            self.conn.execute(
                "INSERT INTO article_categories (article_id, category, published, content_hash)"
                " SELECT id, ?, published, content_hash FROM articles WHERE id = ?"
                " ON CONFLICT DO NOTHING",
                (slug, article_id),
            )
            if self.conn.total_changes != before:
                added.append((article_id, slug))
                before = self.conn.total_changes
        return added

    def _bump_categories(self, slugs: set[str]) -> None:
        self.conn.executemany(
            "UPDATE categories SET revision = revision + 1 WHERE slug = ?",
            [(slug,) for slug in sorted(slugs)],
        )

    def _categories_of(self, article_ids: list[str]) -> set[str]:
        found: set[str] = set()
        for chunk in in_chunks(article_ids):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT category FROM article_categories WHERE article_id IN ({marks})", chunk
            )
            found.update(row[0] for row in rows)
        return found

    def _existing(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for chunk in in_chunks(ids):
            marks = ",".join("?" * len(chunk))
            cursor = self.conn.execute(
                "SELECT id, title, media, published, summary, body_html, content_hash, last_seen"
                f" FROM articles WHERE id IN ({marks})",
                chunk,
            )
            names = [d[0] for d in cursor.description]
            for row in cursor:
                found[row[0]] = dict(zip(names, row, strict=True))
        return found

    def _existing_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for chunk in in_chunks(ids):
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0]
                for row in self.conn.execute(
                    f"SELECT id FROM articles WHERE id IN ({marks})", chunk
                )
            )
        return found

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are stored already (so the crawler need not download them)."""
        return self._existing_ids(list(dict.fromkeys(ids)))

    # -- crawl runs ------------------------------------------------------------------------

    def start_run(self, started: str) -> int:
        with self.transaction():
            cursor = self.conn.execute("INSERT INTO crawl_runs (started) VALUES (?)", (started,))
        return int(cursor.lastrowid or 0)

    def finish_run(
        self, run_id: int, finished: str, counts: dict[str, int], errors: Sequence[str], status: str
    ) -> None:
        columns = ("new", "updated", "unchanged", "skipped", "failed", "bad_dates")
        values = [int(counts.get(name, 0)) for name in columns]
        with self.transaction():
            self.conn.execute(
                "UPDATE crawl_runs SET finished = ?, status = ?, errors = ?, "
                + ", ".join(f"{name} = ?" for name in columns)
                + " WHERE id = ?",
                (finished, status, json.dumps(list(errors), ensure_ascii=False), *values, run_id),
            )

    # -- reads -----------------------------------------------------------------------------

    def article(self, article_id: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        return rows[0] if rows else None

    def article_categories(self, article_id: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT category FROM article_categories WHERE article_id = ? ORDER BY category",
            (article_id,),
        )
        return [row[0] for row in rows]

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables, for summaries."""
        return {
            table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "categories", "article_categories", "article_revisions")
        }


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error (nested use joins the outer one)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        if self.conn.in_transaction:
            return self.conn
        self.outer = True
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self.outer:
            return
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
                return
            except sqlite3.Error:
                self.conn.execute("ROLLBACK")
                raise
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
