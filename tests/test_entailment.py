"""Queries find subclasses: the ontology's own hierarchy is stored with the data it types."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from flask.testing import FlaskClient
from rdflib import URIRef
from rdflib.namespace import RDF

from graphkg.entailment import Hierarchy, entailed_quads, ontology_hierarchy
from graphkg.namespaces import GKG
from graphkg.pipeline import add_file, build_store
from graphkg.settings import Settings
from graphkg.store import KnowledgeGraph, open_store

from conftest import ARTICLE_FACTS, ARTICLE_ID, BASE, write_article

PERSONS = "SELECT ?x WHERE { ?x a gkg:Person }"
OFFICIALS = "SELECT ?x WHERE { ?x a gkg:Official }"
VOLOKOVYKH = f"{BASE}id/person/pyotr-volokovykh"


def _values(kg: KnowledgeGraph, query: str) -> set[str]:
    solutions = kg.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return {solution["x"].value for solution in solutions}


def test_persons_include_officials(seed_graph: KnowledgeGraph) -> None:
    officials = _values(seed_graph, OFFICIALS)
    assert officials and officials <= _values(seed_graph, PERSONS)


def test_events_are_incidents_responses_and_planned_events(seed_graph: KnowledgeGraph) -> None:
    kinds = [
        _values(seed_graph, f"SELECT ?x WHERE {{ ?x a gkg:{kind} }}")
        for kind in ("Incident", "Response", "PlannedEvent")
    ]
    assert all(kinds)
    assert _values(seed_graph, "SELECT ?x WHERE { ?x a gkg:Event }") == set().union(*kinds)


def test_every_instance_has_every_gkg_superclass_of_its_classes(
    seed_graph: KnowledgeGraph,
) -> None:
    # The ontology graph is part of the union default graph, so the store can check itself.
    missing = seed_graph.query(
        """SELECT ?x ?class ?above WHERE {
            ?x a ?class . ?class rdfs:subClassOf+ ?above .
            FILTER (STRSTARTS(STR(?above), STR(gkg:)))
            FILTER NOT EXISTS { ?x a ?above }
        }"""
    )
    assert isinstance(missing, ox.QuerySolutions)
    assert [tuple(term.value for term in row) for row in missing] == []


def test_other_vocabularies_superclasses_are_not_stored(seed_graph: KnowledgeGraph) -> None:
    assert not bool(seed_graph.query("ASK { ?x a schema:Person }"))
    assert not bool(seed_graph.query("ASK { ?x a prov:Agent }"))


def test_every_client_of_the_endpoint_finds_officials_as_persons(client: FlaskClient) -> None:
    answer = client.get(
        "/sparql",
        query_string={"query": f"ASK {{ <{VOLOKOVYKH}> a <{GKG}Person> }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200
    assert answer.get_json()["boolean"] is True


def test_entailed_types_go_with_the_article_and_come_back_with_it(
    seed_store: Path | str,
) -> None:
    # The article declares the official; his types, entailed ones included, live in the
    # entities graph as the article's contribution, and go and come back with it.
    kg = open_store(Settings(store=seed_store, base=BASE), writer=True)  # type: ignore[arg-type]
    person = f"ASK {{ GRAPH <{BASE}graph/entities> {{ <{VOLOKOVYKH}> a gkg:Person }} }}"
    assert bool(kg.query(person, union_default_graph=False))
    kg.remove_article(ARTICLE_ID)
    assert not bool(kg.query(f"ASK {{ GRAPH ?g {{ <{VOLOKOVYKH}> ?p ?o }} }}"))
    add_file(kg, ARTICLE_FACTS)
    assert bool(kg.query(person, union_default_graph=False))


def test_superproperties_are_entailed_in_the_graph_of_their_triple() -> None:
    # The shipped ontology has no gkg property below another gkg property yet; a hierarchy
    # of two levels shows what one would get.
    graph = URIRef(f"{BASE}graph/article/a")
    spokesperson, speaker, agent = (URIRef(f"{GKG}{name}") for name in ("by", "said", "did"))
    hierarchy = Hierarchy({}, {spokesperson: (speaker, agent)})
    claim, person = URIRef(f"{BASE}id/claim/c"), URIRef(VOLOKOVYKH)
    quads = [(claim, spokesperson, person, graph), (claim, agent, person, graph)]
    assert entailed_quads(quads, hierarchy) == [(claim, speaker, person, graph)]


def test_the_shipped_hierarchy_holds_gkg_ancestors_nearest_first() -> None:
    hierarchy = ontology_hierarchy()
    assert hierarchy.superclasses[GKG.Official] == (GKG.Person, GKG.Agent)
    assert hierarchy.superclasses[GKG.Incident] == (GKG.Event,)
    assert GKG.Agent not in hierarchy.superclasses
    assert all(
        str(above).startswith(str(GKG))
        for ancestors in hierarchy.superclasses.values()
        for above in ancestors
    )
    assert RDF.type not in hierarchy.superproperties


def test_news_agencies_and_intergovernmental_bodies_are_organizations(tmp_path: Path) -> None:
    write_article(
        tmp_path,
        "agencies",
        "Nordpress reported that the International Civil Aviation Organization would investigate.",
        "  - id: nordpress\n    type: NewsAgency\n    label: Nordpress\n"
        '    evidence: "Nordpress reported"\n'
        "  - id: icao\n    type: IntergovernmentalOrganization\n"
        "    label: the International Civil Aviation Organization\n"
        '    evidence: "the International Civil Aviation Organization"\n',
    )
    kg = KnowledgeGraph.open_writer(tmp_path / "store", base=BASE)
    build_store(kg, tmp_path)
    organizations = _values(kg, "SELECT ?x WHERE { ?x a gkg:Organization }")
    assert organizations == {
        f"{BASE}id/organization/nordpress",
        f"{BASE}id/organization/icao",
    }


def test_a_person_the_article_does_not_name_is_a_person_with_a_description(
    tmp_path: Path,
) -> None:
    write_article(
        tmp_path,
        "envoy",
        "The Turkish ambassador and his partner, who has diplomatic immunity, left.",
        "  - id: turkish-ambassador\n    type: UnnamedPerson\n"
        "    label: the Turkish ambassador\n    description: the ambassador of Turkey\n"
        '    evidence: "The Turkish ambassador"\n'
        "  - id: ambassador-partner\n    type: UnnamedPerson\n    label: his partner\n"
        "    description: the partner of the Turkish ambassador\n"
        "    partner: turkish-ambassador\n    diplomaticImmunity: true\n"
        '    evidence: "his partner, who has diplomatic immunity"\n',
    )
    kg = KnowledgeGraph.open_writer(tmp_path / "store", base=BASE)
    build_store(kg, tmp_path)
    ambassador, partner = (
        f"{BASE}id/person/{id_}" for id_ in ("turkish-ambassador", "ambassador-partner")
    )
    assert _values(kg, PERSONS) == {ambassador, partner}
    assert bool(
        kg.query(f"ASK {{ <{partner}> gkg:partner <{ambassador}> ; gkg:diplomaticImmunity true }}")
    )
