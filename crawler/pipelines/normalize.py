"""Normalize an article copy: time in China time, clean title and body, its categories."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler import stats as page_stats
from crawler.clock import crawl_clock
from crawler.items import ArticleItem
from crawler.parsing.content import clean_body_html, clean_title, html_to_text, summarize
from crawler.parsing.dates import DateParseError, parse_china_time
from storage.times import isoformat_china, more_precise

logger = logging.getLogger(__name__)


class NormalizePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.now = crawl_clock(crawler.settings.get("FINEWS_NOW"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        item.title = clean_title(item.title)
        if not item.title:
            raise DropItem(f"article {item.id} from {item.source_url} has no title")
        item.published = self.normalize_published(item)
        base = item.url if item.url and item.source_url != item.url else item.source_url
        item.body_html = clean_body_html(item.body_html or "", base_url=base)
        item.body_text = html_to_text(item.body_html)
        item.summary = clean_title(item.summary) or summarize(item.body_text) or None
        item.media = clean_title(item.media) or None
        return item

    def normalize_published(self, item: ArticleItem) -> str | None:
        """The item's time as stored; None (kept at first-seen time) when unreadable."""
        if not item.published_raw:
            self._bad_date(item, "no time on the page")
            return None
        try:
            published = isoformat_china(parse_china_time(item.published_raw, self.now))
        except DateParseError as exc:
            self._bad_date(item, str(exc))
            return None
        # The list or API record may give the page's minute to the second.
        if item.listed_time and item.listed_time != item.published_raw:
            try:
                listed = isoformat_china(parse_china_time(item.listed_time, self.now))
            except DateParseError:
                return published
            return more_precise(published, listed)
        return published

    def _bad_date(self, item: ArticleItem, reason: str) -> None:
        logger.warning(
            "article %s (%s): %s; keeping its first-seen time", item.id, item.source_url, reason
        )
        if self.stats is not None:
            self.stats.inc_value("finews/dates/bad")
            page_stats.bad_date(self.stats, item.page_kind)
