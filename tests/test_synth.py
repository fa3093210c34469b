"""bench/synth.py: synthetic articles that graphkg validates and builds without a problem.

The generator is a benchmark's tool, not part of the package: it is loaded from
its path (bench/ is not a package, and on sys.path its http.py would shadow the
standard library's).
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import re
import shutil
import statistics
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from graphkg import pipeline
from graphkg.pipeline import build_store, find_seed_files, map_and_validate
from graphkg.search import SearchIndex, embedded_index_path, read_all
from graphkg.settings import Settings
from graphkg.store import KnowledgeGraph
from graphkg.writer import Writer

from conftest import BASE, ROOT

ARTICLES = 12
SEED = 3


def _load_synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


synth = _load_synth()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _read(path: Path) -> dict:
    # The base loader keeps every scalar as text, as graphkg's reader does.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _quotes(record: dict) -> list[str]:
    """The record's evidence quotes, and those of its attributed figures."""
    quotes = record.get("evidence", [])
    quotes = [quotes] if isinstance(quotes, str) else list(quotes)
    for entry in record.get("attributed", []):
        evidence = entry["evidence"]
        quotes.extend([evidence] if isinstance(evidence, str) else evidence)
    return quotes


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "corpus"
    synth.generate(ARTICLES, SEED, out)
    return out


def test_same_arguments_give_the_same_bytes(corpus_dir: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    synth.generate(ARTICLES, SEED, again)
    assert _files(again) == _files(corpus_dir)
    other = tmp_path / "other"
    synth.generate(ARTICLES, SEED + 1, other)
    assert _files(other) != _files(corpus_dir)


def test_each_article_has_its_text_and_fact_file(corpus_dir: Path) -> None:
    seeds = find_seed_files(corpus_dir)
    folders = [p for p in corpus_dir.iterdir() if p.is_dir() and p.name != "entities"]
    assert len(folders) == ARTICLES == len(seeds.articles)
    for folder in folders:
        assert (folder / "article.txt").is_file()
        assert (folder / "facts.yaml").is_file()
        assert _read(folder / "facts.yaml")["article"]["id"] == folder.name
    sources = [_read(path)["source"] for path in seeds.entities]
    assert len(seeds.entities) >= 4 and len(set(sources)) == len(sources)


def test_every_quote_occurs_in_its_article(corpus_dir: Path) -> None:
    for path in find_seed_files(corpus_dir).articles:
        text = (path.parent / "article.txt").read_text(encoding="utf-8")
        document = _read(path)
        records = document.get("entities", []) + document["facts"]
        quotes = [quote for record in records for quote in _quotes(record)]
        assert quotes
        for quote in quotes:
            assert quote in text, f"{path}: {quote!r}"


def test_the_corpus_validates_without_a_warning_and_builds(
    corpus_dir: Path, tmp_path: Path
) -> None:
    files = find_seed_files(corpus_dir)
    sources, report = map_and_validate(files.all, base=BASE)
    assert report.conforms, report.as_text()
    assert report.problems == [], report.as_text()
    # The generator counts the triples of a fact file as graphkg maps it.
    for source in sources:
        assert synth.count_triples(_read(Path(source.file))) == len(source.quads), source.file
    stored = build_store(KnowledgeGraph.open_writer(tmp_path / "store", base=BASE), corpus_dir)
    assert stored == len(files.all)
    manifest = synth.manifest(corpus_dir)
    assert manifest is not None
    assert manifest["triples"] == sum(len(source.quads) for source in sources)


def test_a_batch_validated_in_processes_gets_the_report_of_one_process(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    broken = find_seed_files(corpus).articles[3]
    text = broken.read_text(encoding="utf-8")
    broken.write_text(re.sub(r"\n    incidentKind: [\w-]+", "", text, count=1), encoding="utf-8")
    files = find_seed_files(corpus).all
    _, alone = map_and_validate(files, base=BASE)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    processes: list[int] = []
    _, shared = map_and_validate(
        files,
        base=BASE,
        processes=2,
        progress=lambda _: processes.append(len(multiprocessing.active_children())),
    )
    assert len(processes) == len(files) and max(processes) == 2
    assert not shared.conforms
    assert [(p.file, p.severity) for p in shared.problems] == [(str(broken), "violation")]
    assert shared.problems == alone.problems


@pytest.mark.parametrize("processes", [1, 2])
def test_a_build_indexes_for_search_what_it_stored(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    """The index a build gathers as it validates (in this process or others) is the one
    read from the store it loaded."""
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    settings = Settings(store=tmp_path / "store", base=BASE, validation_processes=processes)
    writer = Writer(settings)
    writer.build(corpus_dir, "test")
    writer.close()
    index = SearchIndex.reading(embedded_index_path(tmp_path / "store"))
    built = index.contents()
    index.close()
    assert len(built.texts) > 100
    assert {t.kind for t in built.texts} == {"label", "altLabel", "quote"}
    assert built == read_all(KnowledgeGraph.open_reader(tmp_path / "store", base=BASE))


def test_articles_are_100_to_1500_triples_about_400_on_average() -> None:
    n = 40
    world = synth.make_world(n, 1)
    sizes = [synth.write_article(world, index, 1, 5)[3] for index in range(1, n + 1)]
    assert 300 <= statistics.mean(sizes) <= 500, sizes
    assert all(100 <= size <= 1500 for size in sizes), sizes


def test_a_corpus_is_cached_and_only_a_complete_one_is_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synth, "CACHE", tmp_path)
    folder = synth.corpus(2, seed=5)
    assert folder == tmp_path / f"synth-v{synth.GENERATOR_VERSION}-n2-s5"
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*\n"
    written = _files(folder)
    assert len([p for p in folder.iterdir() if p.is_dir()]) == 3  # two articles, entities

    def no_generating(*args: object) -> None:
        raise AssertionError("a complete corpus is generated again")

    with monkeypatch.context() as patch:
        patch.setattr(synth, "generate", no_generating)
        assert synth.corpus(2, seed=5) == folder
    # A folder without its manifest is a half corpus: written again, whole.
    (folder / synth.MANIFEST).unlink()
    (tmp_path / f".{folder.name}.tmp-999999999").mkdir()  # left by a killed run
    assert synth.corpus(2, seed=5) == folder
    assert _files(folder) == written
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_the_command_prints_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    synth.main(["2", "--seed", "4", "--out", str(tmp_path / "out")])
    synth.main(["2", "--seed", "4", "--out", str(tmp_path / "out")])
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith("synth: 2 articles, 8 files, ") and "triples" in first
    assert second.endswith(f"(cached): {tmp_path / 'out'}")
