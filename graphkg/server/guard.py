"""Cheap checks of a query's text before any engine sees it.

Oxigraph's parser recurses on nesting and a query of a few thousand nested
groups overflows its stack and kills the process; and ``SERVICE`` would let a
client make the server call any URL. Both are refused here, from the tokens
of the query (strings, IRIs and comments are skipped, so their contents never
count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from werkzeug.exceptions import BadRequest

_IRI = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
_STRING = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", re.S)
_COMMENT = re.compile(r"#[^\n]*")
_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I)
_SERVICE = re.compile(
    r"\bSERVICE\s+(?:SILENT\s+)?(<[^>]*>|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]*|[?$]\w+)", re.I
)


_HIDDEN = re.compile(f"(?P<string>{_STRING.pattern})|{_IRI.pattern}|{_COMMENT.pattern}", re.S)
"""Strings, IRIs and comments: whichever starts first, as a tokenizer would see them."""
_BRACKET = re.compile(r"[{}()]")


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


def nesting_depth(skeleton: str) -> int:
    depth = deepest = 0
    for bracket in _BRACKET.findall(skeleton):
        if bracket in "{(":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


@dataclass(frozen=True)
class QueryFeatures:
    """What the server needs to know of a query before running it."""

    has_from: bool
    has_from_named: bool


_FROM = re.compile(r"\bFROM\s+(NAMED\s+)?<", re.I)


@lru_cache(maxsize=512)
def check_query(query: str, *, max_depth: int, service_allowlist: tuple[str, ...]) -> QueryFeatures:
    """Raise BadRequest if the query nests too deeply or calls a service not allowed.

    Remembered for the last queries seen: clients repeat the same texts.
    """
    skeleton, iris = _skeleton(query)
    depth = nesting_depth(skeleton)
    if depth > max_depth:
        raise BadRequest(
            f"the query nests {{ }} and ( ) {depth} levels deep; at most {max_depth} are accepted"
        )
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX.finditer(_restore(skeleton, iris))}
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
    froms = [bool(match.group(1)) for match in _FROM.finditer(skeleton)]
    return QueryFeatures(has_from=False in froms, has_from_named=True in froms)


def _restore(skeleton: str, iris: list[str]) -> str:
    return re.sub(r"<(\d+)>", lambda m: f"<{iris[int(m.group(1))]}>", skeleton)
