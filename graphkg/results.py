"""Writing query results in machine formats: SPARQL results formats, and RDF formats
(with the ontology's prefixes) for graphs. The table for people is
:func:`graphkg.terminal.solutions_table`."""

from __future__ import annotations

from typing import IO

import pyoxigraph as ox

from graphkg.errors import QueryError
from graphkg.formats import GRAPH_FORMATS, RESULTS_FORMATS
from graphkg.result_writers import write_rdf

Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def write_results(results: Results, output: IO[bytes], *, format: str | None) -> None:
    """Serialize results in the named format: a graph as Turtle unless another is named,
    an ASK answer as ``true`` or ``false`` unless a results format is named."""
    if isinstance(results, ox.QueryTriples):
        rdf_format = GRAPH_FORMATS.get(format or "turtle")
        if rdf_format is None:
            raise QueryError(
                f"a graph result cannot be written as {format!r}; "
                f"use one of {', '.join(GRAPH_FORMATS)}"
            )
        write_rdf(results, output, rdf_format)
        return
    if isinstance(results, ox.QueryBoolean) and format in (None, "table"):
        output.write(b"true\n" if bool(results) else b"false\n")
        return
    solution_format = RESULTS_FORMATS.get(format or "")
    if solution_format is None:
        raise QueryError(
            f"solutions cannot be written as {format!r}; "
            f"use table or one of {', '.join(RESULTS_FORMATS)}"
        )
    results.serialize(output, solution_format)
