"""The only module that speaks HTTP (httpx): one polite GET for a feed.

Timeouts on every phase, a few retries with back-off on what may pass (timeouts,
dropped connections, 429 and 5xx, honouring a short Retry-After), conditional
requests (ETag / Last-Modified → 304), an honest User-Agent, a size cap read as the
body streams in, and a limit on redirects.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Self

import httpx

from handover import __version__

USER_AGENT = f"handover/{__version__} (feed reader for a community's activity pulse; +https://pypi.org/project/handover/)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """A feed could not be read; the message says why, in words for the user."""


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds for each of connect, read, write
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2  # after the first try
    backoff: float = 0.5  # seconds before the first retry, doubled each time
    max_retry_after: float = 5.0  # a longer Retry-After is not waited for


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    body: bytes
    etag: str
    last_modified: str
    not_modified: bool


class Client:
    """A reusable connection pool for a batch of feeds."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.limits.timeout), follow_redirects=True, max_redirects=self.limits.max_redirects,
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}, trust_env=False)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Response:
        """GET `url`, conditionally when a validator is known. Raises FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limits = self.limits
        delay = limits.backoff
        for attempt in range(limits.retries + 1):
            last = attempt == limits.retries
            try:
                return self._once(url, headers)
            except _Retry as retry:
                if last:
                    raise FetchError(str(retry)) from None
                wait = retry.after if retry.after is not None and retry.after <= limits.max_retry_after else delay
                time.sleep(wait)
                delay *= 2
        raise FetchError("no attempt made")  # pragma: no cover - the loop always returns or raises

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        limits = self.limits
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status == 304:
                    return Response(str(response.url), b"", response.headers.get("etag", ""), response.headers.get("last-modified", ""), True)
                if status in RETRY_STATUSES:
                    raise _Retry(f"HTTP {status} {response.reason_phrase} from the server" + (" (too many requests)" if status == 429 else ""),
                                 _retry_after(response.headers.get("retry-after")))
                if status >= 400:
                    gone = " (the feed is gone: remove feed: or give its new address)" if status in (404, 410) else ""
                    raise FetchError(f"HTTP {status} {response.reason_phrase}{gone}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limits.max_bytes:
                    raise FetchError(f"too large: {int(declared):,} bytes announced, the limit is {limits.max_bytes:,}")
                chunks, size = [], 0
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if size > limits.max_bytes:
                        raise FetchError(f"too large: more than {limits.max_bytes:,} bytes, stopped reading")
                    chunks.append(chunk)
                body = b"".join(chunks)
                encoding = response.headers.get("content-encoding", "")
                if encoding:  # decoded here, after the cap on what travelled
                    body = _decode(body, encoding, limits.max_bytes)
                return Response(str(response.url), body, response.headers.get("etag", ""), response.headers.get("last-modified", ""), False)
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {limits.max_redirects} redirects (a redirect loop?)") from None
        except httpx.TimeoutException:
            raise _Retry(f"no answer within {limits.timeout:g} seconds (timeout)", None) from None
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retry(f"connection failed: {exc or type(exc).__name__}", None) from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"not a usable address: {exc}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}") from None


class _Retry(Exception):
    def __init__(self, message: str, after: float | None) -> None:
        super().__init__(message)
        self.after = after


def _retry_after(value: str | None) -> float | None:
    return float(value) if value and value.strip().isdigit() else None


def _decode(body: bytes, encoding: str, cap: int) -> bytes:
    """gzip/deflate bodies, refusing a decompression bomb past the cap."""
    import zlib

    if encoding.strip().lower() not in ("gzip", "deflate", "x-gzip"):
        raise FetchError(f"unsupported content encoding {encoding!r}")
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)
    try:
        out = decoder.decompress(body, cap + 1)
    except zlib.error as exc:
        raise FetchError(f"the compressed body is broken: {exc}") from None
    if len(out) > cap:
        raise FetchError(f"too large once decompressed: more than {cap:,} bytes")
    return out
