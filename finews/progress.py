"""A live progress line for crawls run on a terminal (``finews crawl`` adds it only then).

Once a second: pages fetched, articles new and known, failures and the request rate, drawn
over itself on stderr. Log lines clear it before they print, and it is cleared at the end, so
what stays on the screen is what a log file would hold.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import create_looping_call

CLEAR = "\r\x1b[K"
INTERVAL = 1.0


class _ClearBeforeRecord(logging.Filter):
    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def filter(self, record: logging.LogRecord) -> bool:
        self.stream.write(CLEAR)
        return True


class ProgressLine:
    """Scrapy extension drawing the progress line on ``stream`` (stderr)."""

    def __init__(self, crawler: Crawler, stream: TextIO | None = None) -> None:
        self.stats = crawler.stats
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.loop: Any = None
        self.clearer = _ClearBeforeRecord(self.stream)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        for handler in logging.getLogger().handlers:
            handler.addFilter(self.clearer)
        self.loop = create_looping_call(self.draw)
        self.loop.start(INTERVAL, now=False)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self.clearer)
        self.stream.write(CLEAR)
        self.stream.flush()

    def text(self) -> str:
        stats = self.stats.get_stats()
        pages = stats.get("response_received_count", 0)
        elapsed = max(time.monotonic() - self.started, 1e-9)
        return (
            f"{pages} pages, {stats.get('finews/articles/read', 0)} articles read"
            f" ({stats.get('finews/store/new', 0)} stored as new so far),"
            f" {stats.get('finews/skipped', 0)} known, {stats.get('finews/pages/failed', 0)}"
            f" failed, {pages / elapsed:.1f} pages/s"
        )

    def draw(self) -> None:
        self.stream.write(CLEAR + self.text())
        self.stream.flush()
