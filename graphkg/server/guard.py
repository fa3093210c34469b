"""Cheap checks of a query's text before any engine sees it.

Oxigraph's parser recurses on nesting and a query of a few thousand nested
groups overflows its stack and kills the process; Oxigraph's cost grows with
the square of a query's variables, so 100,000 of them hold a worker for the
whole timeout; and ``SERVICE`` would let a client make the server call any
URL. All three are refused here, from the tokens of the query (strings, IRIs
and comments are skipped, so their contents never count), in time linear in
the query's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from werkzeug.exceptions import BadRequest

_IRI = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
_STRING = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\""
    r"|'(?:[^'\\\n]|\\.)*+(?:'|(?=\n)|\\?\Z)|\"(?:[^\"\\\n]|\\.)*+(?:\"|(?=\n)|\\?\Z)",
    re.S,
)
"""A string ends at its closing quote; one that never closes hides the rest of its line
(the query is malformed anyway). Were a match to fail there, it would be tried again
from every later quote: ``'\\'\\'\\'...`` cost time growing with the square of its length."""
_COMMENT = re.compile(r"#[^\n]*")
# These two read the skeleton, where every IRI is a number: an IRI matched as
# ``<[^>]*>`` was searched for up to the query's end from every ``<``.
_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<(\d+)>", re.I)
_SERVICE = re.compile(
    r"\bSERVICE\s+(?:SILENT\s+)?(<\d+>|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]*|[?$]\w+)", re.I
)


_HIDDEN = re.compile(f"(?P<string>{_STRING.pattern})|{_IRI.pattern}|{_COMMENT.pattern}", re.S)
"""Strings, IRIs and comments: whichever starts first, as a tokenizer would see them."""
_NOT_BRACKET = re.compile(r"[^{}()]+")
_VARIABLE = re.compile(r"[?$]([\w\u00b7\u0300-\u036f\u203f\u2040]+)")
"""``?name`` or ``$name`` (the same variable), as SPARQL's VARNAME, digits and letters
of any script included."""


def _skeleton(query: str) -> tuple[str, list[str]]:
    """The query with strings and comments blanked and IRIs numbered, and the IRIs."""
    iris: list[str] = []

    def hide(match: re.Match[str]) -> str:
        if match.group("string") is not None:
            return '""'
        iri = match.group(2)
        if iri is None:
            return ""  # a comment
        iris.append(iri)
        return f"<{len(iris) - 1}>"

    return _HIDDEN.sub(hide, query), iris


def variable_count(skeleton: str, *, limit: int) -> int:
    """How many distinct variables a query's skeleton names, counted up to ``limit + 1``.

    Counting stops past the limit: a hostile query of 100,000 variables costs
    no more to refuse than one of ``limit + 1``.
    """
    names: set[str] = set()
    for match in _VARIABLE.finditer(skeleton):
        names.add(match.group(1))
        if len(names) > limit:
            break
    return len(names)


_STEP = {"{": 1, "(": 1, "}": -1, ")": -1}


def nesting_depth(skeleton: str) -> int:
    """How deep ``{ }`` and ``( )`` nest, added up in C rather than a Python loop over each."""
    brackets = _NOT_BRACKET.sub("", skeleton)
    return max(accumulate(map(_STEP.__getitem__, brackets), initial=0))


@dataclass(frozen=True)
class QueryFeatures:
    """What the server needs to know of a query before running it."""

    has_from: bool
    has_from_named: bool


_FROM = re.compile(r"\bFROM\s+(NAMED\s+)?<", re.I)


@lru_cache(maxsize=512)
def check_query(
    query: str, *, max_depth: int, max_variables: int, service_allowlist: tuple[str, ...]
) -> QueryFeatures:
    """Raise BadRequest if the query nests too deeply, names too many variables or
    calls a service not allowed.

    Remembered for the last queries seen: clients repeat the same texts.
    """
    skeleton, iris = _skeleton(query)
    depth = nesting_depth(skeleton)
    if depth > max_depth:
        raise BadRequest(
            f"the query nests {{ }} and ( ) {depth} levels deep; at most {max_depth} are "
            "accepted (the max_query_nesting setting)"
        )
    if variable_count(skeleton, limit=max_variables) > max_variables:
        raise BadRequest(
            f"the query names more than {max_variables} distinct variables, the most accepted "
            "(the max_query_variables setting)"
        )
    # Whether a keyword occurs at all is far cheaper to learn than where, ignoring case.
    keywords = skeleton.lower()
    if "service" in keywords:
        _check_services(skeleton, iris, service_allowlist)
    froms = [bool(m.group(1)) for m in _FROM.finditer(skeleton)] if "from" in keywords else []
    return QueryFeatures(has_from=False in froms, has_from_named=True in froms)


def _check_services(skeleton: str, iris: list[str], service_allowlist: tuple[str, ...]) -> None:
    """Raise BadRequest unless every SERVICE calls an endpoint under an allowed prefix."""
    prefixes = {m.group(1) or "": iris[int(m.group(2))] for m in _PREFIX.finditer(skeleton)}
    for match in _SERVICE.finditer(skeleton):
        target = match.group(1)
        if target.startswith("<"):
            iri = iris[int(target[1:-1])]
        elif target[0] in "?$":
            raise BadRequest("SERVICE with a variable endpoint is not allowed on this server")
        else:
            prefix, _, local = target.partition(":")
            iri = prefixes.get(prefix, "") + local
        if not any(iri.startswith(allowed) for allowed in service_allowlist):
            raise BadRequest(
                f"SERVICE <{iri}> is not allowed: this server calls no remote endpoints "
                "unless their prefix is listed in the service_allowlist setting"
            )
