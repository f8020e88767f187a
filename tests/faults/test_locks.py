"""Fault cases 13 and 14: other writers and readers of the same store while a crawl runs.

Every command that writes takes the store's lock, by the real file (a symlink is the same
store): a second writer exits at once with 75 and touches nothing. A program outside finews
holding a write or a long read transaction only makes the crawl wait, or not even that."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from finews.exitcodes import ExitCode
from tests import FIXTURES
from tests.conftest import finews, rows, run_crawl, start_finews
from tests.faults.conftest import complete, first_pages, stored, wait_for
from tests.faults.server import FaultServer, held


def test_one_writer_at_a_time_per_real_database_file(faults: FaultServer, truth, tmp_path) -> None:
    db, link = tmp_path / "finews.db", tmp_path / "link.db"
    link.symlink_to(db)
    release = threading.Event()
    page = first_pages(truth)[0]
    faults.set(page, held(release))
    args = ["run", "--db", str(db), "--out", str(tmp_path / "public")]
    args += ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", f"FINEWS_NOW={truth['now']}"]
    running = start_finews(*args, faults.url + page)
    try:
        wait_for(lambda: faults.attempts[page] == 1, "the first run to start")
        others = {
            "run": finews(*args, faults.url + page),
            "crawl by a symlink": finews("crawl", "--db", str(link), faults.url + page),
            "import jekyll": finews("import", "jekyll", str(FIXTURES / "jekyll"), "--db", str(db)),
        }
    finally:
        release.set()
    out, err = running.communicate(timeout=60)
    assert running.returncode == ExitCode.PAGES_FAILED, err  # the broken article page
    for name, other in others.items():
        assert other.returncode == ExitCode.LOCKED, name
        assert other.stderr.startswith(f"Error: another finews process (pid {running.pid} on "), (
            name
        )
        assert len(other.stderr.splitlines()) == 1 and "locked" not in other.stderr, name
    # The refused writers did nothing: one run, one copy of each article.
    assert [row["status"] for row in rows(db, "SELECT status FROM crawl_runs")] == ["finished"]
    assert faults.attempts[page] == 1


def test_a_writer_outside_finews_makes_the_crawl_wait_not_fail(
    faults: FaultServer, truth, tmp_path
) -> None:
    db = tmp_path / "finews.db"
    run_crawl(faults, db, [first_pages(truth)[1]], "--depth", "1", now=truth["now"])
    outsider = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    outsider.execute("BEGIN IMMEDIATE")  # a write transaction of another program
    outsider.execute("UPDATE categories SET revision = revision + 0")
    release = threading.Timer(1.5, lambda: outsider.execute("COMMIT"))
    release.start()
    try:
        result = run_crawl(faults, db, first_pages(truth), now=truth["now"])
    finally:
        release.join()
        outsider.close()
    assert result.returncode == ExitCode.PAGES_FAILED  # the broken page only
    assert "locked" not in result.stderr + result.stdout
    assert {row["id"] for row in rows(db, "SELECT id FROM articles")} == complete(truth)
    assert [row["status"] for row in rows(db, "SELECT status FROM crawl_runs")] == [
        "finished",
        "finished",
    ]


def test_a_long_read_transaction_does_not_stop_the_crawl(
    faults: FaultServer, truth, tmp_path
) -> None:
    db = tmp_path / "finews.db"
    run_crawl(faults, db, [first_pages(truth)[0]], "--depth", "1", now=truth["now"])
    before = stored(db)
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == before
    try:
        result = run_crawl(faults, db, first_pages(truth), now=truth["now"])
        # The reader still sees its snapshot; the crawl wrote around it.
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == before
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert result.returncode == ExitCode.PAGES_FAILED
    assert {row["id"] for row in rows(db, "SELECT id FROM articles")} == complete(truth)
    assert rows(db, "SELECT status FROM crawl_runs ORDER BY id DESC LIMIT 1")[0][0] == "finished"


def test_the_lock_lives_beside_the_real_file(tmp_path: Path) -> None:
    from storage.lock import lock_path_for

    real = tmp_path / "data" / "finews.db"
    real.parent.mkdir()
    link = tmp_path / "finews.db"
    link.symlink_to(real)
    assert lock_path_for(link) == lock_path_for(real) == real.with_name("finews.db.lock")
