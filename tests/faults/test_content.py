"""Fault cases of content: charsets, pages and API answers that hold no article, dates finews
cannot believe, characters no store or feed can carry. Crawled for real, then published."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import feedparser
from lxml import etree
from scrapy.utils.defer import deferred_f_from_coro_f

from feeds.build import build_feeds
from finews.exitcodes import ExitCode
from storage import Store
from tests.conftest import rows, run_crawl
from tests.crawler.support import crawl
from tests.faults.conftest import feed_files, working_articles
from tests.faults.server import FaultServer, body, relabelled

FAST = {"AUTOTHROTTLE_ENABLED": False}
BASE_URL = "https://feeds.example.org/"
JSON = "application/json; charset=utf-8"


def api(record: dict[str, Any]) -> bytes:
    """A content-API answer; ``json.dumps`` keeps ``\\ud800`` as the escape the source sends."""
    return json.dumps(record).encode("ascii")


def api_path(code: str) -> str:
    return f"/NewsData/GetNewsText.do?id=NW{code}"


def share_path(code: str) -> str:
    return f"/html_News/NewsShare.html?infoCode=NW{code}"


def publish(db: Path, out: Path) -> dict[Path, bytes]:
    """Build the feeds of ``db`` and check every file parses as what it claims to be."""
    with Store.open(db) as store:
        build_feeds(store, out, BASE_URL, limit=50)
    files = feed_files(out)
    for path, data in files.items():
        if path.suffix in (".xml", ".atom", ".opml"):
            etree.fromstring(data)  # well-formed XML, or this raises
            if path.suffix != ".opml":
                parsed = feedparser.parse(data)
                assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        elif path.suffix == ".json":
            json.loads(data)
    return files


def article_page(title: str, paragraphs: str, published: str = "2022年12月30日 10:00") -> bytes:
    return (
        f"<html><head><title>{title}_东方财富网</title></head><body><h1>{title}</h1>"
        f'<div class="infos"><div class="item">{published}</div><div class="item">来源：财联社'
        f'</div></div><div id="ContentBody">{paragraphs}</div></body></html>'
    ).encode()


# 5 -----------------------------------------------------------------------------------------


@deferred_f_from_coro_f
async def test_chinese_charsets_are_read_right_whatever_the_label(
    faults: FaultServer, truth, tmp_path
) -> None:
    by_header = next(a for a in truth["articles"] if a["encoding"] == "gbk-header")
    by_meta = next(a for a in truth["articles"] if a["encoding"] == "gbk-meta")
    mislabelled, gb18030, api_in_gbk, damaged = working_articles(truth)[:4]
    # GBK bytes labelled UTF-8 (the header lies); UTF-8 pages re-encoded as GB18030 (declared)
    # and as GBK with a UTF-8 label; a UTF-8 page with one damaged byte.
    faults.set(by_header["urls"][0], relabelled("text/html; charset=utf-8"))
    faults.set(mislabelled["urls"][0], relabelled("text/html; charset=utf-8", recode="gbk"))
    faults.set(gb18030["urls"][0], relabelled("text/html; charset=gb18030", recode="gb18030"))
    faults.set(api_in_gbk["api"], relabelled(JSON, recode="gbk"))
    page = (Path(faults.site.root) / damaged["urls"][0].lstrip("/")).read_bytes()
    cut = page.index(damaged["title"].encode()) + 1  # inside the title's first character
    faults.set(damaged["urls"][0], body(page[:cut] + b"\xff" + page[cut:]))
    share = next(url for url in api_in_gbk["urls"] if "NewsShare" in url)
    paths = [
        by_header["urls"][0],
        by_meta["urls"][0],
        mislabelled["urls"][0],
        gb18030["urls"][0],
        share,
        damaged["urls"][0],
    ]
    db = tmp_path / "finews.db"
    result = await crawl(faults, paths, db=db, now=truth["now"], settings=FAST)
    read = [by_header, by_meta, mislabelled, gb18030, api_in_gbk]
    stored = {row["id"]: row for row in rows(db, "SELECT * FROM articles")}
    assert set(stored) == {a["id"] for a in read}
    for article in read:
        assert stored[article["id"]]["title"] == article["title"]
        assert article["paragraphs"][0] in stored[article["id"]]["body_text"]
    # The damaged page is refused with its reason, never stored with a hole in it.
    assert result.stat("finews/errors") == [
        f"{faults.url}{damaged['urls'][0]}: the body is not valid utf-8 and no other encoding"
        " reads it: not stored"
    ]
    files = publish(db, tmp_path / "public")
    for path, data in files.items():
        assert "\ufffd" not in data.decode("utf-8"), path
    assert not [row for row in stored.values() if "\ufffd" in json.dumps(dict(row))]


# 6 -----------------------------------------------------------------------------------------


def test_pages_and_answers_without_an_article_are_dropped_with_their_reason(
    faults: FaultServer, truth, tmp_path
) -> None:
    good = working_articles(truth)[0]
    codes = [f"2022123020000000{n:02d}" for n in range(1, 9)]
    pages = {
        "malformed": b"<html><body><h1",
        "no title": article_page("", "<p>正文</p>"),
        "empty body": article_page("只有标题的文章", ""),
        "blank body": article_page("空白正文的文章", "<p>&nbsp;</p>\n  <p> </p>"),
    }
    answers = {
        "blank content": api({"Title": "空白内容", "content": "  ", "text": "", "Date": ""}),
        "empty record": api({}),
        "not JSON": b"<html>Service Unavailable</html>",
        "no title": api({"Title": "", "content": "<p>正文</p>"}),
    }
    for code, data in zip(codes[:4], pages.values(), strict=True):
        faults.set(f"/a/{code}.html", body(data))
    for code, data in zip(codes[4:], answers.values(), strict=True):
        faults.set(api_path(code), body(data, JSON))
    paths = [f"/a/{code}.html" for code in codes[:4]]
    paths += [share_path(code) for code in codes[4:]] + [good["urls"][0]]
    db = tmp_path / "finews.db"
    result = run_crawl(faults, db, paths, now=truth["now"])
    # Article pages and API answers without their article are also shape misses (the site
    # may have changed), which outrank failed pages.
    assert result.returncode == ExitCode.SHAPE_MISS
    # The good article is stored; nothing else, and no row is empty.
    assert [row["id"] for row in rows(db, "SELECT id FROM articles")] == [good["id"]]
    run = rows(db, "SELECT * FROM crawl_runs")[0]
    assert (run["status"], run["new"]) == ("finished", 1)
    # Each of the eight is failed, dropped or a shape miss, and listed once.
    assert run["failed"] + run["dropped"] + run["shape_misses"] == 8
    errors = json.loads(run["errors"])
    assert len(errors) == 8
    for code in codes:
        assert sum(code in line for line in errors) == 1, code
    dropped = [line for line in errors if ": dropped: " in line]
    assert len(dropped) == run["dropped"] and all(
        line.endswith("an empty body") for line in dropped
    )
    # One line each on stderr, with URL and reason; no traceback.
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len([line for line in lines if "page failed: " in line]) == run["failed"]
    assert len([line for line in lines if "article dropped: " in line]) == run["dropped"]
    assert len([line for line in lines if "shape miss: " in line]) == run["shape_misses"]
    counts = result.counts
    assert (counts["new"], counts["failed"], counts["dropped"]) == (
        1,
        run["failed"],
        run["dropped"],
    )


# 7 -----------------------------------------------------------------------------------------


def test_missing_garbage_and_future_dates_follow_the_rule(
    faults: FaultServer, truth, tmp_path
) -> None:
    dates = {
        "2022-12-30 09:15:00": "2022-12-30T09:15:00+08:00",  # a good time is kept
        "2023-01-03 09:00:00": "2023-01-03T09:00:00+08:00",  # within a day ahead: clock skew
        None: truth["now"],  # missing: first seen
        "昨天 10:00": truth["now"],  # unreadable: first seen
        "2022-13-45": truth["now"],
        "2099-01-01 08:00:00": truth["now"],  # more than a day ahead: not believed
    }
    codes = [f"2022123020000001{n:02d}" for n in range(len(dates))]
    for number, (code, when) in enumerate(zip(codes, dates, strict=True)):
        record = {"Title": f"日期规则 {number}", "content": f"<p>正文 {number}</p>"}
        record |= {"medianame": "财联社"} | ({"Date": when} if when else {})
        faults.set(api_path(code), body(api(record), JSON))
    db = tmp_path / "finews.db"
    result = run_crawl(faults, db, [share_path(code) for code in codes], now=truth["now"])
    assert result.returncode == ExitCode.OK
    stored = dict(rows(db, "SELECT id, published FROM articles"))
    assert [stored[f"NW{code}"] for code in codes] == list(dates.values())
    assert result.counts["bad dates"] == 4
    assert rows(db, "SELECT bad_dates FROM crawl_runs")[0][0] == 4
    assert "'2099-01-01 08:00:00' is in the future, not believed" in result.stderr
    publish(db, tmp_path / "public")
    newest = feedparser.parse((tmp_path / "public" / "all.atom").read_bytes()).entries[0]
    assert newest.published == "2023-01-03T09:00:00+08:00"


# 16 ----------------------------------------------------------------------------------------


def test_characters_no_store_can_carry_are_cleaned_and_the_batch_is_stored(
    faults: FaultServer, truth, tmp_path
) -> None:
    clean = working_articles(truth)[:5]
    hostile = {
        "surrogate": {"Title": "孤立代理\ud800项", "content": "<p>正文\udfff含孤立代理</p>"},
        "control": {"Title": "控制\x01字符\x1b", "content": "<p>正文\x00\x07含控制字符</p>"},
        "cdata": {"Title": "标题]]>结尾", "content": "<p>正文 ]]> 与 <![CDATA[ x ]]></p>"},
        "long": {"Title": "长" * 10_000, "content": "<p>很长的标题</p>"},
    }
    codes = [f"2022123020000002{n:02d}" for n in range(len(hostile))]
    for code, record in zip(codes, hostile.values(), strict=True):
        record |= {"medianame": "财联社", "Date": "2022-12-30 10:00:00"}
        faults.set(api_path(code), body(api(record), JSON))
    paths = [share_path(code) for code in codes] + [a["urls"][0] for a in clean]
    db = tmp_path / "finews.db"
    # One batch holds them all: the hostile copies must not cost the clean ones.
    result = run_crawl(faults, db, paths, "-s", "FINEWS_BATCH_SIZE=200", now=truth["now"])
    assert result.returncode == ExitCode.OK, result.stderr
    assert "Traceback" not in result.stderr
    stored = {row["id"]: row for row in rows(db, "SELECT * FROM articles")}
    assert set(stored) == {f"NW{code}" for code in codes} | {a["id"] for a in clean}
    titles = [stored[f"NW{code}"]["title"] for code in codes]
    assert titles[:3] == ["孤立代理项", "控制字符", "标题]]>结尾"]
    assert len(titles[3]) == 300 and titles[3].endswith("…")
    assert stored[f"NW{codes[0]}"]["body_text"] == "正文含孤立代理"
    assert stored[f"NW{codes[1]}"]["body_text"] == "正文含控制字符"
    run = rows(db, "SELECT status, new FROM crawl_runs")[0]
    assert (run["status"], run["new"]) == ("finished", len(stored))
    files = publish(db, tmp_path / "public")
    atom = feedparser.parse(files[tmp_path / "public" / "all.atom"])
    assert "标题]]>结尾" in [entry.title for entry in atom.entries]
