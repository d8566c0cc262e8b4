"""Find the translatable segments of a Markdown article and where each sits in the text.

Markdown is parsed with markdown-it-py; the parser is used to *find* text, never to write it.
Each segment records its span in the document (skeleton-and-spans, as XLIFF tools do), so
publishing splices translations into the untouched original and structure survives exactly.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common import utils as _mdit_utils
from markdown_it.common.html_re import HTML_TAG_RE, attr_name, attr_value
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace, normalizeReference
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from translate import frontmatter
from translate.model import Document, Segment, Span
from translate.sentences import split_sentences


class _Parser(MarkdownIt):
    def normalizeLink(self, url: str) -> str:
        """Link targets are copied from the source, never rendered: skip percent-encoding them
        (validateLink still refuses javascript: and the like, so the same links parse)."""
        return url


# --- emphasis next to Korean -------------------------------------------------------------------
#
# Korean puts a particle right after a bold phrase: **[온라인 예약](/book)**으로. In CommonMark a
# closing ** after punctuation and before a letter closes nothing, so the asterisks would be text
# and the author's bold a stray "markup not in the source" in every translation. Delimiter runs
# are read as the CJK-friendly amendment proposes (github.com/tats-u/markdown-cjk-friendly,
# specification.md): a CJK character next to a run counts as punctuation does where that lets it
# open or close, never where it would stop it. Without CJK around a run, CommonMark is unchanged.

_ENCLOSED_IDEOGRAPH_EMOJI = frozenset(
    {0x1F201, 0x1F21A, 0x1F22F, *range(0x1F232, 0x1F237), *range(0x1F238, 0x1F23B), 0x1F250, 0x1F251}
)
_CJK_QUOTES = "\u2018\u2019\u201c\u201d"  # ‘’“”: CJK punctuation when followed by U+FE01 (fullwidth form)


def _wide_emoji(code: int) -> bool:
    """Whether a wide character is an emoji shown as one by default (Unicode's Emoji_Presentation)."""
    if 0x1F000 <= code <= 0x1FAFF:
        return not 0x1F200 <= code <= 0x1F2FF or code in _ENCLOSED_IDEOGRAPH_EMOJI
    return 0x2300 <= code <= 0x2BFF and code not in (0x2329, 0x232A)


def is_cjk(char: str) -> bool:
    """A CJK character as the CJK-friendly emphasis rule counts them: Hangul, or East Asian Width
    wide, fullwidth or halfwidth and not an emoji."""
    code = ord(char)
    if code < 0x1100:
        return False
    width = unicodedata.east_asian_width(char)
    if width == "W":
        return not _wide_emoji(code)
    return width in ("F", "H") or 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF  # Hangul jamo of width N


def _is_punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


class _CjkFriendlyState(StateInline):
    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        """Whether the delimiter run at start can open or close emphasis, by the CJK-friendly rule."""
        src = self.src
        pos = start
        while pos < self.posMax and src[pos] == src[start]:
            pos += 1
        before = src[start - 1] if start > 0 else " "
        after = src[pos] if pos < self.posMax else " "
        last = before  # the character before, or the one a variation selector after it belongs to
        if "\ufe00" <= before <= "\ufe0e" and start > 1 and not isWhiteSpace(ord(src[start - 2])):
            last = src[start - 2]
        last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(after))
        last_punct, next_punct = _is_punct(last), _is_punct(after)
        last_cjk = (
            is_cjk(last)
            or 0xE0100 <= ord(before) <= 0xE01EF  # an ideographic variation selector
            or (before == "\ufe01" and last in _CJK_QUOTES)
        )
        next_cjk = is_cjk(after)
        left_flanking = not next_space and (not (next_punct and not next_cjk) or last_space or last_punct or last_cjk)
        right_flanking = not last_space and (not (last_punct and not last_cjk) or next_space or next_punct or next_cjk)
        if canSplitWord:  # * and ~~
            return Scanned(left_flanking, right_flanking, pos - start)
        return Scanned(  # _ may not open or close inside a word
            left_flanking and (not right_flanking or last_punct),
            right_flanking and (not left_flanking or next_punct),
            pos - start,
        )


class _CjkFriendlyInline(ParserInline):
    def parse(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        """markdown-it's inline parse, with delimiter runs read by the CJK-friendly rule."""
        state = _CjkFriendlyState(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


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
    ("footnote_def", lambda text: "[^" in text),
    ("deflist", re.compile(r"^[ \t>]*[:~][ \t]", re.MULTILINE).search),
)
# Characters that start inline syntax in _MD (emphasis, code, links, images, HTML, autolinks,
# entities, escapes, ~~strikethrough~~; a lone ~ is text: 3~6개월). Text without them is
# "plain": text runs and line breaks only, which _plain_pieces finds without the inline parser.
_INLINE_SYNTAX_RE = re.compile(r"[\\`*_\[<&]|~~")
MASK = "\ufffc"
# A shortcode never holds "{{": an unclosed "{{<" is then given up at the next one (linear, not
# quadratic, in a text of many unclosed ones).
_SHORTCODE_RE = re.compile(r"\{\{[<%](?:(?!\{\{).)*?[%>]\}\}", re.DOTALL)
_CODE_IN_TEXT_RE = re.compile(rf"{_SHORTCODE_RE.pattern}|\{{[#.][^{{}}\n]*\}}(?=[ \t]*$)", re.DOTALL)
_ALERT_RE = re.compile(r"\[![A-Za-z]+\][+-]?")  # > [!NOTE] (GitHub and Hugo blockquote alerts)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_NEWLINE_RE = re.compile("\n")
_SPACES_RE = re.compile(r"\s+")
# What Python's str.split() takes for white space but Markdown does not (emphasis next to it is
# still emphasis): collapse_spaces keeps these.
_NOT_MARKDOWN_SPACE_RE = re.compile("[\x1c-\x1f\x85\u2028\u2029]")
_MARKDOWN_SPACES_RE = re.compile(r"[^\S\x1c-\x1f\x85\u2028\u2029]+")

#: Hugo shortcodes whose named parameters a reader sees (name -> parameters); projects add theirs
#: in [tool.translate.shortcodes].
DEFAULT_SHORTCODES: Mapping[str, tuple[str, ...]] = {
    "figure": ("alt", "title", "caption", "attr"),
    "youtube": ("title",),
    "vimeo": ("title",),
}
#: HTML attributes whose values a reader sees (or hears: aria-*), as the page check counts them
#: (translate.visible); also ``value`` of a button-like <input>. Not ``content`` (<meta>): reported.
HTML_TEXT_ATTRIBUTES = frozenset(
    {
        "alt",
        "title",
        "aria-label",
        "aria-description",
        "aria-roledescription",
        "aria-valuetext",
        "aria-placeholder",
        "placeholder",
        "label",
        "summary",
        "data-caption",
        "data-title",
    }
)
_BUTTON_INPUT_RE = re.compile(r"""\stype\s*=\s*["']?(?:submit|button|reset)\b""", re.IGNORECASE)
# Inline HTML elements: their tags stay inside a sentence as codes; any other tag ends the text run.
_HTML_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite data del dfn em font i ins mark q s small span strong sub sup time u var".split()  # noqa: SIM905
)
# Elements whose content is code or not text at all: kept as they are (code, kbd and samp inline).
_HTML_RAW_TAGS = frozenset({"script", "style", "pre", "textarea", "code", "kbd", "samp", "svg", "math", "template"})
_HTML_INLINE_RAW_TAGS = frozenset({"code", "kbd", "samp"})
_TAG_NAME_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_ATTR_RE = re.compile(rf"\s+({attr_name})(?:\s*=\s*({attr_value}))?")
_SHORTCODE_HEAD_RE = re.compile(r"\{\{[<%]\s*([\w./-]+)")
_SHORTCODE_PARAM_RE = re.compile(r"\s([\w-]+)=(\"(?:[^\"\\]|\\.)*\"|`[^`]*`|[^\s\"`%>]+)")
_QUOTE_MARKS_RE = re.compile(r"^(?:[ \t]*>)+")
_TASK_RE = re.compile(r"\[[ xX]\][ \t]+")  # a GFM task list item's check box
_TITLE_OPENER = {'"': '"', "'": "'", ")": "("}
# The label of a full reference link or image in a segment's text: [text][label]
_FULL_REFERENCE_RE = re.compile(r"\]\[((?:[^\[\]\\]|\\.)+)\]")
# How the table rule trims a row and its cells: markdown-it-py 4.3+ keeps U+0085 and U+001C-U+001F
# (CommonMark white space only), older versions strip what str.strip() strips.
_table_trim: Callable[[str], str] = getattr(_mdit_utils, "mdTrim", str.strip)


class _Unlocatable(Exception):
    """The parser's view of a block could not be mapped back onto the source text."""


@dataclass(slots=True)
class _Piece:
    kind: str  # text | soft | hard | code | image | open | close
    start: int
    end: int
    match: int = -1  # open: end of its closer; close: start of its opener
    alt: tuple[int, int] | None = None  # alt-text range of an image
    title: tuple[int, int] | None = None  # title range of a link (its close piece) or an image
    source: str | None = None  # what a segment's text holds for this code instead of the source's text


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
                state.md.inline.parse(_mask_shortcodes(token.content), state.md, state.env, token.children)


def _mask_shortcodes(text: str) -> str:
    """text with each Hugo shortcode's characters (line breaks kept) replaced by MASK, so that
    the backticks, quotes and brackets in its parameters are not read as Markdown."""
    if "{{" not in text:
        return text
    return _SHORTCODE_RE.sub(lambda m: re.sub(r"[^\n]", MASK, m.group()), text)


def _read_cjk_friendly(parser: MarkdownIt) -> None:
    """The parser's inline stage made to read delimiter runs by the CJK-friendly rule."""
    inline = _CjkFriendlyInline()
    inline.ruler, inline.ruler2 = parser.inline.ruler, parser.inline.ruler2
    parser.inline = inline


@functools.cache
def _parser_without(rules: tuple[str, ...], *, cjk_friendly: bool = True) -> MarkdownIt:
    """CommonMark with tables and strikethrough, our inline stage, and these block rules off;
    delimiter runs next to Korean read the CJK-friendly way unless ``cjk_friendly`` is False."""
    parser = _Parser("commonmark").enable(["table", "strikethrough"])
    if cjk_friendly:
        _read_cjk_friendly(parser)
    # Footnotes as Hugo (goldmark) writes them: [^1] references, [^1]: definitions left in place.
    parser.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
    parser.use(deflist_plugin)  # term / : definition, Hugo's definition lists
    parser.core.ruler.at("inline", _inline_unless_plain)
    return parser.disable(list(rules)) if rules else parser


_MD = _parser_without(())
_COMMONMARK = _parser_without((), cjk_friendly=False)  # as a renderer without CJK support reads it


@functools.cache
def preview_parser() -> MarkdownIt:
    """A renderer reading Markdown as translate reads it (CommonMark with tables, strikethrough,
    footnotes and definition lists; emphasis next to Korean the CJK-friendly way), raw HTML shown as
    text: the review page's preview of an article."""
    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    _read_cjk_friendly(parser)
    parser.use(footnote_plugin)  # the notes at the end, as Hugo shows them
    parser.use(deflist_plugin)
    return parser


def _block_parser(text: str) -> MarkdownIt:
    """_MD, or a copy without the block rules that cannot match anything in text."""
    return _parser_without(tuple(name for name, needs in _BLOCK_RULE_NEEDS if not needs(text)))


def parse_document(
    text: str,
    *,
    front_matter_keys: Sequence[str] = (),
    path: object = None,
    shortcodes: Mapping[str, Sequence[str]] = DEFAULT_SHORTCODES,
) -> Document:
    """Split an article's text (LF line ends, NFC) into segments with their spans.

    ``shortcodes``: the named parameters of each Hugo shortcode that hold text for the reader.
    """
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
    env: dict[str, Any] = {}
    tokens = _block_parser(body).parse(body, env)
    _number_cells(tokens)
    open_blocks: list[str] = []  # the containers around the current token, innermost last
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            open_blocks.append(token.type)
        elif token.nesting == -1 and open_blocks:
            open_blocks.pop()
        if token.type == "html_block" and token.map is not None:
            try:
                view = _inline_view(text, line_starts, token, first_line, "html-text")
                segments.extend(_segments_of(view, _html_pieces(view.text), "html-text", shortcodes))
            except _Unlocatable:
                pass
            continue
        if token.type != "inline" or token.map is None:
            continue
        kind = _block_kind(tokens[index - 1].type if index else "", open_blocks)
        try:
            view = _inline_view(text, line_starts, token, first_line, kind)
            pieces = _plain_pieces(view.text) if token.meta.get("plain") else _scan(view.text, token.children or [])
            segments.extend(_segments_of(view, pieces, kind, shortcodes))
        except _Unlocatable:
            # Kept untouched in every language rather than risk a broken splice.
            continue
    if env.get("references"):
        segments.extend(_reference_titles(text, line_starts, first_line, env["references"]))
    segments.sort()
    located = tuple(Segment(source, Span(a, b), bisect_right(line_starts, a), kind) for a, b, source, kind in segments)
    return Document(text=text, segments=located, front_matter=fm_span)


@dataclass(frozen=True)
class CjkEmphasis:
    """Emphasis that CommonMark reads otherwise than the CJK-friendly rule (what translate reads)."""

    line: int
    written: str  # the emphasis as written with the words around it: **[예약](/book)**으로
    fixed: str  # the same with an escaped space where CommonMark needs a space: **[예약](/book)**\ 으로
    commonmark: bool  # whether CommonMark reads it as emphasis (False: a renderer shows the asterisks)


_DELIMITER_RE = re.compile(r"[*_]|~~")
_SHOWN_INSIDE = 60  # characters of a long emphasis shown in a message, the middle left out


def cjk_only_emphasis(text: str, *, path: object = None) -> list[CjkEmphasis]:
    """The emphasis of an article (NFC, LF) that a renderer without CJK-friendly emphasis (Hugo's
    goldmark, any CommonMark) reads otherwise than translate does, each with its line."""
    block = frontmatter.article_block(text, path)
    body_start = block.end if block else 0
    body = text[body_start:]
    line_starts = _line_starts(text)
    first_line = text.count("\n", 0, body_start)
    env: dict[str, Any] = {}
    tokens = _block_parser(body).parse(body, env)
    _number_cells(tokens)
    found: list[CjkEmphasis] = []
    for index, token in enumerate(tokens):
        if token.type != "inline" or token.map is None or token.meta.get("plain"):
            continue
        if not _DELIMITER_RE.search(token.content):
            continue
        cell = index > 0 and tokens[index - 1].type in ("th_open", "td_open")
        try:
            view = _inline_view(text, line_starts, token, first_line, "table-cell" if cell else "paragraph")
            ours = _emphasis_of(view.text, token.children or [])
            plain = _COMMONMARK.parseInline(_mask_shortcodes(token.content), env)[0].children or []
            theirs = _emphasis_of(view.text, plain)
        except _Unlocatable:
            continue
        for start, end in sorted(ours ^ theirs):
            line = bisect_right(line_starts, view.doc(start))
            found.append(CjkEmphasis(line, *_shown(view.text, start, end), commonmark=(start, end) in theirs))
    return found


def _emphasis_of(view: str, children: Sequence[Token]) -> set[tuple[int, int]]:
    """Where each emphasis (*, _, ~~) is in the view: from its opening marker to after its closing one."""
    return {(p.start, p.match) for p in _scan(view, children) if p.kind == "open" and view[p.start] in "*_~"}


def _shown(view: str, start: int, end: int) -> tuple[str, str]:
    """The emphasis at view[start:end] with the words next to it, as written and with an escaped
    space (\\ ) on each side where CommonMark's flanking rule needs one to read it as emphasis."""
    marker = view[start]
    open_end = start
    while open_end < end and view[open_end] == marker:
        open_end += 1
    run_start, close_start = start, end
    while run_start > 0 and view[run_start - 1] == marker:
        run_start -= 1
    while close_start > open_end and view[close_start - 1] == marker:
        close_start -= 1
    run_end = end
    while run_end < len(view) and view[run_end] == marker:
        run_end += 1
    before, after = view[run_start - 1] if run_start else " ", view[run_end] if run_end < len(view) else " "
    opens = _flanking(before, view[open_end] if open_end < len(view) else " ")
    closes = _flanking(after, view[close_start - 1])
    word_start = start
    while word_start > max(0, start - 10) and view[word_start - 1].isalnum():
        word_start -= 1
    word_end = end
    while word_end < min(len(view), end + 10) and view[word_end].isalnum():
        word_end += 1
    inside = view[open_end:close_start]
    if len(inside) > _SHOWN_INSIDE:
        inside = f"{inside[: _SHOWN_INSIDE // 2]}…{inside[-_SHOWN_INSIDE // 2 :]}"
    parts = (view[word_start:start], view[start:open_end], inside, view[close_start:end], view[end:word_end])
    written = "".join(parts)
    fixed = "".join((parts[0], "" if opens else "\\ ", *parts[1:4], "" if closes else "\\ ", parts[4]))
    return " ".join(written.split()), " ".join(fixed.split())


def _flanking(outside: str, inside: str) -> bool:
    """Whether CommonMark lets a delimiter run with these neighbours open (or close) emphasis:
    not against white space inside, and punctuation inside only with white space or punctuation outside."""
    if isWhiteSpace(ord(inside)):
        return False
    return not _is_punct(inside) or isWhiteSpace(ord(outside)) or _is_punct(outside)


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _NEWLINE_RE.finditer(text))]


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _block_kind(opener: str, open_blocks: list[str]) -> str:
    if opener == "heading_open":
        return "heading"
    if opener in ("th_open", "td_open"):
        return "table-cell"
    if opener == "dt_open":
        return "term"
    for block in reversed(open_blocks):
        if block == "list_item_open":
            return "list-item"
        if block == "blockquote_open":
            return "quote"
        if block == "footnote_reference_open":
            return "footnote"
        if block == "dd_open":
            return "definition"
    return "paragraph"


def _inline_view(text: str, line_starts: list[int], token: Token, first_line: int, kind: str) -> _View:
    assert token.map is not None
    line_no = first_line + token.map[0]
    if kind == "table-cell":
        return _cell_view(text, line_starts, token, line_no)
    view_starts: list[int] = []
    doc_starts: list[int] = []
    size = 0
    content = token.content.removesuffix("\n") if token.type == "html_block" else token.content
    for i, content_line in enumerate(content.split("\n")):
        start = line_starts[line_no + i]
        end = line_starts[line_no + i + 1] - 1 if line_no + i + 1 < len(line_starts) else len(text)
        col = text.rfind(content_line, start, end)
        if col < 0:
            raise _Unlocatable
        view_starts.append(size + 1 if i else 0)
        doc_starts.append(col)
        size += len(content_line) + (1 if i else 0)
    return _View(content, tuple(view_starts), tuple(doc_starts))


def _split_row(line: str) -> list[tuple[int, int]]:
    """Cell ranges of a GFM table row: split on pipes that are not escaped."""
    bounds = [i for i, ch in enumerate(line) if ch == "|" and (i == 0 or line[i - 1] != "\\")]
    stripped = _table_trim(line)
    edges = [-1, *bounds, len(line)]
    cells = [(edges[k] + 1, edges[k + 1]) for k in range(len(edges) - 1)]
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|") and len(stripped) > 1:
        cells = cells[:-1]
    return cells


_Row = tuple[str, int, list[tuple[int, int]]]
_last_row: list[_Row | None] = [None]  # the text, row start and cells of the row split last


def _row_cells(text: str, start: int, line: str) -> list[tuple[int, int]]:
    """_split_row(line) for the row at ``start`` of ``text``, split once for all its cells (a row of
    4,000 cells would otherwise be split 4,000 times). The memo is read and replaced whole, so
    threads parsing at once never see another's row."""
    row = _last_row[0]
    if row is None or row[0] is not text or row[1] != start:
        row = (text, start, _split_row(line))
        _last_row[0] = row
    return row[2]


def _cell_view(text: str, line_starts: list[int], token: Token, line_no: int) -> _View:
    # The cell's position in its row: count the inline tokens of this row before it.
    start = line_starts[line_no]
    end = line_starts[line_no + 1] - 1 if line_no + 1 < len(line_starts) else len(text)
    line = text[start:end]
    if line.lstrip(" \t").startswith(">"):  # a table in a block quote: its rows start with the quote's >
        start += len(line) - len(_QUOTE_MARKS_RE.sub("", line, count=1))
        line = text[start:end]
    cells = _row_cells(text, start, line)
    column = token.meta.get("cell")
    if column is None or column >= len(cells):
        raise _Unlocatable
    a, b = cells[column]
    raw = line[a:b]
    content = _table_trim(raw)
    lead = raw.find(content) if content else 0
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
    if view.startswith(expected, pos) and "&" not in expected:  # "&" may stand for an entity (&amp;)
        return pos + len(expected)
    i, j = pos, 0
    while j < len(expected):
        if (
            view.startswith("&", i)
            and (m := _ENTITY_RE.match(view, i))
            and expected.startswith(decoded := html.unescape(m.group()), j)
        ):
            i = m.end()
            j += len(decoded)
        elif i < len(view) and (view[i] == expected[j] or expected[j] == MASK):
            i += 1
            j += 1
        elif view.startswith("\\", i) and i + 1 < len(view) and view[i + 1] == expected[j]:
            i += 2
            j += 1
        elif expected[j] == "|" and view.startswith("\\\\|", i):  # a table cell's \\|: markdown-it drops a \
            i += 3
            j += 1
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


def _label_of(view: str, text_start: int, tail: int, end: int) -> str | None:
    """For a shortcut ([label]) or collapsed ([label][]) reference link or image, whose text is its
    label: its tail written as a full reference (][label]), so that the text can be translated
    while the label stays as it is. None for an inline link or a full reference."""
    if end - tail == 1 or view.startswith("][]", tail):
        return f"][{' '.join(view[text_start:tail].split())}]"
    return None


def _title_range(view: str, tail: int, end: int) -> tuple[int, int] | None:
    """Where the title is in an inline link's or image's ``](dest "title")`` (tail to end)."""
    if not view.startswith("](", tail) or not view.startswith(")", end - 1):
        return None
    k = end - 2
    while k > tail and view[k] in " \t\n":
        k -= 1
    opener = _TITLE_OPENER.get(view[k])
    j = k - 1
    while j > tail + 1 and not (view[j] == opener and view[j - 1] != "\\"):
        j -= 1
    return (j + 1, k) if j > tail + 1 and view[j - 1] in " \t\n" else None


def _scan(view: str, children: Sequence[Token]) -> list[_Piece]:
    """Locate every inline token of markdown-it in the source text, in order."""
    pieces: list[_Piece] = []
    stack: list[tuple[int, Token]] = []
    pos = 0
    skip_until_close = False
    masked = _mask_shortcodes(view)  # as the parser read it: a line break skips no space inside a shortcode
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
            while pos < len(view) and masked[pos] in " \t":
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
        elif kind == "footnote_ref":
            close = view.find("]", pos)
            if not view.startswith("[^", pos) or close < 0:
                raise _Unlocatable
            pieces.append(_Piece("code", pos, close + 1))
            pos = close + 1
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
            stack.append((len(pieces), child))
            pieces.append(_Piece("open", pos, pos + len(marker)))
            pos += len(marker)
        elif kind == "link_close" or kind.endswith("_close"):
            end = _link_tail(view, pos) if kind == "link_close" else pos + len(child.markup)
            if kind != "link_close" and not view.startswith(child.markup, pos):
                raise _Unlocatable
            index, open_token = stack.pop() if stack else (-1, child)
            opener = pieces[index] if index >= 0 else None
            title = _title_range(view, pos, end) if open_token.attrGet("title") else None
            label = _label_of(view, opener.end, pos, end) if opener and kind == "link_close" else None
            pieces.append(_Piece("close", pos, end, match=opener.start if opener else -1, title=title, source=label))
            if opener is not None:
                opener.match = end
            pos = end
        elif kind == "image":
            if not view.startswith("![", pos):
                raise _Unlocatable
            close = _closing_bracket(view, pos + 1)
            end = _link_tail(view, close)
            title = _title_range(view, close, end) if child.attrGet("title") else None
            label = _label_of(view, pos + 2, close, end)
            pieces.append(_Piece("image", pos, end, alt=(pos + 2, close), title=title, source=label))
            pos = end
        else:
            raise _Unlocatable
    return pieces


def _text_pieces(view: str, start: int, end: int) -> list[_Piece]:
    """A text run, with Hugo shortcodes in it marked as code (and a heading's {#id} attributes at its end)."""
    pieces: list[_Piece] = []
    cursor = start
    for m in _CODE_IN_TEXT_RE.finditer(view, start, end):
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


def _segments_of(
    view: _View, pieces: list[_Piece], kind: str, shortcodes: Mapping[str, Sequence[str]] = DEFAULT_SHORTCODES
) -> list[_Found]:
    segments: list[_Found] = []
    run: list[_Piece] = []
    pieces = _join_shortcodes(view.text, pieces)
    for piece in [*pieces, _Piece("hard", len(view.text), len(view.text))]:
        if piece.kind in ("hard", "image"):
            segments.extend(_sentences_of(view, run, kind))
            run = []
            if piece.kind == "image" and piece.alt is not None:
                alt = [_Piece("text", *piece.alt)]
                if piece.source is not None:  # ![label]: its text is its label, kept in ![text][label]
                    alt = [_Piece("code", piece.start, alt[0].start), *alt, _Piece("code", alt[0].end, piece.end)]
                    alt[-1].source = piece.source
                segments.extend(_sentences_of(view, alt, "image-alt", split=False))
        else:
            run.append(piece)
        if piece.title is not None:
            segments.extend(
                _value_segment(view, *piece.title, "image-title" if piece.kind == "image" else "link-title")
            )
        elif piece.kind in ("code", "hard") and piece.end > piece.start and view.text[piece.start] in "{<":
            for a, b, value_kind in _code_values(view.text, piece.start, piece.end, shortcodes):
                segments.extend(_value_segment(view, a, b, value_kind))
    return segments


def _join_shortcodes(text: str, pieces: list[_Piece]) -> list[_Piece]:
    """pieces with each shortcode written over several lines as one code (the scanner sees its lines
    apart: text and line breaks), unless it lies inside another code (`{{< x >}}`)."""
    if "{{" not in text:
        return pieces
    for match in _SHORTCODE_RE.finditer(text):
        a, b = match.span()
        inside = [p for p in pieces if p.start < b and a < p.end]
        if "\n" not in match.group() or any(p.kind not in ("text", "soft", "hard") for p in inside):
            continue
        kept = [p for p in pieces if p.end <= a or b <= p.start]
        kept += [_Piece("text", p.start, a) for p in inside if p.kind == "text" and p.start < a]
        kept += [_Piece("text", b, p.end) for p in inside if p.kind == "text" and b < p.end]
        pieces = sorted([*kept, _Piece("code", a, b)], key=lambda p: p.start)
    return pieces


def _value_segment(view: _View, start: int, end: int, kind: str) -> list[_Found]:
    """A title or attribute value as one segment (HTML entities decoded in attribute values)."""
    raw = view.text[start:end]
    source = " ".join((html.unescape(raw) if kind == "html-attr" else raw).split())
    return [(view.doc(start), view.doc_end(end), source, kind)] if _has_letter(source) else []


def _code_values(
    text: str, start: int, end: int, shortcodes: Mapping[str, Sequence[str]]
) -> list[tuple[int, int, str]]:
    """The values a reader sees inside an inline code: an HTML tag's alt, title, aria-label and
    placeholder, a Hugo shortcode's text parameters; each as (start, end, kind)."""
    if text.startswith("{{", start):
        head = _SHORTCODE_HEAD_RE.match(text, start, end)
        names = shortcodes.get(head.group(1), ()) if head else ()
        if not names:
            return []
        close = end - 3 if text.startswith(("%}}", ">}}"), end - 3) else end
        return [
            (m.start(2) + 1, m.end(2) - 1, "shortcode-param")
            if m.group(2)[0] in '"`'
            else (m.start(2), m.end(2), "shortcode-param")
            for m in _SHORTCODE_PARAM_RE.finditer(text, head.end() if head else start, close)
            if m.group(1) in names
        ]
    tag = HTML_TAG_RE.match(text, start, end)
    name = _TAG_NAME_RE.match(text, start, end)
    if tag is None or name is None or name.group(1):
        return []
    values = []
    pos = name.end()
    button = name.group(2).lower() == "input" and _BUTTON_INPUT_RE.search(text, pos, tag.end()) is not None
    while attribute := _ATTR_RE.match(text, pos, tag.end()):
        pos = attribute.end()
        value, attr = attribute.group(2), attribute.group(1).lower()
        if value is None or not (attr in HTML_TEXT_ATTRIBUTES or (button and attr == "value")):
            continue
        quoted = value[0] in "\"'"
        values.append((attribute.start(2) + quoted, attribute.end(2) - quoted, "html-attr"))
    return values


def _html_pieces(text: str) -> list[_Piece]:
    """What a reader sees in raw HTML: text (with inline tags in it as codes), and the rest as breaks:
    block-level tags, comments, and elements whose content is not text (script, style, pre...)."""
    pieces: list[_Piece] = []
    cursor = search = 0
    while (lt := text.find("<", search)) >= 0:
        tag = HTML_TAG_RE.match(text, lt)
        if tag is None:
            search = lt + 1
            continue
        pieces.extend(_html_text_pieces(text, cursor, lt))
        name_match = _TAG_NAME_RE.match(text, lt)
        name = name_match.group(2).lower() if name_match else ""
        end = tag.end()
        if name_match is None or name_match.group(1):  # a comment, declaration or closing tag
            kind = "code" if name in _HTML_INLINE_TAGS else "hard"
        elif name in _HTML_RAW_TAGS and not tag.group().endswith("/>"):
            closing = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, end)
            end = closing.end() if closing else len(text)
            kind = "code" if name in _HTML_INLINE_RAW_TAGS else "hard"
        else:
            kind = "code" if name in _HTML_INLINE_TAGS else "hard"
        pieces.append(_Piece(kind, lt, end))
        cursor = search = end
    pieces.extend(_html_text_pieces(text, cursor, len(text)))
    return pieces


def _html_text_pieces(text: str, start: int, end: int) -> list[_Piece]:
    """HTML text between tags: its lines as text (shortcodes as codes) and the line breaks as soft breaks."""
    pieces: list[_Piece] = []
    while (newline := text.find("\n", start, end)) >= 0:
        text_end = start + len(text[start:newline].rstrip(" \t"))
        if text_end > start:
            pieces.extend(_text_pieces(text, start, text_end))
        following = newline + 1
        while following < end and text[following] in " \t":
            following += 1
        pieces.append(_Piece("soft", text_end, following))
        start = following
    if end > start:
        pieces.extend(_text_pieces(text, start, end))
    return pieces


def decode_html_text(raw: str) -> str:
    """HTML text as a reader sees it: entities decoded, except &lt; (a decoded < could read as a tag)."""
    if "&" not in raw:
        return raw
    return _ENTITY_RE.sub(lambda m: m.group() if (c := html.unescape(m.group())) == "<" else c, raw)


def _reference_titles(
    text: str, line_starts: list[int], first_line: int, references: Mapping[str, Mapping[str, Any]]
) -> list[_Found]:
    """The titles of reference definitions (``[x]: https://… "title"``), each one segment."""
    found: list[_Found] = []
    for reference in references.values():
        lines = reference.get("map")
        if not reference.get("title") or not lines:
            continue
        start = line_starts[first_line + lines[0]]
        last = first_line + lines[1]
        end = line_starts[last] if last < len(line_starts) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        opener = _TITLE_OPENER.get(text[end - 1 : end])
        j = end - 2
        while j > start and not (text[j] == opener and text[j - 1] != "\\"):
            j -= 1
        raw = text[j + 1 : end - 1]
        if j <= start or text[j - 1] not in " \t\n" or re.search(r"\n[ \t]*>", raw):
            continue  # not where it can be located (a title across quoted lines): left as it is
        source = " ".join(raw.split())
        if _has_letter(source):
            found.append((j + 1, end - 1, source, "reference-title"))
    return found


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
        and pieces[-1].source is None  # a shortcut reference's text is its label: [text][label] stays whole
    ):
        start, end = pieces[0].end, pieces[-1].start
        if view.text.startswith("[", pieces[0].start) and kind != "table-cell":
            kind = "link-text"
        pieces = pieces[1:-1]
    text = view.text
    if (
        kind == "quote"
        and len(pieces) >= 3
        and pieces[1].kind == "soft"
        and _ALERT_RE.fullmatch(text, start, pieces[0].end)
    ):
        start, pieces = pieces[2].start, pieces[2:]  # the alert's [!NOTE] line stays as it is
    # A shortcode on a line of its own opens or closes a paired shortcode: it stays in the skeleton.
    while len(pieces) >= 3 and pieces[1].kind == "soft" and _is_shortcode(text, pieces[0]) and pieces[0].end > start:
        start, pieces = pieces[2].start, pieces[2:]
    while len(pieces) >= 3 and pieces[-2].kind == "soft" and _is_shortcode(text, pieces[-1]) and pieces[-1].start < end:
        end, pieces = pieces[-3].end, pieces[:-2]
    while pieces and pieces[-1].kind == "code" and text.startswith(("{#", "{."), pieces[-1].start):
        end, pieces = min(end, pieces[-1].start), pieces[:-1]  # a heading's {#id}: skeleton
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if kind == "list-item" and _TASK_RE.match(text, start) and pieces and pieces[0].kind == "text":
        start = _TASK_RE.match(text, start).end()  # type: ignore[union-attr]
    if not any(p.kind == "text" and _has_letter(text[max(p.start, start) : min(p.end, end)]) for p in pieces):
        return None
    decode = decode_html_text if kind == "html-text" else str
    source = "".join(
        " "
        if piece.kind == "soft"
        else decode(text[max(piece.start, start) : min(piece.end, end)])
        if piece.kind == "text"
        else piece.source
        if piece.source is not None and start <= piece.start and piece.end <= end
        else text[max(piece.start, start) : min(piece.end, end)]
        for piece in pieces
        if max(piece.start, start) < min(piece.end, end)
    )
    return view.doc(start), view.doc_end(end), source, kind


def _is_shortcode(text: str, piece: _Piece) -> bool:
    return piece.kind == "code" and text.startswith("{{", piece.start)


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def collapse_spaces(text: str) -> str:
    """text with each run of white space as one space and none at either end, except inside its
    inline codes (`ls  -la`, link targets, HTML tags, shortcodes), which are kept as they are;
    U+2028, U+2029 and U+0085 are no white space to Markdown and are kept too."""
    collapsed = " ".join(text.split())
    if collapsed == text:
        return collapsed
    spaces = _SPACES_RE
    if _NOT_MARKDOWN_SPACE_RE.search(text):  # U+2028 and the like: kept where they are
        spaces = _MARKDOWN_SPACES_RE
        if _INLINE_SYNTAX_RE.search(text) is None and "{{" not in text:
            return spaces.sub(" ", text).strip(" ")
    elif collapsed == text.strip() or (_INLINE_SYNTAX_RE.search(text) is None and "{{" not in text):
        return collapsed
    parts = []
    cursor = 0
    for span in code_spans(text):
        parts.append(spaces.sub(" ", text[cursor : span.start]))
        parts.append(text[span.start : span.end])
        cursor = span.end
    parts.append(spaces.sub(" ", text[cursor:]))
    return "".join(parts).strip(" ")


def inline_codes(source: str) -> list[str]:
    """The inline codes of a segment's text (inline code, link markup, emphasis markers, HTML, shortcodes), in order."""
    return [source[span.start : span.end] for span in code_spans(source)]


def code_spans(source: str) -> tuple[Span, ...]:
    """Where the inline codes are in a segment's text; none when it cannot be parsed as inline Markdown."""
    env: dict[str, Any] = {}
    if "][" in source:  # [text][label]: a link to the document's definition of label, whatever it is
        env["references"] = {
            normalizeReference(m.group(1)): {"href": "", "title": ""} for m in _FULL_REFERENCE_RE.finditer(source)
        }
    tokens = _MD.parseInline(_mask_shortcodes(source), env)
    children = tokens[0].children if tokens and tokens[0].children else []
    try:
        pieces = _plain_pieces(source) if tokens and tokens[0].meta.get("plain") else _scan(source, children)
    except _Unlocatable:
        return ()
    pieces = _join_shortcodes(source, pieces)
    spans = []
    for piece in pieces:
        if piece.kind in ("code", "open", "close"):
            spans.append(Span(piece.start, piece.end))
        elif piece.kind == "image" and piece.alt is not None:
            spans.extend((Span(piece.start, piece.alt[0]), Span(piece.alt[1], piece.end)))
    return tuple(spans)
