"""Writes over HTTP: ``POST /facts``, ``DELETE /facts/<article>``, restores from the
history and Graph Store ``DELETE`` of an article graph, with a write token; and
``POST /validate``, which anyone may ask and which never writes.

A fact file comes as the body (YAML, Turtle or JSON-LD by ``Content-Type``;
a YAML file may hold its article's text as ``text:``), or as
``multipart/form-data``: fact files in ``facts`` parts, and the files they
name (``file: article.txt``) as other parts, each under its file name.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import (
    BadRequest,
    Conflict,
    Forbidden,
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    ServiceUnavailable,
    Unauthorized,
    UnsupportedMediaType,
)

from graphkg.formats import FACT_FILE_SUFFIXES
from graphkg.iri import article_graph_iri, is_valid_id, ontology_graph_iri, shapes_graph_iri
from graphkg.query_pool import PoolBusy, QueryTimeout, ValidationJob
from graphkg.server.errors import ServerBusy
from graphkg.server.negotiation import best_match
from graphkg.server.sparql import outcome_response
from graphkg.server.state import server_state
from graphkg.submission import BadSubmission, Submission
from graphkg.tokens import STEWARD, WriteToken, token_for
from graphkg.validation import REPORT_TYPES
from graphkg.writer import WriteOutcome, WriteRequest

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
    asked = WriteRequest(
        token.name,
        token.scope,
        dry_run=_flag("dry_run"),
        strict=_flag("strict"),
        report_type=_report_type(),
    )
    outcome = state.writes.submit(submission_from_request(), asked)
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


# -- Graph Store Protocol writes: an article graph stands for its article ------------

GRAPH_STORE_WRITES = ("PUT", "DELETE", "POST")


def _article_of(graph: str) -> str:
    """The article id whose graph ``graph`` is; 403 for any other graph, saying how it
    changes instead."""
    base = server_state().settings.base
    prefix = article_graph_iri(base, "")
    if graph.startswith(prefix) and is_valid_id(graph[len(prefix) :]):
        return graph[len(prefix) :]
    if graph in (ontology_graph_iri(base), shapes_graph_iri(base)):
        raise Forbidden(
            f"<{graph}> is a copy of the files in ontology/ and shapes/, its source of "
            "truth: no token writes it"
        )
    raise Forbidden(
        f"<{graph}> is not an article graph: shared entities change through their fact "
        "files (POST /facts with an admin token); article graphs are "
        f"<{prefix}ID>"
    )


def _graph_write(graph: str | None) -> Response:
    """DELETE of an article graph removes the article (its graph and what it declared).

    PUT and POST are refused: an article is more than its graph (the entities it
    declares are in the entities graph), so a graph's triples alone would drop or
    leave half of it; it is replaced whole, validated, through ``POST /facts``.
    """
    if not graph:
        raise BadRequest("name an article graph: ?graph=IRI (the default graph is the union)")
    token = authorized(STEWARD)
    article = _article_of(graph)
    if request.method != "DELETE":
        raise MethodNotAllowed(
            ["GET", "HEAD", "DELETE"],
            f"an article is replaced whole, validated: POST its fact file (YAML, Turtle or "
            f"JSON-LD) to /facts, which replaces <{graph}> and what the article declares",
        )
    state = server_state()
    outcome = state.writes.remove(article, WriteRequest(token.name, token.scope))
    state.view.refresh()
    return write_response(outcome)


@blueprint.route("/rdf-graphs/service", methods=GRAPH_STORE_WRITES)
def graph_store_write() -> Response:
    if "default" in request.args:
        raise Forbidden("the default graph is the union of the data graphs: write an article graph")
    return _graph_write(request.args.get("graph"))


@blueprint.route("/rdf-graphs/service/<path:rest>", methods=GRAPH_STORE_WRITES)
def graph_store_write_direct(rest: str) -> Response:
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
