"""Write the store as the old site's Jekyll posts: query, render, write only what changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from feeds.output import UnsafePathError, safe_path, write_if_changed
from feeds.render import jekyll
from storage import Category, Store
from storage.jekyll_queries import ExportArticle, iter_export_articles
from storage.slugs import is_safe_slug, slugify

POSTS_FOLDER = "_posts"


@dataclass
class ExportResult:
    articles: int = 0  # articles that got at least one post
    written: int = 0  # files created or changed
    unchanged: int = 0  # files that already held exactly these bytes
    skipped: list[str] = field(default_factory=list)  # one message per skipped post


def export_posts(
    store: Store,
    out_dir: str | Path,
    *,
    categories: Sequence[str] | None = None,
    since: str | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> ExportResult:
    """Write ``<out_dir>/_posts/``: a media post per article, a rolling post for ``emnews``.

    ``categories`` limits the export to those slugs (``emnews`` selects rolling posts);
    ``since`` (ISO, +08:00) to articles published from then on. Files holding the same bytes
    already are not touched, so a Jekyll repository's ``git status`` shows real changes only.
    """
    result = ExportResult()
    wanted = set(categories) if categories is not None else None

    def skip(message: str) -> None:
        result.skipped.append(message)
        if on_skip:
            on_skip(message)

    for article in iter_export_articles(store, categories=categories, since=since):
        try:
            files = _render(article, wanted, skip)
        except (jekyll.UnsafeArticleError, ValueError, TypeError) as exc:
            # A bad id or time in the store: never guess a file name from it.
            skip(f"article {article.id!r} skipped: {exc}")
            continue
        for file_name, data in files:
            try:
                target = safe_path(out_dir, POSTS_FOLDER, file_name)
            except UnsafePathError as exc:
                skip(f"article {article.id!r} skipped: {exc}")
                continue
            if write_if_changed(target, data):
                result.written += 1
            else:
                result.unchanged += 1
        result.articles += bool(files)
    return result


def _render(
    article: ExportArticle, wanted: set[str] | None, skip: Callable[[str], None]
) -> list[tuple[str, bytes]]:
    files = []
    media = _media_category(article, wanted, skip)
    if media is not None:
        files.append((jekyll.media_post_name(article), jekyll.render_media_post(article, media)))
    rolling = any(c.slug == jekyll.ROLLING_SLUG for c in article.categories)
    if rolling and (wanted is None or jekyll.ROLLING_SLUG in wanted):
        files.append((jekyll.rolling_post_name(article), jekyll.render_rolling_post(article)))
    return files


def _media_category(
    article: ExportArticle, wanted: set[str] | None, skip: Callable[[str], None]
) -> Category | None:
    """The one media category an article's media post goes to (a post has one file name)."""
    candidates = []
    for category in article.categories:
        if category.kind != "media" or (wanted is not None and category.slug not in wanted):
            continue
        if not is_safe_slug(category.slug):
            skip(f"article {article.id!r}: unsafe category slug {category.slug!r} not used")
            continue
        candidates.append(category)
    if not candidates:
        return None
    preferred = slugify(article.media) if article.media else None
    return next((c for c in candidates if c.slug == preferred), candidates[0])
