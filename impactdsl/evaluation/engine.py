"""(Ruleset, Outcomes) → Results. Pure: no I/O, never raises on user data.

Each measure kind has one function; each returns a Measured with the exact
value, the value as compared (after the ruleset's rounding) and the trace of
every number it used. Missing data or a zero denominator makes an indicator
"not assessed" with the reason, never an exception."""

from __future__ import annotations

from fractions import Fraction

import attrs

from impactdsl.compile import model as m
from impactdsl.core.arithmetic import format_number, index, percent
from impactdsl.core.kinds import Op, Status
from impactdsl.evaluation import grades as units
from impactdsl.evaluation.results import (
    AreaResult,
    GoalResult,
    IndicatorResult,
    Margin,
    Results,
    TraceItem,
)
from impactdsl.outcomes.tallies import Outcomes


@attrs.frozen
class Measured:
    value: Fraction | bool | None
    compared: Fraction | bool | None
    unit: str
    trace: tuple[TraceItem, ...] = ()
    missing: tuple | None = None               # (words key, arguments) when not measurable
    part: int | None = None                    # for shares: k of n, to find the margin
    whole: int | None = None
    counted: str = ""
    parts: tuple[tuple[int, int], ...] = ()    # every (k, n) a share or gap was computed from


def _missing(reason, trace=(), **args) -> Measured:
    """Not measurable: `reason` is a words key ("reason.<key>") with its arguments, or
    an earlier reason passed on as it is."""
    if isinstance(reason, str):
        reason = (reason, tuple((k, str(v)) for k, v in args.items()))
    return Measured(None, None, "", tuple(trace), reason)


def _where(span) -> str:
    return str(span) if span else ""


def evaluate(ruleset: m.Ruleset, outcomes: Outcomes) -> Results:
    return _Evaluator(ruleset, outcomes).run()


class _Evaluator:
    def __init__(self, ruleset: m.Ruleset, outcomes: Outcomes):
        self.r = ruleset
        self.o = outcomes
        self.by_id = {i.id: i for i in ruleset.indicators}
        self.place = {i.id: (g.id, a.id) for a in ruleset.areas for g in a.goals for i in g.indicators}
        self.done: dict[str, IndicatorResult] = {}

    def run(self) -> Results:
        areas = []
        for area in self.r.areas:
            goals = tuple(GoalResult(g, tuple(self.result(i.id) for i in g.indicators)) for g in area.goals)
            maximum = sum(x.maximum for x in goals)
            achieved = sum(x.achieved for x in goals)
            areas.append((area, goals, maximum, achieved))
        total_max = sum(a[2] for a in areas)
        total_achieved = sum(a[3] for a in areas)
        rounding = self.r.settings.rounding
        built = tuple(
            AreaResult(area, goals, maximum, achieved, index(Fraction(achieved), Fraction(maximum), rounding),
                       index(Fraction(maximum), Fraction(total_max), rounding),
                       area.target_index if area.target_index is not None else self.r.settings.target_index)
            for area, goals, maximum, achieved in areas)
        built = tuple(attrs.evolve(a, grade=units.grade(a, self.r.grades)) for a in built)
        return Results(self.r, built, total_max, total_achieved,
                       index(Fraction(total_achieved), Fraction(total_max), rounding),
                       self.r.settings.target_index, self.o.sources, units.tables(self.r, self.measure))

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
                                     counted_in_max=self.r.settings.missing_in_maximum or ind.is_bonus)
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
            return attrs.evolve(result, status=status, points=0, bonus_points=points,
                                computed_status=result.status, counted_in_max=True)
        return attrs.evolve(result, status=status, points=points, computed_status=result.status,
                            counted_in_max=True)

    def near_or_missed(self, ind: m.Indicator, compared) -> str:
        band = self.r.settings.near_band
        c = ind.criterion
        if (band is not None and not ind.is_bonus and c.unit == "percent"
                and Op(c.op).single_bound and abs(compared - c.bound) <= band):
            return Status.NEAR
        return Status.MISSED

    def margin(self, c: m.Criterion, got: Measured, holds: bool) -> Margin | None:
        """The fewest answers (or counted people) whose change would flip the outcome."""
        if got.part is None or not got.whole or not Op(c.op).single_bound:
            return None
        rounding = self.r.settings.rounding

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

    # ---- measures --------------------------------------------------------
    def measure(self, measure: m.Measure) -> Measured:
        kind = type(measure).__name__
        return getattr(self, "measure_" + kind)(measure)

    def measure_ShareOf(self, s: m.ShareOf) -> Measured:
        who = (s.group.text or s.group.name) + (f" ({s.subgroup.text or s.subgroup.name})" if s.subgroup else "")
        key = (s.group.name, s.question.name, s.subgroup.name if s.subgroup else None)
        tally = self.o.surveys.get(key)
        answers = s.answers_name or ", ".join(sorted(s.answers, key=s.question.scale.answers.index))
        if tally is None:
            return _missing("no_answers", who=who, question=s.question.name)
        where = _where(tally.source)
        minimum = self.r.settings.minimum_n
        if 0 < tally.n < minimum:                    # never show how few: they could be recognised
            trace = [TraceItem("answered", None, "too-few", where,
                               (("who", who), ("question", s.question.name), ("minimum", str(minimum))))]
            return _missing("too_few", trace, who=who, question=s.question.name, minimum=minimum)
        trace = [TraceItem("answered", tally.n, "number", where, (("who", who), ("question", s.question.name)))]
        if tally.n == 0:
            return _missing("nobody", trace, who=who, question=s.question.name)
        for label, count in tally.unanswered:
            trace.append(TraceItem("unanswered", count, "number", where, (("label", label),)))
        k = tally.count(s.answers, s.question.scale.answers)
        if k is None:
            return _missing("no_count", trace, answers=answers, question=s.question.name)
        trace.append(TraceItem("in_answers", k, "number", where, (("answers", answers),)))
        return self.share(k, tally.n, trace, f"answers in {answers}")

    def share(self, k: int, n: int, trace: list, counted: str) -> Measured:
        exact = percent(k, n)
        rounding = self.r.settings.rounding
        compared = rounding.share(k, n)
        trace.append(TraceItem("share", exact, "percent", "", (("k", str(k)), ("n", str(n)))))
        if compared != exact:
            trace.append(TraceItem("rounded", compared, "percent", "",
                                   (("mode", rounding.mode), ("step", format_number(rounding.step)))))
        return Measured(exact, compared, "percent", tuple(trace), part=k, whole=n, counted=counted,
                        parts=((k, n),))

    def measure_CountOf(self, c: m.CountOf) -> Measured:
        return self.stored(self.o.counts, c.name, c.key, c.previous, "number")

    def measure_FactOf(self, f: m.FactOf) -> Measured:
        return self.stored(self.o.facts, f.name, f.key, f.previous, f.kind)

    def stored(self, table, name: str, key, previous: bool, unit: str) -> Measured:
        label = name + (f"[{key}]" if key else "")
        value = table.get((name, key, previous))
        if value is None:
            return _missing("no_value", label=label)
        number = value.value if isinstance(value.value, bool) else Fraction(value.value)
        key = "previous_value" if previous else "value"
        return Measured(number, number, unit, (TraceItem(key, number, unit, _where(value.source), (("name", label),)),))

    def measure_MeanMonthsOf(self, mm: m.MeanMonthsOf) -> Measured:
        c = mm.count
        label = c.name + (f"[{c.key}]" if c.key else "")
        value = self.o.counts.get((c.name, c.key, c.previous))
        if value is None or value.months is None:
            return _missing("no_months", label=label)
        trace = (TraceItem("value", value.value, "number", _where(value.source), (("name", label),)),
                 TraceItem("months_sum", value.months, "number", "", (("name", label),)))
        if value.value == 0:
            return _missing("zero_count", trace, label=label)
        mean = Fraction(value.months) / value.value
        return Measured(mean, mean, "number", trace + (TraceItem("mean_months", mean, "number"),))

    def measure_RatioOf(self, r: m.RatioOf) -> Measured:
        part = self.measure_CountOf(r.part)
        whole = self.measure_CountOf(r.whole)
        for got in (part, whole):
            if got.missing:
                return _missing(got.missing, part.trace + whole.trace)
        trace = list(part.trace + whole.trace)
        if whole.value == 0:
            return _missing("zero_whole", trace, whole=r.whole.name)
        counted = r.part.name + (f"[{r.part.key}]" if r.part.key else "")
        return self.share(int(part.value), int(whole.value), trace, counted)

    def measure_Constant(self, c: m.Constant) -> Measured:
        item = TraceItem("param", c.value, c.unit, _where(c.span), (("name", c.name),)) if c.name else \
            TraceItem("constant", c.value, c.unit, _where(c.span))
        return Measured(c.value, c.value, c.unit, (item,))

    def measure_GapOf(self, g: m.GapOf) -> Measured:
        first, second = self.measure(g.first), self.measure(g.second)
        trace = first.trace + second.trace
        for got in (first, second):
            if got.missing:
                return _missing(got.missing, trace)
        gap = abs(first.compared - second.compared)
        return Measured(gap, gap, "pp", trace + (TraceItem("gap", gap, "pp"),),
                        parts=first.parts + second.parts)

    def measure_ChangeOf(self, c: m.ChangeOf) -> Measured:
        start, end = self.measure(c.start), self.measure(c.end)
        trace = start.trace + end.trace
        for got in (start, end):
            if got.missing:
                return _missing(got.missing, trace)
        diff = end.compared - start.compared if c.direction == "increase" else start.compared - end.compared
        unit = "pp" if start.unit == "percent" else "number"
        if c.relative:
            if start.compared == 0:
                return _missing("zero_start", trace)
            diff = diff / start.compared * 100
            unit = "relative"
        return Measured(diff, diff, unit, trace + (TraceItem(c.direction, diff, unit),))

    def measure_OutcomeOf(self, o: m.OutcomeOf) -> Measured:
        other = self.result(o.indicator)
        if other.status == Status.NOT_ASSESSED and other.compared is None:
            return _missing("outcome_missing", id=o.indicator)
        return Measured(other.compared, other.compared, other.unit,
                        (TraceItem("outcome", other.compared, other.unit,
                                   _where(other.indicator.span), (("id", o.indicator),)),))


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
