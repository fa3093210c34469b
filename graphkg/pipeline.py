"""The one-way path from files to the store: read, map, validate, then write.

Nothing is written unless every source conforms; each write is one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib.namespace import RDF
from rdflib.term import Node as RdfNode

from graphkg.coverage import coverage_warnings
from graphkg.entailment import with_entailments
from graphkg.errors import FactFileError, ValidationFailed
from graphkg.iri import ontology_graph_iri, shapes_graph_iri
from graphkg.mapping import KnownId, MappedSource, with_ids
from graphkg.ontology import load_ontology
from graphkg.problems import Problem
from graphkg.rdfinput import map_source_file
from graphkg.resources import turtle_files
from graphkg.settings import DEFAULT_LIMITS, InputLimits
from graphkg.store import KnowledgeGraph
from graphkg.validation import ValidationReport, validate_source

Triple = tuple[RdfNode, RdfNode, RdfNode]

ENTITIES_FILE = "entities.yaml"
ENTITIES_FOLDER = "entities"
ENTITY_FILE_SUFFIXES = (".yaml", ".yml")
FACT_FILE_NAMES = ("facts.yaml", "facts.yml", "facts.ttl", "facts.jsonld")


@dataclass(frozen=True)
class SeedFiles:
    """The fact files of a seeds directory: the shared entities files first, then articles.

    Every shared entity is mapped before any article, so an article may use any
    of them whatever the order of the folders.
    """

    entities: list[Path]
    articles: list[Path]

    @property
    def all(self) -> list[Path]:
        return self.entities + self.articles


def find_seed_files(seeds: Path) -> SeedFiles:
    """``entities.yaml`` and the YAML files of ``entities/``, then each folder's fact file."""
    folder = seeds / ENTITIES_FOLDER
    shared = sorted(
        path
        for path in (folder.iterdir() if folder.is_dir() else ())
        if path.suffix in ENTITY_FILE_SUFFIXES and path.is_file()
    )
    entities = ([seeds / ENTITIES_FILE] if (seeds / ENTITIES_FILE).is_file() else []) + shared
    articles = sorted(
        path
        for folder in sorted(p for p in seeds.iterdir() if p.is_dir() and p.name != ENTITIES_FOLDER)
        for path in (folder / name for name in FACT_FILE_NAMES)
        if path.is_file()
    )
    return SeedFiles(entities, articles)


class _BatchTriples:
    """The triples of a batch of sources by subject, each with the source it is from.

    Built once, so that finding what one source references costs what it
    references, not the size of the batch.
    """

    def __init__(self, sources: Iterable[MappedSource]) -> None:
        self._by_subject: dict[RdfNode, list[tuple[MappedSource, Triple]]] = defaultdict(list)
        for source in sources:
            for s, p, o, _ in source.quads:
                self._by_subject[s].append((source, (s, p, o)))

    def about(self, subject: RdfNode, outside: MappedSource) -> list[Triple]:
        return [
            triple for source, triple in self._by_subject.get(subject, ()) if source is not outside
        ]


def _context(source: MappedSource, batch: _BatchTriples, kg: KnowledgeGraph | None) -> list[Triple]:
    """Triples about what ``source`` references (and their values' types), from batch and store."""
    wanted = set(source.references)
    about = [triple for subject in wanted for triple in batch.about(subject, source)]
    pointed_to = {o for _, _, o in about}
    types = [
        triple
        for subject in pointed_to
        for triple in batch.about(subject, source)
        if triple[1] == RDF.type
    ]
    found = {s for s, _, _ in about}
    triples = about + types
    if kg is not None and wanted - found:
        triples.extend(kg.describe(wanted - found))
    return triples


@dataclass
class MappedFiles:
    """Fact files mapped in order: the sources that mapped, the problems of those that did not."""

    sources: list[MappedSource]
    problems: list[Problem]


def map_files(
    paths: list[Path],
    *,
    base: str,
    kg: KnowledgeGraph | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
) -> MappedFiles:
    """Map every file, with the store's ids; later files may use earlier files' ids."""
    ontology = load_ontology()
    known: Mapping[str, KnownId] = kg.stored_ids() if kg is not None else {}
    mapped = MappedFiles([], [])
    for path in paths:
        try:
            source = map_source_file(path, ontology, base=base, known=known, limits=limits)
        except FactFileError as error:
            mapped.problems.extend(error.problems)
            continue
        mapped.sources.append(source)
        known = with_ids(
            known, {id_: KnownId(iri, source.source) for id_, iri in source.declared.items()}
        )
    return mapped


def map_and_validate(
    paths: list[Path],
    *,
    base: str,
    kg: KnowledgeGraph | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
    progress: Callable[[Path], None] | None = None,
) -> tuple[list[MappedSource], ValidationReport]:
    """Map every file (later files may use earlier files' ids), then validate each.

    Each article's unexplained sentences (see :mod:`graphkg.coverage`) are
    warnings in its report: they do not keep it from conforming.
    """
    mapped = map_files(paths, base=base, kg=kg, limits=limits)
    reports = [ValidationReport.of_problems(mapped.problems)]
    batch = _BatchTriples(mapped.sources)
    for source in mapped.sources:
        if progress is not None:
            progress(Path(source.file))
        report = validate_source(source, _context(source, batch, kg))
        report.problems.extend(coverage_warnings(source))
        reports.append(report)
    return mapped.sources, ValidationReport.merge(reports)


def validate_files(
    paths: list[Path],
    *,
    base: str,
    kg: KnowledgeGraph | None,
    limits: InputLimits = DEFAULT_LIMITS,
) -> ValidationReport:
    """Validate fact files against the store's entities without changing anything."""
    return map_and_validate(paths, base=base, kg=kg, limits=limits)[1]


def build_store(
    kg: KnowledgeGraph,
    seeds: Path,
    *,
    limits: InputLimits = DEFAULT_LIMITS,
    progress: Callable[[Path], None] | None = None,
) -> list[MappedSource]:
    """Validate every seed file, then replace the store's contents with them.

    What the ontology's hierarchy entails is stored with them (see
    :mod:`graphkg.entailment`).
    """
    files = find_seed_files(seeds)
    mapped, report = map_and_validate(files.all, base=kg.base, limits=limits, progress=progress)
    if not report.conforms:
        raise ValidationFailed(report)
    kg.rebuild(
        [with_entailments(source) for source in mapped],
        {
            ontology_graph_iri(kg.base): turtle_files("ontology"),
            shapes_graph_iri(kg.base): turtle_files("shapes"),
        },
    )
    return mapped


def add_file(
    kg: KnowledgeGraph, path: Path, *, limits: InputLimits = DEFAULT_LIMITS
) -> MappedSource:
    """Validate one fact file against the store, then replace its article in one transaction.

    What the ontology's hierarchy entails is stored with it (see :mod:`graphkg.entailment`).
    """
    mapped, report = map_and_validate([path], base=kg.base, kg=kg, limits=limits)
    if not report.conforms:
        raise ValidationFailed(report)
    source = with_entailments(mapped[0])
    kg.replace_source(source)
    return source
