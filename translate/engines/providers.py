"""The six providers deep-translator reaches, each a thin wrapper over its own code path.

The wrappers add what deep-translator lacks: a timeout on every request (through
:mod:`translate.engines.transport`), language codes mapped to what each provider expects,
credentials from environment variables only, and one-line :class:`EngineError` messages that
never contain a key.

Adapters where deep-translator 1.11.4 is wrong for us, each kept to the request it builds:

* DeepL: its language table lacks Korean, and it sends ``GET /translate?auth_key=...``, which
  DeepL no longer accepts; we set the codes (KO, EN-US...) and send its request as a POST form
  with the key in the ``Authorization`` header.
* Papago: its table maps codes to language *names* (it would send ``source=Korean``), and it
  calls the retired NAVER Developers endpoint; we set the codes and send its form to NAVER
  Cloud's Papago Translation with that service's key headers.
* Microsoft: its constructor downloads the language list without a timeout; we skip that and
  let the service judge the language codes.
* MyMemory: a used-up quota comes back as HTTP 200 with the warning as "translation"; we read the
  answer's own status so the warning is never drafted.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote_plus

import requests
from deep_translator import (
    DeeplTranslator,
    GoogleTranslator,
    LibreTranslator,
    MicrosoftTranslator,
    MyMemoryTranslator,
    PapagoTranslator,
)
from deep_translator.constants import (
    BASE_URLS,
    GOOGLE_LANGUAGES_TO_CODES,
    LIBRE_LANGUAGES_TO_CODES,
    MY_MEMORY_LANGUAGES_TO_CODES,
)
from deep_translator.exceptions import NotValidLength

from translate.engines.transport import (
    _DEEPL_EXTRA,
    _EXCHANGE,
    _STATUS_NOTES,
    DEFAULT_TIMEOUT,
    EngineRefused,
    EngineUnreachable,
    _by_status,
    _checked_url,
    _display_url,
    _Exchange,
    _os_reason,
    _with_slash,
    error_detail,
    patch_deep_translator,
)
from translate.errors import EngineError

LIBRE_URL_ENV = "LIBRETRANSLATE_URL"
LIBRE_KEY_ENV = "LIBRETRANSLATE_API_KEY"
DEEPL_KEY_ENV = "DEEPL_API_KEY"
MICROSOFT_KEY_ENV = "MICROSOFT_API_KEY"
MICROSOFT_REGION_ENV = "MICROSOFT_REGION"
PAPAGO_ID_ENV = "PAPAGO_CLIENT_ID"
PAPAGO_SECRET_ENV = "PAPAGO_CLIENT_SECRET"
MYMEMORY_EMAIL_ENV = "MYMEMORY_EMAIL"
PAPAGO_URL = "https://papago.apigw.ntruss.com/nmt/v1/translation"


class _ProviderStatus(Exception):
    """An answer with HTTP 200 whose own status field reports a failure (MyMemory)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class _DeepTranslatorEngine:
    """Runs one deep-translator translator and turns each of its failures into an EngineError."""

    name: str

    def __init__(self, translator: Any, url: str, timeout: float, secret: str | tuple[str, ...] = "") -> None:
        if not timeout > 0:
            raise EngineError(f"{self.name}: the timeout must be positive, got {timeout}")
        patch_deep_translator()  # the translators make no request before translate()
        self._translator = translator
        self._secrets = tuple(s for s in ((secret,) if isinstance(secret, str) else secret) if s)
        self.url = url
        self.timeout = timeout
        self.where = _display_url(url)

    @property
    def _secret(self) -> str:
        return self._secrets[0] if self._secrets else ""

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
            error = self._error(exchange.error or exc, exchange.response)
        finally:
            _EXCHANGE.reset(token)
        if error is not None:
            raise error  # outside the except block: no chained exception carries the key
        if not isinstance(result, str):
            raise EngineError(f"{self.name} at {self.where}: the answer held no translation")
        return result

    def _call(self, text: str) -> Any:
        return self._translator.translate(text)

    def _error(self, exc: BaseException, response: requests.Response | None) -> EngineError:
        """The EngineError telling what went wrong, without the API key."""
        if isinstance(exc, requests.Timeout):
            reason = f"no answer within {self.timeout:g} s"
            return EngineUnreachable(f"cannot reach {self.name} at {self.where}: {reason}", timed_out=True)
        if isinstance(exc, requests.ConnectionError):
            reason = _os_reason(exc)
            return EngineUnreachable(f"cannot reach {self.name} at {self.where}: {reason}")
        prefix = f"{self.name} at {self.where}"
        if response is not None and not 200 <= response.status_code < 300:
            return _by_status(response.status_code, f"{prefix}: {self._status_message(response)}", response)
        if isinstance(exc, _ProviderStatus):
            message = f"{prefix}: the answer reports status {exc.status}: {self._scrub(exc.detail)}"
            return _by_status(exc.status, message, None)
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
        message += _STATUS_NOTES.get(status, "")
        try:
            detail = error_detail(response.json())
        except ValueError:
            detail = None
        if detail:
            message += f": {self._scrub(detail)}"
        return message

    def _scrub(self, text: str) -> str:
        """``text`` on one line, shortened, without query strings or the API key."""
        text = re.sub(r"(?<=\S)\?[^\s'\")]+", "", text)
        for secret in self._secrets:
            text = text.replace(secret, "***").replace(quote_plus(secret), "***")
        text = " ".join(text.split())
        return text if len(text) <= 200 else text[:199] + "…"


class LibreEngine(_DeepTranslatorEngine):
    """LibreTranslate: URL from ``url``, else LIBRETRANSLATE_URL, else (with a key) the public
    server; API key from LIBRETRANSLATE_API_KEY, optional for self-hosted servers."""

    name = "libre"

    def __init__(self, source: str, target: str, *, url: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        languages = _codes(self.name, source, target, LIBRE_LANGUAGES_TO_CODES, {"zh-CN": "zh"})
        key = os.environ.get(LIBRE_KEY_ENV, "").strip()
        given = url or os.environ.get(LIBRE_URL_ENV, "").strip()
        if not given and not key:
            # the public server wants a key: never a silent default that fails on every text
            raise EngineError(
                f"libre needs a LibreTranslate server: pass --url, set engine_url in [tool.translate] or "
                f"{LIBRE_URL_ENV} (the public {BASE_URLS['LIBRE']} also needs {LIBRE_KEY_ENV})"
            )
        base = _checked_url(self.name, given or BASE_URLS["LIBRE"])
        if not base.endswith("/"):
            base += "/"  # deep-translator appends "translate"
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


_MYMEMORY_CODES = {"en": "en-US", "zh": "zh-CN"}


class MyMemoryEngine(_DeepTranslatorEngine):
    """MyMemory's free API; MYMEMORY_EMAIL (optional) raises its daily quota. At most 500
    characters per segment."""

    name = "mymemory"

    def __init__(self, source: str, target: str, *, url: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        known = MY_MEMORY_LANGUAGES_TO_CODES
        aliases = {code: _MYMEMORY_CODES.get(code) or _regional(code, known.values()) for code in (source, target)}
        languages = _codes(self.name, source, target, known, aliases)
        email = os.environ.get(MYMEMORY_EMAIL_ENV, "").strip() or None
        translator = MyMemoryTranslator(*languages, email=email)
        if url:
            translator._base_url = _checked_url(self.name, url)
        super().__init__(translator, translator._base_url, timeout)

    def _call(self, text: str) -> Any:
        result = super()._call(text)
        exchange = _EXCHANGE.get()
        response = exchange.response if exchange else None
        data = response.json() if response is not None else {}
        status = str(data.get("responseStatus", "200")) if isinstance(data, dict) else "200"
        if status != "200":
            detail = str(data.get("responseDetails") or result or "")
            if status == "429" or data.get("quotaFinished"):
                detail = f"the daily quota is used up ({detail}); set {MYMEMORY_EMAIL_ENV} for a larger one"
            raise _ProviderStatus(456 if status == "429" else int(status) if status.isdigit() else 400, detail)
        return result


_DEEPL_SOURCES = "AR BG CS DA DE EL EN ES ET FI FR HE HU ID IT JA KO LT LV NB NL PL PT RO RU SK SL SV TH TR UK VI ZH"
_DEEPL_LANGUAGES = frozenset(_DEEPL_SOURCES.split(" "))
_DEEPL_TARGETS = {"en": "EN-US", "en-US": "EN-US", "en-GB": "EN-GB", "pt": "PT-BR", "pt-BR": "PT-BR"}
_DEEPL_TARGETS |= {"pt-PT": "PT-PT", "zh": "ZH-HANS", "zh-CN": "ZH-HANS", "zh-TW": "ZH-HANT"}


_XML_TOKEN_RE = re.compile(r"<x\s+i=\"(\d+)\"\s*/>|<x\s+i=\"(\d+)\"\s*>\s*</x>")
_TOKEN_RE = re.compile(r"⟦\s*(\d+)\s*⟧")


def to_deepl_xml(text: str) -> str:
    """A protected text (tokens ⟦n⟧) as DeepL's XML: text escaped, each token an empty tag
    ``<x i="n"/>`` that DeepL keeps in place (``tag_handling=xml``)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _TOKEN_RE.sub(lambda m: f'<x i="{m.group(1)}"/>', escaped)


def from_deepl_xml(text: str) -> str:
    """The answer to :func:`to_deepl_xml` with tags back as tokens and entities unescaped."""
    tokens = _XML_TOKEN_RE.sub(lambda m: f"⟦{m.group(1) or m.group(2)}⟧", text)
    return tokens.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


class DeeplEngine(_DeepTranslatorEngine):
    """DeepL API with the key in DEEPL_API_KEY (a key ending in ``:fx`` uses the Free API). Inline
    markup goes as XML tags (``tag_handling=xml``); ``glossary_id`` is a DeepL glossary of the pair
    (:mod:`translate.deepl_glossary`)."""

    name = "deepl"

    def __init__(
        self,
        source: str,
        target: str,
        *,
        url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        glossary_id: str | None = None,
    ) -> None:
        for code in (source, target):
            if code.split("-")[0].upper() not in _DEEPL_LANGUAGES:
                raise EngineError(f"deepl cannot translate {source} to {target}: it does not know {code!r}")
        key = os.environ.get(DEEPL_KEY_ENV, "").strip()
        if not key:
            raise EngineRefused(f"deepl needs an API key: set {DEEPL_KEY_ENV}")
        translator = DeeplTranslator(source="de", target="en", api_key=key, use_free_api=key.endswith(":fx"))
        # Its table lacks Korean (DeepL added it in 2023): give the codes DeepL expects directly.
        translator._source = source.split("-")[0].upper()
        translator._target = _DEEPL_TARGETS.get(target, target.split("-")[0].upper())
        if url:
            translator._base_url = _with_slash(_checked_url(self.name, url))  # it appends "translate"
        super().__init__(translator, translator._base_url, timeout, secret=key)
        self.extra = {"tag_handling": "xml"}
        if glossary_id:
            self.extra["glossary_id"] = glossary_id

    def _call(self, text: str) -> Any:
        token = _DEEPL_EXTRA.set(self.extra)
        try:
            result = super()._call(to_deepl_xml(text))
        finally:
            _DEEPL_EXTRA.reset(token)
        return from_deepl_xml(result) if isinstance(result, str) else result


_MICROSOFT_CODES = {"zh-CN": "zh-Hans", "zh-TW": "zh-Hant", "zh": "zh-Hans"}


class _MicrosoftTranslator(MicrosoftTranslator):  # type: ignore[misc]
    """deep-translator's class without its untimed download of the language list."""

    def __init__(self, codes: tuple[str, str], **kwargs: Any) -> None:
        self._codes = codes
        super().__init__(source=codes[0], target=codes[1], **kwargs)

    def _get_supported_languages(self) -> dict[str, str]:
        return {code: code for code in self._codes}  # the service itself rejects unknown codes


class MicrosoftEngine(_DeepTranslatorEngine):
    """Azure AI Translator: key in MICROSOFT_API_KEY, region in MICROSOFT_REGION (for regional
    or multi-service resources); ``url`` replaces the endpoint."""

    name = "microsoft"

    def __init__(self, source: str, target: str, *, url: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        key = os.environ.get(MICROSOFT_KEY_ENV, "").strip()
        if not key:
            raise EngineRefused(f"microsoft needs an API key: set {MICROSOFT_KEY_ENV} (and {MICROSOFT_REGION_ENV})")
        region = os.environ.get(MICROSOFT_REGION_ENV, "").strip() or None
        codes = (_MICROSOFT_CODES.get(source, source), _MICROSOFT_CODES.get(target, target))
        translator = _MicrosoftTranslator(codes, api_key=key, region=region)
        if url:
            translator._base_url = _checked_url(self.name, url)
        super().__init__(translator, translator._base_url, timeout, secret=key)


_PAPAGO_CODES = frozenset({"ko", "en", "ja", "zh-CN", "zh-TW", "vi", "th", "id", "fr", "es", "ru", "de", "it"})


class PapagoEngine(_DeepTranslatorEngine):
    """NAVER Cloud Papago Translation: PAPAGO_CLIENT_ID and PAPAGO_CLIENT_SECRET of an
    application registered in the NAVER Cloud Platform console; ``url`` replaces the endpoint."""

    name = "papago"

    def __init__(self, source: str, target: str, *, url: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        languages = _codes(self.name, source, target, {c: c for c in _PAPAGO_CODES}, {"zh": "zh-CN"})
        client = os.environ.get(PAPAGO_ID_ENV, "").strip()
        secret = os.environ.get(PAPAGO_SECRET_ENV, "").strip()
        if not client or not secret:
            raise EngineRefused(f"papago needs NAVER Cloud keys: set {PAPAGO_ID_ENV} and {PAPAGO_SECRET_ENV}")
        translator = PapagoTranslator(client_id=client, secret_key=secret, source="ko", target="en")
        # Its table maps codes to names ("Korean"), which the API rejects: send the codes.
        translator._source, translator._target = languages
        translator._base_url = _checked_url(self.name, url or PAPAGO_URL)
        super().__init__(translator, translator._base_url, timeout, secret=(secret, client))


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


def _regional(code: str, known: Any) -> str:
    """MyMemory spells languages with a region (ko-KR): the one variant of ``code``, if any."""
    values = set(known)
    if code in values:
        return code
    variants = sorted(v for v in values if v.split("-")[0].lower() == code.lower())
    return variants[0] if len(variants) == 1 else code
