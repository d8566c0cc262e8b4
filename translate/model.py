"""The data model shared by every stage: plain dataclasses, no I/O."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class State(StrEnum):
    """Where a segment is in the review flow."""

    UNTRANSLATED = "untranslated"
    DRAFT = "draft"
    APPROVED = "approved"
    REJECTED = "rejected"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """Something a reviewer must look at, found by a check on one segment."""

    check: str
    message: str
    severity: Severity = Severity.WARNING


def normalize_text(text: str) -> str:
    """NFC-normalise (macOS writes Hangul decomposed) and fold runs of white space to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def segment_id(source: str) -> str:
    """The stable id of a segment: derived from its source text only."""
    return hashlib.sha1(normalize_text(source).encode("utf-8")).hexdigest()[:10]


def text_hash(text: str) -> str:
    """A short hash of a translation's text (normalised): what findings and approvals were about."""
    return hashlib.sha1(normalize_text(text).encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range [start, end) in a document's text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable unit of a source document and where it sits in the document.

    ``source`` is what a translator sees (inline Markdown kept, soft line breaks as spaces);
    ``span`` is the range of the document text that a translation replaces.
    """

    source: str
    span: Span
    line: int
    kind: str

    @property
    def id(self) -> str:
        return segment_id(self.source)


@dataclass(slots=True)
class Unit:
    """One entry of a translation catalogue: a source segment and its translation state."""

    source: str
    target: str = ""
    state: State = State.UNTRANSLATED
    locations: list[tuple[str, int]] = field(default_factory=list)
    origin: str | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    previous_source: str | None = None
    obsolete: bool = False
    checked: str | None = None  # text_hash of the target the findings were computed for
    po_line: int | None = field(default=None, compare=False)  # where it was read from, for messages

    @property
    def id(self) -> str:
        return segment_id(self.source)

    @property
    def needs_editing(self) -> bool:
        """A draft carried over from a previous version of a changed source sentence: a person must
        look at the change (``review approve ID`` or an edit); bulk approval skips it."""
        return self.state is State.DRAFT and self.previous_source is not None

    @property
    def label(self) -> str:
        """The state as reviewers see it ("needs editing" for a carried-over draft)."""
        return "needs editing" if self.needs_editing else self.state.value


@dataclass(frozen=True)
class KeptEntry:
    """A PO entry translate does not make and cannot review: one with a context (``msgctxt``) or
    plural forms (``msgid_plural``), written by a person or another tool. It is carried through every
    command exactly as it was read, and never checked, approved, drafted or published."""

    text: str  # the entry's lines as they stand in the PO file
    source: str  # its msgid
    context: str | None = None
    plural: str | None = None
    obsolete: bool = False
    po_line: int | None = field(default=None, compare=False)

    @property
    def why(self) -> str:
        """What makes translate leave the entry alone, for messages."""
        return f"msgctxt {self.context!r}" if self.context is not None else "plural forms"


@dataclass
class Catalog:
    """The translations of one article into one language (one PO file)."""

    article: str
    lang: str
    source_lang: str
    units: list[Unit] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    kept: list[KeptEntry] = field(default_factory=list)  # entries carried as they are (see KeptEntry)

    def active_units(self) -> list[Unit]:
        return [u for u in self.units if not u.obsolete]

    def by_source(self) -> dict[str, Unit]:
        return {u.source: u for u in self.units if not u.obsolete}


@dataclass(frozen=True)
class Document:
    """A parsed source article: its text and the segments found in it."""

    text: str
    segments: tuple[Segment, ...]
    newline: str = "\n"
    bom: bool = False
    front_matter: Span | None = None
