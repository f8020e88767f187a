"""Fault case 17, and failures at start-up: each is one clear line naming what is wrong, the
exit code of the table (2 for what the user gave, 3 for what could not be done), no
traceback, and nothing done."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys

import pytest

from finews.exitcodes import ExitCode
from storage import Store
from tests import ROOT
from tests.conftest import finews, rows
from tests.faults.conftest import first_pages
from tests.feeds.support import article


def one_line(result: subprocess.CompletedProcess[str], code: ExitCode, text: str) -> None:
    """The command failed with ``code`` and said so in one line holding ``text``."""
    assert result.returncode == code, result.stderr
    assert result.stderr.startswith("Error: ") and text in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def url(site, truth) -> str:
    return site.url + first_pages(truth)[0]


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("DOWNLOAD_DELAY=abc", "-s DOWNLOAD_DELAY=abc: DOWNLOAD_DELAY must be a number"),
        ("FINEWS_NOW=garbage", "-s FINEWS_NOW=garbage: FINEWS_NOW must be"),
        ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY must be true or false (also 1 or 0)"),
        ("DOWNLOAD_DELY=2", "-s DOWNLOAD_DELY=2: DOWNLOAD_DELY is not a Scrapy or finews setting"),
        ("FINEWS_DEPTH", "-s FINEWS_DEPTH: expected NAME=VALUE"),
    ],
)
@pytest.mark.parametrize("command", ["crawl", "run"])
def test_a_bad_setting_is_a_usage_error_and_nothing_is_done(
    url, tmp_path, command, setting, says
) -> None:
    args = [command, "--db", str(tmp_path / "finews.db"), "-s", setting, url]
    if command == "run":
        args += ["--out", str(tmp_path / "out")]
    one_line(finews(*args), ExitCode.USAGE, says)
    assert list(tmp_path.iterdir()) == []  # no store, no lock file, no feeds


def test_bad_config_files_and_options_are_usage_errors(url, tmp_path) -> None:
    config = tmp_path / "finews.toml"
    for text, says in (
        ("[crawl]\ndepth = 'deep'\n", "crawl.depth must be a int, not 'deep'"),
        ("[crawl\n", f"cannot read config file {config}"),
        ("[crawl]\nspeed = 3\n", "unknown setting crawl.speed"),
        ("[crawl]\nstart_urls = []\n", "nothing to crawl: no URL given and crawl.start_urls"),
        ("[crawl]\nstart_urls = ['http://x/y']\n", "crawl.start_urls: not a page finews reads"),
    ):
        config.write_text(text)
        one_line(finews("crawl", "--config", str(config)), ExitCode.USAGE, says)
    unknown = finews("crawl", "--frobnicate", url)
    assert (
        unknown.returncode == ExitCode.USAGE and "No such option '--frobnicate'" in unknown.stderr
    )
    shape = finews("crawl", "--db", str(tmp_path / "x.db"), "http://127.0.0.1:1/not/a/page")
    assert shape.returncode == ExitCode.USAGE
    assert "not a page finews reads" in shape.stderr
    assert "Traceback" not in unknown.stderr + shape.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["finews.toml"]


def test_a_database_that_is_not_finews_s_is_refused_untouched(url, tmp_path) -> None:
    foreign, text = tmp_path / "other.db", tmp_path / "notes.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    text.write_text("not a database at all\n" * 50)
    for db, says in (
        (foreign, f"{foreign} is a SQLite database but not a finews store (it holds notes)"),
        (text, f"{text} is not a finews store: file is not a database"),
    ):
        out = tmp_path / "out"
        one_line(finews("crawl", "--db", str(db), url), ExitCode.USAGE, says)
        one_line(finews("run", "--db", str(db), "--out", str(out), url), ExitCode.USAGE, says)
        one_line(finews("feeds", "--db", str(db), "--out", str(out)), ExitCode.USAGE, says)
        one_line(
            finews("export", "jekyll", "--db", str(db), "--out", str(out)), ExitCode.USAGE, says
        )
        assert not out.exists()
    assert [row[0] for row in rows(foreign, "SELECT name FROM sqlite_master")] == ["notes"]


def test_paths_that_cannot_be_used_are_named(url, tmp_path) -> None:
    missing = tmp_path / "missing" / "x.db"
    one_line(
        finews("run", "--db", str(missing), "--out", str(tmp_path / "out"), url),
        ExitCode.USAGE,
        f"cannot open {missing}: folder {missing.parent} does not exist",
    )
    db, a_file = tmp_path / "finews.db", tmp_path / "a-file"
    a_file.write_text("in the way\n")
    with Store.open(db) as store:
        store.save_articles([article(1)], "2022-02-08T12:00:00+08:00")
    one_line(
        finews("feeds", "--db", str(db), "--out", str(a_file / "public")),
        ExitCode.NOTHING_DONE,
        f"cannot create folder {a_file / 'public'}: Not a directory",
    )


def test_serve_on_a_port_in_use_is_one_line(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        one_line(
            finews("serve", "--dir", str(tmp_path), "--port", str(port)),
            ExitCode.USAGE,
            f"cannot serve on 127.0.0.1:{port}: Address already in use",
        )


def test_scrapy_crawl_without_urls_records_a_failed_run_not_a_finished_one(tmp_path) -> None:
    db = tmp_path / "finews.db"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "eastmoney", "-s", f"FINEWS_DB={db}"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]  # scrapy's own exit code
    run = rows(db, "SELECT status, new, errors FROM crawl_runs")
    assert [tuple(r) for r in run] == [
        ("failed", 0, '["nothing was crawled: no page was requested"]')
    ]


def test_the_exit_code_table_ranks_as_documented() -> None:
    from finews.exitcodes import most_severe

    assert most_severe() == ExitCode.OK
    assert most_severe(ExitCode.PAGES_FAILED, ExitCode.SHAPE_MISS) == ExitCode.SHAPE_MISS
    assert most_severe(ExitCode.SHAPE_MISS, ExitCode.NOTHING_DONE) == ExitCode.NOTHING_DONE
    assert most_severe(ExitCode.NOTHING_DONE, ExitCode.INTERRUPTED) == ExitCode.INTERRUPTED
    readme = (ROOT / "README.md").read_text("utf-8")
    for code in ExitCode:
        assert f"| {code.value} | `{code.name}` |" in readme, code
