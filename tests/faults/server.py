"""A fault-injecting HTTP server: the fixture site on 127.0.0.1, with a chosen fault per path.

Every path of the generated site is answered as ``finews.demo.server`` answers it, unless a
fault is set for it (by path, or by path and query): status sequences, answers that never
come, bodies shorter than announced, other charset labels, huge or endless bodies, redirects,
``Retry-After``, slow answers. The server records every request (``requests``), counts
requests in flight per ``Host`` (``max_in_flight``) and the bytes each path was sent.

    with fault_server(site_root) as server:
        server.set("/a/cywjh.html", statuses(500, 503))
        ...crawl server.url + "/a/cywjh.html"...
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from feeds.serve import serving
from finews.demo.server import DirectorySite, Hit, RequestLog

Page = tuple[int, dict[str, str], bytes]
NOT_FOUND: Page = (404, {"Content-Type": "text/plain; charset=utf-8"}, b"not found\n")


@dataclass
class Exchange:
    """One request as a fault sees it, and the ways it can be answered."""

    handler: BaseHTTPRequestHandler
    server: FaultServer
    target: str
    attempt: int  # 1 for the first request of this target, 2 for the next, ...
    page: Page  # what the site would answer

    def send(
        self,
        status: int,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        *,
        content_length: int | None = None,
    ) -> None:
        """Answer; ``content_length`` announces another length than the body's (then the
        connection is closed after the body)."""
        self.server.requests.record(Hit("GET", self.target, urlsplit(self.target).path, status))
        self.handler.send_response(status)
        for name, value in (headers or {}).items():
            self.handler.send_header(name, value)
        length = len(body) if content_length is None else content_length
        self.handler.send_header("Content-Length", str(length))
        if content_length is not None:
            self.handler.send_header("Connection", "close")
            self.handler.close_connection = True
        self.handler.end_headers()
        self.write(body)

    def send_page(self, headers: dict[str, str] | None = None, body: bytes | None = None) -> None:
        """The site's own answer, with ``headers`` or ``body`` replaced."""
        status, page_headers, page_body = self.page
        self.send(status, {**page_headers, **(headers or {})}, page_body if body is None else body)

    def write(self, data: bytes) -> bool:
        """Send bytes of the body; False once the client has gone."""
        try:
            self.handler.wfile.write(data)
            self.handler.wfile.flush()
        except OSError:
            self.handler.close_connection = True
            return False
        self.server.sent[self.target] += len(data)
        return True

    def stream(self, headers: dict[str, str], chunk: bytes, limit: int | None = None) -> None:
        """Send ``chunk`` after ``chunk`` until ``limit`` bytes or until the client goes."""
        self.server.requests.record(Hit("GET", self.target, urlsplit(self.target).path, 200))
        self.handler.send_response(200)
        for name, value in headers.items():
            self.handler.send_header(name, value)
        self.handler.send_header("Connection", "close")
        self.handler.end_headers()
        self.handler.close_connection = True
        sent = 0
        while not self.server.stopping.is_set() and (limit is None or sent < limit):
            if not self.write(chunk):
                return
            sent += len(chunk)

    def hang(self) -> None:
        """Take the request and never answer (until the server stops)."""
        self.server.requests.record(Hit("GET", self.target, urlsplit(self.target).path, 0))
        self.server.stopping.wait()
        self.handler.close_connection = True


Fault = Callable[[Exchange], None]


def statuses(*codes: int, headers: dict[str, str] | None = None) -> Fault:
    """Answer ``codes`` in turn (an empty body, ``headers``), then the page."""

    def fault(exchange: Exchange) -> None:
        if exchange.attempt <= len(codes):
            exchange.send(codes[exchange.attempt - 1], headers, b"try again later\n")
        else:
            exchange.send_page()

    return fault


def always(code: int, headers: dict[str, str] | None = None) -> Fault:
    """Answer ``code`` every time."""
    return lambda exchange: exchange.send(code, headers, b"server error\n")


def hang(times: int | None = None) -> Fault:
    """Never answer (the first ``times`` requests; None: every request)."""

    def fault(exchange: Exchange) -> None:
        if times is None or exchange.attempt <= times:
            exchange.hang()
        else:
            exchange.send_page()

    return fault


def short_body(times: int = 1) -> Fault:
    """The first ``times`` answers announce the whole page and send half of it."""

    def fault(exchange: Exchange) -> None:
        status, headers, body = exchange.page
        if exchange.attempt <= times:
            exchange.send(status, headers, body[: len(body) // 2], content_length=len(body))
        else:
            exchange.send_page()

    return fault


def relabelled(content_type: str, recode: str | None = None) -> Fault:
    """The page with another ``Content-Type``; ``recode``: its text in that encoding."""

    def fault(exchange: Exchange) -> None:
        _, headers, body = exchange.page
        if recode:
            body = body.decode(_charset(headers)).encode(recode)
        exchange.send_page({"Content-Type": content_type}, body)

    return fault


def body(data: bytes, content_type: str = "text/html; charset=utf-8") -> Fault:
    """Answer 200 with ``data``."""
    return lambda exchange: exchange.send(200, {"Content-Type": content_type}, data)


def huge(size: int) -> Fault:
    """Announce ``size`` bytes and send them (as long as the client reads)."""

    def fault(exchange: Exchange) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(size)}
        exchange.stream(headers, b"<p>" + b"x" * 65533, limit=size)

    return fault


def endless() -> Fault:
    """A page that never ends: no length, bytes until the client goes."""

    def fault(exchange: Exchange) -> None:
        exchange.stream({"Content-Type": "text/html; charset=utf-8"}, b"<p>" + b"y" * 65533)

    return fault


def redirect(location: str, status: int = 302) -> Fault:
    """Redirect to ``location`` (a path of this server or any URL)."""
    return lambda exchange: exchange.send(status, {"Location": location}, b"")


def slow(seconds: float) -> Fault:
    """Answer with the page after ``seconds``."""

    def fault(exchange: Exchange) -> None:
        time.sleep(seconds)
        exchange.send_page()

    return fault


def held(release: threading.Event) -> Fault:
    """Answer with the page once ``release`` is set (or never, if the server stops first)."""

    def fault(exchange: Exchange) -> None:
        while not release.wait(0.05):
            if exchange.server.stopping.is_set():
                exchange.handler.close_connection = True
                return
        exchange.send_page()

    return fault


def _charset(headers: dict[str, str]) -> str:
    content_type = headers.get("Content-Type", "")
    return content_type.partition("charset=")[2].strip() or "utf-8"


class FaultServer:
    """The site and its faults; ``url`` is set while the server runs (``fault_server``)."""

    def __init__(self, root: Path) -> None:
        self.site = DirectorySite(root)
        self.faults: dict[str, Fault] = {}
        self.requests = RequestLog()
        self.sent: Counter[str] = Counter()  # body bytes sent, per path and query
        self.attempts: Counter[str] = Counter()
        self.arrivals: dict[str, list[float]] = {}  # time.monotonic() of each request
        self.default: Fault | None = None  # for targets without a fault of their own
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()  # the most requests at once, per Host
        self.url = ""
        self.port = 0

    def set(self, target: str, fault: Fault) -> None:
        """Answer ``target`` (a path, or a path and query) with ``fault``."""
        self.faults[target] = fault

    def host_url(self, host: str) -> str:
        """This server's URL under another host name (``localhost``): another origin."""
        return f"http://{host}:{self.port}"

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        target = handler.path
        split = urlsplit(target)
        host = handler.headers.get("Host", "")
        with self._lock:
            self.attempts[target] += 1
            attempt = self.attempts[target]
            self.arrivals.setdefault(target, []).append(time.monotonic())
            self._in_flight[host] += 1
            self.max_in_flight[host] = max(self.max_in_flight[host], self._in_flight[host])
        try:
            path = unquote(split.path)
            page = self.site.get(path, parse_qs(split.query, keep_blank_values=True)) or NOT_FOUND
            exchange = Exchange(handler, self, target, attempt, page)
            fault = self.faults.get(target) or self.faults.get(path) or self.default
            if fault is None:
                exchange.send_page()
            else:
                fault(exchange)
        finally:
            with self._lock:
                self._in_flight[host] -= 1


def _handler(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
            server.answer(self)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@contextmanager
def fault_server(root: Path) -> Iterator[FaultServer]:
    """Serve the site folder ``root`` with faults on a free port of 127.0.0.1."""
    server = FaultServer(root)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    with serving(httpd, "faultsite"):
        server.port = httpd.server_address[1]
        server.url = f"http://127.0.0.1:{server.port}"
        try:
            yield server
        finally:
            server.stopping.set()
