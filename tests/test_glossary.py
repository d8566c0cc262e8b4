"""Tests of translate.glossary: loading, source-side matching, target checks, apply_glossary."""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.errors import GlossaryError
from translate.glossary import (
    Glossary,
    Term,
    apply_glossary,
    load_glossary,
    parse_glossary,
    target_contains,
)
from translate.glossary import loader as glossary_module
from translate.model import Severity

REPO = Path(__file__).resolve().parents[1]

GLOSSARY_YAML = """\
terms:
  - ko: 특징
    en: feature
    forbidden: {en: [characteristic, trait]}
    note: not "characteristic"
  - ko: 피부
    en: skin
  - ko: 피부과
    en: dermatology clinic
  - ko: 피부과 전문의
    en: dermatologist
  - ko: 리프팅
    en: lifting
  - ko: 실리프팅
    en: thread lift
  - ko: 기미
    en: melasma
    ja: 肝斑
  - ko: 상담
    en: consultation
  - ko: 시술
    en: procedure
    forbidden: {en: [surgery]}
  - ko: 수술
    en: surgery
  - ko: 표정근
    en: expression muscles
  - ko: 엠페이스
    en: Emface
    keep: true
  - ko: HIFES
    en: HIFES
    keep: true
  - ko: RF
    en: RF
    keep: true
"""


@pytest.fixture
def glossary(tmp_path: Path) -> Glossary:
    path = tmp_path / "glossary.yaml"
    path.write_text(GLOSSARY_YAML, encoding="utf-8")
    return load_glossary(path)


def found(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    """(matched text, term) pairs of ``text``."""
    return [(text[m.start : m.end], m.term.source) for m in glossary.find(text)]


# --- source-side matching ------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    ["특징", "특징은", "특징이", "특징을", "특징의", "특징입니다", "특징이며", "특징에서는",
     "특징으로는", "특징에도", "특징들이", "특징이라는", "특징처럼", "특징까지"],
)  # fmt: skip
def test_josa_variants_match_the_bare_term(glossary: Glossary, word: str) -> None:
    text = f"엠페이스의 {word} 무엇일까요?"
    assert found(glossary, text) == [("엠페이스", "엠페이스"), ("특징", "특징")]


@pytest.mark.parametrize("text", ["특징적", "특징적인 변화", "무특징", "상담실", "상담원", "기미상궁", "멍하니"])
def test_derived_words_and_words_containing_a_term_do_not_match(glossary: Glossary, text: str) -> None:
    assert found(glossary, text) == []


@pytest.mark.parametrize(
    "text", ["상담한 후", "상담하세요", "상담받으실 수", "상담해 드립니다", "상담드립니다", "상담되는", "상담했습니다"]
)
def test_a_term_of_two_syllables_matches_as_the_noun_of_a_light_verb(glossary: Glossary, text: str) -> None:
    assert found(glossary, text) == [("상담", "상담")]


def test_a_one_syllable_term_does_not_match_before_하(tmp_path: Path) -> None:
    glossary = parse_glossary("terms:\n  - ko: 멍\n    en: bruising\n", tmp_path / "glossary.yaml")
    assert found(glossary, "멍하니 있다") == [] and found(glossary, "멍이 들다") == [("멍", "멍")]


@pytest.mark.parametrize("text", ["“특징”", "'특징'이", "(특징)", "[특징]", "특징.", "-특징"])
def test_a_term_may_follow_or_precede_punctuation(glossary: Glossary, text: str) -> None:
    assert found(glossary, text) == [("특징", "특징")]


def test_two_syllable_terms(glossary: Glossary) -> None:
    assert found(glossary, "기미가 피부에 생겼습니다") == [("기미", "기미"), ("피부", "피부")]


def test_longest_term_wins(glossary: Glossary) -> None:
    assert found(glossary, "피부과 전문의에게 상담") == [
        ("피부과 전문의", "피부과 전문의"),
        ("상담", "상담"),
    ]
    assert found(glossary, "실리프팅을 받았다") == [("실리프팅", "실리프팅")]
    assert found(glossary, "노리프팅") == []


def test_shorter_term_does_not_match_inside_a_longer_term(glossary: Glossary) -> None:
    assert found(glossary, "잠실 피부과에서 피부를 봅니다") == [
        ("피부과", "피부과"),
        ("피부", "피부"),
    ]


@pytest.mark.parametrize("text", ["피부과전문의", "피부과  전문의", "피부과\n전문의를"])
def test_spacing_variants_match(glossary: Glossary, text: str) -> None:
    (match,) = glossary.find(text)
    assert match.term.source == "피부과 전문의"
    assert (match.start, text[match.end :].strip("를")) == (0, "")


def test_no_match_across_a_space_the_term_does_not_have(glossary: Glossary) -> None:
    assert found(glossary, "피 부") == []


def test_nfd_input_matches_with_spans_in_the_given_text(glossary: Glossary) -> None:
    text = unicodedata.normalize("NFD", "그 특징은 피부과에서")
    matches = glossary.find(text)
    assert [m.term.source for m in matches] == ["특징", "피부과"]
    assert [unicodedata.normalize("NFC", text[m.start : m.end]) for m in matches] == [
        "특징",
        "피부과",
    ]


def test_latin_terms_are_case_insensitive_whole_words(glossary: Glossary) -> None:
    assert found(glossary, "고주파(RF)와 HIFES를, hifes") == [
        ("RF", "RF"),
        ("HIFES", "HIFES"),
        ("hifes", "HIFES"),
    ]
    assert found(glossary, "RFID HIFESX") == []


def test_compound_of_terms_matches_each_term(glossary: Glossary) -> None:
    assert found(glossary, "엠페이스리프팅은") == [("엠페이스", "엠페이스"), ("리프팅", "리프팅")]


def test_sentence_from_the_sample_article(glossary: Glossary) -> None:
    text = "근육의 활성화와 균형까지 고려한다는 것이 특징입니다."
    assert found(glossary, text) == [("특징", "특징")]


def test_empty_glossary_finds_nothing() -> None:
    assert Glossary().find("특징") == []


def test_glossary_rejects_terms_that_match_alike(glossary: Glossary) -> None:
    term = glossary.terms[0]
    with pytest.raises(ValueError, match="share the match key"):
        Glossary([term, replace(term, source=f" {term.source} ", line=99)])


# --- target side ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "term", "expected"),
    [
        ("Its key features are", "feature", True),
        ("The feature's depth", "feature", True),
        ("It was featured", "feature", True),
        ("FEATURE", "feature", True),
        ("a featureless face", "feature", False),
        ("the feat is", "feature", False),
        ("the expression muscle layer", "expression muscles", True),
        ("muscles of expression", "expression muscles", False),
        ("expression and muscles", "expression muscles", False),
        ("a lift", "lifting", True),
        ("lifting", "lift", True),
        ("therapies", "therapy", True),
        ("scarring", "scar", True),
        ("portrait traits", "trait", True),
        ("a portrait", "trait", False),
        ("thread-lift", "thread lift", True),
    ],
)
def test_english_target_contains(target: str, term: str, expected: bool) -> None:
    assert target_contains(target, term, "en") is expected
    assert target_contains(target, term, "en-US") is expected


def test_other_languages_use_case_insensitive_substring() -> None:
    assert target_contains("肝斑の治療", "肝斑", "ja")
    assert target_contains("Die HIFES-Technik", "hifes", "de")
    assert not target_contains("シミ", "肝斑", "ja")


@given(st.text())
def test_an_english_text_contains_itself(text: str) -> None:
    assert target_contains(text, text, "en")


# --- apply_glossary ------------------------------------------------------------------------

SOURCE = "엠페이스는 고주파(RF)와 HIFES를 함께 사용한다는 것이 특징입니다."


def test_leftover_source_term_is_replaced(glossary: Glossary) -> None:
    target = "Emface uses RF and HIFES together. Its 특징 is that it goes further."
    new, findings = apply_glossary(SOURCE, target, "en", glossary)
    assert new == "Emface uses RF and HIFES together. Its feature is that it goes further."
    assert not re.search("[\uac00-\ud7a3]", new)
    assert [(f.check, f.severity) for f in findings] == [("glossary", Severity.WARNING)]
    assert '"특징"' in findings[0].message and '"feature"' in findings[0].message


def test_leftover_with_particle_is_replaced_without_the_particle(glossary: Glossary) -> None:
    new, findings = apply_glossary("특징은 이것입니다", "특징은 this.", "en", glossary)
    assert new == "Feature this."
    assert findings[0].message == 'replaced untranslated "특징은" with "feature"'


def test_missing_term_is_reported(glossary: Glossary) -> None:
    target = "Emface uses RF and HIFES together; that is what sets it apart."
    new, findings = apply_glossary(SOURCE, target, "en", glossary)
    assert new == target
    assert [(f.check, f.severity) for f in findings] == [("glossary", Severity.WARNING)]
    assert findings[0].message.startswith('"특징" should be translated as "feature"')


def test_forbidden_variant_is_reported(glossary: Glossary) -> None:
    target = "Emface uses RF and HIFES together. A feature, or trait, is its characteristics."
    _, findings = apply_glossary(SOURCE, target, "en", glossary)
    assert [(f.check, f.severity) for f in findings] == [
        ("glossary-forbidden", Severity.ERROR),
        ("glossary-forbidden", Severity.ERROR),
    ]
    assert '"characteristic"' in findings[0].message
    assert '"trait"' in findings[1].message


def test_forbidden_variant_approved_for_another_term_is_not_reported(glossary: Glossary) -> None:
    _, findings = apply_glossary("모든 시술/수술은", "All procedures/surgeries", "en", glossary)
    assert findings == []


def test_names_must_appear_verbatim(glossary: Glossary) -> None:
    target = "EMFACE uses RF and hifes together; its feature is this."
    new, findings = apply_glossary(SOURCE, target, "en", glossary)
    assert new == target  # HIFES is written alike in both languages: never "replaced"
    assert [(f.check, f.message.split(":")[0]) for f in findings] == [
        ("do-not-translate", '"엠페이스" is a name'),
        ("do-not-translate", '"HIFES" is a name'),
    ]


def test_a_name_inside_a_longer_word_is_not_the_name(glossary: Glossary) -> None:
    source = "엠페이스와 HIFES"
    for target in ("Emfaces and HIFES", "XEmface and HIFES", "Emface and HIFESX"):
        _, findings = apply_glossary(source, target, "en", glossary)
        assert [f.check for f in findings] == ["do-not-translate"], target
    for target in ("Emface's device and HIFES-based lifting", "(Emface) and HIFES.", "「Emface」とHIFES"):
        assert apply_glossary(source, target, "en", glossary)[1] == [], target


def test_a_term_in_a_light_verb_is_checked(glossary: Glossary) -> None:
    # the forbidden variant is an error whatever the form; the approved noun is asked for
    _, findings = apply_glossary("패치 테스트 후 시술합니다.", "We do a patch test before the surgery.", "en", glossary)
    assert [f.check for f in findings] == ["glossary", "glossary-forbidden"]
    _, findings = apply_glossary(
        "편하게 상담받으실 수 있습니다.", "You are welcome to come in for a treatment.", "en", glossary
    )
    assert [f.check for f in findings] == ["glossary"]
    assert apply_glossary("편하게 상담받으실 수 있습니다.", "Come in for a consultation.", "en", glossary)[1] == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("의료진과 상담하세요.", "Please consult our medical staff."),
        ("의료진과 상담한 후 결정하세요.", "Decide after consulting our medical staff."),
        ("시술받은 부위", "the area that had the procedure"),
    ],
)
def test_a_light_verb_may_be_translated_by_the_english_verb(glossary: Glossary, source: str, target: str) -> None:
    assert apply_glossary(source, target, "en", glossary)[1] == []


def test_the_verb_is_enough_only_where_the_term_is_a_verb(glossary: Glossary) -> None:
    _, findings = apply_glossary("상담 예약 후 상담하세요.", "Book, then consult us.", "en", glossary)
    assert [f.check for f in findings] == ["glossary"]  # 상담 예약: the noun, "consultation"


def test_a_korean_verb_left_in_the_translation_is_not_half_replaced(glossary: Glossary) -> None:
    new, findings = apply_glossary("엠페이스로 시술합니다.", "Emface로 시술합니다.", "en", glossary)
    assert new == "Emface로 시술합니다." and findings[0].check == "glossary"


@pytest.mark.parametrize(
    ("target", "term", "expected"),
    [
        ("around the age of 25", "aging", False),
        ("anti-aging care", "aging", True),
        ("using it", "us", False),
        ("a seed", "seeing", False),
        ("lifted", "lifting", True),
    ],
)
def test_two_letters_are_no_stem(target: str, term: str, expected: bool) -> None:
    assert target_contains(target, term, "en") is expected


def test_terms_without_a_translation_for_the_language_are_ignored(glossary: Glossary) -> None:
    assert apply_glossary("특징과 기미", "特徴と肝斑", "ja", glossary) == ("特徴と肝斑", [])
    _, findings = apply_glossary("기미", "シミ", "ja", glossary)
    assert [f.check for f in findings] == ["glossary"]


# --- loading and validation ----------------------------------------------------------------


def test_missing_file_is_an_empty_glossary(tmp_path: Path) -> None:
    assert load_glossary(tmp_path / "nope.yaml").terms == ()


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "terms:\n", "terms: []\n"])
def test_empty_glossary_files(tmp_path: Path, text: str) -> None:
    assert parse_glossary(text, tmp_path / "g.yaml").terms == ()


def test_terms_are_nfc_normalised_and_carry_their_line(tmp_path: Path) -> None:
    text = unicodedata.normalize("NFD", "terms:\n  - ko: 피부과   전문의\n    en: dermatologist\n")
    (term,) = parse_glossary(text, tmp_path / "g.yaml").terms
    assert (term.source, term.line, term.keep, term.note) == ("피부과 전문의", 2, False, None)
    assert dict(term.targets) == {"en": "dermatologist"}
    assert hash(term) == hash(parse_glossary(text, tmp_path / "g.yaml").terms[0])


def test_source_lang_is_a_parameter(tmp_path: Path) -> None:
    g = parse_glossary("terms:\n  - ja: 肝斑\n    en: melasma\n", tmp_path / "g", source_lang="ja")
    assert [(t.source, t.target_for("en")) for t in g.terms] == [("肝斑", "melasma")]


BROKEN = [
    ("terms:\n  - ko: 특징\n    en: [feature\n", 4, "invalid YAML"),
    ("terms:\n\t- ko: 특징\n", 2, "invalid YAML"),
    ("terms:\n  - ko: 특\x01징\n", 2, "invalid character"),
    ("terms: []\n---\nterms: []\n", 2, "invalid YAML"),
    ("- ko: 특징\n  en: feature\n", 1, "top level must be a mapping"),
    ("term:\n  - ko: 특징\n", 1, 'unknown top-level key "term"'),
    ("{}\n", 1, 'missing "terms:"'),
    ("terms: 특징\n", 1, '"terms" must be a list'),
    ("terms:\n  - 특징\n", 2, "each entry must be a mapping"),
    ("terms:\n  - en: feature\n", 2, 'no "ko:" source term'),
    ("terms:\n  - ko: ''\n    en: feature\n", 2, '"ko" is empty'),
    ("terms:\n  - ko: 특징\n", 2, "has no translation"),
    ("terms:\n  - ko: 특징\n    en:\n", 3, 'the "en" translation of "특징" is empty'),
    ("terms:\n  - ko: 특징\n    en: [feature]\n", 3, '"en" must be text'),
    ("terms:\n  - ko: 특징\n    en: yes\n", 3, "in quotes"),
    ("terms:\n  - ko: 특징\n    en: feature\n    nots: x\n", 4, 'unknown key "nots"'),
    ("terms:\n  - ko: 특징\n    en: a\n    en: b\n", 4, '"en" is given twice'),
    ("terms:\n  - ko: 특징\n    en: feature\n    keep: maybe\n", 4, '"keep" must be true or false'),
    ("terms:\n  - ko: 특징\n    en: feature\n    forbidden: [trait]\n", 4, '"forbidden" must map'),
    ("terms:\n  - ko: 특징\n    en: feature\n    forbidden: {en: trait}\n", 4, "must be a list"),
    ("terms:\n  - ko: 특징\n    en: a\n    forbidden: {ja: [x]}\n", 4, 'no "ja:" translation'),
    ("terms:\n  - ko: 특징\n    en: feature\n    forbidden:\n      en: ['']\n", 5, "is empty"),
    ("terms:\n  - ko: 특징\n    en: feature\n    forbidden: {en: [features]}\n", 4, "matches the"),
    ("terms:\n  - ko: 피부과 전문의\n    en: a\n  - ko: 피부과전문의\n    en: b\n", 4, "line 2"),
    ("terms:\n  - ko: HIFES\n    en: a\n  - ko: hifes\n    en: b\n", 4, "first at line 2"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "fragment"), BROKEN)
def test_validation_errors_name_the_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path)
    assert (caught.value.path, caught.value.line) == (path, line)
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_a_language_key_that_is_not_a_target_names_the_targets(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text("terms:\n  - ko: 특징\n    en: feature\n  - ko: 콜라겐\n    eng: collagen\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path, "ko", ["en"])
    assert str(caught.value).startswith(f"{path}:5: ")
    assert '"eng" is not a target language of this project (targets: en)' in str(caught.value)
    # a primary language serves its regional targets (en for en-US), and every target may be given
    text = "terms:\n  - ko: 특징\n    en: feature\n    ja: 特徴\n    zh-CN: 特征\n"
    path.write_text(text, encoding="utf-8")
    [term] = load_glossary(path, "ko", ["en-US", "ja", "zh-CN"]).terms
    assert term.target_for("en-US") == "feature" and term.target_for("zh-CN") == "特征"
    with pytest.raises(GlossaryError, match=r"glossary.yaml:5: \"zh-CN\" is not a target .*targets: en, ja\)"):
        load_glossary(path, "ko", ["en", "ja"])


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_bytes("terms:\n  - ko: 특징\n".encode() + "    en: café\n".encode("latin-1"))
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path)
    assert caught.value.line == 3


def test_shipped_glossary_loads_and_covers_the_demo_terms() -> None:
    glossary = load_glossary(REPO / "glossary.yaml")
    assert len(glossary.terms) >= 40
    terms = {t.source: t for t in glossary.terms}
    expected = {
        "특징": "feature", "엠페이스": "Emface", "HIFES": "HIFES", "고주파": "radiofrequency",
        "리프팅": "lifting", "실리프팅": "thread lift", "표정근": "expression muscles",
        "안면 근육": "facial muscles", "피부과 전문의": "dermatologist",
        "피부과": "dermatology clinic", "피부 탄력": "skin elasticity", "하안면": "lower face",
        "근막": "fascia", "부작용": "side effects", "시술": "procedure", "상담": "consultation",
        "잠실고운세상피부과": "Jamsil Gowoonsesang Dermatology", "의료법": "Medical Service Act",
        "보톡스": "Botox", "필러": "filler", "울쎄라": "Ulthera", "써마지": "Thermage",
        "색소": "pigmentation", "기미": "melasma", "여드름": "acne", "흉터": "scar",
        "모공": "pores", "하관": "lower jaw line",
    }  # fmt: skip
    assert {ko: terms[ko].target_for("en") for ko in expected} == expected
    assert terms["특징"].forbidden_for("en") == ("characteristic", "trait")
    assert all(terms[ko].keep for ko in ("엠페이스", "HIFES", "울쎄라", "써마지"))


def test_shipped_glossary_fixes_the_old_english_sample() -> None:
    glossary = load_glossary(REPO / "glossary.yaml")
    source = "단순히 피부 탄력을 개선하는 것을 넘어\n근육의 활성화와 균형까지 고려한다는 것이 특징입니다."
    target = (
        "Its 특징 is that it goes beyond simply improving skin elasticity\n"
        "and also considers muscle activation and balance."
    )
    new, findings = apply_glossary(source, target, "en", glossary)
    assert new.startswith("Its feature is that")
    assert [f.check for f in findings] == ["glossary"]


# --- properties ----------------------------------------------------------------------------

PIECES = ["특징", "피부", "피부과", "전문의", "리프팅", "실", "HIFES", "rf", "은", "에서는", "적",
          "들이", " ", "  ", "\n", "(", "'", ".", "가", "노", "\u1100\u1161"]  # fmt: skip


@settings(max_examples=300)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=30))
def test_matches_never_overlap_and_lie_inside_the_text(pieces: list[str]) -> None:
    glossary = parse_glossary(GLOSSARY_YAML, Path("glossary.yaml"))
    text = "".join(pieces)
    matches = glossary.find(text)
    previous_end = 0
    for match in matches:
        assert previous_end <= match.start < match.end <= len(text)
        matched = unicodedata.normalize("NFC", text[match.start : match.end])
        assert "".join(matched.split()).lower() == "".join(match.term.source.split()).lower()
        previous_end = match.end


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("특징은 다음과 같습니다.", ["특징"]),
        ("피부과에서 상담합니다.", []),  # 피부 + 과 would need 와: this is the word 피부과
        ("피부와 근육을 함께 봅니다.", ["피부"]),
        ("피부는 얇습니다.", ["피부"]),
        ("특징는 틀린 조사입니다.", []),
        ("얼굴로 이동합니다.", ["얼굴"]),
        ("HIFES를 함께 사용합니다.", ["HIFES"]),
    ],
)
def test_particles_must_fit_the_final_syllable(text: str, found: list[str]) -> None:
    glossary = parse_glossary(
        "terms:\n  - ko: 특징\n    en: feature\n  - ko: 피부\n    en: skin\n"
        "  - ko: 얼굴\n    en: face\n  - ko: HIFES\n    en: HIFES\n",
        Path("glossary.yaml"),
    )
    assert [m.term.source for m in glossary.find(text)] == found


# --- the fast matcher agrees with the rules written out plainly ------------------------------


# The oracle below is written from the module docstring and from Korean grammar, not from the
# module: its NFC mapping, letter folding, particle list and light verbs are its own, so a slip in
# any of the module's tables shows up as a disagreement.

# Particles (조사) and forms of the copula 이다 (서술격 조사), after the 표준국어대사전 and the school
# grammar (학교 문법): (form after a final consonant, form after a vowel); one form fits both.
PARTICLE_PAIRS = [
    # case particles (격 조사)
    ("이", "가"), ("을", "를"), ("은", "는"), ("과", "와"), ("으로", "로"), ("으로서", "로서"), ("으로써", "로써"),
    ("의", "의"), ("에", "에"), ("에서", "에서"), ("에게", "에게"), ("에게서", "에게서"), ("께", "께"),
    ("께서", "께서"), ("한테", "한테"), ("한테서", "한테서"),
    # comparison and comitative (부사격·접속 조사)
    ("처럼", "처럼"), ("만큼", "만큼"), ("보다", "보다"), ("같이", "같이"), ("하고", "하고"),
    # auxiliary particles (보조사)
    ("도", "도"), ("만", "만"), ("까지", "까지"), ("부터", "부터"), ("조차", "조차"), ("마저", "마저"),
    ("밖에", "밖에"), ("뿐", "뿐"), ("마다", "마다"), ("대로", "대로"),
    # plural and honorific suffixes
    ("들", "들"), ("님", "님"),
]  # fmt: skip
# Forms built on the copula 이다 (서술격 조사), and particles made from it (이나, 이든, 이라도, 이랑):
# after a vowel the 이 may drop or contract (피부이다 or 피부다, 피부이었다 or 피부였다); it need not.
COPULA_PAIRS = [
    ("이랑", "랑"), ("이나", "나"), ("이나마", "나마"), ("이든", "든"), ("이든지", "든지"), ("이라도", "라도"),
    ("이다", "다"), ("이며", "며"), ("이고", "고"), ("이라", "라"), ("이라는", "라는"), ("이라고", "라고"),
    ("이란", "란"), ("이에요", "예요"), ("이었다", "였다"), ("이었고", "였고"), ("이었습니다", "였습니다"),
    ("이지만", "지만"), ("이죠", "죠"), ("이면", "면"), ("이므로", "므로"), ("이어서", "여서"),
    ("이어야", "여야"), ("이기에", "기에"), ("입니다", "입니다"), ("인", "인"),
]  # fmt: skip
# Endings that close the word: the polite 보조사 요, and endings of the copula (종결·연결 어미) after
# which nothing comes but 요 (특징인데요, 특징이니까요, 피부지요) or, after ㄴ데, the 보조사 도
# (특징인데도). They may follow particles (특징들이니까, 피부에서요).
CLOSING_PAIRS = [
    ("요", "요"), ("이요", "이요"), ("이야", "야"), ("인데", "인데"), ("이니까", "니까"), ("이지", "지"),
    ("입니까", "입니까"), ("이라서", "라서"),
]  # fmt: skip
AFTER_CLOSING = {"인데": ("요", "도"), "이니까": ("요",), "니까": ("요",), "이지": ("요",), "지": ("요",),
                 "이라서": ("요",), "라서": ("요",)}  # fmt: skip
ALL_PAIRS = PARTICLE_PAIRS + COPULA_PAIRS
# The light verbs of the docstring, stem and contracted stem (하+여 → 해, 되+어 → 돼, 시키+어 → 시켜,
# 드리+어 → 드려). An ending may fuse into the last syllable: ㄴ ㄹ ㅁ ㅂ into the stem (한, 될, 시킴,
# 드립니다), ㅆ (past) into the contracted stem (했, 됐); the rest of the word is more endings.
LIGHT_VERBS = [("하", "해"), ("받", "받"), ("되", "돼"), ("시키", "시켜"), ("드리", "드려")]
STEM_FINALS, CONTRACTED_FINALS = "ㄴㄹㅁㅂ", "ㅆ"
FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"  # the 28 finals of a syllable, in Unicode order


def hangul(char: str) -> bool:
    return "가" <= char <= "힣"


def with_final(syllable: str, final: str) -> str:
    """A syllable without a final consonant, given one (하 + ㄴ = 한)."""
    return chr(ord(syllable) + FINALS.index(final))


def final_consonant(syllable: str) -> str | None:
    """The final consonant of a Hangul syllable ("" for none), None for anything else."""
    return FINALS[(ord(syllable) - 0xAC00) % 28].strip() if hangul(syllable) else None


def fits(particle: tuple[str, str], form: str, final: str) -> bool:
    """Whether ``form`` of ``particle`` follows a word ending in ``final``: a word not ending in
    Hangul (HIFES) takes either form; 로, 로서, 로써 also follow a final ㄹ."""
    after_consonant, after_vowel = particle
    ending = final_consonant(final)
    copula = particle in COPULA_PAIRS or particle in CLOSING_PAIRS
    if ending is None or after_consonant == after_vowel or (copula and form == after_consonant):
        return form in particle
    if form == after_vowel:
        return ending == "" or (ending == "ㄹ" and form.startswith("로"))
    return form == after_consonant and ending != ""


def particle_chain(tail: str, final: str) -> bool:
    """Whether ``tail`` is one or more particles, the first fitting ``final`` (특징 + 에서는, 들이),
    the last perhaps a closing ending with what may follow it (특징 + 들이니까, 인데요)."""
    if len(tail) > 12:  # the docstring's "particles" are short; a longer run is a word of its own
        return False

    def closes(form: str, at: int) -> bool:
        return tail.startswith(form, at) and tail[at + len(form) :] in ("", *AFTER_CLOSING.get(form, ()))

    def rest(at: int) -> bool:
        return (
            at == len(tail)
            or any(tail.startswith(form, at) and rest(at + len(form)) for pair in ALL_PAIRS for form in set(pair))
            or any(closes(form, at) for pair in CLOSING_PAIRS for form in set(pair))
        )

    return any(
        fits(pair, form, final) and tail.startswith(form) and rest(len(form))
        for pair in ALL_PAIRS
        for form in set(pair)
    ) or any(fits(pair, form, final) and closes(form, 0) for pair in CLOSING_PAIRS for form in set(pair))


def light_verb_starts() -> set[str]:
    """How a light verb's form begins: its stem or contracted stem, with a fused ending or none."""
    starts = set()
    for stem, contracted in LIGHT_VERBS:
        starts |= {stem, contracted}
        if final_consonant(stem[-1]) == "":
            starts |= {stem[:-1] + with_final(stem[-1], f) for f in STEM_FINALS}
        if final_consonant(contracted[-1]) == "":
            starts |= {contracted[:-1] + with_final(contracted[-1], f) for f in CONTRACTED_FINALS}
    return starts


def light_verb(tail: str) -> bool:
    """Whether ``tail`` is a form of a light verb (상담+하세요, 상담+받으실, 감염+된): Hangul only."""
    return bool(tail) and all(map(hangul, tail)) and any(tail.startswith(start) for start in light_verb_starts())


def folded(char: str) -> str:
    """A letter as matching compares it: its lower case where that is one letter (Σ σ; İ stays İ)."""
    return char.lower() if len(char.lower()) == 1 else char


def term_key(source: str) -> tuple[str, set[int]]:
    """A term's letters (NFC, folded, without white space) and the places of its spaces."""
    key, gaps = "", set()
    for char in unicodedata.normalize("NFC", source):
        if char.isspace():
            gaps.add(len(key))
        else:
            key += folded(char)
    return key, gaps


def nfc_with_spans(text: str) -> tuple[str, list[int], list[int]]:
    """NFC ``text`` and, for each of its characters, where it comes from in ``text``. Cut ``text``
    wherever normalising the two sides apart gives the same as normalising the whole; each piece
    between two cuts normalises to its own characters, each spanning the whole piece."""
    whole = unicodedata.normalize("NFC", text)
    cuts = [
        b
        for b in range(len(text) + 1)
        if unicodedata.normalize("NFC", text[:b]) + unicodedata.normalize("NFC", text[b:]) == whole
    ]
    nfc, starts, ends = "", [], []
    for begin, end in itertools.pairwise(cuts):
        piece = unicodedata.normalize("NFC", text[begin:end])
        nfc += piece
        starts += [begin] * len(piece)
        ends += [end] * len(piece)
    assert nfc == whole
    return nfc, starts, ends


def reference_find(terms: tuple[Term, ...], text: str) -> list[tuple[Term, int, int]]:
    """The matching rules of the module docstring, character by character (slow and plain):
    over the NFC text with whitespace removed, every term; a hit may cross whitespace only where
    its term has a space; among hits that start a word and end it (or end before particles, or
    before another hit that does, or, for a term of two or more characters, before a light verb),
    leftmost then longest, no overlaps."""
    nfc, starts, ends = nfc_with_spans(text)
    positions = [i for i, char in enumerate(nfc) if not char.isspace()]
    key = "".join(folded(nfc[i]) for i in positions)
    hits: dict[int, list[tuple[int, int]]] = {}
    for index, term in enumerate(terms):
        term_letters, gaps = term_key(term.source)
        for at in range(len(key) - len(term_letters) + 1 if term_letters else 0):
            last = at + len(term_letters) - 1
            if key[at : last + 1] == term_letters and all(
                positions[k + 1] == positions[k] + 1 or k + 1 - at in gaps for k in range(at, last)
            ):
                hits.setdefault(positions[at], []).append((positions[last] + 1, index))

    def word_end(i: int) -> int:
        while i < len(nfc) and nfc[i].isalnum():
            i += 1
        return i

    best: dict[int, tuple[int, int, bool]] = {}
    for start in sorted(hits, reverse=True):
        for end, index in sorted(hits[start], reverse=True):
            tail = nfc[end : word_end(end)]
            if word_end(end) == end or particle_chain(tail, nfc[end - 1]):
                best[start] = (end, index, False)
                break
            if end in best:
                best[start] = (end, index, True)
                break
            if len(term_key(terms[index].source)[0]) >= 2 and light_verb(tail):
                best[start] = (end, index, False)
                break
    found, last_end = [], 0
    for start in sorted(best):
        if start < last_end or (start > 0 and nfc[start - 1].isalnum()):
            continue
        at = start
        while True:
            end, index, chained = best[at]
            found.append((terms[index], starts[at], ends[end - 1]))
            if not chained:
                break
            at = end
        last_end = word_end(end) if not chained else end
    return found


TERM_PIECES = ["특징", "피부", "피부과", "전문의", "리프팅", "실", "엠페이스", "HIFES", "Rf", "Σ", "가", "이", "하관"]
TEXT_PIECES = [*TERM_PIECES, "은", "에서는", "적", "들이", "과", "를", "하", "합니다", "받으실", "되는", "하고",
               "요", "야", "이야", "기에", "지", "니까", "인데", "도",
               " ", "  ", "\n", "\t", " \n ", "\u3000",
               "(", "'", ".", "노", "\u1100\u1161", "\u1111\u1175", "ς", "σ", "İ",
               "\u0301", "\u0323", "\u0315", "\u0f73"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(TERM_PIECES), min_size=1, max_size=3), min_size=1, max_size=8).map(
        lambda words: [" ".join(w) if len(w) > 1 and i % 2 else "".join(w) for i, w in enumerate(words)]
    ),
    st.integers(0, 9),
    st.lists(st.sampled_from(TEXT_PIECES) | st.text(max_size=2), max_size=40),
)
def test_find_agrees_with_the_plain_rules(sources: list[str], phrase_words: int, pieces: list[str]) -> None:
    sources.append(" ".join(TERM_PIECES[:phrase_words]))  # up to nine words: past the spacings kept in the automaton
    terms: dict[str, Term] = {}
    for number, source in enumerate(sources):
        terms.setdefault(term_key(source)[0], Term(source, {"en": "x"}, {}, None, False, number + 1))
    glossary = Glossary(terms.values())
    text = "".join(pieces)
    expected = reference_find(glossary.terms, text)
    assert [(m.term, m.start, m.end) for m in glossary.find(text)] == expected


def test_a_long_phrase_matches_with_any_spacing() -> None:
    words = ["피부과", "전문의", "상담", "후", "시술", "전", "동의서", "작성", "필수"]
    glossary = Glossary([Term(" ".join(words), {"en": "consent"}, {}, None, False, 1)])
    for text in ["".join(words), "  ".join(words) + "는", "\n".join(words), " ".join(words[:4]) + "".join(words[4:])]:
        (match,) = glossary.find(f"그 {text}")
        assert (match.start, match.end) == (2, 2 + len(text.removesuffix("는")))
    assert glossary.find(" ".join(words[:-1])) == []


def test_spans_map_back_through_nfd_and_runs_of_whitespace(glossary: Glossary) -> None:
    text = unicodedata.normalize("NFD", "그  특징은\n\n 피부과 \t 전문의에게")
    assert [(m.term.source, unicodedata.normalize("NFC", text[m.start : m.end])) for m in glossary.find(text)] == [
        ("특징", "특징"),
        ("피부과 전문의", "피부과 \t 전문의"),
    ]


def test_loading_without_libyaml_gives_the_same_glossary(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = load_glossary(REPO / "glossary.yaml")
    monkeypatch.setattr(glossary_module, "_CLoader", None)
    slow = load_glossary(REPO / "glossary.yaml")
    assert [(t, t.line, dict(t.targets), dict(t.forbidden)) for t in fast.terms] == [
        (t, t.line, dict(t.targets), dict(t.forbidden)) for t in slow.terms
    ]


def test_anchors_and_aliases_are_yaml_as_before(tmp_path: Path) -> None:
    text = "terms:\n  - ko: 특징\n    en: &f feature\n  - ko: 특성\n    en: *f\n"
    assert [t.target_for("en") for t in parse_glossary(text, tmp_path / "g.yaml").terms] == ["feature", "feature"]


# --- the particle table and the span mapping, against the grammar and Unicode written out above ------

PARTICLE_CASES = [
    (noun, form, fits(pair, form, noun[-1]))
    for pair in ALL_PAIRS + CLOSING_PAIRS
    for form in sorted(set(pair))
    for noun in ("특징", "피부", "HIFES")
]


@pytest.mark.parametrize(("noun", "form", "expected"), PARTICLE_CASES, ids=[f"{n}+{f}" for n, f, _ in PARTICLE_CASES])
def test_a_term_is_found_before_each_particle_of_the_grammar_that_fits_it(noun: str, form: str, expected: bool) -> None:
    glossary = Glossary([Term(noun, {"en": "x"}, {}, None, False, 1)])
    assert [m.term.source for m in glossary.find(f"그 {noun}{form} 안내")] == ([noun] if expected else [])


CLOSING_CASES = [
    ("특징인데요", ["특징"]), ("부작용이니까요", ["부작용"]), ("피부니까요", ["피부"]), ("피부인데도", ["피부"]),
    ("특징들이니까", ["특징"]), ("피부에서요", ["피부"]), ("특징이라고요", ["특징"]), ("피부지요", ["피부"]),
    ("특징이라서요", ["특징"]), ("특징입니까?", ["특징"]), ("특징이요,", ["특징"]), ("(피부야)", ["피부"]),
    # forms that do not fit the syllable before them
    ("특징니까", []), ("특징야", []), ("특징지요", []), ("특징라서", []),
    # other nouns, not a term and its endings: nothing but 요 (or 도 after 인데) follows a closing ending
    ("노화요인을 줄입니다", []), ("상담이야기에 귀 기울입니다", []), ("병원 소재지에서", []),
    ("얼굴요가를", []), ("특징요소", []), ("피부인데요도", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CLOSING_CASES)
def test_closing_endings_and_what_may_follow_them(text: str, expected: list[str]) -> None:
    glossary = parse_glossary(
        "terms:\n"
        + "".join(f"  - ko: {ko}\n    en: x\n" for ko in ("특징", "피부", "부작용", "노화", "상담", "소재", "얼굴")),
        Path("glossary.yaml"),
    )
    assert [m.term.source for m in glossary.find(text)] == expected
    assert [term.source for term, _, _ in reference_find(glossary.terms, text)] == expected


def test_nfc_spans_follow_the_unicode_cuts() -> None:
    """The oracle's own mapping, pinned: 가 + U+0301 stay apart (no composition), ᄀ + ᅡ are one."""
    assert nfc_with_spans("가\u0301 \u1100\u1161") == ("가\u0301 가", [0, 1, 2, 3], [1, 2, 3, 5])


def test_a_terms_span_does_not_depend_on_decomposed_text_elsewhere() -> None:
    glossary = Glossary([Term("가", {"en": "x"}, {}, None, False, 1)])
    alone = [(m.start, m.end) for m in glossary.find("가\u0301 나")]
    with_decomposed = [(m.start, m.end) for m in glossary.find("가\u0301 \u1102\u1161")]
    assert alone == [(0, 1)] and with_decomposed == [(0, 1)]


MARKED_PIECES = ["가", "특징", "피부", "e", " ", "은", "\u0301", "\u0323", "\u0315", "\u0300", "\u0f73",
                 "\u1100\u1161", "\u1102", "\u1161", "\u11ab"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MARKED_PIECES), max_size=12))
def test_spans_around_combining_marks_follow_the_unicode_cuts(pieces: list[str]) -> None:
    glossary = Glossary(Term(source, {"en": "x"}, {}, None, False, 1) for source in ("가", "특징", "피부", "e"))
    text = "".join(pieces)
    assert [(m.term, m.start, m.end) for m in glossary.find(text)] == reference_find(glossary.terms, text)


@pytest.mark.parametrize("start", sorted(light_verb_starts()))
def test_a_term_is_found_as_the_noun_of_every_light_verb_form(start: str) -> None:
    glossary = Glossary([Term("상담", {"en": "consultation"}, {}, None, False, 1)])
    for ending in ("", "습니다", "요"):
        assert [m.term.source for m in glossary.find(f"그 상담{start}{ending} 안내")] == ["상담"], start + ending
    assert glossary.find(f"그 상담실{start} 안내") == []  # the noun of the verb is 상담실, not a term
