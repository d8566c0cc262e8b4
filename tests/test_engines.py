"""translate.engines through deep-translator's real code paths, against local servers only."""

from __future__ import annotations

import socket
import time
import traceback
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest
import requests
from deep_translator import libre as dt_libre
from deep_translator.constants import BASE_URLS

from tests.mt_server import LibreServer
from translate.engines import (
    DEFAULT_TIMEOUT,
    ENGINE_NAMES,
    EngineUnreachable,
    create_engine,
)
from translate.errors import EngineError

KEY = "s3cret-Key/+="


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No settings from the developer's shell; never send 127.0.0.1 requests to a proxy."""
    monkeypatch.delenv("LIBRETRANSLATE_URL", raising=False)
    monkeypatch.delenv("LIBRETRANSLATE_API_KEY", raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def server() -> Iterator[LibreServer]:
    with LibreServer() as running:
        yield running


@pytest.fixture
def closed_url() -> str:
    """The URL of a port nothing listens on any more."""
    with LibreServer() as gone:
        return gone.url


def failure(engine_name: str, url: str, text: str = "안녕하세요", **kwargs: Any) -> EngineError:
    """The EngineError that translating ``text`` raises; checks it is one line without the key."""
    engine = create_engine(engine_name, "ko", "en", url=url, **kwargs)
    with pytest.raises(EngineError) as info:
        engine.translate(text)
    assert info.value.__context__ is None  # deep-translator's exceptions may hold the key
    assert KEY not in "".join(traceback.format_exception(info.value))
    assert "\n" not in str(info.value)
    return info.value


# --- libre ----------------------------------------------------------------------------------


def test_libre_translates_korean_to_english(server: LibreServer) -> None:
    engine = create_engine("libre", "ko", "en", url=server.url)
    assert engine.name == "libre"
    assert engine.translate("안녕하세요") == "Hello"
    (sent,) = server.received
    assert (sent.method, sent.path) == ("POST", "/translate")
    assert sent.query == {"q": "안녕하세요", "source": "ko", "target": "en", "format": "text"}


def test_libre_url_from_environment_gets_a_trailing_slash(server: LibreServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_URL", server.url.rstrip("/"))
    assert create_engine("libre", "ko", "en").translate("감사합니다") == "Thank you"


def test_libre_default_url_is_deep_translators(monkeypatch: pytest.MonkeyPatch) -> None:
    engine: Any = create_engine("libre", "ko", "en")  # no request is made
    assert engine.url == BASE_URLS["LIBRE_FREE"]
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)
    assert create_engine("libre", "ko", "en").url == BASE_URLS["LIBRE"]  # type: ignore[attr-defined]


def test_libre_sends_the_key_from_the_environment(server: LibreServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)
    create_engine("libre", "ko", "en", url=server.url).translate("안녕하세요")
    assert server.received[0].query["api_key"] == KEY


def test_libre_sends_no_key_when_none_is_set(server: LibreServer) -> None:
    create_engine("libre", "ko", "en", url=server.url).translate("안녕하세요")
    assert "api_key" not in server.received[0].params


def test_libre_maps_chinese_to_its_code(server: LibreServer) -> None:
    create_engine("libre", "ko", "zh-CN", url=server.url).translate("안녕하세요")
    assert server.received[0].query["target"] == "zh"


def test_refused_key_is_named_but_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)
    with LibreServer(api_key="the-right-one") as server:
        error = failure("libre", server.url)
    assert "refused the API key in LIBRETRANSLATE_API_KEY" in str(error)
    assert "127.0.0.1" in str(error)


def test_missing_key_tells_which_variable_to_set() -> None:
    with LibreServer(api_key="the-right-one") as server:
        error = failure("libre", server.url)
    assert "set LIBRETRANSLATE_API_KEY" in str(error)


@pytest.mark.parametrize("status", [429, 500, 503])
def test_libre_error_status_is_stated(server: LibreServer, status: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)
    server.status = status
    error = failure("libre", server.url)
    assert type(error) is EngineError
    assert f"HTTP {status}" in str(error)
    assert "the test server answers" in str(error)  # the server's own "error" text


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"<html>Bad Gateway</html>", "not JSON"),
        (b'{"result": "Hello"}', "no translation"),
        (b"{}", "no translation"),
        (b'{"translatedText": null}', "no translation"),
    ],
)
def test_libre_unreadable_answer(server: LibreServer, body: bytes, says: str) -> None:
    server.body = body
    assert says in str(failure("libre", server.url))


def test_slow_server_is_unreachable_within_the_timeout(server: LibreServer) -> None:
    server.delay = 10.0
    started = time.monotonic()
    error = failure("libre", server.url, timeout=0.5)
    assert time.monotonic() - started < 5  # would hang for the whole delay without a timeout
    assert isinstance(error, EngineUnreachable)
    assert "no answer within 0.5 s" in str(error)


def test_closed_port_is_unreachable(closed_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)  # requests puts it in its message
    error = failure("libre", closed_url)
    assert isinstance(error, EngineUnreachable)
    assert str(error).startswith(f"cannot reach libre at {closed_url}: ")
    assert "refused" in str(error).lower()


def test_unknown_host_is_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> NoReturn:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # no DNS query leaves the machine
    error = failure("libre", "http://mt.example.invalid:5000/")
    assert isinstance(error, EngineUnreachable)
    assert str(error) == ("cannot reach libre at http://mt.example.invalid:5000/: Name or service not known")


def test_request_errors_are_scrubbed(server: LibreServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)

    def fail(method: str, url: str, **kwargs: Any) -> requests.Response:
        raise requests.TooManyRedirects(f"Exceeded redirects: {url}?api_key={KEY}&q=x {KEY}")

    monkeypatch.setattr(requests, "request", fail)
    error = failure("libre", server.url)
    assert "Exceeded redirects" in str(error)


def test_blank_text_is_not_sent(server: LibreServer) -> None:
    engine = create_engine("libre", "ko", "en", url=server.url)
    assert engine.translate("") == ""
    assert engine.translate(" \n") == " \n"
    assert server.received == []


# --- google ---------------------------------------------------------------------------------


def test_google_translates_through_the_page_it_scrapes(server: LibreServer) -> None:
    engine = create_engine("google", "ko", "en", url=server.google_url)
    assert engine.name == "google"
    assert engine.translate("치과 진료 안내") == "Dental care guide"
    (sent,) = server.received
    assert (sent.method, sent.path) == ("GET", "/m")
    assert sent.query == {"q": "치과 진료 안내", "sl": "ko", "tl": "en"}


def test_google_keeps_chinese_code(server: LibreServer) -> None:
    create_engine("google", "ko", "zh-CN", url=server.google_url).translate("안녕하세요")
    assert server.received[0].query["tl"] == "zh-CN"


def test_google_echo_of_text_without_letters_is_the_translation(server: LibreServer) -> None:
    assert create_engine("google", "ko", "en", url=server.google_url).translate("…") == "…"


@pytest.mark.parametrize("status", [429, 500])
def test_google_error_status_is_stated(server: LibreServer, status: int) -> None:
    server.status = status
    assert f"HTTP {status}" in str(failure("google", server.google_url))


def test_google_page_without_translation(server: LibreServer) -> None:
    server.body = b"<html><body>Sorry</body></html>"
    assert "no translation" in str(failure("google", server.google_url))


def test_google_text_too_long(server: LibreServer) -> None:
    assert "too long" in str(failure("google", server.google_url, text="가" * 5000))
    assert server.received == []


# --- the test server itself ----------------------------------------------------------------


def test_server_accepts_form_and_json_like_libretranslate(server: LibreServer) -> None:
    params = {"q": "감사합니다", "source": "ko", "target": "en"}
    assert requests.post(server.url + "translate", data=params, timeout=5).json() == {"translatedText": "Thank you"}
    assert requests.post(server.url + "translate", json=params, timeout=5).ok
    assert server.received[-1].params == params
    languages = requests.get(server.url + "languages", timeout=5).json()
    assert {"ko", "en"} <= {language["code"] for language in languages}


# --- engines and settings -------------------------------------------------------------------


def test_unknown_engine_lists_the_known_ones() -> None:
    assert {"libre", "google"} <= set(ENGINE_NAMES)
    with pytest.raises(EngineError, match="unknown engine 'deepl': choose one of libre, google"):
        create_engine("deepl", "ko", "en")


@pytest.mark.parametrize(("name", "source", "target"), [("libre", "ko", "xx"), ("google", "zz", "en")])
def test_unsupported_language(name: str, source: str, target: str) -> None:
    with pytest.raises(EngineError, match=f"{name} cannot translate {source} to {target}"):
        create_engine(name, source, target)


@pytest.mark.parametrize("url", ["ftp://example.org/", "127.0.0.1:5000", "http://"])
def test_server_url_must_be_http(url: str) -> None:
    with pytest.raises(EngineError, match="http:// or https://"):
        create_engine("libre", "ko", "en", url=url)


def test_timeout_must_be_positive() -> None:
    with pytest.raises(EngineError, match="timeout"):
        create_engine("libre", "ko", "en", timeout=0)


def test_timeout_is_added_only_inside_deep_translator(monkeypatch: pytest.MonkeyPatch) -> None:
    assert dt_libre.requests is not requests
    assert requests.post.__module__ == "requests.api"  # the global module is untouched
    seen: list[object] = []

    def record(method: str, url: str, **kwargs: Any) -> requests.Response:
        seen.append(kwargs.get("timeout"))
        return requests.Response()

    monkeypatch.setattr(requests, "request", record)
    dt_libre.requests.post("http://127.0.0.1:9/")
    dt_libre.requests.post("http://127.0.0.1:9/", timeout=3)
    assert seen == [DEFAULT_TIMEOUT, 3]
