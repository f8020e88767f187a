"""The data of the front page (index.html), gathered from a build and two store queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from feeds.render.index_html import DAYS, Card, Headline, IndexPage
from feeds.render.model import FeedEntry, SiteInfo, rfc3339
from feeds.searches import SavedSearch
from storage import index_queries
from storage.store import Store
from storage.times import parse_stored_time

HEADLINES = 20


def headline_state(entry: FeedEntry) -> dict[str, Any]:
    """A category's newest article as the build state keeps it (for unchanged categories)."""
    return {
        "title": entry.title,
        "link": entry.link,
        "media": entry.author,
        "published": rfc3339(entry.published),
    }


def _headline(entry: FeedEntry) -> Headline:
    return Headline(entry.title, entry.link, entry.author, entry.published)


def _stored_headline(state: dict[str, Any] | None) -> Headline | None:
    published = parse_stored_time((state or {}).get("published"))
    if state is None or published is None:
        return None
    return Headline(state["title"], state.get("link"), state.get("media"), published)


def front_page(
    store: Store,
    site: SiteInfo,
    newest: Sequence[FeedEntry],
    categories: dict[str, Any],
    searches: Sequence[SavedSearch],
) -> IndexPage:
    """The newest headlines, then each category (most articles first) and saved search.

    ``categories`` is the build state per slug; the sparklines end at the newest article's
    day, never the clock, so the same store gives the same page.
    """
    last_day = index_queries.newest_day(store)
    per_day = index_queries.articles_per_day(store, last_day, DAYS) if last_day else {}
    cards = [
        Card(
            feed=link,
            newest=_stored_headline(categories.get(link.slug, {}).get("headline")),
            per_day=per_day.get(link.slug, (0,) * DAYS) if last_day else (),
        )
        for link in site.links
        if link.kind != "search"
    ]
    cards.sort(key=lambda card: (-card.feed.count, card.feed.slug))
    cards += [Card(feed=s.link, newest=_headline(s.newest) if s.newest else None) for s in searches]
    return IndexPage(
        site=site,
        headlines=[_headline(entry) for entry in newest[:HEADLINES]],
        cards=cards,
        last_day=last_day,
    )
