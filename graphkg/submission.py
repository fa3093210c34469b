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
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from graphkg.errors import GraphkgError
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

    @property
    def digest(self) -> str:
        """SHA-256 of every file sent, with its name: what the history records."""
        sha = hashlib.sha256()
        for name, data in sorted(self.files):
            sha.update(f"{name}\0{len(data)}\0".encode())
            sha.update(data)
        return sha.hexdigest()

    @contextmanager
    def unpacked(self) -> Iterator[Unpacked]:
        """The files written to a private folder, removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="graphkg-submission-") as folder:
            root = Path(folder)
            for name, data in self.files:
                path = root / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            yield Unpacked(root, [root / name for name in self.fact_files])


@dataclass(frozen=True)
class Unpacked:
    folder: Path
    fact_files: list[Path]

    def relabel(self, report: ValidationReport) -> ValidationReport:
        """The report with the folder's path taken out of every problem: it names
        the files as the client sent them, and says nothing about the server."""
        prefix = f"{self.folder}/"

        def plain(text: str | None) -> str | None:
            return None if text is None else text.replace(prefix, "")

        problems = [
            dataclasses.replace(
                problem,
                file=plain(problem.file) or "",
                message=plain(problem.message) or "",
                value=plain(problem.value),
                fix=plain(problem.fix),
            )
            for problem in report.problems
        ]
        return ValidationReport(report.conforms, problems, report.results)

    def name(self, path: str | Path) -> str:
        """A path in the folder as the client named it."""
        return str(path).removeprefix(f"{self.folder}/")
