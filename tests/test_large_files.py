"""Large articles (issue 17): what is written in pieces is what was written whole.

A PO file of a large catalogue is compared with the file on disk and written piece by piece, and
``review list --json`` prints its list row by row; the bytes are those of the whole-text writers.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.helpers import make_project, run
from translate import fileio, po, review
from translate.errors import InputError
from translate.fileio import read_lines, read_text, write_pieces_if_changed
from translate.model import Catalog, Finding, KeptEntry, Severity, State, Unit
from translate.po import render_catalog, render_pieces, save_catalog
from translate.project import Project
from translate.review import queue, queue_stream

OLD_TEXTS = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from("ab\n\r가"), max_size=30).map(lambda text: text.encode("utf-8")),
    st.binary(max_size=20),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=OLD_TEXTS, pieces=st.lists(st.text(alphabet=st.sampled_from("ab\n가"), max_size=6), max_size=8))
def test_a_text_in_pieces_is_written_unless_the_file_holds_it(
    tmp_path: Path, old: bytes | None, pieces: list[str]
) -> None:
    path = tmp_path / "a.po"
    if old is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(old)
    text = "".join(pieces)
    try:
        same = path.read_text(encoding="utf-8") == text  # what a whole-text writer compares
    except (OSError, UnicodeDecodeError):
        same = False
    assert write_pieces_if_changed(path, pieces) is not same
    assert path.read_bytes() == (old if same and old is not None else text.encode("utf-8"))
    assert [p.name for p in tmp_path.iterdir()] == ["a.po"]  # no temporary file left


def big_catalog(count: int) -> Catalog:
    units = []
    for n in range(count):
        state = (State.APPROVED, State.DRAFT, State.UNTRANSLATED, State.REJECTED)[n % 4]
        units.append(
            Unit(
                source=f"피부 관리 {n}번째 문장입니다. " * (1 + n % 5),
                target=f"Skin care sentence number {n}, " * (1 + n % 7) if state is not State.UNTRANSLATED else "",
                state=state,
                locations=[("content/ko/big.md", n + 1)],
                findings=[Finding("numbers", f"number {n} missing", Severity.ERROR)] if n % 9 == 0 else [],
                notes=["glossary: 피부 -> skin"] if n % 3 == 0 else [],
                history=[f"approved by Kim on 2026-11-0{1 + n % 9}"] if state is State.APPROVED else [],
                obsolete=n % 11 == 0,
            )
        )
    kept = [KeptEntry('msgctxt "menu"\nmsgid "메뉴"\nmsgstr "Menu"', "메뉴", "menu")]
    return Catalog("big", "en", "ko", units, {"X-Source-Hash": "abc"}, kept)


@pytest.mark.parametrize("where", ["none", "start", "middle", "end", "longer", "shorter", "crlf"])
def test_a_large_catalogue_is_written_piece_by_piece_as_it_was_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr(po, "STREAMED_ENTRIES", 100)
    catalog = big_catalog(300)
    text = render_catalog(catalog)
    assert "".join(render_pieces(catalog)) == text
    path = tmp_path / "big.po"
    old = {
        "none": None,
        "start": "#" + text,
        "middle": text[: len(text) // 2] + "x" + text[len(text) // 2 + 1 :],
        "end": text[:-2] + "\n",
        "longer": text + "\n",
        "shorter": text[: len(text) // 3],
        "crlf": text.replace("\n", "\r\n"),  # read as text, it is the same: left as it is, as before
    }[where]
    if old is not None:
        path.write_bytes(old.encode("utf-8"))
        os.utime(path, ns=(1, 1))
    written = save_catalog(catalog, path)
    assert written is (where != "crlf")
    assert path.read_bytes() == (text.replace("\n", "\r\n") if where == "crlf" else text).encode("utf-8")
    assert save_catalog(catalog, path) is False  # the same text again: the file is not touched
    if where == "crlf":
        assert path.stat().st_mtime_ns == 1


def test_review_list_json_prints_the_list_json_prints(runner: CliRunner, tmp_path: Path) -> None:
    sentences = [f"피부 관리 {n}회 안내입니다." for n in range(400)]
    root = make_project(tmp_path, articles={"care": "\n\n".join(sentences) + "\n"})
    assert run(runner, root, "extract")[0] == 0
    code, out = run(runner, root, "review", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 400 and rows[0]["source"] == sentences[0] and rows[0]["state"] == "untranslated"
    assert out == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"  # as one json.dumps of the list
    assert len(out) > 1 << 16  # long enough to be printed in several pieces
    (root / "po" / "en" / "care.po").unlink()
    code, out = run(runner, root, "review", "list", "--json")
    assert (code, out) == (0, "[]\n")


KEPT = """
msgctxt "button"
msgid "{source}"
msgstr "Sunscreen!"
"""


def review_site(tmp_path: Path, runner: CliRunner) -> Project:
    """Two articles in two languages: untranslated, drafts with and without errors, an approved unit
    with an error (publish refuses it), an entry with a context next to a unit with the same msgid."""
    articles = {
        slug: "\n\n".join(f"{slug} 피부 관리 {n}회 안내입니다." for n in range(12)) + "\n"
        for slug in ("b-care", "a-care")
    }
    settings = '[tool.translate]\nsource = "ko"\ntargets = ["en", "ja"]\n'
    root = make_project(tmp_path, articles=articles, settings=settings)
    assert run(runner, root, "extract")[0] == 0
    project = Project.open(root)
    for lang in ("en", "ja"):
        for slug in articles:
            path = project.po_path(lang, slug)
            catalog = po.load_catalog(path, article=slug, lang=lang, source_lang="ko")
            for n, unit in enumerate(catalog.units):
                if n % 3 == 1:  # a draft, half of them missing the number (an error)
                    unit.target, unit.state = f"Skin care guide, {n if n % 2 else 'no'} times.", State.DRAFT
                elif n % 6 == 2:  # approved with an error
                    unit.target, unit.state = "Skin care guide.", State.APPROVED
            save_catalog(catalog, path)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(KEPT.format(source=catalog.units[1].source))
    return project


@pytest.mark.parametrize(
    "options",
    [{}, {"states": tuple(State)}, {"lang": "ja"}, {"article": "b-care"}, {"search": "관리 1", "states": tuple(State)}],
    ids=["queue", "all", "one-language", "one-article", "search"],
)
def test_review_list_streamed_lists_what_the_queue_lists(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, options: dict[str, object]
) -> None:
    project = review_site(tmp_path, runner)
    expected = [item.as_json() for item in queue(project, **options)]  # type: ignore[arg-type]
    assert len(expected) > 4 and any(row["kept"] for row in expected)
    errors = [any(f["severity"] == "error" for f in row["findings"]) for row in expected]  # type: ignore[attr-defined]
    assert True in errors and False in errors  # listed errors first
    monkeypatch.setattr(review, "SPOOL_BATCH", 2)  # many batches in the temporary file
    assert [item.as_json() for item in queue_stream(project, **options)] == expected  # type: ignore[arg-type]


def test_review_list_streamed_fails_on_a_broken_file_before_listing_anything(tmp_path: Path, runner: CliRunner) -> None:
    project = review_site(tmp_path, runner)
    path = project.po_path("ja", "b-care")
    path.write_text(path.read_text(encoding="utf-8") + 'msgid "broken\n', encoding="utf-8")
    code, out = run(runner, project.root, "review", "list", "--json")
    assert code == 2 and "b-care.po" in out and not out.startswith("[")


FILE_BYTES = st.one_of(
    st.lists(st.sampled_from(["a", "\n", "\r\n", "\r", "가", "\ufeff", "\u2028", " "]), max_size=20).map(
        lambda pieces: "".join(pieces).encode("utf-8")
    ),
    st.lists(
        st.sampled_from(
            [b"a", b"\n", b"\xef\xbb\xbf", b"\xea\xb0\x80", b"\xea", b"\xb0", b"\x00", b"\xff\xfe", b"\xb0\xa1"]
        ),
        max_size=12,
    ).map(b"".join),
)


def read_outcome(read: object, path: Path) -> object:
    try:
        return list(read(path))  # type: ignore[operator]
    except InputError as exc:
        return ("error", str(exc), exc.line)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=FILE_BYTES, block=st.integers(1, 5))
def test_a_large_file_read_line_by_line_reads_as_read_text(tmp_path: Path, content: bytes, block: int) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(content)
    expected = read_outcome(lambda p: read_text(p)[0].split("\n"), path)
    assert read_outcome(read_lines, path) == expected  # a small file: read whole
    with patch.object(fileio, "WHOLE_FILE", 0), patch.object(fileio, "READ_BLOCK", block):
        assert read_outcome(read_lines, path) == expected  # as a large one: in blocks of a few bytes


def test_every_command_reads_and_writes_a_large_file_as_a_small_one(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command run twice on the same project: as it runs on ordinary files, and with every file
    taken for a large one (PO files read line by line, units one at a time, written in pieces)."""
    project = review_site(tmp_path / "site", runner)
    source = project.root / "content" / "ko" / "a-care.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n새로 추가된 5회 안내 문장입니다.\n", encoding="utf-8")
    commands = [
        ("status", "--json"),
        ("check", "--json"),
        ("review", "list", "--json"),
        ("review", "list", "--all"),
        ("publish",),
        ("extract",),
        ("status", "--json"),
        ("review", "list", "--search", "관리 1"),
    ]
    results: list[list[object]] = []
    for large in (False, True):
        root = tmp_path / f"copy-{large}"
        shutil.copytree(project.root, root)
        with monkeypatch.context() as patched:
            if large:
                patched.setattr(po, "STREAMED_BYTES", 0)
                patched.setattr(po, "STREAMED_ENTRIES", 0)
                patched.setattr(fileio, "WHOLE_FILE", 0)
                patched.setattr(fileio, "READ_BLOCK", 64)
                patched.setattr(review, "SPOOL_BATCH", 3)
            outputs: list[object] = [run(runner, root, *command) for command in commands]
        outputs.append(sorted((p.relative_to(root).as_posix(), p.read_bytes()) for p in (root / "po").rglob("*.po")))
        results.append([str(output).replace(str(root), "ROOT") for output in outputs])
    assert results[0] == results[1]
    listed = json.loads(run(runner, tmp_path / "copy-True", "review", "list", "--json")[1])
    assert {"draft", "untranslated"} <= {row["state"] for row in listed}
    assert "새로 추가된".encode() in (tmp_path / "copy-True" / "po" / "ja" / "a-care.po").read_bytes()
