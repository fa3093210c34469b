"""Which sentences of an article its fact file accounts for.

Every sentence of an article is either cited (a fact's or entity's evidence
falls in it), marked in the fact file as deliberately not captured
(``uncaptured:``, with a reason), or unexplained. ``graphkg coverage`` lists
them; ``graphkg validate`` reports each unexplained sentence as a warning.

The sentence rule is graphkg's own, so that it needs no model or data and a
steward can predict it:

1. A line break always ends a sentence.
2. Within a line, a sentence ends after ``.``, ``!`` or ``?`` (or a run of
   them, such as ``...`` or ``?!``), optionally followed by closing quotes or
   brackets (``" ' ” ’ » ) ]``), when whitespace and then an upper-case letter,
   a digit or an opening quote or bracket (``" ' “ ‘ « ( [``) follow.
3. A single ``.`` directly after an abbreviation does not end a sentence:
   a word of :data:`ABBREVIATIONS` (``Mr.``, ``Dr.``, ``St.``, ``Jan.`` to
   ``Dec.``…), letters joined by dots (``U.S.``, ``e.g.``, ``i.e.``,
   ``a.m.``) or a single capital initial (``John F. Kennedy``).
4. Whitespace around a sentence is not part of it; empty pieces are dropped.

A sentence keeps its character offsets in the article text (Python string
indices, ``end`` exclusive): the same offsets as an evidence's ``oa:start``
and ``oa:end``, so a quote cites every sentence its span overlaps.

A fact file names a sentence by a quote of its opening words, never by its
number, so that marks survive edits of the text elsewhere.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from graphkg.namespaces import GKG, OA
from graphkg.ontology import local_name
from graphkg.problems import Problem

if TYPE_CHECKING:
    from graphkg.mapping import MappedSource

ABBREVIATIONS = frozenset(
    {
        *("Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Sr", "Jr", "Mt", "Ft"),
        *("Gen", "Col", "Lt", "Sgt", "Capt", "Cmdr", "Adm", "Maj"),
        *("Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "Amb"),
        *("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"),
        *("Inc", "Ltd", "Co", "Corp", "Dept", "No", "Nos", "Vol", "Fig"),
        *("vs", "approx", "cf"),
    }
)
"""Words after which a single ``.`` does not end a sentence (case matters: ``no.`` ends one)."""

SENTENCE_LINES = 4
"""Most lines of a sentence :meth:`ArticleCoverage.as_text` shows; a longer one is cut with "…"."""

OPENING_WORDS = 8
"""Words of a sentence shown as its opening, enough to name it in ``uncaptured:``."""

CITED, UNCAPTURED, UNEXPLAINED = "cited", "uncaptured", "unexplained"
"""A sentence's status: cited by evidence, marked uncaptured with a reason, or neither."""

# Possessive runs, tried only where a run starts: a line of a million `!` is one attempt.
_CANDIDATE_END = re.compile(r"(?<![.!?])([.!?]++)([\"'”’»)\]]*+)[^\S\n]++(?=(\S))")
_OPENERS = frozenset("\"'“‘«([")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_WORD_WINDOW = 40  # longer than any abbreviation: a look back never scans the whole line
_WORD_BEFORE = re.compile(r"[\"'“‘«(\[]*(\S*)$")
_OPENING = re.compile(rf"\S+(?:\s+\S+){{0,{OPENING_WORDS - 1}}}")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article and where it is: ``text == article[start:end]``."""

    start: int
    end: int
    text: str

    @property
    def opening(self) -> str:
        """The sentence's first words, verbatim: what ``uncaptured:`` quotes to name it."""
        found = _OPENING.match(self.text)
        return found.group(0) if found else self.text


@dataclass(frozen=True)
class UncapturedSentence:
    """A fact file's mark on a sentence it deliberately does not capture (``uncaptured:``)."""

    opening: str
    reason: str
    line: int


def _ends_sentence(text: str, line_start: int, candidate: re.Match[str]) -> bool:
    """Whether a terminator found by ``_CANDIDATE_END`` ends a sentence (rules 2 and 3)."""
    following = candidate.group(3)
    if not (following.isupper() or following.isdigit() or following in _OPENERS):
        return False
    if candidate.group(1) != "." or candidate.group(2):
        return True
    window = text[max(line_start, candidate.start() - _WORD_WINDOW) : candidate.start()]
    word_match = _WORD_BEFORE.search(window)
    word = word_match.group(1) if word_match else ""
    is_initial = len(word) == 1 and word.isupper()
    return not (word in ABBREVIATIONS or is_initial or _DOTTED.fullmatch(word))


def _stripped(text: str, start: int, end: int) -> Sentence | None:
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    return Sentence(start, end, text[start:end]) if start < end else None


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` by the rule in this module's docstring, in order."""
    pieces: list[Sentence | None] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for candidate in _CANDIDATE_END.finditer(text, line.start(), line.end()):
            if _ends_sentence(text, line.start(), candidate):
                pieces.append(_stripped(text, start, candidate.end(2)))
                start = candidate.end()
        pieces.append(_stripped(text, start, line.end()))
    return [piece for piece in pieces if piece is not None]


HINT_CHARS = 80
"""Characters of an opening compared with each sentence's start to suggest the closest."""

HINTS = 20
"""Wrong openings of one file given a hint; each hint costs a scan of the text and its sentences."""

_AFTER_ANY_CHARACTER = "\U0010ffff"
"""The greatest character: every text that starts with ``x`` sorts before ``x`` followed by it."""


@dataclass(frozen=True)
class OpeningMatch:
    """The sentences an opening starts: how many, and those it names.

    An opening names the one sentence it starts; or several, when they read
    exactly alike (a repeated "Advertisement"), since no words could tell them apart.
    """

    count: int
    named: tuple[Sentence, ...]


class SentenceFinder:
    """The sentences of an article text, found by their opening words.

    A lookup costs the logarithm of the number of sentences, so a file of many
    ``uncaptured`` entries costs little. A hint for a wrong opening scans the
    text, so only the first :data:`HINTS` wrong openings get one.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences = split_sentences(text)
        # Sentences that read alike stay in the text's order, so a match is a slice.
        self._sorted = sorted(self.sentences, key=lambda s: (s.text, s.start))
        self._texts = [sentence.text for sentence in self._sorted]
        self._named: dict[int, tuple[Sentence, ...]] = {}
        self._hints_left = HINTS

    def match(self, opening: str) -> OpeningMatch:
        """The sentences whose text starts with ``opening``, verbatim."""
        if not opening:
            return OpeningMatch(0, ())
        first = bisect.bisect_left(self._texts, opening)
        count = bisect.bisect_left(self._texts, opening + _AFTER_ANY_CHARACTER, first) - first
        if count == 0 or self._texts[first] != self._texts[first + count - 1]:
            return OpeningMatch(count, ())
        if first not in self._named:  # all the sentences that read alike: the same for each mark
            self._named[first] = tuple(self._sorted[first : first + count])
        return OpeningMatch(count, self._named[first])

    def hint(self, opening: str) -> str:
        """How to fix an opening that starts no sentence: where it occurs, or the closest starts."""
        if self._hints_left <= 0:
            return "copy the first words of the sentence exactly from the article"
        self._hints_left -= 1
        position = self.text.find(opening) if opening else -1
        inside = next((s for s in self.sentences if s.start <= position < s.end), None)
        if inside is not None:
            return (
                f"it occurs inside the sentence that opens {inside.opening!r}; quote that opening"
            )
        probe = opening[:HINT_CHARS]
        starts = {s.text[: len(probe)]: s for s in self.sentences}
        close = difflib.get_close_matches(probe, list(starts), n=3, cutoff=0.5)
        if not close:
            return "copy the first words of the sentence exactly from the article"
        return "copy the opening exactly; closest: " + ", ".join(
            repr(starts[c].opening) for c in close
        )


@dataclass(frozen=True)
class Citation:
    """A span of evidence in the article, and the fact or entity it supports."""

    fact: str
    start: int
    end: int


def article_text(source: MappedSource) -> str | None:
    """The ``gkg:text`` of the source's article; None for a file without an article."""
    return next(
        (
            str(o)
            for s, p, o, _ in source.quads
            if s == source.source and p == GKG.text and isinstance(o, Literal)
        ),
        None,
    )


def citations(source: MappedSource) -> list[Citation]:
    """Every evidence span of the source, with the id of the fact or entity it belongs to.

    An evidence node is an object of ``gkg:evidence``; its span is the
    ``oa:start`` and ``oa:end`` of its ``oa:TextPositionSelector``. Evidence
    on a nested node (a participation, an attributed statement) counts for the
    fact the node belongs to.
    """
    values: dict[tuple[Any, Any], list[Any]] = {}
    for s, p, o, _ in source.quads:
        values.setdefault((s, p), []).append(o)
    found: list[Citation] = []
    for s, p, o, _ in source.quads:
        if p != GKG.evidence or not isinstance(o, URIRef):
            continue
        origin = source.origins.get(s) or source.origins.get(o)
        fact = (origin.fact if origin else None) or local_name(str(s))
        for selector in values.get((o, OA.hasSelector), []):
            starts, ends = values.get((selector, OA.start)), values.get((selector, OA.end))
            if starts and ends and str(starts[0]).isdigit() and str(ends[0]).isdigit():
                found.append(Citation(fact, int(starts[0]), int(ends[0])))
    return found


@dataclass(frozen=True)
class SentenceCoverage:
    """One sentence, the facts whose evidence falls in it, and the marks that name it."""

    sentence: Sentence
    facts: tuple[str, ...]
    marks: tuple[UncapturedSentence, ...]

    @property
    def status(self) -> str:
        """``cited``, ``uncaptured`` or ``unexplained`` (a cited sentence counts as cited)."""
        if self.facts:
            return CITED
        return UNCAPTURED if self.marks else UNEXPLAINED


@dataclass(frozen=True)
class ArticleCoverage:
    """Every sentence of one article with its status; see :func:`article_coverage`."""

    file: str
    article_id: str
    line: int | None
    sentences: tuple[SentenceCoverage, ...]

    def count(self, status: str) -> int:
        return sum(1 for s in self.sentences if s.status == status)

    @property
    def summary(self) -> str:
        """``12 sentences: 10 cited, 1 marked uncaptured, 1 unexplained``."""
        return (
            f"{len(self.sentences)} sentences: {self.count(CITED)} cited, "
            f"{self.count(UNCAPTURED)} marked uncaptured, {self.count(UNEXPLAINED)} unexplained"
        )

    def warnings(self) -> list[Problem]:
        """A warning per unexplained sentence, and per mark on a sentence that is cited."""
        found: list[Problem] = []
        for covered in self.sentences:
            if covered.status == UNEXPLAINED:
                opening = covered.sentence.opening
                found.append(
                    Problem(
                        self.file,
                        self.line,
                        self.article_id,
                        "coverage",
                        "no fact cites this sentence, and no `uncaptured` entry explains it",
                        value=opening,
                        fix="cite it from a fact's `evidence`, or explain it under `uncaptured:`: "
                        f"`- {{opening: {json.dumps(opening, ensure_ascii=False)}, reason: …}}`",
                        severity="warning",
                    )
                )
            for mark in covered.marks if covered.facts else ():
                found.append(
                    Problem(
                        self.file,
                        mark.line,
                        self.article_id,
                        "coverage",
                        f"marked uncaptured but cited by {', '.join(covered.facts)}",
                        value=mark.opening,
                        fix="remove the `uncaptured` entry, or the evidence citing the sentence",
                        severity="warning",
                    )
                )
        return found

    def as_text(self, width: int = 80) -> str:
        """The sentences, numbered for reading and wrapped to ``width``, each with its verdict."""
        digits = len(str(len(self.sentences)))
        indent = " " * (digits + 2)
        body = max(width - len(indent), 20)
        blocks = [f"{self.file}: article {self.article_id}"]
        for number, covered in enumerate(self.sentences, start=1):
            lines = textwrap.wrap(
                covered.sentence.text, body, max_lines=SENTENCE_LINES, placeholder=" …"
            )
            block = [f"{number:>{digits}}  {lines[0]}", *(indent + line for line in lines[1:])]
            block.extend(
                textwrap.wrap(
                    _verdict(covered),
                    len(indent) + body,
                    initial_indent=indent + "→ ",
                    subsequent_indent=indent + "  ",
                    break_on_hyphens=False,
                )
            )
            blocks.append("\n".join(block))
        blocks.append(self.summary)
        return "\n\n".join(blocks)

    def as_json(self) -> str:
        """Every sentence with its offsets, status, citing facts and marks; the warnings."""
        return json.dumps(
            {
                "file": self.file,
                "article": self.article_id,
                "sentences": [
                    {
                        "number": number,
                        "start": covered.sentence.start,
                        "end": covered.sentence.end,
                        "text": covered.sentence.text,
                        "status": covered.status,
                        "facts": list(covered.facts),
                        "uncaptured": [
                            {"opening": m.opening, "reason": m.reason, "line": m.line}
                            for m in covered.marks
                        ],
                    }
                    for number, covered in enumerate(self.sentences, start=1)
                ],
                "summary": {
                    "sentences": len(self.sentences),
                    **{status: self.count(status) for status in (CITED, UNCAPTURED, UNEXPLAINED)},
                },
                "warnings": [problem.as_dict() for problem in self.warnings()],
            },
            indent=2,
            ensure_ascii=False,
        )


def _verdict(covered: SentenceCoverage) -> str:
    reasons = "; ".join(f"uncaptured: {m.reason}" for m in covered.marks)
    if covered.facts:
        cited = ", ".join(covered.facts)
        return (
            f"cited by {cited} (warning: also marked {reasons})" if reasons else f"cited by {cited}"
        )
    return reasons or "NOT CAPTURED"


def article_coverage(source: MappedSource) -> ArticleCoverage | None:
    """Each sentence of the source's article with its citing facts and marks; None without one."""
    text = article_text(source)
    if text is None or source.article_id is None:
        return None
    finder = SentenceFinder(text)
    sentences = finder.sentences
    starts = [s.start for s in sentences]
    facts: list[dict[str, None]] = [{} for _ in sentences]
    for citation in citations(source):
        first = max(bisect.bisect_right(starts, citation.start) - 1, 0)
        for index in range(first, len(sentences)):
            sentence = sentences[index]
            if sentence.start >= citation.end:
                break
            if sentence.end > citation.start:
                facts[index][citation.fact] = None
    marks: list[list[UncapturedSentence]] = [[] for _ in sentences]
    for mark in source.uncaptured:
        for marked in finder.match(mark.opening).named:
            marks[bisect.bisect_left(starts, marked.start)].append(mark)
    origin = source.origins.get(source.source)
    return ArticleCoverage(
        source.file,
        source.article_id,
        origin.line if origin else None,
        tuple(
            SentenceCoverage(sentence, tuple(cited), tuple(marked))
            for sentence, cited, marked in zip(sentences, facts, marks, strict=True)
        ),
    )


def coverage_warnings(source: MappedSource) -> list[Problem]:
    """The warnings of :meth:`ArticleCoverage.warnings`; none for a file without an article."""
    coverage = article_coverage(source)
    return coverage.warnings() if coverage is not None else []
