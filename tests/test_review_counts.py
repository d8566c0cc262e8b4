"""The review page's counts agree with the PO files (issue 14): a dismissed finding is not an open one,
and the per-article table counts what the queue's filters show. The index's one-check table, its
per-file findings counts and its per-text counts are checked against a count made from the PO files
themselves (``queue`` and ``open_findings``), for every filter."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import client, csrf_of, make_project
from translate import index as index_module
from translate.approval import open_findings
from translate.checks import check_config, check_translation
from translate.extract import extract
from translate.glossary import load_glossary
from translate.index import Query, SegmentIndex, matches
from translate.model import Severity, State
from translate.po import load_catalog, save_catalog
from translate.project import Project
from translate.review import QueueItem, approve, dismiss, queue, reject

ARTICLES = {
    "alpha": "시술 시간은 약 30분입니다.\n\n엠페이스는 표정근까지 고려한 리프팅입니다.\n\n전화로 예약해 주세요.\n\n"
    "피부 관리는 2주 간격으로 합니다.\n",
    "bravo": "부작용이 있을 수 있으니 상담 후 결정하세요.\n\n전화로 예약해 주세요.\n\n시술은 3회 받습니다.\n",
    "charlie": "피부과 전문의가 직접 상담합니다.\n\n주차는 2시간 무료입니다.\n",
    "delta": "아직 번역되지 않은 문장입니다.\n",
}
DRAFTS = {
    "시술 시간은 약 30분입니다.": "The procedure takes about 20 minutes.",  # numbers: an error
    "엠페이스는 표정근까지 고려한 리프팅입니다.": "Emface is a lifting that considers the expression muscles.",
    "전화로 예약해 주세요.": "Please book by phone.",
    "피부 관리는 2주 간격으로 합니다.": "Care is given every 3 weeks.",  # numbers (error), skin (glossary)
    "부작용이 있을 수 있으니 상담 후 결정하세요.": "Effects may occur, so decide after a consultation.",  # glossary
    "시술은 3회 받습니다.": "You have 3 sessions.",
    "피부과 전문의가 직접 상담합니다.": "A dermatologist consults you in person.",
    "주차는 2시간 무료입니다.": "Parking is free for 3 hours.",  # numbers: an error
}


def counts_project(root: Path) -> Project:
    """Four articles: drafts with errors and warnings (delta untranslated); then an approval, a rejection
    and two numbers errors dismissed by a reviewer (one in alpha, the one of charlie)."""
    make_project(root, articles=ARTICLES)
    project = Project.open(root)
    extract(project)
    glossary = load_glossary(project.glossary_path)
    config = check_config(project.settings)
    for slug in ("alpha", "bravo", "charlie"):
        path = project.po_path("en", slug)
        catalog = load_catalog(path, article=slug, lang="en", source_lang="ko")
        for unit in catalog.units:
            unit.target, unit.state, unit.origin = DRAFTS[unit.source], State.DRAFT, "mt:test"
            unit.findings = check_translation(unit.source, unit.target, "en", glossary, config)
        save_catalog(catalog, path)
    by_source = {i.unit.source: i for i in queue(project, suggest=False)}
    approve(project, [by_source["시술은 3회 받습니다."].id], reviewer="Lee")
    reject(project, by_source["전화로 예약해 주세요."].id, "Say which number.", article="bravo", reviewer="Lee")
    for source in ("시술 시간은 약 30분입니다.", "주차는 2시간 무료입니다."):
        dismiss(project, by_source[source].id, "numbers", "The clinic changed it.", reviewer="Kim")
    return project


def everything(project: Project) -> list[QueueItem]:
    return queue(project, states=tuple(State), suggest=False)


def shows(item: QueueItem, check: str, text: str) -> bool:
    """Whether the queue's findings and text filters show a segment, by its open findings."""
    found = open_findings(item.unit)
    errors = any(f.severity is Severity.ERROR for f in found)
    kind = {
        "": True,
        "error": errors,
        "warning": any(f.severity is not Severity.ERROR for f in found),
        "clean": not found,
    }
    wanted = kind[check] if check in kind else check in {f.check for f in found}
    return wanted and matches(text, item.unit.source, item.unit.target)


def todo(item: QueueItem) -> bool:
    return item.unit.state in (State.DRAFT, State.REJECTED) or bool(item.blocking)


FILTERS = [
    (check, text)
    for check in ("", "error", "warning", "clean", "numbers", "glossary", "markup")
    for text in ("", "전화로", "e", "minutes", "no such words")
]


@pytest.mark.parametrize("common", [False, True], ids=["few texts", "in many texts"])
def test_every_count_agrees_with_the_po_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, common: bool) -> None:
    if common:  # every search counts as one in most texts: the counts come from the per-text table
        monkeypatch.setattr(index_module, "COMMON_TEXTS", 0)
    project = counts_project(tmp_path / "site")
    items = everything(project)
    assert any(not open_findings(i.unit) and i.unit.findings for i in items)  # dismissed ones are in the test
    with SegmentIndex.open(project) as index:
        index.refresh()
        assert index._mostly(Query(text="e")) is common  # the article table counts the segments without "e"
        for check, text in FILTERS:
            shown = [i for i in items if shows(i, check, text)]
            query = Query(check=check, text=text, state="all")
            summary = index.summary(query)
            assert +summary.states == Counter(i.unit.state.value for i in shown), (check, text)
            assert summary.todo == sum(map(todo, shown)), (check, text)
            clean = [i for i in shown if i.unit.state is State.DRAFT and not open_findings(i.unit)]
            assert summary.clean == len(clean), (check, text)
            listed = {(r.article, r.id) for r in index.page(query, limit=1000)}
            assert listed == {(i.article, i.id) for i in shown}, (check, text)
            for state in ("review", "draft", "approved"):
                assert summary.shown(state) == len(index.page(replace_state(query, state), limit=1000))
            articles, total = index.article_counts(query)
            expected = {}
            for slug in {i.article for i in shown}:
                mine = [i for i in shown if i.article == slug]
                errors = sum(1 for i in mine if any(f.severity is Severity.ERROR for f in open_findings(i.unit)))
                expected[slug] = (+Counter(i.unit.state.value for i in mine), errors)
            assert {a.article: (+a.counts, a.errors) for a in articles} == expected, (check, text)
            assert total == len(expected)
            for slug in ARTICLES:
                one = index.article_count(slug, "en", query)
                assert (+one.counts, one.errors) == expected.get(slug, (Counter(), 0)), (check, text, slug)


def replace_state(query: Query, state: str) -> Query:
    return Query(query.article, query.lang, state, query.check, query.text)


def test_rows_show_open_findings_only(tmp_path: Path) -> None:
    project = counts_project(tmp_path / "site")
    with SegmentIndex.open(project) as index:
        index.refresh()
        rows = {r.source: r for r in index.page(Query(state="all"), limit=100)}
    dismissed = rows["시술 시간은 약 30분입니다."]  # its only finding, numbers, was dismissed
    assert (dismissed.errors, dismissed.warnings, dismissed.checks) == (0, 0, ())
    both = rows["피부 관리는 2주 간격으로 합니다."]
    assert both.errors == 1 and "numbers" in both.checks


def test_the_page_counts_a_dismissed_error_no_more(tmp_path: Path) -> None:
    """Dismissing on the page: the badge, the errors filter and the article's error count drop with it."""
    project = counts_project(tmp_path / "site")
    web = client(project)
    token = csrf_of(web.get("/").text)
    web.post("/reviewer", data={"name": "Kim", "csrf": token})
    errors = web.get("/", params={"check": "error"}).text
    assert "Care is given every 3 weeks." in errors
    assert article_row(errors, "alpha")[0] == "1"  # 30분 was dismissed: one error left in alpha
    assert "charlie" not in errors  # its only error was dismissed
    ident = next(i.id for i in everything(project) if i.unit.source.startswith("피부 관리는"))
    panel = web.get("/panel", params={"in": "alpha", "to": "en", "id": ident}).text
    version = re.search(r'name="version" value="([0-9a-f]+)"', panel)
    assert version
    answer = web.post(
        "/decide",
        data={"csrf": token, "decision": "dismiss", "in": "alpha", "to": "en", "id": ident,
              "version": version.group(1), "finding": "numbers", "reason": "3 weeks is right."},
        headers={"X-Requested-With": "fetch"},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    after = web.get("/", params={"check": "error"}).text
    assert "Care is given every 3 weeks." not in after and "0 segments" in after
    whole = web.get("/", params={"state": "all"}).text
    assert article_row(whole, "alpha")[0] == "0"
    assert ">1 error<" not in whole and "error</span>" not in whole  # no row carries an error badge


def article_row(html: str, slug: str) -> list[str]:
    """The cells after the slug in the per-article table: errors, draft, rejected, new, done."""
    found = re.search(rf">{slug}</a></td>(.*?)</tr>", html, re.S)
    assert found, f"no row for {slug}"
    return re.findall(r"<td[^>]*>([^<]*)</td>", found.group(1))


def test_the_article_table_follows_the_search_and_findings_filters(tmp_path: Path) -> None:
    project = counts_project(tmp_path / "site")
    web = client(project)
    whole = web.get("/").text
    assert article_row(whole, "alpha") == ["1", "4", "0", "0", "0/4"]
    assert article_row(whole, "delta") == ["0", "0", "0", "1", "0/1"]
    found = web.get("/", params={"q": "전화로"}).text  # the shared sentence: one segment in two articles
    assert article_row(found, "alpha") == ["0", "1", "0", "0", "0/1"]
    assert article_row(found, "bravo") == ["0", "0", "1", "0", "0/1"]
    assert "charlie" not in found and "delta" not in found
    numbers = web.get("/", params={"check": "numbers", "state": "all"}).text
    assert article_row(numbers, "alpha") == ["1", "1", "0", "0", "0/1"]
    assert "bravo" not in numbers and "charlie" not in numbers
    # an article named in the filter is shown with the filter's counts too
    one = web.get("/", params={"q": "전화로", "article": "charlie"}).text
    assert article_row(one, "charlie") == ["0", "0", "0", "0", "0/0"]
