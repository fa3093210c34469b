"""HTML pages: the pieces every page shares, and :func:`init_app` registering them.

A page shows RDF terms as :class:`TermView` values: the text to show (a
label, a CURIE or a literal), where it links (a local page for IRIs under the
base, the Wikidata page for a Wikidata entity, the IRI itself for other web
IRIs) and the language or datatype of a literal, shown only where it tells the
reader something (see :func:`literal_view`). Templates only ever print these
values, and Jinja escapes them; no data is marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Response, render_template, request
from werkzeug.exceptions import BadRequest

from graphkg.namespaces import GKG, PREFIXES, WD, XSD_STRING
from graphkg.ontology import curie
from graphkg.server.state import server_state

RDF_LANG_STRING = PREFIXES["rdf"] + "langString"
XSD = PREFIXES["xsd"]
DATE_TYPES = frozenset(XSD + name for name in ("date", "dateTime", "gYearMonth", "gYear"))
"""Literals a page shows as a ``<time>``: what sets a date apart from a string of digits."""
PLAIN_TYPES = frozenset(
    {XSD_STRING, RDF_LANG_STRING, *DATE_TYPES}
    | {
        XSD + name
        for name in (
            *("integer", "nonNegativeInteger", "positiveInteger", "int", "long"),
            *("decimal", "double", "float", "boolean", "language", "anyURI"),
        )
    }
)
"""Datatypes a reader sees in the value itself (a number, a date, yes or no, a language
code, an address): not written out."""
PAGE_LANGUAGE = "en"
"""The pages' own language: a literal in it carries no visible tag, one in another does."""

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
"""Pages load scripts only from this server: no CDN, and no inline script to inject into."""


@dataclass(frozen=True)
class TermView:
    """An RDF term as a page shows it."""

    text: str
    href: str | None = None
    external: bool = False
    kind: str = "iri"
    """``iri``, ``literal`` or ``blank``."""
    iri: str | None = None
    language: str | None = None
    """A literal's language tag, when it is not the page's own (English)."""
    datatype: str | None = None
    """The CURIE of a literal's datatype, unless the value shows what it is (see PLAIN_TYPES)."""
    hint: str | None = None
    """What a hover shows of a literal: its datatype's CURIE or its language tag."""
    date: bool = False
    """A date, month or year: shown as a ``<time>``."""


@dataclass(frozen=True)
class Twin:
    """Another representation of the same page: a format, its media type and its URL."""

    name: str
    media_type: str
    href: str


def alternates(page: str, formats: list[tuple[str, str, str]]) -> list[Twin]:
    """The page at ``/page`` in each of ``formats`` (a name, a media type and the
    extension after the page's path, ``""`` for the page itself), with the request's
    query string."""
    query = f"?{request.query_string.decode()}" if request.query_string else ""
    path = f"{request.script_root}/{page}"
    return [Twin(name, media_type, f"{path}{ext}{query}") for name, media_type, ext in formats]


def number_argument(name: str, default: int | None, *, most: int) -> int | None:
    """The URL parameter ``name`` as a whole number from 1 to ``most``; 400 otherwise."""
    value = request.args.get(name)
    if value is None:
        return default
    # Length first: int() of thousands of digits is slow, and refused past 4,300.
    if not (value.isdigit() and len(value) <= len(str(most)) and 0 < int(value) <= most):
        raise BadRequest(f"?{name}= takes a whole number from 1 to {most}, not {value[:40]!r}")
    return int(value)


def link_root() -> str:
    """The path under which IRIs of the base are served to this request.

    Behind a reverse proxy that keeps the base's own path (``/graphkg/id/...``)
    links keep it too, so a page's links work wherever the page was reached.
    """
    base_path = mount_path(server_state().settings.base)
    root = request.script_root + "/"
    if base_path != "/" and request.path.startswith(base_path):
        return request.script_root + base_path
    return root


def mount_path(base: str) -> str:
    """The path of a base IRI, e.g. ``/graphkg/`` for https://w3id.org/graphkg/."""
    after_scheme = base.split("://", 1)[1]
    slash = after_scheme.find("/")
    return after_scheme[slash:] if slash >= 0 else "/"


def local_path(iri: str) -> str | None:
    """The path of this server that dereferences ``iri``, if it serves it."""
    base = server_state().settings.base
    if iri.startswith(base):
        return link_root() + iri[len(base) :]
    if iri.startswith(str(GKG)):
        return link_root() + "ontology#" + iri[len(str(GKG)) :]
    return None


def iri_href(iri: str) -> tuple[str | None, bool]:
    """Where a link to ``iri`` goes, and whether that is another site.

    Only http(s) IRIs become external links: data may hold any IRI scheme,
    and a ``javascript:`` IRI must never become a clickable link.
    """
    local = local_path(iri)
    if local is not None:
        return local, False
    if iri.startswith(str(WD)):
        return "https://www.wikidata.org/wiki/" + iri[len(str(WD)) :], True
    if iri.startswith(("http://", "https://")):
        return iri, True
    return None, False


def short_name(iri: str) -> str:
    """A readable name for an IRI with no label: its path under ``{base}id/``, or a CURIE."""
    base = server_state().settings.base
    if iri.startswith(base + "id/"):
        return iri[len(base) + 3 :]
    short = curie(iri)
    if not short.startswith("<"):
        return short
    return iri[len(base) :] if iri.startswith(base) else iri


def iri_view(iri: str, label: str | None = None) -> TermView:
    href, external = iri_href(iri)
    return TermView(label or short_name(iri), href, external, "iri", iri)


def literal_view(
    value: str, *, language: str | None = None, datatype: str | None = None
) -> TermView:
    """A literal as a page shows it: the value, with its type or language only where it matters.

    Numbers, booleans, dates and English text read as what they are, so their
    ``xsd:integer`` or ``@en`` stays in the hover (``hint``); a datatype of
    another kind, or another language, is written beside the value.
    """
    hint = None
    if language:
        hint = f"@{language}"
    elif datatype and datatype != XSD_STRING:
        hint = curie(datatype)
    english = (language or "").lower().split("-")[0] == PAGE_LANGUAGE
    return TermView(
        value,
        kind="literal",
        language=language if language and not english else None,
        datatype=curie(datatype) if datatype and datatype not in PLAIN_TYPES else None,
        hint=hint,
        date=datatype in DATE_TYPES,
    )


def term_view(term: object, labels: dict[str, str] | None = None) -> TermView:
    """A stored term (pyoxigraph) as a page shows it, labelled from ``labels``."""
    if isinstance(term, ox.NamedNode):
        return iri_view(term.value, (labels or {}).get(term.value))
    if isinstance(term, ox.Literal):
        return literal_view(term.value, language=term.language, datatype=term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return TermView(f"_:{term.value}", kind="blank")
    return TermView(str(term), kind="literal")


def binding_view(binding: dict[str, str], labels: dict[str, str] | None = None) -> TermView:
    """A term of SPARQL JSON results (``{"type": "uri", "value": ...}``) as a page shows it,
    an IRI named by its label from ``labels``."""
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return iri_view(value, (labels or {}).get(value))
    if kind == "bnode":
        return TermView(f"_:{value}", kind="blank")
    return literal_view(value, language=binding.get("xml:lang"), datatype=binding.get("datatype"))


@dataclass(frozen=True)
class GraphNode:
    """A node of a graph view: an IRI (or blank node) with the text and link a page gives it."""

    id: str
    label: str
    href: str | None


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    label: str


@dataclass(frozen=True)
class GraphView:
    """Nodes and labelled edges for ``static/graph.js`` to draw, at most :data:`GRAPH_NODE_CAP`."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
    center: str | None
    truncated: bool

    def as_json(self) -> dict[str, object]:
        return {
            "nodes": [{"id": n.id, "label": n.label, "href": n.href} for n in self.nodes],
            "edges": [
                {"source": e.source, "target": e.target, "label": e.label} for e in self.edges
            ],
            "center": self.center,
            "truncated": self.truncated,
        }


GRAPH_NODE_CAP = 80
"""More nodes than this make a drawing nobody can read; the rest is in the table."""


def graph_view(
    edges: Iterable[tuple[str, str, str]], labels: dict[str, str], *, center: str | None = None
) -> GraphView:
    """A graph view of ``(source, edge text, target)`` links between IRIs or ``_:`` blank nodes.

    Nodes come in the order links name them (``center`` first), and links to
    nodes past the cap are left out.
    """
    nodes: dict[str, GraphNode] = {}
    kept: dict[tuple[str, str, str], GraphEdge] = {}
    truncated = False

    def node(term: str) -> bool:
        if term in nodes:
            return True
        if len(nodes) >= GRAPH_NODE_CAP:
            return False
        if term.startswith("_:"):
            nodes[term] = GraphNode(term, term, None)
        else:
            view = iri_view(term, labels.get(term))
            nodes[term] = GraphNode(term, view.text, view.href)
        return True

    if center is not None:
        node(center)
    for source, text, target in edges:
        if node(source) and node(target):
            kept.setdefault((source, text, target), GraphEdge(source, target, text))
        else:
            truncated = True
    return GraphView(list(nodes.values()), list(kept.values()), center, truncated)


def link_header(twins: Iterable[Twin]) -> str:
    """A ``Link`` header naming a page's other representations (as Datasette does)."""
    return ", ".join(f'<{t.href}>; rel="alternate"; type="{t.media_type}"' for t in twins)


def html_response(template: str, *, status: int = 200, **context: object) -> Response:
    """A rendered page, with the content security policy every page carries."""
    response = Response(render_template(template, **context), status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response
