"""Skip what the store already has, before it is downloaded."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response

from storage import Store, StoreError

logger = logging.getLogger(__name__)


class SkipKnownArticlesMiddleware:
    """On a column list page: drop requests for stored articles, and stop paging the column
    at the first page whose articles are all stored.

    Only list pages are looked at; articles asked for by URL are always fetched.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.db_path = crawler.settings["FINEWS_DB"]
        self.enabled = crawler.settings.getbool("FINEWS_SKIP_KNOWN", True)
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipKnownArticlesMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=scrapy.signals.spider_closed)
        return middleware

    def spider_closed(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def _known(self, ids: set[str]) -> set[str]:
        if not ids or not self.enabled:
            return set()
        try:
            if self.store is None:
                self.store = Store.open(self.db_path)
            return self.store.known_ids(ids)
        except StoreError as exc:
            logger.warning("cannot read %s to skip known articles: %s", self.db_path, exc)
            return set()

    def _filter(self, response: Response, outputs: list[Any]) -> list[Any]:
        if not response.meta.get("finews_list"):
            return outputs
        article_ids = {
            out.meta["finews_article_id"]
            for out in outputs
            if isinstance(out, scrapy.Request) and out.meta.get("finews_article_id")
        }
        known = self._known(article_ids)
        kept = []
        for out in outputs:
            if isinstance(out, scrapy.Request):
                if out.meta.get("finews_article_id") in known:
                    if self.stats is not None:
                        self.stats.inc_value("finews/skipped")
                    continue
                if out.meta.get("finews_next_page") and article_ids and known == article_ids:
                    logger.info(
                        "%s: every article is stored already; not paging further", response.url
                    )
                    continue
            kept.append(out)
        return kept

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        return self._filter(response, list(result))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        for out in self._filter(response, [out async for out in result]):
            yield out
