"""Derived data that makes re-runs fast, under ``.translate-cache/`` at the content root.

Everything here can be deleted at any moment: it only remembers, per file, the size and
modification time it had when a result was computed, so that an unchanged file is not read again.
The PO files and articles are the truth; a missing, stale or damaged cache only costs time.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from translate import SEGMENTATION_VERSION, __version__
from translate.errors import WriteError
from translate.fileio import atomic_write
from translate.project import Project

CACHE_DIR = ".translate-cache"
CACHE_HINT = f"Delete that link ({CACHE_DIR} holds only derived data): translate then makes plain files there."
Stamp = list[int]


def file_stamp(path: Path | str) -> Stamp:
    """What tells a changed file from an unchanged one without reading it: mtime, size, inode."""
    try:
        info = os.stat(path)
    except OSError:  # missing, or a link that loops: whoever reads the file reports it
        return []
    return [info.st_mtime_ns, info.st_size, info.st_ino]


class StampCache:
    """A JSON file of results keyed by name, each valid while its files' stamps are unchanged.

    ``context`` is everything else the results depend on (settings, glossary, tool version): when it
    differs from the stored one, every entry is stale.
    """

    def __init__(self, project: Project, name: str, context: object) -> None:
        self.path = project.inside(project.root / CACHE_DIR / f"{name}.json", CACHE_HINT)
        self.context = json.dumps([__version__, SEGMENTATION_VERSION, context], sort_keys=True, default=str)
        self.entries: dict[str, Any] = {}
        self.changed = False
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("context") == self.context and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]

    def get(self, key: str, stamp: list[Stamp]) -> Any:
        entry = self.entries.get(key)
        if isinstance(entry, dict) and entry.get("stamp") == stamp:
            return entry.get("value")
        return None

    def put(self, key: str, stamp: list[Stamp], value: Any) -> None:
        self.entries[key] = {"stamp": stamp, "value": value}
        self.changed = True

    def save(self) -> None:
        """Write the cache if anything changed; a cache that cannot be written is simply not kept."""
        if not self.changed:
            return
        with contextlib.suppress(OSError, WriteError):
            atomic_write(self.path, json.dumps({"context": self.context, "entries": self.entries}, ensure_ascii=False))
        self.changed = False
