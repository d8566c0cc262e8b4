"""draft: fill untranslated segments from the translation memory, then by machine translation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.checks import check_markup, check_translation, check_untranslated
from translate.engines import Engine, create_engine
from translate.errors import EngineError
from translate.glossary import Glossary, apply_glossary, load_glossary
from translate.markdown import code_spans
from translate.model import Finding, Severity, State, Unit
from translate.po import load_catalog, save_catalog
from translate.project import Project

_TOKEN_RE = re.compile(r"⟦\s*(\d+)\s*⟧")
ORIGIN_TM = "tm"


def protect(source: str) -> tuple[str, list[str]]:
    """The text an MT engine may see: inline codes replaced by numbered tokens ⟦0⟧, ⟦1⟧..."""
    codes: list[str] = []
    parts: list[str] = []
    cursor = 0
    for span in code_spans(source):
        parts.append(source[cursor : span.start])
        parts.append(f"⟦{len(codes)}⟧")
        codes.append(source[span.start : span.end])
        cursor = span.end
    parts.append(source[cursor:])
    return "".join(parts), codes


def restore(translated: str, codes: list[str]) -> tuple[str, list[Finding]]:
    """Put the codes back in place of their tokens; a dropped or repeated token is a finding."""
    seen: list[int] = []

    def put_back(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(codes):
            return match.group(0)
        seen.append(index)
        return codes[index]

    text = _TOKEN_RE.sub(put_back, translated)
    findings = []
    dropped = [codes[i] for i in range(len(codes)) if i not in seen]
    repeated = sorted({codes[i] for i in seen if seen.count(i) > 1})
    if dropped:
        findings.append(Finding("markup", f"machine translation dropped: {' '.join(dropped)}", Severity.ERROR))
    if repeated:
        findings.append(Finding("markup", f"machine translation repeated: {' '.join(repeated)}", Severity.ERROR))
    return " ".join(text.split()), findings


def translation_memory(project: Project, lang: str) -> dict[str, str]:
    """Approved translations anywhere in the project: source sentence -> target."""
    memory: dict[str, str] = {}
    for slug in project.articles():
        catalog = load_catalog(
            project.po_path(lang, slug),
            article=slug,
            lang=lang,
            source_lang=project.settings.source,
        )
        for unit in catalog.units:
            if unit.state is State.APPROVED and unit.target:
                memory.setdefault(unit.source, unit.target)
    return memory


def machine_draft(unit: Unit, engine: Engine, lang: str, glossary: Glossary) -> None:
    """Translate one unit with engine; glossary applied, findings recorded, state draft."""
    protected, codes = protect(unit.source)
    raw = engine.translate(protected)
    target, findings = restore(raw, codes)
    target, glossary_findings = apply_glossary(unit.source, target, lang, glossary)
    unit.target = target
    unit.state = State.DRAFT
    unit.origin = f"mt:{engine.name}"
    unit.findings = [*findings, *check_untranslated(target, lang), *glossary_findings]
    if not findings:
        unit.findings.extend(check_markup(unit.source, target))


@dataclass
class DraftReport:
    from_memory: int = 0
    from_engine: int = 0
    left: int = 0
    files_written: int = 0
    engine_error: EngineError | None = None
    findings: int = 0


def draft(
    project: Project,
    article: str | None = None,
    lang: str | None = None,
    *,
    engine_name: str | None = None,
    url: str | None = None,
) -> DraftReport:
    """Draft every untranslated segment: memory first, then the machine-translation engine.

    Drafts are saved after each article, so an engine failure keeps what was already done; an
    unreachable engine stops machine translation for the rest of the run (reported, not raised).
    """
    report = DraftReport()
    settings = project.settings
    glossary = load_glossary(project.glossary_path, settings.source)
    name = engine_name or settings.engine
    for target in project.languages(lang):
        memory = translation_memory(project, target)
        engine: Engine | None = None
        for slug in project.articles(article):
            path = project.po_path(target, slug)
            catalog = load_catalog(path, article=slug, lang=target, source_lang=settings.source)
            pending = [u for u in catalog.active_units() if u.state is State.UNTRANSLATED]
            for unit in pending:
                if unit.source in memory:
                    _fill_from_memory(unit, memory[unit.source], target, glossary)
                    report.from_memory += 1
                    continue
                if report.engine_error is not None:
                    report.left += 1
                    continue
                try:
                    if engine is None:
                        engine = create_engine(
                            name,
                            settings.source,
                            target,
                            url=url or settings.engine_url,
                            timeout=settings.timeout,
                        )
                    machine_draft(unit, engine, target, glossary)
                    report.from_engine += 1
                except EngineError as exc:
                    report.engine_error = exc
                    report.left += 1
            report.findings += sum(len(u.findings) for u in pending if u.state is State.DRAFT)
            if save_catalog(catalog, path):
                report.files_written += 1
    return report


def _fill_from_memory(unit: Unit, target: str, lang: str, glossary: Glossary) -> None:
    unit.target = target
    unit.state = State.DRAFT
    unit.origin = ORIGIN_TM
    unit.findings = check_translation(unit.source, target, lang, glossary)
