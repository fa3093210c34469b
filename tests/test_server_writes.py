"""Writes over HTTP: tokens, POST /facts, DELETE /facts/<article>, POST /validate,
and the CLI reaching a server that holds the store; on both store backends."""

from __future__ import annotations

import http.server
import json
import os
import threading
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graphkg.errors import SettingsError, StoreBusy
from graphkg.server import create_app
from graphkg.settings import Settings, load_settings
from graphkg.tokens import write_tokens
from graphkg.writer import Writer

from conftest import (
    ADMIN,
    ARTICLE_ID,
    BASE,
    SEEDS,
    SENTENCE,
    STEWARD,
    TOKENS,
    facts,
    holds,
    serving,
    yaml_post,
)


@pytest.fixture
def client(write_app: Flask) -> FlaskClient:
    return write_app.test_client()


# -- tokens --------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token-of-some-length", f"Basic {STEWARD}", f"Bearer {STEWARD}x"],
)
def test_a_write_without_a_valid_token_gets_401_and_changes_nothing(
    client: FlaskClient, authorization: str | None
) -> None:
    headers = {"Content-Type": "application/yaml", "Accept": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    answer = client.post("/facts", data=facts("no-token"), headers=headers)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].lower().startswith("bearer")
    body = answer.get_data(as_text=True)
    assert "Bearer" in body and "/tmp" not in body and "store" not in body
    assert not holds(client, "no-token")
    assert (
        client.delete("/facts/no-token", headers={"Authorization": authorization or ""}).status_code
        == 401
    )


def test_a_server_without_tokens_takes_no_writes(app: Flask) -> None:
    answer = app.test_client().post("/facts", data=facts("untokened"), headers=yaml_post(STEWARD))
    assert answer.status_code == 401


def test_a_steward_cannot_change_shared_entities_and_an_admin_can(client: FlaskClient) -> None:
    shared = (
        "source: test-places\nentities:\n  - id: test-town\n    type: Place\n    label: Test Town\n"
    )
    refused = client.post("/facts", data=shared, headers=yaml_post(STEWARD))
    assert refused.status_code == 403
    assert "admin" in refused.get_json()["error"]
    assert client.post("/facts", data=shared, headers=yaml_post(ADMIN)).status_code == 201


def test_write_tokens_are_checked_when_loaded(tmp_path: Path) -> None:
    for entry, message in [
        ("ann:short:steward", "at least 16"),
        (f"ann:{STEWARD}:owner", "scope 'owner'"),
        ("just-a-name", "name:secret:scope"),
    ]:
        with pytest.raises(SettingsError, match=message) as raised:
            write_tokens(Settings(write_tokens=(entry,)))
        assert STEWARD not in str(raised.value)
    with pytest.raises(SettingsError, match="named twice"):
        write_tokens(Settings(write_tokens=(f"ann:{STEWARD}:steward", f"ann:{ADMIN}:admin")))
    token_file = tmp_path / "tokens"
    token_file.write_text(f"# stewards\nann:{STEWARD}:steward\n\nroot:{ADMIN}:admin\n")
    loaded = write_tokens(Settings(write_tokens_file=token_file))
    assert [(t.name, t.scope) for t in loaded] == [("ann", "steward"), ("root", "admin")]


def test_secrets_are_refused_in_a_settings_file(tmp_path: Path) -> None:
    config = tmp_path / "graphkg.toml"
    config.write_text(f'write_tokens = ["ann:{STEWARD}:steward"]\n')
    with pytest.raises(SettingsError, match="GRAPHKG_WRITE_TOKENS or use write_tokens_file"):
        load_settings(config_file=config, environ={})
    config.write_text(f'token = "{STEWARD}"\n')
    with pytest.raises(SettingsError, match="GRAPHKG_TOKEN or use token_file"):
        load_settings(config_file=config, environ={})


# -- POST /facts -----------------------------------------------------------------


def test_a_valid_submission_is_committed_and_a_repeat_changes_nothing(client: FlaskClient) -> None:
    created = client.post("/facts", data=facts("weber-speaks"), headers=yaml_post())
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    (source,) = body["sources"]
    assert source["graph"] == f"{BASE}graph/article/weber-speaks"
    assert source["added"] > 10 and source["removed"] == 0
    assert holds(client, "weber-speaks")
    again = client.post("/facts", data=facts("weber-speaks"), headers=yaml_post())
    assert again.status_code == 200 and again.get_json()["changed"] is False
    edited = facts("weber-speaks", quote="an Azerbaijani, spoke in Baku")
    changed = client.post("/facts", data=edited, headers=yaml_post()).get_json()["sources"][0]
    assert changed["added"] >= 1 and changed["removed"] >= 1


def test_a_dry_run_validates_and_writes_nothing(client: FlaskClient) -> None:
    answer = client.post(
        "/facts", data=facts("dry-weber"), headers=yaml_post(), query_string={"dry_run": "true"}
    )
    assert answer.status_code == 200
    assert answer.get_json()["dry_run"] is True and answer.get_json()["sources"][0]["added"] > 0
    assert not holds(client, "dry-weber")


def test_an_invalid_submission_gets_422_with_the_report_and_changes_nothing(
    client: FlaskClient,
) -> None:
    broken = facts("misquoted-weber", quote="Anna Weber, an Azerbaijani, spokes")
    answer = client.post("/facts", data=broken, headers=yaml_post())
    assert answer.status_code == 422
    (problem,) = answer.get_json()["problems"]
    assert (problem["file"], problem["line"], problem["rule"]) == (
        "facts.yaml",
        12,
        "verbatim-quote",
    )
    assert problem["fact"] == "misquoted-weber-weber" and "spoke" in problem["fix"]
    assert not holds(client, "misquoted-weber")
    text = client.post("/facts", data=broken, headers=yaml_post(Accept="text/plain"))
    assert text.status_code == 422 and text.mimetype == "text/plain"
    assert text.get_data(as_text=True).startswith("facts.yaml:12: the quote does not occur")
    shacl = client.post(
        "/facts",
        data=facts("bad-weber").replace("azerbaijan", "atlantis"),
        headers=yaml_post(Accept="text/turtle"),
    )
    assert shacl.status_code == 422 and shacl.mimetype == "text/turtle"


def test_a_fact_file_and_its_text_go_together_as_multipart(client: FlaskClient) -> None:
    yaml_text = facts("multipart-weber").replace(
        f"  text: |\n    {SENTENCE}\n", "  file: article.txt\n"
    )
    parts = {
        "facts": (_bytes(yaml_text), "weber/facts.yaml"),
        "file": (_bytes(SENTENCE + "\n"), "weber/article.txt"),
    }
    answer = client.post(
        "/facts",
        data=parts,
        headers={"Authorization": f"Bearer {STEWARD}"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert answer.get_json()["sources"][0]["file"] == "weber/facts.yaml"
    assert holds(client, "multipart-weber")


def _bytes(text: str):  # noqa: ANN202 - a file for the test client
    import io

    return io.BytesIO(text.encode())


def test_an_oversized_submission_gets_413(client: FlaskClient, write_app: Flask) -> None:
    limit = write_app.extensions["graphkg"].settings.max_request_bytes
    answer = client.post("/facts", data="x" * (limit + 1), headers=yaml_post())
    assert answer.status_code == 413


def test_a_file_name_that_escapes_the_submission_is_refused(client: FlaskClient) -> None:
    parts = {"facts": (_bytes(facts("escape")), "../../etc/facts.yaml")}
    answer = client.post(
        "/facts",
        data=parts,
        headers={"Authorization": f"Bearer {STEWARD}"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400 and "relative path" in answer.get_data(as_text=True)


def test_an_article_is_removed_over_http(client: FlaskClient) -> None:
    assert client.post("/facts", data=facts("short-lived"), headers=yaml_post()).status_code == 201
    assert client.delete("/facts/short-lived", headers=yaml_post()).status_code == 200
    assert not holds(client, "short-lived")
    missing = client.delete("/facts/short-lived", headers=yaml_post())
    assert missing.status_code == 404 and "no article 'short-lived'" in missing.get_data(
        as_text=True
    )


# -- POST /validate ---------------------------------------------------------------


def test_validate_needs_no_token_and_writes_nothing(client: FlaskClient) -> None:
    valid = client.post("/validate", data=facts("checked-weber"), headers=yaml_post(None))
    assert valid.status_code == 200 and valid.get_json() == {"conforms": True, "problems": []}
    broken = facts("checked-weber", quote="Anna Weber spoke")
    report = client.post("/validate", data=broken, headers=yaml_post(None)).get_json()
    assert report["conforms"] is False
    assert [p["rule"] for p in report["problems"]] == ["verbatim-quote"]
    assert not holds(client, "checked-weber")


def test_validate_answers_with_the_shacl_report_by_accept(client: FlaskClient) -> None:
    broken = facts("shacl-weber").replace("azerbaijan", "atlantis")
    answer = client.post("/validate", data=broken, headers=yaml_post(None, Accept="text/turtle"))
    assert answer.status_code == 200 and answer.mimetype == "text/turtle"
    json_report = client.post("/validate", data=broken, headers=yaml_post(None)).get_json()
    assert json_report["conforms"] is False and "atlantis" in json.dumps(json_report)


# -- the CLI and the server -------------------------------------------------------


def test_the_cli_sends_its_writes_to_the_server_that_holds_the_store(
    store_dir: Path, tmp_path: Path, graphkg_cli
) -> None:
    with serving(store_dir, env={"GRAPHKG_WRITE_TOKENS": ",".join(TOKENS)}) as (root, _):
        article = tmp_path / "sent" / "facts.yaml"
        article.parent.mkdir()
        article.write_text(
            facts("sent-weber").replace(f"  text: |\n    {SENTENCE}\n", "  file: article.txt\n")
        )
        (article.parent / "article.txt").write_text(SENTENCE + "\n")
        refused = graphkg_cli("--store", store_dir, "add", article)
        assert refused.returncode == 1
        assert f"the graphkg server at {root}/" in refused.stderr
        assert "GRAPHKG_TOKEN" in refused.stderr
        added = graphkg_cli("--store", store_dir, "add", article, env={"GRAPHKG_TOKEN": STEWARD})
        assert added.returncode == 0, added.stderr
        assert f"added sent-weber from {article} (+" in added.stdout
        query = graphkg_cli(
            "--store",
            store_dir,
            "query",
            f"ASK {{ GRAPH <{BASE}graph/article/sent-weber> {{ ?s ?p ?o }} }}",
        )
        assert "true" in query.stdout.lower()
        removed = graphkg_cli(
            "--store", store_dir, "remove", "sent-weber", env={"GRAPHKG_TOKEN": STEWARD}
        )
        assert removed.returncode == 0, removed.stderr


def test_what_others_reference_is_kept_on_removal_or_refused_when_strict(
    client: FlaskClient,
) -> None:
    assert client.post("/facts", data=facts("leader"), headers=yaml_post()).status_code == 201
    quote = "Omar Weber, a brother of Anna Weber, agreed."
    follower = (
        f"article:\n  id: follower\n  text: |\n    {quote}\n  title: follower\n  language: en\n"
        "entities:\n  - id: omar-weber\n    type: Person\n    label: Omar Weber\n"
        f"    sibling: leader-weber\n    evidence: [{quote!r}]\n"
    )
    assert client.post("/facts", data=follower, headers=yaml_post()).status_code == 201
    refused = client.delete("/facts/leader", headers=yaml_post(), query_string={"strict": "true"})
    assert refused.status_code == 409
    assert "follower: omar-weber sibling leader-weber" in refused.get_json()["error"]
    assert holds(client, "leader")
    removed = client.delete("/facts/leader", headers=yaml_post())
    assert removed.status_code == 200
    assert removed.get_json()["kept_for_others"] == ["leader-weber"]
    assert removed.get_json()["referenced_by"] == ["follower"]
    person = f"<{BASE}id/person/leader-weber>"
    query = f"ASK {{ {person} a <https://w3id.org/graphkg/ontology#Person> }}"
    answer = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
    )
    assert answer.get_json()["boolean"] is True
    (change,) = client.get("/history.json", query_string={"limit": "1"}).get_json()["changes"]
    assert "kept leader-weber as shared entities" in change["graphs"][0]["note"]


def test_a_second_writer_gets_an_error_naming_the_holder(
    seed_store: Path | str, tmp_path: Path
) -> None:
    settings = Settings(store=seed_store, history=tmp_path / "history")  # type: ignore[arg-type]
    first = Writer(settings, server="http://127.0.0.1:8123/")
    with pytest.raises(StoreBusy, match="the graphkg server at http://127.0.0.1:8123/") as busy:
        Writer(settings)
    assert busy.value.server == "http://127.0.0.1:8123/"
    assert f"process {os.getpid()}" in str(busy.value)
    first.close()
    Writer(settings).close()  # once the first lets go, another may write


def test_validate_says_which_property_and_quote_a_problem_is_about(client: FlaskClient) -> None:
    facts_yaml = (SEEDS / ARTICLE_ID / "facts.yaml").read_text(encoding="utf-8")
    parts = {
        "facts": (_bytes(facts_yaml.replace("killedCount: 38", "killedCount: 380")), "facts.yaml"),
        "file": (_bytes((SEEDS / ARTICLE_ID / "article.txt").read_text()), "article.txt"),
    }
    answer = client.post("/validate", data=parts, content_type="multipart/form-data")
    assert answer.status_code == 200
    (problem,) = [p for p in answer.get_json()["problems"] if p["severity"] == "violation"]
    assert problem["property"] == "gkg:killedCount" and problem["value"] == "380"
    assert problem["fact"] == "kazakhstan-airliner-crash" and problem["line"] > 1
    assert "38 passengers out of 67" in problem["quote"]


def test_validating_never_fetches_what_a_file_points_to(client: FlaskClient) -> None:
    fetched: list[str] = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the handler's protocol
            fetched.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    elsewhere = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        turtle = (
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            f"<{BASE}id/article/imports> owl:imports <{elsewhere}/ontology.ttl> .\n"
        )
        jsonld = json.dumps({"@context": f"{elsewhere}/context.jsonld", "@id": "x"})
        for body, content_type in [(turtle, "text/turtle"), (jsonld, "application/ld+json")]:
            answer = client.post("/validate", data=body, headers={"Content-Type": content_type})
            assert answer.status_code == 200
            assert answer.get_json()["conforms"] is False
        assert fetched == []
    finally:
        server.shutdown()
        server.server_close()


def test_graph_store_writes_of_an_article_graph_are_gated(client: FlaskClient) -> None:
    assert client.post("/facts", data=facts("gsp-weber"), headers=yaml_post()).status_code == 201
    graph = f"{BASE}graph/article/gsp-weber"
    put = client.put(
        "/rdf-graphs/service",
        query_string={"graph": graph},
        data=f"<{BASE}id/article/gsp-weber> <{BASE}x> 1 .",
        headers={**yaml_post(), "Content-Type": "text/turtle", "Accept": "application/json"},
    )
    assert put.status_code == 422 and holds(client, "gsp-weber")
    for other, token, status in [
        (f"{BASE}graph/ontology", ADMIN, 403),  # a copy of ontology/: no token writes it
        (f"{BASE}graph/entities", STEWARD, 403),  # a steward writes article graphs only
        (f"{BASE}graph/entities", ADMIN, 422),  # every article would lose its entities
    ]:
        refused = client.delete(
            "/rdf-graphs/service", query_string={"graph": other}, headers=yaml_post(token)
        )
        assert refused.status_code == status, refused.get_data(as_text=True)
    assert (
        client.delete(
            "/rdf-graphs/service", query_string={"default": ""}, headers=yaml_post()
        ).status_code
        == 403
    )
    anonymous = client.delete("/rdf-graphs/service", query_string={"graph": graph})
    assert anonymous.status_code == 401 and holds(client, "gsp-weber")
    deleted = client.delete(
        "/rdf-graphs/service", query_string={"graph": graph}, headers=yaml_post()
    )
    assert deleted.status_code == 204 and not holds(client, "gsp-weber")
    again = client.delete("/rdf-graphs/service", query_string={"graph": graph}, headers=yaml_post())
    assert again.status_code == 404


def test_validations_are_limited_in_number_and_time(write_app: Flask) -> None:
    client = write_app.test_client()
    state = write_app.extensions["graphkg"]
    slots = state.settings.max_validations
    for _ in range(slots):  # every slot taken, as by validations still running
        assert state.validations.acquire(blocking=False)
    try:
        busy = client.post("/validate", data=facts("busy"), headers=yaml_post(None))
        assert busy.status_code == 503 and "try again" in busy.get_json()["error"]
    finally:
        for _ in range(slots):
            state.validations.release()
    store = state.settings.store
    hurried = create_app(
        Settings(store=store, workers=1, validation_timeout=0.05)  # type: ignore[arg-type]
    )
    seed = {
        "facts": (_bytes((SEEDS / ARTICLE_ID / "facts.yaml").read_text()), "facts.yaml"),
        "file": (_bytes((SEEDS / ARTICLE_ID / "article.txt").read_text()), "article.txt"),
    }
    try:
        late = hurried.test_client().post(
            "/validate", data=seed, content_type="multipart/form-data"
        )
        # Stopped at its deadline; or, on a loaded machine, not even started by then.
        assert late.status_code == 503
        assert any(
            reason in late.get_json()["error"] for reason in ("time limit", "worker is busy")
        )
    finally:
        hurried.extensions["graphkg"].pool.close()
