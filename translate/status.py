"""status: where every article stands in every target language."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from translate.cache import Stamp, StampCache, file_stamp
from translate.errors import ARTICLE_ERRORS, PerArticle, TranslateError
from translate.model import State
from translate.parallel import map_chunks
from translate.project import Project

if TYPE_CHECKING:
    from translate.approval import Checker

# Only articles whose files changed are read again: the modules that read them (Markdown, PO, pages)
# are imported then, so a status with everything cached starts fast.

UP_TO_DATE = "up to date"
SOURCE_CHANGED = "source changed"
TRANSLATION_CHANGED = "translation changed"
EDITED = "edited by hand"
NOT_PUBLISHED = "not published"
PAGE_STATES = (UP_TO_DATE, SOURCE_CHANGED, TRANSLATION_CHANGED, EDITED, NOT_PUBLISHED)


@dataclass
class ArticleStatus:
    article: str
    lang: str
    total: int
    counts: Counter[str]
    page: str  # one of PAGE_STATES
    next_step: str  # extract | absorb | align | draft | review | publish | -
    blocked: int = 0  # approved segments whose text has an error finding no person overrode: publish refuses them

    @property
    def stale(self) -> bool:
        """Something is left to do for this article and language."""
        return self.next_step != "-"

    def as_json(self) -> dict[str, object]:
        return {
            "article": self.article,
            "lang": self.lang,
            "total": self.total,
            **{state.value: self.counts.get(state.value, 0) for state in State},
            "blocked": self.blocked,
            "page": self.page,
            "next": self.next_step,
            "stale": self.stale,
        }


def page_status(page_text: str | None, expected: str | None, current_hash: str) -> str:
    """The state of a published page: its text, what publish would write now (None when the article
    is not fully approved) and the current source hash."""
    from translate.pages import SOURCE_HASH_FIELD, is_ours, page_field, page_hash

    if page_text is None:
        return NOT_PUBLISHED
    if expected is not None and page_hash(page_text) == page_hash(expected):
        return UP_TO_DATE
    if not is_ours(page_text):
        return EDITED
    if page_field(page_text, SOURCE_HASH_FIELD) != current_hash:
        return SOURCE_CHANGED
    return TRANSLATION_CHANGED


def status(project: Project, article: str | None = None, lang: str | None = None) -> list[ArticleStatus]:
    """Per article and language: segment counts by state, and whether the published page is current."""
    rows, per_article = status_rows(project, article, lang)
    per_article.raise_errors()
    return rows


def status_rows(
    project: Project, article: str | None = None, lang: str | None = None
) -> tuple[list[ArticleStatus], PerArticle]:
    """:func:`status` that does not raise for articles whose files are bad: the rows of the others,
    and those errors to report once the rows are shown."""
    rows: list[ArticleStatus] = []
    per_article = PerArticle()
    # The glossary too: a translation edited outside translate is checked again with it.
    cache = StampCache(project, "status", [project.settings, project.encoding, file_stamp(project.glossary_path)])
    targets = project.languages(lang)
    known: dict[str, list[ArticleStatus]] = {}
    stamps: dict[str, dict[str, list[Stamp]]] = {}
    slugs = project.articles(article)
    for slug in slugs:
        stamps[slug] = {target: _status_stamp(project, slug, target) for target in targets}
        cached = [cache.get(f"{target}:{slug}", stamps[slug][target]) for target in targets]
        if all(row is not None for row in cached):  # no file of this article changed since last time
            known[slug] = [ArticleStatus(slug, t, *_unpack(r)) for t, r in zip(targets, cached, strict=True)]
    todo = [slug for slug in slugs if slug not in known]
    for slug, (fresh, error) in zip(todo, map_chunks(_status_chunk, todo, _status_setup, project, lang), strict=True):
        if error is not None:
            per_article.errors.append(error)
            continue
        for row in fresh:
            cache.put(f"{row.lang}:{slug}", stamps[slug][row.lang], _pack(row))
        known[slug] = fresh
    for slug in slugs:
        if slug in known:
            per_article.done += 1
            rows.extend(known[slug])
    cache.save()
    return rows, per_article


def _status_stamp(project: Project, slug: str, target: str) -> list[Stamp]:
    paths = (project.source_file(slug), project.po_file(target, slug), project.content_file(target, slug))
    return [file_stamp(path) for path in paths]


def _pack(row: ArticleStatus) -> list[Any]:
    return [row.total, dict(row.counts), row.page, row.next_step, row.blocked]


def _unpack(cached: list[Any]) -> tuple[int, Counter[str], str, str, int]:
    total, counts, page, next_step, blocked = cached
    return total, Counter(counts), page, next_step, blocked


_StatusState = tuple[Project, str | None, "Checker"]


def _status_setup(project: Project, lang: str | None) -> _StatusState:
    from translate.approval import Checker

    return project, lang, Checker(project)


def _status_chunk(state: _StatusState, slugs: list[str]) -> list[tuple[list[ArticleStatus], TranslateError | None]]:
    project, lang, checker = state
    results: list[tuple[list[ArticleStatus], TranslateError | None]] = []
    for slug in slugs:
        try:
            results.append((_article_status(project, slug, lang, checker), None))
        except ARTICLE_ERRORS as exc:
            results.append(([], exc))
    return results


def _article_status(project: Project, slug: str, lang: str | None, checker: Checker) -> list[ArticleStatus]:
    from translate.approval import blocking, file_time, refresh_unit
    from translate.fileio import read_text
    from translate.pages import (
        PAGE_HASH_FIELD,
        SOURCE_HASH_FIELD,
        SOURCE_HASH_KEY,
        TRANSLATION_KEY,
        load_source,
        page_field,
        source_hash,
    )
    from translate.po import read_units
    from translate.render import render

    rows = []
    doc = load_source(project, slug)
    current_hash = source_hash(doc.text)
    sources = {s.source: s.source for s in doc.segments}
    for target in project.languages(lang):
        po_path = project.po_path(target, slug)
        # The units are read one at a time: only what the row needs of each is kept.
        catalog, units = read_units(po_path, article=slug, lang=target, source_lang=project.settings.source)
        when = file_time(po_path)
        counts: Counter[str] = Counter()
        blocked = 0
        translations: dict[str, str] | None = {}  # while every unit so far is approved
        for unit in units:
            source = sources.get(unit.source)
            if unit.obsolete or source is None:
                continue
            refresh_unit(unit, target, checker, when)
            counts[unit.state.value] += 1
            blocked += bool(blocking(unit))
            if translations is not None:
                translations = translations if unit.state is State.APPROVED else None
            if translations is not None:
                translations[source] = unit.target
        if missing := len(sources) - sum(counts.values()):  # not in the PO file: untranslated
            counts[State.UNTRANSLATED.value] += missing
        extracted = po_path.exists() and catalog.metadata.get(SOURCE_HASH_KEY) == current_hash
        page_path = project.content_path(target, slug)
        complete = counts[State.APPROVED.value] == len(sources) and not blocked
        expected = None
        if complete and translations is not None:
            expected = render(doc, translations, {TRANSLATION_KEY: slug, SOURCE_HASH_FIELD: current_hash})
        page_text = read_text(page_path)[0] if page_path.is_file() else None
        page = page_status(page_text, expected, current_hash)
        if not extracted:
            step = "extract"
        elif page == EDITED:
            tracked = page_text is not None and page_field(page_text, PAGE_HASH_FIELD) is not None
            step = "absorb" if tracked else "align"
        elif counts[State.UNTRANSLATED.value]:
            step = "draft"
        elif not complete:  # drafts to review, or approved translations publish refuses
            step = "review"
        elif page != UP_TO_DATE:
            step = "publish"
        else:
            step = "-"
        rows.append(ArticleStatus(slug, target, len(sources), counts, page, step, blocked))
    return rows
