"""``/history``: the changes made to the store, newest first, as a page, JSON or PROV-O."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import BadRequest, NotAcceptable

from graphkg.history import History, as_prov
from graphkg.server.negotiation import best
from graphkg.server.pages import Twin, link_header
from graphkg.server.state import server_state

blueprint = Blueprint("history", __name__)

HISTORY_TYPES = ("text/html", "application/json", "text/turtle", "application/ld+json")
EXTENSIONS = {"json": "application/json", "ttl": "text/turtle", "jsonld": "application/ld+json"}
MOST_LISTED = 500


def _number(name: str, default: int | None) -> int | None:
    value = request.args.get(name)
    if value is None:
        return default
    if not value.isdigit() or int(value) == 0:
        raise BadRequest(f"?{name}= takes a positive whole number, not {value[:40]!r}")
    return int(value)


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
    limit = min(_number("limit", 100) or 100, MOST_LISTED)
    history = History.open(state.settings)
    try:
        entries = history.entries(article=article, before=_number("before", None), limit=limit)
    finally:
        history.close()
    search = f"?{request.query_string.decode()}" if request.query_string else ""
    path = f"{request.script_root}/history"
    twins = [
        Twin("HTML", "text/html", path + search),
        Twin("JSON", "application/json", f"{path}.json{search}"),
        Twin("PROV-O (Turtle)", "text/turtle", f"{path}.ttl{search}"),
    ]
    if media_type == "application/json":
        body = json.dumps(
            {"article": article, "changes": [entry.as_dict() for entry in entries]}, indent=2
        )
    elif media_type in ("text/turtle", "application/ld+json"):
        rdf_format = "turtle" if media_type == "text/turtle" else "json-ld"
        body = as_prov(entries, state.settings.base).serialize(format=rdf_format)
    else:
        older = entries[-1].id if len(entries) == limit else None
        body = render_template(
            "history.html", entries=entries, article=article, twins=twins, older=older
        )
    response = Response(body, mimetype=media_type)
    response.headers["Link"] = link_header(twins)
    response.vary.add("Accept")
    return response
