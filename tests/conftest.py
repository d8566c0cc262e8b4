"""Shared fixtures: a content root in tmp_path, built like a user's project; no network.

Helpers that are not fixtures live in tests/helpers.py."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from tests.helpers import ENGINE_VARIABLES, make_project
from tests.mt_server import LibreServer

# Property tests run a fixed sequence of examples by default, so a test run (CI included) is
# reproducible; HYPOTHESIS_PROFILE=explore draws new examples each run to look for new failures.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

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


@pytest.fixture
def local_mt_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No engine URL or key from the developer's shell; requests to 127.0.0.1 never go to a proxy.
    A module that drafts asks for it with ``pytestmark = pytest.mark.usefixtures("local_mt_only")``."""
    for name in ENGINE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
