"""Answers that are not translations are failures, and `draft --redraft` asks again for chosen drafts.

Every test drives `translate draft` through the CLI against the local MT server (tests/mt_server.py)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from tests.helpers import cli as run
from tests.helpers import make_project
from tests.mt_server import ECHO, EMPTY, KOREAN, LibreServer, romanize
from translate.draft import refusal
from translate.model import segment_id
from translate.mtcache import MTCache

FIRST = "첫 번째 글입니다."
SECOND = "두 번째 글입니다."
SHARED = "예약은 전화로 해 주세요."
ARTICLES = {"first": f"{FIRST}\n\n{SHARED}\n", "second": f"{SECOND}\n\n{SHARED}\n"}
REASONS = {
    ECHO: "not a translation: the answer is the Korean text unchanged",
    EMPTY: "not a translation: the answer is empty",
    KOREAN: "not a translation: the answer is still Korean",
}


pytestmark = pytest.mark.usefixtures("local_mt_only")


def site(tmp_path: Path, settings: str | None = "[tool.translate]\nretries = 0\n") -> Path:
    root = make_project(tmp_path / "site", articles=ARTICLES, settings=settings)
    assert run(root, "extract")[0] == 0
    return root


def po(root: Path, slug: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(root / "po" / "en" / f"{slug}.po"))}


def cached(root: Path, engine: str, text: str) -> str | None:
    cache = MTCache.for_root(root, readonly=True)
    try:
        return cache.get(engine, "ko", "en", text)
    finally:
        cache.close()


def sent(server: LibreServer) -> list[str]:
    return sorted(r.text for r in server.received)


# --- answers that are not translations ----------------------------------------------------------


@pytest.mark.parametrize("kind", [ECHO, EMPTY, KOREAN])
def test_an_answer_that_is_not_a_translation_fails_that_segment(tmp_path: Path, kind: str) -> None:
    root = site(tmp_path)
    with LibreServer() as server:
        server.misanswer, server.misanswer_for = kind, lambda q: q == SECOND
        code, out = run(root, "draft", "--url", server.url)
    assert code == 1, out
    assert f"failed: second [en] {segment_id(SECOND)}: libre at {server.url}: {REASONS[kind]}" in out
    assert "3 by machine translation, 1 left untranslated" in out and "1 answer was not a translation" in out
    assert po(root, "second")[SECOND].msgstr == "" and not po(root, "second")[SECOND].fuzzy
    assert po(root, "second")[SHARED].msgstr == "Please book by phone."
    assert cached(root, "libre", SECOND) is None and cached(root, "libre", FIRST) == romanize(FIRST)
    with LibreServer() as server:  # the next run asks again for what failed, and only that
        code, out = run(root, "draft", "--url", server.url)
    assert code == 0 and sent(server) == [SECOND]
    assert po(root, "second")[SECOND].msgstr == romanize(SECOND)


def test_an_engine_answering_nothing_but_echoes_is_listed_text_by_text(tmp_path: Path) -> None:
    root = site(tmp_path)
    with LibreServer() as server:
        server.misanswer = ECHO
        code, out = run(root, "draft", "--url", server.url)
    assert code == 1, out  # the engine answers: it is not unreachable (that would be 3)
    assert out.count(REASONS[ECHO]) == 4 and "0 by machine translation, 4 left untranslated" in out
    assert "3 answers were not translations" in out  # one request per distinct text
    assert all(e.msgstr == "" for slug in ARTICLES for e in po(root, slug).values())
    assert len(MTCache.for_root(root)) == 0


@pytest.mark.parametrize("kind", [ECHO, EMPTY, KOREAN])
def test_the_next_engine_of_the_chain_translates_what_the_first_did_not(tmp_path: Path, kind: str) -> None:
    with LibreServer() as libre, LibreServer() as google:
        libre.misanswer = kind
        settings = f"""[tool.translate]
engines = ["libre", "google"]
engine_urls = {{ libre = "{libre.url}", google = "{google.google_url}" }}
"""
        root = site(tmp_path, settings)
        code, out = run(root, "draft")
    assert code == 0, out
    assert sent(libre) == sent(google) == sorted([FIRST, SECOND, SHARED])
    entry = po(root, "first")[FIRST]
    assert entry.msgstr == romanize(FIRST) and "origin: mt:google" in entry.comment
    assert cached(root, "libre", FIRST) is None and cached(root, "google", FIRST) == romanize(FIRST)


def test_a_cached_answer_that_is_not_a_translation_is_asked_for_again(tmp_path: Path) -> None:
    root = site(tmp_path)
    cache = MTCache.for_root(root)
    cache.put("libre", "ko", "en", FIRST, FIRST)  # what an older version kept
    cache.put("libre", "ko", "en", SHARED, "Please call us.")
    cache.close()
    with LibreServer() as server:
        code, out = run(root, "draft", "--url", server.url)
    assert code == 0, out
    assert sent(server) == sorted([FIRST, SECOND]) and "2 from the MT cache" in out
    assert po(root, "first")[FIRST].msgstr == romanize(FIRST) and cached(root, "libre", FIRST) == romanize(FIRST)


def test_a_korean_word_left_in_an_english_answer_is_a_draft_for_the_checks(tmp_path: Path) -> None:
    root = site(tmp_path)
    with LibreServer(translate=lambda q, s, t: "This is our 첫 article." if q == FIRST else romanize(q)) as server:
        code, out = run(root, "draft", "--url", server.url)
    assert code == 0, out
    entry = po(root, "first")[FIRST]
    assert entry.msgstr == "This is our 첫 article." and entry.fuzzy
    assert "[error] untranslated-korean: Korean text left untranslated: 첫" in entry.comment


@pytest.mark.parametrize(
    ("text", "answer", "lang", "refused"),
    [
        ("첫 번째 ⟦0⟧글⟦1⟧입니다.", "⟦0⟧ ⟦1⟧ .", "en", "empty"),
        ("첫 번째 글입니다.", "  첫 번째   글입니다. ", "en", "unchanged"),
        ("RF와 HIFES", "RF와  HIFES", "en", "unchanged"),  # a little Korean among Latin letters: still an echo
        ("첫 번째 글입니다.", "첫 번째 글입니다, it is.", "en", "still Korean"),
        ("첫 번째 글입니다.", "最初の 글입니다.", "ja", "still Korean"),
        ("엠페이스의 특징은 3가지입니다.", "Emface has three 특징.", "en", None),
        ("HIFES", "HIFES", "en", None),  # nothing Korean to translate: the same text is right
        ("…", "…", "en", None),
        ("⟦0⟧", "⟦0⟧", "en", None),
        ("첫 번째 글입니다.", "첫 번째 글입니다.", "ko", None),
    ],
)
def test_which_answers_are_refused(text: str, answer: str, lang: str, refused: str | None) -> None:
    why = refusal(text, answer, lang)
    assert (why is None) if refused is None else (why is not None and refused in why)


# --- --redraft ----------------------------------------------------------------------------------


def drafted_site(tmp_path: Path) -> Path:
    """first: FIRST approved by a reviewer, SHARED from MT; second: SHARED from translation memory
    (FIRST's article approved it), SECOND from MT with a Korean word left (an untranslated-korean error)."""
    root = site(tmp_path)
    assert run(root, "review", "edit", segment_id(SHARED), "--text", "Call us to book.", "--article", "first")[0] == 0

    def engine(q: str, source: str, target: str) -> str:
        return "This is the 두 번째 article." if q == SECOND else romanize(q)

    with LibreServer(translate=engine) as server:
        assert run(root, "draft", "--url", server.url)[0] == 0
    assert run(root, "review", "approve", segment_id(FIRST), "--reviewer", "Kim")[0] == 0
    assert "origin: tm" in po(root, "second")[SHARED].comment
    assert "untranslated-korean" in po(root, "second")[SECOND].comment
    return root


def better(q: str, source: str, target: str) -> str:
    return f"Better: {romanize(q)}"


def test_redraft_asks_the_engine_again_for_every_draft_and_never_touches_approved_ones(tmp_path: Path) -> None:
    root = drafted_site(tmp_path)
    approved = {slug: {k: str(e) for k, e in po(root, slug).items() if not e.fuzzy} for slug in ARTICLES}
    assert run(root, "review", "reject", segment_id(SECOND), "--reason", "Korean left", "--reviewer", "Park")[0] == 0
    with LibreServer(translate=better) as server:
        code, out = run(root, "draft", "--redraft", "--url", server.url)
    assert code == 0, out
    assert sent(server) == sorted([SECOND, SHARED])  # the MT cache has an answer for SECOND: asked all the same
    assert "2 by machine translation (2 existing drafts sent again)" in out
    for slug in ARTICLES:
        entries = po(root, slug)
        assert {k: str(e) for k, e in entries.items() if not e.fuzzy} == approved[slug]
    second = po(root, "second")
    assert second[SECOND].msgstr == better(SECOND, "ko", "en") and "origin: mt:libre" in second[SECOND].comment
    assert "untranslated-korean" not in second[SECOND].comment
    assert "rejected by Park" in second[SECOND].tcomment
    assert second[SECOND].tcomment.splitlines()[-1].startswith("drafted again by mt:libre")
    assert second[SHARED].msgstr == better(SHARED, "ko", "en") and "origin: mt:libre" in second[SHARED].comment
    assert cached(root, "libre", SECOND) == better(SECOND, "ko", "en")  # the new answer replaced the old one


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--origin", "tm"], [SHARED]),
        (["--origin", "mt:libre"], [SECOND]),
        (["--origin", "mt"], [SECOND]),  # a prefix
        (["--origin", "mt:google"], []),
        (["--check", "untranslated-korean"], [SECOND]),
        (["--check", "numbers", "--check", "untranslated-korean"], [SECOND]),
        (["--check", "numbers"], []),
        (["--origin", "tm", "--check", "untranslated-korean"], []),
        (["--article", "first"], []),  # both of its segments are approved
        (["--article", "second"], [SECOND, SHARED]),
    ],
)
def test_redraft_sends_only_what_the_filters_select(tmp_path: Path, options: list[str], expected: list[str]) -> None:
    root = drafted_site(tmp_path)
    before = {slug: po(root, slug) for slug in ARTICLES}
    with LibreServer(translate=better) as server:
        code, out = run(root, "draft", "--redraft", *options, "--url", server.url)
    assert code == 0, out
    assert sent(server) == sorted(expected)
    for slug in ARTICLES:
        for source, entry in po(root, slug).items():
            redrafted = slug == "second" and source in expected
            assert (entry.msgstr == better(source, "ko", "en")) == redrafted
            if not redrafted:
                assert str(entry) == str(before[slug][source])


def test_redraft_dry_run_says_what_would_be_sent_and_sends_nothing(tmp_path: Path) -> None:
    root = drafted_site(tmp_path)
    files = {p: p.read_bytes() for p in (root / "po").rglob("*.po")}
    with LibreServer(translate=better) as server:
        code, out = run(root, "draft", "--redraft", "--dry-run", "--url", server.url)
    assert code == 0, out
    assert server.received == [] and {p: p.read_bytes() for p in files} == files
    chars = len(SECOND) + len(SHARED)
    assert "2 segments need machine translation (2 of them existing drafts, sent again)" in out
    assert f"2 distinct texts, {chars} characters" in out


def test_a_redraft_that_fails_keeps_the_earlier_draft(tmp_path: Path) -> None:
    root = drafted_site(tmp_path)
    before = str(po(root, "second")[SECOND])
    with LibreServer() as server:
        server.misanswer = ECHO
        code, out = run(root, "draft", "--redraft", "--origin", "mt", "--url", server.url)
    assert code == 1, out
    assert REASONS[ECHO] in out and "1 kept its earlier draft" in out and "keeps what it had" in out
    assert str(po(root, "second")[SECOND]) == before
    assert cached(root, "libre", SECOND) == "This is the 두 번째 article."  # the echo was not cached


def test_refresh_is_a_redraft_of_rejected_segments_only(tmp_path: Path) -> None:
    root = drafted_site(tmp_path)
    assert run(root, "review", "reject", segment_id(SHARED), "--reason", "stiff", "--article", "second")[0] == 0
    with LibreServer(translate=better) as server:
        code, out = run(root, "draft", "--refresh", "--url", server.url)
    assert code == 0, out
    assert sent(server) == [SHARED]


def test_redraft_filters_are_checked(tmp_path: Path) -> None:
    root = drafted_site(tmp_path)
    code, out = run(root, "draft", "--origin", "tm", "--url", "http://127.0.0.1:9/")
    assert code == 2 and "use them with --redraft" in out
    code, out = run(root, "draft", "--redraft", "--check", "untranslated-korea", "--url", "http://127.0.0.1:9/")
    assert code == 2 and "--check 'untranslated-korea' is not a check" in out and "untranslated-korean" in out


def test_a_redraft_of_a_carried_over_draft_is_a_fresh_draft_of_the_new_sentence(tmp_path: Path) -> None:
    root = site(tmp_path)
    code, _ = run(root, "review", "edit", segment_id(FIRST), "--text", "Welcome to our blog.", "--article", "first")
    assert code == 0
    changed = "첫 번째 글을 소개합니다."
    (root / "content" / "ko" / "first.md").write_text(f"{changed}\n\n{SHARED}\n", encoding="utf-8")
    assert run(root, "extract")[0] == 0
    assert po(root, "first")[changed].previous_msgid == FIRST  # carried over: needs a person
    with LibreServer(translate=better) as server:
        code, out = run(root, "draft", "--redraft", "--article", "first", "--url", server.url)
    assert code == 0, out
    fresh = po(root, "first")[changed]
    assert fresh.msgstr == better(changed, "ko", "en") and fresh.fuzzy
    assert fresh.previous_msgid is None  # the old translation is gone: nothing carried over to read against
    code, out = run(root, "review", "approve", "--all", "--reviewer", "Kim", "--article", "first")
    assert code == 0, out
    assert not po(root, "first")[changed].fuzzy
