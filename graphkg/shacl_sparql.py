"""SHACL-SPARQL constraints (``sh:sparql``) evaluated by Oxigraph.

pySHACL evaluates each SPARQL constraint once per focus node with rdflib's
engine, re-parsing the query every time: about 0.1 s a node, minutes for an
article. Here each constraint is evaluated by Oxigraph once for all its focus
nodes, ``$this`` bound by a ``VALUES`` block that opens the query's outer group
pattern; the results are written into the SHACL results graph exactly as
pySHACL writes its own.

SHACL defines ``$this`` as pre-bound, and forbids in constraint queries what
would tell pre-binding from a join with the focus nodes (``MINUS``, ``VALUES``,
``AS ?this``, subqueries that do not project it), so one evaluation joined with
the focus nodes gives the results of one evaluation per node. It is also what
keeps validation linear: evaluated per node, a constraint that compares a node
with every other node of its kind (a quote with every claim's) does the whole
comparison once per node.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node as RdfNode

from graphkg.terms import to_oxigraph, to_rdflib


@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef
    constraint: URIRef
    query: str
    message: str | None
    target_classes: tuple[URIRef, ...]
    target_subjects_of: tuple[URIRef, ...]
    severity: URIRef = SH.Violation
    """The shape's ``sh:severity``; only violations keep data from conforming."""


def _prologue(shapes: Graph, constraint: RdfNode) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines))) + "\n"


def sparql_constraints(shapes: Graph) -> list[SparqlConstraint]:
    """Every SPARQL-based constraint of a shapes graph, ready to run."""
    found = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        select = shapes.value(constraint, SH.select)
        if not isinstance(shape, URIRef) or not isinstance(constraint, URIRef) or select is None:
            continue
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
        found.append(
            SparqlConstraint(
                shape,
                constraint,
                _prologue(shapes, constraint) + str(select).replace("$this", "?this"),
                str(message) if message is not None else None,
                tuple(
                    sorted(
                        o for o in shapes.objects(shape, SH.targetClass) if isinstance(o, URIRef)
                    )
                ),
                tuple(
                    sorted(
                        o
                        for o in shapes.objects(shape, SH.targetSubjectsOf)
                        if isinstance(o, URIRef)
                    )
                ),
                _severity(shapes, shape),
            )
        )
    return found


def _severity(shapes: Graph, shape: URIRef) -> URIRef:
    severity = shapes.value(shape, SH.severity)
    return severity if isinstance(severity, URIRef) else SH.Violation


class _Targets:
    """Which focus nodes each constraint targets, found for all constraints at once.

    Two queries: every node's classes (its types and their superclasses), and the
    subjects of the predicates that constraints target; asked per constraint,
    it was a query each.
    """

    def __init__(
        self, store: ox.Store, focus: set[RdfNode], constraints: list[SparqlConstraint]
    ) -> None:
        focus_nodes = {to_oxigraph(node): node for node in focus}
        self._of_class: dict[RdfNode, set[RdfNode]] = defaultdict(set)
        self._subjects_of: dict[RdfNode, set[RdfNode]] = defaultdict(set)
        classes = store.query(f"SELECT DISTINCT ?n ?c WHERE {{ ?n a/<{RDFS.subClassOf}>* ?c }}")
        assert isinstance(classes, ox.QuerySolutions)
        for row in classes:
            if (node := focus_nodes.get(row["n"])) is not None:
                self._of_class[to_rdflib(row["c"])].add(node)
        predicates = sorted({p for c in constraints for p in c.target_subjects_of})
        if predicates:
            values = " ".join(f"<{predicate}>" for predicate in predicates)
            pairs = store.query(
                f"SELECT DISTINCT ?n ?p WHERE {{ VALUES ?p {{ {values} }} ?n ?p ?o }}"
            )
            assert isinstance(pairs, ox.QuerySolutions)
            for row in pairs:
                if (node := focus_nodes.get(row["n"])) is not None:
                    self._subjects_of[to_rdflib(row["p"])].add(node)

    def of(self, constraint: SparqlConstraint) -> list[RdfNode]:
        nodes: set[RdfNode] = set()
        for cls in constraint.target_classes:
            nodes |= self._of_class.get(cls, set())
        for predicate in constraint.target_subjects_of:
            nodes |= self._subjects_of.get(predicate, set())
        return sorted(nodes)


def _with_focus(query: str, nodes: list[RdfNode]) -> str:
    """``query`` with ``?this`` bound to ``nodes`` by a VALUES block opening its outer group.

    A SELECT clause holds no braces in the constraints this module reads, so the
    first brace after the prologue's last IRI opens the WHERE clause.
    """
    select = query.index("SELECT")
    brace = query.index("{", select)
    values = " ".join(str(to_oxigraph(node)) for node in nodes)
    return f"{query[: brace + 1]} VALUES ?this {{ {values} }} {query[brace + 1 :]}"


def _solutions(
    store: ox.Store, constraint: SparqlConstraint, nodes: list[RdfNode]
) -> Iterator[tuple[RdfNode, ox.QuerySolution, set[str]]]:
    """Each solution of ``constraint`` on ``nodes``, with its focus node.

    Blank nodes cannot be written in a VALUES block; they are pre-bound one at a
    time through substitutions (SEP-0007), which gives the same results.
    """
    named = [node for node in nodes if not isinstance(node, BNode)]
    queries = [(_with_focus(constraint.query, named), {})] if named else []
    queries += [
        (constraint.query, {ox.Variable("this"): to_oxigraph(node)})
        for node in nodes
        if isinstance(node, BNode)
    ]
    for query, substitutions in queries:
        solutions = store.query(query, substitutions=substitutions)
        assert isinstance(solutions, ox.QuerySolutions)
        names = {v.value for v in solutions.variables}
        if "this" not in names:
            raise ValueError(f"{constraint.constraint}: the query must project $this")
        for solution in solutions:
            yield to_rdflib(solution["this"]), solution, names


def evaluate(
    store: ox.Store,
    constraints: list[SparqlConstraint],
    focus: set[RdfNode],
    results: Graph,
    report: RdfNode,
) -> bool:
    """Run the SPARQL constraints on ``focus`` nodes of the data in ``store``; add results to
    ``results``; True if no violation."""
    conforms = True
    targets = _Targets(store, focus, constraints)
    for constraint in constraints:
        for node, solution, names in _solutions(store, constraint, targets.of(constraint)):
            conforms = conforms and constraint.severity != SH.Violation
            result = BNode()
            results.add((report, SH.result, result))
            for predicate, obj in (
                (RDF.type, SH.ValidationResult),
                (SH.focusNode, node),
                (SH.resultSeverity, constraint.severity),
                (SH.sourceShape, constraint.shape),
                (SH.sourceConstraint, constraint.constraint),
                (SH.sourceConstraintComponent, SH.SPARQLConstraintComponent),
            ):
                results.add((result, predicate, obj))
            if "value" in names and solution["value"] is not None:
                results.add((result, SH.value, to_rdflib(solution["value"])))
            if "path" in names and solution["path"] is not None:
                results.add((result, SH.resultPath, to_rdflib(solution["path"])))
            if constraint.message:
                message = _substitute(constraint.message, solution, names)
                results.add((result, SH.resultMessage, Literal(message)))
    return conforms


_MESSAGE_VARIABLE = re.compile(r"\{[?$](\w+)\}")


def _substitute(message: str, solution: ox.QuerySolution, names: set[str]) -> str:
    """``message`` with each ``{?name}`` or ``{$name}`` replaced by the solution's value,
    as SHACL-SPARQL specifies; a variable the solution leaves unbound stays as written."""

    def value(match: re.Match[str]) -> str:
        term = solution[match.group(1)] if match.group(1) in names else None
        return match.group(0) if term is None else str(term.value)

    return _MESSAGE_VARIABLE.sub(value, message)


def without_sparql_constraints(shapes: Graph) -> Graph:
    """The shapes graph less its ``sh:sparql`` links, for the core constraints' engine."""
    core = Graph()
    core += shapes
    core.remove((None, SH.sparql, None))
    return core
