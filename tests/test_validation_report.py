"""Validation reports: violations keep data from conforming, warnings are reported only."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from graphkg import shacl_sparql
from graphkg.problems import Problem
from graphkg.validation import ValidationReport

EX = "http://example.org/"
SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <{EX}> .
ex:NoNameShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:severity sh:SEVERITY ;
    sh:sparql ex:NoNameShape-sparql .
ex:NoNameShape-sparql a sh:SPARQLConstraint ;
    sh:message "a thing without a name" ;
    sh:select "SELECT $this WHERE {{ FILTER NOT EXISTS {{ $this <{EX}name> ?name }} }}" .
"""


def evaluate(severity: str) -> tuple[bool, Graph]:
    shapes = Graph().parse(data=SHAPES.replace("SEVERITY", severity), format="turtle")
    thing = URIRef(f"{EX}a")
    data = ox.Store()
    data.add(ox.Quad(ox.NamedNode(thing), ox.NamedNode(str(RDF.type)), ox.NamedNode(f"{EX}Thing")))
    results, report = Graph(), BNode()
    constraints = shacl_sparql.sparql_constraints(shapes)
    conforms = shacl_sparql.evaluate(data, constraints, {thing}, results, report)
    return conforms, results


def test_a_sparql_constraint_of_warning_severity_reports_a_warning_and_conforms() -> None:
    conforms, results = evaluate("Warning")
    assert conforms
    assert list(results.objects(None, SH.resultSeverity)) == [SH.Warning]


def test_a_sparql_constraint_of_no_severity_is_a_violation() -> None:
    conforms, results = evaluate("Violation")
    assert not conforms
    assert list(results.objects(None, SH.resultSeverity)) == [SH.Violation]
    assert list(results.objects(None, SH.resultMessage)) == [Literal("a thing without a name")]


def problem(severity: str) -> Problem:
    return Problem("facts.yaml", 3, "a", "rule", "a message", severity=severity)


def test_a_report_of_warnings_only_conforms_and_lists_them() -> None:
    report = ValidationReport.of_problems([problem("warning")])
    assert report.conforms
    text = report.as_text()
    assert "facts.yaml:3: warning: a message" in text
    assert text.endswith("conforms, with 1 warning(s)")


def test_a_report_with_a_violation_does_not_conform_and_counts_both() -> None:
    report = ValidationReport.of_problems([problem("violation"), problem("warning")])
    assert not report.conforms
    assert report.as_text().endswith("1 problem(s) found, and 1 warning(s)")


def test_a_report_without_problems_says_so() -> None:
    assert ValidationReport.of_problems([]).as_text() == "conforms: no problems found"
