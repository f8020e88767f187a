"""StorePipeline on a real SQLite file: built from a real crawler and given real items, and
in an in-process crawl of the fixture site."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.items import ArticleItem, ListingItem
from crawler.pipelines.store import StorePipeline, wall_clock
from storage import ArticleRecord, Store
from tests.crawler.support import close_pipeline, listed_on, make_crawler, store_articles

NOW = "2023-01-02T10:00:00+08:00"
STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00")
INSERT_ARTICLE = re.compile(r"INSERT\b[^(]*\bINTO\s+articles\b", re.I)


def article(number: int, **fields: Any) -> ArticleItem:
    """The ``number``-th article as the normalize pipeline hands it on."""
    code = f"2022123122{number:08d}"
    values: dict[str, Any] = {
        "id": f"NW{code}",
        "title": f"第{number}条：沪指全年下跌15.13%",
        "body_html": f"<p>正文{number}</p>",
        "body_text": f"正文{number}",
        "source_url": f"http://127.0.0.1:8000/a/{code}.html",
        "url": f"http://127.0.0.1:8000/a/{code}.html",
        "media": "证券时报",
        "published": f"2022-12-31T22:{number:02d}:00+08:00",
        "summary": f"摘要{number}",
    }
    values.update(fields)
    return ArticleItem(**values)


def listing(number: int, column: str = "cywjh", name: str = "要闻精华") -> ListingItem:
    item = article(number)
    return ListingItem(id=item.id, column=column, column_name=name, url=item.url or "")


def opened(db: Path, **settings: Any) -> StorePipeline:
    pipeline = StorePipeline.from_crawler(make_crawler(db, NOW, **settings))
    pipeline.open_spider()
    return pipeline


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the store through a connection of its own, as any SQLite client would."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def categories_of(db: Path, article_id: str) -> set[str]:
    return {
        slug
        for (slug,) in rows(
            db, "SELECT category FROM article_categories WHERE article_id = ?", article_id
        )
    }


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "finews.db"


def test_articles_are_written_in_batches_each_in_one_transaction(db) -> None:
    pipeline = opened(db, FINEWS_BATCH_SIZE=3)
    assert pipeline.store is not None
    statements: list[str] = []
    pipeline.store.conn.set_trace_callback(statements.append)
    visible = []
    for number in range(1, 8):
        pipeline.process_item(article(number))
        visible.append(rows(db, "SELECT count(*) FROM articles")[0][0])
    assert visible == [0, 0, 3, 3, 3, 6, 6]
    close_pipeline(pipeline)
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 7
    # Every INSERT of an article ran inside a BEGIN ... COMMIT of its own batch.
    batches: list[list[str]] = []
    current: list[str] | None = None
    for statement in statements:
        if statement.startswith("BEGIN"):
            current = []
        elif statement == "COMMIT":
            if current:
                batches.append(current)
            current = None
        elif INSERT_ARTICLE.match(statement):
            assert current is not None, f"outside a transaction: {statement}"
            current.append(re.search(r"'(NW\d{18})'", statement)[1])
    assert batches == [
        [article(n).id for n in (1, 2, 3)],
        [article(n).id for n in (4, 5, 6)],
        [article(7).id],
    ]
    assert pipeline.stats.get_value("finews/store/new") == 7


def test_a_crawl_run_is_recorded_with_its_counts(db) -> None:
    before = wall_clock()
    first = opened(db)
    assert first.stats.get_value("finews/store/run_id") == 1
    assert rows(db, "SELECT finished, status, pid, host, clock FROM crawl_runs") == [
        (None, "running", os.getpid(), socket.gethostname(), NOW)
    ]
    for number in (1, 2):
        first.process_item(article(number))
    close_pipeline(first)

    second = opened(db)
    second.process_item(article(1))  # unchanged
    second.process_item(article(2, body_html="<p>改</p>", body_text="改"))  # updated
    second.process_item(article(3))  # new
    close_pipeline(second)
    after = wall_clock()

    runs = rows(
        db,
        "SELECT id, status, new, updated, unchanged, skipped, failed, bad_dates, errors,"
        " started, finished FROM crawl_runs ORDER BY id",
    )
    assert [run[:9] for run in runs] == [
        (1, "finished", 2, 0, 0, 0, 0, 0, "[]"),
        (2, "finished", 1, 1, 1, 0, 0, 0, "[]"),
    ]
    # A run's times are the wall clock's, whatever clock the crawl reads its pages with.
    for *_, started, finished in runs:
        assert STORED_TIME.fullmatch(started) and STORED_TIME.fullmatch(finished)
        assert before <= started <= finished <= after


def test_a_listing_is_applied_once_its_article_is_stored(db) -> None:
    pipeline = opened(db, FINEWS_BATCH_SIZE=1)
    pipeline.process_item(listing(1))
    assert categories_of(db, article(1).id) == set()
    pipeline.process_item(article(1))  # a batch of one: stored now, with its listing
    assert categories_of(db, article(1).id) == {"zhengquanshibao", "cywjh"}
    # Found on a second column after it was stored: applied with the next batch.
    pipeline.process_item(listing(1, "czpnc", "早盘内参"))
    close_pipeline(pipeline)
    assert categories_of(db, article(1).id) == {"zhengquanshibao", "cywjh", "czpnc"}
    assert rows(db, "SELECT slug, name, kind FROM categories ORDER BY slug") == [
        ("cywjh", "要闻精华", "column"),
        ("czpnc", "早盘内参", "column"),
        ("zhengquanshibao", "证券时报", "media"),
    ]


def test_a_listing_of_an_article_stored_by_an_earlier_crawl_is_applied(db) -> None:
    with Store.open(db) as store:
        item = article(1)
        store.save_articles(
            [ArticleRecord(id=item.id, title=item.title, published=item.published)], NOW
        )
    pipeline = opened(db)
    pipeline.process_item(listing(1))
    close_pipeline(pipeline)
    assert categories_of(db, item.id) == {"cywjh"}


def test_a_listing_of_an_article_never_stored_is_not_written(db) -> None:
    pipeline = opened(db)
    pipeline.process_item(listing(1))
    pipeline.process_item(article(2))
    pipeline.process_item(listing(2))
    close_pipeline(pipeline)
    assert rows(db, "SELECT article_id, category FROM article_categories ORDER BY 2") == [
        (article(2).id, "cywjh"),
        (article(2).id, "zhengquanshibao"),
    ]
    assert rows(db, "SELECT id FROM articles") == [(article(2).id,)]
    assert rows(db, "SELECT status FROM crawl_runs") == [("finished",)]


@deferred_f_from_coro_f
async def test_a_crawl_records_its_skipped_and_failed_pages(crawl_site, truth, db) -> None:
    page = next(entry["page"] for a in truth["articles"] if a["broken"] for entry in a["listed"])
    on_page = [article for article, _ in listed_on(truth, page)]
    known = [article for article in on_page if not article["broken"]][:2]
    store_articles(db, known, NOW)
    result = await crawl_site([page], db=db, max_pages=1)
    run = rows(db, "SELECT status, new, skipped, failed, errors FROM crawl_runs ORDER BY id")[-1]
    assert run[:4] == ("finished", len(on_page) - len(known) - 1, len(known), 1)
    assert json.loads(run[4]) == result.stat("finews/errors")


def test_an_article_sqlite_cannot_take_is_dropped_and_its_batch_stored(db) -> None:
    # The normalize pipeline removes lone surrogates; should one still reach the store, it
    # costs its own article only.
    pipeline = opened(db, FINEWS_BATCH_SIZE=3)
    pipeline.process_item(article(1))
    pipeline.process_item(article(2, title="孤立代理\ud800"))
    pipeline.process_item(article(3))
    close_pipeline(pipeline)
    assert rows(db, "SELECT id FROM articles ORDER BY id") == [(article(1).id,), (article(3).id,)]
    assert pipeline.stats.get_value("finews/dropped/unstorable") == 1
    run = rows(db, "SELECT status, new, dropped FROM crawl_runs")[0]
    assert run == ("finished", 2, 1)


def test_a_store_that_fills_up_before_the_crawl_engine_runs_is_reported_not_raised(db) -> None:
    # Crawler.engine raises until a crawl has started (Scrapy 2.19): stopping the crawl must
    # not turn a full store into an exception.
    pipeline = opened(db, FINEWS_BATCH_SIZE=2)
    assert pipeline.store is not None
    pages = pipeline.store.conn.execute("PRAGMA page_count").fetchone()[0]
    pipeline.store.conn.execute(f"PRAGMA max_page_count = {pages}")  # "database or disk is full"
    for number in (1, 2, 3):
        pipeline.process_item(article(number, body_html="<p>" + "字" * 5000 + "</p>"))
    close_pipeline(pipeline, "store_error")
    assert rows(db, "SELECT count(*) FROM articles") == [(0,)]
    status, errors = rows(db, "SELECT status, errors FROM crawl_runs")[0]
    assert status == "failed"
    assert f"could not write to {db}: database or disk is full. 2 article(s)" in errors
