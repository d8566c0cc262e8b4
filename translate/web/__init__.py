"""serve: the review queue as a local web page (Starlette, Jinja2 templates, a little plain JavaScript).

Every action calls the library functions the CLI calls (``review.approve`` / ``edit`` / ``reject`` /
``dismiss``, ``publish.publish``), so the same atomic writes, project lock and check gating apply. A version per
segment (``review.unit_version``) refuses a save over someone else's newer decision.

Security: binds to 127.0.0.1 unless told otherwise, and then wants an access token (a strong one:
see :func:`weak_token`; wrong ones are limited per client address), the shared one or a reviewer's
own (:mod:`translate.reviewers`), whose name is then the one decisions are recorded under; requests
for another host name are refused (DNS rebinding); every POST carries the page's CSRF token and a
same-origin ``Origin``, and a decision the version it was made on; redirects stay on the site; all
text is escaped and the Content-Security-Policy allows only the app's own script; article slugs go
through ``Project.check_slug`` and are percent-encoded in links.
"""

from __future__ import annotations

import ipaddress
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from translate.approval import open_findings, settled
from translate.errors import ConfigError, LockError, NotFoundError, ReviewError, TranslateError
from translate.glossary import Glossary, cached_glossary
from translate.history import reviewer_name
from translate.index import STATE_FILTERS, Query, Row, SegmentIndex
from translate.model import Severity, State
from translate.pages import load_source
from translate.po import load_catalog
from translate.project import Project
from translate.publish import publish
from translate.render import render_with_spans
from translate.review import (
    ConflictError,
    Decisions,
    QueueItem,
    approve,
    comment,
    comments,
    dismiss,
    edit,
    queue,
    reject,
    unit_version,
)
from translate.reviewers import ReviewerTokens, load_reviewers, reviewers_path
from translate.status import status
from translate.tm import FuzzyIndex, MemoryEntry, imported_entries
from translate.web.html import (
    TermView,
    diff_words,
    glossary_terms,
    highlight_source,
    highlight_target,
    render_markdown,
)

HERE = Path(__file__).parent
REVIEWER_COOKIE = "translate_reviewer"
TOKEN_COOKIE = "translate_token"
REVIEWER_SCOPE = "translate.reviewer"  # the name of the reviewer whose own token the request carries
MIN_TOKEN_LENGTH = 16
FAILED_TOKENS_ALLOWED = 10  # wrong tokens from one address within FAILED_TOKENS_WINDOW seconds
FAILED_TOKENS_WINDOW = 60.0
FETCH_HEADER = "x-requested-with"
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def is_loopback(host: str) -> bool:
    """Whether host names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


PAGE_SIZE = 50  # queue rows per page
SHARED_SHOWN = 12  # other articles named in a segment's "also in" list
SWEEP_EVERY = 60.0  # seconds between two sweeps of stale temporary files (not at each decision: 10,000 files)
REFRESH_BUDGET = 0.12  # seconds a page spends reading changed PO files into the index (the rest: next time)
MEMORY_TTL = 30.0  # seconds a large memory for suggestions is kept once the index changed
SMALL_MEMORY = 20_000  # entries: a memory this small is built again at once (well under 0.1 s)
FINISHED_SHOWN = 120.0  # seconds the outcome of a Draft or Approve-all job stays on the page


@dataclass(frozen=True)
class Filters:
    """What part of the queue the reviewer looks at, and which page of it."""

    article: str = ""
    lang: str = ""
    state: str = "review"  # a key of STATE_FILTERS
    check: str = ""  # "" | error | warning | clean | a check's name
    q: str = ""  # text in the source or the translation
    page: int = 0  # from 0

    @classmethod
    def read(cls, params: Mapping[str, Any], project: Project) -> Filters:
        """Filters from query or form parameters, each validated (slug, language, state)."""
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
        q = str(params.get("q") or "")[:200]
        return cls(article, lang, state, str(params.get("check") or "")[:40], q, max(0, number))

    def query(self) -> Query:
        return Query(self.article, self.lang, self.state, self.check, self.q)

    def params(self) -> dict[str, str]:
        """The filters as parameters (the page aside: a link to a segment finds its page)."""
        return {k: v for k, v in vars(self).items() if k != "page" and v and (k != "state" or v != "review")}


@dataclass(frozen=True)
class Key:
    """One segment of one article and language."""

    article: str
    lang: str
    id: str

    def params(self) -> dict[str, str]:
        return {"in": self.article, "to": self.lang, "id": self.id}

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


def _url(path: str, *parts: Mapping[str, str]) -> str:
    """A link: the path percent-encoded (a slug may hold ``?``, ``#`` or ``%``), then the parameters."""
    params = {k: v for part in parts for k, v in part.items()}
    return quote(path, safe="/") + ("?" + urlencode(params) if params else "")


def local_path(target: str) -> str:
    """A redirect target made a path of this site: scheme and host dropped, one leading slash, the path
    percent-encoded (so ``//evil.example/``, ``/\\evil.example`` and the like stay here)."""
    parts = urlsplit(target.strip())
    path = "/" + quote(parts.path, safe="/%:@!$&'()*+,;=-._~").lstrip("/")
    return path + ("?" + quote(parts.query, safe="=&%+/:@,;-._~") if parts.query else "")


def weak_token(token: str) -> str | None:
    """Why an access token is too weak to guard a page others can reach, or None when it will do."""
    if len(token) < MIN_TOKEN_LENGTH:
        return f"it has {len(token)} characters; it needs at least {MIN_TOKEN_LENGTH}"
    if not token.isprintable() or any(c.isspace() for c in token):
        return "it holds white space or control characters, which do not survive an address or a cookie"
    if len(set(token)) < 6:
        return "it repeats too few different characters to be hard to guess"
    return None


class ReviewSite:
    """The pages and actions, over one project."""

    def __init__(self, project: Project, token: str | None = None) -> None:
        self.project = replace(project, sweep_every=SWEEP_EVERY)
        self.token = token
        self.reviewers = ReviewerTokens(reviewers_path(project))
        self.csrf = secrets.token_urlsafe(32)
        self.writing = threading.Lock()  # the project lock is re-entrant per process: serialise our own writers
        self._index: SegmentIndex | None = None
        self._index_lock = threading.Lock()
        self._memories: dict[str, tuple[int, float, FuzzyIndex]] = {}
        self.job: Job | None = None
        self._job_lock = threading.Lock()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(url=_url, csrf=self.csrf, STATE_FILTERS=STATE_FILTERS)

    # --- reading -------------------------------------------------------------------------

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

    # --- writing -------------------------------------------------------------------------

    def decide(self, form: Mapping[str, str], key: Key, reviewer: str) -> tuple[Flash, bool]:
        """Run one review action through the library; the flash to show and whether to move on.

        ``scope=all`` in the form decides for every article holding the segment (approve and reject only
        where the translation is the one the reviewer saw); otherwise for this article only."""
        action = form.get("decision", "")
        version = form.get("version", "")
        if not version:  # without it, a decision could overwrite one made since the page was opened
            raise ReviewError(
                "the form does not say which version of the segment you saw; reload the page and decide again."
            )
        force = form.get("force") in ("1", "on", "true")
        lang = key.lang
        scope: dict[str, Any] = {"lang": lang, "article": key.article, "expect": version}
        everywhere = form.get("scope") == "all" and action in ("approve", "edit", "reject")
        if everywhere:
            keys = {(lang, r.article, key.id) for r in self.index.sharing(lang, key.id)} | {key.index_key}
            scope.update(article=None, keys=keys, seen_in=key.article)
        with self.writing:
            if action == "approve":
                decisions = approve(self.project, [key.id], force=force, reviewer=reviewer, **scope)
                mine = [reason for item, reason in decisions.refused if item.article == key.article]
                if mine:
                    reason = mine[0]
                    offer = "findings" in reason
                    return Flash(f"Not approved: {reason.split(': fix it')[0]}.", "refused", offer), False
                note = " over its findings (recorded)" if force else ""
                return Flash(f"Approved{note}{self._where(decisions, everywhere)}"), True
            if action == "edit":
                text = form.get("text", "")
                decisions = edit(self.project, key.id, text, force=force, reviewer=reviewer, **scope)
                where = self._where(decisions, everywhere)
                if any(d.unit.state is State.APPROVED for d in decisions.done):
                    return Flash(f"Edited and approved{where}"), True
                return Flash(
                    "Saved as a draft: the checks found something (see below). Fix it, or tick "
                    f"“approve despite findings”{where}",
                    "refused",
                ), False
            if action == "reject":
                reason = form.get("reason", "")
                decisions = reject(self.project, key.id, reason, reviewer=reviewer, **scope)
                mine = [why for item, why in decisions.refused if item.article == key.article]
                if mine:
                    return Flash(f"Not rejected: {mine[0]}.", "refused"), False
                return Flash(f"Rejected: sent back with your reason{self._where(decisions, everywhere)}"), True
            if action == "dismiss":
                check = form.get("finding", "")
                dismiss(self.project, key.id, check, form.get("reason", ""), reviewer=reviewer, **scope)
                return Flash(f"Dismissed the {check} finding on this text (recorded with your reason)."), False
            if action == "comment":
                comment(self.project, key.id, form.get("text", ""), reviewer=reviewer, **scope)
                return Flash("Comment added (kept in the PO file)."), False
        raise ReviewError(f"unknown action {action!r}; use approve, edit, reject, dismiss or comment.")

    @staticmethod
    def _where(decisions: Decisions, everywhere: bool) -> str:
        """The end of a flash: in how many articles, and the copies left alone (a decision for all)."""
        if not everywhere:
            return "."
        done = len(decisions.done)
        text = f" in {done} article{'' if done == 1 else 's'}"
        if decisions.refused:
            left = "; ".join(f"{item.article}: {why}" for item, why in decisions.refused[:5])
            text += f"; left alone: {left}"
        return text + "."

    # --- jobs: Draft and Approve all clean, in the background, one at a time -------------------

    def start(self, kind: str, keys: list[tuple[str, str, str]], what: str, reviewer: str = "") -> Job:
        """Start drafting (``kind`` draft) or approving the clean drafts among (``approve``) the segments
        ``keys``; refused while another job runs."""
        with self._job_lock:
            if self.job is not None and self.job.running:
                raise ReviewError(f"wait: {self.job.what} is still running ({self.job.done} of {self.job.total}).")
            if not keys:
                raise ReviewError(f"nothing to {'draft' if kind == 'draft' else 'approve'} in {what}.")
            job = self.job = Job(kind, what, len(keys))
        work = self._draft if kind == "draft" else self._approve_all
        threading.Thread(target=work, args=(job, keys, reviewer), name=f"translate-{kind}", daemon=True).start()
        return job

    def _finish(self, job: Job, outcome: Flash, files: set[tuple[str, str]]) -> None:
        try:
            self.index.refresh(only=files)
        finally:
            job.outcome, job.finished = outcome, time.monotonic()

    def _draft(self, job: Job, keys: list[tuple[str, str, str]], _: str) -> None:
        """Draft ``keys`` with the draft function and settings the CLI uses (memory, MT cache, engines)."""
        from translate.draft import Progress
        from translate.draft import draft as run_draft

        def progress(state: Progress) -> None:
            job.texts, job.sent, job.failed = state.total, state.done, state.failed

        files = {(lang, article) for lang, article, _ in keys}
        langs, articles = {lang for lang, _ in files}, {article for _, article in files}
        try:
            report = run_draft(
                self.project,
                next(iter(articles)) if len(articles) == 1 else None,
                next(iter(langs)) if len(langs) == 1 else None,
                segments=set(keys),
                on_progress=progress,
            )
        except TranslateError as exc:
            self._finish(job, Flash(f"Draft stopped: {exc}", "error"), files)
            return
        made = report.from_memory + report.from_cache + report.from_engine
        job.done = made
        parts = [f"{report.from_memory} from memory", f"{report.from_cache} from the MT cache",
                 f"{report.from_engine} by machine translation"]  # fmt: skip
        text = f"Drafted {made} of {len(keys)} segment{'' if len(keys) == 1 else 's'} ({', '.join(parts)})."
        kind = "ok"
        if report.engine_error is not None:
            failed = str(report.engine_error).rstrip(".")
            text += f" Machine translation failed: {failed}; what memory and cache gave is saved."
            kind = "error"
        elif report.failures:
            first = report.failures[0]
            text += f" {len(report.failures)} failed and stay as they were (first: {first.reason})."
            kind = "refused"
        for note in report.notes:
            text += f" Note: {note}."
        self._finish(job, Flash(text, kind), files)

    def _approve_all(self, job: Job, keys: list[tuple[str, str, str]], reviewer: str) -> None:
        """Approve the clean drafts among ``keys`` (as ``review approve --all``: never one with findings or
        one that needs editing), a few PO files at a time so reviewers' decisions go in between."""
        files = sorted({(lang, article) for lang, article, _ in keys})
        approved, refused = 0, []
        try:
            for start in range(0, len(files), 50):
                chunk = set(files[start : start + 50])
                with self.writing:
                    decisions = approve(self.project, None, keys={k for k in keys if (k[0], k[1]) in chunk},
                                        reviewer=reviewer)  # fmt: skip
                approved += len(decisions.done)
                refused += decisions.refused
                job.done = approved + len(refused)
                self.index.refresh(only=chunk)
        except TranslateError as exc:
            self._finish(job, Flash(f"Approving stopped after {approved}: {exc}", "error"), set(files))
            return
        text = f"Approved {approved} clean draft{'' if approved == 1 else 's'}."
        if refused:
            text += f" {len(refused)} changed since and were left for you (first: {refused[0][1].split(':')[0]})."
        self._finish(job, Flash(text, "ok" if not refused else "refused"), set(files))

    def publish(self, slug: str, lang: str) -> Flash:
        """Publish one article through the library, under the project lock."""
        with self.writing, self.project.lock("publish"):
            report = publish(self.project, slug, lang)
        if report.written:
            return Flash(f"Published {report.written[0].relative_to(self.project.root)}.")
        if report.unchanged:
            return Flash("Already published: the page is up to date.")
        if report.edited:
            return Flash(
                f"Not published: {report.edited[0].path.relative_to(self.project.root)} was edited by hand; "
                f"run `translate absorb {slug}` first.",
                "error",
            )
        blocked = report.blocked[0]
        refused = [
            f"segment {ident} has {', '.join(checks)} errors no one overrode" for ident, checks in blocked.findings
        ]
        counts = [f"{n} {s}" for s, n in sorted(blocked.counts.items())]
        why = "; ".join(blocked.errors) or ", ".join([*counts, *refused])
        return Flash(f"Not published: {why}.", "error")


# --- the ASGI application -------------------------------------------------------------------


class _Guard:
    """Host check, access token (the shared one or a reviewer's own), a limit on wrong tokens per
    client address, and security headers around every request."""

    def __init__(self, app: ASGIApp, site: ReviewSite, allowed_hosts: set[str] | None) -> None:
        self.app = app
        self.site = site
        self.allowed_hosts = allowed_hosts
        self.failures: dict[str, deque[float]] = {}
        self.failures_lock = threading.Lock()

    def _limited(self, address: str, failed: bool = False) -> bool:
        """Whether the address has used up its wrong tokens (recording one more when ``failed``)."""
        now = time.monotonic()
        with self.failures_lock:
            times = self.failures.get(address)
            if times is None:
                if not failed:
                    return False
                if len(self.failures) >= 10_000:  # forget addresses whose failures are all old
                    for key in [k for k, v in self.failures.items() if not v or now - v[-1] > FAILED_TOKENS_WINDOW]:
                        del self.failures[key]
                times = self.failures[address] = deque(maxlen=FAILED_TOKENS_ALLOWED)
            while times and now - times[0] > FAILED_TOKENS_WINDOW:
                times.popleft()
            if failed:
                times.append(now)
            return len(times) >= FAILED_TOKENS_ALLOWED

    def _identify(self, offered: str) -> tuple[bool, str | None]:
        """Whether a token opens the page, and the reviewer it belongs to (None: the shared token)."""
        if not offered:
            return False, None
        name = self.site.reviewers.name_of(offered)
        if name is not None:
            return True, name
        shared = self.site.token
        return shared is not None and secrets.compare_digest(offered.encode(), shared.encode()), None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        host = (request.url.hostname or "").lower()
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            await PlainTextResponse("unknown host name; open the address `translate serve` printed.", 421)(
                scope, receive, send
            )
            return
        needed = self.site.token is not None  # off loopback always (see prepare)
        given = request.query_params.get("token")
        header = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        offered = request.cookies.get(TOKEN_COOKIE, "") or header
        address = scope["client"][0] if scope.get("client") else "unknown"
        if needed and self._limited(address):
            await _too_many()(scope, receive, send)
            return
        if given is not None:
            valid, _ = self._identify(given)
            if valid:
                url = request.url.remove_query_params("token")
                # the same path on this site, never //other.example/ (an open redirect)
                path = "/" + quote(url.path, safe="/%:@!$&'()*+,;=-._~").lstrip("/")
                target = path + (f"?{url.query}" if url.query else "")
                response: Response = RedirectResponse(target, 303)
                response.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="strict")
                await response(scope, receive, send)
                return
            if needed and self._limited(address, failed=True):
                await _too_many()(scope, receive, send)
                return
        valid, name = self._identify(offered)
        if name is not None:
            scope[REVIEWER_SCOPE] = name
        elif needed and not valid:
            if offered and self._limited(address, failed=True):
                await _too_many()(scope, receive, send)
                return
            await PlainTextResponse(
                "401: this review server needs its access token: open the address with ?token=… that "
                "`translate serve` printed (or the one `translate serve --add-reviewer` gave you).",
                401,
            )(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {k.lower() for k, _ in headers}
                headers.extend(
                    (k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present
                )
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _too_many() -> Response:
    return PlainTextResponse(
        f"429: too many wrong access tokens from your address; wait a minute, then open the address "
        f"`translate serve` printed (at most {FAILED_TOKENS_ALLOWED} wrong tokens a minute).",
        429,
        headers={"retry-after": str(int(FAILED_TOKENS_WINDOW))},
    )


Handler = Callable[[Request], Awaitable[Response]]


def create_app(project: Project, *, token: str | None = None, allowed_hosts: set[str] | None = None) -> ASGIApp:
    """The review web app over project. allowed_hosts: the host names requests may name (None: any)."""
    site = ReviewSite(project, token)

    def reviewer_of(request: Request) -> tuple[str, bool]:
        """Who decides: the name of the reviewer's own token (fixed), else the name the browser gave."""
        name = request.scope.get(REVIEWER_SCOPE)
        if name:
            return str(name), True
        return unquote(request.cookies.get(REVIEWER_COOKIE, "")).strip(), False

    def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
        reviewer, fixed = reviewer_of(request)
        here = str(request.url.replace(scheme="", netloc="")) if request.method == "GET" else "/"
        html = site.env.get_template(template).render(reviewer=reviewer, reviewer_fixed=fixed, here=here, **context)
        return HTMLResponse(html, status_code)

    def is_fetch(request: Request) -> bool:
        return request.headers.get(FETCH_HEADER) == "fetch"

    async def form_of(request: Request) -> dict[str, str]:
        """The form of a state-changing request, after the CSRF and origin checks."""
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
            raise _Forbidden("this request came from another site.")
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        offered = request.headers.get("x-csrf-token") or form.get("csrf", "")
        if not secrets.compare_digest(offered, site.csrf):
            raise _Forbidden("the page is out of date (missing or wrong CSRF token); reload it.")
        return form

    def key_of(params: Mapping[str, Any], fallback: Key | None = None) -> Key | None:
        article, lang, ident = (str(params.get(k) or "") for k in ("in", "to", "id"))
        if not (article and lang and ident):
            return fallback
        project.languages(lang)
        return Key(project.articles(article)[0], lang, ident.lower()[:40])

    async def home(request: Request) -> Response:
        filters = Filters.read(request.query_params, project)
        key = key_of(request.query_params)
        context = await run_in_threadpool(site.workspace, filters, key)
        if is_fetch(request):  # the page asks for its queue again (a job ended)
            response = render(request, "workspace.html", context)
            response.headers["x-swap"] = "workspace"
            return response
        return render(request, "page.html", context)

    async def start_job(request: Request) -> Response:
        """POST /draft (scope segment, article or filter) and POST /approve-clean (the filter)."""
        form = await form_of(request)
        filters = Filters.read(form, project)
        reviewer, _ = reviewer_of(request)

        def work() -> dict[str, Any]:
            index = site.index
            index.refresh()
            if request.url.path == "/approve-clean":
                if not reviewer:
                    raise ReviewError("tell us your name first (top of the page): it is recorded with every decision.")
                keys = index.keys(filters.query(), clean=True)
                site.start("approve", keys, f"approving the clean drafts {_scope_text(filters)}", reviewer)
                return {"filters": filters, "job": site.current_job()}
            scope = form.get("scope", "filter")
            key = key_of(form)
            if scope == "segment" and key is not None:
                keys = [key.index_key]
                what = f"drafting segment {key.id} of {key.article} [{key.lang}]"
            elif scope == "article" and key is not None:
                keys = index.keys(Query(article=key.article, lang=key.lang), state=State.UNTRANSLATED)
                what = f"drafting {key.article} [{key.lang}]"
            else:
                keys = index.keys(filters.query(), state=State.UNTRANSLATED)
                what = f"drafting the untranslated segments {_scope_text(filters)}"
            site.start("draft", keys, what)
            return {"filters": filters, "job": site.current_job()}

        context = await run_in_threadpool(work)
        if is_fetch(request):
            return render(request, "job.html", context)
        return RedirectResponse(_url("/", filters.params()), 303)

    async def job(request: Request) -> Response:
        filters = Filters.read(request.query_params, project)
        response = render(request, "job.html", {"filters": filters, "job": site.current_job()})
        current = site.current_job()
        response.headers["x-job"] = "none" if current is None else "running" if current.running else "finished"
        return response

    async def panel(request: Request) -> Response:
        filters = Filters.read(request.query_params, project)
        key = key_of(request.query_params)
        context = await run_in_threadpool(site.panel, key, filters)
        return render(request, "panel.html", {"p": context}, 200 if context["item"] else 404)

    async def decide(request: Request) -> Response:
        form = await form_of(request)
        filters = Filters.read(form, project)
        key = key_of(form)
        reviewer, _ = reviewer_of(request)
        if key is None:
            raise ReviewError("which segment? the form names no segment.")
        if not reviewer:
            raise ReviewError("tell us your name first (top of the page): it is recorded with every decision.")

        def work() -> tuple[dict[str, Any], int]:
            index = site.index
            place = index.sort_key(key.index_key)  # where it was: the next segment is the one after it
            files = {(key.lang, key.article)}
            if form.get("scope") == "all":
                files |= {(key.lang, r.article) for r in index.sharing(key.lang, key.id)}
            status_code = 200
            try:
                flash, move_on = site.decide(form, key, reviewer)
            except ConflictError as exc:
                flash, move_on, status_code = Flash(str(exc), "conflict"), False, 409
            except LockError as exc:
                flash, move_on, status_code = Flash(str(exc), "error"), False, 423
            except ReviewError as exc:
                flash, move_on, status_code = Flash(str(exc), "error"), False, 422
            if flash.kind == "refused":
                status_code = 422
            index.refresh(only=files)
            selected: Key | None = key
            if move_on:
                following = index.after(filters.query(), place) if place is not None else None
                selected = Key.of(following) if following is not None else None
            context = site.workspace(filters, selected, flash)
            context["panel"]["done"] = key if move_on else None
            return context, status_code

        context, status_code = await run_in_threadpool(work)
        if is_fetch(request):
            response = render(request, "workspace.html", context, status_code)
            response.headers["x-swap"] = "workspace"
            return response
        return render(request, "page.html", context, status_code)

    async def set_reviewer(request: Request) -> Response:
        form = await form_of(request)
        name = reviewer_name(form.get("name", ""))
        response = RedirectResponse(local_path(form.get("back", "/")), 303)
        if name and not reviewer_of(request)[1]:  # a reviewer's own token names them
            response.set_cookie(REVIEWER_COOKIE, quote(name), max_age=400 * 86400, samesite="strict", httponly=True)
        return response

    async def article(request: Request) -> Response:
        slug = project.articles(request.path_params["slug"])[0]
        lang = str(request.query_params.get("lang") or project.settings.targets[0])
        project.languages(lang)
        current = str(request.query_params.get("id") or "")[:40]
        context = await run_in_threadpool(site.article_page, slug, lang, current)
        return render(request, "article.html", {**context, "flash": None})

    async def publish_article(request: Request) -> Response:
        form = await form_of(request)
        slug = project.articles(form.get("article", ""))[0]
        lang = form.get("lang", "")
        project.languages(lang)

        def work() -> tuple[dict[str, Any], int]:
            try:
                flash = site.publish(slug, lang)
            except LockError as exc:
                flash = Flash(str(exc), "error")
            context = site.article_page(slug, lang, "")
            return {**context, "flash": flash}, 200 if flash.kind == "ok" else 409

        context, status_code = await run_in_threadpool(work)
        return render(request, "article.html", context, status_code)

    def guarded(handler: Handler) -> Handler:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except _Forbidden as exc:
                return PlainTextResponse(f"403: {exc}", 403)
            except TranslateError as exc:
                code = 404 if isinstance(exc, NotFoundError) else 400
                if is_fetch(request):
                    return PlainTextResponse(str(exc), code)
                return render(request, "error.html", {"message": str(exc)}, code)

        return run

    routes = [
        Route("/", guarded(home)),
        Route("/panel", guarded(panel)),
        Route("/decide", guarded(decide), methods=["POST"]),
        Route("/draft", guarded(start_job), methods=["POST"]),
        Route("/approve-clean", guarded(start_job), methods=["POST"]),
        Route("/job", guarded(job)),
        Route("/reviewer", guarded(set_reviewer), methods=["POST"]),
        Route("/article/{slug:path}", guarded(article)),
        Route("/publish", guarded(publish_article), methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return _Guard(Starlette(routes=routes), site, allowed_hosts)


def _scope_text(filters: Filters) -> str:
    """What a filter covers, for people: "of emface [en] holding “피부”"."""
    parts = [f"of {filters.article}" if filters.article else "of every article"]
    if filters.lang:
        parts.append(f"[{filters.lang}]")
    if filters.check:
        parts.append(f"with findings: {filters.check}")
    if filters.q:
        parts.append(f"holding “{filters.q}”")
    return " ".join(parts)


class _Forbidden(Exception):
    """A state-changing request without a valid CSRF token or from another origin."""


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None


def prepare(options: ServeOptions) -> tuple[ServeOptions, set[str] | None, bool]:
    """The options to serve with: a token generated when the host is not loopback and none was given;
    the host names to accept; whether the token was generated (to print it once)."""
    if options.token is not None and (why := weak_token(options.token)):
        raise ConfigError(
            f"the access token given with --token (or TRANSLATE_TOKEN) is too weak: {why}. Give a longer random one "
            "(letters, digits and punctuation, no spaces), or leave it out to have a strong one generated; give each "
            "reviewer their own with --add-reviewer NAME."
        )
    loopback = is_loopback(options.host)
    generated = not loopback and not options.token
    if generated:
        options = replace(options, token=secrets.token_urlsafe(24))
    allowed = {"127.0.0.1", "localhost", "::1", "[::1]", options.host.lower()} if loopback else None
    return options, allowed, generated


def serve(project: Project, options: ServeOptions, echo: Callable[[str], None] = print) -> None:
    """Run the review server until interrupted, printing its address (and a generated token, once)."""
    import uvicorn

    from translate.listen import check_port, urls

    options, allowed, generated = prepare(options)
    named = load_reviewers(reviewers_path(project))  # a damaged file is reported now, not on the first request
    app = create_app(project, token=options.token, allowed_hosts=allowed)
    check_port(options.host, options.port)  # before the address is printed: a busy port is one clear error
    addresses = urls(options.host, options.port)
    if not addresses:
        loopback = f"http://127.0.0.1:{options.port}/"
        echo("note: this machine has no network address besides 127.0.0.1, so no colleague can open the page.")
        addresses = [loopback]
    if options.token:
        echo(f"Review at {addresses[0]}?token={quote(options.token, safe='')}")
        for other in addresses[1:]:  # the token is printed once: the other addresses of this machine take it too
            echo(f"  or at {other}?token=… (the same token), whichever address a colleague's network reaches")
        if generated:
            echo("The access token above was generated for this run; every request needs it (it is shown only once).")
        if named:
            echo(
                f"It is for one person, who gives their name on the page. {len(named)} reviewer(s) have their own "
                f"token ({', '.join(r.name for r in named)}): their decisions are recorded under its name."
            )
    else:
        echo(f"Review at {addresses[0]}")
    echo("Press Ctrl+C to stop.")
    uvicorn.run(app, host=options.host, port=options.port, log_level="warning")
