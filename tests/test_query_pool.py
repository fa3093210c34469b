"""The query pool: worker processes shared by every client, each ending itself at its deadline."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkg.query_pool import (
    WORKER_DIED,
    PoolBusy,
    QueryClient,
    QueryJob,
    QueryOutcome,
    QueryPool,
    QueryTimeout,
)
from graphkg.settings import Settings

from conftest import BACKENDS, BASE, own_seed_store

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON = "application/sparql-results+json"


def job(sparql: str) -> QueryJob:
    return QueryJob(sparql, (JSON,), ("text/turtle",), 100)


def pool_of(store: Path | str, size: int) -> QueryPool:
    return QueryPool(Settings(store=store, base=BASE), size=size)  # type: ignore[arg-type]


@pytest.fixture(scope="module", params=BACKENDS)
def pool_store(
    request: pytest.FixtureRequest,
    built_store_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Path | str]:
    """The seeds on each backend; the queries these tests leave running end with it."""
    with own_seed_store(built_store_dir, tmp_path_factory.mktemp("pool"), request.param) as store:
        yield store


@pytest.fixture
def pool(pool_store: Path | str) -> Iterator[QueryPool]:
    started = pool_of(pool_store, 2)
    yield started
    started.close()


def run_all(client: QueryClient, sparql: str, timeouts: list[float]) -> list[object]:
    """Run one query per timeout at once; each result is an outcome or the exception raised."""
    results: list[object] = [None] * len(timeouts)

    def run(index: int) -> None:
        try:
            results[index] = client.run(job(sparql), timeout=timeouts[index])
        except (PoolBusy, QueryTimeout) as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(timeouts))]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join(30)
    return results


def test_a_client_in_another_process_is_answered(pool: QueryPool) -> None:
    script = (
        "import sys\n"
        "from graphkg.query_pool import QueryClient, QueryJob\n"
        "job = QueryJob('ASK { ?s ?p ?o }', ('text/csv',), (), 10)\n"
        "outcome = QueryClient(sys.argv[1]).run(job, timeout=10)\n"
        "print(outcome.status, outcome.body.decode().split())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, pool.address], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "200 ['_askResult', 'true']", done.stderr


def test_one_client_uses_every_free_worker(pool: QueryPool) -> None:
    """Two slow queries from one client both start: neither waits behind the other."""
    client = QueryClient(pool.address)
    results = run_all(client, SLOW, [1.5, 1.5])
    assert [type(result) for result in results] == [QueryTimeout, QueryTimeout]
    assert (client.timeouts, client.restarts) == (2, 2)


def test_a_worker_ends_itself_at_the_deadline_and_is_replaced(pool_store: Path | str) -> None:
    pool = pool_of(pool_store, 1)
    try:
        client = QueryClient(pool.address)
        assert client.run(job("ASK {}"), timeout=30).status == 200  # the worker is ready
        (worker,) = pool.pids
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            client.run(job(SLOW), timeout=1)
        assert time.monotonic() - started < 1 + 1.5
        outcome = client.run(job("ASK { ?s ?p ?o }"), timeout=30)
        assert outcome.status == 200
        assert len(pool.pids) == 1 and worker not in pool.pids
    finally:
        pool.close()


def test_a_job_still_queued_at_its_deadline_is_refused_as_busy(pool_store: Path | str) -> None:
    pool = pool_of(pool_store, 1)
    try:
        client = QueryClient(pool.address)
        slow, queued = run_all(client, SLOW, [3, 0.5])
        assert isinstance(slow, QueryTimeout)
        assert isinstance(queued, PoolBusy)
        assert client.timeouts == 1  # the queued job never ran, so it killed nothing
        assert client.run(job("ASK {}"), timeout=30).status == 200
    finally:
        pool.close()


def test_a_worker_that_crashes_is_reported_and_replaced(built_store_dir: Path) -> None:
    """On the embedded store: sent to a remote Oxigraph server, the same query overflows
    that server's stack and ends it, which is why the server's guard refuses it first
    (``max_query_nesting``, tested on both backends in test_server_sparql)."""
    pool = pool_of(built_store_dir, 2)
    try:
        client = QueryClient(pool.address)
        nested = "SELECT * WHERE " + "{" * 100_000 + "?s ?p ?o" + "}" * 100_000
        outcome = client.run(job(nested), timeout=30)
        assert outcome == QueryOutcome(500, error=WORKER_DIED)
        assert client.restarts == 1 and client.timeouts == 0
        assert client.run(job("ASK {}"), timeout=30).status == 200
    finally:
        pool.close()


@pytest.mark.parametrize("dataset", ["default_graphs", "named_graphs"])
def test_a_job_naming_an_invalid_graph_iri_is_400_from_a_worker_that_lives_on(
    pool: QueryPool, dataset: str
) -> None:
    client = QueryClient(pool.address)
    bad = dataclasses.replace(job("ASK {}"), **{dataset: ("not an iri",)})
    outcome = client.run(bad, timeout=30)
    assert outcome.status == 400
    assert "IRI" in (outcome.error or "")
    assert client.restarts == 0


def test_a_relative_iri_resolves_against_the_jobs_base_iri(pool: QueryPool) -> None:
    construct = dataclasses.replace(
        job("CONSTRUCT { <s> <p> 1 } WHERE {}"), base_iri="http://example.org/sparql"
    )
    outcome = QueryClient(pool.address).run(construct, timeout=30)
    assert outcome.status == 200
    assert b"<http://example.org/s>" in outcome.body


def test_a_closed_pool_answers_503_and_leaves_no_worker(pool_store: Path | str) -> None:
    pool = pool_of(pool_store, 2)
    workers = pool.pids
    pool.close()
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    outcome = QueryClient(pool.address).run(job("ASK {}"), timeout=5)
    assert outcome.status == 503
    assert "not running" in (outcome.error or "")


def test_a_public_worker_on_a_store_without_public_copies_says_how_to_fix_it(
    store_without_public_copies: Path,
) -> None:
    settings = Settings(store=store_without_public_copies, base=BASE, show_article_text=False)
    pool = QueryPool(settings, size=1)
    try:
        outcome = QueryClient(pool.address).run(job("ASK { ?s ?p ?o }"), timeout=20)
    finally:
        pool.close()
    assert outcome.status == 503
    assert "run `graphkg build` again" in (outcome.error or "")
