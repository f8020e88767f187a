"""Fault case 15: the disk fills up, or the folder is read-only, under the store or the feeds.

Real filesystems: a small tmpfs that the crawl fills, a full one under the feeds, read-only
bind mounts (root ignores permission bits). The test skips, saying why, where the machine
cannot mount them."""

from __future__ import annotations

import json

from lxml import etree

from finews.exitcodes import ExitCode
from storage import Store
from tests.conftest import finews, rows, run_crawl
from tests.faults.conftest import feed_files, fill, first_pages, stored
from tests.feeds.support import article

BASE_URL = "https://feeds.example.org/"


def test_a_full_disk_under_the_store_stops_the_crawl_with_the_real_cause(
    faults, truth, small_disk, tmp_path
) -> None:
    disk = small_disk("400k")
    db = disk / "finews.db"
    result = run_crawl(
        faults, db, first_pages(truth), "-s", "FINEWS_BATCH_SIZE=5", now=truth["now"]
    )
    assert result.returncode == ExitCode.NOTHING_DONE
    kept = stored(db)
    assert kept > 0  # the batches before the disk filled are committed and kept
    message = (
        f"could not write to {db}: database or disk is full. 5 article(s) of the last batch"
        f" were not stored; the {kept} new article(s) stored before are intact."
    )
    assert message in result.stderr and message in result.stdout
    assert "rollback" not in result.stderr + result.stdout and "Traceback" not in result.stderr
    # The run says how it ended, and its count is the store's.
    run = rows(db, "SELECT * FROM crawl_runs")[0]
    assert (run["status"], run["new"]) == ("failed", kept)
    assert any(message in line for line in json.loads(run["errors"]))


def test_a_full_disk_under_the_feeds_keeps_the_previous_files(small_disk, tmp_path) -> None:
    db, out = tmp_path / "finews.db", small_disk("2m") / "public"
    with Store.open(db) as store:
        store.save_articles([article(n) for n in range(1, 4)], "2022-02-08T12:00:00+08:00")
    first = finews("feeds", "--db", str(db), "--out", str(out), "--base-url", BASE_URL)
    assert first.returncode == ExitCode.OK, first.stderr
    before = feed_files(out)
    fill(out.parent, leave=4096)
    with Store.open(db) as store:
        store.save_articles(
            [article(n, body_html="<p>新正文" * 300 + "</p>") for n in range(4, 30)],
            "2022-02-09T12:00:00+08:00",
        )
    full = finews("feeds", "--db", str(db), "--out", str(out), "--base-url", BASE_URL)
    assert full.returncode == ExitCode.NOTHING_DONE
    assert full.stderr.startswith(f"Error: cannot write {out}/")
    assert full.stderr.rstrip().endswith(": No space left on device")
    assert len(full.stderr.splitlines()) == 1
    # Every file is the old one or a whole new one; no temporary file is left behind.
    for path, data in feed_files(out).items():
        if path in before and path.read_bytes() == data:
            continue
        if path.suffix == ".json":
            json.loads(data)
        else:
            etree.fromstring(data)  # complete, or this raises
    assert set(before) <= set(feed_files(out))
    assert not list(out.rglob(".*.tmp"))


def test_a_read_only_folder_under_the_store_is_one_clear_line(
    faults, truth, read_only, tmp_path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    run_crawl(
        faults, folder / "finews.db", [first_pages(truth)[1]], "--depth", "1", now=truth["now"]
    )
    view = read_only(folder)
    for db in (view / "finews.db", view / "new.db"):
        for command in ("crawl", "run"):
            result = run_crawl(
                faults, db, [first_pages(truth)[0]], now=truth["now"], command=command
            )
            assert result.returncode == ExitCode.NOTHING_DONE, (command, db)
            assert result.stderr == (
                f"Error: cannot write in {view} (Read-only file system): the store {db}"
                " cannot be written there\n"
            )
            assert result.targets == []  # nothing was fetched


def test_a_read_only_feed_folder_is_one_clear_line_and_keeps_its_files(read_only, tmp_path) -> None:
    db, folder = tmp_path / "finews.db", tmp_path / "site"
    with Store.open(db) as store:
        store.save_articles([article(1)], "2022-02-08T12:00:00+08:00")
    assert (
        finews(
            "feeds", "--db", str(db), "--out", str(folder / "public"), "--base-url", BASE_URL
        ).returncode
        == 0
    )
    before = feed_files(folder / "public")
    with Store.open(db) as store:
        store.save_articles([article(2)], "2022-02-09T12:00:00+08:00")
    out = read_only(folder) / "public"
    result = finews("feeds", "--db", str(db), "--out", str(out), "--base-url", BASE_URL)
    assert result.returncode == ExitCode.NOTHING_DONE
    assert result.stderr.startswith(f"Error: cannot write {out}/")
    assert (
        result.stderr.endswith(": Read-only file system\n") and len(result.stderr.splitlines()) == 1
    )
    assert feed_files(folder / "public") == before
