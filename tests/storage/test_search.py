"""Full-text search on a real store: what matches, kept in step with every write, migrated."""

from __future__ import annotations

import os
import pty
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage import ArticleRecord, Category, Store
from storage.search import QueryError, compile_query, rebuild, search
from storage.store import migrations
from tests import ROOT

MEDIA = Category("nanchangribao", "南昌日报", "media")
OTHER = Category("cailianshe", "财联社", "media")
SEEN = "2022-02-08T12:00:00+08:00"


def article(number: int, body: str, title: str = "", **kw: object) -> ArticleRecord:
    values: dict = {
        "id": f"NW2022020722675752{number:02d}",
        "title": title or f"第{number}条",
        "published": f"2022-02-07T09:{number:02d}:00+08:00",
        "body_html": f"<p>{body}</p>",
        "body_text": body,
        "media": "南昌日报",
        "categories": [MEDIA],
    }
    values.update(kw)
    return ArticleRecord(**values)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "finews.db") as opened:
        yield opened


def found(store: Store, query: str, **kw: object) -> set[str]:
    return {hit.id for hit in search(store.conn, query, limit=None, **kw)}


# Each body is an article; each query lists the numbers of the bodies it must find.
BODIES = {
    1: "贵州茅台发布公告，券商看好。",
    2: "中国，国内经济平稳。",
    3: "数字经济，发展迅速；数字化转型。",
    4: "数字经济发展迅速。",
    5: "UNION 银行与 NIO 合作",
    6: "蔚来（NIO）交付创新高，nio day 临近",
    7: "股票代码SZ002752，亦作002752.SZ。",
    8: "代码1002752不是它，0027520也不是。",
    9: "5G基站建设提速",
    10: "5G 基站与15G基站",
    11: "A股，股市回暖",
    12: "2022年度报告",
}
CASES = {
    "茅台": {1},
    "券商": {1},
    "中国内": set(),  # 中国，国内: the comma is not skipped over
    "国内": {2},
    "数字经济": {3, 4},
    '"数字经济 发展"': {3},  # a phrase: separated by punctuation only
    "数字经济发展": {4},
    "NIO": {5, 6},  # not inside UNION; any case
    "UNION": {5},
    "002752": {7},  # inside SZ002752 and 002752.SZ, not inside 1002752 or 0027520
    "SZ002752": {7},
    "5G基站": {9},
    "基站": {9, 10},
    "A股市": set(),
    '"A股 股市"': {11},
    "2022年": {12},
    "茅台 OR NIO": {1, 5, 6},
    "数字经济 NOT 转型": {4},
    "经济 (平稳 OR 迅速)": {2, 3, 4},
}


@pytest.fixture
def corpus(store: Store) -> Store:
    store.save_articles([article(n, body) for n, body in BODIES.items()], SEEN)
    return store


@pytest.mark.parametrize(("query", "numbers"), CASES.items())
def test_a_query_finds_exactly_where_its_text_occurs(
    corpus: Store, query: str, numbers: set
) -> None:
    assert found(corpus, query) == {article(n, "").id for n in numbers}


def test_a_lone_chinese_character_or_an_empty_query_is_refused() -> None:
    for query in ("中", '"中 国"', "", "，。"):
        with pytest.raises(QueryError):
            compile_query(query)


def test_a_broken_query_is_a_query_error(corpus: Store) -> None:
    with pytest.raises(QueryError):
        search(corpus.conn, "茅台 OR")


def _reference(text: str, query: str) -> bool:
    """Where ``query`` occurs in ``text`` by the documented rules, without the index: as a
    substring, any case, and an ASCII letter or digit at the query's edge not continuing a
    run of the same kind in the text."""
    text, query = text.lower(), query.lower()
    start = text.find(query)
    while start >= 0:
        end = start + len(query)
        ok = True
        for outside, inside in ((start - 1, 0), (end, len(query) - 1)):
            if 0 <= outside < len(text):
                for kind in (str.isdigit, lambda c: c.isascii() and c.isalpha()):
                    if kind(query[inside]) and kind(text[outside]):
                        ok = False
        if ok:
            return True
        start = text.find(query, start + 1)
    return False


def test_random_texts_and_queries_agree_with_a_plain_scan(store: Store) -> None:
    # Few characters, so that repeats, chains across punctuation and mixed runs are common.
    alphabet = "中国内股市AaB5G，。 "
    rng = random.Random(11)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 40))) for _ in range(60)]
    store.save_articles([article(n, text) for n, text in enumerate(texts)], SEEN)
    ids = [article(n, "").id for n in range(len(texts))]
    queries: set[str] = set()
    for text in texts:
        for _ in range(4):
            start = rng.randrange(len(text))
            piece = text[start : start + rng.randint(2, 6)]
            if re.fullmatch(r"[^\s，。]+", piece):
                queries.add(piece)
    checked = 0
    for query in sorted(queries):
        try:
            compile_query(query)
        except QueryError:
            continue  # a lone Chinese character: refused, tested above
        # The title is "第N条": the scan reads it too.
        expected = {
            ids[n]
            for n, text in enumerate(texts)
            if _reference(text, query) or _reference(f"第{n}条", query)
        }
        assert found(store, query) == expected, query
        checked += 1
    assert checked > 50


def test_every_write_keeps_the_index_in_step(store: Store) -> None:
    first = article(1, "茅台上涨", summary=None)
    store.save_articles([first], SEEN)
    assert found(store, "茅台") == {first.id}
    # Revised: the old words go, the new ones come.
    store.save_articles([article(1, "券商下跌", summary=None)], "2022-02-09T12:00:00+08:00")
    assert found(store, "茅台") == set()
    assert found(store, "券商") == {first.id}
    # Seen again with a summary where none was stored: the summary is searchable.
    store.save_articles([article(1, "券商下跌", summary="摘要说银行")], "2022-02-10T12:00:00+08:00")
    assert store.article(first.id)["summary"] == "摘要说银行"
    assert found(store, "银行") == {first.id}
    assert found(store, "券商") == {first.id}
    # The index holds one row per article, its time in step with the article's.
    rows = store.conn.execute("SELECT article_id, published FROM article_search_rows").fetchall()
    assert rows == [(first.id, first.published)]
    later = article(1, "券商下跌", summary="摘要说银行", published="2022-03-01T10:00:00+08:00")
    store.save_articles([later], "2022-03-02T12:00:00+08:00")
    assert store.conn.execute("SELECT published FROM article_search_rows").fetchone()[0] == (
        later.published
    )
    assert found(store, "券商", since="2022-03-01") == {first.id}


def test_the_index_agrees_with_a_rebuild_after_many_revisions(store: Store) -> None:
    rng = random.Random(5)
    words = ["茅台", "券商", "银行", "芯片", "数字经济", "NIO"]
    for round_ in range(8):
        batch = [
            article(n, "，".join(rng.sample(words, 2)), title=rng.choice(words))
            for n in rng.sample(range(20), 8)
        ]
        store.save_articles(batch, f"2022-02-{10 + round_:02d}T12:00:00+08:00")
    kept = {word: found(store, word) for word in words}
    with store.transaction():
        rebuild(store.conn)
    assert {word: found(store, word) for word in words} == kept
    # The contentless table's own structure is sound after all the deletes.
    store.conn.execute("INSERT INTO article_search (article_search) VALUES ('integrity-check')")


def test_filters_sorting_and_limit(store: Store) -> None:
    store.save_articles(
        [
            article(1, "银行", title="银行银行 银行"),  # the most relevant: in the title
            article(2, "银行", categories=[OTHER], published="2022-02-09T08:00:00+08:00"),
            article(3, "银行", published="2022-02-10T08:00:00+08:00"),
        ],
        SEEN,
    )
    ids = [article(n, "").id for n in (1, 2, 3)]
    assert [h.id for h in search(store.conn, "银行")][0] == ids[0]
    assert [h.id for h in search(store.conn, "银行", sort="time")] == [ids[2], ids[1], ids[0]]
    assert [h.id for h in search(store.conn, "银行", sort="time", limit=1)] == [ids[2]]
    assert found(store, "银行", category="cailianshe") == {ids[1]}
    assert found(store, "银行", since="2022-02-09") == {ids[1], ids[2]}
    assert found(store, "银行", until="2022-02-09") == {ids[0]}
    assert found(store, "银行", since="2022-02-09", until="2022-02-10") == {ids[1]}


def test_a_snippet_highlights_the_query_at_its_characters(store: Store) -> None:
    body = "前言。" * 30 + "消息称，SZ002752 与 5G基站 有关；nio 也在。" + "后记。" * 30
    store.save_articles([article(1, body)], SEEN)
    for query, marked in (
        ("5G基站", ["5G基站"]),
        ("002752", ["002752"]),
        ("NIO", ["nio"]),
        ("基站 OR 消息", ["消息", "基站"]),
        ("消息 NOT 茅台", ["消息"]),
    ):
        (hit,) = search(store.conn, query)
        assert [hit.snippet[start:end] for start, end in hit.highlights] == marked, query
        assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
        assert len(hit.snippet) <= 82


def test_migration_6_indexes_an_existing_store_and_is_safe_twice(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for version, _, script in migrations():
        if version < 6:
            conn.executescript(script)
    conn.execute("PRAGMA user_version = 5")
    conn.execute(
        "INSERT INTO articles (id, title, published, summary, body_text, content_hash,"
        " first_seen, last_seen) VALUES ('NW202202072267575261', '南昌数字经济', ?, '摘要',"
        " '贵州茅台', 'h', ?, ?)",
        (SEEN, SEEN, SEEN),
    )
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.schema_version == 6
        assert found(store, "数字经济") == found(store, "茅台") == {"NW202202072267575261"}
        # Applying it again (as if the version had not been recorded) changes nothing.
        store.conn.execute("DELETE FROM schema_migrations WHERE version = 6")
        assert store.migrate() == ["0006_search.sql"]
        assert found(store, "茅台") == {"NW202202072267575261"}
        assert store.conn.execute("SELECT count(*) FROM article_search_rows").fetchone()[0] == 1


def test_migration_6_shows_its_progress_on_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "big.db"
    conn = sqlite3.connect(path)
    for version, _, script in migrations():
        if version < 6:
            conn.executescript(script)
    conn.execute("PRAGMA user_version = 5")
    conn.executemany(
        "INSERT INTO articles (id, title, published, body_text, content_hash, first_seen,"
        " last_seen) VALUES (?, '标题', ?, '茅台上涨', 'h', ?, ?)",
        [(f"NW{n:018d}", SEEN, SEEN, SEEN) for n in range(10_000)],
    )
    conn.commit()
    conn.close()
    # stderr on a terminal (a pseudo-terminal), as when a person runs finews on an old store.
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-c", f"from storage import Store; Store.open({str(path)!r}).close()"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=follower,
        timeout=120,
        check=True,
    )
    os.close(follower)
    shown = os.read(leader, 65536).decode("utf-8")
    os.close(leader)
    assert done.returncode == 0
    assert "search index 10,000 of 10,000 articles" in shown
    with Store.open(path) as store:
        assert len(found(store, "茅台")) == 10_000
