"""HTTP benchmark: graphkg's server against ``oxigraph serve`` and rdflib-endpoint.

All three serve the same synthetic corpus of about a million quads (see
``bench/corpus.py``) on 127.0.0.1, side by side and measured one at a time,
and answer the same requests: every named query of ``queries/`` (parameters
bound to the example values their headers give by ``VALUES`` blocks, as graphkg
binds them on a remote store, so that every server gets the same text) and point
lookups of 1,000 distinct facts.
The load comes from wrk (closed loop, keep-alive, concurrency 8 by default)
on the same two cores.

The "engine" column is the time pyoxigraph itself takes for the query,
in-process and single-threaded, so that a row can be read against the targets:
on queries where the engine needs 5 ms or more graphkg should reach 0.9x
Oxigraph server; on lookups 0.25x with its response cache warmed.
In the same rounds, each named query also runs on pyoxigraph alone in one
process per core, with no server ("pyoxigraph alone"): the most a server built
on pyoxigraph could answer on this machine.

Run ``make bench`` or ``python bench/http.py --help``.
"""

from __future__ import annotations

import sys

# Run as a script, this folder comes first on sys.path, and this file would
# shadow the standard library's ``http``: look here last.
if sys.path and __file__.startswith(sys.path[0] or "."):
    sys.path.append(sys.path.pop(0))

import argparse
import json
import multiprocessing
import os
import queue
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

import corpus  # noqa: E402  (bench/corpus.py, beside this script)
from processes import free_port, stop_group  # noqa: E402  (bench/processes.py)

from graphkg.queries import NamedQuery, load_named_queries  # noqa: E402
from graphkg.remote import with_values  # noqa: E402
from graphkg.store import data_twin_path, latest_checkpoint  # noqa: E402

BIN = Path(sys.executable).parent
QUERY_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
"""Named queries are SELECT or CONSTRUCT: JSON results, or a Turtle graph."""
TURTLE = "text/turtle"
LOOKUPS = 1000
"""Distinct resources the lookup workloads cycle through."""
HTTP, WORKERS = "HTTP", "query workers"
"""Roles of a server's processes in the CPU accounting (only graphkg has workers)."""

EXAMPLE = re.compile(r"e\.g\. (\S+?)\)?(?:\s|$)")


# -- workloads ------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    form: str | None = None
    """A form body, POSTed (a query too long for a GET: Oxigraph server takes 8 KB of
    headers); otherwise the request is a GET."""


LONGEST_GET = 6000
"""Queries whose URL would be longer than this are sent to every server as a POSTed form."""


@dataclass
class Workload:
    """One row of the table: what each server is asked, and the engine's own time."""

    name: str
    kind: str  # "query" or "lookup"
    sparql: list[str] = field(default_factory=list)
    """Query texts (one for a named query, one per resource for a lookup)."""
    engine_ms: float | None = None


def bound_text(query: NamedQuery) -> tuple[str, dict[str, str]]:
    """The query's text with its default or example parameters bound as graphkg binds them
    on a remote store: a VALUES block in every group that names them. One block for the
    whole WHERE left the groups unbound until the end: fact-as-of took 23 s in the engine
    (10 ms so)."""
    values: dict[str, str] = {}
    for parameter in query.parameters:
        example = EXAMPLE.search(parameter.help)
        if parameter.default:
            values[parameter.name] = parameter.default
        elif example:
            values[parameter.name] = example.group(1)
    terms: dict[str, ox.Term] = dict(query.substitutions(values))
    return with_values(query.sparql, terms), values


def workloads(resources: list[str]) -> list[Workload]:
    rows = []
    for name, query in sorted(load_named_queries().items()):
        text, values = bound_text(query)
        label = name + "".join(f" {k}={_short(v)}" for k, v in values.items())
        rows.append(Workload(label, "query", [text]))
    describe = [f"DESCRIBE <{iri}>" for iri in resources]
    rows.append(Workload("lookup: DESCRIBE over /sparql", "lookup", describe))
    rows.append(Workload("lookup: graphkg /id/ page (Turtle); peers DESCRIBE", "page", describe))
    rows.append(
        Workload("lookup: /id/ page, If-None-Match (304); peers DESCRIBE", "conditional", describe)
    )
    return rows


def _short(value: str) -> str:
    return value.rsplit("/", 1)[-1]


def newest_twin(store_dir: Path) -> str:
    """The data twin of the store's newest checkpoint, which graphkg's queries read."""
    checkpoint = latest_checkpoint(store_dir)
    assert checkpoint is not None, f"no store at {store_dir}"
    return str(data_twin_path(checkpoint))


def engine_times(store_path: str, rows: list[Workload], *, limit: float) -> None:
    """Time each workload on pyoxigraph, in a child process stopped after ``limit`` seconds."""
    context = multiprocessing.get_context("fork")
    for row in rows:
        results = context.Queue()
        texts = row.sparql if row.kind == "query" else row.sparql[:200]
        child = context.Process(target=_engine_ms, args=(store_path, texts, results))
        child.start()
        try:
            row.engine_ms = results.get(timeout=limit)
        except queue.Empty:
            child.kill()
        child.join()
        shown = f"{row.engine_ms:10.2f} ms" if row.engine_ms is not None else f"> {limit:g} s"
        print(f"  engine {shown}  {row.name}", file=sys.stderr)


def _engine_ms(store_path: str, texts: list[str], results: multiprocessing.Queue) -> None:
    """Median of up to 3 runs over ``texts``, results serialized as a server would."""
    store = ox.Store.read_only(store_path)
    samples: list[float] = []
    while len(samples) < 3 and sum(samples) < 3000:
        started = time.perf_counter()
        for text in texts:
            evaluate(store, text)
        samples.append((time.perf_counter() - started) * 1000 / len(texts))
    results.put(statistics.median(samples))


def evaluate(store: ox.Store, text: str) -> None:
    """The query on pyoxigraph, its results serialized as a server would."""
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions):
        result.serialize(format=ox.QueryResultsFormat.JSON)
    elif isinstance(result, ox.QueryTriples):
        ox.serialize(result, format=ox.RdfFormat.TURTLE)


def saturated_rate(store_path: str, text: str, seconds: float) -> float:
    """Queries per second of pyoxigraph alone on every core: one process per core, no server.

    What a server built on pyoxigraph could answer at most on this machine,
    before any HTTP; a generous bound, since wrk, which takes its share of the
    same cores while the servers are measured, does not run meanwhile.
    """
    context = multiprocessing.get_context("fork")
    rates = context.Queue()
    children = [
        context.Process(target=_saturate, args=(store_path, text, seconds, rates))
        for _ in range(os.cpu_count() or 1)
    ]
    for child in children:
        child.start()
    total = sum(rates.get() for _ in children)
    for child in children:
        child.join()
    return total


def _saturate(store_path: str, text: str, seconds: float, rates: multiprocessing.Queue) -> None:
    store = ox.Store.read_only(store_path)
    evaluate(store, text)  # as the servers, warmed
    done, started = 0, time.perf_counter()
    while done == 0 or time.perf_counter() - started < seconds:
        evaluate(store, text)
        done += 1
    rates.put(done / (time.perf_counter() - started))


def alone(rows: list[Workload], store_path: str, peer: Server, args, work: Path) -> str:
    """Each named query alone: pyoxigraph in this process against ``peer`` over HTTP.

    One query at a time, in alternating turns, so that the two engines are
    compared in the same moments of a shared machine. pyoxigraph here has
    no HTTP, no isolation and nothing else of a server, so its ratio to the
    peer is what a server built on it would reach if all but the engine cost
    nothing.
    """
    store = ox.Store.read_only(store_path)
    process = ServerProcess(peer, work / "alone.log")
    process.start()
    lines = [
        f"Each named query alone, one at a time: pyoxigraph {ox.__version__} in-process "
        "on graphkg's store (no HTTP; results serialized as a server would) and "
        f"{peer.name} over HTTP (one request "
        "at a time on a new connection, so its figure includes HTTP), in alternating "
        "turns, median of each. The last column is what a server built on pyoxigraph "
        "would reach against the peer on that query if all but the engine cost nothing.",
        "",
        f"| workload | pyoxigraph ms | {peer.name} ms | pyoxigraph rate / {peer.name} rate |",
        "|---|---:|---:|---:|",
    ]
    try:
        for row in rows:
            if row.kind != "query" or row.engine_ms is None:
                continue
            text = row.sparql[0]
            (request,) = peer.requests(row, corpus.BASE)
            ours: list[float] = []
            theirs: list[float] = []
            for _ in range(3 if row.engine_ms > 1000 else 11):
                started = time.perf_counter()
                evaluate(store, text)
                ours.append(time.perf_counter() - started)
                started = time.perf_counter()
                status, body, _ = fetch(process.url, request, args.timeout)
                theirs.append(time.perf_counter() - started)
                if status != 200:
                    raise SystemExit(f"{peer.name}: {row.name}: HTTP {status}: {body[:200]!r}")
            mine, peers = statistics.median(ours) * 1000, statistics.median(theirs) * 1000
            lines.append(f"| {row.name} | {mine:,.1f} | {peers:,.1f} | {peers / mine:.2f}x |")
            print(lines[-1], file=sys.stderr)
    finally:
        process.stop()
    return "\n".join(lines) + "\n"


# -- servers --------------------------------------------------------------------


@dataclass
class Server:
    """A server under test: how to start it and how it wants each request."""

    name: str
    command: list[str]
    query_path: str
    env: dict[str, str] = field(default_factory=dict)
    ready_path: str = "/"
    pages: bool = False
    """Whether it serves graphkg's resource pages (/id/…)."""
    cached: bool = False

    def requests(self, row: Workload, base: str) -> list[Request]:
        if row.kind in ("page", "conditional") and self.pages:
            return [
                Request("/" + text[len("DESCRIBE <") + len(base) : -1], {"Accept": TURTLE})
                for text in row.sparql
            ]
        accept = QUERY_ACCEPT if row.kind == "query" else TURTLE
        requests = []
        for text in row.sparql:
            form = urllib.parse.urlencode({"query": text})
            if len(form) <= LONGEST_GET:
                requests.append(Request(f"{self.query_path}?{form}", {"Accept": accept}))
            else:
                headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
                requests.append(Request(self.query_path, headers, form))
        return requests


class ServerProcess:
    """A server under test, running on a free port of 127.0.0.1 until stopped."""

    def __init__(self, server: Server, log: Path) -> None:
        self.server = server
        self.log = log
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        print(f"{self.server.name}: starting", file=sys.stderr)
        port = free_port()
        command = [part.replace("{port}", str(port)) for part in self.server.command]
        with self.log.open("ab") as out:
            self._process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.server.env},
                start_new_session=True,
            )
        self.url = f"http://127.0.0.1:{port}"
        _wait_ready(self.url + self.server.ready_path, self._process, self.log)

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time used so far by the server's live processes, by role (Linux ``/proc``).

        The server runs in a session of its own, so its processes are those of
        that session; graphkg's query workers are counted apart from the rest.
        """
        used: dict[str, float] = {}
        if self._process is None or not Path("/proc").is_dir():
            return used
        tick = os.sysconf("SC_CLK_TCK")
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                if int(fields[3]) != self._process.pid:
                    continue
                command = (entry / "cmdline").read_bytes()
            except OSError:  # the process ended meanwhile
                continue
            role = WORKERS if b"graphkg.worker" in command else HTTP
            used[role] = used.get(role, 0) + (int(fields[11]) + int(fields[12])) / tick
        return used

    def stop(self) -> None:
        process, self._process = self._process, None
        stop_group(process)


def _wait_ready(url: str, process: subprocess.Popen, log: Path, limit: float = 900) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url}: not ready after {limit} s; see {log}")


def fetch(url: str, request: Request, timeout: float) -> tuple[int, bytes, Message]:
    body = request.form.encode("ascii") if request.form is not None else None
    probe = urllib.request.Request(url + request.path, data=body, headers=request.headers)
    try:
        with urllib.request.urlopen(probe, timeout=timeout) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def answer_size(media_type: str, body: bytes) -> int:
    """Rows of a JSON result or triples of a Turtle graph, to check servers agree."""
    if "json" in media_type:
        return len(json.loads(body)["results"]["bindings"])
    return len(list(ox.parse(body, format=ox.RdfFormat.TURTLE)))


# -- load -----------------------------------------------------------------------

WRK_SCRIPT = """
local requests = {}
local counter = 0
init = function(args)
  for i, r in ipairs(REQUESTS) do
    requests[i] = wrk.format(r[3] and "POST" or "GET", r[1], r[2], r[3])
  end
  counter = math.random(#requests) - 1
end
request = function()
  counter = counter % #requests + 1
  return requests[counter]
end
done = function(summary, latency, requests)
  local out = io.open(OUTPUT, "w")
  local e = summary.errors
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
      .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
  out:close()
end
"""


def _lua_request(request: Request) -> str:
    headers = ", ".join(
        f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in request.headers.items()
    )
    form = _lua_string(request.form) if request.form is not None else "nil"
    return f"{{{_lua_string(request.path)}, {{{headers}}}, {form}}}"


def _lua_string(text: str) -> str:
    return '"' + "".join(_lua_char(b) for b in text.encode()) + '"'


def _lua_char(byte: int) -> str:
    if 32 <= byte < 127 and chr(byte) not in '"\\':
        return chr(byte)
    return f"\\{byte:03d}"


@dataclass
class Measure:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    single: bool = False
    """Only one request was made (see ``measure``)."""
    invalid: bool = False
    """The server's answer could not be read in the format it announced."""
    duration_s: float = 0
    """How long the load ran."""
    cpu_ms: dict[str, float] = field(default_factory=dict)
    """CPU time per request of the server's processes during the load, by role."""

    def cell(self) -> str:
        if self.requests == 0:
            return "timeout | | "
        note = f" ({self.errors} err)" if self.errors else ""
        note += " (invalid answer)" if self.invalid else ""
        if self.single:
            return f"{self.requests_per_s:,.2f}\\*{note} | {self.p50_ms:,.0f} | "
        rate = (
            f"{self.requests_per_s:,.0f}"
            if self.requests_per_s >= 10
            else f"{self.requests_per_s:.2f}"
        )
        return f"{rate}{note} | {self.p50_ms:,.1f} | {self.p99_ms:,.1f}"


def load(
    url: str,
    requests: list[Request],
    *,
    connections: int,
    threads: int,
    duration: float,
    timeout: float,
    work: Path,
) -> Measure:
    result = work / "wrk.json"
    result.unlink(missing_ok=True)
    table = ",\n".join(_lua_request(r) for r in requests)
    script = work / "load.lua"
    script.write_text(
        f"REQUESTS = {{\n{table}\n}}\nOUTPUT = {_lua_string(str(result))}\n" + WRK_SCRIPT,
        encoding="utf-8",
    )
    subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{round(duration)}s",
            f"--timeout={round(timeout)}s",
            "-s",
            str(script),
            url,
        ],
        check=True,
        capture_output=True,
    )
    figures = json.loads(result.read_text())
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    done = figures["requests"] - figures["status"]
    return Measure(
        requests_per_s=done / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=errors,
        requests=done,
    )


# -- the run --------------------------------------------------------------------


def servers(data: Path, store_dir: Path, *, http_processes: int, workers: int) -> list[Server]:
    graphkg_env = {
        "GRAPHKG_RESULT_CAP": "10000000",
        "GRAPHKG_QUERY_TIMEOUT": "600",
        "GRAPHKG_HTTP_PROCESSES": str(http_processes),
        "GRAPHKG_WORKERS": str(workers),
    }
    graphkg = [str(BIN / "graphkg"), "--store", str(store_dir), "serve", "--port", "{port}"]
    return [
        Server(
            "graphkg",
            graphkg,
            "/sparql",
            env={**graphkg_env, "GRAPHKG_RESPONSE_CACHE_BYTES": "0"},
            ready_path="/health",
            pages=True,
        ),
        Server(
            "graphkg (cache)",
            graphkg,
            "/sparql",
            env=graphkg_env,
            ready_path="/health",
            pages=True,
            cached=True,
        ),
        Server(
            "bare Flask",
            [
                str(BIN / "granian"),
                "--interface",
                "wsgi",
                "--workers",
                str(http_processes),
                "--blocking-threads",
                "8",
                "--host",
                "127.0.0.1",
                "--port",
                "{port}",
                "--no-log",
                "bare_app:app",
            ],
            "/query",
            env={"BARE_APP_STORE": str(store_dir), "PYTHONPATH": str(HERE / "bare")},
        ),
        Server(
            "oxigraph serve",
            [
                str(BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                str(data / "oxigraph"),
                "--bind",
                "127.0.0.1:{port}",
                "--union-default-graph",
            ],
            "/query",
        ),
        Server(
            "rdflib-endpoint",
            [
                str(BIN / "rdflib-endpoint"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "{port}",
                str(data / "corpus.nq"),
            ],
            "/",
        ),
    ]


def prepare(data: Path, triples: int) -> None:
    summary = data / "corpus.json"
    if not summary.exists() or json.loads(summary.read_text()).get("target") != triples:
        corpus.generate(data, triples=triples, log=lambda m: print(m, file=sys.stderr))
        recorded = json.loads(summary.read_text())
        summary.write_text(json.dumps({**recorded, "target": triples}, indent=2) + "\n")
        shutil.rmtree(data / "oxigraph", ignore_errors=True)
    if not (data / "oxigraph").exists():
        subprocess.run(
            [
                str(BIN / "oxigraph"),
                "load",
                "--location",
                str(data / "oxigraph"),
                "--file",
                str(data / "corpus.nq"),
            ],
            check=True,
        )
        # Compacted, as graphkg compacts its store after a build: both engines
        # read compacted files (bulk-loaded ones read about a quarter slower).
        subprocess.run(
            [str(BIN / "oxigraph"), "optimize", "--location", str(data / "oxigraph")],
            check=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="measurements of each workload on each server, in alternating order; the "
        "median is reported (a query too slow to load-test is requested once)",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument(
        "--http-processes",
        type=int,
        default=os.cpu_count() or 1,
        help="graphkg HTTP processes (default: one per core)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="graphkg query workers, shared by its HTTP processes (default: one per core)",
    )
    parser.add_argument("--timeout", type=int, default=60, help="per-request limit (s)")
    parser.add_argument("--servers", help="comma-separated names (default: all)")
    parser.add_argument("--only", help="regular expression selecting workloads")
    parser.add_argument(
        "--output",
        type=Path,
        help="where to write the table (default: bench/results.md, or bench/alone.md with "
        "--alone; a run narrowed by --only or --servers writes only where this says)",
    )
    parser.add_argument(
        "--alone",
        action="store_true",
        help="instead of the load tests, time each named query alone on pyoxigraph "
        "in-process and on oxigraph serve, and write bench/alone.md",
    )
    args = parser.parse_args(argv)
    if args.output is None and not (args.only or args.servers):
        args.output = HERE / ("alone.md" if args.alone else "results.md")
    if shutil.which("wrk") is None and not args.alone:
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")

    prepare(args.data, args.triples)
    facts = (args.data / "resources.txt").read_text(encoding="utf-8").split()
    rows = workloads(facts[:LOOKUPS])
    if args.only:
        rows = [row for row in rows if re.search(args.only, row.name)]
    store_dir = args.data / "store"
    print("engine times (pyoxigraph in-process):", file=sys.stderr)
    twin = newest_twin(store_dir)
    engine_times(twin, rows, limit=args.timeout)

    chosen = servers(args.data, store_dir, http_processes=args.http_processes, workers=args.workers)
    if args.alone:
        peer = next(s for s in chosen if s.name == "oxigraph serve")
        with tempfile.TemporaryDirectory() as work_dir:
            table = alone(rows, twin, peer, args, Path(work_dir))
        save(table, args.output)
        return 0
    if args.servers:
        wanted = set(args.servers.split(","))
        chosen = [s for s in chosen if s.name in wanted]
    results: dict[tuple[str, str], Measure | str] = {}
    ceilings: dict[str, float] = {}
    spreads: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        # All servers run at once and each workload is measured on each in turn,
        # so that a slower or faster spell of a shared machine falls on all of them.
        processes = [ServerProcess(s, work / f"server-{i}.log") for i, s in enumerate(chosen)]
        try:
            for process in processes:
                process.start()
            for row in rows:
                runs: dict[str, list[Measure | str]] = {p.server.name: [] for p in processes}
                rates: list[float] = []
                for round_index in range(args.rounds):
                    # Forward, then backward: a drift during the rounds falls on all alike.
                    for process in processes[:: 1 if round_index % 2 == 0 else -1]:
                        done = runs[process.server.name]
                        if not done or repeatable(done[0]):
                            done.append(measure_on(process, row, args, work))
                    if row.kind == "query" and row.engine_ms is not None:
                        rates.append(saturated_rate(twin, row.sparql[0], args.duration))
                for name, done in runs.items():
                    results[(name, row.name)] = median(done)
                spreads[row.name] = round_ratios(runs.get("graphkg"), runs.get("oxigraph serve"))
                if rates:
                    ceilings[row.name] = statistics.median(rates)
                    print(f"  pyoxigraph alone {ceilings[row.name]:,.1f} q/s", file=sys.stderr)
                if args.output is not None:  # what is measured so far, should the run stop
                    args.output.write_text(
                        render(rows, chosen, results, ceilings, spreads, args), encoding="utf-8"
                    )
        finally:
            for process in processes:
                process.stop()
    save(render(rows, chosen, results, ceilings, spreads, args), args.output)
    return 0


def save(table: str, output: Path | None) -> None:
    """Print the table, and write it to ``output`` if there is one."""
    print(table)
    if output is not None:
        output.write_text(table, encoding="utf-8")


class ServerStuck(Exception):
    """A request ran past the limit: the server may still be working on it."""


def measure_on(process: ServerProcess, row: Workload, args, work: Path) -> Measure | str:
    """``measure``, restarting a server that a request left stuck."""
    try:
        return measure(process, row, args, work)
    except ServerStuck as stuck:
        # Requests that timed out may still be running: start afresh.
        process.stop()
        process.start()
        return stuck.args[0] if isinstance(stuck.args[0], Measure) else f"timeout ({stuck.args[0]})"


def repeatable(first: Measure | str) -> bool:
    """Whether the workload gets more rounds: a load test does, a request made alone does not.

    Slow queries are load-tested for longer, but one such run can fall in a
    slow spell of the machine as well as a short one (measured: 1.24x and
    0.63x Oxigraph server for one query in two runs), so they get every round.
    """
    return isinstance(first, Measure) and not first.single


def round_ratios(
    ours: list[Measure | str] | None, peers: list[Measure | str] | None
) -> list[float]:
    """Our rate over the peer's in each round: measured one after the other, they share a spell.

    A query too slow to load-test has one round, and a server that failed has none.
    """
    return [
        mine.requests_per_s / peer.requests_per_s
        for mine, peer in zip(ours or [], peers or [], strict=False)
        if isinstance(mine, Measure) and isinstance(peer, Measure) and peer.requests_per_s
    ]


def median(runs: list[Measure | str]) -> Measure | str:
    """The round with the median request rate (the lower middle of an even count)."""
    measured = sorted((m for m in runs if isinstance(m, Measure)), key=lambda m: m.requests_per_s)
    return measured[(len(measured) - 1) // 2] if measured else runs[-1]


def measure(process: ServerProcess, row: Workload, args, work: Path) -> Measure | str:
    server, url = process.server, process.url
    requests = server.requests(row, corpus.BASE)
    if not requests:
        return "-"
    if row.engine_ms is None:
        return "not run (engine > timeout)"
    started = time.perf_counter()
    try:
        status, body, headers = fetch(url, requests[0], args.timeout)
    except TimeoutError:
        raise ServerStuck(f"over {args.timeout:g} s") from None
    seconds = time.perf_counter() - started
    if status != 200:
        print(f"  {server.name}: {row.name}: HTTP {status}: {body[:200]!r}", file=sys.stderr)
        return f"HTTP {status}"
    try:
        size: int | str = answer_size(headers.get("Content-Type", ""), body)
    except (SyntaxError, ValueError, KeyError) as error:
        # Measured all the same, and marked: the speed of a wrong answer is worth knowing.
        print(f"  {server.name}: {row.name}: unreadable answer: {error}", file=sys.stderr)
        size = "invalid"
    # Long enough for each connection to finish about three requests of this latency.
    duration = max(args.duration, round(3 * seconds * args.connections / (os.cpu_count() or 1)))
    if duration > args.timeout:
        # Too slow to load-test in reasonable time: report the single request (a
        # server that takes this long answers at most about 1/latency per second).
        print(f"  {server.name:16} one request: {seconds:.1f} s | {row.name}", file=sys.stderr)
        milliseconds = seconds * 1000
        return Measure(1 / seconds, milliseconds, milliseconds, 0, 1, True, size == "invalid")
    if server.cached or row.kind == "conditional":
        for index, request in enumerate(requests):  # warm the cache on every resource
            status, _, headers = fetch(url, request, args.timeout)
            if row.kind == "conditional" and server.pages:
                requests[index] = Request(
                    request.path, {**request.headers, "If-None-Match": headers["ETag"]}
                )
    before = process.cpu_seconds()
    figures = load(
        url,
        requests,
        connections=args.connections,
        threads=args.wrk_threads,
        duration=duration,
        timeout=args.timeout,
        work=work,
    )
    figures.invalid = size == "invalid"
    figures.duration_s = duration
    print(f"  {server.name:16} {figures.cell():40} {size:>8} | {row.name}", file=sys.stderr)
    if figures.errors:
        raise ServerStuck(figures)
    # Requests still in flight when wrk stopped must not slow the next workload.
    time.sleep(min(figures.p99_ms / 1000 * 2, args.timeout))
    # wrk stopped with one request in flight on each connection, which the server
    # finished meanwhile: their CPU is in the count (it matters on slow queries).
    answered = figures.requests + args.connections
    figures.cpu_ms = {
        role: (seconds - before.get(role, 0)) * 1000 / answered
        for role, seconds in process.cpu_seconds().items()
    }
    return figures


def render(
    rows: list[Workload],
    chosen: list[Server],
    results: dict,
    ceilings: dict[str, float],
    spreads: dict[str, list[float]],
    args,
) -> str:
    """The figures, then graphkg's ratios to the peers with the targets they answer to."""
    summary = json.loads((args.data / "corpus.json").read_text())
    lines = [
        f"Corpus: {summary['quads']:,} quads ({summary['articles']} articles) on 127.0.0.1. "
        f"Load generator: wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration:g}s "
        "(longer for slow queries, so that each connection finishes about three requests) "
        f"on the same {os.cpu_count()} cores; graphkg: {args.http_processes} HTTP processes "
        f"sharing {args.workers} query workers. "
        "The servers run side by side, and each workload is measured on each in turn, "
        f"{args.rounds} times (forward, backward, forward...), and the median kept "
        "(a query too slow to load-test, marked *: once). "
        "bare Flask is Flask + pyoxigraph alone under granian (bench/bare/bare_app.py: no "
        "query isolation, timeout, cap or logging), the floor of a Python server. "
        "graphkg (cache) is graphkg with its response cache, warmed by one pass over the "
        "workload's requests (one request for a named query: a repeated query). "
        "Engine: the query in pyoxigraph, in-process, one thread.",
        "",
        "| workload | engine ms | "
        + " | ".join(f"{s.name} req/s | p50 ms | p99 ms" for s in chosen)
        + " |",
        "|---|---:|" + "---:|---:|---:|" * len(chosen),
    ]
    for row in rows:
        cells = []
        for server in chosen:
            value = results.get((server.name, row.name), "-")
            cells.append(value.cell() if isinstance(value, Measure) else f"{value} | | ")
        engine = f"{row.engine_ms:,.2f}" if row.engine_ms is not None else f"> {args.timeout:,} s"
        lines.append(f"| {row.name} | {engine} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "\\* one request, made alone: at this latency a load run long enough for "
        f"{args.connections} connections would take over {args.timeout:g} s.",
        "",
        "pyoxigraph alone: the named query evaluated by pyoxigraph in one process per "
        "core, each in a loop, with no server and no HTTP (results serialized by "
        "Oxigraph), measured in the same rounds: the most a server built on pyoxigraph "
        "could reach here, generously (wrk, which shares the cores with the servers, "
        "does not run meanwhile). Per round: graphkg / oxigraph in each round, lowest to "
        "highest (the two are measured one after the other, so each round's ratio "
        "compares them in the same spell of the machine).",
        "",
        "| workload | graphkg / oxigraph | per round | graphkg (cache) / oxigraph "
        "| graphkg / rdflib-endpoint | graphkg (cache) / rdflib-endpoint | bare Flask / oxigraph "
        "| pyoxigraph alone / oxigraph | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        rate = {
            s.name: value.requests_per_s
            for s in chosen
            if isinstance(value := results.get((s.name, row.name)), Measure)
        }
        cells = [
            _ratio(rate.get(ours), rate.get(peer))
            for peer in ("oxigraph serve", "rdflib-endpoint")
            for ours in ("graphkg", "graphkg (cache)")
        ]
        cells.insert(1, _spread(spreads.get(row.name, [])))
        cells.append(_ratio(rate.get("bare Flask"), rate.get("oxigraph serve")))
        cells.append(_ratio(ceilings.get(row.name), rate.get("oxigraph serve")))
        lines.append(f"| {row.name} | " + " | ".join(cells) + f" | {_target(row)} |")
    return "\n".join(lines + _cpu_table(rows, results)) + "\n"


def _cpu_table(rows: list[Workload], results: dict) -> list[str]:
    """Where the CPU goes: each server's CPU time per request during its load run.

    The servers are CPU-bound here (wrk keeps every core busy), so a server's
    rate is about cores / its CPU per request, and the columns say what each
    part of graphkg adds to the engine's own work.
    """
    lines = [
        "",
        "CPU time per request during the load runs above (ms, from /proc: all the "
        "server's processes; graphkg's split into its HTTP processes and its query "
        "workers; the requests in flight when the load stopped are waited for and "
        "counted). With every core busy, a server's rate is about cores / CPU per request.",
        "",
        "| workload | engine ms | oxigraph serve | bare Flask | graphkg HTTP | "
        "graphkg query workers | graphkg total | graphkg − oxigraph |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        spent = {
            name: sum(value.cpu_ms.values())
            for name in ("oxigraph serve", "bare Flask", "graphkg")
            if isinstance(value := results.get((name, row.name)), Measure) and value.cpu_ms
        }
        if "graphkg" not in spent:
            continue
        ours = results[("graphkg", row.name)].cpu_ms
        cells = [
            _ms(row.engine_ms),
            _ms(spent.get("oxigraph serve")),
            _ms(spent.get("bare Flask")),
            _ms(ours.get(HTTP)),
            _ms(ours.get(WORKERS)),
            _ms(spent["graphkg"]),
            _ms(spent["graphkg"] - spent["oxigraph serve"]) if "oxigraph serve" in spent else "",
        ]
        lines.append(f"| {row.name} | " + " | ".join(cells) + " |")
    return lines


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _ratio(ours: float | None, theirs: float | None) -> str:
    if not ours or not theirs:
        return ""
    return f"{ours / theirs:,.2f}x"


def _spread(ratios: list[float]) -> str:
    if len(ratios) < 2:
        return ""
    return f"{min(ratios):,.2f}–{max(ratios):,.2f}x"


def _target(row: Workload) -> str:
    """The target of the row, as the issue states it (and >= 10x rdflib-endpoint everywhere)."""
    if row.kind == "query":
        if row.engine_ms is not None and row.engine_ms >= 5:
            return ">= 0.9x oxigraph"
        return "(engine < 5 ms: no ratio target)"
    return ">= 0.25x oxigraph with the cache"


if __name__ == "__main__":
    sys.exit(main())
