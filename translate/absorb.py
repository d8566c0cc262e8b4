"""absorb: take the sentences an editor changed on a published page back into the PO file.

The page is compared word by word with what publish writes from the PO file now; every change
that falls inside one segment's translation becomes that segment's new translation. Changes
outside any translation (links, images, layout) cannot be kept in a PO file: they are reported,
and the page stays protected until they are undone or made in the Korean article. A sentence
added to a translation (:func:`added_sentences`) has no Korean source: the translation holding it
is never approved here, but kept as a draft with an ``added-text`` error for a reviewer.
"""

from __future__ import annotations

import difflib
import html
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from translate import frontmatter, history
from translate.checks import check_translation
from translate.errors import InputError
from translate.fileio import atomic_write, read_text
from translate.glossary import Glossary, load_glossary
from translate.markdown import collapse_spaces, decode_html_text, line_of
from translate.model import Document, Finding, Segment, Severity, Span, State, Unit, text_hash
from translate.pages import (
    SOURCE_HASH_FIELD,
    TRANSLATION_KEY,
    is_ours,
    load_source,
    page_field,
    source_hash,
    stamp,
    without_page_hash,
)
from translate.po import load_catalog, save_catalog
from translate.project import Project, locked
from translate.render import VALUE_KINDS, render_with_spans
from translate.sentences import split_sentences

_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_WORD_RE = re.compile(r"\w+|[^\w\s]")
_CJK_END_RE = re.compile(r"(?<=[。！？])")  # CJK sentences end without a following space


@dataclass
class PageEdit:
    """One sentence changed on the page."""

    source: str
    before: str
    after: str
    state: State
    added: list[str] = field(default_factory=list)  # sentences with no Korean source


@dataclass
class AbsorbResult:
    article: str
    lang: str
    page: Path
    edits: list[PageEdit] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # "line N: what changed", not kept in the PO file
    released: bool = False  # the page counts as written by translate again: publish may update it


def _tokens(text: str, spans: list[Span]) -> tuple[list[str], list[int], list[tuple[int, int]]]:
    """Tokens of text (cut at every span edge too), their start offsets, and each span as token indices."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    tokens: list[str] = []
    starts: list[int] = []
    index_at: dict[int, int] = {}
    for a, b in itertools.pairwise(cuts):
        index_at[a] = len(tokens)
        for m in _TOKEN_RE.finditer(text, a, b):
            tokens.append(m.group())
            starts.append(m.start())
    index_at[len(text)] = len(tokens)
    return tokens, starts, [(index_at[s.start], index_at[s.end]) for s in spans]


def _plain_tokens(text: str) -> tuple[list[str], list[int]]:
    matches = list(_TOKEN_RE.finditer(text))
    return [m.group() for m in matches], [m.start() for m in matches]


def _value(segment: Segment, page_text: str) -> str | None:
    """The translation a reviewer would write for what the page now holds in the segment's place."""
    if segment.kind.startswith("front-matter:"):
        value = frontmatter.scalar_value(page_text)
        return " ".join(value.split()) if value is not None and value.strip() else None
    if _BLANK_LINE_RE.search(page_text):
        return None  # a new paragraph: structure, not a sentence
    value = collapse_spaces(page_text)
    if segment.kind == "html-text":
        return decode_html_text(value) or None
    if segment.kind == "html-attr":
        return html.unescape(value[1:-1] if value[:1] == '"' == value[-1:] and len(value) > 1 else value) or None
    if segment.kind in VALUE_KINDS:  # titles and shortcode parameters: the escapes publish adds taken out
        if segment.kind == "shortcode-param" and value[:1] == '"' == value[-1:] and len(value) > 1:
            value = value[1:-1]
        return re.sub(r"\\([\"'()|])", r"\1", value) or None
    if segment.kind == "table-cell":
        value = value.replace("\\|", "|")
    if re.match(r"\\[-+*#>=_`~]|\d{1,9}\\[.)]", value):
        value = value.replace("\\", "", 1)  # the escape publish adds before a block marker
    return value or None


def _owner(seg_tokens: list[tuple[int, int]], i1: int, i2: int, inserted: str) -> int | None:
    """The segment a change of the expected tokens [i1, i2) falls in (the innermost: a link title rather
    than its sentence); None when it touches the skeleton.
    Text added at a segment's edge belongs to it unless it starts a new line (a new block)."""
    owner, size = None, 0
    for index, (a, b) in enumerate(seg_tokens):
        inside = a <= i1 and i2 <= b and not (i1 == i2 and i1 in (a, b) and "\n" in inserted)
        if inside and (owner is None or b - a < size):
            owner, size = index, b - a
    return owner


def _sentences(text: str) -> list[str]:
    found: list[str] = []
    for start, end in split_sentences(text):
        found.extend(part.strip() for part in _CJK_END_RE.split(text[start:end]) if part.strip())
    return found


def _similarity(a: str, b: str) -> float:
    """How much of the words of a and b are common, in order (0-1)."""
    words_a, words_b = _WORD_RE.findall(a.casefold()), _WORD_RE.findall(b.casefold())
    return difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()


def added_sentences(before: str, after: str) -> list[str]:
    """The sentences of ``after`` (an edited translation) that translate nothing of ``before``.

    Each sentence of ``before`` is paired with one of ``after``, in order, to make the pairs as
    similar as possible; a sentence of ``after`` left over is added text, unless it is part of a
    sentence split in two (joined to its paired neighbour, it makes that pair more similar).
    A changed word, a rewritten or a deleted sentence is an edit, never added text."""
    old, new = _sentences(before), _sentences(after)
    if not old or len(new) <= len(old):
        return []
    sim = [[_similarity(o, n) for n in new] for o in old]
    # best[i][j]: the best pairing of old[:i] with new[:j], every old sentence paired
    best = [[0.0] * (len(new) + 1)] + [[-1.0] * (len(new) + 1) for _ in old]
    for i in range(1, len(old) + 1):
        for j in range(i, len(new) + 1):
            paired = best[i - 1][j - 1] + sim[i - 1][j - 1]
            best[i][j] = max(paired, best[i][j - 1]) if j > i else paired
    pair: dict[int, int] = {}  # new index -> old index
    i, j = len(old), len(new)
    while i:
        if j > i and best[i][j] == best[i][j - 1]:
            j -= 1
            continue
        pair[j - 1] = i - 1
        i, j = i - 1, j - 1
    added = []
    for k, sentence in enumerate(new):
        if k in pair:
            continue
        left = max((p for p in pair if p < k), default=None)
        right = min((p for p in pair if p > k), default=None)
        splits = []  # (old sentence, the new ones joined with this one, without it)
        if left is not None:
            splits.append((old[pair[left]], new[left : k + 1], new[left:k]))
        if right is not None:
            splits.append((old[pair[right]], new[k : right + 1], new[k + 1 : right + 1]))
        if not any(_similarity(o, " ".join(joined)) > _similarity(o, " ".join(alone)) for o, joined, alone in splits):
            added.append(sentence)
    return added


def page_changes(
    doc: Document, translations: dict[str, str], extra: dict[str, str], page: str
) -> tuple[dict[int, str], list[str], str]:
    """Where the page differs from what publish would write: per segment index the page's text in
    its place, the changes outside any segment ("line N: ..."), and the text publish would write."""
    expected, spans = render_with_spans(doc, translations, extra)
    page = without_page_hash(page)
    exp_tokens, _, seg_tokens = _tokens(expected, spans)
    page_tokens, page_starts = _plain_tokens(page)
    page_starts.append(len(page))
    opcodes = difflib.SequenceMatcher(None, exp_tokens, page_tokens, autojunk=False).get_opcodes()
    owner: dict[int, list[tuple[str, int, int, int, int]]] = {}
    unplaced: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        index = _owner(seg_tokens, i1, i2, "".join(page_tokens[j1:j2]))
        if index is not None:
            owner.setdefault(index, []).append((tag, i1, i2, j1, j2))
            continue
        removed, added = "".join(exp_tokens[i1:i2]).strip(), "".join(page_tokens[j1:j2]).strip()
        if removed or added:  # white space between blocks is layout, not content
            what = f'"{removed[:60]}" -> "{added[:60]}"' if removed and added else f'"{(removed or added)[:60]}"'
            verb = "changed" if removed and added else "removed" if removed else "added"
            unplaced.append(f"line {line_of(page, page_starts[j1])}: {verb} outside the translated text: {what}")
    equal = [op for op in opcodes if op[0] == "equal"]
    changed: dict[int, str] = {}
    for index, own in owner.items():
        a, b = seg_tokens[index]
        starts = [j1 + (a - i1) for _, i1, i2, j1, _ in equal if i1 <= a <= i2] + [o[3] for o in own if o[1] == a]
        stops = [j1 + (b - i1) for _, i1, i2, j1, _ in equal if i1 <= b <= i2] + [o[4] for o in own if o[2] == b]
        # an edge inside a change that straddles the skeleton (reported above): take that change's edge
        start = min(starts or [o[3] for o in opcodes if o[1] <= a < o[2]])
        stop = max(stops or [o[4] for o in opcodes if o[1] < b <= o[2]])
        changed[index] = page[page_starts[start] : page_starts[stop]]
    return changed, unplaced, expected


@locked("absorb")
def absorb(
    project: Project,
    article: str | None = None,
    lang: str | None = None,
    *,
    reviewer: str,
    review: bool = False,
    force: bool = False,
) -> list[AbsorbResult]:
    """Take hand edits of published pages back into the PO files.

    Edited sentences become approved edits by ``reviewer`` (drafts for review with ``review``, or
    when a check finds something and not ``force``). When every change was taken, the page counts as
    written by translate again, so publish may update it.
    """
    results = []
    glossary = load_glossary(project.glossary_path, project.settings.source, project.settings.targets)
    for slug in project.articles(article):
        doc: Document | None = None
        for target in project.languages(lang):
            path = project.content_path(target, slug)
            if not path.is_file():
                continue
            page, newline, bom = read_text(path)
            if is_ours(page):
                continue
            doc = doc or load_source(project, slug)
            po_path = project.po_path(target, slug)
            catalog = load_catalog(po_path, article=slug, lang=target, source_lang=project.settings.source)
            units = catalog.by_source()
            missing = [s for s in doc.segments if s.source not in units]
            if missing:
                raise InputError(
                    f"{len(missing)} sentences of the article are not in {po_path} yet; run `translate extract` "
                    "first, then absorb.",
                    path=path,
                )
            result = AbsorbResult(slug, target, path)
            results.append(result)
            translations = {s.source: units[s.source].target or s.source for s in doc.segments}
            published_from = page_field(page, SOURCE_HASH_FIELD) or source_hash(doc.text)
            extra = {TRANSLATION_KEY: slug, SOURCE_HASH_FIELD: published_from}
            changed, result.unplaced, _ = page_changes(doc, translations, extra, page)
            taken: dict[str, str] = {}
            for index, page_text in sorted(changed.items()):
                segment = doc.segments[index]
                value = _value(segment, page_text)
                if value is None:
                    what = "removed" if not page_text.strip() else "split into paragraphs"
                    result.unplaced.append(
                        f"the translation of line {segment.line} ({segment.source[:30]}…) was {what}"
                    )
                elif taken.setdefault(segment.source, value) != value:
                    result.unplaced.append(f"line {segment.line} ({segment.source[:30]}…): two different edits")
            rel = path.relative_to(project.root).as_posix()
            for source, value in taken.items():
                unit = units[source]
                if value == unit.target:
                    continue
                result.edits.append(_take(unit, value, target, rel, reviewer, review, force, glossary))
            save_catalog(catalog, po_path)
            if not result.unplaced:
                translations = {s.source: units[s.source].target or s.source for s in doc.segments}
                left, outside, _ = page_changes(doc, translations, extra, page)
                if not outside and all(
                    _value(doc.segments[i], t) == translations[doc.segments[i].source] for i, t in left.items()
                ):
                    atomic_write(path, stamp(without_page_hash(page)), newline=newline, bom=bom)
                    result.released = True
    return results


def _take(
    unit: Unit, value: str, lang: str, page: str, reviewer: str, review: bool, force: bool, glossary: Glossary
) -> PageEdit:
    """Make a page's text the unit's translation, keeping the text it replaces in the history."""
    before, was_approved = unit.target, unit.state is State.APPROVED
    added = added_sentences(before, value) if before else []
    unit.target = value
    unit.origin = f"page:{reviewer}"
    unit.previous_source = None
    unit.findings = check_translation(unit.source, value, lang, glossary)
    unit.checked = text_hash(value)
    if added:  # never approved here, whatever --force says: a reviewer must see it
        texts = " ".join(f'"{text}"' for text in added)
        message = f"text added on the page, with no Korean source: {texts}; add it to the Korean article or remove it"
        unit.findings.insert(0, Finding("added-text", message, Severity.ERROR))
    replaced = f'; it replaced the approved "{before}"' if was_approved and before else ""
    if review or added or (unit.findings and not force):
        unit.state = State.DRAFT
        unit.history.append(
            history.line(f"edited on {page}", who=reviewer, text=unit.checked, rest=f", absorbed for review{replaced}")
        )
    else:
        over = dict.fromkeys(f.check for f in unit.findings)
        unit.state = State.APPROVED
        unit.history.append(history.approved(reviewer, unit.checked, over, action=f"edited on {page} and approved"))
    return PageEdit(unit.source, before, value, unit.state, added)
