"""What people read in a terminal (``graphkg query`` tables, ``graphkg stats``), and Turtle
and TriG that declare the ontology's prefixes on every path that writes them."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from graphkg.formats import RDF_FORMATS
from graphkg.namespaces import PREFIXES
from graphkg.result_writers import rdf_bytes, write_rdf
from graphkg.store import KnowledgeGraph
from graphkg.terminal import (
    cut,
    fit_widths,
    format_table,
    short_iri,
    solutions_table,
)

from conftest import BACKENDS, BASE, ID, SEEDS_ON_THE_REMOTE_STORE

Cli = Callable[..., subprocess.CompletedProcess[str]]
GKG = PREFIXES["gkg"]
STATES = "SELECT ?state WHERE { ?state a gkg:State } ORDER BY ?state"
CONSTRUCT_STATES = (
    "CONSTRUCT { ?s a gkg:State ; rdfs:label ?l } WHERE { ?s a gkg:State ; rdfs:label ?l }"
)
AIRLINER_CRASH = "crash of an Azerbaijani airliner in Kazakhstan"
"""The description of the seed's incident/kazakhstan-airliner-crash, longer than its share."""


@pytest.fixture(
    params=[
        pytest.param(backend, marks=[getattr(pytest.mark, SEEDS_ON_THE_REMOTE_STORE)])
        if backend == "remote"
        else backend
        for backend in BACKENDS
    ]
)
def seed_env(request: pytest.FixtureRequest, built_store_dir: Path) -> dict[str, str]:
    """The environment that points ``graphkg`` at the seeds on each backend (read only)."""
    if request.param == "remote":
        fields = request.getfixturevalue("remote_seed_store")
        return {f"GRAPHKG_{name.upper()}": str(value) for name, value in fields.items()}
    return {"GRAPHKG_STORE": str(built_store_dir)}


def table_of(kg: KnowledgeGraph, sparql: str, *, width: int | None) -> str:
    results = kg.query(sparql)
    assert isinstance(results, ox.QuerySolutions)
    return solutions_table(results, kg, width=width)


def body_lines(table: str) -> list[str]:
    """The table's rows, without its header, rule and row count."""
    return table.splitlines()[2:-1]


# -- laying a table out -----------------------------------------------------------------


def test_columns_that_fit_keep_their_natural_widths() -> None:
    assert fit_widths([5, 10, 3], 30) == [5, 10, 3]


def test_narrow_columns_keep_their_width_and_wide_ones_share_the_rest() -> None:
    widths = fit_widths([3, 50, 80], 60)
    assert widths[0] == 3
    assert sum(widths) == 60
    assert abs(widths[1] - widths[2]) <= 1


def test_a_cut_cell_ends_in_an_ellipsis_within_its_width() -> None:
    assert cut("Azerbaijan", 6) == "Azerb…"
    assert cut("Azerbaijan", 10) == "Azerbaijan"


def test_no_line_is_wider_than_the_width_even_with_more_columns_than_room() -> None:
    columns = [f"column{i}" for i in range(30)]
    table = format_table(columns, [["x" * 20] * 30], width=40)
    assert all(len(line) <= 40 for line in table.splitlines())


def test_numbers_are_aligned_to_the_right() -> None:
    rows = [["7", "a"], ["1234", "b"]]
    table = format_table(["n", "name"], rows, width=None, right_aligned=[True])
    assert body_lines(table) == ["   7  a", "1234  b"]


def test_an_iri_without_a_prefix_shows_its_path_under_the_ids() -> None:
    assert short_iri(f"{ID}incident/yekaterinburg-raids", BASE) == "incident/yekaterinburg-raids"
    assert short_iri(f"{GKG}Incident", BASE) == "gkg:Incident"
    assert short_iri("http://example.org/x", BASE) == "http://example.org/x"


# -- tables over the seeds, on both backends ----------------------------------------------


def test_an_entity_shows_as_its_label(seed_graph: KnowledgeGraph) -> None:
    table = table_of(seed_graph, STATES, width=None)
    assert "Azerbaijan" in body_lines(table)
    assert "https://" not in table


def test_vocabulary_terms_show_as_curies(seed_graph: KnowledgeGraph) -> None:
    table = table_of(
        seed_graph,
        f"SELECT ?class ?kind WHERE {{ <{ID}incident/yekaterinburg-raids> a ?class ; "
        "gkg:incidentKind ?kind } ORDER BY ?class",
        width=None,
    )
    assert "gkg:Incident  ik:raid" in body_lines(table)


def test_an_event_shows_its_description_and_a_nameless_node_its_id(
    seed_graph: KnowledgeGraph,
) -> None:
    """As on the pages (graphkg.labels): an event, which has no name, by its short
    description; a node with neither, by its path under the ids."""
    crash = f"{ID}incident/kazakhstan-airliner-crash"
    table = table_of(
        seed_graph,
        f"SELECT ?i WHERE {{ VALUES ?i {{ <{crash}> <{crash}/evidence/1> }} ?i a ?type }} "
        "GROUP BY ?i ORDER BY ?i",
        width=None,
    )
    assert body_lines(table) == [
        "crash of an Azerbaijani airliner in Kazakhstan",
        "incident/kazakhstan-airliner-crash/evidence/1",
    ]


def test_literals_show_their_value_without_datatype_or_language(
    seed_graph: KnowledgeGraph,
) -> None:
    table = table_of(
        seed_graph,
        f"SELECT ?label (COUNT(*) AS ?n) WHERE {{ <{ID}state/azerbaijan> rdfs:label ?label ; "
        "?p ?o } GROUP BY ?label",
        width=None,
    )
    [row] = body_lines(table)
    assert row.startswith("Azerbaijan  ") and row.split()[-1].isdigit()
    assert "^^" not in table and "@en" not in table and '"' not in table


# -- graphkg query and graphkg stats --------------------------------------------------------


def test_query_tables_fit_the_width_columns_gives(
    graphkg_cli: Cli, seed_env: dict[str, str]
) -> None:
    result = graphkg_cli("query", "casualties", env={**seed_env, "COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].endswith(" rows)")
    assert max(len(line) for line in lines) <= 80
    assert "…" in result.stdout and "https://" not in result.stdout


def test_query_tables_are_100_wide_in_a_pipe(graphkg_cli: Cli, built_store_dir: Path) -> None:
    result = graphkg_cli("--store", built_store_dir, "query", "casualties", env={"COLUMNS": ""})
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) == 100


def test_wide_query_tables_print_full_labels(graphkg_cli: Cli, seed_env: dict[str, str]) -> None:
    result = graphkg_cli("query", "--wide", "casualties", env={**seed_env, "COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    crash = next(line for line in result.stdout.splitlines() if AIRLINER_CRASH in line)
    assert crash.startswith(f"{AIRLINER_CRASH}  ")  # the incident, by its description
    assert "ik:aircraft-crash" in crash
    assert "…" not in result.stdout and "https://" not in result.stdout


def test_machine_formats_keep_full_iris(graphkg_cli: Cli, seed_env: dict[str, str]) -> None:
    result = graphkg_cli("query", "--format", "csv", STATES, env=seed_env)
    assert result.returncode == 0, result.stderr
    assert f"{ID}state/azerbaijan" in result.stdout.splitlines()


def test_stats_names_classes_by_curies(graphkg_cli: Cli, seed_env: dict[str, str]) -> None:
    result = graphkg_cli("stats", env=seed_env)
    assert result.returncode == 0, result.stderr
    classes = result.stdout.split("entities per class:\n", 1)[1].splitlines()
    assert any(line.split()[1:] == ["gkg:Incident"] for line in classes)
    assert GKG not in result.stdout
    assert f"{BASE}graph/entities" in result.stdout  # graphs by IRI, as export --graph takes them


# -- Turtle and TriG declare the ontology's prefixes ------------------------------------


def statements_read(data: bytes | str, extension: str) -> int:
    """How many statements Turtle (read by rdflib) or TriG (by Oxigraph: rdflib's TriG
    reader warns of its own deprecations) holds."""
    if extension == "ttl":
        return len(Graph().parse(data=data, format="turtle"))
    raw = data.encode() if isinstance(data, str) else data
    return len(list(ox.parse(raw, format=ox.RdfFormat.TRIG)))


def declares_gkg(turtle: bytes | str) -> bool:
    text = turtle.decode() if isinstance(turtle, bytes) else turtle
    return f"@prefix gkg: <{GKG}> ." in text.splitlines()


def test_written_turtle_and_trig_use_the_prefixes_and_read_back_the_same() -> None:
    triple = ox.Triple(
        ox.NamedNode(f"{ID}state/azerbaijan"),
        ox.NamedNode(PREFIXES["rdf"] + "type"),
        ox.NamedNode(f"{GKG}State"),
    )
    turtle = rdf_bytes([triple], ox.RdfFormat.TURTLE)
    assert declares_gkg(turtle) and b" a gkg:State" in turtle
    assert [q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)] == [triple]
    quad = ox.Quad(triple.subject, triple.predicate, triple.object, ox.NamedNode(f"{BASE}graph/g"))
    trig = io.BytesIO()
    write_rdf([quad], trig, ox.RdfFormat.TRIG)
    assert declares_gkg(trig.getvalue())
    assert list(ox.parse(trig.getvalue(), format=ox.RdfFormat.TRIG)) == [quad]


@pytest.mark.parametrize(
    "sparql",
    [CONSTRUCT_STATES, f"DESCRIBE <{ID}state/azerbaijan>"],
    ids=["construct", "describe"],
)
def test_query_writes_graphs_as_turtle_with_the_prefixes(
    graphkg_cli: Cli, seed_env: dict[str, str], sparql: str
) -> None:
    result = graphkg_cli("query", "--format", "turtle", sparql, env=seed_env)
    assert result.returncode == 0, result.stderr
    assert declares_gkg(result.stdout)
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) >= 2


def test_query_writes_turtle_by_default_for_graphs(graphkg_cli: Cli, built_store_dir: Path) -> None:
    result = graphkg_cli("--store", built_store_dir, "query", CONSTRUCT_STATES)
    assert result.returncode == 0, result.stderr
    assert declares_gkg(result.stdout) and "a gkg:State" in result.stdout
    assert len(Graph().parse(data=result.stdout, format="turtle")) == 8


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_exports_declare_the_prefixes(graphkg_cli: Cli, built_store_dir: Path, fmt: str) -> None:
    result = graphkg_cli("--store", built_store_dir, "export", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert declares_gkg(result.stdout)
    assert statements_read(result.stdout, RDF_FORMATS[fmt].file_extension) > 1000


def test_resources_declare_the_prefixes(client: FlaskClient) -> None:
    response = client.get("/id/state/azerbaijan", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert declares_gkg(response.data)
    graph = Graph().parse(data=response.data, format="turtle")
    assert len(graph) > 1


@pytest.mark.parametrize("extension", ["ttl", "trig"])
def test_dumps_declare_the_prefixes(client: FlaskClient, extension: str) -> None:
    response = client.get(f"/dump.{extension}")
    assert response.status_code == 200
    body = response.get_data()
    assert declares_gkg(body)
    assert statements_read(body, extension) > 1000


@pytest.mark.parametrize(
    "sparql",
    [CONSTRUCT_STATES, f"DESCRIBE <{ID}state/azerbaijan>"],
    ids=["construct", "describe"],
)
def test_graphs_over_http_declare_the_prefixes(client: FlaskClient, sparql: str) -> None:
    response = client.get(
        "/sparql", query_string={"query": sparql}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert declares_gkg(response.data)
    assert len(Graph().parse(data=response.data, format="turtle")) >= 2


def test_capped_graphs_over_http_still_declare_the_prefixes(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/turtle"},
    )
    assert response.headers["X-Result-Partial"] == "true"
    assert declares_gkg(response.data)
    assert len(Graph().parse(data=response.data, format="turtle")) == 50


def test_a_table_too_wide_for_its_columns_is_shown_as_records() -> None:
    columns = [f"column{i}" for i in range(12)]
    rows = [[f"value {i} of a row that is long" for i in range(12)] for _ in range(2)]
    shown = format_table(columns, rows, width=60)
    lines = shown.splitlines()
    assert lines[0].startswith("-[ row 1 ]") and "-[ row 2 ]" in shown
    assert all(len(line) <= 60 for line in lines)
    assert "column11  value 11 of a row that is long" in shown
    assert lines[-1] == "(2 rows)"
