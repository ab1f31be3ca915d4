"""Numbers as Swedish (or English) readers expect them.

Swedish: decimal comma, a space before %, a (no-break) space between
thousands: "11,2 %", "2 450 tkr". English: "11.2%", "2,450 kSEK"."""

from __future__ import annotations

from impactdsl.core.arithmetic import format_number
from impactdsl.core.kinds import Unit

NBSP = "\u00a0"


def number(value, lang: str = "sv", decimals: int = 1) -> str:
    if value is None:
        return "–"
    text = format_number(value, decimals, comma=False)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, part = text.partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:]] + groups
    whole = (NBSP if lang == "sv" else ",").join([whole] + groups)
    return sign + whole + ((("," if lang == "sv" else ".") + part) if part else "")


def percent(value, lang: str = "sv", decimals: int = 1) -> str:
    if value is None:
        return "–"
    return number(value, lang, decimals) + (NBSP + "%" if lang == "sv" else "%")


def points_difference(value, lang: str = "sv") -> str:
    """Percentage points: "5 procentenheter" / "5 pp"."""
    if value is None:
        return "–"
    return number(value, lang) + (" procentenheter" if lang == "sv" else " pp")


def kronor_thousands(value, lang: str = "sv") -> str:
    return number(value, lang, 0) + (NBSP + "tkr" if lang == "sv" else " kSEK")


def signed(value, lang: str = "sv") -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + number(value, lang)


def value(value, unit: str, lang: str = "sv") -> str:
    """A measured value in its unit, the way the reports write it (a yes/no fact as ja/nej)."""
    if isinstance(value, bool):
        return {("sv", True): "ja", ("sv", False): "nej"}.get((lang, value), "yes" if value else "no")
    return VALUES[unit](value, lang)


def _relative(value, lang: str) -> str:
    return percent(value, lang) + (" relativt" if lang == "sv" else " relative")


VALUES = {                                  # each unit a value can be shown in
    Unit.PERCENT: percent,
    Unit.PP: points_difference,
    Unit.RELATIVE: _relative,
    Unit.TKR: kronor_thousands,
    Unit.NUMBER: number,
    Unit.YES_NO: number,                    # a yes/no fact's value is a bool (above); its bound too
}
