"""Pages: the source articles as translate reads them, and the provenance of the pages it writes.

The one owner of both, for every stage that needs them (extract, publish, status, absorb, align,
the review page): reading and hashing a source article (the hash is kept in each PO file under
``X-Source-Hash``), and the front-matter keys publish adds to a page (``translationKey``,
``translationSourceHash``, ``translationHash``) with which a page is known to be as translate
last wrote it, or edited by hand since.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from translate.fileio import read_text
from translate.model import Document
from translate.project import Project

SOURCE_HASH_KEY = "X-Source-Hash"  # the PO header that holds the source article's hash
TRANSLATION_KEY = "translationKey"
SOURCE_HASH_FIELD = "translationSourceHash"
PAGE_HASH_FIELD = "translationHash"  # the page as publish wrote it, this line left out


def source_hash(text: str) -> str:
    """Hash of a source article's normalised text (NFC, LF line ends)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_source(project: Project, article: str, path: Path | None = None) -> Document:
    """Read and parse a source article (at ``path`` when the caller has it already)."""
    from translate.markdown import parse_document  # here: what only reads page provenance starts faster

    path = path or project.source_path(article)
    text, newline, bom = read_text(path, project.encoding)
    text = unicodedata.normalize("NFC", text)
    doc = parse_document(
        text, front_matter_keys=project.settings.front_matter_keys, path=path, shortcodes=shortcodes(project)
    )
    return Document(
        text=doc.text,
        segments=doc.segments,
        newline=newline,
        bom=bom,
        front_matter=doc.front_matter,
    )


def shortcodes(project: Project) -> dict[str, tuple[str, ...]]:
    """The shortcode parameters that hold text: Hugo's built-in ones and the project's settings."""
    from translate.markdown import DEFAULT_SHORTCODES

    return {**DEFAULT_SHORTCODES, **project.settings.shortcodes}


def page_field(text: str, key: str) -> str | None:
    """A string value of the page's front matter (translationHash, translationSourceHash...), if set."""
    from translate import frontmatter  # YAML: loaded by what reads pages, not by a run that reads none

    return frontmatter.added_value(text, key)


def without_page_hash(text: str) -> str:
    """The page with its translationHash front-matter line left out."""
    from translate import frontmatter

    return frontmatter.without_key(text, PAGE_HASH_FIELD)


def page_hash(text: str) -> str:
    """The hash of a page's content (LF line ends, no BOM), its own translationHash line left out."""
    return hashlib.sha256(without_page_hash(text).encode("utf-8")).hexdigest()[:16]


def stamp(text: str) -> str:
    """The page with its translationHash added as the last front-matter line (render always writes one)."""
    from translate import frontmatter

    return frontmatter.with_key(text, PAGE_HASH_FIELD, page_hash(text))


def is_ours(text: str) -> bool:
    """Whether a page is exactly as publish (or absorb) last wrote it."""
    return page_field(text, PAGE_HASH_FIELD) == page_hash(text)


def hand_edited(path: Path, new_text: str) -> bool:
    """Whether publishing new_text to path would overwrite a change made by hand: the page exists,
    is not as publish last wrote it, and is not already what publish would write."""
    if not path.is_file():
        return False
    current = read_text(path)[0]
    return not is_ours(current) and page_hash(current) != page_hash(new_text)
