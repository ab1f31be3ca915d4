"""Writes syntaxes/impactdsl.tmLanguage.json, the TextMate grammar VS Code colours a ruleset with,
from impactdsl's own declarations, so that a keyword added to the language cannot be forgotten here
(tests/test_vscode_grammar.py regenerates it and wants the same bytes):

- the keywords are the parser's own terminals (`parser().terminals`: the grammar's literals with
  the Swedish spellings of parse/keywords.py beside them, the value words, and a Swedish measure
  word's terminal that matches only before its bracket), plus the measures written NAME(...)
  whose Swedish name differs (`keywords.CALLED`: count/antal);
- what kind of keyword each is comes from where the grammar uses it: the words that open a
  statement (`errors.OPENERS`), a word right before "(" (a measure), a word of a comparison;
- a word is coloured as a keyword only where the parser could read it as one. The parser's
  contextual lexer reads a word as a keyword only where its LALR tables accept that keyword next;
  the grammar here asks the same of what stands on either side of the word on its line: a
  keyword is matched only when what follows it is something the parser accepts after it, and
  after a sign (`->`, `>=`, `=`, `,` ...) or a keyword that a name may follow (`status`, `fakta`,
  `för varje`), a word the parser does not accept there as a keyword is a name. So
  `andel[insats]`, `param mål = 40%`, `-> poäng` and `fakta poäng` stay names, while
  `andel(...)`, `målområde 1`, `betyg mål ...` are keywords.

A word whose neighbours stand on other lines is judged by the side that is on its line; with
neither (a word alone on a line), it is coloured as the keyword it spells.

Run: python editors/vscode/make_grammar.py   (from the checkout; writes the file, prints its path)
     python editors/vscode/make_grammar.py --check   (exit 1 if the file is not what it would write)"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "syntaxes" / "impactdsl.tmLanguage.json"
if str(HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[1]))          # the checkout's impactdsl, not an installed one

from impactdsl.parse.errors import OPENERS  # noqa: E402
from impactdsl.parse.keywords import CALLED, VALUE_TERMINALS  # noqa: E402
from impactdsl.parse.parser import parser  # noqa: E402

SCOPE = "impactdsl"
NOT_KEYWORDS = frozenset({"NAME", "STRING", "LONG_STRING", "ID", "INT", "NUMBER", "COMPARATOR", "COMMENT"})
NUMBERS = frozenset({"ID", "INT", "NUMBER"})
TEXTS = frozenset({"STRING", "LONG_STRING"})
# What kind of keyword a terminal is, the first that fits; each a keyword.* scope.
KINDS = (
    ("measure", "keyword.other.measure"),             # share( andel( count( antal( ...
    ("statement", "keyword.control.statement"),       # indicator indikator goal mål ... end slut
    ("comparison", "keyword.operator.word"),          # at least, minst, between, mellan, within ... of target
    ("unit", "keyword.other.unit"),                   # pp, relative, relativt
    ("value", "keyword.other.value"),                 # half-up, halv-upp, percent, procent, yes, ja, ...
    ("other", "keyword.other"),
)
WORD_START = r"(?<![\w.])"
WORD_END = r"(?![\w.])"
NAME = r"(?!\d)\w+(?:\.\w+)*"                         # the grammar's NAME, less its reserved words


def escape(text: str) -> str:
    """A literal as an Oniguruma expression (only its special characters escaped)."""
    return re.sub(r"([\\^$.|?*+()\[\]{}])", r"\\\1", text)


def _has_letter(pattern) -> bool:
    text = pattern.value if pattern.type == "str" else re.sub(r"\\.|\(\?[:!=<]*", "", pattern.value)
    return any(c.isalpha() for c in text)


class Language:
    """What the grammar generator reads off the parser: its terminals, which of them are keywords
    and of what kind, and which terminals the parser accepts after each one."""

    def __init__(self):
        lark = parser()
        self.terminals = {t.name: t for t in lark.terminals}
        self.keywords = sorted(name for name, t in self.terminals.items()
                               if name not in NOT_KEYWORDS and not name.startswith("__IGNORE")
                               and _has_letter(t.pattern))
        self.signs = sorted(name for name, t in self.terminals.items()
                            if name not in NOT_KEYWORDS and not name.startswith("__IGNORE")
                            and name not in self.keywords)
        self.follow = self._follow(lark)
        self.kind = {name: self._kind(name, lark) for name in self.keywords}

    def regex(self, name: str) -> str:
        pattern = self.terminals[name].pattern
        return escape(pattern.value) if pattern.type == "str" else pattern.value

    def sign_follow(self) -> dict[str, frozenset[str]]:
        """Each sign as written (`>=`, `=`, `->`, `,` ...) -> the terminals the parser accepts after
        it, whichever of its terminals it is read as (`=` is both COMPARATOR and EQUAL)."""
        terminals = [name for name in (*self.signs, "COMPARATOR")]
        characters = sorted({c for name in terminals for c in self.terminals[name].pattern.value
                             if not c.isalnum() and not c.isspace() and c != "\\"})
        found = {}
        for text in characters + [a + b for a in characters for b in characters]:
            matching = [name for name in terminals if re.fullmatch(self.terminals[name].pattern.to_regexp(), text)]
            if matching:
                found[text] = frozenset().union(*(self.follow.get(name, frozenset()) for name in matching))
        return found

    def _follow(self, lark) -> dict[str, frozenset[str]]:
        """Terminal -> the terminals the parser accepts right after it, in any state it is read in."""
        from lark.parsers.lalr_analysis import Shift

        states = lark.parser.parser.parser.parse_table.states
        names = set(self.terminals) | {"$END"}
        follow = defaultdict(set)
        for actions in states.values():
            for symbol, (action, target) in actions.items():
                if action is Shift and symbol in names:
                    follow[symbol] |= {s for s in states[target] if s in names}
        return {name: frozenset(found) for name, found in follow.items()}

    def _kind(self, name: str, lark) -> str:
        uses = defaultdict(set)              # how the grammar uses the terminal
        for rule in lark.rules:
            symbols = [s.name for s in rule.expansion]
            for at, symbol in enumerate(symbols):
                if symbol == name:
                    if at + 1 < len(symbols) and symbols[at + 1] == "LPAR":
                        uses["measure"].add(rule.origin.name)
                    uses["in"].add(rule.origin.name)
        pattern = self.terminals[name].pattern
        if uses["measure"]:
            return "measure"
        if pattern.type == "str" and pattern.value in OPENERS:
            return "statement"
        if uses["in"] & {"comparison", "band"}:
            return "comparison"
        if uses["in"] & {"quantity"}:
            return "unit"
        if name in VALUE_TERMINALS or pattern.type == "re" or uses["in"] & {"yes_no"}:
            return "value"
        return "other"


def lookahead(language: Language, follow: frozenset[str]) -> str:
    """What may follow on the line: a terminal of `follow`, the line's end or a comment."""
    parts = []
    if "NAME" in follow:
        parts.append(r"[^\W\d]")
    else:
        words = sorted({language.regex(t) for t in follow if t in language.keywords}, key=lambda r: (-len(r), r))
        if words:
            parts.append("(?:" + "|".join(f"(?:{w})" for w in words) + ")" + WORD_END)
    if follow & TEXTS:
        parts.append("[\"']")
    if follow & NUMBERS:
        parts.append(r"\d")
    if "COMPARATOR" in follow:
        parts.append("[<>=]")
    parts += sorted(language.regex(t) for t in follow if t in language.signs)
    parts += ["#", "$"]
    return r"(?=\s*(?:" + "|".join(parts) + "))"


def keyword_patterns(language: Language, spanning: bool) -> list[dict]:
    """One pattern per kind and set of followers, its words longest first. `spanning`: the
    patterns whose words span blanks (`excluded from`, `räknas bort ur`, `i poäng`), which come
    before the names after keywords (`i poäng` is not `i` and a name), or the others."""
    groups = defaultdict(list)
    for name in language.keywords:
        groups[(language.kind[name], lookahead(language, language.follow.get(name, frozenset())))].append(
            language.regex(name))
    kinds = [kind for kind, _ in KINDS]
    patterns = []
    for (kind, ahead), words in groups.items():
        words = sorted(set(words), key=lambda r: (-len(r), r))
        spans_blanks = any(r"\s" in w or " " in w for w in words)
        body = "|".join(f"(?:{w})" for w in words)
        if spans_blanks != spanning:
            continue
        patterns.append(((kinds.index(kind), body, ahead),
                         {"match": f"{WORD_START}(?:{body}){WORD_END}{ahead}",
                          "name": f"{dict(KINDS)[kind]}.{SCOPE}"}))
    return [pattern for _, pattern in sorted(patterns, key=lambda p: p[0])]


def names_after_signs(language: Language) -> list[dict]:
    """After a sign (`->`, a comparison, `=`, `,` ...), a word that the parser does not take as a
    keyword there is a name: `-> poäng`, `>= mål`."""
    patterns = []
    for sign, follow in sorted(language.sign_follow().items(), key=lambda s: (-len(s[0]), s[0])):
        if "NAME" not in follow:
            continue
        keywords = sorted({language.regex(t) for t in follow if t in language.keywords}, key=lambda r: (-len(r), r))
        not_keyword = "(?!(?:" + "|".join(f"(?:{k})" for k in keywords) + f"){WORD_END})" if keywords else ""
        patterns.append({"match": f"({escape(sign)})\\s*{not_keyword}({NAME}){WORD_END}(?!\\s*\\()",
                         "captures": {"1": {"patterns": [{"include": "#operators"}, {"include": "#punctuation"}]},
                                      "2": {"name": f"variable.other.{SCOPE}"}}})
    return patterns


def names_after_keywords(language: Language) -> list[dict]:
    """After a keyword that a name may follow (`status`, `fakta`, `för varje`, `ingen` ...), a word
    that the parser does not take as a keyword there is a name: `fakta poäng`, `status ingen`."""
    groups = defaultdict(list)
    for name in language.keywords:
        follow = language.follow.get(name, frozenset())
        if "NAME" in follow:
            keywords = sorted({language.regex(t) for t in follow if t in language.keywords},
                              key=lambda r: (-len(r), r))
            groups[(language.kind[name], tuple(keywords))].append(language.regex(name))
    kinds = [kind for kind, _ in KINDS]
    patterns = []
    for (kind, keywords), words in groups.items():
        words = sorted(set(words), key=lambda r: (-len(r), r))
        body = "|".join(f"(?:{w})" for w in words)
        not_keyword = "(?!(?:" + "|".join(f"(?:{k})" for k in keywords) + f"){WORD_END})" if keywords else ""
        patterns.append(((kinds.index(kind), body),
                         {"match": f"{WORD_START}((?:{body})){WORD_END}\\s+{not_keyword}({NAME}){WORD_END}(?!\\s*\\()",
                          "captures": {"1": {"name": f"{dict(KINDS)[kind]}.{SCOPE}"},
                                       "2": {"name": f"variable.other.{SCOPE}"}}}))
    return [pattern for _, pattern in sorted(patterns, key=lambda p: p[0])]


def grammar(language: Language) -> dict:
    called = sorted(set(CALLED) | set(CALLED.values()), key=lambda w: (-len(w), w))
    return {
        "$comment": "Generated by editors/vscode/make_grammar.py from impactdsl's grammar and keyword table; "
                    "do not edit by hand.",
        "name": "impactdsl",
        "scopeName": f"source.{SCOPE}",
        "fileTypes": ["impact"],
        "patterns": [{"include": f"#{part}"} for part in
                     ("comments", "strings", "numbers", "names-after-signs", "keywords", "calls", "names",
                      "operators", "punctuation")],
        "repository": {
            "comments": {"patterns": [{
                "match": "(#).*$", "name": f"comment.line.number-sign.{SCOPE}",
                "captures": {"1": {"name": f"punctuation.definition.comment.{SCOPE}"}}}]},
            "strings": {"patterns": [
                {"begin": '"""', "end": '"""', "name": f"string.quoted.triple.{SCOPE}",
                 "beginCaptures": {"0": {"name": f"punctuation.definition.string.begin.{SCOPE}"}},
                 "endCaptures": {"0": {"name": f"punctuation.definition.string.end.{SCOPE}"}},
                 "patterns": [{"include": "#placeholder"}]},
                {"begin": '"', "end": '"|$', "name": f"string.quoted.double.{SCOPE}",
                 "beginCaptures": {"0": {"name": f"punctuation.definition.string.begin.{SCOPE}"}},
                 "endCaptures": {"0": {"name": f"punctuation.definition.string.end.{SCOPE}"}},
                 "patterns": [{"include": "#escape"}, {"include": "#placeholder"}]},
                {"begin": "'", "end": "'|$", "name": f"string.quoted.single.{SCOPE}",
                 "beginCaptures": {"0": {"name": f"punctuation.definition.string.begin.{SCOPE}"}},
                 "endCaptures": {"0": {"name": f"punctuation.definition.string.end.{SCOPE}"}},
                 "patterns": [{"include": "#escape"}, {"include": "#placeholder"}]}]},
            "escape": {"match": r"\\.", "name": f"constant.character.escape.{SCOPE}"},
            "placeholder": {"match": r"\{" + NAME + r"\}", "name": f"variable.other.placeholder.{SCOPE}"},
            "numbers": {"patterns": [{
                "match": WORD_START + r"\d+(?:\.\d+)*(?:\.\*)?(?:,\d+)?(?:\s*(%)|(pp)" + WORD_END + ")?",
                "name": f"constant.numeric.{SCOPE}",
                "captures": {"1": {"name": f"keyword.other.unit.percent.{SCOPE}"},
                             "2": {"name": f"keyword.other.unit.pp.{SCOPE}"}}}]},
            "names-after-signs": {"patterns": names_after_signs(language)},
            "keywords": {"patterns": [
                {"match": WORD_START + "(?:" + "|".join(escape(w) for w in called) + r")(?=\s*\()",
                 "name": f"keyword.other.measure.{SCOPE}"},
                *keyword_patterns(language, spanning=True),
                *names_after_keywords(language),
                *keyword_patterns(language, spanning=False)]},
            "calls": {"patterns": [{"match": WORD_START + NAME + r"(?=\s*\()", "name": f"entity.name.function.{SCOPE}"}]},
            "names": {"patterns": [{"match": WORD_START + NAME, "name": f"variable.other.{SCOPE}"}]},
            "operators": {"patterns": [
                {"match": "->", "name": f"keyword.operator.arrow.{SCOPE}"},
                {"match": "[<>]=?|=", "name": f"keyword.operator.comparison.{SCOPE}"},
                {"match": r"[-+*/]", "name": f"keyword.operator.arithmetic.{SCOPE}"},
                {"match": "%", "name": f"keyword.other.unit.percent.{SCOPE}"}]},
            "punctuation": {"patterns": [
                {"match": r"[()]", "name": f"punctuation.section.parens.{SCOPE}"},
                {"match": r"[\[\]]", "name": f"punctuation.section.brackets.{SCOPE}"},
                {"match": ",", "name": f"punctuation.separator.comma.{SCOPE}"},
                {"match": ":", "name": f"punctuation.separator.colon.{SCOPE}"},
                {"match": ";", "name": f"punctuation.terminator.clause.{SCOPE}"}]},
        },
    }


def generated() -> str:
    return json.dumps(grammar(Language()), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = generated()
    if "--check" in argv:
        same = OUTPUT.is_file() and OUTPUT.read_text(encoding="utf-8") == text
        print(f"{OUTPUT}: {'up to date' if same else 'out of date: run python editors/vscode/make_grammar.py'}")
        return 0 if same else 1
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    print(OUTPUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
