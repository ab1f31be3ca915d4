"""The only module that opens ruleset files: find, read, parse, import and compile.

A RULESET argument is a `.impact` file or a folder holding `ruleset.impact`
and `data/`. Imports are untrusted: a ruleset imports only within its own
folder tree and the folders the user names (`allow`), never by an absolute
path or a `..` that leaves them; cycles are reported with their chain; file
size, import count and depth are limited before anything is read; a lock
file beside the ruleset pins each import's content."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import attrs

from . import model as m
from .cache import cached
from .diagnostics import Diagnostic, error
from .limits import DEFAULT, Limits
from .source import Source, Span, display_path

RULESET_FILE = "ruleset.impact"
DATA_FOLDER = "data"
LOCK_FILE = "ruleset.lock"


@attrs.frozen
class Located:
    ruleset_file: Path
    data_folder: Path


@attrs.frozen
class Loaded:
    ruleset: m.Ruleset | None
    problems: list
    sources: dict
    content: str = ""                          # hash of the text and of everything it imports


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


def read_source(path: Path, limits: Limits = DEFAULT) -> tuple[Source | None, list[Diagnostic]]:
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > limits.file_bytes:
            return None, [error("ruleset-size", f"{shown} is {size} bytes, more than the "
                                f"{limits.file_bytes} a ruleset may be", Span(shown, 1, 1),
                                "a ruleset is a text of goals, not data; is this the right file?")]
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
        line = text[:text.index("\x00")].count("\n") + 1
        return None, [error("ruleset-binary", f"{shown} is not a text file", Span(shown, line, 1))]
    return Source(shown, text), []


def compile_file(path: Path, allow=(), limits: Limits = DEFAULT, check: bool = True
                 ) -> tuple[m.Ruleset | None, list, dict]:
    """Read, parse, import and compile a ruleset; also return the sources for quoting.

    The compiled result is cached under a fingerprint of the file and of every
    file it may import, so a second run skips Lark and the compiler entirely."""
    allowed = tuple(Path(a).resolve() for a in allow)
    root = path.resolve()
    key = (str(path), str(limits), *map(str, allowed), _fingerprint(root, root.parent, allowed, 0))
    loaded = cached("compiled", key, lambda: _without_templates(_load(root, root.parent, allowed, limits, (),
                                                                      display=path)))
    problems = list(loaded.problems)
    if loaded.ruleset is not None and check:
        problems += check_lock(path, loaded.ruleset)
    return (loaded.ruleset if not any(p.is_error for p in problems) else None), problems, loaded.sources


def _without_templates(loaded: Loaded) -> Loaded:
    """Templates are syntax, needed only by an importer's compiler: the cached result leaves them
    out, so reading it back does not load the parser's classes."""
    if loaded.ruleset is None:
        return loaded
    return attrs.evolve(loaded, ruleset=attrs.evolve(loaded.ruleset, templates=()))


def _load(path: Path, root: Path, allow: tuple[Path, ...], limits: Limits, chain: tuple[Path, ...],
          display: Path | None = None) -> Loaded:
    if path.suffix in (".yaml", ".yml"):
        return _load_exported(path, limits)
    source, problems = read_source(display or path, limits)
    if source is None:
        return Loaded(None, problems, {})
    document, problems = _parse(source, limits)
    sources = {source.path: source}
    if document is None:
        return Loaded(None, problems, sources)
    from . import syntax as s

    problems = list(problems)
    peers, hashes = {}, []
    imports = [st for st in document.statements if isinstance(st, s.ImportDecl)]
    if len(imports) > limits.imports:
        problems.append(error("import-limit", f"{len(imports)} imports; at most {limits.imports} are read",
                              imports[limits.imports].span, "import fewer rulesets"))
        imports = imports[:limits.imports]
    for statement in imports:
        target, problem = resolve(statement.path, path.parent, root, allow)
        if problem:
            problems.append(error("import", problem[0], statement.span, problem[1]))
            continue
        if target in chain + (path,):
            names = " → ".join(p.parent.name if p.name == RULESET_FILE else p.name for p in chain + (path, target))
            problems.append(error("import-cycle", f"the imports go round in a circle: {names}", statement.span,
                                  "a ruleset cannot import one that imports it back"))
            continue
        if len(chain) + 1 > limits.depth:
            problems.append(error("import-limit", f"imports nested more than {limits.depth} deep", statement.span,
                                  "import the peer's peer directly"))
            continue
        loaded = _load(target, target.parent, allow, limits, chain + (path,))
        problems += loaded.problems
        sources.update(loaded.sources)
        if loaded.ruleset is not None:
            from .compile_peers import Peer

            peers[statement.alias] = Peer(statement.alias, statement.path, loaded.ruleset, loaded.ruleset.templates)
            hashes.append((statement.alias, statement.path, loaded.content))
    content = hashlib.sha256((source.text + "".join(h for _, _, h in hashes)).encode("utf-8")).hexdigest()
    if any(p.is_error for p in problems):
        return Loaded(None, problems, sources, content)
    from .compile import compile_document

    ruleset, found = compile_document(document, source.sha256, peers)
    if ruleset is not None:
        ruleset = attrs.evolve(ruleset, imports=tuple(hashes))
    return Loaded(ruleset, problems + found, sources, content)


IMPORT_PATTERN = re.compile(r"""\bimport\s+("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")


def _fingerprint(path: Path, root: Path, allow: tuple[Path, ...], depth: int) -> str:
    """A hash of a file's bytes and of every file it may import (found by a plain text scan:
    counting a quoted 'import' too many only widens the key, never narrows it)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return "unreadable"
    parts = [hashlib.sha256(raw).hexdigest()]
    if depth < 8:
        for match in IMPORT_PATTERN.finditer(raw.decode("utf-8", errors="replace")):
            target, _ = resolve(match.group(1)[1:-1], path.parent, root, allow)
            if target is not None and target.is_file():
                parts.append(_fingerprint(target, target.parent, allow, depth + 1))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _parse(source: Source, limits: Limits):
    from .parse import parse

    document, problems = parse(source)
    if document is not None and len(document.statements) > limits.statements:
        return None, [error("ruleset-size", f"{len(document.statements)} statements, more than the "
                            f"{limits.statements} a ruleset may hold", Span(source.path, 1, 1))]
    return document, problems


def _load_exported(path: Path, limits: Limits) -> Loaded:
    from .exchange import ExchangeError, from_yaml

    shown = display_path(path)
    try:
        if path.stat().st_size > limits.file_bytes:
            raise ExchangeError(f"larger than {limits.file_bytes} bytes")
        text = path.read_text(encoding="utf-8-sig")
        ruleset = from_yaml(text, limits)
    except (OSError, UnicodeDecodeError, ExchangeError) as exc:
        return Loaded(None, [error("import-yaml", f"{shown} cannot be imported: {exc}", Span(shown, 1, 1),
                                   "import a file written by `impactdsl export`, or the ruleset's text")], {})
    content = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Loaded(attrs.evolve(ruleset, path=shown, sha256=content), [], {}, content)


def resolve(written: str, folder: Path, root: Path, allow: tuple[Path, ...]):
    """The imported file, or (message, hint) when it may not or cannot be read."""
    relative = Path(written)
    if relative.is_absolute() or written.startswith("~"):
        return None, (f"the import '{written}' is an absolute path", "imports are relative to the ruleset's "
                      "folder, or found in a folder named with --allow")
    outside = False
    for base in (folder,) + allow:
        candidate = (base / relative).resolve()
        if not candidate.exists():
            continue
        if not any(_inside(candidate, place) for place in (root,) + allow):
            outside = True
            continue
        if candidate.is_dir():
            candidate = candidate / RULESET_FILE
            if not candidate.is_file():
                return None, (f"the folder '{written}' holds no {RULESET_FILE}", None)
        return candidate, None
    if outside:
        return None, (f"the import '{written}' lies outside this ruleset's folder", "name the folder that holds "
                      "it with --allow DIR; a peer's file is read only from folders you name")
    return None, (f"there is no ruleset '{written}' beside this one or in the folders named with --allow",
                  "check the name, or add --allow DIR for the folder that holds the peer")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


# ---- pinning --------------------------------------------------------------

def lock_text(ruleset: m.Ruleset) -> str:
    lines = ["# impactdsl lock: the content of each import when it was last reviewed.",
             "# Regenerate with `impactdsl lock RULESET` after reading `impactdsl diff`.", "imports:"]
    for alias, written, content in ruleset.imports:
        lines.append(f"  {alias}: {{path: \"{written}\", sha256: {content}}}")
    return "\n".join(lines) + "\n"


def check_lock(path: Path, ruleset: m.Ruleset) -> list[Diagnostic]:
    """When a lock file stands beside the ruleset, every import must still have its locked content."""
    lock = (path if path.is_dir() else path.parent) / LOCK_FILE
    if not lock.is_file():
        return []
    import yaml

    shown = display_path(lock)
    try:
        locked = yaml.safe_load(lock.read_text(encoding="utf-8")) or {}
        locked = {alias: entry["sha256"] for alias, entry in (locked.get("imports") or {}).items()}
    except (OSError, yaml.YAMLError, AttributeError, KeyError, TypeError):
        return [error("lock", f"{shown} is not a lock file impactdsl can read", Span(shown, 1, 1),
                      "delete it and run `impactdsl lock RULESET`")]
    problems = []
    for alias, written, content in ruleset.imports:
        if alias not in locked:
            problems.append(error("lock", f"the import '{alias}' ({written}) is not in {shown}", Span(shown, 1, 1),
                                  "review it and run `impactdsl lock RULESET`"))
        elif str(locked[alias]) != content:
            problems.append(error("lock", f"the import '{alias}' ({written}) has changed since it was locked",
                                  Span(shown, 1, 1), "see what changed with `impactdsl diff`, then run "
                                  "`impactdsl lock RULESET` to accept it"))
    return problems
