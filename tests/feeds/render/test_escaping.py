"""Nothing from a source page can run in a reader: every field of RSS, Atom, JSON Feed and OPML,
fed ``<script>``, ``onerror=`` and ``javascript:`` through the whole build.

A field a format defines as HTML (RSS ``description`` and ``content:encoded``, Atom
``type="html"``, JSON Feed ``content_html``, OPML ``text``) is parsed as HTML, as a reader
would, and must hold no script, no event attribute and no ``javascript:`` link. A field
defined as plain text must come back as exactly the text stored."""

from __future__ import annotations

import html
import json
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from feeds.build import build_feeds
from storage import Category, Store
from tests.feeds.support import BASE_URL, article

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src="x" onerror="alert(2)">'
LINK = '<a href="javascript:alert(3)">看</a>'
HOSTILE = f"{SCRIPT} {IMG} {LINK}"
MEDIA = Category("kesi", f"可疑媒体 {SCRIPT}", "media")


def active_markup(fragment: str) -> list[str]:
    """What in ``fragment``, read as HTML, would run: script-like elements, event attributes,
    ``javascript:`` URLs."""
    found = []
    for node in lxml.html.fragments_fromstring(f"<div>{fragment}</div>")[0].iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in ("script", "iframe", "object", "embed", "style"):
            found.append(node.tag)
        for name, value in node.attrib.items():
            if name.startswith("on") or value.strip().lower().startswith("javascript:"):
                found.append(f"{node.tag} {name}={value}")
    return found


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    with Store.open(folder / "finews.db") as store:
        fields = {"title": f"标题 {HOSTILE}", "summary": f"摘要 {HOSTILE}", "media": MEDIA.name}
        store.save_articles(
            [
                # No body: the readers' fallbacks (description, content) get the summary.
                article(1, body_html="", body_text="", categories=[MEDIA], **fields),
                article(2, body_html=f"<p>正文 {HOSTILE}</p>", categories=[MEDIA], **fields),
            ],
            "2022-02-08T12:00:00+08:00",
        )
        build_feeds(store, folder / "out", BASE_URL, limit=10)
    return folder / "out"


def test_rss_fields_read_as_html_run_nothing_and_text_stays_text(out: Path) -> None:
    for item in etree.parse(str(out / "category/kesi.xml")).iter("item"):
        for html_field in (item.findtext("description"), item.findtext(f"{CONTENT}encoded")):
            if html_field is not None:
                assert active_markup(html_field) == [], html_field
        assert item.findtext("title") == f"标题 {HOSTILE}"
        assert item.findtext(f"{DC}creator") == MEDIA.name
        assert item.find("category").text == MEDIA.name
    descriptions = [
        item.findtext("description") for item in etree.parse(str(out / "all.xml")).iter("item")
    ]
    # The summary, escaped: a reader shows the characters.
    assert html.unescape(descriptions[0]) == f"摘要 {HOSTILE}"


def test_atom_fields_read_as_html_run_nothing_and_text_stays_text(out: Path) -> None:
    for entry in etree.parse(str(out / "category/kesi.atom")).iter(f"{ATOM}entry"):
        for node in entry.iter(f"{ATOM}content", f"{ATOM}summary", f"{ATOM}title"):
            if node.get("type") == "html":
                assert active_markup(node.text) == [], node.text
            else:
                assert node.text in (f"标题 {HOSTILE}", f"摘要 {HOSTILE}")
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == MEDIA.name
    bodiless = next(
        e
        for e in etree.parse(str(out / "all.atom")).iter(f"{ATOM}entry")
        if "201" in e.findtext(f"{ATOM}id")
    )
    content = bodiless.find(f"{ATOM}content")
    assert (content.get("type"), content.text) == ("text", f"摘要 {HOSTILE}")


def test_json_feed_fields_read_as_html_run_nothing_and_text_stays_text(out: Path) -> None:
    items = json.loads((out / "category/kesi.json").read_text("utf-8"))["items"]
    by_id = {item["id"][-2:]: item for item in items}
    assert "content_html" not in by_id["01"] and by_id["01"]["content_text"] == f"摘要 {HOSTILE}"
    assert active_markup(by_id["02"]["content_html"]) == []
    for item in items:
        assert item["title"] == f"标题 {HOSTILE}" and item["summary"] == f"摘要 {HOSTILE}"
        assert item["authors"] == [{"name": MEDIA.name}] and item["tags"] == [MEDIA.name]


def test_opml_names_read_as_html_run_nothing(out: Path) -> None:
    outlines = [o for o in etree.parse(str(out / "index.opml")).iter("outline") if o.get("xmlUrl")]
    suspicious = next(o for o in outlines if o.get("xmlUrl").endswith("category/kesi.xml"))
    assert active_markup(suspicious.get("text")) == []
    assert html.unescape(suspicious.get("text")) == suspicious.get("title") == MEDIA.name
    for outline in outlines:
        assert outline.get("xmlUrl").startswith(BASE_URL)
        assert outline.get("htmlUrl").startswith(BASE_URL)


def test_the_check_finds_what_would_run() -> None:
    # The oracle itself: each hostile piece is found when it is markup.
    assert active_markup(SCRIPT) == ["script"]
    assert active_markup(IMG) == ["img onerror=alert(2)"]
    assert active_markup(LINK) == ["a href=javascript:alert(3)"]
    assert active_markup(html.escape(HOSTILE)) == []
