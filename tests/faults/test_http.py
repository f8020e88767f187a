"""Fault cases of the network: errors, silence, short and endless answers, redirects, robots.txt,
Retry-After and the per-host limit, each crawled for real and checked in the SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy.utils.defer import deferred_f_from_coro_f

from finews.exitcodes import ExitCode
from tests.conftest import rows, run_crawl
from tests.crawler.support import crawl
from tests.faults.conftest import feed_files, working_articles
from tests.faults.server import (
    FaultServer,
    always,
    body,
    endless,
    hang,
    huge,
    redirect,
    short_body,
    slow,
    statuses,
)

FAST = {"AUTOTHROTTLE_ENABLED": False}


def stored_ids(db: Path) -> list[str]:
    return [row["id"] for row in rows(db, "SELECT id FROM articles ORDER BY id")]


def last_run(db: Path) -> Any:
    return rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]


# 1 -----------------------------------------------------------------------------------------


@deferred_f_from_coro_f
async def test_server_errors_a_few_times_then_ok_are_retried_and_stored_once(
    faults: FaultServer, truth, tmp_path
) -> None:
    article = working_articles(truth)[0]
    path = article["urls"][0]
    faults.set(path, statuses(500, 503))
    db = tmp_path / "finews.db"
    result = await crawl(faults, [path], db=db, now=truth["now"], settings=FAST)
    assert result.requests.count(path) == 3
    assert stored_ids(db) == [article["id"]]
    assert result.stat("finews/pages/failed") == 0
    assert rows(db, "SELECT title FROM articles")[0]["title"] == article["title"]


# 2 -----------------------------------------------------------------------------------------


def test_a_page_failing_every_time_is_listed_and_the_rest_goes_on(
    faults: FaultServer, truth, tmp_path
) -> None:
    stored, failing = working_articles(truth)[:2]
    db, out = tmp_path / "finews.db", tmp_path / "public"
    args = ("--out", str(out), "--base-url", "https://feeds.example.org/")
    done = run_crawl(faults, db, [stored["urls"][0]], *args, now=truth["now"], command="run")
    assert done.returncode == ExitCode.OK
    articles_before = [dict(row) for row in rows(db, "SELECT * FROM articles")]
    feeds_before = feed_files(out)

    faults.set(failing["urls"][0], always(500))
    paths = [failing["urls"][0], stored["urls"][0]]
    result = run_crawl(faults, db, paths, *args, now=truth["now"], command="run")
    assert result.returncode == ExitCode.PAGES_FAILED
    assert result.stdout.startswith("finews run: 0 new, 0 updated, 1 failed, 0 feed files")
    assert result.targets.count(failing["urls"][0]) == 3  # retried twice, then given up
    assert stored["urls"][0] in result.targets  # the rest of the crawl went on
    failed_url = faults.url + failing["urls"][0]
    # One line for the page, with its URL and reason; nothing else on stderr.
    assert result.stderr.count(failed_url) == 1
    assert f"page failed: {failed_url}: HTTP 500" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    run = last_run(db)
    assert (run["status"], run["failed"], run["unchanged"]) == ("finished", 1, 1)
    assert json.loads(run["errors"]) == [f"{failed_url}: HTTP 500"]
    # What was stored and published before is as it was.
    assert [dict(row) for row in rows(db, "SELECT * FROM articles")] == articles_before
    assert feed_files(out) == feeds_before


# 3 -----------------------------------------------------------------------------------------


def test_a_server_that_never_answers_times_out_is_retried_and_reported(
    faults: FaultServer, truth, tmp_path
) -> None:
    silent, fine = working_articles(truth)[:2]
    faults.set(silent["urls"][0], hang())
    db = tmp_path / "finews.db"
    paths = [silent["urls"][0], fine["urls"][0]]
    result = run_crawl(
        faults, db, paths, "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_TIMES=1", now=truth["now"]
    )
    assert result.returncode == ExitCode.PAGES_FAILED
    assert result.targets.count(silent["urls"][0]) == 2  # asked, then retried once
    line = f"page failed: {faults.url}{silent['urls'][0]}: no answer within 1 s (DOWNLOAD_TIMEOUT)"
    assert line in result.stderr and "Traceback" not in result.stderr
    assert stored_ids(db) == [fine["id"]]
    assert last_run(db)["status"] == "finished"


def test_the_default_download_timeout_is_sane() -> None:
    from crawler import settings

    assert 5 <= settings.DOWNLOAD_TIMEOUT <= 60


# 4 -----------------------------------------------------------------------------------------


@deferred_f_from_coro_f
async def test_an_answer_shorter_than_announced_is_retried_never_stored_half(
    faults: FaultServer, truth, tmp_path
) -> None:
    cut_once, cut_always = working_articles(truth)[:2]
    faults.set(cut_once["urls"][0], short_body(times=1))
    faults.set(cut_always["urls"][0], short_body(times=99))
    db = tmp_path / "finews.db"
    paths = [cut_once["urls"][0], cut_always["urls"][0]]
    result = await crawl(faults, paths, db=db, now=truth["now"], settings=FAST)
    assert result.requests.count(cut_once["urls"][0]) == 2
    assert stored_ids(db) == [cut_once["id"]]
    text = rows(db, "SELECT body_text FROM articles")[0]["body_text"]
    assert cut_once["paragraphs"][-1] in text  # the whole article, not its first half
    assert result.stat("finews/errors") == [
        f"{faults.url}{cut_always['urls'][0]}: the answer was cut short (fewer bytes than"
        " announced, or the connection closed)"
    ]


# 8 -----------------------------------------------------------------------------------------


@deferred_f_from_coro_f
async def test_huge_and_endless_pages_are_cut_at_the_size_limit(
    faults: FaultServer, truth, tmp_path
) -> None:
    big, never_ending, fine = working_articles(truth)[:3]
    faults.set(big["urls"][0], huge(50 * 1024 * 1024))
    faults.set(never_ending["urls"][0], endless())
    limit = 1024 * 1024
    paths = [big["urls"][0], never_ending["urls"][0], fine["urls"][0]]
    db = tmp_path / "finews.db"
    settings = {**FAST, "DOWNLOAD_MAXSIZE": limit, "RETRY_TIMES": 0}
    result = await crawl(faults, paths, db=db, now=truth["now"], settings=settings)
    assert stored_ids(db) == [fine["id"]]
    reason = "the page is larger than the 1,048,576 byte limit (DOWNLOAD_MAXSIZE); not read"
    assert sorted(result.stat("finews/errors")) == sorted(
        f"{faults.url}{p}: {reason}" for p in paths[:2]
    )
    # Memory stays bounded: the crawler stopped reading, so the server could send little more
    # than the limit (and what the sockets' buffers hold).
    for path in paths[:2]:
        assert faults.sent[path] < 8 * limit


# 9 -----------------------------------------------------------------------------------------


@deferred_f_from_coro_f
async def test_redirect_loops_and_redirects_off_the_origin_are_stopped_and_counted(
    faults: FaultServer, other_origin: FaultServer, truth, tmp_path
) -> None:
    looping, off_port, off_host, moved, elsewhere = working_articles(truth)[:5]
    faults.set(looping["urls"][0], redirect("/a/loop.html"))
    faults.set("/a/loop.html", redirect(looping["urls"][0]))
    # Another port, and another host name: both other origins, both serving another article.
    faults.set(off_port["urls"][0], redirect(other_origin.url + elsewhere["urls"][0]))
    faults.set(off_host["urls"][0], redirect(faults.host_url("localhost") + elsewhere["urls"][0]))
    # On the same origin a redirect is followed: an old-style URL moved to the new one.
    old_url = f"/news/9999,{moved['code']}.html"
    faults.set(old_url, redirect(moved["urls"][0], status=301))
    paths = [looping["urls"][0], off_port["urls"][0], off_host["urls"][0], old_url]
    db = tmp_path / "finews.db"
    result = await crawl(faults, paths, db=db, now=truth["now"], settings=FAST)
    # Nothing of the other origin was fetched, and nothing is stored under the ids asked for.
    assert other_origin.requests.total == 0
    assert elsewhere["urls"][0] not in faults.requests.targets
    assert stored_ids(db) == [moved["id"]]
    assert result.stat("finews/redirects/loop") == 1
    assert result.stat("finews/redirects/offsite") == 2
    errors = result.stat("finews/errors")
    loop = f"{faults.url}{looping['urls'][0]}"
    assert f"{loop}: redirect loop: {loop} -> {faults.url}/a/loop.html -> {loop}" in errors
    assert (
        f"{faults.url}{off_port['urls'][0]}: redirected (302) to"
        f" {other_origin.url}{elsewhere['urls'][0]}, another origin: not followed"
    ) in errors
    assert result.stat("finews/pages/failed") == 3


# 10 ----------------------------------------------------------------------------------------


@deferred_f_from_coro_f
async def test_a_column_robots_txt_disallows_is_never_fetched(
    faults: FaultServer, truth, tmp_path
) -> None:
    columns = [column["pages"][0] for column in truth["columns"]]
    forbidden = truth["columns"][0]["slug"]
    faults.set(
        "/robots.txt", body(f"User-agent: *\nDisallow: /a/{forbidden}\n".encode(), "text/plain")
    )
    result = await crawl(
        faults, columns, db=tmp_path / "finews.db", now=truth["now"], settings=FAST
    )
    assert not [t for t in result.requests if t.startswith(f"/a/{forbidden}")]
    assert result.stat("finews/pages/ignored") == 1  # declined by rule, not a failure
    assert result.stat("robotstxt/forbidden") == 1
    assert len(result.articles) >= 20


def test_robots_txt_answering_5xx_disallows_the_host_and_4xx_allows_all(
    faults: FaultServer, truth, tmp_path
) -> None:
    column = truth["columns"][0]["pages"][0]
    faults.set("/robots.txt", always(503))
    db = tmp_path / "finews.db"
    result = run_crawl(faults, db, [column], "-s", "RETRY_TIMES=0", now=truth["now"])
    assert result.targets == ["/robots.txt"]  # RFC 9309: nothing else from that host
    assert result.returncode == ExitCode.NOTHING_DONE
    assert (
        f"page failed: {faults.url}{column}: robots.txt of 127.0.0.1:{faults.port} answered"
        " HTTP 503: nothing is fetched from that host in this run (RFC 9309)"
    ) in result.stderr
    assert last_run(db)["status"] == "failed"

    private = truth["disallowed"][0]
    faults.set("/robots.txt", always(404))
    result = run_crawl(faults, db, [private["path"]], now=truth["now"])
    assert result.returncode == ExitCode.OK and private["path"] in result.targets


# 11 ----------------------------------------------------------------------------------------


@deferred_f_from_coro_f
async def test_retry_after_is_waited_for_then_the_page_is_retried(
    faults: FaultServer, truth, tmp_path
) -> None:
    too_many, unavailable = working_articles(truth)[:2]
    faults.set(too_many["urls"][0], statuses(429, headers={"Retry-After": "2"}))
    faults.set(unavailable["urls"][0], statuses(503, headers={"Retry-After": "1"}))
    db = tmp_path / "finews.db"
    paths = [too_many["urls"][0], unavailable["urls"][0]]
    result = await crawl(faults, paths, db=db, now=truth["now"], settings=FAST)
    assert stored_ids(db) == sorted([too_many["id"], unavailable["id"]])
    assert result.stat("finews/retry_after/waits") == 2
    for path, asked in ((paths[0], 2), (paths[1], 1)):
        first, retried = faults.arrivals[path]
        assert retried - first >= asked - 0.05  # as asked, give or take the clock's grain


def test_a_longer_retry_after_than_the_maximum_waits_the_maximum(
    faults: FaultServer, truth, tmp_path
) -> None:
    article = working_articles(truth)[0]
    path = article["urls"][0]
    faults.set(path, statuses(429, headers={"Retry-After": "86400"}))
    db = tmp_path / "finews.db"
    # A day's wait would outlast the subprocess's timeout: the bound is what lets it finish.
    result = run_crawl(faults, db, [path], "-s", "FINEWS_RETRY_AFTER_MAX=1", now=truth["now"])
    assert result.returncode == ExitCode.OK
    assert stored_ids(db) == [article["id"]]
    first, retried = faults.arrivals[path]
    assert retried - first >= 1 - 0.05


@deferred_f_from_coro_f
async def test_the_server_never_sees_more_requests_at_once_than_the_per_host_limit(
    faults: FaultServer, truth, tmp_path
) -> None:
    faults.default = slow(0.2)
    columns = [column["pages"][0] for column in truth["columns"]]
    settings = {**FAST, "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 3}
    result = await crawl(
        faults, columns, db=tmp_path / "finews.db", now=truth["now"], settings=settings
    )
    assert len(result.articles) >= 40
    host = f"127.0.0.1:{faults.port}"
    assert faults.max_in_flight[host] == 3  # reached, never passed
