"""align: an existing Korean/English pair (the clinic's 2025 English page) brought into the PO file."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import polib
import pytest
import yaml
from typer.testing import CliRunner

import translate.align as align_module
from bench.growth import article, english_page, korean_sentences
from tests.helpers import FIXTURES, GLOSSARY, SAMPLE_SLUG, make_project, run
from translate.align import align_segments
from translate.glossary import Glossary, parse_glossary
from translate.markdown import parse_document
from translate.pages import is_ours

KEYS = ("title", "description", "summary")
KO = (FIXTURES / "emface-lifting.ko.md").read_text(encoding="utf-8")
EN = (FIXTURES / "emface-lifting.en-2025.md").read_text(encoding="utf-8")


def aligned(ko: str, en: str) -> tuple[list[tuple[list[int], list[int]]], list[float]]:
    kd, ed = parse_document(ko, front_matter_keys=KEYS), parse_document(en, front_matter_keys=KEYS)
    pairs = align_segments(kd.segments, ko, ed.segments, en, parse_glossary(GLOSSARY, Path("g.yaml")), "en")
    return [(p.ko, p.en) for p in pairs], [p.confidence for p in pairs]


GOLD = yaml.safe_load((FIXTURES / "emface-lifting.align-gold.yaml").read_text(encoding="utf-8"))


def gold() -> list[tuple[list[int], list[int]]]:
    """Checked by hand (tests/fixtures/emface-lifting.align-gold.yaml): each English sentence and
    the Korean segment(s) it translates; here one to one, 47 pairs."""
    return [(item["ko"], [en]) for en, item in enumerate(GOLD)]


def test_the_gold_names_the_sentences_it_pairs() -> None:
    ko, en = parse_document(KO, front_matter_keys=KEYS).segments, parse_document(EN, front_matter_keys=KEYS).segments
    assert len(en) == len(GOLD) == 47
    for segment, item in zip(en, GOLD, strict=True):
        assert segment.source.startswith(item["en"]) and ko[item["ko"][0]].source.startswith(item["ko_text"])


def test_the_sample_pair_aligns_exactly_as_checked_by_hand() -> None:
    pairs, confidence = aligned(KO, EN)
    right = sum(1 for ko, en in pairs for e in en if GOLD[e]["ko"] == ko)
    assert right == len(GOLD)  # 47 of 47 English sentences with the Korean they translate
    assert pairs == gold()
    assert sum(confidence) / len(confidence) > 0.75


def test_a_sentence_missing_from_the_english_is_left_unmatched() -> None:
    en = EN.replace("Therefore, the same method\ncannot be applied to everyone.\n", "")
    pairs, _ = aligned(KO, en)
    # Gale-Church prefers a 2-1 pairing to a deletion: the short sentence joins its neighbour
    expected = [p for p in gold() if p[0][0] < 33] + [([33, 34], [33])] + [([k], [k - 1]) for k in range(35, 47)]
    assert pairs == expected


def test_align_writes_drafts_and_flags_the_korean_left_in_the_english(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path / "site")
    en_page = root / "content" / "en" / f"{SAMPLE_SLUG}.md"
    en_page.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "emface-lifting.en-2025.md", en_page)
    code, out = run(runner, root, "align", f"content/ko/{SAMPLE_SLUG}.md", f"content/en/{SAMPLE_SLUG}.md")
    assert code == 0, out
    assert "47 one-to-one, 0 merged" in out and "confidence 0." in out
    assert "untranslated-korean" in out

    entries = {e.msgid: e for e in polib.pofile(str(root / "po" / "en" / f"{SAMPLE_SLUG}.po")) if not e.obsolete}
    feature = next(e for m, e in entries.items() if m.startswith("단순히 피부 탄력을 개선하는"))
    assert feature.msgstr.startswith("Its 특징 is") and feature.fuzzy
    assert "[error] untranslated-korean" in feature.comment
    hello = next(e for m, e in entries.items() if m.startswith("안녕하세요"))
    assert hello.msgstr.startswith("Hello, this is Bae Tae-seong") and "origin: align" in hello.comment
    # two English sentences after a quote: each goes to its own Korean sentence (issue 13, item 4)
    quoted = next(e for m, e in entries.items() if m.startswith("진료실에서 가장 많이"))
    assert quoted.msgstr.endswith('"My facial line seems to have collapsed."') and "alignment" not in quoted.comment
    however = next(e for m, e in entries.items() if m.startswith("하지만 얼굴 노화는"))
    assert however.msgstr == "However, facial aging is not just a skin problem."

    assert is_ours(en_page.read_text(encoding="utf-8"))  # adopted: publish may replace it once reviewed
    [row] = json.loads(run(runner, root, "status", "--json")[1])
    assert row["next"] == "review" and row["draft"] == 47 and row["page"] != "edited by hand"
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
    assert code == 0 and "1 approved one kept as it was" in out
    entries = {e.msgid: e for e in polib.pofile(str(root / "po" / "en" / f"{SAMPLE_SLUG}.po"))}
    assert entries[hello["source"]].msgstr == "Hello from the clinic."
    approved = [e for e in entries.values() if e.msgstr and not e.fuzzy]
    drafts = [e for e in entries.values() if e.fuzzy]
    assert len(approved) > 30 and any("approved by Lee" in e.tcomment for e in approved)
    assert any(e.msgstr.startswith("Its 특징") for e in drafts)  # a finding keeps it from --approve


def test_a_page_that_starts_with_a_rule_is_adopted_with_a_front_matter_block(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles={"care": "# 피부 관리\n\n피부 관리 안내입니다.\n"})
    en_page = root / "content" / "en" / "care.md"
    en_page.parent.mkdir(parents=True)
    en_page.write_text("----\n\n# Skin care\n\nA guide to skin care.\n", encoding="utf-8")
    code, out = run(runner, root, "align", "content/ko/care.md", "content/en/care.md")
    assert code == 0, out
    text = en_page.read_text(encoding="utf-8")
    assert text.startswith("---\ntranslationHash: ") and text.endswith(
        "---\n\n----\n\n# Skin care\n\nA guide to skin care.\n"
    )
    assert is_ours(text)


# --- growth (issue 17) ---------------------------------------------------------------------------


def pair(count: int, cut: int = 0, at: int = 0) -> tuple[str, str]:
    korean = article(korean_sentences(count))
    lines = english_page(korean, random.Random(count)).split("\n")
    return korean, "\n".join(lines[:at] + lines[at + cut :])


def alignment(korean: str, english: str) -> list[tuple[list[int], list[int], float]]:
    kd, ed = parse_document(korean), parse_document(english)
    pairs = align_module.align_segments(kd.segments, korean, ed.segments, english, Glossary(), "en")
    return [(p.ko, p.en, p.confidence) for p in pairs]


@pytest.mark.parametrize(("cut", "at"), [(0, 0), (40, 30), (60, 200)])
def test_the_banded_alignment_is_the_exhaustive_one(monkeypatch: pytest.MonkeyPatch, cut: int, at: int) -> None:
    """A narrow band, widened where the best path runs along its edge (an English page that lacks a
    section), gives the alignment of the whole table."""
    korean, english = pair(150, cut, at)
    monkeypatch.setattr(align_module, "BAND", 4)
    banded = alignment(korean, english)
    monkeypatch.setattr(align_module, "BAND", 10**6)
    assert banded == alignment(korean, english)


def test_the_alignment_scores_a_number_of_pairings_linear_in_the_article(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    cost = align_module._Scorer.cost

    def counted(self: align_module._Scorer, ko: range, en: range) -> tuple[float, float]:
        nonlocal calls
        calls += 1
        return cost(self, ko, en)

    monkeypatch.setattr(align_module._Scorer, "cost", counted)
    counts = []
    for size in (300, 600):
        calls = 0
        alignment(*pair(size))
        counts.append(calls)
    assert counts[1] < 2.2 * counts[0]
