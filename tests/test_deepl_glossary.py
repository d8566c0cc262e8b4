"""DeepL with glossaries made from glossary.yaml, and inline markup as XML tags, against the local
DeepL imitation (tests/deepl_server.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from tests.deepl_server import DeeplServer
from tests.helpers import cli as run
from tests.helpers import make_project
from translate.deepl_glossary import glossary_name
from translate.engines import from_deepl_xml, to_deepl_xml

GLOSSARY = """\
terms:
  - ko: 리프팅
    en: lifting
  - ko: 울쎄라
    en: Ulthera
    keep: true
  - ko: 부기
    en: swelling
"""
ARTICLE = {
    "care": "울쎄라 리프팅 후에는 부기가 생길 수 있습니다.\n\n자세한 내용은 [상담 & 예약](/book)에서 확인하세요.\n"
}
FIRST = "울쎄라 리프팅 후에는 부기가 생길 수 있습니다."
LINKED = "자세한 내용은 [상담 & 예약](/book)에서 확인하세요."


@pytest.fixture(autouse=True)
def _deepl_key(local_mt_only: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPL_API_KEY", "deepl-key")


@pytest.fixture
def server() -> Iterator[DeeplServer]:
    with DeeplServer() as running:
        yield running


def site(tmp_path: Path, server: DeeplServer, glossary: str = GLOSSARY) -> Path:
    settings = f'[tool.translate]\nretries = 0\nengine = "deepl"\nengine_url = "{server.deepl_url}"\n'
    root = make_project(tmp_path / "site", articles=ARTICLE, settings=settings, glossary=glossary)
    assert run(root, "extract")[0] == 0
    return root


def translations(server: DeeplServer) -> list[dict[str, str]]:
    return [r.params for r in server.received if r.path == "/deepl/v2/translate"]


def po(root: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(root / "po" / "en" / "care.po"))}


def test_a_glossary_is_created_from_glossary_yaml_and_passed_with_every_request(
    tmp_path: Path, server: DeeplServer
) -> None:
    root = site(tmp_path, server)
    code, output = run(root, "draft")
    assert code == 0, output
    (glossary,) = server.glossaries.values()
    pairs = [("리프팅", "lifting"), ("울쎄라", "Ulthera"), ("부기", "swelling")]
    assert glossary["name"] == glossary_name("ko", "en", pairs) and glossary["name"].startswith("translate ko-en ")
    assert glossary["pairs"] == dict(pairs) and (glossary["source_lang"], glossary["target_lang"]) == ("ko", "en")
    assert f"glossary '{glossary['name']}' with 3 terms created" in output
    sent = translations(server)
    assert len(sent) == 2 and all(
        p["glossary_id"] == glossary["glossary_id"] and p["tag_handling"] == "xml" for p in sent
    )
    assert "    glossary: 1 of 1 draft with glossary terms used every one as it came (100%)" in output
    assert po(root)[FIRST].msgstr.startswith("Ulthera lifting")


def test_inline_markup_goes_as_xml_tags(tmp_path: Path, server: DeeplServer) -> None:
    root = site(tmp_path, server)
    assert run(root, "draft")[0] == 0
    linked = next(p["text"] for p in translations(server) if "x i=" in p["text"])
    assert linked == '자세한 내용은 <x i="0"/>상담 &amp; 예약<x i="1"/>에서 확인하세요.'
    draft = po(root)[LINKED].msgstr
    assert "[sangdam & yeyak](/book)" in draft and "&amp;" not in draft and "<x" not in draft


def test_the_glossary_is_reused_while_unchanged_and_replaced_when_it_changes(
    tmp_path: Path, server: DeeplServer
) -> None:
    server.glossaries["foreign"] = {
        "glossary_id": "foreign",
        "name": "clinic terms",
        "source_lang": "ko",
        "target_lang": "en",
        "pairs": {},
    }
    root = site(tmp_path, server)
    assert run(root, "draft")[0] == 0
    first = next(g for g in server.glossaries if g != "foreign")
    code, output = run(root, "draft", "--redraft")
    assert code == 0 and "created" not in output and "reused (glossary.yaml unchanged)" in output
    assert [r.method for r in server.received if "glossaries" in r.path] == ["GET", "POST", "GET"]
    (root / "glossary.yaml").write_text(GLOSSARY + "  - ko: 예약\n    en: booking\n", encoding="utf-8")
    code, output = run(root, "draft", "--redraft")
    assert code == 0 and "with 4 terms created; replaced translate ko-en " in output
    assert set(server.glossaries) == {"foreign", next(g for g in server.glossaries if g not in ("foreign", first))}
    assert all(p["glossary_id"] != first for p in translations(server)[-2:])


def test_a_full_account_says_what_to_do_and_drafts_without_a_glossary(tmp_path: Path) -> None:
    with DeeplServer(glossary_limit=0) as server:
        root = site(tmp_path, server)
        code, output = run(root, "draft")
        sent = translations(server)
    assert code == 0, output
    assert "no DeepL glossary is used" in output and "HTTP 456 (the account's glossary limit is reached)" in output
    assert "translate's own are named 'translate …'" in output and "deepl-key" not in output
    assert len(sent) == 2 and all("glossary_id" not in p for p in sent)


def test_an_entry_too_long_for_deepl_is_left_out_and_named(tmp_path: Path, server: DeeplServer) -> None:
    long_term = "가" * 400  # 1,200 bytes of UTF-8
    root = site(tmp_path, server, GLOSSARY + f"  - ko: {long_term}\n    en: x\n")
    code, output = run(root, "draft")
    assert (
        code == 0
        and f"left out of the DeepL glossary (longer than DeepL allows, or a line break): {long_term}" in output
    )
    (glossary,) = server.glossaries.values()
    assert long_term not in glossary["pairs"] and len(glossary["pairs"]) == 3


def test_a_refused_key_for_glossaries_is_a_note_not_a_crash(
    tmp_path: Path, server: DeeplServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = site(tmp_path, server)
    monkeypatch.setenv("DEEPL_API_KEY", "wrong-key")
    code, output = run(root, "draft")
    assert code == 3 and "the key was refused; check DEEPL_API_KEY" in output and "wrong-key" not in output


@pytest.mark.parametrize(
    ("text", "xml"),
    [
        ("⟦0⟧상담⟦1⟧", '<x i="0"/>상담<x i="1"/>'),
        ("A & B < C", "A &amp; B &lt; C"),
        ("없음", "없음"),
    ],
)
def test_xml_tokens_round_trip(text: str, xml: str) -> None:
    assert to_deepl_xml(text) == xml and from_deepl_xml(xml) == text
    assert from_deepl_xml('<x i="3"></x>') == "⟦3⟧"
