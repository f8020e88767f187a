"""Article text clean-ups that keep the article as received, byte for byte, elsewhere.

``body_html`` must reproduce a post of the old site (SOURCE.md §1), so these functions edit
the markup as text: a parser that re-serializes would change quoting, ``<br />`` and
entities all over the body.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import lxml.html

# Attributes that mark East Money's automatic links (SOURCE.md §2, body quirks).
_AUTOLINK_ID = re.compile(r"""\bid\s*=\s*["']?(?:stock_|Info\.|bk_)""", re.I)
_QUOTE_ID = re.compile(r"""\bid\s*=\s*["']?(?:quote_|bkquote_)""", re.I)
_AUTOLINK_CLASS = re.compile(
    r"""\bclass\s*=\s*["']?[^"'>]*\b(?:keytip|infokey|em_stock_key_common)\b""", re.I
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
_INDENT = re.compile(r"(^|>)(?:[\u3000]|&#12288;|&#x3000;)+", re.M)
_URL_ATTR = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|#)")
_MEDIA_LINE = re.compile(r"[（(]\s*文章来源[:：]\s*(.+?)\s*[）)]")
_SOURCE_LINE = re.compile(r"来源[:：]\s*(\S.*)")
_SPACE = re.compile(r"\s+")
SITE_NAME = "东方财富网"
# The site's name after a page's <title>: "… _ 东方财富网", "…-东方财富网", "…|东方财富网".
_SITE_SUFFIX = re.compile(r"\s*[_\-|｜—]+\s*东方财富网\s*$")


def clean_title(title: str | None) -> str:
    """Titles arrive with newlines and indentation from the list markup."""
    return _SPACE.sub(" ", html.unescape(title or "")).strip()


def page_title(title: str | None) -> str:
    """A page's ``<title>`` without the site's name: the article's or column's own title.

    A title that is only the site's name (error pages) gives ``""``.
    """
    title = _SITE_SUFFIX.sub("", clean_title(title))
    return "" if title == SITE_NAME else title


def unwrap_autolinks(body: str) -> str:
    """Replace East Money's auto-link wrappers by their text; drop empty quote spans.

    ``<span id="stock_0.002752"><a class="keytip" …>昇兴股份</a></span><span
    id="quote_0.002752"></span>`` becomes ``昇兴股份``; everything else is left untouched.
    """
    out: list[str] = []
    stack: list[tuple[str, str]] = []  # (tag, action): keep, unwrap or drop
    dropping = 0
    position = 0
    for match in _TAG.finditer(body):
        closing, tag, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if tag not in ("span", "a"):
            continue
        if dropping == 0:
            out.append(body[position : match.start()])
        position = match.end()
        if not closing:
            if attrs.rstrip().endswith("/"):
                action = "keep" if dropping == 0 and not _is_autolink(attrs) else "unwrap"
                if action == "keep":
                    out.append(match.group(0))
                continue
            if dropping or _QUOTE_ID.search(attrs):
                action = "drop"
                dropping += 1
            elif _is_autolink(attrs):
                action = "unwrap"
            else:
                action = "keep"
                out.append(match.group(0))
            stack.append((tag, action))
            continue
        # A closing tag pairs with the innermost open element of the same name.
        for index in range(len(stack) - 1, -1, -1):
            if stack[index][0] == tag:
                action = stack.pop(index)[1]
                break
        else:
            action = "keep" if dropping == 0 else "drop"
        if action == "drop":
            dropping -= 1
        elif action == "keep" and dropping == 0:
            out.append(match.group(0))
    if dropping == 0:
        out.append(body[position:])
    return "".join(out)


def _is_autolink(attrs: str) -> bool:
    return bool(_AUTOLINK_ID.search(attrs) or _AUTOLINK_CLASS.search(attrs))


def remove_indents(body: str) -> str:
    """Full-width paragraph indents (``　　``) are layout, not content."""
    return _INDENT.sub(r"\1", body)


def absolutize_urls(body: str, base_url: str) -> str:
    """Make ``href`` and ``src`` values absolute against the page they came from."""

    def fix(match: re.Match[str]) -> str:
        value = match.group(3)
        stripped = value.strip()
        if not stripped or _ABSOLUTE.match(stripped):
            return match.group(0)
        absolute = urljoin(base_url, html.unescape(stripped))
        return (
            f"{match.group(1)}{match.group(2)}{html.escape(absolute, quote=True)}{match.group(2)}"
        )

    return _TAG.sub(lambda tag: _URL_ATTR.sub(fix, tag.group(0)), body)


def clean_body_html(body: str, base_url: str | None = None) -> str:
    """The two clean-ups of the store (indents, auto-links), plus absolute URLs."""
    body = remove_indents(unwrap_autolinks(body))
    if base_url:
        body = absolutize_urls(body, base_url)
    return body.strip()


def html_to_text(body: str) -> str:
    """Plain text of an HTML fragment, one line per block, for search and summaries."""
    if not body or not body.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(body, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _SPACE.sub(" ", re.sub(r"<[^>]+>", " ", body)).strip()
    for hidden in root.xpath(".//script|.//style"):
        hidden.drop_tree()
    for block in root.xpath(".//p|.//br|.//div|.//li|.//h1|.//h2|.//h3|.//h4|.//tr"):
        block.tail = "\n" + (block.tail or "")
    lines = (_SPACE.sub(" ", line).strip() for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def summarize(text: str, limit: int = 120) -> str:
    """A summary cut from the body text when the source gives none."""
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def media_from_text(text: str) -> str | None:
    """The media name of a ``（文章来源：南昌日报）`` or ``来源：南昌日报`` line."""
    text = clean_title(text)
    match = _MEDIA_LINE.search(text) or _SOURCE_LINE.search(text)
    if not match:
        return None
    name = match.group(1).strip()
    return name or None


def inner_html_by_id(page: str, element_id: str) -> str | None:
    """The markup inside the element with ``id=element_id``, exactly as the page has it.

    Found by counting nested tags of the same name, so the body keeps its own bytes rather
    than a parser's re-serialization of them.
    """
    start = re.search(
        r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bid\s*=\s*[\"']?" + re.escape(element_id) + r"\b[^>]*>",
        page,
    )
    if not start:
        return None
    tag = start.group(1).lower()
    depth = 1
    same_tag = re.compile(r"<(/?)" + re.escape(tag) + r"\b[^>]*>", re.I)
    for match in same_tag.finditer(page, start.end()):
        if match.group(0).endswith("/>"):
            continue
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return page[start.end() : match.start()]
    return None
