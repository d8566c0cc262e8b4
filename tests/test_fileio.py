"""Atomic writes: alone and in a background batch; failures name the file and leave nothing behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from translate.errors import WriteError
from translate.fileio import TEMP_SUFFIX, WriteBatch, atomic_write


def test_a_written_file_has_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.po", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.po").stat().st_mode) == 0o644  # readable by a web server, as Hugo output


def test_a_failed_write_names_the_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "po").write_text("a file where a folder should be")
    with pytest.raises(WriteError, match=r"po/en\.po: cannot write the file"):
        atomic_write(tmp_path / "po" / "en.po", "x")
    assert not list(tmp_path.rglob(f"*{TEMP_SUFFIX}"))


def test_a_folder_without_write_permission_is_named_and_the_file_kept(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "a.po").write_text("old")
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(WriteError, match="permission"):
            atomic_write(folder / "a.po", "new")
    finally:
        folder.chmod(0o700)
    assert (folder / "a.po").read_text() == "old"
    assert not list(tmp_path.rglob(f"*{TEMP_SUFFIX}"))


def test_a_batch_writes_every_file_and_then_raises_the_first_error(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("not a folder")
    with pytest.raises(WriteError, match="blocked"), WriteBatch(pending=4) as batch:
        for i in range(20):
            batch.write(tmp_path / "out" / f"{i}.po", f"text {i}\n")
        batch.write(tmp_path / "blocked" / "x.po", "x")
        batch.write(tmp_path / "out" / "last.po", "last\n")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted([*(f"{i}.po" for i in range(20)), "last.po"])
    assert (tmp_path / "out" / "7.po").read_text() == "text 7\n"
    assert not list(tmp_path.rglob(f"*{TEMP_SUFFIX}"))


def test_an_error_inside_the_batch_block_wins_and_queued_writes_still_finish(tmp_path: Path) -> None:
    with pytest.raises(KeyError), WriteBatch() as batch:
        batch.write(tmp_path / "a.po", "a")
        raise KeyError("stop")
    assert (tmp_path / "a.po").read_text() == "a"
