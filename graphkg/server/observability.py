"""Access log with request ids, ``/health``, and ``/metrics`` in the Prometheus text format."""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from functools import partial
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, g, request

from graphkg.server.cache import ENDPOINT_KEY, ROWS_KEY, ResponseCache
from graphkg.server.metrics import Metrics, render
from graphkg.server.state import server_state

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

access_log = logging.getLogger("graphkg.access")
blueprint = Blueprint("observability", __name__)


def record_request(
    metrics: Metrics,
    environ: WSGIEnvironment,
    endpoint: str,
    status: int,
    seconds: float,
    rows: int | None,
    request_id: str,
) -> None:
    """Count a request and write its access-log line."""
    metrics.observe(endpoint, status, seconds)
    query = environ.get("QUERY_STRING")
    access_log.info(
        "%s %s %s %d %.1fms rows=%s",
        request_id or "-",
        environ.get("REQUEST_METHOD"),
        environ.get("SCRIPT_NAME", "")
        + environ.get("PATH_INFO", "")
        + (f"?{query}" if query else ""),
        status,
        seconds * 1000,
        "-" if rows is None else rows,
    )


def init_app(app: Flask) -> None:
    def counters() -> dict[str, int]:
        queries = app.extensions["graphkg"].queries
        counts = {
            "query_timeouts": queries.timeouts,
            "query_worker_restarts": queries.restarts,
        }
        cache: ResponseCache | None = app.extensions.get("graphkg.cache")
        if cache is not None:
            entries, held = cache.size
            counts |= {
                "response_cache_hits": cache.hits,
                "response_cache_misses": cache.misses,
                "response_cache_bytes": held,
                "response_cache_entries": entries,
            }
        return counts

    metrics = Metrics(counters)
    app.extensions["graphkg.metrics"] = metrics
    app.extensions["graphkg.record"] = partial(record_request, metrics)

    @app.before_request
    def start() -> None:
        g.started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex[:16]
        g.result_rows = None

    @app.after_request
    def finish(response: Response) -> Response:
        seconds = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = request.endpoint or "unknown"
        rows = g.get("result_rows")
        request_id = g.get("request_id", "")
        response.headers["X-Request-Id"] = request_id
        # For the response cache, which answers repeats without entering Flask.
        request.environ[ENDPOINT_KEY] = endpoint
        request.environ[ROWS_KEY] = rows
        record_request(
            metrics, request.environ, endpoint, response.status_code, seconds, rows, request_id
        )
        return response


@blueprint.route("/health")
def health() -> Response:
    """Liveness: the process answers and the store is readable."""
    state = server_state()
    version = state.view.version
    body = {"ok": True, "store_version": version, "pid": os.getpid()}
    return Response(json.dumps(body), mimetype="application/json")


@blueprint.route("/metrics")
def metrics() -> Response:
    """Counters of the whole server in the Prometheus text format."""
    from flask import current_app

    state = server_state()
    body = render(
        current_app.extensions["graphkg.metrics"].totals(),
        triples=state.view.graph.stats().total,
        store_bytes=state.view.disk_bytes(),
    )
    return Response(body, mimetype="text/plain; version=0.0.4")
