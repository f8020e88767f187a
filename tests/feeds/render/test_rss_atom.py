"""RSS and Atom renderers: entry order, dates only from the entries, RFC 5005 archive pages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from lxml import etree

from feeds.render.atom import atom_feed
from feeds.render.model import FeedEntry, FeedInfo, guid_for, rfc822, rfc3339
from feeds.render.rss import rss_feed

ATOM = "{http://www.w3.org/2005/Atom}"
HISTORY = "http://purl.org/syndication/history/1.0"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
BASE = "http://127.0.0.1:8000/"
CHINA_TZ = timezone(timedelta(hours=8))
EMPTY_TIME = datetime(2021, 1, 1, tzinfo=CHINA_TZ)


def entry(number: int, minute: int) -> FeedEntry:
    published = datetime(2022, 2, 7, 9, minute, 43, tzinfo=CHINA_TZ)
    return FeedEntry(
        guid=guid_for(f"NW20220207{number:010d}"),
        title=f"第{number}条",
        link=f"https://finance.eastmoney.com/a/20220207{number:010d}.html",
        content_html=f"<p>正文 {number}</p>",
        summary=f"摘要 {number}",
        author="南昌日报",
        categories=(("nanchangribao", "南昌日报"), ("cywjh", "要闻精华")),
        published=published,
        updated=published.replace(microsecond=1000 + number),
    )


def info(**overrides: str) -> FeedInfo:
    return FeedInfo(
        feed_id="tag:finews.withounder.com,2021:category/nanchangribao",
        title="南昌日报新闻",
        description="南昌日报的财经新闻",
        self_url=BASE + "category/nanchangribao.atom",
        home_url=BASE + "index.html#media-nanchangribao",
        empty_updated=EMPTY_TIME,
        **overrides,
    )


# Not in time order on purpose: the renderers keep the order they are given.
ENTRIES = [entry(3, 30), entry(1, 10), entry(2, 20)]


def test_entries_keep_the_order_given() -> None:
    rss = etree.fromstring(rss_feed(info(), ENTRIES))
    atom = etree.fromstring(atom_feed(info(), ENTRIES))
    expected = [e.guid for e in ENTRIES]
    assert [item.findtext("guid") for item in rss.iter("item")] == expected
    assert [e.findtext(f"{ATOM}id") for e in atom.iter(f"{ATOM}entry")] == expected


def test_every_date_comes_from_the_entries_or_the_empty_feed_time() -> None:
    rss = etree.fromstring(rss_feed(info(), ENTRIES)).find("channel")
    assert rss.findtext("lastBuildDate") == rfc822(max(e.updated for e in ENTRIES))
    assert rss.findtext("pubDate") == rfc822(max(e.published for e in ENTRIES))
    assert [i.findtext("pubDate") for i in rss.iter("item")] == [
        rfc822(e.published) for e in ENTRIES
    ]
    atom = etree.fromstring(atom_feed(info(), ENTRIES))
    assert atom.findtext(f"{ATOM}updated") == rfc3339(max(e.updated for e in ENTRIES))
    for node, source in zip(atom.iter(f"{ATOM}entry"), ENTRIES, strict=True):
        assert node.findtext(f"{ATOM}updated") == rfc3339(source.updated)  # microseconds kept
        assert node.findtext(f"{ATOM}published") == rfc3339(source.published)
    # An empty feed has no entry to take a time from: the fixed time, never the clock.
    empty_rss = etree.fromstring(rss_feed(info(), [])).find("channel")
    assert empty_rss.findtext("lastBuildDate") == "Fri, 01 Jan 2021 00:00:00 +0800"
    assert empty_rss.find("pubDate") is None
    empty_atom = etree.fromstring(atom_feed(info(), []))
    assert empty_atom.findtext(f"{ATOM}updated") == "2021-01-01T00:00:00+08:00"


def test_same_entries_give_the_same_bytes() -> None:
    assert rss_feed(info(), ENTRIES) == rss_feed(info(), list(ENTRIES))
    page = info(current_url=BASE + "c.atom", next_archive=BASE + "3.atom")
    assert atom_feed(page, ENTRIES, archive=True) == atom_feed(page, list(ENTRIES), archive=True)


def test_rss_channel_link_author_content_and_generator() -> None:
    data = rss_feed(info(), ENTRIES)
    channel = etree.fromstring(data).find("channel")
    # feedgen makes the last link it was given the channel link: the home page, not self.
    assert channel.findtext("link") == BASE + "index.html#media-nanchangribao"
    assert channel.find(f"{ATOM}link[@rel='self']").get("href") == info().self_url
    assert channel.findtext("generator") == "finews"
    assert channel.findtext("docs") == "https://www.rssboard.org/rss-specification"
    assert channel.findtext("language") == "zh-cn"
    item = channel.find("item")
    assert item.find("author") is None  # RSS author would need an e-mail address
    assert item.findtext(f"{DC}creator") == "南昌日报"
    assert item.findtext(f"{CONTENT}encoded") == "<p>正文 3</p>"
    assert item.findtext("description") == "摘要 3"
    assert [c.text for c in item.findall("category")] == ["南昌日报", "要闻精华"]
    assert item.find("guid").get("isPermaLink") == "false"
    assert b"feedgen" not in data


def test_atom_feed_and_entry_elements() -> None:
    data = atom_feed(info(), ENTRIES)
    feed = etree.fromstring(data)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
    generator = feed.find(f"{ATOM}generator")
    assert (generator.text, dict(generator.attrib)) == ("finews", {})
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": info().self_url, "alternate": info().home_url}
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "finews"
    node = feed.find(f"{ATOM}entry")
    # A link without rel is the alternate link (RFC 4287, 4.2.7.2).
    [link] = node.findall(f"{ATOM}link")
    assert link.get("rel", "alternate") == "alternate" and link.get("href") == ENTRIES[0].link
    assert node.findtext(f"{ATOM}author/{ATOM}name") == "南昌日报"
    categories = [(c.get("term"), c.get("label")) for c in node.findall(f"{ATOM}category")]
    assert categories == [("nanchangribao", "南昌日报"), ("cywjh", "要闻精华")]
    assert node.find(f"{ATOM}summary").get("type") == "text"
    content = node.find(f"{ATOM}content")
    assert (content.get("type"), content.text) == ("html", "<p>正文 3</p>")
    assert b"feedgen" not in data


def test_only_archive_pages_carry_fh_archive_current_and_next_archive() -> None:
    paged = info(
        prev_archive=BASE + "archive/1.atom",
        current_url=BASE + "category/nanchangribao.atom",
        next_archive=BASE + "archive/3.atom",
    )
    page = etree.fromstring(atom_feed(paged, ENTRIES, archive=True))
    assert page.find(f"{{{HISTORY}}}archive") is not None
    rels = {link.get("rel"): link.get("href") for link in page.findall(f"{ATOM}link")}
    assert rels["current"] == BASE + "category/nanchangribao.atom"
    assert rels["prev-archive"] == BASE + "archive/1.atom"
    assert rels["next-archive"] == BASE + "archive/3.atom"
    assert all(link.get("type") == "application/atom+xml" for link in page.findall(f"{ATOM}link")
               if link.get("rel") != "alternate")  # fmt: skip

    subscription = etree.fromstring(atom_feed(paged, ENTRIES))
    assert subscription.find(f"{{{HISTORY}}}archive") is None
    assert HISTORY not in subscription.nsmap.values()
    rels = {link.get("rel") for link in subscription.findall(f"{ATOM}link")}
    assert rels == {"self", "alternate", "prev-archive"}
    assert HISTORY.encode() not in rss_feed(paged, ENTRIES)


def test_an_entry_without_body_or_summary_still_has_content() -> None:
    bare = FeedEntry(
        guid=guid_for("NW202202070000000009"),
        title="只有标题",
        link=None,
        content_html="",
        summary="",
        author=None,
        categories=(),
        published=datetime(2022, 2, 7, 9, 0, tzinfo=CHINA_TZ),
        updated=datetime(2022, 2, 7, 9, 0, tzinfo=CHINA_TZ) + timedelta(microseconds=5),
    )
    node = etree.fromstring(atom_feed(info(), [bare])).find(f"{ATOM}entry")
    content = node.find(f"{ATOM}content")
    assert (content.get("type"), content.text) == ("text", "只有标题")
    assert node.find(f"{ATOM}summary") is None and node.find(f"{ATOM}link") is None
    item = etree.fromstring(rss_feed(info(), [bare])).find("channel/item")
    assert item.findtext("description") == "只有标题"
    assert item.find(f"{CONTENT}encoded") is None and item.find("link") is None
