"""Run a crawl from code or the CLI and sum it up."""

from __future__ import annotations

import gc
import logging
import signal
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import BaseSettings, Settings
from scrapy.settings import default_settings as scrapy_defaults
from twisted.python.failure import Failure

from crawler import settings as project_settings
from crawler import stats as page_stats
from crawler.clock import crawl_clock
from crawler.pipelines.store import RUN_FAILURE_STAT, RUN_STATUS_STAT, wall_clock
from crawler.spiders.eastmoney import EastMoneySpider
from finews.exitcodes import ExitCode, most_severe
from storage import Store, StoreError
from storage.lock import write_lock
from storage.slugs import slugify

logger = logging.getLogger(__name__)


class SettingError(ValueError):
    """A ``-s NAME=VALUE`` names no setting or holds a value of the wrong kind."""


class CrawlStartError(RuntimeError):
    """The crawl could not start; the message says why in one line."""


@dataclass
class CrawlSummary:
    db: str
    finish_reason: str = "finished"
    status: str = "finished"  # as recorded in crawl_runs
    interrupted: bool = False  # stopped by SIGINT or SIGTERM
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    merged: int = 0
    failed_pages: int = 0
    dropped: int = 0
    bad_dates: int = 0
    requests: int = 0
    articles: int = 0
    categories: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    store_error: str | None = None
    # Pages of a known kind that stopped matching, per kind (each is logged with its URL).
    shape_misses: dict[str, int] = field(default_factory=dict)
    failure: str | None = None  # why a failed run failed

    @property
    def exit_code(self) -> ExitCode:
        """The crawl's exit code by the table in ``finews.exitcodes``."""
        codes = [ExitCode.OK]
        if self.interrupted or self.status == "interrupted":
            codes.append(ExitCode.INTERRUPTED)
        if self.status == "failed":
            codes.append(ExitCode.NOTHING_DONE)
        if self.shape_misses:
            codes.append(ExitCode.SHAPE_MISS)
        if self.failed_pages or self.dropped:
            codes.append(ExitCode.PAGES_FAILED)
        return most_severe(*codes)

    @property
    def ok(self) -> bool:
        return self.exit_code == ExitCode.OK

    def counts(self) -> str:
        """``43 new, 0 updated, 1 failed``: what a summary line starts with (and the pages
        of a known kind that stopped matching, when there are any)."""
        text = f"{self.new} new, {self.updated} updated, {self.failed_pages} failed"
        if self.shape_misses:
            kinds = ", ".join(f"{kind} {count}" for kind, count in self.shape_misses.items())
            text += f", shape misses ({kinds})"
        return text

    def line(self, command: str = "finews crawl") -> str:
        """The crawl in one line, for logs and cron mail."""
        text = (
            f"{command}: {self.counts()}, {self.unchanged} unchanged, {self.skipped} skipped"
            f" as stored, {self.dropped} dropped, {self.bad_dates} bad dates, {self.merged}"
            f" duplicates merged, {self.requests} requests, {self.seconds:.1f} s;"
            f" {self.db}: {self.articles} articles in {self.categories} categories"
        )
        return text + self.ending()

    def ending(self) -> str:
        """How the run ended, when it did not finish: ``; interrupted`` or ``; failed: …``."""
        if self.interrupted or self.status == "interrupted":
            return "; interrupted"
        if self.status == "failed":
            return f"; failed: {self.failure or self.finish_reason}"
        return ""


def check_overrides(overrides: Mapping[str, str]) -> dict[str, str]:
    """``-s NAME=VALUE`` pairs checked before anything runs: the name is a Scrapy or finews
    setting and the value reads as that setting's kind. Raises :class:`SettingError`."""
    for name, value in overrides.items():
        if hasattr(project_settings, name) and name.isupper():
            default = getattr(project_settings, name)
        elif hasattr(scrapy_defaults, name) and name.isupper():
            default = getattr(scrapy_defaults, name)
        else:
            raise SettingError(f"-s {name}={value}: {name} is not a Scrapy or finews setting")
        probe = BaseSettings({name: value})
        kind, read = _KINDS.get(type(default), (None, None))
        try:
            if name == "FINEWS_NOW":
                crawl_clock(value)
            elif read is not None:
                getattr(probe, read)(name)
        except ValueError as exc:
            raise SettingError(f"-s {name}={value}: {name} must be {kind}") from exc
    return dict(overrides)


# How a value of a default's type is read: Scrapy reads some int defaults (DOWNLOAD_DELAY)
# as floats, so any number is accepted where the default is an int.
_KINDS = {
    bool: ("true or false (also 1 or 0)", "getbool"),
    int: ("a number", "getfloat"),
    float: ("a number", "getfloat"),
    dict: ("a JSON object", "getdict"),
}


def crawl_settings(
    db: str,
    overrides: Mapping[str, Any] | None = None,
    log_level: str = "WARNING",
    log_file: str | None = None,
    progress: bool = False,
) -> Settings:
    """The project's settings, the store path, then ``-s NAME=VALUE`` overrides."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("FINEWS_DB", db, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    if log_file:
        settings.set("LOG_FILE", log_file, priority="cmdline")
    if progress:
        extensions = settings.getdict("EXTENSIONS")
        settings.set("EXTENSIONS", {**extensions, "finews.progress.ProgressLine": 500})
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


class _Process(CrawlerProcess):
    """Scrapy's process, remembering a SIGINT/SIGTERM: once, the crawl stops gracefully and
    records itself interrupted; twice, Scrapy stops at once and the run is recorded here."""

    interrupted = False
    forced = False

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.interrupted = True
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum: int, frame: Any) -> None:
        self.forced = True
        super()._signal_kill(signum, frame)


def run_crawl(
    urls: Sequence[str],
    db: str,
    max_pages: int,
    overrides: Mapping[str, Any] | None = None,
    log_level: str = "WARNING",
    *,
    log_file: str | None = None,
    progress: bool = False,
) -> CrawlSummary:
    """Crawl ``urls`` into the store at ``db``; blocks until done. Once per process (Twisted).

    Raises :class:`SettingError` for a bad override, :class:`storage.StoreError` when the
    store cannot be opened or is locked, and :class:`CrawlStartError` when the crawl could
    not start.
    """
    started = time.monotonic()
    # Text is what a command line gives; values given from code already have their type.
    check_overrides({name: v for name, v in (overrides or {}).items() if isinstance(v, str)})
    # Open (and migrate) the store first: a bad path fails here, clearly, before any request.
    with write_lock(db):
        Store.open(db).close()
    process = _Process(crawl_settings(db, overrides, log_level, log_file, progress))
    crawler = process.create_crawler(EastMoneySpider)
    failures: list[Failure] = []
    process.crawl(crawler, urls=list(urls), max_pages=max_pages).addErrback(failures.append)
    # pypinyin's dictionaries are hundreds of thousands of long-lived objects: load them now
    # and freeze them, so that the garbage collections Scrapy's per-response allocations
    # trigger stop rescanning them (a third of a crawl's CPU time on a local site).
    slugify("东方财富")
    gc.freeze()
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    process.start()
    # Scrapy's handlers stay installed after the crawl and would now do nothing: what runs
    # next (the feeds of `finews run`) stops on a signal as before the crawl.
    for number, handler in handlers.items():
        signal.signal(number, handler)
    if failures:
        error = failures[0].value
        if isinstance(error, StoreError):
            raise error
        raise CrawlStartError(f"the crawl could not start: {type(error).__name__}: {error}")
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    summary = _summary(db, stats, process.interrupted, time.monotonic() - started)
    if process.forced and RUN_STATUS_STAT not in stats:
        _record_forced_stop(db, stats, summary)
    try:
        with Store.open(db, readonly=True) as store:
            counts = store.counts()
        summary.articles, summary.categories = counts["articles"], counts["categories"]
    except StoreError as exc:
        summary.errors.append(f"cannot read {db}: {exc}")
    return summary


def _summary(db: str, stats: dict[str, Any], interrupted: bool, seconds: float) -> CrawlSummary:
    return CrawlSummary(
        db=db,
        finish_reason=str(stats.get("finish_reason", "finished")),
        status=stats.get(RUN_STATUS_STAT, "interrupted" if interrupted else "failed"),
        interrupted=interrupted,
        new=stats.get("finews/store/new", 0),
        updated=stats.get("finews/store/updated", 0),
        unchanged=stats.get("finews/store/unchanged", 0),
        skipped=stats.get("finews/skipped", 0),
        merged=stats.get("finews/store/merged", 0),
        failed_pages=stats.get("finews/pages/failed", 0),
        dropped=stats.get("finews/dropped", 0),
        bad_dates=stats.get("finews/dates/bad", 0),
        requests=stats.get("downloader/request_count", 0),
        errors=list(stats.get("finews/errors", [])),
        store_error=stats.get("finews/store/error"),
        failure=stats.get(RUN_FAILURE_STAT),
        seconds=seconds,
        shape_misses={
            kind: counts["misses"]
            for kind, counts in page_stats.page_kinds(stats).items()
            if counts["misses"]
        },
    )


def _record_forced_stop(db: str, stats: dict[str, Any], summary: CrawlSummary) -> None:
    """A second Ctrl-C stops Scrapy before its pipelines close: record the run here."""
    run_id = stats.get("finews/store/run_id")
    if not run_id:
        return
    counts = {
        "skipped": summary.skipped,
        "failed": summary.failed_pages,
        "bad_dates": summary.bad_dates,
        "dropped": summary.dropped,
    }
    note = "stopped at once by a second SIGINT/SIGTERM; articles not yet written were not stored"
    try:
        with Store.open(db) as store:
            store.finish_run(run_id, wall_clock(), counts, [*summary.errors, note], "interrupted")
    except StoreError as exc:
        logger.error("could not record the end of crawl run %s in %s: %s", run_id, db, exc)
    summary.status = "interrupted"


__all__ = [
    "CrawlStartError",
    "CrawlSummary",
    "SettingError",
    "check_overrides",
    "crawl_settings",
    "run_crawl",
]
