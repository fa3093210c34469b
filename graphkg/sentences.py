"""Articles split into sentences, and sentences named by their opening words.

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
import re
from dataclasses import dataclass

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

OPENING_WORDS = 8
"""Words of a sentence shown as its opening, enough to name it in ``uncaptured:``."""

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
