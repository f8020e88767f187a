"""The fault cases: real crawls of the fixture site served with chosen faults."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.faults.server import FaultServer, fault_server


@pytest.fixture
def faults(site_root: Path) -> Iterator[FaultServer]:
    """The fixture site on a server of its own, with no fault set yet."""
    with fault_server(site_root) as server:
        yield server


@pytest.fixture
def other_origin(site_root: Path) -> Iterator[FaultServer]:
    """The fixture site on a second port: another origin."""
    with fault_server(site_root) as server:
        yield server


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
