"""Exceptions of graphkg, grouped by what the caller can do about them.

GraphkgError
├── SettingsError        a setting is unknown or invalid: fix the configuration
├── FactFileError        fact files do not map to RDF: fix the files (carries problems)
├── ValidationFailed     mapped facts break SHACL shapes: fix the facts (carries a report)
├── StoreError           the store cannot be opened or changed
│   ├── UnknownArticle   no article with that id is stored
│   └── ChangeRefused    the change would lose data others rely on: change the files
└── QueryError           a SPARQL query or named query is invalid
    ├── MalformedQuery   the text is not SPARQL
    └── ParameterError   a named-query parameter is missing or of the wrong type
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from graphkg.problems import Problem


class Report(Protocol):
    """What a failed validation carries: a report that reads as text (a ValidationReport)."""

    def as_text(self) -> str: ...


class GraphkgError(Exception):
    """Base of every error graphkg raises on purpose."""


class SettingsError(GraphkgError):
    """A setting is unknown, or its value does not convert."""


class FactFileError(GraphkgError):
    """One or more fact files could not be read or mapped to RDF."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(problem.describe() for problem in problems))


class ValidationFailed(GraphkgError):
    """Mapped facts do not conform to the SHACL shapes."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(report.as_text())


class StoreError(GraphkgError):
    """The store cannot be opened, read or changed."""


class StoreBusy(StoreError):
    """Another process writes the store; ``server`` is its URL when a server holds it."""

    def __init__(self, message: str, *, server: str | None = None) -> None:
        super().__init__(message)
        self.server = server


class UnknownArticle(StoreError):
    """No article with this id is in the store."""


class ChangeRefused(StoreError):
    """A write would remove what it does not declare, or what other articles reference."""


class WriteRefused(GraphkgError):
    """A write was refused (its scope, what it would break) or could not be sent."""


class QueryError(GraphkgError):
    """A SPARQL query, or a named query, is invalid."""


class MalformedQuery(QueryError):
    """The query text is not SPARQL; ``detail`` is the parser's account of where."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"invalid SPARQL: {detail}")


class ParameterError(QueryError):
    """A parameter of a named query is missing or has the wrong type."""
