"""Reading fact files: YAML to plain values that remember their line numbers.

Scalars are kept as the text the steward wrote (``2025-06-29``, ``2``, ``no``),
not as YAML 1.1 guesses: the mapper converts them by the ontology's ranges, so
``no`` stays a string and a date's lexical form is checked against ``xsd:date``.

A submitted file is hostile until read: its size is checked before it is read
(:func:`read_fact_text`, shared with Turtle and JSON-LD), its aliases are
counted before it is composed, and an alias never copies the value it names,
so a "billion laughs" file costs what its text costs and is refused by the
size it would expand to.

A file that is not valid YAML is refused with what is wrong in plain words (a colon
inside an unquoted value, a quote never closed, a line indented out of step), at the
line to fix, naming the entry it lies in (:func:`plain_yaml_error`, :func:`fact_at`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
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


@dataclass(frozen=True)
class YamlError:
    """What a YAML syntax error means, in plain words: its line, what is wrong, the fix."""

    line: int | None
    message: str
    fix: str


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


_LEADING = re.compile(r"(?: *- +)* *")


def _key_column(line: str) -> int:
    """The column of a line's key: after its indentation and any list dashes (``- ``)."""
    match = _LEADING.match(line)
    return match.end() if match else 0


def _previous_line(lines: list[str], number: int) -> tuple[int, str] | None:
    """The last line before line ``number`` (1-based) that holds more than a comment."""
    for earlier in range(number - 1, 0, -1):
        text = lines[earlier - 1]
        if text.strip() and not text.lstrip().startswith("#"):
            return earlier, text
    return None


def _quoted(value: str) -> str:
    """``value`` as a double-quoted YAML string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _misaligned(lines: list[str], number: int) -> YamlError:
    """A line indented so that YAML cannot tell what it belongs to."""
    text = lines[number - 1] if 0 < number <= len(lines) else ""
    before = _previous_line(lines, number)
    spaces = _indent(text)
    if text.lstrip().startswith("- ") and before:
        items = [
            (earlier, _indent(lines[earlier - 1]))
            for earlier in range(number - 1, 0, -1)
            if lines[earlier - 1].lstrip().startswith("- ")
        ]
        if _key_column(before[1]) == spaces or not items:
            return YamlError(
                number,
                "a list item (`- `) where a key was expected",
                "a list goes under a key with nothing after its colon, e.g. `evidence:` on "
                "its own line and the items below it",
            )
        above, column = items[0]
        return YamlError(
            number,
            f"this list item starts at column {spaces + 1}, and the item on line {above} "
            f"at column {column + 1}",
            "start the items of one list at the same column, each with `- `",
        )
    if before is None:
        return YamlError(number, "this line is indented wrongly", "indent with spaces only")
    above, above_text = before
    return YamlError(
        number,
        f"this line is indented by {spaces} spaces and line {above} by {_indent(above_text)}, "
        "so YAML cannot tell what it belongs to",
        "line up the keys of one entry exactly, with spaces; the entries of a list each "
        "start with `- ` at the same column",
    )


def plain_yaml_error(error: yaml.YAMLError, text: str) -> YamlError:
    """A YAML syntax error in plain words, with the line where the steward should look.

    The parser says what it expected (``mapping values are not allowed here``, ``could
    not find expected ':'``); here that becomes what is wrong with the steward's line,
    and how to write it, for the errors hand-written fact files make.
    """
    lines = text.split("\n")
    problem = str(getattr(error, "problem", None) or error)
    context = str(getattr(error, "context", None) or "")
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    at = problem_mark.line + 1 if problem_mark else None
    opened = context_mark.line + 1 if context_mark else at
    line_text = lines[at - 1] if at and at <= len(lines) else ""
    if "mapping values are not allowed" in problem and at:
        before = _previous_line(lines, at)
        if before and _key_column(line_text) > _key_column(before[1]):
            return YamlError(
                at,
                f"this line is indented deeper than line {before[0]}, so YAML reads it as "
                "part of that line's value",
                "line up the keys of one entry exactly, with spaces",
            )
        key, _, value = line_text.strip().removeprefix("- ").partition(": ")
        return YamlError(
            at,
            "a colon and a space (`: `) inside a value that is not in quotes: YAML reads "
            "them as the start of another key",
            f"put the value in double quotes: `{key}: {_quoted(value.strip())}`"
            if key and value.strip()
            else "put the value in double quotes",
        )
    if "quoted scalar" in context and "end of stream" in problem:
        mark = lines[opened - 1][context_mark.column] if opened and context_mark else '"'
        return YamlError(
            opened,
            f"the quote «{mark}» that opens the value on this line is never closed",
            f"end the value with «{mark}»; inside it, write «{mark}» as "
            + ('`\\"`' if mark == '"' else "`''`"),
        )
    if "unknown escape" in problem:
        return YamlError(
            at,
            "a backslash in a double-quoted value starts no known escape",
            "write a backslash as `\\\\`, or put the value in single quotes",
        )
    if "tab" in problem or (
        "cannot start any token" in problem and line_text[: _indent(line_text) + 1].endswith("\t")
    ):
        return YamlError(
            at, "a tab character: YAML indents with spaces only", "replace the tab with spaces"
        )
    if "could not find expected ':'" in problem:
        return YamlError(
            opened,
            "this line is neither `key: value` nor a list item `- …`",
            "put a colon and a space after the key; a value that goes on over several "
            "lines goes in quotes",
        )
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        bracket = "[" if "]" in problem else "{"
        closing = "]" if bracket == "[" else "}"
        return YamlError(
            opened,
            f"the `{bracket}` opened on this line is never closed with `{closing}`",
            f"close it with `{closing}` on the same line, or put a value that starts "
            f"with `{bracket}` in quotes",
        )
    if "cannot start any token" in problem and problem_mark:
        character = line_text[problem_mark.column : problem_mark.column + 1]
        return YamlError(
            at,
            f"a value that is not in quotes cannot start with «{character}»",
            "put the value in double quotes",
        )
    if "undefined alias" in problem:
        return YamlError(
            at,
            "`*` starts an alias, and no anchor (`&name`) of that name comes before it",
            "put a value that starts with `*` in quotes",
        )
    if ("expected key" in problem or "'-' indicator" in problem) and at:
        column = problem_mark.column if problem_mark else 0
        before_mark = line_text[:column].rstrip()
        if before_mark.endswith(('"', "'")) and before_mark.strip() != before_mark[-1]:
            return YamlError(
                at,
                "more text after the closing quote of a value",
                "put the whole value inside the quotes",
            )
        return _misaligned(lines, at)
    return YamlError(
        at or opened,
        f"this is not valid YAML ({problem})",
        "check the indentation and quoting on this line and the one before it",
    )


_KEY = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>\w+): *(?P<value>[^\s#]*)")


def fact_at(text: str, line: int) -> str | None:
    """The id of the entry of ``entities`` or ``facts``, or of the ``article`` block, that
    line ``line`` lies in, read from the lines themselves: a file that does not parse has
    no tree to ask. None when the line is in no such entry, or its entry has no ``id:``.
    """
    lines = text.split("\n")
    top = [n for n in range(1, len(lines) + 1) if lines[n - 1][:1].isalpha()]
    section = max((n for n in top if n <= line), default=None)
    if section is None:
        return None
    end = min((n for n in top if n > section), default=len(lines) + 1)
    name = lines[section - 1].split(":", 1)[0].strip()
    if name == "article":
        start = section + 1
    elif name in ("entities", "facts"):
        items = [n for n in range(section + 1, end) if lines[n - 1].lstrip().startswith("- ")]
        if not items:
            return None
        column = _indent(lines[items[0] - 1])
        starts = [n for n in items if _indent(lines[n - 1]) == column]
        start = max((n for n in starts if n <= line), default=0)
        if not start:
            return None
        end = min((n for n in starts if n > start), default=end)
    else:
        return None
    keys: int | None = None  # the column of the entry's keys: its first key's
    for number in range(start, end):
        match = _KEY.match(lines[number - 1])
        if match is None:
            continue
        column = len(match.group("indent")) + len(match.group("dash") or "")
        keys = column if keys is None else keys
        if column == keys and match.group("key") == "id" and match.group("value"):
            return match.group("value").strip("\"'")
    return None


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
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _yaml_problem(file, _line(key_node), "a key must be a plain word")
        if key_node.value in seen:
            raise _yaml_problem(
                file,
                _line(key_node),
                f"duplicate key {key_node.value!r}: the entry gives `{key_node.value}:` on "
                f"line {seen[key_node.value]} too",
                fix="keep one of them (a list of values goes under one key)",
            )
        seen[key_node.value] = _line(key_node)
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
        return _read_yaml_text(text, file, limits)
    except FactFileError as error:
        raise FactFileError(
            [
                replace(problem, fact=fact_at(text, problem.line))
                if problem.fact is None and problem.line is not None
                else problem
                for problem in error.problems
            ]
        ) from None


def _read_yaml_text(text: str, file: str, limits: InputLimits) -> Mapping:
    """The top-level mapping of a fact file's ``text``; problems name no fact (see
    :func:`read_yaml`, which names them from the lines)."""
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
        plain = plain_yaml_error(error, text)
        lines = text.split("\n")
        shown = lines[plain.line - 1].strip() if plain.line and plain.line <= len(lines) else ""
        raise FactFileError(
            [
                Problem(
                    file,
                    plain.line,
                    None,
                    "yaml",
                    f"malformed YAML: {plain.message}",
                    value=shorten(shown) if shown else None,
                    fix=plain.fix,
                )
            ]
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
