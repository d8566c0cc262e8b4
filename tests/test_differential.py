"""Differential test: publish never writes a damaged page.

Generated Korean articles (every construct; tests/differential_strategies.py) are translated by a
marker translator and published; markdown-it-py judges the page against the source: the same token
structure, valid front matter with the same keys, no Hangul where a reader sees it. Two layers:
the library (parse_document + render_with_spans) on 1,000 articles, and the CLI (extract -> PO files
filled and approved -> publish -> status -> check) on 40. What publish gets wrong today is listed in
KNOWN_BROKEN (the generator leaves it out) and pinned below as strict xfail examples.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from tests.differential_strategies import (
    KNOWN_BROKEN,
    KNOWN_BROKEN_WHY,
    PO_ONLY,
    Article,
    articles,
    judge,
    library_problems,
    marker_translation,
)
from tests.helpers import make_project, run
from translate.model import State
from translate.pages import page_hash, source_hash
from translate.po import load_catalog, save_catalog

# Reproducible in CI: a fixed sequence of examples (derandomize) and no example database.
LIBRARY_RUN = settings(
    max_examples=1000,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CLI_RUN = settings(LIBRARY_RUN, max_examples=40)
SLUG = "care"


def test_every_switch_says_what_is_broken() -> None:
    assert set(KNOWN_BROKEN_WHY) >= KNOWN_BROKEN | PO_ONLY


# --- the judge and the translator can fail ------------------------------------------------------

SAMPLE = "---\ntitle: 피부 관리\ntags: [리프팅]\n---\n\n# 시술 안내\n\n- 첫째 `ls  -la` 항목\n- [예약](/book)\n"
KEYS = ("title", "tags")


def test_the_marker_translator_keeps_codes_and_leaves_no_hangul() -> None:
    assert marker_translation('**3~6개월**간 `피부  관리`와 [예약](/예약 "제목")을') == (
        '**3~6step**care `피부  관리`care [care](/예약 "제목")skin'
    )
    assert marker_translation("준비", "1. ") == "1. dose"


def test_the_judge_passes_a_good_page_and_names_each_kind_of_damage() -> None:
    good = "---\ntitle: Skin care\ntags: [lifting]\n---\n\n# Guide\n\n- First `ls  -la` item\n- [Book](/book)\n"
    assert judge(SAMPLE, good, KEYS, {}) == []
    damaged = {
        "Hangul a reader sees: 안내": good.replace("Guide", "안내"),
        "structure differs": good.replace("- First", "First"),
        "'ls  -la'": good.replace("`ls  -la`", "`ls -la`"),
        "not valid YAML": good.replace("title: Skin care\n", 'title: "Skin care"tags: x\n'),
        "front matter tags": good.replace("tags: [lifting]", "tags: lifting"),
        "front matter keys added": good.replace("---\n\n#", "extra: 1\n---\n\n#"),
    }
    for problem, page in damaged.items():
        found = judge(SAMPLE, page, KEYS, {})
        assert found and problem in found[0], (problem, found)
    assert "front matter keys added" in judge(SAMPLE, good, KEYS, {"translationKey": "care"})[0]


def test_the_judge_reads_a_shortcode_over_two_lines_as_hugo_does() -> None:
    # Hugo takes shortcodes out before Markdown: the line break in one is no structure of the page.
    source = '관리 {{< figure src="/a.jpg"\nalt="시술 전후" >}} `x` 안내\n'
    assert judge(source, 'Care {{< figure src="/a.jpg" alt="Before and after" >}} `x` guide\n', (), {}) == []
    moved = 'Care {{< figure src="/b.jpg"\nalt="Before" >}} `x` guide\n'
    assert "structure differs" in judge(source, moved, (), {})[0]
    broken = 'Care {{< figure src="/a.jpg"\n\nalt="Before" >}} `x` guide\n'
    assert "structure differs" in judge(source, broken, (), {})[0]


# --- layer (a): the library, 1,000 articles -------------------------------------------------------


@LIBRARY_RUN
@given(articles(KNOWN_BROKEN - PO_ONLY))
def test_published_pages_keep_the_structure_and_hold_no_korean(article: Article) -> None:
    assert library_problems(article) == []


# --- layer (b): the CLI, 40 articles --------------------------------------------------------------


def settings_for(article: Article) -> str:
    return f'[tool.translate]\nsource = "ko"\ntargets = ["en"]\nfront_matter_keys = {json.dumps(list(article.keys))}\n'


def draft_marker_translations(root: Path, prefix: str) -> None:
    """What a translator does: every segment of the PO file gets a draft (a reviewer approves them)."""
    path = root / "po" / "en" / f"{SLUG}.po"
    catalog = load_catalog(path, article=SLUG, lang="en", source_lang="ko")
    for unit in catalog.active_units():
        unit.target = marker_translation(unit.source, prefix)
        unit.state = State.DRAFT
    save_catalog(catalog, path)


def cli_problems(runner: CliRunner, root: Path, article: Article) -> list[str]:
    """Everything wrong with the page the CLI publishes for article, and with what status and check say."""
    code, out = run(runner, root, "extract")
    if code != 0:
        return [f"extract failed ({code}): {out}"]
    draft_marker_translations(root, article.prefix)
    # over the findings: the stand-in English is no translation the checks would pass (numbers, glossary)
    code, out = run(runner, root, "review", "approve", "--all", "--force", "--reviewer", "Differential")
    if code != 0:
        return [f"review approve --all --force failed ({code}): {out}"]
    code, out = run(runner, root, "publish")
    if code == 1 and "shortcode-pipe-in-table" in out and f"not published: {SLUG} [en]" in out:
        return library_problems(article)  # refused: right when the page would be damaged (judged there)
    if code != 0:
        return [f"publish refused a fully approved article ({code}): {out}"]
    page_path = root / "content" / "en" / f"{SLUG}.md"
    raw = page_path.read_bytes()
    problems = []
    if raw.startswith(b"\xef\xbb\xbf") != article.bom:
        problems.append("the page's BOM is not the source's")
    if article.crlf and b"\n" in raw.replace(b"\r\n", b""):
        problems.append("the source has CRLF line ends, the page LF")
    page = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    source = article.source()
    added = {"translationKey": SLUG, "translationSourceHash": source_hash(source), "translationHash": page_hash(page)}
    problems.extend(judge(source, page, article.keys, added))
    [row] = json.loads(run(runner, root, "status", "--json")[1])
    if (row["page"], row["next"]) != ("up to date", "-"):
        problems.append(f"status right after publish: {row['page']}, next {row['next']}")
    code, out = run(runner, root, "check", str(page_path))
    if code != 0 or "untranslated-korean" in out:
        problems.append(f"translate check on the page ({code}): {out}")
    page_path.write_bytes(raw + (b"\r\n" if article.crlf else b"\n") + b"Edited.\n")
    [row] = json.loads(run(runner, root, "status", "--json")[1])
    if row["page"] != "edited by hand":
        problems.append(f"status of a page edited after publish: {row['page']}")
    return problems


def cli_run(article: Article) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / "site", articles={}, settings=settings_for(article))
        (root / "content" / "ko" / f"{SLUG}.md").write_bytes(article.file_bytes())
        return cli_problems(CliRunner(), root, article)


@CLI_RUN
@given(articles(KNOWN_BROKEN, max_blocks=4))
def test_the_cli_publishes_what_status_calls_up_to_date(article: Article) -> None:
    assert cli_run(article) == []


# --- one minimal article per class of damage found ------------------------------------------------
# A class still in KNOWN_BROKEN is a strict xfail: it turns into a failure the moment it is fixed.
# Then take its name out of KNOWN_BROKEN: the example stays as a regression test.


def _case(name: str, text: str, prefix: str = "", *, cli: bool = False) -> object:
    marks = []
    if name in KNOWN_BROKEN:
        issue = "new (differential test)" if KNOWN_BROKEN_WHY[name].startswith("new:") else "issue 12"
        reason = f"{issue}: {KNOWN_BROKEN_WHY[name]}"
        marks.append(pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))
    return pytest.param(text, prefix, cli, id=name, marks=marks)


CASES = [
    _case("entity-block", "질문&amp;답변은 여기에 있습니다.\n"),
    _case("triple-emphasis", "***중요*** 사항입니다.\n"),
    _case("code-span-spaces", "명령 `ls  -la`를 입력합니다.\n"),
    _case("setext-block-start", "준비\n===\n", "1. "),
    _case("front-matter-block-scalar", "---\ntitle: |\n  피부 안내\n---\n\n본문입니다.\n"),
    _case("po-line-separator", "피부\u2028관리입니다.\n", cli=True),
    _case("link-title", '[예약](/book "온라인 예약")하세요.\n'),
    _case("image-title", '![시술 전후](/a.jpg "시술 전후 비교")\n'),
    _case("reference-title", '[예약][ref]하세요.\n\n[ref]: /book "상담 페이지"\n'),
    _case("footnote", "시술[^1]입니다.\n\n[^1]: 주의사항\n"),
    _case("html-text", "<div>\n<p>첫 상담은 무료입니다.</p>\n</div>\n"),
    _case("html-attribute", '<img src="/a.jpg" alt="레이저 장비">\n'),
    _case("shortcode-param", '{{< figure src="/a.jpg" alt="시술 전후" >}}\n'),
    _case("front-matter-key-path", "---\nseo:\n  title: 검색 제목\n---\n\n본문입니다.\n"),
    _case("reference-label", "[예약]하세요.\n\n[예약]: /book\n"),
    _case("publish-line-separator", "*\u2028피부*입니다.\n"),
    _case("table-backslash-pipe", "| 가 | 나 |\n|---|---|\n| \\\\|피부 | 다 |\n"),
    _case("table-image-alt-pipe", "| ![사진](/a.jpg) | 나 |\n|---|---|\n| 다 | 라 |\n", "| "),
    _case("code-span-block-start", "``` `` ``` 명령입니다.\n"),
    _case("setext-table", "준비\n---\n", "| "),
    _case("setext-table-title", '준비 ![사진](/a.jpg "시술 전후") 안내\n---\n', "| "),  # a title's \\| counts too
    _case("shortcode-multiline", '{{< figure\nalt="시술 전후" >}}\n'),
    _case("shortcode-in-html", '<div>\n<p>피부 {{< figure src="/a.jpg" alt="시술 전후" >}} 안내</p>\n</div>\n'),
    _case("multiline-code-in-container", '> 확인하세요 <span\n> class="note" title="안내">설명</span>.\n'),
    _case("table-shortcode-pipe", '| 가 | 나 |\n|---|---|\n| 다 | {{< figure src="/a.jpg" alt="시술" >}} 라 |\n', "| "),
    _case("table-in-quote", "> | 가 | 나 |\n> |---|---|\n> | 다 | 라 |\n"),
    _case("table-cell-nel", "| 가 | 나 |\n|---|---|\n| \x85관리는 <b>설명</b> | 다 |\n"),
    _case("shortcode-indented-line", '가 `x` {{< ref\n  "care.md" >}} 2주를 `y` 중요합니다.\n'),
    _case("shortcode-indented-line-in-list", '* 관리\n  > 확인 {{<\n  ref "care.md" >}} 2주를 중요합니다.\n', cli=True),
    # a quoted value over two lines (Hugo refuses it): publish writes its translation on one line
    _case(
        "shortcode-value-two-lines",
        '{{< figure src="/a.jpg" alt="탄력은\n시술은" >}} 주의사항! ` x ` 효과입니다.\n',
        "> ",
    ),
    _case(
        "shortcode-value-two-lines-in-quote",
        '> 레이저. {{< figure src="/a.jpg" alt="시술은\n> 안면" >}}는 `x` 효과.\n',
        "1. ",
    ),
    _case("html-text-autolink", "<div>\n효과는 <https://example.com/피부> 참고하세요.\n</div>\n"),
    _case("html-text-autolink-cli", "<p>\n관리는 <https://example.com/피부> 1회입니다.\n</p>\n", cli=True),
    _case("table-cell-nel-cli", "| 가 | 나 |\n|---|---|\n| 관리는 <b>설명</b>\x85 | \x85`x` 다 |\n", "| ", cli=True),
]


@pytest.mark.parametrize(("text", "prefix", "cli"), CASES)
def test_each_class_of_damage_found_publishes_a_sound_page(text: str, prefix: str, cli: bool) -> None:
    article = Article(text, prefix=prefix, keys=("title", "seo.title"))
    assert (cli_run(article) if cli else library_problems(article)) == []


def test_every_known_broken_construct_has_its_example() -> None:
    assert {param.id for param in CASES} >= KNOWN_BROKEN
