"""The response cache: repeats answered from disk until the store version changes."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graphkg.server import create_app
from graphkg.server.cache import ResponseCache
from graphkg.settings import Settings
from graphkg.store import VERSION_POLL_SECONDS, open_store

from conftest import ARTICLE_ID, BASE

COUNT_ARTICLES = "SELECT (COUNT(?a) AS ?n) WHERE { ?a a gkg:Article }"
RESOURCE = "/id/state/azerbaijan"


def _app(store: Path | str, **settings: object) -> Iterator[Flask]:
    application = create_app(Settings(store=store, workers=1, **settings))  # type: ignore[arg-type]
    yield application
    application.extensions["graphkg"].pool.close()


@pytest.fixture
def app(seed_store: Path | str) -> Iterator[Flask]:
    # A period of remote_cache_seconds ending between two requests would change their key.
    yield from _app(seed_store, response_cache_bytes=1_000_000, remote_cache_seconds=3600)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def count_articles(client: FlaskClient) -> tuple[int, str | None]:
    response = client.get(
        "/sparql",
        query_string={"query": COUNT_ARTICLES},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    value = response.get_json()["results"]["bindings"][0]["n"]["value"]
    return int(value), response.headers.get("X-Cache")


def test_a_repeated_query_is_answered_from_the_cache(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": COUNT_ARTICLES})
    second = client.get("/sparql", query_string={"query": COUNT_ARTICLES})
    assert "X-Cache" not in first.headers
    assert second.headers["X-Cache"] == "hit"
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["X-Request-Id"] != first.headers["X-Request-Id"]


def test_a_hit_needs_no_query_worker(app: Flask, client: FlaskClient) -> None:
    warm = client.get(RESOURCE, headers={"Accept": "text/turtle"})
    query = client.get("/sparql", query_string={"query": COUNT_ARTICLES})
    app.extensions["graphkg"].pool.close()
    assert client.get("/sparql", query_string={"query": COUNT_ARTICLES}).data == query.data
    assert client.get(RESOURCE, headers={"Accept": "text/turtle"}).data == warm.data


def test_each_accepted_format_is_its_own_entry(client: FlaskClient) -> None:
    for _ in range(2):
        csv = client.get(RESOURCE, headers={"Accept": "application/n-triples"})
        turtle = client.get(RESOURCE, headers={"Accept": "text/turtle"})
    assert csv.mimetype == "application/n-triples" and turtle.mimetype == "text/turtle"
    assert csv.headers["X-Cache"] == turtle.headers["X-Cache"] == "hit"
    assert csv.data != turtle.data


def test_if_none_match_gets_304_from_the_cache(client: FlaskClient) -> None:
    etag = client.get(RESOURCE).headers["ETag"]
    client.get(RESOURCE)
    response = client.get(RESOURCE, headers={"If-None-Match": f'W/"x", {etag}'})
    assert response.status_code == 304
    assert response.headers["X-Cache"] == "hit"
    assert response.headers["ETag"] == etag
    assert response.data == b""


def test_head_is_answered_without_a_body(client: FlaskClient) -> None:
    full = client.get(RESOURCE, headers={"Accept": "text/turtle"})
    head = client.head(RESOURCE, headers={"Accept": "text/turtle"})
    assert head.headers["X-Cache"] == "hit"
    assert head.data == b""
    assert head.headers["Content-Length"] == str(len(full.data))


def test_a_new_version_empties_the_cache(
    app: Flask, client: FlaskClient, seed_store: Path | str
) -> None:
    assert count_articles(client) == (1, None)
    assert count_articles(client) == (1, "hit")
    view = app.extensions["graphkg"].view
    before = view.version
    open_store(Settings(store=seed_store, base=BASE), writer=True).remove_article(ARTICLE_ID)  # type: ignore[arg-type]
    # Each process asks a remote store for its version at most once a poll period; until
    # the query worker has too, answers carry no ETag and are not kept.
    deadline = time.monotonic() + 3 * VERSION_POLL_SECONDS
    while view.version == before and time.monotonic() < deadline:
        time.sleep(0.05)
    answer = count_articles(client)
    while answer != (0, "hit") and time.monotonic() < deadline:
        assert answer == (0, None)
        time.sleep(0.05)
        answer = count_articles(client)
    assert answer == (0, "hit")


def test_posts_errors_and_large_dumps_are_not_kept(client: FlaskClient) -> None:
    for _ in range(2):
        post = client.post("/sparql", data={"query": COUNT_ARTICLES})
        bad = client.get("/sparql", query_string={"query": "SELECT * WHERE {"})
        dump = client.get("/dump.nt")
        dump.close()
        missing = client.get("/id/state/atlantis", headers={"Accept": "text/turtle"})
    assert post.status_code == 200 and "X-Cache" not in post.headers
    assert bad.status_code == 400 and "X-Cache" not in bad.headers
    assert dump.status_code == 200 and "X-Cache" not in dump.headers
    assert missing.status_code == 404 and "X-Cache" not in missing.headers


def test_the_cache_keeps_to_its_size(seed_store: Path | str) -> None:
    for app in _app(seed_store, response_cache_bytes=400_000):
        client = app.test_client()
        cache = app.extensions["graphkg.cache"]
        for limit in range(1, 100):
            query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} ORDER BY ?s ?p ?o LIMIT {limit}"
            client.get("/sparql", query_string={"query": query})
        entries, held = cache.size
        assert 0 < held <= 400_000
        assert 0 < entries < 99
        newest = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 99"
        assert client.get("/sparql", query_string={"query": newest}).headers["X-Cache"] == "hit"


def test_apps_sharing_a_cache_directory_answer_each_others_repeats(
    seed_store: Path | str, tmp_path: Path
) -> None:
    settings = Settings(store=seed_store, workers=1)
    first = create_app(settings, response_cache=tmp_path / "responses")
    second = create_app(
        settings,
        query_pool=first.extensions["graphkg"].pool.address,
        response_cache=tmp_path / "responses",
    )
    try:
        made = first.test_client().get(RESOURCE, headers={"Accept": "text/turtle"})
        repeat = second.test_client().get(RESOURCE, headers={"Accept": "text/turtle"})
        assert "X-Cache" not in made.headers
        assert repeat.headers["X-Cache"] == "hit" and repeat.data == made.data
        assert (tmp_path / "responses" / "cache.db").exists()
    finally:
        first.extensions["graphkg"].pool.close()


def test_hits_are_logged_and_counted(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    client.get(RESOURCE)
    with caplog.at_level(logging.INFO, logger="graphkg.access"):
        hit = client.get(RESOURCE)
    line = caplog.records[-1].getMessage()
    assert hit.headers["X-Request-Id"] in line and f"GET {RESOURCE} 200" in line
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "graphkg_response_cache_hits_total 1" in metrics
    assert 'graphkg_requests_total{endpoint="resources.resource /id",status="200"} 2' in metrics


def test_a_zero_size_turns_the_cache_off(seed_store: Path | str) -> None:
    for app in _app(seed_store, response_cache_bytes=0):
        client = app.test_client()
        client.get(RESOURCE)
        assert "X-Cache" not in client.get(RESOURCE).headers
        assert not isinstance(app.wsgi_app, ResponseCache)
        assert "graphkg_response_cache" not in client.get("/metrics").get_data(as_text=True)
