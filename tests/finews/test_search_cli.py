"""``finews search`` on a real store, and the README's SQL for the same search in the
stock ``sqlite3`` shell."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from finews.cli import main
from storage.store import migrations
from tests import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str] | object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_search_prints_ranked_results_with_the_match_marked(db: Path) -> None:
    result = run("search", "数字经济", "--db", str(db))
    assert result.exit_code == 0, result.output
    titles = re.findall(r"^\d+\. (.+)$", result.output, re.M)
    # The title counts most; the article saying 数字，经济 is not a match.
    assert titles[0] == "数字经济一号工程"
    assert sorted(titles) == sorted(["数字经济一号工程", "券商观点", "银行"])
    assert "[数字经济]" in result.output
    assert "2022-02-08 09:02 · 财联社 · https://finance.eastmoney.com/a/" in result.output


def test_search_json_filters_and_sorting(db: Path) -> None:
    result = run(
        "search", "数字经济", "--db", str(db), "--json", "--sort", "time",
        "--category", "nanchangribao", "--since", "2022-02-07", "--until", "2022-02-10 12:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert [hit["id"] for hit in hits] == ["NW202202102267575204", "NW202202072267575201"]
    for hit in hits:
        assert hit["categories"] == ["nanchangribao"]
        assert all(hit["snippet"][a:b] == "数字经济" for a, b in hit["highlights"])
        assert {"title", "media", "published", "url", "score"} <= hit.keys()
    limited = run("search", "数字经济", "--db", str(db), "--json", "--limit", "1")
    assert len(limited.output.splitlines()) == 1


def test_search_refuses_what_it_cannot_search(db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["search", "中", "--db", str(db)])
    assert result.exit_code == 2 and "two in a row" in result.output
    result = CliRunner().invoke(main, ["search", "数字", "--db", str(db), "--since", "soon"])
    assert result.exit_code == 2 and "--since" in result.output
    result = CliRunner().invoke(main, ["search", "数字", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no database" in result.output


def test_search_brings_an_older_store_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for version, _, script in migrations():
        if version <= 3:
            conn.executescript(script)
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO articles (id, title, published, body_text, content_hash, first_seen,"
        " last_seen) VALUES ('NW202202072267575261', '旧文章', ?, '茅台上涨', 'h', ?, ?)",
        ("2022-02-07T09:00:00+08:00",) * 3,
    )
    conn.commit()
    conn.close()
    result = run("search", "茅台", "--db", str(path), "--json")
    assert [json.loads(line)["id"] for line in result.output.splitlines()] == [
        "NW202202072267575261"
    ]


def _readme_search_sql() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Search") :]
    return re.search(r"```sql\n(-- The same search as `finews search.*?)```", section, re.S)[1]


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 shell is not installed")
def test_the_readme_sql_finds_what_finews_search_finds_in_the_sqlite3_shell(db: Path) -> None:
    sql = _readme_search_sql()
    query, limit = re.search(r"`finews search (\S+) --limit (\d+)`", sql).groups()
    shell = subprocess.run(
        ["sqlite3", "-json", str(db)], input=sql, capture_output=True, text=True, check=True
    )
    rows = json.loads(shell.stdout or "[]")
    result = run("search", query, "--db", str(db), "--json", "--limit", limit)
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert len(hits) >= 2
    assert [row["id"] for row in rows] == [hit["id"] for hit in hits]


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 shell is not installed")
def test_every_sql_example_of_the_readme_runs_in_the_sqlite3_shell(db: Path) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme, re.S)
    # Datasette's own examples use the plugin's functions, which only Datasette has.
    shell_blocks = [block for block in blocks if "finews_match" not in block]
    assert len(shell_blocks) >= 3
    for block in shell_blocks:
        done = subprocess.run(
            ["sqlite3", "-bail", str(db)], input=block, capture_output=True, text=True
        )
        assert done.returncode == 0 and not done.stderr, (block, done.stderr)
