"""Named queries: ``queries/NAME.rq`` files with a header of title, description and parameters.

A header looks like this::

    # title: Responses with their actor, target, date and trigger
    # description: Every response, the incident it answers and when.
    # param: actor iri -- only responses by this actor (optional)
    # param: since date = 2025-01-01 -- responses on or after this date
    # param: attestation enum(attested|stated|reported|alleged|all) = attested -- which events

Each parameter names a SPARQL variable (``?actor``); a value given for it is
bound as a typed RDF term through Oxigraph's substitutions, never pasted into
the query text, so no parameter can change the query's shape.

An enumeration (``enum(a|b|c)``) admits only its listed values and is bound
as a plain string literal (``"attested"``), which the query compares with
string constants; it must have a default, one of its values, so the query
can count on its variable being bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from graphkg.errors import ParameterError, QueryError
from graphkg.iri import is_valid_id
from graphkg.literals import expected_form, typed_literal
from graphkg.namespaces import XSD_TYPES, expand_curie
from graphkg.resources import resource_dir

_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z0-9_]*)\s+(?P<type>[a-zA-Z]+)"
    r"(?:\((?P<values>[^()]*)\))?"
    r"(?:\s*=\s*(?P<default>\S+))?\s*(?:--\s*(?P<help>.*))?$"
)
_ENUM_VALUE = re.compile(r"^[A-Za-z0-9_-]+$")
PARAMETER_TYPES = ("iri", "string", "date", "gYearMonth", "integer", "boolean", "enum")
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


class EntityIds(Protocol):
    """Where an ``iri`` parameter given as an entity's id is looked up: the store."""

    def iri_of_id(self, id_: str) -> str | None: ...

    def closest_ids(self, id_: str) -> list[str]: ...


@dataclass(frozen=True)
class Parameter:
    """One ``# param:`` line: a SPARQL variable, its type, default and help.

    ``values`` holds the allowed values of an ``enum`` parameter, in the
    header's order, and is empty for every other type.
    """

    name: str
    type: str
    default: str | None
    help: str
    values: tuple[str, ...] = ()

    def bind(self, raw: str, ids: EntityIds | None = None) -> ox.NamedNode | ox.Literal:
        """The RDF term for a raw value, or ParameterError naming the parameter.

        An ``iri`` may be given as a full IRI, a CURIE of the predeclared prefixes, or
        an entity's id (``az-foreign-ministry``), looked up in ``ids``.
        """
        if self.type == "enum":
            if raw not in self.values:
                raise ParameterError(
                    f"parameter {self.name!r} must be one of {', '.join(self.values)}, not {raw!r}"
                )
            return ox.Literal(raw)
        if self.type == "iri":
            return ox.NamedNode(self._iri(raw, ids))
        if self.type == "string":
            return ox.Literal(raw)
        datatype = XSD_TYPES[self.type]
        if typed_literal(raw, datatype) is None:
            raise ParameterError(
                f"parameter {self.name!r} must be {expected_form(datatype)}, not {raw!r}"
            )
        return ox.Literal(raw, datatype=ox.NamedNode(str(datatype)))

    def _iri(self, raw: str, ids: EntityIds | None) -> str:
        if ids is not None and is_valid_id(raw):
            iri = ids.iri_of_id(raw)
            if iri is not None:
                return iri
            closest = ids.closest_ids(raw)
            raise ParameterError(
                f"parameter {self.name!r}: no entity has the id {raw!r}"
                + (f"; the closest ids: {', '.join(closest)}" if closest else "")
                + "; give an id, a CURIE (gkg:State) or a full IRI"
            )
        iri = expand_curie(raw) or raw
        if not _IRI.match(iri):
            raise ParameterError(
                f"parameter {self.name!r} must be an entity's id, a CURIE or an IRI, not {raw!r}"
            )
        return iri


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    sparql: str

    def substitutions(
        self, values: dict[str, str], ids: EntityIds | None = None
    ) -> dict[str, ox.NamedNode | ox.Literal]:
        """Bind the given values and the defaults (ids of entities looked up in ``ids``);
        unknown names are an error."""
        known = {p.name: p for p in self.parameters}
        for name in values:
            if name not in known:
                raise ParameterError(
                    f"query {self.name!r} has no parameter {name!r}; "
                    f"its parameters: {', '.join(known) or 'none'}"
                )
        bound: dict[str, ox.NamedNode | ox.Literal] = {}
        for parameter in self.parameters:
            raw = values.get(parameter.name, parameter.default)
            # An empty value leaves an optional parameter unbound; an enumeration is
            # never optional, so its empty value is refused like any value outside it.
            if raw is not None and (raw != "" or parameter.type == "enum"):
                bound[parameter.name] = parameter.bind(raw, ids)
        return bound


def _parse_parameter(path: Path, line: str) -> Parameter:
    """The parameter of a ``# param:`` line's value, or QueryError saying how to write it."""
    found = _PARAM.match(line)
    if found is None or found.group("type") not in PARAMETER_TYPES:
        raise QueryError(
            f"{path}: bad parameter line {line!r}; "
            "write `# param: NAME TYPE [= DEFAULT] -- HELP`, NAME beginning with a letter "
            "(names beginning with _ are the pages' own), with TYPE one of "
            + ", ".join(PARAMETER_TYPES[:-1])
            + ", or enum(VALUE|VALUE|...)"
        )
    name, type_, default = found.group("name"), found.group("type"), found.group("default")
    listed = found.group("values")
    if (type_ == "enum") != (listed is not None):
        raise QueryError(
            f"{path}: parameter {name!r}: only an enum lists values, as enum(VALUE|VALUE|...)"
        )
    values = tuple(v.strip() for v in listed.split("|")) if listed is not None else ()
    if type_ == "enum":
        bad = [v for v in values if not _ENUM_VALUE.match(v)]
        if bad or len(set(values)) != len(values):
            raise QueryError(
                f"{path}: parameter {name!r}: enum values must be distinct words "
                f"(letters, digits, - and _), not {listed!r}"
            )
        if default not in values:
            raise QueryError(
                f"{path}: parameter {name!r}: an enum needs a default among its values "
                f"({', '.join(values)}), not {default!r}"
            )
    return Parameter(name, type_, default, (found.group("help") or "").strip(), values)


def parse_named_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match is None:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            parameters.append(_parse_parameter(path, value))
        else:
            fields[key] = value
    if "title" not in fields:
        raise QueryError(f"{path}: the header has no `# title:` line")
    return NamedQuery(
        path.stem, fields["title"], fields.get("description", ""), tuple(parameters), text
    )


def load_named_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query of a directory (default: the shipped ``queries/``), by name."""
    directory = directory or resource_dir("queries")
    return {path.stem: parse_named_query(path) for path in sorted(directory.glob("*.rq"))}
