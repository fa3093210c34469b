"""Query workers: processes that evaluate SPARQL on the newest checkpoint and can be killed.

pyoxigraph cannot interrupt a running query, and a deeply nested query can
crash the process that parses it. So user queries never run in the server
process: each runs in a worker process that opens the newest checkpoint
read-only. A worker past its deadline is killed (the work really stops) and
replaced in the background; a worker that dies is replaced the same way.
"""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from graphkg.namespaces import PREFIXES
from graphkg.server.result_writers import SOLUTION_WRITERS
from graphkg.store import data_twin_path

T = TypeVar("T")

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class QueryJob:
    """A query to evaluate, with the dataset and the result formats the client accepts."""

    sparql: str
    solution_types: tuple[str, ...]
    graph_types: tuple[str, ...]
    result_cap: int
    union_default_graph: bool = True
    query_names_graphs: bool = False
    """The query has FROM / FROM NAMED: its own dataset applies unless the protocol names one."""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    substitutions: tuple[tuple[str, str, str, str], ...] = ()
    """(variable, kind, value, datatype-or-language); kind is ``iri``, ``literal`` or ``lang``."""


@dataclass(frozen=True)
class QueryOutcome:
    """What a worker answers: a body to send, or an error with its HTTP status."""

    status: int
    body: bytes = b""
    media_type: str = ""
    rows: int = 0
    partial: bool = False
    error: str | None = None
    store_version: str | None = None


class QueryTimeout(Exception):
    """The query ran past its deadline; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free in time."""


# -- inside a worker ---------------------------------------------------------


def _term(kind: str, value: str, extra: str) -> ox.NamedNode | ox.Literal:
    if kind == "iri":
        return ox.NamedNode(value)
    if kind == "lang":
        return ox.Literal(value, language=extra)
    return ox.Literal(value, datatype=ox.NamedNode(extra)) if extra else ox.Literal(value)


class _Evaluator:
    """A worker's state: the open checkpoint and its data graphs.

    The worker opens the checkpoint's data twin when it has one: it holds
    the data graphs only, so its union of all graphs is the union default
    graph, which Oxigraph evaluates far faster than a list of graphs.
    """

    def __init__(self, store_dir: Path, shapes_graph: str) -> None:
        self.store_dir = store_dir
        self.shapes_graph = ox.NamedNode(shapes_graph)
        self.version: str | None = None
        self.store: ox.Store | None = None
        self.only_data = False
        self.data_graphs: list[ox.NamedNode] = []

    def refresh(self) -> None:
        try:
            version = (self.store_dir / "CURRENT").read_text(encoding="utf-8").strip()
        except OSError:
            version = None
        if version is not None and version != self.version:
            checkpoint = self.store_dir / "checkpoints" / version
            twin = data_twin_path(checkpoint)
            self.only_data = twin.is_dir()
            self.store = ox.Store.read_only(str(twin if self.only_data else checkpoint))
            self.version = version
            self.data_graphs = sorted(
                (
                    g
                    for g in self.store.named_graphs()
                    if isinstance(g, ox.NamedNode) and g != self.shapes_graph
                ),
                key=lambda g: g.value,
            )

    def run(self, job: QueryJob) -> QueryOutcome:
        self.refresh()
        if self.store is None:
            return QueryOutcome(503, error="the store has no checkpoint yet: run `graphkg build`")
        dataset: dict[str, Any]
        if self.only_data and not job.default_graphs and not job.named_graphs:
            dataset = {"use_default_graph_as_union": job.union_default_graph}
        else:
            dataset = {
                "default_graph": [ox.NamedNode(g) for g in job.default_graphs]
                or (self.data_graphs if job.union_default_graph else None),
                "named_graphs": [ox.NamedNode(g) for g in job.named_graphs] or self.data_graphs,
            }
        try:
            results = self.store.query(
                job.sparql,
                prefixes=PREFIXES,
                substitutions={
                    ox.Variable(v): _term(k, val, x) for v, k, val, x in job.substitutions
                },
                **dataset,
            )
        except SyntaxError as error:
            return QueryOutcome(400, error=f"malformed query: {error}")
        except (RuntimeError, ValueError) as error:
            return QueryOutcome(400, error=f"query failed: {error}")
        if isinstance(results, ox.QueryTriples):
            return self._graph(results, job)
        if not job.solution_types:
            return QueryOutcome(406, error="no acceptable result format for SELECT/ASK results")
        media_type = job.solution_types[0]
        write_rows, write_boolean = SOLUTION_WRITERS[media_type]
        if isinstance(results, ox.QueryBoolean):
            return QueryOutcome(
                200, write_boolean(bool(results)), media_type, 1, False, None, self.version
            )
        variables = [v.value for v in results.variables]
        rows, partial = _capped(results, job.result_cap)
        return QueryOutcome(
            200, write_rows(variables, rows), media_type, len(rows), partial, None, self.version
        )

    def _graph(self, triples: ox.QueryTriples, job: QueryJob) -> QueryOutcome:
        if not job.graph_types:
            return QueryOutcome(
                406, error="no acceptable RDF format for CONSTRUCT/DESCRIBE results"
            )
        kept, partial = _capped(triples, job.result_cap)
        media_type = job.graph_types[0]
        body = ox.serialize(kept, format=GRAPH_FORMATS[media_type])
        return QueryOutcome(200, body, media_type, len(kept), partial, None, self.version)


def _capped(results: Iterable[T], cap: int) -> tuple[list[T], bool]:
    """At most ``cap`` results, and whether there were more (one more is read to know)."""
    kept = list(islice(results, cap + 1))
    return kept[:cap], len(kept) > cap


def worker_main(connection: Connection, store_dir: str, shapes_graph: str) -> None:
    """A worker's loop: receive a job, answer with its outcome, until the pipe closes."""
    evaluator = _Evaluator(Path(store_dir), shapes_graph)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        try:
            outcome = evaluator.run(job)
        except OSError as error:
            outcome = QueryOutcome(500, error=f"store error: {error}")
        connection.send(outcome)


# -- in the server -------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    connection: Connection


class QueryPool:
    """A fixed number of query worker processes, each used by one request at a time."""

    def __init__(self, store_dir: Path, *, shapes_graph: str, size: int) -> None:
        self._store_dir = str(store_dir)
        self._shapes_graph = shapes_graph
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._successors: list[threading.Thread] = []
        self.timeouts = 0
        self.restarts = 0
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        """Start a worker as a fresh interpreter (not a fork of this threaded server),
        talking over a socket pair."""
        parent, child = socket.socketpair()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "graphkg.worker",
                str(child.fileno()),
                self._store_dir,
                self._shapes_graph,
            ],
            pass_fds=[child.fileno()],
            stdin=subprocess.DEVNULL,
        )
        child.close()
        worker = _Worker(process, Connection(parent.detach()))
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its successor in the background."""
        worker.process.kill()
        worker.connection.close()
        with self._lock:
            self._all.discard(worker)
            self.restarts += 1

        def start_successor() -> None:
            worker.process.wait(5)
            if not self._closed:
                self._idle.put(self._start())

        successor = threading.Thread(target=start_successor, daemon=True)
        with self._lock:
            self._successors.append(successor)
        successor.start()

    def run(self, job: QueryJob, *, timeout: float) -> QueryOutcome:
        """Evaluate ``job`` within ``timeout`` seconds (waiting for a free worker included)."""
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy from None
        try:
            worker.connection.send(job)
            if worker.connection.poll(max(0.0, deadline - time.monotonic())):
                outcome: QueryOutcome = worker.connection.recv()
                self._idle.put(worker)
                return outcome
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return QueryOutcome(500, error="the query worker died; the query may be too complex")
        self.timeouts += 1
        self._replace(worker)
        raise QueryTimeout

    def close(self) -> None:
        """Stop every worker (waiting for replacements under way, so none is left behind)."""
        self._closed = True
        for successor in list(self._successors):
            successor.join(10)
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            worker.process.kill()
            worker.connection.close()
        for worker in workers:
            worker.process.wait(5)
