"""(Ruleset, Outcomes) → Results. Pure: no I/O, never raises on user data.

Each indicator's measure is evaluated by its kind's function (measures.py),
then judged by its criterion: points, bonus, a manual override, how far the
outcome was from flipping. Missing data makes an indicator "not assessed"
with the reason, never an exception. Areas and the total sum the points."""

from __future__ import annotations

from fractions import Fraction

import attrs

from impactdsl.compile import model as m
from impactdsl.core.arithmetic import index
from impactdsl.core.kinds import Op, Status, Unit
from impactdsl.evaluation import judging
from impactdsl.evaluation.measures import measure
from impactdsl.evaluation.results import AreaResult, GoalResult, IndicatorResult, Margin, Measured, Results, TraceItem
from impactdsl.evaluation.tables import tables
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
        method = self.ruleset.method
        settings = self.ruleset.settings
        rounding = settings.rounding
        areas = []
        for area in self.ruleset.areas:
            goals = tuple(self.goal(g) for g in area.goals)
            areas.append((area, goals, sum(x.maximum for x in goals), sum(x.achieved for x in goals)))
        total_max = sum(a[2] for a in areas)
        total_achieved = sum(a[3] for a in areas)
        built = []
        for area, goals, maximum, achieved in areas:
            result = AreaResult(area, goals, maximum, achieved, None,
                                index(Fraction(maximum), Fraction(total_max), rounding),
                                area.target_index if area.target_index is not None else settings.target_index)
            result = result._replace(index=judging.index_of(result.goals, method, maximum, achieved, rounding))
            built.append(result._replace(grade=judging.judge(area.id, "area", judging.area_parts(result, method),
                                                             result.indicators, method, settings)))
        built = [a._replace(index=None, withheld=True) if self.withheld(a) else a for a in built]
        all_goals = tuple(g for a in built for g in a.goals)
        results = Results(self.ruleset, tuple(built), total_max, total_achieved,
                          judging.index_of(all_goals, method, total_max, total_achieved, rounding),
                          settings.target_index, self.outcomes.sources, tables(self.ruleset, self.measure),
                          data_digests=self.outcomes.digests)
        return results._replace(index=None, withheld=True) if self.withheld(results) else results

    def withheld(self, part) -> bool:
        """Whether an index is not reported: more of it could not be assessed than the ruleset allows."""
        limit = self.ruleset.settings.missing_limit
        return limit is not None and part.index is not None and \
            part.unassessed.share * 100 > limit

    def goal(self, goal: m.Goal) -> GoalResult:
        results = tuple(self.result(i.id) for i in goal.indicators)
        method = self.ruleset.method
        made = GoalResult(goal, results)
        if not method.grades_of("goal") and not any(j.id == goal.id for j in method.judged):
            return made
        return made._replace(grade=judging.judge(goal.id, "goal", judging.indicator_parts(results, method),
                                                 results, method, self.ruleset.settings))

    # ---- one indicator ---------------------------------------------------
    def result(self, indicator_id: str) -> IndicatorResult:
        if indicator_id not in self.done:
            scored = self.score(self.by_id[indicator_id])
            self.done[indicator_id] = scored._replace(role=self.ruleset.method.status(scored.status).role)
        return self.done[indicator_id]

    def score(self, ind: m.Indicator) -> IndicatorResult:
        goal, area = self.place[ind.id]
        method = self.ruleset.method
        got = self.measure(ind.measure)
        criterion = ind.criterion
        if criterion is not None and criterion.computed:      # its target first: computed from figures
            criterion, target = self.target(criterion)
            got = got._replace(trace=got.trace + target.trace, missing=got.missing or target.missing)
            criterion = None if target.missing else criterion
        base = dict(indicator=ind, goal=goal, area=area, measured=got.value, compared=got.compared,
                    unit=got.unit, trace=got.trace, parts=got.parts, criterion=criterion)
        if got.missing is not None:
            # A placeholder (todo) is not missing data: it is never in the maximum, whatever the policy.
            counted = (self.ruleset.settings.missing_in_maximum and not isinstance(ind.measure, m.TodoOf)) \
                or ind.is_bonus
            result = IndicatorResult(**base, status=method.role(Status.NOT_ASSESSED).name, points=0,
                                     reason=got.missing, counted_in_max=counted)
            return self.overridden(result)
        if isinstance(ind.measure, m.ReportedOf):
            return self.reported(ind, base)
        if ind.criterion is None:                     # points per unit, up to the cap
            units = int(got.compared) if got.compared is not None else 0
            points = min(ind.cap, units * ind.points)
            status = method.role(Status.MET if points > 0 else Status.MISSED).name
            margin = None
        else:
            holds = test(criterion, got.compared)
            status = method.role(Status.MET).name if holds else self.partly_or_missed(ind, criterion, got.compared)
            points = ind.points if holds else next(
                (band.points for band in ind.point_bands if test(band.criterion, got.compared)), 0)
            if ind.status_points:
                points = dict(ind.status_points).get(status, 0)
            margin = self.margin(criterion, got, holds)
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

    def reported(self, ind: m.Indicator, base: dict) -> IndicatorResult:
        """The status a person gave, read as it was written; its points those of its status (or the
        rule's points when the status is met). A reported 'no data' status counts as not assessed."""
        report = self.outcomes.reported[ind.id]
        role = self.ruleset.method.status(report.status).role
        if ind.status_points:
            points = dict(ind.status_points).get(report.status, 0)
        else:
            points = ind.points if role == Status.MET else 0
        counted = role != Status.NOT_ASSESSED or self.ruleset.settings.missing_in_maximum or ind.is_bonus
        bonus = points if ind.is_bonus else 0              # a bonus row's points are all bonus
        return IndicatorResult(**base, status=report.status, points=points - bonus, bonus_points=bonus,
                               counted_in_max=counted, report=report)

    def overridden(self, result: IndicatorResult) -> IndicatorResult:
        o = result.indicator.override
        if o is None:
            return result
        ind = result.indicator
        method = self.ruleset.method
        if o.points is not None:
            points = o.points
            status = method.role(Status.MET if points > 0 else Status.MISSED).name
        else:
            status = method.role(Status.MET if o.outcome == Status.MET else Status.MISSED).name
            earned = dict(ind.status_points).get(status, 0) if ind.status_points else ind.value
            points = earned if o.outcome == Status.MET else 0
            if ind.is_bonus:
                points = ind.points if o.outcome == Status.MET else 0
        if ind.is_bonus:
            return result._replace(status=status, points=0, bonus_points=points,
                                   computed_status=result.status, counted_in_max=True)
        return result._replace(status=status, points=points, computed_status=result.status, counted_in_max=True)

    def target(self, c: m.Criterion) -> tuple[m.Criterion, Measured]:
        """A criterion whose target is computed from figures, with the target worked out (and its trace,
        ending in the target itself), or as it was with the reason the target could not be."""
        trace: tuple = ()
        values = {}
        for name, source in (("bound", c.bound_from), ("upper", c.upper_from)):
            if source is None:
                continue
            got = self.measure(source)
            trace += got.trace
            if got.missing is not None:
                return c, got._replace(trace=trace)
            values[name] = got.compared
            trace += (TraceItem("target", got.compared, got.unit, ""),)
        return attrs.evolve(c, **values), Measured(None, None, c.unit, trace)

    def partly_or_missed(self, ind: m.Indicator, criterion: m.Criterion, compared) -> str:
        """The first partly status whose band (the indicator's own, or the scale's) the outcome is within."""
        method = self.ruleset.method
        if not ind.is_bonus:
            own = dict(ind.bands)
            for level in method.partly:
                band = own.get(level.name, level.band)
                if band is not None and within(band, criterion, compared):
                    return level.name
        return method.role(Status.MISSED).name

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


def missed_target(c: m.Criterion, x) -> tuple[Fraction, bool] | None:
    """The target `x` failed and whether it is one to reach (True) or a ceiling (False); None
    when the criterion has no one target to be near (yes/no, within ... of target)."""
    if isinstance(x, bool) or isinstance(c.bound, bool) or x is None:
        return None
    op = Op(c.op)
    if op.single_bound:
        return c.bound, op.rising
    if op == Op.BETWEEN:
        return (c.bound, True) if x < c.bound else (c.upper, False)
    return None


def within(band: m.Band, c: m.Criterion, x) -> bool:
    """Whether an outcome that failed `c` is within the band of its target."""
    found = missed_target(c, x)
    if found is None:
        return False
    target, floor = found
    if (band.side == "below" and not floor) or (band.side == "above" and floor):
        return False
    short = max(Fraction(0), target - x if floor else x - target)
    if band.kind == "share":
        if floor:
            return target > 0 and x * 100 >= band.amount * target
        return x > 0 and target * 100 >= band.amount * x
    if band.unit == Unit.RELATIVE:
        return target != 0 and short * 100 <= band.amount * abs(target)
    if (band.unit == Unit.PP) != (c.unit == Unit.PERCENT):     # points on a share's target, units on a count's
        return False
    return short <= band.amount
