"""One writer per store: an OS lock held beside the database file while a command writes.

Every command that writes (a crawl, ``finews run``, ``finews import jekyll``, the demo) takes
the lock of the real database file, symlinks resolved, so two paths to one file are one lock.
A second writer is refused at once (:class:`StoreLockedError`) rather than meeting SQLite's
"database is locked" half-way through. The lock is an ``flock`` on ``<database>.lock``: the
operating system releases it when its process dies, so a killed run never blocks the next.
Within one process the lock is re-entrant: ``finews run`` holds it, and the crawl's store
pipeline takes it again for ``scrapy crawl``, which has no command of finews around it.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.store import NotAStoreError, StoreError


class StoreLockedError(StoreError):
    """Another process holds the store's write lock."""


_held: dict[Path, int] = {}  # real database path -> how many holders in this process
_guard = threading.Lock()


def lock_path_for(db_path: str | Path) -> Path:
    """``<real database file>.lock``: symlinks resolved, so every path to the file shares it."""
    real = Path(db_path).expanduser().resolve()
    return real.with_name(real.name + ".lock")


@contextmanager
def write_lock(db_path: str | Path) -> Iterator[Path]:
    """Hold the write lock of the store at ``db_path`` for the block.

    Raises :class:`StoreLockedError` when another process holds it (naming that process),
    :class:`NotAStoreError` when the database's folder does not exist and :class:`StoreError`
    when the lock file cannot be written there (a read-only folder).
    """
    if str(db_path) == ":memory:":
        yield Path(":memory:")
        return
    lock_path = lock_path_for(db_path)
    with _guard:
        if lock_path in _held:
            _held[lock_path] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield lock_path
        finally:
            with _guard:
                _held[lock_path] -= 1
        return
    handle = _open_lock_file(db_path, lock_path)
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise StoreLockedError(
                f"another finews process ({holder}) is writing {lock_path.with_suffix('')};"
                " exiting without doing anything"
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}")
        handle.flush()
        with _guard:
            _held[lock_path] = 1
        try:
            yield lock_path
        finally:
            with _guard:
                del _held[lock_path]
    finally:
        handle.close()


def _open_lock_file(db_path: str | Path, lock_path: Path):  # noqa: ANN202 - a text file
    if not lock_path.parent.is_dir():
        raise NotAStoreError(f"cannot open {db_path}: folder {lock_path.parent} does not exist")
    try:
        return open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the block
    except OSError as exc:
        raise StoreError(
            f"cannot write in {lock_path.parent} ({exc.strerror or exc}): the store"
            f" {db_path} cannot be written there"
        ) from exc
