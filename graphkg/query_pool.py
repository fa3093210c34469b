"""Query workers: processes that evaluate SPARQL on the store's newest version and can be killed.

pyoxigraph cannot interrupt a running query, and a deeply nested query can
crash the process that parses it. So user queries never run in the server
process: each runs in a worker process that opens the newest checkpoint
read-only, or sends it to a remote store; either way the deadline ends the
worker.

The workers of a :class:`QueryPool` wait on one Unix socket, and each takes
a job only when it is free: whichever HTTP process asks, the next free worker
answers, so no query waits behind a busy worker while another is idle (the
kernel's accept queue is the pool's queue). A job carries its deadline; the
worker arms an alarm for it, and the alarm's default action ends the worker
at the deadline, whatever the engine is doing (the work really stops). The
pool starts a successor for every worker that ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from typing import TypeVar

import pyoxigraph as ox

from graphkg.errors import MalformedQuery, QueryError, StoreError
from graphkg.formats import RDF_FORMAT_BY_TYPE
from graphkg.pipeline import map_and_validate
from graphkg.result_writers import SOLUTION_WRITERS, rdf_bytes
from graphkg.settings import Settings
from graphkg.store import KnowledgeGraph, LatestReader
from graphkg.submission import Submission, renamed

T = TypeVar("T")


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
    base_iri: str | None = None
    """What relative IRIs in the query resolve against (None: they are an error)."""


@dataclass(frozen=True)
class ValidationJob:
    """Fact files to validate against the store's newest version, and the report's type."""

    submission: Submission
    report_type: str


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
    """A worker's state: the store's newest version (see :class:`LatestReader`). Queries go
    through :meth:`KnowledgeGraph.query`, which reads the union default graph from the
    embedded checkpoint's data twin, or sends the query to a remote store."""

    def __init__(self, settings: Settings) -> None:
        self.reader = LatestReader(settings, public=not settings.show_article_text)
        self._limits = settings.input_limits

    def run(self, job: QueryJob | ValidationJob) -> QueryOutcome:
        try:
            graph, version = self.reader.graph, self.reader.version
        except StoreError as error:
            return QueryOutcome(503, error=str(error))
        if isinstance(job, ValidationJob):
            return self._validate(graph, job, version)
        try:
            results = graph.query(
                job.sparql,
                substitutions={v: _term(k, val, x) for v, k, val, x in job.substitutions},
                union_default_graph=job.union_default_graph,
                default_graphs=job.default_graphs,
                named_graphs=job.named_graphs,
                base_iri=job.base_iri,
            )
        except MalformedQuery as error:
            return QueryOutcome(400, error=f"malformed query: {error.detail}")
        except (QueryError, ValueError) as error:
            # The server checks the dataset's IRIs, but a worker that raised would die.
            return QueryOutcome(400, error=f"query failed: {error}")
        if isinstance(results, ox.QueryTriples):
            return self._graph(results, job, version)
        if not job.solution_types:
            return QueryOutcome(406, error="no acceptable result format for SELECT/ASK results")
        media_type = job.solution_types[0]
        write_rows, write_boolean = SOLUTION_WRITERS[media_type]
        if isinstance(results, ox.QueryBoolean):
            return QueryOutcome(
                200, write_boolean(bool(results)), media_type, 1, False, None, version
            )
        variables = [v.value for v in results.variables]
        rows, partial = _capped(results, job.result_cap)
        return QueryOutcome(
            200, write_rows(variables, rows), media_type, len(rows), partial, None, version
        )

    def _validate(self, graph: KnowledgeGraph, job: ValidationJob, version: str) -> QueryOutcome:
        """Validate as a write would, without writing: against the stored entities."""
        with job.submission.unpacked() as unpacked:
            _, report = map_and_validate(
                unpacked.fact_files, base=graph.base, kg=graph, limits=self._limits
            )
            body = renamed(report, unpacked.plain).rendered(job.report_type)
        return QueryOutcome(200, body, job.report_type, len(report.problems), False, None, version)

    def _graph(self, triples: ox.QueryTriples, job: QueryJob, version: str) -> QueryOutcome:
        if not job.graph_types:
            return QueryOutcome(
                406, error="no acceptable RDF format for CONSTRUCT/DESCRIBE results"
            )
        kept, partial = _capped(triples, job.result_cap)
        media_type = job.graph_types[0]
        body = rdf_bytes(kept, RDF_FORMAT_BY_TYPE[media_type])
        return QueryOutcome(200, body, media_type, len(kept), partial, None, version)


def _capped(results: Iterable[T], cap: int) -> tuple[list[T], bool]:
    """At most ``cap`` results, and whether there were more (one more is read to know)."""
    kept = list(islice(results, cap + 1))
    return kept[:cap], len(kept) > cap


def worker_main(listener: socket.socket, settings: Settings) -> None:
    """A worker's loop: take the next job from the pool's socket and answer it, forever."""
    evaluator = _Evaluator(settings)
    while True:
        accepted, _ = listener.accept()
        connection = Connection(accepted.detach())
        try:
            _answer(connection, evaluator)
        except OSError:  # the client went away; its answer is not needed
            pass
        finally:
            connection.close()
        evaluator.reader.release_caches()


MIN_ALARM_SECONDS = 0.001
"""An alarm shorter than a microsecond would round to zero, which disarms it."""


def _answer(connection: Connection, evaluator: _Evaluator) -> None:
    """Receive one job, say it started, and answer it unless its deadline passes first.

    The deadline is on the monotonic clock, which all processes of a
    machine share. At the deadline ``SIGALRM`` ends this process: its
    default action needs no Python code to run, so it works while the
    engine holds the thread.
    """
    try:
        deadline, job = connection.recv()
    except EOFError:
        return
    left = deadline - time.monotonic()
    if left <= 0:
        return  # the job waited in the queue past its deadline: its client gave up
    connection.send_bytes(b"")
    signal.setitimer(signal.ITIMER_REAL, max(left, MIN_ALARM_SECONDS))
    try:
        outcome = evaluator.run(job)
    except OSError as error:
        outcome = QueryOutcome(500, error=f"store error: {error}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    connection.send(outcome)


# -- in the server -------------------------------------------------------------

WORKER_DIED = "the query worker died; the query may be too complex"
STOP_GRACE_SECONDS = 1.0
"""How long past a deadline a client waits for the worker's end to show."""
SHORTEST_RESTART_SECONDS = 0.5
"""A worker's successor starts no sooner than this after the worker started."""


class QueryPool:
    """A fixed number of query worker processes waiting on one Unix socket.

    The pool keeps ``size`` workers running: a thread per worker starts it,
    waits for its end and starts a successor. ``address`` is the socket that
    :class:`QueryClient` connects to, from this process or any other.
    """

    def __init__(self, settings: Settings, *, size: int) -> None:
        self._directory = tempfile.mkdtemp(prefix="graphkg-queries-")
        self.address = os.path.join(self._directory, "socket")
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.address)
        self._listener.listen(socket.SOMAXCONN)
        self._command = [sys.executable, "-m", "graphkg.worker", str(self._listener.fileno())]
        # A worker loads its settings from the environment, as the HTTP processes do.
        self._environment = {**os.environ, **settings.as_environment()}
        self._lock = threading.Lock()
        self._closed = False
        self._running: set[subprocess.Popen[bytes]] = set()
        started = threading.Semaphore(0)
        self._keepers = [
            threading.Thread(target=self._keep_a_worker, args=(started,), daemon=True)
            for _ in range(size)
        ]
        for keeper in self._keepers:
            keeper.start()
        for _ in self._keepers:
            started.acquire()

    @property
    def pids(self) -> set[int]:
        with self._lock:
            return {process.pid for process in self._running}

    def _keep_a_worker(self, started: threading.Semaphore) -> None:
        """Run a worker, and a successor whenever it ends, until the pool closes.

        The worker is started from this thread, which lives as long as the
        pool: Linux ties a child's parent-death signal to the thread that
        started it.
        """
        try:
            process = self._start()
        finally:
            started.release()  # the pool's constructor waits for every first worker
        while process is not None:
            born = time.monotonic()
            process.wait()
            with self._lock:
                self._running.discard(process)
            # A worker that cannot start must not be restarted in a tight loop.
            time.sleep(max(0.0, born + SHORTEST_RESTART_SECONDS - time.monotonic()))
            process = self._start()

    def _start(self) -> subprocess.Popen[bytes] | None:
        """A new worker, or None once the pool is closed."""
        with self._lock:
            if self._closed:
                return None
            process = subprocess.Popen(
                self._command,
                pass_fds=[self._listener.fileno()],
                stdin=subprocess.DEVNULL,
                env=self._environment,
            )
            self._running.add(process)
            return process

    def close(self) -> None:
        """Stop every worker; none is started after this."""
        with self._lock:
            self._closed = True
            running = list(self._running)
        for process in running:
            process.kill()
        for keeper in self._keepers:
            keeper.join(10)
        self._listener.close()
        shutil.rmtree(self._directory, ignore_errors=True)


class QueryClient:
    """Sends jobs to the workers of the pool listening at ``address``."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.timeouts = 0
        self.restarts = 0
        self._counting = threading.Lock()  # request threads count at once

    def run(self, job: QueryJob | ValidationJob, *, timeout: float) -> QueryOutcome:
        """Evaluate ``job`` within ``timeout`` seconds (waiting for a free worker included)."""
        deadline = time.monotonic() + timeout
        try:
            connection = self._connect(timeout)
        except OSError as error:
            return QueryOutcome(503, error=f"the query workers are not running: {error}")
        try:
            connection.send((deadline, job))
            if not connection.poll(max(0.0, deadline - time.monotonic())):
                raise PoolBusy
            connection.recv_bytes()
            # The worker ends itself at the deadline, so an answer or its end comes by then.
            if connection.poll(max(0.0, deadline - time.monotonic()) + STOP_GRACE_SECONDS):
                outcome: QueryOutcome = connection.recv()
                return outcome
        except (EOFError, OSError):
            with self._counting:
                self.restarts += 1
            if time.monotonic() < deadline:
                return QueryOutcome(500, error=WORKER_DIED)
        finally:
            connection.close()
        with self._counting:
            self.timeouts += 1
        raise QueryTimeout

    def _connect(self, timeout: float) -> Connection:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(self.address)
            sock.settimeout(None)
        except OSError:
            sock.close()
            raise
        return Connection(sock.detach())
