"""The publish bugs of issue 12 (item 7), closed through the review page's Publish button as well as the CLI
(tests/test_segments.py, test_frontmatter.py, test_approval.py): the page publishes through the same library
function, so each generated-article failure is published right from the page too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest
import yaml
from markdown_it import MarkdownIt
from starlette.testclient import TestClient

from tests.helpers import make_project
from translate.extract import extract
from translate.frontmatter import find_block
from translate.project import Project
from translate.review import approve
from translate.web import create_app

READER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def publish_from_the_page(root: Path, slug: str, translate: Callable[[str], str]) -> str:
    """extract, every segment translated and approved, then the page's Publish button: the published page."""
    project = Project.open(root)
    extract(project)
    path = project.po_path("en", slug)
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = translate(entry.msgid)
        entry.flags = ["fuzzy"]
    po.save(str(path))
    approve(project, None, lang="en", article=slug, force=True, reviewer="Kim")
    web = TestClient(create_app(project, allowed_hosts={"127.0.0.1"}), base_url="http://127.0.0.1:8765")
    page = web.get("/").text
    csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = web.post("/publish", data={"article": slug, "lang": "en", "csrf": csrf})
    assert response.status_code == 200 and f"Published content/en/{slug}.md" in response.text, response.text
    return (root / "content" / "en" / f"{slug}.md").read_text(encoding="utf-8")


def body(page: str) -> str:
    return page.split("\n---\n", 1)[1]


CASES = {
    "entity": ("질문&amp;답변은 아래에 정리했습니다.\n", {}, "\nQuestions &amp; answers are below.\n"),
    "three-stars": (
        "***중요*** 시술 당일에는 세안을 가볍게 해 주세요.\n",
        {},
        "\n***Important*** Wash gently on the day.\n",
    ),
    "code-span-spaces": ("명령 `ls  -la`를 실행합니다.\n", {}, "\nRun `ls  -la` in a terminal.\n"),
    "setext-list-like": ("준비\n===\n", {}, "\n1\\. Preparation\n===\n"),
    "line-separator": ("시술 후\u2028세안은 다음 날부터 가능합니다.\n", {}, "\nWash from the next day on.\n"),
}
TRANSLATIONS = {
    "질문&amp;답변은 아래에 정리했습니다.": "Questions &amp; answers are below.",
    "***중요*** 시술 당일에는 세안을 가볍게 해 주세요.": "***Important*** Wash gently on the day.",
    "명령 `ls  -la`를 실행합니다.": "Run `ls  -la` in a terminal.",
    "준비": "1. Preparation",
    "시술 후\u2028세안은 다음 날부터 가능합니다.": "Wash from the next day on.",
}


@pytest.mark.parametrize("case", CASES)
def test_each_publish_bug_is_closed_through_the_page(tmp_path: Path, case: str) -> None:
    source, _, expected = CASES[case]
    root = make_project(tmp_path / "site", articles={case: source})
    page = publish_from_the_page(root, case, TRANSLATIONS.__getitem__)
    assert body(page) == expected
    source_blocks = [t.type for t in READER.parse(source) if t.nesting == 1]
    assert [t.type for t in READER.parse(body(page)) if t.nesting == 1] == source_blocks


def test_a_block_scalar_title_is_published_as_valid_yaml_through_the_page(tmp_path: Path) -> None:
    article = "---\ntitle: |\n  피부 안내서\ntranslationKey: a\n---\n\n본문입니다.\n"
    root = make_project(tmp_path / "site", articles={"guide": article})
    page = publish_from_the_page(root, "guide", {"피부 안내서": "Skin guide", "본문입니다.": "The text."}.__getitem__)
    block = find_block(page)
    assert block is not None
    data = yaml.safe_load(page[block.yaml.start : block.yaml.end])
    assert data["title"] == "Skin guide\n" and data["translationKey"] == "a"
