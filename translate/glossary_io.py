"""The glossary in and out: CSV (the spreadsheets clinics keep) and TBX (ISO 30042, what CAT tools
and terminology systems exchange).

* ``export_glossary`` writes every term of glossary.yaml to CSV or TBX, losslessly: targets per
  language, forbidden variants, the note, ``keep``.
* ``import_glossary`` reads CSV (a detected header naming the columns, else Korean, English, note;
  comma, semicolon or tab; UTF-8 or the CP949 Korean Excel writes) or TBX (TBX 3 ``conceptEntry``
  and TBX 2 ``termEntry``), validates every row or entry with its line, and merges it into
  glossary.yaml: new terms are appended, changed ones rewritten in place; the rest of the file,
  comments included, stays as it is.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from translate import __version__
from translate.errors import GlossaryError, InputError
from translate.fileio import atomic_write
from translate.glossary import Term, load_glossary, parse_glossary, target_contains
from translate.project import Project, locked

FORMATS = ("csv", "tbx")
_LANG_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")
_SOURCE_NAMES = {"korean", "한국어", "한글", "국문", "원문", "source", "용어", "term", "source term"}
_LANG_NAMES = {
    "english": "en",
    "영어": "en",
    "영문": "en",
    "japanese": "ja",
    "일본어": "ja",
    "일문": "ja",
    "chinese": "zh-CN",
    "중국어": "zh-CN",
    "중문": "zh-CN",
}
_NOTE_NAMES = {"note", "notes", "비고", "메모", "설명", "참고", "comment", "comments", "description"}
_KEEP_NAMES = {"keep", "brand", "브랜드", "고유명사", "do not translate"}
_FORBIDDEN_NAMES = {"forbidden", "금지어", "금지", "avoid", "do not use"}
_YES = {"yes", "y", "true", "1", "o", "예", "네", "x", "v", "✓", "keep"}
_NO = {"", "no", "n", "false", "0", "아니오", "-"}
_SEPARATOR = ";"  # between forbidden variants in one CSV cell
_TBX_NS = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_LANG_EXPAT = "http://www.w3.org/XML/1998/namespace lang"
_PREFERRED = "preferredTerm-admn-sts"
_DEPRECATED = "deprecatedTerm-admn-sts"
_PROPER_NOUN = "properNoun"


@dataclass
class Entry:
    """A term read from a file, with the line it starts on."""

    source: str
    targets: dict[str, str] = field(default_factory=dict)
    forbidden: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str | None = None
    keep: bool | None = None  # None: the file does not say
    line: int = 0

    @classmethod
    def of(cls, term: Term) -> Entry:
        return cls(term.source, dict(term.targets), dict(term.forbidden), term.note, term.keep, term.line)


def _key(source: str) -> str:
    """Terms that differ only in spacing or letter case are one term (as glossary.yaml says)."""
    return "".join(unicodedata.normalize("NFC", source).casefold().split())


def _clean(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


# --- export ---------------------------------------------------------------------------------


def _languages(terms: Sequence[Term], preferred: Sequence[str]) -> list[str]:
    found = {lang for term in terms for lang in term.targets}
    return [lang for lang in preferred if lang in found] + sorted(found - set(preferred))


def render_csv(terms: Sequence[Term], source_lang: str, preferred: Sequence[str] = ()) -> str:
    """CSV with a header: the source, one column per language, note, keep, then forbidden:<lang>."""
    langs = _languages(terms, preferred)
    forbidden_langs = [lang for lang in langs if any(term.forbidden.get(lang) for term in terms)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([source_lang, *langs, "note", "keep", *(f"forbidden:{lang}" for lang in forbidden_langs)])
    for term in terms:
        for lang in forbidden_langs:
            clash = next((v for v in term.forbidden.get(lang, ()) if _SEPARATOR in v), None)
            if clash is not None:
                raise GlossaryError(
                    f'the forbidden variant "{clash}" of "{term.source}" holds "{_SEPARATOR}", which separates '
                    "variants in a CSV cell; export to TBX instead",
                    line=term.line,
                )
        writer.writerow(
            [
                term.source,
                *(term.targets.get(lang, "") for lang in langs),
                term.note or "",
                "yes" if term.keep else "",
                *(f"{_SEPARATOR} ".join(term.forbidden.get(lang, ())) for lang in forbidden_langs),
            ]
        )
    return out.getvalue()


def render_tbx(terms: Sequence[Term], source_lang: str) -> str:
    """TBX-Basic (TBX 3, DCA style): a conceptEntry per term; the approved target is the preferred
    term, forbidden variants are deprecated terms, the note a note, ``keep`` a proper noun."""
    root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", _XML_LANG: source_lang, "xmlns": _TBX_NS})
    header = ET.SubElement(ET.SubElement(ET.SubElement(root, "tbxHeader"), "fileDesc"), "sourceDesc")
    ET.SubElement(header, "p").text = f"glossary.yaml, exported by translate {__version__}"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for number, term in enumerate(terms, 1):
        concept = ET.SubElement(body, "conceptEntry", id=f"c{number}")
        if term.note:
            ET.SubElement(concept, "note").text = term.note
        source = ET.SubElement(ET.SubElement(concept, "langSec", {_XML_LANG: source_lang}), "termSec")
        ET.SubElement(source, "term").text = term.source
        if term.keep:
            ET.SubElement(source, "termNote", type="partOfSpeech").text = _PROPER_NOUN
        for lang, target in term.targets.items():
            section = ET.SubElement(concept, "langSec", {_XML_LANG: lang})
            for text, status in ((target, _PREFERRED), *((v, _DEPRECATED) for v in term.forbidden.get(lang, ()))):
                term_sec = ET.SubElement(section, "termSec")
                ET.SubElement(term_sec, "term").text = text
                ET.SubElement(term_sec, "termNote", type="administrativeStatus").text = status
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def export_glossary(project: Project, path: Path, fmt: str | None = None) -> int:
    """Write the project's glossary to ``path`` as CSV or TBX (from the extension unless ``fmt``);
    return the number of terms."""
    kind = _format(path, fmt)
    glossary = load_glossary(project.glossary_path, project.settings.source, project.settings.targets)
    terms = list(glossary.terms)
    source = project.settings.source
    try:
        text = render_csv(terms, source, project.settings.targets) if kind == "csv" else render_tbx(terms, source)
    except GlossaryError as exc:
        raise GlossaryError(str(exc), path=project.glossary_path, line=exc.line) from None
    atomic_write(path, text)
    return len(terms)


def _format(path: Path, fmt: str | None) -> str:
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if kind not in FORMATS:
        raise InputError(f"cannot tell the format from the file name: give --format {' or '.join(FORMATS)}.", path=path)
    return kind


# --- import: CSV ----------------------------------------------------------------------------


@dataclass
class _Columns:
    source: int
    targets: dict[int, str] = field(default_factory=dict)
    forbidden: dict[int, str] = field(default_factory=dict)
    note: int | None = None
    keep: int | None = None


def _header(row: list[str], source_lang: str, first_target: str) -> _Columns | None:
    """The columns a header row names, or None when the row is not a header."""
    names = [_clean(cell).casefold().lstrip("\ufeff") for cell in row]
    source = next((i for i, n in enumerate(names) if n == source_lang.casefold() or n in _SOURCE_NAMES), None)
    if source is None:
        return None
    columns = _Columns(source)
    for index, name in enumerate(names):
        if index == source or not name:
            continue
        forbidden = re.fullmatch(
            r"(?:forbidden|금지어|금지)\s*[:(\[ ]\s*([a-z]{2,3}(?:-[a-z0-9]{2,8})?)\s*[)\]]?", name
        )
        if forbidden:
            columns.forbidden[index] = _lang_code(forbidden.group(1), row[index])
        elif name in _FORBIDDEN_NAMES:
            columns.forbidden[index] = first_target
        elif name in _NOTE_NAMES:
            columns.note = index
        elif name in _KEEP_NAMES:
            columns.keep = index
        elif name in _LANG_NAMES:
            columns.targets[index] = _LANG_NAMES[name]
        elif _LANG_RE.fullmatch(name):
            columns.targets[index] = _lang_code(name, row[index])
    return columns if columns.targets else None


def _lang_code(name: str, cell: str) -> str:
    """The code as the header wrote it when it is one (zh-CN), else as lower-case."""
    written = cell.strip()
    return written if _LANG_RE.fullmatch(written) else name


def _decode(data: bytes, path: Path) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp949"), "read as CP949 (Korean Excel's encoding): it is not UTF-8"
        except UnicodeDecodeError:
            line = data.count(b"\n", 0, utf8_error.start) + 1
            raise InputError(
                "neither UTF-8 nor CP949 text; save the file as CSV UTF-8.", path=path, line=line
            ) from None


def read_csv(path: Path, source_lang: str, targets: Sequence[str]) -> tuple[list[Entry], list[str]]:
    """The entries of a CSV glossary, and notes on how it was read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror}).", path=path) from None
    text, note = _decode(data, path)
    notes = [note] if note else []
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=lambda char: (first.count(char), char == ","))  # the header's separator
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    entries: list[Entry] = []
    columns: _Columns | None = None
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _header(row, source_lang, targets[0])
                if columns is not None:
                    continue
                columns = _Columns(0, {1: targets[0]}, note=2)
                notes.append(f"no header row: the columns are read as {source_lang}, {targets[0]}, note")
            entries.append(_row_entry(row, columns, line, path))
    except csv.Error as exc:
        raise InputError(f"not valid CSV ({exc}).", path=path, line=reader.line_num) from None
    return entries, notes


def _row_entry(row: list[str], columns: _Columns, line: int, path: Path) -> Entry:
    def cell(index: int | None) -> str:
        return _clean(row[index]) if index is not None and index < len(row) else ""

    entry = Entry(cell(columns.source), line=line)
    for index, lang in columns.targets.items():
        if value := cell(index):
            entry.targets[lang] = value
    for index, lang in columns.forbidden.items():
        variants = tuple(v for v in (_clean(part) for part in cell(index).split(_SEPARATOR)) if v)
        if variants:
            entry.forbidden[lang] = variants
    entry.note = cell(columns.note) or None
    if columns.keep is not None:
        flag = cell(columns.keep).casefold()
        if flag not in _YES and flag not in _NO:
            raise InputError(
                f'the keep column says "{cell(columns.keep)}": write yes or leave it empty.', path=path, line=line
            )
        entry.keep = flag in _YES
    return entry


# --- import: TBX ----------------------------------------------------------------------------


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""

    def find_all(self, *tags: str) -> list[_Node]:
        return [child for child in self.children if child.tag in tags]

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)


def _parse_xml(data: bytes, path: Path) -> _Node:
    """A small element tree with the line of each element; no entity or DTD is ever expanded."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Node] = [_Node("", {}, 0)]

    def start(name: str, attrs: dict[str, str]) -> None:
        attributes = {("xml:lang" if key == _XML_LANG_EXPAT else key.rsplit(" ", 1)[-1]): v for key, v in attrs.items()}
        node = _Node(name.rsplit(" ", 1)[-1], attributes, parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        stack[-1].text += data

    def no_entities(*args: object) -> None:
        raise InputError("the file declares XML entities; translate does not read those.", path=path)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.EntityDeclHandler = no_entities
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise InputError(f"not valid XML ({expat.errors.messages[exc.code]}).", path=path, line=exc.lineno) from None
    roots = stack[0].children
    if not roots:
        raise InputError("the file is empty.", path=path)
    return roots[0]


def read_tbx(path: Path, source_lang: str) -> list[Entry]:
    """The entries of a TBX file (TBX 3 conceptEntry/langSec/termSec, TBX 2 termEntry/langSet/tig)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror}).", path=path) from None
    root = _parse_xml(data, path)
    if root.tag not in ("tbx", "martif"):
        raise InputError(
            f"not a TBX file: the root element is <{root.tag}>, not <tbx> or <martif>.", path=path, line=root.line
        )
    concepts = [n for n in _walk(root) if n.tag in ("conceptEntry", "termEntry")]
    return [_concept(concept, source_lang, path) for concept in concepts]


def _walk(node: _Node) -> Iterable[_Node]:
    for child in node.children:
        yield child
        yield from _walk(child)


def _concept(concept: _Node, source_lang: str, path: Path) -> Entry:
    entry = Entry("", line=concept.line)
    notes = [
        _clean(n.all_text())
        for n in _walk(concept)
        if n.tag == "note" or (n.tag == "descrip" and n.attrs.get("type") == "definition")
    ]
    entry.note = "; ".join(dict.fromkeys(n for n in notes if n)) or None
    for section in concept.find_all("langSec", "langSet"):
        lang = section.attrs.get("xml:lang") or section.attrs.get("lang") or ""
        for term_node in (n for n in _walk(section) if n.tag == "term"):
            text = _clean(term_node.all_text())
            holder = _term_holder(section, term_node)
            status = {n.attrs.get("type"): _clean(n.all_text()) for n in _walk(holder) if n.tag == "termNote"}
            if not text:
                raise InputError(
                    f"an empty <term> in the {lang} section; write the term or remove it.",
                    path=path,
                    line=term_node.line,
                )
            if _same_lang(lang, source_lang):
                if entry.source and entry.source != text:
                    raise InputError(
                        f'this entry has two {source_lang} terms ("{entry.source}", "{text}"); make them two entries.',
                        path=path,
                        line=term_node.line,
                    )
                entry.source = text
                if status.get("partOfSpeech") == _PROPER_NOUN:
                    entry.keep = True
            elif status.get("administrativeStatus") in (_DEPRECATED, "supersededTerm-admn-sts", "deprecatedTerm"):
                entry.forbidden[lang] = (*entry.forbidden.get(lang, ()), text)
            elif lang not in entry.targets:
                entry.targets[lang] = text
            elif status.get("administrativeStatus") in (_PREFERRED, "preferredTerm"):
                raise InputError(f"two preferred {lang} terms in one entry; keep one.", path=path, line=term_node.line)
            # a further admitted term: only the first one is the glossary's translation
    if entry.keep is None:
        entry.keep = False
    if not entry.source:
        raise InputError(
            f'this entry has no {source_lang} term (<langSec xml:lang="{source_lang}">).', path=path, line=concept.line
        )
    return entry


def _term_holder(section: _Node, term: _Node) -> _Node:
    """The termSec (TBX 3), tig or ntig (TBX 2) that holds ``term``."""
    for node in _walk(section):
        if node.tag in ("termSec", "tig", "ntig") and term in list(_walk(node)):
            return node
    return section


def _same_lang(code: str, ours: str) -> bool:
    return code.split("-")[0].casefold() == ours.split("-")[0].casefold()


# --- import: merge into glossary.yaml -------------------------------------------------------


@dataclass
class GlossaryImport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def _validate(entries: list[Entry], path: Path) -> None:
    seen: dict[str, Entry] = {}
    for entry in entries:
        if not entry.source:
            raise GlossaryError("this row has no source term; fill it or delete the row.", path=path, line=entry.line)
        if not entry.targets:
            raise GlossaryError(
                f'"{entry.source}" has no translation; fill one or delete the row.', path=path, line=entry.line
            )
        first = seen.setdefault(_key(entry.source), entry)
        if first is not entry:
            raise GlossaryError(
                f'"{entry.source}" is here twice (first at line {first.line}); merge the two.',
                path=path,
                line=entry.line,
            )
        for lang, variants in entry.forbidden.items():
            if lang not in entry.targets:
                raise GlossaryError(
                    f'"{entry.source}" has forbidden {lang} variants but no {lang} translation; add one.',
                    path=path,
                    line=entry.line,
                )
            for variant in variants:
                if target_contains(entry.targets[lang], variant, lang):
                    raise GlossaryError(
                        f'the forbidden "{variant}" matches the translation "{entry.targets[lang]}" of '
                        f'"{entry.source}"; remove it.',
                        path=path,
                        line=entry.line,
                    )


def _target(code: str, targets: Sequence[str]) -> str | None:
    """The project's target language ``code`` stands for (en-US -> en), or None."""
    for target in targets:
        if target.casefold() == code.casefold():
            return target
    primary = code.split("-")[0].casefold()
    return next((t for t in targets if t.casefold() == primary), None)


def _only_targets(entries: list[Entry], targets: Sequence[str]) -> list[str]:
    """Map each entry's languages to the project's targets; other languages are left out (noted)."""
    left_out: set[str] = set()
    for entry in entries:
        mapped: dict[str, str] = {}
        forbidden: dict[str, tuple[str, ...]] = {}
        for code, text in entry.targets.items():
            target = _target(code, targets)
            if target is None:
                left_out.add(code)
            else:
                mapped.setdefault(target, text)
        for code, variants in entry.forbidden.items():
            target = _target(code, targets)
            if target is not None:
                forbidden[target] = (*forbidden.get(target, ()), *variants)
        entry.targets, entry.forbidden = mapped, forbidden
    if not left_out:
        return []
    return [
        f"left out {', '.join(sorted(left_out))}: not a target language of this project "
        f"(targets: {', '.join(targets)}); add it to targets in [tool.translate] to import it"
    ]


def _merge(old: Entry, new: Entry) -> Entry:
    """``old`` with what ``new`` says: its translations, variants, note and keep (an empty cell
    never erases anything)."""
    return Entry(
        old.source,
        {**old.targets, **new.targets},
        {**old.forbidden, **new.forbidden},
        new.note or old.note,
        old.keep if new.keep is None else new.keep,
        old.line,
    )


def _same(a: Entry, b: Entry) -> bool:
    return (a.targets, a.forbidden, a.note, bool(a.keep)) == (b.targets, b.forbidden, b.note, bool(b.keep))


_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")
_NOT_PLAIN = re.compile(r": |\s#|:$|\s$|^(?:y|n|yes|no|true|false|on|off|null|~|[-+.\d][\d._:eE+-]*)$", re.IGNORECASE)


def _scalar(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML scalar: plain when that reads back as the same string, else quoted;
    ``flow``: inside [] or {}, where commas and brackets end a plain scalar."""
    if _PLAIN.fullmatch(text) and not _NOT_PLAIN.search(text) and not (flow and any(c in text for c in ",[]{}")):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def render_entry(entry: Entry, source_lang: str, indent: str) -> str:
    """One glossary.yaml entry, in the file's own style."""
    pad = indent + "  "
    lines = [f"{indent}- {source_lang}: {_scalar(entry.source)}"]
    lines += [f"{pad}{lang}: {_scalar(target)}" for lang, target in entry.targets.items()]
    if entry.forbidden:
        parts = ", ".join(
            f"{lang}: [{', '.join(_scalar(v, flow=True) for v in variants)}]"
            for lang, variants in entry.forbidden.items()
        )
        lines.append(f"{pad}forbidden: {{{parts}}}")
    if entry.note:
        lines.append(f"{pad}note: {_scalar(entry.note)}")
    if entry.keep:
        lines.append(f"{pad}keep: true")
    return "\n".join(lines) + "\n"


@locked("glossary import")
def import_glossary(project: Project, path: Path, fmt: str | None = None) -> GlossaryImport:
    """Merge the terms of a CSV or TBX file into glossary.yaml: new terms appended, changed ones
    rewritten where they are; the file is validated before it is written (atomically)."""
    kind = _format(path, fmt)
    source, targets = project.settings.source, project.settings.targets
    report = GlossaryImport()
    if kind == "csv":
        entries, report.notes = read_csv(path, source, targets)
    else:
        entries = read_tbx(path, source)
    report.notes += _only_targets(entries, targets)
    _validate(entries, path)
    glossary_path = project.glossary_path
    glossary = load_glossary(glossary_path, source, targets)
    try:
        text = glossary_path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        text = ""
    lines = text.splitlines(keepends=True)
    existing = {_key(term.source): term for term in glossary.terms}
    starts = sorted(term.line for term in glossary.terms)
    indent = "  "
    if glossary.terms:
        first = lines[starts[0] - 1]
        indent = first[: len(first) - len(first.lstrip())]
    replacements: dict[int, str] = {}
    appended: list[str] = []
    for entry in entries:
        term = existing.get(_key(entry.source))
        if term is None:
            appended.append(render_entry(entry, source, indent))
            report.added += 1
            continue
        old = Entry.of(term)
        merged = _merge(old, entry)
        if _same(old, merged):
            report.unchanged += 1
            continue
        replacements[term.line] = render_entry(merged, source, indent)
        report.updated += 1
    if not replacements and not appended:
        return report
    out: list[str] = []
    index = 0
    while index < len(lines):
        number = index + 1
        if number in replacements:
            end = next((s for s in starts if s > number), len(lines) + 1) - 1
            while end > number and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
                end -= 1  # blank lines and comments before the next entry belong to it
            out.append(replacements[number])
            index = end
            continue
        out.append(lines[index])
        index += 1
    if not glossary.terms:
        out = [line for line in out if not line.strip() or line.lstrip().startswith("#")]
        out.append("terms:\n")
    if out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    new_text = "".join(out) + "".join(appended)
    parse_glossary(new_text, glossary_path, source, targets)  # never write a glossary that does not load
    atomic_write(glossary_path, new_text)
    return report
