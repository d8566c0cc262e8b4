"""The segment index: every segment of every PO file in one SQLite table, so the review page holds a big site.

``.translate-cache/segments.sqlite3`` under the content root holds, per segment, its article, language,
position, state, translation, open findings (counts and check names: a finding a person dismissed or
overrode on the current text is not counted, as :func:`translate.approval.open_findings`) and text; a
copy of each segment per check it has an open finding of (a one-check filter is a range of that table);
per distinct text and state, how many segments hold it (the counts of a search in most texts are a sum
over the matching texts, not a pass over their segments); and per PO file its stamp
(:func:`translate.cache.file_stamp`) and counts, of all its segments and of those each findings filter
shows. :meth:`SegmentIndex.refresh` reads again only the PO
files whose stamp changed, within a time budget when asked (a page stays quick while ``draft`` writes:
the rest is read on the next call); the queue's pages, filters, counts and text search are queries.

It is derived data, like the rest of ``.translate-cache/``: the PO files stay the truth (every decision
reads and writes them, and a segment is always shown from its PO file), the file may be deleted at any
moment (it is built again), and a damaged one is started afresh.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from translate import __version__, history
from translate.cache import CACHE_DIR, CACHE_HINT
from translate.errors import ARTICLE_ERRORS
from translate.model import Severity, State, normalize_text
from translate.parallel import map_chunks
from translate.project import Project, inside_root

INDEX_FILE = "segments.sqlite3"
COMMON_TEXTS = 2000  # a search in more distinct texts than this tests every segment (one pass)
FULL_SCAN_EVERY = 2.0  # seconds: between two, a refresh stats the PO files only when a folder of them changed
SCHEMA = 6
# What the queue's "state" filter may be: the states it shows ("review" also shows approved
# translations that publish refuses).
STATE_FILTERS: dict[str, tuple[State, ...]] = {
    "review": (State.DRAFT, State.REJECTED),
    "draft": (State.DRAFT,),
    "rejected": (State.REJECTED,),
    "untranslated": (State.UNTRANSLATED,),
    "approved": (State.APPROVED,),
    "all": tuple(State),
}
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    lang TEXT NOT NULL, article TEXT NOT NULL, stamp TEXT NOT NULL, error TEXT,
    total INTEGER NOT NULL DEFAULT 0, untranslated INTEGER NOT NULL DEFAULT 0, draft INTEGER NOT NULL DEFAULT 0,
    approved INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0, todo INTEGER NOT NULL DEFAULT 0,
    clean INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0, checks TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (lang, article)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS texts (
    tid INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, UNIQUE (source, target)
);
CREATE TABLE IF NOT EXISTS seg (
    article TEXT NOT NULL, lang TEXT NOT NULL, pos INTEGER NOT NULL, id TEXT NOT NULL,
    tid INTEGER NOT NULL, state TEXT NOT NULL, needs_editing INTEGER NOT NULL,
    origin TEXT, err_open INTEGER NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
    checks TEXT NOT NULL, todo INTEGER NOT NULL, clean INTEGER NOT NULL, comments INTEGER NOT NULL,
    PRIMARY KEY (article, lang, pos)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seg_all ON seg (err_open DESC, article, lang, pos, errors, warnings);
CREATE INDEX IF NOT EXISTS seg_todo ON seg (todo, err_open DESC, article, lang, pos, errors, warnings);
CREATE INDEX IF NOT EXISTS seg_state ON seg (state, err_open DESC, article, lang, pos, errors, warnings);
CREATE INDEX IF NOT EXISTS seg_id ON seg (lang, id);
CREATE INDEX IF NOT EXISTS seg_tid ON seg (tid, state, todo, clean, errors, warnings, lang, article);
CREATE VIEW IF NOT EXISTS segv AS SELECT seg.*, texts.source, texts.target FROM seg JOIN texts USING (tid);
CREATE TABLE IF NOT EXISTS seg_check (
    check_name TEXT NOT NULL, article TEXT NOT NULL, lang TEXT NOT NULL, pos INTEGER NOT NULL, id TEXT NOT NULL,
    tid INTEGER NOT NULL, state TEXT NOT NULL, needs_editing INTEGER NOT NULL,
    origin TEXT, err_open INTEGER NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
    checks TEXT NOT NULL, todo INTEGER NOT NULL, clean INTEGER NOT NULL, comments INTEGER NOT NULL,
    PRIMARY KEY (article, lang, pos, check_name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS segc_all ON seg_check (check_name, err_open DESC, article, lang, pos);
CREATE INDEX IF NOT EXISTS segc_todo ON seg_check (check_name, todo, err_open DESC, article, lang, pos);
CREATE INDEX IF NOT EXISTS segc_state ON seg_check (check_name, state, err_open DESC, article, lang, pos);
CREATE VIEW IF NOT EXISTS segcv AS SELECT seg_check.*, texts.source, texts.target FROM seg_check JOIN texts USING (tid);
CREATE TABLE IF NOT EXISTS file_checks (
    lang TEXT NOT NULL, article TEXT NOT NULL, check_name TEXT NOT NULL,
    untranslated INTEGER NOT NULL, draft INTEGER NOT NULL, approved INTEGER NOT NULL, rejected INTEGER NOT NULL,
    todo INTEGER NOT NULL, clean INTEGER NOT NULL, errors INTEGER NOT NULL,
    PRIMARY KEY (lang, article, check_name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS file_checks_name ON file_checks (check_name, article, lang);
CREATE TABLE IF NOT EXISTS text_counts (
    tid INTEGER NOT NULL, lang TEXT NOT NULL, state TEXT NOT NULL, todo INTEGER NOT NULL, clean INTEGER NOT NULL,
    n INTEGER NOT NULL, PRIMARY KEY (tid, lang, state, todo, clean)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS seg_counted AFTER INSERT ON seg BEGIN
    INSERT INTO text_counts VALUES (new.tid, new.lang, new.state, new.todo, new.clean, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS seg_uncounted AFTER DELETE ON seg BEGIN
    UPDATE text_counts SET n = n - 1
    WHERE tid = old.tid AND lang = old.lang AND state = old.state AND todo = old.todo AND clean = old.clean;
END;
CREATE TABLE IF NOT EXISTS obsolete (
    article TEXT NOT NULL, lang TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS obsolete_file ON obsolete (article, lang);
"""
_COLUMNS = "article, lang, pos, id, source, target, state, needs_editing, origin, errors, warnings, checks, comments"
_TEXT_MATCH = "SELECT tid FROM texts WHERE source LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\'"
_TEXT_MISS = "SELECT tid FROM texts WHERE NOT (source LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\')"
_ORDER = "err_open DESC, article, lang, pos"
# an article's counts of segments, as the per-file table has them: untranslated, draft, approved, rejected,
# with open errors, to review
_COUNTS = (
    "total(state = 'untranslated') AS u, total(state = 'draft') AS d, total(state = 'approved') AS a, "
    "total(state = 'rejected') AS r, total(errors > 0) AS e, total(todo) AS t"
)
Key = tuple[str, str, str]  # (lang, article, segment id)
_SegRow = tuple[str, str, int, str, str, str, str, int, str | None, int, int, int, str, int, int, int]
# lang, article, stamp, error, rows, approved obsolete entries (source, translation: still memory)
_FileResult = tuple[str, str, str, str | None, list[_SegRow], list[tuple[str, str]]]


@dataclass(frozen=True)
class Query:
    """Part of the queue: filters on article, language, state, findings and text (all optional)."""

    article: str = ""
    lang: str = ""
    state: str = "review"  # a key of STATE_FILTERS
    check: str = ""  # "" | error | warning | clean | a check's name
    text: str = ""  # found in the source or the translation (letter case aside, for Latin letters)

    def where(self, *, state: bool = True, common: bool = False, holding: bool = True) -> tuple[str, list[Any]]:
        """The SQL condition and its parameters (``state``: with the state filter; ``common``: the text
        is in many texts, so every segment is tested rather than each text's segments looked up;
        ``holding`` False: the segments the text is not in, looked up through their texts)."""
        terms: list[str] = []
        params: list[Any] = []
        if self.article:  # the article's own rows (the primary key), not an index over the whole site
            terms.append("article = ?")
            params.append(self.article)
        # the article's own rows, or a text in few texts: not the whole queue in order, tested one by one
        plus = "+" if self.article or (search_text(self.text) and not common) else ""
        if self.lang:  # never the index on (lang, id): a language holds most of the site
            terms.append("+lang = ?")
            params.append(self.lang)
        if state and self.state == "review":
            terms.append(f"{plus}todo = 1")
        elif state and self.state != "all":
            terms.append(f"{plus}state = ?")
            params.append(STATE_FILTERS[self.state][0].value)
        if self.check == "error":  # err_open: some open error (the order's first column, so a range of it)
            terms.append(f"{plus}err_open = 1")
        elif self.check == "warning":
            terms.append("warnings > 0")
        elif self.check == "clean":
            terms.append(f"{plus}err_open = 0 AND warnings = 0")
        elif self.check:  # the table holds the segments with an open finding of this check only
            terms.append("check_name = ?")
            params.append(self.check)
        text = search_text(self.text)
        if text:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            # each distinct text is searched once, however many articles hold it
            match = _TEXT_MATCH if holding else _TEXT_MISS
            terms.append(f"{'+' if common and holding else ''}tid IN ({match})")
            params += [pattern, pattern]
        return (" AND ".join(terms) or "1"), params

    @property
    def by_file(self) -> bool:
        """Whether the counts can come from the per-file table (no finding or text filter)."""
        return not self.check and not search_text(self.text)

    @property
    def one_check(self) -> bool:
        """Whether the findings filter names one check (its segments are a range of ``seg_check``)."""
        return self.check not in ("", "error", "warning", "clean")

    @property
    def table(self) -> str:
        """The table the query's condition is on: ``seg``, or ``seg_check`` for one check."""
        return "seg_check" if self.one_check else "seg"

    @property
    def view(self) -> str:
        """That table with the texts joined."""
        return "segcv" if self.one_check else "segv"


def search_text(text: str) -> str:
    """A search as it is matched: NFC, white space folded (as segments are)."""
    return normalize_text(text)[:200]


def matches(text: str, source: str, target: str) -> bool:
    """Whether a search finds a segment (the same rule as the index's: Latin letters in any case)."""
    wanted = search_text(text)
    if not wanted:
        return True
    folded = _ascii_lower(wanted)
    return folded in _ascii_lower(source) or folded in _ascii_lower(target)


_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _ascii_lower(text: str) -> str:
    return text.translate(_LOWER)


@dataclass(frozen=True)
class Row:
    """One segment as the queue lists it."""

    article: str
    lang: str
    pos: int
    id: str
    source: str
    target: str
    state: State
    needs_editing: bool
    origin: str | None
    errors: int
    warnings: int
    checks: tuple[str, ...]
    comments: int

    @property
    def key(self) -> Key:
        return (self.lang, self.article, self.id)

    @property
    def label(self) -> str:
        return "needs editing" if self.needs_editing else self.state.value


@dataclass
class Summary:
    """How many segments a query's filters (state aside) hold, per state; and the work in them."""

    states: Counter[str] = field(default_factory=Counter)
    todo: int = 0  # drafts, rejected, and approved ones publish refuses ("to review")
    clean: int = 0  # drafts without findings that need no editing: what "approve all clean" approves
    files: int = 0  # PO files indexed
    unreadable: list[tuple[str, str, str]] = field(default_factory=list)  # lang, article, why

    def shown(self, state: str) -> int:
        """How many segments the state filter shows."""
        if state == "review":
            return self.todo
        if state == "all":
            return sum(self.states.values())
        return self.states[STATE_FILTERS[state][0].value]


@dataclass
class ArticleCount:
    """One article's segments per state (all its languages, or one)."""

    article: str
    counts: Counter[str] = field(default_factory=Counter)
    errors: int = 0


class SegmentIndex:
    """The index of one project; safe to share between threads (one connection, one lock)."""

    def __init__(self, project: Project, path: Path) -> None:
        self.project = project
        self.path = path
        self.lock = threading.RLock()
        self.generation = 0  # bumped whenever a refresh changes something
        self.pending = 0  # changed PO files the last refresh left for the next one
        self.note: str | None = None
        self._articles: tuple[float, list[str]] | None = None
        self._stamps: dict[tuple[str, str], str] | None = None  # the stamps of the indexed files
        self._seen_folders: list[str] = []  # the stamps of the PO folders at the last full scan
        self._folder_paths: tuple[list[tuple[str, str]], list[str]] = ([], [])  # PO files, and their folders
        self._scanned = -FULL_SCAN_EVERY
        self._memo: dict[tuple[str, ...], tuple[int, float, list[Any]]] = {}
        self._db = self._connect()

    @classmethod
    def open(cls, project: Project) -> SegmentIndex:
        """The project's index (created when missing; refused when a link leads it out of the project)."""
        path = project.root / CACHE_DIR / INDEX_FILE
        for name in (INDEX_FILE, f"{INDEX_FILE}-wal", f"{INDEX_FILE}-shm"):
            inside_root(project.root, path.with_name(name), CACHE_HINT)
        return cls(project, path)

    def __enter__(self) -> SegmentIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self.lock:
            self._db.close()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._setup(sqlite3.connect(self.path, timeout=10, check_same_thread=False))
        except sqlite3.DatabaseError:
            for suffix in ("", "-wal", "-shm"):  # derived data: a damaged file is started afresh
                with contextlib.suppress(OSError):
                    self.path.with_name(self.path.name + suffix).unlink()
            self.note = f"the segment index {self.path} was damaged; it was built again"
            return self._setup(sqlite3.connect(self.path, timeout=10, check_same_thread=False))

    def _setup(self, db: sqlite3.Connection) -> sqlite3.Connection:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:  # made by another version: afresh
            for kind, name in db.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')"
            ).fetchall():
                db.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
            db.execute(f"PRAGMA user_version = {SCHEMA}")
        db.executescript(_TABLES)
        context = json.dumps([SCHEMA, __version__, asdict(self.project.settings)], sort_keys=True, default=str)
        found = db.execute("SELECT value FROM meta WHERE key = 'context'").fetchone()
        if found is None or found[0] != context:  # other settings (check severities...): everything again
            with db:
                for table in ("seg", "seg_check", "text_counts", "files", "file_checks"):
                    db.execute(f"DELETE FROM {table}")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('context', ?)", (context,))
        return db

    # --- keeping it current ---------------------------------------------------------------------

    def articles(self) -> list[str]:
        """The project's articles (the folder walk is kept for a second: a page asks several times)."""
        now = time.monotonic()
        if self._articles is None or now - self._articles[0] > 1.0:
            self._articles = (now, self.project.articles())
        return self._articles[1]

    def refresh(self, budget: float | None = None, only: Iterable[tuple[str, str]] = ()) -> int:
        """Read again the PO files whose stamp changed (``only``: just these (lang, article) files);
        within ``budget`` seconds when given. Return how many changed files are left for later."""
        started = time.monotonic()
        with self.lock:
            if self._stamps is None:
                self._stamps = {
                    (lang, slug): stamp for lang, slug, stamp in self._all("SELECT lang, article, stamp FROM files")
                }
            known = self._stamps
            wanted = list(only)
            if wanted:
                present = {slug for _, slug in wanted if os.path.isfile(self.project.source_file(slug))}
                files = [(lang, slug) for lang, slug in wanted if slug in present]
                gone = [(lang, slug) for lang, slug in wanted if slug not in present and (lang, slug) in known]
            else:
                files = [(lang, slug) for slug in self.articles() for lang in self.project.settings.targets]
                folders = self._folders(files)
                if folders == self._seen_folders and started - self._scanned < FULL_SCAN_EVERY and not self.pending:
                    return 0  # no PO file was added, removed or replaced (atomic writes) since the last scan
                self._seen_folders, self._scanned = folders, started
                present_files = set(files)
                gone = [pair for pair in known if pair not in present_files]
            changed = []
            po_file = self.project.po_file
            for lang, slug in files:
                stamp = _stamp(po_file(lang, slug))
                if known.get((lang, slug)) != stamp:
                    changed.append((lang, slug, stamp))
            if gone:
                with self._db:
                    for lang, slug in gone:
                        self._forget(lang, slug)
                        known.pop((lang, slug), None)
                self.generation += 1
            if not changed:
                if not wanted:
                    self.pending = 0
                return self.pending
            if budget is None and len(changed) >= 64:
                results = map_chunks(_index_chunk, ["\0".join(c) for c in changed], _index_setup, self.project)
                self._store(results)
                with self._db:  # texts no segment holds any more (translations since edited)
                    self._db.execute("DELETE FROM texts WHERE tid NOT IN (SELECT tid FROM seg)")
                    self._db.execute("DELETE FROM text_counts WHERE n = 0")
                if not wanted:
                    self.pending = 0
                return self.pending
            checker = _index_setup(self.project)
            done: list[_FileResult] = []
            for lang, slug, stamp in changed:
                done.append(_file_rows(checker, lang, slug, stamp))
                if budget is not None and time.monotonic() - started > budget:
                    break
            self._store(done)
            if wanted and not self.pending:  # our own writes changed the folders: nothing else to look for
                self._seen_folders = self._folders(
                    [(lang, slug) for slug in self.articles() for lang in self.project.settings.targets]
                )
            self.pending = len(changed) - len(done) if not wanted else self.pending
            return self.pending

    def _text_id(self, source: str, target: str, ids: dict[tuple[str, str], int]) -> int:
        """The id of a (source, translation) pair in the texts table (each distinct pair is kept once);
        ``ids``: the ones already looked up."""
        known = ids.get((source, target))
        if known is not None:
            return known
        found = self._db.execute("SELECT tid FROM texts WHERE source = ? AND target = ?", (source, target)).fetchone()
        if found is None:
            cursor = self._db.execute("INSERT INTO texts (source, target) VALUES (?, ?)", (source, target))
            assert cursor.lastrowid is not None
            found = (cursor.lastrowid,)
        ids[(source, target)] = int(found[0])
        return int(found[0])

    def _folders(self, files: list[tuple[str, str]]) -> list[str]:
        """The stamps of the folders holding the PO files (a file written atomically changes its folder's)."""
        if files != self._folder_paths[0]:  # the same files as last time (the usual case): the same folders
            folders = sorted({os.path.dirname(self.project.po_file(lang, slug)) for lang, slug in files})
            self._folder_paths = (files, folders)
        return [_stamp(folder) for folder in self._folder_paths[1]]

    def _forget(self, lang: str, slug: str) -> None:
        self._db.execute("DELETE FROM seg WHERE article = ? AND lang = ?", (slug, lang))
        self._db.execute("DELETE FROM seg_check WHERE article = ? AND lang = ?", (slug, lang))
        self._db.execute("DELETE FROM file_checks WHERE lang = ? AND article = ?", (lang, slug))
        self._db.execute("DELETE FROM obsolete WHERE article = ? AND lang = ?", (slug, lang))
        self._db.execute("DELETE FROM files WHERE lang = ? AND article = ?", (lang, slug))

    def _store(self, results: Sequence[_FileResult]) -> None:
        ids: dict[tuple[str, str], int] = {}
        with self._db:
            for lang, slug, stamp, error, rows, memory in results:
                self._forget(lang, slug)
                if self._stamps is not None:
                    self._stamps[(lang, slug)] = stamp
                if not stamp:  # no PO file (yet): nothing to index
                    continue
                counts: Counter[str] = Counter(row[6] for row in rows)
                checks = sorted({c for row in rows for c in row[12].split()})
                self._db.execute(
                    "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        lang,
                        slug,
                        stamp,
                        error,
                        len(rows),
                        counts[State.UNTRANSLATED.value],
                        counts[State.DRAFT.value],
                        counts[State.APPROVED.value],
                        counts[State.REJECTED.value],
                        sum(row[13] for row in rows),
                        sum(row[14] for row in rows),
                        sum(1 for row in rows if row[10]),
                        " ".join(checks),
                    ),
                )
                stored = [(*row[:4], self._text_id(row[4], row[5], ids), *row[6:]) for row in rows]
                self._db.executemany("INSERT INTO seg VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", stored)
                self._db.executemany(
                    "INSERT INTO seg_check VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(check, *row) for row in stored if row[11] for check in row[11].split()],
                )
                self._db.executemany(
                    "INSERT INTO file_checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(lang, slug, name, *tally) for name, tally in _check_tallies(rows).items()],
                )
                self._db.executemany(
                    "INSERT INTO obsolete VALUES (?, ?, ?, ?)", [(slug, lang, src, tgt) for src, tgt in memory]
                )
        self.generation += 1

    # --- asking ---------------------------------------------------------------------------------

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.lock:
            return self._db.execute(sql, params).fetchall()

    def count(self) -> int:
        """Segments in the index."""
        return int(self._all("SELECT count(*) FROM seg")[0][0])

    def page(self, query: Query, offset: int = 0, limit: int = 50) -> list[Row]:
        """The segments the query shows, drafts with errors first, from ``offset``."""
        where, params = query.where(common=self._common(query))
        found = self._all(
            f"SELECT {_COLUMNS} FROM {query.view} WHERE {where} ORDER BY {_ORDER} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_row(values) for values in found]

    def summary(self, query: Query) -> Summary:
        """Counts per state under the query's other filters; what is to review, and clean."""
        summary = Summary()
        if query.by_file:
            terms = [t for t, v in (("article = ?", query.article), ("lang = ?", query.lang)) if v]
            params = [v for v in (query.article, query.lang) if v]
            where = " AND ".join(terms) or "1"
            [row] = self._all(
                "SELECT count(*), sum(untranslated), sum(draft), sum(approved), sum(rejected), sum(todo), sum(clean) "
                f"FROM files WHERE {where}",
                params,
            )
            summary.files = row[0]
            for state, n in zip(
                (State.UNTRANSLATED, State.DRAFT, State.APPROVED, State.REJECTED), row[1:5], strict=True
            ):
                summary.states[state.value] = n or 0
            summary.todo, summary.clean = row[5] or 0, row[6] or 0
            summary.unreadable = [
                (lang, article, error)
                for lang, article, error in self._all(
                    f"SELECT lang, article, error FROM files WHERE error IS NOT NULL AND {where} LIMIT 20", params
                )
            ]
            return summary
        if not search_text(query.text):  # a findings filter: the per-file counts of each filter
            terms = [t for t, v in (("article = ?", query.article), ("lang = ?", query.lang)) if v]
            where = " AND ".join(["check_name = ?", *terms])
            [row] = self._all(
                "SELECT total(untranslated), total(draft), total(approved), total(rejected), total(todo), total(clean) "
                f"FROM file_checks WHERE {where}",
                [query.check, *(v for v in (query.article, query.lang) if v)],
            )
            for kind, n in zip((State.UNTRANSLATED, State.DRAFT, State.APPROVED, State.REJECTED), row[:4], strict=True):
                summary.states[kind.value] = int(n)
            summary.todo, summary.clean = int(row[4]), int(row[5])
            return summary
        where, params = query.where(state=False)  # found through the texts (seg_tid covers the counts)
        sql = f"SELECT state, todo, clean, count(*) FROM {query.table} WHERE {where} GROUP BY state, todo, clean"
        found = self._all(sql, params) if query.check or query.article else self._text_tally(query)
        for value, todo, clean, n in found:
            summary.states[value] += n
            summary.todo += n if todo else 0
            summary.clean += n if clean else 0
        return summary

    def _remembered(self, key: tuple[str, ...], sql: str, params: list[Any]) -> list[Any]:
        """The rows of a query about texts, asked again within the same second and index generation
        (a page asks the same several times)."""
        now = time.monotonic()
        found = self._memo.get(key)
        if found is None or found[0] != self.generation or now - found[1] > 1.0:
            if len(self._memo) > 16:
                self._memo.clear()
            found = self._memo[key] = (self.generation, now, self._all(sql, params))
        return found[2]

    def _common(self, query: Query) -> bool:
        """Whether the query's text is in more than COMMON_TEXTS distinct texts."""
        text = search_text(query.text)
        if not text:
            return False
        _, params = Query(text=text, state="all").where()
        sql = f"SELECT count(*) FROM ({_TEXT_MATCH} LIMIT {COMMON_TEXTS + 1})"
        return int(self._remembered(("common", text), sql, params)[0][0]) > COMMON_TEXTS

    def _text_tally(self, query: Query) -> list[tuple[str, int, int, int]]:
        """(state, todo, clean, segments) of the segments holding the query's text, in its language if any:
        a sum over the matching texts' counts."""
        where, params = Query(lang=query.lang, state="all", text=query.text).where()
        sql = f"SELECT state, todo, clean, sum(n) FROM text_counts WHERE {where} GROUP BY state, todo, clean"
        return self._remembered(("tally", query.lang, search_text(query.text)), sql, params)

    def article_counts(self, query: Query | None = None, limit: int = 40) -> tuple[list[ArticleCount], int]:
        """The articles with the most to do (errors first), at most ``limit``, each counting the segments the
        query's language, findings and text filters show (its article and state aside); and how many
        articles hold any such segment."""
        query = replace(query or Query(), article="", state="all")
        lang, params = ("lang = ?", [query.lang]) if query.lang else ("1", [])
        columns = "article, total(untranslated) AS u, total(draft) AS d, total(approved) AS a, total(rejected) AS r, "
        columns += "total(errors) AS e, total(todo) AS t"
        if not search_text(query.text):  # the per-file counts, of each findings filter
            table, where = ("files", lang) if query.by_file else ("file_checks", f"check_name = ? AND {lang}")
            params = params if query.by_file else [query.check, *params]
            found = self._all(
                f"SELECT {columns} FROM {table} WHERE {where} GROUP BY article "
                "ORDER BY total(errors) > 0 DESC, total(todo) + total(untranslated) > 0 DESC, article LIMIT ?",
                [*params, limit],
            )
            total = self._all(f"SELECT count(DISTINCT article) FROM {table} WHERE {where}", params)[0][0]
            return [_article_count(*row[:6]) for row in found], int(total)
        if not query.check and self._mostly(query):  # every segment but those without the text: fewer
            where, params2 = query.where(holding=False)
            counted = (
                f"WITH f AS (SELECT {columns} FROM files WHERE {lang} GROUP BY article), "
                f"w AS (SELECT article, {_COUNTS} FROM seg WHERE {where} GROUP BY article), "
                "x AS (SELECT f.article, f.u - coalesce(w.u, 0) AS u, f.d - coalesce(w.d, 0) AS d, "
                "f.a - coalesce(w.a, 0) AS a, f.r - coalesce(w.r, 0) AS r, f.e - coalesce(w.e, 0) AS e, "
                "f.t - coalesce(w.t, 0) AS t FROM f LEFT JOIN w USING (article))"
            )
            params = [*params, *params2]
        else:
            where, params = query.where(common=self._common(query))
            counted = f"WITH x AS (SELECT article, {_COUNTS} FROM {query.table} WHERE {where} GROUP BY article)"
        found = self._all(
            f"{counted} SELECT article, u, d, a, r, e, count(*) OVER () FROM x WHERE u + d + a + r > 0 "
            "ORDER BY e > 0 DESC, t + u > 0 DESC, article LIMIT ?",
            [*params, limit],
        )
        return [_article_count(*row[:6]) for row in found], int(found[0][6]) if found else 0

    def _mostly(self, query: Query) -> bool:
        """Whether the query's text is in more than half of the segments of its language(s)."""
        if not self._common(query):
            return False
        holding = sum(row[3] for row in self._text_tally(query))
        lang, more = ("lang = ?", [query.lang]) if query.lang else ("1", [])
        return bool(holding > self._all(f"SELECT total(total) FROM files WHERE {lang}", more)[0][0] / 2)

    def article_count(self, article: str, lang: str = "", query: Query | None = None) -> ArticleCount:
        """One article's counts (of the segments the query's findings and text filters show, when given)."""
        if query is not None and not query.by_file:
            found = self._grouped(replace(query, article=article, lang=lang, state="all"), "")
            return _article_count(article, *found[0][1:6])
        where, params = ("article = ? AND lang = ?", [article, lang]) if lang else ("article = ?", [article])
        [row] = self._all(
            f"SELECT sum(untranslated), sum(draft), sum(approved), sum(rejected), sum(errors) FROM files WHERE {where}",
            params,
        )
        return _article_count(article, *row)

    def _grouped(self, query: Query, group: str) -> list[tuple[Any, ...]]:
        """Per group of the segments the query shows: article, untranslated, draft, approved, rejected, with
        errors, to review (0, not None, in an empty group)."""
        where, params = query.where(common=self._common(query))
        found = self._all(f"SELECT max(article), {_COUNTS} FROM {query.table} WHERE {where} {group}", params)
        return [(row[0], *(int(n) for n in row[1:])) for row in found]

    def checks(self) -> list[str]:
        """The names of the checks with a finding anywhere."""
        names: set[str] = set()
        for (found,) in self._all("SELECT DISTINCT checks FROM files WHERE checks != ''"):
            names.update(found.split())
        return sorted(names)

    def row(self, key: Key) -> Row | None:
        """The indexed segment with this key (its first occurrence in the article)."""
        lang, article, ident = key
        found = self._all(
            f"SELECT {_COLUMNS} FROM segv WHERE article = ? AND lang = ? AND id = ? ORDER BY pos LIMIT 1",
            [article, lang, ident],
        )
        return _row(found[0]) if found else None

    def sort_key(self, key: Key) -> tuple[int, str, str, int] | None:
        """Where a segment sits in the queue's order (errors first, then article, language, position)."""
        lang, article, ident = key
        found = self._all(
            "SELECT err_open, article, lang, pos FROM seg WHERE article = ? AND lang = ? AND id = ? "
            "ORDER BY pos LIMIT 1",
            [article, lang, ident],
        )
        if not found:
            return None
        err, where, language, pos = found[0]
        return int(err), str(where), str(language), int(pos)

    def offset_of(self, query: Query, key: Key) -> int | None:
        """How many segments the query shows before ``key`` (None: it does not show it)."""
        place = self.sort_key(key)
        if place is None:
            return None
        where, params = query.where()
        shown = self._all(
            f"SELECT 1 FROM {query.table} WHERE {where} AND article = ? AND lang = ? AND pos = ?",
            [*params, place[1], place[2], place[3]],
        )
        if not shown:
            return None
        before, more = _before(place)
        sql = f"SELECT count(*) FROM {query.table} WHERE {where} AND ({before})"
        return int(self._all(sql, [*params, *more])[0][0])

    def after(self, query: Query, place: tuple[int, str, str, int]) -> Row | None:
        """The first segment the query shows after the place ``place`` had in the order (else the first one)."""
        where, params = query.where()
        before, more = _before(place)
        found = self._all(
            f"SELECT {_COLUMNS} FROM {query.view} WHERE {where} AND NOT ({before}) AND NOT "
            "(err_open = ? AND article = ? AND lang = ? AND pos = ?) "
            f"ORDER BY {_ORDER} LIMIT 1",
            [*params, *more, *place],
        )
        if not found:
            found = self._all(f"SELECT {_COLUMNS} FROM {query.view} WHERE {where} ORDER BY {_ORDER} LIMIT 1", params)
        return _row(found[0]) if found else None

    def keys(self, query: Query, *, state: State | None = None, clean: bool = False) -> list[Key]:
        """The segments the query shows (of ``state`` only, or clean drafts only), in order."""
        where, params = query.where(state=state is None and not clean)
        if state is not None:
            where += " AND state = ?"
            params.append(state.value)
        if clean:
            where += " AND clean = 1"
        return [(lang, article, ident) for article, lang, ident in self._all(
            f"SELECT article, lang, id FROM {query.table} WHERE {where} ORDER BY {_ORDER}", params
        )]  # fmt: skip

    def sharing(self, lang: str, ident: str, limit: int = -1) -> list[Row]:
        """Every article's copy of the segment ``ident`` in ``lang`` (at most ``limit``)."""
        found = self._all(
            f"SELECT {_COLUMNS} FROM segv WHERE lang = ? AND id = ? ORDER BY article, pos LIMIT ?", [lang, ident, limit]
        )
        return [_row(values) for values in found]

    def sharing_count(self, lang: str, ident: str) -> int:
        """In how many articles the segment ``ident`` is, in ``lang``."""
        return int(self._all("SELECT count(DISTINCT article) FROM seg WHERE lang = ? AND id = ?", [lang, ident])[0][0])

    def shared_counts(self, rows: Sequence[Row]) -> dict[tuple[str, str], int]:
        """For each (lang, id) of rows: in how many articles the segment is."""
        return {pair: self.sharing_count(*pair) for pair in sorted({(r.lang, r.id) for r in rows})}

    def approved(self, lang: str) -> Iterator[tuple[str, str]]:
        """(source, translation) of every approved segment in ``lang`` (obsolete ones too): the project's memory."""
        yield from self._all(
            "SELECT source, target FROM segv WHERE +lang = ? AND state = 'approved' "
            "UNION ALL SELECT source, target FROM obsolete WHERE lang = ?",
            [lang, lang],
        )


def _stamp(path: str) -> str:
    """What tells a changed PO file from an unchanged one (as :func:`translate.cache.file_stamp`); "" when missing."""
    try:
        info = os.stat(path)
    except OSError:
        return ""
    return f"{info.st_mtime_ns} {info.st_size} {info.st_ino}"


def _before(place: tuple[int, str, str, int]) -> tuple[str, list[Any]]:
    """The SQL condition of the segments that come before ``place`` in the queue's order."""
    err, article, lang, pos = place
    return (
        "err_open > ? OR (err_open = ? AND (article, lang, pos) < (?, ?, ?))",
        [err, err, article, lang, pos],
    )


def _check_tallies(rows: Sequence[_SegRow]) -> dict[str, list[int]]:
    """Per findings filter (each check's name, and error, warning, clean): how many of the rows it shows are
    untranslated, draft, approved, rejected, to review, clean, with errors."""
    states = {s.value: n for n, s in enumerate((State.UNTRANSLATED, State.DRAFT, State.APPROVED, State.REJECTED))}
    tallies: dict[str, list[int]] = {}
    for row in rows:
        names = row[12].split()
        if row[10]:
            names.append("error")
        if row[11]:
            names.append("warning")
        if not row[10] and not row[11]:
            names.append("clean")
        for name in names:
            tally = tallies.setdefault(name, [0] * 7)
            tally[states[row[6]]] += 1
            tally[4] += row[13]
            tally[5] += row[14]
            tally[6] += row[10] > 0
    return tallies


def _article_count(*row: Any) -> ArticleCount:
    """An ArticleCount from (article, untranslated, draft, approved, rejected, errors); a None count is 0."""
    article, untranslated, draft, approved, rejected, errors = row
    count = ArticleCount(article, errors=int(errors or 0))
    count.counts.update(
        untranslated=int(untranslated or 0), draft=int(draft or 0), approved=int(approved or 0),
        rejected=int(rejected or 0),
    )  # fmt: skip
    return count


def _row(values: Sequence[Any]) -> Row:
    article, lang, pos, ident, source, target, state, needs, origin, errors, warnings, checks, comments = values
    return Row(
        article, lang, pos, ident, source, target, State(state), bool(needs), origin, errors, warnings,
        tuple(checks.split()), comments,
    )  # fmt: skip


def _index_setup(project: Project) -> Any:
    from translate.approval import Checker

    return Checker(project)


def _index_chunk(checker: Any, items: list[str]) -> list[_FileResult]:
    return [_file_rows(checker, *item.split("\0")) for item in items]


def _file_rows(checker: Any, lang: str, slug: str, stamp: str) -> _FileResult:
    """The index rows of one PO file (its findings those of its current texts, as every reader sees them)."""
    from translate.approval import blocking, file_time, open_findings, refresh
    from translate.po import load_catalog

    project: Project = checker.project
    if not stamp:
        return lang, slug, stamp, None, [], []
    try:
        path = project.po_path(lang, slug)
        catalog = load_catalog(path, article=slug, lang=lang, source_lang=project.settings.source)
        refresh(catalog, checker, file_time(path))
    except ARTICLE_ERRORS as exc:
        return lang, slug, stamp, str(exc), [], []
    rows: list[_SegRow] = []
    for pos, unit in enumerate(catalog.active_units()):
        findings = unsettled = open_findings(unit)  # what a person dismissed or overrode is not counted
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        checks = f" {' '.join(sorted({f.check for f in findings}))} " if findings else ""
        todo = unit.state in (State.DRAFT, State.REJECTED) or bool(blocking(unit))
        clean = unit.state is State.DRAFT and not unit.needs_editing and not unsettled
        comments = sum(1 for line in unit.history if history.is_comment(line))
        rows.append(
            (
                slug,
                lang,
                pos,
                unit.id,
                unit.source,
                unit.target,
                unit.state.value,
                int(unit.needs_editing),
                unit.origin,
                int(any(f.severity is Severity.ERROR for f in unsettled)),
                errors,
                len(findings) - errors,
                checks,
                int(todo),
                int(clean),
                comments,
            )
        )
    memory = [(u.source, u.target) for u in catalog.units if u.obsolete and u.state is State.APPROVED and u.target]
    return lang, slug, stamp, None, rows, memory
