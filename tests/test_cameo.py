"""Specifications for ontology/cameo.ttl, the CAMEO 1.1b3 event codebook as SKOS.

The file is parsed with rdflib as it is; every check reads the parsed graph.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from graphkg.ontology import curie
from graphkg.queries import load_named_queries
from graphkg.store import KnowledgeGraph

from conftest import BACKENDS, BASE, store_built_from

CAMEO_TTL = Path(__file__).resolve().parents[1] / "ontology" / "cameo.ttl"
CAMEO = "https://w3id.org/graphkg/cameo/"
GKG = "https://w3id.org/graphkg/ontology#"
SCHEME = URIRef(GKG + "CAMEOEventTypes")
CAMEO_CODE = URIRef(GKG + "CAMEOCode")

# Codes and labels as the codebook (CAMEO 1.1b3, chapter 6) gives them.
EXPECTED_LABELS = {
    "01": "Make public statement",
    "10": "Demand",
    "20": "Use unconventional mass violence",
    "010": "Make statement, not specified below",
    "0211": "Appeal for economic cooperation",
    "0214": "Appeal for intelligence",
    "0253": "Appeal for release of persons or property",
    "0841": "Return, release person(s)",
    "0842": "Return, release property",
    "1053": "Demand release of persons or property",
    "114": "Complain officially",
    "125": "Reject proposal to meet, discuss, or negotiate",
    "160": "Reduce relations, not specified below",
    "161": "Reduce or break diplomatic relations",
    "173": "Arrest, detain, or charge with legal action",
    "174": "Expel or deport individuals",
    "181": "Abduct, hijack, or take hostage",
    "1823": "Kill by physical assault",
    "1834": "Carry out location bombing",
    "1952": "Employ remotely piloted aerial munitions",
    "2042": "Detonate nuclear weapons",
}

# Third-level ranges the codebook has, as (parent, first, last).
THIRD_LEVEL_RANGES = [
    ("021", 1, 4), ("023", 1, 4), ("024", 1, 4), ("025", 1, 6),
    ("031", 1, 4), ("033", 1, 4), ("034", 1, 4), ("035", 1, 6),
    ("081", 1, 4), ("083", 1, 4), ("084", 1, 2), ("086", 1, 3), ("087", 1, 4),
    ("101", 1, 4), ("103", 1, 4), ("104", 1, 4), ("105", 1, 6),
    ("112", 1, 5), ("121", 1, 2), ("122", 1, 4), ("123", 1, 4), ("124", 1, 6),
    ("131", 1, 3), ("132", 1, 4), ("138", 1, 5),
    ("141", 1, 4), ("142", 1, 4), ("143", 1, 4), ("144", 1, 4), ("145", 1, 4),
    ("162", 1, 3), ("166", 1, 3), ("171", 1, 2), ("172", 1, 4),
    ("182", 1, 3), ("183", 1, 4), ("195", 1, 2), ("204", 1, 2),
]  # fmt: skip

# Last second-level code of each root category in the codebook.
LAST_SECOND_LEVEL = {
    "01": 9, "02": 8, "03": 9, "04": 6, "05": 7, "06": 4, "07": 5, "08": 7, "09": 4,
    "10": 8, "11": 6, "12": 9, "13": 9, "14": 5, "15": 5, "16": 6, "17": 6, "18": 6,
    "19": 6, "20": 4,
}  # fmt: skip


@cache
def graph() -> Graph:
    g = Graph()
    g.parse(CAMEO_TTL, format="turtle")
    return g


@cache
def concepts() -> dict[str, URIRef]:
    """Local name -> IRI of every skos:Concept of the file."""
    found = {}
    for s in graph().subjects(RDF.type, SKOS.Concept):
        assert isinstance(s, URIRef) and str(s).startswith(CAMEO), s
        found[str(s)[len(CAMEO) :]] = s
    return found


def notation(concept: URIRef) -> str:
    values = list(graph().objects(concept, SKOS.notation))
    assert len(values) == 1, (concept, values)
    value = values[0]
    assert isinstance(value, Literal) and value.datatype == CAMEO_CODE, value
    return str(value)


def label(concept: URIRef) -> str:
    labels = list(graph().objects(concept, SKOS.prefLabel))
    assert len(labels) == 1, (concept, labels)
    assert isinstance(labels[0], Literal) and labels[0].language == "en", labels
    return str(labels[0])


def test_file_parses_into_a_scheme() -> None:
    g = graph()
    assert len(g) > 1000
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in g
    for prop in (SKOS.prefLabel, SKOS.definition):
        assert g.value(SCHEME, prop) is not None, prop
    assert not list(g.objects(SCHEME, SKOS.hasTopConcept))


def test_twenty_roots_with_notations_01_to_20() -> None:
    roots = set(graph().subjects(SKOS.topConceptOf, SCHEME))
    assert sorted(notation(r) for r in roots) == [f"{n:02d}" for n in range(1, 21)]
    for r in roots:
        assert graph().value(r, SKOS.broader) is None, r


def test_concept_counts_per_level() -> None:
    lengths = [len(code) for code in concepts()]
    assert lengths.count(2) == 20
    assert lengths.count(3) == sum(n + 1 for n in LAST_SECOND_LEVEL.values())
    assert lengths.count(4) == sum(last - first + 1 for _, first, last in THIRD_LEVEL_RANGES)
    assert set(lengths) == {2, 3, 4}


def test_every_second_level_code_is_there() -> None:
    for root, last in LAST_SECOND_LEVEL.items():
        for n in range(last + 1):
            assert f"{root}{n}" in concepts(), f"{root}{n}"


def test_every_third_level_code_is_there() -> None:
    for parent, first, last in THIRD_LEVEL_RANGES:
        for n in range(first, last + 1):
            assert f"{parent}{n}" in concepts(), f"{parent}{n}"
        assert f"{parent}{last + 1}" not in concepts()


def test_every_concept_is_complete() -> None:
    g = graph()
    assert concepts()
    for code, c in concepts().items():
        assert (c, RDF.type, OWL.NamedIndividual) in g, code
        assert set(g.objects(c, SKOS.inScheme)) == {SCHEME}, code
        assert notation(c) == code
        assert label(c).strip(), code
        definitions = list(g.objects(c, SKOS.definition))
        assert len(definitions) == 1, code
        assert isinstance(definitions[0], Literal) and definitions[0].language == "en", code
        assert len(str(definitions[0])) > 10, code


def test_broader_drops_the_last_digit() -> None:
    g = graph()
    for code, c in concepts().items():
        broader = list(g.objects(c, SKOS.broader))
        if len(code) == 2:
            assert broader == [], code
            assert (c, SKOS.topConceptOf, SCHEME) in g, code
            continue
        assert len(broader) == 1, (code, broader)
        assert (c, SKOS.topConceptOf, SCHEME) not in g, code
        expected = code[:2] if len(code) == 3 else code[:3]
        assert notation(broader[0]) == expected, code


def test_notations_are_unique() -> None:
    seen: dict[str, URIRef] = {}
    for s, o in graph().subject_objects(SKOS.notation):
        assert str(o) not in seen, (o, s, seen.get(str(o)))
        seen[str(o)] = s
    assert len(seen) == len(concepts())


@pytest.mark.parametrize("code", sorted(EXPECTED_LABELS))
def test_code_has_the_codebook_label(code: str) -> None:
    assert code in concepts(), code
    assert label(concepts()[code]) == EXPECTED_LABELS[code]


def test_catch_alls_say_when_to_use_them() -> None:
    catch_alls = [c for c in concepts() if len(c) == 3 and c.endswith("0")]
    assert len(catch_alls) == 20
    for code in catch_alls:
        notes = [str(n) for n in graph().objects(concepts()[code], SKOS.scopeNote)]
        assert any("only when no more specific code" in n for n in notes), code


def test_sparql_rolls_1053_up_to_demand() -> None:
    query = """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX cameo: <https://w3id.org/graphkg/cameo/>
        SELECT ?root ?label WHERE {
            cameo:1053 skos:broader* ?root .
            ?root skos:topConceptOf ?scheme ;
                  skos:prefLabel ?label .
        }
    """
    rows = list(graph().query(query))
    assert len(rows) == 1
    root, root_label = rows[0]
    assert root == URIRef(CAMEO + "10")
    assert str(root_label) == "Demand"
    ancestors = {
        str(r[0])[len(CAMEO) :]
        for r in graph().query(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT ?a WHERE { <https://w3id.org/graphkg/cameo/1053> skos:broader+ ?a }"
        )
    }
    assert ancestors == {"105", "10"}


def test_no_blank_nodes() -> None:
    for triple in graph():
        assert not any(isinstance(term, BNode) for term in triple), triple


# -- the kinds' codes and the roll-up query ------------------------------------


def _kind_codes() -> dict[URIRef, str]:
    """Each incident, response and planned-event kind of concepts.ttl with its CAMEO code."""
    concepts = Graph().parse(CAMEO_TTL.parent / "concepts.ttl")
    return {
        kind: str(code)
        for kind, code in concepts.subject_objects(SKOS.notation)
        if isinstance(code, Literal) and code.datatype == CAMEO_CODE
    }


def test_every_kind_s_cameo_code_is_a_code_of_the_codebook() -> None:
    codes = {str(code) for code in graph().objects(None, SKOS.notation)}
    kinds = _kind_codes()
    assert kinds
    assert {kind: code for kind, code in kinds.items() if code not in codes} == {}


@pytest.mark.parametrize("attestation", ["attested", "all"])
def test_events_roll_up_to_the_root_their_kind_s_code_begins_with(
    seed_graph: KnowledgeGraph, attestation: str
) -> None:
    # Counted here from the codes' digits (a code begins with its root's two), and by the
    # query through skos:broader: both must agree, root by root.
    admitted = {"attested": {"stated", "reported"}, "all": {"stated", "reported", "alleged"}}
    events = seed_graph.query(
        "SELECT ?event ?kind ?attestation WHERE { "
        "?event gkg:incidentKind|gkg:responseKind ?kind . ?event gkg:attestation ?attestation }"
    )
    assert isinstance(events, ox.QuerySolutions)
    codes = {str(kind): code for kind, code in _kind_codes().items()}
    expected: Counter[tuple[str, str]] = Counter()
    for event in events:
        attested_as = event["attestation"].value.rsplit("/", 1)[1]
        code = codes.get(event["kind"].value)
        if code is not None and attested_as in admitted[attestation]:
            expected[(code[:2], f"att:{attested_as}")] += 1
    query = load_named_queries()["events-by-cameo-root"]
    rows = seed_graph.query(
        query.sparql, substitutions=query.substitutions({"attestation": attestation})
    )
    assert isinstance(rows, ox.QuerySolutions)
    counted = {
        (row["code"].value, curie(row["attestedAs"].value)): int(row["events"].value)
        for row in rows
        if int(row["events"].value)
    }
    assert len(expected) >= 6
    assert counted == dict(expected)


# -- the tests' own article: kinds chosen by name ----------------------------------

OSTLAND_DATA = Path(__file__).resolve().parent / "data" / "cameo"


@pytest.fixture(scope="module", params=BACKENDS)
def ostland(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KnowledgeGraph]:
    """A store built from the tests' own article of an arrest and five responses."""
    with store_built_from(tmp_path_factory, OSTLAND_DATA, request.param) as built:
        yield built


def _counted(kg: KnowledgeGraph, name: str, *columns: str) -> set[tuple[str, ...]]:
    """The rows of a counting named query whose last column is not zero."""
    rows = kg.query(load_named_queries()[name].sparql)
    assert isinstance(rows, ox.QuerySolutions)
    return {
        tuple(
            curie(row[c].value) if isinstance(row[c], ox.NamedNode) else row[c].value
            for c in columns
        )
        for row in rows
        if row[columns[-1]].value != "0"
    }


def test_stewards_choose_response_kinds_by_name_and_get_their_cameo_codes(
    ostland: KnowledgeGraph,
) -> None:
    assert _counted(ostland, "responses-by-kind", "kind", "cameo", "responses") == {
        ("rk:protest", "114", "1"),
        ("rk:ambassador-recall", "161", "1"),
        ("rk:expulsion", "174", "1"),
        ("rk:rejection", "120", "1"),
        ("rk:release", "0841", "1"),
        ("rk:other-reduction-of-relations", "16", "1"),
    }


def test_the_tests_own_article_rolls_up_to_its_cameo_roots(ostland: KnowledgeGraph) -> None:
    assert _counted(ostland, "events-by-cameo-root", "code", "attestedAs", "events") == {
        ("08", "att:stated", "1"),  # the release
        ("11", "att:stated", "1"),  # the protest
        ("12", "att:stated", "1"),  # the rejection
        ("16", "att:stated", "2"),  # the recall and the travel warning
        ("17", "att:stated", "2"),  # the arrest and the expulsion
    }


def test_an_other_kind_without_its_note_is_refused_with_the_fix(
    tmp_path: Path, graphkg_cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    article = OSTLAND_DATA / "ostland-envoy"
    copy = tmp_path / "ostland-envoy"
    copy.mkdir()
    (copy / "article.txt").write_text((article / "article.txt").read_text(encoding="utf-8"))
    facts = (article / "facts.yaml").read_text(encoding="utf-8")
    (copy / "facts.yaml").write_text(
        facts.replace("    kindNote: a travel warning for Westmark\n", "")
    )
    result = graphkg_cli("validate", copy / "facts.yaml")
    assert result.returncode == 1
    assert "OtherKindNoteShape" in result.stderr
    assert "fact: travel-warning" in result.stderr and "`kindNote:`" in result.stderr


def test_an_incident_in_two_places_lists_each_place_with_its_role(
    ostland: KnowledgeGraph,
) -> None:
    query = load_named_queries()["places"]
    rows = ostland.query(query.sparql, substitutions=query.substitutions({"place": ""}))
    assert isinstance(rows, ox.QuerySolutions)
    arrest = f"{BASE}id/incident/citizens-arrest"
    found = {
        (
            row["place"].value.removeprefix(f"{BASE}id/"),
            row["siteRoleLabel"] and row["siteRoleLabel"].value,
        )
        for row in rows
        if row["event"].value == arrest
    }
    airport, prison = "place/westmark-main-airport", "place/port-royal-prison"
    assert found == {
        ("state/westmark", None),  # its plain place
        (airport, "arrest site"),
        (prison, "detention site"),
        # both buildings lie within Westmark, which lists them too
        ("state/westmark", "arrest site"),
        ("state/westmark", "detention site"),
    }
