"""One knowledge graph, two backends: the embedded Oxigraph store and a remote SPARQL 1.1 store.

The remote store is a real ``oxigraph serve`` process (the ``oxigraph`` package from
PyPI) on 127.0.0.1, with its default graph the union of its graphs. Both are built
from the same seeds through the same code, and must answer alike.
"""

from __future__ import annotations

import base64
import http.server
import io
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import graphkg
from graphkg.errors import MalformedQuery, StoreError
from graphkg.iri import version_graph_iri
from graphkg.namespaces import GKG
from graphkg.pipeline import add_file, build_store
from graphkg.queries import load_named_queries
from graphkg.remote import RemoteEndpoints, RemoteStore, with_values
from graphkg.remote import _parse_solutions as parse_solutions
from graphkg.remote import _query_form as query_form
from graphkg.settings import Settings
from graphkg.store import KnowledgeGraph, open_store

from conftest import BASE, NARROWING_ON_THE_SEED, SEEDS, free_port, oxigraph_serve, run

DEMANDS = Path(__file__).resolve().parent / "data" / "demands" / "varnia-apology"
QUERIES = load_named_queries()
RDF_VALUE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_serve(tmp_path_factory.mktemp("oxigraph") / "db") as url:
        yield url


def remote(url: str, **kwargs: str) -> KnowledgeGraph:
    return KnowledgeGraph.open_remote(RemoteEndpoints.for_store(url, **kwargs), base=BASE)


@pytest.fixture(scope="module")
def both(built_store_dir: Path, remote_seed_store: dict[str, object]) -> dict[str, KnowledgeGraph]:
    """The seeds built into each backend through the same code."""
    return {
        "embedded": KnowledgeGraph.open_reader(built_store_dir, base=BASE),
        "remote": open_store(Settings(**remote_seed_store, base=BASE)),  # type: ignore[arg-type]
    }


def answer(kg: KnowledgeGraph, name: str, **params: str) -> object:
    if name == "fact-card":
        query = QUERIES[name]
        result = kg.query(query.sparql, substitutions=query.substitutions(params))
        assert isinstance(result, ox.QueryTriples)
        return sorted(str(t) for t in result)
    return run(kg, name, **params)


# A value for each parameter, so that bound values are compared on both backends.
NARROWING = {
    **NARROWING_ON_THE_SEED,
    "responses-by-kind": {"attestation": "all"},
    "demands": {"attestation": "all"},
    "apology-demands": {"attestation": "all"},
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_answers_alike_on_both_backends(
    both: dict[str, KnowledgeGraph], name: str
) -> None:
    embedded = answer(both["embedded"], name)
    assert answer(both["remote"], name) == embedded
    if name in NARROWING:
        narrowed = answer(both["embedded"], name, **NARROWING[name])
        assert answer(both["remote"], name, **NARROWING[name]) == narrowed


def test_every_parameterized_query_is_compared_with_a_value() -> None:
    assert {name for name, q in QUERIES.items() if q.parameters} == set(NARROWING)


def test_both_hold_the_same_data_graphs_and_triples(both: dict[str, KnowledgeGraph]) -> None:
    embedded, remote_kg = both["embedded"].stats(), both["remote"].stats()
    shapes, version = f"{BASE}graph/shapes", f"{BASE}graph/version"
    assert set(remote_kg.triples_per_graph) == set(embedded.triples_per_graph) - {shapes} | {
        version
    }
    for graph, count in embedded.triples_per_graph.items():
        if graph != shapes:
            assert remote_kg.triples_per_graph[graph] == count, graph
    assert remote_kg.triples_per_graph[version] == 1
    assert remote_kg.entities_per_class == embedded.entities_per_class


@pytest.mark.parametrize("backend", ["embedded", "remote"])
def test_the_union_default_graph_holds_no_shapes(
    both: dict[str, KnowledgeGraph], backend: str
) -> None:
    kg = both[backend]
    assert not kg.query("ASK { ?shape a sh:NodeShape }")
    assert kg.query("ASK { ?state a gkg:State }")
    assert f"{BASE}graph/shapes" not in {g.value for g in kg.data_graphs()}


@pytest.mark.parametrize("rdf_format", [ox.RdfFormat.N_QUADS, ox.RdfFormat.TURTLE])
def test_exports_hold_the_same_data(
    both: dict[str, KnowledgeGraph], rdf_format: ox.RdfFormat
) -> None:
    def exported(kg: KnowledgeGraph) -> set[str]:
        out = io.BytesIO()
        kg.export(out, rdf_format)
        return {
            str(q)
            for q in ox.parse(out.getvalue(), rdf_format)
            if f"{BASE}graph/version" not in str(q)
        }

    assert exported(both["remote"]) == exported(both["embedded"])


@pytest.mark.parametrize("protocol_only", [False, True])
def test_a_remote_export_reads_the_store_dump_where_there_is_one_else_graph_by_graph(
    both: dict[str, KnowledgeGraph], tmp_path: Path, protocol_only: bool
) -> None:
    with (
        oxigraph_serve(tmp_path / "remote") as server,
        proxy(server, expected=None, protocol_only=protocol_only) as (url, seen),
    ):
        build_store(remote(server), SEEDS)
        kg = remote(url)
        graphs = kg.data_graphs()
        seen.reads.clear()
        out = io.BytesIO()
        kg.export(out, ox.RdfFormat.N_QUADS)
    dumps = [path for path in seen.reads if path == "/store"]
    by_graph = [path for path in seen.reads if path.startswith("/store?graph=")]
    assert (len(dumps), len(by_graph)) == ((1, len(graphs)) if protocol_only else (1, 0))
    embedded = io.BytesIO()
    both["embedded"].export(embedded, ox.RdfFormat.N_QUADS)
    version = f"{BASE}graph/version"
    exported = {q for q in ox.parse(out.getvalue(), ox.RdfFormat.N_QUADS)}
    assert version not in {q.graph_name.value for q in exported}
    assert exported == set(ox.parse(embedded.getvalue(), ox.RdfFormat.N_QUADS))


def test_a_backup_whose_graphs_come_apart_is_restored_whole(
    both: dict[str, KnowledgeGraph], tmp_path: Path
) -> None:
    out = io.BytesIO()
    both["embedded"].export(out, ox.RdfFormat.N_QUADS)
    quads = list(ox.parse(out.getvalue(), ox.RdfFormat.N_QUADS))
    # Every other quad first, then the rest: each graph's quads in two runs or more.
    backup = tmp_path / "apart.nq"
    backup.write_bytes(ox.serialize(quads[::2] + quads[1::2], format=ox.RdfFormat.N_QUADS))
    with oxigraph_serve(tmp_path / "remote") as server:
        kg = remote(server)
        kg.restore_quads(backup, [])
        restored = io.BytesIO()
        kg.export(restored, ox.RdfFormat.N_QUADS)
    assert set(ox.parse(restored.getvalue(), ox.RdfFormat.N_QUADS)) == set(quads)


def test_adding_replacing_and_removing_an_article_on_the_remote_store(
    oxigraph_server: str,
) -> None:
    kg = remote(oxigraph_server)
    before = kg.version()
    source = add_file(kg, DEMANDS / "facts.yaml")
    assert source.article_id == "varnia-apology"
    after_add = kg.version()
    assert after_add not in (None, before)
    assert kg.has_graph(f"{BASE}graph/article/varnia-apology")
    _, rows = run(kg, "apology-demands")
    assert [row[0] for row in rows] == [
        "response/apology-demand",
        "response/personal-apology-demand",
    ]
    triples = kg.stats().total
    add_file(kg, DEMANDS / "facts.yaml")  # replacing gives the same graph
    assert kg.stats().total == triples
    assert kg.version() != after_add
    kg.remove_article("varnia-apology")
    assert not kg.has_graph(f"{BASE}graph/article/varnia-apology")
    assert not run(kg, "apology-demands")[1]
    assert "varnia" not in {i for i in kg.known_ids()}


def test_a_remote_store_that_cannot_be_reached_is_named_in_the_error() -> None:
    kg = remote(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(
        StoreError, match=r"cannot reach the store at http://127\.0\.0\.1:\d+/query"
    ):
        kg.stats()


def test_a_malformed_query_is_malformed_with_the_stores_message_and_position(
    both: dict[str, KnowledgeGraph],
) -> None:
    """The prologue graphkg adds shares the query's first line, so positions are the query's."""
    with pytest.raises(MalformedQuery, match=r"(?s)1:\d+.*the store at http://127\.0\.0\.1:\d+/"):
        both["remote"].query("SELECT ?s WHERE { ?s ")
    with pytest.raises(MalformedQuery, match=r"\b3:\d+"):
        both["remote"].query("SELECT ?s\nWHERE {\n ?s }")


@pytest.mark.parametrize("backend", ["embedded", "remote"])
def test_from_and_an_unset_union_choose_the_dataset_on_both_backends(
    both: dict[str, KnowledgeGraph], backend: str
) -> None:
    """``oxigraph serve --union-default-graph`` reads the union over a query's own FROM;
    graphkg sends the query's dataset as protocol parameters, which replace both."""
    kg = both[backend]

    def counted(dataset: str, pattern: str = "?s ?p ?o", *, union: bool = False) -> int:
        query = f"SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ {pattern} }}"
        result = kg.query(query, union_default_graph=union)
        return int(next(iter(result))["n"].value)

    entities = f"<{BASE}graph/entities>"
    # graphkg's version marker is a graph of the remote store (one triple), not data.
    in_graphs = f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{version_graph_iri(BASE)}>)"
    everything = counted("", union=True)
    assert 0 < counted(f"FROM {entities}") < everything
    assert counted("FROM <http://example.org/nowhere>") == 0
    assert counted("") == 0
    assert counted("", in_graphs) == counted("", in_graphs, union=True) > 0
    assert counted(f"FROM NAMED {entities}", in_graphs) == counted(f"FROM {entities}")


# -- credentials ---------------------------------------------------------------------


class _Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards requests to the store when they carry the expected credentials."""

    target = ""
    expected: str | None = ""
    updates: list[str] = []
    """The paths of the update requests it forwarded (or refused)."""
    failing_after: list[int] = []
    """While it holds a number, update requests past that many get a 503."""
    reads: list[str] = []
    """The paths of the GET requests it forwarded (or refused)."""
    protocol_only = False
    """Refuse a Graph Store GET that names no graph, as a store that only does the protocol."""
    strict_graph_blocks = False
    """Refuse an update with an empty ``GRAPH`` block, as Virtuoso does (it is valid SPARQL)."""

    def _refuse(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
        if self.command == "GET":
            self.reads.append(self.path)
            if self.protocol_only and self.path == "/store":
                self._refuse(400)
                return
        if self.command == "POST" and self.path.startswith("/update"):
            self.updates.append(self.path)
            if self.failing_after and len(self.updates) > self.failing_after[0]:
                self._refuse(503)
                return
            update = urllib.parse.unquote_plus((body or b"").decode())
            if self.strict_graph_blocks and re.search(r"GRAPH\s*<[^>]*>\s*\{\s*\}", update):
                self._refuse(400)
                return
        if self.expected is not None and self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.end_headers()
            self.wfile.write(b"credentials required")
            return
        request = urllib.request.Request(self.target + self.path, data=body, method=self.command)
        for name in ("Content-Type", "Accept"):
            if self.headers.get(name):
                request.add_header(name, self.headers[name])
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                status, headers, content = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, headers, content = error.code, error.headers, error.read()
        self.send_response(status)
        if headers.get("Content-Type"):
            self.send_header("Content-Type", headers["Content-Type"])
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PUT = do_DELETE = _forward

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def proxy(target: str, **behaviour: object) -> Iterator[tuple[str, type[_Proxy]]]:
    """A proxy of the tests' own in front of ``target``; its URL and its handler class."""
    handler = type("Proxy", (_Proxy,), {"target": target, "updates": [], "reads": [], **behaviour})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def guarded_store(oxigraph_server: str) -> Iterator[str]:
    """The Oxigraph server, holding the seeds, behind a proxy that wants basic credentials."""
    build_store(remote(oxigraph_server), SEEDS)
    credentials = "Basic " + base64.b64encode(b"steward:s3cret").decode()
    with proxy(oxigraph_server, expected=credentials) as (url, _):
        yield url


def test_credentials_from_the_environment_reach_a_guarded_store(
    guarded_store: str, tmp_path: Path
) -> None:
    settings = f'store = "{guarded_store}"\n'
    (tmp_path / "graphkg.toml").write_text(settings, encoding="utf-8")
    graphkg = shutil.which("graphkg", path=str(Path(sys.executable).parent))
    assert graphkg is not None
    command = [
        graphkg,
        "--config",
        str(tmp_path / "graphkg.toml"),
        "query",
        "articles",
        "--format",
        "csv",
    ]
    environment = {"PATH": str(Path(sys.executable).parent)}
    refused = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert refused.returncode == 1
    assert f"the store at {guarded_store}/query answered 401" in refused.stderr
    assert "GRAPHKG_STORE_CREDENTIALS" in refused.stderr
    allowed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**environment, "GRAPHKG_STORE_CREDENTIALS": "basic steward:s3cret"},
    )
    assert allowed.returncode == 0, allowed.stderr
    assert "azerbaijan-halts-russian-events" in allowed.stdout


def test_credentials_from_a_file_and_a_bearer_token(guarded_store: str, tmp_path: Path) -> None:
    wrong = RemoteEndpoints.for_store(guarded_store, credentials="bearer not-the-token")
    with pytest.raises(StoreError, match="answered 401"):
        KnowledgeGraph.open_remote(wrong, base=BASE).stats()
    with pytest.raises(StoreError, match="basic USER:PASSWORD"):
        RemoteEndpoints.for_store(guarded_store, credentials="digest x").authorization()


# -- binding parameters with VALUES --------------------------------------------------

X = ox.NamedNode("http://example.org/x")


def test_values_go_into_every_group_that_names_the_variable() -> None:
    text = with_values(
        "SELECT ?a WHERE { ?a ?p ?o OPTIONAL { ?o ?q ?a } { ?b ?c ?d } } ORDER BY ?a", {"a": X}
    )
    assert text.count("VALUES (?a) { (<http://example.org/x>) }") == 2
    assert "{ ?b ?c ?d }" in text


def test_the_values_of_a_group_are_one_block_of_one_row() -> None:
    """Oxigraph joins separate one-variable blocks with a pattern only after matching it:
    a lookup by predicate and object took 100 ms at a million quads, not 1."""
    y = ox.NamedNode("http://example.org/y")
    text = with_values("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", {"p": X, "o": y, "g": X})
    assert text.count("VALUES") == 2  # the query's group and the graph's
    assert "VALUES (?g ?o ?p) { (<http://example.org/x> <http://example.org/y> " in text
    assert "VALUES (?o ?p) { (<http://example.org/y> <http://example.org/x>) }" in text
    ox.Store().query(text)


def test_values_skip_templates_data_blocks_and_strings() -> None:
    text = with_values(
        'CONSTRUCT { ?a ?p "?a" } WHERE { VALUES ?p { <p> } ?a ?p ?o # ?a in a comment\n }',
        {"a": X},
    )
    assert text.startswith('CONSTRUCT { ?a ?p "?a" } WHERE { VALUES (?a)')
    assert text.count("VALUES (?a)") == 1


def test_values_go_inside_a_sub_select_not_before_it() -> None:
    text = with_values("SELECT * WHERE { { SELECT ?a WHERE { ?a ?p ?o } } }", {"a": X})
    assert "{ SELECT ?a WHERE { VALUES (?a) { (<http://example.org/x>) }" in text
    assert re.search(r"\{\s*VALUES[^}]*\}\s*SELECT", text) is None
    ox.Store().query(text)  # still a valid query


# -- the Python API ---------------------------------------------------------------

STATES = "SELECT ?state WHERE { ?state a gkg:State } ORDER BY ?state"


# rdflib's Dataset reads its own deprecated default_context when asked for triples.
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
@pytest.mark.parametrize("backend", ["embedded", "remote"])
def test_the_rdflib_view_serves_rdflib_tools(both: dict[str, KnowledgeGraph], backend: str) -> None:
    kg = both[backend]
    states = [row[0] for row in run_sparql(kg, STATES)]
    assert len(states) == 4  # Azerbaijan, Kazakhstan, Russia, Ukraine
    view = kg.rdflib_view()
    prologue = "PREFIX gkg: <https://w3id.org/graphkg/ontology#>\n"
    assert [str(row[0]) for row in view.query(prologue + STATES)] == states
    assert (URIRef(states[0]), RDF.type, GKG.State) in view
    # rdflib's own serializer, on what the view's engine constructs.
    constructed = Graph()
    for triple in view.query(prologue + "CONSTRUCT WHERE { ?s a gkg:State ; rdfs:label ?l }"):
        constructed.add(triple)
    turtle = constructed.serialize(format="turtle")
    assert {str(s) for s in Graph().parse(data=turtle).subjects(RDF.type, GKG.State)} == set(states)


def run_sparql(kg: KnowledgeGraph, sparql: str) -> list[tuple[str, ...]]:
    rows = kg.query(sparql)
    assert isinstance(rows, ox.QuerySolutions)
    return [tuple(term.value for term in row) for row in rows]


def test_graphkg_open_takes_a_directory_or_a_url(
    both: dict[str, KnowledgeGraph],
    remote_seed_store: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    directory = both["embedded"].path
    assert directory is not None
    by_directory = graphkg.open(directory)
    for field, value in remote_seed_store.items():  # a store's own endpoints, if it has them
        if field != "store":
            monkeypatch.setenv(f"GRAPHKG_{field.upper()}", str(value))
    by_url = graphkg.open(str(remote_seed_store["store"]))
    assert by_url.remote and not by_directory.remote
    assert run_sparql(by_url, STATES) == run_sparql(by_directory, STATES)


# -- a remote build that stops, and resumes ---------------------------------------------

TEST_ARTICLES = [
    Path(__file__).resolve().parent / "data" / folder
    for folder in (
        "cameo/ostland-envoy",
        "demands/varnia-apology",
        "people/valdoria-flight-diversion",
    )
]


def test_a_remote_build_that_stops_says_where_and_a_second_run_resumes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for article in TEST_ARTICLES:
        shutil.copytree(article, corpus / article.name)
    embedded = tmp_path / "embedded"
    build_store(KnowledgeGraph.open_writer(embedded, base=BASE), corpus)
    with oxigraph_serve(tmp_path / "remote") as server, proxy(server, expected=None) as (url, seen):
        seen.failing_after.append(3)  # the shared entities and two articles get through
        with pytest.raises(StoreError) as stopped:
            build_store(remote(url), corpus)
        assert "answered 503" in str(stopped.value)
        assert "with 3 of 5 sources stored: run `graphkg build` again to resume" in str(
            stopped.value
        )
        assert len(remote(url).article_ids()) == 2
        seen.failing_after.clear()
        seen.updates.clear()
        build_store(remote(url), corpus)
        # Resumed: the shared entities again, and the two articles it had not stored.
        assert len(seen.updates) == 3
        stats = remote(url).stats()
        # An edited article is sent again, however alike its triple count.
        facts = corpus / "ostland-envoy" / "facts.yaml"
        facts.write_text(
            facts.read_text(encoding="utf-8").replace(
                "label: Westmark police", "label: Westmark’s police"
            ),
            encoding="utf-8",
        )
        seen.updates.clear()
        build_store(remote(url), corpus)
        assert len(seen.updates) == 2  # the shared entities and the edited article
        assert remote(url).query('ASK { ?p rdfs:label "Westmark’s police"@en }')
        seen.updates.clear()
    expected = KnowledgeGraph.open_reader(embedded, base=BASE).stats()
    data = {g: n for g, n in expected.triples_per_graph.items() if not g.endswith("/shapes")}
    assert {g: n for g, n in stats.triples_per_graph.items() if not g.endswith("/version")} == data


def test_updates_hold_no_empty_graph_block(tmp_path: Path) -> None:
    """An article's first replacement has nothing of its own to delete; the update
    says nothing of it rather than an empty ``DELETE DATA`` block, which Virtuoso
    refuses. Builds, adds and removals all get through a store that refuses one."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    shutil.copytree(TEST_ARTICLES[0], corpus / TEST_ARTICLES[0].name)
    with (
        oxigraph_serve(tmp_path / "remote") as server,
        proxy(server, expected=None, strict_graph_blocks=True) as (url, seen),
    ):
        build_store(remote(url), corpus)
        kg = remote(url)
        add_file(kg, corpus / TEST_ARTICLES[0].name / "facts.yaml")
        kg.remove_article(TEST_ARTICLES[0].name)
        assert len(seen.updates) >= 4
        assert TEST_ARTICLES[0].name not in remote(url).article_ids()


def test_a_large_graph_is_read_back_whole_from_its_streamed_answer(oxigraph_server: str) -> None:
    """A graph of many chunks' worth of N-Triples parses as it arrives, every triple kept."""
    store = remote(oxigraph_server)._store
    assert isinstance(store, RemoteStore)
    graph = ox.NamedNode("http://example.org/graph/large")
    triples = [
        ox.Triple(ox.NamedNode(f"http://example.org/s{n}"), RDF_VALUE, ox.Literal("x" * (n % 97)))
        for n in range(30_000)
    ]
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    put = urllib.request.Request(
        f"{oxigraph_server}/store?graph={urllib.parse.quote(graph.value)}",
        data=body,
        method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    urllib.request.urlopen(put).close()  # noqa: S310 (the tests' own server)
    try:
        read = [quad.triple for quad in store.quads_for_pattern(None, None, None, graph)]
        assert len(read) == len(triples) and set(read) == set(triples)
    finally:
        store.update(f"DROP GRAPH {graph}")


@pytest.mark.parametrize(("value", "meant"), [("1", True), ("0", False)])
def test_virtuosos_ask_answered_as_a_select_is_read_as_its_boolean(value: str, meant: bool) -> None:
    body = (
        '{ "head": { "link": [], "vars": ["__ASK_RETVAL"] }, "results": { "bindings": '
        f'[ {{ "__ASK_RETVAL": {{ "type": "typed-literal", "value": "{value}" }} }} ] }} }}'
    )
    answer = parse_solutions(body.encode())
    assert isinstance(answer, ox.QueryBoolean) and bool(answer) is meant


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX select: <http://x/> # SELECT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ('ASK { ?s ?p "DESCRIBE" }', "ASK"),
        ("describe <http://x/select>", "DESCRIBE"),
        ("PREFIX ex: <http://x/>\nSELECT ?ask WHERE { ?s ex:ask ?ask }", "SELECT"),
    ],
)
def test_a_querys_form_is_its_first_form_keyword_outside_comments_strings_and_iris(
    query: str, form: str
) -> None:
    assert query_form(query) == form
