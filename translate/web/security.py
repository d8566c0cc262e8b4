"""The guard of the review site: who may open it and what a request must carry.

Host names (DNS rebinding), the access token (the shared one or a reviewer's own, :mod:`translate.reviewers`),
a limit on wrong tokens per client address, security headers on every answer, the same-origin and CSRF
checks of state-changing requests, the reviewer's cookie, and redirects that stay on the site.
"""

from __future__ import annotations

import ipaddress
import secrets
import threading
import time
from collections import deque
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from translate.reviewers import ReviewerTokens

REVIEWER_COOKIE = "translate_reviewer"
TOKEN_COOKIE = "translate_token"
REVIEWER_SCOPE = "translate.reviewer"  # the name of the reviewer whose own token the request carries
MIN_TOKEN_LENGTH = 16
FAILED_TOKENS_ALLOWED = 10  # wrong tokens from one address within FAILED_TOKENS_WINDOW seconds
FAILED_TOKENS_WINDOW = 60.0
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


def site_path(path: str) -> str:
    """A path of this site: one leading slash, percent-encoded (never ``//other.example/``, an open redirect)."""
    return "/" + quote(path, safe="/%:@!$&'()*+,;=-._~").lstrip("/")


def local_path(target: str) -> str:
    """A redirect target made a path of this site: scheme and host dropped, one leading slash, the path
    percent-encoded (so ``//evil.example/``, ``/\\evil.example`` and the like stay here)."""
    parts = urlsplit(target.strip())
    return site_path(parts.path) + ("?" + quote(parts.query, safe="=&%+/:@,;-._~") if parts.query else "")


def weak_token(token: str) -> str | None:
    """Why an access token is too weak to guard a page others can reach, or None when it will do."""
    if len(token) < MIN_TOKEN_LENGTH:
        return f"it has {len(token)} characters; it needs at least {MIN_TOKEN_LENGTH}"
    if not token.isprintable() or any(c.isspace() for c in token):
        return "it holds white space or control characters, which do not survive an address or a cookie"
    if len(set(token)) < 6:
        return "it repeats too few different characters to be hard to guess"
    return None


class Forbidden(Exception):
    """A state-changing request without a valid CSRF token or from another origin."""


def new_csrf_token() -> str:
    """The CSRF token of one server run, written into its pages and asked of every POST."""
    return secrets.token_urlsafe(32)


async def checked_form(request: Request, csrf: str) -> dict[str, str]:
    """The form of a state-changing request, after the CSRF and origin checks."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
        raise Forbidden("this request came from another site.")
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    offered = request.headers.get("x-csrf-token") or form.get("csrf", "")
    if not secrets.compare_digest(offered, csrf):
        raise Forbidden("the page is out of date (missing or wrong CSRF token); reload it.")
    return form


def reviewer_of(request: Request) -> tuple[str, bool]:
    """Who decides: the name of the reviewer's own token (fixed), else the name the browser gave."""
    name = request.scope.get(REVIEWER_SCOPE)
    if name:
        return str(name), True
    return unquote(request.cookies.get(REVIEWER_COOKIE, "")).strip(), False


def remember_reviewer(response: Response, name: str) -> None:
    """Have the browser keep the name a reviewer gave (a reviewer's own token names them instead)."""
    response.set_cookie(REVIEWER_COOKIE, quote(name), max_age=400 * 86400, samesite="strict", httponly=True)


class Guard:
    """Host check, access token (the shared one or a reviewer's own), a limit on wrong tokens per
    client address, and security headers around every request."""

    def __init__(
        self, app: ASGIApp, token: str | None, reviewers: ReviewerTokens, allowed_hosts: set[str] | None
    ) -> None:
        self.app = app
        self.token = token
        self.reviewers = reviewers
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
        name = self.reviewers.name_of(offered)
        if name is not None:
            return True, name
        shared = self.token
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
        needed = self.token is not None  # off loopback always (see prepare)
        given = request.query_params.get("token")
        header = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        offered = request.cookies.get(TOKEN_COOKIE, "") or header
        address = scope["client"][0] if scope.get("client") else "unknown"
        if needed and self._limited(address):
            await too_many()(scope, receive, send)
            return
        if given is not None:
            valid, _ = self._identify(given)
            if valid:
                url = request.url.remove_query_params("token")
                target = site_path(url.path) + (f"?{url.query}" if url.query else "")
                response: Response = RedirectResponse(target, 303)
                response.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="strict")
                await response(scope, receive, send)
                return
            if needed and self._limited(address, failed=True):
                await too_many()(scope, receive, send)
                return
        valid, name = self._identify(offered)
        if name is not None:
            scope[REVIEWER_SCOPE] = name
        elif needed and not valid:
            if offered and self._limited(address, failed=True):
                await too_many()(scope, receive, send)
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


def too_many() -> Response:
    return PlainTextResponse(
        f"429: too many wrong access tokens from your address; wait a minute, then open the address "
        f"`translate serve` printed (at most {FAILED_TOKENS_ALLOWED} wrong tokens a minute).",
        429,
        headers={"retry-after": str(int(FAILED_TOKENS_WINDOW))},
    )
