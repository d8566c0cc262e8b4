"""Property: publishing never breaks a document.

extract -> publish with target = source gives the document back byte for byte, and with any
translation at all (even text that looks like Markdown) gives the same block structure.
"""

from __future__ import annotations

import json
import re
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_markdown import structure
from translate import markdown
from translate.markdown import parse_document
from translate.render import render

WORDS = st.sampled_from(
    [
        "피부",
        "탄력이",
        "엠페이스",
        "리프팅은",
        "1.5mm",
        "30분",
        "HIFES",
        "RF",
        "(표정근)",
        "'안면'",
        '"좋아요"라는',
        "**강조**",
        "`code`",
        "[링크](/a)",
        "*기울임*",
        "~~취소~~",
        "<b>굵게</b>",
        "&amp;",
        "\\*",
        "3~6개월",
        "100%",
        "₩350,000",
        '{{< ref "x" >}}',
        '[링크](/a "링크 제목")',
        "<abbr title='약어 설명'>약어</abbr>",
        '{{< figure alt="그림 설명" >}}',
        "[^1]",
        "&lt;",
        "***중요***",
        "`ls  -la`",
        "습니다.",
        "해요!",
        "까?",
        "다.",
    ]
)
TRANSLATIONS = st.sampled_from(
    [
        "A plain sentence.",
        "- looks like a list",
        "1. looks numbered",
        "# looks like a heading",
        "> looks quoted",
        "a | pipe",
        "=== underline",
        "```",
        "**bold** text",
        "***strong*** text",
        "quotes \" and ' and ( )",
        "a < b & c <b>bold</b>",
        "`a  b` code",
        "",
    ]
)


@st.composite
def lines(draw: st.DrawFn, min_lines: int = 1, max_lines: int = 3, words: st.SearchStrategy[str] = WORDS) -> str:
    return "\n".join(
        " ".join(draw(st.lists(words, min_size=1, max_size=6))) for _ in range(draw(st.integers(min_lines, max_lines)))
    )


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            [
                "heading",
                "para",
                "bullets",
                "ordered",
                "table",
                "image",
                "link",
                "fence",
                "quote",
                "shortcode",
                "html",
                "setext",
                "footnote",
                "reference",
                "titled",
                "paired",
                "raw-html",
                "definition",
                "alert",
            ]
        )
    )
    if kind == "heading":
        return "#" * draw(st.integers(1, 6)) + " " + draw(lines(1, 1)) + draw(st.sampled_from(["", " {#anchor}"]))
    if kind == "para":
        return draw(lines())
    if kind == "bullets":
        marker = draw(st.sampled_from(["-", "*", "+"]))
        return "\n".join(f"{marker} {draw(lines(1, 1))}" for _ in range(draw(st.integers(1, 3))))
    if kind == "ordered":
        return "\n".join(f"{i}. {draw(lines(1, 1))}" for i in range(1, draw(st.integers(2, 4))))
    if kind == "table":
        cells = [draw(lines(1, 1)).replace("|", "") for _ in range(4)]
        return f"| {cells[0]} | {cells[1]} |\n|---|:-:|\n| {cells[2]} | {cells[3]} |"
    if kind == "image":
        return f"![{draw(lines(1, 1)).replace(']', '')}](/images/a.jpg)\n출처: {draw(lines(1, 1))}"
    if kind == "link":
        return f"[ {draw(lines(1, 1)).replace(']', '').replace('[', '')} ](https://example.com/?q=피부)"
    if kind == "fence":
        return f"```\n{draw(lines())}\n```"
    if kind == "quote":
        return "\n".join("> " + line for line in draw(lines()).split("\n"))
    if kind == "shortcode":
        return '{{< youtube id="abc" >}}'
    if kind == "setext":
        return f"{draw(lines(1, 2))}\n{draw(st.sampled_from(['===', '---']))}"
    if kind == "footnote":
        return f"[^{draw(st.sampled_from(['1', 'note']))}]: {draw(lines(1, 2))}"
    if kind == "reference":
        title = draw(lines(1, 1)).replace('"', "").replace("\\", "")
        return f'[{draw(st.sampled_from(["ref", "상담"]))}]: https://example.com/상담 "{title}"'
    if kind == "titled":
        title = draw(lines(1, 1)).replace('"', "").replace("\\", "")
        return f'![{draw(lines(1, 1)).replace("]", "")}](/a.jpg "{title}")'
    if kind == "paired":
        return f'{{{{< notice title="주의 사항" >}}}}\n{draw(lines())}\n{{{{< /notice >}}}}'
    if kind == "raw-html":
        text = draw(lines(1, 2)).replace("<", "").replace("&", "&amp;")
        return (
            f'<div class="안내">\n<p title="설명">{text}</p>\n<img alt="장비 사진" src="/a.jpg"><!-- 메모 -->\n</div>'
        )
    if kind == "definition":
        return f"{draw(lines(1, 1))}\n: {draw(lines(1, 2))}"
    if kind == "alert":
        return "> [!NOTE]\n" + "\n".join("> " + line for line in draw(lines()).split("\n"))
    return "<div>\n피부 <b>안내</b>\n</div>"


@st.composite
def documents(draw: st.DrawFn) -> str:
    front = ""
    if draw(st.booleans()):
        front = f"---\ntitle: {json.dumps(draw(lines(1, 1)), ensure_ascii=False)}\ndate: 2026-11-20\n---\n\n"
    return front + "\n\n".join(draw(st.lists(blocks(), min_size=1, max_size=6))) + "\n"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents())
def test_publishing_the_source_as_its_own_translation_gives_it_back(text: str) -> None:
    doc = parse_document(text, front_matter_keys=("title",))
    assert render(doc, {s.source: s.source for s in doc.segments}) == text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents(), st.data())
def test_any_translation_keeps_the_block_structure(text: str, data: st.DataObject) -> None:
    doc = parse_document(text, front_matter_keys=("title",))
    translations = {s.source: data.draw(TRANSLATIONS) or "x" for s in doc.segments}
    out = render(doc, translations)
    assert structure(out) == structure(text)


SPACING = st.sampled_from(["", " ", "  ", "   ", "\t", " \t", "\t  "])


@st.composite
def spaced_paragraphs(draw: st.DrawFn) -> str:
    """Paragraphs whose lines end and start with assorted spaces and tabs (soft and hard breaks)."""
    words = st.sampled_from(["피부", "탄력이", "3~6개월", "100%", "습니다.", "해요!", '"좋아요"라는', "{{% x %}}"])
    rows = draw(lines(1, 4, draw(st.sampled_from([words, WORDS])))).split("\n")
    body = "\n".join(
        (draw(SPACING) if i else "") + row + (draw(SPACING) if i < len(rows) - 1 else "") for i, row in enumerate(rows)
    )
    return body + "\n\n" + draw(documents())


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(documents(), spaced_paragraphs()))
def test_plain_text_is_segmented_as_the_inline_parser_would(text: str) -> None:
    """Text without inline syntax skips markdown-it's inline parser: same segments either way."""
    fast = parse_document(text, front_matter_keys=("title",))
    with mock.patch.object(markdown, "_INLINE_SYNTAX_RE", re.compile("")):  # everything "has syntax"
        slow = parse_document(text, front_matter_keys=("title",))
    assert fast == slow


EXTRA_BLOCKS = st.sampled_from(
    [
        "제목\n===",
        "제목\n---",
        "- 항목\n  ---",
        "> 인용\n> ---",
        "[ref]: /a\n\n[링크][ref]",
        "본문[^1]\n\n[^1]: 각주",
        "***",
        "    들여쓴 코드",
        "~~~\n코드\n~~~",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(blocks(), EXTRA_BLOCKS), min_size=1, max_size=6).map("\n\n".join))
def test_block_rules_left_out_for_a_document_change_no_token(text: str) -> None:
    """A document is parsed without the block rules whose marker it lacks: the same tokens."""
    assert markdown._block_parser(text).parse(text) == markdown._MD.parse(text)
