"""A draft run against local servers that answer well, slowly, with 429 + Retry-After, with 500s,
with garbage or not at all: it finishes, retries what should be retried, reports what failed,
loses nothing and never pays twice."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from tests.helpers import make_project
from tests.mt_server import LibreServer, Scripted, romanize
from translate.draft import DraftReport, Progress, draft
from translate.engines import RetryPolicy
from translate.extract import extract
from translate.model import State
from translate.mtcache import CACHE_DIR, MTCache
from translate.project import Project
from translate.review import reject

FAST = RetryPolicy(retries=2, base=0.01)
NOTICE = "모든 시술은 개인에 따라 결과가 다를 수 있습니다."
ADDRESS = "서울시 강남구 테헤란로 1, 3층입니다."


def upper(q: str, source: str, target: str) -> str:
    return en(q)


def en(q: str) -> str:
    """What the test engine answers for q: a text in Latin letters, as a translation would be."""
    return f"EN<{romanize(q)}>"


def articles(count: int = 3, sentences: int = 2) -> dict[str, str]:
    """Articles that share the legal notice and the address block, with their own sentences."""
    texts = {}
    for a in range(count):
        own = " ".join(f"{a}번 글의 {s}번 문장입니다." for s in range(sentences))
        texts[f"post-{a}"] = f"{own}\n\n{NOTICE}\n\n{ADDRESS}\n"
    return texts


pytestmark = pytest.mark.usefixtures("local_mt_only")


@pytest.fixture
def server() -> Iterator[LibreServer]:
    with LibreServer(translate=upper) as running:
        yield running


def project(tmp_path: Path, settings: str | None = None, **kwargs: int) -> Project:
    root = make_project(tmp_path / "site", articles=articles(**kwargs), settings=settings)
    opened = Project.open(root)
    extract(opened)
    return opened


def units(project: Project, slug: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(project.po_path("en", slug)))}


def sent(server: LibreServer) -> Counter[str]:
    return Counter(r.text for r in server.received)


def run(project: Project, server: LibreServer, **kwargs: object) -> DraftReport:
    kwargs.setdefault("policy", FAST)
    return draft(project, url=server.url, **kwargs)  # type: ignore[arg-type]


def test_shared_sentences_are_sent_once_and_drafted_everywhere(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path)
    report = run(site, server)
    assert sent(server)[NOTICE] == 1 and sent(server)[ADDRESS] == 1
    assert max(sent(server).values()) == 1
    assert report.from_engine == 3 * 4 and report.left == 0 and report.engine_error is None
    for slug in ("post-0", "post-1", "post-2"):
        entry = units(site, slug)[NOTICE]
        assert entry.msgstr == en(NOTICE) and entry.fuzzy and "origin: mt:libre" in entry.comment
    use = report.engines[0]
    assert use.segments == len(server.received) and use.characters == sum(len(t) for t in sent(server))


def test_nothing_is_paid_twice_even_when_the_drafts_are_thrown_away(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path)
    run(site, server)
    before = {slug: units(site, slug) for slug in ("post-0", "post-1")}
    shutil.rmtree(site.root / "po")
    extract(site)
    server.received.clear()
    report = run(site, server)
    assert server.received == [] and report.from_cache == 3 * 4 and report.engines[0].characters == 0
    for slug, old in before.items():
        assert {k: e.msgstr for k, e in units(site, slug).items()} == {k: e.msgstr for k, e in old.items()}


def test_the_cache_is_derived_data(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path)
    run(site, server)
    first = (site.po_path("en", "post-1")).read_text(encoding="utf-8")
    shutil.rmtree(site.root / "po")
    shutil.rmtree(site.root / CACHE_DIR)
    extract(site)
    run(site, server)
    assert site.po_path("en", "post-1").read_text(encoding="utf-8") == first  # only the cost differs


def test_a_damaged_cache_is_set_aside_and_rebuilt(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path, count=1)
    (site.root / CACHE_DIR).mkdir(exist_ok=True)
    (site.root / CACHE_DIR / "mt.sqlite3").write_bytes(b"this is not a database" * 100)
    report = run(site, server)
    assert report.from_engine == 4 and any("damaged" in note for note in report.notes)
    assert len(MTCache.for_root(site.root)) == 4


def test_requests_go_out_in_parallel_within_the_bound(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path, count=4, sentences=3)
    server.delay = 0.2
    run(site, server, workers=3)
    assert server.max_in_flight == 3


def test_a_segment_that_keeps_failing_is_reported_and_the_rest_is_drafted(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path)
    server.fail = lambda q: 500 if q == ADDRESS else None
    report = run(site, server)
    assert sent(server)[ADDRESS] == 3  # the request and two retries
    assert [f.source for f in report.failures] == [ADDRESS] * 3
    assert "HTTP 500" in report.failures[0].reason
    assert report.engine_error is None and report.left == 3 and report.from_engine == 9
    assert units(site, "post-0")[ADDRESS].msgstr == "" and units(site, "post-0")[NOTICE].msgstr


def test_429_with_retry_after_is_waited_for(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path, count=1)
    server.script = [Scripted(429, headers=(("Retry-After", "1"),))]
    report = run(site, server, workers=1)
    assert report.from_engine == 4 and not report.failures
    assert len(server.received) == 5 and report.engines[0].requests == 5


def test_the_fallback_chain_takes_what_the_first_engine_fails(tmp_path: Path) -> None:
    with LibreServer(translate=upper) as broken, LibreServer(translate=upper) as google:
        broken.fail = lambda q: 503 if "번 문장" in q else None
        settings = f"""
[tool.translate]
engines = ["libre", "google"]
engine_urls = {{ libre = "{broken.url}", google = "{google.google_url}" }}
"""
        site = project(tmp_path, settings=settings, count=1)
        report = draft(site, policy=FAST)
    entries = units(site, "post-0")
    assert "origin: mt:google" in entries["0번 글의 0번 문장입니다."].comment
    assert "origin: mt:libre" in entries[NOTICE].comment
    assert report.left == 0 and not report.failures
    assert [u.name for u in report.engines] == ["libre", "google"]


def test_an_engine_without_its_key_is_skipped_for_the_next(tmp_path: Path, server: LibreServer) -> None:
    settings = f'[tool.translate]\nengines = ["deepl", "libre"]\nengine_urls = {{ libre = "{server.url}" }}\n'
    site = project(tmp_path, settings=settings, count=1)
    report = draft(site, policy=FAST)
    assert report.from_engine == 4 and report.left == 0
    assert report.engines[0].down == "deepl needs an API key: set DEEPL_API_KEY"


@pytest.mark.parametrize("body", [b"{garbage", b"<html>Bad Gateway</html>"])
def test_garbage_answers_stop_the_engine_after_a_few(tmp_path: Path, server: LibreServer, body: bytes) -> None:
    site = project(tmp_path, count=5)
    server.body = body
    report = run(site, server, workers=2)
    assert len(server.received) <= 3 + 2  # TRIP_AFTER failures, plus what was in flight
    assert report.from_engine == 0 and report.left == 5 * 4
    assert report.engine_error is not None and "not JSON" in str(report.engine_error)


def test_a_server_that_never_answers_does_not_hang_the_run(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path, settings="[tool.translate]\ntimeout = 0.3\n", count=5)
    server.delay = 30.0
    started = time.monotonic()
    report = run(site, server, workers=4, policy=RetryPolicy(retries=1, base=0.01))
    assert time.monotonic() - started < 10  # bounded by timeouts x retries, never by the server
    assert report.engine_error is not None and "no answer within 0.3 s" in str(report.engine_error)
    assert report.left == 5 * 4


def test_an_unreachable_server_is_tried_once(tmp_path: Path) -> None:
    with LibreServer() as gone:
        url = gone.url
    site = project(tmp_path)
    report = draft(site, url=url, policy=FAST)
    assert report.engine_error is not None and str(report.engine_error).startswith(f"cannot reach libre at {url}")
    assert report.engines[0].requests <= site.settings.workers


def test_an_interrupted_run_keeps_what_arrived_and_the_next_resumes(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path, count=6, sentences=2)
    server.delay = 0.05

    def interrupt(progress: Progress) -> None:
        if progress.done >= 4:
            raise KeyboardInterrupt

    first = run(site, server, workers=2, on_progress=interrupt)
    assert first.interrupted and first.from_engine >= 4
    assert first.left == 6 * 4 - first.from_engine  # the report counts what waits
    drafted = sum(e.msgstr != "" for slug in (f"post-{a}" for a in range(6)) for e in units(site, slug).values())
    assert drafted == first.from_engine  # every draft received is in the PO files
    paid = sent(server)
    server.received.clear()
    second = run(site, server)
    assert second.left == 0 and not second.interrupted
    assert not set(sent(server)) & {t for t, n in paid.items() if n}  # nothing sent twice
    assert set(paid) | set(sent(server)) == {e for slug in range(6) for e in units(site, f"post-{slug}")}


def test_a_crash_keeps_what_arrived(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path, count=4)
    server.delay = 0.02

    def crash(progress: Progress) -> None:
        if progress.done >= 3:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        run(site, server, workers=1, on_progress=crash)
    received = {r.text for r in server.received}
    saved = {e.msgid for a in range(4) for e in units(site, f"post-{a}").values() if e.msgstr}
    cache = MTCache.for_root(site.root)
    assert saved and saved <= received
    assert all(cache.get("libre", "ko", "en", text) for text in saved)


def test_refresh_redrafts_rejected_segments_deliberately(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path, count=1)
    run(site, server)
    notice = units(site, "post-0")[NOTICE]
    from translate.model import segment_id

    reject(site, segment_id(NOTICE), "too literal", reviewer="Park")
    server.received.clear()
    run(site, server)
    assert server.received == []  # a rejected draft is not sent again by itself
    server.translate = lambda q, s, t: f"Better<{romanize(q)}>"
    report = run(site, server, refresh=True)
    assert list(sent(server)) == [NOTICE] and report.from_engine == 1
    entry = units(site, "post-0")[NOTICE]
    assert entry.msgstr == f"Better<{romanize(NOTICE)}>" and entry.fuzzy
    assert "rejected by Park" in entry.tcomment and entry.tcomment.splitlines()[-1].startswith("drafted again")
    assert notice.msgstr != entry.msgstr


def test_a_dry_run_sends_and_writes_nothing(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path, settings="[tool.translate]\nmt_prices = { libre = 20 }\n")
    before = {p: p.read_bytes() for p in (site.root / "po").rglob("*.po")}
    report = run(site, server, dry_run=True)
    assert server.received == [] and not (site.root / CACHE_DIR / "mt.sqlite3").exists()
    assert {p: p.read_bytes() for p in (site.root / "po").rglob("*.po")} == before
    texts = {t for a in range(3) for t in units(site, f"post-{a}")}
    assert report.texts == len(texts) == 3 * 2 + 2 and report.left == 3 * 4
    assert report.characters == sum(len(t) for t in texts)
    assert report.engines[0].price == 20


def test_state_of_units_after_a_run(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path, count=1)
    run(site, server)
    from translate.po import load_catalog

    catalog = load_catalog(site.po_path("en", "post-0"), article="post-0", lang="en", source_lang="ko")
    assert {u.state for u in catalog.active_units()} == {State.DRAFT}


def test_a_review_during_a_long_run_is_not_overwritten(tmp_path: Path, server: LibreServer) -> None:
    site = project(tmp_path, count=3)
    from translate.model import segment_id
    from translate.review import edit

    def reviewer_meanwhile(progress: Progress) -> None:
        if progress.done == 1:  # the run holds post-2 in memory; a reviewer edits it on disk
            edit(
                site,
                segment_id("2번 글의 0번 문장입니다."),
                "Sentence zero, by hand.",
                article="post-2",
                reviewer="Kim",
                force=True,
            )

    run(site, server, workers=1, on_progress=reviewer_meanwhile)
    entry = units(site, "post-2")["2번 글의 0번 문장입니다."]
    assert entry.msgstr == "Sentence zero, by hand." and not entry.fuzzy
    assert units(site, "post-2")[NOTICE].msgstr == en(NOTICE)  # the rest is drafted
