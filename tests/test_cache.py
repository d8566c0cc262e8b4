"""The cache under .translate-cache/ is derived: deleting or damaging it at any moment changes no result."""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import translate.extract
import translate.pages
import translate.parallel
import translate.status
from tests.helpers import make_project
from translate.cache import CACHE_DIR
from translate.errors import TranslateError
from translate.extract import extract
from translate.model import Document, State, segment_id
from translate.po import load_catalog, save_catalog
from translate.project import Project
from translate.publish import publish
from translate.review import edit
from translate.status import status

ARTICLES = {f"note-{n}": f"# 안내 {n}\n\n피부 관리 안내 {n}입니다.\n\n시술은 {n + 1}회 진행합니다.\n" for n in range(4)}


def rows(project: Project) -> list[tuple[object, ...]]:
    return [(r.article, r.lang, r.total, dict(r.counts), r.page, r.next_step) for r in status(project)]


def po_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "po").rglob("*.po"))}


def test_status_and_extract_agree_with_and_without_the_cache(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles=ARTICLES)
    project = Project.open(root)
    rng = random.Random(7)
    extract(project)
    for step in range(40):
        slug = f"note-{rng.randrange(4)}"
        action = rng.choice(["source", "translate", "publish", "page", "extract", "damage"])
        if action == "source":
            path = project.source_path(slug)
            path.write_text(path.read_text(encoding="utf-8") + f"\n새 문장 {step}입니다.\n", encoding="utf-8")
        elif action == "translate":
            catalog = load_catalog(project.po_path("en", slug), article=slug, lang="en", source_lang="ko")
            for unit in catalog.active_units():
                if unit.state is not State.APPROVED:
                    edit(project, segment_id(unit.source), f"Translation {step}.", article=slug, force=True,
                         reviewer="Kim")  # fmt: skip
        elif action == "publish":
            publish(project)
        elif action == "page" and project.content_path("en", slug).exists():
            page = project.content_path("en", slug)
            page.write_text(page.read_text(encoding="utf-8") + "\nHand edit.\n", encoding="utf-8")
        elif action == "extract":
            extract(project)
        elif action == "damage" and (root / CACHE_DIR).exists():
            for file in (root / CACHE_DIR).glob("*.json"):
                file.write_text(rng.choice(["", "{", '{"context": "x", "entries": {}}', "[]"]), encoding="utf-8")

        cached = rows(project)
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
        assert rows(project) == cached, f"step {step} ({action}): status differs without the cache"

        copy = tmp_path / f"copy-{step}"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(CACHE_DIR))
        extract(project)
        extract(Project.open(copy))
        assert po_files(root) == po_files(copy), f"step {step} ({action}): extract differs without the cache"
        shutil.rmtree(copy)


def test_an_unchanged_article_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "site", articles=ARTICLES)
    project = Project.open(root)
    extract(project)
    status(project)
    read: list[str] = []
    real_load = translate.extract.load_source

    def counting_load(project: Project, slug: str, path: Path | None = None) -> Document:
        read.append(slug)
        return real_load(project, slug, path)

    monkeypatch.setattr(translate.extract, "load_source", counting_load)
    monkeypatch.setattr(translate.pages, "load_source", counting_load)  # status imports it from there
    project.source_path("note-2").write_text("바뀐 글입니다.\n", encoding="utf-8")
    report = extract(project)
    status(project)
    assert read == ["note-2", "note-2"]  # only the changed article was parsed, by extract and by status
    assert len(report.unchanged) == 3 and len(report.written) == 1


def _approve_half(root: Path) -> None:
    project = Project.open(root)
    for slug in [s for s in project.articles() if s != "bad"][::2]:
        path = project.po_path("en", slug)
        catalog = load_catalog(path, article=slug, lang="en", source_lang="ko")
        for unit in catalog.units:
            unit.target, unit.state = re.sub("[가-힣]+", "skin", unit.source), State.APPROVED
        save_catalog(catalog, path)


def _outcome(root: Path, run: Callable[[Project], object]) -> str:
    """What a command returned or raised, with the project's path left out."""
    try:
        result = run(Project.open(root))
    except TranslateError as exc:
        return "error: " + str(exc).replace(str(root), "")
    return repr(result).replace(str(root), "")


def test_parallel_runs_write_and_report_what_serial_runs_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Extract, status and publish over many articles spread the work over processes: same files,
    same report, same errors (a bad article among them) as in one process."""
    articles = {f"post-{n}": f"# 글 {n}\n\n{n}번째 글은 피부 관리 안내입니다.\n\n- 항목 {n}입니다\n" for n in range(12)}
    outcomes: dict[str, list[str]] = {}
    for mode, parallel_from in (("serial", 10_000), ("parallel", 2)):
        monkeypatch.setattr(translate.parallel, "PARALLEL_FROM", parallel_from)
        monkeypatch.setattr(translate.parallel, "CHUNK", 3)
        root = make_project(tmp_path / mode, articles={**articles, "bad": "---\ntitle: [\n---\n"})
        runs = outcomes[mode] = [_outcome(root, extract)]
        _approve_half(root)
        runs += [_outcome(root, status), _outcome(root, publish), _outcome(root, status)]
        shutil.rmtree(root / CACHE_DIR)
        runs.append(_outcome(root, status))
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert outcomes["serial"] == outcomes["parallel"]
    assert all("bad.md" in outcome for outcome in outcomes["parallel"])
    assert po_files(serial) == po_files(parallel) and len(po_files(parallel)) == 12
    pages = sorted((parallel / "content" / "en").glob("*.md"))
    assert [p.name for p in pages] == [f"post-{n}.md" for n in sorted(range(0, 12, 2), key=str)]
    assert all(p.read_bytes() == (serial / "content" / "en" / p.name).read_bytes() for p in pages)


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles=ARTICLES)
    (root / CACHE_DIR).write_text("a file where the cache folder would be", encoding="utf-8")
    project = Project.open(root)
    report = extract(project)
    assert len(report.written) == 4
    assert [r[-1] for r in rows(project)] == ["draft"] * 4
    assert len(extract(project).unchanged) == 4  # nothing remembered, nothing lost: still correct
