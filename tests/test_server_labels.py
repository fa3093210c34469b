"""``/labels`` and ``/terms.json``: what the pages' scripts look up to show and write terms."""

from __future__ import annotations

from flask.testing import FlaskClient

from graphkg.namespaces import PREFIXES
from graphkg.server.labels import LABELS_CAP

from conftest import BASE

AZERBAIJAN = f"{BASE}id/state/azerbaijan"
STATE = PREFIXES["gkg"] + "State"
RAID = PREFIXES["ik"] + "raid"
CLAIM = f"{BASE}id/claim/huseynli-barbaric-raids-claim"
ELSEWHERE = "http://example.org/thing"


def test_labels_names_each_iri_with_its_label_curie_and_page(client: FlaskClient) -> None:
    answer = client.get(
        "/labels", query_string=[("iri", AZERBAIJAN), ("iri", STATE), ("iri", RAID)]
    )
    assert answer.status_code == 200
    labels = answer.get_json()["labels"]
    assert list(labels) == [AZERBAIJAN, STATE, RAID]
    assert labels[AZERBAIJAN] == {
        "label": "Azerbaijan",
        "curie": None,
        "text": "Azerbaijan",
        "url": "/id/state/azerbaijan",
        "external": False,
    }
    assert labels[STATE]["curie"] == "gkg:State"
    assert labels[STATE]["url"] == "/ontology#State"
    assert labels[RAID]["text"] == "raid"
    assert labels[RAID]["curie"] == "ik:raid"


def test_labels_answers_a_json_post_of_iris_the_same_way(client: FlaskClient) -> None:
    posted = client.post("/labels", json={"iris": [AZERBAIJAN, RAID]}).get_json()
    got = client.get("/labels", query_string=[("iri", AZERBAIJAN), ("iri", RAID)]).get_json()
    assert posted == got


def test_an_iri_without_a_label_is_shown_by_its_short_name(client: FlaskClient) -> None:
    labels = client.get("/labels", query_string=[("iri", CLAIM), ("iri", ELSEWHERE)]).get_json()[
        "labels"
    ]
    assert labels[CLAIM]["label"] is None
    assert labels[CLAIM]["text"] == "claim/huseynli-barbaric-raids-claim"
    assert labels[CLAIM]["url"] == "/id/claim/huseynli-barbaric-raids-claim"
    assert labels[ELSEWHERE] == {
        "label": None,
        "curie": None,
        "text": ELSEWHERE,
        "url": ELSEWHERE,
        "external": True,
    }


def test_labels_refuses_more_iris_than_one_store_query_looks_up(client: FlaskClient) -> None:
    iris = [f"{BASE}id/thing/{n}" for n in range(LABELS_CAP + 1)]
    answer = client.post("/labels", json={"iris": iris}, headers={"Accept": "application/json"})
    assert answer.status_code == 400
    assert f"at most {LABELS_CAP}" in answer.get_json()["error"]
    assert client.post("/labels", json={"iris": iris[:LABELS_CAP]}).status_code == 200


def test_labels_refuses_what_is_no_iri_naming_it(client: FlaskClient) -> None:
    answer = client.get(
        "/labels", query_string={"iri": "not an iri"}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 400
    assert "'not an iri'" in answer.get_json()["error"]
    bad_body = client.post(
        "/labels", json={"iris": "not a list"}, headers={"Accept": "application/json"}
    )
    assert bad_body.status_code == 400


def test_labels_answers_304_when_its_etag_is_current(client: FlaskClient) -> None:
    etag = client.get("/labels", query_string={"iri": AZERBAIJAN}).headers["ETag"]
    again = client.get("/labels", query_string={"iri": AZERBAIJAN}, headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_terms_lists_the_ontology_classes_properties_and_concepts(client: FlaskClient) -> None:
    answer = client.get("/terms.json")
    assert answer.status_code == 200
    terms = {term["curie"]: term for term in answer.get_json()["terms"]}
    assert terms["gkg:State"]["kind"] == "class"
    assert terms["gkg:State"]["iri"] == STATE
    assert terms["gkg:State"]["label"] == "state"
    assert terms["gkg:party"]["kind"] == "property"
    assert terms["ik:raid"]["kind"] == "concept"
    assert all(term["definition"] is not None for term in terms.values())
