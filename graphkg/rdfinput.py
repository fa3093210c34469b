"""Reading a source file of any accepted kind: YAML fact files, Turtle or JSON-LD.

Turtle and JSON-LD submissions describe one ``gkg:Article`` with its text; they
become a :class:`MappedSource` like a YAML fact file and are validated the same way,
under the same limits (:class:`~graphkg.settings.InputLimits`).

JSON-LD is held to Turtle's strictness. Its parser, following the JSON-LD
algorithms, silently drops a node whose ``@id`` is not a valid IRI, a key that
does not expand to one, a value with an invalid IRI or language tag; so it runs
leniently, keeping them, and every IRI and language tag is checked here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

from graphkg.errors import FactFileError
from graphkg.factfile import read_fact_text, shorten
from graphkg.formats import INPUT_FORMATS
from graphkg.iri import article_graph_iri, retained_source_iri
from graphkg.literals import iri_error, language_error
from graphkg.mapping import KnownId, MappedSource, Origin, did_you_mean, map_fact_file
from graphkg.namespaces import GKG
from graphkg.ontology import Ontology
from graphkg.problems import Problem
from graphkg.settings import DEFAULT_LIMITS, InputLimits
from graphkg.terms import to_rdflib

YAML_SUFFIXES = {".yaml", ".yml"}


def map_source_file(
    path: Path,
    ontology: Ontology,
    *,
    base: str,
    known: Mapping[str, KnownId],
    limits: InputLimits = DEFAULT_LIMITS,
    partial: bool = False,
) -> MappedSource:
    """Map a fact file of any accepted format to RDF.

    With ``partial``, a YAML fact file's problems come back in the source's ``problems``
    with what did map (see :func:`~graphkg.mapping.map_fact_file`); Turtle and JSON-LD
    are RDF already, and their problems are raised all the same.
    """
    if path.suffix in YAML_SUFFIXES:
        return map_fact_file(path, ontology, base=base, known=known, limits=limits, partial=partial)
    if path.suffix in INPUT_FORMATS:
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


def _json_line(text: str, value: str, base: str) -> int | None:
    """The line where a JSON-LD document writes ``value``, or a relative form of it."""
    candidates = [value, value.removeprefix(base), value.rsplit("/", 1)[-1]]
    for candidate in candidates:
        for written in (json.dumps(candidate, ensure_ascii=False), candidate):
            position = text.find(written) if candidate else -1
            if position >= 0:
                return text.count("\n", 0, position) + 1
    return None


def _invalid_terms(quads: Iterable[ox.Quad], text: str, file: str, base: str) -> list[Problem]:
    """A problem for each invalid IRI or language tag a lenient parse let through."""
    problems: list[Problem] = []
    seen: set[str] = set()
    fix = 'write an absolute IRI, spaces and <>"{}|\\^` percent-encoded, or a term of @context'
    for quad in quads:
        for place, term in (
            ("subject", quad.subject),
            ("property", quad.predicate),
            ("value", quad.object),
            ("graph", quad.graph_name),
            ("datatype", getattr(quad.object, "datatype", None)),
        ):
            if not isinstance(term, ox.NamedNode) or term.value in seen:
                continue
            seen.add(term.value)
            error = iri_error(term.value)
            if error is not None:
                problems.append(
                    Problem(
                        file,
                        _json_line(text, term.value, base),
                        None,
                        "iri",
                        f"invalid IRI as a {place}: {error}",
                        value=shorten(term.value),
                        fix=fix,
                    )
                )
        language = getattr(quad.object, "language", None)
        if language and language not in seen:
            seen.add(language)
            error = language_error(language)
            if error is not None:
                problems.append(
                    Problem(
                        file,
                        _json_line(text, language, base),
                        None,
                        "language",
                        f"invalid language tag: {error}",
                        value=shorten(language),
                        fix="write a BCP 47 tag such as `en`, `ru` or `az-Latn`",
                    )
                )
    return problems


def _check_declared_count(source: MappedSource, text: str, limits: InputLimits) -> None:
    """Refuse more entities and facts than ``max_facts_per_file``, before their checks.

    Counted: the distinct subjects whose IRI is an entity's or a fact's,
    ``{base}id/{segment}/{id}``, the article excepted; nested nodes (evidence,
    time) belong to their fact and are not counted.
    """
    declared = [iri for iri in source.declared.values() if iri != source.source]
    cap = limits.max_facts_per_file
    if len(declared) > cap:
        raise FactFileError(
            [
                Problem(
                    source.file,
                    _first_line(text, str(declared[cap])),
                    None,
                    "facts-per-file",
                    f"the file declares {len(declared):,} entities and facts; at most {cap:,} "
                    "are accepted (setting max_facts_per_file)",
                    fix="one file describes one article: split what is not this article's",
                )
            ]
        )


def _literal_problems(source: MappedSource, limits: InputLimits) -> list[Problem]:
    """A problem for each literal above its cap: the article's text has its own."""
    problems = []
    for s, p, o, _ in source.quads:
        if not isinstance(o, Literal):
            continue
        if s == source.source and p == GKG.text:
            what, setting, rule = "the article text", "max_article_chars", "article-length"
        else:
            what, setting, rule = f"a value of <{p}>", "max_literal_chars", "literal-length"
        cap = getattr(limits, setting)
        if len(o) <= cap:
            continue
        origin = source.origins.get(URIRef(s))
        problems.append(
            Problem(
                source.file,
                origin.line if origin else None,
                origin.fact if origin else None,
                rule,
                f"{what} is {len(o):,} characters long; at most {cap:,} are accepted "
                f"(setting {setting})",
                value=shorten(str(o)),
                fix="shorten it",
            )
        )
    return problems


def map_rdf_file(
    path: Path,
    *,
    base: str,
    known: Mapping[str, KnownId],
    limits: InputLimits = DEFAULT_LIMITS,
) -> MappedSource:
    file = str(path)
    text = read_fact_text(path, limits)
    rdf_format = INPUT_FORMATS[path.suffix]
    lenient = rdf_format == ox.RdfFormat.JSON_LD
    try:
        quads = list(
            ox.parse(input=text.encode(), format=rdf_format, base_iri=base, lenient=lenient)
        )
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
    if lenient and (invalid := _invalid_terms(quads, text, file, base)):
        raise FactFileError(invalid)
    if nested := next((q for q in quads if isinstance(q.object, ox.Triple)), None):
        raise FactFileError(
            [
                Problem(
                    file,
                    _first_line(text, str(nested.subject.value)),
                    None,
                    "triple-term",
                    "triple terms (`<<( … )>>`, `~ reifier` and `{| … |}` annotations) "
                    "are not accepted",
                    fix="state each fact as its own triples about an IRI under the base",
                )
            ]
        )
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
    retained = URIRef(retained_source_iri(base))
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
            if owner is not None and owner.source not in (article, retained):
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
    _check_declared_count(source, text, limits)
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
    problems.extend(_literal_problems(source, limits))
    for _, _, o, _ in source.quads:
        match = root.match(str(o)) if isinstance(o, URIRef) else None
        if match is None or match.group(1) in source.declared:
            continue
        stored = known.get(match.group(1))
        if stored is not None and stored.iri == URIRef(o):
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
