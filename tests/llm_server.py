"""An OpenAI-compatible chat-completions server for tests, imitating what models do in the wild.

It listens on 127.0.0.1 on a free port while its ``with`` block runs::

    with LLMServer() as server:
        engine = create_engine("llm", "ko", "en", url=server.url, options=LLMOptions(model="m"))

``POST /v1/chat/completions`` reads the request as :mod:`translate.llm` builds it (the segments are
the JSON of the last user message) and answers ``{"translations": [{"id", "text"}]}`` with
``translate(text)`` for each segment (default: ``EN romanized``, tokens ⟦n⟧ kept), glossary terms
of the request replaced by their targets first (``obey_glossary``), streamed as
server-sent events in chunked encoding (a plain JSON completion when the request has no
``stream``). Every request is recorded in ``server.received`` (:class:`Call`: body, headers,
payload, segment texts).

Failure modes, settable at any time:

* ``answer = lambda text, call: ...`` replaces the translation of chosen texts (return None for the
  normal one): a question answered, ``{count}`` → ``{개수}``, quotes, "Here is the translation:";
* ``drop = lambda text, call: True`` leaves chosen items out; ``reverse = True`` answers in reverse
  order;
* ``cut_off = lambda call: True`` cuts the JSON in the middle and ends with ``finish_reason:
  "length"``; ``refuse = lambda call: True`` answers "I'm sorry, I can't help with that." (not
  JSON), or with the API's ``refusal`` field when ``refusal_field`` is set;
* ``script``: a list of :class:`Reply` (status, headers such as Retry-After, a stall) for the next
  requests, one each;
* ``delay`` seconds before answering; ``chunk_delay`` seconds between streamed pieces (a slow
  stream); ``stall`` seconds of silence in the middle of every stream;
* ``models``: what ``GET /v1/models`` lists (default: one, ``local-model``);
* ``usage``: whether the stream ends with the usage (prompt tokens: 1000 + the body's length in
  bytes; completion tokens: 7 per segment);
* ``api_key``: requests without ``Authorization: Bearer <key>`` get 401.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from tests.local_http import LocalHTTPServer, QuietHandler, owner_of
from tests.mt_server import romanize

REFUSAL = "I'm sorry, I can't help with that."


def english(text: str) -> str:
    """The imitation's translation: Latin letters, tokens and placeholders unchanged."""
    return f"EN {romanize(text)}"


@dataclass(frozen=True)
class Call:
    """One request: its JSON body and headers; ``payload`` is the user message's JSON."""

    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def payload(self) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(self.body["messages"][-1]["content"]))

    @property
    def system(self) -> str:
        return str(self.body["messages"][0]["content"])

    @property
    def texts(self) -> list[str]:
        return [item["text"] for item in self.payload["segments"]]


@dataclass(frozen=True)
class Reply:
    """A canned reply for one request: an HTTP status with headers, or ``stall`` seconds of
    silence in the middle of a normal stream."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    stall: float = 0.0


class _Handler(QuietHandler):
    """Answers the chat-completions API as the :class:`LLMServer` it serves is set."""

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError):  # the client closed the connection it kept alive
            super().handle()

    def do_GET(self) -> None:
        owner: LLMServer = owner_of(self)
        if self.path != "/v1/models":
            return self._json(404, {"error": {"message": f"no route {self.path}"}})
        return self._json(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in owner.models]})

    def do_POST(self) -> None:
        owner: LLMServer = owner_of(self)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/v1/chat/completions":
            return self._json(404, {"error": {"message": f"no route {self.path}"}})
        call = Call(json.loads(body), dict(self.headers.items()))
        with owner._lock:
            owner.received.append(call)
            reply = owner.script.pop(0) if owner.script else Reply()
        owner.wait(owner.delay)
        if owner.api_key is not None and self.headers.get("Authorization") != f"Bearer {owner.api_key}":
            return self._json(401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}})
        if reply.status != 200:
            message = {429: "Rate limit reached for requests"}.get(reply.status, "The server had an error")
            return self._json(reply.status, {"error": {"message": message}}, reply.headers)
        content, finish, refusal = owner.completion(call)
        usage = {"prompt_tokens": 1000 + len(body), "completion_tokens": 7 * len(call.texts)}
        if not call.body.get("stream"):
            message: dict[str, Any] = {"role": "assistant", "content": content or None, "refusal": refusal or None}
            data = {"choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage}
            return self._json(200, data)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            pieces = [content[i : i + 16] for i in range(0, len(content), 16)]
            events: list[dict[str, Any]] = [{"choices": [{"index": 0, "delta": {"role": "assistant"}}]}]
            events += [{"choices": [{"index": 0, "delta": {"content": piece}}]} for piece in pieces]
            if refusal:
                events.append({"choices": [{"index": 0, "delta": {"refusal": refusal}}]})
            events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
            if owner.usage and call.body.get("stream_options", {}).get("include_usage"):
                events.append({"choices": [], "usage": usage})
            middle = len(events) // 2
            for number, event in enumerate(events):
                if number == middle:
                    owner.wait(reply.stall or owner.stall)
                self._chunk(b"data: " + json.dumps(event, ensure_ascii=False).encode() + b"\n\n")
                owner.wait(owner.chunk_delay)
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")
        except ConnectionError:
            pass  # the client gave up (a timeout test)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _json(self, status: int, value: object, headers: tuple[tuple[str, str], ...] = ()) -> None:
        data = json.dumps(value, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, header in headers:
                self.send_header(name, header)
            self.end_headers()
            self.wfile.write(data)
        except ConnectionError:
            pass


@dataclass
class LLMServer(LocalHTTPServer):
    translate: Callable[[str], str] = english
    api_key: str | None = None
    answer: Callable[[str, Call], str | None] = lambda text, call: None
    drop: Callable[[str, Call], bool] = lambda text, call: False
    reverse: bool = False
    obey_glossary: bool = True
    cut_off: Callable[[Call], bool] = lambda call: False
    refuse: Callable[[Call], bool] = lambda call: False
    refusal_field: bool = False
    usage: bool = True
    delay: float = 0.0
    chunk_delay: float = 0.0
    stall: float = 0.0
    script: list[Reply] = field(default_factory=list)
    models: tuple[str, ...] = ("local-model",)
    received: list[Call] = field(default_factory=list)

    handler = _Handler

    def __post_init__(self) -> None:
        super().__init__()

    @property
    def url(self) -> str:
        """The API base, as a user gives it to --url."""
        return f"http://127.0.0.1:{self.port}/v1"

    @staticmethod
    def _obey(text: str, call: Call) -> str:
        for entry in sorted(call.payload.get("glossary", []), key=lambda e: -len(e["source"])):
            text = text.replace(entry["source"], f" {entry['target']} ")
        return " ".join(text.split())

    def completion(self, call: Call) -> tuple[str, str | None, str]:
        """The content, finish reason and refusal the model gives for ``call``."""
        if self.refuse(call):
            return ("", "stop", REFUSAL) if self.refusal_field else (REFUSAL, "stop", "")
        items = []
        for index, text in enumerate(call.texts):
            if self.drop(text, call):
                continue
            answer = self.answer(text, call)
            if answer is None:
                answer = self.translate(self._obey(text, call) if self.obey_glossary else text)
            items.append({"id": str(index + 1), "text": answer})
        if self.reverse:
            items.reverse()
        content = json.dumps({"translations": items}, ensure_ascii=False)
        if self.cut_off(call):
            return content[: len(content) // 2], "length", ""
        return content, "stop", ""
