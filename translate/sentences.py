"""Rule-based Korean-aware sentence splitting for one paragraph of text.

Boundaries only fall in white space between words. A gap ends a sentence when the text
before it ends with terminal punctuation or a clear Korean sentence-final ending, the gap
is not inside a matched quote or bracket pair, and the next word does not continue the
clause. Line breaks count as spaces; U+FFFC (masked inline content) is an opaque letter.
The rules were chosen by measurement: see bench/sentence_split.py.
"""

from __future__ import annotations

import functools
import re
import unicodedata

Span = tuple[int, int]

_NONSPACE_RE = re.compile(r"\S")
_SPACE_RE = re.compile(r"\s")

_PAIRS = {
    "(": ")", "[": "]", "{": "}", "<": ">", "（": "）", "［": "］", "＜": "＞",
    "「": "」", "『": "』", "《": "》", "〈": "〉", "【": "】", "〔": "〕",
    "“": "”", "‘": "’",
}  # fmt: skip
_SYMMETRIC = "\"'"
_BRACKETS = frozenset("([{<（［＜【〔")
_OPENERS = frozenset(_PAIRS)
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_PAIR_RE = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_CLOSERS) + _SYMMETRIC) + "]")
_MAX_NESTING = 16

_TERMINAL = frozenset(".!?…。！？．")
_QUOTES = frozenset("\"'“‘")
_CAPITAL_START_RE = re.compile(r"[\"'“‘(\[]*[A-Z]")
_STRONG = frozenset("!?！？")
_OBJECT = "\ufffc"
# Laughing/crying jamo close a sentence of blog prose: "맛있어요ㅎㅎ 다음은".
_EMOTIVE = frozenset("ㅋㅎㅠㅜ")
_HANGUL_END_RE = re.compile(r"[가-힣]\Z")

_ABBREVIATIONS = frozenset(
    {
        "al", "approx", "ca", "cf", "co", "corp", "dept", "dr", "e.g", "est", "etc", "fig", "gen", "i.e",
        "inc", "jr", "lt", "ltd", "mr", "mrs", "ms", "no", "nos", "op", "p", "pp", "prof", "sr", "st",
        "vol", "vols", "vs",
    }
)  # fmt: skip
_INITIALS_RE = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_LATIN_ELLIPSIS_RE = re.compile(r"[A-Za-z](?:\.{2,8}|…)\Z")
_NUMBER_RE = re.compile(r"[(\[]?\d+")
_SPEAKER_RE = re.compile(r"\S{1,20}\s*:\s*")
# Last syllables of particles and connective endings: an ellipsis after them trails off
# mid-sentence ("때문에... 대충", "싶은데... 딱히"); after other words it ends one.
_LINKING = frozenset("은는이가을를에의도로와과랑서고면며데만니까지게록든론튼나")
_INTERJECTIONS = frozenset(
    {"아", "어", "네", "예", "음", "흠", "헐", "오", "와", "휴", "하", "응", "뭐", "글쎄", "저", "그"}
)

# Words that cannot start a sentence and continue a clause whose verb looks final,
# e.g. "하다 보면", "좋다 싶은", "그렇다 치고", "했다 라는", "맛있다 등의". The first group
# are stems that only inflect; the second must be whole words (before punctuation).
_CONTINUATION_RE = re.compile(
    r"""(?:
        했 | 싶 | 않 | 한다 | 하겠 | 하였 | 하더 | 하던 | 하면 | 하니 | 하곤 | 하길
      | 보면 | 보니 | 보다가 | 봤더니 | 봐 | 봅 | 라는 | 라고 | 라며 | 라면서 | 이라는 | 이라고 | 이라며
      | 생각(?:하|했|한|해|들|된|돼) | 느끼 | 느낀 | 느꼈
      | (?:
          하(?:는|고|며|여|자|다가?|기에) | 해(?:서|도|야|야지) | 보다 | 못해 | 말고
        | 치(?:고|면|자|더라도) | 쳐(?:도|서)? | 친다
        | 란 | 고 | 며 | 는 | 등(?:의|을|이|은|과|도|으로|에)?
        )(?![^\s,.!?…'"’”)\]])
    )""",
    re.VERBOSE,
)
# Verbs of thinking and fearing that take an embedded "-ㄹ까" question: "할까 고민", "될까 봐".
_AFTER_QUESTION_RE = re.compile(r"고민|걱정|생각|싶|봐|하|합|한|해|했|말까|두려|무서|염려|겁")

# A final 다 after a closed stem (했다 한다 작다 힘들다 좋다 쉽다 없다 같다 높다) or one of
# these open stems (이다 습니다 크다 다르다 아프다). Other open syllables are mostly
# connectives (가져다, 내려가다, 일을 하다 다쳤다) or names (이시다, 그라나다).
_DA_JONG = frozenset((1, 4, 6, 8, 9, 11, 15, 17, 18, 20, 25, 26, 27))
_DA_PREV = frozenset("이니지크쁘르프쓰낮늦잦궂젖")
_NOT_FINAL_DA = ("냅다", "보다", "마다", "바다", "완다", "우간다", "젠다")
# A final 요 after an -어/-여/-해 form (vowels ㅐㅒㅓㅔㅕㅖㅘㅙㅚㅝㅞ) or a listed syllable;
# this leaves out nouns such as 필요, 중요, 주요, 수요, 개요.
_YO_VOWELS = frozenset((1, 3, 4, 5, 6, 7, 9, 10, 11, 14, 15))
_YO_PREV = frozenset("아가나까자사타파차싸짜야이지니군구고도는은걸든면란만")
_YONG_PREV = frozenset("네까어아해다죠요게데세래")
# Nominal -음 after a closed stem (했음 없음 앉음 좋음 같음 높음); nouns in -음/-임/-함/-감
# (처음 마음 게임 불편함 자신감) are left alone.
_EUM_JONG = frozenset((5, 6, 15, 18, 20, 22, 25, 26, 27))
_NE_PREV = frozenset("하되좋같없싶많않이")
_GE_PREV = frozenset("할갈될볼줄올쓸릴낼킬")  # -ㄹ게/-ㄹ께 promises
_GUN_PREV = frozenset("는었았겠했였")
_FINAL_SUFFIXES = (
    "것임", "거임", "때문임", "보임", "해짐", "어짐", "워짐", "거야", "이야", "아니야", "잖아",
    "더라", "구나", "구먼", "걸랑",
)  # fmt: skip
_JONG_L, _JONG_B, _JONG_SS = 8, 17, 20
# Every syllable that _is_final_ending or ends_sentence accepts as the last one.
_FINAL_LAST = frozenset("다요욧죠쥬까께래걸게용당음됨줌네군어지마" + "".join(s[-1] for s in _FINAL_SUFFIXES))


def _syllables_but(kept: frozenset[str]) -> str:
    """A regex character class body: every Hangul syllable except those in kept."""
    ranges, start = [], 0xAC00
    for code in sorted(ord(ch) for ch in kept):
        if code > start:
            ranges.append(f"{chr(start)}-{chr(code - 1)}")
        start = code + 1
    if start <= 0xD7A3:
        ranges.append(f"{chr(start)}-{chr(0xD7A3)}")
    return "".join(ranges)


# The white space between two words where the first one's last syllable may end a sentence.
_GAP_AFTER_CANDIDATE_RE = re.compile(r"(?<=[^\s" + _syllables_but(_FINAL_LAST) + r"])\s+(?=\S)")


def _syllable(ch: str) -> tuple[int, int] | None:
    """Return (vowel index, final consonant index) of a Hangul syllable, else None."""
    code = ord(ch) - 0xAC00
    if 0 <= code < 11172:
        return (code // 28) % 21, code % 28
    return None


def _is_final_ending(word: str) -> bool:
    """Whether a word ends with a clear Korean sentence-final ending."""
    if len(word) < 2:
        return False
    last, prev = word[-1], word[-2]
    prev_syllable = _syllable(prev)
    if prev_syllable is None:
        return False
    vowel, jong = prev_syllable
    if last == "다":
        return (jong in _DA_JONG or prev in _DA_PREV) and not word.endswith(_NOT_FINAL_DA)
    if last in "요욧":
        return prev in _YO_PREV or (jong == 0 and vowel in _YO_VOWELS and prev != "개")
    if last in "죠쥬":
        return True
    if last == "까":
        if jong == _JONG_L:
            return True
        before = _syllable(word[-3]) if len(word) > 2 else None
        return prev == "니" and before is not None and (before[1] == _JONG_B or word[-3] == "습")
    if last in "게께":
        return prev in _GE_PREV  # not 길게 (adverb) or 분들께 (particle)
    if last in "래걸":
        return jong == _JONG_L and prev != "길"  # not the connective -길래
    if last == "용":
        return prev in _YONG_PREV
    if last == "당":
        return prev == "니" or jong == _JONG_SS
    if last == "음":
        return jong in _EUM_JONG
    if last == "됨":
        return True
    if last == "줌":
        return prev != "오"
    if last == "네":
        return jong == _JONG_SS or prev in _NE_PREV
    if last == "군":
        return prev in _GUN_PREV
    if last in "어지":
        return jong == _JONG_SS and prev != "있"  # 했어 겠지, not the connective 있어
    return word.endswith(_FINAL_SUFFIXES)


def _is_decoration(ch: str) -> bool:
    """Emoticon-like characters that trail a sentence: ㅋㅋ ㅠㅠ ^^ ~~ ♡ emoji."""
    if "\u3131" <= ch <= "\u3163" or ch in "~^;":
        return True
    return ch != _OBJECT and unicodedata.category(ch) in ("So", "Sk", "Cf", "Mn")


def _is_decoration_word(word: str) -> bool:
    """Whether a word is only decoration and terminal punctuation (it joins the left)."""
    return all(ch in _TERMINAL or _is_decoration(ch) for ch in word)


def _match_pairs(text: str) -> dict[int, int]:
    """Map the closer position of each matched quote/bracket pair to its opener position."""
    stack: list[tuple[str, int]] = []
    open_count: dict[str, int] = {}
    pairs: dict[int, int] = {}
    size = len(text)
    for match in _PAIR_RE.finditer(text):
        ch, pos = match.group(), match.start()
        before = text[pos - 1] if pos else " "
        after = text[pos + 1] if pos + 1 < size else " "
        if ch in _SYMMETRIC:
            if ch == "'" and (before + after).isascii() and before.isalnum() and after.isalpha():
                continue  # an apostrophe: don't, Kim's
            opens = before.isspace() or before in _OPENERS or before == ":"
            closes = after.isspace() or after in _TERMINAL or after in _CLOSERS or after in ",;"
            if (opens and not closes) or (opens == closes and not open_count.get(ch)):
                stack.append((ch, pos))
                open_count[ch] = open_count.get(ch, 0) + 1
                continue
            opener = ch
        elif ch in _OPENERS:
            if ch == "<" and after in "-=":
                continue  # an arrow: <-, <=
            stack.append((ch, pos))
            open_count[ch] = open_count.get(ch, 0) + 1
            continue
        else:
            if ch == ">" and before in "-=":
                continue
            opener = _CLOSERS[ch]
        if not open_count.get(opener):
            continue
        while True:
            top, top_pos = stack.pop()
            open_count[top] -= 1
            if top == opener:
                pairs[pos] = top_pos
                break
    return pairs


class _Paragraph:
    """One paragraph's text with its matched quote/bracket pairs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.opener_of = _match_pairs(text)
        self.closer_of = {open_: close for close, open_ in self.opener_of.items()}

    def _free(self, opener: int) -> bool:
        """Whether an opening quote/bracket starts a word rather than annotating one."""
        if opener == 0:
            return True
        before = self.text[opener - 1]
        if before in _SYMMETRIC:
            return opener - 1 not in self.opener_of
        return before.isspace() or before == ":" or before in _OPENERS

    def _leads(self, floor: int, opener: int) -> bool:
        """Whether only white space or a speaker label ("원빈:") precedes opener."""
        text = self.text
        return (
            _NONSPACE_RE.search(text, floor, opener) is None or _SPEAKER_RE.fullmatch(text, floor, opener) is not None
        )

    def is_note(self, start: int, depth: int = 0) -> bool:
        """Whether a bracket group of its own opens at start and holds no sentence."""
        text = self.text
        close = self.closer_of.get(start)
        if text[start] not in _BRACKETS or close is None:
            return False
        if close + 1 < len(text) and not text[close + 1].isspace():
            return False  # "<인물과 사상>으로": a title inside the sentence
        if text[start + 1 : close].rstrip().endswith(","):
            return False  # a lead-in to what follows: "( 눈을 감았다가, ) 릴리 님이"
        return depth >= _MAX_NESTING or not self.ends_sentence(close, start + 1, depth + 1)

    def ends_sentence(self, end: int, floor: int, depth: int = 0, capital_next: bool = False) -> bool:
        """Whether text[floor:end] ends with the end of a sentence (``capital_next``: the next word
        starts with a capital Latin letter, as an English sentence does)."""
        text = self.text
        pos = end
        punct = ""
        emotive = in_group = False
        while pos > floor:
            ch = text[pos - 1]
            if ch in _TERMINAL:
                punct += ch
            elif ch in _EMOTIVE:
                emotive = True
            elif ch.isspace() or _is_decoration(ch):
                pass
            elif pos - 1 in self.opener_of:
                opener = self.opener_of[pos - 1]
                if opener < floor:
                    return False
                if not self._free(opener):
                    pos = opener  # an annotation: 했다.[1], 한다."(요한 3:13)
                    continue
                if punct:
                    return True
                if capital_next and text[opener] in _QUOTES and self.ends_sentence(pos - 1, opener + 1, depth + 1):
                    return True  # English: ... "My facial line seems to have collapsed." However, ...
                if self._leads(floor, opener):
                    # A quote or bracket that opens the sentence ends it if its content does.
                    pos, floor = pos - 1, opener + 1
                    emotive, in_group = False, True
                    continue
                if text[opener] in _BRACKETS and self.is_note(opener, depth):
                    pos = opener  # a trailing note: "...우승자이다. (6회 우승)"
                    continue
                return False
            else:
                break
            pos -= 1
        if pos <= floor:
            return in_group and bool(punct)  # a speechless line: 원빈:"..."
        start = pos - 1
        while start > floor and not text[start - 1].isspace() and text[start - 1] not in _OPENERS:
            start -= 1
        word = text[start:pos]
        if any(ch in _STRONG for ch in punct):
            return True
        if "…" in punct or punct.count(".") + punct.count("．") > 1:
            if _is_final_ending(word):
                return True
            return word not in _INTERJECTIONS and word[-1] not in _LINKING
        if punct:
            return not (
                _NUMBER_RE.fullmatch(word)
                or _INITIALS_RE.fullmatch(word)
                or word.lower().lstrip("([") in _ABBREVIATIONS
            )
        if emotive and _HANGUL_END_RE.search(word):
            return True
        if word == "마" and start > floor + 1 and text[start - 2] == "지":
            return True  # -지 마: "친해지지 마"
        return _is_final_ending(word)

    def _continues(self, end: int, following: str, start: int) -> bool:
        """Whether the word following a gap carries on the sentence before it."""
        if _is_decoration_word(following) or _CONTINUATION_RE.match(following):
            return True
        if self.text[end - 1] == "까" and _AFTER_QUESTION_RE.match(following):
            return True
        if following[0].islower() and _LATIN_ELLIPSIS_RE.search(self.text, max(0, end - 9), end):
            return True  # "wait... what"
        return self.is_note(start)

    def split(self) -> list[Span]:
        """Return the sentence spans of the paragraph."""
        text = self.text
        first = _NONSPACE_RE.search(text)
        if first is None:
            return []
        groups: list[Span] = []
        for close, open_ in sorted(self.opener_of.items(), key=lambda item: item[1]):
            if not groups or open_ > groups[-1][1]:
                groups.append((open_, close))
        spans: list[Span] = []
        sentence_start = first.start()
        group = 0
        # Only gaps after a word whose last character may end a sentence (not 은, 를, 에...).
        for gap in _GAP_AFTER_CANDIDATE_RE.finditer(text):
            end, start = gap.start(), gap.end()
            while group < len(groups) and groups[group][1] < end:
                group += 1
            if group < len(groups) and groups[group][0] < end:
                continue  # inside a quote or bracket pair
            if not _may_end(text[end - 1]):
                continue
            space = _SPACE_RE.search(text, start)
            stop = space.start() if space else len(text)
            if self._continues(end, text[start:stop], start):
                continue
            capital = _CAPITAL_START_RE.match(text, start, stop) is not None
            if self.ends_sentence(end, sentence_start, capital_next=capital):
                spans.append((sentence_start, end))
                sentence_start = start
        spans.append((sentence_start, len(text.rstrip())))
        return spans


@functools.cache
def _may_end(ch: str) -> bool:
    """Whether a word ending with ch may end a sentence (what ends_sentence can accept last)."""
    if "가" <= ch <= "힣":
        return ch in _FINAL_LAST
    return ch in _TERMINAL or ch in _EMOTIVE or ch in _CLOSERS or ch in _SYMMETRIC or _is_decoration(ch)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the [start, end) character spans of the sentences in text, in order,
    without leading/trailing white space."""
    return _Paragraph(text).split()
