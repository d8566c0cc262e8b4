"""Matching changed sentences costs time linear in the article (issue 17), and finds what the
exhaustive search finds on the articles people write."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from typer.testing import CliRunner

import translate.extract as extract_module
from bench.growth import article, korean_sentences, reword, reword_particle, similar_sentences
from tests.helpers import FIXTURES, make_project, run
from translate.extract import FUZZY_THRESHOLD, fuzzy_matches
from translate.markdown import parse_document
from translate.model import State, Unit

SAMPLE = parse_document((FIXTURES / "emface-lifting.ko.md").read_text(encoding="utf-8"), front_matter_keys=("title",))
SAMPLE_SENTENCES = list(dict.fromkeys(s.source for s in SAMPLE.segments))


def jamo(text: str) -> str:
    """A sentence as the fuzzy matcher compares it (its docstring: jamo, no white space), written from
    the Unicode standard (3.12, Hangul syllable decomposition) rather than with the code's NFD call."""
    out = []
    for char in text:
        index = ord(char) - 0xAC00
        if char.isspace():
            continue
        if 0 <= index < 19 * 21 * 28:
            lead, vowel, tail = index // (21 * 28), index % (21 * 28) // 28, index % 28
            out.append(chr(0x1100 + lead) + chr(0x1161 + vowel) + (chr(0x11A7 + tail) if tail else ""))
        else:
            out.append(unicodedata.normalize("NFD", char))
    return "".join(out)


def exhaustive_matches(new: list[str], old: list[Unit]) -> dict[str, Unit]:
    """The matching as it was before issue 17: every pair scored, best pairs first, one to one."""
    keys = [jamo(u.source) for u in old]
    scored = []
    for sentence in new:
        key = jamo(sentence)
        for index, other in enumerate(keys):
            score = fuzz.ratio(key, other, score_cutoff=FUZZY_THRESHOLD)
            if score:
                scored.append((score, old[index].state is State.APPROVED, sentence, index))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    result: dict[str, Unit] = {}
    used: set[int] = set()
    for _, _, sentence, index in scored:
        if sentence not in result and index not in used:
            result[sentence] = old[index]
            used.add(index)
    for _, _, sentence, index in scored:
        result.setdefault(sentence, old[index])
    return result


def units(sources: list[str], rng: random.Random) -> list[Unit]:
    states = (State.APPROVED, State.DRAFT, State.REJECTED)
    return [Unit(source=s, target=f"T{i}", state=rng.choice(states)) for i, s in enumerate(sources)]


def edit(sentence: str, how: int, rng: random.Random) -> str:
    words = sentence.split(" ")
    if how == 0:  # a particle changed
        swap = {"은": "는", "는": "은", "이": "가"}
        return re.sub(r"(은|는|이|가|을|를)(?= )", lambda m: swap.get(m[1], "이"), sentence, count=1)
    if how == 1 and len(words) > 3:  # a word dropped
        del words[rng.randrange(len(words))]
        return " ".join(words)
    if how == 2:  # a word added
        words.insert(rng.randrange(len(words) + 1), "특히")
        return " ".join(words)
    if how == 3 and len(words) > 5:  # split in two
        half = len(words) // 2
        return " ".join(words[:half]) + "."
    return sentence.replace(" ", "", 1)  # spacing


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.integers(min_value=1, max_value=len(SAMPLE_SENTENCES)))
def test_changed_sentences_of_an_ordinary_article_are_matched_as_by_the_exhaustive_search(
    rng: random.Random, count: int
) -> None:
    chosen = rng.sample(SAMPLE_SENTENCES, count)
    old = units(chosen, rng)
    new = [s for s in dict.fromkeys(edit(s, rng.randrange(5), rng) for s in chosen) if s not in chosen]
    rng.shuffle(new)
    expected = exhaustive_matches(new, old)
    found = fuzzy_matches(new, old)
    assert {s: id(u) for s, u in found.items()} == {s: id(u) for s, u in expected.items()}


def test_a_long_article_reworded_throughout_scores_a_bounded_number_of_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """3,000 sentences that differ in one phrase, each with a particle changed: every pair is similar
    (the worst case), yet each sentence is scored against a few old ones, and finds its own."""
    rng = random.Random(7)
    sources = similar_sentences(3000)
    old = [Unit(source=s, target=f"T{i}", state=State.APPROVED) for i, s in enumerate(sources)]
    new = [reword_particle(s, rng) for s in sources]
    calls = 0
    ratio = fuzz.ratio

    def counted(a: str, b: str, *, score_cutoff: float) -> float:
        nonlocal calls
        calls += 1
        return ratio(a, b, score_cutoff=score_cutoff)

    monkeypatch.setattr(fuzz, "ratio", counted)
    found = fuzzy_matches(new, old)
    assert calls <= len(new) * (2 * extract_module.NEAR + 1)
    assert all(found[n] is u for n, u in zip(new, old, strict=True))


def test_the_bounded_search_finds_what_the_exhaustive_one_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    sources = korean_sentences(700)
    old = units(sources, rng)
    new = [reword(s, rng) for s in sources]
    assert len(new) * len(old) > extract_module.EXACT_PAIRS  # the bounded search is used
    found = fuzzy_matches(new, old)
    monkeypatch.setattr(extract_module, "EXACT_PAIRS", 10**9)
    assert found == fuzzy_matches(new, old) == exhaustive_matches(new, old)
    assert len(found) >= 690


def test_re_extract_of_a_long_article_keeps_approvals_and_matches_every_reworded_sentence(tmp_path: Path) -> None:
    """1,200 sentences approved, then every other one reworded (over 250,000 pairs: the bounded
    search): each reworded sentence gets its own old translation as a draft, nothing approved is lost."""
    runner = CliRunner()
    rng = random.Random(11)
    sources = korean_sentences(1200)
    root = make_project(tmp_path / "site", articles={"long": article(sources)}, glossary="terms: []\n")
    assert run(runner, root, "extract")[0] == 0
    po_path = root / "po" / "en" / "long.po"
    po = polib.pofile(str(po_path))
    for number, entry in enumerate(po):
        entry.msgstr = f"Translation {number}."
    po.save()
    translations = {e.msgid: e.msgstr for e in po}
    edited = [reword(s, rng) if i % 2 else s for i, s in enumerate(sources)]
    (root / "content" / "ko" / "long.md").write_text(article(edited), encoding="utf-8")

    code, out = run(runner, root, "extract")

    assert code == 0, out
    entries = {e.msgid: e for e in polib.pofile(str(po_path)) if not e.obsolete}
    before = [s.source for s in parse_document(article(sources)).segments]
    after = [s.source for s in parse_document(article(edited)).segments]
    assert len(before) == len(after) and sum(a != b for a, b in zip(before, after, strict=True)) >= 600
    for old, new in zip(before, after, strict=True):
        entry = entries[new]
        if old == new:
            assert entry.msgstr == translations[old] and not entry.fuzzy
        else:
            assert entry.fuzzy and entry.previous_msgid == old and entry.msgstr == translations[old]
