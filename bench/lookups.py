"""In-process timings of the glossary and translation-memory lookups; bench/run.py runs them.

Usage:
  python bench/lookups.py glossary GLOSSARY.yaml CORPUS.txt OUT.json
      load the glossary, then find its terms in the corpus paragraph by paragraph (as callers do,
      segment by segment); writes load and match seconds, megabytes, terms, matches.
  python bench/lookups.py tm ENTRIES QUERIES OUT.json
      build ENTRIES approved memory entries from the corpus generator's sentences with variations,
      then ask fuzzy suggestions for QUERIES sentences (new variations of the same sentences: near
      and far misses, as a reviewer's queue has); writes index and suggest seconds, counts.

Each run is one process, so bench/run.py reads its peak memory from the operating system.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import DEVICES, OPENERS, _blocks  # noqa: E402


def glossary(glossary_path: Path, corpus_path: Path) -> dict[str, float]:
    from translate.glossary import load_glossary

    started = time.perf_counter()
    loaded = load_glossary(glossary_path)
    load_seconds = time.perf_counter() - started
    text = corpus_path.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    started = time.perf_counter()
    matches = 0
    for paragraph in paragraphs:
        matches += len(loaded.find(paragraph))
    match_seconds = time.perf_counter() - started
    return {
        "load_seconds": load_seconds,
        "match_seconds": match_seconds,
        "megabytes": len(text.encode()) / 1e6,
        "terms": len(loaded.terms),
        "paragraphs": len(paragraphs),
        "matches": matches,
    }


def sentences() -> list[str]:
    """The distinct Korean sentences of the demo articles' bodies (as extract would segment them)."""
    from translate.sentences import split_sentences

    blocks, tail, _ = _blocks()
    found: dict[str, None] = {}
    for block in [*blocks, *tail.split("\n\n")]:
        text = " ".join(re.sub(r"[#>*|!\[\]()`_-]+", " ", block).split())
        for start, end in split_sentences(text):
            sentence = text[start:end]
            if len(sentence) >= 8 and re.search("[가-힣]", sentence):
                found.setdefault(sentence)
    return list(found)


def vary(sentence: str, rng: random.Random) -> str:
    """A variation of a sentence: another device, other numbers, an opener, a word left out or
    repeated; most stay above a 75% fuzzy match of the original, some fall below."""
    sentence = sentence.replace("엠페이스", rng.choice(DEVICES)).replace("울쎄라", rng.choice(DEVICES))
    sentence = re.sub(r"\d+", lambda m: str(rng.randint(1, 60)), sentence)
    words = sentence.split()
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        at = rng.randrange(len(words))
        if rng.random() < 0.5 and len(words) > 3:
            del words[at]
        else:
            words.insert(at, words[rng.randrange(len(words))])
    return rng.choice(OPENERS) + " ".join(words)


def spliced(base: list[str], rng: random.Random) -> str:
    """A sentence, or half of one followed by half of another (memories hold many sentences that
    share a clause)."""
    first = rng.choice(base).split()
    if rng.random() < 0.3:
        return " ".join(first)
    second = rng.choice(base).split()
    return " ".join(first[: max(1, len(first) // 2)] + second[len(second) // 2 :])


def tm(entries: int, queries: int) -> dict[str, float]:
    from translate.model import State, Unit
    from translate.tm import FuzzyIndex, MemoryEntry

    base = sentences()
    rng = random.Random(entries)
    memory: dict[str, MemoryEntry] = {}
    while len(memory) < entries:
        source = vary(spliced(base, rng), rng)
        memory.setdefault(source, MemoryEntry(source, f"EN {len(memory)}: {source[:12]}"))
    rng = random.Random(-queries)
    units = [Unit(vary(spliced(base, rng), rng), state=State.DRAFT) for _ in range(queries)]
    started = time.perf_counter()
    index = FuzzyIndex(memory.values(), threshold=75.0)
    index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    found = [index.suggest(unit) for unit in units]
    suggest_seconds = time.perf_counter() - started
    return {
        "index_seconds": index_seconds,
        "suggest_seconds": suggest_seconds,
        "entries": len(memory),
        "distinct_sentences": len(base),
        "queries": len(units),
        "suggestions": sum(map(len, found)),
        "queries_with_suggestions": sum(1 for f in found if f),
    }


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "glossary":
        result = glossary(Path(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) == 5 and sys.argv[1] == "tm":
        result = tm(int(sys.argv[2]), int(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
    Path(sys.argv[4]).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
