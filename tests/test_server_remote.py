"""The server on a remote store: a real ``oxigraph serve`` on 127.0.0.1 holds the data, and
graphkg's app, its query workers and ``graphkg serve`` read it through the SPARQL protocols."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from test_server_process import serving
from werkzeug.test import TestResponse

from graphkg.errors import StoreError
from graphkg.namespaces import GKG
from graphkg.pipeline import build_store
from graphkg.settings import Settings
from graphkg.store import VERSION_POLL_SECONDS, check_servable, open_store

from conftest import ARTICLE_ID, BASE, ID, SEEDS, oxigraph_serve

JSON = "application/sparql-results+json"
COUNT_ARTICLES = (
    "SELECT (COUNT(?a) AS ?n) WHERE { ?a a <https://w3id.org/graphkg/ontology#Article> }"
)


def remote_settings(url: str, **overrides: object) -> Settings:
    return Settings(store=url, base=BASE, workers=2, result_cap=50, **overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def remote_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``oxigraph serve`` holding the seeds, built through graphkg."""
    with oxigraph_serve(tmp_path_factory.mktemp("remote") / "db") as url:
        build_store(open_store(remote_settings(url), writer=True), SEEDS)
        yield url


@pytest.fixture(scope="module")
def remote_app(remote_store: str) -> Iterator[Flask]:
    from graphkg.server import create_app

    application = create_app(remote_settings(remote_store, remote_cache_seconds=3600))
    yield application
    application.extensions["graphkg"].pool.close()


@pytest.fixture
def client(remote_app: Flask) -> FlaskClient:
    return remote_app.test_client()


def sparql(client: FlaskClient, query: str, **headers: str) -> TestResponse:
    return client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON, **headers})


def bindings(response: object) -> list[dict[str, str]]:
    body = json.loads(response.data)  # type: ignore[attr-defined]
    return [{k: v["value"] for k, v in row.items()} for row in body["results"]["bindings"]]


def test_sparql_is_answered_by_the_remote_store_through_the_workers(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": COUNT_ARTICLES}, headers={"Accept": JSON}
    )
    assert response.status_code == 200, response.data
    assert bindings(response) == [{"n": "1"}]
    assert response.headers["ETag"]


def test_a_commit_to_the_remote_store_changes_the_version_the_server_serves(
    remote_store: str, remote_app: Flask, client: FlaskClient
) -> None:
    view = remote_app.extensions["graphkg"].view
    before = view.version
    query = {"query": "ASK { ?s ?p ?o }"}
    first = client.get("/sparql", query_string=query, headers={"Accept": JSON})
    assert (
        client.get(
            "/sparql",
            query_string=query,
            headers={"Accept": JSON, "If-None-Match": first.headers["ETag"]},
        ).status_code
        == 304
    )
    open_store(remote_settings(remote_store), writer=True).remove_article(ARTICLE_ID)
    try:
        time.sleep(VERSION_POLL_SECONDS)  # the server asks the store at most this often
        assert view.version != before
        response = client.get(
            "/sparql", query_string={"query": COUNT_ARTICLES}, headers={"Accept": JSON}
        )
        assert bindings(response) == [{"n": "0"}]
    finally:
        build_store(open_store(remote_settings(remote_store), writer=True), SEEDS)


def test_resource_pages_dumps_and_metrics_read_the_remote_store(client: FlaskClient) -> None:
    page = client.get("/id/state/azerbaijan", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert b"Azerbaijan" in page.data
    dump = client.get("/dump.nq")
    assert dump.status_code == 200
    graphs = {quad.graph_name for quad in ox.parse(dump.data, format=ox.RdfFormat.N_QUADS)}
    assert ox.NamedNode(f"{BASE}graph/article/{ARTICLE_ID}") in graphs
    assert not any("graph/version" in str(g) for g in graphs)
    metrics = client.get("/metrics").data.decode()
    assert "graphkg_store_triples" in metrics and "graphkg_store_bytes" not in metrics


def test_named_queries_run_on_the_remote_store(client: FlaskClient) -> None:
    response = client.get("/queries/articles", headers={"Accept": JSON})
    assert response.status_code == 200, response.data
    assert [row["article"] for row in bindings(response)] == [f"{ID}article/{ARTICLE_ID}"]


def test_a_remote_store_holding_article_texts_is_not_served_without_them(
    remote_store: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    public = remote_settings(remote_store, show_article_text=False)
    with pytest.raises(StoreError, match="holds articles' full texts"):
        check_servable(public)
    with oxigraph_serve(tmp_path_factory.mktemp("public") / "db") as url:
        settings = remote_settings(url, show_article_text=False)
        build_store(open_store(settings, writer=True), SEEDS)
        kg = open_store(settings)
        assert not kg.query(f"ASK {{ GRAPH ?g {{ ?a <{GKG.text}> ?t }} }}")
        assert kg.query(f"ASK {{ GRAPH ?g {{ ?a a <{GKG.Article}> }} }}")
        check_servable(settings)


def test_graphkg_serve_runs_on_a_remote_store(remote_store: str) -> None:
    with serving(remote_store) as (root, _):  # type: ignore[arg-type]
        url = f"{root}/sparql?" + urllib.parse.urlencode({"query": COUNT_ARTICLES})
        request = urllib.request.Request(url, headers={"Accept": JSON})
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (local)
            body = json.load(response)
    assert body["results"]["bindings"][0]["n"]["value"] == "1"
