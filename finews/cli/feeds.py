"""``finews feeds`` and ``finews serve``: publish the store as files, serve them locally."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import click

from crawler.defaults import default
from feeds.build import DEFAULT_ARCHIVE_BUDGET, build_feeds, normalize_base_url
from finews.cli.errors import CommandError, reported
from finews.config import ConfigError, load_config
from finews.exitcodes import ExitCode
from storage.store import Store


@click.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="The store.")
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False),
    help="Folder the feeds are written to.",
)  # fmt: skip
@click.option(
    "--base-url",
    help="Public URL at which --out is served (self links, OPML, index) [config: feeds.base_url]",
)
@click.option(
    "--limit", type=click.IntRange(min=1),
    help="Newest articles per feed, also the archive page size"
    f" [config: feeds.limit, {default('feeds', 'limit')}]",
)  # fmt: skip
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False),
    help="Config file [./finews.toml if present]",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Ignore the build state: query every category again.")
@click.option(
    "--backfill", is_flag=True,
    help=f"Write every missing archive page now (else at most {DEFAULT_ARCHIVE_BUDGET} a build).",
)  # fmt: skip
def feeds(
    db_path: str,
    out_dir: str,
    base_url: str | None,
    limit: int | None,
    config_path: str | None,
    force: bool,
    backfill: bool,
) -> None:
    """Write RSS, Atom and JSON feeds for every category, plus all.*, index.opml, index.html.

    Only files whose bytes change are rewritten, each atomically. Exits 1 if a category was
    refused (its slug is not a safe file name); every other category is still written.
    Exits 3 when the folder cannot be written (the message names the file); the files
    written before stay as they were.
    """
    try:
        config = load_config(config_path)
        base_url = normalize_base_url(base_url or config.base_url)
    except (ConfigError, ValueError) as exc:
        raise CommandError(str(exc), ExitCode.USAGE) from exc
    if not Path(db_path).is_file():
        raise CommandError(f"no database at {db_path}", ExitCode.USAGE)
    # Read-only: a cron build never blocks or alters a crawl writing the same store.
    with reported(), Store.open(db_path, readonly=True) as store:
        result = build_feeds(
            store,
            out_dir,
            base_url,
            limit or config.limit,
            force=force,
            archive_budget=None if backfill else DEFAULT_ARCHIVE_BUDGET,
            searches=config.searches,
        )
    for message in result.refused:
        click.echo(f"finews feeds: {message}", err=True)
    click.echo(
        f"{result.categories} categories ({result.rebuilt} rebuilt): {result.written} files"
        f" written, {result.unchanged} unchanged, {len(result.refused)} refused"
    )
    if result.archive_pending:
        click.echo(
            f"{result.archive_pending} older archive pages are left for the next builds"
            " (or run with --backfill)"
        )
    if result.refused:
        raise SystemExit(ExitCode.PAGES_FAILED)


@click.command()
@click.option(
    "--dir", "directory", required=True, type=click.Path(exists=True, file_okay=False),
    help="Folder written by `finews feeds`.",
)  # fmt: skip
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve(directory: str, port: int) -> None:
    """Serve a feeds folder on 127.0.0.1 with ETag, Last-Modified, 304 and gzip."""
    from feeds.serve import serve_directory

    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(serve_directory(directory, port, verbose=True))
        except OSError as exc:  # the port is taken
            raise CommandError(
                f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}", ExitCode.USAGE
            ) from exc
        # The first line is the URL, so scripts and tests can read it.
        click.echo(server.url, nl=True)
        click.echo(f"serving {Path(directory).resolve()} (Ctrl-C stops)", err=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


COMMANDS = [feeds, serve]
