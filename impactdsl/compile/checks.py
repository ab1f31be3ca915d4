"""Static checks on a compiled ruleset, each a small function (Beancount's validations).

They find what compiles but is probably not what the methodologist meant."""

from __future__ import annotations

import functools
import re
from fractions import Fraction

from impactdsl.compile import model as m
from impactdsl.core.arithmetic import format_number, index
from impactdsl.core.diagnostics import Diagnostic, Said, warning
from impactdsl.core.kinds import Op, Unit

WEIGHT_TOLERANCE = Fraction(5)


def planned_weights(ruleset: m.Ruleset) -> list[Diagnostic]:
    """Planned weights ("+/- 5 %") against each area's share of the total maximum."""
    total = sum(i.value for i in ruleset.indicators)
    problems = []
    for area in ruleset.areas:
        if area.weight is None or total == 0:
            continue
        maximum = sum(i.value for i in area.indicators)
        actual = index(Fraction(maximum), Fraction(total), ruleset.settings.rounding)
        if abs(actual - area.weight) > WEIGHT_TOLERANCE:
            planned, made = format_number(area.weight), format_number(actual)
            problems.append(warning(
                "weight", Said(f"målområde {area.id} är planerat till {planned} % av indexet men dess indikatorer "
                               f"ger {made} % ({maximum} av {total} poäng)",
                               f"area {area.id} is planned at {planned} % of the index but its indicators make "
                               f"{made} % ({maximum} of {total} points)"), area.span,
                Said("ändra indikatorernas värden eller den planerade vikten så att de skiljer sig högst 5 "
                     "procentenheter",
                     "change indicator values or the planned weight so they are at most 5 points apart")))
    return problems


def planned_weights_sum(ruleset: m.Ruleset) -> list[Diagnostic]:
    weights = [a.weight for a in ruleset.areas if a.weight is not None]
    if weights and len(weights) == len(ruleset.areas) and sum(weights) != 100:
        added = format_number(sum(weights))
        return [warning("weight", Said(f"de planerade vikterna blir sammanlagt {added} %, inte 100 %",
                                       f"the planned weights add up to {added} %, not 100 %"),
                        ruleset.areas[0].span, Said("de planerade vikterna fördelar hela indexet",
                                                    "planned weights share out the whole index"))]
    return []


def empty_goals(ruleset: m.Ruleset) -> list[Diagnostic]:
    return [warning("structure", Said(f"målet {g.id} har inga indikatorer", f"goal {g.id} has no indicators"), g.span,
                    Said("lägg till indikatorer eller ta bort målet", "add indicators or remove the goal"))
            for a in ruleset.areas for g in a.goals if not g.indicators]


# A target as an indicator's text states it: any percentage ("80 % av personalen", "högst 6 %"), or a
# number after a comparison ("minst 20 000 tkr", "högst 10 dagar", "at least 12").
_NUMBER = r"(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:[.,](\d+))?"
_STATED = {                                     # compiled when first asked, only for the units there are
    Unit.PERCENT: rf"(?<![\d.,]){_NUMBER}\s*(?:%|procent\b|percent\b)",
    Unit.NUMBER: rf"(?:minst|högst|maximalt|mer än|fler än|mindre än|färre än|at least|at most|more than|fewer than|"
                 rf"less than|≥|≤|>=|<=)\s+{_NUMBER}(?!\s*(?:%|procent|percent))",
}


@functools.cache
def _stated(unit: str) -> re.Pattern:
    return re.compile(_STATED[unit], re.IGNORECASE)


def target_texts(ruleset: m.Ruleset) -> list[Diagnostic]:
    """An indicator whose text states a target the rule does not have ("minst 85 %" over `>= 80%`),
    as after a peer's `adapt target` that left the peer's text: the board reads the text."""
    problems = []
    for ind in ruleset.indicators:
        c = ind.criterion
        if c is None or c.computed or c.unit not in (Unit.PERCENT, Unit.NUMBER) or isinstance(c.bound, bool):
            continue
        targets = {c.bound} | ({c.upper} if c.op == Op.BETWEEN else set()) if (
            Op(c.op).single_bound or c.op == Op.BETWEEN) else set()
        found = _stated(c.unit).findall(ind.text)
        stated = [Fraction(whole.replace(" ", "").replace("\u00a0", "") + (f".{part}" if part else ""))
                  for whole, part in found]
        if targets and stated and not targets & set(stated):
            unit = " %" if c.unit == Unit.PERCENT else ""
            said = format_number(stated[0])
            ruled = [format_number(x) for x in sorted(targets)]
            problems.append(warning(
                "target-text", Said(f"texten till {ind.id} anger {said}{unit} men regelns målvärde är "
                                    f"{' och '.join(ruled)}{unit}",
                                    f"the text of {ind.id} states {said}{unit} but its rule's target is "
                                    f"{' and '.join(ruled)}{unit}"), ind.span,
                Said(f"ett målvärde från ett annat förbunds regelverk anpassades här: anpassa texten också, "
                     f"anpassa text {ind.id} \"...\"",
                     f"a peer's target was adapted here: adapt its text too, adapt text {ind.id} \"...\"") if any(
                    what == "target" for what, _, _ in ind.origin) else
                Said("styrelsen läser texten: låt texten och regeln ange samma målvärde",
                     "the board reads the text: make the text and the rule say the same target")))
    return problems


CHECKS = (planned_weights, planned_weights_sum, empty_goals, target_texts)


def run_checks(ruleset: m.Ruleset) -> list[Diagnostic]:
    return [d for check in CHECKS for d in check(ruleset)]
