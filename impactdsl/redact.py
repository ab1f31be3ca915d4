"""The one step every piece of user text passes before anyone sees it.

Outcome data are about people in vulnerable situations, and rulesets come
from peers we do not control, so any text taken from a file — a cell, a
label, a header, a sheet name, a YAML key, a ruleset text, a file name — is
*redacted* before it reaches a message, an explanation or a report:

- anything shaped like a Swedish personal identity number (personnummer,
  YYMMDD-XXXX or YYYYMMDDXXXX, with or without a separator, also inside a
  longer text) or coordination number (samordningsnummer, the day plus 60)
  has its digits replaced by '#', keeping its shape: 850101-1234 → ######-####;
- invisible characters (zero-width spaces and joiners, a soft hyphen) are
  removed, and control characters (ESC, BEL, NUL …), bidirectional overrides
  and lone surrogates are written out as visible escapes (\\x1b, \\u202e), so
  no text can drive a terminal, reorder a line, hide a number inside itself or
  break a file format;
- with a `limit`, the text is cut to that many characters with "…".

The same pattern, anchored to a whole cell, is how readers recognise a column
of identity numbers and refuse it (`is_identity`); DuckDB is given its RE2
form (`IDENTITY_CELL_RE2`)."""

from __future__ import annotations

import functools
import re

# A date as an identity number writes it: an optional century (18, 19, 20),
# the year, a month 01-12 and a day 01-31, or 61-91 in a samordningsnummer.
_DATE = r"(?:18|19|20)?[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])"
# Between the date and the last four digits people write a hyphen, a plus, a dash of any width,
# a space or nothing; in a text anything that a renderer could later turn into a space counts too
# (tabs, no-break and ideographic spaces), and slashes, dots and underscores, a few of them.
_DASHES = "-+" + "".join(chr(c) for c in range(0x2010, 0x2016))
_SEPARATOR = rf"[{_DASHES}\s\u00a0\u2000-\u200a\u3000/._:]{{0,3}}"
# A whole cell, as a column of identity numbers holds them (spaces removed first); the same pattern
# is given to DuckDB, whose RE2 reads the literal dashes alike.
IDENTITY_CELL_RE2 = f"^{_DATE}[{_DASHES}]?[0-9]{{4}}$"
# Inside a text no boundary is asked for: a number glued to other digits is masked too (a long
# number in a text may lose ten of its digits to '#', never a person their identity).
_IDENTITY_IN_TEXT = rf"{_DATE}{_SEPARATOR}[0-9]{{4}}"


@functools.cache
def _pattern(source: str) -> re.Pattern:
    """A pattern compiled when first needed: most runs show no user text at all."""
    return re.compile(source)

# Invisible characters (soft hyphen, zero-width spaces and joiners, word joiner, byte-order mark)
# are removed first: they show nothing, and could hide inside a number.
_INVISIBLE = re.compile("[\xad\u200b-\u200d\u2060-\u2064\ufeff]")
# C0 and C1 controls (tab excepted), DEL, the bidirectional marks, embeddings, overrides and
# isolates, line and paragraph separators, lone surrogates and the two non-characters that XML
# refuses: shown as escapes.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                      "\ud800-\udfff\ufffe\uffff]")
_SIX_DIGITS = re.compile(r"[0-9]{6}")        # no identity number without a date's six digits in a row

ELLIPSIS = "…"


def _mask(match: re.Match) -> str:
    return re.sub(r"[0-9]", "#", match.group(0))


def _visible(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def redact(text: str, limit: int | None = None) -> str:
    """`text` with identity numbers masked and control characters made visible, at most `limit` long."""
    text = str(text)
    if not text.isprintable() or _SIX_DIGITS.search(text):      # the common case is one quick look
        text = _CONTROL.sub(_visible, _pattern(_IDENTITY_IN_TEXT).sub(_mask, _INVISIBLE.sub("", text)))
    if limit is not None and len(text) > limit:
        text = text[:max(limit - 1, 0)] + ELLIPSIS
    return text


def redact_optional(text: str | None, limit: int | None = None) -> str | None:
    return None if text is None else redact(text, limit)


def is_identity(cell: str) -> bool:
    """Whether a whole cell (spaces aside) is a personnummer or samordningsnummer."""
    return len(cell) >= 10 and _pattern(IDENTITY_CELL_RE2).match(cell.replace(" ", "")) is not None


def holds_identity(text: str) -> bool:
    """Whether an identity number stands anywhere in `text`."""
    return _pattern(_IDENTITY_IN_TEXT).search(text) is not None


def identity_at(text: str) -> int | None:
    """Where the first identity number in `text` starts, or None."""
    found = _pattern(_IDENTITY_IN_TEXT).search(text)
    return found.start() if found else None


# Fields of the model that hold no text a person wrote: hashes, the import pins and the files read
# (compared by identity, so they must stay exact).
_NOT_TEXT = frozenset({"sha256", "imports", "inputs"})
_TEXT_TYPE = re.compile(r"\bstr\b")


def redacted(value):
    """A text, or a tuple or set of texts (nested), redacted; anything else as it is. Unchanged
    values come back as the same object."""
    if type(value) is str:
        return value if value.isprintable() and not _SIX_DIGITS.search(value) else redact(value)
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
