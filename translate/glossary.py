"""The terminology glossary: loading glossary.yaml, finding terms in sources, checking targets.

Source-side matching rules (Korean):

* Aho-Corasick over the NFC text; among the matches that pass the rules below the leftmost,
  then longest wins and matches never overlap (피부과 전문의 beats 피부과 beats 피부).
* Spacing is free where a term has a space: ``피부과 전문의`` also matches ``피부과전문의``,
  but a term without a space never matches across one (피부 does not match ``피 부``).
* A match starts a word (the previous character is not a letter or digit; a quote or bracket is
  fine) and the rest of its word is empty or a chain of particles, copulas and the plural 들
  (특징은, 특징입니다, 피부과에서는). Derivational suffixes make a new word and do not match:
  특징적, 상담실. A term of two or more syllables also matches as the noun of a light verb
  (상담하세요, 상담받으실, 시술합니다, 감염된: 하다, 받다, 되다, 시키다, 드리다 in any form);
  there the translation may use the English verb ("consult" for consultation). A word may also
  be a compound of terms (엠페이스리프팅은 → 엠페이스 + 리프팅).
* Latin letters are matched case-insensitively (HIFES, hifes) with the same word rules.
"""

from __future__ import annotations

import gc
import os
import re
import threading
import time
import types
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from heapq import merge
from itertools import chain, product
from operator import itemgetter
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from translate.errors import GlossaryError, InputError
from translate.fileio import read_regular
from translate.model import Finding, Severity, normalize_text

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
_AFTER_CONSONANT = frozenset({"은", "이", "을", "과", "으로", "으로서", "으로써"})
_AFTER_VOWEL = frozenset(
    {
        "는", "가", "를", "와", "로", "로서", "로써", "나", "나마", "든", "든지", "라도", "랑", "다", "며", "고",
        "라", "라는", "라고", "란", "예요", "였다", "였고", "였습니다", "지만", "죠", "면", "므로", "여서",
        "여야", "기에",
    }
)  # fmt: skip
_MAX_PARTICLE = max(map(len, _PARTICLES))
# A light verb after a noun (상담+하세요, 상담+받으실, 시술+합니다, 감염+된): the rest of the word is its ending.
_LIGHT_VERB = re.compile(
    "(?:하|해|했|한|할|함|합|받|되|돼|됐|된|될|됨|됩|시키|시켜|시켰|시킨|시킬|시킴|시킵|드리|드려|드렸|드린|드릴|드림|드립)"
    "[가-힣]*"
)
_MAX_TAIL = 12
_LANG_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s\s+")  # \s is str.isspace, [^\W_] is str.isalnum
_OTHER_SPACE = re.compile(r"[^\S ]")
_ALNUM_RUN = re.compile(r"[^\W_]+")
_NO_GAPS: frozenset[int] = frozenset()
_MAX_GAPS = 6  # a term of up to 7 words is in the automaton in all its 2**6 spacings
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_CLoader: Any = getattr(yaml, "CSafeLoader", None)  # libyaml's composer, when PyYAML was built with it


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
        return self.targets.get(lang) or self.targets.get(_primary(lang))

    def forbidden_for(self, lang: str) -> tuple[str, ...]:
        """The variants reviewers must not accept for ``lang``."""
        return self.forbidden.get(lang) or self.forbidden.get(_primary(lang), ())


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


def load_glossary(path: Path, source_lang: str = "ko", targets: Sequence[str] | None = None) -> Glossary:
    """Read and validate glossary.yaml; a missing file is an empty glossary. With ``targets`` (the
    project's target languages), a language key that is none of them is an error."""
    if not path.exists():
        return Glossary()
    try:
        data = read_regular(path)  # a named pipe is refused, not waited on
    except InputError as exc:
        raise GlossaryError(str(exc).removeprefix(f"{path}: "), path=path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GlossaryError("not UTF-8 text; save the file as UTF-8", path=path, line=line) from exc
    return parse_glossary(text, path, source_lang, targets)


_CACHE_SIZE = 4  # glossaries kept by a process (one per project it serves)
_RACY_SECONDS = 2.0  # a file changed this recently may change again without its stamp showing it
_cache: dict[tuple[str, str, tuple[str, ...] | None], tuple[tuple[int, ...], Glossary]] = {}
_cache_lock = threading.Lock()


def cached_glossary(path: Path, source_lang: str = "ko", targets: Sequence[str] | None = None) -> Glossary:
    """:func:`load_glossary` for a process that reads the glossary again and again (``serve``, each
    review decision): parsed once, and again only when the file's stamp (modification and change
    times, size, inode) differs. A file changed in the last two seconds is read every time."""
    key = (os.path.abspath(path), source_lang, tuple(targets) if targets is not None else None)
    try:
        info = os.stat(path)
    except OSError:
        return load_glossary(path, source_lang, targets)  # missing (empty) or unreadable (its error)
    stamp = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev)
    with _cache_lock:
        known = _cache.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    glossary = load_glossary(path, source_lang, targets)
    if time.time() - max(info.st_mtime_ns, info.st_ctime_ns) / 1e9 > _RACY_SECONDS:
        with _cache_lock:
            _cache.pop(key, None)
            _cache[key] = (stamp, glossary)
            while len(_cache) > _CACHE_SIZE:
                del _cache[next(iter(_cache))]
    return glossary


def parse_glossary(text: str, path: Path, source_lang: str = "ko", targets: Sequence[str] | None = None) -> Glossary:
    """Parse and validate glossary YAML text; every error names ``path`` and a line."""
    try:
        with _gc_paused():
            return _parse_glossary(unicodedata.normalize("NFC", text), path, source_lang, targets)
    except RecursionError:
        raise GlossaryError(
            "its lists or mappings are nested thousands of levels deep; a glossary needs only a few: fix the YAML",
            path=path,
        ) from None


def _parse_glossary(text: str, path: Path, source_lang: str, targets: Sequence[str] | None) -> Glossary:
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        context = ""
        if exc.context and exc.context_mark:
            context = f" ({exc.context} from line {exc.context_mark.line + 1})"
        raise GlossaryError(
            f"invalid YAML at column {column}: {exc.problem}{context}; check indentation, quoting and brackets",
            path=path,
            line=line,
        ) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise GlossaryError(
            f"invalid character U+{exc.character:04X} in the file; remove it", path=path, line=line
        ) from exc
    if root is None:
        return Glossary()
    parser = _Parser(path, source_lang, targets)
    return Glossary(parser.entries(root))


def _compose(text: str) -> yaml.Node | None:
    """``yaml.compose(text, Loader=yaml.SafeLoader)``: the same nodes, tags and lines.

    PyYAML's pure-Python scanner takes seconds over a glossary of thousands of terms; libyaml's
    composer (when PyYAML was built with it) builds the same tree several times faster. A document
    it rejects goes to the pure-Python composer, so error messages and lines are PyYAML's.
    """
    if _CLoader is not None:
        try:
            return yaml.compose(text.encode(), Loader=_CLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large tree of objects is built: otherwise it
    scans the growing tree again and again, which takes longer than the building."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Parser:
    """Validates the composed YAML node tree of a glossary."""

    def __init__(self, path: Path, source_lang: str, targets: Sequence[str] | None = None) -> None:
        self.path = path
        self.source_lang = source_lang
        self.targets = targets
        # a key names a target language as it is (zh-CN) or as its primary language (en for en-US)
        self.languages = None if targets is None else {*targets, *(_primary(t) for t in targets)}

    def error(self, node: yaml.Node, message: str) -> GlossaryError:
        return GlossaryError(message, path=self.path, line=node.start_mark.line + 1)

    def mapping(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The key -> (key node, value node) pairs of a mapping; keys must be unique text."""
        items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "a key must be plain text, not a list or mapping")
            key = str(key_node.value)
            if key in items:
                raise self.error(key_node, f'"{key}" is given twice here; keep one')
            items[key] = (key_node, value_node)
        return items

    def text(self, node: yaml.Node, what: str) -> str:
        """The normalised text of a scalar; null is the empty string."""
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(node, f"{what} must be text, not a list or mapping")
        if node.tag == _BOOL_TAG:
            raise self.error(node, f'{what} must be text; write "{node.value}" in quotes')
        return "" if node.tag == _NULL_TAG else normalize_text(str(node.value))

    def entries(self, root: yaml.Node) -> list[Term]:
        """All terms of the document, checked for duplicates."""
        if not isinstance(root, yaml.MappingNode):
            raise self.error(root, 'the top level must be a mapping with a "terms:" list')
        items = self.mapping(root)
        for key, (key_node, _) in items.items():
            if key != "terms":
                raise self.error(key_node, f'unknown top-level key "{key}"; only "terms" is allowed')
        if "terms" not in items:
            raise self.error(root, 'missing "terms:" list at the top level')
        terms_node = items["terms"][1]
        if isinstance(terms_node, yaml.ScalarNode) and terms_node.tag == _NULL_TAG:
            return []
        if not isinstance(terms_node, yaml.SequenceNode):
            raise self.error(terms_node, f'"terms" must be a list of entries "- {self.source_lang}: …"')
        terms: list[Term] = []
        seen: dict[str, Term] = {}
        for entry in terms_node.value:
            term = self.term(entry)
            key = _match_key(term.source)[0]
            if key in seen:
                raise self.error(
                    entry,
                    f'"{term.source}" is defined twice (first at line {seen[key].line}); merge the '
                    "entries (spacing and letter case do not distinguish terms)",
                )
            seen[key] = term
            terms.append(term)
        return terms

    def term(self, entry: yaml.Node) -> Term:
        """One validated entry."""
        src = self.source_lang
        if not isinstance(entry, yaml.MappingNode):
            raise self.error(entry, f'each entry must be a mapping such as "- {src}: 특징" with "en: feature"')
        items = self.mapping(entry)
        if src not in items:
            raise self.error(entry, f'this entry has no "{src}:" source term; add it')
        source = self.text(items[src][1], f'"{src}"')
        if not source:
            raise self.error(items[src][1], f'"{src}" is empty; write the source term')
        targets: dict[str, str] = {}
        for key, (key_node, value_node) in items.items():
            if key in (src, "forbidden", "note", "keep"):
                continue
            if not _LANG_CODE.fullmatch(key):
                raise self.error(
                    key_node,
                    f'unknown key "{key}"; expected "{src}", a language code such as "en" or '
                    '"zh-CN", "forbidden", "note" or "keep"',
                )
            if self.languages is not None and key not in self.languages:
                raise self.error(
                    key_node,
                    f'"{key}" is not a target language of this project (targets: {", ".join(self.targets or ())}); '
                    f'write the language code as in targets, or add "{key}" to targets in [tool.translate]',
                )
            targets[key] = self.text(value_node, f'"{key}"')
            if not targets[key]:
                raise self.error(
                    value_node,
                    f'the "{key}" translation of "{source}" is empty; write it or remove the key',
                )
        if not targets:
            raise self.error(entry, f'"{source}" has no translation; add one such as "en: …"')
        note = None
        if "note" in items:
            note = self.text(items["note"][1], '"note"') or None
        keep = False
        if "keep" in items:
            keep_node = items["keep"][1]
            if not (isinstance(keep_node, yaml.ScalarNode) and keep_node.tag == _BOOL_TAG):
                raise self.error(keep_node, '"keep" must be true or false')
            keep = yaml.SafeLoader.bool_values[str(keep_node.value).lower()]
        forbidden = self.forbidden(items["forbidden"][1], targets) if "forbidden" in items else {}
        return Term(
            source=source,
            targets=types.MappingProxyType(targets),
            forbidden=types.MappingProxyType(forbidden),
            note=note,
            keep=keep,
            line=entry.start_mark.line + 1,
        )

    def forbidden(self, node: yaml.Node, targets: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
        """The ``forbidden:`` mapping of an entry: language code -> list of variants."""
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, '"forbidden" must map a language to a list, e.g. "forbidden: {en: [trait]}"')
        result: dict[str, tuple[str, ...]] = {}
        for lang, (key_node, list_node) in self.mapping(node).items():
            if lang not in targets:
                raise self.error(
                    key_node,
                    f'forbidden "{lang}" has no "{lang}:" translation in this entry; add one',
                )
            if not isinstance(list_node, yaml.SequenceNode):
                raise self.error(list_node, f'"forbidden.{lang}" must be a list of text, e.g. [trait]')
            variants = []
            for item in list_node.value:
                variant = self.text(item, f'an entry of "forbidden.{lang}"')
                if not variant:
                    raise self.error(item, f'an entry of "forbidden.{lang}" is empty; remove it')
                if target_contains(targets[lang], variant, lang):
                    raise self.error(
                        item,
                        f'forbidden "{variant}" matches the approved translation "{targets[lang]}"; remove it',
                    )
                variants.append(variant)
            result[lang] = tuple(variants)
        return result


def target_contains(target_text: str, term_target: str, lang: str) -> bool:
    """Whether ``target_text`` uses ``term_target``.

    English: case-insensitive, word by word with a light stemmer (plural, -ed, -ing, possessive),
    the term's words consecutive and in order ("expression muscle layer" uses "expression
    muscles"; "featureless" does not use "feature"). Other languages: case-insensitive substring.
    """
    if _primary(lang) == "en":
        wanted = _stems(term_target)
        if wanted:
            have = _stems(target_text)
            size = len(wanted)
            return any(have[i : i + size] == wanted for i in range(len(have) - size + 1))
    return normalize_text(term_target).casefold() in normalize_text(target_text).casefold()


def apply_glossary(source: str, target: str, lang: str, glossary: Glossary) -> tuple[str, list[Finding]]:
    """Check a translation against the glossary terms found in its source.

    Source terms left untranslated in the target are replaced by their translation (with any
    attached particle dropped); missing translations, forbidden variants and altered names are
    reported. Returns the new target and the findings.
    """
    found: dict[str, tuple[Term, str]] = {}
    as_noun: set[str] = set()  # terms used at least once as a noun, not only in a light verb
    for match in glossary.find(source):
        wanted = match.term.target_for(lang)
        if wanted is not None:
            found.setdefault(match.term.source, (match.term, wanted))
            if not _in_light_verb(source, match.end):
                as_noun.add(match.term.source)
    target, findings = _replace_leftovers(target, glossary, found)
    approved = [wanted for _, wanted in found.values()]
    for term, wanted in found.values():
        hint = f" ({term.note})" if term.note else ""
        if term.keep:
            if not _name_in(target, wanted):
                message = f'"{term.source}" is a name: write it exactly as "{wanted}"{hint}'
                findings.append(Finding("do-not-translate", message, Severity.ERROR))
        elif not target_contains(target, wanted, lang) and (
            term.source in as_noun or not _verb_of(target, wanted, lang)
        ):
            message = f'"{term.source}" should be translated as "{wanted}"{hint}'
            findings.append(Finding("glossary", message))
        for variant in term.forbidden_for(lang):
            if target_contains(target, variant, lang) and not any(
                target_contains(other, variant, lang) for other in approved
            ):
                message = f'"{term.source}" should be translated as "{wanted}", not "{variant}"'
                findings.append(Finding("glossary-forbidden", message, Severity.ERROR))
    return target, findings


def _in_light_verb(text: str, end: int) -> bool:
    """Whether the term ending at ``end`` is the noun of a light verb (상담+받으실, 시술+합니다)."""
    word = _ALNUM_RUN.match(text, end)
    if word is None:
        return False
    tail = unicodedata.normalize("NFC", word.group())
    return bool(_LIGHT_VERB.fullmatch(tail)) and not _is_particles(tail, "")


def _verb_of(target_text: str, term_target: str, lang: str) -> bool:
    """Whether an English target uses the verb of a one-word translation: "consult" for
    consultation, "treated" for treatment, "infected" for infection (at least four letters)."""
    if _primary(lang) != "en" or len(wanted := _stems(term_target)) != 1:
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


def _replace_leftovers(
    target: str, glossary: Glossary, found: Mapping[str, tuple[Term, str]]
) -> tuple[str, list[Finding]]:
    """Replace source terms copied into ``target`` (the "Its 특징 is" failure)."""
    parts: list[str] = []
    findings: list[Finding] = []
    done = 0
    for match, after in zip(*glossary._scan(target), strict=True):
        if match.term.source not in found or _in_light_verb(target, match.end):
            continue  # a Korean verb left in the text (시술합니다) has no English to put in its place
        term, wanted = found[match.term.source]
        if _match_key(term.source)[0] == _match_key(wanted)[0]:
            continue  # a name written the same in both languages (HIFES): nothing to replace
        prefix = "".join(parts) + target[done : match.start]
        replacement = wanted
        if not term.keep and (not prefix.strip() or prefix.rstrip()[-1] in ".!?"):
            replacement = replacement[0].upper() + replacement[1:]
        if prefix[-1:].isalnum():
            replacement = " " + replacement
        if target[after : after + 1].isalnum():
            replacement += " "
        parts += [target[done : match.start], replacement]
        message = f'replaced untranslated "{target[match.start : after]}" with "{wanted}"'
        findings.append(Finding("glossary", message, Severity.WARNING))
        done = after
    return "".join(parts) + target[done:], findings


def _primary(lang: str) -> str:
    """The primary language subtag: ``zh-CN`` -> ``zh``."""
    return lang.split("-", 1)[0].lower()


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
            == len(unicodedata.normalize("NFC", text[begin:i]))
        ):
            continue  # text[i] combines with the cluster that starts at ``begin``
        piece = unicodedata.normalize("NFC", text[begin:i])
        out.append(piece)
        starts += [begin] * len(piece)
        ends += [i] * len(piece)
        begin = i
    return "".join(out), starts, ends


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
    """Whether ``tail`` is a chain of particles / copula endings (은, 에서는, 입니다, 들이) whose first
    particle fits ``final``, the last character of the word it is attached to."""
    if len(tail) > _MAX_TAIL:
        return False
    ok = [True] + [False] * len(tail)
    for j in range(1, len(tail) + 1):
        ok[j] = any(
            ok[i] and tail[i:j] in _PARTICLES and (i > 0 or _agrees(final, tail[:j]))
            for i in range(max(0, j - _MAX_PARTICLE), j)
        )
    return ok[-1]


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
