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
from collections.abc import Iterable, Iterator
from pathlib import Path

import polib

from translate import __version__
from translate.errors import InputError
from translate.fileio import WriteBatch, atomic_write, read_lines, write_pieces_if_changed
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


def _unit_from_entry(entry: _Entry, places: dict[str, str]) -> Unit:
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
    locations = [(places.setdefault(path, path), int(line)) for path, line in entry.occurrences if line.isdigit()]
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
        po_line=entry.linenum,
    )


def load_catalog(path: Path, *, article: str, lang: str, source_lang: str) -> Catalog:
    """Read a PO file; a missing file is an empty catalogue.

    The entries are read as polib reads them (:func:`_entries`), each made a unit as it is read."""
    catalog = Catalog(article=article, lang=lang, source_lang=source_lang)
    if path.exists():
        catalog.units = _all_units(_Source(path), catalog)
    return catalog


# Bytes: a PO file this large or larger is read by read_units one unit at a time.
STREAMED_BYTES = 4_000_000


def read_units(path: Path, *, article: str, lang: str, source_lang: str) -> tuple[Catalog, Iterator[Unit]]:
    """A PO file's units one at a time, in :func:`load_catalog`'s order, for a command that looks at
    each unit once: the units of a large file are never all in memory. The catalogue (without units)
    has the file's headers and the entries translate keeps once every unit was read. A file that
    cannot be read raises its error as the units are read (after some units, or at the end)."""
    catalog = Catalog(article=article, lang=lang, source_lang=source_lang)
    return catalog, _read_units(path, catalog)


def _read_units(path: Path, catalog: Catalog) -> Iterator[Unit]:
    if not path.exists():
        return
    source = _Source(path)
    if path.stat().st_size < STREAMED_BYTES:
        yield from _all_units(source, catalog)
    else:  # which entry is the header must be known before the first unit goes out
        yield from _units(source, catalog, _header_line(source))


class _Source:
    """A PO file's lines, read again from the file each time they are asked for (a large file's text
    is never whole in memory: see :func:`translate.fileio.read_lines`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lines: list[str] | None = None

    def lines(self) -> Iterable[str]:
        if self._lines is not None:
            return self._lines
        lines = read_lines(self.path)
        if isinstance(lines, list):  # a small file, read whole: kept for the next pass
            self._lines = lines
        return lines


def _all_units(source: _Source, catalog: Catalog) -> list[Unit]:
    try:
        return list(_units(source, catalog, _FIRST))
    except _Ambiguous:  # several entries could be the header: find which one polib takes
        return list(_units(source, catalog, _header_line(source)))


_FIRST = -1  # the first active entry without msgid is the header (unless there are several: _Ambiguous)


class _Ambiguous(Exception):
    """A second active entry without msgid: which one is the header is known only at the end."""


def _header_line(source: _Source) -> int | None:
    """The line (polib's ``linenum``) of the entry polib takes as the file's header and removes: the
    active entries without msgid are looked at (its ``find("")``, then ``remove``)."""
    try:
        candidates = [e for e in _entries(source.lines(), source.path) if not e.msgid and not e.obsolete]
    except _ParseError as exc:
        raise _input_error(exc, source.path) from None
    if not candidates:
        return None
    found = candidates[0]
    if len(candidates) > 1:  # the last one without a context, else the first
        found = next((entry for entry in reversed(candidates) if not entry.msgctxt), candidates[0])
    return next(entry for entry in candidates if _polib_equal(entry, found)).linenum


def _units(source: _Source, catalog: Catalog, header_line: int | None) -> Iterator[Unit]:
    """The units of PO text, as load_catalog lists them; ``catalog`` gets the headers (of the entry at
    ``header_line``, or of the first one without msgid with ``_FIRST``) and the kept entries."""
    path = source.path
    active: set[str] = set()  # the msgids seen, by kind: a msgid twice in one kind is an error
    obsolete: set[str] = set()
    with_context: set[tuple[str, str, bool]] = set()
    duplicate: _Entry | None = None
    header: _Entry | None = None
    others: list[_Entry] = []
    waiting: list[int] = []  # the kept entries (by line) whose end is the start of the next entry
    following: dict[int, int] = {}  # a kept entry's line -> the line where the next entry starts
    skipped: list[_Entry] = []  # obsolete fuzzy entries without a msgid: polib lists them again, last
    places: dict[str, str] = {}  # one string for each file named in locations
    try:
        for entry in _entries(source.lines(), path):
            if not entry.msgid and not entry.obsolete and header is None:
                if header_line == _FIRST or entry.linenum == header_line:
                    header = entry  # polib's metadata entry, not a unit; an entry before it ends after it
                    continue
            elif not entry.msgid and not entry.obsolete and header_line == _FIRST:
                raise _Ambiguous
            if entry.linenum:
                for number in waiting:
                    following[number] = entry.linenum
                waiting.clear()
            if not entry.msgid and "fuzzy" in entry.flags:
                if entry.obsolete:
                    skipped.append(entry)
                continue
            if entry.msgctxt is not None or entry.msgid_plural:
                waiting.append(entry.linenum)
                others.append(entry)
            else:
                yield _unit_from_entry(entry, places)
            if entry.msgctxt is None:
                seen = obsolete if entry.obsolete else active
                if entry.msgid in seen:
                    duplicate = duplicate or entry
                seen.add(entry.msgid)
            else:
                key = (entry.msgctxt, entry.msgid, bool(entry.obsolete))
                if key in with_context:
                    duplicate = duplicate or entry
                with_context.add(key)
    except _ParseError as exc:
        raise _input_error(exc, path) from None
    metadata = _metadata(header.msgstr) if header is not None else {}
    plural_forms = metadata.get("Plural-Forms")
    if plural_forms is not None and not _PLURAL_FORMS_RE.match(plural_forms):
        line = next((n for n, text_line in enumerate(source.lines(), 1) if "Plural-Forms:" in text_line), None)
        raise InputError(
            f"the Plural-Forms header {plural_forms!r} is not valid (expected like "
            f"{DEFAULT_PLURAL_FORMS!r}); fix or delete that header line.",
            path=path,
            line=line,
        )
    if duplicate is not None:
        raise InputError(
            f"the PO file has the entry {duplicate.msgid[:40]!r} twice; delete one of them.",
            path=path,
            line=duplicate.linenum,
        )
    for entry in skipped:
        key = (entry.msgctxt or "", entry.msgid, True)
        if entry.msgid not in obsolete if entry.msgctxt is None else key not in with_context:
            yield _unit_from_entry(entry, places)
    catalog.metadata = metadata
    catalog.kept = _kept(others, following, source)


def _input_error(exc: _ParseError, path: Path) -> InputError:
    return InputError(
        f"cannot parse the PO file ({exc}). Fix it by hand, or restore it from version control.",
        path=path,
        line=exc.line,
    )


def _polib_equal(one: _Entry, other: _Entry) -> bool:
    """polib's entry equality (its ``__cmp__``)."""
    return (
        one.obsolete == other.obsolete
        and sorted(one.occurrences) == sorted(other.occurrences)
        and (one.msgctxt or "0") == (other.msgctxt or "0")
        and (one.msgid_plural or "0") == (other.msgid_plural or "0")
        and list(one.msgstr_plural.values()) == list(other.msgstr_plural.values())
        and one.msgid == other.msgid
        and one.msgstr == other.msgstr
    )


def _metadata(msgstr: str) -> dict[str, str]:
    """The headers of a PO file's metadata entry, as polib reads them."""
    metadata: dict[str, str] = {}
    key = None
    for line in msgstr.splitlines():
        try:
            key, value = line.split(":", 1)
            metadata[key] = value.strip()
        except ValueError:
            if key is not None:
                metadata[key] += "\n" + line.strip()
    return metadata


def _kept(entries: list[_Entry], following: dict[int, int], source: _Source) -> list[KeptEntry]:
    """The entries translate does not manage, each as the lines it has in the file: from its first line
    to the first line of the next entry (``following``), blank lines at the end left out."""
    blocks: dict[int, list[str]] = {entry.linenum: [] for entry in entries if entry.linenum}
    if blocks:
        starts = sorted(blocks)
        at = 0  # the entry whose lines come next
        for number, line in enumerate(source.lines(), 1):
            while at < len(starts) and number >= following.get(starts[at], number + 1):
                at += 1
            if at == len(starts):
                break
            if number >= starts[at]:
                blocks[starts[at]].append(line)
    kept = []
    for entry in entries:
        if entry.linenum:
            block = blocks[entry.linenum]
            while block and not block[-1].strip():
                block.pop()
            raw = "\n".join(block)
        else:  # the first entry of the file (polib gives it no line): as polib writes it
            raw = entry.as_polib().__unicode__(WRAP_WIDTH).rstrip("\n")
        plural = entry.msgid_plural or None
        kept.append(KeptEntry(raw, entry.msgid, entry.msgctxt, plural, bool(entry.obsolete), entry.linenum))
    return kept


class _Entry:
    """One PO entry as polib's parser reads it (the fields polib's ``POEntry`` would hold), without
    polib's objects: :func:`_entries` makes one at a time, so a whole file's entries never exist at once."""

    __slots__ = (
        "comment", "flags", "linenum", "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "obsolete",
        "occurrences", "previous_msgctxt", "previous_msgid", "previous_msgid_plural", "tcomment",
    )  # fmt: skip

    def __init__(self, linenum: int) -> None:
        self.msgid = ""
        self.msgstr = ""
        self.msgid_plural = ""
        self.msgstr_plural: dict[int, str] = {}
        self.msgctxt: str | None = None
        self.comment = ""
        self.tcomment = ""
        self.occurrences: list[tuple[str, str]] = []
        self.flags: list[str] = []
        self.previous_msgid: str | None = None
        self.previous_msgid_plural: str | None = None
        self.previous_msgctxt: str | None = None
        self.obsolete = 0
        self.linenum = linenum  # the entry's first line (0 for the first entry of a file, as polib counts)

    def as_polib(self) -> polib.POEntry:
        """The same entry as polib's object (for polib's writer)."""
        entry = polib.POEntry(
            msgid=self.msgid, msgstr=self.msgstr, msgid_plural=self.msgid_plural, msgctxt=self.msgctxt,
            comment=self.comment, tcomment=self.tcomment, occurrences=self.occurrences, flags=self.flags,
            previous_msgid=self.previous_msgid, previous_msgid_plural=self.previous_msgid_plural,
            previous_msgctxt=self.previous_msgctxt, obsolete=self.obsolete, linenum=self.linenum,
        )  # fmt: skip
        entry.msgstr_plural = dict(self.msgstr_plural)
        return entry


class _ParseError(Exception):
    """What polib's parser raises, with its line."""

    def __init__(self, line: int, detail: str = "") -> None:
        super().__init__(f"Syntax error in po file{detail}")
        self.line = line


# polib's state machine: (symbol, state) -> next state; a pair not listed is a syntax error.
_ALL_STATES = ("st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx", "mi")
_TRANSITIONS: dict[tuple[str, str], str] = {}
for _symbol, _states, _next in (
    ("tc", ("st", "he"), "he"),
    ("tc", ("gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mp", "mx", "mi"), "tc"),
    ("gc", _ALL_STATES, "gc"),
    ("oc", _ALL_STATES, "oc"),
    ("fl", _ALL_STATES, "fl"),
    ("pc", _ALL_STATES, "pc"),
    ("pm", _ALL_STATES, "pm"),
    ("pp", _ALL_STATES, "pp"),
    ("ct", ("st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx"), "ct"),
    ("mi", ("st", "he", "gc", "oc", "fl", "ct", "tc", "pc", "pm", "pp", "ms", "mx"), "mi"),
    ("mp", ("tc", "gc", "pc", "pm", "pp", "mi"), "mp"),
    ("ms", ("mi", "mp", "tc"), "ms"),
    ("mx", ("mi", "mx", "mp", "tc"), "mx"),
    ("mc", ("ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc"), "mc"),
):
    for _state in _states:
        _TRANSITIONS[(_symbol, _state)] = _next
_KEYWORDS = {"msgctxt": "ct", "msgid": "mi", "msgstr": "ms", "msgid_plural": "mp"}
_PREVIOUS_KEYWORDS = {"msgid_plural": "pp", "msgid": "pm", "msgctxt": "pc"}
_UNESCAPED_QUOTE_RE = re.compile(r'([^\\]|^)"')


def _unescape(text: str) -> str:
    return polib.unescape(text) if "\\" in text else text


def _syntax_error(path: Path, number: int) -> InputError:
    return InputError(
        "this line is not valid PO syntax (a keyword with a quoted string, or a quoted "
        "continuation line). Fix it by hand, or restore the file from version control.",
        path=path,
        line=number,
    )


def _entries(lines: Iterable[str], path: Path) -> Iterator[_Entry]:
    """The entries of PO text, one at a time, exactly as polib's parser reads them (its state machine,
    ported), in file order; polib's metadata entry among them.

    Every line is also checked for what polib silently accepts (an unterminated string loses text):
    the first such line is the error, else the first error polib's parser would raise."""
    number = 0
    state = "st"
    entry = _Entry(0)
    tokens: list[str] = []
    failed: _ParseError | None = None
    plural_index = 0
    match_line = _PO_LINE_RE.match
    for raw in lines:
        number += 1
        line = raw.strip()
        if not line:
            continue
        # the syntax check (on every line, even after polib's parser would have stopped)
        checked = line
        if checked[0] == "#":
            if checked.startswith("#~") and not checked.startswith("#~|"):
                checked = checked[2:].strip()
                if checked and checked[0] != "#" and not match_line(checked):
                    raise _syntax_error(path, number)
        elif not match_line(checked):
            raise _syntax_error(path, number)
        if failed is not None:
            continue
        # polib's parser
        if number == 1 and raw.startswith("\ufeff"):
            line = raw[1:].strip()
            if not line:
                continue
        tokens = line.split(None, 2)
        first = tokens[0]
        if first == "#~|":
            continue
        count = len(tokens)
        if first == "#~" and count > 1:
            line = line[3:].strip()
            tokens = tokens[1:]
            first = tokens[0]
            count -= 1
            obsolete = 1
        else:
            obsolete = 0
        symbol = ""
        if first in _KEYWORDS and count > 1:
            line = line[len(first) :].lstrip()
            if '"' in line[1:-1] and _UNESCAPED_QUOTE_RE.search(line[1:-1]):
                failed = _ParseError(number, ": unescaped double quote found")
                continue
            symbol = _KEYWORDS[first]
        elif first == "#:":
            if count <= 1:
                continue
            symbol = "oc"
        elif line[:1] == '"':
            if '"' in line[1:-1] and _UNESCAPED_QUOTE_RE.search(line[1:-1]):
                failed = _ParseError(number, ": unescaped double quote found")
                continue
            symbol = "mc"
        elif line[:7] == "msgstr[":
            symbol = "mx"
        elif first == "#,":
            if count <= 1:
                continue
            symbol = "fl"
        elif first == "#" or first.startswith("##"):
            if line == "#":
                line += " "
            symbol = "tc"
        elif first == "#.":
            if count <= 1:
                continue
            symbol = "gc"
        elif first == "#|":
            if count <= 1:
                failed = _ParseError(number)
                continue
            line = line[2:].lstrip()
            if tokens[1].startswith('"'):
                symbol = "mc"
            elif count == 2:
                failed = _ParseError(number, ": invalid continuation line")
                continue
            elif tokens[1] not in _PREVIOUS_KEYWORDS:
                failed = _ParseError(number, f": unknown keyword {tokens[1]}")
                continue
            else:
                line = line[len(tokens[1]) :].lstrip()
                symbol = _PREVIOUS_KEYWORDS[tokens[1]]
        else:
            failed = _ParseError(number)
            continue
        following = _TRANSITIONS.get((symbol, state))
        if following is None:
            failed = _ParseError(number)
            continue
        try:
            if symbol == "mc":
                token = _unescape(line[1:-1])
                if state == "ct":
                    entry.msgctxt = (entry.msgctxt or "") + token
                elif state == "mi":
                    entry.msgid += token
                elif state == "mp":
                    entry.msgid_plural += token
                elif state == "ms":
                    entry.msgstr += token
                elif state == "mx":
                    entry.msgstr_plural[plural_index] += token
                elif state == "pp":
                    entry.previous_msgid_plural = (entry.previous_msgid_plural or "") + token
                elif state == "pm":
                    entry.previous_msgid = (entry.previous_msgid or "") + token
                elif state == "pc":
                    entry.previous_msgctxt = (entry.previous_msgctxt or "") + token
                continue  # a continuation keeps the state
            if state in ("ms", "mx") and symbol not in ("mp", "ms", "mx"):  # a new entry starts
                yield entry
                entry = _Entry(number)
            if following == "he":
                pass  # a comment before the first entry: the file's header, which translate does not keep
            elif symbol == "tc":
                comment = line.lstrip("#")
                if comment.startswith(" "):
                    comment = comment[1:]
                entry.tcomment = entry.tcomment + "\n" + comment if entry.tcomment != "" else comment
            elif symbol == "gc":
                entry.comment = entry.comment + "\n" + line[3:] if entry.comment != "" else line[3:]
            elif symbol == "oc":
                for occurrence in line[3:].split():
                    place, colon, at = occurrence.rpartition(":")
                    if not colon or not at.isdigit():
                        place, at = occurrence, ""
                    entry.occurrences.append((place, at))
            elif symbol == "fl":
                entry.flags += [flag.strip() for flag in line[3:].split(",")]
            elif symbol == "pp":
                entry.previous_msgid_plural = _unescape(line[1:-1])
            elif symbol == "pm":
                entry.previous_msgid = _unescape(line[1:-1])
            elif symbol == "pc":
                entry.previous_msgctxt = _unescape(line[1:-1])
            elif symbol == "ct":
                entry.msgctxt = _unescape(line[1:-1])
            elif symbol == "mi":
                entry.obsolete = obsolete
                entry.msgid = _unescape(line[1:-1])
            elif symbol == "mp":
                entry.msgid_plural = _unescape(line[1:-1])
            elif symbol == "ms":
                entry.msgstr = _unescape(line[1:-1])
            else:  # mx
                plural_index = int(line[7])
                entry.msgstr_plural[plural_index] = _unescape(line[line.find('"') + 1 : -1])
        except (ValueError, IndexError, KeyError):
            failed = _ParseError(number)
            continue
        state = following
    if failed is not None:
        raise failed
    if tokens and not tokens[0].startswith("#"):  # the last entry (a file ending in comments drops them)
        yield entry


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
    return "".join(render_pieces(catalog))


def render_pieces(catalog: Catalog) -> Iterator[str]:
    """:func:`render_catalog`'s text in pieces, made one entry at a time."""
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
    yield str(pofile)
    for obsolete in (False, True):
        for unit in catalog.units:
            if bool(unit.obsolete) is obsolete:
                yield "\n"
                yield _render_unit(unit)
        for entry in catalog.kept:
            if entry.obsolete is obsolete:
                yield "\n"
                yield entry.text + "\n"
    yield "\n"


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


# Entries: a catalogue with this many or more is compared with its file and written a piece at a
# time, its whole text never made (it is then written at once, not queued on a batch).
STREAMED_ENTRIES = 20_000


def save_catalog(catalog: Catalog, path: Path, batch: WriteBatch | None = None) -> bool:
    """Write the catalogue atomically (queued on ``batch`` when given); return False (and touch
    nothing) when the file is unchanged."""
    if len(catalog.units) + len(catalog.kept) >= STREAMED_ENTRIES:
        return write_pieces_if_changed(path, render_pieces(catalog))
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
