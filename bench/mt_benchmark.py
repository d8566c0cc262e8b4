"""Machine translation benchmark: deep-translator's own translate_batch against `translate draft`.

A local LibreTranslate-compatible server (tests/mt_server.py) answers every request after 50 ms.
The corpus is 50 Korean articles: 1,000 distinct sentences plus 200 repeats (each article repeats
four sentences of the next one, as clinic posts repeat notices and addresses). Both contenders
run as separate processes in one run, side by side:

* baseline: ``LibreTranslator(...).translate_batch(segments)`` over every segment of every
  article, in document order (what a script around deep-translator does);
* ``translate draft`` on a freshly extracted project (settings as shipped), then a
  second ``translate draft`` on the same project after its PO files were re-extracted empty (so
  only the MT cache stands between it and the server).

Wall time, requests and characters the server received, and peak memory (max RSS of the process,
from wait4) are measured. Usage: ``python bench/mt_benchmark.py [--write]``; ``--write`` replaces
the "Machine translation benchmark" section of BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.mt_server import LibreServer, romanize  # noqa: E402
from translate.project import Settings  # noqa: E402

LATENCY = 0.05
ARTICLES = 50
OWN = 20  # distinct sentences per article
REPEATS = 4  # sentences of the next article repeated in each
SECTION = "## Machine translation benchmark"

TOPICS = ["피부 탄력", "리프팅 시술", "보습 관리", "레이저 토닝", "여드름 흉터", "기미 치료", "모공 관리", "주름 개선"]
ENDINGS = ["도움이 됩니다.", "권장됩니다.", "상담이 필요합니다.", "효과가 다를 수 있습니다.", "주의가 필요합니다."]


def sentence(article: int, number: int) -> str:
    topic = TOPICS[(article + number) % len(TOPICS)]
    ending = ENDINGS[(article * 7 + number) % len(ENDINGS)]
    return f"{article + 1}번 글 {number + 1}번째 안내: {topic}은 개인에 따라 {ending}"


def corpus() -> dict[str, list[str]]:
    """Slug -> its segments in order: 20 of its own, then 4 of the next article's."""
    articles = {}
    for a in range(ARTICLES):
        own = [sentence(a, n) for n in range(OWN)]
        repeated = [sentence((a + 1) % ARTICLES, n) for n in range(REPEATS)]
        articles[f"post-{a:02d}"] = own + repeated
    return articles


@dataclass
class Measure:
    seconds: float
    requests: int
    characters: int
    max_rss_mib: float
    exit_code: int


def measured(args: list[str], server: LibreServer, env: dict[str, str] | None = None) -> Measure:
    """Run a process to its end; what the server received meanwhile, and its peak memory."""
    before = len(server.received)
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    received = server.received[before:]
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write(process.stderr.read().decode() if process.stderr else "")
    return Measure(seconds, len(received), sum(len(r.text) for r in received), usage.ru_maxrss / 1024, code)


BASELINE = """
import json, sys
from deep_translator import LibreTranslator
segments = json.load(open(sys.argv[1], encoding="utf-8"))
translator = LibreTranslator(source="ko", target="en", api_key="unused", custom_url=sys.argv[2])
result = translator.translate_batch(segments)
assert len(result) == len(segments)
"""


def main() -> int:
    articles = corpus()
    segments = [s for texts in articles.values() for s in texts]
    distinct = len(set(segments))
    assert (len(segments), distinct) == (ARTICLES * (OWN + REPEATS), ARTICLES * OWN)
    env = {**os.environ, "no_proxy": "127.0.0.1,localhost"}
    env.pop("LIBRETRANSLATE_API_KEY", None)
    with tempfile.TemporaryDirectory() as folder, LibreServer(translate=lambda q, s, t: f"EN: {romanize(q)}") as server:
        server.delay = LATENCY
        work = Path(folder)
        (work / "segments.json").write_text(json.dumps(segments, ensure_ascii=False), encoding="utf-8")
        site = work / "site"
        (site / "content" / "ko").mkdir(parents=True)
        for slug, texts in articles.items():
            (site / "content" / "ko" / f"{slug}.md").write_text("\n\n".join(texts) + "\n", encoding="utf-8")
        (site / "pyproject.toml").write_text('[tool.translate]\nsource = "ko"\ntargets = ["en"]\n', encoding="utf-8")
        (site / "glossary.yaml").write_text("terms: []\n", encoding="utf-8")
        cli = [sys.executable, "-m", "translate", "-C", str(site)]
        assert subprocess.run([*cli, "extract"], env=env, capture_output=True, check=False).returncode == 0

        baseline = measured([sys.executable, "-c", BASELINE, str(work / "segments.json"), server.url], server, env)
        first = measured([*cli, "draft", "--url", server.url], server, env)
        shutil.rmtree(site / "po")
        assert subprocess.run([*cli, "extract"], env=env, capture_output=True, check=False).returncode == 0
        second = measured([*cli, "draft", "--url", server.url], server, env)

    speedup = baseline.seconds / first.seconds
    shipped = Settings()
    rows = [
        ("deep-translator `translate_batch`", baseline),
        ("`translate draft`, first run", first),
        ("`translate draft`, second run (PO files re-extracted empty)", second),
    ]
    lines = [
        SECTION,
        "",
        f"Measured by `python bench/mt_benchmark.py --write` in one run, {date.today().isoformat()}; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.",
        f"Server: tests/mt_server.py (LibreTranslate API) on 127.0.0.1, {LATENCY * 1000:.0f} ms per request. "
        f"Corpus: {ARTICLES} articles, {len(segments):,} segments = {distinct:,} distinct sentences + "
        f"{len(segments) - distinct} repeats. `translate draft` with the shipped settings ({shipped.workers} "
        f"workers, timeout {shipped.timeout:g} s, {shipped.retries} retries); wall time includes starting Python "
        "and reading and writing the PO files.",
        "",
        "| run | wall time | requests | characters sent | peak memory (max RSS) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {name} | {m.seconds:.2f} s | {m.requests:,} | {m.characters:,} | {m.max_rss_mib:.0f} MiB |"
            for name, m in rows
        ),
        "",
        f"`translate draft` is {speedup:.1f}× faster than `translate_batch` (target: ≥ 10×): bounded "
        "parallel requests, one per distinct sentence; the second run sends nothing "
        f"({second.characters} characters) because every answer is in the MT cache "
        "(`.translate-cache/mt.sqlite3`).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if any(m.exit_code != 0 for _, m in rows):
        print("a run failed", file=sys.stderr)
        return 1
    if "--write" in sys.argv:
        path = ROOT / "BENCHMARKS.md"
        current = path.read_text(encoding="utf-8")
        pattern = re.compile(rf"{re.escape(SECTION)}\n.*?(?=\n## |\Z)", re.S)
        updated = pattern.sub(lambda _: text.rstrip("\n") + "\n", current) if SECTION in current else None
        if updated is None:
            updated = current.rstrip("\n") + "\n\n" + text
        path.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
