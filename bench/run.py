"""Run every performance measurement and write the figures into BENCHMARKS.md.

Usage: python bench/run.py [--sizes 2000,10000] [--repeat 3] [--work DIR] [--skip-peers] [--review-only]

Each measurement runs in a fresh process; we report the median wall time of the repeats and the
peak resident memory (RSS) of that process. Peers run in the same session on the same corpus:
mdpo's ``markdown_to_pofile`` per file and translate-toolkit's ``md2po`` over the folder, each in its
own virtual environment under the work folder (they are installed here, not by the project).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402

PY = sys.executable
TRANSLATE = [PY, "-m", "translate"]
MARKER_START = "<!-- bench/run.py: start -->"
MARKER_END = "<!-- bench/run.py: end -->"
REVIEW_START = "<!-- bench/run.py review: start -->"
REVIEW_END = "<!-- bench/run.py review: end -->"
REVIEW = str(BENCH / "review_page.py")


@dataclass
class Figure:
    name: str
    seconds: float
    peak_mb: float
    note: str = ""


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command, which must succeed (exit 0 or 1)."""
    os.sync()  # every command starts with nothing left to flush by the one before (deleted outputs too)
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                                   stdout=subprocess.DEVNULL, stderr=errors)  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def median_of(repeat: int, cmd: list[str], before: object = None, **kwargs: object) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(repeat):
        if callable(before):
            before()
        seconds, peak = run(cmd, **kwargs)  # type: ignore[arg-type]
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def venv(work: Path, name: str, packages: list[str]) -> Path:
    """A virtual environment with packages, made once under work/venvs/."""
    path = work / "venvs" / name
    python = path / "bin" / "python"
    if not python.exists():
        subprocess.run([PY, "-m", "venv", str(path)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    return python


def version(python: Path, package: str) -> str:
    out = subprocess.run([str(python), "-m", "pip", "show", package], capture_output=True, text=True).stdout
    return next((line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Version: ")), "?")


MDPO_SCRIPT = """
import sys
from pathlib import Path
from mdpo.md2po import markdown_to_pofile
out = Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
for path in sorted(Path(sys.argv[1]).glob("*.md")):
    markdown_to_pofile(str(path)).save(str(out / (path.stem + ".po")))
"""


POLIB_SCRIPT = """
import sys
from pathlib import Path
import polib
out = Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
for path in sorted(Path(sys.argv[1]).glob("*.po")):
    polib.pofile(str(path)).save(str(out / path.name))
"""


def measure_size(work: Path, size: int, repeat: int, peers: dict[str, Path]) -> list[Figure]:
    site = work / f"site-{size}"
    if not site.exists():
        generate(site, size)
    ko = site / "content" / "ko"
    figures: list[Figure] = []

    def clean() -> None:
        shutil.rmtree(site / "po", ignore_errors=True)
        shutil.rmtree(site / ".translate-cache", ignore_errors=True)

    full = median_of(repeat, [*TRANSLATE, "-C", str(site), "extract"], before=clean)
    figures.append(Figure(f"extract, {size} articles (full)", *full))
    if "mdpo" in peers:
        mdpo = median_of(repeat, [str(peers["mdpo"]), "-c", MDPO_SCRIPT, str(ko), str(work / "out-mdpo")])
        figures.append(
            Figure(f"mdpo markdown_to_pofile per file, {size} articles", *mdpo, f"ours/mdpo = {full[0] / mdpo[0]:.2f}")
        )
    if "ttk" in peers:
        md2po = peers["ttk"].parent / "md2po"
        ttk = median_of(
            repeat,
            [str(md2po), "--progress=none", "-i", str(ko), "-o", str(work / "out-ttk")],
            before=lambda: shutil.rmtree(work / "out-ttk", ignore_errors=True),
        )
        figures.append(
            Figure(f"translate-toolkit md2po, {size} articles", *ttk, f"ours/md2po = {full[0] / ttk[0]:.2f}")
        )
    run([*TRANSLATE, "-C", str(site), "extract"])
    po_io = median_of(repeat, [PY, "-c", POLIB_SCRIPT, str(site / "po" / "en"), str(work / "out-polib")])
    figures.append(
        Figure(f"polib load + save of the {size} PO files", *po_io, f"extract/polib = {full[0] / po_io[0]:.2f}")
    )
    noop = median_of(repeat, [*TRANSLATE, "-C", str(site), "extract"])
    figures.append(Figure(f"extract, {size} articles, nothing changed", *noop, f"no-op/full = {noop[0] / full[0]:.3f}"))
    first = ko / "article-00001.md"
    original = first.read_text(encoding="utf-8")

    edited = [False]

    def edit_one() -> None:
        edited[0] = not edited[0]
        first.write_text(original.replace("습니다.", "습니다!", 1) if edited[0] else original, encoding="utf-8")

    one = median_of(repeat, [*TRANSLATE, "-C", str(site), "extract"], before=edit_one)
    first.write_text(original, encoding="utf-8")
    run([*TRANSLATE, "-C", str(site), "extract"])
    figures.append(Figure(f"extract, {size} articles, one article edited", *one))
    cold = median_of(repeat, [*TRANSLATE, "-C", str(site), "status"],
                     before=lambda: shutil.rmtree(site / ".translate-cache", ignore_errors=True))  # fmt: skip
    figures.append(Figure(f"status, {size} articles, cold (no cache)", *cold))
    run([*TRANSLATE, "-C", str(site), "status"])
    warm = median_of(repeat, [*TRANSLATE, "-C", str(site), "status"])
    figures.append(Figure(f"status, {size} articles, warm", *warm))
    approve_all = [PY, "-c", APPROVE_SCRIPT, str(site)]
    run(approve_all)
    publish = median_of(repeat, [*TRANSLATE, "-C", str(site), "publish"],
                        before=lambda: shutil.rmtree(site / "content" / "en", ignore_errors=True))  # fmt: skip
    pages = len(list((site / "content" / "en").glob("*.md")))
    figures.append(Figure(f"publish, {size} articles", *publish, f"{pages:,} pages written"))
    return figures


def measure_startup(work: Path, repeat: int) -> list[Figure]:
    """What every command pays before it works: Python, the command line, the project's settings."""
    site = work / "site-1"
    if not site.exists():
        generate(site, 1)
    run([*TRANSLATE, "-C", str(site), "extract"])
    run([*TRANSLATE, "-C", str(site), "status"])
    return [
        Figure("start-up: `python -c pass`", *median_of(repeat, [PY, "-c", "pass"])),
        Figure("start-up: `translate --version`", *median_of(repeat, [*TRANSLATE, "--version"])),
        Figure("start-up: `translate --help`", *median_of(repeat, [*TRANSLATE, "--help"])),
        Figure("start-up: `status`, 1 article, warm", *median_of(repeat, [*TRANSLATE, "-C", str(site), "status"])),
    ]


APPROVE_SCRIPT = """
import re
import sys
from translate import history
from translate.model import State, text_hash
from translate.notices import SOURCE_NOTICE_RE
from translate.po import load_catalog, save_catalog
from translate.project import Project
project = Project.open(sys.argv[1])
for slug in project.articles():
    path = project.po_path("en", slug)
    catalog = load_catalog(path, article=slug, lang="en", source_lang="ko")
    for unit in catalog.units:
        # Korean words replaced, numbers, markup and the legal notice kept: every page passes the
        # checks and is written.
        target = re.sub("[가-힣]+", "care", SOURCE_NOTICE_RE.sub("Medical Service Act Article 56", unit.source))
        unit.target, unit.state = target, State.APPROVED
        # approved and checked as `review` records it (else every unit is "approved outside translate")
        unit.checked = text_hash(unit.target)
        unit.history.append(history.approved("bench", unit.checked))
    save_catalog(catalog, path)
"""

LOOKUPS = str(BENCH / "lookups.py")


def lookups(repeat: int, *args: str) -> tuple[dict[str, float], float]:
    """Medians of bench/lookups.py's in-process figures over ``repeat`` runs, and the peak RSS."""
    results, peaks = [], []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "result.json"
        for _ in range(repeat):
            _, peak = run([PY, LOOKUPS, *args, str(out)])
            results.append(json.loads(out.read_text(encoding="utf-8")))
            peaks.append(peak)
    return {key: statistics.median(r[key] for r in results) for key in results[0]}, max(peaks)


def measure_glossary(work: Path, megabytes: int, terms: int, repeat: int) -> list[Figure]:
    """Load a glossary of ``terms`` terms, then find them in ``megabytes`` MB of articles."""
    site = work / "glossary"
    if not (site / "glossary.yaml").exists():
        generate(site, 200, glossary_terms=terms)
    corpus = site / f"corpus-{megabytes}mb.txt"
    if not corpus.exists():
        chunks = [p.read_text(encoding="utf-8") for p in sorted((site / "content" / "ko").glob("*.md"))]
        text, size = [], 0
        while size < megabytes * 1_000_000:
            for chunk in chunks:
                text.append(chunk)
                size += len(chunk.encode())
        corpus.write_text("\n\n".join(text), encoding="utf-8")
    result, peak = lookups(repeat, "glossary", str(site / "glossary.yaml"), str(corpus))
    size_kb = (site / "glossary.yaml").stat().st_size / 1000
    return [
        Figure(f"glossary: load {result['terms']:,.0f} terms (glossary.yaml, {size_kb:,.0f} KB)",
               result["load_seconds"], peak),
        Figure(f"glossary: find {result['terms']:,.0f} terms in {result['megabytes']:.0f} MB of articles, "
               f"{result['paragraphs']:,.0f} paragraphs, one call each", result["match_seconds"], peak,
               f"{result['megabytes'] / result['match_seconds']:.1f} MB/s; {result['matches']:,.0f} matches"),
    ]  # fmt: skip


def measure_tm(entries: int, queries: int, repeat: int) -> list[Figure]:
    """Fuzzy memory suggestions for ``queries`` sentences against ``entries`` approved entries."""
    result, peak = lookups(repeat, "tm", str(entries), str(queries))
    return [
        Figure(f"memory: index {result['entries']:,.0f} approved entries (FuzzyIndex)", result["index_seconds"], peak),
        Figure(f"memory: fuzzy suggestions for {result['queries']:,.0f} sentences against {result['entries']:,.0f} "
               "approved entries (score >= 75)", result["suggest_seconds"], peak,
               f"{1000 * result['suggest_seconds'] / result['queries']:.1f} ms per sentence; "
               f"{result['queries_with_suggestions']:,.0f} with suggestions"),
    ]  # fmt: skip


def measure_review(work: Path, size: int, repeat: int) -> str:
    """The review page over ``size`` drafted articles (bench/review_page.py, in its own process): a
    Markdown table of its figures against issue 14's targets."""
    site = work / f"review-{size}"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "review.json"
        subprocess.run([PY, REVIEW, str(site), str(size), "--repeat", str(repeat), "--out", str(out)], check=True)
        result = json.loads(out.read_text(encoding="utf-8"))

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.0f} ms"

    def met(seconds: float, target: float) -> str:
        return "met" if seconds <= target else "**missed**"

    lines = [
        f"{result['segments']:,} segments in {size:,} articles, a draft in each; index built from nothing in "
        f"{result['index_build_seconds']:.0f} s (once; then only changed PO files are read).",
        "",
        "| measurement | median | size | target | |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| first queue page (`GET /`) | {ms(result['first_page_seconds'])} | "
        f"{result['first_page_bytes'] / 1000:,.0f} KB | 300 ms, 300 KB | {met(result['first_page_seconds'], 0.3)} |",
    ]
    for name, (seconds, size_bytes) in result["filters"].items():
        lines.append(f"| {name} | {ms(seconds)} | {size_bytes / 1000:,.0f} KB | 300 ms | {met(seconds, 0.3)} |")
    for name, seconds in result["decisions"].items():
        lines.append(f"| decision: {name} (`POST /decide`, PO file written, next page back) | {ms(seconds)} | | "
                     f"150 ms | {met(seconds, 0.15)} |")  # fmt: skip
    writing = result["while_writing"]
    lines.append(
        f"| queue page while another process rewrites PO files ({writing['requests']} pages) | "
        f"{ms(writing['median'])} (max {ms(writing['max'])}) | | 300 ms | {met(writing['median'], 0.3)} |"
    )
    return "\n".join(lines)


def write_section(text: str, start: str, end: str, title: str, path: Path) -> None:
    """Put text between the markers start and end of path (a new section titled title when missing)."""
    section = f"{start}\n{text}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in old:
        old = old[: old.index(start)] + section + old[old.index(end) + len(end) :]
    else:
        old = old.rstrip() + f"\n\n## {title}\n\n" + section + "\n"
    path.write_text(old, encoding="utf-8")


def write(figures: list[Figure], header: str, path: Path) -> None:
    table = ["| measurement | median seconds | peak RSS (MB) | ratio |", "| --- | ---: | ---: | --- |"]
    table += [f"| {f.name} | {f.seconds:.2f} | {f.peak_mb:.0f} | {f.note} |" for f in figures]
    section = f"{MARKER_START}\n{header}\n\n" + "\n".join(table) + f"\n{MARKER_END}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if MARKER_START in text:
        text = text[: text.index(MARKER_START)] + section + text[text.index(MARKER_END) + len(MARKER_END) :]
    else:
        text = text.rstrip() + "\n\n## Workflow at scale (`python bench/run.py`)\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=BENCH / ".work")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--glossary-mb", type=int, default=50)
    parser.add_argument("--tm-entries", type=int, default=100_000)
    parser.add_argument("--tm-queries", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--review-only", action="store_true", help="Only the review page (issue 14).")
    parser.add_argument("--skip-review", action="store_true", help="Everything but the review page.")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    largest = max(int(s) for s in args.sizes.split(","))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    # Byte-compiled as pip compiles an installed package (and the peers' packages), whatever
    # PYTHONDONTWRITEBYTECODE says: otherwise every command would compile our modules first.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "translate")], check=True, stdout=subprocess.DEVNULL)
    if not args.skip_review:
        review = (
            f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores (load average {load} at the start), "
            f"{platform.python_implementation()} {platform.python_version()}; medians of {args.repeat} runs, "
            "in one warm process as `translate serve` runs (`python bench/review_page.py`).\n\n"
            + measure_review(args.work, largest, args.repeat)
        )
        write_section(
            review, REVIEW_START, REVIEW_END, "The review page at scale (`python bench/run.py --review-only`)", args.out
        )
    if args.review_only:
        return
    peers: dict[str, Path] = {}
    versions = []
    if not args.skip_peers:
        peers["mdpo"] = venv(args.work, "mdpo", ["mdpo"])
        peers["ttk"] = venv(args.work, "ttk", ["translate-toolkit[markdown]"])
        versions = [
            f"mdpo {version(peers['mdpo'], 'mdpo')}",
            f"translate-toolkit {version(peers['ttk'], 'translate-toolkit')}",
        ]
    figures: list[Figure] = measure_startup(args.work, args.repeat)
    for size in (int(s) for s in args.sizes.split(",")):
        figures += measure_size(args.work, size, args.repeat, peers)
        print(*(f"{f.name}: {f.seconds:.2f}s {f.peak_mb:.0f}MB {f.note}" for f in figures[-8:]), sep="\n")
    figures += measure_glossary(args.work, args.glossary_mb, 20_000, args.repeat)
    figures += measure_tm(args.tm_entries, args.tm_queries, args.repeat)
    print(*(f"{f.name}: {f.seconds:.2f}s {f.peak_mb:.0f}MB {f.note}" for f in figures[-4:]), sep="\n")
    header = (
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores (load average {load} at the start), "
        f"{platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}; medians of {args.repeat} runs; "
        + (", ".join(versions) or "peers skipped")
        + "."
    )
    write(figures, header, args.out)


if __name__ == "__main__":
    main()
