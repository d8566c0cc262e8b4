"""The one exception hierarchy of the package.

The CLI catches :class:`TranslateError` in one place, prints its message as one paragraph and
exits with its ``exit_code``. Exit codes (documented in README):

* 1 - the command ran but something needs attention (unapproved segments, unreachable engine)
* 2 - bad input: a file that cannot be read or parsed, a bad setting or argument
* 3 - a machine-translation engine failed or could not be reached
* 4 - another translate process is writing the project (it holds the project lock)
"""

from __future__ import annotations


class TranslateError(Exception):
    """Base of every error the tool reports to a user."""

    exit_code = 2

    def __init__(self, message: str, *, path: object | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)


class ConfigError(TranslateError):
    """A setting in pyproject.toml or a command-line option is wrong."""


class InputError(TranslateError):
    """A source article, PO file or published page cannot be read or parsed."""


class GlossaryError(TranslateError):
    """glossary.yaml is missing, malformed or inconsistent."""


class ReviewError(TranslateError):
    """A review action cannot be carried out (unknown id, findings without --force...)."""

    exit_code = 1


class EngineError(TranslateError):
    """A machine-translation engine is misconfigured, unreachable or answered badly."""

    exit_code = 3


class LockError(TranslateError):
    """Another translate process holds the project's write lock."""

    exit_code = 4
