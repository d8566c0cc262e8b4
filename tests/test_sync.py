"""Keeping language versions in sync: sources edited between runs, renamed articles."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import (
    CARE_ARTICLE,
    CARE_TRANSLATIONS,
    CHANGED_NEW,
    CHANGED_OLD,
    KEPT,
    REMOVED,
    approve_translations,
    edit_source,
    make_project,
    po_entries,
    run,
)
from tests.mt_server import LibreServer
from translate.model import segment_id

EDITED = """\
---
title: 피부 관리 안내
---

# 리프팅 안내

엠페이스는 고주파와 HIFES 에너지를 함께 사용해 피부층과 표정근층에 동시에 작용합니다.
모든 시술은 부작용이 발생할 수 있습니다.
시술 후에는 자외선 차단제를 꼭 바르세요.
"""

ADDED = "시술 후에는 자외선 차단제를 꼭 바르세요."


@pytest.fixture
def approved_site(runner: CliRunner, tmp_path: Path) -> Path:
    root = make_project(tmp_path / "site", articles={"care": CARE_ARTICLE})
    run(runner, root, "extract")
    approve_translations(runner, root, CARE_TRANSLATIONS)
    assert all(not e.fuzzy and e.msgstr for e in po_entries(root))
    return root


def test_a_changed_source_loses_no_approved_translation(runner: CliRunner, approved_site: Path) -> None:
    edit_source(approved_site, EDITED)
    assert run(runner, approved_site, "extract")[0] == 0
    po = po_entries(approved_site)
    active = {e.msgid: e for e in po if not e.obsolete}

    kept = active[KEPT]  # unchanged sentence: still approved, history intact
    assert not kept.fuzzy and kept.msgstr == CARE_TRANSLATIONS[KEPT] and "approved by" in kept.tcomment

    changed = active[CHANGED_NEW]  # changed sentence: old translation as a draft, old Korean shown
    assert changed.fuzzy and changed.msgstr == CARE_TRANSLATIONS[CHANGED_OLD]
    assert changed.previous_msgid == CHANGED_OLD

    assert active[ADDED].msgstr == "" and not active[ADDED].fuzzy  # new sentence: in the queue

    obsolete = {e.msgid: e.msgstr for e in po.obsolete_entries()}  # removed sentences are kept
    assert obsolete[REMOVED] == CARE_TRANSLATIONS[REMOVED]
    assert obsolete[CHANGED_OLD] == CARE_TRANSLATIONS[CHANGED_OLD]

    before = (approved_site / "po" / "en" / "care.po").read_bytes()
    assert run(runner, approved_site, "extract")[0] == 0  # a second run changes nothing
    assert (approved_site / "po" / "en" / "care.po").read_bytes() == before


def test_the_reviewer_is_shown_what_changed_in_the_source(runner: CliRunner, approved_site: Path) -> None:
    edit_source(approved_site, EDITED)
    run(runner, approved_site, "extract")
    code, out = run(runner, approved_site, "review", "list")
    assert code == 0
    assert (
        "source changed: 엠페이스는 고주파와 [-HIFES를-] {+HIFES 에너지를+} 함께 [-사용하여-] {+사용해+} "
        "피부층과 표정근층에 동시에 [-접근합니다.-] {+작용합니다.+}"
    ) in out
    items = json.loads(run(runner, approved_site, "review", "list", "--json")[1])
    changed = next(i for i in items if i["source"] == CHANGED_NEW)
    assert changed["previous_source"] == CHANGED_OLD and changed["state"] == "draft"


def test_approving_a_changed_sentence_clears_the_previous_source(runner: CliRunner, approved_site: Path) -> None:
    edit_source(approved_site, EDITED)
    run(runner, approved_site, "extract")
    code, out = run(runner, approved_site, "review", "approve", segment_id(CHANGED_NEW), "--force", "--reviewer", "Kim")
    assert code == 0, out
    run(runner, approved_site, "extract")
    changed = next(e for e in po_entries(approved_site) if e.msgid == CHANGED_NEW)
    assert not changed.fuzzy and changed.previous_msgid is None


def test_a_reverted_sentence_gets_its_approved_translation_back(runner: CliRunner, approved_site: Path) -> None:
    edit_source(approved_site, EDITED)
    run(runner, approved_site, "extract")
    edit_source(approved_site, CARE_ARTICLE)
    run(runner, approved_site, "extract")
    po = po_entries(approved_site)
    assert all(not e.fuzzy and e.msgstr == CARE_TRANSLATIONS[e.msgid] for e in po if not e.obsolete)
    assert len([e for e in po if not e.obsolete]) == len(CARE_TRANSLATIONS)


@pytest.mark.skipif(shutil.which("msgfmt") is None and not os.environ.get("CI"), reason="gettext not installed")
def test_po_file_with_previous_and_obsolete_entries_passes_msgfmt(runner: CliRunner, approved_site: Path) -> None:
    edit_source(approved_site, EDITED)
    run(runner, approved_site, "extract")
    path = approved_site / "po" / "en" / "care.po"
    assert "#| msgid" in path.read_text(encoding="utf-8") and "#~ msgid" in path.read_text(encoding="utf-8")
    result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_renamed_article_keeps_its_translations_and_page(runner: CliRunner, approved_site: Path) -> None:
    assert run(runner, approved_site, "publish")[0] == 0
    (approved_site / "content" / "ko" / "blog").mkdir()
    os.replace(approved_site / "content" / "ko" / "care.md", approved_site / "content" / "ko" / "blog" / "care.md")
    code, out = run(runner, approved_site, "extract")
    assert code == 0 and "care -> blog/care" in out
    assert not (approved_site / "po" / "en" / "care.po").exists()
    po = po_entries(approved_site, "blog/care")
    assert all(not e.fuzzy and e.msgstr == CARE_TRANSLATIONS[e.msgid] for e in po)
    assert (approved_site / "content" / "en" / "blog" / "care.md").is_file()
    assert not (approved_site / "content" / "en" / "care.md").exists()
    assert run(runner, approved_site, "publish")[0] == 0
    page = (approved_site / "content" / "en" / "blog" / "care.md").read_text(encoding="utf-8")
    assert 'translationKey: "blog/care"' in page


def test_a_renamed_and_edited_article_still_finds_its_translations(runner: CliRunner, approved_site: Path) -> None:
    os.replace(approved_site / "content" / "ko" / "care.md", approved_site / "content" / "ko" / "skin-care.md")
    edit_source(approved_site, EDITED, "skin-care")
    run(runner, approved_site, "extract")
    po = po_entries(approved_site, "skin-care")
    assert next(e for e in po if e.msgid == KEPT).msgstr == CARE_TRANSLATIONS[KEPT]
    assert next(e for e in po if e.msgid == CHANGED_NEW).previous_msgid == CHANGED_OLD


def test_sync_engine_is_repeatable_a_fallback_chain_tried_in_order(runner: CliRunner, tmp_path: Path) -> None:
    with LibreServer() as libre, LibreServer() as google:
        libre.fail = lambda q: 503  # every text libre is asked for fails: google, next in the chain, drafts it
        urls = f'engine_urls = {{ libre = "{libre.url}", google = "{google.google_url}" }}'
        root = make_project(
            tmp_path / "site", articles={"care": CARE_ARTICLE}, settings=f"[tool.translate]\nretries = 0\n{urls}\n"
        )
        code, out = run(runner, root, "sync", "--engine", "libre", "--engine", "google")
        assert code == 1, out  # drafted: waiting for review
        assert "left untranslated" in out and " 0 left untranslated" in out
        asked_libre = len(libre.received)
        origins = {e.msgid: e.comment for e in po_entries(root)}
        assert asked_libre > 0 and all("origin: mt:google" in comment for comment in origins.values())

        (root / "content" / "ko" / "more.md").write_text(CARE_ARTICLE.replace("리프팅", "보습"), encoding="utf-8")
        code, out = run(runner, root, "sync", "--engine", "google", "--engine", "libre")
        assert code == 1 and " 0 left untranslated" in out, out
        assert len(libre.received) == asked_libre  # google first answered everything: libre never asked
