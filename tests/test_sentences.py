"""Tests for the rule-based Korean sentence splitter."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.sentences import split_sentences

FIXTURE = Path(__file__).parent / "fixtures" / "sentences_ko.txt"
OBJ = "\ufffc"

SAMPLE = """\
안녕하세요, 잠실고운세상피부과 대표원장 배태성입니다.
진료실에서 상담을 하다 보면
"피부 탄력이 떨어진 것 같아요",
"얼굴 윤곽이 무너진 것 같아요"라는
말씀을 자주 듣습니다."""


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def test_clinic_sample_paragraph_splits_into_greeting_and_one_soft_broken_sentence() -> None:
    assert sentences(SAMPLE) == [
        "안녕하세요, 잠실고운세상피부과 대표원장 배태성입니다.",
        '진료실에서 상담을 하다 보면\n"피부 탄력이 떨어진 것 같아요",\n'
        '"얼굴 윤곽이 무너진 것 같아요"라는\n말씀을 자주 듣습니다.',
    ]


def test_soft_broken_quotes_followed_by_a_quotative_stay_one_sentence() -> None:
    text = '"피부 탄력이 떨어진 것 같아요",\n"얼굴 윤곽이 무너진 것 같아요"라는\n말씀을 자주 듣습니다.'
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("다만 노화의 진행 정도와 얼굴 구조,\n근육 사용 패턴은 사람마다 다릅니다.\n"
         "따라서 같은 방법을\n모든 분께 적용할 수는 없습니다.", 2),
        ("모든 시술/수술은 출혈, 감염, 신경 손상 등의 부작용이 발생할 수 있으므로\n"
         "의료진과 충분히 상담한 후 신중하게 결정하시기 바랍니다.", 1),
        ("엠페이스 리프팅은\n이러한 점을 고려한 장비 기반 치료 중 하나이며,\n"
         "개인의 피부 상태와 근육 사용 패턴에 따라 적용 방법이 달라질 수 있습니다.", 1),
        ('그는 "좋아요. 정말 좋아요"라고 말했다.', 1),
        ('현우는 "문제없어. 반드시 성공할 수 있어!" 하며 어깨를 으쓱거렸다.', 1),
    ],
)  # fmt: skip
def test_clinic_examples_have_the_expected_sentence_count(text: str, count: int) -> None:
    assert len(split_sentences(text)) == count


@pytest.mark.parametrize(
    "text",
    [
        "시술 후 1.5mm 정도의 붓기가 있으며 3.5%의 환자에게서 홍반이 나타납니다.",
        "본 게시물은 의료법 제56조 제1항에 따라 작성되었습니다.",
        "자세한 내용은 https://example.com/a.b?c=1 에서 확인하세요.",
        "문의는 info@clinic.co.kr 로 보내 주세요.",
        "나이가 들면서... 콜라겐은 조금씩 줄어듭니다.",
        "He said wait… then he left.",
        "Dr. Kim은 vs. 대조군과 e.g. 콜라겐 양을 비교했습니다.",
        "2024. 11. 20. 진료 시간이 변경됩니다.",
        "진료실에서 상담을 하다 보면 같은 질문을 자주 듣습니다.",
        "시술 시간이 짧다 보니 점심시간에 받으시는 분도 있습니다.",
        "효과가 좋다 싶으면 다시 찾으시는 분이 많습니다.",
        "레이저 치료를 받을까 고민하시는 분들이 많습니다.",
        "피부가 얇아질까 봐 걱정하시는 분도 계십니다.",
        '환자분들은 "효과가 언제 나타나나요?" 하고 자주 물어보십니다.',
        "효과가 있어 많은 분들이 찾으시는 시술입니다.",
        "필요 이상으로 반복하는 것은 중요 부위에 좋지 않습니다.",
        "많은 분들께 도움이 되었으면 합니다.",
        "주름이 길게 남는 경우도 있습니다.",
        "콜라겐이 재생되는 데는 시간이 걸립니다(개인차 있음).",
    ],
)
def test_does_not_split_inside_a_sentence(text: str) -> None:
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "expected",
    [
        ["검색엔진은 네이버 아니면 구글일 것이다", "물론 다음도 있지만 사용하는 사람은 드물다."],
        ["시술 시간은 20분입니다", "마취 크림을 먼저 바릅니다"],
        ["다음 날부터 세안이 가능해요", "화장도 가능하죠", "걱정하지 마세요"],
        ["그는 매일 병원에 갔다", "그리고 치료를 받았다"],
        ["이 시술은 누구에게 맞을까", "상담으로 정할 수 있습니다"],
    ],
)
def test_unpunctuated_final_endings_split(expected: list[str]) -> None:
    assert sentences(" ".join(expected)) == expected
    assert sentences("\n".join(expected)) == expected


@pytest.mark.parametrize(
    "expected",
    [
        ["붓기는 금방 빠집니다.", "통증도 거의 없습니다."],
        ["정말 효과가 있을까요?!", "네, 있습니다."],
        ["대부분 사흘이면 가라앉습니다!!", "걱정하지 마세요."],
        ["효과가 오래갑니다...", "그래서 인기가 많습니다."],
        ["시술 후 사진입니다.[1]", "다음 사진을 보세요."],
        ['"생각보다 아프지 않았어요."', "시술을 받은 분들의 말씀입니다."],
        ["꾸준한 관리가 중요합니다. (2024년 기준)", "상담은 무료입니다."],
    ],
)
def test_terminal_punctuation_splits(expected: list[str]) -> None:
    assert sentences(" ".join(expected)) == expected


@pytest.mark.parametrize(
    "expected",
    [
        ["정말 맛있어요 ㅋㅋㅋ", "다음에 또 올게요."],
        ["정말 맛있어요ㅎㅎ", "다음에 또 올게요."],
        ["감사합니다^^", "다음 글에서 만나요~~"],
        ["효과가 좋았어요!! 😊😊", "추천합니다."],
    ],
)
def test_emoticons_belong_to_the_preceding_sentence(expected: list[str]) -> None:
    assert sentences(" ".join(expected)) == expected


@pytest.mark.parametrize(
    "expected",
    [
        # issue 13, item 4: the clinic's English page, soft line breaks and all
        [
            'The most common concerns I hear in the clinic are\n"I feel like my skin has lost elasticity" and\n'
            '"My facial line seems to have collapsed."',
            "However, facial aging is not just a skin problem.",
        ],
        ['She asked, "Doesn\'t it hurt?"', "Nobody answered."],
        ["We call it \u201cthe golden ratio.\u201d", "It is not a rule."],
        ["It's called 'lifting.'", "Then we wait."],
    ],
)
def test_an_english_sentence_ends_with_a_quote_that_ends_one(expected: list[str]) -> None:
    assert sentences(" ".join(expected).replace("\n ", "\n")) == expected


@pytest.mark.parametrize(
    "text",
    [
        'Many ask "Doesn\'t it hurt?" before their first session.',  # carries on in lower case
        'He wrote "see Dr." Kim for details.',  # an abbreviation does not end the quote's sentence
        '그는 "정말 좋아요." 라고 말했다.',  # Korean: the quotative goes on
    ],
)
def test_a_quote_inside_a_sentence_does_not_end_it(text: str) -> None:
    assert sentences(text) == [text]


def test_object_replacement_runs_are_opaque_words() -> None:
    masked = f"가격은 {OBJ * 3}입니다. 자세한 내용은 {OBJ}{OBJ} 를 참고하세요."
    assert sentences(masked) == [f"가격은 {OBJ * 3}입니다.", f"자세한 내용은 {OBJ}{OBJ} 를 참고하세요."]
    # A run is never punctuation and never a boundary, even between final-looking words.
    for text in (f"좋습니다{OBJ * 2} 그리고 끝", f"{OBJ}.{OBJ} 다음", f"{OBJ * 4}", f"습니다 {OBJ * 3} 입니다"):
        spans = split_sentences(text)
        for start, end in spans:
            assert OBJ not in (text[start - 1 : start] + text[end : end + 1])
    assert sentences(f"{OBJ * 4}") == [OBJ * 4]


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []


def test_spans_exclude_surrounding_white_space() -> None:
    assert split_sentences("  좋습니다.  \n 다음입니다. \n") == [(2, 7), (11, 17)]


def test_fixture_paragraphs_split_into_their_lines() -> None:
    """Each fixture line is one expected sentence; ↵ marks a soft break inside it."""
    paragraphs = FIXTURE.read_text(encoding="utf-8").strip().split("\n\n")
    assert len(paragraphs) >= 10
    for paragraph in paragraphs:
        expected = [line.replace("↵", "\n") for line in paragraph.splitlines()]
        assert sentences("\n".join(expected)) == expected


TRICKY = st.sampled_from(
    [*"가다요죠까음임니습는고 .!?…~^ㅋㅎㅠ\"'“”‘’()[]「」<>:,\n\t", OBJ, "😊", "1.5", "...", "제1항"]
)
TEXTS = st.one_of(st.text(), st.lists(TRICKY, max_size=60).map("".join))


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_spans_cover_every_non_space_character_once_in_order(text: str) -> None:
    spans = split_sentences(text)
    covered = [False] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        for index in range(start, end):
            covered[index] = True
        previous_end = end
    for index, ch in enumerate(text):
        assert covered[index] or ch.isspace(), (index, ch)
