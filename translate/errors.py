"""The one exception hierarchy of the package.

The CLI catches :class:`TranslateError` in one place, prints its message as one paragraph and
exits with its ``exit_code``. Exit codes (documented in README):

* 1 - the command ran but something needs attention (unapproved segments, unreachable engine)
* 2 - bad input: a file that cannot be read, parsed or written, a bad setting or argument
* 3 - a machine-translation engine failed or could not be reached
* 4 - another translate process is writing the project (it holds the project lock)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


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


class NotFoundError(ConfigError):
    """A named article (or segment) does not exist; the review page answers 404."""


class InputError(TranslateError):
    """A source article, PO file or published page cannot be read or parsed."""


class WriteError(TranslateError):
    """A file could not be written (disk full, no permission); it was left as it was."""


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


class ArticleErrors(TranslateError):
    """Some articles could not be processed; all the others were."""

    def __init__(self, errors: list[TranslateError], done: int):
        self.errors = errors
        self.exit_code = max(error.exit_code for error in errors)
        others = f"the other {done} article{'s' if done != 1 else ''} {'were' if done != 1 else 'was'} processed"
        if len(errors) == 1:
            super().__init__(f"{errors[0]} ({others})")
        else:
            listed = "\n".join(f"  {error}" for error in errors)
            super().__init__(f"{len(errors)} articles could not be processed ({others}):\n{listed}")


# What one article's files can raise without concerning the others (the run goes on past them).
ARTICLE_ERRORS = (InputError, ConfigError)


class PerArticle:
    """Runs each article's work, keeps going past an article whose files are bad, and reports them
    all at the end: one broken file never stops the rest of a project."""

    def __init__(self) -> None:
        self.errors: list[TranslateError] = []
        self.done = 0

    @contextlib.contextmanager
    def article(self) -> Iterator[None]:
        try:
            yield
        except ARTICLE_ERRORS as exc:
            self.errors.append(exc)
        else:
            self.done += 1

    def raise_errors(self) -> None:
        """Raise what went wrong: the error itself when nothing else was processed."""
        if len(self.errors) == 1 and self.done == 0:
            raise self.errors[0]
        if self.errors:
            raise ArticleErrors(self.errors, self.done)
