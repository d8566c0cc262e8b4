"""Published pages: hand edits are never overwritten; status and --check for editors and CI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tests.helpers import (
    CARE_ARTICLE,
    CARE_TRANSLATIONS,
    FIXTURES,
    SAMPLE_SLUG,
    approve_translations,
    edit_source,
    make_project,
    page,
    published_site,
    run,
    status_row,
)
from translate.model import segment_id
from translate.pages import is_ours, page_field, page_hash, stamp


def test_a_published_page_carries_the_hash_of_its_own_content(runner: CliRunner, tmp_path: Path) -> None:
    root = published_site(runner, tmp_path / "site")
    text = page(root).read_text(encoding="utf-8")
    assert page_field(text, "translationHash") == page_hash(text) and is_ours(text)
    assert not is_ours(text.replace("Every procedure", "Each procedure"))
    plain = "---\ntitle: x\n---\nbody\n"
    assert stamp(plain) == f'---\ntitle: x\ntranslationHash: "{page_hash(plain)}"\n---\nbody\n'


def test_publish_never_overwrites_a_page_edited_by_hand(runner: CliRunner, tmp_path: Path) -> None:
    root = published_site(runner, tmp_path / "site")
    edited = page(root).read_text(encoding="utf-8").replace("Every procedure", "Each procedure")
    page(root).write_text(edited, encoding="utf-8")
    assert status_row(runner, root)["page"] == "edited by hand" and status_row(runner, root)["next"] == "absorb"

    # the translation changes in the PO file too: publishing now would overwrite the hand edit
    kept = "시술 전에는 충분한 상담이 필요합니다."
    run(runner, root, "review", "edit", segment_id(kept), "--text", "Consult us first.", "--force")
    code, out = run(runner, root, "publish")
    assert code == 1 and "was edited by hand" in out and "translate absorb care --lang en" in out
    assert page(root).read_text(encoding="utf-8") == edited


def test_a_page_that_translate_did_not_write_is_not_overwritten(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "site", settings='[tool.translate]\nfront_matter_keys = ["title", "tags", "author"]\n'
    )
    page(root, SAMPLE_SLUG).parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "emface-lifting.en-2025.md", page(root, SAMPLE_SLUG))
    run(runner, root, "extract")
    row = status_row(runner, root)
    assert row["page"] == "edited by hand" and row["next"] == "align"
    for entry in json.loads(run(runner, root, "review", "list", "--json")[1]):
        run(runner, root, "review", "edit", entry["id"], "--text", "Text under Article 56.", "--force")
    code, out = run(runner, root, "publish")
    assert code == 1 and "not written by translate" in out and "translate align" in out
    assert page(root, SAMPLE_SLUG).read_bytes() == (FIXTURES / "emface-lifting.en-2025.md").read_bytes()


def test_status_tells_each_page_state_apart(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles={"care": CARE_ARTICLE})
    run(runner, root, "extract")
    assert status_row(runner, root)["page"] == "not published"
    approve_translations(runner, root, CARE_TRANSLATIONS)
    assert status_row(runner, root)["page"] == "not published" and status_row(runner, root)["next"] == "publish"
    run(runner, root, "publish")
    assert status_row(runner, root) | {} == status_row(runner, root)
    assert status_row(runner, root)["page"] == "up to date" and status_row(runner, root)["stale"] is False
    run(runner, root, "review", "edit", segment_id("리프팅 안내"), "--text", "Lifting", "--force")
    assert status_row(runner, root)["page"] == "translation changed" and status_row(runner, root)["next"] == "publish"
    run(runner, root, "publish")
    edit_source(root, CARE_ARTICLE.replace("리프팅 안내", "리프팅 시술 안내"))
    assert status_row(runner, root)["page"] == "source changed" and status_row(runner, root)["next"] == "extract"


def test_status_check_fails_when_anything_is_stale(runner: CliRunner, tmp_path: Path) -> None:
    root = published_site(runner, tmp_path / "site")
    code, out = run(runner, root, "status", "--check")
    assert code == 0 and "1 up to date" in out
    edit_source(root, CARE_ARTICLE + "\n새 문장입니다.\n")
    code, out = run(runner, root, "status", "--check")
    assert code == 1 and "stale: care [en]: source changed, next: translate extract" in out
    assert "1 source changed" in out


def test_the_pre_commit_hook_runs_status_check() -> None:
    import yaml

    [hook] = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "translate status --check" and hook["pass_filenames"] is False
    assert hook["language"] == "python"
