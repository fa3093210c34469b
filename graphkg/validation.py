"""SHACL validation of mapped facts, with reports that point back at the fact file.

A source is validated together with the entities it references and the
ontology's triples about the terms they use, never the whole store, so
validation time grows with the article.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
import pyshacl_turbo
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node as RdfNode

from graphkg import shacl_sparql
from graphkg.formats import TURTLE
from graphkg.mapping import MappedSource, Origin
from graphkg.namespaces import GKG, GKGSH, OA, PREFIXES
from graphkg.ontology import curie, load_ontology, local_name
from graphkg.problems import Problem
from graphkg.resources import turtle_files
from graphkg.shape_rules import Triple, rule_links
from graphkg.terms import to_oxigraph

REPORT_TYPES = ("application/json", "text/plain", TURTLE)
"""What a report can be sent as, the default first."""


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

    def rendered(self, media_type: str) -> bytes:
        """The report in one of :data:`REPORT_TYPES`: JSON (by default), text, or the
        SHACL results graph in Turtle."""
        if media_type == "text/plain":
            return self.as_text().encode()
        if media_type == TURTLE:
            return self.as_turtle().encode()
        return self.as_json().encode()

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


def data_store(data: Iterable[Triple]) -> ox.Store:
    """The data graph one validation reads, in an in-memory Oxigraph store.

    It holds ``data`` (a source and its context), the ontology's triples about the terms
    they use and what the shapes' rules derive from them (see
    :mod:`graphkg.shape_rules`). Shapes read the ontology for superclasses,
    domains and concept schemes (see :meth:`Ontology.reachable_from`); the
    rest of it, thousands of triples about terms the article does not use,
    would only be copied. Both engines read this one store: pyshacl-turbo for
    core constraints, Oxigraph for SPARQL ones.
    """
    triples = list(data)
    terms = {term for _, p, o in triples for term in (p, o)}
    triples.extend(load_ontology().reachable_from(terms))
    triples.extend(rule_links(triples))
    store = ox.Store()
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples)  # type: ignore[arg-type]
    return store


def _text(graph: Graph, node: RdfNode | None, predicate: URIRef) -> str | None:
    if node is None:
        return None
    value = graph.value(node, predicate)
    return str(value) if value is not None else None


def evidence_quotes(source: MappedSource) -> dict[RdfNode, str]:
    """Each subject's first evidence quote (its ``oa:exact``), from the source's quads."""
    evidence, selectors, exact = {}, {}, {}
    for s, p, o, _ in source.quads:
        if p == GKG.evidence:
            evidence.setdefault(s, o)
        elif p == OA.hasSelector:
            selectors.setdefault(s, []).append(o)
        elif p == OA.exact:
            exact[s] = str(o)
    quotes = {}
    for subject, node in evidence.items():
        found = [exact[sel] for sel in selectors.get(node, []) if sel in exact]
        if found:
            quotes[subject] = found[0]
    return quotes


class _ValueLines:
    """The line of each value a source's file writes, found by the value and the node it
    belongs to: a result that names a value but no path (a date after publication is
    found on the fact, and written under its `time:`) points at the value's own line.

    The source's quads are indexed once, at the first value asked for.
    """

    def __init__(self, source: MappedSource) -> None:
        self._source = source
        self._holders: dict[RdfNode, list[tuple[URIRef, URIRef]]] | None = None

    def line(self, focus: URIRef, value: RdfNode) -> int | None:
        """The line of ``value`` as a value of ``focus`` or of a node nested in it."""
        if self._holders is None:
            self._holders = {}
            for s, p, o, _ in self._source.quads:
                if isinstance(s, URIRef) and (s, p) in self._source.key_lines:
                    self._holders.setdefault(o, []).append((s, p))
        nested = f"{focus}/"
        for subject, predicate in self._holders.get(value, []):
            if subject == focus or str(subject).startswith(nested):
                return self._source.key_lines[(subject, predicate)]
        return None


def _problem(
    source: MappedSource,
    results: Graph,
    result: RdfNode,
    quotes: dict[RdfNode, str],
    value_lines: _ValueLines,
) -> Problem:
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
    elif isinstance(focus, URIRef) and value is not None:
        line = value_lines.line(focus, value) or line
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
        property=curie(str(path)) if isinstance(path, URIRef) else None,
        quote=quotes.get(focus) if focus is not None else None,
    )


ANNOTATIONS = (SH.name, GKGSH.fix, RDFS.label, RDFS.comment)
"""What shapes say to people; the engines report none of it (pySHACL tests each
predicate of a shape against its constraint parameters on every evaluation)."""


@cache
def core_shapes_graph() -> Graph:
    """The shapes' core constraints: less SPARQL constraints (see :mod:`graphkg.shacl_sparql`),
    SHACL-AF rules (see :mod:`graphkg.shape_rules`) and annotations (messages and fixes
    are read from :func:`shapes_graph`)."""
    core = shacl_sparql.without_sparql_constraints(shapes_graph())
    for predicate in (*ANNOTATIONS, SH.rule):
        core.remove((None, predicate, None))
    return core


@cache
def sparql_constraints() -> list[shacl_sparql.SparqlConstraint]:
    return shacl_sparql.sparql_constraints(shapes_graph())


@cache
def compiled_core_shapes() -> pyshacl_turbo.CompiledShapes:
    """The core shapes compiled once per process for pyshacl-turbo."""
    return pyshacl_turbo.compile_shapes(core_shapes_graph())


def core_results(data: ox.Store, focus: set[RdfNode]) -> Graph:
    """The SHACL results graph of core constraints on ``focus``, by pyshacl-turbo.

    pyshacl-turbo is a Rust engine with pySHACL's API; on graphkg's shapes it
    reports what pySHACL reports (a test compares the two on every shape's
    test data and on the seed) in a fraction of the time.
    """
    _, results, _ = compiled_core_shapes().validate(
        data, allow_warnings=True, focus_nodes=sorted(focus)
    )
    return results


def shacl_results(data: Iterable[Triple], focus: set[RdfNode]) -> tuple[bool, Graph]:
    """Whether the ``focus`` nodes of ``data`` conform, and the SHACL results graph.

    Core constraints are checked by pyshacl-turbo, SPARQL-based ones by
    Oxigraph (see :mod:`graphkg.shacl_sparql`); both land in one results graph.
    """
    store = data_store(data)
    results = core_results(store, focus)
    report = next(results.subjects(RDF.type, SH.ValidationReport))
    conforms = results.value(report, SH.conforms) == Literal(True)
    if not shacl_sparql.evaluate(store, sparql_constraints(), focus, results, report):
        conforms = False
        results.set((report, SH.conforms, Literal(False)))
    return conforms, results


def validate_source(source: MappedSource, context: Iterable[Triple] = ()) -> ValidationReport:
    """Validate a mapped source's nodes, with ``context`` (what it references) beside them.

    The report holds the problems of the source's mapping first (a source mapped in
    part: see :func:`graphkg.mapping.map_fact_file`), then those of the shapes by line,
    each once (two results alike, such as one per quote of a fact, are one problem).

    On a fact whose mapping has a violation, a shape's problem that names no value (a
    label missing, neither of two keys given) is left out, here and in the results
    graph: what it finds missing may be what did not map (`labl:` is an unknown key,
    and the fact then has no label); it comes back, if still true, once the fact maps.
    A problem that names a value the fact holds (a date after publication) stands.
    """
    triples = [(s, p, o) for s, p, o, _ in source.quads]
    conforms, results = shacl_results([*triples, *context], {s for s, _, _ in triples})
    quotes = evidence_quotes(source)
    value_lines = _ValueLines(source)
    unmapped = {p.fact for p in source.problems if p.severity == "violation" and p.fact}
    found: dict[Problem, None] = {}
    for result in list(results.subjects(SH.resultSeverity, None)):
        problem = _problem(source, results, result, quotes, value_lines)
        if problem.fact in unmapped and problem.value is None:
            _drop_result(results, result)
        else:
            found.setdefault(problem)
    problems = sorted(found, key=lambda p: (p.line or 0, p.rule, p.value or ""))
    if unmapped or source.problems:
        conforms = not any(p.severity == "violation" for p in [*source.problems, *problems])
        report = next(results.subjects(RDF.type, SH.ValidationReport))
        results.set((report, SH.conforms, Literal(conforms)))
    return ValidationReport(
        conforms=conforms, problems=[*source.problems, *problems], results=results
    )


def _drop_result(results: Graph, result: RdfNode) -> None:
    """Remove a validation result, and its link from the report, from a results graph."""
    results.remove((None, SH.result, result))
    results.remove((result, None, None))
