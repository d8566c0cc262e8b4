"""Reading and atomically writing the project's text files."""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import itertools
import os
import re
import stat
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from translate.errors import ConfigError, InputError, LockError, WriteError

TEMP_SUFFIX = ".translate-tmp"


def atomic_write(path: Path, text: str, *, newline: str = "\n", bom: bool = False, sync_folder: bool = True) -> None:
    """Write text to path so that a crash leaves either the old file or the new one, never half.

    The text is written to a temporary file in the same folder, fsynced, then renamed over path;
    the folder is fsynced too unless the caller does it once for many files (``sync_folder``).
    """
    write_bytes(path, encode(text, newline=newline, bom=bom), sync_folder=sync_folder)


def encode(text: str, *, newline: str = "\n", bom: bool = False) -> bytes:
    """The bytes of a text file: UTF-8, with the given line ends and optional BOM."""
    data = text if newline == "\n" else text.replace("\n", newline)
    return (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8")


def write_bytes(path: Path, payload: bytes, *, sync_folder: bool = True) -> None:
    """:func:`atomic_write` for bytes already encoded."""
    _write_pieces(path, (payload,), sync_folder=sync_folder)


def atomic_write_pieces(path: Path, pieces: Iterable[str], *, sync_folder: bool = True) -> None:
    """:func:`atomic_write` of a UTF-8 text with LF line ends made in pieces, each written as it comes:
    the text is never whole in memory."""
    _write_pieces(path, _encoded(pieces), sync_folder=sync_folder)


def _encoded(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[bytes]:
    """The pieces encoded as UTF-8, a few together (about ``size`` characters at a time)."""
    pending: list[str] = []
    count = 0
    for piece in pieces:
        pending.append(piece)
        count += len(piece)
        if count >= size:
            yield "".join(pending).encode("utf-8")
            pending.clear()
            count = 0
    if pending:
        yield "".join(pending).encode("utf-8")


def _write_pieces(path: Path, payload: Iterable[bytes], *, sync_folder: bool = True) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temp(path)
        try:
            with os.fdopen(fd, "wb") as handle:
                for piece in payload:
                    handle.write(piece)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise WriteError(
            f"cannot write the file ({exc.strerror or exc}); check the free disk space and the folder's "
            "permissions, then run the command again (the file was left as it was).",
            path=path,
        ) from None
    if sync_folder:
        sync_folders([path.parent])


_temp_numbers = itertools.count()


def _create_temp(path: Path) -> tuple[int, str]:
    """A new file next to path, named .<name>.<pid>-<n>.translate-tmp (the lock sweeps stale ones);
    created like any file the user writes (0666 less the umask), unlike mkstemp's 0600."""
    while True:
        tmp = f"{path.parent}/.{path.name}.{os.getpid()}-{next(_temp_numbers)}{TEMP_SUFFIX}"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue


def sync_folders(folders: Iterable[Path]) -> None:
    """fsync folders, so the renames in them survive a power cut (best effort: not every OS can)."""
    for folder in folders:
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


class WriteBatch:
    """Atomic writes of many files, whose fsyncs wait on the disk in background threads while the
    caller goes on computing the next file.

    Each file is written exactly as :func:`atomic_write` does; leaving the block waits for every
    write, fsyncs each folder once and raises the first error. Use it only where no step depends
    on a queued file being on disk before the block ends.
    """

    def __init__(self, threads: int = 4, pending: int = 64) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="write")
        self._slots = threading.BoundedSemaphore(pending)  # bounds the texts held in memory
        self._futures: list[Future[None]] = []
        self._folders: set[Path] = set()

    def write(self, path: Path, text: str, *, newline: str = "\n", bom: bool = False) -> None:
        """Queue an atomic write of text to path."""
        self.write_bytes(path, encode(text, newline=newline, bom=bom))

    def write_bytes(self, path: Path, payload: bytes) -> None:
        """Queue an atomic write of bytes to path."""
        self._slots.acquire()
        self._folders.add(path.parent)
        future = self._pool.submit(write_bytes, path, payload, sync_folder=False)
        future.add_done_callback(lambda _: self._slots.release())
        self._futures.append(future)

    def __enter__(self) -> WriteBatch:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        self._pool.shutdown(wait=True)
        sync_folders(sorted(self._folders))
        errors = [error for future in self._futures if (error := future.exception()) is not None]
        if errors and exc_type is None:  # an error raised inside the block wins
            raise errors[0]


def write_if_changed(
    path: Path, text: str, *, newline: str = "\n", bom: bool = False, batch: WriteBatch | None = None
) -> bool:
    """Atomically write text (queued on ``batch`` when given) unless the file already holds exactly
    it; return whether it writes."""
    payload = encode(text, newline=newline, bom=bom)
    if path.is_file() and path.read_bytes() == payload:
        return False
    if batch is not None:
        batch.write_bytes(path, payload)
    else:
        write_bytes(path, payload)
    return True


def write_pieces_if_changed(path: Path, pieces: Iterable[str]) -> bool:
    """Atomically write a UTF-8 text with LF line ends, made in pieces, unless the file already holds
    exactly it (read as ``Path.read_text`` reads it); return whether it writes. Neither the text nor
    the file is ever whole in memory: the pieces are compared with the file as they come, and from
    the first difference on written after the part that was the same."""
    pieces = iter(pieces)
    matched = 0
    try:
        handle = open(path, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115 - closed below
    except OSError:
        atomic_write_pieces(path, pieces)
        return True
    with handle:
        for piece in pieces:
            if handle.read(len(piece)) != piece:
                break
            matched += len(piece)
        else:
            if not handle.read(1):
                return False
            piece = ""

    def text() -> Iterator[str]:
        with open(path, encoding="utf-8", errors="surrogateescape") as same:  # the part that was the same
            left = matched
            while left:
                block = same.read(min(left, 1 << 16))
                if not block:
                    raise OSError(f"the file changed while it was read ({path})")
                yield block
                left -= len(block)
        yield piece
        yield from pieces

    atomic_write_pieces(path, text())
    return True


_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFDIR: "a folder", stat.S_IFSOCK: "a socket"}


def open_regular(path: Path) -> BinaryIO:
    """A regular file, open for reading. Anything else (a named pipe, a device, a socket, a folder)
    is refused without waiting on it: opened non-blocking, it cannot hang the command."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror}).", path=path) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = _KINDS.get(stat.S_IFMT(mode), "a device")
        raise InputError(
            f"this is {kind}, not a file translate can read; remove it or move it out of the folder.", path=path
        )
    return os.fdopen(fd, "rb")


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file (see :func:`open_regular`)."""
    with open_regular(path) as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror}).", path=path) from None


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str, bool]:
    """Read a text file as UTF-8, else as ``encoding`` (a legacy one such as cp949) when given;
    return (text with LF line ends, original newline, had BOM)."""
    raw = read_regular(path)
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError('the file is UTF-16 encoded; save it as UTF-8 (any editor\'s "Save as" offers it).', path=path)
    if b"\x00" in raw:
        raise InputError(
            "this is a binary file, not a text article; remove it or move it out of the folder.",
            path=path,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if encoding is not None:
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    f"the file is neither UTF-8 nor {encoding}; check its encoding.", path=path, line=line
                ) from None
            newline = "\r\n" if "\r\n" in text else "\n"
            return text.replace("\r\n", "\n"), newline, bom
        hint = ""
        try:
            raw.decode("cp949")
            hint = (
                " It looks like Korean legacy encoding (CP949/EUC-KR): run the command with --encoding cp949, "
                "or convert the file with `iconv -f cp949 -t utf-8`."
            )
        except UnicodeDecodeError:
            pass
        raise InputError(f"the file is not valid UTF-8.{hint}", path=path, line=line) from None
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.replace("\r\n", "\n"), newline, bom


# Bytes: a larger file is read by read_lines a block at a time, never whole in memory.
WHOLE_FILE = 1 << 20
READ_BLOCK = 1 << 20


def read_lines(path: Path) -> Iterable[str]:
    """The lines of a UTF-8 text file, ``read_text(path)[0].split("\\n")`` (that list, for a small
    file), with read_text's errors (raised before the first line). A large file is checked in one pass
    over its bytes, then read again line by line: its text is never whole in memory."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
    if size < WHOLE_FILE:
        return read_text(path)[0].split("\n")
    _check_utf8(path)
    return _utf8_lines(path)


def _check_utf8(path: Path) -> None:
    """read_text's checks of a file, made a block at a time: UTF-16, binary, valid UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    error: tuple[int, int] | None = None  # the first invalid byte's offset (after a BOM) and line
    newlines = 0
    read = 0  # bytes handed to the decoder
    with open_regular(path) as handle:
        first = handle.read(max(READ_BLOCK, 5))  # enough for a BOM and a UTF-16 one
        data = first[3:] if first.startswith(b"\xef\xbb\xbf") else first
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(
                'the file is UTF-16 encoded; save it as UTF-8 (any editor\'s "Save as" offers it).', path=path
            )
        data = data or handle.read(READ_BLOCK)
        while data:
            if b"\x00" in data:
                raise InputError(
                    "this is a binary file, not a text article; remove it or move it out of the folder.", path=path
                )
            if error is None:
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(data)
                except UnicodeDecodeError as exc:
                    at = exc.start - pending  # in data (a character begun in the block before: negative)
                    error = (read + at, newlines + data.count(b"\n", 0, max(at, 0)) + 1)
            newlines += data.count(b"\n")
            read += len(data)
            data = handle.read(READ_BLOCK)
        if error is None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                error = (read - len(decoder.getstate()[0]) + exc.start, newlines + 1)
    if error is not None:
        hint = ""
        if _decodes(path, "cp949"):
            hint = (
                " It looks like Korean legacy encoding (CP949/EUC-KR): run the command with --encoding cp949, "
                "or convert the file with `iconv -f cp949 -t utf-8`."
            )
        raise InputError(f"the file is not valid UTF-8.{hint}", path=path, line=error[1])


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the file (after a UTF-8 BOM) is valid in ``encoding``."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open_regular(path) as handle:
        data = handle.read(max(READ_BLOCK, 3))
        data = (data[3:] if data.startswith(b"\xef\xbb\xbf") else data) or handle.read(READ_BLOCK)
        try:
            while data:
                decoder.decode(data)
                data = handle.read(READ_BLOCK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _utf8_lines(path: Path) -> Iterator[str]:
    """The lines of a file already checked (UTF-8, no NUL), without their LF (and a CR before it)."""
    with open_regular(path) as handle:
        ended = True  # an empty file, or one ending with LF, has an empty last line
        for number, raw in enumerate(handle):
            line = raw.decode("utf-8")
            if number == 0 and line.startswith("\ufeff"):
                line = line[1:]
            ended = line.endswith("\n")
            if ended:
                line = line[:-2] if line.endswith("\r\n") else line[:-1]
            yield line
        if ended:
            yield ""


LOCK_FILE = ".translate.lock"
LOCK_WAIT_ENV = "TRANSLATE_LOCK_WAIT"
_held: dict[Path, int] = {}
_threads: dict[Path, threading.RLock] = {}  # within a process, one thread at a time holds a project's lock
_threads_guard = threading.Lock()
_HOLDER_PID_RE = re.compile(r"\(process (\d+)\)")


def _open_lock(path: Path) -> int:
    """The lock file, opened for writing without ever following a link: a lock file that is a
    symbolic link, a hard link or not a regular file would make the lock empty another file."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    link = "a symbolic link (a cloned repository can ship one that points at a file elsewhere)"
    refusal = (
        "the project's lock file is {what}; translate never writes through it. Delete it (only this name, not "
        "what it points to) and run the command again: translate creates a plain one."
    )
    try:
        if os.path.islink(path):
            raise ConfigError(refusal.format(what=link), path=path)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if os.path.islink(path):
            raise ConfigError(refusal.format(what=link), path=path) from None
        raise WriteError(
            f"cannot open the project's lock file ({exc.strerror}); check the folder's permissions.", path=path
        ) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        what = "not a regular file" if not stat.S_ISREG(info.st_mode) else "a hard link shared with another file"
        raise ConfigError(refusal.format(what=what), path=path)
    return fd


def _holder_gone(holder: str) -> int | None:
    """The process number recorded in the lock file when that process no longer exists."""
    match = _HOLDER_PID_RE.search(holder)
    if match is None:
        return None
    pid = int(match.group(1))
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return pid
    except OSError:  # it exists but belongs to someone else
        return None
    return None


@contextlib.contextmanager
def project_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the project's write lock while a command reads, changes and writes its files.

    A second process waits (``$TRANSLATE_LOCK_WAIT`` seconds, default 10), then fails naming who
    holds the lock. Re-entrant within a process, so a command may call other locked stages. The
    lock is the kernel's (flock): it ends with the processes holding it, so the lock of a command
    that was killed is taken over by the next one, which says so. The lock file is never followed
    through a link.
    """
    root = root.resolve()
    with _threads_guard:
        local = _threads.setdefault(root, threading.RLock())
    # another thread of this process (the review server drafting while a reviewer decides) waits here
    if not local.acquire(timeout=float(os.environ.get(LOCK_WAIT_ENV, "10"))):
        raise LockError("the project is busy: another task of this process is writing it. Try again in a moment.")
    try:
        with _flock(root, command):
            yield
    finally:
        local.release()


@contextlib.contextmanager
def _flock(root: Path, command: str) -> Iterator[None]:
    """The kernel's lock on the project's lock file (re-entrant within the thread that holds it)."""
    if _held.get(root):
        _held[root] += 1
        try:
            yield
        finally:
            _held[root] -= 1
        return
    path = root / LOCK_FILE
    handle = open(_open_lock(path), "r+", encoding="utf-8")  # noqa: SIM115 - held for the whole block
    try:
        deadline = time.monotonic() + float(os.environ.get(LOCK_WAIT_ENV, "10"))
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another translate process"
                    gone = _holder_gone(holder)
                    if gone is not None:
                        raise LockError(
                            f"the project is busy: {holder}. That process has ended, but a process it started "
                            f"still holds the lock: find it with `fuser -v {path}`, end it, and run the command "
                            "again.",
                        ) from None
                    raise LockError(
                        f"the project is busy: {holder}. Wait for it to finish and run the command again "
                        f"(if no translate process is running, the lock is stale: delete {path}).",
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        previous = handle.read().strip()
        if previous:  # its holder ended without releasing it: killed, or the machine stopped
            print(
                f"note: took over the project lock from {previous}: that command ended without releasing it "
                "(it was killed, or the machine stopped). Every file it wrote is whole: writes are atomic.",
                file=sys.stderr,
            )
        handle.seek(0)
        handle.truncate()
        user = os.environ.get("USER") or os.environ.get("USERNAME") or "someone"
        started = time.strftime("%Y-%m-%d %H:%M:%S")
        handle.write(f"`translate {command}` by {user} (process {os.getpid()}) since {started}\n")
        handle.flush()
        _held[root] = 1
        try:
            yield
        finally:
            _held.pop(root, None)
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()
