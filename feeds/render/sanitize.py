"""Make stored text safe for XML feeds and feed readers.

Stored text comes from remote pages: it may hold control characters (which make an XML
document invalid, and make lxml and feedgen raise) and hostile markup. Everything that
reaches a feed goes through :func:`clean_text` or :func:`clean_html`.

Where a format says a field is HTML (RSS ``description``, Atom ``type="html"``, JSON Feed
``content_html``, OPML ``text``), only sanitized body HTML is markup: plain text placed there
goes through :func:`text_as_html`, so that a reader shows ``<script>`` instead of running it.
Fields a format defines as plain text (titles, authors, categories) stay plain text.
"""

from __future__ import annotations

import html
import re

import lxml.etree
import lxml.html
import nh3

# Everything XML 1.0 forbids, plus C0/C1 controls it merely discourages (readers choke on them).
_NOT_XML = re.compile(
    "[^\u0009\u000a\u000d\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
    "|[\ufdd0-\ufdef\ufffe\uffff]"
)
_SPACES = re.compile(r"\s+")
# East Money stock-chart widgets: markup between these comments is not article text.
_STOCK_BLOCK = re.compile(r"<!--\s*EM_StockImg_Start\s*-->.*?<!--\s*EM_StockImg_End\s*-->", re.S)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div",
        "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "img", "ins", "li", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# No javascript:, data: or vbscript: URLs; relative URLs are dropped below.
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_text(text: str | None) -> str:
    """Plain text without characters XML cannot carry; whitespace runs become one space."""
    if not text:
        return ""
    return _SPACES.sub(" ", _NOT_XML.sub("", text)).strip()


def text_as_html(text: str | None) -> str:
    """Plain text as HTML that shows exactly that text: ``<`` becomes ``&lt;`` and so on."""
    return html.escape(clean_text(text), quote=False)


def strip_invalid_xml(text: str | None) -> str:
    """Remove only the characters XML cannot carry, keeping layout (for HTML bodies)."""
    return _NOT_XML.sub("", text) if text else ""


def clean_html(body: str | None) -> str:
    """Sanitized article HTML: an explicit allow-list, absolute http(s) links only.

    No script, style, iframe, event attributes or ``style``; hidden paragraphs and
    stock-chart widgets are removed first, since dropping ``style`` would make them visible.
    """
    body = strip_invalid_xml(body)
    if not body.strip():
        return ""
    body = _STOCK_BLOCK.sub("", body)
    if _HIDDEN_STYLE.search(body):
        body = _drop_hidden(body)
    cleaned = nh3.clean(
        body,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        attribute_filter=_absolute_urls_only,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return strip_invalid_xml(cleaned).strip()


def _absolute_urls_only(tag: str, attribute: str, value: str) -> str | None:
    # Feed readers resolve relative URLs against different bases; the validator warns on them.
    if attribute in ("href", "src", "cite"):
        lowered = value.strip().lower()
        if not lowered.startswith(("http://", "https://", "mailto:")):
            return None
    return value


def _drop_hidden(body: str) -> str:
    try:
        root = lxml.html.fragment_fromstring(body, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return body
    for element in root.xpath(".//*[@style]"):
        if _HIDDEN_STYLE.search(element.get("style", "")):
            element.drop_tree()
    inner = [root.text or ""] if root.text else []
    inner.extend(lxml.html.tostring(child, encoding="unicode") for child in root)
    return "".join(inner)
