"""Writing SPARQL results in the W3C formats, with a row cap.

Oxigraph's own writers take a whole result iterator; a capped result needs
writers that take the rows we kept, so these follow the W3C specs directly:
SPARQL 1.1 Query Results JSON, XML, and CSV/TSV.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def solutions_json(variables: list[str], rows: list[Row]) -> bytes:
    bindings = [
        {
            name: _json_term(term)
            for name, term in zip(variables, row, strict=True)
            if term is not None
        }
        for row in rows
    ]
    return json.dumps(
        {"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False
    ).encode()


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
    parts = [_XML_HEAD, "<head>"]
    parts += [f"<variable name={quoteattr(name)}/>" for name in variables]
    parts.append("</head>\n<results>\n")
    for row in rows:
        parts.append("<result>")
        parts += [
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(variables, row, strict=True)
            if term is not None
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


def solutions_tsv(variables: list[str], rows: list[Row]) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def boolean_csv(value: bool) -> bytes:
    return f"_askResult\r\n{str(value).lower()}\r\n".encode()


def boolean_tsv(value: bool) -> bytes:
    return f"?_askResult\n{str(value).lower()}\n".encode()


SOLUTION_WRITERS = {
    "application/sparql-results+json": (solutions_json, boolean_json),
    "application/sparql-results+xml": (solutions_xml, boolean_xml),
    "text/csv": (solutions_csv, boolean_csv),
    "text/tab-separated-values": (solutions_tsv, boolean_tsv),
}
