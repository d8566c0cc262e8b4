"""Front matter through the CLI: key paths, every YAML scalar style published as valid YAML, errors
that name the file and line."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.helpers import make_project, run
from translate import frontmatter
from translate.model import segment_id

BODY = "\n피부 관리 안내입니다.\n"
KEY_PATHS = (
    '[tool.translate]\ntargets = ["en"]\n'
    'front_matter_keys = ["title", "tags", "faq.*.question", "faq.*.answer", "seo.title", "gallery.*.caption"]\n'
)
ARTICLE = """\
---
title: 피부 안내
slug: skin-guide
tags: [리프팅, 보습]
seo:
  title: 검색 제목입니다
  image: /images/피부.jpg
faq:
  - id: q1
    question: 시술 시간은 얼마나 걸리나요?
    answer: |
      약 30분 걸립니다.
  - id: q2
    question: "통증이 있나요?"
    answer: >-
      마취 크림을 사용합니다.
gallery:
  - src: /images/a.jpg
    caption: 시술 전 사진
  - src: /images/b.jpg
    caption: 시술 후 사진
---
"""
TRANSLATIONS = {
    "피부 안내": "Skin guide",
    "리프팅": "Lifting",
    "보습": "Moisturising",
    "검색 제목입니다": "Search title",
    "시술 시간은 얼마나 걸리나요?": "How long does it take?",
    "약 30분 걸립니다.": "About 30 minutes.",
    "통증이 있나요?": "Does it hurt?",
    "마취 크림을 사용합니다.": "We use an anaesthetic cream.",
    "시술 전 사진": "Before",
    "시술 후 사진": "After",
    "피부 관리 안내입니다.": "A guide to skin care.",
}


def msgids(root: Path, slug: str) -> list[str]:
    return [e.msgid for e in polib.pofile(str(root / "po" / "en" / f"{slug}.po")) if not e.obsolete]


def approve(runner: CliRunner, root: Path, translations: dict[str, str]) -> None:
    for source, text in translations.items():
        code, out = run(runner, root, "review", "edit", segment_id(source), "--text", text, "--force")
        assert code == 0, out


def front_matter(page: Path) -> dict[str, object]:
    text = page.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def test_key_paths_select_values_in_lists_and_mappings(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={"guide": ARTICLE + BODY}, settings=KEY_PATHS)
    code, out = run(runner, root, "extract")
    assert code == 0, out
    assert sorted(msgids(root, "guide")) == sorted(TRANSLATIONS)
    approve(runner, root, TRANSLATIONS)
    code, out = run(runner, root, "publish")
    assert code == 0, out
    data = front_matter(root / "content" / "en" / "guide.md")
    assert data["title"] == "Skin guide" and data["slug"] == "skin-guide"
    assert data["tags"] == ["Lifting", "Moisturising"]
    assert data["seo"] == {"title": "Search title", "image": "/images/피부.jpg"}
    assert data["faq"] == [
        {"id": "q1", "question": "How long does it take?", "answer": "About 30 minutes.\n"},
        {"id": "q2", "question": "Does it hurt?", "answer": "We use an anaesthetic cream."},
    ]
    assert data["gallery"] == [
        {"src": "/images/a.jpg", "caption": "Before"},
        {"src": "/images/b.jpg", "caption": "After"},
    ]
    assert data["translationKey"] == "guide"
    assert run(runner, root, "check", str(root / "content" / "en"))[0] == 0


def test_a_mapping_key_path_matches_any_key(runner: CliRunner, tmp_path: Path) -> None:
    article = "---\nlabels:\n  first: 첫째 이름\n  second: 둘째 이름\n  count: 3\n---\n" + BODY
    settings = '[tool.translate]\nfront_matter_keys = ["labels.*"]\n'
    root = make_project(tmp_path, articles={"labels": article}, settings=settings)
    assert run(runner, root, "extract")[0] == 0
    assert msgids(root, "labels") == ["첫째 이름", "둘째 이름", "피부 관리 안내입니다."]


@pytest.mark.parametrize("path", ["faq..question", "*.title", "faq.*question", ".title", "seo.", " "])
def test_a_bad_key_path_is_a_clear_error(runner: CliRunner, tmp_path: Path, path: str) -> None:
    settings = f'[tool.translate]\nfront_matter_keys = ["title", "{path}"]\n'
    root = make_project(tmp_path, articles={"a": BODY}, settings=settings)
    code, out = run(runner, root, "extract")
    assert code == 2
    assert "pyproject.toml: [tool.translate] front_matter_keys:" in out and repr(path) in out


# Every scalar style a title can be written in, at the top level and in a mapping inside a list.
STYLES = {
    "plain": "title: 피부 안내서\n",
    "plain-two-lines": "title: 피부\n  안내서\n",
    "single": "title: '피부 안내서'\n",
    "double": 'title: "피부 안내서"\n',
    "double-two-lines": 'title: "피부\n  안내서"\n',
    "literal": "title: |\n  피부 안내서\n",
    "literal-two-lines": "title: |\n  피부\n  안내서\n",
    "literal-strip": "title: |-\n  피부 안내서\n",
    "literal-keep": "title: |+\n  피부 안내서\n\n",
    "literal-indent-indicator": "title: |2\n    피부 안내서\n",
    "literal-indicator-and-strip": "title: |2-\n     피부 안내서\n",
    "literal-comment": "title: | # 제목\n  피부 안내서\n",
    "folded": "title: >\n  피부\n  안내서\n",
    "folded-strip": "title: >-\n    피부 안내서\n",
    "folded-keep": "title: >+\n  피부 안내서\n\n\n",
    "literal-deep-indent": "title: |\n        피부 안내서\n",
}


def _expected(style: str, value: str) -> str:
    if style.startswith(("literal", "folded")):
        if "strip" in style:
            return value
        if "keep" in style:
            return value + "\n" * (2 if style == "literal-keep" else 3)
        return value + "\n"
    return value


@pytest.mark.parametrize("nested", [False, True], ids=["top-level", "in-a-list"])
@pytest.mark.parametrize("style", STYLES)
def test_every_scalar_style_is_published_as_valid_yaml(
    runner: CliRunner, tmp_path: Path, style: str, nested: bool
) -> None:
    entry = STYLES[style]
    if nested:  # the same value as a mapping inside a list: faq: [{title: ..., id: x}]
        lines = entry.splitlines(keepends=True)
        entry = "faq:\n  - " + "    ".join(lines) + "    id: x\n"
    article = f"---\n{entry}slug: guide\n---\n{BODY}"
    keys = "faq.*.title" if nested else "title"
    root = make_project(
        tmp_path, articles={"guide": article}, settings=f'[tool.translate]\nfront_matter_keys = ["{keys}"]\n'
    )
    source = yaml.safe_load(article.split("---\n")[1])
    korean = source["faq"][0]["title"] if nested else source["title"]
    assert run(runner, root, "extract")[0] == 0
    assert msgids(root, "guide")[0] == " ".join(korean.split())
    approve(runner, root, {" ".join(korean.split()): "Skin guide", "피부 관리 안내입니다.": "A guide to skin care."})
    code, out = run(runner, root, "publish")
    assert code == 0, out
    page = root / "content" / "en" / "guide.md"
    data = front_matter(page)
    value = data["faq"][0]["title"] if nested else data["title"]  # type: ignore[index]
    assert value == _expected(style, "Skin guide")
    assert data["slug"] == "guide" and data["translationKey"] == "guide"
    if nested:
        assert data["faq"][0]["id"] == "x"  # type: ignore[index]
    if style.startswith(("literal", "folded")):  # the block stays a block, its comment too
        text = page.read_text(encoding="utf-8")
        assert "Skin guide" in text and ("# 제목" in text) == (style == "literal-comment")
        assert ("|" in text.split("Skin guide")[0]) == style.startswith("literal")
    assert page.read_text(encoding="utf-8").endswith(BODY.replace("피부 관리 안내입니다.", "A guide to skin care."))
    code, out = run(runner, root, "check", str(page))
    assert code == 0, out
    assert run(runner, root, "status", "--check")[0] == 0


def test_check_names_the_page_and_line_of_broken_front_matter(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={"a": BODY})
    page = root / "content" / "en" / "a.md"
    page.parent.mkdir(parents=True)
    page.write_text('---\ntitle: "Skin guide"translationKey: "a"\n---\nText.\n', encoding="utf-8")
    code, out = run(runner, root, "check")
    assert code == 2
    assert f"{page}:2: the front matter is not valid YAML" in out


# --- quoting both ways: what publish writes for a value, and what absorb reads back -------------

ORIGINALS = [
    "피부 안내서",
    "'피부 안내서'",
    '"피부 안내서"',
    "|\n  피부 안내서\n",
    ">-\n    피부\n    안내서\n",
    "|2\n    피부\n",
]
AWKWARD = [
    "Skin: a guide",
    "- first",
    "# not a comment",
    "yes",
    "3",
    'it\'s "fine"',
    "[a, b]",
    "a #b",
    "{x}",
    "~",
    "@me",
]


@pytest.mark.parametrize("original", ORIGINALS)
@pytest.mark.parametrize("value", AWKWARD)
def test_a_written_scalar_reads_back_as_its_value(original: str, value: str) -> None:
    written = frontmatter.yaml_scalar(value, original)
    assert yaml.safe_load(f"k: {written}")["k"].strip() == value  # YAML's own reading
    assert (frontmatter.scalar_value(written) or "").strip() == value


@given(st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1), st.sampled_from(ORIGINALS))
def test_any_one_line_value_survives_quoting_both_ways(value: str, original: str) -> None:
    read = frontmatter.scalar_value(frontmatter.yaml_scalar(value, original))
    assert read is not None and " ".join(read.split()) == " ".join(value.split())


def test_scalar_value_is_none_for_what_is_no_string() -> None:
    assert frontmatter.scalar_value('"unclosed') is None
    assert frontmatter.scalar_value("[a, b]") is None
    assert frontmatter.scalar_value("3") is None


def test_the_keys_publish_adds_are_written_read_and_left_out_as_lines() -> None:
    page = "---\ntitle: Guide\n---\n\nBody with translationHash: x\n"
    stamped = frontmatter.with_key(page, "translationHash", "0a1b")
    assert stamped == '---\ntitle: Guide\ntranslationHash: "0a1b"\n---\n\nBody with translationHash: x\n'
    assert frontmatter.added_value(stamped, "translationHash") == "0a1b"
    assert frontmatter.added_value(page, "translationHash") is None  # the body is no front matter
    assert frontmatter.without_key(stamped, "translationHash") == page
    assert frontmatter.with_block("----\n\nBody\n") == "---\n---\n\n----\n\nBody\n"  # a rule, not front matter
    assert frontmatter.with_block(page) == page
