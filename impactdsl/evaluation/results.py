"""What evaluation found: per indicator, goal, area and in total, with a trace.

Explain, JSON and reports read these and nothing upstream of them."""

from __future__ import annotations

from fractions import Fraction

import attrs

from impactdsl.compile import model as m
from impactdsl.core.kinds import Unit


@attrs.frozen
class TraceItem:
    """One number used: what it is (a words key and its arguments), its value
    and unit, and where it came from. Sentences are made by words.py."""

    key: str
    value: Fraction | int | bool | None
    unit: str = Unit.NUMBER
    source: str = ""
    args: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Margin:
    """How far the outcome was from flipping: `change` more (or, negative, fewer)
    of `counted` out of the same `whole` would have given `flips_to`."""

    change: int
    counted: str
    whole: int
    flips_to: str


@attrs.frozen
class IndicatorResult:
    indicator: m.Indicator
    goal: str
    area: str
    measured: Fraction | bool | None
    compared: Fraction | bool | None
    unit: str                                  # percent, pp, relative, number, yes/no
    status: str
    points: int
    bonus_points: int = 0
    counted_in_max: bool = True
    reason: tuple | None = None                # why not assessed: (words key, ((name, value), ...))
    computed_status: str | None = None         # before a manual override
    bonus_met: bool | None = None
    trace: tuple[TraceItem, ...] = ()
    margin: Margin | None = None
    parts: tuple[tuple[int, int], ...] = ()    # (k, n) of each share it rests on, for reports

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def value(self) -> int:
        return self.indicator.value if self.counted_in_max else 0

    @property
    def earned(self) -> int:
        return self.points + self.bonus_points


@attrs.frozen
class GoalResult:
    goal: m.Goal
    indicators: tuple[IndicatorResult, ...]

    @property
    def maximum(self) -> int:
        return sum(r.value for r in self.indicators)

    @property
    def achieved(self) -> int:
        return sum(r.earned for r in self.indicators)


@attrs.frozen
class GradeStep:
    """One band tried: did every selected goal keep within its limit, and which came closest to failing."""

    grade: str
    selector: str | None                       # share, goal, or None for the otherwise grade
    holds: bool
    worst: str | None                          # the indicator furthest short (None: all met or none selected)
    shortfall: Fraction | None                 # how far short it was; None: it was not assessed
    limit: Fraction | None


@attrs.frozen
class GradeResult:
    grade: str
    decided_by: str | None                     # the goal that decided the grade
    shortfall: Fraction | None
    steps: tuple[GradeStep, ...]


@attrs.frozen
class CellResult:
    value: Fraction | bool | None
    splits: tuple[tuple[str, Fraction | None], ...] = ()
    rest: Fraction | None = None               # total minus the splits: other or not stated


@attrs.frozen
class TableRow:
    key: str | None
    label: str
    cells: tuple[CellResult, ...]


@attrs.frozen
class TableResult:
    table: "m.Table"
    rows: tuple[TableRow, ...]
    total: TableRow | None


@attrs.frozen
class AreaResult:
    area: m.Area
    goals: tuple[GoalResult, ...]
    maximum: int
    achieved: int
    index: Fraction | None
    actual_weight: Fraction | None
    target_index: Fraction | None
    grade: GradeResult | None = None

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        return tuple(r for g in self.goals for r in g.indicators)

    @property
    def goal_count(self) -> int:
        return len(self.goals)

    @property
    def indicator_count(self) -> int:
        return sum(not r.indicator.is_bonus for r in self.indicators)

    @property
    def difference(self) -> Fraction | None:
        if self.index is None or self.target_index is None:
            return None
        return self.index - self.target_index


@attrs.frozen
class Results:
    ruleset: m.Ruleset
    areas: tuple[AreaResult, ...]
    maximum: int
    achieved: int
    index: Fraction | None
    target_index: Fraction | None
    data_sources: tuple[str, ...] = ()
    tables: tuple[TableResult, ...] = ()

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        return tuple(r for a in self.areas for r in a.indicators)

    @property
    def goal_count(self) -> int:
        return sum(a.goal_count for a in self.areas)

    @property
    def indicator_count(self) -> int:
        return sum(a.indicator_count for a in self.areas)

    @property
    def difference(self) -> Fraction | None:
        if self.index is None or self.target_index is None:
            return None
        return self.index - self.target_index

    def find(self, wanted: str):
        """The indicator, goal or area result with this id, or None."""
        for area in self.areas:
            if area.area.id == wanted:
                return area
            for goal in area.goals:
                if goal.goal.id == wanted:
                    return goal
                for result in goal.indicators:
                    if result.id == wanted:
                        return result
        return None

    def ids(self) -> list[str]:
        out = []
        for area in self.areas:
            out.append(area.area.id)
            for goal in area.goals:
                out.append(goal.goal.id)
                out.extend(r.id for r in goal.indicators)
        return out
