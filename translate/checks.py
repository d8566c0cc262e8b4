"""Quality checks on one translated segment: what a reviewer must look at before approving."""

from __future__ import annotations

import re
from collections import Counter

from translate.glossary import Glossary, apply_glossary
from translate.markdown import code_spans, inline_codes
from translate.model import Finding, Severity

_HANGUL_RE = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")
HANGUL_LANGS = ("ko",)


def _prose(text: str) -> str:
    """text without its inline codes (URLs, inline code, HTML), where Hangul may legitimately stay."""
    spans = code_spans(text)
    for span in reversed(spans):
        text = text[: span.start] + " " + text[span.end :]
    return text


def check_untranslated(target: str, lang: str) -> list[Finding]:
    """Hangul left in a language that does not use it (the "Its 특징 is" failure)."""
    if lang.split("-")[0] in HANGUL_LANGS:
        return []
    words = _HANGUL_RE.findall(_prose(target))
    if not words:
        return []
    return [
        Finding(
            "untranslated-korean",
            f"Korean text left untranslated: {', '.join(dict.fromkeys(words))}",
            Severity.ERROR,
        )
    ]


def check_markup(source: str, target: str) -> list[Finding]:
    """Links, images, inline code, emphasis, HTML and shortcodes must survive translation."""
    expected, found = Counter(inline_codes(source)), Counter(inline_codes(target))
    missing = expected - found
    extra = found - expected
    findings = []
    if missing:
        findings.append(
            Finding(
                "markup",
                f"markup missing from the translation: {' '.join(missing.elements())}",
                Severity.ERROR,
            )
        )
    if extra:
        findings.append(Finding("markup", f"markup not in the source: {' '.join(extra.elements())}", Severity.ERROR))
    return findings


def check_translation(source: str, target: str, lang: str, glossary: Glossary) -> list[Finding]:
    """Every finding for a translation, as a reviewer will see it (the text is not changed)."""
    if not target.strip():
        return [Finding("empty", "the translation is empty", Severity.ERROR)]
    _, glossary_findings = apply_glossary(source, target, lang, glossary)
    return [*check_untranslated(target, lang), *check_markup(source, target), *glossary_findings]
