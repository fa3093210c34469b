"""Specifications for the ontology files (ontology/graphkg.ttl, ontology/concepts.ttl).

The vocabulary is binding for the mapper, the shapes and the seeds, so these tests
pin down what the code relies on: every term documented, every property with a
range, concepts in exactly one scheme, IRI segments on the listed classes, no
blank nodes (byte-identical rebuilds) and the CAMEO codes the issue requires.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from graphkg.namespaces import GKG, OA, ORG, PREFIXES, PROV, SCHEMA, SEM, TIME

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
GRAPHKG_TTL = ONTOLOGY_DIR / "graphkg.ttl"
CONCEPTS_TTL = ONTOLOGY_DIR / "concepts.ttl"
FILES = [GRAPHKG_TTL, CONCEPTS_TTL]

ONTOLOGY_IRI = URIRef("https://w3id.org/graphkg/ontology")

IRI_SEGMENTS = {
    "State": "state",
    "Organization": "organization",
    "Person": "person",
    "PersonGroup": "group",
    "Place": "place",
    "Article": "article",
    "Post": "post",
    "Incident": "incident",
    "Response": "response",
    "PlannedEvent": "planned-event",
    "Claim": "claim",
    "StateRelation": "relation",
}

# One "other" kind for each CAMEO root, which requires a note (gkg:requiresKindNote).
OTHER_RESPONSE_KINDS = {
    "other-statement",
    "other-appeal",
    "other-intent-to-cooperate",
    "other-consultation",
    "other-diplomatic-cooperation",
    "other-material-cooperation",
    "other-aid",
    "other-yielding",
    "other-investigation",
    "other-demand",
    "other-disapproval",
    "other-rejection",
    "other-threat",
    "other-reduction-of-relations",
}
OTHER_INCIDENT_KINDS = {
    "other-protest",
    "other-force-posture",
    "other-coercion",
    "other-assault",
    "other-fighting",
    "other-mass-violence",
}

# concept class -> (scheme, concept namespace, concept local names)
CONCEPT_SCHEMES = {
    "IncidentKind": (
        "IncidentKinds",
        "https://w3id.org/graphkg/incident-kind/",
        {
            "raid",
            "killing",
            "injury",
            "detention",
            "ill-treatment",
            "aircraft-crash",
            "downing",
            "abduction",
            "forced-diversion",
            "demonstration",
        }
        | OTHER_INCIDENT_KINDS,
    ),
    "ResponseKind": (
        "ResponseKinds",
        "https://w3id.org/graphkg/response-kind/",
        {
            "cancellation",
            "diplomatic-summons",
            "demand",
            "demand-investigation",
            "demand-release",
            "refusal",
            "explanation",
            "statement",
            "apology",
            "visit",
            "declined-invitation",
            "investigation",
            *OTHER_RESPONSE_KINDS,
            "accusation",
            "ambassador-recall",
            "criticism",
            "denial",
            "expulsion",
            "mediation",
            "protest",
            "rejection",
            "release",
            "sanctions",
            "threat",
        },
    ),
    "SiteRole": (
        "SiteRoles",
        "https://w3id.org/graphkg/site-role/",
        {
            "arrest-site",
            "detention-site",
            "origin",
            "destination",
            "diversion-site",
            "release-site",
            "venue",
        },
    ),
    "Role": (
        "Roles",
        "https://w3id.org/graphkg/role/",
        {
            "perpetrator",
            "victim",
            "detainee",
            "target",
            "speaker",
            "addressee",
            "host",
            "visitor",
            "organizer",
            "invitee",
        },
    ),
    "ClaimStatus": (
        "ClaimStatuses",
        "https://w3id.org/graphkg/claim-status/",
        {
            "asserts",
            "reports",
            "alleges",
            "denies",
            "declines-to-address",
            "does-not-concede",
            "refuses",
        },
    ),
    "RelationKind": (
        "RelationKinds",
        "https://w3id.org/graphkg/relation-kind/",
        {"strained", "escalating", "strengthening"},
    ),
    "TimeResolution": (
        "TimeResolutions",
        "https://w3id.org/graphkg/time-resolution/",
        {"stated", "relative-to-publication", "relative-to-event", "month-only", "vague"},
    ),
    "DemandOutcome": (
        "DemandOutcomes",
        "https://w3id.org/graphkg/demand-outcome/",
        {"complied", "refused", "pending"},
    ),
    "Attestation": (
        "Attestations",
        "https://w3id.org/graphkg/attestation/",
        {"stated", "reported", "alleged"},
    ),
    "PlannedEventKind": (
        "PlannedEventKinds",
        "https://w3id.org/graphkg/planned-kind/",
        {
            "concert",
            "exhibition",
            "festival",
            "performance",
            "visit",
            "parade",
            "conference",
            "meeting",
            "other",
        },
    ),
}

# The codes the issue requires, on the concepts they fit.
REQUIRED_CAMEO = {
    "114": "https://w3id.org/graphkg/response-kind/diplomatic-summons",
    "100": "https://w3id.org/graphkg/response-kind/demand",
    "101": "https://w3id.org/graphkg/response-kind/demand-investigation",
    "1053": "https://w3id.org/graphkg/response-kind/demand-release",
    "124": "https://w3id.org/graphkg/response-kind/refusal",
    "181": "https://w3id.org/graphkg/incident-kind/abduction",
    "141": "https://w3id.org/graphkg/incident-kind/demonstration",
    "125": "https://w3id.org/graphkg/response-kind/declined-invitation",
    "173": "https://w3id.org/graphkg/incident-kind/detention",
    "1823": "https://w3id.org/graphkg/incident-kind/killing",
    "055": "https://w3id.org/graphkg/response-kind/apology",
}

ACLED_SUB_EVENT_TYPES = {
    "Battles": {
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    },
    "Explosions/Remote violence": {
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    },
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    },
}

# Ranges as the vocabulary spec states them, by fact-file key.
SPEC_RANGES = {
    GKG.description: RDF.langString,
    GKG.evidence: GKG.Evidence,
    GKG.declaredIn: RDFS.Resource,
    GKG.submittedFileDigest: XSD.string,
    GKG.triplesAdded: XSD.integer,
    GKG.triplesRemoved: XSD.integer,
    GKG.time: GKG.TimeSpecification,
    GKG.place: GKG.Place,
    GKG.involves: GKG.Participation,
    GKG.agent: GKG.Agent,
    GKG.role: GKG.Role,
    GKG.belongsToState: GKG.State,
    GKG.subOrganizationOf: GKG.Organization,
    GKG.nationality: GKG.State,
    GKG.descent: RDF.langString,
    GKG.sibling: GKG.Person,
    GKG.approximateAge: XSD.integer,
    GKG.memberCount: XSD.integer,
    GKG.member: GKG.Person,
    GKG.locatedIn: GKG.Place,
    GKG.title: RDF.langString,
    GKG.language: XSD.language,
    GKG.published: XSD.date,
    GKG.url: XSD.anyURI,
    GKG.publisher: XSD.string,
    GKG.license: XSD.anyURI,
    GKG.text: XSD.string,
    GKG.heldBy: GKG.Person,
    GKG.postIn: GKG.Organization,
    GKG.incidentKind: GKG.IncidentKind,
    GKG.responseKind: GKG.ResponseKind,
    GKG.killedCount: XSD.integer,
    GKG.injuredCount: XSD.integer,
    GKG.detainedCount: XSD.integer,
    GKG.aboardCount: XSD.integer,
    GKG.resultOf: GKG.Event,
    GKG.partOf: GKG.Event,
    GKG.actor: GKG.Agent,
    GKG.target: RDFS.Resource,
    GKG.respondsTo: GKG.Event,
    GKG.noTriggerNote: RDF.langString,
    GKG.kindNote: RDF.langString,
    GKG.site: GKG.Site,
    GKG.byline: XSD.string,
    GKG.originalPublisher: XSD.string,
    GKG.partner: GKG.Person,
    GKG.founderOf: GKG.Organization,
    GKG.diplomaticImmunity: XSD.boolean,
    GKG.siteRole: GKG.SiteRole,
    GKG.requiresKindNote: XSD.boolean,
    GKG.reason: RDF.langString,
    GKG.channel: GKG.Organization,
    GKG.content: RDF.langString,
    GKG.speaker: RDFS.Resource,  # schema:rangeIncludes gkg:Agent, gkg:Article (tested below)
    GKG.status: GKG.ClaimStatus,
    GKG.about: RDFS.Resource,
    GKG.conflictsWith: PROV.Entity,
    GKG.attestation: GKG.Attestation,
    GKG.reportedBy: GKG.Agent,
    GKG.allegedIn: GKG.Claim,
    GKG.distinctFrom: GKG.Event,
    GKG.contrastedWith: GKG.Event,
    GKG.attributed: GKG.AttributedStatement,
    GKG.givenBy: GKG.Agent,
    GKG.corrects: RDFS.Resource,
    GKG.correctedProperty: RDF.Property,
    GKG.previousValue: RDFS.Resource,  # a literal or an IRI, as the corrected property takes
    GKG.correctedOn: XSD.date,
    GKG.correctedBy: GKG.Agent,
    GKG.retracts: PROV.Entity,  # schema:rangeIncludes gkg:Claim, gkg:AttributedStatement
    GKG.retractedOn: XSD.date,
    GKG.retractedBy: GKG.Agent,
    GKG.plannedKind: GKG.PlannedEventKind,
    GKG.organizer: GKG.Agent,
    GKG.basedIn: GKG.Place,
    SCHEMA.eventStatus: SCHEMA.EventStatusType,
    GKG.relationKind: GKG.RelationKind,
    GKG.party: GKG.State,
    GKG.evidencedBy: GKG.Event,
    GKG.date: XSD.date,
    GKG.month: XSD.gYearMonth,
    GKG.expression: XSD.string,
    GKG.anchor: RDFS.Resource,
    GKG.resolution: GKG.TimeResolution,
    GKG.after: GKG.Event,
    GKG.before: GKG.Event,
    GKG.startDate: XSD.date,
    GKG.endDate: XSD.date,
    GKG.duration: XSD.duration,
    GKG.notBefore: XSD.date,
    GKG.notAfter: XSD.date,
    GKG.demandedAct: GKG.ResponseKind,
    GKG.addressee: GKG.Agent,
    GKG.concerns: RDFS.Resource,
    GKG.condition: RDF.langString,
    GKG.demandOutcome: GKG.DemandOutcome,
    GKG.answeredBy: GKG.Response,
    GKG.originalUrl: XSD.anyURI,
    GKG.world: GKG.WorldKnowledge,
    RDFS.label: RDF.langString,
    SKOS.altLabel: RDF.langString,
    SCHEMA.sameAs: RDFS.Resource,
    OA.hasSource: GKG.Article,
    OA.exact: XSD.string,
    OA.prefix: XSD.string,
    OA.suffix: XSD.string,
    OA.start: XSD.integer,
    OA.end: XSD.integer,
}

# Alignments the vocabulary spec lists.
SPEC_ALIGNMENTS = [
    (GKG.Agent, RDFS.subClassOf, PROV.Agent),
    (GKG.Agent, RDFS.subClassOf, SCHEMA.Thing),
    (GKG.State, RDFS.subClassOf, GKG.Agent),
    (GKG.State, RDFS.subClassOf, GKG.Place),
    (GKG.State, RDFS.subClassOf, SCHEMA.Country),
    (GKG.Organization, RDFS.subClassOf, GKG.Agent),
    (GKG.Organization, RDFS.subClassOf, ORG.Organization),
    (GKG.Organization, RDFS.subClassOf, SCHEMA.Organization),
    (GKG.Airline, RDFS.subClassOf, SCHEMA.Airline),
    (GKG.Person, RDFS.subClassOf, GKG.Agent),
    (GKG.Person, RDFS.subClassOf, SCHEMA.Person),
    (GKG.Person, RDFS.subClassOf, PROV.Person),
    (GKG.Official, RDFS.subClassOf, GKG.Person),
    (GKG.PersonGroup, RDFS.subClassOf, GKG.Agent),
    (GKG.Place, RDFS.subClassOf, SCHEMA.Place),
    (GKG.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
    (GKG.Article, RDFS.subClassOf, PROV.Entity),
    (GKG.Post, RDFS.subClassOf, ORG.Post),
    (GKG.Event, RDFS.subClassOf, SEM.Event),
    (GKG.Event, RDFS.subClassOf, SCHEMA.Event),
    (GKG.Incident, RDFS.subClassOf, GKG.Event),
    (GKG.Response, RDFS.subClassOf, GKG.Event),
    (GKG.PlannedEvent, RDFS.subClassOf, GKG.Event),
    (GKG.AttributedStatement, RDFS.subClassOf, RDF.Statement),
    (GKG.AttributedStatement, RDFS.subClassOf, PROV.Entity),
    (GKG.givenBy, RDFS.subPropertyOf, PROV.wasAttributedTo),
    (GKG.Correction, RDFS.subClassOf, PROV.Entity),
    (GKG.Retraction, RDFS.subClassOf, PROV.Entity),
    (GKG.correctedBy, RDFS.subPropertyOf, PROV.wasAttributedTo),
    (GKG.retractedBy, RDFS.subPropertyOf, PROV.wasAttributedTo),
    (GKG.organizer, RDFS.subPropertyOf, SCHEMA.organizer),
    (GKG.plannedKind, RDFS.subPropertyOf, SEM.eventType),
    (GKG.distinctFrom, RDF.type, OWL.SymmetricProperty),
    (GKG.contrastedWith, RDF.type, OWL.SymmetricProperty),
    (GKG.Claim, RDFS.subClassOf, PROV.Entity),
    (GKG.StateRelation, RDFS.subClassOf, PROV.Entity),
    (GKG.Evidence, RDFS.subClassOf, OA.SpecificResource),
    (GKG.Evidence, RDFS.subClassOf, PROV.Entity),
    (GKG.TimeSpecification, RDFS.subClassOf, TIME.Instant),
    (GKG.TimeSpecification, RDFS.subClassOf, SEM.Time),
    (GKG.Participation, RDFS.subClassOf, SEM.Role),
    (GKG.WorldKnowledge, RDFS.subClassOf, RDF.Statement),
    (GKG.WorldKnowledge, RDFS.subClassOf, PROV.Entity),
    (GKG.Role, RDFS.subClassOf, SEM.RoleType),
    (GKG.evidence, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    (GKG.time, RDFS.subPropertyOf, SEM.hasTime),
    (GKG.place, RDFS.subPropertyOf, SEM.hasPlace),
    (GKG.involves, RDFS.subPropertyOf, SEM.hasActor),
    (GKG.agent, RDFS.subPropertyOf, PROV.agent),
    (GKG.role, RDFS.subPropertyOf, SEM.roleType),
    (GKG.subOrganizationOf, RDFS.subPropertyOf, ORG.subOrganizationOf),
    (GKG.nationality, RDFS.subPropertyOf, SCHEMA.nationality),
    (GKG.sibling, RDFS.subPropertyOf, SCHEMA.sibling),
    (GKG.sibling, RDF.type, OWL.SymmetricProperty),
    (GKG.locatedIn, RDFS.subPropertyOf, SCHEMA.containedInPlace),
    (GKG.title, RDFS.subPropertyOf, SCHEMA.headline),
    (GKG.language, RDFS.subPropertyOf, SCHEMA.inLanguage),
    (GKG.published, RDFS.subPropertyOf, SCHEMA.datePublished),
    (GKG.url, RDFS.subPropertyOf, SCHEMA.url),
    (GKG.text, RDFS.subPropertyOf, SCHEMA.articleBody),
    (GKG.heldBy, OWL.inverseOf, ORG.holds),
    (GKG.postIn, RDFS.subPropertyOf, ORG.postIn),
    (GKG.partOf, RDFS.subPropertyOf, SEM.subEventOf),
    (GKG.actor, RDFS.subPropertyOf, PROV.wasAssociatedWith),
    (GKG.speaker, RDFS.subPropertyOf, PROV.wasAttributedTo),
    (GKG.about, RDFS.subPropertyOf, SCHEMA.about),
    (GKG.conflictsWith, RDF.type, OWL.SymmetricProperty),
    (GKG.date, RDFS.subPropertyOf, TIME.inXSDDate),
    (GKG.month, RDFS.subPropertyOf, TIME.inXSDgYearMonth),
    (GKG.after, RDFS.subPropertyOf, TIME.after),
]

# External terms the data uses and the ontology must document.
EXTERNAL_TERMS = {
    RDFS.label: OWL.AnnotationProperty,
    SKOS.altLabel: OWL.AnnotationProperty,
    SCHEMA.sameAs: OWL.ObjectProperty,
    PROV.wasDerivedFrom: OWL.ObjectProperty,
    OA.hasSource: OWL.ObjectProperty,
    OA.hasSelector: OWL.ObjectProperty,
    OA.exact: OWL.DatatypeProperty,
    OA.prefix: OWL.DatatypeProperty,
    OA.suffix: OWL.DatatypeProperty,
    OA.start: OWL.DatatypeProperty,
    OA.end: OWL.DatatypeProperty,
    OA.TextQuoteSelector: OWL.Class,
    OA.TextPositionSelector: OWL.Class,
    SCHEMA.eventStatus: OWL.ObjectProperty,
    SCHEMA.EventStatusType: OWL.Class,
}

PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
DECLARATION_TYPES = (*PROPERTY_TYPES, OWL.Class, RDFS.Datatype, SKOS.ConceptScheme)
LITERAL_RANGES = {RDF.langString, RDFS.Literal}
TEXT_PROPERTIES = (
    RDFS.label,
    RDFS.comment,
    SKOS.definition,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.scopeNote,
)


@cache
def rdflib_graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@cache
def pyoxigraph_quads(path: Path) -> tuple[pyoxigraph.Quad, ...]:
    with path.open("rb") as handle:
        return tuple(pyoxigraph.parse(handle, format=pyoxigraph.RdfFormat.TURTLE))


@cache
def merged() -> Graph:
    graph = Graph()
    for path in FILES:
        for triple in rdflib_graph(path):
            graph.add(triple)
    return graph


def in_gkg(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(GKG))


def local_name(term: URIRef) -> str:
    return re.split(r"[#/]", str(term))[-1]


def declared_terms(graph: Graph) -> set[URIRef]:
    return {
        s for t in DECLARATION_TYPES for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)
    }


def declared_properties(graph: Graph) -> set[URIRef]:
    return {s for t in PROPERTY_TYPES for s in graph.subjects(RDF.type, t)}


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        o
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == "en"
    ]


def concept_classes(graph: Graph) -> set[URIRef]:
    return {c for c in graph.subjects(RDFS.subClassOf, SKOS.Concept) if in_gkg(c)}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_parses_to_the_same_triples_with_rdflib_and_pyoxigraph(path: Path) -> None:
    graph = rdflib_graph(path)
    quads = pyoxigraph_quads(path)
    assert len(graph) > 0
    assert len(graph) == len(quads)
    ntriples = pyoxigraph.serialize(
        [q.triple for q in quads], format=pyoxigraph.RdfFormat.N_TRIPLES
    )
    assert set(Graph().parse(data=ntriples.decode("utf-8"), format="nt")) == set(graph)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_has_no_blank_nodes(path: Path) -> None:
    assert not [t for t in rdflib_graph(path) if any(isinstance(n, BNode) for n in t)]
    blank = [
        q
        for q in pyoxigraph_quads(path)
        if any(isinstance(n, pyoxigraph.BlankNode) for n in (q.subject, q.object))
    ]
    assert not blank


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_declares_prefixes_exactly_as_the_vocabulary_spec(path: Path) -> None:
    declared = dict(
        re.findall(r"^@prefix\s+(\w*):\s*<([^>]*)>\s*\.", path.read_text("utf-8"), re.M)
    )
    assert declared, "no @prefix lines"
    for prefix, iri in declared.items():
        assert PREFIXES.get(prefix) == iri, f"{prefix}: <{iri}>"


def test_ontology_header_names_title_description_version_and_license() -> None:
    graph = rdflib_graph(GRAPHKG_TTL)
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert english(graph, ONTOLOGY_IRI, DCTERMS.title)
    assert english(graph, ONTOLOGY_IRI, DCTERMS.description)
    assert (ONTOLOGY_IRI, OWL.versionInfo, Literal("0.1.0")) in graph
    assert (
        ONTOLOGY_IRI,
        DCTERMS.license,
        URIRef("https://creativecommons.org/licenses/by/4.0/"),
    ) in graph


def test_every_declared_term_has_label_and_definition() -> None:
    graph = merged()
    terms = {t for t in declared_terms(graph) if in_gkg(t)} | set(EXTERNAL_TERMS)
    for term in sorted(terms):
        assert len(english(graph, term, RDFS.label)) == 1, f"{term}: one @en rdfs:label"
        assert len(english(graph, term, SKOS.definition)) == 1, f"{term}: one @en skos:definition"


def test_every_gkg_term_used_is_declared() -> None:
    graph = merged()
    declared = declared_terms(graph)
    used = {n for t in graph for n in t if in_gkg(n)}
    assert not sorted(used - declared)


def test_human_readable_texts_are_english_language_tagged() -> None:
    graph = merged()
    for predicate in TEXT_PROPERTIES:
        for subject, text in graph.subject_objects(predicate):
            assert isinstance(text, Literal) and text.language == "en", f"{subject} {predicate}"
            assert str(text).strip() == str(text) and text, f"{subject} {predicate}"


def test_every_property_has_a_range() -> None:
    graph = merged()
    for prop in sorted(declared_properties(graph)):
        assert len(list(graph.objects(prop, RDFS.range))) == 1, f"{prop}: exactly one rdfs:range"


def test_datatype_properties_range_over_literals_and_object_properties_over_resources() -> None:
    graph = merged()
    datatypes = set(graph.subjects(RDF.type, RDFS.Datatype))
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        rng = graph.value(prop, RDFS.range)
        assert rng in LITERAL_RANGES or str(rng).startswith(str(XSD)) or rng in datatypes, prop
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        rng = graph.value(prop, RDFS.range)
        assert rng not in LITERAL_RANGES and not str(rng).startswith(str(XSD)), prop
        assert not set(graph.objects(prop, RDF.type)) & {
            OWL.DatatypeProperty,
            OWL.AnnotationProperty,
        }, prop


def test_property_ranges_follow_the_vocabulary_spec() -> None:
    graph = merged()
    for prop, expected in SPEC_RANGES.items():
        assert graph.value(prop, RDFS.range) == expected, prop
    assert {p for p in declared_properties(graph) if in_gkg(p)} - set(SPEC_RANGES) == {
        GKG.iriSegment,
        GKG.acledEventType,
        GKG.acledSubEventType,
    }


def test_a_claims_speaker_is_an_agent_or_the_article() -> None:
    graph = merged()
    assert set(graph.objects(GKG.speaker, SCHEMA.rangeIncludes)) == {GKG.Agent, GKG.Article}


def test_external_terms_the_data_uses_are_declared() -> None:
    graph = merged()
    for term, kind in EXTERNAL_TERMS.items():
        assert (term, RDF.type, kind) in graph, term
    assert (GKG.iriSegment, RDF.type, OWL.AnnotationProperty) in graph
    assert (GKG.CAMEOCode, RDF.type, RDFS.Datatype) in graph
    for prop in (GKG.acledEventType, GKG.acledSubEventType):
        assert (prop, RDF.type, OWL.DatatypeProperty) in graph
        assert (prop, RDFS.domain, SKOS.Concept) in graph


def test_property_local_names_are_unique_fact_file_keys() -> None:
    keys: dict[str, list[URIRef]] = defaultdict(list)
    for prop in declared_properties(merged()):
        keys[local_name(prop)].append(prop)
    assert not {k: v for k, v in keys.items() if len(v) > 1}


def test_alignments_listed_in_the_vocabulary_spec_are_present() -> None:
    graph = merged()
    missing = [t for t in SPEC_ALIGNMENTS if t not in graph]
    assert not missing


def test_no_equivalence_union_or_exact_match_to_a_superclass() -> None:
    graph = merged()
    for predicate in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs, OWL.unionOf):
        assert not list(graph.subject_objects(predicate)), predicate
    for subject, target in graph.subject_objects(SKOS.exactMatch):
        assert (subject, RDFS.subClassOf, target) not in graph, subject


def test_every_subclass_and_subproperty_target_in_gkg_is_declared() -> None:
    graph = merged()
    classes = set(graph.subjects(RDF.type, OWL.Class))
    properties = declared_properties(graph)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if in_gkg(sup):
            assert sup in classes, f"{sub} rdfs:subClassOf undeclared {sup}"
    for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
        if in_gkg(sup):
            assert sup in properties, f"{sub} rdfs:subPropertyOf undeclared {sup}"
    for predicate in (RDFS.domain, RDFS.range):
        for prop, cls in graph.subject_objects(predicate):
            if in_gkg(cls):
                assert cls in classes or (cls, RDF.type, RDFS.Datatype) in graph, (
                    f"{prop} {predicate} {cls}"
                )


def test_iri_segments_are_on_the_listed_classes_and_unique() -> None:
    graph = rdflib_graph(GRAPHKG_TTL)
    segments: dict[URIRef, list[str]] = defaultdict(list)
    for cls, segment in graph.subject_objects(GKG.iriSegment):
        segments[cls].append(str(segment))
    assert all(len(values) == 1 for values in segments.values())
    assert {local_name(c): v[0] for c, v in segments.items()} == IRI_SEGMENTS
    assert len(set(IRI_SEGMENTS.values())) == len(IRI_SEGMENTS)
    for cls in segments:
        assert (cls, RDF.type, OWL.Class) in graph, cls


def nearest_segments(graph: Graph, cls: URIRef) -> set[str]:
    """Segments at the smallest subclass distance from cls (the code's rule)."""
    layer, seen = {cls}, {cls}
    while layer:
        found = {str(s) for c in layer for s in graph.objects(c, GKG.iriSegment)}
        if found:
            return found
        layer = {p for c in layer for p in graph.objects(c, RDFS.subClassOf) if p not in seen}
        seen |= layer
    return set()


def test_every_class_resolves_to_at_most_one_nearest_segment() -> None:
    graph = rdflib_graph(GRAPHKG_TTL)
    for cls in graph.subjects(RDF.type, OWL.Class):
        assert len(nearest_segments(graph, cls)) <= 1, cls
    assert nearest_segments(graph, GKG.State) == {"state"}
    assert nearest_segments(graph, GKG.Official) == {"person"}
    assert nearest_segments(graph, GKG.Ministry) == {"organization"}
    assert nearest_segments(graph, GKG.City) == {"place"}
    for nested in (
        GKG.Evidence,
        GKG.TimeSpecification,
        GKG.Participation,
        GKG.WorldKnowledge,
        GKG.AttributedStatement,
        GKG.Correction,
        GKG.Retraction,
        GKG.Agent,
    ):
        assert nearest_segments(graph, nested) == set(), nested


def test_concept_classes_are_classes_below_skos_concept() -> None:
    graph = rdflib_graph(GRAPHKG_TTL)
    assert {local_name(c) for c in concept_classes(graph)} == set(CONCEPT_SCHEMES)
    for cls in concept_classes(graph):
        assert (cls, RDF.type, OWL.Class) in graph
        assert nearest_segments(graph, cls) == set(), cls


def test_concept_schemes_hold_exactly_the_concepts_of_the_vocabulary_spec() -> None:
    graph = rdflib_graph(CONCEPTS_TTL)
    assert {local_name(s) for s in graph.subjects(RDF.type, SKOS.ConceptScheme)} == {
        scheme for scheme, _, _ in CONCEPT_SCHEMES.values()
    }
    for cls_name, (scheme_name, namespace, names) in CONCEPT_SCHEMES.items():
        scheme = GKG[scheme_name]
        members = set(graph.subjects(SKOS.inScheme, scheme))
        assert {str(m) for m in members} == {namespace + n for n in names}, scheme_name
        assert set(graph.subjects(SKOS.topConceptOf, scheme)) == members, scheme_name
        assert set(graph.subjects(RDF.type, GKG[cls_name])) == members, cls_name
        assert english(graph, scheme, SKOS.prefLabel), scheme_name


def test_every_concept_is_in_exactly_one_scheme_and_typed_with_its_concept_class() -> None:
    graph = merged()
    class_of_scheme = {GKG[scheme]: GKG[cls] for cls, (scheme, _, _) in CONCEPT_SCHEMES.items()}
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for concept in concepts:
        schemes = list(graph.objects(concept, SKOS.inScheme))
        assert len(schemes) == 1, concept
        (scheme,) = schemes
        assert list(graph.objects(concept, SKOS.topConceptOf)) == [scheme], concept
        assert (concept, RDF.type, class_of_scheme[scheme]) in graph, concept
        expected_types = {SKOS.Concept, class_of_scheme[scheme], OWL.NamedIndividual}
        assert set(graph.objects(concept, RDF.type)) == expected_types, concept
        assert len(english(graph, concept, SKOS.prefLabel)) == 1, concept
        assert len(english(graph, concept, SKOS.definition)) == 1, concept
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", local_name(concept)), concept


def test_required_cameo_codes_occur_on_the_concepts_they_fit() -> None:
    graph = rdflib_graph(CONCEPTS_TTL)
    concepts: dict[str, set[str]] = {}
    for concept, code in graph.subject_objects(SKOS.notation):
        concepts.setdefault(str(code), set()).add(str(concept))
    for code, concept in REQUIRED_CAMEO.items():
        assert concept in concepts.get(code, set()), code


def test_cameo_notations_are_typed_documented_and_only_on_event_kinds() -> None:
    graph = merged()
    event_kinds = {GKG.IncidentKind, GKG.ResponseKind}
    notations = list(graph.subject_objects(SKOS.notation))
    assert notations
    for concept, code in notations:
        assert isinstance(code, Literal) and code.datatype == GKG.CAMEOCode, concept
        assert re.fullmatch(r"\d{2,4}", str(code)), concept
        assert set(graph.objects(concept, RDF.type)) & event_kinds, concept
        comments = [str(c) for c in english(graph, concept, RDFS.comment)]
        assert any(c.startswith(f"CAMEO {code}: ") for c in comments), concept
    per_concept = [c for c, _ in notations]
    assert len(per_concept) == len(set(per_concept)), "one CAMEO code per concept"


def test_acled_types_are_valid_pairs_on_incident_kinds() -> None:
    graph = merged()
    annotated = set(graph.subjects(GKG.acledEventType)) | set(graph.subjects(GKG.acledSubEventType))
    assert annotated
    for concept in annotated:
        assert (concept, RDF.type, GKG.IncidentKind) in graph, concept
        event_types = [str(v) for v in graph.objects(concept, GKG.acledEventType)]
        sub_types = [str(v) for v in graph.objects(concept, GKG.acledSubEventType)]
        assert len(event_types) == 1 and len(sub_types) == 1, concept
        assert sub_types[0] in ACLED_SUB_EVENT_TYPES.get(event_types[0], set()), concept


def test_concepts_have_no_scheme_back_links_that_make_shacl_cloning_explode() -> None:
    # pySHACL deep-clones owl:NamedIndividual nodes to depth 10 without cycle checks;
    # skos:hasTopConcept (scheme -> every concept) turns that into an exponential walk.
    assert not list(merged().subject_objects(SKOS.hasTopConcept))


SHAPES_FOR_ONTOLOGY_MIXIN = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix gkg: <https://w3id.org/graphkg/ontology#> .
<urn:test:shape> a sh:NodeShape ;
    sh:targetNode <urn:test:relation> ;
    sh:property <urn:test:shape-kind>, <urn:test:shape-party> .
<urn:test:shape-kind> sh:path gkg:relationKind ; sh:class gkg:RelationKind .
<urn:test:shape-party> sh:path gkg:party ; sh:class gkg:Place .
"""


def test_shacl_sees_concept_types_and_subclasses_through_the_ontology_graph() -> None:
    data = Graph().parse(
        data="""
        @prefix gkg: <https://w3id.org/graphkg/ontology#> .
        <urn:test:relation> gkg:relationKind <https://w3id.org/graphkg/relation-kind/strained> ;
            gkg:party <urn:test:azerbaijan> .
        <urn:test:azerbaijan> a gkg:State .
        """,
        format="turtle",
    )
    conforms, _, text = pyshacl.validate(
        data,
        shacl_graph=Graph().parse(data=SHAPES_FOR_ONTOLOGY_MIXIN, format="turtle"),
        ont_graph=merged(),
        inference="none",
        advanced=True,
    )
    assert conforms, text


GRASP_FACTUALITY = "http://groundedannotationframework.org/grasp/factuality#"
EVENT_STATUSES = ("EventScheduled", "EventCancelled", "EventPostponed", "EventRescheduled")


def test_attestations_align_with_grasp_factuality_values() -> None:
    graph = merged()
    attestation = "https://w3id.org/graphkg/attestation/"
    assert (
        URIRef(attestation + "stated"),
        SKOS.closeMatch,
        URIRef(GRASP_FACTUALITY + "CERTAIN"),
    ) in graph
    assert (
        URIRef(attestation + "alleged"),
        SKOS.closeMatch,
        URIRef(GRASP_FACTUALITY + "POSSIBLE"),
    ) in graph


def test_event_statuses_are_schema_org_values_that_shacl_can_see() -> None:
    graph = merged()
    for name in EVENT_STATUSES:
        status = SCHEMA[name]
        assert {SCHEMA.EventStatusType, OWL.NamedIndividual} <= set(graph.objects(status, RDF.type))
        assert len(english(graph, status, RDFS.label)) == 1, status
        assert len(english(graph, status, SKOS.definition)) == 1, status


def test_a_namespace_term_is_made_once_and_is_the_plain_iri() -> None:
    """graphkg's namespaces keep each term they make (validation reads them in its
    innermost loops); the term is the IRI rdflib would make, and items still work."""
    first = GKG.evidence
    assert first is GKG.evidence
    assert type(first) is URIRef and first == URIRef(f"{GKG}evidence")
    assert GKG["evidence"] == first and OA.start == URIRef("http://www.w3.org/ns/oa#start")
    with pytest.raises(AttributeError):
        GKG.__no_such_dunder__  # noqa: B018
