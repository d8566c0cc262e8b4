"""The review site's routes: one module-level function a route, over the state the app factory keeps in
the Starlette app (the site, its templates, the CSRF token of this run). The errors a route raises are
answered in one place (:func:`guarded`): a missing article 404, other bad input 400, a failed CSRF or
origin check 403.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from translate.errors import LockError, NotFoundError, ReviewError, TranslateError
from translate.history import reviewer_name
from translate.index import STATE_FILTERS, Query
from translate.model import State
from translate.project import Project
from translate.review import ConflictError
from translate.reviewers import ReviewerTokens, reviewers_path
from translate.web import actions
from translate.web.security import (
    Forbidden,
    Guard,
    checked_form,
    local_path,
    new_csrf_token,
    remember_reviewer,
    reviewer_of,
)
from translate.web.site import Filters, Flash, Key, ReviewSite, scope_text, url

HERE = Path(__file__).parent
FETCH_HEADER = "x-requested-with"
NAME_FIRST = "tell us your name first (top of the page): it is recorded with every decision."

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class App:
    """What the routes work with, kept in the Starlette app's state."""

    site: ReviewSite
    templates: jinja2.Environment
    csrf: str


def create_app(project: Project, *, token: str | None = None, allowed_hosts: set[str] | None = None) -> ASGIApp:
    """The review web app over project. allowed_hosts: the host names requests may name (None: any)."""
    csrf = new_csrf_token()
    templates = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.globals.update(url=url, csrf=csrf, STATE_FILTERS=STATE_FILTERS)
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
    app = Starlette(routes=routes)
    app.state.review = App(ReviewSite(project), templates, csrf)
    return Guard(app, token, ReviewerTokens(reviewers_path(project)), allowed_hosts)


def _app(request: Request) -> App:
    state: App = request.app.state.review
    return state


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A page (or a piece of one) from its template, with who the reviewer is and where they are."""
    reviewer, fixed = reviewer_of(request)
    here = str(request.url.replace(scheme="", netloc="")) if request.method == "GET" else "/"
    page = _app(request).templates.get_template(template)
    return HTMLResponse(page.render(reviewer=reviewer, reviewer_fixed=fixed, here=here, **context), status_code)


def is_fetch(request: Request) -> bool:
    """Whether the page's script asks (for a piece of a page, or a plain-text error)."""
    return request.headers.get(FETCH_HEADER) == "fetch"


def _named(params: Mapping[str, Any], project: Project) -> tuple[Filters, Key | None]:
    """The filters and the segment the parameters name."""
    return Filters.read(params, project), Key.read(params, project)


def _workspace(request: Request, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """The whole page, or to the page's script only the workspace it swaps in (queue and segment)."""
    if is_fetch(request):
        response = render(request, "workspace.html", context, status_code)
        response.headers["x-swap"] = "workspace"
        return response
    return render(request, "page.html", context, status_code)


async def _form(request: Request) -> dict[str, str]:
    return await checked_form(request, _app(request).csrf)


def guarded(handler: Handler) -> Handler:
    """handler, with the errors it raises answered as pages (or plain text to the page's script)."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except Forbidden as exc:
            return PlainTextResponse(f"403: {exc}", 403)
        except TranslateError as exc:
            code = 404 if isinstance(exc, NotFoundError) else 400
            if is_fetch(request):
                return PlainTextResponse(str(exc), code)
            return render(request, "error.html", {"message": str(exc)}, code)

    return run


async def home(request: Request) -> Response:
    site = _app(request).site
    filters, key = _named(request.query_params, site.project)
    context = await run_in_threadpool(site.workspace, filters, key)
    return _workspace(request, context)  # from the page's script: it asks for its queue again (a job ended)


async def start_job(request: Request) -> Response:
    """POST /draft (scope segment, article or filter) and POST /approve-clean (the filter)."""
    site = _app(request).site
    form = await _form(request)
    filters = Filters.read(form, site.project)
    reviewer, _ = reviewer_of(request)

    def work() -> dict[str, Any]:
        index = site.index
        index.refresh()
        if request.url.path == "/approve-clean":
            if not reviewer:
                raise ReviewError(NAME_FIRST)
            keys = index.keys(filters.query(), clean=True)
            actions.start(site, "approve", keys, f"approving the clean drafts {scope_text(filters)}", reviewer)
            return {"filters": filters, "job": site.current_job()}
        scope = form.get("scope", "filter")
        key = Key.read(form, site.project)
        if scope == "segment" and key is not None:
            keys = [key.index_key]
            what = f"drafting segment {key.id} of {key.article} [{key.lang}]"
        elif scope == "article" and key is not None:
            keys = index.keys(Query(article=key.article, lang=key.lang), state=State.UNTRANSLATED)
            what = f"drafting {key.article} [{key.lang}]"
        else:
            keys = index.keys(filters.query(), state=State.UNTRANSLATED)
            what = f"drafting the untranslated segments {scope_text(filters)}"
        actions.start(site, "draft", keys, what)
        return {"filters": filters, "job": site.current_job()}

    context = await run_in_threadpool(work)
    if is_fetch(request):
        return render(request, "job.html", context)
    return RedirectResponse(url("/", filters.params()), 303)


async def job(request: Request) -> Response:
    site = _app(request).site
    filters = Filters.read(request.query_params, site.project)
    response = render(request, "job.html", {"filters": filters, "job": site.current_job()})
    current = site.current_job()
    response.headers["x-job"] = "none" if current is None else "running" if current.running else "finished"
    return response


async def panel(request: Request) -> Response:
    site = _app(request).site
    filters, key = _named(request.query_params, site.project)
    context = await run_in_threadpool(site.panel, key, filters)
    return render(request, "panel.html", {"p": context}, 200 if context["item"] else 404)


async def decide(request: Request) -> Response:
    site = _app(request).site
    form = await _form(request)
    filters, key = _named(form, site.project)
    reviewer, _ = reviewer_of(request)
    if key is None:
        raise ReviewError("which segment? the form names no segment.")
    if not reviewer:
        raise ReviewError(NAME_FIRST)

    def work() -> tuple[dict[str, Any], int]:
        index = site.index
        place = index.sort_key(key.index_key)  # where it was: the next segment is the one after it
        files = {(key.lang, key.article)}
        if form.get("scope") == "all":
            files |= {(key.lang, r.article) for r in index.sharing(key.lang, key.id)}
        status_code = 200
        try:
            flash, move_on = actions.decide(site, form, key, reviewer)
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
    return _workspace(request, context, status_code)


async def set_reviewer(request: Request) -> Response:
    form = await _form(request)
    name = reviewer_name(form.get("name", ""))
    response = RedirectResponse(local_path(form.get("back", "/")), 303)
    if name and not reviewer_of(request)[1]:  # a reviewer's own token names them
        remember_reviewer(response, name)
    return response


async def article(request: Request) -> Response:
    site = _app(request).site
    slug = site.project.articles(request.path_params["slug"])[0]
    lang = str(request.query_params.get("lang") or site.project.settings.targets[0])
    site.project.languages(lang)
    current = str(request.query_params.get("id") or "")[:40]
    context = await run_in_threadpool(site.article_page, slug, lang, current)
    return render(request, "article.html", {**context, "flash": None})


async def publish_article(request: Request) -> Response:
    site = _app(request).site
    form = await _form(request)
    slug = site.project.articles(form.get("article", ""))[0]
    lang = form.get("lang", "")
    site.project.languages(lang)

    def work() -> tuple[dict[str, Any], int]:
        try:
            flash = actions.publish_article(site, slug, lang)
        except LockError as exc:
            flash = Flash(str(exc), "error")
        context = site.article_page(slug, lang, "")
        return {**context, "flash": flash}, 200 if flash.kind == "ok" else 409

    context, status_code = await run_in_threadpool(work)
    return render(request, "article.html", context, status_code)
