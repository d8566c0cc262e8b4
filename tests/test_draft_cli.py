"""`translate draft` as a user runs it: dry runs with costs, partial failures, secrets kept out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import cli as run
from tests.helpers import make_project
from tests.mt_server import LibreServer
from translate.model import segment_id

ARTICLES = {
    "first": "첫 번째 글입니다.\n\n예약은 전화로 해 주세요.\n",
    "second": "두 번째 글입니다.\n\n예약은 전화로 해 주세요.\n",
}
KEY = "azure-k3y-that-must-not-leak"


pytestmark = pytest.mark.usefixtures("local_mt_only")


def site(tmp_path: Path, settings: str | None = None) -> Path:
    root = make_project(tmp_path / "site", articles=ARTICLES, settings=settings)
    assert run(root, "extract")[0] == 0
    return root


def test_dry_run_says_what_each_engine_would_get_and_cost(tmp_path: Path) -> None:
    settings = '[tool.translate]\nengines = ["deepl", "libre", "google"]\nmt_prices = { libre = 20 }\n'
    root = site(tmp_path, settings)
    with LibreServer() as server:
        code, out = run(root, "draft", "--dry-run", "-e", "libre", "-e", "google", "-e", "deepl", "--url", server.url)
    assert code == 0, out
    assert server.received == []
    chars = sum(len(t) for t in ("첫 번째 글입니다.", "두 번째 글입니다.", "예약은 전화로 해 주세요."))
    assert "4 segments need machine translation: 3 distinct texts" in out
    assert f"libre: 3 segments, {chars} characters, estimated cost {chars * 20 / 1e6:.2f} USD" in out
    assert "google (fallback): only what libre fails on" in out
    assert "deepl: not usable: deepl needs an API key: set DEEPL_API_KEY" in out
    assert not (root / ".translate-cache" / "mt.sqlite3").exists()  # a dry run asks and stores nothing


def test_a_failed_segment_is_named_and_the_others_are_drafted(tmp_path: Path) -> None:
    root = site(tmp_path, "[tool.translate]\nretries = 0\n")
    with LibreServer() as server:
        server.fail = lambda q: 500 if q == "두 번째 글입니다." else None
        code, out = run(root, "draft", "--url", server.url)
    assert code == 1
    assert (
        f"failed: second [en] {segment_id('두 번째 글입니다.')}: libre at {server.url}: the server answered HTTP 500"
        in out
    )
    assert "3 by machine translation, 1 left untranslated" in out
    assert "run `translate draft` again to retry it" in out
    with LibreServer() as server:
        code, out = run(root, "draft", "--url", server.url)
    assert code == 0 and [r.text for r in server.received] == ["두 번째 글입니다."]  # only what failed


def test_a_refused_key_stops_the_run_without_showing_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = site(tmp_path)
    monkeypatch.setenv("MICROSOFT_API_KEY", KEY)
    with LibreServer(api_key="the-right-one") as server:
        code, out = run(root, "draft", "--engine", "microsoft", "--url", server.microsoft_url, "--workers", "1")
    assert code == 3 and "not authorized" in out
    assert KEY not in out
    assert len(server.received) == 1  # a refused key is neither retried nor used for the other texts


def test_bad_machine_translation_settings_name_the_file(tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "pyproject.toml").write_text("[tool.translate]\nmt_prices = { bing = 3 }\n", encoding="utf-8")
    code, out = run(root, "draft", "--dry-run")
    assert code == 2 and "pyproject.toml" in out and "unknown engine 'bing'" in out
