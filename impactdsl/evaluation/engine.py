"""(Ruleset, Outcomes) → Results. Pure: no I/O, never raises on user data.

Each indicator's measure is evaluated by its kind's function (measures.py),
then judged by its criterion: points, bonus, a manual override, how far the
outcome was from flipping. Missing data makes an indicator "not assessed"
with the reason, never an exception. Areas and the total sum the points."""

from __future__ import annotations

from fractions import Fraction

from impactdsl.compile import model as m
from impactdsl.core.arithmetic import index
from impactdsl.core.kinds import Op, Status, Unit
from impactdsl.evaluation import grades as units
from impactdsl.evaluation.measures import measure
from impactdsl.evaluation.results import AreaResult, GoalResult, IndicatorResult, Margin, Measured, Results
from impactdsl.outcomes.tallies import Outcomes


def evaluate(ruleset: m.Ruleset, outcomes: Outcomes) -> Results:
    return Evaluator(ruleset, outcomes).run()


class Evaluator:
    """One evaluation: each indicator's result worked out once, an outcome(ID) reference's first."""

    def __init__(self, ruleset: m.Ruleset, outcomes: Outcomes):
        self.ruleset = ruleset
        self.outcomes = outcomes
        self.by_id = {i.id: i for i in ruleset.indicators}
        self.place = {i.id: (g.id, a.id) for a in ruleset.areas for g in a.goals for i in g.indicators}
        self.done: dict[str, IndicatorResult] = {}

    def run(self) -> Results:
        areas = []
        for area in self.ruleset.areas:
            goals = tuple(GoalResult(g, tuple(self.result(i.id) for i in g.indicators)) for g in area.goals)
            maximum = sum(x.maximum for x in goals)
            achieved = sum(x.achieved for x in goals)
            areas.append((area, goals, maximum, achieved))
        total_max = sum(a[2] for a in areas)
        total_achieved = sum(a[3] for a in areas)
        rounding = self.ruleset.settings.rounding
        built = tuple(
            AreaResult(area, goals, maximum, achieved, index(Fraction(achieved), Fraction(maximum), rounding),
                       index(Fraction(maximum), Fraction(total_max), rounding),
                       area.target_index if area.target_index is not None else self.ruleset.settings.target_index)
            for area, goals, maximum, achieved in areas)
        built = tuple(a._replace(grade=units.grade(a, self.ruleset.grades)) for a in built)
        return Results(self.ruleset, built, total_max, total_achieved,
                       index(Fraction(total_achieved), Fraction(total_max), rounding),
                       self.ruleset.settings.target_index, self.outcomes.sources, units.tables(self.ruleset, self.measure))

    # ---- one indicator ---------------------------------------------------
    def result(self, indicator_id: str) -> IndicatorResult:
        if indicator_id not in self.done:
            self.done[indicator_id] = self.score(self.by_id[indicator_id])
        return self.done[indicator_id]

    def score(self, ind: m.Indicator) -> IndicatorResult:
        goal, area = self.place[ind.id]
        got = self.measure(ind.measure)
        base = dict(indicator=ind, goal=goal, area=area, measured=got.value, compared=got.compared,
                    unit=got.unit, trace=got.trace, parts=got.parts)
        if got.missing is not None:
            result = IndicatorResult(**base, status=Status.NOT_ASSESSED, points=0, reason=got.missing,
                                     counted_in_max=self.ruleset.settings.missing_in_maximum or ind.is_bonus)
            return self.overridden(result)
        if ind.criterion is None:                     # points per unit, up to the cap
            units = int(got.compared) if got.compared is not None else 0
            points = min(ind.cap, units * ind.points)
            status = Status.MET if points > 0 else Status.MISSED
            margin = None
        else:
            holds = test(ind.criterion, got.compared)
            points = ind.points if holds else 0
            status = Status.MET if holds else self.near_or_missed(ind, got.compared)
            margin = self.margin(ind.criterion, got, holds)
        bonus_met = None
        bonus_points = 0
        if ind.bonus is not None:
            criterion = ind.bonus.criterion
            bonus_met = test(criterion, got.compared)
            bonus_points = ind.bonus.points if bonus_met else 0
        if ind.is_bonus:                              # a bonus row's points are all bonus
            bonus_points, points = points, 0
        result = IndicatorResult(**base, status=status, points=points, bonus_points=bonus_points,
                                 bonus_met=bonus_met, margin=margin)
        return self.overridden(result)

    def overridden(self, result: IndicatorResult) -> IndicatorResult:
        o = result.indicator.override
        if o is None:
            return result
        if o.points is not None:
            points = o.points
            status = Status.MET if points > 0 else Status.MISSED
        else:
            status = o.outcome
            points = result.indicator.value if status == Status.MET else 0
            if result.indicator.is_bonus:
                points = result.indicator.points if status == Status.MET else 0
        if result.indicator.is_bonus:
            return result._replace(status=status, points=0, bonus_points=points,
                                   computed_status=result.status, counted_in_max=True)
        return result._replace(status=status, points=points, computed_status=result.status, counted_in_max=True)

    def near_or_missed(self, ind: m.Indicator, compared) -> str:
        band = self.ruleset.settings.near_band
        c = ind.criterion
        if (band is not None and not ind.is_bonus and c.unit == Unit.PERCENT
                and Op(c.op).single_bound and abs(compared - c.bound) <= band):
            return Status.NEAR
        return Status.MISSED

    def margin(self, c: m.Criterion, got: Measured, holds: bool) -> Margin | None:
        """The fewest answers (or counted people) whose change would flip the outcome."""
        if got.part is None or not got.whole or not Op(c.op).single_bound:
            return None
        rounding = self.ruleset.settings.rounding

        def holds_at(k: int) -> bool:
            return test(c, rounding.share(k, got.whole))

        rising = Op(c.op).rising                      # more counted helps
        k, n = got.part, got.whole
        # Search the side of k where the outcome flips; holds_at is monotone there.
        if holds == rising:                           # move down: fewer counted
            lo, hi = 0, k                             # find the largest j < k where holds_at(j) != holds
            if holds_at(0) == holds:
                return None
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if holds_at(mid) != holds else (lo, mid)
            change = lo - k
        else:                                         # move up: more counted
            lo, hi = k, n
            if holds_at(n) == holds:
                return None
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (lo, mid) if holds_at(mid) != holds else (mid, hi)
            change = hi - k
        return Margin(change, got.counted, n, Status.MISSED if holds else Status.MET)

    def measure(self, node: m.Measure) -> Measured:
        return measure(self, node)


TESTS = {                                     # each operator's test of a compared value x
    Op.AT_LEAST: lambda c, x: x >= c.bound,
    Op.AT_MOST: lambda c, x: x <= c.bound,
    Op.MORE_THAN: lambda c, x: x > c.bound,
    Op.LESS_THAN: lambda c, x: x < c.bound,
    Op.EQUAL: lambda c, x: x == c.bound,
    Op.BETWEEN: lambda c, x: c.bound <= x <= c.upper,
    Op.WITHIN_TARGET: lambda c, x: abs(x - c.upper) <= c.bound,
    Op.CLOSER_THAN_TARGET: lambda c, x: abs(x - c.upper) < c.bound,
}


def test(c: m.Criterion, x) -> bool:
    """Whether the compared value `x` meets the criterion."""
    return TESTS[c.op](c, x)
