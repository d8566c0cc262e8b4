"""Overrides and dismissals are recorded and respected (issue 13, item 3): a finding a person dismissed
(`review dismiss`) or overrode (`--force`) on a translation no longer fails `translate check`, `status
--check` or publish while the text stays the same, is still listed as such, and comes back when the text
changes. Through the CLI on tmp_path projects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import entry, make_project, po_file, run, status_row, text_edit, unfuzzy_and_retype
from translate import history
from translate.model import Catalog, State, Unit, segment_id, text_hash
from translate.po import load_catalog, save_catalog

TEMP = "샤워 물의 온도는 25도가 적당합니다."
CARE = "피부 관리 안내입니다."
ARTICLE = f"{TEMP}\n\n{CARE}\n"
FAHRENHEIT = "Shower water at about 77°F is best."  # right for US readers; `numbers` cannot know 25 °C = 77 °F
CHANGED = "Shower water at about 78°F is best."
REASON = "25 °C is 77 °F: the US page gives Fahrenheit"
TEMP_ID = segment_id(TEMP)


@pytest.fixture
def site(runner: CliRunner, tmp_path: Path) -> Path:
    """Two sentences: the care sentence approved, the temperature one a draft with a `numbers` error."""
    root = make_project(tmp_path / "site", articles={"care": ARTICLE})
    assert run(runner, root, "extract")[0] == 0
    code, out = run(runner, root, "review", "edit", segment_id(CARE), "--text", "Skin care guide.", "--reviewer", "Lee")
    assert code == 0, out
    code, out = run(runner, root, "review", "edit", TEMP_ID, "--text", FAHRENHEIT, "--reviewer", "Lee")
    assert code == 1 and "numbers" in out
    return root


def check(runner: CliRunner, root: Path) -> tuple[int, str, list[dict[str, object]]]:
    """`translate check` as text and as JSON."""
    code, out = run(runner, root, "check")
    json_code, listed = run(runner, root, "check", "--json")
    assert json_code == code
    return code, out, json.loads(listed)


def stale(runner: CliRunner, root: Path) -> int:
    return run(runner, root, "status", "--check")[0]


def last_event(root: Path, source: str = TEMP) -> history.Event:
    return history.parse(entry(root, source).tcomment.splitlines()[-1])


# --- --force: the override is recorded, and respected by check and status --check ------------------


def test_a_justified_force_lets_check_pass_and_an_edit_brings_the_finding_back(runner: CliRunner, site: Path) -> None:
    code, out, _ = check(runner, site)
    assert code == 1 and f"[{TEMP_ID}] error numbers: numbers differ" in out and "1 error, 0 warnings." in out

    code, out = run(runner, site, "review", "approve", TEMP_ID, "--force", "--reviewer", "Kim")
    assert code == 0, out
    assert last_event(site).over == ("numbers",)
    code, out, listed = check(runner, site)
    assert code == 0, out
    assert f"[{TEMP_ID}] info numbers: numbers differ from the source: missing 25; not in the source 77 " in out
    assert "(error overridden by Kim (approved on " in out  # listed, not hidden
    assert "0 errors, 0 warnings, 1 dismissed." in out
    [problem] = listed
    assert problem["check"] == "numbers" and problem["severity"] == "error"
    assert problem["dismissed"] == {"action": "approved", "by": "Kim", "on": last_event(site).when, "reason": None}
    assert run(runner, site, "publish")[0] == 0
    assert stale(runner, site) == 0

    code, out = run(runner, site, "review", "edit", TEMP_ID, "--text", CHANGED, "--reviewer", "Lee")
    assert code == 1  # a new text: the finding is back, and the edit is a draft again
    code, out, listed = check(runner, site)
    assert code == 1 and "error numbers: numbers differ from the source: missing 25; not in the source 78" in out
    assert "dismissed" not in out and listed[0]["dismissed"] is None
    assert stale(runner, site) == 1


def test_an_override_does_not_survive_a_change_made_in_a_text_editor(runner: CliRunner, site: Path) -> None:
    run(runner, site, "review", "approve", TEMP_ID, "--force", "--reviewer", "Kim")
    assert run(runner, site, "publish")[0] == 0 and stale(runner, site) == 0
    text_edit(site, f'msgstr "{FAHRENHEIT}"', f'msgstr "{CHANGED}"')
    code, out, listed = check(runner, site)
    assert code == 1 and "error numbers" in out and listed[0]["dismissed"] is None
    assert stale(runner, site) == 1
    assert status_row(runner, site)["blocked"] == 1


def test_review_edit_force_records_the_override_and_check_respects_it(runner: CliRunner, site: Path) -> None:
    code, out = run(runner, site, "review", "edit", TEMP_ID, "--text", FAHRENHEIT, "--force", "--reviewer", "Kim")
    assert code == 0, out
    event = last_event(site)
    assert (event.action, event.who, event.text, event.over) == (
        "edited and approved",
        "Kim",
        text_hash(FAHRENHEIT),
        ("numbers",),
    )
    code, out, _ = check(runner, site)
    assert code == 0 and "error overridden by Kim (edited and approved on " in out


# --- review dismiss ---------------------------------------------------------------------------------


def test_dismiss_records_who_why_and_the_text_and_leaves_the_state(runner: CliRunner, site: Path) -> None:
    code, out = run(runner, site, "review", "dismiss", TEMP_ID, "numbers", "--reason", REASON, "--reviewer", "Kim")
    assert code == 0, out
    assert f"dismissed: numbers on {TEMP_ID} care [en] (draft)" in out
    dismissed = entry(site, TEMP)
    assert dismissed.fuzzy and dismissed.msgstr == FAHRENHEIT and "[error] numbers" in dismissed.comment
    event = last_event(site)
    assert event.dismissal and not event.approval
    assert (event.who, event.text, event.over, event.reason) == ("Kim", text_hash(FAHRENHEIT), ("numbers",), REASON)

    code, out, listed = check(runner, site)
    assert code == 0, out
    assert f"(error dismissed by Kim on {event.when}: {REASON})" in out and "0 errors, 0 warnings, 1 dismissed." in out
    assert listed[0]["dismissed"] == {"action": "dismissed", "by": "Kim", "on": event.when, "reason": REASON}

    code, out = run(runner, site, "review", "list")
    listed_line = "  - error numbers: numbers differ from the source: missing 25; not in the source 77"
    assert f"{listed_line} (dismissed by Kim on {event.when}: {REASON})" in out
    [item] = json.loads(run(runner, site, "review", "list", "--json")[1])
    assert item["state"] == "draft" and item["findings"][0]["dismissed"]["reason"] == REASON
    assert item["history"][-1] == event.line  # who dismissed what and why

    assert stale(runner, site) == 1  # still a draft: a dismissal approves nothing
    code, out = run(runner, site, "review", "approve", TEMP_ID, "--reviewer", "Kim")
    assert code == 0, out  # no --force needed: the only finding was dismissed on this text
    assert run(runner, site, "publish")[0] == 0
    assert FAHRENHEIT in (site / "content" / "en" / "care.md").read_text(encoding="utf-8")
    assert stale(runner, site) == 0


def test_a_dismissed_finding_comes_back_when_the_text_changes(runner: CliRunner, site: Path) -> None:
    run(runner, site, "review", "dismiss", TEMP_ID, "numbers", "--reason", REASON, "--reviewer", "Kim")
    text_edit(site, f'msgstr "{FAHRENHEIT}"', f'msgstr "{CHANGED}"')
    code, out, listed = check(runner, site)
    assert code == 1 and "not in the source 78" in out and listed[0]["dismissed"] is None
    code, out = run(runner, site, "review", "list")
    assert "  ! error numbers: numbers differ from the source: missing 25; not in the source 78" in out
    code, out = run(runner, site, "review", "approve", TEMP_ID, "--reviewer", "Kim")
    assert code == 1 and "has findings (numbers)" in out


def test_dismissing_an_approved_translation_publish_refuses_lets_it_publish(runner: CliRunner, site: Path) -> None:
    """A translation approved in a PO editor with an error is blocked; a person who checked it dismisses
    the finding, and the article publishes."""
    unfuzzy_and_retype(site, TEMP, FAHRENHEIT, FAHRENHEIT)
    assert status_row(runner, site)["blocked"] == 1 and stale(runner, site) == 1
    assert run(runner, site, "publish")[0] == 1
    code, out = run(runner, site, "review", "dismiss", TEMP_ID[:6], "NUMBERS", "-r", REASON, "--reviewer", "Kim")
    assert code == 0 and "(approved)" in out, out
    row = status_row(runner, site)
    assert row["blocked"] == 0 and row["next"] == "publish"
    assert json.loads(run(runner, site, "review", "list", "--json")[1]) == []  # no longer in the queue
    assert run(runner, site, "publish")[0] == 0 and stale(runner, site) == 0
    assert check(runner, site)[0] == 0
    lines = entry(site, TEMP).tcomment.splitlines()
    assert [history.parse(line).action for line in lines[-2:]] == ["approved outside translate", "dismissed"]


def test_a_dismissal_after_an_approval_from_before_hashes_keeps_it_approved_as_it_is(
    runner: CliRunner, site: Path
) -> None:
    path = po_file(site)
    catalog = load_catalog(path, article="care", lang="en", source_lang="ko")
    for unit in catalog.units:
        unit.state, unit.history, unit.checked = State.APPROVED, ["approved by Kim on 2025-01-01T00:00:00Z"], None
    save_catalog(catalog, path)
    assert run(runner, site, "review", "dismiss", TEMP_ID, "numbers", "-r", REASON, "--reviewer", "Park")[0] == 0
    assert run(runner, site, "publish")[0] == 0
    run(runner, site, "review", "reject", segment_id(CARE), "--reason", "say guidance")  # the file written again
    actions = [history.parse(line).action for line in entry(site, TEMP).tcomment.splitlines()]
    assert actions == ["approved", "dismissed"]  # not "approved outside translate"


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["numbers"], 2, "Missing option '--reason'"),
        (["numbers", "--reason", "  "], 1, "say why the finding is wrong here with --reason"),
        (
            ["numbres", "--reason", REASON],
            1,
            f"segment {TEMP_ID} in care [en] has no numbres finding on its current text (its findings: "
            "numbers); nothing was dismissed",
        ),
        (["markup", "--reason", REASON, "--article", "nope"], 2, "nope"),
    ],
    ids=["no reason", "empty reason", "unknown check", "unknown article"],
)
def test_bad_dismissals_say_what_to_do_and_change_nothing(
    runner: CliRunner, site: Path, arguments: list[str], code: int, message: str
) -> None:
    before = po_file(site).read_bytes()
    got, out = run(runner, site, "review", "dismiss", TEMP_ID, *arguments)
    assert got == code and message in " ".join(out.split()), out
    assert po_file(site).read_bytes() == before


def test_dismissing_on_an_unknown_or_clean_segment_or_twice_is_an_error(runner: CliRunner, site: Path) -> None:
    code, out = run(runner, site, "review", "dismiss", "0000000000", "numbers", "--reason", REASON)
    assert code == 1 and "no segment with id 0000000000" in out
    code, out = run(runner, site, "review", "dismiss", segment_id(CARE), "numbers", "--reason", REASON)
    assert code == 1 and "has no numbers finding on its current text (it has no findings)" in out
    assert run(runner, site, "review", "dismiss", TEMP_ID, "numbers", "-r", REASON, "--reviewer", "Kim")[0] == 0
    before = po_file(site).read_bytes()
    code, out = run(runner, site, "review", "dismiss", TEMP_ID, "numbers", "-r", "again", "--reviewer", "Park")
    assert code == 1 and f"the numbers finding of segment {TEMP_ID} in care [en] is already dismissed by Kim" in out
    assert po_file(site).read_bytes() == before


def test_an_untranslated_segment_has_nothing_to_dismiss(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles={"care": ARTICLE})
    run(runner, root, "extract")
    code, out = run(runner, root, "review", "dismiss", TEMP_ID, "numbers", "--reason", REASON)
    assert code == 1 and "is not translated yet: there is no finding to dismiss" in out


# --- the history: what counts as settled on a text ----------------------------------------------------


X, Y = "1a2b3c4d", "99999999"


def test_a_dismissal_line_reads_back_as_the_data_it_was_written_from() -> None:
    line = history.dismissed("김 리뷰어", X, "numbers", '1회 here is "each session": the count is right')
    event = history.parse(line)
    assert line.startswith("dismissed by 김 리뷰어 on ") and f"[text {X}] over numbers: 1회 here" in line
    assert (event.who, event.text, event.over, event.reason) == (
        "김 리뷰어",
        X,
        ("numbers",),
        '1회 here is "each session": the count is right',
    )
    assert event.dismissal and not event.approval and not history.approves(line, X)


@pytest.mark.parametrize(
    ("lines", "text", "settled"),
    [
        ([history.approved("Kim", X, ["numbers"])], X, {"numbers": "approved"}),
        ([history.approved("Kim", X, ["numbers"])], Y, {}),  # another text: nothing settled
        ([history.dismissed("Kim", X, "numbers", "ok"), history.approved("Lee", X)], X, {"numbers": "dismissed"}),
        (  # the text changed after the dismissal, then changed back: a new text, judged again
            [
                history.dismissed("Kim", X, "numbers", "ok"),
                history.line("edited", who="Lee", text=Y),
                history.line("edited", who="Lee", text=X),
            ],
            X,
            {},
        ),
        (  # a rejection after an approval takes its override back; a dismissal stays
            [
                history.dismissed("Kim", X, "markup", "ok"),
                history.approved("Kim", X, ["numbers"]),
                history.rejected("Park", X, "the number is wrong"),
            ],
            X,
            {"markup": "dismissed"},
        ),
        (["approved by Kim on 2025-01-01T00:00:00Z (over findings: numbers)"], X, {"numbers": "approved"}),
        (
            ["approved by Kim on 2025-01-01T00:00:00Z (over findings: numbers)", history.approved("Lee", X)],
            X,
            {},  # the latest approval overrode nothing
        ),
    ],
    ids=["override", "other text", "dismissal", "text changed back", "rejected", "legacy", "legacy then approval"],
)
def test_what_a_history_settles_on_a_text(lines: list[str], text: str, settled: dict[str, str]) -> None:
    assert {check: event.action for check, event in history.settled(lines, text).items()} == settled


def test_a_catalog_round_trips_a_dismissal(tmp_path: Path) -> None:
    unit = Unit(
        TEMP, FAHRENHEIT, State.DRAFT, history=[history.dismissed("Kim", text_hash(FAHRENHEIT), "numbers", REASON)]
    )
    path = tmp_path / "a.po"
    save_catalog(Catalog("a", "en", "ko", [unit]), path)
    [loaded] = load_catalog(path, article="a", lang="en", source_lang="ko").units
    assert (
        loaded.state is State.DRAFT
        and history.settled(loaded.history, text_hash(FAHRENHEIT))["numbers"].reason == REASON
    )
