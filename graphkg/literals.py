"""Checking the lexical form of values written by hand: typed literals, IRIs, language tags.

IRIs and language tags are checked by pyoxigraph, the store's own parser, so a
value accepted here is one the store accepts.
"""

import re

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

_LEXICAL_FORMS: dict[URIRef, tuple[re.Pattern[str], str]] = {
    XSD.date: (re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"), "YYYY-MM-DD"),
    XSD.gYearMonth: (re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])$"), "YYYY-MM"),
    XSD.gYear: (re.compile(r"^-?\d{4,}$"), "YYYY"),
    XSD.duration: (
        re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"),
        "an ISO 8601 duration such as P2D (two days) or PT6H (six hours)",
    ),
    XSD.nonNegativeInteger: (re.compile(r"^\+?\d+$"), "a whole number, 0 or more"),
    XSD.positiveInteger: (re.compile(r"^\+?0*[1-9]\d*$"), "a whole number, 1 or more"),
    XSD.integer: (re.compile(r"^[+-]?\d+$"), "a whole number"),
    XSD.decimal: (re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"), "a decimal number"),
    XSD.boolean: (re.compile(r"^(true|false|1|0)$"), "true or false"),
    XSD.anyURI: (re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$"), "an absolute IRI"),
    XSD.language: (re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$"), "a language tag such as en"),
}


def expected_form(datatype: URIRef) -> str | None:
    """What a valid value of the datatype looks like, if graphkg checks it."""
    entry = _LEXICAL_FORMS.get(datatype)
    return entry[1] if entry else None


def typed_literal(text: str, datatype: URIRef) -> Literal | None:
    """The literal, or None when ``text`` is not a valid lexical form of ``datatype``."""
    entry = _LEXICAL_FORMS.get(datatype)
    if entry and not entry[0].match(text):
        return None
    literal = Literal(text, datatype=None if datatype == XSD.string else datatype)
    if getattr(literal, "ill_typed", False):
        return None
    return literal


def iri_error(text: str) -> str | None:
    """Why ``text`` is not an absolute IRI the store accepts, or None when it is one."""
    try:
        ox.NamedNode(text)
    except ValueError as error:
        return str(error)
    return None


def language_error(tag: str) -> str | None:
    """Why ``tag`` is not a well-formed language tag (BCP 47), or None when it is one."""
    try:
        ox.Literal("", language=tag)
    except ValueError as error:
        return str(error)
    return None
