"""The safety net: no Korean a reader sees on a page goes unnoticed (check, publish, extract), and
the legal notice is checked in every language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import make_project, run
from translate.cli import app
from translate.visible import visible_hangul

# A hand-made English page with Korean wherever a reader sees it, one place per line.
VISIBLE = """\
---
title: 피부 안내
slug: 슬러그는-괜찮습니다
image: /images/사진.jpg
faq:
  - question: 질문입니다
    url: /질문/
# YAML 주석은 보이지 않습니다
---

# 제목입니다

A sentence with 특징 left in it.

![대체 텍스트](/images/피부.jpg "이미지 제목")

See [the page](/ko/피부/ "링크 제목") or [the ref][참조].

[참조]: https://example.com/피부 "참조 제목"

<p>HTML 본문</p>

<img src="/images/피부.jpg" alt="사진 설명" class="이름">

<abbr title="제목 속성" aria-label="라벨 속성">RF</abbr> and <input placeholder="입력하세요">

{{< notice title="공지" src="/images/피부.jpg" >}}

Footnote.[^1]

[^1]: 각주입니다.

| 표 | cell |
|---|---|
| x | y |
"""
# Line -> what `translate check` must say about it.
EXPECTED = {
    2: "피부 안내 (front matter title)",
    6: "질문입니다 (front matter faq.0.question)",
    11: "제목입니다",
    13: "특징",
    15: "대체 텍스트; 이미지 제목 (a link title)",
    17: "링크 제목 (a link title)",
    19: "참조 제목 (a link title)",
    21: "본문",
    23: "사진 설명 (the HTML alt attribute)",
    25: "제목 속성 (the HTML title attribute); 라벨 속성 (the HTML aria-label attribute); 입력하세요 (the HTML place",
    27: "공지 (parameter title of the shortcode notice)",
    31: "각주입니다",
    33: "표",
}

# A correct English page: Korean only where no reader sees it.
INVISIBLE = """\
---
title: Skin guide
slug: 피부-안내
translationKey: 피부-안내
aliases: [/ko/피부/]
image: /images/사진.jpg
resources:
  - src: images/사진.jpg
# 한국어 주석
---

See [the page](/ko/피부/), <https://example.com/피부> and https://example.com/피부?q=관리 too.
Also www.example.com/피부 and %ED%94%BC%EB%B6%80 and [a ref][참조].

[참조]: /ko/참조/

![An image](/images/피부.jpg) and `코드` in a sentence.

```
한국어 코드 블록
```

    들여쓴 코드입니다

<!-- 한국어 주석
여러 줄 -->

{{</* 주석 처리된 숏코드 */>}}

<script>const message = "안녕하세요";</script>
<style>body { font-family: "나눔고딕"; }</style>

<img src="/images/피부.jpg" alt="A photo" style="font-family: 나눔고딕" class="사진">

{{< figure src="/images/피부.jpg" link="https://example.com/피부" caption="A caption" >}}

Text after everything.
"""


def test_check_names_every_line_where_a_reader_sees_korean(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={})
    page = root / "content" / "en" / "guide.md"
    page.parent.mkdir(parents=True)
    page.write_text(VISIBLE, encoding="utf-8")
    code, out = run(runner, root, "check", str(page))
    assert code == 1
    found = {
        int(line.split(":")[1]): line.split("Korean text left untranslated: ")[1]
        for line in out.splitlines()
        if "untranslated-korean" in line
    }
    assert set(found) == set(EXPECTED)
    for line, message in EXPECTED.items():
        assert found[line].startswith(message), (line, found[line])
    code, out = run(runner, root, "check", "--json", str(page))
    assert {p["line"] for p in json.loads(out) if p["check"] == "untranslated-korean"} == set(EXPECTED)


def test_korean_inside_urls_code_and_comments_is_no_false_alarm(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={})
    page = root / "content" / "en" / "guide.md"
    page.parent.mkdir(parents=True)
    page.write_text(INVISIBLE, encoding="utf-8")
    code, out = run(runner, root, "check", str(page))
    assert code == 0, out
    assert "0 errors" in out


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[a](피부 관리) text\n", ["피부", "관리"]),  # not a link: a space in the target
        ("`unclosed 피부\n\nnext` 관리\n", ["피부", "관리"]),  # a code span never crosses a paragraph
        ("<div>\n`피부`\n</div>\n", ["피부"]),  # no Markdown inside an HTML block
        ("a [b](/x '제목' ) c\n", ["제목"]),
        ("{{< youtube 한국어설명 >}}\n", ["한국어설명"]),
        ("{{< quote `원문 인용` >}}\n", ["원문", "인용"]),
        ("{{< img 피부.jpg >}}\n", []),  # a file name
        ('<input type="submit" value="보내기">\n', ["보내기"]),
        ("> 인용문 `코드`\n", ["인용문"]),
        ("- 목록\n\n      들여쓴 코드\n", ["목록"]),
        ("text <!-- unclosed 주석\n", []),
    ],
)
def test_the_scanner_on_markdown_edge_cases(text: str, words: list[str]) -> None:
    assert [run.text for run in visible_hangul(text)] == words


def test_publish_refuses_a_page_that_would_show_korean(runner: CliRunner, tmp_path: Path) -> None:
    article = '---\ntitle: 피부 안내\n---\n\n피부 관리 안내입니다.\n\n<input name="q" value="고주파"> RF 장비입니다.\n'
    root = make_project(tmp_path, articles={"guide": article})
    run(runner, root, "extract")
    words = {"피부 안내": "Skin", "피부 관리": "A guide.", "<input": '<input name="q" value="고주파"> RF is a device.'}
    approve_in(runner, root, "en", words)
    code, out = run(runner, root, "publish")
    assert code == 1 and not (root / "content" / "en" / "guide.md").exists()
    assert "line 9: untranslated-korean: Korean text left untranslated: 고주파 (the HTML value attribute)" in out


def test_extract_reports_korean_it_will_not_translate(runner: CliRunner, tmp_path: Path) -> None:
    article = (
        "---\ntitle: 피부 안내\nauthor: 배태성\nslug: 피부\nfaq:\n  - question: 질문입니다\n---\n\n"
        "피부 관리 안내입니다.\n\n"
        '<abbr title="고주파">RF</abbr> 장비입니다. [예약](/예약 "예약 페이지") <input name="q" value="검색어">\n\n'
        '{{< notice title="주의 사항" src="/images/피부.jpg" >}}\n\n'
        "`코드` 와 https://example.com/피부 는 괜찮습니다.\n"
    )
    root = make_project(tmp_path, articles={"guide": article, "clean": "깨끗한 글입니다.\n"})
    result = runner.invoke(app, ["-C", str(root), "extract"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: content/ko/guide.md:3: Korean that will not be translated: 배태성 (front matter author); "
        'add "author" to front_matter_keys in [tool.translate] to have it translated.',
        "warning: content/ko/guide.md:6: Korean that will not be translated: 질문입니다 (front matter faq.0.question); "
        'add "faq.*.question" to front_matter_keys in [tool.translate] to have it translated.',
        # (the title attribute and the link title on that line are segments)
        "warning: content/ko/guide.md:11: Korean that will not be translated: 검색어 (the HTML value attribute); "
        "only the alt, title, aria-*, placeholder, label, summary, data-caption and data-title attributes are "
        "translated (value: of a button): write the text in one of them or in Markdown.",
        "warning: content/ko/guide.md:13: Korean that will not be translated: 주의 사항 (parameter title of the "
        'shortcode notice); add "title" to notice = [...] in [tool.translate.shortcodes] to have it translated.',
    ]
    assert "4 Korean texts will not be translated" in result.stdout
    # an unchanged article is not read again, and still reported
    again = runner.invoke(app, ["-C", str(root), "extract"])
    assert "0 PO files updated" in again.stdout and "4 Korean texts will not be translated" in again.stdout
    assert [line for line in again.stderr.splitlines() if line.startswith("warning:")] == warnings
    # configured, the front matter values are segments and no longer reported
    (root / "pyproject.toml").write_text(
        '[tool.translate]\nfront_matter_keys = ["title", "author", "faq.*.question"]\n', encoding="utf-8"
    )
    code, out = run(runner, root, "extract")
    assert code == 0 and "2 Korean texts will not be translated" in out and "author" not in out


NOTICE_ARTICLE = "---\ntitle: 안내\n---\n\n피부 관리 안내입니다.\n\n본 게시물은 의료법 제56조에 따라 작성되었습니다.\n"
NOTICE_TRANSLATIONS = {
    "en": {"안내": "Guide", "피부": "A guide to skin care.", "본 게시물": "Written under the Medical Service Act."},
    "ja": {"안내": "ご案内", "피부": "スキンケアのご案内です。", "본 게시물": "医療法第56条に基づき作成しました。"},
    "zh-CN": {"안내": "指南", "피부": "皮肤护理指南。", "본 게시물": "本文根据医疗法第 56 条撰写。"},
}


def approve_in(runner: CliRunner, root: Path, lang: str, words: dict[str, str]) -> None:
    out = run(runner, root, "review", "list", "--json", "--lang", lang)[1]
    for entry in json.loads(out):
        text = next(t for k, t in words.items() if entry["source"].startswith(k))
        code, edited = run(runner, root, "review", "edit", entry["id"], "--text", text, "--force", "--lang", lang)
        assert code == 0, edited


def test_the_built_in_legal_notice_is_checked_in_each_language(runner: CliRunner, tmp_path: Path) -> None:
    settings = '[tool.translate]\ntargets = ["en", "ja", "zh-CN"]\n'
    root = make_project(tmp_path, articles={"guide": NOTICE_ARTICLE}, settings=settings)
    run(runner, root, "extract")
    for lang, words in NOTICE_TRANSLATIONS.items():
        approve_in(runner, root, lang, words)
    code, out = run(runner, root, "publish")
    assert code == 1
    assert (
        "not published: guide [en]: the page checks found errors: disclaimer: the Medical Service Act notice is "
        'missing: the Korean article cites 의료법 제56조, the page has no "Article 56"'
    ) in out
    assert (root / "content" / "ja" / "guide.md").exists() and (root / "content" / "zh-cn" / "guide.md").exists()
    # a page written by hand is checked the same way by `translate check`
    page = root / "content" / "en" / "guide.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: Guide\n---\n\nA guide to skin care.\n", encoding="utf-8")
    code, out = run(runner, root, "check", str(page))
    assert code == 1 and 'has no "Article 56"' in out
    page.write_text(
        "---\ntitle: Guide\n---\n\nWritten under article 56 of the Medical Service Act.\n", encoding="utf-8"
    )
    assert run(runner, root, "check", str(page))[0] == 0


def test_configured_notices_win_over_the_built_in_one(runner: CliRunner, tmp_path: Path) -> None:
    settings = '[tool.translate]\ntargets = ["en"]\n\n[tool.translate.disclaimers]\nen = ["Medical Service Act"]\n'
    root = make_project(tmp_path, articles={"guide": NOTICE_ARTICLE}, settings=settings)
    run(runner, root, "extract")
    approve_in(runner, root, "en", NOTICE_TRANSLATIONS["en"])  # no "Article 56", but the configured text
    code, out = run(runner, root, "publish")
    assert code == 0, out


def test_a_language_without_any_notice_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    settings = '[tool.translate]\ntargets = ["en", "vi"]\n'
    root = make_project(tmp_path, articles={"guide": NOTICE_ARTICLE}, settings=settings)
    run(runner, root, "extract")
    result = runner.invoke(app, ["-C", str(root), "status"])
    assert result.exit_code == 0
    assert "no legal notice is checked on vi pages" in result.stderr and "on en pages" not in result.stderr
    code, out = run(runner, root, "check")
    assert code == 0
    assert "pyproject.toml: warning disclaimer: no legal notice is checked on vi pages" in out
    (root / "pyproject.toml").write_text(settings + '\n[tool.translate.disclaimers]\nvi = ["Điều 56"]\n')
    assert "no legal notice" not in run(runner, root, "check")[1]
