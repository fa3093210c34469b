"""The ontology's own class and property hierarchy, materialized in the data it types.

A researcher asking for ``?x a gkg:Person`` expects officials too, and for
``?e a gkg:Event`` incidents and responses. SPARQL does no inference, and
neither do Oxigraph or most stores unless configured to, so graphkg stores the
entailed triples with the data: every client of ``/sparql``, every dump and
every store sees them, and queries stay as written. Only gkg's own superclasses
and superproperties are materialized: those of other vocabularies (schema:,
prov:, sem:) would add nearly as many triples again, and the ontology graph
links gkg's terms to them for whoever needs them.
"""

from __future__ import annotations

import dataclasses
from functools import cache

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from graphkg.mapping import MappedSource
from graphkg.namespaces import GKG
from graphkg.ontology import load_ontology
from graphkg.terms import Quad


@dataclasses.dataclass(frozen=True)
class Hierarchy:
    """Each gkg class's and property's gkg ancestors, nearest first."""

    superclasses: dict[URIRef, tuple[URIRef, ...]]
    superproperties: dict[URIRef, tuple[URIRef, ...]]


def _own(term: URIRef) -> bool:
    return str(term).startswith(str(GKG))


@cache
def ontology_hierarchy() -> Hierarchy:
    """The hierarchy of the shipped ontology, restricted to gkg's own terms."""
    ontology = load_ontology()

    def ancestors(term: URIRef, link: URIRef) -> tuple[URIRef, ...]:
        return tuple(above for above in ontology.ancestors(term, link)[1:] if _own(above))

    classes = {cls: ancestors(cls, RDFS.subClassOf) for cls in ontology.classes.values()}
    properties = {
        info.iri: ancestors(info.iri, RDFS.subPropertyOf)
        for infos in ontology.properties.values()
        for info in infos
        if _own(info.iri)
    }
    return Hierarchy(
        {cls: above for cls, above in classes.items() if above},
        {prop: above for prop, above in properties.items() if above},
    )


def entailed_quads(quads: list[Quad], hierarchy: Hierarchy) -> list[Quad]:
    """The quads that ``hierarchy`` entails from ``quads`` and that they lack, in their graphs."""
    present = set(quads)
    added: dict[Quad, None] = {}
    for s, p, o, g in quads:
        if p == RDF.type and isinstance(o, URIRef):
            entailed = [(s, RDF.type, above, g) for above in hierarchy.superclasses.get(o, ())]
        elif isinstance(p, URIRef):
            entailed = [(s, above, o, g) for above in hierarchy.superproperties.get(p, ())]
        else:
            continue
        added.update((quad, None) for quad in entailed if quad not in present)
    return list(added)


def with_entailments(source: MappedSource) -> MappedSource:
    """``source`` with the triples that the ontology's own hierarchy entails from it."""
    added = entailed_quads(source.quads, ontology_hierarchy())
    return dataclasses.replace(source, quads=source.quads + added) if added else source
