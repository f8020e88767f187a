"""``finews crawl`` and ``finews demo``."""

from __future__ import annotations

import sys
from typing import Any

import click

from crawler.defaults import default
from crawler.parsing.urls import UnknownPageError, classify
from finews.config import Config, ConfigError, load_config
from finews.exitcodes import ExitCode
from finews.runner import CrawlSummary, run_crawl
from storage import StoreError

LOG_LEVELS = click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False)


def parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    """``-s NAME=VALUE`` pairs, as ``scrapy crawl`` takes them."""
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        overrides[name.strip()] = value
    return overrides


def crawl_overrides(pairs: tuple[str, ...], config: Config) -> dict[str, Any]:
    """The ``-s`` settings, over the config file's column names."""
    return {"FINEWS_COLUMN_NAMES": dict(config.column_names), **parse_overrides(pairs)}


def exit_code(summary: CrawlSummary) -> int:
    """A failed crawl is 1; a crawl in which a known kind of page stopped matching is
    SHAPE_MISS."""
    if not summary.ok:
        return 1
    return ExitCode.SHAPE_MISS if summary.shape_misses else ExitCode.OK


def check_urls(urls: tuple[str, ...] | list[str]) -> list[str]:
    for url in urls:
        try:
            classify(url)
        except UnknownPageError as exc:
            raise click.BadParameter(str(exc), param_hint="URL") from exc
    return list(urls)


def crawl_options(function: Any) -> Any:
    """Options shared by ``crawl`` and ``run``."""
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
            click.option(
                "--log-level",
                type=LOG_LEVELS,
                default="WARNING",
                show_default=True,
                help="Scrapy's log level",
            ),
        ]
    ):
        function = option(function)
    return function


def resolve_crawl(
    urls: tuple[str, ...], db: str | None, depth: int | None, config_path: str | None
) -> tuple[list[str], str, int, Any]:
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    targets = check_urls(urls) if urls else list(config.start_urls)
    return targets, db or config.db, depth or config.depth, config


@click.command()
@crawl_options
def crawl(
    urls: tuple[str, ...],
    db: str | None,
    depth: int | None,
    config_path: str | None,
    settings: tuple[str, ...],
    log_level: str,
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
    articles are not downloaded again. Exits 4 when a
    known kind of page stopped matching (the site changed; see health.atom).
    """
    targets, db_path, max_pages, config = resolve_crawl(urls, db, depth, config_path)
    try:
        summary = run_crawl(
            targets, db_path, max_pages, crawl_overrides(settings, config), log_level
        )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(summary.report())
    sys.exit(exit_code(summary))


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
@click.option("--log-level", type=LOG_LEVELS, default="WARNING", show_default=True)
def demo(db: str, out: str, base_url: str, log_level: str) -> None:
    """Crawl a generated site in the source's shapes on 127.0.0.1, then write its feeds.

    Runs offline: the demo site is generated into a temporary folder and served on a
    free port for the length of the crawl.
    """
    from feeds.build import build_feeds
    from finews.demo.build import temporary_site
    from finews.demo.demo_data import demo_site_spec
    from finews.demo.server import DirectorySite, serve
    from storage import Store

    with temporary_site(demo_site_spec()) as (root, truth), serve(DirectorySite(root)) as server:
        urls, now = demo_plan(server.url, truth)
        click.echo(f"demo site: {server.url} ({len(urls)} start URLs)")
        # A local site needs no throttling; the clock is the site's, so list times get the
        # right year. Everything else is as in a real crawl.
        overrides = {
            "AUTOTHROTTLE_ENABLED": False,
            "FINEWS_NOW": now,
            "FINEWS_ARTICLE_HOST": server.url,
        }
        try:
            summary = run_crawl(urls, db, default("crawl", "depth"), overrides, log_level)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(summary.report())
    try:
        with Store.open(db) as store:
            built = build_feeds(store, out, base_url, default("feeds", "limit"))
    except (StoreError, ValueError, OSError) as exc:
        raise click.ClickException(f"writing feeds: {exc}") from exc
    click.echo(f"feeds: {built.categories} categories, {built.written} files written to {out}/")
    click.echo(
        f'query it: sqlite3 {db} "SELECT published, title FROM articles ORDER BY published DESC LIMIT 5"'
    )
    click.echo(f"subscribe: finews serve --dir {out} --port 8000, then add {base_url}all.xml")
    click.echo(f"           to your feed reader, or import {base_url}index.opml")
    sys.exit(exit_code(summary))


COMMANDS = [crawl, demo]
__all__ = [
    "COMMANDS",
    "CrawlSummary",
    "crawl_options",
    "crawl_overrides",
    "exit_code",
    "parse_overrides",
    "resolve_crawl",
]
