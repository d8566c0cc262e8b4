"""Review history lines: the one place that writes and reads them.

A unit's history is kept in the PO file's translator comments, one event per line, readable as
English and parsed back into data::

    approved by Kim on 2026-11-25T10:00:00Z [text 1a2b3c4d] over numbers, markup
    edited and approved by Lee on 2026-11-25T10:00:00Z [text 1a2b3c4d]
    rejected by Park on 2026-11-25T10:00:00Z: the number is wrong
    approved outside translate on 2026-11-25T10:00:00Z [text 1a2b3c4d]
    dismissed by Kim on 2026-11-25T10:00:00Z [text 1a2b3c4d] over numbers: 1회 here is "each session"

``[text …]`` is :func:`translate.model.text_hash` of the translation the event was about, and
``over …`` the checks whose findings a person overrode on that text. Lines written before hashes
were recorded (``approved by Kim on … (over findings: numbers)``) read back with ``text`` None.
A dismissal (``review dismiss``) names its check in ``over`` and gives its reason after the colon.
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
DISMISSED = "dismissed"


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

    @property
    def dismissal(self) -> bool:
        """Whether this event dismissed findings (``over``) on a text, leaving the unit's state as it was."""
        return self.action == DISMISSED

    def settles(self) -> str:
        """How this event settled a finding, as a reviewer reads it: "dismissed by Kim on …: reason"."""
        who = self.who or "someone"
        if self.dismissal:
            return f"dismissed by {who} on {self.when}" + (f": {self.reason}" if self.reason else "")
        return f"overridden by {who} ({self.action} on {self.when} over the finding)"

    def as_json(self) -> dict[str, str | None]:
        """The event as data: action, by, on (UTC time), reason."""
        return {"action": self.action, "by": self.who, "on": self.when, "reason": self.reason}


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


def settled(lines: Iterable[str], text: str) -> dict[str, Event]:
    """The checks a person dismissed or overrode on the text with hash ``text``, each with the latest
    event that did so: dismissals and approvals of that text since it last became the text (an approval
    followed by a rejection overrides nothing). An approval from before hashes counts when it is the
    latest approval: it is trusted as approving the text as it is."""
    found: dict[str, Event] = {}
    rejected = approval_seen = False
    for event in map(parse, reversed(list(lines))):
        if event.text is None:
            if not event.approval:
                continue
            if not (approval_seen or rejected):
                found.update((check, event) for check in event.over if check not in found)
            break
        if event.text != text:
            break
        if event.dismissal or (event.approval and not rejected):
            found.update((check, event) for check in event.over if check not in found)
        approval_seen = approval_seen or event.approval
        rejected = rejected or event.rejection
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


def dismissed(who: str, text: str, check: str, reason: str) -> str:
    """A finding of ``check`` dismissed by ``who`` on the text with hash ``text``, and why."""
    return line(DISMISSED, who=who, text=text, over=[check], reason=reason)


def outside(text: str, when: str) -> str:
    """A translation found approved without an approval of its text: in a PO editor, a text editor, a merge."""
    return line(OUTSIDE, when=when, text=text)
