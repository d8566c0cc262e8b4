"""Per-article work spread over processes, in chunks, once there is enough of it to pay.

``work(state, slugs)`` handles one chunk of articles and returns one result per article; ``setup``
builds its state (the project, a glossary...) once per process. Both must be module-level
functions, so that worker processes can find them.

Workers end with the command that started them, even when it is killed (SIGKILL) and cannot tell
them: each watches its parent and exits once the parent is gone, so no orphan keeps the project
lock or the command's output open.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

S = TypeVar("S")
R = TypeVar("R")

WATCH_INTERVAL = 0.1  # seconds between a worker's checks that its parent is still there
# Articles before the work is spread over processes. Measured (2 cores): the workers cost ~0.1 s
# of CPU more than one process (each imports the parser and runs setup); an article ~3 ms. Idle,
# processes win from ~30 articles; on a busy machine one process still won at 128.
PARALLEL_FROM = 64
CHUNK = 16  # articles one process handles in one go (its files are written in the background)

_state: Any = None
_setup_error: Exception | None = None  # what setup raised in this worker: raised again for each chunk


def map_chunks(
    work: Callable[[S, list[str]], list[R]],
    slugs: Sequence[str],
    setup: Callable[..., S],
    *args: Any,
) -> list[R]:
    """work's results for every article, in order: in one process for a few articles, else in one
    per CPU. No article: no setup either, so a run with nothing to do reads and imports nothing for it."""
    if not slugs:
        return []
    chunks = [list(slugs[i : i + CHUNK]) for i in range(0, len(slugs), CHUNK)]
    if len(slugs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        state = setup(*args)
        return [result for chunk in chunks for result in work(state, chunk)]
    from concurrent.futures import ProcessPoolExecutor  # here: a command with nothing to do starts faster

    with ProcessPoolExecutor(initializer=_start, initargs=(os.getpid(), setup, args)) as pool:
        return [result for done in pool.map(functools.partial(_run, work), chunks) for result in done]


def _start(parent: int, setup: Callable[..., Any], args: tuple[Any, ...]) -> None:
    global _state, _setup_error
    watch_parent(parent)
    try:
        _state = setup(*args)
    except Exception as exc:  # a bad glossary, say: the command reports it as it does without workers
        _setup_error = exc


def watch_parent(parent: int) -> None:
    """End this process as soon as ``parent`` is no longer its parent (it died and the process was
    handed to another): checked now, then every WATCH_INTERVAL by a daemon thread. Files being
    written are written atomically, so stopping at any moment leaves each whole or untouched."""
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _run(work: Callable[[Any, list[str]], list[R]], chunk: list[str]) -> list[R]:
    if _setup_error is not None:
        raise _setup_error
    return work(_state, chunk)
