"""align: bring an existing translation (a Korean article and its English page) into the PO file.

Sentences are aligned with dynamic programming in the Gale-Church family: the cost of pairing
Korean and English sentences is the improbability of their length ratio (a normal model around
the documents' own ratio) and of the pairing type (1-1, 2-1, 1-0, ...), lowered by anchors that
both sides share (glossary terms, numbers, links) and raised when the structure differs (a
heading paired with a paragraph, a pairing that crosses a block).
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate import frontmatter, history
from translate.checks import check_translation
from translate.errors import ConfigError
from translate.extract import extract
from translate.fileio import atomic_write, read_text
from translate.glossary import Glossary, load_glossary, target_contains
from translate.markdown import inline_codes, parse_document
from translate.model import Finding, Segment, State, Unit, text_hash
from translate.pages import PAGE_HASH_FIELD, is_ours, load_source, page_field, shortcodes, stamp, without_page_hash
from translate.po import load_catalog, save_catalog
from translate.project import Project, locked

# Prior probabilities of the pairing types (Gale & Church 1993), and the variance of the length model.
PRIORS = {(1, 1): 0.89, (1, 0): 0.005, (0, 1): 0.005, (2, 1): 0.0445, (1, 2): 0.0445, (2, 2): 0.011}
VARIANCE = 6.8
LOW_CONFIDENCE = 0.5
BAND = 32  # segments either side of the diagonal that the alignment searches first
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
_KEPT_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]+|[→%~/]")  # what translators copy as it is: names, symbols
_LIST_GAP_RE = re.compile(r"\n[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]")


@dataclass
class Pair:
    """Korean segments and English segments aligned together (either side may be empty)."""

    ko: list[int]
    en: list[int]
    confidence: float


@dataclass
class AlignReport:
    article: str
    lang: str
    pairs: list[Pair] = field(default_factory=list)
    ko: tuple[Segment, ...] = ()
    en: tuple[Segment, ...] = ()
    written: int = 0
    kept_approved: int = 0
    findings: dict[str, int] = field(default_factory=dict)  # check -> number of segments
    page_adopted: bool = False

    @property
    def confidence(self) -> float:
        """Mean confidence of the pairs that hold Korean text, weighted by its length."""
        weights = [(sum(len(self.ko[i].source) for i in p.ko), p.confidence) for p in self.pairs if p.ko]
        total = sum(w for w, _ in weights)
        return sum(w * c for w, c in weights) / total if total else 0.0


def _blocks(segments: Sequence[Segment], text: str) -> list[int]:
    """A block number per segment: sentences of one paragraph share it; headings, items, cells don't."""
    numbers: list[int] = []
    for i, segment in enumerate(segments):
        if i == 0:
            numbers.append(0)
            continue
        before = segments[i - 1]
        gap = text[before.span.end : segment.span.start]
        same = (
            before.kind == segment.kind
            and segment.kind in ("paragraph", "quote")
            and "\n\n" not in gap.replace(" ", "").replace("\t", "")
            and not _LIST_GAP_RE.search(gap)
        )
        numbers.append(numbers[-1] if same else numbers[-1] + 1)
    return numbers


def _normal_tail(z: float) -> float:
    """Two-sided tail probability of a standard normal variable."""
    return max(math.erfc(abs(z) / math.sqrt(2)), 1e-12)


@dataclass
class _Side:
    text: str
    numbers: set[str]
    kept: set[str]  # names and symbols translators copy
    codes: list[str]  # inline codes, sorted
    wanted: list[str]  # Korean side: the targets of the glossary terms it holds


@dataclass
class _Scorer:
    ko: Sequence[Segment]
    en: Sequence[Segment]
    ko_blocks: list[int]
    en_blocks: list[int]
    glossary: Glossary
    lang: str
    ratio: float
    ko_sides: dict[tuple[int, int], _Side] = field(default_factory=dict)
    en_sides: dict[tuple[int, int], _Side] = field(default_factory=dict)
    ko_lengths: list[int] = field(default_factory=list)  # characters before each segment
    en_lengths: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ko_lengths = list(itertools.accumulate((len(s.source) for s in self.ko), initial=0))
        self.en_lengths = list(itertools.accumulate((len(s.source) for s in self.en), initial=0))

    def length_p(self, ko: range, en: range) -> float:
        l1 = self.ko_lengths[ko.stop] - self.ko_lengths[ko.start]
        l2 = self.en_lengths[en.stop] - self.en_lengths[en.start]
        mean = (l1 + l2 / self.ratio) / 2
        if mean == 0:
            return 1.0
        delta = (l2 - l1 * self.ratio) / math.sqrt(mean * VARIANCE * self.ratio)
        return _normal_tail(delta)

    def side(self, korean: bool, span: range) -> _Side:
        """What the anchors compare in some consecutive segments of one side (computed once)."""
        cache = self.ko_sides if korean else self.en_sides
        found = cache.get((span.start, span.stop))
        if found is None:
            text = " ".join((self.ko if korean else self.en)[i].source for i in span)
            wanted: list[str] = []
            if korean:
                for match in {m.term.source: m for m in self.glossary.find(text)}.values():
                    target = match.term.target_for(self.lang)
                    if target:
                        wanted.append(target)
            found = cache[(span.start, span.stop)] = _Side(
                text,
                set(_NUMBER_RE.findall(text)),
                set(_KEPT_RE.findall(text)),
                sorted(inline_codes(text)),
                wanted,
            )
        return found

    def anchors(self, ko: range, en: range) -> tuple[float, int]:
        """A cost adjustment from what both sides share, and how many anchors agreed."""
        k, e = self.side(True, ko), self.side(False, en)
        cost, hits = 0.0, 0
        if k.numbers or e.numbers:
            shared = len(k.numbers & e.numbers)
            cost += 1.5 * (len(k.numbers ^ e.numbers)) - 2.0 * shared
            hits += shared
        for wanted in k.wanted:
            if target_contains(e.text, wanted, self.lang):
                cost -= 1.0
                hits += 1
        copied = k.kept & e.kept  # RF, HIFES, pexels, →
        cost -= min(len(copied), 3)
        hits += len(copied)
        if k.codes or e.codes:
            cost += -1.0 if k.codes == e.codes else 1.0
        return cost, hits

    def structure(self, ko: range, en: range) -> float:
        """Cost of structural disagreement: different kinds, a pairing that crosses a block."""
        cost = 0.0
        if len({self.ko_blocks[i] for i in ko}) > 1 or len({self.en_blocks[j] for j in en}) > 1:
            cost += 50.0
        if ko and en:
            ko_kind, en_kind = self.ko[ko.start].kind, self.en[en.start].kind
            if ko_kind != en_kind:
                cost += 8.0 if "heading" in (ko_kind, en_kind) or ko_kind.startswith("front") else 3.0
            ko_starts = ko.start == 0 or self.ko_blocks[ko.start - 1] != self.ko_blocks[ko.start]
            en_starts = en.start == 0 or self.en_blocks[en.start - 1] != self.en_blocks[en.start]
            if ko_starts != en_starts:
                cost += 1.0
        return cost

    def cost(self, ko: range, en: range) -> tuple[float, float]:
        """The cost of pairing these segments, and the confidence of the pair."""
        prior = PRIORS[(len(ko), len(en))]
        if not ko or not en:
            return -math.log(prior) + 4.0, 0.0
        p = self.length_p(ko, en)
        anchor_cost, hits = self.anchors(ko, en)
        structure = self.structure(ko, en)
        cost = -math.log(prior) - math.log(p) + anchor_cost + structure
        confidence = p
        for _ in range(min(hits, 2)):
            confidence = 1 - (1 - confidence) * 0.5
        if structure:
            confidence *= 0.5
        if (len(ko), len(en)) != (1, 1):
            confidence *= 0.8
        return cost, min(confidence, 1.0)


def align_segments(
    ko: Sequence[Segment], ko_text: str, en: Sequence[Segment], en_text: str, glossary: Glossary, lang: str
) -> list[Pair]:
    """The best alignment of two segment sequences (dynamic programming over the pairing types).

    The search keeps to a band around the diagonal, ``BAND`` segments wide on either side, and
    widens it while the best path runs along its edge: near-linear for a translation that follows
    its source, exact (the whole table) when the band covers it.
    """
    ratio = (sum(len(s.source) for s in en) or 1) / (sum(len(s.source) for s in ko) or 1)
    scorer = _Scorer(ko, en, _blocks(ko, ko_text), _blocks(en, en_text), glossary, lang, ratio)
    n, m = len(ko), len(en)
    width = BAND
    while True:
        pairs, on_edge = _best_path(scorer, n, m, width)
        if not on_edge:
            return pairs
        width *= 2


def _best_path(scorer: _Scorer, n: int, m: int, width: int) -> tuple[list[Pair], bool]:
    """The best alignment within ``width`` of the diagonal, and whether it touches the band's edge."""
    if n == 0 or m == 0:
        width = max(n, m)
    width = max(width, -(-m // max(n, 1)) + 2)  # consecutive rows of the band overlap
    lo = [max(0, i * m // n - width) if n else 0 for i in range(n + 1)]
    hi = [min(m, -(-i * m // n) + width) if n else m for i in range(n + 1)]
    inf = float("inf")
    best = [[inf] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            here = best[i][j - lo[i]]
            if here == inf:
                continue
            for di, dj in PRIORS:
                ti, tj = i + di, j + dj
                if ti > n or tj > m or not lo[ti] <= tj <= hi[ti]:
                    continue
                cost, confidence = scorer.cost(range(i, ti), range(j, tj))
                if here + cost < best[ti][tj - lo[ti]]:
                    best[ti][tj - lo[ti]] = here + cost
                    back[ti][tj - lo[ti]] = (di, dj, confidence)
    pairs: list[Pair] = []
    on_edge = False
    i, j = n, m
    while i or j:
        on_edge = on_edge or (lo[i] > 0 and j - lo[i] < 2) or (hi[i] < m and hi[i] - j < 2)
        step = back[i][j - lo[i]]
        assert step is not None
        di, dj, confidence = step
        pairs.append(Pair(list(range(i - di, i)), list(range(j - dj, j)), confidence))
        i, j = i - di, j - dj
    return pairs[::-1], on_edge


def _resolve(project: Project, path: Path) -> Path:
    """A path relative to the content root (the current folder unless --root is given)."""
    return path if path.is_absolute() else project.root / path


def _check_translation_path(project: Project, en_path: Path) -> None:
    """The translation page is rewritten (adopted): it must be a Markdown page of the project's
    content in a language folder, never the Korean source, a PO file or a file outside."""
    content = project.settings.content_dir
    hint = f"Copy the translation into the project first, as {content}/<lang>/<slug>.md."
    project.inside(en_path, hint)
    real = Path(os.path.realpath(en_path))
    folders = [os.path.realpath(project.root / folder) for folder in (content, project.settings.po_dir)]
    source_dir = os.path.realpath(project.source_dir)
    if (
        real.suffix != ".md"
        or not real.is_relative_to(folders[0])
        or real.is_relative_to(source_dir)
        or real.is_relative_to(folders[1])
    ):
        raise ConfigError(
            f"the translation must be a Markdown page under {content}/<lang>/ (e.g. {content}/en/x.md), not the "
            f"Korean article or another file: align rewrites the page it is given. {hint}",
            path=en_path,
        )


def _slug_and_lang(project: Project, ko_path: Path, en_path: Path, lang: str | None) -> tuple[str, str]:
    project.inside(ko_path)
    _check_translation_path(project, en_path)
    source_dir = project.source_dir.resolve()
    try:
        slug = ko_path.resolve().relative_to(source_dir).with_suffix("").as_posix()
    except ValueError:
        raise ConfigError(f"the Korean article must be under {source_dir}.", path=ko_path) from None
    if lang is None:
        folder = en_path.resolve().parent
        content = (project.root / project.settings.content_dir).resolve()
        lang = next(
            (t for t in project.settings.targets if (content / t).resolve() in (folder, *folder.parents)),
            None,
        ) or next(
            (t for t in project.settings.targets if project.content_path(t, slug).parent.resolve() == folder),
            project.settings.targets[0],
        )
    return project.check_slug(slug), project.languages(lang)[0]


@locked("align")
def align(
    project: Project,
    ko_path: Path,
    en_path: Path,
    lang: str | None = None,
    *,
    approve: bool = False,
    reviewer: str = "",
) -> AlignReport:
    """Align an existing Korean/translated pair and write the result into the article's PO file.

    Units that are already approved are never changed. Aligned translations become drafts (approved
    with ``approve`` when no check finds anything); the page is then managed by publish.
    """
    ko_path, en_path = _resolve(project, ko_path), _resolve(project, en_path)
    slug, lang = _slug_and_lang(project, ko_path, en_path, lang)
    extract(project, slug, lang)
    doc = load_source(project, slug)
    page, newline, bom = read_text(en_path)
    en_doc = parse_document(
        page, front_matter_keys=project.settings.front_matter_keys, path=en_path, shortcodes=shortcodes(project)
    )
    glossary = load_glossary(project.glossary_path, project.settings.source, project.settings.targets)
    report = AlignReport(slug, lang, ko=doc.segments, en=en_doc.segments)
    report.pairs = align_segments(doc.segments, doc.text, en_doc.segments, page, glossary, lang)
    po_path = project.po_path(lang, slug)
    catalog = load_catalog(po_path, article=slug, lang=lang, source_lang=project.settings.source)
    units = catalog.by_source()
    where = (
        en_path.resolve().relative_to(project.root).as_posix()
        if en_path.resolve().is_relative_to(project.root)
        else str(en_path)
    )
    done: set[str] = set()
    for index, pair in enumerate(report.pairs):
        if not pair.ko:
            _note_leftover(report, index, units)
            continue
        # several Korean sentences, one English text: it goes to the one whose length fits it best
        lead = max(pair.ko, key=lambda i: _fit(doc.segments[i], pair.en, en_doc.segments))
        first = doc.segments[lead].source
        if first in done:
            continue
        done.add(first)
        unit = units[first]
        if unit.state is State.APPROVED:
            report.kept_approved += 1
            continue
        if not pair.en:
            unit.findings = [Finding("alignment", f"no sentence on {where} matched this one")]
            continue
        text = " ".join(en_doc.segments[j].source for j in pair.en)
        extra: list[Finding] = []
        if len(pair.ko) > 1:
            rest = " / ".join(doc.segments[i].source for i in pair.ko if i != lead)
            extra.append(Finding("alignment", f"this text may also translate the sentence(s) next to it: {rest}"))
            for i in pair.ko:
                if i != lead and units[doc.segments[i].source].state is not State.APPROVED:
                    message = f"its translation may be inside the one of: {first}"
                    units[doc.segments[i].source].findings = [Finding("alignment", message)]
        if pair.confidence < LOW_CONFIDENCE:
            extra.append(Finding("alignment", f"low alignment confidence ({pair.confidence:.2f}): check the pairing"))
        _set(
            unit,
            text,
            [*check_translation(first, text, lang, glossary), *extra],
            where,
            pair.confidence,
            approve,
            reviewer,
        )
        report.written += 1
    for unit in units.values():
        for finding in unit.findings:
            report.findings[finding.check] = report.findings.get(finding.check, 0) + 1
    save_catalog(catalog, po_path)
    if not is_ours(page):
        text = page if page_field(page, PAGE_HASH_FIELD) is None else without_page_hash(page)
        atomic_write(en_path, stamp(frontmatter.with_block(text)), newline=newline, bom=bom)
        report.page_adopted = True
    return report


def _fit(ko: Segment, en: list[int], segments: Sequence[Segment]) -> float:
    """How well one Korean sentence's length fits an English text (higher is better)."""
    return -abs(math.log((sum(len(segments[j].source) for j in en) or 1) / (len(ko.source) or 1) / 2.3))


def _note_leftover(report: AlignReport, index: int, units: dict[str, Unit]) -> None:
    """English text with no Korean counterpart: kept as a finding on the nearest Korean sentence."""
    text = " ".join(report.en[j].source for j in report.pairs[index].en)
    near = next((p for p in reversed(report.pairs[:index]) if p.ko), None) or next(
        (p for p in report.pairs[index:] if p.ko), None
    )
    if near is None:
        return
    unit = units[report.ko[near.ko[0]].source]
    if unit.state is not State.APPROVED:
        unit.findings.append(
            Finding("alignment", f"the English page has more text here, matched to no sentence: {text}")
        )


def _set(
    unit: Unit, text: str, findings: list[Finding], where: str, confidence: float, approve: bool, reviewer: str
) -> None:
    leftovers = [f for f in unit.findings if f.check == "alignment" and "more text here" in f.message]
    unit.target = text
    unit.origin = "align"
    unit.previous_source = None
    unit.findings = [*findings, *leftovers]
    unit.checked = text_hash(text)
    if approve and not unit.findings:
        unit.state = State.APPROVED
        unit.history.append(history.approved(reviewer, unit.checked, action=f"aligned from {where} and approved"))
    else:
        unit.state = State.DRAFT
        confident = f" (confidence {confidence:.2f})"
        unit.history.append(history.line(f"aligned from {where}", text=unit.checked, rest=confident))
