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
from pyshacl.graph_abstraction import DataGraph
from pyshacl.pytypes import SHACLExecutor
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, NamespaceManager, split_uri
from rdflib.term import Node as RdfNode

from graphkg import shacl_sparql
from graphkg.mapping import MappedSource, Origin
from graphkg.namespaces import GKGSH, PREFIXES
from graphkg.ontology import curie, load_ontology, local_name
from graphkg.problems import Problem
from graphkg.resources import turtle_files
from graphkg.shape_rules import derive_rule_links


@dataclass
class ValidationReport:
    """The outcome of validating one or more sources."""

    conforms: bool
    problems: list[Problem] = field(default_factory=list)
    results: Graph = field(default_factory=Graph)

    def as_text(self) -> str:
        """The problems for people, warnings included, and a summary line."""
        if not self.problems:
            return "conforms: no problems found"
        warnings = sum(problem.severity == "warning" for problem in self.problems)
        violations = len(self.problems) - warnings
        lines = [problem.describe() for problem in self.problems]
        if self.conforms:
            lines.append(f"conforms, with {warnings} warning(s)")
        else:
            lines.append(
                f"{violations} problem(s) found"
                + (f", and {warnings} warning(s)" if warnings else "")
            )
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
        """A report of problems found outside SHACL; it conforms when all are warnings."""
        return cls(conforms=not any(p.severity == "violation" for p in problems), problems=problems)


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in turtle_files("shapes"):
        graph.parse(path, format="turtle")
    return graph


class _BoundNamespaces(NamespaceManager):
    """rdflib's namespace manager, less its memory of namespaces that have no prefix.

    pyshacl writes the focus node of every result it makes, kept or not (a
    ``sh:qualifiedValueShape`` makes one for each evidence selector that is not
    the qualified one). rdflib files the namespace of every IRI it writes in a
    trie whose levels it scans in full on each insertion, and every fact's
    evidence has namespaces of its own: N facts cost N² string comparisons.
    An IRI outside the bound namespaces is written ``<iri>`` either way; this
    only skips filing its namespace.
    """

    def normalizeUri(self, rdfTerm: str) -> str:  # noqa: N802, N803 (rdflib's names)
        try:
            namespace, _ = split_uri(rdfTerm)
        except ValueError:
            return super().normalizeUri(rdfTerm)
        if isinstance(rdfTerm, URIRef) and self.store.prefix(URIRef(namespace)) is None:
            return f"<{rdfTerm}>"
        return super().normalizeUri(rdfTerm)


def _data_graph(source: MappedSource, context: Iterable[tuple[RdfNode, RdfNode, RdfNode]]) -> Graph:
    """The source, its context and the ontology (for ``rdfs:subClassOf`` and concept types).

    The ontology is added directly rather than through pyshacl's ``ont_graph``,
    whose node-by-node cloning takes minutes on an ontology of this size.
    """
    graph = Graph()
    graph.namespace_manager = _BoundNamespaces(graph)
    graph += load_ontology().graph
    for s, p, o, _ in source.quads:
        graph.add((s, p, o))
    for triple in context:
        graph.add(triple)
    derive_rule_links(graph)
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
        severity="violation"
        if results.value(result, SH.resultSeverity) == SH.Violation
        else "warning",
    )


ANNOTATIONS = (SH.name, GKGSH.fix, RDFS.label, RDFS.comment)
"""What shapes say to people; pyshacl reports none of it, and tests each
predicate of a shape against its constraint parameters on every evaluation."""


@cache
def core_shapes_graph() -> Graph:
    """The shapes pyshacl checks: less SPARQL constraints (see :mod:`graphkg.shacl_sparql`)
    and annotations (messages and fixes are read from :func:`shapes_graph`)."""
    core = shacl_sparql.without_sparql_constraints(shapes_graph())
    for predicate in ANNOTATIONS:
        core.remove((None, predicate, None))
    return core


class _FocusedValidator(pyshacl.Validator):
    """pyshacl's validator, with the focus nodes held in a set rather than a list.

    ``pyshacl.validate(focus_nodes=...)`` keeps them as a list, and every shape
    tests each node it targets for membership in it (``Shape.validate``, once
    per node shape and again per property shape): N facts times N focus nodes
    of Python-level ``__eq__``, 24 million for an article of 500 facts, most of
    its validation time. Only that list changes here; which nodes are
    validated, and how, stays pyshacl's.
    """

    def make_executor(self) -> SHACLExecutor:
        executor = super().make_executor()
        if executor.focus_nodes:
            executor.focus_nodes = frozenset(executor.focus_nodes)  # type: ignore[assignment]
        return executor


def _core_results(data: Graph, focus: set[RdfNode]) -> Graph:
    """The SHACL results graph of core constraints on ``focus``, as pyshacl.validate gives it."""
    validator = _FocusedValidator(
        DataGraph.from_rdflib(data),
        shacl_graph=core_shapes_graph(),
        options={"inference": "none", "allow_warnings": True, "focus_nodes": sorted(focus)},
    )
    _, results, _ = validator.run()
    return results


def validate_source(
    source: MappedSource, context: Iterable[tuple[RdfNode, RdfNode, RdfNode]] = ()
) -> ValidationReport:
    """Validate a mapped source's nodes, with ``context`` (what it references) beside them.

    Core constraints are checked by pyshacl, SPARQL-based ones by Oxigraph
    (see :mod:`graphkg.shacl_sparql`); both land in one SHACL results graph.
    """
    data = _data_graph(source, context)
    focus = {quad[0] for quad in source.quads}
    results = _core_results(data, focus)
    report = next(results.subjects(RDF.type, SH.ValidationReport))
    conforms = results.value(report, SH.conforms) == Literal(True)
    if not shacl_sparql.evaluate(data, shapes_graph(), focus, results, report):
        conforms = False
        results.set((report, SH.conforms, Literal(False)))
    problems = [_problem(source, results, r) for r in results.subjects(SH.resultSeverity, None)]
    problems.sort(key=lambda p: (p.line or 0, p.rule, p.value or ""))
    return ValidationReport(conforms=bool(conforms), problems=problems, results=results)
