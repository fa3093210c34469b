"""Writing query results: SPARQL result formats, RDF formats, and a table for people."""

from __future__ import annotations

from typing import IO

import pyoxigraph as ox

from graphkg.errors import QueryError
from graphkg.formats import GRAPH_FORMATS, RESULTS_FORMATS
from graphkg.ontology import curie

Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def show_term(term: object) -> str:
    """A term as people read it: CURIEs for IRIs, plain text for literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        shown = curie(term.value)
        return term.value if shown.startswith("<") else shown
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(results: ox.QuerySolutions) -> str:
    """Solutions as an aligned text table with a row count."""
    names = [v.value for v in results.variables]
    rows = [[show_term(solution[name]) for name in names] for solution in results]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    line = "  ".join(name.ljust(width) for name, width in zip(names, widths, strict=True))
    out = [line, "  ".join("-" * width for width in widths)]
    out += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def write_results(results: Results, output: IO[bytes], *, format: str | None) -> None:
    """Serialize results in the named format; ``None`` means a table (or Turtle for graphs)."""
    if isinstance(results, ox.QueryTriples):
        rdf_format = GRAPH_FORMATS.get(format or "turtle")
        if rdf_format is None:
            raise QueryError(
                f"a graph result cannot be written as {format!r}; "
                f"use one of {', '.join(GRAPH_FORMATS)}"
            )
        results.serialize(output, rdf_format)
        return
    if format is None or format == "table":
        if isinstance(results, ox.QueryBoolean):
            output.write(b"true\n" if bool(results) else b"false\n")
        else:
            output.write(table(results).encode())
        return
    solution_format = RESULTS_FORMATS.get(format)
    if solution_format is None:
        raise QueryError(
            f"solutions cannot be written as {format!r}; "
            f"use table or one of {', '.join(RESULTS_FORMATS)}"
        )
    results.serialize(output, solution_format)
