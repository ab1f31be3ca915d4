"""What evaluation found: per indicator, goal, area and in total, with a trace.

Explain, JSON and reports read these and nothing upstream of them. The records
are named tuples, read-only, with their annotations evaluated as the module is
read (no `from __future__ import annotations`): made so, they cost a fraction of
what attrs classes cost to make, and every run that evaluates pays that."""

from fractions import Fraction
from typing import NamedTuple

from impactdsl.compile import model as m
from impactdsl.core.kinds import Status, Unit
from impactdsl.outcomes.tallies import Report


class TraceItem(NamedTuple):
    """One number used: what it is (a words key and its arguments), its value
    and unit, and where it came from. Sentences are made by words.py."""

    key: str
    value: Fraction | int | bool | None
    unit: str = Unit.NUMBER
    source: str = ""
    args: tuple[tuple[str, str], ...] = ()


class Measured(NamedTuple):
    """What one measure gave: its exact value, the value as compared, the trace of every number used,
    or why it could not be measured."""

    value: Fraction | bool | None
    compared: Fraction | bool | None
    unit: str
    trace: tuple[TraceItem, ...] = ()
    missing: tuple | None = None               # (words key, arguments) when not measurable
    part: int | None = None                    # for shares: k of n, to find the margin
    whole: int | None = None
    counted: str = ""
    parts: tuple[tuple[int, int], ...] = ()    # every (k, n) a share or gap was computed from


class Margin(NamedTuple):
    """How far the outcome was from flipping: `change` more (or, negative, fewer)
    of `counted` out of the same `whole` would have given `flips_to`."""

    change: int
    counted: str
    whole: int
    flips_to: str


class IndicatorResult(NamedTuple):
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
    report: Report | None = None               # a status a person gave: who, when, on what evidence
    criterion: m.Criterion | None = None       # as judged: a computed target worked out (else the rule's)
    role: str = ""                             # its status's role (a Status): met, partly, missed, not-assessed

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def value(self) -> int:
        return self.indicator.value if self.counted_in_max else 0

    @property
    def earned(self) -> int:
        return self.points + self.bonus_points


class ConditionTried(NamedTuple):
    """One condition of a grade band, tried: whether it held, the parts that decided it, and what
    was found (a count of parts, a share in percent, or the largest shortfall) out of how many."""

    condition: m.GradeCondition
    holds: bool
    deciding: tuple[str, ...] = ()
    found: Fraction | None = None
    of: int | None = None


class GradeStep(NamedTuple):
    """One band tried, in order; no conditions: the grade that holds otherwise."""

    grade: str
    holds: bool
    tried: tuple[ConditionTried, ...] = ()


class GradeResult(NamedTuple):
    """A goal's or unit's judgement. `grade` None: not assessed, `reason` says why. `judged`: made
    by a person, and `computed` what the bands gave."""

    grade: str | None
    decided_by: tuple[str, ...]                # the parts that decided it
    steps: tuple[GradeStep, ...]
    assessed: int = 0                          # parts assessed, of
    parts: int = 0
    reason: tuple | None = None
    judged: m.Judged | None = None
    computed: str | None = None


class GoalResult(NamedTuple):
    goal: m.Goal
    indicators: tuple[IndicatorResult, ...]
    grade: GradeResult | None = None

    @property
    def maximum(self) -> int:
        return sum(r.value for r in self.indicators)

    @property
    def achieved(self) -> int:
        return sum(r.earned for r in self.indicators)


class CellResult(NamedTuple):
    value: Fraction | bool | None
    splits: tuple[tuple[str, Fraction | None], ...] = ()
    rest: Fraction | None = None               # total minus the splits: other or not stated
    hidden: frozenset[str] = frozenset()       # parts not shown ("value", a split's key, "rest"): too few people


class TableRow(NamedTuple):
    key: str | None
    label: str
    cells: tuple[CellResult, ...]


class TableResult(NamedTuple):
    table: "m.Table"
    rows: tuple[TableRow, ...]
    total: TableRow | None


class Unassessed(NamedTuple):
    """What could not be assessed, so that no report hides it: the indicators (bonus rows aside),
    and the points they could have given of all there are."""

    indicators: tuple[IndicatorResult, ...]
    points: int
    possible: int
    of: int                                    # indicators there are (bonus rows aside)

    @classmethod
    def among(cls, results: tuple[IndicatorResult, ...]) -> "Unassessed":
        counted = [r for r in results if not r.indicator.is_bonus]
        missing = tuple(r for r in counted if r.role == Status.NOT_ASSESSED)
        return cls(missing, sum(r.indicator.value for r in missing), sum(r.indicator.value for r in counted),
                   len(counted))

    @property
    def share(self) -> Fraction:
        """The part not assessed: of the points where there are points, else of the indicators."""
        if self.possible:
            return Fraction(self.points, self.possible)
        return Fraction(len(self.indicators), self.of) if self.of else Fraction(0)


class AreaResult(NamedTuple):
    area: m.Area
    goals: tuple[GoalResult, ...]
    maximum: int
    achieved: int
    index: Fraction | None
    actual_weight: Fraction | None
    target_index: Fraction | None
    grade: GradeResult | None = None
    withheld: bool = False                     # the index not reported: too much could not be assessed

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        return tuple(r for g in self.goals for r in g.indicators)

    @property
    def unassessed(self) -> Unassessed:
        return Unassessed.among(self.indicators)

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


class Results(NamedTuple):
    ruleset: m.Ruleset
    areas: tuple[AreaResult, ...]
    maximum: int
    achieved: int
    index: Fraction | None
    target_index: Fraction | None
    data_sources: tuple[str, ...] = ()
    tables: tuple[TableResult, ...] = ()
    withheld: bool = False                     # the index not reported: too much could not be assessed
    data_digests: tuple[tuple[str, str], ...] = ()   # (data file, SHA-256): what the figures were read from

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        return tuple(r for a in self.areas for r in a.indicators)

    @property
    def inputs(self) -> tuple[tuple[str, str], ...]:
        """(file, SHA-256) of the ruleset, each import and each data file: a figure traced to its files."""
        ruleset = ((self.ruleset.path, self.ruleset.sha256),) if self.ruleset.sha256 else ()
        return ruleset + tuple((path, digest) for _, path, digest in self.ruleset.imports) + self.data_digests

    @property
    def unassessed(self) -> Unassessed:
        return Unassessed.among(self.indicators)

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
