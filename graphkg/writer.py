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

import pyoxigraph as ox

from graphkg.errors import ChangeRefused, GraphkgError, StoreError, UnknownArticle
from graphkg.history import History, Pending, Touched, UnknownVersion
from graphkg.iri import article_graph_iri
from graphkg.mapping import MappedSource
from graphkg.pipeline import build_store, check_changed, map_and_validate, storable
from graphkg.search import (
    Gathered,
    SearchIndexWriter,
    roots_of_article,
    roots_of_quads,
    roots_of_sources,
)
from graphkg.settings import Settings
from graphkg.store import Change, KnowledgeGraph, open_store
from graphkg.submission import Submission, renamed
from graphkg.tokens import ADMIN
from graphkg.update import (
    Diff,
    DiffRefused,
    Evaluation,
    Graph,
    ProtocolDataset,
    evaluate_update,
    graph_deletion,
    graph_merge,
    graph_replacement,
    skolemized,
)
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


@dataclass(frozen=True)
class SparqlUpdate:
    """A SPARQL 1.1 Update request: its text, the protocol's ``using-graph-uri`` and
    ``using-named-graph-uri``, and the base IRI its relative IRIs resolve against."""

    text: str
    using: ProtocolDataset = ProtocolDataset()
    base_iri: str | None = None


@dataclass(frozen=True)
class GraphWrite:
    """A Graph Store Protocol write: ``PUT``, ``POST`` or ``DELETE`` of one graph (None:
    the default graph), with the graph's triples as N-Triples."""

    method: str
    graph: str | None
    ntriples: bytes = b""


Progress = Callable[[Path], None]

DEFAULT_IS_UNION = "the default graph is the union of the data graphs: write named graphs"


class Writes(Protocol):
    """What the server asks of the writer, in this process or through the service."""

    def submit(self, submission: Submission, request: WriteRequest) -> WriteOutcome: ...

    def remove(self, article_id: str, request: WriteRequest) -> WriteOutcome: ...

    def restore(self, article_id: str, version: int, request: WriteRequest) -> WriteOutcome: ...

    def update(self, update: SparqlUpdate, request: WriteRequest) -> WriteOutcome: ...

    def write_graph(self, write: GraphWrite, request: WriteRequest) -> WriteOutcome: ...

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
        except DiffRefused as error:
            return WriteOutcome.failed(error.status, str(error))
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
        # The search index follows every commit below (see graphkg.search).
        self._search = SearchIndexWriter(settings, self._kg)
        self._search.catch_up()
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
        searched = roots_of_sources(self._kg, sources)
        with self._history.change(pending), self._search.change(searched):
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
            searched = roots_of_article(self._kg, article_id)
            with self._history.change(pending), self._search.change(searched):
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

    @_answering
    def update(self, update: SparqlUpdate, request: WriteRequest) -> WriteOutcome:
        """Evaluate a SPARQL update into the quads it deletes and inserts (see
        :mod:`graphkg.update`), then gate it like a fact file: 200 with what changed, or
        422 with the report and no change."""
        with self._lock:
            evaluation = self._evaluation()
            try:
                evaluate_update(
                    update.text,
                    evaluation,
                    base_iri=update.base_iri,
                    using=update.using,
                    union=self._union,
                )
                return self._gate(evaluation, request, "update", ("update.rq", update.text))
            finally:
                evaluation.close()

    @_answering
    def write_graph(self, write: GraphWrite, request: WriteRequest) -> WriteOutcome:
        """A Graph Store write, gated like an update: 201 when it makes the graph, 204
        when the graph was there; 404 to delete a graph that is not."""
        target = ox.DefaultGraph() if write.graph is None else ox.NamedNode(write.graph)
        if write.graph is None and self._union:
            return WriteOutcome.failed(403, DEFAULT_IS_UNION)
        with self._lock:
            evaluation = self._evaluation()
            try:
                existed = evaluation.graph_exists(target)
                triples = skolemized(
                    ox.parse(write.ntriples, format=ox.RdfFormat.N_TRIPLES), evaluation
                )
                if write.method == "DELETE" and not existed:
                    return WriteOutcome.failed(404, f"no graph {target} in the store")
                if write.method == "PUT":
                    graph_replacement(evaluation, target, triples)
                elif write.method == "POST":
                    graph_merge(evaluation, target, triples)
                else:
                    graph_deletion(evaluation, target)
                action = f"graph store {write.method} of {target}"
                outcome = self._gate(evaluation, request, action, None)
            finally:
                evaluation.close()
        if outcome.status != 200:
            return outcome
        return WriteOutcome(204 if existed or write.method == "DELETE" else 201)

    def _evaluation(self) -> Evaluation:
        return Evaluation(self._kg, skolem_base=self._kg.base, scratch=self._kg.scratch)

    @property
    def _union(self) -> bool:
        return self._kg.union_is_default(self._settings.union_default_graph)

    def _check_scope(self, graphs: set[Graph], scope: str) -> None:
        """403 for a write to ``graphs`` the token may not make: no token writes the
        ontology and shapes
        (copies of their files) nor the default graph while it is the union; a steward
        writes article graphs only."""
        kg = self._kg
        for graph in sorted(graphs, key=str):
            if graph in (kg.ontology_graph, kg.shapes_graph, kg.version_graph):
                raise DiffRefused(
                    403,
                    f"{graph} is a copy of the files in ontology/ and shapes/, its source of "
                    "truth (or graphkg's own version marker): no token writes it",
                )
            if isinstance(graph, ox.DefaultGraph) and self._union:
                raise DiffRefused(403, DEFAULT_IS_UNION)
            article = isinstance(graph, ox.NamedNode) and graph.value.startswith(
                article_graph_iri(kg.base, "")
            )
            if scope != ADMIN and not article:
                raise DiffRefused(
                    403,
                    f"a steward token writes article graphs (<{article_graph_iri(kg.base, 'ID')}>)"
                    f" only, not {graph}: shared entities change through their fact files, "
                    "with an admin token",
                )

    def _gate(
        self,
        evaluation: Evaluation,
        asked: WriteRequest,
        action: str,
        request_file: tuple[str, str] | None,
    ) -> WriteOutcome:
        """Validate what ``evaluation``'s diff changes, then commit it with its history
        entry (unless a dry run); an article graph it empties takes its article with it,
        unless other articles reference what that one declared (409)."""
        diff = evaluation.diff
        self._check_scope(diff.graphs() | evaluation.aimed_at, asked.scope)
        counts = _counts(diff)
        summary = {
            "dry_run": asked.dry_run,
            "changed": bool(diff),
            "graphs": {g: {"added": a, "removed": r} for g, (a, r) in counts.items()},
        }
        if not diff:
            return WriteOutcome.of(200, **summary)
        article_prefix = article_graph_iri(self._kg.base, "")
        if empty := [
            g
            for g in diff.created
            if g.value.startswith(article_prefix) and not evaluation.graph_quads(g)
        ]:
            raise DiffRefused(
                422,
                f"{empty[0]} would be an empty article graph: an article graph holds its article",
            )
        report = check_changed(self._kg, diff)
        if not report.conforms:
            return _refusal(report, asked.report_type)
        for graph in sorted(counts):
            emptied = graph.startswith(article_prefix) and not evaluation.graph_quads(
                ox.NamedNode(graph)
            )
            article = f"{self._kg.base}id/article/{graph[len(article_prefix) :]}"
            if emptied and (
                dangling := self._kg.references_to(self._kg.declared_by(article), besides=article)
            ):
                raise ChangeRefused(
                    f"emptying <{graph}> would remove what other sources still reference: "
                    + "; ".join(r.describe() for r in dangling[:10])
                )
        summary["warnings"] = [p.as_dict() for p in report.problems if p.severity == "warning"]
        if asked.dry_run:
            return WriteOutcome.of(200, **summary)
        pending = Pending(action, asked.author, self._kg.next_version())
        for graph, (added, removed) in counts.items():
            article = graph[len(article_prefix) :] if graph.startswith(article_prefix) else None
            pending.touched.append(Touched(graph, article, added, removed))
        if request_file is not None:
            name, text = request_file
            pending.files.append((None, name, False, text.encode("utf-8")))
        searched = roots_of_quads(self._kg.base, diff.deleted | diff.inserted)
        with self._history.change(pending), self._search.change(searched):
            self._kg.commit_diff(diff, action)
        summary["change"] = self._history.last_change
        log.info("%s: %s changing %d graphs", asked.author, action, len(counts))
        return WriteOutcome.of(200, **summary)

    def build(
        self, seeds: Path, author: str, *, progress: Progress | None = None
    ) -> tuple[int, dict[str, int]]:
        """Replace the whole store by the seeds (see :func:`build_store`), recorded in the
        history as one change; how many sources were stored, and the triples of each graph
        (not :meth:`KnowledgeGraph.stats`, whose count by class is a second scan).
        A seed that does not conform raises, with the report, and changes nothing."""
        with self._lock:
            pending = Pending(f"build from {seeds}", author, self._kg.next_version())
            index = Gathered(self._kg.base)
            with self._history.change(pending), self._search.change(None, built=index):
                stored = build_store(
                    self._kg,
                    seeds,
                    limits=self._settings.input_limits,
                    progress=progress,
                    processes=self._settings.validation_processes,
                    index=index,
                )
            return stored, self._kg.triples_per_graph()

    def reindex(self) -> int:
        """Rebuild the search index whole from the store (``graphkg reindex``); how many
        texts it holds."""
        with self._lock:
            return self._search.rebuild()

    def close(self) -> None:
        """Let the store go: another process may write it now."""
        self._search.close()
        self._history.close()
        self._kg = None  # type: ignore[assignment]


def _counts(diff: Diff) -> dict[str, tuple[int, int]]:
    """Triples added and removed, by graph (``DEFAULT`` for the default graph)."""
    counts: dict[str, list[int]] = {}
    for index, quads in enumerate((diff.inserted, diff.deleted)):
        for quad in quads:
            graph = quad.graph_name
            name = graph.value if isinstance(graph, ox.NamedNode) else "DEFAULT"
            counts.setdefault(name, [0, 0])[index] += 1
    return {graph: (added, removed) for graph, (added, removed) in sorted(counts.items())}


def _refusal(report: ValidationReport, report_type: str) -> WriteOutcome:
    return WriteOutcome(422, report.rendered(report_type), report_type)


# -- between the server's processes -------------------------------------------

WRITE_METHODS = ("submit", "remove", "restore", "update", "write_graph")


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

    def update(self, update: SparqlUpdate, request: WriteRequest) -> WriteOutcome:
        return self._call("update", update, request)

    def write_graph(self, write: GraphWrite, request: WriteRequest) -> WriteOutcome:
        return self._call("write_graph", write, request)

    def close(self) -> None:
        pass
