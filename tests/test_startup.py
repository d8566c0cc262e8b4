"""A command's fixed cost: what it imports before it works, and what a run with nothing to do reads.

Timing is measured by bench/run.py (BENCHMARKS.md); here the import graph is pinned, which is
behaviour: a command that does not parse Markdown imports no Markdown parser, a command line that
converts no number imports no pydantic, and a run with nothing to do neither parses nor loads the
glossary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import translate.parallel
from tests.helpers import make_project, run
from translate import visible
from translate.cli import app
from translate.extract import _HINTS
from translate.parallel import map_chunks

# Run the command line as `python -m translate ARGS` does, then print the modules it imported.
PROBE = """
import json, runpy, sys
sys.argv = ["translate", *sys.argv[1:]]
code = 0
try:
    runpy.run_module("translate", run_name="__main__")
except SystemExit as exit:
    code = exit.code
print("\\nprobe: " + json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

PARSERS = {"markdown_it", "mdit_py_plugins", "polib", "yaml", "ahocorasick"}
STAGE_HELPERS = {"translate.markdown", "translate.po", "translate.glossary", "translate.checks", "translate.visible"}
ENGINES_AND_WEB = {
    "deep_translator",
    "requests",
    "starlette",
    "uvicorn",
    "jinja2",
    "translate.engines",
    "translate.web",
}
VALIDATION = {"pydantic", "pydantic_core"}


def probe(*args: str) -> tuple[int, str, set[str]]:
    """Exit code, output and top-level-or-translate modules of `python -m translate ARGS` in a fresh
    interpreter."""
    env = {**os.environ, "TYPER_USE_RICH": "0"}
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env)
    output, _, line = result.stdout.rpartition("\nprobe: ")
    assert line, result.stderr
    found = json.loads(line)
    names = {m if m.startswith("translate.") else m.split(".")[0] for m in found["modules"]}
    return found["code"], output + result.stderr, names


def test_the_command_line_itself_imports_no_parser_engine_web_stack_or_pydantic() -> None:
    code = "import sys, translate.cli; print(sorted(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    names = {m if m.startswith("translate.") else m.split(".")[0] for m in eval(result.stdout)}
    assert names & (PARSERS | STAGE_HELPERS | ENGINES_AND_WEB | VALIDATION) == set()


def test_a_run_with_nothing_to_do_parses_nothing(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path / "site")
    assert run(runner, root, "extract")[0] == 0
    assert run(runner, root, "status")[0] == 0

    code, output, names = probe("-C", str(root), "extract")
    assert code == 0 and "0 PO files updated, 1 unchanged" in output
    assert names & (PARSERS | STAGE_HELPERS | ENGINES_AND_WEB | VALIDATION) == set()

    code, output, names = probe("status", "--root", str(root), "--lang", "en")
    assert code == 0 and "emface-lifting" in output
    assert names & (PARSERS | STAGE_HELPERS | ENGINES_AND_WEB | VALIDATION) == set()

    # The probe sees what a command imports: an edited article is parsed again, with its glossary.
    article = root / "content" / "ko" / "emface-lifting.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n새 문장입니다.\n", encoding="utf-8")
    code, output, names = probe("-C", str(root), "extract")
    assert code == 0 and "1 PO file updated" in output
    assert {"markdown_it", "yaml", "translate.markdown", "translate.glossary"} <= names
    assert names & (ENGINES_AND_WEB | VALIDATION) == set()


def test_a_number_out_of_range_is_still_refused_as_typer_refuses_it(runner: CliRunner, project_dir: Path) -> None:
    """Values that need converting still go through typer's own conversion."""
    code, output, names = probe("-C", str(project_dir), "draft", "--workers", "0")
    assert code == 2 and "--workers" in output and "Traceback" not in output
    assert "pydantic" in names
    result = runner.invoke(app, ["-C", str(project_dir), "serve", "--port", "70000"])
    assert result.exit_code == 2 and "--port" in result.output


def _parameters(command: Any) -> Iterator[tuple[Any, Any]]:
    for param in [*command.params, command.get_help_option(typer.Context(command))]:
        yield command, param
    for sub in getattr(command, "commands", {}).values():
        yield from _parameters(sub)


SAMPLES: dict[str, list[Any]] = {
    "str": [None, "", "en", "피부 관리", "--not-an-option", "a b"],
    "strings": [None, (), ("en",), ("en", "zh-CN"), ["ja"]],
    "path": [None, "", ".", "site", "없는/폴더", "a b/c.md"],
}


def test_plain_values_come_out_as_typer_gives_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every parameter of every command: each plain value the command line converts without pydantic
    equals what typer's own conversion gives (type included)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    command = typer.main.get_command(app)
    kinds: set[str] = set()
    for owner, param in _parameters(command):
        light = param.get_runtime_param()
        ctx = typer.Context(owner)
        kinds.add(light.kind)
        for value in SAMPLES.get(light.kind, [None]):
            ours = light.coerce(value, param=param, ctx=ctx)
            theirs = light.typer_conversion().coerce(value, param=param, ctx=ctx)
            assert (ours, type(ours)) == (theirs, type(theirs)), (owner.name, param.name, value)
    assert {"str", "strings", "path", ""} <= kinds  # every kind is met at least once


def test_without_articles_to_process_no_setup_runs() -> None:
    def setup() -> None:
        raise AssertionError("setup ran for no work")

    assert map_chunks(lambda state, slugs: slugs, [], setup) == []


def test_a_bad_glossary_is_reported_from_the_workers_as_without_them(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = {f"post-{n}": f"# 글 {n}\n\n{n}번째 글은 피부 관리 안내입니다.\n" for n in range(6)}
    duplicate = "terms:\n  - ko: 피부\n    en: skin\n  - ko: 피부\n    en: dermis\n"
    outputs = []
    for mode, parallel_from in (("serial", 10_000), ("parallel", 2)):
        monkeypatch.setattr(translate.parallel, "PARALLEL_FROM", parallel_from)
        root = make_project(tmp_path / mode, articles=articles, glossary=duplicate)
        code, output = run(runner, root, "extract")
        assert code == 2 and "glossary.yaml:4" in output and "Traceback" not in output
        assert not (root / "po").exists()
        outputs.append(output.replace(str(root), "ROOT"))
    assert outputs[0] == outputs[1]


def test_every_kind_of_untranslatable_place_has_a_hint() -> None:
    assert set(_HINTS) == {visible.TEXT, visible.ATTRIBUTE, visible.TITLE, visible.SHORTCODE}
