"""Nothing outside the project is read or written, nothing approved is lost, no file hangs a command.

Each test puts a file outside the project (next to it in tmp_path) and checks that it is untouched
after the command refuses, and that what stays inside the project still works (links included).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polib
from typer.testing import CliRunner, Result

from tests.helpers import make_project
from translate.cli import app

ARTICLE = "---\ntitle: 피부 관리 안내\n---\n\n피부 관리 안내입니다.\n\n두 번째 문장입니다.\n"
FIRST = "피부 관리 안내입니다."
TMX = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ko"/><body>'
    '<tu><tuv xml:lang="ko"><seg>피부 관리 안내입니다.</seg></tuv>'
    '<tuv xml:lang="en"><seg>A skin care guide.</seg></tuv></tu>'
    "</body></tmx>\n"
)


def invoke(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(app, ["-C", str(root), *args])
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))
    return result


def site(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "site", articles={"good": ARTICLE})
    assert invoke(root, "extract").exit_code == 0
    return root


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the lock ----------------------------------------------------------------------------------


def test_a_lock_file_that_is_a_link_is_never_followed(tmp_path: Path) -> None:
    root = site(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("someone's notes\n", encoding="utf-8")
    lock = root / ".translate.lock"
    lock.unlink()
    lock.symlink_to(victim)
    for command in (("extract",), ("review", "approve", "--all"), ("publish",)):
        result = invoke(root, *command)
        assert result.exit_code == 2 and "lock file is a symbolic link" in result.output, result.output
        assert victim.read_text(encoding="utf-8") == "someone's notes\n"
    lock.unlink()
    lock.symlink_to(tmp_path / "not-there.txt")  # a dangling link: nothing may be created at its target
    assert invoke(root, "extract").exit_code == 2
    assert not (tmp_path / "not-there.txt").exists()
    lock.unlink()
    assert invoke(root, "extract").exit_code == 0  # deleted as the message says: a plain lock again


def test_a_lock_file_hard_linked_to_another_file_is_refused(tmp_path: Path) -> None:
    root = site(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("someone's notes\n", encoding="utf-8")
    (root / ".translate.lock").unlink()
    os.link(victim, root / ".translate.lock")
    result = invoke(root, "extract")
    assert result.exit_code == 2 and "lock file is a hard link" in result.output
    assert victim.read_text(encoding="utf-8") == "someone's notes\n"


def test_a_lock_left_by_a_killed_command_is_taken_over_with_a_note(tmp_path: Path) -> None:
    root = site(tmp_path)
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(finished.stdout)
    (root / ".translate.lock").write_text(f"`translate sync` by kim (process {dead}) since 2026-01-01 10:00:00\n")
    result = invoke(root, "review", "approve", "--all")
    assert result.exit_code == 0, result.output
    assert f"took over the project lock from `translate sync` by kim (process {dead})" in result.stderr
    assert (root / ".translate.lock").read_text(encoding="utf-8") == ""  # released: the next run says nothing
    assert "took over" not in invoke(root, "extract").stderr


def test_a_lock_still_held_after_its_process_ended_says_what_to_do(tmp_path: Path) -> None:
    """An orphan of the killed command (a translate without the worker watch) holds the lock."""
    root = site(tmp_path)
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(finished.stdout)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time\n"
         f"handle = open({str(root / '.translate.lock')!r}, 'r+')\n"
         "fcntl.flock(handle, fcntl.LOCK_EX)\n"
         f"handle.write('`translate extract` by kim (process {dead}) since today\\n'); handle.flush()\n"
         "print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        env = {**os.environ, "TRANSLATE_LOCK_WAIT": "0.2"}
        result = subprocess.run(
            [sys.executable, "-m", "translate", "-C", str(root), "extract"], capture_output=True, text=True, env=env
        )
        assert result.returncode == 4 and "Traceback" not in result.stderr
        assert f"(process {dead})" in result.stderr and "That process has ended" in result.stderr
        assert "fuser -v" in result.stderr
    finally:
        holder.kill()
        holder.wait()


# --- settings and links ------------------------------------------------------------------------


def test_the_sweep_of_temporary_files_never_runs_through_a_link_outside(tmp_path: Path) -> None:
    root = site(tmp_path)
    outside = tmp_path / "outside"
    (root / "po").rename(outside)
    (root / "po").symlink_to(outside)
    (outside / ".notes.txt.1-1.translate-tmp").write_text("not ours\n", encoding="utf-8")
    before = files_under(outside)
    result = invoke(root, "review", "approve", "--all")
    assert result.exit_code == 2 and f"{root / 'po'}: it leads outside the project" in result.output
    assert files_under(outside) == before


def test_the_memory_folder_stays_inside_the_project(tmp_path: Path) -> None:
    memory = tmp_path / "memory.tmx"
    memory.write_text(TMX, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    root = site(tmp_path)
    for tm_dir in ("../outside", str(outside)):
        (root / "pyproject.toml").write_text(f"[tool.translate]\ntm_dir = {tm_dir!r}\n", encoding="utf-8")
        result = invoke(root, "tm", "import", str(memory))
        assert result.exit_code == 2 and f"tm_dir = {tm_dir!r} leads outside the project" in result.output
    (root / "pyproject.toml").unlink()
    (root / "tm").symlink_to(outside)
    result = invoke(root, "tm", "import", str(memory))
    assert result.exit_code == 2 and f"{root / 'tm'}: it leads outside the project" in result.output
    assert list(outside.iterdir()) == []

    (root / "tm").unlink()
    (root / "memories").mkdir()
    (root / "tm").symlink_to("memories")  # a link that stays inside is fine
    result = invoke(root, "tm", "import", str(memory))  # the file to import may be anywhere: it is only read
    assert result.exit_code == 0 and "1 added" in result.output
    assert (root / "memories" / "ko-en.tmx").is_file()
    (root / "memories" / "extra.tmx").symlink_to(memory)  # a memory file linked from outside is not read
    result = invoke(root, "review", "list")
    assert result.exit_code == 2 and "extra.tmx: it leads outside the project" in result.output


def test_the_caches_stay_inside_the_project(tmp_path: Path) -> None:
    root = site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    cache = root / ".translate-cache"
    for path in cache.iterdir():
        path.unlink()
    cache.rmdir()
    cache.symlink_to(outside)
    (root / "content" / "ko" / "good.md").write_text(ARTICLE + "\n세 번째 문장입니다.\n", encoding="utf-8")
    for command in (("extract",), ("status",), ("draft", "--url", "http://127.0.0.1:9/")):
        result = invoke(root, *command)
        assert result.exit_code == 2 and "it leads outside the project" in result.output, result.output
        assert "holds only derived data" in result.output
    assert list(outside.iterdir()) == []

    cache.unlink()
    cache.mkdir()
    victim = tmp_path / "victim.sqlite3"
    victim.write_bytes(b"someone's database")
    for name in ("mt.sqlite3", "mt.sqlite3-wal"):
        (cache / name).symlink_to(victim)
        result = invoke(root, "draft", "--url", "http://127.0.0.1:9/")
        assert result.exit_code == 2 and f"{name}: it leads outside the project" in result.output
        assert victim.read_bytes() == b"someone's database"
        (cache / name).unlink()


def test_align_rewrites_only_a_translation_page_inside_the_project(tmp_path: Path) -> None:
    root = site(tmp_path)
    source = root / "content" / "ko" / "good.md"
    outside = tmp_path / "outside.md"
    outside.write_text("# A skin care guide\n\nA skin care guide.\n\nThe second sentence.\n", encoding="utf-8")
    page = outside.read_text(encoding="utf-8")
    po_before = (root / "po" / "en" / "good.po").read_bytes()
    (root / "content" / "en").mkdir()
    (root / "content" / "en" / "linked.md").symlink_to(outside)
    for translation in (str(outside), "../outside.md", "content/en/linked.md"):
        result = invoke(root, "align", "content/ko/good.md", translation)
        assert result.exit_code == 2 and "leads outside the project" in result.output, result.output
    for translation in ("content/ko/good.md", "po/en/good.po", "glossary.yaml"):
        result = invoke(root, "align", "content/ko/good.md", translation)
        assert result.exit_code == 2 and "must be a Markdown page under content/<lang>/" in result.output
    assert outside.read_text(encoding="utf-8") == page and source.read_text(encoding="utf-8") == ARTICLE
    assert (root / "po" / "en" / "good.po").read_bytes() == po_before

    (root / "content" / "en" / "good.md").write_text(page, encoding="utf-8")
    result = invoke(root, "align", "content/ko/good.md", "content/en/good.md")
    assert result.exit_code == 0, result.output
    assert source.read_text(encoding="utf-8") == ARTICLE


def test_check_reads_nothing_outside_the_project(tmp_path: Path) -> None:
    root = site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "page.md").write_text("피부 관리 안내입니다.\n", encoding="utf-8")
    for argument in (str(outside), str(outside / "page.md"), str(root / ".." / "outside")):
        result = invoke(root, "check", argument)
        assert result.exit_code == 2 and "leads outside the project" in result.output, result.output
    (root / "content" / "en").mkdir()
    (root / "content" / "en" / "page.md").symlink_to(outside / "page.md")
    for arguments in ((), (str(root / "content" / "en"),)):
        result = invoke(root, "check", *arguments)
        assert result.exit_code == 2 and "page.md: it leads outside the project" in result.output
    (root / "content" / "en" / "page.md").unlink()
    result = invoke(root, "check", str(root / "po" / "en" / "good.po"))
    assert result.exit_code == 0, result.output


def test_links_that_stay_inside_the_project_work(tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "po").rename(root / "translations")
    (root / "po").symlink_to("translations")
    (root / "content" / "ko" / "alias.md").symlink_to("good.md")
    assert invoke(root, "extract").exit_code == 0
    assert invoke(root, "review", "approve", "--all").exit_code == 0
    assert (root / "translations" / "en" / "alias.po").is_file()


# --- nothing approved is lost ------------------------------------------------------------------


def test_an_obsolete_duplicate_never_replaces_the_approved_entry(tmp_path: Path) -> None:
    """A git merge can leave `msgid X` approved and `#~ msgid X` with another translation."""
    root = site(tmp_path)
    po = root / "po" / "en" / "good.po"
    catalog = polib.pofile(str(po))
    catalog.find(FIRST).msgstr = "A skin care guide."
    catalog.find(FIRST).tcomment = "approved by Kim on 2026-01-01T10:00:00Z"
    stale = polib.POEntry(msgid=FIRST, msgstr="An old translation.", obsolete=True)
    catalog.append(stale)
    catalog.save()
    assert po.read_text(encoding="utf-8").count(f'msgid "{FIRST}"') == 2

    assert invoke(root, "extract").exit_code == 0
    entries = [e for e in polib.pofile(str(po)) if e.msgid == FIRST]
    assert [(e.msgstr, e.obsolete) for e in entries] == [("A skin care guide.", 0)]
    assert "approved by Kim" in entries[0].tcomment and not entries[0].fuzzy
    assert "An old translation." not in po.read_text(encoding="utf-8")


def test_an_obsolete_duplicate_that_alone_holds_the_translation_is_kept(tmp_path: Path) -> None:
    root = site(tmp_path)
    po = root / "po" / "en" / "good.po"
    catalog = polib.pofile(str(po))
    catalog.append(polib.POEntry(msgid=FIRST, msgstr="A skin care guide.", obsolete=True,
                                 tcomment="approved by Kim on 2026-01-01T10:00:00Z"))  # fmt: skip
    catalog.save()
    assert invoke(root, "extract").exit_code == 0
    entries = [e for e in polib.pofile(str(po)) if e.msgid == FIRST]
    assert [(e.msgstr, e.obsolete, e.fuzzy) for e in entries] == [("A skin care guide.", 0, False)]
    rows = json.loads(invoke(root, "review", "list", "--all", "--json").output)
    assert next(r for r in rows if r["source"] == FIRST)["state"] == "approved"


# --- no hang, no traceback ---------------------------------------------------------------------


def test_a_fifo_a_link_loop_and_a_newline_name_are_reported_and_the_rest_extracted(tmp_path: Path) -> None:
    root = site(tmp_path)
    folder = root / "content" / "ko"
    os.mkfifo(folder / "pipe.md")
    (folder / "loop.md").symlink_to("loop.md")
    (folder / "line\nbreak.md").write_text("새 글입니다.\n", encoding="utf-8")
    (folder / "new.md").write_text("다른 새 글입니다.\n", encoding="utf-8")
    env = {**os.environ, "TRANSLATE_LOCK_WAIT": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "translate", "-C", str(root), "extract"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "3 articles could not be processed (the other 1 article was processed)" in result.stderr
    assert f"{folder / 'pipe.md'}: this is a named pipe (FIFO)" in result.stderr
    assert f"{folder / 'loop.md'}: it is a symbolic link that leads back to itself" in result.stderr
    assert f"{folder}/line\\nbreak.md: the file name holds a line break" in result.stderr
    assert "다른 새 글입니다." in (root / "po" / "en" / "new.po").read_text(encoding="utf-8")
    assert sorted(p.name for p in (root / "po" / "en").iterdir()) == ["good.po", "new.po"]
    status = subprocess.run(
        [sys.executable, "-m", "translate", "-C", str(root), "status"], capture_output=True, text=True, timeout=60
    )
    assert status.returncode == 2 and "Traceback" not in status.stderr and "3 articles could not" in status.stderr
