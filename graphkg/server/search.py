"""``/search?q=``: entities and facts found by their labels, alternative labels and
evidence quotes, best first, as a page or JSON (``/search.json``, or by ``Accept``).

The index is :mod:`graphkg.search`'s: on the embedded store, the one of the checkpoint
this process reads, so that a hit always names what the pages show; on a remote store,
the one file the writer keeps beside it. What was typed is turned into a query that
quotes every term (see :func:`graphkg.search.search_expression`); text over the limits
is a 400. The JSON feeds completion as one types: the last term matches as a prefix.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request
from werkzeug.exceptions import NotAcceptable, NotFound

from graphkg.ontology import curie
from graphkg.search import (
    DEFAULT_HITS,
    MAX_SEARCH_CHARS,
    MAX_SEARCH_TERMS,
    MOST_HITS,
    Hit,
    open_for_reading,
    search_expression,
)
from graphkg.server.negotiation import best
from graphkg.server.pages import alternates, html_response, iri_href, link_header, number_argument
from graphkg.server.state import server_state

blueprint = Blueprint("search", __name__)

SEARCH_TYPES = ("text/html", "application/json")


def _class() -> str | None:
    """``?class=``: a class as a CURIE (``gkg:Person``) or a full IRI."""
    value = request.args.get("class", "").strip()
    if not value:
        return None
    return curie(value) if "://" in value else value


def hit_json(hit: Hit) -> dict[str, object]:
    """A hit as ``/search.json`` gives it: the snippet as plain text, with where its
    matches are as [start, end) offsets."""
    return {
        "iri": hit.iri,
        "label": hit.label,
        "class": hit.cls,
        "classes": list(hit.classes),
        "kind": hit.kind,
        "graph": hit.graph,
        "snippet": hit.snippet_text,
        "highlights": [list(span) for span in hit.highlights()],
        "url": iri_href(hit.iri)[0],
    }


@blueprint.route("/search", defaults={"ext": None})
@blueprint.route("/search.<ext>")
def search(ext: str | None) -> Response:
    """Search (``?q=``; ``?class=`` keeps one class's; ``?limit=``)."""
    if ext not in (None, "json"):
        raise NotFound(f"no /search.{ext}; try /search.json")
    media_type = "application/json" if ext else best(request.headers.get("Accept"), SEARCH_TYPES)
    if media_type is None:
        raise NotAcceptable(f"search answers as {', '.join(SEARCH_TYPES)}")
    text = request.args.get("q", "")
    limit = number_argument("limit", DEFAULT_HITS, most=MOST_HITS) or DEFAULT_HITS
    cls = _class()
    expression = search_expression(text)
    hits: list[Hit] = []
    if expression is not None:
        state = server_state()
        index = open_for_reading(state.settings, state.view.version)
        try:
            hits = index.search(expression, limit=limit, cls=cls)
        finally:
            index.close()
    twins = alternates("search", [("HTML", "text/html", ""), ("JSON", "application/json", ".json")])
    if media_type == "application/json":
        body = {"query": text, "class": cls, "hits": [hit_json(hit) for hit in hits]}
        response = Response(json.dumps(body, indent=2), mimetype="application/json")
    else:
        response = html_response(
            "search.html",
            query=text,
            cls=cls or "",
            hits=[(hit, iri_href(hit.iri)[0]) for hit in hits],
            searched=expression is not None,
            twins=twins,
            max_chars=MAX_SEARCH_CHARS,
            max_terms=MAX_SEARCH_TERMS,
        )
    response.headers["Link"] = link_header(twins)
    response.vary.add("Accept")
    return response
