"""``finews run``: the cron job. Crawl, then rebuild the feeds that changed."""

from __future__ import annotations

import sys
import time

import click

from crawler.defaults import default
from finews.cli.crawl import crawl_options, crawl_overrides, exit_code, resolve_crawl
from finews.runlock import EXIT_ALREADY_RUNNING, AlreadyRunningError, run_lock
from finews.runner import run_crawl
from storage import Store, StoreError


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
    log_level: str,
    out: str | None,
    base_url: str | None,
    limit: int | None,
) -> None:
    """Crawl (as `finews crawl`), then rebuild the feeds that changed (as `finews feeds`).

    Prints one summary line. Exits 1 when the crawl failed, 4 when a known kind of page
    stopped matching (the site changed), and at once with exit code 75 when another run
    on the same database is still going.
    """
    from feeds.build import build_feeds

    targets, db_path, max_pages, config = resolve_crawl(urls, db, depth, config_path)
    started = time.monotonic()
    try:
        with run_lock(db_path):
            overrides = crawl_overrides(settings, config)
            summary = run_crawl(targets, db_path, max_pages, overrides, log_level)
            with Store.open(db_path) as store:
                built = build_feeds(
                    store,
                    out or config.out,
                    base_url or config.base_url,
                    limit or config.limit,
                    searches=config.searches,
                )
    except AlreadyRunningError as exc:
        click.echo(f"finews run: {exc}", err=True)
        sys.exit(EXIT_ALREADY_RUNNING)
    except (StoreError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"finews run: {summary.new} new, {summary.updated} updated, {summary.failed_pages} failed,"
        f" {built.written} feed files rewritten, {time.monotonic() - started:.1f} s"
    )
    for error in summary.errors[:20]:
        click.echo(f"  failed: {error}", err=True)
    for sample in summary.miss_samples[:20]:
        click.echo(f"  shape miss: {sample}", err=True)
    for refusal in built.refused:
        click.echo(f"  refused: {refusal}", err=True)
    if not summary.ok and summary.store_error:
        click.echo(f"  store error: {summary.store_error}", err=True)
    sys.exit(exit_code(summary))


COMMANDS = [run]
