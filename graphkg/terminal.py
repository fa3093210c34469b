"""Query results for people at a terminal: labels or CURIEs, in a table that fits the width.

``graphkg query`` prints solutions this way unless asked for a machine format
(``--format csv``, ``json`` ...), which keeps full IRIs and exact values. A term
of a vocabulary shows as its CURIE (``gkg:Incident``, ``ik:raid``): what a query
names it by. Any other IRI, an entity's, shows as its ``rdfs:label``, else as its
path under the store's ``{base}id/`` (as the pages show it), else in full. A
literal shows its lexical value alone (no datatype, no language tag). Columns
share the width fairly: one that fits its share keeps its natural width, and
what it leaves goes to the wider ones, whose long cells end in an ellipsis.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

import pyoxigraph as ox

from graphkg.labels import fetch_labels
from graphkg.namespaces import PREFIXES
from graphkg.ontology import curie
from graphkg.store import KnowledgeGraph

DEFAULT_WIDTH = 100
"""The width of a table written to a pipe or a file, unless ``COLUMNS`` says otherwise."""
SEPARATOR = "  "
ELLIPSIS = "…"
MIN_COLUMN = 8
"""Fewer characters a column than this, and a table is shown as records instead."""
NUMERIC_TYPES = frozenset(
    PREFIXES["xsd"] + name
    for name in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)
"""Datatypes whose values a table aligns to the right."""
"""Which label to show when an IRI has several: English, then untagged, then any."""


def terminal_width() -> int:
    """The terminal's width in columns: ``COLUMNS`` if set, else the terminal's own, else 100."""
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def prefixed_name(iri: str) -> str | None:
    """The IRI's CURIE of the ontology's prefixes (``gkg:Incident``), or None."""
    shown = curie(iri)
    return None if shown.startswith("<") else shown


def short_iri(iri: str, base: str) -> str:
    """An IRI as people read it when it has no label: its CURIE, else its path under
    ``{base}id/`` (``state/azerbaijan``), else the IRI itself."""
    ids = f"{base}id/"
    if (name := prefixed_name(iri)) is not None:
        return name
    if iri.startswith(ids) and len(iri) > len(ids):
        return iri[len(ids) :]
    return iri


def show_term(term: object, labels: dict[str, str], base: str) -> str:
    """A term as a table cell, on one line: a vocabulary term's CURIE, else an IRI's
    label from ``labels``, else its short form; a literal's value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        shown = prefixed_name(term.value) or labels.get(term.value) or short_iri(term.value, base)
    elif isinstance(term, ox.Literal):
        shown = term.value
    elif isinstance(term, ox.BlankNode):
        shown = f"_:{term.value}"
    elif isinstance(term, ox.Triple):
        parts = (term.subject, term.predicate, term.object)
        shown = "<< " + " ".join(show_term(part, labels, base) for part in parts) + " >>"
    else:
        shown = str(term)
    return " ".join(shown.split()) if any(c in shown for c in "\n\r\t") else shown


def fit_widths(natural: Sequence[int], available: int) -> list[int]:
    """Column widths that add up to at most ``available`` (at least 1 each), shared fairly.

    Columns no wider than an equal share of what is left keep their natural
    width; the others split the rest equally, the leftmost taking the remainder.
    """
    if sum(natural) <= available:
        return list(natural)
    widths = list(natural)
    squeezed = list(range(len(natural)))
    left = available
    while squeezed:
        share = left // len(squeezed)
        fitting = [i for i in squeezed if natural[i] <= share]
        if not fitting:
            break
        left -= sum(natural[i] for i in fitting)
        squeezed = [i for i in squeezed if natural[i] > share]
    for position, index in enumerate(squeezed):
        extra = 1 if position < left % len(squeezed) else 0
        widths[index] = max(1, left // len(squeezed) + extra)
    return widths


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, ending in an ellipsis when cut."""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + ELLIPSIS if width > 0 else ""


def format_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int | None,
    right_aligned: Sequence[bool] = (),
) -> str:
    """An aligned text table with a row count, no line wider than ``width`` (``None``:
    as wide as the longest cells). When the width leaves a column too few characters to
    read, each row is shown as a record instead, one ``column  value`` line a column (as
    psql's expanded display)."""
    natural = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(columns)]
    widths = natural
    if width is not None:
        available = width - len(SEPARATOR) * max(len(columns) - 1, 0)
        if sum(natural) > available and available < MIN_COLUMN * len(columns):
            return _records(columns, rows, width)
        widths = fit_widths(natural, available)
    right = list(right_aligned) + [False] * (len(columns) - len(right_aligned))

    def line(cells: Sequence[str]) -> str:
        padded = (
            cut(cell, w).rjust(w) if r else cut(cell, w).ljust(w)
            for cell, w, r in zip(cells, widths, right, strict=True)
        )
        text = SEPARATOR.join(padded).rstrip()
        # More columns than the width has room for, even at one character each.
        return cut(text, width) if width is not None else text

    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(row) for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _records(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> str:
    """Rows as records: a ``-[ row N ]-`` rule, then a line a column, values cut to fit."""
    names = max(len(name) for name in columns)
    out = []
    for number, row in enumerate(rows, start=1):
        out.append(cut(f"-[ row {number} ]".ljust(width, "-"), width))
        out += [
            cut(f"{name.ljust(names)}{SEPARATOR}{cell}", width).rstrip()
            for name, cell in zip(columns, row, strict=True)
        ]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def solutions_table(results: ox.QuerySolutions, kg: KnowledgeGraph, *, width: int | None) -> str:
    """SELECT solutions as a table for people: entities by their labels (looked up in
    ``kg``, all at once), other IRIs by CURIEs or short forms, cells cut to fit ``width``
    (``None``: full values)."""
    columns = [variable.value for variable in results.variables]
    solutions = [[solution[name] for name in columns] for solution in results]
    labels = fetch_labels(
        kg,
        {
            term.value
            for row in solutions
            for term in row
            if isinstance(term, ox.NamedNode) and prefixed_name(term.value) is None
        },
    )
    rows = [[show_term(term, labels, kg.base) for term in row] for row in solutions]
    right_aligned = [
        any(row[i] is not None for row in solutions)
        and all(row[i] is None or _is_number(row[i]) for row in solutions)
        for i in range(len(columns))
    ]
    return format_table(columns, rows, width=width, right_aligned=right_aligned)


def _is_number(term: object) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value in NUMERIC_TYPES
