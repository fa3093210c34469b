"""What the pages' scripts look up to show terms and to help write queries.

``/labels`` names a batch of IRIs at once (``GET /labels?iri=…&iri=…``, or
``POST`` a JSON body ``{"iris": [...]}``): for each, its label, its CURIE, the
text a table shows (the label, or a short name when it has none) and the
page it links to. A results table that the query page draws names its IRIs
with it, so that a table shows "Azerbaijan", not
``<https://w3id.org/graphkg/id/state/azerbaijan>``. It costs one query of the
store, whatever the batch: batches are capped at :data:`LABELS_CAP` IRIs.

``/terms.json`` lists the ontology's classes, properties and concepts (CURIE,
label, definition), which the query editor completes as you type.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest

from graphkg.labels import LABEL_BATCH, fetch_labels
from graphkg.ontology import curie
from graphkg.server.pages import iri_href, short_name
from graphkg.server.resources import ontology_page, stored_ontology
from graphkg.server.state import server_state

blueprint = Blueprint("labels", __name__)

LABELS_CAP = LABEL_BATCH
"""IRIs per ``/labels`` request: as many as one query of the store looks up."""


def requested_iris() -> list[str]:
    """The IRIs a ``/labels`` request names, in order, each once; 400 if one is no IRI."""
    if request.method == "POST" and request.is_json:
        body = request.get_json(silent=True)
        given = body.get("iris") if isinstance(body, dict) else None
        if not isinstance(given, list) or not all(isinstance(i, str) for i in given):
            raise BadRequest('send a JSON object {"iris": ["https://…", …]}')
        iris: list[str] = given
    else:
        iris = request.values.getlist("iri")
    unique = list(dict.fromkeys(iris))
    if len(unique) > LABELS_CAP:
        raise BadRequest(
            f"{len(unique)} IRIs asked for; /labels names at most {LABELS_CAP} at once"
        )
    for iri in unique:
        try:
            ox.NamedNode(iri)
        except ValueError as error:
            raise BadRequest(f"iri {iri!r} is not an absolute IRI: {error}") from None
    return unique


def label_entry(iri: str, label: str | None) -> dict[str, object]:
    """What ``/labels`` says of one IRI."""
    short = curie(iri)
    url, external = iri_href(iri)
    return {
        "label": label,
        "curie": None if short.startswith("<") else short,
        "text": label or short_name(iri),
        "url": url,
        "external": external,
    }


@blueprint.route("/labels", methods=["GET", "POST"])
def labels() -> Response:
    """The labels, CURIEs and pages of a batch of IRIs (see the module's docstring)."""
    iris = requested_iris()
    state = server_state()
    found = fetch_labels(state.view.graph, iris) if iris else {}
    response = jsonify(
        {"ok": True, "labels": {iri: label_entry(iri, found.get(iri)) for iri in iris}}
    )
    if request.method == "GET":
        key = "\n".join(iris)
        response.set_etag(
            f"{state.view.version}-labels-{hashlib.sha256(key.encode()).hexdigest()[:20]}"
        )
        response.make_conditional(request)
    return response


@blueprint.route("/terms.json")
def terms() -> Response:
    """The ontology's classes, properties and concepts, for the editor's completion."""
    state = server_state()
    page = ontology_page(stored_ontology(state.view.graph))
    entries = [
        *(("class", e) for e in page.classes),
        *(("property", e) for e in page.properties),
        *(("concept", c) for scheme in page.schemes for c in scheme.concepts),
    ]
    response = jsonify(
        {
            "ok": True,
            "terms": [
                {
                    "iri": e.term.iri,
                    "curie": e.curie,
                    "label": e.term.text,
                    "kind": kind,
                    "definition": e.definition,
                }
                for kind, e in entries
                if not e.curie.startswith("<")
            ],
        }
    )
    response.set_etag(f"{state.view.version}-terms")
    return response.make_conditional(request)
