"""Content negotiation, in one place: media types by ``Accept`` (with q-values) or by name.

``Accept`` is read here, never through Werkzeug's ``request.accept_mimetypes``:
Werkzeug parses the header character by character in Python, then matches
every offered type against every media range, two regular expressions a
pair, so a 256 KiB header cost two seconds. :func:`parse_accept` splits the
header once, reads each distinct element once and keeps the best weight of
each media range, so asking about a type is a dictionary look-up and the
cost grows with the header's length alone: under a millisecond for real
headers, a few for the largest head the server accepts (``max_header_bytes``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graphkg.formats import (
    CSV,
    GRAPH_TYPES,
    N_TRIPLES,
    RDF_FORMAT_BY_TYPE,
    SPARQL_JSON,
    SPARQL_XML,
    TURTLE,
)

EXTENSIONS = {
    **{f".{f.file_extension}": t for t, f in RDF_FORMAT_BY_TYPE.items() if t in GRAPH_TYPES},
    ".json": "application/json",
    ".csv": CSV,
    ".html": "text/html",
}
"""Media types by a page's extension (``/id/state/azerbaijan.ttl``)."""

ALIASES = {
    "application/json": SPARQL_JSON,
    "application/xml": SPARQL_XML,
    "text/xml": SPARQL_XML,
    "text/plain": N_TRIPLES,
    "application/x-turtle": TURTLE,
}

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_ELEMENT = re.compile(rf"[ \t]*(?:(({_TOKEN})/({_TOKEN}))[ \t]*(;.*)?)?(.*)", re.S)
"""One element of ``Accept``: its media range and parameters, or else what it holds."""
_WEIGHT = re.compile(r";[ \t]*q[ \t]*=[ \t]*([^;, \t]*)")
_QVALUE = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class AcceptHeader:
    """The weights an ``Accept`` header gives, by how specific the media range is.

    Parameters other than ``q`` are ignored: every type offered here is
    parameterless, and ``text/turtle;charset=utf-8`` still asks for Turtle.
    When ranges repeat, the highest weight counts.
    """

    exact: dict[str, float]
    """``type/subtype`` ranges."""
    partial: dict[str, float]
    """``type/*`` ranges, by type."""
    anything: float | None
    """The ``*/*`` range."""
    listed: bool
    """The header lists something: then what it names no range for is not acceptable."""

    def match(self, media_type: str) -> tuple[float, int]:
        """The weight of ``media_type`` and how specific the range giving it is (2 to 0).

        The most specific range that matches decides (RFC 9110, section 12.5.1);
        a type no range matches has weight 0.
        """
        media_type = media_type.lower()
        if media_type in self.exact:
            return self.exact[media_type], 2
        main_type = media_type.partition("/")[0]
        if main_type in self.partial:
            return self.partial[main_type], 1
        if self.anything is not None:
            return self.anything, 0
        return 0.0, 0


@lru_cache(maxsize=16)
def parse_accept(header: str | None) -> AcceptHeader:
    """The media ranges of an ``Accept`` header, in time linear in its length.

    As Werkzeug does, an element with a weight that is no number from 0 to 1
    is dropped, and one that is no media range (``html``, ``*/json``) is
    listed but matches nothing. The last headers are remembered: a request
    asks about its header several times.
    """
    exact: dict[str, float] = {}
    partial: dict[str, float] = {}
    anything: float | None = None
    listed = False
    # Elements are split at every comma, as Oxigraph server splits them (a comma
    # quoted in a parameter's value, which no client sends, splits one too), and
    # repeated elements are read once.
    for element in set((header or "").lower().split(",")):
        found = _ELEMENT.match(element)
        assert found is not None  # every part of the pattern is optional
        media_range, main_type, subtype, parameters, other = found.groups()
        if other:
            listed = True  # no media range, or something other than parameters follows it
            continue
        if media_range is None:
            continue  # an empty element
        weight = _weight(parameters) if parameters and "q" in parameters else 1.0
        if weight is None:
            continue
        listed = True
        if subtype != "*":
            if main_type != "*":  # */subtype is no media range
                exact[media_range] = max(weight, exact.get(media_range, weight))
        elif main_type != "*":
            partial[main_type] = max(weight, partial.get(main_type, weight))
        else:
            anything = weight if anything is None else max(weight, anything)
    return AcceptHeader(exact, partial, anything, listed)


def _weight(parameters: str) -> float | None:
    """The ``q`` among an element's parameters (1 without one); None if it is malformed."""
    found = _WEIGHT.search(parameters)
    if found is None:
        return 1.0
    if _QVALUE.fullmatch(found.group(1)) is None:
        return None
    weight = float(found.group(1))
    return weight if weight <= 1 else None


def acceptable(accept: str | None, offered: tuple[str, ...]) -> tuple[str, ...]:
    """The offered types the ``Accept`` header accepts, best first (ties keep our order).

    Aliases count too: ``application/json`` asks for SPARQL JSON results.
    Without a header, or with an empty one, everything offered is.
    """
    parsed = parse_accept(accept)
    if not parsed.listed:
        return offered
    scored: list[tuple[float, int, str]] = []
    for index, media_type in enumerate(offered):
        aliases = [alias for alias, target in ALIASES.items() if target == media_type]
        weight = max(parsed.match(candidate)[0] for candidate in [media_type, *aliases])
        if weight > 0:
            scored.append((-weight, index, media_type))
    return tuple(media_type for _, _, media_type in sorted(scored))


def best(accept: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered type the ``Accept`` header prefers; ties go to the first offered."""
    found = acceptable(accept, offered)
    return found[0] if found else None


def best_match(accept: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered type the client names most precisely among those it likes most.

    Ties of weight go to the type a more specific range names, as Werkzeug's
    ``MIMEAccept.best_match`` does: ``application/json, */*`` prefers JSON to
    whatever is offered first. None without a header or when nothing is accepted.
    """
    parsed = parse_accept(accept)
    ranked = [(*parsed.match(media_type), -index) for index, media_type in enumerate(offered)]
    weight, _, index = max(ranked, default=(0.0, 0, 0))
    return offered[-index] if weight > 0 else None


def quality(accept: str | None, media_type: str) -> float:
    """The weight the ``Accept`` header gives ``media_type`` (0 if none, or no header)."""
    return parse_accept(accept).match(media_type)[0]


def content_type(media_type: str) -> str:
    """The Content-Type header for a media type: text formats say they are UTF-8."""
    if media_type.endswith(("json", "xml")):
        return media_type
    return f"{media_type}; charset=utf-8"
