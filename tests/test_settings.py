"""The settings table: every setting is validated when the project opens, so a bad one stops every
command before it writes anything, with one message naming the file and the key."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from tests.helpers import ROOT, make_project
from translate import engines
from translate.checks import CHECKS
from translate.cli import app
from translate.settings import CHECK_NAMES, ENGINE_NAMES, SETTINGS, Settings, settings_from_table

ARTICLE = "---\ntitle: 피부 관리 안내\n---\n\n피부 관리 안내입니다.\n"
README = ROOT / "README.md"
BOGUS = '[tool.translate]\nengine_urls = { bogus = "http://127.0.0.1:9/" }\n'


def test_the_cheap_names_are_the_real_engines_and_checks() -> None:
    assert ENGINE_NAMES == engines.ENGINE_NAMES
    assert tuple(CHECKS) == CHECK_NAMES


def tree(root: Path) -> dict[str, bytes | None]:
    """Every folder (None) and file (its bytes) under root, the cache and the lock included."""
    found: dict[str, bytes | None] = {}
    for folder, dirnames, filenames in os.walk(root):
        for name in dirnames:
            found[os.path.relpath(os.path.join(folder, name), root)] = None
        for name in filenames:
            path = Path(folder, name)
            found[os.path.relpath(path, root)] = path.read_bytes()
    return found


def bad_project(tmp_path: Path) -> Path:
    """A project with one article extracted and drafted by hand, one not yet extracted (extract or
    sync would write its PO file), then the settings broken."""
    root = make_project(tmp_path / "site", articles={"care": ARTICLE})
    runner = CliRunner()
    assert runner.invoke(app, ["-C", str(root), "extract"]).exit_code == 0
    (root / "content" / "ko" / "new.md").write_text(ARTICLE.replace("관리", "보습"), encoding="utf-8")
    (root / "pyproject.toml").write_text(BOGUS, encoding="utf-8")
    return root


def commands(root: Path, outside: Path) -> dict[tuple[str, ...], list[str]]:
    """Each command of the CLI with the arguments it needs to get past its own checks."""
    (outside / "care.en.md").write_text("---\ntitle: Skin care\n---\n\nSkin care guide.\n", encoding="utf-8")
    (outside / "memory.tmx").write_text('<tmx version="1.4"><header/><body/></tmx>\n', encoding="utf-8")
    (outside / "terms.csv").write_text("ko,en\n보습,moisturizing\n", encoding="utf-8")
    segment = "1"
    return {
        ("init",): [],
        ("extract",): [],
        ("draft",): ["--engine", "libre", "--url", "http://127.0.0.1:9/"],
        ("status",): [],
        ("check",): [],
        ("publish",): [],
        ("sync",): ["--engine", "libre", "--url", "http://127.0.0.1:9/"],
        ("serve",): ["--add-reviewer", "kim"],
        ("absorb",): ["care"],
        ("align",): ["content/ko/care.md", str(outside / "care.en.md"), "--approve"],
        ("review",): [],
        ("review", "list"): [],
        ("review", "approve"): ["--all"],
        ("review", "edit"): [segment, "--text", "Skin care guide."],
        ("review", "reject"): [segment, "--reason", "no"],
        ("review", "dismiss"): [segment, "numbers", "--reason", "no"],
        ("review", "comment"): [segment, "A remark."],
        ("tm", "export"): [str(root / "out.tmx")],
        ("tm", "import"): [str(outside / "memory.tmx")],
        ("glossary", "export"): [str(root / "out.csv")],
        ("glossary", "import"): [str(outside / "terms.csv")],
    }


def test_the_list_below_covers_every_command(tmp_path: Path) -> None:
    runnable: set[tuple[str, ...]] = set()

    def walk(command: Any, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", {})
        if path and (not subcommands or command.invoke_without_command):
            runnable.add(path)  # a command, or a group that runs alone (review)
        for name, sub in subcommands.items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    assert set(commands(tmp_path, tmp_path)) == runnable


def test_a_bad_setting_stops_every_command_before_it_writes_anything(tmp_path: Path) -> None:
    root = bad_project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    runner = CliRunner()
    failures = []
    for path, args in commands(root, outside).items():
        before = tree(root)
        result = runner.invoke(app, ["-C", str(root), *path, *args], input="q\n")
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        shown = " ".join(path)
        if result.exit_code != 2:
            failures.append(f"{shown}: exit {result.exit_code}: {result.output}")
        elif "Traceback" in result.output or not isinstance(result.exception, SystemExit | None):
            failures.append(f"{shown}: {result.exception!r}")
        elif not (len(errors) == 1 and errors[0].startswith("error: ")):
            failures.append(f"{shown}: not one error line: {result.stderr}")
        elif not all(word in errors[0] for word in ("pyproject.toml", "engine_urls", "'bogus'")):
            failures.append(f"{shown}: the message does not name the file and the key: {errors[0]}")
        if tree(root) != before:
            failures.append(f"{shown}: changed the project")
    assert not failures, "\n".join(failures)


# Each setting given a wrong value: the message names pyproject.toml and the key.
BAD_VALUES: list[tuple[str, str, str]] = [
    ("source", 'source = "Korean"', "is not a language code"),
    ("targets", "targets = []", "targets is empty"),
    ("content_dir", 'content_dir = "/srv/site"', "leads outside the project"),
    ("po_dir", 'po_dir = "../po"', "leads outside the project"),
    ("glossary", 'glossary = "../glossary.yaml"', "leads outside the project"),
    ("front_matter_keys", 'front_matter_keys = ["*.title"]', "is not a key or key path"),
    ("encoding", 'encoding = "klingon"', "is not an encoding Python knows"),
    ("engine", 'engine = "bing"', "unknown engine 'bing'"),
    ("engine_url", 'engine_url = "ftp://mt.example/"', "is not a valid URL"),
    ("timeout", "timeout = 0", "more than 0 seconds"),
    ("engines", 'engines = ["libre", "bing"]', "unknown engine 'bing'"),
    ("engine_urls", 'engine_urls = { bogus = "http://127.0.0.1:9/" }', "unknown engine 'bogus'"),
    ("workers", "workers = 0", "between 1 and 64"),
    ("retries", "retries = 11", "between 0 and 10"),
    ("mt_prices", "mt_prices = { libre = -1 }", "0 or more"),
    ("mt_currency", "mt_currency = 5", "wrong type: write a quoted string"),
    ("auto_approve_exact", 'auto_approve_exact = "yes"', "wrong type: write true or false"),
    ("fuzzy_threshold", "fuzzy_threshold = 101", "between 0 and 100"),
    ("tm_dir", 'tm_dir = "C:/memories"', "leads outside the project"),
    ("llm", "[tool.translate.llm]\nbatch_size = 0", "batch_size must be a whole number, 1 or more"),
    ("checks", "[tool.translate.checks]\nspelling = 'off'", "unknown check 'spelling'"),
    ("disclaimers", "[tool.translate.disclaimers]\nen = [3]", "must be a list of texts"),
    ("prohibited_claims", "[tool.translate.prohibited_claims]\nen = ['(unclosed']", "is not a valid pattern"),
    ("shortcodes", "[tool.translate.shortcodes]\nnotice = 'title'", "must be a list of parameter names"),
    ("workers", "workers = true", "workers has the wrong type: write a whole number, as in workers = 16"),
    ("timeout", 'timeout = "20"', "timeout has the wrong type: write a number"),
]


def test_every_setting_has_a_bad_value_below() -> None:
    assert {key for key, _, _ in BAD_VALUES} == {row.name for row in SETTINGS}


@pytest.mark.parametrize(("key", "line", "says"), BAD_VALUES, ids=[f"{k}:{line}" for k, line, _ in BAD_VALUES])
def test_each_bad_setting_is_one_message_naming_the_file_and_the_key(
    tmp_path: Path, key: str, line: str, says: str
) -> None:
    settings = line if line.startswith("[") else f"[tool.translate]\n{line}\n"
    root = make_project(tmp_path / "site", articles={"care": ARTICLE}, settings=settings)
    before = tree(root)
    result = CliRunner().invoke(app, ["-C", str(root), "status"])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith(f"error: {root / 'pyproject.toml'}: "), result.stderr
    assert key in errors[0] and says in errors[0]
    assert tree(root) == before


def readme_settings() -> list[dict[str, Any]]:
    """The [tool.translate] table of each TOML example in README (one without a header is that table)."""
    blocks = re.findall(r"^```toml\n(.*?)^```", README.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    tables = []
    for block in blocks:
        text = block if block.lstrip().startswith("[") else "[tool.translate]\n" + block
        tables.append(tomllib.loads(text)["tool"]["translate"])
    return tables


def test_readme_shows_every_setting_with_its_line_and_valid_examples() -> None:
    tables = readme_settings()
    assert {key for table in tables for key in table} == {row.name for row in SETTINGS}
    for table in tables:  # each example is a valid configuration
        assert isinstance(settings_from_table(table, README), Settings)
    lines = {line.strip() for line in README.read_text(encoding="utf-8").splitlines()}
    assert [row.name for row in SETTINGS if row.readme.strip() not in lines] == []


def test_defaults_are_the_table_defaults() -> None:
    defaults = Settings()
    assert {row.name: row.default for row in SETTINGS} == {row.name: getattr(defaults, row.name) for row in SETTINGS}
    assert settings_from_table({}, "pyproject.toml") == defaults
