import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.parsing.content import clean_body_html
from finews.cli import main
from finews.jekyll_import import ParsedPost, Rejected, import_posts, parse_post
from storage import Store
from storage.times import CHINA_TZ
from tests import FIXTURES

JEKYLL = FIXTURES / "jekyll"
NOW = datetime(2024, 1, 1, tzinfo=CHINA_TZ)
SEED = "2022-02-07-NW202202072267575261.md"
ROLLING_NEW = "2022-01-21-202201212257099936.md"
ROLLING_OLD = "2021-12-08-202112082206928461.md"

MEDIA_POST = """---
layout: post
title: "重庆日报的一篇文章"
date: 2022-03-01 10:00:00 +0800
categories: zhongqingribao
tags: 重庆日报新闻
---
<p>正文第一段。</p>
 <p class="em_media">（文章来源：重庆日报）</p>

<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202203012300000001>

[返回重庆日报新闻](//finews.withounder.com/category/zhongqingribao.html)｜[返回首页](//finews.withounder.com/)"""

ROLLING_POST = """---
layout: post
title: "重庆日报的一篇文章"
date: 2022-03-01 10:00:00 +0800
categories: emnews
tags: 东财滚动新闻
---
> 这是摘要。

<p><span id="stock_1.600000"><a href="http://quote.eastmoney.com/unify/r/1.600000" class="keytip" data-code="1,600000">浦发银行</a></span><span id="quote_1.600000"></span>正文第一段。</p><p class="em_media">（文章来源：重庆日报）</p>

<http://finance.eastmoney.com/news/1344,202203012300000001.html>

[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)"""


def parse(name: str, data: bytes) -> ParsedPost:
    parsed = parse_post(data, f"/site/_posts/{name}", NOW)
    assert isinstance(parsed, ParsedPost), parsed
    return parsed


def fixture(name: str) -> bytes:
    return (JEKYLL / name).read_bytes()


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "finews.db") as opened:
        yield opened


def test_seed_media_post_fields() -> None:
    post = parse(SEED, fixture(SEED))
    assert post.kind == "media"
    assert post.article_id == "NW202202072267575261"
    assert post.title == "南昌坚定不移实施数字经济“一号工程”"
    assert post.published == "2022-02-07T09:09:43+08:00"
    assert post.media == "南昌日报"
    assert post.slug == "nanchangribao"
    assert (
        post.link
        == "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202202072267575261"
    )
    assert post.summary is None
    assert post.current_format
    # Exactly the bytes between the front matter and the blank line before the share link.
    text = fixture(SEED).decode("utf-8")
    raw_body = text.split("---\n", 2)[2].split("\n\n<http")[0]
    assert post.body_html == raw_body == clean_body_html(raw_body)
    assert "\n <p>" in post.body_html


def test_id_comes_from_the_share_link_when_the_name_has_none() -> None:
    post = parse("000_27beb9a6801a56d7.md", fixture(SEED))
    assert post.article_id == "NW202202072267575261"


def test_current_rolling_post_fields() -> None:
    post = parse(ROLLING_NEW, fixture(ROLLING_NEW))
    assert post.kind == "rolling"
    assert post.article_id == "NW202201212257099936"
    assert post.title == "昇兴股份：2021年净利同比预增1117%-1233%"
    assert post.summary.startswith("昇兴股份(002752)1月21日晚间公告")
    assert post.summary.endswith("（证券时报）")
    assert post.link == "http://finance.eastmoney.com/news/1354,202201212257099936.html"
    assert 'class="keytip"' not in post.body_html and "stock_0.002752" not in post.body_html
    assert post.body_html.startswith('<p style="display:none;')
    assert post.current_format


def test_rolling_post_without_twin_takes_media_from_source_line(store: Store) -> None:
    import_posts(store, [JEKYLL / ROLLING_NEW, JEKYLL / ROLLING_OLD], NOW)
    # The （文章来源：…） line, its auto-link unwrapped; none in a digest-only post.
    assert store.article("NW202201212257099936")["media"] == "证券时报"
    assert store.article("NW202112082206928461")["media"] is None
    assert store.article_categories("NW202201212257099936") == ["emnews"]


def test_old_rolling_post_without_offset_digest_only_two_line_links() -> None:
    post = parse(ROLLING_OLD, fixture(ROLLING_OLD))
    assert post.published == "2021-12-08T12:41:23+08:00"  # no offset means China time
    assert post.body_html == ""
    assert post.summary == (
        "“股王”茅台重回2000元关口！酿酒板块多股大涨，北上资金半天“扫货”A股近60亿，大行情要来？"
    )
    assert post.link == "http://finance.eastmoney.com/news/1344,202112082206928461.html"
    assert not post.current_format


def test_site_notice_is_not_an_article() -> None:
    parsed = parse_post(fixture("2021-12-01-init.md"), "2021-12-01-init.md", NOW)
    assert isinstance(parsed, Rejected)
    assert "no East Money article code" in parsed.reason


@pytest.mark.parametrize(
    "variant",
    [
        "\n" + MEDIA_POST,  # a blank line before the front matter
        MEDIA_POST.replace(" +0800", ""),
        MEDIA_POST.rsplit("\n\n", 1)[0],  # no back links
        MEDIA_POST.replace("｜[返回首页]", "\n[返回首页]"),  # back links on two lines
        MEDIA_POST.replace("\n", "\r\n"),
        MEDIA_POST.replace("<http://finews", "http://finews").replace("01>\n", "01\n"),
    ],
)
def test_old_media_formats(variant: str) -> None:
    post = parse("2022-03-01-NW202203012300000001.md", variant.encode("utf-8"))
    assert post.article_id == "NW202203012300000001"
    assert post.title == "重庆日报的一篇文章"
    assert post.published == "2022-03-01T10:00:00+08:00"
    assert post.media == "重庆日报"
    assert post.link.endswith("infoCode=NW202203012300000001")
    assert post.body_html == '<p>正文第一段。</p>\n <p class="em_media">（文章来源：重庆日报）</p>'


def test_digest_only_media_post() -> None:
    text = MEDIA_POST.replace(
        '<p>正文第一段。</p>\n <p class="em_media">（文章来源：重庆日报）</p>', "\n只有摘要。"
    )
    post = parse("2022-03-01-NW202203012300000001.md", text.encode("utf-8"))
    assert post.body_html == ""
    assert post.summary == "只有摘要。"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (MEDIA_POST.replace('title: "重庆日报的一篇文章"', 'title: ""'), "empty title"),
        (MEDIA_POST.replace("date: 2022-03-01 10:00:00 +0800", "date:"), "empty date"),
        (MEDIA_POST.replace("date: 2022-03-01 10:00:00 +0800", "date: soon"), "unreadable date"),
        (MEDIA_POST.split("---\n", 2)[2], "no front matter"),
        ("---\nlayout: post\ntitle: x", "no front matter"),
        ("", "no front matter"),
    ],
)
def test_unusable_posts_are_rejected_with_a_reason(text: str, reason: str) -> None:
    parsed = parse_post(text.encode("utf-8"), "-202205262391921712.md", NOW)
    assert isinstance(parsed, Rejected)
    assert parsed.reason.startswith(reason)
    assert parsed.path == "-202205262391921712.md"


def test_not_utf8_is_rejected() -> None:
    parsed = parse_post(MEDIA_POST.encode("gb18030"), "x-NW202203012300000001.md", NOW)
    assert isinstance(parsed, Rejected) and "UTF-8" in parsed.reason


def test_twins_merge_into_one_article_in_both_categories(store: Store, tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site / "_posts", "2022-03-01-NW202203012300000001.md", MEDIA_POST)
    write(site / "old_post", "2022-03-01-202203012300000001.md", ROLLING_POST)
    result = import_posts(store, [site / "_posts", site / "old_post"], NOW)
    assert (result.posts, result.articles, result.twins, result.new) == (2, 1, 1, 1)
    article = store.article("NW202203012300000001")
    assert article["summary"] == "这是摘要。"
    assert (
        article["body_html"]
        == '<p>正文第一段。</p>\n <p class="em_media">（文章来源：重庆日报）</p>'
    )
    assert article["media"] == "重庆日报"
    assert article["url"] == "http://finance.eastmoney.com/news/1344,202203012300000001.html"
    assert article["share_url"].endswith("infoCode=NW202203012300000001")
    assert article["published"] == article["first_seen"] == "2022-03-01T10:00:00+08:00"
    # finews's pinyin wins over the old polyphone bug.
    assert store.article_categories("NW202203012300000001") == ["chongqingribao", "emnews"]
    assert result.renamed_slugs == {"zhongqingribao": "chongqingribao"}
    kinds = dict(store.conn.execute("SELECT slug, kind FROM categories"))
    assert kinds == {"chongqingribao": "media", "emnews": "column"}


def test_twin_of_a_post_without_a_code_in_its_name(store: Store, tmp_path: Path) -> None:
    rolling = ROLLING_POST.replace("202203012300000001", "202202072267575261")
    write(tmp_path, "000_27beb9a6801a56d7.md", fixture(SEED))
    write(tmp_path, "2022-02-07-202202072267575261.md", rolling)
    result = import_posts(store, [tmp_path], NOW)
    assert (result.articles, result.twins) == (1, 1)
    assert store.article_categories("NW202202072267575261") == ["emnews", "nanchangribao"]


def test_duplicate_posts_keep_the_most_complete(store: Store, tmp_path: Path) -> None:
    old = MEDIA_POST.replace(" +0800", "").replace("正文第一段。", "旧的正文。")
    write(tmp_path / "a", "2022-03-01-NW202203012300000001.md", MEDIA_POST)
    write(tmp_path / "b", "2022-03-01-NW202203012300000001.md", old)
    result = import_posts(store, [tmp_path / "b", tmp_path / "a"], NOW)
    assert (result.articles, result.duplicates) == (1, 1)
    assert "正文第一段" in store.article("NW202203012300000001")["body_html"]


def test_importing_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(JEKYLL, site / "_posts")
    write(site / "old_post", "2022-03-01-NW202203012300000001.md", MEDIA_POST)
    write(site / "old_post", "2022-03-01-202203012300000001.md", ROLLING_POST)
    first = import_posts(store, [site], NOW)
    assert (first.new, first.twins, len(first.rejected)) == (5, 1, 1)
    dump = list(store.conn.iterdump())
    second = import_posts(store, [site], datetime(2025, 6, 1, tzinfo=CHINA_TZ))
    assert (second.new, second.updated, second.unchanged) == (0, 0, 5)
    assert list(store.conn.iterdump()) == dump


def test_cli_reports_bad_files_and_goes_on(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(JEKYLL, site)
    write(site, "-202205262391921712.md", MEDIA_POST.replace("重庆日报的一篇文章", ""))
    write(site, "2022-05-27-NW202205272391921713.md", "no front matter here")
    db = tmp_path / "finews.db"
    result = CliRunner().invoke(main, ["import", "jekyll", str(site), "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert f"skipped {site / '-202205262391921712.md'}: empty title" in lines
    assert any(
        line.startswith(f"skipped {site / '2022-05-27-NW202205272391921713.md'}: no front matter")
        for line in lines
    )
    assert any(line.startswith(f"skipped {site / '2021-12-01-init.md'}: ") for line in lines)
    assert "read 7 posts" in result.stdout
    assert "4 articles (4 new, 0 updated, 0 unchanged)" in result.stdout
    assert "3 files skipped" in result.stdout
    with Store.open(db) as store:
        assert store.counts()["articles"] == 4


def test_media_names_differing_in_case_are_one_category(store: Store, tmp_path: Path) -> None:
    text = MEDIA_POST.replace("重庆日报", "TechWeb").replace("zhongqingribao", "TechWeb")
    write(tmp_path / "a", "2022-03-01-NW202203012300000001.md", text)
    write(tmp_path / "b", "2022-03-01-NW202203012300000001.md", text.replace("TechWeb", "Techweb"))
    import_posts(store, [tmp_path], NOW)
    assert store.article_categories("NW202203012300000001") == ["techweb"]
    assert store.article("NW202203012300000001")["media"] == "Techweb"  # the last path wins
