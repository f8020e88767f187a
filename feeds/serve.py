"""Serve a feeds folder on 127.0.0.1 with the headers feed readers rely on.

Content-Type per format, a strong ETag (hash of the bytes) and Last-Modified, ``304 Not
Modified`` for If-None-Match / If-Modified-Since, and gzip when the client asks for it.
For local use and tests; production serves the folder from a static host (README, "Serving in production").

Not built on ``finews.demo.server``: its ``Site.get(path, query)`` never sees request
headers, and conditional GET and gzip are decided by them.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit

CONTENT_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}
Server = TypeVar("Server", bound=ThreadingHTTPServer)


@contextmanager
def serving(httpd: Server, name: str) -> Iterator[Server]:
    """Serve ``httpd`` in a daemon thread while in the block, then shut it down and close it."""
    httpd.daemon_threads = True
    # A short poll interval keeps shutdown (and so each test's teardown) quick.
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
    )
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


# Below this, gzip costs more than it saves.
MIN_GZIP_BYTES = 256


class FeedRequestHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the files of ``server.directory``; hidden files are never served."""

    server_version = "finews"
    protocol_version = "HTTP/1.1"
    # Headers and body are separate sends: without this, keep-alive answers wait 40 ms.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _respond(self, send_body: bool) -> None:
        path = self._file()
        if path is None:
            self._send_plain(HTTPStatus.NOT_FOUND, b"not found\n", send_body)
            return
        data = path.read_bytes()
        mtime = int(path.stat().st_mtime)
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        if self._accepts_gzip() and len(data) >= MIN_GZIP_BYTES:
            # A different representation needs a different ETag (RFC 9110 §8.8.3).
            data = gzip.compress(data, mtime=0)
            etag = etag[:-1] + '-gzip"'
            encoding: str | None = "gzip"
        else:
            encoding = None
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        headers = {
            "ETag": etag,
            "Last-Modified": last_modified,
            "Cache-Control": "public, max-age=60",
            "Vary": "Accept-Encoding",
        }
        if self._not_modified(etag, mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _file(self) -> Path | None:
        root: Path = self.server.directory  # type: ignore[attr-defined]
        parts = [part for part in unquote(urlsplit(self.path).path).split("/") if part]
        if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
            return None
        target = root.joinpath(*parts).resolve()
        if target != root and root not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _accepts_gzip(self) -> bool:
        for token in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = token.strip().partition(";")
            if name.strip().lower() in ("gzip", "*"):
                quality = params.strip().removeprefix("q=").strip() if params else "1"
                try:
                    return float(quality) > 0
                except ValueError:
                    return False
        return False

    def _not_modified(self, etag: str, mtime: int) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            # Weak comparison, as RFC 9110 asks for If-None-Match.
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
            return since is not None and mtime <= since.timestamp()
        return False

    def _send_plain(self, status: HTTPStatus, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class FeedServer(ThreadingHTTPServer):
    def __init__(self, directory: Path, port: int, verbose: bool = False) -> None:
        self.directory = directory.resolve()
        self.verbose = verbose
        # Loopback only: this is for local use and tests, never a public server.
        super().__init__(("127.0.0.1", port), FeedRequestHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


@contextmanager
def serve_directory(
    directory: str | Path, port: int = 0, *, verbose: bool = False
) -> Iterator[FeedServer]:
    """Serve ``directory`` on 127.0.0.1 in a background thread while in the block.

    Port 0 picks a free port; ``server.url`` says which.
    """
    if not Path(directory).is_dir():
        raise FileNotFoundError(f"no folder {directory}")
    with serving(FeedServer(Path(directory), port, verbose), "finews-serve") as server:
        yield server
