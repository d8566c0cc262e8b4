"""The llm engine: batches against one request per segment, on the 50 ms imitation.

The corpus of bench/mt_benchmark.py (50 articles, 1,000 distinct sentences plus 200 repeats) is
drafted with ``translate draft --engine llm`` against tests/llm_server.py answering every request
after 50 ms, once with the default batches (``batch_size = 20``) and once with ``batch_size = 1``
(one request per segment, as a client without batching would send), each on a freshly extracted
project with the shipped settings otherwise (16 workers). Usage: ``python bench/llm_benchmark.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mt_benchmark import corpus  # noqa: E402
from tests.llm_server import LLMServer  # noqa: E402
from translate.draft import draft  # noqa: E402
from translate.extract import extract  # noqa: E402
from translate.project import Project  # noqa: E402

LATENCY = 0.05


def site(folder: Path, batch_size: int) -> Project:
    for slug, texts in corpus().items():
        path = folder / "content" / "ko" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    settings = f'[tool.translate]\n\n[tool.translate.llm]\nmodel = "bench"\nbatch_size = {batch_size}\n'
    (folder / "pyproject.toml").write_text(settings, encoding="utf-8")
    project = Project.open(folder)
    extract(project)
    return project


def main() -> int:
    print("| segments per request | wall time | requests | segments drafted | prompt + completion tokens |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for batch_size in (20, 1):
        with tempfile.TemporaryDirectory() as scratch, LLMServer(delay=LATENCY, usage=False) as server:
            project = site(Path(scratch), batch_size)
            started = time.perf_counter()
            report = draft(project, engines=["llm"], url=server.url)
            wall = time.perf_counter() - started
            (use,) = report.engines
            assert report.left == 0 and not report.failures
            print(
                f"| {batch_size} | {wall:.2f} s | {len(server.received):,} | {report.from_engine:,} | "
                f"{use.prompt_tokens:,} + {use.completion_tokens:,} (estimated) |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
