"""The article preview of the review page reads Markdown as translate does (issue 14): emphasis next to
Korean (`**강조**는`) is bold there as it is for segmentation and the checks, not asterisks as plain
CommonMark would show; raw HTML stays text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import client, make_project
from translate import markdown
from translate.extract import extract
from translate.markdown import cjk_only_emphasis
from translate.project import Project
from translate.web.html import render_markdown

CJK_BOLD = [
    "**[온라인 예약](/book)**으로 신청해 주세요.",
    "**효과(개인차)**가 있습니다.",
    "**강조**는 여기에 있습니다.",
    "환자**(만 18세 이상)**는 시술할 수 있습니다.",
    "그것은**「중요」**합니다.",
]


@pytest.mark.parametrize("text", [*CJK_BOLD, "a**a∇**a", "a**(b)**c", "**효과 **가", "plain **bold** text"])
def test_the_preview_reads_emphasis_as_the_tool_does(text: str) -> None:
    tool = "<strong>" in markdown._MD.renderInline(text)
    assert ("<strong>" in render_markdown(text)) is tool
    assert tool is (text in CJK_BOLD or text == "plain **bold** text")


def test_the_cases_plain_commonmark_reads_otherwise_are_bold_in_the_preview() -> None:
    text = "\n\n".join(CJK_BOLD) + "\n"
    # plain CommonMark (Hugo's) would show the asterisks of all but **강조**는 (a letter on both sides)
    assert len(cjk_only_emphasis(text)) == len(CJK_BOLD) - 1
    html = render_markdown(text)
    assert html.count("<strong>") == len(CJK_BOLD) and "**" not in html


def test_the_article_page_shows_korean_bold_and_keeps_raw_html_as_text(tmp_path: Path) -> None:
    article = (
        "---\ntitle: 안내\n---\n\n**강조**는 중요합니다.\n\n<script>alert(1)</script>\n\n"
        "| 항목 | 값 |\n|---|---|\n| **가격(부가세)**은 | 10 |\n"
    )
    project = Project.open(make_project(tmp_path / "site", articles={"guide": article}))
    extract(project)
    page = client(project).get("/article/guide", params={"lang": "en"})
    assert page.status_code == 200
    assert "<strong>강조</strong>는 중요합니다." in page.text
    assert "<td><strong>가격(부가세)</strong>은</td>" in page.text  # CommonMark: asterisks
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
