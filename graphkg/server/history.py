"""``/history``: the changes made to the store, newest first, as a page, JSON or PROV-O."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import BadRequest, NotAcceptable

from graphkg.formats import JSON_LD, RDFLIB_NAMES, TURTLE
from graphkg.history import History, as_prov
from graphkg.server.negotiation import best
from graphkg.server.pages import alternates, link_header, number_argument
from graphkg.server.state import server_state

blueprint = Blueprint("history", __name__)

HISTORY_TYPES = ("text/html", "application/json", TURTLE, JSON_LD)
EXTENSIONS = {"json": "application/json", "ttl": TURTLE, "jsonld": JSON_LD}
MOST_LISTED = 500


@blueprint.route("/history", defaults={"ext": None})
@blueprint.route("/history.<ext>")
def changes(ext: str | None) -> Response:
    """The committed changes (``?article=ID`` for one article's; ``?before=N`` for the
    page before change N; ``?limit=``), with who made them and what they touched."""
    if ext is not None and ext not in EXTENSIONS:
        raise BadRequest(f"no /history.{ext}; try /history.json or /history.ttl")
    media_type = EXTENSIONS[ext] if ext else best(request.headers.get("Accept"), HISTORY_TYPES)
    if media_type is None:
        raise NotAcceptable(f"the history is served as {', '.join(HISTORY_TYPES)}")
    state = server_state()
    article = request.args.get("article") or None
    limit = min(number_argument("limit", 100, most=10**9) or 100, MOST_LISTED)
    before = number_argument("before", None, most=10**18)
    history = History.open(state.settings)
    try:
        entries = history.entries(article=article, before=before, limit=limit)
    finally:
        history.close()
    twins = alternates(
        "history",
        [
            ("HTML", "text/html", ""),
            ("JSON", "application/json", ".json"),
            ("PROV-O (Turtle)", TURTLE, ".ttl"),
        ],
    )
    if media_type == "application/json":
        body = json.dumps(
            {"article": article, "changes": [entry.as_dict() for entry in entries]}, indent=2
        )
    elif media_type in (TURTLE, JSON_LD):
        body = as_prov(entries, state.settings.base).serialize(format=RDFLIB_NAMES[media_type])
    else:
        older = entries[-1].id if len(entries) == limit else None
        body = render_template(
            "history.html", entries=entries, article=article, twins=twins, older=older
        )
    response = Response(body, mimetype=media_type)
    response.headers["Link"] = link_header(twins)
    response.vary.add("Accept")
    return response
