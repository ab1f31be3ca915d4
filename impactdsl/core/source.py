"""Where things were written: a source text and spans into it.

Every diagnostic and every number in a trace points back to a place a person
can open, so spans are plain values kept apart from equality (two models that
differ only in layout are equal)."""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

import attrs

from impactdsl.core.redact import redact

# Texts ("...", '...', """...""") and comments (# ...) of the ruleset language, found in one pass
# so that a quote inside a comment or a # inside a text is never mistaken for the other.
_TEXT = r'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
LEXEMES = re.compile(f"{_TEXT}|#[^\n]*")
_TEXT_OR_COMMENT = re.compile(f"({_TEXT})|#[^\n]*")


def lexed(text: str) -> tuple[list[str], list[str]]:
    """(the pieces of code between texts and comments, the texts), in one pass."""
    parts = _TEXT_OR_COMMENT.split(text)
    return parts[0::2], [p for p in parts[1::2] if p is not None]


def without_comments(text: str) -> str:
    """The ruleset text with its comments removed (texts kept as written)."""
    return "".join(filter(None, _TEXT_OR_COMMENT.split(text)))


@attrs.frozen
class Span:
    """A place in a file: 1-based line and column, end inclusive of the last line."""

    path: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


def span_field():
    """An attrs field for a span that never takes part in ==, hash or repr."""
    return attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Source:
    """One file's text as read, with its hash for lock files and JSON."""

    path: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        starts, at = [0], self.text.find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = self.text.find("\n", at + 1)
        return starts

    def line(self, number: int) -> str:
        """One line (1-based) without its line break; quoting many lines of a large file stays linear."""
        starts = self._line_starts
        if not 0 < number <= len(starts) or (number == len(starts) and starts[-1] == len(self.text)):
            return ""
        end = starts[number] - 1 if number < len(starts) else len(self.text)
        return self.text[starts[number - 1]:end].rstrip("\r")


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working folder when inside it, redacted
    (a file may be named after a person)."""
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        shown = str(path)
    return redact(shown)
