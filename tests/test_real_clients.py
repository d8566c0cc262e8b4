"""Real clients as judges: GNU gettext, translate-toolkit and Hugo read what the tool writes.

CI installs all three (.ci/run): Debian's gettext and hugo, and translate-toolkit in a separate
virtual environment (.venv-ttk), since it ships a package also named ``translate``. Outside CI a
test whose tool is missing is skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import FIXTURES, ROOT, demo_copy, draft_with_server, entries, make_project, polib_id, run
from translate.cli import app

POFILTER = Path(os.environ.get("TTK_POFILTER", ROOT / ".venv-ttk" / "bin" / "pofilter"))


def tool(path: str | Path) -> str:
    found = shutil.which(str(path))
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{path} is not installed; .ci/run must install it")
        pytest.skip(f"{path} is not installed")
    return found


@pytest.fixture
def po_files(tmp_path: Path) -> list[Path]:
    """PO files in every state the tool writes: approved, draft with findings, rejected, obsolete."""
    runner = CliRunner()
    root = make_project(
        tmp_path / "site",
        articles={
            "note": "피부 관리 안내입니다.\n\n리프팅 시술은 30분 걸립니다.\n\n엠페이스의 특징입니다.\n",
        },
    )
    run(runner, root, "extract")
    draft_with_server(runner, root)
    first, second, _ = entries(root, "note")
    run(runner, root, "review", "approve", polib_id(first), "--force", "--reviewer", "Kim")
    run(runner, root, "review", "reject", polib_id(second), "--reason", 'the "number" is missing', "--reviewer", "Park")
    (root / "content" / "ko" / "note.md").write_text("피부 관리 안내입니다.\n\n새 문장입니다.\n", encoding="utf-8")
    run(runner, root, "extract")
    demo = demo_copy(tmp_path)
    return [root / "po" / "en" / "note.po", *sorted((demo / "po").rglob("*.po"))]


def test_msgfmt_check_accepts_every_po_file(po_files: list[Path]) -> None:
    msgfmt = tool("msgfmt")
    for path in po_files:
        result = subprocess.run(
            [msgfmt, "--check", "--statistics", "-o", os.devnull, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"{path}: {result.stderr}"


def test_translate_toolkit_reads_every_po_file(po_files: list[Path], tmp_path: Path) -> None:
    pofilter = tool(POFILTER)
    for path in po_files:
        out = tmp_path / f"{path.stem}.filtered.po"
        result = subprocess.run(
            [pofilter, "--progress=none", "-i", str(path), "-o", str(out)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0 and "Error" not in result.stderr, f"{path}: {result.stderr}"
        assert out.exists()


def test_hugo_builds_the_two_language_site_after_publish(tmp_path: Path) -> None:
    hugo = tool("hugo")
    demo = demo_copy(tmp_path)
    shutil.rmtree(demo / "content" / "en")
    result = CliRunner().invoke(app, ["-C", str(demo), "publish", "--article", "emface-lifting"])
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "hugo", site)
    shutil.copytree(demo / "content", site / "content")
    build = subprocess.run(
        [hugo, "--source", str(site), "--destination", str(site / "public")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0 and "ERROR" not in build.stdout + build.stderr, build.stdout + build.stderr
    english = (site / "public" / "en" / "emface-lifting" / "index.html").read_text(encoding="utf-8")
    assert (
        "<h1>Is facial aging only a skin problem? Emface lifting that also considers the expression muscles</h1>"
        in english
    )
    body = english.split("<h1>", 1)[1].split('<a class="translation"')[0]
    assert not re.search(r"[\uac00-\ud7a3]", body)
    assert 'hreflang="ko"' in english  # Hugo linked the two language versions (translationKey)
    korean = (site / "public" / "emface-lifting" / "index.html").read_text(encoding="utf-8")
    assert "<h1>얼굴 노화, 피부만의 문제일까요?" in korean
