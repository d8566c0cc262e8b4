"""translate.engines through deep-translator's real code paths, against local servers only."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, NoReturn

import pytest
import requests
from deep_translator import libre as dt_libre
from deep_translator.constants import BASE_URLS

from tests.mt_server import LibreServer, Scripted
from translate.engines import (
    DEFAULT_TIMEOUT,
    ENGINE_NAMES,
    EngineBusy,
    EngineRefused,
    EngineUnreachable,
    Gate,
    RetryPolicy,
    Stopped,
    _retry_after,
    create_engine,
    translate_with_retries,
)
from translate.engines.transport import error_detail
from translate.errors import EngineError

KEY = "s3cret-Key/+="


pytestmark = pytest.mark.usefixtures("local_mt_only")


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


def test_libre_uses_the_public_server_only_with_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EngineError, match="libre needs a LibreTranslate server: pass --url") as caught:
        create_engine("libre", "ko", "en")  # no request is made
    assert "also needs LIBRETRANSLATE_API_KEY" in str(caught.value)
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
    assert type(error) is EngineBusy  # worth retrying
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

    def fail(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
        raise requests.TooManyRedirects(f"Exceeded redirects: {url}?api_key={KEY}&q=x {KEY}")

    monkeypatch.setattr(requests.Session, "request", fail)
    error = failure("libre", server.url)
    assert "Exceeded redirects" in str(error)


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        ({"error": "Invalid request: unsupported language"}, "Invalid request: unsupported language"),  # LibreTranslate
        ({"error": {"message": "Incorrect API key provided", "code": "x"}}, "Incorrect API key provided"),  # OpenAI
        ({"message": "Quota exceeded"}, "Quota exceeded"),  # DeepL, vLLM
        ({"errorMessage": "Authentication failed", "errorCode": "024"}, "Authentication failed"),  # Papago
        ({"error": {"code": 500}}, None),
        ({"error": " "}, None),
        (["error"], None),
        (None, None),
    ],
)
def test_the_servers_own_words_are_read_from_an_error_answer(answer: object, detail: str | None) -> None:
    assert error_detail(answer) == detail


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


# --- deepl ----------------------------------------------------------------------------------


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> Iterator[LibreServer]:
    """A server that wants KEY, with KEY in every engine's variable."""
    for name in ("DEEPL_API_KEY", "MICROSOFT_API_KEY", "PAPAGO_CLIENT_SECRET"):
        monkeypatch.setenv(name, KEY)
    monkeypatch.setenv("PAPAGO_CLIENT_ID", "clinic-app")
    with LibreServer(api_key=KEY) as running:
        yield running


def test_deepl_sends_korean_codes_and_the_key_in_a_header(keyed: LibreServer) -> None:
    engine = create_engine("deepl", "ko", "en", url=keyed.deepl_url)
    assert engine.translate("감사합니다") == "Thank you"
    (sent,) = keyed.received
    assert (sent.method, sent.path) == ("POST", "/deepl/v2/translate")
    assert sent.params == {"text": "감사합니다", "source_lang": "KO", "target_lang": "EN-US", "tag_handling": "xml"}
    assert sent.headers["Authorization"] == f"DeepL-Auth-Key {KEY}"
    assert sent.query == {}  # neither the key nor the text in the URL


def test_deepl_chinese_and_the_free_api(keyed: LibreServer, monkeypatch: pytest.MonkeyPatch) -> None:
    create_engine("deepl", "ko", "zh-CN", url=keyed.deepl_url).translate("안녕하세요")
    assert keyed.received[0].params["target_lang"] == "ZH-HANS"
    assert create_engine("deepl", "ko", "en").url == "https://api.deepl.com/v2/"  # type: ignore[attr-defined]
    monkeypatch.setenv("DEEPL_API_KEY", "abc:fx")
    assert create_engine("deepl", "ko", "en").url == "https://api-free.deepl.com/v2/"  # type: ignore[attr-defined]


def test_deepl_refused_key_and_used_up_quota_stop_the_engine(
    keyed: LibreServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEEPL_API_KEY", KEY + "-old")
    error = failure("deepl", keyed.deepl_url)
    assert isinstance(error, EngineRefused) and "HTTP 403" in str(error)
    assert KEY not in str(error)
    keyed.status = 456
    assert isinstance(failure("deepl", keyed.deepl_url), EngineRefused)


def test_keyed_engines_name_their_variables() -> None:
    for name, says in [
        ("deepl", "set DEEPL_API_KEY"),
        ("microsoft", "set MICROSOFT_API_KEY"),
        ("papago", "set PAPAGO_CLIENT_ID and PAPAGO_CLIENT_SECRET"),
    ]:
        with pytest.raises(EngineRefused, match=says):
            create_engine(name, "ko", "en")


# --- microsoft ------------------------------------------------------------------------------


def test_microsoft_makes_no_request_until_it_translates(keyed: LibreServer, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("a request at construction")

    monkeypatch.setattr(requests, "request", no_network)
    monkeypatch.setattr(requests.Session, "request", no_network)
    create_engine("microsoft", "ko", "en")  # deep-translator would fetch the language list here


def test_microsoft_sends_the_key_region_and_codes(keyed: LibreServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROSOFT_REGION", "koreacentral")
    engine = create_engine("microsoft", "ko", "zh-CN", url=keyed.microsoft_url)
    assert engine.translate("감사합니다") == "Thank you"
    (sent,) = keyed.received
    assert sent.query == {"api-version": "3.0", "from": "ko", "to": "zh-Hans"}
    assert sent.headers["Ocp-Apim-Subscription-Key"] == KEY
    assert sent.headers["Ocp-Apim-Subscription-Region"] == "koreacentral"
    assert json.loads(sent.body) == [{"text": "감사합니다"}]


def test_microsoft_refused_key(keyed: LibreServer, monkeypatch: pytest.MonkeyPatch, caplog: Any) -> None:
    monkeypatch.setenv("MICROSOFT_API_KEY", "wrong-" + KEY)
    error = failure("microsoft", keyed.microsoft_url)
    assert isinstance(error, EngineRefused) and "not authorized" in str(error)
    assert KEY not in caplog.text


def test_microsoft_timeout_is_not_mistaken_for_an_empty_answer(keyed: LibreServer) -> None:
    keyed.delay = 5.0  # deep-translator swallows the timeout, then fails on the missing answer
    error = failure("microsoft", keyed.microsoft_url, timeout=0.3)
    assert isinstance(error, EngineUnreachable) and error.timed_out


# --- papago ---------------------------------------------------------------------------------


def test_papago_sends_codes_not_language_names(keyed: LibreServer) -> None:
    assert create_engine("papago", "ko", "en", url=keyed.papago_url).translate("안녕하세요") == "Hello"
    (sent,) = keyed.received
    assert sent.params == {"source": "ko", "target": "en", "text": "안녕하세요"}  # not "Korean"
    assert sent.headers["X-NCP-APIGW-API-KEY-ID"] == "clinic-app"
    assert sent.headers["X-NCP-APIGW-API-KEY"] == KEY
    assert not any(h.startswith("X-Naver") for h in sent.headers)


def test_papago_refused_secret_is_not_shown(keyed: LibreServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPAGO_CLIENT_SECRET", "wrong-" + KEY)
    error = failure("papago", keyed.papago_url)
    assert isinstance(error, EngineRefused) and "Authentication Failed" in str(error)


def test_papago_knows_its_languages(keyed: LibreServer) -> None:
    with pytest.raises(EngineError, match="papago cannot translate ko to fi"):
        create_engine("papago", "ko", "fi")
    assert create_engine("papago", "ko", "en").url == "https://papago.apigw.ntruss.com/nmt/v1/translation"  # type: ignore[attr-defined]


# --- mymemory -------------------------------------------------------------------------------


def test_mymemory_sends_its_regional_codes(server: LibreServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYMEMORY_EMAIL", "desk@clinic.example")
    assert create_engine("mymemory", "ko", "en", url=server.mymemory_url).translate("감사합니다") == "Thank you"
    (sent,) = server.received
    assert sent.query == {"q": "감사합니다", "langpair": "ko-KR|en-US", "de": "desk@clinic.example"}


def test_mymemory_quota_warning_is_never_a_translation(server: LibreServer) -> None:
    server.quota_used = True
    error = failure("mymemory", server.mymemory_url)
    assert isinstance(error, EngineRefused)
    assert "quota is used up" in str(error) and "MYMEMORY_EMAIL" in str(error)


def test_mymemory_long_text_is_refused_before_sending(server: LibreServer) -> None:
    assert "too long" in str(failure("mymemory", server.mymemory_url, text="가" * 600))
    assert server.received == []


# --- retries --------------------------------------------------------------------------------

FAST = RetryPolicy(retries=2, base=0.01)


def libre(server: LibreServer, **kwargs: Any) -> Any:
    return create_engine("libre", "ko", "en", url=server.url, **kwargs)


def test_busy_answers_are_retried_until_one_succeeds(server: LibreServer) -> None:
    server.script = [Scripted(500), Scripted(503)]
    assert translate_with_retries(libre(server), "안녕하세요", FAST) == "Hello"
    assert len(server.received) == 3


def test_retries_end_with_the_last_error(server: LibreServer) -> None:
    server.status = 500
    with pytest.raises(EngineBusy, match="HTTP 500"):
        translate_with_retries(libre(server), "안녕하세요", FAST)
    assert len(server.received) == 3


def test_retry_after_is_honoured(server: LibreServer) -> None:
    server.script = [Scripted(429, headers=(("Retry-After", "1"),))]
    started = time.monotonic()
    assert translate_with_retries(libre(server), "안녕하세요", FAST) == "Hello"
    assert time.monotonic() - started >= 1.0  # the backoff alone would be 0.01 s


def test_retry_after_as_a_date_is_understood() -> None:
    assert _retry_after(format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)) == pytest.approx(
        30, abs=2
    )
    assert _retry_after("7") == 7 and _retry_after("soon") is None and _retry_after(None) is None


def test_a_retry_after_too_long_to_wait_gives_up_at_once(server: LibreServer) -> None:
    server.status, server.headers = 429, {"Retry-After": "3600"}
    with pytest.raises(EngineRefused, match="asks to wait 3600 s"):
        translate_with_retries(libre(server), "안녕하세요", FAST)
    assert len(server.received) == 1


@pytest.mark.parametrize("body", [b"{garbage", b'{"translatedText": null}'])
def test_garbage_is_not_retried(server: LibreServer, body: bytes) -> None:
    server.body = body
    with pytest.raises(EngineError) as info:
        translate_with_retries(libre(server), "안녕하세요", FAST)
    assert not isinstance(info.value, EngineBusy | EngineUnreachable)
    assert len(server.received) == 1


def test_refused_connection_is_not_retried(closed_url: str) -> None:
    engine = create_engine("libre", "ko", "en", url=closed_url)
    attempts: list[int] = []
    with pytest.raises(EngineUnreachable):
        translate_with_retries(engine, "안녕하세요", FAST, on_attempt=lambda: attempts.append(1))
    assert len(attempts) == 1


def test_timeouts_are_retried_and_then_given_up(server: LibreServer) -> None:
    server.delay = 10.0
    with pytest.raises(EngineUnreachable, match=r"no answer within 0\.2 s"):
        translate_with_retries(libre(server, timeout=0.2), "안녕하세요", FAST)
    assert len(server.received) == 3


def test_a_stopped_run_stops_waiting(server: LibreServer) -> None:
    server.status, server.headers = 429, {"Retry-After": "60"}
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    with pytest.raises(Stopped):
        translate_with_retries(libre(server), "안녕하세요", FAST, stop=stop)


def test_one_retry_after_holds_every_worker_of_the_engine(server: LibreServer) -> None:
    gate = Gate()
    server.script = [Scripted(429, headers=(("Retry-After", "1"),))]
    translate_with_retries(libre(server), "안녕하세요", FAST, gate=gate)
    gate.hold(0.5)
    started = time.monotonic()
    translate_with_retries(libre(server), "감사합니다", FAST, gate=gate)  # another worker
    assert time.monotonic() - started >= 0.45


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
    assert set(ENGINE_NAMES) == {"libre", "google", "mymemory", "deepl", "microsoft", "papago", "llm"}
    with pytest.raises(EngineError, match="unknown engine 'bing': choose one of libre, google, mymemory, deepl"):
        create_engine("bing", "ko", "en")


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
        create_engine("libre", "ko", "en", url="http://127.0.0.1:9/", timeout=0)


def test_importing_the_engines_changes_nothing_in_deep_translator() -> None:
    code = (
        "import requests, translate.engines\n"
        "from deep_translator import google, libre\n"
        "assert libre.requests is requests and google.requests is requests\n"
        "translate.engines.create_engine('google', 'ko', 'en')\n"
        "assert libre.requests is not requests and google.requests is not requests\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_timeout_is_added_only_inside_deep_translator(monkeypatch: pytest.MonkeyPatch) -> None:
    create_engine("libre", "ko", "en", url="http://127.0.0.1:9/")  # building an engine installs it
    assert dt_libre.requests is not requests
    assert requests.post.__module__ == "requests.api"  # the global module is untouched
    seen: list[object] = []

    def record(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
        seen.append(kwargs.get("timeout"))
        return requests.Response()

    monkeypatch.setattr(requests.Session, "request", record)
    dt_libre.requests.post("http://127.0.0.1:9/")
    dt_libre.requests.post("http://127.0.0.1:9/", timeout=3)
    assert seen == [DEFAULT_TIMEOUT, 3]
