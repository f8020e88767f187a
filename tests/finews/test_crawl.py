"""Real Scrapy crawls of the fixture site on 127.0.0.1, checked in the real SQLite file."""

from __future__ import annotations

import re
from typing import Any

import pytest

from finews.exitcodes import ExitCode
from storage.slugs import slugify
from tests.conftest import ROOT, finews, rows, run_crawl, summary_counts

CHINESE_ARTICLE_WRAPPERS = re.compile(
    r'class="(?:keytip|infokey|em_stock_key_common)"|id="(?:stock_|quote_|Info\.)'
)


def listed(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """Articles a crawl of the columns must store: listed, and with a working page."""
    return [a for a in truth["articles"] if a.get("listed") and not a["broken"]]


def column_pages(truth: dict[str, Any]) -> list[str]:
    return [column["pages"][0] for column in truth["columns"]]


@pytest.fixture(scope="module")
def first_crawl(site, truth, tmp_path_factory):
    db = tmp_path_factory.mktemp("crawl") / "finews.db"
    crawl = run_crawl(site, db, column_pages(truth), now=truth["now"])
    return db, crawl


def test_first_crawl_stores_every_listed_article_once(first_crawl, truth) -> None:
    db, crawl = first_crawl
    # The fixture's broken article page fails: the run finished with a failed page.
    assert crawl.returncode == ExitCode.PAGES_FAILED, crawl.stderr
    stored = {row["id"]: row for row in rows(db, "SELECT * FROM articles")}
    expected = listed(truth)
    assert len(expected) >= 40
    assert set(stored) == {a["id"] for a in expected}
    for article in expected:
        row = stored[article["id"]]
        assert row["title"] == article["title"]
        assert row["media"] == article["media"]
        assert row["published"] == article["published"], article["id"]
        assert row["summary"] == article["summary"]
    assert crawl.counts["new"] == len(expected)


def test_categories_are_media_and_every_column_listed_on(first_crawl, truth) -> None:
    db, _ = first_crawl
    for article in listed(truth):
        got = {
            r["category"]
            for r in rows(
                db, "SELECT category FROM article_categories WHERE article_id = ?", article["id"]
            )
        }
        assert got == {slugify(article["media"]), *article["columns"]}, article["id"]
    kinds = {r["slug"]: (r["name"], r["kind"]) for r in rows(db, "SELECT * FROM categories")}
    for column in truth["columns"]:
        assert kinds[column["slug"]] == (column["name"], "column")
    assert kinds["techweb"][1] == "media"
    assert kinds["anxinguojizhengquan-xianggang"] == ("安信国际证券(香港)", "media")
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in kinds)


def test_an_article_in_two_columns_is_in_three_categories(first_crawl, truth) -> None:
    db, _ = first_crawl
    twice = [a for a in listed(truth) if len(a["columns"]) == 2]
    assert twice
    for article in twice:
        assert (
            len(rows(db, "SELECT 1 FROM article_categories WHERE article_id = ?", article["id"]))
            == 3
        )


def test_bodies_are_cleaned_but_kept(first_crawl, truth) -> None:
    db, _ = first_crawl
    for row in rows(db, "SELECT id, body_html, body_text FROM articles"):
        assert not CHINESE_ARTICLE_WRAPPERS.search(row["body_html"]), row["id"]
        assert "　" not in row["body_html"]
        assert row["body_text"] and "<" not in row["body_text"]
    by_quirk = lambda quirk: [a for a in listed(truth) if quirk in a["quirks"]]  # noqa: E731
    for article in by_quirk("stock-chart"):
        body = rows(db, "SELECT body_html FROM articles WHERE id = ?", article["id"])[0][0]
        assert "<!-- EM_StockImg_Start -->" in body
    for article in by_quirk("relative-img"):
        body = rows(db, "SELECT body_html FROM articles WHERE id = ?", article["id"])[0][0]
        assert re.search(r'src="http://127\.0\.0\.1:\d+/', body), body


def test_gbk_pages_are_stored_as_text(first_crawl, truth) -> None:
    db, _ = first_crawl
    gbk = [a for a in listed(truth) if a["encoding"] != "utf-8"]
    assert {a["encoding"] for a in gbk} == {"gbk-header", "gbk-meta"}
    for article in gbk:
        row = rows(db, "SELECT title, body_text FROM articles WHERE id = ?", article["id"])[0]
        assert row["title"] == article["title"]
        assert re.search(r"[\u4e00-\u9fff]{4}", row["body_text"])


def test_year_boundary_list_takes_years_from_the_clock(first_crawl, truth) -> None:
    db, _ = first_crawl
    years = {a["published"][:4] for a in listed(truth) if a["published"]}
    assert years == {"2022", "2023"}
    stored = {r["id"]: r["published"] for r in rows(db, "SELECT id, published FROM articles")}
    for article in listed(truth):
        assert stored[article["id"]] == article["published"]


def test_robots_txt_is_obeyed_and_broken_pages_are_reported(site, first_crawl, truth) -> None:
    db, crawl = first_crawl
    # A disallowed article is linked from its column like any other; it is never fetched,
    # never stored, and not a failure.
    for hidden in truth["disallowed"]:
        assert hidden["listed"] and hidden["path"] not in crawl.targets
        assert not rows(db, "SELECT id FROM articles WHERE id = ?", hidden["id"])
    broken = [a for a in truth["articles"] if a["broken"] and a.get("listed")]
    assert broken
    assert crawl.counts["failed"] == len(broken)
    assert f"page failed: {site.url}{broken[0]['urls'][0]}: " in crawl.stderr
    run = rows(db, "SELECT * FROM crawl_runs")[-1]
    assert run["status"] == "finished" and run["failed"] == len(broken)
    assert broken[0]["urls"][0] in run["errors"]


def test_a_long_article_is_one_row_of_all_its_pages_in_order(first_crawl, truth) -> None:
    db, crawl = first_crawl
    article = next(a for a in listed(truth) if "continued" in a["quirks"])
    fetched = [t for t in crawl.targets if t.startswith(article["urls"][0].removesuffix(".html"))]
    assert fetched == [article["urls"][0], *article["parts"]]
    (row,) = rows(db, "SELECT url, body_text FROM articles WHERE id = ?", article["id"])
    assert row["url"].endswith(article["urls"][0])
    assert row["body_text"].splitlines()[:-1] == article["paragraphs"]
    # Its continuation pages are no articles of their own.
    assert not rows(db, "SELECT id FROM articles WHERE url LIKE '%\\_%.html' ESCAPE '\\'")


def test_second_crawl_downloads_only_list_pages(site, truth, tmp_path) -> None:
    db = tmp_path / "finews.db"
    first = run_crawl(site, db, column_pages(truth), now=truth["now"])
    assert first.returncode == ExitCode.PAGES_FAILED, first.stderr
    before = rows(db, "SELECT id, last_seen, body_html FROM articles ORDER BY id")
    second = run_crawl(site, db, column_pages(truth), now="2023-01-02T10:05:00+08:00")
    assert second.returncode == ExitCode.PAGES_FAILED, second.stderr
    fetched = [t for t in second.targets if t != "/robots.txt"]
    stored_paths = {u for a in listed(truth) for u in a["urls"]} | {
        entry["href"] for a in listed(truth) for entry in a["listed"]
    }
    broken = {u for a in truth["articles"] if a["broken"] for u in a["urls"]}
    list_pages = {page for column in truth["columns"] for page in column["pages"]}
    assert not stored_paths & set(fetched)
    assert set(fetched) <= list_pages | broken
    # Paging stops at the first page whose articles are all stored: only a column whose
    # page 1 lists the broken (never stored) article is paged further.
    columns_with_broken = {
        entry["page"] for a in truth["articles"] if a["broken"] for entry in a["listed"]
    }
    for column in truth["columns"]:
        first_page, second_page = column["pages"][:2]
        assert first_page in fetched
        assert (second_page in fetched) == (first_page in columns_with_broken)
    assert second.counts["new"] == 0 and second.counts["skipped as stored"] > 0
    assert rows(db, "SELECT id, last_seen, body_html FROM articles ORDER BY id") == before


@pytest.mark.parametrize("batch", ["200", "1"])
def test_one_article_by_three_url_shapes_is_one_row(site, truth, tmp_path, batch) -> None:
    # With batches of one, each copy meets the stored row of the one before: page and API
    # copies of an article must not look like new versions of it. The pages show the minute,
    # the content API the seconds: the time with seconds is kept, whichever copy came first.
    article = next(a for a in truth["articles"] if len(a["urls"]) == 3 and len(a["code"]) == 18)
    assert article["api_published"] != article["published"]
    db = tmp_path / "finews.db"
    crawl = run_crawl(
        site, db, article["urls"], "-s", f"FINEWS_BATCH_SIZE={batch}", now=truth["now"]
    )
    assert crawl.returncode == 0, crawl.stderr
    assert [r["id"] for r in rows(db, "SELECT id FROM articles")] == [article["id"]]
    assert crawl.counts["duplicates merged"] + crawl.counts["unchanged"] == 2
    row = rows(db, "SELECT * FROM articles")[0]
    assert row["share_url"].endswith(f"infoCode={article['id']}")
    assert row["published"] == article["api_published"] and row["updated"] is None
    assert rows(db, "SELECT count(*) FROM article_revisions")[0][0] == 0
    memberships = rows(db, "SELECT DISTINCT published FROM article_categories")
    assert [r["published"] for r in memberships] == [article["api_published"]]


def test_share_links_resolve_through_the_content_api(site, truth, tmp_path) -> None:
    articles = [a for a in truth["articles"] if not a["broken"] and a["published"]][:5]
    articles += [
        a for a in truth["articles"] if a["api_missing"] and "Date" not in a["api_missing"]
    ]
    shares = [next(u for u in a["urls"] if "NewsShare" in u) for a in articles]
    db = tmp_path / "finews.db"
    crawl = run_crawl(site, db, shares, now=truth["now"])
    assert crawl.returncode == 0, crawl.stderr
    assert any(t.startswith("/NewsData/GetNewsText.do?id=") for t in crawl.targets)
    assert not any(t.startswith("/html_News/") for t in crawl.targets)
    for article in articles:
        row = rows(db, "SELECT * FROM articles WHERE id = ?", article["id"])[0]
        assert row["title"] == article["title"] and row["media"] == article["media"]
        assert row["published"][:16] == article["published"][:16]
        assert row["body_text"]


def test_a_page_without_a_date_keeps_its_first_seen_time(site, truth, tmp_path) -> None:
    undated = next(a for a in truth["articles"] if a["published"] is None)
    db = tmp_path / "finews.db"
    crawl = run_crawl(site, db, [undated["urls"][0]], now=truth["now"])
    assert crawl.returncode == 0, crawl.stderr
    row = rows(db, "SELECT published, first_seen FROM articles")[0]
    assert row["published"] == row["first_seen"] == truth["now"]
    assert crawl.counts["bad dates"] == 1


def test_changed_article_is_updated_with_a_revision(site_copy, truth, tmp_path) -> None:
    root, server = site_copy
    article = next(a for a in listed(truth) if a["encoding"] == "utf-8" and a["layout"] == "new")
    path = article["urls"][0]
    db = tmp_path / "finews.db"
    assert run_crawl(server, db, [path], now=truth["now"]).returncode == ExitCode.OK
    page = root / path.lstrip("/")
    page.write_text(page.read_text("utf-8").replace("</h1>", "（更新）</h1>", 1), "utf-8")
    crawl = run_crawl(server, db, [path], now="2023-01-02T11:00:00+08:00")
    assert crawl.counts["updated"] == 1
    row = rows(db, "SELECT title, updated FROM articles")[0]
    assert row["title"].endswith("（更新）") and row["updated"] == "2023-01-02T11:00:00+08:00"
    revision = rows(db, "SELECT title FROM article_revisions WHERE article_id = ?", article["id"])
    assert [r["title"] for r in revision] == [article["title"]]


def test_depth_limits_list_pages(site, truth, tmp_path) -> None:
    crawl = run_crawl(
        site, tmp_path / "finews.db", column_pages(truth)[:1], "--depth", "1", now=truth["now"]
    )
    assert crawl.returncode == ExitCode.PAGES_FAILED  # the first page lists the broken article
    assert truth["columns"][0]["pages"][1] not in crawl.targets
    deeper = run_crawl(site, tmp_path / "deeper.db", column_pages(truth)[:1], now=truth["now"])
    assert truth["columns"][0]["pages"][1] in deeper.targets


def test_scrapy_crawl_works_as_in_any_scrapy_project(site, truth, tmp_path) -> None:
    import os
    import subprocess
    import sys

    db = tmp_path / "finews.db"
    url = site.url + column_pages(truth)[0]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "eastmoney",
            "-a",
            f"urls={url}",
            "-a",
            "max_pages=1",
            "-s",
            f"FINEWS_DB={db}",
            "-s",
            f"FINEWS_NOW={truth['now']}",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert rows(db, "SELECT count(*) FROM articles")[0][0] > 0


def test_bad_input_gets_clear_errors(site, truth, tmp_path) -> None:
    result = finews("crawl", "--db", str(tmp_path / "x.db"), "http://127.0.0.1:1/not/a/page")
    assert result.returncode == 2 and "not a page finews reads" in result.stderr
    config = tmp_path / "finews.toml"
    config.write_text("[crawl]\ndepth = 'deep'\n")
    result = finews("crawl", "--config", str(config))
    assert result.returncode == ExitCode.USAGE and "crawl.depth must be a int" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    result = finews(
        "crawl", "--db", str(tmp_path / "no" / "such" / "dir.db"), site.url + column_pages(truth)[0]
    )
    assert result.returncode == ExitCode.USAGE and "does not exist" in result.stderr


def test_unreachable_site_fails_and_keeps_the_store(site, truth, tmp_path) -> None:
    db = tmp_path / "finews.db"
    first = run_crawl(site, db, column_pages(truth)[:1], "--depth", "1", now=truth["now"])
    assert first.returncode == ExitCode.PAGES_FAILED
    count = rows(db, "SELECT count(*) FROM articles")[0][0]
    result = finews(
        "crawl", "--db", str(db), "-s", "RETRY_TIMES=0", "http://127.0.0.1:9/a/cywjh.html"
    )
    # Nothing could be crawled: exit 3, the run recorded as failed, one line for the page.
    assert result.returncode == ExitCode.NOTHING_DONE
    assert summary_counts(result.stdout)["failed"] == 1
    assert "failed: nothing was crawled: every page failed" in result.stdout
    assert "page failed: http://127.0.0.1:9/a/cywjh.html: connection refused" in result.stderr
    assert "Traceback" not in result.stderr
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == count
    run = rows(db, "SELECT status, failed FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    assert (run["status"], run["failed"]) == ("failed", 1)
