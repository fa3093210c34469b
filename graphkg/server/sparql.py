"""The SPARQL 1.1 Protocol endpoint at ``/sparql``, and its service description."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from flask import Blueprint, Response, g, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    InternalServerError,
    NotAcceptable,
    UnsupportedMediaType,
)

from graphkg.formats import FORMAT_NAMES, GRAPH_TYPES, RDFLIB_NAMES, SOLUTION_TYPES
from graphkg.query_pool import PoolBusy, QueryJob, QueryOutcome, QueryTimeout
from graphkg.server.errors import QueryTimedOut, ServerBusy
from graphkg.server.guard import check_query
from graphkg.server.negotiation import acceptable, best, content_type
from graphkg.server.state import server_state

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

blueprint = Blueprint("sparql", __name__)

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
READ_ONLY = (
    "this endpoint is read-only: POST SPARQL Update to /update, with a write token "
    "(`Authorization: Bearer TOKEN`)"
)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"the request body is not valid UTF-8 (byte {error.start})") from None


def _protocol_request() -> tuple[list[str], list[str], list[str]]:
    """The query texts, default-graph-uri and named-graph-uri of the request."""
    if request.method in ("GET", "HEAD"):
        params = request.args
        if "update" in params:
            # The protocol has no update by GET: a link or a crawler must never change data.
            raise BadRequest(
                "SPARQL Update is never sent by GET: POST it as `update` (SPARQL 1.1 "
                "Protocol) to /update, with a write token"
            )
        return (
            params.getlist("query"),
            params.getlist("default-graph-uri"),
            params.getlist("named-graph-uri"),
        )
    content_type = request.mimetype
    if content_type == FORM_TYPE:
        _decode(request.get_data(cache=True))
        form = request.form
        if "update" in form:
            raise Forbidden(READ_ONLY)
        return (
            form.getlist("query"),
            form.getlist("default-graph-uri") + request.args.getlist("default-graph-uri"),
            form.getlist("named-graph-uri") + request.args.getlist("named-graph-uri"),
        )
    if content_type == QUERY_TYPE:
        return (
            [_decode(request.get_data())],
            request.args.getlist("default-graph-uri"),
            request.args.getlist("named-graph-uri"),
        )
    if content_type == UPDATE_TYPE:
        raise Forbidden(READ_ONLY)
    raise UnsupportedMediaType(
        f"unsupported content type {content_type or '(none)'!r}: send {FORM_TYPE} or {QUERY_TYPE}"
    )


def _result_types() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Acceptable result types for solutions and for graphs, from ?format= or Accept."""
    name = request.values.get("format")
    if name in FORMAT_NAMES:
        solution, graph = FORMAT_NAMES[name]
        return ((solution,) if solution else ()), ((graph,) if graph else ())
    if name and "/" in name:
        return tuple(t for t in SOLUTION_TYPES if t == name), tuple(
            t for t in GRAPH_TYPES if t == name
        )
    return acceptable(request.headers.get("Accept"), SOLUTION_TYPES), acceptable(
        request.headers.get("Accept"), GRAPH_TYPES
    )


def _timeout() -> float:
    limit = server_state().settings.query_timeout
    asked = request.values.get("timeout")
    if asked is None:
        return limit
    try:
        seconds = float(asked)
    except ValueError:
        raise BadRequest(f"timeout must be a number of seconds, not {asked!r}") from None
    if seconds <= 0:
        raise BadRequest("timeout must be positive")
    return min(seconds, limit)


def _union_default_graph() -> bool:
    value = request.values.get("union-default-graph")
    if value is None:
        return server_state().settings.union_default_graph
    return value.lower() not in ("false", "0", "no", "off")


def run_query(
    sparql: str,
    *,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None,
    solution_types: tuple[str, ...] | None = None,
    graph_types: tuple[str, ...] | None = None,
    result_cap: int | None = None,
) -> Response:
    """Evaluate a query in a worker and answer with its results, capped and timed (at
    ``result_cap`` rows if it is below the server's cap)."""
    state = server_state()
    settings = state.settings
    features = check_query(
        sparql,
        max_depth=settings.max_query_nesting,
        max_variables=settings.max_query_variables,
        service_allowlist=settings.service_allowlist,
    )
    default_graphs = _graph_iris("default-graph-uri", default_graphs or [])
    named_graphs = _graph_iris("named-graph-uri", named_graphs or [])
    if solution_types is None or graph_types is None:
        solution_types, graph_types = _result_types()
    if not solution_types and not graph_types:
        raise NotAcceptable(
            "no result format offered here is acceptable: see the service description"
        )
    job = QueryJob(
        sparql=sparql,
        solution_types=solution_types,
        graph_types=graph_types,
        result_cap=min(settings.result_cap, result_cap or settings.result_cap),
        union_default_graph=_union_default_graph() and not features.has_from,
        query_names_graphs=features.has_from or features.has_from_named,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        substitutions=tuple(_flatten(name, term) for name, term in (substitutions or {}).items()),
        # Relative IRIs in a query name resources of this endpoint, as in Oxigraph server.
        base_iri=url_for("sparql.sparql", _external=True),
    )
    etag = _etag(state.view.version, job)
    if request.method in ("GET", "HEAD") and etag in request.if_none_match:
        not_modified = Response(status=304)
        not_modified.set_etag(etag)
        not_modified.vary.add("Accept")
        return not_modified
    try:
        outcome = state.queries.run(job, timeout=_timeout())
    except QueryTimeout:
        raise QueryTimedOut() from None
    except PoolBusy:
        raise ServerBusy() from None
    response = outcome_response(outcome)
    if outcome.store_version == state.view.version:
        response.set_etag(etag)
    return response


def _graph_iris(parameter: str, values: list[str]) -> tuple[str, ...]:
    """The dataset IRIs a request names, checked here: a bad one would fail in the worker."""
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as error:
            raise BadRequest(f"{parameter} {value!r} is not an absolute IRI: {error}") from None
    return tuple(values)


def _etag(version: str, job: QueryJob) -> str:
    """Results depend only on the store version and the job, so they key the ETag."""
    digest = hashlib.sha256(f"{version}\n{job!r}".encode()).hexdigest()[:32]
    return f"{version}-{digest}"


def outcome_response(outcome: QueryOutcome) -> Response:
    if outcome.error is not None:
        errors = {400: BadRequest, 406: NotAcceptable, 503: ServerBusy, 500: InternalServerError}
        raise errors.get(outcome.status, BadRequest)(outcome.error)
    g.result_rows = outcome.rows
    response = Response(outcome.body, outcome.status, content_type=content_type(outcome.media_type))
    response.headers["X-Result-Rows"] = str(outcome.rows)
    if outcome.partial:
        response.headers["X-Result-Partial"] = "true"
        response.headers["X-Result-Cap"] = str(server_state().settings.result_cap)
    response.vary.add("Accept")
    return response


def _flatten(name: str, term: ox.NamedNode | ox.Literal) -> tuple[str, str, str, str]:
    if isinstance(term, ox.NamedNode):
        return (name, "iri", term.value, "")
    if term.language:
        return (name, "lang", term.value, term.language)
    return (name, "literal", term.value, term.datatype.value)


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """SPARQL 1.1 Protocol: query by GET, POST form or POST direct."""
    if (
        request.method in ("GET", "HEAD")
        and "query" not in request.args
        and "update" not in request.args
    ):
        return service_description()
    queries, default_graphs, named_graphs = _protocol_request()
    if len(queries) != 1:
        raise BadRequest(
            "give exactly one query" if queries else "no query given: send it as `query`"
        )
    return run_query(queries[0], default_graphs=default_graphs, named_graphs=named_graphs)


def service_description() -> Response:
    """An ``sd:Service`` description of this endpoint, as Turtle or by ``Accept``."""
    state = server_state()
    endpoint = URIRef(url_for("sparql.sparql", _external=True))
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    service = endpoint
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if state.settings.union_default_graph:
        graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        graph.add((service, SD.resultFormat, FORMATS[fmt]))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, VOID.sparqlEndpoint, endpoint))
    stats = state.view.graph.stats()
    default = BNode("default-graph")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for name in (graph_name.value for graph_name in state.view.graph.data_graphs()):
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, VOID.triples, Literal(stats.triples_per_graph.get(name, 0))))
    return rdf_response(graph)


def rdf_response(graph: Graph) -> Response:
    """A small rdflib graph in the RDF format the client prefers (Turtle by default)."""
    name = request.args.get("format")
    media_type = (FORMAT_NAMES.get(name or "", (None, None))[1]) or best(
        request.headers.get("Accept"), GRAPH_TYPES
    )
    if media_type is None:
        raise NotAcceptable(
            "ask for text/turtle, application/n-triples, application/ld+json or application/rdf+xml"
        )
    body = graph.serialize(format=RDFLIB_NAMES[media_type], encoding="utf-8")
    response = Response(body, content_type=content_type(media_type))
    response.vary.add("Accept")
    return response
