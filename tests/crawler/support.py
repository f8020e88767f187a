"""In-process Scrapy crawls for the crawler's tests.

A crawler is built with Scrapy's test utility from the project's own settings module, crawls
the fixture site on 127.0.0.1 in this process, and hands back the items that came out of the
pipelines (``item_scraped``), the crawl's stats and the requests the server answered. Scrapy's
log records go to pytest's log capture, shown with a failing test.

Twisted's reactor starts once per process, so these crawls run in the reactor that
pytest-twisted starts for the whole session (``--reactor=asyncio`` in pyproject.toml, the
reactor ``finews crawl`` runs in). A test that crawls is a coroutine wrapped in Scrapy's
``deferred_f_from_coro_f``: pytest-twisted waits for the Deferred it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest_twisted
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.items import ArticleItem, ListingItem
from crawler.spiders.eastmoney import EastMoneySpider
from finews.demo.server import RunningServer
from storage import ArticleRecord, Store


def settings_for(db: Path, now: str, **overrides: Any) -> dict[str, Any]:
    """The project's settings (``crawler/settings.py``, as ``scrapy crawl`` reads them) with a
    private store, a fixed clock and no AutoThrottle delays, then ``overrides``."""
    return {
        **{
            name: getattr(project_settings, name)
            for name in dir(project_settings)
            if name.isupper()
        },
        "AUTOTHROTTLE_ENABLED": False,
        "FINEWS_DB": str(db),
        "FINEWS_NOW": now,
        **overrides,
    }


def make_crawler(db: Path, now: str, **overrides: Any) -> Crawler:
    """A configured (not started) crawler of the East Money spider with the test settings.

    Its stats, settings and signals are live, so a pipeline or middleware can be built from it
    with ``from_crawler``.
    """
    return get_crawler(EastMoneySpider, settings_for(db, now, **overrides))


@dataclass
class Crawled:
    """What one in-process crawl produced."""

    items: list[Any]  # every item the pipelines passed on, in order
    stats: dict[str, Any]
    requests: list[str]  # path and query of every request the server answered, in order

    @property
    def articles(self) -> dict[str, ArticleItem]:
        """The ArticleItems by id (the last copy of an id wins)."""
        return {item.id: item for item in self.items if isinstance(item, ArticleItem)}

    @property
    def listings(self) -> list[ListingItem]:
        return [item for item in self.items if isinstance(item, ListingItem)]

    def stat(self, name: str, default: Any = 0) -> Any:
        """A stat's value; counters Scrapy never incremented are 0."""
        return self.stats.get(name, default)


async def crawl(
    site: RunningServer,
    paths: list[str],
    *,
    db: Path,
    now: str,
    settings: dict[str, Any] | None = None,
    **spider_args: Any,
) -> Crawled:
    """Crawl ``paths`` of ``site`` with the East Money spider, the project's middlewares and
    pipelines, in this process; ``spider_args`` are the spider's arguments (``max_pages``).

    Raises AssertionError when a spider callback or a pipeline raised: Scrapy only logs those,
    and a test must not pass over them.
    """
    crawler = make_crawler(db, now, **(settings or {}))
    items: list[Any] = []
    errors: list[str] = []

    def scraped(item: Any) -> None:
        items.append(item)

    def item_error(item: Any, failure: Any) -> None:
        errors.append(f"pipeline failed on {item!r}: {failure.getTraceback()}")

    def spider_error(failure: Any, response: Any) -> None:
        errors.append(f"callback failed on {response.url}: {failure.getTraceback()}")

    crawler.signals.connect(scraped, signal=signals.item_scraped)
    crawler.signals.connect(item_error, signal=signals.item_error)
    crawler.signals.connect(spider_error, signal=signals.spider_error)
    before = len(site.requests.targets)
    await crawler.crawl_async(urls=[site.url + path for path in paths], **spider_args)
    assert not errors, "\n".join(errors)
    return Crawled(items, crawler.stats.get_stats(), site.requests.targets[before:])


def crawl_blocking(site: RunningServer, paths: list[str], **kwargs: Any) -> Crawled:
    """:func:`crawl` for a fixture: fixtures run outside the reactor and can wait on it.

    A test body runs inside the reactor, where nothing can wait for it: a test awaits
    :func:`crawl` instead.
    """
    return pytest_twisted.blockon(deferred_from_coro(crawl(site, paths, **kwargs)))


def listed_on(truth: dict[str, Any], page: str) -> list[tuple[dict[str, Any], str]]:
    """The fixture articles a list page shows, each with the path its link points to."""
    return [
        (article, urljoin(page, entry["href"]))
        for article in truth["articles"]
        for entry in article["listed"]
        if entry["page"] == page
    ]


def close_pipeline(pipeline: Any, reason: str = "finished") -> None:
    """End a store pipeline used on its own as Scrapy ends a crawl: ``close_spider``, then the
    ``spider_closed`` signal with the crawl's close reason (where the run is recorded)."""
    pipeline.close_spider()
    pipeline.spider_closed(reason)


def store_articles(db: Path, articles: list[dict[str, Any]], now: str) -> None:
    """Store fixture articles (from ``site.json``) as an earlier crawl would have."""
    with Store.open(db) as store:
        store.save_articles(
            [
                ArticleRecord(id=a["id"], title=a["title"], published=a["published"])
                for a in articles
            ],
            now,
        )
