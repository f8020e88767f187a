"""The finews store: the only code that knows SQL.

One SQLite file in WAL mode. Every batch of writes is one transaction, so a failure (a full
disk, a killed process) loses at most the batch in hand and never what was stored before.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.db import NotFoundError

from storage import search
from storage.records import ArticleRecord, Category, SavePlan, StoredArticle, plan_save

BUSY_TIMEOUT_MS = 30_000
# SQLite's default limit on host parameters is 32766; stay well below for IN (...) lists.
_IN_CHUNK = 900

# The statements that write a SavePlan; their parameters are the plan's fields by name.
_INSERT_ARTICLE = (
    "INSERT INTO articles (id, title, url, share_url, media, published, summary, body_html,"
    " body_text, content_hash, first_seen, last_seen) VALUES (:id, :title, :url, :share_url,"
    " :media, :published, :summary, :body_html, :body_text, :content_hash, :first_seen,"
    " :last_seen)"
)
_TOUCH_ARTICLE = (
    "UPDATE articles SET last_seen = :last_seen, url = :url, share_url = :share_url,"
    " summary = :summary, published = coalesce(:published, published) WHERE id = :id"
)
_INSERT_REVISION = (
    "INSERT INTO article_revisions (article_id, title, media, published, summary, body_html,"
    " content_hash, replaced) VALUES (:article_id, :title, :media, :published, :summary,"
    " :body_html, :content_hash, :replaced)"
)
_REVISE_ARTICLE = (
    "UPDATE articles SET title = :title, url = :url, share_url = :share_url, media = :media,"
    " published = :published, summary = :summary, body_html = :body_html,"
    " body_text = :body_text, content_hash = :content_hash, last_seen = :last_seen,"
    " updated = :updated WHERE id = :id"
)
_COPY_TO_MEMBERSHIPS = (
    "UPDATE article_categories SET (published, content_hash) ="
    " (SELECT published, content_hash FROM articles WHERE id = article_id)"
    " WHERE article_id = ?"
)
_STORED_COLUMNS = ", ".join(column.name for column in fields(StoredArticle))
_RUN_COUNTS = ("new", "updated", "unchanged", "skipped", "failed", "bad_dates", "dropped")


def _build_search_index(conn: sqlite3.Connection) -> None:
    """Migration 6's second half: index every stored article (a line of progress on a tty)."""
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty and total >= 10_000:
            end = "\n" if done == total else ""
            print(
                f"\rfinews: search index {done:,} of {total:,} articles",
                end=end,
                file=sys.stderr,
                flush=True,
            )

    search.rebuild(conn, progress)


# Migrations whose work SQL alone cannot do: called after the version's script, in its
# transaction.
_AFTER_SCRIPT = {6: _build_search_index}


class StoreError(RuntimeError):
    """A store operation failed; the message says what and why, nothing was half-written."""


class NotAStoreError(StoreError):
    """The path names no finews store: a missing folder, not SQLite, or another program's data."""


# The statuses of a crawl run (crawl_runs.status). A run whose process is gone without saying
# how it ended is marked interrupted by the next run (see mark_interrupted_runs).
RUN_STATUSES = ("running", "finished", "failed", "interrupted")


@dataclass
class SaveResult:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def explain(exc: sqlite3.Error, path: str) -> str:
    """SQLite's error in words a user can act on, with the operating system's cause where
    SQLite gives none ("unable to open database file" on a read-only folder)."""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return (
            f"another program kept it busy with a write for more than {BUSY_TIMEOUT_MS // 1000} s"
            " (SQLite's busy timeout); try again when it is done"
        )
    if "unable to open" in message or "readonly" in message:
        folder = Path(path).expanduser().resolve().parent
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as cause:
            return f"{message} (folder {folder}: {cause.strerror or cause})"
    return message


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
        """Open (creating if needed) the database at ``path`` and apply pending migrations.

        Raises :class:`NotAStoreError` when ``path`` cannot hold a finews store (its folder is
        missing, it is not SQLite, or it is another program's database) and
        :class:`StoreError` when it cannot be opened or written (a read-only folder).
        """
        path = str(path)
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise NotAStoreError(f"cannot open {path}: folder {parent} does not exist")
        try:
            if readonly:
                uri = Path(path).resolve().as_uri() + "?mode=ro"
                conn = sqlite3.connect(uri, uri=True, isolation_level=None)
            else:
                conn = sqlite3.connect(path, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            store = cls(conn, path)
            store._check_identity(readonly)
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                store.migrate()
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise NotAStoreError(f"{path} is not a finews store: {exc}") from exc
            raise StoreError(f"cannot open {path}: {explain(exc, path)}") from exc
        return store

    def _check_identity(self, readonly: bool) -> None:
        """Refuse another program's database (it would get finews's tables) and a store made by
        a newer finews (its schema may mean something this version does not know)."""
        version = self.schema_version  # the first read: "file is not a database" shows here
        newest = max(number for number, _, _ in migrations())
        if version > newest:
            raise NotAStoreError(
                f"{self.path} was written by a newer finews (schema {version}; this one knows"
                f" up to {newest}): upgrade finews"
            )
        if version:
            return
        tables = sorted(
            row[0]
            for row in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        )
        if tables:
            raise NotAStoreError(
                f"{self.path} is a SQLite database but not a finews store"
                f" (it holds {', '.join(tables[:5])}{', ...' if len(tables) > 5 else ''})"
            )
        if readonly:
            raise NotAStoreError(f"{self.path} holds no finews store (it is empty)")

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
        """Apply the migrations this database has not had yet, each in its own transaction.

        Applied migrations are recorded by number in ``schema_migrations``, so one numbered
        below the newest applied one (numbers are reserved ahead, and may arrive later) is
        still applied. ``PRAGMA user_version`` holds the highest number applied.
        """
        applied = []
        for version, name, script in migrations():
            with self.transaction():
                # Read inside the write lock: two processes never both apply a migration.
                if version in self._applied_migrations():
                    continue
                for statement in _statements(script):
                    self.conn.execute(statement)
                if version in _AFTER_SCRIPT:
                    _AFTER_SCRIPT[version](self.conn)
                self.conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name)
                )
                if version > self.schema_version:
                    self.conn.execute(f"PRAGMA user_version = {int(version)}")
                applied.append(name)
        return applied

    def _applied_migrations(self) -> set[int]:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if not exists:
            # A store from before the record: every migration up to its version was applied.
            self.conn.execute(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
            )
            self.conn.executemany(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                [(v, name) for v, name, _ in migrations() if v <= self.schema_version],
            )
        return {row[0] for row in self.conn.execute("SELECT version FROM schema_migrations")}

    def transaction(self) -> _Transaction:
        """``with store.transaction():`` runs the block in one write transaction."""
        return _Transaction(self.conn)

    # -- writes ----------------------------------------------------------------------------

    def save_articles(self, records: Sequence[ArticleRecord], seen_at: str) -> SaveResult:
        """Insert new articles, touch unchanged ones, update changed ones keeping a revision.

        All in one transaction. ``seen_at`` is the crawl's clock (ISO, +08:00). What happens
        to each article is decided by :func:`storage.records.plan_save`.
        """
        if not records:
            return SaveResult()
        with self.transaction():
            stored = self._stored(list(dict.fromkeys(record.id for record in records)))
            plan = plan_save(records, stored, seen_at)
            self._write_plan(plan)
        return SaveResult(
            new=[article.id for article in plan.new],
            updated=[article.id for article in plan.revised],
            unchanged=[article.id for article in plan.seen_again],
        )

    def _write_plan(self, plan: SavePlan) -> None:
        """Write what :func:`plan_save` decided; the caller holds the transaction."""
        written = [a.id for a in plan.new] + [a.id for a in plan.revised]
        with search.kept_in_step(self.conn, written + [a.id for a in plan.seen_again]):
            self.conn.executemany(_INSERT_ARTICLE, map(vars, plan.new))
            self.conn.executemany(_TOUCH_ARTICLE, map(vars, plan.seen_again))
            self.conn.executemany(_INSERT_REVISION, (vars(a.revision) for a in plan.revised))
            self.conn.executemany(_REVISE_ARTICLE, map(vars, plan.revised))
        revised = [article.id for article in plan.revised]
        # Memberships carry copies of published and content_hash (see migration 2); a time
        # that gained its seconds changes the copy too.
        changed = revised + plan.retimed()
        self.conn.executemany(_COPY_TO_MEMBERSHIPS, ((article_id,) for article_id in changed))
        added = self._add_memberships(plan.memberships)
        # A category changes with its new, revised and retimed articles, with the stored
        # categories of revised and retimed ones, and when a stored article joins it.
        self._bump_categories(
            plan.changed_categories() | self._categories_of(changed) | {slug for _, slug in added}
        )

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
        # Names that share a slug (TechWeb, Techweb): the category keeps the one that sorts
        # first by code point, whatever order they arrive in; a new name moves its revision.
        categories: dict[str, Category] = {}
        for _, category in memberships:
            known = categories.get(category.slug)
            if known is None or category.name < known.name:
                categories[category.slug] = category
        self.conn.executemany(
            "INSERT INTO categories (slug, name, kind) VALUES (?, ?, ?)"
            " ON CONFLICT (slug) DO UPDATE SET name = excluded.name, revision = revision + 1"
            " WHERE excluded.name < categories.name",
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

    def _stored(self, ids: list[str]) -> dict[str, StoredArticle]:
        found: dict[str, StoredArticle] = {}
        for chunk in in_chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self.db.query(
                f"SELECT {_STORED_COLUMNS} FROM articles WHERE id IN ({marks})", chunk
            )
            for row in rows:
                found[row["id"]] = StoredArticle(**row)
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

    def start_run(
        self,
        started: str,
        *,
        pid: int | None = None,
        host: str | None = None,
        clock: str | None = None,
    ) -> int:
        """Record that a crawl started; returns the run's id for :meth:`finish_run`.

        ``started`` is the wall clock; ``pid`` and ``host`` name the crawling process, so that
        a later run can tell a run that is gone; ``clock`` is the crawl's fixed clock, if any.
        """
        with self.transaction():
            runs = self.db["crawl_runs"].insert(
                {"started": started, "pid": pid, "host": host, "clock": clock}
            )
        return int(runs.last_pk or 0)

    def add_run_counts(self, run_id: int, counts: dict[str, int]) -> None:
        """Add to a run's counts; called inside the transaction that writes what they count."""
        with self.transaction():
            for name, value in counts.items():
                if name not in _RUN_COUNTS:
                    raise ValueError(f"crawl_runs has no count {name!r}")
                self.conn.execute(
                    f"UPDATE crawl_runs SET {name} = {name} + ? WHERE id = ?", (int(value), run_id)
                )

    def finish_run(
        self, run_id: int, finished: str, counts: dict[str, int], errors: Sequence[str], status: str
    ) -> None:
        """Record how a crawl ended: its status, the counts given and its error messages."""
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r}")
        values = {name: int(value) for name, value in counts.items() if name in _RUN_COUNTS}
        errors_json = json.dumps(list(errors), ensure_ascii=False)
        try:
            with self.transaction():
                self.db["crawl_runs"].update(
                    run_id,
                    {"finished": finished, "status": status, "errors": errors_json, **values},
                )
        except NotFoundError as exc:
            raise StoreError(f"no crawl run {run_id} to finish in {self.path}") from exc

    def record_page_kinds(self, run_id: int, kinds: dict[str, dict[str, Any]]) -> None:
        """Record what a crawl read per kind of page (``page_kinds``) and its shape misses."""
        misses = sum(int(counts.get("misses", 0)) for counts in kinds.values())
        with self.transaction():
            self.conn.execute(
                "UPDATE crawl_runs SET shape_misses = ?, page_kinds = ? WHERE id = ?",
                (misses, json.dumps(kinds, ensure_ascii=False, sort_keys=True), run_id),
            )

    def mark_interrupted_runs(self, host: str) -> list[int]:
        """Mark as interrupted the runs of ``host`` still recorded as running (and those of a
        finews from before hosts were recorded); returns their ids.

        Call it holding the store's write lock (:mod:`storage.lock`) and before starting a
        run: every writer on this host takes that lock, so none of these runs is still going;
        their processes ended (killed, or the machine stopped) without recording how.
        """
        stale = self.conn.execute(
            "SELECT id, pid FROM crawl_runs WHERE status = 'running' AND (host IS NULL OR host = ?)",
            (host,),
        ).fetchall()
        with self.transaction():
            for run_id, pid in stale:
                who = f"process {pid} on {host}" if pid else "its process"
                self.conn.execute(
                    "UPDATE crawl_runs SET status = 'interrupted',"
                    " errors = json_insert(errors, '$[#]', ?) WHERE id = ?",
                    (f"{who} ended without recording how the run ended", run_id),
                )
        return [run_id for run_id, _ in stale]

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

    def has_table(self, name: str) -> bool:
        """Whether the store has this table (an older schema may lack a newer one)."""
        return self.db[name].exists()

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables, for summaries."""
        tables = ("articles", "categories", "article_categories", "article_revisions")
        return {table: self.db[table].count for table in tables}


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
                self._roll_back()
                raise
        self._roll_back()

    def _roll_back(self) -> None:
        # SQLite may have rolled back by itself (a full disk does); a ROLLBACK that fails then
        # must not replace the error that caused it.
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
