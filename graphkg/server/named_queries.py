"""Named queries over HTTP: ``/queries`` lists them, ``/queries/NAME`` runs one.

Parameters come from the URL and are bound as typed RDF terms by
:meth:`graphkg.queries.NamedQuery.substitutions`, never spliced into the text;
a value of the wrong type is a 400 naming the parameter. A query answers as
an HTML page (a form and a table), as SPARQL JSON results or CSV, by
extension (``.json``, ``.csv``) or ``Accept``; CONSTRUCT queries answer as
RDF (``.json`` is then JSON-LD, ``.ttl`` and ``.nt`` Turtle and N-Triples).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest, NotAcceptable, NotFound

from graphkg.errors import ParameterError
from graphkg.formats import (
    CSV,
    FORMAT_NAMES,
    GRAPH_TYPES,
    JSON_LD,
    N_TRIPLES,
    SOLUTION_TYPES,
    SPARQL_JSON,
    TURTLE,
)
from graphkg.labels import fetch_labels
from graphkg.queries import NamedQuery, Parameter, load_named_queries
from graphkg.server.negotiation import acceptable, best
from graphkg.server.pages import (
    DATE_TYPES,
    GraphView,
    TermView,
    Twin,
    binding_view,
    graph_view,
    html_response,
    iri_href,
    link_header,
    number_argument,
    short_name,
    term_view,
)
from graphkg.server.sparql import run_query
from graphkg.server.state import server_state

blueprint = Blueprint("named_queries", __name__)

EXTENSION_FORMATS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # extension: (types for SELECT/ASK, types for CONSTRUCT/DESCRIBE)
    ext: tuple((media_type,) if media_type else () for media_type in FORMAT_NAMES[ext])
    for ext in ("json", "csv", "tsv", "ttl", "nt", "jsonld")
}
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: which kind of answer a query gives."""
    body = "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))
    found = _FORM.search(body)
    return found.group(1).upper() if found else "SELECT"


def _answers_graph(query: NamedQuery) -> bool:
    return query_form(query.sparql) in ("CONSTRUCT", "DESCRIBE")


def _queries() -> dict[str, NamedQuery]:
    return load_named_queries()


def _query(name: str) -> NamedQuery:
    queries = _queries()
    if name not in queries:
        raise NotFound(
            f"no named query {name!r}; named queries: {', '.join(queries) or 'none'} (see /queries)"
        )
    return queries[name]


def _twins(path: str, query: NamedQuery | None = None) -> list[Twin]:
    if query is None:
        return [Twin("HTML", "text/html", path), Twin("JSON", "application/json", path + ".json")]
    # The other formats answer every row: the page's own page number stays behind.
    search = _query_string()
    if _answers_graph(query):
        formats = [("JSON-LD", JSON_LD, "json"), ("Turtle", TURTLE, "ttl")]
    else:
        formats = [("JSON", SPARQL_JSON, "json"), ("CSV", CSV, "csv")]
    return [
        Twin("HTML", "text/html", path + search),
        *(Twin(name, media_type, f"{path}.{ext}{search}") for name, media_type, ext in formats),
    ]


def _with_links(response: Response, twins: list[Twin]) -> Response:
    response.headers["Link"] = link_header(twins)
    response.vary.add("Accept")
    return response


def _describe(query: NamedQuery) -> dict[str, object]:
    root = request.script_root
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "default": p.default,
                "help": p.help,
                # The allowed values of an enumeration, in order; null for any other type.
                "values": list(p.values) if p.type == "enum" else None,
            }
            for p in query.parameters
        ],
        "form": query_form(query.sparql),
        "url": f"{root}/queries/{query.name}",
        "json": f"{root}/queries/{query.name}.json",
        "sparql": query.sparql,
    }


@blueprint.route("/queries", defaults={"ext": ""})
@blueprint.route("/queries.<ext>")
def listing(ext: str) -> Response:
    """Every named query with its title, description and parameters."""
    if ext not in ("", "json", "html"):
        raise NotFound(f"no /queries.{ext}; try /queries or /queries.json")
    path = f"{request.script_root}/queries"
    twins = _twins(path)
    queries = _queries()
    as_json = ext == "json" or (
        not ext
        and best(request.headers.get("Accept"), ("text/html", "application/json"))
        == "application/json"
    )
    if as_json:
        response = jsonify({"ok": True, "queries": [_describe(q) for q in queries.values()]})
    else:
        response = html_response(
            "queries.html",
            queries=list(queries.values()),
            graph_forms={n for n, q in queries.items() if _answers_graph(q)},
            twins=twins,
        )
    return _with_links(response, twins)


@dataclass(frozen=True)
class FieldView:
    """A form field for one parameter, filled with the value asked for or the default.

    An enumeration is a ``<select>`` of its values (``input_type`` ``"select"``).
    """

    parameter: Parameter
    value: str
    input_type: str


@dataclass(frozen=True)
class ResultsPage:
    """Which rows of an answer a page shows: :data:`PAGE_ROWS` from ``first`` (counted
    from 1), with links to the pages before and after it (None: there is none)."""

    first: int
    previous: str | None
    next: str | None


@dataclass(frozen=True)
class ResultsView:
    """A page of a query's answer: a table of solutions, a boolean, or triples.

    Solutions with dates also carry ``timeline`` (the SPARQL JSON results and the
    labels of their IRIs) for ``static/timeline.js`` to draw, and triples carry
    ``graph`` for ``static/graph.js``; the page then opens in that view.
    ``partial``: the server's result cap cut the answer before this page's end.
    """

    columns: list[str]
    rows: list[list[TermView | None]]
    boolean: bool | None
    partial: bool
    cap: int
    page: ResultsPage | None = None
    timeline: dict[str, object] | None = None
    graph: GraphView | None = None


PAGE_ROWS = 100
"""Rows a named query's page shows (Datasette's default): labelled and rendered, a page of
ten thousand rows took half a minute and 28 MB; the JSON and CSV twins give every row."""
PAGE_ARGUMENT = "_page"
"""The URL parameter of the page number (parameters of queries begin with a letter)."""


INPUT_TYPES = {"date": "date", "integer": "number", "enum": "select"}


@blueprint.route("/queries/<name>")
def named_query(name: str) -> Response:
    """Run one named query with the parameters of the URL."""
    name, dot, ext = name.partition(".")
    query = _query(name)
    path = f"{request.script_root}/queries/{name}"
    twins = _twins(path, query)
    values = {key: request.args[key] for key in request.args}
    if dot:
        if ext not in EXTENSION_FORMATS and ext != "html":
            raise NotFound(
                f"no format .{ext} for named queries; use "
                + ", ".join(f".{e}" for e in EXTENSION_FORMATS)
            )
        media_type = "text/html" if ext == "html" else None
    else:
        media_type = best(
            request.headers.get("Accept"), ("text/html", *SOLUTION_TYPES, *GRAPH_TYPES)
        )
        if media_type is None:
            raise NotAcceptable("named queries answer as HTML, SPARQL results or RDF")
    if media_type == "text/html":
        return _with_links(_html(query, values, twins), twins)
    try:
        substitutions = query.substitutions(values, server_state().view.graph)
    except ParameterError as error:
        raise BadRequest(str(error)) from None
    if dot:
        solution_types, graph_types = EXTENSION_FORMATS[ext]
    else:
        solution_types = acceptable(request.headers.get("Accept"), SOLUTION_TYPES)
        graph_types = acceptable(request.headers.get("Accept"), GRAPH_TYPES)
    response = run_query(
        query.sparql,
        substitutions=substitutions,
        solution_types=solution_types,
        graph_types=graph_types,
    )
    return _with_links(response, twins)


def _html(query: NamedQuery, values: dict[str, str], twins: list[Twin]) -> Response:
    state = server_state()
    cap = state.settings.result_cap
    page = number_argument(PAGE_ARGUMENT, 1, most=max(1, -(-cap // PAGE_ROWS))) or 1
    values = {k: v for k, v in values.items() if k != PAGE_ARGUMENT}
    fields = [
        FieldView(
            p,
            values.get(p.name, p.default or ""),
            INPUT_TYPES.get(p.type, "text"),
        )
        for p in query.parameters
    ]
    context = {
        "query": query,
        "fields": fields,
        "twins": twins,
        "form": query_form(query.sparql),
        "editor": f"{request.script_root}/?named={query.name}",
        "page_rows": PAGE_ROWS,
    }
    try:
        substitutions = query.substitutions(values, server_state().view.graph)
    except ParameterError as error:
        return html_response(
            "named_query.html", status=400, error=str(error), results=None, **context
        )
    etag = _etag(state.view.version, query, {**values, PAGE_ARGUMENT: str(page)})
    if etag in request.if_none_match:
        response = Response(status=304)
        response.set_etag(etag)
        return response
    # The rows up to the page's end, and one more to know whether a next page exists.
    shown = min(cap, page * PAGE_ROWS)
    answer = run_query(
        query.sparql,
        substitutions=substitutions,
        solution_types=(SPARQL_JSON,),
        graph_types=(N_TRIPLES,),
        result_cap=shown,
    )
    results = _results(answer, page, shown < cap)
    response = html_response("named_query.html", error=None, results=results, **context)
    response.set_etag(etag)
    return response


def _etag(version: str, query: NamedQuery, values: dict[str, str]) -> str:
    key = json.dumps([query.name, query.sparql, sorted(values.items())])
    return f"{version}-html-{hashlib.sha256(key.encode()).hexdigest()[:20]}"


def _query_string(page: int = 1) -> str:
    """This request's URL parameters, with ``page`` as the page number (none for the first)."""
    arguments = [(k, v) for k, v in request.args.items(multi=True) if k != PAGE_ARGUMENT]
    if page > 1:
        arguments.append((PAGE_ARGUMENT, str(page)))
    return f"?{urlencode(arguments)}" if arguments else ""


def _page_link(page: int) -> str:
    return f"{request.script_root}{request.path}{_query_string(page)}"


def _results(answer: Response, page: int, below_cap: bool) -> ResultsView:
    """Page ``page`` of the answer (which holds the rows up to its end) as the page shows
    it: every IRI named by its label, in one lookup. ``below_cap``: the answer was cut at
    the page's end, not by the server's cap, so more rows mean a next page."""
    more = answer.headers.get("X-Result-Partial") == "true"
    partial = more and not below_cap
    state = server_state()
    cap = state.settings.result_cap
    skipped = (page - 1) * PAGE_ROWS
    view = ResultsPage(
        skipped + 1,
        _page_link(page - 1) if page > 1 else None,
        _page_link(page + 1) if more and below_cap else None,
    )
    body = answer.get_data()
    if answer.mimetype == N_TRIPLES:
        triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)][skipped:]
        labels = fetch_labels(
            state.view.graph,
            (
                term.value
                for t in triples
                for term in (t.subject, t.predicate, t.object)
                if isinstance(term, ox.NamedNode)
            ),
        )
        return ResultsView(
            ["subject", "predicate", "object"],
            [
                [term_view(term, labels) for term in (t.subject, t.predicate, t.object)]
                for t in triples
            ],
            None,
            partial,
            cap,
            view,
            graph=graph_view(
                (
                    (
                        _node_id(t.subject),
                        labels.get(t.predicate.value) or short_name(t.predicate.value),
                        _node_id(t.object),
                    )
                    for t in triples
                    if not isinstance(t.object, ox.Literal)
                ),
                labels,
            ),
        )
    data = json.loads(body)
    if "boolean" in data:
        return ResultsView([], [], bool(data["boolean"]), partial, cap)
    columns = list(data["head"]["vars"])
    bindings = data["results"]["bindings"][skipped:]
    labels = fetch_labels(
        state.view.graph,
        (b["value"] for row in bindings for b in row.values() if b.get("type") == "uri"),
    )
    rows = [
        [binding_view(row[c], labels) if c in row else None for c in columns] for row in bindings
    ]
    dated = any(b.get("datatype") in DATE_TYPES for row in bindings for b in row.values())
    timeline = None
    if dated:
        uris = {b["value"] for row in bindings for b in row.values() if b.get("type") == "uri"}
        pages = {iri: href for iri in uris if (href := iri_href(iri)[0]) is not None}
        # The page's rows only, as the table shows them.
        page_results = {"head": data["head"], "results": {"bindings": bindings}}
        timeline = {"results": page_results, "labels": labels, "pages": pages}
    return ResultsView(columns, rows, None, partial, cap, view, timeline=timeline)


def _node_id(term: object) -> str:
    """A graph view's id of a subject or object: its IRI, or ``_:`` and a blank node's id."""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode) else str(term)
