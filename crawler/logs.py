"""Logs a cron job can read: one line per failed page, one per dropped copy, no tracebacks.

finews logs each failed page itself (``page failed: URL: reason``, from the spider) and each
dropped copy (``article dropped: URL: reason``). Below DEBUG, the Scrapy loggers that would
say the same again (a retry given up, a page over the size limit) or print a traceback for a
robots.txt that could not be fetched are held back to CRITICAL; ``-v -v`` (DEBUG) shows them.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.logformatter import LogFormatter, LogFormatterResult

# Loggers whose lines finews's own lines replace (see the module docstring).
REPEATING_LOGGERS = (
    "scrapy.downloadermiddlewares.retry",
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.core.downloader.handlers.http11",
)


class OneLineLogFormatter(LogFormatter):
    """A dropped copy in one line (Scrapy's default prints the whole item after it)."""

    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any
    ) -> LogFormatterResult:
        return {
            "level": logging.WARNING,
            "msg": "article dropped: %(reason)s",
            "args": {"reason": exception},
        }


class QuietRepeats:
    """Extension: below DEBUG, hold back the Scrapy lines finews's own lines repeat."""

    def __init__(self, crawler: Crawler) -> None:
        level = logging.getLevelName(str(crawler.settings.get("LOG_LEVEL", "DEBUG")).upper())
        if isinstance(level, int) and level > logging.DEBUG:
            for name in REPEATING_LOGGERS:
                logging.getLogger(name).setLevel(logging.CRITICAL)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietRepeats:
        return cls(crawler)
