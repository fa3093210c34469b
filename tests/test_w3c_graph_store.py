"""SPARQL 1.1 Graph Store HTTP Protocol writes and reads: the W3C tests.

Every test of the W3C Graph Store Protocol suite (w3c/rdf-tests,
``sparql/sparql11/http-rdf-update/manifest.ttl``, with the three tests on empty
graphs that only the original W3C test page describes), in the manifest's order,
each as the test function of its name, written from the request and response the
manifest describes. ``$GRAPHSTORE$`` is ``/rdf-graphs/service``; ``$HOST$`` is
``localhost`` under Flask's test client, so a graph identified directly by
``/rdf-graphs/service/person/1.ttl`` is the graph
``<http://localhost/rdf-graphs/service/person/1.ttl>``.

The suite is a sequence: each test runs on the state its predecessors left. Here
each test has a store of its own, empty, and first makes the state it needs with
the requests of the earlier tests (each checked for success only: their own status
codes are their own tests' business). The three DELETE tests run twice: on
``person/2.ttl`` made empty, as the suite makes it, and made with triples, so that
what they say of DELETE does not hang on whether the store keeps empty graphs.

The store is built with the union default graph off: the suite writes and reads
the store's real default graph (``?default``).

Graphs are compared with ``rdflib.compare.isomorphic``. graphkg stores blank nodes as
skolem IRIs (``…/.well-known/genid/…``, RDF 1.1 Concepts §3.5), and may serve them as
such: before comparing, every skolem IRI of a graph served is read back as a blank
node. The tests that compare graphs with blank nodes (all but the HEAD, DELETE and
status-only tests: the person graphs' ``foaf:businessCard`` and the Alice graph are
blank nodes) say so.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
from flask.testing import FlaskClient
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node
from werkzeug.datastructures import Headers
from werkzeug.test import TestResponse

from graphkg.pipeline import build_store
from graphkg.settings import Settings
from graphkg.store import open_store

from conftest import ADMIN, BASE, TOKENS

GRAPHSTORE = "/rdf-graphs/service"
"""``$GRAPHSTORE$``: the path of the graph store."""
GRAPHSTORE_URL = f"http://localhost{GRAPHSTORE}"
"""``http://$HOST$/$GRAPHSTORE$`` under Flask's test client."""
PERSON_1 = f"{GRAPHSTORE}/person/1.ttl"
PERSON_2 = f"{GRAPHSTORE}/person/2.ttl"
PERSON_4 = f"{GRAPHSTORE}/person/4.ttl"
DEFAULT = f"{GRAPHSTORE}?default"
TURTLE = "text/turtle; charset=utf-8"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
DATA = Path(__file__).resolve().parent / "data" / "w3c" / "graph-store"
GENID = "/.well-known/genid/"
BOUNDARY = "a6fe4cd636164618814be9f8d3d1a0de"
CREATED = {201}
MODIFIED = {200, 204}
"""SPARQL 1.1 Graph Store Protocol §5.3: "If new RDF graph content is created, the origin
server MUST inform the user agent via the 201 Created response. If existing RDF graph
content is modified, either the 200 OK or 204 No Content response codes MUST be sent";
the manifest writes one or the other of the two."""

# -- the app -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty store, built once from a folder of no fact files; tests copy it."""
    folder = tmp_path_factory.mktemp("w3c-graph-store")
    (folder / "facts").mkdir()
    path = folder / "store"
    build_store(open_store(Settings(store=path, base=BASE), writer=True), folder / "facts")
    return path


@pytest.fixture
def client(empty_store: Path, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of the app over an empty store of the test's own, with write tokens and
    the union default graph off (the suite reads and writes the real default graph)."""
    from graphkg.server import create_app

    path = tmp_path / "store"
    shutil.copytree(empty_store, path, symlinks=True)
    app = create_app(
        Settings(store=path, workers=1, write_tokens=TOKENS, union_default_graph=False)
    )
    yield app.test_client()
    app.extensions["graphkg"].pool.close()
    app.extensions["graphkg"].writes.close()


# -- payloads and graphs -----------------------------------------------------------------


def payload(name: str) -> bytes:
    """A request or response body of the suite, with ``http://$HOST$/$GRAPHSTORE$`` as
    the graph store's URL under the test client."""
    text = (DATA / name).read_text(encoding="utf-8")
    return text.replace("http://$HOST$/$GRAPHSTORE$", GRAPHSTORE_URL).encode()


def expected(name: str) -> Graph:
    return Graph().parse(data=payload(name), format="turtle")


def unskolemized(graph: Graph) -> Graph:
    """``graph`` with each skolem IRI as a blank node (the same node for the same IRI)."""

    def term(node: Node) -> Node:
        if isinstance(node, URIRef) and GENID in node:
            return BNode(hashlib.sha256(str(node).encode()).hexdigest())
        return node

    found = Graph()
    for s, p, o in graph:
        found.add((term(s), p, term(o)))
    return found


@dataclass(frozen=True)
class Answer:
    status: int
    mimetype: str
    charset: str | None
    headers: Headers
    body: bytes


def fetch(client: FlaskClient, path: str, method: str = "GET", **kwargs: object) -> Answer:
    """A read's status, headers and body, with the (file-backed) response closed."""
    with client.open(path, method=method, **kwargs) as response:  # type: ignore[arg-type]
        return Answer(
            response.status_code,
            response.mimetype,
            response.mimetype_params.get("charset"),
            Headers(response.headers),
            response.get_data(),
        )


def get(
    client: FlaskClient, path: str, accept: str | None = "text/turtle", **kwargs: object
) -> Answer:
    headers = {"Accept": accept} if accept else {}
    return fetch(client, path, headers=headers, **kwargs)


def assert_turtle(answer: Answer) -> None:
    """A 200 answer in Turtle, as the manifest's ``Content-Type: text/turtle; charset=utf-8``
    (Turtle is UTF-8 whether the charset is said or not)."""
    assert answer.status == 200, (answer.status, answer.body)
    assert answer.mimetype == "text/turtle", answer.mimetype
    assert (answer.charset or "utf-8").lower() == "utf-8", answer.charset


def served(answer: Answer) -> Graph:
    assert_turtle(answer)
    return unskolemized(Graph().parse(data=answer.body, format="turtle"))


def assert_serves(answer: Answer, name: str) -> None:
    """The answer is a Turtle graph isomorphic to the suite's file ``name``."""
    graph = served(answer)
    assert isomorphic(graph, expected(name)), (
        f"not the graph of {name}:\n{graph.serialize(format='nt')}"
    )


# -- writes ------------------------------------------------------------------------------


def write(
    client: FlaskClient,
    method: str,
    path: str,
    body: bytes = b"",
    content_type: str = TURTLE,
    **kwargs: object,
) -> TestResponse:
    """A write, with the admin token."""
    return client.open(
        path, method=method, data=body, content_type=content_type, headers=AUTH, **kwargs
    )  # type: ignore[arg-type]


def ok(response: TestResponse) -> TestResponse:
    """A request that makes the state a test starts from: it has to succeed."""
    assert 200 <= response.status_code < 300, (
        f"setting up failed: {response.request.method} {response.request.full_path} "
        f"{response.status_code} {response.get_data()!r}"
    )
    return response


def put_initial_state(client: FlaskClient) -> TestResponse:
    return write(client, "PUT", PERSON_1, payload("person-1-john.ttl"))


def put_graph_already_in_store(client: FlaskClient) -> TestResponse:
    return write(client, "PUT", PERSON_1, payload("person-1-jane.ttl"))


def put_default_graph(client: FlaskClient) -> TestResponse:
    return write(client, "PUT", DEFAULT, payload("alice.ttl"))


def put_empty_graph(client: FlaskClient) -> TestResponse:
    iri = f"{GRAPHSTORE_URL}/person/2.ttl"
    return write(client, "PUT", GRAPHSTORE, b"", query_string={"graph": iri})


def delete_person_2(client: FlaskClient) -> TestResponse:
    return client.delete(PERSON_2, headers=AUTH)


def post_existing_graph(client: FlaskClient) -> TestResponse:
    return write(client, "POST", PERSON_1, payload("person-1-name.ttl"))


def multipart(*names: str) -> bytes:
    """A ``multipart/form-data`` body of the suite's files, a part each, as the manifest's
    *POST - multipart/form-data* writes it."""
    lines: list[bytes] = []
    for name in names:
        lines += [
            f"--{BOUNDARY}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="{name}"'.encode(),
            f"Content-Type: {TURTLE}".encode(),
            b"",
            payload(name),
        ]
    lines += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(lines)


def post_multipart(client: FlaskClient) -> TestResponse:
    body = multipart("lastName.ttl", "firstName.ttl")
    return write(client, "POST", PERSON_1, body, f"multipart/form-data; boundary={BOUNDARY}")


def post_create_new_graph(client: FlaskClient) -> TestResponse:
    return write(client, "POST", GRAPHSTORE, payload("alice.ttl"))


def new_path(response: TestResponse) -> str:
    """``$NEWPATH$``: the URL in the ``Location`` of a graph created by POST, absolute."""
    location = response.headers.get("Location")
    assert location, f"no Location: {response.status_code} {response.get_data()!r}"
    return urljoin(GRAPHSTORE_URL, location)


PERSON_2_MADE = {
    "made-empty": "by *PUT - empty graph*, as the suite makes it",
    "made-with-triples": "by a PUT of the Alice graph",
}
"""How the DELETE tests make ``person/2.ttl``: as the suite does, and, so that a store
that keeps no empty graph is tested on DELETE too, with triples."""


def given_person_2(client: FlaskClient, made: str) -> None:
    if made == "made-empty":
        ok(put_empty_graph(client))
    else:
        ok(write(client, "PUT", PERSON_2, payload("alice.ttl")))


def given_person_1_as_jane(client: FlaskClient) -> None:
    """The state after *PUT - graph already in store* (and *PUT - mismatched payload*,
    which changes nothing)."""
    ok(put_initial_state(client))
    ok(put_graph_already_in_store(client))


# -- the suite, in the manifest's order --------------------------------------------------


def test_put__initial_state(client: FlaskClient) -> None:
    """W3C *PUT - Initial state* (``put__initial_state``).

    ``PUT $GRAPHSTORE$/person/1.ttl`` with a Turtle graph of John Doe: "201 Created"
    (the graph is new).
    """
    response = put_initial_state(client)
    assert response.status_code in CREATED, (response.status_code, response.data)


def test_get_of_put__initial_state(client: FlaskClient) -> None:
    """W3C *GET of PUT - Initial state* (``get_of_put__initial_state``).

    ``GET $GRAPHSTORE$?graph=http://$HOST$/$GRAPHSTORE$/person/1.ttl``, ``Accept:
    text/turtle``: "200 OK", ``text/turtle``, the John Doe graph that was PUT, the
    graph identified indirectly this time. Compared with blank nodes (the business card).
    """
    ok(put_initial_state(client))
    iri = f"{GRAPHSTORE_URL}/person/1.ttl"
    assert_serves(get(client, GRAPHSTORE, query_string={"graph": iri}), "person-1-john.ttl")


def test_put__graph_already_in_store(client: FlaskClient) -> None:
    """W3C *PUT - graph already in store* (``put__graph_already_in_store``).

    ``PUT $GRAPHSTORE$/person/1.ttl`` again, now with Jane Doe: "204 No Content" (200 OK
    is the other code §5.3 allows when existing content is modified).
    """
    ok(put_initial_state(client))
    response = put_graph_already_in_store(client)
    assert response.status_code in MODIFIED, (response.status_code, response.data)


def test_get_of_put__graph_already_in_store(client: FlaskClient) -> None:
    """W3C *GET of PUT - graph already in store* (``get_of_put__graph_already_in_store``).

    ``GET $GRAPHSTORE$/person/1.ttl``: "200 OK", the Jane Doe graph: PUT replaced the
    graph, nothing of John Doe is left. Compared with blank nodes.
    """
    given_person_1_as_jane(client)
    assert_serves(get(client, PERSON_1), "person-1-jane.ttl")


def test_put__default_graph(client: FlaskClient) -> None:
    """W3C *PUT - default graph* (``put__default_graph``).

    ``PUT $GRAPHSTORE$?default`` with a graph of blank nodes (Alice): "201 Created"
    (the store's default graph had no content: new RDF graph content is created).
    Needs the union default graph off: else the default graph is the union of the
    named graphs, not a graph of its own to PUT.
    """
    given_person_1_as_jane(client)
    response = put_default_graph(client)
    assert response.status_code in CREATED, (response.status_code, response.data)


def test_get_of_put__default_graph(client: FlaskClient) -> None:
    """W3C *GET of PUT - default graph* (``get_of_put__default_graph``).

    ``GET $GRAPHSTORE$?default``: "200 OK", the Alice graph: the default graph holds
    what was PUT and only that (not the named graph ``person/1.ttl``). Compared with
    blank nodes (the whole graph is blank nodes). Needs the union default graph off.
    """
    given_person_1_as_jane(client)
    ok(put_default_graph(client))
    assert_serves(get(client, DEFAULT), "alice.ttl")


def test_put__mismatched_payload(client: FlaskClient) -> None:
    """W3C *PUT - mismatched payload* (``put__mismatched_payload``).

    ``PUT $GRAPHSTORE$/person/1.ttl`` with a Turtle body sent as
    ``application/rdf+xml``: "400 Bad Request". (The original W3C test page sends it as
    ``application/rdf+xml``; the w3c/rdf-tests manifest's copy says ``text/turtle``,
    which would be no mismatch.) Beyond the manifest: the refused PUT changes nothing.
    """
    given_person_1_as_jane(client)
    response = write(client, "PUT", PERSON_1, payload("person-1-jane.ttl"), "application/rdf+xml")
    assert response.status_code == 400, (response.status_code, response.data)
    assert_serves(get(client, PERSON_1), "person-1-jane.ttl")


def test_put__empty_graph(client: FlaskClient) -> None:
    """W3C *PUT - empty graph* (``put__empty_graph``, on the original W3C test page only).

    ``PUT $GRAPHSTORE$?graph=…/person/2.ttl`` with an empty Turtle body: the page says
    "200 OK"; §5.3 says a PUT that creates a graph answers 201 Created, and
    ``person/2.ttl`` is new. Either is taken.
    """
    given_person_1_as_jane(client)
    response = put_empty_graph(client)
    assert response.status_code in {200, 201}, (response.status_code, response.data)


def test_get_of_put__empty_graph(client: FlaskClient) -> None:
    """W3C *GET of PUT - empty graph* (``get_of_put__empty_graph``, on the original W3C
    test page only).

    ``GET $GRAPHSTORE$/person/2.ttl``: "200 OK", ``text/turtle``: the empty graph PUT
    exists, and is empty.
    """
    given_person_1_as_jane(client)
    ok(put_empty_graph(client))
    assert len(served(get(client, PERSON_2))) == 0


@pytest.mark.parametrize("made", PERSON_2_MADE)
def test_delete__existing_graph(client: FlaskClient, made: str) -> None:
    """W3C *DELETE - existing graph* (``delete__existing_graph``).

    ``DELETE $GRAPHSTORE$/person/2.ttl`` (the graph *PUT - empty graph* made; also run
    on the graph made with triples): "200 OK" (204 No Content, graphkg's answer, is the
    other success §5.4 allows).
    """
    given_person_1_as_jane(client)
    given_person_2(client, made)
    response = delete_person_2(client)
    assert response.status_code in MODIFIED, (response.status_code, response.data)


@pytest.mark.parametrize("made", PERSON_2_MADE)
def test_get_of_delete__existing_graph(client: FlaskClient, made: str) -> None:
    """W3C *GET of DELETE - existing graph* (``get_of_delete__existing_graph``).

    ``GET $GRAPHSTORE$/person/2.ttl`` after the DELETE: "404 Not Found". Beyond the
    manifest: the other graph, ``person/1.ttl``, is still there.
    """
    given_person_1_as_jane(client)
    given_person_2(client, made)
    ok(delete_person_2(client))
    assert get(client, PERSON_2).status == 404
    assert_serves(get(client, PERSON_1), "person-1-jane.ttl")


@pytest.mark.parametrize("made", PERSON_2_MADE)
def test_delete__nonexistent_graph(client: FlaskClient, made: str) -> None:
    """W3C *DELETE - non-existent graph* (``delete__nonexistent_graph``).

    ``DELETE $GRAPHSTORE$/person/2.ttl`` again, the graph gone: "404 Not Found".
    """
    given_person_1_as_jane(client)
    given_person_2(client, made)
    ok(delete_person_2(client))
    response = delete_person_2(client)
    assert response.status_code == 404, (response.status_code, response.data)


def test_post__existing_graph(client: FlaskClient) -> None:
    """W3C *POST - existing graph* (``post__existing_graph``).

    ``POST $GRAPHSTORE$/person/1.ttl`` with ``<…/person/1> foaf:name "Jane Doe"``:
    "200 OK" (or 204 No Content: the graph exists, it is not created). The manifest's
    body lacks the ``.`` that ends a Turtle statement; the file sent has it (see
    tests/data/w3c/README.md).
    """
    given_person_1_as_jane(client)
    response = post_existing_graph(client)
    assert response.status_code in MODIFIED, (response.status_code, response.data)


def test_get_of_post__existing_graph(client: FlaskClient) -> None:
    """W3C *GET of POST - existing graph* (``get_of_post__existing_graph``).

    ``GET $GRAPHSTORE$/person/1.ttl``: "200 OK", the Jane Doe graph merged with the name
    POSTed (§5.5: POST is an RDF merge into the graph). The w3c/rdf-tests manifest's copy
    shows the John Doe graph here, which no run of the suite could hold; this follows the
    original W3C test page. Compared with blank nodes.
    """
    given_person_1_as_jane(client)
    ok(post_existing_graph(client))
    assert_serves(get(client, PERSON_1), "person-1-after-post.ttl")


def test_post__multipart_formdata(client: FlaskClient) -> None:
    """W3C *POST - multipart/form-data* (``post__multipart_formdata``).

    ``POST $GRAPHSTORE$/person/1.ttl`` as ``multipart/form-data`` of two Turtle files,
    ``lastName.ttl`` (``foaf:familyName "Doe"``) and ``firstName.ttl``
    (``foaf:givenName "Jane"``): "200 OK" (or 204 No Content). Each part's triple is
    ended with the ``.`` the manifest leaves out.
    """
    given_person_1_as_jane(client)
    ok(post_existing_graph(client))
    response = post_multipart(client)
    assert response.status_code in MODIFIED, (response.status_code, response.data)


def test_get_of_post__multipart_formdata(client: FlaskClient) -> None:
    """W3C *GET of POST - multipart/form-data* (``get_of_post__multipart_formdata``).

    ``GET $GRAPHSTORE$/person/1.ttl``, with no ``Accept``: "200 OK", ``text/turtle``, the
    graph with both parts merged into it. Compared with blank nodes.
    """
    given_person_1_as_jane(client)
    ok(post_existing_graph(client))
    ok(post_multipart(client))
    assert_serves(get(client, PERSON_1, accept=None), "person-1-after-multipart.ttl")


def test_post__create__new_graph(client: FlaskClient) -> None:
    """W3C *POST - create new graph* (``post__create__new_graph``).

    ``POST $GRAPHSTORE$`` (the graph store itself) with the Alice graph: "201 Created",
    ``Location: $NEWPATH$`` (§5.5: the store makes a new graph, whose IRI is in the
    ``Location`` and is not the request's).
    """
    given_person_1_as_jane(client)
    response = post_create_new_graph(client)
    assert response.status_code in CREATED, (response.status_code, response.data)
    assert new_path(response).rstrip("/") != GRAPHSTORE_URL


def test_get_of_post__create__new_graph(client: FlaskClient) -> None:
    """W3C *GET of POST - create new graph* (``get_of_post__create__new_graph``).

    ``GET $NEWPATH$``: "200 OK", the Alice graph. Compared with blank nodes (the whole
    graph is blank nodes).
    """
    given_person_1_as_jane(client)
    created = new_path(ok(post_create_new_graph(client)))
    assert_serves(get(client, created), "alice.ttl")


def test_post__empty_graph_to_existing_graph(client: FlaskClient) -> None:
    """W3C *POST - empty graph to existing graph* (``post__empty_graph_to_existing_graph``,
    on the original W3C test page only).

    ``POST $NEWPATH$`` with an empty Turtle body: "204 No Content" (200 OK is the other
    code for a graph that exists and is not created).
    """
    given_person_1_as_jane(client)
    created = new_path(ok(post_create_new_graph(client)))
    response = write(client, "POST", created)
    assert response.status_code in MODIFIED, (response.status_code, response.data)


def test_get_of_post__after_noop(client: FlaskClient) -> None:
    """W3C *GET of POST - after noop* (``get_of_post__after_noop``).

    ``GET $NEWPATH$`` after the empty POST: "200 OK", the Alice graph, unchanged.
    Compared with blank nodes.
    """
    given_person_1_as_jane(client)
    created = new_path(ok(post_create_new_graph(client)))
    ok(write(client, "POST", created))
    assert_serves(get(client, created), "alice.ttl")


def test_head_on_an_existing_graph(client: FlaskClient) -> None:
    """W3C *HEAD on an existing graph* (``head_on_an_existing_graph``).

    ``HEAD $GRAPHSTORE$/person/1.ttl``, with no ``Accept``: "200 OK", ``Content-Type:
    text/turtle; charset=utf-8``, and (HEAD, §5.6) no body. Beyond the manifest: the
    headers are those a GET gets.
    """
    given_person_1_as_jane(client)
    ok(post_existing_graph(client))
    ok(post_multipart(client))
    head = fetch(client, PERSON_1, "HEAD")
    assert_turtle(head)
    assert head.body == b""
    whole = fetch(client, PERSON_1)
    assert head.headers.get("Content-Type") == whole.headers.get("Content-Type")


def test_head_on_a_nonexisting_graph(client: FlaskClient) -> None:
    """W3C *HEAD on a non-existing graph* (``head_on_a_nonexisting_graph``).

    ``HEAD $GRAPHSTORE$/person/4.ttl``, a graph never written: "404 Not Found".
    """
    given_person_1_as_jane(client)
    head = fetch(client, PERSON_4, "HEAD")
    assert head.status == 404, head.status
    assert head.body == b""
