"""Search over labels, alternative labels and evidence quotes: an SQLite FTS5 index beside
the store, changed by each write in proportion to what the write changed.

What is indexed: for every entity or fact of the data (an IRI ``{base}id/{kind}/{id}``,
a "root"), its labels (``rdfs:label``, ``skos:prefLabel``, ``gkg:title``), its
alternative labels (``skos:altLabel``) and the quotes of its evidence (``oa:exact`` of
the selectors minted under it), one row each, with the graph the text came from; and,
once per root, the label it is shown by and its classes. The ontology's own terms and
the articles' full texts are not indexed.

Where it is:

- **embedded store**: one ``search/index.sqlite`` whose rows carry the checkpoints they
  hold for (``since``, and ``until`` once a later write replaced them), so a reader of a
  checkpoint reads the index of exactly that data. A write's checkpoint closes the rows
  of the roots it changed and adds their new rows, read from the writer's primary store
  (which holds exactly the new checkpoint then), in one transaction committed before
  the checkpoint is published; rows no kept checkpoint reads any more are deleted then
  too. Rows of a checkpoint that was never published (a crash in between) are undone
  by the next write or the next writer that opens; a store with no index, or one that
  missed a write, gets one read whole.
- **remote store**: one ``search.sqlite`` beside the history (:func:`local_folder`),
  which records the store's version marker. Before a commit the writer records the
  roots it will change ("pending"); after it, it indexes them again from the store as
  it is and records the new marker. Reading a root again gives the right rows whether
  or not the commit happened, so a writer that opens after a crash just does it for
  the pending roots; an index whose marker is not the store's (a restored backup, a
  store rebuilt elsewhere) is rebuilt whole. Writes behind graphkg's back move no
  marker: ``graphkg reindex`` after them.

Either way a write changes the rows of the roots it touched (the subjects of the quads
it deletes and inserts, or of an article's old and new versions) and nothing else.
``graphkg reindex`` (:meth:`SearchIndexWriter.rebuild`) rebuilds the index from the
store. What users type never reaches FTS5's syntax: :func:`search_expression` quotes
every term.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graphkg.entailment import ontology_hierarchy
from graphkg.errors import QueryError, StoreError
from graphkg.history import local_folder
from graphkg.iri import article_graph_iri, root_iri
from graphkg.mapping import MappedSource
from graphkg.namespaces import GKG, OA
from graphkg.ontology import curie
from graphkg.settings import Settings
from graphkg.store import SEARCH_INDEXES, KnowledgeGraph, checkpoint_name, latest_checkpoint

log = logging.getLogger(__name__)

INDEX_FILE = "index.sqlite"
"""An embedded store's index, of all its kept checkpoints: ``search/index.sqlite``."""
REMOTE_INDEX_FILE = "search.sqlite"
"""A remote store's index, beside its history."""
INDEX_FORMAT = "2"
"""Changes when the schema or what is indexed changes: an index of another format is
rebuilt."""
MAX_SEARCH_CHARS = 500
"""A search's text is at most this long: enough for any name or phrase."""
MAX_SEARCH_TERMS = 16
"""A search has at most this many terms and phrases."""
MIN_PREFIX_CHARS = 2
"""A last term of one character matches whole words only: as a prefix it matches most
words (0.2 s at a million triples, against 0.02 s for two characters)."""
MOST_HITS = 100
DEFAULT_HITS = 20
SNIPPET_TOKENS = 16
"""Words of a long text shown around what matched."""
NESTING_FOLLOWED = 8
"""How deep under a root its quotes are looked for (a fact's evidence is 2 levels down,
an attributed statement's 4)."""
WEIGHTS = (10.0, 4.0, 1.0)
"""bm25 weights of a match in a label, an alternative label and a quote: a name ranks
above a passage that mentions it."""
MARK_START, MARK_END = "\ue000", "\ue001"
"""Private-use characters that delimit matches in a snippet; removed from indexed text,
so a snippet's marks are always FTS5's own."""

LABEL, ALT_LABEL, QUOTE = "label", "altLabel", "quote"
TEXT_PROPERTIES = {
    str(RDFS.label): LABEL,
    str(SKOS.prefLabel): LABEL,
    str(GKG.title): LABEL,
    str(SKOS.altLabel): ALT_LABEL,
}
DESCRIPTION = str(GKG.description)
"""Events have no name: a root without a label is shown by its description."""
RDF_TYPE = str(RDF.type)
EXACT = str(OA.exact)

REMOTE_VERSION = 0
"""The one version of a remote store's rows: it has no older versions to read, so a
row a write replaces is deleted at once."""

ADDITION_TRIGGER = """CREATE TRIGGER IF NOT EXISTS texts_added AFTER INSERT ON texts BEGIN
  INSERT INTO texts_fts(rowid, label, alt, quote)
  VALUES (new.id, new.label, new.alt, new.quote);
END"""
REMOVAL_TRIGGER = """CREATE TRIGGER IF NOT EXISTS texts_removed AFTER DELETE ON texts BEGIN
  INSERT INTO texts_fts(texts_fts, rowid, label, alt, quote)
  VALUES ('delete', old.id, old.label, old.alt, old.quote);
END"""
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS texts (
  id INTEGER PRIMARY KEY,
  iri TEXT NOT NULL,
  kind TEXT NOT NULL,
  graph TEXT NOT NULL,
  label TEXT,
  alt TEXT,
  quote TEXT,
  since INTEGER NOT NULL,
  until INTEGER
);
CREATE INDEX IF NOT EXISTS texts_iri ON texts(iri, until);
CREATE INDEX IF NOT EXISTS texts_since ON texts(since);
CREATE INDEX IF NOT EXISTS texts_until ON texts(until);
CREATE VIRTUAL TABLE IF NOT EXISTS texts_fts USING fts5(
  label, alt, quote, content='texts', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
{ADDITION_TRIGGER};
{REMOVAL_TRIGGER};
CREATE TABLE IF NOT EXISTS entities (
  id INTEGER PRIMARY KEY,
  iri TEXT NOT NULL,
  label TEXT NOT NULL,
  classes TEXT NOT NULL,
  since INTEGER NOT NULL,
  until INTEGER
);
CREATE INDEX IF NOT EXISTS entities_iri ON entities(iri, until);
CREATE INDEX IF NOT EXISTS entities_since ON entities(since);
CREATE INDEX IF NOT EXISTS entities_until ON entities(until);
CREATE TABLE IF NOT EXISTS pending (iri TEXT PRIMARY KEY);
"""
"""One row of ``texts`` per text, in the column of its kind (so that bm25 weighs kinds
apart), indexed by FTS5 as external content; ``entities`` shows each root. A row holds
for the versions from ``since`` up to, not including, ``until`` (NULL: the newest).
``meta`` holds the format and the newest version indexed (an embedded store's
checkpoint, a remote store's version marker); ``pending`` the roots of a remote store's
write under way."""
VERSIONED = ("texts", "entities")

BUSY_TIMEOUT_SECONDS = 30.0
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PIECES = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"[^\W_]")


class SearchTextError(QueryError):
    """What was typed cannot be searched for (too long, too many terms): a 400."""


# -- what the store says about roots ------------------------------------------


@dataclass(frozen=True, order=True)
class IndexedText:
    """A text a root is found by: its kind (label, altLabel or quote) and its graph."""

    iri: str
    kind: str
    text: str
    graph: str


@dataclass(frozen=True, order=True)
class IndexedEntity:
    """How a root is shown in hits: its label and its classes (CURIEs, most specific first)."""

    iri: str
    label: str
    classes: tuple[str, ...]


@dataclass
class GatheredRoot:
    """What the statements seen so far say of one root, for the index."""

    labels: list[tuple[str, str]] = field(default_factory=list)
    descriptions: list[tuple[str, str]] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    texts: set[IndexedText] = field(default_factory=set)

    def merge(self, other: GatheredRoot) -> None:
        self.labels += other.labels
        self.descriptions += other.descriptions
        self.types |= other.types
        self.texts |= other.texts


@dataclass
class Entries:
    """What the index holds for some roots (or for all of them)."""

    texts: list[IndexedText]
    entities: list[IndexedEntity]


class Gathered:
    """Statements about roots, gathered into :class:`Entries`.

    A build gathers them from each source's quads where the source is validated
    (:func:`gathered_roots`), and merges them here: its index is then made
    without reading the store it has just loaded (about 5 s at a million triples).
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self.roots: dict[str, GatheredRoot] = {}

    def merge(self, roots: dict[str, GatheredRoot]) -> None:
        """Add what :func:`gathered_roots` gathered from some other statements."""
        for iri, root in roots.items():
            if iri in self.roots:
                self.roots[iri].merge(root)
            else:
                self.roots[iri] = root

    def statement(self, subject: str, predicate: str, obj: ox.Term, graph: ox.Term | None) -> None:
        """Note a stored statement, if it says something the index keeps (a text, only from
        a named graph; the graph of a type does not matter)."""
        root = root_iri(self.base, subject)
        if root is None:
            return
        named = graph.value if isinstance(graph, ox.NamedNode) else None
        if predicate == EXACT and isinstance(obj, ox.Literal) and named:
            self._text(root, QUOTE, obj.value, named)
        if root != subject:
            return
        kind = TEXT_PROPERTIES.get(predicate)
        if kind is not None and isinstance(obj, ox.Literal) and named:
            self._text(root, kind, obj.value, named)
            if kind == LABEL:
                self._root(root).labels.append((obj.value, obj.language or ""))
        elif predicate == DESCRIPTION and isinstance(obj, ox.Literal):
            self._root(root).descriptions.append((obj.value, obj.language or ""))
        elif predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
            self._root(root).types.add(obj.value)

    def _root(self, iri: str) -> GatheredRoot:
        return self.roots.setdefault(iri, GatheredRoot())

    def _text(self, root: str, kind: str, text: str, graph: str) -> None:
        cleaned = " ".join(text.replace(MARK_START, " ").replace(MARK_END, " ").split())
        if cleaned:
            self._root(root).texts.add(IndexedText(root, kind, cleaned, graph))

    def entries(self) -> Entries:
        texts: list[IndexedText] = []
        entities: list[IndexedEntity] = []
        for iri, root in sorted(self.roots.items()):
            if not root.texts:
                continue
            texts.extend(sorted(root.texts))
            label = _shown_label(root.labels) or _shown_label(root.descriptions)
            entities.append(
                IndexedEntity(
                    iri, label or iri[len(self.base) + 3 :], _classes(frozenset(root.types))
                )
            )
        return Entries(texts, entities)


def gathered_roots(base: str, quads: Iterable[ox.Quad]) -> dict[str, GatheredRoot]:
    """What the index keeps of ``quads`` (all that a source stores), by root."""
    gathered = Gathered(base)
    for quad in quads:
        gathered.statement(quad.subject.value, quad.predicate.value, quad.object, quad.graph_name)
    return gathered.roots


def _shown_label(candidates: list[tuple[str, str]]) -> str | None:
    """English, then untagged, then any (as the server's pages choose)."""
    ranked = sorted(
        candidates, key=lambda c: (0 if c[1] == "en" else 1 if c[1] == "" else 2, c[1], c[0])
    )
    return ranked[0][0] if ranked else None


@cache
def _classes(types: frozenset[str]) -> tuple[str, ...]:
    """The CURIEs of ``types``: the most specific first (no other's superclass), then
    the others from the nearest (most ancestors of its own) up; gkg's before others."""
    above = ontology_hierarchy().superclasses
    general = {str(a) for t in types for a in above.get(URIRef(t), ())}

    def order(t: str) -> tuple[bool, bool, int, str]:
        return (t in general, not t.startswith(str(GKG)), -len(above.get(URIRef(t), ())), t)

    return tuple(curie(t) for t in sorted(types, key=order))


def read_roots(kg: KnowledgeGraph, roots: Iterable[str]) -> Entries:
    """What the index holds for ``roots``, read from the store as it is: each root's
    statements, and those of the nodes minted under it that it links to, level by level
    (see :meth:`KnowledgeGraph.quads_about`), so that it costs what the roots hold."""
    gathered = Gathered(kg.base)
    owner = {root: root for root in roots}
    frontier = sorted(owner)
    for _ in range(NESTING_FOLLOWED):
        if not frontier:
            break
        found: list[str] = []
        for quad in kg.quads_about(frontier):
            subject, obj = quad.subject.value, quad.object
            gathered.statement(subject, quad.predicate.value, obj, quad.graph_name)
            root = owner[subject]
            if (
                isinstance(obj, ox.NamedNode)
                and obj.value.startswith(f"{root}/")
                and obj.value not in owner
            ):
                owner[obj.value] = root
                found.append(obj.value)
        frontier = sorted(found)
    return gathered.entries()


def read_all(kg: KnowledgeGraph) -> Entries:
    """What the index holds for the whole store: three scans (labels and descriptions,
    quotes, the roots' types), not a query per root. At a million triples they give
    about 50,000 labels, 50,000 quotes and 80,000 types; pyoxigraph hands over a row in
    about 20 µs, so the types are those of roots only (of every node, 260,000)."""
    gathered = Gathered(kg.base)
    # The base goes in as literals written by pyoxigraph, which escapes them.
    under_base = f"FILTER(STRSTARTS(STR(?s), {ox.Literal(f'{kg.base}id/')}))"
    escaped = re.sub(r"([.?*+{}()\[\]^$|\\])", r"\\\1", kg.base)
    a_root = f"FILTER(REGEX(STR(?s), {ox.Literal(f'^{escaped}id/[^/]+/[^/]+$')}))"
    texts = " ".join(str(ox.NamedNode(p)) for p in (*TEXT_PROPERTIES, DESCRIPTION))
    scans = (
        (texts, under_base, "?g"),
        (str(ox.NamedNode(EXACT)), under_base, "?g"),
        (str(ox.NamedNode(RDF_TYPE)), a_root, ""),
    )
    for predicates, condition, graph in scans:
        rows = kg.query(
            f"SELECT DISTINCT ?s ?p ?o {graph} WHERE {{ VALUES ?p {{ {predicates} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} {condition} }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            named = row["g"] if graph else None
            gathered.statement(row["s"].value, row["p"].value, row["o"], named)
    return gathered.entries()


# -- which roots a write changes ------------------------------------------------


def roots_of_quads(base: str, quads: Iterable[ox.Quad]) -> set[str]:
    """The roots whose indexed texts these quads may hold: their subjects' roots."""
    return {
        root
        for quad in quads
        if isinstance(quad.subject, ox.NamedNode)
        and (root := root_iri(base, quad.subject.value)) is not None
    }


def roots_of_stored_source(kg: KnowledgeGraph, source: str, article_id: str | None) -> set[str]:
    """The roots a source holds now: those of its article's graph, and those it declared
    in the entities graph (whose world knowledge is about them too)."""
    roots = set(kg.declared_by(source))
    if article_id is not None and kg.has_graph(article_graph_iri(kg.base, article_id)):
        graph = ox.NamedNode(article_graph_iri(kg.base, article_id))
        roots |= roots_of_quads(kg.base, kg.graph_quads(graph))
    return {root for r in roots if (root := root_iri(kg.base, r)) is not None}


def roots_of_sources(kg: KnowledgeGraph, sources: Sequence[MappedSource]) -> set[str]:
    """The roots replacing ``sources`` may change, asked before the write: those of their
    old versions (as stored) and of their new ones."""
    roots: set[str] = set()
    for source in sources:
        roots |= roots_of_stored_source(kg, str(source.source), source.article_id)
        roots |= {
            root
            for subject, _, _, _ in source.quads
            if (root := root_iri(kg.base, str(subject))) is not None
        }
    return roots


def roots_of_article(kg: KnowledgeGraph, article_id: str) -> set[str]:
    """The roots removing an article may change, asked before the removal."""
    return roots_of_stored_source(kg, f"{kg.base}id/article/{article_id}", article_id)


# -- what users type -------------------------------------------------------------


def search_expression(text: str) -> str | None:
    """The FTS5 query for what a user typed; None when it holds no word.

    Every term is quoted, so nothing typed is FTS5 syntax (``NEAR``, ``AND``, ``*``,
    ``:``, ``^``, parentheses are words or nothing); ``"a phrase"`` in double quotes
    stays a phrase; an unbalanced quote is dropped. The last term also matches as a
    prefix (for completion as one types) when it has :data:`MIN_PREFIX_CHARS` or more
    and the text does not end with a space; a whole word still ranks above a longer
    one it begins. Raises :class:`SearchTextError` for text over
    :data:`MAX_SEARCH_CHARS` or :data:`MAX_SEARCH_TERMS`.
    """
    if len(text) > MAX_SEARCH_CHARS:
        raise SearchTextError(
            f"a search is at most {MAX_SEARCH_CHARS} characters; this one has {len(text)}"
        )
    text = _CONTROL.sub(" ", text)
    pieces: list[tuple[str, bool]] = []
    for phrase, word in _PIECES.findall(text):
        piece = phrase if phrase else word.replace('"', " ")
        if _WORD.search(piece):
            pieces.append((piece, not phrase))
    if len(pieces) > MAX_SEARCH_TERMS:
        raise SearchTextError(
            f"a search has at most {MAX_SEARCH_TERMS} terms and phrases; this one has {len(pieces)}"
        )
    if not pieces:
        return None
    quoted = ['"' + piece.replace('"', '""') + '"' for piece, _ in pieces]
    last, bare = pieces[-1]
    if bare and len(last) >= MIN_PREFIX_CHARS and not text[-1:].isspace():
        quoted[-1] = f"({quoted[-1]} OR {quoted[-1]}*)"
    return " AND ".join(quoted)


# -- the index file -------------------------------------------------------------


@dataclass(frozen=True)
class SnippetPart:
    """A piece of a snippet: text, and whether it is what matched."""

    text: str
    match: bool


@dataclass(frozen=True)
class Hit:
    """A root that matched: how it is shown, and the best of its texts that matched."""

    iri: str
    label: str
    classes: tuple[str, ...]
    kind: str
    """Which of its texts matched best: ``label``, ``altLabel`` or ``quote``."""
    graph: str
    """The graph that text came from (for a quote, its article's)."""
    snippet: tuple[SnippetPart, ...]

    @property
    def cls(self) -> str | None:
        """Its most specific class, as a CURIE."""
        return self.classes[0] if self.classes else None

    @property
    def snippet_text(self) -> str:
        return "".join(part.text for part in self.snippet)

    def highlights(self) -> list[tuple[int, int]]:
        """Where the matches are in :attr:`snippet_text`, as [start, end) offsets."""
        spans: list[tuple[int, int]] = []
        at = 0
        for part in self.snippet:
            if part.match:
                spans.append((at, at + len(part.text)))
            at += len(part.text)
        return spans


def snippet_parts(marked: str) -> tuple[SnippetPart, ...]:
    """A snippet FTS5 marked with :data:`MARK_START` and :data:`MARK_END`, as parts."""
    parts: list[SnippetPart] = []
    for piece in re.split(f"({MARK_START}[^{MARK_END}]*{MARK_END})", marked):
        if piece.startswith(MARK_START):
            parts.append(SnippetPart(piece[1:-1], True))
        elif piece:
            parts.append(SnippetPart(piece, False))
    return tuple(parts)


class SearchIndex:
    """One index file, open for reading (:meth:`reading`) or changing (:meth:`writing`).

    ``at`` is the version it is read at: an embedded store's checkpoint number, or None
    for the newest rows (a remote store's, or a writer's)."""

    def __init__(self, db: sqlite3.Connection, path: Path, at: int | None = None) -> None:
        self._db = db
        self.path = path
        self.at = at

    @classmethod
    def reading(cls, path: Path, *, at: int | None = None) -> SearchIndex:
        """Open the index at ``path`` read-only, at version ``at`` (None: the newest)."""
        missing = (
            f"the store has no search index at {path}: the store's writer keeps one "
            "for every write it commits; run `graphkg reindex` to make it now"
        )
        if not path.is_file():
            raise StoreError(missing)
        try:
            db = sqlite3.connect(
                f"file:{path}?mode=ro",
                uri=True,
                timeout=BUSY_TIMEOUT_SECONDS,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise StoreError(f"cannot read the search index at {path}: {error}") from None
        index = cls(db, path, at)
        if at is not None and int(index.version or -1) < at:
            index.close()  # made before that version, by a write that could not index it
            raise StoreError(missing)
        return index

    @classmethod
    def writing(cls, path: Path) -> SearchIndex:
        """Open (or create) the index at ``path`` to change it, while readers read it:
        written ahead, synced at each commit."""
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        if _meta(db, "format") not in (None, INDEX_FORMAT):
            db.executescript(
                "BEGIN; DROP TABLE IF EXISTS texts_fts; "
                + "".join(f"DROP TABLE IF EXISTS {t}; " for t in (*VERSIONED, "meta", "pending"))
                + "COMMIT;"
            )
        db.executescript(f"BEGIN; {SCHEMA}; COMMIT;")
        index = cls(db, path)
        index.set_meta("format", INDEX_FORMAT)
        return index

    def close(self) -> None:
        self._db.close()

    def meta(self, key: str) -> str | None:
        return _meta(self._db, key)

    def set_meta(self, key: str, value: str) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def version(self) -> str | None:
        """The newest version this index reflects."""
        return self.meta("version")

    def _visible(self, alias: str) -> tuple[str, tuple[int, ...]]:
        """The condition on a row of ``alias`` that it holds at :attr:`at`, and its parameters."""
        if self.at is None:
            return f"{alias}.until IS NULL", ()
        return f"{alias}.since <= ? AND ({alias}.until IS NULL OR {alias}.until > ?)", (
            self.at,
            self.at,
        )

    def replace(
        self, roots: Iterable[str], entries: Entries, *, at: int, oldest_kept: int, version: str
    ) -> None:
        """The rows of ``roots`` replaced by ``entries`` (read from the store for them) from
        version ``at`` on, rows no version from ``oldest_kept`` on reads deleted, the
        pending roots cleared and ``version`` recorded, in one transaction."""
        ordered = sorted(set(roots))
        with self._db:
            for start in range(0, len(ordered), 500):
                batch = ordered[start : start + 500]
                marks = ",".join("?" * len(batch))
                for table in VERSIONED:
                    self._db.execute(
                        f"UPDATE {table} SET until = ? WHERE iri IN ({marks}) AND until IS NULL",
                        (at, *batch),
                    )
            self._insert(entries, at)
            self._prune(oldest_kept)
            self._settle(version)

    def fill(self, entries: Entries, *, at: int, oldest_kept: int, version: str) -> None:
        """Every row replaced by ``entries`` (of the whole store) from version ``at`` on,
        in one transaction: readers see the old rows until it commits."""
        with self._db:
            # The full-text index is made again from the rows in one pass at the end, not
            # row by row through the triggers (about 1 s for 70,000 texts, against 3 to 5 s).
            self._db.execute("BEGIN")  # the triggers' removal and return in the transaction
            self._db.execute("DROP TRIGGER IF EXISTS texts_added")
            self._db.execute("DROP TRIGGER IF EXISTS texts_removed")
            if oldest_kept >= at:  # no older version is read: emptied at once, not row by row
                self._db.execute("DELETE FROM texts")
                self._db.execute("DELETE FROM entities")
            else:
                for table in VERSIONED:
                    self._db.execute(f"UPDATE {table} SET until = ? WHERE until IS NULL", (at,))
                self._prune(oldest_kept)
            self._insert(entries, at)
            self._db.execute("INSERT INTO texts_fts(texts_fts) VALUES ('rebuild')")
            self._db.execute(ADDITION_TRIGGER)
            self._db.execute(REMOVAL_TRIGGER)
            self._settle(version)

    def roll_back(self, published: int) -> None:
        """Undo the rows of versions after ``published`` (written for a checkpoint that a
        crash or a failed write left unpublished): what it cost is what they changed."""
        with self._db:
            for table in VERSIONED:
                self._db.execute(f"DELETE FROM {table} WHERE since > ?", (published,))
                self._db.execute(f"UPDATE {table} SET until = NULL WHERE until > ?", (published,))
            if (
                self.version is not None
                and self.version.isdigit()
                and int(self.version) > published
            ):
                self._db.execute(
                    "UPDATE meta SET value = ? WHERE key = 'version'", (checkpoint_name(published),)
                )

    def _settle(self, version: str) -> None:
        """Record ``version`` as the one the rows reflect, no root pending."""
        self._db.execute("DELETE FROM pending")
        self._db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)", (version,)
        )

    def _prune(self, oldest_kept: int) -> None:
        """Delete the rows no version from ``oldest_kept`` on reads."""
        for table in VERSIONED:
            self._db.execute(f"DELETE FROM {table} WHERE until <= ?", (oldest_kept,))

    def _insert(self, entries: Entries, at: int) -> None:
        self._db.executemany(
            "INSERT INTO texts (iri, kind, graph, label, alt, quote, since) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    t.iri,
                    t.kind,
                    t.graph,
                    t.text if t.kind == LABEL else None,
                    t.text if t.kind == ALT_LABEL else None,
                    t.text if t.kind == QUOTE else None,
                    at,
                )
                for t in entries.texts
            ],
        )
        self._db.executemany(
            "INSERT INTO entities (iri, label, classes, since) VALUES (?, ?, ?, ?)",
            [(e.iri, e.label, " ".join(e.classes), at) for e in entries.entities],
        )

    def note_pending(self, roots: Iterable[str]) -> None:
        """Record, durably, the roots a write is about to change."""
        with self._db:
            self._db.executemany(
                "INSERT OR IGNORE INTO pending (iri) VALUES (?)", [(r,) for r in sorted(roots)]
            )

    def pending(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT iri FROM pending")}

    def contents(self) -> Entries:
        """Every row that holds at :attr:`at`, in order (to compare indexes)."""
        texts_hold, texts_parameters = self._visible("t")
        entities_hold, entities_parameters = self._visible("e")
        texts = [
            IndexedText(*row)
            for row in self._db.execute(
                "SELECT iri, kind, COALESCE(label, alt, quote), graph FROM texts t "
                f"WHERE {texts_hold} ORDER BY iri, kind, 3, graph",
                texts_parameters,
            )
        ]
        entities = [
            IndexedEntity(iri, label, tuple(classes.split()))
            for iri, label, classes in self._db.execute(
                f"SELECT iri, label, classes FROM entities e WHERE {entities_hold} ORDER BY iri",
                entities_parameters,
            )
        ]
        return Entries(texts, entities)

    def search(
        self, expression: str, *, limit: int = DEFAULT_HITS, cls: str | None = None
    ) -> list[Hit]:
        """The roots that match ``expression`` (from :func:`search_expression`), best
        first: each root once, by the best of its texts (bm25, labels weighed above
        alternative labels above quotes); ``cls`` (a CURIE) keeps roots of that class."""
        weights = ", ".join(str(w) for w in WEIGHTS)
        texts_hold, texts_parameters = self._visible("t")
        entities_hold, entities_parameters = self._visible("e")
        condition = "AND instr(' ' || e.classes || ' ', ?) > 0" if cls else ""
        parameters: list[object] = [expression, *texts_parameters, *entities_parameters]
        if cls:
            parameters.append(f" {cls} ")
        try:
            # bm25 cannot be aggregated where it is computed: the matches are made first.
            rows = self._db.execute(
                "WITH matched AS MATERIALIZED ("
                "SELECT t.iri AS iri, t.id AS id, t.kind AS kind, t.graph AS graph, "
                f"bm25(texts_fts, {weights}) AS score "
                "FROM texts_fts JOIN texts t ON t.id = texts_fts.rowid "
                f"WHERE texts_fts MATCH ? AND {texts_hold}) "
                "SELECT m.iri, m.id, m.kind, m.graph, e.label, e.classes, MIN(m.score) AS best "
                f"FROM matched m JOIN entities e ON e.iri = m.iri AND {entities_hold} "
                f"WHERE 1 {condition} GROUP BY m.iri ORDER BY best, m.iri LIMIT ?",
                (*parameters, max(1, min(limit, MOST_HITS))),
            ).fetchall()
            hits = []
            for iri, rowid, kind, graph, label, classes, _ in rows:
                marked = self._db.execute(
                    "SELECT snippet(texts_fts, -1, ?, ?, '…', ?) FROM texts_fts "
                    "WHERE texts_fts MATCH ? AND rowid = ?",
                    (MARK_START, MARK_END, SNIPPET_TOKENS, expression, rowid),
                ).fetchone()
                parts = snippet_parts(marked[0] if marked else "")
                hits.append(Hit(iri, label, tuple(classes.split()), kind, graph, parts))
        except sqlite3.OperationalError as error:
            if "fts5" in str(error):
                raise SearchTextError(f"cannot search for that: {error}") from None
            raise StoreError(f"cannot read the search index at {self.path}: {error}") from None
        return hits


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:  # a new file: no tables yet
        return None
    return None if row is None else str(row[0])


# -- where the index is, for readers ----------------------------------------------


def embedded_index_path(store: Path) -> Path:
    """The index of an embedded store (of all its kept checkpoints)."""
    return store / SEARCH_INDEXES / INDEX_FILE


def remote_index_path(settings: Settings) -> Path:
    return local_folder(settings) / REMOTE_INDEX_FILE


def open_for_reading(settings: Settings, version: str) -> SearchIndex:
    """The index of version ``version`` of ``settings.store`` (a checkpoint's name on the
    embedded store; a remote store has one index, of its newest version)."""
    if isinstance(settings.store, Path):
        return SearchIndex.reading(embedded_index_path(settings.store), at=int(version))
    return SearchIndex.reading(remote_index_path(settings))


# -- keeping it in step: the writer's part -----------------------------------------


class SearchIndexWriter:
    """Keeps the search index of a writer's store in step with each write (see the
    module's doc). Never fails a write: an index it cannot change is logged, and is
    rebuilt at the next write (embedded) or when a writer next opens (remote)."""

    def __init__(self, settings: Settings, kg: KnowledgeGraph) -> None:
        self._settings = settings
        self._kg = kg
        self._roots: set[str] | None = None
        """The roots the write under way changes (None: maybe everything)."""
        self._built: Gathered | None = None
        """What a build under way stores, gathered as it validated: the index to make."""
        if kg.path is None:
            self._index = SearchIndex.writing(remote_index_path(settings))
        else:
            self._index = SearchIndex.writing(embedded_index_path(kg.path))
            kg.on_checkpoint = self._index_checkpoint

    @property
    def _remote(self) -> bool:
        return self._kg.path is None

    def catch_up(self) -> None:
        """Bring the index of the store's newest version up to date when a writer opens:
        on an embedded store, the rows of a checkpoint a crash left unpublished undone,
        and everything read again if the index is not of the published one; on a remote
        store, the pending roots of a write a crash interrupted indexed again, or
        everything if the store's marker is not the index's."""
        try:
            if not self._remote:
                published = self._rolled_back_to_published()
                if published is not None and self._index.version != published.name:
                    self._fill_checkpoint(published)
                return
            if self._index.pending():
                self._settle_remote(set())
            if self._index.version != (self._kg.version() or ""):
                self.rebuild()
        except Exception:  # the index never fails a write: logged, and made again later
            log.exception("the search index could not be brought up to date")

    @contextmanager
    def change(self, roots: set[str] | None, *, built: Gathered | None = None) -> Iterator[None]:
        """Around a commit that changes the texts of ``roots`` (None: maybe all). A build
        of the embedded store passes what it stores as ``built``, filled by the time it
        commits, and its index is made from that rather than read from the store."""
        if not self._remote:
            self._roots, self._built = roots, built
            try:
                yield
            finally:
                self._roots = self._built = None
            return
        try:
            if roots is not None:
                self._index.note_pending(roots)
        except sqlite3.Error:
            log.exception("cannot note the roots a write changes in the search index")
        try:
            yield
        finally:
            self._settle_remote(roots)

    def rebuild(self) -> int:
        """The index rebuilt whole from the store; how many texts it holds."""
        if not self._remote:
            published = self._rolled_back_to_published()
            if published is None:
                raise StoreError(f"no store at {self._kg.path}: run `graphkg build` first")
            return self._fill_checkpoint(published)
        entries = read_all(self._kg)
        self._index.fill(
            entries,
            at=REMOTE_VERSION,
            oldest_kept=REMOTE_VERSION,
            version=self._kg.version() or "",
        )
        return len(entries.texts)

    def close(self) -> None:
        """Let the index and the store go (the writer's lock goes with the store)."""
        if self._kg is None:
            return
        self._index.close()
        self._kg.on_checkpoint = None
        self._kg = None  # type: ignore[assignment]

    def _settle_remote(self, roots: set[str] | None) -> None:
        """Index ``roots`` and the pending roots again from the store as it is (None:
        everything), and record its marker."""
        try:
            if roots is None:
                self.rebuild()
            else:
                roots = roots | self._index.pending()
                self._index.replace(
                    roots,
                    read_roots(self._kg, roots),
                    at=REMOTE_VERSION,
                    oldest_kept=REMOTE_VERSION,
                    version=self._kg.version() or "",
                )
        except Exception:  # the index never fails a write: logged, and made again later
            log.exception(
                "the search index could not follow a write; a writer that opens next "
                "brings it up to date"
            )

    def _rolled_back_to_published(self) -> Path | None:
        """The published checkpoint of the embedded store (None before the first), the
        rows of any later one undone."""
        assert self._kg.path is not None
        published = latest_checkpoint(self._kg.path)
        self._index.roll_back(int(published.name) if published is not None else 0)
        return published

    def _index_checkpoint(self, checkpoint: Path, oldest_kept: int) -> None:
        """The hook of :attr:`KnowledgeGraph.on_checkpoint`: the new checkpoint's rows,
        committed before the checkpoint is published. The write's roots are indexed
        again, read from the primary store (which holds exactly the new checkpoint
        then), if the index is of the published checkpoint; else everything is."""
        try:
            published = self._rolled_back_to_published()  # the previous one, until this is
            if self._built is not None:
                self._fill(checkpoint, self._built.entries(), oldest_kept=oldest_kept)
                return
            if self._roots is None or published is None or self._index.version != published.name:
                self._fill_checkpoint(checkpoint, oldest_kept=oldest_kept)
                return
            self._index.replace(
                self._roots,
                read_roots(self._kg, self._roots),
                at=int(checkpoint.name),
                oldest_kept=oldest_kept,
                version=checkpoint.name,
            )
        except Exception:  # the index never fails a write: logged, and made again later
            log.exception(
                "no search index for checkpoint %s; the next write makes it", checkpoint.name
            )

    def _fill_checkpoint(self, checkpoint: Path, *, oldest_kept: int | None = None) -> int:
        """Index everything ``checkpoint`` holds, read by scans of it, from its version
        on, keeping the rows of the versions from ``oldest_kept`` on (by default, of
        none before it); how many texts it holds."""
        assert self._kg.path is not None
        reader = KnowledgeGraph.open_reader(
            self._kg.path, base=self._kg.base, checkpoint=checkpoint
        )
        entries = read_all(reader)
        del reader
        return self._fill(checkpoint, entries, oldest_kept=oldest_kept)

    def _fill(self, checkpoint: Path, entries: Entries, *, oldest_kept: int | None) -> int:
        """The index made of ``entries`` (see :meth:`_fill_checkpoint`)."""
        at = int(checkpoint.name)
        self._index.fill(
            entries,
            at=at,
            oldest_kept=at if oldest_kept is None else oldest_kept,
            version=checkpoint.name,
        )
        return len(entries.texts)
