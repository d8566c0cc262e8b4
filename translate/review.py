"""review: the queue of drafts, and a reviewer's approve / edit / reject decisions."""

from __future__ import annotations

import getpass
import hashlib
import os
import pickle
import subprocess
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from translate import history
from translate.approval import (
    Checker,
    blocking,
    checks_of,
    file_time,
    open_findings,
    refresh,
    refresh_unit,
    settled,
)
from translate.errors import ConfigError, PerArticle, ReviewError
from translate.markdown import collapse_spaces
from translate.model import Catalog, Finding, KeptEntry, Severity, State, Unit, text_hash
from translate.po import load_catalog, read_units, save_catalog
from translate.project import Project
from translate.tm import Suggester, Suggestion, attach_suggestions
from translate.worddiff import word_diff

QUEUE_STATES = (State.DRAFT, State.REJECTED, State.UNTRANSLATED)
SPOOL_BATCH = 1000  # queue items written to queue_stream's temporary file at a time


@dataclass
class QueueItem:
    """One unit of one article and language, as a reviewer sees it."""

    article: str
    lang: str
    unit: Unit
    suggestions: list[Suggestion] = field(default_factory=list)  # fuzzy memory matches
    changed_from: str | None = None  # the previous source of a carried-over draft this decision cleared
    kept: list[KeptEntry] = field(
        default_factory=list
    )  # entries of the PO file with this msgid that translate leaves alone

    @property
    def id(self) -> str:
        return self.unit.id

    @property
    def blocking(self) -> list[Finding]:
        """Error findings that keep this approved translation from being published (none overridden)."""
        return blocking(self.unit)

    def as_json(self) -> dict[str, object]:
        unit = self.unit
        done = settled(unit) if unit.findings else {}
        return {
            "id": unit.id,
            "article": self.article,
            "lang": self.lang,
            "source": unit.source,
            "target": unit.target,
            "state": unit.state.value,
            "needs_editing": unit.needs_editing,
            "blocked": checks_of(self.blocking),
            "origin": unit.origin,
            "findings": [
                {
                    "check": f.check,
                    "severity": f.severity.value,
                    "message": f.message,
                    "dismissed": done[f.check].as_json() if f.check in done else None,
                }
                for f in unit.findings
            ],
            "glossary": [n.removeprefix("glossary: ") for n in unit.notes if n.startswith("glossary: ")],
            "locations": [f"{path}:{line}" for path, line in unit.locations],
            "history": unit.history,
            "comments": [{"by": c.who, "on": c.when, "text": c.reason} for c in comments(unit)],
            "suggestions": [s.as_json() for s in self.suggestions],
            "kept": [{"line": k.po_line, "context": k.context, "plural": k.plural} for k in self.kept],
        }

    def kept_notes(self) -> list[str]:
        """What to tell a reviewer about entries with this msgid that translate leaves alone."""
        return [
            f"the PO file also has this sentence with {k.why} (line {k.po_line}): translate keeps such entries "
            "as they are and never reviews or publishes them; the translation that counts is this one"
            for k in self.kept
            if not k.obsolete
        ]


def default_reviewer() -> str:
    """Who is reviewing: git's user.name, else the login name."""
    try:
        name = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or getpass.getuser()


def _reviewer(name: str | None) -> str:
    """The reviewer's name as it is recorded: one line, bounded; an empty one is refused."""
    recorded = history.reviewer_name(default_reviewer() if name is None else name)
    if not recorded:
        raise ConfigError(
            "the reviewer's name is empty; give it with --reviewer NAME (it is recorded with every decision)."
        )
    return recorded


def _catalogs(
    project: Project,
    lang: str | None,
    article: str | None,
    per_article: PerArticle,
    files: Iterable[tuple[str, str]] | None = None,
) -> Iterator[tuple[Catalog, Path]]:
    """The catalogues in scope (``files``: just these (language, article) ones), each unit's findings
    those of its current text in the project's check settings (:func:`translate.approval.refresh`); a
    PO file that cannot be read is recorded in per_article and skipped."""
    checker = Checker(project)
    if files is None:
        files = [(target, slug) for target in project.languages(lang) for slug in project.articles(article)]
    for target, slug in files:
        path = project.po_path(target, slug)
        if not path.exists():
            continue
        catalog: Catalog | None = None
        with per_article.article():
            catalog = load_catalog(path, article=slug, lang=target, source_lang=project.settings.source)
            refresh(catalog, checker, file_time(path))
        if catalog is not None:
            yield catalog, path


def queue(
    project: Project,
    lang: str | None = None,
    article: str | None = None,
    states: Iterable[State] = QUEUE_STATES,
    *,
    blocked: bool = True,
    suggest: bool = True,
    search: str = "",
) -> list[QueueItem]:
    """Units awaiting review (by default drafts, rejected and untranslated), errors first; with
    ``blocked``, also approved units that publish refuses (errors on their text, not overridden);
    ``suggest``: with their fuzzy memory matches; ``search``: only units whose source or translation
    holds that text (the review page's search: :func:`translate.index.matches`)."""
    from translate.index import matches

    wanted = set(states)
    per_article = PerArticle()
    files = _files(project, lang, article, search) if search else None  # only the PO files the index finds it in
    items = [
        QueueItem(c.article, c.lang, u, kept=kept.get(u.source, []))
        for c, _ in _catalogs(project, lang, article, per_article, files)
        for kept in [_kept_by_source(c)]
        for u in c.active_units()
        if (u.state in wanted or (blocked and blocking(u))) and (not search or matches(search, u.source, u.target))
    ]
    per_article.raise_errors()
    if suggest:
        attach_suggestions(project, items)
    return sorted(items, key=lambda i: (not _has_error(open_findings(i.unit)), i.article, i.lang))


def queue_stream(
    project: Project,
    lang: str | None = None,
    article: str | None = None,
    states: Iterable[State] = QUEUE_STATES,
    *,
    search: str = "",
) -> Iterator[QueueItem]:
    """:func:`queue`'s items (with their suggestions) in its order, for a listing of any size: each PO
    file is read one unit at a time and the items wait in a temporary file, not in memory, until every
    file was read (a file that cannot be read fails the listing before any item is given)."""
    from translate.index import matches

    wanted = set(states)
    per_article = PerArticle()
    checker = Checker(project)
    suggester = Suggester(project)
    kept: dict[tuple[str, str], dict[str, list[KeptEntry]]] = {}
    places: dict[tuple[bool, str, str], list[int]] = {}  # (no error, article, lang) -> where its batches are
    with tempfile.TemporaryFile() as spool:
        for target, slug in _files(project, lang, article, search):
            path = project.po_path(target, slug)
            if not path.exists():
                continue
            with per_article.article():
                catalog, units = read_units(path, article=slug, lang=target, source_lang=project.settings.source)
                when = file_time(path)
                batches: dict[bool, list[QueueItem]] = {True: [], False: []}
                for unit in units:
                    if unit.obsolete:
                        continue
                    refresh_unit(unit, target, checker, when)
                    listed = unit.state in wanted or blocking(unit)
                    if listed and (not search or matches(search, unit.source, unit.target)):
                        item = QueueItem(slug, target, unit)
                        suggester.attach([item])
                        batch = batches[not _has_error(open_findings(unit))]
                        batch.append(item)
                        if len(batch) >= SPOOL_BATCH:
                            _spool(spool, batch, places.setdefault((batch is batches[True], slug, target), []))
                for no_error, batch in batches.items():
                    _spool(spool, batch, places.setdefault((no_error, slug, target), []))
                if catalog.kept:
                    kept[(slug, target)] = _kept_by_source(catalog)
        per_article.raise_errors()
        for key in sorted(places):
            for offset in places[key]:
                spool.seek(offset)
                for item in pickle.load(spool):
                    item.kept = kept.get((item.article, item.lang), {}).get(item.unit.source, [])
                    yield item


def _spool(spool: IO[bytes], items: list[QueueItem], offsets: list[int]) -> None:
    """Write items at the end of the spool file, noting where."""
    if items:
        spool.seek(0, os.SEEK_END)
        offsets.append(spool.tell())
        pickle.dump(items, spool, protocol=pickle.HIGHEST_PROTOCOL)
        items.clear()


def _files(project: Project, lang: str | None, article: str | None, search: str) -> list[tuple[str, str]]:
    """The (language, article) PO files a queue reads: with a search, only those the index finds it in."""
    if not search:
        return [(target, slug) for target in project.languages(lang) for slug in project.articles(article)]
    from translate.index import Query, SegmentIndex

    with SegmentIndex.open(project) as index:
        index.refresh()
        query = Query(article=article or "", lang=lang or "", state="all", text=search)
        return sorted({(k[0], k[1]) for k in index.keys(query)})


def _kept_by_source(catalog: Catalog) -> dict[str, list[KeptEntry]]:
    by_source: dict[str, list[KeptEntry]] = {}
    for entry in catalog.kept:
        by_source.setdefault(entry.source, []).append(entry)
    return by_source


def _has_error(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


@dataclass
class Decisions:
    """What a review action did: units changed, and units refused with the reason."""

    done: list[QueueItem] = field(default_factory=list)
    refused: list[tuple[QueueItem, str]] = field(default_factory=list)


# A review decision on one unit: None when done, a reason when refused, "" when not concerned.
Action = Callable[[QueueItem], str | None]


class ConflictError(ReviewError):
    """The segment changed after the reviewer saw it (another reviewer saved first)."""


def unit_version(unit: Unit) -> str:
    """A fingerprint of what a reviewer saw of a unit (state, translation, history); every decision changes it."""
    seen = "\0".join([unit.state.value, unit.target, unit.origin or "", *unit.history])
    return hashlib.sha1(seen.encode("utf-8")).hexdigest()[:12]


def _check_versions(
    catalogs: list[tuple[Catalog, Path]], wanted: set[str] | None, expect: str, seen_in: str | None = None
) -> None:
    """Refuse, before anything is written, when a matching unit (in article ``seen_in`` when given) is no
    longer the version the reviewer saw."""
    for catalog, _ in catalogs:
        if seen_in is not None and catalog.article != seen_in:
            continue
        for unit in catalog.active_units():
            if (wanted is None or _matches(unit, wanted)) and unit_version(unit) != expect:
                now = f"{unit.state.value}: {unit.target}" if unit.target else unit.state.value
                raise ConflictError(
                    f"segment {unit.id} in {catalog.article} [{catalog.lang}] was changed since you opened it "
                    f"(now {now}); nothing was saved. Look at the current text and decide again."
                )


def _matches(unit: Unit, ids: set[str]) -> str | None:
    if unit.id in ids:  # a whole id: one look-up (the page approves thousands at once)
        return unit.id
    return next((i for i in ids if unit.id.startswith(i)), None)


def _apply(
    project: Project,
    ids: list[str] | None,
    lang: str | None,
    article: str | None,
    action: Action,
    expect: str | None = None,
    *,
    keys: Collection[tuple[str, str, str]] | None = None,
    seen_in: str | None = None,
    same_text: bool = False,
) -> Decisions:
    """Run action on every matching active unit, under the project lock; an unknown id changes nothing,
    nor does a unit whose version is not ``expect`` (when given).

    ``keys``: only these (language, article, id) segments. ``seen_in``: the article whose copy of the
    segment the reviewer saw (``expect`` is its version); with ``same_text``, a copy elsewhere whose
    translation is not the one seen there is refused (a reviewer approves only what they read)."""
    wanted = {i.strip().lower() for i in ids} if ids else None
    if wanted is not None and any(len(i) < 4 for i in wanted):
        raise ReviewError("segment ids need at least 4 characters; copy them from `translate review list`.")
    per_article = PerArticle()
    files = None if keys is None else sorted({(k[0], k[1]) for k in keys})
    with project.lock("review"):
        catalogs = list(_catalogs(project, lang, article, per_article, files))
        if wanted is not None:
            matched = {hit for catalog, _ in catalogs for u in catalog.active_units() if (hit := _matches(u, wanted))}
            if wanted - matched:
                raise ReviewError(
                    f"no segment with id {', '.join(sorted(wanted - matched))}"
                    f"{' in ' + article if article else ''}; see `translate review list`."
                )
        if expect is not None:
            _check_versions(catalogs, wanted, expect, seen_in)
        seen = {
            unit.id: unit.target
            for catalog, _ in catalogs
            if catalog.article == seen_in
            for unit in catalog.active_units()
            if wanted is not None and _matches(unit, wanted)
        }
        decisions = Decisions()
        for catalog, path in catalogs:
            changed = False
            for unit in catalog.active_units():
                if wanted is not None and _matches(unit, wanted) is None:
                    continue
                if keys is not None and (catalog.lang, catalog.article, unit.id) not in keys:
                    continue
                item = QueueItem(catalog.article, catalog.lang, unit)
                if same_text and catalog.article != seen_in and unit.id in seen and unit.target != seen[unit.id]:
                    decisions.refused.append((item, f"its translation there is not the one you saw: {unit.target!r}"))
                    continue
                refusal = action(item)
                if refusal is None:
                    decisions.done.append(item)
                    changed = True
                elif refusal:
                    decisions.refused.append((item, refusal))
            if changed:
                save_catalog(catalog, path)
    per_article.raise_errors()
    return decisions


@dataclass
class _Approve:
    reviewer: str
    force: bool
    explicit: bool

    def __call__(self, item: QueueItem) -> str | None:
        unit = item.unit
        if unit.state is State.APPROVED and not blocking(unit):
            return ""
        if unit.state is State.UNTRANSLATED:
            return "not translated yet: draft it or use `review edit`" if self.explicit else ""
        if unit.state is State.REJECTED and not self.explicit:
            return ""
        if unit.needs_editing and not self.explicit:
            assert unit.previous_source is not None
            return (
                f"needs editing: the Korean changed since this translation was made "
                f"({word_diff(unit.previous_source, unit.source)}); read the change, then approve it by its id "
                "or fix it with `review edit`"
            )
        findings = open_findings(unit)  # a finding dismissed on this text needs no --force
        if findings and not self.force:
            checks = ", ".join(checks_of(findings))
            return f"has findings ({checks}): fix it with `review edit`, or approve with --force"
        item.changed_from = unit.previous_source
        unit.previous_source = None  # the change was seen (msgmerge: #| goes with #, fuzzy)
        unit.state = State.APPROVED
        unit.history.append(history.approved(self.reviewer, text_hash(unit.target), checks_of(findings)))
        return None


def approve(
    project: Project,
    ids: list[str] | None,
    *,
    lang: str | None = None,
    article: str | None = None,
    force: bool = False,
    reviewer: str | None = None,
    expect: str | None = None,
    keys: Collection[tuple[str, str, str]] | None = None,
    seen_in: str | None = None,
) -> Decisions:
    """Approve the drafts with these ids (all clean drafts when ids is None); findings block unless force.
    ``expect``: the :func:`unit_version` the reviewer saw; a changed unit raises ConflictError.
    ``keys``: only these (language, article, id) segments (the page's "approve all clean" for a filter);
    ``seen_in``: the article where the reviewer saw the segment: its copies in other articles are
    approved only where their translation is the same."""
    action = _Approve(_reviewer(reviewer), force, explicit=ids is not None)
    return _apply(project, ids, lang, article, action, expect, keys=keys, seen_in=seen_in, same_text=True)


@dataclass
class _Edit:
    text: str
    reviewer: str
    force: bool
    checker: Checker

    def __call__(self, item: QueueItem) -> str | None:
        unit = item.unit
        unit.target = self.text
        unit.origin = f"edit:{self.reviewer}"
        unit.findings = self.checker.check(unit, item.lang)
        unit.checked = text_hash(self.text)
        item.changed_from = unit.previous_source
        unit.previous_source = None  # a person wrote this text for the current source
        findings = open_findings(unit)  # the same text again keeps what was dismissed on it
        if findings and not self.force:
            unit.state = State.DRAFT
            unit.history.append(history.line("edited", who=self.reviewer, text=unit.checked))
            return None
        unit.state = State.APPROVED
        unit.history.append(
            history.approved(self.reviewer, unit.checked, checks_of(findings), action="edited and approved")
        )
        return None


def edit(
    project: Project,
    segment: str,
    text: str,
    *,
    lang: str | None = None,
    article: str | None = None,
    force: bool = False,
    reviewer: str | None = None,
    expect: str | None = None,
    keys: Collection[tuple[str, str, str]] | None = None,
    seen_in: str | None = None,
) -> Decisions:
    """Replace a segment's translation with the reviewer's text; approve it unless checks find
    something (then it stays a draft with the findings, unless force). ``expect``, ``keys``,
    ``seen_in``: as for approve (every copy gets the text)."""
    text = collapse_spaces(text)  # white space inside inline code is kept: `ls  -la`
    if not text:
        raise ReviewError("the new translation is empty; give the text with --text.")
    checker = Checker(project)
    checker.glossary  # noqa: B018  (read now: a broken glossary is reported before anything is locked)
    action = _Edit(text, _reviewer(reviewer), force, checker)
    return _apply(project, [segment], lang, article, action, expect, keys=keys, seen_in=seen_in)


@dataclass
class _Reject:
    reason: str
    reviewer: str

    def __call__(self, item: QueueItem) -> str | None:
        unit = item.unit
        if unit.state is State.UNTRANSLATED:
            return "nothing to reject: it is not translated yet"
        unit.state = State.REJECTED
        unit.history.append(history.rejected(self.reviewer, text_hash(unit.target), self.reason))
        return None


def reject(
    project: Project,
    segment: str,
    reason: str,
    *,
    lang: str | None = None,
    article: str | None = None,
    reviewer: str | None = None,
    expect: str | None = None,
    keys: Collection[tuple[str, str, str]] | None = None,
    seen_in: str | None = None,
) -> Decisions:
    """Send a translation back with the reason kept in the PO file's review history. ``expect``,
    ``keys``, ``seen_in``: as for approve."""
    reason = " ".join(reason.split())
    if not reason:
        raise ReviewError("say why with --reason, so the translator knows what to fix.")
    action = _Reject(reason, _reviewer(reviewer))
    return _apply(project, [segment], lang, article, action, expect, keys=keys, seen_in=seen_in, same_text=True)


@dataclass
class _Dismiss:
    check: str
    reason: str
    reviewer: str
    missed: list[str] = field(default_factory=list)  # why a matching unit was not concerned

    def __call__(self, item: QueueItem) -> str | None:
        unit = item.unit
        where = f"segment {item.id} in {item.article} [{item.lang}]"
        if unit.state is State.UNTRANSLATED or not unit.target:
            self.missed.append(f"{where} is not translated yet: there is no finding to dismiss")
            return ""
        if self.check not in checks_of(unit.findings):
            has = f"its findings: {', '.join(checks_of(unit.findings))}" if unit.findings else "it has no findings"
            self.missed.append(f"{where} has no {self.check} finding on its current text ({has})")
            return ""
        earlier = settled(unit).get(self.check)
        if earlier is not None and earlier.dismissal:
            self.missed.append(f"the {self.check} finding of {where} is already {earlier.settles()}")
            return ""
        unit.history.append(history.dismissed(self.reviewer, text_hash(unit.target), self.check, self.reason))
        return None


def dismiss(
    project: Project,
    segment: str,
    check: str,
    reason: str,
    *,
    lang: str | None = None,
    article: str | None = None,
    reviewer: str | None = None,
    expect: str | None = None,
) -> Decisions:
    """Dismiss a finding of ``check`` on a segment's current translation, with the reason, in its history;
    its state stays as it is. The finding no longer blocks approval, publishing or ``translate check``
    until the text changes. A segment without that finding is an error. ``expect``: as for approve."""
    reason = " ".join(reason.split())
    if not reason:
        raise ReviewError("say why the finding is wrong here with --reason: it is recorded with the dismissal.")
    check = check.strip().lower()
    if not check:
        raise ReviewError("name the check whose finding you dismiss (numbers, markup …) as `review list` shows it.")
    action = _Dismiss(check, reason, _reviewer(reviewer))
    decisions = _apply(project, [segment], lang, article, action, expect)
    if not decisions.done:
        raise ReviewError(f"{'; '.join(action.missed)}; nothing was dismissed. See `translate review list`.")
    return decisions


@dataclass
class _Comment:
    text: str
    reviewer: str

    def __call__(self, item: QueueItem) -> str | None:
        item.unit.history.append(history.commented(self.reviewer, self.text))
        return None


def comment(
    project: Project,
    segment: str,
    text: str,
    *,
    lang: str | None = None,
    article: str | None = None,
    reviewer: str | None = None,
    expect: str | None = None,
) -> Decisions:
    """Add a comment to a segment, kept in its PO file's translator comments (``commented by Kim on …:
    text``, one line); it changes neither the state nor the approval. ``expect``: as for approve."""
    text = " ".join(text.split())
    if not text:
        raise ReviewError("the comment is empty; write what the next reader should know.")
    return _apply(project, [segment], lang, article, _Comment(text, _reviewer(reviewer)), expect)


def comments(unit: Unit) -> list[history.Event]:
    """The comments in a unit's history, oldest first."""
    return [event for event in map(history.parse, unit.history) if event.comment]
