"""render: a source article with each segment replaced by its translation, the rest as it was.

What publish writes, and what status, absorb and the review page compare a page with: the text
between segments (the skeleton) is copied as it is; a translation is escaped for the place it
goes (a table cell, a title, an attribute, raw HTML, a line that would start another block) and
a front-matter value written as YAML in the original's style.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Mapping

from markdown_it import MarkdownIt
from markdown_it.common.html_re import HTML_TAG_RE

from translate import frontmatter
from translate.markdown import code_spans, collapse_spaces, inline_codes
from translate.model import Document, Segment, Span

# Text that would start a different Markdown block if it began a line (a thematic break only when
# the line holds nothing else: ***Important*** is emphasis; ``` only when no backtick follows on
# the line: ```x``` is a code span; a marker's space is a space or tab: U+2028 is none).
_BLOCK_START_RE = re.compile(
    r"^(?:#{1,6}(?=[ \t]|$)|[-+*](?=[ \t]|$)|\d{1,9}(?=[.)](?:[ \t]|$))|>|={2,}|`{3,}(?=[^`]*$)|~{3,}"
    r"|(?:-[ \t]*){3,}$|(?:_[ \t]*){3,}$|(?:\*[ \t]*){3,}$)"
)
# (a definition's ": " and a footnote's "[^1]: " too)
_LINE_PREFIX_RE = re.compile(r"^[ \t>]*(?:(?:[-+*:~]|\d{1,9}[.)])[ \t]+|\[\^[^\]\s]+\]:[ \t]*)?$")
_MAX_LINE_PREFIX = 200
_UNESCAPED_PIPE_RE = re.compile(r"(?<!\\)\|")
_SHORTCODE_RE = re.compile(r"\{\{[<%](?:(?!\{\{).)*?[%>]\}\}", re.DOTALL)  # as in markdown.py: never across "{{"
# A GFM table's delimiter row (|---|:--:|, or --- alone): the line above it is a table's header row
# when its cells (split at | and \|) are as many as the row's.
_DELIMITER_ROW_RE = re.compile(r"[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_PIPE_RE = re.compile(r"((?:\\\\)*)\\?\|")  # a pipe, escaped or not, after any escaped backslashes
_TABLE_PARSER = MarkdownIt("commonmark").enable("table").disable("inline")  # blocks only: where tables are
_RULE_ONLY_RE = re.compile(r"[-*_][-*_ \t]*$")
_BARE_AMPERSAND_RE = re.compile(r"&(?!#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
# Segments that are a value inside markup (a title, an attribute, a shortcode parameter).
VALUE_KINDS = frozenset({"link-title", "image-title", "reference-title", "html-attr", "shortcode-param"})


def _body_text(segment: Segment, value: str, doc_text: str) -> str:
    """value made safe to splice where the segment's source stood."""
    value = collapse_spaces(value)
    if value == segment.source:
        return doc_text[segment.span.start : segment.span.end]
    if segment.kind in VALUE_KINDS:
        value = _value_text(segment, value, doc_text)
        if "|" in value and segment.kind != "shortcode-param" and _before_delimiter_row(doc_text, segment.span.end):
            value = _PIPE_RE.sub(r"\1&#124;", value)  # a title (an entity reads as | there too)
        return value
    if "\n" in value:  # a code over two lines (a tag, a link's "title"): its lines keep the container's > or indent
        original = doc_text[segment.span.start : segment.span.end]
        for code in dict.fromkeys(inline_codes(segment.source)):
            if "\n" in code and (found := _find_code(original, code)):
                value = value.replace(code, found[1])
    if segment.kind == "html-text":
        return _html_text(value, tuple(code for code in inline_codes(segment.source) if code.startswith("<")))
    if "|" in value:
        if segment.kind == "table-cell" or segment.line in _table_rows(doc_text):  # \| is | in a cell
            value = _UNESCAPED_PIPE_RE.sub(r"\\|", value)
        elif _before_delimiter_row(doc_text, segment.span.end):  # \| would still count as a cell's end
            value = _pipes_as_references(value)
    if _RULE_ONLY_RE.match(value):  # *** inside *…* or on a line of its own would be a thematic break
        return re.sub(r"[-*_]", r"\\\g<0>", value)
    # Only a short run of indentation, quote and list markers can stand before a line's text.
    line_start = doc_text.rfind("\n", max(0, segment.span.start - _MAX_LINE_PREFIX), segment.span.start) + 1
    at_line_start = line_start > 0 or segment.span.start <= _MAX_LINE_PREFIX
    prefix = doc_text[line_start : segment.span.start]
    if at_line_start and _LINE_PREFIX_RE.match(prefix):  # an ATX heading's prefix (## ) does not match
        match = _BLOCK_START_RE.match(value)
        if match:
            cut = match.end() if value[match.start()].isdigit() else match.start()
            value = value[:cut] + "\\" + value[cut:]
    return value


@functools.lru_cache(maxsize=8)
def _table_rows(doc_text: str) -> frozenset[int]:
    """The lines (numbered from 1, as Segment.line) of doc_text's body that are rows of a table."""
    block = frontmatter.find_block(doc_text)
    start = block.end if block else 0
    first = doc_text.count("\n", 0, start) + 1
    rows: set[int] = set()
    for token in _TABLE_PARSER.parse(doc_text[start:]):
        if token.type == "table_open" and token.map:
            rows.update(range(first + token.map[0], first + token.map[1]))
    return frozenset(rows)


def _before_delimiter_row(doc_text: str, end: int) -> bool:
    """Whether the line after the one holding offset end is a table's delimiter row (a setext
    heading's --- is one): a | on the line above could make it a table's header."""
    at = doc_text.find("\n", end)
    if at < 0:
        return False
    after = doc_text.find("\n", at + 1)
    return _DELIMITER_ROW_RE.match(doc_text, at + 1, len(doc_text) if after < 0 else after) is not None


def _pipes_as_references(value: str) -> str:
    """value with each | outside its inline codes written &#124; (a | or \\| would split a table header)."""
    out = []
    cursor = 0
    for span in (*code_spans(value), Span(len(value), len(value))):
        out.append(_PIPE_RE.sub(r"\1&#124;", value[cursor : span.start]))
        out.append(value[span.start : span.end])
        cursor = span.end
    return "".join(out)


def shortcode_pipe_errors(doc: Document, translations: Mapping[str, str]) -> list[str]:
    """The page errors for a | in the translation of a shortcode parameter in a table row (its line in
    the source): Hugo reads shortcodes before Markdown and shows \\| and &#124; as written, so no
    escape keeps both Hugo's page and the Markdown table (translate's own reading, GitHub's) right."""
    errors = []
    for segment in doc.segments:
        value = translations[segment.source]
        if segment.kind != "shortcode-param" or "|" not in value or value == segment.source:
            continue
        if segment.line in _table_rows(doc.text):
            errors.append(
                f"line {segment.line} of the Korean article: shortcode-pipe-in-table: the translation of a "
                f"shortcode parameter in a table row holds a | ({value!r}); Markdown readers would end the "
                "cell there and Hugo shows an escaped one as written: write it without |"
            )
    return errors


def _value_text(segment: Segment, value: str, doc_text: str) -> str:
    """A title, attribute value or shortcode parameter, escaped for the quotes around it (quoted
    when the source's value was not)."""
    before = doc_text[segment.span.start - 1] if segment.span.start else ""
    if segment.kind == "html-attr":  # | too, as &#124;: a tag may stand in a table row
        escaped = html.escape(value, quote=True).replace("|", "&#124;")
        return escaped if before in "\"'" else f'"{escaped}"'
    if before == "`":
        return value.replace("`", "'")
    if segment.kind != "shortcode-param":  # a Markdown title; \| is | everywhere, and keeps a table row whole
        value = _UNESCAPED_PIPE_RE.sub(r"\\|", value)
    if before in "\"'":
        return re.sub(rf"(?<!\\){before}", lambda m: "\\" + m.group(), value)
    if before == "(":
        return re.sub(r"(?<!\\)[()]", lambda m: "\\" + m.group(), value)
    return json.dumps(value, ensure_ascii=False)  # an unquoted shortcode parameter


def _find_code(original: str, code: str, start: int = 0) -> tuple[int, str] | None:
    """Where a code of a segment's text is in the source (from start), and as it is written there: a code
    over two lines in a block quote or list item has the container's > or indentation on its next line."""
    at = original.find(code, start)
    if at >= 0 or "\n" not in code:
        return (at, code) if at >= 0 else None
    found = re.compile(re.escape(code).replace("\\\n", r"\n[ \t>]*")).search(original, start)
    return (found.start(), found.group()) if found else None


def _html_text(value: str, kept: tuple[str, ...] = ()) -> str:
    """Text for raw HTML: & and < escaped where they would not read as text (tags stay tags, and so
    does a <…> of the source's, kept: <https://…> is a tag to a browser, not an autolink)."""
    codes = _SHORTCODE_RE.findall(value) if "{{" in value else []
    if codes:  # a Hugo shortcode in the text stays as it is
        parts = _SHORTCODE_RE.split(value)
        return "".join(_html_text(part, kept) + (codes[i] if i < len(codes) else "") for i, part in enumerate(parts))
    value = _BARE_AMPERSAND_RE.sub("&amp;", value)
    if "<" not in value:
        return value
    return "".join(
        "&lt;" if ch == "<" and not HTML_TAG_RE.match(value, i) and not value.startswith(kept, i) else ch
        for i, ch in enumerate(value)
    )


def _with_values(
    doc: Document, parent: Segment, text: str, children: tuple[Segment, ...], translations: Mapping[str, str]
) -> tuple[str, list[Span]]:
    """The parent's spliced text with the translations of the values inside its codes (a link title
    in a sentence: the translator keeps the code, the title is its own segment), and each child's span in it."""
    start = parent.span.start
    original = doc.text[start : parent.span.end]
    if text == original and all(translations[c.source] == c.source for c in children):
        return text, [Span(c.span.start - start, c.span.end - start) for c in children]
    located: list[tuple[int, str]] = []  # each code of the parent's source and where it is in the original
    cursor = 0
    for code in inline_codes(parent.source):
        if written_as := _find_code(original, code, cursor):
            located.append(written_as)
            cursor = written_as[0] + len(written_as[1])
    edits: dict[str, dict[tuple[int, int], tuple[str, list[int]]]] = {}  # code -> range in it -> text, children
    for index, child in enumerate(children):
        a, b = child.span.start - start, child.span.end - start
        for at, code in located:
            if at <= a and b <= at + len(code):
                value = translations[child.source]
                new = original[a:b] if value == child.source else _body_text(child, value, doc.text)
                edits.setdefault(code, {}).setdefault((a - at, b - at), (new, []))[1].append(index)
                break
    spans: list[Span | None] = [None] * len(children)
    out: list[str] = []
    written = cursor = 0
    while found := [(at, code) for code in edits if (at := text.find(code, cursor)) >= 0]:
        at, code = min(found)
        out.append(text[cursor:at])
        written += at - cursor
        last = 0
        for (a, b), (new, indices) in sorted(edits[code].items()):
            out.append(code[last:a])
            written += a - last
            for index in indices:
                spans[index] = spans[index] or Span(written, written + len(new))
            out.append(new)
            written += len(new)
            last = b
        out.append(code[last:])
        written += len(code) - last
        cursor = at + len(code)
    out.append(text[cursor:])
    result = "".join(out)
    placed = []
    for child, span in zip(children, spans, strict=True):
        if span is None:  # not placed: point the page checks at its source text, if it is still there
            raw = doc.text[child.span.start : child.span.end]
            at = result.find(raw)
            span = Span(at, at + len(raw)) if at >= 0 else Span(len(result), len(result))
        placed.append(span)
    return result, placed


def render(doc: Document, translations: Mapping[str, str], extra_front_matter: Mapping[str, str] = {}) -> str:
    """The document with every segment's span replaced by its translation.

    Everything between segments (the skeleton) is copied as it is. ``extra_front_matter`` keys are
    added to the front matter unless the source already sets them.
    """
    return render_with_spans(doc, translations, extra_front_matter)[0]


def render_with_spans(
    doc: Document, translations: Mapping[str, str], extra_front_matter: Mapping[str, str] = {}
) -> tuple[str, list[Span]]:
    """Like :func:`render`, with where each segment's translation sits in the result."""
    text = doc.text
    out: list[str] = []
    spans: list[Span] = []
    cursor = 0
    written = 0  # characters in out
    fm_end = doc.front_matter.end if doc.front_matter else None
    for index, segment in enumerate(doc.segments):
        if segment.span.end <= cursor:
            continue  # a value inside the previous segment's codes: placed with it
        if fm_end is not None and cursor <= fm_end <= segment.span.start:
            out.append(text[cursor:fm_end])
            out.append(frontmatter.additions(doc, extra_front_matter))
            written += len(out[-2]) + len(out[-1])
            cursor = fm_end
        out.append(text[cursor : segment.span.start])
        written += len(out[-1])
        value = translations[segment.source]
        original = text[segment.span.start : segment.span.end]
        if value == segment.source:
            out.append(original)
        elif segment.kind.startswith("front-matter:"):
            out.append(frontmatter.yaml_scalar(value, original))
        else:
            out.append(_body_text(segment, value, text))
        children = doc.segments[index + 1 : _after_children(doc.segments, index)]
        child_spans: list[Span] = []
        if children:
            out[-1], child_spans = _with_values(doc, segment, out[-1], children, translations)
        spans.append(Span(written, written + len(out[-1])))
        spans.extend(Span(written + s.start, written + s.end) for s in child_spans)
        written += len(out[-1])
        cursor = segment.span.end
    if fm_end is not None and cursor <= fm_end:
        out.append(text[cursor:fm_end])
        out.append(frontmatter.additions(doc, extra_front_matter))
        cursor = fm_end
    out.append(text[cursor:])
    result = "".join(out)
    if doc.front_matter is None and extra_front_matter:
        prefix = frontmatter.new_block(extra_front_matter)
        result = prefix + result
        spans = [Span(span.start + len(prefix), span.end + len(prefix)) for span in spans]
    return result, spans


def _after_children(segments: tuple[Segment, ...], index: int) -> int:
    """The index after the segments that lie inside segments[index]'s span (values in its codes)."""
    end = segments[index].span.end
    after = index + 1
    while after < len(segments) and segments[after].span.end <= end:
        after += 1
    return after
