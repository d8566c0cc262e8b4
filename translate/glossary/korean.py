"""Korean particle rules: which endings leave a word the term it starts with.

After a term the rest of its word may be a chain of particles, copulas and the plural 들
(특징은, 특징입니다, 피부과에서는), each particle in the form that fits the syllable before it
(특징은 but 피부는), perhaps closed by an ending after which only 요 may come (특징인데요, 피부니까,
특징이야); or, after a term of two or more syllables, a light verb in any form
(상담하세요, 상담받으실, 시술합니다, 감염된).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PARTICLE_GROUPS = (
    # case particles
    "은 는 이 가 을 를 의 에 에서 에게 에게서 께 께서 한테 한테서 과 와 로 으로 로서 으로서",
    "로써 으로써",
    # auxiliary particles
    "부터 까지 도 만 보다 처럼 같이 만큼 마다 조차 마저 밖에 뿐 대로 이나 나 이나마 나마",
    "이든 든 이든지 든지 이라도 라도 랑 이랑 하고",
    # copula forms
    "이다 다 입니다 이며 며 이고 고 인 이라 라 이라는 라는 이라고 라고 이란 란 이에요 예요",
    "이었다 였다 이었고 였고 이었습니다 였습니다 이지만 지만 이죠 죠 이면 면 이므로 므로",
    "이어서 여서 이어야 여야 이기에 기에",
    # plural and honorific suffixes
    "들 님",
)
_PARTICLES = frozenset(word for group in _PARTICLE_GROUPS for word in group.split())
# Endings that close a word (the polite 요, endings of the copula) and what may still follow each:
# 특징인데요, 특징인데도, 피부니까요. A chain of particles may come before them (특징들이니까, 피부에서요);
# 노화요인, 상담이야기, 소재지에서 are other nouns, not a term and its endings.
_CLOSING = {
    "요": "", "이요": "", "이야": "", "야": "", "입니까": "", "인데": "요 도", "이니까": "요", "니까": "요",
    "이지": "요", "지": "요", "이라서": "요", "라서": "요",
}  # fmt: skip
_CLOSING_TAILS = {ending + more: ending for ending, after in _CLOSING.items() for more in ("", *after.split())}
_MAX_CLOSING = max(map(len, _CLOSING_TAILS))
_AFTER_CONSONANT = frozenset({"은", "이", "을", "과", "으로", "으로서", "으로써"})
_AFTER_VOWEL = frozenset(
    {
        "는", "가", "를", "와", "로", "로서", "로써", "나", "나마", "든", "든지", "라도", "랑", "다", "며", "고",
        "라", "라는", "라고", "란", "예요", "였다", "였고", "였습니다", "지만", "죠", "면", "므로", "여서",
        "여야", "기에", "야", "니까", "지", "라서",
    }
)  # fmt: skip
_MAX_PARTICLE = max(map(len, _PARTICLES))
# A light verb after a noun (상담+하세요, 상담+받으실, 시술+합니다, 감염+된): the rest of the word is its ending.
_LIGHT_VERB = re.compile(
    "(?:하|해|했|한|할|함|합|받|되|돼|됐|된|될|됨|됩|시키|시켜|시켰|시킨|시킬|시킴|시킵|드리|드려|드렸|드린|드릴|드림|드립)"
    "[가-힣]*"
)
_MAX_TAIL = 12
_ALNUM_RUN = re.compile(r"[^\W_]+")


def _in_light_verb(text: str, end: int) -> bool:
    """Whether the term ending at ``end`` is the noun of a light verb (상담+받으실, 시술+합니다)."""
    word = _ALNUM_RUN.match(text, end)
    if word is None:
        return False
    tail = unicodedata.normalize("NFC", word.group())
    return bool(_LIGHT_VERB.fullmatch(tail)) and not _is_particles(tail, "")


def _agrees(final: str, particle: str) -> bool:
    """Whether a particle's form fits the word it follows: 특징은 but 피부는; 피부과 is not 피부 + 과.

    Korean particles alternate with the last syllable: after a final consonant 은/이/을/과/으로, after
    a vowel 는/가/를/와/로 (로 also after ㄹ). Words that do not end in Hangul (HIFES) take either.
    """
    if not "가" <= final <= "힣":
        return True
    coda = (ord(final) - 0xAC00) % 28
    if particle in _AFTER_CONSONANT:
        return coda != 0
    if particle in _AFTER_VOWEL:
        return coda == 0 or (coda == 8 and particle in ("로", "로서", "로써"))
    return True


@lru_cache(maxsize=8192)
def _is_particles(tail: str, final: str) -> bool:
    """Whether ``tail`` is a chain of particles / copula endings (은, 에서는, 입니다, 들이, 인데요) whose
    first particle fits ``final``, the last character of the word it is attached to."""
    if len(tail) > _MAX_TAIL:
        return False
    ok = [True] + [False] * len(tail)
    for j in range(1, len(tail) + 1):
        ok[j] = any(
            ok[i] and tail[i:j] in _PARTICLES and (i > 0 or _agrees(final, tail[:j]))
            for i in range(max(0, j - _MAX_PARTICLE), j)
        )
    size = len(tail)
    return ok[-1] or any(
        ok[i] and tail[i:] in _CLOSING_TAILS and (i > 0 or _agrees(final, _CLOSING_TAILS[tail]))
        for i in range(max(0, size - _MAX_CLOSING), size)
    )
