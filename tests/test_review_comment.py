"""`translate review comment`: a comment from the terminal, written as the page writes it (one history line
in the PO file), shown by `review list`, the terminal walk and the page (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from tests.helpers import REVIEW_SLUG as SLUG
from tests.helpers import client, item_id, make_project, make_review_project, review_entry
from translate.cli import app
from translate.extract import extract
from translate.model import State
from translate.po import load_catalog, save_catalog
from translate.project import Project
from translate.review import queue

SHARED = "예약은 전화로 해 주세요."


def shared_project(root: Path) -> Project:
    """Two articles holding the same sentence, every segment drafted."""
    make_project(root, articles={"a": f"첫 번째 글입니다.\n\n{SHARED}\n", "b": f"두 번째 글입니다.\n\n{SHARED}\n"})
    project = Project.open(root)
    extract(project)
    for slug in ("a", "b"):
        path = project.po_path("en", slug)
        catalog = load_catalog(path, article=slug, lang="en", source_lang="ko")
        for unit in catalog.units:
            unit.target = "Please book by phone." if unit.source == SHARED else f"Article {slug}."
            unit.state, unit.origin = State.DRAFT, "mt:test"
        save_catalog(catalog, path)
    return project


def comment(project: Project, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["-C", str(project.root), "review", "comment", *args])
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_a_comment_is_written_as_the_page_writes_it_and_shown_everywhere(tmp_path: Path) -> None:
    project = make_review_project(tmp_path / "site")
    ident = item_id(project, "피부과")
    code, out, _ = comment(
        project, ident[:6], "Dr. Kim is\nthe clinic's\u2028dermatologist.", "--reviewer", "Lee", "--article", SLUG
    )
    assert code == 0
    assert out == f"commented: {ident} {SLUG} [en] (draft)\n"
    last = review_entry(project, "피부과").tcomment.splitlines()[-1]
    assert re.fullmatch(r"commented by Lee on \S+Z: Dr\. Kim is the clinic's dermatologist\.", last)
    [item] = [i for i in queue(project, suggest=False) if i.id == ident]
    assert item.unit.state is State.DRAFT  # a comment decides nothing
    listed = CliRunner().invoke(app, ["-C", str(project.root), "review", "list"]).stdout
    assert "comment by Lee on " in listed and ": Dr. Kim is the clinic's dermatologist." in listed
    web = client(project)
    assert "💬 1" in web.get("/").text
    panel = web.get("/panel", params={"in": SLUG, "to": "en", "id": ident}).text
    assert "Dr. Kim is the clinic&#39;s dermatologist." in panel and "Lee" in panel


def test_the_walk_shows_the_comment_of_the_segment_it_is_on(tmp_path: Path) -> None:
    project = make_review_project(tmp_path / "site")
    first = queue(project, suggest=False)[0]
    assert comment(project, first.id, "Check the brochure.", "--reviewer", "Lee")[0] == 0
    walked = CliRunner().invoke(
        app, ["-C", str(project.root), "review", "--reviewer", "Kim"], input="q\n", env={"EDITOR": "true"}
    )
    assert first.unit.source in walked.stdout
    assert re.search(r"comment by Lee on \S+Z: Check the brochure\.", walked.stdout)


def test_a_shared_sentence_gets_the_comment_in_every_article_unless_one_is_named(tmp_path: Path) -> None:
    project = shared_project(tmp_path / "site")
    ident = item_id(project, "예약")
    code, out, err = comment(project, ident, "Keep the phone number.", "--reviewer", "Lee", "--article", "b")
    assert code == 0 and out == f"commented: {ident} b [en] (draft)\n" and err == ""
    code, out, err = comment(project, ident, "Both pages.", "--reviewer", "Lee")
    assert code == 0
    assert out.splitlines() == [f"commented: {ident} a [en] (draft)", f"commented: {ident} b [en] (draft)"]
    assert "in 2 articles: each has the comment (give --article SLUG to comment on one)" in err
    remarks = {
        i.article: [line.split(": ", 1)[1] for line in i.unit.history if line.startswith("commented")]
        for i in queue(project, suggest=False)
        if i.id == ident
    }
    assert remarks == {"a": ["Both pages."], "b": ["Keep the phone number.", "Both pages."]}


def test_an_empty_comment_or_an_unknown_segment_writes_nothing(tmp_path: Path) -> None:
    project = make_review_project(tmp_path / "site")
    po = project.po_path("en", SLUG)
    before = po.read_bytes()
    code, _, err = comment(project, item_id(project, "피부과"), " \n ", "--reviewer", "Lee")
    assert code == 1 and "the comment is empty" in err
    code, _, err = comment(project, "ffffffff", "A remark.", "--reviewer", "Lee")
    assert code == 1 and "no segment with id ffffffff" in err
    code, _, err = comment(project, "ab", "A remark.", "--reviewer", "Lee")
    assert code == 1 and "at least 4 characters" in err
    assert po.read_bytes() == before
