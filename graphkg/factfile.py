"""Reading fact files: YAML to plain values that remember their line numbers.

Scalars are kept as the text the steward wrote (``2025-06-29``, ``2``, ``no``),
not as YAML 1.1 guesses: the mapper converts them by the ontology's ranges, so
``no`` stays a string and a date's lexical form is checked against ``xsd:date``.

A submitted file is hostile until read: its size is checked before it is read
(:func:`read_fact_text`, shared with Turtle and JSON-LD), its aliases are
counted before it is composed, and an alias never copies the value it names,
so a "billion laughs" file costs what its text costs and is refused by the
size it would expand to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from graphkg.errors import FactFileError
from graphkg.problems import Problem
from graphkg.settings import DEFAULT_LIMITS, InputLimits

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def describe_size(size: int) -> str:
    """A byte count for people: ``512 bytes``, ``1.5 kB``, ``3.1 MB`` (powers of 1024)."""
    if size < 1024:
        return f"{size:,} bytes"
    unit, scale = ("MB", 1024 * 1024) if size >= 1024 * 1024 else ("kB", 1024)
    return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"


def shorten(text: str, width: int = 60) -> str:
    """The start of a long value, for a problem's ``value``: echoing all of it helps no one."""
    return text if len(text) <= width else f"{text[:width]}… ({len(text):,} characters)"


def decode_text(data: bytes) -> str:
    """UTF-8 text with universal newlines, as ``Path.read_text`` gives it."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def read_fact_text(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> str:
    """The text of a submitted file (YAML, Turtle or JSON-LD), refused unread when too large.

    The size is taken from the open file before reading, and no more than the
    cap and one byte is read, so a file that lies about its size (a device, a
    file still growing) is refused too.
    """
    file, cap = str(path), limits.max_fact_file_bytes
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(cap + 1) if size <= cap else b""
    except OSError as error:
        raise FactFileError(
            [Problem(file, None, None, "file", f"cannot read: {error.strerror or error}")]
        ) from None
    if size > cap or len(data) > cap:
        found = describe_size(size) if size > cap else f"more than {describe_size(cap)}"
        allowed = describe_size(cap)
        if found == allowed:
            found, allowed = f"{size:,} bytes", f"{cap:,} bytes"
        raise FactFileError(
            [
                Problem(
                    file,
                    None,
                    None,
                    "file-size",
                    f"the fact file is {found}; at most {allowed} are accepted "
                    "(setting max_fact_file_bytes)",
                    fix="submit one article's facts per file; raise max_fact_file_bytes "
                    "only for a genuine file",
                )
            ]
        )
    try:
        return decode_text(data)
    except UnicodeDecodeError as error:
        raise FactFileError(
            [Problem(file, None, None, "encoding", f"not UTF-8: {error}", fix="save as UTF-8")]
        ) from None


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _yaml_problem(
    file: str, line: int | None, message: str, fix: str | None = None
) -> FactFileError:
    return FactFileError([Problem(file, line, None, "yaml", message, fix=fix)])


def _count_aliases(text: str, file: str, limits: InputLimits) -> None:
    """Refuse more aliases than ``max_yaml_aliases``, from the parser's events, before composing."""
    if "*" not in text:  # every alias is written `*name`
        return
    aliases = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > limits.max_yaml_aliases:
                raise FactFileError(
                    [
                        Problem(
                            file,
                            int(event.start_mark.line) + 1,
                            None,
                            "yaml-aliases",
                            f"the fact file uses more than {limits.max_yaml_aliases:,} YAML "
                            f"aliases (*name); at most {limits.max_yaml_aliases:,} are accepted "
                            "(setting max_yaml_aliases)",
                            value=f"*{event.anchor}",
                            fix="write the values out instead of repeating them with aliases",
                        )
                    ]
                )


def _children(node: yaml.Node, file: str) -> list[yaml.Node]:
    """The values under ``node``; a mapping's keys are checked here, as plain and unique."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if not isinstance(node, yaml.MappingNode):
        return []
    seen: set[str] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _yaml_problem(file, _line(key_node), "a key must be a plain word")
        if key_node.value in seen:
            raise _yaml_problem(
                file, _line(key_node), f"duplicate key {key_node.value!r}", fix="keep one of them"
            )
        seen.add(key_node.value)
    return [value for _, value in node.value]


def _convert(root: yaml.Node, file: str, limits: InputLimits) -> Node:
    """Our tree of the composed ``root``, refused above ``max_yaml_nodes`` once expanded.

    Each YAML node is converted once: an alias shares the converted node of its
    anchor instead of copying it, so nothing is expanded; the expanded size of
    each node (keys and values, aliases counted in full) is summed instead. The
    walk keeps its own stack, so deep nesting cannot exhaust Python's.
    """
    done: dict[int, tuple[Node, int]] = {}
    children: dict[int, list[yaml.Node]] = {}
    stack = [root]
    while stack:
        node = stack[-1]
        if id(node) in done:
            stack.pop()
            continue
        if id(node) not in children:
            children[id(node)] = _children(node, file)
            for child in children[id(node)]:
                if id(child) in children:  # opened, not closed: an ancestor
                    raise _yaml_problem(
                        file,
                        _line(child),
                        "a recursive alias: this value contains itself",
                        fix="remove the alias (*name) inside the value it names",
                    )
            stack.extend(reversed(children[id(node)]))
            continue
        stack.pop()
        converted, size = _build(node, [done[id(child)] for child in children.pop(id(node))])
        if size > limits.max_yaml_nodes:
            raise FactFileError(
                [
                    Problem(
                        file,
                        _line(node),
                        None,
                        "yaml-nodes",
                        f"the value starting here holds {size:,} YAML keys and values, its "
                        f"aliases expanded; at most {limits.max_yaml_nodes:,} are accepted "
                        "(setting max_yaml_nodes)",
                        fix="write fewer values, and no aliases (*name) to large values",
                    )
                ]
            )
        done[id(node)] = (converted, size)
    return done[id(root)][0]


def _build(node: yaml.Node, converted: list[tuple[Node, int]]) -> tuple[Node, int]:
    """``node`` as our node, from its converted values; and its expanded size."""
    line = _line(node)
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, line, quoted=node.style in ("'", '"')), 1
    size = 1 + sum(child_size for _, child_size in converted)
    if isinstance(node, yaml.SequenceNode):
        return Sequence(line, [child for child, _ in converted]), size
    mapping = Mapping(line)
    for (key_node, _), (child, _) in zip(node.value, converted, strict=True):
        mapping.items[key_node.value] = child
        mapping.key_lines[key_node.value] = _line(key_node)
    return mapping, size + len(converted)


def read_yaml(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> Mapping:
    """The top-level mapping of a YAML fact file, with line numbers."""
    file = str(path)
    text = read_fact_text(path, limits)
    try:
        _count_aliases(text, file, limits)
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.reader.ReaderError as error:  # the C reader gives the character as a number
        code = error.character if isinstance(error.character, int) else ord(error.character)
        raise _yaml_problem(
            file,
            text.count("\n", 0, error.position) + 1,
            f"YAML does not allow the character U+{code:04X} here",
            fix='remove it, or write it as an escape (such as "\\a") in a double-quoted string',
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        raise _yaml_problem(
            file,
            mark.line + 1 if mark else None,
            f"malformed YAML: {getattr(error, 'problem', None) or error}",
            fix="check indentation and quoting near this line",
        ) from None
    if root is None:
        raise FactFileError([Problem(file, 1, None, "yaml", "the file is empty")])
    converted = _convert(root, file, limits)
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
