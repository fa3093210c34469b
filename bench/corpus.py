"""A deterministic synthetic corpus in graphkg's own RDF shape, for the HTTP benchmark.

The shipped seed article is built with graphkg's real pipeline (in memory),
then cloned N times: every IRI the article owns (its facts, the nested
evidence, time and participation nodes, the entities it declares, its
world-knowledge statements and its graph) gets a per-article suffix
(``…/id/incident/yekaterinburg-raids`` becomes ``…-s00042``), the shared
entities it refers to (states, cities, ministries, persons declared in
``seeds/entities.yaml``) are drawn from a pool of variants of those entities,
the kinds of incidents, responses, relations and claim statuses are drawn at
random from the real concept schemes of ``ontology/concepts.ttl``, and dates
and counts are shifted. The seed article itself stays as it is, so the
defaults of the named queries (``…/id/incident/yekaterinburg-raids``) still
resolve. Same arguments, same bytes.

Outputs, in a directory:

* ``corpus.nq``  the data graphs (articles, entities, world, ontology) as N-Quads:
  what the peers load, and what graphkg's union default graph holds;
* ``shapes.nq``  the shapes graph (graphkg's store has it; it is not part of the union);
* ``store/``     a graphkg store directory (``primary/``, ``checkpoints/``, ``CURRENT``),
  bulk-loaded with both files through pyoxigraph and checkpointed by
  :class:`graphkg.store.KnowledgeGraph`;
* ``resources.txt``  the IRIs of the facts (incidents, responses, claims), for point lookups.

Run ``python bench/corpus.py --help``.
"""

from __future__ import annotations

import sys

# Run as a script, this folder comes first on sys.path, and bench/http.py
# would shadow the standard library's ``http``: look here last.
if sys.path and __file__.startswith(sys.path[0] or "."):
    sys.path.append(sys.path.pop(0))

import argparse
import datetime as dt
import json
import random
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from graphkg.iri import (
    article_graph_iri,
    entities_graph_iri,
    entities_source_iri,
    ontology_graph_iri,
    shapes_graph_iri,
    world_graph_iri,
)
from graphkg.namespaces import GKG, RDF, RDFS, SKOS, XSD
from graphkg.pipeline import build_store
from graphkg.resources import resource_dir
from graphkg.settings import Settings
from graphkg.store import KnowledgeGraph

BASE = Settings().base
RDF_TYPE = str(RDF.type)

RANDOMIZED_SCHEMES = ("IncidentKinds", "ResponseKinds", "ClaimStatuses", "RelationKinds")
"""Concept schemes whose values are drawn at random per fact (roles and time
resolutions keep the seed's values, which the facts' wording depends on)."""

COUNT_PROPERTIES = {
    GKG + name
    for name in (
        "killedCount",
        "injuredCount",
        "detainedCount",
        "aboardCount",
        "memberCount",
    )
}
FACT_CLASSES = {GKG + name for name in ("Incident", "Response", "Claim")}
DEFAULT_VARIANTS = 40
"""Variants of each shared entity (state, city, ministry, person…) in the pool."""


def _seed_quads(base: str) -> list[ox.Quad]:
    """Every quad of the seed store, built in memory with graphkg's real pipeline."""
    kg = KnowledgeGraph.in_memory(base=base)
    build_store(kg, resource_dir("seeds"))
    return list(ox.parse(kg.sorted_nquads(), format=ox.RdfFormat.N_QUADS))


class Template:
    """The seed article split into what each clone copies and what the pool shares."""

    def __init__(self, quads: list[ox.Quad], base: str) -> None:
        self.base = base
        self.id_root = re.compile(
            re.escape(base) + r"id/[a-z]+(?:-[a-z]+)*/[a-z0-9]+(?:-[a-z0-9]+)*"
        )
        article_prefix = article_graph_iri(base, "")
        entities = ox.NamedNode(entities_graph_iri(base))
        world = ox.NamedNode(world_graph_iri(base))
        ontology = ox.NamedNode(ontology_graph_iri(base))
        shapes = ox.NamedNode(shapes_graph_iri(base))
        declared_in = ox.NamedNode(GKG + "declaredIn")
        shared_source = ox.NamedNode(entities_source_iri(base))

        articles = {
            q.graph_name.value
            for q in quads
            if isinstance(q.graph_name, ox.NamedNode)
            and q.graph_name.value.startswith(article_prefix)
        }
        if len(articles) != 1:
            raise SystemExit(f"expected one seed article, found {sorted(articles)}")
        self.article_graph = articles.pop()

        # Who owns what: roots declared by the shared entities file are shared;
        # roots that are subjects in the article graph or declared in the article are owned.
        self.shared_roots: set[str] = set()
        self.owned_roots: set[str] = set()
        owned_nodes: set[str] = set()
        for q in quads:
            if q.predicate == declared_in and isinstance(q.subject, ox.NamedNode):
                root = self.root(q.subject.value)
                if q.object == shared_source:
                    if root == q.subject.value:
                        self.shared_roots.add(root)
                else:
                    owned_nodes.add(q.subject.value)
                    if root == q.subject.value:
                        self.owned_roots.add(root)
            if q.graph_name.value == self.article_graph and isinstance(q.subject, ox.NamedNode):
                root = self.root(q.subject.value)
                if root:
                    self.owned_roots.add(root)
        self.shared_roots -= self.owned_roots

        self.fixed: list[ox.Quad] = []  # ontology, copied once
        self.shapes: list[ox.Quad] = []
        self.article: list[ox.Quad] = []  # cloned per article
        self.shared: list[ox.Quad] = []  # cloned per pool variant
        for q in quads:
            if q.graph_name == ontology:
                self.fixed.append(q)
            elif q.graph_name == shapes:
                self.shapes.append(q)
            elif q.graph_name.value == self.article_graph:
                self.article.append(q)
            elif q.graph_name in (entities, world):
                subject = q.subject.value
                if subject in owned_nodes or self.root(subject) in self.owned_roots:
                    self.article.append(q)
                else:
                    self.shared.append(q)
            else:
                raise SystemExit(f"unexpected graph in the seed store: {q.graph_name}")

        # Concept schemes: concept IRI -> the other concepts of its scheme.
        in_scheme = ox.NamedNode(str(SKOS.inScheme))
        schemes: dict[str, list[str]] = {}
        for q in self.fixed:
            if q.predicate == in_scheme and q.object.value in {GKG + s for s in RANDOMIZED_SCHEMES}:
                schemes.setdefault(q.object.value, []).append(q.subject.value)
        self.scheme_of: dict[str, list[str]] = {
            concept: sorted(members) for members in schemes.values() for concept in members
        }

    def root(self, iri: str) -> str | None:
        match = self.id_root.match(iri)
        return match.group(0) if match else None


class Cloner:
    """Makes the quads of one clone: an article (index >= 1) or a pool variant."""

    def __init__(self, template: Template, rng: random.Random, variants: int) -> None:
        self.t = template
        self.rng = rng
        self.variants = variants
        self.label = ox.NamedNode(str(RDFS.label))

    def _rename(self, iri: str, suffix: str, choice: dict[str, int]) -> str:
        t = self.t
        if iri == t.article_graph:
            return iri + suffix
        root = t.root(iri)
        if root is None:
            return iri
        if root in t.owned_roots:
            return root + suffix + iri[len(root) :]
        if root in t.shared_roots:
            k = choice.setdefault(root, self.rng.randrange(self.variants))
            return iri if k == 0 else root + f"-v{k}" + iri[len(root) :]
        return iri

    def article(self, index: int) -> Iterator[ox.Quad]:
        """The seed article, owned IRIs suffixed, shared entities drawn from the pool."""
        rng = self.rng
        suffix = f"-s{index:05d}"
        choice: dict[str, int] = {}
        shift = dt.timedelta(days=-rng.randrange(0, 1500))
        factor = rng.choice((1, 1, 2, 3))
        concept: dict[tuple[str, str], str] = {}
        for q in self.t.article:
            s = ox.NamedNode(self._rename(q.subject.value, suffix, choice))
            p = q.predicate
            o = q.object
            if isinstance(o, ox.NamedNode):
                alternatives = self.t.scheme_of.get(o.value)
                if alternatives is not None and p.value != RDF_TYPE:
                    key = (s.value, p.value)
                    if key not in concept:
                        concept[key] = rng.choice(alternatives)
                    o = ox.NamedNode(concept[key])
                else:
                    o = ox.NamedNode(self._rename(o.value, suffix, choice))
            elif isinstance(o, ox.Literal):
                o = self._literal(p.value, o, shift, factor, index)
            g = ox.NamedNode(self._rename(q.graph_name.value, suffix, choice))
            yield ox.Quad(s, p, o, g)

    def variant(self, k: int) -> Iterator[ox.Quad]:
        """Variant k (k >= 1) of every shared entity, all shared roots renamed alike."""
        fixed = {root: k for root in self.t.shared_roots}
        for q in self.t.shared:
            s = ox.NamedNode(self._rename(q.subject.value, "", fixed))
            o = q.object
            if isinstance(o, ox.NamedNode):
                o = ox.NamedNode(self._rename(o.value, "", fixed))
            elif q.predicate == self.label and isinstance(o, ox.Literal) and o.language:
                o = ox.Literal(f"{o.value} {k}", language=o.language)
            yield ox.Quad(s, q.predicate, o, q.graph_name)

    def _literal(
        self, predicate: str, o: ox.Literal, shift: dt.timedelta, factor: int, index: int
    ) -> ox.Literal:
        datatype = o.datatype.value
        if datatype == str(XSD.date):
            day = dt.date.fromisoformat(o.value) + shift
            return ox.Literal(day.isoformat(), datatype=o.datatype)
        if datatype == str(XSD.gYearMonth):
            first = dt.date.fromisoformat(o.value + "-01") + shift
            return ox.Literal(f"{first.year:04d}-{first.month:02d}", datatype=o.datatype)
        if predicate in COUNT_PROPERTIES:
            return ox.Literal(str(int(o.value) * factor), datatype=o.datatype)
        if predicate == GKG + "title":
            if o.language:
                return ox.Literal(f"{o.value} ({index})", language=o.language)
            return ox.Literal(f"{o.value} ({index})", datatype=o.datatype)
        return o


def generate(
    out: Path,
    *,
    articles: int | None = None,
    triples: int = 1_000_000,
    seed: int = 20250629,
    variants: int = DEFAULT_VARIANTS,
    base: str = BASE,
    log=print,
) -> dict:
    """Write corpus.nq, shapes.nq, resources.txt and store/ under ``out``; returns a summary."""
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    template = Template(_seed_quads(base), base)
    rng = random.Random(seed)
    cloner = Cloner(template, rng, variants)
    per_article = len(template.article)
    fixed = len(template.fixed) + len(template.shared) * variants
    if articles is None:
        articles = max(0, -(-(triples - fixed) // per_article) - 1)
    fact_types = {ox.NamedNode(c) for c in FACT_CLASSES}
    rdf_type = ox.NamedNode(RDF_TYPE)
    resources: list[str] = []
    count = 0

    def stream() -> Iterator[ox.Quad]:
        nonlocal count
        for chunk in (template.fixed, template.shared, template.article):
            for q in chunk:  # the seed itself, unchanged
                count += 1
                yield q
        for k in range(1, variants):
            for q in cloner.variant(k):
                count += 1
                yield q
        for index in range(1, articles + 1):
            for q in cloner.article(index):
                count += 1
                if q.predicate == rdf_type and q.object in fact_types:
                    resources.append(q.subject.value)
                yield q

    corpus = out / "corpus.nq"
    with corpus.open("wb") as stream_out:
        ox.serialize(stream(), stream_out, ox.RdfFormat.N_QUADS)
    with (out / "shapes.nq").open("wb") as shapes_out:
        ox.serialize(template.shapes, shapes_out, ox.RdfFormat.N_QUADS)
    rng_res = random.Random(seed + 1)
    rng_res.shuffle(resources)
    (out / "resources.txt").write_text("\n".join(resources) + "\n", encoding="utf-8")
    log(f"corpus: {count} quads, {articles} synthetic articles + the seed, in {corpus}")

    store_dir = out / "store"
    shutil.rmtree(store_dir, ignore_errors=True)
    load_store(store_dir, [corpus, out / "shapes.nq"], base=base)
    summary = {
        "quads": count,
        "articles": articles + 1,
        "shared_variants": variants,
        "seed": seed,
        "per_article_quads": per_article,
        "seconds": round(time.monotonic() - started, 1),
    }
    (out / "corpus.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    log(f"store: {store_dir} ({summary['seconds']} s in all)")
    return summary


def load_store(store_dir: Path, files: list[Path], *, base: str = BASE) -> None:
    """A graphkg store directory holding ``files`` (N-Quads), bulk-loaded and checkpointed.

    Compacted after loading, as ``graphkg build`` does.
    """
    store_dir.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(store_dir / "primary"))
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    KnowledgeGraph(store, base=base, path=store_dir).checkpoint_bulk_load()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="output directory")
    parser.add_argument("--articles", type=int, help="synthetic articles (default: fit --triples)")
    parser.add_argument("--triples", type=int, default=1_000_000, help="target size in quads")
    parser.add_argument("--variants", type=int, default=DEFAULT_VARIANTS)
    parser.add_argument("--seed", type=int, default=20250629)
    args = parser.parse_args(argv)
    generate(
        args.out,
        articles=args.articles,
        triples=args.triples,
        seed=args.seed,
        variants=args.variants,
        log=lambda m: print(m, file=sys.stderr),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
