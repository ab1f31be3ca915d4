"""Static checks on a compiled ruleset, each a small function (Beancount's validations).

They find what compiles but is probably not what the methodologist meant."""

from __future__ import annotations

from fractions import Fraction

from impactdsl.compile import model as m
from impactdsl.core.arithmetic import format_number, index
from impactdsl.core.diagnostics import Diagnostic, warning

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
            problems.append(warning(
                "weight", f"area {area.id} is planned at {format_number(area.weight)} % of the index but "
                f"its indicators make {format_number(actual)} % ({maximum} of {total} points)", area.span,
                "change indicator values or the planned weight so they are at most 5 points apart"))
    return problems


def planned_weights_sum(ruleset: m.Ruleset) -> list[Diagnostic]:
    weights = [a.weight for a in ruleset.areas if a.weight is not None]
    if weights and len(weights) == len(ruleset.areas) and sum(weights) != 100:
        return [warning("weight", f"the planned weights add up to {format_number(sum(weights))} %, not 100 %",
                        ruleset.areas[0].span, "planned weights share out the whole index")]
    return []


def empty_goals(ruleset: m.Ruleset) -> list[Diagnostic]:
    return [warning("structure", f"goal {g.id} has no indicators", g.span, "add indicators or remove the goal")
            for a in ruleset.areas for g in a.goals if not g.indicators]


CHECKS = (planned_weights, planned_weights_sum, empty_goals)


def run_checks(ruleset: m.Ruleset) -> list[Diagnostic]:
    return [d for check in CHECKS for d in check(ruleset)]
