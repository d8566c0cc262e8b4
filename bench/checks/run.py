"""Precision and recall of the segment checks on the evaluation set (issue 13, item 1).

Usage:
    python bench/checks/run.py                        per check TP / FP / FN / TN, precision, recall,
                                                      and the three headline figures against the targets
    python bench/checks/run.py --json                 the same, and every false positive and negative
    python bench/checks/run.py --show FP              correct translations with findings
    python bench/checks/run.py --show FN --check numbers   seeded errors the labelled check missed
    python bench/checks/run.py --markdown             the table as Markdown

How it counts. Every correct translation and every seeded variant of bench/checks/pairs.yaml goes
through translate.checks.check_translation (English, the set's glossary, default severities). For a
check C: a correct translation with a finding of C is a false positive of C, one without is a true
negative; a variant labelled C is a true positive when C finds something in it, else a false
negative. Findings of other checks on a variant are not catches: they are counted in the column
"on other variants". Exit code 0 (the figures are the result), 2 when the set cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from translate.checks import CHECKS, DEFAULT_CONFIG, CheckConfig, check_translation  # noqa: E402
from translate.errors import InputError, TranslateError  # noqa: E402
from translate.glossary import Glossary, load_glossary  # noqa: E402
from translate.model import Finding, Severity  # noqa: E402

DATA = HERE / "pairs.yaml"
GLOSSARY = HERE / "glossary.yaml"
LANG = "en"
#: Checks that check_translation never reports, so a segment pair cannot exercise them.
NOT_MEASURED: dict[str, str] = {
    "disclaimer": "page check: not measured on segments",
    "added-text": "set by absorb: not measured on segments",
    "source-markup": "source check: not measured on segments",
}
SEGMENT_CHECKS = tuple(name for name in CHECKS if name not in NOT_MEASURED)

#: The targets of issue 13.
TARGET_ERRORS_ON_CORRECT = 0
TARGET_WARNING_RATE = 0.02
TARGET_CATCH_RATE = 0.95

_PAIR_KEYS = {"id", "ko", "en", "note", "wrong"}
_VARIANT_KEYS = {"check", "en", "why"}


@dataclass(frozen=True)
class Variant:
    """A seeded wrong translation and the check that must catch it."""

    check: str
    target: str
    why: str = ""


@dataclass(frozen=True)
class Pair:
    """A Korean segment, its correct translation and its wrong variants."""

    id: str
    source: str
    target: str
    variants: tuple[Variant, ...]
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    """The findings on one translation of a pair: the correct one (variant None) or a variant."""

    pair: Pair
    variant: Variant | None
    findings: tuple[Finding, ...]
    number: int = 0  # the variant's place in its pair, from 1

    @property
    def name(self) -> str:
        return self.pair.id if self.variant is None else f"{self.pair.id}/{self.number}"

    @property
    def caught(self) -> bool:
        return self.variant is not None and any(f.check == self.variant.check for f in self.findings)


@dataclass
class CheckRow:
    """The counts of one check over the set."""

    check: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    other: int = 0  # variants labelled with another check on which this one found something

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def as_json(self) -> dict[str, object]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "on_other_variants": self.other,
                "precision": self.precision, "recall": self.recall}  # fmt: skip


@dataclass
class Report:
    """Every outcome, the per-check rows and the headline figures."""

    outcomes: list[Outcome]
    rows: dict[str, CheckRow] = field(default_factory=dict)

    @property
    def correct(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.variant is None]

    @property
    def seeded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.variant is not None]

    @property
    def correct_with_error(self) -> int:
        return sum(any(f.severity is Severity.ERROR for f in o.findings) for o in self.correct)

    @property
    def correct_with_warning(self) -> int:
        return sum(any(f.severity is Severity.WARNING for f in o.findings) for o in self.correct)

    @property
    def caught(self) -> int:
        return sum(o.caught for o in self.seeded)

    @property
    def warning_rate(self) -> float:
        return self.correct_with_warning / len(self.correct) if self.correct else 0.0

    @property
    def catch_rate(self) -> float:
        return self.caught / len(self.seeded) if self.seeded else 0.0

    def false_positives(self, check: str | None = None) -> list[Outcome]:
        """Correct translations with findings (of ``check``, when given)."""
        return [o for o in self.correct if any(check in (None, f.check) for f in o.findings)]

    def false_negatives(self, check: str | None = None) -> list[Outcome]:
        """Seeded variants their labelled check (``check``, when given) did not catch."""
        return [o for o in self.seeded if not o.caught and check in (None, o.variant and o.variant.check)]

    def headline(self) -> dict[str, dict[str, object]]:
        """The three figures of issue 13 with their targets."""
        correct, seeded = len(self.correct), len(self.seeded)
        return {
            "error_findings_on_correct": {"count": self.correct_with_error, "of": correct,
                                          "target": TARGET_ERRORS_ON_CORRECT,
                                          "met": self.correct_with_error <= TARGET_ERRORS_ON_CORRECT},
            "warnings_on_correct": {"count": self.correct_with_warning, "of": correct, "rate": self.warning_rate,
                                    "target": TARGET_WARNING_RATE, "met": self.warning_rate <= TARGET_WARNING_RATE},
            "seeded_errors_caught": {"count": self.caught, "of": seeded, "rate": self.catch_rate,
                                     "target": TARGET_CATCH_RATE, "met": self.catch_rate >= TARGET_CATCH_RATE},
        }  # fmt: skip


def load_pairs(path: Path = DATA) -> list[Pair]:
    """The evaluation set, validated: unique ids, a correct translation and known check labels on every pair."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the evaluation set ({exc.strerror}).", path=path) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            f"not valid YAML ({getattr(exc, 'problem', exc)}); fix that line.", path=path, line=line
        ) from None
    if not isinstance(data, list):
        raise InputError("the evaluation set must be a list of pairs (- id: ..., ko: ..., en: ..., wrong: [...]).",
                         path=path)  # fmt: skip
    pairs: list[Pair] = []
    seen: set[str] = set()
    for index, item in enumerate(data, 1):
        pairs.append(_pair(item, index, path, text, seen))
    return pairs


def _pair(item: object, index: int, path: Path, text: str, seen: set[str]) -> Pair:
    pid = item.get("id") if isinstance(item, dict) else None
    where = f"pair {pid!r}" if isinstance(pid, str) else f"pair number {index}"
    line = _line_of(text, pid) if isinstance(pid, str) else None

    def fail(problem: str) -> InputError:
        return InputError(f"{where}: {problem}", path=path, line=line)

    if not isinstance(item, dict):
        raise fail("each pair must be a mapping with id, ko, en and wrong.")
    if unknown := set(item) - _PAIR_KEYS:
        raise fail(
            f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; a pair has {', '.join(sorted(_PAIR_KEYS))}."
        )
    for key in ("id", "ko", "en"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise fail(f"{key} must be a non-empty text.")
    if item["id"] in seen:
        raise fail("this id is used twice; ids must be unique.")
    seen.add(item["id"])
    wrong = item.get("wrong")
    if not isinstance(wrong, list) or not wrong:
        raise fail("wrong must list at least one seeded variant (check: NAME, en: TEXT).")
    variants = []
    for number, entry in enumerate(wrong, 1):
        if not isinstance(entry, dict) or set(entry) - _VARIANT_KEYS or "check" not in entry or "en" not in entry:
            raise fail(f"variant {number} must be a mapping with check, en and optionally why.")
        check, target = entry["check"], entry["en"]
        if check not in SEGMENT_CHECKS:
            known = ", ".join(SEGMENT_CHECKS)
            reason = f"is not measured here ({NOT_MEASURED[check]})" if check in NOT_MEASURED else "is not a check"
            raise fail(f"variant {number}: {check!r} {reason}; labels are: {known}.")
        if not isinstance(target, str):
            raise fail(f'variant {number}: en must be a text ("" for an empty translation).')
        if target == item["en"]:
            raise fail(f"variant {number} is the correct translation itself.")
        variants.append(Variant(check, target, str(entry.get("why") or "")))
    return Pair(item["id"], item["ko"], item["en"], tuple(variants), str(item.get("note") or ""))


def _line_of(text: str, pid: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() in (f"- id: {pid}", f"- id: '{pid}'", f'- id: "{pid}"'):
            return number
    return None


def evaluate(pairs: Iterable[Pair], glossary: Glossary, config: CheckConfig = DEFAULT_CONFIG) -> Report:
    """Run the segment checks over every translation of the set and count per check."""
    report = Report([], {name: CheckRow(name) for name in SEGMENT_CHECKS})
    for pair in pairs:
        found = tuple(check_translation(pair.source, pair.target, LANG, glossary, config))
        report.outcomes.append(Outcome(pair, None, found))
        fired = {f.check for f in found}
        for row in report.rows.values():
            if row.check in fired:
                row.fp += 1
            else:
                row.tn += 1
        for number, variant in enumerate(pair.variants, 1):
            found = tuple(check_translation(pair.source, variant.target, LANG, glossary, config))
            outcome = Outcome(pair, variant, found, number)
            report.outcomes.append(outcome)
            row = report.rows[variant.check]
            if outcome.caught:
                row.tp += 1
            else:
                row.fn += 1
            for other in {f.check for f in found} - {variant.check}:
                if other in report.rows:
                    report.rows[other].other += 1
    return report


# --- output ---------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def table(report: Report) -> str:
    """The per-check table and the headline figures, for a terminal."""
    lines = [f"{'check':<20} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4} {'precision':>9} {'recall':>7}"
             f"  on other variants"]  # fmt: skip
    for row in report.rows.values():
        lines.append(f"{row.check:<20} {row.tp:>4} {row.fp:>4} {row.fn:>4} {row.tn:>4} "
                     f"{_pct(row.precision):>9} {_pct(row.recall):>7}  {row.other}")  # fmt: skip
    for name, why in NOT_MEASURED.items():
        lines.append(f"{name:<20} {why}")
    return "\n".join([*lines, "", *_headline_lines(report)])


def _headline_lines(report: Report) -> list[str]:
    head = report.headline()
    errors, warnings, caught = (head[k] for k in ("error_findings_on_correct", "warnings_on_correct",
                                                  "seeded_errors_caught"))  # fmt: skip
    correct = len(report.correct)

    def met(figure: dict[str, object]) -> str:
        return "met" if figure["met"] else "MISSED"

    return [
        f"error findings on correct translations: {errors['count']} of {correct} "
        f"({_pct(report.correct_with_error / correct if correct else 0)}); target: none ({met(errors)})",
        f"warnings on correct translations:       {warnings['count']} of {correct} "
        f"({_pct(report.warning_rate)}); target: at most {TARGET_WARNING_RATE:.0%} ({met(warnings)})",
        f"seeded errors caught:                   {caught['count']} of {caught['of']} "
        f"({_pct(report.catch_rate)}); target: at least {TARGET_CATCH_RATE:.0%} ({met(caught)})",
    ]


def markdown(report: Report) -> str:
    """The per-check table and the headline figures as Markdown."""
    lines = ["| check | TP | FP | FN | TN | precision | recall | on other variants |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for row in report.rows.values():
        lines.append(f"| `{row.check}` | {row.tp} | {row.fp} | {row.fn} | {row.tn} | {_pct(row.precision)} "
                     f"| {_pct(row.recall)} | {row.other} |")  # fmt: skip
    for name, why in NOT_MEASURED.items():
        lines.append(f"| `{name}` | {why} | | | | | | |")
    return "\n".join([*lines, "", *(f"- {line}" for line in _headline_lines(report))])


def _findings_text(findings: Sequence[Finding]) -> str:
    if not findings:
        return "    findings: none"
    return "\n".join(f"    [{f.severity.value}] {f.check}: {f.message}" for f in findings)


def show(report: Report, kind: str, check: str | None) -> str:
    """The false positives or false negatives, each with its texts and findings."""
    blocks = []
    if kind == "FP":
        for o in report.false_positives(check):
            blocks.append(f"{o.name}\n    ko: {o.pair.source}\n    en: {o.pair.target}\n"
                          + _findings_text([f for f in o.findings if check in (None, f.check)]))  # fmt: skip
    else:
        for o in report.false_negatives(check):
            assert o.variant is not None
            why = f" ({o.variant.why})" if o.variant.why else ""
            blocks.append(f"{o.name}  not caught by {o.variant.check}{why}\n    ko:      {o.pair.source}\n"
                          f"    correct: {o.pair.target}\n    wrong:   {o.variant.target!r}\n"
                          + _findings_text(o.findings))  # fmt: skip
    title = {"FP": "false positives (findings on correct translations)",
             "FN": "false negatives (seeded errors their check missed)"}[kind]  # fmt: skip
    scope = f" of {check}" if check else ""
    return f"{len(blocks)} {title}{scope}\n\n" + "\n\n".join(blocks)


def _finding_json(f: Finding) -> dict[str, str]:
    return {"check": f.check, "severity": f.severity.value, "message": f.message}


def as_json(report: Report) -> dict[str, object]:
    """Everything the table shows, and each false positive and negative, for machines."""
    return {
        "pairs": len(report.correct),
        "variants": len(report.seeded),
        "headline": report.headline(),
        "checks": {name: row.as_json() for name, row in report.rows.items()},
        "not_measured": NOT_MEASURED,
        "false_positives": [
            {"id": o.name, "source": o.pair.source, "target": o.pair.target,
             "findings": [_finding_json(f) for f in o.findings]}
            for o in report.false_positives()
        ],
        "false_negatives": [
            {"id": o.name, "check": o.variant.check, "why": o.variant.why, "source": o.pair.source,
             "correct": o.pair.target, "target": o.variant.target, "findings": [_finding_json(f) for f in o.findings]}
            for o in report.false_negatives() if o.variant is not None
        ],
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation and print the result; 2 when the set or its glossary cannot be read."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--show", choices=("FP", "FN"), type=str.upper, help="list false positives or negatives")
    parser.add_argument("--check", choices=SEGMENT_CHECKS, help="with --show: only this check")
    parser.add_argument("--data", type=Path, default=DATA, help="the evaluation set (default: %(default)s)")
    parser.add_argument("--glossary", type=Path, default=GLOSSARY, help="its glossary (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        pairs = load_pairs(args.data)
        glossary = load_glossary(args.glossary)
    except TranslateError as exc:
        print(exc, file=sys.stderr)
        return 2
    report = evaluate(pairs, glossary)
    if args.json:
        print(json.dumps(as_json(report), ensure_ascii=False, indent=2))
    elif args.show:
        print(show(report, args.show, args.check))
    elif args.markdown:
        print(markdown(report))
    else:
        print(f"{len(report.correct)} pairs, {len(report.seeded)} seeded errors ({args.data.name}, "
              f"glossary {args.glossary.name}), language {LANG}\n")  # fmt: skip
        print(table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
