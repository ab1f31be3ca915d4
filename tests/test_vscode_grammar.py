"""The VS Code extension's TextMate grammar (editors/vscode), run by the engine VS Code runs it with
(vscode-textmate and vscode-oniguruma, from the extension's package-lock.json), colours every
bundled ruleset, in English and in Swedish, as the parser reads it: each keyword the parser reads
is a keyword.*, each text a string.*, each comment a comment.*, each number constant.numeric, and
no name the parser reads as a name (`andel[insats]`, `param mål = 40%`) is a keyword. The grammar
is made from the parser's own terminals and keyword table: regenerated, it is the committed file
to the byte, so a keyword added to the language cannot be left out of it. And the extension's
language client, run as VS Code runs it (with a stand-in for VS Code's API), starts
`<impactdsl.command> lsp` and speaks LSP with it over stdio.

The engine's packages are installed by editors/vscode/build.sh (npm ci), which .ci/run calls before
the tests: a test run reaches no registry, and without them these tests fail and say so."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from impactdsl.core.source import Source
from impactdsl.parse.keywords import CALLED, PHRASES
from impactdsl.parse.parser import parse, parser
from impactdsl.parse.printer import format_source
from impactdsl.parse.spelling import keyword_tokens, translate

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / "editors" / "vscode"
GRAMMAR = VSCODE / "syntaxes" / "impactdsl.tmLanguage.json"
TOKENISER = VSCODE / "test" / "tokenize.js"
RULESETS = sorted((ROOT / "rulesets").glob("*/ruleset.impact"))
EVERY_KEYWORD = ROOT / "tests" / "fixtures" / "svenska-nyckelord.impact"
ACTIVATE = VSCODE / "test" / "activate.js"
ENGINE = ("vscode-textmate", "vscode-oniguruma", "vscode-languageclient")
OPERATORS = {"->", ">=", "<=", ">", "<", "=", "+", "-", "*", "/"}

# Swedish words used as names where the parser reads them as names, and texts and comments that
# hold keywords: none of those may be coloured as a keyword.
NAMES = ('param mål = 40%\nparam vikt = 5\nfakta poäng tal "poäng" # indikator andel minst\n'
         'mall jämn(antal) = kvot(antal[kvinnor], antal) mellan 40% och 60%\n'
         'indikator 1.1 "x" andel[insats] >= mål -> poäng\n'
         'indikator 1.2 "indikator andel minst" 2 * vikt + andel[insats] > mål - 1 -> poäng; notera """när\n'
         'eftersom # inte en kommentar"""\n'
         "indikator 1.3 'y' max(andel[insats], mål) >= 1 -> 2\n"
         'indikator 1.4 "z" g = nej -> 1\n')
# The words no bundled ruleset uses, in English.
ENGLISH = ('status over "Over" when within 5pp above target\n'
           'indicator 1.1 "m" mean_months(reg) more than 1 -> 1\n'
           'indicator 1.2 "n" plan = no -> 1; note """a\n"text" across lines""" # done\n'
           'indicator 1.3 "o" todo >= 40% -> 8\n')


def _corpus() -> dict[str, str]:
    texts = {}
    for path in RULESETS:
        text = path.read_text(encoding="utf-8")
        source = Source(str(path), text)
        texts[path.parent.name] = text
        texts[f"{path.parent.name}-sv"] = translate(format_source(parse(source)[0], source, "en"), "sv")
    texts["svenska-nyckelord"] = EVERY_KEYWORD.read_text(encoding="utf-8")
    texts["names"] = NAMES
    texts["english"] = ENGLISH
    return texts


CORPUS = _corpus()


def _engine_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed: the grammar is tested with VS Code's engine, which runs on Node.js"
    missing = [name for name in ENGINE if not (VSCODE / "node_modules" / name / "package.json").is_file()]
    if missing:
        return (f"{', '.join(missing)} not installed in {VSCODE / 'node_modules'}: run editors/vscode/build.sh "
                "(npm ci from the extension's package-lock.json; .ci/run does it before the tests)")
    return None


def _tokenise(texts: list[str]) -> list[dict]:
    missing = _engine_missing()
    if missing:
        pytest.fail(missing, pytrace=False)
    run = subprocess.run(["node", str(TOKENISER)], input=json.dumps({"grammar": str(GRAMMAR), "texts": texts}),
                         capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["results"]


@pytest.fixture(scope="module")
def tokenised() -> dict[str, dict]:
    return dict(zip(CORPUS, _tokenise(list(CORPUS.values()))))


def _scopes(text: str, result: dict) -> list[tuple[str, ...]]:
    """Each character's scopes, as the engine gave them."""
    at = [()] * len(text)
    for start, end, scopes in result["tokens"]:
        for i in range(start, end):
            at[i] = tuple(scopes)
    return at


def _parsed(text: str) -> list:
    """The parser's tokens, in the order it read them (the text must parse)."""
    document, problems = parse(Source("r.impact", text))
    assert document is not None, [p.message for p in problems]
    return list(parser().parse_interactive(text).iter_parse())


def _comments(text: str, tokens) -> list[tuple[int, int]]:
    """The comments: what is left of the text, its tokens taken out, that opens with #."""
    rest = list(text)
    for token in tokens:
        rest[token.start_pos:token.end_pos] = " " * (token.end_pos - token.start_pos)
    return [m.span() for m in re.finditer(r"#[^\n]*", "".join(rest))]


def _where(text: str, start: int) -> str:
    line = text.count("\n", 0, start) + 1
    return f"{line}:{start - (text.rfind(chr(10), 0, start) + 1) + 1}"


def _disagreements(text: str, result: dict) -> list[str]:
    """Where the engine's colouring says otherwise than the parser reads the text."""
    wrong = list(result["problems"])
    scopes = _scopes(text, result)
    tokens = _parsed(text)
    keywords = keyword_tokens(text)
    keyword_at = {start for start, *_ in keywords}

    def every(start: int, end: int, prefix: str, what: str, want: bool = True):
        for i in range(start, end):
            if not text[i].isspace() and any(s.startswith(prefix) for s in scopes[i]) != want:
                wrong.append(f"{_where(text, start)} {what} {text[start:end]!r}: {list(scopes[i][1:])}")
                return

    for start, end, _, _ in keywords:
        every(start, end, "keyword.", "keyword")
    for token in tokens:
        if token.type in ("STRING", "LONG_STRING"):
            every(token.start_pos, token.end_pos, "string.", "text")
        elif token.type in ("ID", "INT", "NUMBER"):
            every(token.start_pos, token.end_pos, "constant.numeric.", "number")
        elif token.value in OPERATORS:
            every(token.start_pos, token.end_pos, "keyword.operator.", "operator")
        elif token.type == "NAME" and token.start_pos not in keyword_at:
            every(token.start_pos, token.end_pos, "keyword.", "name coloured as a keyword", want=False)
    for start, end in _comments(text, tokens):
        every(start, end, "comment.", "comment")
    return wrong


@pytest.mark.parametrize("name", list(CORPUS))
def test_the_grammar_colours_a_ruleset_as_the_parser_reads_it(tokenised, name):
    text = CORPUS[name]
    assert keyword_tokens(text), "the parser read no keyword"
    wrong = _disagreements(text, tokenised[name])
    assert not wrong, f"{len(wrong)} tokens coloured otherwise than the parser reads them:\n" + "\n".join(wrong[:40])


# Places where a name stands, each filled in with every keyword word of both languages in turn.
AS_NAMES = ('param {w} = 5\nindikator 1.1 "x" 2 * {w} >= 1 -> 1\n',
            'fakta {w} tal "x"\nindikator 1.1 "x" andel(staff, q1, top) >= {w} -> {w}\n',
            'tabell t "T" rader {w}\n  kolumn {w} "A" = {w} uppdelat {w}\n',
            'indikator 1.1 "x" max({w}, {w}[k]) >= 1 -> 1\n')


def test_every_keyword_word_used_as_a_name_is_coloured_as_a_name():
    """A Swedish keyword is not reserved (nor is an English one that opens no statement): where the
    parser reads it as a name, so does the grammar."""
    words = sorted({word for phrase in (*PHRASES, *PHRASES.values(), *CALLED.values()) for word in phrase.split()
                    if re.fullmatch(r"\w+", word)})
    texts = [place.format(w=word) for word in words for place in AS_NAMES]
    texts = [text for text in texts if parse(Source("r.impact", text))[0] is not None]
    assert len(texts) > 3 * len(words)
    wrong = [f"{text!r}: {problem}" for text, result in zip(texts, _tokenise(texts))
             for problem in _disagreements(text, result)]
    assert not wrong, f"{len(wrong)} disagreements:\n" + "\n".join(wrong[:40])


def test_the_texts_tested_hold_every_keyword_of_the_parser():
    """What the test above covers: every keyword terminal of the parser is read somewhere in them."""
    read = {token.type for text in CORPUS.values() for token in _parsed(text)}
    assert set(_generator().Language().keywords) - read == set()


def _generator():
    spec = importlib.util.spec_from_file_location("make_grammar", VSCODE / "make_grammar.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_grammar_is_what_the_generator_writes():
    """A keyword added to the language, or a Swedish spelling, changes the grammar: regenerate it
    with `python editors/vscode/make_grammar.py` and commit the file."""
    assert GRAMMAR.read_text(encoding="utf-8") == _generator().generated(), \
        "editors/vscode/syntaxes/impactdsl.tmLanguage.json is out of date: run python editors/vscode/make_grammar.py"


def test_the_generator_writes_the_same_bytes_twice():
    generator = _generator()
    assert generator.generated() == generator.generated()


# A stand-in for `impactdsl lsp`: notes its arguments and every message the client sends, answers
# every request (initialize with no capabilities), and ends on `exit`.
STAND_IN_SERVER = """import json, sys
notes = open(__file__ + ".notes", "w")
notes.write(json.dumps(sys.argv[1:]) + "\\n")
while True:
    length = None
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            sys.exit(0)
        if not line.strip():
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    message = json.loads(sys.stdin.buffer.read(length))
    notes.write(message.get("method", "") + "\\n")
    notes.flush()
    if message.get("method") == "exit":
        sys.exit(0)
    if "id" in message:
        result = {"capabilities": {}} if message["method"] == "initialize" else None
        body = json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}).encode()
        sys.stdout.buffer.write(b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body)
        sys.stdout.buffer.flush()
"""


def _activate(command: str) -> dict:
    missing = _engine_missing()
    if missing:
        pytest.fail(missing, pytrace=False)
    run = subprocess.run(["node", str(ACTIVATE), command], capture_output=True, text=True, encoding="utf-8",
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_extension_starts_the_command_with_lsp_over_stdio(tmp_path):
    """The language client, as VS Code's extension host runs it, starts `<impactdsl.command> lsp`
    (no other argument) and speaks LSP with it over stdin and stdout: initialize, initialized,
    then shutdown and exit when the extension stops."""
    server = tmp_path / "impactdsl"
    server.write_text(f"#!{sys.executable}\n" + STAND_IN_SERVER, encoding="utf-8")
    server.chmod(0o755)
    assert _activate(str(server)) == {"shown": []}
    notes = (tmp_path / "impactdsl.notes").read_text(encoding="utf-8").split("\n")
    assert json.loads(notes[0]) == ["lsp"]
    assert notes[1:] == ["initialize", "initialized", "shutdown", "exit", ""]


def test_without_the_server_the_extension_says_which_setting_to_set(tmp_path):
    shown = _activate(str(tmp_path / "no-impactdsl-here"))["shown"]
    assert any(kind == "showWarningMessage" and "impactdsl.command" in message and "lsp" in message
               for kind, message in shown), shown


def test_the_extension_is_wired_together():
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    grammar = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    language, = manifest["contributes"]["languages"]
    contributed, = manifest["contributes"]["grammars"]
    assert (manifest["name"], manifest["publisher"], language["id"]) == ("impactdsl", "impactdsl", "impactdsl")
    assert language["extensions"] == [".impact"] and "impactdsl" in language["aliases"]
    assert contributed["scopeName"] == grammar["scopeName"] == "source.impactdsl"
    assert (VSCODE / contributed["path"]).resolve() == GRAMMAR
    assert json.loads((VSCODE / language["configuration"]).read_text(encoding="utf-8"))["comments"] == \
        {"lineComment": "#"}
    assert manifest["activationEvents"] == ["onLanguage:impactdsl"] and (VSCODE / manifest["main"]).is_file()
    assert manifest["contributes"]["configuration"]["properties"]["impactdsl.command"]["default"] == "impactdsl"
    assert "vscode" in manifest["engines"]
    lock = json.loads((VSCODE / "package-lock.json").read_text(encoding="utf-8"))
    locked = lock["packages"]
    assert all(f"node_modules/{name}" in locked for name in (*manifest["dependencies"], *manifest["devDependencies"]))
    if shutil.which("node"):
        assert subprocess.run(["node", "--check", str(VSCODE / "extension.js")]).returncode == 0
