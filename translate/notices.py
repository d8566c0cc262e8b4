"""The Medical Service Act notice (의료법 제56조) on every language's page.

A Korean clinic article cites article 56 of the Medical Service Act; its translations must say so
too. A language's notices come from ``[tool.translate.disclaimers]``; a language without
configured notices is checked against the built-in one below, and a language with neither is
reported, so that nobody believes a notice is checked when it is not. Kept free of heavy
imports: ``translate status`` uses it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from translate.project import Settings

#: The notice in a Korean article: 의료법 제56조, 의료법 56조 (spacing free).
SOURCE_NOTICE_RE = re.compile(r"의료법\s*(?:제\s*)?56\s*조")


@dataclass(frozen=True)
class Notice:
    """A built-in notice: the text to write and the pattern a page must hold."""

    text: str
    pattern: re.Pattern[str]


_ARTICLE_56 = Notice("Article 56", re.compile(r"(?<![\w])article\s*56(?!\d)", re.IGNORECASE))
_CJK_ARTICLE_56 = Notice("第56条", re.compile(r"第\s*56\s*[条條]"))
#: Built-in notices by primary language (zh covers zh-CN, zh-TW...).
BUILTIN_NOTICES: dict[str, Notice] = {"en": _ARTICLE_56, "ja": _CJK_ARTICLE_56, "zh": _CJK_ARTICLE_56}


def builtin_notice(lang: str) -> Notice | None:
    """The built-in notice of a language, if it has one."""
    return BUILTIN_NOTICES.get(lang.split("-")[0].lower())


def configured_notices(disclaimers: Mapping[str, Any], lang: str) -> tuple[str, ...]:
    """The notices ``[tool.translate.disclaimers]`` sets for a language (zh-CN and zh-cn are one)."""
    found = disclaimers.get(lang)
    if found is None:
        found = next((v for k, v in disclaimers.items() if k.lower() == lang.lower()), ())
    return (found,) if isinstance(found, str) else tuple(found)


def unchecked_languages(settings: Settings) -> list[str]:
    """The target languages whose pages no notice is checked on: none configured, none built in
    (and the disclaimer check is not switched off)."""
    if settings.checks.get("disclaimer") == "off":
        return []
    return [
        lang
        for lang in settings.targets
        if not configured_notices(settings.disclaimers, lang) and builtin_notice(lang) is None
    ]


def unchecked_message(lang: str) -> str:
    """What to tell about a language no notice is checked on."""
    return (
        f"no legal notice is checked on {lang} pages: [tool.translate.disclaimers] has no {lang} entry and there "
        f'is no built-in one for {lang}. Add {lang} = ["…"] with the {lang} text of the Medical Service Act '
        "article 56 notice."
    )
