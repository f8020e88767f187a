"""What every table, view and column of the store holds, in words (Datasette shows these).

A test checks that every table and column of a freshly migrated store is described here, so
a migration that adds one adds its description too.
"""

from __future__ import annotations

from typing import NamedTuple


class TableDoc(NamedTuple):
    description: str
    columns: dict[str, str]


_TIME = "YYYY-MM-DDTHH:MM:SS+08:00 (China time)"
_FTS_STORAGE = "FTS5's own storage for article_search (not for reading)."

TABLES: dict[str, TableDoc] = {
    "articles": TableDoc(
        "One row per article, whichever URL it came from.",
        {
            "id": "infoCode: NW + 18 digits",
            "title": "Title",
            "url": "The article page",
            "share_url": "The share link, when one was seen",
            "media": "Media name (来源)",
            "published": f"Publication time, {_TIME}; the first-seen time when the source gives none",
            "summary": "Summary (the source's, or the body's start)",
            "body_html": "Body HTML as received, with absolute URLs; not sanitized",
            "body_text": "Body as plain text",
            "content_hash": "Fingerprint of title, time, media and body text: changes with the content",
            "first_seen": f"When finews first stored it, {_TIME}",
            "last_seen": f"When finews last saw it, {_TIME}",
            "updated": f"When its content last changed, {_TIME}; empty if never",
        },
    ),
    "categories": TableDoc(
        "Media (来源) and East Money columns; each has feeds.",
        {
            "slug": "File-name-safe name: pinyin of the media name, or the column's short name",
            "name": "Display name",
            "kind": "media or column",
            "revision": "Moves whenever one of its articles changes (feeds rebuild on a move)",
        },
    ),
    "article_categories": TableDoc(
        "Which article is in which category.",
        {
            "article_id": "articles.id",
            "category": "categories.slug",
            "published": "Copy of articles.published (a category's newest read from one index)",
            "content_hash": "Copy of articles.content_hash",
        },
    ),
    "article_revisions": TableDoc(
        "Earlier versions of articles whose content changed.",
        {
            "id": "Revision number (grows over time)",
            "article_id": "articles.id",
            "title": "Title of this version",
            "media": "Media name of this version",
            "published": "Publication time of this version",
            "summary": "Summary of this version",
            "body_html": "Body HTML of this version",
            "content_hash": "Fingerprint of this version",
            "replaced": f"When this version stopped being current, {_TIME}",
        },
    ),
    "crawl_runs": TableDoc(
        "One row per crawl.",
        {
            "id": "Run number",
            "started": f"Start, {_TIME}",
            "finished": f"End, {_TIME}; empty while running",
            "status": "running, finished, failed or interrupted (README: When things go wrong)",
            "new": "Articles stored for the first time",
            "updated": "Articles whose content changed",
            "unchanged": "Articles seen again unchanged",
            "skipped": "Articles not downloaded because they were stored",
            "failed": "Pages that could not be read",
            "bad_dates": "Times that could not be read",
            "errors": "JSON list of error messages",
            "shape_misses": "Pages of a known kind that yielded nothing they should",
            "page_kinds": "JSON object per kind of page: pages read, matched, misses,"
            " articles, bad_dates and a sample miss URL",
            "pid": "Process id of the crawl",
            "host": "Host name of the machine that crawled",
            "clock": "The crawl's fixed clock (FINEWS_NOW) when one was set",
            "dropped": "Article copies dropped (no title, empty body), each listed in errors",
        },
    ),
    "listing_coverage": TableDoc(
        "Articles on listing pages that a finished crawl paged past: paging stops early only"
        " at pages covered here (README: Crawl).",
        {
            "listing": "The listing, e.g. column:cywjh or fastnews:102",
            "article_id": "articles.id",
            "run_id": "crawl_runs.id of the crawl that paged past it",
        },
    ),
    "schema_migrations": TableDoc(
        "The store's migrations applied so far (storage/migrations/).",
        {"version": "Migration number", "name": "Migration file"},
    ),
    "article_search": TableDoc(
        "Full-text index of title, summary and body (tokens only; see README, Search). Query"
        " with MATCH and a phrase of character pairs, or finews_match('数字经济') in Datasette.",
        {
            "title": "Tokens of articles.title (not stored: reads as empty)",
            "summary": "Tokens of articles.summary (not stored: reads as empty)",
            "body": "Tokens of articles.body_text (not stored: reads as empty)",
            "article_search": "The table's own name as a column: MATCH target and FTS5 commands",
            "rank": "bm25 relevance of a match: lower is more relevant",
        },
    ),
    "article_search_rows": TableDoc(
        "Which article each row of article_search is.",
        {
            "search_rowid": "article_search.rowid",
            "article_id": "articles.id",
            "published": "Copy of articles.published (sorting matches by time)",
        },
    ),
    "article_search_data": TableDoc(_FTS_STORAGE, {"id": "Block id", "block": "Index data"}),
    "article_search_idx": TableDoc(
        _FTS_STORAGE, {"segid": "Segment", "term": "First term", "pgno": "Page"}
    ),
    "article_search_docsize": TableDoc(
        _FTS_STORAGE, {"id": "Row", "sz": "Tokens per column (for bm25)"}
    ),
    "article_search_config": TableDoc(_FTS_STORAGE, {"k": "Setting", "v": "Value"}),
    "newest": TableDoc(
        "Articles, newest first, with their categories. Its search box searches like"
        " finews search.",
        {
            "published": f"Publication time, {_TIME}",
            "title": "Title",
            "media": "Media name (来源)",
            "categories": "JSON list of category slugs",
            "url": "The article page",
            "id": "articles.id",
            "search_rowid": "article_search.rowid (what the search box matches)",
        },
    ),
    "per_media_day": TableDoc(
        "Articles per media per day (China time).",
        {"day": "YYYY-MM-DD", "media": "Media name", "articles": "Articles published that day"},
    ),
    "merged": TableDoc(
        "Articles that reached finews by more than one way and were kept as one: as an"
        " article page and as a share link, or on more than one column list.",
        {
            "id": "articles.id",
            "published": "Publication time",
            "title": "Title",
            "url": "The article page",
            "share_url": "The share link",
            "columns": "JSON list of the column categories it was found on",
        },
    ),
    "revised": TableDoc(
        "Articles whose content changed after they were first stored.",
        {
            "id": "articles.id",
            "published": "Publication time",
            "title": "Current title",
            "revisions": "Earlier versions kept in article_revisions",
            "last_change": f"When the content last changed, {_TIME}",
        },
    ),
}
