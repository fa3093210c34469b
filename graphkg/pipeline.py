"""The one-way path from files to the store: read, map, validate, then write.

Nothing is written unless every source conforms; each write is one transaction.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF
from rdflib.term import Node as RdfNode

from graphkg.coverage import coverage_warnings
from graphkg.entailment import with_entailments
from graphkg.errors import ChangeRefused, FactFileError, ValidationFailed
from graphkg.iri import ontology_graph_iri, shapes_graph_iri
from graphkg.mapping import KnownId, MappedSource, with_ids
from graphkg.namespaces import GKG
from graphkg.ontology import load_ontology
from graphkg.problems import Problem
from graphkg.rdfinput import map_source_file
from graphkg.resources import turtle_files
from graphkg.search import Gathered, GatheredRoot, gathered_roots
from graphkg.settings import DEFAULT_LIMITS, InputLimits
from graphkg.store import KnowledgeGraph
from graphkg.terms import to_ox_quads, to_rdflib
from graphkg.update import Diff
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


class _EarlierSources:
    """What the sources mapped so far say about the ids they declare, and every node's types.

    A file may use the ids of the files before it, so these are what a source's
    references can lead to; kept by subject, finding them costs what a source
    references, not the size of the batch, and the rest of each source is not kept.
    """

    def __init__(self) -> None:
        self._about: dict[RdfNode, list[Triple]] = defaultdict(list)
        self._declared: set[RdfNode] = set()

    def add(self, source: MappedSource) -> None:
        self._declared.update(source.declared.values())
        for s, p, o, _ in source.quads:
            if p == RDF.type or s in self._declared:
                self._about[s].append((s, p, o))

    def about(self, subject: RdfNode) -> list[Triple]:
        return self._about.get(subject, [])


def _context(
    source: MappedSource, earlier: _EarlierSources, kg: KnowledgeGraph | None
) -> list[Triple]:
    """Triples about what ``source`` references (and their values' types), from the files
    before it and from the store."""
    wanted = set(source.references)
    about = [triple for subject in wanted for triple in earlier.about(subject)]
    pointed_to = {o for _, _, o in about}
    types = [
        triple
        for subject in pointed_to
        for triple in earlier.about(subject)
        if triple[1] == RDF.type
    ]
    found = {s for s, _, _ in about}
    triples = about + types
    if kg is not None and wanted - found:
        triples.extend(kg.describe(wanted - found))
    return triples


def _mapped_in_order(
    paths: list[Path],
    *,
    base: str,
    kg: KnowledgeGraph | None,
    limits: InputLimits,
    problems: list[Problem],
    partial: bool,
) -> Iterator[MappedSource]:
    """Each file mapped, with the store's ids and those of the files before it; the
    problems of a file that does not map go to ``problems``.

    With ``partial``, a file that maps in part is yielded with its problems (see
    :func:`~graphkg.mapping.map_fact_file`), and its ids are known to the files after it.
    """
    ontology = load_ontology()
    declared: dict[str, KnownId] = {}
    known = with_ids(kg.stored_ids() if kg is not None else {}, declared)
    for path in paths:
        try:
            source = map_source_file(
                path, ontology, base=base, known=known, limits=limits, partial=partial
            )
        except FactFileError as error:
            problems.extend(error.problems)
            continue
        yield source
        declared.update((id_, KnownId(iri, source.source)) for id_, iri in source.declared.items())


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
    """Map every file, with the store's ids; later files may use earlier files' ids.

    A file with a problem is not among the sources: all its problems are in ``problems``.
    """
    mapped = MappedFiles([], [])
    mapped.sources = list(
        _mapped_in_order(
            paths, base=base, kg=kg, limits=limits, problems=mapped.problems, partial=False
        )
    )
    return mapped


@dataclass(frozen=True)
class _Job:
    """One source to validate, with what it references; and whether to write it as N-Quads."""

    source: MappedSource
    context: list[Triple]
    nquads: bool
    coverage: bool = True
    """Warn of sentences no fact cites: a stored article has lost its `uncaptured` marks."""
    index_base: str | None = None
    """With ``nquads``: gather what the search index keeps of the quads, for this base."""


@dataclass
class _Checked:
    """What :func:`_check` says of a source."""

    report: ValidationReport
    nquads: bytes = b""
    index_roots: dict[str, GatheredRoot] = field(default_factory=dict)


def _check(job: _Job) -> _Checked:
    """A source's validation report, its unexplained sentences as warnings, and, when
    asked and it conforms, what storing it writes (with its entailments) as N-Quads, and
    what of that the search index keeps."""
    report = validate_source(job.source, job.context)
    if job.coverage:
        report.problems.extend(coverage_warnings(job.source))
    if not (job.nquads and report.conforms):
        return _Checked(report)
    quads = to_ox_quads(with_entailments(job.source).quads)
    roots = {} if job.index_base is None else gathered_roots(job.index_base, quads)
    return _Checked(report, ox.serialize(quads, format=ox.RdfFormat.N_QUADS), roots)


PARALLEL_FROM = 64
"""Files below which validating in one process is faster than starting others."""


def _process_context() -> multiprocessing.context.BaseContext:
    """Fork when this process runs one thread: fast, and a script's ``__main__`` is not run
    again; forking a threaded process can deadlock the child, so spawn then."""
    return multiprocessing.get_context("fork" if threading.active_count() == 1 else "spawn")


def _checked(
    paths: list[Path],
    *,
    base: str,
    kg: KnowledgeGraph | None,
    limits: InputLimits,
    processes: int,
    nquads: bool,
    problems: list[Problem],
    index: bool = False,
) -> Iterator[tuple[MappedSource, _Checked]]:
    """Each file that maps, in order, with its report (and N-Quads and, with ``index``,
    what the search index keeps of them: see :func:`_check`).

    A file that maps in part is validated as far as it maps, and its report holds the
    problems of its mapping with those of the shapes: a steward sees both in one pass.
    Files are mapped in this process, each validated against the files before
    it and the store. With ``processes`` above one and many files, they are
    validated in that many other processes while this one maps the next
    files; at most a few sources per process are in flight, so memory does not
    grow with the batch.
    """
    earlier = _EarlierSources()

    def jobs() -> Iterator[_Job]:
        mapped = _mapped_in_order(
            paths, base=base, kg=kg, limits=limits, problems=problems, partial=True
        )
        index_base = base if index else None
        for source in mapped:
            yield _Job(source, _context(source, earlier, kg), nquads, index_base=index_base)
            earlier.add(source)

    yield from _checked_jobs(jobs(), processes=processes, many=len(paths))


def _checked_jobs(
    jobs: Iterable[_Job], *, processes: int, many: int
) -> Iterator[tuple[MappedSource, _Checked]]:
    """Each job's source with what :func:`_check` says of it, in order; in ``processes``
    other processes when there are ``many`` jobs, at most a few each in flight."""
    if processes < 2 or many < PARALLEL_FROM:
        for job in jobs:
            yield job.source, _check(job)
        return
    with ProcessPoolExecutor(processes, mp_context=_process_context()) as pool:
        pending: deque[tuple[MappedSource, Future[_Checked]]] = deque()
        for job in jobs:
            pending.append((job.source, pool.submit(_check, job)))
            while len(pending) > 4 * processes or (pending and pending[0][1].done()):
                source, future = pending.popleft()
                yield source, future.result()
        for source, future in pending:
            yield source, future.result()


def map_and_validate(
    paths: list[Path],
    *,
    base: str,
    kg: KnowledgeGraph | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
    progress: Callable[[Path], None] | None = None,
    processes: int = 1,
) -> tuple[list[MappedSource], ValidationReport]:
    """Map every file (later files may use earlier files' ids), then validate each.

    The report holds every problem in one pass: those of the files that do not map at
    all, then each file's problems of mapping and of the shapes (see :func:`_checked`).
    Only a source whose report conforms may be stored.

    With ``processes`` above one and many files, they are validated in that
    many processes. Each article's unexplained sentences (see
    :mod:`graphkg.coverage`) are warnings in its report: they do not keep it
    from conforming.
    """
    problems: list[Problem] = []
    sources: list[MappedSource] = []
    reports: list[ValidationReport] = []
    for source, checked in _checked(
        paths, base=base, kg=kg, limits=limits, processes=processes, nquads=False, problems=problems
    ):
        if progress is not None:
            progress(Path(source.file))
        sources.append(source)
        reports.append(checked.report)
    return sources, ValidationReport.merge([ValidationReport.of_problems(problems), *reports])


def validate_files(
    paths: list[Path],
    *,
    base: str,
    kg: KnowledgeGraph | None,
    limits: InputLimits = DEFAULT_LIMITS,
    processes: int = 1,
) -> ValidationReport:
    """Validate fact files against the store's entities without changing anything."""
    return map_and_validate(paths, base=base, kg=kg, limits=limits, processes=processes)[1]


def check_store(
    kg: KnowledgeGraph,
    *,
    processes: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, ValidationReport]:
    """Validate every stored article again, as stored, against the current ontology and
    shapes, with what it references: its report by article id.

    With ``processes`` above one and many articles, they are validated in that many
    processes while this one reads the next articles from the store.
    """
    earlier = _EarlierSources()  # nothing comes before: every reference is in the store
    articles = kg.article_ids()
    jobs = (
        _Job(source, _context(source, earlier, kg), nquads=False, coverage=False)
        for source in map(kg.stored_source, articles)
    )
    reports = {}
    for source, checked in _checked_jobs(jobs, processes=processes, many=len(articles)):
        reports[source.file] = checked.report
        if progress is not None:
            progress(source.file)
    return reports


def check_changed(kg: KnowledgeGraph, diff: Diff) -> ValidationReport:
    """Validate every article a write's ``diff`` touches (see
    :meth:`KnowledgeGraph.articles_touched_by`) as the write would leave it, with what it
    references as the write would leave that: one report for them all.

    An article graph the write empties must take the whole article with it; one
    the write fills must describe its one article.
    """
    deleted = {_triple(q.triple) for q in diff.deleted}
    inserted: dict[RdfNode, list[Triple]] = defaultdict(list)
    for quad in diff.inserted:
        triple = _triple(quad.triple)
        inserted[triple[0]].append(triple)
    reports = []
    for article_id in sorted(kg.articles_touched_by(diff)):
        source = kg.stored_source(article_id, diff)
        if problems := _article_form(kg, source):
            reports.append(ValidationReport.of_problems(problems))
            continue
        context = [t for t in _context(source, _EarlierSources(), kg) if t not in deleted]
        context += [t for subject in source.references for t in inserted.get(subject, [])]
        reports.append(_check(_Job(source, context, nquads=False, coverage=False)).report)
    return ValidationReport.merge(reports)


def _triple(triple: ox.Triple) -> Triple:
    return to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)


def _article_form(kg: KnowledgeGraph, source: MappedSource) -> list[Problem]:
    """What is wrong with an article graph as a write leaves it, before its shapes."""
    in_graph = [q for q in source.quads if q[3] == source.graph]
    articles = {s for s, p, o, _ in in_graph if p == RDF.type and o == GKG.Article}
    where = f"<{source.graph}>"
    if not in_graph:
        rest = len(source.quads)
        if rest:
            return [
                Problem(
                    where,
                    None,
                    source.article_id,
                    "article",
                    f"the write empties the article's graph but leaves {rest} statements "
                    "it made about the entities it declared",
                    fix=f"remove the article whole: DELETE /facts/{source.article_id}",
                )
            ]
        return []
    if articles != {source.source}:
        return [
            Problem(
                where,
                None,
                source.article_id,
                "article",
                f"an article graph describes its one article, <{source.source}> "
                f"(a gkg:Article with its gkg:text); found {len(articles)} articles: "
                + (", ".join(f"<{a}>" for a in sorted(articles)) or "none"),
                fix="write the article's statements into its own graph "
                f"<{source.graph}>, with `<{source.source}> a gkg:Article`",
            )
        ]
    return []


def build_store(
    kg: KnowledgeGraph,
    seeds: Path,
    *,
    limits: InputLimits = DEFAULT_LIMITS,
    progress: Callable[[Path], None] | None = None,
    processes: int = 1,
    index: Gathered | None = None,
) -> int:
    """Validate every seed file, then replace the store's contents with them; returns
    how many sources were stored.

    What the ontology's hierarchy entails is stored with them (see
    :mod:`graphkg.entailment`). Validated sources are staged (see
    :class:`graphkg.store.StagedBuild`) and reach the store only when all conform.
    On the embedded store, what the search index keeps of them is gathered into
    ``index`` where they are validated.
    """
    files = find_seed_files(seeds)
    problems: list[Problem] = []
    reports: list[ValidationReport] = []
    with kg.staged_build() as staged:
        for source, checked in _checked(
            files.all,
            base=kg.base,
            kg=None,
            limits=limits,
            processes=processes,
            nquads=staged.wants_nquads,
            problems=problems,
            index=index is not None,
        ):
            if progress is not None:
                progress(Path(source.file))
            reports.append(checked.report)
            if checked.report.conforms:
                staged.add(source, checked.nquads)
                if index is not None:
                    index.merge(checked.index_roots)
        report = ValidationReport.merge([ValidationReport.of_problems(problems), *reports])
        if not report.conforms:
            raise ValidationFailed(report)
        kg.rebuild(
            staged,
            {
                ontology_graph_iri(kg.base): turtle_files("ontology"),
                shapes_graph_iri(kg.base): turtle_files("shapes"),
            },
        )
        return staged.count


def add_files(
    kg: KnowledgeGraph,
    paths: list[Path],
    *,
    limits: InputLimits = DEFAULT_LIMITS,
    progress: Callable[[Path], None] | None = None,
    processes: int = 1,
    strict: bool = False,
) -> list[MappedSource]:
    """Validate fact files against the store (later files may use earlier files' ids),
    then replace their articles, all in one transaction: if any file does not conform,
    nothing changes. What an article's old version declared that others reference is
    kept (see :meth:`KnowledgeGraph.replace_sources`), or refused with ``strict``.

    With ``processes`` above one and many files, they are validated in that many
    processes. What the ontology's hierarchy entails is stored with them (see
    :mod:`graphkg.entailment`).
    """
    mapped, report = map_and_validate(
        paths, base=kg.base, kg=kg, limits=limits, progress=progress, processes=processes
    )
    if not report.conforms:
        raise ValidationFailed(report)
    sources = storable(mapped)
    kg.replace_sources(sources, strict=strict)
    return sources


def storable(mapped: list[MappedSource]) -> list[MappedSource]:
    """Validated sources as they are stored, with what the ontology entails; refused when
    two of them are one article or source (which of them would win?)."""
    file_of: dict[str, str] = {}
    for source in mapped:
        owner = str(source.source)
        if owner in file_of:
            raise ChangeRefused(
                f"{file_of[owner]} and {source.file} are both {owner}: "
                "add one file per article or source"
            )
        file_of[owner] = source.file
    return [with_entailments(source) for source in mapped]


def add_file(
    kg: KnowledgeGraph, path: Path, *, limits: InputLimits = DEFAULT_LIMITS, strict: bool = False
) -> MappedSource:
    """Validate one fact file against the store, then replace its article in one transaction."""
    return add_files(kg, [path], limits=limits, strict=strict)[0]
