"""align: an existing Korean/English pair (the clinic's 2025 English page) brought into the PO file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
from typer.testing import CliRunner

from tests.conftest import FIXTURES, GLOSSARY, SAMPLE_SLUG, make_project
from tests.test_cli import run
from translate.align import align_segments
from translate.glossary import parse_glossary
from translate.markdown import parse_document
from translate.publish import is_ours

KEYS = ("title", "description", "summary")
KO = (FIXTURES / "emface-lifting.ko.md").read_text(encoding="utf-8")
EN = (FIXTURES / "emface-lifting.en-2025.md").read_text(encoding="utf-8")


def aligned(ko: str, en: str) -> tuple[list[tuple[list[int], list[int]]], list[float]]:
    kd, ed = parse_document(ko, front_matter_keys=KEYS), parse_document(en, front_matter_keys=KEYS)
    pairs = align_segments(kd.segments, ko, ed.segments, en, parse_glossary(GLOSSARY, Path("g.yaml")), "en")
    return [(p.ko, p.en) for p in pairs], [p.confidence for p in pairs]


def gold() -> list[tuple[list[int], list[int]]]:
    """Checked by hand: one to one, except that the English joins two Korean sentences of the
    second section into one ("... collapsed." However, facial aging ...)."""
    pairs = [([k], [k]) for k in range(5)] + [([5, 6], [5])]
    return pairs + [([k], [k - 1]) for k in range(7, 47)]


def test_the_sample_pair_aligns_exactly_as_checked_by_hand() -> None:
    pairs, confidence = aligned(KO, EN)
    assert pairs == gold()  # 46 of 46 pairs, 47 of 47 Korean segments
    assert sum(confidence) / len(confidence) > 0.75


def test_a_sentence_missing_from_the_english_is_left_unmatched() -> None:
    en = EN.replace("Therefore, the same method\ncannot be applied to everyone.\n", "")
    pairs, _ = aligned(KO, en)
    # Gale-Church prefers a 2-1 pairing to a deletion: the short sentence joins its neighbour
    expected = [p for p in gold() if p[0][0] < 33] + [([33, 34], [32])] + [([k], [k - 2]) for k in range(35, 47)]
    assert pairs == expected


def test_align_writes_drafts_and_flags_the_korean_left_in_the_english(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path / "site")
    en_page = root / "content" / "en" / f"{SAMPLE_SLUG}.md"
    en_page.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "emface-lifting.en-2025.md", en_page)
    code, out = run(runner, root, "align", f"content/ko/{SAMPLE_SLUG}.md", f"content/en/{SAMPLE_SLUG}.md")
    assert code == 0, out
    assert "46 one-to-one" not in out and "45 one-to-one, 1 merged" in out and "confidence 0." in out
    assert "untranslated-korean" in out

    entries = {e.msgid: e for e in polib.pofile(str(root / "po" / "en" / f"{SAMPLE_SLUG}.po")) if not e.obsolete}
    feature = next(e for m, e in entries.items() if m.startswith("단순히 피부 탄력을 개선하는"))
    assert feature.msgstr.startswith("Its 특징 is") and feature.fuzzy
    assert "[error] untranslated-korean" in feature.comment
    hello = next(e for m, e in entries.items() if m.startswith("안녕하세요"))
    assert hello.msgstr.startswith("Hello, this is Bae Tae-seong") and "origin: align" in hello.comment
    joined = next(e for m, e in entries.items() if m.startswith("진료실에서 가장 많이"))
    assert "However, facial aging is not just a skin problem." in joined.msgstr and "alignment" in joined.comment

    assert is_ours(en_page.read_text(encoding="utf-8"))  # adopted: publish may replace it once reviewed
    [row] = json.loads(run(runner, root, "status", "--json")[1])
    assert row["next"] == "draft" and row["page"] != "edited by hand"  # the sentence joined to its neighbour
    code, out = run(runner, root, "publish")
    assert code == 1 and "not published" in out
    assert "Its 특징 is" in en_page.read_text(encoding="utf-8")  # nothing replaced before review


def test_align_never_overwrites_approved_translations(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path / "site")
    run(runner, root, "extract")
    items = json.loads(run(runner, root, "review", "list", "--json")[1])
    hello = next(i for i in items if i["source"].startswith("안녕하세요"))
    run(runner, root, "review", "edit", hello["id"], "--text", "Hello from the clinic.", "--force")
    en_page = root / "content" / "en" / f"{SAMPLE_SLUG}.md"
    en_page.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "emface-lifting.en-2025.md", en_page)
    code, out = run(
        runner, root, "align", f"content/ko/{SAMPLE_SLUG}.md", str(en_page), "--approve", "--reviewer", "Lee"
    )
    assert code == 0 and "1 approved ones kept" in out
    entries = {e.msgid: e for e in polib.pofile(str(root / "po" / "en" / f"{SAMPLE_SLUG}.po"))}
    assert entries[hello["source"]].msgstr == "Hello from the clinic."
    approved = [e for e in entries.values() if e.msgstr and not e.fuzzy]
    drafts = [e for e in entries.values() if e.fuzzy]
    assert len(approved) > 30 and any("approved by Lee" in e.tcomment for e in approved)
    assert any(e.msgstr.startswith("Its 특징") for e in drafts)  # a finding keeps it from --approve
