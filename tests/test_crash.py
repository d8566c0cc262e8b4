"""Killing translate with SIGKILL at random moments never loses an approval or leaves a broken file.

Each trial copies a project that holds approved work, starts `draft`, `review approve --all` or
`publish` in a real process, kills it with SIGKILL after a random (seeded) delay, then checks that
every PO file parses, every approval made before is still there, no page is half-written, and
that running the command again completes.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_project
from tests.mt_server import LibreServer
from translate.model import State
from translate.po import load_catalog
from translate.project import Project
from translate.review import approve, edit

TRIALS = 50
ARTICLES = {
    f"article-{n}": "\n\n".join(
        [f"# 안내 {n}", *(f"{n}번 글의 {k}번째 문장은 피부 관리 안내입니다." for k in range(12))]
    ) + "\n"
    for n in range(4)
}  # fmt: skip


def slow_mt(q: str, source: str, target: str) -> str:
    time.sleep(0.01)
    numbers = " ".join(re.findall(r"\d+", q))
    return f"Sentence {numbers} of an article about skin care, translated by a machine."


@pytest.fixture(scope="module")
def server() -> Iterator[LibreServer]:
    with LibreServer(translate=slow_mt) as running:
        yield running


def translate(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TRANSLATE_LOCK_WAIT": "5"}
    return subprocess.Popen([sys.executable, "-m", "translate", "-C", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip


def approved(root: Path) -> set[tuple[str, str, str]]:
    project = Project.open(root)
    found = set()
    for slug in project.articles():
        catalog = load_catalog(project.po_path("en", slug), article=slug, lang="en", source_lang="ko")
        found |= {(slug, u.source, u.target) for u in catalog.units if u.state is State.APPROVED}
    return found


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory, server: LibreServer) -> dict[str, Path]:
    """Projects ready for each command: some work approved, the rest to draft / approve / publish."""
    base = tmp_path_factory.mktemp("templates")
    to_draft = make_project(base / "draft", articles=ARTICLES)
    assert translate(to_draft, "extract").wait() == 0
    project = Project.open(to_draft)
    for slug in ("article-0", "article-2"):
        for k in range(0, 12, 3):
            source = f"{slug[-1]}번 글의 {k}번째 문장은 피부 관리 안내입니다."
            text = f"Sentence {k} of article {slug[-1]}: skin care."
            edit(project, _id(source), text, article=slug, force=True, reviewer="Kim")
    to_approve = base / "approve"
    shutil.copytree(to_draft, to_approve)
    assert translate(to_approve, "draft", "--url", server.url).wait() == 0
    to_publish = base / "publish"
    shutil.copytree(to_approve, to_publish)
    approve(Project.open(to_publish), None, force=True, reviewer="Kim")
    return {"draft": to_draft, "approve": to_approve, "publish": to_publish}


def _id(source: str) -> str:
    from translate.model import segment_id

    return segment_id(source)


def test_sigkill_at_random_moments_loses_nothing(
    templates: dict[str, Path], server: LibreServer, tmp_path: Path
) -> None:
    rng = random.Random(20261125)
    commands = {
        "draft": ("draft", "--url", server.url),
        "approve": ("review", "approve", "--all", "--reviewer", "Lee"),
        "publish": ("publish",),
    }
    duration = {}
    for kind, template in templates.items():  # how long each command runs here, uninterrupted
        shutil.copytree(template, tmp_path / "timing")
        started = time.monotonic()
        assert translate(tmp_path / "timing", *commands[kind]).wait() == 0
        duration[kind] = time.monotonic() - started
        shutil.rmtree(tmp_path / "timing")
    killed_mid_run = 0
    for trial in range(TRIALS):
        kind = rng.choice(sorted(commands))
        root = tmp_path / f"trial-{trial}"
        shutil.copytree(templates[kind], root)
        before = approved(root)
        process = translate(root, *commands[kind])
        time.sleep(rng.uniform(0.02, duration[kind]))
        if process.poll() is None:
            killed_mid_run += 1
        process.send_signal(signal.SIGKILL)
        process.communicate()

        assert before <= approved(root), f"trial {trial} ({kind}) lost an approval"
        for page in (root / "content" / "en").glob("*.md") if (root / "content" / "en").exists() else ():
            assert page.read_text(encoding="utf-8").rstrip().endswith("."), f"trial {trial}: half-written {page}"

        rerun = translate(root, *commands[kind])
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, f"trial {trial} ({kind}) re-run failed: {out}{err}"
        assert before <= approved(root)
        assert not list(root.rglob("*.translate-tmp")), f"trial {trial}: temporary files left behind"
        shutil.rmtree(root)
    assert killed_mid_run >= TRIALS // 2, "the kills should land while the commands run"
