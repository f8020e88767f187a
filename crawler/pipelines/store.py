"""The one place a crawl writes to the store: batched, each batch one transaction.

The pipeline holds the store's write lock (``storage.lock``) from the crawl's start to its
end, records the run in ``crawl_runs`` (who runs it, when by the wall clock, how it ended)
and counts each batch's articles in the transaction that writes them, so the run's counts
always equal what the store holds, however the crawl ends.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sqlite3
from datetime import datetime
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from crawler import stats as page_stats
from crawler.clock import crawl_clock
from crawler.failures import count_drop
from crawler.items import ArticleItem, ListingItem
from crawler.listings import ListingCovered
from storage import ArticleRecord, Category, SaveResult, Store, StoreError
from storage.listings import add_coverage
from storage.lock import write_lock
from storage.slugs import slugify
from storage.store import explain
from storage.times import CHINA_TZ, isoformat_china

logger = logging.getLogger(__name__)

# Errors of one record (a value SQLite cannot bind), as opposed to errors of the store.
RECORD_ERRORS = (
    UnicodeError,
    ValueError,
    TypeError,
    sqlite3.InterfaceError,
    sqlite3.ProgrammingError,
    sqlite3.IntegrityError,
    sqlite3.DataError,
)
RUN_STATUS_STAT = "finews/run/status"
RUN_FAILURE_STAT = "finews/run/failure"  # why a failed run failed, in one line


def article_record(item: ArticleItem) -> ArticleRecord:
    """The store's view of a normalized item, with its media category (columns come as
    ListingItems)."""
    categories: list[Category] = []
    if item.media:
        categories.append(Category(slugify(item.media), item.media, "media"))
    return ArticleRecord(
        id=item.id,
        title=item.title,
        published=item.published,
        body_html=item.body_html,
        body_text=item.body_text,
        url=item.url,
        share_url=item.share_url,
        media=item.media,
        summary=item.summary,
        categories=categories,
    )


def column_category(column: str, name: str) -> Category:
    return Category(slugify(column), name or column, "column")


def wall_clock() -> str:
    """Now, as the store keeps times: a run's start and end are real times, whatever clock
    the crawl reads its pages with."""
    return isoformat_china(datetime.now(CHINA_TZ))


class StorePipeline:
    """Buffers items and writes them in batches; records the crawl run."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.db_path = settings["FINEWS_DB"]
        self.batch_size = max(1, settings.getint("FINEWS_BATCH_SIZE"))
        self.fixed_clock = settings.get("FINEWS_NOW") or None
        self.clock = isoformat_china(crawl_clock(self.fixed_clock))
        self.store: Store | None = None
        self.held = contextlib.ExitStack()
        self.run_id = 0
        self.articles: list[ArticleRecord] = []
        # Column memberships wait until their article is stored (it may still be downloading).
        self.memberships: dict[tuple[str, str], Category] = {}
        self.coverage: list[ListingCovered] = []
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        # The close reason (Ctrl-C, a store error) is known only once the spider has closed,
        # after close_spider: the run is recorded then.
        crawler.signals.connect(pipeline.spider_closed, signal=scrapy.signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.held.enter_context(write_lock(self.db_path))
        try:
            self.store = Store.open(self.db_path)
            host = socket.gethostname()
            for run_id in self.store.mark_interrupted_runs(host):
                logger.warning(
                    "crawl run %d in %s never recorded its end: marked interrupted",
                    run_id,
                    self.db_path,
                )
            self.run_id = self.store.start_run(
                wall_clock(), pid=os.getpid(), host=host, clock=self.fixed_clock and self.clock
            )
        except BaseException:
            self._close()
            raise
        self._set("finews/store/run_id", self.run_id)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ArticleItem):
            self._inc("finews/articles/read", 1)
            self.articles.append(article_record(item))
            if len(self.articles) >= self.batch_size:
                self.flush()
        elif isinstance(item, ListingItem):
            category = column_category(item.column, item.column_name)
            self.memberships[(item.id, category.slug)] = category
        elif isinstance(item, ListingCovered):
            self.coverage.append(item)
        return item

    def flush(self) -> None:
        """Write the articles in hand, then every membership whose article is now stored."""
        if self.store is None or self.failed:
            return
        batch, self.articles = self.articles, []
        try:
            self._write(batch)
        except RECORD_ERRORS:
            # One article SQLite cannot take must not cost the others of its batch.
            for record in batch:
                try:
                    self._write([record])
                except RECORD_ERRORS as exc:
                    self._drop(record, exc)
                except (sqlite3.Error, StoreError) as exc:
                    self._store_failed(exc, batch)
                    return
        except (sqlite3.Error, StoreError) as exc:
            self._store_failed(exc, batch)

    def _write(self, batch: list[ArticleRecord]) -> None:
        """One transaction: the articles, the memberships now possible, the run's counts."""
        assert self.store is not None
        with self.store.transaction():
            result: SaveResult = self.store.save_articles(batch, self.clock)
            stored = self.store.known_ids({article_id for article_id, _ in self.memberships})
            ready = [(aid, cat) for (aid, _), cat in self.memberships.items() if aid in stored]
            self.store.add_memberships(ready)
            counts = {
                "new": len(result.new),
                "updated": len(result.updated),
                "unchanged": len(result.unchanged),
            }
            self.store.add_run_counts(self.run_id, counts)
        for article_id, category in ready:
            del self.memberships[(article_id, category.slug)]
        for name, count in counts.items():
            self._inc(f"finews/store/{name}", count)
        self._inc("finews/store/merged", len(batch) - len({record.id for record in batch}))

    def _drop(self, record: ArticleRecord, exc: Exception) -> None:
        where = record.url or record.share_url or record.id
        reason = f"article {record.id} cannot be stored: {type(exc).__name__}: {exc}"
        logger.warning("article dropped: %s: %s", where, reason)
        if self.stats is not None:
            count_drop(self.stats, "unstorable", f"{where}: dropped: {reason}")

    def _store_failed(self, exc: Exception, batch: list[ArticleRecord]) -> None:
        self.failed = True
        cause = explain(exc, self.db_path) if isinstance(exc, sqlite3.Error) else str(exc)
        ids = {record.id for record in batch}
        try:
            lost = len(ids - self.store.known_ids(ids)) if self.store else len(ids)
        except (sqlite3.Error, StoreError):
            lost = len(ids)
        stored = self.stats.get_value("finews/store/new", 0) if self.stats else 0
        message = (
            f"could not write to {self.db_path}: {cause}. {lost} article(s) of the last batch"
            f" were not stored; the {stored} new article(s) stored before are intact."
            " Stopping the crawl."
        )
        logger.error(message)
        self._inc("finews/store/failed", lost)
        self._set("finews/store/error", message)
        # Crawler.engine raises until the crawl has started (a batch written by a test alone).
        with contextlib.suppress(RuntimeError):
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))

    def close_spider(self) -> None:
        self.flush()

    def spider_closed(self, reason: str) -> None:
        if self.store is None:
            self._close()
            return
        stats = self.stats.get_stats() if self.stats is not None else {}
        status, errors = self._outcome(reason, stats)
        self._set(RUN_STATUS_STAT, status)
        if status == "failed":
            self._set(RUN_FAILURE_STAT, errors[-1])
        counts = {
            "skipped": stats.get("finews/skipped", 0),
            "failed": stats.get("finews/pages/failed", 0),
            "bad_dates": stats.get("finews/dates/bad", 0),
            "dropped": stats.get("finews/dropped", 0),
        }
        try:
            if status == "finished":
                # After every article of the crawl is stored: a covered page never hides one.
                for covered in self.coverage:
                    add_coverage(self.store, covered.listing, covered.article_ids, self.run_id)
            self.store.finish_run(self.run_id, wall_clock(), counts, errors, status)
            self.store.record_page_kinds(self.run_id, page_stats.page_kinds(stats))
        except (sqlite3.Error, StoreError) as exc:
            cause = explain(exc, self.db_path) if isinstance(exc, sqlite3.Error) else exc
            logger.error(
                "could not record the end of crawl run %d in %s: %s (the next run marks it"
                " interrupted)",
                self.run_id,
                self.db_path,
                cause,
            )
        finally:
            self._close()

    def _outcome(self, reason: str, stats: dict[str, Any]) -> tuple[str, list[str]]:
        """The run's status and error list, from the close reason and the crawl's stats."""
        errors = list(stats.get("finews/errors", []))
        if self.failed:
            return "failed", [*errors, stats.get("finews/store/error", "store error")]
        if reason == "shutdown":  # SIGINT or SIGTERM
            return "interrupted", errors
        if reason != "finished":  # a CLOSESPIDER_* limit the user set: the run still finished
            errors.append(f"the crawl stopped early: {reason}")
        if not stats.get("finews/articles/read") and not stats.get("finews/skipped"):
            if not stats.get("downloader/request_count"):
                return "failed", [*errors, "nothing was crawled: no page was requested"]
            if stats.get("finews/pages/failed"):
                return "failed", [*errors, "nothing was crawled: every page failed"]
        return "finished", errors

    def _close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
        self.held.close()

    def _inc(self, key: str, count: int) -> None:
        if self.stats is not None and count:
            self.stats.inc_value(key, count)

    def _set(self, key: str, value: Any) -> None:
        if self.stats is not None:
            self.stats.set_value(key, value)
