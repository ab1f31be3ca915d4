"""What the parser knows at a place in a ruleset's text that is being written: the word begun there,
the keywords and kinds of token that may come next, and the brackets open around it. An editor's
completion (`impactdsl lsp`) offers from this; the text need not parse as a whole, since the
parser reads only the statement the place is in, up to the place."""

from __future__ import annotations

import re

import attrs

from impactdsl.parse.keywords import CALLED, PHRASES, call_terminal, english
from impactdsl.parse.parser import _terminal_literals, parser

_WORD = re.compile(r"[\w.]*\Z")
_QUOTES = "'\""


@attrs.frozen
class Place:
    """`word`: what is written of the word at the place (from its quote, in a text); `keywords`: the
    keywords that may come next, phrases whole, in both languages; `names`, `texts`: whether a name
    or a text in quotes may; `brackets`: the brackets open there, outermost first, each as what
    opened it (a measure's English name, a template's name, or '[') and the arguments written in it
    so far, as text; `line_start`: only the word stands before the place on its line. `known`:
    False when the statement does not parse up to the place, and nothing else is known."""

    word: str = ""
    keywords: frozenset[str] = frozenset()
    names: bool = True
    texts: bool = True
    brackets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    line_start: bool = False
    known: bool = False


def place(text: str, offset: int) -> Place:
    """The place `offset` characters into `text`."""
    from lark.exceptions import LarkError, UnexpectedCharacters

    from impactdsl.parse.incremental import pieces

    before = pieces(text[:offset])[-1][1]           # the statement the place is in, up to the place
    word = _WORD.search(before).group(0)
    line_start = not text[text.rfind("\n", 0, offset) + 1:offset - len(word)].strip()
    fed = before[:len(before) - len(word)]
    for _ in range(2):
        interactive = parser().parse_interactive(fed)
        tokens = []
        try:
            for token in interactive.iter_parse():
                tokens.append(token)
        except UnexpectedCharacters as exc:         # a text begun at the place: its quote opens the word
            if fed[exc.pos_in_stream:exc.pos_in_stream + 1] in _QUOTES:
                word, fed = fed[exc.pos_in_stream:] + word, fed[:exc.pos_in_stream]
                line_start = False
                continue
            return Place(word, line_start=line_start)
        except LarkError:
            return Place(word, line_start=line_start)
        break
    accepts = interactive.accepts()
    return Place(word, _keywords(interactive, accepts), "NAME" in accepts, bool({"STRING", "LONG_STRING"} & accepts),
                 _brackets(tokens), line_start, True)


def _keywords(interactive, accepts: set[str]) -> frozenset[str]:
    """The keywords of the accepted terminals, and each phrase of several words that the parser
    takes whole from here (`at least` and `minst` after a measure, `each up to` only after points)."""
    from lark import Token
    from lark.exceptions import LarkError

    literals = _terminal_literals()
    words = {literals[name] for name in accepts if name in literals}
    words |= {PHRASES[measure] for measure in PHRASES if call_terminal(measure) in accepts}
    found = {w for w in words if any(c.isalpha() for c in w)}
    terminals = {text: name for name, text in literals.items()}
    for phrase in _PHRASES:
        names = [terminals.get(w) for w in phrase.split()]
        if phrase.split()[0] not in words or None in names:
            continue
        trial = interactive.copy()
        try:
            for name, w in zip(names, phrase.split()):
                trial.feed_token(Token(name, w))
        except LarkError:
            continue
        found.add(phrase)
    alone = set(PHRASES) | set(PHRASES.values())         # `each` is a keyword alone, `at` only in a phrase
    return frozenset(found - {p.split()[0] for p in found if " " in p and p.split()[0] not in alone})


_PHRASES = tuple(p for p in list(PHRASES) + list(PHRASES.values()) if " " in p)


def _brackets(tokens) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The brackets open after `tokens`: (what opened each, its arguments so far)."""
    open_: list[tuple[str, list[list[str]]]] = []
    previous = None
    for token in tokens:
        kind, value = token.type, str(token)
        if kind in ("LPAR", "LSQB"):
            opener = "[" if kind == "LSQB" else _called(previous)
            open_.append((opener, [[]]))
        elif kind in ("RPAR", "RSQB") and open_:
            opener, arguments = open_.pop()
            written = ", ".join(" ".join(a) for a in arguments)
            if open_:
                open_[-1][1][-1].append(f"[{written}]" if opener == "[" else f"({written})")
        elif kind == "COMMA" and open_:
            open_[-1][1].append([])
        elif open_:
            open_[-1][1][-1].append(value)
        previous = token
    return tuple((opener, tuple(" ".join(a) for a in arguments)) for opener, arguments in open_)


def _called(token) -> str:
    """What a bracket opens: a measure's English name (`andel(` is share), a template's, or '('."""
    if token is None or not any(c.isalpha() for c in str(token)):
        return "("
    word = str(token)
    return english(word) if word in CALLED.values() or word in PHRASES.values() else word
