"""The page doing the whole job in a real browser (issue 14): drafting from the page against the local
MT server, search, approve all clean, a sentence shared by two articles decided for both, comments.
With UPDATE_SCREENSHOTS=1 the README's pictures are taken here too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest

from tests.helpers import Site, make_project, screenshot_path, serving, start
from tests.mt_server import LibreServer
from translate.extract import extract
from translate.model import State
from translate.po import load_catalog, save_catalog
from translate.project import Project

SHARED = "예약은 전화로 해 주세요."
ARTICLES = {
    "emface": f"""---
title: "엠페이스 리프팅의 특징"
---

엠페이스는 표정근까지 고려한 리프팅입니다.

시술 시간은 약 30분입니다.

{SHARED}
""",
    "ulthera": f"""---
title: "울쎄라 시술 후 관리"
---

시술 후 당일 세안이 가능합니다.

{SHARED}
""",
}
PHRASES = {
    "엠페이스 리프팅의 특징": "Features of Emface lifting",
    "엠페이스는 표정근까지 고려한 리프팅입니다.": "Emface is a lifting that also considers the expression muscles.",
    "시술 시간은 약 30분입니다.": "The procedure takes about 20 minutes.",
    SHARED: "Please book by phone.",
    "울쎄라 시술 후 관리": "Care after an Ulthera treatment",
    "시술 후 당일 세안이 가능합니다.": "You can wash your face on the day of the treatment.",
}


@pytest.fixture
def libre() -> Iterator[LibreServer]:
    with LibreServer(translate=lambda q, source, target: PHRASES.get(q.strip(), q.upper())) as server:
        yield server


@pytest.fixture
def fresh(tmp_path: Path, libre: LibreServer) -> Iterator[Site]:
    """Two articles just extracted (every segment untranslated), the engine set to the local MT server."""
    settings = f'[tool.translate]\nengine = "libre"\nengine_url = "{libre.url}"\nretries = 0\n'
    make_project(tmp_path / "site", articles=ARTICLES, settings=settings)
    project = Project.open(tmp_path / "site")
    extract(project)
    with serving(project) as running:
        yield running


def drafted(site: Site) -> None:
    """Every segment drafted as the MT server would (the shared sentence the same in both articles)."""
    for slug in ARTICLES:
        path = site.project.po_path("en", slug)
        catalog = load_catalog(path, article=slug, lang="en", source_lang="ko")
        for unit in catalog.units:
            unit.target, unit.state, unit.origin = PHRASES[unit.source], State.DRAFT, "mt:libre"
        save_catalog(catalog, path)


def po_entry(site: Site, slug: str, source_start: str) -> polib.POEntry:
    po = polib.pofile(str(site.project.po_path("en", slug)))
    return next(e for e in po if e.msgid.startswith(source_start))


def open_row(page: Any, article: str, source_start: str) -> None:
    row = page.locator("#workspace a.row", has=page.locator(".meta", has_text=article)).filter(has_text=source_start)
    row.first.click()
    page.wait_for_function(
        "text => document.querySelector('#source-text')?.innerText.startsWith(text)", arg=source_start
    )


def test_drafting_from_the_page_fills_the_queue_with_translations(
    page: Any, fresh: Site, libre: LibreServer, tmp_path: Path
) -> None:
    start_fresh(page, fresh)
    assert "Nothing to review yet: 7 segments are untranslated" in page.inner_text("#workspace")
    page.click("#draft-filter")  # "7 untranslated — Draft"
    page.wait_for_selector("#job.ok")
    assert page.inner_text("#job-text").startswith("Drafted 7 of 7 segments")
    page.wait_for_selector("#workspace a.row .tgt")
    assert page.locator("#workspace a.row").count() == 7
    assert "The procedure takes about 20 minutes." in page.inner_text("#workspace .rows")  # rows show translations
    assert page.evaluate("window.sameDocument") is True
    sent = [r.text for r in libre.received if r.path == "/translate"]
    assert sorted(sent) == sorted(set(PHRASES))  # the shared sentence asked for once
    assert po_entry(fresh, "ulthera", SHARED).msgstr == "Please book by phone."
    page.screenshot(path=str(screenshot_path(tmp_path, "review-draft.png")))


def start_fresh(page: Any, site: Site) -> None:
    page.goto(site.url + "/")
    page.fill("#reviewer-name", "Kim")
    page.press("#reviewer-name", "Enter")
    page.wait_for_selector("#draft-filter")
    page.evaluate("window.sameDocument = true")


def test_draft_one_segment_from_its_view(page: Any, fresh: Site, libre: LibreServer) -> None:
    start_fresh(page, fresh)
    page.goto(fresh.url + "/?state=untranslated")
    open_row(page, "ulthera", "시술 후 당일")
    page.click("#draft-segment")
    page.wait_for_selector("#job.ok")
    assert page.inner_text("#job-text").startswith("Drafted 1 of 1 segment ")
    assert [r.text for r in libre.received if r.path == "/translate"] == ["시술 후 당일 세안이 가능합니다."]
    assert po_entry(fresh, "ulthera", "시술 후 당일").fuzzy
    assert not po_entry(fresh, "emface", "시술 시간").msgstr


def test_search_and_approve_all_clean(page: Any, fresh: Site, tmp_path: Path) -> None:
    drafted(fresh)
    start(page, fresh)
    assert page.locator("#workspace a.row").count() == 7
    page.fill("#search", "시술")
    page.press("#search", "Enter")
    page.wait_for_url(re.compile(r".*q=.*"))
    page.wait_for_selector("#workspace a.row")
    sources = page.locator("#workspace a.row .src").all_inner_texts()
    assert sorted(sources) == ["시술 시간은 약 30분입니다.", "시술 후 당일 세안이 가능합니다.", "울쎄라 시술 후 관리"]
    assert page.input_value("#search") == "시술"
    page.screenshot(path=str(screenshot_path(tmp_path, "review-search.png")))
    assert page.inner_text("#approve-clean") == "Approve all clean (2)"  # the number error is not clean
    page.click("#approve-clean")
    page.wait_for_selector("#job.ok")
    assert page.inner_text("#job-text") == "Approved 2 clean drafts."
    assert not po_entry(fresh, "ulthera", "시술 후 당일").fuzzy
    assert po_entry(fresh, "emface", "시술 시간").fuzzy  # 30 → 20 minutes: a finding, left for a person
    assert po_entry(fresh, "emface", "엠페이스는").fuzzy  # not in the search: untouched
    page.wait_for_function("() => document.querySelectorAll('#workspace a.row').length === 1")


def test_a_shared_sentence_decided_for_both_articles_and_a_comment(page: Any, fresh: Site, tmp_path: Path) -> None:
    drafted(fresh)
    start(page, fresh)
    open_row(page, "ulthera", "예약은")
    assert "also in 1 other article" in page.inner_text("#shared").lower()
    page.fill("#comment-text", "The clinic's number is on every page: keep “by phone”.")
    page.press("#comment-text", "Enter")
    page.wait_for_selector("#flash.ok >> text=Comment added")
    assert "Kim" in page.inner_text("#comments") and "keep “by phone”" in page.inner_text("#comments")
    page.check("#scope-all")
    page.locator("#panel").screenshot(path=str(screenshot_path(tmp_path, "review-shared.png")))
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    page.wait_for_selector("#flash.ok >> text=Approved in 2 articles.")
    for slug in ARTICLES:
        shared = po_entry(fresh, slug, SHARED)
        assert not shared.fuzzy and "approved by Kim" in shared.tcomment, slug
    assert "commented by Kim on " in po_entry(fresh, "ulthera", SHARED).tcomment
    assert "commented by" not in po_entry(fresh, "emface", SHARED).tcomment  # the comment was on this copy
    assert page.evaluate("window.sameDocument") is True
