"""The engines by name: ``create_engine(name, source, target)`` and what a dry run prices them at."""

from __future__ import annotations

from typing import Any, Protocol

from translate.engines import providers
from translate.engines.transport import DEFAULT_TIMEOUT
from translate.errors import EngineError

# Price per million characters (USD list prices, 2025) used by `draft --dry-run` unless the
# project sets its own in `mt_prices`. Free services are 0: they cost quota, not money.
# The llm engine is billed by tokens instead: [tool.translate.llm] input_price / output_price.
DEFAULT_PRICES = {
    "libre": 0.0,
    "google": 0.0,
    "mymemory": 0.0,
    "deepl": 25.0,
    "microsoft": 10.0,
    "papago": 14.0,
    "llm": 0.0,
}


class Engine(Protocol):
    """A machine-translation engine for one language pair."""

    name: str

    def translate(self, text: str) -> str: ...


class _EngineFactory(Protocol):
    def __call__(self, source: str, target: str, *, url: str | None, timeout: float) -> Engine: ...


_ENGINES: dict[str, _EngineFactory] = {
    "libre": providers.LibreEngine,
    "google": providers.GoogleEngine,
    "mymemory": providers.MyMemoryEngine,
    "deepl": providers.DeeplEngine,
    "microsoft": providers.MicrosoftEngine,
    "papago": providers.PapagoEngine,
}
ENGINE_NAMES: tuple[str, ...] = (*_ENGINES, "llm")  # llm: translate/llm.py, built in create_engine


def check_engine_name(name: str) -> str:
    """``name`` if it is a known engine, else an EngineError listing the known ones."""
    if name not in ENGINE_NAMES:
        raise EngineError(f"unknown engine {name!r}: choose one of {', '.join(ENGINE_NAMES)}")
    return name


def create_engine(
    name: str,
    source: str,
    target: str,
    *,
    url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    options: Any = None,
) -> Engine:
    """The engine ``name`` translating from ``source`` to ``target`` (our codes: ko, en, ja,
    zh-CN); ``url`` overrides the server, ``timeout`` (seconds) bounds every request; ``options``
    are the llm engine's :class:`translate.llm.LLMOptions`, or deepl's glossary id. No request is
    made here."""
    if check_engine_name(name) == "llm":
        from translate.llm import LLMEngine

        return LLMEngine(source, target, url=url, timeout=timeout, options=options)
    if name == "deepl" and options:
        return providers.DeeplEngine(source, target, url=url, timeout=timeout, glossary_id=str(options))
    return _ENGINES[name](source, target, url=url, timeout=timeout)
