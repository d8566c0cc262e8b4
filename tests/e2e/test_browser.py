"""The review page in a real browser: keyboard review ends up in the PO file; a script in a draft never runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib

from tests.helpers import REVIEW_SLUG as SLUG
from tests.helpers import SCRIPT, Site, screenshot_path, start
from translate.model import segment_id


def entry(site: Site, source_start: str) -> polib.POEntry:
    po = polib.pofile(str(site.project.po_path("en", SLUG)))
    return next(e for e in po if e.msgid.startswith(source_start))


def open_segment(page: Any, source_start: str) -> None:
    """Move with j / k to the segment whose source starts so, as a reviewer would."""
    sources = page.locator("#workspace a.row .src").all_inner_texts()
    target = next(i for i, text in enumerate(sources) if text.startswith(source_start))
    at = page.locator("#workspace a.row").evaluate_all("rows => rows.findIndex(r => r.classList.contains('selected'))")
    for _ in range(abs(target - at)):
        before = page.inner_text("#source-text")
        page.keyboard.press("j" if target > at else "k")
        page.wait_for_function("text => document.querySelector('#source-text')?.innerText !== text", arg=before)
    assert page.inner_text("#source-text").startswith(source_start)


def test_keyboard_review_approve_edit_reject_lands_in_the_po_file(page: Any, site: Site, tmp_path: Path) -> None:
    start(page, site)
    rows = page.locator("#workspace a.row")
    assert rows.count() == 5
    assert page.locator("#workspace a.row .badge.error").count() == 2  # errors first
    assert "error" in rows.nth(0).inner_text().lower() and "error" in rows.nth(1).inner_text().lower()
    page.screenshot(path=str(screenshot_path(tmp_path, "review-queue.png")))

    open_segment(page, "엠페이스는")
    page.wait_for_selector(".suggestions .score")  # the memory's fuzzy match is offered
    page.locator("#panel").screenshot(path=str(screenshot_path(tmp_path, "review-segment.png")))

    open_segment(page, "엠페이스 리프팅의")
    page.keyboard.press("a")
    page.wait_for_selector("#flash.ok")
    assert page.inner_text("#flash") == "Approved."
    assert rows.count() == 4  # it left the "to review" list, and the next segment is open
    assert not page.inner_text("#source-text").startswith("엠페이스 리프팅의")

    open_segment(page, "시술")
    page.keyboard.press("e")
    page.keyboard.press("Control+a")
    page.keyboard.type("The procedure takes about 30 minutes.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#flash.ok")
    assert page.inner_text("#flash") == "Edited and approved."

    open_segment(page, "피부과")
    page.keyboard.press("r")
    page.keyboard.type("Name the clinic's dermatologist.")
    page.keyboard.press("Enter")
    page.wait_for_selector("#flash.ok")
    assert page.inner_text("#flash").startswith("Rejected")
    assert page.evaluate("window.sameDocument") is True  # no full page load on the way

    approved = entry(site, "엠페이스 리프팅의")
    assert not approved.fuzzy and approved.tcomment.startswith("approved by Kim on ")
    edited = entry(site, "시술")
    assert edited.msgstr == "The procedure takes about 30 minutes." and not edited.fuzzy
    assert "edited and approved by Kim" in edited.tcomment
    rejected = entry(site, "피부과")
    last = rejected.tcomment.splitlines()[-1]
    assert (
        rejected.fuzzy
        and last.startswith("rejected by Kim on ")
        and last.endswith(": Name the clinic's dermatologist.")
    )


def test_an_error_needs_the_override_button_not_a_key(page: Any, site: Site) -> None:
    start(page, site)
    open_segment(page, "시술")
    page.keyboard.press("a")
    page.wait_for_selector("#flash.refused")
    page.keyboard.press("a")  # pressing a again does not override
    page.wait_for_timeout(300)
    assert entry(site, "시술").fuzzy
    assert page.evaluate("document.activeElement.id") == "approve-button"
    page.keyboard.press("Enter")  # the focused override button
    page.wait_for_selector("#flash.ok")
    assert "] over numbers" in entry(site, "시술").tcomment


def test_a_script_in_a_draft_is_displayed_not_run(page: Any, site: Site) -> None:
    start(page, site)
    open_segment(page, "부작용")
    assert SCRIPT in page.inner_text("#target-text")
    assert page.locator("#panel script").count() == 0
    page.click(f"#workspace a.row[data-key$='{segment_id(entry(site, '부작용').msgid)}']")  # loaded again by a click
    page.wait_for_selector("#target-text")
    page.keyboard.press("o")  # the article view
    page.wait_for_url("**/article/**")
    assert SCRIPT in page.inner_text("main")
    assert page.locator("main script").count() == 0
    assert page.evaluate("window.pwned") is None
    assert page.title() != "pwned"


def test_a_finding_is_dismissed_with_a_reason_then_the_draft_approves_with_a_key(page: Any, site: Site) -> None:
    start(page, site)
    open_segment(page, "시술")
    page.click("li[data-check='numbers'] summary")  # "Dismiss" opens the reason field
    page.fill("li[data-check='numbers'] input[name='reason']", "The clinic's page says 20 minutes since May.")
    page.press("li[data-check='numbers'] input[name='reason']", "Enter")
    page.wait_for_selector("#flash.ok")
    assert page.inner_text("#flash").startswith("Dismissed the numbers finding")
    assert "dismissed by Kim" in page.inner_text("li.dismissed[data-check='numbers']")
    dismissed = entry(site, "시술")
    assert dismissed.fuzzy and dismissed.tcomment.splitlines()[-1].endswith(
        "over numbers: The clinic's page says 20 minutes since May."
    )
    page.keyboard.press("a")  # no override needed for a dismissed finding
    page.wait_for_selector("#flash.ok >> text=Approved.")
    assert not entry(site, "시술").fuzzy
    assert page.evaluate("window.sameDocument") is True
