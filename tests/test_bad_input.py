"""Bad input gets one clear message, a documented exit code, no traceback, and changes no file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.bad_input.cases import CASES, GLOSSARY, GOOD_ARTICLE, Case
from tests.helpers import make_project
from tests.mt_server import LibreServer
from translate.cli import app


def snapshot(root: Path) -> dict[str, bytes]:
    files = {}
    for folder, dirnames, filenames in os.walk(root):
        # the links are checked by their own cases; the cache is derived data, never a user's file
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(folder, d)) and d != ".translate-cache"]
        for name in filenames:
            path = Path(folder) / name
            if name != ".translate.lock" and path.is_file() and not path.is_symlink():
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def lay_out(root: Path, case: Case) -> None:
    for relative, content in case.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    for relative, (old, new) in case.edits.items():
        text = (root / relative).read_text(encoding="utf-8")
        assert old in text, f"{relative} has no {old!r}"
        (root / relative).write_text(text.replace(old, new), encoding="utf-8")
    for relative, target in case.links.items():
        path = root / relative
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.is_file():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    for relative in case.fifos:
        path = root / relative
        path.unlink(missing_ok=True)
        os.mkfifo(path)


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 50
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bad_input(case: Case, tmp_path: Path) -> None:
    runner = CliRunner()
    root = make_project(tmp_path / "site", articles={"good": GOOD_ARTICLE}, glossary=GLOSSARY)
    assert runner.invoke(app, ["-C", str(root), "extract"]).exit_code == 0
    lay_out(root, case)
    before = snapshot(root)

    result = runner.invoke(app, ["-C", str(root), *case.command])

    assert result.exit_code == case.exit_code, result.output
    assert case.message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if case.exit_code == 2:
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(errors) == 1 and errors[0].startswith("error: "), result.stderr
    if not case.changes:
        assert snapshot(root) == before


def test_a_damaged_po_file_does_not_stop_the_other_articles(tmp_path: Path) -> None:
    runner = CliRunner()
    root = make_project(tmp_path / "site", articles={"good": GOOD_ARTICLE, "other": "다른 글입니다.\n"})
    assert runner.invoke(app, ["-C", str(root), "extract"]).exit_code == 0
    (root / "po" / "en" / "good.po").write_text('msgid "a"\nmsgstr "broken\n', encoding="utf-8")
    (root / "content" / "ko" / "other.md").write_text("다른 글입니다.\n\n새 문장입니다.\n", encoding="utf-8")
    result = runner.invoke(app, ["-C", str(root), "extract"])
    assert result.exit_code == 2 and "good.po:2: this line is not valid PO syntax" in result.output
    assert "새 문장입니다." in (root / "po" / "en" / "other.po").read_text(encoding="utf-8")


def test_a_damaged_po_file_does_not_stop_drafting_the_others(tmp_path: Path) -> None:
    runner = CliRunner()
    root = make_project(tmp_path / "site", articles={"good": GOOD_ARTICLE, "other": "다른 글입니다.\n"})
    assert runner.invoke(app, ["-C", str(root), "extract"]).exit_code == 0
    (root / "po" / "en" / "good.po").write_text('msgid "a"\nmsgstr "broken\n', encoding="utf-8")
    with LibreServer(translate=lambda q, source, target: "Another article.") as server:
        result = runner.invoke(app, ["-C", str(root), "draft", "--url", server.url])
    assert (
        result.exit_code == 2
        and "good.po:2" in result.output
        and "(the other 1 article was processed)" in result.output
    )
    assert 'msgstr "Another article."' in (root / "po" / "en" / "other.po").read_text(encoding="utf-8")


def test_a_bad_url_in_the_environment_is_an_engine_failure_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    root = make_project(tmp_path / "site", articles={"good": GOOD_ARTICLE}, glossary=GLOSSARY)
    assert runner.invoke(app, ["-C", str(root), "extract"]).exit_code == 0
    for url in ("http://[::1", "http://127.0.0.1:99999/", "http://127.0.0.1:abc/"):
        monkeypatch.setenv("LIBRETRANSLATE_URL", url)
        result = runner.invoke(app, ["-C", str(root), "draft"])
        assert result.exit_code == 3, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "libre: the server URL must start with http:// or https:// and name a server" in result.stderr
        assert "3 left untranslated" in result.output
