"""Mapping fact files to RDF, driven by the ontology.

A fact file becomes a :class:`MappedSource`: its quads (article graph, shared
entities graph, world-knowledge graph) and, for every subject it mints, the
line and fact it came from, so that validation can point back at the file.

The fact file reads only its own article: ``file:`` names a regular file in the
fact file's folder (or below it), never a path out of it, or ``text:`` holds the
text itself; and every limit of
:class:`~graphkg.settings.InputLimits` is checked before the work it bounds.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import stat
import unicodedata
from collections import ChainMap, Counter
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Mapping as Mapping_
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node as RdfNode

from graphkg.errors import FactFileError
from graphkg.factfile import (
    Mapping,
    Node,
    Scalar,
    Sequence,
    as_list,
    decode_text,
    describe_size,
    read_yaml,
    shorten,
)
from graphkg.iri import (
    article_graph_iri,
    entities_graph_iri,
    is_valid_id,
    mint_iri,
    nested_iri,
    retained_source_iri,
    shared_source_id,
    shared_source_iri,
    slugify,
    world_graph_iri,
)
from graphkg.literals import expected_form, iri_error, language_error, typed_literal
from graphkg.namespaces import GKG, OA, PROV, SCHEMA, expand_curie
from graphkg.ontology import Ontology, PropertyInfo, ValueKind, local_name
from graphkg.problems import Problem
from graphkg.sentences import SentenceFinder, UncapturedSentence
from graphkg.settings import DEFAULT_LIMITS, InputLimits
from graphkg.terms import Quad

QUOTE_CONTEXT = 32
"""Characters of text kept before and after a quote as its prefix and suffix."""

BYTES_PER_CHARACTER = 4
"""The most bytes one character takes in UTF-8: an article file larger than four
bytes per allowed character is too long before a byte of it is read."""

TOP_LEVEL_KEYS = ("article", "source", "entities", "facts", "uncaptured", "corrections")
STRUCTURAL_KEYS = {"id", "type", "world", "attributed", "retracted"}
WORLD_KEYS = {"source", "note"}
ARTICLE_TEXT_KEYS = ("file", "text")
"""Keys of the ``article`` block that give its text: a file's name, or the text itself."""
ATTRIBUTION_KEYS = {"givenBy", "evidence", "conflictsWith", "retracted"}
"""Keys of an ``attributed`` entry that describe the attribution, not the attributed value."""
CHANGE_KEYS = ("date", "reason", "by", "evidence", "source", "note")
"""Keys of a ``retracted`` mapping, and of a correction besides what it corrects."""
CORRECTION_KEYS = ("fact", "property", "was", *CHANGE_KEYS)
UNCORRECTABLE_KEYS = STRUCTURAL_KEYS | {"evidence", "file", "text"}
"""Keys of a record that hold no value a correction could replace."""
CORRECTION_FIX = (
    "write `- {fact: <id>, property: <key>, was: <earlier value>, date: YYYY-MM-DD, "
    "reason: <why>, evidence: <quote>}` (`source:` instead of `evidence:` when the article "
    "does not say so)"
)
RETRACTION_FIX = (
    "write `retracted: {date: YYYY-MM-DD, reason: <why>, by: <id>, evidence: <quote>}` "
    "(`source:` instead of `evidence:` when the article does not say so)"
)


@dataclass(frozen=True)
class ChangeKind:
    """A correction or a retraction: its name (the rule of its problems and the segment of its
    IRI), class, and the properties of its day and of who made it."""

    name: str
    cls: URIRef
    date: URIRef
    by: URIRef


CORRECTION = ChangeKind("correction", GKG.Correction, GKG.correctedOn, GKG.correctedBy)
RETRACTION = ChangeKind("retraction", GKG.Retraction, GKG.retractedOn, GKG.retractedBy)


@dataclass(frozen=True)
class KnownId:
    """An id already in the store: its IRI and the source that declared it."""

    iri: URIRef
    source: URIRef


class StoredIds(Mapping_[str, KnownId]):
    """The ids in a store, looked up as a fact file names them.

    Mapping a file costs a lookup of the ids it names, whatever the store's size
    (those it declares together: see :func:`look_up`); only iterating (the "did
    you mean" of an unknown id) lists every id, once (seconds at a million quads).
    """

    def __init__(
        self,
        find: Callable[[Iterable[str]], dict[str, KnownId]],
        list_all: Callable[[], dict[str, KnownId]],
    ) -> None:
        self._find, self._list_all = find, list_all
        self._found: dict[str, KnownId | None] = {}
        self._all: dict[str, KnownId] | None = None

    def _listed(self) -> dict[str, KnownId]:
        if self._all is None:
            self._all = self._list_all()
        return self._all

    def look_up(self, ids: Iterable[str]) -> None:
        """Find those of ``ids`` not looked up yet, in one go."""
        wanted = {id_ for id_ in ids if id_ not in self._found}
        if wanted:
            found = self._find(wanted)
            self._found.update((id_, found.get(id_)) for id_ in wanted)

    def __getitem__(self, id_: str) -> KnownId:
        self.look_up((id_,))
        found = self._found[id_]
        if found is None:
            raise KeyError(id_)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._listed())

    def __len__(self) -> int:
        return len(self._listed())


def with_ids(known: Mapping_[str, KnownId], ids: Mapping_[str, KnownId]) -> Mapping_[str, KnownId]:
    """``known`` and ``ids`` (which win), neither copied nor listed: a build adds each
    file's ids to one dictionary, and copying what it had would grow with the square of
    the files; a store's ids are listed only when iterated."""
    return ChainMap(ids, known)  # type: ignore[arg-type]


def look_up(known: Mapping_[str, KnownId], ids: list[str]) -> None:
    """Have the store's part of ``known`` find ``ids`` together: a file declares tens
    of ids, and one query for them all costs a fifth of one query each (at a million
    quads, 2.5 ms for an article's 20 ids against 12.5 ms)."""
    if isinstance(known, ChainMap):
        for part in known.maps:
            look_up(part, ids)
    elif isinstance(known, StoredIds):
        known.look_up(ids)


@dataclass(frozen=True)
class Origin:
    """Where a subject was written: the line and the id of the fact it belongs to."""

    line: int | None
    fact: str | None


@dataclass
class MappedSource:
    """The RDF of one fact file, ready to validate and store."""

    file: str
    source: URIRef
    article_id: str | None
    graph: URIRef
    quads: list[Quad] = field(default_factory=list)
    origins: dict[URIRef, Origin] = field(default_factory=dict)
    key_lines: dict[tuple[URIRef, URIRef], int] = field(default_factory=dict)
    declared: dict[str, URIRef] = field(default_factory=dict)
    references: set[URIRef] = field(default_factory=set)
    uncaptured: list[UncapturedSentence] = field(default_factory=list)
    text_file: str | None = None
    """The file the article's text was read from (None when written inline)."""
    problems: list[Problem] = field(default_factory=list)
    """What did not map, when mapped with ``partial`` (see :func:`map_fact_file`)."""

    def graphs(self) -> set[URIRef]:
        return {quad[3] for quad in self.quads}


PREFILTER_FROM = 1000
"""Candidates from which :func:`closest` compares only those that share pieces of the word."""


def closest(word: str, candidates: list[str]) -> str | None:
    """The candidate most like ``word``, if any is alike enough.

    Among many candidates (a store's ids), only those sharing a few of the word's
    three-letter pieces are compared in full: difflib takes seconds over tens of
    thousands, and a candidate alike enough shares most of them.
    """
    matches = closest_words(word, candidates, 1)
    return matches[0] if matches else None


def closest_words(word: str, candidates: list[str], n: int) -> list[str]:
    """The ``n`` candidates most like ``word`` that are alike enough, best first (see
    :func:`closest`)."""
    if len(candidates) > PREFILTER_FROM:
        pieces = _trigrams(word)
        needed = max(1, len(pieces) // 3)
        candidates = [c for c in candidates if len(pieces & _trigrams(c)) >= needed]
    return difflib.get_close_matches(word, candidates, n=n, cutoff=0.5)


@functools.lru_cache(maxsize=1 << 17)
def _trigrams(word: str) -> frozenset[str]:
    return frozenset(word[i : i + 3] for i in range(max(1, len(word) - 2)))


def did_you_mean(
    word: str,
    candidates: list[str],
    what: str,
    *,
    meanings: Mapping_[str, tuple[str, ...]] | None = None,
    most: int = 1,
) -> str:
    """A fix that names the ``most`` candidates closest to ``word``: ``did you mean `x`?``.

    See :func:`suggestions` for how they are chosen.
    """
    found = suggestions(word, candidates, meanings=meanings, most=most)
    if not found:
        return f"use a known {what}"
    named = [f"`{candidate}`" for candidate in found]
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
    return f"did you mean {listed}?"


FURTHER_SUGGESTION_RATIO = 0.6
"""How alike a second or third suggestion must be (difflib's ratio): the first needs 0.5."""


def suggestions(
    word: str,
    candidates: list[str],
    *,
    meanings: Mapping_[str, tuple[str, ...]] | None = None,
    most: int = 1,
) -> list[str]:
    """Up to ``most`` candidates for a misspelled or misremembered ``word``, best first.

    Meaning goes before spelling: a word of ``meanings`` (compared in lower case)
    suggests the candidates it lists, and only those, since spelling misleads there
    (a world-knowledge entry's `comment:` is spelled like `content` and means `note`).
    Then a candidate that differs in case only; then the closest by spelling, the
    second and third only when they are alike enough.
    """
    allowed = set(candidates)
    by_meaning = [c for c in (meanings or {}).get(word.lower(), ()) if c in allowed]
    if by_meaning:
        return by_meaning[:most]
    same = [c for c in candidates if c.lower() == word.lower()]
    if same:
        return same[:most]
    found = closest_words(word, candidates, most)
    return found[:1] + [
        c
        for c in found[1:]
        if difflib.SequenceMatcher(None, word, c).ratio() >= FURTHER_SUGGESTION_RATIO
    ]


KEYS_BY_MEANING: dict[str, tuple[str, ...]] = {
    "comment": ("note", "description"),
    "comments": ("note", "description"),
    "remark": ("note", "description"),
    "notes": ("note", "description"),
    "explanation": ("note", "reason"),
    "why": ("reason", "note"),
    "link": ("source", "url"),
    "ref": ("source",),
    "reference": ("source",),
    "citation": ("source",),
    "from": ("source",),
    "quote": ("evidence",),
    "quotes": ("evidence",),
    "evidences": ("evidence",),
    "name": ("label",),
    "names": ("label",),
    "class": ("type",),
    "summary": ("description",),
    "when": ("time",),
    "where": ("place",),
    "location": ("place",),
}
"""Keys a steward may write for a key the mapper accepts, by meaning: each suggests the
first of its keys that the entry takes (`comment:` is `note:` in a `world` entry, where
`note:` is taken, and `description:` on a fact)."""

CLASSES_BY_MEANING: dict[str, tuple[str, ...]] = {
    "country": ("State",),
    "nation": ("State",),
    "town": ("City",),
    "village": ("City",),
    "location": ("Place",),
    "company": ("Organization",),
    "agency": ("Organization", "NewsAgency"),
    "institution": ("Organization",),
    "police": ("LawEnforcementBody",),
    "newspaper": ("Publisher",),
    "outlet": ("Publisher",),
    "minister": ("Official",),
    "spokesperson": ("Official",),
    "people": ("PersonGroup", "Person"),
    "group": ("PersonGroup", "Organization"),
    "event": ("Incident", "Response", "PlannedEvent"),
    "statement": ("Claim",),
    "allegation": ("Claim",),
    "accusation": ("Claim",),
    "relation": ("StateRelation",),
}
"""Class names a steward may write for a class of the ontology, by meaning."""


PASSAGE_PROBE = 12
"""Characters of a misquote looked up verbatim in the article to find the passage it meant."""

PASSAGE_PROBES = 16
"""Most pieces of one misquote looked up, so the hint costs a few scans of the text."""

ALIGN_SLACK = 8
"""How far from where the pieces place it a misquote's start is looked for, character by
character: a character missing or added before the first piece found moves it."""

MISQUOTE_WIDTH = 120
"""Most characters of a closest passage shown; a longer one is cut around the difference."""

_FOLDED = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00a0\u2007\u202f\t\n", " "),
    }
)
"""Characters a steward's keyboard writes for the article's: each folds to one character,
so offsets in the folded text are offsets in the text."""

_SHOWN = str.maketrans({"\n": "↵", "\t": "→"})
"""Characters shown as one visible character each, so the mark stays under its column."""


def _folded(text: str) -> str:
    """``text`` with typographic quotes, dashes and spaces made plain, and in lower case
    where that keeps its length (a few characters, such as ``İ``, lengthen)."""
    lowered = text.lower()
    return (lowered if len(lowered) == len(text) else text).translate(_FOLDED)


def _probed_start(text: str, quote: str) -> int | None:
    """Where in ``text`` the passage ``quote`` meant starts, by where pieces of it occur.

    Pieces spread over the quote are looked up verbatim; the start is the one most of
    them agree on. A full alignment would find subtler matches, but costs the text's
    length times the quote's: hours for a long quote in a long article.
    """
    if len(quote) < PASSAGE_PROBE:
        return None
    last = len(quote) - PASSAGE_PROBE
    probes = min(PASSAGE_PROBES, last // PASSAGE_PROBE + 2)
    starts: Counter[int] = Counter()
    for offset in sorted({i * last // (probes - 1) for i in range(probes)}):
        position = text.find(quote[offset : offset + PASSAGE_PROBE])
        if position >= 0:
            starts[position - offset] += 1
    if not starts:
        return None
    estimate = starts.most_common(1)[0][0]
    # The piece at the quote's very start is found only where it agrees with the text, so
    # the start is the nearby one from which the most characters of the quote agree.
    nearby = range(max(0, estimate - ALIGN_SLACK), min(len(text), estimate + ALIGN_SLACK) + 1)
    return max(nearby, key=lambda start: (_agreeing(text, start, quote), -abs(start - estimate)))


def _agreeing(text: str, start: int, quote: str) -> int:
    """How many characters of ``quote`` agree with ``text`` from ``start`` on."""
    count = 0
    for written, found in zip(quote, text[start : start + len(quote)], strict=False):
        if written != found:
            break
        count += 1
    return count


_CONTROL_NAMES = {"\n": "LINE FEED, a line break", "\t": "CHARACTER TABULATION, a tab"}


def _describe_character(character: str) -> str:
    """``«’» (U+2019 RIGHT SINGLE QUOTATION MARK)``: the character, its code and its name."""
    name = unicodedata.name(character, "") or _CONTROL_NAMES.get(character, "")
    return f"«{character.translate(_SHOWN)}» (U+{ord(character):04X}{' ' + name if name else ''})"


@dataclass(frozen=True)
class Misquote:
    """How a quote that is not verbatim departs from the closest passage of its article."""

    quote: str
    passage: str
    """The article's words the quote meant, from the start of a word to the end of one."""
    lead: int
    """Characters of ``passage`` before the quote's start (0 when it starts on a word)."""
    at: int
    """The position in the quote of its first character that differs from the article."""
    found: str | None
    """The article's character in its place; None where the article's text ends."""

    def describe(self) -> str:
        """The passage over the quote, a caret under the quote's first character that
        differs, and both characters named: ``«’» (U+2019 RIGHT SINGLE QUOTATION MARK)``.

        A passage longer than :data:`MISQUOTE_WIDTH` is cut, on word boundaries, to the
        words around the difference, ``…`` marking what is left out.
        """
        column = self.lead + self.at
        start, end = 0, len(self.passage)
        if end > MISQUOTE_WIDTH:
            start = max(0, column - MISQUOTE_WIDTH // 3)
            while start > 0 and not self.passage[start - 1].isspace():
                start -= 1
            end = min(end, column + 2 * MISQUOTE_WIDTH // 3)
            while end < len(self.passage) and not self.passage[end].isspace():
                end += 1
        before = "…" if start else ""
        passage = before + self.passage[start:end] + ("…" if end < len(self.passage) else "")
        first = max(0, start - self.lead)
        last = len(self.quote) if end == len(self.passage) else max(first, end - self.lead)
        quote = (
            ("…" if first else " " * len(before))
            + " " * max(0, self.lead - start)
            + self.quote[first:last]
            + ("…" if last < len(self.quote) else "")
        )
        written = _describe_character(self.quote[self.at])
        if self.found is None:
            said = f"the article's text ends where the quote goes on with {written}"
        else:
            said = f"{_describe_character(self.found)} in the article, {written} in the quote"
        caret = " " * (len(before) + column - start)
        return (
            f"article: {passage.translate(_SHOWN)}\n"
            f"quote:   {quote.translate(_SHOWN)}\n"
            f"         {caret}^ {said}"
        )


def misquote(text: str, quote: str) -> Misquote | None:
    """Where ``quote``, which does not occur verbatim in ``text``, departs from the passage of
    ``text`` most like it; None when no passage is alike enough to say.

    The passage is found first with typographic quotes, dashes, spaces and case folded
    on both sides (the commonest misquote is a straight ``'`` for the article's curly
    ``’``), then by where pieces of the quote occur (see :func:`_probed_start`).
    """
    if not quote:
        return None
    start = _folded(text).find(_folded(quote))
    if start < 0:
        probed = _probed_start(text, quote)
        if probed is None:
            return None
        start = probed
    at = _agreeing(text, start, quote)
    if at == len(quote):
        return None
    first = start
    while first > 0 and not text[first - 1].isspace():
        first -= 1
    last = min(len(text), start + len(quote))
    while last < len(text) and not text[last].isspace():
        last += 1
    while last > start + at + 1 and text[last - 1].isspace():
        last -= 1
    found = text[start + at] if start + at < len(text) else None
    return Misquote(quote, text[first:last], start - first, at, found)


class _Mapper:
    """The state of mapping one file; use :func:`map_fact_file`."""

    def __init__(
        self,
        path: Path,
        ontology: Ontology,
        base: str,
        known: Mapping_[str, KnownId],
        limits: InputLimits,
    ) -> None:
        self.path = path
        self.file = str(path)
        self.ontology = ontology
        self.base = base
        self.retained = URIRef(retained_source_iri(base))
        self.known = known
        self.closest_known: dict[str, str | None] = {}
        self.limits = limits
        self.problems: list[Problem] = []
        self.language = "en"
        self.article: URIRef | None = None
        self.article_text: str | None = None
        self.declared_types: dict[str, URIRef] = {}
        self.records: dict[str, Mapping] = {}
        self.undeclared: dict[str, int] = {}
        """The ids of this file's entries that could not be declared, with their lines."""

    def problem(
        self,
        line: int | None,
        fact: str | None,
        rule: str,
        message: str,
        *,
        value: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.problems.append(Problem(self.file, line, fact, rule, message, value, fix))

    def fits(self, node: Scalar, fact: str | None, key: str) -> bool:
        """Whether a value is within ``max_literal_chars``; a problem when it is not."""
        cap = self.limits.max_literal_chars
        if len(node.text) <= cap:
            return True
        self.problem(
            node.line,
            fact,
            "literal-length",
            f"`{key}` is {len(node.text):,} characters long; at most {cap:,} are accepted "
            "(setting max_literal_chars)",
            value=shorten(node.text),
            fix="shorten it; an article's full text belongs in its `file` or `text`",
        )
        return False

    def language_ok(self, tag: str, line: int, fact: str | None) -> bool:
        """Whether ``tag`` is a well-formed language tag; a problem when it is not."""
        error = language_error(tag)
        if error is None:
            return True
        self.problem(
            line,
            fact,
            "language",
            f"{tag!r} is not a language tag: {error}",
            value=shorten(tag),
            fix="write a BCP 47 tag such as `en`, `ru` or `az-Latn`",
        )
        return False

    def iri_ok(self, text: str, line: int, fact: str | None, key: str) -> bool:
        """Whether ``text`` is an IRI the store accepts; a problem when it is not."""
        error = iri_error(text)
        if error is None:
            return True
        self.problem(
            line,
            fact,
            "reference",
            f"`{key}` is not a valid IRI: {error}",
            value=shorten(text),
            fix='percent-encode spaces and the characters <>"{}|\\^` in the IRI',
        )
        return False

    # -- declarations -------------------------------------------------------

    def declare(self, record: Mapping, source: URIRef, result: MappedSource) -> str | None:
        """Check a record's id and type and reserve its IRI; None when it cannot be minted."""
        id_ = record.scalar("id")
        type_name = record.scalar("type")
        if id_ is None:
            self.problem(
                record.line, None, "id", "this entry has no `id`", fix="add `id: some-slug`"
            )
            return None
        if not is_valid_id(id_):
            self.problem(
                record.key_lines["id"],
                id_,
                "id",
                f"invalid id {id_!r}",
                value=id_,
                fix="use lower-case words joined by hyphens, e.g. `yekaterinburg-raids`",
            )
            return None
        if type_name is None:
            self.problem(
                record.line, id_, "type", "this entry has no `type`", fix="add `type:` with a class"
            )
            self.undeclared.setdefault(id_, record.line)
            return None
        cls = self.ontology.classes.get(type_name)
        segment = self.ontology.segment(cls) if cls is not None else None
        if cls is None or segment is None:
            self.problem(
                record.key_lines["type"],
                id_,
                "type",
                f"unknown type {type_name!r}",
                value=type_name,
                fix=did_you_mean(
                    type_name,
                    self.identified_classes(),
                    "class",
                    meanings=CLASSES_BY_MEANING,
                    most=3,
                ),
            )
            self.undeclared.setdefault(id_, record.line)
            return None
        known = self.known.get(id_)
        taken = known is not None and known.source not in (source, self.retained)
        if id_ in result.declared or taken:
            self.problem(
                record.key_lines["id"],
                id_,
                "unique-id",
                f"id {id_!r} is already used"
                + (f" by {known.source}" if known and taken else " in this file"),
                value=id_,
                fix="choose another id; ids are unique across the store",
            )
            return None
        iri = URIRef(mint_iri(self.base, segment, id_))
        result.declared[id_] = iri
        self.declared_types[id_] = cls
        return id_

    def identified_classes(self) -> list[str]:
        return sorted(
            name for name, cls in self.ontology.classes.items() if self.ontology.segment(cls)
        )

    # -- records ------------------------------------------------------------

    def map_record(self, record: Mapping, id_: str, graph: URIRef, result: MappedSource) -> URIRef:
        subject = result.declared[id_]
        self.records[id_] = record
        result.origins[subject] = Origin(record.line, id_)
        result.quads.append((subject, RDF.type, self.declared_types[id_], graph))
        self.map_properties(record, subject, id_, graph, result, skip=STRUCTURAL_KEYS)
        for index, entry in enumerate(as_list(record.get("world")), start=1):
            self.map_world(entry, subject, id_, index, result)
        for index, entry in enumerate(as_list(record.get("attributed")), start=1):
            self.map_attributed(entry, subject, id_, index, graph, result)
        retracted = record.get("retracted")
        if retracted is not None:
            cls = self.declared_types[id_]
            if GKG.Claim in self.ontology.ancestors(cls):
                self.map_retraction(retracted, subject, id_, record.key_lines["retracted"], result)
            else:
                self.problem(
                    record.key_lines["retracted"],
                    id_,
                    RETRACTION.name,
                    "`retracted` withdraws a claim or an attributed statement, not the "
                    f"{local_name(cls)} `{id_}`",
                    fix="keep `retracted:` for a Claim (or an `attributed:` entry) that was "
                    "withdrawn; correct a wrong value under `corrections:` instead",
                )
        return subject

    def check_undeclared(self, record: Mapping, index: int, result: MappedSource) -> None:
        """Check what an entry whose type is unknown or missing says, its keys, values and
        quotes, so that their problems come in the same pass as its type's; nothing of it
        is kept (without a class it has no IRI, and the shapes nothing to judge)."""
        id_ = record.scalar("id")
        if id_ is None or id_ not in self.undeclared:
            return
        scratch = dataclasses.replace(result, quads=[], origins={}, key_lines={}, references=set())
        subject = URIRef(nested_iri(str(result.source), "undeclared", index))
        self.map_properties(record, subject, id_, result.graph, scratch, skip=STRUCTURAL_KEYS)
        for number, entry in enumerate(as_list(record.get("world")), start=1):
            self.map_world(entry, subject, id_, number, scratch)
        for number, entry in enumerate(as_list(record.get("attributed")), start=1):
            self.map_attributed(entry, subject, id_, number, result.graph, scratch)

    def map_properties(
        self,
        record: Mapping,
        subject: URIRef,
        fact: str,
        graph: URIRef,
        result: MappedSource,
        *,
        skip: set[str],
        into: list[Quad] | None = None,
    ) -> None:
        """Map each property of ``record``; its triples go to ``into`` (default: the result)."""
        into = result.quads if into is None else into
        for key, node in record.items.items():
            if key in skip:
                continue
            info = self.resolve_key(key, record.key_lines[key], fact, also=skip)
            if info is None:
                continue
            result.key_lines[(subject, info.iri)] = record.key_lines[key]
            for index, value in enumerate(as_list(node), start=1):
                for term in self.map_value(info, value, subject, index, fact, graph, result):
                    into.append((subject, info.iri, term, graph))

    def resolve_key(
        self, key: str, line: int, fact: str | None, *, also: Iterable[str] = ()
    ) -> PropertyInfo | None:
        """The property ``key`` names; None, with a problem suggesting a key, when it names
        none. ``also`` holds the keys besides properties that the entry takes (`source` and
        `note` in a `world` entry), suggested too."""
        info = self.ontology.property_for(key)
        if info is not None:
            return info
        if self.ontology.is_ambiguous(key):
            options = ", ".join(
                f"`{option}`"
                for option in self.ontology.property_keys()
                if option.endswith(":" + key)
            )
            self.problem(
                line,
                fact,
                "key",
                f"key {key!r} is ambiguous",
                value=key,
                fix=f"write one of {options}",
            )
        else:
            self.problem(
                line,
                fact,
                "key",
                f"unknown key {key!r}: not a property of the ontology",
                value=key,
                fix=did_you_mean(
                    key,
                    [*self.ontology.property_keys(), *sorted(set(also))],
                    "property",
                    meanings=KEYS_BY_MEANING,
                ),
            )
        return None

    def map_value(
        self,
        info: PropertyInfo,
        node: Node,
        subject: URIRef,
        index: int,
        fact: str | None,
        graph: URIRef,
        result: MappedSource,
    ) -> Iterator[RdfNode]:
        if info.kind is ValueKind.NESTED:
            child = URIRef(nested_iri(subject, info.key, index))
            if info.range == GKG.Evidence and isinstance(node, Scalar):
                if self.map_evidence(node, child, fact, graph, result):
                    yield child
                return
            if not isinstance(node, Mapping):
                self.problem(
                    node.line,
                    fact,
                    "type",
                    f"`{info.key}` takes a nested mapping",
                    fix=f"write `{info.key}:` followed by indented keys",
                )
                return
            result.origins[child] = Origin(node.line, fact)
            if info.range is not None:
                result.quads.append((child, RDF.type, info.range, graph))
            self.map_properties(node, child, fact, graph, result, skip={"world"})
            for number, entry in enumerate(as_list(node.get("world")), start=1):
                self.map_world(entry, child, fact, number, result)
            yield child
            return
        if info.kind is ValueKind.LANG_STRING and isinstance(node, Mapping):
            for language, text in node.items.items():
                line = node.key_lines[language]
                if (
                    isinstance(text, Scalar)
                    and self.language_ok(language, line, fact)
                    and self.fits(text, fact, info.key)
                ):
                    yield Literal(text.text, lang=language)
            return
        if not isinstance(node, Scalar):
            self.problem(
                node.line,
                fact,
                "type",
                f"`{info.key}` takes a single value here, not a "
                + ("list" if isinstance(node, Sequence) else "mapping"),
                fix="write one value (or a flat list of values)",
            )
            return
        term = self.map_scalar(info, node, fact, result)
        if term is not None:
            yield term

    def map_scalar(
        self, info: PropertyInfo, node: Scalar, fact: str | None, result: MappedSource
    ) -> RdfNode | None:
        text = node.text
        if not self.fits(node, fact, info.key):
            return None
        if info.kind is ValueKind.LANG_STRING:
            return Literal(text, lang=self.language)
        if info.kind is ValueKind.LITERAL:
            datatype = info.range or XSD.string
            if datatype == RDFS.Literal:
                datatype = XSD.string
            literal = typed_literal(text, datatype)
            if literal is None:
                self.problem(
                    node.line,
                    fact,
                    "datatype",
                    f"`{info.key}` must be {local_name(datatype)}",
                    value=text,
                    fix=f"write {expected_form(datatype) or local_name(datatype)}",
                )
            return literal
        if info.kind is ValueKind.CONCEPT and info.range is not None:
            concepts = self.ontology.concepts.get(info.range, {})
            if text in concepts:
                return concepts[text]
            self.problem(
                node.line,
                fact,
                "concept",
                f"{text!r} is not a {local_name(info.range)}",
                value=text,
                fix=did_you_mean(text, sorted(concepts), local_name(info.range))
                + f" (one of: {', '.join(sorted(concepts))})",
            )
            return None
        return self.map_reference(info, node, fact, result)

    def map_reference(
        self, info: PropertyInfo, node: Scalar, fact: str | None, result: MappedSource
    ) -> URIRef | None:
        text = node.text
        if is_valid_id(text):
            if text in result.declared:
                return result.declared[text]
            if text in self.known:
                result.references.add(self.known[text].iri)
                return self.known[text].iri
            if text in self.undeclared:
                self.problem(
                    node.line,
                    fact,
                    "unknown-id",
                    f"`{info.key}` names {text!r}, whose entry on line "
                    f"{self.undeclared[text]} did not map",
                    value=text,
                    fix=f"fix the entry of `{text}` (its problem is reported on its own line)",
                )
                return None
            self.problem(
                node.line,
                fact,
                "unknown-id",
                f"`{info.key}` names unknown id {text!r}",
                value=text,
                fix=did_you_mean(text, self.id_candidates(text, result), "id"),
            )
            return None
        expanded = expand_curie(text)
        if expanded is None and text.startswith(("http://", "https://", "urn:")):
            expanded = text
        if expanded is not None:
            return URIRef(expanded) if self.iri_ok(expanded, node.line, fact, info.key) else None
        self.problem(
            node.line,
            fact,
            "reference",
            f"`{info.key}` takes an id, a CURIE or an IRI",
            value=text,
            fix="write an id such as `azerbaijan`, a CURIE such as `wd:Q227` or a full IRI",
        )
        return None

    def id_candidates(self, text: str, result: MappedSource) -> list[str]:
        """The ids to suggest from for an unknown id: the file's own, and the known id
        closest to it, found once per id (a store's ids are many: a file naming one
        unknown id a hundred times must not compare it with all of them each time)."""
        if text not in self.closest_known:
            self.closest_known[text] = closest(text, list(self.known))
        nearest = self.closest_known[text]
        return sorted({*result.declared, *([nearest] if nearest else [])})

    def map_evidence(
        self,
        node: Scalar,
        evidence: URIRef,
        fact: str | None,
        graph: URIRef,
        result: MappedSource,
    ) -> bool:
        if self.article is None or self.article_text is None:
            self.problem(
                node.line,
                fact,
                "evidence",
                "evidence needs an article, and this file has none",
                fix="declare facts with evidence in the fact file of their article",
            )
            return False
        if not self.fits(node, fact, "evidence"):
            return False
        quote, text = node.text, self.article_text
        start = text.find(quote) if quote else -1
        if start < 0:
            differs = misquote(text, quote)
            self.problem(
                node.line,
                fact,
                "verbatim-quote",
                "the quote does not occur verbatim in the article",
                value=quote,
                fix="copy it exactly from the article; the closest passage, with the quote's "
                f"first character that differs marked:\n{differs.describe()}"
                if differs
                else "copy the passage exactly from the article text",
            )
            return False
        end = start + len(quote)
        quote_selector = URIRef(f"{evidence}/quote")
        position_selector = URIRef(f"{evidence}/position")
        result.origins[evidence] = Origin(node.line, fact)
        count = XSD.integer
        result.quads.extend(
            (s, p, o, graph)
            for s, p, o in (
                (evidence, RDF.type, GKG.Evidence),
                (evidence, OA.hasSource, self.article),
                (evidence, OA.hasSelector, quote_selector),
                (evidence, OA.hasSelector, position_selector),
                (quote_selector, RDF.type, OA.TextQuoteSelector),
                (quote_selector, OA.exact, Literal(quote)),
                (quote_selector, OA.prefix, Literal(text[max(0, start - QUOTE_CONTEXT) : start])),
                (quote_selector, OA.suffix, Literal(text[end : end + QUOTE_CONTEXT])),
                (position_selector, RDF.type, OA.TextPositionSelector),
                (position_selector, OA.start, Literal(str(start), datatype=count)),
                (position_selector, OA.end, Literal(str(end), datatype=count)),
            )
        )
        return True

    def map_world(
        self, entry: Node, subject: URIRef, fact: str, index: int, result: MappedSource
    ) -> None:
        """World knowledge: asserted in the world graph, each triple reified with its source."""
        if not isinstance(entry, Mapping):
            self.problem(
                entry.line,
                fact,
                "world",
                "a `world` entry must be a mapping",
                fix="see docs/fact-files.md",
            )
            return
        source, note = entry.scalar("source"), entry.scalar("note")
        for key in ("source", "note"):
            value = entry.get(key)
            if isinstance(value, Scalar) and not self.fits(value, fact, key):
                return
        if source is not None and not self.iri_ok(
            source, entry.key_lines["source"], fact, "source"
        ):
            return
        if source is None and note is None:
            self.problem(
                entry.line,
                fact,
                "world-source",
                "world knowledge without a source",
                fix="add `source:` (an IRI) or `note:` saying where it comes from",
            )
        world = URIRef(world_graph_iri(self.base))
        asserted: list[Quad] = []
        self.map_properties(entry, subject, fact, world, result, skip=WORLD_KEYS, into=asserted)
        triples = [(s, p, o) for s, p, o, _ in asserted]
        self.assert_in_world(triples, subject, index, (source, note), entry.line, fact, result)

    def assert_in_world(
        self,
        triples: list[tuple[URIRef, URIRef, RdfNode]],
        subject: URIRef,
        index: int,
        origin: tuple[str | None, str | None],
        line: int,
        fact: str | None,
        result: MappedSource,
    ) -> None:
        """Assert ``triples`` in the world graph, each reified as a ``gkg:WorldKnowledge``
        statement ``{subject}/world/{index}-{m}`` with its source and note (``origin``)."""
        source, note = origin
        world = URIRef(world_graph_iri(self.base))
        for number, (s, p, o) in enumerate(triples, start=1):
            statement = URIRef(nested_iri(subject, "world", index) + f"-{number}")
            result.origins[statement] = Origin(line, fact)
            result.quads.append((s, p, o, world))
            result.quads.extend(
                (statement, p2, o2, world)
                for p2, o2 in (
                    (RDF.type, GKG.WorldKnowledge),
                    (RDF.type, RDF.Statement),
                    (RDF.subject, s),
                    (RDF.predicate, p),
                    (RDF.object, o),
                    (GKG.declaredIn, result.source),
                )
            )
            if source is not None:
                result.quads.append((statement, PROV.wasDerivedFrom, URIRef(source), world))
            if note is not None:
                result.quads.append((statement, RDFS.comment, Literal(note, lang="en"), world))

    def map_attributed(
        self,
        entry: Node,
        subject: URIRef,
        fact: str,
        index: int,
        graph: URIRef,
        result: MappedSource,
    ) -> None:
        """A figure or description the article attributes to a party: reified, never asserted.

        Each property of the entry becomes a ``gkg:AttributedStatement``
        ``{subject}/attributed/{index}-{m}`` with the entry's ``givenBy``,
        ``evidence`` and ``conflictsWith``, so that two parties' figures for
        the same thing stand side by side without either being the subject's value.
        """
        if not isinstance(entry, Mapping):
            self.problem(
                entry.line,
                fact,
                "attributed",
                "an `attributed` entry must be a mapping",
                fix="write `- {givenBy: <id>, <property>: <value>, evidence: <quote>}`",
            )
            return
        holder = URIRef(nested_iri(subject, "attributed", index))
        values: list[Quad] = []
        # Mapped onto the entry's own IRI, so that nested values (a time) get children of
        # their own instead of clashing with the subject's.
        self.map_properties(entry, holder, fact, graph, result, skip=ATTRIBUTION_KEYS, into=values)
        value_keys = set(entry.items) - ATTRIBUTION_KEYS
        if not value_keys:
            self.problem(
                entry.line,
                fact,
                "attributed",
                "this `attributed` entry attributes nothing",
                fix="add the property the party gives, e.g. `detainedCount: 9`",
            )
        for number, (_, predicate, value, _) in enumerate(values, start=1):
            statement = URIRef(f"{holder}-{number}")
            result.origins[statement] = Origin(entry.line, fact)
            result.quads.extend(
                (s, p, o, graph)
                for s, p, o in (
                    (subject, GKG.attributed, statement),
                    (statement, RDF.type, GKG.AttributedStatement),
                    (statement, RDF.type, RDF.Statement),
                    (statement, RDF.subject, subject),
                    (statement, RDF.predicate, predicate),
                    (statement, RDF.object, value),
                )
            )
            result.key_lines.setdefault((subject, GKG.attributed), entry.line)
            reported = len(self.problems)
            self.map_properties(
                entry, statement, fact, graph, result, skip=value_keys | {"retracted"}
            )
            if "retracted" in entry.items:  # the party withdrew what it gave
                retracted = entry.items["retracted"]
                line = entry.key_lines["retracted"]
                self.map_retraction(retracted, statement, fact, line, result)
            if number > 1:  # the same keys, already reported for the first statement
                del self.problems[reported:]

    # -- corrections and retractions ------------------------------------------

    def map_corrections(self, node: Node, result: MappedSource) -> None:
        """The file's ``corrections``: each a ``gkg:Correction`` ``{fact}/correction/{n}``
        (the fact's n-th, in file order) that keeps a superseded value of one of the
        file's facts or entities, which hold the corrected value."""
        if self.article is None:
            self.problem(
                node.line,
                None,
                CORRECTION.name,
                "`corrections` correct the facts of an article, and this file has none",
                fix="move the entries to the fact file of the article whose facts they correct",
            )
            return
        current: dict[tuple[RdfNode, RdfNode], list[RdfNode]] = {}
        for s, p, o, _ in result.quads:
            current.setdefault((s, p), []).append(o)
        counts: Counter[str] = Counter()
        for number, entry in enumerate(as_list(node), start=1):
            if not isinstance(entry, Mapping):
                self.problem(
                    entry.line,
                    None,
                    CORRECTION.name,
                    "a `corrections` entry must be a mapping",
                    fix=CORRECTION_FIX,
                )
                continue
            fact = self.corrected_fact(entry, result)
            self.check_keys(entry, CORRECTION_KEYS, "a correction", fact, CORRECTION.name)
            if fact is None:  # checked all the same, minted under the article, never stored
                correction = URIRef(nested_iri(self.article, "correction", number))
                self.map_change(entry, correction, CORRECTION, None, [], result)
                continue
            subject = result.declared[fact]
            counts[fact] += 1
            correction = URIRef(nested_iri(subject, "correction", counts[fact]))
            triples: list[tuple[URIRef, URIRef, RdfNode]] = [
                (correction, RDF.type, CORRECTION.cls),
                (correction, GKG.corrects, subject),
            ]
            self.key_line(result, correction, GKG.corrects, entry, "fact")
            info = self.corrected_property(entry, fact, subject, current)
            if info is not None:
                triples.append((correction, GKG.correctedProperty, info.iri))
                self.key_line(result, correction, GKG.correctedProperty, entry, "property")
                previous = self.previous_values(
                    entry, info, correction, fact, current[(subject, info.iri)], result
                )
                triples.extend((correction, GKG.previousValue, value) for value in previous)
                self.key_line(result, correction, GKG.previousValue, entry, "was")
            self.map_change(entry, correction, CORRECTION, fact, triples, result)

    def corrected_fact(self, entry: Mapping, result: MappedSource) -> str | None:
        """The id that a correction's ``fact:`` names, one of this file's; None, with a
        problem, when it names none."""
        node = entry.get("fact")
        line = entry.key_lines.get("fact", entry.line)
        if not isinstance(node, Scalar) or not node.text:
            self.problem(
                line,
                None,
                CORRECTION.name,
                "a correction needs `fact:`, the id of the fact or entity it corrects",
                fix=CORRECTION_FIX,
            )
            return None
        id_ = node.text
        if id_ in result.declared:
            return id_
        if is_valid_id(id_) and id_ in self.known:
            self.problem(
                line,
                None,
                CORRECTION.name,
                f"`fact` names {id_!r}, which this file does not declare: a correction "
                "corrects a fact or entity of its own fact file",
                value=id_,
                fix=f"move the correction to the fact file that declares `{id_}`",
            )
            return None
        self.problem(
            line,
            None,
            "unknown-id",
            f"`fact` names unknown id {id_!r}",
            value=shorten(id_),
            fix=did_you_mean(id_, sorted(result.declared), "id of this file's facts"),
        )
        return None

    def corrected_property(
        self,
        entry: Mapping,
        fact: str,
        subject: URIRef,
        current: dict[tuple[RdfNode, RdfNode], list[RdfNode]],
    ) -> PropertyInfo | None:
        """The property a correction's ``property:`` names: a key of the fact's type that
        the fact holds, with a single value; None, with a problem, when it is not."""
        record = self.records[fact]
        cls = self.declared_types[fact]
        held = []
        for key in record.items:
            info = self.ontology.property_for(key)
            if key not in UNCORRECTABLE_KEYS and info and info.kind is not ValueKind.NESTED:
                held.append(key)
        keys = ", ".join(f"`{key}`" for key in held) or "none"
        name_one = f"name a key that `{fact}` holds ({keys})"
        node = entry.get("property")
        line = entry.key_lines.get("property", entry.line)
        if not isinstance(node, Scalar) or not node.text:
            self.problem(
                line,
                fact,
                CORRECTION.name,
                "a correction needs `property:`, the key of the value it corrects",
                fix=name_one,
            )
            return None
        key = node.text
        info = self.ontology.property_for(key)
        if key in UNCORRECTABLE_KEYS:
            self.problem(
                line,
                fact,
                CORRECTION.name,
                f"`{key}` is not a value a correction can replace",
                value=key,
                fix=name_one
                + ("; a withdrawn claim takes `retracted:` instead" if key == "retracted" else ""),
            )
            return None
        if info is None:
            self.resolve_key(key, line, fact)  # reports the unknown or ambiguous key
            if held and not self.ontology.is_ambiguous(key):
                self.problems[-1] = dataclasses.replace(
                    self.problems[-1], fix=did_you_mean(key, held, "key of this fact")
                )
            return None
        if info.kind is ValueKind.NESTED:
            self.problem(
                line,
                fact,
                CORRECTION.name,
                f"`{key}` takes a nested mapping, and a correction replaces a single value "
                "(a number, a date, a text, an id or a concept)",
                value=key,
                fix=name_one,
            )
            return None
        if not self.in_domain(info.iri, cls):
            self.problem(
                line,
                fact,
                CORRECTION.name,
                f"`{key}` is not a key of the {local_name(cls)} `{fact}`",
                value=key,
                fix=name_one,
            )
            return None
        if not current.get((subject, info.iri)):
            self.problem(
                line,
                fact,
                CORRECTION.name,
                f"`{fact}` holds no `{key}` to correct",
                value=key,
                fix=f"give the fact its corrected value (`{key}: …`) and the earlier one in "
                f"`was:`; or {name_one}",
            )
            return None
        return info

    def in_domain(self, prop: URIRef, cls: URIRef) -> bool:
        """Whether ``prop`` applies to instances of ``cls``, as the domain shape judges it."""
        graph = self.ontology.graph
        required = set(graph.objects(prop, RDFS.domain))
        allowed = set(graph.objects(prop, SCHEMA.domainIncludes))
        ancestors = set(self.ontology.ancestors(cls))
        return required <= ancestors and (not allowed or bool(allowed & ancestors))

    def previous_values(
        self,
        entry: Mapping,
        info: PropertyInfo,
        correction: URIRef,
        fact: str,
        current: list[RdfNode],
        result: MappedSource,
    ) -> list[RdfNode]:
        """The values of a correction's ``was:``, read as the corrected property reads its
        values; a problem when there are none or they are the fact's current values."""
        node = entry.get("was")
        if node is None:
            self.problem(
                entry.line,
                fact,
                CORRECTION.name,
                "a correction needs `was:`, the value the fact held before it",
                fix=f"add `was:` with the earlier value, written as `{info.key}:` takes it",
            )
            return []
        was = dataclasses.replace(info, key="was")
        reported = len(self.problems)
        values: list[RdfNode] = []
        for index, value in enumerate(as_list(node), start=1):
            values.extend(self.map_value(was, value, correction, index, fact, result.graph, result))
        if len(self.problems) > reported:
            return values
        if set(values) == set(current):
            self.problem(
                entry.key_lines["was"],
                fact,
                CORRECTION.name,
                f"`was` is the value `{fact}` holds now, and a correction keeps the value "
                "it held before",
                value=shorten(", ".join(str(value) for value in values)),
                fix=f"write the earlier value in `was:`, and the corrected one as the fact's "
                f"`{info.key}:`",
            )
        if info.kind is ValueKind.REFERENCE and info.range is not None:
            for item in as_list(node):
                self.check_reference_type(item, info, fact, "was")
        return values

    def check_reference_type(self, node: Node, info: PropertyInfo, fact: str, key: str) -> None:
        """A problem when ``node`` names an id of this file whose type ``info``'s range
        leaves out (an id of the store is the shapes' to check, on the fact's own value)."""
        if not isinstance(node, Scalar) or node.text not in self.declared_types:
            return
        range_ = info.range
        cls = self.declared_types[node.text]
        if range_ is None or not str(range_).startswith(str(GKG)):
            return
        if range_ not in self.ontology.ancestors(cls):
            self.problem(
                node.line,
                fact,
                "type",
                f"`{info.key}` takes a {local_name(range_)}, and `{key}` names `{node.text}`, "
                f"of type {local_name(cls)}",
                value=node.text,
                fix=f"name the {local_name(range_)} that `{info.key}` held before",
            )

    def map_retraction(
        self, node: Node, retracted: URIRef, fact: str, line: int, result: MappedSource
    ) -> None:
        """A claim's or attributed statement's ``retracted`` (written on ``line``): a
        ``gkg:Retraction`` ``{retracted}/retraction/1``; the claim stays as it was."""
        if self.article is None:
            self.problem(
                node.line,
                fact,
                RETRACTION.name,
                "`retracted` needs an article to say so, and this file has none",
                fix="declare the claim and its retraction in the fact file of its article",
            )
            return
        if not isinstance(node, Mapping):
            self.problem(
                node.line,
                fact,
                RETRACTION.name,
                "`retracted` takes a mapping: when, why and by whom the claim was withdrawn",
                fix=RETRACTION_FIX,
            )
            return
        self.check_keys(node, CHANGE_KEYS, "`retracted`", fact, RETRACTION.name)
        retraction = URIRef(nested_iri(retracted, "retraction", 1))
        triples: list[tuple[URIRef, URIRef, RdfNode]] = [
            (retraction, RDF.type, RETRACTION.cls),
            (retraction, GKG.retracts, retracted),
        ]
        self.map_change(node, retraction, RETRACTION, fact, triples, result, line=line)

    def check_keys(
        self, entry: Mapping, allowed: tuple[str, ...], what: str, fact: str | None, rule: str
    ) -> None:
        for key in entry.items:
            if key not in allowed:
                self.problem(
                    entry.key_lines[key],
                    fact,
                    rule,
                    f"unknown key {key!r} in {what}",
                    value=key,
                    fix=did_you_mean(key, list(allowed), "key", meanings=KEYS_BY_MEANING)
                    + f" ({what} takes {', '.join(f'`{k}`' for k in allowed)})",
                )

    def key_line(
        self, result: MappedSource, node: URIRef, predicate: URIRef, entry: Mapping, key: str
    ) -> None:
        if key in entry.key_lines:
            result.key_lines[(node, predicate)] = entry.key_lines[key]

    def map_change(
        self,
        entry: Mapping,
        node: URIRef,
        kind: ChangeKind,
        fact: str | None,
        triples: list[tuple[URIRef, URIRef, RdfNode]],
        result: MappedSource,
        *,
        line: int | None = None,
    ) -> None:
        """Add a correction's or retraction's day, reason and author to ``triples`` and store
        them: in the article's graph with the quotes of ``evidence:``, or, for one the
        article does not state, in the world graph, each reified with its ``source:``.
        Problems of the entry as a whole are reported on ``line`` (default: the entry's)."""
        graph = result.graph
        line = entry.line if line is None else line
        result.origins[node] = Origin(line, fact)
        details = (
            PropertyInfo(kind.date, "date", XSD.date, ValueKind.LITERAL),
            PropertyInfo(GKG.reason, "reason", RDF.langString, ValueKind.LANG_STRING),
            PropertyInfo(kind.by, "by", GKG.Agent, ValueKind.REFERENCE),
        )
        for info in details:
            key = info.key
            value = entry.get(key)
            if value is None or (isinstance(value, Scalar) and not value.text.strip()):
                if key != "by":  # the day and the reason are required
                    what = "the day it was made" if key == "date" else "why it was made, in words"
                    self.problem(
                        entry.key_lines.get(key, line),
                        fact,
                        kind.name,
                        f"a {kind.name} needs `{key}:`, {what}",
                        fix=CORRECTION_FIX if kind is CORRECTION else RETRACTION_FIX,
                    )
                continue
            self.key_line(result, node, info.iri, entry, key)
            for term in self.map_value(info, value, node, 1, fact, graph, result):
                if key == "by" and isinstance(value, Scalar) and not self.is_agent(value.text):
                    declared = self.declared_types.get(value.text)
                    of_type = f", of type {local_name(declared)}," if declared else ""
                    self.problem(
                        value.line,
                        fact,
                        kind.name,
                        f"`by` names `{value.text}`{of_type} which is not an agent",
                        value=value.text,
                        fix="name who made it: a state, organization, person or group, e.g. "
                        "the outlet (declared as a Publisher) or the ministry",
                    )
                triples.append((node, info.iri, term))
        evidence = entry.get("evidence")
        origin = (entry.scalar("source"), entry.scalar("note"))
        for key in ("source", "note"):
            value = entry.get(key)
            if value is not None and not isinstance(value, Scalar):
                self.problem(
                    value.line,
                    fact,
                    kind.name,
                    f"`{key}` takes a single text",
                    fix=f"write one `{key}:`",
                )
            elif isinstance(value, Scalar) and not self.fits(value, fact, key):
                return
        source, note = origin
        if source is not None and not self.iri_ok(
            source, entry.key_lines["source"], fact, "source"
        ):
            return
        if evidence is not None and (source is not None or note is not None):
            self.problem(
                entry.key_lines["source" if source is not None else "note"],
                fact,
                kind.name,
                f"a {kind.name} is quoted from the article (`evidence:`) or is world knowledge "
                "with its `source:`, not both",
                fix="keep `evidence:` when the article says so; otherwise give `source:` alone",
            )
        elif evidence is None and source is None and note is None:
            self.problem(
                line,
                fact,
                kind.name,
                f"a {kind.name} needs `evidence:`, the article's words that make it, or, when "
                "the article does not, `source:`, where it is known from",
                fix="add `evidence:` with a quote from the article, or `source:` with the address "
                f"of the {kind.name} (world knowledge)",
            )
        if evidence is None:
            self.assert_in_world(triples, node, 1, origin, line, fact, result)
            return
        result.quads.extend((s, p, o, graph) for s, p, o in triples)
        self.key_line(result, node, GKG.evidence, entry, "evidence")
        for index, quote in enumerate(as_list(evidence), start=1):
            child = URIRef(nested_iri(node, "evidence", index))
            if not isinstance(quote, Scalar):
                self.problem(
                    quote.line,
                    fact,
                    kind.name,
                    "`evidence` takes quotes from the article",
                    fix="write each quote as a string",
                )
            elif self.map_evidence(quote, child, fact, graph, result):
                result.quads.append((node, GKG.evidence, child, graph))

    def is_agent(self, id_: str) -> bool:
        """Whether an id names an agent: this file's by its type, the store's by its IRI's
        segment; a CURIE or an IRI is taken as it is."""
        if id_ in self.declared_types:
            return GKG.Agent in self.ontology.ancestors(self.declared_types[id_])
        known = self.known.get(id_) if is_valid_id(id_) else None
        if known is None:
            return True
        segments = {
            self.ontology.segment(cls)
            for cls in self.ontology.classes.values()
            if GKG.Agent in self.ontology.ancestors(cls)
        }
        return any(f"/id/{segment}/" in str(known.iri) for segment in segments if segment)


def _records(root: Mapping, key: str, mapper: _Mapper) -> list[Mapping]:
    records: list[Mapping] = []
    for node in as_list(root.get(key)):
        if isinstance(node, Mapping):
            records.append(node)
        else:
            mapper.problem(
                node.line,
                None,
                "structure",
                f"each entry of `{key}` must be a mapping with `id` and `type`",
            )
    return records


def map_fact_file(
    path: Path,
    ontology: Ontology,
    *,
    base: str,
    known: Mapping_[str, KnownId] | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
    partial: bool = False,
) -> MappedSource:
    """Map a YAML fact file (an article's, or a file of shared entities) to RDF.

    ``known`` holds the ids already in the store; ids declared by the same
    source may be declared again (that is how an article is replaced).
    Raises :class:`FactFileError` with every problem found; with ``partial``, only
    when nothing can be mapped (the YAML, a limit, the article's text or id), and
    otherwise returns what did map with the problems in its ``problems``, so that
    the shapes judge the rest in the same pass. A partial source is never stored:
    its problems keep its validation report from conforming.

    What did not map is left out: an entry without a valid id or a known type, a
    value of the wrong kind, a quote not in the article. A fact with a problem stays
    in the graph with what did map, so that the facts naming it still find it; the
    shapes' problems on it are left out of its report (see
    :func:`graphkg.validation.validate_source`), since they would mostly restate
    what did not map (`labl:` is both an unknown key and a missing label).
    """
    root = read_yaml(path, limits)
    _check_record_count(root, path, limits)
    mapper = _Mapper(path, ontology, base, known if known is not None else {}, limits)
    look_up(mapper.known, _declared_ids(root))
    unknown_top = [k for k in root.items if k not in TOP_LEVEL_KEYS]
    for key in unknown_top:
        mapper.problem(
            root.key_lines[key],
            None,
            "structure",
            f"unknown top-level key {key!r}",
            fix="the top level has `article` (or `source`), `entities`, `facts`, `corrections` "
            "and `uncaptured`",
        )
    article_block = root.get("article")
    entities_graph = URIRef(entities_graph_iri(base))
    if article_block is None:
        source = URIRef(shared_source_iri(base, _shared_source_id(root, path)))
        result = MappedSource(str(path), source, None, entities_graph)
        mapper.known = with_ids(mapper.known, _moved_from_articles(root, mapper, source))
        if root.get("facts") is not None:
            mapper.problem(
                root.key_lines["facts"],
                None,
                "structure",
                "`facts` need an `article` block",
                fix="add `article:` with `id` and `file` (or `text`)",
            )
    else:
        result = _map_article_block(article_block, mapper, path)
        if "source" in root.items:
            mapper.problem(
                root.key_lines["source"],
                None,
                "source",
                "`source` names the source of a shared entities file; an article is its own",
                fix="remove `source:`, or move the entities to a file of shared entities",
            )
    entity_records = _records(root, "entities", mapper)
    fact_records = _records(root, "facts", mapper)
    declared = [
        (r, mapper.declare(r, result.source, result)) for r in entity_records + fact_records
    ]
    for index, (record, id_) in enumerate(declared):
        if id_ is None:
            mapper.check_undeclared(record, index + 1, result)
            continue
        is_entity = index < len(entity_records)
        graph = entities_graph if is_entity else result.graph
        subject = mapper.map_record(record, id_, graph, result)
        if is_entity:
            result.quads.append((subject, GKG.declaredIn, result.source, graph))
    corrections = root.get("corrections")
    if corrections is not None:
        mapper.map_corrections(corrections, result)
    _map_uncaptured(root.get("uncaptured"), mapper, result)
    if mapper.problems and not partial:
        raise FactFileError(mapper.problems)
    result.problems = mapper.problems
    return result


def _shared_source_id(root: Mapping, path: Path) -> str:
    """The id a shared entities file names its source by; each such file is its own source."""
    id_ = root.scalar("source")
    if id_ is not None and is_valid_id(id_):
        return id_
    line = root.key_lines.get("source", root.line)
    suggested = slugify(path.stem) or "shared"
    raise FactFileError(
        [
            Problem(
                str(path),
                line,
                None,
                "source",
                "a file of shared entities must name its source"
                if id_ is None
                else f"invalid source id {id_!r}",
                value=id_,
                fix=f"add `source: {suggested}` at the top: an id of lower-case words joined by "
                "hyphens, its own and no other file's (adding the file replaces what that "
                "source declared)",
            )
        ]
    )


def _declared_ids(root: Mapping) -> list[str]:
    """The ids a fact file declares: its article's, its entities' and its facts'."""
    article = root.get("article")
    records = [article, *as_list(root.get("entities")), *as_list(root.get("facts"))]
    return [id_ for r in records if isinstance(r, Mapping) and (id_ := r.scalar("id"))]


def _moved_from_articles(root: Mapping, mapper: _Mapper, source: URIRef) -> dict[str, KnownId]:
    """The ids an article declared that this shared entities file declares: it takes them over.

    That is how an entity moves from an article to the shared files (the store
    moves its ownership when the file is added). Only an entity whose IRI stays
    the same moves, so that the articles' references to it still hold; another
    shared file's id stays its own.
    """
    moved: dict[str, KnownId] = {}
    for record in as_list(root.get("entities")):
        if not isinstance(record, Mapping):
            continue
        id_ = record.scalar("id") or ""
        cls = mapper.ontology.classes.get(record.scalar("type") or "")
        known = mapper.known.get(id_)
        segment = mapper.ontology.segment(cls) if cls is not None else None
        if (
            known is not None
            and segment is not None
            and shared_source_id(mapper.base, str(known.source)) is None
            and str(known.iri) == mint_iri(mapper.base, segment, id_)
        ):
            moved[id_] = KnownId(known.iri, source)
    return moved


def _check_record_count(root: Mapping, path: Path, limits: InputLimits) -> None:
    """Refuse more entities and facts than ``max_facts_per_file``, before mapping any."""
    records = as_list(root.get("entities")) + as_list(root.get("facts"))
    cap = limits.max_facts_per_file
    if len(records) > cap:
        raise FactFileError(
            [
                Problem(
                    str(path),
                    records[cap].line,
                    None,
                    "facts-per-file",
                    f"the fact file declares {len(records):,} entities and facts; at most "
                    f"{cap:,} are accepted (setting max_facts_per_file)",
                    fix="one fact file describes one article: split what is not this article's",
                )
            ]
        )


ARTICLE_FILE_FIX = "name a UTF-8 text file in the fact file's folder, e.g. `file: article.txt`"
ARTICLE_TEXT_FIX = (
    "write the article's text as a block of lines under `text: |`, indented below it, "
    "or name its file with `file: article.txt`"
)
SHORTEN_ARTICLE = "shorten the article text; raise max_article_chars only for a genuine article"


def _too_long(cap: int) -> str:
    return f"at most {cap:,} characters are accepted (setting max_article_chars)"


def _read_article_text(path: Path, file_name: str, line: int, id_: str, limits: InputLimits) -> str:
    """The text of the file ``file_name``, which must lie in the fact file's folder.

    Whatever ``file`` names is served as the article's text, so it must be
    relative, stay in the fact file's folder (or below it) once ``..`` and
    symbolic links are resolved, and name a regular file.
    """

    def refuse(message: str, fix: str = ARTICLE_FILE_FIX) -> FactFileError:
        return FactFileError(
            [Problem(str(path), line, id_, "article-file", message, shorten(file_name), fix)]
        )

    if os.path.isabs(file_name) or file_name.startswith(("/", "\\")):
        raise refuse("the article text must be named relative to the fact file")
    try:
        folder = path.parent.resolve()
        text_path = (folder / file_name).resolve()
    except (OSError, RuntimeError, ValueError) as error:  # a link loop, a NUL in the name
        raise refuse(f"cannot find the article text {file_name!r}: {error}") from None
    if not text_path.is_relative_to(folder):
        raise refuse(f"the article text {file_name!r} is outside the fact file's folder")
    # The resolved path has no links; O_NOFOLLOW refuses one put in its place since.
    # O_NONBLOCK keeps a named pipe from stalling the open until fstat refuses it.
    flags = os.O_RDONLY
    for name in ("O_NOFOLLOW", "O_NONBLOCK", "O_BINARY"):
        flags |= getattr(os, name, 0)
    try:
        descriptor = os.open(text_path, flags)
    except OSError as error:
        raise refuse(f"cannot read the article text {text_path}: {error.strerror}") from None
    cap = limits.max_article_chars
    too_long, shorten_it = _too_long(cap), SHORTEN_ARTICLE
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise refuse(f"the article text {text_path} is not a regular file")
        if status.st_size > cap * BYTES_PER_CHARACTER:
            size = describe_size(status.st_size)
            raise refuse(f"the article text is {size}; {too_long}", shorten_it)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(cap * BYTES_PER_CHARACTER + 1)
    finally:
        os.close(descriptor)
    if len(data) > cap * BYTES_PER_CHARACTER:  # it grew since fstat
        raise refuse(f"the article text is still growing; {too_long}", shorten_it)
    try:
        text = decode_text(data)
    except UnicodeDecodeError as error:
        raise refuse(
            f"the article text {text_path} is not UTF-8: {error}", "save it as UTF-8"
        ) from None
    if len(text) > cap:
        raise refuse(f"the article text has {len(text):,} characters; {too_long}", shorten_it)
    return text


def _inline_article_text(node: Node, line: int, path: Path, id_: str, limits: InputLimits) -> str:
    """The article's text written in the fact file under ``text:``, within ``max_article_chars``."""

    def refuse(message: str, value: str | None, fix: str = ARTICLE_TEXT_FIX) -> FactFileError:
        return FactFileError([Problem(str(path), line, id_, "article-file", message, value, fix)])

    if not isinstance(node, Scalar):
        kind = "a list" if isinstance(node, Sequence) else "a mapping"
        raise refuse(f"`text` must be the article's text, a string, not {kind}", None)
    text = node.text
    if not text.strip():
        raise refuse("the article's `text` is empty", None)
    cap = limits.max_article_chars
    if len(text) > cap:
        raise refuse(
            f"the article text has {len(text):,} characters; {_too_long(cap)}",
            shorten(text),
            SHORTEN_ARTICLE,
        )
    return text


def _article_text(block: Mapping, path: Path, id_: str, limits: InputLimits) -> str:
    """The article's text: read from the file ``file:`` names, or written inline as ``text:``."""
    given = [key for key in ARTICLE_TEXT_KEYS if key in block.items]
    if len(given) == 2:
        second = max(given, key=lambda key: block.key_lines[key])
        raise FactFileError(
            [
                Problem(
                    str(path),
                    block.key_lines[second],
                    id_,
                    "article-file",
                    "the article gives both `file` and `text`; only one may be given",
                    fix="keep `file: article.txt` to read the text from a file, or `text: |` "
                    "with the text inline, and remove the other",
                )
            ]
        )
    if given == ["text"]:
        return _inline_article_text(block.items["text"], block.key_lines["text"], path, id_, limits)
    file_name = block.scalar("file")
    if file_name is None:
        raise FactFileError(
            [
                Problem(
                    str(path),
                    block.line,
                    id_,
                    "article-file",
                    "the article names no text file",
                    fix="add `file: article.txt`, or write the text inline under `text: |`",
                )
            ]
        )
    return _read_article_text(path, file_name, block.key_lines["file"], id_, limits)


def _map_article_block(block: Node, mapper: _Mapper, path: Path) -> MappedSource:
    if not isinstance(block, Mapping):
        raise FactFileError(
            [Problem(str(path), block.line, None, "structure", "`article` must be a mapping")]
        )
    id_ = block.scalar("id") or ""
    if not is_valid_id(id_):
        raise FactFileError(
            [
                Problem(
                    str(path),
                    block.key_lines.get("id", block.line),
                    None,
                    "id",
                    f"the article needs a valid `id`, not {id_!r}",
                    fix="use lower-case words joined by hyphens, e.g. the title's",
                )
            ]
        )
    text = _article_text(block, path, id_, mapper.limits)
    mapper.language = block.scalar("language") or "en"
    if not mapper.language_ok(mapper.language, block.key_lines.get("language", block.line), id_):
        raise FactFileError(mapper.problems)
    segment = mapper.ontology.segment(GKG.Article) or "article"
    article = URIRef(mint_iri(mapper.base, segment, id_))
    mapper.article, mapper.article_text = article, text
    graph = URIRef(article_graph_iri(mapper.base, id_))
    result = MappedSource(str(path), article, id_, graph)
    if "file" in block.items:  # read from there: it is the article's own file
        result.text_file = block.scalar("file")
    result.declared[id_] = article
    mapper.declared_types[id_] = GKG.Article
    mapper.records[id_] = block
    known = mapper.known.get(id_)
    if known is not None and known.source != article:
        mapper.problem(
            block.key_lines["id"], id_, "unique-id", f"id {id_!r} is already used by {known.source}"
        )
    result.origins[article] = Origin(block.line, id_)
    result.quads.append((article, RDF.type, GKG.Article, graph))
    result.quads.append((article, GKG.text, Literal(text), graph))
    mapper.map_properties(
        block, article, id_, graph, result, skip={"id", *ARTICLE_TEXT_KEYS, "world"}
    )
    for index, entry in enumerate(as_list(block.get("world")), start=1):
        mapper.map_world(entry, article, id_, index, result)
    return result


UNCAPTURED_KEYS = ("opening", "reason")
NON_PROPERTY_KEYS = frozenset(
    {
        *TOP_LEVEL_KEYS,
        *STRUCTURAL_KEYS,
        *ARTICLE_TEXT_KEYS,
        *WORLD_KEYS,
        *ATTRIBUTION_KEYS,
        *CORRECTION_KEYS,
        *UNCAPTURED_KEYS,
    }
)
"""The keys a fact file may use that name no property: the top level's, the structural
keys, and those of the article block and of ``world``, ``attributed``, ``corrections``,
``retracted`` and ``uncaptured`` entries."""


def is_accepted_key(key: str, ontology: Ontology) -> bool:
    """Whether the mapper takes ``key`` somewhere in a fact file: one of
    :data:`NON_PROPERTY_KEYS`, or a property's local name (its CURIE when ambiguous)."""
    return key in NON_PROPERTY_KEYS or ontology.property_for(key) is not None


UNCAPTURED_FIX = 'write `- {opening: "<the sentence\'s first words>", reason: "<why>"}`'


def _uncaptured_mark(entry: Node, mapper: _Mapper) -> UncapturedSentence | None:
    """An ``uncaptured`` entry's opening and reason; None, with problems, when it is malformed."""
    if not isinstance(entry, Mapping):
        mapper.problem(
            entry.line, None, "uncaptured", "an `uncaptured` entry is a mapping", fix=UNCAPTURED_FIX
        )
        return None
    for key in sorted(entry.items.keys() - set(UNCAPTURED_KEYS)):
        mapper.problem(
            entry.key_lines[key],
            None,
            "uncaptured",
            f"unknown key {key!r} in an `uncaptured` entry",
            value=key,
            fix="an `uncaptured` entry has `opening` and `reason`",
        )
    texts: dict[str, str] = {}
    for key in UNCAPTURED_KEYS:
        value = entry.get(key)
        if not isinstance(value, Scalar) or not value.text.strip():
            mapper.problem(
                entry.key_lines.get(key, entry.line),
                None,
                "uncaptured",
                f"an `uncaptured` entry needs `{key}`, a text",
                fix=UNCAPTURED_FIX,
            )
        elif mapper.fits(value, None, key):
            texts[key] = value.text
    if len(texts) < len(UNCAPTURED_KEYS):
        return None
    return UncapturedSentence(texts["opening"], texts["reason"], entry.line)


def _map_uncaptured(node: Node | None, mapper: _Mapper, result: MappedSource) -> None:
    """Keep the sentences the file marks as deliberately not captured, one entry per sentence.

    A mark names its sentence by the sentence's opening words, verbatim (see
    :mod:`graphkg.sentences` for what a sentence is and when one opening names
    several), never by its number.
    """
    if node is None:
        return
    text = mapper.article_text
    if text is None:
        mapper.problem(
            node.line,
            None,
            "uncaptured",
            "`uncaptured` names sentences of an article, and this file has none",
            fix="move the entries to the fact file of their article",
        )
        return
    finder = SentenceFinder(text)
    marked: dict[int, int] = {}  # the start of a marked sentence: the line of its mark
    for entry in as_list(node):
        mark = _uncaptured_mark(entry, mapper)
        if mark is None:
            continue
        match = finder.match(mark.opening)
        named = match.named[0].start if match.named else None
        if named is not None and named not in marked:
            marked[named] = mark.line
            result.uncaptured.append(mark)
            continue
        if named is not None:
            message = f"this sentence is already marked on line {marked[named]}"
            fix = "keep one `uncaptured` entry per sentence"
        elif match.count == 0:
            message = "`opening` is not the start of any sentence of the article"
            fix = finder.hint(mark.opening)
        else:
            message = f"`opening` is the start of {match.count} sentences"
            fix = "quote more of the sentence's first words, until only one sentence starts so"
        mapper.problem(mark.line, None, "uncaptured", message, value=shorten(mark.opening), fix=fix)
