"""publish: approved translations -> content/<lang>/<slug>.md, the source's structure intact."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from translate.approval import Checker, blocking, checks_of, file_time, refresh_unit
from translate.checks import CheckConfig, check_config, check_page_segments
from translate.errors import ARTICLE_ERRORS, PerArticle, TranslateError
from translate.fileio import WriteBatch, read_text, write_if_changed
from translate.model import Severity, Span, State
from translate.pages import (
    PAGE_HASH_FIELD,
    SOURCE_HASH_FIELD,
    TRANSLATION_KEY,
    hand_edited,
    load_source,
    page_field,
    source_hash,
    stamp,
)
from translate.parallel import map_chunks
from translate.po import read_units
from translate.project import Project
from translate.render import render_with_spans, shortcode_pipe_errors


def page_errors(
    text: str,
    spans: list[Span],
    lang: str,
    config: CheckConfig,
    *,
    source_text: str | None = None,
    path: object = None,
) -> list[str]:
    """The errors the page checks find on a page about to be published (``spans``: where its segments'
    translations are; ``source_text``: the Korean article), as "line N: check: message"."""
    line_starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]
    segments = [(bisect_right(line_starts, span.start), text[span.start : span.end]) for span in spans]
    return [
        f"{'line ' + str(r.line) + ': ' if r.line else ''}{r.finding.check}: {r.finding.message}"
        for r in check_page_segments(text, segments, lang, config, path=path, source_text=source_text)
        if r.finding.severity is Severity.ERROR
    ]


@dataclass
class EditedPage:
    """A page that publish refused to overwrite because it was edited by hand."""

    article: str
    lang: str
    path: Path
    tracked: bool  # it was written by publish (False: a page from before, never published by us)


@dataclass
class Blocked:
    article: str
    lang: str
    counts: Counter[str]
    sample_ids: list[str]
    errors: list[str] = field(default_factory=list)  # check findings on the page that block it
    findings: list[tuple[str, list[str]]] = field(default_factory=list)  # approved segments with errors: (id, checks)


@dataclass
class PublishReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    edited: list[EditedPage] = field(default_factory=list)


def publish(project: Project, article: str | None = None, lang: str | None = None) -> PublishReport:
    """Publish every article whose segments are all approved; report the others."""
    report = PublishReport()
    per_article = PerArticle()
    with project.lock("publish"):
        for part, error in map_chunks(_publish_chunk, project.articles(article), _publish_setup, project, lang):
            report.written.extend(part.written)
            report.unchanged.extend(part.unchanged)
            report.blocked.extend(part.blocked)
            report.edited.extend(part.edited)
            if error is None:
                per_article.done += 1
            else:
                per_article.errors.append(error)
    per_article.raise_errors()
    return report


_PublishState = tuple[Project, str | None, CheckConfig, Checker]


def _publish_setup(project: Project, lang: str | None) -> _PublishState:
    return project, lang, check_config(project.settings), Checker(project)


def _publish_chunk(state: _PublishState, slugs: list[str]) -> list[tuple[PublishReport, TranslateError | None]]:
    """Publish a few articles (pages written in the background): each one's report and error."""
    project, lang, config, checker = state
    results: list[tuple[PublishReport, TranslateError | None]] = []
    with WriteBatch() as batch:
        for slug in slugs:
            report = PublishReport()
            try:
                _publish_article(project, slug, lang, config, report, batch, checker)
            except ARTICLE_ERRORS as exc:
                results.append((report, exc))
            else:
                results.append((report, None))
    return results


def _publish_article(
    project: Project,
    slug: str,
    lang: str | None,
    config: CheckConfig,
    report: PublishReport,
    batch: WriteBatch,
    checker: Checker | None = None,
) -> None:
    """Publish one article in every (or one) target language, or say in the report why not: a segment
    not approved, or approved with an error finding on its text that no person overrode on that text."""
    doc = load_source(project, slug)
    checker = checker or Checker(project)
    sources = {s.source: s.source for s in doc.segments}
    for target in project.languages(lang):
        po_path = project.po_path(target, slug)
        # The units are read one at a time: of each, only what publishing needs is kept.
        _, units = read_units(po_path, article=slug, lang=target, source_lang=project.settings.source)
        when = file_time(po_path)
        translations: dict[str, str] = {}
        states: dict[str, tuple[State, str]] = {}  # the units not approved: state and id
        refusals: dict[str, tuple[str, list[str]]] = {}
        for unit in units:
            source = sources.get(unit.source)
            if unit.obsolete or source is None:
                continue
            refresh_unit(unit, target, checker, when)
            if unit.state is not State.APPROVED:
                states[source] = (unit.state, unit.id)
            elif found := blocking(unit):
                refusals[source] = (unit.id, checks_of(found))
            translations[source] = unit.target
        counts: Counter[str] = Counter()
        pending: list[str] = []
        refused: list[tuple[str, list[str]]] = []
        for source in sources:  # in the article's order
            if source not in translations or source in states:
                state, unit_id = states.get(source, (None, ""))
                counts[state.value if state else "not extracted"] += 1
                pending.append(unit_id)
            elif source in refusals:
                refused.append(refusals[source])
        if counts or refused:
            report.blocked.append(Blocked(slug, target, counts, [i for i in pending if i][:5], findings=refused))
            continue
        extra = {TRANSLATION_KEY: slug, SOURCE_HASH_FIELD: source_hash(doc.text)}
        text, spans = render_with_spans(doc, translations, extra)
        path = project.content_path(target, slug)
        errors = shortcode_pipe_errors(doc, translations)
        errors += page_errors(text, spans, target, config, source_text=doc.text, path=path)
        if errors:
            report.blocked.append(Blocked(slug, target, Counter(), [], errors))
            continue
        if hand_edited(path, text):
            tracked = page_field(read_text(path)[0], PAGE_HASH_FIELD) is not None
            report.edited.append(EditedPage(slug, target, path, tracked))
            continue
        changed = write_if_changed(path, stamp(text), newline=doc.newline, bom=doc.bom, batch=batch)
        (report.written if changed else report.unchanged).append(path)
