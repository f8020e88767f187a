"""The front page: the newest headlines, then every category and saved search with its feeds.

One HTML5 file, no script, no external resource: styles inline, each category's articles per
day for 30 days as an inline SVG sparkline. Every link to a file of the feeds folder is
relative, so the folder works opened from disk and served under any base URL; article links
are the articles' own absolute http(s) URLs. Every text is escaped; a link that is not
http(s) is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from feeds.render.model import FeedLink, SiteInfo, rfc3339

KIND_HEADINGS = {"media": "媒体", "column": "栏目", "search": "搜索"}
DAYS = 30
_FONTS = (
    '-apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei",'
    '"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Segoe UI",sans-serif'
)
_STYLE = (
    "*{box-sizing:border-box}"
    f"body{{margin:0;font-family:{_FONTS};line-height:1.6;color:#1f2328;background:#f6f7f9}}"
    "header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}"
    "header{padding-top:1rem}h1{font-size:1.6rem;margin:.5rem 0}"
    "h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #c8102e}"
    "a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}"
    "a,span,li,p{overflow-wrap:anywhere}"
    ".feeds a{margin-right:.6em;white-space:nowrap}.feeds{font-size:.9rem}"
    "ol.latest{padding-left:1.6rem;margin:0}ol.latest li{margin:.35rem 0}"
    ".meta{color:#656d76;font-size:.85rem;margin-left:.4em}"
    "ul.cards{list-style:none;padding:0;margin:0;display:grid;gap:.75rem;"
    "grid-template-columns:repeat(auto-fill,minmax(min(100%,17rem),1fr))}"
    ".card{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:.6rem .75rem;"
    "min-width:0}"
    ".card .name{font-weight:600}.count{color:#656d76;font-size:.85rem;margin-left:.4em}"
    ".card .headline{display:block;font-size:.92rem;margin:.2rem 0}.card .meta{margin-left:0}"
    ".spark{display:block;width:100%;height:28px;margin:.2rem 0}"
    "footer{color:#656d76;font-size:.85rem;padding:2rem 1rem}"
)


@dataclass(frozen=True)
class Headline:
    """An article as the page names it."""

    title: str
    link: str | None  # the article's own page, absolute http(s)
    media: str | None
    published: datetime


@dataclass(frozen=True)
class Card:
    """A category or saved search (``feed.name`` its query): its feeds, newest article and
    articles per day."""

    feed: FeedLink
    newest: Headline | None = None
    per_day: tuple[int, ...] = ()  # the last DAYS days, oldest first; empty: no sparkline


@dataclass(frozen=True)
class IndexPage:
    site: SiteInfo
    headlines: Sequence[Headline] = ()
    cards: Sequence[Card] = ()
    last_day: date | None = None  # the day the sparklines end (the newest article's)
    opml_url: str = "index.opml"
    # The crawl's own health: runs in which a kind of page stopped matching.
    health_url: str = "health.atom"


def index_page(page: IndexPage) -> bytes:
    """The page's HTML (UTF-8). The same data gives the same bytes."""
    site = page.site
    base = site.base_url
    title = escape(site.title)
    lines = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
    ]
    alternates = [
        ("application/rss+xml", site.title, site.all_rss_url),
        ("application/atom+xml", site.title, site.all_atom_url),
        ("application/feed+json", site.title, site.all_json_url),
    ] + [("application/rss+xml", card.feed.name, card.feed.rss_url) for card in page.cards]
    for kind, name, url in alternates:
        lines.append(
            f'<link rel="alternate" type="{kind}" title="{_attr(name)}"'
            f' href="{_attr(_relative(url, base))}">'
        )
    lines += [
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{title}</h1>",
        '<p class="feeds">全部文章： '
        + _feed_links(site.all_rss_url, site.all_atom_url, site.all_json_url, base)
        + f'<a href="{_attr(page.opml_url)}">OPML</a> · '
        + f'<a href="{_attr(page.health_url)}">抓取健康</a></p>',
        "</header>",
        "<main>",
    ]
    if page.headlines:
        lines += ['<section aria-labelledby="latest">', '<h2 id="latest">最新</h2>']
        lines.append('<ol class="latest">')
        lines += [f"<li>{_headline(h, 'title')}</li>" for h in page.headlines]
        lines += ["</ol>", "</section>"]
    for kind, heading in KIND_HEADINGS.items():
        cards = [card for card in page.cards if card.feed.kind == kind]
        if not cards:
            continue
        lines += [
            f'<section aria-labelledby="{kind}">',
            f'<h2 id="{kind}">{heading}<span class="count">{len(cards)}</span></h2>',
            '<ul class="cards">',
        ]
        lines += [_card(card, base, page.last_day) for card in cards]
        lines += ["</ul>", "</section>"]
    lines += [
        "</main>",
        "<footer>由 finews 生成：东方财富的财经新闻，按媒体与栏目订阅。</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _card(card: Card, base: str, last_day: date | None) -> str:
    feed = card.feed
    name = escape(feed.name)
    target = _relative(feed.atom_url, base)
    parts = [
        f'<li class="card" id="{_attr(feed.kind)}-{_attr(feed.slug)}">',
        f'<a class="name" href="{_attr(target)}">{name}</a>',
    ]
    if feed.kind == "search":
        parts.append(f'<span class="count">{escape(feed.slug)}</span>')
    else:
        parts.append(f'<span class="count">{feed.count} 篇</span>')
    if card.per_day:
        parts.append(_sparkline(card.per_day, last_day))
    if card.newest:
        parts.append(_headline(card.newest, "headline"))
    parts.append(
        '<div class="feeds">' + _feed_links(feed.rss_url, feed.atom_url, feed.json_url, base)
    )
    parts.append("</div></li>")
    return "".join(parts)


def _headline(headline: Headline, css: str) -> str:
    when = rfc3339(headline.published)
    text = escape(headline.title)
    link = headline.link if _is_http(headline.link) else None
    title = f'<a class="{css}" href="{_attr(link)}">{text}</a>' if link else text
    media = f"{escape(headline.media)} · " if headline.media else ""
    shown = headline.published.strftime("%m-%d %H:%M")
    return f'{title}<span class="meta">{media}<time datetime="{when}">{shown}</time></span>'


def _sparkline(per_day: Sequence[int], last_day: date | None) -> str:
    """Articles per day as a line, highest day at the top; described for screen readers."""
    top = max(per_day) or 1
    step = 100 / max(1, len(per_day) - 1)
    points = " ".join(
        f"{index * step:.1f},{27 - 25 * count / top:.1f}" for index, count in enumerate(per_day)
    )
    until = f"，截至 {last_day.isoformat()}" if last_day else ""
    label = (
        f"最近 {len(per_day)} 天每天的文章数{until}：最多 {max(per_day)} 篇，共 {sum(per_day)} 篇"
    )
    return (
        f'<svg class="spark" viewBox="0 0 100 28" preserveAspectRatio="none" role="img"'
        f' aria-label="{_attr(label)}"><title>{escape(label)}</title>'
        f'<polyline points="{points}" fill="none" stroke="#c8102e" stroke-width="1.5"'
        ' vector-effect="non-scaling-stroke"/></svg>'
    )


def _feed_links(rss: str, atom: str, json_feed: str, base: str) -> str:
    return "".join(
        f'<a href="{_attr(_relative(url, base))}">{label}</a>'
        for label, url in (("RSS", rss), ("Atom", atom), ("JSON", json_feed))
    )


def _relative(url: str, base: str) -> str:
    """A file of the feeds folder, relative to the folder (where index.html is)."""
    return url[len(base) :] if url.startswith(base) else url


def _is_http(url: str | None) -> bool:
    return bool(url) and url.lower().startswith(("http://", "https://"))


def _attr(value: str) -> str:
    return escape(value, quote=True)
