"""PO entries kept whole and comments kept to one line (issue 17).

Entries translate does not make (a ``msgctxt``, plural forms) survive every command unchanged, as
polib and msgfmt read them; a reviewer's name, a reason or a note never ends a PO line early.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.helpers import make_project, run
from tests.mt_server import LibreServer
from translate import history
from translate.errors import InputError
from translate.model import Catalog, State, Unit, segment_id
from translate.po import _PO_LINE_RE, load_catalog, render_catalog, save_catalog

SUNSCREEN = "시술 후에는 자외선 차단제를 꼭 바르세요."
SIDE_EFFECTS = "모든 시술은 부작용이 발생할 수 있습니다."
ARTICLE = f"""\
---
title: 관리 안내
---

{SUNSCREEN}

{SIDE_EFFECTS}
"""

# What a person or another tool (Poedit, Weblate, msgmerge) may add to a PO file translate wrote.
FOREIGN = f"""
# a translator's note on the button
#. shown on the booking button
#, fuzzy
#| msgctxt "old button"
#| msgid "{SUNSCREEN}"
msgctxt "button"
msgid "{SUNSCREEN}"
msgstr "Sunscreen!"

msgctxt "tooltip"
msgid "{SUNSCREEN}"
msgstr ""
"Put on sunscreen after the procedure, every time, even on a cloudy day: a long line "
"wrapped by another tool."

#, c-format
msgid "사진 %d장"
msgid_plural "사진 %d장들"
msgstr[0] "%d photo"
msgstr[1] "%d photos"

#~ msgctxt "old"
#~ msgid "예전 문장입니다."
#~ msgstr "An old sentence."

#~ msgid "예전 사진 %d장"
#~ msgid_plural "예전 사진 %d장들"
#~ msgstr[0] "%d old photo"
#~ msgstr[1] "%d old photos"
"""

Snapshot = tuple[object, ...]


def snapshot(entry: polib.POEntry) -> Snapshot:
    return (
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural,
        entry.msgstr,
        sorted(entry.msgstr_plural.items()),
        entry.comment,
        entry.tcomment,
        entry.flags,
        entry.previous_msgctxt,
        entry.previous_msgid,
        bool(entry.obsolete),
    )


def foreign(path: Path) -> list[Snapshot]:
    """The entries with a context or plural forms, as gettext tools read them (polib's own reader)."""
    return sorted(
        (snapshot(e) for e in polib.pofile(str(path)) if e.msgctxt is not None or e.msgid_plural),
        key=repr,
    )


def msgfmt_accepts(path: Path) -> None:
    if shutil.which("msgfmt") or os.environ.get("CI"):
        result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.fixture
def site(tmp_path: Path, runner: CliRunner) -> Path:
    root = make_project(tmp_path / "site", articles={"care": ARTICLE})
    assert run(runner, root, "extract")[0] == 0
    po = root / "po" / "en" / "care.po"
    po.write_text(po.read_text(encoding="utf-8") + FOREIGN, encoding="utf-8")
    return root


def test_entries_with_a_context_or_plural_forms_survive_every_command(
    runner: CliRunner, site: Path, mt_server: LibreServer
) -> None:
    po = site / "po" / "en" / "care.po"
    before = foreign(po)
    assert len(before) == 5
    title, sunscreen, side_effects = (segment_id(s) for s in ("관리 안내", SUNSCREEN, SIDE_EFFECTS))
    steps: list[tuple[tuple[str, ...], set[int]]] = [
        (("extract",), {0}),
        (("draft", "--url", mt_server.url), {0, 1}),
        (("review", "list", "--all"), {0}),
        (("review", "approve", "--all", "--force"), {0, 1}),
        (("review", "reject", title, "--reason", "Say it in English."), {0}),
        (("review", "edit", title, "--text", "Aftercare", "--force"), {0}),
        (("review", "edit", sunscreen, "--text", "Put on sunscreen after the procedure.", "--force"), {0}),
        (("review", "edit", side_effects, "--text", "Every procedure can have side effects.", "--force"), {0}),
        (("status",), {0, 1}),
        (("check",), {0, 1}),
        (("publish",), {0}),
        (("extract",), {0}),
        (("sync", "--no-draft"), {0}),
    ]
    for args, codes in steps:
        code, output = run(runner, site, *args)
        assert code in codes, (args, output)
        assert foreign(po) == before, args
        msgfmt_accepts(po)
    page = (site / "content" / "en" / "care.md").read_text(encoding="utf-8")
    assert "Put on sunscreen after the procedure." in page and "Sunscreen!" not in page  # kept entries never publish
    ours = {e.msgid: e for e in polib.pofile(str(po)) if e.msgctxt is None and not e.msgid_plural}
    assert not ours[SUNSCREEN].fuzzy and "edited and approved by" in ours[SUNSCREEN].tcomment


def test_approving_next_to_entries_with_contexts_keeps_the_next_extract_working(runner: CliRunner, site: Path) -> None:
    """The reported case: approve dropped msgctxt, so the next extract found the msgid twice."""
    po = site / "po" / "en" / "care.po"
    code, _ = run(
        runner,
        site,
        "review",
        "edit",
        segment_id(SUNSCREEN),
        "--text",
        "Put on sunscreen after the procedure.",
        "--force",
    )
    assert code == 0
    contexts = [e.msgctxt for e in polib.pofile(str(po)) if e.msgid == SUNSCREEN]
    assert sorted(contexts, key=str) == [None, "button", "tooltip"]
    assert run(runner, site, "extract")[0] == 0
    assert run(runner, site, "review", "approve", "--all", "--force")[0] == 0


def test_review_list_says_when_a_sentence_also_has_an_entry_translate_leaves_alone(
    runner: CliRunner, site: Path
) -> None:
    code, output = run(runner, site, "review", "list")
    assert code == 0
    assert "also has this sentence with msgctxt 'button'" in output and "never reviews or publishes them" in output
    code, output = run(runner, site, "review", "list", "--json")
    [item] = [i for i in json.loads(output) if i["source"] == SUNSCREEN]
    assert [k["context"] for k in item["kept"]] == ["button", "tooltip"]


def test_a_kept_entry_is_written_back_as_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    long_comment = "# " + "a translator comment longer than a line, which polib would wrap " * 3
    text = render_catalog(Catalog("a", "en", "ko", [Unit(SIDE_EFFECTS, "Side effects.", State.DRAFT)]))
    odd = f'\n{long_comment.rstrip()}\nmsgctxt "x"\nmsgid ""\n"{SUNSCREEN}"\nmsgstr "Sunscreen."\n'
    path.write_text(text + odd, encoding="utf-8")
    catalog = load_catalog(path, article="a", lang="en", source_lang="ko")
    [kept] = catalog.kept
    assert (kept.context, kept.source, kept.po_line) == ("x", SUNSCREEN, text.count("\n") + 2)
    assert [u.source for u in catalog.units] == [SIDE_EFFECTS]
    catalog.units[0].state = State.APPROVED
    save_catalog(catalog, path)
    assert odd.strip() in path.read_text(encoding="utf-8")  # byte for byte, the long comment not wrapped
    again = load_catalog(path, article="a", lang="en", source_lang="ko")
    assert again.kept == catalog.kept and again.units[0].state is State.APPROVED


# --- nothing injected -----------------------------------------------------------------------------

EVIL = 'Kim\u2028msgid "injected"\u2028msgstr "x"\u2029\x1b[31m\x00\x85\u202e'


def entries_as_others_read(path: Path) -> list[polib.POEntry]:
    """polib's own reader ends lines wherever str.splitlines does (U+2028 too), as some editors do."""
    return list(polib.pofile(path.read_text(encoding="utf-8")))


def test_a_reviewer_name_with_line_separators_stays_on_its_line(runner: CliRunner, site: Path) -> None:
    po = site / "po" / "en" / "care.po"
    sunscreen, side_effects = segment_id(SUNSCREEN), segment_id(SIDE_EFFECTS)
    code, output = run(
        runner, site, "review", "edit", sunscreen, "--text", "Put on sunscreen after the procedure.", "--reviewer", EVIL
    )
    assert code == 0, output
    run(
        runner,
        site,
        "review",
        "edit",
        side_effects,
        "--text",
        "Every procedure can have side effects.",
        "--reviewer",
        "Lee",
        "--force",
    )
    code, output = run(
        runner, site, "review", "reject", side_effects, "--reason", 'No.\u2028msgid "y"\x07', "--reviewer", EVIL
    )
    assert code == 0, output
    code, output = run(runner, site, "review", "list", "--all", "--json")
    states = {i["source"]: (i["state"], i["history"][-1]) for i in json.loads(output) if i["history"]}
    assert states[SUNSCREEN][0] == "approved" and states[SIDE_EFFECTS][0] == "rejected"  # as reported
    name = 'Kim msgid "injected" msgstr "x" [31m'
    assert history.parse(states[SUNSCREEN][1]).who == name
    rejected = history.parse(states[SIDE_EFFECTS][1])
    assert (rejected.who, rejected.reason) == (name, 'No. msgid "y"')
    others = entries_as_others_read(po)
    assert "injected" not in {e.msgid for e in others} and "y" not in {e.msgid for e in others}
    assert len([e for e in others if e.msgctxt is None and not e.msgid_plural]) == 3
    text = po.read_text(encoding="utf-8")
    assert not any(c in text for c in "\u2028\u2029\x1b\x00\x85\u202e\x07")
    msgfmt_accepts(po)


def test_reviewer_names_are_bounded_and_an_empty_one_is_refused(runner: CliRunner, site: Path) -> None:
    sunscreen = segment_id(SUNSCREEN)
    code, output = run(
        runner,
        site,
        "review",
        "edit",
        sunscreen,
        "--text",
        "Put on sunscreen after the procedure.",
        "--reviewer",
        "\u2028 \x1b",
    )
    assert code == 2 and "the reviewer's name is empty" in output
    code, _ = run(
        runner,
        site,
        "review",
        "edit",
        sunscreen,
        "--text",
        "Put on sunscreen after the procedure.",
        "--reviewer",
        "K" * 5000,
    )
    assert code == 0
    [unit] = [u for u in load_catalog(site / "po/en/care.po", article="care", lang="en", source_lang="ko").units
              if u.source == SUNSCREEN]  # fmt: skip
    who = history.parse(unit.history[-1]).who
    assert who is not None and len(who) == history.NAME_LIMIT and who.endswith("\u2026")


def test_every_comment_translate_writes_is_one_safe_line(tmp_path: Path) -> None:
    unit = Unit(
        SUNSCREEN,
        "Put on sunscreen after the procedure.",
        State.DRAFT,
        origin='edit:Kim\u2028msgid "o"',
        notes=['glossary: 자외선 = UV\u2029msgid "n"'],
        history=["edited by Kim\x1b]0;title\x07 on 2026-11-25T10:00:00Z"],
    )
    path = tmp_path / "a.po"
    save_catalog(Catalog("a", "en", "ko", [unit]), path)
    others = entries_as_others_read(path)
    assert [e.msgid for e in others] == [SUNSCREEN]
    [back] = load_catalog(path, article="a", lang="en", source_lang="ko").units
    assert back.origin == 'edit:Kim msgid "o"' and back.notes == ['glossary: 자외선 = UV msgid "n"']
    assert back.history == ["edited by Kim ]0;title on 2026-11-25T10:00:00Z"]
    msgfmt_accepts(path)


# --- the syntax check on one huge line ----------------------------------------------------------

_OLD_PO_LINE_RE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"$')


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(['"', "\\", "a", " ", "가", "msgid ", "msgstr[0] ", "\\n", '\\"']), max_size=12))
def test_the_linear_syntax_check_accepts_exactly_what_the_old_one_did(parts: list[str]) -> None:
    line = "".join(parts)
    assert bool(_PO_LINE_RE.match(line)) == bool(_OLD_PO_LINE_RE.match(line))


_PEAK = """
import sys
from pathlib import Path
from translate.po import load_catalog

def peak():
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) // 1024

before = peak()
load_catalog(Path(sys.argv[1]), article="a", lang="en", source_lang="ko")
print(peak() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_po_file_with_one_huge_line_is_read_in_memory_linear_in_its_size(tmp_path: Path) -> None:
    """One 5 MB msgstr line took 600 MB in the syntax check (2.4 GB for 20 MB); now a few times its size."""
    path = tmp_path / "a.po"
    path.write_text(f'msgid ""\nmsgstr ""\n\nmsgid "피부 관리"\nmsgstr "{"Skin care. " * 500_000}"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    assert int(result.stdout) < 60  # MB over what the interpreter had; the line alone is 5.5 MB
    broken = path.read_text(encoding="utf-8").replace('care. "\n', "care. \n")  # unterminated: still refused
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(InputError, match="not valid PO syntax"):
        load_catalog(path, article="a", lang="en", source_lang="ko")
