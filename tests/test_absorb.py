"""absorb: an editor's fixes on a published page go back into the PO file; nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

import polib
from typer.testing import CliRunner

from tests.helpers import CARE_ARTICLE as ARTICLE
from tests.helpers import CARE_TRANSLATIONS as TRANSLATIONS
from tests.helpers import CHANGED_NEW, CHANGED_OLD, KEPT, edit_source, page, po_entries, published_site, run, status_row
from translate.model import segment_id

FIXED = "Like every procedure, this one can have side effects."


def hand_edit(root: Path, old: str, new: str) -> str:
    text = page(root).read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    page(root).write_text(text, encoding="utf-8")
    return text


def entry(root: Path, source: str) -> polib.POEntry:
    return next(e for e in po_entries(root) if e.msgid == source and not e.obsolete)


def test_absorb_takes_a_hand_edit_back_and_publish_works_again(runner: CliRunner, tmp_path: Path) -> None:
    root = published_site(runner, tmp_path / "site")
    hand_edit(root, TRANSLATIONS[KEPT], FIXED)
    hand_edit(root, "title: Skin care guide", "title: A skin care guide")
    code, out = run(runner, root, "absorb", "care", "--reviewer", "Park")
    assert code == 0, out
    assert f"was: {TRANSLATIONS[KEPT]}" in out and f"now: {FIXED}" in out
    kept = entry(root, KEPT)
    assert kept.msgstr == FIXED and not kept.fuzzy and "approved by Park" in kept.tcomment
    assert entry(root, "피부 관리 안내").msgstr == "A skin care guide"
    others = {e.msgid: e.msgstr for e in po_entries(root) if e.msgid not in (KEPT, "피부 관리 안내")}
    assert others == {k: v for k, v in TRANSLATIONS.items() if k in others}  # nothing else touched

    assert status_row(runner, root)["page"] == "up to date"
    code, out = run(runner, root, "publish")
    assert code == 0, out
    text = page(root).read_text(encoding="utf-8")
    assert FIXED in text and "title: A skin care guide" in text


def test_absorb_with_review_keeps_edits_as_drafts(runner: CliRunner, tmp_path: Path) -> None:
    root = published_site(runner, tmp_path / "site")
    edited = hand_edit(root, TRANSLATIONS[KEPT], FIXED)
    code, out = run(runner, root, "absorb", "--review", "--reviewer", "Park")
    assert code == 0, out
    kept = entry(root, KEPT)
    assert kept.fuzzy and kept.msgstr == FIXED
    assert f'replaced the approved "{TRANSLATIONS[KEPT]}"' in kept.tcomment  # the old text is not lost
    assert run(runner, root, "publish")[0] == 1
    assert page(root).read_text(encoding="utf-8").split("---", 2)[2] == edited.split("---", 2)[2]
    items = json.loads(run(runner, root, "review", "list", "--json")[1])
    assert [i["target"] for i in items] == [FIXED]
    assert run(runner, root, "review", "approve", items[0]["id"], "--reviewer", "Kim")[0] == 0
    assert run(runner, root, "publish")[0] == 0
    assert FIXED in page(root).read_text(encoding="utf-8")


def test_a_change_outside_the_sentences_is_reported_and_keeps_the_page_protected(
    runner: CliRunner, tmp_path: Path
) -> None:
    root = published_site(runner, tmp_path / "site")
    hand_edit(root, TRANSLATIONS[KEPT], FIXED)
    edited = hand_edit(root, "# About lifting\n", "# About lifting\n\n![Device](/images/device.jpg)\n")
    code, out = run(runner, root, "absorb", "--reviewer", "Park")
    assert code == 1
    assert "not absorbed" in out and "added outside the translated text" in out and "/images/device.jpg" in out
    assert entry(root, KEPT).msgstr == FIXED  # the sentence edit is taken all the same
    code, out = run(runner, root, "publish")
    assert code == 1 and "edited by hand" in out
    assert page(root).read_text(encoding="utf-8") == edited


def test_hand_edit_and_source_change_between_runs_lose_nothing(runner: CliRunner, tmp_path: Path) -> None:
    root = published_site(runner, tmp_path / "site")
    hand_edit(root, TRANSLATIONS[KEPT], FIXED)
    edit_source(root, ARTICLE.replace(CHANGED_OLD, CHANGED_NEW))
    assert run(runner, root, "extract")[0] == 0
    row = status_row(runner, root)
    assert row["page"] == "edited by hand" and row["next"] == "absorb"
    code, out = run(runner, root, "absorb", "--reviewer", "Park")
    assert code == 0, out
    assert entry(root, KEPT).msgstr == FIXED and not entry(root, KEPT).fuzzy
    changed = entry(root, CHANGED_NEW)
    assert changed.fuzzy and changed.previous_msgid == CHANGED_OLD and changed.msgstr == TRANSLATIONS[CHANGED_OLD]
    assert status_row(runner, root)["next"] == "review"
    # the carried-over draft needs a person: approved by its id, not by --all
    assert run(runner, root, "review", "approve", "--all", "--force", "--reviewer", "Kim")[0] == 1
    run(runner, root, "review", "approve", segment_id(CHANGED_NEW), "--force", "--reviewer", "Kim")
    assert run(runner, root, "publish")[0] == 0
    assert FIXED in page(root).read_text(encoding="utf-8")


def test_absorb_leaves_unedited_pages_alone(runner: CliRunner, tmp_path: Path) -> None:
    root = published_site(runner, tmp_path / "site")
    before = page(root).read_bytes(), (root / "po" / "en" / "care.po").read_bytes()
    code, out = run(runner, root, "absorb")
    assert code == 0 and "0 edited pages" in out
    assert (page(root).read_bytes(), (root / "po" / "en" / "care.po").read_bytes()) == before


ADDED_CLAIM = "It is completely safe and painless."


def test_a_sentence_added_on_the_page_is_never_approved_by_absorb(runner: CliRunner, tmp_path: Path) -> None:
    root = published_site(runner, tmp_path / "site")
    hand_edit(root, TRANSLATIONS[KEPT], f"{TRANSLATIONS[KEPT]} {ADDED_CLAIM}")
    code, out = run(runner, root, "absorb", "--force", "--reviewer", "Park")
    assert code == 1, out
    assert f"added, with no Korean source (kept as a draft for review): {ADDED_CLAIM}" in out
    kept = entry(root, KEPT)
    assert kept.fuzzy and kept.msgstr == f"{TRANSLATIONS[KEPT]} {ADDED_CLAIM}"  # the reviewer sees it
    assert f'[error] added-text: text added on the page, with no Korean source: "{ADDED_CLAIM}"' in kept.comment
    assert "approved by Park" not in kept.tcomment and f'replaced the approved "{TRANSLATIONS[KEPT]}"' in kept.tcomment
    [item] = json.loads(run(runner, root, "review", "list", "--json")[1])
    assert item["findings"][0]["check"] == "added-text" and item["findings"][0]["severity"] == "error"
    code, out = run(runner, root, "review", "approve", item["id"], "--reviewer", "Kim")
    assert code == 1 and "added-text" in out and entry(root, KEPT).fuzzy
    assert run(runner, root, "publish")[0] == 1  # an unapproved sentence: the page is not published
    assert ADDED_CLAIM in page(root).read_text(encoding="utf-8")  # (the page itself is the editor's)
    code, out = run(runner, root, "review", "edit", item["id"], "--text", TRANSLATIONS[KEPT], "--reviewer", "Kim")
    assert code == 0, out
    assert run(runner, root, "publish")[0] == 0
    assert ADDED_CLAIM not in page(root).read_text(encoding="utf-8")


def test_a_sentence_added_before_the_translation_is_found_too(runner: CliRunner, tmp_path: Path) -> None:
    root = published_site(runner, tmp_path / "site")
    hand_edit(root, TRANSLATIONS[KEPT], f"Results are guaranteed. {TRANSLATIONS[KEPT].replace('Every', 'Each')}")
    code, out = run(runner, root, "absorb", "--reviewer", "Park")
    assert code == 1, out
    kept = entry(root, KEPT)
    assert kept.fuzzy and '"Results are guaranteed."' in kept.comment and "Each procedure" in kept.msgstr


def test_a_sentence_split_in_two_or_reworded_is_an_edit_not_added_text(runner: CliRunner, tmp_path: Path) -> None:
    root = published_site(runner, tmp_path / "site")
    split = "Emface uses RF and HIFES together. It reaches the skin and the expression muscles at once."
    hand_edit(root, TRANSLATIONS[CHANGED_OLD], split)
    hand_edit(root, TRANSLATIONS[KEPT], FIXED)
    code, out = run(runner, root, "absorb", "--reviewer", "Park")
    assert code == 0, out
    assert "added, with no Korean source" not in out
    for source, text in ((CHANGED_OLD, split), (KEPT, FIXED)):
        assert entry(root, source).msgstr == text and not entry(root, source).fuzzy
