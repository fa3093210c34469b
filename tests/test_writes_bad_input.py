"""Bad input to the write API gets a clear error and changes nothing: each case through
HTTP, on both store backends."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from conftest import ADMIN, ARTICLE_ID, BASE, BILLION_LAUGHS, STEWARD, facts, yaml_post

TEXT = "Anna Weber, an Azerbaijani, spoke in Baku on 2025-06-29."


def article(article_id: str, entities: str, *, head: str = "") -> str:
    return (
        f"article:\n  id: {json.dumps(article_id)}\n  text: |\n    {TEXT}\n"
        f"  title: t\n  language: en\n{head}entities:\n{entities}"
    )


PERSON = (
    "  - id: bad-weber\n    type: Person\n    label: Anna Weber\n"
    "    evidence: ['Anna Weber, an Azerbaijani, spoke']\n"
)


@pytest.fixture
def client(write_app: Flask) -> FlaskClient:
    return write_app.test_client()


def version(app: Flask) -> str | None:
    """The store's own version: it moves with every commit and nothing else."""
    return app.extensions["graphkg"].view.graph.version()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        ("article: [unclosed", "application/yaml", 422, "malformed YAML"),
        ("@prefix x: <y> . x:a x:b", "text/turtle", 422, "malformed ttl"),
        ('{"@id": ', "application/ld+json", 422, "malformed jsonld"),
        ("article:\n  id: a\n", "text/plain", 415, "application/yaml"),
        ("", "application/yaml", 422, "empty"),
        (b"\xff\xfe\x00binary", "application/yaml", 422, "UTF-8"),
        (article("laughs", PERSON) + BILLION_LAUGHS, "application/yaml", 422, "max_yaml_nodes"),
        (
            "a:\n" + "  " * 0 + "[" * 10_000 + "]" * 10_000 + "\n",
            "application/yaml",
            422,
            "facts.yaml",
        ),
        ("title: \x07bell\n", "application/yaml", 422, "facts.yaml:1"),
        (
            article("long-title", PERSON).replace("title: t", "title: " + "T" * 20_000),
            "application/yaml",
            422,
            "max_literal_chars",
        ),
        (
            article("unknown-ref", PERSON + "    nationality: azerbaijn\n"),
            "application/yaml",
            422,
            "azerbaijan",
        ),
        (
            article("wrong-type", PERSON + "    approximateAge: sixty\n"),
            "application/yaml",
            422,
            "approximateAge",
        ),
        (
            article("misquoted", PERSON.replace("spoke", "spoke loudly")),
            "application/yaml",
            422,
            "verbatim",
        ),
        (article("twice", PERSON + PERSON), "application/yaml", 422, "unique-id"),
        (article("../../escape", PERSON), "application/yaml", 422, "valid `id`"),
        (article("Upper Case", PERSON), "application/yaml", 422, "valid `id`"),
        (
            article(
                "late-date",
                "  - id: late-talk\n    type: Response\n    attestation: stated\n"
                "    responseKind: statement\n    actor: azerbaijan\n"
                "    time:\n      date: 2025-07-30\n    evidence: ['spoke in Baku']\n",
                head="  world:\n    - note: the date the story ran\n      published: 2025-06-29\n",
            ),
            "application/yaml",
            422,
            "dated 2025-07-30, after 2025-06-29, the publication date",
        ),
        (
            article("etc-passwd", PERSON).replace(
                f"  text: |\n    {TEXT}\n", "  file: ../../../../etc/passwd\n"
            ),
            "application/yaml",
            422,
            "article-file",
        ),
    ],
    ids=[
        "malformed-yaml",
        "malformed-turtle",
        "malformed-jsonld",
        "wrong-content-type",
        "empty",
        "binary",
        "billion-laughs",
        "deeply-nested",
        "control-character",
        "long-title",
        "unknown-entity",
        "wrong-type",
        "quote-not-in-article",
        "duplicate-id",
        "escaping-article-id",
        "invalid-article-id",
        "date-after-publication",
        "etc-passwd",
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(
    client: FlaskClient,
    write_app: Flask,
    body: str | bytes,
    content_type: str,
    status: int,
    says: str,
) -> None:
    before = version(write_app)
    answer = client.post(
        "/facts",
        data=body if isinstance(body, bytes) else body.encode("utf-8"),
        headers={
            "Authorization": f"Bearer {STEWARD}",
            "Content-Type": content_type,
            "Accept": "text/plain",
        },
    )
    text = answer.get_data(as_text=True)
    assert answer.status_code == status, text
    assert says in text, text
    assert "/tmp/" not in text and "graphkg-submission" not in text
    assert version(write_app) == before


def test_an_oversized_body_is_413_and_changes_nothing(
    client: FlaskClient, write_app: Flask
) -> None:
    before = version(write_app)
    limit = write_app.extensions["graphkg"].settings.max_request_bytes
    answer = client.post("/facts", data=b"a: b\n" * (limit // 5 + 1), headers=yaml_post())
    assert answer.status_code == 413
    assert version(write_app) == before


def test_a_steward_cannot_write_shared_entities_and_no_token_writes_the_ontology(
    client: FlaskClient, write_app: Flask
) -> None:
    before = version(write_app)
    shared = "source: entities\nentities:\n  - id: atlantis\n    type: State\n    label: Atlantis\n"
    assert client.post("/facts", data=shared, headers=yaml_post(STEWARD)).status_code == 403
    # A fact file cannot reach the ontology or the shapes: they are not sources of facts.
    ontology = (
        "@prefix gkg: <https://w3id.org/graphkg/ontology#> .\n"
        '<https://w3id.org/graphkg/id/article/onto> a gkg:Article ; gkg:text "x" .\n'
        "gkg:Person a <http://www.w3.org/2002/07/owl#Thing> .\n"
    )
    answer = client.post(
        "/facts",
        data=ontology,
        headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "text/turtle"},
    )
    assert answer.status_code == 422
    assert version(write_app) == before


SEED_GRAPH = f"<{BASE}graph/article/{ARTICLE_ID}>"


@pytest.mark.parametrize(
    ("token", "update", "status", "says"),
    [
        (ADMIN, f"DROP GRAPH <{BASE}graph/ontology>", 403, "ontology/"),
        (ADMIN, f"CLEAR GRAPH <{BASE}graph/shapes>", 403, "shapes/"),
        (STEWARD, "DROP ALL", 403, "steward"),
        (
            STEWARD,
            f"DELETE WHERE {{ GRAPH <{BASE}graph/entities> {{ ?s ?p ?o }} }}",
            403,
            "steward",
        ),
        (STEWARD, f"DROP GRAPH {SEED_GRAPH}", 422, f"DELETE /facts/{ARTICLE_ID}"),
        (STEWARD, "INSERT DATA { <a> <b> <c> ", 400, "line 1"),
        (STEWARD, "INSERT {} WHERE " + "{" * 600 + "}" * 600, 400, "levels"),
        (STEWARD, "INSERT DATA { <a> <b> " + "[ <b> " * 600 + "]" * 600 + " }", 400, "nests"),
        (
            STEWARD,
            "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
            400,
            "SERVICE",
        ),
        (STEWARD, "LOAD <file:///etc/passwd>", 403, "LOAD"),
        (STEWARD, "INSERT DATA { GRAPH <" + "x" * 100 + "> { <a> <b> 'c' } }", 403, "steward"),
    ],
)
def test_a_bad_or_forbidden_update_is_refused_clearly_and_changes_nothing(
    client: FlaskClient, write_app: Flask, token: str, update: str, status: int, says: str
) -> None:
    before = version(write_app)
    answer = client.post(
        "/update",
        data=update,
        content_type="application/sparql-update",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    assert answer.status_code == status, answer.get_data(as_text=True)
    body = answer.get_data(as_text=True)
    assert says in body and "/tmp" not in body and "Traceback" not in body
    assert version(write_app) == before


def test_a_valid_file_after_all_that_is_still_accepted(client: FlaskClient) -> None:
    assert (
        client.post("/facts", data=facts("after-the-storm"), headers=yaml_post()).status_code == 201
    )
