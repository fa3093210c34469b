"""The knowledge graph on disk: one writer on the primary store, readers on checkpoints.

Layout of a store directory::

    primary/               the Oxigraph store the single writer owns
    checkpoints/NNNNNN/    hard-linked snapshots taken after each commit
    checkpoints/NNNNNN-data/  the same without the shapes graph, for queries
    search/index.sqlite    the search index of the kept checkpoints (see graphkg.search)
    CURRENT                the name of the newest complete checkpoint
    WRITING                present while a write is under way: what it is
    writer.lock            locked by the one process writing (it names the process)

Writers (``build``, ``add``, ``remove``) open ``primary``; every commit is one
Oxigraph transaction followed by a checkpoint. Readers (queries, exports, the
server's workers) open the newest checkpoint read-only, so they never see a
half-written change and never share a handle with the writer.

A write counts once CURRENT names its checkpoint ("published"). A writer killed
before that leaves ``WRITING`` behind, and the primary may hold a change that
readers do not see. The next writer, before anything else, rolls the primary
back to the published checkpoint and deletes unpublished checkpoints, so that
readers and writers agree again and a retried command does its whole work
again. Rolling back rather than publishing is what makes every retry succeed:
a retried ``remove`` still finds its article. The steps a write passes are
named in :mod:`graphkg.faults`.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node as RdfNode

from graphkg.entailment import with_entailments
from graphkg.errors import (
    ChangeRefused,
    MalformedQuery,
    QueryError,
    StoreBusy,
    StoreError,
    UnknownArticle,
)
from graphkg.faults import step_reached
from graphkg.history import local_folder
from graphkg.iri import (
    RETAINED_SOURCE,
    article_graph_iri,
    entities_graph_iri,
    is_valid_id,
    mint_iri,
    ontology_graph_iri,
    retained_source_iri,
    root_iri,
    shapes_graph_iri,
    shared_source_id,
    version_graph_iri,
    world_graph_iri,
)
from graphkg.mapping import KnownId, MappedSource, StoredIds, closest_words
from graphkg.memory import MIB, anonymous_bytes, hand_back_freed_memory
from graphkg.namespaces import GKG, PREFIXES
from graphkg.ontology import load_ontology, local_name
from graphkg.remote import NEVER_WRITTEN_GRAPH, RemoteEndpoints, RemoteStore
from graphkg.settings import STORE_CREDENTIALS_VARIABLE, Settings
from graphkg.terms import Quad, to_ox_quads, to_rdflib
from graphkg.update import Diff, WhereDataset

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
RDF_PREDICATE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate")
RDF_OBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")
CHECKPOINTS_KEPT = 3
"""Older checkpoints are deleted; readers reopen the newest when it changes."""
DATA_TWIN_SUFFIX = "-data"
"""A checkpoint ``NNNNNN`` has a twin ``NNNNNN-data`` without the shapes graph (see
:meth:`KnowledgeGraph.checkpoint`)."""
PUBLIC_SUFFIX = "-public"
"""Each of them has a copy ``…-public`` without the articles' full texts (``gkg:text``)."""
PRIMARY = "primary"
WRITE_INTENT = "WRITING"
"""Written before a write starts, removed once its checkpoint is published."""
WRITER_LOCK = "writer.lock"
FILES_CACHE = "cache"
"""Where servers keep files made from a checkpoint (dumps), in ``cache/NNNNNN…``; they go
with the checkpoint."""
SEARCH_INDEXES = "search"
"""Where the writer keeps the search index of the kept checkpoints (see
:mod:`graphkg.search`)."""


@dataclass(frozen=True)
class Reference:
    """A stored statement that points at an entity or fact."""

    source: str
    """Who made the statement: an article id, or the source that declared its subject."""
    subject: str
    predicate: str
    target: str

    def describe(self) -> str:
        names = (local_name(self.subject), local_name(self.predicate), local_name(self.target))
        return f"{self.source}: " + " ".join(names)


MOST_NAMED = 10
"""How many lost ids or dangling references a refusal lists before "and N more"."""


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:MOST_NAMED])
    return shown + (f" and {len(items) - MOST_NAMED} more" if len(items) > MOST_NAMED else "")


@dataclass(frozen=True)
class StoreStats:
    """Triples per named graph and entities per class."""

    triples_per_graph: dict[str, int]
    entities_per_class: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.triples_per_graph.values())


@dataclass(frozen=True)
class Retained:
    """What a write kept for other sources: the ids, who references them, and the update
    that keeps them."""

    ids: tuple[str, ...] = ()
    referenced_by: tuple[str, ...] = ()
    update: str = ""

    def describe(self) -> str | None:
        if not self.ids:
            return None
        return (
            f"kept {', '.join(self.ids)} as shared entities (source {RETAINED_SOURCE}): "
            f"referenced by {', '.join(self.referenced_by)}"
        )


@dataclass(frozen=True)
class Change:
    """How many triples a write adds and removes; false when it changes nothing."""

    added: int
    removed: int

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


class StagedBuild:
    """What a build will store, gathered while it validates: nothing reaches the store
    until every source conforms (see :meth:`KnowledgeGraph.rebuild`).

    For the embedded store, each source's quads as N-Quads, written where the
    source was validated, wait in a temporary file that Oxigraph's bulk loader
    reads at once: the build keeps no source in memory. For a remote store,
    which replaces sources one update at a time, the sources themselves.
    """

    def __init__(self, *, wants_nquads: bool, folder: Path | None) -> None:
        self.wants_nquads = wants_nquads
        self.count = 0
        self.sources: list[MappedSource] = []
        self.nquads: IO[bytes] | None = (
            tempfile.TemporaryFile(dir=folder, prefix="build-", suffix=".nq")
            if wants_nquads
            else None
        )

    def add(self, source: MappedSource, nquads: bytes) -> None:
        """A validated source, and its quads with entailments as N-Quads if wanted."""
        self.count += 1
        if self.nquads is not None:
            self.nquads.write(nquads)
        else:
            self.sources.append(with_entailments(source))

    def __enter__(self) -> StagedBuild:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.nquads is not None:
            self.nquads.close()


class KnowledgeGraph:
    """graphkg's view of an Oxigraph store: graphs, articles, queries and dumps."""

    def __init__(
        self,
        store: ox.Store | RemoteStore,
        *,
        base: str,
        path: Path | None = None,
        data_twin: ox.Store | RemoteStore | None = None,
        writer_lock: WriterLock | None = None,
    ) -> None:
        self._store = store
        self._writer_lock = writer_lock  # held as long as this writer lives
        self._data_twin = data_twin
        self.base = base
        self.path = path
        self.entities_graph = ox.NamedNode(entities_graph_iri(base))
        self.world_graph = ox.NamedNode(world_graph_iri(base))
        self.ontology_graph = ox.NamedNode(ontology_graph_iri(base))
        self.shapes_graph = ox.NamedNode(shapes_graph_iri(base))
        self.version_graph = ox.NamedNode(version_graph_iri(base))
        self._reader_graphs: list[ox.NamedNode] | None = None
        """A reader's data graphs, listed once: its checkpoint does not change."""
        self._reader_ids: list[str] | None = None
        """A reader's ids, listed at the first hint asked (see :meth:`closest_ids`)."""
        self.remote = isinstance(store, RemoteStore)
        """On a remote store, the shapes are not stored (validation reads ``shapes/``) and
        the store's default graph is the union of its graphs."""
        self.article_texts = True
        """Whether the articles' full texts are written (see :meth:`open_remote`)."""
        self._scratch_folder: Path | None = None
        """Where a scratch copy's files are (see :meth:`scratch`)."""
        self.on_checkpoint: Callable[[Path, int], None] | None = None
        """Called with each new checkpoint and the oldest checkpoint kept with it, once
        its copies are written, before it is published: what must follow the
        checkpoint (the writer's search index) is written then, and undone if the
        checkpoint is never published."""

    # -- opening ------------------------------------------------------------

    @classmethod
    def open_writer(cls, path: Path, *, base: str, server: str | None = None) -> KnowledgeGraph:
        """Open (or create) the primary store of ``path`` for writing.

        Only one process writes a store at a time; a second one is refused,
        naming the first (and ``server``, the URL where a server that holds
        it takes writes). An interrupted earlier write is rolled back first.
        """
        try:
            path.mkdir(parents=True, exist_ok=True)
            lock = WriterLock(path, server=server)
            _roll_back_unpublished_write(path)
            store = ox.Store(str(path / PRIMARY))
        except OSError as error:
            raise StoreError(f"cannot open the store at {path} for writing: {error}") from None
        return cls(store, base=base, path=path, writer_lock=lock)

    @classmethod
    def open_reader(
        cls, path: Path, *, base: str, public: bool = False, checkpoint: Path | None = None
    ) -> KnowledgeGraph:
        """Open the newest checkpoint of ``path`` (or ``checkpoint``) read-only.

        ``public`` opens its copies without the articles' full texts.
        """
        checkpoint = checkpoint or latest_checkpoint(path)
        if checkpoint is None:
            raise StoreError(f"no store at {path}: run `graphkg build` first")
        checkpoint, twin = reader_copies(checkpoint, public=public)
        try:
            store = ox.Store.read_only(str(checkpoint))
            data_twin = ox.Store.read_only(str(twin)) if twin.is_dir() else None
        except OSError as error:
            raise StoreError(f"cannot read the store at {checkpoint}: {error}") from None
        reader = cls(store, base=base, path=path, data_twin=data_twin)
        reader._reader_graphs = reader.data_graphs()
        return reader

    @classmethod
    def open_remote(
        cls, endpoints: RemoteEndpoints, *, base: str, article_texts: bool = True
    ) -> KnowledgeGraph:
        """A remote SPARQL 1.1 store (see :mod:`graphkg.remote`), for reading and writing.

        Without ``article_texts``, the articles' full texts are not written:
        a remote store serves what it holds, so a public deployment's store
        must not hold them (the embedded store keeps copies without them
        instead). Validation reads the texts from the fact files either way.
        """
        store = RemoteStore(endpoints, version_graph=version_graph_iri(base))
        graph = cls(store, base=base, data_twin=store)
        graph.article_texts = article_texts
        return graph

    def _written_quads(self, source: MappedSource) -> list[Quad]:
        """What storing ``source`` writes: its quads, less the full text without
        :attr:`article_texts`."""
        if self.article_texts:
            return source.quads
        return [quad for quad in source.quads if quad[1] != GKG.text]

    @classmethod
    def in_memory(cls, *, base: str) -> KnowledgeGraph:
        """A store in memory, for tests and one-off validation."""
        return cls(ox.Store(), base=base)

    # -- reading ------------------------------------------------------------

    def union_is_default(self, configured: bool) -> bool:
        """Whether the store's default graph is the union of its graphs: always on a remote
        store (graphkg needs it so), as ``configured`` on the embedded one."""
        return self.remote or configured

    def data_graphs(self) -> list[ox.NamedNode]:
        """The graphs whose union is the default graph: everything but the shapes."""
        if self._reader_graphs is not None:
            return self._reader_graphs
        return sorted(
            (
                g
                for g in self._store.named_graphs()
                if isinstance(g, ox.NamedNode) and g not in (self.shapes_graph, self.version_graph)
            ),
            key=lambda g: g.value,
        )

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None,
        union_default_graph: bool = True,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query; parameters are bound as RDF terms, never pasted into text.

        The dataset: the union of the data graphs as the default graph (or the
        store's own default graph without ``union_default_graph``), the data
        graphs as the named graphs; ``default_graphs`` and ``named_graphs``
        (the protocol's ``default-graph-uri`` and ``named-graph-uri``) replace
        either. The union is read from the data twin when there is one, whose
        union of all graphs is exactly the data, far faster than a list.
        """
        bound = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        store = self._data_twin or self._store
        dataset: dict[str, object]
        if self._data_twin is not None and not default_graphs and not named_graphs:
            dataset = {"use_default_graph_as_union": union_default_graph}
        else:
            data = self.data_graphs()
            dataset = {
                "default_graph": _named(default_graphs) or (data if union_default_graph else None),
                "named_graphs": _named(named_graphs) or data,
            }
        try:
            return store.query(
                sparql, prefixes=PREFIXES, base_iri=base_iri, substitutions=bound, **dataset
            )
        except SyntaxError as error:
            raise MalformedQuery(str(error)) from None
        except RuntimeError as error:
            raise QueryError(str(error)) from None

    def union_triples(
        self, subject: ox.NamedNode | None = None, obj: ox.Term | None = None
    ) -> Iterator[ox.Triple]:
        """Triples of the data graphs matching a pattern, each once, in index order.

        A pattern lookup, not a query: no parsing or planning, for the server's
        per-request reads.
        """
        if self._data_twin is not None:
            quads = self._data_twin.quads_for_pattern(subject, None, obj, None)
        else:
            data = set(self.data_graphs())
            quads = (
                q
                for q in self._store.quads_for_pattern(subject, None, obj, None)
                if q.graph_name in data
            )
        seen: set[ox.Triple] = set()
        for quad in quads:
            triple = quad.triple
            if triple not in seen:
                seen.add(triple)
                yield triple

    def version(self) -> str | None:
        """What changes with every commit: the newest checkpoint's name, or on a remote
        store the marker graphkg's last commit left (None before the first)."""
        if isinstance(self._store, RemoteStore):
            return self._store.version()
        checkpoint = latest_checkpoint(self.path) if self.path is not None else None
        return checkpoint.name if checkpoint is not None else None

    def next_version(self) -> str:
        """The version the next commit makes (a history records it before the commit)."""
        if isinstance(self._store, RemoteStore):
            return self._store.next_version
        return self._next_checkpoint().name if self.path is not None else "0"

    def reached(self, version: str) -> bool:
        """Whether the store holds the commit that made ``version``: checkpoints are
        numbered in order; a remote store's marker names only the last commit."""
        current = self.version()
        if current is None:
            return False
        if isinstance(self._store, RemoteStore):
            return version == current
        return int(version) <= int(current)

    def has_graph(self, name: str) -> bool:
        """Whether a named graph of this IRI is stored (without listing them all)."""
        try:
            return self._store.contains_named_graph(ox.NamedNode(name))
        except ValueError:
            return False

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def article_ids(self) -> list[str]:
        prefix = article_graph_iri(self.base, "")
        return sorted(g[len(prefix) :] for g in self.named_graphs() if g.startswith(prefix))

    def known_ids(self) -> dict[str, KnownId]:
        """Every id in the store, with the source that declared it."""
        pattern = re.compile(re.escape(self.base) + r"id/[a-z]+/([a-z0-9]+(?:-[a-z0-9]+)*)$")
        rows = self._store.query(
            f"""SELECT ?s ?source WHERE {{
                 {{ GRAPH {self.entities_graph} {{ ?s gkg:declaredIn ?source }} }}
                 UNION
                 {{ GRAPH ?g {{ ?source a gkg:Article . ?s a ?type }} }}
               }}""",
            prefixes=PREFIXES,
        )
        known: dict[str, KnownId] = {}
        for row in rows:
            match = pattern.match(row["s"].value)
            if match:
                known[match.group(1)] = KnownId(URIRef(row["s"].value), URIRef(row["source"].value))
        return known

    def staged_build(self) -> StagedBuild:
        """Where a build gathers its validated sources for :meth:`rebuild`."""
        return StagedBuild(wants_nquads=not isinstance(self._store, RemoteStore), folder=self.path)

    def stored_ids(self) -> StoredIds:
        """The store's ids for mapping a fact file: each looked up when the file names it."""
        return StoredIds(self.find_ids, self.known_ids)

    def find_id(self, id_: str) -> KnownId | None:
        """The entity or fact of this id and the source that declared it, if stored."""
        return self.find_ids([id_]).get(id_)

    def find_ids(self, ids: Iterable[str]) -> dict[str, KnownId]:
        """The stored ones of ``ids``, each with its IRI and the source that declared it.

        One query over the IRIs the ids can have (one per class segment), starting
        from them, so that its cost does not grow with the store (under a
        millisecond at a million quads, where listing every id takes 2 s); a fact
        file's ids are found together, one query rather than one each.
        """
        segments = load_ontology().iri_segments()
        candidates = {
            mint_iri(self.base, segment, id_): id_
            for id_ in ids
            if is_valid_id(id_)
            for segment in segments
        }
        if not candidates:
            return {}
        rows = self._store.query(
            f"""SELECT ?s ?source WHERE {{
                 VALUES ?s {{ {" ".join(str(ox.NamedNode(c)) for c in candidates)} }}
                 GRAPH ?g {{ ?s a ?type }}
                 OPTIONAL {{ GRAPH {self.entities_graph} {{ ?s gkg:declaredIn ?declarer }} }}
                 OPTIONAL {{ GRAPH ?g {{ ?article a gkg:Article }} }}
                 BIND(COALESCE(?declarer, ?article) AS ?source)
                 FILTER(BOUND(?source))
               }}""",
            prefixes=PREFIXES,
        )
        assert isinstance(rows, ox.QuerySolutions)
        found: dict[str, KnownId] = {}
        for row in rows:
            id_ = candidates[row["s"].value]
            found.setdefault(id_, KnownId(URIRef(row["s"].value), URIRef(row["source"].value)))
        return found

    def iri_of_id(self, id_: str) -> str | None:
        """The IRI of the stored entity or fact of this id (see :meth:`find_id`)."""
        found = self.find_id(id_)
        return str(found.iri) if found is not None else None

    def closest_ids(self, id_: str, n: int = 3) -> list[str]:
        """The stored ids most like ``id_``: a hint for an id that matches nothing.

        The candidates (what the entities graph declares, and the articles) are
        listed once for a reader, whose checkpoint does not change.
        """
        ids = self._reader_ids
        if ids is None:
            rows = self._store.query(
                f"SELECT DISTINCT ?s WHERE {{ GRAPH {self.entities_graph} "
                "{ ?s gkg:declaredIn ?source } }",
                prefixes=PREFIXES,
            )
            assert isinstance(rows, ox.QuerySolutions)
            ids = sorted({local_name(row["s"].value) for row in rows} | set(self.article_ids()))
            if self._reader_graphs is not None:  # a reader: its ids never change
                self._reader_ids = ids
        return closest_words(id_, ids, n)

    def describe(self, iris: Iterable[URIRef]) -> list[tuple[RdfNode, RdfNode, RdfNode]]:
        """The triples about ``iris``, and the types of what they point to, in the data graphs.

        This is the context a source is validated with: enough for class
        constraints on the referenced entities, never the whole store.
        """
        values = " ".join(f"<{iri}>" for iri in sorted(iris))
        if not values:
            return []
        # Graphs are excluded by name rather than the data graphs listed: a list grows
        # with the store (a query parameter per article on a remote store).
        left_out = f"{self.ontology_graph}, {self.shapes_graph}"
        triples = self._store.query(
            f"""CONSTRUCT {{ ?s ?p ?o . ?o a ?type }} WHERE {{
                  VALUES ?s {{ {values} }}
                  GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({left_out}))
                  OPTIONAL {{ GRAPH ?h {{ ?o a ?type }} FILTER(?h NOT IN ({left_out})) }}
                }}"""
        )
        return [
            (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in triples
        ]

    def rdflib_view(self) -> Graph:
        """An rdflib view of the current data (the union of the data graphs), read-only.

        Its ``query()`` hands the query text to the store's own engine: Oxigraph's
        through oxrdflib on the embedded store (a reader's checkpoint), the remote
        store's through rdflib's ``SPARQLStore``. Pass query strings, never queries
        prepared with ``prepareQuery``, which rdflib would evaluate itself.
        """
        if isinstance(self._store, RemoteStore):
            from rdflib.plugins.stores.sparqlstore import SPARQLStore

            endpoints = self._store.endpoints
            authorization = endpoints.authorization()
            remote = SPARQLStore(
                endpoints.query,
                # A form, the one POST every store takes (Virtuoso 7 never answers
                # a query POSTed directly).
                method="POST_FORM",
                headers={"Authorization": authorization} if authorization else {},
            )
            return Graph(store=remote)
        from oxrdflib import OxigraphStore

        store = OxigraphStore(store=self._data_twin or self._store)
        return Dataset(store=store, default_union=True)

    def rdflib_graph(self, name: str) -> Graph:
        """An rdflib view (through oxrdflib) of one stored graph, for rdflib-based tools."""
        from oxrdflib import OxigraphStore

        return Graph(store=OxigraphStore(store=self._store), identifier=URIRef(name))

    def triples_per_graph(self) -> dict[str, int]:
        return {
            row["g"].value: int(row["n"].value)
            for row in self._store.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
            )
        }

    def stats(self) -> StoreStats:
        per_class = {
            row["c"].value: int(row["n"].value)
            for row in self.query(
                f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{
                      ?s a ?c FILTER(STRSTARTS(STR(?s), "{self.base}id/"))
                    }} GROUP BY ?c ORDER BY DESC(?n) ?c"""
            )
        }
        return StoreStats(self.triples_per_graph(), per_class)

    def export(
        self, output: IO[bytes], rdf_format: ox.RdfFormat, *, graph: str | None = None
    ) -> None:
        """Write the data graphs, or one graph, in an RDF format, streaming.

        Graphs are read one after the other; from a remote store that offers it, the
        data graphs come from one dump of its dataset (see
        :meth:`RemoteStore.dataset_quads`). A format without named graphs gets
        their triples as they come: a triple two graphs hold is written twice,
        which parses to the same graph (a set of triples), so that memory stays
        flat; removing the repeats would hold every triple written.
        """
        if graph is not None and not self.has_graph(graph):
            raise StoreError(f"no graph {graph} in the store; see `graphkg stats` for graphs")
        prefixes = {k: v for k, v in PREFIXES.items() if k not in ("sh",)}
        graphs = [ox.NamedNode(graph)] if graph else self.data_graphs()
        quads: Iterable[ox.Quad] | None = None
        if graph is None and isinstance(self._store, RemoteStore):
            wanted = set(graphs)
            dump = self._store.dataset_quads()
            quads = None if dump is None else (q for q in dump if q.graph_name in wanted)
        if quads is None:
            quads = (q for g in graphs for q in self._store.quads_for_pattern(None, None, None, g))
        if rdf_format.supports_datasets:
            ox.serialize(quads, output, rdf_format, prefixes=prefixes)
        else:
            ox.serialize((q.triple for q in quads), output, rdf_format, prefixes=prefixes)

    def write_graph(self, output: IO[bytes], name: str | None, rdf_format: ox.RdfFormat) -> None:
        """Write one stored graph (``None``: the store's default graph) as triples, streaming."""
        source = ox.NamedNode(name) if name else ox.DefaultGraph()
        triples = (
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self._store.quads_for_pattern(None, None, None, source)
        )
        ox.serialize(triples, output, rdf_format)

    def sorted_nquads(self) -> bytes:
        """Every quad as N-Quads lines in sorted order (for comparing builds)."""
        quads = self._store.quads_for_pattern(None, None, None, None)
        lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines()
        return b"\n".join(sorted(lines)) + b"\n"

    # -- writing ------------------------------------------------------------

    def _owned_deletion(self, source: str) -> str:
        """SPARQL that deletes what ``source`` contributed to the entities and world graphs."""
        world = self.world_graph.value
        entities = self._owned_triples(self.entities_graph, self._declared_roots(source))
        world_deletion = f"""
        DELETE {{ GRAPH <{world}> {{ ?s ?p ?o . ?st ?sp ?so }} }} WHERE {{
          GRAPH <{world}> {{
            ?st <{GKG.declaredIn}> <{source}> ;
                <{RDF_SUBJECT.value}> ?s ; <{RDF_PREDICATE.value}> ?p ; <{RDF_OBJECT.value}> ?o ;
                ?sp ?so .
          }}
        }}"""
        return _sequence(world_deletion, _deletion_of(self.entities_graph, entities))

    def _declared_roots(self, source: str) -> list[str]:
        """The entities and facts whose statements in the entities graph ``source`` made."""
        return [
            q.subject.value
            for q in self._store.quads_for_pattern(
                None, ox.NamedNode(GKG.declaredIn), ox.NamedNode(source), self.entities_graph
            )
        ]

    def _owned_triples(self, graph: ox.NamedNode, roots: Iterable[str]) -> list[ox.Triple]:
        """The triples of ``graph`` about ``roots`` and about the nodes minted under them
        (``{root}/…``: evidence, attributed statements, times), found level by level by
        following links out of them, one query a level.

        What a fact file mints under an entity hangs from it by links, so this costs
        what the entities hold; a filter on IRI prefixes scans the whole graph (20 s
        for an article at a million quads).
        """
        owner = {root: root for root in roots}
        frontier = sorted(owner)
        triples: list[ox.Triple] = []
        while frontier:
            rows = self._store.query(
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {' '.join(f'<{n}>' for n in frontier)} }}"
                f" GRAPH {graph} {{ ?s ?p ?o }} }}"
            )
            assert isinstance(rows, ox.QuerySolutions)
            found = []
            for row in rows:
                subject, obj = row["s"], row["o"]
                triples.append(ox.Triple(subject, row["p"], obj))
                root = owner[subject.value]
                minted = isinstance(obj, ox.NamedNode) and obj.value.startswith(f"{root}/")
                if minted and obj.value not in owner:
                    owner[obj.value] = root
                    found.append(obj.value)
            frontier = sorted(found)
        return triples

    def declared_by(self, source: str) -> set[str]:
        """The entities and facts a source declared: shared ones, and its article's."""
        declared = {
            q.subject.value
            for q in self._store.quads_for_pattern(
                None, ox.NamedNode(GKG.declaredIn), ox.NamedNode(source), self.entities_graph
            )
        }
        article_id = source.removeprefix(f"{self.base}id/article/")
        if article_id != source and self.has_graph(article_graph_iri(self.base, article_id)):
            graph = ox.NamedNode(article_graph_iri(self.base, article_id))
            for quad in self._store.quads_for_pattern(None, RDF_TYPE, None, graph):
                if root_iri(self.base, quad.subject.value) == quad.subject.value:
                    declared.add(quad.subject.value)
        return declared

    def references_to(self, targets: set[str], *, besides: str) -> list[Reference]:
        """Statements pointing at ``targets`` made by any source other than ``besides``.

        Pattern lookups by object, one per target: the cost grows with the
        targets and their references, not with the store.
        """
        own = self.declared_by(besides)
        found = []
        for target in sorted(targets):
            for quad in self._store.quads_for_pattern(None, None, ox.NamedNode(target), None):
                subject = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
                if root_iri(self.base, subject) in own or not isinstance(
                    quad.graph_name, ox.NamedNode
                ):
                    continue
                found.append(
                    Reference(
                        self._owner(quad.graph_name.value, subject),
                        subject,
                        quad.predicate.value,
                        target,
                    )
                )
        return found

    def _owner(self, graph: str, subject: str) -> str:
        article_prefix = article_graph_iri(self.base, "")
        if graph.startswith(article_prefix):
            return graph[len(article_prefix) :]
        root = root_iri(self.base, subject) or subject
        for quad in self._store.quads_for_pattern(
            ox.NamedNode(root), ox.NamedNode(GKG.declaredIn), None, self.entities_graph
        ):
            declarer = quad.object.value
            shared = shared_source_id(self.base, declarer)
            if shared is not None:
                return f"shared source {shared}"
            return declarer.removeprefix(f"{self.base}id/article/")
        return local_name(graph)

    def _kept_for_others(
        self, source: str, keeps: set[str], what: str, *, strict: bool
    ) -> Retained:
        """What other sources still reference among what ``source`` drops: refused when
        ``strict``; else kept, its ownership moving to the shared source ``retained``."""
        dangling = self.references_to(self.declared_by(source) - keeps, besides=source)
        if not dangling:
            return Retained()
        if strict:
            raise ChangeRefused(
                f"{what} would remove what other sources still reference: "
                f"{_listing([r.describe() for r in dangling])}. Change or remove those "
                "articles first, or keep what they reference (an entity that several "
                "articles use can move to a file of shared entities: see docs/fact-files.md)"
            )
        roots = sorted({r.target for r in dangling})
        retained = ox.NamedNode(retained_source_iri(self.base))
        triples = [
            ox.Triple(ox.NamedNode(root), ox.NamedNode(GKG.declaredIn), retained) for root in roots
        ]
        for root in roots:
            for graph in self._graphs_declaring(source):
                for quad in self._store.quads_for_pattern(ox.NamedNode(root), None, None, graph):
                    obj = quad.object
                    minted = isinstance(obj, ox.NamedNode) and obj.value.startswith(
                        (f"{root}/", f"{source}/")
                    )
                    if quad.predicate.value != GKG.declaredIn and not minted:
                        triples.append(quad.triple)
        body = " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        return Retained(
            tuple(local_name(root) for root in roots),
            tuple(sorted({r.source for r in dangling})),
            f"INSERT DATA {{ GRAPH {self.entities_graph} {{ {body} }} }}",
        )

    def _graphs_declaring(self, source: str) -> list[ox.NamedNode]:
        """Where a source's statements about what it declares are: the entities graph,
        and an article's own graph."""
        article_id = source.removeprefix(f"{self.base}id/article/")
        if article_id == source:
            return [self.entities_graph]
        return [self.entities_graph, ox.NamedNode(article_graph_iri(self.base, article_id))]

    def replace_sources(
        self, sources: Sequence[MappedSource], *, strict: bool = False
    ) -> list[Retained]:
        """Replace everything each source contributed, all in one transaction; returns
        what each source's old version declared that is kept for other sources.

        Each file of shared entities is a source of its own (its ``source:``),
        so adding one replaces what that file declared and never another's.
        A shared entity that an article declared moves to the file that now
        declares it, in the same transaction: the article's statements about
        it go, references to it stay. What another source references that the
        replacements drop (what the store holds, and what the sources declare)
        from an article stays, declared by the shared source ``retained``;
        ``strict`` refuses the write instead, as a file of shared entities always is.
        """
        keeps = {str(iri) for source in sources for iri in source.declared.values()}
        retained = {
            id(source): self._kept_for_others(
                str(source.source),
                keeps,
                f"replacing {self._source_name(source)}",
                # What a file of shared entities drops, articles must stop using first.
                strict=strict or source.article_id is None,
            )
            for source in sources
        }
        # Articles first: an entity that moves from an article to a file of shared
        # entities in the same batch goes with the article's old statements, and is
        # then stored as the file declares it.
        ordered = sorted(sources, key=lambda source: source.article_id is None)
        names = [self._source_name(source) for source in ordered]
        self._commit(
            _sequence(
                *(
                    statement
                    for source in ordered
                    for statement in (self._replacement(source), retained[id(source)].update)
                )
            ),
            f"add {', '.join(names[:3])}"
            + (f" and {len(names) - 3} more" if len(names) > 3 else ""),
            [str(source.graph) for source in sources if source.article_id is not None],
            sum(len(source.quads) for source in sources),
        )
        return [retained[id(source)] for source in sources]

    def _source_name(self, source: MappedSource) -> str:
        own = str(source.source)
        return source.article_id or f"shared source {shared_source_id(self.base, own) or own}"

    def _replacement(self, source: MappedSource) -> str:
        """The SPARQL update that replaces what ``source`` contributed."""
        keeps = {str(iri) for iri in source.declared.values()}
        own = str(source.source)
        statements = [self._owned_deletion(own)]
        # A file of shared entities takes over what another source declared; an article
        # takes back only what was kept for others when it dropped it.
        retained = retained_source_iri(self.base)
        moved = [
            root
            for root, owner in self._declarers(keeps)
            if owner != own and (source.article_id is None or owner == retained)
        ]
        statements.extend(self._moved_deletion(root) for root in moved)
        if source.article_id is not None:
            statements.append(f"DROP SILENT GRAPH <{source.graph}>")
        statements.append("INSERT DATA { " + _quads_as_sparql(self._written_quads(source)) + " }")
        return _sequence(*statements)

    def _declarers(self, roots: set[str]) -> list[tuple[str, str]]:
        """Which source declared each of ``roots`` that the entities graph holds, in one
        query (a remote store would take a request a root)."""
        if not roots:
            return []
        values = " ".join(f"<{root}>" for root in sorted(roots))
        rows = self._store.query(
            f"SELECT ?root ?owner WHERE {{ VALUES ?root {{ {values} }}"
            f" GRAPH {self.entities_graph} {{ ?root <{GKG.declaredIn}> ?owner }} }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        return sorted((row["root"].value, row["owner"].value) for row in rows)

    def _moved_deletion(self, root: str) -> str:
        """SPARQL that deletes what is stored about an entity moving to another source:
        its statements in the entities graph, and the world knowledge about it (the
        statements minted under it, each with the triple it asserts).

        ``root`` is a minted IRI (a slug under the base), safe to write into the update.
        """
        world = self.world_graph.value
        nodes = {t.subject.value for t in self._owned_triples(self.world_graph, [root])}
        about = " ".join(f"<{node}>" for node in sorted(nodes | {root}))
        world_deletion = f"""
        DELETE {{ GRAPH <{world}> {{ ?s ?p ?o . ?st ?sp ?so }} }} WHERE {{
          VALUES ?s {{ {about} }}
          GRAPH <{world}> {{
            ?st <{RDF_SUBJECT.value}> ?s ; <{RDF_PREDICATE.value}> ?p ; <{RDF_OBJECT.value}> ?o ;
                ?sp ?so .
            FILTER(STRSTARTS(STR(?st), "{root}/"))
          }}
        }}"""
        entities = self._owned_triples(self.entities_graph, [root])
        return _sequence(world_deletion, _deletion_of(self.entities_graph, entities))

    def removal_of(self, article_id: str) -> Change:
        """What removing an article would remove (nothing for an unknown article)."""
        article = f"{self.base}id/article/{article_id}"
        return Change(0, len(self._contribution(article_graph_iri(self.base, article_id), article)))

    def remove_article(self, article_id: str, *, strict: bool = False) -> tuple[Change, Retained]:
        """Remove an article's graph and what it contributed, in one transaction; what
        other sources reference is kept (see :meth:`replace_sources`), or with
        ``strict`` the removal is refused."""
        graph = article_graph_iri(self.base, article_id)
        if not self.has_graph(graph):
            raise UnknownArticle(
                f"no article {article_id!r} in the store; stored articles: "
                + (", ".join(self.article_ids()) or "none")
            )
        article = next(
            (
                row["a"].value
                for row in self._store.query(
                    f"SELECT ?a WHERE {{ GRAPH <{graph}> {{ ?a a <{GKG.Article}> }} }}"
                )
            ),
            None,
        )
        retained = Retained()
        statements = [f"DROP GRAPH <{graph}>"]
        if article is not None:
            retained = self._kept_for_others(
                article, set(), f"removing {article_id}", strict=strict
            )
            statements.insert(0, self._owned_deletion(article))
            if retained.update:
                statements.append(retained.update)
        removed = self.removal_of(article_id)
        self._commit(_sequence(*statements), f"remove {article_id}", [], removed.removed)
        return removed, retained

    # -- writes evaluated as a diff (see graphkg.update) -------------------------

    def present(self, quads: set[ox.Quad]) -> set[ox.Quad]:
        """Which of ``quads`` the store holds: a lookup each, or on a remote store a
        query for a few hundred at a time."""
        if not isinstance(self._store, RemoteStore):
            return {quad for quad in quads if quad in self._store}
        named = sorted((q for q in quads if isinstance(q.graph_name, ox.NamedNode)), key=str)
        found: set[ox.Quad] = set()
        for start in range(0, len(named), PRESENT_BATCH):
            rows = " ".join(
                f"({q.subject} {q.predicate} {q.object} {q.graph_name})"
                for q in named[start : start + PRESENT_BATCH]
            )
            answer = self._store.query(
                f"SELECT ?s ?p ?o ?g WHERE {{ VALUES (?s ?p ?o ?g) {{ {rows} }} "
                "GRAPH ?g { ?s ?p ?o } }"
            )
            assert isinstance(answer, ox.QuerySolutions)
            found |= {ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in answer}
        return found

    def quads_about(self, subjects: Sequence[str]) -> Iterator[ox.Quad]:
        """The quads of the data graphs about ``subjects`` (for the search index: see
        :mod:`graphkg.search`): a pattern lookup each, or on a remote store a query for
        a few hundred at a time. A writer's primary has no data twin, and a query of it
        names every data graph: at a thousand articles, seconds where lookups take ms."""
        if isinstance(self._store, RemoteStore):
            for start in range(0, len(subjects), PRESENT_BATCH):
                values = " ".join(
                    str(ox.NamedNode(s)) for s in subjects[start : start + PRESENT_BATCH]
                )
                rows = self.query(
                    f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} "
                    "GRAPH ?g { ?s ?p ?o } }"
                )
                assert isinstance(rows, ox.QuerySolutions)
                yield from (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)
            return
        left_out = (self.shapes_graph, self.version_graph)
        for subject in subjects:
            for quad in self._store.quads_for_pattern(ox.NamedNode(subject), None, None, None):
                if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name not in left_out:
                    yield quad

    def graph_quads(self, graph: ox.NamedNode | ox.DefaultGraph) -> Iterator[ox.Quad]:
        """The quads of one graph (graphkg writes nothing to a remote store's default graph)."""
        if isinstance(self._store, RemoteStore) and isinstance(graph, ox.DefaultGraph):
            return iter(())
        return self._store.quads_for_pattern(None, None, None, graph)

    def graph_names(self) -> list[ox.NamedNode]:
        """The named graphs a write may change: every data graph but the ontology's copy."""
        return [g for g in self.data_graphs() if g != self.ontology_graph]

    def solutions(
        self, sparql: str, dataset: WhereDataset, base_iri: str | None
    ) -> ox.QuerySolutions:
        """The solutions of an update's ``WHERE`` (a SELECT) over ``dataset``."""
        if dataset.explicit:
            answer = self.query(
                sparql,
                default_graphs=dataset.default or (NEVER_WRITTEN_GRAPH,),
                named_graphs=(
                    [g.value for g in self.data_graphs()]
                    if dataset.named is None
                    else dataset.named or (NEVER_WRITTEN_GRAPH,)
                ),
                base_iri=base_iri,
            )
        else:
            answer = self.query(sparql, union_default_graph=dataset.union, base_iri=base_iri)
        assert isinstance(answer, ox.QuerySolutions)
        return answer

    def articles_touched_by(self, diff: Diff) -> set[str]:
        """The articles a write's diff changes: those whose graphs it writes, those that
        declared the entities it changes in the entities and world graphs, and, for an
        entity of a file of shared entities, the articles that reference it; read by
        root, so it costs what the diff holds and what references its entities."""
        article_prefix = article_graph_iri(self.base, "")
        touched: set[str] = set()
        roots: set[str] = set()
        for quad in diff.deleted | diff.inserted:
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(article_prefix):
                touched.add(graph.value[len(article_prefix) :])
            elif graph in (self.entities_graph, self.world_graph):
                subject = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
                if root := root_iri(self.base, subject):
                    roots.add(root)
        article = f"{self.base}id/article/"
        for root, owner in self._declarers(roots):
            if owner.startswith(article):
                touched.add(owner[len(article) :])
            else:
                touched |= {
                    reference.source
                    for reference in self.references_to({root}, besides=owner)
                    if self.has_graph(article_graph_iri(self.base, reference.source))
                }
        return touched

    def scratch(self) -> KnowledgeGraph | None:
        """A private, writable copy of this embedded store (its files hard-linked), where
        an update's later operations see its earlier ones; None on a remote store."""
        if isinstance(self._store, RemoteStore) or self.path is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix=".scratch-", dir=self.path))
        self._store.flush()
        self._store.backup(str(folder / "store"))
        copy = KnowledgeGraph(ox.Store(str(folder / "store")), base=self.base)
        copy._scratch_folder = folder
        return copy

    def apply(self, diff: Diff) -> None:
        """Apply ``diff`` to a scratch copy (see :meth:`scratch`)."""
        self._store.update(_diff_as_update(diff))

    def close(self) -> None:
        """Let a scratch copy go, with its files."""
        self._store = None  # type: ignore[assignment]
        if self._scratch_folder is not None:
            shutil.rmtree(self._scratch_folder, ignore_errors=True)

    def commit_diff(self, diff: Diff, description: str) -> None:
        """Apply a validated diff as one transaction (one update request on a remote
        store), then publish it to readers."""
        text = ox.NamedNode(GKG.text)
        graphs = {
            q.graph_name.value
            for q in diff.inserted
            if q.predicate == text and isinstance(q.graph_name, ox.NamedNode)
        }
        changed = len(diff.deleted) + len(diff.inserted)
        self._commit(_diff_as_update(diff), description, sorted(graphs), changed)

    def _commit(self, update: str, description: str, text_graphs: list[str], changed: int) -> None:
        """Apply one SPARQL update as one transaction, then publish it to readers.

        ``text_graphs``: the graphs where the update may write an article's full
        text; ``changed``: about how many quads it writes or deletes. The copies
        without texts replay the update and delete the texts it wrote, or, when
        that is more than the store's articles (a large batch), delete every
        text: whichever costs less, and neither more than the change (see
        :meth:`checkpoint`).
        """
        self._record_intent(description)
        self._store.update(update)  # a remote store moves its version marker with it
        step_reached("committed")
        replays = self.path is not None and changed < REPLAY_FACTOR * len(self.article_ids())
        self.checkpoint(replayed=(update, text_graphs) if replays else None)
        self._clear_intent()

    def _record_intent(self, description: str) -> None:
        """Say that a write is under way, durably, before it changes anything."""
        if self.path is None:
            return
        _write_durably(self.path / WRITE_INTENT, description + "\n")
        step_reached("intent-recorded")

    def _clear_intent(self) -> None:
        if self.path is not None:
            (self.path / WRITE_INTENT).unlink(missing_ok=True)

    def rebuild(self, staged: StagedBuild, reference_files: dict[str, list[Path]]) -> None:
        """Replace the whole store by the staged sources plus the ontology and shapes files."""
        if isinstance(self._store, RemoteStore):
            self._rebuild_remote(self._store, staged.sources, reference_files)
            return
        assert staged.nquads is not None
        self._record_intent("build")
        self._store.clear()
        step_reached("cleared")
        staged.nquads.seek(0)
        self._store.bulk_load(staged.nquads, format=ox.RdfFormat.N_QUADS)
        shapes = reference_files.get(self.shapes_graph.value, [])
        for graph, paths in reference_files.items():
            for path in paths if graph != self.shapes_graph.value else ():
                self._store.bulk_load(
                    path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph)
                )
        # Bulk-loaded files read slower than compacted ones; compacted now, the
        # store holds exactly the data, and a backup of it is the next
        # checkpoint's data twin, with nothing to delete or compact again.
        self._store.flush()
        self._store.optimize()
        if self.path is not None:
            self._store.backup(str(data_twin_path(self._next_checkpoint())))
        for path in shapes:
            self._store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=self.shapes_graph)
        step_reached("committed")
        self.checkpoint(twin_written=True)
        self._clear_intent()

    def restore_quads(self, nquads: Path, shapes: list[Path]) -> None:
        """Replace the whole store by the data graphs of a backup (N-Quads, graph after
        graph, as :meth:`export` writes them), plus the shapes files.

        On the embedded store, in one transaction; on a remote store, graph by graph
        (a Graph Store PUT each), then the graphs the backup lacks are dropped.
        """
        if isinstance(self._store, RemoteStore):
            quads = ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
            restored = self._store.put_graphs(quads)
            stale = [g for g in self.data_graphs() if g.value not in restored]
            # One update drops what the backup lacks and moves the version marker.
            drops = [f"DROP SILENT GRAPH {graph}" for graph in [*stale, self.version_graph]]
            self._store.update(_sequence(*drops))
            return
        self._record_intent("restore a backup")
        self._store.clear()
        step_reached("cleared")
        self._store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        for path in shapes:
            self._store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=self.shapes_graph)
        self._store.flush()
        self._store.optimize()
        step_reached("committed")
        self.checkpoint(compact=True)
        self._clear_intent()

    def _rebuild_remote(
        self,
        store: RemoteStore,
        sources: list[MappedSource],
        reference_files: dict[str, list[Path]],
    ) -> None:
        """Rebuild a remote store source by source, each replaced in one update request.

        A build that stops (the store unreachable or failing) leaves every
        earlier source stored, and says where it stopped; run again, it
        resumes: an article whose graph already holds exactly its triples (an
        edited article does not) is not sent again. Articles the sources no longer have are
        removed. The shapes are not stored (validation reads ``shapes/``).
        """
        for graph, paths in reference_files.items():
            if graph != self.shapes_graph.value:
                store.replace_graph(ox.NamedNode(graph), paths)
        for index, source in enumerate(sources):
            try:
                if source.article_id is None or self.change_of(source):
                    store.update(self._replacement(source))
            except StoreError as error:
                raise StoreError(
                    f"{error}\nthe build stopped at {self._source_name(source)}, with {index} "
                    f"of {len(sources)} sources stored: run `graphkg build` again to resume"
                ) from None
        kept = {source.article_id for source in sources}
        for stale in sorted(set(self.article_ids()) - kept):
            self.remove_article(stale)

    def change_of(self, source: MappedSource) -> Change:
        """What replacing ``source`` would add and remove. Read from what the source
        owns, so it costs what the article holds."""
        mapped = {(q.graph_name, q.triple) for q in to_ox_quads(self._written_quads(source))}
        # A file of shared entities owns statements in the entities graph, never all of it.
        graph = str(source.graph) if source.article_id is not None else None
        stored = self._contribution(graph, str(source.source))
        return Change(added=len(mapped - stored), removed=len(stored - mapped))

    def stored_source(self, article_id: str, diff: Diff | None = None) -> MappedSource:
        """An article as stored (its graph, and the entities and world knowledge it
        declared), as a source to validate again: ``graphkg check``; or, with ``diff``,
        as a write would leave it: what it deletes goes, what it inserts into the
        article's graph or about what the article declares comes."""
        graph = article_graph_iri(self.base, article_id)
        article = URIRef(f"{self.base}id/article/{article_id}")
        source = MappedSource(article_id, article, article_id, URIRef(graph))
        contribution = self._contribution(graph, str(article))
        declared = self.declared_by(str(article)) | {str(article)}
        if diff:
            contribution -= {(q.graph_name, q.triple) for q in diff.deleted}
            own = ox.NamedNode(graph)
            declared |= {
                q.subject.value
                for q in diff.inserted
                if q.graph_name == own
                and q.predicate == RDF_TYPE
                and root_iri(self.base, q.subject.value) == q.subject.value
            }
            contribution |= {
                (q.graph_name, q.triple)
                for q in diff.inserted
                if q.graph_name == own
                or (
                    q.graph_name in (self.entities_graph, self.world_graph)
                    and isinstance(q.subject, ox.NamedNode)
                    and root_iri(self.base, q.subject.value) in declared
                )
            }
        for graph_name, triple in sorted(contribution, key=str):
            s, p, o = (to_rdflib(t) for t in (triple.subject, triple.predicate, triple.object))
            source.quads.append((s, p, o, to_rdflib(graph_name)))  # type: ignore[arg-type]
        source.declared = {local_name(iri): URIRef(iri) for iri in declared}
        source.references = {
            o
            for _, _, o, _ in source.quads
            if isinstance(o, URIRef)
            and str(o).startswith(f"{self.base}id/")
            and (root_iri(self.base, str(o)) or str(o)) not in declared
        }
        return source

    def _contribution(self, graph: str | None, owner: str) -> set[tuple[ox.NamedNode, ox.Triple]]:
        """What a source stores: its graph (an article's), and its entities and world
        knowledge (what :meth:`_owned_deletion` would delete)."""
        stored = set()
        if graph is not None:
            name = ox.NamedNode(graph)
            stored = {
                (name, q.triple) for q in self._store.quads_for_pattern(None, None, None, name)
            }
        owned = self._owned_triples(self.entities_graph, self._declared_roots(owner))
        stored |= {(self.entities_graph, triple) for triple in owned}
        triples = self._store.query(
            f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {self.world_graph} {{
                  {{ ?s gkg:declaredIn <{owner}> ; ?p ?o }}
                  UNION {{ ?st gkg:declaredIn <{owner}> ; rdf:subject ?s ; rdf:predicate ?p ;
                               rdf:object ?o }} }} }}""",
            prefixes=PREFIXES,
        )
        assert isinstance(triples, ox.QueryTriples)
        return stored | {(self.world_graph, triple) for triple in triples}

    def checkpoint_bulk_load(self) -> Path | None:
        """Compact the store after a bulk load, then checkpoint it with compacted twins.

        Bulk-loaded files read slower than compacted ones, and a bulk load has
        rewritten everything anyway: see :meth:`checkpoint`.
        """
        if self.path is None:
            return None
        self._store.flush()
        self._store.optimize()
        return self.checkpoint(compact=True)

    def _next_checkpoint(self) -> Path:
        """Where the next checkpoint goes (copies have suffixes and are not counted)."""
        assert self.path is not None
        checkpoints = self.path / "checkpoints"
        checkpoints.mkdir(exist_ok=True)
        numbers = [int(p.name) for p in checkpoints.iterdir() if p.name.isdigit()]
        return checkpoints / checkpoint_name(max(numbers, default=0) + 1)

    def checkpoint(
        self,
        *,
        compact: bool = False,
        twin_written: bool = False,
        replayed: tuple[str, list[str]] | None = None,
    ) -> Path | None:
        """Snapshot the store for readers; returns the checkpoint directory.

        Each checkpoint has a data twin without the shapes graph, whose union
        of all graphs is exactly the current data. Oxigraph answers a query
        over the union of a store's graphs hundreds of times faster than over
        an explicit list of a thousand article graphs, so readers query the
        twin. Both are RocksDB checkpoints: their files are hard links to the
        primary's, so the twin costs little more than the shapes it drops
        unless compacted. Both also have a public copy without the articles'
        full texts, which a server for a public deployment reads instead
        (``show_article_text`` off), so that no query, graph or dump can reach
        the texts.

        ``compact`` (after a bulk load, which has rewritten everything anyway)
        compacts the twins, which queries read: see :meth:`_write_copy`.
        ``twin_written``: a build has written the data twin already (see
        :meth:`rebuild`), and its copy without texts is made from it.
        ``replayed``: the update this checkpoint follows, and the graphs where it
        may write texts: the copies without texts are then the previous ones with
        the update replayed and those texts deleted, which costs what the update
        changed (deleting every text would cost what the store holds).
        """
        if self.path is None:
            return None
        previous = latest_checkpoint(self.path) if replayed is not None else None
        target = self._next_checkpoint()
        checkpoints = target.parent
        numbers = [int(p.name) for p in checkpoints.iterdir() if p.name.isdigit()]
        oldest_kept = sorted([*numbers, int(target.name)])[-CHECKPOINTS_KEPT:][0]
        self._store.flush()
        twin = data_twin_path(target)
        self._store.backup(str(target))
        step_reached("checkpoint-copied")
        if twin_written:
            self._write_copy(public_copy_path(twin), twin, without_texts=True)
        else:
            # Copies of the checkpoint, not of the primary: they share its files even
            # when a background compaction of the primary ends in between.
            self._write_copy(twin, target, without_shapes=True, compact=compact)
            before = public_copy_path(data_twin_path(previous)) if previous else None
            if not self._replay_copy(public_copy_path(twin), before, replayed):
                self._write_copy(
                    public_copy_path(twin),
                    target,
                    without_shapes=True,
                    without_texts=True,
                    compact=compact,
                )
        before = public_copy_path(previous) if previous else None
        if not self._replay_copy(public_copy_path(target), before, replayed):
            self._write_copy(public_copy_path(target), target, without_texts=True)
        step_reached("copies-written")
        if self.on_checkpoint is not None:
            self.on_checkpoint(target, oldest_kept)
            step_reached("indexed")
        _publish(self.path, target.name)
        step_reached("published")
        for old in (n for n in numbers if n < oldest_kept):
            for folder in (checkpoints, self.path / FILES_CACHE):
                for copy in folder.glob(f"{checkpoint_name(old)}*"):
                    shutil.rmtree(copy, ignore_errors=True)
        return target

    def _replay_copy(
        self, target: Path, before: Path | None, replayed: tuple[str, list[str]] | None
    ) -> bool:
        """Write ``target``, a copy without texts, as the copy ``before`` (of the previous
        checkpoint) with the update ``replayed`` and the texts it wrote deleted; False
        when there is no such copy to start from."""
        if replayed is None or before is None or not before.is_dir():
            return False
        update, text_graphs = replayed
        source = ox.Store.read_only(str(before))
        source.backup(str(target))
        del source
        copy = ox.Store(str(target))
        copy.update(update)
        if text_graphs:
            copy.update(_texts_deletion(text_graphs))
        copy.flush()
        del copy  # closes the copy before readers open it
        return True

    def _write_copy(
        self,
        target: Path,
        of: Path,
        *,
        without_shapes: bool = False,
        without_texts: bool = False,
        compact: bool = False,
    ) -> None:
        """A copy of the store at ``of`` (hard links) without the shapes graph or the
        full texts.

        The deletions that make the copy stay in files of their own, which
        every read then merges in. ``compact`` rewrites the copy without
        them, as whole files rather than hard links: on a million quads it
        takes about 3 s and the store's size on disk, and saves joins about
        15 % of their time. (The texts are one triple an article: their
        deletions cost reads little.)
        """
        source = ox.Store.read_only(str(of))
        source.backup(str(target))
        del source
        copy = ox.Store(str(target))
        if without_shapes:
            copy.update(f"DROP SILENT GRAPH <{self.shapes_graph.value}>")
        if without_texts:
            copy.update(f"DELETE WHERE {{ GRAPH ?article {{ ?a <{GKG.text}> ?text }} }}")
        copy.flush()
        if compact:
            copy.optimize()
        del copy  # closes the copy before readers open it


def _texts_deletion(graphs: list[str]) -> str:
    """SPARQL that deletes the full texts in ``graphs`` (IRIs under the base, minted)."""
    values = " ".join(f"<{graph}>" for graph in graphs)
    return (
        f"DELETE {{ GRAPH ?g {{ ?a <{GKG.text}> ?text }} }} "
        f"WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?a <{GKG.text}> ?text }} }}"
    )


def _write_durably(path: Path, text: str) -> None:
    """Write a small file and flush it to disk before going on."""
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())


def _publish(path: Path, checkpoint_name: str) -> None:
    """Make CURRENT name a checkpoint, atomically and durably."""
    pointer = path / "CURRENT.tmp"
    _write_durably(pointer, checkpoint_name)
    os.replace(pointer, path / "CURRENT")
    directory = os.open(path, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


SERVER_HOLDER = re.compile(r"the graphkg server at (https?://\S+),")
"""How a lock file names the server that holds the store, for writers to send it theirs."""


class WriterLock:
    """The lock a store's one writing process holds; released when closed or collected.

    An ``flock`` rather than RocksDB's own lock, because recovery must happen
    under the lock before the primary store is opened; the kernel drops it
    when the process dies, however it dies. The file names the holder.
    """

    def __init__(self, path: Path, *, server: str | None = None) -> None:
        self._fd: int | None = os.open(path / WRITER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self._fd, 1024, 0).decode("utf-8", "replace").strip()
            self.close()
            found = SERVER_HOLDER.search(holder)
            raise StoreBusy(
                f"the store at {path} is being written by {holder or 'another process'}; "
                + (
                    "send the write to that server (it needs a write token: GRAPHKG_TOKEN)"
                    if found
                    else "wait for it to finish, then try again"
                ),
                server=found.group(1) if found else None,
            ) from None
        os.ftruncate(self._fd, 0)
        command = " ".join(Path(arg).name if i == 0 else arg for i, arg in enumerate(sys.argv[:2]))
        held_by = f"process {os.getpid()} ({command or 'python'})"
        if server is not None:
            held_by = f"the graphkg server at {server}, {held_by}"
        os.pwrite(self._fd, f"{held_by}\n".encode(), 0)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    __del__ = close


def _roll_back_unpublished_write(path: Path) -> None:
    """Bring the primary back to the published checkpoint if a write was interrupted.

    Every step can itself be interrupted and run again: the new primary is
    made aside, then put in place.
    """
    intent = path / WRITE_INTENT
    if not intent.exists():
        return
    primary, staging = path / PRIMARY, path / f"{PRIMARY}.recovering"
    shutil.rmtree(staging, ignore_errors=True)
    published = latest_checkpoint(path)
    if published is not None:
        ox.Store.read_only(str(published)).backup(str(staging))
    shutil.rmtree(primary, ignore_errors=True)
    if published is not None:
        os.replace(staging, primary)
    checkpoints = path / "checkpoints"
    newest = int(published.name) if published is not None else 0
    for folder in (checkpoints, path / FILES_CACHE):
        for copy in folder.glob("[0-9]*") if folder.is_dir() else ():
            if int(copy.name[:6]) > newest:
                shutil.rmtree(copy, ignore_errors=True)
    intent.unlink()


def data_twin_path(checkpoint: Path) -> Path:
    """Where the data twin of a checkpoint is (see :meth:`KnowledgeGraph.checkpoint`)."""
    return checkpoint.with_name(checkpoint.name + DATA_TWIN_SUFFIX)


def public_copy_path(checkpoint: Path) -> Path:
    """Where the copy of a checkpoint (or of its twin) without full texts is."""
    return checkpoint.with_name(checkpoint.name + PUBLIC_SUFFIX)


def reader_copies(checkpoint: Path, *, public: bool) -> tuple[Path, Path]:
    """The checkpoint and data twin a reader opens; ``public``: their copies without texts."""
    twin = data_twin_path(checkpoint)
    if not public:
        return checkpoint, twin
    checkpoint, twin = public_copy_path(checkpoint), public_copy_path(twin)
    if not checkpoint.is_dir():
        raise StoreError(
            f"the store at {checkpoint.parent.parent} has no copy without article texts "
            "(stores built before show_article_text applied to SPARQL and dumps): "
            "run `graphkg build` again, or set show_article_text = true"
        )
    return checkpoint, twin


def disk_bytes(path: Path) -> int:
    """Bytes of the files under ``path``, each file counted once.

    A store's checkpoints and copies share most of their files with the
    primary as hard links: summing every path would count them many times.
    """
    seen: set[tuple[int, int]] = set()
    total = 0
    for folder, _, names in os.walk(path):
        for name in names:
            try:
                stat = os.stat(os.path.join(folder, name), follow_symlinks=False)
            except OSError:  # removed meanwhile, with an old checkpoint
                continue
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total


def checkpoint_name(number: int) -> str:
    """The name of checkpoint ``number``, which sorts as the number does."""
    return f"{number:06d}"


def latest_checkpoint(path: Path) -> Path | None:
    """The newest complete checkpoint of a store directory, if any."""
    try:
        name = (path / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    checkpoint = path / "checkpoints" / name
    return checkpoint if checkpoint.is_dir() else None


def _deletion_of(graph: ox.NamedNode, triples: list[ox.Triple]) -> str:
    """A ``DELETE DATA`` of these triples of ``graph``; nothing for no triples (an empty
    ``GRAPH`` block is valid SPARQL, but Virtuoso refuses it)."""
    if not triples:
        return ""
    lines = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    return f"DELETE DATA {{ GRAPH {graph} {{\n{lines}\n}} }}"


def _sequence(*operations: str) -> str:
    """Update operations as one request, leaving out the empty ones."""
    return " ;\n".join(operation for operation in operations if operation)


REPLAY_FACTOR = 1.0
"""A commit's copies without texts replay it when it changes fewer quads than this
times the articles stored (each a text to delete otherwise): see ``_commit``."""

PRESENT_BATCH = 200
"""Quads asked about in one query of a remote store (see :meth:`KnowledgeGraph.present`)."""


def _diff_as_update(diff: Diff) -> str:
    """``DELETE DATA`` and ``INSERT DATA`` of a diff, in one update."""

    def data(quads: set[ox.Quad]) -> str:
        by_graph: dict[str, list[str]] = {}
        for q in sorted(quads, key=str):
            by_graph.setdefault(str(q.graph_name), []).append(
                f"{q.subject} {q.predicate} {q.object} ."
            )
        return " ".join(
            "\n".join(lines)
            if graph == str(ox.DefaultGraph())
            else f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}"
            for graph, lines in sorted(by_graph.items())
        )

    statements = []
    if diff.deleted:
        statements.append(f"DELETE DATA {{ {data(diff.deleted)} }}")
    statements.extend(f"DROP SILENT GRAPH {graph}" for graph in sorted(diff.dropped, key=str))
    statements.extend(f"CREATE SILENT GRAPH {graph}" for graph in sorted(diff.created, key=str))
    if diff.inserted:
        statements.append(f"INSERT DATA {{ {data(diff.inserted)} }}")
    return _sequence(*statements)


def _quads_as_sparql(quads: Iterable[Quad]) -> str:
    by_graph: dict[URIRef, list[str]] = {}
    for s, p, o, g in quads:
        by_graph.setdefault(g, []).append(f"{s.n3()} {p.n3()} {o.n3()} .")
    return " ".join(
        f"GRAPH {graph.n3()} {{\n" + "\n".join(lines) + "\n}"
        for graph, lines in sorted(by_graph.items())
    )


VERSION_POLL_SECONDS = 1.0
"""How often a long-lived reader of a remote store asks for graphkg's version marker."""


class LatestReader:
    """The newest committed version of a store, for readers that live long: the server's
    pages and its query workers, which ask for it on every request, so cheaply.

    On the embedded store, a ``stat`` of CURRENT (replaced by rename at each
    commit, so its inode changes) tells whether a newer checkpoint was
    published, and only then is it opened. A remote store is read live; its
    version is graphkg's version marker, asked at most once every
    :data:`VERSION_POLL_SECONDS`, together with the current period of
    ``remote_cache_seconds``: writes made to the store behind graphkg's back
    do not move the marker, so no answer cached for a version outlives that
    period. ``public`` reads the embedded store's copies without the articles'
    full texts.
    """

    def __init__(self, settings: Settings, *, public: bool) -> None:
        self._settings = settings
        self._public = public
        self._lock = threading.Lock()
        self._graph: KnowledgeGraph | None = None
        self._version: str | None = None
        self._pointer_read: tuple[tuple[int, int, int], str] | None = None
        self._remote = open_store(settings) if isinstance(settings.store, str) else None
        self._marker: str | None = None
        self._asked_at = -VERSION_POLL_SECONDS
        self._changed_at = time.time()
        self._held_before: int | None = None

    def files_root(self) -> Path:
        """Where files made from a version (dumps) may be kept: beside the embedded store,
        in a new temporary folder for a remote one."""
        if self._remote is not None:
            return Path(tempfile.mkdtemp(prefix="graphkg-files-"))
        return Path(self._settings.store) / FILES_CACHE

    def disk_bytes(self) -> int | None:
        """Bytes the embedded store's files take; None for a remote store."""
        return None if self._remote is not None else disk_bytes(Path(self._settings.store))

    def _checkpoint_name(self) -> str | None:
        """The checkpoint CURRENT names; the file is read again only when it was replaced."""
        pointer = Path(self._settings.store) / "CURRENT"
        try:
            stat = os.stat(pointer)
        except OSError:
            return None
        signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        read = self._pointer_read
        if read is None or read[0] != signature:
            try:
                read = (signature, pointer.read_text(encoding="utf-8").strip())
            except OSError:
                return None
            self._pointer_read = read
        return read[1]

    def _checkpoint_path(self, name: str) -> Path:
        return Path(self._settings.store) / "checkpoints" / name

    def _remote_version(self, remote: KnowledgeGraph) -> str:
        now = time.monotonic()
        if now - self._asked_at >= VERSION_POLL_SECONDS:
            marker = remote.version() or "unversioned"
            if marker != self._marker:
                self._marker, self._changed_at = marker, time.time()
            self._asked_at = now
        period = int(time.time() // self._settings.remote_cache_seconds)
        return f"{self._marker}.{period}"

    @property
    def graph(self) -> KnowledgeGraph:
        if self._remote is not None:
            return self._remote
        name = self._checkpoint_name()
        if name is None:
            raise StoreError(f"no store at {self._settings.store}: run `graphkg build` first")
        if name != self._version:
            with self._lock:
                if name != self._version:
                    if self._held_before is None:  # what it holds, not what it freed
                        hand_back_freed_memory()
                        self._held_before = anonymous_bytes()
                    self._graph = KnowledgeGraph.open_reader(
                        Path(self._settings.store),
                        base=self._settings.base,
                        public=self._public,
                        checkpoint=self._checkpoint_path(name),
                    )
                    self._version = name
        assert self._graph is not None
        return self._graph

    def export_apart(self, path: Path, rdf_format: ox.RdfFormat) -> None:
        """Write this version's data graphs to ``path`` (see :meth:`KnowledgeGraph.export`)
        in a process of its own, started for it.

        An export reads the whole store, and a long-lived process keeps much of
        what it allocated for that even when the store is closed (its heap is
        fragmented): a server's process grew by 55 MB writing a dump of a
        million triples. Starting the process costs about a second, once per
        version and format, as the dump is kept.
        """
        checkpoint = None if self._remote is not None else self._checkpoint_path(self.version)
        spawned = multiprocessing.get_context("spawn")  # a fork would share this heap
        with ProcessPoolExecutor(1, mp_context=spawned) as process:
            process.submit(
                _export_to, self._settings, self._public, checkpoint, path, rdf_format.media_type
            ).result()

    def release_caches(self) -> None:
        """Hand back what this process freed, and close the embedded store if the process
        still holds more than ``reader_cache_mib`` beyond what it held before opening it;
        the next read opens it again.

        Oxigraph's storage engine keeps the blocks it read in caches of its
        own, which no Python API bounds: a long-lived reader of a large store
        would grow to their full size, and more with the store. Reopening
        costs about 10 ms, and the operating system still caches the files.
        Called after each answer, when nobody waits for this process.
        """
        limit = self._settings.reader_cache_mib * MIB
        if not self._grew_beyond(limit):
            return
        hand_back_freed_memory()
        if not self._grew_beyond(limit):
            return
        with self._lock:
            self._graph = self._version = None
        hand_back_freed_memory()
        self._held_before = anonymous_bytes()

    def refresh(self) -> None:
        """Read the version anew at the next request: this process has just written it."""
        self._asked_at = -VERSION_POLL_SECONDS

    def _grew_beyond(self, limit: int) -> bool:
        held = anonymous_bytes()
        return None not in (held, self._held_before) and held - self._held_before > limit

    @property
    def version(self) -> str:
        """An id of the stored data that changes with every commit (for ETags and caches)."""
        if self._remote is not None:
            return self._remote_version(self._remote)
        self.graph  # noqa: B018 - opens the newest checkpoint if it changed
        assert self._version is not None
        return self._version

    @property
    def last_modified(self) -> float:
        """When this version was committed (on a remote store: when it was first seen)."""
        if self._remote is not None:
            self.version  # noqa: B018 - asks for the marker if it is time to
            return self._changed_at
        return (Path(self._settings.store) / "CURRENT").stat().st_mtime


def _export_to(
    settings: Settings, public: bool, checkpoint: Path | None, path: Path, media_type: str
) -> None:
    """:meth:`LatestReader.export_apart` in its process: the checkpoint's data (the
    remote store's with None) written to ``path``."""
    if checkpoint is None:
        kg = open_store(settings)
    else:
        kg = KnowledgeGraph.open_reader(
            Path(settings.store), base=settings.base, public=public, checkpoint=checkpoint
        )
    with path.open("wb") as out:
        kg.export(out, ox.RdfFormat.from_media_type(media_type))


def store_is_built(settings: Settings) -> bool:
    """Whether ``settings.store`` has something to read (a remote store always answers)."""
    return not isinstance(settings.store, Path) or latest_checkpoint(settings.store) is not None


def open_built_store(settings: Settings) -> KnowledgeGraph | None:
    """A reader of ``settings.store`` once there is something to read, else None."""
    return open_store(settings) if store_is_built(settings) else None


def open_store(
    settings: Settings, *, writer: bool = False, server: str | None = None
) -> KnowledgeGraph:
    """The knowledge graph of ``settings.store``: the embedded store in that directory
    (its writer, or a reader of its newest checkpoint), or the remote store at that URL.
    ``server`` is the URL where the server that opens the writer takes writes."""
    if isinstance(settings.store, str):
        graph = KnowledgeGraph.open_remote(
            remote_endpoints(settings),
            base=settings.base,
            article_texts=settings.show_article_text,
        )
        if writer:
            # One writer per machine: a remote store has no lock of graphkg's, so its
            # writer holds one in the folder of the store's local state (its history).
            folder = local_folder(settings)
            try:
                folder.mkdir(parents=True, exist_ok=True)
                graph._writer_lock = WriterLock(folder, server=server)
            except OSError as error:
                raise StoreError(f"cannot keep a writer's lock in {folder}: {error}") from None
        return graph
    if writer:
        return KnowledgeGraph.open_writer(settings.store, base=settings.base, server=server)
    return KnowledgeGraph.open_reader(settings.store, base=settings.base)


def check_servable(settings: Settings) -> None:
    """Refuse to serve a store that could leak the articles' full texts.

    With ``show_article_text`` off, the server reads the embedded store's
    copies without texts (made here if an older store lacks them); a remote
    store is served as it is, so it must hold no text (build it with
    ``show_article_text`` off, and graphkg writes none).
    """
    if settings.show_article_text:
        return
    if isinstance(settings.store, Path):
        checkpoint = latest_checkpoint(settings.store)
        if checkpoint is not None:
            reader_copies(checkpoint, public=True)
        return
    texts = open_store(settings).query(
        f"ASK {{ {{ ?a <{GKG.text}> ?t }} UNION {{ GRAPH ?g {{ ?a <{GKG.text}> ?t }} }} }}"
    )
    if texts:
        raise StoreError(
            f"the remote store {settings.store} holds articles' full texts (gkg:text), and "
            "show_article_text is off: serving it would publish them. Build the public store "
            "with GRAPHKG_SHOW_ARTICLE_TEXT=false (graphkg then writes no text), or turn "
            "show_article_text on"
        )


def remote_endpoints(settings: Settings) -> RemoteEndpoints:
    """The endpoints and credentials of the remote store ``settings.store`` names."""
    credentials = os.environ.get(STORE_CREDENTIALS_VARIABLE)
    if credentials is None and settings.store_credentials_file is not None:
        try:
            credentials = settings.store_credentials_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise StoreError(
                f"cannot read the store credentials file {settings.store_credentials_file}: {error}"
            ) from None
    return RemoteEndpoints.for_store(
        str(settings.store),
        query=settings.store_query_url,
        update=settings.store_update_url,
        graph_store=settings.store_graph_url,
        credentials=credentials,
        timeout=settings.query_timeout,
    )


def _named(iris: Sequence[str]) -> list[ox.NamedNode]:
    return [ox.NamedNode(iri) for iri in iris]
