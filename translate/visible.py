"""Hangul a reader can see on a page: the safety net behind the checks and extract.

:func:`visible_hangul` finds every run of Hangul in a Markdown page that a reader (or a search
engine) sees: prose, headings, list items, table cells, image alt text, link and image titles,
reference-definition titles, footnotes, HTML text, the attributes listed in
:data:`VISIBLE_ATTRIBUTES`, Hugo shortcode parameter values, and front-matter string values.

Not visible, so never reported: URLs and paths (link and image targets, autolinks, bare URLs,
reference-definition targets, ``href``/``src`` and every attribute not listed, shortcode
parameters and front-matter values that are a URL or path), inline code, fenced and indented
code blocks, HTML comments, Hugo comment shortcodes ``{{</* */>}}``, ``<script>`` and
``<style>``, YAML comments and keys, and front-matter values under the identifier keys of
:data:`IDENTIFIER_KEYS` (at any depth).

Pages without Hangul cost one regular-expression search; the analysis of the page's structure
is done only for the rare page that has some.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import yaml
from markdown_it import MarkdownIt

from translate import frontmatter
from translate.markdown import HTML_TEXT_ATTRIBUTES
from translate.model import Span

HANGUL_RE = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")

#: HTML attributes whose values a reader sees (shown, read aloud or offered as text).
VISIBLE_ATTRIBUTES = HTML_TEXT_ATTRIBUTES | {
    "value",  # the text of <input type="button|submit"> and <button> (extracted only there)
    "content",  # <meta name="description" content="...">: reported, not extracted
}
#: Front-matter keys whose values are identifiers or paths, never text a reader sees.
IDENTIFIER_KEYS = frozenset(
    key.lower()
    for key in (
        "slug",
        "url",
        "aliases",
        "translationKey",
        "translationHash",
        "translationSourceHash",
        "layout",
        "type",
        "kind",
        "id",
        "weight",
        "draft",
        "lang",
        "language",
        "languageCode",
        "markup",
        "outputs",
        "image",
        "images",
        "featured_image",
        "featuredImage",
        "thumbnail",
        "cover_image",
        "src",
        "file",
        "path",
        "permalink",
        "link",
        "canonical",
        "redirect",
        "template",
        "video",
        "audio",
        "icon",
        "logo",
    )
)

TEXT, FRONT_MATTER, ATTRIBUTE, TITLE, SHORTCODE = "text", "front-matter", "attribute", "title", "shortcode"


@dataclass(frozen=True, slots=True)
class HangulRun:
    """Hangul a reader sees: where, and in what kind of place.

    ``where`` is one of ``text`` (prose, headings, HTML text, alt text, footnotes), ``front-matter``
    (``detail``: the key path, list indices as numbers), ``attribute`` (``detail``: its name),
    ``title`` (a link, image or reference-definition title) or ``shortcode`` (``detail``: the
    shortcode's name and the parameter's name or position).
    """

    start: int
    end: int
    line: int
    text: str
    where: str = TEXT
    detail: str = ""


@dataclass(frozen=True, slots=True)
class _Place:
    """A visible stretch of a page that is not prose: a title, an attribute value, a parameter..."""

    start: int
    end: int
    where: str
    detail: str = ""


# A URL or a path: a scheme, an absolute or relative path, or a file name with an extension.
_URL_OR_PATH_RE = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:(?://)?\S*|(?:/|\./|\.\./|~/|#)\S*|www\.\S+|\S+\.[A-Za-z][A-Za-z0-9]{1,4})"
)
_BARE_URL_RE = re.compile(r"(?:(?:https?|ftp)://|www\.|mailto:)\S+", re.IGNORECASE)
_HTML_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_RAW_ELEMENT_RE = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_HUGO_COMMENT_RE = re.compile(r"\{\{([<%])/\*.*?\*/\1\}\}", re.DOTALL)
_SHORTCODE_RE = re.compile(r"\{\{([<%])((?:(?!\{\{).)*?)([%>])\}\}", re.DOTALL)  # never across "{{"
_SHORTCODE_ARG_RE = re.compile(r'(?:([\w-]+)=)?("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)', re.DOTALL)
_TAG_RE = re.compile(
    r"""</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""", re.DOTALL
)
_ATTRIBUTE_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_AUTOLINK_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_BACKTICKS_RE = re.compile(r"(?<!\\)`+")
_REFERENCE_RE = re.compile(r"^[ ]{0,3}\[(?!\^)(?:[^\]\\]|\\.)+\]:", re.MULTILINE)
_LINK_TAIL_RE = re.compile(r"\]\(")
_FULL_REFERENCE_RE = re.compile(r"\]\[((?:[^\]\\]|\\.)+)\]")
_NEWLINE_RE = re.compile("\n")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_CODE_HINT_RE = re.compile(r"```|~~~|^(?: {4}|\t)", re.MULTILINE)


def is_url_or_path(value: str) -> bool:
    """Whether a value (a parameter, a front-matter string) is a URL or a path, not text."""
    return _URL_OR_PATH_RE.fullmatch(value.strip()) is not None


@functools.cache
def _block_parser() -> MarkdownIt:
    """CommonMark's block rules only: where code blocks and HTML blocks are."""
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


class _Layout:
    """What of a page readers do not see, and the visible places inside it.

    ``hidden``: structure (front matter, code, comments, tags, shortcodes, link targets);
    ``places``: visible stretches inside hidden ones (attribute values, titles, parameters,
    front-matter values); ``masked``: hidden even inside a place (bare URLs).
    """

    def __init__(self) -> None:
        self.hidden: list[tuple[int, int]] = []
        self.places: list[_Place] = []
        self.masked: list[tuple[int, int]] = []

    def hide(self, start: int, end: int) -> None:
        if end > start:
            self.hidden.append((start, end))

    def show(self, start: int, end: int, where: str, detail: str = "") -> None:
        self.places.append(_Place(start, end, where, detail))


def visible_hangul(text: str, *, path: object = None, skip: Sequence[Span] = ()) -> list[HangulRun]:
    """Every run of Hangul a reader sees in a page's text (LF line ends), in order.

    ``skip``: the spans of the page's segments (sorted): Hangul they translate is left out (prose
    inside a segment, or a place that is a segment itself). A front matter that is not valid
    YAML is an InputError naming ``path`` and the line.
    """
    if not skip and HANGUL_RE.search(text) is None:  # nearly every translated page
        return []
    block = frontmatter.find_block(text) if text.startswith("---") else None
    body_start = block.end if block else 0
    runs = _candidates(text, body_start, skip) if skip else [m.span() for m in HANGUL_RE.finditer(text)]
    if not runs:
        return []
    layout = _Layout()
    if block is not None:
        layout.hide(0, block.end)
        if runs[0][0] < block.end:
            _front_matter(text, block, layout, path)
    if runs[-1][0] >= body_start:
        _body(text, body_start, layout)
    layout.masked.extend(m.span() for m in _BARE_URL_RE.finditer(text) if HANGUL_RE.search(m.group()))
    return _leftover(text, runs, layout, skip)


# Markup that can put a visible place (an attribute, a parameter, a link title) inside a sentence.
_MARKUP_HINT_RE = re.compile(r"""<[A-Za-z!/]|\{\{|\]\([^)\s]*\s+["'(]|^[ ]{0,3}\[[^\]\n]+\]:""", re.MULTILINE)


def _candidates(text: str, body_start: int, skip: Sequence[Span]) -> list[tuple[int, int]]:
    """The Hangul runs that a segment may not translate: those between segments, and those inside
    a body segment that holds markup (an attribute, a parameter, a link title may be in it)."""
    runs: list[tuple[int, int]] = []
    cursor = 0
    search = HANGUL_RE.search
    for span in skip:
        if span.start > cursor and search(text, cursor, span.start):
            runs.extend(m.span() for m in HANGUL_RE.finditer(text, cursor, span.start))
        if span.end > cursor:
            cursor = span.end
    runs.extend(m.span() for m in HANGUL_RE.finditer(text, cursor))
    starts = [span.start for span in skip]
    marked: set[int] = set()
    for hint in _MARKUP_HINT_RE.finditer(text, body_start):
        k = bisect_right(starts, hint.start()) - 1
        if k >= 0 and hint.start() < skip[k].end and k not in marked:
            marked.add(k)
            runs.extend(m.span() for m in HANGUL_RE.finditer(text, skip[k].start, skip[k].end))
    return sorted(runs) if marked else runs


def _leftover(text: str, runs: list[tuple[int, int]], layout: _Layout, skip: Sequence[Span]) -> list[HangulRun]:
    """The visible parts of runs, each with its place; those a segment translates left out."""
    hidden = _merge(layout.hidden)
    masked = _merge(layout.masked)
    places = sorted(layout.places, key=lambda p: p.start)
    place_starts = [p.start for p in places]
    skip_starts = [s.start for s in skip]
    line_starts: list[int] | None = None
    found: list[HangulRun] = []
    for start, end in runs:
        shown = list(_subtract(start, end, hidden))
        k = bisect_right(place_starts, end) - 1
        while k >= 0 and places[k].end > start:
            if places[k].start < end:
                shown.append((max(start, places[k].start), min(end, places[k].end)))
            k -= 1
        for piece_start, piece_end in _merge(shown):
            for a, b in _subtract(piece_start, piece_end, masked):
                k = bisect_right(place_starts, a) - 1
                place = places[k] if k >= 0 and places[k].end >= b else None
                if skip and _translated(a, b, place, skip, skip_starts):
                    continue
                if line_starts is None:
                    line_starts = [0, *(m.end() for m in _NEWLINE_RE.finditer(text))]
                line = bisect_right(line_starts, a)
                where, detail = (place.where, place.detail) if place else (TEXT, "")
                found.append(HangulRun(a, b, line, text[a:b], where, detail))
    return found


def _translated(a: int, b: int, place: _Place | None, skip: Sequence[Span], starts: list[int]) -> bool:
    """Whether a segment translates text[a:b]: prose inside a segment, or a place whose segment it is."""
    k = bisect_right(starts, a) - 1
    while k >= 0 and skip[k].end >= b:
        span = skip[k]
        if place is None or (place.start <= span.start and span.end <= place.end):
            return True
        k -= 1
    return False


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _subtract(start: int, end: int, hidden: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The parts of [start, end) outside the (merged, sorted) hidden intervals."""
    k = max(bisect_right(hidden, (start, len(hidden) and hidden[-1][1] + 1)) - 1, 0)
    cursor = start
    while k < len(hidden) and hidden[k][0] < end:
        a, b = hidden[k]
        if b > cursor:
            if a > cursor:
                yield cursor, a
            cursor = b
        k += 1
    if cursor < end:
        yield cursor, end


# --- front matter ------------------------------------------------------------------------------


def _front_matter(text: str, block: frontmatter.Block, layout: _Layout, path: object) -> None:
    """The front matter is hidden but for its string values (identifier keys and paths left out)."""
    root = frontmatter.compose(text[block.yaml.start : block.yaml.end], block.yaml.start, text, path)
    if root is None:
        return
    offset = block.yaml.start
    for trail, node in _strings(root, ()):
        if not is_url_or_path(node.value):
            start, end = offset + node.start_mark.index, offset + node.end_mark.index
            layout.show(start, end, FRONT_MATTER, ".".join(map(str, trail)))


def _strings(
    node: yaml.Node, trail: frontmatter.KeyPath, depth: int = 0
) -> Iterator[tuple[frontmatter.KeyPath, yaml.ScalarNode]]:
    """Every string holding Hangul in the front matter with its key path, identifier keys left out."""
    if depth > 50:  # an alias inside itself
        return
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str" and HANGUL_RE.search(node.value):
            yield trail, node
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _strings(item, (*trail, index), depth + 1)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if key.lower() not in IDENTIFIER_KEYS:
                yield from _strings(value_node, (*trail, key), depth + 1)


# --- the body ------------------------------------------------------------------------------------


def _body(text: str, body_start: int, layout: _Layout) -> None:
    """Hide what readers do not see in the body and note the visible places inside it."""
    code: list[tuple[int, int]] = []  # code blocks: hidden
    html: list[tuple[int, int]] = []  # HTML blocks: no Markdown syntax inside
    body = text[body_start:]
    if _CODE_HINT_RE.search(body) or "<" in body:
        line_starts = [body_start, *(m.end() for m in _NEWLINE_RE.finditer(text, body_start))]
        for token in _block_parser().parse(body):
            if token.map is not None and token.type in ("fence", "code_block", "html_block"):
                first, last = token.map
                span = (line_starts[first], line_starts[last] if last < len(line_starts) else len(text))
                (html if token.type == "html_block" else code).append(span)
    taken = _Intervals(code)  # what later rules must not look into
    for a, b in code:
        layout.hide(a, b)
    for pattern in (_HTML_COMMENT_RE, _HUGO_COMMENT_RE, _RAW_ELEMENT_RE):
        for m in pattern.finditer(text, body_start):
            if not taken.holds(m.start()):
                layout.hide(*m.span())
                taken.add(*m.span())
    shortcodes = [m for m in _SHORTCODE_RE.finditer(text, body_start) if not taken.holds(m.start())]
    for m in shortcodes:
        _shortcode(m, layout)
        taken.add(*m.span())
    not_markdown = _Intervals([*taken.items, *html])
    for span in _code_spans(text, body_start, not_markdown):
        layout.hide(*span)
        taken.add(*span)
    for m in _AUTOLINK_RE.finditer(text, body_start):
        if not taken.holds(m.start()):
            layout.hide(*m.span())
            taken.add(*m.span())
    for m in _TAG_RE.finditer(text, body_start):
        if not taken.holds(m.start()):
            _tag(m, layout)
            taken.add(*m.span())
    not_markdown = _Intervals([*taken.items, *html])
    for m in _LINK_TAIL_RE.finditer(text, body_start):
        if not not_markdown.holds(m.start()):
            _destination(text, m.end(), layout, inline=True)
    for m in _REFERENCE_RE.finditer(text, body_start):
        if not not_markdown.holds(m.start()):
            layout.hide(*m.span())
            _destination(text, m.end(), layout, inline=False)
    for m in _FULL_REFERENCE_RE.finditer(text, body_start):
        if not not_markdown.holds(m.start()):
            layout.hide(*m.span(1))


class _Intervals:
    """Intervals of the text already accounted for: is a position inside one?"""

    def __init__(self, items: Sequence[tuple[int, int]] = ()) -> None:
        self.items = list(items)
        self._merged: list[tuple[int, int]] | None = None

    def add(self, start: int, end: int) -> None:
        self.items.append((start, end))
        self._merged = None

    def holds(self, pos: int) -> bool:
        if self._merged is None:
            self._merged = _merge(self.items)
        k = bisect_right(self._merged, (pos, len(self._merged) and self._merged[-1][1] + 1)) - 1
        return k >= 0 and pos < self._merged[k][1]


def _shortcode(m: re.Match[str], layout: _Layout) -> None:
    """A shortcode is hidden but for its parameter values that are not URLs or paths."""
    layout.hide(*m.span())
    inner, offset = m.group(2), m.start(2)
    args = list(_SHORTCODE_ARG_RE.finditer(inner))
    if not args or args[0].group(2).startswith("/"):
        return
    name = args[0].group(2)
    for position, arg in enumerate(args[1:]):
        a, b = arg.span(2)
        if inner[a] in '"`':
            a, b = a + 1, b - 1
        if HANGUL_RE.search(inner, a, b) and not is_url_or_path(inner[a:b]):
            layout.show(offset + a, offset + b, SHORTCODE, f"{name} {arg.group(1) or position}")


def _tag(m: re.Match[str], layout: _Layout) -> None:
    """An HTML tag is hidden but for the values of its visible attributes."""
    layout.hide(*m.span())
    tag = m.group(0)
    name = re.match(r"</?[A-Za-z][A-Za-z0-9-]*", tag)
    assert name is not None
    for attr in _ATTRIBUTE_RE.finditer(tag, name.end()):
        if attr.group(2) is None or attr.group(1).lower() not in VISIBLE_ATTRIBUTES:
            continue
        a, b = attr.span(2)
        if tag[a] in "\"'":
            a, b = a + 1, b - 1
        if HANGUL_RE.search(tag, a, b) and not is_url_or_path(tag[a:b]):
            layout.show(m.start() + a, m.start() + b, ATTRIBUTE, attr.group(1).lower())


def _code_spans(text: str, body_start: int, skip: _Intervals) -> Iterator[tuple[int, int]]:
    """Inline code: a run of backticks to the next run of the same length in the same paragraph."""
    runs = [m.span() for m in _BACKTICKS_RE.finditer(text, body_start) if not skip.holds(m.start())]
    i = 0
    while i < len(runs):
        a, b = runs[i]
        j = next((j for j in range(i + 1, len(runs)) if runs[j][1] - runs[j][0] == b - a), None)
        if j is not None and not _BLANK_LINE_RE.search(text, b, runs[j][0]):
            yield a, runs[j][1]
            i = j + 1
        else:
            i += 1


def _space(text: str, i: int) -> int:
    """Past spaces and tabs, and one line break (not a blank line)."""
    n = len(text)
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] == "\n":
        i += 1
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == "\n":
            return -1
    return i


def _destination(text: str, pos: int, layout: _Layout, *, inline: bool) -> None:
    """From pos (after ``](`` or a reference's ``]:``), the target and title of a link: when they
    are one, the target is hidden and the title noted as a visible place."""
    n = len(text)
    i = start = _space(text, pos)
    if i < 0:
        return
    if text.startswith("<", i):
        i = text.find(">", i) + 1
        if i == 0 or "\n" in text[start:i]:
            return
    else:
        depth = 0
        while i < n and text[i] > " ":
            if text[i] == "\\":
                i += 1
            elif text[i] == "(":
                depth += 1
            elif text[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        if depth or (i == start and not inline):
            return
    dest_end = i
    title: tuple[int, int] | None = None
    after = dest_end
    j = _space(text, dest_end)
    if j > dest_end and j < n and text[j] in "\"'(":
        close = ")" if text[j] == "(" else text[j]
        k = j + 1
        while k < n and text[k] != close:
            k += 2 if text[k] == "\\" else 1
        if k < n and not _BLANK_LINE_RE.search(text, j, k):
            title, after = (j + 1, k), k + 1
    if inline:
        end = _space(text, after)
        if end < 0 or not text.startswith(")", end):
            if title is None:
                return
            title, end = None, _space(text, dest_end)  # what looked like a title is not one
            if end < 0 or not text.startswith(")", end):
                return
    else:
        line_end = text.find("\n", after)
        if text[after : line_end if line_end >= 0 else n].strip():
            if title is None:
                return
            title = None
            line_end = text.find("\n", dest_end)
            if text[dest_end : line_end if line_end >= 0 else n].strip():
                return
    layout.hide(start, dest_end)
    if title is not None and HANGUL_RE.search(text, *title):
        layout.show(title[0], title[1], TITLE)


def phrases(text: str, runs: Sequence[HangulRun]) -> list[HangulRun]:
    """Runs on the same line and in the same place joined into phrases (피부, 관리 -> 피부 관리)
    when only spaces and punctuation stand between them."""
    joined: list[HangulRun] = []
    for run in runs:
        last = joined[-1] if joined else None
        if (
            last is not None
            and (last.line, last.where, last.detail) == (run.line, run.where, run.detail)
            and not any(ch.isalnum() for ch in text[last.end : run.start])
        ):
            joined[-1] = HangulRun(last.start, run.end, last.line, text[last.start : run.end], run.where, run.detail)
        else:
            joined.append(run)
    return joined


def describe(run: HangulRun) -> str:
    """Where a run is, for a message: "the title attribute", "front matter faq.0.question"..."""
    if run.where == FRONT_MATTER:  # tags.0 -> tags: the line tells which item
        key, _, last = run.detail.rpartition(".")
        return f"front matter {key if last.isdigit() and key else run.detail}"
    if run.where == ATTRIBUTE:
        return f"the HTML {run.detail} attribute"
    if run.where == TITLE:
        return "a link title"
    if run.where == SHORTCODE:
        name, _, parameter = run.detail.partition(" ")
        what = f"parameter {int(parameter) + 1}" if parameter.isdigit() else f"parameter {parameter}"
        return f"{what} of the shortcode {name}"
    return "text"
