"""Syntax errors in plain words: where, what was expected, and a hint.

Lark reports terminals by name; a methodologist reads "a whole number" or
"'->'". When the unexpected token opens a new statement, the statement above
ended too early, so the error points to its end, Rust-style."""

from __future__ import annotations

import difflib
import re

from impactdsl.core.diagnostics import Diagnostic, Said, error
from impactdsl.core.source import Source, Span
from impactdsl.parse.keywords import PHRASES, call_terminal

CALLED_WORDS = ("share", "ratio", "gap", "increase", "decrease", "outcome", "previous", "mean_months", "sum")

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

# Terminals described in plain words for "expected ..." messages: (Swedish, English).
TERMINAL_WORDS = {
    "NAME": ("ett namn", "a name"),
    "STRING": ("en text inom citattecken", "a text in quotes"),
    "LONG_STRING": ("en text inom citattecken", "a text in quotes"),
    "ID": ("ett id som 1.2.4", "an id such as 1.2.4"),
    "INT": ("ett heltal", "a whole number"),
    "NUMBER": ("ett tal", "a number"),
    "COMPARATOR": ("en jämförelse som >= eller <", "a comparison such as >= or <"),
    "PERCENT": ("'%'", "'%'"),
    "POINTS": ("'pp'", "'pp'"),
    "RELATIVE": ("'relativt'", "'relative'"),
    "ROUNDING_MODE": ("halv-upp, halv-jämn eller ingen", "half-up, half-even or none"),
    "MISSING_POLICY": ("'räknas bort ur' eller 'räknas in i'", "'excluded from' or 'included in'"),
    "FACT_KIND": ("procent, tal, ja/nej eller tkr", "percent, number, yes/no or tkr"),
    "OVERRIDE_OUTCOME": ("uppnått eller ej uppnått", "met or missed"),
    "MULTIPLE": ("'flerval'", "'multiple'"),
    "MAP_KIND": ("fråga, grupp, räkna eller fakta", "question, group, count or fact"),
    "BY_POINTS": ("'i poäng'", "'by points'"),
    "$END": ("filens slut", "the end of the file"),
}
MANY_EXPECTED = 8           # past this many, "expected" names a statement's keywords by a few of them

_ENGLISH_WORDS = frozenset(" ".join(PHRASES).split())
_SWEDISH_WORDS = frozenset(" ".join(PHRASES.values()).split())


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
    word = None
    if isinstance(exc, UnexpectedEOF) or getattr(exc, "token", None) is not None and \
            getattr(exc.token, "type", "") == "$END":
        lines = source.text.rstrip().splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
        found = Said("filens slut", "end of file")
    elif isinstance(exc, UnexpectedToken):
        found = Said.joined(f"'{exc.token}'")
        word = str(exc.token)
    else:
        written = re.match(r"\w+", source.line(line)[column - 1:])
        word = written.group(0) if written else None
        found = Said.joined(f"'{word or source.line(line)[column - 1:column]}'")
    terminals = _expected(exc)
    glued = _glued_word(source.line(line), column)
    if glued is not None:                   # `indikatorr`: read as the keyword `indikator` and an `r`
        column, word = glued
        found = Said.joined(f"'{word}'")
        at_start = not source.line(line)[:column - 1].strip()
        terminals = {name for name, literal in literals.items()
                     if (literal in OPENERS if at_start else any(c.isalpha() for c in literal))}
        if not at_start:
            terminals |= {call_terminal(w) for w in CALLED_WORDS}
    expected = Said(_listed(terminals, literals, "sv"), _listed(terminals, literals, "en"))
    at_end = found.en == "end of file"
    width = 1 if at_end else max(len(found.en) - 2, 1)
    text = source.line(line)
    if not at_end and opens_statement(text) and not text[:column - 1].strip():
        hint = _hint(exc, source, line - 1, 1)
        line, column = _end_of_previous(source, line)
        return error("syntax", Said(f"satsen slutar för tidigt: här väntades {expected.sv} före {found.sv}",
                                    f"this statement ends too early: expected {expected.en} before {found.en}"),
                     Span(source.path, line, column), hint)
    hint = _keyword_meant(word, terminals, literals) or _hint(exc, source, line, column)
    span = Span(source.path, line, column, line, column + width)
    return error("syntax", Said(f"oväntat {found.sv}; här väntades {expected.sv}",
                                f"unexpected {found.en}; expected {expected.en}"), span, hint)


def _glued_word(text: str, column: int) -> tuple[int, str] | None:
    """Where a keyword was read from the start of a longer word (the lexer takes `indikator` out of
    `indikatorr` where no name may stand), that whole word and its column."""
    start = column - 1
    if not (0 < start < len(text)) or not (text[start].isalnum() and text[start - 1].isalnum()):
        return None
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    end = re.match(r"\w*", text[start:]).end()
    return start + 1, text[start:start + end]


def _keyword_meant(word: str | None, terminals: set[str], literals: dict[str, str]) -> Said | None:
    """A word written where a keyword belongs that is close to one of them (`indikatorr`, `shar`):
    "did you mean", in either language's spelling."""
    keywords = {literals[t] for t in terminals if t in literals and any(c.isalpha() for c in literals[t])}
    keywords |= {PHRASES[word_] for t in terminals if (word_ := _call_word(t))}
    if not word or word in keywords or not keywords:
        return None
    close = difflib.get_close_matches(word.casefold(), sorted(keywords), n=1, cutoff=0.75)
    return Said(f"menade du '{close[0]}'?", f"did you mean '{close[0]}'?") if close else None


def _call_word(terminal: str) -> str | None:
    """The English measure word of a Swedish one written before its bracket (_SV_SHARE: share)."""
    return terminal[4:].lower() if terminal.startswith("_SV_") else None


def _listed(terminals: set[str], literals: dict[str, str], lang: str) -> str:
    """What could come next in one language's words: its spelling of each keyword, and a few of a
    statement's keywords (not all thirty) when a new statement may begin."""
    words = set()
    for terminal in terminals:
        described = _describe(terminal, literals, lang)
        if described is not None:
            words.add(described)
    openers = {w for w in words if w.strip("'") in OPENERS}
    if len(words) > MANY_EXPECTED and openers:
        rest = sorted(words - openers)
        examples = ("'indikator', 'mål', 'målområde'" if lang == "sv" else "'indicator', 'goal', 'area'")
        words = set(rest[:MANY_EXPECTED]) | {("en ny sats (" if lang == "sv" else "a new statement (") +
                                              examples + ", …)"}
    ordered = sorted(words)
    if not ordered:
        return "något annat" if lang == "sv" else "something else"
    joiner = " eller " if lang == "sv" else " or "
    return ", ".join(ordered[:-1]) + (joiner if len(ordered) > 1 else "") + ordered[-1]


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


def _describe(terminal: str, literals: dict[str, str], lang: str) -> str | None:
    """A terminal in `lang`'s words; None for a keyword spelt in the other language."""
    if terminal in TERMINAL_WORDS:
        return TERMINAL_WORDS[terminal][0 if lang == "sv" else 1]
    call = _call_word(terminal)
    if call is not None:
        return f"'{PHRASES[call]}'" if lang == "sv" else None
    literal = literals.get(terminal)
    if not literal:
        return terminal.lower()
    other = _ENGLISH_WORDS - _SWEDISH_WORDS if lang == "sv" else _SWEDISH_WORDS - _ENGLISH_WORDS
    return None if literal in other else f"'{literal}'"


def _hint(exc, source: Source, line: int, column: int) -> Said | None:
    text = source.line(line)
    rest = text[column - 1:]
    if rest.startswith("”") or rest.startswith("“"):
        return Said('texter skrivs med raka citattecken "..."; skriv """...""" när texten själv har citattecken',
                    "texts are written in straight quotes \"...\"; use \"\"\"...\"\"\" when the text holds quotes")
    token = getattr(exc, "token", None)
    if getattr(token, "type", "") == "NAME" and "STRING" in _expected(exc):
        return Said(f"svar och texter skrivs inom citattecken: '{token}'",
                    f"answers and texts are written in quotes: '{token}'")
    if re.search(r"\w\s*\([^()]*\)\s*->\s*\d+\s+(each\s+up|per\s+styck)\b", text):
        return Said("ett mått skrivet NAMN(...) kan inte stå ensamt före '-> N per styck upp till M' (det läses "
                    "som en mall); jämför det (antal(...) >= 30 -> 2), eller ge poäng per styck av ett antal "
                    "eller en uppgift",
                    "a measure written NAME(...) cannot stand alone before '-> N each up to M' (it reads as a "
                    "template); compare it (count(...) >= 30 -> 2), or give points per unit of a count or fact")
    if re.match(r"\s*near\s+target\s+within\b", text):          # the setting before the method was written out
        return Said("'near target within' är nu en egen bedömning i regelverket: status nära \"Nära målet\" "
                    "färg yellow när inom 5pp under målvärdet (se docs/methods.md)",
                    "'near target within' is now a status of the ruleset's own: status nära \"Nära målet\" colour "
                    "yellow when within 5pp below target (see docs/methods.md)")
    if re.search(r"\d,\d", rest[:6]):
        return Said("11,2 är ett tal; skilj listans delar åt med komma och mellanslag",
                    "11,2 is one number; separate list items with a comma and a space")
    statement = _statement_at(source, line)
    if statement in ("indicator", "indikator", "bonus"):
        swedish = "bonus" if statement == "bonus" else "indikator"
        english = "bonus" if statement == "bonus" else "indicator"
        return Said(f"{swedish} ID \"text\" MÅTT JÄMFÖRELSE -> POÄNG, t.ex. "
                    "indikator 3.2.4 \"...\" andel(staff, q3.2.4, top2) >= 80% -> 2",
                    f"{english} ID \"text\" MEASURE COMPARISON -> POINTS, e.g. "
                    "indicator 3.2.4 \"...\" share(staff, q3.2.4, top2) >= 80% -> 2")
    if statement in ("scale", "skala"):
        return Said("skala NAMN: 'svar' \"Etikett\", ... och sedan: delmängd top2 = ['svar', 'svar']",
                    "scale NAME: 'answer' \"Label\", ... then: subset top2 = ['answer', 'answer']")
    return None
