"""Goals and units judged from their parts, and the index. Pure.

A goal's parts are its indicators, judged by the ruleset's statuses; a unit's
are its goals when the ruleset grades goals, else its indicators. The bands
of a level are tried in order and the first whose conditions all hold is the
judgement. Only assessed parts count, and a goal or unit with fewer of them
than the ruleset's minimum (one, unless it says more) is not assessed: nothing
is judged from nothing. A judgement a person made (`judge ID NAME because`)
takes the place of the bands' answer, which is kept beside it.

The index is the points achieved of the maximum, or, when the ruleset says
`index ... of goals NAME`, the share of assessed goals judged NAME or better."""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from impactdsl.compile import model as m
from impactdsl.core.arithmetic import Rounding, index
from impactdsl.core.kinds import Op, Status, Unit
from impactdsl.evaluation.results import (
    AreaResult,
    ConditionTried,
    GoalResult,
    GradeResult,
    GradeStep,
    IndicatorResult,
)


class Parts(NamedTuple):
    """The parts a judgement reads: (id, its status or grade or None, its value in points), and
    the names they can have, best first."""

    parts: tuple[tuple[str, str | None, int], ...]
    scale: tuple[str, ...]

    def rank(self, name: str | None) -> int | None:
        return self.scale.index(name) if name in self.scale else None


def indicator_parts(results: tuple[IndicatorResult, ...], method: m.Method) -> Parts:
    scale = tuple(x.name for x in method.statuses if x.role != Status.NOT_ASSESSED)
    none = method.role(Status.NOT_ASSESSED).name
    return Parts(tuple((r.id, None if r.status == none else r.status, r.indicator.value)
                       for r in results if not r.indicator.is_bonus), scale)


def area_parts(area: AreaResult, method: m.Method) -> Parts:
    goal_grades = tuple(dict.fromkeys(g.name for g in method.grades_of("goal")))
    if not goal_grades:
        return indicator_parts(area.indicators, method)
    return Parts(tuple((g.goal.id, g.grade.grade if g.grade else None, g.maximum) for g in area.goals), goal_grades)


def judge(part_id: str, level: str, parts: Parts, indicators: tuple[IndicatorResult, ...], method: m.Method,
          settings: m.Settings) -> GradeResult | None:
    rules = method.grades_of(level)
    judged = next((j for j in method.judged if j.id == part_id), None)
    if not rules and judged is None:
        return None
    assessed = [p for p in parts.parts if parts.rank(p[1]) is not None]
    computed = _bands(rules, parts, assessed, indicators, method, settings) if rules else None
    if judged is not None:
        steps = computed.steps if computed else ()
        return GradeResult(judged.name, (), steps, len(assessed), len(parts.parts), judged=judged,
                           computed=computed.grade if computed else None)
    return computed


def _bands(rules, parts: Parts, assessed, indicators, method: m.Method, settings: m.Settings) -> GradeResult:
    kinds = {c.kind for rule in rules for c in rule.conditions}
    if kinds and kinds <= {"share_short"}:    # the bands read share goals only: those are the parts
        none = method.role(Status.NOT_ASSESSED).name
        shares = [(r.id, r.status, r.indicator.value) for r in indicators if not r.indicator.is_bonus and
                  r.status != none and r.indicator.criterion is not None and r.indicator.criterion.unit == Unit.PERCENT]
        parts, assessed = Parts(tuple(shares), parts.scale), shares
    if len(assessed) < settings.minimum_assessed:
        return GradeResult(None, (), (), len(assessed), len(parts.parts),
                           reason=("too_few_parts", (("assessed", str(len(assessed))),
                                                     ("minimum", str(settings.minimum_assessed)))))
    steps = []
    for rule in rules:
        tried = tuple(_try(c, parts, assessed, indicators, method) for c in rule.conditions)
        holds = all(t.holds for t in tried)
        steps.append(GradeStep(rule.name, holds, tried))
        if holds:
            deciding = tuple(dict.fromkeys(i for t in tried for i in t.deciding))
            if not rule.conditions and len(steps) > 1:      # otherwise: decided by what failed the band before
                deciding = tuple(dict.fromkeys(i for t in steps[-2].tried if not t.holds for i in t.deciding))
            return GradeResult(rule.name, deciding, tuple(steps), len(assessed), len(parts.parts))
    return GradeResult(None, (), tuple(steps), len(assessed), len(parts.parts), reason=("no_band", ()))


def _ids(chosen) -> tuple[str, ...]:
    return tuple(part[0] for part in chosen)


def _try(c: m.GradeCondition, parts: Parts, assessed, indicators, method: m.Method) -> ConditionTried:
    if c.kind in ("share_short", "part_short"):
        return _shortfalls(c, indicators, method)
    limit = parts.rank(c.status)
    if limit is None:                              # checked when compiled; a peer's YAML may still say it
        return ConditionTried(c, False)
    good = [p for p in assessed if parts.rank(p[1]) <= limit]
    bad = [p for p in assessed if parts.rank(p[1]) > limit]
    if c.kind == "all":
        return ConditionTried(c, not bad, _ids(bad), Fraction(len(good)), len(assessed))
    if c.kind == "none":
        worse = [p for p in assessed if parts.rank(p[1]) >= limit]
        return ConditionTried(c, not worse, _ids(worse), Fraction(len(worse)), len(assessed))
    if c.unit == Unit.NUMBER:
        holds = len(good) >= c.amount
        return ConditionTried(c, holds, _ids(good if holds else bad), Fraction(len(good)), len(assessed))
    if c.by_points:
        whole = sum(p[2] for p in assessed)
        share = Fraction(100 * sum(p[2] for p in good), whole) if whole else None
    else:
        share = Fraction(100 * len(good), len(assessed)) if assessed else None
    holds = share is not None and share >= c.amount
    return ConditionTried(c, holds, _ids(good if holds else bad), share, len(assessed))


def shortfall(r: IndicatorResult, relative_counts: bool) -> Fraction | None:
    """How far the outcome is short of its target: 0 when met; None when it has no distance to
    give (a missed yes/no, a target such as 'within 5% of'), so no limit can hold for it."""
    c = r.criterion
    if c is None or r.compared is None or isinstance(r.compared, bool) or isinstance(c.bound, bool):
        return None
    x = r.compared
    op = Op(c.op)
    if op.single_bound and op.rising:
        short = c.bound - x
    elif op.single_bound:
        short = x - c.bound
    elif op == Op.BETWEEN:
        short = c.bound - x if x < c.bound else x - c.upper
    else:
        return None
    short = max(Fraction(0), short)
    if c.unit != Unit.PERCENT and relative_counts and c.bound:
        short = short / abs(c.bound) * 100
    return short


def _shortfalls(c: m.GradeCondition, indicators: tuple[IndicatorResult, ...], method: m.Method) -> ConditionTried:
    """Every share goal (share_short) or every goal (part_short) at most `amount` short; a met one
    (by its rule or by an override) is 0 short, one not assessed is left out."""
    met = method.role(Status.MET).name
    none = method.role(Status.NOT_ASSESSED).name
    chosen = [r for r in indicators if not r.indicator.is_bonus and r.status != none and
              (c.kind == "part_short" or (r.indicator.criterion is not None and
                                          r.indicator.criterion.unit == Unit.PERCENT))]
    shorts = [(r.id, Fraction(0) if r.status == met else shortfall(r, c.kind == "part_short")) for r in chosen]
    if not shorts:
        return ConditionTried(c, False)
    beyond = [(i, s) for i, s in shorts if s is None or s > c.amount]
    if beyond:
        return ConditionTried(c, False, tuple(i for i, _ in beyond), _worst(shorts), len(shorts))
    worst = max(shorts, key=lambda x: x[1])
    return ConditionTried(c, True, (worst[0],) if worst[1] > 0 else (), worst[1], len(shorts))


def _worst(shorts) -> Fraction | None:
    known = [s for _, s in shorts if s is not None]
    return None if len(known) < len(shorts) else max(known)


def index_of(goals: tuple[GoalResult, ...], method: m.Method, maximum: int, achieved: int,
             rounding: Rounding) -> Fraction | None:
    rule = method.index
    if rule is None:
        return None
    if rule.of_goals is None:
        return index(Fraction(achieved), Fraction(maximum), rounding)
    scale = tuple(dict.fromkeys(g.name for g in method.grades_of("goal")))
    limit = scale.index(rule.of_goals)
    graded = [g.grade.grade for g in goals if g.grade is not None and g.grade.grade in scale]
    good = sum(scale.index(name) <= limit for name in graded)
    return index(Fraction(good), Fraction(len(graded)), rounding)
