"""The cache under .translate-cache/ is derived: deleting or damaging it at any moment changes no result."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

import translate.extract
import translate.status
from tests.conftest import make_project
from translate.cache import CACHE_DIR
from translate.errors import TranslateError
from translate.extract import extract
from translate.model import Document, State, segment_id
from translate.po import load_catalog
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
    monkeypatch.setattr(translate.status, "load_source", counting_load)
    project.source_path("note-2").write_text("바뀐 글입니다.\n", encoding="utf-8")
    report = extract(project)
    status(project)
    assert read == ["note-2", "note-2"]  # only the changed article was parsed, by extract and by status
    assert len(report.unchanged) == 3 and len(report.written) == 1


def test_parallel_extraction_writes_what_serial_extraction_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = {f"post-{n}": f"# 글 {n}\n\n{n}번째 글은 피부 관리 안내입니다.\n\n- 항목 {n}입니다\n" for n in range(12)}
    serial = make_project(tmp_path / "serial", articles={**articles, "bad": "---\ntitle: [\n---\n"})
    parallel = make_project(tmp_path / "parallel", articles={**articles, "bad": "---\ntitle: [\n---\n"})
    with pytest.raises(TranslateError) as serial_error:
        extract(Project.open(serial))
    monkeypatch.setattr(translate.extract, "PARALLEL_FROM", 2)
    with pytest.raises(TranslateError) as parallel_error:
        extract(Project.open(parallel))
    assert str(serial_error.value).replace(str(serial), "") == str(parallel_error.value).replace(str(parallel), "")
    assert po_files(serial) == po_files(parallel) and len(po_files(parallel)) == 12
