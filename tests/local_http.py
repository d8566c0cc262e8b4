"""The plumbing the imitation servers share (tests/mt_server.py, llm_server.py, deepl_server.py).

A :class:`LocalHTTPServer` listens on 127.0.0.1 on a free port and answers in a background thread
while its ``with`` block runs; its request handler reaches it as ``owner_of(handler)``. The server
is made in ``__init__`` (so ``port`` is known at once) and started by ``__enter__``.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, Self, cast


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: LocalHTTPServer, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.owner = owner


class LocalHTTPServer:
    """A test server on 127.0.0.1; a subclass names its request handler in ``handler``."""

    handler: ClassVar[type[BaseHTTPRequestHandler]]

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(self, self.handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds``, or less if the server is stopping (a delayed answer ends at once)."""
        if seconds:
            self._stopping.wait(seconds)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


def owner_of(handler: BaseHTTPRequestHandler) -> Any:
    """The :class:`LocalHTTPServer` a request handler answers for."""
    return cast(_Server, handler.server).owner


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, as the real services answer; no log lines in the test output."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once, without a delayed-ACK stall

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""
