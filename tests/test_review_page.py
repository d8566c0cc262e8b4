"""The review page doing the whole job at scale (issue 14): the segment index, paging, search, Draft
buttons, approve all clean, translations in the rows, shared sentences and comments; through
Starlette's test client, and the CLI's side of it (``review list --search``, comments)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import polib
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from tests.helpers import (
    BASE,
    LOCAL,
    csrf_of,
    decide,
    item_id,
    make_project,
    make_review_project,
    review_entry,
    reviewer_client,
    version_in,
)
from tests.helpers import REVIEW_SLUG as SLUG
from tests.mt_server import LibreServer
from translate.cli import app as cli_app
from translate.extract import extract
from translate.index import INDEX_FILE, Query, SegmentIndex
from translate.model import State
from translate.po import load_catalog, save_catalog
from translate.project import Project
from translate.review import approve, queue, reject
from translate.web import PAGE_SIZE, create_app

FETCH = {"X-Requested-With": "fetch"}


def rows_of(html: str) -> list[str]:
    return re.findall(r'<span class="src">([^<]+)</span>', html)


def wait_for_job(web: TestClient) -> str:
    """Poll /job as the page does until the job ended; its last fragment."""
    deadline = time.monotonic() + 30
    while True:
        response = web.get("/job", headers=FETCH)
        if response.headers["x-job"] != "running":
            return response.text
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.05)


def many_sentences(count: int, start: int = 0) -> str:
    return "".join(f"피부 관리 안내 {n}번 문장입니다.\n\n" for n in range(start, start + count))


def drafted(project: Project, slug: str, translate: dict[str, str] | None = None) -> None:
    """Every segment of slug drafted (as a machine translation would), numbers kept."""
    path = project.po_path("en", slug)
    catalog = load_catalog(path, article=slug, lang="en", source_lang="ko")
    for unit in catalog.units:
        unit.target = (translate or {}).get(unit.source) or re.sub("[가-힣]+", "skin", unit.source)
        unit.state, unit.origin = State.DRAFT, "mt:test"
    save_catalog(catalog, path)


# --- the index, paging and search ------------------------------------------------------------------


def test_the_queue_is_paged_over_the_index_kept_in_the_cache(tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles={"a": many_sentences(40), "b": many_sentences(40, 40)})
    project = Project.open(root)
    extract(project)
    drafted(project, "a")
    drafted(project, "b")
    web, _ = reviewer_client(project)
    first = web.get("/").text
    assert len(rows_of(first)) == PAGE_SIZE
    assert f"1–{PAGE_SIZE} of 80 segments" in first and "page 1 of 2" in first
    second = web.get("/", params={"page": "2"}).text
    assert len(rows_of(second)) == 80 - PAGE_SIZE and "page 2 of 2" in second
    assert not set(rows_of(first)) & set(rows_of(second))
    assert (root / ".translate-cache" / INDEX_FILE).is_file()
    # a segment of the second page, linked directly, opens on its page
    last = rows_of(second)[-1]
    ident = next(i.id for i in queue(project, article="b") if i.unit.source == last)
    linked = web.get("/", params={"in": "b", "to": "en", "id": ident}).text
    assert "page 2 of 2" in linked and 'class="row selected"' in linked


def test_the_index_follows_the_po_files_and_can_be_deleted(tmp_path: Path) -> None:
    project = make_review_project(tmp_path / "site")
    web, _ = reviewer_client(project)
    assert len(rows_of(web.get("/").text)) == 5
    approve(project, [item_id(project, "엠페이스 리프팅의")], reviewer="Lee")  # the CLI, another process's way
    assert len(rows_of(web.get("/").text)) == 4
    assert "1 approved" in web.get("/").text
    index = project.root / ".translate-cache" / INDEX_FILE
    index.unlink()
    fresh, _ = reviewer_client(project)  # a new server: the index is built again, same answers
    assert len(rows_of(fresh.get("/").text)) == 4
    index.write_bytes(b"not a database at all")
    again, _ = reviewer_client(project)
    assert len(rows_of(again.get("/").text)) == 4


def test_search_finds_korean_and_translations_and_review_list_search_agrees(tmp_path: Path) -> None:
    project = make_review_project(tmp_path / "site")
    web, _ = reviewer_client(project)
    korean = web.get("/", params={"q": "전문의"}).text
    assert rows_of(korean) == ["피부과 전문의가 직접 상담합니다."]
    english = web.get("/", params={"q": "EXPRESSION muscles"}).text  # letter case aside
    assert rows_of(english) == ["엠페이스는 표정근까지 고려한 리프팅입니다."]
    assert "holding “EXPRESSION muscles”" in english
    assert "Nothing here." in web.get("/", params={"q": "no such words"}).text
    runner = CliRunner()
    out = runner.invoke(
        cli_app, ["-C", str(project.root), "review", "list", "--search", "expression MUSCLES", "--json"]
    )
    assert out.exit_code == 0, out.output
    assert [i["source"] for i in json.loads(out.output)] == ["엠페이스는 표정근까지 고려한 리프팅입니다."]
    approve(project, [item_id(project, "엠페이스는")], reviewer="Lee")
    text = runner.invoke(cli_app, ["-C", str(project.root), "review", "list", "--search", "표정근"]).output
    assert "엠페이스는 표정근까지" in text and "1 segment." in text  # a concordance: approved ones too


def test_rows_show_the_translation(tmp_path: Path) -> None:
    project = make_review_project(tmp_path / "site")
    web, _ = reviewer_client(project)
    page = web.get("/").text
    assert '<span class="tgt" lang="en">A dermatologist consults you in person.</span>' in page


# --- untranslated segments are work: Draft from the page ------------------------------------------


def libre_project(root: Path, server: LibreServer, articles: dict[str, str]) -> Project:
    settings = f'[tool.translate]\nengine = "libre"\nengine_url = "{server.url}"\nretries = 0\n'
    make_project(root, articles=articles, settings=settings)
    project = Project.open(root)
    extract(project)
    return project


def test_a_fresh_project_shows_untranslated_work_and_drafts_it_from_the_page(tmp_path: Path) -> None:
    with LibreServer() as server:
        project = libre_project(tmp_path / "site", server, {"a": "첫 번째 글입니다.\n\n두 번째 문장입니다.\n"})
        web, token = reviewer_client(project)
        page = web.get("/").text
        assert "Every draft is reviewed" not in page
        assert "2 untranslated — Draft" in page and "Nothing to review yet: 2 segments are untranslated" in page
        started = web.post("/draft", data={"csrf": token, "scope": "filter"}, headers=FETCH)
        assert (
            started.status_code == 200
            and "Drafting the untranslated segments of every article: 2 segments" in started.text
        )
        done = wait_for_job(web)
        assert "Drafted 2 of 2 segments (0 from memory, 0 from the MT cache, 2 by machine translation)." in done
        assert {r.text for r in server.received if r.path == "/translate"} == {
            "첫 번째 글입니다.",
            "두 번째 문장입니다.",
        }
        po = polib.pofile(str(project.po_path("en", "a")))
        assert all(e.msgstr and e.fuzzy and "origin: mt:libre" in e.comment for e in po)
        after = web.get("/").text
        assert len(rows_of(after)) == 2 and "untranslated — Draft" not in after


def test_draft_one_segment_or_one_article(tmp_path: Path) -> None:
    with LibreServer() as server:
        project = libre_project(
            tmp_path / "site", server, {"a": "첫 번째 글입니다.\n\n두 번째 문장입니다.\n", "b": "세 번째 글입니다.\n"}
        )
        web, token = reviewer_client(project)
        ident = item_id(project, "두 번째")
        one = {"csrf": token, "scope": "segment", "in": "a", "to": "en", "id": ident}
        assert web.post("/draft", data=one, headers=FETCH).status_code == 200
        assert "Drafted 1 of 1 segment " in wait_for_job(web)
        assert [r.text for r in server.received if r.path == "/translate"] == ["두 번째 문장입니다."]
        states = {i.unit.source: i.unit.state for i in queue(project, states=tuple(State))}
        assert states == {"첫 번째 글입니다.": State.UNTRANSLATED, "두 번째 문장입니다.": State.DRAFT,
                          "세 번째 글입니다.": State.UNTRANSLATED}  # fmt: skip
        panel = web.get("/panel", params={"in": "a", "to": "en", "id": item_id(project, "첫 번째")}).text
        assert "Draft this segment" in panel and "Draft the 1 untranslated of a" in panel
        article = {**one, "scope": "article"}
        web.post("/draft", data=article, headers=FETCH)
        wait_for_job(web)
        states = {i.unit.source: i.unit.state for i in queue(project, states=tuple(State))}
        assert states["첫 번째 글입니다."] is State.DRAFT and states["세 번째 글입니다."] is State.UNTRANSLATED


def test_a_draft_that_cannot_reach_the_engine_says_so_on_the_page(tmp_path: Path) -> None:
    with LibreServer() as server:
        project = libre_project(tmp_path / "site", server, {"a": "첫 번째 글입니다.\n"})
    web, token = reviewer_client(project)  # the engine's server has stopped
    web.post("/draft", data={"csrf": token}, headers=FETCH)
    done = wait_for_job(web)
    assert "Machine translation failed: " in done and 'class="job error"' in done and "cannot reach libre" in done
    assert not polib.pofile(str(project.po_path("en", "a")))[0].msgstr


def test_only_one_job_at_a_time_and_a_bad_csrf_starts_none(tmp_path: Path) -> None:
    with LibreServer() as server:
        project = libre_project(tmp_path / "site", server, {"a": "첫 번째 글입니다.\n"})
        server.delay = 0.5
        web, token = reviewer_client(project)
        assert web.post("/draft", data={"csrf": "wrong"}, headers=FETCH).status_code == 403
        assert web.post("/draft", data={"csrf": token}, headers=FETCH).status_code == 200
        busy = web.post("/draft", data={"csrf": token}, headers=FETCH)
        assert busy.status_code == 400 and "is still running" in busy.text
        wait_for_job(web)


# --- approve all clean ---------------------------------------------------------------------------


def test_approve_all_clean_skips_findings_needs_editing_and_other_filters(tmp_path: Path) -> None:
    project = make_review_project(tmp_path / "site")  # 3 clean drafts, 2 with errors
    path = project.po_path("en", SLUG)
    catalog = load_catalog(path, article=SLUG, lang="en", source_lang="ko")
    carried = next(u for u in catalog.units if u.source.startswith("엠페이스는"))
    carried.previous_source = "엠페이스는 표정근을 고려한 리프팅입니다."  # carried over: needs editing
    save_catalog(catalog, path)
    web, token = reviewer_client(project)
    page = web.get("/").text
    assert "Approve all clean (2)" in page
    filtered = web.get("/", params={"q": "dermatologist"}).text
    assert "Approve all clean (1)" in filtered
    web.post("/approve-clean", data={"csrf": token, "q": "dermatologist"}, headers=FETCH)
    assert "Approved 1 clean draft." in wait_for_job(web)
    assert not review_entry(project, "피부과").fuzzy
    assert review_entry(project, "엠페이스 리프팅의").fuzzy  # outside the filter
    web.post("/approve-clean", data={"csrf": token}, headers=FETCH)
    assert "Approved 1 clean draft." in wait_for_job(web)
    done = review_entry(project, "엠페이스 리프팅의")
    assert not done.fuzzy and "approved by Kim" in done.tcomment
    for left in ("엠페이스는", "시술", "부작용"):  # needs editing, and two with error findings
        assert review_entry(project, left).fuzzy, left
    assert "Approve all clean" not in web.get("/").text


# --- a sentence shared by several articles ------------------------------------------------------------


SHARED = "예약은 전화로 해 주세요."


def shared_project(root: Path, other_translation: str = "Please book by phone.") -> Project:
    make_project(root, articles={"a": f"첫 번째 글입니다.\n\n{SHARED}\n", "b": f"두 번째 글입니다.\n\n{SHARED}\n"})
    project = Project.open(root)
    extract(project)
    drafted(project, "a", {SHARED: "Please book by phone."})
    drafted(project, "b", {SHARED: other_translation})
    return project


def shared_panel(web: TestClient, project: Project, article: str) -> tuple[str, str]:
    ident = item_id(project, "예약")
    html = web.get("/panel", params={"in": article, "to": "en", "id": ident}).text
    return ident, html


def test_a_shared_sentence_says_so_and_is_decided_for_this_article_or_all(tmp_path: Path) -> None:
    project = shared_project(tmp_path / "site")
    web, token = reviewer_client(project)
    assert "×2" in web.get("/").text  # the row says it is in two articles
    ident, html = shared_panel(web, project, "a")
    assert "Also in 1 other article" in html and ">b</a>" in html and "all 2 articles" in html
    data = {"csrf": token, "decision": "approve", "in": "a", "to": "en", "id": ident, "version": version_in(html)}
    mine = web.post("/decide", data={**data, "scope": "article"}, headers=FETCH)
    assert mine.status_code == 200 and "Approved." in mine.text
    states = {i.article: i.unit.state for i in queue(project, states=tuple(State)) if i.id == ident}
    assert states == {"a": State.APPROVED, "b": State.DRAFT}

    ident, html = shared_panel(web, project, "b")
    data = {**data, "in": "b", "version": version_in(html), "decision": "edit", "text": "Please call us to book."}
    both = web.post("/decide", data={**data, "scope": "all"}, headers=FETCH)
    assert both.status_code == 200 and "Edited and approved in 2 articles." in both.text
    targets = {i.article: i.unit.target for i in queue(project, states=tuple(State)) if i.id == ident}
    assert targets == {"a": "Please call us to book.", "b": "Please call us to book."}


def test_approving_for_all_leaves_a_copy_with_another_translation_alone(tmp_path: Path) -> None:
    project = shared_project(tmp_path / "site", other_translation="Book by telephone, please.")
    web, token = reviewer_client(project)
    ident, html = shared_panel(web, project, "a")
    assert "another translation" in html
    data = {"csrf": token, "decision": "approve", "in": "a", "to": "en", "id": ident, "version": version_in(html)}
    answer = web.post("/decide", data={**data, "scope": "all"}, headers=FETCH)
    assert answer.status_code == 200
    assert "Approved in 1 article; left alone: b: its translation there is not the one you saw" in answer.text
    states = {i.article: i.unit.state for i in queue(project, states=tuple(State)) if i.id == ident}
    assert states == {"a": State.APPROVED, "b": State.DRAFT}


# --- comments ------------------------------------------------------------------------------------------


def test_a_comment_is_kept_in_the_po_file_changes_no_state_and_shows_in_the_cli(tmp_path: Path) -> None:
    project = make_review_project(tmp_path / "site")
    ident = item_id(project, "피부과")
    reject(project, ident, "Name the clinic's dermatologist.", reviewer="Park")
    web, token = reviewer_client(project)
    html = web.get("/panel", params={"in": SLUG, "to": "en", "id": ident}).text
    note = "Dr. Kim is\nthe clinic's\u2028dermatologist."  # line breaks never end the comment line early
    answer = decide(web, token, ident, "comment", version_in(html), text=note)
    assert answer.status_code == 200 and "Comment added" in answer.text
    assert "Dr. Kim is the clinic&#39;s dermatologist." in answer.text
    po = review_entry(project, "피부과")
    last = po.tcomment.splitlines()[-1]
    assert re.fullmatch(r"commented by Kim on \S+Z: Dr\. Kim is the clinic's dermatologist\.", last)
    [item] = [i for i in queue(project) if i.id == ident]
    assert item.unit.state is State.REJECTED  # a comment decides nothing
    assert "💬 1" in web.get("/", params={"state": "rejected"}).text
    runner = CliRunner()
    out = runner.invoke(cli_app, ["-C", str(project.root), "review", "list"]).output
    assert "comment by Kim on " in out and ": Dr. Kim is the clinic's dermatologist." in out
    listed = json.loads(runner.invoke(cli_app, ["-C", str(project.root), "review", "list", "--json"]).output)
    [row] = [r for r in listed if r["id"] == ident]
    assert row["comments"] == [
        {"by": "Kim", "on": row["comments"][0]["on"], "text": "Dr. Kim is the clinic's dermatologist."}
    ]
    empty = decide(web, token, ident, "comment", version_in(answer.text), text="  ")
    assert empty.status_code == 422 and "the comment is empty" in empty.text


def test_a_comment_after_an_approval_keeps_it_approved_as_is(tmp_path: Path) -> None:
    project = make_review_project(tmp_path / "site")
    ident = item_id(project, "엠페이스 리프팅의")
    approve(project, [ident], reviewer="Lee")
    web, token = reviewer_client(project)
    html = web.get("/panel", params={"in": SLUG, "to": "en", "id": ident}).text
    decide(web, token, ident, "comment", version_in(html), text="Checked against the brochure.")
    tcomment = review_entry(project, "엠페이스 리프팅의").tcomment
    assert "approved outside translate" not in tcomment and "commented by Kim" in tcomment
    [item] = [i for i in queue(project, states=(State.APPROVED,)) if i.id == ident]
    assert not item.blocking


# --- the index as a library --------------------------------------------------------------------------


def test_the_index_counts_and_finds_what_the_po_files_hold(tmp_path: Path) -> None:
    project = make_review_project(tmp_path / "site")
    with SegmentIndex.open(project) as index:
        index.refresh()
        summary = index.summary(Query())
        assert summary.states["draft"] == 5 and summary.todo == 5 and summary.clean == 3
        errors = index.page(Query(check="error"))
        assert {r.source for r in errors} == {
            "시술 시간은 약 30분입니다.",
            "부작용이 있을 수 있으니 상담 후 결정하세요.",
        }
        assert index.summary(Query(check="numbers")).todo == 1
        assert [r.source for r in index.page(Query(text="30분"))] == ["시술 시간은 약 30분입니다."]
        assert index.summary(Query(text="30분")).todo == 1
        assert index.page(Query(text="%")) == [] and index.page(Query(text="_")) == []  # not wildcards


@pytest.mark.parametrize("article", ["", SLUG])
def test_a_page_while_po_files_are_being_rewritten(tmp_path: Path, article: str) -> None:
    """A PO file replaced between two pages is read again (the folder changed), others are not."""
    project = make_review_project(tmp_path / "site")
    web = TestClient(create_app(project, allowed_hosts=LOCAL), base_url=BASE)
    web.cookies.set("translate_reviewer", "Kim")
    params = {"article": article} if article else {}
    assert len(rows_of(web.get("/", params=params).text)) == 5
    reject(project, item_id(project, "엠페이스 리프팅의"), "no", reviewer="Lee")
    page = web.get("/", params=params).text
    assert "1 rejected" in page and csrf_of(page)
