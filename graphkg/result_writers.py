"""Writing SPARQL results in the W3C formats, with a row cap, and RDF with the prefixes.

Oxigraph's own writers take a whole result iterator; a capped result needs
writers that take the rows we kept, so these follow the W3C specs directly:
SPARQL 1.1 Query Results JSON, XML, and CSV/TSV. Graphs and datasets (CONSTRUCT
and DESCRIBE answers, resources, exports) go through :func:`write_rdf` or
:func:`rdf_bytes`, so that Turtle and TriG from every path declare the same prefixes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring as _json_string  # type: ignore[attr-defined]
from typing import IO
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from graphkg.formats import CSV, SPARQL_JSON, SPARQL_XML, TSV
from graphkg.namespaces import PREFIXES, XSD_STRING

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Iterable[Term | None]
"""A solution: its values in the order of the variables (``None`` where unbound)."""
RdfData = Iterable[ox.Triple] | Iterable[ox.Quad]
"""Triples for a graph format, quads for a dataset format (TriG, N-Quads)."""


def write_rdf(data: RdfData, output: IO[bytes], rdf_format: ox.RdfFormat) -> None:
    """Write triples or quads in an RDF format, streaming, declaring the ontology's prefixes.

    Turtle and TriG write every prefix of :data:`~graphkg.namespaces.PREFIXES`
    and use them; RDF/XML uses them as XML namespaces; the line formats and
    JSON-LD have none and write full IRIs.
    """
    ox.serialize(data, output, rdf_format, prefixes=PREFIXES)


def rdf_bytes(data: RdfData, rdf_format: ox.RdfFormat) -> bytes:
    """Triples or quads in an RDF format, with the ontology's prefixes (see :func:`write_rdf`)."""
    return ox.serialize(data, format=rdf_format, prefixes=PREFIXES) or b""


def _json_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f'{{"type":"uri","value":{_json_string(term.value)}}}'
    if isinstance(term, ox.BlankNode):
        return f'{{"type":"bnode","value":{_json_string(term.value)}}}'
    if isinstance(term, ox.Literal):
        value = _json_string(term.value)
        if term.language:
            return f'{{"type":"literal","value":{value},"xml:lang":{_json_string(term.language)}}}'
        if term.datatype.value != XSD_STRING:
            datatype = _json_string(term.datatype.value)
            return f'{{"type":"literal","value":{value},"datatype":{datatype}}}'
        return f'{{"type":"literal","value":{value}}}'
    return (
        f'{{"type":"triple","value":{{"subject":{_json_term(term.subject)},'
        f'"predicate":{_json_term(term.predicate)},"object":{_json_term(term.object)}}}}}'
    )


def _written(write_term: Callable[[Term], str]) -> Callable[[Term], str]:
    """``write_term`` remembering what it wrote: results repeat the same IRIs and values."""
    written: dict[Term, str] = {}

    def write(term: Term) -> str:
        text = written.get(term)
        if text is None:
            text = written[term] = write_term(term)
        return text

    return write


def solutions_json(variables: list[str], rows: list[Row]) -> bytes:
    """JSON results, built as text: a tree of dicts for ``json.dumps`` costs four times more."""
    term = _written(_json_term)
    keys = [f"{_json_string(name)}:" for name in variables]
    bindings = ",".join(
        "{"
        + ",".join(
            [key + term(value) for key, value in zip(keys, row, strict=True) if value is not None]
        )
        + "}"
        for row in rows
    )
    names = ",".join(_json_string(name) for name in variables)
    return f'{{"head":{{"vars":[{names}]}},"results":{{"bindings":[{bindings}]}}}}'.encode()


def boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode()


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def solutions_xml(variables: list[str], rows: list[Row]) -> bytes:
    term = _written(_xml_term)
    opening = [f"<binding name={quoteattr(name)}>" for name in variables]
    parts = [_XML_HEAD, "<head>"]
    parts += [f"<variable name={quoteattr(name)}/>" for name in variables]
    parts.append("</head>\n<results>\n")
    for row in rows:
        parts.append("<result>")
        parts += [
            f"{start}{term(value)}</binding>"
            for start, value in zip(opening, row, strict=True)
            if value is not None
        ]
        parts.append("</result>\n")
    parts.append("</results>\n</sparql>\n")
    return "".join(parts).encode()


def boolean_xml(value: bool) -> bytes:
    return f"{_XML_HEAD}<head/>\n<boolean>{str(value).lower()}</boolean>\n</sparql>\n".encode()


def _csv_field(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, ox.NamedNode | ox.Literal):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def solutions_csv(variables: list[str], rows: list[Row]) -> bytes:
    lines = [",".join(variables)]
    lines += [",".join(_csv_field(term) for term in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _tsv_term(term: Term | None) -> str:
    """A term in Turtle syntax, as TSV results write it (a quoted triple as ``<<( s p o )>>``)."""
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        parts = " ".join(_tsv_term(part) for part in (term.subject, term.predicate, term.object))
        return f"<<( {parts} )>>"
    return str(term)


def solutions_tsv(variables: list[str], rows: list[Row]) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join(_tsv_term(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def boolean_csv(value: bool) -> bytes:
    return f"_askResult\r\n{str(value).lower()}\r\n".encode()


def boolean_tsv(value: bool) -> bytes:
    return f"?_askResult\n{str(value).lower()}\n".encode()


SOLUTION_WRITERS = {
    SPARQL_JSON: (solutions_json, boolean_json),
    SPARQL_XML: (solutions_xml, boolean_xml),
    CSV: (solutions_csv, boolean_csv),
    TSV: (solutions_tsv, boolean_tsv),
}
