"""East Money: column list pages, article pages and share links (SOURCE.md §2).

The spider only fetches and parses. What it was asked to crawl arrives as arguments, every
decision that needs the store (skip known articles, stop paging) is the store middleware's,
and normalizing and storing are the pipelines': so several machines can run it unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.failures import add_error, failure_reason
from crawler.items import ArticleItem, ListingItem
from crawler.parsing.content import clean_title, inner_html_by_id, media_from_text
from crawler.parsing.urls import Page, api_url, classify, list_page_url

_EDITOR_LINE = re.compile(r"<p\b[^>]*class=[\"']?res-edit\b[^>]*>.*?</p>\s*", re.S | re.I)


def parse_url_argument(urls: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``-a urls=a,b c`` on the command line, or a list from code."""
    if not urls:
        return []
    if isinstance(urls, str):
        urls = urls.replace(",", " ").split()
    return [url.strip() for url in urls if url.strip()]


class EastMoneySpider(scrapy.Spider):
    name = "eastmoney"

    def __init__(
        self,
        urls: str | list[str] | None = None,
        max_pages: int | str | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.start_pages = [classify(url) for url in parse_url_argument(urls)]
        # 0 until from_crawler: no argument means the FINEWS_DEPTH setting.
        self.max_pages = int(max_pages) if max_pages is not None else 0
        if max_pages is not None and self.max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, not {max_pages!r}")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> EastMoneySpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if not spider.max_pages:
            spider.max_pages = crawler.settings.getint("FINEWS_DEPTH")
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for page in self.start_pages:
            yield self.request_for(page)

    def request_for(self, page: Page, **cb_kwargs: Any) -> scrapy.Request:
        """The request that fetches ``page`` with the callback for its kind."""
        meta: dict[str, Any] = {}
        if page.kind == "list":
            return scrapy.Request(
                page.url,
                callback=self.parse_list,
                errback=self.on_error,
                cb_kwargs={"column": page.column, "page": page.page},
                meta={"finews_list": f"column:{page.column}"},
            )
        meta["finews_article_id"] = page.info_code
        if page.kind == "article":
            return scrapy.Request(
                page.url,
                callback=self.parse_article,
                errback=self.on_error,
                cb_kwargs={"code": page.code, **cb_kwargs},
                meta=meta,
            )
        share_url = page.url if page.kind == "share" else None
        target = api_url(page.url, page.info_code or "") if page.kind == "share" else page.url
        return scrapy.Request(
            target,
            callback=self.parse_api,
            errback=self.on_error,
            cb_kwargs={"code": page.code, "share_url": share_url},
            meta=meta,
        )

    # -- column list pages -----------------------------------------------------------------

    def parse_list(self, response: Response, column: str, page: int) -> Iterator[Any]:
        column_name = self._column_name(response) or column
        entries = response.css("#newsListContent > li")
        if not entries:
            self._record_error(response.url, "no #newsListContent list on the page")
            return
        found = 0
        for entry in entries:
            text = entry.css("div.text") or entry
            href = text.css("p.title a::attr(href)").get() or text.css("p a::attr(href)").get()
            if not href:
                continue
            url = response.urljoin(href.strip())
            try:
                target = classify(url)
            except ValueError:
                self.logger.warning(
                    "list %s: skipping a link that is no article: %s", response.url, url
                )
                continue
            if target.kind != "article":
                continue
            found += 1
            paragraphs = text.css("p")
            summary = _text(text.css("p.info")) or (_text(paragraphs[1:2]) if paragraphs else "")
            list_time = _text(text.css("p.time")) or (_text(paragraphs[2:3]) if paragraphs else "")
            yield ListingItem(
                id=target.info_code or "", column=column, column_name=column_name, url=url
            )
            yield self.request_for(
                target,
                summary=summary or None,
                list_time=list_time or None,
            )
        if found and page < self.max_pages:
            next_url = list_page_url(response.url, column, page + 1)
            yield scrapy.Request(
                next_url,
                callback=self.parse_list,
                errback=self.on_error,
                cb_kwargs={"column": column, "page": page + 1},
                meta={"finews_list": f"column:{column}", "finews_next_page": True},
            )

    @staticmethod
    def _column_name(response: Response) -> str | None:
        title = clean_title(response.css("title::text").get())
        name = title.split("_")[0].strip() if title else ""
        return name or None

    # -- article pages and the content API ---------------------------------------------------

    def parse_article(
        self,
        response: Response,
        code: str,
        summary: str | None = None,
        list_time: str | None = None,
    ) -> Iterator[ArticleItem]:
        title = clean_title(" ".join(response.css("h1 ::text").getall()))
        body = inner_html_by_id(response.text, "ContentBody")
        if body is None:
            body = "".join(response.css("#ContentBody > *, #ContentBody::text").getall()) or None
        if not title or body is None:
            self._record_error(
                response.url, "no title (h1) or no #ContentBody: not an article page"
            )
            return
        # The old layout's editor line is page furniture: the content API has no such line.
        body = _EDITOR_LINE.sub("", body)
        info = [
            clean_title(" ".join(node.css("::text").getall()))
            for node in response.css(
                ".infos .item, .time-source .time, .time-source .source, .Info .time, .Info .source"
            )
        ]
        published = next((line for line in info if "年" in line and "月" in line), None)
        media = next((media_from_text(line) for line in info if "来源" in line), None)
        media = media or media_from_text(" ".join(response.css("p.em_media ::text").getall()))
        abstract = clean_title(" ".join(response.css(".abstract .txt ::text").getall()))
        yield ArticleItem(
            id=f"NW{code}",
            title=title,
            body_html=body,
            source_url=response.url,
            url=response.url,
            media=media,
            published_raw=published or list_time,
            summary=summary or abstract or None,
        )

    def parse_api(
        self, response: Response, code: str, share_url: str | None
    ) -> Iterator[ArticleItem]:
        try:
            data = json.loads(response.text)
        except ValueError as exc:
            self._record_error(response.url, f"content API answer is not JSON: {exc}")
            return
        if isinstance(data, dict) and isinstance(data.get("data"), dict):
            data = data["data"]  # some API versions wrap the record
        if not isinstance(data, dict):
            self._record_error(response.url, "content API answer is not a JSON object")
            return
        fields = {str(key).lower(): value for key, value in data.items()}
        title = clean_title(_str(fields.get("title")))
        if not title:
            self._record_error(response.url, "content API answer has no Title")
            return
        # `content` is the body as the article page has it (charts, auto-links unwrapped later).
        body = _str(fields.get("content")) or _str(fields.get("text"))
        media = clean_title(_str(fields.get("medianame")) or _str(fields.get("from"))) or None
        date = fields.get("date") or fields.get("showtime")
        yield ArticleItem(
            id=f"NW{code}",
            title=title,
            body_html=body,
            source_url=response.url,
            url=_str(fields.get("url")) or None,
            share_url=share_url,
            media=media,
            published_raw=str(date) if date not in (None, "") else None,
        )

    # -- errors ----------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if (
            failure.check(HttpError)
            and request.meta.get("finews_next_page")
            and failure.value.response.status == 404
        ):
            return  # the column simply has no more pages
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # Not fetched by choice (robots.txt forbids it): not a failure, and not stored.
            # (HttpError is an IgnoreRequest too, but an error answer is a failed page.)
            self.logger.info("not fetched: %s: %s", request.url, failure.getErrorMessage())
            self.crawler.stats.inc_value("finews/pages/ignored")
            return
        # Named by the URL asked for, not the last hop of its redirects.
        asked = request.meta.get("redirect_urls", [request.url])[0]
        self._record_error(asked, failure_reason(failure, self.crawler.settings))

    def _record_error(self, url: str, reason: str) -> None:
        self.logger.error("page failed: %s: %s", url, reason)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("finews/pages/failed")
        add_error(stats, f"{url}: {reason}")


def _text(nodes: Any) -> str:
    return clean_title(" ".join(nodes.css("::text").getall())) if nodes else ""


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
