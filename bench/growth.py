"""How the cost of the commands grows with the size of one article (issue 17).

Usage: python bench/growth.py [--case NAME]... [--work DIR] [--write] [--timeout S]

Each case runs at two sizes on generated input; each command runs in a child process that reports
its own peak memory (``resource.getrusage``: the process's and its workers' maximum RSS), and its
wall time is taken by the parent. A cost that doubles with the size is linear; one that quadruples is
quadratic. ``--write`` puts the table into BENCHMARKS.md between the growth markers.

Cases:
  reextract  re-extract after review of an article of N segments, 1 % of them reworded
  reworded   re-extract after review when every one of N sentences was reworded
  reworded-similar  the same with sentences that differ in one phrase (every pair is similar)
  align      translate align of an article of N segments with its English page (a few pairings 2-1)
  big        every command over one article of N MB: extract, status (cold), re-extract after review,
             review list, publish, check
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = sys.executable
MARKER_START = "<!-- bench/growth.py: start -->"
MARKER_END = "<!-- bench/growth.py: end -->"
SYLLABLES = (
    "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후기니디리미비시이지치키티피히"
)
PARTICLES = ("은", "는", "이", "가", "을", "를", "에", "에서", "으로", "와", "과", "도")
ENDINGS = ("합니다.", "입니다.", "됩니다.", "있습니다.", "좋습니다.", "필요합니다.")
WORDS = ("skin", "laser", "lifting", "collagen", "treatment", "patient", "clinic", "result", "session", "care")
LAUNCHER = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"
PROJECT = '[tool.translate]\nsource = "ko"\ntargets = ["en"]\n'


# --- generated input ------------------------------------------------------------------------------


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))))
    return sorted(words)


def korean_sentences(count: int, seed: int = 1) -> list[str]:
    """``count`` distinct Korean sentences of 5 to 7 words (about 30 characters each)."""
    rng = random.Random(seed)
    words = _vocabulary(rng, 3000)
    seen: set[str] = set()
    sentences: list[str] = []
    while len(sentences) < count:
        parts = [rng.choice(words) + rng.choice(PARTICLES) for _ in range(rng.randint(4, 6))]
        if rng.random() < 0.2:
            parts.insert(1, f"{rng.randint(1, 99)}회")
        sentence = " ".join(parts) + " " + rng.choice(words) + rng.choice(ENDINGS)
        if sentence not in seen:
            seen.add(sentence)
            sentences.append(sentence)
    return sentences


def similar_sentences(count: int, seed: int = 2) -> list[str]:
    """``count`` distinct sentences that differ in one phrase only: every pair scores over 70 (the
    worst case for matching changed sentences, where all pairs are candidates)."""
    rng = random.Random(seed)
    words = _vocabulary(rng, 3000)
    seen: set[str] = set()
    sentences: list[str] = []
    while len(sentences) < count:
        phrase = f"{rng.choice(words)} {rng.choice(words)}"
        sentence = f"시술 후 {phrase} 부위는 붉어질 수 있으며 대부분 수일 안에 자연스럽게 가라앉습니다."
        if sentence not in seen:
            seen.add(sentence)
            sentences.append(sentence)
    return sentences


def reword_particle(sentence: str, rng: random.Random) -> str:
    """One particle of the shared part changed (부위는 -> 부위가)."""
    return sentence.replace("부위는", rng.choice(("부위가", "부위도", "부위의")), 1)


def reword(sentence: str, rng: random.Random) -> str:
    """The sentence with one particle changed and one word replaced: a small edit (ratio >= 70)."""
    words = sentence.split(" ")
    i = rng.randrange(len(words) - 1)
    stem = words[i].rstrip("".join(PARTICLES))
    words[i] = (stem or words[i]) + rng.choice(PARTICLES)
    j = rng.randrange(len(words) - 1)
    words[j] = "".join(rng.choice(SYLLABLES) for _ in range(2)) + rng.choice(PARTICLES)
    return " ".join(words)


def article(sentences: list[str], per_paragraph: int = 4) -> str:
    """A Markdown article: a heading every 10 paragraphs, paragraphs of a few sentences with soft breaks."""
    blocks = []
    for start in range(0, len(sentences), per_paragraph):
        if start % (per_paragraph * 10) == 0:
            blocks.append(f"## {start // per_paragraph + 1}. {sentences[start][:12].rstrip()} 안내")
        blocks.append("\n".join(sentences[start : start + per_paragraph]))
    return "---\ntitle: 성장 측정 글\n---\n\n" + "\n\n".join(blocks) + "\n"


def english_page(korean: str, rng: random.Random) -> str:
    """An English page with the article's structure: a sentence per Korean sentence (numbers kept),
    about 2.3 times as long; now and then two Korean sentences are one English sentence."""
    out = []
    for line in korean.split("\n"):
        if line.startswith("## "):
            out.append("## " + " ".join(rng.choice(WORDS) for _ in range(3)) + " guide")
        elif line.startswith(("---", "title:")) or not line:
            out.append(line.replace("성장 측정 글", "Growth article"))
        else:
            numbers = re.findall(r"\d+", line)
            length = max(3, round(len(line.replace(" ", "")) * 2.3 / 6))
            words = [rng.choice(WORDS) for _ in range(length)] + [f"{n} times" for n in numbers]
            text = " ".join(words).capitalize() + "."
            if out and out[-1] and not out[-1].startswith(("#", "-", "title")) and rng.random() < 0.03:
                out[-1] = out[-1][:-1] + ", and " + text[0].lower() + text[1:]  # 2-1
            else:
                out.append(text)
    return "\n".join(out)


def make_project(folder: Path, text: str, slug: str = "big") -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "content" / "ko").mkdir(parents=True)
    (folder / "pyproject.toml").write_text(PROJECT, encoding="utf-8")
    (folder / "content" / "ko" / f"{slug}.md").write_text(text, encoding="utf-8")
    return folder


def approve_all(po: Path) -> None:
    """Every entry of a PO file approved, as a reviewer would leave it: drafts lose their fuzzy flag
    and previous msgid, untranslated entries get a translation."""
    header, body = po.read_text(encoding="utf-8").split("\n\n", 1)
    body = re.sub(r"^#, fuzzy\n|^#\| .*\n", "", body, flags=re.MULTILINE)
    counter = iter(range(1, 10**9))
    body = re.sub(
        r'^msgstr ""\n(?!")', lambda _: f'msgstr "Approved translation {next(counter)}."\n', body, flags=re.MULTILINE
    )
    po.write_text(header + "\n\n" + body, encoding="utf-8")


# --- measuring ------------------------------------------------------------------------------------


@dataclass
class Figure:
    case: str
    size: str
    command: str
    seconds: float
    peak_mb: float
    code: int


def child(args: list[str]) -> None:
    """Run one translate command in this process, then report its peak memory on the last line."""
    from translate.cli import app

    code = 0
    try:
        app(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"code": code, "peak_kb": max(own, workers)}), file=sys.stderr)


def measure(root: Path, args: list[str], timeout: float) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of ``translate -C root ARGS`` in a child process."""
    # Linux keeps the peak RSS of the process that execs a program (its ``ru_maxrss``): started from
    # this process, which holds the generated input, the child would report at least our size. A
    # small launcher in between starts it from a few megabytes.
    cmd = [PY, "-S", "-c", LAUNCHER, PY, str(Path(__file__).resolve()), "--child", "-C", str(root), *args]
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               start_new_session=True)  # fmt: skip
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the launcher and the command it started
        process.communicate()
        return float("inf"), float("nan"), -1
    elapsed = time.perf_counter() - started
    last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    try:
        report = json.loads(last)
    except json.JSONDecodeError:
        raise SystemExit(f"{' '.join(args)} crashed:\n{stderr[-3000:]}") from None
    if report["code"] not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({report['code']}):\n{stderr[-3000:]}")
    return elapsed, report["peak_kb"] / 1024, report["code"]


def _reextract_case(
    work: Path, size: int, fraction: float, timeout: float, similar: bool = False
) -> list[tuple[str, float, float, int]]:
    rng = random.Random(size)
    sentences = similar_sentences(size) if similar else korean_sentences(size)
    change = reword_particle if similar else reword
    root = make_project(work / f"reextract-{size}-{fraction}-{similar}", article(sentences))
    measure(root, ["extract"], timeout)
    approve_all(root / "po" / "en" / "big.po")
    chosen = set(rng.sample(range(size), k=max(1, round(size * fraction))))
    edited = [change(s, rng) if i in chosen else s for i, s in enumerate(sentences)]
    (root / "content" / "ko" / "big.md").write_text(article(edited), encoding="utf-8")
    seconds, peak, code = measure(root, ["extract"], timeout)
    po = (root / "po" / "en" / "big.po").read_text(encoding="utf-8")
    matched = po.count("#| msgid")
    return [(f"re-extract ({len(chosen):,} reworded, {matched:,} matched)", seconds, peak, code)]


def case_reextract(work: Path, size: int, timeout: float) -> list[tuple[str, float, float, int]]:
    return _reextract_case(work, size, 0.01, timeout)


def case_reworded(work: Path, size: int, timeout: float) -> list[tuple[str, float, float, int]]:
    return _reextract_case(work, size, 1.0, timeout)


def case_reworded_similar(work: Path, size: int, timeout: float) -> list[tuple[str, float, float, int]]:
    return _reextract_case(work, size, 1.0, timeout, similar=True)


def case_align(work: Path, size: int, timeout: float) -> list[tuple[str, float, float, int]]:
    rng = random.Random(size)
    korean = article(korean_sentences(size))
    root = make_project(work / f"align-{size}", korean)
    page = root / "content" / "en" / "big.md"
    page.parent.mkdir(parents=True)
    page.write_text(english_page(korean, rng), encoding="utf-8")
    seconds, peak, code = measure(root, ["align", "content/ko/big.md", "content/en/big.md"], timeout)
    return [("align", seconds, peak, code)]


def case_big(work: Path, megabytes: int, timeout: float) -> list[tuple[str, float, float, int]]:
    count = round(megabytes * 1_000_000 / 81)  # a generated sentence and its line break: 81 bytes on average
    sentences = korean_sentences(count)
    root = make_project(work / f"big-{megabytes}", article(sentences))
    source = root / "content" / "ko" / "big.md"
    rows = [
        (f"extract ({source.stat().st_size / 1e6:.0f} MB, {count:,} sentences)", *measure(root, ["extract"], timeout))
    ]
    shutil.rmtree(root / ".translate-cache", ignore_errors=True)
    rows.append(("status (nothing cached)", *measure(root, ["status"], timeout)))
    approve_all(root / "po" / "en" / "big.po")
    rng = random.Random(megabytes)
    chosen = set(rng.sample(range(count), k=count // 100))
    source.write_text(article([reword(s, rng) if i in chosen else s for i, s in enumerate(sentences)]))
    rows.append(("re-extract after review, 1 % reworded", *measure(root, ["extract"], timeout)))
    rows.append(("review list --json", *measure(root, ["review", "list", "--json"], timeout)))
    approve_all(root / "po" / "en" / "big.po")  # the reworded ones are drafts: approve them too
    rows.append(("publish", *measure(root, ["publish"], timeout)))
    rows.append(("check", *measure(root, ["check"], timeout)))
    return rows


CASES: dict[str, tuple[Callable[[Path, int, float], list[tuple[str, float, float, int]]], tuple[int, int], str]] = {
    "reextract": (case_reextract, (50_000, 100_000), "segments"),
    "reworded": (case_reworded, (2_000, 4_000), "sentences"),
    "reworded-similar": (case_reworded_similar, (2_000, 4_000), "sentences"),
    "align": (case_align, (1_000, 2_000), "segments each side"),
    "big": (case_big, (25, 50), "MB"),
}


def table(figures: list[Figure]) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}; one run each, in a child process "
        "(peak RSS: `resource.getrusage`, the process or its largest worker). "
        "growth = the larger size's time / the smaller's (×2 input: 2 is linear, 4 quadratic).",
        "",
        "| case | size | command | seconds | peak RSS (MB) | growth |",
        "| --- | ---: | --- | ---: | ---: | ---: |",
    ]
    previous: dict[tuple[str, str], float] = {}
    for f in figures:
        key = (f.case, re.sub(r" \(.*", "", f.command))
        growth = ""
        if key in previous and previous[key] > 0 and f.seconds != float("inf"):
            growth = f"{f.seconds / previous[key]:.1f}"
        previous[key] = f.seconds
        seconds = f"{f.seconds:.2f}" if f.seconds != float("inf") else "timed out"
        lines.append(f"| {f.case} | {f.size} | {f.command} | {seconds} | {f.peak_mb:.0f} | {growth} |")
    return "\n".join(lines)


def write_benchmarks(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text(encoding="utf-8")
    block = f"{MARKER_START}\n{text}\n{MARKER_END}"
    if MARKER_START in current:
        head, rest = current.split(MARKER_START, 1)
        current = head + block + rest.split(MARKER_END, 1)[1]
    else:
        current = (
            current.rstrip()
            + "\n\n## Growth with the size of one article (`python bench/growth.py`)\n\n"
            + block
            + "\n"
        )
    path.write_text(current, encoding="utf-8")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="only this case (repeatable)")
    parser.add_argument("--sizes", help="override the two sizes, e.g. 1000,2000 (with one --case)")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one, removed after)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds allowed per command")
    parser.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    options = parser.parse_args()
    work = options.work or Path(tempfile.mkdtemp(prefix="translate-growth-"))
    figures: list[Figure] = []
    try:
        for name in options.case or list(CASES):
            run, sizes, unit = CASES[name]
            if options.sizes:
                sizes = tuple(int(s) for s in options.sizes.split(","))  # type: ignore[assignment]
            for size in sizes:
                for command, seconds, peak, code in run(work, size, options.timeout):
                    figure = Figure(name, f"{size:,} {unit}", command, seconds, peak, code)
                    figures.append(figure)
                    print(f"{name:10} {figure.size:>22} {command:55} {seconds:8.2f} s {peak:7.0f} MB", flush=True)
    finally:
        if options.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = table(figures)
    print(text)
    if options.write:
        write_benchmarks(text)


if __name__ == "__main__":
    main()
