"""Generate a benchmark corpus of Korean clinic articles shaped like the demo content.

Usage: python bench/corpus.py DIR N [--glossary-terms K]

Writes DIR/content/ko/article-00001.md … (soft-broken sentences, headings, lists, tables,
images with captions, the clinic's links and legal notice in every article), DIR/glossary.yaml
(the demo glossary plus synthetic terms up to K) and DIR/pyproject.toml. Deterministic for a
given N.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVICES = ["엠페이스", "울쎄라", "써마지", "인모드", "슈링크", "올리지오", "리쥬란", "실리프팅"]
OPENERS = ["", "특히 ", "또한 ", "한편 ", "무엇보다 ", "그래서 "]
SYLLABLES = (
    "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후기니디리미비시이지치키티피히"
)


def _blocks() -> tuple[list[str], str, str]:
    """Body blocks of the demo articles, and their shared tail (links and legal notice)."""
    bodies = []
    for path in sorted((ROOT / "content" / "ko").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        bodies.append(text.split("\n---\n", 1)[1].strip())
    tail_start = bodies[0].index("[ 잠실고운세상피부과 오시는 길 ]")
    tail = bodies[0][tail_start:]
    blocks = []
    for body in bodies:
        blocks.extend(b for b in body[: body.index("[ 잠실고운세상피부과")].split("\n\n") if b.strip())
    title = "얼굴 노화, 피부만의 문제일까요? 표정근까지 고려한 {device} 리프팅"
    return blocks, tail, title


def _vary(block: str, rng: random.Random) -> str:
    device = rng.choice(DEVICES)
    block = block.replace("엠페이스", device).replace("울쎄라", device)
    block = re.sub(r"\d+", lambda m: str(rng.randint(1, 60)), block)
    if not block.startswith(("#", "-", "|", "!")):
        block = rng.choice(OPENERS) + block
    return block


def article(index: int, blocks: list[str], tail: str, title: str) -> str:
    rng = random.Random(index)
    chosen = [_vary(b, rng) for b in rng.sample(blocks, k=min(len(blocks), rng.randint(10, 16)))]
    front = (
        f'---\ntitle: "{title.format(device=rng.choice(DEVICES))} ({index})"\n'
        f"date: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\nauthor: 배태성\n"
        f"tags: [리프팅, {rng.choice(DEVICES)}]\n---\n\n"
    )
    return front + "\n\n".join([*chosen, tail]) + "\n"


def glossary(terms: int) -> str:
    text = (ROOT / "glossary.yaml").read_text(encoding="utf-8").rstrip() + "\n"
    rng = random.Random(terms)
    seen = set(re.findall(r"^\s*- ko: (.+)$", text, re.MULTILINE))
    lines = []
    while len(seen) < terms:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            lines.append(f"  - ko: {word}\n    en: term {len(seen)}\n")
    return text + "".join(lines)


def generate(target: Path, count: int, glossary_terms: int = 0) -> None:
    blocks, tail, title = _blocks()
    source = target / "content" / "ko"
    source.mkdir(parents=True, exist_ok=True)
    for index in range(1, count + 1):
        (source / f"article-{index:05d}.md").write_text(article(index, blocks, tail, title), encoding="utf-8")
    (target / "glossary.yaml").write_text(glossary(glossary_terms), encoding="utf-8")
    (target / "pyproject.toml").write_text(
        '[tool.translate]\ntargets = ["en"]\nfront_matter_keys = ["title", "tags", "author"]\n', encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--glossary-terms", type=int, default=0)
    args = parser.parse_args()
    generate(args.dir, args.count, args.glossary_terms)


if __name__ == "__main__":
    main()
