"""SPARQL 1.1 Update at /update and Graph Store writes, gated like fact files: evaluated
into a diff, validated with every article it touches, committed in one transaction or
refused with the report; on both store backends. (The W3C suites, on a scratch store
with an admin token, are in test_w3c_update_protocol.py and test_w3c_graph_store.py.)"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graphkg.submission import files_digest

from conftest import ADMIN, ARTICLE_ID, BASE, STEWARD, facts, yaml_post

UPDATE = "application/sparql-update"


@pytest.fixture
def client(write_app: Flask) -> FlaskClient:
    return write_app.test_client()


def remote(client: FlaskClient) -> bool:
    return isinstance(client.application.extensions["graphkg"].settings.store, str)


def update(client: FlaskClient, text: str, token: str | None = STEWARD, **args: str):  # noqa: ANN201
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(
        "/update", data=text, content_type=UPDATE, headers=headers, query_string=args
    )


def select(client: FlaskClient, query: str) -> list[dict[str, str]]:
    answer = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return [
        {name: value["value"] for name, value in row.items()}
        for row in answer.get_json()["results"]["bindings"]
    ]


def article(client: FlaskClient, article_id: str) -> tuple[str, str]:
    """A new article of the tests' own, stored through /facts: its graph and IRI, in ``<>``."""
    assert client.post("/facts", data=facts(article_id), headers=yaml_post()).status_code == 201
    return f"<{BASE}graph/article/{article_id}>", f"<{BASE}id/article/{article_id}>"


def titles(client: FlaskClient, graph: str) -> set[str]:
    rows = select(client, f"SELECT ?t WHERE {{ GRAPH {graph} {{ ?a gkg:title ?t }} }}")
    return {row["t"] for row in rows}


def retitle(graph: str, title: str) -> str:
    return (
        f"DELETE {{ GRAPH {graph} {{ ?a gkg:title ?t }} }} "
        f"INSERT {{ GRAPH {graph} {{ ?a gkg:title {title} }} }} "
        f"WHERE {{ GRAPH {graph} {{ ?a gkg:title ?t }} }}"
    )


def test_an_update_is_validated_committed_and_recorded(client: FlaskClient) -> None:
    graph, _ = article(client, "upd-title")
    text = retitle(graph, "'Anna Weber speaks'@en")
    answer = update(client, text)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["changed"] and body["graphs"][graph[1:-1]] == {"added": 1, "removed": 1}
    assert titles(client, graph) == {"Anna Weber speaks"}
    history = client.get("/history.json", query_string={"article": "upd-title"}).get_json()
    latest = history["changes"][0]
    assert latest["change"] == body["change"] and latest["action"] == "update"
    assert latest["author"] == "ann"
    assert latest["digest"] == files_digest([("update.rq", text.encode())])
    again = update(client, text)
    assert again.status_code == 200 and again.get_json()["changed"] is False


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ("DELETE WHERE {{ GRAPH {graph} {{ ?a gkg:text ?text }} }}", "ArticleShape-text"),
        ("INSERT DATA {{ GRAPH {graph} {{ {iri} gkg:title 42 }} }}", "ArticleShape-title"),
        ("DROP GRAPH {graph}", "article"),
        ("INSERT DATA {{ GRAPH {graph} {{ <{base}id/article/other> a gkg:Article }} }}", "article"),
    ],
)
def test_an_update_that_leaves_an_article_invalid_is_422_and_changes_nothing(
    client: FlaskClient, change: str, rule: str
) -> None:
    article_id = f"upd-bad-{len(rule)}-{change[:4].lower()}"
    graph, iri = article(client, article_id)
    before = select(client, f"SELECT * WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    answer = update(client, change.format(graph=graph, iri=iri, base=BASE))
    assert answer.status_code == 422, answer.get_data(as_text=True)
    problems = answer.get_json()["problems"]
    assert any(rule in problem["rule"] for problem in problems), problems
    assert all(problem["fix"] for problem in problems)
    after = select(client, f"SELECT * WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    assert sorted(map(str, after)) == sorted(map(str, before))


def test_the_report_comes_as_text_or_shacl_by_accept(client: FlaskClient) -> None:
    graph, iri = article(client, "upd-report")
    text = f"INSERT DATA {{ GRAPH {graph} {{ {iri} gkg:title 42 }} }}"
    for accept, expected in [("text/plain", "gkg:title"), ("text/turtle", "sh:ValidationReport")]:
        answer = client.post(
            "/update",
            data=text,
            content_type=UPDATE,
            headers={"Authorization": f"Bearer {STEWARD}", "Accept": accept},
        )
        assert answer.status_code == 422 and answer.mimetype == accept
        assert expected in answer.get_data(as_text=True)


def test_a_change_to_a_shared_entity_revalidates_the_articles_that_reference_it(
    client: FlaskClient,
) -> None:
    article(client, "upd-shared")
    state = f"<{BASE}id/state/azerbaijan>"
    answer = update(
        client, f"DELETE DATA {{ GRAPH <{BASE}graph/entities> {{ {state} a gkg:State }} }}", ADMIN
    )
    assert answer.status_code == 422, answer.get_data(as_text=True)
    files = {problem["file"] for problem in answer.get_json()["problems"]}
    assert ARTICLE_ID in files
    kept = client.get(
        "/sparql",
        query_string={"query": f"ASK {{ {state} a gkg:State }}"},
        headers={"Accept": "application/json"},
    )
    assert kept.get_json()["boolean"] is True


def test_what_a_token_may_write(client: FlaskClient) -> None:
    graph, iri = article(client, "upd-scope")
    entities = f"<{BASE}graph/entities>"
    cases = [
        (STEWARD, f"INSERT DATA {{ GRAPH {entities} {{ {iri} rdfs:label 'x' }} }}", 403),
        (ADMIN, f"DROP GRAPH <{BASE}graph/ontology>", 403),
        (ADMIN, f"INSERT DATA {{ GRAPH <{BASE}graph/shapes> {{ {iri} rdfs:label 'x' }} }}", 403),
        (ADMIN, f"INSERT DATA {{ {iri} rdfs:label 'in the default graph' }}", 403),
        (None, retitle(graph, "'Anonymous'@en"), 401),
        (ADMIN, "LOAD <http://127.0.0.1:9/data.ttl>", 403),
    ]
    for token, text, status in cases:
        answer = update(client, text, token)
        assert answer.status_code == status, (text, answer.get_data(as_text=True))
        assert "/tmp" not in answer.get_data(as_text=True)
    assert titles(client, graph) == {"upd-scope"}
    ontology = select(
        client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/ontology> {{ ?s ?p ?o }} }}"
    )
    assert int(ontology[0]["n"]) > 100


def test_later_operations_see_earlier_ones_where_the_store_allows(client: FlaskClient) -> None:
    """On the embedded store the second operation reads the first's change (from a
    scratch copy); a remote store cannot evaluate that before validating, and says so."""
    graph, iri = article(client, "upd-steps")
    text = (
        f"INSERT DATA {{ GRAPH {graph} {{ {iri} gkg:title 'Second'@de }} }} ;\n"
        f"DELETE {{ GRAPH {graph} {{ ?a gkg:title 'upd-steps'@en }} }}\n"
        f"INSERT {{ GRAPH {graph} {{ ?a gkg:title 'Second'@en }} }}\n"
        f"WHERE {{ GRAPH {graph} {{ ?a gkg:title 'Second'@de, 'upd-steps'@en }} }}"
    )
    answer = update(client, text)
    if remote(client):
        assert answer.status_code == 422
        assert "reads what an earlier one changed" in answer.get_json()["error"]
        assert titles(client, graph) == {"upd-steps"}
    else:
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert titles(client, graph) == {"Second"}
        rows = select(
            client, f"SELECT (LANG(?t) AS ?l) WHERE {{ GRAPH {graph} {{ ?a gkg:title ?t }} }}"
        )
        assert sorted(row["l"] for row in rows) == ["de", "en"]


def test_a_dry_run_validates_and_changes_nothing(client: FlaskClient) -> None:
    graph, _ = article(client, "upd-dry")
    answer = update(client, retitle(graph, "'Dry'@en"), dry_run="true")
    assert answer.status_code == 200 and answer.get_json()["dry_run"] is True
    assert answer.get_json()["changed"] is True
    assert titles(client, graph) == {"upd-dry"}


def test_blank_nodes_are_stored_as_skolem_iris(client: FlaskClient) -> None:
    graph = "<http://example.org/notes>"
    answer = update(client, f"INSERT DATA {{ GRAPH {graph} {{ _:n rdfs:label 'a note' }} }}", ADMIN)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    rows = select(client, f"SELECT ?n WHERE {{ GRAPH {graph} {{ ?n rdfs:label 'a note' }} }}")
    assert len(rows) == 1 and rows[0]["n"].startswith(f"{BASE}.well-known/genid/")
    assert update(client, f"DROP GRAPH {graph}", ADMIN).status_code == 200
    assert select(client, f"SELECT * WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}") == []


@pytest.mark.parametrize(
    ("send", "status"),
    [
        ({"method": "GET", "query_string": {"update": "CLEAR ALL"}}, 405),
        ({"method": "POST", "data": "CLEAR ALL", "content_type": "text/plain"}, 415),
        ({"method": "POST", "data": "INSERT DATA { <a> <b> }", "content_type": UPDATE}, 400),
        ({"method": "POST", "data": b"CLEAR GRAPH <\xff>", "content_type": UPDATE}, 400),
        ({"method": "POST", "data": {"update": ["CLEAR ALL", "CLEAR ALL"]}}, 400),
    ],
)
def test_a_bad_update_request_gets_a_clear_error(
    client: FlaskClient, send: dict, status: int
) -> None:
    answer = client.open(
        "/update",
        headers={"Authorization": f"Bearer {ADMIN}", "Accept": "application/json"},
        **send,
    )
    assert answer.status_code == status, answer.get_data(as_text=True)
    if send.get("data") == "INSERT DATA { <a> <b> }":
        assert "line 1, column" in answer.get_json()["error"]


# -- Graph Store Protocol writes -------------------------------------------------------


def test_graph_store_put_and_post_of_an_article_graph_are_validated(client: FlaskClient) -> None:
    graph, iri = article(client, "gsp-put")
    target = {"graph": graph[1:-1]}
    stored = client.get(
        "/rdf-graphs/service", query_string=target, headers={"Accept": "application/n-triples"}
    ).get_data(as_text=True)
    retitled = stored.replace('"gsp-put"@en', '"Put anew"@en')
    assert retitled != stored
    sent = {"Authorization": f"Bearer {STEWARD}", "Content-Type": "application/n-triples"}
    put = client.put("/rdf-graphs/service", query_string=target, data=retitled, headers=sent)
    assert put.status_code == 204, put.get_data(as_text=True)
    assert titles(client, graph) == {"Put anew"}
    broken = client.put(
        "/rdf-graphs/service",
        query_string=target,
        data=f"{iri} <{BASE}x> 1 .",
        headers={**sent, "Content-Type": "text/turtle"},
    )
    assert broken.status_code == 422 and titles(client, graph) == {"Put anew"}
    added = client.post(
        "/rdf-graphs/service",
        query_string=target,
        data=f'{iri} <{BASE}ontology#title> "Neu"@de .',
        headers=sent,
    )
    assert added.status_code == 204 and titles(client, graph) == {"Put anew", "Neu"}
    malformed = client.post("/rdf-graphs/service", query_string=target, data="<x", headers=sent)
    assert malformed.status_code == 400
    quads = client.post(
        "/rdf-graphs/service",
        query_string=target,
        data="",
        headers={**sent, "Content-Type": "application/n-quads"},
    )
    assert quads.status_code == 415
