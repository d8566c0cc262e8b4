"""Quality checks: what a reviewer must look at before a translation reaches a patient.

Segment checks run on one source/target pair (at draft time, on edit, in ``translate check``);
page checks run on a whole article as published (in ``publish`` and ``translate check``). Every
check has a name and a default severity that the project's settings can change or switch off.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import ConfigError, InputError
from translate.fileio import read_text
from translate.glossary import Glossary, apply_glossary, load_glossary
from translate.markdown import code_spans, inline_codes, parse_document
from translate.model import Finding, Severity, State, normalize_text
from translate.notices import (
    SOURCE_NOTICE_RE,
    builtin_notice,
    configured_notices,
    unchecked_languages,
    unchecked_message,
)
from translate.po import load_catalog
from translate.project import Project, Settings
from translate.visible import TEXT, describe, phrases, visible_hangul

ERROR, WARNING = Severity.ERROR, Severity.WARNING

#: Every check and its default severity.
CHECKS: dict[str, Severity] = {
    "untranslated-korean": ERROR,
    "glossary": WARNING,
    "glossary-forbidden": ERROR,
    "do-not-translate": ERROR,
    "numbers": ERROR,
    "markup": ERROR,
    "empty": ERROR,
    "same-as-source": WARNING,
    "whitespace": WARNING,
    "end-punctuation": WARNING,
    "length-ratio": WARNING,
    "disclaimer": ERROR,
    "prohibited-claims": WARNING,
    "added-text": ERROR,
}

_HANGUL_RE = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")
_BARE_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
HANGUL_LANGS = ("ko",)

# Claims that Korean medical-advertising rules (Medical Service Act art. 56) forbid or that a
# reviewer must confirm: guarantees, "no side effects", painless, permanent, superlatives, testimonials.
PROHIBITED_CLAIMS: dict[str, tuple[str, ...]] = {
    "en": (
        r"guarantee[sd]?",
        r"100\s?%",
        r"(?:no|zero|without(?: any)?) side[- ]effects?",
        r"side[- ]effect[- ]free",
        r"painless(?:ly)?",
        r"pain[- ]free",
        r"(?:no|without(?: any)?) pain",
        r"permanent(?:ly)?",
        r"the best",
        r"best (?:results?|clinic|doctors?|treatments?)",
        r"number one|no\. ?1|#1",
        r"first in korea|the first|the only",
        r"completely safe|perfectly safe|100% safe|risk[- ]free",
        r"miracle|magic(?:al)?",
        r"(?:complete|total) cure|cures? (?:completely|forever)",
        r"(?:patient|customer) (?:reviews?|testimonials?|stories)|testimonials?",
    ),
    "ko": (
        r"보장",
        r"100\s?%",
        r"부작용(?:이|은)?\s?(?:없|전혀)",
        r"통증(?:이|은)?\s?없",
        r"무통",
        r"영구적?",
        r"최고",
        r"최초",
        r"유일",
        r"완치",
        r"완벽",
        r"확실한 효과",
        r"치료\s?(?:경험담|후기)|시술\s?후기",
    ),
}

# Characters of target text per character of Korean source below which a translation is
# suspiciously short (often truncated machine translation); CJK targets are compact.
MIN_LENGTH_RATIO: dict[str, float] = {"ja": 0.35, "zh": 0.25}
DEFAULT_MIN_LENGTH_RATIO = 0.8
MIN_LENGTH_FOR_RATIO = 20


@dataclass(frozen=True)
class CheckConfig:
    """A project's choices: severities (or "off") per check, notices and claims per language."""

    severities: Mapping[str, str] = field(default_factory=dict)
    disclaimers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    prohibited_claims: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Findings with the project's severities; switched-off checks dropped; duplicates merged."""
        out: list[Finding] = []
        for finding in dict.fromkeys(findings):
            level = self.severities.get(finding.check)
            if level == "off":
                continue
            out.append(Finding(finding.check, finding.message, Severity(level)) if level else finding)
        return out


DEFAULT_CONFIG = CheckConfig()


def _base(lang: str) -> str:
    return lang.split("-")[0].lower()


def _prose(text: str) -> str:
    """text without inline codes and URLs, where Hangul and numbers may legitimately stay."""
    for span in reversed(code_spans(text)):
        text = text[: span.start] + " " + text[span.end :]
    return _BARE_URL_RE.sub(" ", text)


def check_untranslated(target: str, lang: str) -> list[Finding]:
    """Hangul left in a language that does not use it (the "Its 특징 is" failure)."""
    if _base(lang) in HANGUL_LANGS or not _HANGUL_RE.search(target):
        return []
    words = _HANGUL_RE.findall(_prose(target))
    if not words:
        return []
    return [Finding("untranslated-korean", f"Korean text left untranslated: {', '.join(dict.fromkeys(words))}", ERROR)]


def check_markup(source: str, target: str) -> list[Finding]:
    """Links (same URLs), images, inline code, emphasis, HTML and shortcodes must survive translation."""
    expected, found = Counter(inline_codes(source)), Counter(inline_codes(target))
    findings = []
    if missing := expected - found:
        findings.append(
            Finding("markup", f"markup missing from the translation: {' '.join(missing.elements())}", ERROR)
        )
    if extra := found - expected:
        findings.append(Finding("markup", f"markup not in the source: {' '.join(extra.elements())}", ERROR))
    return findings


# --- numbers -------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?([천만억]))?(?!\d)")
_KO_MULTIPLIERS = {"천": 1_000, "만": 10_000, "억": 100_000_000}
_WORD_NUMBERS = {
    "once": 1, "twice": 2, "thrice": 3, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "thousand": 1000,
    "single": 1, "double": 2, "half": 0.5, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_WORD_RE = re.compile(r"[A-Za-z]+")
# Units after a number, by what they measure, so that 30분 -> "30 hours" is caught.
_UNITS: dict[str, tuple[str, ...]] = {
    "minute": ("분", "minutes", "minute", "mins", "min"),
    "hour": ("시간", "hours", "hour", "hrs", "hr", "h"),
    "day": ("일", "days", "day"),
    "week": ("주", "weeks", "week", "wks"),
    "month": ("개월", "달", "months", "month"),
    "year": ("년", "years", "year", "yrs"),
    "times": ("회", "번", "times", "time", "sessions", "session", "treatments", "treatment", "rounds"),
    "mm": ("mm", "밀리미터", "millimeters", "millimetres"),
    "cm": ("cm", "센티미터", "centimeters", "centimetres"),
    "percent": ("%", "퍼센트", "percent", "per cent"),
    "won": ("원", "won", "krw"),
    "age": ("세", "살", "years old", "year-old", "year old"),
}
_UNIT_OF = {word: unit for unit, words in _UNITS.items() for word in words}
_UNIT_RE = re.compile(
    r"\s?(" + "|".join(sorted(map(re.escape, _UNIT_OF), key=len, reverse=True)) + r")(?![A-Za-z])", re.IGNORECASE
)


@dataclass(frozen=True)
class _Quantity:
    value: float
    unit: str | None


def _quantities(text: str) -> list[_Quantity]:
    out = []
    for match in _NUMBER_RE.finditer(text):
        value = float(match.group(1).replace(",", "") + (match.group(2) or ""))
        if match.group(3):
            value *= _KO_MULTIPLIERS[match.group(3)]
        unit_match = _UNIT_RE.match(text, match.end())
        unit = _UNIT_OF[unit_match.group(1).lower()] if unit_match else None
        if text[max(0, match.start() - 1) : match.start()] == "₩":
            unit = "won"
        out.append(_Quantity(value, unit))
    return out


def _show(value: float) -> str:
    return f"{value:g}"


def check_numbers(source: str, target: str) -> list[Finding]:
    """Numbers (ranges, decimals, prices, counts) and their units must carry over unchanged.

    Number words in the target ("twice", "one", "May") may stand for a missing number, but
    never count as extra ones; 3~6개월 -> "3 to 6 months" passes.
    """
    source_q = _quantities(_prose(source))
    target_q = _quantities(_prose(target))
    missing = Counter(q.value for q in source_q) - Counter(q.value for q in target_q)
    extra = Counter(q.value for q in target_q) - Counter(q.value for q in source_q)
    words = Counter(_WORD_NUMBERS[w.lower()] for w in _WORD_RE.findall(target) if w.lower() in _WORD_NUMBERS)
    missing -= words
    findings = []
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(map(_show, missing.elements())))
        if extra:
            parts.append("not in the source " + ", ".join(map(_show, extra.elements())))
        findings.append(Finding("numbers", f"numbers differ from the source: {'; '.join(parts)}", ERROR))
    target_units: dict[float, set[str]] = {}
    for q in target_q:
        if q.unit:
            target_units.setdefault(q.value, set()).add(q.unit)
    for q in source_q:
        units = target_units.get(q.value)
        if q.unit and units and q.unit not in units:
            findings.append(
                Finding("numbers", f"{_show(q.value)} is in {q.unit}s in the source but in {', '.join(units)}", ERROR)
            )
    return findings


# --- form --------------------------------------------------------------------------------

_END_CLASS = {".": ".", "。": ".", "!": "!", "！": "!", "?": "?", "？": "?", ":": ":", "：": ":"}
_TRAILERS = "\"'”’」』)]}*_` "


def _end_class(text: str) -> str | None:
    stripped = text.rstrip(_TRAILERS)
    return _END_CLASS.get(stripped[-1:]) if stripped else None


def check_form(source: str, target: str, lang: str) -> list[Finding]:
    """empty, same-as-source, whitespace, end-punctuation and length-ratio."""
    if not target.strip():
        return [Finding("empty", "the translation is empty", ERROR)]
    findings = []
    if (
        _base(lang) not in HANGUL_LANGS
        and normalize_text(target) == normalize_text(source)
        and _HANGUL_RE.search(source)
    ):
        findings.append(Finding("same-as-source", "the translation is the Korean source itself", WARNING))
    if target != target.strip() or "  " in target or "\n" in target:
        findings.append(Finding("whitespace", "leading, trailing, doubled spaces or line breaks in the translation"))
    source_end, target_end = _end_class(source), _end_class(target)
    if (source_end != target_end and "?" in (source_end, target_end)) or (source_end == "." and target_end is None):
        findings.append(
            Finding("end-punctuation", f"the source ends with {source_end or 'no punctuation'}, "
                    f"the translation with {target_end or 'none'}")
        )  # fmt: skip
    if len(source) >= MIN_LENGTH_FOR_RATIO:
        minimum = MIN_LENGTH_RATIO.get(_base(lang), DEFAULT_MIN_LENGTH_RATIO)
        if len(target) < minimum * len(source):
            findings.append(
                Finding("length-ratio", f"the translation is much shorter than the source "
                        f"({len(target)} vs {len(source)} characters): is something cut off?")
            )  # fmt: skip
    return findings


# --- compliance ---------------------------------------------------------------------------


def check_claims(target: str, lang: str, config: CheckConfig = DEFAULT_CONFIG) -> list[Finding]:
    """Advertising claims a reviewer must confirm (guarantees, "painless", "the best"...)."""
    regex = _claims_regex(_base(lang), config.prohibited_claims.get(lang, ()))
    if regex is None or not regex.search(target):
        return []
    found = dict.fromkeys(m.group(0) for m in regex.finditer(_prose(target)))
    if not found:
        return []
    claims = ", ".join(f'"{c}"' for c in found)
    return [Finding("prohibited-claims", f"medical-advertising rules: confirm or remove {claims}")]


@functools.lru_cache(maxsize=64)
def _claims_regex(base_lang: str, extra: tuple[str, ...]) -> re.Pattern[str] | None:
    patterns = (*PROHIBITED_CLAIMS.get(base_lang, ()), *extra)
    if not patterns:
        return None
    if base_lang in ("ko", "ja", "zh"):  # no spaces between words: a claim may sit inside one
        return re.compile("(?:" + "|".join(patterns) + ")", re.IGNORECASE)
    return re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])", re.IGNORECASE)


def check_config(settings: Settings, path: object = "pyproject.toml") -> CheckConfig:
    """The project's CheckConfig from its settings, validated (unknown check names, levels, shapes)."""
    severities, disclaimers, prohibited_claims = settings.checks, settings.disclaimers, settings.prohibited_claims
    for name, level in severities.items():
        if name not in CHECKS:
            raise ConfigError(
                f"[tool.translate.checks] has an unknown check {name!r}; known checks are: {', '.join(CHECKS)}.",
                path=path,
            )
        if level not in ("error", "warning", "off"):
            raise ConfigError(f'[tool.translate.checks] {name} must be "error", "warning" or "off".', path=path)
    texts: dict[str, dict[str, tuple[str, ...]]] = {}
    for table, values in (("disclaimers", disclaimers), ("prohibited_claims", prohibited_claims)):
        texts[table] = {}
        for lang, items in values.items():
            if isinstance(items, str):
                items = [items]
            if not isinstance(items, list | tuple) or not all(isinstance(i, str) and i.strip() for i in items):
                raise ConfigError(f"[tool.translate.{table}] {lang} must be a list of texts.", path=path)
            texts[table][lang] = tuple(items)
    for pattern in (p for items in texts["prohibited_claims"].values() for p in items):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"[tool.translate.prohibited_claims] {pattern!r} is not a valid pattern ({exc}).", path=path
            ) from None
    return CheckConfig({k: str(v) for k, v in severities.items()}, texts["disclaimers"], texts["prohibited_claims"])


def check_translation(
    source: str, target: str, lang: str, glossary: Glossary, config: CheckConfig = DEFAULT_CONFIG
) -> list[Finding]:
    """Every segment finding for a translation, as a reviewer will see it (the text is not changed)."""
    form = check_form(source, target, lang)
    if any(f.check == "empty" for f in form):
        return config.apply(form)
    _, glossary_findings = apply_glossary(source, target, lang, glossary)
    return config.apply(
        [
            *check_untranslated(target, lang),
            *check_numbers(source, target),
            *check_markup(source, target),
            *glossary_findings,
            *form,
            *check_claims(target, lang, config),
        ]
    )


@dataclass(frozen=True)
class PageFinding:
    """A finding on a published page, with the line it is on (None: the page as a whole)."""

    line: int | None
    finding: Finding


def check_page(
    text: str,
    lang: str,
    front_matter_keys: Iterable[str],
    config: CheckConfig = DEFAULT_CONFIG,
    *,
    path: object = None,
    source_text: str | None = None,
) -> list[PageFinding]:
    """Checks of a whole published page: Korean left anywhere a reader sees it, advertising claims,
    the required notices (``source_text``: the Korean article, for the built-in legal notice)."""
    doc = parse_document(text, front_matter_keys=tuple(front_matter_keys), path=path)
    segments = [(s.line, s.source) for s in doc.segments]
    return check_page_segments(text, segments, lang, config, path=path, source_text=source_text)


def check_page_segments(
    text: str,
    segments: Iterable[tuple[int, str]],
    lang: str,
    config: CheckConfig = DEFAULT_CONFIG,
    *,
    path: object = None,
    source_text: str | None = None,
) -> list[PageFinding]:
    """The page checks, given the page's text and its segments' texts with their lines.

    Korean is looked for in the whole page, not only in its segments: a title attribute, a
    shortcode parameter or a front-matter value left in Korean is an error on its line.
    """
    results: list[PageFinding] = []
    if _base(lang) not in HANGUL_LANGS:
        results.extend(_untranslated_on_page(text, path, config))
    for line, segment in segments:
        for finding in config.apply(check_claims(segment, lang, config)):
            results.append(PageFinding(line, finding))
    results.extend(PageFinding(None, f) for f in config.apply(_notices_missing(text, lang, config, source_text)))
    return results


def _untranslated_on_page(text: str, path: object, config: CheckConfig) -> list[PageFinding]:
    """One untranslated-korean finding per line holding Hangul a reader sees."""
    by_line: dict[int, dict[str, list[str]]] = {}  # line -> where -> phrases
    for run in phrases(text, visible_hangul(text, path=path)):
        by_line.setdefault(run.line, {}).setdefault("" if run.where == TEXT else describe(run), []).append(run.text)
    results: list[PageFinding] = []
    for line, places in sorted(by_line.items()):
        shown = "; ".join(
            ", ".join(dict.fromkeys(words)) + (f" ({where})" if where else "") for where, words in places.items()
        )
        message = f"Korean text left untranslated: {shown}"
        results.extend(PageFinding(line, f) for f in config.apply([Finding("untranslated-korean", message, ERROR)]))
    return results


def _notices_missing(text: str, lang: str, config: CheckConfig, source_text: str | None) -> list[Finding]:
    """The configured notices of the language the page lacks; without any configured, the built-in
    legal notice when the Korean article has it."""
    configured = configured_notices(config.disclaimers, lang)
    body = normalize_text(text).casefold()
    if configured:
        return [
            Finding(
                "disclaimer",
                f'the required notice is missing: "{notice}" (configured in [tool.translate.disclaimers])',
                ERROR,
            )
            for notice in configured
            if normalize_text(notice).casefold() not in body
        ]
    notice = builtin_notice(lang)
    if notice is None or source_text is None or not SOURCE_NOTICE_RE.search(source_text):
        return []
    if notice.pattern.search(normalize_text(text)):
        return []
    message = (
        "the Medical Service Act notice is missing: the Korean article cites 의료법 제56조, "
        f'the page has no "{notice.text}" (the built-in notice for {lang}; '
        "set your own in [tool.translate.disclaimers])"
    )
    return [Finding("disclaimer", message, ERROR)]


# --- a project's files ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A finding in a project file: a PO entry or a line of a published page."""

    path: Path
    line: int | None
    lang: str
    finding: Finding
    segment: str | None = None  # the segment id, for PO entries

    def as_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "line": self.line,
            "lang": self.lang,
            "id": self.segment,
            "check": self.finding.check,
            "severity": self.finding.severity.value,
            "message": self.finding.message,
        }


def check_project(project: Project, paths: Sequence[Path] = (), lang: str | None = None) -> list[Problem]:
    """Check PO files and published pages: the given files and folders, else every target language's."""
    config = check_config(project.settings)
    glossary = load_glossary(project.glossary_path, project.settings.source, project.settings.targets)
    files: list[Path] = []
    if paths:
        for path in paths:
            if not path.exists():
                raise InputError("no such file or folder; give PO files, Markdown pages or folders.", path=path)
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".po", ".md")) if path.is_dir() else [path])
    else:
        for target in project.languages(lang):
            files.extend(sorted((project.root / project.settings.po_dir / target).rglob("*.po")))
            files.extend(sorted((project.root / project.settings.content_dir / target).rglob("*.md")))
    problems: list[Problem] = []
    page_langs: set[str] = set()
    for path in files:
        project.inside(path)  # a link in a folder may lead elsewhere: nothing outside the project is read
        file_lang = lang or _language_of(project, path)
        if path.suffix == ".po":
            catalog = load_catalog(path, article=path.stem, lang=file_lang, source_lang=project.settings.source)
            for unit in catalog.active_units():
                if unit.state is State.UNTRANSLATED:
                    continue
                for finding in check_translation(unit.source, unit.target, file_lang, glossary, config):
                    problems.append(Problem(path, unit.po_line, file_lang, finding, unit.id))
        else:
            text = unicodedata.normalize("NFC", read_text(path)[0])
            source = _source_of(project, path)
            page_langs.add(file_lang)
            for found in check_page(
                text, file_lang, project.settings.front_matter_keys, config, path=path, source_text=source
            ):
                problems.append(Problem(path, found.line, file_lang, found.finding))
    for unchecked in unchecked_languages(project.settings):
        if unchecked in page_langs or (not paths and unchecked in project.languages(lang)):
            warning = Finding("disclaimer", unchecked_message(unchecked), WARNING)
            problems.extend(
                Problem(project.root / "pyproject.toml", None, unchecked, f) for f in config.apply([warning])
            )
    return problems


def _source_of(project: Project, page: Path) -> str | None:
    """The Korean article of a published page (content/<lang>/<slug>.md), if there is one."""
    folder = project.root / project.settings.content_dir
    try:
        parts = page.resolve().relative_to(folder.resolve()).parts
    except ValueError:
        return None
    if len(parts) < 2:
        return None
    source = project.source_dir / Path(*parts[1:])
    if not source.is_file() or source.resolve() == page.resolve():
        return None
    return unicodedata.normalize("NFC", read_text(project.inside(source), project.encoding)[0])


def _language_of(project: Project, path: Path) -> str:
    """The language of a file from its folder (po/<lang>/, content/<lang>/), else the first target."""
    for base in (project.root / project.settings.po_dir, project.root / project.settings.content_dir):
        try:
            return path.resolve().relative_to(base).parts[0]
        except (ValueError, IndexError):
            continue
    return project.settings.targets[0]
