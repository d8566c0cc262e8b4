"""publish: approved translations -> content/<lang>/<slug>.md, the source's structure intact."""

from __future__ import annotations

import functools
import html
import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.html_re import HTML_TAG_RE

from translate import frontmatter
from translate.approval import Checker, blocking, checks_of, file_time, refresh
from translate.checks import CheckConfig, check_config, check_page_segments
from translate.errors import ARTICLE_ERRORS, PerArticle, TranslateError
from translate.fileio import WriteBatch, read_text, write_if_changed
from translate.markdown import code_spans, collapse_spaces, inline_codes
from translate.model import Document, Segment, Severity, Span, State
from translate.pages import (
    PAGE_HASH_FIELD,
    SOURCE_HASH_FIELD,
    TRANSLATION_KEY,
    hand_edited,
    load_source,
    page_field,
    source_hash,
    stamp,
)
from translate.parallel import map_chunks
from translate.po import load_catalog
from translate.project import Project

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
        return _html_text(value)
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


def _html_text(value: str) -> str:
    """Text for raw HTML: & and < escaped where they would not read as text (tags stay tags)."""
    codes = _SHORTCODE_RE.findall(value) if "{{" in value else []
    if codes:  # a Hugo shortcode in the text stays as it is
        parts = _SHORTCODE_RE.split(value)
        return "".join(_html_text(part) + (codes[i] if i < len(codes) else "") for i, part in enumerate(parts))
    value = _BARE_AMPERSAND_RE.sub("&amp;", value)
    if "<" not in value:
        return value
    return "".join("&lt;" if ch == "<" and not HTML_TAG_RE.match(value, i) else ch for i, ch in enumerate(value))


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


def page_errors(
    text: str,
    spans: list[Span],
    lang: str,
    config: CheckConfig,
    *,
    source_text: str | None = None,
    path: object = None,
) -> list[str]:
    """The errors the page checks find on a page about to be published (``spans``: where its segments'
    translations are; ``source_text``: the Korean article), as "line N: check: message"."""
    line_starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]
    segments = [(bisect_right(line_starts, span.start), text[span.start : span.end]) for span in spans]
    return [
        f"{'line ' + str(r.line) + ': ' if r.line else ''}{r.finding.check}: {r.finding.message}"
        for r in check_page_segments(text, segments, lang, config, path=path, source_text=source_text)
        if r.finding.severity is Severity.ERROR
    ]


@dataclass
class EditedPage:
    """A page that publish refused to overwrite because it was edited by hand."""

    article: str
    lang: str
    path: Path
    tracked: bool  # it was written by publish (False: a page from before, never published by us)


@dataclass
class Blocked:
    article: str
    lang: str
    counts: Counter[str]
    sample_ids: list[str]
    errors: list[str] = field(default_factory=list)  # check findings on the page that block it
    findings: list[tuple[str, list[str]]] = field(default_factory=list)  # approved segments with errors: (id, checks)


@dataclass
class PublishReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    edited: list[EditedPage] = field(default_factory=list)


def publish(project: Project, article: str | None = None, lang: str | None = None) -> PublishReport:
    """Publish every article whose segments are all approved; report the others."""
    report = PublishReport()
    per_article = PerArticle()
    with project.lock("publish"):
        for part, error in map_chunks(_publish_chunk, project.articles(article), _publish_setup, project, lang):
            report.written.extend(part.written)
            report.unchanged.extend(part.unchanged)
            report.blocked.extend(part.blocked)
            report.edited.extend(part.edited)
            if error is None:
                per_article.done += 1
            else:
                per_article.errors.append(error)
    per_article.raise_errors()
    return report


_PublishState = tuple[Project, str | None, CheckConfig, Checker]


def _publish_setup(project: Project, lang: str | None) -> _PublishState:
    return project, lang, check_config(project.settings), Checker(project)


def _publish_chunk(state: _PublishState, slugs: list[str]) -> list[tuple[PublishReport, TranslateError | None]]:
    """Publish a few articles (pages written in the background): each one's report and error."""
    project, lang, config, checker = state
    results: list[tuple[PublishReport, TranslateError | None]] = []
    with WriteBatch() as batch:
        for slug in slugs:
            report = PublishReport()
            try:
                _publish_article(project, slug, lang, config, report, batch, checker)
            except ARTICLE_ERRORS as exc:
                results.append((report, exc))
            else:
                results.append((report, None))
    return results


def _publish_article(
    project: Project,
    slug: str,
    lang: str | None,
    config: CheckConfig,
    report: PublishReport,
    batch: WriteBatch,
    checker: Checker | None = None,
) -> None:
    """Publish one article in every (or one) target language, or say in the report why not: a segment
    not approved, or approved with an error finding on its text that no person overrode on that text."""
    doc = load_source(project, slug)
    checker = checker or Checker(project)
    for target in project.languages(lang):
        po_path = project.po_path(target, slug)
        catalog = load_catalog(po_path, article=slug, lang=target, source_lang=project.settings.source)
        refresh(catalog, checker, file_time(po_path))
        units = catalog.by_source()
        counts: Counter[str] = Counter()
        pending: list[str] = []
        refused: list[tuple[str, list[str]]] = []
        for source in dict.fromkeys(s.source for s in doc.segments):
            unit = units.get(source)
            state = unit.state.value if unit else "not extracted"
            if unit is None or unit.state is not State.APPROVED:
                counts[state] += 1
                pending.append(unit.id if unit else "")
            elif found := blocking(unit):
                refused.append((unit.id, checks_of(found)))
        if counts or refused:
            report.blocked.append(Blocked(slug, target, counts, [i for i in pending if i][:5], findings=refused))
            continue
        translations = {source: unit.target for source, unit in units.items()}
        extra = {TRANSLATION_KEY: slug, SOURCE_HASH_FIELD: source_hash(doc.text)}
        text, spans = render_with_spans(doc, translations, extra)
        path = project.content_path(target, slug)
        errors = shortcode_pipe_errors(doc, translations)
        errors += page_errors(text, spans, target, config, source_text=doc.text, path=path)
        if errors:
            report.blocked.append(Blocked(slug, target, Counter(), [], errors))
            continue
        if hand_edited(path, text):
            tracked = page_field(read_text(path)[0], PAGE_HASH_FIELD) is not None
            report.edited.append(EditedPage(slug, target, path, tracked))
            continue
        changed = write_if_changed(path, stamp(text), newline=doc.newline, bom=doc.bom, batch=batch)
        (report.written if changed else report.unchanged).append(path)
