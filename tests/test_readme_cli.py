"""README and the CLI say the same: every command and option README shows exists, and every command
and option of the CLI is shown in README (in a `translate …` line of that command)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import click
import typer.main

from translate.cli import app

README = Path(__file__).parent.parent / "README.md"
GLOBAL = {"--root", "-C", "--encoding", "--version", "--help"}
_OPTION_RE = re.compile(r"^--?[A-Za-z][\w-]*$")


def cli_tree() -> dict[tuple[str, ...], Any]:
    """Every command and group of the CLI by its path of names: ("review", "approve")."""
    tree: dict[tuple[str, ...], Any] = {}

    def walk(command: Any, path: tuple[str, ...]) -> None:
        tree[path] = command
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return tree


def options_of(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts) if opt.startswith("-")}


def readme_lines() -> list[str]:
    """Each `translate …` command line README shows: inline code and lines of code blocks."""
    text = README.read_text(encoding="utf-8")
    found: list[str] = []
    in_block = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        if in_block:
            found += re.findall(r"(?:^\s*(?:\$\s*)?|&&\s*|;\s*)(translate\s[^#&;]*)", line)
        else:
            found += [span for span in re.findall(r"`([^`]+)`", line) if span.startswith("translate ")]
    return found


def parse(line: str, tree: dict[tuple[str, ...], Any]) -> tuple[tuple[str, ...], list[str], list[str]]:
    """The command path a README line names, the options it shows, and words that are no command."""
    words = [w.strip("[]|…()\"',.") for w in line.split()[1:]]
    words = [w.split("=", 1)[0] for w in words if w]
    path: tuple[str, ...] = ()
    options: list[str] = []
    unknown: list[str] = []
    expect_value = done = False
    for word in words:
        if _OPTION_RE.match(word):
            options.append(word)
            expect_value = word in ("--root", "-C", "--encoding")
        elif expect_value:  # the value of a global option given before the command
            expect_value = False
        elif done:
            continue
        elif (*path, word) in tree:
            path = (*path, word)
        elif not path and word.islower() and word.isalpha():
            unknown.append(word)
            done = True
        else:
            done = True  # an argument: the rest shows options and arguments only
    return path, options, unknown


def test_every_command_and_option_readme_shows_exists_in_the_cli() -> None:
    tree = cli_tree()
    problems = []
    lines = readme_lines()
    assert len(lines) > 30  # README is read, not skipped
    for line in lines:
        path, options, unknown = parse(line, tree)
        if unknown:
            problems.append(f"`{line}`: no command {unknown[0]!r}")
            continue
        allowed = options_of(tree[path]) | GLOBAL
        for option in options:
            if option not in allowed:
                problems.append(f"`{line}`: translate {' '.join(path)} has no option {option}")
    assert not problems, "\n".join(problems)


def test_every_command_and_option_of_the_cli_is_shown_in_readme() -> None:
    tree = cli_tree()
    shown: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for line in readme_lines():
        path, options, _ = parse(line, tree)
        shown[path].update(options)
    missing = []
    for path, command in tree.items():
        if not path or (getattr(command, "commands", None) and not command.invoke_without_command):
            continue  # a group that only holds commands is shown through them
        if path not in shown:
            missing.append(f"translate {' '.join(path)} is not shown in README")
            continue
        for option in sorted(options_of(command) - GLOBAL):
            if option.startswith("--") and option not in shown[path]:  # short aliases need not be shown
                missing.append(f"translate {' '.join(path)} {option} is not shown in README")
    assert not missing, "\n".join(missing)
    everywhere = {o for options in shown.values() for o in options}
    assert {"--root", "-C", "--encoding", "--version"} <= everywhere
