"""Hostile fact files are refused: with a problem that names the limit, and nothing stored.

A fact file reads only its own article, cannot blow up memory or time, and
JSON-LD is held to Turtle's strictness. Each limit is a setting; the tests use
small settings where the default would need a huge file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from graphkg.cli import main
from graphkg.errors import FactFileError, ValidationFailed
from graphkg.mapping import MappedSource
from graphkg.namespaces import GKG
from graphkg.ontology import load_ontology
from graphkg.pipeline import add_file, find_seed_files, validate_files
from graphkg.problems import Problem
from graphkg.rdfinput import map_source_file
from graphkg.settings import DEFAULT_LIMITS, InputLimits, Settings
from graphkg.store import KnowledgeGraph

from conftest import ARTICLE_ID, BASE, SEEDS

ARTICLE_TEXT = "Officials said on Sunday that the talks had ended without an agreement.\n"
ARTICLE = f"{BASE}id/article/hostile-article"
TEXT, TITLE = str(GKG.text), str(GKG.title)


def write_article(
    folder: Path, body: str = "", *, file: str = "article.txt", title: str = "A title"
) -> Path:
    """A fact file for a new article, its text beside it, with ``body`` after the article."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(ARTICLE_TEXT, encoding="utf-8")
    path = folder / "facts.yaml"
    path.write_text(
        f"article:\n  id: hostile-article\n  file: {json.dumps(file)}\n"
        f"  title: {json.dumps(title)}\n  language: en\n" + body,
        encoding="utf-8",
    )
    return path


def mapped(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> MappedSource:
    return map_source_file(path, load_ontology(), base=BASE, known={}, limits=limits)


def refusal(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> list[Problem]:
    with pytest.raises(FactFileError) as caught:
        mapped(path, limits)
    return caught.value.problems


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def stored(store: Path) -> bytes:
    return KnowledgeGraph.open_reader(store, base=BASE).sorted_nquads()


# -- the article file: only the fact file's own --------------------------------


def test_an_article_file_that_climbs_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    path = write_article(tmp_path / "a" / "b", file="../../../../../../../etc/passwd")
    [problem] = refusal(path)
    assert (problem.rule, problem.line, problem.fact) == ("article-file", 3, "hostile-article")
    assert "outside the fact file's folder" in problem.message
    assert problem.value == "../../../../../../../etc/passwd"


def test_an_article_file_named_by_an_absolute_path_is_refused(tmp_path: Path) -> None:
    inside = tmp_path / "article.txt"
    path = write_article(tmp_path, file=str(inside))
    [problem] = refusal(path)
    assert (problem.rule, problem.line) == ("article-file", 3)
    assert "relative" in problem.message


def test_a_symlink_to_a_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("what the article must not serve", encoding="utf-8")
    folder = tmp_path / "article"
    path = write_article(folder, file="linked.txt")
    (folder / "linked.txt").symlink_to(secret)
    [problem] = refusal(path)
    assert (problem.rule, problem.line) == ("article-file", 3)
    assert "outside the fact file's folder" in problem.message
    assert "must not serve" not in problem.describe()


def test_a_symlink_within_the_folder_and_a_subfolder_are_followed(tmp_path: Path) -> None:
    path = write_article(tmp_path, file="texts/linked.txt")
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "linked.txt").symlink_to(tmp_path / "article.txt")
    source = mapped(path)
    assert (source.source, GKG.text) in {(s, p) for s, p, _, _ in source.quads}


def test_a_dot_dot_that_stays_inside_the_folder_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    assert mapped(write_article(tmp_path, file="texts/../article.txt")).article_id


@pytest.mark.parametrize("name", [".", "", "texts"])
def test_an_article_file_that_is_a_folder_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / "texts").mkdir()
    [problem] = refusal(write_article(tmp_path, file=name))
    assert problem.rule == "article-file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_an_article_file_that_is_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    path = write_article(tmp_path, file="pipe")
    os.mkfifo(tmp_path / "pipe")
    [problem] = refusal(path)
    assert (problem.rule, problem.line) == ("article-file", 3)
    assert "not a regular file" in problem.message


def test_an_article_file_name_with_a_nul_is_refused(tmp_path: Path) -> None:
    [problem] = refusal(write_article(tmp_path, file="article\0.txt"))
    assert problem.rule == "article-file"


def test_graphkg_add_of_a_file_naming_etc_passwd_fails_and_stores_nothing(
    store_dir: Path, fact_dir: Path
) -> None:
    facts = fact_dir / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("file: article.txt", "file: ../../../../../../../etc/passwd"))
    before = stored(store_dir)
    result = CliRunner().invoke(main, ["--store", str(store_dir), "add", str(facts)])
    assert result.exit_code == 1
    assert "rule: article-file" in result.stderr and "Traceback" not in result.output
    assert stored(store_dir) == before


# -- input that cannot blow up ------------------------------------------------

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_a_billion_laughs_file_is_refused_by_the_size_it_would_expand_to(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    [problem] = refusal(path)  # the default limits: 81 aliases are allowed, 9**9 values not
    assert (problem.rule, problem.line) == ("yaml-nodes", line_of(path, "f: &f"))
    assert "597,871" in problem.message and "setting max_yaml_nodes" in problem.message


def test_aliases_beyond_max_yaml_aliases_are_refused_at_the_first_one_too_many(
    tmp_path: Path,
) -> None:
    path = write_article(tmp_path, "x-one: &one 1\nx-two: *one\nx-three: *one\nx-four: *one\n")
    [problem] = refusal(path, InputLimits(max_yaml_aliases=2))
    assert (problem.rule, problem.line, problem.value) == ("yaml-aliases", 9, "*one")
    assert "setting max_yaml_aliases" in problem.message


def test_a_file_with_no_aliases_allowed_refuses_the_first(tmp_path: Path) -> None:
    path = write_article(tmp_path, "x-one: &one 1\nx-two: *one\n")
    [problem] = refusal(path, InputLimits(max_yaml_aliases=0))
    assert (problem.rule, problem.line) == ("yaml-aliases", 7)


def test_a_value_containing_itself_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("article:\n  id: &me [1, *me]\n", encoding="utf-8")
    [problem] = refusal(path)
    assert (problem.rule, problem.line) == ("yaml", 2)
    assert "recursive alias" in problem.message


def test_more_yaml_values_than_max_yaml_nodes_are_refused_without_aliases(tmp_path: Path) -> None:
    path = write_article(tmp_path, f"facts: [{', '.join(['1'] * 50)}]\n")
    [problem] = refusal(path, InputLimits(max_yaml_nodes=40))
    assert (problem.rule, problem.line) == ("yaml-nodes", 6)


def test_deeply_nested_yaml_is_an_error_not_a_crash(tmp_path: Path) -> None:
    for depth in (900, 5000):  # under and over libyaml's own limit on nesting
        path = tmp_path / f"facts-{depth}.yaml"
        path.write_text("article: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
        [problem] = validate_files([path], base=BASE, kg=None).problems
        assert problem.line == 1


def test_a_control_character_in_yaml_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("article:\n  id: hostile-article\n  title: a bell\a\n", encoding="utf-8")
    [problem] = refusal(path)
    assert (problem.rule, problem.line) == ("yaml", 3)
    assert "U+0007" in problem.message


def test_a_fact_file_above_max_fact_file_bytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("# " + "x" * 3378, encoding="utf-8")  # 3,380 bytes
    [problem] = refusal(path, InputLimits(max_fact_file_bytes=2048))
    assert (problem.rule, problem.line) == ("file-size", None)
    assert problem.message == (
        "the fact file is 3.3 kB; at most 2 kB are accepted (setting max_fact_file_bytes)"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_fact_file_that_never_ends_is_refused_after_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.symlink_to("/dev/zero")  # its size says 0; reading it never ends
    [problem] = refusal(path, InputLimits(max_fact_file_bytes=4096))
    assert problem.rule == "file-size" and "more than 4 kB" in problem.message


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("", "title:"),
        ("entities:\n  - {id: a-person, type: Person, label: LONG}\n", "label: "),
        (
            "entities:\n  - id: a-person\n    type: Person\n    label: {en: LONG}\n",
            "label: ",
        ),
        (
            "entities:\n  - id: a-person\n    type: Person\n    label: Someone\n"
            "    world:\n      - {source: https://example.org/, note: LONG, sameAs: wd:Q1}\n",
            "note: ",
        ),
    ],
    ids=["title", "label", "label-by-language", "world-note"],
)
def test_a_literal_above_max_literal_chars_is_refused(
    tmp_path: Path, body: str, needle: str
) -> None:
    title = "T" * 101 if needle == "title:" else "A title"
    path = write_article(tmp_path, body.replace("LONG", "L" * 101), title=title)
    [problem] = refusal(path, InputLimits(max_literal_chars=100))
    assert (problem.rule, problem.line) == ("literal-length", line_of(path, needle))
    assert "101 characters" in problem.message and "setting max_literal_chars" in problem.message
    assert len(problem.value or "") < 101


def test_a_literal_of_exactly_max_literal_chars_is_accepted(tmp_path: Path) -> None:
    path = write_article(tmp_path, title="T" * 100)
    assert mapped(path, InputLimits(max_literal_chars=100)).article_id == "hostile-article"


def test_an_evidence_quote_above_max_literal_chars_is_refused(tmp_path: Path) -> None:
    quote = ARTICLE_TEXT.strip()
    body = f"entities:\n  - id: a-person\n    type: Person\n    label: A\n    evidence: {quote!r}\n"
    path = write_article(tmp_path, body)
    [problem] = refusal(path, InputLimits(max_literal_chars=len(quote) - 1))
    assert (problem.rule, problem.line, problem.fact) == ("literal-length", 10, "a-person")


def test_the_article_text_has_its_own_cap_not_the_literals(tmp_path: Path) -> None:
    path = write_article(tmp_path)
    limits = InputLimits(max_literal_chars=10, max_article_chars=len(ARTICLE_TEXT))
    assert mapped(path, limits).article_id == "hostile-article"
    [problem] = refusal(path, InputLimits(max_article_chars=len(ARTICLE_TEXT) - 1))
    assert (problem.rule, problem.line) == ("article-file", 3)
    assert f"{len(ARTICLE_TEXT)} characters" in problem.message
    assert "setting max_article_chars" in problem.message


def test_an_article_file_too_large_for_its_cap_is_refused_unread(tmp_path: Path) -> None:
    path = write_article(tmp_path)
    (tmp_path / "article.txt").write_bytes(b"\xff" * 500)  # not even UTF-8: never decoded
    [problem] = refusal(path, InputLimits(max_article_chars=100))
    assert problem.rule == "article-file"
    assert problem.message == (
        "the article text is 500 bytes; at most 100 characters are accepted "
        "(setting max_article_chars)"
    )


def test_more_entities_and_facts_than_max_facts_per_file_are_refused(tmp_path: Path) -> None:
    people = "".join(f"  - {{id: person-{n}, type: Person, label: P{n}}}\n" for n in range(3))
    path = write_article(tmp_path, "entities:\n" + people)
    [problem] = refusal(path, InputLimits(max_facts_per_file=2))
    assert (problem.rule, problem.line) == ("facts-per-file", 9)
    assert problem.message == (
        "the fact file declares 3 entities and facts; at most 2 are accepted "
        "(setting max_facts_per_file)"
    )
    assert mapped(path, InputLimits(max_facts_per_file=3)).declared.keys() >= {"person-2"}


def test_a_misquote_in_a_long_article_still_gets_its_closest_passage(tmp_path: Path) -> None:
    filler = "".join(f"Paragraph {n} says nothing of note at all.\n" for n in range(5000))
    path = write_article(
        tmp_path,
        "entities:\n  - id: a-person\n    type: Person\n    label: A\n"
        f"    evidence: {('Officials said on Saturday that the talks had ended' * 40)!r}\n",
    )
    (tmp_path / "article.txt").write_text(filler + ARTICLE_TEXT * 40, encoding="utf-8")
    [problem] = refusal(path)
    assert problem.rule == "verbatim-quote"
    assert "Officials said on Sunday that the talks had ended" in (problem.fix or "")


@pytest.mark.parametrize(
    ("entry", "rule"),
    [
        ("    sameAs: http://example.org/a b\n", "reference"),
        ("    world:\n      - {source: not an iri, sameAs: wd:Q1}\n", "reference"),
        ("    label: A\n    description: {not a language: A}\n", "language"),
    ],
    ids=["reference", "world-source", "language-key"],
)
def test_yaml_values_the_store_would_refuse_are_problems_not_crashes(
    tmp_path: Path, entry: str, rule: str
) -> None:
    label = "" if "label" in entry else "    label: A\n"
    body = "entities:\n  - id: a-person\n    type: Person\n" + label + entry
    path = write_article(tmp_path, body)
    [problem] = refusal(path)
    needle = entry.splitlines()[-1].strip()
    assert (problem.rule, problem.line) == (rule, line_of(path, needle))


def test_an_article_language_that_is_no_language_tag_is_a_problem(tmp_path: Path) -> None:
    path = write_article(tmp_path)
    path.write_text(path.read_text().replace("language: en", "language: not a language"))
    [problem] = refusal(path)
    assert (problem.rule, problem.line) == ("language", 5)


def test_the_cli_applies_the_limits_of_its_settings(store_dir: Path, tmp_path: Path) -> None:
    path = write_article(tmp_path, title="T" * 101)
    before = stored(store_dir)
    result = CliRunner().invoke(
        main,
        ["--store", str(store_dir), "add", str(path)],
        env={"GRAPHKG_MAX_LITERAL_CHARS": "100"},
    )
    assert result.exit_code == 1
    assert "setting max_literal_chars" in result.stderr and "rule: literal-length" in result.stderr
    assert stored(store_dir) == before


@pytest.mark.parametrize(
    "write",
    [
        lambda folder: write_article(folder, file="../../../../../../../etc/passwd"),
        lambda folder: write_article(folder, BILLION_LAUGHS),
        lambda folder: write_article(folder, title="T" * 20_000),
    ],
    ids=["etc-passwd", "billion-laughs", "long-title"],
)
def test_add_of_a_hostile_file_stores_nothing(
    store_dir: Path, tmp_path: Path, write: Callable[[Path], Path]
) -> None:
    path = write(tmp_path / "article")
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    before = kg.sorted_nquads()
    with pytest.raises(ValidationFailed):
        add_file(kg, path)
    assert kg.sorted_nquads() == before
    assert "hostile-article" not in kg.known_ids()


# -- Turtle and JSON-LD: the same limits ---------------------------------------


def turtle(*, text: str = "The article text.", title: str = "A title", people: int = 0) -> str:
    lines = [
        f'<{ARTICLE}> a <{GKG.Article}> ;\n  <{TEXT}> "{text}" ;\n  <{TITLE}> "{title}" .\n',
        *(f"<{BASE}id/person/person-{n}> a <{GKG.Person}> .\n" for n in range(people)),
    ]
    return "".join(lines)


def jsonld(*, text: str = "The article text.", title: str = "A title", people: int = 0) -> str:
    nodes = [
        {"@id": ARTICLE, "@type": str(GKG.Article), TEXT: text, TITLE: title},
        *({"@id": f"{BASE}id/person/person-{n}", "@type": str(GKG.Person)} for n in range(people)),
    ]
    return json.dumps(nodes, indent=2)


RdfFile = Callable[..., Path]


@pytest.fixture(params=["ttl", "jsonld"])
def rdf_file(request: pytest.FixtureRequest, tmp_path: Path) -> RdfFile:
    """Writes a Turtle, then a JSON-LD, article with the given parts; returns its path."""
    build = turtle if request.param == "ttl" else jsonld

    def write(**parts: str | int) -> Path:
        path = tmp_path / f"facts.{request.param}"
        path.write_text(build(**parts), encoding="utf-8")  # type: ignore[arg-type]
        return path

    return write


def test_an_rdf_file_above_max_fact_file_bytes_is_refused(rdf_file: RdfFile) -> None:
    path = rdf_file(title="T" * 3000)
    [problem] = refusal(path, InputLimits(max_fact_file_bytes=2048))
    assert problem.rule == "file-size" and "setting max_fact_file_bytes" in problem.message


def test_an_rdf_literal_above_max_literal_chars_is_refused(rdf_file: RdfFile) -> None:
    path = rdf_file(title="T" * 101)
    [problem] = refusal(path, InputLimits(max_literal_chars=100))
    assert (problem.rule, problem.fact) == ("literal-length", "hostile-article")
    assert problem.line is not None and "setting max_literal_chars" in problem.message


def test_an_rdf_article_text_has_its_own_cap(rdf_file: RdfFile) -> None:
    path = rdf_file(text="x" * 101)
    assert mapped(path, InputLimits(max_literal_chars=100, max_article_chars=101)).article_id
    [problem] = refusal(path, InputLimits(max_article_chars=100))
    assert problem.rule == "article-length" and "setting max_article_chars" in problem.message


def test_rdf_entities_beyond_max_facts_per_file_are_refused(rdf_file: RdfFile) -> None:
    path = rdf_file(people=3)
    assert mapped(path, InputLimits(max_facts_per_file=3)).declared.keys() >= {"person-2"}
    [problem] = refusal(path, InputLimits(max_facts_per_file=2))
    assert problem.rule == "facts-per-file" and "setting max_facts_per_file" in problem.message
    assert problem.line == line_of(path, "person-2")


# -- JSON-LD as strict as Turtle -----------------------------------------------


@pytest.mark.parametrize(
    ("node", "rule", "value"),
    [
        ({"@id": "not an iri with spaces", TEXT: "t"}, "iri", f"{BASE}not an iri with spaces"),
        ({"@id": "http://example.org/a b", TEXT: "t"}, "iri", "http://example.org/a b"),
        ({"@id": ARTICLE, "http://example.org/p q": "t"}, "iri", "http://example.org/p q"),
        ({"@id": ARTICLE, "headline": "t"}, "iri", "headline"),
        ({"@id": ARTICLE, "@type": "http://example.org/T y"}, "iri", "http://example.org/T y"),
        (
            {"@id": ARTICLE, TITLE: {"@id": "http://example.org/a b"}},
            "iri",
            "http://example.org/a b",
        ),
        (
            {"@id": ARTICLE, TITLE: {"@value": "1", "@type": "http://example.org/d t"}},
            "iri",
            "http://example.org/d t",
        ),
        ({"@id": ARTICLE, TITLE: {"@value": "t", "@language": "no language"}}, "language", None),
    ],
    ids=[
        "relative-id",
        "absolute-id",
        "property",
        "key-without-context",
        "type",
        "value-id",
        "datatype",
        "language",
    ],
)
def test_jsonld_with_an_invalid_iri_is_refused_with_its_line(
    tmp_path: Path, node: dict[str, object], rule: str, value: str | None
) -> None:
    path = tmp_path / "facts.jsonld"
    article = {"@id": ARTICLE, "@type": str(GKG.Article), TEXT: "The article text."}
    path.write_text(json.dumps([article, node], indent=2), encoding="utf-8")
    [problem] = refusal(path)
    assert problem.rule == rule
    assert problem.value == (value or "no language")
    assert problem.line is not None and problem.line >= 7  # in the second node, not the first


def test_relative_jsonld_ids_resolve_against_the_base(tmp_path: Path) -> None:
    path = tmp_path / "facts.jsonld"
    node = {"@id": "id/article/hostile-article", "@type": str(GKG.Article), TEXT: "t"}
    path.write_text(json.dumps(node), encoding="utf-8")
    assert mapped(path).source == URIRef(ARTICLE)


def test_turtle_with_an_iri_with_spaces_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "facts.ttl"
    path.write_text(turtle() + f'<{BASE}id/person/a b> <{TITLE}> "t" .\n', encoding="utf-8")
    [problem] = refusal(path)
    assert (problem.rule, problem.line) == ("syntax", 4)


def test_turtle_triple_terms_are_refused_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "facts.ttl"
    quoted = "<<( <http://example.org/s> <http://example.org/p> <http://example.org/o> )>>"
    path.write_text(turtle() + f"<{BASE}id/person/a> <{TITLE}> {quoted} .\n", encoding="utf-8")
    [problem] = refusal(path)
    assert (problem.rule, problem.line) == ("triple-term", 4)


# -- what already held --------------------------------------------------------


@pytest.mark.parametrize("suffix", [".yaml", ".ttl", ".jsonld"])
def test_an_empty_fact_file_is_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"facts{suffix}"
    path.write_bytes(b"")
    [problem] = validate_files([path], base=BASE, kg=None).problems
    assert problem.rule in ("yaml", "article", "syntax")


@pytest.mark.parametrize("suffix", [".yaml", ".ttl", ".jsonld"])
def test_a_binary_fact_file_is_refused_as_not_utf8(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"facts{suffix}"
    path.write_bytes(bytes(range(256)) * 4)
    [problem] = validate_files([path], base=BASE, kg=None).problems
    assert (problem.rule, problem.fix) == ("encoding", "save as UTF-8")


def test_a_binary_article_text_is_refused(tmp_path: Path) -> None:
    path = write_article(tmp_path)
    (tmp_path / "article.txt").write_bytes(bytes(range(256)))
    [problem] = refusal(path)
    assert problem.rule == "article-file" and "not UTF-8" in problem.message


def test_the_default_limits_accept_the_seeds() -> None:
    limits = Settings().input_limits
    assert limits == DEFAULT_LIMITS
    files = find_seed_files(SEEDS).all
    assert any(ARTICLE_ID in str(path) for path in files)
    assert validate_files(files, base=BASE, kg=None, limits=limits).conforms
