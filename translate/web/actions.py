"""The review site's actions: a decision on a segment, publishing an article, and the Draft and
Approve-all jobs, each through the library functions the CLI calls (the same atomic writes, project
lock and check gating), serialised by the site's ``writing`` lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from translate.errors import ReviewError, TranslateError
from translate.model import State
from translate.publish import publish
from translate.review import Decisions, approve, comment, dismiss, edit, reject
from translate.web.site import Flash, Job, Key, ReviewSite


def decide(site: ReviewSite, form: Mapping[str, str], key: Key, reviewer: str) -> tuple[Flash, bool]:
    """Run one review action through the library; the flash to show and whether to move on.

    ``scope=all`` in the form decides for every article holding the segment (approve and reject only
    where the translation is the one the reviewer saw); otherwise for this article only."""
    action = form.get("decision", "")
    version = form.get("version", "")
    if not version:  # without it, a decision could overwrite one made since the page was opened
        raise ReviewError(
            "the form does not say which version of the segment you saw; reload the page and decide again."
        )
    force = form.get("force") in ("1", "on", "true")
    lang = key.lang
    scope: dict[str, Any] = {"lang": lang, "article": key.article, "expect": version}
    everywhere = form.get("scope") == "all" and action in ("approve", "edit", "reject")
    if everywhere:
        keys = {(lang, r.article, key.id) for r in site.index.sharing(lang, key.id)} | {key.index_key}
        scope.update(article=None, keys=keys, seen_in=key.article)
    with site.writing:
        if action == "approve":
            decisions = approve(site.project, [key.id], force=force, reviewer=reviewer, **scope)
            mine = [reason for item, reason in decisions.refused if item.article == key.article]
            if mine:
                reason = mine[0]
                offer = "findings" in reason
                return Flash(f"Not approved: {reason.split(': fix it')[0]}.", "refused", offer), False
            note = " over its findings (recorded)" if force else ""
            return Flash(f"Approved{note}{_where(decisions, everywhere)}"), True
        if action == "edit":
            text = form.get("text", "")
            decisions = edit(site.project, key.id, text, force=force, reviewer=reviewer, **scope)
            where = _where(decisions, everywhere)
            if any(d.unit.state is State.APPROVED for d in decisions.done):
                return Flash(f"Edited and approved{where}"), True
            return Flash(
                "Saved as a draft: the checks found something (see below). Fix it, or tick "
                f"“approve despite findings”{where}",
                "refused",
            ), False
        if action == "reject":
            reason = form.get("reason", "")
            decisions = reject(site.project, key.id, reason, reviewer=reviewer, **scope)
            mine = [why for item, why in decisions.refused if item.article == key.article]
            if mine:
                return Flash(f"Not rejected: {mine[0]}.", "refused"), False
            return Flash(f"Rejected: sent back with your reason{_where(decisions, everywhere)}"), True
        if action == "dismiss":
            check = form.get("finding", "")
            dismiss(site.project, key.id, check, form.get("reason", ""), reviewer=reviewer, **scope)
            return Flash(f"Dismissed the {check} finding on this text (recorded with your reason)."), False
        if action == "comment":
            comment(site.project, key.id, form.get("text", ""), reviewer=reviewer, **scope)
            return Flash("Comment added (kept in the PO file)."), False
    raise ReviewError(f"unknown action {action!r}; use approve, edit, reject, dismiss or comment.")


def _where(decisions: Decisions, everywhere: bool) -> str:
    """The end of a flash: in how many articles, and the copies left alone (a decision for all)."""
    if not everywhere:
        return "."
    done = len(decisions.done)
    text = f" in {done} article{'' if done == 1 else 's'}"
    if decisions.refused:
        left = "; ".join(f"{item.article}: {why}" for item, why in decisions.refused[:5])
        text += f"; left alone: {left}"
    return text + "."


# --- jobs: Draft and Approve all clean, in the background, one at a time -----------------------


def start(site: ReviewSite, kind: str, keys: list[tuple[str, str, str]], what: str, reviewer: str = "") -> Job:
    """Start drafting (``kind`` draft) or approving the clean drafts among (``approve``) the segments
    ``keys``; refused while another job runs."""
    with site.job_lock:
        if site.job is not None and site.job.running:
            raise ReviewError(f"wait: {site.job.what} is still running ({site.job.done} of {site.job.total}).")
        if not keys:
            raise ReviewError(f"nothing to {'draft' if kind == 'draft' else 'approve'} in {what}.")
        job = site.job = Job(kind, what, len(keys))
    work = _draft if kind == "draft" else _approve_all
    threading.Thread(target=work, args=(site, job, keys, reviewer), name=f"translate-{kind}", daemon=True).start()
    return job


def _finish(site: ReviewSite, job: Job, outcome: Flash, files: set[tuple[str, str]]) -> None:
    try:
        site.index.refresh(only=files)
    finally:
        job.outcome, job.finished = outcome, time.monotonic()


def _draft(site: ReviewSite, job: Job, keys: list[tuple[str, str, str]], _: str) -> None:
    """Draft ``keys`` with the draft function and settings the CLI uses (memory, MT cache, engines)."""
    from translate.draft import Progress
    from translate.draft import draft as run_draft

    def progress(state: Progress) -> None:
        job.texts, job.sent, job.failed = state.total, state.done, state.failed

    files = {(lang, article) for lang, article, _ in keys}
    langs, articles = {lang for lang, _ in files}, {article for _, article in files}
    try:
        report = run_draft(
            site.project,
            next(iter(articles)) if len(articles) == 1 else None,
            next(iter(langs)) if len(langs) == 1 else None,
            segments=set(keys),
            on_progress=progress,
        )
    except TranslateError as exc:
        _finish(site, job, Flash(f"Draft stopped: {exc}", "error"), files)
        return
    made = report.from_memory + report.from_cache + report.from_engine
    job.done = made
    parts = [f"{report.from_memory} from memory", f"{report.from_cache} from the MT cache",
             f"{report.from_engine} by machine translation"]  # fmt: skip
    text = f"Drafted {made} of {len(keys)} segment{'' if len(keys) == 1 else 's'} ({', '.join(parts)})."
    kind = "ok"
    if report.engine_error is not None:
        failed = str(report.engine_error).rstrip(".")
        text += f" Machine translation failed: {failed}; what memory and cache gave is saved."
        kind = "error"
    elif report.failures:
        first = report.failures[0]
        text += f" {len(report.failures)} failed and stay as they were (first: {first.reason})."
        kind = "refused"
    for note in report.notes:
        text += f" Note: {note}."
    _finish(site, job, Flash(text, kind), files)


def _approve_all(site: ReviewSite, job: Job, keys: list[tuple[str, str, str]], reviewer: str) -> None:
    """Approve the clean drafts among ``keys`` (as ``review approve --all``: never one with findings or
    one that needs editing), a few PO files at a time so reviewers' decisions go in between."""
    files = sorted({(lang, article) for lang, article, _ in keys})
    approved, refused = 0, []
    try:
        for start in range(0, len(files), 50):
            chunk = set(files[start : start + 50])
            with site.writing:
                decisions = approve(site.project, None, keys={k for k in keys if (k[0], k[1]) in chunk},
                                    reviewer=reviewer)  # fmt: skip
            approved += len(decisions.done)
            refused += decisions.refused
            job.done = approved + len(refused)
            site.index.refresh(only=chunk)
    except TranslateError as exc:
        _finish(site, job, Flash(f"Approving stopped after {approved}: {exc}", "error"), set(files))
        return
    text = f"Approved {approved} clean draft{'' if approved == 1 else 's'}."
    if refused:
        text += f" {len(refused)} changed since and were left for you (first: {refused[0][1].split(':')[0]})."
    _finish(site, job, Flash(text, "ok" if not refused else "refused"), set(files))


def publish_article(site: ReviewSite, slug: str, lang: str) -> Flash:
    """Publish one article through the library, under the project lock."""
    with site.writing, site.project.lock("publish"):
        report = publish(site.project, slug, lang)
    if report.written:
        return Flash(f"Published {report.written[0].relative_to(site.project.root)}.")
    if report.unchanged:
        return Flash("Already published: the page is up to date.")
    if report.edited:
        return Flash(
            f"Not published: {report.edited[0].path.relative_to(site.project.root)} was edited by hand; "
            f"run `translate absorb {slug}` first.",
            "error",
        )
    blocked = report.blocked[0]
    refused = [f"segment {ident} has {', '.join(checks)} errors no one overrode" for ident, checks in blocked.findings]
    counts = [f"{n} {s}" for s, n in sorted(blocked.counts.items())]
    why = "; ".join(blocked.errors) or ", ".join([*counts, *refused])
    return Flash(f"Not published: {why}.", "error")
