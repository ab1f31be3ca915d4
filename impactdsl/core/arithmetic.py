"""Exact numbers and the ruleset's rounding: shares are Fractions, never floats.

Percentages are held on the 0–100 scale. Rounding is the ruleset's policy,
applied where the reports apply it: to a share computed from counts, before
it is compared (125/129 = 96.9 % is judged as 97 %)."""

from __future__ import annotations

import math
from fractions import Fraction

import attrs


@attrs.frozen
class Rounding:
    """`mode` is 'half-up', 'half-even' or 'none'; `step` in percent (1 = whole percent)."""

    mode: str = "none"
    step: Fraction = Fraction(1)

    def share(self, part: int, whole: int) -> Fraction:
        """100 * part / whole, rounded: the same as apply(percent(part, whole)), in integers."""
        if self.mode == "none":
            return Fraction(100 * part, whole)
        p, q = self.step.numerator, self.step.denominator
        numerator, denominator = 100 * part * q, whole * p          # value / step
        if self.mode == "half-up":
            whole_steps = (2 * numerator + denominator) // (2 * denominator)
        else:
            whole_steps = round(Fraction(numerator, denominator))
        return whole_steps * self.step

    def apply(self, value: Fraction) -> Fraction:
        if self.mode == "none":
            return value
        units = value / self.step
        if self.mode == "half-up":
            whole = math.floor(units + Fraction(1, 2))
        else:
            whole = round(units)  # Fraction rounds half to even
        return whole * self.step



OPERATIONS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
              "/": lambda a, b: a / b}


def apply(op: str, left: Fraction, right: Fraction, factor: Fraction = Fraction(1)) -> Fraction | None:
    """`left op right` times `factor`, exactly; None for a division by zero."""
    if op == "/" and right == 0:
        return None
    return OPERATIONS[op](Fraction(left), Fraction(right)) * factor


def percent(part: int, whole: int) -> Fraction:
    return Fraction(100 * part, whole)


def index(achieved: Fraction, maximum: Fraction, rounding: Rounding) -> Fraction | None:
    """achieved / maximum as a whole percent, rounded the ruleset's way (half-up when it says none)."""
    if maximum == 0:
        return None
    mode = rounding.mode if rounding.mode != "none" else "half-up"
    return Rounding(mode, Fraction(1)).apply(percent(achieved, maximum))


def format_number(value: Fraction | int, decimals: int = 1, comma: bool = True) -> str:
    """11.2 → '11,2'; 80 → '80'; the Swedish decimal comma unless asked otherwise."""
    if not isinstance(value, Fraction):                 # a Fraction made again costs as much as the rest
        value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    scaled = math.floor(abs(value) * 10 ** decimals + Fraction(1, 2))
    text = f"{scaled // 10 ** decimals}.{scaled % 10 ** decimals:0{decimals}d}".rstrip("0").rstrip(".")
    text = ("-" if value < 0 else "") + text
    return text.replace(".", ",") if comma else text
