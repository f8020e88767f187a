"""The front page: escaping of every text it shows, relative links, sparklines, repeatability."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import lxml.html

from feeds.build import build_feeds
from feeds.render.index_html import Card, Headline, IndexPage, index_page
from feeds.render.model import FeedLink, SiteInfo
from storage.records import Category
from storage.times import CHINA_TZ
from tests.feeds.support import article, make_store

HOSTILE = [
    "<script>alert(1)</script>",
    '" onerror="alert(2)',
    "<img src=x onerror=alert(3)>",
    "javascript:alert(4)",
]


def _dangers(page: lxml.html.HtmlElement) -> list[str]:
    found = [f"<{e.tag}>" for e in page.iter("script", "img", "iframe", "object", "embed")]
    for element in page.iter():
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{element.tag} {name}=")
            if name in ("href", "src") and value.strip().lower().startswith("javascript:"):
                found.append(f"{element.tag} {name}={value}")
    return found


def test_every_text_the_page_shows_is_escaped(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=1)
    records = []
    for number, text in enumerate(HOSTILE, start=10):
        category = Category(f"bad{number}", text, "media")
        records.append(
            article(
                number,
                title=text,
                media=text,
                url="javascript:alert(5)",
                share_url="javascript:alert(6)",
                body_html=f"<p>恶意{text}</p>",
                body_text=f"恶意{text}",
                categories=[category],
            )
        )
    store.save_articles(records, "2022-02-08T12:00:00+08:00")
    out = tmp_path / "out"
    build_feeds(
        store, out, "https://feeds.example.org/", limit=5, searches=(("bad", "恶意 OR script"),)
    )
    raw = (out / "index.html").read_text("utf-8")
    page = lxml.html.fromstring(raw)
    assert _dangers(page) == []
    texts = page.text_content()
    for text in HOSTILE:
        # Shown as the text it is: in the headlines, as a category name and as its media.
        assert texts.count(text) >= 3, text
    # An article whose only links are javascript: is shown without a link.
    latest = page.find(".//ol[@class='latest']")
    assert HOSTILE[0] in latest.text_content()
    assert all(a.get("href").startswith("https://") for a in latest.iter("a"))
    assert "恶意 OR script" in page.get_element_by_id("search-bad").text_content()


def test_links_into_the_folder_are_relative(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=3)
    out = tmp_path / "out"
    build_feeds(store, out, "https://feeds.example.org/sub/dir/", limit=5)
    page = lxml.html.fromstring((out / "index.html").read_bytes())
    hrefs = [a.get("href") for a in page.iter("a", "link") if a.get("href")]
    inside = [href for href in hrefs if not href.startswith("https://finance.eastmoney.com/")]
    assert inside and all("://" not in href and not href.startswith("/") for href in inside)
    assert "health.atom" in inside  # an operator finds the crawl's health feed there
    for href in inside:
        assert (out / href).is_file(), href


def test_sparklines_count_articles_per_day_up_to_the_newest_day(tmp_path: Path) -> None:
    store = make_store(tmp_path / "finews.db", count=3)  # 3 on 2022-02-07, 1 on 02-08
    store.save_articles(
        [article(n, day=20) for n in (30, 31)], "2022-02-20T12:00:00+08:00"
    )  # 2 on 02-20: the newest day
    out = tmp_path / "out"
    build_feeds(store, out, "https://feeds.example.org/", limit=5)
    page = lxml.html.fromstring((out / "index.html").read_bytes())
    card = page.get_element_by_id("media-nanchangribao")
    svg = card.find(".//svg")
    label = svg.get("aria-label")
    assert "截至 2022-02-20" in label and "共 5 篇" in label and "最多 3 篇" in label
    points = [tuple(map(float, p.split(","))) for p in svg.find("polyline").get("points").split()]
    assert len(points) == 30
    heights = [27 - y for _, y in points]  # 30 days ending 02-20: 02-07 is the 17th
    assert heights[16] == max(heights) and heights[29] > 0 and heights[28] == 0
    # The same store gives the same bytes (the days end at the newest article, not today).
    again = tmp_path / "again"
    build_feeds(store, again, "https://feeds.example.org/", limit=5)
    assert (again / "index.html").read_bytes() == (out / "index.html").read_bytes()


def test_the_page_uses_a_cjk_font_stack_and_no_script() -> None:
    when = datetime(2022, 2, 7, 9, 9, tzinfo=CHINA_TZ)
    link = FeedLink(
        "a", "甲", "media", 1, when, "https://x/a.xml", "https://x/a.atom", "https://x/a.json"
    )
    page = IndexPage(
        site=SiteInfo(
            "标题",
            "https://x/",
            "https://x/all.xml",
            "https://x/all.atom",
            "https://x/all.json",
            [link],
        ),
        headlines=[Headline("新闻", "https://finance.eastmoney.com/a/1.html", "媒体", when)],
        cards=[Card(link, per_day=(0, 1, 2))],
        last_day=date(2022, 2, 7),
    )
    html = index_page(page).decode("utf-8")
    assert '"PingFang SC"' in html and '"Microsoft YaHei"' in html and '"Noto Sans CJK SC"' in html
    assert "<script" not in html
