"""``finews import jekyll`` and ``finews export jekyll``: moving to and from the old site."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click

from crawler.parsing.dates import DateParseError, parse_china_time
from feeds.jekyll_export import export_posts
from finews.cli.errors import CommandError, reported
from finews.exitcodes import ExitCode
from finews.jekyll_import import Rejected, import_posts
from storage import Store
from storage.lock import write_lock
from storage.times import CHINA_TZ, isoformat_china


@click.group(name="import")
def import_group() -> None:
    """Bring articles from elsewhere into the store."""


@click.group(name="export")
def export_group() -> None:
    """Write the store in other formats."""


@import_group.command("jekyll")
@click.argument(
    "dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=True, path_type=Path)
)
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The finews database.")
def import_jekyll(dirs: tuple[Path, ...], db: str) -> None:
    """Import the old site's Jekyll posts (e.g. _posts/ and old_post/) into the store.

    Every format the old site wrote is read; a rolling-news post and its media-category twin
    become one article. A file that cannot be used is named with the reason and skipped.
    Importing the same folders again changes nothing.
    """

    def report(rejected: Rejected) -> None:
        click.echo(f"skipped {rejected.path}: {rejected.reason}", err=True)

    started = time.perf_counter()
    with reported(), write_lock(db), Store.open(db) as store:
        result = import_posts(store, dirs, datetime.now(CHINA_TZ), on_reject=report)
    elapsed = time.perf_counter() - started
    for old, new in sorted(result.renamed_slugs.items()):
        click.echo(f"category {old} is now {new} (finews's pinyin of the media name)")
    click.echo(
        f"read {result.posts} posts in {elapsed:.1f} s: {result.articles} articles"
        f" ({result.new} new, {result.updated} updated, {result.unchanged} unchanged),"
        f" {result.twins} rolling-news twins merged, {result.duplicates} duplicate posts,"
        f" {len(result.rejected)} files skipped"
    )


@export_group.command("jekyll")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The finews database.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The Jekyll site; posts go to its _posts/ folder.",
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="SLUG",
    help="Only this category (repeatable); emnews selects the rolling-news posts.",
)
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE.")
def export_jekyll(db: str, out_dir: Path, categories: tuple[str, ...], since: str | None) -> None:
    """Write the store as Jekyll posts in the old site's current format.

    One post per article in its media category and, for rolling news, one in emnews.
    Files that already hold the same bytes are left alone.
    """
    since_iso = None
    if since:
        try:
            since_iso = isoformat_china(parse_china_time(since, datetime.now(CHINA_TZ)))
        except DateParseError as exc:
            raise click.BadParameter(str(exc), param_hint="--since") from exc
    if not Path(db).exists():
        raise CommandError(f"no database at {db}", ExitCode.USAGE)
    with reported(), Store.open(db) as store:
        result = export_posts(
            store,
            out_dir,
            categories=categories or None,
            since=since_iso,
            on_skip=lambda message: click.echo(message, err=True),
        )
    click.echo(
        f"exported {result.articles} articles to {out_dir / '_posts'}: {result.written} files"
        f" written, {result.unchanged} unchanged, {len(result.skipped)} skipped"
    )


COMMANDS = [import_group, export_group]
