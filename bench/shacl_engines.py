"""SHACL engines side by side on graphkg's own shapes: same results? how fast?

For each fact file (the seed article, and the articles of a synthetic corpus
from bench/synth.py), the data graph is what graphkg validates: the file's
mapped quads with the ontology. Its focus nodes are the file's own nodes (the
subjects of its quads), as a store holding many articles would need. It is
validated by

* pySHACL (the reference: ``pyshacl.validate``, ``advanced=True`` so that the
  shapes' SHACL-AF rules derive what graphkg derives in Python, and
  ``focus_nodes``),
* pyshacl-turbo (a Rust engine with pySHACL's ``validate``),
* pySHACL on Oxigraph: the same call on a copy of the data graph in an rdflib
  ``Graph`` backed by Oxigraph (oxrdflib), with ``inplace=True``, since in
  advanced mode pySHACL otherwise copies the data graph into rdflib's memory
  store before it starts,
* pyrudof (rudof's Rust engine), which takes Turtle or N-Triples text, no focus
  nodes (it validates every target in the data; its results on other nodes are
  dropped) and runs no SHACL-AF rules; so it also runs on the data with the
  links that the rules derive, derived by graphkg (:mod:`graphkg.shape_rules`),
* graphkg's own validation (``map_and_validate``: core constraints by
  pyshacl-turbo plus SPARQL constraints run by Oxigraph), as graphkg runs it,
* the shapes' SPARQL constraints (``sh:sparql``) in one pass: every data graph
  in one Oxigraph store with the links the rules derive, each constraint run
  once for all the graphs' focus nodes (:mod:`graphkg.shacl_sparql`). It covers
  those constraints only; their results are compared with pySHACL's on the
  same shapes. The shapes' core constraints (``sh:minCount``, ``sh:class``...)
  would need translating to SPARQL, which nothing here does: the notes count
  them.

Results are compared as (focus node, source shape, value, path, severity). Each
data graph is validated as mapped and broken (its events' descriptions removed,
a warning each; one quote changed so that the article does not hold it; one
count made negative); graphkg's own validation only as mapped, since it maps
files. Times leave out putting the data in the form an engine reads (a copy in
Oxigraph, N-Triples text). Run ``python -P bench/shacl_engines.py --articles
20`` after ``pip install -r bench/requirements.txt`` (pyrudof is not a
dependency of graphkg). The tables (markdown) go to stdout.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pyrudof
import pyshacl
import pyshacl_turbo
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from graphkg import shacl_sparql
from graphkg.namespaces import GKG, OA
from graphkg.ontology import ontology_graph
from graphkg.pipeline import map_and_validate
from graphkg.resources import resource_dir, turtle_files
from graphkg.shape_rules import Triple, rule_links
from graphkg.validation import data_store

BASE = "https://w3id.org/graphkg/"
HERE = Path(__file__).resolve().parent

Keys = set[tuple[Node | None, ...]]
Engine = Callable[[Graph, list[Node]], tuple[Keys, float]]
"""An engine's results on the focus nodes of a data graph, and the seconds it took."""

ONE_PASS = "SPARQL constraints in one pass (Oxigraph)"


def result_keys(results: Graph) -> Keys:
    return {
        tuple(
            plain(results.value(r, p))
            for p in (SH.focusNode, SH.sourceShape, SH.value, SH.resultPath, SH.resultSeverity)
        )
        for r in results.subjects(RDF.type, SH.ValidationResult)
    }


def plain(term: Node | None) -> Node | None:
    """``term``, an ``xsd:string`` literal written as the simple literal it is in RDF 1.1
    (rdflib tells them apart; Oxigraph returns every simple literal typed)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def pyshacl_engine(validate: Callable[..., tuple], shapes: Graph) -> Engine:
    """pySHACL's ``validate``, or an engine with its signature, on the data graph as given."""

    def run(data: Graph, focus: list[Node]) -> tuple[Keys, float]:
        started = time.perf_counter()
        _, results, _ = validate(
            data,
            shacl_graph=shapes,
            focus_nodes=focus,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
        seconds = time.perf_counter() - started
        return result_keys(results), seconds

    return run


def pyshacl_on_oxigraph(shapes: Graph) -> Engine:
    """pySHACL on a copy of the data graph in Oxigraph (oxrdflib), validated in place: the
    rules' links are added to the copy, which advanced mode would otherwise copy to memory."""

    def run(data: Graph, focus: list[Node]) -> tuple[Keys, float]:
        graph = Graph(store="Oxigraph")
        graph += data
        started = time.perf_counter()
        _, results, _ = pyshacl.validate(
            graph,
            shacl_graph=shapes,
            focus_nodes=focus,
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,
        )
        seconds = time.perf_counter() - started
        return result_keys(results), seconds

    return run


@dataclass
class Rudof:
    """pyrudof's native engine, the shapes read once; results on nodes other than the focus
    nodes are counted in ``dropped`` and left out."""

    shapes: Graph
    with_rule_links: bool
    """Whether the data gets the links that the shapes' rules derive (by graphkg: pyrudof
    runs no SHACL-AF rules)."""
    dropped: int = 0
    session: pyrudof.Rudof = field(init=False)

    def __post_init__(self) -> None:
        self.session = pyrudof.Rudof(pyrudof.RudofConfig())
        self.session.read_shacl(self.shapes.serialize(format="turtle"), pyrudof.ShaclFormat.Turtle)

    def __call__(self, data: Graph, focus: list[Node]) -> tuple[Keys, float]:
        graph = Graph()
        graph += data
        if self.with_rule_links:
            for triple in rule_links(data):
                graph.add(triple)
        text = graph.serialize(format="nt")
        started = time.perf_counter()
        # merge=False, not the default whatever read_data's docstring says: the data would pile up
        self.session.read_data(text, pyrudof.RDFFormat.NTriples, merge=False)
        self.session.validate_shacl(pyrudof.ShaclValidationMode.Native)
        seconds = time.perf_counter() - started
        report = self.session.serialize_shacl_validation_results(
            pyrudof.ResultShaclValidationFormat.Turtle
        )
        keys = result_keys(Graph().parse(data=report, format="turtle"))
        focus_set = set(focus)
        on_focus = {key for key in keys if key[0] in focus_set}
        self.dropped += len(keys) - len(on_focus)
        return on_focus, seconds


@dataclass
class Tally:
    """One engine's times, result counts and agreement with pySHACL over the data graphs."""

    seconds: list[float] = field(default_factory=list)
    graphs: int = 0
    results: int = 0
    agreeing: int = 0
    differences: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(source shape, "more" or "fewer") -> results more or fewer than pySHACL's."""

    def add(self, keys: Keys, reference: Keys) -> None:
        self.graphs += 1
        self.results += len(keys)
        self.agreeing += keys == reference
        for key in keys - reference:
            self.differences[(local_name(key[1]), "more")] += 1
        for key in reference - keys:
            self.differences[(local_name(key[1]), "fewer")] += 1

    def row(self, name: str) -> str:
        total = sum(self.seconds)
        median = (
            f"{statistics.median(self.seconds) * 1000:.0f} ms"
            if len(self.seconds) == self.graphs
            else f"({len(self.seconds)} passes)"
        )
        return (
            f"| {name} | {self.graphs} | {total:.2f} | {median} | "
            f"{total / self.graphs * 1000:.0f} ms | {self.results} | "
            f"{self.agreeing} of {self.graphs} |"
        )


@dataclass
class Variant:
    """The data graphs validated as mapped (or as broken): their triples, and for each its
    focus nodes and pySHACL's results."""

    triples: set[Triple] = field(default_factory=set)
    checked: list[tuple[frozenset[Node], Keys]] = field(default_factory=list)


def local_name(node: Node | None) -> str:
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


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
    data: Graph, focus: list[Node], engines: dict[str, Engine], tallies: dict[str, Tally]
) -> Keys:
    """Validate with every engine, the first being the reference; the reference's results."""
    reference: Keys | None = None
    for name, engine in engines.items():
        keys, seconds = engine(data, focus)
        reference = keys if reference is None else reference
        tallies[name].seconds.append(seconds)
        tallies[name].add(keys, reference)
    assert reference is not None
    return reference


def sparql_in_one_pass(variant: Variant, shapes: Graph, tally: Tally) -> float:
    """Run the shapes' SPARQL constraints once over a store holding every data graph of
    ``variant``; tally each graph's share against pySHACL's results on those constraints.
    The seconds spent loading the store and deriving the rules' links."""
    constraints = shacl_sparql.sparql_constraints(shapes)
    sparql_shapes = {constraint.shape for constraint in constraints}
    focus = frozenset().union(*(nodes for nodes, _ in variant.checked))
    assert len(focus) == sum(len(nodes) for nodes, _ in variant.checked), "graphs share nodes"
    started = time.perf_counter()
    store = data_store(variant.triples)
    loaded = time.perf_counter() - started
    results = Graph()
    shacl_sparql.evaluate(store, constraints, set(focus), results, BNode())
    tally.seconds.append(time.perf_counter() - started)
    keys = result_keys(results)
    for nodes, reference in variant.checked:
        tally.add(
            {key for key in keys if key[0] in nodes},
            {key for key in reference if key[1] in sparql_shapes},
        )
    return loaded


def core_constraints(shapes: Graph) -> Counter[str]:
    """Constraint component -> its constraints in ``shapes``, for SHACL Core's components
    (those that SHACL's own vocabulary declares, less the SPARQL one)."""
    vocabulary = Graph().parse(files("pyshacl") / "assets" / "shacl.ttl", format="turtle")
    found: Counter[str] = Counter()
    for component in vocabulary.subjects(RDF.type, SH.ConstraintComponent):
        if component == SH.SPARQLConstraintComponent:
            continue
        parameters = sorted(
            path
            for parameter in vocabulary.objects(component, SH.parameter)
            if vocabulary.value(parameter, SH.optional) != Literal(True)
            and isinstance(path := vocabulary.value(parameter, SH.path), URIRef)
        )
        holders = set.intersection(*(set(shapes.subjects(p, None)) for p in parameters))
        count = sum(len(list(shapes.objects(holder, parameters[0]))) for holder in holders)
        if count:
            found[local_name(component)] = count
    return found


def differences(name: str, tally: Tally) -> str:
    listed = ", ".join(
        f"{shape}: {count} {direction}"
        for (shape, direction), count in sorted(tally.differences.items())
    )
    return f"* {name}, results unlike pySHACL's, by source shape: {listed}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args()
    shapes = Graph()
    for path in turtle_files("shapes"):
        shapes.parse(path, format="turtle")
    ontology = ontology_graph()
    rudof, rudof_linked = Rudof(shapes, False), Rudof(shapes, True)
    engines: dict[str, Engine] = {
        "pySHACL": pyshacl_engine(pyshacl.validate, shapes),
        "pyshacl-turbo": pyshacl_engine(pyshacl_turbo.validate, shapes),
        "pySHACL on Oxigraph": pyshacl_on_oxigraph(shapes),
        f"pyrudof {pyrudof.__version__}": rudof,
        f"pyrudof {pyrudof.__version__}, rules' links by graphkg": rudof_linked,
    }
    tallies = {name: Tally() for name in [*engines, "graphkg", ONE_PASS]}
    mapped, broken_ones = Variant(), Variant()
    files = fact_files(args.articles)
    for shared, path in files:
        started = time.perf_counter()
        sources, report = map_and_validate([*shared, path], base=BASE)
        tallies["graphkg"].seconds.append(time.perf_counter() - started)
        assert sources and sources[-1].file == str(path), f"{path} did not map"
        data = Graph()
        for source in sources:
            for s, p, o, _ in source.quads:
                data.add((s, p, o))
        data += ontology
        focus = sorted({quad[0] for quad in sources[-1].quads})
        for variant, graph in ((mapped, data), (broken_ones, broken(data, focus))):
            reference = compare(graph, focus, engines, tallies)
            variant.triples.update(graph)
            variant.checked.append((frozenset(focus), reference))
        tallies["graphkg"].add(result_keys(report.results), mapped.checked[-1][1])
    loading = sum(
        sparql_in_one_pass(variant, shapes, tallies[ONE_PASS]) for variant in (mapped, broken_ones)
    )
    print(f"{len(files)} fact files (the seed and synthetic ones), each as mapped and broken; ")
    print(f"{tallies['pySHACL'].results} results by pySHACL in all\n")
    print(
        "| engine | data graphs | seconds | median per data graph | mean per data graph "
        "| results | same results as pySHACL |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, tally in tallies.items():
        print(tally.row(name))
    constraints = shacl_sparql.sparql_constraints(shapes)
    core = core_constraints(shapes)
    rules = set(shapes.objects(None, SH.rule))
    fired = Counter(
        local_name(key[1])
        for variant in (mapped, broken_ones)
        for _, reference in variant.checked
        for key in reference
    )
    print()
    print(
        "* pySHACL's results by source shape (what the comparisons test beyond false alarms): "
        + ", ".join(f"{shape} {count}" for shape, count in sorted(fired.items()))
    )
    for name, tally in tallies.items():
        if tally.differences:
            print(differences(name, tally))
    print(
        f"* pyrudof runs SPARQL constraints but none of the shapes' {len(rules)} SHACL-AF rules "
        f"(sh:rule, {', '.join(sorted(local_name(rule) for rule in rules))}); it takes no focus "
        f"nodes: it validated every target, and its {rudof.dropped} results on other nodes "
        f"({rudof_linked.dropped} with the rules' links) are left out."
    )
    print(
        f"* {ONE_PASS}: the {len(constraints)} sh:sparql constraints only, compared with "
        f"pySHACL's results of their shapes; {loading:.2f} s of its time loads the stores and "
        f"derives the rules' links. Not covered: {sum(core.values())} core constraints of "
        f"{len(core)} components ("
        + ", ".join(f"{name} {count}" for name, count in core.most_common())
        + ")."
    )


if __name__ == "__main__":
    main()
