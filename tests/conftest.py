"""Shared fixtures: the saved source site on a real 127.0.0.1 server, and real crawls."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from finews.demo.server import DirectorySite, RunningServer, serve
from tests import FIXTURES, ROOT

FIXTURE_SITE = FIXTURES / "site"


@dataclass
class Crawl:
    returncode: int
    stdout: str
    stderr: str
    targets: list[str]  # what the server was asked for during this crawl


def finews(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in its own process (Twisted's reactor starts once per process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "finews", *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    """What the fixture site holds, written beside its pages when they were generated."""
    return json.loads((FIXTURE_SITE / "site.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def site() -> Iterator[RunningServer]:
    with serve(DirectorySite(FIXTURE_SITE)) as server:
        yield server


@pytest.fixture
def site_copy(tmp_path: Path) -> Iterator[tuple[Path, RunningServer]]:
    """A private copy of the fixture site that a test may change."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    with serve(DirectorySite(root)) as server:
        yield root, server


def run_crawl(server: RunningServer, db: Path, paths: list[str], *extra: str, now: str) -> Crawl:
    before = len(server.requests.targets)
    result = finews(
        "crawl",
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
