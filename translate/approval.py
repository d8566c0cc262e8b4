"""A translation is approved only as the text a person approved, and judged only by findings of that text.

Every reader of translations (review, status, publish, serve, extract) passes a catalogue it loaded
through :func:`refresh`: a unit whose msgstr is not the text its findings were computed for (the
``checked`` hash) is checked again, and an approved unit whose latest approval is of another text
was approved outside translate (a PO editor, a text editor, a merge): it stays approved, and its
history says so. :func:`blocking` is what publish refuses: error findings on an approved text that
no person overrode on that exact text.
"""

from __future__ import annotations

import os
from pathlib import Path

from translate import history
from translate.checks import CheckConfig, check_config, check_translation
from translate.glossary import Glossary, cached_glossary
from translate.model import Catalog, Finding, Severity, State, Unit, text_hash
from translate.project import Project


class Checker:
    """Runs the segment checks with a project's glossary and check settings, reading them on first use
    (a catalogue whose findings are all current never loads the glossary)."""

    def __init__(self, project: Project, glossary: Glossary | None = None) -> None:
        self.project = project
        self._glossary = glossary
        self._config: CheckConfig | None = None

    @property
    def config(self) -> CheckConfig:
        if self._config is None:
            self._config = check_config(self.project.settings)
        return self._config

    @property
    def glossary(self) -> Glossary:
        if self._glossary is None:
            settings = self.project.settings
            self._glossary = cached_glossary(self.project.glossary_path, settings.source, settings.targets)
        return self._glossary

    def check(self, unit: Unit, lang: str) -> list[Finding]:
        """The findings of the unit's current translation."""
        return check_translation(unit.source, unit.target, lang, self.glossary, self.config)


def file_time(path: Path) -> str:
    """When a file was last written, as history lines write times (now, for a missing file)."""
    try:
        return history.timestamp(os.stat(path).st_mtime)
    except OSError:
        return history.now()


def refresh(catalog: Catalog, checker: Checker, when: str) -> bool:
    """Findings of every translated unit made those of its current text, in the project's severities;
    approvals made outside translate recorded (``when``: the PO file's time). Return whether a unit
    changed (so that a caller that writes the file keeps it)."""
    changed = False
    for unit in catalog.active_units():
        changed = refresh_unit(unit, catalog.lang, checker, when) or changed
    return changed


def refresh_unit(unit: Unit, lang: str, checker: Checker, when: str) -> bool:
    """:func:`refresh` of one active unit (for a command that reads a file's units one at a time)."""
    if unit.state is State.UNTRANSLATED or not unit.target:
        unit.checked = None
        return False
    changed = False
    current = text_hash(unit.target)
    seen = unit.checked  # the text translate last wrote (None: never written with a hash)
    if unit.checked != current:
        unit.findings = checker.check(unit, lang)
        unit.checked = current
        changed = True
    elif unit.findings:
        unit.findings = checker.config.apply(unit.findings)
    if unit.state is State.APPROVED and not _approved_as_is(unit.history, current, seen):
        unit.history.append(history.outside(current, when))
        changed = True
    return changed


def _approved_as_is(lines: list[str], current: str, seen: str | None) -> bool:
    """Whether the latest approval in a history is of the text with hash ``current``. A line from
    before hashes counts when it is the last event and translate had not seen another text since."""
    if lines and history.approves(lines[-1], current):  # the usual case
        return True
    events = [history.parse(line) for line in lines]
    last = next((i for i in range(len(events) - 1, -1, -1) if events[i].approval), None)
    if last is None:
        return False
    if events[last].text is not None:
        return events[last].text == current
    # a dismissal after it was of the text as it is, so it keeps that text approved
    later = [e for e in events[last + 1 :] if not e.comment]
    return all(e.dismissal and e.text == current for e in later) and seen in (None, current)


def settled(unit: Unit) -> dict[str, history.Event]:
    """The checks a person dismissed or overrode on the unit's current text, each with the event that
    did so (``review dismiss``, an approval with ``--force``); they come back when the text changes."""
    if not unit.history or not unit.target:
        return {}
    return history.settled(unit.history, text_hash(unit.target))


def open_findings(unit: Unit) -> list[Finding]:
    """The unit's findings that no person dismissed or overrode on its current text."""
    if not unit.findings:
        return []
    done = settled(unit)
    return [f for f in unit.findings if f.check not in done]


def blocking(unit: Unit) -> list[Finding]:
    """The error findings that keep an approved unit from being published: on its current text, not
    dismissed nor overridden on that text. (Findings must be current: see :func:`refresh`.)"""
    if unit.state is not State.APPROVED:
        return []
    errors = [f for f in unit.findings if f.severity is Severity.ERROR]
    if not errors:
        return []
    done = settled(unit)
    return [f for f in errors if f.check not in done]


def checks_of(findings: list[Finding]) -> list[str]:
    """The distinct check names of findings, in order."""
    return list(dict.fromkeys(f.check for f in findings))
