"""SHACL validation of mapped facts, with reports that point back at the fact file.

A source is validated together with the entities it references and the
ontology, never the whole store, so validation time grows with the article.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node as RdfNode

from graphkg import shacl_sparql
from graphkg.mapping import MappedSource, Origin
from graphkg.namespaces import GKGSH, PREFIXES
from graphkg.ontology import curie, load_ontology, local_name
from graphkg.problems import Problem
from graphkg.resources import turtle_files


@dataclass
class ValidationReport:
    """The outcome of validating one or more sources."""

    conforms: bool
    problems: list[Problem] = field(default_factory=list)
    results: Graph = field(default_factory=Graph)

    def as_text(self) -> str:
        if self.conforms:
            return "conforms: no problems found"
        lines = [problem.describe() for problem in self.problems]
        lines.append(f"{len(self.problems)} problem(s) found")
        return "\n\n".join(lines)

    def as_json(self) -> str:
        return json.dumps(
            {"conforms": self.conforms, "problems": [p.as_dict() for p in self.problems]},
            indent=2,
            ensure_ascii=False,
        )

    def as_turtle(self) -> str:
        for prefix in ("sh", "gkg", "rdf", "xsd"):
            self.results.bind(prefix, PREFIXES[prefix])
        self.results.bind("gkgsh", str(GKGSH))
        return self.results.serialize(format="turtle")

    @classmethod
    def merge(cls, reports: Iterable[ValidationReport]) -> ValidationReport:
        merged = cls(conforms=True)
        for report in reports:
            merged.conforms = merged.conforms and report.conforms
            merged.problems.extend(report.problems)
            merged.results += report.results
        return merged

    @classmethod
    def of_problems(cls, problems: list[Problem]) -> ValidationReport:
        """A report of problems found before SHACL (the file did not map to RDF)."""
        return cls(conforms=not problems, problems=problems)


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in turtle_files("shapes"):
        graph.parse(path, format="turtle")
    return graph


def _data_graph(source: MappedSource, context: Iterable[tuple[RdfNode, RdfNode, RdfNode]]) -> Graph:
    """The source, its context and the ontology (for ``rdfs:subClassOf`` and concept types).

    The ontology is added directly rather than through pyshacl's ``ont_graph``,
    whose node-by-node cloning takes minutes on an ontology of this size.
    """
    graph = Graph()
    graph += load_ontology().graph
    for s, p, o, _ in source.quads:
        graph.add((s, p, o))
    for triple in context:
        graph.add(triple)
    return graph


def _text(graph: Graph, node: RdfNode | None, predicate: URIRef) -> str | None:
    if node is None:
        return None
    value = graph.value(node, predicate)
    return str(value) if value is not None else None


def _problem(source: MappedSource, results: Graph, result: RdfNode) -> Problem:
    shapes = shapes_graph()
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    shape = results.value(result, SH.sourceShape)
    value = results.value(result, SH.value)
    origin = source.origins.get(focus) if isinstance(focus, URIRef) else None
    origin = origin or Origin(None, local_name(str(focus)) if focus is not None else None)
    line = origin.line
    if isinstance(focus, URIRef) and isinstance(path, URIRef):
        line = source.key_lines.get((focus, path), line)
    message = (
        _text(results, result, SH.resultMessage)
        or _text(shapes, shape, SH.message)
        or "constraint violated"
    )
    rule = curie(str(shape)) if isinstance(shape, URIRef) else "shacl"
    component = results.value(result, SH.sourceConstraintComponent)
    if component is not None:
        rule += f" ({local_name(str(component))})"
    if path is not None:
        message = f"{curie(str(path))}: {message}"
    return Problem(
        file=source.file,
        line=line,
        fact=origin.fact,
        rule=rule,
        message=message,
        value=str(value) if value is not None else None,
        fix=_text(shapes, shape, GKGSH.fix),
    )


@cache
def core_shapes_graph() -> Graph:
    return shacl_sparql.without_sparql_constraints(shapes_graph())


def validate_source(
    source: MappedSource, context: Iterable[tuple[RdfNode, RdfNode, RdfNode]] = ()
) -> ValidationReport:
    """Validate a mapped source's nodes, with ``context`` (what it references) beside them.

    Core constraints are checked by pyshacl, SPARQL-based ones by Oxigraph
    (see :mod:`graphkg.shacl_sparql`); both land in one SHACL results graph.
    """
    data = _data_graph(source, context)
    focus = {quad[0] for quad in source.quads}
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=core_shapes_graph(),
        focus_nodes=sorted(focus),
        inference="none",
        allow_warnings=True,
    )
    report = next(results.subjects(RDF.type, SH.ValidationReport))
    if not shacl_sparql.evaluate(data, shapes_graph(), focus, results, report):
        conforms = False
        results.set((report, SH.conforms, Literal(False)))
    problems = [_problem(source, results, r) for r in results.subjects(SH.resultSeverity, None)]
    problems.sort(key=lambda p: (p.line or 0, p.rule, p.value or ""))
    return ValidationReport(conforms=bool(conforms), problems=problems, results=results)
