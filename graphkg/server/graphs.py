"""Whole graphs over HTTP: Graph Store Protocol (read), full dumps, and the VoID description.

Dumps are written by Oxigraph straight to a file per store version, in a process
of their own (see :meth:`LatestReader.export_apart`), and sent from there, so
memory does not grow with the store, and ``ETag`` /
``Last-Modified`` let clients skip unchanged dumps.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, request, send_file
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF
from werkzeug.exceptions import BadRequest, NotAcceptable, NotFound

from graphkg.formats import DUMP_FORMATS, GRAPH_TYPES, RDF_FORMAT_BY_TYPE, media_type
from graphkg.server.negotiation import best
from graphkg.server.sparql import VOID, rdf_response
from graphkg.server.state import server_state

blueprint = Blueprint("graphs", __name__)

_dump_lock = threading.Lock()


def _cached_file(key: str, write: Callable[[Path], None]) -> Path:
    """A file for ``key`` in this store version's cache, written once by ``write`` (to a
    partial file that then takes its name)."""
    state = server_state()
    folder = state.view.files_folder
    target = folder / key
    if target.is_file():
        return target
    with _dump_lock:
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f".{key}.{os.getpid()}.tmp"
            write(partial)
            os.replace(partial, target)
    return target


def _send(path: Path, media_type: str, etag: str) -> Response:
    state = server_state()
    response = send_file(
        path,
        mimetype=media_type,
        conditional=True,
        etag=etag,
        last_modified=state.view.last_modified,
        max_age=0,
    )
    response.vary.add("Accept")
    return response


@blueprint.route("/dump.<extension>")
def dump(extension: str) -> Response:
    """The whole dataset of current data graphs in one format."""
    if extension not in DUMP_FORMATS:
        raise NotFound(
            f"no dump .{extension}; dumps: " + ", ".join(f"/dump.{e}" for e in DUMP_FORMATS)
        )
    rdf_format = DUMP_FORMATS[extension]
    state = server_state()
    path = _cached_file(f"dump.{extension}", lambda out: state.view.export_apart(out, rdf_format))
    return _send(path, media_type(rdf_format), f"{state.view.version}-dump-{extension}")


def _graph_response(graph_iri: str | None) -> Response:
    """One stored graph (``None``: the store's default graph) as RDF by ``Accept``."""
    state = server_state()
    kg = state.view.graph
    if graph_iri is not None and not kg.has_graph(graph_iri):
        raise NotFound(f"no graph <{graph_iri}> in this store")
    media_type = best(request.headers.get("Accept"), GRAPH_TYPES)
    if media_type is None:
        raise NotAcceptable("graphs are served as " + ", ".join(GRAPH_TYPES))
    key = hashlib.sha256((graph_iri or "default").encode()).hexdigest()[:16]
    extension = RDF_FORMAT_BY_TYPE[media_type].file_extension

    def write(path: Path) -> None:
        with path.open("wb") as out:
            kg.write_graph(out, graph_iri, RDF_FORMAT_BY_TYPE[media_type])

    path = _cached_file(f"graph-{key}.{extension}", write)
    return _send(path, media_type, f"{state.view.version}-{key}-{extension}")


@blueprint.route("/rdf-graphs/service", methods=["GET"])
def graph_store() -> Response:
    """Graph Store Protocol, indirect identification: ``?graph=IRI`` or ``?default``."""
    if "default" in request.args and "graph" in request.args:
        raise BadRequest("give either ?default or ?graph=IRI, not both")
    if "default" in request.args:
        return _graph_response(None)
    graph = request.args.get("graph")
    if not graph:
        raise BadRequest("name a graph: ?graph=IRI, or ?default for the default graph")
    return _graph_response(graph)


@blueprint.route("/rdf-graphs/service/<path:rest>", methods=["GET"])
def graph_store_direct(rest: str) -> Response:
    """Graph Store Protocol, direct identification: the URL is the graph's IRI."""
    return _graph_response(request.base_url)


@blueprint.route("/.well-known/void")
def void() -> Response:
    """A VoID description of the dataset."""
    state = server_state()
    return rdf_response(
        _void_graph(str(state.settings.store), state.view.version, request.url_root)
    )


@cache
def _void_graph(store: str, version: str, root: str) -> Graph:
    """The VoID graph of one store version (counting is a scan: done once per version)."""
    state = server_state()
    kg = state.view.graph
    base = state.settings.base
    dataset = URIRef(f"{root}.well-known/void#dataset")
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    add = graph.add
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, DCTERMS.title, Literal("graphkg knowledge graph", lang="en")))
    add(
        (
            dataset,
            DCTERMS.description,
            Literal("Facts reported in news articles, each with its verbatim evidence.", lang="en"),
        )
    )
    add((dataset, VOID.sparqlEndpoint, URIRef(f"{root}sparql")))
    add((dataset, VOID.uriSpace, Literal(f"{base}id/")))
    add((dataset, VOID.vocabulary, URIRef("https://w3id.org/graphkg/ontology#")))
    for extension in DUMP_FORMATS:
        add((dataset, VOID.dataDump, URIRef(f"{root}dump.{extension}")))
    counts = next(
        iter(
            kg.query(
                """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
                   (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
            WHERE { ?s ?p ?o }"""
            )
        )
    )
    in_base = f'FILTER(STRSTARTS(STR(?s), "{base}id/"))'
    entities = next(
        iter(kg.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c {in_base} }}"))
    )
    classes = next(iter(kg.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")))
    add((dataset, VOID.triples, Literal(int(counts["triples"].value))))
    add((dataset, VOID.distinctSubjects, Literal(int(counts["subjects"].value))))
    add((dataset, VOID.properties, Literal(int(counts["properties"].value))))
    add((dataset, VOID.distinctObjects, Literal(int(counts["objects"].value))))
    add((dataset, VOID.entities, Literal(int(entities["n"].value))))
    add((dataset, VOID.classes, Literal(int(classes["n"].value))))
    examples = kg.query(f"SELECT DISTINCT ?s WHERE {{ ?s a ?c {in_base} }} ORDER BY ?s LIMIT 3")
    for row in examples:
        add((dataset, VOID.exampleResource, URIRef(row["s"].value)))
    stats = kg.stats()
    for name in kg.named_graphs():
        if name == f"{base}graph/shapes":
            continue
        subset = URIRef(
            f"{root}.well-known/void#graph-{hashlib.sha256(name.encode()).hexdigest()[:12]}"
        )
        add((dataset, VOID.subset, subset))
        add((subset, RDF.type, VOID.Dataset))
        add((subset, URIRef("http://www.w3.org/ns/sparql-service-description#name"), URIRef(name)))
        add((subset, VOID.triples, Literal(stats.triples_per_graph.get(name, 0))))
    return graph
