"""Every keyword of the language in English and in Swedish, declared once.

The grammar (grammar/impactdsl.lark) is written in English; `swedish_grammar` adds each Swedish
spelling beside its English one before Lark reads it, so `indikator 1.1.1 ...` and
`indicator 1.1.1 ...` parse to the same syntax, and the builder turns a Swedish value word
(`procent`, `halv-upp`) into its English one. The formatter prints English, and
parse/spelling.py turns the keywords of that text into Swedish.

A phrase is translated as a whole: `at least` is `minst`, `each up to` is `per styck upp till`.
Swedish may use one word for two English ones (`över` is both `over` and `above`): the grammar
tells them apart by where they stand, and English is what the model holds."""

from __future__ import annotations

import functools
import re

# English phrase -> Swedish phrase. Words the same in both languages (period, index, status,
# register, param, bonus, text, n, per, person, maximum, tkr, pp) are not listed.
PHRASES: dict[str, str] = {
    # the header
    "ruleset": "regelverk", "association": "förbund", "previous": "föregående", "rounding": "avrundning",
    "to": "till", "missing": "saknade", "at most": "högst", "at least": "minst",
    "minimum": "minsta", "assessed": "bedömda", "total": "totalt", "target index": "målindex",
    "target": "målvärdet",
    # declarations
    "scale": "skala", "subset": "delmängd", "unanswered": "obesvarat", "group": "grupp",
    "subgroups": "undergrupper", "entities": "enheter", "question": "fråga", "multiple": "flerval",
    "count": "räkna", "where": "där", "and": "och", "in": "i", "fact": "fakta",
    # the method
    "english": "engelska", "colour": "färg", "when": "när", "met": "uppnått", "otherwise": "annars",
    "no data": "inga data", "within": "inom", "of": "av", "below": "under", "above": "över",
    "call": "kalla", "area": "målområde", "goal": "mål", "indicator": "indikator", "points": "poäng",
    "grade": "betyg", "goals": "målen", "every": "varje", "share": "andel", "is": "är", "short": "efter",
    "all": "alla", "none": "ingen", "judge": "bedöm", "because": "eftersom",
    # tables, templates, peers
    "table": "tabell", "rows": "rader", "followup": "uppföljning", "column": "kolumn", "split": "uppdelat",
    "template": "mall", "import": "importera", "as": "som", "from": "från", "adapt": "anpassa",
    "weight": "vikt", "map": "koppla",
    # structure and rules
    "each": "för varje", "end": "slut", "each up to": "per styck upp till", "reported": "rapporterat",
    "todo": "att göra",
    "override": "ändra", "note": "notera", "for": "för", "missed": "ej uppnått",
    "more than": "mer än", "less than": "mindre än", "between": "mellan", "yes": "ja", "no": "nej",
    # measures
    "ratio": "kvot", "gap": "skillnad", "increase": "ökning", "decrease": "minskning", "outcome": "utfall",
    "mean_months": "medelmånader", "sum": "summa", "over": "över",
    # value words (terminals whose text the builder reads)
    "relative": "relativt", "percent": "procent", "number": "tal", "yes/no": "ja/nej",
    "half-up": "halv-upp", "half-even": "halv-jämn", "excluded from": "räknas bort ur",
    "included in": "räknas in i", "by points": "i poäng",
}

# The grammar's terminals whose text is a value the builder reads: their Swedish words are added
# as alternatives, and the builder reads them back in English.
VALUE_TERMINALS = ("ROUNDING_MODE", "MISSING_POLICY", "FACT_KIND", "MAP_KIND", "OVERRIDE_OUTCOME",
                   "MULTIPLE", "RELATIVE", "BY_POINTS")

# Measures written NAME(...) (declared by the compiler) whose Swedish name differs.
CALLED = {"count": "antal"}

@functools.cache
def english_of() -> dict[str, str]:
    """Swedish text -> English text, for the value words the builder reads."""
    return {sv: en for en, sv in PHRASES.items()} | {sv: en for en, sv in CALLED.items()}


def english(text: str) -> str:
    """A value word as the model holds it: `procent` is `percent`, `räknas  bort ur` is `excluded from`."""
    squeezed = " ".join(text.split())
    return english_of().get(squeezed, squeezed)


# ---- the grammar ------------------------------------------------------------------------

_WORD_LITERAL = r'"[^"\s]*\w[^"\s]*"'
_LITERAL_RUN = re.compile(f"{_WORD_LITERAL}(?:[ \t]+{_WORD_LITERAL})*")   # keywords in a row, signs aside
_DEFINITION = re.compile(r"^(\??[A-Za-z_][A-Za-z_0-9]*)(\.\d+)?\s*:")


def swedish_grammar(grammar: str) -> str:
    """The grammar with each English keyword phrase given its Swedish spelling beside it.

    In a rule, a run of literal words is read as phrases, the longest first, and each phrase with
    a Swedish spelling becomes `("at" "least" | "minst")`. A measure's word before its bracket
    (`andel(`) is Swedish only when the bracket follows, so that a count a Swedish ruleset names
    `andel` is still a name. In a value terminal, each literal gets its Swedish one as another
    alternative."""
    out, in_rule, terminal, calls = [], False, None, {}
    for line in grammar.split("\n"):
        definition = _DEFINITION.match(line)
        if definition:
            name = definition.group(1).lstrip("?")
            in_rule, terminal = name[0].islower() or name[0] == "_", name
        code, comment = _split_comment(line)
        if not code.strip():
            pass
        elif in_rule:
            code = _LITERAL_RUN.sub(lambda run: _phrases(run, calls), code)
        elif terminal in VALUE_TERMINALS:
            code = _value_alternatives(code)
        out.append(code + comment)
    out += [f"{name}.2: /{re.escape(PHRASES[word])}(?=\\s*\\()/" for name, word in sorted(calls.items())]
    return "\n".join(out)


def call_terminal(word: str) -> str:
    """The terminal of a measure's Swedish word, written before its bracket (`_SV_SHARE`)."""
    return "_SV_" + word.upper()


def _split_comment(line: str) -> tuple[str, str]:
    at = line.find("//")
    return (line, "") if at < 0 else (line[:at], line[at:])


def _phrases(run: re.Match, calls: dict[str, str]) -> str:
    words = [w[1:-1] for w in run.group(0).split()]
    before_bracket = run.string[run.end():].lstrip().startswith('"("')
    pieces, i = [], 0
    while i < len(words):
        for length in range(len(words) - i, 0, -1):
            phrase = " ".join(words[i:i + length])
            if phrase in PHRASES:
                english_words = " ".join(f'"{w}"' for w in words[i:i + length])
                if before_bracket and i + length == len(words) and " " not in phrase:
                    calls[call_terminal(phrase)] = phrase
                    swedish_words = call_terminal(phrase)
                else:
                    swedish_words = " ".join(f'"{w}"' for w in PHRASES[phrase].split())
                pieces.append(f"({english_words} | {swedish_words})")
                i += length
                break
        else:
            pieces.append(f'"{words[i]}"')
            i += 1
    return " ".join(pieces)


def _value_alternatives(code: str) -> str:
    """`FACT_KIND: "percent" | "number"` → a regular expression of both languages' words, whole words
    only, that wins over a name where both may stand (as a literal keyword does); a terminal written
    as a regular expression is left to the grammar file, which spells its Swedish itself."""
    head, _, body = code.partition(":")
    words = re.findall(r'"([^"]+)"', body)
    if not words or re.sub(r'"[^"]+"|\|', "", body).strip():
        return code
    spelled = sorted({w for word in words for w in (word, PHRASES.get(word, word))}, key=lambda w: (-len(w), w))
    pattern = "|".join(re.escape(w).replace("/", "\\/") for w in spelled)
    return f"{head.split('.')[0]}.2: /(?:{pattern})(?!\\w)/"
