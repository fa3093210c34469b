"""A SPARQL 1.1 store over HTTP, for graphs that outgrow one machine.

:class:`RemoteStore` speaks the SPARQL 1.1 Protocol (queries), SPARQL 1.1
Update and the Graph Store HTTP Protocol to any store that implements them
(Oxigraph server, Apache Jena Fuseki, Virtuoso, GraphDB, Amazon Neptune). It
offers the part of ``pyoxigraph.Store``'s interface that
:class:`graphkg.store.KnowledgeGraph` uses, with the same result types, so the
knowledge graph's own logic runs unchanged on either backend.

What differs from the embedded store:

- **Parameters** are bound by a ``VALUES`` block, since the protocol has no
  substitutions: :func:`with_values` puts one at the start of every group
  pattern that names the parameter, so that filters anywhere in the query see
  the value, as they do with pyoxigraph's ``substitutions``.
- **The union default graph** is the store's own setting (``oxigraph serve
  --union-default-graph``; Fuseki's ``tdb2:unionDefaultGraph``; Virtuoso and
  GraphDB use the union of all graphs when a query names none). graphkg never
  stores the shapes remotely (validation reads ``shapes/``), so the union holds
  the data graphs and the version marker below. A query's own ``FROM`` and
  ``FROM NAMED``, and a client's ``union-default-graph=false``, go to the
  store as the protocol's dataset parameters, which replace the union (a
  union setting may otherwise replace ``FROM``: ``oxigraph serve``'s does).
- **The version**: every update graphkg sends ends by replacing the one triple
  of the version graph (``{base}graph/version``) in the same request, so the
  version changes with every commit graphkg makes, atomically. Writes made
  behind graphkg's back do not change it.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from graphkg.errors import MalformedQuery, StoreError
from graphkg.formats import N_QUADS, N_TRIPLES, SPARQL_JSON, TURTLE

VERSION_PREDICATE = "https://w3id.org/graphkg/ontology#storeVersion"
"""The predicate of the version marker's one triple."""
NEVER_WRITTEN_GRAPH = "urn:x-graphkg:no-graph"
"""A graph nobody writes: named as the default graph, it is an empty one."""
_FROM = re.compile(r"\bFROM\b", re.I)

_NT = ox.RdfFormat.N_TRIPLES

_TOKENS = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               | '''(?:[^'\\]|\\.|'(?!''))*'''
               | "(?:[^"\\\n]|\\.)*"
               | '(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<word>[A-Za-z]+)
    """,
    re.VERBOSE,
)


def with_values(sparql: str, bindings: dict[str, ox.Term]) -> str:
    """``sparql`` with each binding given by a ``VALUES`` block in every group that names it.

    Braces that do not open a group pattern are left alone: a ``CONSTRUCT``
    template, a ``VALUES`` data block. A group that is a sub-``SELECT`` gets
    its block inside the sub-query's own ``WHERE``.
    """
    if not bindings:
        return sparql
    tokens = list(_TOKENS.finditer(sparql))
    groups: list[tuple[int, int]] = []  # (index of "{", index of its "}")
    stack: list[int | None] = []  # index of each open "{", None for a non-group brace
    previous_word = ""
    skip_next_brace = False
    for index, token in enumerate(tokens):
        kind = token.lastgroup
        if kind == "word":
            word = token.group().upper()
            if word == "VALUES":
                skip_next_brace = True
            previous_word = word
        elif kind == "open":
            template = previous_word == "CONSTRUCT"
            stack.append(None if skip_next_brace or template else index)
            skip_next_brace = False
            previous_word = ""
        elif kind == "close" and stack:
            opened = stack.pop()
            if opened is not None:
                groups.append((opened, index))
    inserts: dict[int, str] = {}
    for opened, closed in groups:
        inner = tokens[opened + 1 : closed]
        first_word = next((t.group().upper() for t in inner if t.lastgroup == "word"), "")
        if inner and inner[0].lastgroup == "word" and first_word == "SELECT":
            continue
        named = {t.group()[1:] for t in inner if t.lastgroup == "var"} & set(bindings)
        if named:
            # One block of one row: Oxigraph joins separate one-variable blocks with
            # the pattern after matching it (100 ms at a million quads, not 1).
            names = sorted(named)
            variables = " ".join(f"?{name}" for name in names)
            row = " ".join(str(bindings[name]) for name in names)
            inserts[tokens[opened].end()] = f"VALUES ({variables}) {{ ({row}) }}"
    out, last = [], 0
    for position in sorted(inserts):
        out += [sparql[last:position], " ", inserts[position], " "]
        last = position
    out.append(sparql[last:])
    return "".join(out)


def _prologue(prefixes: dict[str, str] | None, base_iri: str | None) -> str:
    """Declarations to put before a query, on its first line, so that the store's
    account of where an error is names the query's own lines."""
    declarations = [f"BASE <{base_iri}>"] if base_iri else []
    declarations += [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items()]
    return "".join(f"{declaration} " for declaration in declarations)


def _parse_solutions(body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    """SPARQL JSON results; Virtuoso 7 answers an ASK as a SELECT of one ``__ASK_RETVAL``
    (1 or 0), read here as the boolean it means."""
    if b"__ASK_RETVAL" in body[:200]:
        rows = json.loads(body)["results"]["bindings"]
        asked = bool(rows) and rows[0]["__ASK_RETVAL"]["value"] in ("1", "true")
        body = json.dumps({"head": {}, "boolean": asked}).encode()
    return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)


def _query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the query's first such keyword
    outside comments, strings and IRIs ("" if none, for the store to refuse)."""
    forms = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    words = (
        t.group().upper()
        for t in _TOKENS.finditer(sparql)
        # A keyword, not part of a prefixed name such as ``select:x`` or ``ex:ask``.
        if t.lastgroup == "word" and ":" not in sparql[max(t.start() - 1, 0) : t.end() + 1]
    )
    return next((word for word in words if word in forms), "")


def _dataset_clauses(text: str) -> list[tuple[str, str]]:
    """The query's ``FROM`` (``default``) and ``FROM NAMED`` (``named``) IRIs, resolved
    against its prologue; none for a query that does not parse (the store says why)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except (ParseException, ValueError, TypeError):
        return []
    return [
        (kind, str(iri))
        for c in algebra.get("datasetClause") or ()
        for kind, iri in c.items()
        if kind in ("default", "named")
    ]


@dataclass(frozen=True)
class RemoteEndpoints:
    """Where a remote store answers queries, updates and Graph Store requests."""

    query: str
    update: str
    graph_store: str
    credentials: str | None = None
    """``basic USER:PASSWORD`` or ``bearer TOKEN``; never stored in the repository."""
    timeout: float = 60.0

    @classmethod
    def for_store(
        cls,
        url: str,
        *,
        query: str = "",
        update: str = "",
        graph_store: str = "",
        credentials: str | None = None,
        timeout: float = 60.0,
    ) -> RemoteEndpoints:
        """Endpoints under ``url``; Oxigraph server's paths unless given (Fuseki's
        ``/sparql``, ``/update``, ``/data``, Virtuoso's ``/sparql``, …)."""
        root = url.rstrip("/")
        return cls(
            query or f"{root}/query",
            update or f"{root}/update",
            graph_store or f"{root}/store",
            credentials,
            timeout,
        )

    def authorization(self) -> str | None:
        """The ``Authorization`` header the credentials give, if any."""
        if not self.credentials:
            return None
        scheme, _, secret = self.credentials.strip().partition(" ")
        if scheme.lower() == "basic":
            return "Basic " + base64.b64encode(secret.strip().encode("utf-8")).decode("ascii")
        if scheme.lower() == "bearer":
            return f"Bearer {secret.strip()}"
        raise StoreError(
            "store credentials must read `basic USER:PASSWORD` or `bearer TOKEN`; "
            f"got a value starting with {scheme[:10]!r}"
        )


class RemoteStore:
    """A remote SPARQL 1.1 store with the part of ``pyoxigraph.Store`` graphkg uses."""

    def __init__(self, endpoints: RemoteEndpoints, *, version_graph: str) -> None:
        self.endpoints = endpoints
        self.version_graph = version_graph
        self.next_version = uuid.uuid4().hex
        """The marker the next update leaves (a history records it before the update)."""
        authorization = endpoints.authorization()
        self._client = httpx.Client(
            headers={"Authorization": authorization} if authorization else None,
            timeout=endpoints.timeout,
        )

    # -- requests ------------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        *,
        absent_ok: bool = False,
        refusal_ok: bool = False,
        stream: bool = False,
        **kwargs: object,
    ) -> httpx.Response:
        """A request to the store; an error status raises (404 too, unless ``absent_ok``;
        with ``refusal_ok``, only 401 and 403: the caller tries another way).

        With ``stream`` the body is left unread for the caller, who closes the response.
        """
        try:
            request = self._client.build_request(method, url, **kwargs)  # type: ignore[arg-type]
            response = self._client.send(request, stream=stream)
        except httpx.TimeoutException:
            raise StoreError(
                f"the store at {url} did not answer within {self.endpoints.timeout:g} s"
            ) from None
        except httpx.HTTPError as error:
            raise StoreError(f"cannot reach the store at {url}: {error}") from None
        refusal = response.status_code not in (401, 403)  # bad credentials are errors
        if response.status_code >= 400 and not (
            (absent_ok and response.status_code == 404) or (refusal_ok and refusal)
        ):
            response.read()
            response.close()
            detail = response.text.strip()[:300]
            message = f"the store at {url} answered {response.status_code}: {detail}"
            if response.status_code in (401, 403):
                message += " (check the store credentials: GRAPHKG_STORE_CREDENTIALS)"
            if response.status_code == 400 and url == self.endpoints.query:
                # The query, as the request is the protocol's own: the store's parser's account.
                raise MalformedQuery(f"{detail} (the store at {url} refused it)")
            raise StoreError(message)
        return response

    def query(
        self,
        sparql: str,
        *,
        prefixes: dict[str, str] | None = None,
        base_iri: str | None = None,
        default_graph: Iterable[ox.NamedNode] | None = None,
        named_graphs: Iterable[ox.NamedNode] | None = None,
        use_default_graph_as_union: bool = True,
        substitutions: dict[ox.Variable, ox.Term] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query on the store; the answer has pyoxigraph's types.

        Without ``default_graph`` the store's default graph is used, which
        graphkg's remote stores keep as the union of their graphs (so the
        union is the default here, unlike pyoxigraph's). A query that does
        not read the union (``use_default_graph_as_union`` false: it has a
        ``FROM``, or the client turned the union off) gets its dataset as
        protocol parameters, see :meth:`_own_dataset`.
        """
        bindings = {v.value: term for v, term in (substitutions or {}).items()}
        text = _prologue(prefixes, base_iri) + with_values(sparql, bindings)
        if not use_default_graph_as_union and default_graph is None and named_graphs is None:
            default_graph, named_graphs = self._own_dataset(text)
        graph_answer = _query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        form = {
            "query": text,
            "default-graph-uri": [g.value for g in default_graph or ()],
            "named-graph-uri": [g.value for g in named_graphs or ()],
        }
        response = self._send(
            "POST",
            self.endpoints.query,
            data=form,  # a form, as the graphs of a dataset may be thousands
            # One type, by the query's form: asked for both, Virtuoso answers a
            # CONSTRUCT with its triples as SELECT results.
            headers={"Accept": N_TRIPLES if graph_answer else SPARQL_JSON},
        )
        answer_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        if not graph_answer:
            return _parse_solutions(response.content)
        if answer_type not in (N_TRIPLES, TURTLE):
            raise StoreError(
                f"the store at {self.endpoints.query} answered a CONSTRUCT or DESCRIBE with "
                f"{answer_type or 'no Content-Type'}, not the N-Triples asked for"
            )
        return _as_query_triples(response.content, answer_type)

    def _own_dataset(self, text: str) -> tuple[list[ox.NamedNode], list[ox.NamedNode]]:
        """The dataset of a query that does not read the union, as protocol parameters.

        A store whose default graph is the union may put it in place of the
        query's own ``FROM`` (``oxigraph serve --union-default-graph`` does), but
        the protocol's parameters replace both: ``FROM`` and ``FROM NAMED`` go
        there. Without either, the default graph is the store's own, which
        graphkg never writes to (a graph that is never written stands for it),
        and the named graphs are all the data graphs.
        """
        clauses = _dataset_clauses(text) if _FROM.search(text) else []
        if clauses:
            return (
                [ox.NamedNode(iri) for kind, iri in clauses if kind == "default"],
                [ox.NamedNode(iri) for kind, iri in clauses if kind == "named"],
            )
        data = [g for g in self.named_graphs() if g.value != self.version_graph]
        return [ox.NamedNode(NEVER_WRITTEN_GRAPH)], data

    def update(self, sparql: str) -> None:
        """Apply an update and move the version marker, in one request (one transaction)."""
        marker = ox.NamedNode(self.version_graph)
        version = ox.Literal(self.next_version)
        self.next_version = uuid.uuid4().hex
        text = (
            f"{sparql} ;\nDROP SILENT GRAPH {marker} ;\n"
            f"INSERT DATA {{ GRAPH {marker} {{ {marker} <{VERSION_PREDICATE}> {version} }} }}"
        )
        self._send(
            "POST",
            self.endpoints.update,
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
        )

    def version(self) -> str | None:
        """The marker the last commit made through graphkg left, or None before any."""
        rows = self.query(
            f"SELECT ?v WHERE {{ GRAPH <{self.version_graph}> {{ ?s <{VERSION_PREDICATE}> ?v }} }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        return next((row["v"].value for row in rows), None)

    # -- reading by pattern ----------------------------------------------------

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: ox.Term | None,
        graph_name: ox.NamedNode | ox.DefaultGraph | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads of the named graphs matching a pattern (graphkg keeps nothing in the
        default graph of a remote store)."""
        if graph_name is not None and subject is predicate is obj is None:
            yield from self._graph_quads(graph_name)
            return
        given = {"s": subject, "p": predicate, "o": obj, "g": graph_name}
        rows = self.query(
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            substitutions={ox.Variable(k): v for k, v in given.items() if v is not None},
        )
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            yield ox.Quad(
                subject or row["s"],
                predicate or row["p"],
                obj or row["o"],
                graph_name or row["g"],
            )

    def _graph_quads(self, graph_name: ox.NamedNode | ox.DefaultGraph) -> Iterator[ox.Quad]:
        """One graph, read with a Graph Store GET and parsed as it arrives (an export of a
        large graph holds no more of it than pyoxigraph's parser does)."""
        for quad in ox.parse(_ChunksReader(self._graph_body(graph_name)), _NT):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, graph_name)

    def dataset_quads(self) -> Iterator[ox.Quad] | None:
        """Every quad of the store, from one GET of the whole dataset as N-Quads on the
        Graph Store endpoint, parsed as it arrives; None if the store does not offer that.

        The protocol reads a graph at a time; Oxigraph server and Fuseki also answer
        a GET without ``graph`` or ``default`` with the whole dataset. Read graph by
        graph instead, a million triples in 2,500 graphs from ``oxigraph serve`` take
        20 s against its 11 s dump: the store answers 2,500 requests, and by turns
        with graphkg, which reads each answer before asking for the next.
        """
        response = self._send(
            "GET",
            self.endpoints.graph_store,
            refusal_ok=True,
            stream=True,
            headers={"Accept": N_QUADS},
        )
        answered = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if response.status_code >= 400 or answered != N_QUADS:
            response.close()
            return None
        return ox.parse(_ChunksReader(_body(response)), ox.RdfFormat.N_QUADS)

    def _graph_body(self, graph_name: ox.NamedNode | ox.DefaultGraph) -> Iterator[bytes]:
        """A graph's triples as N-Triples, as the store sends them (nothing for a graph it
        does not have)."""
        params = {"default": ""} if isinstance(graph_name, ox.DefaultGraph) else None
        params = params or {"graph": graph_name.value}
        response = self._send(
            "GET",
            self.endpoints.graph_store,
            absent_ok=True,  # a graph the store does not have is empty
            stream=True,
            params=params,
            headers={"Accept": N_TRIPLES},
        )
        if response.status_code == 404:
            response.close()
            return iter(())
        return _body(response)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        # GROUP BY, not DISTINCT: Virtuoso answers DISTINCT ?g from its list of graphs,
        # private ones included; both cost the same on Oxigraph server.
        rows = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert isinstance(rows, ox.QuerySolutions)
        return (row["g"] for row in rows if isinstance(row["g"], ox.NamedNode))

    def contains_named_graph(self, graph_name: ox.NamedNode) -> bool:
        answer = self.query(f"ASK {{ GRAPH {graph_name} {{ ?s ?p ?o }} }}")
        return bool(answer)

    # -- writing whole graphs ----------------------------------------------------

    def replace_graph(self, graph_name: ox.NamedNode, paths: Iterable[Path]) -> None:
        """Replace a graph by the Turtle files' triples with one Graph Store PUT."""
        body = b"".join(
            ox.serialize(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE), format=_NT)
            for path in paths
        )
        self._send(
            "PUT",
            self.endpoints.graph_store,
            params={"graph": graph_name.value},
            content=body,
            headers={"Content-Type": N_TRIPLES},
        )

    def put_graphs(self, quads: Iterable[ox.Quad]) -> set[str]:
        """Replace each graph of ``quads`` by its triples, with one Graph Store PUT a
        graph (and a POST for each later run of its quads, if they are not together: a
        store's dump keeps each graph together, but no standard says so); returns the
        graphs written."""
        written: set[str] = set()
        for graph, group in itertools.groupby(quads, key=lambda quad: quad.graph_name):
            if not isinstance(graph, ox.NamedNode) or graph.value == self.version_graph:
                continue
            self._send(
                "POST" if graph.value in written else "PUT",  # a graph's quads apart: merged
                self.endpoints.graph_store,
                params={"graph": graph.value},
                content=ox.serialize((quad.triple for quad in group), format=_NT),
                headers={"Content-Type": N_TRIPLES},
            )
            written.add(graph.value)
        return written

    def close(self) -> None:
        self._client.close()

    def __del__(self) -> None:
        # Its connections go with it, as an embedded store's files do.
        self._client.close()


def _body(response: httpx.Response) -> Iterator[bytes]:
    """A streamed response's body as it arrives; the response is closed at its end."""
    try:
        yield from response.iter_bytes()
    finally:
        response.close()


class _ChunksReader(io.RawIOBase):
    """Chunks of bytes (a streamed body) as a binary file, for pyoxigraph's parsers."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0  # the body is read to its end
            self._pending = memoryview(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _as_query_triples(body: bytes, answer_type: str) -> ox.QueryTriples:
    """A CONSTRUCT or DESCRIBE answer as pyoxigraph's own result type."""
    scratch = ox.Store()
    scratch.extend(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        for t in ox.parse(body, ox.RdfFormat.from_media_type(answer_type))
    )
    answer = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(answer, ox.QueryTriples)
    return answer
