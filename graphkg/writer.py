"""The store's one writer: builds, submissions, removals and restores, one at a time,
each recorded in the store's history.

Every write goes through a :class:`Writer`: a command's own when no server holds
the store, else the server's. A running server owns its store's writer; every
write, whichever HTTP process took it, is made there, serialized by a lock, while
readers go on reading the last checkpoint. ``graphkg serve`` keeps the writer in
its main process and takes the HTTP processes' writes on a Unix socket
(:class:`WriteService`, :class:`WriteClient`); an app made on its own (tests, an
embedding program) holds a :class:`Writer` itself. Writes answer with a
:class:`WriteOutcome`, an HTTP status and a body, never an exception.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from graphkg.errors import ChangeRefused, GraphkgError, StoreError, UnknownArticle
from graphkg.history import History, Pending, Touched, UnknownVersion
from graphkg.iri import article_graph_iri
from graphkg.mapping import MappedSource
from graphkg.pipeline import build_store, map_and_validate, storable
from graphkg.settings import Settings
from graphkg.store import Change, KnowledgeGraph, StoreStats, open_store
from graphkg.submission import Submission, renamed
from graphkg.tokens import ADMIN
from graphkg.validation import ValidationReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WriteOutcome:
    """A write's answer: its HTTP status and body, or an error's status and message."""

    status: int
    body: bytes = b""
    media_type: str = "application/json"
    error: str | None = None

    @classmethod
    def of(cls, status: int, **fields: Any) -> WriteOutcome:
        return cls(status, json.dumps({"ok": True, **fields}, indent=2).encode())

    @classmethod
    def failed(cls, status: int, error: str) -> WriteOutcome:
        return cls(status, error=error)


@dataclass(frozen=True)
class WriteRequest:
    """Who asks for a write (a token's name and scope, or the command line's user), and
    how: a dry run, strict about what other articles reference, the report's type."""

    author: str
    scope: str
    dry_run: bool = False
    strict: bool = False
    report_type: str = "application/json"


Progress = Callable[[Path], None]


class Writes(Protocol):
    """What the server asks of the writer, in this process or through the service."""

    def submit(self, submission: Submission, request: WriteRequest) -> WriteOutcome: ...

    def remove(self, article_id: str, request: WriteRequest) -> WriteOutcome: ...

    def restore(self, article_id: str, version: int, request: WriteRequest) -> WriteOutcome: ...

    def close(self) -> None: ...


def _summary(file: str, source: MappedSource, change: Change) -> dict[str, Any]:
    return {
        "file": file,
        "article": source.article_id,
        "graph": str(source.graph),
        "added": change.added,
        "removed": change.removed,
    }


WriteMethod = Callable[..., WriteOutcome]


def _answering(method: WriteMethod) -> WriteMethod:
    """The write ``method``, answering with an outcome whatever it raises."""

    @functools.wraps(method)
    def answered(*args: Any, **kwargs: Any) -> WriteOutcome:
        try:
            return method(*args, **kwargs)
        except (UnknownArticle, UnknownVersion) as error:
            return WriteOutcome.failed(404, str(error))
        except ChangeRefused as error:
            return WriteOutcome.failed(409, str(error))
        except StoreError as error:
            log.error("write failed: %s", error)
            return WriteOutcome.failed(503, str(error))
        except GraphkgError as error:
            return WriteOutcome.failed(400, str(error))
        except Exception:
            log.exception("write failed")
            return WriteOutcome.failed(500, "the write failed unexpectedly; it was logged")

    return answered


class Writer:
    """The writer of a store, taking one write at a time (see the module's doc), and
    recording each in the store's history."""

    def __init__(self, settings: Settings, *, server: str | None = None) -> None:
        self._settings = settings
        self._kg: KnowledgeGraph = open_store(settings, writer=True, server=server)
        self._history = History.open(settings, writer=True)
        self._history.settle(self._kg.reached)
        self._lock = threading.Lock()

    @_answering
    def submit(
        self, submission: Submission, request: WriteRequest, progress: Progress | None = None
    ) -> WriteOutcome:
        """Validate the submitted fact files against the store, then replace their
        articles in one transaction (unless a dry run); 422 and no change when any file
        does not conform. What an article's old version declared that other articles
        reference is kept as shared, or, when the request is strict, the write is refused."""
        with self._lock, submission.unpacked() as unpacked:
            return self._add(unpacked.fact_files, unpacked.plain, request, "add", progress)

    @_answering
    def add_paths(
        self, paths: list[Path], request: WriteRequest, progress: Progress | None = None
    ) -> WriteOutcome:
        """:meth:`submit` for fact files on this machine, read where they are."""
        with self._lock:
            return self._add(paths, str, request, "add", progress)

    def _add(
        self,
        fact_files: list[Path],
        plain: Callable[[str], str],
        asked: WriteRequest,
        action: str,
        progress: Progress | None,
    ) -> WriteOutcome:
        """Validate, refuse or commit fact files; ``plain`` names a file as its sender did."""
        mapped, report = map_and_validate(
            fact_files,
            base=self._kg.base,
            kg=self._kg,
            limits=self._settings.input_limits,
            progress=progress,
            processes=self._settings.validation_processes,
        )
        report = renamed(report, plain)
        if not report.conforms:
            return _refusal(report, asked.report_type)
        shared = [plain(s.file) for s in mapped if s.article_id is None]
        if shared and asked.scope != ADMIN:
            return WriteOutcome.failed(
                403,
                f"{shared[0]} declares shared entities, which only an admin token may "
                "change; a steward token adds articles and the entities they declare",
            )
        try:
            sources = storable(mapped)
        except ChangeRefused as error:
            raise ChangeRefused(plain(str(error))) from None
        changes = [self._kg.change_of(source) for source in sources]
        summary = {
            "dry_run": asked.dry_run,
            "changed": any(changes),
            "sources": [
                _summary(plain(s.file), s, c) for s, c in zip(sources, changes, strict=True)
            ],
            "warnings": [p.as_dict() for p in report.problems if p.severity == "warning"],
        }
        if asked.dry_run or not any(changes):
            return WriteOutcome.of(200, **summary)
        pending = Pending(action, asked.author, self._kg.next_version())
        for source, change, fact_file in zip(sources, changes, fact_files, strict=True):
            pending.touched.append(
                Touched(str(source.graph), source.article_id, change.added, change.removed)
            )
            pending.keep_files(source, fact_file)
        with self._history.change(pending):
            kept = self._kg.replace_sources(sources, strict=asked.strict)
            for touched, retained in zip(pending.touched, kept, strict=True):
                touched.note = retained.describe()
        for entry, retained in zip(summary["sources"], kept, strict=True):  # type: ignore[call-overload]
            entry["kept_for_others"] = list(retained.ids)
        summary["change"] = self._history.last_change
        log.info("%s: %s of %d sources", asked.author, action, len(sources))
        return WriteOutcome.of(201, **summary)

    @_answering
    def remove(self, article_id: str, request: WriteRequest) -> WriteOutcome:
        """Remove an article and what it contributed, in one transaction; what other
        articles reference is kept as shared, or with ``strict`` the removal is refused."""
        with self._lock:
            pending = Pending("remove", request.author, self._kg.next_version())
            graph = article_graph_iri(self._kg.base, article_id)
            touched = Touched(graph, article_id, 0, self._kg.removal_of(article_id).removed)
            pending.touched.append(touched)
            with self._history.change(pending):
                change, retained = self._kg.remove_article(article_id, strict=request.strict)
                touched.note = retained.describe()
            log.info("%s: removed %s", request.author, article_id)
            return WriteOutcome.of(
                200,
                removed=article_id,
                triples_removed=change.removed,
                kept_for_others=list(retained.ids),
                referenced_by=list(retained.referenced_by),
                change=self._history.last_change,
            )

    @_answering
    def restore(self, article_id: str, version: int, request: WriteRequest) -> WriteOutcome:
        """Put back the version of an article that change ``version`` made: its files,
        validated against the store as it is now, and recorded as a change of its own."""
        with self._lock:
            submission = self._history.submission(article_id, version)
            with submission.unpacked() as unpacked:
                action = f"restore of version {version}"
                return self._add(unpacked.fact_files, unpacked.plain, request, action, None)

    def build(
        self, seeds: Path, author: str, *, progress: Progress | None = None
    ) -> tuple[int, StoreStats]:
        """Replace the whole store by the seeds (see :func:`build_store`), recorded in the
        history as one change; how many sources were stored, and what the store holds.
        A seed that does not conform raises, with the report, and changes nothing."""
        with self._lock:
            pending = Pending(f"build from {seeds}", author, self._kg.next_version())
            with self._history.change(pending):
                stored = build_store(
                    self._kg,
                    seeds,
                    limits=self._settings.input_limits,
                    progress=progress,
                    processes=self._settings.validation_processes,
                )
            return stored, self._kg.stats()

    def close(self) -> None:
        """Let the store go: another process may write it now."""
        self._history.close()
        self._kg = None  # type: ignore[assignment]


def _refusal(report: ValidationReport, report_type: str) -> WriteOutcome:
    return WriteOutcome(422, report.rendered(report_type), report_type)


# -- between the server's processes -------------------------------------------

WRITE_METHODS = ("submit", "remove", "restore")


class WriteService:
    """A :class:`Writer` taking the HTTP processes' writes on a Unix socket.

    Each connection carries one call (a method's name and its arguments) and
    its outcome; the writer's lock serializes them. The socket
    is in a folder only this user can enter.
    """

    def __init__(self, writer: Writer) -> None:
        self._writer = writer
        self._directory = tempfile.mkdtemp(prefix="graphkg-writes-")
        self.address = os.path.join(self._directory, "socket")
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.address)
        self._listener.listen(socket.SOMAXCONN)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                accepted, _ = self._listener.accept()
            except OSError:  # closed
                return
            connection = Connection(accepted.detach())
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: Connection) -> None:
        try:
            name, arguments = connection.recv()
            if name not in WRITE_METHODS:
                outcome = WriteOutcome.failed(400, f"no write {name!r}")
            else:
                outcome = getattr(self._writer, name)(*arguments)
            connection.send(outcome)
        except (EOFError, OSError):  # the HTTP process went away; the write stands
            pass
        finally:
            connection.close()

    def close(self) -> None:
        self._listener.close()
        shutil.rmtree(self._directory, ignore_errors=True)
        self._writer.close()


class WriteClient:
    """Sends writes to the :class:`WriteService` at ``address``."""

    def __init__(self, address: str) -> None:
        self.address = address

    def _call(self, name: str, *arguments: Any) -> WriteOutcome:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(self.address)
        except OSError as error:
            sock.close()
            return WriteOutcome.failed(503, f"the writer is not running: {error.strerror}")
        connection = Connection(sock.detach())
        try:
            connection.send((name, arguments))
            outcome: WriteOutcome = connection.recv()
            return outcome
        except (EOFError, OSError):
            return WriteOutcome.failed(503, "the writer stopped before it answered")
        finally:
            connection.close()

    def submit(self, submission: Submission, request: WriteRequest) -> WriteOutcome:
        return self._call("submit", submission, request)

    def remove(self, article_id: str, request: WriteRequest) -> WriteOutcome:
        return self._call("remove", article_id, request)

    def restore(self, article_id: str, version: int, request: WriteRequest) -> WriteOutcome:
        return self._call("restore", article_id, version, request)

    def close(self) -> None:
        pass
