"""Fact files to RDF: deterministic IRIs, typed values, evidence, and errors with addresses."""

from __future__ import annotations

from pathlib import Path
from textwrap import indent

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graphkg.errors import FactFileError
from graphkg.mapping import KnownId, MappedSource, map_fact_file
from graphkg.namespaces import GKG, OA, WD
from graphkg.ontology import load_ontology
from graphkg.problems import Problem
from graphkg.settings import DEFAULT_LIMITS, InputLimits

from conftest import ARTICLE_FACTS, ARTICLE_ID, BASE, SEEDS, line_of

ARTICLE = URIRef(f"{BASE}id/article/{ARTICLE_ID}")


def entities() -> MappedSource:
    return map_fact_file(SEEDS / "entities.yaml", load_ontology(), base=BASE)


def known_entities() -> dict[str, KnownId]:
    source = entities()
    return {id_: KnownId(iri, source.source) for id_, iri in source.declared.items()}


def map_article(path: Path = ARTICLE_FACTS) -> MappedSource:
    return map_fact_file(path, load_ontology(), base=BASE, known=known_entities())


def write_facts(folder: Path, body: str) -> Path:
    """A fact file for the seed article (its text copied beside it) with these facts."""
    (folder / "article.txt").write_bytes((SEEDS / ARTICLE_ID / "article.txt").read_bytes())
    path = folder / "facts.yaml"
    path.write_text(
        f"article:\n  id: {ARTICLE_ID}\n  file: article.txt\n  title: T\n  language: en\n" + body,
        encoding="utf-8",
    )
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(FactFileError) as caught:
        map_article(path)
    return caught.value.problems


RAID = """facts:
  - id: raid-one
    type: Incident
    incidentKind: raid
    killedCount: 2
    place: yekaterinburg
    evidence: "Russian authorities conducted raids on Azerbaijani residences in Yekaterinburg"
"""


def test_mapping_is_deterministic() -> None:
    assert map_article().quads == map_article().quads


def test_mapped_data_has_no_blank_nodes() -> None:
    for quad in map_article().quads:
        assert not any(isinstance(term, BNode) for term in quad)


def test_iris_are_minted_from_segment_and_id_under_the_base() -> None:
    declared = map_article().declared
    assert declared["yekaterinburg-raids"] == URIRef(f"{BASE}id/incident/yekaterinburg-raids")
    assert declared["pyotr-volokovykh"] == URIRef(f"{BASE}id/person/pyotr-volokovykh")


def test_a_different_base_changes_every_minted_iri() -> None:
    other = "https://example.org/kg/"
    source = map_fact_file(SEEDS / "entities.yaml", load_ontology(), base=other)
    assert all(str(iri).startswith(other) for iri in source.declared.values())


def test_counts_are_typed_non_negative_integers(tmp_path: Path) -> None:
    source = map_article(write_facts(tmp_path, RAID))
    raid = source.declared["raid-one"]
    counts = [o for s, p, o, _ in source.quads if s == raid and p == GKG.killedCount]
    assert counts == [Literal("2", datatype=XSD.integer)]


def test_labels_are_tagged_with_the_article_language(tmp_path: Path) -> None:
    source = map_article(write_facts(tmp_path, RAID))
    titles = [o for s, p, o, _ in source.quads if s == ARTICLE and p == GKG.title]
    assert titles == [Literal("T", lang="en")]


def test_evidence_records_quote_and_offsets_into_the_article(tmp_path: Path) -> None:
    source = map_article(write_facts(tmp_path, RAID))
    text = (SEEDS / ARTICLE_ID / "article.txt").read_text(encoding="utf-8")
    evidence = URIRef(f"{source.declared['raid-one']}/evidence/1")
    triples = {(p, o) for s, p, o, _ in source.quads if str(s).startswith(str(evidence))}
    exact = next(str(o) for p, o in triples if p == OA.exact)
    start = next(int(o) for p, o in triples if p == OA.start)
    end = next(int(o) for p, o in triples if p == OA.end)
    assert text[start:end] == exact
    assert (OA.hasSource, ARTICLE) in triples


def test_article_text_goes_into_the_article_graph() -> None:
    source = map_article()
    text = (SEEDS / ARTICLE_ID / "article.txt").read_text(encoding="utf-8")
    assert (ARTICLE, GKG.text, Literal(text), source.graph) in source.quads


def test_byline_and_syndication_are_the_article_s_own_keys(tmp_path: Path) -> None:
    path = write_facts(
        tmp_path,
        "  byline: By a staff reporter\n  publisher: Caspian Daily\n"
        "  originalPublisher: Nordpress\n",
    )
    source = map_article(path)
    values = {(p, str(o)) for s, p, o, _ in source.quads if s == ARTICLE}
    assert {
        (GKG.byline, "By a staff reporter"),
        (GKG.publisher, "Caspian Daily"),
        (GKG.originalPublisher, "Nordpress"),
    } <= values


def test_world_knowledge_is_kept_in_its_own_graph_with_its_source() -> None:
    source = entities()
    world = URIRef(f"{BASE}graph/world")
    azerbaijan = source.declared["azerbaijan"]
    same_as = URIRef("https://schema.org/sameAs")
    assert (azerbaijan, same_as, WD.Q227, world) in source.quads
    statements = [s for s, p, o, g in source.quads if p == RDF.subject and o == azerbaijan]
    assert statements, "the sameAs link is reified"
    sources = {o for s, p, o, g in source.quads if s == statements[0] and g == world}
    assert URIRef("https://www.wikidata.org/wiki/Q227") in sources


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    problems = problems_of(write_facts(tmp_path, "facts:\n  - id: [unclosed\n"))
    assert problems[0].rule == "yaml"
    assert problems[0].line is not None and problems[0].line >= 7


def test_unknown_key_suggests_the_closest_property(tmp_path: Path) -> None:
    body = RAID.replace("killedCount: 2", "killedCont: 2")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert (problem.rule, problem.line, problem.fact) == ("key", 10, "raid-one")
    assert "killedCount" in (problem.fix or "")


def test_unknown_id_suggests_the_closest_known_id(tmp_path: Path) -> None:
    body = RAID.replace("place: yekaterinburg", "place: yekaterinberg")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert (problem.rule, problem.line, problem.value) == ("unknown-id", 11, "yekaterinberg")
    assert "yekaterinburg" in (problem.fix or "")


def test_wrong_datatype_says_what_is_expected(tmp_path: Path) -> None:
    body = RAID.replace("killedCount: 2", "killedCount: two")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert (problem.rule, problem.value) == ("datatype", "two")
    assert "whole number" in (problem.fix or "")


def test_unknown_concept_lists_the_concepts(tmp_path: Path) -> None:
    body = RAID.replace("incidentKind: raid", "incidentKind: raids")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert (problem.rule, problem.line) == ("concept", 9)
    assert "`raid`" in (problem.fix or "")


def test_quote_not_in_article_shows_the_closest_passage(tmp_path: Path) -> None:
    body = RAID.replace("conducted raids", "carried out raids")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert problem.rule == "verbatim-quote"
    assert "closest passage" in (problem.fix or "")


def test_unknown_type_suggests_the_closest_class(tmp_path: Path) -> None:
    body = RAID.replace("type: Incident", "type: Incidnet")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert (problem.rule, problem.value) == ("type", "Incidnet")
    assert "Incident" in (problem.fix or "")


def test_invalid_id_is_rejected_with_the_slug_rule(tmp_path: Path) -> None:
    body = RAID.replace("id: raid-one", "id: Raid_One")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert problem.rule == "id"
    assert "hyphens" in (problem.fix or "")


def test_an_id_declared_by_another_source_is_rejected(tmp_path: Path) -> None:
    body = RAID.replace("id: raid-one", "id: azerbaijan")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert problem.rule == "unique-id"


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    body = RAID.replace("    killedCount: 2\n", "    killedCount: 2\n    killedCount: 3\n")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert (problem.rule, problem.line) == ("yaml", 11)


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    body = RAID.replace("killedCount: 2", "killedCount: 2.5").replace("raid\n", "rade\n")
    rules = sorted(p.rule for p in problems_of(write_facts(tmp_path, body)))
    assert rules == ["concept", "datatype"]


# Attributed figures and descriptions: reified with their source, never asserted.
FM_QUOTE = "and the detention of nine people"
DETENTIONS = f"""facts:
  - id: detentions
    type: Incident
    attestation: reported
    reportedBy: az-foreign-ministry
    incidentKind: detention
    evidence: "the detention of nine people"
    attributed:
      - givenBy: az-foreign-ministry
        detainedCount: 9
        evidence: "{FM_QUOTE}"
      - givenBy: maria-zakharova
        nationality: russia
        descent: Azerbaijani descent
        evidence: "Russian citizens of Azerbaijani descent"
"""


def statement_triples(source: MappedSource, statement: URIRef) -> set[tuple[object, object]]:
    return {(p, o) for s, p, o, _ in source.quads if s == statement}


def test_attributed_value_is_a_statement_of_its_subject_not_a_value(tmp_path: Path) -> None:
    source = map_article(write_facts(tmp_path, DETENTIONS))
    detentions = source.declared["detentions"]
    statement = URIRef(f"{detentions}/attributed/1-1")
    assert (detentions, GKG.attributed, statement, source.graph) in source.quads
    triples = statement_triples(source, statement)
    assert {
        (RDF.type, GKG.AttributedStatement),
        (RDF.type, RDF.Statement),
        (RDF.subject, detentions),
        (RDF.predicate, GKG.detainedCount),
        (RDF.object, Literal("9", datatype=XSD.integer)),
        (GKG.givenBy, URIRef(f"{BASE}id/organization/az-foreign-ministry")),
        (GKG.evidence, URIRef(f"{statement}/evidence/1")),
    } <= triples
    assert not [q for q in source.quads if q[0] == detentions and q[1] == GKG.detainedCount]


def test_attributed_evidence_is_a_quote_of_the_statement(tmp_path: Path) -> None:
    source = map_article(write_facts(tmp_path, DETENTIONS))
    evidence = URIRef(f"{source.declared['detentions']}/attributed/1-1/evidence/1")
    quote = URIRef(f"{evidence}/quote")
    assert (evidence, OA.hasSource, ARTICLE, source.graph) in source.quads
    assert (quote, OA.exact, Literal(FM_QUOTE), source.graph) in source.quads


def test_each_property_of_an_attributed_entry_is_its_own_statement(tmp_path: Path) -> None:
    source = map_article(write_facts(tmp_path, DETENTIONS))
    detentions = source.declared["detentions"]
    zakharova = URIRef(f"{BASE}id/person/maria-zakharova")
    predicates = {}
    for number in (1, 2):
        triples = statement_triples(source, URIRef(f"{detentions}/attributed/2-{number}"))
        assert (GKG.givenBy, zakharova) in triples
        assert any(p == GKG.evidence for p, _ in triples)
        predicates[number] = next(o for p, o in triples if p == RDF.predicate)
    assert sorted(predicates.values()) == sorted([GKG.nationality, GKG.descent])


def test_attributed_entry_without_a_property_is_an_error(tmp_path: Path) -> None:
    body = DETENTIONS.replace("        detainedCount: 9\n", "")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert (problem.rule, problem.fact, problem.line) == ("attributed", "detentions", 14)


def test_attributed_entry_with_an_unknown_party_is_reported_once(tmp_path: Path) -> None:
    body = DETENTIONS.replace("givenBy: maria-zakharova", "givenBy: maria-zaharova")
    [problem] = problems_of(write_facts(tmp_path, body))
    assert (problem.rule, problem.value) == ("unknown-id", "maria-zaharova")


# The seed: what the article only relays or alleges is not marked as stated.
def _spans(source: MappedSource, subject: URIRef) -> list[tuple[int, int]]:
    evidence = {o for s, p, o, _ in source.quads if s == subject and p == GKG.evidence}
    offsets: dict[URIRef, dict[URIRef, int]] = {}
    for s, p, o, _ in source.quads:
        if p in (OA.start, OA.end) and URIRef(str(s).rsplit("/", 1)[0]) in evidence:
            offsets.setdefault(s, {})[p] = int(o)
    return [(spans[OA.start], spans[OA.end]) for spans in offsets.values()]


def test_no_seed_event_is_stated_that_is_quoted_only_inside_a_claim() -> None:
    source = map_article()
    attestation = URIRef("https://w3id.org/graphkg/attestation/stated")
    claims = [s for s, p, o, _ in source.quads if p == RDF.type and o == GKG.Claim]
    claim_spans = [span for claim in claims for span in _spans(source, claim)]
    stated = [s for s, p, o, _ in source.quads if p == GKG.attestation and o == attestation]
    assert stated
    for event in stated:
        spans = _spans(source, event)
        assert spans, event
        outside = [
            (start, end)
            for start, end in spans
            if not any(a <= start and end <= b for a, b in claim_spans)
        ]
        assert outside, f"{event} is quoted only inside claims"


def test_every_seed_incident_and_response_says_how_the_article_knows_it() -> None:
    source = map_article()
    events = {
        s for s, p, o, _ in source.quads if p == RDF.type and o in (GKG.Incident, GKG.Response)
    }
    attested = {s for s, p, _, _ in source.quads if p == GKG.attestation}
    assert events and events <= attested


# The article's text written inline under `text:` instead of in a file.
SMALL_TEXT = "Russian authorities conducted raids in Yekaterinburg.\nTwo people died there.\n"
SMALL_FACTS = """facts:
  - id: raid-one
    type: Incident
    incidentKind: raid
    killedCount: 2
    place: yekaterinburg
    evidence: "conducted raids in Yekaterinburg"
"""


def write_small_article(folder: Path, source: str, facts: str = SMALL_FACTS) -> Path:
    """A fact file of a two-sentence article, whose text ``source`` gives (`file:` or `text:`)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(SMALL_TEXT, encoding="utf-8")
    path = folder / "facts.yaml"
    path.write_text(
        f"article:\n  id: {ARTICLE_ID}\n{source}  title: T\n  language: en\n{facts}",
        encoding="utf-8",
    )
    return path


IN_FILE = "  file: article.txt\n"
INLINE = "  text: |\n" + indent(SMALL_TEXT, "    ")


def map_small(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> MappedSource:
    return map_fact_file(path, load_ontology(), base=BASE, known=known_entities(), limits=limits)


def small_problems(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> list[Problem]:
    with pytest.raises(FactFileError) as caught:
        map_small(path, limits)
    return caught.value.problems


def test_an_inline_text_maps_as_the_same_text_in_a_file(tmp_path: Path) -> None:
    in_file = map_small(write_small_article(tmp_path / "file", IN_FILE))
    inline = map_small(write_small_article(tmp_path / "inline", INLINE))
    assert inline.quads == in_file.quads
    assert (ARTICLE, GKG.text, Literal(SMALL_TEXT), inline.graph) in inline.quads
    assert len([q for q in inline.quads if q[1] == GKG.text]) == 1


def test_an_inline_text_is_not_held_to_max_literal_chars(tmp_path: Path) -> None:
    path = write_small_article(tmp_path, INLINE)
    limits = InputLimits(max_literal_chars=40, max_article_chars=len(SMALL_TEXT))
    assert map_small(path, limits).article_id == ARTICLE_ID


def test_an_article_with_both_file_and_text_is_refused(tmp_path: Path) -> None:
    path = write_small_article(tmp_path, IN_FILE + INLINE)
    [problem] = small_problems(path)
    assert (problem.rule, problem.line, problem.fact) == ("article-file", 4, ARTICLE_ID)
    assert "only one" in problem.message
    assert "`file: article.txt`" in (problem.fix or "") and "`text: |`" in (problem.fix or "")


def test_an_article_with_neither_file_nor_text_is_refused(tmp_path: Path) -> None:
    [problem] = small_problems(write_small_article(tmp_path, ""))
    assert (problem.rule, problem.message) == ("article-file", "the article names no text file")
    assert "`text: |`" in (problem.fix or "")


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("  text:\n    - Russian authorities\n    - Two people\n", "a list"),
        ("  text:\n    en: Russian authorities\n", "a mapping"),
    ],
)
def test_an_inline_text_that_is_not_a_string_is_refused(
    tmp_path: Path, source: str, kind: str
) -> None:
    [problem] = small_problems(write_small_article(tmp_path, source))
    assert (problem.rule, problem.line) == ("article-file", 3)
    assert f"a string, not {kind}" in problem.message


def test_an_empty_inline_text_is_refused(tmp_path: Path) -> None:
    [problem] = small_problems(write_small_article(tmp_path, "  text:\n"))
    assert (problem.rule, problem.line) == ("article-file", 3)
    assert "empty" in problem.message


def test_an_inline_text_above_max_article_chars_is_refused(tmp_path: Path) -> None:
    path = write_small_article(tmp_path, INLINE)
    [problem] = small_problems(path, InputLimits(max_article_chars=len(SMALL_TEXT) - 1))
    assert (problem.rule, problem.line) == ("article-file", 3)
    assert f"has {len(SMALL_TEXT)} characters" in problem.message
    assert "setting max_article_chars" in problem.message


def test_a_quote_not_in_an_inline_text_is_reported_on_its_line(tmp_path: Path) -> None:
    facts = SMALL_FACTS.replace("conducted raids", "carried out raids")
    path = write_small_article(tmp_path, INLINE, facts)
    [problem] = small_problems(path)
    assert (problem.rule, problem.fact) == ("verbatim-quote", "raid-one")
    assert problem.line == line_of(path, "evidence:")
    assert "conducted raids in Yekaterinburg" in (problem.fix or "")
