"""Hostile input is refused cheaply and changes nothing; cheap requests stay answered.

Every case here was tried on the code as an attacker or a careless client
would, and each limit is a setting with a safe default whose error names it.
The tests check what is refused, with which status or problem, and that
nothing was stored or broken; never timings (``bench/hostile.py`` shows those).

- Fact files read only their own article, cannot blow up memory or time, and
  JSON-LD is held to Turtle's strictness; the tests use small settings where
  the default would need a huge file.
- Requests: bad dataset IRIs stop at the door instead of killing a query
  worker, pathological queries stop in the guard instead of holding a worker
  for the whole timeout, request heads are capped and ``Accept`` is read in
  linear time, and the SPARQL 1.1 Protocol's details hold.
- Pages and URLs: data is escaped on every page, and paths cannot climb out.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from rdflib import URIRef
from test_server_process import get, serving
from werkzeug.exceptions import BadRequest

from graphkg.cli import main
from graphkg.errors import FactFileError, ValidationFailed
from graphkg.mapping import MappedSource
from graphkg.namespaces import GKG
from graphkg.ontology import load_ontology
from graphkg.pipeline import add_file, find_seed_files, validate_files
from graphkg.problems import Problem
from graphkg.rdfinput import map_source_file
from graphkg.server.guard import check_query
from graphkg.server.negotiation import GRAPH_TYPES, acceptable, best
from graphkg.settings import DEFAULT_LIMITS, InputLimits, Settings
from graphkg.store import KnowledgeGraph, open_store

from conftest import ARTICLE_ID, BACKENDS, BASE, BILLION_LAUGHS, SEEDS, line_of, own_seed_store

# == fact files ==================================================================

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


# == requests ====================================================================

DEFAULTS = Settings()
JSON = "application/sparql-results+json"
QUERY_TYPE = "application/sparql-query"


def variables(count: int) -> str:
    """A query that names ``count`` distinct variables and does nothing with them."""
    return "SELECT " + " ".join(f"?v{index}" for index in range(count)) + " WHERE {}"


def worker_restarts(app: Flask) -> int:
    return int(app.extensions["graphkg"].queries.restarts)


# -- dataset IRIs --------------------------------------------------------------


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("iri", ["not an iri", "http://example.org/a b", "relative/graph"])
def test_an_invalid_dataset_iri_is_400_naming_the_parameter_and_kills_no_worker(
    app: Flask, client: FlaskClient, parameter: str, iri: str
) -> None:
    restarts = worker_restarts(app)
    response = client.get("/sparql", query_string={"query": "ASK {}", parameter: iri})
    assert response.status_code == 400
    assert parameter in response.get_data(as_text=True)
    assert worker_restarts(app) == restarts


# -- pathological queries ------------------------------------------------------


def test_a_query_naming_more_variables_than_the_limit_is_400_naming_the_setting(
    client: FlaskClient,
) -> None:
    query = variables(DEFAULTS.max_query_variables + 1)
    response = client.post("/sparql", data=query, content_type=QUERY_TYPE)
    assert response.status_code == 400
    assert "max_query_variables" in response.get_data(as_text=True)


def test_a_query_naming_as_many_variables_as_the_limit_is_answered(client: FlaskClient) -> None:
    query = variables(DEFAULTS.max_query_variables)
    response = client.post("/sparql", data=query, content_type=QUERY_TYPE)
    assert response.status_code == 200


def test_variables_count_once_and_never_inside_strings_iris_or_comments() -> None:
    query = 'SELECT ?x $x ?y WHERE { ?x <http://e.org/?a> "?b" . ?y ?x "$c" } # ?d'
    check_query(query, max_depth=8, max_variables=2, service_allowlist=())
    with pytest.raises(BadRequest, match="max_query_variables"):
        check_query(query, max_depth=8, max_variables=1, service_allowlist=())


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p '" + "\\'" * 100_000 + " }",
        'SELECT * WHERE { ?s ?p "' + '\\"' * 100_000 + " }",
        "SELECT * WHERE { SERVICE ?x {} } " + "PREFIX a: < " * 50_000,
        "SELECT * WHERE { " + "SERVICE < " * 50_000 + "}",
    ],
    ids=["unclosed-single-quotes", "unclosed-double-quotes", "unclosed-prefix-iris", "services"],
)
def test_a_query_the_guard_once_read_in_quadratic_time_is_400(
    client: FlaskClient, query: str
) -> None:
    """Each was matched again from every quote or ``<``: minutes of one HTTP process's time.

    A string that never closes now hides the rest of its line (the engine then
    refuses the query), and SERVICE and PREFIX read only the skeleton's numbered IRIs.
    """
    response = client.post("/sparql", data=query, content_type=QUERY_TYPE)
    assert response.status_code == 400


def test_a_cheap_query_is_answered_while_clients_loop_on_a_query_of_100000_variables(
    app: Flask,
) -> None:
    """Each such query held a worker for the whole timeout: two left ``ASK {}`` waiting.

    The cheap queries are POSTed, which the response cache never answers, and
    may wait 5 s for a free worker: far less than a held worker's 30 s timeout.
    """
    hostile = variables(100_000)
    stop = threading.Event()
    started = [threading.Event(), threading.Event()]
    statuses: list[int] = []

    def loop(sending: threading.Event) -> None:
        client = app.test_client()
        while not stop.is_set():
            sending.set()
            response = client.post("/sparql", data=hostile, content_type=QUERY_TYPE)
            statuses.append(response.status_code)

    loops = [threading.Thread(target=loop, args=(event,)) for event in started]
    for thread in loops:
        thread.start()
    try:
        assert all(event.wait(30) for event in started)
        cheap = app.test_client()
        answers = [
            cheap.post("/sparql?timeout=5", data="ASK {}", content_type=QUERY_TYPE).status_code
            for _ in range(5)
        ]
    finally:
        stop.set()
        for thread in loops:
            thread.join(60)
    assert answers == [200] * 5
    assert statuses and set(statuses) == {400}


# -- headers -------------------------------------------------------------------


def accept_of(size: int, *, last: str) -> str:
    """An ``Accept`` header of ``size`` bytes: thousands of types offered nowhere, then ``last``."""
    filler = ",".join(f"application/x-{index}" for index in range(size // 10))
    return filler[: size - len(last) - 1].rstrip(",") + "," + last


def test_a_head_over_max_header_bytes_is_431_naming_the_setting(client: FlaskClient) -> None:
    accept = accept_of(DEFAULTS.max_header_bytes + 1, last=JSON)
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": accept})
    assert response.status_code == 431
    assert "max_header_bytes" in response.get_data(as_text=True)


def test_an_accept_of_thousands_of_media_ranges_under_the_limit_is_negotiated(
    client: FlaskClient,
) -> None:
    accept = accept_of(DEFAULTS.max_header_bytes - 1024, last=f"{JSON};q=0.5")
    response = client.post(
        "/sparql", data="ASK {}", content_type=QUERY_TYPE, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.mimetype == JSON


def test_accept_parameters_other_than_q_do_not_hide_a_type() -> None:
    assert best("text/turtle;charset=utf-8", GRAPH_TYPES) == "text/turtle"


def test_the_most_specific_media_range_gives_a_type_its_weight() -> None:
    accept = "text/*;q=0.5, text/csv;q=0.1, */*;q=0.2, text/csv;q=0.05"
    offered = ("text/csv", "application/ld+json", "text/tab-separated-values")
    assert acceptable(accept, offered) == (
        "text/tab-separated-values",
        "application/ld+json",
        "text/csv",
    )


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest,
    built_store_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    with own_seed_store(built_store_dir, folder, request.param) as store, serving(store) as served:
        yield served[0]


def test_the_http_server_refuses_a_head_over_max_header_bytes(server: str) -> None:
    """Refused by the HTTP server's read buffer before any Python runs, or else by the app."""
    ask = f"{server}/sparql?query=ASK%20%7B%7D"
    for size in (DEFAULTS.max_header_bytes + 1, 2 * DEFAULTS.max_header_bytes):
        assert get(ask, accept_of(size, last=JSON))[0] == 431, size
    status, headers, _ = get(ask, accept_of(DEFAULTS.max_header_bytes - 1024, last=JSON))
    assert status == 200
    assert headers["Content-Type"] == JSON


# -- protocol details ----------------------------------------------------------


def test_an_update_by_get_is_400_saying_to_post_it(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"update": "CLEAR ALL"})
    assert response.status_code == 400
    assert "POST" in response.get_data(as_text=True)


def test_relative_iris_in_a_query_resolve_against_the_endpoint(client: FlaskClient) -> None:
    """The W3C protocol test ``query_content_type_construct``."""
    response = client.post(
        "/sparql",
        data="CONSTRUCT { <s> <p> 1 } WHERE {}",
        content_type=QUERY_TYPE,
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200
    [triple] = ox.parse(response.data, format=ox.RdfFormat.N_TRIPLES)
    assert triple.subject == ox.NamedNode("http://localhost/s")
    assert triple.predicate == ox.NamedNode("http://localhost/p")


# == pages and URLs ================================================================

SCRIPT = "<script>alert(1)</script>"
INJECTED_ID = "injected-article"


@pytest.fixture(scope="module", params=BACKENDS)
def injected_client(
    request: pytest.FixtureRequest,
    built_store_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[FlaskClient]:
    """A server whose store holds an article whose title, text and entity carry markup."""
    root = tmp_path_factory.mktemp("injected")
    with own_seed_store(built_store_dir, root, request.param) as store:
        yield from _injected_client(root, store)


def _injected_client(root: Path, store: Path | str) -> Iterator[FlaskClient]:
    from graphkg.server import create_app

    folder = root / INJECTED_ID
    folder.mkdir()
    sentence = f"Officials named {SCRIPT} Smith as their speaker."
    (folder / "article.txt").write_text(sentence + "\n", encoding="utf-8")
    facts = folder / "facts.yaml"
    facts.write_text(
        f"article:\n  id: {INJECTED_ID}\n  file: article.txt\n  language: en\n"
        f"  title: {json.dumps('Speaker ' + SCRIPT)}\n"
        "entities:\n  - id: injected-speaker\n    type: Person\n"
        f"    label: {json.dumps(SCRIPT + ' Smith')}\n"
        f"    evidence: {json.dumps(SCRIPT + ' Smith')}\n"
        "facts:\n  - id: injected-naming\n    type: Response\n    responseKind: statement\n"
        "    attestation: stated\n    actor: injected-speaker\n"
        f"    description: {json.dumps('the naming of ' + SCRIPT + ' Smith')}\n"
        "    noTriggerNote: the article says nothing of what prompted it\n"
        "    involves:\n      - {agent: injected-speaker, role: speaker}\n"
        f"    evidence: {json.dumps(sentence)}\n",
        encoding="utf-8",
    )
    writer = open_store(Settings(store=store, base=BASE), writer=True)  # type: ignore[arg-type]
    add_file(writer, facts)
    del writer
    app = create_app(Settings(store=store, workers=1))  # type: ignore[arg-type]
    yield app.test_client()
    app.extensions["graphkg"].pool.close()


@pytest.mark.parametrize(
    "path",
    [
        "/id/person/injected-speaker",
        "/id/response/injected-naming",
        f"/id/article/{INJECTED_ID}",
        f"/graph/article/{INJECTED_ID}",
        "/queries/articles",
        "/queries/responses?attestation=all",
        f"/queries/evidence?fact={BASE}id/person/injected-speaker",
    ],
)
def test_markup_in_the_data_is_escaped_on_every_page(
    injected_client: FlaskClient, path: str
) -> None:
    response = injected_client.get(path, headers={"Accept": "text/html"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:300]
    assert SCRIPT not in body
    # A name shown without a label may break after a slash: <wbr> is the page's own tag.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body.replace("/<wbr>", "/")


@pytest.mark.parametrize(
    "path",
    [
        "/id/../../../../etc/passwd",
        "/id/person/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/static/../../../../etc/passwd",
        "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/dump.ttl/../../../etc/passwd",
        "/queries/..%2F..%2F..%2Fetc%2Fpasswd",
        "/rdf-graphs/service?graph=file:///etc/passwd",
        "/ontology.%2F..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_a_path_that_climbs_out_serves_no_file(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404, 406)
    assert b"root:" not in response.get_data()


@pytest.mark.parametrize(
    "path",
    [
        "/id/person/" + "a" * 100_000,
        "/queries/timeline?since=" + "1" * 100_000,
        "/sparql?query=ASK" + "%20" * 33_000,
    ],
)
def test_a_url_of_100_kb_is_431_naming_the_setting(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 431
    assert "max_header_bytes" in response.get_data(as_text=True)


def test_a_query_of_100_kb_sent_in_a_post_body_is_answered(client: FlaskClient) -> None:
    response = client.post(
        "/sparql", data="ASK {}" + " " * 100_000, content_type="application/sparql-query"
    )
    assert response.status_code == 200


# == search ====================================================================


@pytest.fixture
def search_client(write_app: Flask) -> FlaskClient:
    """A server over the seeds whose writer made the search index (see test_search.py)."""
    return write_app.test_client()


def searched(client: FlaskClient, q: str, **args: str) -> tuple[int, dict[str, object]]:
    response = client.get("/search.json", query_string={"q": q, **args})
    return response.status_code, response.get_json()


@pytest.mark.parametrize(
    "q",
    [
        "NEAR(Russia Azerbaijan)",
        "NEAR(Russia Azerbaijan, 2)",
        "Russia NEAR/3 Azerbaijan",
        "Russia AND Azerbaijan",
        "Russia OR",
        "OR",
        "NOT Russia",
        "AND AND AND",
        "*",
        "Russia*",
        "* Russia",
        '"',
        '""',
        '"Russia',
        'Russia"',
        '"Russia" "',
        '"""Russia"""',
        "label:Russia",
        "{label alt}: Russia",
        "- label : Russia",
        "^Russia",
        "+Russia -Azerbaijan",
        "(Russia",
        "Russia)",
        "Russia\x00Azerbaijan",
        "\x00",
        "'; DROP TABLE texts; --",
        "\u0301\u0301",
        "\u202eRussia",
        "\ue000Russia\ue001",
        "😀 Russia",
    ],
)
def test_search_syntax_is_never_fts5_syntax_and_answers_200(
    search_client: FlaskClient, q: str
) -> None:
    status, body = searched(search_client, q)
    assert status == 200, body
    assert isinstance(body["hits"], list)
    # Nothing typed dropped a table or broke the index: a plain search still finds Russia.
    assert searched(search_client, "Russia")[1]["hits"][0]["iri"] == f"{BASE}id/state/russia"  # type: ignore[index]


def test_search_operators_are_words_not_operators(search_client: FlaskClient) -> None:
    # As FTS5's OR this would find Overchuk and Putin; as a word, no text has all three.
    assert searched(search_client, "Putin")[1]["hits"]
    assert searched(search_client, "Overchuk OR Putin")[1]["hits"] == []
    found = searched(search_client, "or Russian")[1]["hits"]
    assert found and all("Overchuk or any other Russian" in str(hit["snippet"]) for hit in found)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("q", "says"),
    [
        ("a" * 501, "at most 500 characters"),
        ("Russia " * 17, "at most 16 terms"),
        ("a " * 5_000, "at most 500 characters"),
        ('"' * 600, "at most 500 characters"),
    ],
)
def test_search_text_over_the_limits_is_400_saying_which(
    search_client: FlaskClient, q: str, says: str
) -> None:
    for path in ("/search.json", "/search"):
        response = search_client.get(path, query_string={"q": q})
        assert response.status_code == 400
        assert says in response.get_data(as_text=True)
    body = searched(search_client, q)[1]
    assert body["ok"] is False and body["status"] == 400


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "101", "1" * 5_000, "\x00"])
def test_a_search_limit_out_of_range_is_400(search_client: FlaskClient, limit: str) -> None:
    status, body = searched(search_client, "Russia", limit=limit)
    assert status == 400 and "?limit=" in str(body["error"])


def test_a_search_term_of_100_kb_stops_at_the_door(search_client: FlaskClient) -> None:
    response = search_client.get("/search.json", query_string={"q": "a" * 100_000})
    assert response.status_code == 431
    assert "max_header_bytes" in response.get_data(as_text=True)


@pytest.mark.parametrize("text", ["a" * 100_000, "a " * 10_000, "x" * 499 + "\x00" * 2])
def test_search_text_over_the_limits_is_refused_before_it_is_read(text: str) -> None:
    from graphkg.search import SearchTextError, search_expression

    with pytest.raises(SearchTextError, match="at most"):
        search_expression(text)


def test_a_search_class_with_markup_or_nul_is_a_filter_that_matches_nothing(
    search_client: FlaskClient,
) -> None:
    for cls in ("<script>alert(1)</script>", "gkg:State\x00", "' OR 1=1 --"):
        status, body = searched(search_client, "Russia", **{"class": cls})
        assert status == 200 and body["hits"] == []
    page = search_client.get(
        "/search", query_string={"q": "Russia", "class": SCRIPT}, headers={"Accept": "text/html"}
    )
    assert page.status_code == 200 and SCRIPT not in page.get_data(as_text=True)
