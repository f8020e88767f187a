"""The Datasette plugin shipped with finews (entry point ``datasette: finews``).

Datasette's search box passes its text to SQL as ``escape_fts(:search)``, which quotes each
word for FTS5; the index holds character pairs, so in a finews store this plugin replaces
``escape_fts`` with the query compiler of ``finews search`` (:func:`storage.search.compile_query`),
and adds SQL functions for canned queries and your own SQL:

- ``finews_match(query)``: the FTS5 expression for a query, for
  ``WHERE article_search MATCH finews_match(:q)``;
- ``finews_snippet(query, title, summary, body)``: a snippet with the matches in ``[…]``.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

from storage.search import QueryError, compile_query, snippet

# Matches no row: what the search box finds for a query that cannot be searched.
_NOTHING = '"\ue001"'


def finews_match(query: str | None) -> str:
    """The FTS5 expression for ``query``; raises on a query that cannot be searched.

    An empty query matches nothing (a canned query's form before anything is typed)."""
    if not (query or "").strip():
        return _NOTHING
    return compile_query(query).match


def finews_snippet(query: str | None, *texts: str | None) -> str:
    """About 80 characters around the first match, the matches in ``[…]``."""
    try:
        compiled = compile_query(query or "")
    except QueryError:
        return ""
    text, spans = snippet(compiled.highlight, *texts)
    out, at = [], 0
    for start, end in spans:
        out += [text[at:start], "[", text[start:end], "]"]
        at = end
    return "".join([*out, text[at:]])


def _search_box(query: str | None) -> str:
    try:
        return finews_match(query)
    except QueryError:
        return _NOTHING


def _is_finews_store(conn: sqlite3.Connection) -> bool:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'article_search_rows'"
    ).fetchone()
    return found is not None


# trylast: run after Datasette's own prepare_connection, so that this escape_fts wins.
@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    if not _is_finews_store(conn):
        return
    conn.create_function("finews_match", 1, finews_match, deterministic=True)
    conn.create_function("finews_snippet", 4, finews_snippet, deterministic=True)
    conn.create_function("escape_fts", 1, _search_box, deterministic=True)
