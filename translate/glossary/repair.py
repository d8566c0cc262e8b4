"""A translation checked against the glossary terms of its source, and copied source terms replaced."""

from __future__ import annotations

from collections.abc import Mapping

from translate.glossary.korean import _in_light_verb
from translate.glossary.matcher import Glossary, Term, _match_key
from translate.glossary.target import _name_in, _verb_of, target_contains
from translate.model import Finding, Severity


def apply_glossary(source: str, target: str, lang: str, glossary: Glossary) -> tuple[str, list[Finding]]:
    """Check a translation against the glossary terms found in its source.

    Source terms left untranslated in the target are replaced by their translation (with any
    attached particle dropped); missing translations, forbidden variants and altered names are
    reported. Returns the new target and the findings.
    """
    found: dict[str, tuple[Term, str]] = {}
    as_noun: set[str] = set()  # terms used at least once as a noun, not only in a light verb
    for match in glossary.find(source):
        wanted = match.term.target_for(lang)
        if wanted is not None:
            found.setdefault(match.term.source, (match.term, wanted))
            if not _in_light_verb(source, match.end):
                as_noun.add(match.term.source)
    target, findings = _replace_leftovers(target, glossary, found)
    approved = [wanted for _, wanted in found.values()]
    for term, wanted in found.values():
        hint = f" ({term.note})" if term.note else ""
        if term.keep:
            if not _name_in(target, wanted):
                message = f'"{term.source}" is a name: write it exactly as "{wanted}"{hint}'
                findings.append(Finding("do-not-translate", message, Severity.ERROR))
        elif not target_contains(target, wanted, lang) and (
            term.source in as_noun or not _verb_of(target, wanted, lang)
        ):
            message = f'"{term.source}" should be translated as "{wanted}"{hint}'
            findings.append(Finding("glossary", message))
        for variant in term.forbidden_for(lang):
            if target_contains(target, variant, lang) and not any(
                target_contains(other, variant, lang) for other in approved
            ):
                message = f'"{term.source}" should be translated as "{wanted}", not "{variant}"'
                findings.append(Finding("glossary-forbidden", message, Severity.ERROR))
    return target, findings


def _replace_leftovers(
    target: str, glossary: Glossary, found: Mapping[str, tuple[Term, str]]
) -> tuple[str, list[Finding]]:
    """Replace source terms copied into ``target`` (the "Its 특징 is" failure)."""
    parts: list[str] = []
    findings: list[Finding] = []
    done = 0
    for match, after in zip(*glossary._scan(target), strict=True):
        if match.term.source not in found or _in_light_verb(target, match.end):
            continue  # a Korean verb left in the text (시술합니다) has no English to put in its place
        term, wanted = found[match.term.source]
        if _match_key(term.source)[0] == _match_key(wanted)[0]:
            continue  # a name written the same in both languages (HIFES): nothing to replace
        prefix = "".join(parts) + target[done : match.start]
        replacement = wanted
        if not term.keep and (not prefix.strip() or prefix.rstrip()[-1] in ".!?"):
            replacement = replacement[0].upper() + replacement[1:]
        if prefix[-1:].isalnum():
            replacement = " " + replacement
        if target[after : after + 1].isalnum():
            replacement += " "
        parts += [target[done : match.start], replacement]
        message = f'replaced untranslated "{target[match.start : after]}" with "{wanted}"'
        findings.append(Finding("glossary", message, Severity.WARNING))
        done = after
    return "".join(parts) + target[done:], findings
