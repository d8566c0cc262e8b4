"""Catalogues through PO files: every state survives a round trip and real gettext accepts the file."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.errors import InputError
from translate.history import comment_lines
from translate.model import Catalog, Finding, Severity, State, Unit
from translate.po import WRAP_WIDTH, _wrap, load_catalog, render_catalog, save_catalog


def sample_catalog() -> Catalog:
    return Catalog(
        article="emface-lifting",
        lang="zh-CN",
        source_lang="ko",
        units=[
            Unit("새 문장입니다.", locations=[("content/ko/a.md", 3)]),
            Unit(
                "초안 문장입니다.",
                "A draft.",
                State.DRAFT,
                [("content/ko/a.md", 5)],
                origin="mt:libre",
                findings=[Finding("glossary", '"특징" should be "feature"', Severity.WARNING)],
                notes=["glossary: 특징 = feature"],
            ),
            Unit(
                "승인된 문장입니다.",
                "Approved.",
                State.APPROVED,
                [("content/ko/a.md", 7), ("content/ko/a.md", 9)],
                history=["approved by Kim on 2026-11-25T10:00:00Z [text 1a2b3c4d]"],
                checked="1a2b3c4d",
            ),
            Unit(
                "반려된 문장입니다.",
                "Wrong.",
                State.REJECTED,
                [("content/ko/a.md", 11)],
                history=["rejected by Park on 2026-11-25T10:00:00Z: the number is wrong"],
            ),
            Unit("바뀐 문장입니다.", "Changed.", State.DRAFT, previous_source="예전 문장입니다."),
            Unit('따옴표 "인용"과 \\ 역슬래시', 'Quote "x" and \\ backslash', State.APPROVED),
            Unit("지워진 문장입니다.", "Removed.", State.APPROVED, obsolete=True),
        ],
    )


def test_every_state_survives_a_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    catalog = sample_catalog()
    assert save_catalog(catalog, path)
    loaded = load_catalog(path, article=catalog.article, lang=catalog.lang, source_lang="ko")
    assert loaded.units == catalog.units
    assert not save_catalog(loaded, path)  # same content: the file is not rewritten


def test_headers_are_standard(tmp_path: Path) -> None:
    text = render_catalog(sample_catalog())
    assert '"Language: zh_CN\\n"' in text
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    assert "#, fuzzy\n" in text and "#~ msgid" in text and "#| msgid" in text


@pytest.mark.skipif(shutil.which("msgfmt") is None and not os.environ.get("CI"), reason="gettext not installed")
def test_gettext_msgfmt_accepts_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    save_catalog(sample_catalog(), path)
    result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_duplicate_entry_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_text('msgid "가"\nmsgstr "a"\n\nmsgid "나"\nmsgstr "b"\n\nmsgid "가"\nmsgstr "c"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.po:7: .*twice"):
        load_catalog(path, article="a", lang="en", source_lang="ko")


def test_long_history_and_findings_read_back_whole(tmp_path: Path) -> None:
    reason = "the number of sessions is wrong: the Korean says three sessions four weeks apart, not two"
    unit = Unit(
        "세 번 시술합니다.",
        "It is done twice.",
        State.REJECTED,
        history=[f"rejected by Park on 2026-11-25T10:00:00Z: {reason}"],
        findings=[
            Finding("numbers", "numbers differ from the source: missing 3; not in the source 2 " * 3, Severity.ERROR)
        ],
    )
    path = tmp_path / "a.po"
    save_catalog(Catalog("a", "en", "ko", [unit]), path)
    [loaded] = load_catalog(path, article="a", lang="en", source_lang="ko").units
    assert loaded.state is State.REJECTED and loaded.history == unit.history
    assert [f.message for f in loaded.findings] == [" ".join(unit.findings[0].message.split())]


def _polib_render(catalog: Catalog) -> str:
    """The reference: the same catalogue written by polib (comments one record per line)."""
    import polib

    class Entry(polib.POEntry):  # type: ignore[misc]
        def __unicode__(self, wrapwidth: int = 78) -> str:
            kinds = [("tcomment", "# ")] if self.obsolete else [("tcomment", "# "), ("comment", "#. ")]
            head = [
                prefix + line
                for attr, prefix in kinds
                if getattr(self, attr)
                for line in getattr(self, attr).split("\n")
            ]
            saved = (self.tcomment, self.comment)
            self.tcomment = self.comment = ""
            try:
                body: str = super().__unicode__(wrapwidth)
            finally:
                self.tcomment, self.comment = saved
            return "\n".join([*head, body])

    pofile = polib.POFile(wrapwidth=WRAP_WIDTH)
    header = render_catalog(Catalog(catalog.article, catalog.lang, catalog.source_lang, metadata=catalog.metadata))
    pofile.metadata = dict(polib.pofile(header).metadata)
    for unit in sorted(catalog.units, key=lambda u: u.obsolete):
        comments = [*unit.notes, *([f"origin: {unit.origin}"] if unit.origin else [])]
        comments.extend(f"[{f.severity.value}] {f.check}: {' '.join(f.message.split())}" for f in unit.findings)
        if unit.checked and unit.target and unit.state is not State.UNTRANSLATED:
            comments.append(f"checked: {unit.checked}")
        entry = Entry(
            msgid=unit.source,
            msgstr=unit.target if unit.state is not State.UNTRANSLATED else "",
            occurrences=[(path, str(line)) for path, line in unit.locations],
            comment=comment_lines("\n".join(comments)),  # each line made safe
            tcomment=comment_lines("\n".join(unit.history)),
            obsolete=unit.obsolete,
        )
        if unit.state in (State.DRAFT, State.REJECTED) and entry.msgstr:
            entry.flags.append("fuzzy")
        if unit.previous_source:
            entry.previous_msgid = unit.previous_source
        pofile.append(entry)
    return str(pofile) + "\n"


_po_text = st.text(alphabet=st.sampled_from([*'피부과 특징은 a-b "\\\t\r\n\v\f\b.,', "\u2028", "\x85"]), max_size=160)
_units = st.builds(
    Unit,
    source=_po_text.filter(bool),
    target=_po_text,
    state=st.sampled_from(list(State)),
    locations=st.lists(
        st.tuples(st.sampled_from(["content/ko/a.md", "content/ko/long-article-name-x.md"]), st.integers(1, 999)),
        max_size=6,
    ),
    origin=st.none() | st.sampled_from(["mt:libre", "tm"]),
    findings=st.lists(
        st.builds(Finding, st.sampled_from(["glossary", "numbers"]), _po_text, st.sampled_from(list(Severity))),
        max_size=2,
    ),
    notes=st.lists(_po_text.filter(lambda t: "\n" not in t), max_size=2),
    history=st.lists(st.text(alphabet="approved by Kim 김:-", min_size=1, max_size=100), max_size=2),
    previous_source=st.none() | _po_text.filter(bool),
    obsolete=st.booleans(),
    checked=st.none() | st.just("1a2b3c4d"),
)


@settings(max_examples=300, deadline=None)
@given(units=st.lists(_units, max_size=5, unique_by=lambda u: (u.source, u.obsolete)))
def test_the_po_writer_matches_polib_byte_for_byte(units: list[Unit]) -> None:
    catalog = Catalog("a", "en", "ko", units=units, metadata={"X-Source-Hash": "0123"})
    assert render_catalog(catalog) == _polib_render(catalog)


@settings(max_examples=500, deadline=None)
@given(
    text=st.lists(st.sampled_from(["a", "b", " ", "가", "-", "  ", "--"]), max_size=60).map("".join),
    width=st.integers(1, 20),
)
def test_wrapping_matches_textwrap(text: str, width: int) -> None:
    expected = textwrap.wrap(text, width, drop_whitespace=False, break_long_words=False)
    assert _wrap(text, width) == expected


SEPARATORS = ["\u2028", "\u2029", "\x85", "\v", "\f", "\x1c", "\x1d", "\x1e"]


@pytest.mark.parametrize("separator", SEPARATORS, ids=[f"U+{ord(c):04X}" for c in SEPARATORS])
def test_characters_splitlines_breaks_at_do_not_end_a_po_line(tmp_path: Path, separator: str) -> None:
    """gettext ends PO lines at LF only: msgid and msgstr keep these characters; in comments (history,
    findings) they are spaces, since other readers of the file may end a line there (issue 17)."""
    import polib

    unit = Unit(
        f"피부 관리는{separator}매일 합니다.",
        f"Skin care{separator} is daily.",
        State.REJECTED,
        history=[f"rejected by Park{separator}Lee on 2026-11-25T10:00:00Z: a{separator}b"],
        findings=[Finding("whitespace", f"a line break{separator}here")],
        checked="1a2b3c4d",
    )
    short = Unit(f"가{separator}나", f"a{separator}b", State.APPROVED)  # short enough for one line
    path = tmp_path / "a.po"
    save_catalog(Catalog("a", "en", "ko", [unit, short]), path)
    loaded = load_catalog(path, article="a", lang="en", source_lang="ko").units
    assert [(u.source, u.target, u.state) for u in loaded] == [(u.source, u.target, u.state) for u in (unit, short)]
    assert loaded[0].history == ["rejected by Park Lee on 2026-11-25T10:00:00Z: a b"]
    assert loaded[0].checked == "1a2b3c4d" and loaded[0].findings[0].message == "a line break here"
    # polib reading the file (lines split at LF, as gettext does) sees the same strings
    assert [(e.msgid, e.msgstr) for e in polib.pofile(str(path))] == [(u.source, u.target) for u in (unit, short)]
    written = {"\v": "\\v", "\f": "\\f"}.get(separator, separator)
    one_line = path.read_text(encoding="utf-8").replace(f'msgid ""\n"가{written}"\n"나"', f'msgid "가{written}나"')
    assert f'msgid "가{written}나"' in one_line
    path.write_text(one_line, encoding="utf-8")  # as another tool may write it
    assert load_catalog(path, article="a", lang="en", source_lang="ko").units[1].source == short.source
    if shutil.which("msgfmt") or os.environ.get("CI"):
        result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
