"""Find the translatable segments of a Markdown article and where each sits in the text.

Markdown is parsed with markdown-it-py; the parser is used to *find* text, never to write it.
Each segment records its span in the document (skeleton-and-spans, as XLIFF tools do), so
publishing splices translations into the untouched original and structure survives exactly.
"""

from __future__ import annotations

import functools
import html
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from translate import frontmatter
from translate.model import Document, Segment, Span
from translate.sentences import split_sentences


class _Parser(MarkdownIt):
    def normalizeLink(self, url: str) -> str:
        """Link targets are copied from the source, never rendered: skip percent-encoding them
        (validateLink still refuses javascript: and the like, so the same links parse)."""
        return url


# Block rules that can only match a document containing a given text; a document without it is
# parsed with the rule off, which gives the same tokens without trying it on every line.
_SETEXT_UNDERLINE_RE = re.compile(r"^[ \t>]*[-=][-= \t>]*$", re.MULTILINE)
_BLOCK_RULE_NEEDS: tuple[tuple[str, Callable[[str], object]], ...] = (
    ("lheading", _SETEXT_UNDERLINE_RE.search),
    ("table", lambda text: "|" in text),
    ("html_block", lambda text: "<" in text),
    ("fence", lambda text: "```" in text or "~~~" in text),
    ("blockquote", lambda text: ">" in text),
    ("heading", lambda text: "#" in text),
    ("reference", lambda text: "[" in text),
)
# Characters that start inline syntax in _MD (emphasis, code, links, images, HTML, autolinks,
# entities, escapes, ~~strikethrough~~; a lone ~ is text: 3~6개월). Text without them is
# "plain": text runs and line breaks only, which _plain_pieces finds without the inline parser.
_INLINE_SYNTAX_RE = re.compile(r"[\\`*_\[<&]|~~")
MASK = "\ufffc"
_SHORTCODE_RE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.DOTALL)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_NEWLINE_RE = re.compile("\n")


class _Unlocatable(Exception):
    """The parser's view of a block could not be mapped back onto the source text."""


@dataclass(slots=True)
class _Piece:
    kind: str  # text | soft | hard | code | image | open | close
    start: int
    end: int
    match: int = -1  # open: end of its closer; close: start of its opener
    alt: tuple[int, int] | None = None  # alt-text range of an image


@dataclass(frozen=True)
class _View:
    """The text of one inline block as the scanner sees it, and where each char is in the file.

    The block's lines are joined by "\n"; within a line (and the "\n" before it) the text runs
    parallel to the file, so each line is one (first index in text, its offset in the file) pair.
    """

    text: str
    line_starts: tuple[int, ...]  # index in text where each line begins (the first is 0)
    doc_starts: tuple[int, ...]  # file offset of each of those characters

    def doc(self, i: int) -> int:
        """The file offset of text[i] (i may be len(text): just after the last character)."""
        k = bisect_right(self.line_starts, i + 1) - 1 if len(self.line_starts) > 1 else 0
        return self.doc_starts[k] + i - self.line_starts[k]

    def doc_end(self, end: int) -> int:
        return self.doc(end - 1) + 1 if end > 0 else self.doc(0)


def _inline_unless_plain(state: StateCore) -> None:
    """markdown-it's inline stage, skipped for plain text (most Korean prose): its token is
    marked plain and parse_document finds the pieces itself."""
    for token in state.tokens:
        if token.type == "inline":
            token.children = []
            if _INLINE_SYNTAX_RE.search(token.content) is None:
                token.meta["plain"] = True
            else:
                state.md.inline.parse(token.content, state.md, state.env, token.children)


@functools.cache
def _parser_without(rules: tuple[str, ...]) -> MarkdownIt:
    """CommonMark with tables and strikethrough, our inline stage, and these block rules off."""
    parser = _Parser("commonmark").enable(["table", "strikethrough"])
    parser.core.ruler.at("inline", _inline_unless_plain)
    return parser.disable(list(rules)) if rules else parser


_MD = _parser_without(())


def _block_parser(text: str) -> MarkdownIt:
    """_MD, or a copy without the block rules that cannot match anything in text."""
    return _parser_without(tuple(name for name, needs in _BLOCK_RULE_NEEDS if not needs(text)))


def parse_document(text: str, *, front_matter_keys: Sequence[str] = (), path: object = None) -> Document:
    """Split an article's text (LF line ends, NFC) into segments with their spans."""
    segments: list[_Found] = []
    body_start = 0
    fm_span: Span | None = None
    block = frontmatter.article_block(text, path)
    if block:
        body_start = block.end
        fm_span = block.yaml
        segments.extend(
            (s.span.start, s.span.end, s.source, s.kind)
            for s in frontmatter.segments(text, fm_span, front_matter_keys, path)
        )
    line_starts = _line_starts(text)
    body = text[body_start:]
    first_line = text.count("\n", 0, body_start)
    tokens = _block_parser(body).parse(body)
    _number_cells(tokens)
    open_blocks: list[str] = []  # the containers around the current token, innermost last
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            open_blocks.append(token.type)
        elif token.nesting == -1 and open_blocks:
            open_blocks.pop()
        if token.type != "inline" or token.map is None:
            continue
        kind = _block_kind(tokens[index - 1].type if index else "", open_blocks)
        try:
            view = _inline_view(text, line_starts, token, first_line, kind)
            pieces = _plain_pieces(view.text) if token.meta.get("plain") else _scan(view.text, token.children or [])
            segments.extend(_segments_of(view, pieces, kind))
        except _Unlocatable:
            # Kept untouched in every language rather than risk a broken splice.
            continue
    segments.sort()
    located = tuple(Segment(source, Span(a, b), bisect_right(line_starts, a), kind) for a, b, source, kind in segments)
    return Document(text=text, segments=located, front_matter=fm_span)


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _NEWLINE_RE.finditer(text))]


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _block_kind(opener: str, open_blocks: list[str]) -> str:
    if opener == "heading_open":
        return "heading"
    if opener in ("th_open", "td_open"):
        return "table-cell"
    for block in reversed(open_blocks):
        if block == "list_item_open":
            return "list-item"
        if block == "blockquote_open":
            return "quote"
    return "paragraph"


def _inline_view(text: str, line_starts: list[int], token: Token, first_line: int, kind: str) -> _View:
    assert token.map is not None
    line_no = first_line + token.map[0]
    if kind == "table-cell":
        return _cell_view(text, line_starts, token, line_no)
    view_starts: list[int] = []
    doc_starts: list[int] = []
    size = 0
    for i, content_line in enumerate(token.content.split("\n")):
        start = line_starts[line_no + i]
        end = line_starts[line_no + i + 1] - 1 if line_no + i + 1 < len(line_starts) else len(text)
        col = text.rfind(content_line, start, end)
        if col < 0:
            raise _Unlocatable
        view_starts.append(size + 1 if i else 0)
        doc_starts.append(col)
        size += len(content_line) + (1 if i else 0)
    return _View(token.content, tuple(view_starts), tuple(doc_starts))


def _split_row(line: str) -> list[tuple[int, int]]:
    """Cell ranges of a GFM table row: split on pipes that are not escaped."""
    bounds = [i for i, ch in enumerate(line) if ch == "|" and (i == 0 or line[i - 1] != "\\")]
    stripped = line.strip()
    edges = [-1, *bounds, len(line)]
    cells = [(edges[k] + 1, edges[k + 1]) for k in range(len(edges) - 1)]
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|") and len(stripped) > 1:
        cells = cells[:-1]
    return cells


def _cell_view(text: str, line_starts: list[int], token: Token, line_no: int) -> _View:
    # The cell's position in its row: count the inline tokens of this row before it.
    start = line_starts[line_no]
    end = line_starts[line_no + 1] - 1 if line_no + 1 < len(line_starts) else len(text)
    line = text[start:end]
    cells = _split_row(line)
    column = token.meta.get("cell")
    if column is None or column >= len(cells):
        raise _Unlocatable
    a, b = cells[column]
    raw = line[a:b]
    lead = len(raw) - len(raw.lstrip())
    content = raw.strip()
    return _View(content, (0,), (start + a + lead,))


def _number_cells(tokens: Sequence[Token]) -> None:
    column = 0
    for tok in tokens:
        if tok.type == "tr_open":
            column = 0
        elif tok.type == "inline" and column >= 0:
            tok.meta["cell"] = column
            column += 1


def _match_text(view: str, pos: int, expected: str) -> int:
    """Advance over the source text that markdown-it turned into ``expected``."""
    if view.startswith(expected, pos):
        return pos + len(expected)
    i, j = pos, 0
    while j < len(expected):
        if i < len(view) and view[i] == expected[j]:
            i += 1
            j += 1
        elif view.startswith("\\", i) and i + 1 < len(view) and view[i + 1] == expected[j]:
            i += 2
            j += 1
        elif i < len(view) and view[i] == "&" and (m := _ENTITY_RE.match(view, i)):
            decoded = html.unescape(m.group())
            if not expected.startswith(decoded, j):
                raise _Unlocatable
            i = m.end()
            j += len(decoded)
        elif i < len(view) and view[i] in " \t\n" and expected[j] in " \t":
            i += 1
        else:
            raise _Unlocatable
    return i


def _closing_bracket(view: str, pos: int) -> int:
    """Index of the ']' closing the '[' at pos (backslash escapes and nesting honoured)."""
    depth = 0
    i = pos
    while i < len(view):
        ch = view[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            run = len(view[i:]) - len(view[i:].lstrip("`"))
            close = view.find("`" * run, i + run)
            i = close + run if close >= 0 else i + run
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise _Unlocatable


def _link_tail(view: str, pos: int) -> int:
    """End of the ``](dest "title")``, ``][ref]`` or ``]`` that closes a link or image."""
    if not view.startswith("]", pos):
        raise _Unlocatable
    i = pos + 1
    if view.startswith("(", i):
        depth, k = 0, i
        in_angle = False
        while k < len(view):
            ch = view[k]
            if ch == "\\":
                k += 2
                continue
            if ch == "<" and view[k - 1] == "(":
                in_angle = True
            elif ch == ">" and in_angle:
                in_angle = False
            elif ch == '"' and not in_angle:
                close = view.find('"', k + 1)
                k = close if close > 0 else k
            elif ch == "(" and not in_angle:
                depth += 1
            elif ch == ")" and not in_angle:
                depth -= 1
                if depth == 0:
                    return k + 1
            k += 1
        raise _Unlocatable
    if view.startswith("[", i):
        close = view.find("]", i)
        if close < 0:
            raise _Unlocatable
        return close + 1
    return i


def _scan(view: str, children: Sequence[Token]) -> list[_Piece]:
    """Locate every inline token of markdown-it in the source text, in order."""
    pieces: list[_Piece] = []
    stack: list[int] = []
    pos = 0
    skip_until_close = False
    for child in children:
        kind = child.type
        if skip_until_close:
            if kind == "link_close":
                skip_until_close = False
            continue
        if kind == "text":
            end = _match_text(view, pos, child.content)
            pieces.extend(_text_pieces(view, pos, end))
            pos = end
        elif kind in ("softbreak", "hardbreak"):
            start = pos
            while pos < len(view) and view[pos] in " \t\\":
                pos += 1
            if not view.startswith("\n", pos):
                raise _Unlocatable
            pos += 1
            while pos < len(view) and view[pos] in " \t":
                pos += 1
            pieces.append(_Piece("soft" if kind == "softbreak" else "hard", start, pos))
        elif kind == "code_inline":
            start = view.find(child.markup, pos)
            close = view.find(child.markup, start + len(child.markup)) if start >= 0 else -1
            if start < 0 or close < 0:
                raise _Unlocatable
            pos = close + len(child.markup)
            pieces.append(_Piece("code", start, pos))
        elif kind == "html_inline":
            if not view.startswith(child.content, pos):
                raise _Unlocatable
            pieces.append(_Piece("code", pos, pos + len(child.content)))
            pos += len(child.content)
        elif kind == "link_open" and child.markup == "autolink":
            close = view.find(">", pos)
            if not view.startswith("<", pos) or close < 0:
                raise _Unlocatable
            pieces.append(_Piece("code", pos, close + 1))
            pos = close + 1
            skip_until_close = True
        elif kind == "link_open" or kind.endswith("_open"):
            marker = "[" if kind == "link_open" else child.markup
            if not view.startswith(marker, pos):
                raise _Unlocatable
            stack.append(len(pieces))
            pieces.append(_Piece("open", pos, pos + len(marker)))
            pos += len(marker)
        elif kind == "link_close" or kind.endswith("_close"):
            end = _link_tail(view, pos) if kind == "link_close" else pos + len(child.markup)
            if kind != "link_close" and not view.startswith(child.markup, pos):
                raise _Unlocatable
            opener = pieces[stack.pop()] if stack else None
            pieces.append(_Piece("close", pos, end, match=opener.start if opener else -1))
            if opener is not None:
                opener.match = end
            pos = end
        elif kind == "image":
            if not view.startswith("![", pos):
                raise _Unlocatable
            close = _closing_bracket(view, pos + 1)
            end = _link_tail(view, close)
            pieces.append(_Piece("image", pos, end, alt=(pos + 2, close)))
            pos = end
        else:
            raise _Unlocatable
    return pieces


def _text_pieces(view: str, start: int, end: int) -> list[_Piece]:
    """A text run, with Hugo shortcodes in it marked as code."""
    pieces: list[_Piece] = []
    cursor = start
    for m in _SHORTCODE_RE.finditer(view, start, end):
        if m.start() > cursor:
            pieces.append(_Piece("text", cursor, m.start()))
        pieces.append(_Piece("code", m.start(), m.end()))
        cursor = m.end()
    if cursor < end:
        pieces.append(_Piece("text", cursor, end))
    return pieces


def _plain_pieces(view: str) -> list[_Piece]:
    """What _scan finds in plain text: each line's text (trailing spaces trimmed as markdown-it
    does) and the line breaks between them (two or more trailing spaces make a hard break)."""
    pieces: list[_Piece] = []
    start = 0
    while True:
        newline = view.find("\n", start)
        if newline < 0:
            pieces.extend(_text_pieces(view, start, len(view)))
            return pieces
        text_end = start + len(view[start:newline].rstrip(" "))
        if text_end > start:
            pieces.extend(_text_pieces(view, start, text_end))
        following = newline + 1
        while following < len(view) and view[following] in " \t":
            following += 1
        hard = view.startswith("  ", newline - 2) and newline - 2 >= start
        pieces.append(_Piece("hard" if hard else "soft", text_end, following))
        start = following


_Found = tuple[int, int, str, str]  # a segment found: its span in the file, source and kind


def _segments_of(view: _View, pieces: list[_Piece], kind: str) -> list[_Found]:
    segments: list[_Found] = []
    run: list[_Piece] = []
    for piece in [*pieces, _Piece("hard", len(view.text), len(view.text))]:
        if piece.kind in ("hard", "image"):
            segments.extend(_sentences_of(view, run, kind))
            run = []
            if piece.kind == "image" and piece.alt is not None:
                alt = _Piece("text", *piece.alt)
                segments.extend(_sentences_of(view, [alt], "image-alt", split=False))
        else:
            run.append(piece)
    return segments


def _sentences_of(view: _View, run: list[_Piece], kind: str, *, split: bool = True) -> list[_Found]:
    if not run:
        return []
    start, end = run[0].start, run[-1].end
    masked = view.text[start:end]
    for piece in run:
        if piece.kind in ("code", "open", "close"):
            a, b = piece.start - start, piece.end - start
            masked = masked[:a] + MASK * (b - a) + masked[b:]
    spans = split_sentences(masked) if split else [(0, end - start)]
    # Never cut inside a link or emphasis: merge sentences that straddle a pair.
    protected = [(p.start - start, p.match - start) for p in run if p.kind == "open"]
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and any(lo < a < hi for lo, hi in protected):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    segments = []
    first = 0  # pieces and sentences are both in order: the pieces of each sentence are a slice
    for a, b in merged:
        while first < len(run) and run[first].end <= start + a:
            first += 1
        last = first
        while last < len(run) and run[last].start < start + b:
            last += 1
        segment = _make_segment(view, run[first:last], start + a, start + b, kind)
        if segment is not None:
            segments.append(segment)
    return segments


def _make_segment(view: _View, pieces: list[_Piece], start: int, end: int, kind: str) -> _Found | None:
    """The segment of view.text[start:end], or None when it holds nothing to translate."""
    # A sentence that is one link or one emphasis as a whole: the markers stay in the skeleton.
    while (
        len(pieces) >= 2
        and pieces[0].kind == "open"
        and pieces[0].start == start
        and pieces[-1].kind == "close"
        and pieces[-1].end == end
        and pieces[0].match == end
    ):
        start, end = pieces[0].end, pieces[-1].start
        if view.text.startswith("[", pieces[0].start) and kind != "table-cell":
            kind = "link-text"
        pieces = pieces[1:-1]
    text = view.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not any(p.kind == "text" and _has_letter(text[max(p.start, start) : min(p.end, end)]) for p in pieces):
        return None
    source = "".join(
        " " if piece.kind == "soft" else text[max(piece.start, start) : min(piece.end, end)]
        for piece in pieces
        if max(piece.start, start) < min(piece.end, end)
    )
    return view.doc(start), view.doc_end(end), source, kind


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def inline_codes(source: str) -> list[str]:
    """The inline codes of a segment's text (inline code, link markup, emphasis markers, HTML, shortcodes), in order."""
    return [source[span.start : span.end] for span in code_spans(source)]


def code_spans(source: str) -> tuple[Span, ...]:
    """Where the inline codes are in a segment's text; none when it cannot be parsed as inline Markdown."""
    tokens = _MD.parseInline(source)
    children = tokens[0].children if tokens and tokens[0].children else []
    try:
        pieces = _scan(source, children)
    except _Unlocatable:
        return ()
    spans = []
    for piece in pieces:
        if piece.kind in ("code", "open", "close"):
            spans.append(Span(piece.start, piece.end))
        elif piece.kind == "image" and piece.alt is not None:
            spans.extend((Span(piece.start, piece.alt[0]), Span(piece.alt[1], piece.end)))
    return tuple(spans)
