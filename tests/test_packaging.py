"""The wheel carries what finews needs at run time: the demo site, migrations, defaults."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile

import pytest

from finews.demo import DEMO_SITE_ROOT
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    missing = [name for name in ("setuptools", "wheel") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed here: no wheel can be built offline")
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the build uses this environment's setuptools and needs no network.
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    (built,) = out.glob("finews-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_holds_the_whole_demo_site(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    truth = json.loads((DEMO_SITE_ROOT / "site.json").read_text("utf-8"))
    assert "finews/demo/site/site.json" in names
    for article in truth["articles"]:
        assert f"finews/demo/site/NewsData/GetNewsText/{article['id']}.json" in names
        assert f"finews/demo/site{article['urls'][0]}" in names
    for column in truth["columns"]:
        for page in column["pages"]:
            assert f"finews/demo/site{page}" in names


def test_wheel_holds_migrations_defaults_and_entry_point(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    migrations = sorted(p.name for p in (ROOT / "storage" / "migrations").glob("*.sql"))
    assert migrations and all(f"storage/migrations/{name}" in names for name in migrations)
    assert "crawler/defaults.toml" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "finews = finews.cli:main" in wheel.read(entry_points).decode()
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
