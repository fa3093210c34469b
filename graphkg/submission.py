"""Fact files sent over HTTP, unpacked where the pipeline reads fact files: a folder.

A submission is one or more fact files with the files they name (article
texts), each under a relative path as the client gave it. The pipeline reads
them from a private temporary folder, so what it checks for files on disk
(an article text stays in its fact file's folder, sizes, encodings) holds for
a submission too; reports then name the client's paths, never the folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from graphkg.errors import GraphkgError
from graphkg.rdfinput import YAML_SUFFIXES
from graphkg.validation import ValidationReport

SAFE_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
MAX_DEPTH = 4
MAX_FILES = 100


class BadSubmission(GraphkgError):
    """What was sent is not a submission of fact files (a name, a count, a type)."""


def safe_path(name: str) -> str:
    """``name`` as a relative path that stays in the submission's folder, or refused."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or len(parts) > MAX_DEPTH or not all(SAFE_PART.fullmatch(p) for p in parts):
        raise BadSubmission(
            f"file name {name[:100]!r} is refused: use a relative path of at most "
            f"{MAX_DEPTH} parts of letters, digits, '.', '_' and '-' (e.g. article.txt)"
        )
    return "/".join(parts)


@dataclass(frozen=True)
class Submission:
    """Fact files, in order, and every file sent (fact files included), by relative path."""

    files: tuple[tuple[str, bytes], ...]
    fact_files: tuple[str, ...]
    shown: tuple[tuple[str, str], ...] = ()
    """How reports name some files (a command's paths on disk), by their name here."""

    @classmethod
    def of(cls, files: list[tuple[str, bytes]], fact_files: list[str]) -> Submission:
        """A checked submission: safe, distinct names, at least one fact file."""
        if not fact_files:
            raise BadSubmission("no fact file was sent: send it as the body, or as a `facts` part")
        if len(files) > MAX_FILES:
            raise BadSubmission(f"{len(files)} files were sent; at most {MAX_FILES} are accepted")
        names = [safe_path(name) for name, _ in files]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise BadSubmission(f"two files are named {repeated[0]}: give each its own name")
        return cls(
            tuple(zip(names, (data for _, data in files), strict=True)),
            tuple(safe_path(name) for name in fact_files),
        )

    @classmethod
    def from_paths(cls, paths: list[Path]) -> Submission:
        """Fact files on disk, each with the article text it names, each in a folder of its
        own (``001/facts.yaml``, ``001/article.txt``); reports name them by their paths."""
        files, fact_files, shown = [], [], []
        for index, path in enumerate(paths, start=1):
            folder = path.parent.resolve()
            for file, given in [(path.resolve(), path), *((t, t) for t in named_files(path))]:
                # Of one width, no name is a part of another: replies name them back.
                name = f"{index:03d}/{file.relative_to(folder).as_posix()}"
                files.append((name, file.read_bytes()))
                shown.append((name, str(given)))
            fact_files.append(f"{index:03d}/{path.name}")
        return dataclasses.replace(cls.of(files, fact_files), shown=tuple(shown))

    @contextmanager
    def unpacked(self) -> Iterator[Unpacked]:
        """The files written to a private folder, removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="graphkg-submission-") as folder:
            root = Path(folder)
            for name, data in self.files:
                path = root / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            yield Unpacked(root, [root / name for name in self.fact_files], dict(self.shown))


@dataclass(frozen=True)
class Unpacked:
    folder: Path
    fact_files: list[Path]
    shown: dict[str, str]

    def plain(self, text: str) -> str:
        """``text`` naming the files as the client did, not by where they are unpacked."""
        prefix = f"{self.folder}/"
        for name, shown in self.shown.items():
            text = text.replace(prefix + name, shown)
        return text.replace(prefix, "")


def renamed(report: ValidationReport, plain: Callable[[str], str]) -> ValidationReport:
    """The report with every problem's file and texts passed through ``plain``."""
    problems = [
        dataclasses.replace(
            problem,
            file=plain(problem.file),
            message=plain(problem.message),
            value=None if problem.value is None else plain(problem.value),
            fix=None if problem.fix is None else plain(problem.fix),
        )
        for problem in report.problems
    ]
    return ValidationReport(report.conforms, problems, report.results)


def files_digest(files: list[tuple[str, bytes]]) -> str:
    """SHA-256 of files with their names, in any order: what the history records."""
    sha = hashlib.sha256()
    for name, data in sorted(files):
        sha.update(f"{name}\0{len(data)}\0".encode())
        sha.update(data)
    return sha.hexdigest()


def named_files(path: Path) -> list[Path]:
    """The article text a YAML fact file names, if it is a regular file in the fact file's
    folder (as the mapper requires: anything else is the mapper's to report)."""
    if path.suffix not in YAML_SUFFIXES:
        return []
    try:
        parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    article = parsed.get("article") if isinstance(parsed, dict) else None
    name = article.get("file") if isinstance(article, dict) else None
    if not isinstance(name, str) or name.startswith(("/", "\\")):
        return []
    try:
        folder = path.parent.resolve()
        text = (folder / name).resolve()
        regular = text.is_relative_to(folder) and stat.S_ISREG(text.stat().st_mode)
    except (OSError, RuntimeError, ValueError):
        return []
    return [text] if regular else []
