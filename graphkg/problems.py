"""A problem found in a fact file, with its address: file, line, fact, rule, value, fix.

A problem is a violation (the file is refused) or a warning (reported, and the
file is accepted all the same).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a fact file, addressed so a steward can fix it."""

    file: str
    line: int | None
    fact: str | None
    rule: str
    message: str
    value: str | None = None
    fix: str | None = None
    severity: str = "violation"
    """``violation`` (the file does not conform) or ``warning`` (it conforms all the same)."""
    property: str | None = None
    """The property at fault, as a CURIE (``gkg:killedCount``), when a shape names one."""
    quote: str | None = None
    """The evidence the fact at fault is quoted with, to find it in the article."""

    def describe(self) -> str:
        """The problem for people: where, what, then one indented line per field. A field
        of several lines (a misquote's passage with its mark) keeps its lines' columns."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "warning: " if self.severity == "warning" else ""
        parts = [f"{where}: {prefix}{self.message}"]
        if self.fact:
            parts.append(_field("fact", self.fact))
        parts.append(_field("rule", self.rule))
        if self.value is not None:
            parts.append(_field("value", self.value))
        if self.fix:
            parts.append(_field("fix", self.fix))
        return "\n".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _field(name: str, text: str) -> str:
    """``  name: text``, the lines after the first indented to start under the text's."""
    head = f"  {name}: "
    return head + text.replace("\n", "\n" + " " * len(head))
