"""The terminal review (`translate review` with no subcommand) says what each answer did."""

from __future__ import annotations

import sys
from pathlib import Path

import polib
from typer.testing import CliRunner, Result

from tests.helpers import draft_with_server, entries, make_project, run
from translate.cli import SCISSORS, app

ARTICLES = {"note": "피부 관리 안내입니다.\n\n리프팅 시술 안내입니다.\n\n엠페이스 상담 안내입니다.\n"}

# An editor: saves the buffer it was given next to itself, then writes what EDIT_TEXT says above the
# comment lines (or changes nothing when EDIT_TEXT is empty).
EDITOR = """\
import os, sys
path = sys.argv[-1]
buffer = open(path, encoding="utf-8").read()
with open(os.environ["SEEN"], "a", encoding="utf-8") as seen:
    seen.write(buffer + "\\n=====\\n")
text = os.environ.get("EDIT_TEXT", "")
if text:
    first, rest = buffer.split("\\n", 1)
    open(path, "w", encoding="utf-8").write(text + "\\n" + rest)
"""


def drafted(tmp_path: Path, runner: CliRunner) -> Path:
    root = make_project(tmp_path / "site", articles=ARTICLES)
    run(runner, root, "extract")
    draft_with_server(runner, root)
    return root


def fake_editor(tmp_path: Path, name: str = "fake-editor") -> Path:
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f"#!{sys.executable}\n{EDITOR}", encoding="utf-8")
    script.chmod(0o755)
    return script


def walk(root: Path, answers: str, env: dict[str, str | None]) -> Result:
    result = CliRunner().invoke(app, ["-C", str(root), "review", "--reviewer", "Kim"], input=answers, env=env)
    assert "Traceback" not in result.output, result.output
    return result


def by_source(root: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in entries(root, "note")}


def test_each_answer_says_what_it_did_and_the_walk_ends_with_a_summary(tmp_path: Path, runner: CliRunner) -> None:
    root = drafted(tmp_path, runner)
    editor = fake_editor(tmp_path)
    seen = tmp_path / "seen.txt"
    # 1: an edit with a number the Korean does not have: kept as a draft with the finding;
    # 2: rejected with a reason; 3: skipped.
    env = {"VISUAL": None, "EDITOR": str(editor), "SEEN": str(seen), "EDIT_TEXT": "Skin care for 30 days."}
    result = walk(root, "e\nr\ntoo literal\ns\n", env)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "done:" not in out
    assert "kept as a draft: " in out and "a check found something in it" in out and "numbers" in out
    assert "rejected: " in out and "(back to the translator: too literal)" in out
    assert "skipped: " in out
    assert "Reviewed 3 of 3 segments: 1 kept as a draft, 1 rejected, 1 skipped." in out
    entries_now = by_source(root)
    edited = entries_now["피부 관리 안내입니다."]
    assert edited.msgstr == "Skin care for 30 days." and edited.fuzzy and "edited by Kim" in edited.tcomment
    assert "rejected by Kim" in entries_now["리프팅 시술 안내입니다."].tcomment


def test_the_editor_shows_source_glossary_and_findings_as_comments_that_are_not_saved(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = drafted(tmp_path, runner)
    editor = fake_editor(tmp_path)
    seen = tmp_path / "seen.txt"
    env = {"VISUAL": f"{editor} --wait", "EDITOR": None, "SEEN": str(seen), "EDIT_TEXT": "Skin care guide."}
    result = walk(root, "e\nq\n", env)
    assert result.exit_code == 0, result.output
    buffer = seen.read_text(encoding="utf-8").split("\n=====\n")[0]
    text, comments = buffer.split(SCISSORS + "\n")
    assert text == "Translated text about skin.\n\n"  # the draft, ready to edit, on the first line
    assert "# source: 피부 관리 안내입니다.\n" in comments and "# glossary: 피부 = skin\n" in comments
    assert all(line.startswith("# ") for line in comments.splitlines())
    assert "approved your edit: " in result.output
    approved = by_source(root)["피부 관리 안내입니다."]
    assert approved.msgstr == "Skin care guide." and not approved.fuzzy  # no comment line in the translation
    assert "Reviewed 1 of 3 segments: 1 approved; 2 not reached." in result.output
    assert "fake-editor ($VISUAL)" in result.output  # the prompt names the editor it opens


def test_findings_of_the_draft_are_comment_lines_too(tmp_path: Path, runner: CliRunner) -> None:
    root = make_project(tmp_path / "site", articles={"note": "시술은 30분 걸립니다.\n"})
    run(runner, root, "extract")
    run(runner, root, "review", "edit", "--article", "note", first_id(root), "--text", "It takes 20 minutes.")
    editor = fake_editor(tmp_path)
    seen = tmp_path / "seen.txt"
    walk(root, "e\n", {"VISUAL": None, "EDITOR": str(editor), "SEEN": str(seen), "EDIT_TEXT": ""})
    comments = seen.read_text(encoding="utf-8").split(SCISSORS)[1]
    assert "# error numbers: " in comments


def first_id(root: Path) -> str:
    from translate.model import segment_id

    return segment_id(entries(root, "note")[0].msgid)


def test_leaving_the_editor_without_a_change_says_so(tmp_path: Path, runner: CliRunner) -> None:
    root = drafted(tmp_path, runner)
    editor = fake_editor(tmp_path)
    before = (root / "po" / "en" / "note.po").read_bytes()
    env = {"VISUAL": None, "EDITOR": str(editor), "SEEN": str(tmp_path / "seen.txt"), "EDIT_TEXT": ""}
    result = walk(root, "e\nq\n", env)
    assert "you left the translation as it was, so nothing was saved" in result.output
    assert "Reviewed 1 of 3 segments: 1 skipped; 2 not reached." in result.output
    assert (root / "po" / "en" / "note.po").read_bytes() == before


def test_approving_says_approved_and_declining_the_override_says_why_it_stays_a_draft(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = make_project(tmp_path / "site", articles={"note": "시술은 30분 걸립니다.\n\n피부 관리 안내입니다.\n"})
    run(runner, root, "extract")
    entry_ids = [first_id(root)]
    run(runner, root, "review", "edit", "--article", "note", entry_ids[0], "--text", "It takes 20 minutes.")
    draft_with_server(runner, root)
    result = walk(root, "a\nn\na\n", {"VISUAL": None, "EDITOR": "true"})
    assert result.exit_code == 0, result.output
    assert "stays a draft because of its findings (numbers)" in result.output
    assert "\napproved: " in result.output
    assert "Reviewed 2 of 2 segments: 1 approved, 1 kept as a draft." in result.output
    assert "`translate publish`" in result.output


def test_without_editor_variables_a_sensible_editor_is_found_and_named(tmp_path: Path, runner: CliRunner) -> None:
    root = drafted(tmp_path, runner)
    nano = fake_editor(tmp_path, "nano")
    seen = tmp_path / "seen.txt"
    env = {
        "VISUAL": None,
        "EDITOR": None,
        "PATH": str(nano.parent),
        "SEEN": str(seen),
        "EDIT_TEXT": "Skin care guide.",
    }
    result = walk(root, "e\nq\n", env)
    assert "[e]dit in nano (set $EDITOR to choose)" in result.output
    assert seen.is_file() and by_source(root)["피부 관리 안내입니다."].msgstr == "Skin care guide."
    (tmp_path / "bin" / "sensible-editor").symlink_to(nano)
    result = walk(root, "q\n", env)
    assert "[e]dit in sensible-editor (set $EDITOR to choose)" in result.output


def test_no_editor_at_all_is_said_not_a_crash(tmp_path: Path, runner: CliRunner) -> None:
    root = drafted(tmp_path, runner)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = walk(root, "e\nq\n", {"VISUAL": None, "EDITOR": None, "PATH": str(empty)})
    assert result.exit_code == 0, result.output
    assert "(no editor found)" in result.output and "set $EDITOR" in result.output
    assert "review edit " in result.output and "--text" in result.output


def test_end_of_input_still_prints_the_summary(tmp_path: Path, runner: CliRunner) -> None:
    root = drafted(tmp_path, runner)
    result = walk(root, "s\n", {"VISUAL": None, "EDITOR": "true"})
    assert result.exit_code == 0, result.output
    assert "Reviewed 1 of 3 segments: 1 skipped; 2 not reached." in result.output
