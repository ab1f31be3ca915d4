"""Text → syntax.Document, with every syntax error as a diagnostic.

The Lark LALR parser is built once per process and its tables are cached in
the user's cache folder (never a shared temp folder or site-packages). Lark's
trees and tokens stay inside this module and builder.py."""

from __future__ import annotations

import functools
import os
import re
from importlib import resources
from pathlib import Path

from impactdsl.core.diagnostics import Diagnostic, Said, error
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.redact import holds_identity, identity_at
from impactdsl.core.source import LEXEMES, Source, Span, lexed
from impactdsl.parse import syntax as s
from impactdsl.parse.errors import OPENERS, opens_statement, syntax_error
from impactdsl.parse.keywords import swedish_grammar

MAX_SYNTAX_ERRORS = 20



def grammar_text() -> str:
    """The grammar as shipped in the wheel, or from the checkout in an editable install."""
    shipped = resources.files("impactdsl").joinpath("grammar").joinpath("impactdsl.lark")
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "grammar" / "impactdsl.lark").read_text(
        encoding="utf-8")


def _cache_file() -> str | bool:
    """The file the parser's tables are kept in; in a process that writes nothing (read/cache.py's
    `read_only`), only one already there, else none (the tables are made in memory)."""
    from impactdsl.read.cache import writes

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "impactdsl"
    if not writes():
        return str(folder / "parser.lark-cache") if (folder / "parser.lark-cache").is_file() else False
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return str(folder / "parser.lark-cache")


@functools.cache
def parser():
    """The one LALR parser of this process (tables cached on disk between runs)."""
    from lark import Lark

    return Lark(swedish_grammar(grammar_text()), parser="lalr", lexer="contextual", propagate_positions=True,
                maybe_placeholders=False, cache=_cache_file())


@functools.cache
def _terminal_literals() -> dict[str, str]:
    """The grammar's keyword terminals: name -> the text they match."""
    from lark.lexer import PatternStr

    return {t.name: t.pattern.value for t in parser().terminals if isinstance(t.pattern, PatternStr)}


def parse(source: Source, limits: Limits = DEFAULT, budget: int | None = None
          ) -> tuple[s.Document | None, list[Diagnostic]]:
    """Parse a whole file, reporting every syntax error it holds, not only the first.

    After an error the text up to the end of the failing statement is blanked
    out (lines kept, so positions stay true) and parsing goes on from there, up
    to MAX_SYNTAX_ERRORS times: a file with many errors costs one parse, not one
    per error."""
    from lark.exceptions import UnexpectedInput

    tokens, refused = _lexical_limits(source, limits, limits.tokens if budget is None else budget)
    if refused:
        return None, [refused]
    text = source.text
    diagnostics: list[Diagnostic] = []
    while True:
        try:
            tree = parser().parse(text)
            break
        except UnexpectedInput as exc:
            diagnostics.append(syntax_error(exc, source, _terminal_literals()))
            blanked = _blank_statement(text, exc.line, exc.column)
            if blanked == text or len(diagnostics) >= MAX_SYNTAX_ERRORS:
                return None, diagnostics
            text = blanked
    document = s.Document(source.path, tuple(_Builder(source).transform(tree).children), tokens)
    return (None if diagnostics else document), diagnostics


TOKENS = re.compile(r"[\w.,%*]+|->|>=|<=|[^\s\w]")
AS_THE_REPORT = Said("skriv talet som rapporten skriver det", "write the number as the report does")


def _lexical_limits(source: Source, limits: Limits, budget: int) -> tuple[int, Diagnostic | None]:
    """The file's words, numbers and signs counted, and a refusal, before Lark reads a token, of
    what would make the work after it too long: more tokens than `budget` (Lark and the tree
    builder take some 20 µs a token), brackets nested deeper than allowed (the tree builder
    recurses), a run of more digits than a number may have (Python's conversion of a huge number
    takes long). Texts count as one token each; comments do not count. Each test is one pass of
    a regular expression; only a refused file is looked at again, to say where."""
    pieces, texts = lexed(source.text)
    code = " ".join(pieces)
    tokens = len(texts) + len(TOKENS.findall(code))
    if tokens > budget:
        imported = budget < limits.tokens
        return tokens, error("ruleset-size", Said(f"{source.path} har {tokens} ord, tal och tecken, fler än de "
                                                  f"{budget} ett regelverk får ha"
                                                  f"{' med sina importer' if imported else ''}",
                                                  f"{source.path} holds {tokens} words, numbers and signs, more than "
                                                  f"the {budget} a ruleset may hold"
                                                  f"{' with its imports' if imported else ''}"),
                             Span(source.path, 1, 1),
                             Said("är det rätt fil? Ett regelverk med 10 000 indikatorer har omkring 160 000",
                                  "is this the right file? A ruleset of 10 000 indicators holds some 160 000"))
    long_number = re.compile(f"[0-9]{{{limits.number_digits + 1},}}")
    if long_number.search(code):
        return tokens, error("number-size", limits.number_message(),
                             _position(source, _first_in_code(source.text, long_number)), AS_THE_REPORT)
    if holds_identity(code):
        return tokens, error("identity", Said("det här talet ser ut som ett personnummer; ett regelverk nämner "
                                              "ingen person",
                                              "this number looks like a personal identity number; a ruleset names "
                                              "no person"),
                             _position(source, identity_at(_blanked(source.text)) or 0), AS_THE_REPORT)
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]()]", code):
        depth += 1 if bracket in "([" else -1
        deepest = max(deepest, depth)
    if deepest > limits.brackets:
        return tokens, error("syntax-depth", Said(f"parenteser i mer än {limits.brackets} nivåer inuti varandra",
                                                  f"brackets nested more than {limits.brackets} deep"),
                             _position(source, _too_deep_at(source.text, limits.brackets)),
                             Said("skriv måttet i mindre steg (med en param eller en mall)",
                                  "write the measure in smaller steps (a param or a template)"))
    chain = _longest_computation(code)
    if chain > limits.operators:
        return tokens, error("syntax-depth", Said(f"en uträkning med fler än {limits.operators} räknetecken "
                                                  "(+ - * /) i en och samma sats", f"a computation of more than "
                                                  f"{limits.operators} signs (+ - * /) in one statement"),
                             _position(source, _long_computation_at(source.text, limits.operators)),
                             Said("räkna i mindre steg: skriv en del av summan som fakta, eller använd "
                                  "summa(NAMN över LISTA)",
                                  "compute in smaller steps: a fact for a part of the sum, or sum(NAME over LIST)"))
    return tokens, None


# A statement's arithmetic signs: - not as part of -> or a word (half-up), * not in an id (1.1.*).
_OPERATOR = re.compile(r"\+|-(?!>)(?<![A-Za-z]-)|(?<![.\d])\*|/")
_STATEMENT_START = re.compile(r"\b(?:" + "|".join(sorted(OPENERS)) + r")\b(?!\s*\()")    # count(...) is a measure


def _longest_computation(code: str) -> int:
    """The most arithmetic signs in one statement: the compiler walks a computation's figures one
    inside the other, so a chain of thousands (a + a + ... + a) is refused before it is read."""
    return max((len(_OPERATOR.findall(part)) for part in _STATEMENT_START.split(code)), default=0)


def _long_computation_at(text: str, most: int) -> int:
    """Where the statement holding too long a computation starts (for the message only)."""
    blanked = _blanked(text)
    starts = [0] + [m.start() for m in _STATEMENT_START.finditer(blanked)] + [len(blanked)]
    return next((start for start, end in zip(starts, starts[1:])
                 if len(_OPERATOR.findall(blanked[start:end])) > most), 0)


def _blanked(text: str) -> str:
    """The text with its texts and comments blanked, lines and columns kept: slow, for errors only."""
    return LEXEMES.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), text)


def _first_in_code(text: str, pattern: re.Pattern) -> int:
    return pattern.search(_blanked(text)).start()


def _too_deep_at(text: str, most: int) -> int:
    depth = 0
    for bracket in re.finditer(r"[\[\]()]", _blanked(text)):
        depth += 1 if bracket.group(0) in "([" else -1
        if depth > most:
            return bracket.start()
    return 0


def _position(source: Source, offset: int) -> Span:
    line = source.text.count("\n", 0, offset) + 1
    return Span(source.path, line, offset - (source.text.rfind("\n", 0, offset) + 1) + 1)


def _blank_statement(text: str, line: int, column: int) -> str:
    """The text with everything up to the end of the statement holding (line, column) replaced by
    spaces (lines kept, so positions stay true), so the next parse reads only what follows; the
    header of an `each` block still open there is kept.

    When the unexpected token opens a statement itself, the broken one is above it."""
    lines = text.split("\n")
    at = min(max(line - 1, 0), len(lines) - 1)
    opens_here = opens_statement(lines[at]) and not lines[at][:column - 1].strip()
    start = at - 1 if opens_here else at
    while start > 0 and not opens_statement(lines[start]):
        start -= 1
    end = at if opens_here else at + 1
    while end < len(lines) and not opens_statement(lines[end]):
        end += 1
    open_each = None
    for i in range(max(start, 0)):
        first = lines[i].split(None, 1)[:1]
        if first in (["each"], ["för"]):
            open_each = i
        elif first in (["end"], ["slut"]):
            open_each = None
    for i in range(end):
        if i != open_each:
            lines[i] = " " * len(lines[i])
    return "\n".join(lines)


def _Builder(source: Source):
    from impactdsl.parse.builder import Builder

    return Builder(source)
