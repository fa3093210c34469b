"""SPARQL 1.1 Update requests and Graph Store writes, as the quads they delete and insert.

Nobody may see a change before it is validated, so a write over SPARQL is not
run on the store: it is evaluated into a :class:`Diff`, which the writer
validates (every article it touches) and then applies in one transaction.
Each operation is evaluated as the Update spec defines it: the solutions of its
``WHERE``, found by the store, instantiate its templates into concrete quads;
later operations see what earlier ones changed. Reads of quads see the diff so
far over the store; a ``WHERE`` after a change runs on a private scratch copy
of the embedded store with the diff applied (:meth:`KnowledgeGraph.scratch`),
and is refused on a remote store, which has no such copy.

Blank nodes that an update inserts are stored as skolem IRIs
(``{base}.well-known/genid/…``, RDF 1.1 §3.5): every node graphkg stores has an
IRI, and a diff can be applied with ``DELETE DATA`` later.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Variable
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node as RdfNode

from graphkg.errors import GraphkgError, MalformedQuery
from graphkg.namespaces import PREFIXES
from graphkg.terms import to_oxigraph

Graph = ox.NamedNode | ox.DefaultGraph


class DiffRefused(GraphkgError):
    """A write refused as it is asked (not for the data it brings): ``status`` says how."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Diff:
    """What a write deletes from the store and inserts into it: no quad in both, every
    deleted quad stored, no inserted one."""

    deleted: set[ox.Quad] = field(default_factory=set)
    inserted: set[ox.Quad] = field(default_factory=set)
    created: set[ox.NamedNode] = field(default_factory=set)
    """Graphs made, empty or not (``CREATE``, a Graph Store ``PUT`` of nothing)."""
    dropped: set[ox.NamedNode] = field(default_factory=set)
    """Graphs that go, not only their quads (``DROP``, a Graph Store ``DELETE``)."""

    def __bool__(self) -> bool:
        return bool(self.deleted or self.inserted or self.created or self.dropped)

    def graphs(self) -> set[Graph]:
        return {q.graph_name for q in self.deleted | self.inserted} | self.created | self.dropped


@dataclass(frozen=True)
class WhereDataset:
    """The dataset a ``WHERE`` reads: the graphs ``USING`` (or ``WITH``) names, or else
    the store's (its default graph the union of the data graphs, or its own)."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] | None = None
    """None: the store's data graphs; ``()``: none (``USING`` without ``USING NAMED``)."""
    union: bool = True

    @property
    def explicit(self) -> bool:
        return bool(self.default) or self.named is not None


class Store(Protocol):
    """What evaluating a write reads of a store (a :class:`KnowledgeGraph`)."""

    def present(self, quads: set[ox.Quad]) -> set[ox.Quad]: ...

    def graph_quads(self, graph: Graph) -> Iterator[ox.Quad]: ...

    def graph_names(self) -> list[ox.NamedNode]: ...

    def has_graph(self, name: str) -> bool: ...

    def solutions(
        self, sparql: str, dataset: WhereDataset, base_iri: str | None
    ) -> ox.QuerySolutions: ...


class Scratch(Store, Protocol):
    """A private, writable copy of a store, where later operations see earlier ones."""

    def apply(self, diff: Diff) -> None: ...

    def close(self) -> None: ...


class Evaluation:
    """A write's diff so far over ``store``: what it reads includes what it changed.

    ``scratch`` makes a private writable copy of the store, or answers None where
    there is none (a remote store).
    """

    def __init__(
        self,
        store: Store,
        *,
        skolem_base: str,
        scratch: Callable[[], Scratch | None],
    ) -> None:
        self.store = store
        self.diff = Diff()
        self.aimed_at: set[Graph] = set()
        """The graphs the write names, changed or not: a write may not aim at some."""
        self._skolem_base = skolem_base
        self._make_scratch = scratch
        self._scratch: Scratch | None = None

    # -- reading through the diff ------------------------------------------

    def graph_quads(self, graph: Graph) -> set[ox.Quad]:
        stored = {q for q in self.store.graph_quads(graph) if q not in self.diff.deleted}
        return stored | {q for q in self.diff.inserted if q.graph_name == graph}

    def graph_names(self) -> set[ox.NamedNode]:
        names = set(self.store.graph_names()) | self.diff.created
        names |= {g for g in self.diff.graphs() if isinstance(g, ox.NamedNode)}
        return {name for name in names if self.graph_exists(name)}

    def graph_exists(self, graph: Graph) -> bool:
        """Whether the store, as the write leaves it so far, has ``graph``: a named one
        with quads, or made empty; the default graph when it holds anything (as the
        Graph Store Protocol counts a ``PUT`` to it as making it)."""
        if isinstance(graph, ox.DefaultGraph):
            return bool(self.graph_quads(graph))
        if graph in self.diff.created:
            return True
        if any(q.graph_name == graph for q in self.diff.inserted):
            return True
        return graph not in self.diff.dropped and self.store.has_graph(graph.value)

    def create(self, graph: Graph) -> None:
        if isinstance(graph, ox.NamedNode) and not self.graph_exists(graph):
            self.diff.dropped.discard(graph)
            self.diff.created.add(graph)
            if self._scratch is not None:
                self._scratch.apply(Diff(created={graph}))

    def drop(self, graph: Graph) -> None:
        """Delete the graph's quads, and the graph."""
        self.change(self.graph_quads(graph), ())
        if isinstance(graph, ox.NamedNode) and self.graph_exists(graph):
            self.diff.created.discard(graph)
            if self.store.has_graph(graph.value):
                self.diff.dropped.add(graph)
            if self._scratch is not None:
                self._scratch.apply(Diff(dropped={graph}))

    def solutions(
        self, sparql: str, dataset: WhereDataset, base_iri: str | None
    ) -> ox.QuerySolutions:
        """A ``WHERE``'s solutions over the store as the write has changed it so far."""
        if not self.diff:
            return self.store.solutions(sparql, dataset, base_iri)
        if self._scratch is None:
            self._scratch = self._make_scratch()
            if self._scratch is None:
                raise DiffRefused(
                    422,
                    "an operation of this update has a WHERE after an earlier operation "
                    "changed the store, so it reads what an earlier one changed: this store "
                    "has no private copy to evaluate that on before the change is validated; "
                    "send the operations as separate requests",
                )
            self._scratch.apply(self.diff)
        return self._scratch.solutions(sparql, dataset, base_iri)

    # -- changing -------------------------------------------------------------

    def change(self, deleted: Iterable[ox.Quad], inserted: Iterable[ox.Quad]) -> None:
        """Delete then insert, as one operation does; the diff nets out what cancels."""
        deleted, inserted = set(deleted), set(inserted)
        step = Diff()
        for quad in self._present(deleted):
            step.deleted.add(quad)
        for quad in inserted - (self._present(inserted) - step.deleted):
            step.inserted.add(quad)
        kept = step.deleted & step.inserted  # deleted and put back: unchanged
        step.deleted -= kept
        step.inserted -= kept
        for quad in step.deleted:
            if quad in self.diff.inserted:
                self.diff.inserted.discard(quad)
            else:
                self.diff.deleted.add(quad)
        for quad in step.inserted:
            if quad in self.diff.deleted:
                self.diff.deleted.discard(quad)
            else:
                self.diff.inserted.add(quad)
        if self._scratch is not None and step:
            self._scratch.apply(step)

    def _present(self, quads: set[ox.Quad]) -> set[ox.Quad]:
        stored = self.store.present(quads - self.diff.inserted - self.diff.deleted)
        return stored | (quads & self.diff.inserted)

    def skolem(self) -> ox.NamedNode:
        return ox.NamedNode(f"{self._skolem_base}.well-known/genid/{uuid.uuid4().hex}")

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = None


# -- SPARQL Update ----------------------------------------------------------------

_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_STRING = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\"",
    re.S,
)
_PREFIX_DECLARATION = re.compile(r"PREFIX\s+([^\s:]*):\s*<([^>]*)>", re.I)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_DECLARATION = re.compile(r"\s*(?:#[^\n]*\n\s*)*(PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.I)


@dataclass(frozen=True)
class _Split:
    """An operation's text: its prologue (the request's declarations so far), and where
    its ``WHERE`` keyword ends, at brace depth 0 (-1 without one)."""

    prologue: str
    text: str
    where_end: int


def _split(request: str) -> list[_Split]:
    """The request's operations, split at ``;`` outside braces, strings, IRIs and comments."""
    operations: list[_Split] = []
    declarations: list[str] = []
    depth, start, where_end, position = 0, 0, -1, 0

    def close(end: int) -> None:
        text = request[start:end]
        offset = 0
        while found := _DECLARATION.match(text, offset):
            declarations.append(found.group(1))
            offset = found.end()
        shift = offset
        operations.append(_Split("\n".join(declarations), text[shift:], where_end - start - shift))

    while position < len(request):
        char = request[position]
        if char == "#":
            newline = request.find("\n", position)
            position = len(request) if newline < 0 else newline + 1
            continue
        for pattern in (_STRING, _IRI) if char in "'\"<" else ():
            if found := pattern.match(request, position):
                position = found.end()
                break
        else:
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == ";" and depth == 0:
                close(position)
                start, where_end = position + 1, -1
            elif depth == 0 and (word := _WORD.match(request, position)):
                after = word.end()
                if word.group().upper() == "WHERE" and not request.startswith(":", after):
                    where_end = after
                position = after
                continue
            position += 1
    close(len(request))
    return [op for op in operations if op.text.strip() or op is operations[0]]


def parse_update(request: str, *, base_iri: str | None) -> list[tuple[CompValue, _Split]]:
    """The operations of an update request, each as rdflib's algebra and its own text.

    rdflib's parser checks the grammar and gives the templates; the store
    evaluates each ``WHERE`` from the text, so the request is split here too.
    """
    declared = _PREFIX_DECLARATION.findall(request)
    bound = {name for name, _ in declared} | {namespace for _, namespace in declared}
    # rdflib keeps one prefix a namespace: a predeclared prefix for a namespace the
    # request names otherwise (``dc:`` for Dublin Core terms) would unbind the request's.
    predeclared = {p: ns for p, ns in PREFIXES.items() if p not in bound and ns not in bound}
    try:
        parsed = translateUpdate(parseUpdate(request), base=base_iri, initNs=predeclared)
    except ParseException as error:
        raise MalformedQuery(
            f"line {error.lineno}, column {error.col}: {error.msg} (near {error.line!r})"
        ) from None
    except RecursionError:
        raise MalformedQuery(
            "the update nests its groups or blank nodes too deeply to be read"
        ) from None
    except Exception as error:  # rdflib raises plain exceptions for unknown prefixes
        raise MalformedQuery(str(error)) from None
    operations = list(parsed.algebra)
    texts = [split for split in _split(request) if split.text.strip()]
    if len(texts) != len(operations):
        raise MalformedQuery(
            f"the request reads as {len(operations)} operations but splits into "
            f"{len(texts)} at its semicolons; separate operations with `;`"
        )
    return list(zip(operations, texts, strict=True))


@dataclass(frozen=True)
class ProtocolDataset:
    """The protocol's ``using-graph-uri`` and ``using-named-graph-uri`` parameters."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


def evaluate_update(
    request: str,
    evaluation: Evaluation,
    *,
    base_iri: str | None,
    using: ProtocolDataset = ProtocolDataset(),
    union: bool,
) -> Diff:
    """The diff of an update request (see the module's doc)."""
    for operation, split in parse_update(request, base_iri=base_iri):
        name = operation.name
        if (
            using
            and name in ("Modify", "DeleteWhere")
            and (_field(operation, "using") or _field(operation, "withClause"))
        ):
            raise MalformedQuery(
                "the request names its dataset twice: by using-graph-uri or "
                "using-named-graph-uri, and by USING or WITH in the update; keep one"
            )
        if name == "InsertData":
            evaluation.aimed_at |= _named_graphs(operation)
            evaluation.change((), _data(operation, evaluation))
        elif name == "DeleteData":
            evaluation.aimed_at |= _named_graphs(operation)
            evaluation.change(_data(operation, evaluation), ())
        elif name in ("Modify", "DeleteWhere"):
            _modify(operation, split, evaluation, base_iri, using, union)
        elif name in ("Clear", "Drop"):
            graphs = _graphs_named(operation.graphiri, evaluation)
            evaluation.aimed_at |= set(graphs)
            for graph in graphs:
                if name == "Drop":
                    evaluation.drop(graph)
                else:
                    evaluation.change(evaluation.graph_quads(graph), ())
        elif name == "Create":
            graph = _graph(operation.graphiri)
            evaluation.aimed_at.add(graph)
            if evaluation.graph_exists(graph) and not _field(operation, "silent"):
                raise DiffRefused(409, f"CREATE GRAPH {graph}: the graph exists (CREATE SILENT…)")
            evaluation.create(graph)
        elif name in ("Add", "Copy", "Move"):
            _copy(name, operation, evaluation)
        elif name == "Load":
            raise DiffRefused(
                403,
                "LOAD is not run here: send the graph's data with a Graph Store PUT or "
                "POST to /rdf-graphs/service, or an article's fact file to /facts",
            )
    return evaluation.diff


def _field(value: CompValue, name: str) -> Any:
    """A field of rdflib's algebra, or None (its ``get`` answers a missing field's name)."""
    return value[name] if name in value else None


def _graph(term: Any) -> Graph:
    return ox.DefaultGraph() if term in (None, "DEFAULT") else ox.NamedNode(str(term))


def _graphs_named(target: Any, evaluation: Evaluation) -> list[Graph]:
    """The graphs of ``CLEAR``/``DROP`` ``target``: ``ALL`` and ``NAMED`` name the graphs
    the store holds (and ``ALL`` the default graph)."""
    if target in ("ALL", "NAMED"):
        named: list[Graph] = sorted(evaluation.graph_names(), key=lambda g: g.value)
        return [ox.DefaultGraph(), *named] if target == "ALL" else named
    return [_graph(target)]


def _copy(name: str, operation: CompValue, evaluation: Evaluation) -> None:
    source, target = (_graph(term) for term in operation.graph)
    evaluation.aimed_at |= {source, target} if name == "Move" else {target}
    if source == target:
        return
    quads = evaluation.graph_quads(source)
    copied = {ox.Quad(q.subject, q.predicate, q.object, target) for q in quads}
    deleted: set[ox.Quad] = set()
    if name in ("Copy", "Move"):
        deleted |= evaluation.graph_quads(target) - copied
    if name == "Move":
        deleted |= quads
    evaluation.change(deleted, copied)


def _template(clause: Any, default: Graph) -> list[tuple[Any, tuple[RdfNode, ...]]]:
    """A template's triples, each with the graph it goes to."""
    if clause is None:
        return []
    quads = [(default, triple) for triple in _field(clause, "triples") or ()]
    for graph, triples in (_field(clause, "quads") or {}).items():
        quads.extend((graph, triple) for triple in triples)
    return quads


def _named_graphs(operation: CompValue) -> set[Graph]:
    """The graphs an operation's templates name (not those a variable stands for)."""
    if operation.name == "Modify":
        with_graph = _field(operation, "withClause")
        default: Graph = ox.NamedNode(str(with_graph)) if with_graph else ox.DefaultGraph()
        templates = [
            *_template(_field(operation, "delete"), default),
            *_template(_field(operation, "insert"), default),
        ]
    else:
        templates = _template(operation, ox.DefaultGraph())
    return {_graph_term(graph) for graph, _ in templates if not isinstance(graph, Variable)}


def _data(operation: CompValue, evaluation: Evaluation) -> list[ox.Quad]:
    """The quads of ``INSERT DATA`` or ``DELETE DATA``, blank nodes skolemized."""
    quads = []
    skolems: dict[RdfNode, ox.NamedNode] = {}
    for graph, triple in _template(operation, ox.DefaultGraph()):
        terms = [
            skolems.setdefault(t, evaluation.skolem()) if isinstance(t, BNode) else to_oxigraph(t)
            for t in triple
        ]
        quads.append(ox.Quad(*terms, _graph_term(graph)))  # type: ignore[arg-type]
    return quads


def _graph_term(graph: Any) -> Graph:
    return graph if isinstance(graph, ox.DefaultGraph) else _graph(graph)


def _modify(
    operation: CompValue,
    split: _Split,
    evaluation: Evaluation,
    base_iri: str | None,
    using: ProtocolDataset,
    union: bool,
) -> None:
    """``DELETE``/``INSERT … WHERE`` and ``DELETE WHERE``: each solution of the pattern
    instantiates the templates; a quad left with an unbound variable, or a literal
    subject, is skipped, as the spec says."""
    with_graph = _field(operation, "withClause")
    default: Graph = ox.NamedNode(str(with_graph)) if with_graph else ox.DefaultGraph()
    if operation.name == "DeleteWhere":
        deletions, insertions = _template(operation, default), []
    else:
        deletions = _template(_field(operation, "delete"), default)
        insertions = _template(_field(operation, "insert"), default)
    evaluation.aimed_at |= _named_graphs(operation)
    dataset = _dataset(operation, using, union)
    select = f"{split.prologue}\nSELECT * WHERE {split.text[split.where_end :]}"
    deleted: list[ox.Quad] = []
    inserted: list[ox.Quad] = []
    for row in evaluation.solutions(select, dataset, base_iri):
        deleted.extend(_instances(deletions, row, None))
        inserted.extend(_instances(insertions, row, evaluation))
    evaluation.change(deleted, inserted)


def _dataset(operation: CompValue, using: ProtocolDataset, union: bool) -> WhereDataset:
    clauses = _field(operation, "using") or []
    default = [str(c["default"]) for c in clauses if _field(c, "default") is not None]
    named = [str(c["named"]) for c in clauses if _field(c, "named") is not None]
    if using:
        default, named = list(using.default), list(using.named)
    if default or named:
        return WhereDataset(tuple(default), tuple(named))
    if _field(operation, "withClause"):
        return WhereDataset((str(_field(operation, "withClause")),))
    return WhereDataset(union=union)


def _instances(
    template: list[tuple[Any, tuple[RdfNode, ...]]],
    row: ox.QuerySolution,
    evaluation: Evaluation | None,
) -> Iterator[ox.Quad]:
    """The template's quads for one solution; blank nodes of an insertion become fresh
    skolem IRIs, one per solution."""
    fresh: dict[RdfNode, ox.NamedNode] = {}

    def term(value: Any) -> Any:
        if isinstance(value, Variable):
            return row[value.toPython().lstrip("?")]
        if isinstance(value, BNode) and evaluation is not None:
            return fresh.setdefault(value, evaluation.skolem())
        if isinstance(value, ox.DefaultGraph):
            return value
        return to_oxigraph(value)

    for graph, triple in template:
        s, p, o = (term(t) for t in triple)
        g = term(graph) if isinstance(graph, (Variable, ox.DefaultGraph)) else _graph(graph)
        if (
            isinstance(s, (ox.NamedNode, ox.BlankNode))
            and isinstance(p, ox.NamedNode)
            and isinstance(o, (ox.NamedNode, ox.BlankNode, ox.Literal))
            and isinstance(g, (ox.NamedNode, ox.DefaultGraph))
        ):
            yield ox.Quad(s, p, o, g)


# -- Graph Store Protocol ---------------------------------------------------------


def graph_replacement(evaluation: Evaluation, graph: Graph, triples: Iterable[ox.Triple]) -> Diff:
    """``PUT``: the graph holds exactly ``triples``."""
    evaluation.aimed_at.add(graph)
    evaluation.create(graph)
    new = {ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples}
    evaluation.change(evaluation.graph_quads(graph) - new, new)
    return evaluation.diff


def graph_merge(evaluation: Evaluation, graph: Graph, triples: Iterable[ox.Triple]) -> Diff:
    """``POST``: ``triples`` are added to the graph."""
    evaluation.aimed_at.add(graph)
    evaluation.create(graph)
    evaluation.change((), (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples))
    return evaluation.diff


def graph_deletion(evaluation: Evaluation, graph: Graph) -> Diff:
    """``DELETE``: the graph goes."""
    evaluation.aimed_at.add(graph)
    evaluation.drop(graph)
    return evaluation.diff


def skolemized(triples: Iterable[ox.Triple], evaluation: Evaluation) -> list[ox.Triple]:
    """Triples with each blank node as a fresh skolem IRI (the same for one node)."""
    names: dict[ox.BlankNode, ox.NamedNode] = {}

    def named(term: Any) -> Any:
        return (
            names.setdefault(term, evaluation.skolem()) if isinstance(term, ox.BlankNode) else term
        )

    return [ox.Triple(named(t.subject), t.predicate, named(t.object)) for t in triples]
