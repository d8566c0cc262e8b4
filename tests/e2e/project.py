"""A small project with drafts to review, shared by the web tests and the browser tests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_project
from translate.checks import check_config, check_translation
from translate.extract import extract
from translate.glossary import load_glossary
from translate.model import State
from translate.po import load_catalog, save_catalog
from translate.project import Project

SLUG = "emface"
ARTICLE = """\
---
title: "엠페이스 리프팅의 특징"
---

엠페이스는 표정근까지 고려한 리프팅입니다.

시술 시간은 약 30분입니다.

피부과 전문의가 직접 상담합니다.

부작용이 있을 수 있으니 상담 후 결정하세요.
"""
SCRIPT = '<script>document.title = "pwned"; window.pwned = true;</script>'
DRAFTS = {
    "엠페이스 리프팅의 특징": "Features of Emface lifting",
    "엠페이스는 표정근까지 고려한 리프팅입니다.": "Emface is a lifting that also considers the expression muscles.",
    "시술 시간은 약 30분입니다.": "The procedure takes about 20 minutes.",
    "피부과 전문의가 직접 상담합니다.": "A dermatologist consults you in person.",
    "부작용이 있을 수 있으니 상담 후 결정하세요.": f"Side effects may occur {SCRIPT}, so decide after a consultation.",
}


def make_review_project(root: Path) -> Project:
    """A project with one article extracted and every segment drafted (as machine translation would)."""
    make_project(root, articles={SLUG: ARTICLE})
    project = Project.open(root)
    extract(project)
    glossary = load_glossary(project.glossary_path)
    config = check_config(project.settings)
    path = project.po_path("en", SLUG)
    catalog = load_catalog(path, article=SLUG, lang="en", source_lang="ko")
    for unit in catalog.units:
        unit.target = DRAFTS[unit.source]
        unit.state = State.DRAFT
        unit.origin = "mt:test"
        unit.findings = check_translation(unit.source, unit.target, "en", glossary, config)
    save_catalog(catalog, path)
    return project


MEMORY_SLUG = "memory"
MEMORY = {
    "엠페이스는 표정근까지 고려한 시술입니다.": "Emface is a procedure that takes the expression muscles into account."
}


def add_memory(project: Project) -> None:
    """A second article whose approved translation is a fuzzy match for one of the drafts."""
    (project.source_dir / f"{MEMORY_SLUG}.md").write_text("".join(f"{s}\n" for s in MEMORY), encoding="utf-8")
    extract(project, MEMORY_SLUG)
    path = project.po_path("en", MEMORY_SLUG)
    catalog = load_catalog(path, article=MEMORY_SLUG, lang="en", source_lang="ko")
    for unit in catalog.units:
        unit.target, unit.state = MEMORY[unit.source], State.APPROVED
        unit.history.append("approved by Park on 2026-11-20T09:00:00Z")
    save_catalog(catalog, path)
