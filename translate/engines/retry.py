"""Retrying a busy or timed-out engine: backoff with jitter, Retry-After shared by all workers."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from translate.engines.transport import EngineBusy, EngineRefused, EngineUnreachable

if TYPE_CHECKING:
    from translate.engines.registry import Engine

T = TypeVar("T")


class Stopped(Exception):
    """The run is being interrupted: a worker gives up waiting."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a busy or timed-out engine."""

    retries: int = 3
    base: float = 0.5  # seconds before the first retry (then doubled each time)
    cap: float = 30.0  # longest backoff
    max_wait: float = 120.0  # a Retry-After longer than this makes the engine unusable this run

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: between half and all of base * 2**attempt."""
        ceiling = min(self.cap, self.base * 2.0**attempt)
        return ceiling / 2 + random.uniform(0, ceiling / 2)


class Gate:
    """Shared by all workers of one engine: after a Retry-After, nobody sends until it passed."""

    def __init__(self) -> None:
        self._until = 0.0
        self._lock = threading.Lock()

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._until = max(self._until, time.monotonic() + seconds)

    def wait(self, stop: threading.Event) -> None:
        """Return when the gate is open; raise :class:`Stopped` if the run is interrupted first."""
        while (delay := self._until - time.monotonic()) > 0:
            if stop.wait(delay):
                raise Stopped
        if stop.is_set():
            raise Stopped


def translate_with_retries(
    engine: Engine,
    text: str,
    policy: RetryPolicy,
    *,
    gate: Gate | None = None,
    stop: threading.Event | None = None,
    on_attempt: Callable[[], None] | None = None,
) -> str:
    """``engine.translate(text)``, retried on 429, 5xx and timeouts with backoff and jitter,
    honouring Retry-After; other errors are raised at once."""
    return with_retries(lambda: engine.translate(text), policy, gate=gate, stop=stop, on_attempt=on_attempt)


def with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    gate: Gate | None = None,
    stop: threading.Event | None = None,
    on_attempt: Callable[[], None] | None = None,
) -> T:
    """``call()`` with the retry rules of :func:`translate_with_retries`."""
    gate = gate or Gate()
    stop = stop or threading.Event()
    for attempt in range(policy.retries + 1):
        gate.wait(stop)
        if on_attempt is not None:
            on_attempt()
        try:
            return call()
        except (EngineBusy, EngineUnreachable) as exc:
            retry_after = exc.retry_after if isinstance(exc, EngineBusy) else None
            if isinstance(exc, EngineUnreachable) and not exc.timed_out:
                raise
            if retry_after is not None and retry_after > policy.max_wait:
                raise EngineRefused(f"{exc} (it asks to wait {retry_after:.0f} s)") from None
            if attempt == policy.retries:
                raise
            if retry_after is not None:
                gate.hold(retry_after)
                delay = retry_after + random.uniform(0, policy.base / 2)
            else:
                delay = policy.backoff(attempt)
            if stop.wait(delay):
                raise Stopped from None
    raise AssertionError("unreachable")  # pragma: no cover
