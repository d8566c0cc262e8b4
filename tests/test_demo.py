"""The demo content shipped in this repository: the README's quick start relies on all of it."""

from __future__ import annotations

from pathlib import Path

import polib
from typer.testing import CliRunner

from tests.helpers import HANGUL, ROOT, demo_copy, structure
from translate.cli import app
from translate.glossary import load_glossary


def test_the_demo_glossary_is_a_real_clinic_glossary() -> None:
    glossary = load_glossary(ROOT / "glossary.yaml")
    sources = {t.source for t in glossary.terms}
    assert len(glossary.terms) >= 30
    assert {"특징", "엠페이스", "HIFES", "피부과 전문의", "의료법", "부작용"} <= sources


def test_the_published_demo_page_is_exactly_what_publish_writes(tmp_path: Path) -> None:
    """Golden file for publishing: content/en/emface-lifting.md is the committed output."""
    root = demo_copy(tmp_path)
    golden = (ROOT / "content" / "en" / "emface-lifting.md").read_bytes()
    (root / "content" / "en" / "emface-lifting.md").unlink()
    result = CliRunner().invoke(app, ["-C", str(root), "publish", "--article", "emface-lifting"])
    assert result.exit_code == 0, result.output
    assert (root / "content" / "en" / "emface-lifting.md").read_bytes() == golden


def test_the_demo_english_page_is_complete_and_keeps_the_structure() -> None:
    page = (ROOT / "content" / "en" / "emface-lifting.md").read_text(encoding="utf-8")
    source = (ROOT / "content" / "ko" / "emface-lifting.md").read_text(encoding="utf-8")
    assert not HANGUL.search(page)
    assert structure(page.split("\n---\n", 1)[1]) == structure(source.split("\n---\n", 1)[1])
    assert "Its feature is" in page and "Article 56(1) of the Medical Service Act" in page


def test_the_demo_runs_offline_and_says_which_step_needs_an_engine(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["-C", str(root), "extract"])
    assert result.exit_code == 0 and "0 PO files updated" in result.output  # the demo PO files are current
    result = runner.invoke(app, ["-C", str(root), "draft", "--url", "http://127.0.0.1:9/"])
    assert result.exit_code == 3
    assert "drafted from translation memory" in result.output
    assert "machine translation is needed for" in result.output and "cannot reach libre" in result.output
    memory = [e for e in polib.pofile(str(root / "po" / "en" / "ulthera-before-after-care.po")) if e.msgstr]
    assert len(memory) >= 5 and all(e.fuzzy and "origin: tm" in e.comment for e in memory)
    result = runner.invoke(app, ["-C", str(root), "publish"])
    assert result.exit_code == 1 and "not published: ulthera-before-after-care [en]" in result.output
    assert "1 unchanged" in result.output


def test_the_demo_passes_every_check_without_a_false_alarm(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["-C", str(root), "check"])
    assert result.exit_code == 0 and "0 errors, 0 warnings." in result.output
    result = runner.invoke(app, ["-C", str(root), "check", str(root / "content" / "ko")])
    assert result.exit_code == 0 and "0 errors, 0 warnings." in result.output
    runner.invoke(app, ["-C", str(root), "draft", "--url", "http://127.0.0.1:9/"])
    result = runner.invoke(app, ["-C", str(root), "check"])
    assert result.exit_code == 0 and "0 errors" in result.output
