import json
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.parsing.content import clean_body_html, summarize
from feeds.jekyll_export import export_posts
from feeds.render import jekyll
from finews.cli import main
from finews.exitcodes import ExitCode
from finews.jekyll_import import ParsedPost, import_posts, parse_post
from storage import ArticleRecord, Category, Store
from storage.times import CHINA_TZ
from tests import FIXTURES

JEKYLL = FIXTURES / "jekyll"
NOW = datetime(2024, 1, 1, tzinfo=CHINA_TZ)
SEED = "2022-02-07-NW202202072267575261.md"
CURRENT_ROLLING = ["2022-01-07-202201072239307540.md", "2022-01-21-202201212257099936.md"]
OLD_ROLLING = "2021-12-08-202112082206928461.md"
MEDIA = Category("nanchangribao", "南昌日报", "media")
ROLLING = Category("emnews", "东财滚动新闻", "column")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    (tmp_path / "db").mkdir()
    with Store.open(tmp_path / "db" / "finews.db") as opened:
        yield opened


def article(article_id: str = "NW202202072267575261", **kw: object) -> ArticleRecord:
    fields: dict = {
        "title": "标题",
        "published": "2022-02-07T09:09:43+08:00",
        "body_html": "<p>正文</p>",
        "body_text": "正文",
        "media": "南昌日报",
        "categories": [MEDIA],
    }
    fields.update(kw)
    return ArticleRecord(id=article_id, **fields)


def posts(out: Path) -> dict[str, bytes]:
    folder = out / "_posts"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_round_trip_of_every_reference_post(store: Store, tmp_path: Path) -> None:
    import_posts(store, [JEKYLL], NOW)
    result = export_posts(store, tmp_path / "site")
    written = posts(tmp_path / "site")
    assert set(written) == {SEED, OLD_ROLLING, *CURRENT_ROLLING}  # the site notice is no article
    assert (result.articles, result.written, result.skipped) == (4, 4, [])

    # Current-format media post: byte for byte.
    assert written[SEED] == (JEKYLL / SEED).read_bytes()

    # Current-format rolling posts: identical but for the auto-links finews unwraps.
    for name in CURRENT_ROLLING:
        reference = (JEKYLL / name).read_text("utf-8")
        head, body, tail = reference.split("\n\n", 2)  # front matter + digest, body, links
        assert clean_body_html(body) != body
        expected = "\n\n".join([head, clean_body_html(body), tail])
        assert written[name] == expected.encode("utf-8")

    # The old rolling post comes out in the current format.
    assert written[OLD_ROLLING].decode("utf-8") == (
        "---\nlayout: post\n"
        'title: "“股王”茅台重回2000元关口！酿酒板块多股大涨 北上资金“扫货” 大行情要来？"\n'
        "date: 2021-12-08 12:41:23 +0800\ncategories: emnews\ntags: 东财滚动新闻\n---\n"
        "> “股王”茅台重回2000元关口！酿酒板块多股大涨，北上资金半天“扫货”A股近60亿，大行情要来？\n\n"
        "<http://finance.eastmoney.com/news/1344,202112082206928461.html>\n\n"
        "[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)"
    )

    # Exported posts import back to the same articles.
    again = tmp_path / "again.db"
    with Store.open(again) as copy:
        import_posts(copy, [tmp_path / "site"], NOW)
        for name in (SEED, *CURRENT_ROLLING, OLD_ROLLING):
            parsed = parse_post(written[name], name, NOW)
            assert (
                copy.article(parsed.article_id)["body_html"]
                == (store.article(parsed.article_id)["body_html"])
            )


def test_unchanged_files_are_not_rewritten(store: Store, tmp_path: Path) -> None:
    import_posts(store, [JEKYLL], NOW)
    site = tmp_path / "site"
    export_posts(store, site)
    seed = site / "_posts" / SEED
    os.utime(seed, (1_000_000, 1_000_000))
    result = export_posts(store, site)
    assert (result.written, result.unchanged) == (0, 4)
    assert seed.stat().st_mtime == 1_000_000


def test_twins_export_as_media_and_rolling_posts(store: Store, tmp_path: Path) -> None:
    store.save_articles(
        [
            article(
                summary="摘要",
                url="http://finance.eastmoney.com/news/1344,202202072267575261.html",
                categories=[MEDIA, ROLLING],
            )
        ],
        "2022-02-07T10:00:00+08:00",
    )
    export_posts(store, tmp_path)
    written = posts(tmp_path)
    assert set(written) == {SEED, "2022-02-07-202202072267575261.md"}
    media = written[SEED].decode("utf-8")
    assert media.endswith(
        "<p>正文</p>\n\n"
        "<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202202072267575261>\n\n"
        "[返回南昌日报新闻](//finews.withounder.com/category/nanchangribao.html)"
        "｜[返回首页](//finews.withounder.com/)"
    )
    assert "\ncategories: nanchangribao\ntags: 南昌日报新闻\n" in media
    rolling = written["2022-02-07-202202072267575261.md"].decode("utf-8")
    assert "---\n> 摘要\n\n<p>正文</p>\n\n<http://finance.eastmoney.com/news/1344," in rolling


def test_rolling_post_without_url_gets_the_page_url(store: Store, tmp_path: Path) -> None:
    # A crawled article's summary is cut from its body when it is normalized.
    record = article(categories=[ROLLING], summary=summarize("正文"))
    store.save_articles([record], "2022-02-07T10:00:00+08:00")
    export_posts(store, tmp_path)
    (name, data), *_ = posts(tmp_path).items()
    assert name == "2022-02-07-202202072267575261.md"
    text = data.decode("utf-8")
    assert "---\n> 正文\n\n<p>正文</p>\n\n" in text
    assert "<http://finance.eastmoney.com/a/202202072267575261.html>" in text


def test_an_article_of_2017_with_a_17_digit_code_exports_and_imports(
    store: Store, tmp_path: Path
) -> None:
    code = "20170701752100652"
    record = article(
        f"NW{code}",
        published="2017-07-01T08:00:00+08:00",
        summary="摘要",
        url=f"http://finance.eastmoney.com/news/1354,{code}.html",
        categories=[MEDIA, ROLLING],
    )
    store.save_articles([record], "2017-07-01T10:00:00+08:00")
    export_posts(store, tmp_path / "site")
    assert set(posts(tmp_path / "site")) == {f"2017-07-01-NW{code}.md", f"2017-07-01-{code}.md"}
    with Store.open(tmp_path / "again.db") as again:
        result = import_posts(again, [tmp_path / "site" / "_posts"], NOW)
        assert (result.articles, result.twins, result.rejected) == (1, 1, [])
        assert again.article_categories(f"NW{code}") == ["emnews", "nanchangribao"]


def test_category_and_since_filters(store: Store, tmp_path: Path) -> None:
    other = Category("cailianshe", "财联社", "media")
    store.save_articles(
        [
            article("NW202202072267575261", categories=[MEDIA, ROLLING]),
            article(
                "NW202203012300000001",
                published="2022-03-01T08:00:00+08:00",
                media="财联社",
                categories=[other],
            ),
        ],
        "2022-03-02T00:00:00+08:00",
    )
    export_posts(store, tmp_path / "a", categories=["emnews"])
    assert set(posts(tmp_path / "a")) == {"2022-02-07-202202072267575261.md"}
    export_posts(store, tmp_path / "b", categories=["cailianshe", "nanchangribao"])
    assert set(posts(tmp_path / "b")) == {SEED, "2022-03-01-NW202203012300000001.md"}
    export_posts(store, tmp_path / "c", since="2022-02-08T00:00:00+08:00")
    assert set(posts(tmp_path / "c")) == {"2022-03-01-NW202203012300000001.md"}


def test_hostile_titles_keep_the_front_matter_valid(store: Store, tmp_path: Path) -> None:
    titles = {
        "NW202202072267575261": 'A "quoted" ../../etc/passwd',
        "NW202202072267575262": "two\nlines: yes\n---",
        "NW202202072267575263": "back\\slash 'single'",
    }
    hostile_media = Category("nanchang-ribao", "南昌\n日报", "media")
    store.save_articles(
        [
            article(aid, title=title, media="南昌\n日报", categories=[hostile_media])
            for aid, title in titles.items()
        ],
        "2022-02-07T10:00:00+08:00",
    )
    out = tmp_path / "out"
    export_posts(store, out / "site")
    assert all_files(out) == set((out / "site" / "_posts").iterdir())
    for aid, title in titles.items():
        data = (out / "site" / "_posts" / f"2022-02-07-{aid}.md").read_bytes()
        front = data.decode("utf-8").split("\n---\n", 1)[0].split("\n")
        assert front[:2] == ["---", "layout: post"] and len(front) == 6
        assert front[5] == "tags: 南昌 日报新闻"
        parsed = parse_post(data, f"2022-02-07-{aid}.md", NOW)
        assert isinstance(parsed, ParsedPost) and parsed.title == title
    assert jekyll.yaml_title("two\nlines") == json.dumps("two\nlines")
    assert jekyll.yaml_title('say "hi"') == "'say \"hi\"'"
    assert jekyll.yaml_title("南昌“一号工程”") == '"南昌“一号工程”"'


def test_hostile_ids_and_slugs_cannot_write_outside(store: Store, tmp_path: Path) -> None:
    evil = Category("../../evil", "evil", "media")
    store.save_articles(
        [
            article("../../../outside", categories=[MEDIA, ROLLING]),
            article("NW20220207226757526/", categories=[ROLLING]),
            article("NW２０２２０２０７２２６７５７５２６１", categories=[MEDIA]),  # fullwidth
            article("NW202202072267575269", categories=[evil]),
        ],
        "2022-02-07T10:00:00+08:00",
    )
    out = tmp_path / "out"
    result = export_posts(store, out / "a" / "site")
    assert all_files(out) == set()
    assert not any(p.name in ("evil", "outside") for p in tmp_path.parent.rglob("*"))
    assert len(result.skipped) == 4
    assert any("'../../../outside'" in m and "not an infoCode" in m for m in result.skipped)
    assert any("unsafe category slug '../../evil'" in m for m in result.skipped)


def test_cli_export_and_reexport(tmp_path: Path) -> None:
    db, site = tmp_path / "finews.db", tmp_path / "jekyll"
    shutil.copytree(JEKYLL, tmp_path / "old")
    runner = CliRunner()
    imported = runner.invoke(main, ["import", "jekyll", str(tmp_path / "old"), "--db", str(db)])
    assert imported.exit_code == 0, imported.output
    args = ["jekyll", "--db", str(db), "--out", str(site)]
    first = runner.invoke(main, ["export", *args])
    assert first.exit_code == 0, first.output
    assert "exported 4 articles" in first.stdout and "4 files written, 0 unchanged" in first.stdout
    second = runner.invoke(main, ["export", *args, "--category", "emnews", "--since", "2022-01-08"])
    assert second.exit_code == 0, second.output
    assert (
        "exported 1 articles" in second.stdout and "0 files written, 1 unchanged" in second.stdout
    )
    bad = runner.invoke(main, ["export", *args, "--since", "someday"])
    assert bad.exit_code == 2 and "--since" in bad.output
    missing = runner.invoke(
        main, ["export", "jekyll", "--db", str(tmp_path / "no.db"), "--out", "x"]
    )
    assert missing.exit_code == ExitCode.USAGE and "no database" in missing.output
