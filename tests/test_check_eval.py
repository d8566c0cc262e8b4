"""The checks' evaluation set (bench/checks/): its shape, the runner's counting, and the figures.

The measured figures may not fall below the floor recorded here. The three targets of issue 13
are asserted too (all met since item 2, CJK-friendly emphasis in markdown.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from bench.checks import run as evalset
from translate.checks import CHECKS
from translate.glossary import load_glossary, parse_glossary

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def pairs() -> list[evalset.Pair]:
    return evalset.load_pairs()


@pytest.fixture(scope="module")
def report(pairs: list[evalset.Pair]) -> evalset.Report:
    return evalset.evaluate(pairs, load_glossary(evalset.GLOSSARY))


# --- the set ----------------------------------------------------------------------------------


def test_the_set_has_300_pairs_each_with_a_correct_translation_and_a_labelled_variant(
    pairs: list[evalset.Pair],
) -> None:
    raw = yaml.safe_load(evalset.DATA.read_text(encoding="utf-8"))
    ids = [item["id"] for item in raw]
    assert len(ids) == len(set(ids)) == len(pairs) >= 300
    for pair in pairs:
        assert HANGUL.search(pair.source), pair.id
        assert pair.target.strip() and not HANGUL.search(pair.target), pair.id
        assert pair.variants, pair.id
        assert len({v.target for v in pair.variants}) == len(pair.variants), f"{pair.id}: a variant twice"
        for variant in pair.variants:
            assert variant.check in evalset.SEGMENT_CHECKS, pair.id
            assert variant.target != pair.target, pair.id


def test_every_segment_check_has_seeded_errors_to_catch(pairs: list[evalset.Pair]) -> None:
    labels = [v.check for p in pairs for v in p.variants]
    assert set(evalset.SEGMENT_CHECKS) | set(evalset.NOT_MEASURED) == set(CHECKS)
    for check in evalset.SEGMENT_CHECKS:
        assert labels.count(check) >= 10, (
            f"{check}: seed wrong variants for it in bench/checks/pairs.yaml (and add it to FLOOR below), "
            "or list it in NOT_MEASURED of bench/checks/run.py if check_translation never reports it"
        )


def test_the_set_covers_what_issue_13_asks_for(pairs: list[evalset.Pair]) -> None:
    sources = "\n".join(p.source for p in pairs)
    counters = (r"\d회", r"\d번", r"\d주", r"\d개월", r"\d년", r"\d시", r"\d분")
    for counter in (*counters, r"\d만\s?원", r"\d%", r"\d~\d", r"오후 \d시"):
        assert re.search(counter, sources), counter
    targets = "\n".join(p.target for p in pairs)
    for english in ("twice", "once a week", "a year", "three or more", "Each session", "p.m.", "six"):
        assert english in targets, english
    assert re.search(r'\?"라고', sources) and re.search(r'\?"$', targets, re.MULTILINE)  # quoted questions
    assert re.search(r"\)\*\*(으로|로|에서)", sources)  # bold link right before a particle
    assert sum(p.id.startswith("list-") for p in pairs) >= 20  # list items
    claims = "\n".join(v.target for p in pairs for v in p.variants if v.check == "prohibited-claims").lower()
    for claim in ("guarantee", "painless", "permanent", "the best", "testimonial", "patient reviews"):
        assert claim in claims, claim
    glossary = load_glossary(evalset.GLOSSARY)
    brands = {m.term.source for p in pairs for m in glossary.find(p.source) if m.term.keep}
    assert len(brands) >= 15, brands


# --- the runner's counting ----------------------------------------------------------------------

TINY = """\
- id: a
  ko: 20년 넘게 진료해 왔습니다.
  en: We have been practicing for over two decades.
  wrong:
  - check: numbers
    en: We have been practicing for over two years.
  - check: end-punctuation
    en: We have been practicing for over two decades
- id: b
  ko: 붓기는 이틀 정도 갑니다.
  en: The swelling lasts about two days.
  wrong:
  - check: numbers
    en: The swelling lasts a while.
    why: the two days are gone
- id: c
  ko: 엠페이스는 바늘 없이 시술합니다.
  en: Emface needs no needles.
  wrong:
  - check: do-not-translate
    en: emface needs no needles.
"""
TINY_GLOSSARY = "terms:\n  - ko: 엠페이스\n    en: Emface\n    keep: true\n"


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    data, glossary = tmp_path / "pairs.yaml", tmp_path / "glossary.yaml"
    data.write_text(TINY, encoding="utf-8")
    glossary.write_text(TINY_GLOSSARY, encoding="utf-8")
    return data, glossary


def test_counting_findings_of_the_labelled_check_only_are_catches(tiny: tuple[Path, Path]) -> None:
    data, glossary_path = tiny
    report = evalset.evaluate(evalset.load_pairs(data), parse_glossary(TINY_GLOSSARY, glossary_path))
    numbers, punctuation, names = (report.rows[c] for c in ("numbers", "end-punctuation", "do-not-translate"))
    # a's correct translation gets "missing 20년" (two decades): a false positive of numbers;
    # b's lost 이틀 is missed (a number the source writes in words is never "missing"): a false negative
    assert (numbers.tp, numbers.fn, numbers.fp, numbers.tn) == (1, 1, 1, 2)
    # a's second variant is caught by end-punctuation, and numbers finds "missing 20년" in it too: not a catch
    assert (punctuation.tp, punctuation.fn, numbers.other) == (1, 0, 1)
    assert (names.tp, names.fn, names.fp, names.tn) == (1, 0, 0, 3)
    assert numbers.precision == 0.5 and numbers.recall == 0.5
    assert [o.name for o in report.false_negatives()] == ["b/1"]
    assert [o.name for o in report.false_positives()] == ["a"]
    assert (report.correct_with_error, report.correct_with_warning, report.caught) == (1, 0, 3)


def test_the_runner_prints_the_table_json_and_the_offending_pairs(
    tiny: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, glossary = tiny
    files = ["--data", str(data), "--glossary", str(glossary)]
    assert evalset.main(files) == 0
    out = capsys.readouterr().out
    assert re.search(r"^numbers\s+1\s+1\s+1\s+2\s+50\.0%\s+50\.0%\s+1$", out, re.MULTILINE), out
    assert "error findings on correct translations: 1 of 3" in out
    assert "seeded errors caught:                   3 of 4 (75.0%); target: at least 95% (MISSED)" in out

    assert evalset.main([*files, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["checks"]["numbers"] == {"tp": 1, "fp": 1, "fn": 1, "tn": 2, "on_other_variants": 1,
                                           "precision": 0.5, "recall": 0.5}  # fmt: skip
    assert result["headline"]["seeded_errors_caught"]["met"] is False
    assert [n["id"] for n in result["false_negatives"]] == ["b/1"]

    assert evalset.main([*files, "--show", "FN", "--check", "numbers"]) == 0
    out = capsys.readouterr().out
    assert "b/1  not caught by numbers (the two days are gone)" in out and "The swelling lasts a while." in out
    assert evalset.main([*files, "--show", "fp"]) == 0
    out = capsys.readouterr().out
    assert "[error] numbers: numbers differ from the source: missing 20년" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- id: a\n  ko: 가\n  en: A\n  wrong: []\n", "pairs.yaml:1: pair 'a': wrong must list at least one"),
        ("- id: a\n  ko: 가\n  en: A\n  wrong:\n  - {check: spelling, en: B}\n", "'spelling' is not a check"),
        ("- id: a\n  ko: 가\n  en: A\n  wrong:\n  - {check: disclaimer, en: B}\n", "is not measured here (page check"),
        ("- {id: a, ko: 가, en: A, wrong: [{check: empty, en: ''}]}\n"
         "- {id: a, ko: 나, en: B, wrong: [{check: empty, en: ''}]}\n", "pair 'a': this id is used twice"),
        ("- id: a\n  ko: 가\n  wrong:\n  - {check: empty, en: ''}\n", "pair 'a': en must be a non-empty text"),
        ("- id: a\n  ko: 가\n  en: A\n  wrong:\n  - {check: numbers, en: A}\n", "variant 1 is the correct translation"),
        ("- id: a\n  ko: 가: 나\n", "pairs.yaml:2: not valid YAML (mapping values are not allowed here)"),
    ],
)  # fmt: skip
def test_a_broken_set_is_one_clear_message_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    data = tmp_path / "pairs.yaml"
    data.write_text(text, encoding="utf-8")
    assert evalset.main(["--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err, err


# --- the figures ------------------------------------------------------------------------------

#: The figures after the issue-13 fixes of the segment checks: per check the false positives on
#: correct translations (at most) and the recall on its seeded errors (at least). Raise the floor
#: when the checks improve. markup's 2 misses are link URLs swapped between their link texts.
FLOOR: dict[str, tuple[int, float]] = {
    "untranslated-korean": (0, 1.0),
    "glossary": (5, 1.0),
    "glossary-forbidden": (0, 1.0),
    "do-not-translate": (0, 1.0),
    "numbers": (0, 1.0),
    "markup": (0, 0.976),
    "empty": (0, 1.0),
    "same-as-source": (0, 1.0),
    "whitespace": (0, 1.0),
    "end-punctuation": (0, 1.0),
    "length-ratio": (0, 0.666),
    "prohibited-claims": (0, 1.0),
}
FLOOR_ERRORS_ON_CORRECT = 0  # correct translations with an error finding, at most
FLOOR_WARNINGS_ON_CORRECT = 5  # correct translations with a warning, at most
FLOOR_CATCH_RATE = 0.975  # seeded errors caught by their check, at least


def test_every_pair_and_variant_is_counted_once(pairs: list[evalset.Pair], report: evalset.Report) -> None:
    assert len(report.correct) == len(pairs)
    for check, row in report.rows.items():
        assert row.fp + row.tn == len(pairs), check
        assert row.tp + row.fn == sum(v.check == check for p in pairs for v in p.variants), check


@pytest.mark.parametrize("check", list(FLOOR))
def test_no_check_falls_below_todays_figures(report: evalset.Report, check: str) -> None:
    max_fp, min_recall = FLOOR[check]
    row = report.rows[check]
    assert row.fp <= max_fp, evalset.show(report, "FP", check)
    assert row.recall is not None and row.recall >= min_recall, evalset.show(report, "FN", check)


def test_the_headline_figures_do_not_fall_below_today(report: evalset.Report) -> None:
    assert report.correct_with_error <= FLOOR_ERRORS_ON_CORRECT, evalset.show(report, "FP", None)
    assert report.correct_with_warning <= FLOOR_WARNINGS_ON_CORRECT, evalset.show(report, "FP", None)
    assert report.catch_rate >= FLOOR_CATCH_RATE, evalset.show(report, "FN", None)


def test_target_no_error_finding_on_a_correct_translation(report: evalset.Report) -> None:
    assert report.correct_with_error == evalset.TARGET_ERRORS_ON_CORRECT


def test_target_warnings_on_at_most_2_percent_of_correct_translations(report: evalset.Report) -> None:
    assert report.warning_rate <= evalset.TARGET_WARNING_RATE


def test_target_at_least_95_percent_of_seeded_errors_caught(report: evalset.Report) -> None:
    assert report.catch_rate >= evalset.TARGET_CATCH_RATE
