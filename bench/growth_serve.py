"""Two growth cases of issue 17: `serve` with a large glossary, and the PO syntax check on one huge line.

  python bench/growth_serve.py [--terms 10000 50000] [--mb 5 20]

* serve: a project with a glossary of N generated terms; the time of a segment page (GET /panel) and
  of a decision (POST /decide, approve), through Starlette's test client, after a first page has
  been served (the process is warm, as a running `translate serve` is).
* PO syntax check: a PO file whose one msgstr is an M MB line, read by ``load_catalog`` in a fresh
  process; the peak resident memory of that process, and of the syntax check alone.

Prints a Markdown table. To measure another version of the code, put it first on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLE = """\
---
title: 리프팅 안내
---

엠페이스는 표정근까지 고려한 리프팅입니다.

시술 시간은 약 20분입니다.

피부과 전문의가 직접 상담합니다.
"""

_SYLLABLES = [chr(c) for c in range(0xAC00, 0xD7A4, 7)]


def glossary_yaml(terms: int, seed: int = 17) -> str:
    """terms distinct Korean terms of 3 to 5 syllables, each with an English target."""
    rng = random.Random(seed)
    seen: set[str] = set()
    lines = ["terms:"]
    while len(seen) < terms:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 5)))
        if word in seen:
            continue
        seen.add(word)
        lines.append(f"  - ko: {word}\n    en: term {len(seen)}")
    lines.append("  - ko: 엠페이스\n    en: Emface\n  - ko: 피부과 전문의\n    en: dermatologist")
    return "\n".join(lines) + "\n"


def serve_timings(terms: int, runs: int) -> dict[str, float]:
    from starlette.testclient import TestClient

    from translate.extract import extract
    from translate.model import State, text_hash
    from translate.po import load_catalog, save_catalog
    from translate.project import Project
    from translate.web import create_app

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "content" / "ko").mkdir(parents=True)
        (root / "content" / "ko" / "a.md").write_text(ARTICLE, encoding="utf-8")
        (root / "glossary.yaml").write_text(glossary_yaml(terms), encoding="utf-8")
        written = time.time()
        project = Project.open(root)
        extract(project)
        path = project.po_path("en", "a")
        catalog = load_catalog(path, article="a", lang="en", source_lang="ko")
        for unit in catalog.units:  # drafts as draft writes them: checked (clean) for their text
            unit.target, unit.state = "Emface is a lifting that considers the expression muscles.", State.DRAFT
            unit.checked = text_hash(unit.target)
        save_catalog(catalog, path)
        # a glossary changed in the last two seconds is read again on every request (its stamp may not
        # show the next change yet): measure a server whose glossary was edited before that, as usual
        time.sleep(max(0.0, written + 2.5 - time.time()))
        web = TestClient(create_app(project, allowed_hosts={"127.0.0.1"}), base_url="http://127.0.0.1:8765")
        page = web.get("/").text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert csrf
        web.post("/reviewer", data={"name": "Bench", "csrf": csrf.group(1)}, follow_redirects=False)
        ids = [unit.id for unit in catalog.units]
        panels, decisions = [], []
        for ident in ids[:runs]:
            params = {"in": "a", "to": "en", "id": ident}
            start = time.perf_counter()
            html = web.get("/panel", params=params).text
            panels.append(time.perf_counter() - start)
            version = re.search(r'name="version" value="([0-9a-f]+)"', html)
            assert version
            data = {"csrf": csrf.group(1), "decision": "approve", **params, "version": version.group(1), "force": "1"}
            start = time.perf_counter()
            response = web.post("/decide", data=data, headers={"X-Requested-With": "fetch"})
            decisions.append(time.perf_counter() - start)
            assert response.status_code == 200, response.text[:200]
        return {"panel": statistics.median(panels), "decide": statistics.median(decisions)}


_MEMORY_CHILD = """
import sys, time
from pathlib import Path
from translate.po import _check_syntax, load_catalog

def peak():  # VmHWM: this process's peak resident memory, in kB (ru_maxrss counts the parent's before exec)
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])

path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
before = peak()
start = time.perf_counter()
if sys.argv[2] == "check":
    _check_syntax(text, path)
else:
    del text
    load_catalog(path, article="a", lang="en", source_lang="ko")
print(before, peak(), time.perf_counter() - start, sys.modules["translate"].__file__, file=sys.stdout)
"""


def syntax_memory(megabytes: int, what: str) -> dict[str, float]:
    """Peak memory (MB) and time of reading a PO file with one msgstr line of the given size."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.po"
        body = "Skin care is daily. " * (megabytes * 1024 * 1024 // 20)
        path.write_text(f'msgid ""\nmsgstr ""\n\nmsgid "피부 관리"\nmsgstr "{body}"\n', encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY_CHILD, str(path), what],
            capture_output=True,
            text=True,
            check=True,
            cwd=folder,
        ).stdout.split()
        before, peak, seconds = int(out[0]) / 1024, int(out[1]) / 1024, float(out[2])
        print(f"  ({what} {megabytes} MB: translate from {out[3]})", file=sys.stderr)
        return {"peak_mb": peak, "added_mb": peak - before, "seconds": seconds}


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--terms", type=int, nargs="*", default=[10_000, 50_000])
    parser.add_argument("--mb", type=int, nargs="*", default=[5, 20])
    parser.add_argument("--runs", type=int, default=3, help="segments decided on (median time)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, object] = {}
    print("| case | size | time | peak memory |\n| --- | ---: | ---: | ---: |")
    for terms in args.terms:
        timing = serve_timings(terms, args.runs)
        results[f"serve-{terms}"] = timing
        print(f"| serve: a segment page (GET /panel) | {terms:,} terms | {_seconds(timing['panel'])} | |")
        print(f"| serve: a decision (POST /decide) | {terms:,} terms | {_seconds(timing['decide'])} | |")
    for megabytes in args.mb:
        for what, label in (("check", "PO syntax check alone"), ("load", "reading the PO file (load_catalog)")):
            memory = syntax_memory(megabytes, what)
            results[f"{what}-{megabytes}"] = memory
            print(
                f"| {label}: one msgstr line | {megabytes} MB | {_seconds(memory['seconds'])} | "
                f"{memory['peak_mb']:,.0f} MB (+{memory['added_mb']:,.0f} MB) |"
            )
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
