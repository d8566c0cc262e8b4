"""DeepL glossaries made from glossary.yaml (DeepL has taken Korean glossaries since 2024).

For each language pair of a run, :func:`ensure_glossary` makes sure DeepL holds a glossary with the
project's terms: it is named by a hash of its entries (``translate ko-en 1a2b3c4d5e6f``), reused
while glossary.yaml is unchanged, and when the terms change a new one is created and ours for that
pair with another hash are deleted (glossaries named otherwise are never touched). Requests then
pass its ``glossary_id``. DeepL's limits give clear messages: an entry too long or one it cannot
hold is left out and named, a full account says what to delete.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

from translate.engines.providers import DEEPL_KEY_ENV
from translate.engines.transport import _by_status, _checked_url, _display_url, _os_reason, _with_slash
from translate.errors import EngineError

NAME_PREFIX = "translate "
MAX_ENTRY_BYTES = 1024  # DeepL's limit on each side of an entry
DEFAULT_URLS = ("https://api.deepl.com/v2/", "https://api-free.deepl.com/v2/")


@dataclass
class DeeplGlossary:
    """The glossary a run uses for one language pair, and what was left out of it."""

    glossary_id: str
    name: str
    entries: int
    created: bool
    deleted: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def glossary_entries(terms: Sequence[Any], lang: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(source, target) pairs for ``lang`` from glossary ``Term`` objects, and the terms left out
    because DeepL could not hold them (too long, a tab or line break)."""
    pairs: list[tuple[str, str]] = []
    left_out: list[str] = []
    seen: set[str] = set()
    for term in terms:
        target = term.target_for(lang)
        if target is None or term.source in seen:
            continue
        seen.add(term.source)
        too_long = max(len(term.source.encode()), len(target.encode())) > MAX_ENTRY_BYTES
        if too_long or any(c in term.source + target for c in "\t\r\n"):
            left_out.append(term.source)
            continue
        pairs.append((term.source.strip(), target.strip()))
    return pairs, left_out


def glossary_name(source: str, target: str, pairs: Sequence[tuple[str, str]]) -> str:
    """Our name for the glossary holding ``pairs``: the language pair and a hash of the entries."""
    digest = hashlib.sha256(_tsv(pairs).encode()).hexdigest()[:12]
    return f"{NAME_PREFIX}{source}-{target} {digest}"


def _tsv(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f"{s}\t{t}\n" for s, t in pairs)


def _lang(code: str) -> str:
    """DeepL's glossary language code: the language alone (EN, not EN-US; ZH for zh-CN)."""
    return code.split("-")[0].lower()


class _Client:
    def __init__(self, base: str, key: str, timeout: float) -> None:
        self.base = base
        self.key = key
        self.timeout = timeout
        self.where = _display_url(base + "glossaries")

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"DeepL-Auth-Key {self.key}"}
        try:
            response = requests.request(method, self.base + path, headers=headers, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise EngineError(f"deepl glossaries at {self.where}: no answer within {self.timeout:g} s") from None
        except requests.RequestException as exc:
            raise EngineError(f"cannot reach deepl glossaries at {self.where}: {_os_reason(exc)}") from None
        if not 200 <= response.status_code < 300:
            raise self.error(response)
        return response

    def error(self, response: requests.Response) -> EngineError:
        status = response.status_code
        try:
            detail = response.json().get("message") or response.json().get("detail") or ""
        except (ValueError, AttributeError):
            detail = ""
        detail = str(detail).replace(self.key, "***")
        message = f"deepl glossaries at {self.where}: the server answered HTTP {status}"
        if status == 456:
            message += (
                " (the account's glossary limit is reached): delete glossaries you no longer use in DeepL "
                f"(translate's own are named '{NAME_PREFIX}…' and are replaced, never piled up)"
            )
        elif status in (401, 403):
            message += f" (the key was refused; check {DEEPL_KEY_ENV})"
        if detail:
            message += f": {detail}"
        return _by_status(status, message, response) if status == 429 or status >= 500 else EngineError(message)


def ensure_glossary(
    url: str | None, source: str, target: str, terms: Sequence[Any], *, timeout: float = 20.0
) -> DeeplGlossary | None:
    """The DeepL glossary for ``terms`` from ``source`` to ``target``: ours with the same entries
    if DeepL has it, else a new one (ours with other entries for the pair deleted). None when no
    term has a translation into ``target``. Raises EngineError with what to do."""
    key = os.environ.get(DEEPL_KEY_ENV, "").strip()
    if not key:
        raise EngineError(f"deepl needs an API key: set {DEEPL_KEY_ENV}")
    base = _with_slash(_checked_url("deepl", url)) if url else DEFAULT_URLS[key.endswith(":fx")]
    pairs, left_out = glossary_entries(terms, target)
    if not pairs:
        return None
    client = _Client(base, key, timeout)
    name = glossary_name(source, target, pairs)
    listed = client.call("GET", "glossaries").json().get("glossaries", [])
    ours = [
        g
        for g in listed
        if isinstance(g, dict)
        and str(g.get("name", "")).startswith(f"{NAME_PREFIX}{source}-{target} ")
        and str(g.get("source_lang", "")).lower() == _lang(source)
        and str(g.get("target_lang", "")).lower() == _lang(target)
    ]
    current = next((g for g in ours if g.get("name") == name and g.get("ready", True)), None)
    created = current is None
    if current is None:
        data = {
            "name": name,
            "source_lang": _lang(source),
            "target_lang": _lang(target),
            "entries": _tsv(pairs),
            "entries_format": "tsv",
        }
        current = client.call("POST", "glossaries", data=data).json()
    glossary_id = str(current.get("glossary_id", ""))
    if not glossary_id:
        raise EngineError(f"deepl glossaries at {client.where}: the answer held no glossary_id")
    deleted = []
    for old in ours:
        old_id = str(old.get("glossary_id", ""))
        if old_id and old_id != glossary_id:
            client.call("DELETE", f"glossaries/{old_id}")
            deleted.append(str(old.get("name")))
    return DeeplGlossary(glossary_id, name, len(pairs), created, deleted, left_out)
