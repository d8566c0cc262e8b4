"""Emphasis as Korean authors write it (issue 13, item 2): `**[온라인 예약](…)**으로` is bold.

Delimiter runs next to CJK text are read as the CJK-friendly amendment to CommonMark proposes
(tats-u/markdown-cjk-friendly): in segmentation, in what machine translation sees, in the markup
check; and `translate check content/ko` warns where Hugo (CommonMark) would show the asterisks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.helpers import HUGO_MARKDOWN, edit_entry, entries, make_project, run
from translate import markdown
from translate.checks import check_markup
from translate.draft import protect
from translate.markdown import cjk_only_emphasis, inline_codes, is_cjk, parse_document

URL = "https://booking.naver.com/booking/13/bizes/123456"
ISSUE = f"**[온라인 예약]({URL})**으로 신청해 주세요."
ISSUE_EN = f"Please apply through **[online booking]({URL})**."


def strong(text: str) -> bool:
    """Whether translate reads text as bold, with no asterisk left as text."""
    html = markdown._MD.renderInline(text)
    return "<strong>" in html and "**" not in html


@pytest.mark.parametrize(
    "text",
    [
        ISSUE,
        "**효과(개인차)**가 있습니다.",
        "**스크립트(script)**라고 부릅니다.",
        "설치하려면 **`pip install`**을 실행하세요.",
        '**"중요"**합니다.',
        "**10만원(VAT 포함)**입니다.",
        "환자**(만 18세 이상)**는 시술할 수 있습니다.",  # the opening side: a letter before, punctuation inside
        "그것은**「중요」**합니다.",  # fullwidth brackets are CJK punctuation
        "これは**私のやりたかったこと。**だからするの。",
        "**真，**她",
        "大塚︀**(U+585A U+FE00)**です",  # a variation selector after the CJK character before the run
    ],
)
def test_emphasis_next_to_cjk_text_is_emphasis(text: str) -> None:
    assert strong(text), markdown._MD.renderInline(text)


@pytest.mark.parametrize(
    "text",
    [
        "a**a∇**a",  # no CJK around: CommonMark's rule
        "a**(b)**c",
        "**효과 **가",  # white space before the closing run: never a closer
        "__효과(개인차)__가",  # _ does not close inside a word, CJK or not
        "a**(😊)**b",  # an emoji is not CJK
    ],
)
def test_without_cjk_on_the_right_side_commonmark_is_unchanged(text: str) -> None:
    assert markdown._MD.renderInline(text) == HUGO_MARKDOWN.renderInline(text)


def test_cjk_characters_are_the_specification_s() -> None:
    assert all(map(is_cjk, "가힣ㄱㅏ\u1100\u1160\u11a8あア漢，。「」ｱ"))
    assert not any(map(is_cjk, "aZ9,.()∇«é\u00b7😊⌚"))
    assert is_cjk("\u3030") and is_cjk("\u303d")  # wide, and text (not emoji) by default


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .,()!?*_~`[]\"'-\n\u00e9", max_size=40))
def test_text_without_cjk_is_read_exactly_as_commonmark_reads_it(text: str) -> None:
    assert markdown._MD.parse(text) == markdown._COMMONMARK.parse(text)


# --- segmentation, MT protection, the markup check ---------------------------------------------


def test_the_bold_before_a_particle_is_markup_in_the_segment_and_hidden_from_mt() -> None:
    [segment] = parse_document(ISSUE + "\n").segments
    assert segment.source == ISSUE
    assert inline_codes(ISSUE) == ["**", "[", f"]({URL})", "**"]
    text, codes = protect(ISSUE)
    assert text == "⟦0⟧⟦1⟧온라인 예약⟦2⟧⟦3⟧으로 신청해 주세요." and codes == ["**", "[", f"]({URL})", "**"]
    assert markdown.code_spans("**효과(개인차)**가 있습니다.") == (markdown.Span(0, 2), markdown.Span(9, 11))


def test_a_sentence_is_not_cut_inside_bold_that_ends_before_a_particle() -> None:
    text = "**시술 후 주의사항. 꼭 읽어 주세요(필독)**을 확인하세요. 감사합니다.\n"
    assert [s.source for s in parse_document(text).segments] == [
        "**시술 후 주의사항. 꼭 읽어 주세요(필독)**을 확인하세요.",
        "감사합니다.",
    ]


def test_the_markup_check_keeps_the_bold_and_catches_it_dropped() -> None:
    assert check_markup(ISSUE, ISSUE_EN) == []
    [finding] = check_markup(ISSUE, f"Please apply through [online booking]({URL}).")
    assert finding.message == "markup missing from the translation: ** **"
    assert check_markup("**효과(개인차)**가 있습니다.", "There are **effects (they vary)**.") == []


def test_review_edit_of_the_issue_s_example_is_clean_and_dropping_the_bold_is_caught(
    runner: CliRunner, tmp_path: Path
) -> None:
    root = make_project(tmp_path, articles={"book": ISSUE + "\n"})
    assert run(runner, root, "extract")[0] == 0
    [entry] = entries(root, "book")
    assert entry.msgid == ISSUE
    code, out = edit_entry(runner, root, entry, ISSUE_EN)
    assert code == 0, out
    [entry] = entries(root, "book")
    assert not entry.fuzzy and entry.msgstr == ISSUE_EN and "[error]" not in entry.comment
    assert run(runner, root, "check")[0] == 0
    code, out = edit_entry(runner, root, entry, f"Please apply through [online booking]({URL}).")
    assert code == 1, out
    [entry] = entries(root, "book")
    assert entry.fuzzy and "[error] markup: markup missing from the translation: ** **" in entry.comment
    code, out = run(runner, root, "check")
    assert code == 1 and "error markup: markup missing from the translation: ** **" in out


# --- source-markup: what the author's renderer shows ---------------------------------------------

SOURCE = f"""\
---
title: 예약 안내
---
# 예약 안내

{ISSUE}
두 번째 줄의 **효과(개인차)**가 있습니다.

**3~6개월**마다 받으세요.

| 항목 | 설명 |
|---|---|
| 가격 | **10만원(VAT 포함)**입니다 |

환자**(만 18세 이상)**는 시술할 수 있습니다.
"""


def test_cjk_only_emphasis_names_each_line_and_where_an_escaped_space_makes_it_commonmark() -> None:
    found = cjk_only_emphasis(SOURCE)
    assert [(f.line, f.written, f.fixed, f.commonmark) for f in found] == [
        (6, f"**[온라인 예약]({URL})**으로", f"**[온라인 예약]({URL})**\\ 으로", False),
        (7, "**효과(개인차)**가", "**효과(개인차)**\\ 가", False),
        (13, "**10만원(VAT 포함)**입니다", "**10만원(VAT 포함)**\\ 입니다", False),
        (15, "환자**(만 18세 이상)**는", "환자\\ **(만 18세 이상)**\\ 는", False),
    ]
    # each fix is emphasis for CommonMark too: nothing left to report
    fixed = SOURCE
    for f in found:
        fixed = fixed.replace(f.written, f.fixed)
    assert cjk_only_emphasis(fixed) == []
    zero_width = SOURCE
    for f in found:
        zero_width = zero_width.replace(f.written, f.fixed.replace("\\ ", "&#8203;"))
    assert cjk_only_emphasis(zero_width) == []
    assert cjk_only_emphasis("**3~6개월**마다 받으세요. 평범한 문장입니다.\n") == []


def test_check_content_ko_warns_the_author_with_the_line_and_the_fix(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={"book": SOURCE})
    code, out = run(runner, root, "check", str(root / "content" / "ko"))
    assert code == 0, out  # a warning: nothing fails
    lines = [line for line in out.splitlines() if "source-markup" in line]
    assert [line.split(": warning")[0].rsplit("/", 1)[-1] for line in lines] == [
        "book.md:6",
        "book.md:7",
        "book.md:13",
        "book.md:15",
    ]
    first = lines[0]
    assert f"content/ko/book.md:6: warning source-markup: **[온라인 예약]({URL})**으로: " in first
    assert "Hugo and other CommonMark renderers show these asterisks as text" in first
    assert "enable = true and escapedSpace = true under [markup.goldmark.extensions.cjk]" in first
    assert f"write **[온라인 예약]({URL})**\\ 으로 (the escaped space is not shown)" in first
    assert f"write **[온라인 예약]({URL})**&#8203;으로 (an invisible zero-width space)" in first
    assert "0 errors, 4 warnings." in out
    code, out = run(runner, root, "check", "--json", str(root / "content" / "ko" / "book.md"))
    assert '"check": "source-markup"' in out and '"line": 15' in out


def test_a_source_written_as_the_warning_says_is_clean_and_translates_cleanly(
    runner: CliRunner, tmp_path: Path
) -> None:
    escaped = f"**[온라인 예약]({URL})**\\ 으로 신청해 주세요.\n\n**효과(개인차)**&#8203;가 있습니다.\n"
    root = make_project(tmp_path, articles={"book": escaped})
    code, out = run(runner, root, "check", str(root / "content" / "ko"))
    assert code == 0 and "source-markup" not in out, out
    run(runner, root, "extract")
    translations = {
        ISSUE.replace("**으로", "**\\ 으로"): ISSUE_EN,
        "**효과(개인차)**&#8203;가 있습니다.": "It **works (it varies)**.",
    }
    for entry in entries(root, "book"):
        code, out = edit_entry(runner, root, entry, translations[entry.msgid])
        assert code == 0, out  # no "missing 8203" from the zero-width space's character reference
    assert not any(e.fuzzy for e in entries(root, "book"))


def test_source_markup_can_be_switched_off_and_target_pages_are_not_its_business(
    runner: CliRunner, tmp_path: Path
) -> None:
    settings_off = '[tool.translate]\n\n[tool.translate.checks]\nsource-markup = "off"\n'
    root = make_project(tmp_path, articles={"book": SOURCE}, settings=settings_off)
    code, out = run(runner, root, "check", str(root / "content" / "ko"))
    assert code == 0 and "source-markup" not in out, out
    other = make_project(tmp_path / "other", articles={"book": SOURCE})
    page = other / "content" / "en" / "book.md"
    page.parent.mkdir(parents=True)
    page.write_text("Apply **[here](/b)**.\n", encoding="utf-8")
    assert "source-markup" not in run(runner, other, "check")[1]
