"""A server killed with SIGKILL at each named step of a submission, then restarted: the
store holds the old version or the new one, never a mix; the history agrees with it;
every earlier commit is intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from graphkg.settings import KILL_AT_VARIABLE

from conftest import (
    ARTICLE_ID,
    BASE,
    SEEDS,
    STEWARD,
    TOKENS,
    facts,
    free_port,
    own_seed_store,
    serving,
    wait_until_up,
)

SEED_TITLE = "Azerbaijan Halts Russian Events After Yekaterinburg Incident"
NEW_TITLE = "Azerbaijan Halts Russian Cultural Events"
BEFORE_PUBLISHING = ["intent-recorded", "committed", "checkpoint-copied", "copies-written"]
TOKENS_ENV = {"GRAPHKG_WRITE_TOKENS": ",".join(TOKENS)}


def retitled_submission() -> list[tuple[str, tuple[str, bytes]]]:
    """The seed article (about 1,700 triples) with a new title, and its text."""
    folder = SEEDS / ARTICLE_ID
    text = (folder / "facts.yaml").read_text(encoding="utf-8")
    edited = text.replace(f"title: {SEED_TITLE}", f"title: {NEW_TITLE}").encode()
    return [
        ("facts", ("facts.yaml", edited)),
        ("file", ("article.txt", (folder / "article.txt").read_bytes())),
    ]


def title(root: str) -> str:
    query = f"SELECT ?t WHERE {{ <{BASE}id/article/{ARTICLE_ID}> <{BASE}ontology#title> ?t }}"
    answer = httpx.post(
        f"{root}/sparql",
        data={"query": query.replace(f"{BASE}ontology#", "https://w3id.org/graphkg/ontology#")},
        headers={"Accept": "application/sparql-results+json"},
    )
    (row,) = answer.json()["results"]["bindings"]
    return str(row["t"]["value"])


def history(root: str) -> list[dict]:
    return httpx.get(f"{root}/history.json").json()["changes"]


def submit_retitled(root: str) -> httpx.Response:
    return httpx.post(
        f"{root}/facts",
        files=retitled_submission(),
        headers={"Authorization": f"Bearer {STEWARD}"},
        timeout=60,
    )


def update_retitled(root: str) -> httpx.Response:
    """A SPARQL update that gives the seed article the new title."""
    graph = f"<{BASE}graph/article/{ARTICLE_ID}>"
    update = (
        f"DELETE {{ GRAPH {graph} {{ ?a gkg:title ?t }} }} "
        f"INSERT {{ GRAPH {graph} {{ ?a gkg:title '{NEW_TITLE}'@en }} }} "
        f"WHERE {{ GRAPH {graph} {{ ?a gkg:title ?t }} }}"
    )
    return httpx.post(
        f"{root}/update",
        content=update,
        headers={
            "Authorization": f"Bearer {STEWARD}",
            "Content-Type": "application/sparql-update",
        },
        timeout=60,
    )


WRITES = {"submission": submit_retitled, "update": update_retitled}


def serve_until_killed(
    store: Path | str, step: str, write: Callable[[str], httpx.Response]
) -> None:
    """``graphkg serve`` that SIGKILLs itself when its writer reaches ``step``; ``write``
    is sent to it, and the server's whole process group is gone after."""
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("graphkg")), "--store", str(store), "serve",
         "--port", str(port), "--workers", "1"],
        env={**os.environ, **TOKENS_ENV, KILL_AT_VARIABLE: step},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    root = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{root}/health", seconds=30)
        with pytest.raises(httpx.HTTPError):
            write(root).raise_for_status()
        assert process.wait(30) == -signal.SIGKILL
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the HTTP processes and query workers
        except ProcessLookupError:
            pass
        process.wait(10)
        time.sleep(0.2)


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize(
    ("backend", "step"),
    [
        *(("embedded", step) for step in [*BEFORE_PUBLISHING, "published"]),
        ("remote", "committed"),
    ],
)
def test_a_server_killed_during_a_write_restarts_with_the_old_or_the_new_version(
    built_store_dir: Path, tmp_path: Path, backend: str, step: str, write: str
) -> None:
    with own_seed_store(built_store_dir, tmp_path, backend) as store:
        history_env = {"GRAPHKG_HISTORY": str(tmp_path / "history")}
        with serving(store, env={**TOKENS_ENV, **history_env}) as (root, _):
            earlier = httpx.post(
                f"{root}/facts",
                content=facts("earlier-weber"),
                headers={"Authorization": f"Bearer {STEWARD}", "Content-Type": "application/yaml"},
                timeout=60,
            )
            assert earlier.status_code == 201
        os.environ.update(history_env)
        try:
            serve_until_killed(store, step, WRITES[write])
        finally:
            del os.environ["GRAPHKG_HISTORY"]
        with serving(store, env={**TOKENS_ENV, **history_env}) as (root, _):
            published = step == "published" or (backend == "remote" and step == "committed")
            assert title(root) == (NEW_TITLE if published else SEED_TITLE)
            changes = history(root)
            touched = [c["graphs"][0]["article"] for c in changes]
            assert touched == ([ARTICLE_ID, "earlier-weber"] if published else ["earlier-weber"])
            graph = f"{BASE}graph/article/earlier-weber"
            ask = f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            answer = httpx.post(
                f"{root}/sparql", data={"query": ask}, headers={"Accept": "application/json"}
            )
            assert answer.json()["boolean"] is True
            # And the write, sent again, goes through.
            again = WRITES[write](root)
            if write == "submission":
                assert again.status_code == (200 if published else 201), again.text
            else:
                assert again.status_code == 200 and again.json()["changed"] is not published
            assert title(root) == NEW_TITLE
