"""The project lock: two translate processes never write the same files at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import make_project
from translate.errors import LockError
from translate.fileio import project_lock


def translate(root: Path, *args: str, wait: str = "0.3") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRANSLATE_LOCK_WAIT": wait}
    return subprocess.run([sys.executable, "-m", "translate", "-C", str(root), *args], capture_output=True,
                          text=True, env=env, check=False)  # fmt: skip


def test_a_second_process_waits_then_says_who_holds_the_lock(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    translate(root, "extract")
    po = root / "po" / "en" / "emface-lifting.po"
    before = po.read_bytes()
    for command in (("review", "edit", "a11b82c87f", "--text", "x", "--force"),):
        with project_lock(root, "publish"):
            result = translate(root, *command)
        assert result.returncode == 4, result.stderr
        assert "the project is busy: `translate publish`" in result.stderr
        assert f"process {os.getpid()}" in result.stderr and "Traceback" not in result.stderr
        assert po.read_bytes() == before
    assert translate(root, "review", "approve", "--all").returncode == 0  # released: the next run goes through


def test_read_only_commands_do_not_wait_for_the_lock(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    with project_lock(root, "draft"):
        assert translate(root, "status").returncode == 0


def test_the_lock_is_reentrant_and_released_on_errors(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), project_lock(tmp_path, "sync"), project_lock(tmp_path, "extract"):
        raise RuntimeError("boom")
    os.environ["TRANSLATE_LOCK_WAIT"] = "0"
    try:
        with project_lock(tmp_path, "publish"):
            pass
    finally:
        del os.environ["TRANSLATE_LOCK_WAIT"]


def test_a_held_lock_fails_fast_with_a_lock_error(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from translate.fileio import project_lock\n"
         f"with project_lock(Path({str(tmp_path)!r}), 'draft'):\n    print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        os.environ["TRANSLATE_LOCK_WAIT"] = "0.2"
        with pytest.raises(LockError, match="translate draft"), project_lock(tmp_path, "publish"):
            pass
    finally:
        os.environ.pop("TRANSLATE_LOCK_WAIT", None)
        holder.kill()
        holder.wait()
