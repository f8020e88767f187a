"""Downloader middlewares that keep finews polite and its pages its own.

- :class:`RetryAfterMiddleware`: a 429 or 503 with ``Retry-After`` pauses the host for the time
  asked (at most ``FINEWS_RETRY_AFTER_MAX`` seconds), then the page is retried.
- :class:`RobotsTxtMiddleware`: a robots.txt answering 5xx disallows the whole host for this
  run (RFC 9309 §2.3.1.4); 4xx allows everything. A robots.txt that cannot be fetched at all
  (a refused connection) is one log line, not a traceback.
- :class:`SameOriginRedirectMiddleware` (and its meta-refresh twin): a redirect to another
  origin (host, or port other than an http → https upgrade) or back to a URL of its own chain
  is not followed: the page fails with the reason, so another origin's content is never
  stored under the id finews asked for.
"""

from __future__ import annotations

import email.utils
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.downloadermiddlewares.robotstxt import (
    RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware,
)
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from crawler.failures import RedirectRefused, RobotsTxtUnavailable

logger = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = (429, 503)
DEFAULT_PORTS = {"http": 80, "https": 443}


def retry_after_seconds(value: bytes | str, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds from ``now``: delta-seconds or an HTTP date; None if neither."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    """Honour ``Retry-After`` on 429 and 503 (see the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("FINEWS_RETRY_AFTER_MAX")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        header = response.headers.get(b"Retry-After")
        if response.status not in RETRY_AFTER_STATUSES or not header:
            return response
        if request.meta.get("dont_retry"):
            return response
        asked = retry_after_seconds(header)
        if asked is None:
            return response  # unreadable: Scrapy's retry middleware retries as usual
        wait = min(asked, self.max_wait)
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=f"HTTP {response.status}, Retry-After {header.decode('latin-1')}",
            logger=logger,
        )
        if retry is None:
            return response
        logger.info(
            "%s answered HTTP %d: waiting %.0f s as asked (Retry-After), then retrying",
            request.url,
            response.status,
            wait,
        )
        self.crawler.stats.inc_value("finews/retry_after/waits")
        downloader = self.crawler.engine.downloader
        if hasattr(downloader, "pause"):
            downloader.pause(request, wait)
        return retry


class _DisallowAll(RobotParser):
    """What a robots.txt answering 5xx means: nothing may be fetched."""

    def __init__(self, netloc: str, status: int) -> None:
        self.reason = (
            f"robots.txt of {netloc} answered HTTP {status}: nothing is fetched from that host"
            " in this run (RFC 9309)"
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> _DisallowAll:
        raise NotImplementedError("built by RobotsTxtMiddleware only")

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, reading a robots.txt's status as RFC 9309 says."""

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status < 400:
            await super()._parse_robots(response, netloc, request)
            return
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        parser: RobotParser
        if response.status >= 500:
            parser = _DisallowAll(netloc, response.status)
            logger.warning("%s", parser.reason)
            self._stats.inc_value("finews/robots/unavailable")
        else:  # 4xx: there are no rules
            parser = build_from_crawler(self._parserimpl, self.crawler, b"")
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(pending, Deferred):
            pending.callback(parser)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, _DisallowAll):
            self._stats.inc_value("robotstxt/forbidden")
            raise RobotsTxtUnavailable(rp.reason)
        super().process_request_2(rp, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        logger.warning(
            "robots.txt of %s could not be fetched (%s: %s); its pages are requested as usual",
            netloc,
            type(exc).__name__,
            exc,
        )
        super()._robots_error(exc, netloc)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or ""), parts.port or DEFAULT_PORTS.get(parts.scheme)


def same_origin(first: str, then: str) -> bool:
    """True when ``then`` is on ``first``'s origin, an http → https upgrade included."""
    scheme, host, port = _origin(first)
    new_scheme, new_host, new_port = _origin(then)
    if host != new_host:
        return False
    if (scheme, port) == (new_scheme, new_port):
        return True
    return (scheme, port, new_scheme, new_port) == ("http", 80, "https", 443)


class _SameOriginRedirects:
    """Refuse redirects off the first request's origin, and redirect loops."""

    crawler: Crawler

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if not same_origin(chain[0], redirected.url):
            self.crawler.stats.inc_value("finews/redirects/offsite")
            raise RedirectRefused(
                f"redirected ({reason}) to {redirected.url}, another origin: not followed"
            )
        if redirected.url in chain:
            self.crawler.stats.inc_value("finews/redirects/loop")
            raise RedirectRefused(f"redirect loop: {' -> '.join([*chain, redirected.url])}")
        return super()._redirect(redirected, request, reason)  # type: ignore[misc]


class SameOriginRedirectMiddleware(_SameOriginRedirects, RedirectMiddleware):
    """Scrapy's redirect middleware, staying on the page's origin."""


class SameOriginMetaRefreshMiddleware(_SameOriginRedirects, MetaRefreshMiddleware):
    """Scrapy's meta-refresh middleware, staying on the page's origin."""
