"""The wheel carries what finews needs at run time: the site generator and the demo's spec (no
generated site), migrations, defaults and the finews command."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from finews.demo.build import build_site
from finews.demo.demo_data import demo_site_spec
from tests.conftest import ROOT

# Run from the unpacked wheel: every package must come from there, not from the sources.
RUN_FROM_WHEEL = """\
import importlib, sys
sys.path.insert(0, sys.argv[1])
for name in ("finews", "crawler", "feeds", "storage"):
    where = importlib.import_module(name).__file__
    assert where.startswith(sys.argv[1]), where
from finews.cli import main
main(sys.argv[2:], prog_name="finews")
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    missing = [name for name in ("setuptools", "wheel") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed here: no wheel can be built offline")
    # Built from a copy of the sources: setuptools packs whatever an earlier build left in
    # build/, and the test leaves the working tree as it found it.
    source = tmp_path_factory.mktemp("source") / "finews"
    junk = ("build", "dist", "*.egg-info", "__pycache__", ".*", "public", "finews.db*")
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*junk))
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the build uses this environment's setuptools and needs no network.
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    (built,) = out.glob("finews-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_holds_the_generator_and_the_demo_spec_but_no_site(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    modules = ("__init__", "__main__", "build", "demo_data", "pages", "server")
    assert {f"finews/demo/{module}.py" for module in modules} <= names
    generated = [name for name in names if name.endswith((".html", "site.json", "robots.txt"))]
    assert generated == []


def test_demo_runs_from_the_wheel(wheel: zipfile.ZipFile, tmp_path: Path) -> None:
    installed, work = tmp_path / "installed", tmp_path / "work"
    wheel.extractall(installed)
    work.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", RUN_FROM_WHEEL, str(installed), "demo"],
        cwd=work, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    count = len(build_site(demo_site_spec(), tmp_path / "site")["articles"])
    assert f"finews demo: {count} new, 0 updated, 0 failed," in result.stdout
    assert (work / "public" / "all.xml").is_file() and (work / "finews.db").is_file()


def test_wheel_holds_migrations_defaults_and_entry_point(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    migrations = sorted(p.name for p in (ROOT / "storage" / "migrations").glob("*.sql"))
    assert migrations and all(f"storage/migrations/{name}" in names for name in migrations)
    assert "crawler/defaults.toml" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "finews = finews.cli:main" in wheel.read(entry_points).decode()
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
