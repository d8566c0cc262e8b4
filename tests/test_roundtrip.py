"""Property: publishing never breaks a document.

extract -> publish with target = source gives the document back byte for byte, and with any
translation at all (even text that looks like Markdown) gives the same block structure.
"""

from __future__ import annotations

import re
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import WORDS, blocks, documents, lines, structure
from translate import markdown
from translate.markdown import parse_document
from translate.render import render

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
