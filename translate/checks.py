"""Quality checks: what a reviewer must look at before a translation reaches a patient.

Segment checks run on one source/target pair (at draft time, on edit, in ``translate check``);
page checks run on a whole article as published (in ``publish`` and ``translate check``). Every
check has a name and a default severity that the project's settings can change or switch off.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate import history
from translate.errors import InputError
from translate.fileio import read_text
from translate.glossary import Glossary, apply_glossary, load_glossary
from translate.languages import primary_subtag
from translate.markdown import cjk_only_emphasis, code_spans, inline_codes, parse_document
from translate.model import Finding, Severity, State, normalize_text, text_hash
from translate.notices import (
    SOURCE_NOTICE_RE,
    builtin_notice,
    configured_notices,
    unchecked_languages,
    unchecked_message,
)
from translate.po import read_units
from translate.project import Project, Settings
from translate.settings import checked
from translate.visible import TEXT, describe, phrases, visible_hangul

ERROR, WARNING = Severity.ERROR, Severity.WARNING

#: Every check and its default severity.
CHECKS: dict[str, Severity] = {
    "untranslated-korean": ERROR,
    "glossary": WARNING,
    "glossary-forbidden": ERROR,
    "do-not-translate": ERROR,
    "numbers": ERROR,
    "markup": ERROR,
    "empty": ERROR,
    "same-as-source": WARNING,
    "whitespace": WARNING,
    "end-punctuation": WARNING,
    "length-ratio": WARNING,
    "disclaimer": ERROR,
    "prohibited-claims": WARNING,
    "added-text": ERROR,
    "source-markup": WARNING,
}

_HANGUL_RE = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")
_BARE_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_CHARACTER_REFERENCE_RE = re.compile(r"&#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});")  # &#8203; is no number
HANGUL_LANGS = ("ko",)

# Claims that Korean medical-advertising rules (Medical Service Act art. 56) forbid or that a
# reviewer must confirm: guarantees, "no side effects", painless, permanent, superlatives, testimonials.
PROHIBITED_CLAIMS: dict[str, tuple[str, ...]] = {
    "en": (
        r"guarantee[sd]?",
        r"100\s?%",
        r"(?:no|zero|without(?: any)?)(?: [a-z]+)? side[- ]effects?",
        r"side[- ]effect[- ]free",
        r"painless(?:ly)?",
        r"pain[- ]free",
        r"(?:no|without(?: any)?) pain",
        r"permanent(?:ly)?",
        r"the best",
        r"best (?:results?|clinic|doctors?|treatments?)",
        r"number one|no\. ?1|#1",
        r"(?:the )?first (?:[a-z-]+ ){0,3}?(?:in (?:korea|asia|the world)|to (?:introduce|offer|use|bring|adopt))",
        r"first in korea|the only",
        r"perfect(?:ly|ion)?",
        r"completely safe|100% safe|risk[- ]free",
        r"miracle|magic(?:al)?",
        r"(?:complete|total) cure|cures? (?:completely|forever)",
        r"(?:patient|customer) (?:reviews?|testimonials?|stories)|testimonials?",
        r"(?:says|said|writes|wrote) (?:one|a|another) (?:[a-z]+ )?(?:patient|customer|client)",
        r"(?:one|a|another) (?:[a-z]+ )?(?:patient|customer|client) (?:says|said|writes|wrote)",
    ),
    "ko": (
        r"보장",
        r"100\s?%",
        r"부작용(?:이|은)?\s?(?:없|전혀)",
        r"통증(?:이|은)?\s?없",
        r"무통",
        r"영구적?",
        r"최고",
        r"최초",
        r"유일",
        r"완치",
        r"완벽",
        r"확실한 효과",
        r"치료\s?(?:경험담|후기)|시술\s?후기",
    ),
}

# Characters of target text per character of Korean source below which a translation is
# suspiciously short (often truncated machine translation); CJK targets are compact. English
# measured on the 288 correct translations of bench/checks/pairs.yaml of 20 characters or more
# (without link destinations, code and URLs): lowest 1.24, 1st percentile 1.32, median 2.23.
MIN_LENGTH_RATIO: dict[str, float] = {"en": 1.2, "ja": 0.35, "zh": 0.25}
DEFAULT_MIN_LENGTH_RATIO = 0.8
MIN_LENGTH_FOR_RATIO = 20


@dataclass(frozen=True)
class CheckConfig:
    """A project's choices: severities (or "off") per check, notices and claims per language."""

    severities: Mapping[str, str] = field(default_factory=dict)
    disclaimers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    prohibited_claims: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Findings with the project's severities; switched-off checks dropped; duplicates merged."""
        out: list[Finding] = []
        for finding in dict.fromkeys(findings):
            level = self.severities.get(finding.check)
            if level == "off":
                continue
            out.append(Finding(finding.check, finding.message, Severity(level)) if level else finding)
        return out


DEFAULT_CONFIG = CheckConfig()


@functools.lru_cache(maxsize=1024)  # every check of a segment reads the same two texts
def _prose(text: str) -> str:
    """text without inline codes and URLs, where Hangul and numbers may legitimately stay."""
    for span in reversed(code_spans(text)):
        text = text[: span.start] + " " + text[span.end :]
    return _BARE_URL_RE.sub(" ", _CHARACTER_REFERENCE_RE.sub(" ", text) if "&#" in text else text)


def check_untranslated(target: str, lang: str) -> list[Finding]:
    """Hangul left in a language that does not use it (the "Its 특징 is" failure)."""
    if primary_subtag(lang) in HANGUL_LANGS or not _HANGUL_RE.search(target):
        return []
    words = _HANGUL_RE.findall(_prose(target))
    if not words:
        return []
    return [Finding("untranslated-korean", f"Korean text left untranslated: {', '.join(dict.fromkeys(words))}", ERROR)]


def check_markup(source: str, target: str) -> list[Finding]:
    """Links (same URLs), images, inline code, emphasis, HTML and shortcodes must survive translation."""
    expected, found = Counter(inline_codes(source)), Counter(inline_codes(target))
    findings = []
    if missing := expected - found:
        findings.append(
            Finding("markup", f"markup missing from the translation: {' '.join(missing.elements())}", ERROR)
        )
    if extra := found - expected:
        findings.append(Finding("markup", f"markup not in the source: {' '.join(extra.elements())}", ERROR))
    return findings


# --- numbers -------------------------------------------------------------------------------
#
# Each side is read into quantities: a value, what it counts (minutes, weeks, sessions, won, a
# time of day with or without a.m./p.m.) and how it is written. A number the source writes in
# digits must be in the translation (in digits or in words: 2회 -> "twice", 1주일 -> "a week");
# digits in the translation, and number words with a unit ("three days"), must come from the
# source; the same value counting something else (30분 -> "30 hours", 오후 5시 -> "5 a.m.") is an
# error. Numbers the source writes in words (하루, 일주일, 두 번) and the ways English says "one"
# ("a week", "per session", "each session", "one") are matched like the others but are never
# missing or extra by themselves: both languages also use them where no quantity is meant.

_DIGITS = r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(\.\d+)?(?!\d)"
_KO_NUMBER_RE = re.compile(_DIGITS + r"(?:\s?([천백]))?(?:\s?([만억]))?")
_TARGET_NUMBER_RE = re.compile(_DIGITS + r"(?:([千万萬億亿]))?")  # 5万円 in Japanese and Chinese
_MULTIPLIERS = {
    "백": 100, "천": 1_000, "만": 10_000, "억": 100_000_000, "千": 1_000, "万": 10_000, "萬": 10_000,
    "億": 100_000_000, "亿": 100_000_000, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
    "billion": 1_000_000_000,
}  # fmt: skip
_EN_MULTIPLIER_RE = re.compile(r"[ \t-](hundred|thousand|million|billion)(?![A-Za-z])", re.IGNORECASE)
_CARDINALS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "twice": 2, "thrice": 3,
}  # fmt: skip
# Words for a number that are not a count by themselves: "one" (also a pronoun), "once" (also
# "as soon as"), ordinals, noon; month names count only capitalised ("may" is a verb).
_SOFT_WORDS = {
    "zero": 0, "one": 1, "once": 1, "single": 1, "double": 2, "half": 0.5, "first": 1, "second": 2,
    "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "noon": 12, "midnight": 12,
}  # fmt: skip
_MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "August": 8,
    "September": 9, "October": 10, "November": 11, "December": 12,
}  # fmt: skip
_NUMBER_WORDS = {**_CARDINALS, **_SOFT_WORDS}
_CARDINALS_ONES = {"one": 1, **{word: value for word, value in _CARDINALS.items() if value < 10}}
_COUNTING_WORDS = {*_CARDINALS, "one", "single", "double", "half"}  # may take a unit: "one session"
_WORD_UNITS = {"once": "times", "twice": "times", "thrice": "times", "noon": "clock-pm", "midnight": "clock-am"}
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_EN_WORD_RE = re.compile(
    rf"(?<![A-Za-z])(?:({_TENS})-({_ONES})|("
    + "|".join(sorted([*_CARDINALS, *_SOFT_WORDS, *_MONTHS], key=len, reverse=True))
    + r"))(?![A-Za-z])",
    re.IGNORECASE,
)
# What a number counts, in each language; the key names the unit in messages.
_KO_UNITS: dict[str, tuple[str, ...]] = {
    "minute": ("분",), "hour": ("시간",), "clock": ("시",), "day": ("일",), "week": ("주일", "주"),
    "month": ("개월", "달"), "year": ("년",), "times": ("회", "번", "차례", "배"), "mm": ("mm", "밀리미터"),
    "cm": ("cm", "센티미터"), "cc": ("cc",), "ml": ("ml",), "percent": ("%", "퍼센트", "프로"), "won": ("원",),
    "age": ("세", "살"), "unit": ("유닛",), "shot": ("샷",),
}  # fmt: skip
_EN_UNITS: dict[str, tuple[str, ...]] = {
    "minute": ("minutes", "minute", "mins", "min"), "hour": ("hours", "hour", "hrs", "hr", "h"),
    "day": ("days", "day"), "week": ("weeks", "week", "wks"), "month": ("months", "month"),
    "age": ("years old", "year-old", "year old", "years of age"), "year": ("years", "year", "yrs"),
    "times": ("times", "time", "sessions", "session", "treatments", "treatment", "procedures", "procedure",
              "rounds", "round"),
    "mm": ("mm", "millimeters", "millimetres", "millimeter", "millimetre"),
    "cm": ("cm", "centimeters", "centimetres", "centimeter", "centimetre"), "cc": ("cc",), "ml": ("ml",),
    "percent": ("%", "percent", "per cent"), "won": ("won", "krw"), "unit": ("units", "unit"),
    "shot": ("shots", "shot"), "clock": ("o'clock", "o’clock"),
}  # fmt: skip
_KO_UNIT_OF = {word: unit for unit, words in _KO_UNITS.items() for word in words}
_EN_UNIT_OF = {word: unit for unit, words in _EN_UNITS.items() for word in words}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_KO_UNIT_RE = re.compile(r"\s?(" + _alternatives(_KO_UNIT_OF) + r")(?![A-Za-z트])", re.IGNORECASE)
_EN_UNIT_RE = re.compile(r"(?:(?=%)|[ \t-])(" + _alternatives(_EN_UNIT_OF) + r")(?![A-Za-z])", re.IGNORECASE)
_NOT_MODIFIERS = (
    "a", "an", "the", "of", "to", "and", "or", "nor", "for", "in", "on", "at", "by", "with", "from", "per", "each",
    "every", "than", "as", "after", "before", "within", "until", "over", "under", "about", "around", "between",
    "into", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "we", "you",
    "they", "your", "our", "their", "which", "who", "when", "where", "if", "then", "so", "but", "not", "no",
    "apart", "later", "ago", "earlier", "early", "late", "more", "less", "am", "pm",
)  # fmt: skip
# "10 pico toning sessions", "five or more sessions": up to two words between a number and its unit.
_EN_UNIT_LATER_RE = re.compile(
    r"(?:[ \t]or (?:more|fewer|less|longer|so))?(?:[ \t-](?!(?:"
    + "|".join([*_NOT_MODIFIERS, *_CARDINALS, *_SOFT_WORDS, *_EN_UNIT_OF])
    + r")(?![A-Za-z]))[A-Za-z]+){0,2}[ \t-]("
    + _alternatives(w for w in _EN_UNIT_OF if len(w) > 3)
    + r")(?![A-Za-z])",
    re.IGNORECASE,
)
_EN_MERIDIEM_RE = re.compile(r"\s?([AaPp])\.?\s?[Mm](?![A-Za-z])\.?")
_EN_CLOCK_RE = re.compile(r":(\d{2})(?!\d)")
_EN_CLOCK_MINUTES_RE = re.compile(r"\d:$")
# "a week", "per session", "each area", "every year": one, said without a number.
_EN_IMPLIED_ONE_RE = re.compile(
    r"(?<![A-Za-z])(a|an|each|per|every)\s+(?:(?:single|full|whole)\s+)?([A-Za-z]+)(?![A-Za-z])", re.IGNORECASE
)
_EN_HALF_RE = re.compile(
    rf"(?<![A-Za-z\d])(?:(an?|one|\d+|[A-Za-z]+)\s({_alternatives(_EN_UNIT_OF)})\sand\sa\shalf"
    rf"|(an?|one|\d+|[A-Za-z]+)\sand\sa\shalf\s({_alternatives(_EN_UNIT_OF)})"
    rf"|half\s(?:an?\s)?({_alternatives(_EN_UNIT_OF)})|half\spast)(?![A-Za-z])",
    re.IGNORECASE,
)
_EN_RANGE_RE = re.compile(r"\s*(?:to|-|–|~|or|and)\s*", re.IGNORECASE)
_KO_RANGE_RE = re.compile(r"\s?[~～\-–]\s?")
_DURATION_JOIN_RE = re.compile(r"\s*(?:and\s+)?", re.IGNORECASE)
_KO_MERIDIEM_RE = re.compile(r"(오전|오후|아침|저녁|밤|낮|새벽)\s?$")
_KO_PM = ("오후", "저녁", "밤", "낮")
_DURATIONS = ("hour", "day", "week", "month", "year")
_KO_HALF_RE = re.compile(r"\s?반(?=$|[\s.,)~]|이|에|정도|쯤|만|까지|동안|간|의)")
# Numbers Korean writes in words: 하루, 일주일, 두 번, 한 달; 주/월/연 before N회 (주 1회: a week).
_KO_NATIVE = {
    "한": 1, "두": 2, "세": 3, "석": 3, "네": 4, "넉": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
    "아홉": 9, "열": 10, "열한": 11, "열두": 12, "스무": 20,
}  # fmt: skip
_KO_WORDS: dict[str, tuple[float, str]] = {
    "하루": (1, "day"), "이틀": (2, "day"), "사흘": (3, "day"), "나흘": (4, "day"), "일주일": (1, "week"),
    "보름": (15, "day"), "격일": (2, "day"), "격주": (2, "week"), "반년": (6, "month"),
    "정오": (12, "clock-pm"), "자정": (12, "clock-am"),
}  # fmt: skip
_KO_COUNTERS = {"번": "times", "차례": "times", "달": "month", "시간": "hour", "주": "week", "살": "age"}
_KO_SPACED_COUNTERS = {"시": "clock", "해": "year", "배": "times"}  # 한시적, 한해: not numbers
_KO_WORD_RE = re.compile(
    rf"(?<![가-힣])(?:({'|'.join(_KO_WORDS)})|({_alternatives(_KO_NATIVE)})"
    rf"(?:\s?({_alternatives(_KO_COUNTERS)})|\s({'|'.join(_KO_SPACED_COUNTERS)})))(?![가-힣]*째)"
)
_KO_PERIOD_RE = re.compile(r"(?<![가-힣])(매주|매월|매년|매일|주|월|연|일)\s?(?=(\d+\s?(?:회|번)))")
_KO_PERIODS = {"매주": "week", "주": "week", "매월": "month", "월": "month", "매년": "year", "연": "year",
               "매일": "day", "일": "day"}  # fmt: skip
_CLOCKS = ("clock", "clock-am", "clock-pm")
_UNIT_NAMES = {"clock": "o'clock", "clock-am": "a.m.", "clock-pm": "p.m.", "times": "times", "age": "years of age"}


@dataclass
class _Quantity:
    value: float
    unit: str | None
    start: int
    end: int
    shown: str  # as written, for messages
    kind: str  # "digits"; "words" (a count in words: "three days"); "soft" (matches, never missing or extra)


def _clock(value: float, meridiem: str | None) -> tuple[float, str]:
    """A time of day: 14시 is 2 p.m.; 오후 2시 and "2 p.m." are p.m.; 2시 and "2:00" either."""
    if meridiem is None and 12 < value < 24:
        return value - 12, "clock-pm"
    return value, "clock" if meridiem is None else f"clock-{meridiem}"


def _as_clock(value: float, unit: str | None) -> tuple[float, str | None]:
    """_clock for a number whose unit is a time of day (2 p.m., 14:00); other units as they are."""
    if unit not in _CLOCKS:
        return value, unit
    return _clock(value, None if unit == "clock" else unit[-2:])


def _korean_quantities(text: str) -> list[_Quantity]:
    """The quantities of a Korean text: 30분, 3~6개월, 9만 9천원, 오후 2시, 하루, 두 번, 주 1회."""
    spans: list[tuple[float, int, int, int]] = []  # value, start, end, its 만 or 억 (0: none)
    for match in _KO_NUMBER_RE.finditer(text):
        value = float(match.group(1).replace(",", "") + (match.group(2) or ""))
        big = _MULTIPLIERS[match.group(4)] if match.group(4) else 0
        value *= (_MULTIPLIERS[match.group(3)] if match.group(3) else 1) * (big or 1)
        follows = spans and not text[spans[-1][2] : match.start()].strip()
        if follows and (match.group(3) or big) and spans[-1][3] > value:  # 9만 9천원, 1억 5천만원: one number
            spans[-1] = (spans[-1][0] + value, spans[-1][1], match.end(), big)
        else:
            spans.append((value, match.start(), match.end(), big))
    found: list[_Quantity] = []
    for value, start, end, _ in spans:
        unit: str | None = None
        if unit_match := _KO_UNIT_RE.match(text, end):
            unit, end = _KO_UNIT_OF[unit_match.group(1).lower()], unit_match.end()
        elif text[max(0, start - 1) : start] == "₩":
            unit = "won"
        if unit == "clock":
            if meridiem := _KO_MERIDIEM_RE.search(text, max(0, start - 4), start):
                start = meridiem.start()
                pm = meridiem.group(1) in _KO_PM and not (meridiem.group(1) == "밤" and value == 12)
            value, unit = _clock(value, None if meridiem is None else "pm" if pm else "am")
            if half := _KO_HALF_RE.match(text, end):  # 2시 반: half past two
                found.append(_Quantity(30, "minute", half.start(), half.end(), half.group().strip(), "soft"))
        elif unit in _DURATIONS and (half := _KO_HALF_RE.match(text, end)):  # 1시간 반
            value, end = value + 0.5, half.end()
        found.append(_Quantity(value, unit, start, end, text[start:end].strip(), "digits"))
    for match in _KO_WORD_RE.finditer(text):
        if match.group(1):
            value, unit = _KO_WORDS[match.group(1)]
        else:
            value = _KO_NATIVE[match.group(2)]
            unit = _KO_COUNTERS[match.group(3)] if match.group(3) else _KO_SPACED_COUNTERS[match.group(4)]
        found.append(_Quantity(value, unit, match.start(), match.end(), match.group(), "soft"))
    for match in _KO_PERIOD_RE.finditer(text):
        shown = f"{match.group(1)} {match.group(2)}"
        found.append(_Quantity(1, _KO_PERIODS[match.group(1)], match.start(), match.end(), shown, "soft"))
    return _shared_units(text, found, _KO_RANGE_RE)


def _english_quantities(text: str) -> list[_Quantity]:
    """The quantities of a translation: "30 minutes", "three to four weeks", "2.5 million won",
    "2 p.m.", "1:50", "an hour and a half", "once a week", "per session" (and digits in any language)."""
    found: list[_Quantity] = []

    def free(start: int, end: int) -> bool:
        return not any(q.start < end and start < q.end for q in found)

    def add(value: float, unit: str | None, start: int, end: int, kind: str) -> None:
        found.append(_Quantity(value, unit, start, end, text[start:end].strip(), kind))

    def unit_after(end: int, later: bool = True) -> tuple[str | None, int]:
        """The unit after a number (also a.m./p.m.), and where it ends."""
        match = _EN_UNIT_RE.match(text, end) or (_EN_UNIT_LATER_RE.match(text, end) if later else None)
        if match:
            return _EN_UNIT_OF[match.group(1).lower()], match.end()
        if meridiem := _EN_MERIDIEM_RE.match(text, end):
            return _clock(0, "am" if meridiem.group(1) in "Aa" else "pm")[1], meridiem.end()
        return None, end

    for match in _EN_HALF_RE.finditer(text):  # "an hour and a half", "one and a half hours", "half an hour"
        count = (match.group(1) or match.group(3) or "").lower()
        unit_word = match.group(2) or match.group(4) or match.group(5)
        whole = int(count) if count.isdigit() else 1 if count in ("a", "an", "one") else _CARDINALS.get(count, 0)
        if unit_word is None:  # "half past nine": the half hour
            add(30, "minute", match.start(), match.end(), "soft")
        elif whole or not count:
            kind = "digits" if count.isdigit() else "words" if count in _CARDINALS else "soft"
            add(whole + 0.5, _EN_UNIT_OF[unit_word.lower()], match.start(), match.end(), kind)
    for match in _TARGET_NUMBER_RE.finditer(text):
        start, end = match.span()
        if not free(start, end) or _EN_CLOCK_MINUTES_RE.search(text, 0, start):
            continue  # the minutes of 1:50, read with its hour
        value = float(match.group(1).replace(",", "") + (match.group(2) or ""))
        if match.group(3):
            value *= _MULTIPLIERS[match.group(3)]
        elif multiplier := _EN_MULTIPLIER_RE.match(text, end):
            value, end = value * _MULTIPLIERS[multiplier.group(1).lower()], multiplier.end()
        if clock := _EN_CLOCK_RE.match(text, end):  # 1:50, 9:30 a.m.
            meridiem, after = unit_after(clock.end(), later=False)
            value, unit = _as_clock(value, meridiem if meridiem in _CLOCKS else "clock")
            add(value, unit, start, after, "digits")
            if int(clock.group(1)):
                add(int(clock.group(1)), "minute", clock.start() + 1, clock.end(), "digits")
            continue
        unit, end = unit_after(end)
        if unit is None and (text[max(0, start - 1) : start] == "₩" or text[max(0, start - 4) : start] == "KRW "):
            unit = "won"
        value, unit = _as_clock(value, unit)
        add(value, unit, start, end, "digits")
    for match in _EN_WORD_RE.finditer(text):
        start, end = match.span()
        word = match.group().lower()
        if not free(start, end) or (match.group(3) and match.group(3) not in _MONTHS and word not in _NUMBER_WORDS):
            continue  # "may", "march": a month only capitalised
        if match.group(3) in _MONTHS:
            add(_MONTHS[match.group(3)], None, start, end, "soft")
            continue
        if match.group(1):  # twenty-five
            value = float(_CARDINALS[match.group(1).lower()] + _CARDINALS_ONES[match.group(2).lower()])
        else:
            value = float(_NUMBER_WORDS[word])
        unit = _WORD_UNITS.get(word)
        if match.group(1) or word in _COUNTING_WORDS:
            if multiplier := _EN_MULTIPLIER_RE.match(text, end):
                value, end = value * _MULTIPLIERS[multiplier.group(1).lower()], multiplier.end()
            if unit is None:
                unit, end = unit_after(end)
                value, unit = _as_clock(value, unit)
        add(value, unit, start, end, "words" if match.group(1) or word in _CARDINALS else "soft")
    for match in _EN_IMPLIED_ONE_RE.finditer(text):  # "a week", "per session", "each area", "every year"
        word, article = match.group(2).lower(), match.group(1).lower()
        if free(match.start(2), match.end(2)) and word not in _NUMBER_WORDS:
            unit = _EN_UNIT_OF.get(word)
            if unit is not None or article not in ("a", "an"):
                add(1, unit, match.start(), match.end(), "soft")
    return _shared_units(text, found, _EN_RANGE_RE)


def _shared_units(text: str, found: list[_Quantity], ranges: re.Pattern[str]) -> list[_Quantity]:
    """Units shared over a range (3~4개월, "three to four weeks", 오후 1시~2시); hours as minutes,
    and hours followed by minutes one duration (1시간 30분 = "an hour and a half")."""
    found.sort(key=lambda q: q.start)
    for first, second in itertools.pairwise(found):
        if first.end > second.start or not ranges.fullmatch(text, first.end, second.start):
            continue
        if first.unit is None and second.unit is not None:
            first.unit = second.unit
            first.shown += f" ({_unit_name(second.unit)})"
        elif first.unit in ("clock-am", "clock-pm") and second.unit == "clock":
            second.unit = first.unit
    out: list[_Quantity] = []
    hours: _Quantity | None = None  # the last quantity, when it is in hours
    for q in found:
        if q.unit == "minute" and hours is not None and _DURATION_JOIN_RE.fullmatch(text, hours.end, q.start):
            hours.value, hours.end, hours.shown = hours.value + q.value, q.end, text[hours.start : q.end].strip()
            hours = None
            continue
        hours = q if q.unit == "hour" else None
        if q.unit == "hour":
            q.value, q.unit = q.value * 60, "minute"
        out.append(q)
    return out


def _unit_name(unit: str | None) -> str:
    return _UNIT_NAMES.get(unit or "", f"{unit}s")


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a))


def _compatible(a: str | None, b: str | None) -> bool:
    """Units that may be the same thing: equal, one unknown, a time of day with and without a.m./p.m."""
    return a is None or b is None or a == b or (a in _CLOCKS and b in _CLOCKS and "clock" in (a, b))


def _pair(source_q: list[_Quantity], target_q: list[_Quantity]) -> tuple[dict[int, int], list[int]]:
    """Source quantity -> target quantity of the same value: same unit first, then a compatible one
    (numbers in digits before the source's words), then any unit; and the pairs whose units differ."""
    partner: dict[int, int] = {}
    taken: set[int] = set()
    changed: list[int] = []
    order = sorted(range(len(source_q)), key=lambda i: source_q[i].kind != "digits")
    rounds: tuple[Callable[[str | None, str | None], bool], ...] = (
        lambda a, b: a is not None and a == b,
        _compatible,
        lambda a, b: b is not None,
    )
    for number, fits in enumerate(rounds):
        for i in order:
            s = source_q[i]
            if i in partner:
                continue
            for j, t in enumerate(target_q):
                if j not in taken and _same(s.value, t.value) and fits(s.unit, t.unit):
                    partner[i] = j
                    taken.add(j)
                    if number == 2:
                        changed.append(i)
                    break
    return partner, changed


def check_numbers(source: str, target: str) -> list[Finding]:
    """Numbers (ranges, decimals, prices, counts, times of day) and what they count must carry over.

    3~6개월 -> "3 to 6 months", 1주일 -> "a week", 1회 기준 -> "per session", 오후 2시 -> "2 p.m.",
    9만 9천원 -> "99,000 won" and 1시간 30분 -> "an hour and a half" pass; a number missing or
    added, a unit changed (also on numbers in words: 3~4개월 -> "three to four weeks", 일주일 ->
    "a month") and a.m. for p.m. are errors; values of one unit in another order than the
    source's ("10 units ... 20 units" for 20 then 10) are a warning.
    """
    source_q = _korean_quantities(_prose(source))
    target_q = _english_quantities(_prose(target))
    partner, changed = _pair(source_q, target_q)
    paired = set(partner.values())
    values = [q.value for q in source_q]
    missing = [q.shown for i, q in enumerate(source_q) if i not in partner and q.kind == "digits"]
    extra = [
        q.shown
        for j, q in enumerate(target_q)
        if j not in paired
        and (q.kind == "digits" or (q.kind == "words" and q.unit and not any(_same(q.value, v) for v in values)))
    ]
    findings = []
    if missing or extra:
        parts = (["missing " + ", ".join(missing)] if missing else []) + (
            ["not in the source " + ", ".join(extra)] if extra else []
        )
        findings.append(Finding("numbers", f"numbers differ from the source: {'; '.join(parts)}", ERROR))
    if changed:
        shown = ", ".join(f"{source_q[i].shown} → {target_q[partner[i]].shown}" for i in changed)
        findings.append(Finding("numbers", f"a unit or a.m./p.m. differs from the source: {shown}", ERROR))
    by_unit: dict[str, list[tuple[int, int]]] = {}
    for i, j in sorted(partner.items()):
        s, t = source_q[i], target_q[j]
        if s.unit is not None and s.unit == t.unit and s.kind == t.kind == "digits":
            by_unit.setdefault(s.unit, []).append((j, i))
    for unit, pairs in by_unit.items():
        if [j for j, _ in pairs] != sorted(j for j, _ in pairs):
            shown = ", ".join(source_q[i].shown for _, i in pairs)
            message = f"the {_unit_name(unit)} are in another order than in the source ({shown}): were any swapped?"
            findings.append(Finding("numbers", message, WARNING))
    return findings


# --- form --------------------------------------------------------------------------------

_END_CLASS = {".": ".", "。": ".", "!": "!", "！": "!", "?": "?", "？": "?", ":": ":", "：": ":"}
_TRAILERS = "\"'”’」』)]}*_` "
_CLOSING_QUOTES = "\"'”’」』"
_QUESTION_MARKS = ("?", "？")
# A quoted question or exclamation in Korean: "아프지 않나요?"라고
_KO_QUOTED_END_RE = re.compile(r"[?!？！][\"'”’」』]")
# A Korean connective ending: another clause follows (물어보시면 …, 있어서 …)
_KO_CONNECTIVE_RE = re.compile(r"(?:면|서|며|지만|는데|니까|므로|도록|고)$")
# A space before punctuation ("on its own ."); French sets one before ; : ! ? (not . or ,)
_SPACE_BEFORE_PUNCT_RE = {
    "fr": re.compile(r"(?<=\S) +[.,](?![\w.()])"),
    "": re.compile(r"(?<=\S) +[.,;:!?](?![\w.()])"),
}
_LINK_DESTINATION_RE = re.compile(r"\]\([^)]*\)")


def _end_class(text: str) -> str | None:
    stripped = text.rstrip(_TRAILERS)
    return _END_CLASS.get(stripped[-1:]) if stripped else None


def _ends_with_the_quote(source: str, target: str) -> bool:
    """Whether the source's sentence ends after a quoted question (…"아프지 않나요?"라고 물어보십니다.)
    and the translation, as English writes it, with the quote (Many people ask, "Doesn't it hurt?")."""
    stripped = target.rstrip(" *_`)]}")
    if not stripped or stripped[-1] not in _CLOSING_QUOTES or stripped.rstrip(_CLOSING_QUOTES)[-1:] not in "?!？！":
        return False
    quotes = list(_KO_QUOTED_END_RE.finditer(source))
    if not quotes:
        return False
    reporting = source[quotes[-1].end() :].rstrip(_TRAILERS + ".。").split()
    # only the quote's own reporting clause follows it: 라고 물어보십니다, 라는 질문을 자주 받습니다, 입니다
    return "," not in source[quotes[-1].end() :] and not any(_KO_CONNECTIVE_RE.search(w) for w in reporting[1:])


def _masked(text: str) -> str:
    """text with each inline code one placeholder: spaces inside `ls  -la` are the code's own."""
    for span in reversed(code_spans(text)):
        text = text[: span.start] + "\ufffc" + text[span.end :]
    return text


def _prose_length(text: str) -> int:
    """Characters a translator translates: without link destinations, code and URLs."""
    return len(_prose(_LINK_DESTINATION_RE.sub("]", text)).strip())


def check_form(source: str, target: str, lang: str) -> list[Finding]:
    """empty, same-as-source, whitespace, end-punctuation and length-ratio."""
    if not target.strip():
        return [Finding("empty", "the translation is empty", ERROR)]
    findings = []
    if (
        primary_subtag(lang) not in HANGUL_LANGS
        and normalize_text(target) == normalize_text(source)
        and _HANGUL_RE.search(source)
    ):
        findings.append(Finding("same-as-source", "the translation is the Korean source itself", WARNING))
    space_before = _SPACE_BEFORE_PUNCT_RE.get(primary_subtag(lang), _SPACE_BEFORE_PUNCT_RE[""])
    if target != target.strip() or "  " in _masked(target) or "\n" in target:
        findings.append(Finding("whitespace", "leading, trailing, doubled spaces or line breaks in the translation"))
    elif space_before.search(_BARE_URL_RE.sub("", target)) and not space_before.search(_BARE_URL_RE.sub("", source)):
        findings.append(Finding("whitespace", "a space before punctuation in the translation"))
    source_end, target_end = _end_class(source), _end_class(target)
    asked = sum(map(_prose(source).count, _QUESTION_MARKS))
    answered = sum(map(_prose(target).count, _QUESTION_MARKS))
    if source_end == "." and target_end in ("?", "!") and _ends_with_the_quote(source, target):
        target_end = "."  # English ends the sentence with the quote's own mark: ask, "Doesn't it hurt?"
    if (source_end != target_end and "?" in (source_end, target_end)) or (source_end == "." and target_end is None):
        findings.append(
            Finding("end-punctuation", f"the source ends with {source_end or 'no punctuation'}, "
                    f"the translation with {target_end or 'none'}")
        )  # fmt: skip
    elif asked != answered:
        findings.append(
            Finding("end-punctuation", f"the source has {asked} question mark{'s' * (asked != 1)}, "
                    f"the translation {answered}: did a quoted question lose its question mark?")
        )  # fmt: skip
    source_length = _prose_length(source)
    if source_length >= MIN_LENGTH_FOR_RATIO:
        minimum = MIN_LENGTH_RATIO.get(primary_subtag(lang), DEFAULT_MIN_LENGTH_RATIO)
        if (target_length := _prose_length(target)) < minimum * source_length:
            findings.append(
                Finding("length-ratio", f"the translation is much shorter than the source "
                        f"({target_length} vs {source_length} characters): is something cut off?")
            )  # fmt: skip
    return findings


# --- compliance ---------------------------------------------------------------------------


# An English claim denied in its own clause is not a claim: "not permanent", "No procedure
# guarantees ...", "we do not use patient testimonials"; "not only" is no denial.
_NEGATORS = frozenset({"not", "no", "never", "cannot", "nor", "neither"})
_CLAUSE_START_RE = re.compile(r".*[.,;:!?()\[\]\"“”—–]", re.DOTALL)
_NEGATION_WINDOW = 4  # words before the claim
_CONJUNCTIONS = frozenset({"and", "but", "or", "so", "yet", "while", "although", "though", "because"})


def _denied(text: str, start: int) -> bool:
    """Whether the claim at ``start`` follows a negation in the same clause ("are not permanent")."""
    words = re.findall(r"[A-Za-z’']+", _CLAUSE_START_RE.sub("", text[:start]).casefold())
    for i in range(len(words) - 1, -1, -1):
        if words[i] in _CONJUNCTIONS:  # "no downtime and no side effects": the claim has its own clause
            words = words[i + 1 :]
            break
    words = words[-_NEGATION_WINDOW:]
    return any(
        (word in _NEGATORS or word.endswith(("n't", "n’t"))) and words[i + 1 : i + 2] not in (["only"], ["just"])
        for i, word in enumerate(words)
    )


def check_claims(target: str, lang: str, config: CheckConfig = DEFAULT_CONFIG) -> list[Finding]:
    """Advertising claims a reviewer must confirm (guarantees, "painless", "the best"...); in English,
    a claim the sentence denies ("not permanent", "no procedure guarantees") is none."""
    regex = _claims_regex(primary_subtag(lang), config.prohibited_claims.get(lang, ()))
    if regex is None or not regex.search(target):
        return []
    prose = _prose(target)
    english = primary_subtag(lang) == "en"
    found = dict.fromkeys(m.group(0) for m in regex.finditer(prose) if not (english and _denied(prose, m.start())))
    if not found:
        return []
    claims = ", ".join(f'"{c}"' for c in found)
    return [Finding("prohibited-claims", f"medical-advertising rules: confirm or remove {claims}")]


@functools.lru_cache(maxsize=64)
def _claims_regex(base_lang: str, extra: tuple[str, ...]) -> re.Pattern[str] | None:
    patterns = (*PROHIBITED_CLAIMS.get(base_lang, ()), *extra)
    if not patterns:
        return None
    if base_lang in ("ko", "ja", "zh"):  # no spaces between words: a claim may sit inside one
        return re.compile("(?:" + "|".join(patterns) + ")", re.IGNORECASE)
    return re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])", re.IGNORECASE)


def check_config(settings: Settings, path: object = "pyproject.toml") -> CheckConfig:
    """The project's CheckConfig from its settings, validated by the settings table (a Settings built
    in code is checked here as ``Project.open`` checks the file)."""
    severities, disclaimers, prohibited_claims = (
        checked(name, getattr(settings, name), str(path)) for name in ("checks", "disclaimers", "prohibited_claims")
    )
    return CheckConfig(severities, disclaimers, prohibited_claims)


def check_translation(
    source: str, target: str, lang: str, glossary: Glossary, config: CheckConfig = DEFAULT_CONFIG
) -> list[Finding]:
    """Every segment finding for a translation, as a reviewer will see it (the text is not changed)."""
    form = check_form(source, target, lang)
    if any(f.check == "empty" for f in form):
        return config.apply(form)
    _, glossary_findings = apply_glossary(source, target, lang, glossary)
    return config.apply(
        [
            *check_untranslated(target, lang),
            *check_numbers(source, target),
            *check_markup(source, target),
            *glossary_findings,
            *form,
            *check_claims(target, lang, config),
        ]
    )


@dataclass(frozen=True)
class PageFinding:
    """A finding on a published page, with the line it is on (None: the page as a whole)."""

    line: int | None
    finding: Finding


def check_page(
    text: str,
    lang: str,
    front_matter_keys: Iterable[str],
    config: CheckConfig = DEFAULT_CONFIG,
    *,
    path: object = None,
    source_text: str | None = None,
) -> list[PageFinding]:
    """Checks of a whole published page: Korean left anywhere a reader sees it, advertising claims,
    the required notices (``source_text``: the Korean article, for the built-in legal notice)."""
    doc = parse_document(text, front_matter_keys=tuple(front_matter_keys), path=path)
    segments = [(s.line, s.source) for s in doc.segments]
    return check_page_segments(text, segments, lang, config, path=path, source_text=source_text)


def check_page_segments(
    text: str,
    segments: Iterable[tuple[int, str]],
    lang: str,
    config: CheckConfig = DEFAULT_CONFIG,
    *,
    path: object = None,
    source_text: str | None = None,
) -> list[PageFinding]:
    """The page checks, given the page's text and its segments' texts with their lines.

    Korean is looked for in the whole page, not only in its segments: a title attribute, a
    shortcode parameter or a front-matter value left in Korean is an error on its line.
    """
    results: list[PageFinding] = []
    if primary_subtag(lang) not in HANGUL_LANGS:
        results.extend(_untranslated_on_page(text, path, config))
    for line, segment in segments:
        for finding in config.apply(check_claims(segment, lang, config)):
            results.append(PageFinding(line, finding))
    results.extend(PageFinding(None, f) for f in config.apply(_notices_missing(text, lang, config, source_text)))
    return results


def _untranslated_on_page(text: str, path: object, config: CheckConfig) -> list[PageFinding]:
    """One untranslated-korean finding per line holding Hangul a reader sees."""
    by_line: dict[int, dict[str, list[str]]] = {}  # line -> where -> phrases
    for run in phrases(text, visible_hangul(text, path=path)):
        by_line.setdefault(run.line, {}).setdefault("" if run.where == TEXT else describe(run), []).append(run.text)
    results: list[PageFinding] = []
    for line, places in sorted(by_line.items()):
        shown = "; ".join(
            ", ".join(dict.fromkeys(words)) + (f" ({where})" if where else "") for where, words in places.items()
        )
        message = f"Korean text left untranslated: {shown}"
        results.extend(PageFinding(line, f) for f in config.apply([Finding("untranslated-korean", message, ERROR)]))
    return results


def _notices_missing(text: str, lang: str, config: CheckConfig, source_text: str | None) -> list[Finding]:
    """The configured notices of the language the page lacks; without any configured, the built-in
    legal notice when the Korean article has it."""
    configured = configured_notices(config.disclaimers, lang)
    body = normalize_text(text).casefold()
    if configured:
        return [
            Finding(
                "disclaimer",
                f'the required notice is missing: "{notice}" (configured in [tool.translate.disclaimers])',
                ERROR,
            )
            for notice in configured
            if normalize_text(notice).casefold() not in body
        ]
    notice = builtin_notice(lang)
    if notice is None or source_text is None or not SOURCE_NOTICE_RE.search(source_text):
        return []
    if notice.pattern.search(normalize_text(text)):
        return []
    message = (
        "the Medical Service Act notice is missing: the Korean article cites 의료법 제56조, "
        f'the page has no "{notice.text}" (the built-in notice for {lang}; '
        "set your own in [tool.translate.disclaimers])"
    )
    return [Finding("disclaimer", message, ERROR)]


_MARKER_NAMES = {"*": "asterisks", "_": "underscores", "~": "tildes"}


def check_source_markup(text: str, config: CheckConfig = DEFAULT_CONFIG, *, path: object = None) -> list[PageFinding]:
    """Emphasis in a Korean article that translate reads as the author meant (CJK-friendly) but
    Hugo and other CommonMark renderers do not: the reader would see the asterisks."""
    results: list[PageFinding] = []
    for found in cjk_only_emphasis(text, path=path):
        if found.commonmark:
            message = (
                f"{found.written}: CommonMark renderers such as Hugo read this emphasis otherwise than "
                "translate does (CJK-friendly emphasis); check the rendered page and move the markers"
            )
        else:
            marker = next(char for char in found.written if char in _MARKER_NAMES)
            message = (
                f"{found.written}: Hugo and other CommonMark renderers show these {_MARKER_NAMES[marker]} as text "
                "(there a marker between punctuation and a letter is not emphasis; translate reads it as emphasis). "
                f"With Hugo, set enable = true and escapedSpace = true under [markup.goldmark.extensions.cjk] "
                f"and write {found.fixed} (the escaped space is not shown); with any renderer, write "
                f"{found.fixed.replace(chr(92) + ' ', '&#8203;')} (an invisible zero-width space)"
            )
        results.extend(PageFinding(found.line, f) for f in config.apply([Finding("source-markup", message, WARNING)]))
    return results


# --- a project's files ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A finding in a project file: a PO entry or a line of a published page."""

    path: Path
    line: int | None
    lang: str
    finding: Finding
    segment: str | None = None  # the segment id, for PO entries
    dismissed: history.Event | None = None  # who dismissed or overrode it on this text: it fails nothing

    @property
    def failing(self) -> bool:
        """Whether this problem fails `translate check`: an error nobody dismissed or overrode."""
        return self.finding.severity is ERROR and self.dismissed is None

    def as_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "line": self.line,
            "lang": self.lang,
            "id": self.segment,
            "check": self.finding.check,
            "severity": self.finding.severity.value,
            "message": self.finding.message,
            "dismissed": self.dismissed.as_json() if self.dismissed else None,
        }


def check_project(project: Project, paths: Sequence[Path] = (), lang: str | None = None) -> list[Problem]:
    """Check PO files and published pages: the given files and folders, else every target language's.
    A PO entry's finding that a person dismissed or overrode on its current text carries who did so."""
    config = check_config(project.settings)
    glossary = load_glossary(project.glossary_path, project.settings.source, project.settings.targets)
    files: list[Path] = []
    if paths:
        for path in paths:
            if not path.exists():
                raise InputError("no such file or folder; give PO files, Markdown pages or folders.", path=path)
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".po", ".md")) if path.is_dir() else [path])
    else:
        for target in project.languages(lang):
            files.extend(sorted((project.root / project.settings.po_dir / target).rglob("*.po")))
            files.extend(sorted((project.root / project.settings.content_dir / target).rglob("*.md")))
    problems: list[Problem] = []
    page_langs: set[str] = set()
    for path in files:
        project.inside(path)  # a link in a folder may lead elsewhere: nothing outside the project is read
        file_lang = lang or _language_of(project, path)
        if path.suffix == ".po":
            _, units = read_units(path, article=path.stem, lang=file_lang, source_lang=project.settings.source)
            for unit in units:  # one at a time: a large file's units are never all in memory
                if unit.state is State.UNTRANSLATED or unit.obsolete:
                    continue
                findings = check_translation(unit.source, unit.target, file_lang, glossary, config)
                done = history.settled(unit.history, text_hash(unit.target)) if findings and unit.history else {}
                for finding in findings:
                    problems.append(Problem(path, unit.po_line, file_lang, finding, unit.id, done.get(finding.check)))
        else:
            text = unicodedata.normalize("NFC", read_text(path)[0])
            source = _source_of(project, path)
            page_langs.add(file_lang)
            for found in check_page(
                text, file_lang, project.settings.front_matter_keys, config, path=path, source_text=source
            ):
                problems.append(Problem(path, found.line, file_lang, found.finding))
            if file_lang == project.settings.source:
                for found in check_source_markup(text, config, path=path):
                    problems.append(Problem(path, found.line, file_lang, found.finding))
    for unchecked in unchecked_languages(project.settings):
        if unchecked in page_langs or (not paths and unchecked in project.languages(lang)):
            warning = Finding("disclaimer", unchecked_message(unchecked), WARNING)
            problems.extend(
                Problem(project.root / "pyproject.toml", None, unchecked, f) for f in config.apply([warning])
            )
    return problems


def _source_of(project: Project, page: Path) -> str | None:
    """The Korean article of a published page (content/<lang>/<slug>.md), if there is one."""
    folder = project.root / project.settings.content_dir
    try:
        parts = page.resolve().relative_to(folder.resolve()).parts
    except ValueError:
        return None
    if len(parts) < 2:
        return None
    source = project.source_dir / Path(*parts[1:])
    if not source.is_file() or source.resolve() == page.resolve():
        return None
    return unicodedata.normalize("NFC", read_text(project.inside(source), project.encoding)[0])


def _language_of(project: Project, path: Path) -> str:
    """The language of a file from its folder (po/<lang>/, content/<lang>/), else the first target."""
    for base in (project.root / project.settings.po_dir, project.root / project.settings.content_dir):
        try:
            return path.resolve().relative_to(base).parts[0]
        except (ValueError, IndexError):
            continue
    return project.settings.targets[0]
