"""The documentation covers every setting, command, named query and ontology term."""

from __future__ import annotations

from dataclasses import fields

import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from graphkg.cli import main
from graphkg.ontology import curie, load_ontology
from graphkg.queries import load_named_queries
from graphkg.settings import SETTINGS_HELP, Settings

from conftest import ROOT

DOCS = ROOT / "docs"


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [f.name for f in fields(Settings)])
def test_every_setting_is_documented_with_help(name: str) -> None:
    assert f"`{name}`" in read("settings.md")
    assert SETTINGS_HELP[name]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented(command: str) -> None:
    assert f"`{command}" in read("cli.md")


@pytest.mark.parametrize("name", sorted(load_named_queries()))
def test_every_named_query_is_documented(name: str) -> None:
    assert f"## `{name}`" in read("queries.md")


def test_every_ontology_term_is_documented() -> None:
    graph = load_ontology().graph
    text = read("ontology.md")
    terms = {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    }
    missing = sorted(curie(str(t)) for t in terms if f"`{curie(str(t))}`" not in text)
    assert missing == []


def test_readme_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
