"""Failures as one line and the exit code of ``finews.exitcodes``, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from feeds.output import OutputError
from finews.config import ConfigError
from finews.exitcodes import ExitCode
from finews.runner import CrawlStartError, SettingError
from storage.lock import StoreLockedError
from storage.store import NotAStoreError, StoreError


class CommandError(click.ClickException):
    """A failure a user can act on: ``Error: <message>`` on stderr and ``code``."""

    def __init__(self, message: str, code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = int(code)


def exit_code_for(exc: Exception) -> ExitCode:
    """The exit code of a failure that stops a command before it is done."""
    if isinstance(exc, StoreLockedError):
        return ExitCode.LOCKED
    if isinstance(exc, NotAStoreError | SettingError | ConfigError):
        return ExitCode.USAGE
    return ExitCode.NOTHING_DONE


@contextmanager
def reported() -> Iterator[None]:
    """Turn the failures a command expects into :class:`CommandError`."""
    try:
        yield
    except (StoreError, SettingError, ConfigError, CrawlStartError, OutputError) as exc:
        raise CommandError(str(exc), exit_code_for(exc)) from exc
