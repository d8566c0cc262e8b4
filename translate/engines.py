"""Machine-translation engines: thin wrappers over deep-translator's own code paths.

``create_engine(name, source, target)`` gives an object with ``translate(text) -> str``. The
wrappers add what deep-translator lacks: a timeout on every request, language codes mapped to
what each provider expects, and one-line :class:`EngineError` messages that never contain the
API key.

Timeouts: deep-translator calls the module-level ``requests.get/post`` of its own modules with no
timeout. Each module we use has its ``requests`` name replaced by :class:`_TimeoutRequests`, which
adds the timeout of the engine call in progress (held in a context variable) and keeps the answer
so that errors can state its HTTP status (deep-translator's exceptions lose it). The global
``requests`` module is left alone.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote_plus, urlsplit

import requests
from deep_translator import GoogleTranslator, LibreTranslator
from deep_translator import google as _dt_google
from deep_translator import libre as _dt_libre
from deep_translator.constants import (
    BASE_URLS,
    GOOGLE_LANGUAGES_TO_CODES,
    LIBRE_LANGUAGES_TO_CODES,
)
from deep_translator.exceptions import NotValidLength

from translate.errors import EngineError

DEFAULT_TIMEOUT = 20.0
LIBRE_URL_ENV = "LIBRETRANSLATE_URL"
LIBRE_KEY_ENV = "LIBRETRANSLATE_API_KEY"


class Engine(Protocol):
    """A machine-translation engine for one language pair."""

    name: str

    def translate(self, text: str) -> str: ...


class EngineUnreachable(EngineError):
    """The engine's server could not be reached: connection refused, DNS failure or timeout."""


@dataclass
class _Exchange:
    """What one engine call lends to, and learns from, the requests deep-translator makes."""

    timeout: float
    response: requests.Response | None = None


_EXCHANGE: ContextVar[_Exchange | None] = ContextVar("_EXCHANGE", default=None)


class _TimeoutRequests:
    """Stands in for ``requests`` inside a deep_translator module: adds a default timeout."""

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("GET", url, kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("POST", url, kwargs)

    @staticmethod
    def _send(method: str, url: str, kwargs: dict[str, Any]) -> requests.Response:
        exchange = _EXCHANGE.get()
        kwargs.setdefault("timeout", exchange.timeout if exchange else DEFAULT_TIMEOUT)
        response = requests.request(method, url, **kwargs)
        if exchange is not None:
            exchange.response = response
        return response


for _module in (_dt_libre, _dt_google):
    _module.requests = _TimeoutRequests()


class _DeepTranslatorEngine:
    """Runs one deep-translator translator and turns each of its failures into an EngineError."""

    name: str

    def __init__(self, translator: Any, url: str, timeout: float, secret: str = "") -> None:
        if not timeout > 0:
            raise EngineError(f"{self.name}: the timeout must be positive, got {timeout}")
        self._translator = translator
        self._secret = secret
        self.url = url
        self.timeout = timeout
        self.where = _display_url(url)

    def translate(self, text: str) -> str:
        """Translate ``text``; blank text comes back as it is without a request."""
        if not text.strip():
            return text
        exchange = _Exchange(self.timeout)
        error: EngineError | None = None
        token = _EXCHANGE.set(exchange)
        try:
            result = self._call(text)
        except Exception as exc:  # deep-translator's own exceptions share no base class
            error = self._error(exc, exchange.response)
        finally:
            _EXCHANGE.reset(token)
        if error is not None:
            raise error  # outside the except block: no chained exception carries the key
        if not isinstance(result, str):
            raise EngineError(f"{self.name} at {self.where}: the answer held no translation")
        return result

    def _call(self, text: str) -> Any:
        return self._translator.translate(text)

    def _error(self, exc: Exception, response: requests.Response | None) -> EngineError:
        """The EngineError telling what went wrong, without the API key."""
        if isinstance(exc, requests.Timeout):
            reason = f"no answer within {self.timeout:g} s"
            return EngineUnreachable(f"cannot reach {self.name} at {self.where}: {reason}")
        if isinstance(exc, requests.ConnectionError):
            reason = _os_reason(exc)
            return EngineUnreachable(f"cannot reach {self.name} at {self.where}: {reason}")
        prefix = f"{self.name} at {self.where}"
        if response is not None and not 200 <= response.status_code < 300:
            return EngineError(f"{prefix}: {self._status_message(response)}")
        if isinstance(exc, NotValidLength):
            return EngineError(f"{prefix}: the text is too long ({exc.message})")
        if isinstance(exc, requests.JSONDecodeError):
            return EngineError(f"{prefix}: the answer is not JSON")
        if isinstance(exc, requests.RequestException):
            return EngineError(f"{prefix}: the request failed: {self._scrub(str(exc))}")
        return EngineError(f"{prefix}: the answer held no translation ({type(exc).__name__})")

    def _status_message(self, response: requests.Response) -> str:
        status = response.status_code
        message = f"the server answered HTTP {status}"
        if status == 429:
            message += " (too many requests)"
        try:
            detail = response.json().get("error")
        except (ValueError, AttributeError):
            detail = None
        if isinstance(detail, str) and detail.strip():
            message += f": {self._scrub(detail)}"
        return message

    def _scrub(self, text: str) -> str:
        """``text`` on one line, shortened, without query strings or the API key."""
        text = re.sub(r"(?<=\S)\?[^\s'\")]+", "", text)
        if self._secret:
            text = text.replace(self._secret, "***").replace(quote_plus(self._secret), "***")
        text = " ".join(text.split())
        return text if len(text) <= 200 else text[:199] + "…"


class LibreEngine(_DeepTranslatorEngine):
    """LibreTranslate: URL from ``url``, else LIBRETRANSLATE_URL, else deep-translator's default;
    API key from LIBRETRANSLATE_API_KEY, optional for self-hosted servers."""

    name = "libre"

    def __init__(self, source: str, target: str, *, url: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        key = os.environ.get(LIBRE_KEY_ENV, "").strip()
        default = BASE_URLS["LIBRE" if key else "LIBRE_FREE"]
        base = _checked_url(self.name, url or os.environ.get(LIBRE_URL_ENV) or default)
        if not base.endswith("/"):
            base += "/"  # deep-translator appends "translate"
        languages = _codes(self.name, source, target, LIBRE_LANGUAGES_TO_CODES, {"zh-CN": "zh"})
        # deep-translator refuses to start without a key; with an empty one it sends no api_key.
        translator = LibreTranslator(*languages, api_key=key or "unset", custom_url=base)
        translator.api_key = key
        super().__init__(translator, base, timeout, secret=key)

    def _status_message(self, response: requests.Response) -> str:
        if response.status_code != 403:
            return super()._status_message(response)
        if self._secret:
            return f"the server refused the API key in {LIBRE_KEY_ENV}"
        return f"the server wants an API key: set {LIBRE_KEY_ENV}"


class GoogleEngine(_DeepTranslatorEngine):
    """Google Translate through the web page deep-translator scrapes; ``url`` replaces that page."""

    name = "google"

    def __init__(self, source: str, target: str, *, url: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        languages = _codes(self.name, source, target, GOOGLE_LANGUAGES_TO_CODES, {})
        translator = GoogleTranslator(*languages)
        if url:
            translator._base_url = _checked_url(self.name, url)  # no constructor argument for it
        super().__init__(translator, translator._base_url, timeout)

    def _call(self, text: str) -> Any:
        result = super()._call(text)
        # deep-translator returns None when the page echoes a text without letters or digits
        # (such as "…"): that echo is the translation.
        return text.strip() if result is None else result


class _EngineFactory(Protocol):
    def __call__(self, source: str, target: str, *, url: str | None, timeout: float) -> Engine: ...


_ENGINES: dict[str, _EngineFactory] = {"libre": LibreEngine, "google": GoogleEngine}
ENGINE_NAMES: tuple[str, ...] = tuple(_ENGINES)


def create_engine(
    name: str,
    source: str,
    target: str,
    *,
    url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Engine:
    """The engine ``name`` translating from ``source`` to ``target`` (our codes: ko, en, ja,
    zh-CN); ``url`` overrides the server, ``timeout`` (seconds) bounds every request."""
    engine = _ENGINES.get(name)
    if engine is None:
        raise EngineError(f"unknown engine {name!r}: choose one of {', '.join(ENGINE_NAMES)}")
    return engine(source, target, url=url, timeout=timeout)


def _codes(engine: str, source: str, target: str, known: dict[str, str], aliases: dict[str, str]) -> tuple[str, str]:
    """Our language codes as the provider's deep-translator class spells them."""
    mapped = []
    for code in (source, target):
        provider = aliases.get(code, code)
        if provider not in known.values():
            raise EngineError(
                f"{engine} cannot translate {source} to {target}: it does not know the language code {code!r}"
            )
        mapped.append(provider)
    return mapped[0], mapped[1]


def _checked_url(engine: str, url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EngineError(f"{engine}: the server URL must start with http:// or https://")
    return url.strip()


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
