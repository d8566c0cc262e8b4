"""The PO reader reads exactly what polib reads.

translate reads PO files with a reader of its own (``translate.po._entries``: polib's state machine,
ported, one entry at a time, so a whole file's polib objects never exist at once). The reference is
the reading as it was done with polib's own parser (kept here as ``polib_load``). Read whole
(``load_catalog``) or one unit at a time (``read_units``, as a large file is read): on every PO file
of the project and its tests, on the bad-input corpus and on generated files, both give the same
catalogue (units, their lines, headers, entries kept as they are) or the same error at the same line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from unittest.mock import patch

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.bad_input.cases import CASES
from translate import fileio, po
from translate.errors import InputError
from translate.fileio import read_text
from translate.model import Catalog, KeptEntry, Unit
from translate.po import (
    _PLURAL_FORMS_RE,
    DEFAULT_PLURAL_FORMS,
    WRAP_WIDTH,
    _check_syntax,
    _unit_from_entry,
    load_catalog,
    read_units,
    render_catalog,
)

ROOT = Path(__file__).parent.parent


class _Lines(str):
    """PO text split at LF only, as the reader did before (polib splits with str.splitlines)."""

    __slots__ = ()

    def splitlines(self, keepends: bool = False) -> list[str]:
        lines = self.split("\n")
        if keepends:
            lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
        elif lines and not lines[-1]:
            lines.pop()
        return lines


def polib_load(path: Path) -> Catalog:
    """load_catalog as it was with polib's parser (the reference)."""
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
            units.append(_unit_from_entry(entry, {}))
    for entry in pofile.obsolete_entries():
        if (entry.msgctxt, entry.msgid, True) not in seen:
            units.append(_unit_from_entry(entry, {}))
    starts = sorted(entry.linenum for entry in pofile if entry.linenum)
    lines = text.split("\n")
    kept = []
    for entry in others:
        start = entry.linenum
        if start:
            at = bisect_right(starts, start)
            block = lines[start - 1 : starts[at] - 1 if at < len(starts) else len(lines)]
            while block and not block[-1].strip():
                block.pop()
            raw = "\n".join(block)
        else:
            raw = entry.__unicode__(WRAP_WIDTH).rstrip("\n")
        kept.append(KeptEntry(raw, entry.msgid, entry.msgctxt, entry.msgid_plural or None, bool(entry.obsolete), start))
    return Catalog("a", "en", "ko", units=units, metadata=dict(pofile.metadata), kept=kept)


def outcome(read: object, path: Path) -> object:
    """What a reader made of the file: the catalogue with every unit's and kept entry's line, or the error."""
    try:
        catalog = read(path)  # type: ignore[operator]
    except InputError as exc:
        return ("error", str(exc), exc.line)
    assert isinstance(catalog, Catalog)
    units: list[Unit] = catalog.units
    return (
        [(unit, unit.po_line) for unit in units],
        catalog.metadata,
        [(entry, entry.po_line) for entry in catalog.kept],
    )


def ours(path: Path) -> Catalog:
    return load_catalog(path, article="a", lang="en", source_lang="ko")


def streamed(path: Path) -> Catalog:
    """read_units on a file it reads one unit at a time, line by line (as it reads a large one)."""
    catalog, units = read_units(path, article="a", lang="en", source_lang="ko")
    with (
        patch.object(po, "STREAMED_BYTES", 0),
        patch.object(fileio, "WHOLE_FILE", 0),
        patch.object(fileio, "READ_BLOCK", 7),
    ):
        catalog.units = list(units)
    return catalog


def assert_same_reading(path: Path) -> None:
    expected = outcome(polib_load, path)
    assert outcome(ours, path) == expected
    assert outcome(streamed, path) == expected


def corpus() -> list[tuple[str, str | bytes]]:
    files: list[tuple[str, str | bytes]] = [
        (str(path.relative_to(ROOT)), path.read_bytes())
        for folder in (ROOT / "po", ROOT / "tests")
        for path in sorted(folder.rglob("*.po"))
    ]
    for case in CASES:
        files.extend(
            (f"{case.name}: {name}", text) for name, text in case.files.items() if name.endswith(".po") and text
        )
    return files


@pytest.mark.parametrize(("name", "content"), corpus(), ids=[name for name, _ in corpus()])
def test_every_po_file_of_the_corpus_reads_as_polib_reads_it(tmp_path: Path, name: str, content: str | bytes) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    assert_same_reading(path)


def test_the_corpus_holds_valid_and_broken_files() -> None:
    assert len(corpus()) >= 15
    with_units = [
        name for name, content in corpus() if b"msgid" in (content if isinstance(content, bytes) else b"msgid")
    ]
    assert len(with_units) >= 10


# --- generated PO files ------------------------------------------------------------------------------

PIECES = ["a", "b", " ", ":", "피부", "\\n", '\\"', "\\\\", "\\t", "\u2028"]
TEXT = st.lists(st.sampled_from([*PIECES, '"', "\\"]), max_size=8).map("".join)
QUOTED = TEXT.map(lambda text: f'"{text}"')
GOOD_QUOTED = st.lists(st.sampled_from(PIECES), max_size=8).map(lambda pieces: '"' + "".join(pieces) + '"')
KEYWORD = st.sampled_from(
    ["msgid", "msgstr", "msgctxt", "msgid_plural", "msgstr[0]", "msgstr[1]", "msgstr[x]", "msgstring"]
)
COMMENT = st.one_of(
    st.sampled_from(
        ["#", "# ", "##", "#.", "#:", "#,", "#|", "#~", "#~|", "#, fuzzy", "#, fuzzy, c-format", "#,fuzzy"]
    ),
    st.builds(lambda kind, text: f"{kind} {text}", st.sampled_from(["#", "#.", "#:", "#,", "##", "#~|"]), TEXT),
    st.builds(
        lambda places: "#: " + " ".join(places),
        st.lists(st.sampled_from(["a.md:1", "b.md:x", "c", "d:e:12", ":3"]), max_size=3),
    ),
    st.builds(
        lambda keyword, text: f"#| {keyword} {text}",
        st.sampled_from(["msgid", "msgctxt", "msgid_plural", "bogus"]),
        QUOTED,
    ),
    st.builds(lambda text: f"#| {text}", QUOTED),
)
LINE = st.one_of(
    st.builds(
        lambda keyword, space, text: f"{keyword}{space}{text}", KEYWORD, st.sampled_from([" ", "  ", "\t", ""]), QUOTED
    ),
    QUOTED,
    COMMENT,
    st.sampled_from(["", "  ", "garbage", '\ufeffmsgid ""', "msgid"]),
)
OBSOLETE = st.sampled_from(["", "", "", "#~ ", "#~"])
HEADER = st.sampled_from(
    [
        "",
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n',
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n"X-Extra: a\\n"\n"continued\\n"\n\n',
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=two;\\n"\n\n',
        '# a header comment\n#, fuzzy\nmsgid ""\nmsgstr "Language: en\\nbroken line\\n"\n\n',
    ]
)


@st.composite
def entry(draw: st.DrawFn) -> str:
    """A well-formed entry, now and then with an obsolete mark, a context or plural forms."""
    prefix = draw(OBSOLETE)
    lines = draw(st.lists(COMMENT.filter(lambda c: c.startswith(("# ", "#.", "#:", "#, ", "#| msg"))), max_size=3))
    if draw(st.booleans()):
        lines.append(f"msgctxt {draw(GOOD_QUOTED)}")
    lines.append(f"msgid {draw(GOOD_QUOTED)}")
    lines.extend(draw(st.lists(GOOD_QUOTED, max_size=2)))
    if draw(st.integers(0, 4)) == 0:
        lines.append(f"msgid_plural {draw(GOOD_QUOTED)}")
        lines.extend(f"msgstr[{n}] {draw(GOOD_QUOTED)}" for n in range(draw(st.integers(1, 2))))
    else:
        lines.append(f"msgstr {draw(GOOD_QUOTED)}")
        lines.extend(draw(st.lists(GOOD_QUOTED, max_size=2)))
    return "\n".join(prefix + line if not line.startswith("#") or prefix == "" else line for line in lines) + "\n"


@st.composite
def po_text(draw: st.DrawFn) -> str:
    parts = [draw(HEADER)]
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 5)) == 0:
            parts.append(draw(OBSOLETE) + draw(LINE) + "\n")
        else:
            parts.append(draw(entry()))
        parts.append(draw(st.sampled_from(["\n", "", "\n\n", "  \n"])))
    return "".join(parts) + draw(st.sampled_from(["", "\n", "# trailing comment\n", '#~| msgid "x"\n']))


@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(text=po_text())
def test_generated_po_files_read_as_polib_reads_them(tmp_path: Path, text: str) -> None:
    path = tmp_path / "a.po"
    path.write_text(text, encoding="utf-8")
    assert_same_reading(path)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.tuples(OBSOLETE, LINE), max_size=12))
def test_any_sequence_of_po_lines_reads_as_polib_reads_it(tmp_path: Path, lines: list[tuple[str, str]]) -> None:
    path = tmp_path / "a.po"
    path.write_text("".join(prefix + line + "\n" for prefix, line in lines), encoding="utf-8")
    assert_same_reading(path)


def test_what_translate_writes_reads_back_as_polib_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    for source in ROOT.joinpath("po").rglob("*.po"):
        catalog = ours(source)
        path.write_text(render_catalog(catalog), encoding="utf-8")
        assert_same_reading(path)
        again = ours(path)
        assert (again.units, again.kept) == (catalog.units, catalog.kept)
