"""Shared fixtures: a content root in tmp_path, built like a user's project."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from tests.mt_server import LibreServer

# Property tests run a fixed sequence of examples by default, so a test run (CI included) is
# reproducible; HYPOTHESIS_PROFILE=explore draws new examples each run to look for new failures.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_SLUG = "emface-lifting"

GLOSSARY = """\
terms:
  - ko: 특징
    en: feature
    forbidden: {en: [characteristic, trait]}
  - ko: 엠페이스
    en: Emface
  - ko: 표정근
    en: expression muscles
  - ko: 피부과 전문의
    en: dermatologist
  - ko: 피부
    en: skin
  - ko: 리프팅
    en: lifting
  - ko: 부작용
    en: side effects
"""


def make_project(
    root: Path,
    *,
    articles: dict[str, str] | None = None,
    settings: str | None = None,
    glossary: str = GLOSSARY,
) -> Path:
    """A content root: pyproject settings, glossary and Korean articles (default: the sample)."""
    (root / "content" / "ko").mkdir(parents=True, exist_ok=True)
    if articles is None:
        shutil.copy(FIXTURES / "emface-lifting.ko.md", root / "content" / "ko" / f"{SAMPLE_SLUG}.md")
    else:
        for slug, text in articles.items():
            path = root / "content" / "ko" / f"{slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if settings is not None:
        (root / "pyproject.toml").write_text(settings, encoding="utf-8")
    (root / "glossary.yaml").write_text(glossary, encoding="utf-8")
    return root


_LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")
_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches past this machine: a name other than localhost does not resolve (the
    default engine, google, would otherwise be asked)."""

    def local_only(host: object, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in _LOCAL_HOSTS and not name.startswith("127."):
            raise socket.gaierror(socket.EAI_NONAME, f"no network in tests ({name})")
        return _real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    return make_project(tmp_path / "site")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def mt_server() -> Iterator[LibreServer]:
    with LibreServer() as server:
        yield server
