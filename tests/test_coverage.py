"""Every sentence accounted for: the sentence rule, coverage, `uncaptured` marks, the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphkg.cli import main
from graphkg.coverage import article_coverage
from graphkg.errors import FactFileError
from graphkg.mapping import MappedSource, map_fact_file
from graphkg.ontology import load_ontology
from graphkg.problems import Problem
from graphkg.sentences import split_sentences

from conftest import ARTICLE_ID, BASE, SEEDS


def sentences(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


# -- the sentence rule ------------------------------------------------------------


def test_sentences_end_at_a_full_stop_before_a_capital() -> None:
    assert sentences("Talks ended. The envoy left.") == ["Talks ended.", "The envoy left."]


def test_sentences_do_not_end_before_a_lower_case_word() -> None:
    assert sentences("He said yes. then no.") == ["He said yes. then no."]


def test_sentences_do_not_end_at_common_abbreviations() -> None:
    text = "Mr. Aliyev met Dr. Jones in St. Petersburg on Jan. 5. They talked."
    assert sentences(text) == [
        "Mr. Aliyev met Dr. Jones in St. Petersburg on Jan. 5.",
        "They talked.",
    ]


def test_sentences_do_not_end_at_dotted_abbreviations_or_initials() -> None:
    text = "The U.S. Embassy, i.e. Its staff, met John F. Kennedy Jr. Today. Then it closed."
    assert sentences(text) == [
        "The U.S. Embassy, i.e. Its staff, met John F. Kennedy Jr. Today.",
        "Then it closed.",
    ]


def test_sentences_end_after_closing_quotes_straight_and_curly() -> None:
    text = 'He said “Stop!” Then he left. She wrote "No." (The end.) 2025 was over.'
    assert sentences(text) == [
        "He said “Stop!”",
        "Then he left.",
        'She wrote "No."',
        "(The end.)",
        "2025 was over.",
    ]


def test_a_quote_followed_by_its_speaker_is_one_sentence() -> None:
    text = "“They came at night,” Huseynli stated. “Why?” she asked. ‘Enough.’ He left."
    assert sentences(text) == [
        "“They came at night,” Huseynli stated.",
        "“Why?” she asked.",
        "‘Enough.’",
        "He left.",
    ]


def test_numbers_and_ellipses_do_not_split_mid_sentence() -> None:
    assert sentences("It cost 3.5 million... Or more?! Yes.") == [
        "It cost 3.5 million...",
        "Or more?!",
        "Yes.",
    ]


def test_line_breaks_end_sentences_and_empty_lines_are_dropped() -> None:
    assert sentences("A headline without a stop\n\n  An indented line.  \nHome | News") == [
        "A headline without a stop",
        "An indented line.",
        "Home | News",
    ]


def test_sentences_keep_their_offsets_in_the_text() -> None:
    text = "  First one.  Second one.\nThird"
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_the_seed_article_has_nineteen_sentences() -> None:
    text = (SEEDS / ARTICLE_ID / "article.txt").read_text(encoding="utf-8")
    found = split_sentences(text)
    assert len(found) == 19
    assert found[7].text.startswith("“These Russian law enforcement personnel")
    assert found[-1].text == "Home Azerbaijan Halts Russian Events After Yekaterinburg Incident"


# -- coverage of a small article ------------------------------------------------------

ARTICLE = (
    "Mr. Aliyev met Dr. Jones in Baku. The talks lasted two hours.\n"
    "“We agreed,” Jones said. Officials did not comment.\n"
    "Home | News\n"
)

ENTITIES = """\
entities:
  - id: ilham-aliyev-test
    type: Person
    label: Aliyev
    evidence: "Mr. Aliyev met Dr. Jones"
  - id: jones-test
    type: Person
    label: Jones
    evidence:
      - "Dr. Jones in Baku"
      - "“We agreed,” Jones said."
"""

UNCAPTURED = """\
uncaptured:
  - opening: "Home |"
    reason: page furniture
"""


def write_article(folder: Path, body: str = ENTITIES + UNCAPTURED) -> Path:
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "facts.yaml"
    path.write_text(
        "article:\n  id: coverage-test\n  file: article.txt\n  title: Talks\n" + body,
        encoding="utf-8",
    )
    return path


def mapped(path: Path) -> MappedSource:
    return map_fact_file(path, load_ontology(), base=BASE)


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(FactFileError) as caught:
        mapped(path)
    return caught.value.problems


def test_coverage_gives_each_sentence_its_citing_facts_or_its_mark(tmp_path: Path) -> None:
    coverage = article_coverage(mapped(write_article(tmp_path)))
    assert coverage is not None
    found = [(c.sentence.text, c.status, c.facts) for c in coverage.sentences]
    assert found == [
        ("Mr. Aliyev met Dr. Jones in Baku.", "cited", ("ilham-aliyev-test", "jones-test")),
        ("The talks lasted two hours.", "unexplained", ()),
        ("“We agreed,” Jones said.", "cited", ("jones-test",)),
        ("Officials did not comment.", "unexplained", ()),
        ("Home | News", "uncaptured", ()),
    ]
    assert coverage.sentences[-1].marks[0].reason == "page furniture"
    assert coverage.summary == "5 sentences: 2 cited, 1 marked uncaptured, 2 unexplained"


def test_each_unexplained_sentence_is_a_warning_at_the_article_block(tmp_path: Path) -> None:
    coverage = article_coverage(mapped(write_article(tmp_path)))
    assert coverage is not None
    warnings = coverage.warnings()
    assert [w.value for w in warnings] == [
        "The talks lasted two hours.",
        "Officials did not comment.",
    ]
    assert {(w.severity, w.rule, w.line) for w in warnings} == {("warning", "coverage", 2)}


def test_a_mark_on_a_cited_sentence_is_a_warning_at_its_line(tmp_path: Path) -> None:
    body = ENTITIES + UNCAPTURED + '  - opening: "Mr. Aliyev"\n    reason: small talk\n'
    coverage = article_coverage(mapped(write_article(tmp_path, body)))
    assert coverage is not None
    [cited_mark] = [w for w in coverage.warnings() if w.value == "Mr. Aliyev"]
    assert cited_mark.message == "marked uncaptured but cited by ilham-aliyev-test, jones-test"
    assert cited_mark.line == 19 and cited_mark.severity == "warning"


def test_an_opening_that_starts_no_sentence_is_a_problem_with_its_line(tmp_path: Path) -> None:
    body = ENTITIES + 'uncaptured:\n  - opening: "The talk lasted"\n    reason: colour\n'
    [problem] = problems_of(write_article(tmp_path, body))
    assert (problem.line, problem.rule, problem.value) == (17, "uncaptured", "The talk lasted")
    assert "'The talks lasted two hours.'" in (problem.fix or "")


def test_an_opening_inside_a_sentence_names_that_sentence(tmp_path: Path) -> None:
    body = ENTITIES + 'uncaptured:\n  - opening: "lasted two hours"\n    reason: colour\n'
    [problem] = problems_of(write_article(tmp_path, body))
    assert "'The talks lasted two hours.'" in (problem.fix or "")


def test_an_opening_that_starts_several_sentences_is_a_problem(tmp_path: Path) -> None:
    path = write_article(tmp_path, 'uncaptured:\n  - opening: "O"\n    reason: colour\n')
    (tmp_path / "article.txt").write_text("One. Two. Other.\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.message == "`opening` is the start of 2 sentences"


def test_one_entry_marks_every_sentence_that_reads_exactly_alike(tmp_path: Path) -> None:
    path = write_article(tmp_path, 'uncaptured:\n  - opening: "Advert"\n    reason: furniture\n')
    (tmp_path / "article.txt").write_text(
        "Advertisement\nTalks.\nAdvertisement\n", encoding="utf-8"
    )
    coverage = article_coverage(mapped(path))
    assert coverage is not None
    assert [c.status for c in coverage.sentences] == ["uncaptured", "unexplained", "uncaptured"]


def test_a_sentence_marked_twice_is_a_problem(tmp_path: Path) -> None:
    body = ENTITIES + UNCAPTURED + '  - opening: "Home | News"\n    reason: again\n'
    [problem] = problems_of(write_article(tmp_path, body))
    assert (problem.line, problem.message) == (19, "this sentence is already marked on line 17")


def test_an_uncaptured_entry_needs_a_reason(tmp_path: Path) -> None:
    body = ENTITIES + 'uncaptured:\n  - opening: "Home |"\n'
    [problem] = problems_of(write_article(tmp_path, body))
    assert (problem.line, problem.rule) == (17, "uncaptured")
    assert "`reason`" in problem.message


def test_uncaptured_is_refused_in_a_file_without_an_article(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    path.write_text("source: entities\n" + UNCAPTURED, encoding="utf-8")
    [problem] = problems_of(path)
    assert (problem.line, problem.rule) == (3, "uncaptured")


# -- the command ---------------------------------------------------------------------


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_coverage_lists_sentences_with_their_facts_and_exits_one_if_unexplained(
    tmp_path: Path,
) -> None:
    result = run("--store", tmp_path / "no-store", "coverage", write_article(tmp_path))
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert (
        "1  Mr. Aliyev met Dr. Jones in Baku.\n   → cited by ilham-aliyev-test, jones-test" in out
    )
    assert "2  The talks lasted two hours.\n   → NOT CAPTURED" in out
    assert "5  Home | News\n   → uncaptured: page furniture" in out
    assert out.rstrip().endswith("5 sentences: 2 cited, 1 marked uncaptured, 2 unexplained")


def test_coverage_exits_zero_when_every_sentence_is_accounted_for(tmp_path: Path) -> None:
    body = (
        ENTITIES
        + UNCAPTURED
        + '  - opening: "The talks"\n    reason: duration, nothing checkable\n'
        + '  - opening: "Officials did not"\n    reason: an absence\n'
    )
    result = run("--store", tmp_path / "no-store", "coverage", write_article(tmp_path, body))
    assert result.exit_code == 0, result.output
    assert "5 sentences: 2 cited, 3 marked uncaptured, 0 unexplained" in result.stdout


def test_coverage_json_gives_offsets_statuses_and_warnings(tmp_path: Path) -> None:
    path = write_article(tmp_path)
    result = run("--store", tmp_path / "no-store", "coverage", "--format", "json", path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    first, second = report["sentences"][:2]
    assert ARTICLE[first["start"] : first["end"]] == first["text"]
    assert first["facts"] == ["ilham-aliyev-test", "jones-test"]
    assert (second["status"], second["facts"]) == ("unexplained", [])
    assert report["sentences"][-1]["uncaptured"] == [
        {"opening": "Home |", "reason": "page furniture", "line": 17}
    ]
    assert report["summary"] == {"sentences": 5, "cited": 2, "uncaptured": 1, "unexplained": 2}
    assert [w["severity"] for w in report["warnings"]] == ["warning", "warning"]


def test_coverage_of_a_file_that_does_not_map_shows_its_problems(tmp_path: Path) -> None:
    body = ENTITIES + 'uncaptured:\n  - opening: "Nothing like it"\n    reason: colour\n'
    result = run("--store", tmp_path / "no-store", "coverage", write_article(tmp_path, body))
    assert result.exit_code == 1
    assert f"{tmp_path / 'facts.yaml'}:17: `opening` is not the start" in result.stderr


def test_coverage_of_a_file_without_an_article_is_an_error(tmp_path: Path) -> None:
    result = run("--store", tmp_path / "no-store", "coverage", SEEDS / "entities.yaml")
    assert result.exit_code == 1
    assert "describes no article" in result.stderr


def test_validate_shows_unexplained_sentences_as_warnings_and_exits_zero(
    store_dir: Path, fact_dir: Path
) -> None:
    with (fact_dir / "article.txt").open("a", encoding="utf-8") as text:
        text.write("\nA sentence no fact cites.")
    result = run("--store", store_dir, "validate", fact_dir / "facts.yaml")
    assert result.exit_code == 0, result.output
    assert "warning: no fact cites this sentence" in result.stdout
    assert "value: A sentence no fact cites." in result.stdout
    assert "rule: coverage" in result.stdout
    assert "conforms, with" in result.stdout
