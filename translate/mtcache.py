"""The machine-translation cache: every answer an engine gave, so nothing is paid for twice.

One SQLite file, ``.translate-cache/mt.sqlite3`` under the content root, keyed by engine, language
pair and the exact text sent (inline codes already replaced by tokens). It is derived data:
deleting it changes no result, only what the next run costs. Each answer is committed as it
arrives (SQLite transactions are atomic), so an interrupted run keeps what it paid for. A damaged
file is set aside and started afresh, since nothing in it cannot be bought again.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from translate.cache import CACHE_HINT
from translate.project import inside_root

CACHE_DIR = ".translate-cache"
CACHE_FILE = "mt.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS mt (
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    translation TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (engine, source, target, text)
) WITHOUT ROWID
"""


class MTCache:
    """Answers of MT engines on disk; ``readonly`` (a dry run) never creates or writes the file."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.note: str | None = None  # what happened to a damaged file, for the report
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:
            self._db = None
            if not readonly:
                self._set_aside()
                self._db = self._open()

    @classmethod
    def for_root(cls, root: Path, *, readonly: bool = False) -> MTCache:
        """The cache of the project at ``root``; refused when a link leads its files outside the project."""
        path = root / CACHE_DIR / CACHE_FILE
        for name in (CACHE_FILE, f"{CACHE_FILE}-wal", f"{CACHE_FILE}-shm"):  # SQLite writes all three
            inside_root(root.resolve(), path.with_name(name), CACHE_HINT)
        return cls(path, readonly=readonly)

    def _open(self) -> sqlite3.Connection | None:
        if self.readonly:
            if not self.path.is_file():
                return None
            db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=10)
            db.execute("SELECT count(*) FROM mt").fetchone()
            return db
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(_SCHEMA)
        db.execute("SELECT count(*) FROM mt").fetchone()
        db.commit()
        return db

    def _set_aside(self) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        with contextlib.suppress(OSError):
            self.path.replace(aside)
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + suffix).unlink()
        self.note = f"the MT cache {self.path} was damaged; it was moved to {aside.name} and started afresh"

    def get(self, engine: str, source: str, target: str, text: str) -> str | None:
        """The cached answer of ``engine`` for ``text``, or None."""
        if self._db is None:
            return None
        row = self._db.execute(
            "SELECT translation FROM mt WHERE engine = ? AND source = ? AND target = ? AND text = ?",
            (engine, source, target, text),
        ).fetchone()
        return None if row is None else str(row[0])

    def put(self, engine: str, source: str, target: str, text: str, translation: str) -> None:
        """Record (or replace) an answer; committed at once."""
        if self._db is None or self.readonly:
            return
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO mt VALUES (?, ?, ?, ?, ?, ?)",
                (engine, source, target, text, translation, created),
            )

    def __len__(self) -> int:
        if self._db is None:
            return 0
        return int(self._db.execute("SELECT count(*) FROM mt").fetchone()[0])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
