"""Per-reviewer access tokens for ``translate serve``: who made a decision is the token's name.

``translate serve --add-reviewer NAME`` makes a token for NAME, prints it once and stores only its
SHA-256 in ``.translate/reviewers.toml`` (written atomically). The file is meant to be committed: a
hash of 256 random bits gives nobody the token, and the team sees who may review (and git's history
who was added or removed when); the names are those already in the PO files' review history.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

from translate import history
from translate.errors import ConfigError, InputError
from translate.fileio import atomic_write, read_text
from translate.project import Project

REVIEWERS_FILE = ".translate/reviewers.toml"
_HEADER = """\
# Reviewers of `translate serve`: each one's access token, stored as its SHA-256 (the token itself
# was shown once, by `translate serve --add-reviewer NAME`). Manage it with --add-reviewer,
# --remove-reviewer and --list-reviewers; it may be committed (it holds no token).
"""


@dataclass(frozen=True)
class Reviewer:
    """A person with their own token: decisions made with it are recorded under ``name``."""

    name: str
    sha256: str  # of the token
    added: str  # when (as history lines write times)


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as the file stores it."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def reviewers_path(project: Project) -> Path:
    """Where the project keeps its reviewers (inside the project: a link out of it is refused)."""
    return project.inside(project.root / REVIEWERS_FILE)


def load_reviewers(path: Path) -> list[Reviewer]:
    """The reviewers in the file (none when it does not exist); a damaged file is an InputError naming it."""
    if not path.exists():
        return []
    text, _, _ = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"not valid TOML ({exc}); fix it, or delete the file and add the reviewers again.", path=path
        ) from None
    entries = data.pop("reviewer", [])
    if data or not isinstance(entries, list):
        raise InputError(
            "expected only [[reviewer]] tables; fix the file or delete it and add the reviewers again.", path=path
        )
    reviewers: list[Reviewer] = []
    for number, entry in enumerate(entries, 1):
        if (
            not isinstance(entry, dict)
            or set(entry) != {"name", "sha256", "added"}
            or not all(isinstance(v, str) for v in entry.values())
            or len(entry["sha256"]) != 64
            or history.reviewer_name(entry["name"]) != entry["name"]
            or not entry["name"]
        ):
            raise InputError(
                f"reviewer {number} is not a name, sha256 and added date as --add-reviewer writes them; "
                "remove it (or delete the file) and add the reviewer again.",
                path=path,
            )
        reviewers.append(Reviewer(entry["name"], entry["sha256"].lower(), entry["added"]))
    names = [r.name.casefold() for r in reviewers]
    if len(set(names)) != len(names):
        raise InputError("a reviewer is in the file twice; remove one of them.", path=path)
    return reviewers


def _save(path: Path, reviewers: list[Reviewer]) -> None:
    parts = [_HEADER]
    for r in reviewers:
        # JSON strings are TOML basic strings (the same escapes); names are one safe line anyway.
        parts.append(
            f"\n[[reviewer]]\nname = {json.dumps(r.name, ensure_ascii=False)}\n"
            f'sha256 = "{r.sha256}"\nadded = "{r.added}"\n'
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, "".join(parts))


def _name(name: str) -> str:
    recorded = history.reviewer_name(name)
    if not recorded:
        raise ConfigError("the reviewer's name is empty; give the name their decisions are to be recorded under.")
    return recorded


def add_reviewer(project: Project, name: str) -> tuple[Reviewer, str]:
    """A new token for ``name``: the reviewer as stored, and the token (never stored: show it once)."""
    name = _name(name)
    path = reviewers_path(project)
    with project.lock("serve --add-reviewer"):
        reviewers = load_reviewers(path)
        if any(r.name.casefold() == name.casefold() for r in reviewers):
            raise ConfigError(
                f"{name} already has a token; to give them a new one, run `translate serve --remove-reviewer "
                f"{json.dumps(name, ensure_ascii=False)}` first."
            )
        token = secrets.token_urlsafe(32)
        reviewer = Reviewer(name, token_hash(token), history.now())
        _save(path, [*reviewers, reviewer])
    return reviewer, token


def remove_reviewer(project: Project, name: str) -> Reviewer:
    """Remove a reviewer's token (their open pages are refused from the next request on)."""
    name = _name(name)
    path = reviewers_path(project)
    with project.lock("serve --remove-reviewer"):
        reviewers = load_reviewers(path)
        gone = [r for r in reviewers if r.name.casefold() == name.casefold()]
        if not gone:
            known = ", ".join(r.name for r in reviewers) or "none"
            raise ConfigError(f"no reviewer named {name} (reviewers: {known}); see `translate serve --list-reviewers`.")
        _save(path, [r for r in reviewers if r not in gone])
    return gone[0]


class ReviewerTokens:
    """The reviewers of a running server, read again whenever the file changes (an added reviewer can
    come in, a removed one is refused, without a restart)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, ...] | None = None
        self._by_hash: dict[str, str] = {}
        self._lock = threading.Lock()

    def _current(self) -> dict[str, str]:
        try:
            info = os.stat(self.path)
            stamp: tuple[int, ...] = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        except FileNotFoundError:
            stamp = ()
        with self._lock:
            if stamp != self._stamp:
                try:
                    self._by_hash = {r.sha256: r.name for r in load_reviewers(self.path)} if stamp else {}
                except InputError:  # damaged while serving: no reviewer token opens the page until it is fixed
                    self._by_hash = {}
                self._stamp = stamp
            return self._by_hash

    def __bool__(self) -> bool:
        return bool(self._current())

    def name_of(self, token: str) -> str | None:
        """The reviewer whose token this is, if any."""
        by_hash = self._current()
        if not by_hash or not token:
            return None
        wanted = token_hash(token)
        return next((name for digest, name in by_hash.items() if secrets.compare_digest(digest, wanted)), None)
