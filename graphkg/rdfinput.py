"""Reading a source file of any accepted kind: YAML fact files, Turtle or JSON-LD.

Turtle and JSON-LD submissions describe one ``gkg:Article`` with its text; they
become a :class:`MappedSource` like a YAML fact file and are validated the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.namespace import RDF

from graphkg.errors import FactFileError
from graphkg.iri import article_graph_iri
from graphkg.mapping import KnownId, MappedSource, Origin, did_you_mean, map_fact_file
from graphkg.namespaces import GKG
from graphkg.ontology import Ontology
from graphkg.problems import Problem
from graphkg.settings import DEFAULT_LIMITS, InputLimits
from graphkg.terms import to_rdflib

RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".jsonld": ox.RdfFormat.JSON_LD}
YAML_SUFFIXES = {".yaml", ".yml"}


def map_source_file(
    path: Path,
    ontology: Ontology,
    *,
    base: str,
    known: dict[str, KnownId],
    limits: InputLimits = DEFAULT_LIMITS,
) -> MappedSource:
    """Map a fact file of any accepted format to RDF."""
    if path.suffix in YAML_SUFFIXES:
        return map_fact_file(path, ontology, base=base, known=known, limits=limits)
    if path.suffix in RDF_FORMATS:
        return map_rdf_file(path, base=base, known=known, limits=limits)
    raise FactFileError(
        [
            Problem(
                str(path),
                None,
                None,
                "format",
                f"unsupported file type {path.suffix!r}",
                fix="submit a .yaml fact file, or .ttl or .jsonld",
            )
        ]
    )


def _first_line(text: str, iri: str) -> int | None:
    for candidate in (iri, iri.rsplit("/", 1)[-1]):
        position = text.find(candidate)
        if position >= 0:
            return text.count("\n", 0, position) + 1
    return None


def map_rdf_file(
    path: Path, *, base: str, known: dict[str, KnownId], limits: InputLimits = DEFAULT_LIMITS
) -> MappedSource:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        quads = list(ox.parse(input=text.encode(), format=RDF_FORMATS[path.suffix], base_iri=base))
    except (OSError, UnicodeDecodeError) as error:
        raise FactFileError([Problem(file, None, None, "file", f"cannot read: {error}")]) from None
    except SyntaxError as error:
        found = re.search(r"line (\d+)", str(error))
        raise FactFileError(
            [
                Problem(
                    file,
                    int(found.group(1)) if found else None,
                    None,
                    "syntax",
                    f"malformed {path.suffix[1:]}: {error}",
                    fix="fix the syntax near this line",
                )
            ]
        ) from None
    triples = [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)) for q in quads]
    problems: list[Problem] = []
    articles = sorted({s for s, p, o in triples if p == RDF.type and o == GKG.Article})
    article_prefix = f"{base}id/article/"
    if len(articles) != 1 or not str(articles[0]).startswith(article_prefix):
        raise FactFileError(
            [
                Problem(
                    file,
                    None,
                    None,
                    "article",
                    f"expected one gkg:Article under {article_prefix}, found {len(articles)}",
                    fix="describe exactly one article, with its gkg:text",
                )
            ]
        )
    article = URIRef(articles[0])
    article_id = str(article)[len(article_prefix) :]
    graph = URIRef(article_graph_iri(base, article_id))
    source = MappedSource(file, article, article_id, graph)
    root = re.compile(re.escape(base) + r"id/[a-z]+/([a-z0-9]+(?:-[a-z0-9]+)*)$")
    for s, p, o in triples:
        if isinstance(s, BNode) or isinstance(o, BNode):
            problems.append(
                Problem(
                    file,
                    None,
                    None,
                    "blank-node",
                    "blank nodes are not accepted",
                    fix=f"give every node an IRI under {base}id/",
                )
            )
            break
        source.quads.append((s, p, o, graph))
        match = root.match(str(s))
        if match and match.group(1) not in source.declared:
            owner = known.get(match.group(1))
            if owner is not None and owner.source != article:
                problems.append(
                    Problem(
                        file,
                        _first_line(text, str(s)),
                        match.group(1),
                        "unique-id",
                        f"id {match.group(1)!r} is already used by {owner.source}",
                        fix="choose another id",
                    )
                )
            source.declared[match.group(1)] = URIRef(s)
    for s in {q[0] for q in source.quads}:
        fact = next(
            (
                id_
                for id_, iri in source.declared.items()
                if str(s) == str(iri) or str(s).startswith(f"{iri}/")
            ),
            None,
        )
        source.origins[URIRef(s)] = Origin(_first_line(text, str(s)), fact)
    known_iris = {k.iri: id_ for id_, k in known.items()}
    for _, _, o, _ in source.quads:
        match = root.match(str(o)) if isinstance(o, URIRef) else None
        if match is None or match.group(1) in source.declared:
            continue
        if o in known_iris:
            source.references.add(URIRef(o))
        else:
            problems.append(
                Problem(
                    file,
                    _first_line(text, str(o)),
                    None,
                    "unknown-id",
                    f"reference to unknown id {match.group(1)!r}",
                    value=str(o),
                    fix=did_you_mean(match.group(1), sorted(known), "id"),
                )
            )
    if problems:
        raise FactFileError(problems)
    return source
