"""status: where every article stands in every target language."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from translate.extract import SOURCE_HASH_KEY, load_source, source_hash
from translate.fileio import read_text
from translate.model import State
from translate.po import load_catalog
from translate.project import Project
from translate.publish import SOURCE_HASH_FIELD, TRANSLATION_KEY, render


@dataclass
class ArticleStatus:
    article: str
    lang: str
    total: int
    counts: Counter[str]
    page: str  # "up to date" | "outdated" | "not published"
    next_step: str

    def as_json(self) -> dict[str, object]:
        return {
            "article": self.article,
            "lang": self.lang,
            "total": self.total,
            **{state.value: self.counts.get(state.value, 0) for state in State},
            "page": self.page,
            "next": self.next_step,
        }


def status(project: Project, article: str | None = None, lang: str | None = None) -> list[ArticleStatus]:
    """Per article and language: segment counts by state, and whether the published page is current."""
    rows = []
    for slug in project.articles(article):
        doc = load_source(project, slug)
        current_hash = source_hash(doc.text)
        sources = list(dict.fromkeys(s.source for s in doc.segments))
        for target in project.languages(lang):
            po_path = project.po_path(target, slug)
            catalog = load_catalog(po_path, article=slug, lang=target, source_lang=project.settings.source)
            units = catalog.by_source()
            counts = Counter(units[s].state.value if s in units else State.UNTRANSLATED.value for s in sources)
            extracted = po_path.exists() and catalog.metadata.get(SOURCE_HASH_KEY) == current_hash
            page_path = project.content_path(target, slug)
            complete = counts[State.APPROVED.value] == len(sources)
            if not page_path.exists():
                page = "not published"
            elif complete:
                expected = render(
                    doc,
                    {s: units[s].target for s in sources},
                    {TRANSLATION_KEY: slug, SOURCE_HASH_FIELD: current_hash},
                )
                page = "up to date" if read_text(page_path)[0] == expected else "outdated"
            else:
                page = "outdated"
            if not extracted:
                step = "extract"
            elif counts[State.UNTRANSLATED.value]:
                step = "draft"
            elif not complete:
                step = "review"
            elif page != "up to date":
                step = "publish"
            else:
                step = "-"
            rows.append(ArticleStatus(slug, target, len(sources), counts, page, step))
    return rows
