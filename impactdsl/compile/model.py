"""What a ruleset means: names resolved, templates expanded, units checked.

Built by compile/document.py from the syntax (and by exchange.py from exported YAML);
read by the evaluation stage. Every class is frozen and holds tuples, so a compiled
ruleset can be shared and compared, and every text in it passes `redact`
as the object is made (`frozen` below), so no output can show an identity
number or a control character from a ruleset, whoever wrote it."""

from __future__ import annotations

from fractions import Fraction
from typing import ClassVar, Union

import attrs

from impactdsl.core.arithmetic import Rounding
from impactdsl.core.kinds import Op, Unit
from impactdsl.core.redact import texts_redacted
from impactdsl.core.source import Span, span_field

frozen = attrs.frozen(field_transformer=texts_redacted)


@frozen
class Settings:
    name: str = ""
    association: str = ""
    period: int | None = None
    previous_period: int | None = None
    rounding: Rounding = Rounding()
    near_band: Fraction | None = None          # percentage points
    missing_in_maximum: bool = False
    minimum_n: int = 1
    target_index: Fraction | None = None


@frozen
class Scale:
    name: str
    answers: tuple[str, ...]                    # keys, positive first
    labels: tuple[str, ...]                     # as the survey writes them
    subsets: tuple[tuple[str, frozenset[str]], ...] = ()
    unanswered: tuple[str, ...] = ()            # answers that count as not answered ("vet ej")

    def subset(self, name: str) -> frozenset[str] | None:
        return dict(self.subsets).get(name)

    def label(self, answer: str) -> str:
        return dict(zip(self.answers, self.labels)).get(answer, answer)


@frozen
class Question:
    name: str
    scale: Scale
    text: str | None = None


@frozen
class Described:
    """A group, count, fact or key: a name with the words the reports use for it."""

    name: str
    text: str | None = None
    kind: str = ""


FLAGS = ("exited", "new", "active")
YEARS = range(1900, 2200)                       # a period a register's dates can be compared with


@frozen
class RowCondition:
    """A condition on one register row; `op` is flag, =, <, <=, >, >= or in."""

    field: str
    op: str
    values: tuple[str | Fraction, ...] = ()


@frozen
class Count:
    """A declared count. With `register` set it is computed from that register's
    rows matching every condition; otherwise it is given in aggregated data."""

    name: str
    text: str | None = None
    register: str | None = None
    conditions: tuple[RowCondition, ...] = ()
    per_person: bool = False                    # each person once, however many enrolments
    kind: str = "count"


# ---- measures ------------------------------------------------------------
# One class per kind, each listed in MEASURES. `sentence` names how a report says the outcome
# (render/view.py has one way for each): "answers" (79 % (75 av 95) av personalen har svarat: ...),
# "part_of_whole" (79 % (75 av 95)), "gap" (two shares and their difference), "value" (the value).

@frozen
class AnswersOf:
    """A measure of a group's answers to a question: those that fall in `answers`."""

    group: Described
    subgroup: Described | None
    question: Question
    answers: frozenset[str]
    answers_name: str | None = None             # the subset's name when one was used
    span: Span | None = span_field()


@frozen
class ShareOf(AnswersOf):
    """The share of the group's answers that fall in `answers`."""

    sentence: ClassVar[str] = "answers"


@frozen
class AnswerCountOf(AnswersOf):
    """How many of the group answered within `answers`: `count(GROUP, QUESTION, ANSWERS)`."""

    sentence: ClassVar[str] = "value"


@frozen
class CountOf:
    sentence: ClassVar[str] = "value"

    name: str
    key: str | None = None
    previous: bool = False
    span: Span | None = span_field()


@frozen
class RatioOf:
    sentence: ClassVar[str] = "part_of_whole"

    part: CountOf
    whole: CountOf
    span: Span | None = span_field()


@frozen
class MeanMonthsOf:
    """Mean months enrolled of the people a register count counts."""

    sentence: ClassVar[str] = "value"

    count: CountOf
    span: Span | None = span_field()


@frozen
class FactOf:
    sentence: ClassVar[str] = "value"

    name: str
    kind: str                                   # percent, number, yes/no
    key: str | None = None
    previous: bool = False
    span: Span | None = span_field()


@frozen
class Constant:
    sentence: ClassVar[str] = "value"

    value: Fraction
    unit: str                                   # percent, number
    name: str | None = None
    span: Span | None = span_field()


@frozen
class GapOf:
    sentence: ClassVar[str] = "gap"

    first: "Measure"
    second: "Measure"
    span: Span | None = span_field()


@frozen
class ChangeOf:
    sentence: ClassVar[str] = "value"

    direction: str                              # increase, decrease
    start: "Measure"
    end: "Measure"
    relative: bool = False
    span: Span | None = span_field()


@frozen
class OutcomeOf:
    sentence: ClassVar[str] = "value"

    indicator: str
    span: Span | None = span_field()


MEASURES = (ShareOf, AnswerCountOf, CountOf, RatioOf, MeanMonthsOf, FactOf, Constant, GapOf, ChangeOf, OutcomeOf)
Measure = Union[MEASURES]


@frozen
class Criterion:
    """`op`: >= <= > < = between within-target closer-than-target.

    `bound` and `upper` are on the measure's scale (percent, pp, relative %,
    number; True/False for yes/no). For the two target forms `bound` is the
    allowed distance and `upper` the target it is measured from."""

    op: str
    bound: Fraction | bool
    upper: Fraction | None = None
    unit: str = Unit.PERCENT
    span: Span | None = span_field()


@frozen
class Bonus:
    criterion: Criterion
    points: int
    span: Span | None = span_field()


@frozen
class Override:
    reason: str
    outcome: str | None = None                  # met / missed
    points: int | None = None
    span: Span | None = span_field()


@frozen
class Indicator:
    id: str
    text: str
    measure: Measure
    criterion: Criterion | None                 # None: points per unit
    points: int                                 # points when met, or per unit
    cap: int | None = None                      # per-unit scoring: the most it can earn
    bonus: Bonus | None = None
    override: Override | None = None
    is_bonus: bool = False                      # a bonus row: never in the maximum
    template: str | None = None
    note: str | None = None                     # the ruleset's reading of its sources, shown in reports
    origin: tuple[tuple[str, str, str], ...] = ()   # (what, peer, the peer's value): where numbers came from
    written: str = attrs.field(default="", eq=False)      # the rule as the author wrote it
    span: Span | None = span_field()

    @property
    def value(self) -> int:
        """The indicator value (indikatorvärde): what it adds to the maximum."""
        return 0 if self.is_bonus else (self.cap if self.cap is not None else self.points)

    @property
    def target(self) -> Fraction | None:
        c = self.criterion
        if c is None or not Op(c.op).single_bound:
            return None
        return c.bound


@frozen
class Goal:
    id: str
    text: str
    indicators: tuple[Indicator, ...]
    span: Span | None = span_field()


@frozen
class Area:
    id: str
    title: str
    goals: tuple[Goal, ...]
    weight: Fraction | None = None              # planned, percent
    target_index: Fraction | None = None
    span: Span | None = span_field()

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for g in self.goals for i in g.indicators)


@frozen
class GradeRule:
    """A band of a grade scale: the grade holds when every selected goal is at most
    `limit` short of its target ('share': percentage goals, in percentage points;
    'goal': every goal, counts in relative percent). `selector` None: otherwise."""

    name: str
    selector: str | None = None
    limit: Fraction | None = None
    span: Span | None = span_field()


@frozen
class Cell:
    """One cell of a table, and its split by subgroup (key, measure)."""

    measure: "Measure | None"
    splits: tuple[tuple[str, "Measure"], ...] = ()


@frozen
class Column:
    name: str
    title: str
    unit: str
    split: tuple[tuple[str, str], ...]          # (subgroup key, label)
    cells: tuple[Cell, ...]                     # one per row
    total: Cell


@frozen
class Table:
    """A descriptive table or a follow-up: not a score, shown beside the scores."""

    kind: str                                   # table, followup
    name: str
    title: str
    rows: tuple[Described, ...]
    total_label: str | None
    columns: tuple[Column, ...]
    span: Span | None = span_field()


@frozen
class Ruleset:
    settings: Settings
    scales: tuple[Scale, ...]
    questions: tuple[Question, ...]
    groups: tuple[Described, ...]
    keys: tuple[Described, ...]                 # subgroups and entities
    counts: tuple[Count, ...]
    facts: tuple[Described, ...]
    areas: tuple[Area, ...]
    registers: tuple[Described, ...] = ()
    grades: tuple[GradeRule, ...] = ()
    tables: tuple[Table, ...] = ()
    templates: tuple = attrs.field(default=(), eq=False)   # (name, syntax template) for importers
    imports: tuple[tuple[str, str, str], ...] = attrs.field(default=(), eq=False)  # (alias, path, content hash)
    path: str = attrs.field(default="", eq=False)
    sha256: str = attrs.field(default="", eq=False)
    inputs: tuple[str, ...] = attrs.field(default=(), eq=False)   # every file read to make it, links resolved

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for a in self.areas for i in a.indicators)

    def find(self, kind: str, name: str) -> Described | None:
        return next((d for d in getattr(self, kind) if d.name == name), None)

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)
