"""A project that names no engine drafts with one that needs no set-up, and says which."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from tests.helpers import cli as run
from tests.helpers import make_project
from tests.mt_server import LibreServer, romanize

ARTICLE = {"care": "시술 후에는 세안을 가볍게 해 주세요.\n"}
SENTENCE = "시술 후에는 세안을 가볍게 해 주세요."


pytestmark = pytest.mark.usefixtures("local_mt_only")


def test_no_engine_configured_uses_google_and_says_so(tmp_path: Path) -> None:
    with LibreServer() as server:
        settings = f"[tool.translate]\nretries = 0\nengine_urls = {{ google = '{server.google_url}' }}\n"
        root = make_project(tmp_path / "site", articles=ARTICLE, settings=settings)
        assert run(root, "extract")[0] == 0
        code, output = run(root, "draft")
        assert code == 0, output
        assert [r.path for r in server.received] == ["/m"]  # the Google page, not LibreTranslate
    assert "note: no engine is configured: using google (the Google Translate web page: no key, no server" in output
    entry = next(e for e in polib.pofile(str(root / "po" / "en" / "care.po")) if e.msgid == SENTENCE)
    assert entry.msgstr == romanize(SENTENCE) and "origin: mt:google" in entry.comment


def test_the_default_without_any_settings_is_google(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles=ARTICLE)
    assert run(root, "extract")[0] == 0
    code, output = run(root, "draft", "--dry-run")
    assert code == 0 and "using google" in output and "  google: 1 segment," in output
    code, output = run(root, "draft")  # no network in tests: the engine cannot be reached
    assert code == 3 and "cannot reach google" in output and "using google" in output


def test_a_server_given_without_an_engine_is_libretranslate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with LibreServer() as server:
        monkeypatch.setenv("LIBRETRANSLATE_URL", server.url)
        root = make_project(tmp_path / "site", articles=ARTICLE, settings="[tool.translate]\nretries = 0\n")
        assert run(root, "extract")[0] == 0
        code, output = run(root, "draft")
        assert code == 0 and [r.path for r in server.received] == ["/translate"]
    assert "using libre at the server given" in output


def test_libre_without_a_server_is_not_the_public_one_silently(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles=ARTICLE, settings='[tool.translate]\nengine = "libre"\n')
    assert run(root, "extract")[0] == 0
    code, output = run(root, "draft")
    assert code == 3
    assert (
        "libre needs a LibreTranslate server: pass --url, set engine_url in [tool.translate] or LIBRETRANSLATE_URL"
        in output
    )
    assert "note: no engine is configured" not in output


def test_sync_says_which_engine_it_uses(tmp_path: Path) -> None:
    with LibreServer() as server:
        settings = f"[tool.translate]\nretries = 0\nengine_urls = {{ google = '{server.google_url}' }}\n"
        root = make_project(tmp_path / "site", articles=ARTICLE, settings=settings)
        code, output = run(root, "sync")
    assert code == 1 and "waiting: care [en]" in output  # the draft waits for review
    assert "note: no engine is configured: using google" in output and "1 by machine translation" in output
