import re
import sqlite3
from pathlib import Path

import pytest

from crawler.parsing.content import summarize
from storage import ArticleRecord, Category, Store, StoreError
from storage.store import NotAStoreError, explain, migrations

T1, T2, T3 = "2022-02-08T00:00:00+08:00", "2022-02-09T00:00:00+08:00", "2022-02-10T00:00:00+08:00"
MEDIA = Category("nanchangribao", "南昌日报", "media")
COLUMN = Category("cywjh", "要闻精华", "column")


def record(
    article_id: str = "NW202202072267575261", body: str = "<p>x</p>", **kw: object
) -> ArticleRecord:
    fields: dict = {
        "title": "南昌坚定不移实施数字经济“一号工程”",
        "published": "2022-02-07T09:09:43+08:00",
        "body_html": body,
        "body_text": re.sub(r"<[^>]+>", "", body),
        "media": "南昌日报",
        "categories": [MEDIA],
    }
    fields.update(kw)
    return ArticleRecord(id=article_id, **fields)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "finews.db") as opened:
        yield opened


def test_schema_tables_and_settings(store: Store, tmp_path: Path) -> None:
    names = set(store.db.table_names())
    assert {
        "articles",
        "categories",
        "article_categories",
        "article_revisions",
        "crawl_runs",
    } <= names
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.schema_version == max(version for version, _, _ in migrations())


NEWEST = max(version for version, _, _ in migrations())


def test_migrations_apply_once_and_twice_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "finews.db"
    Store.open(path).close()
    with Store.open(path) as again:
        assert again.migrate() == []
        assert again.schema_version == NEWEST
        assert again.counts()["articles"] == 0


def test_a_migration_numbered_below_the_newest_applied_one_is_still_applied(
    tmp_path: Path,
) -> None:
    # Numbers are reserved ahead: a store may get migration 5 before migration 4 exists.
    path = tmp_path / "finews.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM schema_migrations WHERE version = 3")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.schema_version == NEWEST
        assert store.migrate() == []  # Store.open applied it already
        applied = [row[0] for row in store.conn.execute("SELECT version FROM schema_migrations")]
    assert applied == [version for version, _, _ in migrations()]


def test_a_store_from_before_the_migration_record_gets_only_what_it_lacks(tmp_path: Path) -> None:
    path = tmp_path / "finews.db"
    conn = sqlite3.connect(path)
    for version, _, script in migrations():
        if version <= 3:
            conn.executescript(script)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        names = [row[0] for row in store.conn.execute("SELECT name FROM schema_migrations")]
        assert store.schema_version == NEWEST
    assert names == [name for _, name, _ in migrations()]


def test_another_programs_database_or_a_newer_store_is_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.commit()
    conn.close()
    for readonly in (False, True):
        with pytest.raises(NotAStoreError, match="SQLite database but not a finews store"):
            Store.open(foreign, readonly=readonly)
    # Nothing of finews was added to it.
    tables = sqlite3.connect(foreign).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("notes",)]
    newer = tmp_path / "newer.db"
    Store.open(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {NEWEST + 1}")
    conn.close()
    with pytest.raises(NotAStoreError, match="newer finews"):
        Store.open(newer)


def test_a_version_1_store_is_upgraded_with_its_data(tmp_path: Path) -> None:
    import sqlite3 as raw

    path = tmp_path / "finews.db"
    _, _, first = migrations()[0]
    conn = raw.connect(path)
    conn.executescript(first + "PRAGMA user_version = 1;")
    conn.execute(
        "INSERT INTO articles (id, title, published, content_hash, first_seen, last_seen)"
        " VALUES ('NW202202072267575261', 't', ?, 'abc', ?, ?)",
        (T1, T1, T1),
    )
    conn.execute(
        "INSERT INTO categories (slug, name, kind) VALUES ('nanchangribao', '南昌日报', 'media')"
    )
    conn.execute(
        "INSERT INTO article_categories VALUES ('NW202202072267575261', 'nanchangribao', ?)", (T1,)
    )
    conn.commit()
    conn.close()
    with Store.open(path) as upgraded:
        assert upgraded.schema_version == NEWEST
        row = upgraded.conn.execute("SELECT content_hash FROM article_categories").fetchone()
        assert row == ("abc",)
        assert upgraded.migrate() == []


def test_articles_stored_without_a_summary_get_the_summary_rule(tmp_path: Path) -> None:
    import sqlite3 as raw

    path = tmp_path / "finews.db"
    conn = raw.connect(path)
    for _, _, script in migrations()[:2]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 2")
    long_text = "第一段" * 30 + "\n" + "第二段" * 30
    for article_id, text in (
        ("NW202202072267575261", "短正文\n第二行"),
        ("NW202202072267575262", long_text),
    ):
        conn.execute(
            "INSERT INTO articles (id, title, published, body_text, content_hash, first_seen,"
            " last_seen) VALUES (?, 't', ?, ?, 'abc', ?, ?)",
            (article_id, T1, text, T1, T1),
        )
    conn.commit()
    conn.close()
    with Store.open(path) as upgraded:
        short = upgraded.article("NW202202072267575261")["summary"]
        cut = upgraded.article("NW202202072267575262")["summary"]
    assert short == summarize("短正文\n第二行") == "短正文 第二行"
    assert cut == summarize(long_text)
    assert len(cut) == 120 and cut.endswith("…")


def test_new_then_identical_touches_only_last_seen(store: Store) -> None:
    assert store.save_articles([record()], T1).new == ["NW202202072267575261"]
    before = store.article("NW202202072267575261")
    result = store.save_articles([record()], T2)
    assert result.unchanged == ["NW202202072267575261"] and not result.new and not result.updated
    after = store.article("NW202202072267575261")
    assert after["last_seen"] == T2 and after["first_seen"] == T1 and after["updated"] is None
    assert {k: v for k, v in after.items() if k != "last_seen"} == {
        k: v for k, v in before.items() if k != "last_seen"
    }
    assert store.counts()["article_revisions"] == 0


def test_changed_content_updates_and_keeps_a_revision(store: Store) -> None:
    store.save_articles([record()], T1)
    result = store.save_articles([record(body="<p>更正后的正文</p>")], T2)
    assert result.updated == ["NW202202072267575261"]
    row = store.article("NW202202072267575261")
    assert row["body_html"] == "<p>更正后的正文</p>" and row["updated"] == T2
    revisions = list(store.db.query("SELECT * FROM article_revisions"))
    assert (
        len(revisions) == 1
        and revisions[0]["body_html"] == "<p>x</p>"
        and revisions[0]["replaced"] == T2
    )


def test_one_row_per_id_and_categories_accumulate(store: Store) -> None:
    store.save_articles([record(), record(categories=[COLUMN])], T1)
    store.save_articles([record(categories=[Category("czqyw", "证券要闻", "column")])], T2)
    assert store.counts()["articles"] == 1
    assert store.article_categories("NW202202072267575261") == ["cywjh", "czqyw", "nanchangribao"]


def test_missing_time_keeps_first_seen_and_is_not_overwritten(store: Store) -> None:
    store.save_articles([record(published=None)], T1)
    assert store.article("NW202202072267575261")["published"] == T1
    store.save_articles([record(published=None, body="<p>new</p>")], T2)
    assert store.article("NW202202072267575261")["published"] == T1


def test_memberships_for_unknown_articles_are_ignored(store: Store) -> None:
    store.save_articles([record()], T1)
    added = store.add_memberships(
        [("NW202202072267575261", COLUMN), ("NW000000000000000000", COLUMN)]
    )
    assert added == 1
    assert store.add_memberships([("NW202202072267575261", COLUMN)]) == 0


def test_category_revision_moves_only_with_its_articles(store: Store) -> None:
    store.save_articles([record()], T1)
    revision = lambda slug: store.db["categories"].get(slug)["revision"]  # noqa: E731
    first = revision("nanchangribao")
    store.save_articles([record()], T2)
    assert revision("nanchangribao") == first
    store.save_articles([record(body="<p>changed</p>")], T3)
    assert revision("nanchangribao") > first


def test_a_stored_article_joining_a_category_moves_its_revision(store: Store) -> None:
    other = record("NW202202072267575262", categories=[COLUMN])
    store.save_articles([record(), other], T1)
    before = store.db["categories"].get(COLUMN.slug)["revision"]
    result = store.save_articles([record(categories=[MEDIA, COLUMN])], T2)
    assert result.unchanged == ["NW202202072267575261"]
    assert store.db["categories"].get(COLUMN.slug)["revision"] > before
    again = store.db["categories"].get(COLUMN.slug)["revision"]
    store.save_articles([record(categories=[MEDIA, COLUMN])], T3)
    assert store.db["categories"].get(COLUMN.slug)["revision"] == again


def test_a_failed_batch_leaves_what_was_stored(tmp_path: Path) -> None:
    path = tmp_path / "finews.db"
    with Store.open(path) as store:
        store.save_articles([record()], T1)
        # A real "database or disk is full": SQLite may not grow the file any further.
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        big = [
            record(f"NW2022020722675752{i:02d}", body="<p>" + "字" * 20000 + "</p>")
            for i in range(50)
        ]
        with pytest.raises(sqlite3.OperationalError, match="full"):
            store.save_articles(big, T2)
    with Store.open(path) as reopened:
        assert reopened.counts()["articles"] == 1
        assert reopened.article("NW202202072267575261")["last_seen"] == T1


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("this is not sqlite" * 100)
    for readonly in (False, True):
        with pytest.raises(NotAStoreError, match="is not a finews store"):
            Store.open(bad, readonly=readonly)
    with pytest.raises(NotAStoreError, match="does not exist"):
        Store.open(tmp_path / "missing" / "finews.db")


def test_titles_are_data_not_sql(store: Store) -> None:
    hostile = "x'); DROP TABLE articles; --"
    store.save_articles([record(title=hostile)], T1)
    assert store.article("NW202202072267575261")["title"] == hostile
    assert store.known_ids(["NW202202072267575261", "' OR 1=1 --"]) == {"NW202202072267575261"}


def test_crawl_runs_are_recorded(store: Store) -> None:
    run = store.start_run(T1)
    store.finish_run(run, T2, {"new": 3, "skipped": 2}, ["http://x: HTTP 500"], "finished")
    row = store.db["crawl_runs"].get(run)
    assert (row["new"], row["skipped"], row["status"], row["finished"]) == (3, 2, "finished", T2)
    assert "HTTP 500" in row["errors"]
    assert store.db["crawl_runs"].count == 1
    with pytest.raises(StoreError, match="no crawl run"):
        store.finish_run(run + 1, T3, {}, [], "finished")


def test_same_words_in_other_markup_is_the_same_content(store: Store) -> None:
    # An article page keeps the stock chart and the line breaks the content API drops.
    store.save_articles([record(body="<p>一</p>\n<p>二</p>")], T1)
    chart = '<!-- EM_StockImg_Start --><p><img src="https://x/k.png" /></p><!-- EM_StockImg_End -->'
    result = store.save_articles(
        [record(body=f"{chart}<p>一</p><p>二</p>", body_text="一\n二")], T2
    )
    assert result.unchanged == ["NW202202072267575261"]


def test_an_older_copy_never_replaces_newer_content(store: Store) -> None:
    # A crawl stored the article; an old Jekyll post of it is imported afterwards.
    store.save_articles([record(body="<p>crawled</p>")], T2)
    old_post = record(body="<p>old post</p>", seen_at=T1)
    assert store.save_articles([old_post], T3).unchanged == ["NW202202072267575261"]
    row = store.article("NW202202072267575261")
    assert row["body_html"] == "<p>crawled</p>" and row["last_seen"] == T2


def test_a_time_that_gains_its_seconds_is_stored_and_moves_its_categories(store: Store) -> None:
    store.save_articles([record(published="2022-02-07T09:09:00+08:00")], T1)
    before = store.db["categories"].get(MEDIA.slug)["revision"]
    result = store.save_articles([record(published="2022-02-07T09:09:43+08:00")], T2)
    assert result.unchanged == ["NW202202072267575261"] and not result.updated
    row = store.article("NW202202072267575261")
    assert row["published"] == "2022-02-07T09:09:43+08:00" and row["updated"] is None
    copies = store.db.query("SELECT published FROM article_categories")
    assert [copy["published"] for copy in copies] == ["2022-02-07T09:09:43+08:00"]
    assert store.db["categories"].get(MEDIA.slug)["revision"] > before
    assert store.counts()["article_revisions"] == 0
    # A page showing the minute again changes nothing.
    store.save_articles([record(published="2022-02-07T09:09:00+08:00")], T3)
    assert store.article("NW202202072267575261")["published"] == "2022-02-07T09:09:43+08:00"


@pytest.mark.parametrize("order", [("TechWeb", "Techweb"), ("Techweb", "TechWeb")])
def test_names_sharing_a_slug_name_the_category_by_one_rule(tmp_path: Path, order) -> None:
    with Store.open(tmp_path / "finews.db") as store:
        for number, name in enumerate(order):
            category = Category("techweb", name, "media")
            store.save_articles(
                [record(f"NW20220207226757526{number}", media=name, categories=[category])], T1
            )
        assert store.db["categories"].get("techweb")["name"] == "TechWeb"
        revision = store.db["categories"].get("techweb")["revision"]
        store.save_articles(
            [
                record(
                    "NW202202072267575269",
                    categories=[Category("techweb", "Techweb", "media")],
                    media="Techweb",
                )
            ],
            T2,
        )
        # A name that loses changes nothing; the category moved only for its new article.
        assert store.db["categories"].get("techweb")["name"] == "TechWeb"
        assert store.db["categories"].get("techweb")["revision"] == revision + 1


def test_a_store_kept_busy_by_another_program_is_said_in_words(tmp_path: Path) -> None:
    path = tmp_path / "finews.db"
    with Store.open(path) as store:
        store.conn.execute("PRAGMA busy_timeout = 50")  # not 30 s, for the test
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program's write transaction
        try:
            with pytest.raises(sqlite3.OperationalError) as raised:
                store.save_articles([record()], T1)
        finally:
            other.close()
    said = explain(raised.value, str(path))
    assert "locked" not in said
    assert said.startswith("another program kept it busy with a write for more than 30 s")
