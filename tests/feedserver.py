"""A real HTTP server on 127.0.0.1 for the feed tests and benchmarks: it serves the
recorded feeds of ../shared/data/activity/feeds/ (read from there, never copied) and
the failures a feed reader meets."""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import REPO

SHARED = REPO.parent / "shared"
ACTIVITY = SHARED / "data" / "activity"
FEEDS = ACTIVITY / "feeds"


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.extra: dict[str, bytes] = {}  # path → body served as RSS (set by tests)
        self.hits: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request: object, client_address: object) -> None:
        # A client closing its keep-alive connection is how HTTP clients end, not a
        # server fault; socketserver would print it to sys.stderr, which CliRunner
        # captures as the command's own output. Anything else is still reported.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/rss+xml", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.hits[path] += 1
        if self.headers.get("If-None-Match"):
            self.server.conditional[path] += 1
        if path.startswith("/feeds/"):
            file = FEEDS / path.removeprefix("/feeds/")
            if not file.is_file() or file.parent != FEEDS:
                return self._send(404, b"not found", "text/plain")
            return self._serve(file.read_bytes())
        if path in self.server.extra:
            return self._serve(self.server.extra[path])
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            return self._send(code, b"<html>error</html>", "text/html", {"Retry-After": "0"} if code == 429 else None)
        if path == "/loop":
            return self._send(302, b"", "text/plain", {"Location": "/loop"})
        if path == "/moved":
            return self._send(301, b"", "text/plain", {"Location": "/feeds/wordpress_feed_arstechnica.xml"})
        if path == "/slow":
            time.sleep(1.5)
            return self._send(200, b"<rss/>")
        if path == "/huge":
            return self._send(200, b"<rss version=\"2.0\"><channel>" + b"<!-- padding -->" * 20_000 + b"</channel></rss>")
        if path == "/huge-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(400):
                self.wfile.write(b"x" * 1000)
            self.close_connection = True
            return None
        if path == "/html":
            return self._send(200, b"<!DOCTYPE html><html><head><title>Cycles</title></head><body>Bienvenue</body></html>", "text/html")
        if path == "/flaky":
            if self.server.hits[path] == 1:
                return self._send(503, b"busy", "text/plain")
            return self._serve((FEEDS / "mastodon_account_nuclearpasta_mastodon-art.xml").read_bytes())
        return self._send(404, b"not found", "text/plain")

    def _serve(self, body: bytes) -> None:
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", headers={"ETag": etag})
        return self._send(200, body, headers={"ETag": etag, "Last-Modified": "Tue, 01 Dec 2026 06:00:00 GMT"})


@contextmanager
def serving() -> Iterator[FeedServer]:
    """The server, running in a thread while the block runs."""
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def rss(items: list[tuple[str, str | None]]) -> bytes:
    """A small RSS 2.0 feed: (guid, pubDate or None) per item."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://example.org/</link>']
    for guid, date in items:
        parts.append(f"<item><guid isPermaLink=\"false\">{guid}</guid><link>https://example.org/{guid}</link>"
                     + (f"<pubDate>{date}</pubDate>" if date else "") + "</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode()
