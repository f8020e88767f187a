"""The fault cases: real crawls of the fixture site served with chosen faults."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import rows

WAIT = 60  # seconds: the most any step may take before a test gives up


def complete(truth: dict[str, Any]) -> set[str]:
    """What an uninterrupted crawl of every column stores: each listed working article."""
    return {a["id"] for a in truth["articles"] if a["listed"] and not a["broken"]}


def first_pages(truth: dict[str, Any]) -> list[str]:
    return [column["pages"][0] for column in truth["columns"]]


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def stored(db: Path) -> int:
    try:
        return rows(db, "SELECT count(*) FROM articles")[0][0]
    except Exception:  # noqa: BLE001 - not created yet
        return 0


def working_articles(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """Fixture articles whose article page works, with a date, in the plain layout."""
    return [
        a
        for a in truth["articles"]
        if not a["broken"] and a["published"] and a["encoding"] == "utf-8" and a["listed"]
    ]


def feed_files(out: Path) -> dict[Path, bytes]:
    """Every published file under ``out`` (not the hidden build state) and its bytes."""
    return {
        path: path.read_bytes()
        for path in out.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }


def _mount(*args: str) -> None:
    """``mount`` as the test needs it, or skip the test saying why this machine cannot."""
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"this machine cannot mount ({' '.join(args)}): {result.stderr.strip()}")


def _unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """``small_disk("400k")``: a real filesystem of that size (a tmpfs), mounted for the test."""
    mounts: list[Path] = []

    def mount(size: str) -> Path:
        path = tmp_path / f"disk{len(mounts)}"
        path.mkdir()
        _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path))
        mounts.append(path)
        return path

    yield mount
    for path in reversed(mounts):
        _unmount(path)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    """``read_only(folder)``: the folder seen through a read-only bind mount (root ignores
    permission bits, so ``chmod`` would not do)."""
    mounts: list[Path] = []

    def view(source: Path) -> Path:
        path = tmp_path / f"read-only{len(mounts)}"
        path.mkdir()
        _mount("--bind", str(source), str(path))
        mounts.append(path)
        _mount("-o", "remount,bind,ro", str(path))
        return path

    yield view
    for path in reversed(mounts):
        _unmount(path)


def fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` with one file until about ``leave`` bytes are left."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))
