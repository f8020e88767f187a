"""Fault case 12: a crawl stopped mid-way by SIGKILL, SIGTERM or SIGINT (once or twice), then
run again. Real signals to a real ``finews crawl``, stopped while the second list page of
every column is still on its way, and the real SQLite file read after each run."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from finews.exitcodes import ExitCode
from tests.conftest import rows, run_crawl, start_finews
from tests.faults.conftest import WAIT, complete, first_pages, stored, wait_for
from tests.faults.server import FaultServer, held


def on_first_pages(truth: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The requests for the articles the columns' first pages link to, and the ids of those
    a crawl stores."""
    firsts = set(first_pages(truth))
    linked = [
        (article, urljoin(entry["page"], entry["href"]))
        for article in truth["articles"]
        for entry in article["listed"]
        if entry["page"] in firsts
    ]
    targets = {target for _, target in linked}
    return targets, {article["id"] for article, _ in linked if not article["broken"]}


def stopped_crawl(
    server: FaultServer, truth: dict[str, Any], db: Path, signals: list[signal.Signals]
) -> subprocess.Popen[str]:
    """Start a crawl of every column, hold back the columns' second pages, and send ``signals``
    once every article of the first pages was fetched and stored (batches of one).

    After one SIGINT or SIGTERM, Scrapy stops gracefully: it waits for the downloads under
    way, so the second pages are answered then (their articles are never fetched). A second
    signal or SIGKILL stops at once."""
    release = threading.Event()
    for column in truth["columns"]:
        server.set(column["pages"][1], held(release))
    args = ["crawl", "--db", str(db), "-s", "AUTOTHROTTLE_ENABLED=False"]
    args += ["-s", f"FINEWS_NOW={truth['now']}", "-s", "FINEWS_BATCH_SIZE=1"]
    process = start_finews(*args, *[server.url + page for page in first_pages(truth)])
    wanted, storable = on_first_pages(truth)
    wait_for(lambda: wanted <= set(server.requests.targets), "the first pages' articles")
    wait_for(lambda: stored(db) == len(storable), "the first pages' articles stored")
    for number in signals:
        process.send_signal(number)
        time.sleep(0.2)
    if len(signals) == 1 and signals[0] != signal.SIGKILL:
        release.set()
    process.wait(WAIT)
    release.set()
    for column in truth["columns"]:
        del server.faults[column["pages"][1]]
    return process


def check_store(db: Path) -> None:
    """No partial row, no duplicate membership, and the runs' counts equal the store's rows."""
    assert not rows(db, "SELECT id FROM articles WHERE title = '' OR body_text = ''")
    assert not rows(
        db,
        "SELECT article_id, category FROM article_categories"
        " GROUP BY article_id, category HAVING count(*) > 1",
    )
    total_new = rows(db, "SELECT sum(new) FROM crawl_runs")[0][0]
    assert total_new == stored(db)


@pytest.mark.parametrize(
    ("signals", "exit_code"),
    [
        ([signal.SIGINT], ExitCode.INTERRUPTED),
        ([signal.SIGTERM], ExitCode.INTERRUPTED),
        ([signal.SIGINT, signal.SIGINT], ExitCode.INTERRUPTED),  # Ctrl-C twice: at once
        ([signal.SIGKILL], -signal.SIGKILL),
    ],
    ids=["SIGINT", "SIGTERM", "SIGINT-twice", "SIGKILL"],
)
def test_a_stopped_crawl_is_recorded_and_the_next_run_fills_every_gap(
    faults: FaultServer, truth, tmp_path, signals, exit_code
) -> None:
    db = tmp_path / "finews.db"
    stopped = stopped_crawl(faults, truth, db, signals)
    out, err = stopped.communicate()
    assert stopped.returncode == exit_code, err
    assert "Traceback" not in err
    after_stop = stored(db)
    assert 0 < after_stop < len(complete(truth))  # the second pages' articles are missing
    run = rows(db, "SELECT status, finished, new FROM crawl_runs")[0]
    if signals == [signal.SIGKILL]:
        assert (run["status"], run["finished"]) == ("running", None)  # nobody could say
    else:
        assert run["status"] == "interrupted" and run["finished"]
        assert out.rstrip().endswith("; interrupted")
    assert run["new"] == after_stop
    check_store(db)

    again = run_crawl(faults, db, first_pages(truth), now=truth["now"])
    assert again.returncode == ExitCode.PAGES_FAILED  # the fixture's broken page, nothing else
    assert {row["id"] for row in rows(db, "SELECT id FROM articles")} == complete(truth)
    statuses = [row["status"] for row in rows(db, "SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses == ["interrupted", "finished"]
    if signals == [signal.SIGKILL]:
        errors = rows(db, "SELECT errors FROM crawl_runs ORDER BY id")[0]["errors"]
        assert f"process {stopped.pid} on " in errors
    check_store(db)


def test_a_lower_depth_leaves_no_gap_a_later_run_cannot_fill(faults, truth, tmp_path) -> None:
    db = tmp_path / "finews.db"
    shallow = run_crawl(faults, db, first_pages(truth), "--depth", "1", now=truth["now"])
    assert shallow.returncode == ExitCode.PAGES_FAILED
    assert stored(db) < len(complete(truth))
    deeper = run_crawl(faults, db, first_pages(truth), now=truth["now"])
    assert {row["id"] for row in rows(db, "SELECT id FROM articles")} == complete(truth)
    assert deeper.counts["skipped as stored"] > 0  # the first pages' articles: not fetched
    # And once a crawl has paged past everything, the next one reads only the first pages
    # (and the second page of the column whose first page lists the broken article).
    third = run_crawl(faults, db, first_pages(truth), now=truth["now"])
    fetched = [t for t in third.targets if t != "/robots.txt"]
    broken = next(a for a in truth["articles"] if a["broken"] and a["listed"])
    column_pages = {page for column in truth["columns"] for page in column["pages"]}
    assert set(fetched) <= column_pages | set(broken["urls"])
    assert len([t for t in fetched if t in column_pages]) <= len(truth["columns"]) + 1
