"""A LibreTranslate-compatible HTTP server for tests, also imitating the Google page.

It listens on 127.0.0.1 on a free port, in a background thread, while its ``with`` block runs::

    from tests.mt_server import LibreServer

    with LibreServer(translate=lambda q, source, target: q.upper()) as server:
        engine = create_engine("libre", "ko", "en", url=server.url)
        assert engine.translate("abc") == "ABC"
        assert server.received[-1].params["q"] == "abc"

As a pytest fixture::

    @pytest.fixture
    def server() -> Iterator[LibreServer]:
        with LibreServer() as running:
            yield running

Endpoints:

* ``POST /translate``: ``q``, ``source``, ``target``, ``format``, ``api_key`` from the query
  string, a form or a JSON body; answers ``{"translatedText": translate(q, source, target)}``.
  With ``LibreServer(api_key="k")`` a request without that key gets 403.
* ``GET /languages``: the languages of :data:`LANGUAGES`.
* ``GET /m`` (``server.google_url``): the Google page deep-translator scrapes, with ``q``, ``sl``
  and ``tl`` in the query string; the translation is in ``<div class="result-container">``.
* ``POST /deepl/v2/translate`` (``server.deepl_url``): DeepL's API as it is since 2026: a form
  with ``text``, ``source_lang``, ``target_lang`` and the key in ``Authorization: DeepL-Auth-Key
  K``; a GET or an ``auth_key`` parameter gets 403 like the real service.
* ``POST /microsoft/translate`` (``server.microsoft_url``): Azure AI Translator v3, ``from`` and
  ``to`` in the query string, ``[{"text": ...}]`` as body, key in ``Ocp-Apim-Subscription-Key``.
* ``POST /papago/nmt/v1/translation`` (``server.papago_url``): NAVER Cloud Papago Translation,
  a form with ``source``, ``target``, ``text``; keys in ``X-NCP-APIGW-API-KEY-ID`` / ``-KEY``.
* ``GET /mymemory/get`` (``server.mymemory_url``): MyMemory, ``q`` and ``langpair``;
  ``server.quota_used = True`` answers like MyMemory once the daily quota is gone.

With ``LibreServer(api_key="k")`` the keyed APIs (libre, deepl, microsoft; papago's secret)
refuse other keys. ``translate`` defaults to :func:`phrase_table`. Every request is recorded in
``server.received`` (a list of :class:`Received`); ``server.max_in_flight`` is the most requests
it was answering at once. Failure modes, which can be set at any time: ``server.status = 429``
answers every request with that status (``server.headers`` adds headers such as
``Retry-After``), ``server.body = b"{garbage"`` with that body (status 200 unless ``status`` is
set), ``server.delay = 5.0`` waits that long before answering; ``server.script`` is a list of
:class:`Scripted` answers given to the next requests, one each, before answering normally;
``server.fail = lambda q: 500 if "x" in q else None`` fails chosen texts.

Answers that are not translations (HTTP 200, every API): ``server.misanswer = ECHO`` answers with
the text it was sent, ``EMPTY`` with nothing, ``KOREAN`` with Korean (not the text sent);
``server.misanswer_for = lambda q: "x" in q`` limits that to chosen texts.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from tests.local_http import LocalHTTPServer, QuietHandler, owner_of

Translate = Callable[[str, str, str], str]

PHRASES = {
    "안녕하세요": "Hello",
    "감사합니다": "Thank you",
    "치과 진료 안내": "Dental care guide",
    "예약은 전화로 해 주세요.": "Please book by phone.",
}
LANGUAGES = {"en": "English", "ko": "Korean", "ja": "Japanese", "zh": "Chinese"}
ECHO, EMPTY, KOREAN = "echo", "empty", "korean"
KOREAN_ANSWER = "번역할 수 없는 문장입니다: "

# Revised Romanization, simplified: initial, medial and final jamo of a syllable, in Unicode order.
_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_MEDIAL_NAMES = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i"
_FINAL_NAMES = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t"
_MEDIALS = _MEDIAL_NAMES.split()
_FINALS = [name.strip("-") for name in _FINAL_NAMES.split()]


def romanize(text: str) -> str:
    """Hangul syllables in Latin letters (Revised Romanization, simplified); the rest as it is."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            initial, medial, final = code // 588, code % 588 // 28, code % 28
            out.append(_INITIALS[initial] + _MEDIALS[medial] + _FINALS[final])
        else:
            out.append(char)
    return "".join(out)


def phrase_table(q: str, source: str, target: str) -> str:
    """The default translation: :data:`PHRASES` for known text, anything else romanized."""
    return PHRASES.get(q.strip()) or romanize(q)


@dataclass(frozen=True)
class Received:
    """One request the server received; ``params`` merges the query string and the body."""

    method: str
    path: str
    query: dict[str, str]
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""

    @property
    def text(self) -> str:
        """The text to translate, whichever API the request was for."""
        if self.path.startswith("/microsoft"):
            return str(json.loads(self.body)[0]["text"])
        return self.params.get("q") or self.params.get("text", "")


@dataclass(frozen=True)
class Scripted:
    """One canned answer: ``status``, optional ``body`` (JSON error otherwise) and ``headers``."""

    status: int
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Answer:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class _Handler(QuietHandler):
    """Reads a request into a :class:`Received` and writes the server's answer."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        params = {**query, **_body_params(self.headers.get("Content-Type", ""), body)}
        request = Received(self.command, split.path, query, params, dict(self.headers.items()), body)
        answer: _Answer = owner_of(self)._answer(request)
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except ConnectionError:
            pass  # the client gave up (a timeout test)


class LibreServer(LocalHTTPServer):
    """A LibreTranslate imitation for tests; see the module docstring."""

    handler = _Handler

    def __init__(self, translate: Translate = phrase_table, *, api_key: str | None = None):
        super().__init__()
        self.translate = translate
        self.api_key = api_key
        self.status: int | None = None
        self.body: bytes | None = None
        self.delay = 0.0
        self.headers: dict[str, str] = {}
        self.script: list[Scripted] = []
        self.fail: Callable[[str], int | None] = lambda q: None
        self.quota_used = False
        self.misanswer: str | None = None
        self.misanswer_for: Callable[[str], bool] = lambda q: True
        self.received: list[Received] = []
        self.max_in_flight = 0
        self._in_flight = 0

    @property
    def url(self) -> str:
        """The LibreTranslate base URL, ending with "/"."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def google_url(self) -> str:
        """The URL of the imitated Google page."""
        return self.url + "m"

    @property
    def deepl_url(self) -> str:
        return self.url + "deepl/v2/"

    @property
    def microsoft_url(self) -> str:
        return self.url + "microsoft/translate?api-version=3.0"

    @property
    def papago_url(self) -> str:
        return self.url + "papago/nmt/v1/translation"

    @property
    def mymemory_url(self) -> str:
        return self.url + "mymemory/get"

    def url_for(self, engine: str) -> str:
        """The URL to give ``create_engine(engine, ..., url=...)`` for this server."""
        if engine == "libre":
            return self.url
        return str(getattr(self, f"{engine}_url"))

    def _answer(self, request: Received) -> _Answer:
        with self._lock:
            self.received.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            scripted = self.script.pop(0) if self.script else None
        try:
            self.wait(self.delay)
            return self._route(request, scripted)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _route(self, request: Received, scripted: Scripted | None) -> _Answer:
        if scripted is not None:
            if scripted.body is not None:
                return _Answer(scripted.status, "text/plain; charset=utf-8", scripted.body, scripted.headers)
            answer = _json(scripted.status, {"error": f"the test server answers {scripted.status}"})
            return _Answer(answer.status, answer.content_type, answer.body, scripted.headers)
        headers = tuple(self.headers.items())
        if self.status is not None or self.body is not None:
            status = self.status or 200
            if self.body is not None:
                return _Answer(status, "text/plain; charset=utf-8", self.body, headers)
            answer = _json(status, {"error": f"the test server answers {status}"})
            return _Answer(answer.status, answer.content_type, answer.body, headers)
        if request.path != "/languages" and (status := self.fail(request.text)) is not None:
            return _json(status, {"error": f"the test server fails this text with {status}"})
        route = (request.method, request.path)
        if route == ("POST", "/translate"):
            return self._libre(request.params)
        if route == ("GET", "/languages"):
            targets = list(LANGUAGES)
            return _json(200, [{"code": c, "name": n, "targets": targets} for c, n in LANGUAGES.items()])
        if route == ("GET", "/m"):
            return self._google(request.query)
        if request.path == "/deepl/v2/translate":
            return self._deepl(request)
        if route == ("POST", "/microsoft/translate"):
            return self._microsoft(request)
        if route == ("POST", "/papago/nmt/v1/translation"):
            return self._papago(request)
        if route == ("GET", "/mymemory/get"):
            return self._mymemory(request.query)
        return _json(404, {"error": "Not Found"})

    def _translated(self, q: str, source: str, target: str) -> str:
        if self.misanswer is not None and self.misanswer_for(q):
            return {ECHO: q, EMPTY: "", KOREAN: KOREAN_ANSWER + q}[self.misanswer]
        return self.translate(q, source, target)

    def _deepl(self, request: Received) -> _Answer:
        if request.method != "POST" or "auth_key" in request.params:
            return _json(403, {"message": "Legacy authentication method is no longer supported."})
        if self.api_key is not None and request.headers.get("Authorization") != f"DeepL-Auth-Key {self.api_key}":
            return _json(403, {"message": "Wrong endpoint or key"})
        params = request.params
        text = self._translated(params["text"], params["source_lang"], params["target_lang"])
        return _json(200, {"translations": [{"detected_source_language": params["source_lang"], "text": text}]})

    def _microsoft(self, request: Received) -> _Answer:
        if self.api_key is not None and request.headers.get("Ocp-Apim-Subscription-Key") != self.api_key:
            return _json(401, {"error": {"code": 401000, "message": "The request is not authorized."}})
        text = self._translated(request.text, request.query.get("from", ""), request.query["to"])
        return _json(200, [{"translations": [{"text": text, "to": request.query["to"]}]}])

    def _papago(self, request: Received) -> _Answer:
        if self.api_key is not None and request.headers.get("X-NCP-APIGW-API-KEY") != self.api_key:
            return _json(401, {"error": {"errorCode": "200", "message": "Authentication Failed"}})
        params = request.params
        if params.get("source") not in LANGUAGES or params.get("target") not in LANGUAGES:
            return _json(400, {"error": {"errorCode": "N2MT05", "message": "target is not supported"}})
        text = self._translated(params["text"], params["source"], params["target"])
        result = {"srcLangType": params["source"], "tarLangType": params["target"], "translatedText": text}
        return _json(200, {"message": {"result": result}})

    def _mymemory(self, query: dict[str, str]) -> _Answer:
        if self.quota_used:
            warning = "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY."
            data = {"responseData": {"translatedText": warning}, "quotaFinished": True, "responseStatus": 429}
            return _json(200, data)
        source, target = query["langpair"].split("|")
        text = self._translated(query["q"], source, target)
        return _json(200, {"responseData": {"translatedText": text, "match": 1}, "responseStatus": 200, "matches": []})

    def _libre(self, params: dict[str, str]) -> _Answer:
        if self.api_key is not None and params.get("api_key") != self.api_key:
            return _json(403, {"error": "Invalid API key"})
        missing = [name for name in ("q", "source", "target") if not params.get(name)]
        if missing:
            return _json(400, {"error": f"Invalid request: missing {missing[0]} parameter"})
        text = self._translated(params["q"], params["source"], params["target"])
        return _json(200, {"translatedText": text})

    def _google(self, query: dict[str, str]) -> _Answer:
        text = self._translated(query.get("q", ""), query.get("sl", "auto"), query.get("tl", ""))
        page = (
            "<!DOCTYPE html><html><head><title>Google Translate</title></head><body>"
            f'<div class="result-container">{html.escape(text)}</div></body></html>'
        )
        return _Answer(200, "text/html; charset=utf-8", page.encode())


def _json(status: int, value: object) -> _Answer:
    return _Answer(status, "application/json", json.dumps(value, ensure_ascii=False).encode())


def _body_params(content_type: str, body: bytes) -> dict[str, str]:
    """The parameters of a form or JSON body, as LibreTranslate accepts them."""
    if content_type.startswith("application/json") and body:
        try:
            data = json.loads(body)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode(), keep_blank_values=True))
    return {}
