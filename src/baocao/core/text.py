"""Text as users type it, made one form before anything compares or stores it."""

from __future__ import annotations

__all__ = ["normalize_newlines"]


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF: browsers submit every newline of a form as CRLF, files may carry CR."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
