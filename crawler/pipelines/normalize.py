"""Normalize an article copy: time in China time, clean title and body, its categories.

Rules for what a source may send:

- **Text.** Characters no store or feed can carry are removed from every field: lone
  surrogates (``\\ud800`` from a JSON escape), control characters other than tab and line
  breaks, U+FFFE/U+FFFF, and U+FFFD (a character already lost before it reached finews). A
  title longer than :data:`MAX_TITLE` characters is cut there, with ``…``.
- **No article.** A copy without a title, or whose body has neither text nor an image, is
  dropped: logged with its URL and reason, counted in ``finews/dropped/<reason>`` and listed
  in the run's errors. It never becomes an empty row.
- **Dates.** A copy without a time, with a time finews cannot read (``昨天 10:00``,
  ``2022-13-45``) or with a time later than the crawl's clock plus
  :data:`~crawler.parsing.dates.FUTURE_TOLERANCE` (one day: clock skew, a page published just
  after midnight) is stored with the time it was first seen, and counted as a bad date. A
  future time is not believed: it would sit first in every feed for years.
"""

from __future__ import annotations

import logging
import re
from dataclasses import fields
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler import stats as page_stats
from crawler.clock import crawl_clock
from crawler.failures import count_drop
from crawler.items import ArticleItem
from crawler.parsing.content import clean_body_html, clean_title, html_to_text, summarize
from crawler.parsing.dates import FUTURE_TOLERANCE, DateParseError, parse_china_time
from storage.times import isoformat_china, more_precise

logger = logging.getLogger(__name__)

MAX_TITLE = 300
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\ufffe\uffff]")
_IMAGE = re.compile(r"<img\b", re.I)


def storable(text: str) -> str:
    """``text`` without the characters no store or feed can carry (see the module rules)."""
    return _UNSTORABLE.sub("", text)


class ArticleDropped(DropItem):
    """A copy that holds no article; ``reason`` is a short name for the stats."""

    def __init__(self, item: ArticleItem, reason: str, message: str) -> None:
        super().__init__(f"{item.source_url}: {message}")
        self.reason = reason
        self.error_line = f"{item.source_url}: dropped: {message}"


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
        try:
            return self._normalize(item)
        except ArticleDropped as dropped:
            if self.stats is not None:
                count_drop(self.stats, dropped.reason, dropped.error_line)
            raise

    def _normalize(self, item: ArticleItem) -> ArticleItem:
        for field in fields(item):
            value = getattr(item, field.name)
            if isinstance(value, str):
                setattr(item, field.name, storable(value))
        item.title = clean_title(item.title)
        if not item.title:
            raise ArticleDropped(item, "no_title", f"article {item.id} has no title")
        if len(item.title) > MAX_TITLE:
            item.title = item.title[: MAX_TITLE - 1].rstrip() + "…"
        item.published = self.normalize_published(item)
        base = item.url if item.url and item.source_url != item.url else item.source_url
        item.body_html = clean_body_html(item.body_html or "", base_url=base)
        item.body_text = html_to_text(item.body_html)
        if not item.body_text and not _IMAGE.search(item.body_html):
            raise ArticleDropped(item, "empty_body", f"article {item.id} has an empty body")
        item.summary = clean_title(item.summary) or summarize(item.body_text) or None
        item.media = clean_title(item.media) or None
        return item

    def normalize_published(self, item: ArticleItem) -> str | None:
        """The item's time as stored; None (kept at first-seen time) when unreadable or in the
        future (see the module rules)."""
        if not item.published_raw:
            self._bad_date(item, "no time on the page")
            return None
        try:
            parsed = parse_china_time(item.published_raw, self.now)
        except DateParseError as exc:
            self._bad_date(item, str(exc))
            return None
        if parsed > self.now + FUTURE_TOLERANCE:
            self._bad_date(item, f"{item.published_raw!r} is in the future, not believed")
            return None
        published = isoformat_china(parsed)
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
