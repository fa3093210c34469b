"""SPARQL 1.1 Update over the SPARQL 1.1 Protocol at ``POST /update``: the W3C tests.

Every ``update_*`` and ``bad_update_*`` entry of the W3C SPARQL 1.1 Protocol test
suite (w3c/rdf-tests, ``sparql/sparql11/protocol/manifest.ttl``; the query half is in
``test_server_sparql.py``), each as the test function of its name, written from the
request and response the manifest describes. The manifest sends updates to
``/sparql``; graphkg takes them at ``/update``, with an admin write token, and
answers queries at ``/sparql``.

Each test has a store of its own: empty, with the union default graph off, so that
the default graph is the store's real default graph, as the W3C tests assume.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from graphkg.pipeline import build_store
from graphkg.settings import Settings
from graphkg.store import open_store

from conftest import ADMIN, BASE, TOKENS

UPDATE = "/update"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
RESULTS_XML = "application/sparql-results+xml"
DATA = "http://kasei.us/2009/09/sparql/data/"
DATA1, DATA2, DATA3 = (f"{DATA}data{n}.rdf" for n in (1, 2, 3))

# -- the app -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty store, built once from a folder of no fact files; tests copy it."""
    folder = tmp_path_factory.mktemp("w3c-update")
    (folder / "facts").mkdir()
    path = folder / "store"
    build_store(open_store(Settings(store=path, base=BASE), writer=True), folder / "facts")
    return path


@pytest.fixture
def client(empty_store: Path, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of the app over an empty store of the test's own, with write tokens and
    the union default graph off (the W3C tests read and write the real default graph)."""
    from graphkg.server import create_app

    path = tmp_path / "store"
    shutil.copytree(empty_store, path, symlinks=True)
    app = create_app(
        Settings(store=path, workers=1, write_tokens=TOKENS, union_default_graph=False)
    )
    yield app.test_client()
    app.extensions["graphkg"].pool.close()
    app.extensions["graphkg"].writes.close()


# -- requests ----------------------------------------------------------------------------


def update_direct(
    client: FlaskClient,
    body: str | bytes,
    content_type: str | None = SPARQL_UPDATE,
    **query: str | list[str],
) -> TestResponse:
    """``POST /update`` with the update as the body; ``query`` as the query string."""
    data = body.encode() if isinstance(body, str) else body
    return client.post(
        UPDATE, data=data, content_type=content_type, query_string=query, headers=AUTH
    )


def succeeded(response: TestResponse) -> bool:
    """The manifest asks for "2xx or 3xx"; graphkg answers an update 204 (200 allowed)."""
    return 200 <= response.status_code < 300


def results(client: FlaskClient, query: str) -> ox.QuerySolutions | ox.QueryBoolean:
    """The results of a query, sent as the manifest's follow-up requests send it:
    ``POST /sparql`` direct, with ``Accept: application/sparql-results+xml``."""
    response = client.post(
        "/sparql",
        data=query.encode(),
        content_type="application/sparql-query",
        headers={"Accept": RESULTS_XML},
    )
    assert response.status_code == 200, response.data
    assert response.mimetype == RESULTS_XML
    return ox.parse_query_results(response.data, format=ox.QueryResultsFormat.XML)


def ask(client: FlaskClient, query: str) -> bool:
    answer = results(client, query)
    assert isinstance(answer, ox.QueryBoolean)
    return bool(answer)


# -- the state the bad_update_* tests must leave as it was -------------------------------

BEFORE = """
INSERT DATA {
    <http://example/s> <http://example/p> "in the default graph" .
    GRAPH <http://example/people> { <http://example/s> <http://example/p> "named" }
}
"""
STILL_THERE = """
ASK {
    <http://example/s> <http://example/p> "in the default graph" .
    GRAPH <http://example/people> { <http://example/s> <http://example/p> "named" }
}
"""


def given_data(client: FlaskClient) -> None:
    """A triple in the default graph and one in a named graph, which a refused update
    (CLEAR ALL, CLEAR NAMED, CLEAR DEFAULT) would have removed."""
    assert succeeded(update_direct(client, BEFORE))
    assert ask(client, STILL_THERE)


def assert_cleared(client: FlaskClient) -> None:
    """Neither triple of :func:`given_data` is left. (Only those: graphkg keeps its
    ontology graph, a copy of the files in ontology/, whatever an update says.)"""
    assert not ask(client, "ASK { <http://example/s> ?p ?o }"), "the default graph was kept"
    assert not ask(client, "ASK { GRAPH ?g { <http://example/s> ?p ?o } }"), "a graph was kept"


def assert_unchanged(client: FlaskClient) -> None:
    assert ask(client, STILL_THERE), "a refused update changed the store"


# -- update_* ----------------------------------------------------------------------------


def test_update_dataset_default_graph(client: FlaskClient) -> None:
    """W3C ``update_dataset_default_graph``: "update with protocol-specified default graph".

    The update (direct POST, ``using-graph-uri=…/data1.rdf``) clears the store, puts
    ``<data1.rdf> a foaf:Document`` into the graph ``<data1.rdf>``, and copies every
    ``?s a foaf:Document`` of the default graph into a new graph as
    ``dc:BibliographicResource``: "2xx or 3xx response". With the protocol-specified
    default graph ``<data1.rdf>``, the follow-up ASK answers ``true``.
    """
    update = f"""
        PREFIX dc: <http://purl.org/dc/terms/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        CLEAR ALL ;
        INSERT DATA {{
            GRAPH <{DATA1}> {{
                <{DATA1}> a foaf:Document
            }}
        }} ;
        INSERT {{
            GRAPH <http://example.org/protocol-update-dataset-test/> {{
                ?s a dc:BibliographicResource
            }}
        }}
        WHERE {{
            ?s a foaf:Document
        }}
    """
    response = update_direct(client, update, **{"using-graph-uri": DATA1})
    assert succeeded(response), (response.status_code, response.data)
    assert ask(
        client,
        f"""ASK {{
            GRAPH <http://example.org/protocol-update-dataset-test/> {{
                <{DATA1}> a <http://purl.org/dc/terms/BibliographicResource>
            }}
        }}""",
    )


def test_update_dataset_default_graphs(client: FlaskClient) -> None:
    """W3C ``update_dataset_default_graphs``: "update with protocol-specified default graphs".

    Three graphs ``<data1.rdf>``, ``<data2.rdf>``, ``<data3.rdf>`` each say they are a
    ``foaf:Document``; the update, with ``using-graph-uri`` ``data1.rdf`` and
    ``data2.rdf``, copies the documents of the default graph: the two named by
    ``using-graph-uri`` are copied, ``data3.rdf`` is not (the follow-up ASK is true).
    """
    update = f"""
        PREFIX dc: <http://purl.org/dc/terms/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        CLEAR ALL ;
        INSERT DATA {{
            GRAPH <{DATA1}> {{ <{DATA1}> a foaf:Document }}
            GRAPH <{DATA2}> {{ <{DATA2}> a foaf:Document }}
            GRAPH <{DATA3}> {{ <{DATA3}> a foaf:Document }}
        }} ;
        INSERT {{
            GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {{
                ?s a dc:BibliographicResource
            }}
        }}
        WHERE {{
            ?s a foaf:Document
        }}
    """
    response = update_direct(client, update, **{"using-graph-uri": [DATA1, DATA2]})
    assert succeeded(response), (response.status_code, response.data)
    assert ask(
        client,
        f"""ASK {{
            GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {{
                <{DATA1}> a <http://purl.org/dc/terms/BibliographicResource> .
                <{DATA2}> a <http://purl.org/dc/terms/BibliographicResource> .
            }}
            FILTER NOT EXISTS {{
                GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {{
                    <{DATA3}> a <http://purl.org/dc/terms/BibliographicResource> .
                }}
            }}
        }}""",
    )


def test_update_dataset_named_graphs(client: FlaskClient) -> None:
    """W3C ``update_dataset_named_graphs``: "update with protocol-specified named graphs".

    As ``update_dataset_default_graphs``, but the documents are matched in
    ``GRAPH ?g`` with ``using-named-graph-uri`` ``data1.rdf`` and ``data2.rdf``: only
    those two named graphs are in the update's dataset, so ``data3.rdf`` is not copied
    (the follow-up ASK is true).
    """
    update = f"""
        PREFIX dc: <http://purl.org/dc/terms/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        CLEAR ALL ;
        INSERT DATA {{
            GRAPH <{DATA1}> {{ <{DATA1}> a foaf:Document }}
            GRAPH <{DATA2}> {{ <{DATA2}> a foaf:Document }}
            GRAPH <{DATA3}> {{ <{DATA3}> a foaf:Document }}
        }} ;
        INSERT {{
            GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> {{
                ?s a dc:BibliographicResource
            }}
        }}
        WHERE {{
            GRAPH ?g {{
                ?s a foaf:Document
            }}
        }}
    """
    response = update_direct(client, update, **{"using-named-graph-uri": [DATA1, DATA2]})
    assert succeeded(response), (response.status_code, response.data)
    assert ask(
        client,
        f"""ASK {{
            GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> {{
                <{DATA1}> a <http://purl.org/dc/terms/BibliographicResource> .
                <{DATA2}> a <http://purl.org/dc/terms/BibliographicResource> .
            }}
            FILTER NOT EXISTS {{
                GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> {{
                    <{DATA3}> a <http://purl.org/dc/terms/BibliographicResource> .
                }}
            }}
        }}""",
    )


def test_update_dataset_full(client: FlaskClient) -> None:
    """W3C ``update_dataset_full``: "update with protocol-specified dataset (both named
    and default graphs)".

    With ``using-graph-uri=…/data1.rdf`` and ``using-named-graph-uri=…/data2.rdf``, the
    update records where it found each document: ``data1.rdf`` "default" (it is the
    default graph), ``data2.rdf`` in the graph ``<data2.rdf>``, and ``data3.rdf``, in
    neither, nowhere (the follow-up ASK is true).
    """
    update = f"""
        PREFIX dc: <http://purl.org/dc/terms/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        CLEAR ALL ;
        INSERT DATA {{
            GRAPH <{DATA1}> {{ <{DATA1}> a foaf:Document }}
            GRAPH <{DATA2}> {{ <{DATA2}> a foaf:Document }}
            GRAPH <{DATA3}> {{ <{DATA3}> a foaf:Document }}
        }} ;
        INSERT {{
            GRAPH <http://example.org/protocol-update-dataset-full-test/> {{
                ?s <http://example.org/in> ?in
            }}
        }}
        WHERE {{
            {{
                GRAPH ?g {{ ?s a foaf:Document }}
                BIND(?g AS ?in)
            }}
            UNION
            {{
                ?s a foaf:Document .
                BIND("default" AS ?in)
            }}
        }}
    """
    response = update_direct(
        client, update, **{"using-graph-uri": DATA1, "using-named-graph-uri": DATA2}
    )
    assert succeeded(response), (response.status_code, response.data)
    assert ask(
        client,
        f"""ASK {{
            GRAPH <http://example.org/protocol-update-dataset-full-test/> {{
                <{DATA1}> <http://example.org/in> "default" .
                <{DATA2}> <http://example.org/in> <{DATA2}> .
            }}
            FILTER NOT EXISTS {{
                GRAPH <http://example.org/protocol-update-dataset-full-test/> {{
                    <{DATA3}> ?p ?o
                }}
            }}
        }}""",
    )


def test_update_post_form(client: FlaskClient) -> None:
    """W3C ``update_post_form``: "update via URL-encoded POST".

    ``update=CLEAR%20ALL`` as ``application/x-www-form-urlencoded``: "2xx or 3xx
    response". (Beyond the manifest: the update is carried out, so the data is gone from
    the default graph and the named graphs.)
    """
    given_data(client)
    response = client.post(UPDATE, data=b"update=CLEAR%20ALL", content_type=FORM, headers=AUTH)
    assert succeeded(response), (response.status_code, response.data)
    assert_cleared(client)


def test_update_post_direct(client: FlaskClient) -> None:
    """W3C ``update_post_direct``: "update via POST directly".

    ``CLEAR ALL`` as the body, ``application/sparql-update``: "2xx or 3xx response".
    (Beyond the manifest: the update is carried out, so the data is gone from the default
    graph and the named graphs.)
    """
    given_data(client)
    response = update_direct(client, "CLEAR ALL")
    assert succeeded(response), (response.status_code, response.data)
    assert_cleared(client)


def test_update_base_uri(client: FlaskClient) -> None:
    """W3C ``update_base_uri``: "test for service-defined BASE URI ("which MAY be the
    service endpoint")".

    ``CLEAR GRAPH <http://example.org/protocol-base-test/> ; INSERT DATA { GRAPH …
    { <http://example.org/s> <http://example.org/p> <test> } }`` succeeds, and the
    follow-up SELECT finds "one result with ``?o`` bound to an IRI that is _not_
    ``<test>``": the relative IRI was resolved against the service's base IRI.

    The graph is made to exist first: SPARQL 1.1 Update §3.1.5 says a store that
    records empty graphs (as Oxigraph does) SHOULD fail ``CLEAR GRAPH`` of a graph it
    does not hold, which is why the suite's newer generator (``gen_manifest.rb``) sends
    ``CLEAR SILENT GRAPH``; the base IRI, which this test is about, is the same either way.
    """
    graph = "http://example.org/protocol-base-test/"
    assert succeeded(
        update_direct(client, f'INSERT DATA {{ GRAPH <{graph}> {{ <s:x> <p:x> "" }} }}')
    )
    response = update_direct(
        client,
        f"CLEAR GRAPH <{graph}> ;\n"
        f"INSERT DATA {{ GRAPH <{graph}> "
        "{ <http://example.org/s> <http://example.org/p> <test> } }",
    )
    assert succeeded(response), (response.status_code, response.data)
    answer = results(
        client,
        f"SELECT ?o WHERE {{ GRAPH <{graph}> {{\n"
        "    <http://example.org/s> <http://example.org/p> ?o\n"
        "} }",
    )
    assert isinstance(answer, ox.QuerySolutions)
    values = [row["o"] for row in answer]
    assert len(values) == 1, values
    (value,) = values
    assert isinstance(value, ox.NamedNode), value
    assert value.value != "test" and ":" in value.value, value


# -- bad_update_* ------------------------------------------------------------------------


def test_bad_update_get(client: FlaskClient) -> None:
    """W3C ``bad_update_get``: "invoke update operation with GET".

    ``GET /sparql?update=CLEAR%20ALL``: "4xx". Updates are sent by POST only (SPARQL
    1.1 Protocol §2.2); graphkg answers 405 Method Not Allowed, and clears nothing.
    """
    given_data(client)
    response = client.get(UPDATE, query_string={"update": "CLEAR ALL"}, headers=AUTH)
    assert response.status_code == 405, (response.status_code, response.data)
    assert_unchanged(client)


def test_bad_multiple_updates(client: FlaskClient) -> None:
    """W3C ``bad_multiple_updates``: "invoke update operation with more than one update
    string".

    ``update=CLEAR%20NAMED&update=CLEAR%20DEFAULT`` as a form: "4xx" (the protocol
    allows exactly one ``update`` parameter). graphkg answers 400, and clears nothing.
    """
    given_data(client)
    response = client.post(
        UPDATE,
        data=b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        content_type=FORM,
        headers=AUTH,
    )
    assert response.status_code == 400, (response.status_code, response.data)
    assert_unchanged(client)


def test_bad_update_wrong_media_type(client: FlaskClient) -> None:
    """W3C ``bad_update_wrong_media_type``: "invoke update operation with a POST with media
    type that's not url-encoded or application/sparql-update".

    ``CLEAR NAMED`` as ``text/plain``: "4xx". graphkg answers 415 Unsupported Media
    Type, and clears nothing.
    """
    given_data(client)
    response = update_direct(client, "CLEAR NAMED", content_type="text/plain")
    assert response.status_code == 415, (response.status_code, response.data)
    assert_unchanged(client)


def test_bad_update_missing_form_type(client: FlaskClient) -> None:
    """W3C ``bad_update_missing_form_type``: "invoke update operation with url-encoded
    body, but without application/x-www-form-urlencoded media type".

    ``update=CLEAR%20NAMED`` with no ``Content-Type``: "4xx". graphkg answers 415, and
    clears nothing.
    """
    given_data(client)
    response = update_direct(client, "update=CLEAR%20NAMED", content_type=None)
    assert "Content-Type" not in response.request.headers
    assert response.status_code == 415, (response.status_code, response.data)
    assert_unchanged(client)


def test_bad_update_non_utf8(client: FlaskClient) -> None:
    """W3C ``bad_update_non_utf8``: "invoke update operation with direct POST, but with a
    non-UTF8 encoding".

    ``CLEAR NAMED`` encoded in UTF-16, as ``application/sparql-update; charset=UTF-16``:
    "4xx" (a direct update is UTF-8, SPARQL 1.1 Protocol §2.2.2). graphkg answers 400,
    and clears nothing.
    """
    given_data(client)
    response = update_direct(
        client, "CLEAR NAMED".encode("utf-16"), content_type=f"{SPARQL_UPDATE}; charset=UTF-16"
    )
    assert response.status_code == 400, (response.status_code, response.data)
    assert_unchanged(client)


def test_bad_update_syntax(client: FlaskClient) -> None:
    """W3C ``bad_update_syntax``: "invoke update operation with invalid update syntax".

    ``update=CLEAR%20XYZ`` as a form: "4xx". graphkg answers 400.
    """
    given_data(client)
    response = client.post(UPDATE, data=b"update=CLEAR%20XYZ", content_type=FORM, headers=AUTH)
    assert response.status_code == 400, (response.status_code, response.data)
    assert_unchanged(client)


CONFLICT = (
    "using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople&update=%09%09PREFIX%20foaf%3A%20%20"
    "%3Chttp%3A%2F%2Fxmlns.com%2Ffoaf%2F0.1%2F%3E%0A%09%09WITH%20%3Chttp%3A%2F%2Fexample%2F"
    "addresses%3E%0A%09%09DELETE%20%7B%20%3Fperson%20foaf%3AgivenName%20%27Bill%27%20%7D%0A"
    "%09%09INSERT%20%7B%20%3Fperson%20foaf%3AgivenName%20%27William%27%20%7D%0A%09%09WHERE"
    "%20%7B%0A%09%09%09%3Fperson%20foaf%3AgivenName%20%27Bill%27%0A%09%09%7D%0A"
)
"""The body of ``bad_update_dataset_conflict``, as the manifest writes it: Example 5 of
SPARQL 1.1 Update (``WITH <http://example/addresses>``, rename Bill to William) with
``using-named-graph-uri=http://example/people``."""
BILL = """
    PREFIX foaf: <http://xmlns.com/foaf/0.1/>
    ASK {
        GRAPH <http://example/addresses> { <http://example/president25> foaf:givenName 'Bill' }
        FILTER NOT EXISTS {
            { ?person foaf:givenName 'William' }
            UNION { GRAPH ?g { ?person foaf:givenName 'William' } }
        }
    }
"""


def given_bill(client: FlaskClient) -> None:
    """Example 5 of SPARQL 1.1 Update, whose update the conflict tests send: a Bill to
    rename in ``<http://example/addresses>``, and him again in ``<http://example/people>``."""
    update = """
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        INSERT DATA {
            GRAPH <http://example/addresses> {
                <http://example/president25> foaf:givenName "Bill" ;
                    foaf:familyName "McKinley" .
            }
            GRAPH <http://example/people> { <http://example/president25> foaf:givenName "Bill" }
        }
    """
    assert succeeded(update_direct(client, update))
    assert ask(client, BILL)


def test_bad_update_dataset_conflict(client: FlaskClient) -> None:
    """W3C ``bad_update_dataset_conflict``: "invoke update with both
    using-graph-uri/using-named-graph-uri parameter and USING/WITH clause".

    A form with ``using-named-graph-uri=http://example/people`` and an update that says
    ``WITH <http://example/addresses>``: "4xx". SPARQL 1.1 Protocol §2.2.3: "It is an
    error to supply the using-graph-uri or using-named-graph-uri parameters when using
    this protocol to convey a SPARQL 1.1 Update request that contains an operation that
    uses the USING, USING NAMED, or WITH clause." graphkg answers 400, and renames no one.
    """
    given_bill(client)
    response = client.post(UPDATE, data=CONFLICT.encode(), content_type=FORM, headers=AUTH)
    assert response.status_code == 400, (response.status_code, response.data)
    assert ask(client, BILL), "the refused update was carried out"


@pytest.mark.parametrize(
    ("parameter", "clause"),
    [
        ("using-graph-uri", "USING <http://example/addresses>"),
        ("using-named-graph-uri", "USING NAMED <http://example/addresses>"),
        ("using-graph-uri", "WITH"),
    ],
)
def test_bad_update_dataset_conflict_in_every_form(
    client: FlaskClient, parameter: str, clause: str
) -> None:
    """Beyond the manifest, the other pairs §2.2.3 forbids: ``using-graph-uri`` with
    ``USING``, ``using-named-graph-uri`` with ``USING NAMED``, ``using-graph-uri`` with
    ``WITH``, sent direct (the parameters in the query string): 400, nothing renamed."""
    given_bill(client)
    rename = "DELETE { ?person foaf:givenName 'Bill' } INSERT { ?person foaf:givenName 'William' }"
    where = "WHERE { ?person foaf:givenName 'Bill' }"
    if clause == "WITH":
        update = f"WITH <http://example/addresses> {rename} {where}"
    else:
        update = f"{rename} {clause} {where}"
    update = f"PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n{update}"
    response = update_direct(client, update, **{parameter: "http://example/people"})
    assert response.status_code == 400, (response.status_code, response.data)
    assert ask(client, BILL), "the refused update was carried out"
