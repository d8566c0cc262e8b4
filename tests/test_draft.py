"""Drafting: inline codes are protected from MT and restored, the glossary repairs leftovers."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import GLOSSARY
from translate.draft import machine_draft, protect, restore
from translate.glossary import parse_glossary
from translate.model import State, Unit


class Echo:
    """An engine that answers with a fixed text and records what it was asked."""

    name = "echo"

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def translate(self, text: str) -> str:
        self.asked.append(text)
        return self.answer


def test_protect_replaces_every_code_by_a_numbered_token() -> None:
    text, codes = protect("자세한 내용은 [예약 페이지](https://example.com/book)에서 `code`를 **확인**하세요.")
    assert text == "자세한 내용은 ⟦0⟧예약 페이지⟦1⟧에서 ⟦2⟧를 ⟦3⟧확인⟦4⟧하세요."
    assert codes == ["[", "](https://example.com/book)", "`code`", "**", "**"]


def test_restore_puts_codes_back_and_reports_dropped_or_repeated_tokens() -> None:
    codes = ["[", "](/book)"]
    assert restore("See ⟦0⟧the booking page⟦ 1 ⟧.", codes) == ("See [the booking page](/book).", [])
    text, findings = restore("See the booking page⟦1⟧ ⟦1⟧.", codes)
    assert text == "See the booking page](/book) ](/book)."
    assert [f.check for f in findings] == ["markup", "markup"]
    assert "dropped: [" in findings[0].message and "repeated: ](/book)" in findings[1].message


def test_machine_draft_never_sends_urls_and_repairs_a_korean_leftover() -> None:
    glossary = parse_glossary(GLOSSARY, Path("glossary.yaml"))
    unit = Unit("엠페이스의 특징은 [여기](https://example.com/emface)에서 보세요.")
    engine = Echo("See the 특징 of Emface ⟦0⟧here⟦1⟧.")
    machine_draft(unit, engine, "en", glossary)
    assert engine.asked == ["엠페이스의 특징은 ⟦0⟧여기⟦1⟧에서 보세요."]
    assert unit.target == "See the feature of Emface [here](https://example.com/emface)."
    assert unit.state is State.DRAFT and unit.origin == "mt:echo"
    assert any(f.check == "glossary" and "특징" in f.message for f in unit.findings)


def test_machine_draft_records_a_forbidden_variant() -> None:
    glossary = parse_glossary(GLOSSARY, Path("glossary.yaml"))
    unit = Unit("이것이 특징입니다.")
    machine_draft(unit, Echo("This is a characteristic."), "en", glossary)
    assert [f.check for f in unit.findings] == ["glossary", "glossary-forbidden"]
