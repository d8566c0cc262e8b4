"""Measure translate.sentences.split_sentences against gold Korean sentence splits.

Usage: python bench/sentence_split.py [--show FILE_STEM] [--data DIR]

Each data file holds one gold sentence per line, paragraphs separated by blank lines.
A paragraph's text is its gold sentences joined with one space. Per file we report the
exact-sentence match (fraction of gold sentences predicted with the same start and end),
the predicted and gold sentence counts, and the F1 of the inner sentence boundaries.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.sentences import split_sentences

DATA_DIR = Path(__file__).resolve().parent / "data" / "korean-sentence-split"

# Exact-sentence match of kss (mecab backend), the best peer.
TARGETS = {"blogs_ko": 0.835, "nested": 0.868, "tweets": 0.753, "wikipedia": 1.0}

Span = tuple[int, int]


@dataclass
class Paragraph:
    """A paragraph's text and its gold sentence spans."""

    text: str
    gold: list[Span]


@dataclass
class Score:
    """Counts accumulated over one file."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    gold_bounds: int = 0
    pred_bounds: int = 0
    hit_bounds: int = 0

    @property
    def exact_match(self) -> float:
        return self.exact / self.gold if self.gold else 1.0

    @property
    def boundary_f1(self) -> float:
        if not self.gold_bounds and not self.pred_bounds:
            return 1.0
        precision = self.hit_bounds / self.pred_bounds if self.pred_bounds else 0.0
        recall = self.hit_bounds / self.gold_bounds if self.gold_bounds else 0.0
        total = precision + recall
        return 2 * precision * recall / total if total else 0.0


def load_paragraphs(path: Path) -> list[Paragraph]:
    """Read a gold file into paragraphs of one-space-joined sentences."""
    paragraphs: list[Paragraph] = []
    block: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        sentence = line.strip()
        if sentence:
            block.append(sentence)
            continue
        if block:
            spans: list[Span] = []
            pos = 0
            for item in block:
                spans.append((pos, pos + len(item)))
                pos += len(item) + 1
            paragraphs.append(Paragraph(" ".join(block), spans))
            block = []
    return paragraphs


def score_file(paragraphs: list[Paragraph], show: bool) -> Score:
    """Score split_sentences on the paragraphs; print mismatches when show is set."""
    score = Score()
    for para in paragraphs:
        pred = split_sentences(para.text)
        gold_set, pred_set = set(para.gold), set(pred)
        gold_b = {start for start, _ in para.gold[1:]}
        pred_b = {start for start, _ in pred[1:]}
        score.gold += len(para.gold)
        score.predicted += len(pred)
        score.exact += len(gold_set & pred_set)
        score.gold_bounds += len(gold_b)
        score.pred_bounds += len(pred_b)
        score.hit_bounds += len(gold_b & pred_b)
        if show and gold_set != pred_set:
            print("=" * 60)
            for start, end in pred:
                mark = " " if (start, end) in gold_set else "x"
                print(f"{mark} P| {para.text[start:end]}")
            for start, end in para.gold:
                if (start, end) not in pred_set:
                    print(f"  G| {para.text[start:end]}")
    return score


def throughput(texts: list[str], rounds: int = 5) -> float:
    """Characters per second of split_sentences over the texts (best of rounds)."""
    chars = sum(len(text) for text in texts)
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for text in texts:
            split_sentences(text)
        best = min(best, time.perf_counter() - began)
    return chars / best if best else float("inf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="folder of gold *.txt files")
    parser.add_argument("--show", action="append", default=[], help="print mismatches of a file")
    args = parser.parse_args(argv)

    files = sorted(args.data.glob("*.txt"))
    if not files:
        parser.error(f"no *.txt gold files in {args.data}")
    print("| file | exact match | target (kss) | boundary F1 | predicted / gold |")
    print("| --- | ---: | ---: | ---: | ---: |")
    texts: list[str] = []
    for path in files:
        paragraphs = load_paragraphs(path)
        texts.extend(para.text for para in paragraphs)
        score = score_file(paragraphs, path.stem in args.show)
        target = TARGETS.get(path.stem)
        target_cell = f"{target:.3f}" if target is not None else "-"
        print(
            f"| {path.stem} | {score.exact_match:.3f} | {target_cell} | "
            f"{score.boundary_f1:.3f} | {score.predicted} / {score.gold} |"
        )
    rate = throughput(texts)
    print(f"\nThroughput: {rate / 1e6:.2f} M chars/s over {sum(map(len, texts)):,} chars.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
