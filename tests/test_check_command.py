"""`translate check`, and the checks gating approval and publishing, through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import FIXTURES, make_project
from tests.test_cli import approve_all_by_edit, edit_entry, entries, polib_id, run
from translate.cli import app

NOTICES = '[tool.translate]\ntargets = ["en"]\n\n[tool.translate.disclaimers]\nen = ["Article 56", "side effects"]\n'


def test_check_finds_the_korean_word_left_in_the_clinic_s_old_english_page(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, settings=NOTICES)
    (root / "content" / "en").mkdir(parents=True)
    shutil.copy(FIXTURES / "emface-lifting.en-2025.md", root / "content" / "en" / "emface-lifting.md")
    code, out = run(runner, root, "check")
    assert code == 1
    assert "content/en/emface-lifting.md:51: error untranslated-korean: Korean text left untranslated: 특징" in out
    code, out = run(runner, root, "check", "--json", str(root / "content" / "en"))
    [problem] = json.loads(out)
    assert problem["line"] == 51 and problem["check"] == "untranslated-korean"


def test_check_over_po_files_names_the_entry(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={"note": "시술 시간은 30분입니다.\n"})
    run(runner, root, "extract")
    [entry] = entries(root, "note")
    edit_entry(runner, root, entry, "It takes 20 minutes.", "--force")
    code, out = run(runner, root, "check")
    assert code == 1
    assert "po/en/note.po:" in out and f"[{polib_id(entry)}] error numbers: numbers differ" in out


def test_settings_can_switch_a_check_off(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        articles={"note": "시술 시간은 30분입니다.\n"},
        settings='[tool.translate]\n\n[tool.translate.checks]\nnumbers = "off"\n',
    )
    run(runner, root, "extract")
    [entry] = entries(root, "note")
    code, out = edit_entry(runner, root, entry, "It takes 20 minutes.")
    assert code == 0, out
    assert run(runner, root, "check")[0] == 0


def test_an_unknown_check_in_settings_is_named(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, settings='[tool.translate]\n\n[tool.translate.checks]\nspelling = "off"\n')
    code, out = run(runner, root, "check")
    assert code == 2 and "unknown check 'spelling'" in out


def test_publish_refuses_a_page_without_the_required_notices(runner: CliRunner, tmp_path: Path) -> None:
    article = "피부 관리 안내입니다.\n\n모든 시술은 부작용이 발생할 수 있습니다.\n"
    root = make_project(tmp_path, articles={"note": article}, settings=NOTICES)
    run(runner, root, "extract")
    approve_all_by_edit(runner, root, "note", "Skin care guide.")
    code, out = run(runner, root, "publish")
    assert code == 1
    assert 'the required notice is missing: "Article 56"' in out and "side effects" in out
    assert not (root / "content" / "en" / "note.md").exists()


def test_approval_is_refused_for_a_draft_with_a_wrong_number(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={"note": "효과는 3~6개월 지속됩니다.\n\n시술은 30분 걸립니다.\n"})
    run(runner, root, "extract")
    for entry, text in zip(
        entries(root, "note"), ("The effect lasts 3 to 6 months.", "It takes 20 minutes."), strict=True
    ):
        edit_entry(runner, root, entry, text)
    first, second = entries(root, "note")
    assert not first.fuzzy  # 3~6개월 = "3 to 6 months": approved
    assert second.fuzzy and "[error] numbers" in second.comment
    result = runner.invoke(app, ["-C", str(root), "review", "approve", polib_id(second), "--reviewer", "Kim"])
    assert result.exit_code == 1 and "numbers" in result.output
