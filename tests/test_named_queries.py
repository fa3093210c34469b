"""The named queries of ``queries/``: headers, parameters, and their exact answers on the seeds.

Every expected answer below is written out from the seed fact files
(``seeds/entities.yaml`` and the article's ``facts.yaml``), the concept schemes
of the ontology, and the article text (for evidence offsets), not copied from
the queries' output. IRIs are shortened for reading: data IRIs relative to
``{base}id/`` (``incident/yekaterinburg-raids``), other IRIs as CURIEs of the
standard prefixes (``rk:demand``); literals become their plain Python value.

The attestation modes are also checked on a small article of the tests' own,
``tests/data/attestation/northvale-raid``, written to hold one event of each
attestation and figures that two parties give differently.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib.namespace import RDF, SKOS

from graphkg.errors import ParameterError, QueryError
from graphkg.namespaces import GKG, PREFIXES
from graphkg.ontology import load_ontology, local_name
from graphkg.queries import NamedQuery, load_named_queries, parse_named_query
from graphkg.resources import turtle_files
from graphkg.store import KnowledgeGraph

from conftest import (
    ARTICLE_ID,
    BACKENDS,
    BASE,
    NARROWING_ON_THE_SEED,
    ROOT,
    SEEDS,
    plain,
    run,
    store_built_from,
)

QUERIES: dict[str, NamedQuery] = load_named_queries()
ID = f"{BASE}id/"
TEXT = (SEEDS / ARTICLE_ID / "article.txt").read_text(encoding="utf-8")

ARTICLE = f"article/{ARTICLE_ID}"
TITLE = "Azerbaijan Halts Russian Events After Yekaterinburg Incident"
DEMANDS_INVESTIGATION = "demand for investigation"  # the kind's label
INVESTIGATION_DEMAND = ("rk:demand-investigation", DEMANDS_INVESTIGATION, "101")
PUBLISHED_NOTE = (
    'The page shows no date. The article reports an announcement made "on Sunday", '
    "which was Sunday 2025-06-29, and the same story ran elsewhere on 2025-06-29 and "
    "2025-06-30; no URL for the date is known."
)


# -- helpers -----------------------------------------------------------------


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
    "apology-demands",
    "articles",
    "casualties",
    "claims-by-speaker",
    "conflicting-claims",
    "corrections",
    "declined-to-address",
    "demands",
    "entity-mentions",
    "event-links",
    "events-by-cameo-root",
    "evidence",
    "fact-as-of",
    "fact-card",
    "figures",
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


EMPTY_ON_THE_SEED = {"apology-demands", "corrections"}
"""Queries for what the seed article does not report (no one demands an apology there, and
it corrects and retracts nothing); tests/test_demands_and_time.py and tests/test_corrections.py
run them on articles that do."""


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_every_query_runs_on_the_seeds_with_its_defaults(
    seed_graph: KnowledgeGraph, name: str
) -> None:
    query = QUERIES[name]
    result = seed_graph.query(query.sparql, substitutions=query.substitutions({}))
    assert (len(list(result)) > 0) == (name not in EMPTY_ON_THE_SEED)


# -- parameters ----------------------------------------------------------------

# The seed corrects and retracts nothing: tests/test_corrections.py narrows these on articles
# that do (conftest's table still gives them a value, which test_store_backends binds).
NARROWED_ON_CORRECTIONS = {"corrections"}
NARROWER = {
    name: params
    for name, params in NARROWING_ON_THE_SEED.items()
    if name not in NARROWED_ON_CORRECTIONS
}


# The seed states every response, so no attestation narrows its responses: these are
# checked on the tests' own article instead (see the `northvale` fixture below).
NARROWER_ON_NORTHVALE = {
    "responses-by-kind": {"attestation": "stated"},
}


# The seed states every demand and has none for an apology: tests/test_demands_and_time.py
# narrows these on an article that has both stated and reported ones.
NARROWED_ON_VARNIA = {"demands", "apology-demands"}


def test_every_parameterized_query_is_checked_for_narrowing() -> None:
    assert {name for name, query in QUERIES.items() if query.parameters} == (
        set(NARROWER) | set(NARROWER_ON_NORTHVALE) | NARROWED_ON_VARNIA | NARROWED_ON_CORRECTIONS
    )


# The counting queries' zero rows stand for kinds with nothing in the asked-for
# attestations, so a narrower attestation has more of them: only counted rows narrow.
COUNT_COLUMNS = {
    "events-by-cameo-root": "events",
    "incidents-by-kind": "incidents",
    "responses-by-kind": "responses",
}


def answer_without_parameter_columns(kg: KnowledgeGraph, name: str, params: dict) -> set:
    if name == "fact-card":
        return triples(kg, name, **params)
    columns, rows = run(kg, name, **params)
    if name in COUNT_COLUMNS:
        rows = [row for row in rows if row[columns.index(COUNT_COLUMNS[name])]]
    parameter_names = {p.name for p in QUERIES[name].parameters}
    keep = [i for i, column in enumerate(columns) if column not in parameter_names]
    return {tuple(row[i] for i in keep) for row in rows}


@pytest.mark.parametrize("name", sorted(NARROWER))
def test_a_parameter_narrows_the_answer(seed_graph: KnowledgeGraph, name: str) -> None:
    """With its parameter a query answers a non-empty part of what it answers without."""
    # "" clears a default; an enumeration cannot be cleared, and "all" is its widest value.
    unbound = {p.name: "all" if p.type == "enum" else "" for p in QUERIES[name].parameters}
    everything = answer_without_parameter_columns(seed_graph, name, unbound)
    narrowed = answer_without_parameter_columns(seed_graph, name, NARROWER[name])
    assert narrowed
    assert narrowed < everything


@pytest.mark.parametrize("name", sorted(NARROWER_ON_NORTHVALE))
def test_a_parameter_narrows_the_answer_on_the_tests_own_article(
    northvale: KnowledgeGraph, name: str
) -> None:
    unbound = {p.name: "all" if p.type == "enum" else "" for p in QUERIES[name].parameters}
    everything = answer_without_parameter_columns(northvale, name, unbound)
    narrowed = answer_without_parameter_columns(northvale, name, NARROWER_ON_NORTHVALE[name])
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


# -- enumerations ----------------------------------------------------------------

ATTESTATION_VALUES = ("attested", "stated", "reported", "alleged", "all")
ATTESTATION_QUERIES = ("casualties", "events-by-cameo-root", "incidents-by-kind", "responses",
                       "responses-by-kind", "timeline")  # fmt: skip


@pytest.mark.parametrize("name", ATTESTATION_QUERIES)
def test_the_attestation_queries_declare_the_attestation_enumeration(name: str) -> None:
    (parameter,) = [p for p in QUERIES[name].parameters if p.name == "attestation"]
    assert (parameter.type, parameter.values, parameter.default) == (
        "enum",
        ATTESTATION_VALUES,
        "attested",
    )


@pytest.mark.parametrize("value", ATTESTATION_VALUES)
def test_an_enumeration_binds_its_value_as_a_plain_string(value: str) -> None:
    bound = QUERIES["timeline"].substitutions({"attestation": value})
    assert bound["attestation"] == ox.Literal(value)


def test_an_enumeration_is_bound_to_its_default_when_not_given() -> None:
    assert QUERIES["timeline"].substitutions({}) == {"attestation": ox.Literal("attested")}


@pytest.mark.parametrize("value", ["ALL", "rumoured", "", "stated|alleged"])
def test_a_value_outside_an_enumeration_is_an_error_naming_it_and_its_values(value: str) -> None:
    with pytest.raises(ParameterError) as error:
        QUERIES["timeline"].substitutions({"attestation": value})
    message = str(error.value)
    assert "'attestation'" in message
    assert "attested, stated, reported, alleged, all" in message


@pytest.mark.parametrize("name", ATTESTATION_QUERIES)
def test_an_attestation_query_run_without_substitutions_answers_its_default(
    northvale: KnowledgeGraph, name: str
) -> None:
    """Run as a plain file in another SPARQL client, the query falls back to `attested`."""
    plain_file = northvale.query(QUERIES[name].sparql)
    assert isinstance(plain_file, ox.QuerySolutions)
    columns = [v.value for v in plain_file.variables]
    without = [tuple(plain(s[c]) for c in columns if c != "attestation") for s in plain_file]
    _, rows = run(northvale, name)
    keep = [i for i, c in enumerate(columns) if c != "attestation"]
    assert without == [tuple(row[i] for i in keep) for row in rows]


def write_query(tmp_path: Path, param_line: str) -> Path:
    path = tmp_path / "q.rq"
    path.write_text(f"# title: T\n# param: {param_line}\nSELECT * WHERE {{}}\n")
    return path


def test_an_enumeration_header_lists_its_values_in_order(tmp_path: Path) -> None:
    query = parse_named_query(write_query(tmp_path, "mode enum(b|a|c-d) = a -- which"))
    (parameter,) = query.parameters
    assert (parameter.type, parameter.values, parameter.default, parameter.help) == (
        "enum",
        ("b", "a", "c-d"),
        "a",
        "which",
    )


@pytest.mark.parametrize(
    "param_line",
    [
        "mode enum(a|b) -- no default",
        "mode enum(a|b) = c -- a default outside the values",
        "mode enum(a|a) = a -- a value twice",
        "mode enum(a|b c) = a -- a value that is not a word",
        "mode enum() = a -- no values",
        "mode string(a|b) = a -- values on another type",
        "mode enum = a -- no values at all",
    ],
)
def test_a_malformed_enumeration_header_is_a_query_error(tmp_path: Path, param_line: str) -> None:
    with pytest.raises(QueryError, match="mode|enum"):
        parse_named_query(write_query(tmp_path, param_line))


def test_a_parameter_name_beginning_with_an_underscore_is_a_query_error(
    tmp_path: Path,
) -> None:
    """Such names are the pages' own (``_page``)."""
    with pytest.raises(QueryError, match="beginning with a letter"):
        parse_named_query(write_query(tmp_path, "_page integer = 1 -- clashes with the page's"))


def test_the_query_page_shows_an_enumeration_as_a_select_of_its_values(
    client: FlaskClient,
) -> None:
    body = client.get("/queries/timeline?attestation=alleged").get_data(as_text=True)
    options = "".join(
        f'<option value="{v}"{" selected" if v == "alleged" else ""}>{v}</option>'
        for v in ATTESTATION_VALUES
    )
    assert f'<select id="param-attestation" name="attestation">{options}</select>' in body


def test_the_query_page_selects_an_enumerations_default(client: FlaskClient) -> None:
    body = client.get("/queries/timeline").get_data(as_text=True)
    assert '<option value="attested" selected>attested</option>' in body


def test_the_query_page_refuses_a_value_outside_an_enumeration(client: FlaskClient) -> None:
    response = client.get("/queries/timeline?attestation=rumoured")
    assert response.status_code == 400
    assert "attested, stated, reported, alleged, all" in response.get_data(as_text=True)


def test_queries_json_lists_the_values_of_an_enumeration(client: FlaskClient) -> None:
    data = client.get("/queries.json").get_json()
    timeline = next(q for q in data["queries"] if q["name"] == "timeline")
    assert timeline["parameters"] == [
        {
            "name": "since",
            "type": "date",
            "default": None,
            "help": QUERIES["timeline"].parameters[0].help,
            "values": None,
        },
        {
            "name": "attestation",
            "type": "enum",
            "default": "attested",
            "help": QUERIES["timeline"].parameters[1].help,
            "values": list(ATTESTATION_VALUES),
        },
    ]


# -- attestation, on an article of the tests' own ----------------------------------

ATTESTATION_DATA = ROOT / "tests" / "data" / "attestation"
NORTHVALE = "article/northvale-raid"
NORTHVALE_TITLE = "Police Raid Opposition Offices in Northvale"
MINISTRY = ("organization/interior-ministry", "Interior Ministry")
FORWARD = ("organization/northvale-forward", "Northvale Forward")
RAID = "incident/offices-raid"
OFFICER_INJURIES = "incident/officer-injuries"
DETENTIONS = "incident/raid-detentions"
BEATING = "incident/detainee-beating"
CALM = "response/council-call-for-calm"
INVESTIGATION = "response/mayor-investigation"
DISSOLUTION = "response/ministry-dissolution-demand"
# reportedBy and allegedBy: English labels joined by "; ", in label order (not in the order
# of the agents' ids: city-council sorts before interior-ministry).
BOTH_REPORT = "Interior Ministry; Northvale Forward"
MINISTRY_AND_COUNCIL = "Interior Ministry; the city council of Northvale"


@pytest.fixture(scope="module", params=BACKENDS)
def northvale(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KnowledgeGraph]:
    """A store built from the tests' own article alone (no seeds)."""
    with store_built_from(tmp_path_factory, ATTESTATION_DATA, request.param) as built:
        yield built


def northvale_timeline_row(event: str, attested_as: str, mode: str) -> tuple:
    kinds = {
        RAID: ("gkg:Incident", "ik:raid", "raid",
               "police raid on the offices of Northvale Forward"),
        OFFICER_INJURIES: ("gkg:Incident", "ik:injury", "injury",
                   "police officers injured during the raid"),
        DETENTIONS: ("gkg:Incident", "ik:detention", "detention",
                     "people detained during the raid"),
        BEATING: ("gkg:Incident", "ik:ill-treatment", "ill-treatment",
                  "detainees beaten in custody, as alleged by Northvale Forward"),
        CALM: ("gkg:Response", "rk:statement", "statement", "the city council’s call for calm"),
        INVESTIGATION: ("gkg:Response", "rk:investigation", "investigation",
                        "an investigation into the raid, ordered by the mayor"),
        DISSOLUTION: ("gkg:Response", "rk:demand", "demand",
                      "a demand for the party’s dissolution, as alleged by Northvale Forward"),
    }  # fmt: skip
    reported_by = {DETENTIONS: BOTH_REPORT, INVESTIGATION: MINISTRY_AND_COUNCIL}.get(event)
    alleged_by = "Northvale Forward" if attested_as == "att:alleged" else None
    return (None, event, *kinds[event], None, None, None, None, None, *NO_SPAN, attested_as,
            reported_by,
            alleged_by, None, mode)  # fmt: skip


def test_timeline_by_default_lists_what_the_article_states_or_reports(
    northvale: KnowledgeGraph,
) -> None:
    columns, rows = run(northvale, "timeline")
    assert columns == TIMELINE_COLUMNS
    assert rows == [
        northvale_timeline_row(OFFICER_INJURIES, "att:stated", "attested"),
        northvale_timeline_row(RAID, "att:stated", "attested"),
        northvale_timeline_row(DETENTIONS, "att:reported", "attested"),
        northvale_timeline_row(CALM, "att:stated", "attested"),
        northvale_timeline_row(INVESTIGATION, "att:reported", "attested"),
    ]


def test_timeline_with_all_adds_the_alleged_events_and_who_alleges_them(
    northvale: KnowledgeGraph,
) -> None:
    _, rows = run(northvale, "timeline", attestation="all")
    assert rows == [
        northvale_timeline_row(BEATING, "att:alleged", "all"),
        northvale_timeline_row(OFFICER_INJURIES, "att:stated", "all"),
        northvale_timeline_row(RAID, "att:stated", "all"),
        northvale_timeline_row(DETENTIONS, "att:reported", "all"),
        northvale_timeline_row(CALM, "att:stated", "all"),
        northvale_timeline_row(INVESTIGATION, "att:reported", "all"),
        northvale_timeline_row(DISSOLUTION, "att:alleged", "all"),
    ]


@pytest.mark.parametrize(
    ("mode", "events"),
    [
        ("stated", [OFFICER_INJURIES, RAID, CALM]),
        ("reported", [DETENTIONS, INVESTIGATION]),
        ("alleged", [BEATING, DISSOLUTION]),
    ],
)
def test_timeline_with_one_attestation_lists_only_its_events(
    northvale: KnowledgeGraph, mode: str, events: list[str]
) -> None:
    columns, rows = run(northvale, "timeline", attestation=mode)
    event, attested_as = columns.index("event"), columns.index("attestedAs")
    assert [(row[event], row[attested_as]) for row in rows] == [(e, f"att:{mode}") for e in events]


def northvale_response_row(response: str, mode: str) -> tuple:
    raid = (RAID, "raid")
    rows = {
        CALM: ("rk:statement", "statement", "010", "organization/city-council",
               "the city council of Northvale", None, None, "att:stated", None, None),
        INVESTIGATION: ("rk:investigation", "investigation", "091", "organization/mayor",
                        "the mayor of Northvale", None, None, "att:reported",
                        MINISTRY_AND_COUNCIL, None),
        DISSOLUTION: ("rk:demand", "demand", "100", *MINISTRY, *FORWARD, "att:alleged", None,
                      "Northvale Forward"),
    }  # fmt: skip
    kind, kind_label, cameo, actor, actor_label, target, target_label, *attested = rows[response]
    return (response, kind, kind_label, cameo, actor, actor_label, target, target_label,
            None, None, None, None, *raid, None, *attested, mode)  # fmt: skip


def test_responses_by_default_list_what_the_article_states_or_reports(
    northvale: KnowledgeGraph,
) -> None:
    columns, rows = run(northvale, "responses")
    assert columns == RESPONSE_COLUMNS
    assert rows == [
        northvale_response_row(CALM, "attested"),
        northvale_response_row(INVESTIGATION, "attested"),
    ]


def test_responses_with_all_add_the_alleged_ones_and_who_alleges_them(
    northvale: KnowledgeGraph,
) -> None:
    _, rows = run(northvale, "responses", attestation="all")
    assert rows == [
        northvale_response_row(CALM, "all"),
        northvale_response_row(INVESTIGATION, "all"),
        northvale_response_row(DISSOLUTION, "all"),
    ]


EVENT_DESCRIPTIONS = {
    "incident/airliner-downing": "the unintentional downing of the airliner through electronic "
    "warfare, as contended by Ilham Aliyev",
    "incident/detainee-ill-treatment": "detainees physically abused and subjected to electric "
    "shocks, as alleged by Sayfaddin Huseynli",
    "incident/kazakhstan-airliner-crash": "crash of an Azerbaijani airliner in Kazakhstan",
    "incident/yekaterinburg-detentions": "detentions in Yekaterinburg during the raids",
    "incident/yekaterinburg-injuries": "serious injuries to others during the raids",
    "incident/yekaterinburg-killings": "the killing of two Azerbaijani citizens after the "
    "Yekaterinburg raids",
    "incident/yekaterinburg-raids": "police raids on Azerbaijani residences in Yekaterinburg",
    "incident/offices-raid": "police raid on the offices of Northvale Forward",
    "incident/officer-injuries": "police officers injured during the raid",
    "incident/raid-detentions": "people detained during the raid",
    "incident/detainee-beating": "detainees beaten in custody, as alleged by Northvale Forward",
    "planned-event/overchuk-proposed-visit": "the proposed visit by Alexey Overchuk to Azerbaijan",
    "planned-event/victory-day-parade": "Russia’s Victory Day parade in Moscow",
    "response/aliyev-declines-victory-day-invitation": "Ilham Aliyev declines the invitation "
    "to the Victory Day parade",
    "response/cultural-events-cancellation": "Azerbaijan cancels cultural events organized by "
    "Russian entities",
    "response/putin-apology": "President Putin apologizes to Aliyev for the “tragic incident”",
    "response/summons-investigation-demand": "the demand for an investigation made at the summons",
    "response/summons-of-volokovykh": "the summons of the Russian chargé d’affaires, "
    "Pyotr Volokovykh",
    "response/sybiha-visit-to-baku": "Andrii Sybiha visits Baku",
}
"""The steward's description of each event (of the seed and of Northvale) that tables show."""


def with_description(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row of (event, kind, ...) with the event's description after its kind."""
    return (*row[:2], EVENT_DESCRIPTIONS[row[0]], *row[2:])


def described(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row of (incident, ...) with the incident's description after it."""
    return (row[0], EVENT_DESCRIPTIONS[row[0]], *row[1:])


CASUALTY_COLUMNS = (
    "incident",
    "description",
    "kind",
    "kindLabel",
    "place",
    "placeLabel",
    "givenBy",
    "givenByLabel",
    "killed",
    "injured",
    "detained",
    "aboard",
    "attestedAs",
    "reportedBy",
    "allegedBy",
    "attestation",
)
NORTHVALE_PLACE = ("place/northvale", "Northvale")
ARTICLE_VOICE = (NORTHVALE, NORTHVALE_TITLE)
OWN_VOICE = (None, None)  # casualties: the article's own numbers have no givenBy
NO_COUNTS = (None, None, None, None)


def northvale_casualty_rows(mode: str) -> list[tuple]:
    detention = ("ik:detention", "detention", *NORTHVALE_PLACE)
    reported = ("att:reported", BOTH_REPORT, None, mode)
    return [
        (OFFICER_INJURIES, "ik:injury", "injury", *NORTHVALE_PLACE, *OWN_VOICE, None, 3,
         None, None, "att:stated", None, None, mode),
        (RAID, "ik:raid", "raid", *NORTHVALE_PLACE, *OWN_VOICE, *NO_COUNTS, "att:stated",
         None, None, mode),
        # The article gives no number of its own, only the two parties' numbers.
        (DETENTIONS, *detention, *OWN_VOICE, *NO_COUNTS, *reported),
        (DETENTIONS, *detention, *MINISTRY, None, None, 12, None, *reported),
        (DETENTIONS, *detention, *FORWARD, None, None, 40, None, *reported),
    ]  # fmt: skip


def test_casualties_by_default_give_each_voices_numbers_for_attested_incidents(
    northvale: KnowledgeGraph,
) -> None:
    columns, rows = run(northvale, "casualties")
    assert columns == CASUALTY_COLUMNS
    assert rows == [described(row) for row in northvale_casualty_rows("attested")]


def test_casualties_with_all_add_the_alleged_incidents(northvale: KnowledgeGraph) -> None:
    _, rows = run(northvale, "casualties", attestation="all")
    beating = (BEATING, "ik:ill-treatment", "ill-treatment", None, None, *OWN_VOICE,
               *NO_COUNTS, "att:alleged", None, "Northvale Forward", "all")  # fmt: skip
    assert rows == [described(row) for row in [beating, *northvale_casualty_rows("all")]]


INCIDENT_KIND_COLUMNS = (
    "kind",
    "kindLabel",
    "cameo",
    "acledEventType",
    "acledSubEventType",
    "attestedAs",
    "incidents",
    "reportedBy",
    "allegedBy",
    "attestation",
)
VIOLENCE = ("Violence against civilians", "Attack")
INCIDENT_KINDS = {
    "abduction": ("abduction", "181", VIOLENCE[0], "Abduction/forced disappearance"),
    "aircraft-crash": ("aircraft crash", None, None, None),
    "demonstration": ("demonstration", "141", "Protests", "Peaceful protest"),
    "forced-diversion": ("forced diversion", "181", None, None),
    "detention": ("detention", "173", "Strategic developments", "Arrests"),
    "downing": ("downing", None, None, None),
    "ill-treatment": ("ill-treatment", "182", *VIOLENCE),
    "injury": ("injury", None, None, None),
    "killing": ("killing", "1823", *VIOLENCE),
    "raid": ("raid", "170", None, None),
}


def _other_incident_kinds() -> list[tuple[str, str, str]]:
    """(label, local name, CAMEO root) of each "other" incident kind, in label order."""
    graph = load_ontology().graph
    return sorted(
        (
            str(graph.value(k, SKOS.prefLabel)),
            local_name(str(k)),
            str(graph.value(k, SKOS.notation)),
        )
        for k in graph.subjects(GKG.requiresKindNote, None)
        if (k, RDF.type, GKG.IncidentKind) in graph
    )


# The "other" kind of each CAMEO root that incidents belong to: never counted here.
OTHER_INCIDENT_KINDS = _other_incident_kinds()
INCIDENT_KINDS |= {kind: (label, code, None, None) for label, kind, code in OTHER_INCIDENT_KINDS}


def incident_kind_row(kind: str, counted: tuple, mode: str) -> tuple:
    """counted: (attestedAs, count, reportedBy, allegedBy)."""
    return (f"ik:{kind}", *INCIDENT_KINDS[kind], *counted, mode)


def none_counted(mode: str, *counted: str) -> list[tuple]:
    """The zero rows of the kinds other than ``counted``, in label order."""
    kinds = sorted(set(INCIDENT_KINDS) - set(counted), key=lambda k: (INCIDENT_KINDS[k][0], k))
    return [incident_kind_row(kind, (None, 0, None, None), mode) for kind in kinds]


def test_incidents_by_kind_count_by_default_the_attested_incidents_per_attestation(
    northvale: KnowledgeGraph,
) -> None:
    columns, rows = run(northvale, "incidents-by-kind")
    assert columns == INCIDENT_KIND_COLUMNS
    assert rows == [
        incident_kind_row("detention", ("att:reported", 1, BOTH_REPORT, None), "attested"),
        incident_kind_row("injury", ("att:stated", 1, None, None), "attested"),
        incident_kind_row("raid", ("att:stated", 1, None, None), "attested"),
        *none_counted("attested", "detention", "injury", "raid"),
    ]  # fmt: skip


def test_incidents_by_kind_with_all_count_the_alleged_ones_with_who_alleges_them(
    northvale: KnowledgeGraph,
) -> None:
    _, rows = run(northvale, "incidents-by-kind", attestation="all")
    assert rows == [
        incident_kind_row("detention", ("att:reported", 1, BOTH_REPORT, None), "all"),
        incident_kind_row("ill-treatment", ("att:alleged", 1, None, "Northvale Forward"), "all"),
        incident_kind_row("injury", ("att:stated", 1, None, None), "all"),
        incident_kind_row("raid", ("att:stated", 1, None, None), "all"),
        *none_counted("all", "detention", "ill-treatment", "injury", "raid"),
    ]


RESPONSE_KIND_COLUMNS = (
    "kind",
    "kindLabel",
    "cameo",
    "attestedAs",
    "responses",
    "reportedBy",
    "allegedBy",
    "attestation",
)


def _response_kinds() -> dict[str, tuple[str, str | None]]:
    """Each response kind of the ontology: local name -> (English label, CAMEO code)."""
    graph = load_ontology().graph
    return {
        local_name(str(kind)): (
            str(graph.value(kind, SKOS.prefLabel)),
            str(code) if (code := graph.value(kind, SKOS.notation)) is not None else None,
        )
        for kind in graph.subjects(RDF.type, GKG.ResponseKind)
    }


RESPONSE_KINDS = _response_kinds()


def response_kind_row(kind: str, counted: tuple, mode: str) -> tuple:
    """counted: (attestedAs, count, reportedBy, allegedBy)."""
    return (f"rk:{kind}", *RESPONSE_KINDS[kind], *counted, mode)


def uncounted_response_kind_rows(counted: set[str], mode: str) -> list[tuple]:
    """The zero rows of the kinds with no response, in label order."""
    kinds = sorted(set(RESPONSE_KINDS) - counted, key=lambda kind: (RESPONSE_KINDS[kind][0], kind))
    return [response_kind_row(kind, (None, 0, None, None), mode) for kind in kinds]


def test_responses_by_kind_count_by_default_the_attested_responses_per_attestation(
    northvale: KnowledgeGraph,
) -> None:
    columns, rows = run(northvale, "responses-by-kind")
    assert columns == RESPONSE_KIND_COLUMNS
    assert rows == [
        response_kind_row("investigation", ("att:reported", 1, MINISTRY_AND_COUNCIL, None),
                          "attested"),
        response_kind_row("statement", ("att:stated", 1, None, None), "attested"),
        *uncounted_response_kind_rows({"investigation", "statement"}, "attested"),
    ]  # fmt: skip


def test_responses_by_kind_with_all_count_the_alleged_ones_with_who_alleges_them(
    northvale: KnowledgeGraph,
) -> None:
    _, rows = run(northvale, "responses-by-kind", attestation="all")
    assert rows == [
        response_kind_row("demand", ("att:alleged", 1, None, "Northvale Forward"), "all"),
        response_kind_row("investigation", ("att:reported", 1, MINISTRY_AND_COUNCIL, None),
                          "all"),
        response_kind_row("statement", ("att:stated", 1, None, None), "all"),
        *uncounted_response_kind_rows({"demand", "investigation", "statement"}, "all"),
    ]  # fmt: skip


FIGURE_COLUMNS = (
    "event",
    "type",
    "property",
    "propertyLabel",
    "value",
    "givenBy",
    "givenByLabel",
    "statement",
    "attestedAs",
)
DESCRIPTION = ("gkg:description", "description")
DETAINED = ("gkg:detainedCount", "detained count")


def test_figures_give_every_figure_and_attributed_description_with_who_gives_it(
    northvale: KnowledgeGraph,
) -> None:
    """The events' own descriptions are the steward's and assert nothing: not listed."""
    columns, rows = run(northvale, "figures")
    assert columns == FIGURE_COLUMNS
    incident = "gkg:Incident"
    assert rows == [
        (OFFICER_INJURIES, incident, "gkg:injuredCount", "injured count", 3, *ARTICLE_VOICE, None,
         "att:stated"),
        (RAID, incident, *DESCRIPTION, "an attack on democracy", *FORWARD,
         f"{RAID}/attributed/1-1", "att:stated"),
        (DETENTIONS, incident, *DETAINED, 12, *MINISTRY, f"{DETENTIONS}/attributed/1-1",
         "att:reported"),
        (DETENTIONS, incident, *DETAINED, 40, *FORWARD, f"{DETENTIONS}/attributed/2-1",
         "att:reported"),
    ]  # fmt: skip


def test_figures_of_one_event(northvale: KnowledgeGraph) -> None:
    _, rows = run(northvale, "figures", event=f"{ID}{DETENTIONS}")
    assert [(row[0], row[4], row[5]) for row in rows] == [
        (DETENTIONS, 12, MINISTRY[0]),
        (DETENTIONS, 40, FORWARD[0]),
    ]


CONFLICT_COLUMNS = (
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
    "type",
    "subject",
    "property",
    "value",
    "otherType",
    "otherSubject",
    "otherProperty",
    "otherValue",
)
CLAIM_ONLY = ("gkg:Claim", None, None, None)


def test_conflicting_claims_pair_attributed_figures_and_descriptions_too(
    northvale: KnowledgeGraph,
) -> None:
    columns, rows = run(northvale, "conflicting-claims")
    assert columns == CONFLICT_COLUMNS
    statement = "gkg:AttributedStatement"
    twelve, forty = f"{DETENTIONS}/attributed/1-1", f"{DETENTIONS}/attributed/2-1"
    assert rows == [
        ("claim/ministry-lawful-search-claim", *MINISTRY, "reports",
         "the raid was a lawful search", f"{RAID}/attributed/1-1", *FORWARD, None,
         "description: an attack on democracy", *CLAIM_ONLY, statement, RAID, "gkg:description",
         "an attack on democracy"),
        (twelve, *MINISTRY, None, "detained count: 12", forty, *FORWARD, None,
         "detained count: 40", statement, DETENTIONS, "gkg:detainedCount", 12, statement,
         DETENTIONS, "gkg:detainedCount", 40),
    ]  # fmt: skip


def test_fact_card_shows_a_facts_attributed_statements_and_who_gives_them(
    northvale: KnowledgeGraph,
) -> None:
    card = triples(northvale, "fact-card", fact=f"{ID}{DETENTIONS}")
    forty = f"{DETENTIONS}/attributed/2-1"
    assert {(p, o) for s, p, o in card if s == forty} == {
        ("rdf:type", "gkg:AttributedStatement"),
        ("rdf:type", "rdf:Statement"),
        ("rdf:subject", DETENTIONS),
        ("rdf:predicate", "gkg:detainedCount"),
        ("rdf:object", 40),
        ("gkg:givenBy", FORWARD[0]),
        ("gkg:evidence", f"{forty}/evidence/1"),
        ("gkg:conflictsWith", f"{DETENTIONS}/attributed/1-1"),
    }
    assert (FORWARD[0], "rdfs:label", FORWARD[1]) in card
    # The statement is reified, never asserted on the incident.
    assert not {(s, p) for s, p, _ in card if s == DETENTIONS and p == "gkg:detainedCount"}


# Events recorded before attestations existed cannot be written any more (the shapes
# require an attestation), so they are given here as plain triples in a bare store.
UNATTESTED = f"""
@prefix gkg: <{PREFIXES["gkg"]}> .
@prefix ik: <{PREFIXES["ik"]}> .
@prefix att: <{PREFIXES["att"]}> .
<{ID}incident/old-raid> a gkg:Incident ; gkg:incidentKind ik:raid .
<{ID}incident/new-raid> a gkg:Incident ; gkg:incidentKind ik:raid ; gkg:attestation att:stated .
"""


@pytest.fixture(scope="module")
def unattested() -> ox.Store:
    store = ox.Store()
    for path in turtle_files("ontology"):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    store.load(UNATTESTED.encode(), format=ox.RdfFormat.TURTLE)
    return store


def run_bare(store: ox.Store, name: str, **params: str) -> tuple[tuple[str, ...], list[tuple]]:
    query = QUERIES[name]
    bound = {ox.Variable(k): v for k, v in query.substitutions(params).items()}
    solutions = store.query(query.sparql, substitutions=bound)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = solutions.variables
    rows = [tuple(plain(solution[v]) for v in variables) for solution in solutions]
    return tuple(v.value for v in variables), rows


@pytest.mark.parametrize(
    ("mode", "events"),
    [
        ("attested", ["incident/new-raid"]),
        ("stated", ["incident/new-raid"]),
        ("all", ["incident/new-raid", "incident/old-raid"]),
    ],
)
def test_an_event_without_an_attestation_is_listed_only_with_all(
    unattested: ox.Store, mode: str, events: list[str]
) -> None:
    columns, rows = run_bare(unattested, "timeline", attestation=mode)
    event, attested_as = columns.index("event"), columns.index("attestedAs")
    expected = {"incident/new-raid": "att:stated", "incident/old-raid": None}
    assert [(row[event], row[attested_as]) for row in rows] == [(e, expected[e]) for e in events]


def test_incidents_without_an_attestation_are_counted_apart_only_with_all(
    unattested: ox.Store,
) -> None:
    columns, rows = run_bare(unattested, "incidents-by-kind", attestation="all")
    kind, attested_as, count = (columns.index(c) for c in ("kind", "attestedAs", "incidents"))
    raids = [(row[attested_as], row[count]) for row in rows if row[kind] == "ik:raid"]
    assert raids == [(None, 1), ("att:stated", 1)]
    _, attested = run_bare(unattested, "incidents-by-kind")
    assert [(row[attested_as], row[count]) for row in attested if row[kind] == "ik:raid"] == [
        ("att:stated", 1)
    ]


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
    "attestedAs",
    "reportedBy",
    "allegedBy",
    "attestation",
)
NO_TRIGGER_INVITATION = (
    "The article cites it as a sign of strained relations, not as a response to a recorded event."
)
NO_TRIGGER_VISIT = (
    "The article cites the visit as a sign of strengthening ties between Azerbaijan and "
    "Ukraine, not as a response to a recorded event."
)
CULTURE = ("organization/az-culture-ministry", "Azerbaijani Culture Ministry")
AZ_FM = ("organization/az-foreign-ministry", "Azerbaijani Foreign Ministry")
AZ_GOV = ("organization/az-government", "Azerbaijani government")
AZ_OFFICIALS = ("organization/azerbaijani-officials", "Azerbaijani officials")
VOLOKOVYKH = ("person/pyotr-volokovykh", "Pyotr Volokovykh")
INJURIES = ("incident/yekaterinburg-injuries", "injury")
KILLINGS = ("incident/yekaterinburg-killings", "killing")
RAIDS = ("incident/yekaterinburg-raids", "raid")
NONE2 = (None, None)
# The seed states every response: attestedAs, reportedBy, allegedBy.
STATED = ("att:stated", None, None)
SUMMONS_ROWS = [
    ("response/summons-investigation-demand", *INVESTIGATION_DEMAND, *AZ_OFFICIALS,
     *VOLOKOVYKH, "2025-06-28", None, *NONE2, *KILLINGS, None, *STATED),
    ("response/summons-investigation-demand", *INVESTIGATION_DEMAND, *AZ_OFFICIALS,
     *VOLOKOVYKH, "2025-06-28", None, *NONE2, *RAIDS, None, *STATED),
    ("response/summons-of-volokovykh", "rk:diplomatic-summons", "diplomatic summons", "114",
     *AZ_OFFICIALS, *VOLOKOVYKH, "2025-06-28", None, *NONE2, *KILLINGS, None, *STATED),
    ("response/summons-of-volokovykh", "rk:diplomatic-summons", "diplomatic summons", "114",
     *AZ_OFFICIALS, *VOLOKOVYKH, "2025-06-28", None, *NONE2, *RAIDS, None, *STATED),
]  # fmt: skip
# A planned event has no label: the target's label is its description.
PARADE = ("planned-event/victory-day-parade", "Russia’s Victory Day parade in Moscow")
CULTURAL_EVENTS = (
    "planned-event/russian-cultural-events",
    "cultural events organized by Russian entities",
)
OVERCHUK_VISIT = (
    "planned-event/overchuk-proposed-visit",
    "the proposed visit by Alexey Overchuk to Azerbaijan",
)
STATE_MEDIA = ("organization/az-state-media", "state media")
SEED_RESPONSE_ROWS = [
    ("response/aliyev-declines-victory-day-invitation", "rk:declined-invitation",
     "declined invitation", "125", "person/ilham-aliyev", "Ilham Aliyev", *PARADE, None, None,
     *NONE2, *NONE2, NO_TRIGGER_INVITATION, *STATED),
    ("response/cultural-events-cancellation", "rk:cancellation", "cancellation", "160",
     *CULTURE, *CULTURAL_EVENTS, "2025-06-29", None, "organization/x-platform", "X", *KILLINGS,
     None, *STATED),
    ("response/foreign-ministry-investigation-demand", *INVESTIGATION_DEMAND,
     *AZ_FM, *NONE2, None, None, *NONE2, *INJURIES, None, *STATED),
    ("response/foreign-ministry-investigation-demand", *INVESTIGATION_DEMAND,
     *AZ_FM, *NONE2, None, None, *NONE2, *KILLINGS, None, *STATED),
    ("response/foreign-ministry-investigation-demand", *INVESTIGATION_DEMAND,
     *AZ_FM, *NONE2, None, None, *NONE2, *RAIDS, None, *STATED),
    ("response/overchuk-visit-cancellation", "rk:cancellation", "cancellation", "160",
     *AZ_GOV, *OVERCHUK_VISIT, None, None, *STATE_MEDIA, *KILLINGS, None, *STATED),
    ("response/overchuk-visit-cancellation", "rk:cancellation", "cancellation", "160",
     *AZ_GOV, *OVERCHUK_VISIT, None, None, *STATE_MEDIA, *RAIDS, None, *STATED),
    ("response/putin-apology", "rk:apology", "apology", "055", "person/vladimir-putin",
     "President Putin", "person/ilham-aliyev", "Ilham Aliyev", None, None, *NONE2,
     "incident/kazakhstan-airliner-crash", "aircraft crash", None, *STATED),
    *SUMMONS_ROWS,
    ("response/sybiha-visit-to-baku", "rk:visit", "visit", "042", "person/andrii-sybiha",
     "Andrii Sybiha", *NONE2, None, None, *NONE2, *NONE2, NO_TRIGGER_VISIT, *STATED),
]  # fmt: skip


def test_responses_list_kind_actor_target_time_channel_and_trigger(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "responses")
    assert columns == RESPONSE_COLUMNS
    assert rows == [(*row, "attested") for row in SEED_RESPONSE_ROWS]


def test_responses_with_all_on_the_seed_are_the_same_since_it_alleges_no_response(
    seed_graph: KnowledgeGraph,
) -> None:
    _, rows = run(seed_graph, "responses", attestation="all")
    assert rows == [(*row, "all") for row in SEED_RESPONSE_ROWS]


def test_responses_by_an_actor_are_only_that_actors(seed_graph: KnowledgeGraph) -> None:
    columns, rows = run(seed_graph, "responses", actor=f"{ID}organization/azerbaijani-officials")
    assert columns == RESPONSE_COLUMNS
    assert rows == [(*row, "attested") for row in SUMMONS_ROWS]


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
    "before",
    "startDate",
    "endDate",
    "duration",
    "notBefore",
    "notAfter",
    "dateSource",
    "attestedAs",
    "reportedBy",
    "allegedBy",
    "since",
    "attestation",
)
NO_SPAN = (None,) * 7
"""before, startDate, endDate, duration, notBefore, notAfter, dateSource: none given."""
UNDATED = (None, None, None, None, None, None, *NO_SPAN)
SATURDAY = ("2025-06-28", None, "On Saturday", "tres:relative-to-publication", None, *NO_SPAN)


def seed_timeline(mode: str) -> list[tuple]:
    """The seed's timeline; alleged events only with `all`."""

    def undated(event: str, kind: str, label: str, summary: str, *attested: str | None) -> tuple:
        event_type = "gkg:Incident" if event.startswith("incident/") else "gkg:Response"
        return (None, event, event_type, kind, label, summary, *UNDATED[1:], *attested, None,
                mode)  # fmt: skip

    def response(event: str, kind: str, label: str, summary: str) -> tuple:
        return undated(f"response/{event}", f"rk:{kind}", label, summary, *STATED)

    alleged = [
        undated("incident/airliner-downing", "ik:downing", "downing",
                "the unintentional downing of the airliner through electronic warfare, as "
                "contended by Ilham Aliyev", "att:alleged", None, "Ilham Aliyev"),
        undated("incident/detainee-ill-treatment", "ik:ill-treatment", "ill-treatment",
                "detainees physically abused and subjected to electric shocks, as alleged by "
                "Sayfaddin Huseynli", "att:alleged", None, "Sayfaddin Huseynli"),
    ]  # fmt: skip
    return [
        ("2024-12-01", "incident/kazakhstan-airliner-crash", "gkg:Incident", "ik:aircraft-crash",
         "aircraft crash", "crash of an Azerbaijani airliner in Kazakhstan", None, "2024-12",
         "in December", "tres:month-only", None, *NO_SPAN, *STATED, None, mode),
        # Undated, but later than the Victory Day parade in May: placed after its first day.
        (None, "response/sybiha-visit-to-baku", "gkg:Response", "rk:visit", "visit",
         "Andrii Sybiha visits Baku", None, None, "later", "tres:relative-to-event",
         "planned-event/victory-day-parade", *NO_SPAN, *STATED, None, mode),
        ("2025-06-28", "response/summons-investigation-demand", "gkg:Response",
         *INVESTIGATION_DEMAND[:2], "the demand for an investigation made at the summons",
         *SATURDAY, *STATED, None, mode),
        ("2025-06-28", "response/summons-of-volokovykh", "gkg:Response",
         "rk:diplomatic-summons", "diplomatic summons",
         "the summons of the Russian chargé d’affaires, Pyotr Volokovykh", *SATURDAY, *STATED,
         None, mode),
        ("2025-06-29", "response/cultural-events-cancellation", "gkg:Response",
         "rk:cancellation", "cancellation",
         "Azerbaijan cancels cultural events organized by Russian entities", "2025-06-29", None,
         "on Sunday", "tres:relative-to-publication", None, *NO_SPAN, *STATED, None, mode),
        *(alleged if mode == "all" else []),
        undated("incident/yekaterinburg-detentions", "ik:detention", "detention",
                "detentions in Yekaterinburg during the raids", "att:reported",
                "Azerbaijani Foreign Ministry; Maria Zakharova", None),
        undated("incident/yekaterinburg-injuries", "ik:injury", "injury",
                "serious injuries to others during the raids", "att:reported",
                "Azerbaijani Foreign Ministry", None),
        undated("incident/yekaterinburg-killings", "ik:killing", "killing",
                "the killing of two Azerbaijani citizens after the Yekaterinburg raids", *STATED),
        undated("incident/yekaterinburg-raids", "ik:raid", "raid",
                "police raids on Azerbaijani residences in Yekaterinburg", *STATED),
        response("aliyev-declines-victory-day-invitation", "declined-invitation",
                 "declined invitation",
                 "Ilham Aliyev declines the invitation to the Victory Day parade"),
        response("foreign-ministry-investigation-demand", "demand-investigation",
                 DEMANDS_INVESTIGATION,
                 "the Azerbaijani Foreign Ministry expects an investigation"),
        response("overchuk-visit-cancellation", "cancellation", "cancellation",
                 "Azerbaijan cancels Alexey Overchuk’s proposed visit"),
        response("putin-apology", "apology", "apology",
                 "President Putin apologizes to Aliyev for the “tragic incident”"),
    ]  # fmt: skip


def test_timeline_orders_events_by_resolved_date_and_puts_undated_events_last(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "timeline")
    assert columns == TIMELINE_COLUMNS
    assert rows == seed_timeline("attested")


def test_timeline_with_all_adds_the_seeds_two_alleged_incidents(
    seed_graph: KnowledgeGraph,
) -> None:
    _, rows = run(seed_graph, "timeline", attestation="all")
    assert rows == seed_timeline("all")


def test_timeline_since_keeps_only_events_on_or_after_the_date(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "timeline", since="2025-06-01")
    day, event, since = (columns.index(c) for c in ("day", "event", "since"))
    assert [(row[day], row[event], row[since]) for row in rows] == [
        ("2025-06-28", "response/summons-investigation-demand", "2025-06-01"),
        ("2025-06-28", "response/summons-of-volokovykh", "2025-06-01"),
        ("2025-06-29", "response/cultural-events-cancellation", "2025-06-01"),
    ]


def test_timeline_compares_a_month_only_event_by_the_first_day_of_its_month(
    seed_graph: KnowledgeGraph,
) -> None:
    crash = "incident/kazakhstan-airliner-crash"
    _, on_first_day = run(seed_graph, "timeline", since="2024-12-01")
    _, on_second_day = run(seed_graph, "timeline", since="2024-12-02")
    assert crash in [row[1] for row in on_first_day]
    assert crash not in [row[1] for row in on_second_day]
    assert [row[1] for row in on_first_day][1:] == [row[1] for row in on_second_day]


# -- casualties ----------------------------------------------------------------


def seed_casualties(mode: str) -> list[tuple]:
    """The seed's casualties: the article's numbers, then the Foreign Ministry's nine."""
    article = OWN_VOICE
    yekaterinburg = ("place/yekaterinburg", "Yekaterinburg")
    detention = ("incident/yekaterinburg-detentions", "ik:detention", "detention", *yekaterinburg)
    detention_reported = ("att:reported", "Azerbaijani Foreign Ministry; Maria Zakharova", None)
    alleged = [
        ("incident/airliner-downing", "ik:downing", "downing", *NONE2, *article, None, None,
         None, None, "att:alleged", None, "Ilham Aliyev", mode),
        ("incident/detainee-ill-treatment", "ik:ill-treatment", "ill-treatment", *NONE2,
         *article, None, None, None, None, "att:alleged", None, "Sayfaddin Huseynli", mode),
    ]  # fmt: skip
    return [
        *(alleged if mode == "all" else []),
        ("incident/kazakhstan-airliner-crash", "ik:aircraft-crash", "aircraft crash",
         "state/kazakhstan", "Kazakhstan", *article, 38, None, None, 67, *STATED, mode),
        # The article gives no number of detained of its own: nine is the Foreign Ministry's.
        (*detention, *article, None, None, None, None, *detention_reported, mode),
        (*detention, *AZ_FM, None, None, 9, None, *detention_reported, mode),
        ("incident/yekaterinburg-injuries", "ik:injury", "injury", *yekaterinburg, *article,
         None, None, None, None, "att:reported", "Azerbaijani Foreign Ministry", None, mode),
        ("incident/yekaterinburg-killings", "ik:killing", "killing", *yekaterinburg, *article,
         2, None, None, None, *STATED, mode),
        ("incident/yekaterinburg-raids", "ik:raid", "raid",
         "place/azerbaijani-residences-yekaterinburg", "Azerbaijani residences", *article,
         None, None, None, None, *STATED, mode),
    ]  # fmt: skip


def test_casualties_give_the_reported_counts_per_incident_and_leave_absent_ones_unbound(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "casualties")
    assert columns == CASUALTY_COLUMNS
    assert rows == [described(row) for row in seed_casualties("attested")]


def test_casualties_with_all_add_the_seeds_alleged_incidents(seed_graph: KnowledgeGraph) -> None:
    _, rows = run(seed_graph, "casualties", attestation="all")
    assert rows == [described(row) for row in seed_casualties("all")]


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
         "Deputy Prime Minister", "organization/ru-government", "Russian government",
         *russia, False),
        ("person/andrii-sybiha", "Andrii Sybiha", "post/sybiha-foreign-minister",
         "Foreign Minister", *NONE2, "state/ukraine", "Ukraine", False),
        ("person/ilham-aliyev", "Ilham Aliyev", "post/aliyev-president", "President", *NONE2,
         "state/azerbaijan", "Azerbaijan", False),
        ("person/maria-zakharova", "Maria Zakharova", "post/zakharova-spokeswoman",
         "spokeswoman", *RU_FM, *russia, False),
        # The article says only "President Putin": Russia is world knowledge here.
        ("person/vladimir-putin", "President Putin", "post/putin-president", "President",
         *NONE2, *russia, True),
        ("person/pyotr-volokovykh", "Pyotr Volokovykh", "post/volokovykh-charge-d-affaires",
         "chargé d’affaires", "organization/russian-embassy-baku", "Russian Embassy",
         *russia, False),
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
RU_FM = ("organization/ru-foreign-ministry", "Russian Foreign Ministry")
PUTIN = ("person/vladimir-putin", "President Putin")


HUSEYNLI_ALLEGES = [
    (*HUSEYNLI, *ALLEGES, "claim/huseynli-barbaric-raids-claim", "the raids were barbaric", *ITV),
    (*HUSEYNLI, *ALLEGES, "claim/huseynli-detainee-abuse-claim", ABUSE, *ITV),
    (*HUSEYNLI, *ALLEGES, "claim/huseynli-killed-without-trial-claim", WITHOUT_TRIAL, *ITV),
    (*HUSEYNLI, *ALLEGES, "claim/huseynli-night-invasion-claim",
     "“These Russian law enforcement personnel invaded homes at night, mercilessly dragging "
     "people out like animals”", *NONE2),
]  # fmt: skip


def test_claims_by_speaker_list_every_claim_under_each_of_its_speakers(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "claims-by-speaker")
    assert columns == CLAIM_COLUMNS
    assert rows == [
        (*CULTURE, *ALLEGES, "claim/culture-ministry-ethnic-discrimination-claim",
         "ethnic discrimination was the motivator for the killings", *X),
        (*CULTURE, *ALLEGES, "claim/culture-ministry-extrajudicial-killings-claim",
         EXTRAJUDICIAL, *X),
        (*AZ_FM, *REPORTS, "claim/foreign-ministry-raids-report",
         "Russian authorities conducted raids on Azerbaijani residences in Yekaterinburg, "
         "leading to the deaths of two individuals, serious injuries to others, and the "
         "detention of nine people", *NONE2),
        (*AZ_GOV, *REPORTS, "claim/government-visit-inappropriate-claim",
         "it is inappropriate for Overchuk or any other Russian representatives to visit "
         "Azerbaijan under the present conditions", *STATE_MEDIA),
        (*ALIYEV, *ALLEGES, "claim/aliyev-electronic-warfare-claim", ALIYEV_CLAIM, *NONE2),
        (*ZAKHAROVA, *ALLEGES, "claim/zakharova-raids-investigations-claim",
         RAIDS_INVESTIGATIONS, *NONE2),
        (*ZAKHAROVA, *DECLINES, "claim/zakharova-deaths-unaddressed", "the reported deaths",
         *NONE2),
        (*ZAKHAROVA, *REPORTS, "claim/zakharova-detentions-targeted-claim",
         "the detentions targeted Russian citizens of Azerbaijani descent", *NONE2),
        (*PUTIN, "cs:does-not-concede", "does not concede", "claim/putin-no-liability-claim",
         "liability for the mishap", *NONE2),
        (*RU_FM, *DECLINES, "claim/zakharova-deaths-unaddressed", "the reported deaths",
         *NONE2),
        *HUSEYNLI_ALLEGES,
    ]  # fmt: skip


def test_claims_by_speaker_with_a_status_keep_only_that_status(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "claims-by-speaker", status="cs:alleges")
    assert columns == CLAIM_COLUMNS
    assert rows == [
        (*CULTURE, *ALLEGES, "claim/culture-ministry-ethnic-discrimination-claim",
         "ethnic discrimination was the motivator for the killings", *X),
        (*CULTURE, *ALLEGES, "claim/culture-ministry-extrajudicial-killings-claim",
         EXTRAJUDICIAL, *X),
        (*ALIYEV, *ALLEGES, "claim/aliyev-electronic-warfare-claim", ALIYEV_CLAIM, *NONE2),
        (*ZAKHAROVA, *ALLEGES, "claim/zakharova-raids-investigations-claim",
         RAIDS_INVESTIGATIONS, *NONE2),
        *HUSEYNLI_ALLEGES,
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
    "the killing of two Azerbaijani citizens after the Yekaterinburg raids",
    DEATHS_QUOTE,
)


def test_declined_to_address_lists_what_each_speaker_held_back(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "declined-to-address")
    assert columns == DECLINED_COLUMNS
    putin = (
        *PUTIN,
        "cs:does-not-concede",
        "does not concede",
        "claim/putin-no-liability-claim",
        "liability for the mishap",
    )
    quote = "he did not concede liability for the mishap"
    assert rows == [
        (*ZAKHAROVA, *ZAKHAROVA_DECLINED),
        (*putin, "incident/kazakhstan-airliner-crash",
         "crash of an Azerbaijani airliner in Kazakhstan", quote),
        (*putin, "response/putin-apology",
         "President Putin apologizes to Aliyev for the “tragic incident”", quote),
        (*RU_FM, *ZAKHAROVA_DECLINED),
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
    """The seed's conflicts are all between claims: the statement columns stay unbound."""
    columns, rows = run(seed_graph, "conflicting-claims")
    assert columns == CONFLICT_COLUMNS
    zakharova = (
        "claim/zakharova-raids-investigations-claim",
        *ZAKHAROVA,
        "alleges",
        RAIDS_INVESTIGATIONS,
    )
    assert rows == [
        ("claim/aliyev-electronic-warfare-claim", *ALIYEV, "alleges", ALIYEV_CLAIM,
         "claim/putin-no-liability-claim", *PUTIN, "does not concede",
         "liability for the mishap", *CLAIM_ONLY, *CLAIM_ONLY),
        ("claim/culture-ministry-ethnic-discrimination-claim", *CULTURE, "alleges",
         "ethnic discrimination was the motivator for the killings", *zakharova, *CLAIM_ONLY,
         *CLAIM_ONLY),
        ("claim/culture-ministry-extrajudicial-killings-claim", *CULTURE, "alleges",
         EXTRAJUDICIAL, *zakharova, *CLAIM_ONLY, *CLAIM_ONLY),
        ("claim/huseynli-killed-without-trial-claim", *HUSEYNLI, "alleges", WITHOUT_TRIAL,
         *zakharova, *CLAIM_ONLY, *CLAIM_ONLY),
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
    # "in May" dates the parade (a planned event), not the declining of the invitation.
    "invitation": ("response/aliyev-declines-victory-day-invitation", "declined invitation",
                   None, None),
    "culture": ("response/cultural-events-cancellation", "cancellation", "2025-06-29", None),
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
        ("person/vladimir-putin", "President Putin", "wd:Q7747", f"{wiki}Q7747"),
        ("state/russia", "Russia", "wd:Q159", f"{wiki}Q159"),
        ("state/ukraine", "Ukraine", "wd:Q212", f"{wiki}Q212"),
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

    def alt_label(subject: str, label: str, alt: str, source: str, n: str = "1-1") -> tuple:
        return (f"{subject}/world/{n}", subject, label, "skos:altLabel", "alternative label",
                alt, None, source, None, entities)  # fmt: skip

    assert rows == [
        (f"{ARTICLE}/world/1-1", ARTICLE, TITLE, "gkg:published", "published", "2025-06-29",
         None, None, PUBLISHED_NOTE, ARTICLE),
        alt_label(*CULTURE, "Ministry of Culture of the Republic of Azerbaijan",
                  "https://culture.gov.az/"),
        alt_label(*AZ_FM, "Ministry of Foreign Affairs of the Republic of Azerbaijan",
                  "https://mfa.gov.az/"),
        alt_label(*RU_FM, "Ministry of Foreign Affairs of the Russian Federation",
                  "https://mid.ru/en/"),
        alt_label("organization/ru-government", "Russian government",
                  "Government of the Russian Federation", "http://government.ru/en/"),
        # One world entry with two statements; skos: sorts before schema: (http < https).
        alt_label(*PUTIN, "Vladimir Putin", f"{wiki}Q7747", "1-2"),
        same_as(*PUTIN, "Q7747"),
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
        "byline",
        "publisher",
        "originalPublisher",
        "originalUrl",
        "facts",
        "entities",
    )
    # 6 posts + 7 incidents + 8 responses + 13 claims + 3 relations (planned events are not
    # counted); 10 entities declared (4 persons, 2 groups, 3 unnamed entities, 1 residence).
    assert rows == [
        (ARTICLE, TITLE, "en", "2025-06-29", True, None, PUBLISHED_NOTE, None, None, None,
         None, 37, 10)
    ]  # fmt: skip


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
        (*RUSSIA, "incident/airliner-downing", "gkg:Incident", "gkg:involves", "involves",
         "role:perpetrator", "perpetrator", False),
        post("overchuk-deputy-prime-minister", False),
        post("putin-president", True),
        post("volokovykh-charge-d-affaires", False),
        post("zakharova-spokeswoman", False),
        party("azerbaijan-russia-strained"),
        party("russia-azerbaijan-escalating"),
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
    ]


# -- events: participants, kinds, links, places ------------------------------------

PARTICIPANT_COLUMNS = (
    "event",
    "eventKindLabel",
    "eventDescription",
    "agent",
    "agentLabel",
    "role",
    "roleLabel",
)
NINE = ("group/nine-detainees", "detainees")
LAW = ("organization/ru-law-enforcement", "Russian law enforcement")
DETENTION_PARTICIPANTS = [
    with_description(row)
    for row in (
        ("incident/yekaterinburg-detentions", "detention", *NINE, "role:detainee", "detainee"),
        ("incident/yekaterinburg-detentions", "detention", *LAW, "role:perpetrator",
         "perpetrator"),
    )
]  # fmt: skip


def test_participants_give_each_agent_of_each_event_with_its_role(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "participants")
    assert columns == PARTICIPANT_COLUMNS
    victim = ("role:victim", "victim")
    addressee = ("role:addressee", "addressee")
    assert rows[2:4] == DETENTION_PARTICIPANTS
    assert rows[:2] + rows[4:] == [with_description(row) for row in [
        ("incident/airliner-downing", "downing", *RUSSIA, "role:perpetrator", "perpetrator"),
        ("incident/detainee-ill-treatment", "ill-treatment", *NINE, *victim),
        ("incident/yekaterinburg-injuries", "injury", "group/injured-others", "others",
         *victim),
        ("incident/yekaterinburg-killings", "killing", "person/huseyn-safarov",
         "Huseyn Safarov", *victim),
        ("incident/yekaterinburg-killings", "killing", "person/ziyaddin-safarov",
         "Ziyaddin Safarov", *victim),
        ("incident/yekaterinburg-raids", "raid", *LAW, "role:perpetrator", "perpetrator"),
        # A planned event has kinds of its own (gkg:plannedKind), not an event kind.
        ("planned-event/overchuk-proposed-visit", None, "person/alexey-overchuk",
         "Alexey Overchuk", "role:visitor", "visitor"),
        ("response/aliyev-declines-victory-day-invitation", "declined invitation", *ALIYEV,
         "role:invitee", "invitee"),
        ("response/cultural-events-cancellation", "cancellation",
         "organization/azerbaijani-authorities", "Azerbaijani authorities", "role:speaker",
         "speaker"),
        ("response/putin-apology", "apology", *ALIYEV, *addressee),
        ("response/summons-investigation-demand", DEMANDS_INVESTIGATION, *VOLOKOVYKH, *addressee),
        ("response/summons-of-volokovykh", "diplomatic summons", *VOLOKOVYKH, *addressee),
        ("response/sybiha-visit-to-baku", "visit", "person/andrii-sybiha", "Andrii Sybiha",
         "role:visitor", "visitor"),
    ]]  # fmt: skip


def test_participants_of_one_event(seed_graph: KnowledgeGraph) -> None:
    columns, rows = run(seed_graph, "participants", event=f"{ID}incident/yekaterinburg-detentions")
    assert columns == PARTICIPANT_COLUMNS
    assert rows == DETENTION_PARTICIPANTS


def test_incidents_by_kind_count_every_kind_with_its_cameo_and_acled_codes(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "incidents-by-kind")
    assert columns == INCIDENT_KIND_COLUMNS
    stated = ("att:stated", 1, None, None)
    assert rows == [
        incident_kind_row("aircraft-crash", stated, "attested"),
        incident_kind_row("detention", ("att:reported", 1,
                          "Azerbaijani Foreign Ministry; Maria Zakharova", None), "attested"),
        incident_kind_row("injury", ("att:reported", 1, "Azerbaijani Foreign Ministry", None),
                          "attested"),
        incident_kind_row("killing", stated, "attested"),
        incident_kind_row("raid", stated, "attested"),
        *none_counted("attested", "aircraft-crash", "detention", "injury", "killing", "raid"),
    ]  # fmt: skip


def test_incidents_by_kind_with_all_count_the_seeds_alleged_incidents(
    seed_graph: KnowledgeGraph,
) -> None:
    _, rows = run(seed_graph, "incidents-by-kind", attestation="all")
    stated = ("att:stated", 1, None, None)
    assert rows == [
        incident_kind_row("aircraft-crash", stated, "all"),
        incident_kind_row("detention", ("att:reported", 1,
                          "Azerbaijani Foreign Ministry; Maria Zakharova", None), "all"),
        incident_kind_row("downing", ("att:alleged", 1, None, "Ilham Aliyev"), "all"),
        incident_kind_row("ill-treatment", ("att:alleged", 1, None, "Sayfaddin Huseynli"), "all"),
        incident_kind_row("injury", ("att:reported", 1, "Azerbaijani Foreign Ministry", None),
                          "all"),
        incident_kind_row("killing", stated, "all"),
        incident_kind_row("raid", stated, "all"),
        *none_counted("all", "aircraft-crash", "detention", "downing", "ill-treatment", "injury",
                      "killing", "raid"),
    ]  # fmt: skip


@pytest.mark.parametrize("mode", ["attested", "all"])
def test_responses_by_kind_count_every_kind_most_frequent_first(
    seed_graph: KnowledgeGraph, mode: str
) -> None:
    """The seed states every response, so `all` counts the same."""
    columns, rows = run(seed_graph, "responses-by-kind", attestation=mode)
    assert columns == RESPONSE_KIND_COLUMNS
    assert rows == [
        response_kind_row("cancellation", ("att:stated", 2, None, None), mode),
        response_kind_row("demand-investigation", ("att:stated", 2, None, None), mode),
        response_kind_row("apology", ("att:stated", 1, None, None), mode),
        response_kind_row("declined-invitation", ("att:stated", 1, None, None), mode),
        response_kind_row("diplomatic-summons", ("att:stated", 1, None, None), mode),
        response_kind_row("visit", ("att:stated", 1, None, None), mode),
        *uncounted_response_kind_rows(
            {"cancellation", "demand-investigation", "apology", "declined-invitation",
             "diplomatic-summons", "visit"},
            mode,
        ),
    ]  # fmt: skip


def test_figures_on_the_seed_are_the_articles_numbers_and_the_foreign_ministrys_nine(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "figures")
    assert columns == FIGURE_COLUMNS
    article = (ARTICLE, TITLE, None, "att:stated")
    crash = ("incident/kazakhstan-airliner-crash", "gkg:Incident")
    detentions = "incident/yekaterinburg-detentions"
    assert rows == [
        (*crash, "gkg:aboardCount", "aboard count", 67, *article),
        (*crash, "gkg:killedCount", "killed count", 38, *article),
        (detentions, "gkg:Incident", *DETAINED, 9, *AZ_FM, f"{detentions}/attributed/1-1",
         "att:reported"),
        ("incident/yekaterinburg-killings", "gkg:Incident", "gkg:killedCount", "killed count", 2,
         *article),
    ]  # fmt: skip


def test_event_links_give_results_parts_and_undated_order(seed_graph: KnowledgeGraph) -> None:
    columns, rows = run(seed_graph, "event-links")
    assert columns == (
        "event",
        "eventKindLabel",
        "eventDescription",
        "link",
        "linkLabel",
        "other",
        "otherKindLabel",
        "otherDescription",
    )
    result_of = ("gkg:resultOf", "result of")
    assert rows == [(*with_description(row), EVENT_DESCRIPTIONS[row[4]]) for row in [
        ("incident/airliner-downing", "downing", "gkg:partOf", "part of",
         "incident/kazakhstan-airliner-crash", "aircraft crash"),
        ("incident/detainee-ill-treatment", "ill-treatment", *result_of,
         "incident/yekaterinburg-detentions", "detention"),
        ("incident/yekaterinburg-detentions", "detention", *result_of, *RAIDS),
        ("incident/yekaterinburg-injuries", "injury", *result_of, *RAIDS),
        ("incident/yekaterinburg-killings", "killing", *result_of, *RAIDS),
        ("response/summons-investigation-demand", DEMANDS_INVESTIGATION, "gkg:partOf", "part of",
         "response/summons-of-volokovykh", "diplomatic summons"),
        ("response/sybiha-visit-to-baku", "visit", "gkg:after", "after",
         "planned-event/victory-day-parade", None),
    ]]  # fmt: skip


PLACE_COLUMNS = (
    "place",
    "placeLabel",
    "event",
    "eventKindLabel",
    "eventPlace",
    "eventPlaceLabel",
    "date",
    "month",
    "siteRoleLabel",
)
YEKATERINBURG = ("place/yekaterinburg", "Yekaterinburg")
RESIDENCES = ("place/azerbaijani-residences-yekaterinburg", "Azerbaijani residences")
MOSCOW_PARADE = ("planned-event/victory-day-parade", None, "place/moscow", "Moscow", None,
                 "2025-05")  # fmt: skip


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
    assert rows == [(*row, None) for row in [  # the seed's events have no sites
        (*AZERBAIJAN, "planned-event/overchuk-proposed-visit", None, *AZERBAIJAN, *NONE2),
        (*AZERBAIJAN, *sybiha),
        (*RESIDENCES, "incident/yekaterinburg-raids", "raid", *RESIDENCES, *NONE2),
        ("place/baku", "Baku", *sybiha),
        (*kazakhstan, "incident/kazakhstan-airliner-crash", "aircraft crash", *kazakhstan,
         None, "2024-12"),
        ("place/moscow", "Moscow", *MOSCOW_PARADE),
        *yekaterinburg_events(RUSSIA),
        (*RUSSIA, *MOSCOW_PARADE),
        *yekaterinburg_events(("place/ural-mountains", "Ural Mountains")),
        *yekaterinburg_events(YEKATERINBURG),
    ]]  # fmt: skip


def test_places_within_a_state_follow_located_in_transitively(
    seed_graph: KnowledgeGraph,
) -> None:
    columns, rows = run(seed_graph, "places", place=f"{ID}state/russia")
    assert columns == PLACE_COLUMNS
    expected = [*yekaterinburg_events(RUSSIA), (*RUSSIA, *MOSCOW_PARADE)]
    assert rows == [(*row, None) for row in expected]


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
        ("claim/putin-no-liability-claim", "gkg:about", "response/putin-apology"),
        ("person/vladimir-putin", "rdfs:label", "President Putin"),
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
        ("rdf:type", "gkg:Event"),  # entailed: stored with the data
        ("gkg:attestation", "att:stated"),
        ("gkg:description", "police raids on Azerbaijani residences in Yekaterinburg"),
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
