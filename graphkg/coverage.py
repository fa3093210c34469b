"""Which sentences of an article its fact file accounts for.

Every sentence of an article is either cited (a fact's or entity's evidence
falls in it), marked in the fact file as deliberately not captured
(``uncaptured:``, with a reason), or unexplained. ``graphkg coverage`` lists
them; ``graphkg validate`` reports each unexplained sentence as a warning.

Sentences are those of :mod:`graphkg.sentences`.
"""

from __future__ import annotations

import bisect
import json
import textwrap
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef

from graphkg.mapping import MappedSource
from graphkg.namespaces import GKG, OA
from graphkg.ontology import local_name
from graphkg.problems import Problem
from graphkg.sentences import Sentence, SentenceFinder, UncapturedSentence

SENTENCE_LINES = 4
"""Most lines of a sentence :meth:`ArticleCoverage.as_text` shows; a longer one is cut with "…"."""

CITED, UNCAPTURED, UNEXPLAINED = "cited", "uncaptured", "unexplained"
"""A sentence's status: cited by evidence, marked uncaptured with a reason, or neither."""


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
    """The warnings of :meth:`ArticleCoverage.warnings`; none for a file without an article,
    nor for one mapped in part with violations (see :func:`graphkg.mapping.map_fact_file`):
    a quote or a fact that did not map leaves the sentences it cites unexplained, and
    those warnings would be false. They come once the file maps."""
    if any(problem.severity == "violation" for problem in source.problems):
        return []
    coverage = article_coverage(source)
    return coverage.warnings() if coverage is not None else []
