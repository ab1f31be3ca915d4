"""The one step every piece of user text passes before anyone sees it.

Outcome data are about people in vulnerable situations, and rulesets come
from peers we do not control, so any text taken from a file — a cell, a
label, a header, a sheet name, a YAML key, a ruleset text, a file name — is
*redacted* before it reaches a message, an explanation or a report:

- invisible characters (zero-width spaces and joiners, a soft hyphen,
  variation selectors, tags: anything that shows nothing) are removed, so
  none can hide inside a number;
- anything shaped like a Swedish personal identity number (personnummer,
  YYMMDD-XXXX or YYYYMMDDXXXX) or coordination number (samordningsnummer,
  the day plus 60) — in any script's digits, with any spaces and up to three
  dashes, slashes, dots, commas or colons between the date and the last four,
  also inside a longer text or glued to other digits — has its digits
  replaced by '#', keeping its shape: 850101-1234 → ######-####;
- control characters (ESC, BEL, NUL …), bidirectional overrides and lone
  surrogates are written out as visible escapes (\\x1b, \\u202e), so no text
  can drive a terminal, reorder a line or break a file format;
- with a `limit`, the text is cut to that many characters with "…".

Reports are made of such texts; what they put next to each other (an area's
id and its title) passes `mask_identities` once more as a whole, so no
number can be made of two harmless halves. The same pattern, anchored to a
whole cell, is how readers recognise a column of identity numbers and refuse
it (`is_identity`); DuckDB is given its RE2 form (`IDENTITY_CELL_RE2`)."""

from __future__ import annotations

import functools
import re
import unicodedata

# A date as an identity number writes it: an optional century (18, 19, 20),
# the year, a month 01-12 and a day 01-31, or 61-91 in a samordningsnummer.
_DATE = r"(?:18|19|20)?[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])"
# Between the date and the last four digits people write a hyphen, a plus, a dash of any width,
# a space or nothing; in a text, spaces of any kind and any number (a renderer squeezes them to
# one) and a few slashes, dots, commas, colons and underscores count too.
_DASHES = "-+\uff0d" + "".join(chr(c) for c in range(0x2010, 0x2016))
# Any script's dashes, minus signs, slashes, dots and colons, and control characters (shown later as
# escapes, so that none can part the date from the last four unseen).
_TEXT_MARKS = (_DASHES + "\u058a\u05be\u1400\u1806\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030"
               "\u30a0\ufe31\ufe32\ufe58\ufe63\u2212\u02d7\u2796\u207b\u208b\uff0f\u2215\u2044\u29f8"
               "\u00b7\u2027\u2043\u30fb\uff0e\u2024\uff0c\uff1a\x00-\x08\x0e-\x1b\x7f-\x9f")
_SEPARATOR = rf"\s*(?:[{_TEXT_MARKS}/.,:_]\s*){{0,3}}"
# A whole cell, as a column of identity numbers holds them (spaces removed first); the same pattern
# is given to DuckDB, whose RE2 reads the literal dashes alike.
IDENTITY_CELL_RE2 = f"^{_DATE}[{_DASHES}]?[0-9]{{4}}$"
# Inside a text no boundary is asked for: a number glued to other digits is masked too (a long
# number in a text may lose ten of its digits to '#', never a person their identity).
_IDENTITY_IN_TEXT = rf"{_DATE}{_SEPARATOR}[0-9]{{4}}"

# Characters that show nothing: removed before anything else is looked at.
_INVISIBLE = ("\xad\u034f\u0600-\u0605\u06dd\u070f\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d"
              "\u2060-\u2064\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd"
              "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff")
# C0 and C1 controls (tab excepted), DEL, the bidirectional marks, embeddings, overrides and
# isolates, line and paragraph separators, lone surrogates and the two non-characters that XML
# refuses: shown as escapes.
_CONTROL = ("\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
            "\ud800-\udfff\ufffe\uffff")
# The quick look: a text with six digits in a row (of any script, invisible marks between them
# allowed) may hold an identity number; a text with none and nothing unprintable needs no work.
_MAYBE = rf"(?:\d[{_INVISIBLE}]*){{6}}"

ELLIPSIS = "…"


@functools.cache
def _pattern(source: str) -> re.Pattern:
    """A pattern compiled when first needed: most runs show no user text at all."""
    return re.compile(source)


def _ascii_digits(text: str) -> str:
    """The text with every decimal digit of another script as its ASCII digit (one for one)."""
    if text.isascii() or not _pattern(r"(?![0-9])\d").search(text):     # no digit of another script
        return text
    return "".join(str(unicodedata.decimal(c)) if not c.isascii() and unicodedata.decimal(c, None) is not None
                   else c for c in text)


def _masked(text: str) -> str:
    """Identity numbers masked, found on the text read with ASCII digits, masked in the text as written."""
    read = _ascii_digits(text)
    spans = [match.span() for match in _pattern(_IDENTITY_IN_TEXT).finditer(read)]
    if not spans:
        return text
    characters = list(text)
    for start, end in spans:
        for at in range(start, end):
            if read[at].isdigit():
                characters[at] = "#"
    return "".join(characters)


def _visible(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _needs_work(text: str) -> bool:
    return not text.isprintable() or _pattern(_MAYBE).search(text) is not None


def redact(text: str, limit: int | None = None) -> str:
    """`text` with invisible characters removed, identity numbers masked and control characters made
    visible, at most `limit` characters long."""
    text = str(text)
    if _needs_work(text):                                   # the common case is one quick look
        text = _pattern(f"[{_INVISIBLE}]").sub("", text)
        text = _pattern(f"[{_CONTROL}]").sub(_visible, _masked(text))
    if limit is not None and len(text) > limit:
        text = text[:max(limit - 1, 0)] + ELLIPSIS
    return text


def redact_optional(text: str | None, limit: int | None = None) -> str | None:
    return None if text is None else redact(text, limit)


def mask_identities(text: str) -> str:
    """Identity numbers masked in a whole output made of redacted texts (lines, markup and all)."""
    return _masked(text) if _pattern(_MAYBE).search(text) else text


def is_identity(cell: str) -> bool:
    """Whether a whole cell (spaces aside) is a personnummer or samordningsnummer."""
    return len(cell) >= 10 and _pattern(IDENTITY_CELL_RE2).match(_ascii_digits(cell.replace(" ", ""))) is not None


def holds_identity(text: str) -> bool:
    """Whether an identity number stands anywhere in `text`."""
    return identity_at(text) is not None


def identity_at(text: str) -> int | None:
    """Where the first identity number in `text` starts, or None."""
    found = _pattern(_IDENTITY_IN_TEXT).search(_ascii_digits(_pattern(f"[{_INVISIBLE}]").sub("", text)))
    return found.start() if found else None


# Fields of the model that hold no text a person wrote: hashes, the import pins and the files read
# (compared by identity, so they must stay exact).
_NOT_TEXT = frozenset({"sha256", "imports", "inputs"})
_TEXT_TYPE = re.compile(r"\bstr\b")


def redacted(value):
    """A text, or a tuple or set of texts (nested), redacted; anything else as it is. Unchanged
    values come back as the same object."""
    if type(value) is str:
        return redact(value) if _needs_work(value) else value
    if isinstance(value, tuple):
        items = tuple(redacted(v) for v in value)
        return value if all(a is b for a, b in zip(items, value)) else items
    if isinstance(value, frozenset):
        items = frozenset(redacted(v) for v in value)
        return value if items == value else items
    return value


def texts_redacted(cls, fields):
    """An attrs field transformer: every field whose declared type holds text gets `redacted` as its
    converter. Used for every class of the compiled model, so a ruleset — ours, a peer's or an
    exported one — can hold no unredacted text, whichever code builds it and whatever it is named."""
    return [f.evolve(converter=redacted)
            if f.converter is None and f.name not in _NOT_TEXT and _TEXT_TYPE.search(str(f.type)) else f
            for f in fields]
