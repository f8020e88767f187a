"""``finews search``: full-text search of the store from the command line."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import click

from crawler.parsing.dates import DateParseError, parse_china_time
from storage.search import QueryError, SearchHit, search
from storage.store import Store, StoreError, migrations
from storage.times import CHINA_TZ, isoformat_china

_BOLD, _PLAIN = "\x1b[1;31m", "\x1b[0m"


def _date(value: str | None, name: str) -> str | None:
    """A --since/--until value as a stored time (China time), for comparing with it."""
    if value is None:
        return None
    try:
        return isoformat_china(parse_china_time(value, datetime.now(CHINA_TZ)))
    except DateParseError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from exc


def _marked(hit: SearchHit, start: str, end: str) -> str:
    text, out, at = hit.snippet, [], 0
    for first, last in hit.highlights:
        out += [text[at:first], start, text[first:last], end]
        at = last
    return "".join([*out, text[at:]])


def open_current(db_path: str) -> Store:
    """Open the store read-only, or read-write once to bring an older schema up to date."""
    if not Path(db_path).is_file():
        raise click.ClickException(f"no database at {db_path}")
    try:
        store = Store.open(db_path, readonly=True)
        if store.schema_version < max(version for version, _, _ in migrations()):
            store.close()
            Store.open(db_path).close()  # applies the migrations (a progress line on a tty)
            store = Store.open(db_path, readonly=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    return store


@click.command(name="search")
@click.argument("query")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="The store.")
@click.option("--category", metavar="SLUG", help="Only articles in this category.")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--until", metavar="DATE", help="Only articles published before DATE.")
@click.option(
    "--sort", type=click.Choice(["rank", "time"]), default="rank", show_default=True,
    help="rank: most relevant first (bm25, a title counts most); time: newest first.",
)  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, for scripts.")
def search_command(
    query: str,
    db_path: str,
    category: str | None,
    since: str | None,
    until: str | None,
    sort: str,
    limit: int,
    as_json: bool,
) -> None:
    """Find articles by words in their title, summary or body.

    Chinese is matched as written (两个字 or more in a row); ASCII words and numbers as whole
    words, in any case (NIO does not match UNION; 002752 matches SZ002752). Words separated
    by spaces must all occur; OR, NOT and parentheses combine them; "a phrase" in quotes
    matches its words in order with only spaces or punctuation between them.
    """
    since, until = _date(since, "--since"), _date(until, "--until")
    with open_current(db_path) as store:
        try:
            hits = search(
                store.conn,
                query,
                category=category,
                since=since,
                until=until,
                sort=sort,
                limit=limit,
            )
        except QueryError as exc:
            raise click.UsageError(str(exc)) from exc
    if as_json:
        for hit in hits:
            click.echo(json.dumps(asdict(hit), ensure_ascii=False))
        return
    if not hits:
        click.echo("no article matches", err=True)
        return
    color = sys.stdout.isatty()
    for number, hit in enumerate(hits, 1):
        time = hit.published[:16].replace("T", " ")
        click.echo(f"{number}. {hit.title}")
        click.echo(f"   {time} · {hit.media or '-'} · {hit.url or hit.id}")
        click.echo("   " + (_marked(hit, _BOLD, _PLAIN) if color else _marked(hit, "[", "]")))


COMMANDS = [search_command]
