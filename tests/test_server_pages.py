"""The server's pages: linked data, named queries and the query page, through the real app.

The apps run over a store built from the seeds; the expected evidence spans
and texts are read from that store and from the seed article, and the
highlight segments are worked out here independently: the text is cut at
every quote start and end, and each piece that some quote covers is one
highlight (``<mark>``), so overlapping quotes give more marks than quotes.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

import graphkg.server
from graphkg.iri import article_graph_iri
from graphkg.namespaces import GKG, PREFIXES, SCHEMA
from graphkg.queries import load_named_queries
from graphkg.resources import resource_dir
from graphkg.server import create_app
from graphkg.server.pages import iri_href
from graphkg.server.resources import EvidenceSpan, Segment, highlight_segments
from graphkg.settings import Settings
from graphkg.store import KnowledgeGraph

from conftest import ARTICLE_ID, BACKENDS, BASE, SEEDS, backend_store

ID = f"{BASE}id/"
AZERBAIJAN = f"{ID}state/azerbaijan"
BAKU = f"{ID}place/baku"
ARTICLE = f"{ID}article/{ARTICLE_ID}"
ARTICLE_PATH = f"/id/article/{ARTICLE_ID}"
RAIDS = f"{ID}incident/yekaterinburg-raids"
TEXT = (SEEDS / ARTICLE_ID / "article.txt").read_text(encoding="utf-8")
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
RDFS_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8"
OA_EXACT = "http://www.w3.org/ns/oa#exact"
STATIC = Path(graphkg.server.__file__).parent / "static"
RDF_TWINS = {
    ".ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    ".nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ".jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    ".rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}


# -- fixtures ------------------------------------------------------------------


def close(app: Flask) -> None:
    app.extensions["graphkg"].pool.close()


@pytest.fixture(scope="module", params=BACKENDS)
def app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    app = create_app(Settings(**backend_store(request), workers=1))  # type: ignore[arg-type]
    yield app
    close(app)


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def public_client(built_store_dir: Path) -> Iterator[FlaskClient]:
    """A server for a public deployment: article texts are not served (its own workers)."""
    app = create_app(Settings(store=built_store_dir, workers=1, show_article_text=False))
    yield app.test_client()
    close(app)


@pytest.fixture(scope="module")
def capped_client(app: Flask, built_store_dir: Path) -> FlaskClient:
    settings = Settings(store=built_store_dir, workers=1, result_cap=2)
    return create_app(settings, query_pool=app.extensions["graphkg"].pool.address).test_client()


@pytest.fixture(scope="module")
def spans(seed_graph: KnowledgeGraph) -> list[EvidenceSpan]:
    """Every evidence quote of the seed article: its offsets and the fact it supports."""
    rows = seed_graph.query(
        """SELECT DISTINCT ?article ?fact ?start ?end WHERE {
             ?fact gkg:evidence ?evidence .
             ?evidence oa:hasSource ?article ; oa:hasSelector ?position .
             ?position oa:start ?start ; oa:end ?end .
           }""",
        substitutions={"article": ox.NamedNode(ARTICLE)},
    )
    assert isinstance(rows, ox.QuerySolutions)
    return [
        EvidenceSpan(int(row["start"].value), int(row["end"].value), row["fact"].value)
        for row in rows
    ]


def covered_pieces(length: int, spans: list[EvidenceSpan]) -> list[tuple[int, int, set[str]]]:
    """The text cut at every quote boundary: each piece some quote covers, with its facts."""
    cuts = sorted({0, length, *(s.start for s in spans), *(s.end for s in spans)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        facts = {s.fact for s in spans if s.start <= start and end <= s.end}
        if facts:
            pieces.append((start, end, facts))
    return pieces


def parse(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(body, format=fmt)}


def page_text(body: bytes) -> str:
    return html.unescape(body.decode("utf-8"))


MARK = re.compile(
    r'<span class="quote"><mark id="at-(\d+)"><a href="([^"]+)"[^>]*>(.*?)</a></mark>'
    r'(?:<sup class="also">((?:<a href="[^"]+"[^>]*>\d+</a> ?)+)</sup>)?'
    r'<span class="facts-popup"[^>]*>(.*?)</span></span>',
    re.DOTALL,
)


def marks(body: bytes) -> list[tuple[int, str, list[str]]]:
    """The highlights of an article page: start, text and every fact link, in order."""
    found = []
    for match in MARK.finditer(body.decode("utf-8")):
        also = re.findall(r'<a href="([^"]+)"', match.group(4) or "")
        found.append((int(match.group(1)), html.unescape(match.group(3)), [match.group(2), *also]))
    return found


def popups(body: bytes) -> list[list[str]]:
    """The fact links that each highlight's popup lists, in order."""
    return [
        re.findall(r'<a href="([^"]+)"', match.group(5))
        for match in MARK.finditer(body.decode("utf-8"))
    ]


# -- resource pages ------------------------------------------------------------


def test_state_page_shows_label_types_wikidata_link_and_incoming_links(
    client: FlaskClient,
) -> None:
    response = client.get("/id/state/azerbaijan", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "<h1>Azerbaijan</h1>" in body
    assert '<a href="/ontology#State"' in body
    assert 'href="https://www.wikidata.org/wiki/Q227"' in body
    assert '<a href="/id/place/baku" title="' + BAKU + '">Baku</a>' in body
    assert 'href="/ontology#locatedIn"' in body


@pytest.mark.parametrize("extension", sorted(RDF_TWINS))
def test_state_twin_by_extension_parses_and_holds_its_triples(
    client: FlaskClient, extension: str
) -> None:
    media_type, fmt = RDF_TWINS[extension]
    response = client.get(f"/id/state/azerbaijan{extension}")
    assert response.status_code == 200
    assert response.mimetype == media_type
    triples = parse(response.data, fmt)
    state = ox.NamedNode(AZERBAIJAN)
    assert ox.Triple(state, RDF_TYPE, ox.NamedNode(str(GKG.State))) in triples
    assert ox.Triple(state, RDFS_LABEL, ox.Literal("Azerbaijan", language="en")) in triples
    assert (
        ox.Triple(state, ox.NamedNode(str(SCHEMA.sameAs)), ox.NamedNode(PREFIXES["wd"] + "Q227"))
        in triples
    )
    incoming = ox.Triple(ox.NamedNode(BAKU), ox.NamedNode(str(GKG.locatedIn)), state)
    assert incoming in triples


def test_state_rdf_holds_the_world_knowledge_nested_under_it(client: FlaskClient) -> None:
    triples = parse(client.get("/id/state/azerbaijan.nt").data, ox.RdfFormat.N_TRIPLES)
    nested = {t.subject.value for t in triples if t.subject.value.startswith(AZERBAIJAN + "/")}
    assert nested
    assert all(
        ox.Triple(ox.NamedNode(node), RDF_TYPE, ox.NamedNode(str(GKG.WorldKnowledge))) in triples
        for node in nested
    )


def test_fact_rdf_holds_its_participation_and_evidence_nodes(client: FlaskClient) -> None:
    triples = parse(client.get("/id/incident/yekaterinburg-raids.ttl").data, ox.RdfFormat.TURTLE)
    subjects = {t.subject.value for t in triples}
    assert f"{RAIDS}/involves/1" in subjects
    assert f"{RAIDS}/evidence/1" in subjects
    assert f"{RAIDS}/evidence/1/position" in subjects


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/html;q=0.5, text/turtle;q=0.9", "text/turtle"),
        ("text/turtle;q=0.2, application/ld+json", "application/ld+json"),
        ("application/n-triples;q=0.4, text/html;q=0.6", "text/html"),
        ("application/rdf+xml", "application/rdf+xml"),
        (BROWSER, "text/html"),
    ],
)
def test_accept_header_picks_the_format_by_quality(
    client: FlaskClient, accept: str, media_type: str
) -> None:
    response = client.get("/id/state/azerbaijan", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.vary


def test_resource_names_no_acceptable_format_with_406(client: FlaskClient) -> None:
    response = client.get("/id/state/azerbaijan", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_resource_links_to_its_machine_readable_twins(client: FlaskClient) -> None:
    response = client.get("/id/state/azerbaijan")
    link = response.headers["Link"]
    for extension, (media_type, _) in RDF_TWINS.items():
        assert f'</id/state/azerbaijan{extension}>; rel="alternate"; type="{media_type}"' in link
        assert (
            f'<link rel="alternate" type="{media_type}" href="/id/state/azerbaijan{extension}">'
            in response.get_data(as_text=True)
        )


def test_unknown_iri_is_404_as_a_page_for_browsers(client: FlaskClient) -> None:
    response = client.get("/id/state/atlantis", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "atlantis" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/id/state/atlantis", "/id/state/atlantis.ttl"])
def test_unknown_iri_is_404_as_turtle_for_turtle_clients(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.mimetype == "text/turtle"
    assert parse(response.data, ox.RdfFormat.TURTLE) == set()


def test_iri_dereferences_whatever_host_the_server_listens_on(client: FlaskClient) -> None:
    local = client.get("/id/state/azerbaijan.nt")
    proxied = client.get("/id/state/azerbaijan.nt", base_url="https://kg.example.org:8443")
    assert parse(proxied.data, ox.RdfFormat.N_TRIPLES) == parse(local.data, ox.RdfFormat.N_TRIPLES)


def test_iri_dereferences_under_the_base_path_too(client: FlaskClient) -> None:
    local = client.get("/id/state/azerbaijan.nt")
    prefixed = client.get("/graphkg/id/state/azerbaijan.nt")
    assert prefixed.status_code == 200
    assert parse(prefixed.data, ox.RdfFormat.N_TRIPLES) == parse(local.data, ox.RdfFormat.N_TRIPLES)
    page = client.get("/graphkg/id/state/azerbaijan").get_data(as_text=True)
    assert 'href="/graphkg/id/place/baku"' in page


def test_resource_answers_304_when_its_etag_is_current(client: FlaskClient) -> None:
    first = client.get("/id/state/azerbaijan.ttl")
    etag = first.headers["ETag"]
    again = client.get("/id/state/azerbaijan.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag


def test_each_representation_has_its_own_etag(client: FlaskClient) -> None:
    turtle = client.get("/id/state/azerbaijan.ttl").headers["ETag"]
    page = client.get("/id/state/azerbaijan").headers["ETag"]
    assert turtle != page
    stale = client.get("/id/state/azerbaijan", headers={"If-None-Match": turtle})
    assert stale.status_code == 200


def test_fact_page_links_each_evidence_quote_to_its_highlight(
    client: FlaskClient, spans: list[EvidenceSpan]
) -> None:
    body = client.get("/id/incident/yekaterinburg-raids").get_data(as_text=True)
    article = client.get(ARTICLE_PATH).get_data(as_text=True)
    own = [s for s in spans if s.fact == RAIDS]
    assert own
    for span in own:
        assert f'href="{ARTICLE_PATH}#at-{span.start}"' in body
        assert html.escape(TEXT[span.start : span.end], quote=False) in body
        assert f'id="at-{span.start}"' in article


# -- article pages ------------------------------------------------------------


def test_article_page_highlights_every_piece_of_quoted_text(
    client: FlaskClient, spans: list[EvidenceSpan]
) -> None:
    found = marks(client.get(ARTICLE_PATH).data)
    expected = covered_pieces(len(TEXT), spans)
    assert len(spans) > len({(s.start, s.end) for s in spans}) > 0
    assert [(start, text) for start, text, _ in found] == [
        (start, TEXT[start:end]) for start, end, _ in expected
    ]


def test_overlapping_quotes_link_their_text_to_every_fact_they_support(
    client: FlaskClient, spans: list[EvidenceSpan]
) -> None:
    found = marks(client.get(ARTICLE_PATH).data)
    expected = covered_pieces(len(TEXT), spans)
    assert any(len(facts) > 1 for _, _, facts in expected)
    for (_, _, links), (_, _, facts) in zip(found, expected, strict=True):
        assert sorted(links) == sorted("/id/" + fact[len(ID) :] for fact in facts)
    for (_, _, links), listed in zip(found, popups(client.get(ARTICLE_PATH).data), strict=True):
        assert listed == links


def test_article_text_between_quotes_is_shown_unmarked(client: FlaskClient) -> None:
    body = page_text(client.get(ARTICLE_PATH).data)
    # What a reader sees: the facts' popups are hidden until a quote is hovered or focused.
    shown = re.sub(
        r'<span class="facts-popup".*?</span></span>|<sup class="also">.*?</sup>', "", body
    )
    stripped = re.sub(r"<[^>]+>", "", shown)
    assert TEXT.split("\n")[0][:60] in stripped


def test_public_server_leaves_out_the_text_between_quotes(
    public_client: FlaskClient, spans: list[EvidenceSpan]
) -> None:
    cuts = sorted({0, len(TEXT), *(s.start for s in spans), *(s.end for s in spans)})
    uncovered = [
        TEXT[a:b].strip()
        for a, b in zip(cuts, cuts[1:], strict=False)
        if not any(s.start <= a and b <= s.end for s in spans)
    ]
    longest = max(uncovered, key=len)
    assert len(longest) > 40
    body = page_text(public_client.get(ARTICLE_PATH).data)
    assert longest not in body
    assert "<mark" not in body
    for span in spans:
        assert TEXT[span.start : span.end] in body


def test_public_server_leaves_the_text_out_of_the_article_rdf(
    public_client: FlaskClient, client: FlaskClient
) -> None:
    def texts(c: FlaskClient) -> list[ox.Triple]:
        triples = parse(c.get(f"{ARTICLE_PATH}.nt").data, ox.RdfFormat.N_TRIPLES)
        return [t for t in triples if t.predicate.value == str(GKG.text)]

    assert texts(client)
    assert texts(public_client) == []


def _served(c: FlaskClient, path: str, fmt: ox.RdfFormat, predicate: str) -> list[ox.Triple]:
    response = c.get(path, headers={"Accept": fmt.media_type})
    assert response.status_code == 200, path
    return [t for t in parse(response.data, fmt) if t.predicate.value == predicate]


def test_public_server_serves_the_text_to_no_query_graph_or_dump(
    public_client: FlaskClient, client: FlaskClient
) -> None:
    """Turning the text off closes every way to it, not only the article page."""
    texts = f"SELECT ?text WHERE {{ ?article <{GKG.text}> ?text }}"
    graph = f"/rdf-graphs/service?graph={quote(article_graph_iri(BASE, ARTICLE_ID), safe='')}"
    for c, served in ((client, True), (public_client, False)):
        rows = c.get("/sparql", query_string={"query": texts, "format": "json"}).get_json()
        assert bool(rows["results"]["bindings"]) is served
        assert bool(_served(c, "/dump.nq", ox.RdfFormat.N_QUADS, str(GKG.text))) is served
        assert bool(_served(c, graph, ox.RdfFormat.N_TRIPLES, str(GKG.text))) is served
        assert _served(c, "/dump.nq", ox.RdfFormat.N_QUADS, OA_EXACT)  # the quoted evidence


def test_highlight_segments_split_overlapping_quotes() -> None:
    spans = [EvidenceSpan(0, 10, "a"), EvidenceSpan(5, 15, "b"), EvidenceSpan(6, 8, "c")]
    assert highlight_segments(20, spans) == [
        Segment(0, 5, ("a",)),
        Segment(5, 6, ("a", "b")),
        Segment(6, 8, ("c", "a", "b")),
        Segment(8, 10, ("a", "b")),
        Segment(10, 15, ("b",)),
        Segment(15, 20, ()),
    ]


def test_highlight_segments_leave_out_spans_outside_the_text() -> None:
    assert highlight_segments(4, [EvidenceSpan(2, 9, "a"), EvidenceSpan(3, 3, "b")]) == [
        Segment(0, 4, ())
    ]


# -- graphs and the ontology ------------------------------------------------------


def test_graph_iri_gives_its_triple_count_and_a_link_to_the_graph_store(
    client: FlaskClient, seed_graph: KnowledgeGraph
) -> None:
    graph = f"{BASE}graph/article/{ARTICLE_ID}"
    count = seed_graph.stats().triples_per_graph[graph]
    body = client.get(f"/graph/article/{ARTICLE_ID}").get_data(as_text=True)
    assert f"<strong>{count}</strong>" in body
    assert f'href="/rdf-graphs/service?graph={quote(graph, safe="")}"' in body
    assert f'href="{ARTICLE_PATH}"' in body
    triples = parse(client.get(f"/graph/article/{ARTICLE_ID}.ttl").data, ox.RdfFormat.TURTLE)
    void_triples = ox.NamedNode("http://rdfs.org/ns/void#triples")
    assert [t.object.value for t in triples if t.predicate == void_triples] == [str(count)]


def test_ontology_page_lists_classes_and_properties_with_labels_and_definitions(
    client: FlaskClient,
) -> None:
    body = client.get("/ontology").get_data(as_text=True)
    assert '<tr id="State">' in body
    assert '<tr id="locatedIn">' in body
    assert '<h3 id="IncidentKinds">' in body
    ontology = parse(client.get("/ontology.nt").data, ox.RdfFormat.N_TRIPLES)
    definition = next(
        t.object.value
        for t in ontology
        if t.subject.value == str(GKG.State)
        and t.predicate.value == PREFIXES["skos"] + "definition"
    )
    assert html.escape(definition) in body


def test_concept_iri_dereferences_under_the_default_base(client: FlaskClient) -> None:
    page = client.get("/incident-kind/raid").get_data(as_text=True)
    assert "<h1>raid</h1>" in page
    triples = parse(client.get("/incident-kind/raid.ttl").data, ox.RdfFormat.TURTLE)
    raid = ox.NamedNode("https://w3id.org/graphkg/incident-kind/raid")
    assert ox.Triple(raid, RDF_TYPE, ox.NamedNode(str(GKG.IncidentKind))) in triples


def test_only_http_iris_become_links(app: Flask) -> None:
    with app.test_request_context("/"):
        assert iri_href("javascript:alert(1)") == (None, False)
        assert iri_href(AZERBAIJAN) == ("/id/state/azerbaijan", False)
        assert iri_href("https://example.org/x") == ("https://example.org/x", True)


# -- named queries --------------------------------------------------------------


def test_queries_page_lists_every_query_file(client: FlaskClient) -> None:
    body = client.get("/queries").get_data(as_text=True)
    files = sorted(resource_dir("queries").glob("*.rq"))
    assert files
    for path in files:
        assert f'href="/queries/{path.stem}"' in body
        assert html.escape(load_named_queries()[path.stem].title) in body


def test_queries_json_lists_every_query_with_its_parameters(client: FlaskClient) -> None:
    data = client.get("/queries.json").get_json()
    queries = load_named_queries()
    assert [q["name"] for q in data["queries"]] == list(queries)
    timeline = next(q for q in data["queries"] if q["name"] == "timeline")
    assert [p["name"] for p in timeline["parameters"]] == [
        p.name for p in queries["timeline"].parameters
    ]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/queries/timeline.json?since=yesterday", "since"),
        ("/queries/responses.csv?actor=not%20an%20iri", "actor"),
        ("/queries/timeline?since=2025-13-45", "since"),
    ],
)
def test_named_query_with_a_wrong_typed_parameter_is_400_naming_it(
    client: FlaskClient, path: str, parameter: str
) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert f"parameter {parameter!r}" in page_text(response.data)


def test_named_query_with_an_unknown_parameter_is_400(client: FlaskClient) -> None:
    response = client.get("/queries/responses.json?colour=blue")
    assert response.status_code == 400
    assert "colour" in response.get_json()["error"]


def test_unknown_named_query_is_404(client: FlaskClient) -> None:
    assert client.get("/queries/no-such-query").status_code == 404


def test_named_query_json_twin_is_sparql_results(
    client: FlaskClient, seed_graph: KnowledgeGraph
) -> None:
    response = client.get("/queries/responses.json")
    assert response.mimetype == "application/sparql-results+json"
    data = response.get_json()
    expected = seed_graph.query(load_named_queries()["responses"].sparql)
    assert isinstance(expected, ox.QuerySolutions)
    assert data["head"]["vars"] == [v.value for v in expected.variables]
    assert len(data["results"]["bindings"]) == len(list(expected))


def test_named_query_csv_twin_has_a_header_and_every_row(
    client: FlaskClient, seed_graph: KnowledgeGraph
) -> None:
    response = client.get("/queries/responses.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    expected = seed_graph.query(load_named_queries()["responses"].sparql)
    assert isinstance(expected, ox.QuerySolutions)
    assert rows[0] == [v.value for v in expected.variables]
    assert len(rows) - 1 == len(list(expected))


def test_named_query_answers_json_by_accept(client: FlaskClient) -> None:
    response = client.get("/queries/responses", headers={"Accept": "application/json"})
    assert response.mimetype == "application/sparql-results+json"


def test_named_query_binds_its_parameter_as_a_term(client: FlaskClient) -> None:
    actor = f"{ID}organization/azerbaijani-officials"
    data = client.get(f"/queries/responses.json?actor={quote(actor, safe='')}").get_json()
    rows = data["results"]["bindings"]
    assert rows
    assert {row["actor"]["value"] for row in rows} == {actor}


def test_named_query_page_has_a_form_with_defaults_and_a_linked_table(
    client: FlaskClient,
) -> None:
    response = client.get("/queries/evidence")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="fact" type="text" value="{RAIDS}"' in body
    assert '<table class="results">' in body
    assert 'href="/id/incident/yekaterinburg-raids"' in body
    link = response.headers["Link"]
    assert '</queries/evidence.json>; rel="alternate"' in link
    assert '</queries/evidence.csv>; rel="alternate"; type="text/csv"' in link


def test_construct_named_query_json_twin_is_json_ld(client: FlaskClient) -> None:
    response = client.get("/queries/fact-card.json")
    assert response.mimetype == "application/ld+json"
    triples = parse(response.data, ox.RdfFormat.JSON_LD)
    assert ox.Triple(ox.NamedNode(RAIDS), RDF_TYPE, ox.NamedNode(str(GKG.Incident))) in triples


def test_named_query_page_notes_partial_results(capped_client: FlaskClient) -> None:
    body = capped_client.get("/queries/responses").get_data(as_text=True)
    assert "Partial results" in body
    assert "<p>2 rows</p>" in body


def _table_rows(body: str) -> list[str]:
    table = re.search(r"<tbody>(.*?)</tbody>", body, re.DOTALL)
    assert table is not None
    return re.findall(r"<tr>.*?</tr>", table.group(1), re.DOTALL)


def test_named_query_page_shows_the_answer_a_page_at_a_time(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graphkg.server.named_queries, "PAGE_ROWS", 3)
    every = client.get("/queries/responses.json").get_json()["results"]["bindings"]
    assert len(every) > 3
    pages: list[list[str]] = []
    path: str | None = "/queries/responses"
    while path is not None:
        body = client.get(path).get_data(as_text=True)
        pages.append(_table_rows(body))
        first = 3 * (len(pages) - 1) + 1
        assert f"Rows {first}–{first + len(pages[-1]) - 1}" in body
        assert ('rel="prev"' in body) == (len(pages) > 1)
        following = re.search(r'<a href="([^"]+)" rel="next">next 3 →</a>', body)
        path = html.unescape(following.group(1)) if following else None
    assert [len(rows) for rows in pages[:-1]] == [3] * (len(pages) - 1)
    assert sum(len(rows) for rows in pages) == len(every)
    # The pages, one after the other, are the answer's rows in its order.
    first_cells = [re.search(r'title="([^"]+)"', row) for rows in pages for row in rows]
    column = client.get("/queries/responses.json").get_json()["head"]["vars"][0]
    assert [cell.group(1) if cell else None for cell in first_cells] == [
        row[column]["value"] for row in every
    ]


def test_a_later_pages_timeline_draws_that_pages_rows(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graphkg.server.named_queries, "PAGE_ROWS", 2)
    body = client.get("/queries/timeline", query_string={"_page": 2}).get_data(as_text=True)
    data = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', body)
    assert data is not None
    drawn = json.loads(html.unescape(data.group(1)))["results"]["results"]["bindings"]
    assert len(drawn) == len(_table_rows(body)) == 2
    every = client.get("/queries/timeline.json").get_json()["results"]["bindings"]
    assert drawn == every[2:4]


def test_a_named_query_page_keeps_its_parameters_and_twins_give_every_row(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graphkg.server.named_queries, "PAGE_ROWS", 1)
    response = client.get("/queries/responses", query_string={"attestation": "all", "_page": 2})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<option value="all" selected>' in body
    links = re.findall(r'<a href="([^"]+)" rel="(?:prev|next)"', body)  # above and below
    assert {html.unescape(link) for link in links} == {
        "/queries/responses?attestation=all",
        "/queries/responses?attestation=all&_page=3",
    }
    assert "_page" not in response.headers["Link"]
    assert "attestation=all" in response.headers["Link"]
    assert "_page=2" not in re.sub(r'rel="(?:prev|next)"', "", body)


@pytest.mark.parametrize("page", ["0", "two", "100000000"])
def test_a_page_number_out_of_range_is_a_400(client: FlaskClient, page: str) -> None:
    response = client.get("/queries/responses", query_string={"_page": page})
    assert response.status_code == 400
    assert "?_page= takes a whole number from 1 to" in response.get_data(as_text=True)


def test_named_query_page_answers_304_when_its_etag_is_current(client: FlaskClient) -> None:
    etag = client.get("/queries/responses").headers["ETag"]
    again = client.get("/queries/responses", headers={"If-None-Match": etag})
    assert again.status_code == 304


# -- the query page ------------------------------------------------------------------


def editor_of(body: str) -> str:
    editor = re.search(r'<textarea id="query-text"[^>]*>(.*?)</textarea>', body, re.DOTALL)
    assert editor is not None
    return editor.group(1)


def test_query_page_opens_on_the_sample_query_which_runs_without_prefix_lines(
    client: FlaskClient,
) -> None:
    body = page_text(client.get("/").data)
    shown = editor_of(body)
    assert shown.startswith("SELECT ")
    assert "PREFIX" not in shown
    for name, iri in PREFIXES.items():
        assert f"<code>{name}:</code></td><td><code>{iri}</code>" in body
    answer = client.post("/sparql", data={"query": shown}, headers={"Accept": "application/json"})
    assert answer.status_code == 200
    labels = {row["label"]["value"] for row in answer.get_json()["results"]["bindings"]}
    assert "Azerbaijan" in labels


def test_query_page_offers_every_named_query_as_an_example(client: FlaskClient) -> None:
    body = client.get("/").get_data(as_text=True)
    data = json.loads(
        re.search(r'<script type="application/json" id="graphkg-data">(.*?)</script>', body).group(
            1
        )  # type: ignore[union-attr]
    )
    for name, query in load_named_queries().items():
        assert f'<a href="/?named={name}" data-name="{name}"' in body
        assert html.escape(query.title) in body
        shown = data["queries"][name]["sparql"]
        assert shown.startswith(f"# {query.title}\n")
        # The query itself, less its header and the PREFIX lines the endpoint predeclares.
        predeclared = {f"PREFIX {prefix}: <{iri}>" for prefix, iri in PREFIXES.items()}
        kept = [
            line
            for line in query.sparql.splitlines()
            if not re.match(r"#\s*(title|description|param):", line)
            and line.strip() not in predeclared
        ]
        assert shown.splitlines()[1:] == "\n".join(kept).strip("\n").splitlines()


def test_query_page_opens_a_named_query_from_the_url(client: FlaskClient) -> None:
    body = page_text(client.get("/?named=responses").data)
    query = load_named_queries()["responses"]
    shown = editor_of(body)
    assert shown.startswith(f"# {query.title}\n")
    assert query.sparql.split("SELECT", 1)[1] in shown
    assert "PREFIX" not in shown


def test_query_page_loads_no_script_from_another_host(client: FlaskClient) -> None:
    response = client.get("/")
    body = response.get_data(as_text=True)
    sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', body)
    assert "/static/query.js" in sources
    assert all(source.startswith("/") and not source.startswith("//") for source in sources)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    script = client.get("/static/query.js")
    script.close()
    assert script.status_code == 200


@pytest.mark.parametrize("name", ["query.js", "results.js", "timeline.js", "graph.js"])
def test_page_scripts_write_results_as_text_never_as_markup(name: str) -> None:
    script = (STATIC / name).read_text(encoding="utf-8")
    for markup_sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
        assert markup_sink not in script
    assert "textContent" in script


def test_an_event_is_named_by_its_description_on_the_pages_that_link_it(
    client: FlaskClient, seed_graph: KnowledgeGraph
) -> None:
    rows = seed_graph.query(
        "SELECT ?d WHERE { <https://w3id.org/graphkg/id/incident/yekaterinburg-raids> "
        "gkg:description ?d }"
    )
    description = next(iter(rows))["d"].value  # type: ignore[index]
    page = client.get("/id/incident/yekaterinburg-raids").get_data(as_text=True)
    assert f"<h1>{html.escape(description)}</h1>" in page
    linking = client.get("/id/incident/yekaterinburg-killings").get_data(as_text=True)
    assert html.escape(description) in linking
