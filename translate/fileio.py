"""Reading and atomically writing the project's text files."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from translate.errors import InputError


def atomic_write(path: Path, text: str, *, newline: str = "\n", bom: bool = False) -> None:
    """Write text to path so that a crash leaves either the old file or the new one, never half.

    The text is written to a temporary file in the same folder, fsynced, then renamed over path.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text if newline == "\n" else text.replace("\n", newline)
    payload = (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_if_changed(path: Path, text: str, *, newline: str = "\n", bom: bool = False) -> bool:
    """Atomically write text unless the file already holds exactly it; return whether it wrote."""
    data = text if newline == "\n" else text.replace("\n", newline)
    payload = (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8")
    if path.is_file() and path.read_bytes() == payload:
        return False
    atomic_write(path, text, newline=newline, bom=bom)
    return True


def read_text(path: Path) -> tuple[str, str, bool]:
    """Read a UTF-8 text file; return (text with LF line ends, original newline, had BOM)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror}).", path=path) from None
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    if b"\x00" in raw:
        raise InputError(
            "this is a binary file, not a text article; remove it or move it out of the folder.",
            path=path,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("cp949")
            hint = " It looks like Korean legacy encoding (CP949/EUC-KR): convert it with `iconv -f cp949 -t utf-8`."
        except UnicodeDecodeError:
            pass
        raise InputError(f"the file is not valid UTF-8.{hint}", path=path, line=line) from None
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.replace("\r\n", "\n"), newline, bom
