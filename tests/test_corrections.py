"""Corrections and retractions in fact files, on two articles of the tests' own.

tests/data/corrections/tarsk-dockworkers-strike: the article's own correction notice
(quoted) replaces a count of detainees (12 → 14) and an entity's misspelled name, after
publication; a company withdraws its claim that strikers damaged its vessels.
tests/data/corrections/kovar-bridge-protest: a correction the article does not state (world
knowledge, with its source) replaces the number of protesters (200 → 300), and the
organisers withdraw the figure they gave (an attributed statement).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graphkg.errors import FactFileError
from graphkg.mapping import KnownId, MappedSource, map_fact_file
from graphkg.namespaces import GKG, OA, PROV
from graphkg.ontology import load_ontology
from graphkg.pipeline import add_files, build_store, validate_files
from graphkg.problems import Problem
from graphkg.store import KnowledgeGraph

from conftest import BACKENDS, BASE, ID, fact_file_variant, run, store_built_from

CORRECTIONS_DATA = Path(__file__).resolve().parent / "data" / "corrections"
TARSK = CORRECTIONS_DATA / "tarsk-dockworkers-strike"
KOVAR = CORRECTIONS_DATA / "kovar-bridge-protest"

ARTICLE_GRAPH = URIRef(f"{BASE}graph/article/tarsk-dockworkers-strike")
KOVAR_GRAPH = URIRef(f"{BASE}graph/article/kovar-bridge-protest")
ENTITIES_GRAPH = URIRef(f"{BASE}graph/entities")
WORLD_GRAPH = URIRef(f"{BASE}graph/world")
DETENTIONS = URIRef(f"{ID}incident/dockworker-detentions")
UNION = URIRef(f"{ID}organization/harbour-hands")
GAZETTE = URIRef(f"{ID}organization/tarsk-gazette")
CLAIM = URIRef(f"{ID}claim/lindqvist-damage-claim")
PROTESTERS = URIRef(f"{ID}group/kovar-protesters")
SOURCE = "https://example.org/kovar-daily/corrections/2026-04-14"


def mapped(path: Path) -> MappedSource:
    return map_fact_file(path, load_ontology(), base=BASE)


def about(source: MappedSource, subject: URIRef) -> set[tuple]:
    """The (predicate, object, graph) of ``subject`` in a mapped source."""
    return {(p, o, g) for s, p, o, g in source.quads if s == subject}


def integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def day(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


# -- mapping -----------------------------------------------------------------------


def test_a_correction_keeps_the_earlier_value_with_who_when_and_why() -> None:
    source = mapped(TARSK / "facts.yaml")
    correction = URIRef(f"{DETENTIONS}/correction/1")
    evidence = URIRef(f"{correction}/evidence/1")
    g = ARTICLE_GRAPH
    assert about(source, correction) == {
        (RDF.type, GKG.Correction, g),
        (GKG.corrects, DETENTIONS, g),
        (GKG.correctedProperty, GKG.detainedCount, g),
        (GKG.previousValue, integer(12), g),
        (GKG.correctedOn, day("2026-05-08"), g),
        (GKG.reason, Literal("the first version of the article gave 12 dockworkers detained",
                             lang="en"), g),
        (GKG.correctedBy, GAZETTE, g),
        (GKG.evidence, evidence, g),
    }  # fmt: skip
    notice = Literal("An earlier version of this article said 12 dockworkers were detained")
    assert (URIRef(f"{evidence}/quote"), OA.exact, notice, g) in source.quads


def test_the_earlier_value_is_not_asserted_on_the_fact() -> None:
    source = mapped(TARSK / "facts.yaml")
    counts = {o for s, p, o, _ in source.quads if s == DETENTIONS and p == GKG.detainedCount}
    assert counts == {integer(14)}
    assert not [q for q in source.quads if q[2] == integer(12) and q[1] != GKG.previousValue]


def test_a_correction_of_an_entity_is_stored_in_the_articles_graph() -> None:
    """The entity lives in the entities graph; its correction goes with the article."""
    source = mapped(TARSK / "facts.yaml")
    correction = URIRef(f"{UNION}/correction/1")
    assert (GKG.previousValue, Literal("Harbor Hands", lang="en"), ARTICLE_GRAPH) in about(
        source, correction
    )
    assert (GKG.correctedProperty, RDFS.label, ARTICLE_GRAPH) in about(source, correction)
    labels = {(o, g) for s, p, o, g in source.quads if s == UNION and p == RDFS.label}
    assert labels == {(Literal("Harbour Hands", lang="en"), ENTITIES_GRAPH)}


def test_a_retracted_claim_stays_as_it_was_with_its_retraction() -> None:
    source = mapped(TARSK / "facts.yaml")
    retraction = URIRef(f"{CLAIM}/retraction/1")
    g = ARTICLE_GRAPH
    assert about(source, retraction) == {
        (RDF.type, GKG.Retraction, g),
        (GKG.retracts, CLAIM, g),
        (GKG.retractedOn, day("2026-05-06"), g),
        (GKG.reason, Literal("Lindqvist Lines said that none of its vessels had been damaged",
                             lang="en"), g),
        (GKG.retractedBy, URIRef(f"{ID}organization/lindqvist-lines"), g),
        (GKG.evidence, URIRef(f"{retraction}/evidence/1"), g),
    }  # fmt: skip
    claim = {p for p, _, _ in about(source, CLAIM)}
    assert {GKG.speaker, GKG.status, GKG.content, GKG.about, GKG.evidence} <= claim


def test_a_party_withdraws_the_figure_it_gave() -> None:
    source = mapped(KOVAR / "facts.yaml")
    statement = URIRef(f"{PROTESTERS}/attributed/1-1")
    retraction = URIRef(f"{statement}/retraction/1")
    assert (GKG.retracts, statement, KOVAR_GRAPH) in about(source, retraction)
    assert (GKG.retractedBy, URIRef(f"{ID}organization/fair-fuel"), KOVAR_GRAPH) in about(
        source, retraction
    )
    assert (RDF.object, integer(1000), ENTITIES_GRAPH) in about(source, statement)


def test_a_correction_the_article_does_not_state_is_world_knowledge_with_its_source() -> None:
    source = mapped(KOVAR / "facts.yaml")
    correction = URIRef(f"{PROTESTERS}/correction/1")
    assert about(source, correction) == {
        (RDF.type, GKG.Correction, WORLD_GRAPH),
        (GKG.corrects, PROTESTERS, WORLD_GRAPH),
        (GKG.correctedProperty, GKG.memberCount, WORLD_GRAPH),
        (GKG.previousValue, integer(200), WORLD_GRAPH),
        (GKG.correctedOn, day("2026-04-14"), WORLD_GRAPH),
        (GKG.reason, Literal("the first version of the report gave about 200 protesters",
                             lang="en"), WORLD_GRAPH),
    }  # fmt: skip
    statements = {s for s, p, o, _ in source.quads if p == RDF.subject and o == correction}
    assert len(statements) == 6
    for statement in statements:
        assert (PROV.wasDerivedFrom, URIRef(SOURCE), WORLD_GRAPH) in about(source, statement)
        assert (RDF.type, GKG.WorldKnowledge, WORLD_GRAPH) in about(source, statement)


@pytest.mark.parametrize("article", [TARSK, KOVAR], ids=lambda path: path.name)
def test_the_test_articles_conform_without_warnings(article: Path) -> None:
    """Every sentence is cited, the correction notices by the corrections' quotes."""
    report = validate_files([article / "facts.yaml"], base=BASE, kg=None)
    assert report.conforms
    assert report.problems == []


# -- what is refused ---------------------------------------------------------------------


def line_of(path: Path, text: str) -> int:
    """The line of ``path`` where ``text`` starts."""
    content = path.read_text(encoding="utf-8")
    assert content.count(text) == 1, text
    return content[: content.index(text)].count("\n") + 1


def problems_of(path: Path) -> list[Problem]:
    report = validate_files([path], base=BASE, kg=None)
    assert not report.conforms
    return [problem for problem in report.problems if problem.severity == "violation"]


BY = '    by: tarsk-gazette\n    evidence: "An earlier'
QUOTE = '    evidence: "An earlier version of this article said 12 dockworkers were detained"\n'
HARBOUR_STRIKE_QUOTE = '    evidence: "during a strike at the city’s harbour on Monday"\n'


@pytest.mark.parametrize(
    ("old", "new", "at", "fact", "rule", "message", "fix"),
    [
        # A fact that is no id of this file, with the closest one.
        ("fact: dockworker-detentions", "fact: dockworker-detention", "fact: dockworker-detention",
         None, "unknown-id", "unknown id 'dockworker-detention'",
         "did you mean `dockworker-detentions`?"),
        # A property that is no key, with the closest of the fact's keys.
        ("property: detainedCount", "property: detainedCounts", "property: detainedCounts",
         "dockworker-detentions", "key", "unknown key 'detainedCounts'",
         "did you mean `detainedCount`?"),
        # A key that the fact's type does not take.
        ("property: detainedCount", "property: memberCount", "property: memberCount",
         "dockworker-detentions", "correction",
         "`memberCount` is not a key of the Incident `dockworker-detentions`", "`detainedCount`"),
        # A key the fact does not hold.
        ("property: detainedCount", "property: killedCount", "property: killedCount",
         "dockworker-detentions", "correction", "holds no `killedCount`", "`was:`"),
        # A key of nested mappings.
        ("property: detainedCount", "property: time", "property: time",
         "dockworker-detentions", "correction", "takes a nested mapping", "`detainedCount`"),
        # The current value, not the earlier one.
        ("was: 12", "was: 14", "was: 14", "dockworker-detentions", "correction",
         "`was` is the value `dockworker-detentions` holds now", "the earlier value"),
        # A value of the wrong type for the property.
        ("was: 12", "was: twelve", "was: twelve", "dockworker-detentions", "datatype",
         "`was` must be integer", "a whole number"),
        # An earlier label that is the current one.
        ("was: Harbor Hands", "was: Harbour Hands", "was: Harbour Hands", "harbour-hands",
         "correction", "holds now", "the earlier value"),
        # No reason.
        ("    reason: the first version of the article gave 12 dockworkers detained\n", "",
         "  - fact: dockworker-detentions", "dockworker-detentions", "correction",
         "a correction needs `reason:`", "reason:"),
        # No date.
        ("    was: 12\n    date: 2026-05-08\n", "    was: 12\n", "  - fact: dockworker-detentions",
         "dockworker-detentions", "correction", "a correction needs `date:`", "YYYY-MM-DD"),
        # A date that is none.
        ("    was: 12\n    date: 2026-05-08\n", "    was: 12\n    date: 2026-05-32\n",
         "date: 2026-05-32", "dockworker-detentions", "datatype", "`date` must be date",
         "YYYY-MM-DD"),
        # Made by what is not an agent.
        (BY, BY.replace("tarsk-gazette", "harbour-strike"), "by: harbour-strike",
         "dockworker-detentions", "correction",
         "`by` names `harbour-strike`, of type Incident, which is not an agent", "Publisher"),
        # Neither quoted nor world knowledge.
        (QUOTE, "", "  - fact: dockworker-detentions", "dockworker-detentions", "correction",
         "needs `evidence:`", "`source:`"),
        # Both quoted and world knowledge.
        (QUOTE, QUOTE + "    source: https://example.org/corrections\n",
         "source: https://example.org/corrections", "dockworker-detentions", "correction",
         "not both", "`evidence:`"),
        # An unknown key in a correction.
        ("was: 12", "was: 12\n    wass: 13", "wass: 13", "dockworker-detentions", "correction",
         "unknown key 'wass' in a correction", "did you mean `was`?"),
        # A retraction of what is not a claim.
        (HARBOUR_STRIKE_QUOTE, HARBOUR_STRIKE_QUOTE
         + "    retracted: {date: 2026-05-06, reason: called off, by: harbour-hands,"
         + ' evidence: "On Wednesday"}\n',
         "    retracted: {date", "harbour-strike", "retraction",
         "not the Incident `harbour-strike`", "Claim"),
        # A retraction without its day.
        ("      date: 2026-05-06\n", "", "    retracted:\n", "lindqvist-damage-claim",
         "retraction", "a retraction needs `date:`", "YYYY-MM-DD"),
        # A retraction without its reason.
        ("      reason: Lindqvist Lines said that none of its vessels had been damaged\n", "",
         "    retracted:\n", "lindqvist-damage-claim", "retraction",
         "a retraction needs `reason:`", "reason"),
    ],
)  # fmt: skip
def test_a_broken_correction_or_retraction_is_refused_at_its_line(
    tmp_path: Path,
    old: str,
    new: str,
    at: str,
    fact: str | None,
    rule: str,
    message: str,
    fix: str,
) -> None:
    variant = fact_file_variant(TARSK, tmp_path, old, new)
    found = [p for p in problems_of(variant) if p.rule == rule and message in p.message]
    assert found, problems_of(variant)
    (problem,) = found
    assert problem.fact == fact
    assert problem.line == line_of(variant, at)
    assert problem.fix is not None and fix in problem.fix
    assert problem.file == str(variant)


def test_a_correction_names_a_fact_of_its_own_file(tmp_path: Path) -> None:
    """An id of another source is not this file's to correct."""
    variant = fact_file_variant(
        TARSK, tmp_path, "fact: dockworker-detentions", "fact: ostland-protest"
    )
    known = {"ostland-protest": KnownId(URIRef(f"{ID}incident/ostland-protest"),
                                        URIRef(f"{ID}article/ostland-envoy"))}  # fmt: skip
    with pytest.raises(FactFileError) as raised:
        map_fact_file(variant, load_ontology(), base=BASE, known=known)
    (problem,) = raised.value.problems
    assert problem.rule == "correction"
    assert "which this file does not declare" in problem.message
    assert problem.line == line_of(variant, "fact: ostland-protest")


def test_corrections_need_an_article(tmp_path: Path) -> None:
    shared = tmp_path / "entities.yaml"
    shared.write_text(
        "source: shared\nentities:\n  - id: kessel-town\n    type: City\n    label: Kessel\n"
        "corrections:\n  - {fact: kessel-town, property: label, was: Kesel, date: 2026-01-01,"
        " reason: misspelled, source: 'https://example.org/c'}\n",
        encoding="utf-8",
    )
    with pytest.raises(FactFileError) as raised:
        map_fact_file(shared, load_ontology(), base=BASE)
    assert [p.rule for p in raised.value.problems] == ["correction"]
    assert "has none" in raised.value.problems[0].message


# -- in the store ------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def corrected(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KnowledgeGraph]:
    with store_built_from(tmp_path_factory, CORRECTIONS_DATA, request.param) as built:
        yield built


TARSK_ARTICLE = "article/tarsk-dockworkers-strike"
KOVAR_ARTICLE = "article/kovar-bridge-protest"
KOVAR_ROWS = [
    (KOVAR_ARTICLE, "group/kovar-protesters/correction/1", "gkg:Correction",
     "group/kovar-protesters", "about 300 protesters", "gkg:memberCount", "member count", 200,
     None, 300, None, "2026-04-14", "the first version of the report gave about 200 protesters",
     None, None, SOURCE),
    # The withdrawn figure is still in the graph, as the party gave it.
    (KOVAR_ARTICLE, "group/kovar-protesters/attributed/1-1/retraction/1", "gkg:Retraction",
     "group/kovar-protesters/attributed/1-1", None, "gkg:memberCount", "member count", None,
     None, 1000, None, "2026-04-12", "the organisers withdrew the figure",
     "organization/fair-fuel", "Fair Fuel", None),
]  # fmt: skip
TARSK_ROWS = [
    (TARSK_ARTICLE, "claim/lindqvist-damage-claim/retraction/1", "gkg:Retraction",
     "claim/lindqvist-damage-claim", "the strikers damaged two of Lindqvist Lines’ vessels",
     None, None, None, None, None, None, "2026-05-06",
     "Lindqvist Lines said that none of its vessels had been damaged",
     "organization/lindqvist-lines", "Lindqvist Lines", None),
    (TARSK_ARTICLE, "incident/dockworker-detentions/correction/1", "gkg:Correction",
     "incident/dockworker-detentions", "the detention of striking dockworkers in Tarsk",
     "gkg:detainedCount", "detained count", 12, None, 14, None, "2026-05-08",
     "the first version of the article gave 12 dockworkers detained",
     "organization/tarsk-gazette", "The Tarsk Gazette", None),
    (TARSK_ARTICLE, "organization/harbour-hands/correction/1", "gkg:Correction",
     "organization/harbour-hands", "Harbour Hands", "rdfs:label", "label", "Harbor Hands", None,
     "Harbour Hands", None, "2026-05-08",
     "the first version of the article misspelled the union’s name",
     "organization/tarsk-gazette", "The Tarsk Gazette", None),
]  # fmt: skip


def test_corrections_list_every_change_with_its_earlier_and_current_value(
    corrected: KnowledgeGraph,
) -> None:
    columns, rows = run(corrected, "corrections")
    assert columns == (
        "article", "change", "type", "fact", "factLabel", "property", "propertyLabel",
        "previousValue", "previousLabel", "currentValue", "currentLabel", "date", "reason", "by",
        "byLabel", "source",
    )  # fmt: skip
    assert rows == KOVAR_ROWS + TARSK_ROWS


def test_corrections_of_one_article_are_only_its_own(corrected: KnowledgeGraph) -> None:
    _, rows = run(corrected, "corrections", article=f"{ID}{TARSK_ARTICLE}")
    assert rows == TARSK_ROWS
    _, rows = run(corrected, "corrections", article=f"{ID}{KOVAR_ARTICLE}")
    assert rows == KOVAR_ROWS


def as_of(kg: KnowledgeGraph, fact: str, **params: str) -> dict[str, list[tuple]]:
    """For each property of a fact on a day: its values, each with the correction that
    kept it (None for a current value) and that correction's day."""
    columns, rows = run(kg, "fact-as-of", fact=f"{ID}{fact}", **params)
    property_, value, correction, on = (
        columns.index(c) for c in ("property", "value", "correction", "correctedOn")
    )
    values: dict[str, list[tuple]] = {}
    for row in rows:
        values.setdefault(row[property_], []).append((row[value], row[correction], row[on]))
    return values


def retracted(kg: KnowledgeGraph, fact: str, **params: str) -> set[tuple]:
    """Whether a fact was withdrawn on a day, with the retraction and its day."""
    columns, rows = run(kg, "fact-as-of", fact=f"{ID}{fact}", **params)
    keep = [columns.index(c) for c in ("retracted", "retraction", "retractedOn")]
    return {tuple(row[i] for i in keep) for row in rows}


DETENTIONS_CORRECTION = ("incident/dockworker-detentions/correction/1", "2026-05-08")


def test_before_its_correction_a_fact_held_the_earlier_value(corrected: KnowledgeGraph) -> None:
    before = as_of(corrected, "incident/dockworker-detentions", date="2026-05-07")
    now = as_of(corrected, "incident/dockworker-detentions")
    assert before["gkg:detainedCount"] == [(12, *DETENTIONS_CORRECTION)]
    assert now["gkg:detainedCount"] == [(14, None, None)]
    # What was not corrected is as it is now.
    del before["gkg:detainedCount"], now["gkg:detainedCount"]
    assert before == now
    assert now["gkg:incidentKind"] == [("ik:detention", None, None)]


def test_on_the_day_of_its_correction_a_fact_holds_the_corrected_value(
    corrected: KnowledgeGraph,
) -> None:
    for day_ in ("2026-05-08", "2026-06-01"):
        values = as_of(corrected, "incident/dockworker-detentions", date=day_)
        assert values["gkg:detainedCount"] == [(14, None, None)]


def test_an_entitys_label_before_its_correction(corrected: KnowledgeGraph) -> None:
    assert as_of(corrected, "organization/harbour-hands", date="2026-05-01")["rdfs:label"] == [
        ("Harbor Hands", "organization/harbour-hands/correction/1", "2026-05-08")
    ]
    assert as_of(corrected, "organization/harbour-hands")["rdfs:label"] == [
        ("Harbour Hands", None, None)
    ]


def test_a_correction_from_world_knowledge_dates_the_earlier_value_too(
    corrected: KnowledgeGraph,
) -> None:
    values = as_of(corrected, "group/kovar-protesters", date="2026-04-13")
    assert values["gkg:memberCount"] == [(200, "group/kovar-protesters/correction/1",
                                          "2026-04-14")]  # fmt: skip
    assert as_of(corrected, "group/kovar-protesters", date="2026-04-14")["gkg:memberCount"] == [
        (300, None, None)
    ]


RETRACTION = ("claim/lindqvist-damage-claim/retraction/1", "2026-05-06")


def test_a_claim_counts_as_retracted_from_the_day_it_was_withdrawn(
    corrected: KnowledgeGraph,
) -> None:
    claim = "claim/lindqvist-damage-claim"
    assert retracted(corrected, claim, date="2026-05-05") == {(False, None, None)}
    assert retracted(corrected, claim, date="2026-05-06") == {(True, *RETRACTION)}
    assert retracted(corrected, claim) == {(True, *RETRACTION)}
    # The claim itself is unchanged, retracted or not.
    assert as_of(corrected, claim, date="2026-05-05") == as_of(corrected, claim)
    assert retracted(corrected, "claim/port-authority-traffic-claim") == {(False, None, None)}


def test_a_withdrawn_attributed_figure_is_retracted_from_its_day(
    corrected: KnowledgeGraph,
) -> None:
    statement = "group/kovar-protesters/attributed/1-1"
    assert retracted(corrected, statement, date="2026-04-11") == {(False, None, None)}
    assert retracted(corrected, statement, date="2026-04-12") == {
        (True, f"{statement}/retraction/1", "2026-04-12")
    }


def test_the_date_and_fact_are_filled_into_every_row(corrected: KnowledgeGraph) -> None:
    columns, rows = run(
        corrected, "fact-as-of", fact=f"{ID}incident/dockworker-detentions", date="2026-05-07"
    )
    assert columns[:2] == ("fact", "date")
    assert {row[:2] for row in rows} == {("incident/dockworker-detentions", "2026-05-07")}


# -- replacing the article -------------------------------------------------------------


def without_changes(folder: Path, into: Path) -> Path:
    """A copy of an article's folder whose fact file has no corrections nor retractions."""
    copy = into / folder.name
    shutil.copytree(folder, copy)
    facts = copy / "facts.yaml"
    text = facts.read_text(encoding="utf-8").split("\ncorrections:\n")[0]
    text = re.sub(r"(?m)^( *)retracted:\n(?:\1  .*\n)*", "", text)
    facts.write_text(text, encoding="utf-8")
    assert "retracted:" not in text and "was:" not in text
    return facts


def test_replacing_an_article_drops_its_corrections_and_retractions(tmp_path: Path) -> None:
    """Wherever they are stored (the article's graph, the world graph), they go with it."""
    kg = KnowledgeGraph.open_writer(tmp_path / "store", base=BASE)
    build_store(kg, CORRECTIONS_DATA)
    changes = "ASK { ?change a ?type VALUES ?type { gkg:Correction gkg:Retraction } }"
    assert bool(kg.query(changes))
    add_files(kg, [without_changes(path, tmp_path) for path in (TARSK, KOVAR)])
    assert not bool(kg.query(changes))
    left = kg.query(
        "SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?s), '/correction/') "
        "|| CONTAINS(STR(?s), '/retraction/')) }"
    )
    assert list(left) == []
    assert bool(kg.query(f"ASK {{ <{DETENTIONS}> gkg:detainedCount 14 }}"))
