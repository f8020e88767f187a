"""Skip what the store already has, before it is downloaded, without leaving gaps."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.listings import ListingTracker
from storage import Store, StoreError
from storage.listings import covered_ids

logger = logging.getLogger(__name__)


class SkipKnownArticlesMiddleware:
    """On a listing's page: drop requests for stored articles, and stop paging the listing at
    the first page whose articles are all stored and were all paged past by an earlier crawl
    that ended normally (``crawler.listings``).

    Only pages requested with ``meta["finews_list"]`` (the listing's key) are looked at;
    articles asked for by URL are always fetched.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.db_path = crawler.settings["FINEWS_DB"]
        self.enabled = crawler.settings.getbool("FINEWS_SKIP_KNOWN", True)
        self.store: Store | None = None
        self.listings = ListingTracker()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipKnownArticlesMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=scrapy.signals.spider_closed)
        return middleware

    def spider_closed(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def _known(self, listing: str, ids: set[str]) -> tuple[set[str], set[str]]:
        """Which of ``ids`` are stored, and which of those the listing covers."""
        if not ids or not self.enabled:
            return set(), set()
        try:
            if self.store is None:
                self.store = Store.open(self.db_path, readonly=True)
            known = self.store.known_ids(ids)
            return known, covered_ids(self.store, listing, known)
        except StoreError as exc:
            logger.warning("cannot read %s to skip known articles: %s", self.db_path, exc)
            return set(), set()

    def _filter(self, response: Response, outputs: list[Any]) -> list[Any]:
        listing = response.meta.get("finews_list")
        if not listing:
            return outputs
        listing = str(listing)
        next_page = bool(response.meta.get("finews_next_page"))
        ended = self.listings.page_arrived(listing, response.status, next_page)
        if response.status != 200:
            return [*outputs, ended] if ended else outputs
        article_ids = {
            out.meta["finews_article_id"]
            for out in outputs
            if isinstance(out, scrapy.Request) and out.meta.get("finews_article_id")
        }
        known, covered = self._known(listing, article_ids)
        stop = bool(article_ids) and known == article_ids and covered == article_ids
        kept = []
        paging_on = False
        for out in outputs:
            if isinstance(out, scrapy.Request):
                if out.meta.get("finews_article_id") in known:
                    if self.stats is not None:
                        self.stats.inc_value("finews/skipped")
                    continue
                if out.meta.get("finews_next_page"):
                    if stop:
                        logger.info(
                            "%s: every article is stored and an earlier crawl paged past"
                            " them; not paging further",
                            response.url,
                        )
                        continue
                    paging_on = True
            kept.append(out)
        covered_now = self.listings.page_read(
            listing, article_ids, paging_on=paging_on, stopped_here=stop
        )
        return [*kept, covered_now] if covered_now else kept

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        return self._filter(response, list(result))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        for out in self._filter(response, [out async for out in result]):
            yield out
