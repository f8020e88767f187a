"""Read a page in the encoding its bytes are in, whatever its label says (SOURCE.md §2).

Chinese sites serve GBK/GB18030 declared in the header, only in a ``<meta>``, or labelled
UTF-8 while they are not. Scrapy trusts the header, and decoding GBK bytes as UTF-8 leaves
U+FFFD where every Chinese character was. :class:`CharsetRepairMiddleware` checks that a text
answer decodes cleanly in the encoding Scrapy chose; when it does not, it reads the body in
the encoding its ``<meta>`` declares, else as GB18030 (a superset of GBK), and when no
encoding reads it (a UTF-8 page with a damaged byte), the page fails with that reason rather
than being stored with holes in its text.
"""

from __future__ import annotations

import codecs
import logging

from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse

from crawler.failures import UndecodableResponse

logger = logging.getLogger(__name__)

FALLBACK = "gb18030"
# A body whose non-ASCII bytes mostly form valid UTF-8 is UTF-8 with damage, not GBK: GBK
# text almost never holds a valid UTF-8 sequence, and reading UTF-8 as GB18030 gives mojibake.
MOSTLY_UTF8 = 0.5


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _utf8_share(body: bytes) -> float:
    """The share of non-ASCII bytes that belong to valid UTF-8 sequences."""
    non_ascii = sum(byte >= 0x80 for byte in body)
    if not non_ascii:
        return 1.0
    valid = sum(len(c.encode("utf-8")) for c in body.decode("utf-8", "ignore") if ord(c) >= 0x80)
    return valid / non_ascii


def readable_encoding(body: bytes, chosen: str, declared: str | None) -> str | None:
    """The encoding to read ``body`` in: ``chosen`` when it decodes cleanly, else the body's
    ``<meta>`` declaration, else GB18030; None when nothing reads it (see the module doc)."""
    if _decodes(body, chosen):
        return chosen
    is_utf8 = codecs.lookup(chosen).name == "utf-8"
    if is_utf8 and _utf8_share(body) > MOSTLY_UTF8:
        return None
    for candidate in (declared, FALLBACK):
        if candidate and _decodes(body, candidate):
            return candidate
    return None


class CharsetRepairMiddleware:
    """Downloader middleware: text answers are read in an encoding that decodes them."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetRepairMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        chosen = response.encoding
        declared = response._body_declared_encoding()
        encoding = readable_encoding(response.body, chosen, declared)
        if encoding == chosen:
            return response
        if encoding is None:
            self.stats.inc_value("finews/encoding/unreadable")
            raise UndecodableResponse(
                f"the body is not valid {chosen} and no other encoding reads it: not stored"
            )
        logger.info(
            "%s is labelled %s but is %s: read as %s", request.url, chosen, encoding, encoding
        )
        self.stats.inc_value("finews/encoding/repaired")
        return response.replace(encoding=encoding)
