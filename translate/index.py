"""The segment index: every segment of every PO file in one SQLite table, so the review page holds a big site.

``.translate-cache/segments.sqlite3`` under the content root holds, per segment, its article, language,
position, state, translation, findings (counts and check names) and text, and per PO file its stamp
(:func:`translate.cache.file_stamp`) and counts. :meth:`SegmentIndex.refresh` reads again only the PO
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
from dataclasses import asdict, dataclass, field
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
SCHEMA = 5
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
CREATE INDEX IF NOT EXISTS seg_all ON seg (err_open DESC, article, lang, pos);
CREATE INDEX IF NOT EXISTS seg_todo ON seg (todo, err_open DESC, article, lang, pos);
CREATE INDEX IF NOT EXISTS seg_state ON seg (state, err_open DESC, article, lang, pos);
CREATE INDEX IF NOT EXISTS seg_id ON seg (lang, id);
CREATE INDEX IF NOT EXISTS seg_tid ON seg (tid, state, todo, clean, errors, warnings, lang);
CREATE INDEX IF NOT EXISTS seg_findings ON seg (errors, warnings, state, todo, clean, checks, lang, article);
CREATE VIEW IF NOT EXISTS segv AS SELECT seg.*, texts.source, texts.target FROM seg JOIN texts USING (tid);
CREATE TABLE IF NOT EXISTS obsolete (
    article TEXT NOT NULL, lang TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS obsolete_file ON obsolete (article, lang);
"""
_COLUMNS = "article, lang, pos, id, source, target, state, needs_editing, origin, errors, warnings, checks, comments"
_TEXT_MATCH = "SELECT tid FROM texts WHERE source LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\'"
_ORDER = "err_open DESC, article, lang, pos"
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

    def where(self, *, state: bool = True, common: bool = False) -> tuple[str, list[Any]]:
        """The SQL condition and its parameters (``state``: with the state filter; ``common``: the text
        is in many texts, so every segment is tested rather than each text's segments looked up)."""
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
        if self.check == "error":
            terms.append("errors > 0")
        elif self.check == "warning":
            terms.append("warnings > 0")
        elif self.check == "clean":
            terms.append("errors = 0 AND warnings = 0")
        elif self.check:
            terms.append("instr(checks, ?) > 0")
            params.append(f" {self.check} ")
        text = search_text(self.text)
        if text:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            # each distinct text is searched once, however many articles hold it
            terms.append(f"{'+' if common else ''}tid IN ({_TEXT_MATCH})")
            params += [pattern, pattern]
        return (" AND ".join(terms) or "1"), params

    @property
    def by_file(self) -> bool:
        """Whether the counts can come from the per-file table (no finding or text filter)."""
        return not self.check and not search_text(self.text)


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
        self._scanned = -FULL_SCAN_EVERY
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
                db.execute("DELETE FROM seg")
                db.execute("DELETE FROM files")
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
        folders = sorted({os.path.dirname(self.project.po_file(lang, slug)) for lang, slug in files})
        return [_stamp(folder) for folder in folders]

    def _forget(self, lang: str, slug: str) -> None:
        self._db.execute("DELETE FROM seg WHERE article = ? AND lang = ?", (slug, lang))
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
            f"SELECT {_COLUMNS} FROM segv WHERE {where} ORDER BY {_ORDER} LIMIT ? OFFSET ?",
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
        where, params = query.where(state=False)  # found through the texts (seg_tid covers the counts)
        for state, todo, clean, n in self._all(
            f"SELECT state, todo, clean, count(*) FROM seg WHERE {where} GROUP BY state, todo, clean", params
        ):
            summary.states[state] += n
            summary.todo += n if todo else 0
            summary.clean += n if clean else 0
        return summary

    def _common(self, query: Query) -> bool:
        """Whether the query's text is in more than COMMON_TEXTS distinct texts."""
        if not search_text(query.text):
            return False
        _, params = Query(text=query.text, state="all").where()
        sql = f"SELECT count(*) FROM ({_TEXT_MATCH} LIMIT {COMMON_TEXTS + 1})"
        return int(self._all(sql, params)[0][0]) > COMMON_TEXTS

    def article_counts(self, lang: str = "", limit: int = 40) -> tuple[list[ArticleCount], int]:
        """The articles with the most to do (errors first), at most ``limit``; and how many articles there are."""
        where, params = ("lang = ?", [lang]) if lang else ("1", [])
        rows = self._all(
            "SELECT article, sum(untranslated), sum(draft), sum(approved), sum(rejected), sum(errors), "
            f"sum(todo) FROM files WHERE {where} GROUP BY article "
            "ORDER BY sum(errors) > 0 DESC, sum(todo) + sum(untranslated) > 0 DESC, article LIMIT ?",
            [*params, limit],
        )
        articles = []
        for article, untranslated, draft, approved, rejected, errors, _ in rows:
            count = ArticleCount(article, errors=errors)
            count.counts.update(untranslated=untranslated, draft=draft, approved=approved, rejected=rejected)
            articles.append(count)
        total = self._all(f"SELECT count(DISTINCT article) FROM files WHERE {where}", params)[0][0]
        return articles, int(total)

    def article_count(self, article: str, lang: str = "") -> ArticleCount:
        """One article's counts."""
        found, _ = self._counts_of(article, lang)
        return found

    def _counts_of(self, article: str, lang: str) -> tuple[ArticleCount, int]:
        where, params = ("article = ? AND lang = ?", [article, lang]) if lang else ("article = ?", [article])
        [row] = self._all(
            f"SELECT sum(untranslated), sum(draft), sum(approved), sum(rejected), sum(errors) FROM files WHERE {where}",
            params,
        )
        count = ArticleCount(article, errors=row[4] or 0)
        count.counts.update(untranslated=row[0] or 0, draft=row[1] or 0, approved=row[2] or 0, rejected=row[3] or 0)
        return count, 1

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
            f"SELECT 1 FROM seg WHERE {where} AND article = ? AND lang = ? AND pos = ?",
            [*params, place[1], place[2], place[3]],
        )
        if not shown:
            return None
        before, more = _before(place)
        return int(self._all(f"SELECT count(*) FROM seg WHERE {where} AND ({before})", [*params, *more])[0][0])

    def after(self, query: Query, place: tuple[int, str, str, int]) -> Row | None:
        """The first segment the query shows after the place ``place`` had in the order (else the first one)."""
        where, params = query.where()
        before, more = _before(place)
        found = self._all(
            f"SELECT {_COLUMNS} FROM segv WHERE {where} AND NOT ({before}) AND NOT "
            "(err_open = ? AND article = ? AND lang = ? AND pos = ?) "
            f"ORDER BY {_ORDER} LIMIT 1",
            [*params, *more, *place],
        )
        if not found:
            found = self._all(f"SELECT {_COLUMNS} FROM segv WHERE {where} ORDER BY {_ORDER} LIMIT 1", params)
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
            f"SELECT article, lang, id FROM seg WHERE {where} ORDER BY {_ORDER}", params
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
        findings = unit.findings
        unsettled = open_findings(unit)
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
