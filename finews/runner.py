"""Run a crawl from code or the CLI and sum it up."""

from __future__ import annotations

import gc
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import stats as page_stats
from crawler.spiders.eastmoney import EastMoneySpider
from storage import Store
from storage.slugs import slugify


@dataclass
class CrawlSummary:
    db: str
    finish_reason: str = "finished"
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    merged: int = 0
    failed_pages: int = 0
    bad_dates: int = 0
    requests: int = 0
    articles: int = 0
    categories: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    store_error: str | None = None
    # Pages of a known kind that stopped matching, per kind, and the first few of them.
    shape_misses: dict[str, int] = field(default_factory=dict)
    miss_samples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """False when the crawl stopped early, the store failed, or nothing could be fetched."""
        if self.finish_reason != "finished" or self.store_error:
            return False
        reached = self.new + self.updated + self.unchanged + self.skipped
        return not (self.failed_pages and not reached)

    def report(self) -> str:
        lines = [
            f"articles stored: {self.new} new, {self.updated} updated, {self.unchanged} unchanged,"
            f" {self.skipped} skipped as already stored",
            f"duplicates merged: {self.merged + self.unchanged}",
            f"pages that failed: {self.failed_pages}; unreadable dates: {self.bad_dates};"
            f" requests: {self.requests}",
            f"database: {self.db} ({self.articles} articles in {self.categories} categories)",
        ]
        lines.extend(f"  failed: {error}" for error in self.errors[:20])
        if self.shape_misses:
            kinds = ", ".join(f"{kind} {count}" for kind, count in self.shape_misses.items())
            lines.append(f"shape misses (the site changed?): {kinds}")
            lines.extend(f"  shape miss: {sample}" for sample in self.miss_samples[:20])
        if self.store_error:
            lines.append(f"store error: {self.store_error}")
        if self.finish_reason != "finished":
            lines.append(f"the crawl stopped early: {self.finish_reason}")
        return "\n".join(lines)


def crawl_settings(
    db: str, overrides: Mapping[str, Any] | None = None, log_level: str = "WARNING"
) -> Settings:
    """The project's settings, the store path, then ``-s NAME=VALUE`` overrides."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("FINEWS_DB", db, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    urls: Sequence[str],
    db: str,
    max_pages: int,
    overrides: Mapping[str, Any] | None = None,
    log_level: str = "WARNING",
) -> CrawlSummary:
    """Crawl ``urls`` into the store at ``db``; blocks until done. Once per process (Twisted).

    Raises :class:`storage.StoreError` when the store cannot be opened.
    """
    started = time.monotonic()
    # Open (and migrate) the store first: a bad path fails here, clearly, before any request.
    Store.open(db).close()
    process = CrawlerProcess(crawl_settings(db, overrides, log_level))
    crawler = process.create_crawler(EastMoneySpider)
    process.crawl(crawler, urls=list(urls), max_pages=max_pages)
    # pypinyin's dictionaries are hundreds of thousands of long-lived objects: load them now
    # and freeze them, so that the garbage collections Scrapy's per-response allocations
    # trigger stop rescanning them (a third of a crawl's CPU time on a local site).
    slugify("东方财富")
    gc.freeze()
    process.start()
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    summary = CrawlSummary(
        db=db,
        finish_reason=str(stats.get("finish_reason", "finished")),
        new=stats.get("finews/store/new", 0),
        updated=stats.get("finews/store/updated", 0),
        unchanged=stats.get("finews/store/unchanged", 0),
        skipped=stats.get("finews/skipped", 0),
        merged=stats.get("finews/store/merged", 0),
        failed_pages=stats.get("finews/pages/failed", 0),
        bad_dates=stats.get("finews/dates/bad", 0),
        requests=stats.get("downloader/request_count", 0),
        errors=list(stats.get("finews/errors", [])),
        store_error=stats.get("finews/store/error"),
        seconds=time.monotonic() - started,
        shape_misses={
            kind: counts["misses"]
            for kind, counts in page_stats.page_kinds(stats).items()
            if counts["misses"]
        },
        miss_samples=page_stats.miss_samples(stats),
    )
    try:
        with Store.open(db, readonly=True) as store:
            counts = store.counts()
        summary.articles, summary.categories = counts["articles"], counts["categories"]
    except Exception as exc:  # noqa: BLE001 - the summary must still print
        summary.errors.append(f"cannot read {db}: {exc}")
    return summary
