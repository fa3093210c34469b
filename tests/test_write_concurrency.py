"""Writers and readers at once through a real server: every query sees each article
before or after its commit, never half of it, and every accepted article is there."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import (
    BACKENDS,
    BASE,
    STEWARD,
    TOKENS,
    facts,
    own_seed_store,
    serving,
)

HTTP_WRITERS = 3
ARTICLES_EACH = 3
OBSERVED = f"""
PREFIX gkg: <https://w3id.org/graphkg/ontology#>
SELECT ?key (COUNT(*) AS ?n) WHERE {{
  {{ GRAPH ?key {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?key), "{BASE}graph/article/busy-")) }}
  UNION
  {{ GRAPH <{BASE}graph/entities> {{ ?e gkg:declaredIn ?owner . ?e ?p ?o }}
     FILTER(STRSTARTS(STR(?owner), "{BASE}id/article/busy-"))
     BIND(IRI(REPLACE(STR(?owner), "/id/article/", "/graph/article/")) AS ?key) }}
}} GROUP BY ?key
"""
"""Per article, its graph's triples plus the entity statements it declared: one number
that a half-made commit would show wrong."""


@pytest.fixture(params=BACKENDS)
def server(
    request: pytest.FixtureRequest, built_store_dir: Path, tmp_path: Path
) -> Iterator[tuple[str, Path | str]]:
    with own_seed_store(built_store_dir, tmp_path, request.param) as store:
        with serving(store, env={"GRAPHKG_WRITE_TOKENS": ",".join(TOKENS)}) as (root, _):
            yield root, store


def observe(root: str) -> dict[str, int]:
    answer = httpx.post(
        f"{root}/sparql",
        data={"query": OBSERVED},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    answer.raise_for_status()
    rows = answer.json()["results"]["bindings"]
    return {row["key"]["value"]: int(row["n"]["value"]) for row in rows}


def test_queries_see_each_article_before_or_after_while_many_write(
    server: tuple[str, Path | str], tmp_path: Path, graphkg_cli
) -> None:
    root, store = server
    accepted: list[str] = []
    observations: list[dict[str, int]] = []
    failures: list[str] = []
    writing = threading.Event()
    writing.set()

    def http_writer(number: int) -> None:
        with httpx.Client(timeout=120) as client:
            for index in range(ARTICLES_EACH):
                article_id = f"busy-http-{number}-{index}"
                answer = client.post(
                    f"{root}/facts",
                    content=facts(article_id),
                    headers={
                        "Authorization": f"Bearer {STEWARD}",
                        "Content-Type": "application/yaml",
                    },
                )
                if answer.status_code == 201:
                    accepted.append(article_id)
                else:
                    failures.append(f"{article_id}: {answer.status_code} {answer.text}")

    def reader() -> None:
        while writing.is_set():
            observations.append(observe(root))

    files = []
    for index in range(2):
        path = tmp_path / f"cli-{index}" / "facts.yaml"
        path.parent.mkdir()
        path.write_text(facts(f"busy-cli-{index}"), encoding="utf-8")
        files.append(path)
    threads = [threading.Thread(target=http_writer, args=(n,)) for n in range(HTTP_WRITERS)]
    readers = [threading.Thread(target=reader) for _ in range(2)]
    for thread in [*readers, *threads]:
        thread.start()
    cli = graphkg_cli("--store", store, "add", *files, env={"GRAPHKG_TOKEN": STEWARD})
    for thread in threads:
        thread.join()
    writing.clear()
    for thread in readers:
        thread.join()
    assert failures == []
    assert cli.returncode == 0, cli.stderr
    accepted += ["busy-cli-0", "busy-cli-1"]
    final = observe(root)
    assert sorted(final) == sorted(f"{BASE}graph/article/{a}" for a in accepted)
    assert len(observations) > 5  # the readers ran while the writers did
    seen_partly = [
        (key, count, final[key])
        for observation in observations
        for key, count in observation.items()
        if count != final[key]
    ]
    assert seen_partly == []
    assert len({tuple(sorted(o)) for o in observations}) > 2  # states in between were seen
