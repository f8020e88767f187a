"""Category slugs: toneless pinyin of a media name, safe to use as a file name.

A slug becomes ``category/<slug>.xml`` and a Jekyll ``categories:`` value, so it may only
hold ``[a-z0-9-]`` whatever the remote data says (SOURCE.md §3).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from pypinyin import Style, lazy_pinyin

# Slugs the old site published that are not the pinyin of their name; readers' links use them.
FIXED_SLUGS = {"东财滚动新闻": "emnews"}

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 80


@functools.lru_cache(maxsize=8192)
def slugify(name: str) -> str:
    """Slug of a media or column name: ``重庆日报`` → ``chongqingribao``.

    pypinyin's phrase dictionary reads polyphones in context (重庆 → chongqing,
    银行 → yinhang). Anything that is not a letter or digit becomes ``-``; a name with
    nothing usable gets a stable ``x-<hash>`` slug rather than an empty one.
    """
    name = unicodedata.normalize("NFKC", name).strip()
    if name in FIXED_SLUGS:
        return FIXED_SLUGS[name]
    # Each Chinese character becomes its own syllable; runs of other text pass through.
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="default", strict=False)
    text = "".join(syllables).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", text).strip("-")[:MAX_SLUG_LENGTH].strip("-")
    if not slug:
        slug = "x-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    return slug


def is_safe_slug(slug: str) -> bool:
    """True when ``slug`` can be used as one path component with no surprise."""
    return bool(_SLUG.match(slug)) and len(slug) <= MAX_SLUG_LENGTH + 11
