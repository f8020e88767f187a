"""A local HTTP server for generated sites in the source site's shapes (finews.demo.build).

``serve(DirectorySite(root))`` runs a real server on 127.0.0.1 in a daemon thread, for tests,
``finews demo`` and benchmarks. ``python -m finews.demo.server ROOT`` runs it in the
foreground and prints its URL on the first line.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import re
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from feeds.serve import serving
from finews.demo.pages import (
    API_PATH,
    COLUMN_API_PATH,
    FAST_NEWS_PATH,
    api_file,
    column_api_file,
    fast_news_file,
    jsonp,
)

Response = tuple[int, dict[str, str], bytes]

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}
HEADERS_FILE = "_headers.json"
# Files of the site folder that describe it rather than belong to it.
HIDDEN_TOP_FILES = frozenset({"site.json", "README.md"})
_SAFE_ID = re.compile(r"[A-Za-z0-9]{1,64}")
_CALLBACK = re.compile(r"[A-Za-z_$][A-Za-z0-9_$.]{0,63}")
# Without its cursor and clock the rolling-news API answers no data (SOURCE.md §4).
NO_DATA = b'{"code":"1","message":"success","data":null}'


class Site(Protocol):
    """Something that answers GET requests; ``None`` means 404."""

    def get(self, path: str, query: dict[str, list[str]]) -> Response | None: ...


class DirectorySite:
    """Serves a site folder written by ``finews.demo.build``.

    Static files by path, ``/NewsData/GetNewsText.do?id=X`` from ``NewsData/GetNewsText/X.json``,
    the rolling-news API ``/comm/web/getFastNewsList?...&sortEnd=C&req_trace=T`` from
    ``comm/web/getFastNewsList/<C or newest>.json``, the column API
    ``/comm/web/getNewsByColumns?column=K&page_index=N`` from
    ``comm/web/getNewsByColumns/K_N.json`` (both as JSONP when given ``callback=``), and
    per-file header overrides from ``_headers.json`` (keys are paths relative to the root).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise FileNotFoundError(f"site folder not found: {self.root}")
        headers_file = self.root / HEADERS_FILE
        self.header_overrides: dict[str, dict[str, str]] = (
            json.loads(headers_file.read_text("utf-8")) if headers_file.is_file() else {}
        )

    def get(self, path: str, query: dict[str, list[str]]) -> Response | None:
        if path == API_PATH:
            ids = query.get("id", [])
            # The id becomes a file name: only plain alphanumerics may reach the file system.
            if len(ids) != 1 or not _SAFE_ID.fullmatch(ids[0]):
                return None
            return self._file(api_file(ids[0]))
        if path in (FAST_NEWS_PATH, COLUMN_API_PATH):
            return self._news_api(path, query)
        if not path.startswith("/"):
            return None
        rel = path[1:]
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel in HIDDEN_TOP_FILES:
            return None
        return self._file(rel)

    def _news_api(self, path: str, query: dict[str, list[str]]) -> Response | None:
        def one(name: str) -> str | None:
            values = query.get(name, [])
            return values[0] if len(values) == 1 else None

        callback = one("callback")
        if callback is not None and not _CALLBACK.fullmatch(callback):
            return None
        if path == FAST_NEWS_PATH:
            cursor, trace = one("sortEnd"), one("req_trace")
            if cursor is None or not trace:
                found: Response | None = (200, {"Content-Type": CONTENT_TYPES[".json"]}, NO_DATA)
            elif cursor and not _SAFE_ID.fullmatch(cursor):
                return None
            else:
                found = self._file(fast_news_file(cursor))
        else:
            column, page = one("column"), one("page_index") or "1"
            if (
                not column
                or not _SAFE_ID.fullmatch(column)
                or not page.isascii()
                or not page.isdigit()
            ):
                return None
            found = self._file(column_api_file(column, int(page)))
        if found is None or callback is None:
            return found
        status, headers, body = found
        return (
            status,
            {"Content-Type": "application/javascript; charset=utf-8"},
            jsonp(body, callback),
        )

    def _file(self, rel: str) -> Response | None:
        parts = rel.split("/")
        # No "..", no empty or hidden segments, no backslashes or NULs: nothing leaves the root.
        if any(p in ("", ".", "..") or p[0] in "._" or "\\" in p or "\0" in p for p in parts):
            return None
        file = self.root.joinpath(*parts)
        try:
            resolved = file.resolve()
        except (OSError, RuntimeError):
            return None
        if not resolved.is_relative_to(self.root) or not resolved.is_file():
            return None
        headers = {"Content-Type": CONTENT_TYPES.get(file.suffix, "application/octet-stream")}
        headers.update(self.header_overrides.get(rel, {}))
        return 200, headers, resolved.read_bytes()


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    method: str
    target: str  # path and query as sent, e.g. "/NewsData/GetNewsText.do?id=NW…"
    path: str  # decoded path without query
    status: int


class RequestLog:
    """Thread-safe record of the requests a server answered (for assertions in tests)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: list[Hit] = []

    def record(self, hit: Hit) -> None:
        with self._lock:
            self._hits.append(hit)

    @property
    def total(self) -> int:
        """Number of requests answered so far."""
        with self._lock:
            return len(self._hits)

    def __len__(self) -> int:
        return self.total

    @property
    def hits(self) -> list[Hit]:
        """A copy of every request, in order."""
        with self._lock:
            return list(self._hits)

    @property
    def targets(self) -> list[str]:
        """Path and query of every request, in order."""
        return [h.target for h in self.hits]

    @property
    def paths(self) -> Counter[str]:
        """How often each path (without query) was requested."""
        return Counter(h.path for h in self.hits)

    def __contains__(self, path_or_target: object) -> bool:
        return any(path_or_target in (h.path, h.target) for h in self.hits)

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()


@dataclass(frozen=True)
class RunningServer:
    """What ``serve`` yields."""

    url: str  # e.g. "http://127.0.0.1:54321", no trailing slash
    port: int
    requests: RequestLog


def _make_handler(site: Site, log: RequestLog, latency: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real servers do
        # Headers and body go out in two sends; with Nagle's algorithm on a keep-alive
        # connection the body waits for the client's delayed ACK (40 ms a response).
        disable_nagle_algorithm = True
        server_version = "finews-demosite"
        sys_version = ""

        def _answer(self, send_body: bool) -> None:
            split = urlsplit(self.path)
            path = unquote(split.path)
            query = parse_qs(split.query, keep_blank_values=True)
            if latency > 0:
                time.sleep(latency)
            try:
                found = site.get(path, query)
            except Exception:  # a broken site must answer, not kill the connection
                found = (500, {"Content-Type": "text/plain; charset=utf-8"}, b"server error\n")
            status, headers, body = found or (
                404,
                {"Content-Type": "text/plain; charset=utf-8"},
                b"not found\n",
            )
            # Recorded before the reply so a client that has its answer sees it counted.
            log.record(Hit(self.command, self.path, path, status))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: no stderr line per request

    return Handler


def _check_loopback(host: str) -> None:
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"the demo server binds loopback addresses only, not {host!r}")


@contextmanager
def serve(
    site: Site, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0
) -> Iterator[RunningServer]:
    """Run ``site`` on ``host:port`` (0: any free port) in a daemon thread while in the block.

    ``latency`` seconds are slept before each answer, to make benchmarks look like a network.
    """
    _check_loopback(host)
    log = RequestLog()
    httpd = ThreadingHTTPServer((host, port), _make_handler(site, log, latency))
    with serving(httpd, "demosite"):
        bound_host, bound_port = httpd.server_address[:2]
        yield RunningServer(url=f"http://{bound_host}:{bound_port}", port=bound_port, requests=log)


def main(argv: list[str] | None = None) -> int:
    """Serve a site folder in the foreground; the first line printed is its URL."""
    parser = argparse.ArgumentParser(prog="python -m finews.demo.server")
    parser.add_argument("root", type=Path, help="site folder (with site.json)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args(argv)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # a parent's terminate() shuts down cleanly
    with serve(DirectorySite(args.root), port=args.port, latency=args.latency) as server:
        print(server.url, flush=True)
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
