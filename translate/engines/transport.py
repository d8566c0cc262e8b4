"""What every engine sends through: deep-translator's ``requests`` with a timeout, HTTP errors by status.

Timeouts: deep-translator calls the module-level ``requests.get/post`` of its own modules with no
timeout. :func:`patch_deep_translator` (called when a deep-translator engine is built, never on
import) replaces the ``requests`` name of each module we use by :class:`_TimeoutRequests`, which
adds the timeout of the engine call in progress (held in a context variable, so one per thread),
sends through a keep-alive session of the calling thread, and keeps the answer so that errors can
state its HTTP status (deep-translator's exceptions lose it). The global ``requests`` module is
left alone. DeepL's and Papago's stand-ins also reshape the request (:class:`_DeeplRequests`,
:class:`_PapagoRequests`; why, in :mod:`translate.engines.providers`).

The error classes tell the caller what to do next: :class:`EngineBusy` (429, 5xx) and a
timed-out :class:`EngineUnreachable` are worth retrying (:mod:`translate.engines.retry`);
:class:`EngineRefused` (bad or missing key, quota used up) and a refused connection mean the
engine is of no use for the rest of the run. :mod:`translate.llm` and
:mod:`translate.deepl_glossary` send their own requests and share the helpers here.
"""

from __future__ import annotations

import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from translate.errors import EngineError

DEFAULT_TIMEOUT = 20.0


class EngineUnreachable(EngineError):
    """The engine's server could not be reached: connection refused, DNS failure or timeout."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class EngineBusy(EngineError):
    """The server is overloaded or rate-limits us (HTTP 429, 5xx): worth retrying later."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EngineRefused(EngineError):
    """The engine cannot be used this run: missing or refused key, quota used up."""


@dataclass
class _Exchange:
    """What one engine call lends to, and learns from, the requests deep-translator makes."""

    timeout: float
    response: requests.Response | None = None
    error: BaseException | None = None


_EXCHANGE: ContextVar[_Exchange | None] = ContextVar("_EXCHANGE", default=None)


_LOCAL = threading.local()


def _session() -> requests.Session:
    """This thread's session: connections are kept alive between requests (no new TCP and TLS
    handshake per segment); one per thread, as sessions are not thread-safe."""
    session: requests.Session | None = getattr(_LOCAL, "session", None)
    if session is None:
        session = _LOCAL.session = requests.Session()
    return session


class _TimeoutRequests:
    """Stands in for ``requests`` inside a deep_translator module: adds a default timeout."""

    exceptions = requests.exceptions  # microsoft.py catches requests.exceptions.RequestException

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("GET", url, kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("POST", url, kwargs)

    @staticmethod
    def _send(method: str, url: str, kwargs: dict[str, Any]) -> requests.Response:
        exchange = _EXCHANGE.get()
        kwargs.setdefault("timeout", exchange.timeout if exchange else DEFAULT_TIMEOUT)
        try:
            response = _session().request(method, url, **kwargs)
        except requests.RequestException as exc:
            if exchange is not None:
                exchange.error = exc  # some translators swallow it and fail later on None
            raise
        if exchange is not None:
            exchange.response = response
        return response


_DEEPL_EXTRA: ContextVar[dict[str, str] | None] = ContextVar("_DEEPL_EXTRA", default=None)


class _DeeplRequests(_TimeoutRequests):
    """DeepL takes POST /translate with the key in a header, no longer GET with ``auth_key``;
    the engine's extra parameters (tag handling, glossary) are added."""

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        params = {**dict(kwargs.pop("params", None) or {}), **(_DEEPL_EXTRA.get() or {})}
        headers = dict(kwargs.pop("headers", None) or {})
        key = params.pop("auth_key", None)
        if key:
            headers["Authorization"] = f"DeepL-Auth-Key {key}"
        return self._send("POST", url, {**kwargs, "data": params, "headers": headers})


class _PapagoRequests(_TimeoutRequests):
    """NAVER Cloud's Papago Translation: the same form, its own names for the key headers."""

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        headers["X-NCP-APIGW-API-KEY-ID"] = headers.pop("X-Naver-Client-Id", "")
        headers["X-NCP-APIGW-API-KEY"] = headers.pop("X-Naver-Client-Secret", "")
        return self._send("POST", url, {**kwargs, "headers": headers})


def patch_deep_translator() -> None:
    """Give the deep-translator modules our engines use the ``requests`` stand-ins above (the
    global ``requests`` module is left alone). Called by every engine that wraps deep-translator
    before it sends anything; calling it again changes nothing."""
    from deep_translator import deepl, google, libre, microsoft, mymemory, papago

    for module in (libre, google, microsoft, mymemory):
        module.requests = _TIMEOUT_REQUESTS
    deepl.requests = _DEEPL_REQUESTS
    papago.requests = _PAPAGO_REQUESTS


_TIMEOUT_REQUESTS = _TimeoutRequests()
_DEEPL_REQUESTS = _DeeplRequests()
_PAPAGO_REQUESTS = _PapagoRequests()


_STATUS_NOTES = {
    401: " (the key was refused)",
    403: " (the key was refused)",
    429: " (too many requests)",
    456: " (the quota is used up)",
}


def _by_status(status: int, message: str, response: requests.Response | None) -> EngineError:
    """The error class a status calls for: busy (retry), refused (stop using it) or plain."""
    if status == 429 or status >= 500:
        retry_after = _retry_after(response.headers.get("Retry-After")) if response is not None else None
        return EngineBusy(message, retry_after=retry_after)
    if status in (401, 403, 456):
        return EngineRefused(message)
    return EngineError(message)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, float(when.timestamp()) - time.time())


def error_detail(data: object) -> str | None:
    """The server's own words in the JSON of a failed HTTP answer: ``error`` (a text, or an object
    with a ``message``), else ``message`` or ``errorMessage``; None when it holds no text."""
    if not isinstance(data, dict):
        return None
    detail = data.get("error") or data.get("message") or data.get("errorMessage")
    if isinstance(detail, dict):
        detail = detail.get("message")
    return detail if isinstance(detail, str) and detail.strip() else None


def _checked_url(engine: str, url: str) -> str:
    try:
        parts = urlsplit(url.strip())
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # an unclosed [ or a port that is not a number up to 65535 ($LIBRETRANSLATE_URL)
        valid = False
    if not valid:
        raise EngineError(
            f"{engine}: the server URL must start with http:// or https:// and name a server, with a port "
            "from 1 to 65535 if it gives one"
        )
    return url.strip()


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _display_url(url: str) -> str:
    """``url`` without user name, password, query or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _os_reason(exc: BaseException) -> str:
    """The operating system's reason for a failed connection, found in the exception chain."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            return current.strerror
        linked = (current.__cause__, current.__context__, getattr(current, "reason", None))
        pending.extend(e for e in (*linked, *current.args) if isinstance(e, BaseException))
    return type(exc).__name__
