"""A real ``graphkg serve`` process on 127.0.0.1, queried by real SPARQL clients."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

from graphkg.server.metrics import share_directory

from conftest import BACKENDS, BASE, own_seed_store, serving

STATES = (
    "PREFIX gkg: <https://w3id.org/graphkg/ontology#> "
    "SELECT ?s WHERE { ?s a gkg:State } ORDER BY ?s"
)
EXPECTED = [f"{BASE}id/state/{n}" for n in ("azerbaijan", "kazakhstan", "russia", "ukraine")]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def wait_for(condition, seconds: float = 30.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def get(
    url: str,
    accept: str | None = None,
    timeout: float = 30,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Message, bytes]:
    sent = {**({"Accept": accept} if accept else {}), **(headers or {})}
    request = urllib.request.Request(url, data=data, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "children").read_text().split()
        except FileNotFoundError:  # the thread ended meanwhile
            continue
        found.update(int(child) for child in text)
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except FileNotFoundError:
        return ""


def query_workers(server_pid: int) -> set[int]:
    """The query worker processes of ``graphkg serve`` running as ``server_pid``."""
    return {pid for pid in children(server_pid) if "graphkg.worker" in command_line(pid)}


def http_processes(server_pid: int) -> set[int]:
    return {pid for pid in children(server_pid) if "spawn_main" in command_line(pid)}


def serve_pid(root: str) -> int:
    """The ``graphkg serve`` process: the parent of the HTTP process that answers."""
    answering = json.loads(get(f"{root}/health")[2])["pid"]
    return int(Path(f"/proc/{answering}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.fixture(scope="module", params=BACKENDS)
def served_store(
    request: pytest.FixtureRequest,
    built_store_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Path | str]:
    """The seeds on each backend, for ``graphkg serve`` to serve."""
    with own_seed_store(built_store_dir, tmp_path_factory.mktemp("served"), request.param) as store:
        yield store


@pytest.fixture(scope="module")
def server(served_store: Path | str) -> Iterator[str]:
    with serving(served_store) as (root, _):
        yield root


def test_ctrl_c_stops_the_server_and_its_query_workers(served_store: Path | str) -> None:
    with serving(served_store) as (root, process):
        workers = query_workers(process.pid)
        assert len(workers) == 2
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 0
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), seconds=10)
        with pytest.raises(OSError):
            get(f"{root}/health", timeout=1)


def test_ctrl_c_during_a_long_query_stops_everything_within_seconds(
    served_store: Path | str,
) -> None:
    with serving(served_store) as (root, process):
        workers = query_workers(process.pid)
        slow = threading.Thread(
            target=lambda: _swallow(get, f"{root}/sparql?{urllib.parse.urlencode({'query': SLOW})}")
        )
        slow.start()
        time.sleep(1)  # the query is running in a worker
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        started = time.monotonic()
        assert process.wait(15) == 0
        assert time.monotonic() - started < 10  # not the query's 20 s timeout
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), seconds=5)
        slow.join(10)


def blocked_signals(task: Path) -> set[int]:
    """The signals a thread (``/proc/PID/task/TID``) blocks."""
    for line in (task / "status").read_text().splitlines():
        if line.startswith("SigBlk:"):
            mask = int(line.split()[1], 16)
            return {number for number in range(1, 65) if mask & (1 << (number - 1))}
    raise AssertionError(f"no SigBlk in {task}/status")


def test_http_processes_leave_ctrl_c_to_the_server_process(server: str) -> None:
    """Only SIGTERM, from granian's main process, stops an HTTP process: no thread takes SIGINT."""
    assert get(f"{server}/id/state/russia", "text/turtle")[0] == 200  # RocksDB's threads run
    http_process = json.loads(get(f"{server}/health")[2])["pid"]
    assert len(list(Path(f"/proc/{http_process}/task").iterdir())) > 1

    def masks_settled() -> bool:
        # A thread being created blocks every signal for a moment (glibc's
        # pthread_create does, in the new thread and its creator), and one that
        # ends leaves no status: read again.
        try:
            tasks = Path(f"/proc/{http_process}/task").iterdir()
            threads = [blocked_signals(task) for task in tasks]
        except FileNotFoundError:
            return False
        return all(
            signal.SIGINT in blocked and signal.SIGTERM not in blocked for blocked in threads
        )

    wait_for(masks_settled, seconds=5)


def test_http_processes_share_the_port_and_count_together(served_store: Path | str) -> None:
    with serving(served_store, "--http-processes", "2") as (root, process):
        http = http_processes(process.pid)
        assert len(http) == 2
        assert len(query_workers(process.pid)) == 2  # shared by both
        ask = f"{root}/sparql?{urllib.parse.urlencode({'query': 'ASK {}'})}"
        answered_by: set[int] = set()
        asked = 0
        while (answered_by != http or asked < 20) and asked < 500:
            status, headers, _ = get(ask, "application/sparql-results+json")
            assert status == 200
            asked += 1
            answered_by.add(json.loads(get(f"{root}/health")[2])["pid"])
        assert answered_by == http
        time.sleep(1.5)  # each process shares its counts every second
        metrics = get(f"{root}/metrics")[2].decode()
        counted = sum(
            int(line.rsplit(" ", 1)[1])
            for line in metrics.splitlines()
            if line.startswith('graphkg_requests_total{endpoint="sparql.sparql"')
        )
        assert counted == asked
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(15) == 0
        assert process.stdout is not None
        assert b"refused to gracefully stop" not in process.stdout.read()  # none was killed
    assert not share_directory(process.pid).exists()


def _swallow(call, *args) -> None:  # noqa: ANN001
    """Call, ignoring the connection error of a server that stops meanwhile."""
    try:
        call(*args)
    except OSError:
        pass


def test_sparqlwrapper_reads_json_results(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(STATES)
    client.setReturnFormat(JSON)
    results = client.query().convert()
    assert [row["s"]["value"] for row in results["results"]["bindings"]] == EXPECTED


def test_sparqlwrapper_reads_xml_results(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(STATES)
    client.setReturnFormat(XML)
    document = client.query().convert()
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]
    assert uris == EXPECTED


def test_sparqlwrapper_reads_csv_results(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(STATES)
    client.setReturnFormat(CSV)
    lines = client.query().convert().decode().split("\r\n")
    assert lines[1:5] == EXPECTED


def test_sparqlwrapper_by_post(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setMethod("POST")
    client.setQuery(STATES)
    client.setReturnFormat(JSON)
    assert len(client.query().convert()["results"]["bindings"]) == 4


def test_rdflib_sparqlstore_queries_the_endpoint(server: str) -> None:
    graph = Graph(store=SPARQLStore(f"{server}/sparql", returnFormat="json"))
    rows = list(graph.query(STATES))
    assert [str(row[0]) for row in rows] == EXPECTED
    assert (URIRef(EXPECTED[0]), None, None) in graph


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.5", "application/rdf+xml"),
    ],
)
def test_construct_negotiates_rdf_formats_over_http(
    server: str, accept: str, media_type: str
) -> None:
    query = urllib.parse.quote("CONSTRUCT WHERE { ?s a gkg:State }")
    status, headers, _ = get(f"{server}/sparql?query={query}", accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media_type


def test_a_query_past_its_timeout_is_stopped_while_others_are_answered(server: str) -> None:
    server_pid = serve_pid(server)
    workers_before = query_workers(server_pid)
    outcome: dict[str, int] = {}

    def slow() -> None:
        query = urllib.parse.quote(SLOW)
        outcome["status"] = get(f"{server}/sparql?query={query}&timeout=3", timeout=60)[0]

    thread = threading.Thread(target=slow)
    started = time.monotonic()
    thread.start()
    time.sleep(0.5)
    quick = urllib.parse.quote(STATES)
    status, _, body = get(f"{server}/sparql?query={quick}", "application/sparql-results+json")
    assert status == 200 and time.monotonic() - started < 3, "a cheap query is answered meanwhile"
    assert get(f"{server}/health")[0] == 200
    thread.join(60)
    assert outcome["status"] == 503
    wait_for(lambda: not workers_before <= query_workers(server_pid), seconds=15)
    killed = workers_before - query_workers(server_pid)
    assert killed, "the timed-out worker process is gone"

    def ended(pid: int) -> bool:
        """Gone, or a zombie: a process being killed can still show as running for a moment."""
        try:
            return "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
        except FileNotFoundError:
            return True

    wait_for(lambda: all(ended(pid) for pid in killed), seconds=15)
    metrics = get(f"{server}/metrics")[2].decode()
    assert "graphkg_query_timeouts_total 1" in metrics


def test_service_and_load_are_refused_over_http(server: str) -> None:
    query = urllib.parse.quote("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert get(f"{server}/sparql?query={query}")[0] == 400
    data = urllib.parse.urlencode({"update": "LOAD <http://127.0.0.1:9/x.ttl>"}).encode()
    assert get(f"{server}/sparql", data=data)[0] == 403


def test_every_request_gets_an_id_and_an_access_log_line(server: str) -> None:
    _, headers, _ = get(f"{server}/health")
    assert len(headers["X-Request-Id"]) >= 8


def test_dumps_are_not_resent_when_unchanged(server: str) -> None:
    status, headers, body = get(f"{server}/dump.nt")
    assert status == 200 and body
    again = get(f"{server}/dump.nt", headers={"If-None-Match": headers["ETag"]})
    assert again[0] == 304


def test_the_start_prints_the_addresses_and_no_warning_a_user_cannot_act_on(
    served_store: Path | str,
) -> None:
    with serving(served_store, "--threads", "32") as (root, process):
        assert get(f"{root}/health")[0] == 200
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(15) == 0
        assert process.stdout is not None
        printed = process.stdout.read().decode()
    assert f"query page:      {root}/" in printed
    assert "[WARNING]" not in printed and "seems quite high" not in printed
    assert "Websockets" not in printed
