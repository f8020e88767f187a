"""The command line as a user runs it: demo, run (the cron job), and the README's reference."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest

from finews.cli.docs import render
from finews.demo.build import build_site
from finews.demo.demo_data import demo_site_spec
from finews.exitcodes import ExitCode
from storage.lock import write_lock
from storage.times import CHINA_TZ
from tests.conftest import ROOT, finews, start_finews

SUMMARY = re.compile(
    r"^finews run: (\d+) new, (\d+) updated, (\d+) failed, (\d+) feed files rewritten, [\d.]+ s$",
    re.M,
)


def test_demo_crawls_the_generated_site_and_writes_feeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    work = tmp_path / "work"
    work.mkdir()
    result = finews("demo", cwd=work)
    assert result.returncode == 0, result.stderr
    assert list(temp.iterdir()) == []  # the generated site is removed after the crawl
    truth = build_site(demo_site_spec(), tmp_path / "site")
    count = len(truth["articles"])
    assert f"finews demo: {count} new, 0 updated, 0 failed," in result.stdout
    assert f"finews.db: {count} articles in " in result.stdout
    conn = sqlite3.connect(work / "finews.db")
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == count
    # The run is timed by the wall clock; the site's fixed clock is recorded beside it.
    started, finished, clock, status = conn.execute(
        "SELECT started, finished, clock, status FROM crawl_runs"
    ).fetchone()
    assert (clock, status) == (truth["now"], "finished")
    assert started[:4] == finished[:4] == str(datetime.now(CHINA_TZ).year) != clock[:4]
    assert (work / "public" / "all.xml").is_file()
    assert (work / "public" / "index.opml").is_file()
    assert "http://127.0.0.1:8000/all.xml" in result.stdout
    # The demo's list times are read with the site's own clock: no article is dated today.
    years = {row[0][:4] for row in conn.execute("SELECT published FROM articles")}
    assert years == {truth["now"][:4]}


def test_run_crawls_then_builds_and_says_so_in_one_line(site, truth, tmp_path: Path) -> None:
    db, out = tmp_path / "finews.db", tmp_path / "public"
    args = ["run", "--db", str(db), "--out", str(out), "--base-url", "https://feeds.example.org/"]
    args += ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", f"FINEWS_NOW={truth['now']}"]
    urls = [site.url + column["pages"][0] for column in truth["columns"]]
    first = finews(*args, *urls)
    assert first.returncode == ExitCode.PAGES_FAILED, first.stderr  # the broken article page
    new, updated, failed, rewritten = map(int, SUMMARY.search(first.stdout).groups())
    assert new >= 40 and updated == 0 and failed == 1 and rewritten > 0
    assert (out / "all.atom").read_text("utf-8").count("<entry>") > 0
    second = finews(*args, *urls)
    new, updated, _, rewritten = map(int, SUMMARY.search(second.stdout).groups())
    assert (new, updated, rewritten) == (0, 0, 0)


def test_run_fails_when_the_crawl_fails(tmp_path: Path) -> None:
    result = finews(
        "run", "--db", str(tmp_path / "f.db"), "--out", str(tmp_path / "out"),
        "-s", "RETRY_TIMES=0", "http://127.0.0.1:9/a/cywjh.html",
    )  # fmt: skip
    assert result.returncode == ExitCode.NOTHING_DONE
    assert result.stdout.startswith("finews run: 0 new, 0 updated, 1 failed, ")
    assert result.stdout.rstrip().endswith("; failed: nothing was crawled: every page failed")


def test_a_second_run_exits_at_once_while_one_is_running(tmp_path: Path) -> None:
    db = tmp_path / "finews.db"
    with write_lock(db):
        result = finews(
            "run", "--db", str(db), "--out", str(tmp_path / "out"), "http://127.0.0.1:9/a/x.html"
        )
    assert result.returncode == ExitCode.LOCKED
    assert "another finews process" in result.stderr
    assert not db.exists()


def test_readme_command_reference_matches_the_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert readme == render(readme), "README is stale: run python -m finews.cli.docs"
    for command in ("crawl", "demo", "run", "feeds", "serve", "import jekyll", "export jekyll"):
        assert f"### `finews {command}`" in readme


def test_readme_commands_are_the_ci_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    setup = "python3 -m venv .venv && .venv/bin/pip install -e '.[test,datasette]'"
    assert f"{setup} && .venv/bin/finews demo" in readme and setup in ci
    assert ".venv/bin/python -m pytest" in readme and ".venv/bin/python -m pytest" in ci


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_any_command_stopped_by_a_signal_exits_130_in_one_line(tmp_path: Path, signum) -> None:
    # A post that is a FIFO: the import waits on it until the signal comes.
    posts = tmp_path / "posts"
    posts.mkdir()
    os.mkfifo(posts / "2022-01-01-NW202201012200000001.md")
    process = start_finews("import", "jekyll", str(posts), "--db", str(tmp_path / "finews.db"))
    deadline = time.monotonic() + 60
    while not (tmp_path / "finews.db").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # the import is now waiting on the FIFO
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == ExitCode.INTERRUPTED
    assert err == "Error: interrupted\n"
