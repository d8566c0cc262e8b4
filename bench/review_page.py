"""The review page at scale (issue 14): a generated site with a draft in every segment, served in-process.

  python bench/review_page.py SITE N [--out result.json]

Makes SITE (bench/corpus.py, N articles) with every segment drafted as ``draft`` writes it (a
translation, its findings and their ``checked`` hash; one in seven with a changed number, so the
queue has errors to sort first), builds the segment index once, then times through Starlette's
test client, warm as a running ``translate serve`` is: the first queue page (time and bytes), each
filter and a text search, a decision (approve, edit, reject), the queue page while another process
rewrites PO files as ``draft`` does, and ``review list --json``-sized work on the index. Writes the
figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402

HANGUL = re.compile("[가-힣]+")


def _draft_chunk(args: tuple[str, list[str]]) -> int:
    from translate.checks import check_config, check_translation
    from translate.glossary import load_glossary
    from translate.model import State, text_hash
    from translate.po import load_catalog, save_catalog
    from translate.project import Project

    root, slugs = args
    project = Project.open(root)
    glossary = load_glossary(project.glossary_path, "ko", ("en",))
    config = check_config(project.settings)
    done = 0
    for slug in slugs:
        path = project.po_path("en", slug)
        catalog = load_catalog(path, article=slug, lang="en", source_lang="ko")
        for n, unit in enumerate(catalog.units):
            target = HANGUL.sub("care", unit.source)
            if n % 7 == 3:  # a changed number: an error finding
                target = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), target, count=1)
            unit.target, unit.state, unit.origin = target, State.DRAFT, "mt:bench"
            unit.findings = check_translation(unit.source, unit.target, "en", glossary, config)
            unit.checked = text_hash(unit.target)
        save_catalog(catalog, path)
        done += 1
    return done


def prepare(site: Path, size: int) -> None:
    """SITE with N articles extracted and drafted (made once; kept between runs)."""
    if (site / ".drafted").exists():
        return
    if not (site / "content").exists():
        generate(site, size)
    subprocess.run([sys.executable, "-m", "translate", "-C", str(site), "extract"], check=True, capture_output=True)
    from translate.project import Project

    slugs = Project.open(site).articles()
    chunks = [(str(site), slugs[i : i + 200]) for i in range(0, len(slugs), 200)]
    with multiprocessing.Pool() as pool:
        sum(pool.imap_unordered(_draft_chunk, chunks))
    (site / ".drafted").write_text("yes\n", encoding="utf-8")


def _median(values: list[float]) -> float:
    return statistics.median(values)


def measure(site: Path, repeat: int = 5) -> dict[str, Any]:
    """The figures of the review page over SITE (already prepared)."""
    from starlette.testclient import TestClient

    from translate.index import SegmentIndex
    from translate.project import Project
    from translate.web import create_app

    project = Project.open(site)
    result: dict[str, Any] = {}
    started = time.perf_counter()
    with SegmentIndex.open(project) as index:
        index.refresh()
        result["segments"] = index.count()
    result["index_build_seconds"] = time.perf_counter() - started

    web = TestClient(create_app(project, allowed_hosts={"127.0.0.1"}), base_url="http://127.0.0.1:8765")
    web.cookies.set("translate_reviewer", "bench")
    web.get("/")  # warm: templates compiled, glossary read, index opened

    def timed(path: str, params: dict[str, str] | None = None) -> tuple[float, int]:
        times, size = [], 0
        for _ in range(repeat):
            t = time.perf_counter()
            response = web.get(path, params=params)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, (path, params, response.status_code, response.text[:300])
            size = len(response.content)
        return _median(times), size

    result["first_page_seconds"], result["first_page_bytes"] = timed("/")
    filters = {
        "state: all": {"state": "all"},
        "state: draft": {"state": "draft"},
        "state: untranslated": {"state": "untranslated"},
        "findings: errors": {"check": "error"},
        "findings: numbers": {"check": "numbers"},
        "findings: glossary (most segments)": {"check": "glossary"},
        "findings: warnings": {"check": "warning"},
        "findings: none": {"check": "clean"},
        "one article": {"article": "article-05000"},
        "page 100": {"page": "100"},
        "search 'Emface' (no match)": {"q": "Emface"},
        "search '울쎄라' (Korean, common)": {"q": "울쎄라"},
        "search 'care care' (translation)": {"q": "care care"},
        "search 'RF' (2 letters)": {"q": "RF"},
    }
    result["filters"] = {name: timed("/", params) for name, params in filters.items()}

    csrf = re.search(r'name="csrf-token" content="([^"]+)"', web.get("/").text)
    assert csrf
    token = csrf.group(1)
    decisions: dict[str, list[float]] = {"approve": [], "edit": [], "reject": []}
    for n in range(repeat):
        html = web.get("/").text
        for decision in decisions:
            key = re.search(r'data-key="en/([^/"]+)/([0-9a-f]+)"', html.split('class="row selected"', 1)[1])
            version = re.search(r'name="version" value="([0-9a-f]+)"', html)
            assert key and version
            data = {"csrf": token, "decision": decision, "in": key.group(1), "to": "en", "id": key.group(2),
                    "version": version.group(1), "text": f"Edited text {n}.", "reason": "bench",
                    "force": "1"}  # fmt: skip
            t = time.perf_counter()
            response = web.post("/decide", data=data, headers={"X-Requested-With": "fetch"})
            decisions[decision].append(time.perf_counter() - t)
            assert response.status_code == 200, response.text[:300]
            html = response.text
    result["decisions"] = {name: _median(times) for name, times in decisions.items()}

    # the page while another process writes PO files as draft does (one article after another)
    writer = subprocess.Popen([sys.executable, "-c", REWRITE, str(site)])
    times: list[float] = []
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and writer.poll() is None:
            t = time.perf_counter()
            response = web.get("/", params={"state": "all"})
            times.append(time.perf_counter() - t)
            assert response.status_code == 200
            time.sleep(0.2)
    finally:
        writer.terminate()
        writer.wait()
    result["while_writing"] = {"requests": len(times), "median": _median(times), "max": max(times)}
    return result


REWRITE = """
import sys, time
from translate.po import load_catalog, save_catalog
from translate.project import Project
project = Project.open(sys.argv[1])
for slug in project.articles()[:400]:
    path = project.po_path("en", slug)
    with project.lock("draft"):
        catalog = load_catalog(path, article=slug, lang="en", source_lang="ko")
        for unit in catalog.units:
            unit.origin = "mt:rewritten"
        save_catalog(catalog, path)
    time.sleep(0.01)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args()
    prepare(args.site, args.count)
    if args.prepare_only:
        return
    result = measure(args.site, args.repeat)
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
