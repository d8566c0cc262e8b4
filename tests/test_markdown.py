"""Segments found in Markdown, and publishing that keeps the document's structure."""

from __future__ import annotations

from tests.helpers import FIXTURES, structure
from translate.markdown import code_spans, inline_codes, parse_document
from translate.render import render


def sources(text: str, keys: tuple[str, ...] = ("title", "description", "summary")) -> list[str]:
    return [s.source for s in parse_document(text, front_matter_keys=keys).segments]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.source) for s in parse_document(text).segments]


def test_a_sentence_across_soft_line_breaks_is_one_segment() -> None:
    text = '진료실에서 상담을 하다 보면\n"피부 탄력이 떨어진 것 같아요",\n말씀을 자주 듣습니다.\n다음 문장입니다.\n'
    assert sources(text) == [
        '진료실에서 상담을 하다 보면 "피부 탄력이 떨어진 것 같아요", 말씀을 자주 듣습니다.',
        "다음 문장입니다.",
    ]


def test_headings_list_items_table_cells_alt_text_and_link_text_are_segments() -> None:
    text = (
        "## 시술 안내\n\n"
        "- 첫째 항목\n- 둘째 항목\n\n"
        "| 시술 | 시간 |\n|---|---|\n| 엠페이스 | 30분 |\n\n"
        "![엠페이스 장비](/images/device.jpg)\n출처: 본사\n\n"
        "[ 홈페이지 ](https://example.com/)\n"
    )
    assert kinds(text) == [
        ("heading", "시술 안내"),
        ("list-item", "첫째 항목"),
        ("list-item", "둘째 항목"),
        ("table-cell", "시술"),
        ("table-cell", "시간"),
        ("table-cell", "엠페이스"),
        ("table-cell", "30분"),
        ("image-alt", "엠페이스 장비"),
        ("paragraph", "출처: 본사"),
        ("link-text", "홈페이지"),
    ]


def test_decimals_and_article_numbers_do_not_split() -> None:
    assert sources("바늘 깊이는 1.5mm입니다. 의료법 제56조 제1항에 따릅니다.\n") == [
        "바늘 깊이는 1.5mm입니다.",
        "의료법 제56조 제1항에 따릅니다.",
    ]


def test_code_html_tags_and_shortcodes_are_not_segments() -> None:
    text = (
        "```python\nprint('안녕')\n```\n\n<div class=\"노트\">주의</div>\n\n{{< youtube abc123 >}}\n\n    들여쓴 코드\n"
        "\n<script>alert('안녕');</script>\n\n<!-- 메모 -->\n"
    )
    assert kinds(text) == [("html-text", "주의")]


def test_inline_markup_stays_in_the_segment_and_is_marked_as_code() -> None:
    text = '자세한 내용은 **3~6개월** 뒤 [예약 페이지](/book "예약")와 {{< ref "x" >}}에서 `code`를 확인하세요.\n'
    source, title = sources(text)
    assert source == text.strip() and title == "예약"
    assert inline_codes(source) == ["**", "**", "[", '](/book "예약")', '{{< ref "x" >}}', "`code`"]


def test_front_matter_keys_are_segments_and_others_are_copied() -> None:
    text = (
        '---\ntitle: "얼굴 노화"\ndate: 2026-11-20\ntags: [리프팅, 엠페이스]\nsummary: 요약 문장\n---\n\n본문입니다.\n'
    )
    assert sources(text, ("title", "summary", "tags")) == [
        "얼굴 노화",
        "리프팅",
        "엠페이스",
        "요약 문장",
        "본문입니다.",
    ]


def test_identity_translation_gives_back_the_document_byte_for_byte() -> None:
    text = (FIXTURES / "emface-lifting.ko.md").read_text(encoding="utf-8")
    doc = parse_document(text, front_matter_keys=("title", "tags", "author"))
    assert render(doc, {s.source: s.source for s in doc.segments}) == text


def test_translations_keep_the_structure_of_the_sample() -> None:
    text = (FIXTURES / "emface-lifting.ko.md").read_text(encoding="utf-8")
    doc = parse_document(text, front_matter_keys=("title", "tags"))
    out = render(doc, {s.source: f"Translated {i}." for i, s in enumerate(doc.segments)})
    assert structure(out) == structure(text)
    for image in ("/images/emface-device.jpg", "/images/emface-layers.png", "https://example.com/"):
        assert image in out
    assert "Translated 0." in out.split("---")[1]


def test_translations_that_look_like_markdown_blocks_are_escaped() -> None:
    text = "첫 문장입니다.\n\n- 항목\n\n| 가 | 나 |\n|---|---|\n| 다 | 라 |\n"
    doc = parse_document(text)
    risky = {
        "첫 문장입니다.": "1. Not a list",
        "항목": "- not nested",
        "다": "a | b",
        "라": "# no heading",
    }
    out = render(doc, {s.source: risky.get(s.source, "ok") for s in doc.segments})
    assert structure(out) == structure(text)
    assert "1\\. Not a list" in out and "a \\| b" in out


def test_code_spans_of_plain_text_are_empty() -> None:
    assert code_spans("그냥 문장입니다.") == ()


def test_segments_know_their_innermost_container() -> None:
    text = "> 인용 문장입니다.\n\n- 목록 항목입니다\n\n  > 목록 안의 인용입니다.\n\n본문입니다.\n"
    assert [kind for kind, _ in kinds(text)] == ["quote", "list-item", "quote", "paragraph"]
