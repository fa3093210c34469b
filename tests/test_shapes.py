"""The SHACL shapes in shapes/: each rejects data that breaks its rule, accepts data that keeps it.

Every example starts from one small article graph that conforms (``BASE_TTL``: an excerpt of
the seed article with its entities, facts, evidence, times and world knowledge) and changes
only what the rule is about: ``remove`` takes triples out, ``bad`` adds the violation, ``good``
adds data that still conforms. A violating example must produce exactly the expected
(focus node, source shape) results, so a rule that also trips other shapes is noticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql.processor import SPARQLProcessor, prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from graphkg import validation
from graphkg.namespaces import GKG, OA
from graphkg.namespaces import PREFIXES as NAMESPACES
from graphkg.ontology import STRUCTURE
from graphkg.pipeline import find_seed_files, map_and_validate, validate_files
from graphkg.shape_rules import (
    TripleIndex,
    likely_duplicates,
    quotes_in_articles,
    quotes_within_claims,
)

from conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY_DIR = ROOT / "ontology"
GKGSH = "https://w3id.org/graphkg/shapes#"
FIX = URIRef(GKGSH + "fix")
ID = "https://w3id.org/graphkg/id/"
BASE = "https://w3id.org/graphkg/"

PREFIXES = """\
@base <https://w3id.org/graphkg/id/> .
@prefix gkg: <https://w3id.org/graphkg/ontology#> .
@prefix ik: <https://w3id.org/graphkg/incident-kind/> .
@prefix rk: <https://w3id.org/graphkg/response-kind/> .
@prefix role: <https://w3id.org/graphkg/role/> .
@prefix cs: <https://w3id.org/graphkg/claim-status/> .
@prefix relk: <https://w3id.org/graphkg/relation-kind/> .
@prefix tres: <https://w3id.org/graphkg/time-resolution/> .
@prefix att: <https://w3id.org/graphkg/attestation/> .
@prefix pk: <https://w3id.org/graphkg/planned-kind/> .
@prefix srole: <https://w3id.org/graphkg/site-role/> .
@prefix dout: <https://w3id.org/graphkg/demand-outcome/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Used only while ontology/ does not exist: the subclass triples and concepts the examples need.
FALLBACK_ONTOLOGY = """
gkg:State rdfs:subClassOf gkg:Agent , gkg:Place .
gkg:Organization rdfs:subClassOf gkg:Agent .
gkg:Ministry rdfs:subClassOf gkg:Organization .
gkg:Embassy rdfs:subClassOf gkg:Organization .
gkg:Government rdfs:subClassOf gkg:Organization .
gkg:LawEnforcementBody rdfs:subClassOf gkg:Organization .
gkg:SocialMediaPlatform rdfs:subClassOf gkg:Organization .
gkg:Person rdfs:subClassOf gkg:Agent .
gkg:Official rdfs:subClassOf gkg:Person .
gkg:PersonGroup rdfs:subClassOf gkg:Agent .
gkg:City rdfs:subClassOf gkg:Place .
gkg:Region rdfs:subClassOf gkg:Place .
gkg:Incident rdfs:subClassOf gkg:Event .
gkg:Response rdfs:subClassOf gkg:Event .
ik:raid a gkg:IncidentKind . ik:killing a gkg:IncidentKind .
ik:detention a gkg:IncidentKind . ik:aircraft-crash a gkg:IncidentKind .
rk:diplomatic-summons a gkg:ResponseKind . rk:demand-investigation a gkg:ResponseKind .
rk:cancellation a gkg:ResponseKind . rk:statement a gkg:ResponseKind .
role:perpetrator a gkg:Role . role:detainee a gkg:Role . role:addressee a gkg:Role .
cs:reports a gkg:ClaimStatus . cs:alleges a gkg:ClaimStatus . cs:denies a gkg:ClaimStatus .
relk:strained a gkg:RelationKind . relk:escalating a gkg:RelationKind .
tres:relative-to-publication a gkg:TimeResolution . tres:relative-to-event a gkg:TimeResolution .
tres:month-only a gkg:TimeResolution . tres:vague a gkg:TimeResolution .
tres:stated a gkg:TimeResolution .
"""

TEXT = "\n".join(
    [
        "The Azerbaijani Culture Ministry made a declaration on X, expressing that concerts, "
        "exhibitions, festivals, and performances had been called off due to what it described "
        "as “targeted and extrajudicial killings” of Azerbaijanis by Russian law enforcement.",
        "The Azerbaijani Foreign Ministry reported that Russian authorities conducted raids on "
        "Azerbaijani residences in Yekaterinburg, located in Russia’s Ural Mountains, leading to "
        "the deaths of two individuals, serious injuries to others, and the detention of nine "
        "people.",
        "On Saturday, the Azerbaijani officials summoned Pyotr Volokovykh, the Russian Embassy’s "
        "chargé d’affaires in Baku, demanding a comprehensive investigation and accountability "
        "for those involved in the incident.",
        "Although the Russian Foreign Ministry, through spokeswoman Maria Zakharova, refrained "
        "from addressing the reported deaths, she mentioned that the raids were part of "
        "investigations related to previous crimes.",
        "Relations between Azerbaijan and Russia have been strained in recent months.",
        "Tensions between Moscow and Baku escalated after an Azerbaijani airliner tragically "
        "crashed in Kazakhstan in December, resulting in the deaths of 38 passengers out of 67 "
        "onboard.",
    ]
)
ARTICLE = "article/azerbaijan-halts-russian-events"
TITLE = '"Azerbaijan Halts Russian Events After Yekaterinburg Incident"@en'
URL = '"https://example.org/azerbaijan-halts-russian-events"^^xsd:anyURI'
CC_BY = '"https://creativecommons.org/licenses/by/4.0/"^^xsd:anyURI'


def lit(value: str) -> str:
    """A Turtle string literal."""
    return Literal(value).n3()


def count(value: int) -> str:
    return f'"{value}"^^xsd:integer'


def evidence(subject: str, quote: str, n: int = 1) -> str:
    """The evidence node the mapper writes for ``quote``, with selectors at its first occurrence."""
    start = TEXT.index(quote)
    end = start + len(quote)
    node = f"{subject}/evidence/{n}"
    return f"""
<{subject}> gkg:evidence <{node}> .
<{node}> a gkg:Evidence ; oa:hasSource <{ARTICLE}> ;
    oa:hasSelector <{node}/quote> , <{node}/position> .
<{node}/quote> a oa:TextQuoteSelector ; oa:exact {lit(quote)} ;
    oa:prefix {lit(TEXT[max(0, start - 32) : start])} ; oa:suffix {lit(TEXT[end : end + 32])} .
<{node}/position> a oa:TextPositionSelector ; oa:start {count(start)} ; oa:end {count(end)} .
"""


def time(subject: str, n: int = 1, **properties: str) -> str:
    """A time node ``{subject}/time/{n}`` with the given gkg: properties (Turtle objects)."""
    node = f"{subject}/time/{n}"
    body = " ; ".join(f"gkg:{key} {value}" for key, value in properties.items())
    return f"<{subject}> gkg:time <{node}> .\n<{node}> a gkg:TimeSpecification ; {body} .\n"


def start_of(quote: str) -> int:
    return TEXT.index(quote)


def end_of(quote: str) -> int:
    return TEXT.index(quote) + len(quote)


def shift(quote: str, by: int, subject: str, n: int = 1) -> tuple[str, str]:
    """(remove, add) that move the position selector of ``quote`` by ``by`` characters."""
    node = f"<{subject}/evidence/{n}/position>"
    return (
        f"{node} oa:start {count(start_of(quote))} ; oa:end {count(end_of(quote))} .",
        f"{node} oa:start {count(start_of(quote) + by)} ; oa:end {count(end_of(quote) + by)} .",
    )


RAIDS = "incident/yekaterinburg-raids"
KILLINGS = "incident/yekaterinburg-killings"
CRASH = "incident/airliner-crash"
SUMMONS = "response/summons-of-volokovykh"
CANCELLATION = "response/cancellation-of-events"
EVENTS = "planned-event/russian-cultural-events"
ATTRIBUTED = f"{KILLINGS}/attributed/1-1"
ZAKHAROVA_CLAIM = "claim/zakharova-on-raids"
MINISTRY_CLAIM = "claim/culture-ministry-on-killings"
RELATION = "relation/azerbaijan-russia-strained"
POST = "post/volokovykh-charge-d-affaires"
POST_QUOTE = "Pyotr Volokovykh, the Russian Embassy’s chargé d’affaires in Baku"
CRASH_QUOTE = "deaths of 38 passengers out of 67 onboard"
RAIDS_QUOTE = "Russian authorities conducted raids on Azerbaijani residences in Yekaterinburg"

BASE_TTL = f"""
<{ARTICLE}> a gkg:Article ;
    gkg:text {lit(TEXT)} ;
    gkg:title {TITLE} ;
    gkg:language "en"^^xsd:language ;
    gkg:url {URL} ;
    gkg:published "2025-06-29"^^xsd:date ;
    gkg:world <{ARTICLE}/world/1> .
<{ARTICLE}/world/1> a gkg:WorldKnowledge ;
    rdf:subject <{ARTICLE}> ; rdf:predicate gkg:published ; rdf:object "2025-06-29"^^xsd:date ;
    prov:wasDerivedFrom <https://example.org/azerbaijan-halts-russian-events> .

<state/azerbaijan> a gkg:State ; rdfs:label "Azerbaijan"@en ;
    schema:sameAs wd:Q227 ; gkg:world <state/azerbaijan/world/1> .
<state/azerbaijan/world/1> a gkg:WorldKnowledge ;
    rdf:subject <state/azerbaijan> ; rdf:predicate schema:sameAs ; rdf:object wd:Q227 ;
    prov:wasDerivedFrom <https://www.wikidata.org/wiki/Q227> .
<state/russia> a gkg:State ; rdfs:label "Russia"@en .
<state/kazakhstan> a gkg:State ; rdfs:label "Kazakhstan"@en .
<place/yekaterinburg> a gkg:City ; rdfs:label "Yekaterinburg"@en ; gkg:locatedIn <state/russia> .

<organization/az-foreign-ministry> a gkg:Ministry ;
    rdfs:label "Azerbaijani Foreign Ministry"@en ; gkg:belongsToState <state/azerbaijan> .
<organization/az-culture-ministry> a gkg:Ministry ;
    rdfs:label "Azerbaijani Culture Ministry"@en ; gkg:belongsToState <state/azerbaijan> .
<organization/russian-embassy-baku> a gkg:Embassy ;
    rdfs:label "Russian Embassy in Baku"@en ; gkg:belongsToState <state/russia> .
<organization/ru-foreign-ministry> a gkg:Ministry ;
    rdfs:label "Russian Foreign Ministry"@en ; gkg:belongsToState <state/russia> .
<organization/russian-law-enforcement> a gkg:LawEnforcementBody ;
    rdfs:label "Russian law enforcement"@en ; gkg:belongsToState <state/russia> .
<organization/x> a gkg:SocialMediaPlatform ; rdfs:label "X"@en .
<person/pyotr-volokovykh> a gkg:Official ;
    rdfs:label "Pyotr Volokovykh"@en ; gkg:nationality <state/russia> .
{evidence("person/pyotr-volokovykh", "Pyotr Volokovykh")}
<person/maria-zakharova> a gkg:Official ; rdfs:label "Maria Zakharova"@en .
<group/yekaterinburg-detainees> a gkg:PersonGroup ;
    rdfs:label "nine detainees"@en ; gkg:memberCount {count(9)} ; gkg:descent "Azerbaijani"@en .

<{POST}> a gkg:Post ; rdfs:label "chargé d’affaires"@en ;
    gkg:heldBy <person/pyotr-volokovykh> ; gkg:postIn <organization/russian-embassy-baku> .
{evidence(POST, POST_QUOTE)}

<{RAIDS}> a gkg:Incident ; gkg:incidentKind ik:raid , ik:detention ;
    gkg:attestation att:reported ; gkg:reportedBy <organization/az-foreign-ministry> ;
    gkg:description "police raids in Yekaterinburg"@en ;
    gkg:detainedCount {count(9)} ; gkg:place <place/yekaterinburg> ;
    gkg:involves <{RAIDS}/involves/1> , <{RAIDS}/involves/2> .
<{RAIDS}/involves/1> a gkg:Participation ;
    gkg:agent <organization/russian-law-enforcement> ; gkg:role role:perpetrator .
<{RAIDS}/involves/2> a gkg:Participation ;
    gkg:agent <group/yekaterinburg-detainees> ; gkg:role role:detainee .
{evidence(RAIDS, RAIDS_QUOTE)}

<{KILLINGS}> a gkg:Incident ; gkg:incidentKind ik:killing ; gkg:killedCount {count(2)} ;
    gkg:attestation att:stated ; gkg:description "the killing of two people"@en ;
    gkg:place <place/yekaterinburg> ; gkg:resultOf <{RAIDS}> ;
    gkg:attributed <{ATTRIBUTED}> .
{evidence(KILLINGS, "leading to the deaths of two individuals")}
<{ATTRIBUTED}> a gkg:AttributedStatement , rdf:Statement ;
    rdf:subject <{KILLINGS}> ; rdf:predicate gkg:killedCount ; rdf:object {count(2)} ;
    gkg:givenBy <organization/az-foreign-ministry> .
{evidence(ATTRIBUTED, "leading to the deaths of two individuals")}

<{CRASH}> a gkg:Incident ; gkg:incidentKind ik:aircraft-crash ;
    gkg:attestation att:stated ; gkg:description "the crash of an airliner"@en ;
    gkg:killedCount {count(38)} ; gkg:aboardCount {count(67)} ; gkg:place <state/kazakhstan> .
{
    time(
        CRASH,
        month='"2024-12"^^xsd:gYearMonth',
        expression=lit("in December"),
        resolution="tres:month-only",
        anchor=f"<{ARTICLE}>",
    )
}
{evidence(CRASH, CRASH_QUOTE)}

<{SUMMONS}> a gkg:Response ; gkg:responseKind rk:diplomatic-summons , rk:demand-investigation ;
    gkg:attestation att:stated ; gkg:description "the summons of the chargé d’affaires"@en ;
    gkg:actor <organization/az-foreign-ministry> ; gkg:target <person/pyotr-volokovykh> ;
    gkg:respondsTo <{RAIDS}> ;
    gkg:content "a comprehensive investigation and accountability"@en ;
    gkg:involves <{SUMMONS}/involves/1> .
<{SUMMONS}/involves/1> a gkg:Participation ;
    gkg:agent <person/pyotr-volokovykh> ; gkg:role role:addressee .
{
    time(
        SUMMONS,
        date='"2025-06-28"^^xsd:date',
        expression=lit("On Saturday"),
        resolution="tres:relative-to-publication",
        anchor=f"<{ARTICLE}>",
    )
}
{evidence(SUMMONS, "On Saturday, the Azerbaijani officials summoned Pyotr Volokovykh")}

<{CANCELLATION}> a gkg:Response ; gkg:responseKind rk:cancellation ;
    gkg:attestation att:stated ; gkg:description "cultural events cancelled"@en ;
    gkg:actor <organization/az-culture-ministry> ; gkg:channel <organization/x> ;
    gkg:target <{EVENTS}> ; gkg:respondsTo <{KILLINGS}> .
{time(CANCELLATION, after=f"<{SUMMONS}>", resolution="tres:relative-to-event")}
{evidence(CANCELLATION, "concerts, exhibitions, festivals, and performances had been called off")}

<{EVENTS}> a gkg:PlannedEvent ; gkg:plannedKind pk:concert , pk:exhibition ;
    schema:eventStatus schema:EventCancelled ; gkg:description "cultural events"@en .
{evidence(EVENTS, "concerts, exhibitions, festivals, and performances")}

<{ZAKHAROVA_CLAIM}> a gkg:Claim ; gkg:speaker <person/maria-zakharova> ;
    gkg:status cs:reports ; gkg:about <{RAIDS}> ;
    gkg:content "The raids were part of investigations related to previous crimes."@en .
{evidence(ZAKHAROVA_CLAIM, "the raids were part of investigations related to previous crimes")}

<{MINISTRY_CLAIM}> a gkg:Claim ; gkg:speaker <organization/az-culture-ministry> ;
    gkg:status cs:alleges ; gkg:about <{KILLINGS}> ; gkg:channel <organization/x> ;
    gkg:content "The killings were targeted and extrajudicial."@en .
{evidence(MINISTRY_CLAIM, "“targeted and extrajudicial killings”")}

<{RELATION}> a gkg:StateRelation ; gkg:relationKind relk:strained ;
    gkg:party <state/azerbaijan> , <state/russia> ; gkg:evidencedBy <{KILLINGS}> .
{time(RELATION, expression=lit("in recent months"), resolution="tres:vague")}
{evidence(RELATION, "Relations between Azerbaijan and Russia have been strained in recent months.")}
"""


@dataclass(frozen=True)
class Case:
    """One rule: BASE_TTL minus ``remove`` plus ``bad`` violates ``shape`` at ``focus``;
    BASE_TTL plus ``good`` conforms. ``also`` lists further (focus, shape) results that the
    violation necessarily causes."""

    rule: str
    shape: str
    focus: str
    remove: str = ""
    bad: str = ""
    good: str = ""
    also: tuple[tuple[str, str], ...] = ()

    def expected(self) -> set[tuple[Node, Node]]:
        pairs = [(self.focus, self.shape), *self.also]
        return {(URIRef(ID + focus), URIRef(GKGSH + shape)) for focus, shape in pairs}


def _graph(turtle: str) -> Graph:
    return Graph().parse(data=PREFIXES + turtle, format="turtle")


def _turtle_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.ttl")) if directory.is_dir() else []


@cache
def _shapes() -> Graph:
    graph = Graph()
    for path in _turtle_files(SHAPES_DIR):
        graph.parse(path, format="turtle")
    return graph


@cache
def _ontology() -> Graph:
    paths = _turtle_files(ONTOLOGY_DIR)
    if not paths:
        return _graph(FALLBACK_ONTOLOGY)
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@cache
def _prepared(text: str) -> Query:
    return prepareQuery(text)


@pytest.fixture(scope="module", autouse=True)
def _parse_each_sparql_constraint_once() -> Iterator[None]:
    """pyshacl hands rdflib a SPARQL constraint's text once per focus node and rdflib parses it
    every time (about 40 ms, most of a validation); here each text is parsed once. The queries
    declare all their prefixes, so the graph's namespaces (initNs) are not needed."""
    original = SPARQLProcessor.query

    def query(  # rdflib's signature and parameter names
        self: SPARQLProcessor,
        strOrQuery: str | Query,
        initBindings: Mapping[str, Node] | None = None,
        initNs: Mapping[str, Any] | None = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Mapping[str, Any]:
        if isinstance(strOrQuery, str) and base is None:
            strOrQuery = _prepared(strOrQuery)
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SPARQLProcessor, "query", query)
        yield


def shacl_results(data_ttl: str) -> list[tuple[Node, Node]]:
    """(focus node, source shape) of every result of validating ``data_ttl`` (prefixes added)
    together with the ontology, by pySHACL, the reference; graphkg's validation (another
    engine, see :func:`graphkg_results`) must report the same."""
    results = pyshacl_results(data_ttl)
    assert graphkg_results(data_ttl) == set(results)
    return results


def pyshacl_results(data_ttl: str) -> list[tuple[Node, Node]]:
    # The ontology joins the data graph here instead of going in as ont_graph: pyshacl 0.40
    # "inoculates" an ont_graph by deep-cloning each owl:NamedIndividual ten levels down, and
    # the concept schemes' inScheme/hasTopConcept links make that take minutes per call.
    # With inference="none" the union is what the shapes see either way.
    data = _graph(data_ttl)
    data += _ontology()
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=_shapes(),
        ont_graph=None,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return [
        (report.value(result, SH.focusNode), report.value(result, SH.sourceShape))
        for result in report.subjects(RDF.type, SH.ValidationResult)
    ]


def variant(remove: str = "", add: str = "") -> str:
    """BASE_TTL with the triples of ``remove`` taken out and those of ``add`` put in."""
    graph = _graph(BASE_TTL)
    removed = _graph(remove)
    assert all(triple in graph for triple in removed), f"not in the base data:\n{remove}"
    graph -= removed
    graph += _graph(add)
    return graph.serialize(format="turtle")


def graphkg_results(data_ttl: str) -> set[tuple[Node, Node]]:
    """(focus node, source shape) of every result of graphkg's validation of ``data_ttl``:
    pyshacl-turbo for core constraints, Oxigraph for SPARQL ones, the rules in Python."""
    data = _graph(data_ttl)
    _, report = validation.shacl_results(data, set(data.subjects()))
    return {
        (report.value(result, SH.focusNode), report.value(result, SH.sourceShape))
        for result in report.subjects(RDF.type, SH.ValidationResult)
    }


def assert_rejects(case: Case) -> None:
    assert set(shacl_results(variant(case.remove, case.bad))) == case.expected()


def assert_accepts(case: Case) -> None:
    assert shacl_results(variant(add=case.good)) == []


# Property shapes (core SHACL). The rule names read as specifications.
PROPERTY_CASES = [
    # Article
    Case(
        "article-has-one-byline",
        "ArticleShape-byline",
        ARTICLE,
        bad=f'<{ARTICLE}> gkg:byline "By one" , "By another" .',
        good=f'<{ARTICLE}> gkg:byline "By Jane Doe in Baku" ; gkg:originalPublisher "Reuters" .',
    ),
    Case(
        "article-original-publisher-is-a-name",
        "ArticleShape-originalPublisher",
        ARTICLE,
        bad=f"<{ARTICLE}> gkg:originalPublisher <organization/russian-embassy-baku> .",
    ),
    Case(
        "article-has-its-text",
        "ArticleShape-text",
        ARTICLE,
        remove=f"<{ARTICLE}> gkg:text {lit(TEXT)} .",
    ),
    Case(
        "article-has-a-title",
        "ArticleShape-title",
        ARTICLE,
        remove=f"<{ARTICLE}> gkg:title {TITLE} .",
        good=f'<{ARTICLE}> gkg:title "Aserbaidschan sagt russische Veranstaltungen ab"@de .',
    ),
    Case(
        "article-has-one-title-per-language",
        "ArticleShape-title",
        ARTICLE,
        bad=f'<{ARTICLE}> gkg:title "Azerbaijan cancels Russian events"@en .',
    ),
    Case(
        "article-has-a-language",
        "ArticleShape-language",
        ARTICLE,
        remove=f'<{ARTICLE}> gkg:language "en"^^xsd:language .',
    ),
    Case(
        "article-has-at-most-one-publication-date",
        "ArticleShape-published",
        ARTICLE,
        bad=f'<{ARTICLE}> gkg:published "2025-06-30"^^xsd:date .',
    ),
    Case(
        "article-url-is-a-uri",
        "ArticleShape-url",
        ARTICLE,
        remove=f"<{ARTICLE}> gkg:url {URL} .",
        bad=f'<{ARTICLE}> gkg:url "example.org/azerbaijan-halts-russian-events" .',
    ),
    Case(
        "article-license-is-a-uri",
        "ArticleShape-license",
        ARTICLE,
        bad=f'<{ARTICLE}> gkg:license "CC BY 4.0" .',
        good=f"<{ARTICLE}> gkg:license {CC_BY} .",
    ),
    Case(
        "article-publisher-is-a-plain-string",
        "ArticleShape-publisher",
        ARTICLE,
        bad=f'<{ARTICLE}> gkg:publisher "Example News"@en .',
        good=f'<{ARTICLE}> gkg:publisher "Example News" .',
    ),
    # Entities
    Case(
        "state-has-a-label",
        "StateShape-label",
        "state/kazakhstan",
        remove='<state/kazakhstan> rdfs:label "Kazakhstan"@en .',
        # a state is a place, so the place rule fires too
        also=(("state/kazakhstan", "PlaceShape-label"),),
    ),
    Case(
        "organization-has-a-label",
        "OrganizationShape-label",
        "organization/x",
        remove='<organization/x> rdfs:label "X"@en .',
    ),
    Case(
        "organization-label-has-a-language-tag",
        "OrganizationShape-label",
        "organization/x",
        remove='<organization/x> rdfs:label "X"@en .',
        bad='<organization/x> rdfs:label "X" .',
    ),
    Case(
        "organization-belongs-to-a-state",
        "OrganizationShape-belongsToState",
        "organization/x",
        bad="<organization/x> gkg:belongsToState <organization/az-foreign-ministry> .",
    ),
    Case(
        "organization-is-part-of-an-organization",
        "OrganizationShape-subOrganizationOf",
        "organization/az-foreign-ministry",
        bad="<organization/az-foreign-ministry> gkg:subOrganizationOf <state/azerbaijan> .",
        good="""
            <organization/az-government> a gkg:Government ;
                rdfs:label "Government of Azerbaijan"@en .
            <organization/az-foreign-ministry>
                gkg:subOrganizationOf <organization/az-government> .
        """,
    ),
    Case(
        "organization-evidence-is-a-quote-node",
        "OrganizationShape-evidence",
        "organization/x",
        bad='<organization/x> gkg:evidence "made a declaration on X" .',
        good=evidence("organization/x", "made a declaration on X"),
    ),
    Case(
        "person-has-a-label",
        "PersonShape-label",
        "person/maria-zakharova",
        remove='<person/maria-zakharova> rdfs:label "Maria Zakharova"@en .',
    ),
    Case(
        "person-nationality-is-a-state",
        "PersonShape-nationality",
        "person/maria-zakharova",
        bad="<person/maria-zakharova> gkg:nationality <organization/ru-foreign-ministry> .",
        good="<person/maria-zakharova> gkg:nationality <state/russia> .",
    ),
    Case(
        "person-sibling-is-a-person",
        "PersonShape-sibling",
        "person/huseyn-safarov",
        bad="""
            <person/huseyn-safarov> a gkg:Person ; rdfs:label "Huseyn Safarov"@en ;
                gkg:sibling <group/yekaterinburg-detainees> .
        """,
        good="""
            <person/huseyn-safarov> a gkg:Person ; rdfs:label "Huseyn Safarov"@en ;
                gkg:sibling <person/ziyaddin-safarov> .
            <person/ziyaddin-safarov> a gkg:Person ; rdfs:label "Ziyaddin Safarov"@en .
        """,
    ),
    Case(
        "person-approximate-age-is-a-whole-number",
        "PersonShape-approximateAge",
        "person/maria-zakharova",
        bad='<person/maria-zakharova> gkg:approximateAge "about 50" .',
        good=f"<person/maria-zakharova> gkg:approximateAge {count(50)} .",
    ),
    Case(
        "person-descent-has-a-language-tag",
        "PersonShape-descent",
        "person/maria-zakharova",
        bad='<person/maria-zakharova> gkg:descent "Russian" .',
        good='<person/maria-zakharova> gkg:descent "Russian"@en .',
    ),
    Case(
        "person-evidence-is-a-quote-node",
        "PersonShape-evidence",
        "person/maria-zakharova",
        bad='<person/maria-zakharova> gkg:evidence "spokeswoman Maria Zakharova" .',
        good=evidence("person/maria-zakharova", "spokeswoman Maria Zakharova"),
    ),
    Case(
        "person-group-has-a-label",
        "PersonGroupShape-label",
        "group/yekaterinburg-detainees",
        remove='<group/yekaterinburg-detainees> rdfs:label "nine detainees"@en .',
    ),
    Case(
        "person-group-member-count-is-a-whole-number",
        "PersonGroupShape-memberCount",
        "group/yekaterinburg-detainees",
        remove=f"<group/yekaterinburg-detainees> gkg:memberCount {count(9)} .",
        bad='<group/yekaterinburg-detainees> gkg:memberCount "nine" .',
    ),
    Case(
        "person-group-member-is-a-person",
        "PersonGroupShape-member",
        "group/yekaterinburg-detainees",
        bad="<group/yekaterinburg-detainees> gkg:member <organization/x> .",
        good="""
            <person/detainee-1> a gkg:Person ; rdfs:label "a detainee"@en .
            <group/yekaterinburg-detainees> gkg:member <person/detainee-1> .
        """,
    ),
    Case(
        "person-group-descent-has-a-language-tag",
        "PersonGroupShape-descent",
        "group/yekaterinburg-detainees",
        bad='<group/yekaterinburg-detainees> gkg:descent "Azerbaijani" .',
    ),
    Case(
        "person-group-evidence-is-a-quote-node",
        "PersonGroupShape-evidence",
        "group/yekaterinburg-detainees",
        bad='<group/yekaterinburg-detainees> gkg:evidence "the detention of nine people" .',
        good=evidence("group/yekaterinburg-detainees", "the detention of nine people"),
    ),
    Case(
        "place-has-a-label",
        "PlaceShape-label",
        "place/yekaterinburg",
        remove='<place/yekaterinburg> rdfs:label "Yekaterinburg"@en .',
    ),
    Case(
        "place-is-located-in-a-place",
        "PlaceShape-locatedIn",
        "place/yekaterinburg",
        bad="<place/yekaterinburg> gkg:locatedIn <organization/russian-law-enforcement> .",
        good="""
            <place/ural-mountains> a gkg:Region ; rdfs:label "Ural Mountains"@en .
            <place/yekaterinburg> gkg:locatedIn <place/ural-mountains> .
        """,
    ),
    Case(
        "place-evidence-is-a-quote-node",
        "PlaceShape-evidence",
        "place/yekaterinburg",
        bad='<place/yekaterinburg> gkg:evidence "Yekaterinburg" .',
        good=evidence("place/yekaterinburg", "Yekaterinburg, located in Russia’s Ural Mountains"),
    ),
    Case(
        "same-as-links-to-an-iri",
        "SameAsShape-sameAs",
        "state/russia",
        bad='<state/russia> schema:sameAs "Q159" .',
        good="<state/russia> schema:sameAs <http://www.wikidata.org/entity/Q159> .",
    ),
    # Post
    Case(
        "post-is-held-by-a-person",
        "PostShape-heldBy",
        POST,
        remove=f"<{POST}> gkg:heldBy <person/pyotr-volokovykh> .",
    ),
    Case(
        "post-holder-is-a-person",
        "PostShape-heldBy",
        POST,
        remove=f"<{POST}> gkg:heldBy <person/pyotr-volokovykh> .",
        bad=f"<{POST}> gkg:heldBy <organization/russian-embassy-baku> .",
    ),
    Case(
        "post-is-in-at-most-one-organization",
        "PostShape-postIn",
        POST,
        bad=f"<{POST}> gkg:postIn <organization/ru-foreign-ministry> .",
    ),
    Case(
        "post-has-a-label",
        "PostShape-label",
        POST,
        remove=f'<{POST}> rdfs:label "chargé d’affaires"@en .',
    ),
    Case(
        "post-belongs-to-a-state",
        "PostShape-belongsToState",
        POST,
        bad=f"<{POST}> gkg:belongsToState <organization/russian-embassy-baku> .",
        good=f"<{POST}> gkg:belongsToState <state/russia> .",
    ),
    Case(
        "post-has-at-most-one-time",
        "PostShape-time",
        POST,
        bad=time(POST, 1, expression=lit("now")) + time(POST, 2, expression=lit("then")),
        good=time(POST, expression=lit("now"), resolution="tres:vague"),
    ),
    Case(
        "post-has-evidence",
        "PostShape-evidence",
        POST,
        remove=f"<{POST}> gkg:evidence <{POST}/evidence/1> .",
    ),
    # Incident
    Case(
        "incident-has-an-incident-kind",
        "IncidentShape-incidentKind",
        RAIDS,
        remove=f"<{RAIDS}> gkg:incidentKind ik:raid , ik:detention .",
    ),
    Case(
        "incident-kind-is-an-incident-kind-concept",
        "IncidentShape-incidentKind",
        RAIDS,
        bad=f"<{RAIDS}> gkg:incidentKind rk:cancellation .",
    ),
    Case(
        "incident-killed-count-is-a-whole-number",
        "IncidentShape-killedCount",
        KILLINGS,
        remove=f"<{KILLINGS}> gkg:killedCount {count(2)} .",
        bad=f'<{KILLINGS}> gkg:killedCount "two" .',
    ),
    Case(
        "incident-killed-count-is-not-negative",
        "IncidentShape-killedCount",
        KILLINGS,
        remove=f"<{KILLINGS}> gkg:killedCount {count(2)} .",
        bad=f"<{KILLINGS}> gkg:killedCount {count(-2)} .",
        good=f"<{RAIDS}> gkg:killedCount {count(0)} .",
    ),
    Case(
        "incident-injured-count-is-a-whole-number",
        "IncidentShape-injuredCount",
        RAIDS,
        bad=f'<{RAIDS}> gkg:injuredCount "-1"^^xsd:integer .',
        good=f"<{RAIDS}> gkg:injuredCount {count(3)} .",
    ),
    Case(
        "incident-has-at-most-one-detained-count",
        "IncidentShape-detainedCount",
        RAIDS,
        bad=f"<{RAIDS}> gkg:detainedCount {count(10)} .",
    ),
    Case(
        "incident-has-at-most-one-aboard-count",
        "IncidentShape-aboardCount",
        CRASH,
        bad=f"<{CRASH}> gkg:aboardCount {count(70)} .",
    ),
    Case(
        "incident-place-is-a-place",
        "IncidentShape-place",
        RAIDS,
        bad=f"<{RAIDS}> gkg:place <organization/russian-law-enforcement> .",
    ),
    Case(
        "incident-has-at-most-one-time",
        "IncidentShape-time",
        CRASH,
        bad=time(CRASH, 2, expression=lit("last winter")),
    ),
    Case(
        "incident-involves-participations",
        "IncidentShape-involves",
        RAIDS,
        bad=f"<{RAIDS}> gkg:involves <group/yekaterinburg-detainees> .",
    ),
    Case(
        "incident-results-from-an-event",
        "IncidentShape-resultOf",
        KILLINGS,
        bad=f"<{KILLINGS}> gkg:resultOf <{ZAKHAROVA_CLAIM}> .",
    ),
    Case(
        "incident-is-part-of-an-event",
        "IncidentShape-partOf",
        KILLINGS,
        bad=f"<{KILLINGS}> gkg:partOf <place/yekaterinburg> .",
        good=f"<{KILLINGS}> gkg:partOf <{RAIDS}> .",
    ),
    Case(
        "incident-has-evidence",
        "IncidentShape-evidence",
        RAIDS,
        remove=f"<{RAIDS}> gkg:evidence <{RAIDS}/evidence/1> .",
    ),
    # Response
    Case(
        "response-has-a-response-kind",
        "ResponseShape-responseKind",
        SUMMONS,
        remove=f"<{SUMMONS}> gkg:responseKind rk:diplomatic-summons , rk:demand-investigation .",
    ),
    Case(
        "response-kind-is-a-response-kind-concept",
        "ResponseShape-responseKind",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:responseKind ik:raid .",
    ),
    Case(
        "response-has-an-actor",
        "ResponseShape-actor",
        SUMMONS,
        remove=f"<{SUMMONS}> gkg:actor <organization/az-foreign-ministry> .",
    ),
    Case(
        "response-actor-is-an-agent",
        "ResponseShape-actor",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:actor <place/yekaterinburg> .",
        good=f"<{SUMMONS}> gkg:actor <state/azerbaijan> .",
    ),
    Case(
        "response-target-is-a-resource",
        "ResponseShape-target",
        SUMMONS,
        bad=f'<{SUMMONS}> gkg:target "the Russian envoy"@en .',
    ),
    Case(
        "response-responds-to-an-event",
        "ResponseShape-respondsTo",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:respondsTo <state/russia> .",
        good=f"<{SUMMONS}> gkg:respondsTo <{KILLINGS}> .",
    ),
    Case(
        "response-no-trigger-note-has-a-language-tag",
        "ResponseShape-noTriggerNote",
        SUMMONS,
        bad=f'<{SUMMONS}> gkg:noTriggerNote "no cause given" .',
        good=f'<{SUMMONS}> gkg:noTriggerNote "The article gives no further cause."@en .',
    ),
    Case(
        "response-reason-has-a-language-tag",
        "ResponseShape-reason",
        CANCELLATION,
        bad=f'<{CANCELLATION}> gkg:reason "targeted and extrajudicial killings" .',
        good=f'<{CANCELLATION}> gkg:reason "targeted and extrajudicial killings"@en .',
    ),
    Case(
        "response-channel-is-an-organization",
        "ResponseShape-channel",
        CANCELLATION,
        bad=f"<{CANCELLATION}> gkg:channel <state/azerbaijan> .",
    ),
    Case(
        "response-content-has-a-language-tag",
        "ResponseShape-content",
        SUMMONS,
        bad=f'<{SUMMONS}> gkg:content "accountability" .',
    ),
    Case(
        "response-place-is-a-place",
        "ResponseShape-place",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:place <organization/az-foreign-ministry> .",
        good=f"<{SUMMONS}> gkg:place <state/azerbaijan> .",
    ),
    Case(
        "response-has-at-most-one-time",
        "ResponseShape-time",
        SUMMONS,
        bad=time(SUMMONS, 2, expression=lit("this weekend")),
    ),
    Case(
        "response-involves-participations",
        "ResponseShape-involves",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:involves <person/pyotr-volokovykh> .",
    ),
    Case(
        "response-results-from-an-event",
        "ResponseShape-resultOf",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:resultOf <{ZAKHAROVA_CLAIM}> .",
        good=f"<{SUMMONS}> gkg:resultOf <{KILLINGS}> .",
    ),
    Case(
        "response-is-part-of-an-event",
        "ResponseShape-partOf",
        CANCELLATION,
        bad=f"<{CANCELLATION}> gkg:partOf <organization/x> .",
        good=f"<{CANCELLATION}> gkg:partOf <{SUMMONS}> .",
    ),
    Case(
        "response-has-evidence",
        "ResponseShape-evidence",
        SUMMONS,
        remove=f"<{SUMMONS}> gkg:evidence <{SUMMONS}/evidence/1> .",
    ),
    # Claim
    Case(
        "claim-has-a-speaker",
        "ClaimShape-speaker",
        ZAKHAROVA_CLAIM,
        remove=f"<{ZAKHAROVA_CLAIM}> gkg:speaker <person/maria-zakharova> .",
    ),
    Case(
        "claim-speaker-is-a-resource",
        "ClaimShape-speaker",
        ZAKHAROVA_CLAIM,
        remove=f"<{ZAKHAROVA_CLAIM}> gkg:speaker <person/maria-zakharova> .",
        bad=f'<{ZAKHAROVA_CLAIM}> gkg:speaker "Maria Zakharova" .',
        good=f"<{ZAKHAROVA_CLAIM}> gkg:speaker <organization/ru-foreign-ministry> .",
        also=((ZAKHAROVA_CLAIM, "ClaimSpeakerShape"),),
    ),
    Case(
        "claim-has-a-status",
        "ClaimShape-status",
        ZAKHAROVA_CLAIM,
        remove=f"<{ZAKHAROVA_CLAIM}> gkg:status cs:reports .",
    ),
    Case(
        "claim-has-exactly-one-status",
        "ClaimShape-status",
        ZAKHAROVA_CLAIM,
        bad=f"<{ZAKHAROVA_CLAIM}> gkg:status cs:denies .",
    ),
    Case(
        "claim-has-one-content-per-language",
        "ClaimShape-content",
        ZAKHAROVA_CLAIM,
        bad=f'<{ZAKHAROVA_CLAIM}> gkg:content "The detentions targeted Russian citizens."@en .',
        good=f'<{ZAKHAROVA_CLAIM}> gkg:content "Рейды были частью расследований."@ru .',
    ),
    Case(
        "claim-about-is-a-resource",
        "ClaimShape-about",
        ZAKHAROVA_CLAIM,
        bad=f'<{ZAKHAROVA_CLAIM}> gkg:about "the raids"@en .',
    ),
    Case(
        "claim-conflicts-with-a-claim",
        "ClaimShape-conflictsWith",
        ZAKHAROVA_CLAIM,
        bad=f"<{ZAKHAROVA_CLAIM}> gkg:conflictsWith <{KILLINGS}> .",
        good=f"<{ZAKHAROVA_CLAIM}> gkg:conflictsWith <{MINISTRY_CLAIM}> .",
    ),
    Case(
        "claim-reason-has-a-language-tag",
        "ClaimShape-reason",
        ZAKHAROVA_CLAIM,
        bad=f'<{ZAKHAROVA_CLAIM}> gkg:reason "previous crimes" .',
        good=f'<{ZAKHAROVA_CLAIM}> gkg:reason "previous crimes"@en .',
    ),
    Case(
        "claim-channel-is-an-organization",
        "ClaimShape-channel",
        MINISTRY_CLAIM,
        bad=f"<{MINISTRY_CLAIM}> gkg:channel <person/maria-zakharova> .",
    ),
    Case(
        "claim-has-at-most-one-time",
        "ClaimShape-time",
        ZAKHAROVA_CLAIM,
        bad=time(ZAKHAROVA_CLAIM, 1, expression=lit("on Friday"))
        + time(ZAKHAROVA_CLAIM, 2, expression=lit("on Saturday")),
        good=time(
            ZAKHAROVA_CLAIM,
            date='"2025-06-29"^^xsd:date',
            expression=lit("on Sunday"),
            resolution="tres:relative-to-publication",
        ),
    ),
    Case(
        "claim-has-evidence",
        "ClaimShape-evidence",
        ZAKHAROVA_CLAIM,
        remove=f"<{ZAKHAROVA_CLAIM}> gkg:evidence <{ZAKHAROVA_CLAIM}/evidence/1> .",
    ),
    # StateRelation
    Case(
        "state-relation-has-a-relation-kind",
        "StateRelationShape-relationKind",
        RELATION,
        remove=f"<{RELATION}> gkg:relationKind relk:strained .",
    ),
    Case(
        "state-relation-has-exactly-one-relation-kind",
        "StateRelationShape-relationKind",
        RELATION,
        bad=f"<{RELATION}> gkg:relationKind relk:escalating .",
    ),
    Case(
        "state-relation-has-two-parties",
        "StateRelationShape-party",
        RELATION,
        remove=f"<{RELATION}> gkg:party <state/russia> .",
    ),
    Case(
        "state-relation-has-no-more-than-two-parties",
        "StateRelationShape-party",
        RELATION,
        bad=f"<{RELATION}> gkg:party <state/kazakhstan> .",
    ),
    Case(
        "state-relation-parties-are-states",
        "StateRelationShape-party",
        RELATION,
        remove=f"<{RELATION}> gkg:party <state/russia> .",
        bad=f"<{RELATION}> gkg:party <organization/ru-foreign-ministry> .",
    ),
    Case(
        "state-relation-is-evidenced-by-events",
        "StateRelationShape-evidencedBy",
        RELATION,
        bad=f"<{RELATION}> gkg:evidencedBy <{ZAKHAROVA_CLAIM}> .",
        good=f"<{RELATION}> gkg:evidencedBy <{CRASH}> .",
    ),
    Case(
        "state-relation-has-at-most-one-time",
        "StateRelationShape-time",
        RELATION,
        bad=time(RELATION, 2, expression=lit("since December")),
    ),
    Case(
        "state-relation-has-evidence",
        "StateRelationShape-evidence",
        RELATION,
        remove=f"<{RELATION}> gkg:evidence <{RELATION}/evidence/1> .",
    ),
    # Participation
    Case(
        "participation-has-an-agent",
        "ParticipationShape-agent",
        f"{RAIDS}/involves/1",
        remove=f"<{RAIDS}/involves/1> gkg:agent <organization/russian-law-enforcement> .",
    ),
    Case(
        "participation-agent-is-an-agent",
        "ParticipationShape-agent",
        f"{RAIDS}/involves/1",
        remove=f"<{RAIDS}/involves/1> gkg:agent <organization/russian-law-enforcement> .",
        bad=f"<{RAIDS}/involves/1> gkg:agent <place/yekaterinburg> .",
    ),
    Case(
        "participation-has-a-role",
        "ParticipationShape-role",
        f"{RAIDS}/involves/1",
        remove=f"<{RAIDS}/involves/1> gkg:role role:perpetrator .",
    ),
    Case(
        "participation-role-is-a-role-concept",
        "ParticipationShape-role",
        f"{RAIDS}/involves/1",
        remove=f"<{RAIDS}/involves/1> gkg:role role:perpetrator .",
        bad=f"<{RAIDS}/involves/1> gkg:role ik:raid .",
    ),
    # Persons the article does not name, and relations between persons
    Case(
        "person-partner-is-a-person",
        "PersonShape-partner",
        "person/pyotr-volokovykh",
        bad="<person/pyotr-volokovykh> gkg:partner <state/azerbaijan> .",
    ),
    Case(
        "person-diplomatic-immunity-is-a-boolean",
        "PersonShape-diplomaticImmunity",
        "person/pyotr-volokovykh",
        bad='<person/pyotr-volokovykh> gkg:diplomaticImmunity "yes" .',
    ),
    Case(
        "unnamed-person-has-a-description",
        "UnnamedPersonShape-description",
        "person/volokovykh-partner",
        bad='<person/volokovykh-partner> a gkg:UnnamedPerson ; rdfs:label "his partner"@en .',
        good='<person/volokovykh-partner> a gkg:UnnamedPerson ; rdfs:label "his partner"@en ; '
        'gkg:description "the partner of Pyotr Volokovykh"@en . '
        "<person/pyotr-volokovykh> gkg:partner <person/volokovykh-partner> .",
    ),
    Case(
        "founder-of-is-an-organization",
        "FounderOfShape-organization",
        "person/pyotr-volokovykh",
        bad="<person/pyotr-volokovykh> gkg:founderOf <state/azerbaijan> .",
    ),
    # Site
    Case(
        "site-has-a-place",
        "SiteShape-place",
        f"{RAIDS}/site/1",
        bad=f"<{RAIDS}> gkg:site <{RAIDS}/site/1> . <{RAIDS}/site/1> a gkg:Site ; "
        "gkg:siteRole srole:arrest-site .",
    ),
    Case(
        "site-place-is-a-place",
        "SiteShape-place",
        f"{RAIDS}/site/1",
        bad=f"<{RAIDS}> gkg:site <{RAIDS}/site/1> . <{RAIDS}/site/1> a gkg:Site ; "
        "gkg:place <person/pyotr-volokovykh> ; gkg:siteRole srole:arrest-site .",
    ),
    Case(
        "site-has-a-role",
        "SiteShape-role",
        f"{RAIDS}/site/1",
        bad=f"<{RAIDS}> gkg:site <{RAIDS}/site/1> . <{RAIDS}/site/1> a gkg:Site ; "
        "gkg:place <place/yekaterinburg> .",
    ),
    Case(
        "site-role-is-a-site-role-concept",
        "SiteShape-role",
        f"{RAIDS}/site/1",
        bad=f"<{RAIDS}> gkg:site <{RAIDS}/site/1> . <{RAIDS}/site/1> a gkg:Site ; "
        "gkg:place <place/yekaterinburg> ; gkg:siteRole role:perpetrator .",
    ),
    # TimeSpecification
    Case(
        "time-date-is-an-xsd-date",
        "TimeSpecificationShape-date",
        f"{SUMMONS}/time/1",
        remove=f'<{SUMMONS}/time/1> gkg:date "2025-06-28"^^xsd:date .',
        bad=f'<{SUMMONS}/time/1> gkg:date "28 June 2025" .',
    ),
    Case(
        "time-month-is-an-xsd-g-year-month",
        "TimeSpecificationShape-month",
        f"{CRASH}/time/1",
        remove=f'<{CRASH}/time/1> gkg:month "2024-12"^^xsd:gYearMonth .',
        bad=f'<{CRASH}/time/1> gkg:month "December 2024" .',
    ),
    Case(
        "time-expression-is-a-plain-string",
        "TimeSpecificationShape-expression",
        f"{SUMMONS}/time/1",
        remove=f'<{SUMMONS}/time/1> gkg:expression "On Saturday" .',
        bad=f'<{SUMMONS}/time/1> gkg:expression "On Saturday"@en .',
    ),
    Case(
        "time-anchor-is-a-resource",
        "TimeSpecificationShape-anchor",
        f"{SUMMONS}/time/1",
        remove=f"<{SUMMONS}/time/1> gkg:anchor <{ARTICLE}> .",
        bad=f'<{SUMMONS}/time/1> gkg:anchor "the article" .',
    ),
    Case(
        "time-resolution-is-a-time-resolution-concept",
        "TimeSpecificationShape-resolution",
        f"{SUMMONS}/time/1",
        remove=f"<{SUMMONS}/time/1> gkg:resolution tres:relative-to-publication .",
        bad=f"<{SUMMONS}/time/1> gkg:resolution rk:statement .",
        good=f"<{CANCELLATION}/time/1> gkg:expression {lit('later')} .",
    ),
    Case(
        "time-is-after-an-event",
        "TimeSpecificationShape-after",
        f"{CANCELLATION}/time/1",
        remove=f"<{CANCELLATION}/time/1> gkg:after <{SUMMONS}> .",
        bad=f"<{CANCELLATION}/time/1> gkg:after <state/russia> .",
    ),
    # Evidence and its selectors
    Case(
        "evidence-has-a-source",
        "EvidenceShape-hasSource",
        f"{RAIDS}/evidence/1",
        remove=f"<{RAIDS}/evidence/1> oa:hasSource <{ARTICLE}> .",
    ),
    Case(
        "evidence-source-is-an-article",
        "EvidenceShape-hasSource",
        f"{RAIDS}/evidence/1",
        remove=f"<{RAIDS}/evidence/1> oa:hasSource <{ARTICLE}> .",
        bad=f"<{RAIDS}/evidence/1> oa:hasSource <https://example.org/other-article> .",
    ),
    Case(
        "evidence-has-a-quote-selector",
        "EvidenceShape-quoteSelector",
        f"{RAIDS}/evidence/1",
        remove=f"<{RAIDS}/evidence/1> oa:hasSelector <{RAIDS}/evidence/1/quote> .",
    ),
    Case(
        "evidence-has-a-position-selector",
        "EvidenceShape-positionSelector",
        f"{RAIDS}/evidence/1",
        remove=f"<{RAIDS}/evidence/1> oa:hasSelector <{RAIDS}/evidence/1/position> .",
    ),
    Case(
        "evidence-has-only-one-position-selector",
        "EvidenceShape-positionSelector",
        f"{RAIDS}/evidence/1",
        bad=f"""
            <{RAIDS}/evidence/1> oa:hasSelector <{RAIDS}/evidence/1/position-2> .
            <{RAIDS}/evidence/1/position-2> a oa:TextPositionSelector .
        """,
        # the second selector's own offsets are missing
        also=(
            (f"{RAIDS}/evidence/1/position-2", "TextPositionSelectorShape-start"),
            (f"{RAIDS}/evidence/1/position-2", "TextPositionSelectorShape-end"),
        ),
    ),
    Case(
        "quote-selector-has-the-quote",
        "TextQuoteSelectorShape-exact",
        f"{RAIDS}/evidence/1/quote",
        remove=f"<{RAIDS}/evidence/1/quote> oa:exact {lit(RAIDS_QUOTE)} .",
    ),
    Case(
        "quote-selector-quote-is-not-empty",
        "TextQuoteSelectorShape-exact",
        f"{RAIDS}/evidence/1/quote",
        remove=f"<{RAIDS}/evidence/1/quote> oa:exact {lit(RAIDS_QUOTE)} .",
        bad=f'<{RAIDS}/evidence/1/quote> oa:exact "" .',
        # an empty quote is in every text, but the offsets no longer select it
        also=((f"{RAIDS}/evidence/1", "EvidencePositionShape"),),
    ),
    Case(
        "quote-selector-has-at-most-one-prefix",
        "TextQuoteSelectorShape-prefix",
        f"{RAIDS}/evidence/1/quote",
        bad=f'<{RAIDS}/evidence/1/quote> oa:prefix "reported that " .',
    ),
    Case(
        "quote-selector-suffix-is-a-plain-string",
        "TextQuoteSelectorShape-suffix",
        f"{RAIDS}/evidence/1/quote",
        bad=f'<{RAIDS}/evidence/1/quote> oa:suffix ", located in"@en .',
    ),
    Case(
        "position-selector-has-a-start",
        "TextPositionSelectorShape-start",
        f"{RAIDS}/evidence/1/position",
        remove=f"<{RAIDS}/evidence/1/position> oa:start {count(start_of(RAIDS_QUOTE))} .",
    ),
    Case(
        "position-selector-has-an-end",
        "TextPositionSelectorShape-end",
        f"{RAIDS}/evidence/1/position",
        remove=f"<{RAIDS}/evidence/1/position> oa:end {count(end_of(RAIDS_QUOTE))} .",
    ),
    Case(
        "position-selector-end-is-not-negative",
        "TextPositionSelectorShape-end",
        f"{RAIDS}/evidence/1/position",
        remove=f"<{RAIDS}/evidence/1/position> oa:end {count(end_of(RAIDS_QUOTE))} .",
        bad=f"<{RAIDS}/evidence/1/position> oa:end {count(-1)} .",
        # a negative end is also before the start, and selects nothing
        also=(
            (f"{RAIDS}/evidence/1/position", "TextPositionSelectorShape-startBeforeEnd"),
            (f"{RAIDS}/evidence/1", "EvidencePositionShape"),
        ),
    ),
    Case(
        "position-selector-start-is-a-character-offset",
        "TextPositionSelectorShape-start",
        f"{SUMMONS}/evidence/1/position",
        remove=f"<{SUMMONS}/evidence/1/position> oa:start {count(start_of('On Saturday'))} .",
        bad=f'<{SUMMONS}/evidence/1/position> oa:start "{start_of("On Saturday")}" .',
        # a string does not compare with the end offset either
        also=((f"{SUMMONS}/evidence/1/position", "TextPositionSelectorShape-startBeforeEnd"),),
    ),
    Case(
        "position-selector-start-is-before-end",
        "TextPositionSelectorShape-startBeforeEnd",
        f"{RAIDS}/evidence/1/position",
        remove=f"<{RAIDS}/evidence/1/position> oa:end {count(end_of(RAIDS_QUOTE))} .",
        bad=f"<{RAIDS}/evidence/1/position> oa:end {count(start_of(RAIDS_QUOTE))} .",
        # offsets that select nothing cannot select the quote
        also=((f"{RAIDS}/evidence/1", "EvidencePositionShape"),),
    ),
    # World knowledge
    Case(
        "world-knowledge-has-a-subject",
        "WorldKnowledgeShape-subject",
        "state/azerbaijan/world/1",
        remove="<state/azerbaijan/world/1> rdf:subject <state/azerbaijan> .",
    ),
    Case(
        "world-knowledge-has-a-predicate",
        "WorldKnowledgeShape-predicate",
        "state/azerbaijan/world/1",
        remove="<state/azerbaijan/world/1> rdf:predicate schema:sameAs .",
    ),
    Case(
        "world-knowledge-has-an-object",
        "WorldKnowledgeShape-object",
        "state/azerbaijan/world/1",
        remove="<state/azerbaijan/world/1> rdf:object wd:Q227 .",
    ),
    Case(
        "world-knowledge-source-is-an-iri",
        "WorldKnowledgeShape-wasDerivedFrom",
        "state/azerbaijan/world/1",
        remove="""<state/azerbaijan/world/1>
            prov:wasDerivedFrom <https://www.wikidata.org/wiki/Q227> .""",
        bad='<state/azerbaijan/world/1> prov:wasDerivedFrom "https://www.wikidata.org/wiki/Q227" .',
    ),
    # Organization and group: places and citizenship as links
    Case(
        "organization-is-based-in-a-place",
        "OrganizationShape-basedIn",
        "organization/russian-embassy-baku",
        bad="<organization/russian-embassy-baku> gkg:basedIn <organization/x> .",
        good="<organization/russian-embassy-baku> gkg:basedIn <place/yekaterinburg> .",
    ),
    Case(
        "group-nationality-is-a-state",
        "PersonGroupShape-nationality",
        "group/yekaterinburg-detainees",
        bad="<group/yekaterinburg-detainees> gkg:nationality <place/yekaterinburg> .",
        good="<group/yekaterinburg-detainees> gkg:nationality <state/russia> .",
    ),
    # How the article knows an incident or response
    Case(
        "incident-has-an-attestation",
        "IncidentShape-attestation",
        KILLINGS,
        remove=f"<{KILLINGS}> gkg:attestation att:stated .",
    ),
    Case(
        "incident-has-one-attestation",
        "IncidentShape-attestation",
        KILLINGS,
        bad=f"<{KILLINGS}> gkg:attestation att:reported .",
        # reported, and no source named
        also=((KILLINGS, "AttestationReportedByShape"),),
    ),
    Case(
        "incident-attestation-is-an-attestation-concept",
        "IncidentShape-attestation",
        KILLINGS,
        remove=f"<{KILLINGS}> gkg:attestation att:stated .",
        bad=f"<{KILLINGS}> gkg:attestation cs:reports .",
    ),
    Case(
        "incident-is-reported-by-an-agent",
        "IncidentShape-reportedBy",
        RAIDS,
        bad=f"<{RAIDS}> gkg:reportedBy <place/yekaterinburg> .",
        good=f"<{RAIDS}> gkg:reportedBy <person/maria-zakharova> .",
    ),
    Case(
        "incident-is-alleged-in-claims",
        "IncidentShape-allegedIn",
        RAIDS,
        bad=f"<{RAIDS}> gkg:allegedIn <{SUMMONS}> .",
        good=f"<{RAIDS}> gkg:allegedIn <{MINISTRY_CLAIM}> .",
    ),
    Case(
        "incident-is-distinct-from-an-event",
        "IncidentShape-distinctFrom",
        KILLINGS,
        bad=f"<{KILLINGS}> gkg:distinctFrom <place/yekaterinburg> .",
        good=f"<{KILLINGS}> gkg:distinctFrom <{RAIDS}> .",
    ),
    Case(
        "incident-is-contrasted-with-an-event",
        "IncidentShape-contrastedWith",
        CRASH,
        bad=f"<{CRASH}> gkg:contrastedWith <state/kazakhstan> .",
        good=f"<{CRASH}> gkg:contrastedWith <{KILLINGS}> .",
    ),
    Case(
        "incident-has-a-description",
        "IncidentShape-description",
        KILLINGS,
        remove=f'<{KILLINGS}> gkg:description "the killing of two people"@en .',
    ),
    Case(
        "response-has-an-attestation",
        "ResponseShape-attestation",
        SUMMONS,
        remove=f"<{SUMMONS}> gkg:attestation att:stated .",
    ),
    Case(
        "response-is-reported-by-an-agent",
        "ResponseShape-reportedBy",
        SUMMONS,
        remove=f"<{SUMMONS}> gkg:attestation att:stated .",
        bad=f"<{SUMMONS}> gkg:attestation att:reported ; gkg:reportedBy <place/yekaterinburg> .",
    ),
    Case(
        "response-is-alleged-in-claims",
        "ResponseShape-allegedIn",
        SUMMONS,
        remove=f"<{SUMMONS}> gkg:attestation att:stated .",
        bad=f"<{SUMMONS}> gkg:attestation att:alleged ; gkg:allegedIn <{RAIDS}> .",
    ),
    Case(
        "response-is-distinct-from-an-event",
        "ResponseShape-distinctFrom",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:distinctFrom <person/pyotr-volokovykh> .",
        good=f"<{SUMMONS}> gkg:distinctFrom <{CANCELLATION}> .",
    ),
    Case(
        "response-is-contrasted-with-an-event",
        "ResponseShape-contrastedWith",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:contrastedWith <state/russia> .",
        good=f"<{SUMMONS}> gkg:contrastedWith <{CANCELLATION}> .",
    ),
    Case(
        "response-has-a-description",
        "ResponseShape-description",
        SUMMONS,
        remove=f'<{SUMMONS}> gkg:description "the summons of the chargé d’affaires"@en .',
    ),
    # Planned events
    Case(
        "planned-event-has-a-kind",
        "PlannedEventShape-plannedKind",
        EVENTS,
        remove=f"<{EVENTS}> gkg:plannedKind pk:concert , pk:exhibition .",
    ),
    Case(
        "planned-event-kind-is-a-planned-event-kind-concept",
        "PlannedEventShape-plannedKind",
        EVENTS,
        bad=f"<{EVENTS}> gkg:plannedKind rk:cancellation .",
        good=f"<{EVENTS}> gkg:plannedKind pk:festival , pk:performance .",
    ),
    Case(
        "planned-event-has-a-status",
        "PlannedEventShape-eventStatus",
        EVENTS,
        remove=f"<{EVENTS}> schema:eventStatus schema:EventCancelled .",
    ),
    Case(
        "planned-event-has-one-status",
        "PlannedEventShape-eventStatus",
        EVENTS,
        bad=f"<{EVENTS}> schema:eventStatus schema:EventPostponed .",
    ),
    Case(
        "planned-event-status-is-a-schema-org-event-status",
        "PlannedEventShape-eventStatus",
        EVENTS,
        remove=f"<{EVENTS}> schema:eventStatus schema:EventCancelled .",
        bad=f'<{EVENTS}> schema:eventStatus "cancelled"@en .',
    ),
    Case(
        "planned-event-place-is-a-place",
        "PlannedEventShape-place",
        EVENTS,
        bad=f"<{EVENTS}> gkg:place <organization/x> .",
        good=f"<{EVENTS}> gkg:place <state/azerbaijan> .",
    ),
    Case(
        "planned-event-organizer-is-an-agent",
        "PlannedEventShape-organizer",
        EVENTS,
        bad=f"<{EVENTS}> gkg:organizer <place/yekaterinburg> .",
        good=f"<{EVENTS}> gkg:organizer <state/russia> .",
    ),
    Case(
        "planned-event-has-at-most-one-time",
        "PlannedEventShape-time",
        EVENTS,
        bad=time(EVENTS, 1, expression=lit("this summer"))
        + time(EVENTS, 2, expression=lit("next year")),
        # a planned event may lie after the article's publication
        good=time(EVENTS, month='"2025-09"^^xsd:gYearMonth', expression=lit("in September")),
    ),
    Case(
        "planned-event-involves-participations",
        "PlannedEventShape-involves",
        EVENTS,
        bad=f"<{EVENTS}> gkg:involves <state/russia> .",
    ),
    Case(
        "planned-event-has-evidence",
        "PlannedEventShape-evidence",
        EVENTS,
        remove=f"<{EVENTS}> gkg:evidence <{EVENTS}/evidence/1> .",
    ),
    Case(
        "planned-event-has-a-description",
        "PlannedEventShape-description",
        EVENTS,
        remove=f'<{EVENTS}> gkg:description "cultural events"@en .',
    ),
    # Attributed figures and descriptions
    Case(
        "attributed-values-are-attributed-statements",
        "AttributedShape-attributed",
        KILLINGS,
        bad=f"<{KILLINGS}> gkg:attributed <place/yekaterinburg> .",
    ),
    Case(
        "attributed-statement-has-a-subject",
        "AttributedStatementShape-subject",
        ATTRIBUTED,
        remove=f"<{ATTRIBUTED}> rdf:subject <{KILLINGS}> .",
    ),
    Case(
        "attributed-statement-has-one-predicate",
        "AttributedStatementShape-predicate",
        ATTRIBUTED,
        bad=f"<{ATTRIBUTED}> rdf:predicate gkg:injuredCount .",
    ),
    Case(
        "attributed-statement-has-an-object",
        "AttributedStatementShape-object",
        ATTRIBUTED,
        remove=f"<{ATTRIBUTED}> rdf:object {count(2)} .",
    ),
    Case(
        "attributed-statement-says-who-gave-it",
        "AttributedStatementShape-givenBy",
        ATTRIBUTED,
        remove=f"<{ATTRIBUTED}> gkg:givenBy <organization/az-foreign-ministry> .",
    ),
    Case(
        "attributed-statement-is-given-by-an-agent",
        "AttributedStatementShape-givenBy",
        ATTRIBUTED,
        remove=f"<{ATTRIBUTED}> gkg:givenBy <organization/az-foreign-ministry> .",
        bad=f"<{ATTRIBUTED}> gkg:givenBy <place/yekaterinburg> .",
    ),
    Case(
        "attributed-statement-has-evidence",
        "AttributedStatementShape-evidence",
        ATTRIBUTED,
        remove=f"<{ATTRIBUTED}> gkg:evidence <{ATTRIBUTED}/evidence/1> .",
    ),
    Case(
        "attributed-statement-conflicts-with-a-resource",
        "AttributedStatementShape-conflictsWith",
        ATTRIBUTED,
        bad=f'<{ATTRIBUTED}> gkg:conflictsWith "Russia says one died"@en .',
        good=f"<{ATTRIBUTED}> gkg:conflictsWith <{ZAKHAROVA_CLAIM}> .",
    ),
    # Demands (the summons carries a demand for investigation)
    Case(
        "demanded-act-is-a-response-kind",
        "ResponseShape-demandedAct",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:demandedAct <state/russia> .",
        good=f"<{SUMMONS}> gkg:demandedAct rk:investigation .",
    ),
    Case(
        "demand-addressee-is-an-agent",
        "ResponseShape-addressee",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:addressee <{RAIDS}> .",
        good=f"<{SUMMONS}> gkg:addressee <state/russia> .",
    ),
    Case(
        "demand-concerns-a-resource",
        "ResponseShape-concerns",
        SUMMONS,
        bad=f'<{SUMMONS}> gkg:concerns "the detainees"@en .',
        good=f"<{SUMMONS}> gkg:concerns <group/yekaterinburg-detainees> .",
    ),
    Case(
        "demand-condition-has-a-language-tag",
        "ResponseShape-condition",
        SUMMONS,
        bad=f'<{SUMMONS}> gkg:condition "until the guilty are punished" .',
        good=f'<{SUMMONS}> gkg:condition "until the guilty are punished"@en .',
    ),
    Case(
        "demand-outcome-is-a-demand-outcome",
        "ResponseShape-demandOutcome",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:demandOutcome rk:apology .",
        good=f"<{SUMMONS}> gkg:demandOutcome dout:pending .",
    ),
    Case(
        "demand-answered-by-a-response",
        "ResponseShape-answeredBy",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:answeredBy <{RAIDS}> ; gkg:demandOutcome dout:refused .",
        good=f"<{SUMMONS}> gkg:answeredBy <{CANCELLATION}> ; gkg:demandOutcome dout:refused .",
    ),
    # Spans, durations, bounds and orders
    Case(
        "time-before-is-an-event",
        "TimeSpecificationShape-before",
        f"{CANCELLATION}/time/1",
        bad=f"<{CANCELLATION}/time/1> gkg:before <state/russia> .",
        good=f"<{CANCELLATION}/time/1> gkg:before <{KILLINGS}> .",
    ),
    Case(
        "time-start-date-is-an-xsd-date",
        "TimeSpecificationShape-startDate",
        f"{CANCELLATION}/time/1",
        bad=f'<{CANCELLATION}/time/1> gkg:startDate "2025-06-27" ; '
        'gkg:endDate "2025-06-28"^^xsd:date .',
        good=f'<{CANCELLATION}/time/1> gkg:startDate "2025-06-27"^^xsd:date ; '
        'gkg:endDate "2025-06-28"^^xsd:date .',
    ),
    Case(
        "time-end-date-is-an-xsd-date",
        "TimeSpecificationShape-endDate",
        f"{CANCELLATION}/time/1",
        bad=f'<{CANCELLATION}/time/1> gkg:startDate "2025-06-27"^^xsd:date ; '
        'gkg:endDate "2025-06-28" .',
    ),
    Case(
        "time-duration-is-an-xsd-duration",
        "TimeSpecificationShape-duration",
        f"{CANCELLATION}/time/1",
        bad=f'<{CANCELLATION}/time/1> gkg:duration "two days" .',
        good=f'<{CANCELLATION}/time/1> gkg:duration "P2D"^^xsd:duration .',
    ),
    Case(
        "time-not-before-is-an-xsd-date",
        "TimeSpecificationShape-notBefore",
        f"{CANCELLATION}/time/1",
        bad=f'<{CANCELLATION}/time/1> gkg:notBefore "Monday" .',
        good=f'<{CANCELLATION}/time/1> gkg:notBefore "2025-06-23"^^xsd:date .',
    ),
    Case(
        "time-not-after-is-an-xsd-date",
        "TimeSpecificationShape-notAfter",
        f"{CANCELLATION}/time/1",
        bad=f'<{CANCELLATION}/time/1> gkg:notAfter "Friday" .',
        good=f'<{CANCELLATION}/time/1> gkg:notAfter "2025-06-27"^^xsd:date .',
    ),
    Case(
        "article-original-url-is-a-uri",
        "ArticleShape-originalUrl",
        ARTICLE,
        bad=f'<{ARTICLE}> gkg:originalUrl "the agency\'s site" .',
        good=f'<{ARTICLE}> gkg:originalUrl "https://example.org/original"^^xsd:anyURI .',
    ),
]


@pytest.mark.parametrize("case", PROPERTY_CASES, ids=lambda case: case.rule)
def test_property_shape_rejects_data_that_breaks_its_rule(case: Case) -> None:
    assert_rejects(case)


@pytest.mark.parametrize(
    "case", [case for case in PROPERTY_CASES if case.good], ids=lambda case: case.rule
)
def test_property_shape_accepts_data_that_keeps_its_rule(case: Case) -> None:
    assert_accepts(case)


def test_base_article_graph_conforms() -> None:
    assert shacl_results(BASE_TTL) == []


# SPARQL-based constraints, one test each.
EVIDENCE = f"{POST}/evidence/1"
STRAIGHT_QUOTE = POST_QUOTE.replace("’", "'")


@pytest.mark.parametrize(
    "case",
    [
        Case(
            "straight-apostrophes-for-curly-ones",
            "EvidenceQuoteInArticleShape",
            EVIDENCE,
            remove=f"<{EVIDENCE}/quote> oa:exact {lit(POST_QUOTE)} .",
            bad=f"<{EVIDENCE}/quote> oa:exact {lit(STRAIGHT_QUOTE)} .",
            good=evidence(POST, "the Russian Embassy’s chargé d’affaires", n=2),
            # a quote that is not in the text cannot be where the offsets point either
            also=((EVIDENCE, "EvidencePositionShape"),),
        ),
        Case(
            "a-paraphrase",
            "EvidenceQuoteInArticleShape",
            f"{RELATION}/evidence/1",
            remove=f"<{RELATION}/evidence/1/quote> oa:exact "
            + lit("Relations between Azerbaijan and Russia have been strained in recent months.")
            + " .",
            bad=f"<{RELATION}/evidence/1/quote> oa:exact "
            + lit("Relations between Russia and Azerbaijan have been strained in recent months.")
            + " .",
            also=((f"{RELATION}/evidence/1", "EvidencePositionShape"),),
        ),
    ],
    ids=lambda case: case.rule,
)
def test_evidence_quote_must_occur_in_article_text(case: Case) -> None:
    assert_rejects(case)
    if case.good:
        assert_accepts(case)


@pytest.mark.parametrize(
    "case",
    [
        Case(
            "offsets-one-character-late",
            "EvidencePositionShape",
            EVIDENCE,
            remove=shift(POST_QUOTE, 1, POST)[0],
            bad=shift(POST_QUOTE, 1, POST)[1],
            # non-ASCII quotes: offsets count characters, not bytes
            good=evidence(
                MINISTRY_CLAIM, "“targeted and extrajudicial killings” of Azerbaijanis", 2
            ),
        ),
        Case(
            "offsets-of-the-wrong-length",
            "EvidencePositionShape",
            f"{CRASH}/evidence/1",
            remove=f"<{CRASH}/evidence/1/position> oa:end {count(end_of(CRASH_QUOTE))} .",
            bad=f"<{CRASH}/evidence/1/position> oa:end {count(end_of(CRASH_QUOTE) - 1)} .",
        ),
    ],
    ids=lambda case: case.rule,
)
def test_evidence_position_must_select_the_quote(case: Case) -> None:
    assert_rejects(case)
    if case.good:
        assert_accepts(case)


def test_killed_count_cannot_exceed_aboard_count() -> None:
    case = Case(
        "more-dead-than-aboard",
        "IncidentKilledWithinAboardShape",
        CRASH,
        remove=f"<{CRASH}> gkg:killedCount {count(38)} .",
        bad=f"<{CRASH}> gkg:killedCount {count(68)} .",
    )
    assert_rejects(case)
    all_aboard_died = variant(case.remove, f"<{CRASH}> gkg:killedCount {count(67)} .")
    assert shacl_results(all_aboard_died) == []


SUMMONS_DATE = f'<{SUMMONS}/time/1> gkg:date "2025-06-28"^^xsd:date .'
CRASH_MONTH = f'<{CRASH}/time/1> gkg:month "2024-12"^^xsd:gYearMonth .'


@pytest.mark.parametrize(
    "case",
    [
        Case(
            "response-dated-the-day-after",
            "FactNotAfterPublicationShape",
            SUMMONS,
            remove=SUMMONS_DATE,
            bad=f'<{SUMMONS}/time/1> gkg:date "2025-06-30"^^xsd:date .',
        ),
        Case(
            "incident-in-the-month-after",
            "FactNotAfterPublicationShape",
            CRASH,
            remove=CRASH_MONTH,
            bad=f'<{CRASH}/time/1> gkg:month "2025-07"^^xsd:gYearMonth .',
        ),
        Case(
            "claim-dated-the-year-after",
            "FactNotAfterPublicationShape",
            ZAKHAROVA_CLAIM,
            bad=time(ZAKHAROVA_CLAIM, date='"2026-06-29"^^xsd:date'),
        ),
    ],
    ids=lambda case: case.rule,
)
def test_fact_cannot_be_dated_after_article_publication(case: Case) -> None:
    assert_rejects(case)


@pytest.mark.parametrize(
    ("remove", "add"),
    [
        (SUMMONS_DATE, f'<{SUMMONS}/time/1> gkg:date "2025-06-29"^^xsd:date .'),
        (CRASH_MONTH, f'<{CRASH}/time/1> gkg:month "2025-06"^^xsd:gYearMonth .'),
        (
            # without a publication date there is nothing to compare with
            f"""{SUMMONS_DATE}
            <{ARTICLE}> gkg:published "2025-06-29"^^xsd:date ; gkg:world <{ARTICLE}/world/1> .
            <{ARTICLE}/world/1> a gkg:WorldKnowledge ; rdf:subject <{ARTICLE}> ;
                rdf:predicate gkg:published ; rdf:object "2025-06-29"^^xsd:date ;
                prov:wasDerivedFrom <https://example.org/azerbaijan-halts-russian-events> .""",
            f'<{SUMMONS}/time/1> gkg:date "2026-01-01"^^xsd:date .',
        ),
    ],
    ids=["same-day", "same-month", "article-without-publication-date"],
)
def test_fact_may_be_dated_up_to_article_publication(remove: str, add: str) -> None:
    assert shacl_results(variant(remove, add)) == []


def test_response_says_what_it_responds_to_or_why_not() -> None:
    without_trigger = f"<{SUMMONS}> gkg:respondsTo <{RAIDS}> ."
    assert_rejects(
        Case("no-trigger", "ResponseTriggerShape", SUMMONS, remove=without_trigger),
    )
    note = f'<{SUMMONS}> gkg:noTriggerNote "The article names no cause."@en .'
    assert shacl_results(variant(without_trigger, note)) == []


def test_time_gives_a_date_or_a_month_not_both() -> None:
    assert_rejects(
        Case(
            "date-and-month",
            "TimeDateOrMonthShape",
            f"{SUMMONS}/time/1",
            bad=f'<{SUMMONS}/time/1> gkg:month "2025-06"^^xsd:gYearMonth .',
        )
    )


def test_time_says_when() -> None:
    expression = f"<{RELATION}/time/1> gkg:expression {lit('in recent months')} ."
    assert_rejects(Case("nothing", "TimeSaysWhenShape", f"{RELATION}/time/1", remove=expression))
    # an order without a date is enough (the cancellation's time has only `after`)
    assert shacl_results(variant(add=f"<{CANCELLATION}/time/1> gkg:after <{RAIDS}> .")) == []


def test_world_knowledge_names_its_source() -> None:
    source = "<state/azerbaijan/world/1> prov:wasDerivedFrom <https://www.wikidata.org/wiki/Q227> ."
    assert_rejects(
        Case("no-source", "WorldKnowledgeSourceShape", "state/azerbaijan/world/1", remove=source)
    )
    note = '<state/azerbaijan/world/1> rdfs:comment "Looked up by hand on Wikidata."@en .'
    assert shacl_results(variant(source, note)) == []


def test_world_knowledge_statement_is_asserted() -> None:
    assert_rejects(
        Case(
            "statement-without-its-triple",
            "WorldKnowledgeAssertedShape",
            "state/azerbaijan/world/1",
            remove="<state/azerbaijan> schema:sameAs wd:Q227 .",
        )
    )


# How the article knows an event, attributed figures, one act one node, planned events.
FM_REPORT = TEXT.split("\n")[1]
FM_CLAIM = "claim/foreign-ministry-report"


def claim_quoting(quote: str, claim: str = FM_CLAIM) -> str:
    return f"""<{claim}> a gkg:Claim ; gkg:speaker <organization/az-foreign-ministry> ;
        gkg:status cs:reports .
    {evidence(claim, quote)}"""


def test_reported_event_names_its_source_and_only_it_does() -> None:
    assert_rejects(
        Case(
            "reported-without-a-source",
            "AttestationReportedByShape",
            RAIDS,
            remove=f"<{RAIDS}> gkg:reportedBy <organization/az-foreign-ministry> .",
        )
    )
    assert_rejects(
        Case(
            "source-of-a-stated-event",
            "AttestationReportedByShape",
            KILLINGS,
            bad=f"<{KILLINGS}> gkg:reportedBy <organization/az-foreign-ministry> .",
        )
    )


def test_alleged_event_names_its_claims_and_a_stated_one_none() -> None:
    stated = f"<{KILLINGS}> gkg:attestation att:stated ."
    assert_rejects(
        Case(
            "alleged-without-a-claim",
            "AttestationAllegedInShape",
            KILLINGS,
            remove=stated,
            bad=f"<{KILLINGS}> gkg:attestation att:alleged .",
        )
    )
    assert_rejects(
        Case(
            "claim-of-a-stated-event",
            "AttestationAllegedInShape",
            KILLINGS,
            bad=f"<{KILLINGS}> gkg:allegedIn <{MINISTRY_CLAIM}> .",
        )
    )
    alleged = f"<{KILLINGS}> gkg:attestation att:alleged ; gkg:allegedIn <{MINISTRY_CLAIM}> ."
    assert shacl_results(variant(stated, alleged)) == []


def test_stated_event_quoted_only_inside_a_claim_is_a_warning() -> None:
    # The killings' only quote lies inside the Foreign Ministry's reported sentence.
    assert_rejects(
        Case(
            "stated-inside-a-claim",
            "StatedEventOutsideClaimsShape",
            KILLINGS,
            bad=claim_quoting(FM_REPORT),
        )
    )
    reported = f"""{claim_quoting(FM_REPORT)}
        <{KILLINGS}> gkg:attestation att:reported ;
            gkg:reportedBy <organization/az-foreign-ministry> ."""
    assert shacl_results(variant(f"<{KILLINGS}> gkg:attestation att:stated .", reported)) == []
    # a quote of its own outside the claim is the article's voice
    own_words = evidence(KILLINGS, "Tensions between Moscow and Baku escalated", n=2)
    assert shacl_results(variant(add=claim_quoting(FM_REPORT) + own_words)) == []


def test_graphkg_links_the_quotes_within_claims_that_the_rule_links() -> None:
    # graphkg derives gkgsh:withinClaimQuote in one sorted pass instead of running the
    # rule; both must find the same event quotes, with claim quotes nested and overlapping.
    sentences = TEXT.split("\n")
    data = _graph(
        variant(
            add=claim_quoting(FM_REPORT)
            + claim_quoting(FM_REPORT[:40], "claim/short")
            + claim_quoting(sentences[2] + "\n" + sentences[3], "claim/two-sentences")
        )
    )
    data += _ontology()
    event_quotes = set(data.objects(None, GKG.evidence)) - {
        quote
        for claim in data.subjects(RDF.type, GKG.Claim)
        for quote in data.objects(claim, GKG.evidence)
    }
    by_rule = {evidence for evidence, _, _ in _derived_by(data, "WithinClaimQuoteRule")}
    by_rule &= event_quotes
    by_graphkg = {quote for quote, _, _ in quotes_within_claims(TripleIndex(data))}
    by_graphkg &= event_quotes
    assert by_rule and event_quotes - by_rule
    assert by_graphkg == by_rule


def _derived_by(data: Graph, rule: str) -> set[tuple[Node, Node, Node]]:
    """The triples that the SHACL-AF rule ``rule`` derives from ``data``, for every focus."""
    construct = _shapes().value(URIRef(GKGSH + rule), SH.construct)
    prologue = f"PREFIX gkg: <{GKG}>\nPREFIX gkgsh: <{GKGSH}>\nPREFIX oa: <{OA}>\n"
    return set(data.query(prologue + str(construct).replace("$this", "?this")))


def test_graphkg_reads_the_quotes_in_articles_as_the_rules_do() -> None:
    # graphkg derives gkgsh:selectedText and gkgsh:occursIn by reading each article's text
    # once instead of running the rules; both must derive the same triples, for a quote that
    # is not in the text, offsets of the wrong length and a quote outside ASCII.
    crash_end = end_of(CRASH_QUOTE)
    data = _graph(
        variant(
            remove=f"<{EVIDENCE}/quote> oa:exact {lit(POST_QUOTE)} .\n"
            f"<{CRASH}/evidence/1/position> oa:end {count(crash_end)} .",
            add=f"<{EVIDENCE}/quote> oa:exact {lit(STRAIGHT_QUOTE)} .\n"
            f"<{CRASH}/evidence/1/position> oa:end {count(crash_end - 1)} .\n"
            + evidence(MINISTRY_CLAIM, "“targeted and extrajudicial killings” of Azerbaijanis", 2),
        )
    )
    selected = _derived_by(data, "SelectedTextRule")
    occurs = _derived_by(data, "QuoteOccursInRule")
    assert len(selected) == len(set(data.subjects(OA.start, None)))
    assert URIRef(f"{EVIDENCE}/quote") not in {quote for quote, _, _ in occurs}
    derived = set(quotes_in_articles(TripleIndex(data)))
    assert {link for link in derived if link[1] == URIRef(GKGSH + "selectedText")} == selected
    assert {link for link in derived if link[1] == URIRef(GKGSH + "occursIn")} == occurs


SUMMONS_AGAIN = "response/summons-told-again"
RAIDS_AGAIN = "incident/raids-told-again"
DEATHS_AGAIN = "incident/deaths-told-again"


def _response_like_the_summons(
    node: str = SUMMONS_AGAIN, target: str = "person/pyotr-volokovykh"
) -> str:
    return f"""<{node}> a gkg:Response ; gkg:responseKind rk:diplomatic-summons ;
        gkg:attestation att:stated ; gkg:description "a summons"@en ;
        gkg:actor <organization/az-foreign-ministry> ; gkg:target <{target}> ;
        gkg:respondsTo <{RAIDS}> .
    {evidence(node, "summoned Pyotr Volokovykh")}"""


DUPLICATES = [
    Case(
        "response-with-the-same-actor-kind-and-target",
        "EventLikelyDuplicateShape",
        SUMMONS_AGAIN,
        bad=_response_like_the_summons(),
        also=((SUMMONS, "EventLikelyDuplicateShape"),),
        good=_response_like_the_summons() + f"<{SUMMONS_AGAIN}> gkg:distinctFrom <{SUMMONS}> .",
    ),
    Case(
        "incident-of-the-same-kind-with-the-same-perpetrator",
        "EventLikelyDuplicateShape",
        RAIDS_AGAIN,
        bad=f"""<{RAIDS_AGAIN}> a gkg:Incident ; gkg:incidentKind ik:raid ;
            gkg:attestation att:stated ; gkg:description "raids"@en ;
            gkg:involves <{RAIDS_AGAIN}/involves/1> .
        <{RAIDS_AGAIN}/involves/1> a gkg:Participation ;
            gkg:agent <organization/russian-law-enforcement> ; gkg:role role:perpetrator .
        {evidence(RAIDS_AGAIN, "conducted raids")}""",
        also=((RAIDS, "EventLikelyDuplicateShape"),),
        # distinct either way: written on the first one
        good=f"""<{RAIDS_AGAIN}> a gkg:Incident ; gkg:incidentKind ik:raid ;
            gkg:attestation att:stated ; gkg:description "raids"@en ;
            gkg:involves <{RAIDS_AGAIN}/involves/1> .
        <{RAIDS_AGAIN}/involves/1> a gkg:Participation ;
            gkg:agent <organization/russian-law-enforcement> ; gkg:role role:perpetrator .
        {evidence(RAIDS_AGAIN, "conducted raids")}
        <{RAIDS}> gkg:distinctFrom <{RAIDS_AGAIN}> .""",
    ),
    Case(
        "incidents-with-the-same-quote",
        "EventLikelyDuplicateShape",
        DEATHS_AGAIN,
        bad=f"""<{DEATHS_AGAIN}> a gkg:Incident ; gkg:incidentKind ik:killing ;
            gkg:attestation att:stated ; gkg:description "deaths"@en .
        {evidence(DEATHS_AGAIN, "leading to the deaths of two individuals")}""",
        also=((KILLINGS, "EventLikelyDuplicateShape"),),
    ),
]


@pytest.mark.parametrize("case", DUPLICATES, ids=lambda case: case.rule)
def test_one_act_told_twice_is_a_likely_duplicate(case: Case) -> None:
    assert_rejects(case)
    if case.good:
        assert_accepts(case)


def test_responses_of_one_actor_and_kind_with_other_targets_are_not_duplicates() -> None:
    other = _response_like_the_summons(target="organization/russian-embassy-baku")
    assert shacl_results(variant(add=other)) == []


def test_graphkg_links_the_likely_duplicates_that_the_rule_links() -> None:
    # graphkg derives gkgsh:likelyDuplicateOf from keys instead of running the rule; both
    # must link the same events, for every kind of duplicate and for a response of the same
    # actor and kind with another target, which is none.
    other_target = _response_like_the_summons(
        "response/summons-elsewhere", target="organization/russian-embassy-baku"
    )
    data = _graph(variant(add="".join(case.bad for case in DUPLICATES) + other_target))
    by_rule = _derived_by(data, "LikelyDuplicateRule")
    assert len({(s, o) for s, _, o in by_rule}) >= 2 * len(DUPLICATES)
    assert set(likely_duplicates(TripleIndex(data))) == by_rule


def test_likely_duplicates_and_missing_descriptions_are_warnings_not_violations() -> None:
    data = _graph(
        variant(
            f'<{KILLINGS}> gkg:description "the killing of two people"@en .',
            _response_like_the_summons(),
        )
    )
    data += _ontology()
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    severities = {
        str(report.value(result, SH.sourceShape)).removeprefix(GKGSH): report.value(
            result, SH.resultSeverity
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    }
    assert severities == {
        "EventLikelyDuplicateShape": SH.Warning,
        "IncidentShape-description": SH.Warning,
    }
    assert conforms


def test_killed_count_is_compared_with_aboard_count_of_the_same_source() -> None:
    def attributed(n: int, predicate: str, value: int, party: str) -> str:
        node = f"{CRASH}/attributed/{n}-1"
        return f"""<{CRASH}> gkg:attributed <{node}> .
        <{node}> a gkg:AttributedStatement , rdf:Statement ; rdf:subject <{CRASH}> ;
            rdf:predicate gkg:{predicate} ; rdf:object {count(value)} ; gkg:givenBy <{party}> .
        {evidence(node, CRASH_QUOTE)}"""

    ministry, zakharova = "organization/az-foreign-ministry", "person/maria-zakharova"
    assert_rejects(
        Case(
            "one-party-reports-more-dead-than-aboard",
            "IncidentKilledWithinAboardShape",
            CRASH,
            bad=attributed(1, "killedCount", 70, ministry)
            + attributed(2, "aboardCount", 67, ministry),
        )
    )
    # another source's figure, or the article's own, is not compared with the party's
    assert shacl_results(variant(add=attributed(1, "killedCount", 70, ministry))) == []
    assert (
        shacl_results(
            variant(
                add=attributed(1, "killedCount", 70, ministry)
                + attributed(2, "aboardCount", 67, zakharova)
            )
        )
        == []
    )


def test_cancellation_targets_a_planned_event() -> None:
    assert_rejects(
        Case(
            "cancellation-of-nothing-recorded",
            "CancellationTargetsPlannedEventShape",
            CANCELLATION,
            remove=f"<{CANCELLATION}> gkg:target <{EVENTS}> .",
        )
    )
    assert_rejects(
        Case(
            "cancellation-of-a-person",
            "CancellationTargetsPlannedEventShape",
            CANCELLATION,
            remove=f"<{CANCELLATION}> gkg:target <{EVENTS}> .",
            bad=f"<{CANCELLATION}> gkg:target <person/pyotr-volokovykh> .",
        )
    )


def test_cancelled_planned_event_is_not_scheduled() -> None:
    cancelled = f"<{EVENTS}> schema:eventStatus schema:EventCancelled ."
    assert_rejects(
        Case(
            "cancelled-but-scheduled",
            "CancelledEventStatusShape",
            EVENTS,
            remove=cancelled,
            bad=f"<{EVENTS}> schema:eventStatus schema:EventScheduled .",
        )
    )
    postponed = f"<{EVENTS}> schema:eventStatus schema:EventPostponed ."
    assert shacl_results(variant(cancelled, postponed)) == []


DECLINED = "response/declined-invitation"


def test_declined_invitation_targets_the_event() -> None:
    declined = f"""<{DECLINED}> a gkg:Response ; gkg:responseKind rk:declined-invitation ;
        gkg:attestation att:stated ; gkg:description "an invitation declined"@en ;
        gkg:actor <state/azerbaijan> ; gkg:noTriggerNote "The article gives no cause."@en .
    {evidence(DECLINED, "Relations between Azerbaijan and Russia")}"""
    assert_rejects(
        Case("declined-nothing", "DeclinedInvitationTargetsEventShape", DECLINED, bad=declined)
    )
    assert_rejects(
        Case(
            "declined-a-state",
            "DeclinedInvitationTargetsEventShape",
            DECLINED,
            bad=declined + f"<{DECLINED}> gkg:target <state/russia> .",
        )
    )
    # an event that took place keeps its status; the refusal is the response's
    assert shacl_results(variant(add=declined + f"<{DECLINED}> gkg:target <{EVENTS}> .")) == []


# The shapes file itself.
SPARQL_CASE_SHAPES = {
    "EvidenceQuoteInArticleShape",
    "EvidencePositionShape",
    "IncidentKilledWithinAboardShape",
    "FactNotAfterPublicationShape",
    "ResponseTriggerShape",
    "TimeDateOrMonthShape",
    "TimeSaysWhenShape",
    "WorldKnowledgeSourceShape",
    "WorldKnowledgeAssertedShape",
    "AttestationReportedByShape",
    "AttestationAllegedInShape",
    "StatedEventOutsideClaimsShape",
    "EventLikelyDuplicateShape",
    "CancellationTargetsPlannedEventShape",
    "CancelledEventStatusShape",
    "DeclinedInvitationTargetsEventShape",
    "PropertyDomainShape",
    "OtherKindNoteShape",
    "DemandPropertiesShape",
    "DemandSaysWhatShape",
    "DemandAnswerShape",
    "ClaimSpeakerShape",
    "ClaimArticleVoiceShape",
    "TimeSpanShape",
    "TimeBoundsShape",
}


def _property_shapes() -> set[Node]:
    return set(_shapes().subjects(SH.path, None))


def _sparql_shapes() -> set[Node]:
    return set(_shapes().subjects(SH.sparql, None))


def test_shapes_have_no_blank_nodes() -> None:
    blank = [t for t in _shapes() if any(isinstance(term, BNode) for term in t)]
    assert blank == []


def test_every_property_shape_has_a_name_a_message_and_a_fix() -> None:
    shapes = _shapes()
    for predicate in (SH.name, SH.message, FIX):
        missing = sorted(str(s) for s in _property_shapes() if shapes.value(s, predicate) is None)
        assert missing == [], f"property shapes without {predicate}"


def test_every_sparql_constraint_has_its_own_shape_with_a_message_and_a_fix() -> None:
    shapes = _shapes()
    for shape in _sparql_shapes():
        assert shapes.value(shape, SH.message) is not None, shape
        assert shapes.value(shape, FIX) is not None, shape
        constraints = list(shapes.objects(shape, SH.sparql))
        assert len(constraints) == 1, shape
        (constraint,) = constraints
        assert "$this" in str(shapes.value(constraint, SH.select))
        assert isinstance(shapes.value(constraint, SH.prefixes), URIRef)


def test_every_shape_has_a_violating_example() -> None:
    tested = {URIRef(GKGSH + case.shape) for case in PROPERTY_CASES}
    tested |= {URIRef(GKGSH + name) for name in SPARQL_CASE_SHAPES}
    assert _property_shapes() | _sparql_shapes() <= tested
    assert tested <= _property_shapes() | _sparql_shapes()


def test_every_property_shape_belongs_to_a_node_shape() -> None:
    shapes = _shapes()
    orphans = [s for s in _property_shapes() if shapes.value(None, SH.property, s) is None]
    assert orphans == []


@pytest.mark.skipif(not _turtle_files(ONTOLOGY_DIR), reason="no ontology yet")
def test_every_ontology_class_is_targeted_by_a_shape() -> None:
    """Each gkg: class (concepts aside) is a shape's target, or its instances are, through a
    superclass or because all its subclasses are."""
    ontology, shapes = _ontology(), _shapes()
    gkg = "https://w3id.org/graphkg/ontology#"
    skos_concept = URIRef("http://www.w3.org/2004/02/skos/core#Concept")
    subclass = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    classes = {
        c
        for c in ontology.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))
        if str(c).startswith(gkg)
    }
    targets = set(shapes.objects(None, SH.targetClass))

    def ancestors(c: Node) -> set[Node]:
        return set(ontology.transitive_objects(c, subclass))

    def covered(c: Node) -> bool:
        if ancestors(c) & targets:
            return True
        children = set(ontology.subjects(subclass, c)) - {c}
        return bool(children) and all(covered(child) for child in children)

    concepts = {c for c in classes if skos_concept in ancestors(c)}
    assert sorted(str(c) for c in classes - concepts if not covered(c)) == []


# graphkg's own validation (graphkg.validation) of an article of many facts, as
# `graphkg validate` runs it: pyshacl for core constraints, Oxigraph for SPARQL ones.
MANY_FACTS = 40
KILLED_RULE = "gkgsh:IncidentKilledWithinAboardShape (SPARQLConstraintComponent)"
KIND_RULE = "gkgsh:IncidentShape-incidentKind (MinCountConstraintComponent)"


def _many_facts_file(folder: Path) -> tuple[Path, list[tuple[int, str, str]]]:
    """A fact file of MANY_FACTS incidents, half of them broken, and its (line, fact, rule)
    problems: incidents 1, 5, 9… report more dead than aboard (found at their
    ``killedCount`` line), incidents 3, 7, 11… have no kind (found at the fact's line)."""
    lines = ["article:", "  id: many-facts", "  file: article.txt", "  title: Many facts"]
    lines += ["  language: en", "facts:"]
    sentences: list[str] = []
    expected: list[tuple[int, str, str]] = []
    for number in range(MANY_FACTS):
        fact = f"incident-{number}"
        sentence = f"Event number {number} left {number + 2} people dead."
        sentences.append(sentence)
        lines += [f"  - id: {fact}", "    type: Incident"]
        if number % 4 == 3:
            expected.append((len(lines) - 1, fact, KIND_RULE))
        else:
            lines.append("    incidentKind: killing")
        if number % 4 == 1:
            expected.append((len(lines) + 1, fact, KILLED_RULE))
        aboard = number + 1 if number % 4 == 1 else number + 40
        lines += [f"    killedCount: {number + 2}", f"    aboardCount: {aboard}"]
        lines.append(f'    evidence: "{sentence}"')
        lines += ["    attestation: stated", f"    description: event number {number}"]
    (folder / "article.txt").write_text(" ".join(sentences) + "\n", encoding="utf-8")
    path = folder / "facts.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, expected


def _result_keys(results: Graph) -> set[tuple[Node | None, ...]]:
    return {
        tuple(results.value(result, p) for p in (SH.focusNode, SH.sourceShape, SH.value))
        + (results.value(result, SH.resultPath), results.value(result, SH.resultSeverity))
        for result in results.subjects(RDF.type, SH.ValidationResult)
    }


def test_many_facts_give_one_problem_per_broken_fact_at_its_line(tmp_path: Path) -> None:
    path, expected = _many_facts_file(tmp_path)
    report = validate_files([path], base=BASE, kg=None)
    assert [(problem.line, problem.fact, problem.rule) for problem in report.problems] == expected


def test_graphkg_validation_reports_what_pyshacl_validate_reports(tmp_path: Path) -> None:
    path, expected = _many_facts_file(tmp_path)
    (source,), report = map_and_validate([path], base=BASE)
    data = Graph()
    for s, p, o, _ in source.quads:
        data.add((s, p, o))
    data += _ontology()
    _, plain, _ = pyshacl.validate(
        data,
        shacl_graph=_shapes(),
        focus_nodes=sorted({quad[0] for quad in source.quads}),
        inference="none",
        advanced=True,  # the rules derive what graphkg derives in Python
        allow_warnings=True,
    )
    assert len(_result_keys(report.results)) == len(expected)
    assert _result_keys(report.results) == _result_keys(plain)


def test_the_shapes_read_of_the_ontology_only_what_validation_gives_them() -> None:
    """Validation's data graph holds only the ontology's STRUCTURE triples about the terms
    an article uses: every ontology predicate the shapes name, in a path or inside a SPARQL
    constraint, must be one of them, but for rdfs:label and rdfs:comment, which shapes use
    for the data's names and for their own documentation."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in _turtle_files(SHAPES_DIR))
    named = {URIRef(iri) for iri in re.findall(r"<([^<>\s]+)>", text)}
    for prefix, namespace in NAMESPACES.items():
        locals_ = re.findall(rf"(?<![\w:]){prefix}:([A-Za-z][\w-]*)", text)
        named |= {URIRef(namespace + local) for local in locals_}
    used = named & set(_ontology().predicates())
    assert SKOS.notation in used  # named by its full IRI in a SPARQL constraint
    assert used - STRUCTURE == {RDFS.label, RDFS.comment}


def _broken(triples: list[tuple[Node, Node, Node]]) -> list[tuple[Node, Node, Node]]:
    """The triples with every description removed (a warning each), one quote changed so
    that the article does not hold it, and one count made negative."""
    quote = next(triple for triple in triples if triple[1] == OA.exact)
    count = next(triple for triple in triples if str(triple[1]).endswith("Count"))
    kept = [
        triple
        for triple in triples
        if triple[1] != GKG.description and triple not in (quote, count)
    ]
    return kept + [
        (quote[0], OA.exact, Literal(f"{quote[2]}, words the article never had")),
        (count[0], count[1], Literal(-1)),
    ]


def test_graphkg_validation_reports_what_pyshacl_reports_on_the_seed_intact_and_broken() -> None:
    """The chosen engines (pyshacl-turbo, Oxigraph) against pySHACL on the seed's facts."""
    sources, _ = map_and_validate(find_seed_files(SEEDS).all, base=BASE)
    triples = [(s, p, o) for source in sources for s, p, o, _ in source.quads]
    for data in (triples, _broken(triples)):
        focus = {s for s, _, _ in data}
        _, chosen = validation.shacl_results(data, focus)
        graph = Graph()
        for triple in data:
            graph.add(triple)
        graph += _ontology()
        _, reference, _ = pyshacl.validate(
            graph, shacl_graph=_shapes(), inference="none", advanced=True, allow_warnings=True
        )
        expected = {key for key in _result_keys(reference) if key[0] in focus}
        assert _result_keys(chosen) == expected
    violations = {key for key in expected if key[-1] == SH.Violation}
    assert len(violations) >= 3 and len(expected) > len(violations)


def test_graphkg_validation_reports_warnings_as_warnings_and_conforms(tmp_path: Path) -> None:
    """A likely duplicate and a stated event quoted only inside a claim (SPARQL constraints)
    and a missing description (a core one) are warnings: reported with their severity, and
    the file conforms all the same."""
    (tmp_path / "article.txt").write_text(
        "Officials summoned the envoy on Saturday. The envoy was summoned again.\n",
        encoding="utf-8",
    )
    summons = """  - id: {id}
    type: Response
    attestation: stated
    responseKind: diplomatic-summons
    actor: {actor}
    noTriggerNote: The article gives no cause.
    evidence: "{quote}"
"""
    lines = [
        "article:",
        "  id: two-summonses",
        "  file: article.txt",
        "  title: T",
        "  language: en",
    ]
    lines += ["entities:"]
    for entity in ("officials", "envoy"):
        lines += [f"  - id: {entity}", "    type: UnnamedEntity", f"    label: {entity}"]
    text = "\n".join(lines) + "\nfacts:\n"
    text += summons.format(id="first-summons", actor="officials", quote="Officials summoned")
    text += "    description: the first summons\n"
    text += summons.format(id="second-summons", actor="officials", quote="summoned again")
    text += """  - id: envoy-says
    type: Claim
    speaker: envoy
    status: reports
    content: the envoy was summoned again
    evidence: "The envoy was summoned again"
"""
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    report = validate_files([path], base=BASE, kg=None)
    found = {(p.fact, p.rule.split(" ")[0], p.severity) for p in report.problems}
    assert found == {
        ("first-summons", "gkgsh:EventLikelyDuplicateShape", "warning"),
        ("second-summons", "gkgsh:EventLikelyDuplicateShape", "warning"),
        ("second-summons", "gkgsh:ResponseShape-description", "warning"),
        ("second-summons", "gkgsh:StatedEventOutsideClaimsShape", "warning"),
    }
    assert report.conforms


# Domains: a property is used only on subjects of the classes it applies to.
DOMAIN_RULE = "gkgsh:PropertyDomainShape (SPARQLConstraintComponent)"
CULTURE_MINISTRY = "organization/az-culture-ministry"


@pytest.mark.parametrize(
    "case",
    [
        Case(
            "place-on-a-post",
            "PropertyDomainShape",
            POST,
            bad=f"<{POST}> gkg:place <place/yekaterinburg> .",
            good=f"<{EVENTS}> gkg:place <place/yekaterinburg> .",
        ),
        Case(
            "channel-on-an-organization",
            "PropertyDomainShape",
            CULTURE_MINISTRY,
            bad=f"<{CULTURE_MINISTRY}> gkg:channel <organization/x> .",
            good=f"<{SUMMONS}> gkg:channel <organization/x> .",
        ),
        Case(
            "killed-count-on-a-response",
            "PropertyDomainShape",
            SUMMONS,
            bad=f"<{SUMMONS}> gkg:killedCount {count(2)} .",
            good=f"<{RAIDS}> gkg:killedCount {count(2)} .",
        ),
        Case(
            "descent-on-a-state",
            "PropertyDomainShape",
            "state/russia",
            bad='<state/russia> gkg:descent "Russian"@en .',
            good='<person/maria-zakharova> gkg:descent "Russian"@en .',
        ),
    ],
    ids=lambda case: case.rule,
)
def test_property_used_outside_its_domain_is_rejected(case: Case) -> None:
    """Reported by the domain constraint alone: no core shape reports the same triple."""
    assert_rejects(case)
    assert_accepts(case)


def test_properties_without_a_domain_are_not_checked() -> None:
    undomained = f"""<{POST}> gkg:description "the envoy's post"@en ;
        rdfs:comment "a note"@en ; schema:sameAs wd:Q1 ."""
    assert shacl_results(variant(add=undomained)) == []


def test_every_property_shape_expects_its_property_within_the_domain() -> None:
    """Core shapes and the domain constraint agree: no property shape expects a property on a
    class that the property's domain (rdfs:domain, schema:domainIncludes) leaves out."""
    shapes, ontology = _shapes(), _ontology()
    subclass = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    domain = URIRef("http://www.w3.org/2000/01/rdf-schema#domain")
    includes = URIRef("https://schema.org/domainIncludes")
    outside = []
    for node_shape, property_shape in shapes.subject_objects(SH.property):
        path = shapes.value(property_shape, SH.path)
        required = set(ontology.objects(path, domain))
        allowed = set(ontology.objects(path, includes))
        for target in shapes.objects(node_shape, SH.targetClass):
            classes = set(ontology.transitive_objects(target, subclass))
            if not required <= classes or (allowed and not allowed & classes):
                outside.append((str(property_shape), str(target)))
    assert outside == []


def _domain_fact_file(folder: Path) -> Path:
    (folder / "article.txt").write_text(
        "The ministry wrote on X that its envoy, the chargé d'affaires, was in Baku.\n",
        encoding="utf-8",
    )
    text = """article:
  id: domains
  file: article.txt
  title: Domains
  language: en
entities:
  - id: x
    type: SocialMediaPlatform
    label: X
  - id: ministry
    type: Ministry
    label: the ministry
    channel: x
  - id: envoy
    type: Person
    label: the envoy
  - id: baku
    type: City
    label: Baku
facts:
  - id: envoy-post
    type: Post
    label: chargé d'affaires
    heldBy: envoy
    place: baku
    evidence: "the chargé d'affaires"
"""
    path = folder / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_domain_problem_names_the_key_and_the_classes_it_applies_to(tmp_path: Path) -> None:
    """The problem is found at the key's line; the classes are listed in no fixed order."""
    report = validate_files([_domain_fact_file(tmp_path)], base=BASE, kg=None)
    found = {}
    for problem in report.problems:
        if problem.rule == DOMAIN_RULE:
            used, _, classes = problem.message.partition(", but it applies only to ")
            found[(problem.line, problem.fact, used)] = set(classes.rstrip(".").split(" or "))
            assert problem.fix and "`place:`" in problem.fix
    assert found == {
        (13, "ministry", "gkg:channel: `channel` is used on a Ministry"): {"Response", "Claim"},
        (25, "envoy-post", "gkg:place: `place` is used on a Post"): {"Event", "Site"},
    }
    assert not report.conforms


@pytest.mark.parametrize(
    ("event", "kind_property", "kind", "other"),
    [
        (RAIDS, "incidentKind", "ik:raid", "ik:other-coercion"),
        (CANCELLATION, "responseKind", "rk:cancellation", "rk:other-reduction-of-relations"),
    ],
)
def test_an_other_kind_requires_a_note_saying_what_the_event_was(
    event: str, kind_property: str, kind: str, other: str
) -> None:
    named = f"<{event}> gkg:{kind_property} {kind} ."
    assert_rejects(
        Case(
            "other-kind-without-a-note",
            "OtherKindNoteShape",
            event,
            remove=named,
            bad=f"<{event}> gkg:{kind_property} {other} .",
        )
    )
    noted = f'<{event}> gkg:{kind_property} {other} ; gkg:kindNote "what it was"@en .'
    assert shacl_results(variant(remove=named, add=noted)) == []


# Demands, the article's own voice, spans and bounds (SPARQL constraints).
RULE_CASES = [
    Case(
        "demand-properties-only-on-demands",
        "DemandPropertiesShape",
        CANCELLATION,
        bad=f"<{CANCELLATION}> gkg:addressee <state/russia> .",
        good=f"<{SUMMONS}> gkg:addressee <state/russia> .",
    ),
    Case(
        "an-unspecified-demand-says-what-it-demands",
        "DemandSaysWhatShape",
        CANCELLATION,
        remove=f"<{CANCELLATION}> gkg:responseKind rk:cancellation .",
        bad=f"<{CANCELLATION}> gkg:responseKind rk:demand .",
        good=f"<{SUMMONS}> gkg:responseKind rk:demand ; gkg:demandedAct rk:apology .",
    ),
    Case(
        "a-refused-demand-names-the-refusal",
        "DemandAnswerShape",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:demandOutcome dout:refused .",
        good=f"<{SUMMONS}> gkg:demandOutcome dout:refused ; gkg:answeredBy <{CANCELLATION}> .",
    ),
    Case(
        "only-a-met-or-refused-demand-is-answered",
        "DemandAnswerShape",
        SUMMONS,
        bad=f"<{SUMMONS}> gkg:demandOutcome dout:pending ; gkg:answeredBy <{CANCELLATION}> .",
    ),
    Case(
        "a-claims-speaker-is-an-agent-or-the-article",
        "ClaimSpeakerShape",
        ZAKHAROVA_CLAIM,
        remove=f"<{ZAKHAROVA_CLAIM}> gkg:speaker <person/maria-zakharova> .",
        bad=f"<{ZAKHAROVA_CLAIM}> gkg:speaker <place/yekaterinburg> .",
    ),
    Case(
        "the-articles-own-voice-asserts",
        "ClaimArticleVoiceShape",
        ZAKHAROVA_CLAIM,
        remove=f"<{ZAKHAROVA_CLAIM}> gkg:speaker <person/maria-zakharova> .",
        bad=f"<{ZAKHAROVA_CLAIM}> gkg:speaker <{ARTICLE}> .",
    ),
    Case(
        "only-the-article-asserts",
        "ClaimArticleVoiceShape",
        ZAKHAROVA_CLAIM,
        remove=f"<{ZAKHAROVA_CLAIM}> gkg:status cs:reports .",
        bad=f"<{ZAKHAROVA_CLAIM}> gkg:status cs:asserts .",
        good=f"<{MINISTRY_CLAIM}/voice> a gkg:Claim ; gkg:speaker <{ARTICLE}> ; "
        f'gkg:status cs:asserts ; gkg:content "The killings were deplored."@en ; '
        f"gkg:evidence <{MINISTRY_CLAIM}/evidence/1> .",
    ),
    Case(
        "a-span-ends-after-it-starts",
        "TimeSpanShape",
        f"{CANCELLATION}/time/1",
        bad=f'<{CANCELLATION}/time/1> gkg:startDate "2025-06-28"^^xsd:date ; '
        'gkg:endDate "2025-06-27"^^xsd:date .',
    ),
    Case(
        "a-span-has-both-ends",
        "TimeSpanShape",
        f"{CANCELLATION}/time/1",
        bad=f'<{CANCELLATION}/time/1> gkg:endDate "2025-06-27"^^xsd:date .',
    ),
    Case(
        "a-span-has-no-date-beside-it",
        "TimeSpanShape",
        f"{CRASH}/time/1",
        bad=f'<{CRASH}/time/1> gkg:startDate "2024-12-25"^^xsd:date ; '
        'gkg:endDate "2024-12-26"^^xsd:date .',
    ),
    Case(
        "bounds-in-order",
        "TimeBoundsShape",
        f"{CANCELLATION}/time/1",
        bad=f'<{CANCELLATION}/time/1> gkg:notBefore "2025-06-28"^^xsd:date ; '
        'gkg:notAfter "2025-06-27"^^xsd:date .',
        good=f'<{CANCELLATION}/time/1> gkg:notBefore "2025-06-27"^^xsd:date ; '
        'gkg:notAfter "2025-06-28"^^xsd:date .',
    ),
]


@pytest.mark.parametrize("case", RULE_CASES, ids=lambda case: case.rule)
def test_demand_voice_and_span_rules_reject_what_breaks_them(case: Case) -> None:
    assert_rejects(case)


@pytest.mark.parametrize("case", [c for c in RULE_CASES if c.good], ids=lambda case: case.rule)
def test_demand_voice_and_span_rules_accept_what_keeps_them(case: Case) -> None:
    assert_accepts(case)
