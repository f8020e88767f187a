"""``python -m benchmarks [--quick]``: every figure of benchmarks/README.md, as ratios.

Servers, crawls and feed builds each run in their own subprocess (Twisted's reactor starts once
per process; a server in the crawler's process would compete for its GIL; peak memory is read
per process). ``--quick`` is a smoke run of under a minute at toy sizes: its numbers only show
that every part works. Not a test: nothing here runs under pytest.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scrapy

from benchmarks import feedbuild
from benchmarks.ingest import measure_ingest
from benchmarks.synthetic import CONTINUED_PARTS, FAST_NEWS_PAGE, NOW_ISO
from crawler import settings as finews_settings

ROOT = Path(__file__).resolve().parent.parent
LATENCY = 0.1


@dataclass
class Figure:
    name: str
    measured: str
    target: str
    passed: bool | None  # None: informational
    note: str = ""


@dataclass(frozen=True)
class Sizes:
    crawl: int
    latency: int
    ingest: int
    feed_big: int
    feed_small: int
    feed_categories: int
    memory: int
    rolling: int
    search: tuple[int, ...] = (100_000, 1_000_000)


FULL = Sizes(3000, 2000, 20_000, 1_000_000, 100_000, 2000, 100_000, 1000)
QUICK = Sizes(300, 200, 2_000, 20_000, 2_000, 200, 600, 200, (2_000,))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _python(*args: str) -> dict[str, Any]:
    """Run ``python -m …`` in a subprocess and return the JSON of its last stdout line."""
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args[:2])} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


@dataclass
class SiteServer:
    url: str
    columns: int
    pages: int
    list_pages: int
    continued: int

    def stats(self) -> dict[str, int]:
        with urllib.request.urlopen(self.url + "/_stats") as answer:
            return json.loads(answer.read())

    def start_urls(self) -> list[str]:
        return [f"{self.url}/a/col{c}.html" for c in range(self.columns)]

    def rolling_url(self) -> str:
        """The rolling-news API, as in crawler/defaults.toml."""
        query = f"client=web&biz=web_724&fastColumn=102&pageSize={FAST_NEWS_PAGE}"
        return f"{self.url}/comm/web/getFastNewsList?{query}"


@contextmanager
def site_server(articles: int, latency: float = 0.0) -> Iterator[SiteServer]:
    command = [sys.executable, "-m", "benchmarks.synthetic", "--articles", str(articles)]
    command += ["--latency", str(latency)]
    process = subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        info = json.loads(process.stdout.readline())
        yield SiteServer(
            info["url"], info["columns"], info["pages"], info["list_pages"], info["continued"]
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


def full_crawl(
    site: SiteServer, db: Path, *settings: str, urls: list[str] | None = None, depth: int = 0
) -> dict[str, Any]:
    args = ["benchmarks.full_crawl", "--db", str(db), "--depth", str(depth or site.pages)]
    for setting in ("FINEWS_NOW=" + NOW_ISO, *settings):
        args += ["-s", setting]
    return _python(*args, *(urls or site.start_urls()))


def bare_crawl(site: SiteServer, *settings: str) -> dict[str, Any]:
    args = ["benchmarks.baseline", "--depth", str(site.pages)]
    for setting in settings:
        args += ["-s", setting]
    return _python(*args, *site.start_urls())


def _delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: after.get(k, 0) - before.get(k, 0) for k in after if k != "stats"}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- crawl figures ---------------------------------------------------------------------------


def crawl_figures(sizes: Sizes, work: Path, rounds: int) -> list[Figure]:
    figures = []
    no_throttle = "AUTOTHROTTLE_ENABLED=False"
    with site_server(sizes.crawl) as site:
        bare_runs, full_runs = [], []
        first: dict[str, Any] = {}
        for attempt in range(rounds):
            bare_runs.append(bare_crawl(site, no_throttle))
            db = work / f"crawl{attempt}.db"
            full_runs.append(full_crawl(site, db, no_throttle))
            say(f"  crawl round {attempt + 1}: bare {bare_runs[-1]}, full {full_runs[-1]}")
            if attempt == 0:
                first = full_runs[-1]
                before = site.stats()
                second = full_crawl(site, db, no_throttle)
                requests = _delta(site.stats(), before)
                say(f"  re-crawl: {second}, server saw {requests}")
        bare = min(bare_runs, key=lambda r: r["seconds"])
        full = min(full_runs, key=lambda r: r["seconds"])
        assert bare["articles"] == full["articles"] == sizes.crawl, (bare, full)
        bare_rate = bare["articles"] / bare["seconds"]
        full_rate = full["articles"] / full["seconds"]
        figures.append(
            Figure(
                "crawl efficiency",
                f"{full_rate / bare_rate:.2f} ({full_rate:.0f} vs {bare_rate:.0f} articles/s)",
                ">= 0.75",
                full_rate / bare_rate >= 0.75,
                f"{sizes.crawl} articles ({site.continued} of them over {CONTINUED_PARTS}"
                f" pages), no latency, best of {rounds}",
            )
        )
        fetched = sum(requests.values()) - requests.get("robots", 0)
        only_lists = fetched == requests.get("list", 0) == site.columns
        time_ratio = second["seconds"] / first["seconds"]
        figures.append(
            Figure(
                "re-crawl requests",
                f"{fetched} requests / {requests.get('list', 0)} list pages"
                f" ({site.columns} columns; +{requests.get('robots', 0)} robots.txt)",
                "list pages only",
                only_lists and second["new"] == 0,
                f"after a first crawl of {sizes.crawl} articles",
            )
        )
        figures.append(
            Figure(
                "re-crawl time",
                f"{time_ratio:.3f} ({second['seconds']:.2f} s vs {first['seconds']:.2f} s)",
                "<= 0.05",
                time_ratio <= 0.05,
                "in-process time of run_crawl, excl. interpreter start",
            )
        )
    figures.append(rolling_figure(sizes, work, no_throttle))
    concurrency = finews_settings.CONCURRENT_REQUESTS_PER_DOMAIN
    ideal = concurrency / LATENCY
    with site_server(sizes.latency, LATENCY) as site:
        before = site.stats()
        run = full_crawl(site, work / "latency.db", no_throttle)
        requests = sum(_delta(site.stats(), before).values())
        before = site.stats()
        throttled = full_crawl(site, work / "latency-default.db")
        throttled_requests = sum(_delta(site.stats(), before).values())
    say(f"  latency: {run} ({requests} requests); default settings: {throttled}")
    articles_rate = run["articles"] / run["seconds"]
    request_rate = requests / run["seconds"]
    # The best any crawler can do is `concurrency` requests in flight all the time.
    best_articles = ideal * run["articles"] / requests
    figures.append(
        Figure(
            "latency hiding",
            f"{request_rate / ideal:.2f} ({request_rate:.1f} of {ideal:.0f} requests/s;"
            f" {articles_rate:.1f} articles/s = {articles_rate / ideal:.2f} of {ideal:.0f},"
            f" {articles_rate / best_articles:.2f} of the {best_articles:.1f} reachable)",
            ">= 0.85",
            request_rate / ideal >= 0.85,
            f"{sizes.latency} articles, {LATENCY * 1000:.0f} ms per response, AutoThrottle off",
        )
    )
    t_rate = throttled_requests / throttled["seconds"]
    figures.append(
        Figure(
            "latency hiding, default settings",
            f"{t_rate / ideal:.2f} ({t_rate:.1f} requests/s,"
            f" {throttled['articles'] / throttled['seconds']:.1f} articles/s)",
            "(info)",
            None,
            "AutoThrottle on (start delay 1 s, target concurrency 4): slower by design",
        )
    )
    return figures


def rolling_figure(sizes: Sizes, work: Path, *settings: str) -> Figure:
    """A second crawl of the rolling news with nothing new: one API request."""
    with site_server(sizes.rolling) as site:
        depth = math.ceil(sizes.rolling / FAST_NEWS_PAGE) + 1
        host = f"FINEWS_ARTICLE_HOST={site.url}"
        db = work / "rolling.db"
        first = full_crawl(site, db, host, *settings, urls=[site.rolling_url()], depth=depth)
        before = site.stats()
        second = full_crawl(site, db, host, *settings, urls=[site.rolling_url()], depth=depth)
        requests = _delta(site.stats(), before)
    say(f"  rolling news: first {first}, second {second}, server saw {requests}")
    assert first["articles"] == sizes.rolling, first
    fetched = sum(requests.values()) - requests.get("robots", 0)
    return Figure(
        "rolling-news re-crawl requests",
        f"{fetched} request(s) / {requests.get('fastnews', 0)} API page(s)"
        f" (+{requests.get('robots', 0)} robots.txt; the first crawl: {first['requests']})",
        "one API request",
        fetched == requests.get("fastnews", 0) == 1 and second["new"] == 0,
        f"after a first crawl of {sizes.rolling} records, {FAST_NEWS_PAGE} a page",
    )


def memory_figure(sizes: Sizes, work: Path) -> Figure:
    with site_server(sizes.memory) as site:
        run = full_crawl(site, work / "memory.db", "AUTOTHROTTLE_ENABLED=False")
    say(f"  memory crawl: {run}")
    assert run["articles"] == sizes.memory, run
    return Figure(
        "crawl memory",
        f"{run['maxrss_mb']:.0f} MB peak RSS",
        "<= 500 MB",
        run["maxrss_mb"] <= 500,
        f"{sizes.memory} articles in {run['seconds']:.0f} s"
        f" ({sizes.memory / run['seconds']:.0f} articles/s)",
    )


# -- store and feed figures ------------------------------------------------------------------


def ingest_figure(sizes: Sizes) -> Figure:
    result = measure_ingest(sizes.ingest)
    say(f"  ingest: {result}")
    return Figure(
        "ingest",
        f"{result['ratio']:.2f} ({result['store_per_s']:.0f} vs"
        f" {result['plain_per_s']:.0f} articles/s)",
        ">= 0.3",
        result["ratio"] >= 0.3,
        f"{sizes.ingest} articles, batches of 200",
    )


def _build(db: Path, out: Path, *extra: str) -> dict[str, Any]:
    result = _python("benchmarks.feedbuild", "--db", str(db), "--out", str(out), *extra)
    say(f"  build {db.name} -> {out.name}: {result}")
    return result


def feed_figures(sizes: Sizes, work: Path) -> list[Figure]:
    cats = sizes.feed_categories
    results = {}
    for count in (sizes.feed_small, sizes.feed_big):
        db = work / f"feeds{count}.db"
        started = time.monotonic()
        feedbuild.make_store(db, count, cats)
        say(f"  store of {count} articles made in {time.monotonic() - started:.0f} s")
        results[count] = _build(db, work / f"out{count}")
        if count == sizes.feed_big:
            # The first build leaves the older archive pages over its budget to the next
            # builds; the cron case is a store whose history is written, so write it first.
            results["backfill"] = _build(db, work / f"out{count}", "--backfill")
            feedbuild.change_one_category(db, cats)
            results["incremental"] = _build(db, work / f"out{count}")
        else:
            shutil.rmtree(work / f"out{count}")
        if count != sizes.feed_big:
            db.unlink()
    big, small, incremental, backfill = (
        results[sizes.feed_big],
        results[sizes.feed_small],
        results["incremental"],
        results["backfill"],
    )
    scale = big["seconds"] / small["seconds"]
    where = f"{sizes.feed_big} articles in {cats} categories, limit 50"
    return [
        Figure(
            "feed build time",
            f"{big['seconds']:.1f} s ({big['written']} files;"
            f" {big['archive_pending']} archive pages left to later builds)",
            "<= 60 s",
            big["seconds"] <= 60,
            where,
        ),
        Figure(
            "archive backfill, once",
            f"{backfill['seconds']:.1f} s ({backfill['written']} files)",
            "(info)",
            None,
            "the rest of the history after the first build, in one go (finews feeds --backfill)",
        ),
        Figure(
            "feed build memory",
            f"{big['maxrss_mb']:.0f} MB peak RSS",
            "<= 300 MB",
            big["maxrss_mb"] <= 300,
            where,
        ),
        Figure(
            "feed build scaling",
            f"{scale:.2f} ({big['seconds']:.1f} s / {small['seconds']:.1f} s)",
            "<= 1.3",
            scale <= 1.3,
            f"{sizes.feed_big} vs {sizes.feed_small} articles, {cats} categories",
        ),
        Figure(
            "incremental feed build",
            f"{incremental['seconds'] / big['seconds']:.4f}"
            f" ({incremental['seconds']:.2f} s, {incremental['rebuilt']} category rebuilt)",
            "<= 0.05",
            incremental["seconds"] / big["seconds"] <= 0.05,
            "one article of one category changed via save_articles",
        ),
    ]


def search_figures(sizes: Sizes, work: Path, quick: bool) -> list[Figure]:
    figures = []
    for count in sizes.search:
        db = work / f"search{count}.db"
        repeat = ["--repeat", "5", "--scan-repeat", "1"] if quick else []
        result = _python("benchmarks.search", "--articles", str(count), "--db", str(db), *repeat)
        say(f"  search {count}: {json.dumps(result, ensure_ascii=False)}")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        where = f"{count:,} articles, {result['text_mb']:.0f} MB of text"
        figures.append(
            Figure(
                "search index build",
                f"{result['migration_seconds']:.1f} s",
                "(info)",
                None,
                f"{where}: migration 6 on an existing store",
            )
        )
        figures.append(
            Figure(
                "search index size",
                f"{result['index_ratio']:.2f} ({result['index_mb']:.0f} MB)",
                "<= 1.5",
                result["index_ratio"] <= 1.5,
                f"{where}: index ÷ text",
            )
        )
        exact = all(q["recall"] == q["precision"] == 1.0 for q in result["queries"])
        figures.append(
            Figure(
                "search recall and precision",
                "1.0 and 1.0" if exact else "MISSED: " + ", ".join(
                    f"{q['query']} {q['recall']:.3f}/{q['precision']:.3f}"
                    for q in result["queries"] if q["recall"] < 1 or q["precision"] < 1
                ),
                "1.0",
                exact,
                f"{where}: {len(result['queries'])} queries against a scan",
            )
        )  # fmt: skip
        for query in result["queries"]:
            ratio = query["scan_p50"] / query["rank_p50"]
            newest = query["scan_newest_p50"] / query["time_p50"]
            rare = query["share"] < 0.05
            target = ">= 50 (under 5 % of articles)" if rare and count >= 1_000_000 else "(info)"
            figures.append(
                Figure(
                    f"search {query['query']}",
                    f"{ratio:.0f}x: top 20 by rank p50 {query['rank_p50'] * 1000:.1f} ms,"
                    f" p95 {query['rank_p95'] * 1000:.1f} ms, instr() scan"
                    f" {query['scan_p50'] * 1000:.0f} ms; newest 20 p50"
                    f" {query['time_p50'] * 1000:.1f} ms, p95 {query['time_p95'] * 1000:.1f} ms,"
                    f" early-stopping instr() scan {query['scan_newest_p50'] * 1000:.1f} ms"
                    f" ({newest:.1f}x)",
                    target,
                    ratio >= 50 if target != "(info)" else None,
                    f"{where}: in {query['share']:.1%} of articles",
                )
            )
    return figures


# -- the table -------------------------------------------------------------------------------


def machine() -> str:
    memory = ""
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
    return (
        f"{os.cpu_count()} CPUs, {memory}, {platform.platform()},"
        f" Python {platform.python_version()}, Scrapy {scrapy.__version__}"
    )


def table(figures: list[Figure]) -> str:
    lines = ["| figure | measured | target | result | measured at |", "|---|---|---|---|---|"]
    for f in figures:
        result = "info" if f.passed is None else ("pass" if f.passed else "MISS")
        lines.append(f"| {f.name} | {f.measured} | {f.target} | {result} | {f.note} |")
    return "\n".join(lines)


PARTS = ("crawl", "ingest", "feeds", "memory", "search")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (< 1 minute)")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only these parts")
    parser.add_argument("--memory-articles", type=int, help="size of the crawl-memory crawl")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temp folder)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.memory_articles:
        sizes = Sizes(**{**sizes.__dict__, "memory": args.memory_articles})
    parts = args.only or list(PARTS)
    figures: list[Figure] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="finews-bench-", dir=args.work) as tmp:
        work = Path(tmp)
        if "crawl" in parts:
            say("crawl figures ...")
            figures += crawl_figures(sizes, work, rounds=1 if args.quick else 2)
        if "ingest" in parts:
            say("ingest ...")
            figures.append(ingest_figure(sizes))
        if "feeds" in parts:
            say("feed builds ...")
            figures += feed_figures(sizes, work)
        if "memory" in parts:
            say("crawl memory ...")
            figures.append(memory_figure(sizes, work))
        if "search" in parts:
            say("search ...")
            figures += search_figures(sizes, work, args.quick)
    print(machine())
    print(f"total {math.ceil(time.monotonic() - started)} s{' (quick: toy sizes)' * args.quick}")
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
