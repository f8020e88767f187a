"""``finews run``: the cron job. Crawl, then rebuild the feeds that changed."""

from __future__ import annotations

import sys
import time

import click

from crawler.defaults import default
from finews.cli.crawl import Logging, crawl_into, crawl_options, crawl_overrides, resolve_crawl
from finews.cli.errors import CommandError, reported
from finews.exitcodes import ExitCode
from storage import Store
from storage.lock import write_lock


@click.command()
@crawl_options
@click.option("--out", type=click.Path(file_okay=False), help="Feed folder [config: feeds.out]")
@click.option("--base-url", help="Public URL of the feed folder [config: feeds.base_url]")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help=f"Articles per feed [config: feeds.limit, {default('feeds', 'limit')}]",
)
def run(
    urls: tuple[str, ...],
    db: str | None,
    depth: int | None,
    config_path: str | None,
    settings: tuple[str, ...],
    quiet: bool,
    verbose: int,
    log_level: str | None,
    log_file: str | None,
    out: str | None,
    base_url: str | None,
    limit: int | None,
) -> None:
    """Crawl (as `finews crawl`), then rebuild the feeds that changed (as `finews feeds`).

    Prints one summary line. Exits at once with code 75 when another finews process is
    writing the same database; the other exit codes are those of `finews crawl` (4 when a
    known kind of page stopped matching), and 3 when the feeds cannot be written.
    """
    from feeds.build import build_feeds, normalize_base_url

    targets, db_path, max_pages, config = resolve_crawl(urls, db, depth, config_path)
    overrides = crawl_overrides(settings, config)
    log = Logging.from_options(log_level, quiet, verbose, log_file)
    started = time.monotonic()
    try:
        base_url = normalize_base_url(base_url or config.base_url)
    except ValueError as exc:
        raise CommandError(str(exc), ExitCode.USAGE) from exc
    with reported(), write_lock(db_path):
        summary = crawl_into(targets, db_path, max_pages, overrides, log)
        if summary.exit_code == ExitCode.INTERRUPTED:
            # Asked to stop: the feeds wait for the next run.
            log.summary(f"finews run: {summary.counts()}; interrupted", summary.exit_code)
            sys.exit(summary.exit_code)
        with Store.open(db_path) as store:
            built = build_feeds(
                store,
                out or config.out,
                base_url,
                limit or config.limit,
                searches=config.searches,
            )
    line = (
        f"finews run: {summary.counts()}, {built.written} feed files rewritten,"
        f" {time.monotonic() - started:.1f} s{summary.ending()}"
    )
    log.summary(line, summary.exit_code)
    for refusal in built.refused:
        click.echo(f"  refused: {refusal}", err=True)
    sys.exit(summary.exit_code)


COMMANDS = [run]
