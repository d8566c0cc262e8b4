"""draft: fill untranslated segments from the translation memory, the MT cache, then machine translation.

A run, for the selected articles and languages:

1. Each catalogue is loaded; untranslated segments are filled from exact memory matches, then
   from the MT cache (``mtcache``) of any engine of the chain. What memory filled is saved before
   anything is sent. Drafts chosen for a redraft (:class:`Redraft`) skip memory and cache.
2. The rest is deduplicated: one request per distinct text (inline codes as tokens ⟦n⟧) and
   language, however many articles hold it.
3. Requests go out in parallel (``workers`` threads, one engine object per thread, engine and
   language: deep-translator objects are not thread-safe), with timeouts and retries
   (:func:`translate_with_retries`). A text the first engine of the chain fails on goes to the
   next. A batching engine (llm) first in the chain gets consecutive texts of an article in one
   request; an unusable item is asked for alone, then goes to the next engine.
   An engine that refuses us (key, quota), cannot be reached, or failed ``TRIP_AFTER``
   texts in a row is dropped for the rest of the run. An answer that is not a translation
   (:func:`refusal`: empty, the source again, still mostly Korean) is a failure of that engine for
   that text: never cached, never drafted.
4. Answers are applied as they arrive, in the main thread: committed to the cache, put into the
   units, and an article's catalogue is saved once its last segment is back. Ctrl-C or a crash
   saves what arrived; the next run resumes, and what is cached costs nothing.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from translate import history
from translate.checks import CHECKS, HANGUL_LANGS, check_translation
from translate.deepl_glossary import ensure_glossary
from translate.engines import (
    DEFAULT_PRICES,
    LIBRE_URL_ENV,
    Engine,
    EngineRefused,
    EngineUnreachable,
    Gate,
    RetryPolicy,
    Stopped,
    check_engine_name,
    create_engine,
    translate_with_retries,
    with_retries,
)
from translate.errors import ConfigError, EngineError, PerArticle
from translate.glossary import Glossary, apply_glossary, load_glossary, target_contains
from translate.llm import (
    CONTEXT_SENTENCES,
    LLM_MODEL_ENV,
    LLM_URL_ENV,
    Batch,
    BatchAnswer,
    Context,
    GlossaryEntry,
    LLMEngine,
    LLMOptions,
    answer_problem,
    discover_model,
)
from translate.llm import glossary_entries as llm_glossary
from translate.markdown import code_spans, collapse_spaces
from translate.model import Catalog, Finding, Severity, State, Unit, normalize_text, text_hash
from translate.mtcache import MTCache
from translate.po import load_catalog, save_catalog
from translate.project import Project, Settings
from translate.tm import ORIGIN_TM, MemoryEntry, exact_memory, memory_entries

_TOKEN_RE = re.compile(r"⟦\s*(\d+)\s*⟧")
_HANGUL_RE = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
TRIP_AFTER = 3  # texts in a row an engine may fail before it is dropped for the run
# Stored findings a redraft may select by, beyond the checks: align's pairing findings.
FINDING_NAMES = (*CHECKS, "alignment")


def protect(source: str) -> tuple[str, list[str]]:
    """The text an MT engine may see: inline codes replaced by numbered tokens ⟦0⟧, ⟦1⟧..."""
    codes: list[str] = []
    parts: list[str] = []
    cursor = 0
    for span in code_spans(source):
        parts.append(source[cursor : span.start])
        parts.append(f"⟦{len(codes)}⟧")
        codes.append(source[span.start : span.end])
        cursor = span.end
    parts.append(source[cursor:])
    return "".join(parts), codes


def restore(translated: str, codes: list[str]) -> tuple[str, list[Finding]]:
    """Put the codes back in place of their tokens; a dropped or repeated token is a finding."""
    seen: list[int] = []

    def put_back(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(codes):
            return match.group(0)
        seen.append(index)
        return codes[index]

    text = _TOKEN_RE.sub(put_back, translated)
    findings = []
    dropped = [codes[i] for i in range(len(codes)) if i not in seen]
    repeated = sorted({codes[i] for i in seen if seen.count(i) > 1})
    if dropped:
        findings.append(Finding("markup", f"machine translation dropped: {' '.join(dropped)}", Severity.ERROR))
    if repeated:
        findings.append(Finding("markup", f"machine translation repeated: {' '.join(repeated)}", Severity.ERROR))
    return collapse_spaces(text), findings


def refusal(text: str, answer: str, lang: str) -> str | None:
    """Why an engine's ``answer`` for ``text`` (both with tokens ⟦n⟧) is not a translation into
    ``lang``, or None when it may be one: it is empty (nothing but white space, tokens or
    punctuation), the Korean text unchanged, or still mostly Korean (more than half of its
    letters Hangul, for a language not written in Hangul). A Korean word left in an English
    answer is not refused here: the glossary repairs it or a check flags it."""
    source, bare = _TOKEN_RE.sub(" ", text), _TOKEN_RE.sub(" ", answer)
    if not any(char.isalnum() for char in bare):
        return "the answer is empty" if any(char.isalnum() for char in source) else None
    if lang.split("-")[0].lower() in HANGUL_LANGS or not _HANGUL_RE.search(source):
        return None  # nothing Korean to translate: the text itself may be the right answer
    if normalize_text(bare).casefold() == normalize_text(source).casefold():
        return "the answer is the Korean text unchanged"
    letters = [char for char in bare if char.isalpha()]
    hangul = sum(1 for char in letters if _HANGUL_RE.match(char))
    if 2 * hangul > len(letters):
        return f"the answer is still Korean ({hangul} of its {len(letters)} letters are Hangul)"
    return None


@dataclass(frozen=True)
class GlossaryUse:
    """How an engine's raw answer (before any repair) met the glossary terms of its source."""

    expected: int  # terms of the source with a translation into the language
    used: int  # of them, the ones the raw answer already used
    repairs: int  # Korean terms left in the answer and replaced by their translation


def glossary_use(source: str, raw: str, lang: str, glossary: Glossary) -> GlossaryUse:
    """Which expected glossary targets ``raw`` (markup put back, not yet repaired) uses: a name
    (``keep``) exactly, another term as the checks match it (case, inflection)."""
    wanted = {m.term.source: m.term for m in glossary.find(source) if m.term.target_for(lang) is not None}
    nfc = unicodedata.normalize("NFC", raw)
    used = 0
    for term in wanted.values():
        target = term.target_for(lang) or ""
        used += (target in nfc) if term.keep else target_contains(raw, target, lang)
    return GlossaryUse(len(wanted), used, 0)


def apply_machine_translation(
    unit: Unit, raw: str, codes: list[str], engine: str, lang: str, glossary: Glossary
) -> GlossaryUse:
    """Make ``raw`` (the engine's answer for the protected source) the unit's draft: codes put
    back, glossary applied, findings recorded; a redrafted unit's history says so. Returns how
    the answer met the glossary before the repair."""
    target, findings = restore(raw, codes)
    use = glossary_use(unit.source, target, lang, glossary)
    target, glossary_findings = apply_glossary(unit.source, target, lang, glossary)
    repairs = sum(1 for f in glossary_findings if f.message.startswith("replaced untranslated"))
    if unit.state in (State.REJECTED, State.DRAFT):
        unit.history.append(history.line("drafted again", who=f"mt:{engine}"))
    unit.target = target
    unit.state = State.DRAFT
    unit.origin = f"mt:{engine}"
    unit.previous_source = None  # a fresh translation of the current sentence: nothing carried over
    checked = check_translation(unit.source, target, lang, glossary)
    if findings:  # the dropped or repeated tokens already say what is wrong with the markup
        checked = [f for f in checked if f.check != "markup"]
    unit.findings = list(dict.fromkeys([*findings, *glossary_findings, *checked]))
    unit.checked = text_hash(target)
    return replace(use, repairs=repairs)


def machine_draft(unit: Unit, engine: Engine, lang: str, glossary: Glossary) -> None:
    """Translate one unit with engine; glossary applied, findings recorded, state draft."""
    protected, codes = protect(unit.source)
    apply_machine_translation(unit, engine.translate(protected), codes, engine.name, lang, glossary)


def fill_from_memory(unit: Unit, entry: MemoryEntry, lang: str, glossary: Glossary, auto_approve: bool) -> bool:
    """Fill ``unit`` from an exact memory match; approve it when asked to and it is clean (only
    the project's own approvals, never imported memories). Return whether it was approved."""
    unit.target = entry.target
    unit.origin = entry.origin
    unit.findings = check_translation(unit.source, entry.target, lang, glossary)
    unit.checked = text_hash(entry.target)
    if auto_approve and entry.origin == ORIGIN_TM and not unit.findings:
        unit.state = State.APPROVED
        unit.history.append(
            history.approved("translation memory", unit.checked, rest=" (exact match of an approved translation)")
        )
        return True
    unit.state = State.DRAFT
    return False


# --- the report -----------------------------------------------------------------------------


@dataclass
class Failure:
    """A segment no engine of the chain translated, and why."""

    article: str
    lang: str
    id: str
    source: str
    reason: str
    kept: bool = False  # a redraft that failed: the unit keeps its earlier draft


@dataclass(frozen=True)
class Redraft:
    """Which existing translations a run sends to machine translation again (never approved ones):
    units in ``states`` whose origin starts with one of ``origins`` and that carry a finding of one
    of ``checks`` (each filter only when given)."""

    states: frozenset[State] = frozenset({State.DRAFT, State.REJECTED})
    origins: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [name for name in self.checks if name not in FINDING_NAMES]
        if unknown:
            raise ConfigError(f"--check {unknown[0]!r} is not a check; choose one of {', '.join(FINDING_NAMES)}.")
        if State.APPROVED in self.states:
            raise ValueError("approved units are never redrafted")

    def selects(self, unit: Unit) -> bool:
        """Whether ``unit`` is one to ask the engines for again."""
        if unit.state not in self.states or not unit.target:
            return False
        if self.origins and not (unit.origin or "").startswith(self.origins):
            return False
        return not self.checks or any(f.check in self.checks for f in unit.findings)


@dataclass
class EngineUse:
    """What one engine of the chain did (or, in a dry run, would do)."""

    name: str
    price: float  # per million characters
    segments: int = 0  # texts it translated
    characters: int = 0  # characters of those texts: what is billed
    requests: int = 0  # requests sent, retries included
    cached: int = 0  # texts answered from its cache instead
    refused: int = 0  # answers that were not translations (their characters are counted: billed)
    down: str | None = None  # why it was dropped for the run
    prompt_tokens: int = 0  # engines billed by tokens (llm): reported by the server, else estimated
    completion_tokens: int = 0
    token_prices: tuple[float, float] = (0.0, 0.0)  # per million prompt and completion tokens
    glossary_segments: int = 0  # drafts (fresh or cached answers) whose source has glossary terms
    glossary_followed: int = 0  # of them, raw answers that already used every expected target
    glossary_repairs: int = 0  # Korean terms left in its answers and replaced

    def count_glossary(self, use: GlossaryUse) -> None:
        """Add one drafted answer's glossary use."""
        if use.expected:
            self.glossary_segments += 1
            self.glossary_followed += use.used == use.expected
        self.glossary_repairs += use.repairs

    @property
    def glossary_share(self) -> float | None:
        """The share of its drafts with glossary terms that used every one before repair."""
        return self.glossary_followed / self.glossary_segments if self.glossary_segments else None

    def as_json(self) -> dict[str, object]:
        return {
            "engine": self.name,
            "segments": self.segments,
            "characters": self.characters,
            "requests": self.requests,
            "cached": self.cached,
            "refused": self.refused,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost": round(self.cost, 6),
            "down": self.down,
            "glossary": {
                "segments": self.glossary_segments,
                "followed": self.glossary_followed,
                "share": self.glossary_share,
                "repairs": self.glossary_repairs,
            },
        }

    @property
    def cost(self) -> float:
        tokens = self.prompt_tokens * self.token_prices[0] + self.completion_tokens * self.token_prices[1]
        return (self.characters * self.price + tokens) / 1_000_000

    @property
    def by_tokens(self) -> bool:
        """Whether this engine is billed by tokens (llm) rather than characters."""
        return self.name == "llm"


@dataclass
class Progress:
    """Distinct texts to translate this run, and how far the run is."""

    total: int
    done: int = 0
    failed: int = 0
    characters: int = 0


@dataclass
class DraftReport:
    from_memory: int = 0
    approved_from_memory: int = 0
    from_cache: int = 0
    from_engine: int = 0
    left: int = 0
    redrafts: int = 0  # existing drafts sent to machine translation again
    files_written: int = 0
    engine_error: EngineError | None = None  # set when no engine of the chain could translate
    findings: int = 0
    failures: list[Failure] = field(default_factory=list)
    engines: list[EngineUse] = field(default_factory=list)
    texts: int = 0  # distinct texts that needed an engine
    characters: int = 0  # their characters
    currency: str = "USD"
    dry_run: bool = False
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The report for ``draft --json``."""
        return {
            "dry_run": self.dry_run,
            "from_memory": self.from_memory,
            "approved_from_memory": self.approved_from_memory,
            "from_cache": self.from_cache,
            "from_engine": self.from_engine,
            "redrafts": self.redrafts,
            "left": self.left,
            "findings": self.findings,
            "texts": self.texts,
            "characters": self.characters,
            "currency": self.currency,
            "engines": [use.as_json() for use in self.engines],
            "failures": [
                {
                    "article": f.article,
                    "lang": f.lang,
                    "id": f.id,
                    "source": f.source,
                    "reason": f.reason,
                    "kept": f.kept,
                }
                for f in self.failures
            ],
            "notes": self.notes,
            "interrupted": self.interrupted,
            "error": None if self.engine_error is None else str(self.engine_error),
        }


# --- settings -------------------------------------------------------------------------------


DEFAULT_ENGINE = "google"  # needs no key and no server, only the internet


def engine_chain(settings: Settings, engines: list[str] | None = None, url: str | None = None) -> list[str]:
    """The engines to try in order: ``engines`` (command line), else the ``engines`` setting,
    else the ``engine`` setting, else :func:`default_engine`."""
    chain = list(dict.fromkeys(engines or settings.engines or (settings.engine or default_engine(settings, url),)))
    for name in chain:
        check_engine_name(name)
    return chain


def default_engine(settings: Settings, url: str | None = None) -> str:
    """The engine of a project that names none: LibreTranslate when a server is given (``--url``,
    ``engine_url`` or LIBRETRANSLATE_URL), else the Google web engine, which needs no set-up."""
    if url or settings.engine_url or os.environ.get(LIBRE_URL_ENV, "").strip():
        return "libre"
    return DEFAULT_ENGINE


def _default_note(name: str) -> str:
    if name == DEFAULT_ENGINE:
        return (
            "no engine is configured: using google (the Google Translate web page: no key, no server, "
            "but the text leaves this machine); choose one with --engine or engine in [tool.translate]"
        )
    return f"no engine is configured: using {name} at the server given; choose one with --engine or engine"


def llm_options(project: Project) -> LLMOptions:
    """The llm engine's options from ``[tool.translate.llm]`` (validated when the project opened)."""
    return LLMOptions(**project.settings.llm)


def cache_name(name: str, options: LLMOptions) -> str:
    """The engine's name in the MT cache: the llm engine's answers are kept per model."""
    if name != "llm":
        return name
    return f"llm:{options.model or os.environ.get(LLM_MODEL_ENV, '').strip()}"


def _url_for(name: str, chain: list[str], settings: Settings, url: str | None) -> str | None:
    if url and name == chain[0]:
        return url
    if name in settings.engine_urls:
        return settings.engine_urls[name]
    return settings.engine_url if name == (settings.engine or default_engine(settings, url)) else None


def url_origin(name: str, chain: list[str], settings: Settings, url: str | None) -> str | None:
    """What chose the address engine ``name`` of ``chain`` is sent to, as a person would change it
    (the same order as :func:`_url_for`, then the engine's environment variable); None when the
    engine has a fixed address."""
    if url and name == chain[0]:
        return "--url"
    if name in settings.engine_urls:
        return f"engine_urls.{name} in [tool.translate]"
    if settings.engine_url and name == (settings.engine or default_engine(settings, url)):
        return "engine_url in [tool.translate]"
    variable = {"libre": LIBRE_URL_ENV, "llm": LLM_URL_ENV}.get(name)
    if variable and os.environ.get(variable, "").strip():
        return f"the environment variable {variable}"
    return None


# --- the run --------------------------------------------------------------------------------


@dataclass
class _Article:
    """A catalogue being drafted. Saving merges into the file as it is then (under the project
    lock), so a reviewer's decision taken during a long run is never overwritten."""

    catalog: Catalog
    path: Path
    waiting: int = 0  # texts still to come back
    before: dict[str, tuple[State, str, int]] = field(default_factory=dict)  # source -> state, target, history
    changed: set[str] = field(default_factory=set)

    def pending(self, unit: Unit) -> None:
        self.before[unit.source] = (unit.state, unit.target, len(unit.history))

    def done(self, unit: Unit) -> None:
        self.changed.add(unit.source)


@dataclass
class _Job:
    """One distinct text to send, and the units waiting for its translation; where it was first
    found gives the context an llm request carries."""

    lang: str
    text: str
    users: list[tuple[_Article, Unit, list[str]]] = field(default_factory=list)
    source: str = ""  # the unit's source, markup included (glossary lookup)
    article: str = ""
    context: Context = field(default_factory=Context)
    glossary: tuple[GlossaryEntry, ...] = ()  # filled when the chain has a batching engine


@dataclass
class DraftRun:
    """What the steps of one draft run share: the project, the engine chain and how to reach it,
    the glossary, the MT cache, the report being filled, and the texts queued for the engines."""

    project: Project
    chain: list[str]
    glossary: Glossary
    cache: MTCache
    report: DraftReport
    options: LLMOptions = field(default_factory=LLMOptions)
    url: str | None = None  # --url: the first engine's address
    redraft: Redraft | None = None
    segments: Collection[tuple[str, str, str]] | None = None  # only these (language, article, id)
    workers: int | None = None  # None: the setting
    policy: RetryPolicy | None = None  # None: the setting's retries
    on_progress: Callable[[Progress], None] | None = None
    deepl_glossaries: dict[str, str] = field(default_factory=dict)  # target language -> DeepL glossary id
    jobs: dict[tuple[str, str], _Job] = field(default_factory=dict)  # (language, protected text) -> job
    articles: list[_Article] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return self.project.settings

    @property
    def uses(self) -> dict[str, EngineUse]:
        """The report's line of each engine of the chain, by name."""
        return {use.name: use for use in self.report.engines}

    @property
    def cache_names(self) -> dict[str, str]:
        """Each engine of the chain by its name in the MT cache."""
        return {name: cache_name(name, self.options) for name in self.chain}


@dataclass
class _Outcome:
    engine: str | None
    raw: str | None
    reasons: list[str]
    stopped: bool = False


class _EngineState:
    """One engine for one language, shared by the workers: its gate, and whether it is dropped."""

    def __init__(self, use: EngineUse) -> None:
        self.use = use
        self.gate = Gate()
        self.streak = 0
        self.lock = threading.Lock()

    def failed(self, exc: EngineError) -> None:
        with self.lock:
            if isinstance(exc, EngineRefused) or (isinstance(exc, EngineUnreachable) and not exc.timed_out):
                self.use.down = self.use.down or str(exc)
                return
            self.streak += 1
            if self.streak >= TRIP_AFTER and self.use.down is None:
                self.use.down = f"{exc} ({TRIP_AFTER} texts failed in a row)"

    def succeeded(self, characters: int) -> None:
        with self.lock:
            self.streak = 0
            self.use.segments += 1
            self.use.characters += characters

    def refused(self, characters: int) -> None:
        with self.lock:
            self.use.refused += 1
            self.use.characters += characters

    def attempted(self) -> None:
        with self.lock:
            self.use.requests += 1

    def tokens(self, answer: BatchAnswer) -> None:
        with self.lock:
            self.use.prompt_tokens += answer.prompt_tokens
            self.use.completion_tokens += answer.completion_tokens


class _Runner:
    """Translates one text with the chain, in a worker thread."""

    def __init__(
        self,
        chain: list[str],
        source: str,
        states: dict[tuple[str, str], _EngineState],
        make: Callable[[str, str], Engine],
        policy: RetryPolicy,
        stop: threading.Event,
    ) -> None:
        self.chain = chain
        self.source = source
        self.states = states
        self.make = make
        self.policy = policy
        self.stop = stop
        self.local = threading.local()

    def _engine(self, name: str, lang: str) -> Engine:
        engines: dict[tuple[str, str], Engine] | None = getattr(self.local, "engines", None)
        if engines is None:
            engines = self.local.engines = {}
        if (name, lang) not in engines:
            engines[(name, lang)] = self.make(name, lang)
        return engines[(name, lang)]

    def run(self, lang: str, jobs: list[_Job]) -> list[_Outcome]:
        """Translate ``jobs`` with the chain: each engine gets what the ones before it failed on
        (a batching engine all of it in one request, the others text by text)."""
        outcomes = [_Outcome(None, None, []) for _ in jobs]
        pending = list(range(len(jobs)))
        try:
            for name in self.chain:
                if not pending:
                    break
                state = self.states[(name, lang)]
                if state.use.down is not None:
                    for index in pending:
                        outcomes[index].reasons.append(state.use.down)
                    continue
                if getattr(self._engine(name, lang), "batching", False):
                    pending = self._batched(name, lang, jobs, outcomes, pending)
                else:
                    pending = [i for i in pending if not self._single(name, lang, jobs[i].text, outcomes[i])]
        except Stopped:
            for index in pending:
                outcomes[index].stopped = True
        return outcomes

    def _single(self, name: str, lang: str, text: str, outcome: _Outcome) -> bool:
        """Ask engine ``name`` for ``text``; whether it gave a translation (put in ``outcome``)."""
        state = self.states[(name, lang)]
        if state.use.down is not None:
            outcome.reasons.append(state.use.down)
            return False
        try:
            raw = translate_with_retries(
                self._engine(name, lang),
                text,
                self.policy,
                gate=state.gate,
                stop=self.stop,
                on_attempt=state.attempted,
            )
        except EngineError as exc:
            state.failed(exc)
            outcome.reasons.append(str(exc))
            return False
        why = refusal(text, raw, lang)
        if why is not None:
            state.refused(len(text))
            where = getattr(self._engine(name, lang), "where", None)
            outcome.reasons.append(f"{name}{f' at {where}' if where else ''}: not a translation: {why}")
            return False
        state.succeeded(len(text))
        outcome.engine, outcome.raw = name, raw
        return True

    def _batched(
        self, name: str, lang: str, jobs: list[_Job], outcomes: list[_Outcome], pending: list[int]
    ) -> list[int]:
        """Send the pending jobs in one request; an item whose answer is unusable is asked for
        again alone (with its own neighbours as context). Return the indices still untranslated."""
        state = self.states[(name, lang)]
        engine = self._engine(name, lang)
        assert isinstance(engine, LLMEngine)
        group = [jobs[i] for i in pending]
        try:
            answer = self._ask(engine, state, _batch(group))
        except EngineError as exc:
            state.failed(exc)
            if state.use.down is not None or len(group) == 1:
                for index in pending:
                    outcomes[index].reasons.append(str(exc))
                return pending
            answer = BatchAnswer(problem=str(exc))  # a bad request or a broken answer: each alone
        left = []
        for position, index in enumerate(pending):
            job, outcome = jobs[index], outcomes[index]
            why = self._check(job, answer.texts.get(position), answer.problem, lang)
            if why is not None and len(group) > 1 and state.use.down is None:
                state.refused(len(job.text))
                try:
                    alone = self._ask(engine, state, _batch([job]))
                except EngineError as exc:
                    state.failed(exc)
                    outcome.reasons.append(str(exc))
                    left.append(index)
                    continue
                position, answer_alone = 0, alone
                why = self._check(job, alone.texts.get(0), alone.problem, lang)
            else:
                answer_alone = answer
            if why is not None:
                state.refused(len(job.text))
                outcome.reasons.append(f"{name} at {engine.where}: {why}")
                left.append(index)
                continue
            state.succeeded(len(job.text))
            outcome.engine, outcome.raw = name, answer_alone.texts[position]
        return left

    def _ask(self, engine: LLMEngine, state: _EngineState, batch: Batch) -> BatchAnswer:
        answer = with_retries(
            lambda: engine.translate_batch(batch),
            self.policy,
            gate=state.gate,
            stop=self.stop,
            on_attempt=state.attempted,
        )
        state.tokens(answer)
        return answer

    @staticmethod
    def _check(job: _Job, raw: str | None, problem: str | None, lang: str) -> str | None:
        """Why an llm answer for ``job`` cannot be drafted, or None."""
        if raw is None:
            return f"unusable answer: {problem or 'the answer left this segment out'}"
        why = refusal(job.text, raw, lang)
        if why is not None:
            return f"not a translation: {why}"
        why = answer_problem(job.text, raw, lang)
        return None if why is None else f"unusable answer: {why}"


def _batch(jobs: list[_Job]) -> Batch:
    """The request for ``jobs`` (consecutive texts of one article): the first one's title and the
    sentences before it, the last one's after it, and the glossary entries found in them."""
    first, last = jobs[0], jobs[-1]
    context = Context(first.context.title, first.context.before, last.context.after)
    entries = list(dict.fromkeys(entry for job in jobs for entry in job.glossary))
    return Batch(tuple(job.text for job in jobs), context, tuple(entries))


def _batches(jobs: list[_Job], size: int, characters: int) -> list[list[_Job]]:
    """Consecutive jobs of the same article and language, at most ``size`` texts and about
    ``characters`` characters per batch."""
    batches: list[list[_Job]] = []
    current: list[_Job] = []
    length = 0
    for job in jobs:
        if current and (
            len(current) >= size
            or length + len(job.text) > characters
            or (job.lang, job.article) != (current[0].lang, current[0].article)
        ):
            batches.append(current)
            current, length = [], 0
        current.append(job)
        length += len(job.text)
    if current:
        batches.append(current)
    return batches


def draft(
    project: Project,
    article: str | None = None,
    lang: str | None = None,
    *,
    engine_name: str | None = None,
    engines: list[str] | None = None,
    url: str | None = None,
    dry_run: bool = False,
    refresh: bool = False,
    redraft: Redraft | None = None,
    workers: int | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    policy: RetryPolicy | None = None,
    segments: Collection[tuple[str, str, str]] | None = None,
) -> DraftReport:
    """Draft every untranslated segment: memory, then the MT cache, then the engines of the chain.

    ``segments``: only these (language, article, segment id) in scope (the review page's Draft buttons).

    ``dry_run`` writes nothing and sends nothing: the report says what would be sent.
    ``redraft`` also sends the drafts it selects to the engines again (not to memory or cache; the
    new answer replaces the cached one); ``refresh`` is ``Redraft(states={REJECTED})``.
    """
    if redraft is None and refresh:
        redraft = Redraft(frozenset({State.REJECTED}))
    settings = project.settings
    chain = engine_chain(settings, engines or ([engine_name] if engine_name else None), url)
    glossary = load_glossary(project.glossary_path, settings.source, settings.targets)
    options = llm_options(project)
    model_problem = None
    if "llm" in chain and not options.model and not os.environ.get(LLM_MODEL_ENV, "").strip():
        try:
            llm_url = _url_for("llm", chain, settings, url)
            options = replace(options, model=discover_model(llm_url, float(settings.timeout)))
        except EngineError as exc:
            model_problem = str(exc)
    prices = {**DEFAULT_PRICES, **settings.mt_prices}
    report = DraftReport(currency=settings.mt_currency, dry_run=dry_run)
    report.engines = [EngineUse(name, float(prices.get(name, 0.0))) for name in chain]
    uses = {use.name: use for use in report.engines}
    if "llm" in uses:
        uses["llm"].token_prices = (options.input_price, options.output_price)
    if not (engines or engine_name or settings.engines or settings.engine):
        report.notes.append(_default_note(chain[0]))
    if model_problem is not None:
        uses["llm"].down = model_problem
    cache = MTCache.for_root(project.root, readonly=dry_run)
    if cache.note:
        report.notes.append(cache.note)
    run = DraftRun(
        project,
        chain,
        glossary,
        cache,
        report,
        options,
        url,
        redraft=redraft,
        segments=segments,
        workers=workers,
        policy=policy,
        on_progress=on_progress,
    )
    jobs = run.jobs
    per_article = PerArticle()
    files = None if segments is None else {(lang, slug) for lang, slug, _ in segments}
    try:
        for target in project.languages(lang):
            memory = exact_memory(memory_entries(project, target))
            for slug in project.articles(article):
                if files is not None and (target, slug) not in files:
                    continue
                path = project.po_path(target, slug)
                loaded: Catalog | None = None
                with per_article.article():
                    loaded = load_catalog(path, article=slug, lang=target, source_lang=settings.source)
                if loaded is None:  # a PO file that cannot be read: reported at the end, the rest is drafted
                    continue
                entry = _Article(loaded, path)
                run.articles.append(entry)
                _prepare(run, entry, target, memory)
                if not dry_run:
                    _save(project, entry, report)
        report.texts = len(jobs)
        report.characters = sum(len(job.text) for job in jobs.values())
        batching = _batching(chain)
        if batching:
            for job in jobs.values():
                job.glossary = llm_glossary([m.term for m in glossary.find(job.source)], job.lang)
        if dry_run:
            report.left = sum(len(job.users) for job in jobs.values())
            make = _maker(run)
            for target in project.languages(lang):
                for name in chain:
                    _probe(name, settings.source, target, make, uses[name])
                    if name in batching and not uses[name].down:
                        _estimate(make(name, target), [j for j in jobs.values() if j.lang == target], uses[name])
            return report
        if "deepl" in chain:
            run.deepl_glossaries = _deepl_glossaries(run)
        _send(run)
    finally:
        cache.close()
    per_article.raise_errors()
    return report


def _prepare(run: DraftRun, entry: _Article, lang: str, memory: dict[str, MemoryEntry]) -> None:
    """Fill one catalogue's pending units from memory and cache; queue the rest as the run's jobs."""
    redraft, segments, glossary, report, uses = run.redraft, run.segments, run.glossary, run.report, run.uses
    names = run.cache_names
    settings_source = entry.catalog.source_lang
    active = entry.catalog.active_units()
    sources = [unit.source for unit in active]
    for position, unit in enumerate(active):
        redo = redraft is not None and redraft.selects(unit)
        if unit.state is not State.UNTRANSLATED and not redo:
            continue
        if segments is not None and (lang, entry.catalog.article, unit.id) not in segments:
            continue
        entry.pending(unit)
        found = None if redo else memory.get(" ".join(unit.source.split()))
        if found is not None:
            approved = fill_from_memory(unit, found, lang, glossary, run.settings.auto_approve_exact)
            report.from_memory += 1
            report.approved_from_memory += approved
            report.findings += len(unit.findings)
            entry.done(unit)
            continue
        text, codes = protect(unit.source)
        if not redo:
            answers = ((n, run.cache.get(key, settings_source, lang, text)) for n, key in names.items())
            # an answer cached by an older version that is not a translation is asked for again
            hit = next(((n, t) for n, t in answers if t is not None and refusal(text, t, lang) is None), None)
            if hit is not None:
                uses[hit[0]].count_glossary(apply_machine_translation(unit, hit[1], codes, hit[0], lang, glossary))
                uses[hit[0]].cached += 1
                report.from_cache += 1
                report.findings += len(unit.findings)
                entry.done(unit)
                continue
        report.redrafts += redo
        job = run.jobs.get((lang, text))
        if job is None:
            job = run.jobs[(lang, text)] = _Job(lang, text, source=unit.source, article=entry.catalog.article)
            job.context = _context(sources, position)
        job.users.append((entry, unit, codes))
        entry.waiting += 1


def _context(sources: list[str], position: int) -> Context:
    """The context of the segment at ``position`` of an article's ``sources``: the article's first
    segment (its title, as the front matter comes first) and the sentences around it."""
    low, high = max(0, position - CONTEXT_SENTENCES), position + 1 + CONTEXT_SENTENCES
    title = sources[0] if position > 0 else None
    return Context(title, tuple(sources[low:position]), tuple(sources[position + 1 : high]))


def _batching(chain: list[str]) -> set[str]:
    """The engines of the chain that take batches (llm)."""
    return {name for name in chain if name == "llm"}


def _estimate(engine: Engine, jobs: list[_Job], use: EngineUse) -> None:
    """Add the estimated tokens of the requests ``jobs`` would make to ``use`` (--dry-run)."""
    assert isinstance(engine, LLMEngine)
    for group in _batches(jobs, engine.options.batch_size, engine.options.batch_characters):
        prompt, completion = engine.estimate(_batch(group))
        use.prompt_tokens += prompt
        use.completion_tokens += completion
        use.requests += 1


def _maker(run: DraftRun) -> Callable[[str, str], Engine]:
    """Builds the run's engine ``name`` for a target language (a new object for each call)."""
    settings = run.settings

    def make(name: str, lang: str) -> Engine:
        target_url = _url_for(name, run.chain, settings, run.url)
        timeout = float(settings.timeout)
        extra = run.options if name == "llm" else run.deepl_glossaries.get(lang) if name == "deepl" else None
        return create_engine(name, settings.source, lang, url=target_url, timeout=timeout, options=extra)

    return make


def _deepl_glossaries(run: DraftRun) -> dict[str, str]:
    """DeepL glossary ids by target language, for the languages with texts to send; what was done
    (created, reused, replaced, left out) or why no glossary is used goes into the notes."""
    settings, jobs, glossary, report = run.settings, run.jobs, run.glossary, run.report
    found: dict[str, str] = {}
    for lang in sorted({job.lang for job in jobs.values()}):
        try:
            made = ensure_glossary(
                _url_for("deepl", run.chain, settings, run.url),
                settings.source,
                lang,
                glossary.terms,
                timeout=float(settings.timeout),
            )
        except EngineError as exc:
            report.notes.append(f"deepl [{lang}]: no DeepL glossary is used ({exc}); the glossary still repairs drafts")
            continue
        if made is None:
            continue
        found[lang] = made.glossary_id
        done = "created" if made.created else "reused (glossary.yaml unchanged)"
        replaced = f"; replaced {', '.join(made.deleted)}" if made.deleted else ""
        report.notes.append(f"deepl [{lang}]: glossary '{made.name}' with {made.entries} terms {done}{replaced}")
        if made.left_out:
            report.notes.append(
                f"deepl [{lang}]: left out of the DeepL glossary (longer than DeepL allows, or a line break): "
                + ", ".join(made.left_out)
            )
    return found


def _probe(name: str, source: str, lang: str, make: Callable[[str, str], Engine], use: EngineUse) -> None:
    """Build the engine once (no request): a missing key or language shows before any work."""
    try:
        make(name, lang)
    except EngineError as exc:
        use.down = use.down or str(exc)


def _send(run: DraftRun) -> None:
    """Send the run's jobs in parallel (batches of them to a batching first engine) and apply the
    answers as they come back."""
    project, settings, chain, jobs, uses, report = run.project, run.settings, run.chain, run.jobs, run.uses, run.report
    on_progress, options = run.on_progress, run.options
    make = _maker(run)
    langs = sorted({job.lang for job in jobs.values()})
    states: dict[tuple[str, str], _EngineState] = {}
    for target in langs:
        for name in chain:
            # one EngineUse per engine in the report; the down flag is per language
            states[(name, target)] = _EngineState(EngineUse(name, uses[name].price, down=uses[name].down))
            _probe(name, settings.source, target, make, states[(name, target)].use)
    progress = Progress(total=len(jobs))
    stop = threading.Event()
    policy = run.policy or RetryPolicy(retries=settings.retries)
    runner = _Runner(chain, settings.source, states, make, policy, stop)
    pool = ThreadPoolExecutor(max_workers=run.workers or settings.workers, thread_name_prefix="mt")
    futures: dict[Future[list[_Outcome]], list[_Job]] = {}
    handled: set[Future[list[_Outcome]]] = set()
    done_jobs: set[int] = set()

    def handle(future: Future[list[_Outcome]], *, report_progress: bool = True) -> None:
        handled.add(future)
        for job, outcome in zip(futures[future], future.result(), strict=True):
            apply(job, outcome)
        if on_progress is not None and report_progress:
            on_progress(progress)

    def apply(job: _Job, outcome: _Outcome) -> None:
        if outcome.stopped:
            return  # not sent: its units wait for the next run
        done_jobs.add(id(job))
        if outcome.engine is not None and outcome.raw is not None:
            run.cache.put(cache_name(outcome.engine, options), settings.source, job.lang, job.text, outcome.raw)
            progress.characters += len(job.text)
            progress.done += 1
        else:
            progress.failed += 1
        for entry, unit, codes in job.users:
            entry.waiting -= 1
            if outcome.engine is not None and outcome.raw is not None:
                glossary_use = apply_machine_translation(
                    unit, outcome.raw, codes, outcome.engine, job.lang, run.glossary
                )
                uses[outcome.engine].count_glossary(glossary_use)
                report.from_engine += 1
                report.findings += len(unit.findings)
                entry.done(unit)
            else:
                reason = outcome.reasons[-1] if outcome.reasons else "no engine could be used"
                kept = unit.state is not State.UNTRANSLATED
                report.failures.append(Failure(entry.catalog.article, job.lang, unit.id, unit.source, reason, kept))
            if entry.waiting == 0:
                _save(project, entry, report)

    try:
        if on_progress is not None:
            on_progress(progress)
        if chain[0] in _batching(chain):
            tasks = _batches(list(jobs.values()), options.batch_size, options.batch_characters)
        else:
            tasks = [[job] for job in jobs.values()]
        for task in tasks:
            futures[pool.submit(runner.run, task[0].lang, task)] = task
        for future in as_completed(futures):
            handle(future)
    except KeyboardInterrupt:
        report.interrupted = True
        stop.set()
        for article_entry in run.articles:
            _save(project, article_entry, report)  # what arrived so far, before waiting for anything
        pool.shutdown(wait=True, cancel_futures=True)
        for future in futures:
            if future.done() and not future.cancelled() and future not in handled:
                handle(future, report_progress=False)  # answers in flight when the run was stopped
    finally:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        for article_entry in run.articles:
            _save(project, article_entry, report)
        _summarise(states, uses, chain, jobs, done_jobs, report)


def _save(project: Project, entry: _Article, report: DraftReport) -> None:
    """Write the drafts of ``entry`` into its PO file as it is now: a unit someone changed since
    the run read it (approved, edited, re-extracted) keeps that change."""
    if not entry.changed:
        return
    with project.lock("draft"):
        catalog = entry.catalog
        current = load_catalog(entry.path, article=catalog.article, lang=catalog.lang, source_lang=catalog.source_lang)
        on_disk = current.by_source()
        for unit in (u for u in catalog.active_units() if u.source in entry.changed):
            found = on_disk.get(unit.source)
            if found is None or (found.state, found.target, len(found.history)) != entry.before[unit.source]:
                continue
            found.target, found.state, found.origin = unit.target, unit.state, unit.origin
            found.findings, found.history = list(unit.findings), list(unit.history)
            found.checked, found.previous_source = unit.checked, unit.previous_source
        entry.changed.clear()
        if save_catalog(current, entry.path):
            report.files_written += 1


def _summarise(
    states: dict[tuple[str, str], _EngineState],
    uses: dict[str, EngineUse],
    chain: list[str],
    jobs: dict[tuple[str, str], _Job],
    done_jobs: set[int],
    report: DraftReport,
) -> None:
    """Fold the per-language engine states into the report; decide whether nothing was reachable."""
    for (name, _), state in states.items():
        use = uses[name]
        use.segments += state.use.segments
        use.characters += state.use.characters
        use.requests += state.use.requests
        use.refused += state.use.refused
        use.prompt_tokens += state.use.prompt_tokens
        use.completion_tokens += state.use.completion_tokens
        if state.use.down and not use.down:
            use.down = state.use.down
    report.left = len(report.failures) + sum(len(j.users) for j in jobs.values() if id(j) not in done_jobs)
    langs = {lang for (_, lang) in states}
    dead = [lang for lang in langs if all(states[(name, lang)].use.down for name in chain)]
    if report.left and dead and not report.interrupted:
        reasons = "; ".join(
            dict.fromkeys(states[(name, lang)].use.down or "" for lang in sorted(dead) for name in chain)
        )
        report.engine_error = EngineError(reasons)


def iter_failures(report: DraftReport, limit: int = 10) -> Iterator[str]:
    """Lines naming failed segments, at most ``limit`` of them and a count of the rest."""
    for failure in report.failures[:limit]:
        yield f"{failure.article} [{failure.lang}] {failure.id}: {failure.reason}"
    if len(report.failures) > limit:
        yield f"… and {len(report.failures) - limit} more"
