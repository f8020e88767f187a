"""East Money: column list pages, article pages, share links and the news APIs
(SOURCE.md §2, §4).

The spider only fetches and dispatches: every page kind is read by a pure function of
``crawler.parsing`` (``list_page``, ``article_page``, ``apis``). What it was asked to crawl
arrives as arguments, every decision that needs the store (skip known articles, stop paging)
is the store middleware's, and normalizing and storing are the pipelines'. Nothing is kept
between requests except what travels in them (``cb_kwargs``, ``meta``), so several machines
can run it unchanged.

Listing pages (column pages, API pages) are requested with ``meta["finews_list"]`` set to the
stream they page through (``column:cywjh``, ``fastnews:102``, ``colapi:1207``); each article
request they yield carries ``meta["finews_article_id"]``, and the request for the next page
of the same stream ``meta["finews_next_page"]``.
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import stats as page_stats
from crawler.clock import crawl_clock
from crawler.failures import add_error, failure_reason
from crawler.items import ArticleItem, ListingItem
from crawler.parsing.apis import (
    AnswerShapeError,
    EmptyRecordError,
    NewsRecord,
    RecordPage,
    parse_column_api,
    parse_content_api,
    parse_fast_news,
    parse_kuaixun,
    record_title_and_summary,
)
from crawler.parsing.article_page import ArticlePage, parse_article_page
from crawler.parsing.list_page import parse_list_page
from crawler.parsing.urls import (
    ROLLING_COLUMN,
    Page,
    UnknownPageError,
    api_url,
    article_part_url,
    classify,
    column_api_url,
    fast_news_url,
    kuaixun_url,
    list_page_url,
)

# The rolling news (7×24) is the old site's main category.
ROLLING = ("emnews", "东财滚动新闻")
# A long article that claims more pages than this is read no further.
MAX_ARTICLE_PARTS = 50
_RECORD_PARSERS = {
    "fastnews": parse_fast_news,
    "kuaixun": parse_kuaixun,
    "colapi": parse_column_api,
}


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
        # Configuration, set from the settings in from_crawler.
        self.req_trace = ""
        self.article_host = "https://finance.eastmoney.com"
        self.column_names: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> EastMoneySpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if not spider.max_pages:
            spider.max_pages = settings.getint("FINEWS_DEPTH")
        # The clock is read once, here, and travels in the API requests.
        # The APIs' req_trace: the crawl's clock in epoch milliseconds, read once.
        spider.req_trace = str(int(crawl_clock(settings.get("FINEWS_NOW")).timestamp() * 1000))
        spider.article_host = (settings.get("FINEWS_ARTICLE_HOST") or spider.article_host).rstrip(
            "/"
        )
        names = settings.getdict("FINEWS_COLUMN_NAMES")
        spider.column_names = {str(key): str(value) for key, value in names.items()}
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for page in self.start_pages:
            yield self.request_for(page)

    def request_for(self, page: Page) -> scrapy.Request:
        """The request that fetches ``page`` with the callback for its kind."""
        if page.kind == "list":
            return self._listing_request(page.url, page)
        if page.kind in _RECORD_PARSERS:
            url = page.url
            if page.kind == "fastnews":
                given = parse_qs(urlsplit(url).query).get("sortEnd", [""])[0]
                url = fast_news_url(url, given, self.req_trace)
            elif page.kind == "colapi":
                url = column_api_url(url, page.page, self.req_trace)
            return self._listing_request(url, page)
        meta = {"finews_article_id": page.info_code}
        if page.kind == "article":
            # A continuation page asked for by URL: the article is read from its first page.
            return scrapy.Request(
                article_part_url(page.url, 1) if page.page > 1 else page.url,
                callback=self.parse_article,
                errback=self.on_error,
                cb_kwargs={"code": page.code},
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

    def _listing_request(self, url: str, page: Page, *, next_page: bool = False) -> scrapy.Request:
        """A request for a page that lists articles: a column page or an API page."""
        meta: dict[str, Any] = {"finews_list": page.listing}
        if next_page:
            meta["finews_next_page"] = True
        cb_kwargs: dict[str, Any] = {"column": page.column, "page": page.page}
        callback = self.parse_list
        if page.kind != "list":
            callback, cb_kwargs["kind"] = self.parse_records, page.kind
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, cb_kwargs=cb_kwargs, meta=meta
        )

    # -- column list pages -----------------------------------------------------------------

    def parse_list(self, response: Response, column: str, page: int) -> Iterator[Any]:
        listed = parse_list_page(response.selector, response.url, column, page)
        self._page_read("list", bool(listed.entries))
        if not listed.entries:
            if not response.meta.get("finews_next_page"):
                self._shape_miss(
                    "list",
                    response.url,
                    "no articles: no #newsListContent > li, no li[id^=newsTr], no article links",
                )
            else:
                self.logger.info("%s: no articles; the column ends here", response.url)
            return
        column_name = listed.column_name or column
        for entry in listed.entries:
            yield ListingItem(
                id=f"NW{entry.code}", column=column, column_name=column_name, url=entry.url
            )
            yield scrapy.Request(
                entry.url,
                callback=self.parse_article,
                errback=self.on_error,
                cb_kwargs={"code": entry.code, "summary": entry.summary, "list_time": entry.time},
                meta={"finews_article_id": f"NW{entry.code}"},
            )
        if page < self.max_pages:
            # The page's own pager says where the next page is, or that there is none.
            next_url = listed.next_url
            if next_url is None and not listed.pager:
                next_url = list_page_url(response.url, column, page + 1)
            if next_url:
                target = Page("list", next_url, column=column, page=page + 1)
                yield self._listing_request(next_url, target, next_page=True)

    # -- the rolling news and the column API -------------------------------------------------

    def parse_records(self, response: Response, kind: str, column: str, page: int) -> Iterator[Any]:
        try:
            parsed: RecordPage = _RECORD_PARSERS[kind](response.text)
        except AnswerShapeError as exc:
            self._page_read(kind, False)
            self._shape_miss(kind, response.url, str(exc))
            return
        self._page_read(kind, bool(parsed.records))
        if parsed.skipped:
            self.logger.warning(
                "%s: %d record(s) without an article code skipped", response.url, parsed.skipped
            )
        if not parsed.records:
            if not response.meta.get("finews_next_page"):
                self._shape_miss(kind, response.url, "an empty list of records")
            return
        slug, name = self._stream(kind, column)
        for record in parsed.records:
            yield from self._record_requests(response, kind, slug, name, record)
        if page >= self.max_pages:
            return
        if kind == "fastnews":
            if not parsed.cursor:
                return
            next_url = fast_news_url(response.url, parsed.cursor, self.req_trace)
        elif kind == "kuaixun":
            next_url = kuaixun_url(response.url, page + 1)
        else:
            next_url = column_api_url(response.url, page + 1, self.req_trace)
        target = Page(kind, next_url, column=column, page=page + 1)
        yield self._listing_request(next_url, target, next_page=True)

    def _stream(self, kind: str, column: str) -> tuple[str, str]:
        """The column category (slug, name) the records of an API stream are members of."""
        if kind == "colapi":
            return column, self.column_names.get(column, column)
        if column == ROLLING_COLUMN:
            return ROLLING
        return f"fastnews{column}", f"7×24 快讯 {column}"

    def _record_requests(
        self, response: Response, kind: str, slug: str, name: str, record: NewsRecord
    ) -> Iterator[Any]:
        title, summary = record_title_and_summary(record.title, record.summary)
        page_url = _article_page(response.urljoin(record.url) if record.url else None)
        page_url = page_url or f"{self.article_host}/a/{record.code}.html"
        article_id = f"NW{record.code}"
        yield ListingItem(id=article_id, column=slug, column_name=name, url=page_url)
        # The record travels with the request: if its page cannot be had, the record's own
        # title, time and summary are stored.
        fallback = {
            "code": record.code,
            "title": title,
            "summary": summary,
            "time": record.time,
            "url": page_url,
            "media": record.media,
            "source": response.url,
            "kind": kind,
        }
        # Not filtered as a duplicate: a column listing the same new article must not take the
        # record's place, or the record's time to the second (the page shows the minute) and
        # its summary are lost. The two copies merge in the store.
        yield scrapy.Request(
            page_url,
            callback=self.parse_article,
            errback=self.on_error,
            dont_filter=True,
            cb_kwargs={
                "code": record.code,
                "summary": summary or None,
                "list_time": record.time,
                "record": fallback,
            },
            meta={"finews_article_id": article_id},
        )

    # -- article pages and the content API ---------------------------------------------------

    def parse_article(
        self,
        response: Response,
        code: str,
        summary: str | None = None,
        list_time: str | None = None,
        record: dict[str, Any] | None = None,
        part: int = 1,
        article: dict[str, Any] | None = None,
        guessed: bool = False,
    ) -> Iterator[Any]:
        """One page of an article; the first page's pager names the pages it continues on,
        which are fetched in order, each carrying what was read so far, and joined into one
        item. ``guessed``: this page was not named by a pager, only ``_N+1`` of the last."""
        page = parse_article_page(response.selector, response.text, response.url, code)
        if article is None:  # the first page
            problem = self._first_page_problem(response.url, page)
            self._page_read("article", problem is None)
            if problem is not None:
                if record is not None:
                    yield self._record_item(record)
                return
            article = {
                "code": code,
                "title": page.title,
                "url": response.url,
                "published": page.published,
                "list_time": list_time,
                "media": page.media or (record or {}).get("media"),
                "summary": summary or page.summary,
                "bodies": [],
                "parts": {},
            }
        else:
            self._page_read("article", page.body_html is not None)
            if page.body_html is None:
                what = f"continuation page {part} has no body"
                self._shape_miss("article", response.url, what)
                self._record_error(response.url, f"{what}; the article is not stored")
                return
        article["bodies"].append(page.body_html)
        # Every page's pager adds what it names; the article ends where no page names more.
        for number, url in zip(page.numbers, page.parts, strict=True):
            article["parts"].setdefault(str(number), url)
        later = sorted(int(n) for n in article["parts"] if int(n) > part)
        # A "next page" link the pager does not name by URL (a script): try _N+1.
        if part < MAX_ARTICLE_PARTS and (later or page.next_link):
            number = later[0] if later else part + 1
            guessed = not later
            url = article["parts"].get(str(number)) or article_part_url(article["url"], number)
            yield scrapy.Request(
                url,
                callback=self.parse_article,
                errback=self.on_error,
                cb_kwargs={"code": code, "part": number, "article": article, "guessed": guessed},
                meta={"finews_article_id": f"NW{code}", "finews_part": number},
            )
            return
        yield self._article_item(article)

    def _first_page_problem(self, url: str, page: ArticlePage) -> str | None:
        """Why the first page of an article cannot be read (None: it can), counted."""
        if page.gone:
            reason = "no title and no #ContentBody: not an article page"
            self._record_error(url, reason)
            return reason
        if page.missing:
            reason = f"no {' and no '.join(page.missing)} on an article page"
            self._shape_miss("article", url, reason)
            return reason
        return None

    def _article_item(self, article: dict[str, Any]) -> ArticleItem:
        page_stats.article_read(self.crawler.stats, "article")
        return ArticleItem(
            id=f"NW{article['code']}",
            title=article["title"],
            body_html="\n".join(body.strip() for body in article["bodies"]),
            source_url=article["url"],
            url=article["url"],
            media=article["media"],
            published_raw=article["published"] or article["list_time"],
            listed_time=article["list_time"],
            summary=article["summary"],
        )

    def _record_item(self, record: dict[str, Any]) -> ArticleItem:
        """An article from its rolling-news or column-API record alone: its summary is its
        body."""
        page_stats.article_read(self.crawler.stats, record["kind"])
        summary = record["summary"]
        return ArticleItem(
            id=f"NW{record['code']}",
            title=record["title"],
            body_html=f"<p>{html.escape(summary, quote=False)}</p>" if summary else "",
            source_url=record["source"],
            url=record["url"],
            media=record["media"],
            published_raw=record["time"],
            summary=summary or None,
            page_kind=record["kind"],
        )

    def parse_api(
        self, response: Response, code: str, share_url: str | None
    ) -> Iterator[ArticleItem]:
        try:
            found = parse_content_api(response.text)
        except EmptyRecordError as exc:
            self._page_read("api", False)
            self._record_error(response.url, str(exc))
            return
        except AnswerShapeError as exc:
            self._page_read("api", False)
            self._shape_miss("api", response.url, str(exc))
            return
        self._page_read("api", True)
        page_stats.article_read(self.crawler.stats, "api")
        yield ArticleItem(
            id=f"NW{code}",
            title=found.title,
            body_html=found.body_html,
            source_url=response.url,
            url=found.url,
            share_url=share_url,
            media=found.media,
            published_raw=found.published,
            page_kind="api",
        )

    # -- errors ----------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        kwargs = request.cb_kwargs
        status = failure.value.response.status if failure.check(HttpError) else None
        if status == 404 and request.meta.get("finews_next_page"):
            return  # the listing simply has no more pages
        if kwargs.get("guessed") and status == 404:
            # No page after the last one the pager showed: the article is complete.
            yield self._article_item(kwargs["article"])
            return
        if status is None and failure.check(IgnoreRequest):
            # Not fetched by choice (robots.txt forbids it): not a failure, and not stored.
            # (HttpError is an IgnoreRequest too: an HTTP error is a failure.)
            self.logger.info("not fetched: %s: %s", request.url, failure.getErrorMessage())
            self.crawler.stats.inc_value("finews/pages/ignored")
        else:
            reason = failure_reason(failure, self.crawler.settings)
            if kwargs.get("article") is not None:
                # Never half an article: it stays unstored, so the next run tries again.
                reason += f" (page {kwargs['part']} of the article; the article is not stored)"
            elif kwargs.get("record") is not None:
                reason += " (stored from its record, with the summary as body)"
            # Named by the URL asked for, not the last hop of its redirects.
            self._record_error(request.meta.get("redirect_urls", [request.url])[0], reason)
        if kwargs.get("record") is not None and kwargs.get("article") is None:
            yield self._record_item(kwargs["record"])

    def _page_read(self, kind: str, matched: bool) -> None:
        page_stats.page_read(self.crawler.stats, kind, matched)

    def _shape_miss(self, kind: str, url: str, what: str) -> None:
        self.logger.warning("shape miss: %s page %s: %s", kind, url, what)
        page_stats.shape_miss(self.crawler.stats, kind, url, what)
        # Listed with the run's errors too: crawl_runs.errors names every page that gave nothing.
        add_error(self.crawler.stats, f"{url}: shape miss ({kind} page): {what}")

    def _record_error(self, url: str, reason: str) -> None:
        self.logger.error("page failed: %s: %s", url, reason)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("finews/pages/failed")
        add_error(stats, f"{url}: {reason}")


def _article_page(url: str | None) -> str | None:
    """``url`` if it is an article's first page."""
    if not url:
        return None
    try:
        page = classify(url)
    except UnknownPageError:
        return None
    return url if page.kind == "article" and page.page == 1 else None
