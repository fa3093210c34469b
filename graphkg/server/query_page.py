"""The query page at ``/``: an editor with the ontology's prefixes and the named queries.

The built-in editor (a text area, ``static/query.js`` and a results table) always
works, with no network beyond this server. When ``make static`` has vendored
YASGUI from the npm registry into ``static/vendor/yasgui/``, the page loads it
from this server too and uses it instead; no script ever comes from a CDN.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, request

from graphkg.namespaces import PREFIXES, sparql_prologue
from graphkg.queries import load_named_queries
from graphkg.server.pages import html_response, link_root
from graphkg.server.state import server_state

blueprint = Blueprint("query_page", __name__)

YASGUI_DIR = Path(__file__).resolve().parent / "static" / "vendor" / "yasgui"
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")

SAMPLE_QUERY = """\
SELECT ?state ?label ?wikidata WHERE {
  ?state a gkg:State ;
         rdfs:label ?label .
  OPTIONAL { ?state schema:sameAs ?wikidata }
}
ORDER BY ?label
LIMIT 100
"""


def yasgui_vendored() -> bool:
    """Whether ``make static`` has put YASGUI's files beside the other static files."""
    return all((YASGUI_DIR / name).is_file() for name in YASGUI_FILES)


@blueprint.route("/")
def query_page() -> Response:
    """The SPARQL editor, prefilled with the prefixes and a sample query (or a named query)."""
    queries = load_named_queries()
    selected = request.args.get("named", "")
    if selected in queries:
        initial = queries[selected].sparql
    else:
        selected = ""
        initial = request.args.get("query") or sparql_prologue() + "\n" + SAMPLE_QUERY
    script_data = {
        "base": server_state().settings.base,
        "root": link_root(),
        "endpoint": f"{request.script_root}/sparql",
        "prefixes": PREFIXES,
        "queries": {name: {"title": q.title, "sparql": q.sparql} for name, q in queries.items()},
        "yasgui": yasgui_vendored(),
    }
    return html_response(
        "query.html",
        initial=initial,
        queries=list(queries.values()),
        selected=selected,
        prefixes=PREFIXES,
        script_data=script_data,
        yasgui=script_data["yasgui"],
    )
