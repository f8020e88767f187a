"""``finews crawl`` and ``finews demo``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import click

from crawler.defaults import default
from crawler.parsing.urls import UnknownPageError, classify
from finews.cli.errors import CommandError, reported
from finews.config import Config, load_config
from finews.exitcodes import ExitCode
from finews.runner import CrawlSummary, check_overrides, run_crawl
from storage.lock import write_lock

LOG_LEVELS = click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False)


def parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    """``-s NAME=VALUE`` pairs, as ``scrapy crawl`` takes them, checked before anything runs."""
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"-s {pair}: expected NAME=VALUE", ExitCode.USAGE)
        overrides[name.strip()] = value
    with reported():
        return check_overrides(overrides)


def crawl_overrides(pairs: tuple[str, ...], config: Config) -> dict[str, Any]:
    """The ``-s`` settings, over the config file's column names."""
    return {"FINEWS_COLUMN_NAMES": dict(config.column_names), **parse_overrides(pairs)}


def check_urls(urls: tuple[str, ...] | list[str]) -> list[str]:
    for url in urls:
        try:
            classify(url)
        except UnknownPageError as exc:
            raise click.BadParameter(str(exc), param_hint="URL") from exc
    return list(urls)


@dataclass(frozen=True)
class Logging:
    """Where a crawl's log lines go and how many there are."""

    level: str
    quiet: bool
    file: str | None

    @classmethod
    def from_options(
        cls, log_level: str | None, quiet: bool, verbose: int, log_file: str | None
    ) -> Logging:
        if log_level:
            level = log_level.upper()
        elif quiet:
            level = "ERROR"
        else:
            level = ("WARNING", "INFO", "DEBUG")[min(verbose, 2)]
        return cls(level, quiet, log_file)

    @property
    def progress(self) -> bool:
        """A live progress line: only on a terminal, and not when asked to be quiet."""
        return not self.quiet and self.file is None and sys.stderr.isatty()

    def summary(self, line: str, code: ExitCode) -> None:
        """Print the summary line (``--quiet``: only when something went wrong)."""
        if not self.quiet or code != ExitCode.OK:
            click.echo(line)


def logging_options(function: Any) -> Any:
    """``-q``, ``-v``, ``--log-level`` and ``--log-file``, for every command that crawls."""
    for option in reversed(
        [
            click.option(
                "-q", "--quiet", is_flag=True,
                help="Only errors; the summary line only when something failed",
            ),
            click.option(
                "-v", "--verbose", count=True,
                help="More log lines: -v for Scrapy's progress, -vv for everything",
            ),
            click.option(
                "--log-level", type=LOG_LEVELS,
                help="Log level, instead of -q/-v  [default: WARNING]",
            ),
            click.option(
                "--log-file", type=click.Path(dir_okay=False),
                help="Append log lines to FILE instead of stderr",
            ),
        ]
    ):  # fmt: skip
        function = option(function)
    return function


def crawl_options(function: Any) -> Any:
    """Options shared by ``crawl`` and ``run``."""
    function = logging_options(function)  # listed last in --help
    for option in reversed(
        [
            click.argument("urls", nargs=-1, metavar="[URL]..."),
            click.option(
                "--db", type=click.Path(dir_okay=False), help="SQLite store [config: crawl.db]"
            ),
            click.option(
                "--depth",
                type=click.IntRange(min=1),
                help="Pages per column or API stream"
                f" [config: crawl.depth, {default('crawl', 'depth')}]",
            ),
            click.option(
                "--config",
                "config_path",
                type=click.Path(dir_okay=False),
                help="Config file [./finews.toml if present]",
            ),
            click.option(
                "-s",
                "--set",
                "settings",
                multiple=True,
                metavar="NAME=VALUE",
                help="Override a Scrapy or finews setting, e.g. -s DOWNLOAD_DELAY=2",
            ),
        ]
    ):
        function = option(function)
    return function


def resolve_crawl(
    urls: tuple[str, ...], db: str | None, depth: int | None, config_path: str | None
) -> tuple[list[str], str, int, Config]:
    """What to crawl, into which store, how deep: the arguments over the config file."""
    with reported():
        config = load_config(config_path)
    targets = check_urls(urls) if urls else list(config.start_urls)
    if not targets:
        raise CommandError(
            f"nothing to crawl: no URL given and crawl.start_urls of {config.source} is empty",
            ExitCode.USAGE,
        )
    return targets, db or config.db, depth or config.depth, config


def crawl_into(
    targets: list[str], db: str, max_pages: int, overrides: dict[str, Any], log: Logging
) -> CrawlSummary:
    """Run the crawl; the caller holds the store's lock and reports failures (``reported``)."""
    return run_crawl(
        targets, db, max_pages, overrides, log.level, log_file=log.file, progress=log.progress
    )


@click.command()
@crawl_options
def crawl(
    urls: tuple[str, ...],
    db: str | None,
    depth: int | None,
    config_path: str | None,
    settings: tuple[str, ...],
    quiet: bool,
    verbose: int,
    log_level: str | None,
    log_file: str | None,
) -> None:
    """Crawl the rolling news, column lists, articles, share links and APIs into the store.

    Each URL is recognized by its path, on any host: a column list page
    (/a/<column>.html, /news/<column>.html), an article page (/a/<code>.html,
    /news/<col>,<code>.html; 17 or 18 digits), a share link
    (/html_News/NewsShare.html?infoCode=NW...), the rolling-news API
    (/comm/web/getFastNewsList?fastColumn=102...), the older rolling-news list
    (/kuaixun/v1/getlist_102_ajaxResult_50_1_.html) or the column API
    (/comm/web/getNewsByColumns?column=<id>...). With no URL, the start URLs of the
    config file are crawled (by default the rolling news and six columns). Stored
    articles are not downloaded again. Prints one summary line; the exit code says how
    it went (README, "When things go wrong"; 4: a known kind of page stopped matching).
    """
    targets, db_path, max_pages, config = resolve_crawl(urls, db, depth, config_path)
    overrides = crawl_overrides(settings, config)
    log = Logging.from_options(log_level, quiet, verbose, log_file)
    with reported(), write_lock(db_path):
        summary = crawl_into(targets, db_path, max_pages, overrides, log)
    log.summary(summary.line(), summary.exit_code)
    sys.exit(summary.exit_code)


def demo_plan(site_url: str, truth: dict[str, Any]) -> tuple[list[str], str]:
    """The demo site's start URLs (its APIs, column pages and every article's share link),
    and the clock its year-less list times were written for, from its truth (site.json)."""
    urls = [site_url + stream["start"] for stream in truth.get("streams", [])]
    urls += [site_url + column["pages"][0] for column in truth["columns"]]
    for article in truth["articles"]:
        urls.extend(site_url + path for path in article["urls"] if "NewsShare" in path)
    return urls, truth["now"]


@click.command()
@click.option(
    "--db", type=click.Path(dir_okay=False), default=default("crawl", "db"), show_default=True
)
@click.option(
    "--out", type=click.Path(file_okay=False), default=default("feeds", "out"), show_default=True
)
@click.option(
    "--base-url",
    default=default("feeds", "base_url"),
    show_default=True,
    help="Where --out is served",
)
@logging_options
def demo(
    db: str,
    out: str,
    base_url: str,
    quiet: bool,
    verbose: int,
    log_level: str | None,
    log_file: str | None,
) -> None:
    """Crawl a generated site in the source's shapes on 127.0.0.1, then write its feeds.

    Runs offline: the demo site is generated into a temporary folder and served on a
    free port for the length of the crawl.
    """
    from feeds.build import build_feeds
    from finews.demo.build import temporary_site
    from finews.demo.demo_data import demo_site_spec
    from finews.demo.server import DirectorySite, serve
    from storage import Store

    log = Logging.from_options(log_level, quiet, verbose, log_file)
    with reported(), write_lock(db):
        with (
            temporary_site(demo_site_spec()) as (root, truth),
            serve(DirectorySite(root)) as server,
        ):
            urls, now = demo_plan(server.url, truth)
            click.echo(f"demo site: {server.url} ({len(urls)} start URLs)")
            # A local site needs no throttling; the clock is the site's, so list times get
            # the right year. Everything else is as in a real crawl.
            overrides = {
                "AUTOTHROTTLE_ENABLED": "False",
                "FINEWS_NOW": now,
                "FINEWS_ARTICLE_HOST": server.url,
            }
            summary = crawl_into(urls, db, default("crawl", "depth"), overrides, log)
        click.echo(summary.line("finews demo"))
        if summary.exit_code in (ExitCode.INTERRUPTED, ExitCode.NOTHING_DONE):
            sys.exit(summary.exit_code)
        with Store.open(db) as store:
            built = build_feeds(store, out, base_url, default("feeds", "limit"))
    click.echo(f"feeds: {built.categories} categories, {built.written} files written to {out}/")
    click.echo(
        f'query it: sqlite3 {db} "SELECT published, title FROM articles ORDER BY published DESC LIMIT 5"'
    )
    click.echo(f"subscribe: finews serve --dir {out} --port 8000, then add {base_url}all.xml")
    click.echo(f"           to your feed reader, or import {base_url}index.opml")
    sys.exit(summary.exit_code)


COMMANDS = [crawl, demo]
__all__ = [
    "COMMANDS",
    "CrawlSummary",
    "crawl_options",
    "crawl_overrides",
    "parse_overrides",
    "resolve_crawl",
]
