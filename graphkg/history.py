"""The store's history: every committed change, who made it, what it touched, and the
files of each version of an article; kept in SQLite beside the store, never in the graph.

The history is not in the store, so it is in no union default graph and no
reader's copy has to drop it, and appending to it costs the same at any size
of the store. SQLite lets the server's processes read it while the writer
appends. It is served as PROV-O (:func:`as_prov`): each change a
``prov:Activity`` associated with the write token's name, and each article
version it made a ``prov:Entity``.

A change is recorded ``pending`` with the store version its commit will make,
before the commit, and marked ``committed`` after it. When a writer opens the
history after a crash, :meth:`History.settle` keeps a pending change whose
version the store reached and forgets one it did not, so the history agrees
with the store whichever step the crash came at.
"""

from __future__ import annotations

import datetime
import getpass
import hashlib
import os
import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from graphkg.errors import GraphkgError, StoreError
from graphkg.mapping import MappedSource
from graphkg.namespaces import GKG, PROV
from graphkg.settings import Settings
from graphkg.submission import Submission, files_digest

SCHEMA = """
CREATE TABLE IF NOT EXISTS changes (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  author TEXT NOT NULL,
  action TEXT NOT NULL,
  digest TEXT,
  version TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'committed'))
);
CREATE TABLE IF NOT EXISTS touched (
  change INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
  graph TEXT NOT NULL,
  article TEXT,
  added INTEGER NOT NULL,
  removed INTEGER NOT NULL,
  note TEXT
);
CREATE INDEX IF NOT EXISTS touched_article ON touched(article, change);
CREATE TABLE IF NOT EXISTS files (
  change INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
  article TEXT,
  name TEXT NOT NULL,
  fact_file INTEGER NOT NULL,
  digest TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_change ON files(change, article);
CREATE TABLE IF NOT EXISTS blobs (digest TEXT PRIMARY KEY, data BLOB NOT NULL);
"""

HISTORY_FILE = "history.sqlite"
BUSY_TIMEOUT_SECONDS = 30.0


class UnknownVersion(GraphkgError):
    """No version of that article is in the history."""


def local_folder(settings: Settings) -> Path:
    """Where a store's history is kept (and a remote store's writer lock): where
    ``history`` says; else the embedded store's folder, or for a remote store a folder
    per store URL in the user's data folder."""
    if settings.history is not None:
        return settings.history
    if isinstance(settings.store, Path):
        return settings.store
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "graphkg" / "stores" / hashlib.sha256(settings.store.encode()).hexdigest()[:16]


def history_path(settings: Settings) -> Path:
    return local_folder(settings) / HISTORY_FILE


def local_author() -> str:
    """Who a command run on the store's machine writes as."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()} (command line)"


@dataclass
class Touched:
    graph: str
    article: str | None
    added: int
    removed: int
    note: str | None = None


@dataclass
class Entry:
    """A change as the history shows it."""

    id: int
    at: str
    author: str
    action: str
    digest: str | None
    version: str
    touched: list[Touched] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "change": self.id,
            "at": self.at,
            "author": self.author,
            "action": self.action,
            "digest": self.digest,
            "store_version": self.version,
            "graphs": [t.__dict__ for t in self.touched],
        }


@dataclass
class Pending:
    """A change being made: what it touches and the files of the versions it makes."""

    action: str
    author: str
    version: str
    touched: list[Touched] = field(default_factory=list)
    files: list[tuple[str | None, str, bool, bytes]] = field(default_factory=list)
    """(article, name, is a fact file, content)."""

    def keep_files(self, source: MappedSource, fact_file: Path) -> None:
        """Keep a validated fact file and the article text it names (which the mapper has
        read, so it lies in the fact file's folder) as the version this change makes."""
        article = source.article_id
        self.files.append((article, fact_file.name, True, fact_file.read_bytes()))
        if source.text_file is not None:
            folder = fact_file.parent.resolve()
            text = (folder / source.text_file).resolve()
            name = text.relative_to(folder).as_posix()
            self.files.append((article, name, False, text.read_bytes()))

    @property
    def digest(self) -> str | None:
        """SHA-256 of the files kept (none for a removal)."""
        return files_digest([(n, d) for _, n, _, d in self.files]) if self.files else None


class History:
    """The history file of one store, open for appending (the writer) or reading."""

    def __init__(self, path: Path, *, writer: bool) -> None:
        self.path = path
        self.last_change: int | None = None
        """The change the last :meth:`change` block recorded."""
        if writer:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(
                    path, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False
                )
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")
                self._db.executescript(SCHEMA)
            except (OSError, sqlite3.Error) as error:
                raise StoreError(
                    f"cannot write the history at {path}: {error}; set `history` "
                    "(GRAPHKG_HISTORY) to a folder graphkg may write"
                ) from None
        else:
            if not path.exists():
                self._db = sqlite3.connect(":memory:", check_same_thread=False)
                self._db.executescript(SCHEMA)
            else:
                uri = f"file:{path}?mode=ro"
                self._db = sqlite3.connect(
                    uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False
                )
        self._db.execute("PRAGMA foreign_keys=ON")

    @classmethod
    def open(cls, settings: Settings, *, writer: bool = False) -> History:
        return cls(history_path(settings), writer=writer)

    def close(self) -> None:
        self._db.close()

    # -- writing --------------------------------------------------------------

    @contextmanager
    def change(self, pending: Pending) -> Iterator[Pending]:
        """Record ``pending`` (what it touches, its files) before the block commits it,
        and as committed after it, with the notes the block added; forget it if the block
        fails. A crash in the block leaves it pending, for :meth:`settle`."""
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO changes (at, author, action, digest, version, state) "
                "VALUES (?, ?, ?, ?, ?, 'pending')",
                (_now(), pending.author, pending.action, pending.digest, pending.version),
            )
            change = cursor.lastrowid
            self._record_touched(change, pending)
            for article, name, fact_file, data in pending.files:
                digest = hashlib.sha256(data).hexdigest()
                self._db.execute(
                    "INSERT OR IGNORE INTO blobs (digest, data) VALUES (?, ?)", (digest, data)
                )
                self._db.execute(
                    "INSERT INTO files (change, article, name, fact_file, digest) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (change, article, name, int(fact_file), digest),
                )
        try:
            yield pending
        except BaseException:
            with self._db:
                self._db.execute("DELETE FROM changes WHERE id = ?", (change,))
            raise
        with self._db:
            self._db.execute("DELETE FROM touched WHERE change = ?", (change,))
            self._record_touched(change, pending)
            self._db.execute(
                "UPDATE changes SET state = 'committed', at = ? WHERE id = ?", (_now(), change)
            )
        self.last_change = change

    def _record_touched(self, change: int | None, pending: Pending) -> None:
        self._db.executemany(
            "INSERT INTO touched (change, graph, article, added, removed, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(change, t.graph, t.article, t.added, t.removed, t.note) for t in pending.touched],
        )

    def settle(self, reached: Callable[[str], bool]) -> None:
        """Keep the pending changes whose version the store ``reached``; forget the rest."""
        with self._db:
            rows = self._db.execute("SELECT id, version FROM changes WHERE state = 'pending'")
            for change, version in rows.fetchall():
                if reached(version):
                    self._db.execute(
                        "UPDATE changes SET state = 'committed' WHERE id = ?", (change,)
                    )
                else:
                    self._db.execute("DELETE FROM changes WHERE id = ?", (change,))

    # -- reading --------------------------------------------------------------

    def count(self) -> int:
        """How many changes are committed."""
        return int(
            self._db.execute("SELECT COUNT(*) FROM changes WHERE state = 'committed'").fetchone()[0]
        )

    def copy_to(self, path: Path, *, up_to: str | None = None) -> None:
        """A consistent copy of the history in ``path`` (while writers append), without
        the changes after the one that made version ``up_to`` (when one did)."""
        target = sqlite3.connect(path)
        try:
            self._db.backup(target)
            made = target.execute(
                "SELECT MAX(id) FROM changes WHERE version = ?", (up_to,)
            ).fetchone()[0]
            with target:
                if made is not None:
                    target.execute("DELETE FROM changes WHERE id > ?", (made,))
                target.execute("DELETE FROM changes WHERE state = 'pending'")
        finally:
            target.close()

    def entries(
        self, *, article: str | None = None, before: int | None = None, limit: int = 100
    ) -> list[Entry]:
        """The committed changes, newest first (those touching ``article`` only)."""
        conditions, parameters = ["state = 'committed'"], []
        if article is not None:
            conditions.append("id IN (SELECT change FROM touched WHERE article = ?)")
            parameters.append(article)
        if before is not None:
            conditions.append("id < ?")
            parameters.append(before)
        rows = self._db.execute(
            "SELECT id, at, author, action, digest, version FROM changes WHERE "
            + " AND ".join(conditions)
            + " ORDER BY id DESC LIMIT ?",
            (*parameters, limit),
        ).fetchall()
        entries = {row[0]: Entry(*row) for row in rows}
        if entries:
            marks = ",".join("?" * len(entries))
            for change, *touched in self._db.execute(
                "SELECT change, graph, article, added, removed, note FROM touched "
                f"WHERE change IN ({marks}) ORDER BY rowid",
                tuple(entries),
            ):
                entries[change].touched.append(Touched(*touched))
        return list(entries.values())

    def versions(self, article: str) -> list[int]:
        """The changes that kept files of ``article``: the versions it can be restored to."""
        rows = self._db.execute(
            "SELECT DISTINCT f.change FROM files f JOIN changes c ON c.id = f.change "
            "WHERE f.article = ? AND c.state = 'committed' ORDER BY f.change",
            (article,),
        )
        return [row[0] for row in rows]

    def submission(self, article: str, version: int) -> Submission:
        """The files that made version ``version`` of ``article``."""
        rows = self._db.execute(
            "SELECT f.name, f.fact_file, b.data FROM files f JOIN blobs b ON b.digest = f.digest "
            "JOIN changes c ON c.id = f.change "
            "WHERE f.change = ? AND f.article = ? AND c.state = 'committed' ORDER BY f.rowid",
            (version, article),
        ).fetchall()
        if not rows:
            known = self.versions(article)
            raise UnknownVersion(
                f"no version {version} of {article!r} in the history; "
                + (
                    f"its versions: {', '.join(map(str, known))}"
                    if known
                    else "it has none (see `graphkg history`)"
                )
            )
        return Submission.of(
            [(name, bytes(data)) for name, _, data in rows],
            [name for name, fact_file, _ in rows if fact_file],
        )


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")


def as_prov(entries: list[Entry], base: str) -> Graph:
    """The changes as PROV-O: activities, their agents, and the versions they made."""
    graph = Graph()
    graph.bind("prov", PROV)
    graph.bind("gkg", GKG)
    for entry in entries:
        change = URIRef(f"{base}history/change/{entry.id}")
        agent = URIRef(f"{base}history/agent/{quote(entry.author, safe='')}")
        graph.add((change, RDF.type, PROV.Activity))
        graph.add((change, RDFS.label, Literal(f"{entry.action} by {entry.author}")))
        graph.add((change, PROV.wasAssociatedWith, agent))
        graph.add((agent, RDF.type, PROV.Agent))
        graph.add((agent, RDFS.label, Literal(entry.author)))
        graph.add((change, PROV.endedAtTime, Literal(entry.at, datatype=XSD.dateTime)))
        if entry.digest:
            graph.add((change, GKG.submittedFileDigest, Literal(f"sha256:{entry.digest}")))
        for index, touched in enumerate(entry.touched, start=1):
            version = URIRef(f"{change}/{index}")
            graph.add((change, PROV.generated, version))
            graph.add((version, RDF.type, PROV.Entity))
            graph.add((version, PROV.specializationOf, URIRef(touched.graph)))
            graph.add((version, GKG.triplesAdded, Literal(touched.added)))
            graph.add((version, GKG.triplesRemoved, Literal(touched.removed)))
            if touched.note:
                graph.add((version, RDFS.comment, Literal(touched.note)))
    return graph
