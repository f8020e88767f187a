"""Fixtures of the crawler's tests: in-process crawls of the fixture site (see support.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from finews.demo.server import RunningServer
from tests.crawler.support import Crawled, crawl

CrawlSite = Callable[..., Awaitable[Crawled]]


@pytest.fixture
def crawl_site(site: RunningServer, truth: dict[str, Any], tmp_path: Path) -> CrawlSite:
    """``await crawl_site(paths, **spider_args)``: crawl the fixture site in this process at
    the site's clock, into ``tmp_path / "finews.db"`` unless given ``db=``; ``settings=``
    overrides Scrapy or finews settings."""

    async def run(
        paths: list[str],
        *,
        db: Path | None = None,
        settings: dict[str, Any] | None = None,
        **spider_args: Any,
    ) -> Crawled:
        return await crawl(
            site,
            paths,
            db=db or tmp_path / "finews.db",
            now=truth["now"],
            settings=settings,
            **spider_args,
        )

    return run
