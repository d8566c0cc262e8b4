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

from tests.helpers import make_project
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


def _children(pid: int) -> set[int]:
    """The live processes whose parent is pid (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or (os.cpu_count() or 1) < 2, reason="needs Linux, 2 CPUs")
def test_workers_of_a_killed_extract_end_with_it_and_its_lock_is_taken_over(tmp_path: Path) -> None:
    sentences = [f"{k}번째 문장은 피부 관리와 리프팅 시술 후의 주의 사항을 자세히 설명합니다." for k in range(600)]
    articles = {f"article-{n:03}": "\n\n".join(f"{n}번 글: {s}" for s in sentences) + "\n" for n in range(96)}
    root = make_project(tmp_path / "site", articles=articles)
    process = translate(root, "extract")
    workers: set[int] = set()
    orphans: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while not workers and process.poll() is None and time.monotonic() < deadline:
            workers = _children(process.pid)
            time.sleep(0.01)
        assert workers, "extract of 96 articles should start worker processes"
        time.sleep(0.05)  # the workers are extracting (killed long before the work is done: see below)
        process.send_signal(signal.SIGKILL)
        process.wait()

        # the workers end at once, and with them the command's output
        gone_by = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < gone_by:
            time.sleep(0.05)
        orphans = {pid for pid in workers if _alive(pid)}
        assert not orphans, f"workers {sorted(orphans)} outlived the killed command"
        assert process.stdout is not None and process.stdout.read() is not None  # end of file: nobody holds it

        # the next command takes the lock over, says so, and finishes the work
        rerun = translate(root, "extract")
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, out + err
        assert "took over the project lock from `translate extract`" in err, (out[-500:], err)
        assert "96 unchanged" not in out  # the killed command had not finished: the rerun did the work
        assert len(list((root / "po" / "en").glob("*.po"))) == 96
        assert not list(root.rglob("*.translate-tmp"))
        assert (root / ".translate.lock").read_text(encoding="utf-8") == ""
    finally:
        for pid in orphans:
            os.kill(pid, signal.SIGKILL)
