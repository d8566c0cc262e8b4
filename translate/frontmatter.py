"""Front matter: the ``---`` YAML block at the top of an article or page.

The one owner of it: finding the block (articles, published pages, the review page), the
segments of the values named in ``front_matter_keys`` (plain keys and key paths such as
``faq.*.question``), the YAML that publish writes for a translated value (in the original's
style: plain, quoted, or a block scalar kept as a block) and the value absorb reads back from
it, and the keys publish adds (written, read and left out as lines: which keys they are, and
what they mean, is :mod:`translate.pages`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import yaml

from translate.errors import InputError
from translate.model import Document, Segment, Span

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed: same nodes, faster
_BLOCK_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_DATA_TAGS = frozenset(
    f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "seq", "map")
)
# The first line of a block scalar: | or >, chomping and indentation indicators, an optional comment.
_BLOCK_HEADER_RE = re.compile(r"([|>])([-+1-9]{0,2})([ \t]*(?:#[^\n]*)?)\n")

KeyPath = tuple[str | int, ...]  # mapping keys and list indices from the top of the front matter


@dataclass(frozen=True, slots=True)
class Block:
    """Where the front matter is in a text."""

    yaml: Span  # the YAML between the --- lines
    end: int  # just after the closing --- line


def find_block(text: str) -> Block | None:
    """The front-matter block at the start of text, if it has one (closed by --- or ...)."""
    match = _BLOCK_RE.match(text)
    if match is None:
        return None
    start = text.index("\n") + 1
    return Block(Span(start, start + len(match.group(1) or "")), match.end())


def article_block(text: str, path: object = None) -> Block | None:
    """:func:`find_block` for a source article: TOML (+++) and an unclosed block are errors."""
    block = find_block(text)
    if re.match(r"\+\+\+[ \t]*\n", text):
        raise InputError(
            "TOML front matter (+++) is not supported yet: write the front matter in YAML between --- lines.",
            path=path,
            line=1,
        )
    if block is None and re.match(r"---[ \t]*\n", text):
        raise InputError("the front matter is not closed: add a line with --- after its last key.", path=path, line=1)
    return block


def split_key_path(key: str) -> tuple[str, ...]:
    """A ``front_matter_keys`` entry as its parts: ``faq.*.question`` -> (faq, *, question)."""
    return tuple(key.split("."))


def compose(yaml_text: str, offset: int, doc_text: str, path: object) -> yaml.Node | None:
    """The YAML node tree of the front matter (one parse), checked to be plain data in a mapping.

    ``offset`` is where yaml_text starts in doc_text: errors name the line in the file.
    """
    loader = YAML_LOADER(yaml_text)  # one parse: compose the nodes (for positions), then build the data
    first_line = doc_text.count("\n", 0, offset) + 1
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = first_line + mark.line if mark is not None else None
            problem = getattr(exc, "problem", None) or "invalid YAML"
            raise InputError(
                f"the front matter is not valid YAML ({problem}); fix it or remove the --- block.",
                path=path,
                line=line,
            ) from None
        if root is None:
            return None
        odd = _nodes_to_build(root)
        try:
            if odd:
                loader.construct_document(root)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputError(
                f"the front matter uses a YAML tag that is not plain data ({getattr(exc, 'problem', exc)}); "
                "remove the !!tag.",
                path=path,
                line=first_line + mark.line if mark is not None else None,
            ) from None
        except ValueError as exc:  # a value that looks like a date but is none: 2026-02-30
            bad = _unreadable_node(odd)
            raise InputError(
                f"the front matter has a value that cannot be read ({exc}); write a real date (YYYY-MM-DD) "
                "or quote the value.",
                path=path,
                line=first_line + bad.start_mark.line,
            ) from None
    finally:
        loader.dispose()
    if not isinstance(root, yaml.MappingNode):
        raise InputError("the front matter must be a YAML mapping (key: value lines).", path=path, line=first_line)
    return root


def _nodes_to_build(root: yaml.Node) -> list[yaml.Node]:
    """The nodes whose data must be built to know it is valid (dates, !!tags, merge keys), in
    document order; none when every node is a plain string, number, boolean, null, list or map."""
    found, stack, seen = [], [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag not in _PLAIN_DATA_TAGS:
            found.append(node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(child for pair in reversed(node.value) for child in reversed(pair))
    return found


def _unreadable_node(nodes: list[yaml.Node]) -> yaml.Node:
    """The first of nodes whose value cannot be built (2026-02-30); the first one if none alone."""
    for node in nodes:
        try:
            yaml.constructor.SafeConstructor().construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            return node
    return nodes[0]


def select(node: yaml.Node, parts: Sequence[str], trail: KeyPath = ()) -> Iterator[tuple[KeyPath, yaml.ScalarNode]]:
    """The string scalars at a key path: each part a mapping key, ``*`` any key or list item; at
    the end, the value's string or each string of its list."""
    if not parts:
        items = enumerate(node.value) if isinstance(node, yaml.SequenceNode) else [(None, node)]
        for index, item in items:
            if isinstance(item, yaml.ScalarNode) and item.tag == _STR_TAG:
                yield (trail if index is None else (*trail, index)), item
        return
    head, rest = parts[0], parts[1:]
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and (head == "*" or key_node.value == head):
                yield from select(value_node, rest, (*trail, str(key_node.value)))
    elif isinstance(node, yaml.SequenceNode) and head == "*":
        for index, item in enumerate(node.value):
            yield from select(item, rest, (*trail, index))


def general_key_path(trail: KeyPath) -> str:
    """The ``front_matter_keys`` entry that selects the value at trail: list indices become ``*``,
    a final list index is left out (a key selects each string of its list)."""
    parts = list(trail)
    if parts and isinstance(parts[-1], int):
        parts.pop()
    return ".".join("*" if isinstance(part, int) else part for part in parts)


def segments(doc_text: str, front_matter: Span, keys: Sequence[str], path: object) -> list[Segment]:
    """The segments of the front matter (the YAML at ``front_matter`` in doc_text): the strings at
    the key paths in keys."""
    offset = front_matter.start
    root = compose(doc_text[offset : front_matter.end], offset, doc_text, path)
    if root is None:
        return []
    found: dict[int, Segment] = {}
    for key in keys:
        parts = split_key_path(key)
        for trail, node in select(root, parts):
            if not any(ch.isalpha() for ch in node.value):
                continue
            start = offset + node.start_mark.index
            if start in found:  # reached by two key paths (or an alias)
                continue
            named = trail[:-1] if trail and isinstance(trail[-1], int) else trail
            found[start] = Segment(
                source=" ".join(node.value.split()),
                span=Span(start, offset + node.end_mark.index),
                line=doc_text.count("\n", 0, start) + 1,
                kind="front-matter:" + ".".join(map(str, named)),
            )
    return [found[start] for start in sorted(found)]


def yaml_scalar(value: str, original: str) -> str:
    """value as a YAML scalar to stand where ``original`` (a scalar's source text) stood, in the
    original's style where that is safe; a block scalar stays a block with its line structure."""
    if original.startswith(("|", ">")):
        header = _BLOCK_HEADER_RE.match(original)
        if header is not None:
            return _block_scalar(value, original, header)
    if original.startswith("'"):
        return "'" + value.replace("'", "''") + "'"
    if not original.startswith(('"', "|", ">")):
        try:
            plain_ok = yaml.safe_load(f"k: {value}") == {"k": value} and yaml.safe_load(f"k: [{value}]") == {
                "k": [value]
            }
        except yaml.YAMLError:
            plain_ok = False
        if plain_ok and "\n" not in value:
            return value
    return json.dumps(value, ensure_ascii=False)


def _block_scalar(value: str, original: str, header: re.Match[str]) -> str:
    """A literal (|) or folded (>) block scalar holding value on one line, indented as the
    original's first line, its chomping, comment and trailing blank lines kept.

    An explicit indentation indicator is dropped: the new line's indentation (that of the
    original's first text line, deeper than the parent's) is then found by the parser itself.
    """
    lines = original[header.end() :].split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return json.dumps(value, ensure_ascii=False)
    first, last = lines[filled[0]], filled[-1]
    indent = first[: len(first) - len(first.lstrip(" "))] or "  "
    chomping = header.group(2).strip("123456789")
    rest = "\n".join(lines[last + 1 :])
    return f"{header.group(1)}{chomping}{header.group(3)}\n{indent}{' '.join(value.split())}" + (
        "\n" + rest if last + 1 < len(lines) else ""
    )


def scalar_value(text: str) -> str | None:
    """The string that a YAML scalar's source text stands for (the inverse of :func:`yaml_scalar`:
    plain, quoted or a block scalar); None when it is not valid YAML or no string."""
    try:
        loaded = yaml.safe_load(f"k: {text}")
    except yaml.YAMLError:
        return None
    value = loaded.get("k") if isinstance(loaded, dict) else None
    return value if isinstance(value, str) else None


def additions(doc: Document, extra: Mapping[str, str]) -> str:
    """The lines publish adds at the end of the document's front matter: the keys of extra it does not set."""
    assert doc.front_matter is not None
    existing = yaml.load(doc.text[doc.front_matter.start : doc.front_matter.end], Loader=YAML_LOADER) or {}
    return "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in extra.items() if k not in existing)


def new_block(extra: Mapping[str, str]) -> str:
    """A front-matter block of the keys of extra, for a page whose source has none."""
    lines = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in extra.items())
    return f"---\n{lines}---\n\n"


def with_block(text: str) -> str:
    """text with an empty front-matter block before it when it has none."""
    return text if find_block(text) else new_block({}) + text


def added_value(text: str, key: str) -> str | None:
    """The value of a top-level key as publish writes it (one line, in double quotes or none) in
    text's front matter, if it has the key."""
    block = find_block(text)
    if block is None:
        return None
    front = text[block.yaml.start : block.yaml.end]
    found = re.search(rf"^{re.escape(key)}:[ \t]*\"?([^\"\n]*?)\"?[ \t]*$", front, re.MULTILINE)
    return found.group(1) if found else None


def without_key(text: str, key: str) -> str:
    """text with the first line of its front matter that sets key left out."""
    block = find_block(text)
    if block and block.yaml.end > block.yaml.start:
        front = re.sub(
            rf"^{re.escape(key)}:[^\n]*\n", "", text[block.yaml.start : block.yaml.end], count=1, flags=re.MULTILINE
        )
        text = text[: block.yaml.start] + front + text[block.yaml.end :]
    return text


def with_key(text: str, key: str, value: str) -> str:
    """text with ``key: "value"`` added as the last line of its front matter (which it must have)."""
    block = find_block(text)
    assert block is not None
    return f"{text[: block.yaml.end]}{key}: {json.dumps(value, ensure_ascii=False)}\n{text[block.yaml.end :]}"
