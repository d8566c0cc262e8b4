"""Messages as people read them: the unreachable engine names what chose its address, and counts
have their nouns in the right number."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.helpers import fake_mt, make_project
from tests.mt_server import LibreServer
from translate.cli import app

NOTE = {"note": "시술은 30분 걸립니다.\n"}


pytestmark = pytest.mark.usefixtures("local_mt_only")


def invoke(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(app, ["-C", str(root), *args], env=env)
    assert "Traceback" not in result.output, result.output
    return result


def dead_url() -> str:
    with socket.socket() as probe:  # a port nothing listens on once this closes
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"


def project(tmp_path: Path, settings: str = "") -> Path:
    root = make_project(tmp_path / "site", articles=NOTE, settings=f"[tool.translate]\nretries = 0\n{settings}")
    assert invoke(root, "extract").exit_code == 0
    return root


def test_the_setting_that_chose_the_url_is_named_not_the_variable_it_won_over(tmp_path: Path) -> None:
    root = project(tmp_path, f'engine = "libre"\nengine_url = "{dead_url()}"\n')
    for command in ("draft", "sync"):
        result = invoke(root, command, env={"LIBRETRANSLATE_URL": dead_url()})
        assert result.exit_code == 3, result.output
        assert "address of libre comes from engine_url in [tool.translate]" in result.output
        assert f"{root / 'pyproject.toml'}" in result.output
        assert "LIBRETRANSLATE_URL" not in result.output


def test_the_environment_variable_is_named_when_it_chose_the_url(tmp_path: Path) -> None:
    root = project(tmp_path, 'engine = "libre"\n')
    result = invoke(root, "draft", env={"LIBRETRANSLATE_URL": dead_url()})
    assert result.exit_code == 3, result.output
    assert "address of libre comes from the environment variable LIBRETRANSLATE_URL" in result.output
    assert "engine_url" not in result.output


def test_the_url_option_is_named_when_it_chose_the_url(tmp_path: Path) -> None:
    root = project(tmp_path, f'engine = "libre"\nengine_url = "{dead_url()}"\n')
    result = invoke(root, "draft", "--url", dead_url())
    assert result.exit_code == 3, result.output
    assert "address of libre is the one given with --url" in result.output
    assert "engine_url in" not in result.output
    per_engine = project(tmp_path / "other", f'engines = ["libre"]\nengine_urls = {{ libre = "{dead_url()}" }}\n')
    result = invoke(per_engine, "draft")
    assert "address of libre comes from engine_urls.libre in [tool.translate]" in result.output


def test_one_of_a_count_is_singular(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles=NOTE)
    extracted = invoke(root, "extract")
    assert "1 segment; 1 PO file updated, 0 unchanged." in extracted.output
    with LibreServer(translate=fake_mt(root / "glossary.yaml")) as server:
        drafted = invoke(root, "draft", "--url", server.url)
    assert drafted.exit_code == 0, drafted.output
    assert "libre: 1 text, 13 characters sent (1 request, 0.00 USD)" in drafted.output
    listed = invoke(root, "review", "list")
    assert listed.output.endswith("\n1 segment.\n")
    assert "\n1 article page: 1 not published; 1 with something to do." in invoke(root, "status").output
    [segment] = re.findall(r"\b([0-9a-f]{10})\b", listed.output)[:1]
    invoke(root, "review", "edit", segment, "--text", "It takes 20 minutes.")
    checked = invoke(root, "check")
    assert "1 error, 0 warnings." in checked.output
    exported = invoke(root, "glossary", "export", str(tmp_path / "one.csv"))
    assert "7 terms written" in exported.output
    make_project(tmp_path / "one", articles=NOTE, glossary="terms:\n  - ko: 시술\n    en: procedure\n")
    assert "1 term written" in invoke(tmp_path / "one", "glossary", "export", str(tmp_path / "t.csv")).output
    invoke(tmp_path / "one", "extract")
    dry = invoke(tmp_path / "one", "draft", "--dry-run", "--url", dead_url())
    assert "1 segment needs machine translation: 1 distinct text, 13 characters." in dry.output


def test_no_message_of_the_cli_says_1_with_a_plural(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles=NOTE)
    outputs = [invoke(root, *args).output for args in (["extract"], ["status"], ["review", "list"], ["publish"])]
    for output in outputs:
        assert not re.search(r"(?<![\d,.])1 (segments|errors|requests|texts|files|articles|pages|terms)\b", output), (
            output
        )
