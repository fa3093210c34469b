"""A problem found in a fact file, with its address: file, line, fact, rule, value, fix."""

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

    def describe(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [f"{where}: {self.message}"]
        if self.fact:
            parts.append(f"  fact: {self.fact}")
        parts.append(f"  rule: {self.rule}")
        if self.value is not None:
            parts.append(f"  value: {self.value}")
        if self.fix:
            parts.append(f"  fix: {self.fix}")
        return "\n".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
