"""Every command through the CLI, on content roots built in tmp_path."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from typer.testing import CliRunner

from tests.helpers import (
    HANGUL,
    SAMPLE_SLUG,
    approve_all_by_edit,
    assert_golden,
    body,
    draft_with_server,
    edit_entry,
    entries,
    fake_mt,
    make_project,
    polib_id,
    run,
    structure,
)
from tests.mt_server import LibreServer
from translate.cli import app


def test_whole_flow_extract_draft_review_publish(runner: CliRunner, project_dir: Path) -> None:
    settings = '[tool.translate]\nfront_matter_keys = ["title", "tags", "author"]\n'
    (project_dir / "pyproject.toml").write_text(settings, encoding="utf-8")
    assert run(runner, project_dir, "extract")[0] == 0
    with LibreServer(translate=fake_mt(project_dir / "glossary.yaml")) as server:
        code, out = run(runner, project_dir, "draft", "--url", server.url)
    assert code == 0, out
    assert all("http" not in r.params["q"] for r in server.received)  # URLs never reach MT

    feature = next(e for e in entries(project_dir) if "특징" in e.msgid)
    assert feature.msgstr == "Its feature is that it goes beyond simply improving skin elasticity."
    assert "fuzzy" in feature.flags and "origin: mt:libre" in feature.comment

    code, out = run(runner, project_dir, "review", "approve", "--all", "--reviewer", "Kim")
    assert code == 1 and "refused" in out and "glossary" in out  # the repaired draft needs a look
    assert run(runner, project_dir, "publish")[0] == 1
    code, out = run(runner, project_dir, "review", "list", "--json")
    [pending] = json.loads(out)
    assert pending["source"] == feature.msgid and pending["state"] == "draft"
    code, out = run(runner, project_dir, "review", "approve", pending["id"], "--force", "--reviewer", "Kim")
    assert code == 0, out

    code, out = run(runner, project_dir, "publish")
    assert code == 0, out
    page = (project_dir / "content" / "en" / f"{SAMPLE_SLUG}.md").read_text(encoding="utf-8")
    source = (project_dir / "content" / "ko" / f"{SAMPLE_SLUG}.md").read_text(encoding="utf-8")
    assert not HANGUL.search(page)  # the front matter too: title, tags and author are translated
    assert "Its feature is" in page and "Article 56(1)" in page
    assert structure(body(page)) == structure(body(source))
    assert "translationKey:" in page and "translationSourceHash:" in page
    approved = [e for e in entries(project_dir) if e.msgstr]
    assert all(not e.fuzzy and "approved by Kim" in e.tcomment for e in approved)
    assert json.loads(run(runner, project_dir, "status", "--json")[1])[0]["page"] == "up to date"


def test_extract_on_unchanged_sources_changes_no_file(runner: CliRunner, project_dir: Path) -> None:
    run(runner, project_dir, "extract")
    po = project_dir / "po" / "en" / f"{SAMPLE_SLUG}.po"
    before = (po.read_bytes(), po.stat().st_mtime_ns)
    code, out = run(runner, project_dir, "extract")
    assert code == 0 and "0 PO files updated" in out
    assert (po.read_bytes(), po.stat().st_mtime_ns) == before


def test_extracted_po_file_matches_the_golden_file(runner: CliRunner, project_dir: Path) -> None:
    run(runner, project_dir, "extract")
    produced = (project_dir / "po" / "en" / f"{SAMPLE_SLUG}.po").read_text(encoding="utf-8")
    assert_golden(produced, f"{SAMPLE_SLUG}.en.po")


def test_draft_without_a_reachable_engine_uses_memory_and_says_so(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        articles={
            "first": "첫 번째 글입니다.\n\n모든 시술은 부작용이 발생할 수 있습니다.\n",
            "second": "두 번째 글입니다.\n\n모든 시술은 부작용이 발생할 수 있습니다.\n",
        },
    )
    run(runner, root, "extract")
    edit_entry(runner, root, entries(root, "first")[1], "Every procedure can have side effects.", "--article", "first")
    first_before = (root / "po" / "en" / "first.po").read_bytes()

    code, out = run(runner, root, "draft", "--url", "http://127.0.0.1:9/")
    assert code == 3
    assert "cannot reach libre at http://127.0.0.1:9/" in out
    assert "1 drafted from translation memory" in out
    second = {e.msgid: e for e in entries(root, "second")}
    assert second["모든 시술은 부작용이 발생할 수 있습니다."].msgstr == "Every procedure can have side effects."
    assert second["두 번째 글입니다."].msgstr == ""
    assert (root / "po" / "en" / "first.po").read_bytes() == first_before


def test_review_list_json_has_what_a_tool_needs(runner: CliRunner, project_dir: Path) -> None:
    run(runner, project_dir, "extract")
    items = json.loads(run(runner, project_dir, "review", "list", "--json")[1])
    assert len(items) == len(entries(project_dir))
    for item in items:
        assert {"id", "article", "lang", "source", "target", "state", "findings"} <= set(item)
        assert item["state"] == "untranslated" and item["article"] == SAMPLE_SLUG
    glossed = next(i for i in items if "엠페이스" in i["source"])
    assert "엠페이스 = Emface" in glossed["glossary"]


def test_edit_checks_the_text_and_keeps_a_bad_one_as_draft(runner: CliRunner, project_dir: Path) -> None:
    run(runner, project_dir, "extract")
    entry = next(e for e in entries(project_dir) if e.msgid.startswith("엠페이스는 고주파"))
    code, out = edit_entry(runner, project_dir, entry, "엠페이스 uses RF and HIFES together.")
    assert code == 1 and "untranslated-korean" in out
    edited = next(e for e in entries(project_dir) if e.msgid == entry.msgid)
    assert edited.fuzzy and edited.msgstr == "엠페이스 uses RF and HIFES together."

    text = "Emface uses radiofrequency (RF) and HIFES together to reach the skin and the expression muscles."
    code, out = edit_entry(runner, project_dir, entry, text)
    assert code == 0, out
    edited = next(e for e in entries(project_dir) if e.msgid == entry.msgid)
    assert not edited.fuzzy and "edited and approved by Lee" in edited.tcomment


def test_reject_keeps_the_reason_for_the_translator(runner: CliRunner, project_dir: Path) -> None:
    run(runner, project_dir, "extract")
    entry = entries(project_dir)[1]
    edit_entry(runner, project_dir, entry, "Hello.", "--force")
    code, _ = run(
        runner,
        project_dir,
        "review",
        "reject",
        polib_id(entry),
        "--reason",
        "too short",
        "--reviewer",
        "Park",
    )
    assert code == 0
    items = json.loads(run(runner, project_dir, "review", "list", "--json")[1])
    rejected = next(i for i in items if i["id"] == polib_id(entry))
    assert rejected["state"] == "rejected" and "too short" in rejected["history"][-1]
    assert run(runner, project_dir, "review", "approve", "--all", "--reviewer", "Kim")[0] == 0
    still = next(
        i for i in json.loads(run(runner, project_dir, "review", "list", "--json")[1]) if i["id"] == polib_id(entry)
    )
    assert still["state"] == "rejected"  # --all never approves what a reviewer sent back


def test_publish_refuses_an_incomplete_article_and_writes_nothing(runner: CliRunner, project_dir: Path) -> None:
    run(runner, project_dir, "extract")
    code, out = run(runner, project_dir, "publish")
    assert code == 1 and "not published: emface-lifting [en]" in out and "untranslated" in out
    assert not (project_dir / "content" / "en").exists()


def test_status_follows_the_article_through_its_life(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={"note": "# 안내\n\n피부 관리 안내입니다.\n"})
    status = lambda: json.loads(run(runner, root, "status", "--json")[1])[0]  # noqa: E731
    assert status()["next"] == "extract"
    run(runner, root, "extract")
    assert status() | {} == status() and status()["untranslated"] == 2 and status()["next"] == "draft"
    approve_all_by_edit(runner, root, "note", "Skin care guide.")
    assert status()["approved"] == 2 and status()["next"] == "publish"
    run(runner, root, "publish")
    assert status()["page"] == "up to date" and status()["next"] == "-"
    (root / "content" / "ko" / "note.md").write_text("# 안내\n\n새 문장입니다.\n", encoding="utf-8")
    assert status()["next"] == "extract" and status()["page"] == "source changed"


def test_unknown_language_is_a_clear_error(runner: CliRunner, project_dir: Path) -> None:
    code, out = run(runner, project_dir, "extract", "--lang", "fr")
    assert code == 2 and "'fr' is not a target language" in out


def test_unknown_segment_id_is_a_clear_error(runner: CliRunner, project_dir: Path) -> None:
    run(runner, project_dir, "extract")
    code, out = run(runner, project_dir, "review", "approve", "deadbeef")
    assert code == 1 and "no segment with id deadbeef" in out


def test_damaged_po_file_is_named_with_its_line(runner: CliRunner, project_dir: Path) -> None:
    run(runner, project_dir, "extract")
    po = project_dir / "po" / "en" / f"{SAMPLE_SLUG}.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr ""\n\n#:', 'msgstr "broken\n\n#:', 1),
        encoding="utf-8",
    )
    line = po.read_text(encoding="utf-8").split("\n").index('msgstr "broken') + 1
    code, out = run(runner, project_dir, "status")
    assert code == 2 and f"{po}:{line}:" in out and "not valid PO syntax" in out


def test_broken_front_matter_is_named_with_its_line(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={"bad": "---\ntitle: [unclosed\n---\n\n본문입니다.\n"})
    code, out = run(runner, root, "extract")
    assert code == 2 and "bad.md:" in out and "front matter is not valid YAML" in out


def test_bad_settings_are_named(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, settings='[tool.translate]\ntargets = ["en"]\ncolour = "blue"\n')
    code, out = run(runner, root, "status")
    assert code == 2 and "unknown setting(s) colour" in out


def test_settings_choose_languages_and_folders(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, settings='[tool.translate]\ntargets = ["en", "ja"]\npo_dir = "translations"\n')
    run(runner, root, "extract")
    assert (root / "translations" / "ja" / f"{SAMPLE_SLUG}.po").is_file()
    header = polib.pofile(str(root / "translations" / "ja" / f"{SAMPLE_SLUG}.po")).metadata
    assert header["Language"] == "ja" and header["Plural-Forms"] == "nplurals=1; plural=0;"


def test_a_folder_without_settings_works_on_defaults(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert not (root / "pyproject.toml").exists()
    assert run(runner, root, "extract")[0] == 0
    assert (root / "po" / "en" / f"{SAMPLE_SLUG}.po").is_file()


def test_root_must_exist(runner: CliRunner, tmp_path: Path) -> None:
    code, out = run(runner, tmp_path / "nowhere", "status")
    assert code == 2 and "not a folder" in out


def test_a_source_sentence_change_keeps_the_old_translation_in_the_memory(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={"note": "피부 관리 안내입니다.\n"})
    run(runner, root, "extract")
    approve_all_by_edit(runner, root, "note", "Skin care guide.")
    shutil.copy(root / "content" / "ko" / "note.md", tmp_path / "old.md")
    (root / "content" / "ko" / "note.md").write_text("새로운 피부 관리 안내입니다.\n", encoding="utf-8")
    run(runner, root, "extract")
    pofile = polib.pofile(str(root / "po" / "en" / "note.po"))
    assert [e.msgstr for e in pofile.obsolete_entries()] == ["Skin care guide."]
    [changed] = pofile.fuzzy_entries()
    assert changed.msgid == "새로운 피부 관리 안내입니다." and changed.msgstr == "Skin care guide."
    assert changed.previous_msgid == "피부 관리 안내입니다."


def test_interactive_review_walks_the_queue(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={"note": "피부 관리 안내입니다.\n\n리프팅 시술 안내입니다.\n"})
    run(runner, root, "extract")
    draft_with_server(runner, root)
    result = runner.invoke(app, ["-C", str(root), "review", "--reviewer", "Kim"], input="a\nr\ntoo literal\n")
    assert result.exit_code == 0, result.output
    assert "source: 피부 관리 안내입니다." in result.output and "glossary: 피부 = skin" in result.output
    first, second = entries(root, "note")
    assert not first.fuzzy and "approved by Kim" in first.tcomment
    assert second.fuzzy and "rejected by Kim" in second.tcomment and "too literal" in second.tcomment


def test_draft_with_the_google_engine(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={"note": "피부 관리 안내입니다.\n"})
    run(runner, root, "extract")
    server = draft_with_server(runner, root, "--engine", "google")
    assert server.received and server.received[0].path.startswith("/m")
    [entry] = entries(root, "note")
    assert entry.msgstr == "Translated text about skin." and "origin: mt:google" in entry.comment


def test_publish_keeps_crlf_line_endings_and_the_bom(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={})
    source = "\ufeff---\r\ntitle: 안내\r\n---\r\n\r\n피부 관리 안내입니다.\r\n\r\n- 항목입니다\r\n"
    (root / "content" / "ko" / "note.md").write_bytes(source.encode("utf-8"))
    run(runner, root, "extract")
    approve_all_by_edit(runner, root, "note", "Skin care.")
    assert run(runner, root, "publish")[0] == 0
    page = (root / "content" / "en" / "note.md").read_bytes()
    assert page.startswith(b"\xef\xbb\xbf---\r\ntitle: Skin care.\r\n")
    assert page.count(b"\r\n") == page.count(b"\n") and b"- Skin care.\r\n" in page


def test_version_and_module_entry_point(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("translate ")
    module = subprocess.run([sys.executable, "-m", "translate", "--help"], capture_output=True, text=True)
    assert module.returncode == 0 and "extract" in module.stdout


def test_a_broken_glossary_is_named_with_its_line(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, glossary="terms:\n  - ko: 피부\n    en: skin\n  - ko: 피부\n    en: dermis\n")
    code, out = run(runner, root, "extract")
    assert code == 2 and "glossary.yaml:4" in out


def test_a_legacy_encoded_article_is_named_with_a_way_out(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path, articles={})
    (root / "content" / "ko" / "old.md").write_bytes("피부 관리 안내입니다.\n".encode("cp949"))
    code, out = run(runner, root, "extract")
    assert code == 2 and "old.md:1" in out and "CP949" in out and "iconv" in out
    assert not (root / "po").exists()


def test_a_slug_outside_the_project_is_refused(runner: CliRunner, project_dir: Path) -> None:
    code, out = run(runner, project_dir, "publish", "--article", "../../etc/passwd")
    assert code == 2 and "is not an article slug" in out
