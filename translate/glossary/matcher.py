"""The glossary's terms and the matcher that finds them in a source text.

Source-side matching rules (Korean):

* Aho-Corasick over the NFC text; among the matches that pass the rules below the leftmost,
  then longest wins and matches never overlap (피부과 전문의 beats 피부과 beats 피부).
* Spacing is free where a term has a space: ``피부과 전문의`` also matches ``피부과전문의``,
  but a term without a space never matches across one (피부 does not match ``피 부``).
* A match starts a word (the previous character is not a letter or digit; a quote or bracket is
  fine) and the rest of its word is empty or a chain of particles, copulas and the plural 들
  (특징은, 특징입니다, 피부과에서는), perhaps closed by an ending after which only 요 may come
  (특징인데요, 부작용이니까, 피부라서). Derivational suffixes make a new word and do not match:
  특징적, 상담실. A term of two or more syllables also matches as the noun of a light verb
  (상담하세요, 상담받으실, 시술합니다, 감염된: 하다, 받다, 되다, 시키다, 드리다 in any form);
  there the translation may use the English verb ("consult" for consultation). A word may also
  be a compound of terms (엠페이스리프팅은 → 엠페이스 + 리프팅).
* Latin letters are matched case-insensitively (HIFES, hifes) with the same word rules.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from heapq import merge
from itertools import chain, product
from operator import itemgetter
from typing import Any

import ahocorasick

from translate.glossary.korean import _ALNUM_RUN, _LIGHT_VERB, _is_particles
from translate.languages import primary_subtag

_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s\s+")  # \s is str.isspace, [^\W_] is str.isalnum
_OTHER_SPACE = re.compile(r"[^\S ]")
_NO_GAPS: frozenset[int] = frozenset()
_MAX_GAPS = 6  # a term of up to 7 words is in the automaton in all its 2**6 spacings


@dataclass(frozen=True)
class Term:
    """One glossary entry: a source term, its approved translations and what to avoid."""

    source: str
    targets: Mapping[str, str] = field(hash=False)
    forbidden: Mapping[str, tuple[str, ...]] = field(hash=False)
    note: str | None
    keep: bool
    line: int

    def target_for(self, lang: str) -> str | None:
        """The approved translation for ``lang`` (``en-US`` falls back to ``en``)."""
        return self.targets.get(lang) or self.targets.get(primary_subtag(lang))

    def forbidden_for(self, lang: str) -> tuple[str, ...]:
        """The variants reviewers must not accept for ``lang``."""
        return self.forbidden.get(lang) or self.forbidden.get(primary_subtag(lang), ())


@dataclass(frozen=True)
class TermMatch:
    """A term found in a text; ``start``/``end`` span the term itself, not its particle."""

    term: Term
    start: int
    end: int


class Glossary:
    """The terms of a glossary and an Aho-Corasick matcher built over them.

    The automaton runs over the text's *key*: NFC, letters folded, each run of whitespace one space.
    A term is in it with each of its spaces kept or left out (피부과 전문의, 피부과전문의); a term of
    more than ``_MAX_GAPS + 1`` words is found with a regular expression instead.
    """

    def __init__(self, terms: Iterable[Term] = ()) -> None:
        self.terms = tuple(terms)
        self._automaton: Any = ahocorasick.Automaton()
        # terms of many words: (term index, pattern over the key, the first word of the key)
        self._phrases: list[tuple[int, re.Pattern[str], str]] = []
        keys: set[str] = set()
        for index, term in enumerate(self.terms):
            key, gaps = _match_key(term.source)
            if not key:
                continue
            if key in keys:
                raise ValueError(f"two terms share the match key {key!r}")
            keys.add(key)
            cuts = sorted(gap for gap in gaps if 0 < gap < len(key))
            if not cuts:
                self._automaton.add_word(key, (len(key), index))
                continue
            words = [key[a:b] for a, b in zip([0, *cuts], [*cuts, len(key)], strict=True)]
            if len(cuts) > _MAX_GAPS:
                self._phrases.append((index, re.compile(" ?".join(map(re.escape, words))), words[0]))
                continue
            for spaces in product(("", " "), repeat=len(cuts)):
                variant = "".join(chain.from_iterable(zip(words, (*spaces, ""), strict=True)))
                self._automaton.add_word(variant, (len(variant), index))
        if len(self._automaton):
            self._automaton.make_automaton()

    def find(self, text: str) -> list[TermMatch]:
        """Every term in ``text`` (leftmost-longest, no overlaps), spans in ``text``'s indices."""
        return self._scan(text)[0]

    def _hits(self, key: str) -> Iterable[tuple[int, tuple[int, int]]]:
        """(index of the last character, (length, term index)) of every term in ``key``, in order."""
        hits: Iterable[tuple[int, tuple[int, int]]] = self._automaton.iter(key) if len(self._automaton) else ()
        if self._phrases:
            found = []
            for index, pattern, head in self._phrases:
                at = key.find(head)
                while at >= 0:
                    match = pattern.match(key, at)
                    if match:
                        found.append((match.end() - 1, (match.end() - at, index)))
                    at = key.find(head, at + 1)
            hits = merge(hits, sorted(found), key=itemgetter(0))
        return hits

    def _scan(self, text: str) -> tuple[list[TermMatch], list[int]]:
        """The matches of :meth:`find`, and for each the end of its attached particle."""
        if not self.terms:
            return [], []
        nfc, orig_start, orig_end = _nfc_with_map(text)
        raw, shift_at, shifts = nfc, [-1], [0]  # raw: nfc with each run of whitespace one character
        if _SPACES.search(nfc):
            raw, shift_at, shifts = _collapse_spaces(nfc)
        key = _fold_text(raw)
        if _OTHER_SPACE.search(key):
            key = _OTHER_SPACE.sub(" ", key)
        size = len(raw)
        # Hits that can matter, by start: (length, term index). A hit inside a word matters only
        # where one that matters ends (the compound 엠페이스리프팅); hits come in the order of their
        # last character, so those are known by then.
        candidates: dict[int, tuple[int, int]] = {}
        several: dict[int, list[tuple[int, int]]] = {}
        chained_to: set[int] = set()
        for last_char, value in self._hits(key):
            start = last_char - value[0] + 1
            if start == 0 or start in chained_to or not raw[start - 1].isalnum():
                chained_to.add(last_char + 1)
                if start not in candidates:
                    candidates[start] = value
                elif start in several:
                    several[start].append(value)
                else:
                    several[start] = [candidates[start], value]
        # best[start] = (end, term index, end of attached particle, chained to a next term) or None
        best: dict[int, tuple[int, int, int, bool] | None] = {}

        def settle(at: int) -> tuple[int, int, int, bool] | None:
            """The longest candidate at ``at`` that passes the word rules; best[end] known for its ends."""
            for length, index in sorted(several[at], reverse=True) if at in several else (candidates[at],):
                end = at + length
                if end == size or not raw[end].isalnum():
                    return end, index, end, False
                after = _ALNUM_RUN.match(raw, end).end()  # type: ignore[union-attr]
                if _is_particles(raw[end:after], raw[end - 1]):
                    return end, index, after, False
                if best.get(end) is not None:
                    return end, index, end, True
                if length >= 2 and _LIGHT_VERB.fullmatch(raw, end, after):
                    return end, index, after, False
            return None

        def resolve(first: int) -> tuple[int, int, int, bool] | None:
            """best[first], settling first the starts it may chain to (the largest first)."""
            needed: set[int] = set()
            stack = [first]
            while stack:
                at = stack.pop()
                if at in best or at in needed:
                    continue
                needed.add(at)
                for length, _ in several.get(at, (candidates[at],)):
                    if at + length in candidates and raw[at + length].isalnum():
                        stack.append(at + length)
            for at in sorted(needed, reverse=True):
                best[at] = settle(at)
            return best[first]

        def place(k: int) -> int:
            """The index in nfc of index ``k`` of raw."""
            return k + shifts[bisect_left(shift_at, k) - 1]

        identity = orig_start is None and len(shifts) == 1
        matches: list[TermMatch] = []
        tails: list[int] = []
        terms = self.terms
        last = 0
        for start in sorted(candidates):
            if start < last or (start and raw[start - 1].isalnum()):
                continue
            length, index = candidates[start]
            end = after = start + length
            inside = end < size and raw[end].isalnum()
            if start in several or (inside and end in candidates):
                if resolve(start) is None:
                    continue
                found: list[tuple[int, tuple[int, int, int, bool]]] = []
                at = start
                while True:
                    entry = best[at]
                    assert entry is not None
                    found.append((at, entry))
                    if not entry[3]:
                        break
                    at = entry[0]
            else:  # the common case, inlined: one candidate, nothing to chain to
                if inside:
                    after = _ALNUM_RUN.match(raw, end).end()  # type: ignore[union-attr]
                    if not _is_particles(raw[end:after], raw[end - 1]) and not (
                        length >= 2 and _LIGHT_VERB.fullmatch(raw, end, after)
                    ):
                        continue
                if identity:
                    matches.append(_term_match(terms[index], start, end))
                    tails.append(after)
                    last = after
                    continue
                found = [(start, (end, index, after, False))]
            for at, (end, index, after, _) in found:
                if identity:
                    matches.append(_term_match(terms[index], at, end))
                    tails.append(after)
                else:
                    begin, stop, tail = place(at), place(end - 1) + 1, place(after - 1) + 1
                    if orig_start is not None and orig_end is not None:
                        begin, stop, tail = orig_start[begin], orig_end[stop - 1], orig_end[tail - 1]
                    matches.append(_term_match(terms[index], begin, stop))
                    tails.append(tail)
            last = after
        return matches, tails


def _term_match(term: Term, start: int, end: int) -> TermMatch:
    """TermMatch(term, start, end), without the frozen dataclass's slower __init__ (a hot path)."""
    match = object.__new__(TermMatch)
    fields = match.__dict__
    fields["term"], fields["start"], fields["end"] = term, start, end
    return match


def _collapse_spaces(nfc: str) -> tuple[str, list[int], list[int]]:
    """``nfc`` with every run of whitespace one space, and how to map its indices back: index k
    of the result is k + shifts[i] in ``nfc`` for the last i with shift_at[i] < k."""
    shift_at, shifts = [-1], [0]
    removed = 0
    for run in _SPACES.finditer(nfc):
        shift_at.append(run.start() - removed)
        removed += run.end() - run.start() - 1
        shifts.append(removed)
    return _SPACES.sub(" ", nfc), shift_at, shifts


def _fold(char: str) -> str:
    """Lower-case one character, keeping it one character so positions stay aligned."""
    lower = char.lower()
    return lower if len(lower) == 1 else char


def _fold_text(text: str) -> str:
    """:func:`_fold` of every character of ``text``."""
    lower = text.lower()
    if len(lower) == len(text) and "\u03a3" not in text:  # str.lower() lowers a final sigma otherwise
        return lower
    return "".join(map(_fold, text))


def _match_key(term: str) -> tuple[str, frozenset[int]]:
    """A term as the matcher sees it: NFC, folded, no spaces; and where its spaces were."""
    term = unicodedata.normalize("NFC", term)
    if not _SPACE.search(term):
        return _fold_text(term), _NO_GAPS
    key: list[str] = []
    gaps: set[int] = set()
    for char in term:
        if char.isspace():
            gaps.add(len(key))
        else:
            key.append(_fold(char))
    return "".join(key), frozenset(gaps)


def _nfc_with_map(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """NFC ``text`` and, for each of its characters, the start and end in ``text`` (None, None when
    ``text`` is already NFC: each character is where it was)."""
    if unicodedata.is_normalized("NFC", text):
        return text, None, None
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    begin = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and (
            unicodedata.combining(text[i])
            or len(unicodedata.normalize("NFC", text[begin : i + 1]))
            != len(unicodedata.normalize("NFC", text[begin:i])) + 1
        ):
            continue  # text[i] combines with the cluster that starts at ``begin`` (or may: U+0F73)
        piece = unicodedata.normalize("NFC", text[begin:i])
        if len(piece) == 1:
            out.append(piece)
            starts.append(begin)
            ends.append(i)
        else:
            for cut, stop, part in _pieces(text[begin:i], piece):
                out.append(part)
                starts += [begin + cut] * len(part)
                ends += [begin + stop] * len(part)
        begin = i
    return "".join(out), starts, ends


def _pieces(cluster: str, nfc: str) -> list[tuple[int, int, str]]:
    """``cluster`` (NFC ``nfc``) cut wherever normalising the two sides apart gives ``nfc``: each
    piece's start and end in ``cluster`` and its NFC. A mark that combines with nothing
    (가 + U+0301) is a piece of its own, as it is where the rest of the text is NFC."""
    cuts = [
        b
        for b in range(1, len(cluster))
        if unicodedata.normalize("NFC", cluster[:b]) + unicodedata.normalize("NFC", cluster[b:]) == nfc
    ]
    return [
        (a, b, unicodedata.normalize("NFC", cluster[a:b]))
        for a, b in zip([0, *cuts], [*cuts, len(cluster)], strict=True)
    ]
