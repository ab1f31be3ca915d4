"""docs/diagnostics.md and the code hold each other: every diagnostic code the package can emit is
in the catalogue, every code in the catalogue is emitted, with the severity the catalogue gives it,
and every example the catalogue shows produces its code when run through the real engine.

The codes are read from the code itself (every module under impactdsl/, by its syntax tree): a
diagnostic is made by `Diagnostic(code, ...)`, `error(code, ...)` or `warning(code, ...)`, and
by any helper that passes one of its own parameters on as the code (`err`, `unknown`,
`Problems.error`, ...: found, not listed, so a new helper is followed too). A string literal in
the code's place — or a `code=` keyword, or the default of a helper's `code` parameter — is a
code. A code made at run time (an f-string) must be in `DYNAMIC` below, with the way its values
are read from the code; any other expression in a code's place fails the test, naming the line.

The examples are read from the catalogue: each `<!-- example -->` comment opens one, and the
comments after it say what files it is made of (`<!-- file: PATH; OPTION... -->` before a
fenced block), links (`<!-- link: PATH -> TARGET -->`) and how it is run (`<!-- run: ... -->`).
Each is written into a fresh folder, checked with `impactdsl.check` and, when it has files under
data/, loaded with `impactdsl.load`; a lowered limit goes through the stage functions that take
one (as tests/test_security.py does)."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import NamedTuple

import pytest

import impactdsl
from impactdsl import testing
from impactdsl.core.limits import Limits
from impactdsl.read import config
from impactdsl.read.config import CONFIG_FILE

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "impactdsl"
CATALOGUE = ROOT / "docs" / "diagnostics.md"


# Codes no small example can produce: code → (the reason, a function that says whether the reason
# still holds, so the code is taken off the list once it can be met). Keep this list short: a lowered
# limit, a link or a file that may not be read is an example, not a reason.
UNTRIGGERABLE: dict[str, tuple[str, object]] = {}


# ---- the codes the package can emit, read from its syntax trees ------------------------------

ROOTS = {"Diagnostic", "error", "warning"}      # what makes a Diagnostic; every helper leads to one


class Site(NamedTuple):
    where: str              # impactdsl/…/file.py:line
    severities: frozenset


def _modules() -> dict[str, ast.Module]:
    return {str(path.relative_to(ROOT)): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def _called(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def _parameters(function) -> tuple[list[str], str | None]:
    """The positional parameters as a call passes them (a method's self or cls left out), and the
    name of *args."""
    a = function.args
    names = [p.arg for p in a.posonlyargs + a.args]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    return names, a.vararg.arg if a.vararg else None


def _functions(modules: dict[str, ast.Module]):
    for name, tree in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield name, node


def _calls(scope):
    """The calls in a function's own body, its lambdas included (a nested function's calls are its
    own); of a module, the calls outside its functions."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    stack = [node for node in scope.body if not isinstance(node, functions)]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call):
            yield node
        stack += [child for child in ast.iter_child_nodes(node) if not isinstance(child, functions)]


def _code_argument(call: ast.Call, positions: set[int]):
    """The expressions a call passes in a code's place: its `code=` keyword, else the positional
    argument at one of `positions` (a starred argument before it stands for the rest)."""
    keyword = [k.value for k in call.keywords if k.arg == "code"]
    if keyword:
        return keyword
    found = []
    for position in positions:
        for index, argument in enumerate(call.args):
            if isinstance(argument, ast.Starred):
                found.append(argument)
                break
            if index == position:
                found.append(argument)
                break
    return found


def _root_severity(call: ast.Call) -> frozenset:
    """The severity a direct `Diagnostic(...)` is made with (both when it is not written out)."""
    for argument in call.args[4:5] + [k.value for k in call.keywords if k.arg == "severity"]:
        if isinstance(argument, ast.Attribute) and argument.attr in ("ERROR", "WARNING"):
            return frozenset({argument.attr.lower()})
    return frozenset({"error", "warning"})


def _helpers(modules):
    """name → (positions of its code, severities it leads to): the roots, and every function that
    passes a parameter of its own on as the code of a root or a helper, to a fixed point."""
    helpers = {"Diagnostic": ({0}, None), "error": ({0}, frozenset({"error"})),
               "warning": ({0}, frozenset({"warning"}))}
    functions = list(_functions(modules))
    changed = True
    while changed:
        changed = False
        for _, function in functions:
            if function.name in ROOTS:                  # error(), warning(), Problems.error(): code first
                continue
            names, varargs = _parameters(function)
            keyword_only = [p.arg for p in function.args.kwonlyargs]
            for call in _calls(function):
                callee = _called(call)
                if callee not in helpers:
                    continue
                positions, severities = helpers[callee]
                severities = severities if severities is not None else _root_severity(call)
                for argument in _code_argument(call, positions):
                    if isinstance(argument, ast.Starred) and getattr(argument.value, "id", None) == varargs:
                        position = next(iter(positions))
                    elif isinstance(argument, ast.Name) and argument.id in names:
                        position = names.index(argument.id)
                    elif isinstance(argument, ast.Name) and argument.id in keyword_only:
                        position = -1                       # passed only as code=
                    else:
                        continue
                    positions_now, severities_now = helpers.get(function.name, (set(), frozenset()))
                    new = (positions_now | ({position} if position >= 0 else set()), severities_now | severities)
                    if new != (positions_now, severities_now):
                        helpers[function.name] = new
                        changed = True
    return helpers


def _yaml_refusal_kinds(modules) -> set[str]:
    """The `kind` a YamlRefused is raised with: its default and every `kind=` given."""
    kinds = set()
    for _, function in _functions(modules):
        if function.name == "__init__":
            names = [p.arg for p in function.args.args]
            defaults = dict(zip(names[len(names) - len(function.args.defaults):], function.args.defaults))
            if "kind" in defaults and "message" in names and isinstance(defaults["kind"], ast.Constant):
                kinds.add(defaults["kind"].value)
    for tree in modules.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) == "YamlRefused":
                for keyword in node.keywords:
                    if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                        kinds.add(keyword.value.value)
    return kinds


# Codes made at run time: the expression as written → its values, read from the code.
DYNAMIC = {
    "f'data-{refused.kind}'": lambda modules: {f"data-{kind}" for kind in _yaml_refusal_kinds(modules)},
}


def _literals(expression) -> list[str] | None:
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return [expression.value]
    if isinstance(expression, ast.IfExp):
        a, b = _literals(expression.body), _literals(expression.orelse)
        return a + b if a is not None and b is not None else None
    return None


def emitted_codes() -> tuple[dict[str, list[Site]], list[str]]:
    """code → where it is made; and every code expression the test cannot read."""
    modules = _modules()
    helpers = _helpers(modules)
    codes: dict[str, list[Site]] = {}
    unreadable = []

    def add(code: str, where: str, severities) -> None:
        codes.setdefault(code, []).append(Site(where, frozenset(severities)))

    scopes = list(_functions(modules)) + list(modules.items())      # every function, and each module's top
    for module, scope in scopes:
        own = set()                                 # the scope's parameters: a helper passes them on
        if not isinstance(scope, ast.Module):
            names, varargs = _parameters(scope)
            own = set(names) | {p.arg for p in scope.args.kwonlyargs} | ({varargs} if varargs else set())
        for call in _calls(scope):
            callee = _called(call)
            if callee not in helpers:
                continue
            positions, severities = helpers[callee]
            severities = severities if severities is not None else _root_severity(call)
            where = f"{module}:{call.lineno}"
            for argument in _code_argument(call, positions):
                if isinstance(argument, ast.Starred) or (isinstance(argument, ast.Name) and argument.id in own):
                    continue                            # a helper passing its own parameter on
                values = _literals(argument)
                if values is None and ast.unparse(argument) in DYNAMIC:
                    values = sorted(DYNAMIC[ast.unparse(argument)](modules))
                if values is None:
                    unreadable.append(f"{where}: {ast.unparse(argument)}")
                    continue
                for value in values:
                    add(value, where, severities)
    for module, function in _functions(modules):            # the default of a helper's code parameter
        if function.name not in helpers:
            continue
        a = function.args
        positional = a.posonlyargs + a.args
        pairs = list(zip(positional[len(positional) - len(a.defaults):], a.defaults)) + \
            [(p, d) for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None]
        for parameter, default in pairs:
            if parameter.arg == "code" and _literals(default):
                for value in _literals(default):
                    add(value, f"{module}:{function.lineno}", helpers[function.name][1] or {"error", "warning"})
    return codes, unreadable


EMITTED, UNREADABLE = emitted_codes()


# ---- the catalogue ------------------------------------------------------------------------

class File(NamedTuple):
    path: str
    text: str
    options: tuple[str, ...]


class Example(NamedTuple):
    code: str
    number: int
    files: tuple[File, ...]
    links: tuple[tuple[str, str], ...]
    run: tuple[str, ...]


class Entry(NamedTuple):
    code: str
    stage: str
    body: str
    severities: frozenset
    examples: tuple[Example, ...]


DIRECTIVE = re.compile(r"<!--\s*(example|file|link|run|base ruleset)\s*(?::\s*(.*?))?\s*-->")
FENCE = re.compile(r"^(```+|~~~+)[^\n]*\n(.*?)^\1[ \t]*$", re.S | re.M)


def _fenced_after(text: str, at: int) -> tuple[str, int]:
    """The fenced block that starts right after position `at` (blank lines between allowed)."""
    match = FENCE.search(text, at)
    assert match and not text[at:match.start()].strip(), \
        f"a file directive is not followed by a fenced block: {text[at:at + 80]!r}"
    return match.group(2), match.end()


def read_catalogue() -> tuple[dict[str, Entry], str, str]:
    """code → its entry; the example ruleset; the whole text."""
    text = CATALOGUE.read_text(encoding="utf-8")
    base = None
    entries: dict[str, Entry] = {}
    stage = ""
    parts = re.split(r"^(#{2,3}) (.+?)\s*$", text, flags=re.M)
    for directive in DIRECTIVE.finditer(parts[0]):
        if directive.group(1) == "base ruleset":
            base, _ = _fenced_after(parts[0], directive.end())
    for level, title, body in zip(parts[1::3], parts[2::3], parts[3::3]):
        if level == "##":
            stage = title
            for directive in DIRECTIVE.finditer(body):
                if directive.group(1) == "base ruleset":
                    base, _ = _fenced_after(body, directive.end())
            continue
        code = title.strip("`")
        assert code not in entries, f"docs/diagnostics.md has two entries for {code}"
        severity = re.search(r"^\*\*Severity:\*\* (error|warning)(?: or (error|warning))?\.?\s*$", body, re.M)
        assert severity, f"docs/diagnostics.md: {code} has no line '**Severity:** error' (or warning)"
        examples, current = [], None
        for directive in DIRECTIVE.finditer(body):
            kind, value = directive.group(1), directive.group(2) or ""
            if kind == "example":
                current = {"files": [], "links": [], "run": []}
                examples.append(current)
                continue
            assert current is not None, f"docs/diagnostics.md: {code}: a '{kind}' comment outside an example"
            if kind == "file":
                path, *options = [part.strip() for part in value.split(";")]
                content, _ = _fenced_after(body, directive.end())
                current["files"].append(File(path, content, tuple(options)))
            elif kind == "link":
                path, target = [part.strip() for part in value.split("->")]
                current["links"].append((path, target))
            elif kind == "run":
                current["run"] += [part.strip() for part in value.split(";") if part.strip()]
        entries[code] = Entry(code, stage, body, frozenset(s for s in severity.groups() if s),
                              tuple(Example(code, i + 1, tuple(e["files"]), tuple(e["links"]), tuple(e["run"]))
                                    for i, e in enumerate(examples)))
    assert base is not None, "docs/diagnostics.md shows no <!-- base ruleset --> example ruleset"
    return entries, base, text


ENTRIES, BASE, TEXT = read_catalogue()
EXAMPLES = [example for entry in ENTRIES.values() for example in entry.examples]


# ---- the two lists are one ------------------------------------------------------------------

def test_every_code_expression_can_be_read():
    assert not UNREADABLE, ("a diagnostic code made from an expression this test cannot read (write a literal, "
                            "or add the expression to DYNAMIC with how its values are found):\n"
                            + "\n".join(UNREADABLE))


def test_the_package_emits_codes():
    assert len(EMITTED) > 40, sorted(EMITTED)              # the walk of the syntax trees found them


@pytest.mark.parametrize("code", sorted(EMITTED))
def test_every_emitted_code_is_documented(code):
    sites = ", ".join(sorted({s.where for s in EMITTED[code]})[:4])
    assert code in ENTRIES, f"the code '{code}' is emitted ({sites}) but docs/diagnostics.md has no '### `{code}`'"


@pytest.mark.parametrize("code", sorted(ENTRIES))
def test_every_documented_code_is_emitted(code):
    assert code in EMITTED, f"docs/diagnostics.md documents '{code}', which no module under impactdsl/ emits"


@pytest.mark.parametrize("code", sorted(set(EMITTED) & set(ENTRIES)))
def test_every_code_has_the_severity_it_is_documented_with(code):
    emitted = frozenset().union(*(s.severities for s in EMITTED[code]))
    documented = ENTRIES[code].severities
    assert emitted == documented, \
        f"'{code}' is emitted as {' and '.join(sorted(emitted))}, documented as {' or '.join(sorted(documented))}"


@pytest.mark.parametrize("code", sorted(ENTRIES))
def test_every_entry_says_what_it_means_in_swedish_and_how_to_fix_it(code):
    body = ENTRIES[code].body
    assert re.search(r"^Betydelse: \S.*$", body, re.M), f"{code}: no 'Betydelse: ...' line"
    assert re.search(r"^\*\*Fix\.\*\* \S", body, re.M), f"{code}: no '**Fix.** ...' paragraph"
    assert ENTRIES[code].examples or code in UNTRIGGERABLE, f"{code}: no example"


def test_the_index_lists_every_entry_once_in_its_stage():
    index = re.search(r"^## Index\s*$(.*?)^## ", TEXT, re.M | re.S)
    assert index, "docs/diagnostics.md has no '## Index'"
    listed = re.findall(r"\[`([^`]+)`\]\(#", index.group(1))
    assert sorted(listed) == sorted(ENTRIES), "the index and the entries differ: " + \
        str(sorted(set(listed) ^ set(ENTRIES)))
    assert len(listed) == len(set(listed)), "a code is listed twice in the index"


def test_untriggerable_codes_are_documented_and_emitted():
    both = set(ENTRIES) & set(EMITTED)
    assert set(UNTRIGGERABLE) <= both, f"listed as untriggerable, but not both documented and emitted: " \
        f"{sorted(set(UNTRIGGERABLE) - both)}"


# ---- every example produces its code ----------------------------------------------------------

# A file's options: its text is appended to the example ruleset; written in another encoding; given
# a mode (then it is run where file permissions hold); with \xNN written as that byte; written as
# Parquet or as an XLSX workbook (the block shows its rows as CSV with ';'); as a zip archive of one
# member. How an example is run: which path is checked, a folder imports and data may be read from
# (--allow), limits lowered (NAME=VALUE, ...), DuckDB as if not installed, the size from which a
# CSV file counts as large; or a goal table drafted from, as `impactdsl init DIR --from FILE` does.
FILE_OPTIONS = re.compile(r"after the example ruleset|encoding: [\w-]+|mode: [0-7]{3}|escapes|parquet|"
                          r"xlsx(?: sheet: .+)?|zip member: .+")
RUN_OPTIONS = re.compile(r"check: .+|allow: .+|limits: .+|without: (duckdb|pyreadstat)|large: \d+|init from: .+")


def _write(folder: Path, file: File) -> None:
    path = folder / file.path
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {o.split(":")[0]: o.split(":", 1)[1].strip() if ":" in o else "" for o in file.options}
    for option in file.options:
        assert FILE_OPTIONS.fullmatch(option), f"unknown file option '{option}'"
    text = (BASE + file.text) if "after the example ruleset" in options else file.text
    encoding = options.get("encoding", "utf-8")
    data = text.encode(encoding)
    if "escapes" in options:
        data = re.sub(rb"\\x([0-9a-fA-F]{2})", lambda match: bytes([int(match.group(1), 16)]), data)
    if "parquet" in options:                    # the block shows the table as CSV
        import duckdb

        source = path.with_suffix(".source.csv")
        source.write_bytes(data)
        with duckdb.connect() as con:
            con.execute(f"COPY (SELECT * FROM read_csv('{source}', all_varchar=true, delim=';')) "
                        f"TO '{path}' (FORMAT parquet)")
        source.unlink()
        return
    if "xlsx" in options or "xlsx sheet" in options:        # the block shows the sheet's rows as CSV
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = options.get("xlsx sheet") or "Blad1"
        for line in text.splitlines():
            sheet.append(line.split(";"))
        book.save(path)
        return
    if "zip member" in options:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(options["zip member"], data)
        return
    path.write_bytes(data)
    if "mode" in options:
        os.chmod(path, int(options["mode"], 8))


RUNNER = """
import json, sys
import impactdsl
ruleset, problems = impactdsl.check(sys.argv[1])
if ruleset is not None and sys.argv[2]:
    outcomes, more = impactdsl.load(sys.argv[2], ruleset)
    problems += more
print(json.dumps([[d.code, d.severity.value, d.message.sv != d.message.en] for d in problems]))
"""


def _unprivileged(path: Path, data: Path | None) -> list[tuple[str, str, bool]]:
    """check (and load) in a process for which file permissions hold: as root, without the
    capabilities that override them (as tests/test_security.py runs it)."""
    prefix = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root, a file that may not be read needs util-linux's setpriv")
        prefix = [setpriv, "--inh-caps=-dac_override,-dac_read_search",
                  "--bounding-set=-dac_override,-dac_read_search"]
    env = dict(os.environ, PYTHONPATH=str(ROOT), IMPACTDSL_NO_CACHE="1")
    done = subprocess.run(prefix + [sys.executable, "-c", RUNNER, str(path), str(data or "")],
                          capture_output=True, timeout=60, env=env, cwd=path.parent)
    assert done.returncode == 0, done.stderr.decode()
    return [tuple(pair) for pair in json.loads(done.stdout)]


def _check(path: Path, allow, limits: Limits | None):
    if limits is None:
        return impactdsl.check(path, allow)
    from impactdsl.compile.checks import run_checks
    from impactdsl.workspace import compile_file, locate

    located, problems = locate(path)
    if located is None:
        return None, problems
    ruleset, problems, _ = compile_file(located.ruleset_file, allow, limits)
    if ruleset is not None:
        problems = problems + run_checks(ruleset)
    return ruleset, problems


def _load(folder: Path, ruleset, allow, limits: Limits | None):
    """The data read as `impactdsl check` reads them: every problem, and every figure a rule lacks."""
    if limits is None:
        return None, impactdsl.check_data(ruleset, folder, allow=allow)
    from impactdsl.outcomes.folder import load as load_folder

    outcomes, problems, _ = load_folder(folder, ruleset, allow=allow, limits=limits)
    return outcomes, problems


def _limits(text: str) -> Limits:
    values = {}
    for pair in text.split(","):
        name, value = (part.strip() for part in pair.split("="))
        assert name in Limits._fields, f"no limit '{name}'"
        values[name] = int(value)
    return Limits(**values)


def run_example(example: Example, tmp_path: Path, monkeypatch) -> list[tuple[str, str, bool]]:
    """The example written into a folder of its own and run: (code, severity, whether its message is
    said in Swedish in words of its own, not the English repeated) of each problem."""
    folder = tmp_path / "förbund"
    folder.mkdir()
    if not any(f.path == "ruleset.impact" for f in example.files):
        (folder / "ruleset.impact").write_text(BASE, encoding="utf-8")
    for file in example.files:
        _write(folder, file)
    for path, target in example.links:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, folder / path)
    checked, allow, limits = folder, [], None
    drafted = [option.partition(":")[2].strip() for option in example.run if option.startswith("init from:")]
    if drafted:                                 # a goal table, drafted as `init --from` drafts it
        _, problems = impactdsl.goal_table_draft(folder / drafted[0])
        return [(d.code, d.severity.value, d.message.sv != d.message.en) for d in problems]
    for option in example.run:
        assert RUN_OPTIONS.fullmatch(option), f"unknown run option '{option}'"
        name, _, value = option.partition(":")
        value = value.strip()
        if name == "check":
            checked = folder / value
        elif name == "allow":
            allow.append(folder / value)
        elif name == "limits":
            limits = _limits(value)
        elif name == "without":
            monkeypatch.setitem(sys.modules, value, None)           # as if it were not installed
        elif name == "large":
            from impactdsl.outcomes import columnar

            monkeypatch.setattr(columnar, "LARGE_BYTES", int(value))
    has_data = any(f.path.startswith("data/") for f in example.files) or \
        any(p.startswith("data/") for p, _ in example.links)
    data = folder / "data" if has_data else None
    if any(o.startswith("mode:") for f in example.files for o in f.options):
        assert limits is None and not allow, "a file that may not be read is run without other options"
        return _unprivileged(checked, data)
    ruleset, problems = _check(checked, allow, limits)
    if any(f.path == CONFIG_FILE for f in example.files):       # the command line's defaults, read as it does
        from impactdsl.core.kinds import Format, Lang, choices

        problems = list(problems) + config.read(folder / CONFIG_FILE, choices(Format), choices(Lang))[1]
    if ruleset is not None and any(f.path.endswith("/" + testing.EXPECT_FILE) for f in example.files):
        for case in testing.cases_of(folder):                     # the ruleset's tests, run as `test` runs them
            problems = list(problems) + list(testing.run(ruleset, case, allow).problems)
    if ruleset is not None and data is not None:
        _, more = _load(data, ruleset, allow, limits)
        problems = list(problems) + list(more)
    return [(d.code, d.severity.value, d.message.sv != d.message.en) for d in problems]


@pytest.fixture
def no_cache(monkeypatch):
    monkeypatch.setenv("IMPACTDSL_NO_CACHE", "1")


def test_the_example_ruleset_has_no_problems(tmp_path, no_cache):
    (tmp_path / "ruleset.impact").write_text(BASE, encoding="utf-8")
    ruleset, problems = impactdsl.check(tmp_path)
    assert ruleset is not None and problems == [], impactdsl.render_problems(problems)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.code}-{e.number}" for e in EXAMPLES])
def test_every_example_produces_its_code(example, tmp_path, monkeypatch, no_cache):
    found = run_example(example, tmp_path, monkeypatch)
    codes = [code for code, _, _ in found]
    assert example.code in codes, \
        f"example {example.number} of '{example.code}' in docs/diagnostics.md produced {codes or 'no problem'}"
    assert all(swedish for code, _, swedish in found if code == example.code), \
        f"example {example.number} of '{example.code}': the message is not said in Swedish"
    severities = {severity for code, severity, _ in found if code == example.code}
    assert severities <= ENTRIES[example.code].severities, \
        f"'{example.code}' came as {severities}, documented as {set(ENTRIES[example.code].severities)}"


@pytest.mark.parametrize("code", sorted(ENTRIES))
def test_every_documented_code_has_an_example_that_produces_it(code):
    """Each example is run by test_every_example_produces_its_code; here, that there is one."""
    if code in UNTRIGGERABLE:
        reason, holds = UNTRIGGERABLE[code]
        assert holds(), f"'{code}' was listed as untriggerable ({reason}), which no longer holds: add an example"
        pytest.skip(f"{code}: {reason}")
    assert ENTRIES[code].examples, f"docs/diagnostics.md shows no example for '{code}'"
