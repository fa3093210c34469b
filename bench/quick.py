"""A benchmark to run while working (minutes): builds, adds and exports beside their peers.

Every row is measured in its own process, beside its peer in the same run:

* **export** of a corpus of about a million quads (bench/corpus.py: bulk-loaded
  clones of the seed, cached): ``graphkg export`` in N-Quads and in Turtle beside
  pyoxigraph's own N-Quads dump of the same store (``Store.dump``).
* **build** of synthetic articles written through the real path (bench/synth.py,
  cached): ``graphkg build`` (read, map, validate, load) beside a raw pyoxigraph
  bulk load of the quads that build stored, its load step (as the build reports
  it) beside the same bulk load, and the whole build beside graphkg as it was
  at ``BEFORE`` (extracted from git once) building the same corpus; with
  ``--large N`` (``make bench``: 2,500 articles, about a million triples) also
  the build of N articles, and the memory of ``graphkg serve`` (all its processes)
  after the same request mix on the stores of both sizes.
* **validate and add**: ``graphkg validate`` and ``graphkg add`` of the seed article
  into stores of 10 and 250 synthetic articles and the seed (about 10k and 100k
  triples) and into a copy of the million-quad store, replacing the seed article
  each holds, beside the smallest; ``graphkg check`` of the whole million-quad store
  beside validating one article in it; then validating (``?dry_run=true``) and
  adding new versions of the seed article over HTTP (``POST /facts`` to ``graphkg
  serve`` with a write token, the median of three), and a SPARQL update of its
  title (``POST /update``, the median of three); then all of it again on
  ``oxigraph serve`` holding the same quads (``graphkg --store http://…``), and
  ``graphkg export`` from the largest beside that server's own Graph Store GET.
* **remote**: the same synthetic build into a real ``oxigraph serve`` on
  127.0.0.1, beside a Graph Store POST of the same quads to that server.
* **queries over HTTP**: five named queries (their parameters bound by ``VALUES``)
  sent to ``graphkg serve`` on the synthetic build and to ``oxigraph
  serve-read-only`` on the same quads, one request at a time: the median of
  ``ROUNDS`` answers after a warm-up; then to ``graphkg serve`` on an ``oxigraph
  serve`` holding those quads, beside that server answering them itself; and that
  server answering two of them with every data graph named in the request (the protocol's
  dataset) beside its union default graph: what keeping graphs out of a store's
  union by naming the data graphs would cost.

Time is wall time; memory the peak PSS of a command and every process it starts
(``bench/processes.py``), sampled every 50 ms, the interpreter included.

Run ``python -P bench/quick.py`` (``make bench-quick``); ``--articles N`` for
another build size, ``--quads N`` for another export size. The table (markdown)
goes to stdout or ``--output``; progress to stderr.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
PYTHON = sys.executable
GRAPHKG = str(Path(sys.executable).with_name("graphkg"))
OXIGRAPH = str(Path(sys.executable).with_name("oxigraph"))
SEED_FACTS = HERE.parent / "seeds" / "azerbaijan-halts-russian-events" / "facts.yaml"


@dataclass
class Measure:
    seconds: float
    peak_mib: float
    output: str = ""


def measured(
    command: list[str], *, env: dict[str, str] | None = None, exits: tuple[int, ...] = (0,)
) -> Measure:
    """Run a command in its own process; its wall time, and the peak memory (PSS) of it and
    every process it starts, sampled every 50 ms. Its output is kept in ``Measure.output``;
    an exit status not in ``exits`` stops the benchmark."""
    tree_pss_kib = bench_module("processes").tree_pss_kib
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        peak = 0
        while True:
            pid, status, _ = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_pss_kib(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        output.seek(0)
        text = output.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) not in exits:
        raise SystemExit(f"{' '.join(command)} failed:\n{text[-4000:]}")
    return Measure(seconds, peak / 1024, text)


def python(code: str) -> list[str]:
    return [PYTHON, "-P", "-c", code]


STARTED = time.perf_counter()


def log(message: str) -> None:
    """A step of the run, after the seconds since it started (where the ten minutes go)."""
    print(f"[{time.perf_counter() - STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


def million_quad_corpus(quads: int) -> Path:
    """bench/corpus.py's store of about ``quads`` quads, generated once and cached."""
    folder = CACHE / f"corpus-{quads}"
    if not (folder / "corpus.json").exists():
        log(f"generating a corpus of {quads:,} quads in {folder} (cached for later runs)")
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [PYTHON, str(HERE / "corpus.py"), str(folder), "--triples", str(quads)], check=True
        )
    return folder


def export_rows(quads: int, scratch: Path) -> list[tuple[str, Measure, Measure]]:
    store = million_quad_corpus(quads) / "store"
    log("export rows")
    dump = python(
        "import pyoxigraph as ox, sys\n"
        "from graphkg.store import latest_checkpoint\n"
        "from pathlib import Path\n"
        f"s = ox.Store.read_only(str(latest_checkpoint(Path({str(store)!r}))))\n"
        f"s.dump(output={str(scratch / 'peer.nq')!r}, format=ox.RdfFormat.N_QUADS)\n"
    )
    peer = measured(dump)
    rows = []
    for name in ("nquads", "turtle"):
        ours = measured(
            [GRAPHKG, "--store", str(store), "export", "--format", name, "-o", str(scratch / name)]
        )
        label = f"export {name}, {quads:,} quads (peer: pyoxigraph N-Quads dump)"
        rows.append((label, ours, peer))
    return rows


def bench_module(name: str) -> ModuleType:
    """A module of bench/ (run with ``-P``, bench/ is not on the path: its http.py would
    stand in for the standard library's)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def synthetic_corpus(articles: int) -> Path:
    """bench/synth.py's corpus of ``articles`` articles (cached by synth itself)."""
    return bench_module("synth").corpus(articles)


def bulk_load_of(store: Path, scratch: Path) -> tuple[Path, Measure]:
    """The quads a build stored, and a raw pyoxigraph bulk load of them into a new store."""
    scratch.mkdir(parents=True, exist_ok=True)
    quads = scratch / "built.nq"
    subprocess.run(
        [GRAPHKG, "--store", str(store), "export", "--format", "nquads", "-o", str(quads)],
        check=True,
    )
    load = python(
        "import pyoxigraph as ox\n"
        f"s = ox.Store({str(scratch / 'raw')!r})\n"
        f"s.bulk_load(path={str(quads)!r}, format=ox.RdfFormat.N_QUADS)\n"
        "s.flush(); s.optimize()\n"
    )
    return quads, measured(load)


BEFORE = "9f0af68"
"""graphkg before its builds were made to scale: one process, pySHACL, the whole ontology
in every article's data graph (the build peer "before")."""


def graphkg_at(commit: str) -> dict[str, str]:
    """The environment that runs graphkg as it was at ``commit``, extracted once from git."""
    folder = CACHE / f"graphkg-{commit}"
    if not (folder / "graphkg").is_dir():
        partial = CACHE / f".graphkg-{commit}.tmp"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.run(
            [
                "git",
                "-C",
                str(HERE.parent),
                "archive",
                commit,
                "graphkg",
                "ontology",
                "shapes",
                "queries",
            ],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(partial)], input=archive, check=True)
        partial.rename(folder)
    return {"PYTHONPATH": str(folder)}


def build_rows(
    articles: int, scratch: Path, *, before: bool
) -> tuple[list[tuple[str, Measure, Measure]], Path]:
    """``graphkg build`` of a synthetic corpus beside a raw bulk load of the quads it stored
    (the whole build, and its load step as the build reports it), and, with ``before``,
    beside graphkg at :data:`BEFORE` building the same corpus."""
    corpus = synthetic_corpus(articles)
    log(f"build rows: {articles} synthetic articles from {corpus}")
    store = scratch / f"synthetic-store-{articles}"
    ours = measured([GRAPHKG, "--store", str(store), "build", str(corpus)])
    stored = re.search(r"stored in ([\d.]+) s", ours.output)
    quads, peer = bulk_load_of(store, scratch / f"raw-{articles}")
    rows = [
        (f"build {articles} articles (peer: bulk load of the same quads)", ours, peer),
        (
            f"load step of the build of {articles} articles (peer: the same bulk load)",
            Measure(float(stored.group(1)) if stored else float("nan"), 0),
            peer,
        ),
    ]
    if before:
        command = [PYTHON, "-P", "-m", "graphkg", "--store", str(scratch / "before"), "build"]
        then = measured([*command, str(corpus)], env=graphkg_at(BEFORE))
        rows.append((f"build {articles} articles (peer: graphkg {BEFORE}, before)", ours, then))
    return rows, quads


SMALL_ARTICLES = (10, 250)
"""The synthetic articles of the smaller stores that adds go into (with the seed, about 10k
and 100k triples)."""


def add_stores(quads: int, scratch: Path) -> dict[str, Path]:
    """Stores of about 10k, 100k and ``quads`` triples that hold the seed article, to add
    it into (copies: adds change them). The two smaller ones are built from synthetic
    articles and the seed (with its shared entities) through ``graphkg build``."""
    stores = {}
    for articles in SMALL_ARTICLES:
        folder = scratch / f"corpus-for-adds-{articles}"
        shutil.copytree(synthetic_corpus(articles), folder)
        shutil.copy(SEED_FACTS.parent.parent / "entities.yaml", folder / "entities" / "seed.yaml")
        shutil.copytree(SEED_FACTS.parent, folder / SEED_FACTS.parent.name)
        store = scratch / f"store-for-adds-{articles}"
        stores[f"{built_triples(folder, store):,}"] = store
    large = scratch / "large-store"
    shutil.copytree(million_quad_corpus(quads) / "store", large)
    # Bulk-made, it has no search index yet, which every store graphkg writes has: the
    # first writer would make it, reading the whole store (8 s at 1M), inside the timing.
    subprocess.run([GRAPHKG, "--store", str(large), "reindex"], check=True, capture_output=True)
    stores[f"{quads:,}"] = large
    return stores


def built_triples(seeds: Path, store: Path) -> int:
    """``graphkg build`` of ``seeds`` into ``store``; the triples it says it stored."""
    built = subprocess.run(
        [GRAPHKG, "--store", str(store), "build", str(seeds)],
        check=True,
        capture_output=True,
        text=True,
    )
    triples = re.search(r"(\d+) triples", built.stdout + built.stderr)
    return int(triples.group(1)) if triples else 0


def add_rows(stores: dict[str, Path]) -> list[tuple[str, Measure, Measure]]:
    """``graphkg validate`` and ``graphkg add`` of the seed article into the store of each
    size (the add replaces the seed article the store holds), beside the smallest; and
    ``graphkg check`` of the whole largest store, beside validating one article in it."""
    log("add rows")
    rows = []
    for verb in ("validate", "add"):
        times = {
            size: measured([GRAPHKG, "--store", str(store), verb, str(SEED_FACTS)])
            for size, store in stores.items()
        }
        rows += _by_size(times, f"{verb} the seed article, command line")
    large_size, large = list(stores.items())[-1]
    # The bulk-made corpus's variants are never validated, and most do not conform: check
    # says so, exit 1, after validating every article all the same.
    check = measured([GRAPHKG, "--store", str(large), "check"], exits=(0, 1))
    failing = re.search(r"(\d+) of (\d+) articles conform", check.output)
    one = measured([GRAPHKG, "--store", str(large), "validate", str(SEED_FACTS)])
    label = (
        f"graphkg check of all {failing.group(2) if failing else '?'} articles in {large_size} "
        "triples (peer: validate one there)"
    )
    return [*rows, (label, check, one)]


def _by_size(times: dict[str, Measure], what: str) -> list[tuple[str, Measure, Measure]]:
    """Rows of ``what`` into each larger store, beside the smallest."""
    (small_size, into_small), *larger = times.items()
    return [
        (f"{what}: into {size} triples (peer: into {small_size})", into, into_small)
        for size, into in larger
    ]


SUBMISSIONS = 5
"""Submissions over HTTP a row takes the median of, each a new version of the seed article."""


@contextmanager
def graphkg_serving(store: str, history: Path) -> Iterator[str]:
    """``graphkg serve`` with a write token on ``store`` (a folder or a URL)."""
    port = bench_module("processes").free_port()
    process = subprocess.Popen(
        [GRAPHKG, "--store", store, "serve", "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={
            **os.environ,
            "GRAPHKG_WRITE_TOKENS": f"bench:{WRITE_SECRET}:steward",
            "GRAPHKG_HISTORY": str(history),
            "GRAPHKG_QUERY_TIMEOUT": "300",
        },
    )
    root = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(f"{root}/sparql")
        yield root
    finally:
        _stop(process)


WRITE_SECRET = "bench-write-secret-of-some-length"


SEED_GRAPH = "https://w3id.org/graphkg/graph/article/azerbaijan-halts-russian-events"


def http_updates(root: str) -> Measure:
    """The median time of a SPARQL update retitling the seed article (``POST /update``:
    evaluated, the article validated, committed)."""
    import httpx

    seconds = []
    for index in range(SUBMISSIONS):
        update = (
            f"DELETE {{ GRAPH <{SEED_GRAPH}> {{ ?a gkg:title ?t }} }} "
            f"INSERT {{ GRAPH <{SEED_GRAPH}> {{ ?a gkg:title 'Update {index}'@en }} }} "
            f"WHERE {{ GRAPH <{SEED_GRAPH}> {{ ?a gkg:title ?t }} }}"
        )
        started = time.perf_counter()
        answer = httpx.post(
            f"{root}/update",
            content=update,
            headers={
                "Authorization": f"Bearer {WRITE_SECRET}",
                "Content-Type": "application/sparql-update",
            },
            timeout=600,
        )
        seconds.append(time.perf_counter() - started)
        if answer.status_code != 200:
            raise SystemExit(f"POST /update answered {answer.status_code}: {answer.text}")
    return Measure(statistics.median(seconds), 0)


def http_submissions(root: str) -> tuple[Measure, Measure]:
    """The median time of validating (``?dry_run=true``) and of adding a new version of the
    seed article over HTTP, the article text sent with it, after one warm-up."""
    import httpx

    facts = SEED_FACTS.read_text(encoding="utf-8")
    text = (SEED_FACTS.parent / "article.txt").read_bytes()
    times: dict[str, list[float]] = {"true": [], "false": []}
    # A warm-up, as a server that has run a while: the first request reads the store's
    # files from the disk cache into the engine's.
    httpx.post(
        f"{root}/facts",
        files=[("facts", ("facts.yaml", facts.encode())), ("file", ("article.txt", text))],
        params={"dry_run": "true"},
        headers={"Authorization": f"Bearer {WRITE_SECRET}"},
        timeout=600,
    )
    for index in range(SUBMISSIONS):
        edited = facts.replace("title: ", f"title: Version {index} of ", 1).encode()
        files = [("facts", ("facts.yaml", edited)), ("file", ("article.txt", text))]
        for dry_run, seconds in times.items():
            started = time.perf_counter()
            answer = httpx.post(
                f"{root}/facts",
                files=files,
                params={"dry_run": dry_run},
                headers={"Authorization": f"Bearer {WRITE_SECRET}"},
                timeout=600,
            )
            seconds.append(time.perf_counter() - started)
            if answer.status_code not in (200, 201):
                raise SystemExit(f"POST /facts answered {answer.status_code}: {answer.text}")
    validate, add = (Measure(statistics.median(times[flag]), 0) for flag in ("true", "false"))
    return validate, add


def http_rows(
    stores: dict[str, Path | str], scratch: Path, where: str
) -> list[tuple[str, Measure, Measure]]:
    """Validating and adding over HTTP into the store of each size, beside the smallest."""
    validates, adds, updates = {}, {}, {}
    for index, (size, store) in enumerate(stores.items()):
        with graphkg_serving(str(store), scratch / f"history-{where}-{index}") as root:
            validates[size], adds[size] = http_submissions(root)
            updates[size] = http_updates(root)
    what = f"over HTTP{where}, median of {SUBMISSIONS}"
    return [
        *_by_size(validates, f"validate the seed article {what}"),
        *_by_size(adds, f"add a new version of the seed article {what}"),
        *_by_size(updates, f"SPARQL update of the seed article's title {what}"),
    ]


BATCH_ARTICLES = 100
"""The articles of the batch ``graphkg add`` (with their shared entities files)."""


def batch_add_rows(
    stores: dict[str, Path], articles: int, scratch: Path
) -> list[tuple[str, Measure, Measure]]:
    """``graphkg add`` of the shared entities and first :data:`BATCH_ARTICLES` articles of
    the build's synthetic corpus, in one command (one commit), into the million-quad store
    and into a store of the seed article alone (the small store of :func:`add_stores`
    holds another corpus's shared entities, which these would replace)."""
    log("batch add rows")
    corpus = synthetic_corpus(articles)
    files = [
        *sorted((corpus / "entities").glob("*.yaml")),
        *sorted(corpus.glob("a*/facts.yaml"))[:BATCH_ARTICLES],
    ]
    seed = scratch / "seed-store"
    triples = built_triples(SEED_FACTS.parent.parent, seed)
    large_size, large = list(stores.items())[-1]
    into_seed = measured([GRAPHKG, "--store", str(seed), "add", *map(str, files)])
    into_large = measured([GRAPHKG, "--store", str(large), "add", *map(str, files)])
    label = (
        f"batch add of {BATCH_ARTICLES} articles and their shared entities, one commit: into "
        f"{large_size} triples (peer: into the seed's {triples:,})"
    )
    return [(label, into_large, into_seed)]


def remote_add_rows(stores: dict[str, Path], scratch: Path) -> list[tuple[str, Measure, Measure]]:
    """The same adds into ``oxigraph serve`` holding the same quads (loaded by ``oxigraph
    load``, outside the timing), over the command line and over HTTP."""
    log("remote add rows")
    times: dict[str, Measure] = {}
    validates: dict[str, Measure] = {}
    adds: dict[str, Measure] = {}
    updates: dict[str, Measure] = {}
    exports: list[tuple[str, Measure, Measure]] = []
    for index, (size, store) in enumerate(stores.items()):
        quads = scratch / f"add-{index}.nq"
        subprocess.run(
            [GRAPHKG, "--store", str(store), "export", "--format", "nquads", "-o", str(quads)],
            check=True,
        )
        with oxigraph_serving(scratch / f"add-remote-{index}", quads) as url:
            # An update's wait is query_timeout (30 s), which this add can pass at 1M.
            env = {"GRAPHKG_QUERY_TIMEOUT": "300", "GRAPHKG_HISTORY": str(scratch / f"h-{index}")}
            # Loaded by oxigraph, the store has no search index yet: made outside the timing.
            subprocess.run(
                [GRAPHKG, "--store", url, "reindex"],
                check=True,
                capture_output=True,
                env={**os.environ, **env},
            )
            times[size] = measured([GRAPHKG, "--store", url, "add", str(SEED_FACTS)], env=env)
            with graphkg_serving(url, scratch / f"history-remote-{index}") as root:
                validates[size], adds[size] = http_submissions(root)
                updates[size] = http_updates(root)
            if size == list(stores)[-1]:  # the million-quad store
                exports = remote_export_rows(url, size, scratch)
    what = f"over HTTP on oxigraph serve, median of {SUBMISSIONS}"
    return [
        *_by_size(times, "remote add the seed article, oxigraph serve"),
        *_by_size(validates, f"validate the seed article {what}"),
        *_by_size(adds, f"add a new version of the seed article {what}"),
        *_by_size(updates, f"SPARQL update of the seed article's title {what}"),
        *exports,
    ]


def remote_export_rows(url: str, size: str, scratch: Path) -> list[tuple[str, Measure, Measure]]:
    """``graphkg export`` from ``oxigraph serve`` beside that server's own Graph Store GET
    of the whole dataset (``curl``, into a file)."""
    target = scratch / "remote-export"
    peer = measured(
        ["curl", "-sSf", "-H", "Accept: application/n-quads", "-o", str(target), f"{url}/store"]
    )
    return [
        (
            f"remote export {fmt}, {size} triples on oxigraph serve "
            "(peer: its Graph Store GET of the dataset as N-Quads)",
            measured([GRAPHKG, "--store", url, "export", "--format", fmt, "-o", str(target)]),
            peer,
        )
        for fmt in ("nquads", "turtle")
    ]


@contextmanager
def oxigraph_serving(location: Path, quads: Path | None = None) -> Iterator[str]:
    """``oxigraph serve`` on 127.0.0.1 with its union default graph, holding ``quads``."""
    if quads is not None:
        subprocess.run(
            [OXIGRAPH, "load", "--location", str(location), "--file", str(quads)],
            check=True,
            capture_output=True,
        )
    port = bench_module("processes").free_port()
    server = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph", "--timeout-s", str(NAMED_GRAPHS_LIMIT)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(f"{url}/query")
        yield url
    finally:
        server.terminate()
        server.wait(20)


def remote_rows(
    articles: int, quads_file: Path, scratch: Path
) -> list[tuple[str, Measure, Measure]]:
    corpus = synthetic_corpus(articles)
    log("remote rows")
    times: dict[str, Measure] = {}
    for index, what in enumerate(("graphkg build", "Graph Store POST")):
        with oxigraph_serving(scratch / f"oxigraph-{index}") as url:
            if what == "graphkg build":
                times[what] = measured([GRAPHKG, "--store", url, "build", str(corpus)])
            else:
                times[what] = measured(
                    ["curl", "-sf", "-X", "POST", "-H", "Content-Type: application/n-quads",
                     "--data-binary", f"@{quads_file}", f"{url}/store"]
                )  # fmt: skip
    label = f"remote build {articles} articles, oxigraph serve (peer: POST of the quads)"
    return [(label, times["graphkg build"], times["Graph Store POST"])]


QUERIES = ("timeline", "responses", "participants", "places", "claims-by-speaker")
NAMING_GRAPHS = ("timeline", "claims-by-speaker")
"""The queries also run naming every data graph instead of the union default graph (50 and
4 s once each, 100 to 170 times slower); the other three took 90 s more to say the same."""
ROUNDS = 15


def query_rows(store: Path, quads_file: Path, scratch: Path) -> list[tuple[str, Measure, Measure]]:
    """Five named queries over HTTP: graphkg serve beside oxigraph serve-read-only on the
    same quads; then graphkg serve on an oxigraph serve beside that server answering itself."""
    log("query rows")
    peer_store = scratch / "peer-store"
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(peer_store), "--file", str(quads_file)],
        check=True,
        capture_output=True,
    )
    free_port = bench_module("processes").free_port
    ours_port, peer_port = free_port(), free_port()
    ours = _medians(
        [GRAPHKG, "--store", str(store), "serve", "--port", str(ours_port)],
        f"http://127.0.0.1:{ours_port}/sparql",
    )
    peer = _medians(
        [OXIGRAPH, "serve-read-only", "--location", str(peer_store), "--bind",
         f"127.0.0.1:{peer_port}", "--union-default-graph"],
        f"http://127.0.0.1:{peer_port}/query",
    )  # fmt: skip
    rows = _query_rows(ours, peer, "oxigraph serve-read-only")
    log("remote query rows")
    with oxigraph_serving(scratch / "remote-peer-store", quads_file) as url:
        ours_port = free_port()
        ours = _medians(
            [GRAPHKG, "--store", url, "serve", "--port", str(ours_port)],
            f"http://127.0.0.1:{ours_port}/sparql",
        )
        peer = {name: _median_ms(f"{url}/query", text) for name, text in _query_texts().items()}
        graphs = _data_graphs(f"{url}/query")
        named = {
            name: _median_ms(f"{url}/query", text, graphs)
            for name, text in _query_texts().items()
            if name in NAMING_GRAPHS
        }
    rows += _query_rows(ours, peer, "that oxigraph serve itself", remote=True)
    return rows + [
        (
            f"named query {name} on oxigraph serve naming its {len(graphs)} data graphs in the "
            f"request, once (peer: its union default graph, median of {ROUNDS})",
            Measure(named[name] / 1000, 0),
            Measure(peer[name] / 1000, 0),
        )
        for name in NAMING_GRAPHS
    ]


def _data_graphs(endpoint: str) -> list[str]:
    """Every graph of a store graphkg built but its version marker's: what a query would
    name, as default and named graphs, to read the data without the union default graph."""
    from graphkg.settings import Settings

    version = f"{Settings().base}graph/version"
    request = urllib.request.Request(
        endpoint,
        data=b"SELECT DISTINCT ?g WHERE { GRAPH ?g {} }",
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        rows = json.loads(answer.read())["results"]["bindings"]
    return sorted(row["g"]["value"] for row in rows if row["g"]["value"] != version)


def _query_texts() -> dict[str, str]:
    """The queries of :data:`QUERIES`, their parameters bound by ``VALUES`` for any server."""
    from graphkg.queries import load_named_queries
    from graphkg.remote import with_values

    named = load_named_queries()
    return {
        name: with_values(named[name].sparql, dict(named[name].substitutions({})))
        for name in QUERIES
    }


def _medians(command: list[str], endpoint: str) -> dict[str, float]:
    """Each query's median time (ms) from a server that ``command`` starts."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        _wait_until_answering(endpoint)
        return {name: _median_ms(endpoint, text) for name, text in _query_texts().items()}
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started in a session of its own: SIGINT to its group, then SIGKILL
    when it has not stopped within 30 s (a server still running an abandoned query)."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)


def _query_rows(
    ours: dict[str, float], peer: dict[str, float], peer_name: str, *, remote: bool = False
) -> list[tuple[str, Measure, Measure]]:
    where = " on oxigraph serve" if remote else ""
    return [
        (
            f"named query {name} over HTTP{where}, median of {ROUNDS} (peer: {peer_name})",
            Measure(ours[name] / 1000, 0),
            Measure(peer[name] / 1000, 0),
        )
        for name in QUERIES
    ]


def _request_mix(root: str) -> None:
    """The same requests to a server whatever its store: every named query, a count over
    the whole store, an entity's page, an article's page and the N-Quads dump."""
    from graphkg.queries import load_named_queries

    def get(path: str, accept: str = "application/sparql-results+json") -> bytes:
        request = urllib.request.Request(f"{root}{path}", headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.read()
        except urllib.error.HTTPError as error:  # a capped or refused answer is a request too
            return error.read()

    for name in sorted(load_named_queries()):
        get(f"/queries/{name}")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    get("/sparql?" + urllib.parse.urlencode({"query": count}))
    first = "SELECT ?s WHERE { ?s a <https://w3id.org/graphkg/ontology#%s> } LIMIT 1"
    for cls in ("State", "Article"):
        rows = get("/sparql?" + urllib.parse.urlencode({"query": first % cls}))
        for row in json.loads(rows)["results"]["bindings"]:
            get(urllib.parse.urlsplit(row["s"]["value"]).path, accept="text/html")
    get("/dump.nq", accept="application/n-quads")


def server_memory(stores: dict[int, Path]) -> dict[int, float]:
    """The memory (PSS, MiB) of all ``graphkg serve`` processes after the same request mix,
    on each store (by its number of articles)."""
    log("server memory")
    tree_pss_kib = bench_module("processes").tree_pss_kib
    peaks: dict[int, float] = {}
    for articles, store in sorted(stores.items()):
        port = bench_module("processes").free_port()
        process = subprocess.Popen(
            [GRAPHKG, "--store", str(store), "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            root = f"http://127.0.0.1:{port}"
            _wait_until_answering(f"{root}/sparql")
            _request_mix(root)
            peaks[articles] = tree_pss_kib(process.pid) / 1024
        finally:
            _stop(process)
    return peaks


def _median_ms(endpoint: str, text: str, graphs: list[str] | None = None) -> float:
    """The median time (ms) of ``ROUNDS`` answers after a warm-up; with ``graphs``, each
    named as a default and a named graph of the request (the protocol's dataset)."""
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in _prefixes().items())
    fields = [("query", prologue + text)]
    for kind in ("default-graph-uri", "named-graph-uri"):
        fields += [(kind, graph) for graph in graphs or ()]
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode(fields).encode("ascii"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )
    times = []
    for _ in range(ROUNDS + 1 if graphs is None else 1):
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=NAMED_GRAPHS_LIMIT) as answer:
                answer.read()
        except TimeoutError:
            return float("inf")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:] or times)


NAMED_GRAPHS_LIMIT = 60
"""How long a query naming every data graph is waited for (s): once, not ``ROUNDS`` times,
since Oxigraph server takes minutes over it (``inf`` in the table: stopped)."""


def _prefixes() -> dict[str, str]:
    from graphkg.namespaces import PREFIXES

    return PREFIXES


def _wait_until_answering(endpoint: str) -> None:
    url = f"{endpoint}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{endpoint} did not start answering")


def _build_rates(rows: list[tuple[str, Measure, Measure]]) -> list[str]:
    """One line per build size: articles/s, and the speed-up over the before commit."""
    rates: dict[int, str] = {}
    for label, ours, peer in rows:
        sizes = re.match(r"build (\d+) articles \(peer: (bulk|graphkg)", label)
        if not sizes:
            continue
        n = int(sizes.group(1))
        rates.setdefault(n, f"- build of {n} articles: {n / ours.seconds:.1f} articles/s")
        if sizes.group(2) == "graphkg":
            rates[n] += f", {n / peer.seconds:.2f} before ({peer.seconds / ours.seconds:.1f}x)"
    return list(rates.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=250)
    parser.add_argument(
        "--large", type=int, default=0, help="also build this many articles (make bench: 2500)"
    )
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    started = time.monotonic()
    serve_memory: dict[int, float] = {}
    with tempfile.TemporaryDirectory(dir=CACHE if CACHE.exists() else None) as folder:
        scratch = Path(folder)
        rows = export_rows(args.quads, scratch)
        built, quads_file = build_rows(args.articles, scratch, before=True)
        rows += built
        if args.large:
            rows += build_rows(args.large, scratch, before=False)[0]
            serve_memory = server_memory(
                {n: scratch / f"synthetic-store-{n}" for n in (args.articles, args.large)}
            )
        stores = add_stores(args.quads, scratch)
        rows += add_rows(stores)
        rows += http_rows(dict(stores), scratch, "")
        rows += remote_add_rows(stores, scratch)
        rows += batch_add_rows(stores, args.articles, scratch)
        rows += remote_rows(args.articles, quads_file, scratch)
        store = scratch / f"synthetic-store-{args.articles}"
        rows += query_rows(store, quads_file, scratch)
    lines = [
        f"bench/quick.py, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"{time.monotonic() - started:.0f} s in all",
        "",
        "| row | graphkg s | peer s | ratio | graphkg peak MiB | peer peak MiB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, ours, peer in rows:
        memory = [f"{m.peak_mib:.0f}" if m.peak_mib else "" for m in (ours, peer)]
        lines.append(
            f"| {label} | {ours.seconds:.3f} | {peer.seconds:.3f} | "
            f"{ours.seconds / peer.seconds:.2f}x | {memory[0]} | {memory[1]} |"
        )
    lines += ["", "Peak memory is the PSS of a command and every process it starts.", ""]
    lines += _build_rates(rows)
    if serve_memory:
        (small, at_small), (large, at_large) = sorted(serve_memory.items())
        lines.append(
            f"- graphkg serve, all its processes after the same request mix: {at_small:.0f} MiB "
            f"on {small} articles, {at_large:.0f} MiB on {large} ({at_large / at_small - 1:+.0%})"
        )
    table = "\n".join(lines) + "\n"
    if args.output:
        args.output.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
