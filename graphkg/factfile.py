"""Reading fact files: YAML to plain values that remember their line numbers.

Scalars are kept as the text the steward wrote (``2025-06-29``, ``2``, ``no``),
not as YAML 1.1 guesses: the mapper converts them by the ontology's ranges, so
``no`` stays a string and a date's lexical form is checked against ``xsd:date``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from graphkg.errors import FactFileError
from graphkg.problems import Problem
from graphkg.settings import DEFAULT_LIMITS, InputLimits


@dataclass
class Scalar:
    text: str
    line: int
    quoted: bool = False


@dataclass
class Mapping:
    line: int
    items: dict[str, Node] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)

    def get(self, key: str) -> Node | None:
        return self.items.get(key)

    def scalar(self, key: str) -> str | None:
        node = self.items.get(key)
        return node.text if isinstance(node, Scalar) else None


@dataclass
class Sequence:
    line: int
    items: list[Node] = field(default_factory=list)


Node = Scalar | Mapping | Sequence


def as_list(node: Node | None) -> list[Node]:
    """A value or a list of values, as a list."""
    if node is None:
        return []
    return node.items if isinstance(node, Sequence) else [node]


def _convert(node: yaml.Node, file: str) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, line, quoted=node.style in ("'", '"'))
    if isinstance(node, yaml.SequenceNode):
        return Sequence(line, [_convert(item, file) for item in node.value])
    if isinstance(node, yaml.MappingNode):
        mapping = Mapping(line)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise FactFileError(
                    [Problem(file, key_line, None, "yaml", "a key must be a plain word")]
                )
            if key_node.value in mapping.items:
                raise FactFileError(
                    [
                        Problem(
                            file,
                            key_line,
                            None,
                            "yaml",
                            f"duplicate key {key_node.value!r}",
                            fix="keep one of them",
                        )
                    ]
                )
            mapping.items[key_node.value] = _convert(value_node, file)
            mapping.key_lines[key_node.value] = key_line
        return mapping
    raise FactFileError([Problem(file, line, None, "yaml", "unsupported YAML node")])


def read_yaml(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> Mapping:
    """The top-level mapping of a YAML fact file, with line numbers."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise FactFileError(
            [Problem(file, None, None, "encoding", f"not UTF-8: {error}", fix="save as UTF-8")]
        ) from None
    except OSError as error:
        raise FactFileError(
            [Problem(file, None, None, "file", f"cannot read: {error.strerror}")]
        ) from None
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise FactFileError(
            [
                Problem(
                    file,
                    line,
                    None,
                    "yaml",
                    f"malformed YAML: {error.problem or error}",
                    fix="check indentation and quoting near this line",
                )
            ]
        ) from None
    if root is None:
        raise FactFileError([Problem(file, 1, None, "yaml", "the file is empty")])
    converted = _convert(root, file)
    if not isinstance(converted, Mapping):
        raise FactFileError(
            [
                Problem(
                    file,
                    converted.line,
                    None,
                    "yaml",
                    "the top level must be a mapping",
                    fix="start with `article:`, `entities:` and `facts:`",
                )
            ]
        )
    return converted
