"""Access log with request ids, ``/health``, and ``/metrics`` in the Prometheus text format."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, g, request

from graphkg.server.cache import ENDPOINT_KEY, ROWS_KEY, ResponseCache
from graphkg.server.state import server_state

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

access_log = logging.getLogger("graphkg.access")
blueprint = Blueprint("observability", __name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Counters and latency histograms per endpoint, kept in the server process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str], int] = defaultdict(int)
        self.buckets: dict[str, list[int]] = defaultdict(lambda: [0] * len(LATENCY_BUCKETS))
        self.latency_sum: dict[str, float] = defaultdict(float)
        self.latency_count: dict[str, int] = defaultdict(int)

    def observe(self, endpoint: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(endpoint, str(status))] += 1
            buckets = self.buckets[endpoint]
            for index, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    buckets[index] += 1
            self.latency_sum[endpoint] += seconds
            self.latency_count[endpoint] += 1

    def record(
        self,
        environ: WSGIEnvironment,
        endpoint: str,
        status: int,
        seconds: float,
        rows: int | None,
        request_id: str,
    ) -> None:
        """Count a request and write its access-log line."""
        self.observe(endpoint, status, seconds)
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

    def render(
        self,
        *,
        timeouts: int,
        restarts: int,
        triples: int,
        store_bytes: int,
        cache: ResponseCache | None,
    ) -> str:
        lines = [
            "# HELP graphkg_requests_total HTTP requests by endpoint and status.",
            "# TYPE graphkg_requests_total counter",
        ]
        with self._lock:
            for (endpoint, status), count in sorted(self.requests.items()):
                lines.append(
                    f'graphkg_requests_total{{endpoint="{endpoint}",status="{status}"}} {count}'
                )
            lines += [
                "# HELP graphkg_errors_total HTTP responses with status 500 or above, by endpoint.",
                "# TYPE graphkg_errors_total counter",
            ]
            errors: dict[str, int] = defaultdict(int)
            for (endpoint, status), count in self.requests.items():
                if int(status) >= 500:
                    errors[endpoint] += count
            lines += [
                f'graphkg_errors_total{{endpoint="{e}"}} {c}' for e, c in sorted(errors.items())
            ]
            lines += [
                "# HELP graphkg_request_seconds Request latency by endpoint.",
                "# TYPE graphkg_request_seconds histogram",
            ]
            for endpoint in sorted(self.buckets):
                for bound, count in zip(LATENCY_BUCKETS, self.buckets[endpoint], strict=True):
                    labels = f'endpoint="{endpoint}",le="{bound}"'
                    lines.append(f"graphkg_request_seconds_bucket{{{labels}}} {count}")
                total = self.latency_count[endpoint]
                lines.append(
                    f'graphkg_request_seconds_bucket{{endpoint="{endpoint}",le="+Inf"}} {total}'
                )
                seconds = self.latency_sum[endpoint]
                lines.append(f'graphkg_request_seconds_sum{{endpoint="{endpoint}"}} {seconds:.6f}')
                lines.append(f'graphkg_request_seconds_count{{endpoint="{endpoint}"}} {total}')
        lines += [
            "# HELP graphkg_query_timeouts_total Queries stopped at their time limit.",
            "# TYPE graphkg_query_timeouts_total counter",
            f"graphkg_query_timeouts_total {timeouts}",
            "# HELP graphkg_query_worker_restarts_total Query workers killed and replaced.",
            "# TYPE graphkg_query_worker_restarts_total counter",
            f"graphkg_query_worker_restarts_total {restarts}",
            "# HELP graphkg_store_triples Triples in the store.",
            "# TYPE graphkg_store_triples gauge",
            f"graphkg_store_triples {triples}",
            "# HELP graphkg_store_bytes Size of the store's newest checkpoint on disk.",
            "# TYPE graphkg_store_bytes gauge",
            f"graphkg_store_bytes {store_bytes}",
        ]
        if cache is not None:
            entries, held = cache.size
            lines += [
                "# HELP graphkg_response_cache_hits_total Responses served from the cache.",
                "# TYPE graphkg_response_cache_hits_total counter",
                f"graphkg_response_cache_hits_total {cache.hits}",
                "# HELP graphkg_response_cache_misses_total GETs the cache could not answer.",
                "# TYPE graphkg_response_cache_misses_total counter",
                f"graphkg_response_cache_misses_total {cache.misses}",
                "# HELP graphkg_response_cache_bytes Bytes of responses held by the cache.",
                "# TYPE graphkg_response_cache_bytes gauge",
                f"graphkg_response_cache_bytes {held}",
                "# HELP graphkg_response_cache_entries Responses held by the cache.",
                "# TYPE graphkg_response_cache_entries gauge",
                f"graphkg_response_cache_entries {entries}",
            ]
        return "\n".join(lines) + "\n"


def init_app(app: Flask) -> None:
    metrics = Metrics()
    app.extensions["graphkg.metrics"] = metrics

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
        metrics.record(request.environ, endpoint, response.status_code, seconds, rows, request_id)
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
    from flask import current_app

    state = server_state()
    graph = state.view.graph
    checkpoint = state.settings.store / "checkpoints" / state.view.version
    size = sum(p.stat().st_size for p in checkpoint.rglob("*") if p.is_file())
    pool = state.pool
    body = current_app.extensions["graphkg.metrics"].render(
        timeouts=pool.timeouts if pool else 0,
        restarts=pool.restarts if pool else 0,
        triples=graph.stats().total,
        store_bytes=size,
        cache=current_app.extensions.get("graphkg.cache"),
    )
    return Response(body, mimetype="text/plain; version=0.0.4")
