"""The query page at ``/``: an editor, the named queries as examples, and result views.

The editor shows the query itself: the ontology's prefixes are predeclared by
the endpoint, so they are listed below the editor rather than pasted into it.
``?query=`` opens the page on a query (the page keeps its address on the
query being edited, so the address is a link to it), ``?named=NAME`` on a
named query.

The built-in editor (a text area, ``static/query.js`` and a results table) always
works, with no network beyond this server. When ``make static`` has vendored
YASGUI from the npm registry into ``static/vendor/yasgui/``, the page loads it
from this server too and uses it instead; no script ever comes from a CDN.
Either way results are tables of labels (``/labels``), a timeline
(``static/timeline.js``) or a graph (``static/graph.js``).
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, Response, request

from graphkg.namespaces import PREFIXES
from graphkg.queries import NamedQuery, load_named_queries
from graphkg.server.named_queries import query_form
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


TIMELINE_QUERIES = frozenset({"timeline"})
"""Named queries whose results the query page opens in the timeline view."""

_HEADER_LINE = re.compile(r"^#\s*(title|description|param):")
_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*$", re.IGNORECASE)


def yasgui_vendored() -> bool:
    """Whether ``make static`` has put YASGUI's files beside the other static files."""
    return all((YASGUI_DIR / name).is_file() for name in YASGUI_FILES)


def editor_text(query: NamedQuery) -> str:
    """A named query as the editor shows it: its title, then the query.

    The header (title, description, parameters) is in the examples menu, and
    the PREFIX lines that declare what the endpoint predeclares change nothing,
    so neither pushes the query out of the editor's first lines.
    """
    kept = [
        line
        for line in query.sparql.splitlines()
        if not _HEADER_LINE.match(line) and not _predeclared(line)
    ]
    return f"# {query.title}\n" + "\n".join(kept).strip("\n") + "\n"


def _predeclared(line: str) -> bool:
    found = _PREFIX_LINE.match(line)
    return found is not None and PREFIXES.get(found.group(1) or "") == found.group(2)


def first_sentence(text: str) -> str:
    """The first sentence of a description, for the examples menu."""
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


@blueprint.route("/")
def query_page() -> Response:
    """The SPARQL editor, opened on a sample query, ``?query=`` or ``?named=``."""
    queries = load_named_queries()
    selected = request.args.get("named", "")
    if selected in queries:
        initial = editor_text(queries[selected])
    else:
        selected = ""
        initial = request.args.get("query") or SAMPLE_QUERY
    root = request.script_root
    script_data = {
        "base": server_state().settings.base,
        "root": link_root(),
        "page": f"{root}/",
        "endpoint": f"{root}/sparql",
        "labels": f"{root}/labels",
        "terms": f"{root}/terms.json",
        "search": f"{root}/search.json",
        "prefixes": PREFIXES,
        "queries": {
            name: {
                "title": q.title,
                "sparql": editor_text(q),
                "form": query_form(q.sparql),
                "view": "timeline" if name in TIMELINE_QUERIES else None,
            }
            for name, q in queries.items()
        },
        "selected": selected or None,
        "yasgui": yasgui_vendored(),
    }
    return html_response(
        "query.html",
        initial=initial,
        queries=[(q, first_sentence(q.description)) for q in queries.values()],
        selected=selected,
        prefixes=PREFIXES,
        script_data=script_data,
        yasgui=script_data["yasgui"],
    )
