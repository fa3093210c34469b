"""Linked data: every IRI under the base dereferences, as a page for people and RDF for machines.

The IRI a request names is the configured base plus the request path, whatever
host the server listens on (``/id/state/azerbaijan`` is
``{base}id/state/azerbaijan``); a path that starts with the base's own path
(``/graphkg/id/...`` for ``https://w3id.org/graphkg/``) names the same IRI, for
reverse proxies that keep it. The format comes from an extension (``.ttl``,
``.nt``, ``.jsonld``, ``.rdf``, ``.html``) or else from ``Accept``.

A resource's RDF is, over the union of the data graphs, its outgoing triples,
those of the nodes nested under its IRI (``{iri}/evidence/1``,
``{iri}/time/1``, ``{iri}/world/1-1`` ...), and its incoming triples. Graph
IRIs (``/graph/...``) describe the graph; ``/ontology`` lists the ontology's
classes, properties and concept schemes.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, request
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from werkzeug.exceptions import NotAcceptable, NotFound

from graphkg.formats import GRAPH_TYPES, N_TRIPLES, RDF_FORMAT_BY_TYPE, TURTLE
from graphkg.labels import fetch_labels
from graphkg.namespaces import DCTERMS, GKG, OA, PREFIXES, PROV, SCHEMA
from graphkg.ontology import curie, local_name
from graphkg.result_writers import rdf_bytes
from graphkg.server.negotiation import EXTENSIONS, best, content_type
from graphkg.server.pages import (
    GraphView,
    TermView,
    Twin,
    graph_view,
    html_response,
    iri_view,
    link_header,
    local_path,
    mount_path,
    short_name,
    term_view,
)
from graphkg.server.state import server_state
from graphkg.settings import Settings
from graphkg.store import KnowledgeGraph

DEFAULT_BASE = Settings().base
PAGE_TYPES = ("text/html", *GRAPH_TYPES)
EXTENSION_TYPES = {ext: t for ext, t in EXTENSIONS.items() if t in PAGE_TYPES}
TWIN_NAMES = {media_type: RDF_FORMAT_BY_TYPE[media_type].name for media_type in GRAPH_TYPES}
CONCEPT_SEGMENTS = tuple(
    iri[len(DEFAULT_BASE) : -1]
    for iri in PREFIXES.values()
    if iri.startswith(DEFAULT_BASE) and iri.endswith("/")
)
"""Concept namespaces under the default base (``incident-kind``, ``role`` ...)."""

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
WORLD_KNOWLEDGE = str(GKG.WorldKnowledge)
TYPE = str(RDF.type)
NESTED_DEPTH = 4
"""How deep nested nodes are shown inside each other on a page."""


def make_blueprint(settings: Settings) -> Blueprint:
    """The linked-data routes for ``settings.base``: at ``/`` and at the base's own path."""
    # One endpoint per rule: rules that share an endpoint and differ in defaults
    # make Werkzeug redirect the URLs of one to the other.
    blueprint = Blueprint("resources", __name__)
    segments = ["id", "graph"]
    if settings.base == DEFAULT_BASE:
        segments.extend(CONCEPT_SEGMENTS)
    mounts = ["/"]
    if (own := mount_path(settings.base)) != "/":
        mounts.append(own)
    for mount in mounts:
        for segment in segments:
            blueprint.add_url_rule(
                f"{mount}{segment}/<path:rest>",
                endpoint=f"resource {mount}{segment}",
                view_func=resource,
                defaults={"mount": mount},
            )
        blueprint.add_url_rule(
            f"{mount}ontology",
            endpoint=f"ontology {mount}",
            view_func=ontology,
            defaults={"ext": ""},
        )
        blueprint.add_url_rule(
            f"{mount}ontology.<ext>", endpoint=f"ontology {mount} ext", view_func=ontology
        )
    return blueprint


# -- what the store says about an IRI ------------------------------------------


@dataclass(frozen=True)
class Description:
    """What the store says about one IRI: its triples, its nested nodes', and links to it."""

    iri: str
    outgoing: list[ox.Triple]
    """Triples of the resource and of the nodes nested under its IRI."""
    incoming: list[ox.Triple]
    """Triples from elsewhere that point to the resource."""
    truncated: bool

    @property
    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming)

    def triples(self) -> list[ox.Triple]:
        return sorted(
            {*self.outgoing, *self.incoming},
            key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
        )


def describe(kg: KnowledgeGraph, iri: str, *, cap: int) -> Description:
    """The triples about ``iri``, its nested nodes (IRIs under ``{iri}/``) and links to it.

    Each lookup binds one node, so the cost follows the size of the
    description, not of the store; ``cap`` bounds the triples read.
    """
    root = ox.NamedNode(iri)
    nested = iri + "/"
    frontier: deque[ox.NamedNode] = deque([root])
    seen = {iri}
    incoming: list[ox.Triple] = []
    truncated = False
    for triple in kg.union_triples(obj=root):
        subject = triple.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(nested):
            if subject.value not in seen:
                seen.add(subject.value)
                frontier.append(subject)
        elif len(incoming) < cap:
            incoming.append(triple)
        else:
            truncated = True
            break
    outgoing: list[ox.Triple] = []
    while frontier and not truncated:
        node = frontier.popleft()
        for triple in kg.union_triples(subject=node):
            if len(outgoing) >= cap:
                truncated = True
                break
            value = triple.object
            outgoing.append(triple)
            if (
                isinstance(value, ox.NamedNode)
                and value.value.startswith(nested)
                and value.value not in seen
            ):
                seen.add(value.value)
                frontier.append(value)
    return Description(iri, outgoing, incoming, truncated)


# -- the view -------------------------------------------------------------------


def resource(mount: str, rest: str) -> Response:
    """Dereference the IRI this path names, as HTML or RDF."""
    state = server_state()
    kg = state.view.graph
    iri, media_type = _requested(request.path[len(mount) :], kg)
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise NotFound(f"{request.path} names no IRI this server describes") from None
    media_type = media_type or best(request.headers.get("Accept"), PAGE_TYPES)
    if media_type is None:
        raise NotAcceptable("resources are served as " + ", ".join(PAGE_TYPES))
    page = local_path(iri) or request.path
    twins = _twins(page)
    etag = _etag(state.view.version, iri, media_type)
    if etag in request.if_none_match:
        return _not_modified(etag, twins)
    if kg.has_graph(iri):
        response = _graph_response(kg, iri, media_type, twins)
    else:
        description = describe(kg, iri, cap=state.settings.result_cap)
        if not description.exists:
            return _not_found(iri, media_type)
        if media_type == "text/html":
            response = html_response(
                "resource.html",
                page=resource_page(kg, description, show_article_text=_show_text()),
                twins=twins,
            )
        else:
            response = _rdf(description.triples(), media_type)
    return _finish(response, etag, twins)


def _requested(path: str, kg: KnowledgeGraph) -> tuple[str, str | None]:
    """The IRI a path names and the media type its extension asks for, if any."""
    base = server_state().settings.base
    for extension, media_type in EXTENSION_TYPES.items():
        if path.endswith(extension) and not _known(kg, base + path):
            return base + path[: -len(extension)], media_type
    return base + path, None


def _known(kg: KnowledgeGraph, iri: str) -> bool:
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return bool(kg.query("ASK { { ?r ?p ?o } UNION { ?s ?p ?r } }", substitutions={"r": node}))


def _show_text() -> bool:
    return server_state().settings.show_article_text


def _twins(page: str) -> list[Twin]:
    path, _, _ = page.partition("#")
    extensions = {t: ext for ext, t in EXTENSION_TYPES.items()}
    return [
        Twin("HTML", "text/html", path),
        *(Twin(name, t, path + extensions[t]) for t, name in TWIN_NAMES.items()),
    ]


def _etag(version: str, iri: str, media_type: str) -> str:
    representation = hashlib.sha256(f"{iri}\n{media_type}".encode()).hexdigest()[:20]
    return f"{version}-{representation}"


def _not_modified(etag: str, twins: list[Twin]) -> Response:
    return _finish(Response(status=304), etag, twins)


def _finish(response: Response, etag: str, twins: list[Twin]) -> Response:
    response.set_etag(etag)
    response.headers["Link"] = link_header(twins)
    response.vary.add("Accept")
    return response


def _rdf(triples: Iterable[ox.Triple], media_type: str) -> Response:
    body = rdf_bytes(triples, RDF_FORMAT_BY_TYPE[media_type])
    return Response(body, content_type=content_type(media_type))


def _not_found(iri: str, media_type: str) -> Response:
    """404 in the format asked for: an error page, or an empty RDF graph saying why."""
    if media_type == "text/html":
        raise NotFound(f"nothing is known about <{iri}> in this knowledge graph")
    body = rdf_bytes([], RDF_FORMAT_BY_TYPE[media_type])
    if media_type in (TURTLE, N_TRIPLES):
        body = f"# 404 Not Found: nothing is known about <{iri}>\n".encode() + body
    response = Response(body, 404, content_type=content_type(media_type))
    response.vary.add("Accept")
    return response


# -- resource pages -------------------------------------------------------------


@dataclass(frozen=True)
class QuoteView:
    """A verbatim evidence quote, and where in which article it is."""

    text: str
    article: TermView | None
    href: str | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class ValueView:
    """One value of a property: a term, or a nested node with its own rows, or a quote."""

    term: TermView
    rows: list[PropertyRow] = field(default_factory=list)
    quote: QuoteView | None = None
    world: bool = False
    """The statement is world knowledge, not something an article says (see its sources)."""


@dataclass(frozen=True)
class PropertyRow:
    predicate: TermView
    values: list[ValueView]


@dataclass(frozen=True)
class WorldView:
    """A statement about the resource known from outside the articles, with its sources."""

    predicate: TermView
    value: TermView
    sources: list[TermView]
    notes: list[str]


@dataclass(frozen=True)
class IncomingView:
    subject: TermView
    predicate: TermView


@dataclass(frozen=True)
class FactRef:
    """A fact with evidence in an article, numbered in order of its first quote."""

    number: int
    term: TermView


@dataclass(frozen=True)
class EvidenceSpan:
    """An evidence quote's place in an article's text (Python ``str`` indices, end exclusive)."""

    start: int
    end: int
    fact: str


@dataclass(frozen=True)
class Segment:
    """A stretch of text between quote boundaries, and the facts whose quotes cover it."""

    start: int
    end: int
    facts: tuple[str, ...]


@dataclass(frozen=True)
class SegmentView:
    """A stretch of an article's text; where quoted, the facts it is evidence for.

    The text links to the first fact; every fact's number is a link of its own,
    and hovering or focusing the quote lists them all with their names.
    """

    start: int
    text: str
    facts: list[FactRef]


@dataclass(frozen=True)
class PassageView:
    anchor: str | None
    text: str
    facts: list[FactRef]


@dataclass(frozen=True)
class ArticleView:
    """An article's text with its evidence highlighted, or only the quoted passages."""

    segments: list[SegmentView] | None
    passages: list[PassageView]
    facts: list[FactRef]
    text_hidden: bool


@dataclass(frozen=True)
class ResourcePage:
    title: str
    iri: str
    types: list[TermView]
    same_as: list[TermView]
    rows: list[PropertyRow]
    evidence: list[QuoteView]
    world: list[WorldView]
    incoming: list[IncomingView]
    truncated: bool
    article: ArticleView | None
    graph: GraphView


def highlight_segments(length: int, spans: Iterable[EvidenceSpan]) -> list[Segment]:
    """Cut a text of ``length`` characters at every quote boundary.

    Quotes may overlap or nest, so a highlight cannot simply wrap each quote:
    each segment between two boundaries carries every fact whose quote covers
    it (shortest quote first: the most specific fact leads). Spans outside the
    text are left out.
    """
    valid = sorted(
        (s for s in spans if 0 <= s.start < s.end <= length), key=lambda s: (s.start, s.end)
    )
    bounds = sorted({0, length, *(s.start for s in valid), *(s.end for s in valid)})
    segments: list[Segment] = []
    active: list[EvidenceSpan] = []
    pending = deque(valid)
    for start, end in pairwise(bounds):
        while pending and pending[0].start <= start:
            active.append(pending.popleft())
        active = [s for s in active if s.end > start]
        ordered = sorted(active, key=lambda s: (s.end - s.start, s.start, s.fact))
        facts = tuple(dict.fromkeys(s.fact for s in ordered))
        segments.append(Segment(start, end, facts))
    return segments


def _index(triples: Iterable[ox.Triple]) -> dict[str, dict[str, list[ox.Term]]]:
    index: dict[str, dict[str, list[ox.Term]]] = {}
    for triple in triples:
        values = index.setdefault(triple.subject.value, {}).setdefault(triple.predicate.value, [])
        if triple.object not in values:
            values.append(triple.object)
    return index


def resource_page(
    kg: KnowledgeGraph, description: Description, *, show_article_text: bool
) -> ResourcePage:
    """The page of a resource: what it is, what it says, its evidence and what links to it."""
    iri = description.iri
    index = _index(description.outgoing)
    own = index.get(iri, {})
    labels = fetch_labels(
        kg,
        (
            term.value
            for triple in [*description.outgoing, *description.incoming]
            for term in (triple.subject, triple.predicate, triple.object)
            if isinstance(term, ox.NamedNode)
        ),
    )
    world = _world(iri, index, labels)
    world_keys = {(w.predicate.iri, w.value.iri or w.value.text) for w in world}
    builder = _RowBuilder(iri, index, labels, world_keys)
    hidden = {TYPE, str(GKG.evidence), str(GKG.text)}
    rows = builder.rows(iri, skip=hidden, depth=0)
    evidence = [
        quote
        for node in own.get(str(GKG.evidence), [])
        if (quote := builder.quote(node.value)) is not None
    ]
    types = [term_view(t, labels) for t in own.get(TYPE, [])]
    article = None
    if any(t.value == str(GKG.Article) for t in own.get(TYPE, [])):
        texts = [t.value for t in own.get(str(GKG.text), []) if isinstance(t, ox.Literal)]
        article = article_view(kg, iri, texts[0] if texts else None, show_text=show_article_text)
    incoming = sorted(
        (
            IncomingView(term_view(t.subject, labels), term_view(t.predicate, labels))
            for t in description.incoming
        ),
        key=lambda v: (v.predicate.text.lower(), v.subject.text.lower()),
    )
    return ResourcePage(
        title=labels.get(iri) or short_name(iri),
        iri=iri,
        types=types,
        same_as=[term_view(v, labels) for v in own.get(str(SCHEMA.sameAs), [])],
        rows=rows,
        evidence=sorted(
            evidence, key=lambda q: (q.article.text if q.article else "", q.start or 0)
        ),
        world=world,
        incoming=incoming,
        truncated=description.truncated,
        article=article,
        graph=neighbourhood(description, index, labels),
    )


GRAPH_SKIPPED = frozenset({TYPE, str(GKG.evidence)})
"""Links a graph view leaves out: types (on the page above it) and evidence (in the text)."""


def neighbourhood(
    description: Description, index: dict[str, dict[str, list[ox.Term]]], labels: dict[str, str]
) -> GraphView:
    """A graph view of a resource: what it links to and what links to it.

    A link through a nested node is drawn as one edge (an incident's agent,
    through its participation node, is "involves · agent").
    """
    iri = description.iri
    edges: list[tuple[str, str, str]] = []

    def name(predicate: str) -> str:
        return labels.get(predicate) or short_name(predicate)

    def follow(node: str, path: tuple[str, ...], depth: int) -> None:
        for predicate, values in index.get(node, {}).items():
            if predicate in GRAPH_SKIPPED:
                continue
            for value in values:
                if not isinstance(value, ox.NamedNode):
                    continue
                steps = (*path, name(predicate))
                if not value.value.startswith(iri + "/"):
                    edges.append((iri, " · ".join(steps), value.value))
                elif depth < NESTED_DEPTH:
                    follow(value.value, steps, depth + 1)

    follow(iri, (), 0)
    for triple in description.incoming:
        if triple.predicate.value not in GRAPH_SKIPPED and isinstance(triple.subject, ox.NamedNode):
            edges.append((triple.subject.value, name(triple.predicate.value), iri))
    return graph_view(edges, labels, center=iri)


class _RowBuilder:
    """Property rows of a resource and its nested nodes, from an index of their triples."""

    def __init__(
        self,
        iri: str,
        index: dict[str, dict[str, list[ox.Term]]],
        labels: dict[str, str],
        world_keys: set[tuple[str | None, str]],
    ) -> None:
        self.iri = iri
        self.index = index
        self.labels = labels
        self.world_keys = world_keys

    def rows(self, node: str, *, skip: set[str], depth: int) -> list[PropertyRow]:
        rows = [
            PropertyRow(
                term_view(ox.NamedNode(predicate), self.labels),
                [self.value(predicate, value, depth) for value in values],
            )
            for predicate, values in self.index.get(node, {}).items()
            if predicate not in skip
        ]
        return sorted(
            rows, key=lambda r: (r.predicate.iri != str(RDFS.label), r.predicate.text.lower())
        )

    def value(self, predicate: str, value: ox.Term, depth: int) -> ValueView:
        term = term_view(value, self.labels)
        if (
            isinstance(value, ox.NamedNode)
            and value.value.startswith(self.iri + "/")
            and value.value in self.index
            and depth < NESTED_DEPTH
        ):
            quote = self.quote(value.value)
            if quote is not None:
                return ValueView(term, quote=quote)
            return ValueView(term, rows=self.rows(value.value, skip=set(), depth=depth + 1))
        key = term.iri or term.text
        return ValueView(term, world=depth == 0 and (predicate, key) in self.world_keys)

    def quote(self, node: str) -> QuoteView | None:
        """An evidence node as its quote and a link to the highlight in its article."""
        props = self.index.get(node, {})
        selectors = props.get(str(OA.hasSelector), [])
        if not selectors:
            return None
        exact, start, end = "", None, None
        for selector in selectors:
            found = self.index.get(selector.value, {})
            exact = next((v.value for v in found.get(str(OA.exact), [])), exact)
            start = next((_int(v) for v in found.get(str(OA.start), [])), start)
            end = next((_int(v) for v in found.get(str(OA.end), [])), end)
        sources = props.get(str(OA.hasSource), [])
        article = term_view(sources[0], self.labels) if sources else None
        href = None
        if article is not None and article.href and not article.external:
            href = article.href + (f"#at-{start}" if start is not None else "")
        return QuoteView(exact, article, href, start, end)


def _int(term: ox.Term) -> int | None:
    try:
        return int(term.value)
    except (ValueError, AttributeError):
        return None


def _world(
    iri: str, index: dict[str, dict[str, list[ox.Term]]], labels: dict[str, str]
) -> list[WorldView]:
    found: list[WorldView] = []
    for node in sorted(index):
        props = index[node]
        if not any(t.value == WORLD_KNOWLEDGE for t in props.get(TYPE, [])):
            continue
        if not any(t.value == iri for t in props.get(str(RDF.subject), [])):
            continue
        for predicate in props.get(str(RDF.predicate), []):
            for value in props.get(str(RDF.object), []):
                found.append(
                    WorldView(
                        term_view(predicate, labels),
                        term_view(value, labels),
                        [term_view(s, labels) for s in props.get(str(PROV.wasDerivedFrom), [])],
                        [c.value for c in props.get(str(RDFS.comment), [])],
                    )
                )
    return found


ARTICLE_EVIDENCE = """
SELECT DISTINCT ?a ?fact ?start ?end ?exact WHERE {
  ?evidence oa:hasSource ?a ; oa:hasSelector ?position .
  ?position oa:start ?start ; oa:end ?end .
  OPTIONAL { ?evidence oa:hasSelector/oa:exact ?exact }
  ?fact gkg:evidence ?evidence .
} ORDER BY ?start ?end ?fact"""


def article_view(kg: KnowledgeGraph, iri: str, text: str | None, *, show_text: bool) -> ArticleView:
    """The article's text with every evidence quote highlighted and linked to its facts.

    With ``show_text`` off (public deployments) only the quoted passages are
    shown, never the text between them.
    """
    rows = kg.query(ARTICLE_EVIDENCE, substitutions={"a": ox.NamedNode(iri)})
    assert isinstance(rows, ox.QuerySolutions)
    spans: list[EvidenceSpan] = []
    exacts: dict[tuple[int, int], str] = {}
    for row in rows:
        start, end = _int(row["start"]), _int(row["end"])
        if start is None or end is None:
            continue
        spans.append(EvidenceSpan(start, end, row["fact"].value))
        if row["exact"] is not None:
            exacts[(start, end)] = row["exact"].value
    if text is not None:
        spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    order = list(dict.fromkeys(s.fact for s in sorted(spans, key=lambda s: (s.start, s.end))))
    labels = fetch_labels(kg, order)
    facts = {
        fact: FactRef(number, iri_view(fact, labels.get(fact)))
        for number, fact in enumerate(order, start=1)
    }
    passages: list[PassageView] = []
    anchored: set[int] = set()
    by_span: dict[tuple[int, int], list[str]] = {}
    for span in spans:
        by_span.setdefault((span.start, span.end), []).append(span.fact)
    for (start, end), span_facts in sorted(by_span.items()):
        passage = text[start:end] if text is not None else exacts.get((start, end), "")
        passages.append(
            PassageView(
                None if start in anchored else f"at-{start}",
                passage,
                [facts[f] for f in dict.fromkeys(span_facts)],
            )
        )
        anchored.add(start)
    segments = None
    if show_text and text is not None:
        segments = [
            SegmentView(s.start, text[s.start : s.end], [facts[f] for f in s.facts])
            for s in highlight_segments(len(text), spans)
        ]
    return ArticleView(segments, passages, list(facts.values()), text_hidden=not show_text)


# -- graph pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class GraphPage:
    title: str
    iri: str
    triples: int
    article: TermView | None
    subjects: list[TermView]
    truncated: bool
    download: str


def _graph_response(kg: KnowledgeGraph, iri: str, media_type: str, twins: list[Twin]) -> Response:
    node = ox.NamedNode(iri)
    rows = kg.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        substitutions={"g": node},
    )
    assert isinstance(rows, ox.QuerySolutions)
    count = next((int(row["n"].value) for row in rows), 0)
    download = f"{request.script_root}/rdf-graphs/service?graph={quote(iri, safe='')}"
    if media_type != "text/html":
        absolute = request.host_url.rstrip("/") + download
        triples = [
            ox.Triple(node, ox.NamedNode(TYPE), ox.NamedNode(SD + "Graph")),
            ox.Triple(node, ox.NamedNode(TYPE), ox.NamedNode(VOID + "Dataset")),
            ox.Triple(
                node, ox.NamedNode(VOID + "triples"), ox.Literal(str(count), datatype=XSD_INTEGER)
            ),
            ox.Triple(node, ox.NamedNode(VOID + "dataDump"), ox.NamedNode(absolute)),
        ]
        return _rdf(triples, media_type)
    cap = server_state().settings.result_cap
    rows = kg.query(
        "SELECT ?g ?a WHERE { GRAPH ?g { ?a a gkg:Article } } LIMIT 1", substitutions={"g": node}
    )
    assert isinstance(rows, ox.QuerySolutions)
    articles = [row["a"].value for row in rows]
    rows = kg.query(
        f"SELECT DISTINCT ?g ?s WHERE {{ GRAPH ?g {{ ?s a ?type }} }} ORDER BY ?s LIMIT {cap + 1}",
        substitutions={"g": node},
    )
    assert isinstance(rows, ox.QuerySolutions)
    subjects: list[str] = []
    for row in rows:
        subject = row["s"]
        if isinstance(subject, ox.NamedNode) and not any(
            subject.value.startswith(s + "/") for s in subjects[-NESTED_DEPTH:]
        ):
            subjects.append(subject.value)
    labels = fetch_labels(kg, [*articles, *subjects[:cap]])
    page = GraphPage(
        title=f"Graph {short_name(iri)}",
        iri=iri,
        triples=count,
        article=iri_view(articles[0], labels.get(articles[0])) if articles else None,
        subjects=[iri_view(s, labels.get(s)) for s in subjects[:cap]],
        truncated=len(subjects) > cap,
        download=download,
    )
    return html_response("graph.html", page=page, twins=twins)


# -- the ontology ----------------------------------------------------------------------


@dataclass(frozen=True)
class TermEntry:
    """A class, property or concept of the ontology, as the ontology page lists it."""

    anchor: str
    term: TermView
    curie: str
    definition: str
    parents: list[TermView]
    domain: list[TermView]
    range: list[TermView]


@dataclass(frozen=True)
class SchemeEntry:
    entry: TermEntry
    concepts: list[TermEntry]


@dataclass(frozen=True)
class OntologyPage:
    title: str
    description: str
    version: str
    classes: list[TermEntry]
    properties: list[TermEntry]
    schemes: list[SchemeEntry]


def ontology(ext: str) -> Response:
    """The ontology: classes, properties and concept schemes with labels and definitions."""
    extension = f".{ext}" if ext else ""
    media_type: str | None
    if extension:
        media_type = EXTENSION_TYPES.get(extension)
        if media_type is None:
            raise NotFound(
                f"no ontology{extension}; try " + ", ".join(f"ontology{e}" for e in EXTENSION_TYPES)
            )
    else:
        media_type = best(request.headers.get("Accept"), PAGE_TYPES)
        if media_type is None:
            raise NotAcceptable("the ontology is served as " + ", ".join(PAGE_TYPES))
    state = server_state()
    kg = state.view.graph
    page = request.path[: len(request.path) - len(extension)]
    twins = _twins(page)
    etag = _etag(state.view.version, "ontology", media_type)
    if etag in request.if_none_match:
        return _not_modified(etag, twins)
    ontology_triples = stored_ontology(kg)
    if media_type == "text/html":
        response = html_response("ontology.html", page=ontology_page(ontology_triples), twins=twins)
    else:
        ordered = sorted(
            ontology_triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
        )
        response = _rdf(ordered, media_type)
    return _finish(response, etag, twins)


def stored_ontology(kg: KnowledgeGraph) -> list[ox.Triple]:
    """The triples of the store's copy of the ontology, which its pages describe."""
    triples = kg.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
        substitutions={"g": kg.ontology_graph},
    )
    assert isinstance(triples, ox.QueryTriples)
    return list(triples)


def ontology_page(triples: list[ox.Triple]) -> OntologyPage:
    index = _index(triples)
    labels: dict[str, str] = {}
    for subject, props in index.items():
        for predicate in (str(RDFS.label), str(SKOS.prefLabel)):
            english = [
                v.value for v in props.get(predicate, []) if getattr(v, "language", "") == "en"
            ]
            if english:
                labels.setdefault(subject, english[0])

    def typed(*kinds: str) -> list[str]:
        return sorted(
            (s for s, props in index.items() if any(t.value in kinds for t in props.get(TYPE, []))),
            key=lambda s: (not s.startswith(str(GKG)), (labels.get(s) or s).lower()),
        )

    def values(subject: str, predicate: str) -> list[TermView]:
        return [term_view(v, labels) for v in index.get(subject, {}).get(predicate, [])]

    def entry(subject: str, parent: str) -> TermEntry:
        props = index.get(subject, {})
        definition = next(
            (
                v.value
                for p in (str(SKOS.definition), str(RDFS.comment))
                for v in props.get(p, [])
                if getattr(v, "language", "en") in ("en", "")
            ),
            "",
        )
        anchor = local_name(subject) if subject.startswith(str(GKG)) else curie(subject)
        return TermEntry(
            anchor=anchor,
            term=iri_view(subject, labels.get(subject)),
            curie=curie(subject),
            definition=definition,
            parents=values(subject, parent),
            domain=values(subject, str(RDFS.domain)),
            range=values(subject, str(RDFS.range)),
        )

    about = next(
        (
            s
            for s, props in index.items()
            if any(t.value == str(OWL.Ontology) for t in props.get(TYPE, []))
        ),
        None,
    )
    about_props = index.get(about or "", {})
    schemes = []
    for scheme in typed(str(SKOS.ConceptScheme)):
        members = sorted(
            (
                s
                for s, props in index.items()
                if any(
                    v.value == scheme
                    for p in (str(SKOS.topConceptOf), str(SKOS.inScheme))
                    for v in props.get(p, [])
                )
            ),
            key=lambda s: (labels.get(s) or s).lower(),
        )
        schemes.append(
            SchemeEntry(
                entry(scheme, str(SKOS.broader)),
                [entry(member, str(SKOS.broader)) for member in members],
            )
        )
    return OntologyPage(
        title=next((v.value for v in about_props.get(str(DCTERMS.title), [])), "Ontology"),
        description=next((v.value for v in about_props.get(str(DCTERMS.description), [])), ""),
        version=next((v.value for v in about_props.get(str(OWL.versionInfo), [])), ""),
        classes=[entry(c, str(RDFS.subClassOf)) for c in typed(str(OWL.Class))],
        properties=[
            entry(p, str(RDFS.subPropertyOf))
            for p in typed(
                str(OWL.ObjectProperty), str(OWL.DatatypeProperty), str(OWL.AnnotationProperty)
            )
        ],
        schemes=schemes,
    )
