"""HTML pieces of the review page: glossary highlighting, word diffs and Markdown.

Every text from sources, machine translation and reviewers is escaped here or by the templates'
autoescaping; only the markup this module adds is trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from translate import worddiff
from translate.frontmatter import find_block
from translate.glossary import Glossary, target_contains
from translate.markdown import preview_parser
from translate.model import Span

# Private-use characters that mark the current segment in Markdown until it is rendered.
_OPEN, _CLOSE = "\ue000", "\ue001"
_TAG_RE = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class TermView:
    """A glossary term found in a segment's source, as the reviewer sees it."""

    source: str
    target: str | None  # the expected translation in the segment's language
    present: bool  # the draft uses it
    note: str | None
    keep: bool
    forbidden: tuple[str, ...]


def wrap(text: str, spans: Iterable[tuple[int, int, str]], css: str) -> Markup:
    """text escaped, with each (start, end, title) span in a <mark>; overlapping spans after the first are dropped."""
    out: list[str] = []
    cursor = 0
    for start, end, title in sorted(spans):
        if start < cursor or end <= start:
            continue
        out.append(escape(text[cursor:start]))
        out.append(Markup('<mark class="{}" title="{}">{}</mark>').format(css, title, text[start:end]))
        cursor = end
    out.append(escape(text[cursor:]))
    return Markup("").join(out)


def glossary_terms(glossary: Glossary, source: str, target: str, lang: str) -> list[TermView]:
    """The glossary terms in source, each with its expected translation and whether target uses it."""
    views: dict[str, TermView] = {}
    for match in glossary.find(source):
        term = match.term
        wanted = term.target_for(lang)
        present = bool(wanted) and bool(target) and target_contains(target, wanted or "", lang)
        views.setdefault(
            term.source, TermView(term.source, wanted, present, term.note, term.keep, term.forbidden_for(lang))
        )
    return list(views.values())


def highlight_source(glossary: Glossary, source: str, lang: str) -> Markup:
    """The source with its glossary terms marked (the expected translation as the title)."""
    spans = [(m.start, m.end, m.term.target_for(lang) or "") for m in glossary.find(source)]
    return wrap(source, spans, "term")


def highlight_target(target: str, terms: Sequence[TermView]) -> Markup:
    """The translation with the expected glossary translations marked where it uses them."""
    spans: list[tuple[int, int, str]] = []
    for term in terms:
        if term.target:
            pattern = re.compile(r"(?<!\w)" + re.escape(term.target) + r"\w*", re.IGNORECASE)
            spans.extend((m.start(), m.end(), term.source) for m in pattern.finditer(target))
    return wrap(target, spans, "term")


_DIFF_HTML = {"same": Markup("{}"), "removed": Markup("<del>{}</del>"), "added": Markup("<ins>{}</ins>")}


def diff_words(old: str, new: str) -> Markup:
    """A word-level diff of two texts (:func:`translate.worddiff.diff`): removed words in <del>, added in <ins>."""
    return Markup(" ").join(_DIFF_HTML[kind].format(words) for kind, words in worddiff.diff(old, new))


def render_markdown(text: str, marks: Sequence[Span] = ()) -> Markup:
    """A Markdown page as HTML with the text of ``marks`` highlighted.

    Read as translate reads Markdown (emphasis next to Korean included: :func:`translate.markdown.preview_parser`);
    raw HTML in the page is shown as text, never run; the front matter is shown as it is.
    """
    for span in sorted(marks, key=lambda s: s.start, reverse=True):
        text = text[: span.start] + _OPEN + text[span.start : span.end] + _CLOSE + text[span.end :]
    front = find_block(text)
    head = Markup("")
    if front:
        head = Markup('<pre class="front-matter">{}</pre>').format(text[: front.end].rstrip("\n"))
        text = text[front.end :]
    html = str(head) + preview_parser().render(text)
    # A mark that fell inside a tag (alt text, link title) is dropped; the others become <mark>.
    html = _TAG_RE.sub(lambda m: m.group(0).replace(_OPEN, "").replace(_CLOSE, ""), html)
    return Markup(html.replace(_OPEN, '<mark class="current">').replace(_CLOSE, "</mark>"))
