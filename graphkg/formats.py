"""RDF and SPARQL results formats: their names, media types and extensions, in one place.

The CLI's ``--format``, the server's ``?format=`` and ``Accept`` negotiation,
dumps, resource twins and exports all read these tables. Media types and
extensions come from pyoxigraph's own formats, so what graphkg calls Turtle
is what Oxigraph writes.
"""

from __future__ import annotations

import pyoxigraph as ox

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
"""Every RDF format graphkg writes, by the name users give it (``--format turtle``)."""

RESULTS_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
"""The SPARQL results formats of SELECT and ASK answers, by name."""


def media_type(syntax: ox.RdfFormat | ox.QueryResultsFormat) -> str:
    """The format's media type without parameters (``text/csv``, not ``text/csv; charset=…``)."""
    return syntax.media_type.split(";")[0]


TURTLE = media_type(ox.RdfFormat.TURTLE)
N_TRIPLES = media_type(ox.RdfFormat.N_TRIPLES)
N_QUADS = media_type(ox.RdfFormat.N_QUADS)
JSON_LD = media_type(ox.RdfFormat.JSON_LD)
SPARQL_JSON = media_type(ox.QueryResultsFormat.JSON)
SPARQL_XML = media_type(ox.QueryResultsFormat.XML)
CSV = media_type(ox.QueryResultsFormat.CSV)
TSV = media_type(ox.QueryResultsFormat.TSV)
"""The media types code names one by one (twins, aliases, requests to a remote store)."""

ONLY_DATASETS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)
"""Formats for named graphs only; every other RDF format can carry one graph."""

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    **{name: f for name, f in RDF_FORMATS.items() if f not in ONLY_DATASETS},
    "xml": ox.RdfFormat.RDF_XML,
}
"""Formats for a graph (a CONSTRUCT answer, one named graph), by name; ``xml`` is RDF/XML."""

SOLUTION_TYPES = tuple(media_type(f) for f in RESULTS_FORMATS.values())
GRAPH_TYPES = tuple(media_type(f) for f in RDF_FORMATS.values() if f not in ONLY_DATASETS)
"""Media types for a graph, Turtle (the default) first."""

RDF_FORMAT_BY_TYPE: dict[str, ox.RdfFormat] = {media_type(f): f for f in RDF_FORMATS.values()}

FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    # name: (type for SELECT/ASK, type for graphs), as Fuseki's ?format=
    "json": (media_type(ox.QueryResultsFormat.JSON), media_type(ox.RdfFormat.JSON_LD)),
    "xml": (media_type(ox.QueryResultsFormat.XML), media_type(ox.RdfFormat.RDF_XML)),
    "csv": (media_type(ox.QueryResultsFormat.CSV), None),
    "tsv": (media_type(ox.QueryResultsFormat.TSV), None),
    **{name: (None, media_type(f)) for name, f in GRAPH_FORMATS.items() if name != "xml"},
    **{f.file_extension: (None, media_type(f)) for f in GRAPH_FORMATS.values()},
}
"""What ``?format=NAME`` asks for: a format's name or its file extension (``ttl``, ``nt``)."""

DUMP_FORMATS: dict[str, ox.RdfFormat] = {
    f.file_extension: f for f in RDF_FORMATS.values() if f != ox.RdfFormat.RDF_XML
}
"""Full dumps, by file extension (``/dumps/graph.ttl``): every format but RDF/XML."""

RDFLIB_NAMES: dict[str, str] = {
    media_type(ox.RdfFormat.TURTLE): "turtle",
    media_type(ox.RdfFormat.N_TRIPLES): "nt",
    media_type(ox.RdfFormat.JSON_LD): "json-ld",
    media_type(ox.RdfFormat.RDF_XML): "xml",
}
"""rdflib's names for the graph formats, for the small graphs rdflib serializes."""

INPUT_FORMATS: dict[str, ox.RdfFormat] = {
    f".{f.file_extension}": f for f in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD)
}
"""RDF that fact files may be written in besides YAML, by file extension."""

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
FACT_FILE_SUFFIXES: dict[str, str] = {
    **dict.fromkeys(YAML_TYPES, ".yaml"),
    **{media_type(f): suffix for suffix, f in INPUT_FORMATS.items()},
}
"""The file extension of a fact file sent over HTTP, by its ``Content-Type``."""
