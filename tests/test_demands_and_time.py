"""Demands and their outcomes, and time as articles give it, on an article of the tests' own.

tests/data/demands/varnia-apology: an ambassador detained, three demands made at a summons
(an apology, refused; a release, complied with; an explanation, pending), a fourth reported
by television with no outcome, a span, a duration, a bound, undated events ordered by
before/after, and a date that only world knowledge gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkg.pipeline import validate_files
from graphkg.store import KnowledgeGraph

from conftest import BACKENDS, BASE, fact_file_variant, run, store_built_from, violations

DEMANDS_DATA = Path(__file__).resolve().parent / "data" / "demands"
ARTICLE = DEMANDS_DATA / "varnia-apology"

MINISTRY = ("organization/varnia-foreign-ministry", "Varnia’s Foreign Ministry")
KESTRIA = ("state/kestria", "Kestria")
VARNIA = ("state/varnia", "Varnia")
RUSK = ("person/pavel-rusk", "Pavel Rusk")
DETENTION = "the detention of Varnia’s ambassador and two embassy drivers outside Dolvin"
CONDITION = "Ms Marsh would not return to Dolvin until a full apology is given"
REFUSAL = ("response/apology-refusal", "Kestria’s refusal to apologize")


@pytest.fixture(scope="module", params=BACKENDS)
def varnia(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KnowledgeGraph]:
    with store_built_from(tmp_path_factory, DEMANDS_DATA, request.param) as built:
        yield built


# -- demands ---------------------------------------------------------------------

APOLOGY = ("response/apology-demand", "rk:demand", "demand", "100", *MINISTRY, *KESTRIA,
           "rk:apology", "apology", None, DETENTION, CONDITION, "dout:refused", "refused",
           *REFUSAL, "att:stated")  # fmt: skip
RELEASE = ("response/drivers-release-demand", "rk:demand-release", "demand for release", "1053",
           *MINISTRY, *KESTRIA, None, None, None, "the two embassy drivers", None,
           "dout:complied", "complied", "response/drivers-release",
           "Kestria’s release of the two embassy drivers", "att:stated")  # fmt: skip
EXPLANATION = ("response/explanation-demand", "rk:demand", "demand", "100", *MINISTRY, *KESTRIA,
               "rk:explanation", "explanation",
               "an explanation of why the ambassador had been held", DETENTION, None,
               "dout:pending", "pending", None, None, "att:stated")  # fmt: skip
PERSONAL_APOLOGY = ("response/personal-apology-demand", "rk:demand", "demand", "100", *VARNIA,
                    *RUSK, "rk:apology", "apology", None, None, None, None, None, None, None,
                    "att:reported")  # fmt: skip


def test_every_demand_lists_what_whom_and_its_outcome(varnia: KnowledgeGraph) -> None:
    columns, rows = run(varnia, "demands")
    assert columns == (
        "demand", "kind", "kindLabel", "cameo", "actor", "actorLabel", "addressee",
        "addresseeLabel", "demandedAct", "demandedActLabel", "content", "concerns", "condition",
        "outcome", "outcomeLabel", "answeredBy", "answerDescription", "attestedAs",
        "attestation",
    )  # fmt: skip
    assert rows == [(*row, "attested") for row in (APOLOGY, RELEASE, EXPLANATION, PERSONAL_APOLOGY)]


def test_stated_demands_leave_out_the_one_television_reported(varnia: KnowledgeGraph) -> None:
    _, rows = run(varnia, "demands", attestation="stated")
    assert rows == [(*row, "stated") for row in (APOLOGY, RELEASE, EXPLANATION)]


def test_demands_for_an_apology_say_whether_they_were_met(varnia: KnowledgeGraph) -> None:
    columns, rows = run(varnia, "apology-demands")
    assert columns == (
        "demand", "description", "actor", "actorLabel", "addressee", "addresseeLabel",
        "condition", "outcome", "outcomeLabel", "met", "answeredBy", "answerDescription",
        "attestedAs", "attestation",
    )  # fmt: skip
    assert rows == [
        ("response/apology-demand", "Varnia’s demand for a full apology from Kestria", *MINISTRY,
         *KESTRIA, CONDITION, "dout:refused", "refused", False, *REFUSAL, "att:stated",
         "attested"),
        # The article does not say what became of it: neither met nor unmet.
        ("response/personal-apology-demand",
         "Varnia’s demand for a personal apology from Pavel Rusk", *VARNIA, *RUSK, None, None,
         None, None, None, None, "att:reported", "attested"),
    ]  # fmt: skip
    _, stated = run(varnia, "apology-demands", attestation="stated")
    assert [row[0] for row in stated] == ["response/apology-demand"]


def test_the_refusal_is_a_claim_status_too(varnia: KnowledgeGraph) -> None:
    columns, rows = run(varnia, "claims-by-speaker", status="cs:refuses")
    speaker, status, claim, content = (
        columns.index(c) for c in ("speakerLabel", "statusLabel", "claim", "content")
    )
    assert [(row[speaker], row[status], row[claim], row[content]) for row in rows] == [
        ("Pavel Rusk", "refuses", "claim/rusk-refusal-claim",
         "Kestria will not apologize for the detention of Varnia’s ambassador"),
    ]  # fmt: skip


# -- time --------------------------------------------------------------------------

TIME_COLUMNS = ("event", "day", "expression", "after", "before", "startDate", "endDate",
                "duration", "notAfter", "dateSource")  # fmt: skip
WORLD_SOURCE = "https://example.org/varnia-foreign-ministry/statements/2026-03-16"
SUMMONS = "response/envoy-summons"


def timeline(kg: KnowledgeGraph, **params: str) -> list[tuple]:
    columns, rows = run(kg, "timeline", **params)
    keep = [columns.index(c) for c in TIME_COLUMNS]
    return [tuple(row[i] for i in keep) for row in rows]


def at_the_summons(event: str) -> tuple:
    return (event, "2026-11-09", "At the summons", None, None, None, None, None, None, None)


def test_timeline_places_spans_durations_bounds_and_undated_events(
    varnia: KnowledgeGraph,
) -> None:
    assert timeline(varnia) == [
        # The day is world knowledge: the timeline says where it comes from.
        ("incident/spring-detention", "2026-03-14", "in the spring", None, None, None, None,
         None, None, WORLD_SOURCE),
        ("incident/marsh-detention", "2026-11-05", "on November 5", *(None,) * 7),
        # Undated, after the detention: just after its day.
        ("response/visa-suspension", None, "for two days after the detention",
         "incident/marsh-detention", None, None, None, "P2D", None, None),
        # A span counts from its first day.
        ("incident/embassy-demonstration", "2026-11-07", "on November 7-8", None, None,
         "2026-11-07", "2026-11-08", None, None, None),
        # Undated, before the summons: just before its day.
        ("response/marsh-recall", None, "before the summons", None, SUMMONS, *(None,) * 5),
        at_the_summons("response/apology-demand"),
        at_the_summons("response/drivers-release-demand"),
        (SUMMONS, "2026-11-09", "on Monday", *(None,) * 7),
        at_the_summons("response/explanation-demand"),
        # "by Friday", after the demand it met: just after the demand's day.
        ("response/drivers-release", None, "by Friday", "response/drivers-release-demand",
         None, None, None, None, "2026-11-13", None),
        ("response/apology-refusal", "2026-11-11", "On Wednesday", *(None,) * 7),
        # Nothing places it: last.
        ("response/personal-apology-demand", *(None,) * 9),
    ]  # fmt: skip


def test_timeline_since_keeps_dated_events_and_spans_from_that_day(
    varnia: KnowledgeGraph,
) -> None:
    assert [row[0] for row in timeline(varnia, since="2026-11-07")] == [
        "incident/embassy-demonstration",
        "response/apology-demand",
        "response/drivers-release-demand",
        SUMMONS,
        "response/explanation-demand",
        "response/apology-refusal",
    ]


# -- what the shapes refuse ----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "fact", "rule"),
    [
        # Refused, but the refusal is not named.
        ("    answeredBy: apology-refusal\n", "", "apology-demand", "DemandAnswerShape"),
        # A demand of the unspecified kind that says nothing of what it demands.
        ("    demandedAct: apology\n    attestation: stated\n", "    attestation: stated\n",
         "apology-demand", "DemandSaysWhatShape"),
        # An addressee on a response that is not a demand.
        ("    kindNote: a suspension of visa services\n",
         "    kindNote: a suspension of visa services\n    addressee: kestria\n",
         "visa-suspension", "DemandPropertiesShape"),
        # A span that ends before it starts.
        ("      endDate: 2026-11-08\n", "      endDate: 2026-11-06\n", "embassy-demonstration",
         "TimeSpanShape"),
        # A span without its end.
        ("      endDate: 2026-11-08\n", "", "embassy-demonstration", "TimeSpanShape"),
        # A bound after the other bound.
        ("      notAfter: 2026-11-13\n",
         "      notAfter: 2026-11-13\n      notBefore: 2026-11-14\n", "drivers-release",
         "TimeBoundsShape"),
        # A span's start after publication.
        ("      startDate: 2026-11-07\n      endDate: 2026-11-08\n",
         "      startDate: 2026-11-17\n      endDate: 2026-11-18\n", "embassy-demonstration",
         "FactNotAfterPublicationShape"),
    ],
)  # fmt: skip
def test_shapes_refuse_broken_demands_and_times(
    tmp_path: Path, old: str, new: str, fact: str, rule: str
) -> None:
    report = validate_files([fact_file_variant(ARTICLE, tmp_path, old, new)], base=BASE, kg=None)
    assert not report.conforms
    assert violations(report) == {(fact, f"gkgsh:{rule}")}


def test_a_duration_in_words_is_refused_with_the_form_to_write(tmp_path: Path) -> None:
    report = validate_files(
        [fact_file_variant(ARTICLE, tmp_path, "duration: P2D", "duration: two days")],
        base=BASE,
        kg=None,
    )
    [problem] = [p for p in report.problems if p.severity == "violation"]
    assert problem.fact == "visa-suspension" and "duration" in problem.message
    assert problem.fix is not None and "P2D" in problem.fix
