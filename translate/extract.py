"""extract: Korean articles -> one PO catalogue per article and target language."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from translate.fileio import read_text
from translate.glossary import Glossary, load_glossary
from translate.markdown import parse_document
from translate.model import Catalog, Document, Segment, State, Unit
from translate.po import load_catalog, save_catalog
from translate.project import Project

SOURCE_HASH_KEY = "X-Source-Hash"


def source_hash(text: str) -> str:
    """Hash of a source article's normalised text (NFC, LF line ends)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_source(project: Project, article: str) -> Document:
    """Read and parse a source article."""
    path = project.source_path(article)
    text, newline, bom = read_text(path)
    text = unicodedata.normalize("NFC", text)
    doc = parse_document(text, front_matter_keys=project.settings.front_matter_keys, path=path)
    return Document(
        text=doc.text,
        segments=doc.segments,
        newline=newline,
        bom=bom,
        front_matter=doc.front_matter,
    )


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


def merge_segments(catalog: Catalog, segments: tuple[Segment, ...], location: str, glossary: Glossary) -> Catalog:
    """The catalogue updated to the article's current segments.

    Units whose source is unchanged keep their translation and review state; new sentences are
    added untranslated; sentences no longer in the article become obsolete (kept for the memory)
    when they carry a translation, and are dropped when they do not.
    """
    old = {u.source: u for u in catalog.units}
    units: dict[str, Unit] = {}
    for segment in segments:
        unit = units.get(segment.source)
        if unit is None:
            previous = old.get(segment.source)
            unit = Unit(source=segment.source) if previous is None else previous
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
    )


@dataclass
class ExtractReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    segments: int = 0


def extract(project: Project, article: str | None = None, lang: str | None = None) -> ExtractReport:
    """Extract every (or one) source article into its PO catalogues; unchanged files are not touched."""
    report = ExtractReport()
    glossary = load_glossary(project.glossary_path, project.settings.source)
    langs = project.languages(lang)
    for slug in project.articles(article):
        doc = load_source(project, slug)
        location = project.source_path(slug).relative_to(project.root).as_posix()
        report.segments += len({s.source for s in doc.segments})
        for target in langs:
            path = project.po_path(target, slug)
            catalog = load_catalog(path, article=slug, lang=target, source_lang=project.settings.source)
            merged = merge_segments(catalog, doc.segments, location, glossary)
            merged.metadata[SOURCE_HASH_KEY] = source_hash(doc.text)
            (report.written if save_catalog(merged, path) else report.unchanged).append(path)
    return report
