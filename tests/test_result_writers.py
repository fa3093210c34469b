"""graphkg's own SPARQL result writers (needed for capped results) read back as Oxigraph's do."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graphkg.result_writers import SOLUTION_WRITERS

EX = "http://example.org/"
VALUES = [
    ox.NamedNode(f"{EX}caf\u00e9?q=1&r='2',3"),
    ox.BlankNode("b0"),
    ox.Literal("plain"),
    ox.Literal('quote " backslash \\ tab \t newline \n return \r control \x01 <&>'),
    ox.Literal("\u0417\u0435\u043b\u0435\u043d\u0441\u044c\u043a\u0438\u0439", language="uk"),
    ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("2022-01-24", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    ox.Literal(""),
]
FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def solutions() -> ox.QuerySolutions:
    """Every kind of value, repeated (the writers remember terms), with unbound cells."""
    store = ox.Store()
    for index, value in enumerate(VALUES * 2):
        subject = ox.NamedNode(f"{EX}s{index}")
        store.add(ox.Quad(subject, ox.NamedNode(f"{EX}p"), value))
    result = store.query(
        "SELECT ?s ?o ?missing ?t WHERE { ?s ?p ?o "
        "OPTIONAL { ?s <http://example.org/none> ?missing } "
        "BIND(IF(isLiteral(?o), <<( ?s ?p ?o )>>, ?unbound) AS ?t) } ORDER BY ?s"
    )
    assert isinstance(result, ox.QuerySolutions)
    return result


def read(body: bytes, media_type: str) -> list[tuple[object, ...]]:
    parsed = ox.parse_query_results(body, format=FORMATS[media_type])
    assert isinstance(parsed, ox.QuerySolutions)
    return [tuple(solution) for solution in parsed]


@pytest.mark.parametrize("media_type", FORMATS)
def test_written_solutions_read_back_as_oxigraphs_own(media_type: str) -> None:
    expected = read(solutions().serialize(format=FORMATS[media_type]), media_type)
    results = solutions()
    variables = [variable.value for variable in results.variables]
    write_rows, _ = SOLUTION_WRITERS[media_type]
    ours = read(write_rows(variables, list(results)), media_type)
    assert ours == expected
    assert len(ours) == 2 * len(VALUES)
    assert any(row[2] is None for row in ours)


def test_csv_quotes_fields_with_separators_and_writes_unbound_as_empty() -> None:
    results = solutions()
    variables = [variable.value for variable in results.variables]
    write_rows, _ = SOLUTION_WRITERS["text/csv"]
    text = write_rows(variables, list(results)).decode()
    assert text.startswith("s,o,missing,t\r\n")
    assert '"quote "" backslash' in text
    assert f"{EX}s0,\"{EX}caf\u00e9?q=1&r='2',3\",," in text
