"""What the spider yields: plain dataclasses, normalized and stored by the pipelines."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ArticleItem:
    """One copy of an article, as read from an article page or the content API."""

    id: str  # infoCode: NW + the article code (18 digits, 17 before 2018)
    title: str
    body_html: str
    source_url: str  # the page or API answer it was read from
    url: str | None = None  # the article page
    share_url: str | None = None
    media: str | None = None
    published_raw: str | None = None  # the time exactly as the source wrote it
    # The time the list page or API record that led here showed (it may have the seconds
    # the article page rounds away).
    listed_time: str | None = None
    summary: str | None = None
    page_kind: str = "article"  # the kind of page it was read from (crawler.stats.KINDS)
    # Set by the normalize pipeline:
    published: str | None = None
    body_text: str = ""


@dataclass
class ListingItem:
    """An article seen on a column list page or in an API's records (the rolling news, a
    column API): makes it a member of that column.

    The one carrier of column membership: the article's own item never repeats it.
    """

    id: str
    column: str
    column_name: str
    url: str
