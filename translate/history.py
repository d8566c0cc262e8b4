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
from collections.abc import Iterable, Sequence
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
REJECTED = "rejected"
DISMISSED = "dismissed"
COMMENTED = "commented"  # a reviewer's remark on a segment; it changes nothing else


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
        return self.action == REJECTED

    @property
    def comment(self) -> bool:
        """Whether this event is a remark (``commented by Kim on …: text``), which decides nothing."""
        return self.action == COMMENTED

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


# What must never reach a PO comment: control characters (C0, DEL, C1), the line and paragraph
# separators other readers end lines at, bidirectional overrides (they make a line read as another)
# and lone surrogates (not encodable). Each becomes a space.
_UNSAFE = r"\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_RE = re.compile(rf"[\x00-\x1f{_UNSAFE}]")
_UNSAFE_BUT_LF_RE = re.compile(rf"[\x00-\x09\x0b-\x1f{_UNSAFE}]")
NAME_LIMIT = 80  # characters of a reviewer's name
TEXT_LIMIT = 1000  # characters of a reason or any other text on a history line


def one_line(text: str, limit: int = TEXT_LIMIT) -> str:
    """text made safe for one PO comment line: unsafe characters and runs of white space one space,
    at most ``limit`` characters (a longer text is cut, ending with an ellipsis)."""
    text = " ".join(_UNSAFE_RE.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


COMMENT_LIMIT = 2 * TEXT_LIMIT  # characters of any comment line translate writes


def comment_lines(text: str) -> str:
    """Comment lines (joined by LF) as they may stand in a PO file: each one :func:`one_line` at most
    COMMENT_LIMIT characters; unchanged, after one search, when they are safe (the usual case)."""
    if len(text) <= COMMENT_LIMIT and _UNSAFE_BUT_LF_RE.search(text) is None:
        return text
    return "\n".join(one_line(line, COMMENT_LIMIT) for line in text.split("\n"))


def reviewer_name(name: str) -> str:
    """A reviewer's name as history lines record it (one line, at most NAME_LIMIT characters)."""
    return one_line(name, NAME_LIMIT)


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
    parts = [one_line(action)]
    name = reviewer_name(who or "")
    if name:
        parts.append(f" by {name}")
    parts.append(f" on {when or now()}")
    if text:
        parts.append(f" [text {text}]")
    checks = list(dict.fromkeys(over))
    if checks:
        parts.append(f" over {', '.join(checks)}")
    if reason:
        parts.append(f": {one_line(reason)}")
    if rest.strip():  # as given, after the fields: " (exact match …)", ", absorbed for review"
        parts.append((" " if rest[0].isspace() else "") + one_line(rest))
    return "".join(parts)


def approved(who: str, text: str, over: Iterable[str] = (), *, action: str = "approved", rest: str = "") -> str:
    """An approval of the text with hash ``text`` by ``who`` (``over``: the checks overridden)."""
    return line(action, who=who, text=text, over=over, rest=rest)


def rejected(who: str, text: str | None, reason: str) -> str:
    return line(REJECTED, who=who, text=text, reason=reason)


def dismissed(who: str, text: str, check: str, reason: str) -> str:
    """A finding of ``check`` dismissed by ``who`` on the text with hash ``text``, and why."""
    return line(DISMISSED, who=who, text=text, over=[check], reason=reason)


def commented(who: str, text: str) -> str:
    """A reviewer's comment on a segment (one line, normalised as every comment translate writes)."""
    return line(COMMENTED, who=who, reason=text)


def is_comment(line: str) -> bool:
    """Whether a history line is a comment (which a reader of states and approvals passes over)."""
    return line.startswith(COMMENTED + " ") and parse(line).comment


def decisions(lines: Iterable[str]) -> list[str]:
    """The history lines that are not comments."""
    return [line for line in lines if not is_comment(line)]


def rejects(lines: Sequence[str]) -> bool:
    """Whether the latest decision of a history (comments decide nothing) is a rejection: a
    translation marked fuzzy with such a history is in the rejected state."""
    decided = decisions(lines) if lines and is_comment(lines[-1]) else lines
    return bool(decided) and parse(decided[-1]).rejection


def outside(text: str, when: str) -> str:
    """A translation found approved without an approval of its text: in a PO editor, a text editor, a merge."""
    return line(OUTSIDE, when=when, text=text)
