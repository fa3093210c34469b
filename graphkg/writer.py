"""The store's one writer while a server runs: submissions and removals, one at a time.

A running server owns its store's writer (:class:`Writer`); every write,
whichever HTTP process took it, is made there, serialized by a lock, while
readers go on reading the last checkpoint. ``graphkg serve`` keeps the
writer in its main process and takes the HTTP processes' writes on a Unix
socket (:class:`WriteService`, :class:`WriteClient`); an app made on its own
(tests, an embedding program) holds a :class:`Writer` itself. Both answer
with a :class:`WriteOutcome`: an HTTP status and a body, never an exception.
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
from typing import Any, Protocol

from graphkg.errors import ChangeRefused, GraphkgError, StoreError, UnknownArticle
from graphkg.mapping import MappedSource
from graphkg.pipeline import map_and_validate, storable
from graphkg.settings import Settings
from graphkg.store import Change, KnowledgeGraph, open_store
from graphkg.submission import Submission, Unpacked
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


class Writes(Protocol):
    """What the server asks of the writer, in this process or through the service."""

    def submit(
        self, submission: Submission, *, author: str, scope: str, dry_run: bool, report_type: str
    ) -> WriteOutcome: ...

    def remove(self, article_id: str, *, author: str, scope: str) -> WriteOutcome: ...

    def close(self) -> None: ...


def _summary(unpacked: Unpacked, source: MappedSource, change: Change) -> dict[str, Any]:
    return {
        "file": unpacked.name(source.file),
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
        except UnknownArticle as error:
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
    """The writer of a store, taking one write at a time (see the module's doc)."""

    def __init__(self, settings: Settings, *, server: str | None = None) -> None:
        self._settings = settings
        self._kg: KnowledgeGraph = open_store(settings, writer=True, server=server)
        self._lock = threading.Lock()

    @_answering
    def submit(
        self,
        submission: Submission,
        *,
        author: str,
        scope: str,
        dry_run: bool = False,
        report_type: str = "application/json",
    ) -> WriteOutcome:
        """Validate the submitted fact files against the store, then replace their
        articles in one transaction (unless ``dry_run``); 422 and no change when any
        file does not conform."""
        with self._lock, submission.unpacked() as unpacked:
            mapped, report = map_and_validate(
                unpacked.fact_files,
                base=self._kg.base,
                kg=self._kg,
                limits=self._settings.input_limits,
                processes=self._settings.validation_processes,
            )
            report = unpacked.relabel(report)
            if not report.conforms:
                return _refusal(report, report_type)
            shared = [unpacked.name(s.file) for s in mapped if s.article_id is None]
            if shared and scope != ADMIN:
                return WriteOutcome.failed(
                    403,
                    f"{shared[0]} declares shared entities, which only an admin token may "
                    "change; a steward token adds articles and the entities they declare",
                )
            sources = storable(mapped)
            changes = [self._kg.change_of(source) for source in sources]
            summary = {
                "dry_run": dry_run,
                "changed": any(changes),
                "sources": [
                    _summary(unpacked, s, c) for s, c in zip(sources, changes, strict=True)
                ],
                "warnings": [p.as_dict() for p in report.problems if p.severity == "warning"],
            }
            if dry_run or not any(changes):
                return WriteOutcome.of(200, **summary)
            self._kg.replace_sources(sources)
            log.info("%s added %s (%s)", author, len(sources), submission.digest[:12])
            return WriteOutcome.of(201, **summary)

    @_answering
    def remove(self, article_id: str, *, author: str, scope: str) -> WriteOutcome:
        """Remove an article and what it contributed, in one transaction."""
        with self._lock:
            self._kg.remove_article(article_id)
            log.info("%s removed %s", author, article_id)
            return WriteOutcome.of(200, removed=article_id)

    def close(self) -> None:
        """Let the store go: another process may write it now."""
        self._kg = None  # type: ignore[assignment]


def _refusal(report: ValidationReport, report_type: str) -> WriteOutcome:
    return WriteOutcome(422, report.rendered(report_type), report_type)


# -- between the server's processes -------------------------------------------

WRITE_METHODS = ("submit", "remove")


class WriteService:
    """A :class:`Writer` taking the HTTP processes' writes on a Unix socket.

    Each connection carries one call (a method's name and its keyword
    arguments) and its outcome; the writer's lock serializes them. The socket
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
                outcome = getattr(self._writer, name)(**arguments)
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

    def _call(self, name: str, **arguments: Any) -> WriteOutcome:
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

    def submit(
        self, submission: Submission, *, author: str, scope: str, dry_run: bool, report_type: str
    ) -> WriteOutcome:
        return self._call(
            "submit",
            submission=submission,
            author=author,
            scope=scope,
            dry_run=dry_run,
            report_type=report_type,
        )

    def remove(self, article_id: str, *, author: str, scope: str) -> WriteOutcome:
        return self._call("remove", article_id=article_id, author=author, scope=scope)

    def close(self) -> None:
        pass
