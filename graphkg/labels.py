"""The names resources are shown by, in tables and pages: one query for a batch of IRIs.

The terminal's tables and the server's pages name a resource alike: its label
(``rdfs:label``, ``skos:prefLabel``, an article's title), in English, else
untagged, else any; an event, which has no name, by its short description.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graphkg.store import KnowledgeGraph

LABEL_PROPERTIES = ("rdfs:label", "skos:prefLabel", "gkg:title", "dcterms:title")
"""Properties whose values name a resource, in order of preference."""

DESCRIPTION = "https://w3id.org/graphkg/ontology#description"
"""Events have no name: their steward's short description stands in for a label."""


def choose_label(candidates: Iterable[tuple[str, str]]) -> str | None:
    """The label to show among (text, language) pairs: English, then untagged, then any."""
    ranked = sorted(
        candidates, key=lambda c: (0 if c[1] == "en" else 1 if c[1] == "" else 2, c[1], c[0])
    )
    return ranked[0][0] if ranked else None


LABEL_BATCH = 200
"""IRIs whose labels one query of the store looks up."""


def fetch_labels(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, str]:
    """The labels of stored IRIs, one per IRI that has any (see :data:`LABEL_PROPERTIES`),
    in one query per :data:`LABEL_BATCH` IRIs.

    The IRIs come from the store, and each is written through ``NamedNode``,
    which rejects anything that is not an IRI.
    """
    wanted = sorted(set(iris))
    found: dict[str, list[tuple[str, str]]] = {}
    described: dict[str, list[tuple[str, str]]] = {}
    properties = " ".join((*LABEL_PROPERTIES, "gkg:description"))
    for start in range(0, len(wanted), LABEL_BATCH):
        values = " ".join(str(ox.NamedNode(iri)) for iri in wanted[start : start + LABEL_BATCH])
        rows = kg.query(
            f"SELECT ?x ?p ?label WHERE {{ VALUES ?x {{ {values} }} "
            f"VALUES ?p {{ {properties} }} ?x ?p ?label }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            label = row["label"]
            if isinstance(label, ox.Literal):
                into = described if row["p"].value == DESCRIPTION else found
                into.setdefault(row["x"].value, []).append((label.value, label.language or ""))
    return {
        iri: label
        for iri in wanted
        if (label := choose_label(found.get(iri) or described.get(iri, [])))
    }
