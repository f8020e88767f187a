"""Full-text search over the store, for Chinese text, with nothing but SQLite's own FTS5.

SQLite's tokenizers do not cut Chinese into words (``unicode61`` keeps a run of Han
characters as one token; ``trigram`` cannot find two-character words), and a tokenizer of our
own would be an extension that the ``sqlite3`` shell and Datasette could not load. So finews
writes the tokens itself, as text that ``unicode61`` splits on spaces and keeps as they are:

- a run of Chinese (any letter or number that is not ASCII) becomes its overlapping
  bigrams: ``数字经济`` → ``数字 字经 经济``;
- a run of ASCII letters, or of ASCII digits, is one token (``SZ002752`` → ``SZ``, ``002752``),
  so ``NIO`` never matches inside ``UNION``;
- where two runs of different kinds touch, a junction token of the two touching characters
  (``5G基站`` → ``5 5G G G基 基站``) keeps "touching" apart from "separated by a space";
- a lone Chinese character between two junctions (``A股B``) is kept as itself;
- where a gap (space, punctuation) falls between two tokens that would chain (the first ends
  with the character the next begins with, as in ``中国，国内``), a marker token goes between
  them, so that ``中国内`` does not match across the comma.

A query goes through the same function, so a query's tokens form one FTS5 phrase that
matches exactly where the query's text occurs (Chinese as a substring; ASCII letters and
digits as whole runs at the query's edges, in any case). A single Chinese character alone
cannot be searched this way: :func:`compile_query` refuses it.

The index is an FTS5 table without content (``article_search``): it holds the tokens only,
about as large as the text, and the article rows stay the one copy of the text. A
contentless table can only remove a row given the tokens it was given, so every change goes
through this module, which re-tokenizes the stored text before it changes
(:func:`kept_in_step`). ``article_search_rows`` maps the index's row ids to article ids
(with INTEGER PRIMARY KEY, so that VACUUM never renumbers them) and holds each article's
time, for sorting by time without reading the articles.

Changing what :func:`index_tokens` returns for a text needs a migration that calls
:func:`rebuild`, or deletions stop matching what was indexed.
"""

from __future__ import annotations

import functools
import operator
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# Kept as a token by unicode61 (a private-use character) and never typed by anyone.
MARKER = "\ue000"
# Token characters as unicode61 sees them (letters and numbers), split into three kinds.
_RUN = re.compile(r"([A-Za-z]+)|([0-9]+)|([^\W_A-Za-z0-9]+)")
# A stretch of token characters with no gap, and whether it holds ASCII letters or digits.
_SEGMENT = re.compile(r"[^\W_]+")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_QUERY_PART = re.compile(r'"([^"]*)"?|(\()|(\))|([^\s()"]+)')
_BATCH = 1000
# bm25 weights of the columns title, summary, body: a word in the title counts most.
RANK = "bm25(5.0, 2.0, 1.0)"
SNIPPET_CHARS = 80


class QueryError(ValueError):
    """A search query that cannot be run; the message says why."""


def _caseless(first: str, second: str) -> bool:
    # Two Han characters: no case, no diacritics, so equal only if the same (the usual case,
    # checked without folding).
    return "\u3400" <= first <= "\u9fff" and "\u3400" <= second <= "\u9fff"


@functools.cache
def _fold(char: str) -> str:
    # What unicode61 compares: case folded, diacritics removed (a safe over-approximation).
    return unicodedata.normalize("NFD", char.casefold())[:1]


def _joined_runs(segment: str) -> list[str]:
    """The tokens of a gap-free stretch holding ASCII letters or digits: each run's own
    tokens, and a junction where two runs touch."""
    runs = _RUN.findall(segment)
    last = len(runs) - 1
    tokens: list[str] = []
    for index, (letters, digits, other) in enumerate(runs):
        if other:
            if len(other) > 1:
                tokens.extend(map(operator.add, other[:-1], other[1:]))
            elif 0 < index < last:
                tokens.append(other)  # one Chinese character between two junctions
            run = other
        else:
            run = letters or digits
            tokens.append(run)
        if index < last:
            following = runs[index + 1]
            tokens.append(run[-1] + (following[0] or following[1] or following[2])[0])
    return tokens


def _scan(text: str) -> tuple[list[str], list[str]]:
    """The tokens of ``text`` and the lone Chinese characters that got no token."""
    tokens: list[str] = []
    lone: list[str] = []
    for segment in _SEGMENT.findall(text):
        if _ASCII_ALNUM.search(segment):
            own = _joined_runs(segment)
        elif len(segment) > 1:
            own = list(map(operator.add, segment[:-1], segment[1:]))
        else:
            lone.append(segment)
            continue
        if tokens:
            # A gap lies between: mark it where the tokens on either side would chain.
            end, begin = tokens[-1][-1], own[0][0]
            if end == begin or (not _caseless(end, begin) and _fold(end) == _fold(begin)):
                tokens.append(MARKER)
        tokens.extend(own)
    return tokens, lone


def index_tokens(text: str | None) -> list[str]:
    """The tokens finews indexes for ``text`` (see the module docstring)."""
    return _scan(text)[0] if text else []


def index_text(text: str | None) -> str:
    """``text`` as the index receives it: its tokens separated by spaces."""
    return " ".join(index_tokens(text))


# -- queries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledQuery:
    """A user's query as an FTS5 MATCH expression, and what to highlight in the results."""

    match: str
    highlight: re.Pattern[str] | None


def compile_query(query: str) -> CompiledQuery:
    """Turn a query into an FTS5 expression over the index's tokens.

    Words separated by spaces must all occur; ``OR``, ``AND``, ``NOT`` and parentheses work
    as in FTS5; ``"a phrase"`` matches its words in order with only spaces or punctuation
    between them. Raises :class:`QueryError` for a query that finds nothing by construction
    (empty, or a Chinese character on its own).
    """
    pieces: list[str] = []
    highlights: list[str] = []
    negated = False
    for match in _QUERY_PART.finditer(query):
        phrase, opening, closing, word = match.groups()
        if opening or closing:
            if opening:
                _and_between(pieces)
            pieces.append(opening or closing)
            continue
        if word in _OPERATORS:
            pieces.append(word)
            negated = word == "NOT"
            continue
        text = phrase if phrase is not None else word
        tokens, lone = _scan(text)
        if lone:
            raise QueryError(
                f"cannot search for {lone[0]!r} alone: the index holds pairs of Chinese"
                " characters, so a query needs two in a row (or one next to a letter or digit)"
            )
        if not tokens:
            if phrase is not None and text.strip():
                raise QueryError(f"nothing searchable in {text!r}")
            continue
        _and_between(pieces)
        pieces.append('"' + " ".join(tokens) + '"')
        if not negated:
            highlights.append(_highlight_pattern(text))
        negated = False
    if not any(piece.startswith('"') for piece in pieces):
        raise QueryError(f"nothing to search for in {query!r}")
    pattern = "|".join(f"(?:{h})" for h in sorted(highlights, key=len, reverse=True))
    return CompiledQuery(" ".join(pieces), re.compile(pattern, re.IGNORECASE) if pattern else None)


def _and_between(pieces: list[str]) -> None:
    # FTS5 reads "a b" as a AND b, but not "a (b)": say AND between any two operands.
    if pieces and (pieces[-1].startswith('"') or pieces[-1] == ")"):
        pieces.append("AND")


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for ``query`` (for SQL: ``WHERE article_search MATCH ?``)."""
    return compile_query(query).match


def _highlight_pattern(text: str) -> str:
    """A regular expression for where ``text`` occurs, as the index matches it."""
    runs = list(_RUN.finditer(text))
    parts = []
    for index, run in enumerate(runs):
        if index and runs[index - 1].end() != run.start():
            parts.append(r"[\W_]+")
        parts.append(re.escape(run.group()))
    first, last = runs[0], runs[-1]
    before = {1: r"(?<![A-Za-z])", 2: r"(?<![0-9])"}.get(first.lastindex or 0, "")
    after = {1: r"(?![A-Za-z])", 2: r"(?![0-9])"}.get(last.lastindex or 0, "")
    return before + "".join(parts) + after


# -- keeping the index ---------------------------------------------------------------------


def _row(rowid: int, title: str | None, summary: str | None, body: str | None) -> tuple:
    """An index row: the tokens of each column. A summary that is only the body's start
    (the usual case: see migration 3) is not indexed again; its words match in the body."""
    if summary and body:
        flat = " ".join(summary.removesuffix("…").split())
        if flat and flat in " ".join(body.split()):
            summary = None
    return (rowid, index_text(title), index_text(summary), index_text(body))


def _insert(conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    conn.executemany(
        "INSERT INTO article_search (rowid, title, summary, body) VALUES (?, ?, ?, ?)",
        [_row(*row) for row in rows],
    )


def _delete(conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    # A contentless table removes a row given the very tokens it was given for it.
    conn.executemany(
        "INSERT INTO article_search (article_search, rowid, title, summary, body)"
        " VALUES ('delete', ?, ?, ?, ?)",
        [_row(*row) for row in rows],
    )


def _add_articles(conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Index new articles given as ``(id, published, title, summary, body_text)``."""
    if not rows:
        return
    first = conn.execute("SELECT coalesce(max(rowid), 0) + 1 FROM article_search_rows").fetchone()[
        0
    ]
    numbered = [(first + offset, *row) for offset, row in enumerate(rows)]
    conn.executemany(
        "INSERT INTO article_search_rows (rowid, article_id, published) VALUES (?, ?, ?)",
        [(rowid, article_id, published) for rowid, article_id, published, *_ in numbered],
    )
    _insert(conn, [(rowid, t, s, b) for rowid, _, _, t, s, b in numbered])


def _chunks(items: Sequence[Any], size: int = 900) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _indexed(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """``id -> (rowid, published, title, summary, body_text)`` for ids already indexed."""
    found = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        cursor = conn.execute(
            "SELECT r.article_id, r.rowid, r.published, a.title, a.summary, a.body_text"
            " FROM article_search_rows AS r JOIN articles AS a ON a.id = r.article_id"
            f" WHERE r.article_id IN ({marks})",
            chunk,
        )
        found.update((row[0], row[1:]) for row in cursor)
    return found


def _current(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """``id -> (published, title, summary, body_text)`` as the articles table holds them."""
    found = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        cursor = conn.execute(
            f"SELECT id, published, title, summary, body_text FROM articles WHERE id IN ({marks})",
            chunk,
        )
        found.update((row[0], row[1:]) for row in cursor)
    return found


@contextmanager
def kept_in_step(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[None]:
    """Around writes to the articles ``ids``: afterwards the index matches what they hold.

    Reads the indexed articles' text before the block (the tokens to remove) and after it
    (the tokens to add); articles whose title, summary and body did not change keep their
    index row. Run it inside the writes' transaction.
    """
    ids = list(dict.fromkeys(ids))
    before = _indexed(conn, ids)
    yield
    after = _current(conn, ids)
    new = [(aid, *after[aid]) for aid in ids if aid in after and aid not in before]
    changed = [
        aid for aid in ids if aid in before and aid in after and before[aid][2:] != after[aid][1:]
    ]
    moved = [
        (after[aid][0], before[aid][0])
        for aid in ids
        if aid in before and aid in after and before[aid][1] != after[aid][0]
    ]
    _delete(conn, [(before[aid][0], *before[aid][2:]) for aid in changed])
    _insert(conn, [(before[aid][0], *after[aid][1:]) for aid in changed])
    conn.executemany("UPDATE article_search_rows SET published = ? WHERE rowid = ?", moved)
    _add_articles(conn, new)


def rebuild(conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Index every stored article from scratch; returns how many. The caller holds the
    transaction. ``progress(done, total)`` is called after every batch."""
    conn.execute("INSERT INTO article_search (article_search) VALUES ('delete-all')")
    conn.execute("DELETE FROM article_search_rows")
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    cursor = conn.execute(
        "SELECT id, published, title, summary, body_text FROM articles ORDER BY rowid"
    )
    done = 0
    while rows := cursor.fetchmany(_BATCH):
        _add_articles(conn, rows)
        done += len(rows)
        if progress:
            progress(done, total)
    # One b-tree instead of the many segments a bulk load leaves: smaller and faster to read.
    conn.execute("INSERT INTO article_search (article_search) VALUES ('optimize')")
    return done


# -- searching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One article found, with a snippet of its text and where the query occurs in it."""

    id: str
    title: str
    media: str | None
    published: str
    url: str | None
    categories: tuple[str, ...]
    score: float  # bm25: lower is more relevant
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # [start, end) character offsets in snippet


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str = "rank",
    limit: int | None = 20,
) -> list[SearchHit]:
    """Articles matching ``query``, best first (``sort="rank"``) or newest first ("time").

    ``since`` and ``until`` compare with the stored time (``YYYY-MM-DD…``): ``since`` is
    inclusive, ``until`` exclusive. ``category`` is a slug. ``limit=None``: every match.
    """
    if sort not in ("rank", "time"):
        raise ValueError(f"sort must be 'rank' or 'time', not {sort!r}")
    compiled = compile_query(query)
    where = ["article_search MATCH :match"]
    params: dict[str, Any] = {"match": compiled.match, "limit": -1 if limit is None else limit}
    if since:
        where.append("r.published >= :since")
        params["since"] = since
    if until:
        where.append("r.published < :until")
        params["until"] = until
    if category:
        where.append(
            "EXISTS (SELECT 1 FROM article_categories AS ac"
            " WHERE ac.article_id = r.article_id AND ac.category = :category)"
        )
        params["category"] = category
    order = "s.rank, r.rowid DESC" if sort == "rank" else "r.published DESC, r.article_id DESC"
    sql = (
        "SELECT r.article_id, s.rank FROM article_search AS s"
        " JOIN article_search_rows AS r ON r.rowid = s.rowid"
        f" WHERE {' AND '.join(where)} ORDER BY {order} LIMIT :limit"
    )
    try:
        found = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc):
            raise QueryError(f"cannot read the query {query!r}: {exc}") from exc
        raise
    return _hits(conn, found, compiled.highlight)


def _hits(
    conn: sqlite3.Connection, found: list[tuple[str, float]], highlight: re.Pattern[str] | None
) -> list[SearchHit]:
    ids = [article_id for article_id, _ in found]
    rows: dict[str, tuple[Any, ...]] = {}
    categories: dict[str, list[str]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            "SELECT id, title, media, published, url, share_url, summary, body_text"
            f" FROM articles WHERE id IN ({marks})",
            chunk,
        ):
            rows[row[0]] = row
        for article_id, slug in conn.execute(
            "SELECT article_id, category FROM article_categories"
            f" WHERE article_id IN ({marks}) ORDER BY category",
            chunk,
        ):
            categories.setdefault(article_id, []).append(slug)
    hits = []
    for article_id, score in found:
        _, title, media, published, url, share_url, summary, body = rows[article_id]
        text, spans = snippet(highlight, body, summary, title)
        hits.append(
            SearchHit(
                id=article_id,
                title=title,
                media=media,
                published=published,
                url=url or share_url,
                categories=tuple(categories.get(article_id, ())),
                score=score,
                snippet=text,
                highlights=spans,
            )
        )
    return hits


def snippet(
    highlight: re.Pattern[str] | None, *texts: str | None, width: int = SNIPPET_CHARS
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About ``width`` characters of the first text where the query occurs, on one line,
    with the ``[start, end)`` offsets of every occurrence in it."""
    candidates = [" ".join(text.split()) for text in texts if text]
    if not candidates:
        return "", ()
    chosen, first = candidates[0], None
    if highlight is not None:
        for text in candidates:
            first = highlight.search(text)
            if first:
                chosen = text
                break
    start = 0 if first is None else max(0, first.start() - width // 4)
    end = min(len(chosen), start + width)
    start = max(0, min(start, end - width))
    window = chosen[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(chosen) else ""
    spans: list[tuple[int, int]] = []
    if highlight is not None:
        for found in highlight.finditer(chosen, start, end):
            if found.end() > found.start():
                offset = len(prefix) - start
                spans.append((found.start() + offset, found.end() + offset))
    return prefix + window + suffix, tuple(spans)
