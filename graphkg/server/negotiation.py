"""Content negotiation, in one place: media types by ``Accept`` (with q-values) or by name."""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import MIMEAccept

SOLUTION_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_TYPES = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
)
DATASET_TYPES = ("application/n-quads", "application/trig")

FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    # name: (type for SELECT/ASK, type for graphs), as Fuseki's ?format=
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "ntriples": (None, "application/n-triples"),
    "nt": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"),
    "rdfxml": (None, "application/rdf+xml"),
}

EXTENSIONS = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".json": "application/json",
    ".csv": "text/csv",
    ".html": "text/html",
}

ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
}


def acceptable(accept: MIMEAccept, offered: tuple[str, ...]) -> tuple[str, ...]:
    """The offered types the client accepts, best first (ties keep our order).

    Aliases count too: ``application/json`` asks for SPARQL JSON results.
    """
    if not accept:
        return offered
    return _acceptable(tuple(accept), offered)


@lru_cache(maxsize=1024)
def _acceptable(values: tuple[tuple[str, float], ...], offered: tuple[str, ...]) -> tuple[str, ...]:
    """Memoized: clients send a handful of distinct ``Accept`` headers, each request asks."""
    accept = MIMEAccept(values)
    scored: list[tuple[float, int, str]] = []
    for index, media_type in enumerate(offered):
        aliases = [alias for alias, target in ALIASES.items() if target == media_type]
        quality = max(accept.quality(candidate) for candidate in [media_type, *aliases])
        if quality > 0:
            scored.append((-quality, index, media_type))
    return tuple(media_type for _, _, media_type in sorted(scored))


def best(accept: MIMEAccept, offered: tuple[str, ...]) -> str | None:
    found = acceptable(accept, offered)
    return found[0] if found else None


def content_type(media_type: str) -> str:
    """The Content-Type header for a media type: text formats say they are UTF-8."""
    if media_type.endswith(("json", "xml")):
        return media_type
    return f"{media_type}; charset=utf-8"
