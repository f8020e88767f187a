"""Keep README's command reference equal to the commands' own ``--help``.

``python -m finews.cli.docs`` rewrites the part of README.md between the markers;
a test fails when they differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from finews.cli import main

START, END = "<!-- help:start -->", "<!-- help:end -->"


def _commands(group: click.Group, prefix: list[str]) -> list[list[str]]:
    found = [prefix]
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            found.extend(_commands(command, [*prefix, name]))
        else:
            found.append([*prefix, name])
    return found


def help_reference() -> str:
    """Every command's ``--help``, as Markdown."""
    runner = CliRunner()
    parts = []
    for path in _commands(main, []):
        result = runner.invoke(main, [*path, "--help"], prog_name="finews", terminal_width=100)
        title = " ".join(["finews", *path])
        parts.append(f"### `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def render(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{help_reference()}{END}{tail}"


def main_docs(path: str = "README.md") -> int:
    readme = Path(path)
    text = readme.read_text("utf-8")
    if START not in text or END not in text:
        print(f"{path} has no {START} … {END} markers", file=sys.stderr)
        return 1
    readme.write_text(render(text), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main_docs(*sys.argv[1:]))
