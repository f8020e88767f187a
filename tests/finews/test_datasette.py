"""``finews datasette``: a real Datasette on 127.0.0.1, asked through its JSON API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Store
from storage.schema_docs import TABLES
from storage.search import search
from tests import ROOT

pytest.importorskip(
    "datasette", reason="Datasette is an optional extra: pip install '.[datasette]'"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(db: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "finews", "datasette", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"Datasette did not start: {process.communicate()[0]}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str, path: str, **params: str) -> object:
    query = urllib.parse.urlencode(params)
    with urllib.request.urlopen(f"{url}{path}?{query}", timeout=10) as answer:
        return json.loads(answer.read())


def test_datasette_searches_facets_and_describes_like_finews(served: str, db: Path) -> None:
    with Store.open(db, readonly=True) as store:
        expected = {
            query: [hit.id for hit in search(store.conn, query, limit=None)]
            for query in ("数字经济", "券商 OR 茅台", "数字")
        }
        media = Counter(row[0] for row in store.conn.execute("SELECT media FROM articles"))
    assert all(expected.values()) and len(expected["数字"]) > len(expected["数字经济"])
    for query, ids in expected.items():
        # The newest view's search box.
        rows = get(served, "/finews/newest.json", _search=query, _shape="array", _size="max")
        assert sorted(row["id"] for row in rows) == sorted(ids), query
        # The canned query, in finews search's order, with the match marked.
        rows = get(served, "/finews/search.json", q=query, _shape="array")
        assert [row["id"] for row in rows] == ids, query
        assert all("[" in row["snippet"] for row in rows)
    # A query finews refuses finds nothing, rather than something else; the canned query's
    # empty form finds nothing and says nothing is wrong.
    assert get(served, "/finews/newest.json", _search="中", _shape="array") == []
    assert get(served, "/finews/search.json", q="", _shape="array") == []
    # Facets: media on the articles table, categories (a JSON list) on the newest view.
    answer = get(served, "/finews/articles.json", _facet="media")
    counts = {r["value"]: r["count"] for r in answer["facet_results"]["media"]["results"]}
    assert counts == dict(media)
    answer = get(served, "/finews/newest.json")
    facets = answer["facet_results"]
    assert {r["value"] for r in facets["categories"]["results"]} == {"nanchangribao", "cailianshe"}
    # Every table and column is described.
    metadata = get(served, "/-/metadata.json")["databases"]["finews"]["tables"]
    for name, doc in TABLES.items():
        assert metadata[name]["description"] == doc.description
        assert metadata[name]["columns"] == doc.columns
