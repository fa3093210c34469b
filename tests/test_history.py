"""The history of changes: recorded with every write, served as JSON, a page and PROV-O,
kept out of the store, and used to put back an earlier version of an article."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graphkg.history import History, Pending, Touched
from graphkg.namespaces import PROV
from graphkg.server import create_app
from graphkg.settings import Settings

from conftest import BACKENDS, BASE, TOKENS, facts, holds, own_seed_store, yaml_post


@pytest.fixture(params=BACKENDS)
def history_app(
    request: pytest.FixtureRequest, built_store_dir: Path, tmp_path: Path
) -> Iterator[Flask]:
    with own_seed_store(built_store_dir, tmp_path, request.param) as store:
        settings = Settings(
            store=store,  # type: ignore[arg-type]
            workers=1,
            write_tokens=TOKENS,
            history=tmp_path / "history",
        )
        app = create_app(settings)
        yield app
        app.extensions["graphkg"].pool.close()
        app.extensions["graphkg"].writes.close()


@pytest.fixture
def client(history_app: Flask) -> FlaskClient:
    return history_app.test_client()


def changes(client: FlaskClient, **query: str) -> list[dict]:
    answer = client.get("/history.json", query_string=query)
    assert answer.status_code == 200
    return answer.get_json()["changes"]


def test_every_write_is_recorded_with_its_author_and_counts(client: FlaskClient) -> None:
    added = client.post("/facts", data=facts("kept-weber"), headers=yaml_post()).get_json()
    edited = facts("kept-weber", quote="an Azerbaijani, spoke in Baku")
    client.post("/facts", data=edited, headers=yaml_post())
    client.post("/facts", data=edited, headers=yaml_post())  # a repeat changes nothing
    client.delete("/facts/kept-weber", headers=yaml_post())
    recorded = changes(client, article="kept-weber")
    assert [c["action"] for c in recorded] == ["remove", "add", "add"]
    assert {c["author"] for c in recorded} == {"ann"}
    first = recorded[-1]
    assert first["change"] == added["change"]
    (graph,) = first["graphs"]
    assert graph["graph"] == f"{BASE}graph/article/kept-weber"
    assert graph["added"] == added["sources"][0]["added"] and graph["removed"] == 0
    assert recorded[0]["graphs"][0]["removed"] > 0 and recorded[0]["graphs"][0]["added"] == 0
    assert len(first["digest"]) == 64


def test_the_history_is_not_in_the_store(client: FlaskClient) -> None:
    client.post("/facts", data=facts("unseen-weber"), headers=yaml_post())
    query = f"ASK {{ ?change a <{PROV.Activity}> }}"
    answer = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
    )
    assert answer.get_json()["boolean"] is False


def test_an_earlier_version_is_restored_validated_and_recorded(client: FlaskClient) -> None:
    first = client.post("/facts", data=facts("restored-weber"), headers=yaml_post()).get_json()
    client.post(
        "/facts",
        data=facts("restored-weber", quote="an Azerbaijani, spoke in Baku"),
        headers=yaml_post(),
    )
    client.delete("/facts/restored-weber", headers=yaml_post())
    assert not holds(client, "restored-weber")
    restored = client.post(
        f"/history/restored-weber/{first['change']}/restore", headers=yaml_post()
    )
    assert restored.status_code == 201, restored.get_data(as_text=True)
    assert holds(client, "restored-weber")
    assert restored.get_json()["sources"][0]["added"] == first["sources"][0]["added"]
    assert changes(client, article="restored-weber")[0]["action"] == (
        f"restore of version {first['change']}"
    )
    missing = client.post("/history/restored-weber/999/restore", headers=yaml_post())
    assert missing.status_code == 404
    assert f"its versions: {first['change']}" in missing.get_json()["error"]
    anonymous = client.post(f"/history/restored-weber/{first['change']}/restore")
    assert anonymous.status_code == 401


def test_the_history_is_a_page_and_prov_o(client: FlaskClient) -> None:
    client.post("/facts", data=facts("shown-weber"), headers=yaml_post())
    page = client.get("/history", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "shown-weber" in page.get_data(as_text=True)
    assert 'rel="alternate"' in page.headers["Link"] and "/history.json" in page.headers["Link"]
    prov = Graph().parse(data=client.get("/history.ttl").get_data(as_text=True), format="turtle")
    activities = set(prov.subjects(RDF.type, PROV.Activity))
    assert activities
    generated = {o for a in activities for o in prov.objects(a, PROV.generated)}
    assert URIRef(f"{BASE}graph/article/shown-weber") in {
        o for g in generated for o in prov.objects(g, PROV.specializationOf)
    }
    assert client.get("/history.json?limit=zero").status_code == 400


def test_a_change_pending_at_a_crash_is_kept_only_if_the_store_reached_it(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite", writer=True)
    for version in ("000004", "000005"):
        pending = Pending("add", "ann", version)
        pending.touched.append(Touched("g", "a", 1, 0))
        try:
            with history.change(pending):
                raise KeyboardInterrupt  # a block that fails forgets its change
        except KeyboardInterrupt:
            pass
    assert history.entries() == []
    # A crash leaves the pending rows behind: no block ended.
    with history._db:
        for version in ("000004", "000005"):
            history._db.execute(
                "INSERT INTO changes (at, author, action, version, state) "
                "VALUES ('2026-01-01', 'ann', 'add', ?, 'pending')",
                (version,),
            )
    history.settle(lambda version: int(version) <= 4)
    assert [entry.version for entry in history.entries()] == ["000004"]


def test_the_command_line_records_its_writes_and_restores(
    graphkg_cli, seed_store: Path | str, tmp_path: Path
) -> None:
    article = tmp_path / "cli-weber" / "facts.yaml"
    article.parent.mkdir()
    article.write_text(facts("cli-weber"))
    env = {"GRAPHKG_HISTORY": str(tmp_path / "history")}
    assert graphkg_cli("--store", seed_store, "add", article, env=env).returncode == 0
    article.write_text(facts("cli-weber", quote="an Azerbaijani, spoke in Baku"))
    assert graphkg_cli("--store", seed_store, "add", article, env=env).returncode == 0
    listed = graphkg_cli("--store", seed_store, "history", "cli-weber", env=env)
    assert listed.returncode == 0
    lines = [line.split() for line in listed.stdout.splitlines() if line[:6].strip().isdigit()]
    assert len(lines) == 2 and "(command line)" in listed.stdout
    first = lines[-1][0]
    restored = graphkg_cli("--store", seed_store, "restore", "cli-weber", first, env=env)
    assert restored.returncode == 0, restored.stderr
    assert f"restored cli-weber to version {first}" in restored.stdout
    again = graphkg_cli("--store", seed_store, "restore", "cli-weber", first, env=env)
    assert "unchanged" in again.stdout


def test_a_build_is_recorded_and_a_refused_one_is_not(
    graphkg_cli, tmp_path: Path, fact_dir: Path
) -> None:
    store = tmp_path / "store"
    built = graphkg_cli("--store", store, "build")
    assert built.returncode == 0, built.stderr
    broken = tmp_path / "broken-seeds"
    broken.mkdir()
    facts_file = fact_dir / "facts.yaml"
    facts_file.write_text(
        facts_file.read_text(encoding="utf-8").replace("killedCount: 38", "killedCount: 380"),
        encoding="utf-8",
    )
    fact_dir.rename(broken / fact_dir.name)
    refused = graphkg_cli("--store", store, "build", broken)
    assert refused.returncode == 1
    listed = graphkg_cli("--store", store, "history", "--json")
    (change,) = json.loads(listed.stdout)
    assert change["action"].startswith("build from ") and "(command line)" in change["author"]
