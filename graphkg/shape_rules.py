"""What the shapes' SHACL-AF rules derive, computed by graphkg in linear time.

Some constraints in ``shapes/`` read links that a ``sh:SPARQLRule`` of their
shape defines (``gkgsh:selectedText``, ``gkgsh:occursIn``,
``gkgsh:withinClaimQuote``, ``gkgsh:likelyDuplicateOf``): a SHACL processor with
SHACL-AF runs the rules first. Run as queries, those rules read an article's
whole text once per quote, or compare every event with every other, so
validation would grow with the square of a file's facts. Here each is one pass
over the data, with sorting or a dictionary where the rule joins. The links
exist only in validation's data graph: they are never stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator

from rdflib import Literal
from rdflib.namespace import RDF
from rdflib.term import Node as RdfNode

from graphkg.namespaces import GKG, GKGSH, OA

Triple = tuple[RdfNode, RdfNode, RdfNode]


class TripleIndex:
    """Triples indexed for the lookups the rules make, at a dictionary's cost.

    The data graph of one validation is built once and read by these rules
    only; an rdflib ``Graph`` would cost several times more to fill than the
    rules cost to run.
    """

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._objects: dict[tuple[RdfNode, RdfNode], list[RdfNode]] = defaultdict(list)
        self._pairs: dict[RdfNode, list[tuple[RdfNode, RdfNode]]] = defaultdict(list)
        for s, p, o in set(triples):
            self._objects[(s, p)].append(o)
            self._pairs[p].append((s, o))

    def objects(self, subject: RdfNode, predicate: RdfNode) -> list[RdfNode]:
        return self._objects.get((subject, predicate), [])

    def value(self, subject: RdfNode, predicate: RdfNode) -> RdfNode | None:
        values = self._objects.get((subject, predicate))
        return values[0] if values else None

    def subject_objects(self, predicate: RdfNode) -> list[tuple[RdfNode, RdfNode]]:
        return self._pairs.get(predicate, [])

    def subjects(self, predicate: RdfNode, value: RdfNode) -> list[RdfNode]:
        return [s for s, o in self._pairs.get(predicate, []) if o == value]


def rule_links(triples: Iterable[Triple]) -> list[Triple]:
    """Every link that the shapes' rules derive from ``triples``."""
    data = TripleIndex(triples)
    return [*quotes_in_articles(data), *quotes_within_claims(data), *likely_duplicates(data)]


def _selector_offsets(graph: TripleIndex, selector: RdfNode) -> tuple[int, int] | None:
    start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
    if isinstance(start, Literal) and isinstance(end, Literal):
        values = start.toPython(), end.toPython()
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return values  # type: ignore[return-value]
    return None


def _offsets(graph: TripleIndex, evidence: RdfNode) -> tuple[int, int] | None:
    for selector in graph.objects(evidence, OA.hasSelector):
        offsets = _selector_offsets(graph, selector)
        if offsets is not None:
            return offsets
    return None


def quotes_in_articles(graph: TripleIndex) -> Iterator[Triple]:
    """What each offset selector selects in its article, and which quotes occur there.

    ``gkgsh:SelectedTextRule`` and ``gkgsh:QuoteOccursInRule``. Asked in SPARQL,
    every evidence reads its article's whole text, and Oxigraph copies the text
    for every evidence that reads it: a file of 5,000 facts quoting a 1.7 MB
    article spent 3.8 s there. Here each text is read once and sliced.
    """
    for evidence, article in graph.subject_objects(OA.hasSource):
        text = graph.value(article, GKG.text)
        if not isinstance(text, Literal):
            continue
        text = str(text)
        position = _offsets(graph, evidence)
        for selector in graph.objects(evidence, OA.hasSelector):
            offsets = _selector_offsets(graph, selector)
            if offsets is not None:
                # SUBSTR(text, start + 1, end - start), as the rule defines it.
                selected = text[max(offsets[0], 0) : max(offsets[1], 0)]
                yield (selector, GKGSH.selectedText, Literal(selected))
            exact = graph.value(selector, OA.exact)
            if isinstance(exact, Literal) and _occurs(str(exact), text, position):
                yield (selector, GKGSH.occursIn, article)


def _occurs(quote: str, text: str, offsets: tuple[int, int] | None) -> bool:
    """Whether ``quote`` is in ``text``: first at the quote's own offsets, then anywhere."""
    if offsets is not None and offsets[0] >= 0 and text.startswith(quote, offsets[0]):
        return True
    return quote in text


def quotes_within_claims(graph: TripleIndex) -> Iterator[Triple]:
    """Link each quote that lies within a claim's quote to one such claim quote.

    ``gkgsh:WithinClaimQuoteRule``. Asked in SPARQL, every quote is compared
    with every claim quote of its article: quadratic in the facts (a file of
    1,500 facts spent 3.7 s there, 0.1 s at 300). Sorted by offset, one pass
    per article finds, for each quote, the claim quote that starts at or before
    it and reaches furthest, and so whether any contains it.
    """
    claim_quotes = {
        evidence
        for claim in graph.subjects(RDF.type, GKG.Claim)
        for evidence in graph.objects(claim, GKG.evidence)
    }
    quotes: dict[RdfNode, list[tuple[int, int, RdfNode]]] = defaultdict(list)
    spans: dict[RdfNode, list[tuple[int, int, RdfNode]]] = defaultdict(list)
    for evidence, article in graph.subject_objects(OA.hasSource):
        offsets = _offsets(graph, evidence)
        if offsets is not None:
            quotes[article].append((*offsets, evidence))
            if evidence in claim_quotes:
                spans[article].append((*offsets, evidence))
    for article, article_quotes in quotes.items():
        claims = sorted(spans[article], key=lambda span: span[0])
        furthest: tuple[int, int, RdfNode] | None = None
        index = 0
        for start, end, evidence in sorted(article_quotes, key=lambda quote: quote[0]):
            while index < len(claims) and claims[index][0] <= start:
                if furthest is None or claims[index][1] > furthest[1]:
                    furthest = claims[index]
                index += 1
            if furthest is not None and end <= furthest[1] and furthest[2] != evidence:
                yield (evidence, GKGSH.withinClaimQuote, furthest[2])


def likely_duplicates(graph: TripleIndex) -> Iterator[Triple]:
    """Link each event to the events of its article that look like the same act.

    ``gkgsh:LikelyDuplicateRule``. Asked in SPARQL, Oxigraph compares each
    event with every event of its kind (a file of 5,000 facts spent 3.4 s
    there, 0.2 s at 1,500). Here each event is filed under the keys the rule
    matches on, and only events sharing a key are compared.
    """
    events: dict[Hashable, set[RdfNode]] = defaultdict(set)
    for event_class in (GKG.Incident, GKG.Response):
        for event in graph.subjects(RDF.type, event_class):
            for key in _duplicate_keys(graph, event, event_class):
                events[key].add(event)
    articles: dict[RdfNode, set[RdfNode]] = {}
    for group in events.values():
        if len(group) < 2:
            continue
        for event in group:
            if event not in articles:
                articles[event] = {
                    article
                    for evidence in graph.objects(event, GKG.evidence)
                    for article in graph.objects(evidence, OA.hasSource)
                }
        for event in group:
            for other in group - {event}:
                if articles[event] & articles[other]:
                    yield (event, GKGSH.likelyDuplicateOf, other)


def _duplicate_keys(graph: TripleIndex, event: RdfNode, event_class: RdfNode) -> Iterator[Hashable]:
    """What two events of ``event_class`` must share to look like one act, as the rule says."""
    if event_class == GKG.Response:
        targets = list(graph.objects(event, GKG.target)) or [None]
        for actor in graph.objects(event, GKG.actor):
            for kind in graph.objects(event, GKG.responseKind):
                yield from (("response", actor, kind, target) for target in targets)
    else:
        for kind in graph.objects(event, GKG.incidentKind):
            for participation in graph.objects(event, GKG.involves):
                for agent in graph.objects(participation, GKG.agent):
                    for role in graph.objects(participation, GKG.role):
                        yield ("incident", kind, agent, role)
    for evidence in graph.objects(event, GKG.evidence):
        for selector in graph.objects(evidence, OA.hasSelector):
            for quote in graph.objects(selector, OA.exact):
                yield ("quote", event_class, quote)
