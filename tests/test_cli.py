"""The command line, through the installed ``graphkg`` entry point."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graphkg.settings import Settings
from graphkg.store import open_store

from conftest import ARTICLE_FACTS, ARTICLE_ID, BASE, SEEDS, TEST_ARTICLE_FACTS


def sorted_dump(cli, store: Path | str) -> str:
    result = cli("--store", store, "export", "--format", "nquads")
    assert result.returncode == 0, result.stderr
    return "\n".join(sorted(result.stdout.splitlines()))


def broken_copy(fact_dir: Path, old: str, new: str) -> Path:
    facts = fact_dir / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert old in text
    facts.write_text(text.replace(old, new, 1), encoding="utf-8")
    return facts


def test_build_validates_and_loads_the_seeds(graphkg_cli, tmp_path: Path) -> None:
    result = graphkg_cli("--store", tmp_path / "store", "build", SEEDS)
    assert result.returncode == 0, result.stderr
    built = re.search(
        r"built .*: 2 source\(s\), (\d+) triples in (\d+) graphs; validated in [\d.]+ s "
        r"\([\d.]+ files/s\), stored in [\d.]+ s",
        result.stdout,
    )
    assert built, result.stdout
    stats = graphkg_cli("--store", tmp_path / "store", "stats")
    assert f"{BASE}graph/article/{ARTICLE_ID}" in stats.stdout
    assert f"triples: {built.group(1)}\n" in stats.stdout
    graphs = stats.stdout.split("triples per graph:\n")[1].split("\n\n")[0]
    assert len([line for line in graphs.splitlines() if "https://" in line]) == int(built.group(2))


def test_store_can_be_named_after_the_command(graphkg_cli, seed_store: Path | str) -> None:
    result = graphkg_cli("stats", "--store", seed_store)
    assert result.returncode == 0, result.stderr
    assert str(seed_store) in result.stdout


def test_store_can_be_named_by_environment(graphkg_cli, seed_store: Path | str) -> None:
    result = graphkg_cli("stats", env={"GRAPHKG_STORE": str(seed_store)})
    assert result.returncode == 0, result.stderr
    assert str(seed_store) in result.stdout


def test_validate_exits_zero_on_conforming_files(graphkg_cli, seed_store: Path | str) -> None:
    result = graphkg_cli("--store", seed_store, "validate", ARTICLE_FACTS)
    assert result.returncode == 0, result.stderr
    assert "conforms" in result.stdout


def test_validate_reports_file_line_fact_rule_value_and_fix(
    graphkg_cli, seed_store: Path | str, fact_dir: Path
) -> None:
    facts = broken_copy(fact_dir, "killedCount: 38", "killedCount: 380")
    result = graphkg_cli("--store", seed_store, "validate", facts)
    assert result.returncode == 1
    line = 1 + facts.read_text(encoding="utf-8").splitlines().index("    killedCount: 380")
    assert f"{facts}:{line}: gkg:killedCount:" in result.stderr
    assert "fact: kazakhstan-airliner-crash" in result.stderr
    assert "rule: gkgsh:" in result.stderr
    assert "value: 380" in result.stderr
    assert "fix:" in result.stderr


def test_validate_json_lists_problems_for_machines(
    graphkg_cli, seed_store: Path | str, fact_dir: Path
) -> None:
    facts = broken_copy(fact_dir, "incidentKind: raid", "incidentKind: raids")
    result = graphkg_cli("--store", seed_store, "validate", "--format", "json", facts)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    [problem] = report["problems"]
    assert problem["rule"] == "concept" and problem["value"] == "raids"
    assert problem["line"] == int(problem["line"]) and problem["fact"] == "yekaterinburg-raids"


def test_validate_turtle_is_the_shacl_results_graph(
    graphkg_cli, seed_store: Path | str, fact_dir: Path
) -> None:
    facts = broken_copy(fact_dir, "killedCount: 38", "killedCount: 380")
    result = graphkg_cli("--store", seed_store, "validate", "--format", "turtle", facts)
    assert result.returncode == 1
    graph = Graph().parse(data=result.stdout, format="turtle")
    answer = graph.query(
        "ASK { ?r a sh:ValidationReport ; sh:conforms false ; sh:result ?x . ?x sh:focusNode ?n }",
        initNs={"sh": "http://www.w3.org/ns/shacl#"},
    )
    assert answer.askAnswer


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("incidentKind: raid", "incidentKind: [raid", "malformed YAML"),
        ("killedCount: 38", "killedCont: 38", "unknown key"),
        ("place: kazakhstan", "place: kazakstan", "unknown id"),
        ("aboardCount: 67", "aboardCount: many", "must be integer"),
        ("killedCount: 38", "killedCount: 380", "aboard"),
    ],
)
def test_add_of_a_bad_file_reports_it_and_leaves_the_store_unchanged(
    graphkg_cli,
    seed_store: Path | str,
    fact_dir: Path,
    old: str,
    new: str,
    needle: str,
) -> None:
    before = sorted_dump(graphkg_cli, seed_store)
    facts = broken_copy(fact_dir, old, new)
    result = graphkg_cli("--store", seed_store, "add", facts)
    assert result.returncode == 1
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted_dump(graphkg_cli, seed_store) == before


def test_add_of_an_unchanged_file_keeps_the_store_identical(
    graphkg_cli, seed_store: Path | str
) -> None:
    before = sorted_dump(graphkg_cli, seed_store)
    result = graphkg_cli("--store", seed_store, "add", ARTICLE_FACTS)
    assert result.returncode == 0, result.stderr
    assert sorted_dump(graphkg_cli, seed_store) == before


def test_add_of_several_files_adds_them_all_in_one_commit(
    graphkg_cli, seed_store: Path | str
) -> None:
    def checkpoints() -> int:
        if not isinstance(seed_store, Path):
            return 0
        return len([c for c in (seed_store / "checkpoints").iterdir() if c.name.isdigit()])

    before = checkpoints()
    result = graphkg_cli("--store", seed_store, "add", *TEST_ARTICLE_FACTS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("added ") == len(TEST_ARTICLE_FACTS)
    dump = sorted_dump(graphkg_cli, seed_store)
    for facts in TEST_ARTICLE_FACTS:
        assert f"graph/article/{facts.parent.name}>" in dump
    if isinstance(seed_store, Path):
        assert checkpoints() == before + 1, "one commit for the batch"


def test_add_of_several_files_with_one_bad_adds_none(
    graphkg_cli, seed_store: Path | str, fact_dir: Path
) -> None:
    before = sorted_dump(graphkg_cli, seed_store)
    broken = broken_copy(fact_dir, "killedCount: 38", "killedCount: 380")
    result = graphkg_cli("--store", seed_store, "add", *TEST_ARTICLE_FACTS, broken)
    assert result.returncode == 1
    assert str(broken) in result.stderr and "aboard" in result.stderr
    assert sorted_dump(graphkg_cli, seed_store) == before


def test_add_of_two_files_of_one_article_is_refused(
    graphkg_cli, seed_store: Path | str, fact_dir: Path
) -> None:
    result = graphkg_cli("--store", seed_store, "add", ARTICLE_FACTS, fact_dir / "facts.yaml")
    assert result.returncode == 1
    assert "are both" in result.stderr and str(ARTICLE_FACTS) in result.stderr


def test_remove_then_add_restores_the_article(graphkg_cli, seed_store: Path | str) -> None:
    before = sorted_dump(graphkg_cli, seed_store)
    assert graphkg_cli("--store", seed_store, "remove", ARTICLE_ID).returncode == 0
    assert f"graph/article/{ARTICLE_ID}>" not in sorted_dump(graphkg_cli, seed_store)
    assert graphkg_cli("--store", seed_store, "add", ARTICLE_FACTS).returncode == 0
    assert sorted_dump(graphkg_cli, seed_store) == before


def test_remove_of_an_unknown_article_fails_clearly(graphkg_cli, seed_store: Path | str) -> None:
    result = graphkg_cli("--store", seed_store, "remove", "nothing-here")
    assert result.returncode == 1
    assert "no article 'nothing-here'" in result.stderr


def test_query_from_an_argument_prints_a_table(graphkg_cli, seed_store: Path | str) -> None:
    result = graphkg_cli(
        "--store", seed_store, "query", "SELECT ?s WHERE { ?s a gkg:State } ORDER BY ?s"
    )
    assert result.returncode == 0, result.stderr
    assert "(4 rows)" in result.stdout


def test_query_from_a_file_as_csv(graphkg_cli, seed_store: Path | str, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?label WHERE { ?s a gkg:State ; rdfs:label ?label } ORDER BY ?label")
    result = graphkg_cli("--store", seed_store, "query", "--file", query, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [["label"], ["Azerbaijan"], ["Kazakhstan"], ["Russia"], ["Ukraine"]]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_query_writes_standard_result_formats(
    graphkg_cli, seed_store: Path | str, fmt: str
) -> None:
    result = graphkg_cli(
        "--store", seed_store, "query", "--format", fmt, "SELECT ?s WHERE { ?s a gkg:State }"
    )
    formats = {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "tsv": ox.QueryResultsFormat.TSV,
    }
    solutions = ox.parse_query_results(result.stdout.encode(), format=formats[fmt])
    assert len(list(solutions)) == 4


@pytest.mark.parametrize(
    ("fmt", "ox_format"),
    [
        ("turtle", ox.RdfFormat.TURTLE),
        ("ntriples", ox.RdfFormat.N_TRIPLES),
        ("jsonld", ox.RdfFormat.JSON_LD),
    ],
)
def test_construct_queries_write_graph_formats(
    graphkg_cli, seed_store: Path | str, fmt: str, ox_format
) -> None:
    result = graphkg_cli(
        "--store",
        seed_store,
        "query",
        "--format",
        fmt,
        "CONSTRUCT { ?s a gkg:State } WHERE { ?s a gkg:State }",
    )
    assert result.returncode == 0, result.stderr
    assert len(list(ox.parse(result.stdout.encode(), format=ox_format))) == 4


def test_malformed_sparql_is_a_clear_error(graphkg_cli, seed_store: Path | str) -> None:
    result = graphkg_cli("--store", seed_store, "query", "SELECT ?s WHERE { ?s ")
    assert result.returncode == 1
    assert "invalid SPARQL" in result.stderr and "Traceback" not in result.stderr


def test_export_writes_a_file(graphkg_cli, seed_store: Path | str, tmp_path: Path) -> None:
    target = tmp_path / "dump.trig"
    result = graphkg_cli("--store", seed_store, "export", "--format", "trig", "-o", target)
    assert result.returncode == 0, result.stderr
    graphs = {q.graph_name for q in ox.parse(path=str(target), format=ox.RdfFormat.TRIG)}
    assert ox.NamedNode(f"{BASE}graph/article/{ARTICLE_ID}") in graphs


def test_commands_on_a_missing_store_say_to_build(graphkg_cli, tmp_path: Path) -> None:
    result = graphkg_cli("--store", tmp_path / "nothing", "stats")
    assert result.returncode == 1
    assert "graphkg build" in result.stderr


def test_unknown_setting_in_the_environment_is_rejected(
    graphkg_cli, seed_store: Path | str
) -> None:
    result = graphkg_cli("--store", seed_store, "stats", env={"GRAPHKG_COLOUR": "blue"})
    assert result.returncode == 2
    assert "unknown setting 'colour'" in result.stderr


def test_serve_refuses_to_hide_texts_on_a_store_without_public_copies(
    graphkg_cli, store_without_public_copies: Path
) -> None:
    """Said at once, rather than as a 503 on every request."""
    result = graphkg_cli(
        "--store",
        store_without_public_copies,
        "serve",
        "--port",
        "1",  # never bound: the check comes first
        env={"GRAPHKG_SHOW_ARTICLE_TEXT": "false"},
    )
    assert result.returncode != 0
    assert "run `graphkg build` again" in result.stderr


def test_remove_keeps_what_others_reference_unless_strict(
    graphkg_cli, seed_store: Path | str, tmp_path: Path
) -> None:
    quote = "Ali Safarov, a brother of Ziyaddin Safarov, spoke."
    other = tmp_path / "brother-speaks.yaml"
    other.write_text(
        f"article:\n  id: brother-speaks\n  text: |\n    {quote}\n  title: t\n  language: en\n"
        "entities:\n  - id: ali-safarov\n    type: Person\n    label: Ali Safarov\n"
        f"    sibling: ziyaddin-safarov\n    evidence: [{quote!r}]\n",
        encoding="utf-8",
    )
    assert graphkg_cli("--store", seed_store, "add", other).returncode == 0
    before = sorted_dump(graphkg_cli, seed_store)
    strict = graphkg_cli("--store", seed_store, "remove", "--strict", ARTICLE_ID)
    assert strict.returncode == 1
    assert "brother-speaks: ali-safarov sibling ziyaddin-safarov" in strict.stderr
    assert sorted_dump(graphkg_cli, seed_store) == before
    removed = graphkg_cli("--store", seed_store, "remove", ARTICLE_ID)
    assert removed.returncode == 0, removed.stderr
    assert "kept ziyaddin-safarov as shared entities" in removed.stdout
    assert "brother-speaks still reference" in removed.stdout


def test_check_validates_every_stored_article_again(graphkg_cli, seed_store: Path | str) -> None:
    ok = graphkg_cli("--store", seed_store, "check")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 of 1 articles conform" in ok.stdout and "warning" not in ok.stdout
    # The store changed behind graphkg's back: a count the shapes forbid.
    kg = open_store(Settings(store=seed_store, base=BASE), writer=True)  # type: ignore[arg-type]
    crash = f"<{BASE}id/incident/kazakhstan-airliner-crash>"
    killed = "<https://w3id.org/graphkg/ontology#killedCount>"
    kg._commit(
        f"DELETE {{ GRAPH ?g {{ {crash} {killed} 38 }} }} "
        f"INSERT {{ GRAPH ?g {{ {crash} {killed} 380 }} }} "
        f"WHERE {{ GRAPH ?g {{ {crash} {killed} 38 }} }}",
        "tamper",
        [],
        1,
    )
    del kg
    broken = graphkg_cli("--store", seed_store, "check", "--format", "json")
    assert broken.returncode == 1
    report = json.loads(broken.stdout)[ARTICLE_ID]
    assert report["conforms"] is False
    assert any("IncidentKilledWithinAboardShape" in p["rule"] for p in report["problems"])
