"""Read the old site's Jekyll posts (every format it ever wrote) into the store.

A post is parsed on its own into a :class:`ParsedPost` or a :class:`Rejected` with the reason.
The rolling-news post (``emnews``) and the media post of one article are twins: they are
merged into one :class:`ArticleRecord` in both categories before saving. Posts are read in
order of the article code in their file name, so twins meet without holding every post of
the repository in memory.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from pathlib import Path

from crawler.parsing.content import clean_body_html, html_to_text, media_from_text, summarize
from crawler.parsing.dates import DateParseError, parse_china_time
from storage import ArticleRecord, Category, Store
from storage.slugs import slugify
from storage.times import CHINA_TZ, isoformat_china

ROLLING = Category("emnews", "东财滚动新闻", "column")
# Jekyll reads .md and .markdown; the old site's seed post was kept as a .txt file.
POST_SUFFIXES = (".md", ".markdown", ".txt")
BATCH_SIZE = 1000

_FRONT_MATTER_END = re.compile(r"^---[ \t]*(?:\n|\Z)", re.M)
# Article codes have 18 digits, 17 before 2018 (files finews exported for those).
_NAME_INFO_CODE = re.compile(r"NW([0-9]{17,18})(?![0-9])")
_NAME_CODE = re.compile(r"-([0-9]{17,18})\.[A-Za-z]+$")
_SHARE_CODE = re.compile(r"infoCode=NW([0-9]{17,18})(?![0-9])")
_PAGE_CODE = re.compile(r"/(?:news/[0-9]+,|a/)([0-9]{17,18})\.html")
_BACK_LINK = re.compile(r"^\s*(?:\[返回[^\]]*\]\([^)]*\)\s*[｜|]?\s*)+$")
_CURRENT_BACK_LINKS = re.compile(r"^\[返回[^\]]*\]\(//[^)]*\)｜\[返回首页\]\(//[^)]*\)$")
_LINK_LINE = re.compile(r"^\s*<?(https?://[^\s<>]+)>?\s*$")
_HTML_TAG = re.compile(r"<[A-Za-z!/]")
_OFFSET = re.compile(r"(?:[+-][0-9]{2}:?[0-9]{2}|Z)$")
# The two date forms the old site wrote, read without dateutil (it costs ~40% of an import).
_POST_DATE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})(?: \+0800)?"
)


@dataclass(frozen=True)
class ParsedPost:
    """What one post file says about its article."""

    path: str
    kind: str  # "media" or "rolling"
    article_id: str  # NW + the article code
    title: str
    published: str  # ISO 8601, +08:00
    slug: str  # the post's own ``categories:`` value, as written
    media: str | None  # from tags: (media post); a rolling post's is read when merging
    body_html: str  # cleaned (clean_body_html); "" for a digest-only post
    summary: str | None  # the ``> digest`` line, or the whole body of a digest-only post
    link: str | None  # share link (media post) or article page URL (rolling post)
    current_format: bool  # written by the old site's last version (+0800, one-line links)


@dataclass(frozen=True)
class Rejected:
    """A file that cannot be imported, and why."""

    path: str
    reason: str


@dataclass
class ImportResult:
    posts: int = 0  # files read
    articles: int = 0  # records saved (one per article)
    twins: int = 0  # articles built from a rolling-news post and its media twin
    duplicates: int = 0  # extra copies of a post of the same kind (e.g. _posts and old_post)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    # Old category slug -> finews's slug, where finews's pinyin fixes the old one.
    renamed_slugs: dict[str, str] = field(default_factory=dict)


def parse_post(data: bytes, path: str, now: datetime) -> ParsedPost | Rejected:
    """Parse one post file. ``now`` is only needed for dates without a year (none seen)."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return Rejected(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    text = text.replace("\r\n", "\n")
    # Some runs of the old script wrote a blank line before the opening ---.
    text = text.lstrip(" \t\n")
    if not text.startswith("---\n"):
        return Rejected(path, "no front matter (the file does not start with ---)")
    end = _FRONT_MATTER_END.search(text, 4)
    if end is None:
        return Rejected(path, "no front matter (no closing ---)")
    meta = _front_matter(text[4 : end.start()])
    rest = text[end.end() :]

    title = _yaml_scalar(meta.get("title", ""))
    if not title.strip():
        return Rejected(path, "empty title")
    date_text = _yaml_scalar(meta.get("date", ""))
    if not date_text:
        return Rejected(path, "empty date")
    try:
        published = _published(date_text, now)
    except DateParseError as exc:
        return Rejected(path, f"unreadable date {date_text!r} ({exc})")

    slug = _yaml_scalar(meta.get("categories", ""))
    tag = _yaml_scalar(meta.get("tags", ""))
    kind = "rolling" if slug == ROLLING.slug or tag == ROLLING.name else "media"
    body, link, current_links = _split_tail(rest)

    article_id = _article_id(path, link, body)
    if article_id is None:
        return Rejected(
            path, "no East Money article code in the file name or links (not an article)"
        )

    summary: str | None = None
    if kind == "rolling":
        summary, body = _split_digest(body)
    if not _HTML_TAG.search(body):
        # A digest-only post: the old site had no article body, only its digest.
        summary = summary or _join_lines(body) or None
        body = ""
    body_html = clean_body_html(body) if body else ""

    media = None
    if kind == "media":
        media = tag.removesuffix("新闻").strip() or _media_of(html_to_text(body_html))
        if not media:
            return Rejected(path, "no media name (empty tags: and no source line)")
    return ParsedPost(
        path=path,
        kind=kind,
        article_id=article_id,
        title=title,
        published=published,
        slug=slug,
        media=media,
        body_html=body_html,
        summary=summary,
        link=link,
        current_format=current_links and bool(_OFFSET.search(date_text)),
    )


def _published(text: str, now: datetime) -> str:
    match = _POST_DATE.fullmatch(text)
    if match:
        try:
            moment = datetime(*(int(part) for part in match.groups()), tzinfo=CHINA_TZ)
        except ValueError as exc:
            raise DateParseError(f"not a date: {text!r}") from exc
        return isoformat_china(moment)
    return isoformat_china(parse_china_time(text, now))


def _front_matter(block: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in block.split("\n"):
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key and key not in meta:
            meta[key] = value.strip()
    return meta


def _yaml_scalar(value: str) -> str:
    """The old site wrote ``"<title>"`` without escaping; finews's export escapes only
    titles with a control character (as JSON) and single-quotes ones with ``"`` or ``\\``.
    """
    if len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        if "\\" in inner:
            try:
                decoded = json.loads(value)
            except ValueError:
                return inner
            # Only finews writes escapes, and only for control characters.
            if isinstance(decoded, str) and re.search(r"[\x00-\x1f\x7f\u2028\u2029]", decoded):
                return decoded
        return inner
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def _split_tail(rest: str) -> tuple[str, str | None, bool]:
    """Body, the share or page link, and whether back links were on one current-form line."""
    lines = rest.split("\n")
    _drop_blank_tail(lines)
    current_links = bool(lines) and bool(_CURRENT_BACK_LINKS.match(lines[-1]))
    while lines and _BACK_LINK.match(lines[-1]):
        lines.pop()
        _drop_blank_tail(lines)
    link = None
    if lines:
        match = _LINK_LINE.match(lines[-1])
        if match:
            link = match.group(1)
            lines.pop()
            _drop_blank_tail(lines)
    return "\n".join(lines).lstrip("\n"), link, current_links


def _drop_blank_tail(lines: list[str]) -> None:
    while lines and not lines[-1].strip():
        lines.pop()


def _split_digest(body: str) -> tuple[str | None, str]:
    """A rolling post starts with ``> digest`` lines, then a blank line and the article."""
    lines = body.split("\n")
    digest = []
    while lines and lines[0].startswith(">"):
        digest.append(lines.pop(0)[1:].removeprefix(" ").rstrip())
    if not digest:
        return None, body
    return "\n".join(digest).strip() or None, "\n".join(lines).lstrip("\n")


def _join_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _media_of(body_text: str) -> str | None:
    # Only the last line: "来源：" inside a paragraph is prose, not the source line.
    last_line = body_text.rsplit("\n", 1)[-1]
    return media_from_text(last_line) if last_line else None


def _article_id(path: str, link: str | None, body: str) -> str | None:
    code = name_code(path)
    if code:
        return code
    # The seed post's file name has no code; its share link has.
    for pattern in (_SHARE_CODE, _PAGE_CODE):
        match = pattern.search(link or "") or pattern.search(body)
        if match:
            return "NW" + match.group(1)
    return None


def name_code(path: str) -> str | None:
    """The article id a post's file name gives, if any (used to read twins together)."""
    name = os.path.basename(path)
    for pattern in (_NAME_INFO_CODE, _NAME_CODE):
        match = pattern.search(name)
        if match:
            return "NW" + match.group(1)
    return None


def merge_posts(posts: list[ParsedPost]) -> tuple[ArticleRecord, bool]:
    """One record from all the posts of one article; True when rolling and media twins met.

    Media post: body, media, share link, media category. Rolling post: digest as summary,
    page URL, the ``emnews`` category. Of several posts of the same kind the most complete
    one wins (a body, the current format, then the last path), so the result never depends
    on the order files were found in.
    """
    media_posts = [p for p in posts if p.kind == "media"]
    rolling_posts = [p for p in posts if p.kind == "rolling"]
    media = max(media_posts, key=_completeness, default=None)
    rolling = max(rolling_posts, key=_completeness, default=None)
    main = media or rolling
    assert main is not None, "merge_posts needs at least one post"

    body_html = main.body_html or (rolling.body_html if rolling else "")
    body_text = html_to_text(body_html)
    # One category per slug (TechWeb and Techweb are one); the chosen post names it.
    by_slug: dict[str, Category] = {}
    for post in sorted(media_posts, key=lambda p: (p is media, p.path)):
        if post.media:
            by_slug[slugify(post.media)] = Category(slugify(post.media), post.media, "media")
    categories = [by_slug[slug] for slug in sorted(by_slug)]
    if rolling:
        categories.append(ROLLING)
    record = ArticleRecord(
        id=main.article_id,
        title=main.title,
        published=main.published,
        body_html=body_html,
        body_text=body_text,
        url=rolling.link if rolling else None,
        share_url=media.link if media else None,
        # Without a media post, the （文章来源：…） line of the rolling post's body.
        media=main.media or _media_of(body_text),
        # Computed here when no post gives one, as for a crawled article: feeds read it.
        summary=(rolling.summary if rolling else None) or main.summary or summarize(body_text),
        categories=categories,
        # The post's own date: importing the same posts again changes no "last seen".
        seen_at=main.published,
    )
    return record, bool(media and rolling)


def _completeness(post: ParsedPost) -> tuple[bool, bool, str]:
    return (bool(post.body_html), post.current_format, post.path)


def find_posts(dirs: Iterable[str | Path]) -> list[str]:
    """Every post file under the folders (hidden folders such as .git skipped), sorted."""
    found: set[str] = set()
    for root in dirs:
        root = str(root)
        if os.path.isfile(root):
            found.add(os.path.abspath(root))
            continue
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            found.update(
                os.path.abspath(os.path.join(folder, name))
                for name in files
                if name.endswith(POST_SUFFIXES) and not name.startswith(".")
            )
    return sorted(found)


def read_articles(
    paths: list[str],
    now: datetime,
    result: ImportResult,
    on_reject: Callable[[Rejected], None] | None = None,
) -> Iterator[ArticleRecord]:
    """Parse the posts and yield one merged record per article.

    Files named after their article are read in order of that code, so the posts of one
    article come together; the few without a code in the name (like the seed post) are
    parsed first and kept aside until their article's turn.
    """
    unnamed: dict[str, list[ParsedPost]] = {}
    named = []
    for path in paths:
        code = name_code(path)
        if code is None:
            post = _read(path, now, result, on_reject)
            if post is not None:
                unnamed.setdefault(post.article_id, []).append(post)
        else:
            named.append((code, path))
    named.sort()
    for code, group in groupby(named, key=lambda item: item[0]):
        posts = [p for _, path in group if (p := _read(path, now, result, on_reject))]
        posts.extend(unnamed.pop(code, []))
        if posts:
            yield _merged(posts, result)
    for code in sorted(unnamed):
        yield _merged(unnamed[code], result)


def _read(
    path: str, now: datetime, result: ImportResult, on_reject: Callable[[Rejected], None] | None
) -> ParsedPost | None:
    result.posts += 1
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        parsed: ParsedPost | Rejected = Rejected(path, f"cannot read: {exc.strerror or exc}")
    else:
        parsed = parse_post(data, path, now)
    if isinstance(parsed, Rejected):
        result.rejected.append(parsed)
        if on_reject:
            on_reject(parsed)
        return None
    return parsed


def _merged(posts: list[ParsedPost], result: ImportResult) -> ArticleRecord:
    record, twins = merge_posts(posts)
    result.twins += twins
    kinds = {p.kind for p in posts}
    result.duplicates += len(posts) - len(kinds)
    for post in posts:
        if post.kind == "media" and post.media and post.slug:
            new_slug = slugify(post.media)
            if new_slug != post.slug:
                result.renamed_slugs[post.slug] = new_slug
    return record


def import_posts(
    store: Store,
    dirs: Iterable[str | Path],
    now: datetime,
    *,
    batch_size: int = BATCH_SIZE,
    on_reject: Callable[[Rejected], None] | None = None,
) -> ImportResult:
    """Import every post under ``dirs`` into ``store``; bad files are reported and skipped.

    ``now`` is the clock (China time) for the batches; each record carries its post's date
    as its own "seen" time, so importing the same folders again changes nothing.
    """
    result = ImportResult()
    clock = isoformat_china(now)
    batch: list[ArticleRecord] = []
    for record in read_articles(find_posts(dirs), now, result, on_reject):
        batch.append(record)
        if len(batch) >= batch_size:
            _save(store, batch, clock, result)
            batch = []
    _save(store, batch, clock, result)
    return result


def _save(store: Store, batch: list[ArticleRecord], clock: str, result: ImportResult) -> None:
    if not batch:
        return
    saved = store.save_articles(batch, clock)
    result.articles += len(batch)
    result.new += len(saved.new)
    result.updated += len(saved.updated)
    result.unchanged += len(saved.unchanged)
