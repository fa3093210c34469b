"""SHACL engines side by side on graphkg's own shapes: same results? how fast?

For each fact file (the seed article, and the articles of a synthetic corpus
from bench/synth.py), the data graph is what graphkg validates: the file's
mapped quads with the ontology. It is validated by

* pySHACL (the reference: ``pyshacl.validate``, ``advanced=True`` so that the
  shapes' SHACL-AF rules derive what graphkg derives in Python),
* pyshacl-turbo (a Rust engine with pySHACL's ``validate``), when installed,
* graphkg's own validation (``map_and_validate``: pySHACL's core constraints
  plus SPARQL constraints run by Oxigraph), as graphkg runs it,

and the results are compared as (focus node, source shape, value, path,
severity). Each data graph is validated as mapped and broken (its events'
descriptions removed, a warning each; one quote changed so that the article
does not hold it; one count made negative); graphkg's own validation only as
mapped, since it maps files. Run ``python -P bench/shacl_engines.py
--articles 20``; pyshacl-turbo
comes from ``pip install pyshacl-turbo`` (it is not a dependency of graphkg).
The table (markdown) goes to stdout.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graphkg.namespaces import GKG, OA
from graphkg.ontology import ontology_graph
from graphkg.pipeline import map_and_validate
from graphkg.resources import resource_dir, turtle_files

BASE = "https://w3id.org/graphkg/"
HERE = Path(__file__).resolve().parent


def result_keys(results: Graph) -> set[tuple[Node | None, ...]]:
    return {
        tuple(results.value(r, p) for p in (SH.focusNode, SH.sourceShape, SH.value))
        + (results.value(r, SH.resultPath), results.value(r, SH.resultSeverity))
        for r in results.subjects(RDF.type, SH.ValidationResult)
    }


def engines() -> dict[str, Callable[..., tuple]]:
    found: dict[str, Callable[..., tuple]] = {"pySHACL": pyshacl.validate}
    if importlib.util.find_spec("pyshacl_turbo") is not None:
        import pyshacl_turbo

        found["pyshacl-turbo"] = pyshacl_turbo.validate
    return found


def fact_files(articles: int) -> list[tuple[list[Path], Path]]:
    """(files of shared entities, fact file) for the seed and ``articles`` synthetic ones."""
    seeds = resource_dir("seeds")
    files = [([seeds / "entities.yaml"], seeds / "azerbaijan-halts-russian-events" / "facts.yaml")]
    if articles:
        spec = importlib.util.spec_from_file_location("synth", HERE / "synth.py")
        assert spec is not None and spec.loader is not None
        synth = sys.modules.setdefault("synth", importlib.util.module_from_spec(spec))
        spec.loader.exec_module(synth)
        corpus = synth.corpus(max(articles, 250))
        shared = sorted((corpus / "entities").glob("*.yaml"))
        found = sorted(p for p in corpus.glob("*/facts.yaml") if p.parent.name != "entities")
        files += [(shared, path) for path in found[:articles]]
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args()
    shapes = Graph()
    for path in turtle_files("shapes"):
        shapes.parse(path, format="turtle")
    ontology = ontology_graph()
    totals = {name: 0.0 for name in engines()} | {"graphkg": 0.0}
    agree: dict[str, int] = {}
    checked: dict[str, int] = {}
    files = fact_files(args.articles)
    results = 0
    for shared, path in files:
        started = time.perf_counter()
        sources, report = map_and_validate([*shared, path], base=BASE)
        totals["graphkg"] += time.perf_counter() - started
        assert sources and sources[-1].file == str(path), f"{path} did not map"
        data = Graph()
        for source in sources:
            for s, p, o, _ in source.quads:
                data.add((s, p, o))
        data += ontology
        focus = sorted({quad[0] for quad in sources[-1].quads})
        as_mapped = compare(data, focus, shapes, totals, agree, checked)
        results += len(as_mapped) + len(
            compare(broken(data, focus), focus, shapes, totals, agree, checked)
        )
        checked["graphkg"] = checked.get("graphkg", 0) + 1
        agree["graphkg"] = agree.get("graphkg", 0) + (result_keys(report.results) == as_mapped)
    print(f"{len(files)} fact files (the seed and synthetic ones), each as mapped and broken; ")
    print(f"{results} results by pySHACL in all\n")
    print("| engine | seconds | per data graph | same results as pySHACL |")
    print("|---|---:|---:|---:|")
    for name, seconds in totals.items():
        print(
            f"| {name} | {seconds:.2f} | {seconds / checked[name] * 1000:.0f} ms | "
            f"{agree.get(name, 0)} of {checked[name]} |"
        )


def broken(data: Graph, focus: list[Node]) -> Graph:
    """A copy that breaks rules: descriptions gone, one quote not in the text, a count below 0."""
    copy = Graph()
    copy += data
    focus_set = set(focus)
    for triple in list(copy.triples((None, GKG.description, None))):
        if triple[0] in focus_set:
            copy.remove(triple)
    quote = next((s for s, _, _ in data.triples((None, OA.exact, None))), None)
    if quote is not None:
        copy.set((quote, OA.exact, Literal("words the article never printed")))
    event = next((s for s in focus if (s, RDF.type, GKG.Incident) in data), None)
    if event is not None:
        copy.add((event, GKG.detainedCount, Literal(-1)))
    return copy


def compare(
    data: Graph,
    focus: list[Node],
    shapes: Graph,
    totals: dict[str, float],
    agree: dict[str, int],
    checked: dict[str, int],
) -> set[tuple[Node | None, ...]]:
    """Validate with every engine, count agreements with pySHACL; pySHACL's results."""
    reference: set[tuple[Node | None, ...]] | None = None
    for name, validate in engines().items():
        started = time.perf_counter()
        _, graph, _ = validate(
            data,
            shacl_graph=shapes,
            focus_nodes=focus,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
        totals[name] += time.perf_counter() - started
        keys = result_keys(graph)
        reference = keys if reference is None else reference
        checked[name] = checked.get(name, 0) + 1
        agree[name] = agree.get(name, 0) + (keys == reference)
    assert reference is not None
    return reference


if __name__ == "__main__":
    main()
