"""The content root: its settings (``[tool.translate]`` in pyproject.toml) and its files."""

from __future__ import annotations

import errno
import functools
import os
import re
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from translate.errors import ConfigError, InputError, NotFoundError
from translate.fileio import TEMP_SUFFIX, project_lock
from translate.settings import DEFAULT_FRONT_MATTER_KEYS as DEFAULT_FRONT_MATTER_KEYS
from translate.settings import LANG_RE, known_encoding, settings_from_table
from translate.settings import Settings as Settings
from translate.settings import check_url as check_url

# What a PO file's `#:` line cannot hold: line breaks (str.splitlines' too) and other control characters.
_UNSAFE_NAME_RE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_LANG_RE = LANG_RE
LINK_HINT = "Replace the link or fix the folder settings."
_SWEPT: dict[Path, float] = {}  # when this process last swept each project


def load_settings(root: Path) -> Settings:
    """Settings from root/pyproject.toml; defaults where there is no file or no table."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot parse pyproject.toml ({exc}); fix the TOML syntax.", path=path) from None
    except RecursionError:
        raise ConfigError(
            "cannot parse pyproject.toml: its arrays or tables are nested thousands of levels deep; "
            "fix the TOML (a settings file needs only a few levels).",
            path=path,
        ) from None
    table = data.get("tool", {}).get("translate")
    if table is None:
        return Settings()
    if not isinstance(table, dict):
        raise ConfigError("[tool.translate] must be a table.", path=path)
    return settings_from_table(table, path)


_SETTINGS_TABLE_RE = re.compile(r"^\s*\[\s*tool\s*\.\s*translate\s*[\].]", re.MULTILINE)
DEFAULT_SOURCE_DIR = "content/ko"


def is_project(folder: Path) -> bool:
    """Whether folder is a project's content root: [tool.translate] in its pyproject.toml (even one
    that does not parse: its error is then reported), or a content/ko/ folder."""
    try:
        text = (folder / "pyproject.toml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    if _SETTINGS_TABLE_RE.search(text):
        return True
    return (folder / DEFAULT_SOURCE_DIR).is_dir()


def find_root(start: Path | str = ".") -> Path:
    """The project ``start`` is in: the nearest of start and the folders above it that is a project,
    as git finds a repository. ConfigError (nothing written) when there is none."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    raise ConfigError(
        f"not inside a translate project: neither {here} nor a folder above it has [tool.translate] settings in "
        f"pyproject.toml or a {DEFAULT_SOURCE_DIR}/ folder. Run `translate init` to start a project here, or give "
        "the project's folder with --root (-C).",
    )


def require_project(root: Path) -> Path:
    """root, once it is certain that it is a project (given with --root, so not searched above)."""
    if not is_project(root):
        raise ConfigError(
            f"this folder is not a translate project: it has no [tool.translate] settings in pyproject.toml and no "
            f"{DEFAULT_SOURCE_DIR}/ folder. Give the project's folder, or run `translate -C {root} init` to start "
            "one there.",
            path=root,
        )
    return root


@dataclass(frozen=True)
class Project:
    """A content root and its settings; all paths the stages use come from here."""

    root: Path
    settings: Settings = field(default_factory=Settings)
    encoding: str | None = None  # of the source articles, when they are not UTF-8 (--encoding)
    _real_folders: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    sweep_every: float = field(default=0.0, compare=False, repr=False)  # seconds between sweeps (0: every lock)

    @classmethod
    def open(cls, root: Path | str = ".", *, encoding: str | None = None) -> Project:
        path = Path(root).resolve()
        if not path.is_dir():
            raise ConfigError("the content root is not a folder; pass an existing folder with --root.", path=root)
        if encoding is not None and not known_encoding(encoding):
            raise ConfigError(f"unknown encoding {encoding!r}; for Korean legacy files use cp949.")
        settings = load_settings(path)
        return cls(path, settings, encoding or settings.encoding)

    @contextmanager
    def lock(self, command: str) -> Iterator[None]:
        """The project's write lock, held while ``command`` reads, changes and writes files.

        Holding it, no other process writes here, so temporary files left by a writer that was
        killed half-way are stale: they are removed.
        """
        with project_lock(self.root, command):
            folders = [self.root / self.settings.po_dir, self.root / self.settings.content_dir]
            for folder in folders:
                self.inside(folder)  # never sweep through a link that leads out of the project
            now = time.monotonic()
            if self.sweep_every and now - _SWEPT.get(self.root, -self.sweep_every) < self.sweep_every:
                yield  # a long-running process (serve) sweeps now and then, not at each decision
                return
            _SWEPT[self.root] = now
            for folder in folders:
                for dirpath, _, filenames in os.walk(folder):
                    for name in filenames:
                        if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                            Path(dirpath, name).unlink(missing_ok=True)
            yield

    @property
    def source_dir(self) -> Path:
        return self.root / self.settings.content_dir / self.settings.source

    @property
    def glossary_path(self) -> Path:
        return self.inside(self.root / self.settings.glossary)

    def content_path(self, lang: str, article: str) -> Path:
        """content/<lang>/<slug>.md; the folder is the language code in lower case, as Hugo spells
        language keys (zh-CN -> content/zh-cn)."""
        self._check_name(article)
        return self.inside(Path(self.content_file(lang, article)))

    def po_path(self, lang: str, article: str) -> Path:
        self._check_name(article)
        return self.inside(Path(self.po_file(lang, article)))

    def _check_name(self, article: str) -> None:
        """Refuse an article whose file name holds a line break or a control character."""
        if _UNSAFE_NAME_RE.search(article):
            shown = _UNSAFE_NAME_RE.sub(lambda m: repr(m.group())[1:-1], article)
            raise InputError(
                "the file name holds a line break or another control character, which a PO file cannot "
                "record; translate skipped this article: rename the file.",
                path=f"{self.source_dir}/{shown}.md",
            )

    # The same paths as plain strings, links not checked: only to stat a file (cache stamps).
    def content_file(self, lang: str, article: str) -> str:
        return f"{self.root}/{self.settings.content_dir}/{lang.lower()}/{article}.md"

    def po_file(self, lang: str, article: str) -> str:
        return f"{self.root}/{self.settings.po_dir}/{lang}/{article}.po"

    def source_file(self, article: str) -> str:
        return self.content_file(self.settings.source, article)

    def inside(self, path: Path, hint: str = LINK_HINT) -> Path:
        """path, once it is certain that it stays inside the project, links followed."""
        folder = str(path.parent)
        folder_inside = self._real_folders.get(folder)
        if folder_inside is None:  # each folder is resolved once; a file costs one lstat
            folder_inside = self._real_folders[folder] = Path(os.path.realpath(folder)).is_relative_to(self.root)
        if folder_inside and path.name not in ("", ".", "..") and not os.path.islink(path):
            return path
        return inside_root(self.root, path, hint)

    def source_path(self, article: str) -> Path:
        return self.content_path(self.settings.source, article)

    def languages(self, lang: str | None = None) -> tuple[str, ...]:
        """The target languages, or just ``lang`` after checking it is one of them."""
        if lang is None:
            return self.settings.targets
        if lang not in self.settings.targets:
            raise ConfigError(
                f"{lang!r} is not a target language of this project "
                f"(targets: {', '.join(self.settings.targets)}); add it to [tool.translate] targets."
            )
        return (lang,)

    def articles(self, article: str | None = None) -> list[str]:
        """Slugs of the source articles (paths under content/<source>/ without .md), sorted."""
        if article is not None:
            slug = self.check_slug(article)
            if not self.source_path(slug).is_file():
                raise NotFoundError(f"no source article {slug!r}: expected {self.source_path(slug)}.")
            return [slug]
        if not self.source_dir.is_dir():
            return []
        return sorted(self._walk_articles())

    def _walk_articles(self) -> Iterator[str]:
        top = str(self.source_dir)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            folder = os.path.relpath(dirpath, top).replace(os.sep, "/")
            prefix = "" if folder == "." else folder + "/"
            for name in filenames:
                if name.endswith(".md") and not name.startswith("."):
                    yield prefix + name[:-3]

    def check_slug(self, slug: str) -> str:
        """Refuse slugs that would point outside the project (absolute, ``..``)."""
        slug = slug.removesuffix(".md")
        parts = slug.replace("\\", "/").split("/")
        if not slug or slug.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise ConfigError(
                f"{slug!r} is not an article slug: use a path under content/{self.settings.source}/ without .md."
            )
        return "/".join(parts)


def inside_root(root: Path, path: Path, hint: str = LINK_HINT) -> Path:
    """path (absolute, or relative to the current folder), once it is certain that it stays inside
    root (a resolved path) with every link followed: the one check before any read or write that a
    setting, an argument or a link could send elsewhere.

    ConfigError when it leads outside (``hint`` says what to do), InputError when links loop.
    """
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(
                "it is a symbolic link that leads back to itself (a loop), so it cannot be read: delete or fix "
                "the link.",
                path=path,
            ) from None
    resolved = Path(os.path.realpath(path))
    if not resolved.is_relative_to(root):
        raise ConfigError(
            f"it leads outside the project (to {resolved}); translate reads and writes only inside {root}. {hint}",
            path=path,
        )
    return path


P = ParamSpec("P")
R = TypeVar("R")


def locked(command: str) -> Callable[[Callable[Concatenate[Project, P], R]], Callable[Concatenate[Project, P], R]]:
    """Run a stage function (whose first argument is the project) under the project's write lock."""

    def decorate(func: Callable[Concatenate[Project, P], R]) -> Callable[Concatenate[Project, P], R]:
        @functools.wraps(func)
        def run(project: Project, /, *args: P.args, **kwargs: P.kwargs) -> R:
            with project.lock(command):
                return func(project, *args, **kwargs)

        return run

    return decorate
