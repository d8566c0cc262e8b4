"""The translation memory: approved translations of the project, plus memories imported as TMX.

* Exact matches fill drafts without MT (``draft``); the project's own approvals come first, then
  imported memories (``tm/*.tmx`` under the content root, in file-name order).
* Fuzzy matches (rapidfuzz, score 0-100 at or above ``fuzzy_threshold``) are suggestions shown to
  reviewers, with the words that differ from the segment's source marked ``[-old-] {+new+}``.
* ``export_tmx`` / ``import_tmx`` speak TMX 1.4, so memories move to and from other CAT tools;
  an export carries only what was approved in this project.
"""

from __future__ import annotations

import bisect
import math
import xml.etree.ElementTree as ET
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from pathlib import Path
from typing import Protocol

from rapidfuzz import fuzz, process, utils

from translate import __version__
from translate.errors import InputError
from translate.fileio import atomic_write, open_regular
from translate.model import State, Unit, normalize_text, segment_id
from translate.po import read_units
from translate.project import Project, locked
from translate.worddiff import word_diff

ORIGIN_TM = "tm"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SUGGESTIONS = 3


@dataclass(frozen=True)
class MemoryEntry:
    """A source sentence and its translation; ``origin`` is ``tm`` for the project's approvals,
    ``tm:<file>`` for an imported memory."""

    source: str
    target: str
    origin: str = ORIGIN_TM


def approved_entries(project: Project, lang: str) -> Iterator[MemoryEntry]:
    """Approved translations anywhere in the project (obsolete entries too), article by article.
    A PO file that cannot be read adds nothing here; the command that works on it reports it."""
    for slug in project.articles():
        _, units = read_units(project.po_path(lang, slug), article=slug, lang=lang, source_lang=project.settings.source)
        try:  # the units of a large file are read one at a time; a file with an error adds nothing
            entries = [MemoryEntry(u.source, u.target) for u in units if u.state is State.APPROVED and u.target]
        except InputError:
            continue
        yield from entries


def tm_folder(project: Project) -> Path:
    """The imported memories' folder (``tm_dir``), refused when a link leads it outside the project."""
    return project.inside(project.root / project.settings.tm_dir)


def imported_entries(project: Project, lang: str) -> Iterator[MemoryEntry]:
    """Translations into ``lang`` from the TMX files in the project's memory folder."""
    folder = tm_folder(project)
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.tmx")):
        for tu in read_tmx(project.inside(path)):
            source = _pick(tu, project.settings.source)
            target = _pick(tu, lang)
            if source and target:
                yield MemoryEntry(source, target, f"{ORIGIN_TM}:{path.name}")


def memory_entries(project: Project, lang: str) -> list[MemoryEntry]:
    """The whole memory for ``lang``: the project's approvals first, then imported memories."""
    return [*approved_entries(project, lang), *imported_entries(project, lang)]


def exact_memory(entries: Iterable[MemoryEntry]) -> dict[str, MemoryEntry]:
    """Normalised source -> the first entry for it."""
    memory: dict[str, MemoryEntry] = {}
    for entry in entries:
        memory.setdefault(normalize_text(entry.source), entry)
    return memory


# --- fuzzy matches -------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A fuzzy match for a reviewer: the memory's translation, its score and its source, with the
    words that differ from the segment's source marked."""

    target: str
    score: int
    source: str
    diff: str
    origin: str

    def as_json(self) -> dict[str, object]:
        return {"target": self.target, "score": self.score, "source": self.source, "diff": self.diff}

    def text(self) -> str:
        return f"memory {self.score}%: {self.target}  (source: {self.diff})"


class FuzzyIndex:
    """Fuzzy lookup over a memory (rapidfuzz's normalised Indel similarity, 0-100).

    A lookup first scores the query against a coarse copy of the memory in which every character
    is one byte (the 255 most frequent characters each their own, all others one shared byte, 255).
    rapidfuzz compares one-byte text several times faster, and the coarse score is never below the
    real one (a common subsequence stays common when characters are merged), so the entries it
    keeps include every entry at or above the threshold; only those are scored on the real text.
    Only entries whose length lets them reach the threshold are looked at: the score is
    200·LCS/(la+lb) and LCS ≤ min(la, lb), so the coarse copy is kept sorted by length and a lookup
    scores one slice of it (a sentence of 30 characters, at 75: entries of 18 to 50).
    A large memory asked many times (``review list`` over a long article) also gets character bags
    (``_Bags``): only entries that share enough characters with the query to reach the threshold
    are scored, found with bit operations over all entries at once instead of a scan.
    The result is ``process.extract`` over the whole memory: the same entries, scores and order.
    """

    def __init__(self, entries: Iterable[MemoryEntry], threshold: float) -> None:
        self.threshold = threshold
        self._entries: list[MemoryEntry] = list(exact_memory(entries).values())
        self._keys = [utils.default_process(e.source) for e in self._entries]
        sample = self._keys[:: max(1, len(self._keys) // 3000)]  # enough to rank the frequent characters
        ranked = Counter("".join(sample)).most_common(255)
        self._codes = _ByteCodes({ord(char): chr(rank) for rank, (char, _) in enumerate(ranked)})
        lengths = [len(key) for key in self._keys]
        self._order = array("L", sorted(range(len(lengths)), key=lengths.__getitem__))
        self._lengths = array("L", sorted(lengths))
        self._coarse = [self._keys[index].translate(self._codes) for index in self._order]
        self._found: dict[tuple[str, int], list[tuple[float, int]]] = {}
        self._scanned = 0  # entries scanned so far; past BAGS_AFTER times the memory, the bags are built
        self._bags: _Bags | None = None

    BAGS_AFTER = 100  # the bags of all characters cost about as much as 150-400 scans of the memory
    BAGS_FROM = 20_000  # entries; in a smaller memory a scan is as fast

    def __len__(self) -> int:
        return len(self._entries)

    def suggest(self, unit: Unit, limit: int = SUGGESTIONS) -> list[Suggestion]:
        """The best matches for ``unit``'s source, best first; its own current translation left out."""
        query = utils.default_process(unit.source)
        if not query or not self._keys:
            return []
        suggestions = []
        for score, index in self._best(query, limit + 1):
            entry = self._entries[index]
            if entry.target == unit.target:
                continue
            diff = word_diff(entry.source, unit.source)
            suggestions.append(Suggestion(entry.target, round(score), entry.source, diff, entry.origin))
        return suggestions[:limit]

    def _best(self, query: str, limit: int) -> list[tuple[float, int]]:
        """(score, entry index) of the ``limit`` best entries at or above the threshold, best first
        (ties in memory order); a query asked again (a sentence in many articles) is not scored again."""
        found = self._found.get((query, limit))
        if found is None:
            keys = self._keys
            low, high = self._band(len(query))
            wanted = len(keys) >= self.BAGS_FROM and self._scanned > self.BAGS_AFTER * len(keys)
            if self._bags is None and self.threshold > 0 and wanted:
                self._bags = _Bags(self._coarse)
            coded = query.translate(self._codes)
            kept = None
            if self._bags is not None and low < high:
                needed = math.ceil(self.threshold * (len(query) + self._lengths[low]) / 200 - 1e-6)
                kept = self._bags.sharing(coded, needed, low, high)
            if kept is not None:
                close = sorted(self._order[position] for position in kept)
            else:
                self._scanned += high - low
                if high - low > len(keys) * 0.95:  # copying the slice would cost more than it saves
                    low, high = 0, len(keys)
                choices = self._coarse if high - low == len(keys) else self._coarse[low:high]
                coarse = process.extract(
                    coded, choices, scorer=fuzz.ratio, processor=None, score_cutoff=self.threshold, limit=None
                )
                close = sorted(self._order[low + index] for _, _, index in coarse)
            if len(close) < len(keys) // 2:
                keys = [keys[index] for index in close]
            else:
                close = list(range(len(keys)))  # little to leave out: score the whole memory
            exact = process.extract(
                query, keys, scorer=fuzz.ratio, processor=None, score_cutoff=self.threshold, limit=limit
            )
            found = self._found[(query, limit)] = [(score, close[index]) for _, score, index in exact]
        return found

    def _band(self, length: int) -> tuple[int, int]:
        """The slice of the length-sorted entries that can reach the threshold against a query of
        ``length`` characters: 200·min(la, lb)/(la+lb) >= threshold (with room for rounding)."""
        ratio = min(max(self.threshold, 0.0), 100.0) / 200.0
        if ratio <= 0.0:
            return 0, len(self._lengths)
        shortest = math.floor(length * ratio / (1.0 - ratio) * (1.0 - 1e-9))
        longest = math.ceil(length * (1.0 - ratio) / ratio * (1.0 + 1e-9))
        return bisect.bisect_left(self._lengths, shortest), bisect.bisect_right(self._lengths, longest)


class _Bags:
    """Which entries share enough characters with a query to reach the threshold.

    The score is 200·LCS/(la+lb), and LCS is at most the characters two texts have in common
    counted with repeats (sum over characters of the smaller count). For each character and each
    count k up to ``CAP``, one integer holds a bit per entry (in the index's length order): set if
    the entry has the character at least k times. A lookup adds the query's masks in bit-sliced
    counters, 64 entries per machine word, so no entry is looked at one by one.
    """

    CAP = 8

    def __init__(self, coarse: Sequence[str]) -> None:
        self.coarse = coarse
        self.size = len(coarse)
        self.joined = "".join(coarse)
        self.starts = array("L", accumulate(map(len, coarse), initial=0))
        self.masks: dict[tuple[str, int], int] = {}
        self.known: set[str] = set()

    def _learn(self, char: str) -> None:
        """The masks of one character, made on first use (a memory has hundreds of characters)."""
        self.known.add(char)
        if self.joined.count(char) < self.size // 8:  # a rare character: find its entries
            found = Counter[int]()
            at = self.joined.find(char)
            while at >= 0:
                found[bisect.bisect_right(self.starts, at) - 1] += 1
                at = self.joined.find(char, at + 1)
            for k in range(1, min(max(found.values(), default=0), self.CAP) + 1):
                bits = bytearray((self.size + 7) // 8)
                for position, count in found.items():
                    if count >= k:
                        bits[position >> 3] |= 1 << (position & 7)
                self.masks[char, k] = int.from_bytes(bits, "little")
            return
        counts = list(map(str.count, self.coarse, repeat(char)))
        most = max(counts)
        if most > 255:
            counts = [min(count, 255) for count in counts]
        row = bytes(counts)  # one byte per entry: how often it has the character
        for k in range(1, min(most, self.CAP) + 1):
            self.masks[char, k] = int(row.translate(_AT_LEAST[k])[::-1], 2)

    def sharing(self, coded: str, needed: int, low: int, high: int) -> list[int] | None:
        """Positions in ``low:high`` of the entries that have at least ``needed`` of the (coarse)
        query's characters in common with it; None when every entry might."""
        masks = []
        free = 0  # repeats past CAP: counted as shared by every entry
        for char, count in Counter(coded).items():
            if char not in self.known:
                self._learn(char)
            free += max(0, count - self.CAP)
            masks += [self.masks.get((char, k), 0) for k in range(1, min(count, self.CAP) + 1)]
        needed -= free
        if needed <= 0:
            return None
        full = (1 << self.size) - 1
        planes = (needed - 1).bit_length()
        start = (1 << planes) - needed  # counters start there: reaching 2**planes means enough
        counters = [full if start >> plane & 1 else 0 for plane in range(planes)]
        enough = 0
        for mask in masks:
            carry = mask
            for plane in range(planes):
                if not carry:
                    break
                counters[plane], carry = counters[plane] ^ carry, counters[plane] & carry
            enough |= carry
        enough &= (1 << high) - (1 << low)
        bits = format(enough, "b")[::-1]
        found = []
        position = bits.find("1")
        while position >= 0:
            found.append(position)
            position = bits.find("1", position + 1)
        return found


_AT_LEAST = [bytes(b"1"[0] if value >= k else b"0"[0] for value in range(256)) for k in range(_Bags.CAP + 1)]
"""str.translate tables: a count at least k becomes the digit 1, others 0."""


class _ByteCodes(dict[int, str]):
    """A str.translate table that turns characters it does not know into the shared byte."""

    def __missing__(self, key: int) -> str:
        return "\xff"


# --- TMX ------------------------------------------------------------------------------------


def _lang_matches(tmx_lang: str, ours: str) -> bool:
    """ko-KR and KO are ko; zh-Hans and zh-CN are zh-CN; en is en-US's memory only if we say en."""
    theirs, ours = tmx_lang.strip().lower().replace("_", "-"), ours.lower()
    if theirs == ours:
        return True
    if ours == "zh-cn":
        return theirs in ("zh-hans", "zh-hans-cn", "zh")
    if ours == "zh-tw":
        return theirs in ("zh-hant", "zh-hant-tw")
    return "-" not in ours and theirs.split("-")[0] == ours


def _pick(tu: dict[str, str], lang: str) -> str:
    return next((text for code, text in tu.items() if _lang_matches(code, lang)), "")


def _seg_text(seg: ET.Element) -> str:
    """A segment's text; inline TMX elements (bpt, ept, ph, it, hi) keep their content."""
    return normalize_text("".join(seg.itertext()))


def read_tmx(path: Path) -> list[dict[str, str]]:
    """The translation units of a TMX file, each as {xml:lang: text}."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(
            f"not a valid TMX file ({exc.msg if hasattr(exc, 'msg') else exc}).", path=path, line=line
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror}).", path=path) from None
    if root.tag != "tmx" or root.find("body") is None:
        raise InputError("not a TMX file: it has no <tmx> root with a <body>.", path=path)
    units = []
    for tu in root.iter("tu"):
        variants: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang")  # TMX 1.1 wrote lang=
            seg = tuv.find("seg")
            if lang and seg is not None:
                variants.setdefault(lang, _seg_text(seg))
        if variants:
            units.append(variants)
    return units


def render_tmx(units: Sequence[tuple[str, dict[str, str]]], source_lang: str) -> str:
    """TMX 1.4 text for (source, {lang: target}) pairs."""
    root = ET.Element("tmx", version="1.4")
    header = {
        "creationtool": "translate",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "PO",
        "adminlang": "en",
        "srclang": source_lang,
        "datatype": "plaintext",
    }
    ET.SubElement(root, "header", header)
    body = ET.SubElement(root, "body")
    for source, targets in units:
        tu = ET.SubElement(body, "tu", tuid=segment_id(source))
        for lang, text in ((source_lang, source), *targets.items()):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root)
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
    return declaration + ET.tostring(root, encoding="unicode") + "\n"


def export_tmx(project: Project, path: Path, lang: str | None = None) -> int:
    """Write the project's approved translations into the target languages to ``path``; return
    the number of translation units. Drafts, rejected and untranslated units are left out, and so
    are imported memories (no one here approved them; they are TMX files in ``tm/`` already)."""
    units: dict[str, dict[str, str]] = {}
    for target in project.languages(lang):
        for entry in exact_memory(approved_entries(project, target)).values():
            units.setdefault(entry.source, {})[target] = entry.target
    atomic_write(path, render_tmx(list(units.items()), project.settings.source))
    return len(units)


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # units without both the source language and a target language
    written: list[Path] = field(default_factory=list)


@locked("tm import")
def import_tmx(project: Project, path: Path, lang: str | None = None) -> ImportReport:
    """Merge a TMX file into the project's memory folder (``tm/<source>-<lang>.tmx``): a source
    sentence already there gets the imported translation."""
    report = ImportReport()
    open_regular(path).close()  # a named pipe or a folder is refused rather than waited on
    units = read_tmx(path)
    source_lang = project.settings.source
    targets = project.languages(lang)
    usable = [False] * len(units)
    for target in targets:
        store = project.inside(tm_folder(project) / f"{source_lang}-{target}.tmx")
        pairs = {_pick(tu, source_lang): _pick(tu, target) for tu in read_tmx(store)} if store.is_file() else {}
        before = dict(pairs)
        for number, tu in enumerate(units):
            source, text = _pick(tu, source_lang), _pick(tu, target)
            if not source or not text:
                continue
            usable[number] = True
            if source not in pairs:
                report.added += 1
            elif pairs[source] != text:
                report.updated += 1
            else:
                report.unchanged += 1
            pairs[source] = text
        if pairs != before:
            atomic_write(store, render_tmx([(s, {target: t}) for s, t in pairs.items() if s and t], source_lang))
            report.written.append(store)
    report.skipped = usable.count(False)
    return report


class _HasSuggestions(Protocol):
    lang: str
    unit: Unit
    suggestions: list[Suggestion]


def attach_suggestions(project: Project, items: Sequence[_HasSuggestions]) -> None:
    """Give every queue item that is not approved its fuzzy memory matches."""
    Suggester(project).attach(items)


class Suggester:
    """Gives queue items their fuzzy memory matches, each language's memory read on first use (so
    items may come a few at a time)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._indexes: dict[str, FuzzyIndex] = {}

    def attach(self, items: Iterable[_HasSuggestions]) -> None:
        """Give every item that is not approved its fuzzy memory matches."""
        for item in items:
            if item.unit.state is State.APPROVED:
                continue
            if item.lang not in self._indexes:
                memory = memory_entries(self.project, item.lang)
                self._indexes[item.lang] = FuzzyIndex(memory, self.project.settings.fuzzy_threshold)
            item.suggestions = self._indexes[item.lang].suggest(item.unit)
