"""HTTP errors: one handler renders every error in the format the client reads.

An error's class is its status (Werkzeug's ``HTTPException`` tree); the body
names the status, a title and the cause, as JSON, HTML or plain text.
"""

from __future__ import annotations

import json

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    RequestHeaderFieldsTooLarge,
    ServiceUnavailable,
)

from graphkg.errors import GraphkgError, StoreError
from graphkg.server.negotiation import best_match, quality


class QueryTimedOut(ServiceUnavailable):
    description = "The query ran past its time limit and was stopped."


class ServerBusy(ServiceUnavailable):
    description = "Every query worker is busy; try again shortly."


class RequestHeadTooLarge(RequestHeaderFieldsTooLarge):
    """The request line and headers are over ``max_header_bytes``; none of them is read."""


def error_body(status: int, title: str, detail: str) -> dict[str, object]:
    """The one JSON shape of every error."""
    return {"ok": False, "status": status, "title": title, "error": detail}


ERROR_TYPES = ("text/plain", "application/json", "text/html")
JSON_FIRST = ("/facts", "/validate", "/history/")
"""Paths of the write API, whose errors are JSON unless the client asks otherwise."""


def error_response(error: HTTPException) -> Response:
    status = error.code or 500
    title = error.name
    detail = error.description or title
    # Headers over the limit are not read, not even to choose the error's format.
    accept = None if isinstance(error, RequestHeadTooLarge) else request.headers.get("Accept")
    offered = ERROR_TYPES[1::-1] if request.path.startswith(JSON_FIRST) else ERROR_TYPES
    best = best_match(accept, offered) or offered[0]
    if request.path.endswith(".json") or best == "application/json":
        response = Response(
            json.dumps(error_body(status, title, detail)), status, mimetype="application/json"
        )
    elif best == "text/html" and quality(accept, "text/html") > quality(accept, "text/plain"):
        response = Response(
            render_template("error.html", status=status, title=title, detail=detail),
            status,
            mimetype="text/html",
        )
    else:
        response = Response(f"{status} {title}: {detail}\n", status, mimetype="text/plain")
    for name, value in error.get_headers():
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, error_response)

    @app.errorhandler(StoreError)
    def store_error(error: StoreError) -> Response:
        return error_response(ServiceUnavailable(str(error)))

    @app.errorhandler(GraphkgError)
    def graphkg_error(error: GraphkgError) -> Response:
        return error_response(BadRequest(str(error)))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        app.logger.exception("unhandled error")
        return error_response(InternalServerError("An unexpected error occurred; it was logged."))
