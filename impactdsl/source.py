"""Where things were written: a source text and spans into it.

Every diagnostic and every number in a trace points back to a place a person
can open, so spans are plain values kept apart from equality (two models that
differ only in layout are equal)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import attrs


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

    def line(self, number: int) -> str:
        lines = self.text.splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else ""


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
