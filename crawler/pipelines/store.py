"""The one place a crawl writes to the store: batched, each batch one transaction."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import Any

from scrapy.crawler import Crawler

from crawler import stats as page_stats
from crawler.clock import crawl_clock
from crawler.items import ArticleItem, ListingItem
from storage import ArticleRecord, Category, Store, StoreError
from storage.slugs import slugify
from storage.times import isoformat_china

logger = logging.getLogger(__name__)


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


class StorePipeline:
    """Buffers items and writes them in batches; records the crawl run."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.db_path = settings["FINEWS_DB"]
        self.batch_size = max(1, settings.getint("FINEWS_BATCH_SIZE"))
        self.clock = isoformat_china(crawl_clock(settings.get("FINEWS_NOW")))
        self.store: Store | None = None
        self.run_id = 0
        self.articles: list[ArticleRecord] = []
        # Column memberships wait until their article is stored (it may still be downloading).
        self.memberships: dict[tuple[str, str], Category] = {}
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.store = Store.open(self.db_path)
        self.run_id = self.store.start_run(self.clock)
        self._set("finews/store/run_id", self.run_id)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ArticleItem):
            self.articles.append(article_record(item))
            if len(self.articles) >= self.batch_size:
                self.flush()
        elif isinstance(item, ListingItem):
            category = column_category(item.column, item.column_name)
            self.memberships[(item.id, category.slug)] = category
        return item

    def flush(self) -> None:
        """Write the articles in hand, then every membership whose article is now stored."""
        if self.store is None or self.failed:
            return
        batch, self.articles = self.articles, []
        try:
            result = self.store.save_articles(batch, self.clock)
            stored = self.store.known_ids({article_id for article_id, _ in self.memberships})
            ready = [(aid, cat) for (aid, _), cat in self.memberships.items() if aid in stored]
            self.store.add_memberships(ready)
        except (sqlite3.Error, StoreError) as exc:
            self._store_failed(exc, len(batch))
            return
        for article_id, category in ready:
            del self.memberships[(article_id, category.slug)]
        self._inc("finews/store/new", len(result.new))
        self._inc("finews/store/updated", len(result.updated))
        self._inc("finews/store/unchanged", len(result.unchanged))
        self._inc("finews/store/merged", len(batch) - len({record.id for record in batch}))

    def _store_failed(self, exc: Exception, lost: int) -> None:
        self.failed = True
        message = (
            f"could not write to {self.db_path}: {exc}. {lost} article(s) of this batch were not"
            " stored; everything stored before is intact. Stopping the crawl."
        )
        logger.error(message)
        self._inc("finews/store/failed", lost)
        self._set("finews/store/error", message)
        engine = self.crawler.engine
        if engine is not None:
            asyncio.ensure_future(engine.close_spider_async(reason="store_error"))

    def close_spider(self) -> None:
        self.flush()
        if self.store is None:
            return
        stats = self.stats.get_stats() if self.stats is not None else {}
        reason = stats.get("finish_reason", "finished")
        if self.failed:
            status = "failed"
        else:
            status = "finished" if reason in (None, "finished") else "failed"
        counts = {
            "new": stats.get("finews/store/new", 0),
            "updated": stats.get("finews/store/updated", 0),
            "unchanged": stats.get("finews/store/unchanged", 0),
            "skipped": stats.get("finews/skipped", 0),
            "failed": stats.get("finews/pages/failed", 0),
            "bad_dates": stats.get("finews/dates/bad", 0),
        }
        errors = list(stats.get("finews/errors", []))
        if self.failed:
            errors.append(stats.get("finews/store/error", "store error"))
        try:
            finished = isoformat_china(crawl_clock(None))
            self.store.finish_run(self.run_id, finished, counts, errors, status)
            self.store.record_page_kinds(self.run_id, page_stats.page_kinds(stats))
        except (sqlite3.Error, StoreError) as exc:
            logger.error("could not record the crawl run in %s: %s", self.db_path, exc)
        finally:
            self.store.close()
            self.store = None

    def _inc(self, key: str, count: int) -> None:
        if self.stats is not None and count:
            self.stats.inc_value(key, count)

    def _set(self, key: str, value: Any) -> None:
        if self.stats is not None:
            self.stats.set_value(key, value)
