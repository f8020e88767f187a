"""`finews serve`: formats, conditional GET, gzip; and a real feed reader (newsboat) subscribing."""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from feeds.build import build_feeds
from feeds.serve import serve_directory
from tests import ROOT
from tests.feeds.support import BASE_URL, make_store


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("serve")
    with make_store(folder / "finews.db", count=6) as store:
        build_feeds(store, folder / "out", BASE_URL, limit=50)
    return folder / "out"


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize(
    "name,content_type",
    [
        ("category/nanchangribao.xml", "application/rss+xml; charset=utf-8"),
        ("category/nanchangribao.atom", "application/atom+xml; charset=utf-8"),
        ("category/nanchangribao.json", "application/feed+json; charset=utf-8"),
        ("index.opml", "text/x-opml; charset=utf-8"),
        ("index.html", "text/html; charset=utf-8"),
        ("", "text/html; charset=utf-8"),
    ],
)
def test_content_types(out: Path, name: str, content_type: str) -> None:
    with serve_directory(out) as server:
        status, headers, body = fetch(server.url + name)
    assert status == 200 and headers["Content-Type"] == content_type
    assert body == (out / (name or "index.html")).read_bytes()


def test_conditional_get_and_gzip(out: Path) -> None:
    with serve_directory(out) as server:
        url = server.url + "all.atom"
        status, headers, body = fetch(url)
        assert status == 200 and "Content-Encoding" not in headers
        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert etag.startswith('"') and modified.endswith("GMT")
        assert fetch(url, **{"If-None-Match": etag})[0] == 304
        assert fetch(url, **{"If-None-Match": f'"other", W/{etag}'})[0] == 304
        assert fetch(url, **{"If-None-Match": '"other"'})[0] == 200
        assert fetch(url, **{"If-Modified-Since": modified})[0] == 304
        assert fetch(url, **{"If-Modified-Since": "Mon, 07 Feb 2000 01:09:43 GMT"})[0] == 200
        # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
        both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
        assert fetch(url, **both)[0] == 200
        status, zipped_headers, zipped = fetch(url, **{"Accept-Encoding": "gzip"})
        assert status == 200 and zipped_headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped) == body
        assert zipped_headers["ETag"] != etag and zipped_headers["Vary"] == "Accept-Encoding"
        gz_etag = zipped_headers["ETag"]
        assert fetch(url, **{"Accept-Encoding": "gzip", "If-None-Match": gz_etag})[0] == 304
        assert fetch(url, **{"Accept-Encoding": "gzip;q=0"})[1].get("Content-Encoding") is None


def test_nothing_outside_or_hidden_is_served(out: Path) -> None:
    with serve_directory(out) as server:
        for path in (".finews-feeds.json", "../finews.db", "%2e%2e/finews.db", "missing.xml"):
            assert fetch(server.url + path)[0] == 404, path


@pytest.fixture
def finews_serve(out: Path) -> Iterator[str]:
    """The real `finews serve` command in its own process; yields its URL."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "finews", "serve", "--dir", str(out), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_newsboat_subscribes(out: Path, finews_serve: str, tmp_path: Path) -> None:
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        pytest.skip("newsboat not installed: apt-get install -y newsboat (see .ci/run)")
    # One cache per feed: newsboat keys items by guid, and the feeds share their articles.
    for feed, expected_count in (
        ("category/nanchangribao.xml", 6),
        ("category/nanchangribao.atom", 6),
        ("all.xml", 7),
    ):
        folder = tmp_path / feed.replace("/", "_")
        folder.mkdir()
        (folder / "urls").write_text(f"{finews_serve}{feed}\n", "utf-8")
        (folder / "config").write_text("auto-reload no\n", "utf-8")
        run = subprocess.run(
            [newsboat, "-x", "reload", "-u", "urls", "-c", "cache.db", "-C", "config"],
            cwd=folder,
            env={**os.environ, "HOME": str(folder)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        with sqlite3.connect(folder / "cache.db") as db:
            rows = db.execute("SELECT feedurl, guid, title, pubDate FROM rss_item").fetchall()
        stored = {guid: (title, date) for url, guid, title, date in rows if url.endswith(feed)}
        assert len(stored) == expected_count, (feed, rows)
        for n in range(1, 7):
            guid = f"tag:finews.withounder.com,2021:NW2022020722675752{n:02d}"
            title, date = stored[guid]
            assert title == f"第{n}条新闻：A股 & 港股 <收盘>"
            assert date == int(
                datetime.fromisoformat(f"2022-02-07T09:{n:02d}:43+08:00").timestamp()
            )
        if feed == "all.xml":
            assert stored["tag:finews.withounder.com,2021:NW202202082267575299"][0] == (
                '财联社快讯 "引号" 😀'
            )
