"""rdflib view benchmark: a named query through graphkg's rdflib view, beside rdflib's engine.

``KnowledgeGraph.rdflib_view()`` is an rdflib ``Dataset`` over the store through
oxrdflib, whose ``query()`` hands the query *text* to Oxigraph's engine. The
peer is rdflib's own engine on the same data, loaded into an in-memory rdflib
``Dataset`` (what a script does when it exports the graph and parses it), with
the query given the same way. A third row runs the query through
``KnowledgeGraph.query`` (pyoxigraph directly) for the cost of the view's term
conversion.

The store is built from the seeds in a temporary directory, or is ``--store``.
Each row is the median of ``--rounds`` runs, after one warm-up run. Run
``python -P bench/rdflib_view.py`` (seconds on the seed; ``-P`` keeps bench/http.py
from standing in for the standard library's http); the table (markdown) goes to
stdout.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from graphkg.formats import RDF_FORMATS
from graphkg.namespaces import PREFIXES
from graphkg.pipeline import build_store
from graphkg.queries import load_named_queries
from graphkg.resources import resource_dir
from graphkg.store import KnowledgeGraph

BASE = "https://w3id.org/graphkg/"


def median_seconds(run: Callable[[], int], rounds: int) -> tuple[float, int]:
    rows = run()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a built store (default: the seeds, built)")
    parser.add_argument("--query", default="timeline", help="a named query (default timeline)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        store = args.store
        if store is None:
            store = Path(scratch) / "store"
            build_store(KnowledgeGraph.open_writer(store, base=BASE), resource_dir("seeds"))
        kg = KnowledgeGraph.open_reader(store, base=BASE)
        named = load_named_queries()[args.query]
        # The parameters' defaults as text, so that every engine gets the same query.
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
        sparql = prologue + named.sparql
        defaults = named.substitutions({})

        dump = io.BytesIO()
        kg.export(dump, RDF_FORMATS["nquads"])
        in_memory = Dataset(default_union=True)
        in_memory.parse(data=dump.getvalue(), format="nquads")
        view = kg.rdflib_view()
        bindings = {name: value for name, value in defaults.items()}

        def through_pyoxigraph() -> int:
            return len(list(kg.query(named.sparql, substitutions=bindings)))

        def through_view() -> int:
            return len(list(view.query(sparql, initBindings=_rdflib_terms(bindings))))

        def through_rdflib() -> int:
            return len(list(in_memory.query(sparql, initBindings=_rdflib_terms(bindings))))

        triples = kg.stats().total
        rows = [
            ("KnowledgeGraph.query (pyoxigraph)", *median_seconds(through_pyoxigraph, args.rounds)),
            (
                "rdflib_view().query (oxrdflib → Oxigraph)",
                *median_seconds(through_view, args.rounds),
            ),
            (
                "peer: rdflib's engine, in-memory Dataset",
                *median_seconds(through_rdflib, args.rounds),
            ),
        ]
    print(f"named query `{args.query}` on {triples:,} triples, median of {args.rounds}\n")
    print("| path | seconds | rows | vs rdflib's engine |")
    print("|---|---:|---:|---:|")
    peer = rows[-1][1]
    for name, seconds, count in rows:
        print(f"| {name} | {seconds:.4f} | {count} | {seconds / peer:.2f}x |")


def _rdflib_terms(bindings: dict[str, ox.NamedNode | ox.Literal]) -> dict[str, object]:
    from graphkg.terms import to_rdflib

    return {name: to_rdflib(term) for name, term in bindings.items()}


if __name__ == "__main__":
    main()
