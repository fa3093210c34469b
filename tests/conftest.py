"""Shared fixtures: real stores in temporary directories, built from the real seeds."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from graphkg.faults import WRITE_STEPS
from graphkg.namespaces import PREFIXES
from graphkg.pipeline import build_store
from graphkg.queries import load_named_queries
from graphkg.resources import resource_dir
from graphkg.settings import KILL_AT_VARIABLE, Settings
from graphkg.store import (
    KnowledgeGraph,
    data_twin_path,
    latest_checkpoint,
    open_store,
    public_copy_path,
)
from graphkg.validation import ValidationReport

ROOT = Path(__file__).resolve().parents[1]
SEEDS = resource_dir("seeds")
ARTICLE_ID = "azerbaijan-halts-russian-events"
ARTICLE_FACTS = SEEDS / ARTICLE_ID / "facts.yaml"
TEST_ARTICLE_FACTS = sorted((ROOT / "tests" / "data").glob("*/*/facts.yaml"))
"""The fact files of the tests' own articles (each stands alone: no shared entities)."""
BASE = Settings().base
ID = f"{BASE}id/"
XSD = PREFIXES["xsd"]
INTEGER_TYPES = {f"{XSD}{name}" for name in ("integer", "nonNegativeInteger", "int", "long")}
NAMED_QUERIES = load_named_queries()
BACKENDS = ("embedded", "remote")
"""The store backends that the server-level tests run on."""
REMOTE_STORE_VARIABLES = {
    "store": "TEST_STORE",
    "store_query_url": "TEST_STORE_QUERY_URL",
    "store_update_url": "TEST_STORE_UPDATE_URL",
    "store_graph_url": "TEST_STORE_GRAPH_URL",
}
"""Settings of a remote store for the tests to use instead of starting ``oxigraph serve``."""
ORPHAN_QUERY_SECONDS = 40
"""The tests' ``oxigraph serve`` stops a query after this long (its ``--timeout-s``): a query
graphkg gave up on goes on in the store until then."""

SEEDS_ON_THE_REMOTE_STORE = "seeds_on_the_remote_store"
"""The marker of the tests that read the seeds on the shared remote store: the store the
``TEST_STORE*`` variables name (``make test-virtuoso`` runs these), else ``oxigraph serve``.
The other remote tests need a store of their own, and start an ``oxigraph serve`` for it."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{SEEDS_ON_THE_REMOTE_STORE}: reads the seeds on the shared remote store"
    )
    # The histories of remote stores (and anything else kept in the user's data folder)
    # go to a folder of the run's own, for this process and the commands it starts.
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="graphkg-tests-data-")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "remote" in (
            params.get("app"),
            params.get("seed_graph"),
        ) or "remote_seed_store" in getattr(item, "fixturenames", ()):
            item.add_marker(SEEDS_ON_THE_REMOTE_STORE)


NARROWING_ON_THE_SEED = {
    "responses": {"actor": f"{ID}organization/azerbaijani-officials"},
    "timeline": {"since": "2025-06-01"},
    "casualties": {"attestation": "stated"},
    "incidents-by-kind": {"attestation": "reported"},
    "events-by-cameo-root": {"attestation": "reported"},
    "figures": {"event": f"{ID}incident/yekaterinburg-detentions"},
    "claims-by-speaker": {"status": "cs:alleges"},
    "declined-to-address": {"speaker": f"{ID}person/maria-zakharova"},
    "evidence": {"fact": f"{ID}incident/yekaterinburg-killings"},
    "relations": {"other": f"{ID}state/ukraine"},
    "participants": {"event": f"{ID}incident/yekaterinburg-detentions"},
    "entity-mentions": {"entity": f"{ID}organization/ru-law-enforcement"},
    "places": {"place": f"{ID}state/russia"},
    "relatives": {"person": f"{ID}person/sayfaddin-huseynli"},
    "fact-card": {"fact": f"{ID}claim/putin-no-liability-claim"},
    "fact-as-of": {"fact": f"{ID}incident/yekaterinburg-killings", "date": "2025-06-28"},
    # The seed corrects nothing: tests/test_corrections.py narrows this on articles that do.
    "corrections": {"article": f"{ID}article/{ARTICLE_ID}"},
}
"""Values of each named query's parameters that narrow its answer on the seed."""


@pytest.fixture(scope="session")
def built_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the seeds; copy it before changing it."""
    path = tmp_path_factory.mktemp("built") / "store"
    build_store(KnowledgeGraph.open_writer(path, base=BASE), SEEDS)
    return path


@pytest.fixture
def store_without_public_copies(store_dir: Path) -> Path:
    """A store built before the checkpoints kept copies without the articles' texts."""
    checkpoint = latest_checkpoint(store_dir)
    assert checkpoint is not None
    for full in (checkpoint, data_twin_path(checkpoint)):
        shutil.rmtree(public_copy_path(full))
    return store_dir


@pytest.fixture
def store_dir(built_store_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the built store, free to change."""
    target = tmp_path / "store"
    shutil.copytree(built_store_dir, target, symlinks=True)
    return target


@contextmanager
def own_seed_store(built_store_dir: Path, folder: Path, backend: str) -> Iterator[Path | str]:
    """The seeds in a store of its own in ``folder``, free to change, on ``backend``: a copy
    of the built store, or a fresh ``oxigraph serve`` they are built into."""
    if backend == "embedded":
        target = folder / "store"
        shutil.copytree(built_store_dir, target, symlinks=True)
        yield target
        return
    with oxigraph_serve(folder / "remote") as url:
        build_store(open_store(Settings(store=url, base=BASE), writer=True), SEEDS)
        yield url


@pytest.fixture(params=BACKENDS)
def seed_store(
    request: pytest.FixtureRequest, built_store_dir: Path, tmp_path: Path
) -> Iterator[Path | str]:
    """The seeds in a store of the test's own, free to change, on each backend."""
    with own_seed_store(built_store_dir, tmp_path, request.param) as store:
        yield store


@pytest.fixture(scope="session", params=BACKENDS)
def seed_graph(request: pytest.FixtureRequest) -> KnowledgeGraph:
    """The seeds' knowledge graph on each backend, shared by read-only tests."""
    return open_store(Settings(**backend_store(request), base=BASE))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def embedded_seed_graph(built_store_dir: Path) -> KnowledgeGraph:
    """The built seed store opened read-only, for tests of the embedded store's own ways."""
    return KnowledgeGraph.open_reader(built_store_dir, base=BASE)


@pytest.fixture
def fact_dir(tmp_path: Path) -> Path:
    """A copy of the seed article folder to edit."""
    target = tmp_path / ARTICLE_ID
    shutil.copytree(SEEDS / ARTICLE_ID, target)
    return target


@pytest.fixture
def graphkg_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed ``graphkg`` console script."""
    script = Path(sys.executable).with_name("graphkg")

    def run(
        *args: str | Path, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), *map(str, args)],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=300,
        )

    return run


@pytest.fixture(scope="session")
def remote_seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A remote store holding the seeds, built through graphkg, as the settings that
    reach it; read it, never change it.

    A real ``oxigraph serve`` on 127.0.0.1, or the store that the ``TEST_STORE*``
    variables name (``make test-virtuoso``).
    """
    given = {
        field: os.environ[name]
        for field, name in REMOTE_STORE_VARIABLES.items()
        if name in os.environ
    }
    server = (
        nullcontext(given.get("store"))
        if given
        else oxigraph_serve(tmp_path_factory.mktemp("remote"))
    )
    with server as url:
        fields = {**given, "store": url}
        build_store(open_store(Settings(**fields, base=BASE), writer=True), SEEDS)  # type: ignore[arg-type]
        # Cached answers and ETags change with each period of remote_cache_seconds:
        # a period long enough that no test's repeated request falls across two.
        yield {**fields, "remote_cache_seconds": 3600.0}


def backend_store(request: pytest.FixtureRequest) -> dict[str, object]:
    """The settings that reach the seeds on the backend a fixture is parametrised with."""
    if request.param == "remote":
        return request.getfixturevalue("remote_seed_store")
    return {"store": request.getfixturevalue("built_store_dir")}


@pytest.fixture(scope="session", params=BACKENDS)
def app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The real app over the seeds on each backend, with two query worker processes."""
    from graphkg.server import create_app

    application = create_app(Settings(**backend_store(request), workers=2, result_cap=50))
    yield application
    application.extensions["graphkg"].pool.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def killed_at(
    graphkg_cli: Callable[..., subprocess.CompletedProcess[str]],
) -> Callable[..., None]:
    """Run a real ``graphkg`` command that SIGKILLs itself at a named write step.

    Write paths name their steps with :func:`graphkg.faults.step_reached`; a
    command that never reaches the step fails the test.
    """

    def run(step: str, *args: str | Path) -> None:
        assert step in WRITE_STEPS
        result = graphkg_cli(*args, env={KILL_AT_VARIABLE: step})
        assert result.returncode == -signal.SIGKILL, (
            f"not killed at {step}: exit {result.returncode}\n{result.stderr}"
        )

    return run


def write_article(folder: Path, article_id: str, sentence: str, entities: str) -> Path:
    """A small article of the tests' own, with its fact file; returns the fact file."""
    (folder / article_id).mkdir(parents=True, exist_ok=True)
    (folder / article_id / "article.txt").write_text(f"{sentence}\n", encoding="utf-8")
    facts = folder / article_id / "facts.yaml"
    facts.write_text(
        f"article:\n  id: {article_id}\n  file: article.txt\n  title: {article_id}\n"
        f"  language: en\nentities:\n{entities}",
        encoding="utf-8",
    )
    return facts


def plain(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> object:
    """A plain value for an RDF term: short IRI, int, bool or str; None if unbound."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(ID):
            return term.value[len(ID) :]
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return term.value
    if isinstance(term, ox.Literal):
        if term.datatype.value in INTEGER_TYPES:
            return int(term.value)
        if term.datatype.value == f"{XSD}boolean":
            return term.value == "true"
        return term.value
    raise AssertionError(f"unexpected blank node {term} in a named query's answer")


def run(kg: KnowledgeGraph, name: str, **params: str) -> tuple[tuple[str, ...], list[tuple]]:
    """The columns and the rows (in the query's order) of a named SELECT query."""
    query = NAMED_QUERIES[name]
    solutions = kg.query(query.sparql, substitutions=query.substitutions(params))
    assert isinstance(solutions, ox.QuerySolutions)
    variables = solutions.variables
    rows = [tuple(plain(solution[v]) for v in variables) for solution in solutions]
    return tuple(v.value for v in variables), rows


@contextmanager
def store_built_from(
    tmp_path_factory: pytest.TempPathFactory, folder: Path, backend: str
) -> Iterator[KnowledgeGraph]:
    """A reader of a store built from the fact files under ``folder`` alone (no seeds), on
    ``backend``: an embedded store, or a fresh ``oxigraph serve`` of its own."""
    path = tmp_path_factory.mktemp(folder.name) / "store"
    server = oxigraph_serve(path) if backend == "remote" else nullcontext(path)
    with server as store:
        settings = Settings(store=store, base=BASE)
        build_store(open_store(settings, writer=True), folder)
        yield open_store(settings)


def fact_file_variant(article: Path, into: Path, old: str, new: str) -> Path:
    """A copy of ``article``'s folder in ``into`` whose facts.yaml has ``old`` (once) as ``new``."""
    copy = into / article.name
    shutil.copytree(article, copy)
    facts = copy / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    facts.write_text(text.replace(old, new), encoding="utf-8")
    return facts


def violations(report: ValidationReport) -> set[tuple[str | None, str]]:
    """(fact, shape) of each violation, the shape without its constraint component."""
    return {
        (problem.fact, problem.rule.split(" ", 1)[0])
        for problem in report.problems
        if problem.severity == "violation"
    }


def line_of(path: Path, needle: str) -> int:
    """The number of the first line of ``path`` that holds ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (for a server the test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


OXIGRAPH = Path(sys.executable).with_name("oxigraph")
"""Oxigraph server, from the ``oxigraph`` package: the tests' remote SPARQL 1.1 store."""


@contextmanager
def serving(
    store: Path | str, *flags: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``graphkg serve`` on a free port of 127.0.0.1, until the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("graphkg")),
            "--store",
            str(store),
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            *flags,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "GRAPHKG_QUERY_TIMEOUT": "20", **(env or {})},
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    root = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_up(f"{root}/health", seconds=30)
        except AssertionError:
            process.kill()
            assert process.stdout is not None
            raise AssertionError(
                f"graphkg serve did not start:\n{process.stdout.read().decode()}"
            ) from None
        yield root, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(10)
        assert process.stdout is not None
        process.stdout.close()


def wait_until_up(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 (a local test server)
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{url} did not come up")


@contextmanager
def oxigraph_serve(location: Path) -> Iterator[str]:
    """A fresh ``oxigraph serve`` on 127.0.0.1 whose default graph is the union."""
    port = free_port()
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph", "--timeout-s", str(ORPHAN_QUERY_SECONDS)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/query?query=ASK%7B%7D")
        yield url
    finally:
        process.terminate()
        process.wait(10)


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
"""A YAML file of 81 aliases that would expand to 9**9 values."""


# -- writes over HTTP ---------------------------------------------------------

STEWARD = "s" * 24
ADMIN = "a" * 24
TOKENS = (f"ann:{STEWARD}:steward", f"root:{ADMIN}:admin")
SENTENCE = "Anna Weber, an Azerbaijani, spoke in Baku."


def facts(article_id: str, quote: str = "Anna Weber, an Azerbaijani, spoke") -> str:
    """A small article with its text inline, declaring a person who references a stored state."""
    return (
        f"article:\n  id: {article_id}\n  text: |\n    {SENTENCE}\n"
        f"  title: {article_id}\n  language: en\n"
        f"entities:\n  - id: {article_id}-weber\n    type: Person\n    label: Anna Weber\n"
        f"    nationality: azerbaijan\n    evidence: [{quote!r}]\n"
    )


def yaml_post(token: str | None = STEWARD, **headers: str) -> dict[str, str]:
    sent = {"Content-Type": "application/yaml", **headers}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return sent


def holds(client: FlaskClient, article_id: str) -> bool:
    query = f"ASK {{ GRAPH <{BASE}graph/article/{article_id}> {{ ?s ?p ?o }} }}"
    answer = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 200
    return bool(answer.get_json()["boolean"])


@pytest.fixture(scope="module", params=BACKENDS)
def write_app(
    request: pytest.FixtureRequest,
    built_store_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Flask]:
    """The app with write tokens over a store of its own on each backend; the tests
    write distinct articles."""
    with own_seed_store(built_store_dir, tmp_path_factory.mktemp("writes"), request.param) as store:
        from graphkg.server import create_app

        app = create_app(Settings(store=store, workers=1, write_tokens=TOKENS))  # type: ignore[arg-type]
        yield app
        app.extensions["graphkg"].pool.close()
        app.extensions["graphkg"].writes.close()
