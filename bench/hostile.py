"""Hostile-input benchmark: what graphkg does with hostile input, beside a named peer.

Each row is measured in the same run as its peer, on the same machine:

* **Validation** of a synthetic fact file of 100, 500, 1,500 and 5,000 facts
  (:func:`fact_file`: incidents, responses and claims in turn, each quoting its
  own sentence of a generated article and naming the seed's entities), as
  ``graphkg validate`` runs it: ``validate_files`` on ``seeds/entities.yaml``
  and the file (read, map, then SHACL: core constraints by pyshacl, SPARQL
  ones by Oxigraph). The peer is plain ``pyshacl.validate`` of the same data
  graph (the mapped facts and entities, and the ontology) with the same shapes
  and focus nodes, SPARQL constraints included: validation alone, no reading or
  mapping. It is stopped at ``--peer-timeout`` seconds and not run above 1,500
  facts. ``max_facts_per_file``, a cap that sits well above any real article,
  is raised to fit the file (and so are the caps on its bytes and YAML nodes,
  should a larger ``--facts`` need it).
* A **YAML alias bomb** ("billion laughs": 9 levels of 10 aliases, 10⁹ strings
  once expanded, 80 aliases), given to ``validate_files``, beside
  ``yaml.safe_load`` of the same text followed by a walk over the ``entities``
  it returns (as any consumer of the values does), stopped at
  ``--yaml-timeout`` seconds.
* **Requests**, each timed from sending to the last byte of the answer and
  stopped at ``--request-timeout`` seconds: ``graphkg serve`` (its store built
  from the seeds in a temporary directory) beside ``oxigraph serve-read-only``
  (the same quads, started as bench/http.py starts it), both on 127.0.0.1: a
  256 KiB ``Accept`` header, an invalid ``default-graph-uri``, and a query
  naming 100,000 variables (POSTed as ``application/sparql-query``).

Validation and YAML measurements each run in a fresh process: the time covers
the measured call only, and the peak memory is the process's peak resident set
(``VmHWM``, the interpreter and its imports included; the table gives that
floor). Request rows are the median of 3 (once when an answer takes over a
second).

Run ``python bench/hostile.py`` (under 3 minutes on 2 cores; the request rows
need ``oxigraph`` from bench/requirements.txt), ``--quick`` for a pass of under
a minute (100 and 500 facts, a third of each limit), ``--only
validation,yaml,requests`` for some rows, ``--facts 200,400`` for other sizes,
``--broken N`` for files whose first N facts each break a rule. The table
(markdown) goes to stdout or ``--output``; progress goes to stderr.
"""

from __future__ import annotations

import sys

# Run as a script, this folder comes first on sys.path, and bench/http.py
# would shadow the standard library's ``http``: look here last.
if sys.path and __file__.startswith(sys.path[0] or "."):
    sys.path.append(sys.path.pop(0))

import argparse
import dataclasses
import http.client
import multiprocessing
import os
import platform
import queue
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
import yaml
from processes import free_port, stop_group  # bench/processes.py, beside this script
from rdflib import Graph

from graphkg.mapping import KnownId
from graphkg.ontology import load_ontology
from graphkg.pipeline import build_store, validate_files
from graphkg.rdfinput import map_source_file
from graphkg.resources import resource_dir
from graphkg.settings import DEFAULT_LIMITS, InputLimits, Settings
from graphkg.store import KnowledgeGraph
from graphkg.validation import shapes_graph

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
BASE = Settings().base
SEEDS = resource_dir("seeds")
ENTITIES = SEEDS / "entities.yaml"

FACTS = (100, 500, 1_500, 5_000)
PEER_MAX_FACTS = 1_500
"""Above this many facts plain pyshacl is not run: it is stopped at 1,500 already."""
ROWS = ("validation", "yaml", "requests")
YAML_NODES_PER_FACT = 40
"""Room in ``max_yaml_nodes`` per generated fact (each takes 20 keys and values)."""
BOMB_LEVELS, BOMB_WIDTH = 9, 10
ACCEPT_BYTES = 256 * 1024
VARIABLES = 100_000
REPEATS = 3
SLOW_ANSWER = 1.0
"""Seconds above which a request is timed once rather than the median of REPEATS."""

# -- the synthetic fact file ------------------------------------------------------

AGENTS = (
    "az-foreign-ministry",
    "az-culture-ministry",
    "az-government",
    "ru-foreign-ministry",
    "ru-government",
    "ilham-aliyev",
    "vladimir-putin",
    "maria-zakharova",
)
PLACES = ("baku", "moscow", "yekaterinburg", "kazakhstan", "ural-mountains")
INCIDENT_KINDS = ("raid", "detention", "killing", "ill-treatment", "injury")
RESPONSE_KINDS = ("statement", "demand", "cancellation", "diplomatic-summons")
CLAIM_STATUSES = ("alleges", "reports", "denies")
DAY = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def fact_file(directory: Path, facts: int, *, broken_facts: int = 0) -> Path:
    """A fact file of ``facts`` facts (incidents, responses, claims in turn) and its article.

    Every fact quotes its own sentence of the generated article as evidence,
    refers to the seed's shared entities (``seeds/entities.yaml``) and to the
    fact before it, as a real article's facts do. Each incident has its own
    perpetrator, declared in the file, so that no two incidents look like one
    act told twice. Each of the first
    ``broken_facts`` facts breaks one rule: an incident reports more people killed
    than were aboard, a response names no trigger, a claim no speaker (one SHACL
    problem each, two of them SPARQL-based, one core).
    Returns the path of ``facts.yaml``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    sentences: list[str] = []
    records: list[str] = []
    entities: list[str] = []
    last_incident = None
    for index in range(facts):
        broken = index < broken_facts
        agent = AGENTS[index % len(AGENTS)]
        agent_name = agent.replace("-", " ").title()
        place = PLACES[index % len(PLACES)]
        place_name = place.replace("-", " ").title()
        day = DAY[index % len(DAY)]
        number = index + 1
        kind = index % 3
        if kind == 0:
            fact_id = f"incident-{number}"
            incident_kind = INCIDENT_KINDS[index % len(INCIDENT_KINDS)]
            killed = 2 + index % 7
            aboard = killed - 1 if broken else killed + 10 + index % 50
            sentence = (
                f"On {day}, in event number {number}, a {incident_kind} near {place_name} "
                f"by Unit {number} left {killed} people dead of the {aboard} on board, "
                "witnesses said."
            )
            entities.append(
                f"  - id: unit-{number}\n"
                f"    type: Organization\n"
                f"    label: Unit {number}\n"
                f'    evidence: "by Unit {number}"\n'
            )
            records.append(
                f"  - id: {fact_id}\n"
                f"    type: Incident\n"
                f"    incidentKind: {incident_kind}\n"
                f"    attestation: stated\n"
                f"    description: a {incident_kind} near {place_name}\n"
                f"    place: {place}\n"
                f"    killedCount: {killed}\n"
                f"    aboardCount: {aboard}\n"
                f"    involves:\n"
                f"      - {{agent: unit-{number}, role: perpetrator}}\n"
                f"    time:\n"
                f"      expression: On {day}\n"
                f"      resolution: vague\n"
                f'    evidence: "in event number {number}, a {incident_kind} near {place_name}"\n'
            )
            last_incident = fact_id
        elif kind == 1:
            fact_id = f"response-{number}"
            response_kind = RESPONSE_KINDS[index % len(RESPONSE_KINDS)]
            sentence = (
                f"In answer number {number}, the {agent_name} announced a "
                f"{response_kind.replace('-', ' ')} over what happened near {place_name}."
            )
            records.append(
                f"  - id: {fact_id}\n"
                f"    type: Response\n"
                f"    responseKind: {response_kind}\n"
                f"    attestation: stated\n"
                f"    description: the {agent_name}'s {response_kind.replace('-', ' ')}\n"
                f"    actor: {agent}\n"
                + ("" if broken else f"    respondsTo: {last_incident}\n")
                + f"    target: {last_incident}\n"
                + f"    content: a {response_kind.replace('-', ' ')} over event {last_incident}\n"
                f'    evidence: "In answer number {number}, the {agent_name} announced"\n'
            )
        else:
            fact_id = f"claim-{number}"
            status = CLAIM_STATUSES[index % len(CLAIM_STATUSES)]
            sentence = (
                f"The {agent_name} {status} in statement number {number} that the "
                f"authorities near {place_name} acted unlawfully."
            )
            records.append(
                f"  - id: {fact_id}\n"
                f"    type: Claim\n"
                + ("" if broken else f"    speaker: {agent}\n")
                + f"    status: {status}\n"
                f"    content: the authorities acted unlawfully\n"
                f"    about: [{last_incident}, {place}]\n"
                f'    evidence: "{status} in statement number {number} that the authorities"\n'
            )
        sentences.append(sentence)
    article_id = f"hostile-{facts}-facts"
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    (directory / "article.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    path = directory / "facts.yaml"
    path.write_text(
        "article:\n"
        f"  id: {article_id}\n"
        "  file: article.txt\n"
        f"  title: A synthetic article of {facts} facts\n"
        "  language: en\n"
        "  published: 2025-06-29\n"
        "\n"
        "entities:\n" + "\n".join(entities) + "\n"
        "facts:\n" + "\n".join(records),
        encoding="utf-8",
    )
    return path


def limits_for(path: Path, facts: int) -> InputLimits:
    """The default limits, with the caps a real article never reaches raised to fit ``path``."""
    return dataclasses.replace(
        DEFAULT_LIMITS,
        # every third fact is an incident, with a perpetrator declared beside it
        max_facts_per_file=max(DEFAULT_LIMITS.max_facts_per_file, facts + facts // 3 + 1),
        max_fact_file_bytes=max(DEFAULT_LIMITS.max_fact_file_bytes, path.stat().st_size),
        max_yaml_nodes=max(DEFAULT_LIMITS.max_yaml_nodes, YAML_NODES_PER_FACT * facts),
    )


def alias_bomb(path: Path) -> Path:
    """A "billion laughs" YAML file: each level a list of 10 aliases of the level below."""
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, BOMB_LEVELS + 1):
        items = ", ".join([f"*lol{level - 1}"] * BOMB_WIDTH)
        lines.append(f"lol{level}: &lol{level} [{items}]")
    lines.append(f"entities: *lol{BOMB_LEVELS}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- measuring in a fresh process -------------------------------------------------


@dataclass
class Outcome:
    """One measurement in a child process."""

    seconds: float | None
    """None: stopped at its limit."""
    peak_bytes: int | None
    answer: str
    notes: list[str] = field(default_factory=list)
    count: int = 0
    """What the task had counted when it ended or was stopped."""


class Run:
    """What a task in a child process tells the parent: when the measured part starts,
    notes on the way, and a count the parent can read even after stopping it."""

    def __init__(self, messages: Any, counter: Any) -> None:
        self._messages = messages
        self._counter = counter
        self.started_at = 0.0

    def start(self) -> None:
        self.started_at = time.perf_counter()
        self._messages.put(("started",))

    def note(self, text: str) -> None:
        self._messages.put(("note", text))

    def count(self, value: int) -> None:
        self._counter.value = value


Task = Callable[[Any, Run], str]


def peak_rss(pid: int | str = "self") -> int | None:
    """Peak resident set of a live process, in bytes (Linux ``/proc``)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def _child(task: Task, argument: Any, messages: Any, counter: Any) -> None:
    run = Run(messages, counter)
    try:
        answer = task(argument, run)
    except BaseException as error:
        messages.put(("failed", f"{type(error).__name__}: {error}"))
        raise
    seconds = time.perf_counter() - run.started_at
    messages.put(("done", seconds, peak_rss(), answer))


def in_child(task: Task, argument: Any, *, limit: float, setup_limit: float = 600) -> Outcome:
    """Run ``task(argument, run)`` in a fresh process; stop it ``limit`` s after it starts."""
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    counter = context.Value("q", 0)
    process = context.Process(target=_child, args=(task, argument, messages, counter))
    process.start()
    notes: list[str] = []
    deadline = time.monotonic() + setup_limit
    try:
        while True:
            try:
                message = messages.get(timeout=0.2)
            except queue.Empty:
                if time.monotonic() > deadline:
                    return Outcome(None, peak_rss(process.pid), "stopped", notes, counter.value)
                if not process.is_alive() and messages.empty():
                    died = f"{task.__name__}: the process died ({process.exitcode})"
                    raise SystemExit(died) from None
                continue
            if message[0] == "started":
                deadline = time.monotonic() + limit
            elif message[0] == "note":
                notes.append(message[1])
            elif message[0] == "failed":
                raise SystemExit(f"{task.__name__}: {message[1]}")
            else:
                _, seconds, peak, answer = message
                return Outcome(seconds, peak, answer, notes, counter.value)
    finally:
        if process.is_alive():
            process.kill()
        process.join()


# -- tasks (each runs in a child process) -----------------------------------------


@dataclass(frozen=True)
class FactFile:
    path: Path
    facts: int


def baseline(_: None, run: Run) -> str:
    """Nothing: the peak memory of a process that has imported what the tasks import."""
    run.start()
    return ""


def validate_with_graphkg(file: FactFile, run: Run) -> str:
    limits = limits_for(file.path, file.facts)
    load_ontology()  # read once per process, as a running graphkg has it
    shapes_graph()
    run.start()
    report = validate_files([ENTITIES, file.path], base=BASE, kg=None, limits=limits)
    return "conforms" if report.conforms else f"{len(report.problems)} problems"


def validate_with_pyshacl(file: FactFile, run: Run) -> str:
    limits = limits_for(file.path, file.facts)
    ontology = load_ontology()
    entities = map_source_file(ENTITIES, ontology, base=BASE, known={}, limits=limits)
    known = {id_: KnownId(iri, entities.source) for id_, iri in entities.declared.items()}
    article = map_source_file(file.path, ontology, base=BASE, known=known, limits=limits)
    data = Graph()
    data += ontology.graph
    for source in (entities, article):
        for s, p, o, _ in source.quads:
            data.add((s, p, o))
    focus = sorted({quad[0] for quad in article.quads})
    shapes = shapes_graph()
    run.start()
    conforms, _, _ = pyshacl.validate(
        data, shacl_graph=shapes, focus_nodes=focus, inference="none", allow_warnings=True
    )
    return "conforms" if conforms else "does not conform"


def refuse_bomb_with_graphkg(path: Path, run: Run) -> str:
    run.start()
    report = validate_files([path], base=BASE, kg=None)
    if report.conforms:
        return "accepted"
    return "refused: " + ", ".join(sorted({problem.rule for problem in report.problems}))


def load_bomb_with_safe_load(path: Path, run: Run) -> str:
    text = path.read_text(encoding="utf-8")
    run.start()
    value = yaml.safe_load(text)
    loaded = time.perf_counter() - run.started_at
    run.note(f"safe_load returned in {duration(loaded)}, {size(peak_rss())} at its peak")
    stack, walked = [value["entities"]], 0
    while stack:
        item = stack.pop()
        walked += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        if walked % 1_000_000 == 0:
            run.count(walked)
    run.count(walked)
    return f"walked {walked:,} values"


# -- requests -----------------------------------------------------------------------


@dataclass
class Server:
    name: str
    command: list[str]
    query_path: str
    ready_path: str
    env: dict[str, str] = field(default_factory=dict)
    url: str = ""
    process: subprocess.Popen[bytes] | None = None

    def start(self, log: Path) -> None:
        port = free_port()
        command = [part.replace("{port}", str(port)) for part in self.command]
        print(f"{self.name}: starting", file=sys.stderr)
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env},
                start_new_session=True,
            )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited; see {log}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=5):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{self.name} not ready after 300 s; see {log}")

    def stop(self) -> None:
        process, self.process = self.process, None
        stop_group(process)


@dataclass(frozen=True)
class Request:
    """A hostile request: the query string or body is the same for every server."""

    name: str
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes | None = None


@dataclass
class Answer:
    status: str
    seconds: float | None
    """None: no answer within the limit."""


def send(server: Server, request: Request, timeout: float) -> Answer:
    path = server.query_path
    if request.params:
        path += "?" + urllib.parse.urlencode(request.params)
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request(request.method, path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        response.read()
        return Answer(str(response.status), time.perf_counter() - started)
    except TimeoutError:
        return Answer("no answer", None)
    except (ConnectionError, http.client.HTTPException) as error:
        return Answer(type(error).__name__, time.perf_counter() - started)
    finally:
        connection.close()


def timed(server: Server, request: Request, timeout: float) -> Answer:
    """The median of REPEATS answers, or one when an answer is slow or missing."""
    answers = [send(server, request, timeout)]
    while len(answers) < REPEATS and (answers[0].seconds or timeout) < SLOW_ANSWER:
        answers.append(send(server, request, timeout))
    seconds = [a.seconds for a in answers if a.seconds is not None]
    return Answer(answers[0].status, statistics.median(seconds) if seconds else None)


def hostile_requests() -> list[Request]:
    json_results = "application/sparql-results+json"
    ranges, length = [], 0
    while length < ACCEPT_BYTES:
        ranges.append(f"application/x-hostile-{len(ranges)};q=0.{len(ranges) % 9 + 1}")
        length += len(ranges[-1]) + 2
    accept = ", ".join([*ranges, json_results])
    names = " ".join(f"?v{index:x}" for index in range(VARIABLES))
    many_variables = f"SELECT {names} WHERE {{ }}".encode()
    return [
        Request(
            f"`Accept` header of {len(accept) // 1024:,} KiB ({len(ranges):,} media ranges)",
            "GET",
            {"query": "ASK { ?s ?p ?o }"},
            {"Accept": accept},
        ),
        Request(
            "invalid `default-graph-uri` (`not an IRI`)",
            "GET",
            {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": "not an IRI"},
            {"Accept": json_results},
        ),
        Request(
            f"query naming {VARIABLES:,} variables (POST, {len(many_variables) // 1024:,} KiB)",
            "POST",
            {},
            {"Accept": json_results, "Content-Type": "application/sparql-query"},
            many_variables,
        ),
    ]


def servers(work: Path) -> list[Server]:
    print("seed store: building in memory for oxigraph", file=sys.stderr)
    kg = KnowledgeGraph.in_memory(base=BASE)
    build_store(kg, SEEDS)
    quads = work / "seed.nq"
    quads.write_bytes(kg.sorted_nquads())
    location = work / "oxigraph"
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(quads)],
        check=True,
        capture_output=True,
    )
    graphkg_env = {"GRAPHKG_WORKERS": "1", "GRAPHKG_HTTP_PROCESSES": "1"}
    return [
        Server(
            "graphkg serve",
            [str(BIN / "graphkg"), "--store", str(work / "store"), "serve", "--port", "{port}"],
            "/sparql",
            "/health",
            env=graphkg_env,
        ),
        Server(
            "oxigraph serve",
            [
                str(BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                str(location),
                "--bind",
                "127.0.0.1:{port}",
                "--union-default-graph",
            ],
            "/query",
            "/",
        ),
    ]


# -- the table ------------------------------------------------------------------------


def duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:,.1f} ms"
    return f"{seconds:,.2f} s"


def size(count: int | None) -> str:
    return f"{count / 2**20:,.0f} MiB" if count is not None else ""


@dataclass
class Cell:
    """One side of a row: who answered, what, in how long, at what cost."""

    who: str
    answer: str = ""
    time: str = ""
    per_fact: str = ""
    memory: str = ""


def cell_of(who: str, outcome: Outcome, limit: float, facts: int | None = None) -> Cell:
    if outcome.seconds is None:
        answer = "; ".join([*outcome.notes, f"stopped at {duration(limit)}"])
        per_fact = f"> {duration(limit / facts)}" if facts else ""
        return Cell(who, answer, f"> {duration(limit)}", per_fact, size(outcome.peak_bytes))
    answer = "; ".join([*outcome.notes, outcome.answer])
    per_fact = duration(outcome.seconds / facts) if facts else ""
    return Cell(who, answer, duration(outcome.seconds), per_fact, size(outcome.peak_bytes))


def cell_of_answer(who: str, answer: Answer, limit: float) -> Cell:
    if answer.seconds is None:
        return Cell(who, f"no answer in {duration(limit)}", f"> {duration(limit)}")
    return Cell(who, answer.status, duration(answer.seconds))


@dataclass
class Row:
    hostile_input: str
    graphkg: Cell
    peer: Cell


COLUMNS = ("answer", "time", "per fact", "peak memory")


def table(rows: list[Row], notes: list[str]) -> str:
    header = ["hostile input", "graphkg", *COLUMNS, "peer", *COLUMNS]
    lines = [
        "| " + " | ".join(header) + " |",
        "|---|---|---|---:|---:|---:|---|---|---:|---:|---:|",
    ]
    for row in rows:
        cells = [row.hostile_input]
        for side in (row.graphkg, row.peer):
            cells += [side.who, side.answer, side.time, side.per_fact, side.memory]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join([*lines, "", *notes]) + "\n"


# -- the run --------------------------------------------------------------------------


def validation_rows(work: Path, sizes: list[int], broken: int, peer_timeout: float) -> list[Row]:
    rows: list[Row] = []
    peer_stopped_at = None
    for facts in sizes:
        print(f"validation: {facts:,} facts", file=sys.stderr)
        path = fact_file(work / f"facts-{facts}", facts, broken_facts=min(broken, facts))
        file = FactFile(path, facts)
        ours = in_child(validate_with_graphkg, file, limit=3600)
        print(f"  graphkg: {ours.seconds} s", file=sys.stderr)
        if facts <= PEER_MAX_FACTS:
            peer = in_child(validate_with_pyshacl, file, limit=peer_timeout)
            print(f"  pyshacl: {peer.seconds} s", file=sys.stderr)
            theirs = cell_of("pyshacl.validate", peer, peer_timeout, facts)
            if peer.seconds is None:
                peer_stopped_at = peer_stopped_at or facts
        elif peer_stopped_at:
            theirs = Cell("pyshacl.validate", f"not run: stopped at {peer_stopped_at:,} facts")
        else:
            theirs = Cell("pyshacl.validate", f"not run above {PEER_MAX_FACTS:,} facts")
        kib = file.path.stat().st_size // 1024
        label = f"validate a fact file of {facts:,} facts ({kib:,} KiB)"
        rows.append(Row(label, cell_of("validate_files", ours, 3600, facts), theirs))
    return rows


def yaml_rows(work: Path, yaml_timeout: float) -> list[Row]:
    print("YAML alias bomb", file=sys.stderr)
    path = alias_bomb(work / "bomb.yaml")
    expanded = sum(BOMB_WIDTH**level for level in range(BOMB_LEVELS + 1))
    ours = in_child(refuse_bomb_with_graphkg, path, limit=60)
    peer = in_child(load_bomb_with_safe_load, path, limit=yaml_timeout)
    theirs = cell_of("yaml.safe_load, then a walk of `entities`", peer, yaml_timeout)
    if peer.seconds is None:
        theirs.answer = "; ".join(
            [*peer.notes, f"walked {peer.count:,} of {expanded:,} values, stopped"]
        )
    label = (
        f"YAML alias bomb: {BOMB_LEVELS} levels of {BOMB_WIDTH} aliases "
        f"({path.stat().st_size} bytes; `entities` holds {BOMB_WIDTH**BOMB_LEVELS:,} "
        "strings once expanded)"
    )
    return [Row(label, cell_of("validate_files", ours, 60), theirs)]


def request_rows(work: Path, request_timeout: float) -> list[Row]:
    chosen = servers(work)
    requests = hostile_requests()
    answers: dict[tuple[str, str], Answer] = {}
    try:
        for server in chosen:
            server.start(work / f"{server.name.replace(' ', '-')}.log")
        # Oxigraph keeps evaluating a query after its client left: the slow
        # row goes last, so that it cannot slow the others.
        for request in requests:
            for server in chosen:
                print(f"{server.name}: {request.name}", file=sys.stderr)
                answers[(server.name, request.name)] = timed(server, request, request_timeout)
    finally:
        for server in chosen:
            server.stop()
    ours, peer = chosen
    return [
        Row(
            request.name,
            cell_of_answer(ours.name, answers[(ours.name, request.name)], request_timeout),
            cell_of_answer(peer.name, answers[(peer.name, request.name)], request_timeout),
        )
        for request in requests
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help=f"comma-separated rows of {', '.join(ROWS)} (default: all)")
    parser.add_argument("--facts", help="comma-separated fact counts (default: 100,500,1500,5000)")
    parser.add_argument(
        "--broken",
        type=int,
        default=0,
        help="facts of each file that break a rule, one problem each (default: none)",
    )
    parser.add_argument("--peer-timeout", type=float, default=30.0, help="pyshacl limit (s)")
    parser.add_argument("--yaml-timeout", type=float, default=10.0, help="safe_load walk limit")
    parser.add_argument("--request-timeout", type=float, default=30.0, help="per request (s)")
    parser.add_argument(
        "--quick", action="store_true", help="100 and 500 facts, and a third of each limit"
    )
    parser.add_argument("--output", type=Path, help="write the table here (default: stdout)")
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(ROWS)
    unknown = sorted(set(chosen) - set(ROWS))
    if unknown:
        parser.error(f"unknown rows {unknown}; choose from {', '.join(ROWS)}")
    sizes = [int(n) for n in args.facts.split(",")] if args.facts else list(FACTS)
    if args.quick:
        sizes = sizes if args.facts else list(FACTS[:2])
        args.peer_timeout /= 3
        args.yaml_timeout /= 3
        args.request_timeout /= 3
    if "requests" in chosen and not (BIN / "oxigraph").exists():
        raise SystemExit("the request rows need `oxigraph` (pip install -r bench/requirements.txt)")

    started = time.monotonic()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        floor = in_child(baseline, None, limit=60)
        if "validation" in chosen:
            rows += validation_rows(work, sizes, args.broken, args.peer_timeout)
        if "yaml" in chosen:
            rows += yaml_rows(work, args.yaml_timeout)
        if "requests" in chosen:
            rows += request_rows(work, args.request_timeout)
    oxigraph_version = ""
    if (BIN / "oxigraph").exists():
        oxigraph_version = subprocess.run(
            [str(BIN / "oxigraph"), "--version"], capture_output=True, text=True
        ).stdout.strip()
    notes = [
        f"{platform.python_implementation()} {platform.python_version()} on "
        f"{os.cpu_count()} cores; pyshacl {pyshacl.__version__}, pyoxigraph {ox.__version__}, "
        f"PyYAML {yaml.__version__}, {oxigraph_version or 'no oxigraph CLI'}. "
        f"Peak memory is a fresh process's peak resident set; one that has only imported "
        f"these modules peaks at {size(floor.peak_bytes)}. "
        f"Request rows: the median of {REPEATS} answers (one when slower than "
        f"{duration(SLOW_ANSWER)}). Whole run: {duration(time.monotonic() - started)}."
    ]
    text = table(rows, notes)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
