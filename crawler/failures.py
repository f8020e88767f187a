"""Why a page failed, in one line a user can act on, and the crawl's list of such lines.

Each failed page is logged once (``page failed: URL: reason``), counted and listed in the run's
``crawl_runs.errors``. Scrapy's own exceptions name an implementation detail; the reasons
here say what happened and which setting governs it.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionLost, ConnectionRefusedError, DNSLookupError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

ERRORS_STAT = "finews/errors"
MAX_ERRORS_KEPT = 100


class PageRefused(Exception):
    """finews refused a page on purpose (a redirect off its origin or in a loop, a host whose
    robots.txt cannot be read, a body in no readable encoding). Unlike Scrapy's
    ``IgnoreRequest`` (a page not wanted), it counts as a failed page."""


class RedirectRefused(PageRefused):
    """A redirect that leaves the page's origin, or comes back to a URL already visited."""


class RobotsTxtUnavailable(PageRefused):
    """The host's robots.txt answered a server error: nothing is fetched from it this run."""


class UndecodableResponse(PageRefused):
    """The body is not valid in its declared encoding, nor in any other it could be in."""


def failure_reason(failure: Failure, settings: Any = None) -> str:
    """One line saying why a request failed: ``HTTP 500``, ``no answer within 30 s``, ..."""
    value = failure.value
    if failure.check(HttpError):
        return f"HTTP {value.response.status}"
    if failure.check(PageRefused):
        return str(value)
    timeout = settings.getint("DOWNLOAD_TIMEOUT") if settings is not None else None
    if failure.check(DownloadTimeoutError, TwistedTimeoutError):
        return f"no answer within {timeout} s (DOWNLOAD_TIMEOUT)" if timeout else "timed out"
    if failure.check(DownloadConnectionRefusedError, ConnectionRefusedError):
        return "connection refused"
    if failure.check(CannotResolveHostError, DNSLookupError):
        return "host name not found"
    if failure.check(DownloadCancelledError):
        limit = settings.getint("DOWNLOAD_MAXSIZE") if settings is not None else 0
        return (
            f"the page is larger than the {limit:,} byte limit (DOWNLOAD_MAXSIZE); not read"
            if limit
            else str(value)
        )
    if failure.check(ResponseDataLossError, ResponseFailed, ConnectionLost):
        return "the answer was cut short (fewer bytes than announced, or the connection closed)"
    if failure.check(ResponseNeverReceived):
        return "the connection closed before any answer"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"


def add_error(stats: Any, line: str) -> None:
    """Add ``URL: reason`` to the crawl's list of errors (the first 100 are kept)."""
    errors = stats.get_value(ERRORS_STAT) or []
    if len(errors) < MAX_ERRORS_KEPT:
        stats.set_value(ERRORS_STAT, [*errors, line])


def count_drop(stats: Any, reason: str, line: str) -> None:
    """Count a dropped copy (``finews/dropped`` and ``finews/dropped/<reason>``) and list
    ``line`` (``URL: dropped: why``) with the crawl's errors."""
    stats.inc_value("finews/dropped")
    stats.inc_value(f"finews/dropped/{reason}")
    add_error(stats, line)
