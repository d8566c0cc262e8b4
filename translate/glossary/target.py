"""Whether a translation uses a term's target: English word stems, exact names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from translate.languages import primary_subtag
from translate.model import normalize_text

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def target_contains(target_text: str, term_target: str, lang: str) -> bool:
    """Whether ``target_text`` uses ``term_target``.

    English: case-insensitive, word by word with a light stemmer (plural, -ed, -ing, possessive),
    the term's words consecutive and in order ("expression muscle layer" uses "expression
    muscles"; "featureless" does not use "feature"). Other languages: case-insensitive substring.
    """
    if primary_subtag(lang) == "en":
        wanted = _stems(term_target)
        if wanted:
            have = _stems(target_text)
            size = len(wanted)
            return any(have[i : i + size] == wanted for i in range(len(have) - size + 1))
    return normalize_text(term_target).casefold() in normalize_text(target_text).casefold()


def _verb_of(target_text: str, term_target: str, lang: str) -> bool:
    """Whether an English target uses the verb of a one-word translation: "consult" for
    consultation, "treated" for treatment, "infected" for infection (at least four letters)."""
    if primary_subtag(lang) != "en" or len(wanted := _stems(term_target)) != 1:
        return False
    return any(len(stem) >= 4 and wanted[0].startswith(stem) for stem in _stems(target_text))


def _name_in(text: str, name: str) -> bool:
    """Whether ``name`` is written exactly so in ``text``, not as part of a longer Latin word
    (Thermagee is not Thermage; Thermage's and HIFU-based are)."""
    text = unicodedata.normalize("NFC", text)
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if not (_latin(name[0]) and start and _latin(text[start - 1])) and not (
            _latin(name[-1]) and end < len(text) and _latin(text[end])
        ):
            return True
        start = text.find(name, start + 1)
    return False


def _latin(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or "\u00c0" <= char <= "\u024f"


def _stem(word: str) -> str:
    """A light English stemmer: enough to equate feature/features/featured, lift/lifting."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        base = word[: -len(suffix)]  # at least three letters: "aging" is not "age", "using" not "us"
        if word.endswith(suffix) and len(base) >= 3 and re.search("[aeiouy]", base):
            word = base
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "aeioulsz":
                word = word[:-1]
            break
    if len(word) >= 3 and word.endswith("e"):
        word = word[:-1]
    return word


@lru_cache(maxsize=1024)  # a translation is checked against each of its source's terms
def _stems(text: str) -> tuple[str, ...]:
    """The stems of the words of ``text``."""
    return tuple(_stem(word) for word in _WORD.findall(normalize_text(text).casefold()))
