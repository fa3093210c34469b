"""Writes over HTTP: ``POST /facts`` and ``DELETE /facts/<article>`` with a write token,
and ``POST /validate``, which anyone may ask and which never writes.

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
    NotFound,
    ServiceUnavailable,
    Unauthorized,
    UnsupportedMediaType,
)

from graphkg.formats import FACT_FILE_SUFFIXES
from graphkg.query_pool import PoolBusy, QueryTimeout, ValidationJob
from graphkg.server.errors import ServerBusy
from graphkg.server.negotiation import best_match
from graphkg.server.sparql import outcome_response
from graphkg.server.state import server_state
from graphkg.submission import BadSubmission, Submission
from graphkg.tokens import STEWARD, WriteToken, token_for
from graphkg.validation import REPORT_TYPES
from graphkg.writer import WriteOutcome

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
    outcome = state.writes.submit(
        submission_from_request(),
        author=token.name,
        scope=token.scope,
        dry_run=_flag("dry_run"),
        report_type=_report_type(),
        strict=_flag("strict"),
    )
    state.view.refresh()
    return write_response(outcome)


@blueprint.delete("/facts/<article_id>")
def remove(article_id: str) -> Response:
    """Remove an article and what it contributed, in one transaction."""
    token = authorized(STEWARD)
    state = server_state()
    outcome = state.writes.remove(
        article_id, author=token.name, scope=token.scope, strict=_flag("strict")
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
        article_id, version, author=token.name, scope=token.scope, report_type=_report_type()
    )
    state.view.refresh()
    return write_response(outcome)


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
