"""Syntax errors in plain words: where, what was expected, and a hint.

Lark reports terminals by name; a methodologist reads "a whole number" or
"'->'". When the unexpected token opens a new statement, the statement above
ended too early, so the error points to its end, Rust-style."""

from __future__ import annotations

import re

from impactdsl.core.diagnostics import Diagnostic, error
from impactdsl.core.source import Source, Span
from impactdsl.parse.keywords import PHRASES

STATEMENT_KEYWORDS = (
    "ruleset", "association", "period", "rounding", "missing", "minimum", "total",
    "status", "call", "index", "points", "judge",
    "scale", "group", "subgroups", "entities", "question", "register", "count", "fact", "param",
    "template", "area", "goal", "indicator", "bonus", "each", "end", "grade", "table", "followup",
    "import", "adapt", "map",
)
# The same words in Swedish (the first word of each: `för` of `för varje`); not reserved as names.
SWEDISH_STATEMENT_KEYWORDS = tuple(PHRASES[word].split()[0] for word in STATEMENT_KEYWORDS if word in PHRASES)
OPENERS = frozenset(STATEMENT_KEYWORDS + SWEDISH_STATEMENT_KEYWORDS)

# Terminals described in plain words for "expected ..." messages.
TERMINAL_WORDS = {
    "NAME": "a name",
    "STRING": "a text in quotes",
    "LONG_STRING": "a text in quotes",
    "ID": "an id such as 1.2.4",
    "INT": "a whole number",
    "NUMBER": "a number",
    "COMPARATOR": "a comparison such as >= or <",
    "PERCENT": "'%'",
    "POINTS": "'pp'",
    "RELATIVE": "'relative'",
    "ROUNDING_MODE": "half-up, half-even or none",
    "MISSING_POLICY": "'excluded from' or 'included in'",
    "FACT_KIND": "percent, number or yes/no",
    "OVERRIDE_OUTCOME": "met or missed",
    "$END": "the end of the file",
}


def _statement_at(source: Source, line: int) -> str | None:
    lines = source.text.splitlines()
    for number in range(min(line, len(lines)), 0, -1):
        if opens_statement(lines[number - 1]):
            return lines[number - 1].split()[0]
    return None


def opens_statement(line: str) -> bool:
    words = line.split(None, 1)
    return bool(words) and words[0] in OPENERS


def syntax_error(exc, source: Source, literals: dict[str, str]) -> Diagnostic:
    """`literals`: the grammar's keyword terminals by name, to say "'->'" rather than ARROW."""
    from lark.exceptions import UnexpectedEOF, UnexpectedToken

    line, column = max(exc.line, 1), max(exc.column, 1)
    if isinstance(exc, UnexpectedEOF) or getattr(exc, "token", None) is not None and \
            getattr(exc.token, "type", "") == "$END":
        lines = source.text.rstrip().splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
        found = "end of file"
    elif isinstance(exc, UnexpectedToken):
        found = f"'{exc.token}'"
    else:
        found = f"'{source.line(line)[column - 1:column]}'"
    expected = sorted({_describe(t, literals) for t in _expected(exc)})
    words = ", ".join(expected[:-1]) + (" or " if len(expected) > 1 else "") + expected[-1] \
        if expected else "something else"
    width = 1 if found == "end of file" else max(len(found) - 2, 1)
    text = source.line(line)
    if found != "end of file" and opens_statement(text) and not text[:column - 1].strip():
        hint = _hint(exc, source, line - 1, 1)
        line, column = _end_of_previous(source, line)
        return error("syntax", f"this statement ends too early: expected {words} before {found}",
                     Span(source.path, line, column), hint)
    hint = _hint(exc, source, line, column)
    span = Span(source.path, line, column, line, column + width)
    return error("syntax", f"unexpected {found}; expected {words}", span, hint)


def _end_of_previous(source: Source, line: int) -> tuple[int, int]:
    """The position just after the last written character above `line` (comments aside)."""
    lines = source.text.splitlines()
    for number in range(line - 1, 0, -1):
        code = re.sub(r"#[^\"']*$", "", lines[number - 1]).rstrip()
        if code:
            return number, len(code) + 1
    return line, 1


def _expected(exc) -> set[str]:
    """What could really come next: LALR's lookahead sets are wider than that
    (they hold everything that may follow once a rule is reduced), so ask the
    parser state which tokens it accepts, when Lark hands it over."""
    from lark.exceptions import UnexpectedCharacters

    interactive = getattr(exc, "interactive_parser", None)
    if interactive is not None:
        try:
            return set(interactive.accepts())
        except Exception:           # the state cannot be probed: fall back to Lark's set
            pass
    names = exc.allowed if isinstance(exc, UnexpectedCharacters) else getattr(exc, "expected", set())
    return set(names or ())


def _describe(terminal: str, literals: dict[str, str]) -> str:
    if terminal in TERMINAL_WORDS:
        return TERMINAL_WORDS[terminal]
    literal = literals.get(terminal)
    return f"'{literal}'" if literal else terminal.lower()


def _hint(exc, source: Source, line: int, column: int) -> str | None:
    text = source.line(line)
    rest = text[column - 1:]
    if rest.startswith("”") or rest.startswith("“"):
        return "texts are written in straight quotes \"...\"; use \"\"\"...\"\"\" when the text holds quotes"
    token = getattr(exc, "token", None)
    if getattr(token, "type", "") == "NAME" and "STRING" in _expected(exc):
        return f"answers and texts are written in quotes: '{token}'"
    if re.search(r"\w\s*\([^()]*\)\s*->\s*\d+\s+each\s+up\b", text):
        return "a measure written NAME(...) cannot stand alone before '-> N each up to M' (it reads as a " \
               "template); compare it (count(...) >= 30 -> 2), or give points per unit of a count or fact"
    if re.match(r"\s*near\s+target\s+within\b", text):          # the setting before the method was written out
        return "'near target within' is now a status of the ruleset's own: status nära \"Nära målet\" colour " \
               "yellow when within 5pp below target (see docs/methods.md)"
    if re.search(r"\d,\d", rest[:6]):
        return "11,2 is one number; separate list items with a comma and a space"
    statement = _statement_at(source, line)
    if statement in ("indicator", "bonus"):
        return f"{statement} ID \"text\" MEASURE COMPARISON -> POINTS, e.g. " \
               "indicator 3.2.4 \"...\" share(staff, q3.2.4, top2) >= 80% -> 2"
    if statement == "scale":
        return "scale NAME: 'answer' \"Label\", ... then: subset top2 = ['answer', 'answer']"
    return None
