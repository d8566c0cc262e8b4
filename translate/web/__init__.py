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
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
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
from translate.errors import ConfigError, LockError, ReviewError, TranslateError
from translate.extract import load_source
from translate.glossary import Glossary, cached_glossary
from translate.history import reviewer_name
from translate.model import Severity, State
from translate.po import load_catalog
from translate.project import Project
from translate.publish import publish, render_with_spans
from translate.review import ConflictError, QueueItem, approve, dismiss, edit, queue, reject, unit_version
from translate.reviewers import ReviewerTokens, load_reviewers, reviewers_path
from translate.status import status
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
STATE_FILTERS = {
    "review": (State.DRAFT, State.REJECTED),
    "draft": (State.DRAFT,),
    "rejected": (State.REJECTED,),
    "untranslated": (State.UNTRANSLATED,),
    "approved": (State.APPROVED,),
    "all": tuple(State),
}
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


@dataclass(frozen=True)
class Filters:
    """What part of the queue the reviewer looks at."""

    article: str = ""
    lang: str = ""
    state: str = "review"  # a key of STATE_FILTERS
    check: str = ""  # "" | error | warning | clean | a check's name

    @classmethod
    def read(cls, params: Mapping[str, Any], project: Project) -> Filters:
        """Filters from query or form parameters, each validated (slug, language, state)."""
        article = str(params.get("article") or "")
        lang = str(params.get("lang") or "")
        state = str(params.get("state") or "review")
        if article:
            article = project.articles(article)[0]
        if lang:
            project.languages(lang)
        if state not in STATE_FILTERS:
            raise ConfigError(f"unknown state filter {state!r}; use one of {', '.join(STATE_FILTERS)}.")
        return cls(article, lang, state, str(params.get("check") or "")[:40])

    def keep(self, item: QueueItem) -> bool:
        findings = item.unit.findings
        if (self.article and item.article != self.article) or (self.lang and item.lang != self.lang):
            return False
        if item.unit.state not in STATE_FILTERS[self.state] and not (self.state == "review" and item.blocking):
            return False  # approved translations that publish refuses are still to review
        if self.check == "error":
            return any(f.severity is Severity.ERROR for f in findings)
        if self.check == "warning":
            return any(f.severity is Severity.WARNING for f in findings)
        if self.check == "clean":
            return not findings
        return not self.check or any(f.check == self.check for f in findings)

    def params(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v and (k != "state" or v != "review")}


@dataclass(frozen=True)
class Key:
    """One segment of one article and language."""

    article: str
    lang: str
    id: str

    def params(self) -> dict[str, str]:
        return {"in": self.article, "to": self.lang, "id": self.id}

    @classmethod
    def of(cls, item: QueueItem) -> Key:
        return cls(item.article, item.lang, item.id)


@dataclass
class Flash:
    """What the last action did, shown above the segment."""

    text: str
    kind: str = "ok"  # ok | refused | conflict | error
    offer_force: bool = False


@dataclass
class ArticleCount:
    article: str
    counts: Counter[str] = field(default_factory=Counter)
    errors: int = 0


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
        self.project = project
        self.token = token
        self.reviewers = ReviewerTokens(reviewers_path(project))
        self.csrf = secrets.token_urlsafe(32)
        self.writing = threading.Lock()  # the project lock is re-entrant per process: serialise our own writers
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(url=_url, csrf=self.csrf, STATE_FILTERS=STATE_FILTERS)

    # --- reading -------------------------------------------------------------------------

    def glossary(self) -> Glossary:
        """The project's glossary, parsed again only when glossary.yaml changes."""
        return cached_glossary(self.project.glossary_path, self.project.settings.source, self.project.settings.targets)

    def all_items(self) -> list[QueueItem]:
        return queue(self.project, states=tuple(State))

    def find(self, key: Key) -> QueueItem | None:
        items = queue(self.project, key.lang, key.article, tuple(State))
        return next((i for i in items if i.id == key.id), None)

    def panel(self, key: Key | None, filters: Filters, flash: Flash | None = None) -> dict[str, Any]:
        """What the segment view shows for key."""
        item = self.find(key) if key else None
        if item is None:
            return {"item": None, "flash": flash, "filters": filters}
        unit = item.unit
        terms: list[TermView] = glossary_terms(self.glossary(), unit.source, unit.target, item.lang)
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
                for s in getattr(item, "suggestions", [])
            ],
            "has_error": any(f.severity is Severity.ERROR for f in open_findings(unit)),
            "settled": {check: event.settles() for check, event in settled(unit).items()},
            "blocking": sorted({f.check for f in item.blocking}),
        }

    def workspace(self, filters: Filters, key: Key | None, flash: Flash | None = None) -> dict[str, Any]:
        """The queue list, the counts per article and the segment view."""
        items = self.all_items()
        shown = [i for i in items if filters.keep(i)]
        if key is None and shown:
            key = Key.of(shown[0])
        articles: dict[str, ArticleCount] = {}
        for item in items:
            if filters.lang and item.lang != filters.lang:
                continue
            count = articles.setdefault(item.article, ArticleCount(item.article))
            count.counts[item.unit.state.value] += 1
            count.errors += any(f.severity is Severity.ERROR for f in item.unit.findings)
        checks = sorted({f.check for i in items for f in i.unit.findings})
        return {
            "filters": filters,
            "items": shown,
            "total": len(items),
            "selected": key,
            "articles": sorted(articles.values(), key=lambda a: a.article),
            "checks": checks,
            "languages": self.project.settings.targets,
            "panel": self.panel(key, filters, flash),
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
        """Run one review action through the library; the flash to show and whether to move on."""
        action = form.get("decision", "")
        version = form.get("version", "")
        if not version:  # without it, a decision could overwrite one made since the page was opened
            raise ReviewError(
                "the form does not say which version of the segment you saw; reload the page and decide again."
            )
        force = form.get("force") in ("1", "on", "true")
        lang, article = key.lang, key.article
        with self.writing:
            if action == "approve":
                decisions = approve(
                    self.project, [key.id], lang=lang, article=article, force=force, reviewer=reviewer, expect=version
                )
                if decisions.refused:
                    reason = decisions.refused[0][1]
                    offer = "findings" in reason
                    return Flash(f"Not approved: {reason.split(': fix it')[0]}.", "refused", offer), False
                note = " over its findings (recorded)" if force else ""
                return Flash(f"Approved{note}."), True
            if action == "edit":
                text = form.get("text", "")
                decisions = edit(
                    self.project,
                    key.id,
                    text,
                    lang=lang,
                    article=article,
                    force=force,
                    reviewer=reviewer,
                    expect=version,
                )
                if any(d.unit.state is State.APPROVED for d in decisions.done):
                    return Flash("Edited and approved."), True
                return Flash(
                    "Saved as a draft: the checks found something (see below). Fix it, or tick "
                    "“approve despite findings”.",
                    "refused",
                ), False
            if action == "reject":
                reason = form.get("reason", "")
                decisions = reject(
                    self.project, key.id, reason, lang=lang, article=article, reviewer=reviewer, expect=version
                )
                if decisions.refused:
                    return Flash(f"Not rejected: {decisions.refused[0][1]}.", "refused"), False
                return Flash("Rejected: sent back with your reason."), True
            if action == "dismiss":
                check = form.get("finding", "")
                dismiss(
                    self.project,
                    key.id,
                    check,
                    form.get("reason", ""),
                    lang=lang,
                    article=article,
                    reviewer=reviewer,
                    expect=version,
                )
                return Flash(f"Dismissed the {check} finding on this text (recorded with your reason)."), False
        raise ReviewError(f"unknown action {action!r}; use approve, edit, reject or dismiss.")

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
        return render(request, "page.html", context)

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
            before = [Key.of(i) for i in site.all_items() if filters.keep(i)]
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
            selected: Key | None = key
            if move_on:
                after = {Key.of(i) for i in site.all_items() if filters.keep(i)}
                rest = before[before.index(key) + 1 :] if key in before else before
                selected = next((k for k in rest if k in after), None) or next((k for k in before if k in after), None)
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
                code = 404 if isinstance(exc, ConfigError) and "no source article" in str(exc) else 400
                if is_fetch(request):
                    return PlainTextResponse(str(exc), code)
                return render(request, "error.html", {"message": str(exc)}, code)

        return run

    routes = [
        Route("/", guarded(home)),
        Route("/panel", guarded(panel)),
        Route("/decide", guarded(decide), methods=["POST"]),
        Route("/reviewer", guarded(set_reviewer), methods=["POST"]),
        Route("/article/{slug:path}", guarded(article)),
        Route("/publish", guarded(publish_article), methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return _Guard(Starlette(routes=routes), site, allowed_hosts)


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
