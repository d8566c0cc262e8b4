"""Helpers the test modules share: projects built in tmp_path, the CLI, PO entries, the review app.

Test modules import from here (and from the imitation servers in ``tests/*_server.py``), never
from each other; fixtures live in ``tests/conftest.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib
import uvicorn
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from starlette.testclient import TestClient
from typer.testing import CliRunner

from tests.mt_server import LibreServer
from translate.checks import check_config, check_translation
from translate.cli import app
from translate.extract import extract
from translate.glossary import load_glossary
from translate.model import State, segment_id
from translate.po import load_catalog, save_catalog
from translate.project import Project
from translate.review import queue
from translate.web import create_app

ROOT = Path(__file__).resolve().parent.parent  # this repository: the demo project
FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_SLUG = "emface-lifting"
HANGUL = re.compile(r"[\uac00-\ud7a3]")

GLOSSARY = """\
terms:
  - ko: 특징
    en: feature
    forbidden: {en: [characteristic, trait]}
  - ko: 엠페이스
    en: Emface
  - ko: 표정근
    en: expression muscles
  - ko: 피부과 전문의
    en: dermatologist
  - ko: 피부
    en: skin
  - ko: 리프팅
    en: lifting
  - ko: 부작용
    en: side effects
"""

# Every variable an engine reads its URL or key from (README: `translate draft`).
ENGINE_VARIABLES = (
    "LIBRETRANSLATE_URL",
    "LIBRETRANSLATE_API_KEY",
    "DEEPL_API_KEY",
    "MICROSOFT_API_KEY",
    "MICROSOFT_REGION",
    "PAPAGO_CLIENT_ID",
    "PAPAGO_CLIENT_SECRET",
    "MYMEMORY_EMAIL",
    "LLM_BASE_URL",
    "LLM_API_KEY",
    "OPENAI_API_KEY",
    "LLM_MODEL",
)


# --- projects ---------------------------------------------------------------------------------


def make_project(
    root: Path,
    *,
    articles: dict[str, str] | None = None,
    settings: str | None = None,
    glossary: str = GLOSSARY,
) -> Path:
    """A content root: pyproject settings, glossary and Korean articles (default: the sample)."""
    (root / "content" / "ko").mkdir(parents=True, exist_ok=True)
    if articles is None:
        shutil.copy(FIXTURES / "emface-lifting.ko.md", root / "content" / "ko" / f"{SAMPLE_SLUG}.md")
    else:
        for slug, text in articles.items():
            path = root / "content" / "ko" / f"{slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if settings is not None:
        (root / "pyproject.toml").write_text(settings, encoding="utf-8")
    (root / "glossary.yaml").write_text(glossary, encoding="utf-8")
    return root


def assert_golden(produced: str, name: str) -> None:
    """``produced`` is the golden file tests/fixtures/golden/<name> (UPDATE_GOLDEN=1 rewrites that first)."""
    golden = FIXTURES / "golden" / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8")


def demo_copy(tmp_path: Path) -> Path:
    """A scratch copy of this repository's demo project (content, po, glossary, settings)."""
    target = tmp_path / "demo"
    target.mkdir()
    for name in ("content", "po"):
        shutil.copytree(ROOT / name, target / name)
    for name in ("glossary.yaml", "pyproject.toml"):
        shutil.copy(ROOT / name, target / name)
    return target


# --- the CLI ----------------------------------------------------------------------------------


def run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    """`translate --root ROOT ARGS…`: the exit code and the output, which never holds a traceback."""
    result = runner.invoke(app, ["--root", str(root), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def cli(root: Path, *args: str) -> tuple[int, str]:
    """:func:`run` with a runner of its own."""
    return run(CliRunner(), root, *args)


def status_row(runner: CliRunner, root: Path) -> dict[str, object]:
    """The one row of `status --json` of a project with one article."""
    [row] = json.loads(run(runner, root, "status", "--json")[1])
    return dict(row)


# --- PO files ---------------------------------------------------------------------------------


def po_file(root: Path, slug: str = "care", lang: str = "en") -> Path:
    return root / "po" / lang / f"{slug}.po"


def entries(root: Path, slug: str = SAMPLE_SLUG, lang: str = "en") -> list[polib.POEntry]:
    return list(polib.pofile(str(po_file(root, slug, lang))))


def po_entries(root: Path, slug: str = "care", lang: str = "en") -> polib.POFile:
    return polib.pofile(str(po_file(root, slug, lang)))


def entry(root: Path, source: str, slug: str = "care") -> polib.POEntry:
    """The live (not obsolete) entry of ``source``."""
    return next(e for e in polib.pofile(str(po_file(root, slug))) if e.msgid == source and not e.obsolete)


def polib_id(entry: polib.POEntry) -> str:
    return segment_id(entry.msgid)


def edit_entry(runner: CliRunner, root: Path, entry: polib.POEntry, text: str, *options: str) -> tuple[int, str]:
    """`translate review edit` of one PO entry by the reviewer Lee."""
    return run(runner, root, "review", "edit", polib_id(entry), "--text", text, "--reviewer", "Lee", *options)


def approve_all_by_edit(runner: CliRunner, root: Path, slug: str, text: str = "Approved text.") -> None:
    for one in entries(root, slug):
        code, out = edit_entry(runner, root, one, text, "--force", "--article", slug)
        assert code == 0, out


def approve_translations(runner: CliRunner, root: Path, translations: dict[str, str], slug: str = "care") -> None:
    """Each source's translation, edited in and approved with `review edit --force`."""
    for source, text in translations.items():
        code, out = run(runner, root, "review", "edit", segment_id(source), "--text", text, "--force")
        assert code == 0, out


def text_edit(root: Path, old: str, new: str, slug: str = "care") -> None:
    """Change a PO file as a person in a text editor does: a plain replacement of its text."""
    path = po_file(root, slug)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def unfuzzy_and_retype(root: Path, source: str, old: str, new: str) -> None:
    """What the tester did: the `#, fuzzy` line of the entry deleted (Poedit's "needs work" toggle) and
    its msgstr retyped."""
    path = po_file(root)
    text = path.read_text(encoding="utf-8")
    block = re.search(rf'(?:#[^\n]*\n)*msgid "{re.escape(source)}"\nmsgstr "{re.escape(old)}"\n', text)
    assert block is not None
    changed = block.group().replace("#, fuzzy\n", "").replace(f'msgstr "{old}"', f'msgstr "{new}"')
    path.write_text(text.replace(block.group(), changed), encoding="utf-8")


# --- pages ------------------------------------------------------------------------------------

# A page as Hugo reads it (written from Hugo's Goldmark defaults, not from translate.markdown):
# CommonMark, GFM tables and strikethrough, footnotes, definition lists.
HUGO_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
HUGO_MARKDOWN.use(footnote_plugin, move_to_end=False).use(deflist_plugin)


def structure(text: str) -> list[tuple[str, str, int]]:
    """Block structure as markdown-it sees it: token types, markup and nesting (not text)."""
    return [(t.type, t.markup, t.level) for t in HUGO_MARKDOWN.parse(text) if t.type != "inline"]


def body(page: str) -> str:
    """A page without its front matter."""
    return page.split("\n---\n", 1)[1]


def page(root: Path, slug: str = "care", lang: str = "en") -> Path:
    return root / "content" / lang / f"{slug}.md"


def edit_source(root: Path, text: str, slug: str = "care") -> None:
    (root / "content" / "ko" / f"{slug}.md").write_text(text, encoding="utf-8")


# The care article: approved, published, then its source edited (sync, pages, absorb).
CARE_ARTICLE = """\
---
title: 피부 관리 안내
---

# 리프팅 안내

엠페이스는 고주파와 HIFES를 함께 사용하여 피부층과 표정근층에 동시에 접근합니다.
시술 전에는 충분한 상담이 필요합니다.
모든 시술은 부작용이 발생할 수 있습니다.
"""
CHANGED_OLD = "엠페이스는 고주파와 HIFES를 함께 사용하여 피부층과 표정근층에 동시에 접근합니다."
CHANGED_NEW = "엠페이스는 고주파와 HIFES 에너지를 함께 사용해 피부층과 표정근층에 동시에 작용합니다."
REMOVED = "시술 전에는 충분한 상담이 필요합니다."
KEPT = "모든 시술은 부작용이 발생할 수 있습니다."
CARE_TRANSLATIONS = {
    "피부 관리 안내": "Skin care guide",
    "리프팅 안내": "About lifting",
    CHANGED_OLD: "Emface uses RF and HIFES together to reach the skin and the expression muscles at once.",
    REMOVED: "A thorough consultation is needed before the procedure.",
    KEPT: "Every procedure can have side effects.",
}


def published_site(runner: CliRunner, root: Path) -> Path:
    """The care article extracted, approved and published in ``root``."""
    make_project(root, articles={"care": CARE_ARTICLE})
    run(runner, root, "extract")
    approve_translations(runner, root, CARE_TRANSLATIONS)
    code, out = run(runner, root, "publish")
    assert code == 0, out
    return root


# --- machine translation ----------------------------------------------------------------------


def fake_mt(glossary_path: Path) -> Callable[[str, str, str], str]:
    """An MT engine that keeps the glossary's English, the numbers, the markup tokens, the question
    marks and the final punctuation, writes about as much as a real one (English runs about twice
    as long as Korean), and leaves 특징 in Korean (the real failure)."""
    glossary = load_glossary(glossary_path)

    def translate(q: str, source: str, target: str) -> str:
        if "특징" in q:
            return "Its 특징 is that it goes beyond simply improving skin elasticity."
        if "의료법 제56조" in q:  # the legal notice, as a page must have it
            return "This post was written under Article 56(1) of the Medical Service Act to give medical information."
        terms = [m.term.targets["en"] for m in glossary.find(q) if "en" in m.term.targets]
        keep = re.findall(r"⟦\d+⟧|\d+(?:[.,]\d+)*", q)
        text = " ".join(["Translated text about", ", ".join(dict.fromkeys(terms)) or "the clinic", *keep])
        while len(text) < 2 * len(q):
            text += " and its details"
        questions = q.rstrip().rstrip("?").count("?")  # a question inside the segment keeps its mark too
        return text + " (why?)" * questions + ("?" if q.rstrip().endswith("?") else ".")

    return translate


def draft_with_server(runner: CliRunner, root: Path, *extra: str) -> LibreServer:
    """`translate draft` against a local server answering with :func:`fake_mt`; the server, stopped."""
    with LibreServer(translate=fake_mt(root / "glossary.yaml")) as server:
        url = server.google_url if "google" in extra else server.url
        code, out = run(runner, root, "draft", "--url", url, *extra)
        assert code == 0, out
    return server


# --- the review project and the review app ----------------------------------------------------

REVIEW_SLUG = "emface"
REVIEW_ARTICLE = """\
---
title: "엠페이스 리프팅의 특징"
---

엠페이스는 표정근까지 고려한 리프팅입니다.

시술 시간은 약 30분입니다.

피부과 전문의가 직접 상담합니다.

부작용이 있을 수 있으니 상담 후 결정하세요.
"""
SCRIPT = '<script>document.title = "pwned"; window.pwned = true;</script>'
REVIEW_DRAFTS = {
    "엠페이스 리프팅의 특징": "Features of Emface lifting",
    "엠페이스는 표정근까지 고려한 리프팅입니다.": "Emface is a lifting that also considers the expression muscles.",
    "시술 시간은 약 30분입니다.": "The procedure takes about 20 minutes.",
    "피부과 전문의가 직접 상담합니다.": "A dermatologist consults you in person.",
    "부작용이 있을 수 있으니 상담 후 결정하세요.": f"Side effects may occur {SCRIPT}, so decide after a consultation.",
}
MEMORY_SLUG = "memory"
MEMORY = {
    "엠페이스는 표정근까지 고려한 시술입니다.": "Emface is a procedure that takes the expression muscles into account."
}


def make_review_project(root: Path) -> Project:
    """A project with one article extracted and every segment drafted (as machine translation would)."""
    make_project(root, articles={REVIEW_SLUG: REVIEW_ARTICLE})
    project = Project.open(root)
    extract(project)
    glossary = load_glossary(project.glossary_path)
    config = check_config(project.settings)
    path = project.po_path("en", REVIEW_SLUG)
    catalog = load_catalog(path, article=REVIEW_SLUG, lang="en", source_lang="ko")
    for unit in catalog.units:
        unit.target = REVIEW_DRAFTS[unit.source]
        unit.state = State.DRAFT
        unit.origin = "mt:test"
        unit.findings = check_translation(unit.source, unit.target, "en", glossary, config)
    save_catalog(catalog, path)
    return project


def add_memory(project: Project) -> None:
    """A second article whose approved translation is a fuzzy match for one of the drafts."""
    (project.source_dir / f"{MEMORY_SLUG}.md").write_text("".join(f"{s}\n" for s in MEMORY), encoding="utf-8")
    extract(project, MEMORY_SLUG)
    path = project.po_path("en", MEMORY_SLUG)
    catalog = load_catalog(path, article=MEMORY_SLUG, lang="en", source_lang="ko")
    for unit in catalog.units:
        unit.target, unit.state = MEMORY[unit.source], State.APPROVED
        unit.history.append("approved by Park on 2026-11-20T09:00:00Z")
    save_catalog(catalog, path)


BASE = "http://127.0.0.1:8765"
LOCAL = {"127.0.0.1", "localhost"}


def client(project: Project) -> TestClient:
    """A test client of the review app over ``project``."""
    return TestClient(create_app(project, allowed_hosts=LOCAL), base_url=BASE)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert found
    return found.group(1)


def version_in(html: str) -> str:
    found = re.search(r'name="version" value="([0-9a-f]+)"', html)
    assert found
    return found.group(1)


def reviewer_client(project: Project, name: str = "Kim") -> tuple[TestClient, str]:
    """A client whose browser has given its name once, and the page's CSRF token."""
    web = client(project)
    token = csrf_of(web.get("/").text)
    response = web.post("/reviewer", data={"name": name, "csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    return web, token


def review_entry(project: Project, source_start: str) -> polib.POEntry:
    """The review article's entry whose source starts so."""
    po = polib.pofile(str(project.po_path("en", REVIEW_SLUG)))
    return next(e for e in po if e.msgid.startswith(source_start))


def item_id(project: Project, source_start: str) -> str:
    return next(i.id for i in queue(project) if i.unit.source.startswith(source_start))


def decide(web: TestClient, token: str, segment: str, decision: str, version: str, **fields: str) -> Any:
    """A decision posted from the review article's page, as its script posts it."""
    data = {"csrf": token, "decision": decision, "in": REVIEW_SLUG, "to": "en", "id": segment, "version": version}
    return web.post("/decide", data={**data, **fields}, headers={"X-Requested-With": "fetch"})


# --- the review app in a browser --------------------------------------------------------------

DOCS = ROOT / "docs"


@dataclass
class Site:
    url: str
    project: Project


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(project: Project) -> Iterator[Site]:
    """The review app over project, served on 127.0.0.1 while the block runs."""
    port = _free_port()
    app = create_app(project, allowed_hosts=LOCAL)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the review server did not start"
        time.sleep(0.02)
    yield Site(f"http://127.0.0.1:{port}", project)
    server.should_exit = True
    thread.join(10)


def screenshot_path(tmp_path: Path, name: str) -> Path:
    """docs/<name> when UPDATE_SCREENSHOTS is set (the README's pictures), else a scratch file."""
    return DOCS / name if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path / name


def start(page: Any, site: Site, name: str = "Kim") -> None:
    """Open the queue and give the reviewer's name, as a first visit does."""
    page.goto(site.url + "/")
    page.fill("#reviewer-name", name)
    page.press("#reviewer-name", "Enter")
    page.wait_for_selector("#segment")
    page.evaluate("window.sameDocument = true")  # gone if anything reloads the page


# --- Markdown documents for property tests ----------------------------------------------------

# Korean prose with inline Markdown: the words of generated documents.
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
