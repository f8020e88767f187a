"""Reads of the crawl runs' records: what each run read per kind of page (migration 4)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from storage.store import Store

PAGE_KINDS_VERSION = 4  # the schema version that records page kinds


@dataclass(frozen=True)
class RunPageKinds:
    """One crawl run and what it read per kind of page (``{kind: {"pages", "matched",
    "misses", "articles", "bad_dates", "sample"}}``)."""

    id: int
    started: str  # ISO 8601, +08:00
    status: str
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)


def recent_runs(store: Store, limit: int) -> list[RunPageKinds]:
    """The newest ``limit`` crawl runs, oldest first. A store older than the page-kind
    records (opened read-only, not migrated) has none."""
    if store.schema_version < PAGE_KINDS_VERSION:
        return []
    rows = store.conn.execute(
        "SELECT id, started, status, page_kinds FROM crawl_runs ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    runs = []
    for run_id, started, status, kinds in reversed(rows):
        try:
            parsed = json.loads(kinds or "{}")
        except ValueError:
            parsed = {}
        runs.append(
            RunPageKinds(run_id, started, status, parsed if isinstance(parsed, dict) else {})
        )
    return runs
