"""The crawl's own Scrapy stats per kind of page: pages read, pages that matched, shape misses.

A *shape miss* is a page of a known kind that yields nothing it should (a first list page
without items, an article page without title or body, an API answer without its list):
the site changed. Names (all under ``finews/``):

- ``finews/pages/<kind>/read``: pages of the kind parsed;
- ``finews/pages/<kind>/matched``: of them, pages that gave what their kind gives;
- ``finews/pages/<kind>/articles``: articles read from pages of the kind;
- ``finews/shape_miss/<kind>``: shape misses, and ``finews/pages/<kind>/misses`` the first
  few as ``"URL: what was missing"``;
- ``finews/dates/bad/<kind>``: articles of the kind whose time could not be read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scrapy.statscollectors import StatsCollector

# Page kinds, as crawler.parsing.urls.classify names them (a share link is read as "api").
KINDS = ("list", "article", "api", "fastnews", "kuaixun", "colapi")
MAX_MISSES_KEPT = 10


def page_read(stats: StatsCollector, kind: str, matched: bool) -> None:
    """Count a page of ``kind`` that was parsed, and whether it matched its kind's shape."""
    stats.inc_value(f"finews/pages/{kind}/read")
    if matched:
        stats.inc_value(f"finews/pages/{kind}/matched")


def article_read(stats: StatsCollector, kind: str) -> None:
    """Count an article read from a page of ``kind``."""
    stats.inc_value(f"finews/pages/{kind}/articles")


def shape_miss(stats: StatsCollector, kind: str, url: str, what: str) -> None:
    """Count a page of ``kind`` that did not match, and keep the first few as samples."""
    stats.inc_value(f"finews/shape_miss/{kind}")
    key = f"finews/pages/{kind}/misses"
    samples = stats.get_value(key) or []
    if len(samples) < MAX_MISSES_KEPT:
        stats.set_value(key, [*samples, f"{url}: {what}"])


def bad_date(stats: StatsCollector, kind: str) -> None:
    """Count an article of ``kind`` whose time could not be read."""
    stats.inc_value(f"finews/dates/bad/{kind}")


def page_kinds(stats: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per kind of page seen in a crawl: ``pages``, ``matched``, ``misses``, ``articles``,
    ``bad_dates`` and ``sample`` (the first shape miss, or None). Kinds never seen are left
    out."""
    kinds = {}
    for kind in KINDS:
        counts = {
            "pages": stats.get(f"finews/pages/{kind}/read", 0),
            "matched": stats.get(f"finews/pages/{kind}/matched", 0),
            "misses": stats.get(f"finews/shape_miss/{kind}", 0),
            "articles": stats.get(f"finews/pages/{kind}/articles", 0),
            "bad_dates": stats.get(f"finews/dates/bad/{kind}", 0),
        }
        if any(counts.values()):
            samples = stats.get(f"finews/pages/{kind}/misses") or [None]
            kinds[kind] = {**counts, "sample": samples[0]}
    return kinds
