"""One ``finews run`` at a time per store: cron may start the next before one ends."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# EX_TEMPFAIL: "try again later", what cron wrappers expect from a job that is busy.
EXIT_ALREADY_RUNNING = 75


class AlreadyRunningError(RuntimeError):
    """Another process holds the run lock."""


@contextmanager
def run_lock(db_path: str) -> Iterator[Path]:
    """Hold ``<db>.lock`` for the block; raise :class:`AlreadyRunningError` if it is held.

    An OS lock (flock) rather than a pid file: it is released when the process dies, so a
    killed run never blocks the next one.
    """
    lock_path = Path(f"{db_path}.lock")
    handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the block
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise AlreadyRunningError(
                f"another finews run is using {db_path} (lock {lock_path} held by pid {holder});"
                " exiting without doing anything"
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield lock_path
    finally:
        handle.close()
