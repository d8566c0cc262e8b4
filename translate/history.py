"""Review history lines: the one place that writes and reads them.

A unit's history is kept in the PO file's translator comments, one event per line, readable as
English and parsed back into data::

    approved by Kim on 2026-11-25T10:00:00Z [text 1a2b3c4d] over numbers, markup
    edited and approved by Lee on 2026-11-25T10:00:00Z [text 1a2b3c4d]
    rejected by Park on 2026-11-25T10:00:00Z: the number is wrong
    approved outside translate on 2026-11-25T10:00:00Z [text 1a2b3c4d]

``[text …]`` is :func:`translate.model.text_hash` of the translation the event was about, and
``over …`` the checks whose findings a person overrode on that text. Lines written before hashes
were recorded (``approved by Kim on … (over findings: numbers)``) read back with ``text`` None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

_WHEN = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
_LINE_RE = re.compile(
    rf"^(?P<action>.*?)(?: by (?P<who>.*))? on (?P<when>{_WHEN})"
    r"(?: \[text (?P<text>[0-9a-f]{4,40})\])?"
    r"(?: over (?P<over>[a-z0-9-]+(?:, [a-z0-9-]+)*))?"
    r"(?P<rest>.*)$"
)
_LEGACY_OVER_RE = re.compile(r" \(over findings: ([a-z0-9, -]+)\)")
OUTSIDE = "approved outside translate"


def now() -> str:
    """The current UTC time as history lines write it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def timestamp(seconds: float) -> str:
    """A POSIX time (a file's modification time) as history lines write it."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Event:
    """One history line as data."""

    action: str  # "approved", "edited and approved", "rejected", "edited on content/en/x.md and approved" ...
    who: str | None = None
    when: str | None = None
    text: str | None = None  # the text hash the event was about (None: a line from before hashes)
    over: tuple[str, ...] = ()  # checks whose findings were overridden
    reason: str | None = None  # why (a rejection's reason)
    rest: str = ""  # anything else on the line, as written
    line: str = field(default="", compare=False)

    @property
    def approval(self) -> bool:
        """Whether this event approved a text."""
        return _approves(self.action)

    @property
    def rejection(self) -> bool:
        return self.action == "rejected"


def parse(line: str) -> Event:
    """A history line as data; a line in no known form is an event with only its action."""
    match = _LINE_RE.match(line)
    if match is None:
        return Event(action=line, line=line)
    rest = match.group("rest")
    over = tuple(match.group("over").split(", ")) if match.group("over") else ()
    legacy = _LEGACY_OVER_RE.search(rest)
    if legacy and not over:
        over = tuple(c.strip() for c in legacy.group(1).split(",") if c.strip())
    reason = None
    if rest.startswith(": "):
        reason, rest = rest[2:], ""
    return Event(
        action=match.group("action"),
        who=match.group("who"),
        when=match.group("when"),
        text=match.group("text"),
        over=over,
        reason=reason,
        rest=rest,
        line=line,
    )


def _approves(action: str) -> bool:
    return action == OUTSIDE or action.split(" ")[-1] == "approved"


def approves(line: str, text: str) -> bool:
    """Whether a history line is an approval of the text with hash ``text`` (what :func:`parse` would
    say, without parsing the line: this is asked of every approved unit a command reads)."""
    head, found, _ = line.partition(f" [text {text}]")
    if not found:
        return False
    action = head.rpartition(" on ")[0].partition(" by ")[0]
    return _approves(action)


def latest_approval(history: Iterable[str]) -> Event | None:
    """The last approval in a history, if any."""
    found = None
    for line in history:
        event = parse(line)
        if event.approval:
            found = event
    return found


def _one_line(text: str) -> str:
    return " ".join(text.split())


def line(
    action: str,
    *,
    who: str | None = None,
    when: str | None = None,
    text: str | None = None,
    over: Iterable[str] = (),
    reason: str | None = None,
    rest: str = "",
) -> str:
    """A history line (the inverse of :func:`parse`); ``when`` defaults to now."""
    parts = [_one_line(action)]
    if who:
        parts.append(f" by {_one_line(who)}")
    parts.append(f" on {when or now()}")
    if text:
        parts.append(f" [text {text}]")
    checks = list(dict.fromkeys(over))
    if checks:
        parts.append(f" over {', '.join(checks)}")
    if reason:
        parts.append(f": {_one_line(reason)}")
    if rest.strip():  # as given, after the fields: " (exact match …)", ", absorbed for review"
        parts.append((" " if rest[0].isspace() else "") + _one_line(rest))
    return "".join(parts)


def approved(who: str, text: str, over: Iterable[str] = (), *, action: str = "approved", rest: str = "") -> str:
    """An approval of the text with hash ``text`` by ``who`` (``over``: the checks overridden)."""
    return line(action, who=who, text=text, over=over, rest=rest)


def rejected(who: str, text: str | None, reason: str) -> str:
    return line("rejected", who=who, text=text, reason=reason)


def outside(text: str, when: str) -> str:
    """A translation found approved without an approval of its text: in a PO editor, a text editor, a merge."""
    return line(OUTSIDE, when=when, text=text)
