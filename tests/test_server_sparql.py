"""The SPARQL 1.1 Protocol endpoint, through the Flask test client.

Cases follow the W3C protocol tests (w3c/rdf-tests, sparql/sparql11/protocol):
query by GET, POST form and POST direct; dataset by default-graph-uri and
named-graph-uri; the bad_* cases; result formats by Accept and by format=.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from graphkg.server import create_app
from graphkg.settings import Settings
from graphkg.store import KnowledgeGraph, data_twin_path, latest_checkpoint

from conftest import ARTICLE_ID, BASE

STATES = "SELECT ?s WHERE { ?s a gkg:State } ORDER BY ?s"
ARTICLE_GRAPH = f"{BASE}graph/article/{ARTICLE_ID}"
ENTITIES_GRAPH = f"{BASE}graph/entities"
SOLUTION_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def bindings(response) -> list[dict[str, str]]:  # noqa: ANN001
    assert response.status_code == 200, response.data
    return [
        {name: value["value"] for name, value in row.items()}
        for row in json.loads(response.data)["results"]["bindings"]
    ]


def states(response) -> list[str]:  # noqa: ANN001
    return [row["s"] for row in bindings(response)]


EXPECTED_STATES = [
    f"{BASE}id/state/{name}" for name in ("azerbaijan", "kazakhstan", "russia", "ukraine")
]


def test_query_by_get(client: FlaskClient) -> None:
    assert states(client.get("/sparql", query_string={"query": STATES})) == EXPECTED_STATES


def test_query_by_post_form(client: FlaskClient) -> None:
    assert states(client.post("/sparql", data={"query": STATES})) == EXPECTED_STATES


def test_query_by_post_direct(client: FlaskClient) -> None:
    response = client.post("/sparql", data=STATES.encode(), content_type="application/sparql-query")
    assert states(response) == EXPECTED_STATES


def test_prefixes_of_the_ontology_are_predeclared_but_may_be_redeclared(
    client: FlaskClient,
) -> None:
    query = "PREFIX gkg: <https://w3id.org/graphkg/ontology#>\n" + STATES
    assert states(client.get("/sparql", query_string={"query": query})) == EXPECTED_STATES


@pytest.mark.parametrize("media_type", list(SOLUTION_FORMATS))
def test_select_results_in_every_format_by_accept(client: FlaskClient, media_type: str) -> None:
    response = client.get("/sparql", query_string={"query": STATES}, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    if media_type == "text/csv":  # lossy: plain values, no term syntax
        assert response.data.decode().split("\r\n") == ["s", *EXPECTED_STATES, ""]
        return
    parsed = ox.parse_query_results(response.data, format=SOLUTION_FORMATS[media_type])
    assert [row["s"].value for row in parsed] == EXPECTED_STATES


@pytest.mark.parametrize("media_type", list(GRAPH_FORMATS))
def test_construct_results_in_every_format_by_accept(client: FlaskClient, media_type: str) -> None:
    query = "CONSTRUCT { ?s a gkg:State } WHERE { ?s a gkg:State }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    assert len(list(ox.parse(response.data, format=GRAPH_FORMATS[media_type]))) == 4


def test_accept_q_values_choose_the_preferred_format(client: FlaskClient) -> None:
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"
    response = client.get("/sparql", query_string={"query": STATES}, headers={"Accept": accept})
    assert response.mimetype == "text/csv"


def test_accept_application_json_gets_sparql_json(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": STATES}, headers={"Accept": "application/json"}
    )
    assert response.mimetype == "application/sparql-results+json"


@pytest.mark.parametrize(
    ("name", "select_type", "graph_type"),
    [
        ("json", "application/sparql-results+json", "application/ld+json"),
        ("xml", "application/sparql-results+xml", "application/rdf+xml"),
        ("csv", "text/csv", None),
        ("tsv", "text/tab-separated-values", None),
        ("turtle", None, "text/turtle"),
        ("ntriples", None, "application/n-triples"),
        ("jsonld", None, "application/ld+json"),
        ("rdfxml", None, "application/rdf+xml"),
    ],
)
def test_format_parameter_as_fuseki_does(
    client: FlaskClient, name: str, select_type: str | None, graph_type: str | None
) -> None:
    select = client.get("/sparql", query_string={"query": STATES, "format": name})
    construct = client.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s a gkg:State }", "format": name},
    )
    assert (select.mimetype if select.status_code == 200 else None) == select_type
    assert (construct.mimetype if construct.status_code == 200 else None) == graph_type
    if select_type is None:
        assert select.status_code == 406
    if graph_type is None:
        assert construct.status_code == 406


def test_sparqlwrapper_extra_parameters_are_ignored(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": STATES, "output": "json", "results": "json", "foo": "bar"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert states(response) == EXPECTED_STATES


def test_ask_query_answers_a_boolean(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "ASK { ?s a gkg:Incident }"})
    assert json.loads(response.data)["boolean"] is True


def test_default_graph_is_the_union_of_the_data_graphs(client: FlaskClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a gkg:Incident }"
    assert bindings(client.get("/sparql", query_string={"query": query}))[0]["n"] == "7"


def test_union_can_be_turned_off_per_request(client: FlaskClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    response = client.get("/sparql", query_string={"query": query, "union-default-graph": "false"})
    assert bindings(response)[0]["n"] == "0"


def test_graph_variable_says_which_article_says_what(client: FlaskClient) -> None:
    raids = f"<{BASE}id/incident/yekaterinburg-raids>"
    query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {raids} ?p ?o }} }}"
    assert bindings(client.get("/sparql", query_string={"query": query})) == [{"g": ARTICLE_GRAPH}]


def test_shapes_never_leak_into_the_union_or_graph_queries(client: FlaskClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://www.w3.org/ns/shacl#NodeShape> }"
    assert bindings(client.get("/sparql", query_string={"query": query}))[0]["n"] == "0"
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    graphs = {row["g"] for row in bindings(client.get("/sparql", query_string={"query": query}))}
    assert f"{BASE}graph/shapes" not in graphs and ARTICLE_GRAPH in graphs


def test_default_graph_uri_selects_the_default_graph(client: FlaskClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a gkg:Incident }"
    response = client.get(
        "/sparql", query_string={"query": query, "default-graph-uri": ENTITIES_GRAPH}
    )
    assert bindings(response)[0]["n"] == "0"


def test_named_graph_uri_limits_the_named_graphs(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post("/sparql", data={"query": query, "named-graph-uri": [ENTITIES_GRAPH]})
    assert bindings(response) == [{"g": ENTITIES_GRAPH}]


def test_from_names_only_stored_graphs(client: FlaskClient) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{ENTITIES_GRAPH}> WHERE {{ ?s a gkg:State }}"
    assert bindings(client.get("/sparql", query_string={"query": query}))[0]["n"] == "4"
    remote = "SELECT (COUNT(*) AS ?n) FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }"
    assert bindings(client.get("/sparql", query_string={"query": remote}))[0]["n"] == "0"


def test_get_without_query_returns_the_service_description(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    from rdflib import Graph

    graph = Graph().parse(data=response.data, format="turtle")
    answer = graph.query(
        "ASK { ?s a sd:Service ; sd:endpoint ?e ; sd:supportedLanguage sd:SPARQL11Query ;"
        " sd:defaultDataset/sd:namedGraph/sd:name ?g }",
        initNs={"sd": "http://www.w3.org/ns/sparql-service-description#"},
    )
    assert answer.askAnswer


def test_bad_query_syntax_is_400_with_the_parsers_position(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert b"malformed query" in response.data and b"1:" in response.data


def test_bad_multiple_queries_is_400(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string=[("query", STATES), ("query", STATES)])
    assert response.status_code == 400


def test_bad_missing_query_is_400(client: FlaskClient) -> None:
    assert client.post("/sparql", data={"nothing": "here"}).status_code == 400


def test_bad_query_wrong_media_type_is_415(client: FlaskClient) -> None:
    response = client.post("/sparql", data=STATES, content_type="text/plain")
    assert response.status_code == 415


def test_bad_query_missing_content_type_is_415(client: FlaskClient) -> None:
    response = client.post("/sparql", data=STATES.encode())
    assert response.status_code == 415


def test_bad_query_non_utf8_is_400(client: FlaskClient) -> None:
    response = client.post(
        "/sparql", data=b"SELECT * WHERE { ?s ?p \xff }", content_type="application/sparql-query"
    )
    assert response.status_code == 400
    assert b"UTF-8" in response.data


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_bad_query_method_is_405(client: FlaskClient, method: str) -> None:
    assert client.open("/sparql", method=method).status_code == 405


def test_updates_are_refused_on_the_read_only_endpoint(client: FlaskClient) -> None:
    update = "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }"
    assert client.post("/sparql", data={"update": update}).status_code == 403
    direct = client.post("/sparql", data=update, content_type="application/sparql-update")
    assert direct.status_code == 403
    as_query = client.post("/sparql", data={"query": update})
    assert as_query.status_code == 400


def test_load_of_a_remote_url_is_refused(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"update": "LOAD <http://example.org/data.ttl>"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    ],
)
def test_service_to_remote_urls_is_refused(client: FlaskClient, query: str) -> None:
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert b"SERVICE" in response.data


def test_service_inside_a_string_or_comment_is_not_mistaken(client: FlaskClient) -> None:
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://e.org/>" AS ?x) } # SERVICE <http://e/>'
    assert bindings(client.get("/sparql", query_string={"query": query})) == [
        {"x": "SERVICE <http://e.org/>"}
    ]


def test_deeply_nested_query_is_refused_before_parsing(client: FlaskClient) -> None:
    query = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert b"nests" in response.data
    assert states(client.get("/sparql", query_string={"query": STATES})) == EXPECTED_STATES


def test_results_over_the_cap_are_partial_not_failed(client: FlaskClient) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    response = client.get("/sparql", query_string={"query": query, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["X-Result-Partial"] == "true"
    rows = list(csv.reader(io.StringIO(response.data.decode())))
    assert len(rows) == 1 + 50


def test_results_under_the_cap_are_not_flagged(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": STATES})
    assert "X-Result-Partial" not in response.headers
    assert response.headers["X-Result-Rows"] == "4"


def test_request_body_over_the_limit_is_413(app, client: FlaskClient) -> None:  # noqa: ANN001
    limit = app.extensions["graphkg"].settings.max_request_bytes
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * limit
    response = client.post("/sparql", data=big, content_type="application/sparql-query")
    assert response.status_code == 413


def test_unchanged_results_are_not_resent(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": STATES})
    etag = first.headers["ETag"]
    again = client.get("/sparql", query_string={"query": STATES}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get(
        "/sparql",
        query_string={"query": STATES},
        headers={"If-None-Match": etag, "Accept": "text/csv"},
    )
    assert other.status_code == 200


def test_timeout_parameter_may_lower_but_not_raise_the_limit(client: FlaskClient) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = client.get("/sparql", query_string={"query": slow, "timeout": "0.5"})
    assert response.status_code == 503
    assert b"time limit" in response.data
    assert (
        client.get("/sparql", query_string={"query": STATES, "timeout": "999"}).status_code == 200
    )
    bad = client.get("/sparql", query_string={"query": STATES, "timeout": "soon"})
    assert bad.status_code == 400


def test_cors_allows_reads_from_any_origin(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": STATES}, headers={"Origin": "http://x"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "http://x"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_errors_are_json_for_json_clients(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": "SELECT"}, headers={"Accept": "application/json"}
    )
    body = json.loads(response.data)
    assert body["ok"] is False and body["status"] == 400 and "malformed" in body["error"]


def test_void_describes_the_dataset_its_graphs_and_dumps(client: FlaskClient) -> None:
    from rdflib import Graph

    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.data, format="turtle")
    void = "http://rdfs.org/ns/void#"
    triples = graph.query(
        f"SELECT ?n WHERE {{ ?d a <{void}Dataset> ; <{void}triples> ?n ; <{void}dataDump> ?dump }}"
    )
    assert int(next(iter(triples))[0]) > 1000
    dumps = {str(row[0]) for row in graph.query(f"SELECT ?d WHERE {{ ?s <{void}dataDump> ?d }}")}
    assert {d.rsplit("/", 1)[-1] for d in dumps} == {
        "dump.ttl",
        "dump.nt",
        "dump.nq",
        "dump.trig",
        "dump.jsonld",
    }


def fetch(
    client: FlaskClient, path: str, method: str = "GET", **kwargs: object
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a request, with the (file-backed) response closed."""
    with client.open(path, method=method, **kwargs) as response:  # type: ignore[arg-type]
        return response.status_code, dict(response.headers), response.get_data()


def test_graph_store_protocol_serves_a_named_graph_and_the_default_graph(
    client: FlaskClient,
) -> None:
    graph = {"graph": ENTITIES_GRAPH}
    status, _, body = fetch(
        client,
        "/rdf-graphs/service",
        query_string=graph,
        headers={"Accept": "application/n-triples"},
    )
    assert status == 200
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) > 100
    status, _, body = fetch(
        client, "/rdf-graphs/service?default", headers={"Accept": "text/turtle"}
    )
    assert status == 200 and list(ox.parse(body, format=ox.RdfFormat.TURTLE)) == []
    status, _, body = fetch(client, "/rdf-graphs/service", "HEAD", query_string=graph)
    assert status == 200 and body == b""
    missing = {"graph": "http://example.org/none"}
    assert fetch(client, "/rdf-graphs/service", query_string=missing)[0] == 404


def test_dumps_have_etags_and_keep_named_graphs(client: FlaskClient) -> None:
    status, headers, body = fetch(client, "/dump.nq")
    graphs = {q.graph_name.value for q in ox.parse(body, format=ox.RdfFormat.N_QUADS)}
    assert ARTICLE_GRAPH in graphs and f"{BASE}graph/shapes" not in graphs
    again = fetch(client, "/dump.nq", headers={"If-None-Match": headers["ETag"]})
    assert again[0] == 304
    assert fetch(client, "/dump.xyz")[0] == 404


def test_a_dump_is_written_in_a_process_of_its_own(
    seed_store: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long-lived server process keeps much of what an export of the whole store
    allocates: this one never exports (a spawned process does not share the patch)."""
    app = create_app(Settings(store=seed_store, workers=1))  # type: ignore[arg-type]
    try:
        expected = io.BytesIO()
        app.extensions["graphkg"].view.graph.export(expected, ox.RdfFormat.N_QUADS)

        def refused(*_: object, **__: object) -> None:
            raise AssertionError("the serving process exported the store")

        monkeypatch.setattr(KnowledgeGraph, "export", refused)
        status, _, body = fetch(app.test_client(), "/dump.nq")
    finally:
        app.extensions["graphkg"].pool.close()
    assert status == 200
    assert set(ox.parse(body, format=ox.RdfFormat.N_QUADS)) == set(
        ox.parse(expected.getvalue(), format=ox.RdfFormat.N_QUADS)
    )


def test_metrics_are_in_the_prometheus_text_format(client: FlaskClient) -> None:
    client.get("/sparql", query_string={"query": STATES})
    text = client.get("/metrics").data.decode()
    assert 'graphkg_requests_total{endpoint="sparql.sparql",status="200"}' in text
    assert "graphkg_request_seconds_bucket" in text and "graphkg_store_triples" in text


def test_metrics_count_the_whole_store_once(
    app: Flask, client: FlaskClient, built_store_dir: Path
) -> None:
    """Checkpoints hard-link the primary's files; a built store's twins have files of their own.
    A remote store's size on disk is its own, and not reported."""
    text = client.get("/metrics").data.decode()
    found = re.search(r"^graphkg_store_bytes (\d+)$", text, re.M)
    if not isinstance(app.extensions["graphkg"].settings.store, Path):
        assert found is None and "graphkg_store_triples" in text
        return
    assert found is not None
    reported = int(found.group(1))
    checkpoint = latest_checkpoint(built_store_dir)
    assert checkpoint is not None
    files = [path.stat() for path in built_store_dir.rglob("*") if path.is_file()]
    twin_own = sum(
        stat.st_size
        for stat in (path.stat() for path in data_twin_path(checkpoint).iterdir())
        if stat.st_nlink == 1
    )
    checkpoint_bytes = sum(path.stat().st_size for path in checkpoint.iterdir())
    assert twin_own > 0
    assert checkpoint_bytes + twin_own <= reported < sum(stat.st_size for stat in files)


@pytest.mark.parametrize("path", ["/sparql", "/sparql?query=ASK%20%7B%7D"])
def test_head_answers_like_get_without_a_body(client: FlaskClient, path: str) -> None:
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == 200
    assert head.content_type == get.content_type
    assert head.get_data() == b""
