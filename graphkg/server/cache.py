"""A response cache keyed by the store version, in front of the Flask app.

Every answer of the server is a function of the request (path, query string,
``Accept``, host) and of the stored data, and the data only changes with a new
checkpoint. So a whole response, once made, can be served again until the
store version changes, without entering Flask or the store: a repeated lookup
or named query costs one read of an index and a file. Only responses a route
marked as cacheable by giving them an ``ETag`` are kept (resources, query
results, named queries), and only when they are small and not streamed.

The responses are kept on disk (``diskcache``: an SQLite index, large bodies
in files of their own), not in the process: all HTTP processes of a server
share one cache, and the memory it takes is the operating system's file
cache, which it gives back under pressure, rather than each process's heap,
which would grow with the answers, and so with the store, up to the cap.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import diskcache

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

KEY_FIELDS = (
    "PATH_INFO",
    "QUERY_STRING",
    "SCRIPT_NAME",
    "HTTP_ACCEPT",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PREFIX",
    "wsgi.url_scheme",
)
"""What a response may depend on besides the stored data."""

ENDPOINT_KEY = "graphkg.endpoint"
ROWS_KEY = "graphkg.result_rows"
"""Set in the WSGI environment by the app, so that hits are logged like misses."""


@dataclass(frozen=True)
class CachedResponse:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    endpoint: str
    rows: int | None


RequestLog = Callable[["WSGIEnvironment", str, int, float, int | None, str], None]
"""Called for each answer from the cache: environ, endpoint, status, seconds, rows, request id."""


class ResponseCache:
    """WSGI middleware keeping whole responses per store version in ``directory``, shared
    with every process that uses the same one; the oldest kept go first.

    Without a directory the cache makes one of its own, removed when it is
    garbage collected or the process ends. An entry of an older version is
    never served (the version is part of the key) and is among the first to go.
    """

    def __init__(
        self,
        app: WSGIApplication,
        *,
        max_bytes: int,
        version: Callable[[], str],
        log: RequestLog,
        directory: Path | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // 16
        self._version = version
        self._log = log
        if directory is None:
            directory = Path(tempfile.mkdtemp(prefix="graphkg-responses-"))
            weakref.finalize(self, shutil.rmtree, directory, ignore_errors=True)
        # Least recently stored rather than used: a hit then only reads. SQLite's
        # own page cache (32 MiB by default, per thread) and memory map would
        # bring the bodies back into the process; the OS caches the files anyway.
        self._entries = diskcache.Cache(
            str(directory),
            size_limit=max_bytes,
            eviction_policy="least-recently-stored",
            sqlite_cache_size=256,
            sqlite_mmap_size=0,
        )
        self._counts_lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        started = time.perf_counter()
        version = self._version()
        key = (version, *(environ.get(name) for name in KEY_FIELDS))
        entry = self._get(key)
        if entry is None:
            return self._fill(environ, start_response, key, method)
        request_id = environ.get("HTTP_X_REQUEST_ID") or uuid.uuid4().hex[:16]
        if _matches(environ.get("HTTP_IF_NONE_MATCH", ""), entry.etag):
            status, headers, body = "304 Not Modified", _not_modified_headers(entry), b""
        else:
            status, headers, body = entry.status, entry.headers, entry.body
        start_response(status, [*headers, ("X-Request-Id", request_id), ("X-Cache", "hit")])
        self._log(
            environ,
            entry.endpoint,
            int(status[:3]),
            time.perf_counter() - started,
            entry.rows,
            request_id,
        )
        return [body] if method == "GET" else []

    def _get(self, key: tuple[str | None, ...]) -> CachedResponse | None:
        entry = self._entries.get(key)
        with self._counts_lock:
            if entry is None:
                self.misses += 1
            else:
                self.hits += 1
        return entry

    def _fill(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        key: tuple[str | None, ...],
        method: str,
    ) -> Iterable[bytes]:
        captured: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        if method != "GET" or not captured or not captured[0].startswith("200"):
            return body
        headers = captured[1]
        names = {name.lower(): value for name, value in headers}
        length = names.get("content-length")
        if (
            "etag" not in names
            or length is None
            or int(length) > self.max_entry_bytes
            or "no-store" in names.get("cache-control", "")
        ):
            return body
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
        kept = [(n, v) for n, v in headers if n.lower() != "x-request-id"]
        self._entries.add(  # a sibling process may have kept it meanwhile
            key,
            CachedResponse(
                captured[0],
                kept,
                content,
                names["etag"],
                environ.get(ENDPOINT_KEY, "unknown"),
                environ.get(ROWS_KEY),
            ),
        )
        return [content]

    @property
    def size(self) -> tuple[int, int]:
        """Entries and bytes held (on disk: the bodies and the index)."""
        return len(self._entries), self._entries.volume()


def _matches(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header matches ``etag`` (weak comparison, RFC 9110 13.1.2)."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


def _not_modified_headers(entry: CachedResponse) -> list[tuple[str, str]]:
    """The headers a 304 repeats (RFC 9110 15.4.5): validators and what varies."""
    keep = {"etag", "vary", "link", "cache-control", "last-modified", "access-control-allow-origin"}
    return [(n, v) for n, v in entry.headers if n.lower() in keep]
