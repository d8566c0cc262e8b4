"""Reading glossary.yaml: YAML composed and validated into terms, every error naming a line."""

from __future__ import annotations

import gc
import os
import re
import threading
import time
import types
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from translate.errors import GlossaryError, InputError
from translate.fileio import read_regular
from translate.glossary.matcher import Glossary, Term, _match_key
from translate.glossary.target import target_contains
from translate.languages import primary_subtag
from translate.model import normalize_text

_LANG_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_CLoader: Any = getattr(yaml, "CSafeLoader", None)  # libyaml's composer, when PyYAML was built with it


def load_glossary(path: Path, source_lang: str = "ko", targets: Sequence[str] | None = None) -> Glossary:
    """Read and validate glossary.yaml; a missing file is an empty glossary. With ``targets`` (the
    project's target languages), a language key that is none of them is an error."""
    if not path.exists():
        return Glossary()
    try:
        data = read_regular(path)  # a named pipe is refused, not waited on
    except InputError as exc:
        raise GlossaryError(str(exc).removeprefix(f"{path}: "), path=path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GlossaryError("not UTF-8 text; save the file as UTF-8", path=path, line=line) from exc
    return parse_glossary(text, path, source_lang, targets)


_CACHE_SIZE = 4  # glossaries kept by a process (one per project it serves)
_RACY_SECONDS = 2.0  # a file changed this recently may change again without its stamp showing it
_cache: dict[tuple[str, str, tuple[str, ...] | None], tuple[tuple[int, ...], Glossary]] = {}
_cache_lock = threading.Lock()


def cached_glossary(path: Path, source_lang: str = "ko", targets: Sequence[str] | None = None) -> Glossary:
    """:func:`load_glossary` for a process that reads the glossary again and again (``serve``, each
    review decision): parsed once, and again only when the file's stamp (modification and change
    times, size, inode) differs. A file changed in the last two seconds is read every time."""
    key = (os.path.abspath(path), source_lang, tuple(targets) if targets is not None else None)
    try:
        info = os.stat(path)
    except OSError:
        return load_glossary(path, source_lang, targets)  # missing (empty) or unreadable (its error)
    stamp = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev)
    with _cache_lock:
        known = _cache.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    glossary = load_glossary(path, source_lang, targets)
    if time.time() - max(info.st_mtime_ns, info.st_ctime_ns) / 1e9 > _RACY_SECONDS:
        with _cache_lock:
            _cache.pop(key, None)
            _cache[key] = (stamp, glossary)
            while len(_cache) > _CACHE_SIZE:
                del _cache[next(iter(_cache))]
    return glossary


def parse_glossary(text: str, path: Path, source_lang: str = "ko", targets: Sequence[str] | None = None) -> Glossary:
    """Parse and validate glossary YAML text; every error names ``path`` and a line."""
    try:
        with _gc_paused():
            return _parse_glossary(unicodedata.normalize("NFC", text), path, source_lang, targets)
    except RecursionError:
        raise GlossaryError(
            "its lists or mappings are nested thousands of levels deep; a glossary needs only a few: fix the YAML",
            path=path,
        ) from None


def _parse_glossary(text: str, path: Path, source_lang: str, targets: Sequence[str] | None) -> Glossary:
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        context = ""
        if exc.context and exc.context_mark:
            context = f" ({exc.context} from line {exc.context_mark.line + 1})"
        raise GlossaryError(
            f"invalid YAML at column {column}: {exc.problem}{context}; check indentation, quoting and brackets",
            path=path,
            line=line,
        ) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise GlossaryError(
            f"invalid character U+{exc.character:04X} in the file; remove it", path=path, line=line
        ) from exc
    if root is None:
        return Glossary()
    parser = _Parser(path, source_lang, targets)
    return Glossary(parser.entries(root))


def _compose(text: str) -> yaml.Node | None:
    """``yaml.compose(text, Loader=yaml.SafeLoader)``: the same nodes, tags and lines.

    PyYAML's pure-Python scanner takes seconds over a glossary of thousands of terms; libyaml's
    composer (when PyYAML was built with it) builds the same tree several times faster. A document
    it rejects goes to the pure-Python composer, so error messages and lines are PyYAML's.
    """
    if _CLoader is not None:
        try:
            return yaml.compose(text.encode(), Loader=_CLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large tree of objects is built: otherwise it
    scans the growing tree again and again, which takes longer than the building."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Parser:
    """Validates the composed YAML node tree of a glossary."""

    def __init__(self, path: Path, source_lang: str, targets: Sequence[str] | None = None) -> None:
        self.path = path
        self.source_lang = source_lang
        self.targets = targets
        # a key names a target language as it is (zh-CN) or as its primary language (en for en-US)
        self.languages = None if targets is None else {*targets, *(primary_subtag(t) for t in targets)}

    def error(self, node: yaml.Node, message: str) -> GlossaryError:
        return GlossaryError(message, path=self.path, line=node.start_mark.line + 1)

    def mapping(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The key -> (key node, value node) pairs of a mapping; keys must be unique text."""
        items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "a key must be plain text, not a list or mapping")
            key = str(key_node.value)
            if key in items:
                raise self.error(key_node, f'"{key}" is given twice here; keep one')
            items[key] = (key_node, value_node)
        return items

    def text(self, node: yaml.Node, what: str) -> str:
        """The normalised text of a scalar; null is the empty string."""
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(node, f"{what} must be text, not a list or mapping")
        if node.tag == _BOOL_TAG:
            raise self.error(node, f'{what} must be text; write "{node.value}" in quotes')
        return "" if node.tag == _NULL_TAG else normalize_text(str(node.value))

    def entries(self, root: yaml.Node) -> list[Term]:
        """All terms of the document, checked for duplicates."""
        if not isinstance(root, yaml.MappingNode):
            raise self.error(root, 'the top level must be a mapping with a "terms:" list')
        items = self.mapping(root)
        for key, (key_node, _) in items.items():
            if key != "terms":
                raise self.error(key_node, f'unknown top-level key "{key}"; only "terms" is allowed')
        if "terms" not in items:
            raise self.error(root, 'missing "terms:" list at the top level')
        terms_node = items["terms"][1]
        if isinstance(terms_node, yaml.ScalarNode) and terms_node.tag == _NULL_TAG:
            return []
        if not isinstance(terms_node, yaml.SequenceNode):
            raise self.error(terms_node, f'"terms" must be a list of entries "- {self.source_lang}: …"')
        terms: list[Term] = []
        seen: dict[str, Term] = {}
        for entry in terms_node.value:
            term = self.term(entry)
            key = _match_key(term.source)[0]
            if key in seen:
                raise self.error(
                    entry,
                    f'"{term.source}" is defined twice (first at line {seen[key].line}); merge the '
                    "entries (spacing and letter case do not distinguish terms)",
                )
            seen[key] = term
            terms.append(term)
        return terms

    def term(self, entry: yaml.Node) -> Term:
        """One validated entry."""
        src = self.source_lang
        if not isinstance(entry, yaml.MappingNode):
            raise self.error(entry, f'each entry must be a mapping such as "- {src}: 특징" with "en: feature"')
        items = self.mapping(entry)
        if src not in items:
            raise self.error(entry, f'this entry has no "{src}:" source term; add it')
        source = self.text(items[src][1], f'"{src}"')
        if not source:
            raise self.error(items[src][1], f'"{src}" is empty; write the source term')
        targets: dict[str, str] = {}
        for key, (key_node, value_node) in items.items():
            if key in (src, "forbidden", "note", "keep"):
                continue
            if not _LANG_CODE.fullmatch(key):
                raise self.error(
                    key_node,
                    f'unknown key "{key}"; expected "{src}", a language code such as "en" or '
                    '"zh-CN", "forbidden", "note" or "keep"',
                )
            if self.languages is not None and key not in self.languages:
                raise self.error(
                    key_node,
                    f'"{key}" is not a target language of this project (targets: {", ".join(self.targets or ())}); '
                    f'write the language code as in targets, or add "{key}" to targets in [tool.translate]',
                )
            targets[key] = self.text(value_node, f'"{key}"')
            if not targets[key]:
                raise self.error(
                    value_node,
                    f'the "{key}" translation of "{source}" is empty; write it or remove the key',
                )
        if not targets:
            raise self.error(entry, f'"{source}" has no translation; add one such as "en: …"')
        note = None
        if "note" in items:
            note = self.text(items["note"][1], '"note"') or None
        keep = False
        if "keep" in items:
            keep_node = items["keep"][1]
            if not (isinstance(keep_node, yaml.ScalarNode) and keep_node.tag == _BOOL_TAG):
                raise self.error(keep_node, '"keep" must be true or false')
            keep = yaml.SafeLoader.bool_values[str(keep_node.value).lower()]
        forbidden = self.forbidden(items["forbidden"][1], targets) if "forbidden" in items else {}
        return Term(
            source=source,
            targets=types.MappingProxyType(targets),
            forbidden=types.MappingProxyType(forbidden),
            note=note,
            keep=keep,
            line=entry.start_mark.line + 1,
        )

    def forbidden(self, node: yaml.Node, targets: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
        """The ``forbidden:`` mapping of an entry: language code -> list of variants."""
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, '"forbidden" must map a language to a list, e.g. "forbidden: {en: [trait]}"')
        result: dict[str, tuple[str, ...]] = {}
        for lang, (key_node, list_node) in self.mapping(node).items():
            if lang not in targets:
                raise self.error(
                    key_node,
                    f'forbidden "{lang}" has no "{lang}:" translation in this entry; add one',
                )
            if not isinstance(list_node, yaml.SequenceNode):
                raise self.error(list_node, f'"forbidden.{lang}" must be a list of text, e.g. [trait]')
            variants = []
            for item in list_node.value:
                variant = self.text(item, f'an entry of "forbidden.{lang}"')
                if not variant:
                    raise self.error(item, f'an entry of "forbidden.{lang}" is empty; remove it')
                if target_contains(targets[lang], variant, lang):
                    raise self.error(
                        item,
                        f'forbidden "{variant}" matches the approved translation "{targets[lang]}"; remove it',
                    )
                variants.append(variant)
            result[lang] = tuple(variants)
        return result
