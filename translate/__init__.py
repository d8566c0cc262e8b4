"""translate: a Korean-first translation workflow for Markdown clinic articles."""

__version__ = "0.1.0"
