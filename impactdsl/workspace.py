"""The only module that opens ruleset files: find, read, parse and compile.

A RULESET argument is a `.impact` file or a folder holding `ruleset.impact`
and `data/`."""

from __future__ import annotations

from pathlib import Path

import attrs

from . import model as m
from .cache import cached
from .diagnostics import Diagnostic, error
from .source import Source, Span, display_path

RULESET_FILE = "ruleset.impact"
DATA_FOLDER = "data"
MAX_RULESET_BYTES = 2 * 1024 * 1024


@attrs.frozen
class Located:
    ruleset_file: Path
    data_folder: Path


def locate(argument: str | Path) -> tuple[Located | None, list[Diagnostic]]:
    path = Path(argument)
    if path.is_dir():
        ruleset = path / RULESET_FILE
        if not ruleset.is_file():
            return None, [error("ruleset-missing", f"the folder {display_path(path)} holds no {RULESET_FILE}",
                                None, f"name a .impact file, or a folder with {RULESET_FILE} and {DATA_FOLDER}/")]
        return Located(ruleset, path / DATA_FOLDER), []
    if path.is_file():
        return Located(path, path.parent / DATA_FOLDER), []
    return None, [error("ruleset-missing", f"there is no file or folder {display_path(path)}", None,
                        "check the path; a ruleset is a .impact file or a folder holding ruleset.impact")]


def read_source(path: Path) -> tuple[Source | None, list[Diagnostic]]:
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_RULESET_BYTES:
            return None, [error("ruleset-size", f"{shown} is {size} bytes, more than the "
                                f"{MAX_RULESET_BYTES} a ruleset may be", Span(shown, 1, 1))]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error("ruleset-read", f"cannot read {shown}: {exc.strerror}", Span(shown, 1, 1))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return None, [error("ruleset-encoding", f"{shown} is not UTF-8 text", Span(shown, line, 1),
                            "save the ruleset as UTF-8 (Swedish letters are welcome)")]
    if "\x00" in text:
        return None, [error("ruleset-binary", f"{shown} is not a text file", Span(shown, 1, 1))]
    return Source(shown, text), []


def compile_file(path: Path) -> tuple[m.Ruleset | None, list[Diagnostic], dict[str, Source]]:
    """Read, parse and compile one ruleset file; also return its source for quoting.

    A ruleset that compiled once is read back from the user's cache, the way
    Python reuses .pyc files: same text, same grammar and same code give the
    same model, and the command skips Lark altogether."""
    source, problems = read_source(path)
    if source is None:
        return None, problems, {}
    ruleset, problems = cached("compiled", (source.path, source.text), lambda: _compile(source))
    return ruleset, problems, {source.path: source}


def _compile(source: Source) -> tuple[m.Ruleset | None, list[Diagnostic]]:
    from .compile import compile_document
    from .parse import parse

    document, problems = parse(source)
    if document is None:
        return None, problems
    return compile_document(document, source.sha256)
