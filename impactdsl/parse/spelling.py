"""A ruleset text's keywords in the other language, token by token as the parser reads them, so a
name, a text or a comment that happens to be a keyword is never touched (`fmt --keywords sv`).

The formatter prints English keywords; `translate` turns them into Swedish, a phrase as a whole
(`at least` is `minst`). `spelling` tells which language a file is written in, so that `fmt`
keeps it."""

from __future__ import annotations

from impactdsl.parse.keywords import CALLED, PHRASES
from impactdsl.parse.parser import parser

_NOT_KEYWORDS = frozenset({"NAME", "STRING", "LONG_STRING", "ID", "INT", "NUMBER", "COMPARATOR"})


def keyword_tokens(text: str) -> list[tuple[int, int, str, bool]]:
    """The keywords of a ruleset text as the parser reads them: (start, end, text, is a call name).
    A text that does not parse gives the keywords up to the error."""
    from lark.exceptions import LarkError

    tokens, found = [], []
    try:
        for token in parser().parse_interactive(text).iter_parse():
            tokens.append(token)
    except LarkError:
        pass
    for at, token in enumerate(tokens):
        following = tokens[at + 1].type if at + 1 < len(tokens) else None
        if token.type == "NAME" and following == "LPAR" and (token.value in CALLED
                                                              or token.value in CALLED.values()):
            found.append((token.start_pos, token.end_pos, token.value, True))
        elif token.type not in _NOT_KEYWORDS and any(c.isalpha() for c in token.value):
            found.append((token.start_pos, token.end_pos, " ".join(token.value.split()), False))
    return found


def spelling(text: str) -> str:
    """The language a ruleset's keywords are written in: 'sv' when more of them are Swedish words
    than English ones (a word the same in both counts for neither), else 'en'."""
    swedish = set(" ".join(PHRASES.values()).split()) | set(CALLED.values())
    english_words = set(" ".join(PHRASES).split()) | set(CALLED)
    counts = {"sv": 0, "en": 0}
    for _, _, word, _ in keyword_tokens(text):
        for part in word.split():
            if part in swedish and part not in english_words:
                counts["sv"] += 1
            elif part in english_words and part not in swedish:
                counts["en"] += 1
    return "sv" if counts["sv"] > counts["en"] else "en"


def translate(text: str, language: str) -> str:
    """A ruleset text in English keywords (as the formatter prints it) with its keywords in
    `language`; names, texts, numbers and comments unchanged."""
    if language == "en":
        return text
    tokens = keyword_tokens(text)
    out, written, i = [], 0, 0
    while i < len(tokens):
        start, end, word, is_call = tokens[i]
        if is_call:
            out += [text[written:start], CALLED.get(word, word)]
            written, i = end, i + 1
            continue
        for length in range(min(4, len(tokens) - i), 0, -1):
            run = tokens[i:i + length]
            phrase = " ".join(w for _, _, w, call in run)
            if phrase in PHRASES and not any(call for *_, call in run) and _adjacent(text, run):
                out += [text[written:run[0][0]], PHRASES[phrase]]
                written, i = run[-1][1], i + length
                break
        else:
            i += 1
    return "".join(out) + text[written:]


def _adjacent(text: str, run) -> bool:
    """Keywords only blanks apart: a phrase, not two keywords with a comment or a line between."""
    return all(not text[a[1]:b[0]].strip() and "\n" not in text[a[1]:b[0]] for a, b in zip(run, run[1:]))
