"""Backups of a whole store, history included, that restore on either backend.

A backup is a folder: ``store.nq`` (the data graphs, the ontology's among them,
as N-Quads, graph after graph), ``history.sqlite`` (the history, up to the
version backed up) and ``manifest.json`` (the base, the version, the counts and
the N-Quads' SHA-256, which a restore checks). The shapes are not in it: the
files in ``shapes/`` are their source of truth, and a restore loads them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graphkg.errors import GraphkgError, StoreError
from graphkg.history import History, Pending, history_path
from graphkg.resources import turtle_files
from graphkg.search import SearchIndexWriter
from graphkg.settings import Settings
from graphkg.store import KnowledgeGraph, open_store

FORMAT = 1
DATA_FILE = "store.nq"
HISTORY_FILE = "history.sqlite"
MANIFEST_FILE = "manifest.json"
ATTEMPTS = 3
"""Tries at reading one version whole while a writer commits."""


class BadBackup(GraphkgError):
    """A folder that is not a backup graphkg can restore, or a damaged one."""


@dataclass(frozen=True)
class Manifest:
    base: str
    version: str | None
    quads: int
    sha256: str
    changes: int
    created: str

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise BadBackup(
                f"{folder} is not a graphkg backup (no readable {MANIFEST_FILE}): {error}"
            ) from None
        if data.get("format") != FORMAT:
            raise BadBackup(
                f"{folder} is a backup of format {data.get('format')!r}; "
                f"this graphkg reads format {FORMAT}"
            )
        return cls(**{key: data[key] for key in cls.__dataclass_fields__})


def _sha256_and_lines(path: Path) -> tuple[str, int]:
    """The file's SHA-256 and its count of lines (of N-Quads: its quads), in one read."""
    sha, lines = hashlib.sha256(), 0
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            sha.update(block)
            lines += block.count(b"\n")
    return sha.hexdigest(), lines


def write_backup(settings: Settings, folder: Path) -> Manifest:
    """Back the store of ``settings`` up into ``folder`` (new or empty), while it serves."""
    if folder.exists() and any(folder.iterdir()):
        raise BadBackup(f"{folder} is not empty: back up into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    kg = open_store(settings)
    data = folder / DATA_FILE
    for _ in range(ATTEMPTS):
        version = kg.version()
        with data.open("wb") as output:
            kg.export(output, ox.RdfFormat.N_QUADS)
        if kg.version() == version:
            break
    else:
        raise StoreError(f"the store changed while it was backed up, {ATTEMPTS} times: try again")
    history = History.open(settings)
    try:
        history.copy_to(folder / HISTORY_FILE, up_to=version)
    finally:
        history.close()
    sha256, quads = _sha256_and_lines(data)
    copied = History(folder / HISTORY_FILE, writer=False)
    manifest = Manifest(
        base=settings.base,
        version=version,
        quads=quads,
        sha256=sha256,
        changes=copied.count(),
        created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    )
    copied.close()
    (folder / MANIFEST_FILE).write_text(
        json.dumps({"format": FORMAT, **manifest.__dict__}, indent=2) + "\n", encoding="utf-8"
    )
    return manifest


def restore_backup(settings: Settings, folder: Path, *, author: str) -> Manifest:
    """Replace the store of ``settings`` and its history by the backup in ``folder``;
    the restore is recorded in the restored history."""
    manifest = Manifest.read(folder)
    if manifest.base != settings.base:
        raise BadBackup(
            f"{folder} holds IRIs under {manifest.base}, not {settings.base}: restore it with "
            f"--base {manifest.base}"
        )
    data = folder / DATA_FILE
    if not data.is_file() or _sha256_and_lines(data)[0] != manifest.sha256:
        raise BadBackup(f"{data} is missing or damaged: its SHA-256 is not the manifest's")
    kg: KnowledgeGraph = open_store(settings, writer=True)
    target = history_path(settings)
    staged = target.with_name(target.name + ".restoring")
    staged.unlink(missing_ok=True)
    source = History(folder / HISTORY_FILE, writer=False)
    try:
        source.copy_to(staged)
    finally:
        source.close()
    search = SearchIndexWriter(settings, kg)
    try:
        with search.change(None):  # everything changed: its index is made whole
            kg.restore_quads(data, turtle_files("shapes"))
    finally:
        search.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)
    history = History(target, writer=True)
    try:
        pending = Pending(
            f"restore of the backup made {manifest.created}", author, kg.version() or "0"
        )
        with history.change(pending):
            pass
    finally:
        history.close()
    return manifest
