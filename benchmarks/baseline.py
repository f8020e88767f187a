"""The "bare Scrapy" baseline: the same pages, the same fields, none of finews's machinery.

A plain spider that pages through the column lists, follows every article link (and a long
article's continuation pages, joining their bodies) and extracts title, time, media, body
and summary with Scrapy selectors. No finews middleware, no
pipelines, no store: the floor a Scrapy crawler of this site cannot go below. The downloader
settings (concurrency, robots.txt, timeouts, user agent) are finews's own, so only the
finews-specific work differs.

``python -m benchmarks.baseline --depth P [-s NAME=VALUE]... URL...`` crawls and prints one
JSON line: seconds, items, requests, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.settings import Settings

import crawler.settings as finews_settings
from benchmarks.memory import peak_rss_mb

_PART = re.compile(r"_(\d+)\.html$")
# finews's settings that are not about downloading: left out of the baseline.
_FINEWS_ONLY = {"SPIDER_MIDDLEWARES", "ITEM_PIPELINES", "SPIDER_MODULES", "NEWSPIDER_MODULE"}


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], max_pages: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.urls = urls
        self.max_pages = max_pages

    async def start(self) -> Any:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse_list, cb_kwargs={"page": 1})

    def parse_list(self, response: Response, page: int) -> Iterator[Any]:
        for entry in response.css("#newsListContent > li"):
            href = entry.css("p.title a::attr(href)").get()
            if not href:
                continue
            yield response.follow(
                href,
                callback=self.parse_article,
                cb_kwargs={
                    "summary": entry.css("p.info::text").get(),
                    "list_time": entry.css("p.time::text").get(),
                },
            )
        next_href = response.css(".pagerbox a::attr(href)").get()
        if next_href and page < self.max_pages:
            yield response.follow(next_href, callback=self.parse_list, cb_kwargs={"page": page + 1})

    def parse_article(
        self,
        response: Response,
        summary: str | None,
        list_time: str | None,
        item: dict[str, Any] | None = None,
        part: int = 1,
    ) -> Any:
        body = "".join(response.css("#ContentBody > *").getall())
        if item is None:
            info = response.css(".infos .item ::text, .time-source ::text").getall()
            title = " ".join(response.css("h1 ::text").getall()).strip()
            item = {
                "title": title or response.css("title::text").get("").split(" _ ")[0],
                "time": next((t for t in info if "年" in t or "-" in t), list_time),
                "media": next((t for t in info if "来源" in t), None)
                or response.css("p.em_media ::text").get(),
                "body": body,
                "summary": summary or response.css(".abstract .txt ::text").get(),
                "url": response.url,
            }
        else:
            item["body"] += body
        # A long article: its pager links the next page.
        later = [
            href
            for href in response.css(".pagerbox a::attr(href)").getall()
            if (match := _PART.search(href)) and int(match.group(1)) == part + 1
        ]
        if later:
            return response.follow(
                later[0],
                callback=self.parse_article,
                cb_kwargs={
                    "summary": summary,
                    "list_time": list_time,
                    "item": item,
                    "part": part + 1,
                },
            )
        return item


def bare_settings(overrides: dict[str, str]) -> Settings:
    settings = Settings()
    for name in dir(finews_settings):
        if name.isupper() and name not in _FINEWS_ONLY and not name.startswith("FINEWS_"):
            settings.set(name, getattr(finews_settings, name), priority="project")
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baseline")
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--depth", type=int, required=True)
    parser.add_argument("-s", dest="settings", action="append", default=[])
    args = parser.parse_args(argv)
    overrides = dict(pair.split("=", 1) for pair in args.settings)
    started = time.monotonic()
    process = CrawlerProcess(bare_settings(overrides))
    crawler = process.create_crawler(BareSpider)
    items = 0

    def scraped(item: Any) -> None:
        nonlocal items
        items += bool(item.get("title") and item.get("body"))

    crawler.signals.connect(scraped, signal=scrapy.signals.item_scraped)
    process.crawl(crawler, urls=args.urls, max_pages=args.depth)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    result = {
        "seconds": time.monotonic() - started,
        "articles": items,
        "requests": stats.get("downloader/request_count", 0),
        "maxrss_mb": peak_rss_mb(),
    }
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
