"""translate glossary import / export: CSV and TBX, validated with line numbers, lossless both ways."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import ROOT
from tests.helpers import cli as run
from translate.glossary import load_glossary, target_contains
from translate.glossary_io import Entry, render_entry
from translate.model import normalize_text

TRICKY = """\
# The clinic's terms.
terms:
  - ko: 특징
    en: feature
    ja: 特徴
    zh-CN: 特征
    forbidden: {en: [characteristic, trait], ja: [特色]}
    note: "Say \\"feature\\", not: trait, characteristic # never"
  # --- names ---
  - ko: 엠페이스
    en: Emface
    keep: true
  - ko: 예
    en: "yes"
  - ko: 하이푸
    en: "- HIFU: high-intensity focused ultrasound"
    note: '100%'
"""


def project(folder: Path, glossary: str | None = None, targets: str = '["en", "ja", "zh-CN"]') -> Path:
    folder.mkdir(parents=True)
    (folder / "pyproject.toml").write_text(f"[tool.translate]\ntargets = {targets}\n", encoding="utf-8")
    if glossary is not None:
        (folder / "glossary.yaml").write_text(glossary, encoding="utf-8")
    return folder


def terms(root: Path) -> list[tuple[object, ...]]:
    glossary = load_glossary(root / "glossary.yaml")
    return [(t.source, dict(t.targets), dict(t.forbidden), t.note, t.keep) for t in glossary.terms]


@pytest.mark.parametrize("suffix", ["csv", "tbx"])
@pytest.mark.parametrize("glossary", ["demo", "tricky"])
def test_export_then_import_loses_nothing(tmp_path: Path, suffix: str, glossary: str) -> None:
    text = (ROOT / "glossary.yaml").read_text(encoding="utf-8") if glossary == "demo" else TRICKY
    source = project(tmp_path / "a", text)
    exported = tmp_path / f"terms.{suffix}"
    code, output = run(source, "glossary", "export", str(exported))
    count = len(load_glossary(source / "glossary.yaml").terms)
    assert code == 0 and f"{count} terms written" in output
    target = project(tmp_path / "b")
    code, output = run(target, "glossary", "import", str(exported))
    assert code == 0 and f"{count} terms added, 0 updated, 0 unchanged." in output
    assert terms(target) == terms(source)
    before = (target / "glossary.yaml").read_bytes()
    code, output = run(target, "glossary", "import", str(exported))
    assert code == 0 and f"0 terms added, 0 updated, {count} unchanged." in output
    assert (target / "glossary.yaml").read_bytes() == before


def test_the_tbx_says_what_each_term_is(tmp_path: Path) -> None:
    root = project(tmp_path / "a", TRICKY)
    assert run(root, "glossary", "export", str(tmp_path / "t.tbx"))[0] == 0
    tbx = (tmp_path / "t.tbx").read_text(encoding="utf-8")
    assert '<tbx type="TBX-Basic" style="dca" xml:lang="ko" xmlns="urn:iso:std:iso:30042:ed-2">' in tbx
    assert (
        '<term>trait</term>\n            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>'
        in tbx
    )
    assert '<term>엠페이스</term>\n            <termNote type="partOfSpeech">properNoun</termNote>' in tbx


def test_a_clinic_spreadsheet_in_korean_excel_csv(tmp_path: Path) -> None:
    sheet = "번호;한국어;영어;비고\n1;리프팅;lifting;시술명\n2;울쎄라;Ulthera;\n"
    path = tmp_path / "용어집.csv"
    path.write_bytes(sheet.encode("cp949"))
    root = project(tmp_path / "site", targets='["en"]')
    code, output = run(root, "glossary", "import", str(path))
    assert code == 0 and "2 terms added" in output
    assert "read as CP949 (Korean Excel's encoding)" in output
    assert terms(root) == [
        ("리프팅", {"en": "lifting"}, {}, "시술명", False),
        ("울쎄라", {"en": "Ulthera"}, {}, None, False),
    ]


def test_a_csv_without_a_header_is_korean_english_note(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text("피부,skin,the organ\n보습,moisturizing\n", encoding="utf-8")
    root = project(tmp_path / "site", targets='["en"]')
    code, output = run(root, "glossary", "import", str(path))
    assert code == 0 and "no header row: the columns are read as ko, en, note" in output
    assert terms(root) == [
        ("피부", {"en": "skin"}, {}, "the organ", False),
        ("보습", {"en": "moisturizing"}, {}, None, False),
    ]


def test_import_merges_in_place_and_keeps_the_comments(tmp_path: Path) -> None:
    root = project(tmp_path / "site", TRICKY)
    path = tmp_path / "update.csv"
    path.write_text("ko,en,note\n엠페이스,Emface,the device's name\n보습,moisturizing,\n특징,,\n", encoding="utf-8")
    code, output = run(root, "glossary", "import", str(path))
    assert code == 2
    assert f"{path}:4:" in output and '"특징" has no translation' in output
    path.write_text(
        "ko,en,note\n엠페이스,Emface,the device's name\n보습,moisturizing,\n특징,feature,\n", encoding="utf-8"
    )
    code, output = run(root, "glossary", "import", str(path))
    assert code == 0 and "1 term added, 1 updated, 1 unchanged." in output
    text = (root / "glossary.yaml").read_text(encoding="utf-8")
    assert text.startswith("# The clinic's terms.\nterms:\n") and "  # --- names ---\n  - ko: 엠페이스\n" in text
    assert "  - ko: 엠페이스\n    en: Emface\n    note: the device's name\n    keep: true\n  - ko: 예\n" in text
    assert text.endswith("  - ko: 보습\n    en: moisturizing\n")
    assert terms(root)[0] == terms(project(tmp_path / "other", TRICKY))[0]  # an empty cell erases nothing


@pytest.mark.parametrize(
    ("content", "line", "says"),
    [
        ("ko,en\n피부,skin\n,lifting\n", 3, "this row has no source term"),
        ("ko,en\n피부,skin\n피 부,skin\n", 3, '"피 부" is here twice (first at line 2)'),
        ("ko,en,forbidden:en\n피부,skin,skins\n", 2, 'the forbidden "skins" matches the translation "skin"'),
        ("ko,en,keep\n엠페이스,Emface,maybe\n", 2, 'the keep column says "maybe"'),
        ('ko,en\n피부,"skin\n', 2, "not valid CSV"),
    ],
)
def test_a_bad_csv_row_is_named_by_its_line(tmp_path: Path, content: str, line: int, says: str) -> None:
    path = tmp_path / "terms.csv"
    path.write_text(content, encoding="utf-8")
    root = project(tmp_path / "site", TRICKY)
    before = (root / "glossary.yaml").read_bytes()
    code, output = run(root, "glossary", "import", str(path))
    assert code == 2 and f"{path}:{line}: " in output and says in output, output
    assert (root / "glossary.yaml").read_bytes() == before


TBX2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="ko-KR">
 <text><body>
  <termEntry id="t1">
   <descrip type="definition">skin care device</descrip>
   <langSet xml:lang="ko-KR"><tig><term>울쎄라</term></tig></langSet>
   <langSet xml:lang="en"><tig><term>Ulthera</term></tig><tig><term>Ultherapy</term></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"""


def test_tbx2_from_another_tool(tmp_path: Path) -> None:
    path = tmp_path / "old.tbx"
    path.write_text(TBX2, encoding="utf-8")
    root = project(tmp_path / "site", targets='["en"]')
    code, output = run(root, "glossary", "import", str(path))
    assert code == 0 and "1 term added" in output
    assert terms(root) == [("울쎄라", {"en": "Ulthera"}, {}, "skin care device", False)]


@pytest.mark.parametrize(
    ("content", "line", "says"),
    [
        (
            "<tbx><text><body><conceptEntry>\n<langSec xml:lang='ko'><termSec><term>피부</term></termSec>\n"
            "</body></tbx>",
            3,
            "not valid XML (mismatched tag)",
        ),
        (
            "<tbx><text><body>\n\n<conceptEntry id='c1'><langSec xml:lang='en'><termSec><term>skin</term>"
            "</termSec></langSec></conceptEntry></body></text></tbx>",
            3,
            "this entry has no ko term",
        ),
        ("<html/>", 1, "not a TBX file: the root element is <html>"),
        ('<!DOCTYPE tbx [<!ENTITY a "aaaa">]>\n<tbx/>', None, "declares XML entities"),
    ],
)
def test_a_bad_tbx_is_named_by_its_line(tmp_path: Path, content: str, line: int | None, says: str) -> None:
    path = tmp_path / "terms.tbx"
    path.write_text(content, encoding="utf-8")
    root = project(tmp_path / "site")
    code, output = run(root, "glossary", "import", str(path))
    assert code == 2 and (f"{path}:{line}: " if line else f"{path}: ") in output and says in output, output
    assert not (root / "glossary.yaml").exists()


def test_the_format_comes_from_the_name_or_the_option(tmp_path: Path) -> None:
    root = project(tmp_path / "site", TRICKY)
    code, output = run(root, "glossary", "export", str(tmp_path / "terms.xlsx"))
    assert code == 2 and "give --format csv or tbx" in output
    code, output = run(root, "glossary", "export", str(tmp_path / "terms.txt"), "--format", "csv")
    assert code == 0 and (tmp_path / "terms.txt").read_text(encoding="utf-8").startswith("ko,en,ja,zh-CN,note,keep")


def test_the_demo_glossary_exports_as_a_spreadsheet_clinics_read(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    (root / "content" / "ko").mkdir(parents=True)  # a project (a folder with only a glossary is none)
    shutil.copy(ROOT / "glossary.yaml", root / "glossary.yaml")
    assert run(root, "glossary", "export", str(tmp_path / "g.csv"))[0] == 0
    lines = (tmp_path / "g.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "ko,en,note,keep,forbidden:en"
    assert (
        lines[1] == '특징,feature,"""A key feature of Emface is ...""; not ""characteristic"" or ""trait"".",,'
        "characteristic; trait"
    )


hangul = st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=6)
words = (
    st.text(
        st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"), exclude_characters=";"),
        min_size=1,
        max_size=30,
    )
    .map(normalize_text)
    .filter(bool)
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=st.lists(
        st.tuples(hangul, words, st.lists(words, max_size=2), st.none() | words, st.booleans()),
        min_size=1,
        max_size=6,
        unique_by=lambda e: e[0],
    ),
    suffix=st.sampled_from(["csv", "tbx"]),
)
def test_any_glossary_survives_the_round_trip(
    tmp_path_factory: pytest.TempPathFactory, entries: list[Any], suffix: str
) -> None:
    rendered = []
    for source, target, forbidden, note, keep in entries:
        variants = tuple(v for v in dict.fromkeys(forbidden) if not target_contains(target, v, "en"))
        entry = Entry(source, {"en": target}, {"en": variants} if variants else {}, note, keep)
        rendered.append(render_entry(entry, "ko", "  "))
    text = "terms:\n" + "".join(rendered)
    folder = tmp_path_factory.mktemp("round")
    source_root = project(folder / "a", text, targets='["en"]')
    expected = terms(source_root)  # render_entry wrote YAML that reads back as the same terms
    assert [t[0] for t in expected] == [e[0] for e in entries]
    assert [t[1]["en"] for t in expected] == [e[1] for e in entries]  # type: ignore[index]
    exported = folder / f"g.{suffix}"
    assert run(source_root, "glossary", "export", str(exported))[0] == 0
    target_root = project(folder / "b", targets='["en"]')
    code, output = run(target_root, "glossary", "import", str(exported))
    assert code == 0, output
    assert terms(target_root) == expected


def test_languages_the_project_does_not_translate_into_are_left_out_and_named(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text("Korean,English,Japanese\n피부,skin,皮膚\n보습,,保湿\n", encoding="utf-8")
    root = project(tmp_path / "site", targets='["en"]')
    code, output = run(root, "glossary", "import", str(path))
    assert code == 2 and f"{path}:3: " in output and '"보습" has no translation' in output
    path.write_text("Korean,English,Japanese\n피부,skin,皮膚\n", encoding="utf-8")
    code, output = run(root, "glossary", "import", str(path))
    assert code == 0 and "left out ja: not a target language of this project (targets: en)" in output
    assert terms(root) == [("피부", {"en": "skin"}, {}, None, False)]


def test_regional_codes_in_a_tbx_are_the_projects_languages(tmp_path: Path) -> None:
    path = tmp_path / "t.tbx"
    path.write_text(TBX2.replace('xml:lang="en"', 'xml:lang="en-US"'), encoding="utf-8")
    root = project(tmp_path / "site", targets='["en"]')
    assert run(root, "glossary", "import", str(path))[0] == 0
    assert terms(root)[0][1] == {"en": "Ulthera"}
