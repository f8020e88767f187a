"""Datasette metadata for a finews store: descriptions, facets, search and a canned query."""

from __future__ import annotations

from typing import Any

from storage.schema_docs import TABLES

SEARCH_SQL = """\
SELECT a.id, a.published, a.title, a.media, a.url,
       finews_snippet(:q, a.title, a.summary, a.body_text) AS snippet
  FROM article_search AS s
  JOIN article_search_rows AS r ON r.search_rowid = s.rowid
  JOIN articles AS a ON a.id = r.article_id
 WHERE article_search MATCH finews_match(:q)
 ORDER BY s.rank, r.search_rowid DESC
 LIMIT 100"""

# Per table: what Datasette should do beyond describing it.
_EXTRA: dict[str, dict[str, Any]] = {
    "articles": {"facets": ["media"], "sort_desc": "published"},
    "article_categories": {"facets": ["category"], "sort_desc": "published"},
    "categories": {"facets": ["kind"]},
    "crawl_runs": {"sort_desc": "id"},
    "newest": {
        "fts_table": "article_search",
        "fts_pk": "search_rowid",
        "facets": ["media", {"array": "categories"}],
    },
}


def datasette_metadata(database: str) -> dict[str, Any]:
    """Metadata for serving a finews store under the name ``database`` (its file's stem)."""
    tables = {}
    for name, doc in TABLES.items():
        table: dict[str, Any] = {"description": doc.description, "columns": dict(doc.columns)}
        table.update(_EXTRA.get(name, {}))
        tables[name] = table
    return {
        "title": "finews",
        "description": "Chinese financial news from East Money, as finews stored it. Search in"
        " the newest view or with the search query (same results as `finews search`).",
        "databases": {
            database: {
                "tables": tables,
                "queries": {
                    "search": {
                        "title": "Search articles",
                        "description": "Most relevant first, as `finews search QUERY --limit"
                        " 100`: Chinese as written (two characters or more), ASCII words"
                        ' whole, OR / NOT / "phrases" as in finews search.',
                        "sql": SEARCH_SQL,
                    }
                },
            }
        },
    }
