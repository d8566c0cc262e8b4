"""Growth of Markdown segmentation on pathological articles (issue 17): many unclosed Hugo shortcode
openers, and a table with thousands of columns. Each case at two sizes; the time should double
with the size (linear), not quadruple.

    python bench/growth_markdown.py [--markdown]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.markdown import parse_document


def unclosed_shortcodes(size: int) -> str:
    return "가 {{< " * (size // 6)


def wide_table(columns: int) -> str:
    row = "|" + "|".join(["가"] * columns) + "|\n"
    return row + "|" + "|".join(["---"] * columns) + "|\n" + row * 3


CASES = (
    ("unclosed `{{<` (characters)", unclosed_shortcodes, (80_000, 160_000)),
    ("table (columns, 5 rows)", wide_table, (2_000, 4_000)),
)


def best_of(text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        parse_document(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print a table for BENCHMARKS.md")
    args = parser.parse_args()
    rows = []
    for name, make, sizes in CASES:
        small, large = (best_of(make(size)) for size in sizes)
        rows.append((name, sizes, small, large))
    if args.markdown:
        print("| case | size | parse | size ×2 | parse | ratio |\n| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, (a, b), small, large in rows:
            print(f"| {name} | {a:,} | {small * 1000:.0f} ms | {b:,} | {large * 1000:.0f} ms | {large / small:.1f}× |")
    else:
        for name, (a, b), small, large in rows:
            print(f"{name}: {a:,} -> {small:.3f} s, {b:,} -> {large:.3f} s ({large / small:.1f}x)")


if __name__ == "__main__":
    main()
