"""The ``finews`` command line: a thin layer joining crawler, storage and feeds."""

from __future__ import annotations

import signal
from typing import Any

import click


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


class _Commands(click.Group):
    """Every command stops on SIGINT or SIGTERM with exit code 130 and one line (a crawl
    stops gracefully first: Scrapy's handlers take over while it runs)."""

    def invoke(self, ctx: click.Context) -> Any:
        from finews.cli.errors import CommandError
        from finews.exitcodes import ExitCode

        signal.signal(signal.SIGTERM, _interrupt)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            raise CommandError("interrupted", ExitCode.INTERRUPTED) from exc


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="finews")
def main() -> None:
    """Crawl Chinese financial news into SQLite and publish feeds per category."""


def _register() -> None:
    # Each command lives beside the code it drives; the group only collects them.
    from finews.cli import crawl, datasette, feeds, jekyll, run, search

    for module in (crawl, run, feeds, jekyll, search, datasette):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
