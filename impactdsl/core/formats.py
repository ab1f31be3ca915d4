"""Numbers as Swedish (or English) readers expect them.

Swedish: decimal comma, a space before %, a (no-break) space between
thousands: "11,2 %", "2 450 tkr". English: "11.2%", "2,450 kSEK". Each
language's marks are one entry of `STYLES`."""


from typing import NamedTuple

from impactdsl.core.arithmetic import format_number
from impactdsl.core.kinds import Lang, Unit

NBSP = "\u00a0"


class Style(NamedTuple):
    """How one language writes numbers: its separators and the words after a value."""

    thousands: str
    decimal: str
    percent: str                # after a percentage
    points: str                 # after a difference of percentages
    relative: str               # after a relative change
    kronor: str                 # after thousands of kronor
    yes: str
    no: str


STYLES = {
    Lang.SV: Style(NBSP, ",", NBSP + "%", " procentenheter", " relativt", NBSP + "tkr", "ja", "nej"),
    Lang.EN: Style(",", ".", "%", " pp", " relative", " kSEK", "yes", "no"),
}


def number(value, lang: str = "sv", decimals: int = 1) -> str:
    if value is None:
        return "–"
    style = STYLES[lang]
    text = format_number(value, decimals, comma=False)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, part = text.partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:]] + groups
    whole = style.thousands.join([whole] + groups)
    return sign + whole + ((style.decimal + part) if part else "")


def percent(value, lang: str = "sv", decimals: int = 1) -> str:
    if value is None:
        return "–"
    return number(value, lang, decimals) + STYLES[lang].percent


def points_difference(value, lang: str = "sv") -> str:
    """Percentage points: "5 procentenheter" / "5 pp"."""
    if value is None:
        return "–"
    return number(value, lang) + STYLES[lang].points


def kronor_thousands(value, lang: str = "sv") -> str:
    return number(value, lang, 0) + STYLES[lang].kronor


def signed(value, lang: str = "sv") -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + number(value, lang)


def value(value, unit: str, lang: str = "sv") -> str:
    """A measured value in its unit, the way the reports write it (a yes/no fact as ja/nej)."""
    if isinstance(value, bool):
        return STYLES[lang].yes if value else STYLES[lang].no
    return VALUES[unit](value, lang)


def _relative(value, lang: str) -> str:
    return percent(value, lang) + STYLES[lang].relative


VALUES = {                                  # each unit a value can be shown in
    Unit.PERCENT: percent,
    Unit.PP: points_difference,
    Unit.RELATIVE: _relative,
    Unit.TKR: kronor_thousands,
    Unit.NUMBER: number,
    Unit.YES_NO: number,                    # a yes/no fact's value is a bool (above); its bound too
    Unit.STATUS: number,                    # a reported status has no value: shown as –
}
