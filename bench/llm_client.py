"""Which HTTP client the llm engine should use: requests, httpx or the openai package, measured.

Against the local chat-completions imitation (tests/llm_server.py, streamed answers, no delay):
the time to import each client, and the time per streamed request of a 20-segment batch, over
200 sequential requests on one kept-alive connection. The openai package is measured only where
it is installed (it is not a dependency: ``pip install openai`` in a scratch environment).
Usage: ``python bench/llm_client.py``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.llm_server import LLMServer  # noqa: E402

REQUESTS = 200
SEGMENTS = [f"{n}번째 문장은 시술 후 관리에 대한 안내입니다." for n in range(20)]
BATCH = json.dumps({"segments": [{"id": str(i + 1), "text": t} for i, t in enumerate(SEGMENTS)]})
BODY = {
    "model": "m",
    "temperature": 0,
    "stream": True,
    "messages": [
        {"role": "system", "content": "Translate."},
        {"role": "user", "content": BATCH},
    ],
}


def import_time(module: str) -> float | None:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    return float(done.stdout) if done.returncode == 0 else None


def with_requests(url: str) -> Callable[[], str]:
    import requests

    session = requests.Session()

    def call() -> str:
        parts = []
        with session.post(url + "/chat/completions", json=BODY, stream=True, timeout=20) as response:
            for line in response.iter_lines():
                if line.startswith(b"data: ") and line != b"data: [DONE]":
                    for choice in json.loads(line[6:])["choices"]:
                        parts.append(choice["delta"].get("content") or "")
        return "".join(parts)

    return call


def with_httpx(url: str) -> Callable[[], str]:
    import httpx

    client = httpx.Client(timeout=20)

    def call() -> str:
        parts = []
        with client.stream("POST", url + "/chat/completions", json=BODY) as response:
            for line in response.iter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    for choice in json.loads(line[6:])["choices"]:
                        parts.append(choice["delta"].get("content") or "")
        return "".join(parts)

    return call


def with_openai(url: str) -> Callable[[], str]:
    import openai

    client = openai.OpenAI(base_url=url, api_key="none", max_retries=0, timeout=20)

    def call() -> str:
        stream = client.chat.completions.create(
            model="m",
            messages=BODY["messages"],
            temperature=0,
            stream=True,  # type: ignore[arg-type]
        )
        return "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)

    return call


def main() -> int:
    clients = {"requests": with_requests, "httpx": with_httpx, "openai": with_openai}
    print(f"Python {sys.version.split()[0]}; {REQUESTS} streamed requests of {len(SEGMENTS)} segments each")
    print(f"{'client':10} {'import':>9} {'per request (median)':>22} {'p95':>9}")
    with LLMServer() as server:
        for name, make in clients.items():
            imported = import_time(name)
            if imported is None:
                print(f"{name:10} not installed")
                continue
            call = make(server.url)
            expected = call()
            times = []
            for _ in range(REQUESTS):
                started = time.perf_counter()
                assert call() == expected
                times.append(time.perf_counter() - started)
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"{name:10} {imported * 1000:7.0f}ms {statistics.median(times) * 1000:20.2f}ms {p95 * 1000:7.2f}ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
