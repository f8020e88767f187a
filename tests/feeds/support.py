"""A small real store for the feed tests, built through ``Store.save_articles``."""

from __future__ import annotations

from pathlib import Path

from storage.store import ArticleRecord, Category, Store

BASE_URL = "http://127.0.0.1:8000/feeds/"
NANCHANG = Category("nanchangribao", "南昌日报", "media")
CAILIAN = Category("cailianshe", "财联社", "media")
EMPTY = Category("kongbai", "空白日报", "media")
COLUMN = Category("cywjh", "要闻精华", "column")


def article(number: int, day: int = 7, **overrides: object) -> ArticleRecord:
    """The ``number``-th test article, published on 2022-02-<day> at 09:<number> China time."""
    code = f"202202{day:02d}{2267575200 + number:010d}"
    values: dict[str, object] = {
        "id": f"NW{code}",
        "title": f"第{number}条新闻：A股 & 港股 <收盘>",
        "published": f"2022-02-{day:02d}T09:{number % 60:02d}:43+08:00",
        "body_html": f"<p>正文 {number}，<b>重要</b>。</p><p>第二段</p>",
        "body_text": f"正文 {number}，重要。\n第二段",
        "url": f"https://finance.eastmoney.com/a/{code}.html",
        "share_url": f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW{code}",
        "media": "南昌日报",
        "summary": f"摘要 {number}",
        "categories": [NANCHANG, COLUMN],
    }
    values.update(overrides)
    return ArticleRecord(**values)  # type: ignore[arg-type]


def make_store(path: Path, count: int = 5) -> Store:
    """A store with ``count`` 南昌日报 articles (also in a column), one 财联社 one, one empty."""
    store = Store.open(path)
    records = [article(n) for n in range(1, count + 1)]
    records.append(
        article(
            99,
            day=8,
            title='财联社快讯 "引号" 😀',
            media="财联社",
            categories=[CAILIAN],
        )
    )
    store.save_articles(records, seen_at="2022-02-08T12:00:00+08:00")
    store.conn.execute(
        "INSERT INTO categories (slug, name, kind) VALUES (?, ?, ?)",
        (EMPTY.slug, EMPTY.name, EMPTY.kind),
    )
    return store
