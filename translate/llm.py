"""The ``llm`` engine: any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, vLLM,
llama.cpp's server, Ollama's ``/v1``).

One request translates a *batch* of segments. It carries the source and target language, the
article's title and the sentences around the batch as context, the glossary entries found in the
batch (target, forbidden variants, note, keep-as-is names), the placeholders each segment must give
back byte for byte, and the project's style note for the language; the segments go as JSON with
short ids, at temperature 0, and the answer must be JSON with the same ids. The answer is streamed
(server-sent events): ``timeout`` bounds the silence between two pieces, ``deadline`` the whole
answer, so a slow local server that keeps writing is not cut off while a stalled one is.

This module builds the request, sends it and reads the answer; whether each translated item is
acceptable is decided by :mod:`translate.draft` (:func:`answer_problem` here adds the checks
specific to a chat model to ``draft.refusal``).

The client is plain ``requests`` (already a dependency through deep-translator), measured against
the ``openai`` package and ``httpx`` in ``bench/llm_client.py``.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
from urllib3.exceptions import ReadTimeoutError

from translate.engines.transport import (
    _STATUS_NOTES,
    EngineUnreachable,
    _by_status,
    _checked_url,
    _display_url,
    _os_reason,
    error_detail,
)
from translate.errors import EngineError

LLM_URL_ENV = "LLM_BASE_URL"
LLM_KEY_ENV = "LLM_API_KEY"
OPENAI_KEY_ENV = "OPENAI_API_KEY"  # read when LLM_API_KEY is not set
LLM_MODEL_ENV = "LLM_MODEL"
DEFAULT_BATCH_SIZE = 20
DEFAULT_BATCH_CHARACTERS = 3000
DEFAULT_DEADLINE = 300.0
CONTEXT_SENTENCES = 2  # neighbouring sentences sent on each side of a batch

LANGUAGE_NAMES = {
    "ko": "Korean",
    "en": "English",
    "ja": "Japanese",
    "zh": "Chinese",
    "zh-CN": "Simplified Chinese",
    "zh-TW": "Traditional Chinese",
    "vi": "Vietnamese",
    "th": "Thai",
    "ru": "Russian",
    "mn": "Mongolian",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
}

SYSTEM_PROMPT = """\
You are a professional translator of a medical clinic's web articles from {source} into {target}.
You receive JSON: the article's title and neighbouring sentences as context (never translate \
those), glossary entries, a style note, and "segments", each with an "id" and a "text".
Translate every segment's text into {target}. Rules:
- Answer with JSON only: {{"translations": [{{"id": "<id>", "text": "<translation>"}}, ...]}}, \
one item per segment, with the same ids.
- Translate; never answer a question asked in the text, never add anything: no notes, no \
explanations, no quotation marks around the translation, no "Here is the translation".
- Copy every placeholder listed for a segment (such as ⟦0⟧ or {{count}}) exactly, byte for byte, \
the same number of times; never translate or renumber them.
- Glossary: translate each term with its "target"; never use its "forbidden" variants; a term \
with "keep": true is a name and must be written exactly as its target.
- Keep numbers, units, doses and durations exactly as in the source; add no medical claim.
- No {source} may remain in a translation."""

_PLACEHOLDER_RE = re.compile(r"⟦\s*\d+\s*⟧|\{[^\W\d]\w*\}|%(?:\([^\W\d]\w*\))?[sdif]")
_HANGUL_RE = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_PREAMBLE_RE = re.compile(
    r"^\s*(?:here(?:'s| is| are)\b[^:\n]*:|sure\b|certainly\b|of course\b|(?:the )?translation\s*:|"
    r"translated(?: text)?\s*:|i'?m sorry\b|i am sorry\b|i can(?:'t|not)\b|as an ai\b)",
    re.IGNORECASE,
)
_NOTE_RE = re.compile(r"(?:^|[\s(\[])(?:translator'?s? )?notes?\s*:|\(note\b|\[note\b", re.IGNORECASE)
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "「": "」", "『": "』"}


def placeholders(text: str) -> list[str]:
    """The placeholders in ``text`` that an answer must give back unchanged: tokens ⟦n⟧ for inline
    markup, ``{name}`` and printf-style ``%s``/``%(name)s``."""
    return _PLACEHOLDER_RE.findall(text)


def answer_problem(text: str, answer: str, lang: str) -> str | None:
    """What is wrong with a chat model's ``answer`` for ``text`` (both with tokens ⟦n⟧) beyond
    ``draft.refusal``, or None: a placeholder changed, lost or added; Hangul left (for a language
    not written in it); a preamble, a note or quotation marks the source does not have; a question
    answered instead of translated; an answer far longer than a translation can be."""
    if _PREAMBLE_RE.match(answer):
        return f"the answer adds words of its own ({_shorten(answer.strip())})"
    if sorted(placeholders(answer)) != sorted(placeholders(text)):
        wanted, got = " ".join(placeholders(text)) or "none", " ".join(placeholders(answer)) or "none"
        return f"the placeholders changed (sent {wanted}, got {got})"
    bare = _PLACEHOLDER_RE.sub(" ", answer).strip()
    if lang.split("-")[0].lower() != "ko" and _HANGUL_RE.search(bare):
        return "Korean is left in the answer"
    if _PREAMBLE_RE.match(bare):
        return f"the answer adds words of its own ({_shorten(bare)})"
    if _NOTE_RE.search(bare) and not _NOTE_RE.search(text):
        return f"the answer adds a note ({_shorten(bare)})"
    if "\n" in answer.strip() and "\n" not in text.strip():
        return "the answer adds lines of its own"
    first, last = bare[:1], bare[-1:]
    source = text.strip()
    if first in _QUOTES and _QUOTES[first] == last and len(bare) > 1 and source[:1] not in _QUOTES:
        return "the answer adds quotation marks"
    if source.endswith(("?", "？")) and "?" not in bare and "？" not in bare:
        return "the question was answered or changed, not translated (the answer is not a question)"
    if len(bare) > 8 * len(source) + 80:
        return f"the answer is far longer than a translation ({len(bare)} characters for {len(source)})"
    return None


def _shorten(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def estimate_tokens(text: str) -> int:
    """A rough, tokenizer-free estimate for ``--dry-run``: one token per Hangul syllable or CJK
    character, one per four other characters."""
    wide = sum(1 for char in text if _HANGUL_RE.match(char) or "\u3040" <= char <= "\u9fff")
    return wide + math.ceil((len(text) - wide) / 4)


# --- the request ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GlossaryEntry:
    """A glossary term found in a batch, as the model sees it."""

    source: str
    target: str
    forbidden: tuple[str, ...] = ()
    note: str | None = None
    keep: bool = False

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source, "target": self.target}
        if self.forbidden:
            data["forbidden"] = list(self.forbidden)
        if self.note:
            data["note"] = self.note
        if self.keep:
            data["keep"] = True
        return data


@dataclass(frozen=True)
class Context:
    """What the model reads but does not translate: the article's title and the sentences before
    and after the batch."""

    title: str | None = None
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Batch:
    """Segments (protected texts, tokens ⟦n⟧) for one request, with context and glossary."""

    texts: tuple[str, ...]
    context: Context = Context()
    glossary: tuple[GlossaryEntry, ...] = ()


@dataclass
class BatchAnswer:
    """The model's translations by position in the batch (missing ones absent), a problem that
    spoils the whole answer (cut off, not JSON, a refusal), and the tokens it cost."""

    texts: dict[int, str] = field(default_factory=dict)
    problem: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True)
class LLMOptions:
    """``[tool.translate.llm]``: model, style notes per language, batch limits, prices, deadline."""

    model: str | None = None
    style: Mapping[str, str] = field(default_factory=dict)
    batch_size: int = DEFAULT_BATCH_SIZE
    batch_characters: int = DEFAULT_BATCH_CHARACTERS
    input_price: float = 0.0  # per million prompt tokens
    output_price: float = 0.0  # per million completion tokens
    deadline: float = DEFAULT_DEADLINE  # seconds for one whole answer


def build_messages(batch: Batch, source: str, target: str, style: str | None) -> list[dict[str, str]]:
    """The chat messages of one request: the rules, then the batch as JSON."""
    names = (LANGUAGE_NAMES.get(source, source), LANGUAGE_NAMES.get(target, target))
    system = SYSTEM_PROMPT.format(source=names[0], target=names[1])
    payload: dict[str, Any] = {"source_language": source, "target_language": target}
    if batch.context.title:
        payload["title"] = batch.context.title
    if batch.context.before:
        payload["context_before"] = list(batch.context.before)
    if batch.context.after:
        payload["context_after"] = list(batch.context.after)
    if batch.glossary:
        payload["glossary"] = [entry.as_json() for entry in batch.glossary]
    if style:
        payload["style"] = style
    segments = []
    for index, text in enumerate(batch.texts):
        item: dict[str, Any] = {"id": str(index + 1), "text": text}
        if found := placeholders(text):
            item["placeholders"] = found
        segments.append(item)
    payload["segments"] = segments
    user = json.dumps(payload, ensure_ascii=False, indent=1)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def max_tokens_for(batch: Batch) -> int:
    """Room for the answer: twice the estimated translation plus the JSON around each item."""
    return 256 + sum(2 * estimate_tokens(text) + 24 for text in batch.texts)


def parse_answer(content: str, size: int) -> tuple[dict[int, str], str | None]:
    """The translations in the model's JSON ``content`` by batch position, and a problem that
    spoils the whole answer. Ids outside the batch are ignored; the order does not matter."""
    text = content.strip()
    fence = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", text, re.DOTALL)
    if fence:
        text = fence.group(1)
    try:
        data = json.loads(text)
    except ValueError:
        return {}, f"the answer is not the JSON asked for ({_shorten(' '.join(text.split())) or 'empty'})"
    items: Any = data.get("translations", data) if isinstance(data, dict) else data
    if isinstance(items, dict):
        items = [{"id": key, "text": value} for key, value in items.items()]
    if not isinstance(items, list):
        return {}, "the answer's JSON has no list of translations"
    found: dict[int, str] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        ident, value = str(item.get("id", "")).strip(), item.get("text", item.get("translation"))
        if ident.isdigit() and 1 <= int(ident) <= size and isinstance(value, str):
            found.setdefault(int(ident) - 1, value)
    return found, None


# --- the engine -----------------------------------------------------------------------------

_LOCAL = threading.local()


def _session() -> requests.Session:
    session: requests.Session | None = getattr(_LOCAL, "session", None)
    if session is None:
        session = _LOCAL.session = requests.Session()
    return session


class LLMEngine:
    """An OpenAI-compatible chat-completions endpoint for one language pair.

    ``url`` is the API base (``http://127.0.0.1:11434/v1``; ``/chat/completions`` is appended), else
    LLM_BASE_URL; the key comes from LLM_API_KEY, else OPENAI_API_KEY (none for a local server).
    """

    name = "llm"
    batching = True

    def __init__(
        self,
        source: str,
        target: str,
        *,
        url: str | None = None,
        timeout: float = 20.0,
        options: LLMOptions | None = None,
    ) -> None:
        options = options or LLMOptions()
        if not timeout > 0:
            raise EngineError(f"{self.name}: the timeout must be positive, got {timeout}")
        base = endpoint_base(url)
        self.model = options.model or os.environ.get(LLM_MODEL_ENV, "").strip()
        if not self.model:
            raise EngineError(f"llm needs a model name: set model in [tool.translate.llm] or {LLM_MODEL_ENV}")
        self.source, self.target = source, target
        self.key = api_key()
        self.endpoint = base + "/chat/completions"
        self.where = _display_url(self.endpoint)
        self.timeout = timeout
        self.options = options
        self.style = options.style.get(target) or options.style.get(target.split("-")[0])

    def request_body(self, batch: Batch) -> dict[str, Any]:
        """The JSON body of the request for ``batch``."""
        return {
            "model": self.model,
            "messages": build_messages(batch, self.source, self.target, self.style),
            "temperature": 0,
            "max_tokens": max_tokens_for(batch),
            "response_format": {"type": "json_object"},
            "stream": True,
            "stream_options": {"include_usage": True},
        }

    def estimate(self, batch: Batch) -> tuple[int, int]:
        """Estimated prompt and completion tokens of the request for ``batch`` (for --dry-run)."""
        prompt = sum(estimate_tokens(m["content"]) + 4 for m in build_messages(batch, *self._langs(), self.style))
        completion = 12 + sum(estimate_tokens(text) + 12 for text in batch.texts)
        return prompt, completion

    def _langs(self) -> tuple[str, str]:
        return self.source, self.target

    def translate(self, text: str) -> str:
        """One text alone, without context (the Engine protocol); an unusable answer is an error."""
        if not text.strip():
            return text
        answer = self.translate_batch(Batch((text,)))
        if 0 not in answer.texts:
            raise EngineError(f"{self.name} at {self.where}: {answer.problem or 'the answer has no translation'}")
        return answer.texts[0]

    def translate_batch(self, batch: Batch) -> BatchAnswer:
        """Send one request; HTTP and connection failures raise EngineError (busy, refused,
        unreachable), a complete answer that is unusable as a whole comes back with ``problem``."""
        headers = {"Accept": "text/event-stream, application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
            headers["api-key"] = self.key  # Azure OpenAI's header
        started = time.monotonic()
        error: EngineError | None = None
        try:
            with _session().post(
                self.endpoint, json=self.request_body(batch), headers=headers, stream=True, timeout=self.timeout
            ) as response:
                if not 200 <= response.status_code < 300:
                    error = _by_status(
                        response.status_code, f"{self.name} at {self.where}: {self._status(response)}", response
                    )
                else:
                    content, finish, refusal, usage = self._read(response, started)
        except requests.Timeout:
            error = EngineUnreachable(
                f"cannot reach {self.name} at {self.where}: no answer within {self.timeout:g} s", timed_out=True
            )
        except _TooSlow:
            error = EngineUnreachable(
                f"{self.name} at {self.where}: the answer took longer than {self.options.deadline:g} s", timed_out=True
            )
        except requests.exceptions.ChunkedEncodingError:
            error = EngineUnreachable(f"{self.name} at {self.where}: the answer broke off", timed_out=True)
        except requests.ConnectionError as exc:
            if isinstance(exc.args[0] if exc.args else None, ReadTimeoutError):  # a stream gone silent
                error = EngineUnreachable(
                    f"{self.name} at {self.where}: no answer within {self.timeout:g} s", timed_out=True
                )
            else:
                error = EngineUnreachable(f"cannot reach {self.name} at {self.where}: {_os_reason(exc)}")
        except requests.RequestException as exc:
            error = EngineError(f"{self.name} at {self.where}: the request failed: {self._scrub(str(exc))}")
        if error is not None:
            raise error  # outside the except block: no chained exception carries the key
        answer = BatchAnswer()
        answer.prompt_tokens, answer.completion_tokens = usage or self.estimate(batch)
        if refusal:
            answer.problem = f"the model refused: {_shorten(' '.join(refusal.split()))}"
            return answer
        answer.texts, answer.problem = parse_answer(content, len(batch.texts))
        if finish == "length":
            answer.texts, answer.problem = {}, "the answer was cut off at the token limit"
        elif finish == "content_filter":
            answer.texts, answer.problem = {}, "the provider's content filter stopped the answer"
        return answer

    def _read(self, response: requests.Response, started: float) -> tuple[str, str | None, str, tuple[int, int] | None]:
        """Content, finish reason, refusal and usage of a streamed (or plain JSON) completion."""
        if "text/event-stream" not in response.headers.get("Content-Type", ""):
            data = json.loads(self._body(response, started) or "null")
            choice = (data.get("choices") or [{}])[0] if isinstance(data, dict) else {}
            message = choice.get("message") or {}
            return (
                message.get("content") or "",
                choice.get("finish_reason"),
                message.get("refusal") or "",
                _usage(data),
            )
        parts: list[str] = []
        refusals: list[str] = []
        finish: str | None = None
        usage: tuple[int, int] | None = None
        done = False
        for event in self._events(response, started):  # read to the end: the connection is kept
            done = done or event == "[DONE]"
            if done:
                continue
            try:
                data = json.loads(event)
            except ValueError:
                continue
            if not isinstance(data, dict):
                continue
            usage = _usage(data) or usage
            for choice in data.get("choices") or []:
                delta = choice.get("delta") or {}
                parts.append(delta.get("content") or "")
                refusals.append(delta.get("refusal") or "")
                finish = choice.get("finish_reason") or finish
        if not done:
            finish = finish or "length"  # the stream ended without [DONE] and without a finish reason
        return "".join(parts), finish, "".join(refusals), usage

    def _events(self, response: requests.Response, started: float) -> Iterator[str]:
        buffer = b""
        for chunk in response.iter_content(chunk_size=None):
            if time.monotonic() - started > self.options.deadline:
                raise _TooSlow
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                if line.startswith(b"data:"):
                    yield line[5:].strip().decode("utf-8", "replace")
        if buffer.startswith(b"data:"):
            yield buffer[5:].strip().decode("utf-8", "replace")

    def _body(self, response: requests.Response, started: float) -> bytes:
        chunks = []
        for chunk in response.iter_content(chunk_size=None):
            if time.monotonic() - started > self.options.deadline:
                raise _TooSlow
            chunks.append(chunk)
        return b"".join(chunks)

    def _status(self, response: requests.Response) -> str:
        status = response.status_code
        message = f"the server answered HTTP {status}{_STATUS_NOTES.get(status, '')}"
        if status in (401, 403) and not self.key:
            message += f"; set {LLM_KEY_ENV}"
        try:
            data = json.loads(response.raw.read(65536, decode_content=True) or b"null")
        except (ValueError, OSError, requests.RequestException):
            data = None
        detail = error_detail(data)
        if detail:
            message += f": {self._scrub(detail)}"
        return message

    def _scrub(self, text: str) -> str:
        if self.key:
            text = text.replace(self.key, "***")
        return _shorten(" ".join(text.split())) if len(text) > 200 else " ".join(text.split())


def endpoint_base(url: str | None) -> str:
    """The API base from ``url``, else LLM_BASE_URL; an EngineError saying how to give one."""
    base = url or os.environ.get(LLM_URL_ENV, "").strip()
    if not base:
        raise EngineError(
            f"llm needs the address of an OpenAI-compatible endpoint: pass --url (e.g. "
            f"http://127.0.0.1:11434/v1 for Ollama), set engine_urls.llm in [tool.translate] or {LLM_URL_ENV}"
        )
    return _checked_url("llm", base).rstrip("/").removesuffix("/chat/completions")


def api_key() -> str:
    """The key from LLM_API_KEY, else OPENAI_API_KEY; empty for a local server."""
    return os.environ.get(LLM_KEY_ENV, "").strip() or os.environ.get(OPENAI_KEY_ENV, "").strip()


def discover_model(url: str | None, timeout: float) -> str:
    """The only model the server at ``url`` serves (``GET /models``), for a project that names
    none; an EngineError when it serves several (listed) or cannot say."""
    base = endpoint_base(url)
    key = api_key()
    where = _display_url(base + "/models")
    try:
        response = _session().get(
            base + "/models", headers={"Authorization": f"Bearer {key}"} if key else {}, timeout=timeout
        )
    except requests.Timeout:
        raise EngineUnreachable(f"cannot reach llm at {where}: no answer within {timeout:g} s") from None
    except requests.ConnectionError as exc:
        raise EngineUnreachable(f"cannot reach llm at {where}: {_os_reason(exc)}") from None
    names: list[str] = []
    try:
        data = response.json()
        names = [str(m["id"]) for m in data.get("data", []) if isinstance(m, dict) and m.get("id")]
    except (ValueError, AttributeError, TypeError):
        pass
    if len(names) == 1:
        return names[0]
    choose = f"set model in [tool.translate.llm] or {LLM_MODEL_ENV}"
    if names:
        raise EngineError(f"llm at {where} serves {len(names)} models ({', '.join(names[:10])}): {choose}")
    raise EngineError(f"llm needs a model name and {where} did not list one (HTTP {response.status_code}): {choose}")


class _TooSlow(Exception):
    """The answer kept coming past the deadline."""


def _usage(data: Any) -> tuple[int, int] | None:
    usage = data.get("usage") if isinstance(data, dict) else None
    if not isinstance(usage, dict):
        return None
    prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
    if isinstance(prompt, int) and isinstance(completion, int):
        return prompt, completion
    return None


def glossary_entries(terms: Sequence[Any], lang: str) -> tuple[GlossaryEntry, ...]:
    """The glossary entries for ``terms`` (glossary ``Term`` objects) in ``lang``, once each, in
    order; terms without a translation into ``lang`` are left out."""
    seen: dict[str, GlossaryEntry] = {}
    for term in terms:
        target = term.target_for(lang)
        if target is None or term.source in seen:
            continue
        seen[term.source] = GlossaryEntry(term.source, target, tuple(term.forbidden_for(lang)), term.note, term.keep)
    return tuple(seen.values())
