"""People the article does not name, the article's own voice, and a syndicated copy.

A small article of the tests' own, ``tests/data/people/valdoria-flight-diversion``:
a flight forced down and two passengers detained; the blogger's unnamed partner
(with diplomatic immunity), sister and fellow detainee, an unnamed ambassador
holding a post; an organization he founded, with its former name; an
intergovernmental organization, a news agency and a publisher; the copy's byline,
publisher, original publisher and original address; a claim in the article's own
voice beside claims that report, allege and refuse.

Every expected answer below is written out from the fact file, not copied from
the queries' output. IRIs are shortened as in ``test_named_queries.py``: data IRIs
relative to ``{base}id/``, other IRIs as CURIEs of the standard prefixes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphkg.namespaces import PREFIXES
from graphkg.pipeline import validate_files
from graphkg.store import KnowledgeGraph
from graphkg.validation import ValidationReport

from conftest import BACKENDS, BASE, fact_file_variant, plain, run, store_built_from, violations

DATA = Path(__file__).resolve().parent / "data" / "people"
ARTICLE_ID = "valdoria-flight-diversion"
ARTICLE = f"article/{ARTICLE_ID}"
ID = f"{BASE}id/"
PREFIX_LINES = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("gkg", "skos", "rdfs"))


# -- helpers ------------------------------------------------------------------


def select(kg: KnowledgeGraph, sparql: str) -> set[tuple]:
    """The rows of a plain SELECT query (with the gkg:, skos: and rdfs: prefixes), as a set."""
    solutions = kg.query(PREFIX_LINES + sparql)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = solutions.variables
    return {tuple(plain(solution[v]) for v in variables) for solution in solutions}


@pytest.fixture(scope="module", params=BACKENDS)
def kg(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KnowledgeGraph]:
    """A store built from the tests' own article only."""
    with store_built_from(tmp_path_factory, DATA, request.param) as built:
        yield built


def validate_variant(tmp_path: Path, old: str, new: str) -> ValidationReport:
    """Validate a copy of the article whose fact file has ``old`` replaced by ``new``."""
    facts = fact_file_variant(DATA / ARTICLE_ID, tmp_path, old, new)
    return validate_files([facts], base=BASE, kg=None)


# -- the fact file itself ------------------------------------------------------


def test_the_fact_file_conforms_without_warnings() -> None:
    report = validate_files([DATA / ARTICLE_ID / "facts.yaml"], base=BASE, kg=None)
    assert report.conforms, report.as_text()
    assert report.problems == [], report.as_text()


# -- the article block: byline and syndication --------------------------------


def test_articles_lists_the_byline_publisher_and_original(kg: KnowledgeGraph) -> None:
    _, rows = run(kg, "articles")
    assert rows == [
        (
            ARTICLE,
            "Valdoria Forces Down Airliner and Detains Exiled Blogger",
            "en",
            "2025-05-15",
            False,  # the date is the page's, not world knowledge
            None,
            None,
            "By Lena Ostrova, Nordwire",
            "Kessel Evening Post",
            "Nordwire",
            "https://nordwire.example/2025/05/15/valdoria-forces-down-airliner",
            12,  # 2 posts, 2 incidents, 3 responses, 5 claims
            19,  # 2 states, 3 cities, 7 organizations, 6 persons, 1 group
        )
    ]


def test_the_original_url_is_an_any_uri_literal(kg: KnowledgeGraph) -> None:
    solutions = kg.query(PREFIX_LINES + "SELECT ?url WHERE { ?a gkg:originalUrl ?url }")
    assert isinstance(solutions, ox.QuerySolutions)
    urls = [solution["url"] for solution in solutions]
    assert urls == [
        ox.Literal(
            "https://nordwire.example/2025/05/15/valdoria-forces-down-airliner",
            datatype=ox.NamedNode(f"{PREFIXES['xsd']}anyURI"),
        )
    ]


# -- the article's own voice ----------------------------------------------------


def test_claims_by_speaker_shows_the_articles_own_voice(kg: KnowledgeGraph) -> None:
    _, rows = run(kg, "claims-by-speaker")
    assert rows == [
        (
            "person/darius-vell",
            "Darius Vell",
            "cs:alleges",
            "alleges",
            "claim/vell-incitement-claim",
            "Reyk was wanted for inciting mass unrest",
            None,
            None,
        ),
        (
            "organization/meridian-press-agency",
            "Meridian Press Agency",
            "cs:reports",
            "reports",
            "claim/meridian-bomb-report",
            "the crew had been told of a bomb on board",
            None,
            None,
        ),
        (
            "person/reyk-sister",
            "Reyk’s sister",
            "cs:reports",
            "reports",
            "claim/sister-unreachable-claim",
            "she had not been able to reach him since his arrest",
            None,
            None,
        ),
        # The article speaks in its own voice, labelled by its title.
        (
            ARTICLE,
            "Valdoria Forces Down Airliner and Detains Exiled Blogger",
            "cs:asserts",
            "asserts",
            "claim/no-bomb-found",
            "no bomb was found on the aircraft",
            None,
            None,
        ),
        (
            "organization/valdorian-foreign-ministry",
            "Valdorian Foreign Ministry",
            "cs:refuses",
            "refuses",
            "claim/release-refusal-claim",
            "to release the two men before their trial",
            None,
            None,
        ),
    ]


def test_claims_by_speaker_filters_on_asserts_and_refuses(kg: KnowledgeGraph) -> None:
    _, asserted = run(kg, "claims-by-speaker", status=f"{PREFIXES['cs']}asserts")
    assert [(row[0], row[4]) for row in asserted] == [(ARTICLE, "claim/no-bomb-found")]
    _, refused = run(kg, "claims-by-speaker", status=f"{PREFIXES['cs']}refuses")
    assert [(row[0], row[4]) for row in refused] == [
        ("organization/valdorian-foreign-ministry", "claim/release-refusal-claim")
    ]


def test_the_article_as_speaker_is_listed_among_its_mentions(kg: KnowledgeGraph) -> None:
    _, rows = run(kg, "entity-mentions", entity=f"{ID}{ARTICLE}")
    assert rows == [
        (ARTICLE, None, "claim/no-bomb-found", "gkg:Claim", "gkg:speaker", "speaker")
        + (None, None, False),
        (ARTICLE, None, "incident/flight-diversion", "gkg:Incident", "gkg:anchor", "anchor")
        + (None, None, False),
        (ARTICLE, None, "incident/passengers-detention", "gkg:Incident", "gkg:anchor")
        + ("anchor", None, None, False),
        (ARTICLE, None, "response/ambassador-summons", "gkg:Response", "gkg:anchor")
        + ("anchor", None, None, False),
        (ARTICLE, None, "response/marisland-protest", "gkg:Response", "gkg:anchor")
        + ("anchor", None, None, False),
    ]


# -- people the article does not name -------------------------------------------


def test_relatives_lists_the_unnamed_partner_and_sister_both_ways(kg: KnowledgeGraph) -> None:
    _, rows = run(kg, "relatives")
    # The partner is written on one side only; the relation is symmetric.
    assert rows == [
        ("person/reyk-partner", "His partner", "gkg:partner", "partner")
        + ("person/tomas-reyk", "Tomas Reyk", None, None),
        ("person/reyk-sister", "Reyk’s sister", "gkg:sibling", "sibling")
        + ("person/tomas-reyk", "Tomas Reyk", None, None),
        ("person/tomas-reyk", "Tomas Reyk", "gkg:partner", "partner")
        + ("person/reyk-partner", "His partner", None, None),
        ("person/tomas-reyk", "Tomas Reyk", "gkg:sibling", "sibling")
        + ("person/reyk-sister", "Reyk’s sister", None, None),
    ]


def test_officials_lists_the_unnamed_ambassador_by_the_post_they_hold(
    kg: KnowledgeGraph,
) -> None:
    _, rows = run(kg, "officials")
    assert rows == [
        ("person/darius-vell", "Darius Vell", "post/vell-interior-minister", "Interior Minister")
        + (None, None, "state/valdoria", "Valdoria", False),
        ("person/valdorian-ambassador", "the Valdorian ambassador")
        + ("post/valdorian-ambassador-post", "ambassador")
        + (None, None, "state/valdoria", "Valdoria", False),
    ]


def test_entity_mentions_show_the_unnamed_ambassador_summoned(kg: KnowledgeGraph) -> None:
    _, rows = run(kg, "entity-mentions", entity=f"{ID}person/valdorian-ambassador")
    ambassador = ("person/valdorian-ambassador", "the Valdorian ambassador")
    assert rows == [
        ambassador
        + ("post/valdorian-ambassador-post", "gkg:Post", "gkg:heldBy", "held by")
        + (None, None, False),
        ambassador
        + ("response/ambassador-summons", "gkg:Response", "gkg:involves", "involves")
        + ("role:addressee", "addressee", False),
        ambassador
        + ("response/ambassador-summons", "gkg:Response", "gkg:target", "target")
        + (None, None, False),
    ]


def test_unnamed_persons_carry_label_description_and_their_relations(
    kg: KnowledgeGraph,
) -> None:
    assert select(
        kg,
        "SELECT ?person ?label ?description WHERE { ?person a gkg:UnnamedPerson ; "
        "rdfs:label ?label ; gkg:description ?description }",
    ) == {
        ("person/reyk-partner", "His partner", "the partner of Tomas Reyk, a Marisland diplomat"),
        ("person/reyk-sister", "Reyk’s sister", "the sister of Tomas Reyk"),
        (
            "person/reyk-photographer",
            "a photographer travelling with him",
            "a photographer who travelled with Tomas Reyk and was detained with him",
        ),
        (
            "person/valdorian-ambassador",
            "the Valdorian ambassador",
            "Valdoria’s ambassador to Marisland",
        ),
    }
    # partner is symmetric: written on one side, read both ways.
    assert select(
        kg, "SELECT ?a ?b WHERE { { ?a gkg:partner ?b } UNION { ?b gkg:partner ?a } }"
    ) == {
        ("person/reyk-partner", "person/tomas-reyk"),
        ("person/tomas-reyk", "person/reyk-partner"),
    }
    assert select(
        kg, "SELECT ?person ?immune WHERE { ?person gkg:diplomaticImmunity ?immune }"
    ) == {("person/reyk-partner", True)}
    assert select(kg, "SELECT ?founder ?org WHERE { ?founder gkg:founderOf ?org }") == {
        ("person/tomas-reyk", "organization/open-valdoria")
    }
    assert select(
        kg,
        "SELECT ?group ?member ?count WHERE { ?group gkg:member ?member ; gkg:memberCount ?count }",
    ) == {
        ("group/two-detainees", "person/tomas-reyk", 2),
        ("group/two-detainees", "person/reyk-photographer", 2),
    }


def test_former_names_are_alternative_labels(kg: KnowledgeGraph) -> None:
    # Only the data's own: the concept schemes in the store have alternative labels too.
    found = select(
        kg,
        "SELECT ?entity ?name WHERE { ?entity skos:altLabel ?name "
        f'FILTER(STRSTARTS(STR(?entity), "{ID}")) }}',
    )
    assert found == {
        ("organization/open-valdoria", "Valdoria Watch"),
        ("organization/northern-aviation-council", "Northern Air Safety Board"),
    }


# -- superclasses are materialized at store time -------------------------------


def test_persons_include_the_unnamed_and_the_officials(kg: KnowledgeGraph) -> None:
    assert select(kg, "SELECT ?x WHERE { ?x a gkg:Person }") == {
        ("person/tomas-reyk",),
        ("person/darius-vell",),  # an Official
        ("person/reyk-partner",),  # the rest are UnnamedPersons
        ("person/reyk-sister",),
        ("person/reyk-photographer",),
        ("person/valdorian-ambassador",),
    }


def test_organizations_include_the_igo_news_agency_and_publisher(kg: KnowledgeGraph) -> None:
    assert select(kg, "SELECT ?x WHERE { ?x a gkg:Organization }") == {
        ("organization/northern-aviation-council",),  # IntergovernmentalOrganization
        ("organization/meridian-press-agency",),  # NewsAgency
        ("organization/harbour-courier",),  # Publisher
        ("organization/open-valdoria",),
        ("organization/valdorian-police",),
        ("organization/valdorian-foreign-ministry",),
        ("organization/marisland-foreign-ministry",),
    }
    assert select(
        kg,
        "SELECT ?x ?class WHERE { VALUES ?class { gkg:IntergovernmentalOrganization "
        "gkg:NewsAgency gkg:Publisher } ?x a ?class }",
    ) == {
        ("organization/northern-aviation-council", "gkg:IntergovernmentalOrganization"),
        ("organization/meridian-press-agency", "gkg:NewsAgency"),
        ("organization/harbour-courier", "gkg:Publisher"),
    }


# -- events ---------------------------------------------------------------------


def test_the_incidents_and_responses_with_their_kinds(kg: KnowledgeGraph) -> None:
    assert select(
        kg,
        "SELECT ?event ?kind ?attestation WHERE { "
        "?event gkg:incidentKind|gkg:responseKind ?kind ; gkg:attestation ?attestation }",
    ) == {
        ("incident/flight-diversion", "ik:forced-diversion", "att:stated"),
        ("incident/passengers-detention", "ik:detention", "att:stated"),
        ("response/ambassador-summons", "rk:diplomatic-summons", "att:stated"),
        ("response/marisland-protest", "rk:protest", "att:stated"),
        ("response/council-criticism", "rk:criticism", "att:stated"),
    }


# -- the shapes refuse broken variants ---------------------------------------


def test_the_articles_voice_with_another_status_is_refused(tmp_path: Path) -> None:
    report = validate_variant(tmp_path, "    status: asserts\n", "    status: reports\n")
    assert not report.conforms
    assert violations(report) == {("no-bomb-found", "gkgsh:ClaimArticleVoiceShape")}


def test_asserts_with_a_speaker_other_than_the_article_is_refused(tmp_path: Path) -> None:
    report = validate_variant(tmp_path, "    status: alleges\n", "    status: asserts\n")
    assert not report.conforms
    assert violations(report) == {("vell-incitement-claim", "gkgsh:ClaimArticleVoiceShape")}


def test_an_unnamed_person_without_a_description_is_refused(tmp_path: Path) -> None:
    report = validate_variant(tmp_path, "    description: the sister of Tomas Reyk\n", "")
    assert not report.conforms
    assert violations(report) == {("reyk-sister", "gkgsh:UnnamedPersonShape-description")}
