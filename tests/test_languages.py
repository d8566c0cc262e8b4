"""More languages, and sync: a three-language project round trip, sources edited between runs."""

from __future__ import annotations

import json
from pathlib import Path

import polib
from typer.testing import CliRunner

from tests.helpers import make_project, run
from tests.mt_server import LibreServer

SETTINGS = '[tool.translate]\ntargets = ["en", "ja", "zh-CN"]\n'
GLOSSARY = """\
terms:
  - ko: 엠페이스
    en: Emface
    ja: エムフェイス
    zh-CN: 艾姆菲斯
    keep: false
  - ko: 부작용
    en: side effects
    ja: 副作用
    zh-CN: 副作用
"""
ARTICLE = (
    "---\ntitle: 엠페이스 안내\n---\n\n엠페이스는 리프팅 장비입니다.\n\n모든 시술은 부작용이 발생할 수 있습니다.\n"
)
WORDS = {
    "en": {
        "엠페이스 안내": "About Emface",
        "엠페이스는 리프팅": "Emface is a lifting device.",
        "부작용": "Every procedure can have side effects.",
        "새": "New sentence.",
    },
    "ja": {
        "엠페이스 안내": "エムフェイスのご案内",
        "엠페이스는 리프팅": "エムフェイスはリフティング機器です。",
        "부작용": "すべての施術には副作用が起こり得ます。",
        "새": "新しい文です。",
    },
    "zh": {
        "엠페이스 안내": "艾姆菲斯介绍",
        "엠페이스는 리프팅": "艾姆菲斯是一种提升设备。",
        "부작용": "所有手术都可能产生副作用。",
        "새": "新句子。",
    },
}


def fake_mt(q: str, source: str, target: str) -> str:
    table = WORDS[target.split("-")[0].lower()]
    return next(text for key, text in table.items() if key in q)


def rows(runner: CliRunner, root: Path) -> dict[str, dict[str, object]]:
    return {r["lang"]: r for r in json.loads(run(runner, root, "status", "--json")[1])}


def test_a_three_language_project_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles={"emface": ARTICLE}, settings=SETTINGS, glossary=GLOSSARY)
    with LibreServer(translate=fake_mt) as server:
        code, out = run(runner, root, "sync", "--url", server.url)
    assert code == 1 and "3 to review" in out and "0 of 3 article pages up to date" in out
    assert {p.name for p in (root / "po").iterdir()} == {"en", "ja", "zh-CN"}
    header = polib.pofile(str(root / "po" / "zh-CN" / "emface.po")).metadata
    assert header["Language"] == "zh_CN"

    assert run(runner, root, "review", "approve", "--all", "--reviewer", "Kim")[0] == 0
    code, out = run(runner, root, "sync", "--no-draft")
    assert code == 0, out
    assert "3 of 3 article pages up to date" in out
    pages = {
        lang: (root / "content" / lang / "emface.md").read_text(encoding="utf-8") for lang in ("en", "ja", "zh-cn")
    }
    assert "title: About Emface" in pages["en"] and "エムフェイスはリフティング機器です。" in pages["ja"]
    assert "所有手术都可能产生副作用。" in pages["zh-cn"] and 'translationKey: "emface"' in pages["zh-cn"]
    assert not (root / "content" / "zh-CN").exists()
    assert run(runner, root, "status", "--check")[0] == 0

    # the Korean changes: every language shows it, sync drafts the new sentence everywhere
    (root / "content" / "ko" / "emface.md").write_text(ARTICLE + "\n새 문장입니다.\n", encoding="utf-8")
    assert {r["page"] for r in rows(runner, root).values()} == {"source changed"}
    code, out = run(runner, root, "status", "--check")
    assert code == 1 and "stale: emface [zh-CN]" in out
    with LibreServer(translate=fake_mt) as server:
        code, out = run(runner, root, "sync", "--url", server.url)
    assert code == 1 and "1 by machine translation" not in out and "3 by machine translation" in out
    assert all(r["approved"] == 3 and r["draft"] == 1 for r in rows(runner, root).values())
    assert "New sentence." not in (root / "content" / "en" / "emface.md").read_text(encoding="utf-8")

    run(runner, root, "review", "approve", "--all", "--lang", "ja", "--reviewer", "Kim")
    code, out = run(runner, root, "sync", "--no-draft", "--lang", "ja")
    assert code == 0 and "新しい文です。" in (root / "content" / "ja" / "emface.md").read_text(encoding="utf-8")
    assert rows(runner, root)["en"]["next"] == "review" and rows(runner, root)["ja"]["next"] == "-"


def test_sync_never_overwrites_a_hand_edit_and_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    root = make_project(tmp_path / "site", articles={"emface": ARTICLE}, settings=SETTINGS, glossary=GLOSSARY)
    with LibreServer(translate=fake_mt) as server:
        run(runner, root, "sync", "--url", server.url)
    run(runner, root, "review", "approve", "--all", "--reviewer", "Kim")
    run(runner, root, "sync", "--no-draft")
    page = root / "content" / "en" / "emface.md"
    edited = page.read_text(encoding="utf-8").replace("Emface is a lifting device.", "Emface is a lifting system.")
    page.write_text(edited, encoding="utf-8")
    (root / "content" / "ko" / "emface.md").write_text(
        ARTICLE.replace("엠페이스 안내", "엠페이스 시술 안내"), encoding="utf-8"
    )
    with LibreServer(translate=fake_mt) as server:
        code, out = run(runner, root, "sync", "--url", server.url)
    assert code == 1 and "waiting: emface [en]: edited by hand; 1 to review; next: translate absorb" in out
    assert page.read_text(encoding="utf-8") == edited
