"""Messages that teach a steward: what is wrong, where, in which fact, and how to fix it.

Each test writes a small fact file (its article's text inline) and reads what
`graphkg validate` reports on it, or what the pipeline's report holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from rdflib.namespace import SH

from graphkg.errors import ValidationFailed
from graphkg.mapping import ARTICLE_TEXT_KEYS, NON_PROPERTY_KEYS, is_accepted_key
from graphkg.namespaces import GKGSH
from graphkg.ontology import ValueKind, load_ontology
from graphkg.pipeline import add_file, validate_files
from graphkg.problems import Problem
from graphkg.store import KnowledgeGraph
from graphkg.validation import shapes_graph
from tests.conftest import BASE, line_of

Cli = Callable[..., CompletedProcess[str]]

TEXT = (
    "Varnia’s Foreign Ministry summoned Kestria’s envoy on Monday.\n"
    "The envoy declined to comment.\n"
)

ENTITIES = """\
  - id: varnia
    type: State
    label: Varnia
    evidence: "Varnia’s Foreign Ministry"

  - id: varnia-foreign-ministry
    type: Ministry
    label: Varnia’s Foreign Ministry
    belongsToState: varnia
    evidence: "Varnia’s Foreign Ministry"

  - id: kestrian-envoy
    type: UnnamedPerson
    label: Kestria’s envoy
    description: Kestria’s envoy to Varnia
    evidence: "Kestria’s envoy"
"""

SUMMONS = """\
  - id: envoy-summons
    type: Response
    attestation: stated
    responseKind: diplomatic-summons
    description: the summons of Kestria’s envoy
    actor: varnia-foreign-ministry
    target: kestrian-envoy
    noTriggerNote: the article gives no cause
    time:
      date: 2026-11-09
      expression: on Monday
    evidence:
      - "summoned Kestria’s envoy on Monday"
      - "The envoy declined to comment."
"""


def fact_file(folder: Path, *, entities: str = ENTITIES, facts: str = SUMMONS) -> Path:
    """A fact file of the article :data:`TEXT`, published 2026-11-14, that conforms as
    given; tests break it with their own ``entities`` or ``facts``."""
    text = "".join(f"    {line}\n" for line in TEXT.splitlines())
    path = folder / "facts.yaml"
    path.write_text(
        "article:\n  id: varnia-summons\n  text: |\n"
        f"{text}  title: Varnia Summons Envoy\n  language: en\n  published: 2026-11-14\n\n"
        f"entities:\n{entities}\nfacts:\n{facts}",
        encoding="utf-8",
    )
    return path


def validated(cli: Cli, path: Path, *flags: str) -> CompletedProcess[str]:
    """`graphkg validate` of ``path``, with no store to look entities up in."""
    return cli("--store", path.parent / "no-store", "validate", *flags, path)


def problems(path: Path) -> list[Problem]:
    return validate_files([path], base=BASE, kg=None).problems


def test_the_fact_file_of_these_tests_conforms(tmp_path: Path) -> None:
    report = validate_files([fact_file(tmp_path)], base=BASE, kg=None)
    assert report.conforms and report.problems == []


# -- YAML syntax ----------------------------------------------------------------


def test_a_yaml_syntax_error_says_in_plain_words_what_is_wrong_at_its_line_in_its_fact(
    graphkg_cli: Cli, tmp_path: Path
) -> None:
    broken = SUMMONS.replace(
        "description: the summons of Kestria’s envoy",
        "description: the summons, in the ministry's words: a protest",
    )
    path = fact_file(tmp_path, facts=broken)
    result = validated(graphkg_cli, path)
    line = line_of(path, "in the ministry's words")
    assert result.returncode == 1
    assert (
        f"{path}:{line}: malformed YAML: a colon and a space (`: `) inside a value that is "
        "not in quotes: YAML reads them as the start of another key\n"
        "  fact: envoy-summons\n"
        "  rule: yaml\n"
        "  value: description: the summons, in the ministry's words: a protest\n"
        "  fix: put the value in double quotes: "
        '`description: "the summons, in the ministry\'s words: a protest"`'
    ) in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "marker", "says"),
    [
        (
            '      - "The envoy declined to comment."',
            '      - "The envoy declined to comment.',
            '"The envoy declined',
            'the quote «"» that opens the value on this line is never closed',
        ),
        (
            "    target: kestrian-envoy",
            "    target: [kestrian-envoy",
            "[kestrian-envoy",
            "the `[` opened on this line is never closed with `]`",
        ),
        (
            "    target: kestrian-envoy",
            "\ttarget: kestrian-envoy",
            "\ttarget",
            "a tab character: YAML indents with spaces only",
        ),
        (
            "    target: kestrian-envoy",
            "   target: kestrian-envoy",
            "   target",
            "this line is indented by 3 spaces and line {above} by 4, so YAML cannot tell "
            "what it belongs to",
        ),
        (
            "    target: kestrian-envoy",
            "    target kestrian-envoy",
            "target kestrian-envoy",
            "this line is neither `key: value` nor a list item `- …`",
        ),
    ],
)
def test_a_yaml_syntax_error_points_at_the_line_to_fix_and_names_its_fact(
    tmp_path: Path, old: str, new: str, marker: str, says: str
) -> None:
    path = fact_file(tmp_path, facts=SUMMONS.replace(old, new))
    line = line_of(path, marker)
    [problem] = problems(path)
    assert (problem.rule, problem.line, problem.fact) == ("yaml", line, "envoy-summons")
    assert problem.message == f"malformed YAML: {says.format(above=line - 1)}"


def test_a_yaml_syntax_error_in_the_article_block_names_the_article(tmp_path: Path) -> None:
    path = fact_file(tmp_path)
    path.write_text(
        path.read_text("utf-8").replace("Varnia Summons Envoy", "Varnia: Envoy Summoned"), "utf-8"
    )
    [problem] = problems(path)
    assert (problem.line, problem.fact) == (line_of(path, "title:"), "varnia-summons")
    assert problem.fix == 'put the value in double quotes: `title: "Varnia: Envoy Summoned"`'


def test_a_duplicate_key_names_its_fact_and_the_line_of_the_first(tmp_path: Path) -> None:
    path = fact_file(
        tmp_path,
        entities=ENTITIES.replace("    label: Varnia\n", "    label: Varnia\n    label: Varnia\n"),
    )
    [problem] = problems(path)
    first = line_of(path, "label: Varnia")
    assert (problem.rule, problem.line, problem.fact) == ("yaml", first + 1, "varnia")
    assert problem.message == f"duplicate key 'label': the entry gives `label:` on line {first} too"


# -- suggestions ----------------------------------------------------------------


def test_an_unknown_class_suggests_the_closest_classes(tmp_path: Path) -> None:
    path = fact_file(
        tmp_path, entities=ENTITIES.replace("type: UnnamedPerson", "type: UnnamedPersn")
    )
    problem = problems(path)[0]
    assert (problem.rule, problem.line, problem.fact) == (
        "type",
        line_of(path, "UnnamedPersn"),
        "kestrian-envoy",
    )
    assert problem.fix == "did you mean `UnnamedPerson` or `UnnamedEntity`?"


def test_an_unknown_class_is_suggested_by_meaning_where_spelling_misleads(tmp_path: Path) -> None:
    """`Country` is spelled like `City`, and means `State`."""
    path = fact_file(tmp_path, entities=ENTITIES.replace("type: State", "type: Country"))
    type_problem = next(p for p in problems(path) if p.rule == "type")
    assert type_problem.fix == "did you mean `State`?"


def test_comment_in_a_world_entry_suggests_note_not_content(tmp_path: Path) -> None:
    entry = (
        "    world:\n      - source: https://example.org/varnia\n"
        "        comment: the ministry's site\n"
    )
    path = fact_file(
        tmp_path, entities=ENTITIES.replace("    label: Varnia\n", "    label: Varnia\n" + entry)
    )
    [problem] = problems(path)
    assert (problem.rule, problem.value, problem.line) == (
        "key",
        "comment",
        line_of(path, "comment:"),
    )
    assert problem.fix == "did you mean `note`?"


def test_comment_on_a_fact_suggests_description(tmp_path: Path) -> None:
    """A fact takes no `note:`: the key it takes for words about it is `description:`."""
    path = fact_file(tmp_path, facts=SUMMONS.replace("    description:", "    comment:"))
    key_problem = next(p for p in problems(path) if p.rule == "key")
    assert key_problem.fix == "did you mean `description`?"


def test_an_entry_of_an_unknown_class_has_its_quotes_checked_in_the_same_pass(
    tmp_path: Path,
) -> None:
    entities = ENTITIES.replace("type: State", "type: Country").replace(
        'evidence: "Varnia’s Foreign Ministry"\n\n  - id: varnia-foreign',
        'evidence: "Varnia\'s Foreign Ministry"\n\n  - id: varnia-foreign',
    )
    path = fact_file(tmp_path, entities=entities)
    assert [(p.rule, p.fact, p.line) for p in problems(path)] == [
        ("type", "varnia", line_of(path, "type: Country")),
        ("verbatim-quote", "varnia", line_of(path, "Varnia's Foreign Ministry")),
        ("unknown-id", "varnia-foreign-ministry", line_of(path, "belongsToState: varnia")),
    ]


def test_a_reference_to_an_entry_that_did_not_map_names_its_line(tmp_path: Path) -> None:
    path = fact_file(tmp_path, entities=ENTITIES.replace("type: Ministry", "type: Ministri"))
    reference = next(p for p in problems(path) if p.rule == "unknown-id")
    assert (reference.fact, reference.value) == ("envoy-summons", "varnia-foreign-ministry")
    entry = line_of(path, "- id: varnia-foreign-ministry")
    assert (
        reference.message
        == f"`actor` names 'varnia-foreign-ministry', whose entry on line {entry} did not map"
    )


# -- quotes ---------------------------------------------------------------------


def test_a_quote_that_is_not_verbatim_marks_its_first_differing_character(
    graphkg_cli: Cli, tmp_path: Path
) -> None:
    """A straight `'` for the article's curly `’`: the commonest misquote."""
    quote = "summoned Kestria's envoy on Monday"
    path = fact_file(tmp_path, facts=SUMMONS.replace("summoned Kestria’s envoy on Monday", quote))
    result = validated(graphkg_cli, path)
    assert result.returncode == 1
    assert (
        f"{path}:{line_of(path, quote)}: the quote does not occur verbatim in the article\n"
        "  fact: envoy-summons\n"
        "  rule: verbatim-quote\n"
        f"  value: {quote}\n"
        "  fix: copy it exactly from the article; the closest passage, with the quote's first "
        "character that differs marked:\n"
        "       article: summoned Kestria’s envoy on Monday.\n"
        "       quote:   summoned Kestria's envoy on Monday\n"
        "                                ^ «’» (U+2019 RIGHT SINGLE QUOTATION MARK) in the "
        "article, «'» (U+0027 APOSTROPHE) in the quote\n"
    ) in result.stderr


def test_a_quote_starting_inside_a_word_is_shown_under_the_whole_word(tmp_path: Path) -> None:
    path = fact_file(
        tmp_path,
        facts=SUMMONS.replace(
            "summoned Kestria’s envoy on Monday", "ummoned Kestria’s envoy on Sunday"
        ),
    )
    [problem] = problems(path)
    assert (problem.fix or "").endswith(
        "article: summoned Kestria’s envoy on Monday.\n"
        "quote:    ummoned Kestria’s envoy on Sunday\n"
        + " "
        * len("article: summoned Kestria’s envoy on ")
        + "^ «M» (U+004D LATIN CAPITAL LETTER M) in the article, "
        "«S» (U+0053 LATIN CAPITAL LETTER S) in the quote"
    )


def test_a_misquote_is_not_reported_again_as_an_unexplained_sentence(tmp_path: Path) -> None:
    path = fact_file(tmp_path, facts=SUMMONS.replace("The envoy declined", "The envoy refused"))
    assert [p.rule for p in problems(path)] == ["verbatim-quote"]


# -- dates ----------------------------------------------------------------------


def test_a_date_after_publication_points_at_the_date_and_shows_the_publication_date(
    graphkg_cli: Cli, tmp_path: Path
) -> None:
    path = fact_file(tmp_path, facts=SUMMONS.replace("date: 2026-11-09", "date: 2026-11-20"))
    result = validated(graphkg_cli, path)
    assert result.returncode == 1
    assert (
        f"{path}:{line_of(path, 'date: 2026-11-20')}: The fact is dated 2026-11-20, after "
        "2026-11-14, the publication date (`published:`) of the article it is quoted from.\n"
        "  fact: envoy-summons\n"
    ) in result.stderr


def test_a_violation_is_reported_once_however_many_quotes_the_fact_has(
    graphkg_cli: Cli, tmp_path: Path
) -> None:
    """The fact has two quotes, and so reaches its article's publication date twice."""
    path = fact_file(tmp_path, facts=SUMMONS.replace("date: 2026-11-09", "date: 2026-11-20"))
    report = json.loads(validated(graphkg_cli, path, "--format", "json").stdout)
    assert [p["rule"] for p in report["problems"]] == [
        "gkgsh:FactNotAfterPublicationShape (SPARQLConstraintComponent)"
    ]
    turtle = validated(graphkg_cli, path, "--format", "turtle").stdout
    assert turtle.count(str(SH.SPARQLConstraintComponent).split("#")[1]) == 1


# -- one pass -------------------------------------------------------------------


def test_mapping_and_shape_problems_come_in_one_report(graphkg_cli: Cli, tmp_path: Path) -> None:
    entities = ENTITIES.replace("type: UnnamedPerson", "type: UnnamedPersn")
    facts = SUMMONS.replace("date: 2026-11-09", "date: 2026-11-20").replace(
        "    target: kestrian-envoy\n", ""
    )
    path = fact_file(tmp_path, entities=entities, facts=facts)
    report = json.loads(validated(graphkg_cli, path, "--format", "json").stdout)
    assert report["conforms"] is False
    assert [(p["rule"], p["fact"], p["line"]) for p in report["problems"]] == [
        ("type", "kestrian-envoy", line_of(path, "UnnamedPersn")),
        (
            "gkgsh:FactNotAfterPublicationShape (SPARQLConstraintComponent)",
            "envoy-summons",
            line_of(path, "date: 2026-11-20"),
        ),
    ]


def test_a_fact_that_did_not_map_gets_no_shape_problem_restating_it(tmp_path: Path) -> None:
    """`labl:` is an unknown key, and the state then has no label: one problem, not two."""
    path = fact_file(tmp_path, entities=ENTITIES.replace("label: Varnia\n", "labl: Varnia\n"))
    [problem] = problems(path)
    assert (problem.rule, problem.fact, problem.fix) == ("key", "varnia", "did you mean `label`?")


def test_a_file_with_a_mapping_problem_changes_nothing_in_the_store(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open_writer(tmp_path / "store", base=BASE)
    add_file(kg, fact_file(tmp_path))
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = [str(row["n"]) for row in kg.query(count)]  # type: ignore[union-attr]
    broken = fact_file(tmp_path, entities=ENTITIES.replace("label: Varnia\n", "labl: Varnia\n"))
    broken.write_text(
        broken.read_text("utf-8").replace("Varnia Summons Envoy", "Retitled"), "utf-8"
    )
    with pytest.raises(ValidationFailed) as refused:
        add_file(kg, broken)
    assert [p.rule for p in refused.value.report.problems] == ["key"]  # type: ignore[attr-defined]
    assert [str(row["n"]) for row in kg.query(count)] == before  # type: ignore[union-attr]
    assert not bool(kg.query('ASK { ?article ?title "Retitled"@en }'))


# -- the shapes' fix texts ------------------------------------------------------

BACKQUOTED = re.compile(r"`([^`]+)`")
KEY = re.compile(r"(?:^|(?<=[\s{,\[]))(?P<key>(?:[a-z]+:)?[A-Za-z]\w*):(?=\s|$)")
LANGUAGE_MAP = re.compile(r"(?P<key>\w+): \{(?P<inner>[^}]*)\}")


def keys_written(text: str) -> list[str]:
    """Every key a backquoted snippet of ``text`` writes (`key: value`, `{a: 1, b: 2}`),
    less the language tags of a text in several languages (`title: {en: …, ru: …}`)."""
    ontology = load_ontology()
    keys = []
    for snippet in BACKQUOTED.findall(text):
        for language_map in LANGUAGE_MAP.finditer(snippet):
            info = ontology.property_for(language_map.group("key"))
            if info is not None and info.kind is ValueKind.LANG_STRING:
                snippet = snippet.replace(language_map.group("inner"), "…")
        keys += [match.group("key") for match in KEY.finditer(snippet)]
    return keys


def test_the_key_check_of_fix_texts_finds_keys_and_skips_language_tags() -> None:
    text = "Write `title: {en: …, ru: …}` and `- {agent: x, role: y}`, not `wd:Q227` or `comment:`."
    assert keys_written(text) == ["title", "agent", "role", "comment"]


def test_every_key_a_shape_tells_the_steward_to_write_is_one_the_mapper_accepts() -> None:
    shapes = shapes_graph()
    ontology = load_ontology()
    texts = [str(o) for p in (GKGSH.fix, SH.message) for o in shapes.objects(None, p)]
    written = {key for text in texts for key in keys_written(text)}
    assert {"respondsTo", "published", "source", "evidence"} <= written
    assert sorted(key for key in written if not is_accepted_key(key, ontology)) == []


def test_the_mapper_accepts_the_structural_keys_and_no_misremembered_one() -> None:
    ontology = load_ontology()
    assert {"note", "source", "givenBy", "opening", *ARTICLE_TEXT_KEYS} <= NON_PROPERTY_KEYS
    assert is_accepted_key("schema:sameAs", ontology)
    assert not is_accepted_key("comment", ontology)
