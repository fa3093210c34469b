"""Writes killed at every named step leave one state that readers and writers agree on.

Each test kills a real ``graphkg`` process with SIGKILL at a step of the write
path (see :mod:`graphkg.faults`), then checks what readers see, what the next
writer sees once it has opened the store, and that the same command run again
succeeds. A write counts once its checkpoint is published; anything short of
that is rolled back by the next writer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graphkg.errors import StoreError
from graphkg.pipeline import add_file, build_store
from graphkg.store import KnowledgeGraph, latest_checkpoint

from conftest import ARTICLE_ID, BASE, SEEDS

SEED_TITLE = "Azerbaijan Halts Russian Events After Yekaterinburg Incident"
NEW_TITLE = "Azerbaijan Halts Russian Cultural Events"
COMMIT_STEPS = ["intent-recorded", "committed", "checkpoint-copied", "copies-written"]
"""Steps before a write is published: killed there, the write did not happen."""
BUILD_STEPS = ["intent-recorded", "cleared", *COMMIT_STEPS[1:]]

Killer = Callable[..., None]


def title(kg: KnowledgeGraph) -> str | None:
    rows = kg.query("SELECT ?t WHERE { ?a gkg:title ?t }")
    titles = [row["t"].value for row in rows]  # type: ignore[union-attr]
    return titles[0] if titles else None


def seen_by_reader(store: Path) -> str | None:
    return title(KnowledgeGraph.open_reader(store, base=BASE))


def seen_by_next_writer(store: Path) -> str | None:
    writer = KnowledgeGraph.open_writer(store, base=BASE)
    return title(writer)


@pytest.fixture
def retitled(fact_dir: Path) -> Path:
    facts = fact_dir / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace(f"title: {SEED_TITLE}", f"title: {NEW_TITLE}"),
        encoding="utf-8",
    )
    return facts


@pytest.mark.parametrize("step", COMMIT_STEPS)
def test_an_add_killed_before_it_is_published_is_rolled_back_and_can_be_retried(
    store_dir: Path, retitled: Path, killed_at: Killer, step: str
) -> None:
    killed_at(step, "--store", store_dir, "add", retitled)
    assert seen_by_reader(store_dir) == SEED_TITLE
    assert seen_by_next_writer(store_dir) == SEED_TITLE
    add_file(KnowledgeGraph.open_writer(store_dir, base=BASE), retitled)
    assert seen_by_reader(store_dir) == NEW_TITLE


def test_an_add_killed_once_published_stays(
    store_dir: Path, retitled: Path, killed_at: Killer
) -> None:
    killed_at("published", "--store", store_dir, "add", retitled)
    assert seen_by_reader(store_dir) == NEW_TITLE
    assert seen_by_next_writer(store_dir) == NEW_TITLE


@pytest.mark.parametrize("step", COMMIT_STEPS)
def test_a_remove_killed_before_it_is_published_is_rolled_back_and_can_be_retried(
    store_dir: Path, killed_at: Killer, step: str
) -> None:
    killed_at(step, "--store", store_dir, "remove", ARTICLE_ID)
    assert ARTICLE_ID in KnowledgeGraph.open_reader(store_dir, base=BASE).article_ids()
    assert ARTICLE_ID in KnowledgeGraph.open_writer(store_dir, base=BASE).article_ids()
    KnowledgeGraph.open_writer(store_dir, base=BASE).remove_article(ARTICLE_ID)
    assert ARTICLE_ID not in KnowledgeGraph.open_reader(store_dir, base=BASE).article_ids()


def test_a_remove_killed_once_published_stays(store_dir: Path, killed_at: Killer) -> None:
    killed_at("published", "--store", store_dir, "remove", ARTICLE_ID)
    assert ARTICLE_ID not in KnowledgeGraph.open_reader(store_dir, base=BASE).article_ids()
    assert ARTICLE_ID not in KnowledgeGraph.open_writer(store_dir, base=BASE).article_ids()


@pytest.mark.parametrize("step", BUILD_STEPS)
def test_a_build_killed_before_it_is_published_is_rolled_back_and_can_be_retried(
    store_dir: Path, retitled: Path, killed_at: Killer, step: str
) -> None:
    add_file(KnowledgeGraph.open_writer(store_dir, base=BASE), retitled)
    killed_at(step, "--store", store_dir, "build")
    assert seen_by_reader(store_dir) == NEW_TITLE
    assert seen_by_next_writer(store_dir) == NEW_TITLE
    build_store(KnowledgeGraph.open_writer(store_dir, base=BASE), SEEDS)
    assert seen_by_reader(store_dir) == SEED_TITLE


def test_a_first_build_killed_before_it_is_published_leaves_an_empty_store(
    tmp_path: Path, killed_at: Killer
) -> None:
    store = tmp_path / "store"
    killed_at("committed", "--store", store, "build")
    assert latest_checkpoint(store) is None
    assert KnowledgeGraph.open_writer(store, base=BASE).named_graphs() == []
    build_store(KnowledgeGraph.open_writer(store, base=BASE), SEEDS)
    assert seen_by_reader(store) == SEED_TITLE


def test_unpublished_checkpoints_are_deleted_by_the_next_writer(
    store_dir: Path, retitled: Path, killed_at: Killer
) -> None:
    before = sorted(p.name for p in (store_dir / "checkpoints").iterdir())
    killed_at("copies-written", "--store", store_dir, "add", retitled)
    assert sorted(p.name for p in (store_dir / "checkpoints").iterdir()) != before
    KnowledgeGraph.open_writer(store_dir, base=BASE)
    assert sorted(p.name for p in (store_dir / "checkpoints").iterdir()) == before


def test_a_second_writer_is_refused_naming_the_first(store_dir: Path) -> None:
    first = KnowledgeGraph.open_writer(store_dir, base=BASE)
    with pytest.raises(StoreError, match=r"being written by process \d+"):
        KnowledgeGraph.open_writer(store_dir, base=BASE)
    del first
    KnowledgeGraph.open_writer(store_dir, base=BASE)
