"""extract: Korean articles -> one PO catalogue per article and target language."""

from __future__ import annotations

import bisect
import os
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from translate.cache import Stamp, StampCache, file_stamp
from translate.errors import ARTICLE_ERRORS, InputError, PerArticle, TranslateError
from translate.fileio import WriteBatch
from translate.model import Catalog, Document, Segment, Span, State, Unit, text_hash
from translate.pages import SOURCE_HASH_KEY, load_source, source_hash
from translate.parallel import map_chunks
from translate.project import Project

if TYPE_CHECKING:  # a run with nothing to do imports none of the parsing and checking modules
    from translate.glossary import Glossary


def glossary_notes(glossary: Glossary, source: str, lang: str) -> list[str]:
    """Reviewer hints for the glossary terms found in a source segment."""
    notes = []
    seen = set()
    for match in glossary.find(source):
        target = match.term.targets.get(lang)
        if target and match.term.source not in seen:
            seen.add(match.term.source)
            notes.append(f"glossary: {match.term.source} = {target}")
    return notes


FUZZY_THRESHOLD = 70.0  # rapidfuzz ratio (0-100) over the jamo of two sentences, spaces ignored
EXACT_PAIRS = 250_000  # up to this many (new, old) sentence pairs, every pair is scored
NEAR = 16  # beyond: each new sentence is scored against this many old ones on either side of its place


def _jamo(text: str) -> str:
    """A sentence as the fuzzy matcher compares it: jamo (NFD), no white space.

    Comparing jamo rather than syllables makes a changed particle (은 -> 는) a small change, and
    ignoring spaces makes Korean spacing variants (피부과전문의 / 피부과 전문의) equal.
    """
    return unicodedata.normalize("NFD", "".join(text.split()))


def fuzzy_matches(
    new: list[str],
    old: list[Unit],
    new_places: Sequence[float] | None = None,
    old_places: Sequence[float] | None = None,
) -> dict[str, Unit]:
    """For each new sentence, the most similar old translated unit, if similar enough.

    Best pairs are taken first and one-to-one; a sentence left over (a split sentence) may then
    share an old unit with another one. Up to ``EXACT_PAIRS`` pairs (any ordinary article), every
    pair is scored; beyond, a new sentence is scored against the ``NEAR`` old units on either side
    of its place (``new_places`` and ``old_places``: where each would stand in the old catalogue;
    default: their ranks, spread evenly), so the cost grows linearly with the article.
    """
    if not new or not old:
        return {}
    keys = [_jamo(u.source) for u in old]
    scored: list[tuple[float, bool, int, int]] = []  # (-score, not approved, new position, old index)
    if len(new) * len(old) <= EXACT_PAIRS:
        for position, sentence in enumerate(new):
            for _, score, index in process.extract(
                _jamo(sentence), keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=None
            ):
                scored.append((-score, old[index].state is not State.APPROVED, position, index))
    else:
        for position, indices in enumerate(_near(len(new), len(old), new_places, old_places)):
            key = _jamo(new[position])
            for index in indices:
                score = fuzz.ratio(key, keys[index], score_cutoff=FUZZY_THRESHOLD)
                if score:
                    scored.append((-score, old[index].state is not State.APPROVED, position, index))
    scored.sort()  # best score first, approved first, then in the order of the sentences
    result: dict[str, Unit] = {}
    used: set[int] = set()
    for _, _, position, index in scored:
        if new[position] not in result and index not in used:
            result[new[position]] = old[index]
            used.add(index)
    for _, _, position, index in scored:
        result.setdefault(new[position], old[index])
    return result


def _near(
    new: int, old: int, new_places: Sequence[float] | None, old_places: Sequence[float] | None
) -> Iterator[list[int]]:
    """For each new sentence, the indices of the ``NEAR`` old units on either side of its place."""
    if new_places is None or old_places is None:
        new_places = [i * old / new for i in range(new)]
        old_places = range(old)
    order = sorted(range(old), key=old_places.__getitem__)
    places = [old_places[i] for i in order]
    for place in new_places:
        at = bisect.bisect_left(places, place)
        yield order[max(0, at - NEAR) : at + NEAR + 1]


def _from_previous(source: str, previous: Unit, lang: str, glossary: Glossary) -> Unit:
    """A changed sentence: the old translation as a draft, with the old source for the reviewer."""
    from translate.checks import check_translation

    return Unit(
        source=source,
        target=previous.target,
        state=State.DRAFT,
        origin=previous.origin,
        findings=check_translation(source, previous.target, lang, glossary),
        previous_source=previous.source,
        checked=text_hash(previous.target),
    )


def _rank(unit: Unit) -> tuple[bool, bool]:
    return bool(unit.target or unit.history), not unit.obsolete


def merge_segments(catalog: Catalog, segments: tuple[Segment, ...], location: str, glossary: Glossary) -> Catalog:
    """The catalogue updated to the article's current segments (msgmerge semantics).

    Units whose source is unchanged keep their translation and review state. A changed sentence
    (similar to a sentence that left the article) gets the old translation as a draft, with the
    old source as its previous msgid (``#|``). Other new sentences are added untranslated.
    Sentences no longer in the article become obsolete (kept, so the memory keeps them) when
    they carry a translation, and are dropped when they do not.
    """
    old: dict[str, Unit] = {}
    for u in catalog.units:  # a git merge can leave an active and an obsolete entry with one msgid:
        kept = old.get(u.source)  # the active one wins, unless only the obsolete one holds a translation
        if kept is None or _rank(u) > _rank(kept):
            old[u.source] = u
    current = dict.fromkeys(s.source for s in segments)
    gone = [u for s, u in old.items() if s not in current and u.state is not State.UNTRANSLATED and u.target]
    new = [s for s in current if s not in old]
    places = _places(current, old, gone) if len(new) * len(gone) > EXACT_PAIRS else (None, None)
    similar = fuzzy_matches(new, gone, *places)
    units: dict[str, Unit] = {}
    for segment in segments:
        unit = units.get(segment.source)
        if unit is None:
            previous = old.pop(segment.source, None)  # the rest of old: what left the article
            if previous is not None:
                unit = previous
                unit.source = segment.source  # the same text: the PO file's copy of it can go
                if unit.state is State.APPROVED:
                    unit.previous_source = None  # reviewed: the change was seen
            elif segment.source in similar:
                unit = _from_previous(segment.source, similar[segment.source], catalog.lang, glossary)
            else:
                unit = Unit(source=segment.source)
            unit.obsolete = False
            unit.locations = []
            unit.notes = glossary_notes(glossary, segment.source, catalog.lang)
            units[segment.source] = unit
        unit.locations.append((location, segment.line))
    for source, unit in old.items():
        if source not in units and (unit.state is not State.UNTRANSLATED or unit.history):
            unit.obsolete = True
            unit.locations = []
            units[source] = unit
    return Catalog(
        article=catalog.article,
        lang=catalog.lang,
        source_lang=catalog.source_lang,
        units=list(units.values()),
        metadata=dict(catalog.metadata),
        kept=catalog.kept,
    )


def _places(current: dict[str, None], old: dict[str, Unit], gone: list[Unit]) -> tuple[list[int], list[int]]:
    """Where each new sentence of the article would stand in the old catalogue (right after the
    last unchanged sentence before it), and where each unit that left it stood."""
    place = {source: i for i, source in enumerate(old)}
    new_places: list[int] = []
    anchor, since = -1, 0
    for source in current:
        if source in place:
            anchor, since = place[source], 0
        else:
            since += 1
            new_places.append(anchor + since)
    return new_places, [place[u.source] for u in gone]


def orphan_catalogs(project: Project, lang: str, articles: set[str] | None = None) -> list[str]:
    """Slugs of the PO files of a language whose source article no longer exists (``articles``:
    the slugs of the source articles, when the caller has listed them already)."""
    folder = project.po_path(lang, "x").parent
    if not folder.is_dir():
        return []
    top = str(folder)
    slugs: list[str] = []
    for dirpath, _, filenames in os.walk(top):
        relative = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        slugs.extend(prefix + name[:-3] for name in filenames if name.endswith(".po"))
    if articles is None:
        return sorted(s for s in slugs if not project.source_path(s).is_file())
    return sorted(s for s in slugs if s not in articles)


def find_renamed(project: Project, lang: str, doc: Document, orphans: list[str]) -> str | None:
    """The orphan catalogue that most likely belonged to this article before it was renamed or moved:
    the same source hash, else more than half of its translated sentences (or of the article's) shared."""
    from translate.po import load_catalog

    current = {s.source for s in doc.segments}
    best, best_share = None, 0.5
    for slug in orphans:
        catalog = load_catalog(
            project.po_path(lang, slug), article=slug, lang=lang, source_lang=project.settings.source
        )
        if catalog.metadata.get(SOURCE_HASH_KEY) == source_hash(doc.text):
            return slug
        sources = {u.source for u in catalog.units if u.target}
        share = len(sources & current) / max(min(len(sources), len(current)), 1)
        if share > best_share:
            best, best_share = slug, share
    return best


@dataclass(frozen=True)
class Untranslatable:
    """Korean that readers will see on the published page and that no segment translates."""

    path: str  # the article, relative to the content root
    line: int
    text: str
    where: str  # "front matter author", "the HTML title attribute", "text"...
    hint: str  # what to do about it


_HINTS = {  # by translate.visible's kinds of place
    "text": "translate cannot place a translation here (a block it cannot map back onto the file): write "
    "it as plain Markdown text to have it translated",
    "attribute": "only the alt, title, aria-*, placeholder, label, summary, data-caption and data-title "
    "attributes are translated (value: of a button): write the text in one of them or in Markdown",
    "title": "this title cannot be placed (it runs across quoted lines): write it on one line",
    "shortcode": "positional shortcode parameters are copied untranslated: move the text into the "
    "shortcode's inner content or a named parameter",
}


def untranslatable(doc: Document, location: str, path: object = None) -> list[Untranslatable]:
    """The Korean of an article that readers would see and no segment translates (outside URLs,
    code and comments), phrase by phrase, with what to do about each."""
    from translate import visible

    found: list[Untranslatable] = []
    runs = visible.visible_hangul(doc.text, path=path, skip=_disjoint_spans(doc.segments))
    for run in visible.phrases(doc.text, runs):
        where = visible.describe(run)
        name, _, parameter = run.detail.partition(" ")
        if run.where == visible.SHORTCODE and parameter and not parameter.isdigit():
            hint = f'add "{parameter}" to {name} = [...] in [tool.translate.shortcodes] to have it translated'
        elif run.where == visible.FRONT_MATTER:
            parts = ["*" if part.isdigit() else part for part in run.detail.split(".")]
            key = ".".join(parts[:-1] if parts[-1] == "*" else parts)
            hint = f'add "{key}" to front_matter_keys in [tool.translate] to have it translated'
        else:
            hint = _HINTS[run.where]
        last = found[-1] if found else None
        if last is not None and (last.line, last.where, last.hint) == (run.line, where, hint):  # tags: [리프팅, 보습]
            found[-1] = Untranslatable(location, run.line, f"{last.text}, {run.text}", where, hint)
        else:
            found.append(Untranslatable(location, run.line, run.text, where, hint))
    return found


def _disjoint_spans(segments: Sequence[Segment]) -> list[Span]:
    """The segments' spans, sorted and disjoint: a value inside a sentence's markup (a link title, an
    attribute) cut out of its sentence's span, the sentence's text on either side kept."""
    spans: list[Span] = []
    for segment in segments:
        span = segment.span
        if spans and spans[-1].start <= span.start and span.end <= spans[-1].end:
            outer = spans.pop()
            pieces = (Span(outer.start, span.start), span, Span(span.end, outer.end))
            spans.extend(piece for piece in pieces if piece.end > piece.start)
        else:
            spans.append(span)
    return spans


@dataclass
class ExtractReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (lang, old slug, new slug)
    segments: int = 0
    untranslatable: list[Untranslatable] = field(default_factory=list)  # Korean no segment translates


@dataclass
class _Extracted:
    """What extracting one article did (merged into the run's report by the parent process)."""

    slug: str
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    segments: int = 0
    untranslatable: list[Untranslatable] = field(default_factory=list)
    stamp: list[Stamp] = field(default_factory=list)
    error: TranslateError | None = None


def extract(project: Project, article: str | None = None, lang: str | None = None) -> ExtractReport:
    """Extract every (or one) source article into its PO catalogues; unchanged files are not touched.

    A new article whose sentences match the PO file of an article that no longer exists (renamed
    or moved) takes that PO file over, and its published page moves with it. An article whose
    files are bad is reported at the end; the others are extracted all the same. Articles unchanged
    since the last run are skipped without being read; many changed ones are extracted in parallel.
    """
    report = ExtractReport()
    langs = project.languages(lang)
    per_article = PerArticle()
    cache = StampCache(project, "extract", [project.settings, project.encoding, file_stamp(project.glossary_path)])
    with project.lock("extract"):
        todo = []
        slugs = project.articles(article)
        for slug in slugs:
            known = cache.get(slug, _extract_stamp(project, slug, langs))
            if isinstance(known, list) and len(known) == 2:  # nothing changed since this article was last extracted
                report.segments += known[0]
                report.untranslatable.extend(Untranslatable(*item) for item in known[1])
                report.unchanged.extend(Path(project.po_file(target, slug)) for target in langs)
            else:
                todo.append(slug)
        every_article = set(slugs) if article is None else None
        orphans = {target: orphan_catalogs(project, target, every_article) for target in langs}
        # Only an article without a PO file may be a renamed one; those are matched one by one.
        maybe_renamed = [s for s in todo if any(orphans[t] and not project.po_path(t, s).exists() for t in langs)]
        one_by_one = set(maybe_renamed)
        independent = [s for s in todo if s not in one_by_one]
        results = []
        if maybe_renamed:
            glossary = _extract_setup(project, langs)[2]
            results = [_extract_article(project, slug, langs, glossary, orphans) for slug in maybe_renamed]
        results.extend(map_chunks(_extract_chunk, independent, _extract_setup, project, langs))
        for result in results:
            if result.error is not None:
                per_article.errors.append(result.error)
                continue
            per_article.done += 1
            report.written.extend(result.written)
            report.unchanged.extend(result.unchanged)
            report.renamed.extend(result.renamed)
            report.segments += result.segments
            report.untranslatable.extend(result.untranslatable)
            cache.put(result.slug, result.stamp, [result.segments, [astuple(u) for u in result.untranslatable]])
        cache.save()
    per_article.raise_errors()
    report.untranslatable.sort(key=lambda item: (item.path, item.line))
    return report


_ExtractState = tuple[Project, tuple[str, ...], "Glossary"]


def _extract_setup(project: Project, langs: tuple[str, ...]) -> _ExtractState:
    from translate.glossary import load_glossary

    return project, langs, load_glossary(project.glossary_path, project.settings.source, project.settings.targets)


def _extract_chunk(state: _ExtractState, slugs: list[str]) -> list[_Extracted]:
    """Extract articles that are not renamed ones, their PO files written in the background."""
    project, langs, glossary = state
    with WriteBatch() as batch:
        results = [_extract_article(project, slug, langs, glossary, {}, batch) for slug in slugs]
    for result in results:
        if result.error is None:
            result.stamp.extend(_po_stamps(project, result.slug, langs))
    return results


def _extract_article(
    project: Project,
    slug: str,
    langs: tuple[str, ...],
    glossary: Glossary,
    orphans: dict[str, list[str]],
    batch: WriteBatch | None = None,
) -> _Extracted:
    """Extract one article into its PO files; a bad file is returned as the result's error.

    The result's stamp is the source file's, taken before reading it, then (without a batch; with
    one, the caller adds them once the files are written) the PO files'."""
    from translate.po import load_catalog, save_catalog

    result = _Extracted(slug)
    try:
        source = project.source_path(slug)
        result.stamp.append(file_stamp(source))
        doc = load_source(project, slug, source)
        current_hash = source_hash(doc.text)
        location = source.relative_to(project.root).as_posix()
        result.segments = len({s.source for s in doc.segments})
        result.untranslatable = untranslatable(doc, location, source)
        for target in langs:
            path = project.po_path(target, slug)
            renamed_from = None
            if not path.exists() and orphans.get(target):
                renamed_from = find_renamed(project, target, doc, orphans[target])
            old_path = project.po_path(target, renamed_from) if renamed_from else path
            catalog = load_catalog(old_path, article=slug, lang=target, source_lang=project.settings.source)
            _refuse_edited_msgids(catalog, doc, current_hash, path)
            merged = merge_segments(catalog, doc.segments, location, glossary)
            merged.metadata[SOURCE_HASH_KEY] = current_hash
            if renamed_from:
                merged.metadata["Project-Id-Version"] = slug
            (result.written if save_catalog(merged, path, batch) else result.unchanged).append(path)
            if renamed_from:
                _move_page(project, target, renamed_from, slug)
                old_path.unlink()
                orphans[target].remove(renamed_from)
                result.renamed.append((target, renamed_from, slug))
        if batch is None:
            result.stamp.extend(_po_stamps(project, slug, langs))
    except ARTICLE_ERRORS as exc:
        result.error = exc
    return result


def _extract_stamp(project: Project, slug: str, langs: tuple[str, ...]) -> list[Stamp]:
    return [file_stamp(project.source_file(slug)), *_po_stamps(project, slug, langs)]


def _po_stamps(project: Project, slug: str, langs: tuple[str, ...]) -> list[Stamp]:
    return [file_stamp(project.po_file(target, slug)) for target in langs]


def _refuse_edited_msgids(catalog: Catalog, doc: Document, current_hash: str, path: Path) -> None:
    """A msgid that is not in the unchanged source was edited by hand in the PO file: say so."""
    if catalog.metadata.get(SOURCE_HASH_KEY) != current_hash:
        return
    sources = {s.source for s in doc.segments}
    for unit in catalog.active_units():
        if unit.source not in sources:
            raise InputError(
                f"the msgid {unit.source[:40]!r} is not a sentence of the article, which has not changed since "
                "the last extract: it was edited in the PO file. msgids are the Korean source: restore it (from git) "
                "and correct the Korean article instead.",
                path=path,
                line=unit.po_line,
            )


def _move_page(project: Project, lang: str, old: str, new: str) -> None:
    """Move a published page along with its renamed article (never over an existing page)."""
    source, dest = project.content_path(lang, old), project.content_path(lang, new)
    if source.is_file() and not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, dest)
