"""What a ruleset's rules can give at all, whatever the data: per indicator the statuses, per
goal and unit the grades. Worked out from the compiled rules, never from outcome data; `impactdsl
test --coverage` asks the tests for these and for nothing else. Pure.

An indicator's status is decided by where its compared value x lies among a few figures of its
rule: the target, the edges of each band, and the shortfalls its goal's and unit's grades read
(`every share is at most 5pp short`). Between two neighbouring figures every question the engine
asks of x (met? within this band? at most Q short?) has the same answer, so each figure and one
value between each two of them are every case there is. Of those, the values the measure can
take are judged by the engine's own rule (engine.test, Evaluator.partly_or_missed and
overridden): a share lies in 0–100 on the rounding's step, a count is a whole number of 0 or
more, a fact any number, a yes/no yes or no, a constant itself. Where the target is computed from
other figures (`>= 2% * skatteintäkter`), the figures are lines in the target and the same is
done for one target between each two places where two of them cross.

So these are never reached, each for its reason:

- a partly status (`nära`, `delvis`) for a yes/no: a missed yes/no is missed; for a rule with no
  one target to be near (`= 3`, `within 5pp of target`); for points per unit (`-> 1 each up to
  4`: no target; met from one unit, else missed);
- a band `below target` for a ceiling (`<=`, `<`, a target to stay under), `above target` for a
  target to reach;
- a band in pp for anything but a share's target (a count, a change in pp, a relative change:
  engine.within measures those in their own units), a band in units for a share's target;
- `at least 80% of target` for a target of 0 or below: no share of it is reached;
- a band wholly inside an earlier one (the first band that holds is the status), and a band no
  value of the measure falls in (a count is whole: none lies in 2,4–3 for `at least 80%` of 3);
- met or missed where no value of the measure can meet, or fail, the rule;
- no data (`ej bedömt`) for a measure that reads no data (a constant);
- anything but its status for an indicator with `override ... met` or `missed` (or points):
  with or without data it is that status. A reported status can be any of the method's.

A goal's or unit's grade is the engine's judging.judge of its parts: every combination of the
states its parts can be in (a status, with how far short of each grade's limit; a goal's grade)
is judged, parts with the same states taken as one group whose members are interchangeable. A
goal or unit judged by a person (`judge 3.1 delvis because ...`) has that grade only, and a unit
of it may then be unable to reach a grade (kommun-exempel's perspective 3: with 3.1 delvis, at
most 1 of its 2 goals is uppfyllt, under the 75 % its uppfyllt asks).

Two indicators that read the same figure are taken as free of each other, as are an outcome and
its computed target: a grade or status is then possibly listed that no data can give, never left
out when data can give it. Beyond LIMIT combinations for one goal or unit every grade its bands
name is kept, for the same reason."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import NamedTuple

import attrs

from impactdsl.compile import model as m
from impactdsl.core.kinds import Op, Status, Unit
from impactdsl.evaluation import judging
from impactdsl.evaluation.engine import Evaluator, test
from impactdsl.evaluation.results import AreaResult, GoalResult, IndicatorResult
from impactdsl.outcomes.tallies import Outcomes

LIMIT = 20_000                      # combinations of parts' states judged for one goal or unit
YES_NO = "yes/no"                   # the values of a yes/no: yes and no


class Values(NamedTuple):
    """The values a measure can give: from `lo` to `hi` (None: no end), multiples of `step` (None:
    any number between)."""

    lo: Fraction | None
    hi: Fraction | None
    step: Fraction | None = None

    def holds(self, x: Fraction) -> bool:
        return (self.lo is None or x >= self.lo) and (self.hi is None or x <= self.hi) and \
            (self.step is None or x % self.step == 0)

    def after(self, x: Fraction) -> Fraction:
        """The first value the measure can give above x, the ends aside."""
        return x + 1 if self.step is None else (math.floor(x / self.step) + 1) * self.step

    def before(self, x: Fraction) -> Fraction:
        return x - 1 if self.step is None else (math.ceil(x / self.step) - 1) * self.step

    def between(self, a: Fraction, b: Fraction) -> Fraction | None:
        x = (a + b) / 2 if self.step is None else self.after(a)
        return x if a < x < b and self.holds(x) else None

    def dense(self) -> Values:
        return self._replace(step=None)


ANY = Values(None, None)


def cases(values: Values | str | None, figures) -> list:
    """One value of each stretch the figures cut the values into, and each figure they can give."""
    if values == YES_NO:
        return [True, False]
    if values is None:
        return []
    inside = Values(values.lo, values.hi)
    cuts = sorted({x for x in figures if inside.holds(x)} | {x for x in (values.lo, values.hi) if x is not None})
    if not cuts:
        return [Fraction(0)]
    out = [x for x in cuts if values.holds(x)]
    out += [x for a, b in zip(cuts, cuts[1:]) if (x := values.between(a, b)) is not None]
    if values.lo is None:
        out.append(values.before(cuts[0]))
    if values.hi is None:
        out.append(values.after(cuts[-1]))
    return out


# ---- the values a measure gives ------------------------------------------------------------------
def _bounds(op: str, a: Values, b: Values) -> tuple[Fraction | None, Fraction | None]:
    def add(x, y):
        return None if x is None or y is None else x + y

    if op == "+":
        return add(a.lo, b.lo), add(a.hi, b.hi)
    if op == "-":
        return add(a.lo, None if b.hi is None else -b.hi), add(a.hi, None if b.lo is None else -b.lo)
    if op == "*" and a.lo is not None and b.lo is not None and a.lo >= 0 and b.lo >= 0:
        return a.lo * b.lo, None if a.hi is None or b.hi is None else a.hi * b.hi
    if op == "/" and a.lo is not None and b.lo is not None and a.lo >= 0 and b.lo >= 0:
        return Fraction(0), None
    return None, None


def _step(parts: list[Values]) -> Fraction | None:
    """The step of figures added: one they all share (a constant on it counts as sharing it)."""
    steps = {p.step for p in parts if not (p.lo is not None and p.lo == p.hi)}
    if len(steps) != 1 or None in steps:
        return None
    step = steps.pop()
    return step if all(p.lo % step == 0 for p in parts if p.lo is not None and p.lo == p.hi) else None


def _zero(values: Values | str | None) -> bool:
    return isinstance(values, Values) and values.holds(Fraction(0))


class Reach:
    """The statuses and grades a compiled ruleset can give, worked out once."""

    def __init__(self, ruleset: m.Ruleset):
        self.ruleset = ruleset
        self.method = ruleset.method
        self.engine = Evaluator(ruleset, Outcomes())      # its rules only: it is given no data
        self.none = self.method.role(Status.NOT_ASSESSED).name
        self.met = self.method.role(Status.MET).name
        # every grade condition that reads how far short an indicator is: (kind, amount)
        self.shorts = tuple(dict.fromkeys((c.kind, c.amount) for g in self.method.grades for c in g.conditions
                                          if c.kind in ("share_short", "part_short")))
        self._states: dict[str, dict] = {}
        self._goals: dict[str, dict | None] = {}

    # ---- statuses ------------------------------------------------------------------------------
    def statuses(self, indicator: m.Indicator) -> tuple[str, ...]:
        """The statuses some data give the indicator, in the method's order."""
        found = {r.status for r in self.states(indicator).values()}
        return tuple(s.name for s in self.method.statuses if s.name in found)

    def states(self, ind: m.Indicator) -> dict[tuple, IndicatorResult]:
        """Each state the indicator can be in, as its goal's and unit's grades read it (its status,
        whether it counts in the maximum, and for each shortfall limit whether it is within it),
        with a result that is in it."""
        if ind.id not in self._states:
            self._states[ind.id] = {}
            for r in self._results(ind):
                r = self.engine.overridden(r) if not isinstance(ind.measure, m.ReportedOf) else r
                self._states[ind.id].setdefault(self._key(r), r)
        return self._states[ind.id]

    def _key(self, r: IndicatorResult) -> tuple:
        within = []
        for kind, amount in self.shorts:
            c = r.indicator.criterion
            if r.status == self.none or (kind == "share_short" and (c is None or c.unit != Unit.PERCENT)):
                within.append(None)                    # not one of the parts this limit reads
                continue
            short = Fraction(0) if r.status == self.met else judging.shortfall(r, kind == "part_short")
            within.append(short is not None and short <= amount)
        return r.status, r.counted_in_max, tuple(within)

    def _results(self, ind: m.Indicator) -> list[IndicatorResult]:
        settings = self.ruleset.settings

        def result(status, compared=None, criterion=None, counted=True):
            return IndicatorResult(ind, "", "", compared, compared, "", status, 0, counted_in_max=counted,
                                   criterion=criterion)

        out = []
        c = ind.criterion
        target_missing = c is not None and any(self.missing(x) for x in (c.bound_from, c.upper_from) if x)
        if self.missing(ind.measure) or target_missing:
            out.append(result(self.none, counted=settings.missing_in_maximum or ind.is_bonus))
        if isinstance(ind.measure, m.ReportedOf):          # any status a person gives, as they give it
            return out + [result(s.name, counted=s.role != Status.NOT_ASSESSED or settings.missing_in_maximum)
                          for s in self.method.statuses]
        values = self.values(ind.measure)
        if c is None:                                      # points per unit: met from the first point
            for x in cases(values, (Fraction(-1), Fraction(0), Fraction(1))):
                points = min(ind.cap, int(x) * ind.points)
                out.append(result(self.met if points > 0 else self.method.role(Status.MISSED).name, x))
            return out
        criteria = self._criteria(ind, values)
        if criteria is None:                               # every status it has a band for, any shortfall
            like = m.Criterion(Op.AT_LEAST, Fraction(100), unit=c.unit)
            names = [self.met] + [x.name for x, band in zip(self.method.partly, self._bands(ind, all_levels=True))
                                  if band is not None] + [self.method.role(Status.MISSED).name]
            shorts = {Fraction(0)} | {q + d for _, q in self.shorts for d in (0, 1)}
            return out + [result(name, 100 - short, like) for name in names for short in sorted(shorts)]
        for criterion, values in criteria:
            for x in cases(values, self._figures(ind, criterion)):
                status = self.met if test(criterion, x) else self.engine.partly_or_missed(ind, criterion, x)
                out.append(result(status, x, criterion))
        return out

    def _bands(self, ind: m.Indicator, all_levels: bool = False) -> list[m.Band | None]:
        """The band of each partly status for this indicator (its own, else the scale's); with
        `all_levels`, None for a status that has none, in the method's order."""
        own = dict(ind.bands)
        bands = [None if ind.is_bonus else own.get(level.name, level.band) for level in self.method.partly]
        return bands if all_levels else [band for band in bands if band is not None]

    def _figures(self, ind: m.Indicator, c: m.Criterion) -> list[Fraction]:
        """Where any answer about x can change: the target, each band's edge, each shortfall limit
        (always as many, in the same order, whatever the target: `_criteria` reads them as lines)."""
        if isinstance(c.bound, bool):
            return []
        op = Op(c.op)
        if op.near_target:
            return [c.upper - c.bound, c.upper, c.upper + c.bound]
        targets = [c.bound] + ([c.upper] if op == Op.BETWEEN else [])
        out = list(targets) + [Fraction(0)]
        for t in targets:
            for band in self._bands(ind):
                a = band.amount
                if band.kind == "share":
                    out += [a * t / 100, 100 * t / a if a else t]
                else:
                    out += [t - a, t + a, t - a * abs(t) / 100, t + a * abs(t) / 100]
            for _, q in self.shorts:
                out += [t - q, t + q, t - q * abs(t) / 100, t + q * abs(t) / 100]
        return out

    def _criteria(self, ind: m.Indicator, values) -> list[tuple[m.Criterion, Values | str | None]] | None:
        """The criterion to judge with, and the values x can take; for a target computed from other
        figures, one criterion for each stretch of targets where the figures keep their order (and
        where two of them meet), with x taken as any number there. None for `between` two computed
        ends, which is not worked out."""
        c = ind.criterion
        ends = [name for name, source in (("bound", c.bound_from), ("upper", c.upper_from)) if source is not None]
        if not ends:
            return [(c, values)]
        if not isinstance(values, Values):
            return []
        if len(ends) == 2:                                # both ends computed: anything it may give
            return None
        end = ends[0]
        targets = self.values(c.bound_from if end == "bound" else c.upper_from)
        if not isinstance(targets, Values):
            return []
        crossings = {Fraction(0)}
        for sign in (1, -1):                               # on each side of 0 the figures are lines in t
            at = [self._figures(ind, attrs.evolve(c, **{end: sign * Fraction(k)})) +
                  [x for x in (values.lo, values.hi) if x is not None] for k in (1, 2)]
            lines = [(y2 - y1, 2 * y1 - y2) for y1, y2 in zip(*at)]       # (slope, value at 0)
            for (a1, b1), (a2, b2) in itertools.combinations(lines, 2):
                if a1 != a2 and (s := (b2 - b1) / (a1 - a2)) > 0:     # where they meet, s = |t|
                    crossings.add(sign * s)
        return [(attrs.evolve(c, **{end: t}), values.dense()) for t in cases(targets, crossings)]

    def missing(self, node) -> bool:
        """Whether the measure can have no value: it reads data, or divides by what may be 0."""
        if isinstance(node, m.Constant):
            return False
        if isinstance(node, m.Arithmetic):
            return self.missing(node.left) or self.missing(node.right) or \
                (node.op == "/" and _zero(self.values(node.right)))
        if isinstance(node, (m.Extreme, m.SumOf)):
            return any(self.missing(p) for p in node.parts)
        if isinstance(node, m.GapOf):
            return self.missing(node.first) or self.missing(node.second)
        if isinstance(node, m.ChangeOf):
            return self.missing(node.start) or self.missing(node.end) or \
                (node.relative and _zero(self.values(node.start)))
        if isinstance(node, m.OutcomeOf):                  # the other indicator's value: none if it has none
            other = next((i for i in self.ruleset.indicators if i.id == node.indicator), None)
            return other is None or self.values(node) is None or self.missing(other.measure)
        return True

    def values(self, node, seen: frozenset = frozenset()) -> Values | str | None:
        """The values a measure's compared value can take (a superset where it cannot be said
        exactly); YES_NO; None for a measure that never has one."""
        rounding = self.ruleset.settings.rounding
        step = rounding.step if rounding.mode != "none" else None
        if isinstance(node, (m.ShareOf, m.RatioOf)):
            return Values(Fraction(0), rounding.apply(Fraction(100)) if isinstance(node, m.ShareOf) else None, step)
        if isinstance(node, (m.AnswerCountOf, m.CountOf)):
            return Values(Fraction(0), None, Fraction(1))
        if isinstance(node, m.MeanMonthsOf):
            return Values(Fraction(0), None)
        if isinstance(node, m.FactOf):
            return YES_NO if node.kind == Unit.YES_NO else ANY
        if isinstance(node, m.Constant):
            return Values(node.value, node.value)
        if isinstance(node, m.ReportedOf):
            return None
        if isinstance(node, m.OutcomeOf):
            other = next((i for i in self.ruleset.indicators if i.id == node.indicator), None)
            if other is None or node.indicator in seen:
                return ANY
            return self.values(other.measure, seen | {node.indicator})
        parts = [self.values(p, seen) for p in
                 ((node.left, node.right) if isinstance(node, m.Arithmetic) else (node.first, node.second)
                  if isinstance(node, m.GapOf) else (node.start, node.end) if isinstance(node, m.ChangeOf)
                  else node.parts)]
        if any(p is None for p in parts):
            return None
        if not all(isinstance(p, Values) for p in parts):
            return ANY
        if isinstance(node, m.Arithmetic):
            return self._arithmetic(node, *parts)
        if isinstance(node, m.GapOf):
            lo, hi = _bounds("-", *parts)
            if lo is not None and lo >= 0:
                bounds = (lo, hi)
            elif hi is not None and hi <= 0:
                bounds = (-hi, None if lo is None else -lo)
            else:
                bounds = (Fraction(0), None if lo is None or hi is None else max(-lo, hi))
            return Values(*bounds, _step(parts))
        if isinstance(node, m.ChangeOf):
            start, end = parts
            if node.relative:
                if start.lo is not None and start.lo == start.hi == 0:
                    return None
                if start.lo is not None and end.lo is not None and start.lo >= 0 and end.lo >= 0:
                    return Values(Fraction(-100), None) if node.direction == "increase" else \
                        Values(None, Fraction(100))
                return ANY
            return Values(*_bounds("-", end, start) if node.direction == "increase" else _bounds("-", start, end),
                          _step(parts))
        if isinstance(node, m.SumOf):
            lo, hi = parts[0].lo, parts[0].hi
            for p in parts[1:]:
                lo, hi = _bounds("+", Values(lo, hi), p)
            return Values(lo, hi, _step(parts))
        lows, highs = [p.lo for p in parts], [p.hi for p in parts]        # min or max
        pick = min if node.kind == "min" else max
        lo = pick((x for x in lows if x is not None), default=None) if (node.kind == "max" or None not in lows) \
            else None
        hi = pick((x for x in highs if x is not None), default=None) if (node.kind == "min" or None not in highs) \
            else None
        return Values(lo, hi, _step(parts))

    def _arithmetic(self, node: m.Arithmetic, left: Values, right: Values) -> Values | None:
        if node.op == "/" and right.lo == right.hi == 0:
            return None                                   # always a division by 0
        lo, hi = _bounds(node.op, left, right)
        step = _step([left, right]) if node.op in "+-" else \
            Fraction(1) if node.op == "*" and left.step == right.step == 1 else None
        f = node.factor
        lo, hi, step = (None if x is None else x * f for x in (lo, hi, step))
        rounding = self.ruleset.settings.rounding
        if node.factor == 100 and rounding.mode != "none":    # a share computed as a division is rounded
            lo, hi, step = (None if lo is None else rounding.apply(lo)), \
                (None if hi is None else rounding.apply(hi)), rounding.step
        return Values(lo, hi, step)

    # ---- grades --------------------------------------------------------------------------------
    def grades(self, part_id: str) -> tuple[str, ...]:
        """The grades some data give a goal or unit, in the method's order (none: not graded)."""
        judged = next((j for j in self.method.judged if j.id == part_id), None)
        if judged is not None:
            return (judged.name,)
        area = next((a for a in self.ruleset.areas if a.id == part_id), None)
        if area is not None:
            found = self._area(area)
            level = "area"
        else:
            goal = next(g for a in self.ruleset.areas for g in a.goals if g.id == part_id)
            states = self._goal(goal)
            found = None if states is None else {k[0] for k in states}
            level = "goal"
        names = tuple(dict.fromkeys(g.name for g in self.method.grades_of(level)))
        return tuple(n for n in names if found is None or n in found)

    @staticmethod
    def _combinations(options: list[tuple[tuple, list]]):
        """Every way the parts can be, one state of each; `options` holds per part what tells it
        from the others (its points) and its states. Parts alike and with the same states are one
        group, each of whose ways is how many of them are in which state; None beyond LIMIT."""
        groups: dict[tuple, list[int]] = {}
        for i, (alike, states) in enumerate(options):
            groups.setdefault((alike, tuple(key for key, _ in states)), []).append(i)
        total = 1
        for (_, keys), members in groups.items():
            total *= math.comb(len(members) + len(keys) - 1, len(members))
        if total > LIMIT:
            return None
        options = [states for _, states in options]

        def ways():
            per_group = [[(members, chosen) for chosen in itertools.combinations_with_replacement(
                range(len(keys)), len(members))] for (_, keys), members in groups.items()]
            for choice in itertools.product(*per_group):
                parts = [None] * len(options)
                for members, chosen in choice:
                    for i, k in zip(members, chosen):
                        parts[i] = options[i][k][1]
                yield tuple(parts)
        return ways()

    def _goal(self, goal: m.Goal) -> dict | None:
        """The goal's states as its unit reads them: (grade, points at most, what the unit's
        shortfall limits find in it) with a goal result in each; None beyond LIMIT."""
        if goal.id in self._goals:
            return self._goals[goal.id]
        indicators = [i for i in goal.indicators if not i.is_bonus]
        ways = self._combinations([((i.value,), list(self.states(i).items())) for i in indicators])
        states = None
        if ways is not None:
            states = {}
            graded = bool(self.method.grades_of("goal")) or any(j.id == goal.id for j in self.method.judged)
            for results in ways:
                made = GoalResult(goal, results)
                if graded:
                    made = made._replace(grade=judging.judge(goal.id, "goal", judging.indicator_parts(results,
                                         self.method), results, self.method, self.ruleset.settings))
                states.setdefault(self._goal_key(made), made)
        self._goals[goal.id] = states
        return states

    def _goal_key(self, goal: GoalResult) -> tuple:
        rules = self.method.grades_of("area")
        by_points = any(c.by_points for g in rules for c in g.conditions)
        minimum = max(1, self.ruleset.settings.minimum_assessed)
        found = []
        for at in range(len(self.shorts)):     # per shortfall limit: the parts it reads (to the minimum), all within?
            read = [within for r in goal.indicators if (within := self._key(r)[2][at]) is not None]
            found.append((min(len(read), minimum), all(read)))
        grade = goal.grade.grade if goal.grade is not None else None
        return grade, goal.maximum if by_points else None, tuple(found)

    def _area(self, area: m.Area) -> set | None:
        method, settings = self.method, self.ruleset.settings
        if method.grades_of("goal"):
            goals = [self._goal(g) for g in area.goals]
            if any(states is None for states in goals):
                return None
            ways = self._combinations([((), list(states.items())) for states in goals])
        else:
            ways = self._combinations([((i.value,), list(self.states(i).items())) for i in area.indicators
                                       if not i.is_bonus])
            if ways is not None:
                ways = (self._as_goals(area, results) for results in ways)
        if ways is None:
            return None
        found = set()
        for goals in ways:
            made = AreaResult(area, tuple(goals), 0, 0, None, None, None)
            grade = judging.judge(area.id, "area", judging.area_parts(made, method), made.indicators, method,
                                  settings)
            found.add(grade.grade if grade is not None else None)
        return found

    @staticmethod
    def _as_goals(area: m.Area, results: tuple[IndicatorResult, ...]) -> tuple[GoalResult, ...]:
        """The area's indicator results put back in their goals."""
        by_id = {r.id: r for r in results}
        return tuple(GoalResult(g, tuple(by_id[i.id] for i in g.indicators if i.id in by_id)) for g in area.goals)


def reachable_statuses(indicator: m.Indicator, ruleset: m.Ruleset) -> tuple[str, ...]:
    """The statuses some outcome data would give the indicator (see the module's docstring)."""
    return Reach(ruleset).statuses(indicator)


def reachable_grades(part_id: str, ruleset: m.Ruleset) -> tuple[str, ...]:
    """The grades some outcome data would give a goal or unit (see the module's docstring)."""
    return Reach(ruleset).grades(part_id)
