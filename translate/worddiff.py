"""Word diffs of two sentences: one diff, rendered as text (CLI, PO notes) or as HTML (review page)."""

from __future__ import annotations

import difflib
from typing import Literal

Kind = Literal["same", "removed", "added"]


def diff(old: str, new: str) -> list[tuple[Kind, str]]:
    """The words of old and new (split at white space) in order, as runs of one kind: the same in
    both, removed from old, or added in new; each run's words joined by a space."""
    a, b = old.split(), new.split()
    runs: list[tuple[Kind, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("added", " ".join(b[j1:j2])))
    return runs


_TEXT = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}


def word_diff(old: str, new: str) -> str:
    """A word-level diff of two sentences: removed words as [-...-], added words as {+...+}."""
    return " ".join(_TEXT[kind].format(words) for kind, words in diff(old, new))
