"""The differential test's library layer at length: many generated articles, failures grouped by class.

Usage: python bench/differential.py [--examples 10000] [--seed N] [--enable NAME ...] [--all]

Generates Korean articles (tests/differential_strategies.py), publishes each with the marker
translator and judges the page like tests/test_differential.py does, but goes on after a failure:
it prints each class of problem with its count and the shortest article that shows it.
--enable NAME generates a construct KNOWN_BROKEN leaves out (to see whether a fix holds);
--all generates every one of them.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.differential_strategies import KNOWN_BROKEN, PO_ONLY, Article, articles, library_problems

_DETAIL_RE = re.compile(r"(Hangul a reader sees|structure differs|front matter \S+|the page's front matter [^:]*)")


def problem_class(problem: str) -> str:
    """A problem without its particulars (which word, which token), to group by."""
    match = _DETAIL_RE.match(problem)
    return match.group(1) if match else problem[:60]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--enable", nargs="*", default=[], choices=sorted(KNOWN_BROKEN), metavar="NAME")
    parser.add_argument("--all", action="store_true", help="generate every known-broken construct")
    args = parser.parse_args()
    broken = frozenset() if args.all else (KNOWN_BROKEN - PO_ONLY) - set(args.enable)
    counts: Counter[str] = Counter()
    shortest: dict[str, tuple[Article, str]] = {}
    done = 0

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(articles(broken))
    def check(article: Article) -> None:
        nonlocal done
        done += 1
        try:
            problems = library_problems(article)
        except Exception as exc:  # a crash is a finding too
            problems = [f"{type(exc).__name__}: {exc}"]
        for problem in problems:
            key = problem_class(problem)
            counts[key] += 1
            if key not in shortest or len(article.text) < len(shortest[key][0].text):
                shortest[key] = (article, problem)

    start = time.perf_counter()
    check()
    elapsed = time.perf_counter() - start
    print(f"{done} articles in {elapsed:.1f} s; left out: {', '.join(sorted(broken)) or 'nothing'}")
    if not counts:
        print("no problem found")
    for key, count in counts.most_common():
        article, problem = shortest[key]
        print(f"\n{count} x {key}\n  {problem}\n  article: {article.text!r}\n  translator prefix: {article.prefix!r}")
    sys.exit(1 if counts else 0)


if __name__ == "__main__":
    main()
