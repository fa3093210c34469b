"""Turtle and JSON-LD submissions go through the same mapping checks and validation."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphkg.errors import FactFileError
from graphkg.pipeline import validate_files
from graphkg.store import KnowledgeGraph

from conftest import ARTICLE_ID, BASE

ARTICLE_GRAPH = f"{BASE}graph/article/{ARTICLE_ID}"


@pytest.fixture(scope="module")
def article_turtle(seed_graph: KnowledgeGraph) -> str:
    buffer = io.BytesIO()
    seed_graph.export(buffer, ox.RdfFormat.TURTLE, graph=ARTICLE_GRAPH)
    return buffer.getvalue().decode()


def without_article(store_dir: Path) -> KnowledgeGraph:
    """The seed store less the article, so the submission is new."""
    writer = KnowledgeGraph.open_writer(store_dir, base=BASE)
    writer.remove_article(ARTICLE_ID)
    return KnowledgeGraph.open_reader(store_dir, base=BASE)


def test_a_turtle_article_validates_like_a_fact_file(
    article_turtle: str, store_dir: Path, tmp_path: Path
) -> None:
    kg = KnowledgeGraph.open_reader(store_dir, base=BASE)
    path = tmp_path / "article.ttl"
    path.write_text(article_turtle, encoding="utf-8")
    report = validate_files([path], base=BASE, kg=kg)
    assert report.conforms, report.as_text()


def test_a_jsonld_article_validates_like_a_fact_file(
    article_turtle: str, store_dir: Path, tmp_path: Path
) -> None:
    kg = KnowledgeGraph.open_reader(store_dir, base=BASE)
    quads = ox.parse(article_turtle.encode(), format=ox.RdfFormat.TURTLE)
    path = tmp_path / "article.jsonld"
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.JSON_LD))
    assert json.loads(path.read_text())  # really JSON-LD
    assert validate_files([path], base=BASE, kg=kg).conforms


def test_a_turtle_quote_not_in_the_text_is_reported_with_its_line(
    article_turtle: str, store_dir: Path, tmp_path: Path
) -> None:
    kg = KnowledgeGraph.open_reader(store_dir, base=BASE)
    assert "38 passengers out of 67 onboard" in article_turtle
    path = tmp_path / "article.ttl"
    tampered = re.sub(
        r'(oa:exact "[^"]*)38 passengers', r"\g<1>39 passengers", article_turtle, count=1
    )
    assert tampered != article_turtle
    path.write_text(tampered, encoding="utf-8")
    report = validate_files([path], base=BASE, kg=kg)
    assert not report.conforms
    problem = next(p for p in report.problems if "verbatim" in p.message)
    assert problem.line is not None and problem.file == str(path)


def test_malformed_turtle_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    report = validate_files([path], base=BASE, kg=None)
    [problem] = report.problems
    assert (problem.rule, problem.line) == ("syntax", 2)


def test_turtle_referencing_an_unknown_entity_suggests_a_known_one(
    article_turtle: str, store_dir: Path, tmp_path: Path
) -> None:
    kg = without_article(store_dir)
    path = tmp_path / "article.ttl"
    text = article_turtle.replace("id/state/azerbaijan>", "id/state/azerbaijn>")
    path.write_text(text, encoding="utf-8")
    problems = validate_files([path], base=BASE, kg=kg).problems
    unknown = [p for p in problems if p.value == f"{BASE}id/state/azerbaijn"]
    assert unknown
    assert all(p.rule == "unknown-id" and "azerbaijan" in (p.fix or "") for p in unknown)


def test_blank_nodes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.ttl"
    path.write_text(
        f"<{BASE}id/article/x> a <https://w3id.org/graphkg/ontology#Article> ;"
        ' <https://w3id.org/graphkg/ontology#text> "t" ;'
        " <https://w3id.org/graphkg/ontology#evidence> [] .\n",
        encoding="utf-8",
    )
    problems = validate_files([path], base=BASE, kg=None).problems
    assert [p.rule for p in problems] == ["blank-node"]


def test_unsupported_file_types_are_refused(tmp_path: Path) -> None:
    from graphkg.ontology import load_ontology
    from graphkg.rdfinput import map_source_file

    path = tmp_path / "facts.csv"
    path.write_text("a,b\n")
    with pytest.raises(FactFileError, match="unsupported file type"):
        map_source_file(path, load_ontology(), base=BASE, known={})
