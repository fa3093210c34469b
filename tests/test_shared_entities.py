"""Files of shared entities: each its own source, all read before any article."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphkg.errors import ValidationFailed
from graphkg.pipeline import add_file, build_store, find_seed_files
from graphkg.store import KnowledgeGraph

from conftest import BASE, SEEDS, write_article

GERMANY_ENTRY = "  - id: germany\n    type: State\n    label: Germany\n"
GERMANY = "source: europe\nentities:\n  - id: germany\n    type: State\n    label: Germany\n"
QUOTE = "Anna Weber, a German, spoke."


def person(id_: str, nationality: str, quote: str) -> str:
    return (
        f"  - id: {id_}\n    type: Person\n    label: {id_}\n"
        f"    nationality: {nationality}\n    evidence: [{quote!r}]\n"
    )


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """The seeds with `entities/europe.yaml`, and an article sorted first that uses it."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    (target / "entities").mkdir()
    (target / "entities" / "europe.yaml").write_text(GERMANY, encoding="utf-8")
    write_article(target, "a-german-speaks", QUOTE, person("anna-weber", "germany", QUOTE))
    return target


def has(kg: KnowledgeGraph, iri: str, source: str | None = None) -> bool:
    if source is None:
        return bool(kg.query(f"ASK {{ <{BASE}id/{iri}> ?p ?o }}"))
    return bool(kg.query(f"ASK {{ <{BASE}id/{iri}> gkg:declaredIn <{BASE}id/{source}> }}"))


def test_every_shared_entities_file_comes_before_any_article(seeds: Path) -> None:
    (seeds / "entities" / "asia.yaml").write_text("source: asia\n", encoding="utf-8")
    files = find_seed_files(seeds)
    assert files.all[:3] == [
        seeds / "entities.yaml",
        seeds / "entities" / "asia.yaml",
        seeds / "entities" / "europe.yaml",
    ]
    assert sorted(files.articles) == files.articles
    assert files.articles[0].parent.name == "a-german-speaks"


def test_a_build_gives_an_article_that_sorts_first_the_shared_entities_it_uses(
    seeds: Path, tmp_path: Path
) -> None:
    kg = KnowledgeGraph.open_writer(tmp_path / "store", base=BASE)
    build_store(kg, seeds)
    assert has(kg, "state/germany", "source/europe")
    assert has(kg, "state/azerbaijan", "source/entities")
    assert has(kg, "person/anna-weber", "article/a-german-speaks")


def test_a_build_refuses_an_article_that_declares_a_shared_id_again(
    seeds: Path, tmp_path: Path
) -> None:
    write_article(
        seeds,
        "a-german-speaks",
        QUOTE,
        GERMANY_ENTRY + person("anna-weber", "germany", QUOTE),
    )
    with pytest.raises(ValidationFailed, match=f"already used by {BASE}id/source/europe"):
        build_store(KnowledgeGraph.open_writer(tmp_path / "store", base=BASE), seeds)


def test_moving_an_entity_from_an_article_to_a_shared_file_as_documented(
    store_dir: Path, tmp_path: Path
) -> None:
    """The steps of docs/fact-files.md, "Moving an entity into the shared files"."""
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    weber = write_article(
        tmp_path,
        "a-german-speaks",
        QUOTE,
        "  - id: germany\n    type: State\n    label: Germany\n    evidence: ['a German']\n"
        + person("anna-weber", "germany", QUOTE),
    )
    other = "Karl Braun, also German, agreed."
    add_file(kg, weber)
    braun = write_article(tmp_path, "braun-agrees", other, person("karl-braun", "germany", other))
    add_file(kg, braun)
    assert has(kg, "state/germany", "article/a-german-speaks")
    assert has(kg, "state/germany/evidence/1")
    old_weber = weber.read_text(encoding="utf-8")

    # 1. Cut it from the article's `entities:`, 2. paste it (without evidence) into a shared file.
    weber.write_text(
        old_weber.replace(
            "  - id: germany\n    type: State\n    label: Germany\n    evidence: ['a German']\n", ""
        ),
        encoding="utf-8",
    )
    europe = tmp_path / "entities" / "europe.yaml"
    europe.parent.mkdir()
    europe.write_text(GERMANY, encoding="utf-8")

    # 3. Add the shared file: it takes the entity over, references to it stay.
    add_file(kg, europe)
    assert has(kg, "state/germany", "source/europe")
    assert not has(kg, "state/germany", "article/a-german-speaks")
    assert not has(kg, "state/germany/evidence/1"), "the article's quotes about it go"
    assert has(kg, "person/karl-braun")

    # 4. Add the article: it no longer declares the entity, and uses the shared one.
    add_file(kg, weber)
    assert has(kg, "person/anna-weber", "article/a-german-speaks")
    kg.remove_article("a-german-speaks")
    assert has(kg, "state/germany", "source/europe"), "no longer the article's to remove"

    # The article's old version, still declaring it, is refused: the id is the shared file's.
    weber.write_text(old_weber, encoding="utf-8")
    with pytest.raises(ValidationFailed, match=f"already used by {BASE}id/source/europe"):
        add_file(kg, weber)
