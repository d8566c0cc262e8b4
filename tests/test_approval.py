"""A translation is approved only as the text a person approved: findings of the current text, approvals
of an exact text, publish refusing unoverridden errors, carried-over drafts left to a person, and PO
lines that U+2028 and its kind cannot split. Through the CLI on tmp_path projects, editing PO files as a
text editor would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import entry, make_project, page, po_file, run, status_row, text_edit, unfuzzy_and_retype
from translate import history
from translate.model import Catalog, State, Unit, segment_id, text_hash
from translate.po import load_catalog, save_catalog

TIME = "시술 시간은 약 30분입니다."
CARE = "피부 관리 안내입니다."
ARTICLE = f"{TIME}\n\n{CARE}\n"
WRONG = "The procedure takes about 20 minutes."
RETYPED = "The procedure takes about 40 minutes."
RIGHT = "The procedure takes about 30 minutes."


@pytest.fixture
def site(runner: CliRunner, tmp_path: Path) -> Path:
    """An article of two sentences: the care sentence approved, the time sentence a draft with a number
    error (kept as a draft by `review edit`)."""
    root = make_project(tmp_path / "site", articles={"care": ARTICLE})
    assert run(runner, root, "extract")[0] == 0
    code, out = run(runner, root, "review", "edit", segment_id(CARE), "--text", "Skin care guide.", "--reviewer", "Lee")
    assert code == 0, out
    code, out = run(runner, root, "review", "edit", segment_id(TIME), "--text", WRONG, "--reviewer", "Lee")
    assert code == 1 and "numbers" in out
    return root


# --- 1. findings carry the hash of the text they were computed for ----------------------------------


def test_findings_are_stored_with_the_hash_of_their_text(runner: CliRunner, site: Path) -> None:
    draft, clean = entry(site, TIME), entry(site, CARE)
    assert f"checked: {text_hash(WRONG)}" in draft.comment and "[error] numbers" in draft.comment
    assert f"checked: {text_hash('Skin care guide.')}" in clean.comment  # checked clean, not never checked


def test_a_draft_approved_and_retyped_in_an_editor_is_judged_by_its_new_text(runner: CliRunner, site: Path) -> None:
    unfuzzy_and_retype(site, TIME, WRONG, RETYPED)

    code, out = run(runner, site, "review", "list")
    assert code == 0
    assert "not in the source 40" in out and "not in the source 20" not in out  # the new text's findings only
    assert "publish refuses it: numbers" in out
    [listed] = json.loads(run(runner, site, "review", "list", "--json")[1])
    assert listed["state"] == "approved" and listed["blocked"] == ["numbers"] and listed["target"] == RETYPED

    row = status_row(runner, site)
    assert row["approved"] == 2 and row["blocked"] == 1 and row["next"] == "review"
    assert "not publishable: care [en]: 1 approved segment has" in run(runner, site, "status")[1]

    code, out = run(runner, site, "publish")
    assert code == 1
    assert "not published: care [en]: approved translations with errors no one overrode on their text: " in out
    assert f"{segment_id(TIME)} (numbers)" in out
    assert not page(site).exists()
    code, out = run(runner, site, "check")
    assert code == 1 and "numbers" in out and "40" in out


def test_a_retyped_correct_translation_is_approved_outside_translate_and_publishes(
    runner: CliRunner, site: Path
) -> None:
    unfuzzy_and_retype(site, TIME, WRONG, RIGHT)
    assert status_row(runner, site)["next"] == "publish"
    assert json.loads(run(runner, site, "review", "list", "--json")[1]) == []
    code, out = run(runner, site, "publish")
    assert code == 0, out
    assert RIGHT in page(site).read_text(encoding="utf-8")
    assert "approved outside translate" not in entry(site, TIME).tcomment  # readers do not write

    # the next write of the file records it, with the hash of the text found approved
    run(runner, site, "review", "reject", segment_id(CARE), "--reason", "say guidance", "--reviewer", "Park")
    fixed = entry(site, TIME)
    last = history.parse(fixed.tcomment.split("\n")[-1])
    assert last.action == "approved outside translate" and last.text == text_hash(RIGHT)
    assert f"checked: {text_hash(RIGHT)}" in fixed.comment and "[error]" not in fixed.comment
    assert not fixed.fuzzy


# --- 2 and 3. approval of an exact text; publish refuses errors nobody overrode on that text --------


def test_an_override_holds_for_the_text_it_was_made_on_only(runner: CliRunner, site: Path) -> None:
    code, out = run(runner, site, "review", "approve", segment_id(TIME), "--force", "--reviewer", "Kim")
    assert code == 0, out
    approval = history.parse(entry(site, TIME).tcomment.split("\n")[-1])
    assert (approval.action, approval.who, approval.text, approval.over) == (
        "approved",
        "Kim",
        text_hash(WRONG),
        ("numbers",),
    )
    assert run(runner, site, "publish")[0] == 0  # a person overrode the number finding on this text

    text_edit(site, f'msgstr "{WRONG}"', f'msgstr "{RETYPED}"')  # then someone changes the text
    code, out = run(runner, site, "publish")
    assert code == 1 and f"{segment_id(TIME)} (numbers)" in out
    assert WRONG in page(site).read_text(encoding="utf-8")  # the published page is left as it was

    code, out = run(runner, site, "review", "approve", segment_id(TIME), "--reviewer", "Kim")
    assert code == 1 and "has findings (numbers)" in out  # an approved text with errors is not approved again silently
    code, out = run(runner, site, "review", "approve", segment_id(TIME), "--force", "--reviewer", "Kim")
    assert code == 0, out
    lines = [history.parse(line) for line in entry(site, TIME).tcomment.split("\n")]
    assert [e.action for e in lines[-2:]] == ["approved outside translate", "approved"]
    assert lines[-1].text == text_hash(RETYPED) and lines[-1].over == ("numbers",)
    assert run(runner, site, "publish")[0] == 0
    assert RETYPED in page(site).read_text(encoding="utf-8")


def test_legacy_history_lines_are_trusted_for_the_text_as_it_is(runner: CliRunner, site: Path) -> None:
    """Files from before hashes: an approval line without one approves the current text, its
    `(over findings: …)` is an override; a plain one overrides nothing."""
    plain = "approved by Kim on 2025-01-01T00:00:00Z"
    forced = "approved by Kim on 2025-01-01T00:00:00Z (over findings: numbers)"
    path = po_file(site)
    catalog = load_catalog(path, article="care", lang="en", source_lang="ko")
    for unit in catalog.units:
        unit.state, unit.history, unit.checked = State.APPROVED, [plain], None
    save_catalog(catalog, path)
    code, out = run(runner, site, "publish")
    assert code == 1 and f"{segment_id(TIME)} (numbers)" in out and segment_id(CARE) not in out
    text_edit(site, f"# {plain}\n#. origin: edit:Lee\n#. [error]", f"# {forced}\n#. origin: edit:Lee\n#. [error]")
    assert run(runner, site, "publish")[0] == 0
    assert status_row(runner, site)["next"] == "-"


def test_the_rejected_state_is_read_from_the_parsed_history(tmp_path: Path) -> None:
    unit = Unit(
        "문장입니다.",
        "A sentence.",
        State.REJECTED,
        history=[history.rejected("Park", text_hash("A sentence."), "approved by nobody: say it plainly")],
    )
    draft = Unit("다른 문장입니다.", "Another.", State.DRAFT, history=["rejectedness noted by Kim"])
    path = tmp_path / "a.po"
    save_catalog(Catalog("a", "en", "ko", [unit, draft]), path)
    loaded = load_catalog(path, article="a", lang="en", source_lang="ko").units
    assert [u.state for u in loaded] == [State.REJECTED, State.DRAFT]
    event = history.parse(loaded[0].history[-1])
    assert event.rejection and event.reason == "approved by nobody: say it plainly" and not event.approval


def test_the_latest_decision_says_whether_a_history_rejects_comments_deciding_nothing() -> None:
    rejection = history.rejected("Park", "1a2b3c4d", "the number is wrong")
    comment = history.commented("Kim", "rejected by Lee on 2026-11-25T10:00:00Z: looks like a rejection")
    edit = history.line("edited", who="Lee", text="5e6f7a8b")
    assert history.rejects([rejection]) and history.rejects([rejection, comment, comment])
    assert not history.rejects([rejection, edit]) and not history.rejects([rejection, edit, comment])
    assert not history.rejects([comment]) and not history.rejects([])
    assert not history.rejects(["rejected, in the translator's own words"])  # no history line of translate's


@pytest.mark.parametrize(
    "line",
    [
        history.approved("Kim", "1a2b3c4d", ["numbers", "markup"]),
        history.approved("김 리뷰어", "1a2b3c4d", action="edited and approved"),
        history.approved("Kim", "1a2b3c4d", action="edited on content/en/x.md and approved"),
        history.approved("translation memory", "1a2b3c4d", rest=" (exact match of an approved translation)"),
        history.rejected("Park", "1a2b3c4d", "the number is wrong: 3, not 2"),
        history.outside("1a2b3c4d", "2026-11-25T10:00:00Z"),
        history.line("drafted again", who="mt:libre"),
    ],
)
def test_history_lines_read_back_as_the_data_they_were_written_from(line: str) -> None:
    event = history.parse(line)
    assert history.line(
        event.action, who=event.who, when=event.when, text=event.text, over=event.over, reason=event.reason,
        rest=event.rest,
    ) == line  # fmt: skip
    assert event.approval == (event.action.endswith("approved") or event.action == history.OUTSIDE)
    assert history.approves(line, "1a2b3c4d") == (event.approval and event.text == "1a2b3c4d")
    assert not history.approves(line, "99999999")
    assert event.text in (None, "1a2b3c4d") and event.when is not None


# --- 4. a carried-over draft needs a person ---------------------------------------------------------


CHANGED = "피부 관리 안내를 드립니다."


@pytest.fixture
def carried(runner: CliRunner, site: Path) -> Path:
    """The care sentence (approved) changed in the Korean article: its old translation is carried over."""
    (site / "content" / "ko" / "care.md").write_text(f"{TIME}\n\n{CHANGED}\n", encoding="utf-8")
    assert run(runner, site, "extract")[0] == 0
    carried = entry(site, CHANGED)
    assert carried.fuzzy and carried.previous_msgid == CARE and carried.msgstr == "Skin care guide."
    return site


def test_bulk_approval_skips_a_carried_over_draft_and_says_why(runner: CliRunner, carried: Path) -> None:
    code, out = run(runner, carried, "review", "list")
    assert f"{segment_id(CHANGED)}  care [en]  needs editing" in out
    assert "source changed: 피부 관리 [-안내입니다.-] {+안내를 드립니다.+}" in out
    [listed] = [i for i in json.loads(run(runner, carried, "review", "list", "--json")[1]) if i["source"] == CHANGED]
    assert listed["needs_editing"] is True and listed["state"] == "draft"
    before = po_file(carried).read_bytes()

    code, out = run(runner, carried, "review", "approve", "--all", "--force", "--reviewer", "Kim")
    assert code == 1
    assert f"refused: {segment_id(CHANGED)} care [en]: needs editing: the Korean changed" in out
    assert "[-안내입니다.-] {+안내를 드립니다.+}" in out
    still = entry(carried, CHANGED)
    assert still.fuzzy and still.previous_msgid == CARE
    assert po_file(carried).read_bytes() != before  # the forced --all approved the other draft, not this one
    assert run(runner, carried, "publish")[0] == 1
    assert not page(carried).exists()


def test_approving_a_carried_over_draft_by_its_id_shows_the_change_and_clears_it(
    runner: CliRunner, carried: Path
) -> None:
    code, out = run(runner, carried, "review", "approve", segment_id(CHANGED), "--reviewer", "Kim")
    assert code == 0, out
    diff = f"the Korean of {segment_id(CHANGED)} changed: 피부 관리 [-안내입니다.-] {{+안내를 드립니다.+}}"
    assert out.index(diff) < out.index(f"approved: {segment_id(CHANGED)}")
    done = entry(carried, CHANGED)
    assert not done.fuzzy and done.previous_msgid is None and "#|" not in po_file(carried).read_text("utf-8")
    assert history.parse(done.tcomment.split("\n")[-1]).text == text_hash("Skin care guide.")
    run(runner, carried, "review", "approve", segment_id(TIME), "--force", "--reviewer", "Kim")
    assert run(runner, carried, "publish")[0] == 0


def test_an_edit_of_a_carried_over_draft_clears_it(runner: CliRunner, carried: Path) -> None:
    code, out = run(runner, carried, "review", "edit", segment_id(CHANGED), "--text", "Skin care guidance.")
    assert code == 0 and "the Korean of" in out
    done = entry(carried, CHANGED)
    assert not done.fuzzy and done.previous_msgid is None and done.msgstr == "Skin care guidance."


def test_the_walk_shows_the_change_and_approves_a_carried_over_draft(runner: CliRunner, carried: Path) -> None:
    from translate.cli import app

    result = runner.invoke(app, ["-C", str(carried), "review", "--reviewer", "Kim"], input="s\na\n")
    assert result.exit_code == 0, result.output
    assert "needs editing" in result.output and "[-안내입니다.-]" in result.output
    assert not entry(carried, CHANGED).fuzzy


# --- 5. characters str.splitlines breaks at stay inside PO strings ----------------------------------

SEPARATORS = ["\u2028", "\u2029", "\x85", "\v", "\f", "\x1c", "\x1d", "\x1e"]


@pytest.mark.parametrize("separator", SEPARATORS, ids=[f"U+{ord(c):04X}" for c in SEPARATORS])
def test_a_line_separator_in_a_sentence_survives_extract_review_and_publish(
    runner: CliRunner, tmp_path: Path, separator: str
) -> None:
    sentence = f"피부 관리는{separator}매일 합니다."
    root = make_project(tmp_path / "site", articles={"sep": f"# 안내\n\n{sentence}\n"})
    assert run(runner, root, "extract")[0] == 0
    path = po_file(root, "sep")
    catalog = load_catalog(path, article="sep", lang="en", source_lang="ko")
    assert [u.source for u in catalog.units] == ["안내", sentence]  # nothing lost, nothing split
    before = path.read_bytes()
    assert run(runner, root, "extract")[0] == 0 and path.read_bytes() == before  # not an "edited msgid"
    shutil.rmtree(root / ".translate-cache", ignore_errors=True)  # read again, not taken from the cache
    code, out = run(runner, root, "extract")
    assert code == 0 and "0 PO files updated" in out, out

    for source, text in (("안내", "Guide"), (sentence, f"Skin care is{separator}daily.")):
        code, out = run(runner, root, "review", "edit", segment_id(source), "--text", text, "--reviewer", "Kim")
        assert code == 0, out
    # \v and \f are white space to Markdown (one space); U+2028 and the others are not: kept (emphasis next
    # to one stays emphasis)
    expected = "Skin care is daily." if separator in "\v\f" else f"Skin care is{separator}daily."
    [unit] = [u for u in load_catalog(path, article="sep", lang="en", source_lang="ko").units if u.source == sentence]
    assert unit.state is State.APPROVED and unit.target == expected
    assert run(runner, root, "extract")[0] == 0 and run(runner, root, "publish")[0] == 0
    published = (root / "content" / "en" / "sep.md").read_text(encoding="utf-8")
    assert expected in published and "# Guide" in published
    assert json.loads(run(runner, root, "status", "--json")[1])[0]["next"] == "-"

    # a PO editor's approval of a msgstr holding the character is read whole too
    text = path.read_text(encoding="utf-8")
    if separator in expected:  # already in the msgstr (which the PO writer wraps after it)
        text = text.replace('daily."\n', 'daily!"\n')
    else:
        text = text.replace(expected, f"Skin care is{separator}daily!")
    path.write_text(text, encoding="utf-8")
    [unit] = [u for u in load_catalog(path, article="sep", lang="en", source_lang="ko").units if u.source == sentence]
    assert unit.target == f"Skin care is{separator}daily!"
    if shutil.which("msgfmt") or os.environ.get("CI"):
        result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
