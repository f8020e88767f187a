"""A synthetic East Money of N articles, generated on the fly from the article index.

Every article is an ``ArticleSpec`` rendered by the site generator (``finews.demo.build``),
so the crawler meets exactly the shapes of SOURCE.md §2 and §4, as in the demo and fixture
sites: column list pages of ``PER_PAGE`` items (``/a/<column>.html``, ``/a/<column>_N.html``),
article pages in the new, old and 2026 layouts (``/a/<18 digits>.html``; every
``CONTINUED_EVERY``-th article runs over ``CONTINUED_PARTS`` pages, ``/a/<18 digits>_N.html``),
the share link shell, the content API, and the rolling-news API (``getFastNewsList``: every
article, newest first, paged by ``sortEnd``; records give only their code, so the crawl needs
``FINEWS_ARTICLE_HOST`` set to the site). Nothing is written to disk; article ``i`` is a pure
function of ``i``.

``python -m benchmarks.synthetic --articles N [--latency S] [--port 0]`` serves it on 127.0.0.1
in the foreground (run it as a subprocess, so the server does not share the crawler's GIL) and
prints ``{"url": ..., "columns": ..., "pages": ..., "list_pages": ...}`` on the first line.
``GET /_stats`` answers the request counts per page kind (``list``, ``article``, ``part``
for continuation pages, ``api``, ``fastnews``, ``robots``, ...).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import signal
import sys
import threading
from collections import Counter
from contextlib import suppress
from datetime import datetime, timedelta

from finews.demo import pages
from finews.demo.build import ArticleSpec, api_record, article_page, list_item, list_page_path
from finews.demo.server import Response, serve

PER_PAGE = 20
# One article in CONTINUED_EVERY runs over CONTINUED_PARTS pages.
CONTINUED_EVERY = 10
CONTINUED_PARTS = 3
FAST_NEWS_PAGE = 50
ARTICLES_PER_COLUMN = 1000
# The crawl's clock: every article is older than this (naive China time).
NOW = datetime(2026, 3, 1, 12, 0)
NOW_ISO = "2026-03-01T12:00:00+08:00"
MINUTES_APART = 3

_CITIES = "南昌 泉州 重庆 上海 深圳 广州 杭州 成都 武汉 西安 天津 长沙 郑州 济南 青岛 厦门 苏州 宁波 合肥 福州"
_KINDS = "日报 晚报 证券报 财经 商报"
MEDIA = [city + kind for city in _CITIES.split() for kind in _KINDS.split()]  # 100 names
COLUMN_NAMES = ["要闻精华", "证券要闻", "国内经济", "今日早盘", "期货导读", "期市要闻"]
_HTML = {"Content-Type": "text/html; charset=utf-8"}
_JSON = {"Content-Type": "application/json; charset=utf-8"}
_TEXT = {"Content-Type": "text/plain; charset=utf-8"}
_LIST = re.compile(r"^/a/(col\d+)(?:_(\d+))?\.html$")
_ARTICLE = re.compile(r"^/a/(\d{8})(\d{10})(?:_(\d+))?\.html$")
_INFO = re.compile(r"^NW(\d{8})(\d{10})$")
_SENTENCE = (
    "今日{stock}盘中走强，成交量较前一交易日明显放大，市场人士认为资金面边际改善，"
    "{key}板块或将延续结构性行情，投资者宜关注业绩确定性较高的细分领域与估值修复机会。"
)


class SyntheticSite:
    """A :class:`finews.demo.server.Site` of ``articles`` articles in ``columns`` columns.

    Article ``i`` is in column ``i % columns`` at position ``i // columns`` (newest first),
    so every column has ``ceil(articles / columns)`` items and ``pages`` list pages.
    """

    def __init__(self, articles: int, columns: int | None = None) -> None:
        if articles < 1:
            raise ValueError("a site needs at least one article")
        self.articles = articles
        self.columns = min(articles, columns or math.ceil(articles / ARTICLES_PER_COLUMN))
        self.per_column = math.ceil(articles / self.columns)
        self.pages = math.ceil(self.per_column / PER_PAGE)
        self._lock = threading.Lock()
        self.hits: Counter[str] = Counter()

    # -- the site's content ---------------------------------------------------------------

    def column_slug(self, column: int) -> str:
        return f"col{column}"

    def column_urls(self, base_url: str) -> list[str]:
        """Page 1 of every column: the crawl's start URLs."""
        return [f"{base_url}/a/{self.column_slug(c)}.html" for c in range(self.columns)]

    @property
    def list_pages(self) -> int:
        """How many list pages the site has in all."""
        return sum(math.ceil(self._column_size(c) / PER_PAGE) for c in range(self.columns))

    def _column_size(self, column: int) -> int:
        return len(range(column, self.articles, self.columns))

    def article(self, index: int) -> ArticleSpec:
        published = NOW - timedelta(minutes=MINUTES_APART * (index + 1))
        media = MEDIA[index % len(MEDIA)]
        stock = f"{{stock:0.{600000 + index % 900:06d}:股票{index % 900}}}"
        key = f"{{key:90.BK{index % 1000:04d}:行业{index % 37}}}"
        sentence = _SENTENCE.format(stock=stock, key=key)
        paragraphs = (
            f"{media}讯 第{index}号合成新闻。{sentence}",
            sentence,
            f"## 小标题{index % 7}",
            sentence + sentence,
            sentence,
            f"{{link:/a/{self.column_slug(index % self.columns)}.html:相关阅读}}",
        )
        return ArticleSpec(
            code=f"{published:%Y%m%d}{index:010d}",
            title=f"合成新闻第{index}号：{media}观察{COLUMN_NAMES[index % len(COLUMN_NAMES)]}",
            media=media,
            published=published,
            summary=f"第{index}号新闻摘要：市场资金面边际改善，结构性行情有望延续。",
            paragraphs=paragraphs,
            layout=("old", "new", "2026", "new", "new")[index % 5],
            hidden_p=index % 4 == 0,
            stock_chart=f"0.{600000 + index % 900:06d}" if index % 6 == 0 else None,
            parts=CONTINUED_PARTS if index % CONTINUED_EVERY == 1 else 1,
        )

    def _index_of(self, day: str, number: str) -> int | None:
        index = int(number)
        if index >= self.articles or self.article(index).code[:8] != day:
            return None
        return index

    # -- pages ----------------------------------------------------------------------------

    def list_page(self, column: int, number: int) -> str | None:
        if not 0 <= column < self.columns:
            return None
        positions = range((number - 1) * PER_PAGE, number * PER_PAGE)
        indexes = [column + p * self.columns for p in positions]
        indexes = [i for i in indexes if i < self.articles]
        if number < 1 or not indexes:
            return None
        items = []
        for index in indexes:
            a = self.article(index)
            items.append(list_item(a, f"/a/{a.code}.html", image=index % 3 == 0))
        last = number >= math.ceil(self._column_size(column) / PER_PAGE)
        next_href = None if last else list_page_path(self.column_slug(column), number + 1)
        return pages.render_list_page(COLUMN_NAMES[column % len(COLUMN_NAMES)], items, next_href)

    def article_page(self, index: int, part: int = 1) -> str | None:
        article = self.article(index)
        return article_page(article, part=part) if part <= article.parts else None

    @property
    def continued(self) -> int:
        """How many articles run over more than one page."""
        return sum(1 for i in range(self.articles) if i % CONTINUED_EVERY == 1)

    def fast_news(self, query: dict[str, list[str]]) -> bytes:
        """A rolling-news API page: every article, newest first, ``sortEnd`` the cursor."""
        if "req_trace" not in query or "sortEnd" not in query:
            return b'{"code":"1","message":"success","data":null}'
        size = int((query.get("pageSize") or [str(FAST_NEWS_PAGE)])[0] or FAST_NEWS_PAGE)
        cursor = query["sortEnd"][0]
        start = int(cursor) + 1 if cursor.isdigit() else 0
        records = []
        for index in range(start, min(start + size, self.articles)):
            a = self.article(index)
            records.append(
                {
                    "code": a.code,
                    "title": a.title,
                    "summary": f"【{a.title}】{a.summary}",
                    "showTime": f"{a.published:%Y-%m-%d %H:%M}:{index % 60:02d}",
                    "realSort": str(index),
                }
            )
        sort_end = records[-1]["realSort"] if records else ""
        return pages.render_fast_news(records, sort_end)

    def api_record(self, index: int) -> bytes:
        return pages.render_api_record(api_record(self.article(index)))

    def get(self, path: str, query: dict[str, list[str]]) -> Response | None:
        kind, answer = self._answer(path, query)
        with self._lock:
            self.hits[kind if answer is not None else "404"] += 1
        return answer

    def stats(self) -> dict[str, int]:
        with self._lock:
            return dict(self.hits)

    def _answer(self, path: str, query: dict[str, list[str]]) -> tuple[str, Response | None]:
        if path == "/_stats":
            body = json.dumps(self.stats(), sort_keys=True).encode()
            return "stats", (200, _JSON, body)
        if path == "/robots.txt":
            return "robots", (200, _TEXT, b"User-agent: *\nDisallow: /private/\n")
        if match := _LIST.match(path):
            column = int(match.group(1)[3:])
            page = self.list_page(column, int(match.group(2) or 1))
            return "list", (200, _HTML, page.encode()) if page is not None else None
        if match := _ARTICLE.match(path):
            index = self._index_of(match.group(1), match.group(2))
            part = int(match.group(3) or 1)
            page = self.article_page(index, part) if index is not None else None
            kind = "article" if part == 1 else "part"
            return kind, (200, _HTML, page.encode()) if page is not None else None
        if path == pages.FAST_NEWS_PATH:
            return "fastnews", (200, _JSON, self.fast_news(query))
        if path == pages.SHARE_PATH:
            return "share", (200, _HTML, pages.render_share_page().encode())
        if path == pages.API_PATH:
            ids = query.get("id", [])
            match = _INFO.match(ids[0]) if len(ids) == 1 else None
            index = self._index_of(match.group(1), match.group(2)) if match else None
            return "api", (200, _JSON, self.api_record(index)) if index is not None else None
        return "other", None


def main(argv: list[str] | None = None) -> int:
    """Serve a synthetic site in the foreground; print its URL, then serve until SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthetic")
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--columns", type=int, default=None)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    args = parser.parse_args(argv)
    site = SyntheticSite(args.articles, args.columns)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    with serve(site, port=args.port, latency=args.latency) as server:
        info = {"url": server.url, "columns": site.columns, "pages": site.pages}
        info["list_pages"] = site.list_pages
        info["continued"] = site.continued
        print(json.dumps(info), flush=True)
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
