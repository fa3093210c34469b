"""Writes over HTTP, with a write token: ``POST /facts``, ``DELETE /facts/<article>``,
restores from the history, SPARQL 1.1 Update at ``/update`` and Graph Store
``PUT``/``POST``/``DELETE``, all gated by the same validation; and ``POST /validate``,
which anyone may ask and which never writes.

A fact file comes as the body (YAML, Turtle or JSON-LD by ``Content-Type``;
a YAML file may hold its article's text as ``text:``), or as
``multipart/form-data``: fact files in ``facts`` parts, and the files they
name (``file: article.txt``) as other parts, each under its file name.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import (
    BadRequest,
    Conflict,
    Forbidden,
    HTTPException,
    InternalServerError,
    NotFound,
    ServiceUnavailable,
    Unauthorized,
    UnprocessableEntity,
    UnsupportedMediaType,
)

from graphkg.formats import FACT_FILE_SUFFIXES, GRAPH_TYPES, RDF_FORMAT_BY_TYPE
from graphkg.iri import article_graph_iri
from graphkg.query_pool import PoolBusy, QueryTimeout, ValidationJob
from graphkg.server.errors import ServerBusy
from graphkg.server.guard import check_query
from graphkg.server.negotiation import best_match
from graphkg.server.sparql import FORM_TYPE, UPDATE_TYPE, outcome_response
from graphkg.server.state import server_state
from graphkg.submission import BadSubmission, Submission
from graphkg.tokens import STEWARD, WriteToken, token_for
from graphkg.update import ProtocolDataset
from graphkg.validation import REPORT_TYPES
from graphkg.writer import GraphWrite, SparqlUpdate, WriteOutcome, WriteRequest

blueprint = Blueprint("writes", __name__)

FACTS_PART = "facts"
SENDING_FACTS = (
    "send a fact file as application/yaml, text/turtle or application/ld+json, or as "
    "multipart/form-data with the fact file in a `facts` part and the files it names as "
    "other parts"
)


class ValidationTimedOut(ServiceUnavailable):
    description = "The validation ran past its time limit and was stopped."


def authorized(scope: str) -> WriteToken:
    """The request's write token, if it allows ``scope``: else 401 (no valid token) or
    403 (a token whose scope does not allow it)."""
    state = server_state()
    authorization = request.authorization
    secret = authorization.token if authorization and authorization.type == "bearer" else None
    token = token_for(state.write_tokens, secret) if secret else None
    if token is None:
        raise Unauthorized(
            "writes need a write token, sent as `Authorization: Bearer TOKEN`",
            www_authenticate=WWWAuthenticate("bearer", {"realm": "graphkg"}),
        )
    if not token.allows(scope):
        raise Forbidden(f"the token {token.name!r} has scope {token.scope!r}; this needs {scope!r}")
    return token


def submission_from_request() -> Submission:
    """The fact files the request carries (see the module's doc)."""
    try:
        if request.mimetype == "multipart/form-data":
            files = [
                (part.filename or _default_name(part.mimetype), part.read())
                for name in request.files
                for part in request.files.getlist(name)
            ]
            facts = [
                part.filename or _default_name(part.mimetype)
                for part in request.files.getlist(FACTS_PART)
            ]
            return Submission.of(files, facts)
        name = _default_name(request.mimetype)
        return Submission.of([(name, request.get_data())], [name])
    except BadSubmission as error:
        raise BadRequest(str(error)) from None


def _default_name(media_type: str) -> str:
    suffix = FACT_FILE_SUFFIXES.get(media_type)
    if suffix is None:
        raise UnsupportedMediaType(
            f"a fact file of type {media_type or 'none'!r} is not read here: {SENDING_FACTS}"
        )
    return f"facts{suffix}"


def _report_type() -> str:
    return best_match(request.headers.get("Accept"), REPORT_TYPES) or REPORT_TYPES[0]


def _flag(name: str) -> bool:
    return request.args.get(name, "false").lower() in ("1", "true", "yes", "on")


ERRORS: dict[int, type[HTTPException]] = {
    400: BadRequest,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: UnprocessableEntity,
    503: ServiceUnavailable,
    500: InternalServerError,
}


def write_response(outcome: WriteOutcome) -> Response:
    if outcome.error is not None:
        raise ERRORS.get(outcome.status, InternalServerError)(outcome.error)
    return Response(outcome.body, outcome.status, content_type=outcome.media_type)


@blueprint.post("/facts")
def submit() -> Response:
    """Validate the fact files sent, then add or replace their articles in one
    transaction (201); 422 with the report, and no change, when any does not conform;
    200 when they change nothing, or with ``?dry_run=true``."""
    token = authorized(STEWARD)
    state = server_state()
    outcome = state.writes.submit(submission_from_request(), _write_request(token))
    state.view.refresh()
    return write_response(outcome)


@blueprint.delete("/facts/<article_id>")
def remove(article_id: str) -> Response:
    """Remove an article and what it contributed, in one transaction."""
    token = authorized(STEWARD)
    state = server_state()
    outcome = state.writes.remove(
        article_id, WriteRequest(token.name, token.scope, strict=_flag("strict"))
    )
    state.view.refresh()
    return write_response(outcome)


@blueprint.post("/history/<article_id>/<int:version>/restore")
def restore(article_id: str, version: int) -> Response:
    """Put back the version of an article that change ``version`` made, validated
    against the store as it is now, and recorded as a change of its own."""
    token = authorized(STEWARD)
    state = server_state()
    outcome = state.writes.restore(
        article_id, version, WriteRequest(token.name, token.scope, report_type=_report_type())
    )
    state.view.refresh()
    return write_response(outcome)


# -- SPARQL Update and Graph Store Protocol writes, gated like fact files ---------


@blueprint.post("/update")
def update() -> Response:
    """SPARQL 1.1 Update, by form (``update=``) or directly (``application/sparql-update``),
    evaluated into the quads it deletes and inserts, validated with every article it
    touches, and committed in one transaction; 422 with the report and no change."""
    token = authorized(STEWARD)
    values = request.form if request.mimetype == FORM_TYPE else request.args
    using = ProtocolDataset(
        tuple(values.getlist("using-graph-uri")), tuple(values.getlist("using-named-graph-uri"))
    )
    state = server_state()
    text = _update_text()
    settings = state.settings
    check_query(
        text,
        max_depth=settings.max_query_nesting,
        max_variables=settings.max_query_variables,
        service_allowlist=settings.service_allowlist,
    )
    sparql = SparqlUpdate(text, using, request.base_url)
    outcome = state.writes.update(sparql, _write_request(token))
    state.view.refresh()
    return write_response(outcome)


def _update_text() -> str:
    if request.mimetype == FORM_TYPE:
        texts = request.form.getlist("update")
        if len(texts) != 1:
            raise BadRequest(f"send one `update` form field, not {len(texts)}")
        return texts[0]
    if request.mimetype != UPDATE_TYPE:
        raise UnsupportedMediaType(
            f"an update of type {request.mimetype or 'none'!r} is not read here: send "
            f"{UPDATE_TYPE} (the update as the body) or {FORM_TYPE} (an `update` field)"
        )
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"the update is not UTF-8 (byte {error.start})") from None


def _write_request(token: WriteToken) -> WriteRequest:
    return WriteRequest(
        token.name,
        token.scope,
        dry_run=_flag("dry_run"),
        strict=_flag("strict"),
        report_type=_report_type(),
    )


GRAPH_STORE_WRITES = ("PUT", "DELETE", "POST")


def _graph_write(graph: str | None, *, new: bool = False) -> Response:
    """``PUT`` replaces a graph, ``POST`` adds to it, ``DELETE`` removes it, each gated
    like an update. ``DELETE`` of an article graph removes its article (what it declared
    too: see ``DELETE /facts``)."""
    token = authorized(STEWARD)
    state = server_state()
    prefix = article_graph_iri(state.settings.base, "")
    asked = _write_request(token)
    if request.method == "DELETE" and graph and graph.startswith(prefix):
        outcome = state.writes.remove(graph[len(prefix) :], asked)
        state.view.refresh()
        if outcome.error is None:
            return Response(status=204)
        return write_response(outcome)
    ntriples = _payload() if request.method != "DELETE" else b""
    outcome = state.writes.write_graph(GraphWrite(request.method, graph, ntriples), asked)
    state.view.refresh()
    response = write_response(outcome)
    if new and response.status_code == 201:
        response.headers["Location"] = graph
    return response


def _payload() -> bytes:
    """The request's RDF graph as N-Triples: the body by its ``Content-Type``, or for
    ``multipart/form-data`` every part by its own (or its file name's extension)."""
    if request.mimetype == "multipart/form-data":
        parts = [part for name in request.files for part in request.files.getlist(name)]
        return b"".join(
            _as_ntriples(part.read(), part.mimetype or _by_extension(part.filename))
            for part in parts
        )
    return _as_ntriples(request.get_data(), request.mimetype)


def _by_extension(filename: str | None) -> str:
    suffix = (filename or "").rsplit(".", 1)[-1]
    return next((t for t, f in RDF_FORMAT_BY_TYPE.items() if f.file_extension == suffix), "")


def _as_ntriples(body: bytes, media_type: str) -> bytes:
    rdf_format = RDF_FORMAT_BY_TYPE.get(media_type)
    if rdf_format is None or media_type not in GRAPH_TYPES:
        raise UnsupportedMediaType(
            f"a graph of type {media_type or 'none'!r} is not read here: send one of "
            + ", ".join(GRAPH_TYPES)
        )
    try:
        triples = [q.triple for q in ox.parse(body, format=rdf_format, base_iri=request.url)]
    except (SyntaxError, ValueError) as error:
        raise BadRequest(f"the {rdf_format.name} sent does not parse: {error}") from None
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


@blueprint.route("/rdf-graphs/service", methods=GRAPH_STORE_WRITES)
def graph_store_write() -> Response:
    """Indirect identification: ``?graph=IRI`` or ``?default``; a ``POST`` naming neither
    makes a new graph, whose IRI the ``Location`` header gives."""
    if "default" in request.args and "graph" in request.args:
        raise BadRequest("give either ?default or ?graph=IRI, not both")
    if "default" in request.args:
        return _graph_write(None)
    graph = request.args.get("graph")
    if graph:
        return _graph_write(graph)
    if request.method == "POST":
        return _graph_write(f"{request.base_url}/{uuid.uuid4().hex}", new=True)
    raise BadRequest("name a graph: ?graph=IRI, or ?default for the default graph")


@blueprint.route("/rdf-graphs/service/<path:rest>", methods=GRAPH_STORE_WRITES)
def graph_store_write_direct(rest: str) -> Response:
    """Direct identification: the request's URL is the graph's IRI."""
    return _graph_write(request.base_url)


@blueprint.post("/validate")
def validate() -> Response:
    """Validate fact files against the shapes and the stored entities, writing nothing:
    the report, as JSON, text or the SHACL results graph, by ``Accept``."""
    state = server_state()
    job = ValidationJob(submission_from_request(), _report_type())
    if not state.validations.acquire(blocking=False):
        raise ServerBusy(
            f"{state.settings.max_validations} validations are running; try again shortly"
        )
    try:
        outcome = state.queries.run(job, timeout=state.settings.validation_timeout)
    except QueryTimeout:
        raise ValidationTimedOut() from None
    except PoolBusy:
        raise ServerBusy() from None
    finally:
        state.validations.release()
    response = outcome_response(outcome)
    del response.headers["X-Result-Rows"]
    return response
