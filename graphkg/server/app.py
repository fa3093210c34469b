"""The Flask application: ``create_app(settings)`` wires the parts together."""

from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, Response, request

from graphkg.query_pool import QueryClient, QueryPool
from graphkg.server import (
    errors,
    graphs,
    history,
    labels,
    named_queries,
    observability,
    query_page,
    resources,
    search,
    sparql,
    writes,
)
from graphkg.server.cache import ResponseCache
from graphkg.server.errors import RequestHeadTooLarge
from graphkg.server.metrics import share_directory
from graphkg.server.state import ServerState, StoreView
from graphkg.settings import QUERY_POOL_VARIABLE, WRITE_SERVICE_VARIABLE, Settings, load_settings
from graphkg.tokens import write_tokens
from graphkg.writer import WriteClient, Writer, Writes

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

CORS_PREFIXES = (
    "/sparql",
    "/dump.",
    "/rdf-graphs",
    "/id/",
    "/graph/",
    "/.well-known/void",
    "/queries",
)


def create_app(
    settings: Settings,
    *,
    query_pool: str | None = None,
    response_cache: Path | None = None,
    write_service: str | None = None,
) -> Flask:
    """The graphkg web app over the store of ``settings``.

    ``query_pool`` is the address of a running :class:`QueryPool` that
    evaluates user queries; without one, the app starts its own pool of
    ``settings.workers`` processes (``app.extensions["graphkg"].pool.close()``
    stops it). ``response_cache`` is the directory of a response cache to
    share with other apps; without one, the app keeps its own. With write
    tokens in the settings, the app takes writes: it sends them to the
    :class:`WriteService` at ``write_service``, or, without one, opens the store's
    writer itself (``app.extensions["graphkg"].writes.close()`` lets it go).
    """
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_request_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    pool = None
    if query_pool is None:
        pool = start_query_pool(settings)
        query_pool = pool.address
    view = StoreView(settings)
    tokens = write_tokens(settings)
    writer: Writes | None = None
    if tokens:
        writer = WriteClient(write_service) if write_service else Writer(settings)
    ServerState(
        settings,
        view,
        QueryClient(query_pool),
        pool,
        write_tokens=tokens,
        writes=writer,
        validations=threading.BoundedSemaphore(settings.max_validations),
    ).init_app(app)
    errors.init_app(app)
    observability.init_app(app)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(graphs.blueprint)
    app.register_blueprint(writes.blueprint)
    app.register_blueprint(history.blueprint)
    app.register_blueprint(search.blueprint)
    app.register_blueprint(observability.blueprint)
    _register_pages(app)
    if settings.response_cache_bytes:
        state = app.extensions["graphkg"]
        cache = ResponseCache(
            app.wsgi_app,
            max_bytes=settings.response_cache_bytes,
            version=lambda: state.view.version,
            log=app.extensions["graphkg.record"],
            directory=response_cache,
        )
        app.extensions["graphkg.cache"] = cache
        app.wsgi_app = cache  # type: ignore[method-assign]

    @app.before_request
    def refuse_large_heads() -> None:
        # The HTTP server caps the head too (`graphkg serve`), but only to its
        # buffer's next size; checked here, the limit is exact under any server.
        size = request_head_bytes(request.environ)
        if size > settings.max_header_bytes:
            raise RequestHeadTooLarge(
                f"the request line and headers are {size} bytes, over the "
                f"{settings.max_header_bytes} of the max_header_bytes setting: "
                "send long queries in a POST body"
            )

    @app.before_request
    def refuse_long_urls() -> None:
        from werkzeug.exceptions import RequestURITooLarge

        if len(request.query_string) > settings.max_request_bytes:
            raise RequestURITooLarge(
                f"the query string is over {settings.max_request_bytes} bytes: "
                "POST the query instead"
            )

    @app.after_request
    def release_store_caches(response: Response) -> Response:
        # Once the response is sent (a streamed dump included), see LatestReader.
        response.call_on_close(app.extensions["graphkg"].view.release_caches)
        return response

    @app.after_request
    def cors(response: Response) -> Response:
        if request.path.startswith(CORS_PREFIXES):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match"
            response.headers["Access-Control-Expose-Headers"] = (
                "ETag, Last-Modified, X-Result-Rows, X-Result-Partial, X-Request-Id"
            )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app


def request_head_bytes(environ: WSGIEnvironment) -> int:
    """The size of a request's head (request line and headers) as the client sent it.

    WSGI hands over no raw head, so it is counted back from the environment:
    exact but for percent-escapes in the path and repeated headers, which
    servers join.
    """
    target = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    if environ.get("QUERY_STRING"):
        target += "?" + environ["QUERY_STRING"]
    line = len(environ.get("REQUEST_METHOD", "")) + len(f" {target} HTTP/1.1\r\n")
    headers = sum(
        len(name) - len("HTTP_") + len(": ") + len(value) + len("\r\n")
        for name, value in environ.items()
        if name.startswith("HTTP_") and isinstance(value, str)
    )
    unprefixed = sum(
        len(name) + len(": ") + len(environ[name]) + len("\r\n")
        for name in ("CONTENT_TYPE", "CONTENT_LENGTH")
        if environ.get(name)
    )
    return line + headers + unprefixed + len("\r\n")


def start_query_pool(settings: Settings) -> QueryPool:
    """``settings.workers`` query worker processes on the store of ``settings``."""
    return QueryPool(settings, size=settings.workers)


def app_from_environment() -> Flask:
    """The app for ``graphkg serve``, made in one of the server's HTTP processes.

    ``graphkg serve`` puts its settings in ``GRAPHKG_*`` variables and the
    address of its query pool, which all HTTP processes share, in
    ``GRAPHKG_QUERY_POOL``. The HTTP processes share one response cache
    and, when there are several, their counts for ``/metrics``, in a
    directory that ``graphkg serve`` removes at exit.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # Ctrl-C reaches every process of the terminal's group, and granian's main
    # process then stops this one with SIGTERM. Sent both at once, an HTTP
    # process sometimes handled neither (one stop in four, measured): a signal
    # that lands on a thread other than the main one (RocksDB's, granian's) does
    # not wake the main thread, which alone runs Python's handlers, and granian
    # killed the process after its grace period. Blocked here, before granian
    # starts its threads, SIGINT reaches no thread of this process; SIGTERM stops it.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    settings = load_settings()
    # The HTTP processes are children of `graphkg serve`.
    shared = share_directory(os.getppid())
    app = create_app(
        settings,
        query_pool=os.environ[QUERY_POOL_VARIABLE],
        response_cache=shared / "responses",
        write_service=os.environ.get(WRITE_SERVICE_VARIABLE),
    )
    if settings.http_processes > 1:
        app.extensions["graphkg.metrics"].start_sharing(shared)
    return app


def _register_pages(app: Flask) -> None:
    """Register the pages: linked data, named queries, the query page and its lookups."""
    state: ServerState = app.extensions["graphkg"]
    app.register_blueprint(resources.make_blueprint(state.settings))
    app.register_blueprint(named_queries.blueprint)
    app.register_blueprint(query_page.blueprint)
    app.register_blueprint(labels.blueprint)

    @app.context_processor
    def page_globals() -> dict[str, object]:
        return {"app_root": request.script_root + "/"}
