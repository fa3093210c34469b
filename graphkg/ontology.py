"""What the mapper needs to know from the ontology: properties, ranges, classes, concepts.

The ontology in ``ontology/*.ttl`` is the single source of truth. A property
declared there is usable in fact files by its local name at once, its range
deciding how a value is read.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node as RdfNode

from graphkg.namespaces import GKG, PREFIXES, SCHEMA
from graphkg.resources import turtle_files

STRUCTURE = frozenset(
    {
        RDF.type,
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        SCHEMA.domainIncludes,
        SCHEMA.rangeIncludes,
        OWL.inverseOf,
        SKOS.broader,
        SKOS.inScheme,
        SKOS.notation,
        SKOS.topConceptOf,
        GKG.requiresKindNote,
    }
)
"""The ontology's predicates that say what its terms are and how they relate, with the
concepts' codes: what shapes may read of it. The others document terms (labels,
definitions, notes, alignments) for people and other vocabularies."""


class ValueKind(enum.Enum):
    """How a fact-file value of a property becomes an RDF term."""

    LITERAL = "literal"
    LANG_STRING = "langString"
    CONCEPT = "concept"
    REFERENCE = "reference"
    NESTED = "nested"


@dataclass(frozen=True)
class PropertyInfo:
    iri: URIRef
    key: str
    range: URIRef | None
    kind: ValueKind


def local_name(iri: str) -> str:
    for separator in ("#", "/"):
        if separator in iri:
            iri = iri.rsplit(separator, 1)[1]
    return iri


def curie(iri: str) -> str:
    """The shortest CURIE for an IRI, or the IRI itself in angle brackets."""
    for name, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace) :]}"
    return f"<{iri}>"


class Ontology:
    """An index over the ontology graph, built once per process."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._ancestors: dict[tuple[URIRef, URIRef], tuple[URIRef, ...]] = {}
        self.classes: dict[str, URIRef] = {}
        for cls in set(graph.subjects(RDF.type, OWL.Class)):
            if isinstance(cls, URIRef) and str(cls).startswith(str(GKG)):
                self.classes[local_name(cls)] = cls
        self._segments = {
            cls: str(seg)
            for cls, seg in graph.subject_objects(GKG.iriSegment)
            if isinstance(cls, URIRef)
        }
        self.concepts: dict[URIRef, dict[str, URIRef]] = {}
        for cls in self.classes.values():
            if SKOS.Concept in self.ancestors(cls):
                self.concepts[cls] = {
                    local_name(c): c for c in graph.subjects(RDF.type, cls) if isinstance(c, URIRef)
                }
        self.properties: dict[str, list[PropertyInfo]] = {}
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
            for prop in set(graph.subjects(RDF.type, kind)):
                if not isinstance(prop, URIRef) or prop == GKG.iriSegment:
                    continue
                range_ = graph.value(prop, RDFS.range)
                info = PropertyInfo(
                    prop,
                    local_name(prop),
                    range_ if isinstance(range_, URIRef) else None,
                    self._value_kind(range_),
                )
                self.properties.setdefault(info.key, []).append(info)

    def ancestors(self, term: URIRef, link: URIRef = RDFS.subClassOf) -> tuple[URIRef, ...]:
        """The term and its ancestors along ``link``, nearest first: by default a class
        and its superclasses; with ``rdfs:subPropertyOf``, a property and its superproperties.

        Found once per term (the ontology does not change once loaded): mapping asks
        for a class's ancestors at every value it checks."""
        key = (term, link)
        if key not in self._ancestors:
            self._ancestors[key] = tuple(self._find_ancestors(term, link))
        return self._ancestors[key]

    def _find_ancestors(self, term: URIRef, link: URIRef) -> list[URIRef]:
        seen: list[URIRef] = []
        frontier = [term]
        while frontier:
            current = frontier.pop(0)
            if current in seen:
                continue
            seen.append(current)
            frontier.extend(
                sorted(p for p in self.graph.objects(current, link) if isinstance(p, URIRef))
            )
        return seen

    @cached_property
    def _structure_about(self) -> dict[RdfNode, list[tuple[RdfNode, RdfNode, RdfNode]]]:
        about: dict[RdfNode, list[tuple[RdfNode, RdfNode, RdfNode]]] = defaultdict(list)
        for triple in self.graph:
            if triple[1] in STRUCTURE:
                about[triple[0]].append(triple)
        return dict(about)

    def reachable_from(self, nodes: Iterable[RdfNode]) -> list[tuple[RdfNode, RdfNode, RdfNode]]:
        """The ontology's :data:`STRUCTURE` triples about ``nodes`` and, transitively, about
        the terms they name.

        For a class, its superclasses; for a property, its domain and range
        classes; for a concept, its broader concepts and scheme: what a shape
        can ask of a term the data uses, without the thousands of triples about
        terms it does not use, nor the labels and definitions of those it does.
        """
        about = self._structure_about
        seen = {node for node in nodes if node in about}
        frontier = list(seen)
        found: list[tuple[RdfNode, RdfNode, RdfNode]] = []
        while frontier:
            for triple in about[frontier.pop()]:
                found.append(triple)
                value = triple[2]
                if value in about and value not in seen:
                    seen.add(value)
                    frontier.append(value)
        return found

    def iri_segments(self) -> list[str]:
        """Every segment under which classes mint IRIs (``state``, ``incident``…)."""
        return sorted(set(self._segments.values()))

    def segment(self, cls: URIRef) -> str | None:
        """The IRI segment of a class: its own ``gkg:iriSegment`` or its nearest ancestor's."""
        for ancestor in self.ancestors(cls):
            if ancestor in self._segments:
                return self._segments[ancestor]
        return None

    def _value_kind(self, range_: object) -> ValueKind:
        if range_ == RDF.langString:
            return ValueKind.LANG_STRING
        if isinstance(range_, URIRef) and (
            str(range_).startswith(str(XSD)) or range_ == RDFS.Literal
        ):
            return ValueKind.LITERAL
        if isinstance(range_, URIRef) and range_ in {
            c for c in self.graph.subjects(RDFS.subClassOf, SKOS.Concept)
        }:
            return ValueKind.CONCEPT
        if isinstance(range_, URIRef) and self._is_nested_class(range_):
            return ValueKind.NESTED
        return ValueKind.REFERENCE

    def _is_nested_class(self, cls: URIRef) -> bool:
        """A class whose instances are child nodes of a fact (no IRI segment anywhere)."""
        if not str(cls).startswith(str(GKG)) or self.segment(cls) is not None:
            return False
        return not any(
            self.segment(sub) is not None
            for sub in self.graph.transitive_subjects(RDFS.subClassOf, cls)
        )

    def property_for(self, key: str) -> PropertyInfo | None:
        """The property a fact-file key names: a local name, or a CURIE when ambiguous."""
        if ":" in key:
            prefix, _, local = key.partition(":")
            namespace = PREFIXES.get(prefix)
            return next(
                (
                    info
                    for info in self.properties.get(local, [])
                    if namespace and str(info.iri) == namespace + local
                ),
                None,
            )
        candidates = self.properties.get(key, [])
        return candidates[0] if len(candidates) == 1 else None

    def is_ambiguous(self, key: str) -> bool:
        return len(self.properties.get(key, [])) > 1

    def property_keys(self) -> list[str]:
        keys: list[str] = []
        for local, infos in self.properties.items():
            keys.extend([local] if len(infos) == 1 else [curie(i.iri) for i in infos])
        return sorted(keys)


def ontology_graph(paths: list[Path] | None = None) -> Graph:
    graph = Graph()
    for path in paths or turtle_files("ontology"):
        graph.parse(path, format="turtle")
    return graph


@cache
def load_ontology() -> Ontology:
    """The shipped ontology, parsed once per process."""
    return Ontology(ontology_graph())
