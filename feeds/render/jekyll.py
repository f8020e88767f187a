"""Jekyll posts in the old site's current format (SOURCE.md §1): rows in, bytes out.

The layout below is what the old site's script wrote, byte for byte, so that exporting an
imported post reproduces it and ``git status`` in the Jekyll repository shows only real
changes. Nothing here opens the database or knows where files go.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Protocol

SITE = "//finews.withounder.com"
SHARE_URL = "http://finews.zning.xyz/html_News/NewsShare.html?infoCode={info_code}"
ARTICLE_URL = "http://finance.eastmoney.com/a/{code}.html"
ROLLING_SLUG = "emnews"
ROLLING_TAG = "东财滚动新闻"
HOME_LINK = f"[返回首页]({SITE}/)"
# Fullwidth vertical line, as the old site put between the two back links.
LINK_SEPARATOR = "｜"

# The old site wrote every date as China time, ``+0800``; the store keeps the same offset.
CHINA_OFFSET = timedelta(hours=8)
# NW + the article code: 18 digits, 17 for articles before 2018.
INFO_CODE = re.compile(r"NW[0-9]{17,18}")
# Characters that make a double-quoted YAML scalar mean something else than the title.
_NEEDS_QUOTING = re.compile(r'["\\]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SPACE = re.compile(r"\s+")


class PostArticle(Protocol):
    """What rendering needs of an article (``storage.jekyll_queries.ExportArticle`` fits)."""

    id: str
    title: str
    published: str  # ISO 8601, +08:00
    body_html: str
    summary: str | None
    url: str | None
    share_url: str | None


class PostCategory(Protocol):
    """What rendering needs of a category (``storage.Category`` fits)."""

    slug: str
    name: str


class UnsafeArticleError(ValueError):
    """The article's id cannot become a file name."""


def yaml_title(title: str) -> str:
    """The ``title:`` value: ``"<title>"`` unescaped, as the old site wrote it.

    The old site never escaped, which is valid YAML only while the title has no ``"``,
    ``\\`` or control character. Such titles (rare, or hostile) get the minimal quoting that
    keeps the front matter valid: single quotes (``'`` doubled) or, for a newline or other
    control character, a JSON-escaped double-quoted string (JSON strings are YAML).
    """
    if _CONTROL.search(title):
        return json.dumps(title, ensure_ascii=False)
    if _NEEDS_QUOTING.search(title):
        return "'" + title.replace("'", "''") + "'"
    return f'"{title}"'


def one_line(text: str) -> str:
    """A name put on one front-matter or link line: no newline can start a new key."""
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()


def post_date(published: str) -> datetime:
    """The article's time from the store's ISO text, in its own (+08:00) offset."""
    moment = datetime.fromisoformat(published)
    if moment.utcoffset() != CHINA_OFFSET:
        raise ValueError(f"time {published!r} is not in China time (+08:00)")
    return moment


def check_info_code(article_id: str) -> str:
    """The id if it is ``NW`` + 18 (or 17) ASCII digits; anything else never reaches a file
    name."""
    if not isinstance(article_id, str) or not INFO_CODE.fullmatch(article_id):
        raise UnsafeArticleError(
            f"article id {article_id!r} is not an infoCode (NW + 17 or 18 digits)"
        )
    return article_id


def media_post_name(article: PostArticle) -> str:
    """``<YYYY-MM-DD>-<infoCode>.md``, e.g. ``2022-02-07-NW202202072267575261.md``."""
    info_code = check_info_code(article.id)
    return f"{post_date(article.published):%Y-%m-%d}-{info_code}.md"


def rolling_post_name(article: PostArticle) -> str:
    """``<YYYY-MM-DD>-<code>.md``, e.g. ``2022-01-21-202201212257099936.md`` (the code has
    17 digits for articles before 2018)."""
    info_code = check_info_code(article.id)
    return f"{post_date(article.published):%Y-%m-%d}-{info_code[2:]}.md"


def _front_matter(article: PostArticle, slug: str, tag: str) -> str:
    return (
        "---\n"
        "layout: post\n"
        f"title: {yaml_title(article.title)}\n"
        f"date: {post_date(article.published):%Y-%m-%d %H:%M:%S +0800}\n"
        f"categories: {slug}\n"
        f"tags: {tag}\n"
        "---\n"
    )


def render_media_post(article: PostArticle, category: PostCategory) -> bytes:
    """The post of an article in its media category, with share link and back links.

    Without a ``share_url`` the share link is derived from the id; without a body the summary
    is written instead, as old digest-only posts had. ``category.slug`` must already be a
    safe slug.
    """
    info_code = check_info_code(article.id)
    name = one_line(category.name)
    body = article.body_html or _escape_text(article.summary or "")
    share_url = article.share_url or SHARE_URL.format(info_code=info_code)
    links = f"[返回{name}新闻]({SITE}/category/{category.slug}.html){LINK_SEPARATOR}{HOME_LINK}"
    text = (
        _front_matter(article, category.slug, f"{name}新闻")
        + f"{body}\n\n<{one_line(share_url)}>\n\n{links}"
    )
    return text.encode("utf-8")


def render_rolling_post(article: PostArticle) -> bytes:
    """The post of an article in the rolling-news category (``emnews``).

    A ``> digest`` line (the summary), the body, the article page URL, back links to
    ``/emnews/``. An article without a body (an old digest-only post) gets no body block.
    """
    info_code = check_info_code(article.id)
    summary = article.summary or ""
    digest = "\n".join(f"> {line}".rstrip() for line in summary.splitlines() or [""])
    url = article.url or ARTICLE_URL.format(code=info_code[2:])
    links = f"[返回{ROLLING_TAG}]({SITE}/{ROLLING_SLUG}/){LINK_SEPARATOR}{HOME_LINK}"
    body = article.body_html or ""
    parts = [digest, body, f"<{one_line(url)}>", links]
    text = _front_matter(article, ROLLING_SLUG, ROLLING_TAG) + "\n\n".join(p for p in parts if p)
    return text.encode("utf-8")


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
