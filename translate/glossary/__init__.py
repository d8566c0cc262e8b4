"""The terminology glossary, one module a job.

* :mod:`~translate.glossary.matcher`: the terms and the matcher that finds them in a source text.
* :mod:`~translate.glossary.korean`: the Korean particle and light-verb rules the matcher applies.
* :mod:`~translate.glossary.loader`: glossary.yaml read and validated (and cached for ``serve``).
* :mod:`~translate.glossary.target`: whether a translation uses a term's target (English stems).
* :mod:`~translate.glossary.repair`: a translation checked against its source's terms, copied
  source terms replaced.
"""

from __future__ import annotations

from translate.glossary.loader import cached_glossary, load_glossary, parse_glossary
from translate.glossary.matcher import Glossary, Term, TermMatch
from translate.glossary.repair import apply_glossary
from translate.glossary.target import target_contains

__all__ = [
    "Glossary",
    "Term",
    "TermMatch",
    "apply_glossary",
    "cached_glossary",
    "load_glossary",
    "parse_glossary",
    "target_contains",
]
