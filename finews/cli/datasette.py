"""``finews datasette``: browse and search the store in Datasette, with finews's metadata."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from finews.config import ConfigError, load_config


@click.command()
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), help="The store [config: crawl.db]"
)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False),
    help="Config file [./finews.toml if present]",
)  # fmt: skip
def datasette(db_path: str | None, port: int, config_path: str | None) -> None:
    """Browse and search the store in Datasette on 127.0.0.1 (pip install 'finews[datasette]').

    Every table and column is described, articles facet by media and category, and the
    search box of the newest view and the search query find what `finews search` finds.
    """
    try:
        from datasette import cli as datasette_cli
    except ImportError as exc:
        raise click.ClickException(
            "Datasette is not installed: pip install 'finews[datasette]'"
        ) from exc
    from finews.cli.search import open_current
    from finews.datasette.metadata import datasette_metadata

    try:
        db_path = db_path or load_config(config_path).db
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    open_current(db_path).close()  # exists, and has the search index (migrated if older)
    metadata = datasette_metadata(Path(db_path).stem)
    with tempfile.TemporaryDirectory(prefix="finews-datasette-") as folder:
        metadata_file = Path(folder) / "metadata.json"
        metadata_file.write_text(json.dumps(metadata, ensure_ascii=False), "utf-8")
        args = [db_path, "--metadata", str(metadata_file), "--host", "127.0.0.1"]
        args += ["--port", str(port)]
        datasette_cli.serve.main(args, prog_name="finews datasette", standalone_mode=True)


COMMANDS = [datasette]
