"""HTML pages: the pieces every page shares, and :func:`init_app` registering them.

A page shows RDF terms as :class:`TermView` values: the text to show (a
label, a CURIE or a literal), where it links (a local page for IRIs under the
base, the Wikidata page for a Wikidata entity, the IRI itself for other web
IRIs) and the language or datatype of a literal. Templates only ever print
these values, and Jinja escapes them; no data is marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Response, render_template, request

from graphkg.namespaces import GKG, PREFIXES, WD, XSD_STRING
from graphkg.ontology import curie
from graphkg.server.state import server_state
from graphkg.store import KnowledgeGraph

RDF_LANG_STRING = PREFIXES["rdf"] + "langString"
LABEL_PROPERTIES = ("rdfs:label", "skos:prefLabel", "gkg:title", "dcterms:title")
"""Properties whose values name a resource on a page, in order of preference."""

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
    datatype: str | None = None
    """The CURIE of a literal's datatype, unless it is a plain or language-tagged string."""


@dataclass(frozen=True)
class Twin:
    """Another representation of the same page: a format, its media type and its URL."""

    name: str
    media_type: str
    href: str


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
    shown = None if datatype in (None, XSD_STRING, RDF_LANG_STRING) else curie(datatype)
    return TermView(value, kind="literal", language=language or None, datatype=shown)


def term_view(term: object, labels: dict[str, str] | None = None) -> TermView:
    """A stored term (pyoxigraph) as a page shows it, labelled from ``labels``."""
    if isinstance(term, ox.NamedNode):
        return iri_view(term.value, (labels or {}).get(term.value))
    if isinstance(term, ox.Literal):
        return literal_view(term.value, language=term.language, datatype=term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return TermView(f"_:{term.value}", kind="blank")
    return TermView(str(term), kind="literal")


def binding_view(binding: dict[str, str]) -> TermView:
    """A term of SPARQL JSON results (``{"type": "uri", "value": ...}``) as a page shows it."""
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return iri_view(value)
    if kind == "bnode":
        return TermView(f"_:{value}", kind="blank")
    return literal_view(value, language=binding.get("xml:lang"), datatype=binding.get("datatype"))


DESCRIPTION = "https://w3id.org/graphkg/ontology#description"
"""Events have no name: their steward's short description stands in for a label."""


def choose_label(candidates: Iterable[tuple[str, str]]) -> str | None:
    """The label to show among (text, language) pairs: English, then untagged, then any."""
    ranked = sorted(
        candidates, key=lambda c: (0 if c[1] == "en" else 1 if c[1] == "" else 2, c[1], c[0])
    )
    return ranked[0][0] if ranked else None


def fetch_labels(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, str]:
    """The labels of stored IRIs, one per IRI that has any (see :data:`LABEL_PROPERTIES`).

    The IRIs come from the store, and each is written through ``NamedNode``,
    which rejects anything that is not an IRI.
    """
    wanted = sorted(set(iris))
    found: dict[str, list[tuple[str, str]]] = {}
    described: dict[str, list[tuple[str, str]]] = {}
    properties = " ".join((*LABEL_PROPERTIES, "gkg:description"))
    for start in range(0, len(wanted), 200):
        values = " ".join(str(ox.NamedNode(iri)) for iri in wanted[start : start + 200])
        rows = kg.query(
            f"SELECT ?x ?p ?label WHERE {{ VALUES ?x {{ {values} }} "
            f"VALUES ?p {{ {properties} }} ?x ?p ?label }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            label = row["label"]
            if isinstance(label, ox.Literal):
                into = described if row["p"].value == DESCRIPTION else found
                into.setdefault(row["x"].value, []).append((label.value, label.language or ""))
    return {
        iri: label
        for iri in wanted
        if (label := choose_label(found.get(iri) or described.get(iri, [])))
    }


def link_header(twins: Iterable[Twin]) -> str:
    """A ``Link`` header naming a page's other representations (as Datasette does)."""
    return ", ".join(f'<{t.href}>; rel="alternate"; type="{t.media_type}"' for t in twins)


def html_response(template: str, *, status: int = 200, **context: object) -> Response:
    """A rendered page, with the content security policy every page carries."""
    response = Response(render_template(template, **context), status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response
