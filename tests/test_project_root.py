"""A project is found as git finds a repository; `translate init` starts one; options go where people put them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.helpers import SAMPLE_SLUG, make_project
from translate.cli import app

CP949_ARTICLE = "피부 관리 안내입니다.\n".encode("cp949")


def invoke(*args: str, runner: CliRunner | None = None) -> Result:
    result = (runner or CliRunner()).invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


# --- finding the project ------------------------------------------------------------------------


def test_commands_run_from_a_subfolder_work_on_the_project_above(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "site")
    monkeypatch.chdir(root / "content" / "ko")
    result = invoke("extract")
    assert result.exit_code == 0, result.output
    assert (root / "po" / "en" / f"{SAMPLE_SLUG}.po").is_file()
    assert not (root / "content" / "ko" / "po").exists() and not (root / "content" / "ko" / ".translate.lock").exists()
    result = invoke("status")
    assert result.exit_code == 0 and SAMPLE_SLUG in result.output and "1 article page:" in result.output


def test_a_project_is_found_by_its_settings_whatever_its_content_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    (root / "articles" / "ko").mkdir(parents=True)
    (root / "articles" / "ko" / "note.md").write_text("피부 관리 안내입니다.\n", encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.translate]\ncontent_dir = "articles"\n', encoding="utf-8")
    (root / "docs").mkdir()
    monkeypatch.chdir(root / "docs")
    result = invoke("extract")
    assert result.exit_code == 0, result.output
    assert (root / "po" / "en" / "note.po").is_file()


@pytest.mark.parametrize(
    "command",
    [
        ("status",),
        ("extract",),
        ("draft",),
        ("publish",),
        ("review", "list"),
        ("review", "approve", "--all"),
        ("sync",),
    ],
)
def test_outside_any_project_commands_say_so_and_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    folder = tmp_path / "somewhere"
    folder.mkdir()
    (folder / "notes.md").write_text("메모입니다.\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    result = invoke(*command)
    assert result.exit_code == 2, result.output
    assert "not inside a translate project" in result.output and "translate init" in result.output
    assert str(folder) in result.output
    assert files_under(tmp_path) == {"somewhere", "somewhere/notes.md"}


def test_a_root_given_with_an_option_must_be_a_project(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    result = invoke("-C", str(folder), "status")
    assert result.exit_code == 2 and "not a translate project" in result.output and "init" in result.output
    assert files_under(folder) == set()


# --- translate init -----------------------------------------------------------------------------


def test_init_makes_a_project_that_the_other_commands_then_find(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = invoke("init")
    assert result.exit_code == 0, result.output
    for name in ("pyproject.toml", "glossary.yaml", "content/ko/", ".gitignore"):
        assert f"created {name}" in result.output
    assert "[tool.translate]" in (folder / "pyproject.toml").read_text(encoding="utf-8")
    ignored = (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".translate-cache/" in ignored and ".translate.lock" in ignored
    (folder / "content" / "ko" / "note.md").write_text("피부과 전문의 상담 안내입니다.\n", encoding="utf-8")
    monkeypatch.chdir(folder / "content" / "ko")
    assert invoke("extract").exit_code == 0
    listed = invoke("review", "list", "--all")
    assert "glossary: 피부과 전문의 = dermatologist" in listed.output  # the example entry is a working one
    nested = invoke("init")  # in content/ko: a project inside the project would be a mistake
    assert nested.exit_code == 2 and f"inside the project at {folder}" in nested.output
    assert sorted(p.name for p in (folder / "content" / "ko").iterdir()) == ["note.md"]


def test_init_never_clobbers_what_is_there(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    (folder / "content" / "ko").mkdir(parents=True)
    (folder / "pyproject.toml").write_text('[project]\nname = "site"\n', encoding="utf-8")
    (folder / ".gitignore").write_text("public/\n.translate-cache\n", encoding="utf-8")
    (folder / "glossary.yaml").write_text("terms: []\n", encoding="utf-8")
    result = invoke("-C", str(folder), "init", "--target", "en", "--target", "ja")
    assert result.exit_code == 0, result.output
    settings = (folder / "pyproject.toml").read_text(encoding="utf-8")
    assert settings.startswith('[project]\nname = "site"\n\n[tool.translate]') and '"en", "ja"' in settings
    assert (folder / ".gitignore").read_text(encoding="utf-8").startswith("public/\n.translate-cache\n\n")
    assert (folder / ".gitignore").read_text(encoding="utf-8").count(".translate-cache") == 1
    assert ".translate.lock" in (folder / ".gitignore").read_text(encoding="utf-8")
    assert (folder / "glossary.yaml").read_text(encoding="utf-8") == "terms: []\n"
    assert "kept glossary.yaml" in result.output and "kept content/ko/" in result.output
    assert invoke("-C", str(folder), "status").exit_code == 0
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    again = invoke("-C", str(folder), "init")
    assert "already a project; nothing was changed" in again.output
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_init_refuses_a_settings_file_it_cannot_read_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\n", encoding="utf-8")
    result = invoke("-C", str(tmp_path), "init")
    assert result.exit_code == 2 and "pyproject.toml" in result.output and "cannot parse" in result.output
    assert files_under(tmp_path) == {"pyproject.toml"}


def test_init_with_an_encoding_writes_the_setting(tmp_path: Path) -> None:
    result = invoke("-C", str(tmp_path), "init", "--encoding", "cp949")
    assert result.exit_code == 0, result.output
    (tmp_path / "content" / "ko" / "old.md").write_bytes(CP949_ARTICLE)
    assert 'encoding = "cp949"' in (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert invoke("-C", str(tmp_path), "extract").exit_code == 0


# --- global options and the encoding setting ----------------------------------------------------


def test_global_options_are_accepted_after_the_subcommand(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles={})
    (root / "content" / "ko" / "old.md").write_bytes(CP949_ARTICLE)
    refused = invoke("extract", "-C", str(root))
    assert refused.exit_code == 2 and "--encoding cp949" in refused.output  # -C after the command: found
    result = invoke("extract", "--encoding", "cp949", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert (root / "po" / "en" / "old.po").is_file()
    assert invoke("review", "list", "-C", str(root), "--encoding", "cp949").exit_code == 0
    assert invoke("status", f"--root={root}", "--encoding=cp949").exit_code == 0
    assert "No such option" not in invoke("tm", "export", str(tmp_path / "x.tmx"), "-C", str(root)).output


def test_the_encoding_setting_reads_legacy_articles(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles={}, settings='[tool.translate]\nencoding = "cp949"\n')
    (root / "content" / "ko" / "old.md").write_bytes(CP949_ARTICLE)
    (root / "content" / "ko" / "new.md").write_text("리프팅 시술 안내입니다.\n", encoding="utf-8")
    result = invoke("-C", str(root), "extract")
    assert result.exit_code == 0, result.output
    assert (root / "po" / "en" / "old.po").is_file() and (root / "po" / "en" / "new.po").is_file()


def test_an_unknown_encoding_setting_names_the_settings_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", settings='[tool.translate]\nencoding = "klingon"\n')
    result = invoke("-C", str(root), "status")
    assert result.exit_code == 2 and "pyproject.toml" in result.output and "'klingon'" in result.output


def test_one_unreadable_article_never_hides_the_status_table(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles={"good": "피부 관리 안내입니다.\n"})
    (root / "content" / "ko" / "old.md").write_bytes(CP949_ARTICLE)
    result = CliRunner().invoke(app, ["-C", str(root), "status"])
    assert result.exit_code == 2
    assert "good " in result.stdout and "1 article page: 1 not published" in result.stdout
    assert "1 article could not be read (below)" in result.stdout
    assert "old.md:1" in result.stderr and "--encoding cp949" in result.stderr
    as_json = CliRunner().invoke(app, ["-C", str(root), "status", "--json"])
    assert as_json.exit_code == 2 and '"article": "good"' in as_json.stdout


def test_flags_show_as_flags_in_help() -> None:
    for args in ([], ["status"], ["review", "approve"]):
        result = invoke(*args, "--help")
        assert "<bool>" not in result.output
    assert "--version " in invoke("--help").output
