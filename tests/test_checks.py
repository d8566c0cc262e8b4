"""Each check: true positives, and the tricky true negatives a clinic's text is full of."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES, GLOSSARY
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


# --- issue 13: the ways English writes a number ----------------------------------------------


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # "one" said without the number: a, each, per, once
        ("1회 시술은 약 30분 정도 소요됩니다.", "Each session takes about 30 minutes."),
        (
            "실리프팅 후 1주일간은 입을 크게 벌리지 마세요.",
            "For a week after a thread lift, do not open your mouth wide.",
        ),
        ("효과는 보통 6개월~1년 정도 유지됩니다.", "Results usually last six months to a year."),
        ("써마지는 1년에 한 번 받으시면 충분합니다.", "Once a year is enough for Thermage."),
        ("보톡스는 1년에 2~3회 정도 맞으시면 됩니다.", "Two to three Botox treatments a year are usually enough."),
        ("점 제거는 1개당 1만원부터입니다.", "Mole removal starts at 10,000 won per mole."),
        ("모든 가격은 1회 기준입니다.", "All prices are per session."),
        ("팔자주름 필러는 1cc 기준 30만원입니다.", "Filler for nasolabial folds costs 300,000 won per cc."),
        ("엠페이스는 주 1회, 총 4회 시술합니다.", "Emface is done once a week, four sessions in total."),
        # 만/천 and million, noon, hours and a half, 24-hour times, times of day over a range
        ("겨드랑이 제모 5회가 9만 9천원입니다.", "Five sessions of underarm hair removal are 99,000 won."),
        ("써마지 600샷은 250만원입니다.", "Thermage, 600 shots, costs 2.5 million won."),
        ("시술비는 1억 5천만원이 아닙니다.", "The fee is not 150 million won."),
        ("정오(낮 12시)부터 오후 1시까지는 점심시간입니다.", "We are closed for lunch from noon to 1 p.m."),
        ("시술은 약 1시간 30분 걸립니다.", "The procedure takes about an hour and a half."),
        ("시술은 약 1시간 반 걸립니다.", "The procedure takes about 90 minutes."),
        ("점심시간은 오후 1시~2시입니다.", "Our lunch break is from 1 to 2 p.m."),
        ("오후 2시 예약은 1시 50분까지 도착해 주세요.", "For a 2 p.m. appointment, please arrive by 1:50."),
        ("오전 9시 30분부터 전화 상담이 가능합니다.", "Phone consultations are available from 9:30 a.m."),
        ("14시에 오세요.", "Come at 2 p.m."),
        # numbers the source writes in words, and words that are no count
        ("붓기는 하루 이틀이면 가라앉습니다.", "The swelling settles within a day or two."),
        (
            "홈케어는 매일 아침저녁 두 번 해 주세요.",
            "Do your home care twice a day, in the morning and in the evening.",
        ),
        ("예약 변경은 방문 하루 전까지 알려 주세요.", "Please let us know by the day before your visit."),
        (
            "붓기가 빠진 2주 후 모양을 확인합니다.",
            "The shape is checked two weeks later, once the swelling has gone down.",
        ),
        ("어느 날 갑자기 기미가 생깁니다.", "One day, melasma suddenly appears."),
        ("5월에 오세요.", "Come in May."),
        (
            "**레이저 토닝 10회 패키지**는 **70만원**입니다.",
            "The **10-session laser toning package** is **700,000 won**.",
        ),
    ],
)
def test_english_ways_of_writing_the_same_number_pass(source: str, target: str) -> None:
    assert check_numbers(source, target) == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # a unit changed on a number in words, and on numbers the source writes in words
        ("보톡스는 3~4개월 간격으로 맞습니다.", "Botox is repeated every three to four weeks."),
        ("울쎄라 시술 전 3일간은 레티놀을 중단하세요.", "Stop retinol for three weeks before Ulthera."),
        ("토닝 후 일주일간 각질이 일어날 수 있습니다.", "Your skin may flake for a month after toning."),
        ("실리프팅 후 한 달간은 마사지를 피하세요.", "Avoid massage for a week after a thread lift."),
        ("예약 변경은 방문 하루 전까지 알려 주세요.", "Please let us know two days before your visit."),
        ("홈케어는 매일 두 번 해 주세요.", "Do your home care three times a day."),
        ("연고는 하루 2회 발라 주세요.", "Apply the ointment twice a week."),
        ("비타민 관리는 주 1회 받으세요.", "Have a vitamin treatment once a month."),
        # a.m. and p.m.
        ("문자는 오후 5시에 발송됩니다.", "The text is sent at 5 a.m."),
        ("진료 시간은 오전 10시~오후 7시입니다.", "We are open 10 p.m. to 7 a.m."),
        ("오전 9시 30분부터 상담이 가능합니다.", "Consultations are available from 9:30 p.m."),
        # values and compounds
        ("시술은 약 1시간 30분 걸립니다.", "The procedure takes about an hour."),
        ("9만 9천원입니다.", "It is 90,000 won."),
        ("250만원입니다.", "It is 25 million won."),
        ("부기는 5일 정도 갈 수 있습니다.", "Swelling may last a while."),
    ],
)
def test_changed_numbers_units_and_times_of_day_written_in_words_are_errors(source: str, target: str) -> None:
    findings = check_numbers(source, target)
    assert findings and {(f.check, f.severity) for f in findings} == {("numbers", Severity.ERROR)}


def test_values_of_one_unit_swapped_are_a_warning() -> None:
    source = "이마 보톡스 20유닛, 미간 보톡스 10유닛이 기본입니다."
    assert check_numbers(source, "Standard doses are 20 units for the forehead and 10 units between the brows.") == []
    [finding] = check_numbers(source, "Standard doses are 10 units for the forehead and 20 units between the brows.")
    assert finding.severity is Severity.WARNING and "swapped" in finding.message
    [finding] = check_numbers(
        "리쥬란 1회 35만원, 3회 패키지 90만원입니다.",
        "Rejuran costs 900,000 won for one session or 350,000 won for three.",
    )
    assert finding.severity is Severity.WARNING


def test_number_messages_show_the_numbers_as_written() -> None:
    [finding] = check_numbers("시술 시간은 30분입니다.", "The procedure takes 20 minutes.")
    assert finding.message == "numbers differ from the source: missing 30분; not in the source 20 minutes"
    [finding] = check_numbers("문자는 오후 5시에 발송됩니다.", "The text is sent at 5 a.m.")
    assert finding.message == "a unit or a.m./p.m. differs from the source: 오후 5시 → 5 a.m."


# --- issue 13: end punctuation, spaces, length -------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ('많은 분들이 "아프지 않나요?"라고 물어보십니다.', 'Many people ask, "Doesn\'t it hurt?"'),
        (
            '가장 많이 받는 질문은 "바로 출근할 수 있나요?"입니다.',
            'The question we hear most is, "Can I go back to work?"',
        ),
        (
            '시술 후 "언제부터 화장해도 되나요?"라는 질문을 자주 받습니다.',
            'We are often asked, "When can I wear makeup?"',
        ),
        ('원장님께 "효과가 얼마나 가나요?"라고 여쭤보세요.', 'Ask the doctor, "How long do the results last?"'),
        ('많은 분들이 "아프지 않나요?"라고 물어보십니다.', 'Many people ask, "Doesn\'t it hurt?".'),
    ],
)
def test_english_ends_a_sentence_with_its_quoted_question(source: str, target: str) -> None:
    assert check_form(source, target, "en") == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ('많은 분들이 "아프지 않나요?"라고 물어보십니다.', 'Many people ask, "Doesn\'t it hurt."'),
        (
            '상담 시 "어떤 장비가 맞나요?"라고 물어보시면 안내해 드립니다.',
            'If you ask, "Which device is right for me," we advise you.',
        ),
        # the source goes on after its quoted question: the translation stopped at the quote
        (
            '상담 시 "어떤 장비가 맞나요?"라고 물어보시면 안내해 드립니다.',
            'If you ask at your consultation, "Which one is right?"',
        ),
        ("많은 분들이 아프지 않은지 물어보십니다.", 'Many people ask, "Doesn\'t it hurt?"'),
    ],
)
def test_a_quoted_question_that_lost_or_gained_its_mark_is_flagged(source: str, target: str) -> None:
    assert names(check_form(source, target, "en")) == ["end-punctuation"]


def test_a_space_before_punctuation_is_flagged_except_where_the_language_wants_one() -> None:
    source = "딱지가 생기면 저절로 떨어질 때까지 기다려 주세요."
    assert names(check_form(source, "Wait for it to fall off on its own .", "en")) == ["whitespace"]
    assert names(check_form(source, "If a scab forms , wait for it to fall off on its own.", "en")) == ["whitespace"]
    assert check_form(source, "Wait for it to fall off ... on its own (about 3.5 days).", "en") == []
    assert check_form("정말 좋습니다!", "C'est vraiment bien !", "fr") == []
    assert names(check_form("정말 좋습니다.", "C'est vraiment bien .", "fr")) == ["whitespace"]


def test_english_shorter_than_1_2_characters_per_korean_one_is_flagged() -> None:
    source = "임신 중이거나 수유 중인 분은 시술을 받을 수 없습니다."  # 31 characters
    assert names(check_form(source, "The procedure is not available.", "en")) == ["length-ratio"]
    full = "The procedure is not available to women who are pregnant or breastfeeding."
    assert check_form(source, full, "en") == []
    assert check_form(source, "この施術は妊娠中・授乳中の方は受けられません。", "ja") == []
    # link destinations and URLs are copied, not translated: not counted on either side
    linked = "**[온라인 예약](https://booking.naver.com/booking/13/bizes/123456)**으로 신청해 주세요."
    done = "Please apply through **[online booking](https://booking.naver.com/booking/13/bizes/123456)**."
    assert check_form(linked, done, "en") == []
    assert names(check_form(linked, "**[Booking](https://booking.naver.com/booking/13/bizes/123456)**.", "en")) == [
        "length-ratio"
    ]


# --- issue 13: claims denied and claims missed --------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "The results of the procedure are not permanent, and aging continues.",
        "No lifting procedure guarantees the same results for everyone.",
        "We cannot guarantee results.",
        "There is no guarantee that the results will last.",
        "Under Article 56(2), we do not use patient testimonials in our advertising.",
        "We check your progress two weeks after the first procedure.",
        'Many patients tell us, "I want a natural result."',
        "No procedure is without side effects.",
    ],
)
def test_claims_denied_or_words_in_another_sense_are_not_claims(target: str) -> None:
    assert check_claims(target, "en") == []


@pytest.mark.parametrize(
    ("target", "claim"),
    [
        ("It gives the face a perfect, natural contour.", "perfect"),
        ("It usually clears within a week with no lasting side effects.", "no lasting side effects"),
        ("Apply plenty of moisturizer; there are no other side effects.", "no other side effects"),
        ("You can go back to work with almost no downtime and no side effects.", "no side effects"),
        ('It works well for fine lines: "My crow\'s feet vanished!" says one patient.', "says one patient"),
        ("A satisfied patient said the results were amazing.", "A satisfied patient said"),
        ("We were the first clinic in Korea to introduce Emface.", "the first clinic in Korea"),
        ("It is not only painless but also permanent.", "painless"),
    ],
)
def test_claims_the_old_patterns_missed_are_flagged(target: str, claim: str) -> None:
    [finding] = check_claims(target, "en")
    assert f'"{claim}"' in finding.message


def test_denial_is_english_only() -> None:
    assert names(check_claims("부작용이 없습니다.", "ko")) == ["prohibited-claims"]


def test_spaces_inside_inline_code_are_not_doubled_spaces_of_the_translation() -> None:
    assert not check_form("명령 `ls  -la`를 실행합니다.", "Run the command `ls  -la` in a terminal.", "en")
    [finding] = check_form("명령 `ls  -la`를 실행합니다.", "Run  the command `ls  -la` in a terminal.", "en")
    assert finding.check == "whitespace"
