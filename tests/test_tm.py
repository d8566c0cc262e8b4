"""The translation memory: exact matches fill drafts, fuzzy matches help reviewers, TMX in and out."""

from __future__ import annotations

import json
import random
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process, utils

from tests.helpers import cli as run
from tests.helpers import make_project
from tests.mt_server import LibreServer
from translate.model import Unit, segment_id
from translate.tm import XML_LANG, FuzzyIndex, MemoryEntry

NOTICE = "모든 시술은 개인에 따라 결과가 다를 수 있습니다."
CLOSE = "모든 시술은 개인에 따라 효과가 다를 수 있습니다."
FAR = "오늘은 날씨가 맑습니다."


pytestmark = pytest.mark.usefixtures("local_mt_only")


def entries(root: Path, slug: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(root / "po" / "en" / f"{slug}.po"))}


def approved_site(tmp_path: Path, settings: str | None = None, **articles: str) -> Path:
    """A project whose article `old` has NOTICE approved, plus the given articles."""
    root = make_project(tmp_path / "site", articles={"old": NOTICE + "\n", **articles}, settings=settings)
    run(root, "extract")
    code, _ = run(
        root, "review", "edit", segment_id(NOTICE), "--text", "Results vary from person to person.", "--article", "old"
    )
    assert code == 0
    return root


def test_exact_match_fills_a_draft_without_machine_translation(tmp_path: Path) -> None:
    root = approved_site(tmp_path, new=f"{NOTICE}\n")
    code, out = run(root, "draft", "--url", "http://127.0.0.1:9/")
    assert code == 0 and "1 drafted from translation memory" in out
    entry = entries(root, "new")[NOTICE]
    assert entry.msgstr == "Results vary from person to person." and entry.fuzzy and "origin: tm" in entry.comment


def test_auto_approve_exact_approves_clean_matches(tmp_path: Path) -> None:
    root = approved_site(tmp_path, "[tool.translate]\nauto_approve_exact = true\n", new=f"{NOTICE}\n")
    code, out = run(root, "draft", "--url", "http://127.0.0.1:9/")
    assert code == 0 and "(1 approved automatically)" in out
    entry = entries(root, "new")[NOTICE]
    assert not entry.fuzzy and "approved by translation memory" in entry.tcomment


def test_fuzzy_matches_are_suggested_with_score_and_the_differing_words(tmp_path: Path) -> None:
    root = approved_site(tmp_path, new=f"{CLOSE}\n\n{FAR}\n")
    items = {i["source"]: i for i in json.loads(run(root, "review", "list", "--json")[1])}
    [suggestion] = items[CLOSE]["suggestions"]
    assert suggestion["target"] == "Results vary from person to person." and suggestion["source"] == NOTICE
    assert 75 <= suggestion["score"] < 100
    assert "[-결과가-] {+효과가+}" in suggestion["diff"]
    assert items[FAR]["suggestions"] == []  # below the threshold
    code, out = run(root, "review", "list", "--article", "new")
    assert code == 0
    assert f"memory {suggestion['score']}%: Results vary from person to person." in out
    assert "[-결과가-] {+효과가+}" in out


def test_the_threshold_is_a_setting(tmp_path: Path) -> None:
    root = approved_site(tmp_path, "[tool.translate]\nfuzzy_threshold = 99\n", new=f"{CLOSE}\n")
    items = json.loads(run(root, "review", "list", "--json", "--article", "new")[1])
    assert items[0]["suggestions"] == []


def test_export_then_import_into_another_project_drafts_from_it(tmp_path: Path) -> None:
    root = approved_site(tmp_path)
    exported = tmp_path / "clinic.tmx"
    code, out = run(root, "tm", "export", str(exported))
    assert code == 0 and "1 translation unit written" in out
    tree = ET.parse(exported).getroot()
    assert tree.get("version") == "1.4" and tree.find("header").get("srclang") == "ko"  # type: ignore[union-attr]
    langs = [tuv.get(XML_LANG) for tuv in tree.iter("tuv")]
    assert langs == ["ko", "en"]

    other = make_project(tmp_path / "other", articles={"notice": NOTICE + "\n"})
    run(other, "extract")
    code, out = run(other, "tm", "import", str(exported))
    assert code == 0 and "1 added" in out and (other / "tm" / "ko-en.tmx").is_file()
    with LibreServer() as server:
        code, out = run(other, "draft", "--url", server.url)
        assert server.received == []
    entry = entries(other, "notice")[NOTICE]
    assert entry.msgstr == "Results vary from person to person." and "origin: tm:ko-en.tmx" in entry.comment


def test_imported_memories_from_other_tools(tmp_path: Path) -> None:
    tmx = tmp_path / "trados.tmx"
    tmx.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="ko-KR" segtype="sentence" o-tmf="x" adminlang="en" datatype="html"
 creationtool="x" creationtoolversion="1"/><body>
<tu><tuv xml:lang="ko-KR"><seg>{NOTICE}</seg></tuv>
<tuv xml:lang="EN-US"><seg>Results <bpt i="1">&lt;b&gt;</bpt>vary<ept i="1">&lt;/b&gt;</ept>.</seg></tuv></tu>
<tu><tuv lang="KO"><seg>  오늘은   날씨가 맑습니다. </seg></tuv><tuv lang="en"><seg>It is sunny.</seg></tuv></tu>
<tu><tuv xml:lang="ko"><seg>일본어만 있습니다.</seg></tuv><tuv xml:lang="ja"><seg>日本語</seg></tuv></tu>
</body></tmx>""",
        encoding="utf-8",
    )
    root = make_project(tmp_path / "site", articles={"a": f"{NOTICE}\n\n{FAR}\n"}, settings=None)
    run(root, "extract")
    code, out = run(root, "tm", "import", str(tmx))
    assert code == 0 and "2 added, 0 updated, 0 unchanged, 1 skipped" in out
    code, out = run(root, "tm", "import", str(tmx))
    assert "0 added, 0 updated, 2 unchanged" in out and "updated " not in out.splitlines()[0]
    run(root, "draft", "--url", "http://127.0.0.1:9/")
    drafted = entries(root, "a")
    assert drafted[FAR].msgstr == "It is sunny." and drafted[NOTICE].msgstr == "Results <b>vary</b>."
    # imported memories are drafts for review even with auto_approve_exact
    assert drafted[FAR].fuzzy


def test_project_approvals_win_over_imported_memories(tmp_path: Path) -> None:
    root = approved_site(tmp_path, new=f"{NOTICE}\n")
    (root / "tm").mkdir()
    (root / "tm" / "old.tmx").write_text(
        f'<tmx version="1.4"><header srclang="ko"/><body><tu><tuv xml:lang="ko"><seg>{NOTICE}</seg></tuv>'
        '<tuv xml:lang="en"><seg>Old wording.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    run(root, "draft", "--url", "http://127.0.0.1:9/")
    assert entries(root, "new")[NOTICE].msgstr == "Results vary from person to person."


def test_a_broken_tmx_file_is_named_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text('<tmx version="1.4">\n<body>\n<tu>\n</body></tmx>\n', encoding="utf-8")
    root = make_project(tmp_path / "site", articles={"a": FAR + "\n"})
    code, out = run(root, "tm", "import", str(bad))
    assert code == 2 and f"{bad}:4: not a valid TMX file" in out


# --- fuzzy lookup: the same suggestions as scoring the whole memory ----------------------------

SYLLABLES = [chr(0xAC00 + 28 * n) for n in range(0, 11172 // 28, 1)]  # 399 syllables without a final consonant


def reference_suggestions(memory: list[MemoryEntry], unit: Unit, threshold: float) -> list[tuple[str, int, str]]:
    """FuzzyIndex.suggest written plainly: rapidfuzz over the whole memory, best first, ties in memory order.
    The memory holds the first entry of each source (NFC, runs of white space one space)."""
    first: dict[str, MemoryEntry] = {}
    for entry in memory:
        first.setdefault(" ".join(unicodedata.normalize("NFC", entry.source).split()), entry)
    kept = list(first.values())
    query = utils.default_process(unit.source)
    if not query or not kept:
        return []
    keys = [utils.default_process(entry.source) for entry in kept]
    found = process.extract(query, keys, scorer=fuzz.ratio, processor=None, score_cutoff=threshold, limit=4)
    return [(kept[i].target, round(score), kept[i].source) for _, score, i in found if kept[i].target != unit.target][
        :3
    ]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from([0, 40, 75, 75.5, 90, 100]), st.booleans())
def test_fuzzy_suggestions_are_those_of_the_whole_memory(seed: int, threshold: float, bags: bool) -> None:
    rng = random.Random(seed)
    alphabet = rng.sample(SYLLABLES, rng.choice([20, 300])) + list("abcABC .,!?1")
    bases = ["".join(rng.choices(alphabet, k=rng.randint(1, 30))) for _ in range(5)]

    def variant() -> str:
        text = list(rng.choice(bases))
        for _ in range(rng.randint(0, 6)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.5 and at < len(text):
                del text[at]
            else:
                text.insert(at, rng.choice(alphabet))
        return "".join(text)

    memory = [MemoryEntry(variant(), f"T{n % 50}") for n in range(rng.randint(0, 400))]
    index = FuzzyIndex(memory, threshold)
    if bags:  # the character bags from the first lookup on (a large memory has them after many lookups)
        index.BAGS_AFTER, index.BAGS_FROM = -1, 0
    for _ in range(20):
        unit = Unit(variant() + rng.choice(["", "ㅎ", "й", "\u0301"]), target=rng.choice(["", "T1", "T2"]))
        expected = reference_suggestions(memory, unit, threshold)
        for _ in range(2):  # asked again: the same
            assert [(s.target, s.score, s.source) for s in index.suggest(unit)] == expected


def test_export_carries_only_what_was_approved_in_the_project(tmp_path: Path) -> None:
    s1, s2, s3 = "첫 문장은 승인됩니다.", "둘째 문장은 초안입니다.", "셋째 문장은 거절됩니다."
    s4, s4_changed = "넷째 문장은 바뀝니다.", "넷째 문장은 조금 바뀝니다."
    s5, s6 = "다섯째 문장은 초안인 채 사라집니다.", "여섯째 문장은 승인된 뒤 사라집니다."
    root = make_project(tmp_path / "site", articles={"a": "\n\n".join([s1, s2, s3, s4, s5, s6]) + "\n"})
    run(root, "extract")
    for source in (s1, s4, s6):
        assert run(root, "review", "edit", segment_id(source), "--text", f"Approved {len(source)}.", "--force")[0] == 0
    with LibreServer() as server:
        assert run(root, "draft", "--url", server.url)[0] == 0
    assert run(root, "review", "reject", segment_id(s3), "--reason", "wrong")[0] == 0
    (root / "content" / "ko" / "a.md").write_text("\n\n".join([s1, s2, s3, s4_changed]) + "\n", encoding="utf-8")
    run(root, "extract")
    (root / "tm").mkdir()
    (root / "tm" / "agency.tmx").write_text(
        f'<tmx version="1.4"><header srclang="ko"/><body><tu><tuv xml:lang="ko"><seg>{FAR}</seg></tuv>'
        '<tuv xml:lang="en"><seg>It is sunny.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    po = {e.msgid: e for e in polib.pofile(str(root / "po" / "en" / "a.po"))}
    assert po[s4_changed].fuzzy and po[s4_changed].msgstr and po[s5].obsolete and po[s5].fuzzy and po[s6].obsolete

    exported = tmp_path / "clinic.tmx"
    code, out = run(root, "tm", "export", str(exported))
    assert code == 0 and "3 translation units written" in out
    units = {tu[0].findtext("seg"): tu[1].findtext("seg") for tu in ET.parse(exported).getroot().iter("tu")}
    assert units == {s1: f"Approved {len(s1)}.", s4: f"Approved {len(s4)}.", s6: f"Approved {len(s6)}."}


@pytest.mark.parametrize("bags", [False, True])
@pytest.mark.parametrize("threshold", [50, 60, 66.7, 75, 75.5, 80, 90, 100])
def test_entries_at_the_edges_of_the_length_band_are_found(threshold: float, bags: bool) -> None:
    """Entries just long or short enough to reach the threshold (a prefix of the query, or the
    query with characters added) are suggested; one character more or less and they are not."""
    query = "가나다라마바사아자차카타파하" * 2 + "abc"  # 31 characters, repeated syllables
    for length in range(1, 3 * len(query)):
        source = query[:length] if length <= len(query) else query + "ㅋ" * (length - len(query))
        unit = Unit(query, target="own")
        far = [MemoryEntry("ㅎ" * n, f"F{n}") for n in range(1, 12)]  # the lookup scores only what is close
        memory = [*far[:5], MemoryEntry(source, f"T{length}"), *far[5:]]
        expected = reference_suggestions(memory, unit, threshold)
        index = FuzzyIndex(memory, threshold)
        if bags:
            index.BAGS_AFTER, index.BAGS_FROM = -1, 0
        found = [(s.target, s.score, s.source) for s in index.suggest(unit)]
        assert found == expected
        score = 200 * min(length, len(query)) / (length + len(query))
        assert bool(found) == (score >= threshold)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from([0, 50, 60, 75, 75.5, 80, 100]), st.booleans())
def test_suggestions_of_a_memory_of_many_lengths_near_the_threshold(seed: int, threshold: float, bags: bool) -> None:
    """Many entries of every length around the query's, most scoring close to the threshold, some
    made of one repeated character: the suggestions are still those of the whole memory."""
    rng = random.Random(seed)
    alphabet = rng.sample(SYLLABLES, 6) + list("a ")
    base = "".join(rng.choices(alphabet, k=rng.randint(5, 60)))

    def near() -> str:
        text = list(base)
        for _ in range(rng.randint(0, len(base) // 2)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.5 and at < len(text):
                del text[at]
            else:
                text.insert(at, rng.choice(alphabet))
        if rng.random() < 0.1:
            return rng.choice(alphabet) * rng.randint(1, 90)
        return "".join(text) or "a"

    memory = [MemoryEntry(near(), f"T{n}") for n in range(rng.randint(1, 300))]
    index = FuzzyIndex(memory, threshold)
    if bags:
        index.BAGS_AFTER, index.BAGS_FROM = -1, 0
    for _ in range(10):
        unit = Unit(near(), target=rng.choice(["", "T1"]))
        assert [(s.target, s.score, s.source) for s in index.suggest(unit)] == reference_suggestions(
            memory, unit, threshold
        )
