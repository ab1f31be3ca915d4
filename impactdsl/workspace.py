"""The only module that opens ruleset files: find, read, parse, import and compile.

A RULESET argument is a `.impact` file or a folder holding `ruleset.impact`
and `data/`. The ruleset the user names is the user's own: its imports may
name any folder by a relative path (`import "../umea-2022" as umea`). What it
imports is untrusted: an imported ruleset imports only within its own folder
tree and the folders the user names (`allow`), never by an absolute path or a
`..` that leaves them; cycles are reported with their chain; file
size, import count, depth, the number of files in the whole import tree and
their bytes together are limited before anything is read; a file imported
twice is read once; a lock file beside the ruleset pins each import's
content. It also answers, for every writing command, whether a path may be
written (`may_write`), from what was read.

May import: `core`, `read`, `parse`, `compile`, `outcomes`."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import NamedTuple

import attrs

from impactdsl.compile import model as m
from impactdsl.core.diagnostics import Diagnostic, Said, error, warning
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.redact import holds_identity, redact
from impactdsl.core.source import LEXEMES, Source, Span, display_path, without_comments
from impactdsl.read import files
from impactdsl.read.cache import cached

RULESET_FILE = "ruleset.impact"
DATA_FOLDER = "data"
LOCK_FILE = "ruleset.lock"
SHA256 = re.compile(r"[0-9a-f]{64}")

CHECK_THE_PATH = Said("kontrollera sökvägen; ett regelverk är en .impact-fil eller en mapp som har ruleset.impact",
                      "check the path; a ruleset is a .impact file or a folder holding ruleset.impact")
NOT_UTF8 = Said(" är inte text i UTF-8", " is not UTF-8 text")
NOT_REGULAR = Said(" är inte en vanlig fil (utan en pipe, en enhet eller en socket)",
                   " is not a regular file (a pipe, a device or a socket)")
CHECK_THE_IMPORT = Said("kontrollera namnet i importen", "check the name in the import statement")


def _also(hint: "Said | str | None") -> Said | None:
    """A hint handed on from a file's problem, as the diagnostic holds it."""
    return None if hint is None else Said.joined(hint)


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
    shown = display_path(path)
    try:
        found = files.kind(path)
        if found == "folder":
            ruleset = path / RULESET_FILE
            inside = files.kind(ruleset)
            if inside != "file":
                what = Said(f"har ingen {RULESET_FILE}", f"holds no {RULESET_FILE}") if inside == "missing" else \
                    Said(f"har en {RULESET_FILE} som inte är en vanlig fil",
                         f"holds a {RULESET_FILE} that is not a regular file")
                return None, [error("ruleset-missing", Said.joined(Said("mappen ", "the folder "), shown, " ", what),
                                    None, Said(f"ange en .impact-fil, eller en mapp med {RULESET_FILE} och "
                                               f"{DATA_FOLDER}/", f"name a .impact file, or a folder with "
                                               f"{RULESET_FILE} and {DATA_FOLDER}/"))]
            return Located(ruleset, path / DATA_FOLDER), []
    except files.FileProblem as problem:
        return None, [error("ruleset-missing", Said.joined(Said("regelverket ", "the ruleset "), shown, " ",
                                                           problem.message), None, CHECK_THE_PATH)]
    if found == "file":
        return Located(path, path.parent / DATA_FOLDER), []
    if found == "other":
        return None, [error("ruleset-missing", Said.joined(shown, NOT_REGULAR), None,
                            Said("ange en .impact-fil som är sparad på disk, eller en mapp som har ruleset.impact",
                                 "name a .impact file saved on disk, or a folder holding ruleset.impact"))]
    return None, [error("ruleset-missing", Said(f"det finns ingen fil eller mapp {shown}",
                                                f"there is no file or folder {shown}"), None, CHECK_THE_PATH)]


def read_source(path: Path, limits: Limits = DEFAULT, within=None) -> tuple[Source | None, list[Diagnostic]]:
    """A ruleset file's text (from inside the folders `within`, when given: an import)."""
    shown = display_path(path)
    try:
        raw = files.read_bytes(path, limits.file_bytes, within)
    except files.FileProblem as problem:
        if problem.too_large:
            return None, [error("ruleset-size", Said.joined(shown, " ", problem.message), Span(shown, 1, 1),
                                Said("ett regelverk är en text om mål, inte data; är det rätt fil?",
                                     "a ruleset is a text of goals, not data; is this the right file?"))]
        return None, [error("ruleset-read", Said.joined(shown, " ", problem.message), Span(shown, 1, 1),
                            _also(problem.hint))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return None, [error("ruleset-encoding", Said.joined(shown, NOT_UTF8), Span(shown, line, 1),
                            Said("spara regelverket som UTF-8 (svenska bokstäver går bra)",
                                 "save the ruleset as UTF-8 (Swedish letters are welcome)"))]
    return _text_source(shown, text)


def _text_source(shown: str, text: str) -> tuple[Source | None, list[Diagnostic]]:
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        return None, [error("ruleset-binary", Said.joined(shown, Said(" är inte en textfil", " is not a text file")),
                            Span(shown, line, 1))]
    return Source(shown, text), []


def held_source(path: Path, text: str, limits: Limits = DEFAULT) -> tuple[Source | None, list[Diagnostic]]:
    """A ruleset's text held in memory (an editor's, not yet saved) for the file at `path`, which is
    not read: refused as `read_source` refuses a file of that text."""
    shown, size = display_path(path), len(text.encode("utf-8", "surrogatepass"))
    if size > limits.file_bytes:
        return None, [error("ruleset-size", Said(f"{shown} är {size} byte, mer än de {limits.file_bytes} som tillåts här",
                                                 f"{shown} is {size} bytes, more than the {limits.file_bytes} allowed here"),
                            Span(shown, 1, 1), Said("ett regelverk är en text om mål, inte data; är det rätt fil?",
                                                    "a ruleset is a text of goals, not data; is this the right file?"))]
    return _text_source(shown, text)


def compile_file(path: Path, allow=(), limits: Limits = DEFAULT, check: bool = True
                 ) -> tuple[m.Ruleset | None, list, dict]:
    """Read, parse, import and compile a ruleset; also return the sources for quoting.

    The compiled result is cached under a fingerprint of the file and of every
    file it may import, so a second run skips Lark and the compiler entirely."""
    allowed = _allowed(allow)
    root = files.resolved(path) or path
    key = (str(path), str(limits), *map(str, allowed), _fingerprint(root, allowed, limits))
    loaded = cached("compiled", key, lambda: _without_templates(_ImportTree(allowed, limits).root(root, path)))
    return _locked(loaded, path, limits, check)


def compile_text(path: Path, text: str, allow=(), limits: Limits = DEFAULT, parse=None
                 ) -> tuple[m.Ruleset | None, list, dict]:
    """As `compile_file`, for a ruleset held in memory (an editor's text, not yet saved): `text`
    stands for the file at `path`, which is never read; its imports and lock are read from disk as
    usual. Nothing is cached on disk. `parse`, as `parse.parser.parse`, lets a caller keep the
    syntax of what did not change (`parse.incremental`)."""
    allowed = _allowed(allow)
    root = files.resolved(path) or path
    tree = _ImportTree(allowed, limits, parse, {root: text})
    return _locked(tree.root(root, path), path, limits, True)


def _allowed(allow) -> tuple[Path, ...]:
    return tuple(p for p in (files.resolved(Path(a)) for a in allow) if p is not None)


def _locked(loaded: Loaded, path: Path, limits: Limits, check: bool) -> tuple[m.Ruleset | None, list, dict]:
    """The compiled ruleset with the lock file beside it among its inputs, and (`check`) the lock's problems."""
    problems = list(loaded.problems)
    ruleset = loaded.ruleset
    lock = path.parent / LOCK_FILE
    if ruleset is not None and files.status(lock, follow=False) is not None:
        ruleset = attrs.evolve(ruleset, inputs=ruleset.inputs + (str(files.resolved(lock) or lock),))
        if check:
            problems += check_lock(lock, ruleset, limits)
    return (ruleset if not any(p.is_error for p in problems) else None), problems, loaded.sources


def _without_templates(loaded: Loaded) -> Loaded:
    """Templates are syntax, needed only by an importer's compiler: the cached result leaves them
    out, so reading it back does not load the parser's classes."""
    if loaded.ruleset is None:
        return loaded
    return attrs.evolve(loaded, ruleset=attrs.evolve(loaded.ruleset, templates=()))


class _ImportTree:
    """Loads a ruleset and its imports, each file once, within the limits of the whole tree."""

    def __init__(self, allow: tuple[Path, ...], limits: Limits, parse=None, held: dict[Path, str] | None = None):
        self.allow = allow
        self.limits = limits
        self.parse = parse                          # None: parse.parser.parse
        self.held = held or {}                      # texts held in memory, for files not read
        self.done: dict[Path, Loaded] = {}
        self.files = 0
        self.bytes = 0
        self.tokens = 0

    def root(self, path: Path, display: Path) -> Loaded:
        """The ruleset the user named (`display`, as named; `path`, links resolved) and its imports."""
        full = self._budget(path, None)
        if full is not None:
            return Loaded(None, [full], {})
        return self.load(path, (), None, display)

    def load(self, path: Path, chain: tuple[Path, ...], within: tuple[Path, ...] | None,
             display: Path | None = None) -> Loaded:
        """One file of the tree (an import is read only from inside `within`) and its own imports,
        which it may read from its own folder and the allowed ones."""
        if path in self.done:
            done = self.done[path]
            return attrs.evolve(done, problems=[])          # its problems were reported the first time
        loaded = self._load_new(path, chain, within, display)
        if loaded.ruleset is not None:
            inputs = tuple(dict.fromkeys((str(path),) + loaded.ruleset.inputs))
            loaded = attrs.evolve(loaded, ruleset=attrs.evolve(loaded.ruleset, inputs=inputs))
        self.done[path] = loaded
        return loaded

    def _budget(self, path: Path, span: Span | None) -> Diagnostic | None:
        """Count one more file of the tree, refusing it before reading when the tree is full."""
        if path in self.held:
            size = len(self.held[path].encode("utf-8", "surrogatepass"))
        else:
            try:
                info = files.status(path)
            except files.FileProblem:
                info = None
            size = info.st_size if info is not None else 0
        if self.files + 1 > self.limits.files:
            return error("import-limit", Said(f"fler än {self.limits.files} filer med regelverk i hela importträdet "
                                              "(importerna och deras egna importer)",
                                              f"more than {self.limits.files} ruleset files in the whole import tree"),
                         span, Said("importera färre regelverk, eller regelverk som själva importerar färre",
                                    "import fewer rulesets, or rulesets that import fewer"))
        if self.bytes + size > self.limits.total_bytes:
            return error("import-limit", Said(f"regelverken i importträdet är tillsammans större än "
                                              f"{self.limits.total_bytes} byte",
                                              f"the rulesets of the import tree are together more than "
                                              f"{self.limits.total_bytes} bytes"),
                         span, Said("importera färre eller mindre regelverk", "import fewer or smaller rulesets"))
        self.files += 1
        self.bytes += size
        return None

    def _load_new(self, path: Path, chain: tuple[Path, ...], within, display: Path | None) -> Loaded:
        if path.suffix in (".yaml", ".yml"):
            return _load_exported(path, self.limits, within)
        if path in self.held:
            source, problems = held_source(display or path, self.held[path], self.limits)
        else:
            source, problems = read_source(display or path, self.limits, within)
        if source is None:
            return Loaded(None, problems, {})
        document, problems = _parse(source, self.limits, self.limits.total_tokens - self.tokens, self.parse)
        sources = {source.path: source}
        if document is None:
            return Loaded(None, problems, sources)
        self.tokens += document.tokens
        from impactdsl.parse import syntax as s

        problems = list(problems) + identity_warnings(source)
        peers, hashes, inputs = {}, [], []
        imports = [st for st in document.statements if isinstance(st, s.ImportDecl)]
        if len(imports) > self.limits.imports:
            problems.append(error("import-limit", Said(f"{len(imports)} importer; högst {self.limits.imports} läses",
                                                       f"{len(imports)} imports; at most {self.limits.imports} "
                                                       "are read"),
                                  imports[self.limits.imports].span,
                                  Said("importera färre regelverk", "import fewer rulesets")))
            imports = imports[:self.limits.imports]
        places = (path.parent,) + self.allow
        own = not chain                             # the user's own ruleset: its imports are its choice
        for statement in imports:
            target, problem = resolve(statement.path, path.parent, path.parent, self.allow, trusted=own)
            if problem:
                problems.append(error("import", problem[0], statement.span, problem[1]))
                continue
            if target in chain + (path,):
                names = " → ".join(p.parent.name if p.name == RULESET_FILE else p.name for p in chain + (path, target))
                problems.append(error("import-cycle", Said(f"importerna går runt i en cirkel: {names}",
                                                           f"the imports go round in a circle: {names}"),
                                      statement.span,
                                      Said("ett regelverk kan inte importera ett regelverk som importerar det "
                                           "tillbaka", "a ruleset cannot import one that imports it back")))
                continue
            if len(chain) + 1 > self.limits.depth:
                problems.append(error("import-limit", Said(f"importer i fler än {self.limits.depth} led (ett "
                                                           "regelverk som importerar ett som importerar …)",
                                                           f"imports nested more than {self.limits.depth} deep"),
                                      statement.span,
                                      Said("importera direkt det regelverk som det andra förbundets regelverk "
                                           "importerar", "import the peer's peer directly")))
                continue
            if target not in self.done and (full := self._budget(target, statement.span)):
                problems.append(full)
                continue
            loaded = self.load(target, chain + (path,), places + ((target.parent,) if own else ()))
            problems += loaded.problems
            sources.update(loaded.sources)
            if loaded.ruleset is not None:
                from impactdsl.compile.peers import Peer

                peers[statement.alias] = Peer(statement.alias, _label(statement.path), loaded.ruleset,
                                              loaded.ruleset.templates)
                hashes.append((statement.alias, statement.path, loaded.content))
                inputs += loaded.ruleset.inputs
        content = hashlib.sha256((source.text + "".join(h for _, _, h in hashes)).encode("utf-8")).hexdigest()
        if any(p.is_error for p in problems):
            return Loaded(None, problems, sources, content)
        from impactdsl.compile.document import compile_document

        ruleset, found = compile_document(document, source.sha256, peers, self.limits)
        if ruleset is not None:
            ruleset = attrs.evolve(ruleset, imports=tuple(hashes), inputs=tuple(inputs))
        return Loaded(ruleset, problems + found, sources, content)


def identity_warnings(source: Source, most: int = 5) -> list[Diagnostic]:
    """A warning for each text of the ruleset that holds what looks like an identity number: it is
    masked in every output, and a label holding one can never match the data."""
    if not holds_identity(source.text):                 # the common case: one look at the whole file
        return []
    found = []
    for match in LEXEMES.finditer(source.text):
        text = match.group(0)
        if text.startswith("#") or not holds_identity(text):
            continue
        line = source.text.count("\n", 0, match.start()) + 1
        column = match.start() - (source.text.rfind("\n", 0, match.start()) + 1) + 1
        found.append(warning("identity", IDENTITY_IN_TEXT, Span(source.path, line, column), IDENTITY_HINT))
        if len(found) >= most:
            break
    return found


IDENTITY_IN_TEXT = Said("den här texten innehåller något som ser ut som ett personnummer; impactdsl visar "
                        "det som ###### i allt den skriver ut",
                        "this text holds what looks like a personal identity number; "
                        "impactdsl shows it as ###### in every output")
IDENTITY_HINT = Said("ett regelverk nämner ingen person: ta bort numret (en etikett med ett personnummer "
                     "stämmer aldrig med enkätens svar)",
                     "a ruleset names no person: remove the number (a label holding one never matches "
                     "the survey's answers)")


IMPORT_PATTERN = re.compile(r"""\bimport\s+("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")


def _fingerprint(root: Path, allow: tuple[Path, ...], limits: Limits) -> str:
    """A hash of a file's bytes and of every file it may import, the import graph walked once.

    Imports are found by a plain scan of the text without its comments
    (counting a quoted 'import' too many only widens the key, never narrows
    it); each file is read once, only when it is a regular file within the
    size limit, and no more files than the whole tree may hold."""
    parts, seen, queue = [], {root}, [root]
    while queue:
        path = queue.pop(0)
        try:
            raw = files.read_bytes(path, limits.file_bytes)
        except files.FileProblem as problem:
            info = _stamp(path)
            parts.append(f"{path}:{problem.message}:{info}")
            continue
        parts.append(f"{path}:{hashlib.sha256(raw).hexdigest()}")
        for match in IMPORT_PATTERN.finditer(without_comments(raw.decode("utf-8", errors="replace"))):
            target, _ = resolve(match.group(1)[1:-1], path.parent, path.parent, allow, trusted=path == root)
            if target is None or target in seen:
                continue
            if len(seen) >= limits.files:
                parts.append("more files than the limit")
                queue.clear()
                break
            seen.add(target)
            queue.append(target)
    return hashlib.sha256("|".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _stamp(path: Path) -> str:
    try:
        info = files.status(path)
    except files.FileProblem:
        return "unreadable"
    return f"{info.st_size}:{info.st_mtime_ns}" if info else "missing"


def _parse(source: Source, limits: Limits, tokens_left: int, parse=None):
    if parse is None:
        from impactdsl.parse.parser import parse

    document, problems = parse(source, limits, min(limits.tokens, tokens_left))
    if document is not None and len(document.statements) > limits.statements:
        return None, [error("ruleset-size", Said(f"{len(document.statements)} satser, fler än de "
                                                 f"{limits.statements} ett regelverk får ha",
                                                 f"{len(document.statements)} statements, more than the "
                                                 f"{limits.statements} a ruleset may hold"), Span(source.path, 1, 1))]
    return document, problems


def _load_exported(path: Path, limits: Limits, within=None) -> Loaded:
    from impactdsl.compile.exchange import ExchangeError, from_yaml

    shown = display_path(path)
    try:
        text = files.read_bytes(path, limits.file_bytes, within).decode("utf-8-sig")
        ruleset = from_yaml(text, limits)
    except files.FileProblem as problem:
        return Loaded(None, [error("import-yaml", Said.joined(shown, Said(" kan inte importeras: den ",
                                                                          " cannot be imported: it "),
                                                              problem.message),
                                   Span(shown, 1, 1), _also(problem.hint))], {})
    except (UnicodeDecodeError, ExchangeError) as exc:
        reason = Said("den är inte text i UTF-8", "it is not UTF-8 text") if isinstance(exc, UnicodeDecodeError) \
            else exc.args[0] if exc.args and isinstance(exc.args[0], Said) else str(exc)
        return Loaded(None, [error("import-yaml", Said.joined(shown, Said(" kan inte importeras: ",
                                                                          " cannot be imported: "), reason),
                                   Span(shown, 1, 1),
                                   Said("importera en fil som `impactdsl export` har skrivit, eller regelverkets text",
                                        "import a file written by `impactdsl export`, or the ruleset's text"))], {})
    content = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Loaded(attrs.evolve(ruleset, path=shown, sha256=content), [], {}, content)


def _label(written: str) -> str:
    """A peer as reports name it: its folder's or file's name, whatever path led to it
    ("../umea-2022" and "peers/umea-2022.impact" are both umea-2022)."""
    path = Path(written)
    name = path.stem if path.suffix in (".impact", ".yaml", ".yml") else path.name
    return path.parent.name if name == "ruleset" and path.parent.name else name or written


def _exists(path: Path) -> bool:
    try:
        found = files.resolved(path)
        return found is not None and files.kind(found) != "missing"
    except files.FileProblem:
        return False


def resolve(written: str, folder: Path, root: Path, allow: tuple[Path, ...], trusted: bool = False):
    """The imported file (links resolved), or (message, hint) as Said when it may not or cannot be read.
    `trusted`: written in the user's own ruleset, which may name a folder beside its own ('..')."""
    relative = Path(written)
    if relative.is_absolute() or written.startswith("~"):
        return None, (Said(f"importen '{written}' är en absolut sökväg",
                           f"the import '{written}' is an absolute path"),
                      Said("en import skrivs i förhållande till regelverkets mapp, eller hittas i en mapp som anges "
                           "med --allow", "imports are relative to the ruleset's folder, or found in a folder "
                           "named with --allow"))
    outside = False
    for base in (folder,) + allow:
        candidate = files.resolved(base / relative)
        try:
            found = files.kind(candidate) if candidate is not None else "missing"
        except files.FileProblem as problem:
            return None, (Said.joined(Said("importen '", "the import '"), written, "' ", problem.message),
                          CHECK_THE_IMPORT)
        if candidate is None:
            return None, (Said(f"importen '{written}' kan inte slås upp (ett NUL-tecken eller ett för långt namn)",
                               f"the import '{written}' cannot be looked up (a NUL or a name too long)"),
                          CHECK_THE_IMPORT)
        if found == "missing":
            continue
        if not trusted and not files.inside(candidate, (root,) + allow):
            outside = True
            continue
        if found == "folder":
            candidate = candidate / RULESET_FILE
            try:
                found = files.kind(candidate)
            except files.FileProblem:
                found = "missing"
            if found == "missing":
                return None, (Said(f"mappen '{written}' har ingen {RULESET_FILE}",
                                   f"the folder '{written}' holds no {RULESET_FILE}"), None)
        if found != "file":
            return None, (Said.joined(Said("importen '", "the import '"), written, "'", NOT_REGULAR),
                          Said("importera ett regelverk som är sparat på disk", "import a ruleset saved on disk"))
        return candidate, None
    if outside:
        return None, (Said(f"importen '{written}' ligger utanför de mappar som det här importerade regelverket får "
                           "läsa från (sin egen mapp och de som anges med --allow)",
                           f"the import '{written}' lies outside the folders this imported ruleset may read from (its "
                           "own folder, and those named with --allow)"),
                      Said("ett annat förbunds regelverk importerar bara från mappar som du anger: lägg till "
                           "--allow MAPP för mappen där det som importeras ligger",
                           "a peer's own imports are read only from folders you name: add --allow DIR for the "
                           "folder that holds it"))
    if not trusted and _exists(root.parent / relative):
        return None, (Said(f"'{written}' ligger bredvid det här regelverkets mapp, inte i den, och det här "
                           "importerade regelverket får bara läsa från sin egen mapp och de som anges med --allow",
                           f"'{written}' is beside this ruleset's folder, not in it, and this imported ruleset may "
                           "read only from its own folder and those named with --allow"),
                      Said.joined(Said("lägg till --allow ", "add --allow "), display_path(root.parent)))
    return None, (Said(f"det finns inget regelverk '{written}' i {display_path(folder)}"
                       + (" eller i mapparna som anges med --allow" if allow else ""),
                       f"there is no ruleset '{written}' in {display_path(folder)}"
                       + (" or in the folders named with --allow" if allow else "")),
                  Said("kontrollera namnet; ett regelverk i en mapp bredvid den här importeras med "
                       "importera \"../NAMN\" som NAMN",
                       "check the name; a ruleset in a folder beside this one is imported as \"../NAME\""))


# ---- pinning --------------------------------------------------------------

def lock_text(ruleset: m.Ruleset) -> str:
    lines = ["# impactdsl lock: the content of each import when it was last reviewed.",
             "# Regenerate with `impactdsl lock RULESET` after reading `impactdsl diff`.", "imports:"]
    for alias, written, content in ruleset.imports:
        quoted = redact(written).replace("\\", "\\\\").replace('"', '\\"')       # the path is shown, not read
        lines.append(f"  {redact(alias)}: {{path: \"{quoted}\", sha256: \"{content}\"}}")
    return "\n".join(lines) + "\n"


def check_lock(lock: Path, ruleset: m.Ruleset, limits: Limits = DEFAULT) -> list[Diagnostic]:
    """Every import must still have the content the lock file beside the ruleset pins."""
    from impactdsl.read.safe_yaml import YamlRefused, load

    shown = display_path(lock)
    unreadable = Said("ta bort den och kör `impactdsl lock REGELVERK`", "delete it and run `impactdsl lock RULESET`")
    try:
        text = files.read_bytes(lock, limits.file_bytes).decode("utf-8")
        locked = load(text, limits.yaml_nodes, limits) or {}
        entries = (locked.get("imports") or {}) if isinstance(locked, dict) else None
        if not isinstance(entries, dict) or not all(isinstance(e, dict) for e in entries.values()):
            raise YamlRefused(Said("den listar inte importerna som 'alias: {path: ..., sha256: ...}'",
                                   "it does not list imports as 'alias: {path: ..., sha256: ...}'"))
        locked = {alias: entry.get("sha256") for alias, entry in entries.items()}
    except files.FileProblem as problem:
        return [error("lock", Said.joined(shown, " ", problem.message), Span(shown, 1, 1), unreadable)]
    except UnicodeDecodeError:
        return [error("lock", Said.joined(shown, NOT_UTF8), Span(shown, 1, 1), unreadable)]
    except YamlRefused as refused:
        return [error("lock", Said.joined(shown, Said(" är inte en låsfil som impactdsl kan läsa: ",
                                                      " is not a lock file impactdsl can read: "), refused.message),
                      Span(shown, refused.line, refused.column), unreadable)]
    problems = []
    for alias, written, content in ruleset.imports:
        if alias not in locked:
            problems.append(error("lock", Said(f"importen '{alias}' ({written}) finns inte i {shown}",
                                               f"the import '{alias}' ({written}) is not in {shown}"),
                                  Span(shown, 1, 1),
                                  Said("granska den och kör `impactdsl lock REGELVERK`",
                                       "review it and run `impactdsl lock RULESET`")))
        elif not isinstance(locked[alias], str) or not SHA256.fullmatch(locked[alias]):
            problems.append(error("lock", Said(f"importen '{alias}' i {shown} har ingen sha256 på 64 hexadecimala "
                                               "siffror",
                                               f"the import '{alias}' in {shown} has no sha256 of 64 hex digits"),
                                  Span(shown, 1, 1), unreadable))
        elif locked[alias] != content:
            problems.append(error("lock", Said(f"importen '{alias}' ({written}) har ändrats sedan den låstes",
                                               f"the import '{alias}' ({written}) has changed since it was locked"),
                                  Span(shown, 1, 1),
                                  Said("se vad som har ändrats med `impactdsl diff` och kör sedan "
                                       "`impactdsl lock REGELVERK` för att godta det",
                                       "see what changed with `impactdsl diff`, then run "
                                       "`impactdsl lock RULESET` to accept it")))
    return problems


# ---- what a command may write ---------------------------------------------

class Inputs(NamedTuple):
    """Everything a command was given, as far as it has read: the files its ruleset (imports and
    lock included) and its outcomes were made from, and the data folder. No output is written over
    any of them, nor into the data folder (every file in it is the user's, read or not)."""

    read: tuple[str, ...] = ()
    data: Path | None = None

    @classmethod
    def of(cls, ruleset: m.Ruleset | None = None, outcomes=None, data: Path | None = None) -> Inputs:
        found = list(ruleset.inputs if ruleset is not None else ()) + \
            list(outcomes.inputs if outcomes is not None else ())
        if data is not None:
            found += files.listing(data)
        return cls(tuple(dict.fromkeys(found)), data)


def may_write(target: Path, given: Inputs = Inputs(), rewrites: Path | None = None) -> files.FileProblem | None:
    """Whether a command may write `target` — None when it may, or why not: never through a link,
    onto a folder, a pipe or a device, into the data folder, or over any file it was given (by
    device and inode, so no other path or hard link reaches one). `rewrites` is the one input a
    command rewrites by design (`lock` its lock file, `fmt` the ruleset)."""
    try:
        files.check_target(target, _protected(given, rewrites), _folders(given))
    except files.FileProblem as problem:
        return problem
    return None


def write(target: Path, content: bytes, given: Inputs = Inputs(), rewrites: Path | None = None
          ) -> files.FileProblem | None:
    """Write `content` to `target` whole, when `may_write` allows it (asked again as it is written,
    so nothing changed in between slips through); None when written, else why not."""
    try:
        files.write_atomic(target, content, _protected(given, rewrites), _folders(given))
    except files.FileProblem as problem:
        return problem
    return None


def _protected(given: Inputs, rewrites: Path | None) -> frozenset[tuple[int, int]]:
    own = files.identities([rewrites]) if rewrites is not None else frozenset()
    return files.identities(given.read) - own


def _folders(given: Inputs) -> tuple[Path, ...]:
    return (given.data,) if given.data is not None else ()
