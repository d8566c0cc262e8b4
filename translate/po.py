"""Reading and writing catalogues as gettext PO files (the only module that knows polib).

How the model maps onto standard PO, so Poedit, Lokalize and Weblate read the files as usual:

* draft and rejected units are ``#, fuzzy``; approved units are translated and not fuzzy;
* ``#:`` locations, ``#|`` previous msgid, ``#~`` obsolete entries;
* ``#.`` extracted comments hold what the tool derives: glossary hints (``glossary: ...``),
  provenance (``origin: ...``), check findings (``[warning] check: message``) and the hash of the
  msgstr they were computed for (``checked: 1a2b3c4d``);
* ``#`` translator comments hold the review history (``approved by NAME on DATE`` ...); a fuzzy
  unit whose latest history line is a rejection is in the rejected state (see translate.history);
* an entry with a ``msgctxt`` or plural forms (``msgid_plural``, ``msgstr[n]``), which translate
  never writes, is kept as it was read (:class:`translate.model.KeptEntry`) and written back unchanged;
* a line ends at LF only, as in gettext: U+2028 and the other characters ``str.splitlines`` breaks
  at are kept inside strings, never taken as line ends.
"""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_right
from pathlib import Path

import polib

from translate import __version__
from translate.errors import InputError
from translate.fileio import WriteBatch, atomic_write, read_text
from translate.history import comment_lines, rejects
from translate.model import Catalog, Finding, KeptEntry, Severity, State, Unit

WRAP_WIDTH = 79
# Possessive repeats: a string's characters are matched without a backtracking record for each one
# (``(?:[^"\\]|\\.)*`` held 2.4 GB on one 20 MB msgstr line).
_PO_LINE_RE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]++|\\.)*+"$')
_PLURAL_FORMS_RE = re.compile(r"^\s*nplurals\s*=\s*[1-9]\d*\s*;\s*plural\s*=\s*[-+*/%<>=!&|?:()n0-9\s]+;?\s*$")
_FINDING_RE = re.compile(r"^\[(error|warning)\] ([a-z0-9-]+): (.*)$")
PLURAL_FORMS = {
    "ja": "nplurals=1; plural=0;",
    "ko": "nplurals=1; plural=0;",
    "zh": "nplurals=1; plural=0;",
    "vi": "nplurals=1; plural=0;",
    "th": "nplurals=1; plural=0;",
    "id": "nplurals=1; plural=0;",
    "fr": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


def po_language(lang: str) -> str:
    """gettext spells regions with an underscore (zh_CN)."""
    return lang.replace("-", "_")


def _unit_from_entry(entry: polib.POEntry) -> Unit:
    notes: list[str] = []
    findings: list[Finding] = []
    origin = None
    checked = None
    for line in (entry.comment or "").split("\n"):
        if line.startswith("origin: "):
            origin = line.removeprefix("origin: ")
        elif line.startswith("checked: "):
            checked = line.removeprefix("checked: ")
        elif m := _FINDING_RE.match(line):
            findings.append(Finding(m.group(2), m.group(3), Severity(m.group(1))))
        elif line.strip():
            notes.append(line)
    history = [line for line in (entry.tcomment or "").split("\n") if line.strip()]
    fuzzy = "fuzzy" in entry.flags
    if not entry.msgstr:
        state = State.UNTRANSLATED
    elif fuzzy:
        state = State.REJECTED if rejects(history) else State.DRAFT
    else:
        state = State.APPROVED
    locations = [(path, int(line)) for path, line in entry.occurrences if str(line).isdigit()]
    return Unit(
        source=entry.msgid,
        target=entry.msgstr,
        state=state,
        locations=locations,
        origin=origin,
        findings=findings,
        notes=notes,
        history=history,
        previous_source=entry.previous_msgid or None,
        obsolete=bool(entry.obsolete),
        checked=checked,
        po_line=getattr(entry, "linenum", None),
    )


def load_catalog(path: Path, *, article: str, lang: str, source_lang: str) -> Catalog:
    """Read a PO file; a missing file is an empty catalogue."""
    if not path.exists():
        return Catalog(article=article, lang=lang, source_lang=source_lang)
    text, _, _ = read_text(path)
    _check_syntax(text, path)
    try:
        pofile = polib.pofile(_Lines(text), wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as exc:
        line_match = re.search(r"line (\d+)", str(exc))
        line = int(line_match.group(1)) if line_match else None
        detail = re.sub(r"\s*\(line \d+\)", "", str(exc))
        raise InputError(
            f"cannot parse the PO file ({detail}). Fix it by hand, or restore it from version control.",
            path=path,
            line=line,
        ) from None
    plural_forms = pofile.metadata.get("Plural-Forms")
    if plural_forms is not None and not _PLURAL_FORMS_RE.match(plural_forms):
        line = next((n for n, text_line in enumerate(text.split("\n"), 1) if "Plural-Forms:" in text_line), None)
        raise InputError(
            f"the Plural-Forms header {plural_forms!r} is not valid (expected like "
            f"{DEFAULT_PLURAL_FORMS!r}); fix or delete that header line.",
            path=path,
            line=line,
        )
    seen: set[tuple[str | None, str, bool]] = set()
    units = []
    others: list[polib.POEntry] = []
    for entry in pofile:
        if "fuzzy" in entry.flags and not entry.msgid:
            continue
        key = (entry.msgctxt, entry.msgid, bool(entry.obsolete))
        if key in seen:
            raise InputError(
                f"the PO file has the entry {entry.msgid[:40]!r} twice; delete one of them.",
                path=path,
                line=getattr(entry, "linenum", None),
            )
        seen.add(key)
        if entry.msgctxt is not None or entry.msgid_plural:
            others.append(entry)
        else:
            units.append(_unit_from_entry(entry))
    for entry in pofile.obsolete_entries():
        if (entry.msgctxt, entry.msgid, True) not in seen:
            units.append(_unit_from_entry(entry))
    return Catalog(
        article=article,
        lang=lang,
        source_lang=source_lang,
        units=units,
        metadata=dict(pofile.metadata),
        kept=_kept(others, pofile, text) if others else [],
    )


def _kept(entries: list[polib.POEntry], pofile: polib.POFile, text: str) -> list[KeptEntry]:
    """The entries translate does not manage, each as the lines it has in the file: from its first
    line (polib's ``linenum``) to the first line of the next entry, blank lines at the end left out."""
    starts = sorted(entry.linenum for entry in pofile if entry.linenum)
    lines = text.split("\n")
    kept = []
    for entry in entries:
        start = entry.linenum
        if start:
            at = bisect_right(starts, start)
            block = lines[start - 1 : starts[at] - 1 if at < len(starts) else len(lines)]
            while block and not block[-1].strip():
                block.pop()
            raw = "\n".join(block)
        else:  # not read from a file: as polib writes it
            raw = entry.__unicode__(WRAP_WIDTH).rstrip("\n")
        plural = entry.msgid_plural or None
        kept.append(KeptEntry(raw, entry.msgid, entry.msgctxt, plural, bool(entry.obsolete), start))
    return kept


class _Lines(str):
    """PO text whose lines end at LF only, as in gettext: polib splits its input with str.splitlines,
    which also ends lines at U+2028, U+2029, U+0085, \\x1c-\\x1e (kept as they are inside strings)."""

    __slots__ = ()

    def splitlines(self, keepends: bool = False) -> list[str]:
        lines = self.split("\n")
        if keepends:
            lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
        elif lines and not lines[-1]:
            lines.pop()
        return lines


def _check_syntax(text: str, path: Path) -> None:
    """Catch what polib silently accepts, such as an unterminated string (which loses the text)."""
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if line.startswith("#~") and not line.startswith("#~|"):
            line = line[2:].strip()
        if line and not line.startswith("#") and not _PO_LINE_RE.match(line):
            raise InputError(
                "this line is not valid PO syntax (a keyword with a quoted string, or a quoted "
                "continuation line). Fix it by hand, or restore the file from version control.",
                path=path,
                line=number,
            )


def render_catalog(catalog: Catalog) -> str:
    """The PO text of a catalogue: headers, active units in order (then the kept entries), obsolete
    units last (then the obsolete kept entries).

    Byte for byte what polib writes for the same entries (with comments one record per line,
    never wrapped), rendered here directly because polib's writer was a fifth of an extract."""
    pofile = polib.POFile(wrapwidth=WRAP_WIDTH)
    language = catalog.lang.split("-")[0]
    metadata = {
        "Project-Id-Version": catalog.article,
        "Language": po_language(catalog.lang),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(language, DEFAULT_PLURAL_FORMS),
        "X-Generator": f"translate {__version__}",
        "X-Source-Language": catalog.source_lang,
    }
    for key, value in catalog.metadata.items():
        metadata.setdefault(key, value)
    pofile.metadata = metadata
    parts = [str(pofile)]
    for obsolete in (False, True):
        parts.extend(_render_unit(unit) for unit in catalog.units if bool(unit.obsolete) is obsolete)
        parts.extend(entry.text + "\n" for entry in catalog.kept if entry.obsolete is obsolete)
    return "\n".join(parts) + "\n"


_SPECIAL_RE = re.compile('[\\\\\t\r\n\v\b\f"]')
_ESCAPES = str.maketrans(
    {"\\": r"\\", "\t": r"\t", "\r": r"\r", "\n": r"\n", "\v": r"\v", "\b": r"\b", "\f": r"\f", '"': r"\""}
)


def _render_unit(unit: Unit) -> str:
    """One PO entry, ending with a newline."""
    # Every comment line is made safe here (control characters, line separators, length): a name or
    # a glossary note must never end a line early for another reader of the file.
    history = comment_lines("\n".join(unit.history))
    lines = [f"# {line}" for line in history.split("\n")] if history else []
    comments = [*unit.notes]
    if unit.origin:
        comments.append(f"origin: {unit.origin}")
    comments.extend(f"[{f.severity.value}] {f.check}: {' '.join(f.message.split())}" for f in unit.findings)
    msgstr = unit.target if unit.state is not State.UNTRANSLATED else ""
    if unit.checked and msgstr:
        comments.append(f"checked: {unit.checked}")
    comment = comment_lines("\n".join(comments))
    if comment and not unit.obsolete:
        lines.extend(f"#. {line}" for line in comment.split("\n"))
    if unit.locations and not unit.obsolete:
        places = " ".join(f"{path}:{line}" for path, line in unit.locations)
        if len(places) + 3 > WRAP_WIDTH:
            # As xgettext (and polib) wrap them; hyphens are not break points in file names.
            wrapped = textwrap.wrap(
                places.replace("-", "*"), WRAP_WIDTH, initial_indent="#: ", subsequent_indent="#: ",
                break_long_words=False,
            )  # fmt: skip
            lines.extend(line.replace("*", "-") for line in wrapped)
        else:
            lines.append("#: " + places)
    if unit.state in (State.DRAFT, State.REJECTED) and msgstr:
        lines.append("#, fuzzy")
    if unit.previous_source:
        lines.extend(_field("msgid", "#~| " if unit.obsolete else "#| ", unit.previous_source, len("previous_msgid")))
    prefix = "#~ " if unit.obsolete else ""
    lines.extend(_field("msgid", prefix, unit.source, len("msgid")))
    lines.extend(_field("msgstr", prefix, msgstr, len("msgstr")))
    lines.append("")
    return "\n".join(lines)


def _field(keyword: str, prefix: str, text: str, name_length: int) -> list[str]:
    """A keyword and its quoted string, wrapped at WRAP_WIDTH as polib does."""
    lines = text.splitlines(True)
    if len(lines) > 1:
        lines = ["", *lines]
    else:
        escaped = text.translate(_ESCAPES) if _SPECIAL_RE.search(text) else text
        specials = len(escaped) - len(text)  # each escape adds one backslash
        if len(text) <= WRAP_WIDTH - name_length - 3 + specials:
            return [f'{prefix}{keyword} "{escaped}"']
        lines = ["", *(polib.unescape(item) for item in _wrap(escaped, WRAP_WIDTH - 2))]
    first, *rest = (line.translate(_ESCAPES) if _SPECIAL_RE.search(line) else line for line in lines)
    return [f'{prefix}{keyword} "{first}"', *(f'{prefix}"{line}"' for line in rest)]


_WRAPPER = textwrap.TextWrapper(drop_whitespace=False, break_long_words=False)
_WHITESPACE_RUN_RE = re.compile(r"([\t\n\v\f\r ]+)")


def _wrap(text: str, width: int) -> list[str]:
    """textwrap.wrap(text, width, drop_whitespace=False, break_long_words=False), as polib calls it."""
    if "-" in text:  # hyphenated words: textwrap's own chunking
        chunks = _WRAPPER._split_chunks(text)
    else:  # without hyphens textwrap's chunks are the runs of white space and of the rest
        chunks = [chunk for chunk in _WHITESPACE_RUN_RE.split(text) if chunk]
    lines = []
    i, count = 0, len(chunks)
    while i < count:
        line, size = [], 0
        while i < count and size + len(chunks[i]) <= width:
            line.append(chunks[i])
            size += len(chunks[i])
            i += 1
        if not line:  # a chunk longer than a line is kept whole, alone
            line.append(chunks[i])
            i += 1
        lines.append("".join(line))
    return lines


def save_catalog(catalog: Catalog, path: Path, batch: WriteBatch | None = None) -> bool:
    """Write the catalogue atomically (queued on ``batch`` when given); return False (and touch
    nothing) when the file is unchanged."""
    text = render_catalog(catalog)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass  # no file, or not one we wrote: write it
    if batch is not None:
        batch.write(path, text)
    else:
        atomic_write(path, text)
    return True
