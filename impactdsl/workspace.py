"""The only module that opens ruleset files: find, read, parse and compile.

A RULESET argument is a `.impact` file or a folder holding `ruleset.impact`
and `data/`."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

import attrs

from . import model as m
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
    sources = {source.path: source}
    cache = _cache_path(source)
    cached = _read_cache(cache)
    if cached is not None:
        return cached[0], cached[1], sources
    from .compile import compile_document
    from .parse import parse

    document, problems = parse(source)
    if document is None:
        return None, problems, sources
    ruleset, problems = compile_document(document, source.sha256)
    _write_cache(cache, (ruleset, problems))
    return ruleset, problems, sources


def _cache_path(source: Source) -> Path | None:
    """The cache file for this text, path, grammar and version of the code (None: no cache)."""
    if os.environ.get("IMPACTDSL_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    package = Path(__file__).resolve().parent
    key = hashlib.sha256()
    key.update(f"{sys.version_info[:2]}\0{source.path}\0{source.text}".encode("utf-8"))
    for code in sorted(package.rglob("*.py")) + sorted(package.parent.glob("grammar/*.lark")) + \
            sorted(package.glob("grammar/*.lark")):
        stat = code.stat()
        key.update(f"{code.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return Path(base) / "impactdsl" / "compiled" / f"{key.hexdigest()}.pickle"


def _read_cache(cache: Path | None):
    if cache is None or not cache.is_file():
        return None
    try:
        with cache.open("rb") as handle:
            return pickle.load(handle)
    except Exception:               # a damaged or foreign cache file is only a miss
        return None


def _write_cache(cache: Path | None, value) -> None:
    if cache is None:
        return
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(cache)
    except OSError:
        pass                        # no cache folder: compile every time
