"""The bad-input corpus: what users really feed the tool, and what it must answer.

Each case lays files over a small valid project (one good article, already extracted), runs one
command, and states the exit code and a piece of the one-paragraph message. Unless a case says
``changes=True``, no file of the project may change. Exit codes: 0 ok, 1 needs attention, 2 bad
input, 4 busy (see README, "When something goes wrong").
"""

from __future__ import annotations

from dataclasses import dataclass, field

GOOD_ARTICLE = "---\ntitle: 피부 관리 안내\n---\n\n피부 관리 안내입니다.\n\n- 첫째 항목입니다\n"
GLOSSARY = "terms:\n  - ko: 피부\n    en: skin\n  - ko: 리프팅\n    en: lifting\n"
KOREAN = "피부 관리 안내입니다.\n"


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes | None]  # path -> text, bytes, or None to delete
    command: tuple[str, ...]
    exit_code: int
    message: str
    changes: bool = False  # True: the command may (and should) write files
    links: dict[str, str] = field(default_factory=dict)  # path -> symlink target
    edits: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (old text, new text)
    fifos: tuple[str, ...] = ()  # named pipes to make (a command that opens one for reading would hang)


def po(body: str, header: str = '"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n') -> str:
    return f'msgid ""\nmsgstr ""\n{header}\n{body}'


GOOD_PO_ENTRY = '#: content/ko/good.md:5\nmsgid "피부 관리 안내입니다."\nmsgstr "Skin care guide."\n'

CASES: list[Case] = [
    # --- articles ---------------------------------------------------------------------------
    Case("cp949-article", {"content/ko/old.md": KOREAN.encode("cp949")}, ("extract",), 2, "--encoding cp949"),
    Case(
        "euc-kr-article", {"content/ko/old.md": "피부 안내입니다.\n".encode("euc-kr")}, ("extract",), 2, "CP949/EUC-KR"
    ),
    Case(
        "cp949-with-encoding-option",
        {"content/ko/old.md": KOREAN.encode("cp949")},
        ("--encoding", "cp949", "extract"),
        0,
        "1 PO file updated",
        changes=True,
    ),
    Case(
        "toml-front-matter",
        {"content/ko/toml.md": '+++\ntitle = "안내"\n+++\n\n본문입니다.\n'},
        ("extract",),
        2,
        "TOML",
    ),
    Case("unknown-encoding-option", {}, ("--encoding", "klingon", "extract"), 2, "unknown encoding 'klingon'"),
    Case("utf16-article", {"content/ko/old.md": "\ufeff한글\n".encode("utf-16-le")}, ("extract",), 2, "UTF-16"),
    Case(
        "wrong-encoding-option",
        {"content/ko/old.md": KOREAN.encode("cp949")},
        ("--encoding", "ascii", "extract"),
        2,
        "neither UTF-8 nor ascii",
    ),
    Case("truncated-utf8", {"content/ko/old.md": KOREAN.encode() + b"\n\n\xed\x94"}, ("extract",), 2, "old.md:4"),
    Case("latin-1-article", {"content/ko/old.md": "caf\xe9\n".encode("latin-1")}, ("extract",), 2, "not valid UTF-8"),
    Case(
        "utf8-bom-article",
        {"content/ko/bom.md": b"\xef\xbb\xbf" + KOREAN.encode()},
        ("extract",),
        0,
        "1 PO file updated",
        changes=True,
    ),
    Case(
        "crlf-article",
        {"content/ko/crlf.md": KOREAN.replace("\n", "\r\n").encode()},
        ("extract",),
        0,
        "1 PO file updated",
        changes=True,
    ),
    Case(
        "binary-article",
        {"content/ko/image.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        ("extract",),
        2,
        "binary file",
    ),
    Case("empty-article", {"content/ko/empty.md": ""}, ("extract",), 0, "1 PO file updated", changes=True),
    Case("whitespace-article", {"content/ko/blank.md": "\n \n\t\n"}, ("extract",), 0, "updated", changes=True),
    Case(
        "front-matter-only",
        {"content/ko/fm.md": "---\ntitle: 제목입니다\n---\n"},
        ("extract",),
        0,
        "updated",
        changes=True,
    ),
    Case(
        "broken-front-matter",
        {"content/ko/bad.md": "---\ntitle: [unclosed\n---\n\n본문입니다.\n"},
        ("extract",),
        2,
        "front matter is not valid YAML",
    ),
    Case(
        "front-matter-tab", {"content/ko/bad.md": "---\ntitle: 안내\n\tdate: 2026\n---\n"}, ("extract",), 2, "bad.md:3"
    ),
    Case(
        "front-matter-list",
        {"content/ko/bad.md": "---\n- a\n- b\n---\n\n본문입니다.\n"},
        ("extract",),
        2,
        "must be a YAML mapping",
    ),
    Case(
        "front-matter-unclosed",
        {"content/ko/bad.md": "---\ntitle: 안내\n\n본문입니다.\n"},
        ("extract",),
        2,
        "front matter is not closed",
    ),
    Case(
        "front-matter-impossible-date",
        {"content/ko/bad.md": "---\ntitle: 안내\ndate: 2026-01-03\nupdated: 2026-02-30\n---\n\n본문입니다.\n"},
        ("extract",),
        2,
        "bad.md:4: the front matter has a value that cannot be read (day is out of range for month)",
    ),
    Case(
        "front-matter-unsafe-tag",
        {"content/ko/bad.md": "---\ntitle: !!python/object/apply:os.system ['ls']\n---\n\n본문입니다.\n"},
        ("extract",),
        2,
        "not plain data",
    ),
    Case(
        "front-matter-duplicate-key",
        {"content/ko/bad.md": "---\ntitle: 가\ntitle: 나\n---\n"},
        ("extract",),
        0,
        "updated",
        changes=True,
    ),
    Case(
        "long-single-line",
        {"content/ko/long.md": "피부 관리 안내입니다. " * 200_000 + "\n"},
        ("extract",),
        0,
        "updated",
        changes=True,
    ),
    Case(
        "unclosed-code-fence",
        {"content/ko/code.md": "안내입니다.\n\n```\n코드\n\n끝입니다.\n"},
        ("extract",),
        0,
        "updated",
        changes=True,
    ),
    Case(
        "nested-lists",
        {"content/ko/nested.md": "- 첫째입니다\n  - 안쪽입니다\n    1. 더 안쪽입니다\n"},
        ("extract",),
        0,
        "updated",
        changes=True,
    ),
    Case(
        "html-block",
        {"content/ko/html.md": '<div class="x">\n<p>피부</p>\n</div>\n\n본문입니다.\n'},
        ("extract",),
        0,
        "updated",
        changes=True,
    ),
    Case(
        "shortcodes",
        {"content/ko/sc.md": "{{< youtube abc >}}\n\n{{% note %}}\n주의하세요.\n{{% /note %}}\n"},
        ("extract",),
        0,
        "updated",
        changes=True,
    ),
    Case(
        "nfd-hangul",
        {"content/ko/nfd.md": "\u1111\u1175\u1107\u116e 관리입니다.\n"},
        ("extract",),
        0,
        "updated",
        changes=True,
    ),
    Case(
        "not-markdown-files-ignored",
        {"content/ko/photo.jpg": b"\xff\xd8\xff\xe0", "content/ko/notes.txt": "메모"},
        ("extract",),
        0,
        "0 PO files updated",
    ),
    # --- PO files damaged by hand -------------------------------------------------------------
    Case(
        "po-unterminated-string",
        {"po/en/good.po": po('msgid "피부 관리 안내입니다."\nmsgstr "Skin care\n')},
        ("status",),
        2,
        "good.po:7: this line is not valid PO syntax",
    ),
    Case("po-garbage-line", {"po/en/good.po": po("this is not po\n" + GOOD_PO_ENTRY)}, ("status",), 2, "good.po:6"),
    Case(
        "po-missing-msgstr",
        {"po/en/good.po": po('msgid "피부 관리 안내입니다."\n\nmsgid "b"\nmsgstr ""\n')},
        ("status",),
        2,
        "good.po",
    ),
    Case("po-duplicate-entry", {"po/en/good.po": po(GOOD_PO_ENTRY + "\n" + GOOD_PO_ENTRY)}, ("status",), 2, "twice"),
    Case(
        "po-bad-plural-forms",
        {"po/en/good.po": po(GOOD_PO_ENTRY, '"Plural-Forms: nplurals=two; plural=n;\\n"\n')},
        ("status",),
        2,
        "good.po:3: the Plural-Forms header",
    ),
    Case(
        "po-not-utf8",
        {"po/en/good.po": po('msgid "caf"\nmsgstr "café"\n').encode("latin-1")},
        ("status",),
        2,
        "not valid UTF-8",
    ),
    Case("po-binary-mo", {"po/en/good.po": b"\xde\x12\x04\x95\x00\x00\x00\x00"}, ("status",), 2, "binary file"),
    Case("po-unknown-keyword", {"po/en/good.po": po('msgid "a"\nmsgstring "b"\n')}, ("publish",), 2, "good.po:7"),
    Case(
        "po-msgid-edited-by-hand",
        {},
        ("extract",),
        2,
        "good.po:",
        edits={"po/en/good.po": ('msgid "피부 관리 안내입니다."', 'msgid "피부 관리 안내 입니다."')},
    ),
    Case(
        "po-damaged-other-article-still-extracted",
        {"content/ko/second.md": "두 번째 글입니다.\n", "po/en/good.po": po('msgid "a"\nmsgstr "b\n')},
        ("extract",),
        2,
        "(the other 1 article was processed)",
        changes=True,
    ),
    Case("po-empty-file", {"po/en/good.po": ""}, ("status",), 0, "good"),
    Case(
        "po-crlf-and-bom",
        {"po/en/good.po": b"\xef\xbb\xbf" + po(GOOD_PO_ENTRY).replace("\n", "\r\n").encode()},
        ("status",),
        0,
        "good",
    ),
    # --- glossary.yaml -------------------------------------------------------------------------
    Case(
        "glossary-syntax", {"glossary.yaml": "terms:\n  - ko: 피부\n    en: [skin\n"}, ("extract",), 2, "glossary.yaml:"
    ),
    Case(
        "glossary-duplicate",
        {"glossary.yaml": GLOSSARY + "  - ko: 피부\n    en: dermis\n"},
        ("extract",),
        2,
        "glossary.yaml:6",
    ),
    Case(
        "glossary-empty-target",
        {"glossary.yaml": "terms:\n  - ko: 피부\n    en: ''\n"},
        ("extract",),
        2,
        "glossary.yaml:3",
    ),
    Case(
        "glossary-unknown-key",
        {"glossary.yaml": "terms:\n  - ko: 피부\n    en: skin\n    colour: red\n"},
        ("extract",),
        2,
        "colour",
    ),
    Case(
        "glossary-unknown-language",
        {"glossary.yaml": GLOSSARY + "  - ko: 콜라겐\n    eng: collagen\n"},
        ("extract",),
        2,
        'glossary.yaml:7: "eng" is not a target language of this project (targets: en)',
    ),
    Case(
        "glossary-language-not-a-target",
        {"glossary.yaml": "terms:\n  - ko: 피부\n    en: skin\n    ja: 肌\n"},
        ("check",),
        2,
        "glossary.yaml:4",
    ),
    Case("glossary-terms-not-list", {"glossary.yaml": "terms:\n  피부: skin\n"}, ("extract",), 2, "glossary.yaml:"),
    Case("glossary-top-level-list", {"glossary.yaml": "- ko: 피부\n  en: skin\n"}, ("extract",), 2, "glossary.yaml:1"),
    Case(
        "glossary-unsafe-tag",
        {"glossary.yaml": "terms: !!python/object/apply:os.system ['ls']\n"},
        ("extract",),
        2,
        "glossary.yaml:1",
    ),
    Case(
        "glossary-forbidden-not-mapping",
        {"glossary.yaml": "terms:\n  - ko: 피부\n    en: skin\n    forbidden: [x]\n"},
        ("extract",),
        2,
        "glossary.yaml:4",
    ),
    Case(
        "glossary-blank-term",
        {"glossary.yaml": "terms:\n  - ko: '  '\n    en: skin\n"},
        ("extract",),
        2,
        "glossary.yaml:2",
    ),
    Case(
        "glossary-not-utf8",
        {"glossary.yaml": "terms:\n  - ko: 피부\n    en: skin\n".encode("cp949")},
        ("extract",),
        2,
        "glossary.yaml",
    ),
    Case(
        "glossary-substring-terms",
        {"glossary.yaml": "terms:\n  - ko: 리프팅\n    en: lifting\n  - ko: 실리프팅\n    en: thread lift\n"},
        ("extract",),
        0,
        "1 PO file updated",
        changes=True,
    ),
    Case("glossary-missing", {"glossary.yaml": None}, ("extract",), 0, "1 PO file updated", changes=True),
    # --- settings ------------------------------------------------------------------------------
    Case(
        "settings-toml-syntax",
        {"pyproject.toml": "[tool.translate\ntargets = ['en']\n"},
        ("status",),
        2,
        "cannot parse pyproject.toml",
    ),
    Case(
        "settings-shortcodes-not-a-list",
        {"pyproject.toml": "[tool.translate.shortcodes]\nnotice = 'title'\n"},
        ("extract",),
        2,
        '[tool.translate.shortcodes] notice must be a list of parameter names, e.g. notice = ["title"]',
    ),
    Case(
        "settings-shortcodes-not-a-table",
        {"pyproject.toml": "[tool.translate]\nshortcodes = ['notice']\n"},
        ("extract",),
        2,
        "[tool.translate] shortcodes has the wrong type",
    ),
    Case(
        "settings-unknown-key",
        {"pyproject.toml": "[tool.translate]\ncolour = 'red'\n"},
        ("status",),
        2,
        "unknown setting(s) colour",
    ),
    Case(
        "settings-source-in-targets",
        {"pyproject.toml": "[tool.translate]\ntargets = ['en', 'ko']\n"},
        ("status",),
        2,
        "includes the source language",
    ),
    Case(
        "settings-bad-language",
        {"pyproject.toml": "[tool.translate]\ntargets = ['English']\n"},
        ("status",),
        2,
        "not a language code",
    ),
    Case("settings-wrong-type", {"pyproject.toml": "[tool.translate]\ntargets = 'en'\n"}, ("status",), 2, "wrong type"),
    Case(
        "settings-unknown-check",
        {"pyproject.toml": "[tool.translate.checks]\nspelling = 'off'\n"},
        ("check",),
        2,
        "unknown check 'spelling'",
    ),
    Case(
        "settings-po-dir-outside",
        {"pyproject.toml": "[tool.translate]\npo_dir = '../elsewhere'\n"},
        ("extract",),
        2,
        "leads outside the project",
    ),
    Case(
        "settings-bad-front-matter-key-path",
        {"pyproject.toml": "[tool.translate]\nfront_matter_keys = ['title', 'faq..question']\n"},
        ("extract",),
        2,
        "front_matter_keys: 'faq..question' is not a key or key path",
    ),
    # --- published pages -------------------------------------------------------------------------
    Case(
        "page-broken-front-matter",
        {"content/en/good.md": '---\ntitle: "Skin guide"translationKey: "good"\n---\n\nSkin care guide.\n'},
        ("check",),
        2,
        "content/en/good.md:2: the front matter is not valid YAML",
    ),
    Case(
        "page-korean-in-a-title-attribute",
        {"content/en/good.md": '---\ntitle: Skin\n---\n\n<abbr title="피부">Skin</abbr> care guide.\n'},
        ("check",),
        1,
        "good.md:5: error untranslated-korean: Korean text left untranslated: 피부 (the HTML title attribute)",
    ),
    # --- paths -----------------------------------------------------------------------------------
    Case("slug-with-dotdot", {}, ("publish", "--article", "../../etc/passwd"), 2, "is not an article slug"),
    Case("slug-absolute", {}, ("extract", "--article", "/etc/passwd"), 2, "is not an article slug"),
    Case("slug-missing", {}, ("extract", "--article", "nope"), 2, "no source article 'nope'"),
    Case(
        "symlinked-article-outside",
        {},
        ("extract",),
        2,
        "leads outside the project",
        links={"content/ko/evil.md": "/etc/hostname"},
    ),
    Case("symlinked-output-outside", {}, ("extract",), 2, "leads outside the project", links={"po/en": "/tmp"}),
    # --- nothing outside the project, no hang, no traceback (issue 17) ---------------------------
    Case(
        "lock-file-symlink",
        {"../victim.txt": "someone's file\n"},
        ("extract",),
        2,
        "lock file is a symbolic link",
        links={".translate.lock": "../victim.txt"},
    ),
    Case(
        "lock-file-fifo",
        {},
        ("review", "approve", "--all"),
        2,
        "lock file is not a regular file",
        fifos=(".translate.lock",),
    ),
    Case(
        "settings-tm-dir-outside",
        {"pyproject.toml": "[tool.translate]\ntm_dir = '../outside'\n"},
        ("tm", "import", "memory.tmx"),
        2,
        "tm_dir = '../outside' leads outside the project",
    ),
    Case(
        "settings-tm-dir-absolute",
        {"pyproject.toml": "[tool.translate]\ntm_dir = '/tmp/memories'\n"},
        ("review", "list"),
        2,
        "tm_dir = '/tmp/memories' leads outside the project",
    ),
    Case(
        "symlinked-tm-outside",
        {"../elsewhere/ko-en.tmx": "<tmx>"},
        ("review", "list"),
        2,
        "tm: it leads outside the project",
        links={"tm": "../elsewhere"},
    ),
    Case(
        "symlinked-cache-outside",
        {"../elsewhere/keep.txt": "x"},
        ("extract",),
        2,
        "extract.json: it leads outside the project",
        links={".translate-cache": "../elsewhere"},
    ),
    Case(
        "symlinked-mt-cache-outside",
        {},
        ("draft", "--dry-run"),
        2,
        "mt.sqlite3: it leads outside the project",
        links={".translate-cache/mt.sqlite3": "../../victim.sqlite3"},
    ),
    Case(
        "symlinked-po-folder-sweep",
        {"../outside/.good.po.1-1.translate-tmp": "not ours\n"},
        ("review", "approve", "--all"),
        2,
        "site/po: it leads outside the project",
        links={"po": "../outside"},
    ),
    Case("align-translation-outside", {}, ("align", "content/ko/good.md", "../victim.md"), 2, "leads outside"),
    Case(
        "align-translation-is-the-source",
        {},
        ("align", "content/ko/good.md", "content/ko/good.md"),
        2,
        "the translation must be a Markdown page under content/<lang>/",
    ),
    Case("check-outside", {}, ("check", "/etc/hostname"), 2, "hostname: it leads outside the project"),
    Case(
        "symlink-loop-article",
        {},
        ("extract",),
        2,
        "loop.md: it is a symbolic link that leads back to itself",
        links={"content/ko/loop.md": "loop.md"},
    ),
    Case("fifo-article", {}, ("extract",), 2, "pipe.md: this is a named pipe (FIFO)", fifos=("content/ko/pipe.md",)),
    Case("newline-in-file-name", {"content/ko/a\nb.md": KOREAN}, ("extract",), 2, "ko/a\\nb.md: the file name holds"),
    Case("settings-nested-deep", {"pyproject.toml": "[tool.translate]\nx = " + "[" * 5000}, ("status",), 2, "nested"),
    Case(
        "glossary-nested-deep", {"glossary.yaml": "terms: " + "[" * 5000}, ("extract",), 2, "glossary.yaml: its lists"
    ),
    Case("glossary-fifo", {}, ("extract",), 2, "glossary.yaml: this is a named pipe (FIFO)", fifos=("glossary.yaml",)),
    Case(
        "url-unclosed-ipv6",
        {},
        ("draft", "--url", "http://[::1"),
        2,
        "--url 'http://[::1' is not a valid URL (invalid IPv6 URL)",
    ),
    Case(
        "url-port-out-of-range",
        {},
        ("draft", "--url", "http://127.0.0.1:99999/"),
        2,
        "--url 'http://127.0.0.1:99999/' is not a valid URL (the port must be a number from 1 to 65535)",
    ),
    Case("url-port-not-a-number", {}, ("draft", "--url", "http://127.0.0.1:abc/"), 2, "the port must be a number"),
    Case("url-not-http", {}, ("draft", "--dry-run", "--url", "ftp://mt.example/"), 2, "must start with http://"),
    Case("sync-url-bad-port", {}, ("sync", "--url", "http://localhost:0/"), 2, "--url 'http://localhost:0/' is not"),
    Case(
        "settings-engine-url-unclosed-ipv6",
        {"pyproject.toml": "[tool.translate]\nengine_url = 'http://[::1'\n"},
        ("status",),
        2,
        "pyproject.toml: [tool.translate] engine_url = 'http://[::1' is not a valid URL",
    ),
    Case(
        "settings-engine-url-port",
        {"pyproject.toml": "[tool.translate]\nengine_url = 'http://127.0.0.1:99999/'\n"},
        ("draft", "--dry-run"),
        2,
        "engine_url = 'http://127.0.0.1:99999/' is not a valid URL (the port must be a number from 1 to 65535)",
    ),
    Case(
        "settings-engine-urls-port-not-a-number",
        {"pyproject.toml": "[tool.translate]\nengine_urls = { libre = 'http://mt:abc/' }\n"},
        ("draft",),
        2,
        "[tool.translate] engine_urls.libre = 'http://mt:abc/' is not a valid URL",
    ),
    Case(
        "settings-engine-url-ipv6-is-fine",
        {"pyproject.toml": "[tool.translate]\nengine_url = ' http://[::1]:5000/ '\n"},
        ("status",),
        0,
        "good",
    ),
    Case(
        "settings-engine-urls-not-a-string",
        {"pyproject.toml": "[tool.translate]\nengine_urls = { libre = 5000 }\n"},
        ("status",),
        2,
        "engine_urls.libre must be a URL",
    ),
    Case("unknown-language", {}, ("publish", "--lang", "fr"), 2, "'fr' is not a target language"),
    Case("unknown-review-id", {}, ("review", "approve", "deadbeef"), 1, "no segment with id deadbeef"),
    Case("short-review-id", {}, ("review", "approve", "ab"), 1, "at least 4 characters"),
    # --- issue 17: entries translate does not make, names, the reviewers file --------------------
    Case(
        "po-with-context-and-plural-entries",
        {
            "po/en/good.po": po(
                GOOD_PO_ENTRY + '\nmsgctxt "menu"\nmsgid "피부 관리 안내입니다."\nmsgstr "Care"\n'
                '\nmsgid "사진 %d장"\nmsgid_plural "사진 %d장들"\nmsgstr[0] "%d photo"\nmsgstr[1] "%d photos"\n'
            )
        },
        ("review", "list", "--all"),
        0,
        "also has this sentence with msgctxt 'menu'",
    ),
    Case(
        "reviewer-name-only-separators",
        {},
        ("review", "approve", "--all", "--reviewer", "\u2028\x1b"),
        2,
        "name is empty",
    ),
    Case("add-reviewer-without-a-name", {}, ("serve", "--add-reviewer", " "), 2, "the reviewer's name is empty"),
    Case("remove-unknown-reviewer", {}, ("serve", "--remove-reviewer", "Park"), 2, "no reviewer named Park"),
    Case(
        "reviewers-file-not-toml",
        {".translate/reviewers.toml": "[[reviewer]\n"},
        ("serve", "--list-reviewers"),
        2,
        "reviewers.toml: not valid TOML",
    ),
    Case(
        "reviewers-file-without-hash",
        {".translate/reviewers.toml": '[[reviewer]]\nname = "Kim"\nadded = "2026-11-25T10:00:00Z"\n'},
        ("serve", "--list-reviewers"),
        2,
        "reviewer 1 is not a name, sha256 and added date",
    ),
]
