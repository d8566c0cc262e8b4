"""The llm engine (OpenAI-compatible chat completions) through its real request code, against a
local imitation of the API (tests/llm_server.py) that misbehaves the way models do in the wild."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from tests.helpers import cli as run
from tests.helpers import demo_copy, make_project
from tests.llm_server import REFUSAL, Call, LLMServer, Reply, english
from tests.mt_server import LibreServer, romanize
from translate.engines import EngineBusy, EngineRefused, EngineUnreachable, RetryPolicy, create_engine, with_retries
from translate.errors import EngineError
from translate.llm import Batch, Context, GlossaryEntry, LLMOptions, answer_problem, parse_answer

GLOSSARY = """\
terms:
  - ko: 특징
    en: feature
    forbidden: {en: [characteristic, trait]}
    note: not "trait"
  - ko: 엠페이스
    en: Emface
    keep: true
  - ko: 부작용
    en: side effects
"""
TITLE = "엠페이스 안내"
SENTENCES = [
    "엠페이스의 특징은 무엇일까요?",
    "시술 시간은 약 30분입니다.",
    "부작용은 드뭅니다.",
    "예약은 전화로 해 주세요.",
    "자세한 내용은 [상담](/consult)에서 확인하세요.",
]
ARTICLE = f"---\ntitle: {TITLE}\n---\n\n" + "\n\n".join(SENTENCES) + "\n"
QUESTION = SENTENCES[0]
SETTINGS = '[tool.translate]\nretries = 1\n\n[tool.translate.llm]\nmodel = "test-model"\n'


pytestmark = pytest.mark.usefixtures("local_mt_only")


@pytest.fixture
def server() -> Iterator[LLMServer]:
    with LLMServer() as running:
        yield running


def site(tmp_path: Path, settings: str = SETTINGS, articles: dict[str, str] | None = None) -> Path:
    root = make_project(tmp_path / "site", articles=articles or {"care": ARTICLE}, settings=settings, glossary=GLOSSARY)
    assert run(root, "extract")[0] == 0
    return root


def drafts(root: Path, slug: str = "care") -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(root / "po" / "en" / f"{slug}.po"))}


def engine(server: LLMServer, **options: object) -> object:
    return create_engine("llm", "ko", "en", url=server.url, timeout=2, options=LLMOptions(model="m", **options))  # type: ignore[arg-type]


# --- the request ----------------------------------------------------------------------------


def test_a_request_carries_languages_context_glossary_placeholders_and_style(
    tmp_path: Path, server: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", "sk-test")
    style = 'style = { en = "Plain US English; no superlatives (Korean medical-advertising rules)." }\n'
    root = site(tmp_path, SETTINGS + style)
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 0, output
    (call,) = server.received
    body, payload = call.body, call.payload
    assert body["model"] == "test-model" and body["temperature"] == 0 and body["stream"] is True
    assert call.headers["Authorization"] == "Bearer sk-test"
    assert "from Korean into English" in call.system and "Answer with JSON only" in call.system
    assert payload["source_language"] == "ko" and payload["target_language"] == "en"
    assert "title" not in payload  # the title is the first segment of the batch
    assert payload["style"].startswith("Plain US English")
    assert [s["id"] for s in payload["segments"]] == ["1", "2", "3", "4", "5", "6"]
    assert call.texts == [TITLE, *SENTENCES[:4], "자세한 내용은 ⟦0⟧상담⟦1⟧에서 확인하세요."]
    assert payload["segments"][5]["placeholders"] == ["⟦0⟧", "⟦1⟧"]
    glossary = {entry["source"]: entry for entry in payload["glossary"]}
    assert glossary["특징"] == {
        "source": "특징",
        "target": "feature",
        "forbidden": ["characteristic", "trait"],
        "note": 'not "trait"',
    }
    assert glossary["엠페이스"] == {"source": "엠페이스", "target": "Emface", "keep": True}
    assert set(glossary) == {"특징", "엠페이스", "부작용"}
    entries = drafts(root)
    assert (
        entries[SENTENCES[2]].msgstr == english("side effects 은 드뭅니다.")
        and "origin: mt:llm" in entries[SENTENCES[2]].comment
    )
    assert entries[SENTENCES[4]].msgstr == "EN jasehan naeyongeun [sangdam](/consult)eseo hwakinhaseyo."  # markup back


def test_no_key_is_sent_to_a_local_server(tmp_path: Path, server: LLMServer) -> None:
    root = site(tmp_path)
    assert run(root, "draft", "--engine", "llm", "--url", server.url)[0] == 0
    assert "Authorization" not in server.received[0].headers


def test_batches_follow_the_article_with_context_and_repeats_are_sent_once(tmp_path: Path, server: LLMServer) -> None:
    shared = "예약은 전화로 해 주세요."
    articles = {
        "a": "\n\n".join(f"첫 글의 {n}번째 문장입니다." for n in range(5)) + f"\n\n{shared}\n",
        "b": f"둘째 글입니다.\n\n{shared}\n",
    }
    root = site(tmp_path, SETTINGS + "batch_size = 4\n", articles)
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 0, output
    batches = sorted(call.texts for call in server.received)  # the requests go out in parallel
    assert batches == sorted(
        [
            [f"첫 글의 {n}번째 문장입니다." for n in range(4)],
            ["첫 글의 4번째 문장입니다.", shared],
            ["둘째 글입니다."],  # the shared sentence was sent with article a, once
        ]
    )
    second = next(call.payload for call in server.received if call.texts[0] == "첫 글의 4번째 문장입니다.")
    assert second["title"] == "첫 글의 0번째 문장입니다."
    assert second["context_before"] == ["첫 글의 2번째 문장입니다.", "첫 글의 3번째 문장입니다."]
    assert "context_after" not in second
    assert drafts(root, "b")[shared].msgstr == english(shared)
    assert "llm: 7 texts" in output and "3 requests" in output
    assert run(root, "draft", "--engine", "llm", "--url", server.url, "--redraft", "--origin", "tm")[0] == 0
    assert len(server.received) == 3  # a second run finds everything drafted: nothing is sent


def test_answers_are_cached_per_model(tmp_path: Path, server: LLMServer) -> None:
    root = site(tmp_path)
    assert run(root, "draft", "--engine", "llm", "--url", server.url)[0] == 0
    for path in (root / "po").rglob("*.po"):
        path.unlink()
    assert run(root, "extract")[0] == 0
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 0 and len(server.received) == 1 and "6 from the MT cache" in output
    (root / "pyproject.toml").write_text(SETTINGS.replace("test-model", "other-model"), encoding="utf-8")
    for path in (root / "po").rglob("*.po"):
        path.unlink()
    assert run(root, "extract")[0] == 0
    assert run(root, "draft", "--engine", "llm", "--url", server.url)[0] == 0
    assert len(server.received) == 2  # another model is asked


# --- failure modes seen in the wild ---------------------------------------------------------


def test_an_answer_out_of_order_is_matched_by_id(tmp_path: Path, server: LLMServer) -> None:
    server.reverse = True
    root = site(tmp_path)
    assert run(root, "draft", "--engine", "llm", "--url", server.url)[0] == 0
    assert len(server.received) == 1
    assert drafts(root)[SENTENCES[1]].msgstr == english(SENTENCES[1])
    assert drafts(root)[SENTENCES[3]].msgstr == english(SENTENCES[3])


def test_an_item_left_out_is_asked_for_alone(tmp_path: Path, server: LLMServer) -> None:
    server.drop = lambda text, call: text == SENTENCES[1] and len(call.texts) > 1
    root = site(tmp_path)
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 0, output
    assert [call.texts for call in server.received][1] == [SENTENCES[1]]
    retry = server.received[1].payload
    assert retry["context_before"] == [TITLE, SENTENCES[0]] and retry["context_after"] == SENTENCES[2:4]
    assert drafts(root)[SENTENCES[1]].msgstr == english(SENTENCES[1])


def answered(text: str, call: Call) -> str | None:
    return "Its key feature is that it is painless and has no downtime." if text == QUESTION else None


def test_a_question_answered_instead_of_translated_goes_to_the_next_engine(tmp_path: Path, server: LLMServer) -> None:
    server.answer = answered
    with LibreServer(translate=lambda q, s, t: "What is the feature of Emface?") as libre:
        settings = SETTINGS.replace("retries = 1", f"retries = 1\nengine_urls = {{ libre = '{libre.url}' }}")
        root = site(tmp_path, settings)
        code, output = run(root, "draft", "--engine", "llm", "--engine", "libre", "--url", server.url)
    assert code == 0, output
    assert [len(call.texts) for call in server.received] == [6, 1]  # retried alone once
    assert [r.text for r in libre.received] == [QUESTION]
    entry = drafts(root)[QUESTION]
    assert entry.msgstr == "What is the feature of Emface?" and "origin: mt:libre" in entry.comment
    assert "llm: 5 texts" in output and "2 answers were not translations" in output


def test_a_segment_no_engine_translates_is_listed_with_the_reason(tmp_path: Path, server: LLMServer) -> None:
    server.answer = answered
    root = site(tmp_path)
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 1
    assert "the question was answered or changed, not translated" in output
    assert drafts(root)[QUESTION].msgstr == ""
    assert drafts(root)[SENTENCES[1]].msgstr == english(SENTENCES[1])  # the rest of the batch is drafted


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("You have {개수} bookings left.", "the placeholders changed (sent {count}, got {개수})"),
        ("You have {number} bookings left.", "the placeholders changed"),
        ('"You have {count} bookings left."', "the answer adds quotation marks"),
        ("Here is the translation: You have {count} bookings left.", "the answer adds words of its own"),
        ("You have {count} bookings left. (Note: 건 is a counter.)", "Korean is left in the answer"),
        ("You have {count} bookings left. (Note: a counter word.)", "the answer adds a note"),
        ("You have {count} bookings left.\nTranslator's note: literal.", "the answer adds"),
        (REFUSAL, "the answer adds words of its own"),
    ],
)
def test_a_changed_placeholder_or_added_words_are_refused(
    tmp_path: Path, server: LLMServer, answer: str, reason: str
) -> None:
    text = "남은 예약은 {count}건입니다."
    server.answer = lambda t, call: answer if t == text else None
    root = site(tmp_path, articles={"care": f"첫 문장입니다.\n\n{text}\n"})
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 1 and reason in output
    assert [call.texts for call in server.received] == [["첫 문장입니다.", text], [text]]
    assert drafts(root)[text].msgstr == ""


def test_a_placeholder_kept_byte_for_byte_passes(tmp_path: Path, server: LLMServer) -> None:
    text = "남은 예약은 {count}건입니다."
    server.answer = lambda t, call: "You have {count} bookings left." if t == text else None
    root = site(tmp_path, articles={"care": f"{text}\n"})
    assert run(root, "draft", "--engine", "llm", "--url", server.url)[0] == 0
    assert drafts(root)[text].msgstr == "You have {count} bookings left."


def test_json_cut_off_at_the_token_limit_is_asked_again_item_by_item(tmp_path: Path, server: LLMServer) -> None:
    server.cut_off = lambda call: len(call.texts) > 1
    root = site(tmp_path)
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 0, output
    assert [len(call.texts) for call in server.received] == [6, 1, 1, 1, 1, 1, 1]
    assert drafts(root)[SENTENCES[3]].msgstr == english(SENTENCES[3])


def test_a_cut_off_answer_is_never_half_used(server: LLMServer) -> None:
    server.cut_off = lambda call: True
    answer = engine(server).translate_batch(Batch(("가나다", "라마바")))  # type: ignore[attr-defined]
    assert answer.texts == {} and answer.problem == "the answer was cut off at the token limit"


@pytest.mark.parametrize("field", [False, True])
def test_a_refusal_is_a_failure_of_that_engine(tmp_path: Path, server: LLMServer, field: bool) -> None:
    server.refuse = lambda call: QUESTION in call.texts
    server.refusal_field = field
    root = site(tmp_path)
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 1
    assert ("the model refused: I'm sorry" if field else "the answer is not the JSON asked for") in output
    assert drafts(root)[QUESTION].msgstr == "" and drafts(root)[SENTENCES[1]].msgstr == english(SENTENCES[1])


def test_429_with_retry_after_is_waited_for(tmp_path: Path, server: LLMServer) -> None:
    server.script = [Reply(429, (("Retry-After", "1"),))]
    root = site(tmp_path)
    started = time.monotonic()
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 0, output
    assert time.monotonic() - started >= 1.0
    assert len(server.received) == 2 and "2 requests" in output


def test_429_retry_after_through_the_engine(server: LLMServer) -> None:
    server.script = [Reply(429, (("Retry-After", "7"),))]
    with pytest.raises(EngineBusy, match="HTTP 429 \\(too many requests\\): Rate limit") as caught:
        engine(server).translate("가나다")  # type: ignore[attr-defined]
    assert caught.value.retry_after == 7.0


def test_a_slow_stream_that_keeps_coming_is_read_to_the_end(server: LLMServer) -> None:
    server.chunk_delay = 0.15  # every piece within the 2 s timeout, the whole answer much longer
    started = time.monotonic()
    answer = engine(server).translate_batch(Batch(tuple(f"{n}번째 긴 문장을 천천히 번역합니다." for n in range(8))))  # type: ignore[attr-defined]
    assert time.monotonic() - started > 2.5
    assert answer.problem is None and len(answer.texts) == 8


def test_a_stalled_stream_times_out_and_is_retried(server: LLMServer) -> None:
    server.script = [Reply(stall=3.0)]
    llm = engine(server)
    with pytest.raises(EngineUnreachable, match="no answer within 2 s") as caught:
        llm.translate("가나다")  # type: ignore[attr-defined]
    assert caught.value.timed_out
    server.script = [Reply(stall=3.0)]
    policy = RetryPolicy(retries=1, base=0.01)
    assert with_retries(lambda: llm.translate("가나다"), policy) == english("가나다")  # type: ignore[attr-defined]


def test_a_stream_past_the_deadline_is_cut(server: LLMServer) -> None:
    server.chunk_delay = 0.2
    with pytest.raises(EngineUnreachable, match="the answer took longer than 1 s"):
        engine(server, deadline=1.0).translate_batch(Batch(tuple(f"{n}번 문장" for n in range(6))))  # type: ignore[attr-defined]


def test_a_server_that_does_not_stream_is_read_too(server: LLMServer) -> None:
    llm = engine(server)
    body = llm.request_body  # type: ignore[attr-defined]
    llm.request_body = lambda batch: {**body(batch), "stream": False}  # type: ignore[attr-defined]
    assert llm.translate("감사합니다") == english("감사합니다")  # type: ignore[attr-defined]


def test_a_refused_key_is_named_never_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_API_KEY", "sk-wrong-secret")
    with LLMServer(api_key="sk-right") as server:
        with pytest.raises(EngineRefused) as caught:
            engine(server).translate("가나다")  # type: ignore[attr-defined]
        assert "sk-wrong-secret" not in str(caught.value) and "HTTP 401" in str(caught.value)
        root = site(tmp_path)
        code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 3 and "sk-wrong-secret" not in output and "Incorrect API key provided" in output


def test_an_unreachable_endpoint_is_exit_code_3(tmp_path: Path) -> None:
    root = site(tmp_path)
    code, output = run(root, "draft", "--engine", "llm", "--url", "http://127.0.0.1:9/v1")
    assert code == 3 and "cannot reach llm at http://127.0.0.1:9/v1/chat/completions" in output


# --- set-up ---------------------------------------------------------------------------------


def test_the_demo_drafts_end_to_end_with_a_local_server(tmp_path: Path, server: LLMServer) -> None:
    """`translate draft --engine llm --url http://127.0.0.1:…/v1` on the demo, no other set-up:
    the server's only model is used."""
    root = demo_copy(tmp_path)
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 0, output
    assert {call.body["model"] for call in server.received} == {"local-model"}
    po = {e.msgid: e for e in polib.pofile(str(root / "po" / "en" / "ulthera-before-after-care.po"))}
    drafted = [e for e in po.values() if "origin: mt:llm" in e.comment]
    assert len(drafted) >= 10 and all(e.fuzzy and e.msgstr for e in drafted)
    assert all("[error]" not in e.comment for e in drafted), [e.comment for e in drafted]
    code, output = run(root, "review", "list", "--article", "ulthera-before-after-care")
    assert code == 0 and "mt:llm" in output


def test_a_server_with_several_models_asks_for_one(tmp_path: Path) -> None:
    with LLMServer(models=("qwen2.5:7b", "llama3.1:8b")) as server:
        root = site(tmp_path, "[tool.translate]\nretries = 0\n")
        code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 3
    assert "serves 2 models (qwen2.5:7b, llama3.1:8b): set model in [tool.translate.llm] or LLM_MODEL" in output


def test_no_endpoint_says_how_to_give_one(tmp_path: Path) -> None:
    root = site(tmp_path)
    code, output = run(root, "draft", "--engine", "llm")
    assert code == 3 and "pass --url" in output and "LLM_BASE_URL" in output


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ("modle = 'x'", "unknown setting(s) modle"),
        ("batch_size = 0", "batch_size must be a whole number, 1 or more"),
        ("input_price = -1", "input_price must be a number, 0 or more"),
        ("style = 'formal'", "style must map a language to a note"),
    ],
)
def test_bad_llm_settings_name_the_file(tmp_path: Path, table: str, says: str) -> None:
    root = site(tmp_path)
    (root / "pyproject.toml").write_text(f"[tool.translate.llm]\n{table}\n", encoding="utf-8")
    code, output = run(root, "draft", "--engine", "llm", "--dry-run")
    assert code == 2 and "pyproject.toml" in output and says in output
    assert run(root, "status")[0] == 2  # every command refuses it, not only draft


def test_dry_run_estimates_tokens_times_price_and_sends_nothing(tmp_path: Path, server: LLMServer) -> None:
    prices = "input_price = 2500\noutput_price = 10000\nbatch_size = 4\n"
    root = site(tmp_path, SETTINGS + prices)
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url, "--dry-run")
    assert code == 0, output
    assert server.received == []
    line = next(line for line in output.splitlines() if line.startswith("  llm:"))
    found = re.search(r"cost ([\d.]+) USD \(2 requests of about ([\d,]+) prompt and ([\d,]+) completion tokens", line)
    assert found is not None and "at 2500 and 10000 USD per million" in line, line
    prompt, completion = (int(found.group(n).replace(",", "")) for n in (2, 3))
    assert prompt > 500 and completion > 0
    assert float(found.group(1)) == round((prompt * 2500 + completion * 10000) / 1e6, 2)
    assert run(root, "draft", "--engine", "llm", "--url", server.url)[0] == 0
    assert len(server.received) == 2


# --- validation, unit by unit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "answer", "problem"),
    [
        ("시술 후 ⟦0⟧ 참고하세요.", "After the procedure, see ⟦0⟧.", None),
        ("시술 후 ⟦0⟧ 참고하세요.", "After the procedure, see the link.", "placeholders changed"),
        ("⟦0⟧와 ⟦1⟧", "⟦1⟧ and ⟦0⟧", None),  # reordered tokens are fine
        ("아픈가요?", "Does it hurt?", None),
        ("아픈가요?", "It does not hurt.", "question was answered"),
        ("“엠페이스”란?", "What is “Emface”?", None),
        ("안내", "“Guide”", "adds quotation marks"),
        ("“안내”", "“Guide”", None),
        ("안내", "Sure! Guide", "adds words of its own"),
        ("안내", "Translation: Guide", "adds words of its own"),
        ("안내", "Guide 안내", "Korean is left"),
        ("짧다", "x" * 200, "far longer"),
    ],
)
def test_answer_problems(source: str, answer: str, problem: str | None) -> None:
    found = answer_problem(source, answer, "en")
    assert (found is None) if problem is None else (found is not None and problem in found), found


def test_parse_answer_accepts_a_fenced_json_and_ignores_unknown_ids() -> None:
    content = (
        '```json\n{"translations": [{"id": "2", "text": "B"}, {"id": "9", "text": "X"}, {"id": "1", "text": "A"}]}\n```'
    )
    assert parse_answer(content, 2) == ({0: "A", 1: "B"}, None)
    assert parse_answer('{"1": "A"}', 2) == ({0: "A"}, None)
    assert parse_answer("Sorry.", 2)[1] == "the answer is not the JSON asked for (Sorry.)"


def test_glossary_entry_json_is_minimal() -> None:
    assert GlossaryEntry("피부", "skin").as_json() == {"source": "피부", "target": "skin"}


def test_the_servers_token_usage_is_counted_else_estimated(server: LLMServer) -> None:
    llm = engine(server)
    answer = llm.translate_batch(Batch(("가나다", "라마"), Context("제목")))  # type: ignore[attr-defined]
    assert answer.completion_tokens == 14 and answer.prompt_tokens > 1000
    server.usage = False
    answer = llm.translate_batch(Batch(("가나다", "라마"), Context("제목")))  # type: ignore[attr-defined]
    assert (answer.prompt_tokens, answer.completion_tokens) == llm.estimate(Batch(("가나다", "라마"), Context("제목")))  # type: ignore[attr-defined]


def test_a_bad_status_is_an_engine_error(server: LLMServer) -> None:
    server.script = [Reply(400)]
    with pytest.raises(EngineError, match="HTTP 400"):
        engine(server).translate("가나다")  # type: ignore[attr-defined]


# --- glossary compliance --------------------------------------------------------------------


def test_the_summary_compares_engines_on_glossary_compliance(tmp_path: Path, server: LLMServer) -> None:
    """The model obeys the glossary it was sent; the other engine leaves 부작용 in Korean (repaired)
    and never writes Emface or side effects: 3 of 3 against 0 of 3, with 1 repair."""
    root = site(tmp_path)
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url)
    assert code == 0, output
    assert (
        "    glossary: 3 of 3 drafts with glossary terms used every one as it came (100%); 0 Korean terms repaired"
        in output
    )

    def blind(q: str, source: str, target: str) -> str:
        return romanize(q.replace("부작용", "@ ")).replace("@", "부작용")

    other = site(tmp_path / "other")
    with LibreServer(translate=blind) as libre:
        code, output = run(other, "draft", "--engine", "libre", "--url", libre.url, "--json")
    assert code == 0, output
    report = json.loads(output)
    (use,) = report["engines"]
    assert use["engine"] == "libre" and use["segments"] == 6
    assert use["glossary"] == {"segments": 3, "followed": 0, "share": 0.0, "repairs": 1}
    entry = drafts(other)[SENTENCES[2]]
    assert entry.msgstr.startswith("Side effects") and 'replaced untranslated "부작용"' in entry.comment


def test_draft_json_reports_failures_and_llm_tokens(tmp_path: Path, server: LLMServer) -> None:
    server.answer = answered
    root = site(tmp_path)
    code, output = run(root, "draft", "--engine", "llm", "--url", server.url, "--json")
    assert code == 1
    report = json.loads(output[: output.rindex("}") + 1])
    assert report["from_engine"] == 5 and report["left"] == 1
    (failure,) = report["failures"]
    assert failure["source"] == QUESTION and "question was answered" in failure["reason"]
    (use,) = report["engines"]
    assert use["prompt_tokens"] > 1000 and use["completion_tokens"] == 7 * 6 + 7 and use["requests"] == 2
