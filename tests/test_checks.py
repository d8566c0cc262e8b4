"""Each check: true positives, and the tricky true negatives a clinic's text is full of."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, GLOSSARY
from translate.checks import (
    CheckConfig,
    check_claims,
    check_config,
    check_form,
    check_markup,
    check_numbers,
    check_page,
    check_translation,
    check_untranslated,
)
from translate.errors import ConfigError
from translate.glossary import parse_glossary
from translate.model import Severity
from translate.project import Settings

GLOSS = parse_glossary(GLOSSARY, Path("glossary.yaml"))


def names(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f.check for f in findings]


def test_korean_left_in_english_is_an_error() -> None:
    [finding] = check_untranslated("Its 특징 is that it goes beyond skin.", "en")
    assert finding.check == "untranslated-korean" and finding.severity is Severity.ERROR and "특징" in finding.message


@pytest.mark.parametrize(
    "target",
    [
        "See [the page](https://example.com/search?q=피부과).",
        "Visit https://example.com/?q=리프팅 for details.",
        "Run `grep 피부` to find it.",
        "![Device](/images/엠페이스.jpg)",
    ],
)
def test_korean_in_urls_code_and_paths_is_not_prose(target: str) -> None:
    assert check_untranslated(target, "en") == []


def test_korean_in_a_korean_target_is_fine() -> None:
    assert check_untranslated("피부과 안내", "ko") == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("시술 시간은 30분입니다.", "The procedure takes 20 minutes."),
        ("1.5mm 깊이", "a depth of 15 mm"),
        ("가격은 ₩350,000입니다.", "The price is ₩35,000."),
        ("3~6개월마다", "every 3 months"),
        ("시술은 30분 걸립니다.", "The procedure takes 30 hours."),
        ("의료법 제56조 제1항", "Article 65(1) of the Medical Service Act"),
    ],
)
def test_changed_numbers_and_units_are_errors(source: str, target: str) -> None:
    findings = check_numbers(source, target)
    assert names(findings) and set(names(findings)) == {"numbers"}
    assert all(f.severity is Severity.ERROR for f in findings)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("효과는 3~6개월 지속됩니다.", "The effect lasts 3 to 6 months."),
        ("바늘 깊이는 1.5mm입니다.", "The needle depth is 1.5 mm."),
        ("가격은 ₩350,000입니다.", "The price is 350,000 won."),
        ("1회 또는 2회 시술합니다.", "It is done once or twice."),
        ("의료법 제56조 제1항에 따라", "in accordance with Article 56(1) of the Medical Service Act"),
        ("SPF 30 이상의 자외선 차단제", "sunscreen of SPF 30 or higher"),
        ("2026-11-20에 작성", "written on November 20, 2026"),
        ("약 3천 개의 샷", "about 3,000 shots"),
        ("한 분 한 분께 맞는 방향", "a direction that suits each one of you"),
        ("자세한 내용은 [2번 페이지](/page-2)를 보세요.", "See [the second page](/page-2)."),
    ],
)
def test_the_same_numbers_written_another_way_pass(source: str, target: str) -> None:
    assert check_numbers(source, target) == []


def test_markup_must_survive_with_the_same_urls() -> None:
    source = "자세한 내용은 [예약 페이지](/book)에서 **꼭** 확인하세요."
    assert check_markup(source, "Check **carefully** on [the booking page](/book).") == []
    findings = check_markup(source, "Check carefully on [the booking page](/booking).")
    assert names(findings) == ["markup", "markup"] and "](/book)" in findings[0].message


def test_image_alt_text_is_translated_but_the_path_is_kept() -> None:
    source = "아래 ![엠페이스 장비](/images/device.jpg) 사진을 보세요."
    assert check_markup(source, "See the ![Emface device](/images/device.jpg) photo below.") == []
    assert names(check_markup(source, "See the ![Emface device](/images/other.jpg) photo.")) == ["markup", "markup"]


def test_form_checks() -> None:
    assert names(check_form("피부 관리 안내입니다.", "", "en")) == ["empty"]
    assert "same-as-source" in names(check_form("피부 관리", "피부 관리", "en"))
    assert check_form("HIFES", "HIFES", "en") == []
    assert "whitespace" in names(check_form("안내입니다.", " Guide.  ", "en"))
    assert "end-punctuation" in names(check_form("왜 근육까지 봐야 할까요?", "Why look at the muscles.", "en"))
    assert check_form("이런 변화가 느껴진다면", "If you notice these changes", "en") == []
    long_source = "얼굴은 부위마다 피부 두께와 근육의 긴장도, 좌우 균형이 다르기 때문에 과정이 중요합니다."
    assert "length-ratio" in names(check_form(long_source, "It matters.", "en"))
    assert "length-ratio" not in names(check_form(long_source, "It matters." * 6, "en"))


@pytest.mark.parametrize(
    "target",
    [
        "This painless procedure has guaranteed results.",
        "There are no side effects at all.",
        "The results are permanent.",
        "We are the best clinic in Seoul.",
        "Our patient reviews speak for themselves.",
    ],
)
def test_prohibited_claims_are_flagged(target: str) -> None:
    [finding] = check_claims(target, "en")
    assert finding.check == "prohibited-claims" and finding.severity is Severity.WARNING


@pytest.mark.parametrize(
    "target",
    [
        "All procedures can cause side effects such as bleeding and infection.",
        "It may feel less burdensome than surgery.",
        "Results may vary from person to person.",
        "a direction that suits you best",
    ],
)
def test_honest_medical_sentences_are_not_claims(target: str) -> None:
    assert check_claims(target, "en") == []


def test_korean_claims_are_flagged_in_the_source_language() -> None:
    assert names(check_claims("통증 없는 시술로 효과를 보장합니다.", "ko")) == ["prohibited-claims"]


def test_glossary_findings_come_with_the_rest() -> None:
    findings = check_translation("특징은 30분입니다.", "Its characteristic is 20 minutes.", "en", GLOSS)
    assert set(names(findings)) == {"numbers", "glossary", "glossary-forbidden"}


def test_a_term_inside_a_longer_word_does_not_demand_its_translation() -> None:
    findings = check_translation("피부과에서 상담합니다.", "Consult at the dermatology clinic.", "en", GLOSS)
    assert "glossary" not in names(findings)


def test_settings_change_severity_and_switch_checks_off() -> None:
    config = check_config(Settings(checks={"length-ratio": "off", "prohibited-claims": "error"}))
    long_source = "얼굴은 부위마다 피부 두께와 근육의 긴장도, 좌우 균형이 다르기 때문에 과정이 중요합니다."
    findings = check_translation(long_source, "The best.", "en", GLOSS, config)
    assert "length-ratio" not in names(findings)
    assert [f.severity for f in findings if f.check == "prohibited-claims"] == [Severity.ERROR]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (Settings(checks={"spelling": "error"}), "unknown check 'spelling'"),
        (Settings(checks={"numbers": "fatal"}), "must be"),
        (Settings(disclaimers={"en": [3]}), "list of texts"),
        (Settings(prohibited_claims={"en": ["(unclosed"]}), "not a valid pattern"),
    ],
)
def test_bad_check_settings_are_named(settings: Settings, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        check_config(settings)


def test_the_old_english_page_of_the_sample_is_caught() -> None:
    page = (FIXTURES / "emface-lifting.en-2025.md").read_text(encoding="utf-8")
    config = CheckConfig(disclaimers={"en": ("Article 56", "side effects", "요약")})
    results = check_page(page, "en", ("title",), config)
    korean = [r for r in results if r.finding.check == "untranslated-korean"]
    line = page.split("\n").index(next(x for x in page.split("\n") if "특징" in x)) + 1
    assert [r.line for r in korean] == [line] and "특징" in korean[0].finding.message
    assert [r.finding.message for r in results if r.finding.check == "disclaimer"] == [
        'the required notice is missing: "요약" (configured in [tool.translate.disclaimers])'
    ]
