"""Every setting of ``[tool.translate]`` in one table: name, TOML type, default, validation and the
line README shows for it. The project reads and validates all of them when it opens, before any
command reads or writes a file; a stage never checks a setting again.

This module imports nothing heavy (no engine, no check): start-up stays fast. The names of the
engines and checks are constants here; tests assert they equal the real registries.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from translate.errors import ConfigError

#: The engines ``draft`` knows (``translate.engines.ENGINE_NAMES``, in its order).
ENGINE_NAMES: tuple[str, ...] = ("libre", "google", "mymemory", "deepl", "microsoft", "papago", "llm")
#: The quality checks (``translate.checks.CHECKS``, in its order).
CHECK_NAMES: tuple[str, ...] = (
    "untranslated-korean",
    "glossary",
    "glossary-forbidden",
    "do-not-translate",
    "numbers",
    "markup",
    "empty",
    "same-as-source",
    "whitespace",
    "end-punctuation",
    "length-ratio",
    "disclaimer",
    "prohibited-claims",
    "added-text",
    "source-markup",
)
CHECK_LEVELS = ("error", "warning", "off")
LLM_KEYS = ("model", "style", "batch_size", "batch_characters", "input_price", "output_price", "deadline")
DEFAULT_FRONT_MATTER_KEYS = ("title", "description", "summary")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# A front_matter_keys entry: a key, or a key path of keys and * (any list item or key): faq.*.question
_KEY_PATH_RE = re.compile(r"^[^.*\s](?:[^.*]*[^.*\s])?(?:\.(?:\*|[^.*\s](?:[^.*]*[^.*\s])?))*$")

Where = Path | str
Check = Callable[[str, Any, Where], Any]  # (key, value as TOML gives it, file) -> the value Settings holds


def _setting(default: Any, toml: type | tuple[type, ...], readme: str, check: Check | None = None) -> Any:
    """A row of the table: a Settings field with its TOML type, validation and README line."""
    meta = {"toml": toml, "check": check, "readme": readme}
    if isinstance(default, dict):
        return field(default_factory=dict, metadata=meta)
    return field(default=default, metadata=meta)


def _bad(message: str, path: Where) -> ConfigError:
    return ConfigError(f"[tool.translate] {message}", path=path)


def known_encoding(name: str) -> bool:
    """Whether Python can decode ``name`` (cp949, euc-kr, utf-8...)."""
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def check_url(url: str, name: str, path: Where | None = None) -> str:
    """``url`` without surrounding white space, once it is certain to be an http(s) URL with a server
    and a port from 1 to 65535; else a ConfigError naming the setting or option ``name``."""
    stripped = url.strip()
    port_rule = "the port must be a number from 1 to 65535"
    try:
        parts = urlsplit(stripped)
        port = parts.port  # raises on a port that is not a number up to 65535
    except ValueError as exc:
        reason = port_rule if "Port" in str(exc) else str(exc)[:1].lower() + str(exc)[1:]
    else:
        if parts.scheme not in ("http", "https") or not parts.hostname:
            reason = "it must start with http:// or https:// and name a server"
        elif port == 0:
            reason = port_rule
        else:
            return stripped
    shown = f"{name} {url!r}" if name.startswith("--") else f"{name} = {url!r}"
    raise ConfigError(
        f"{shown} is not a valid URL ({reason}); write it as http://host:port/, for example http://127.0.0.1:5000/.",
        path=path,
    )


# --- the checks, one per kind of setting -----------------------------------------------------------


def _strings(key: str, value: list[Any], path: Where) -> tuple[str, ...]:
    if not all(isinstance(v, str) and v for v in value):
        raise _bad(f"{key} must be a list of strings.", path)
    return tuple(value)


def _language(key: str, value: str, path: Where) -> str:
    if not LANG_RE.match(value):
        raise _bad(f"{key}: {value!r} is not a language code like ko, en or zh-CN.", path)
    return value


def _languages(key: str, value: list[Any], path: Where) -> tuple[str, ...]:
    langs = tuple(_language(key, lang, path) for lang in _strings(key, value, path))
    if not langs:
        raise _bad(f"{key} is empty: name at least one language.", path)
    return langs


def _folder(key: str, value: str, path: Where) -> str:
    if value.startswith(("/", "\\")) or ".." in value.replace("\\", "/").split("/") or ":" in value:
        raise _bad(
            f"{key} = {value!r} leads outside the project: give a path inside it, relative to the content root.", path
        )
    return value


def _key_paths(key: str, value: list[Any], path: Where) -> tuple[str, ...]:
    for entry in _strings(key, value, path):
        if not _KEY_PATH_RE.match(entry):
            raise _bad(
                f"{key}: {entry!r} is not a key or key path. Write a key (title), or keys joined by dots with * for "
                'any list item or key ("seo.title", "faq.*.question"); a path cannot start with *.',
                path,
            )
    return tuple(value)


def _encoding(key: str, value: str, path: Where) -> str:
    if not known_encoding(value):
        raise _bad(
            f'{key} = {value!r} is not an encoding Python knows; for Korean legacy files write encoding = "cp949".',
            path,
        )
    return value


def _engine(key: str, value: str, path: Where) -> str:
    if value not in ENGINE_NAMES:
        raise _bad(f"{key} names an unknown engine {value!r}; known engines: {', '.join(ENGINE_NAMES)}.", path)
    return value


def _engines(key: str, value: list[Any], path: Where) -> tuple[str, ...]:
    return tuple(_engine(key, name, path) for name in _strings(key, value, path))


def _url(key: str, value: str, path: Where) -> str:
    check_url(value, f"[tool.translate] {key}", path)
    return value


def _engine_urls(key: str, value: dict[str, Any], path: Where) -> dict[str, str]:
    for name, address in value.items():
        _engine(key, name, path)
        if not isinstance(address, str):
            raise _bad(f"{key}.{name} must be a URL (a quoted string).", path)
        _url(f"{key}.{name}", address, path)
    return value


def _number(key: str, value: Any, path: Where) -> None:
    if isinstance(value, bool):
        raise _bad(f"{key} has the wrong type: write a number ({key} = 20), not true or false.", path)


def _between(low: float, high: float, unit: str = "") -> Check:
    def check(key: str, value: Any, path: Where) -> Any:
        _number(key, value, path)
        if not low <= value <= high:
            raise _bad(f"{key} must be between {low:g} and {high:g}{unit}.", path)
        return value

    return check


def _timeout(key: str, value: Any, path: Where) -> float:
    _number(key, value, path)
    if not value > 0:
        raise _bad(f"{key} must be more than 0 seconds.", path)
    return float(value)


def _prices(key: str, value: dict[str, Any], path: Where) -> dict[str, float]:
    for name, price in value.items():
        _engine(key, name, path)
        if not isinstance(price, int | float) or isinstance(price, bool) or price < 0:
            raise _bad(f"{key}.{name} must be a number, 0 or more (price per million characters).", path)
    return {name: float(price) for name, price in value.items()}


def _llm(key: str, table: dict[str, Any], path: Where) -> dict[str, Any]:
    """[tool.translate.llm]: the options of the llm engine, as ``LLMOptions`` takes them."""
    where = "[tool.translate.llm]"
    unknown = sorted(set(table) - set(LLM_KEYS))
    if unknown:
        raise ConfigError(
            f"{where} has unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(LLM_KEYS))}.", path=path
        )
    values: dict[str, Any] = {}
    model = table.get("model")
    if model is not None:
        if not isinstance(model, str) or not model.strip():
            raise ConfigError(
                f'{where} model must be the model\'s name, e.g. "gpt-4o-mini" or "qwen2.5:7b".', path=path
            )
        values["model"] = model.strip()
    style = table.get("style", {})
    if not isinstance(style, Mapping) or not all(isinstance(v, str) for v in style.values()):
        raise ConfigError(f'{where} style must map a language to a note, e.g. style = {{ en = "…" }}.', path=path)
    values["style"] = dict(style)
    for name, low in (("batch_size", 1), ("batch_characters", 100)):
        if name in table:
            value = table[name]
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ConfigError(f"{where} {name} must be a whole number, {low} or more.", path=path)
            values[name] = value
    for name in ("input_price", "output_price", "deadline"):
        if name in table:
            value = table[name]
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{where} {name} must be a number, 0 or more.", path=path)
            values[name] = float(value)
    if values.get("deadline") == 0:
        raise ConfigError(f"{where} deadline must be more than 0 seconds.", path=path)
    return values


def _levels(key: str, value: Mapping[str, Any], path: Where) -> dict[str, str]:
    for name, level in value.items():
        if name not in CHECK_NAMES:
            raise ConfigError(
                f"[tool.translate.checks] has an unknown check {name!r}; known checks are: {', '.join(CHECK_NAMES)}.",
                path=path,
            )
        if level not in CHECK_LEVELS:
            raise ConfigError(f'[tool.translate.checks] {name} must be "error", "warning" or "off".', path=path)
    return dict(value)


def _texts(key: str, value: Mapping[str, Any], path: Where) -> dict[str, tuple[str, ...]]:
    """Texts per language: a text or a list of them, each made a tuple."""
    texts: dict[str, tuple[str, ...]] = {}
    for lang, items in value.items():
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) and i.strip() for i in items):
            raise ConfigError(f"[tool.translate.{key}] {lang} must be a list of texts.", path=path)
        texts[lang] = tuple(items)
    return texts


def _patterns(key: str, value: Mapping[str, Any], path: Where) -> dict[str, tuple[str, ...]]:
    texts = _texts(key, value, path)
    for pattern in (p for items in texts.values() for p in items):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"[tool.translate.{key}] {pattern!r} is not a valid pattern ({exc}).", path=path
            ) from None
    return texts


def _shortcodes(key: str, table: dict[str, Any], path: Where) -> dict[str, tuple[str, ...]]:
    """[tool.translate.shortcodes]: each shortcode name -> the names of its parameters that hold text."""
    for name, params in table.items():
        if not isinstance(params, list) or not params or not all(isinstance(p, str) and p.strip() for p in params):
            raise ConfigError(
                f"[tool.translate.shortcodes] {name} must be a list of parameter names, "
                f'e.g. {name} = ["title"] for {{{{< {name} title="…" >}}}}.',
                path=path,
            )
    return {name: tuple(params) for name, params in table.items()}


# --- the table -----------------------------------------------------------------------------------

_NUMBER = (int, float)


@dataclass(frozen=True)
class Settings:
    """``[tool.translate]``, validated. Each field is a row of the table (see :data:`SETTINGS`)."""

    source: str = _setting("ko", str, 'source = "ko"', _language)
    targets: tuple[str, ...] = _setting(
        ("en",), list, 'targets = ["en"]                 # e.g. ["en", "ja", "zh-CN"]', _languages
    )
    content_dir: str = _setting("content", str, 'content_dir = "content"', _folder)
    po_dir: str = _setting("po", str, 'po_dir = "po"', _folder)
    glossary: str = _setting("glossary.yaml", str, 'glossary = "glossary.yaml"', _folder)
    front_matter_keys: tuple[str, ...] = _setting(
        DEFAULT_FRONT_MATTER_KEYS,
        list,
        'front_matter_keys = ["title", "description", "summary"]   # translated; other keys are copied (see below)',
        _key_paths,
    )
    encoding: str | None = _setting(
        None,
        str,
        'encoding = "cp949"               # of Korean articles that are not UTF-8 (--encoding wins); '
        "UTF-8 files stay UTF-8",
        _encoding,
    )
    # --- machine translation and memory ---
    # None: draft chooses (libre when a server is named, else google)
    engine: str | None = _setting(
        None,
        str,
        'engine = "libre"                        # the engine when there is no chain (none: see below)',
        _engine,
    )
    engine_url: str | None = _setting(
        None, str, 'engine_url = "http://127.0.0.1:5000/"   # the server of `engine`', _url
    )
    timeout: float = _setting(20.0, _NUMBER, "timeout = 20                            # seconds per request", _timeout)
    engines: tuple[str, ...] = _setting(  # fallback chain; empty: just `engine`
        (), list, 'engines = ["libre", "google"]           # a fallback chain, tried in order', _engines
    )
    engine_urls: Mapping[str, str] = _setting(
        {},
        dict,
        'engine_urls = { libre = "http://mt.clinic.internal:5000/" }   # per engine; --url wins for the first',
        _engine_urls,
    )
    workers: int = _setting(
        16,
        int,
        "workers = 16                            # requests in flight at once; lower it for a strict provider",
        _between(1, 64),
    )
    retries: int = _setting(
        3, int, "retries = 3                             # per request, on 429, 5xx and timeouts", _between(0, 10)
    )
    mt_prices: Mapping[str, float] = _setting(
        {},
        dict,
        "mt_prices = { deepl = 25.0 }            # per million characters, for --dry-run and the summary",
        _prices,
    )
    mt_currency: str = _setting("USD", str, 'mt_currency = "USD"')
    auto_approve_exact: bool = _setting(
        False, bool, "auto_approve_exact = false              # approve clean exact matches of approved translations"
    )
    fuzzy_threshold: float = _setting(
        75.0,
        _NUMBER,
        "fuzzy_threshold = 75                    # memory suggestions for reviewers (0-100)",
        _between(0, 100),
    )
    tm_dir: str = _setting(
        "tm",
        str,
        'tm_dir = "tm"                           # imported TMX memories '
        "(inside the project, like every folder setting)",
        _folder,
    )
    llm: Mapping[str, Any] = _setting({}, dict, "[tool.translate.llm]", _llm)
    # --- quality checks ---
    checks: Mapping[str, str] = _setting(
        {}, dict, "[tool.translate.checks]          # change a severity, or switch a check off", _levels
    )
    disclaimers: Mapping[str, Any] = _setting(
        {},
        dict,
        "[tool.translate.disclaimers]     # texts every published page of that language must contain",
        _texts,
    )
    prohibited_claims: Mapping[str, Any] = _setting(
        {},
        dict,
        "[tool.translate.prohibited_claims]   # extra patterns (regular expressions) per language",
        _patterns,
    )
    # --- segmentation ---
    shortcodes: Mapping[str, tuple[str, ...]] = _setting(  # shortcode -> its text parameters
        {}, dict, "[tool.translate.shortcodes]", _shortcodes
    )


@dataclass(frozen=True)
class Setting:
    """One row of the table."""

    name: str
    toml: type | tuple[type, ...]  # what TOML must give
    default: Any
    check: Check | None  # validates the TOML value and returns what Settings holds
    readme: str  # the line README's settings show for it

    @classmethod
    def of(cls, row: Field[Any]) -> Setting:
        default = row.default if row.default_factory is MISSING else row.default_factory()
        return cls(row.name, row.metadata["toml"], default, row.metadata["check"], row.metadata["readme"])

    def value(self, raw: Any, path: Where) -> Any:
        """``raw`` (as TOML gives it) checked, as Settings holds it."""
        if not isinstance(raw, self.toml) or (isinstance(raw, bool) and self.toml is not bool):
            raise _bad(f"{self.name} has the wrong type: {_expected(self)}.", path)
        if self.check is not None:
            return self.check(self.name, raw, path)
        return raw


def _expected(row: Setting) -> str:
    kinds = {str: "a quoted string", list: "a list", dict: "a table", int: "a whole number", bool: "true or false"}
    what = kinds.get(row.toml, "a value") if isinstance(row.toml, type) else "a number"
    return f"write {what}, as in {row.readme.split('#')[0].strip()}"


SETTINGS: tuple[Setting, ...] = tuple(Setting.of(row) for row in fields(Settings))
_BY_NAME = {row.name: row for row in SETTINGS}


def checked(name: str, value: Any, path: Where = "pyproject.toml") -> Any:
    """The value of setting ``name`` validated as at load time (for a Settings built in code)."""
    row = _BY_NAME[name]
    return row.check(name, value, path) if row.check is not None else value


def settings_from_table(table: Mapping[str, Any], path: Where) -> Settings:
    """Settings from the ``[tool.translate]`` table of the file ``path``, every value validated;
    a ConfigError naming the file and the setting otherwise."""
    unknown = sorted(set(table) - set(_BY_NAME))
    if unknown:
        raise ConfigError(
            f"unknown setting(s) {', '.join(unknown)} in [tool.translate]; known settings are: {', '.join(_BY_NAME)}.",
            path=path,
        )
    values = {row.name: row.value(table[row.name], path) for row in SETTINGS if row.name in table}
    settings = Settings(**values)
    if settings.source in settings.targets:
        raise _bad(f"targets includes the source language {settings.source}.", path)
    return settings
