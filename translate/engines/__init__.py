"""Machine-translation engines, one module a job.

``create_engine(name, source, target)`` gives an object with ``translate(text) -> str``.

* :mod:`~translate.engines.registry`: the engines by name, :func:`create_engine`, dry-run prices.
* :mod:`~translate.engines.providers`: the six deep-translator providers (libre, google, mymemory,
  deepl, microsoft, papago) and their adapters; the ``llm`` engine is :mod:`translate.llm`.
* :mod:`~translate.engines.transport`: the timeout-adding stand-in for deep-translator's
  ``requests`` (installed when an engine is built), the error classes and HTTP error details.
* :mod:`~translate.engines.retry`: backoff, Retry-After and the gate shared by a run's workers.
"""

from __future__ import annotations

from translate.engines.providers import (
    DEEPL_KEY_ENV,
    LIBRE_KEY_ENV,
    LIBRE_URL_ENV,
    MICROSOFT_KEY_ENV,
    MICROSOFT_REGION_ENV,
    MYMEMORY_EMAIL_ENV,
    PAPAGO_ID_ENV,
    PAPAGO_SECRET_ENV,
    PAPAGO_URL,
    DeeplEngine,
    GoogleEngine,
    LibreEngine,
    MicrosoftEngine,
    MyMemoryEngine,
    PapagoEngine,
    from_deepl_xml,
    to_deepl_xml,
)
from translate.engines.registry import DEFAULT_PRICES, ENGINE_NAMES, Engine, check_engine_name, create_engine
from translate.engines.retry import Gate, RetryPolicy, Stopped, translate_with_retries, with_retries
from translate.engines.transport import DEFAULT_TIMEOUT, EngineBusy, EngineRefused, EngineUnreachable
from translate.engines.transport import _retry_after as _retry_after

__all__ = [
    "DEEPL_KEY_ENV",
    "DEFAULT_PRICES",
    "DEFAULT_TIMEOUT",
    "ENGINE_NAMES",
    "LIBRE_KEY_ENV",
    "LIBRE_URL_ENV",
    "MICROSOFT_KEY_ENV",
    "MICROSOFT_REGION_ENV",
    "MYMEMORY_EMAIL_ENV",
    "PAPAGO_ID_ENV",
    "PAPAGO_SECRET_ENV",
    "PAPAGO_URL",
    "DeeplEngine",
    "Engine",
    "EngineBusy",
    "EngineRefused",
    "EngineUnreachable",
    "Gate",
    "GoogleEngine",
    "LibreEngine",
    "MicrosoftEngine",
    "MyMemoryEngine",
    "PapagoEngine",
    "RetryPolicy",
    "Stopped",
    "check_engine_name",
    "create_engine",
    "from_deepl_xml",
    "to_deepl_xml",
    "translate_with_retries",
    "with_retries",
]
