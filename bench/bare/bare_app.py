"""The floor the benchmark compares graphkg with: Flask + pyoxigraph and nothing else.

No isolation of queries (a slow query cannot be stopped), no timeout, no
result cap, no negotiation, logging or caching: the query runs in the HTTP
process and Oxigraph writes the results. ``bench/http.py`` serves it (from
this folder of its own, so that ``bench/http.py`` does not shadow ``http``) with
granian, as many processes as graphkg's, on the same data twin graphkg queries, to show
how much of graphkg's time is Python serving HTTP at all and how much is its
own safety.
"""

import os
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, Response, request

from graphkg.store import data_twin_path, latest_checkpoint

app = Flask(__name__)
_checkpoint = latest_checkpoint(Path(os.environ["BARE_APP_STORE"]))
assert _checkpoint is not None, "no store: run bench/http.py, which builds it"
store = ox.Store.read_only(str(data_twin_path(_checkpoint)))


@app.route("/query", methods=["GET", "POST"])
def query() -> Response:
    """A query by GET, or by a POSTed form (one too long for a URL)."""
    result = store.query(request.values["query"], use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions):
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, content_type="application/sparql-results+json")
    if isinstance(result, ox.QueryTriples):
        body = ox.serialize(result, format=ox.RdfFormat.TURTLE)
        return Response(body, content_type="text/turtle")
    return Response(result.serialize(format=ox.QueryResultsFormat.JSON))


@app.get("/")
def ready() -> str:
    return "ok"
