"""The server's state: settings, a read-only view of the store's newest version, the workers."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from graphkg.query_pool import QueryClient, QueryPool
from graphkg.settings import Settings
from graphkg.store import PUBLIC_SUFFIX, LatestReader
from graphkg.tokens import WriteToken
from graphkg.writer import Writes


class StoreView(LatestReader):
    """The store's newest version, for the server's own bounded queries (resource pages,
    listings, dumps); user SPARQL goes to the worker pool instead.

    Without ``show_article_text``, the embedded store is read through its copies
    without the articles' full texts (a remote one must hold none: see
    ``graphkg serve``).
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings, public=not settings.show_article_text)
        self._public = not settings.show_article_text
        self._files = self.files_root()

    @property
    def files_folder(self) -> Path:
        """Where files made from this version (dumps) are kept: beside the embedded store,
        in a temporary folder for a remote one. A public view's differ, as its data does."""
        return self._files / (self.version + (PUBLIC_SUFFIX if self._public else ""))

    def subject_exists(self, iri: str) -> bool:
        return bool(self.graph.query("ASK { ?s ?p ?o }", substitutions={"s": ox.NamedNode(iri)}))


@dataclass
class ServerState:
    settings: Settings
    view: StoreView
    queries: QueryClient
    pool: QueryPool | None
    """The query workers this app started itself (None when it uses a server's pool)."""
    write_tokens: list[WriteToken] = field(default_factory=list)
    writes: Writes | None = None
    """The store's writer (None without write tokens: the server takes no writes)."""
    validations: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(1)
    )
    """One slot per validation this process may evaluate at once."""

    def init_app(self, app: Flask) -> None:
        app.extensions["graphkg"] = self


def server_state() -> ServerState:
    """The state of the running app."""
    return current_app.extensions["graphkg"]  # type: ignore[no-any-return]
