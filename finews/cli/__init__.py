"""The ``finews`` command line: a thin layer joining crawler, storage and feeds."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
