"""The review site's model: what its pages show, over the segment index and the project.

The queue (a page of rows, its counts, the articles with the most to do), one segment's view (glossary
terms, memory suggestions, diffs, the articles sharing it) and an article side by side; the parameters
that name a filter or a segment; the background job and the message of the last action.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from translate.approval import open_findings, settled
from translate.errors import ConfigError
from translate.glossary import Glossary, cached_glossary
from translate.index import STATE_FILTERS, Query, Row, SegmentIndex
from translate.model import Severity, State
from translate.pages import load_source
from translate.po import load_catalog
from translate.project import Project
from translate.render import render_with_spans
from translate.review import QueueItem, comments, queue, unit_version
from translate.status import status
from translate.tm import FuzzyIndex, MemoryEntry, imported_entries
from translate.web.html import TermView, diff_words, glossary_terms, highlight_source, highlight_target, render_markdown

PAGE_SIZE = 50  # queue rows per page
SHARED_SHOWN = 12  # other articles named in a segment's "also in" list
SWEEP_EVERY = 60.0  # seconds between two sweeps of stale temporary files (not at each decision: 10,000 files)
REFRESH_BUDGET = 0.12  # seconds a page spends reading changed PO files into the index (the rest: next time)
MEMORY_TTL = 30.0  # seconds a large memory for suggestions is kept once the index changed
SMALL_MEMORY = 20_000  # entries: a memory this small is built again at once (well under 0.1 s)
FINISHED_SHOWN = 120.0  # seconds the outcome of a Draft or Approve-all job stays on the page


@dataclass(frozen=True)
class Filters(Query):
    """What part of the queue the reviewer looks at (the index's :class:`Query`), and which page of it."""

    page: int = 0  # from 0

    @classmethod
    def read(cls, params: Mapping[str, Any], project: Project) -> Filters:
        """Filters from query or form parameters (the text as ``q``), each validated (slug, language, state)."""
        article = str(params.get("article") or "").strip()
        lang = str(params.get("lang") or "")
        state = str(params.get("state") or "review")
        if article:
            article = project.articles(article)[0]
        if lang:
            project.languages(lang)
        if state not in STATE_FILTERS:
            raise ConfigError(f"unknown state filter {state!r}; use one of {', '.join(STATE_FILTERS)}.")
        page = str(params.get("page") or "1")
        number = int(page) - 1 if page.isdigit() and len(page) < 8 else 0
        text = str(params.get("q") or "")[:200]
        return cls(article, lang, state, str(params.get("check") or "")[:40], text, max(0, number))

    def query(self) -> Query:
        """The filters without the page: what the index counts and caches by."""
        return Query(self.article, self.lang, self.state, self.check, self.text)

    def params(self) -> dict[str, str]:
        """The filters as parameters (the page aside: a link to a segment finds its page)."""
        state = "" if self.state == "review" else self.state
        named = {"article": self.article, "lang": self.lang, "state": state, "check": self.check, "q": self.text}
        return {k: v for k, v in named.items() if v}


@dataclass(frozen=True)
class Key:
    """One segment of one article and language."""

    article: str
    lang: str
    id: str

    def params(self) -> dict[str, str]:
        return {"in": self.article, "to": self.lang, "id": self.id}

    @classmethod
    def read(cls, params: Mapping[str, Any], project: Project) -> Key | None:
        """The segment the ``in``, ``to`` and ``id`` parameters name (slug and language checked), or None."""
        article, lang, ident = (str(params.get(k) or "") for k in ("in", "to", "id"))
        if not (article and lang and ident):
            return None
        project.languages(lang)
        return cls(project.articles(article)[0], lang, ident.lower()[:40])

    @classmethod
    def of(cls, item: QueueItem | Row) -> Key:
        return cls(item.article, item.lang, item.id)

    @property
    def index_key(self) -> tuple[str, str, str]:
        return (self.lang, self.article, self.id)


@dataclass
class Flash:
    """What the last action did, shown above the segment."""

    text: str
    kind: str = "ok"  # ok | refused | conflict | error
    offer_force: bool = False


@dataclass
class Job:
    """A Draft or Approve-all run in the background, with its progress for the page."""

    kind: str  # draft | approve
    what: str  # what it works on, for people
    total: int  # segments
    done: int = 0
    texts: int = 0  # draft: distinct texts machine translation is asked for
    sent: int = 0
    failed: int = 0
    finished: float | None = None  # time.monotonic() when it ended
    outcome: Flash | None = None

    @property
    def running(self) -> bool:
        return self.finished is None


def url(path: str, *parts: Mapping[str, str]) -> str:
    """A link: the path percent-encoded (a slug may hold ``?``, ``#`` or ``%``), then the parameters."""
    params = {k: v for part in parts for k, v in part.items()}
    return quote(path, safe="/") + ("?" + urlencode(params) if params else "")


def scope_text(filters: Filters) -> str:
    """What a filter covers, for people: "of emface [en] holding “피부”"."""
    parts = [f"of {filters.article}" if filters.article else "of every article"]
    if filters.lang:
        parts.append(f"[{filters.lang}]")
    if filters.check:
        parts.append(f"with findings: {filters.check}")
    if filters.text:
        parts.append(f"holding “{filters.text}”")
    return " ".join(parts)


class ReviewSite:
    """What the pages show, over one project, and the state the server keeps while it runs (the index,
    memories for suggestions, the background job); the actions are in :mod:`translate.web.actions`."""

    def __init__(self, project: Project) -> None:
        self.project = replace(project, sweep_every=SWEEP_EVERY)
        self.writing = threading.Lock()  # the project lock is re-entrant per process: serialise our own writers
        self._index: SegmentIndex | None = None
        self._index_lock = threading.Lock()
        self._memories: dict[str, tuple[int, float, FuzzyIndex]] = {}
        self.job: Job | None = None
        self.job_lock = threading.Lock()

    @property
    def index(self) -> SegmentIndex:
        """The segment index (opened on first use), kept by this server while it runs."""
        with self._index_lock:
            if self._index is None:
                self._index = SegmentIndex.open(self.project)
            return self._index

    def glossary(self) -> Glossary:
        """The project's glossary, parsed again only when glossary.yaml changes."""
        return cached_glossary(self.project.glossary_path, self.project.settings.source, self.project.settings.targets)

    def find(self, key: Key) -> QueueItem | None:
        """The segment as its PO file holds it now (the index only lists)."""
        items = queue(self.project, key.lang, key.article, tuple(State), suggest=False)
        return next((i for i in items if i.id == key.id), None)

    def memory(self, lang: str) -> FuzzyIndex:
        """Fuzzy matches over the project's approved translations (from the index) and imported memories;
        built again when the index changed (a large memory: at most every MEMORY_TTL seconds)."""
        generation, now = self.index.generation, time.monotonic()
        cached = self._memories.get(lang)
        if cached is None or (
            cached[0] != generation and (len(cached[2]) < SMALL_MEMORY or now - cached[1] > MEMORY_TTL)
        ):
            entries = [MemoryEntry(source, target) for source, target in self.index.approved(lang)]
            entries += imported_entries(self.project, lang)
            cached = self._memories[lang] = (
                generation,
                now,
                FuzzyIndex(entries, self.project.settings.fuzzy_threshold),
            )
        return cached[2]

    def panel(
        self, key: Key | None, filters: Filters, flash: Flash | None = None, *, fresh: bool = False
    ) -> dict[str, Any]:
        """What the segment view shows for key (``fresh``: the index was just refreshed)."""
        if not fresh:
            self.index.refresh(REFRESH_BUDGET)
        item = self.find(key) if key else None
        if item is None:
            return {"item": None, "flash": flash, "filters": filters}
        unit = item.unit
        if unit.state is not State.APPROVED:
            item.suggestions = self.memory(item.lang).suggest(unit)
        terms: list[TermView] = glossary_terms(self.glossary(), unit.source, unit.target, item.lang)
        others = [r for r in self.index.sharing(item.lang, item.id, SHARED_SHOWN + 1) if r.article != item.article]
        shared_total = self.index.sharing_count(item.lang, item.id) - 1
        article_count = self.index.article_count(item.article, item.lang)
        return {
            "item": item,
            "unit": unit,
            "key": Key.of(item),
            "filters": filters,
            "flash": flash,
            "version": unit_version(unit),
            "terms": terms,
            "source_html": highlight_source(self.glossary(), unit.source, item.lang),
            "target_html": highlight_target(unit.target, terms),
            "previous_html": diff_words(unit.previous_source, unit.source) if unit.previous_source else None,
            "suggestions": [
                {"target": s.target, "score": s.score, "diff": diff_words(s.source, unit.source)}
                for s in item.suggestions
            ],
            "has_error": any(f.severity is Severity.ERROR for f in open_findings(unit)),
            "settled": {check: event.settles() for check, event in settled(unit).items()},
            "blocking": sorted({f.check for f in item.blocking}),
            "shared": [
                {
                    "article": r.article,
                    "label": r.label,
                    "same": r.target == unit.target,
                    "published": Path(self.project.content_file(r.lang, r.article)).is_file(),
                }
                for r in others[:SHARED_SHOWN]
            ],
            "shared_total": shared_total,
            "comments": comments(unit),
            "article_untranslated": article_count.counts["untranslated"],
            "job": self.current_job(),
        }

    def current_job(self) -> Job | None:
        """The running job, or the one that ended in the last FINISHED_SHOWN seconds."""
        job = self.job
        if job is not None and job.finished is not None and time.monotonic() - job.finished > FINISHED_SHOWN:
            return None
        return job

    def workspace(self, filters: Filters, key: Key | None, flash: Flash | None = None) -> dict[str, Any]:
        """A page of the queue, its counts, the articles with the most to do, and the segment view."""
        index = self.index
        index.refresh(REFRESH_BUDGET)
        query = filters.query()
        summary = index.summary(query)
        shown = summary.shown(filters.state)
        pages = max(1, -(-shown // PAGE_SIZE))
        page = min(filters.page, pages - 1)
        rows = index.page(query, page * PAGE_SIZE, PAGE_SIZE)
        if key is not None and all(Key.of(row) != key for row in rows):  # not on the page the reviewer was on
            offset = index.offset_of(query, key.index_key)
            if offset is not None:
                page = offset // PAGE_SIZE
                rows = index.page(query, page * PAGE_SIZE, PAGE_SIZE)
        if key is None and rows:
            key = Key.of(rows[0])
        articles, article_total = index.article_counts(query)  # counting what the filters show
        if filters.article and all(a.article != filters.article for a in articles):
            articles.insert(0, index.article_count(filters.article, filters.lang, query))
        return {
            "filters": filters,
            "rows": rows,
            "shared": index.shared_counts(rows),
            "summary": summary,
            "shown": shown,
            "page": page,
            "pages": pages,
            "first": page * PAGE_SIZE + 1,
            "selected": key,
            "articles": articles,
            "article_total": article_total,
            "checks": index.checks(),
            "languages": self.project.settings.targets,
            "pending": index.pending,
            "job": self.current_job(),
            "panel": self.panel(key, filters, flash, fresh=True),
        }

    def article_page(self, slug: str, lang: str, current: str) -> dict[str, Any]:
        """The Korean and translated Markdown of an article side by side, the current segment marked."""
        doc = load_source(self.project, slug)
        catalog = load_catalog(
            self.project.po_path(lang, slug), article=slug, lang=lang, source_lang=self.project.settings.source
        )
        units = catalog.by_source()
        translations = {
            s.source: (units[s.source].target if s.source in units else "") or s.source for s in doc.segments
        }
        translated, spans = render_with_spans(doc, translations)
        hits = [
            i for i, s in enumerate(doc.segments) if current and s.source in units and units[s.source].id == current
        ]
        [row] = status(self.project, slug, lang)
        return {
            "slug": slug,
            "lang": lang,
            "current": current,
            "source_html": render_markdown(doc.text, [doc.segments[i].span for i in hits]),
            "target_html": render_markdown(translated, [spans[i] for i in hits]),
            "row": row,
            "publishable": row.total > 0 and row.counts.get(State.APPROVED.value, 0) == row.total and not row.blocked,
            "languages": self.project.settings.targets,
        }
