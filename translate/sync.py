"""sync: the whole loop for everything stale: extract, draft what changed, publish what is approved."""

from __future__ import annotations

from dataclasses import dataclass, field

from translate.draft import DraftReport, draft
from translate.extract import ExtractReport, extract
from translate.project import Project
from translate.publish import PublishReport, publish
from translate.status import ArticleStatus, status


@dataclass
class SyncReport:
    extracted: ExtractReport
    drafted: DraftReport | None
    published: PublishReport
    rows: list[ArticleStatus] = field(default_factory=list)  # status after the run

    @property
    def awaiting(self) -> list[ArticleStatus]:
        """Articles and languages that wait for a person (review, absorb, align) or for an engine."""
        return [r for r in self.rows if r.stale]


def sync(
    project: Project,
    article: str | None = None,
    lang: str | None = None,
    *,
    drafting: bool = True,
    engines: list[str] | None = None,
    url: str | None = None,
) -> SyncReport:
    """Extract every article (unchanged ones cost nothing), draft what is untranslated, publish what is
    fully approved (never over a page edited by hand), and report where everything stands. ``engines``
    is the chain to draft with, tried in order (default: the settings)."""
    extracted = extract(project, article, lang)
    drafted = draft(project, article, lang, engines=engines, url=url) if drafting else None
    published = publish(project, article, lang)
    return SyncReport(extracted, drafted, published, status(project, article, lang))
