"""The Oxigraph store: builds, exports, transactions, checkpoints."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

import graphkg.store
from graphkg.errors import ChangeRefused, StoreError, UnknownArticle, ValidationFailed
from graphkg.formats import RDF_FORMATS
from graphkg.mapping import KnownId, StoredIds
from graphkg.memory import MIB, anonymous_bytes
from graphkg.namespaces import GKG
from graphkg.ontology import load_ontology
from graphkg.pipeline import add_file, build_store
from graphkg.rdfinput import map_source_file
from graphkg.settings import Settings
from graphkg.store import (
    KnowledgeGraph,
    LatestReader,
    data_twin_path,
    latest_checkpoint,
    open_store,
    public_copy_path,
)
from graphkg.terms import to_rdflib
from graphkg.update import Diff

from conftest import (
    ARTICLE_FACTS,
    ARTICLE_ID,
    BACKENDS,
    BASE,
    SEEDS,
    TEST_ARTICLE_FACTS,
    facts,
    write_article,
)

EXACT = "http://www.w3.org/ns/oa#exact"


def plain(graph: Graph) -> Graph:
    """The graph with ``xsd:string`` literals written as simple literals (RDF 1.1 equates them;
    oxrdflib's view gives the datatype explicitly, rdflib's parsers leave it out)."""
    normal = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        normal.add((s, p, o))
    return normal


def data_union(kg: KnowledgeGraph) -> Graph:
    """The union of the data graphs, read through the rdflib view of the store (oxrdflib)."""
    union = Graph()
    for graph in kg.data_graphs():
        union += plain(kg.rdflib_graph(graph.value))
    return union


def export(kg: KnowledgeGraph, fmt: str, graph: str | None = None) -> bytes:
    buffer = io.BytesIO()
    kg.export(buffer, RDF_FORMATS[fmt], graph=graph)
    return buffer.getvalue()


def parse_with_pyoxigraph(data: bytes, fmt: ox.RdfFormat) -> Graph:
    graph = Graph()
    for quad in ox.parse(data, format=fmt):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def test_turtle_export_reparses_isomorphic_with_rdflib(seed_graph: KnowledgeGraph) -> None:
    turtle = export(seed_graph, "turtle")
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), data_union(seed_graph))


def test_turtle_export_reparses_isomorphic_with_pyoxigraph(seed_graph: KnowledgeGraph) -> None:
    turtle = export(seed_graph, "turtle")
    parsed = parse_with_pyoxigraph(turtle, ox.RdfFormat.TURTLE)
    assert isomorphic(parsed, data_union(seed_graph))


def test_nquads_export_keeps_every_data_graph_and_leaves_out_the_shapes(
    seed_graph: KnowledgeGraph,
) -> None:
    graphs = {
        q.graph_name.value
        for q in ox.parse(export(seed_graph, "nquads"), format=ox.RdfFormat.N_QUADS)
    }
    assert graphs == {g.value for g in seed_graph.data_graphs()}
    assert f"{BASE}graph/shapes" not in graphs
    assert f"{BASE}graph/article/{ARTICLE_ID}" in graphs


@pytest.mark.parametrize("fmt", ["trig", "jsonld", "ntriples", "rdfxml"])
def test_every_export_format_parses_back(seed_graph: KnowledgeGraph, fmt: str) -> None:
    formats = {
        "trig": ox.RdfFormat.TRIG,
        "jsonld": ox.RdfFormat.JSON_LD,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }
    quads = list(ox.parse(export(seed_graph, fmt), format=formats[fmt]))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(data_union(seed_graph))


def test_export_of_one_graph_holds_only_that_graph(seed_graph: KnowledgeGraph) -> None:
    entities = f"{BASE}graph/entities"
    parsed = parse_with_pyoxigraph(export(seed_graph, "ntriples", entities), ox.RdfFormat.N_TRIPLES)
    assert isomorphic(parsed, plain(seed_graph.rdflib_graph(entities)))


def test_export_of_an_unknown_graph_is_an_error(seed_graph: KnowledgeGraph) -> None:
    with pytest.raises(StoreError, match="no graph"):
        export(seed_graph, "turtle", "https://example.org/nothing")


def test_rebuild_gives_byte_identical_sorted_nquads(
    tmp_path: Path, embedded_seed_graph: KnowledgeGraph
) -> None:
    rebuilt = KnowledgeGraph.open_writer(tmp_path / "again", base=BASE)
    build_store(rebuilt, SEEDS)
    assert rebuilt.sorted_nquads() == embedded_seed_graph.sorted_nquads()


def test_building_twice_into_the_same_store_gives_the_same_store(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open_writer(tmp_path / "store", base=BASE)
    build_store(kg, SEEDS)
    first = kg.sorted_nquads()
    build_store(kg, SEEDS)
    assert kg.sorted_nquads() == first


def test_store_holds_one_graph_per_article_plus_reference_graphs(
    embedded_seed_graph: KnowledgeGraph,
) -> None:
    assert set(embedded_seed_graph.named_graphs()) == {
        f"{BASE}graph/article/{ARTICLE_ID}",
        f"{BASE}graph/entities",
        f"{BASE}graph/world",
        f"{BASE}graph/ontology",
        f"{BASE}graph/shapes",
    }


def test_stats_count_triples_per_graph_and_entities_per_class(seed_graph: KnowledgeGraph) -> None:
    stats = seed_graph.stats()
    assert stats.total == len(seed_graph.sorted_nquads().splitlines())
    incident = "https://w3id.org/graphkg/ontology#Incident"
    count = seed_graph.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{incident}> }}")
    assert stats.entities_per_class[incident] == int(next(iter(count))["n"].value)


def test_replacing_an_article_with_itself_changes_nothing(store_dir: Path) -> None:
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    before = kg.sorted_nquads()
    add_file(kg, ARTICLE_FACTS)
    assert kg.sorted_nquads() == before


def test_an_invalid_article_leaves_the_store_unchanged(store_dir: Path, fact_dir: Path) -> None:
    facts = fact_dir / "facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("killedCount: 38", "killedCount: 380"),
        encoding="utf-8",
    )
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    before = kg.sorted_nquads()
    with pytest.raises(ValidationFailed) as caught:
        add_file(kg, facts)
    assert any(
        "aboard" in p.message.lower() or "aboard" in (p.fix or "").lower()
        for p in caught.value.report.problems
    )
    assert kg.sorted_nquads() == before


def test_a_changed_article_replaces_its_old_facts(store_dir: Path, fact_dir: Path) -> None:
    facts = fact_dir / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(
        text.replace("id: yekaterinburg-injuries", "id: yekaterinburg-wounds").replace(
            "yekaterinburg-injuries", "yekaterinburg-wounds"
        ),
        encoding="utf-8",
    )
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    add_file(kg, facts)
    ask = "ASK {{ <{base}id/incident/{id}> ?p ?o }}"
    assert not bool(kg.query(ask.format(base=BASE, id="yekaterinburg-injuries")))
    assert bool(kg.query(ask.format(base=BASE, id="yekaterinburg-wounds")))


def test_removing_an_article_drops_its_graph_and_its_entities(store_dir: Path) -> None:
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    kg.remove_article(ARTICLE_ID)
    assert f"{BASE}graph/article/{ARTICLE_ID}" not in kg.named_graphs()
    assert not bool(kg.query(f"ASK {{ <{BASE}id/person/pyotr-volokovykh> ?p ?o }}"))
    assert bool(kg.query(f"ASK {{ <{BASE}id/state/azerbaijan> ?p ?o }}"))
    published = f"ASK {{ <{BASE}id/article/{ARTICLE_ID}> ?p ?o }}"
    assert not bool(kg.query(published)), "its world knowledge goes too"


def test_removing_an_unknown_article_names_the_stored_ones(store_dir: Path) -> None:
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    with pytest.raises(UnknownArticle, match=ARTICLE_ID):
        kg.remove_article("no-such-article")


def test_readers_see_the_checkpoint_taken_after_each_commit(store_dir: Path) -> None:
    writer = KnowledgeGraph.open_writer(store_dir, base=BASE)
    writer.remove_article(ARTICLE_ID)
    reader = KnowledgeGraph.open_reader(store_dir, base=BASE)
    assert ARTICLE_ID not in reader.article_ids()


def test_a_reader_of_a_missing_store_is_told_to_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="graphkg build"):
        KnowledgeGraph.open_reader(tmp_path / "none", base=BASE)


def test_old_checkpoints_are_pruned_with_their_files_cache(store_dir: Path) -> None:
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    files = store_dir / "cache"
    for _ in range(5):
        version = (store_dir / "CURRENT").read_text(encoding="utf-8")
        for name in (version, f"{version}-public"):  # as servers leave them (dumps)
            (files / name).mkdir(parents=True, exist_ok=True)
            (files / name / "dump.nq").write_bytes(b"")
        add_file(kg, ARTICLE_FACTS)
    kept = sorted(p.name for p in (store_dir / "checkpoints").iterdir())
    copies = ["", "-data", "-data-public", "-public"]
    assert kept == [f"{n:06d}{copy}" for n in (4, 5, 6) for copy in copies]
    assert sorted(p.name for p in files.iterdir()) == [
        "000004",
        "000004-public",
        "000005",
        "000005-public",
    ]


def test_the_data_twin_holds_every_graph_but_the_shapes(
    embedded_seed_graph: KnowledgeGraph,
) -> None:
    """Readers query the twin, whose union of all graphs must be exactly the data."""
    checkpoint = latest_checkpoint(embedded_seed_graph.path)
    twin = ox.Store.read_only(str(data_twin_path(checkpoint)))
    assert {g.value for g in twin.named_graphs()} == {
        g.value for g in embedded_seed_graph.data_graphs()
    }
    shape = "http://www.w3.org/ns/shacl#NodeShape"
    in_some_graph = f"ASK {{ GRAPH ?g {{ ?s a <{shape}> }} }}"
    assert bool(ox.Store.read_only(str(checkpoint)).query(in_some_graph))
    assert not bool(twin.query(in_some_graph))
    assert not bool(embedded_seed_graph.query(f"ASK {{ ?s a <{shape}> }}"))


def test_a_build_writes_its_data_twin_before_the_shapes_and_every_copy_shares_files(
    tmp_path: Path,
) -> None:
    """Queries read the twins. A build backs up the compacted store before it loads the
    shapes: that is the data twin, exactly the data, with no deletion to merge in, and
    hard links to the checkpoint's files. A later commit's twin holds the same data as its
    checkpoint without the shapes.

    Sharing is measured against the twin's own checkpoint, by inode, and only for the
    build: the primary's background compactions unlink its names at any time, and a later
    commit's copy, opened to delete the shapes, may compact the level-0 files it inherits
    into the files below them, which RocksDB schedules by the load of the machine.
    """

    def own_and_shared_bytes(copy: Path, other: Path) -> tuple[int, int]:
        inodes = {f.stat().st_ino for f in other.glob("*.sst")}
        files = [f.stat() for f in copy.glob("*.sst")]
        shared = sum(f.st_size for f in files if f.st_ino in inodes)
        return sum(f.st_size for f in files) - shared, shared

    def twins(checkpoint: Path) -> list[tuple[int, int]]:
        twin = data_twin_path(checkpoint)
        return [own_and_shared_bytes(copy, checkpoint) for copy in (twin, public_copy_path(twin))]

    kg = KnowledgeGraph.open_writer(tmp_path, base=BASE)
    build_store(kg, SEEDS)
    built = latest_checkpoint(tmp_path)
    assert built is not None
    shapes = ox.NamedNode(f"{BASE}graph/shapes")
    checkpoint_quads = set(ox.Store.read_only(str(built)))
    assert any(quad.graph_name == shapes for quad in checkpoint_quads)
    assert set(ox.Store.read_only(str(data_twin_path(built)))) == {
        quad for quad in checkpoint_quads if quad.graph_name != shapes
    }
    for own, shared in twins(built):
        assert shared > own, twins(built)
    add_file(kg, ARTICLE_FACTS)
    added = latest_checkpoint(tmp_path)
    assert added is not None and added != built
    assert set(ox.Store.read_only(str(data_twin_path(built)))) == set(
        ox.Store.read_only(str(data_twin_path(added)))
    )


def test_the_rdflib_view_sees_the_stored_quads(seed_graph: KnowledgeGraph) -> None:
    view = seed_graph.rdflib_graph(f"{BASE}graph/entities")
    assert (URIRef(f"{BASE}id/state/azerbaijan"), None, None) in view


def test_copying_a_store_directory_keeps_it_readable(built_store_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(built_store_dir, tmp_path / "copy")
    assert KnowledgeGraph.open_reader(tmp_path / "copy", base=BASE).article_ids() == [ARTICLE_ID]


def test_the_public_copies_hold_everything_but_the_full_texts(
    embedded_seed_graph: KnowledgeGraph,
) -> None:
    """A public deployment reads them: every quad but the texts, and the quotes stay."""
    checkpoint = latest_checkpoint(embedded_seed_graph.path)
    for full in (checkpoint, data_twin_path(checkpoint)):
        stored = set(ox.Store.read_only(str(full)))
        public = set(ox.Store.read_only(str(public_copy_path(full))))
        texts = {q for q in stored if q.predicate == ox.NamedNode(str(GKG.text))}
        assert texts  # the seed article's text
        assert public == stored - texts
        assert any(q.predicate.value == EXACT for q in public)  # the quoted evidence


@pytest.mark.parametrize("replays", [True, False])
def test_each_commit_keeps_the_public_copies_exact_without_deleting_every_text(
    store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replays: bool
) -> None:
    """A commit's copies without texts are the previous ones with the commit replayed and
    the texts it wrote deleted, or for a commit larger than the store's articles, the
    checkpoint with every text deleted: after an add, an update and a removal they still
    hold every quad of their checkpoint but the texts, either way."""
    monkeypatch.setattr(graphkg.store, "REPLAY_FACTOR", 1e9 if replays else 0.0)
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    small = tmp_path / "small" / "facts.yaml"
    small.parent.mkdir()
    small.write_text(facts("public-small"), encoding="utf-8")
    text = ox.NamedNode(str(GKG.text))
    graph = ox.NamedNode(f"{BASE}graph/article/public-small")
    article = ox.NamedNode(f"{BASE}id/article/public-small")
    title = ox.Literal("Retitled", language="en")
    for commit in (
        lambda: add_file(kg, small),
        lambda: add_file(kg, small),  # unchanged: no commit
        lambda: kg.commit_diff(
            Diff(inserted={ox.Quad(article, ox.NamedNode(str(GKG.title)), title, graph)}),
            "retitle",
        ),
        lambda: kg.remove_article("public-small"),
    ):
        commit()
        checkpoint = latest_checkpoint(store_dir)
        assert checkpoint is not None
        for full in (checkpoint, data_twin_path(checkpoint)):
            stored = set(ox.Store.read_only(str(full)))
            public = set(ox.Store.read_only(str(public_copy_path(full))))
            assert public == {q for q in stored if q.predicate != text}


def test_a_public_reader_of_a_store_without_public_copies_says_how_to_fix_it(
    store_without_public_copies: Path,
) -> None:
    store = store_without_public_copies
    with pytest.raises(StoreError, match="run `graphkg build` again"):
        KnowledgeGraph.open_reader(store, base=BASE, public=True)
    assert KnowledgeGraph.open_reader(store, base=BASE).article_ids()


def sibling_of(person: str, sibling: str, quote: str) -> str:
    return (
        f"  - id: {person}\n    type: Person\n    label: {person}\n"
        f"    sibling: {sibling}\n    evidence: [{quote!r}]\n"
    )


def shared_file(folder: Path, source: str | None, *ids: str) -> Path:
    """A file of shared entities (states) of the tests' own; ``source=None`` names none."""
    path = folder / f"{source or 'unnamed'}.yaml"
    header = f"source: {source}\n" if source else ""
    path.write_text(
        header
        + "entities:\n"
        + "".join(f"  - id: {id_}\n    type: State\n    label: {id_.title()}\n" for id_ in ids),
        encoding="utf-8",
    )
    return path


def has(kg: KnowledgeGraph, id_: str, segment: str = "state") -> bool:
    return bool(kg.query(f"ASK {{ <{BASE}id/{segment}/{id_}> ?p ?o }}"))


def test_a_shared_entities_file_with_its_own_source_adds_its_entities_and_keeps_the_others(
    store_dir: Path, tmp_path: Path
) -> None:
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    add_file(kg, shared_file(tmp_path, "caucasus", "georgia"))
    assert has(kg, "georgia") and has(kg, "azerbaijan")
    declared = f"ASK {{ <{BASE}id/state/georgia> gkg:declaredIn <{BASE}id/source/caucasus> }}"
    assert bool(kg.query(declared))


def test_adding_a_second_shared_entities_file_keeps_the_first_files_entities(
    store_dir: Path, tmp_path: Path
) -> None:
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    add_file(kg, shared_file(tmp_path, "europe", "germany", "france"))
    add_file(kg, shared_file(tmp_path, "caucasus", "georgia"))
    add_file(kg, shared_file(tmp_path, "europe", "germany"))
    assert has(kg, "germany") and has(kg, "georgia") and has(kg, "azerbaijan")
    assert not has(kg, "france"), "a file replaces what its own source declared"


def test_a_shared_entities_file_without_a_source_is_refused_with_its_line(
    store_dir: Path, tmp_path: Path
) -> None:
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    before = kg.sorted_nquads()
    with pytest.raises(ValidationFailed) as caught:
        add_file(kg, shared_file(tmp_path, None, "georgia"))
    (problem,) = caught.value.report.problems
    assert (problem.rule, problem.line) == ("source", 1)
    assert "source: unnamed" in (problem.fix or "")
    assert kg.sorted_nquads() == before


def test_two_shared_sources_declaring_one_id_are_refused(store_dir: Path, tmp_path: Path) -> None:
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    before = kg.sorted_nquads()
    with pytest.raises(ValidationFailed) as caught:
        add_file(kg, shared_file(tmp_path, "europe", "germany", "russia"))
    (problem,) = caught.value.report.problems
    assert problem.rule == "unique-id"
    assert f"already used by {BASE}id/source/entities" in problem.message
    assert kg.sorted_nquads() == before


def test_a_shared_entities_file_may_not_drop_an_entity_an_article_references(
    store_dir: Path, tmp_path: Path
) -> None:
    quote = "Ali Safarov, a Georgian, spoke."
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    add_file(kg, shared_file(tmp_path, "caucasus", "georgia", "armenia"))
    add_file(
        kg,
        write_article(
            tmp_path,
            "ali-speaks",
            quote,
            f"  - id: ali-safarov\n    type: Person\n    label: Ali Safarov\n"
            f"    nationality: georgia\n    evidence: [{quote!r}]\n",
        ),
    )
    before = kg.sorted_nquads()
    with pytest.raises(ChangeRefused, match="ali-speaks: ali-safarov nationality georgia"):
        add_file(kg, shared_file(tmp_path, "caucasus", "armenia"))
    assert kg.sorted_nquads() == before


def test_the_whole_shared_entities_file_can_be_added_again(store_dir: Path) -> None:
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    before = kg.sorted_nquads()
    add_file(kg, SEEDS / "entities.yaml")
    assert kg.sorted_nquads() == before


def test_strictly_removing_an_article_that_another_references_is_refused_naming_it(
    store_dir: Path, tmp_path: Path
) -> None:
    quote = "Ali Safarov, a brother of Ziyaddin Safarov, spoke."
    other = write_article(
        tmp_path, "brother-speaks", quote, sibling_of("ali-safarov", "ziyaddin-safarov", quote)
    )
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    add_file(kg, other)
    before = kg.sorted_nquads()
    with pytest.raises(ChangeRefused, match="brother-speaks: ali-safarov sibling ziyaddin-safarov"):
        kg.remove_article(ARTICLE_ID, strict=True)
    assert kg.sorted_nquads() == before
    kg.remove_article("brother-speaks")
    kg.remove_article(ARTICLE_ID)


def referenced_speaker_dropped(kg: KnowledgeGraph, folder: Path) -> Path:
    """Ali speaks, Omar names Ali his brother; Ali's article is then edited to declare no
    one (not yet added): returns its fact file."""
    first, second = "Ali Safarov spoke.", "Omar Safarov, a brother of Ali Safarov, agreed."
    speaker = write_article(
        folder, "ali-speaks", first, sibling_of("ali-safarov", "ziyaddin-safarov", first)
    )
    add_file(kg, speaker)
    other = sibling_of("omar-safarov", "ali-safarov", second)
    add_file(kg, write_article(folder, "omar-agrees", second, other))
    speaker.write_text(
        "article:\n  id: ali-speaks\n  file: article.txt\n  title: ali-speaks\n  language: en\n",
        encoding="utf-8",
    )
    return speaker


def test_strictly_replacing_an_article_without_an_entity_another_references_is_refused(
    store_dir: Path, tmp_path: Path
) -> None:
    kg = KnowledgeGraph.open_writer(store_dir, base=BASE)
    speaker = referenced_speaker_dropped(kg, tmp_path)
    before = kg.sorted_nquads()
    with pytest.raises(ChangeRefused, match="omar-agrees: omar-safarov sibling ali-safarov"):
        add_file(kg, speaker, strict=True)
    assert kg.sorted_nquads() == before


def test_what_a_removed_article_declared_and_others_reference_is_kept_as_shared(
    seed_store: Path | str, tmp_path: Path
) -> None:
    quote = "Ali Safarov, a brother of Ziyaddin Safarov, spoke."
    other = write_article(
        tmp_path, "brother-speaks", quote, sibling_of("ali-safarov", "ziyaddin-safarov", quote)
    )
    kg = open_store(Settings(store=seed_store, base=BASE), writer=True)  # type: ignore[arg-type]
    add_file(kg, other)
    change, retained = kg.remove_article(ARTICLE_ID)
    assert change.removed > 100
    assert retained.ids == ("ziyaddin-safarov",) and retained.referenced_by == ("brother-speaks",)
    person = f"<{BASE}id/person/ziyaddin-safarov>"
    assert kg.query(f"ASK {{ {person} a gkg:Person ; rdfs:label ?label }}")
    assert kg.query(
        f"ASK {{ GRAPH <{BASE}graph/entities> {{ {person} gkg:declaredIn "
        f"<{BASE}id/source/retained> }} }}"
    )
    # Nothing of the removed article's evidence or graph stays.
    assert not kg.query(f"ASK {{ {person} gkg:evidence ?e }}")
    assert not kg.has_graph(f"{BASE}graph/article/{ARTICLE_ID}")
    # The reference still resolves, and the article can come back.
    assert kg.query(f"ASK {{ ?ali gkg:sibling {person} . {person} a gkg:Person }}")
    add_file(kg, ARTICLE_FACTS)  # the article takes its person back
    owners = kg.query(f"SELECT ?owner WHERE {{ {person} gkg:declaredIn ?owner }}")
    assert [row["owner"].value for row in owners] == [f"{BASE}id/article/{ARTICLE_ID}"]
    assert kg.query(f"ASK {{ {person} gkg:evidence ?e }}")


def test_what_an_edited_article_drops_and_others_reference_is_kept_as_shared(
    seed_store: Path | str, tmp_path: Path
) -> None:
    kg = open_store(Settings(store=seed_store, base=BASE), writer=True)  # type: ignore[arg-type]
    speaker = referenced_speaker_dropped(kg, tmp_path)
    add_file(kg, speaker)
    ali = f"<{BASE}id/person/ali-safarov>"
    assert kg.query(f"ASK {{ {ali} a gkg:Person ; gkg:declaredIn <{BASE}id/source/retained> }}")
    assert not kg.query(f"ASK {{ GRAPH <{BASE}graph/article/ali-speaks> {{ {ali} ?p ?o }} }}")


def test_mapping_a_file_against_the_store_looks_up_only_the_ids_it_names(
    seed_graph: KnowledgeGraph, fact_dir: Path
) -> None:
    """A fact file costs a lookup of the ids it names, those it declares in one query,
    not a listing of the store's ids (only an unknown id lists them, for its "did you
    mean")."""
    looked_up: list[set[str]] = []

    def find(ids: Iterable[str]) -> dict[str, KnownId]:
        looked_up.append(set(ids))
        return seed_graph.find_ids(ids)

    def list_all() -> dict[str, KnownId]:
        raise AssertionError("a valid file listed every id of the store")

    ids = StoredIds(find, list_all)
    facts = write_article(
        fact_dir, "lookup-article", "Russia and Azerbaijan met.",
        "  - {id: lookup-group, type: PersonGroup, label: delegates, evidence: met}\n",
    )  # fmt: skip
    facts.write_text(
        facts.read_text(encoding="utf-8")
        + "facts:\n  - id: lookup-meeting\n    type: Response\n    responseKind: visit\n"
        "    attestation: stated\n    description: a meeting\n    actor: russia\n"
        "    target: azerbaijan\n    noTriggerNote: none given\n"
        '    evidence: "Russia and Azerbaijan met."\n',
        encoding="utf-8",
    )
    source = map_source_file(facts, load_ontology(), base=BASE, known=ids)
    assert {str(i) for i in source.references} >= {
        f"{BASE}id/state/russia",
        f"{BASE}id/state/azerbaijan",
    }
    assert set().union(*looked_up) <= {
        "lookup-article",
        "lookup-group",
        "lookup-meeting",
        "russia",
        "azerbaijan",
    }
    assert {"russia", "azerbaijan"} <= set().union(*looked_up)
    assert {"lookup-article", "lookup-group", "lookup-meeting"} in looked_up, "declared: one lookup"
    assert seed_graph.find_id("no-such-entity") is None
    assert seed_graph.find_id("Not An Id") is None


def test_ids_found_together_are_those_found_one_by_one(seed_graph: KnowledgeGraph) -> None:
    ids = ["russia", "azerbaijan", "no-such-entity", "Not An Id", *seed_graph.article_ids()]
    together = seed_graph.find_ids(ids)
    assert together == {id_: found for id_ in ids if (found := seed_graph.find_id(id_)) is not None}
    assert {"russia", "azerbaijan", *seed_graph.article_ids()} == set(together)


def test_a_reader_that_grew_past_its_cache_limit_reopens_the_store_and_answers_the_same(
    built_store_dir: Path,
) -> None:
    reader = LatestReader(Settings(store=built_store_dir, reader_cache_mib=8), public=False)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    first = reader.graph
    before = [row["n"].value for row in first.query(count)]
    grown = resident_bytes(32 * MIB)  # the process holds more than the limit: it lets go
    reader.release_caches()
    again = reader.graph
    assert again is not first
    assert [row["n"].value for row in again.query(count)] == before
    del grown


def test_a_reader_within_its_cache_limit_keeps_the_store_open(built_store_dir: Path) -> None:
    reader = LatestReader(Settings(store=built_store_dir, reader_cache_mib=512), public=False)
    first = reader.graph
    first.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    reader.release_caches()
    assert reader.graph is first


def resident_bytes(size: int) -> bytearray:
    """``size`` bytes the process holds in memory (every page written, so resident)."""
    held = bytearray(size)
    held[::4096] = b"x" * len(held[::4096])
    return held


def test_the_memory_a_process_holds_is_measured_on_linux() -> None:
    held = anonymous_bytes()
    assert held is not None and held > MIB
    grown = resident_bytes(64 * MIB)
    assert anonymous_bytes() - held >= 48 * MIB
    del grown


def data_quads(kg: KnowledgeGraph) -> set[str]:
    """The data graphs' quads as N-Quads lines (the backends differ in other graphs)."""
    output = io.BytesIO()
    kg.export(output, ox.RdfFormat.N_QUADS)
    return set(output.getvalue().decode().splitlines())


@pytest.mark.parametrize("seed_store", BACKENDS, indirect=True)
def test_an_edited_article_leaves_what_a_build_of_the_edit_holds(
    seed_store: Path | str, fact_dir: Path, tmp_path: Path
) -> None:
    """Replacing an article deletes what it minted under its entities (a quote's
    evidence, an attributed figure) that the edit no longer has, and nothing else."""
    facts = fact_dir / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    dropped_quote = '      - "alleging that detainees were physically abused"\n'
    dropped_figure = (
        "      - givenBy: maria-zakharova\n        nationality: russia\n"
        "        descent: Azerbaijani descent\n"
        '        evidence: "Zakharova elaborated that the detentions targeted Russian '
        'citizens of Azerbaijani descent"\n'
    )
    assert dropped_quote in text and dropped_figure in text
    facts.write_text(text.replace(dropped_quote, "").replace(dropped_figure, ""), "utf-8")
    kg = open_store(Settings(store=seed_store, base=BASE), writer=True)
    add_file(kg, facts)
    edited = tmp_path / "edited-seeds"
    edited.mkdir()
    shutil.copy(SEEDS / "entities.yaml", edited)
    shutil.copytree(fact_dir, edited / ARTICLE_ID)
    fresh = KnowledgeGraph.open_writer(tmp_path / "fresh", base=BASE)
    build_store(fresh, edited)
    assert data_quads(kg) == data_quads(fresh)
    group = f"{BASE}id/group/nine-detainees"
    assert not bool(kg.query(f"ASK {{ <{group}/attributed/2-1> ?p ?o }}"))


def test_what_a_fact_file_mints_under_an_entity_hangs_from_it_by_links(
    embedded_seed_graph: KnowledgeGraph,
) -> None:
    """Replacing a source finds what it minted under each entity (``{entity}/…``) in the
    entities graph by following links out of the entity: every such node must be
    reachable so."""
    for fact_file in (SEEDS / "entities.yaml", ARTICLE_FACTS, *TEST_ARTICLE_FACTS):
        known = embedded_seed_graph.stored_ids()
        source = map_source_file(fact_file, load_ontology(), base=BASE, known=known)
        links: dict[str, set[str]] = {}
        for s, _, o, graph in source.quads:
            if str(graph) == f"{BASE}graph/entities":  # world knowledge is found by source
                links.setdefault(str(s), set()).add(str(o))
        for root in {str(iri) for iri in source.declared.values()}:
            minted = {s for s in links if s.startswith(f"{root}/")}
            reached, frontier = {root}, [root]
            while frontier:
                found = {o for n in frontier for o in links.get(n, ()) if o.startswith(f"{root}/")}
                frontier = sorted(found - reached)
                reached |= found
            assert minted <= reached, (facts, root, sorted(minted - reached))
