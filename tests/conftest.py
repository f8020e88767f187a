"""Shared fixtures: the fixture site on a real 127.0.0.1 server, and real crawls.

The fixture site is generated pages in the shapes of the source site (SOURCE.md §2), built from
``tests/fixtures/site_spec.py`` once per test session; no generated copy is kept in the
repository.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from finews.demo.build import build_site, load_truth
from finews.demo.server import DirectorySite, RunningServer, serve
from tests import ROOT
from tests.faults.server import FaultServer, fault_server
from tests.fixtures.site_spec import fixture_site_spec

SUMMARY_COUNT = re.compile(
    r"(\d+) (new|updated|failed|unchanged|skipped as stored|dropped|bad dates"
    r"|duplicates merged|requests)\b"
)


def summary_counts(output: str) -> dict[str, int]:
    """The counts of a crawl's summary line (``finews crawl: 43 new, 0 updated, ...``)."""
    line = next(line for line in output.splitlines() if line.startswith("finews "))
    return {name: int(number) for number, name in SUMMARY_COUNT.findall(line)}


@dataclass
class Crawl:
    returncode: int
    stdout: str
    stderr: str
    targets: list[str]  # what the server was asked for during this crawl

    @property
    def counts(self) -> dict[str, int]:
        return summary_counts(self.stdout)


def finews(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in its own process (Twisted's reactor starts once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "finews", *args],
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_finews(*args: str, **popen: Any) -> subprocess.Popen[str]:
    """Start the real command line in its own process and return at once (to signal it)."""
    popen = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **popen}
    return subprocess.Popen(
        [sys.executable, "-m", "finews", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
        **popen,
    )


def rows(db: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    """Read the store through a connection of its own, as any SQLite client would."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site's folder, built for this session; tests must not change it."""
    root = tmp_path_factory.mktemp("fixture-site") / "site"
    build_site(fixture_site_spec(), root)
    return root


@pytest.fixture(scope="session")
def truth(site_root: Path) -> dict[str, Any]:
    """What the fixture site holds (its site.json), written beside its pages by the generator."""
    return load_truth(site_root)


@pytest.fixture(scope="session")
def site(site_root: Path) -> Iterator[RunningServer]:
    """The fixture site served on 127.0.0.1 for the whole session."""
    with serve(DirectorySite(site_root)) as server:
        yield server


@pytest.fixture
def faults(site_root: Path) -> Iterator[FaultServer]:
    """The fixture site on a fault-injecting server of its own (tests/faults/server.py), with
    no fault set yet."""
    with fault_server(site_root) as server:
        yield server


@pytest.fixture
def other_origin(site_root: Path) -> Iterator[FaultServer]:
    """The fixture site on a second fault server: another origin (another port)."""
    with fault_server(site_root) as server:
        yield server


@pytest.fixture
def site_copy(tmp_path: Path) -> Iterator[tuple[Path, RunningServer]]:
    """A private build of the fixture site that a test may change, and its server."""
    root = tmp_path / "site"
    build_site(fixture_site_spec(), root)
    with serve(DirectorySite(root)) as server:
        yield root, server


def run_crawl(
    server: Any, db: Path, paths: list[str], *extra: str, now: str, command: str = "crawl"
) -> Crawl:
    """``finews crawl`` (or ``command``, e.g. ``run``) of ``paths`` of ``server``'s site, at the
    clock ``now``, in a subprocess."""
    before = len(server.requests.targets)
    result = finews(
        command,
        "--db",
        str(db),
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        f"FINEWS_NOW={now}",
        *extra,
        *[server.url + path for path in paths],
    )
    return Crawl(result.returncode, result.stdout, result.stderr, server.requests.targets[before:])
