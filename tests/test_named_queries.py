"""The named queries of ``queries/``: headers, parameters, and their exact answers on the seeds.

Every expected answer below is written out from the seed fact files
(``seeds/entities.yaml`` and the article's ``facts.yaml``), the concept schemes
of the ontology, and the article text (for evidence offsets), not copied from
the queries' output. IRIs are shortened for reading: data IRIs relative to
``{base}id/`` (``incident/yekaterinburg-raids``), other IRIs as CURIEs of the
standard prefixes (``rk:demand``); literals become their plain Python value.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graphkg.errors import ParameterError
from graphkg.namespaces import PREFIXES
from graphkg.queries import NamedQuery, load_named_queries
from graphkg.store import KnowledgeGraph

from conftest import ARTICLE_ID, BASE, SEEDS

QUERIES: dict[str, NamedQuery] = load_named_queries()
ID = f"{BASE}id/"
XSD = PREFIXES["xsd"]
INTEGER_TYPES = {f"{XSD}{name}" for name in ("integer", "nonNegativeInteger", "int", "long")}
TEXT = (SEEDS / ARTICLE_ID / "article.txt").read_text(encoding="utf-8")

ARTICLE = f"article/{ARTICLE_ID}"
TITLE = "Azerbaijan Halts Russian Events After Yekaterinburg Incident"
PUBLISHED_NOTE = (
    'The page shows no date. The article reports an announcement made "on Sunday", '
    "which was Sunday 2025-06-29, and the same story ran elsewhere on 2025-06-29 and "
    "2025-06-30; no URL for the date is known."
)


# -- helpers -----------------------------------------------------------------


def plain(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> object:
    """A plain value for an RDF term: short IRI, int, bool or str; None if unbound."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(ID):
            return term.value[len(ID) :]
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return term.value
    if isinstance(term, ox.Literal):
        if term.datatype.value in INTEGER_TYPES:
            return int(term.value)
        if term.datatype.value == f"{XSD}boolean":
            return term.value == "true"
        return term.value
    raise AssertionError(f"unexpected blank node {term} in a named query's answer")


def run(kg: KnowledgeGraph, name: str, **params: str) -> tuple[tuple[str, ...], list[tuple]]:
    """The columns and the rows (in the query's order) of a named SELECT query."""
    query = QUERIES[name]
    solutions = kg.query(query.sparql, substitutions=query.substitutions(params))
    assert isinstance(solutions, ox.QuerySolutions)
    variables = solutions.variables
    rows = [tuple(plain(solution[v]) for v in variables) for solution in solutions]
    return tuple(v.value for v in variables), rows


def triples(kg: KnowledgeGraph, name: str, **params: str) -> set[tuple]:
    """The triples of a named CONSTRUCT query, as plain values."""
    query = QUERIES[name]
    result = kg.query(query.sparql, substitutions=query.substitutions(params))
    assert isinstance(result, ox.QueryTriples)
    return {(plain(t.subject), plain(t.predicate), plain(t.object)) for t in result}


def span(quote: str) -> tuple[int, int]:
    """The 0-based start and exclusive end of the first occurrence of a quote."""
    start = TEXT.index(quote)
    return start, start + len(quote)


# -- the set of queries and their headers --------------------------------------

EXPECTED_QUERIES = {
    "articles",
    "casualties",
    "claims-by-speaker",
    "conflicting-claims",
    "declined-to-address",
    "entity-mentions",
    "event-links",
    "evidence",
    "fact-card",
    "incidents-by-kind",
    "officials",
    "participants",
    "places",
    "relations",
    "relatives",
    "responses",
    "responses-by-kind",
    "timeline",
    "wikidata-links",
    "world-knowledge",
}


def test_the_named_queries_are_the_expected_ones() -> None:
    assert set(QUERIES) == EXPECTED_QUERIES


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_every_query_header_parses_with_title_and_description(name: str) -> None:
    query = QUERIES[name]
    assert query.sparql.startswith("# title: ")
    assert query.title and query.description
    for parameter in query.parameters:
        assert parameter.help, f"{name}: parameter {parameter.name} has no help text"


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_every_query_declares_its_own_prefixes(name: str) -> None:
    """Each file runs in any SPARQL client: no reliance on graphkg's predeclared prefixes."""
    ox.Store().query(QUERIES[name].sparql)


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES - {"fact-card"}))
def test_every_select_query_orders_its_answer(name: str) -> None:
    assert "SELECT" in QUERIES[name].sparql
    assert "\nORDER BY " in QUERIES[name].sparql


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_every_query_runs_on_the_seeds_with_its_defaults(
    seed_graph: KnowledgeGraph, name: str
) -> None:
    query = QUERIES[name]
    result = seed_graph.query(query.sparql, substitutions=query.substitutions({}))
    assert len(list(result)) > 0


# -- parameters ----------------------------------------------------------------

NARROWER = {
    "responses": {"actor": f"{ID}organization/azerbaijani-officials"},
    "timeline": {"since": "2025-06-01"},
    "claims-by-speaker": {"status": "cs:alleges"},
    "declined-to-address": {"speaker": f"{ID}person/maria-zakharova"},
    "evidence": {"fact": f"{ID}incident/yekaterinburg-killings"},
    "relations": {"other": f"{ID}state/ukraine"},
    "participants": {"event": f"{ID}incident/yekaterinburg-detentions"},
    "entity-mentions": {"entity": f"{ID}organization/ru-law-enforcement"},
    "places": {"place": f"{ID}state/russia"},
    "relatives": {"person": f"{ID}person/sayfaddin-huseynli"},
    "fact-card": {"fact": f"{ID}claim/putin-no-liability-claim"},
}


def test_every_parameterized_query_is_checked_for_narrowing() -> None:
    assert {name for name, query in QUERIES.items() if query.parameters} == set(NARROWER)


def answer_without_parameter_columns(kg: KnowledgeGraph, name: str, params: dict) -> set:
    if name == "fact-card":
        return triples(kg, name, **params)
    columns, rows = run(kg, name, **params)
    parameter_names = {p.name for p in QUERIES[name].parameters}
    keep = [i for i, column in enumerate(columns) if column not in parameter_names]
    return {tuple(row[i] for i in keep) for row in rows}


@pytest.mark.parametrize("name", sorted(NARROWER))
def test_a_parameter_narrows_the_answer(seed_graph: KnowledgeGraph, name: str) -> None:
    """With its parameter a query answers a non-empty part of what it answers without."""
    unbound = {p.name: "" for p in QUERIES[name].parameters}  # "" also clears a default
    everything = answer_without_parameter_columns(seed_graph, name, unbound)
    narrowed = answer_without_parameter_columns(seed_graph, name, NARROWER[name])
    assert narrowed
    assert narrowed < everything


def test_a_wrongly_typed_date_parameter_is_an_error_naming_it() -> None:
    with pytest.raises(ParameterError, match="since"):
        QUERIES["timeline"].substitutions({"since": "yesterday"})


def test_a_malformed_iri_parameter_is_an_error_naming_it() -> None:
    with pytest.raises(ParameterError, match="actor"):
        QUERIES["responses"].substitutions({"actor": "not an iri"})


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_an_unknown_parameter_is_an_error_naming_it(name: str) -> None:
    with pytest.raises(ParameterError, match="no_such_parameter"):
        QUERIES[name].substitutions({"no_such_parameter": "x"})


def test_iri_parameters_accept_curies(seed_graph: KnowledgeGraph) -> None:
    full = run(seed_graph, "claims-by-speaker", status=f"{PREFIXES['cs']}alleges")
    assert run(seed_graph, "claims-by-speaker", status="cs:alleges") == full


# -- responses -----------------------------------------------------------------

RESPONSE_COLUMNS = (
    "response",
    "kind",
    "kindLabel",
    "cameo",
    "actor",
    "actorLabel",
    "target",
    "targetLabel",
    "date",
    "month",
    "channel",
    "channelLabel",
    "respondsTo",
    "respondsToKindLabel",
    "noTriggerNote",
)
NO_TRIGGER_INVITATION = (
    "The article cites it as a sign of strained relations, not as a response to a recorded event."
)
NO_TRIGGER_VISIT = (
    "The article cites the visit as a sign of strengthening ties between Azerbaijan and "
    "Ukraine, not as a response to a recorded event."
)
CULTURE = ("organization/az-culture-ministry", "Ministry of Culture of Azerbaijan")
AZ_FM = ("organization/az-foreign-ministry", "Ministry of Foreign Affairs of Azerbaijan")
AZ_GOV = ("organization/az-government", "Government of Azerbaijan")
AZ_OFFICIALS = ("organization/azerbaijani-officials", "Azerbaijani officials")
VOLOKOVYKH = ("person/pyotr-volokovykh", "Pyotr Volokovykh")
INJURIES = ("incident/yekaterinburg-injuries", "injury")
KILLINGS = ("incident/yekaterinburg-killings", "killing")
RAIDS = ("incident/yekaterinburg-raids", "raid")
NONE2 = (None, None)
SUMMONS_ROWS = [
    ("response/summons-investigation-demand", "rk:demand", "demand", "101", *AZ_OFFICIALS,
     *VOLOKOVYKH, "2025-06-28", None, *NONE2, *KILLINGS, None),
    ("response/summons-investigation-demand", "rk:demand", "demand", "101", *AZ_OFFICIALS,
     *VOLOKOVYKH, "2025-06-28", None, *NONE2, *RAIDS, None),
    ("response/summons-of-volokovykh", "rk:diplomatic-summons", "diplomatic summons", "114",
     *AZ_OFFICIALS, *VOLOKOVYKH, "2025-06-28", None, *NONE2, *KILLINGS, None),
    ("response/summons-of-volokovykh", "rk:diplomatic-summons", "diplomatic summons", "114",
     *AZ_OFFICIALS, *VOLOKOVYKH, "2025-06-28", None, *NONE2, *RAIDS, None),
]  # fmt: skip


def test_responses_list_kind_actor_target_time_channel_and_trigger(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "responses")
    assert columns == RESPONSE_COLUMNS
    assert rows == [
        ("response/aliyev-declines-victory-day-invitation", "rk:declined-invitation",
         "declined invitation", "125", "person/ilham-aliyev", "Ilham Aliyev", *NONE2,
         None, "2025-05", *NONE2, *NONE2, NO_TRIGGER_INVITATION),
        ("response/cultural-events-cancellation", "rk:cancellation", "cancellation", "160",
         *CULTURE, *NONE2, None, None, "organization/x-platform", "X", *KILLINGS, None),
        ("response/foreign-ministry-investigation-demand", "rk:demand", "demand", "101",
         *AZ_FM, *NONE2, None, None, *NONE2, *INJURIES, None),
        ("response/foreign-ministry-investigation-demand", "rk:demand", "demand", "101",
         *AZ_FM, *NONE2, None, None, *NONE2, *KILLINGS, None),
        ("response/foreign-ministry-investigation-demand", "rk:demand", "demand", "101",
         *AZ_FM, *NONE2, None, None, *NONE2, *RAIDS, None),
        ("response/overchuk-visit-cancellation", "rk:cancellation", "cancellation", "160",
         *AZ_GOV, *NONE2, None, None, "organization/az-state-media", "Azerbaijani state media",
         *KILLINGS, None),
        ("response/overchuk-visit-cancellation", "rk:cancellation", "cancellation", "160",
         *AZ_GOV, *NONE2, None, None, "organization/az-state-media", "Azerbaijani state media",
         *RAIDS, None),
        ("response/putin-apology", "rk:apology", "apology", "055", "person/vladimir-putin",
         "Vladimir Putin", "person/ilham-aliyev", "Ilham Aliyev", None, None, *NONE2,
         "incident/kazakhstan-airliner-crash", "aircraft crash", None),
        *SUMMONS_ROWS,
        ("response/sunday-announcement", "rk:statement", "statement", "010",
         "organization/azerbaijani-authorities", "Azerbaijani authorities", *NONE2,
         "2025-06-29", None, *NONE2, *KILLINGS, None),
        ("response/sybiha-visit-to-baku", "rk:visit", "visit", "042", "person/andrii-sybiha",
         "Andrii Sybiha", *NONE2, None, None, *NONE2, *NONE2, NO_TRIGGER_VISIT),
    ]  # fmt: skip


def test_responses_by_an_actor_are_only_that_actors(seed_graph: KnowledgeGraph) -> None:
    columns, rows = run(seed_graph, "responses", actor=f"{ID}organization/azerbaijani-officials")
    assert columns == RESPONSE_COLUMNS
    assert rows == SUMMONS_ROWS


# -- timeline ------------------------------------------------------------------

TIMELINE_COLUMNS = (
    "day",
    "event",
    "type",
    "kind",
    "kindLabel",
    "summary",
    "date",
    "month",
    "expression",
    "resolution",
    "after",
    "since",
)
UNDATED = (None, None, None, None, None, None)


def test_timeline_orders_events_by_resolved_date_and_puts_undated_events_last(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "timeline")
    assert columns == TIMELINE_COLUMNS
    assert rows == [
        ("2024-12-01", "incident/kazakhstan-airliner-crash", "gkg:Incident", "ik:aircraft-crash",
         "aircraft crash", "crash of an Azerbaijani airliner", None, "2024-12", "in December",
         "tres:month-only", None, None),
        ("2025-05-01", "response/aliyev-declines-victory-day-invitation", "gkg:Response",
         "rk:declined-invitation", "declined invitation",
         "an invitation to Russia’s Victory Day parade in Moscow", None, "2025-05", "in May",
         "tres:month-only", None, None),
        ("2025-06-28", "response/summons-investigation-demand", "gkg:Response", "rk:demand",
         "demand",
         "a comprehensive investigation and accountability for those involved in the incident",
         "2025-06-28", None, "On Saturday", "tres:relative-to-publication", None, None),
        ("2025-06-28", "response/summons-of-volokovykh", "gkg:Response",
         "rk:diplomatic-summons", "diplomatic summons", None, "2025-06-28", None,
         "On Saturday", "tres:relative-to-publication", None, None),
        ("2025-06-29", "response/sunday-announcement", "gkg:Response", "rk:statement",
         "statement",
         "Azerbaijan cancels numerous cultural events organized by Russian entities, in "
         "protest against the killing of two Azerbaijani citizens",
         "2025-06-29", None, "on Sunday", "tres:relative-to-publication", None, None),
        (None, "incident/airliner-downing", "gkg:Incident", "ik:downing", "downing",
         "the unintentional downing of the airliner through electronic warfare, as contended "
         "by Ilham Aliyev", *UNDATED),
        (None, "incident/detainee-ill-treatment", "gkg:Incident", "ik:ill-treatment",
         "ill-treatment",
         "detainees physically abused and subjected to electric shocks, as alleged by "
         "Sayfaddin Huseynli", *UNDATED),
        (None, "incident/yekaterinburg-detentions", "gkg:Incident", "ik:detention", "detention",
         None, *UNDATED),
        (None, "incident/yekaterinburg-injuries", "gkg:Incident", "ik:injury", "injury",
         "serious injuries to others during the raids", *UNDATED),
        (None, "incident/yekaterinburg-killings", "gkg:Incident", "ik:killing", "killing",
         None, *UNDATED),
        (None, "incident/yekaterinburg-raids", "gkg:Incident", "ik:raid", "raid", None,
         *UNDATED),
        (None, "response/cultural-events-cancellation", "gkg:Response", "rk:cancellation",
         "cancellation",
         "concerts, exhibitions, festivals and performances organized by Russian entities "
         "called off", *UNDATED),
        (None, "response/foreign-ministry-investigation-demand", "gkg:Response", "rk:demand",
         "demand",
         "an investigation, and those responsible for the violence brought to justice urgently",
         *UNDATED),
        (None, "response/overchuk-visit-cancellation", "gkg:Response", "rk:cancellation",
         "cancellation",
         "the proposed visit to Azerbaijan by Russian Deputy Prime Minister Alexey Overchuk "
         "cancelled", *UNDATED),
        (None, "response/putin-apology", "gkg:Response", "rk:apology", "apology",
         "apologies for the “tragic incident”", *UNDATED),
        (None, "response/sybiha-visit-to-baku", "gkg:Response", "rk:visit", "visit", None,
         None, None, "later", "tres:relative-to-event",
         "response/aliyev-declines-victory-day-invitation", None),
    ]  # fmt: skip


def test_timeline_since_keeps_only_events_on_or_after_the_date(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "timeline", since="2025-06-01")
    day, event, since = (columns.index(c) for c in ("day", "event", "since"))
    assert [(row[day], row[event], row[since]) for row in rows] == [
        ("2025-06-28", "response/summons-investigation-demand", "2025-06-01"),
        ("2025-06-28", "response/summons-of-volokovykh", "2025-06-01"),
        ("2025-06-29", "response/sunday-announcement", "2025-06-01"),
    ]


def test_timeline_compares_a_month_only_event_by_the_first_day_of_its_month(
    seed_graph: KnowledgeGraph,
) -> None:
    invitation = "response/aliyev-declines-victory-day-invitation"
    _, on_first_day = run(seed_graph, "timeline", since="2025-05-01")
    _, on_second_day = run(seed_graph, "timeline", since="2025-05-02")
    assert invitation in [row[1] for row in on_first_day]
    assert invitation not in [row[1] for row in on_second_day]
    assert [row[1] for row in on_first_day][1:] == [row[1] for row in on_second_day]


# -- casualties ----------------------------------------------------------------


def test_casualties_give_the_reported_counts_per_incident_and_leave_absent_ones_unbound(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "casualties")
    assert columns == (
        "incident",
        "kind",
        "kindLabel",
        "place",
        "placeLabel",
        "killed",
        "injured",
        "detained",
        "aboard",
    )
    assert rows == [
        ("incident/airliner-downing", "ik:downing", "downing", *NONE2, None, None, None, None),
        ("incident/detainee-ill-treatment", "ik:ill-treatment", "ill-treatment", *NONE2,
         None, None, None, None),
        ("incident/kazakhstan-airliner-crash", "ik:aircraft-crash", "aircraft crash",
         "state/kazakhstan", "Kazakhstan", 38, None, None, 67),
        ("incident/yekaterinburg-detentions", "ik:detention", "detention",
         "place/yekaterinburg", "Yekaterinburg", None, None, 9, None),
        ("incident/yekaterinburg-injuries", "ik:injury", "injury", "place/yekaterinburg",
         "Yekaterinburg", None, None, None, None),
        ("incident/yekaterinburg-killings", "ik:killing", "killing", "place/yekaterinburg",
         "Yekaterinburg", 2, None, None, None),
        ("incident/yekaterinburg-raids", "ik:raid", "raid",
         "place/azerbaijani-residences-yekaterinburg", "Azerbaijani residences in Yekaterinburg",
         None, None, None, None),
    ]  # fmt: skip


# -- officials -----------------------------------------------------------------


def test_officials_have_their_posts_organizations_and_states(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "officials")
    assert columns == (
        "person",
        "personLabel",
        "post",
        "postLabel",
        "organization",
        "organizationLabel",
        "state",
        "stateLabel",
        "stateFromWorldKnowledge",
    )
    russia = ("state/russia", "Russia")
    assert rows == [
        ("person/alexey-overchuk", "Alexey Overchuk", "post/overchuk-deputy-prime-minister",
         "Deputy Prime Minister", "organization/ru-government", "Government of Russia",
         *russia, False),
        ("person/andrii-sybiha", "Andrii Sybiha", "post/sybiha-foreign-minister",
         "Foreign Minister", *NONE2, "state/ukraine", "Ukraine", False),
        ("person/ilham-aliyev", "Ilham Aliyev", "post/aliyev-president", "President", *NONE2,
         "state/azerbaijan", "Azerbaijan", False),
        ("person/maria-zakharova", "Maria Zakharova", "post/zakharova-spokeswoman",
         "spokeswoman", "organization/ru-foreign-ministry",
         "Ministry of Foreign Affairs of Russia", *russia, False),
        ("person/pyotr-volokovykh", "Pyotr Volokovykh", "post/volokovykh-charge-d-affaires",
         "chargé d’affaires", "organization/russian-embassy-baku", "Embassy of Russia in Baku",
         *russia, False),
        # The article says only "President Putin": Russia is world knowledge here.
        ("person/vladimir-putin", "Vladimir Putin", "post/putin-president", "President",
         *NONE2, *russia, True),
    ]  # fmt: skip


# -- claims --------------------------------------------------------------------

CLAIM_COLUMNS = (
    "speaker",
    "speakerLabel",
    "status",
    "statusLabel",
    "claim",
    "content",
    "channel",
    "channelLabel",
)
ALIYEV_CLAIM = (
    "the plane was unintentionally downed through electronic warfare, allegedly orchestrated "
    "by Russia"
)
EXTRAJUDICIAL = "“targeted and extrajudicial killings” of Azerbaijanis by Russian law enforcement"
WITHOUT_TRIAL = (
    "the men were brutally killed “without trial or investigation,” despite their innocence"
)
ABUSE = "detainees were physically abused and subjected to electric shocks"
RAIDS_INVESTIGATIONS = "the raids were part of investigations related to previous crimes"
ALLEGES = ("cs:alleges", "alleges")
REPORTS = ("cs:reports", "reports")
DECLINES = ("cs:declines-to-address", "declines to address")
ITV = ("organization/itv-azerbaijan", "ITV")
X = ("organization/x-platform", "X")
ALIYEV = ("person/ilham-aliyev", "Ilham Aliyev")
HUSEYNLI = ("person/sayfaddin-huseynli", "Sayfaddin Huseynli")
ZAKHAROVA = ("person/maria-zakharova", "Maria Zakharova")
RU_FM = ("organization/ru-foreign-ministry", "Ministry of Foreign Affairs of Russia")
PUTIN = ("person/vladimir-putin", "Vladimir Putin")


def test_claims_by_speaker_list_every_claim_under_each_of_its_speakers(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "claims-by-speaker")
    assert columns == CLAIM_COLUMNS
    assert rows == [
        (*AZ_GOV, *REPORTS, "claim/government-visit-inappropriate-claim",
         "it is inappropriate for Overchuk or any other Russian representatives to visit "
         "Azerbaijan under the present conditions",
         "organization/az-state-media", "Azerbaijani state media"),
        (*ALIYEV, *ALLEGES, "claim/aliyev-electronic-warfare-claim", ALIYEV_CLAIM, *NONE2),
        (*ZAKHAROVA, *DECLINES, "claim/zakharova-deaths-unaddressed", "the reported deaths",
         *NONE2),
        (*ZAKHAROVA, *REPORTS, "claim/zakharova-detentions-targeted-claim",
         "the detentions targeted Russian citizens of Azerbaijani descent", *NONE2),
        (*ZAKHAROVA, *REPORTS, "claim/zakharova-raids-investigations-claim",
         RAIDS_INVESTIGATIONS, *NONE2),
        (*CULTURE, *ALLEGES, "claim/culture-ministry-ethnic-discrimination-claim",
         "ethnic discrimination was the motivator for the killings", *X),
        (*CULTURE, *ALLEGES, "claim/culture-ministry-extrajudicial-killings-claim",
         EXTRAJUDICIAL, *X),
        (*AZ_FM, *REPORTS, "claim/foreign-ministry-raids-report",
         "Russian authorities conducted raids on Azerbaijani residences in Yekaterinburg, "
         "leading to the deaths of two individuals, serious injuries to others, and the "
         "detention of nine people", *NONE2),
        (*RU_FM, *DECLINES, "claim/zakharova-deaths-unaddressed", "the reported deaths",
         *NONE2),
        (*HUSEYNLI, *ALLEGES, "claim/huseynli-detainee-abuse-claim", ABUSE, *ITV),
        (*HUSEYNLI, *ALLEGES, "claim/huseynli-killed-without-trial-claim", WITHOUT_TRIAL, *ITV),
        (*HUSEYNLI, *REPORTS, "claim/huseynli-barbaric-raids-claim", "the raids were barbaric",
         *ITV),
        (*HUSEYNLI, *REPORTS, "claim/huseynli-night-invasion-claim",
         "“These Russian law enforcement personnel invaded homes at night, mercilessly "
         "dragging people out like animals”", *NONE2),
        (*PUTIN, "cs:does-not-concede", "does not concede", "claim/putin-no-liability-claim",
         "liability for the mishap", *NONE2),
    ]  # fmt: skip


def test_claims_by_speaker_with_a_status_keep_only_that_status(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "claims-by-speaker", status="cs:alleges")
    assert columns == CLAIM_COLUMNS
    assert rows == [
        (*ALIYEV, *ALLEGES, "claim/aliyev-electronic-warfare-claim", ALIYEV_CLAIM, *NONE2),
        (*CULTURE, *ALLEGES, "claim/culture-ministry-ethnic-discrimination-claim",
         "ethnic discrimination was the motivator for the killings", *X),
        (*CULTURE, *ALLEGES, "claim/culture-ministry-extrajudicial-killings-claim",
         EXTRAJUDICIAL, *X),
        (*HUSEYNLI, *ALLEGES, "claim/huseynli-detainee-abuse-claim", ABUSE, *ITV),
        (*HUSEYNLI, *ALLEGES, "claim/huseynli-killed-without-trial-claim", WITHOUT_TRIAL, *ITV),
    ]  # fmt: skip


DECLINED_COLUMNS = (
    "speaker",
    "speakerLabel",
    "status",
    "statusLabel",
    "claim",
    "content",
    "about",
    "aboutLabel",
    "quote",
)
DEATHS_QUOTE = (
    "the Russian Foreign Ministry, through spokeswoman Maria Zakharova, refrained from "
    "addressing the reported deaths"
)
ZAKHAROVA_DECLINED = (
    *DECLINES,
    "claim/zakharova-deaths-unaddressed",
    "the reported deaths",
    "incident/yekaterinburg-killings",
    None,
    DEATHS_QUOTE,
)


def test_declined_to_address_lists_what_each_speaker_held_back(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "declined-to-address")
    assert columns == DECLINED_COLUMNS
    assert rows == [
        (*ZAKHAROVA, *ZAKHAROVA_DECLINED),
        (*RU_FM, *ZAKHAROVA_DECLINED),
        (*PUTIN, "cs:does-not-concede", "does not concede", "claim/putin-no-liability-claim",
         "liability for the mishap", "incident/kazakhstan-airliner-crash", None,
         "he did not concede liability for the mishap"),
    ]  # fmt: skip


def test_declined_to_address_by_a_speaker_is_only_that_speakers(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "declined-to-address", speaker=f"{ID}person/maria-zakharova")
    assert columns == DECLINED_COLUMNS
    assert rows == [(*ZAKHAROVA, *ZAKHAROVA_DECLINED)]


def test_conflicting_claims_pair_each_conflict_once_with_both_speakers(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "conflicting-claims")
    assert columns == (
        "claim",
        "speaker",
        "speakerLabel",
        "statusLabel",
        "content",
        "other",
        "otherSpeaker",
        "otherSpeakerLabel",
        "otherStatusLabel",
        "otherContent",
    )
    zakharova = (
        "claim/zakharova-raids-investigations-claim",
        *ZAKHAROVA,
        "reports",
        RAIDS_INVESTIGATIONS,
    )
    assert rows == [
        ("claim/aliyev-electronic-warfare-claim", *ALIYEV, "alleges", ALIYEV_CLAIM,
         "claim/putin-no-liability-claim", *PUTIN, "does not concede",
         "liability for the mishap"),
        ("claim/culture-ministry-ethnic-discrimination-claim", *CULTURE, "alleges",
         "ethnic discrimination was the motivator for the killings", *zakharova),
        ("claim/culture-ministry-extrajudicial-killings-claim", *CULTURE, "alleges",
         EXTRAJUDICIAL, *zakharova),
        ("claim/huseynli-killed-without-trial-claim", *HUSEYNLI, "alleges", WITHOUT_TRIAL,
         *zakharova),
    ]  # fmt: skip


# -- evidence ------------------------------------------------------------------

EVIDENCE_COLUMNS = ("fact", "evidence", "article", "articleTitle", "quote", "start", "end")


def test_evidence_defaults_to_the_raids_and_gives_quotes_with_their_offsets(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "evidence")
    assert columns == EVIDENCE_COLUMNS
    first = "police raids in Russia’s city of Yekaterinburg"
    second = "Russian authorities conducted raids on Azerbaijani residences in Yekaterinburg"
    raids = "incident/yekaterinburg-raids"
    assert rows == [
        (raids, f"{raids}/evidence/1", ARTICLE, TITLE, first, *span(first)),
        (raids, f"{raids}/evidence/2", ARTICLE, TITLE, second, *span(second)),
    ]


def test_evidence_of_a_given_fact_lists_its_quotes_in_text_order(
    seed_graph: KnowledgeGraph,
) -> None:
    killings = "incident/yekaterinburg-killings"
    _, rows = run(seed_graph, "evidence", fact=f"{ID}{killings}")
    quotes = [
        "the killing of two Azerbaijani citizens following police raids in Russia’s city of "
        "Yekaterinburg",
        "leading to the deaths of two individuals",
        "The deceased were identified as Ziyaddin and Huseyn Safarov",
    ]
    assert rows == [
        (killings, f"{killings}/evidence/{n}", ARTICLE, TITLE, quote, *span(quote))
        for n, quote in enumerate(quotes, start=1)
    ]


# -- relations between states ----------------------------------------------------

STRAINED = (
    "relation/azerbaijan-russia-strained",
    "relk:strained",
    "strained",
    "in recent months",
    "tres:vague",
)
ESCALATING = (
    "relation/russia-azerbaijan-escalating",
    "relk:escalating",
    "escalating",
    "after an Azerbaijani airliner tragically crashed in Kazakhstan in December",
    "tres:relative-to-event",
)
STRENGTHENING = (
    "relation/azerbaijan-ukraine-strengthening",
    "relk:strengthening",
    "strengthening",
    None,
    None,
)
RELATION_EVENTS = {
    "invitation": ("response/aliyev-declines-victory-day-invitation", "declined invitation",
                   None, "2025-05"),
    "culture": ("response/cultural-events-cancellation", "cancellation", None, None),
    "overchuk": ("response/overchuk-visit-cancellation", "cancellation", None, None),
    "crash": ("incident/kazakhstan-airliner-crash", "aircraft crash", None, "2024-12"),
    "sybiha": ("response/sybiha-visit-to-baku", "visit", None, None),
}  # fmt: skip
AZERBAIJAN = ("state/azerbaijan", "Azerbaijan")
RUSSIA = ("state/russia", "Russia")
UKRAINE = ("state/ukraine", "Ukraine")


def relation_rows(state: tuple, other: tuple) -> list[tuple]:
    if UKRAINE in (state, other):
        return [(*state, *other, *STRENGTHENING, *RELATION_EVENTS["sybiha"])]
    return [
        (*state, *other, *STRAINED, *RELATION_EVENTS["invitation"]),
        (*state, *other, *STRAINED, *RELATION_EVENTS["culture"]),
        (*state, *other, *STRAINED, *RELATION_EVENTS["overchuk"]),
        (*state, *other, *ESCALATING, *RELATION_EVENTS["crash"]),
    ]


def test_relations_show_each_relation_from_both_sides_with_its_evidencing_events(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "relations")
    assert columns == (
        "state",
        "stateLabel",
        "other",
        "otherLabel",
        "relation",
        "kind",
        "kindLabel",
        "expression",
        "resolution",
        "event",
        "eventKindLabel",
        "eventDate",
        "eventMonth",
    )
    assert rows == [
        *relation_rows(AZERBAIJAN, RUSSIA),
        *relation_rows(AZERBAIJAN, UKRAINE),
        *relation_rows(RUSSIA, AZERBAIJAN),
        *relation_rows(UKRAINE, AZERBAIJAN),
    ]


def test_relations_between_two_given_states(seed_graph: KnowledgeGraph) -> None:
    _, rows = run(seed_graph, "relations", state=f"{ID}state/russia", other=f"{ID}state/azerbaijan")
    assert rows == relation_rows(RUSSIA, AZERBAIJAN)


def test_relations_of_one_state(seed_graph: KnowledgeGraph) -> None:
    _, rows = run(seed_graph, "relations", state=f"{ID}state/azerbaijan")
    assert rows == [*relation_rows(AZERBAIJAN, RUSSIA), *relation_rows(AZERBAIJAN, UKRAINE)]


# -- entities, world knowledge, articles -----------------------------------------


def test_wikidata_links_come_with_their_sources(seed_graph: KnowledgeGraph) -> None:
    columns, rows = run(seed_graph, "wikidata-links")
    assert columns == ("entity", "entityLabel", "wikidata", "source")
    wiki = "https://www.wikidata.org/wiki/"
    assert rows == [
        ("state/azerbaijan", "Azerbaijan", "wd:Q227", f"{wiki}Q227"),
        ("place/baku", "Baku", "wd:Q9248", f"{wiki}Q9248"),
        ("state/kazakhstan", "Kazakhstan", "wd:Q232", f"{wiki}Q232"),
        ("place/moscow", "Moscow", "wd:Q649", f"{wiki}Q649"),
        ("state/russia", "Russia", "wd:Q159", f"{wiki}Q159"),
        ("state/ukraine", "Ukraine", "wd:Q212", f"{wiki}Q212"),
        ("person/vladimir-putin", "Vladimir Putin", "wd:Q7747", f"{wiki}Q7747"),
        ("place/yekaterinburg", "Yekaterinburg", "wd:Q887", f"{wiki}Q887"),
    ]


def test_world_knowledge_lists_every_statement_with_source_and_note(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "world-knowledge")
    assert columns == (
        "statement",
        "subject",
        "subjectLabel",
        "property",
        "propertyLabel",
        "value",
        "valueLabel",
        "source",
        "note",
        "declaredIn",
    )
    wiki = "https://www.wikidata.org/wiki/"
    entities = "source/entities"

    def same_as(subject: str, label: str, qid: str) -> tuple:
        return (f"{subject}/world/1-1", subject, label, "schema:sameAs", "same as", f"wd:{qid}",
                None, f"{wiki}{qid}", None, entities)  # fmt: skip

    assert rows == [
        (f"{ARTICLE}/world/1-1", ARTICLE, TITLE, "gkg:published", "published", "2025-06-29",
         None, None, PUBLISHED_NOTE, ARTICLE),
        same_as("person/vladimir-putin", "Vladimir Putin", "Q7747"),
        same_as("place/baku", "Baku", "Q9248"),
        same_as("place/moscow", "Moscow", "Q649"),
        same_as("place/yekaterinburg", "Yekaterinburg", "Q887"),
        ("post/putin-president/world/1-1", "post/putin-president", "President",
         "gkg:belongsToState", "belongs to state", "state/russia", "Russia", f"{wiki}Q7747",
         None, ARTICLE),
        same_as("state/azerbaijan", "Azerbaijan", "Q227"),
        same_as("state/kazakhstan", "Kazakhstan", "Q232"),
        same_as("state/russia", "Russia", "Q159"),
        same_as("state/ukraine", "Ukraine", "Q212"),
    ]  # fmt: skip


def test_articles_flag_a_publication_date_taken_from_world_knowledge(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "articles")
    assert columns == (
        "article",
        "title",
        "language",
        "published",
        "publishedFromWorldKnowledge",
        "publishedSource",
        "publishedNote",
        "facts",
        "entities",
    )
    # 6 posts + 7 incidents + 9 responses + 13 claims + 3 relations; 10 entities declared
    # (4 persons, 2 groups, 3 unnamed entities, 1 residence).
    assert rows == [(ARTICLE, TITLE, "en", "2025-06-29", True, None, PUBLISHED_NOTE, 38, 10)]


ENTITY_MENTION_COLUMNS = (
    "entity",
    "entityLabel",
    "fact",
    "factType",
    "property",
    "propertyLabel",
    "role",
    "roleLabel",
    "fromWorldKnowledge",
)


def test_entity_mentions_give_every_fact_referring_to_an_entity_and_how(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(
        seed_graph, "entity-mentions", entity=f"{ID}organization/ru-law-enforcement"
    )
    assert columns == ENTITY_MENTION_COLUMNS
    law = ("organization/ru-law-enforcement", "Russian law enforcement")
    about = ("gkg:Claim", "gkg:about", "about", None, None, False)
    perpetrator = ("gkg:Incident", "gkg:involves", "involves", "role:perpetrator",
                   "perpetrator", False)  # fmt: skip
    assert rows == [
        (*law, "claim/culture-ministry-ethnic-discrimination-claim", *about),
        (*law, "claim/culture-ministry-extrajudicial-killings-claim", *about),
        (*law, "claim/huseynli-night-invasion-claim", *about),
        (*law, "incident/yekaterinburg-detentions", *perpetrator),
        (*law, "incident/yekaterinburg-raids", *perpetrator),
    ]


def test_entity_mentions_flag_references_that_are_world_knowledge(
    seed_graph: KnowledgeGraph,
) -> None:
    _, rows = run(seed_graph, "entity-mentions", entity=f"{ID}state/russia")

    def post(post_id: str, world: bool) -> tuple:
        return (*RUSSIA, f"post/{post_id}", "gkg:Post", "gkg:belongsToState", "belongs to state",
                None, None, world)  # fmt: skip

    def party(relation_id: str) -> tuple:
        return (*RUSSIA, f"relation/{relation_id}", "gkg:StateRelation", "gkg:party", "party",
                None, None, False)  # fmt: skip

    assert rows == [
        (*RUSSIA, "claim/aliyev-electronic-warfare-claim", "gkg:Claim", "gkg:about", "about",
         None, None, False),
        post("overchuk-deputy-prime-minister", False),
        post("putin-president", True),
        post("volokovykh-charge-d-affaires", False),
        post("zakharova-spokeswoman", False),
        party("azerbaijan-russia-strained"),
        party("russia-azerbaijan-escalating"),
        (*RUSSIA, "response/aliyev-declines-victory-day-invitation", "gkg:Response",
         "gkg:involves", "involves", "role:host", "host", False),
    ]  # fmt: skip


def test_entity_mentions_of_an_event_give_responses_and_claims_about_it(
    seed_graph: KnowledgeGraph,
) -> None:
    _, rows = run(seed_graph, "entity-mentions", entity=f"{ID}incident/yekaterinburg-killings")
    fact, prop = ENTITY_MENTION_COLUMNS.index("fact"), ENTITY_MENTION_COLUMNS.index("property")
    assert [(row[fact], row[prop]) for row in rows] == [
        ("claim/culture-ministry-ethnic-discrimination-claim", "gkg:about"),
        ("claim/culture-ministry-extrajudicial-killings-claim", "gkg:about"),
        ("claim/foreign-ministry-raids-report", "gkg:about"),
        ("claim/huseynli-killed-without-trial-claim", "gkg:about"),
        ("claim/zakharova-deaths-unaddressed", "gkg:about"),
        ("response/cultural-events-cancellation", "gkg:respondsTo"),
        ("response/foreign-ministry-investigation-demand", "gkg:respondsTo"),
        ("response/overchuk-visit-cancellation", "gkg:respondsTo"),
        ("response/summons-investigation-demand", "gkg:respondsTo"),
        ("response/summons-of-volokovykh", "gkg:respondsTo"),
        ("response/sunday-announcement", "gkg:respondsTo"),
    ]


# -- events: participants, kinds, links, places ------------------------------------

PARTICIPANT_COLUMNS = ("event", "eventKindLabel", "agent", "agentLabel", "role", "roleLabel")
NINE = ("group/nine-detainees", "the nine people detained in Yekaterinburg")
LAW = ("organization/ru-law-enforcement", "Russian law enforcement")
DETENTION_PARTICIPANTS = [
    ("incident/yekaterinburg-detentions", "detention", *NINE, "role:detainee", "detainee"),
    ("incident/yekaterinburg-detentions", "detention", *LAW, "role:perpetrator", "perpetrator"),
]


def test_participants_give_each_agent_of_each_event_with_its_role(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "participants")
    assert columns == PARTICIPANT_COLUMNS
    victim = ("role:victim", "victim")
    addressee = ("role:addressee", "addressee")
    assert rows == [
        ("incident/detainee-ill-treatment", "ill-treatment", *NINE, *victim),
        *DETENTION_PARTICIPANTS,
        ("incident/yekaterinburg-injuries", "injury", "group/injured-others",
         "the others seriously injured in the Yekaterinburg raids", *victim),
        ("incident/yekaterinburg-killings", "killing", "person/huseyn-safarov",
         "Huseyn Safarov", *victim),
        ("incident/yekaterinburg-killings", "killing", "person/ziyaddin-safarov",
         "Ziyaddin Safarov", *victim),
        ("incident/yekaterinburg-raids", "raid", *LAW, "role:perpetrator", "perpetrator"),
        ("response/aliyev-declines-victory-day-invitation", "declined invitation", *RUSSIA,
         "role:host", "host"),
        ("response/aliyev-declines-victory-day-invitation", "declined invitation", *ALIYEV,
         "role:invitee", "invitee"),
        ("response/cultural-events-cancellation", "cancellation", "organization/russian-entities",
         "Russian entities", "role:target", "target"),
        ("response/overchuk-visit-cancellation", "cancellation", "person/alexey-overchuk",
         "Alexey Overchuk", "role:target", "target"),
        ("response/putin-apology", "apology", *ALIYEV, *addressee),
        ("response/summons-investigation-demand", "demand", *VOLOKOVYKH, *addressee),
        ("response/summons-of-volokovykh", "diplomatic summons", *VOLOKOVYKH, *addressee),
        ("response/sybiha-visit-to-baku", "visit", "person/andrii-sybiha", "Andrii Sybiha",
         "role:visitor", "visitor"),
    ]  # fmt: skip


def test_participants_of_one_event(seed_graph: KnowledgeGraph) -> None:
    columns, rows = run(seed_graph, "participants", event=f"{ID}incident/yekaterinburg-detentions")
    assert columns == PARTICIPANT_COLUMNS
    assert rows == DETENTION_PARTICIPANTS


def test_incidents_by_kind_count_every_kind_with_its_cameo_and_acled_codes(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "incidents-by-kind")
    assert columns == (
        "kind",
        "kindLabel",
        "cameo",
        "acledEventType",
        "acledSubEventType",
        "incidents",
    )
    violence = ("Violence against civilians", "Attack")
    assert rows == [
        ("ik:aircraft-crash", "aircraft crash", None, None, None, 1),
        ("ik:detention", "detention", "173", "Strategic developments", "Arrests", 1),
        ("ik:downing", "downing", None, None, None, 1),
        ("ik:ill-treatment", "ill-treatment", "182", *violence, 1),
        ("ik:injury", "injury", None, None, None, 1),
        ("ik:killing", "killing", "1823", *violence, 1),
        ("ik:raid", "raid", "170", None, None, 1),
    ]


def test_responses_by_kind_count_every_kind_most_frequent_first(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "responses-by-kind")
    assert columns == ("kind", "kindLabel", "cameo", "responses")
    assert rows == [
        ("rk:cancellation", "cancellation", "160", 2),
        ("rk:demand", "demand", "101", 2),
        ("rk:apology", "apology", "055", 1),
        ("rk:declined-invitation", "declined invitation", "125", 1),
        ("rk:diplomatic-summons", "diplomatic summons", "114", 1),
        ("rk:statement", "statement", "010", 1),
        ("rk:visit", "visit", "042", 1),
        ("rk:investigation", "investigation", "091", 0),
    ]


def test_event_links_give_results_parts_and_undated_order(seed_graph: KnowledgeGraph) -> None:
    columns, rows = run(seed_graph, "event-links")
    assert columns == ("event", "eventKindLabel", "link", "linkLabel", "other", "otherKindLabel")
    result_of = ("gkg:resultOf", "result of")
    assert rows == [
        ("incident/airliner-downing", "downing", "gkg:partOf", "part of",
         "incident/kazakhstan-airliner-crash", "aircraft crash"),
        ("incident/detainee-ill-treatment", "ill-treatment", *result_of,
         "incident/yekaterinburg-detentions", "detention"),
        ("incident/yekaterinburg-detentions", "detention", *result_of, *RAIDS),
        ("incident/yekaterinburg-injuries", "injury", *result_of, *RAIDS),
        ("incident/yekaterinburg-killings", "killing", *result_of, *RAIDS),
        ("response/summons-investigation-demand", "demand", "gkg:partOf", "part of",
         "response/summons-of-volokovykh", "diplomatic summons"),
        ("response/sybiha-visit-to-baku", "visit", "gkg:after", "after",
         "response/aliyev-declines-victory-day-invitation", "declined invitation"),
    ]  # fmt: skip


PLACE_COLUMNS = (
    "place",
    "placeLabel",
    "event",
    "eventKindLabel",
    "eventPlace",
    "eventPlaceLabel",
    "date",
    "month",
)
YEKATERINBURG = ("place/yekaterinburg", "Yekaterinburg")
RESIDENCES = (
    "place/azerbaijani-residences-yekaterinburg",
    "Azerbaijani residences in Yekaterinburg",
)


def yekaterinburg_events(place: tuple) -> list[tuple]:
    return [
        (*place, "incident/yekaterinburg-detentions", "detention", *YEKATERINBURG, *NONE2),
        (*place, "incident/yekaterinburg-injuries", "injury", *YEKATERINBURG, *NONE2),
        (*place, "incident/yekaterinburg-killings", "killing", *YEKATERINBURG, *NONE2),
        (*place, "incident/yekaterinburg-raids", "raid", *RESIDENCES, *NONE2),
    ]


def test_places_list_what_happened_in_or_within_each_place(seed_graph: KnowledgeGraph) -> None:
    columns, rows = run(seed_graph, "places")
    assert columns == PLACE_COLUMNS
    sybiha = ("response/sybiha-visit-to-baku", "visit", "place/baku", "Baku", *NONE2)
    kazakhstan = ("state/kazakhstan", "Kazakhstan")
    assert rows == [
        (*AZERBAIJAN, *sybiha),
        (*RESIDENCES, "incident/yekaterinburg-raids", "raid", *RESIDENCES, *NONE2),
        ("place/baku", "Baku", *sybiha),
        (*kazakhstan, "incident/kazakhstan-airliner-crash", "aircraft crash", *kazakhstan,
         None, "2024-12"),
        *yekaterinburg_events(RUSSIA),
        *yekaterinburg_events(("place/ural-mountains", "Ural Mountains")),
        *yekaterinburg_events(YEKATERINBURG),
    ]  # fmt: skip


def test_places_within_a_state_follow_located_in_transitively(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "places", place=f"{ID}state/russia")
    assert columns == PLACE_COLUMNS
    assert rows == yekaterinburg_events(RUSSIA)


RELATIVE_COLUMNS = (
    "person",
    "personLabel",
    "relation",
    "relationLabel",
    "relative",
    "relativeLabel",
    "relativeAge",
    "relativeNationalityLabel",
)
ZIYADDIN = ("person/ziyaddin-safarov", "Ziyaddin Safarov", 60, "Azerbaijan")
HUSEYN = ("person/huseyn-safarov", "Huseyn Safarov", 60, "Azerbaijan")
SAYFADDIN = ("person/sayfaddin-huseynli", "Sayfaddin Huseynli", None, None)
SIBLING = ("gkg:sibling", "sibling")


def test_relatives_list_each_persons_siblings(seed_graph: KnowledgeGraph) -> None:
    columns, rows = run(seed_graph, "relatives")
    assert columns == RELATIVE_COLUMNS
    assert rows == [
        (*HUSEYN[:2], *SIBLING, *SAYFADDIN),
        (*HUSEYN[:2], *SIBLING, *ZIYADDIN),
        (*SAYFADDIN[:2], *SIBLING, *HUSEYN),
        (*SAYFADDIN[:2], *SIBLING, *ZIYADDIN),
        (*ZIYADDIN[:2], *SIBLING, *HUSEYN),
        (*ZIYADDIN[:2], *SIBLING, *SAYFADDIN),
    ]


def test_relatives_of_one_person(seed_graph: KnowledgeGraph) -> None:
    _, rows = run(seed_graph, "relatives", person=f"{ID}person/sayfaddin-huseynli")
    assert rows == [(*SAYFADDIN[:2], *SIBLING, *HUSEYN), (*SAYFADDIN[:2], *SIBLING, *ZIYADDIN)]


# -- fact card -----------------------------------------------------------------


def test_fact_card_constructs_the_fact_its_nested_nodes_and_labels(
    seed_graph: KnowledgeGraph,
) -> None:
    claim = "claim/putin-no-liability-claim"
    evidence = f"{claim}/evidence/1"
    quote, position = f"{evidence}/quote", f"{evidence}/position"
    exact = "he did not concede liability for the mishap"
    start, end = span(exact)
    assert triples(seed_graph, "fact-card", fact=f"{ID}{claim}") == {
        (claim, "rdf:type", "gkg:Claim"),
        (claim, "gkg:speaker", "person/vladimir-putin"),
        (claim, "gkg:status", "cs:does-not-concede"),
        (claim, "gkg:content", "liability for the mishap"),
        (claim, "gkg:about", "incident/kazakhstan-airliner-crash"),
        (claim, "gkg:evidence", evidence),
        ("gkg:Claim", "rdfs:label", "claim"),
        ("person/vladimir-putin", "rdfs:label", "Vladimir Putin"),
        ("cs:does-not-concede", "skos:prefLabel", "does not concede"),
        (evidence, "rdf:type", "gkg:Evidence"),
        (evidence, "oa:hasSource", ARTICLE),
        (evidence, "oa:hasSelector", quote),
        (evidence, "oa:hasSelector", position),
        (quote, "rdf:type", "oa:TextQuoteSelector"),
        (quote, "oa:exact", exact),
        (quote, "oa:prefix", TEXT[start - 32 : start]),
        (quote, "oa:suffix", TEXT[end : end + 32]),
        (position, "rdf:type", "oa:TextPositionSelector"),
        (position, "oa:start", start),
        (position, "oa:end", end),
    }


def test_fact_card_defaults_to_the_raids(seed_graph: KnowledgeGraph) -> None:
    card = triples(seed_graph, "fact-card")
    raids = "incident/yekaterinburg-raids"
    assert {(p, o) for s, p, o in card if s == raids} == {
        ("rdf:type", "gkg:Incident"),
        ("gkg:incidentKind", "ik:raid"),
        ("gkg:place", "place/azerbaijani-residences-yekaterinburg"),
        ("gkg:involves", f"{raids}/involves/1"),
        ("gkg:evidence", f"{raids}/evidence/1"),
        ("gkg:evidence", f"{raids}/evidence/2"),
    }
    assert {(p, o) for s, p, o in card if s == f"{raids}/involves/1"} == {
        ("rdf:type", "gkg:Participation"),
        ("gkg:agent", "organization/ru-law-enforcement"),
        ("gkg:role", "role:perpetrator"),
    }
    assert ("organization/ru-law-enforcement", "rdfs:label", "Russian law enforcement") in card
    assert ("role:perpetrator", "skos:prefLabel", "perpetrator") in card
