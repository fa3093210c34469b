"""Hostile requests are refused cheaply, and cheap requests stay answered meanwhile.

Each case was measured against the endpoint ("Hostile and careless clients"
in the design notes): bad dataset IRIs stop at the door instead of killing a
query worker, pathological queries stop in the guard instead of holding a
worker for the whole timeout, request heads are capped and ``Accept`` is
read in linear time, and the SPARQL 1.1 Protocol's details hold. The tests
check statuses and answers, never timings.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from test_server_process import get, serving
from werkzeug.exceptions import BadRequest

from graphkg.server.guard import check_query
from graphkg.server.negotiation import GRAPH_TYPES, acceptable, best
from graphkg.settings import Settings

DEFAULTS = Settings()
JSON = "application/sparql-results+json"
QUERY_TYPE = "application/sparql-query"


def variables(count: int) -> str:
    """A query that names ``count`` distinct variables and does nothing with them."""
    return "SELECT " + " ".join(f"?v{index}" for index in range(count)) + " WHERE {}"


def worker_restarts(app: Flask) -> int:
    return int(app.extensions["graphkg"].queries.restarts)


# -- dataset IRIs --------------------------------------------------------------


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("iri", ["not an iri", "http://example.org/a b", "relative/graph"])
def test_an_invalid_dataset_iri_is_400_naming_the_parameter_and_kills_no_worker(
    app: Flask, client: FlaskClient, parameter: str, iri: str
) -> None:
    restarts = worker_restarts(app)
    response = client.get("/sparql", query_string={"query": "ASK {}", parameter: iri})
    assert response.status_code == 400
    assert parameter in response.get_data(as_text=True)
    assert worker_restarts(app) == restarts


# -- pathological queries ------------------------------------------------------


def test_a_query_naming_more_variables_than_the_limit_is_400_naming_the_setting(
    client: FlaskClient,
) -> None:
    query = variables(DEFAULTS.max_query_variables + 1)
    response = client.post("/sparql", data=query, content_type=QUERY_TYPE)
    assert response.status_code == 400
    assert "max_query_variables" in response.get_data(as_text=True)


def test_a_query_naming_as_many_variables_as_the_limit_is_answered(client: FlaskClient) -> None:
    query = variables(DEFAULTS.max_query_variables)
    response = client.post("/sparql", data=query, content_type=QUERY_TYPE)
    assert response.status_code == 200


def test_variables_count_once_and_never_inside_strings_iris_or_comments() -> None:
    query = 'SELECT ?x $x ?y WHERE { ?x <http://e.org/?a> "?b" . ?y ?x "$c" } # ?d'
    check_query(query, max_depth=8, max_variables=2, service_allowlist=())
    with pytest.raises(BadRequest, match="max_query_variables"):
        check_query(query, max_depth=8, max_variables=1, service_allowlist=())


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p '" + "\\'" * 100_000 + " }",
        'SELECT * WHERE { ?s ?p "' + '\\"' * 100_000 + " }",
        "SELECT * WHERE { SERVICE ?x {} } " + "PREFIX a: < " * 50_000,
        "SELECT * WHERE { " + "SERVICE < " * 50_000 + "}",
    ],
    ids=["unclosed-single-quotes", "unclosed-double-quotes", "unclosed-prefix-iris", "services"],
)
def test_a_query_the_guard_once_read_in_quadratic_time_is_400(
    client: FlaskClient, query: str
) -> None:
    """Each was matched again from every quote or ``<``: minutes of one HTTP process's time.

    A string that never closes now hides the rest of its line (the engine then
    refuses the query), and SERVICE and PREFIX read only the skeleton's numbered IRIs.
    """
    response = client.post("/sparql", data=query, content_type=QUERY_TYPE)
    assert response.status_code == 400


def test_a_cheap_query_is_answered_while_clients_loop_on_a_query_of_100000_variables(
    app: Flask,
) -> None:
    """Each such query held a worker for the whole timeout: two left ``ASK {}`` waiting.

    The cheap queries are POSTed, which the response cache never answers, and
    may wait 5 s for a free worker: far less than a held worker's 30 s timeout.
    """
    hostile = variables(100_000)
    stop = threading.Event()
    started = [threading.Event(), threading.Event()]
    statuses: list[int] = []

    def loop(sending: threading.Event) -> None:
        client = app.test_client()
        while not stop.is_set():
            sending.set()
            response = client.post("/sparql", data=hostile, content_type=QUERY_TYPE)
            statuses.append(response.status_code)

    loops = [threading.Thread(target=loop, args=(event,)) for event in started]
    for thread in loops:
        thread.start()
    try:
        assert all(event.wait(30) for event in started)
        cheap = app.test_client()
        answers = [
            cheap.post("/sparql?timeout=5", data="ASK {}", content_type=QUERY_TYPE).status_code
            for _ in range(5)
        ]
    finally:
        stop.set()
        for thread in loops:
            thread.join(60)
    assert answers == [200] * 5
    assert statuses and set(statuses) == {400}


# -- headers -------------------------------------------------------------------


def accept_of(size: int, *, last: str) -> str:
    """An ``Accept`` header of ``size`` bytes: thousands of types offered nowhere, then ``last``."""
    filler = ",".join(f"application/x-{index}" for index in range(size // 10))
    return filler[: size - len(last) - 1].rstrip(",") + "," + last


def test_a_head_over_max_header_bytes_is_431_naming_the_setting(client: FlaskClient) -> None:
    accept = accept_of(DEFAULTS.max_header_bytes + 1, last=JSON)
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": accept})
    assert response.status_code == 431
    assert "max_header_bytes" in response.get_data(as_text=True)


def test_an_accept_of_thousands_of_media_ranges_under_the_limit_is_negotiated(
    client: FlaskClient,
) -> None:
    accept = accept_of(DEFAULTS.max_header_bytes - 1024, last=f"{JSON};q=0.5")
    response = client.post(
        "/sparql", data="ASK {}", content_type=QUERY_TYPE, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.mimetype == JSON


def test_accept_parameters_other_than_q_do_not_hide_a_type() -> None:
    assert best("text/turtle;charset=utf-8", GRAPH_TYPES) == "text/turtle"


def test_the_most_specific_media_range_gives_a_type_its_weight() -> None:
    accept = "text/*;q=0.5, text/csv;q=0.1, */*;q=0.2, text/csv;q=0.05"
    offered = ("text/csv", "application/ld+json", "text/tab-separated-values")
    assert acceptable(accept, offered) == (
        "text/tab-separated-values",
        "application/ld+json",
        "text/csv",
    )


@pytest.fixture(scope="module")
def server(built_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("hostile") / "store"
    shutil.copytree(built_store_dir, store, symlinks=True)
    with serving(store) as (root, _):
        yield root


def test_the_http_server_refuses_a_head_over_max_header_bytes(server: str) -> None:
    """Refused by the HTTP server's read buffer before any Python runs, or else by the app."""
    ask = f"{server}/sparql?query=ASK%20%7B%7D"
    for size in (DEFAULTS.max_header_bytes + 1, 2 * DEFAULTS.max_header_bytes):
        assert get(ask, accept_of(size, last=JSON))[0] == 431, size
    status, headers, _ = get(ask, accept_of(DEFAULTS.max_header_bytes - 1024, last=JSON))
    assert status == 200
    assert headers["Content-Type"] == JSON


# -- protocol details ----------------------------------------------------------


def test_an_update_by_get_is_400_saying_to_post_it(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"update": "CLEAR ALL"})
    assert response.status_code == 400
    assert "POST" in response.get_data(as_text=True)


def test_relative_iris_in_a_query_resolve_against_the_endpoint(client: FlaskClient) -> None:
    """The W3C protocol test ``query_content_type_construct``."""
    response = client.post(
        "/sparql",
        data="CONSTRUCT { <s> <p> 1 } WHERE {}",
        content_type=QUERY_TYPE,
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200
    [triple] = ox.parse(response.data, format=ox.RdfFormat.N_TRIPLES)
    assert triple.subject == ox.NamedNode("http://localhost/s")
    assert triple.predicate == ox.NamedNode("http://localhost/p")
