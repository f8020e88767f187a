"""Logs a cron job can live with: one line per failed page, no tracebacks, one summary line;
``-q``, ``-v``, ``--log-file``; a progress line on a terminal and only there."""

from __future__ import annotations

import os
import pty
import threading

from finews.exitcodes import ExitCode
from tests.conftest import finews, run_crawl, start_finews
from tests.faults.server import slow

REFUSED = "http://127.0.0.1:9"
QUICK = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=1")


def refused_pages() -> list[str]:
    code = "202212272372036005"
    return [
        f"{REFUSED}/a/cywjh.html",
        f"{REFUSED}/a/{code}.html",
        f"{REFUSED}/html_News/NewsShare.html?infoCode=NW{code}",
    ]


def test_a_refused_host_is_one_line_per_page_and_one_summary(tmp_path) -> None:
    result = finews("crawl", "--db", str(tmp_path / "finews.db"), *QUICK, *refused_pages())
    assert result.returncode == ExitCode.NOTHING_DONE
    assert "Traceback" not in result.stderr
    messages = [line.split("] ", 1)[1] for line in result.stderr.splitlines()]
    assert messages[0] == (
        "WARNING: robots.txt of 127.0.0.1:9 could not be fetched (DownloadConnectionRefusedError:"
        " Connection was refused by other side: 111: Connection refused.); its pages are"
        " requested as usual"
    )
    asked = [*refused_pages()[:2], f"{REFUSED}/NewsData/GetNewsText.do?id=NW202212272372036005"]
    assert sorted(messages[1:]) == sorted(
        f"ERROR: page failed: {url}: connection refused" for url in asked
    )
    assert len(result.stdout.splitlines()) == 1


def test_quiet_says_nothing_when_all_went_well(site, truth, tmp_path) -> None:
    article = next(a for a in truth["articles"] if not a["broken"] and a["published"])
    quiet = run_crawl(site, tmp_path / "finews.db", [article["urls"][0]], "-q", now=truth["now"])
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (ExitCode.OK, "", "")
    failing = finews("crawl", "-q", "--db", str(tmp_path / "finews.db"), *QUICK, refused_pages()[0])
    assert failing.returncode == ExitCode.NOTHING_DONE
    assert failing.stdout.startswith("finews crawl: 0 new")
    # Errors only: the page's line, not the robots.txt warning.
    assert [line.split("] ", 1)[1] for line in failing.stderr.splitlines()] == [
        f"ERROR: page failed: {refused_pages()[0]}: connection refused"
    ]


def test_verbose_shows_more_and_log_file_takes_the_lines(site, truth, tmp_path) -> None:
    article = next(a for a in truth["articles"] if not a["broken"] and a["published"])
    db, log = tmp_path / "finews.db", tmp_path / "crawl.log"
    path = [article["urls"][0]]
    verbose = run_crawl(site, db, path, "-v", now=truth["now"])
    assert "[scrapy.core.engine] INFO: Spider opened" in verbose.stderr
    assert "DEBUG" not in verbose.stderr
    debug = run_crawl(site, db, path, "-vv", now=truth["now"])
    assert "DEBUG: Crawled (200)" in debug.stderr
    logged = run_crawl(site, db, path, "-v", "--log-file", str(log), now=truth["now"])
    assert logged.stderr == "" and logged.stdout.startswith("finews crawl: ")
    assert "INFO: Spider opened" in log.read_text("utf-8")
    again = run_crawl(site, db, path, "-v", "--log-file", str(log), now=truth["now"])
    assert again.returncode == ExitCode.OK
    assert log.read_text("utf-8").count("INFO: Spider opened") == 2  # appended


def test_a_progress_line_on_a_terminal_and_only_there(faults, truth, tmp_path) -> None:
    faults.default = slow(0.2)  # a crawl of a few seconds: the line is drawn once a second
    pages = [faults.url + column["pages"][0] for column in truth["columns"][:2]]
    args = ["crawl", "--db", str(tmp_path / "tty.db"), "-s", "AUTOTHROTTLE_ENABLED=False"]
    args += ["-s", f"FINEWS_NOW={truth['now']}", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4"]
    master, terminal = pty.openpty()
    process = start_finews(*args, *pages, stderr=terminal)
    os.close(terminal)
    seen: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(master, seen))
    reader.start()
    process.wait(120)
    reader.join(10)
    os.close(master)
    screen = b"".join(seen).decode("utf-8", "replace")
    assert process.returncode == ExitCode.PAGES_FAILED  # the fixture's broken article
    assert "\r\x1b[K" in screen and " pages, " in screen and " pages/s" in screen
    piped = finews(*[a.replace("tty.db", "pipe.db") for a in args], *pages[:1])
    assert piped.returncode == ExitCode.PAGES_FAILED
    assert "\x1b[K" not in piped.stderr and " pages/s" not in piped.stderr


def _read_all(fd: int, into: list[bytes]) -> None:
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:  # the other side is closed
            return
        if not data:
            return
        into.append(data)


def test_the_summary_line_is_the_only_line_on_stdout(site, truth, tmp_path) -> None:
    columns = [column["pages"][0] for column in truth["columns"]]
    result = run_crawl(site, tmp_path / "finews.db", columns, now=truth["now"])
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr.count("\n") == 1  # the broken article page's line
