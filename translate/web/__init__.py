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

The package: the site's model (what a page shows) in :mod:`~translate.web.site`, its actions (decisions,
publishing, the Draft and Approve-all jobs) in :mod:`~translate.web.actions`, the guard (tokens, host names,
CSRF and origin checks, the rate limit, cookies, redirects) in :mod:`~translate.web.security`, the routes and
the app factory in :mod:`~translate.web.routes`, HTML pieces in :mod:`~translate.web.html`; here, ``serve``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import quote

from translate.errors import ConfigError
from translate.project import Project
from translate.reviewers import load_reviewers, reviewers_path
from translate.web.routes import create_app
from translate.web.security import (
    FAILED_TOKENS_ALLOWED,
    REVIEWER_COOKIE,
    TOKEN_COOKIE,
    is_loopback,
    local_path,
    weak_token,
)
from translate.web.site import PAGE_SIZE

__all__ = [
    "FAILED_TOKENS_ALLOWED",
    "PAGE_SIZE",
    "REVIEWER_COOKIE",
    "TOKEN_COOKIE",
    "ServeOptions",
    "create_app",
    "is_loopback",
    "local_path",
    "prepare",
    "serve",
    "weak_token",
]


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
