"""Search: ``/search`` and ``/search.json`` over labels, alternative labels and evidence
quotes, ranked; kept in step by every write, in proportion to what it changed, on both
store backends; rebuilt whole by ``graphkg reindex``; and what a crash leaves."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graphkg.errors import StoreError
from graphkg.search import (
    Entries,
    SearchIndex,
    embedded_index_path,
    open_for_reading,
    read_all,
    read_roots,
    remote_index_path,
    search_expression,
)
from graphkg.settings import Settings
from graphkg.store import latest_checkpoint, open_store
from graphkg.writer import Writer, WriteRequest

from conftest import ADMIN, BASE, ID, STEWARD, facts, yaml_post

Cli = Callable[..., subprocess.CompletedProcess[str]]
UPDATE = "application/sparql-update"


@pytest.fixture
def client(write_app: Flask) -> FlaskClient:
    return write_app.test_client()


def hits(client: FlaskClient, q: str, **args: str) -> list[dict[str, object]]:
    answer = client.get("/search.json", query_string={"q": q, **args})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    found: list[dict[str, object]] = answer.get_json()["hits"]
    return found


def iris(client: FlaskClient, q: str, **args: str) -> list[str]:
    return [str(hit["iri"]) for hit in hits(client, q, **args)]


def named(article_id: str, label: str, quote: str = "Anna Weber, an Azerbaijani, spoke") -> str:
    """A small article (see conftest's ``facts``) whose person is called ``label``."""
    return facts(article_id, quote).replace("label: Anna Weber", f"label: {label}")


def person(article_id: str) -> str:
    return f"{ID}person/{article_id}-weber"


def add(client: FlaskClient, article_id: str, label: str) -> None:
    answer = client.post("/facts", data=named(article_id, label), headers=yaml_post())
    assert answer.status_code == 201, answer.get_data(as_text=True)


# -- finding the seed's entities ------------------------------------------------


def test_a_label_finds_its_entity_first(client: FlaskClient) -> None:
    found = hits(client, "Russia")
    assert found[0]["iri"] == f"{ID}state/russia"
    assert found[0]["class"] == "gkg:State" and found[0]["kind"] == "label"
    # Quotes that mention Russia come after the names that are it or begin with it.
    kinds = [hit["kind"] for hit in found]
    assert kinds.index("quote") > kinds.index("label")


def test_a_quoted_phrase_finds_the_facts_whose_evidence_says_it_in_that_order(
    client: FlaskClient,
) -> None:
    found = hits(client, '"summoned Pyotr Volokovykh"')
    assert found and all(hit["kind"] == "quote" for hit in found)
    for hit in found:
        snippet, spans = str(hit["snippet"]), hit["highlights"]
        assert "summoned Pyotr Volokovykh" in snippet
        assert [snippet[start:end] for start, end in spans] == ["summoned Pyotr Volokovykh"]  # type: ignore[attr-defined, misc]
    assert hits(client, '"Volokovykh summoned Pyotr"') == []
    # The same words unquoted match wherever they are, and the person by name first.
    assert iris(client, "Volokovykh summoned")[0] in {str(hit["iri"]) for hit in found}


def test_an_alternative_label_finds_its_entity(client: FlaskClient) -> None:
    found = hits(client, "Government of the Russian Federation")
    assert found[0]["iri"] == f"{ID}organization/ru-government"
    assert found[0]["kind"] == "altLabel" and found[0]["label"] == "Russian government"
    assert found[0]["graph"] == f"{BASE}graph/world"


def test_the_last_term_matches_as_the_start_of_a_word_until_a_space_ends_it(
    client: FlaskClient,
) -> None:
    assert iris(client, "Pyotr Voloko")[0] == f"{ID}person/pyotr-volokovykh"
    assert iris(client, "Pyotr Voloko ") == []
    assert iris(client, "Voloko Pyotr") == []  # only the last term is a prefix


def test_a_whole_word_ranks_above_a_longer_one_it_begins(client: FlaskClient) -> None:
    found = iris(client, "Azerbaijan")
    assert found[0] == f"{ID}state/azerbaijan"


def test_class_keeps_the_hits_of_one_class_as_a_curie_or_an_iri(client: FlaskClient) -> None:
    assert iris(client, "Russia", **{"class": "gkg:State"}) == [f"{ID}state/russia"]
    iri = "https://w3id.org/graphkg/ontology#State"
    assert iris(client, "Russia", **{"class": iri}) == [f"{ID}state/russia"]
    # Superclasses count: a ministry is an organization.
    ministries = iris(client, "ministry", **{"class": "gkg:Organization"})
    assert f"{ID}organization/az-culture-ministry" in ministries


def test_the_json_twin_gives_each_hit_its_iri_label_class_snippet_and_page(
    client: FlaskClient,
) -> None:
    answer = client.get("/search.json", query_string={"q": "Zakharova", "limit": "3"})
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["query"] == "Zakharova" and body["class"] is None
    assert 0 < len(body["hits"]) <= 3
    first = body["hits"][0]
    assert set(first) == {
        "iri",
        "label",
        "class",
        "classes",
        "kind",
        "graph",
        "snippet",
        "highlights",
        "url",
    }
    assert first["iri"] == f"{ID}person/maria-zakharova" and first["label"] == "Maria Zakharova"
    assert first["class"] == first["classes"][0] and "gkg:Person" in first["classes"]
    assert first["url"] == "/id/person/maria-zakharova"
    assert client.get(first["url"]).status_code == 200
    start, end = first["highlights"][0]
    assert first["snippet"][start:end] == "Zakharova"
    assert 'rel="alternate"; type="text/html"' in answer.headers["Link"]
    by_accept = client.get(
        "/search", query_string={"q": "Zakharova"}, headers={"Accept": "application/json"}
    )
    assert by_accept.get_json()["hits"] == client.get("/search.json?q=Zakharova").get_json()["hits"]


def test_no_words_is_no_hits_and_the_page_shows_the_form(client: FlaskClient) -> None:
    assert hits(client, "") == [] and hits(client, '" * :') == []
    page = client.get("/search")
    assert page.status_code == 200 and 'name="q"' in page.get_data(as_text=True)


def test_the_page_links_each_hit_and_marks_what_matched(client: FlaskClient) -> None:
    page = client.get("/search?q=Zakharova", headers={"Accept": "text/html"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert 'href="/id/person/maria-zakharova"' in html and "<mark>Zakharova</mark>" in html
    assert "Content-Security-Policy" in page.headers


def test_every_page_has_a_search_box(client: FlaskClient) -> None:
    for path in ("/", "/queries", "/history", "/id/state/russia"):
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert 'action="/search"' in html and 'name="q"' in html, path


def test_the_page_escapes_the_data_the_query_and_the_snippet(client: FlaskClient) -> None:
    add(client, "search-escape", '"Quinn <i>Zorath</i> \ue000x\ue001"')
    html = client.get("/search?q=Zorath", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "&lt;i&gt;<mark>Zorath</mark>&lt;/i&gt;" in html and "<i>" not in html
    hit = hits(client, "Zorath")[0]
    assert hit["snippet"] == "Quinn <i>Zorath</i> x", "marker characters in data are dropped"
    echoed = client.get("/search?q=<script>alert(1)</script>", headers={"Accept": "text/html"})
    assert "<script>alert" not in echoed.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in echoed.get_data(as_text=True)


# -- in step with every write -----------------------------------------------------


def test_an_added_article_is_found_and_a_removed_one_is_not(client: FlaskClient) -> None:
    add(client, "search-added", "Ximena Quorrl")
    found = hits(client, "Ximena Quorrl")
    assert [hit["iri"] for hit in found] == [person("search-added")]
    assert found[0]["class"] == "gkg:Person" and found[0]["kind"] == "label"
    assert found[0]["graph"] == f"{BASE}graph/entities"  # where an article declares it
    answer = client.delete("/facts/search-added", headers=yaml_post())
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert hits(client, "Ximena Quorrl") == []
    assert person("search-added") not in iris(client, "Anna Weber spoke")


def test_a_changed_article_is_found_by_its_new_label_only(client: FlaskClient) -> None:
    add(client, "search-changed", "Yolanda Brisk")
    add(client, "search-changed", "Yolanda Thrane")
    assert iris(client, "Yolanda") == [person("search-changed")]
    assert hits(client, "Yolanda")[0]["label"] == "Yolanda Thrane"
    assert hits(client, "Brisk") == []


def test_a_sparql_update_of_a_label_is_found_by_the_new_label_not_the_old(
    client: FlaskClient,
) -> None:
    add(client, "search-update", "Wilhelmina Oduya")
    graph = f"<{BASE}graph/entities>"  # an admin's to write
    text = (
        f"DELETE {{ GRAPH {graph} {{ ?p rdfs:label ?old }} }} "
        f"INSERT {{ GRAPH {graph} {{ ?p rdfs:label 'Wilhelmina Okafor'@en }} }} "
        f"WHERE {{ GRAPH {graph} {{ ?p rdfs:label ?old FILTER(STR(?old) = 'Wilhelmina Oduya') }} }}"
    )
    answer = client.post(
        "/update",
        data=text,
        content_type=UPDATE,
        headers={"Authorization": f"Bearer {ADMIN}", "Accept": "application/json"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["changed"]
    assert iris(client, "Okafor") == [person("search-update")]
    assert hits(client, "Okafor")[0]["label"] == "Wilhelmina Okafor"
    assert hits(client, "Oduya") == []


def test_a_graph_store_put_is_followed_too(client: FlaskClient) -> None:
    graph = f"{BASE}graph/world-extra"
    body = f'<{ID}state/russia> <http://www.w3.org/2004/02/skos/core#altLabel> "Rossiya" .\n'
    answer = client.put(
        "/rdf-graphs/service",
        query_string={"graph": graph},
        data=body,
        content_type="application/n-triples",
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert answer.status_code in (201, 204), answer.get_data(as_text=True)
    found = hits(client, "Rossiya")
    assert [(hit["iri"], hit["kind"], hit["graph"]) for hit in found] == [
        (f"{ID}state/russia", "altLabel", graph)
    ]
    answer = client.delete(
        "/rdf-graphs/service",
        query_string={"graph": graph},
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert answer.status_code == 204, answer.get_data(as_text=True)
    assert hits(client, "Rossiya") == []


def test_a_refused_write_leaves_the_results_as_they_were(client: FlaskClient) -> None:
    before = client.get("/search.json?q=Azerbaijani").get_json()
    refused = client.post(
        "/facts",
        data=named("search-refused", "Valentin Krusk", quote="words the article never says"),
        headers=yaml_post(),
    )
    assert refused.status_code == 422
    assert hits(client, "Valentin Krusk") == []
    graph = f"<{BASE}graph/article/azerbaijan-halts-russian-events>"
    update = client.post(
        "/update",
        data=f"DELETE WHERE {{ GRAPH {graph} {{ ?a gkg:text ?text }} }}",
        content_type=UPDATE,
        headers={"Authorization": f"Bearer {STEWARD}", "Accept": "application/json"},
    )
    assert update.status_code == 422
    assert client.get("/search.json?q=Azerbaijani").get_json() == before


# -- the index itself ---------------------------------------------------------------


@pytest.fixture
def writer(seed_store: Path | str) -> Iterator[Writer]:
    """The store's writer (which makes the seed store's index as it opens)."""
    writer = Writer(Settings(store=seed_store, base=BASE))  # type: ignore[arg-type]
    yield writer
    writer.close()


def index_file(store: Path | str) -> Path:
    if isinstance(store, Path):
        return embedded_index_path(store)
    return remote_index_path(Settings(store=store, base=BASE))


def contents(store: Path | str, checkpoint: int | None = None) -> Entries:
    """What the index holds at a checkpoint (default: its newest rows)."""
    index = SearchIndex.reading(index_file(store), at=checkpoint)
    try:
        return index.contents()
    finally:
        index.close()


def rowids(store: Path | str) -> dict[tuple[str, str, str], int]:
    """The newest rows' ids, by what they hold."""
    with sqlite3.connect(f"file:{index_file(store)}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT iri, kind, COALESCE(label, alt, quote), id FROM texts WHERE until IS NULL"
        )
        return {(iri, kind, text): rowid for iri, kind, text, rowid in rows}


def every_text(store: Path) -> list[str]:
    """Every text of the index's rows, of any checkpoint."""
    with sqlite3.connect(f"file:{index_file(store)}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT COALESCE(label, alt, quote) FROM texts")]


def write_facts(writer: Writer, folder: Path, article_id: str, label: str) -> None:
    path = folder / article_id / "facts.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(named(article_id, label), encoding="utf-8")
    outcome = writer.add_paths([path], WriteRequest("test", "admin"))
    assert outcome.status == 201, outcome.error or outcome.body


def test_writes_keep_the_index_equal_to_one_rebuilt_from_the_store(
    writer: Writer, seed_store: Path | str, tmp_path: Path
) -> None:
    write_facts(writer, tmp_path, "index-one", "Tobiah Wrenn")
    write_facts(writer, tmp_path, "index-two", "Sabine Ortolan")
    write_facts(writer, tmp_path, "index-one", "Tobiah Wrennfield")
    assert writer.remove("index-two", WriteRequest("test", "admin")).status == 200
    kept = contents(seed_store)
    assert any(t.text == "Tobiah Wrennfield" for t in kept.texts)
    assert not any("Ortolan" in t.text or t.text == "Tobiah Wrenn" for t in kept.texts)
    rebuilt = read_all(open_store(Settings(store=seed_store, base=BASE)))  # type: ignore[arg-type]
    assert kept == rebuilt


def test_reading_roots_one_by_one_gives_what_reading_the_whole_store_does(
    embedded_seed_graph: object,
) -> None:
    whole = read_all(embedded_seed_graph)  # type: ignore[arg-type]
    assert len(whole.texts) > 100
    assert {t.kind for t in whole.texts} == {"label", "altLabel", "quote"}
    assert read_roots(embedded_seed_graph, {e.iri for e in whole.entities}) == whole  # type: ignore[arg-type]


def test_a_write_changes_only_the_rows_of_what_it_touched(
    writer: Writer, seed_store: Path | str, tmp_path: Path
) -> None:
    before = rowids(seed_store)
    write_facts(writer, tmp_path, "index-rows", "Perpetua Vance")
    after = rowids(seed_store)
    added = set(after) - set(before)
    assert {key[:2] for key in added} == {
        (person("index-rows"), "label"),
        (person("index-rows"), "quote"),
    } | {(f"{ID}article/index-rows", "label")}
    # Rows it did not touch keep their ids: the index was changed, not rebuilt.
    assert {key: after[key] for key in before} == before
    assert min(after[key] for key in added) > max(before.values())


def test_graphkg_reindex_rebuilds_an_index_that_answers_the_same(
    writer: Writer, seed_store: Path | str, tmp_path: Path, graphkg_cli: Cli
) -> None:
    write_facts(writer, tmp_path, "index-re", "Ottoline Marsh")
    kept = contents(seed_store)
    settings = Settings(store=seed_store, base=BASE)  # type: ignore[arg-type]
    version = (open_store(settings).version() or "") if isinstance(seed_store, str) else ""
    writer.close()
    index_file(seed_store).unlink()
    result = graphkg_cli("--store", seed_store, "reindex")
    assert result.returncode == 0, result.stderr
    assert "reindexed" in result.stdout and f"{len(kept.texts)} texts" in result.stdout
    assert contents(seed_store) == kept
    name = latest_checkpoint(seed_store).name if isinstance(seed_store, Path) else version  # type: ignore[union-attr]
    index = open_for_reading(settings, name)
    try:
        expression = search_expression("Ottoline")
        assert expression is not None
        assert [hit.iri for hit in index.search(expression)] == [person("index-re")]
    finally:
        index.close()


def fts_problems(store: Path | str) -> str | None:
    """What SQLite's check of the full-text index against its rows finds, if anything."""
    with sqlite3.connect(index_file(store)) as db:
        try:
            db.execute("INSERT INTO texts_fts(texts_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as error:
            return str(error)
    return None


def test_a_rebuilt_index_is_whole_and_the_writes_after_it_keep_it_whole(
    writer: Writer, seed_store: Path | str, tmp_path: Path
) -> None:
    """A rebuild makes the full-text index from the rows in one pass, without the
    triggers that follow each row; they are back for the writes after it."""
    write_facts(writer, tmp_path, "index-fill", "Ottoline Marsh")
    assert writer.reindex() > 0
    assert fts_problems(seed_store) is None
    write_facts(writer, tmp_path, "index-after", "Perpetua Lindqvist")
    write_facts(writer, tmp_path, "index-fill", "Ottoline Marshfield")
    assert writer.remove("index-after", WriteRequest("test", "admin")).status == 200
    assert fts_problems(seed_store) is None
    kept = contents(seed_store)
    writer.reindex()
    assert contents(seed_store) == kept


def test_reindex_while_a_server_holds_the_store_says_to_stop_it(
    seed_store: Path | str, graphkg_cli: Cli
) -> None:
    held = Writer(Settings(store=seed_store, base=BASE), server="http://127.0.0.1:9")  # type: ignore[arg-type]
    try:
        result = graphkg_cli("--store", seed_store, "reindex")
    finally:
        held.close()
    assert result.returncode == 1
    assert "the graphkg server at http://127.0.0.1:9" in result.stderr
    assert "stop it" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("seed_store", ["embedded"], indirect=True)  # a remote store has one
def test_each_kept_checkpoint_reads_its_own_rows_and_older_rows_are_pruned(
    writer: Writer, seed_store: Path, tmp_path: Path
) -> None:
    names = [f"Petronella Vask{'e' * number}" for number in range(4)]
    for name in names:
        write_facts(writer, tmp_path, "index-pruned", name)
    kept = sorted(int(p.name) for p in (seed_store / "checkpoints").iterdir() if p.name.isdigit())
    assert len(kept) == 3
    for checkpoint, name in zip(kept, names[1:], strict=True):
        labels = {t.text for t in contents(seed_store, checkpoint).texts if t.kind == "label"}
        assert name in labels and not labels & (set(names) - {name})
    # The first name held only for a checkpoint that is gone: its row is too.
    assert names[0] not in every_text(seed_store)
    assert every_text(seed_store).count(names[1]) == 1


# -- after a crash ---------------------------------------------------------------------


def fact_file(folder: Path, article_id: str, label: str) -> Path:
    path = folder / article_id / "facts.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(named(article_id, label), encoding="utf-8")
    return path


def labels_found(store: Path | str, text: str) -> list[str]:
    settings = Settings(store=store, base=BASE)  # type: ignore[arg-type]
    version = latest_checkpoint(store).name if isinstance(store, Path) else ""  # type: ignore[union-attr]
    index = open_for_reading(settings, version)
    try:
        expression = search_expression(text)
        assert expression is not None
        return [hit.label for hit in index.search(expression)]
    finally:
        index.close()


def test_an_add_killed_before_it_is_published_leaves_no_index_of_it(
    store_dir: Path, tmp_path: Path, killed_at: Callable[..., None]
) -> None:
    Writer(Settings(store=store_dir, base=BASE)).close()  # the seed's index, made as it opens
    before = contents(store_dir)
    killed_at(
        "indexed", "--store", store_dir, "add", fact_file(tmp_path, "crash-a", "Rosalind Crane")
    )
    assert "Rosalind Crane" in every_text(store_dir)  # indexed, not published
    assert labels_found(store_dir, "Rosalind") == []  # so no reader finds it
    Writer(Settings(store=store_dir, base=BASE)).close()
    assert "Rosalind Crane" not in every_text(store_dir)
    assert contents(store_dir) == before


def test_an_add_killed_once_published_is_found(
    store_dir: Path, tmp_path: Path, killed_at: Callable[..., None]
) -> None:
    killed_at(
        "published", "--store", store_dir, "add", fact_file(tmp_path, "crash-b", "Rosalind Heron")
    )
    assert labels_found(store_dir, "Rosalind") == ["Rosalind Heron"]


@pytest.mark.parametrize("seed_store", ["remote"], indirect=True)  # embedded: rolled back
def test_on_a_remote_store_an_add_killed_after_its_commit_is_indexed_by_the_next_writer(
    seed_store: str, tmp_path: Path, killed_at: Callable[..., None]
) -> None:
    Writer(Settings(store=seed_store, base=BASE)).close()
    killed_at(
        "committed", "--store", seed_store, "add", fact_file(tmp_path, "crash-c", "Rosalind Finch")
    )
    assert labels_found(seed_store, "Rosalind") == []  # the store has it; the index lags
    Writer(Settings(store=seed_store, base=BASE)).close()
    assert labels_found(seed_store, "Rosalind") == ["Rosalind Finch"]


def test_a_server_without_an_index_says_to_reindex_and_finds_once_it_has(
    store_dir: Path, graphkg_cli: Cli
) -> None:
    from graphkg.server import create_app

    app = create_app(Settings(store=store_dir, base=BASE, workers=1))
    try:
        client = app.test_client()
        answer = client.get("/search.json?q=Russia")
        assert answer.status_code == 503
        assert "graphkg reindex" in answer.get_json()["error"]
        result = graphkg_cli("--store", store_dir, "reindex")
        assert result.returncode == 0, result.stderr
        assert iris(client, "Russia")[0] == f"{ID}state/russia"
    finally:
        app.extensions["graphkg"].pool.close()


@pytest.mark.parametrize("seed_store", ["remote"], indirect=True)  # embedded: see above
def test_a_remote_store_without_an_index_says_to_reindex(seed_store: str) -> None:
    with pytest.raises(StoreError, match="graphkg reindex"):
        open_for_reading(Settings(store=seed_store, base=BASE), "")
