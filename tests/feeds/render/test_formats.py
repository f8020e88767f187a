"""Generated feeds parse back in every format and follow the validator's rules that matter."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import lxml.html
import pytest
from lxml import etree

from feeds.build import build_feeds
from tests import FIXTURES
from tests.feeds.support import BASE_URL, CAILIAN, article, make_store

GOLDEN = FIXTURES / "golden"
ATOM = "{http://www.w3.org/2005/Atom}"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0800$")  # fmt: skip
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+08:00$")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
HOSTILE_BODY = (
    '<p onclick="steal()">正文<script>alert("x")</script>'
    '<img src="https://img.example/a.png" onerror="alert(1)">'
    '<a href="javascript:alert(1)">坏链接</a><iframe src="https://evil.example/"></iframe>'
    '<style>p{}</style><a href="https://ok.example/?a=1&amp;b=2">好链接</a></p>'
)
NASTY_TITLE = "A&B <tag> \"quoted\" 'single' 😀 涨停\x00\x01\x1b\x7f"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("feeds")
    store = make_store(folder / "finews.db", count=5)
    store.save_articles(
        [
            article(
                50,
                day=9,
                title=NASTY_TITLE,
                summary="摘要\x08 & <b>不是标签</b>",
                media="财联社\x0c",
                body_html=HOSTILE_BODY,
                categories=[CAILIAN],
            )
        ],
        seen_at="2022-02-09T10:00:00+08:00",
    )
    build_feeds(store, folder / "out", BASE_URL, limit=3)
    store.close()
    return folder / "out"


def feed_files(out: Path) -> list[Path]:
    files = out.rglob("*")
    return sorted(p for p in files if p.suffix in (".xml", ".atom", ".json") and p.name[0] != ".")


def test_layout(out: Path) -> None:
    for name in ("all.xml", "all.atom", "all.json", "index.opml", "index.html"):
        assert (out / name).is_file()
    for kind, slug in (("category", "nanchangribao"), ("category", "kongbai"), ("column", "cywjh")):
        for ext in ("xml", "atom", "json"):
            assert (out / kind / f"{slug}.{ext}").is_file()
    assert (out / "archive" / "category" / "nanchangribao" / "1.atom").is_file()


@pytest.mark.parametrize(
    "name,golden",
    [
        ("category/nanchangribao.xml", "nanchangribao.xml"),
        ("category/nanchangribao.atom", "nanchangribao.atom"),
        ("category/nanchangribao.json", "nanchangribao.json"),
    ],
)
def test_golden(out: Path, name: str, golden: str) -> None:
    data = (out / name).read_bytes()
    if os.environ.get("FINEWS_UPDATE_GOLDEN"):
        (GOLDEN / golden).write_bytes(data)
    assert data == (GOLDEN / golden).read_bytes()


def test_feedparser_reads_every_feed_without_bozo(out: Path) -> None:
    for path in feed_files(out):
        if path.suffix == ".json":
            continue
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.feed.get("title"), path
        assert parsed.feed.get("language", "zh-cn").lower() == "zh-cn"
    rss = feedparser.parse((out / "category/nanchangribao.xml").read_bytes())
    assert rss.version == "rss20"
    assert [e.title for e in rss.entries] == [f"第{n}条新闻：A股 & 港股 <收盘>" for n in (5, 4, 3)]
    first = rss.entries[0]
    assert first.link == "https://finance.eastmoney.com/a/202202072267575205.html"
    assert first.id == "tag:finews.withounder.com,2021:NW202202072267575205"
    assert first.published == "Mon, 07 Feb 2022 09:05:43 +0800"
    assert first.author == "南昌日报"
    assert first.summary == "摘要 5"
    assert "<b>重要</b>" in first.content[0].value
    assert {t.term for t in first.tags} == {"南昌日报", "要闻精华"}
    atom = feedparser.parse((out / "category/nanchangribao.atom").read_bytes())
    assert atom.version == "atom10"
    assert atom.entries[0].published == "2022-02-07T09:05:43+08:00"
    assert atom.feed.updated == atom.entries[0].updated  # from the newest item, not the clock


def test_required_elements_dates_ids_and_links(out: Path) -> None:
    guids: set[str] = set()
    for path in feed_files(out):
        data = path.read_bytes()
        text = data.decode("utf-8")
        assert not CONTROL.search(text), path
        self_url = BASE_URL + path.relative_to(out).as_posix()
        if path.suffix == ".xml":
            channel = etree.fromstring(data).find("channel")
            for tag in ("title", "link", "description", "language"):
                assert channel.findtext(tag), (path, tag)
            assert channel.find(f"{ATOM}link[@rel='self']").get("href") == self_url
            items = channel.findall("item")
            dates = [channel.findtext("lastBuildDate")] if items else []
            for item in items:
                dates.append(item.findtext("pubDate"))
                assert item.find("guid").get("isPermaLink") == "false"
                assert item.findtext("link").startswith("https://")
            assert all(RFC822.match(d) for d in dates), dates
            ids = [item.findtext("guid") for item in items]
        elif path.suffix == ".atom":
            feed = etree.fromstring(data)
            for tag in ("id", "title", "updated", "author"):
                assert feed.find(ATOM + tag) is not None, (path, tag)
            links = {link.get("rel"): link.get("href") for link in feed.findall(ATOM + "link")}
            assert links["self"] == self_url
            assert all(href.startswith("http") for href in links.values())
            entries = feed.findall(ATOM + "entry")
            dates = [feed.findtext(ATOM + "updated")]
            for entry in entries:
                dates += [entry.findtext(ATOM + "updated"), entry.findtext(ATOM + "published")]
                assert entry.find(ATOM + "content") is not None
            assert all(RFC3339.match(d) for d in dates), dates
            updated = [entry.findtext(ATOM + "updated") for entry in entries]
            assert len(set(updated)) == len(updated)  # the validator warns on duplicates
            ids = [entry.findtext(ATOM + "id") for entry in entries]
        else:
            feed = json.loads(text)
            assert feed["version"] == "https://jsonfeed.org/version/1.1"
            assert feed["feed_url"] == self_url and feed["title"] and feed["language"] == "zh-CN"
            for item in feed["items"]:
                assert RFC3339.match(item["date_published"]) and RFC3339.match(
                    item["date_modified"]
                )
                assert item["content_html"]
            ids = [item["id"] for item in feed["items"]]
        assert len(set(ids)) == len(ids), path
        assert all(i.startswith("tag:finews.withounder.com,2021:NW") for i in ids)
        if path.parent.name == "category" or path.parent.name == "column":
            guids.update(ids)
    assert len(guids) == 5  # 3 newest of 南昌日报, 2 of 财联社


def test_rss_dates_match_atom_times(out: Path) -> None:
    rss = etree.parse(str(out / "all.xml")).getroot()
    atom = etree.parse(str(out / "all.atom")).getroot()
    rss_dates = [parsedate_to_datetime(i.findtext("pubDate")) for i in rss.iter("item")]
    atom_dates = [
        datetime.fromisoformat(e.findtext(ATOM + "published")) for e in atom.iter(ATOM + "entry")
    ]
    assert rss_dates == atom_dates
    assert rss_dates == sorted(rss_dates, reverse=True)


def test_empty_category_is_a_valid_feed(out: Path) -> None:
    for ext in ("xml", "atom"):
        parsed = feedparser.parse((out / f"category/kongbai.{ext}").read_bytes())
        assert not parsed.bozo and parsed.entries == [] and parsed.feed.title
    assert json.loads((out / "category/kongbai.json").read_text("utf-8"))["items"] == []


def test_hostile_html_and_control_characters(out: Path) -> None:
    for path in [*feed_files(out), out / "index.html", out / "index.opml"]:
        text = path.read_text("utf-8")
        for bad in ("<script", "&lt;script", "onerror", "onclick", "javascript:", "iframe"):
            assert bad not in text, (path, bad)
        if path.name != "index.html":  # the index has its own style sheet
            assert "&lt;style" not in text and "p{}" not in text
    entry = feedparser.parse((out / "category/cailianshe.atom").read_bytes()).entries[0]
    assert entry.title == "A&B <tag> \"quoted\" 'single' 😀 涨停"
    assert entry.author == "财联社"
    assert entry.summary == "摘要 & <b>不是标签</b>"
    assert 'href="https://ok.example/?a=1&amp;b=2"' in entry.content[0].value
    assert 'src="https://img.example/a.png"' in entry.content[0].value
    rss = feedparser.parse((out / "category/cailianshe.xml").read_bytes()).entries[0]
    assert rss.title == entry.title
    item = json.loads((out / "category/cailianshe.json").read_text("utf-8"))["items"][0]
    assert item["title"] == entry.title


def test_opml_and_index_list_every_category(out: Path) -> None:
    opml = etree.parse(str(out / "index.opml")).getroot()
    feeds = {o.get("xmlUrl"): o.get("text") for o in opml.iter("outline") if o.get("xmlUrl")}
    assert feeds[BASE_URL + "category/nanchangribao.xml"] == "南昌日报"
    assert feeds[BASE_URL + "column/cywjh.xml"] == "要闻精华"
    assert feeds[BASE_URL + "category/kongbai.xml"] == "空白日报"
    page = lxml.html.fromstring((out / "index.html").read_bytes())
    # Links into the folder are relative: the page works from disk and under any base URL.
    alternates = {a.get("title"): a.get("href") for a in page.iter("link") if a.get("title")}
    assert alternates["南昌日报"] == "category/nanchangribao.xml"
    card = page.get_element_by_id("media-nanchangribao")
    assert card.find(".//a[@class='name']").text == "南昌日报"
    assert "5 篇" in card.text_content()
    assert card.find(".//time").get("datetime") == "2022-02-07T09:05:43+08:00"
    assert [a.get("href") for a in card.iter("a")][-3:] == [
        "category/nanchangribao.xml",
        "category/nanchangribao.atom",
        "category/nanchangribao.json",
    ]
    assert page.get_element_by_id("column-cywjh") is not None
    assert page.get_element_by_id("media-kongbai") is not None
