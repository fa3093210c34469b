"""The server's state: settings, a read-only view of the newest checkpoint, the query workers."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from graphkg.errors import StoreError
from graphkg.query_pool import QueryClient, QueryPool
from graphkg.settings import Settings
from graphkg.store import PUBLIC_SUFFIX, KnowledgeGraph


class StoreView:
    """The newest checkpoint, opened read-only and reopened when a new one appears.

    Used for the server's own bounded queries (resource pages, listings,
    dumps); user SPARQL goes to the worker pool instead. ``public`` opens the
    copies without the articles' full texts.
    """

    def __init__(self, store_dir: Path, *, base: str, public: bool) -> None:
        self._store_dir = store_dir
        self._base = base
        self._public = public
        self._lock = threading.Lock()
        self._graph: KnowledgeGraph | None = None
        self._version: str | None = None
        self._pointer = store_dir / "CURRENT"
        self._pointer_read: tuple[tuple[int, int, int], str] | None = None

    def _current_version(self) -> str | None:
        """The checkpoint CURRENT names; the file is read again only when it was replaced.

        Every request asks, so a ``stat`` (CURRENT is replaced by rename, so
        its inode changes) stands in for opening and reading it.
        """
        try:
            stat = os.stat(self._pointer)
        except OSError:
            return None
        signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        read = self._pointer_read
        if read is None or read[0] != signature:
            try:
                read = (signature, self._pointer.read_text(encoding="utf-8").strip())
            except OSError:
                return None
            self._pointer_read = read
        return read[1]

    @property
    def graph(self) -> KnowledgeGraph:
        version = self._current_version()
        if version is None:
            raise StoreError(f"no store at {self._store_dir}: run `graphkg build` first")
        if version != self._version:
            with self._lock:
                if version != self._version:
                    self._graph = KnowledgeGraph.open_reader(
                        self._store_dir, base=self._base, public=self._public
                    )
                    self._version = version
        assert self._graph is not None
        return self._graph

    @property
    def version(self) -> str:
        """An id of the stored data that changes with every commit (for ETags)."""
        self.graph  # noqa: B018 - opens the newest checkpoint if it changed
        assert self._version is not None
        return self._version

    @property
    def cache_name(self) -> str:
        """The name of this version's files cache: a public view's differs, as its files do."""
        return self.version + (PUBLIC_SUFFIX if self._public else "")

    @property
    def last_modified(self) -> float:
        return self._pointer.stat().st_mtime

    def subject_exists(self, iri: str) -> bool:
        return bool(self.graph.query("ASK { ?s ?p ?o }", substitutions={"s": ox.NamedNode(iri)}))


@dataclass
class ServerState:
    settings: Settings
    view: StoreView
    queries: QueryClient
    pool: QueryPool | None
    """The query workers this app started itself (None when it uses a server's pool)."""

    def init_app(self, app: Flask) -> None:
        app.extensions["graphkg"] = self


def server_state() -> ServerState:
    """The state of the running app."""
    return current_app.extensions["graphkg"]  # type: ignore[no-any-return]
