"""init: make a folder a project: settings, an example glossary, content/ko/ and the ignore lines.

Nothing that exists is overwritten: a pyproject.toml without ``[tool.translate]`` gets the table
appended, a .gitignore gets the lines it lacks, everything else that is there is kept as it is.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import ConfigError, InputError
from translate.fileio import atomic_write, write_bytes
from translate.project import _LANG_RE, DEFAULT_SOURCE_DIR, find_root, load_settings

IGNORED = (".translate-cache/", ".translate.lock")

GLOSSARY = """\
# The project's terms: Korean -> each target language (README, "Glossary").
# The entry below is an example: replace it with the clinic's own terms.
terms:
  - ko: 피부과 전문의
    en: dermatologist
    note: an example entry; a term is found with its particles (피부과 전문의가, 피부과 전문의는)
"""


@dataclass
class InitReport:
    """What init did in the folder, file by file (paths relative to it)."""

    root: Path
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def settings_text(targets: tuple[str, ...], encoding: str | None) -> str:
    """The [tool.translate] table init writes."""
    lines = [
        '[tool.translate]  # translate\'s settings; README, "Settings", lists them all',
        'source = "ko"',
        "targets = [" + ", ".join(f'"{t}"' for t in targets) + "]",
        'glossary = "glossary.yaml"',
    ]
    if encoding:
        lines.append(f'encoding = "{encoding}"  # of the Korean articles; UTF-8 files are still read as UTF-8')
    return "\n".join(lines) + "\n"


def init_project(root: Path, targets: tuple[str, ...] = ("en",), encoding: str | None = None) -> InitReport:
    """Make ``root`` (an existing folder) a project, keeping every file already there."""
    if not root.is_dir():
        raise ConfigError("the folder does not exist; create it first, or give an existing one with --root.", path=root)
    for lang in targets:
        if not _LANG_RE.match(lang) or lang == "ko":
            raise ConfigError(f"--target {lang!r} is not a target language code like en, ja or zh-CN.")
    report = InitReport(root.resolve())
    above = _project_above(report.root)
    if above is not None:
        report.notes.append(
            f"this folder is inside the project at {above}; commands run in or below {report.root} now use this one"
        )
    _settings(report, targets, encoding)
    glossary = report.root / "glossary.yaml"
    if glossary.exists() or glossary.is_symlink():
        report.kept.append("glossary.yaml")
    else:
        atomic_write(glossary, GLOSSARY)
        report.created.append("glossary.yaml (one example entry)")
    source = report.root / DEFAULT_SOURCE_DIR
    if source.is_dir():
        report.kept.append(f"{DEFAULT_SOURCE_DIR}/")
    else:
        source.mkdir(parents=True)
        report.created.append(f"{DEFAULT_SOURCE_DIR}/")
    _ignore(report)
    return report


def _project_above(root: Path) -> Path | None:
    if root.parent == root:
        return None
    try:
        found = find_root(root.parent)
    except ConfigError:
        return None
    return found


def _settings(report: InitReport, targets: tuple[str, ...], encoding: str | None) -> None:
    path = report.root / "pyproject.toml"
    table = settings_text(targets, encoding)
    if not path.exists():
        atomic_write(path, table)
        report.created.append(f"pyproject.toml ([tool.translate]: source ko, targets {', '.join(targets)})")
        return
    if path.is_symlink() or not path.is_file():
        raise InputError("it is not a regular file, so init leaves it alone: make it one, or remove it.", path=path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot parse pyproject.toml ({exc}); fix it, then run init again.", path=path) from None
    if isinstance(data.get("tool"), dict) and "translate" in data["tool"]:
        load_settings(report.root)  # settings kept must be valid: nothing is written otherwise
        report.kept.append("pyproject.toml (it has [tool.translate] settings)")
        if encoding:
            report.notes.append(f'the settings were kept: add encoding = "{encoding}" to [tool.translate] yourself')
        return
    atomic_write(path, (text.rstrip("\n") + "\n\n" if text.strip() else "") + table)
    report.updated.append("pyproject.toml ([tool.translate] added at the end)")


def _ignore(report: InitReport) -> None:
    path = report.root / ".gitignore"
    if path.is_symlink() or (path.exists() and not path.is_file()):
        report.notes.append(f".gitignore is not a regular file: add {' and '.join(IGNORED)} to it yourself")
        return
    text = path.read_text(encoding="utf-8", errors="surrogateescape") if path.exists() else ""
    present = {line.strip().lstrip("/").rstrip("/") for line in text.splitlines()}
    missing = [entry for entry in IGNORED if entry.rstrip("/") not in present]
    if not missing:
        report.kept.append(".gitignore")
        return
    lines = "# translate: derived data and the project lock\n" + "".join(f"{entry}\n" for entry in missing)
    before = text.rstrip("\n") + "\n\n" if text.strip() else ""
    write_bytes(path, (before + lines).encode("utf-8", errors="surrogateescape"))
    if text:
        report.updated.append(f".gitignore ({', '.join(missing)} added)")
    else:
        report.created.append(f".gitignore ({', '.join(missing)})")
