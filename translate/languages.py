"""Language tags as the project writes them: ``ko``, ``en``, ``en-US``, ``zh-CN``."""

from __future__ import annotations


def primary_subtag(lang: str) -> str:
    """The primary language subtag, lower-case: ``zh-CN`` -> ``zh``, ``EN-us`` -> ``en``."""
    return lang.split("-", 1)[0].lower()
