"""build_feeds: repeatable bytes, cheap rebuilds, archives that page back, refused slugs."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from click.testing import CliRunner
from lxml import etree

from feeds.build import STATE_FILE, build_feeds
from finews.cli import main
from storage.store import Store
from tests.feeds.support import BASE_URL, CAILIAN, article, make_store

ATOM = "{http://www.w3.org/2005/Atom}"


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_same_store_gives_identical_bytes_and_second_build_writes_nothing(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=7)
    first = build_feeds(store, tmp_path / "a", BASE_URL, limit=3)
    assert first.written > 0 and first.unchanged == 0 and first.refused == []
    again = build_feeds(store, tmp_path / "a", BASE_URL, limit=3)
    assert (again.written, again.rebuilt) == (0, 0)
    forced = build_feeds(store, tmp_path / "a", BASE_URL, limit=3, force=True)
    assert forced.written == 0 and forced.rebuilt == 4
    other = build_feeds(store, tmp_path / "b", BASE_URL, limit=3)
    assert other.written == first.written
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_changing_one_category_rewrites_only_its_files(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=7)
    out = tmp_path / "out"
    build_feeds(store, out, BASE_URL, limit=3)
    store.save_articles(
        [article(60, day=10, media="财联社", categories=[CAILIAN])],
        seen_at="2022-02-10T12:00:00+08:00",
    )
    result = build_feeds(store, out, BASE_URL, limit=3)
    assert result.rebuilt == 1
    assert sorted(result.written_files) == [
        "all.atom",
        "all.json",
        "all.xml",
        "category/cailianshe.atom",
        "category/cailianshe.json",
        "category/cailianshe.xml",
        "index.html",
        "index.opml",
    ]
    state = json.loads((out / STATE_FILE).read_text("utf-8"))
    assert state["categories"]["cailianshe"]["count"] == 2


def test_changed_base_url_or_limit_rebuilds_everything(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=4)
    out = tmp_path / "out"
    build_feeds(store, out, BASE_URL, limit=3)
    moved = build_feeds(store, out, "https://feeds.example.org/x", limit=3)
    assert moved.rebuilt == 4
    atom = etree.parse(str(out / "category/nanchangribao.atom")).getroot()
    assert atom.find(f"{ATOM}link[@rel='self']").get("href") == (
        "https://feeds.example.org/x/category/nanchangribao.atom"
    )
    # Ids never depend on where the feed is served.
    assert atom.findtext(f"{ATOM}id") == "tag:finews.withounder.com,2021:category/nanchangribao"


def test_archives_page_back_through_the_whole_history(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=11)
    out = tmp_path / "out"
    build_feeds(store, out, BASE_URL, limit=3)
    seen: list[str] = []
    path = out / "category/nanchangribao.atom"
    pages = 0
    while True:
        root = etree.parse(str(path)).getroot()
        seen += [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
        prev = root.find(f"{ATOM}link[@rel='prev-archive']")
        if prev is None:
            break
        assert prev.get("href").startswith(BASE_URL)
        path = out / prev.get("href").removeprefix(BASE_URL)
        page = etree.parse(str(path)).getroot()
        assert page.find("{http://purl.org/syndication/history/1.0}archive") is not None
        assert page.find(f"{ATOM}link[@rel='current']").get("href") == (
            BASE_URL + "category/nanchangribao.atom"
        )
        assert not feedparser.parse(path.read_bytes()).bozo
        pages += 1
    assert pages == 3  # 11 articles: pages of 3 (1-3, 4-6, 7-9), the feed holds 9-11
    expected = {f"tag:finews.withounder.com,2021:NW2022020722675752{n:02d}" for n in range(1, 12)}
    assert set(seen) == expected


def test_full_archive_pages_are_never_rewritten(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=7)
    out = tmp_path / "out"
    build_feeds(store, out, BASE_URL, limit=3)
    page = out / "archive/category/nanchangribao/1.atom"
    before = page.stat().st_mtime_ns, page.read_bytes()
    store.save_articles([article(n) for n in (8, 9)], seen_at="2022-02-10T12:00:00+08:00")
    result = build_feeds(store, out, BASE_URL, limit=3)
    assert "archive/category/nanchangribao/3.atom" in result.written_files
    assert not [f for f in result.written_files if f.endswith(("/1.atom", "/2.atom"))]
    assert (page.stat().st_mtime_ns, page.read_bytes()) == before
    # A revised article rewrites the one page that holds it.
    store.save_articles([article(2, title="改过的标题")], seen_at="2022-02-11T12:00:00+08:00")
    result = build_feeds(store, out, BASE_URL, limit=3)
    assert "archive/category/nanchangribao/1.atom" in result.written_files
    assert "archive/category/nanchangribao/2.atom" not in result.written_files
    assert "改过的标题" in page.read_text("utf-8")


def test_archive_budget_fills_history_newest_first_over_several_builds(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=11)
    whole = tmp_path / "whole"
    build_feeds(store, whole, BASE_URL, limit=3, archive_budget=None)
    total = len(list(whole.glob("archive/*/*/*.atom")))
    assert total >= 3

    def archive_pages(out: Path) -> dict[Path, list[int]]:
        found: dict[Path, list[int]] = {}
        for page in out.glob("archive/*/*/*.atom"):
            found.setdefault(page.parent, []).append(int(page.stem))
        return {folder: sorted(numbers) for folder, numbers in found.items()}

    out = tmp_path / "out"
    for build in range(1, total + 1):
        result = build_feeds(store, out, BASE_URL, limit=3, archive_budget=1)
        # Every subscription feed is complete at once; only the deep history waits.
        assert (out / "category/nanchangribao.xml").is_file() and (out / "all.atom").is_file()
        assert result.archive_pending == total - build
        pages = archive_pages(out)
        assert sum(len(numbers) for numbers in pages.values()) == build
        for folder, numbers in pages.items():
            newest = len(list((whole / folder.relative_to(out)).glob("*.atom")))
            # Newest pages first: a reader paging back from the feed finds no gap.
            assert numbers == list(range(newest - len(numbers) + 1, newest + 1))
            feed = out / folder.relative_to(out / "archive").with_suffix(".atom")
            prev = etree.parse(str(feed)).getroot().find(f"{ATOM}link[@rel='prev-archive']")
            assert prev.get("href").endswith(f"/{newest}.atom")
    done = build_feeds(store, out, BASE_URL, limit=3, archive_budget=1)
    assert (done.written, done.rebuilt, done.archive_pending) == (0, 0, 0)
    # The history built a page at a time is the one a single unbudgeted build writes.
    assert snapshot(out) == snapshot(whole)


def test_unsafe_slug_is_refused_and_others_still_written(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=2)
    for slug in ("../evil", "/etc/passwd", "a/../../b"):
        store.conn.execute(
            "INSERT INTO categories (slug, name, kind) VALUES (?, '坏', 'media')", (slug,)
        )
    store.conn.execute(
        "INSERT INTO article_categories (article_id, category, published)"
        " SELECT id, '../evil', published FROM articles LIMIT 1"
    )
    out = tmp_path / "pub" / "out"
    result = build_feeds(store, out, BASE_URL, limit=3)
    assert len(result.refused) == 3
    assert all("not a safe file name" in message for message in result.refused)
    assert "'../evil'" in result.refused[0]
    assert (out / "category/nanchangribao.xml").is_file()
    assert not list((tmp_path / "pub").glob("evil*"))
    assert "evil" not in (out / "index.opml").read_text("utf-8")
    # The CLI reports the refusal and exits non-zero after writing everything else.
    store.close()
    runner = CliRunner()
    cli = runner.invoke(
        main,
        ["feeds", "--db", str(tmp_path / "finews.db"), "--out", str(out), "--base-url", BASE_URL],
    )
    assert cli.exit_code == 1
    assert "refused category '../evil'" in cli.stderr
    assert "4 categories" in cli.stdout


def test_cli_feeds(tmp_path: Path) -> None:
    make_store(tmp_path / "finews.db", count=3).close()
    runner = CliRunner()
    args = ["feeds", "--db", str(tmp_path / "finews.db"), "--out", str(tmp_path / "out")]
    result = runner.invoke(main, [*args, "--base-url", "https://example.org/feeds", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "4 categories (4 rebuilt)" in result.stdout
    rss = etree.parse(str(tmp_path / "out/category/nanchangribao.xml")).getroot()
    assert len(rss.findall("channel/item")) == 2
    again = runner.invoke(main, [*args, "--base-url", "https://example.org/feeds", "--limit", "2"])
    assert "0 files written" in again.stdout
    bad = runner.invoke(main, [*args, "--base-url", "ftp://example.org/"])
    assert bad.exit_code != 0 and "absolute http(s) URL" in bad.output
    missing = runner.invoke(main, ["feeds", "--db", str(tmp_path / "no.db"), "--out", "x"])
    assert missing.exit_code != 0 and "no database" in missing.output


def test_many_articles_with_the_same_minute_keep_distinct_updated(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "finews.db")
    store.save_articles(
        [article(n, published="2022-02-07T09:09:00+08:00") for n in range(1, 41)],
        seen_at="2022-02-07T10:00:00+08:00",
    )
    build_feeds(store, tmp_path / "out", BASE_URL, limit=40)
    root = etree.parse(str(tmp_path / "out/all.atom")).getroot()
    updated = [e.findtext(f"{ATOM}updated") for e in root.iter(f"{ATOM}entry")]
    published = {e.findtext(f"{ATOM}published") for e in root.iter(f"{ATOM}entry")}
    assert len(set(updated)) == 40 and published == {"2022-02-07T09:09:00+08:00"}
