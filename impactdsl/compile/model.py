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
from impactdsl.core.kinds import Op, Status, Unit
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
    missing_in_maximum: bool = False
    minimum_n: int = 1
    minimum_assessed: int = 1                   # a goal or unit judged from fewer assessed parts is not assessed
    missing_limit: Fraction | None = None       # % of the maximum (or the indicators) not assessed beyond which
                                                # an index is not reported
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
    multiple: bool = False                      # several answers each: counted per answer or named subset


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
    period: int | None = None                   # a year of its own (deltagare[2021]); None: the ruleset's


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
    period: int | None = None                   # a year of its own (resultat[2021]); None: the ruleset's


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


@frozen
class Arithmetic:
    """`A + B`, `A - B`, `A * B`, `A / B`: the result times `factor` (1; 1/100 for a percentage of a
    figure, 80 % * budget; 100 for a figure divided by one of its kind, kostnad / budget, which is a
    percentage). `dimension` is what the result is: percent, pp, tkr, count or number."""

    sentence: ClassVar[str] = "value"

    op: str
    left: "Measure"
    right: "Measure"
    dimension: str
    factor: Fraction = Fraction(1)
    span: Span | None = span_field()
    written: str = attrs.field(default="", eq=False)     # as the author wrote it, for explain


@frozen
class Extreme:
    """`min(A, B, ...)` or `max(A, B, ...)`: the smallest or largest of figures of one dimension."""

    sentence: ClassVar[str] = "value"

    kind: str                                   # min, max
    parts: tuple["Measure", ...]
    dimension: str
    span: Span | None = span_field()
    written: str = attrs.field(default="", eq=False)     # as the author wrote it, for explain


@frozen
class SumOf:
    """`sum(NAME over LIST)` or `sum(NAME over 2020 to 2023)`: the figure for every entity or year,
    added; `over` says what was summed over, for explain."""

    sentence: ClassVar[str] = "value"

    parts: tuple["Measure", ...]
    over: str
    dimension: str
    span: Span | None = span_field()
    written: str = attrs.field(default="", eq=False)     # as the author wrote it, for explain


@frozen
class ReportedOf:
    """An indicator whose status a person gave (`reported`): read from the outcome data with who
    judged it, when and on what evidence, never computed."""

    sentence: ClassVar[str] = "reported"

    indicator: str
    span: Span | None = span_field()


@frozen
class TodoOf:
    """An indicator whose rule is still to be written (`todo`, att göra): it has no value and is never
    assessed; the draft of a goal table has one wherever the table did not say how to measure."""

    sentence: ClassVar[str] = "todo"

    indicator: str
    span: Span | None = span_field()


def figure_text(measure: "Measure") -> str:
    """A figure as the ruleset writes it, for explain and diff: budget - 500, resultat[2021]."""
    written = getattr(measure, "written", "")
    if written:
        return written
    if isinstance(measure, Arithmetic):            # read from an export, which keeps no written text
        return f"({figure_text(measure.left)} {measure.op} {figure_text(measure.right)})"
    if isinstance(measure, Extreme):
        return f"{measure.kind}({', '.join(figure_text(part) for part in measure.parts)})"
    if isinstance(measure, SumOf):
        return f"sum({figure_text(measure.parts[0]).split('[')[0]} over {measure.over})" if measure.parts else "sum()"
    if isinstance(measure, Constant):
        return measure.name or str(measure.value)
    key = "/".join(str(x) for x in (getattr(measure, "key", None), getattr(measure, "period", None)) if x)
    name = getattr(measure, "name", None) or getattr(measure, "indicator", None) or type(measure).__name__
    return name + (f"[{key.replace('/', ', ')}]" if key else "")


MEASURES = (ShareOf, AnswerCountOf, CountOf, RatioOf, MeanMonthsOf, FactOf, Constant, GapOf, ChangeOf, OutcomeOf,
            Arithmetic, Extreme, SumOf, ReportedOf, TodoOf)
COMPUTED = (Arithmetic, Extreme, SumOf)         # figures computed from figures: their `dimension` says what
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
    bound_from: "Measure | None" = None         # a target computed from other figures: `bound` is then
    upper_from: "Measure | None" = None         # worked out at evaluation (and 0 until then)

    @property
    def computed(self) -> bool:
        return self.bound_from is not None or self.upper_from is not None


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
class Band:
    """How far from its target an outcome may be for a status. `kind` distance: at most `amount`
    short, in `unit` (pp for a share's target, number for a count's, relative: percent of the
    target); kind share: at least `amount` percent of the target reached (for a ceiling, the
    target at least that share of the outcome). `side`: of (any target), below (targets to reach
    only), above (ceilings only)."""

    kind: str
    amount: Fraction
    unit: str = Unit.PP
    side: str = "of"
    span: Span | None = span_field()


@frozen
class PointBand:
    """A further band of a points rule: `, >= 60% -> 2`, tried when the ones before it failed."""

    criterion: Criterion
    points: int
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
    is_bonus: bool = False                      # a bonus row: never in the maximum (nor is a todo)
    template: str | None = None
    note: str | None = None                     # the ruleset's reading of its sources, shown in reports
    origin: tuple[tuple[str, str, str], ...] = ()   # (what, peer, the peer's value): where numbers came from
    written: str = attrs.field(default="", eq=False)      # the rule as the author wrote it
    span: Span | None = span_field()
    bands: tuple[tuple[str, Band], ...] = ()    # this indicator's own band for a declared status
    point_bands: tuple[PointBand, ...] = ()     # further points bands, after the criterion's
    status_points: tuple[tuple[str, int], ...] = ()   # points per status (the ruleset's `points` table)

    @property
    def value(self) -> int:
        """The indicator value (indikatorvärde): what it adds to the maximum."""
        if self.is_bonus:
            return 0
        if self.cap is not None:
            return self.cap
        if self.status_points:
            return max(points for _, points in self.status_points)
        return self.points

    @property
    def target(self) -> Fraction | None:
        c = self.criterion
        if c is None or not Op(c.op).single_bound or c.computed:
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


# ---- the method: statuses, judgements, words --------------------------------

@frozen
class StatusLevel:
    """One status of the ruleset's scale, in order best first: its words, colour and role."""

    name: str
    label: str
    english: str | None
    colour: str                                 # "#rrggbb"
    role: str                                   # a Status
    band: Band | None = None                    # a partly status: how far short it reaches
    span: Span | None = span_field()

    def words(self, lang: str) -> str:
        return self.english if lang == "en" and self.english else self.label


DEFAULT_STATUSES = (                            # a ruleset that declares no status: met, missed, no data
    StatusLevel("met", "uppfyllt", "met", "#2e7d32", Status.MET),
    StatusLevel("missed", "ej uppfyllt", "missed", "#c62828", Status.MISSED),
    StatusLevel("not-assessed", "ej bedömt", "not assessed", "#8a8a8a", Status.NOT_ASSESSED),
)


@frozen
class GradeCondition:
    """One test over a goal's or unit's parts. `kind`: share_short / part_short (every share goal /
    every goal at most `amount` short, in `unit`), all, at_least (a count, or `unit` percent of the
    parts, by count or `by_points`), none; `status` names the part's status or grade that counts,
    or better (for none: or worse)."""

    kind: str
    amount: Fraction | None = None
    unit: str = Unit.NUMBER
    status: str | None = None
    by_points: bool = False
    span: Span | None = span_field()


@frozen
class GradeRule:
    """A band of a goal's or unit's judgement (`level` goal or area), tried in order: the grade
    holds when every condition does; no conditions: otherwise. `is_status`: `name` is a declared
    status (its words and colour), else a grade of its own (God, Godtagbart)."""

    name: str
    level: str = "area"
    conditions: tuple[GradeCondition, ...] = ()
    is_status: bool = False
    span: Span | None = span_field()


@frozen
class Judged:
    """A goal's or unit's judgement made by a person (sammanvägd bedömning), with the reason."""

    id: str
    name: str
    reason: str
    is_status: bool = False
    span: Span | None = span_field()


@frozen
class Word:
    """The method's own word for one of its parts (`call area "Insats" english "Project"`)."""

    word: str
    text: str
    english: str | None = None


@frozen
class IndexRule:
    """The ruleset's index: points achieved of the maximum, or (`of_goals`) the share of goals
    judged that status or grade or better."""

    name: str
    english: str | None = None
    of_goals: str | None = None
    span: Span | None = span_field()


@frozen
class Method:
    """How this ruleset judges and names: nothing here is the engine's own."""

    statuses: tuple[StatusLevel, ...]
    grades: tuple[GradeRule, ...] = ()
    judged: tuple[Judged, ...] = ()
    words: tuple[Word, ...] = ()
    index: IndexRule | None = None

    def status(self, name: str) -> StatusLevel | None:
        return next((x for x in self.statuses if x.name == name), None)

    def role(self, role: Status) -> StatusLevel:
        return next(x for x in self.statuses if x.role == role)

    @property
    def partly(self) -> tuple[StatusLevel, ...]:
        return tuple(x for x in self.statuses if x.role == Status.PARTLY)

    def grades_of(self, level: str) -> tuple[GradeRule, ...]:
        return tuple(g for g in self.grades if g.level == level)

    def word(self, word: str) -> Word | None:
        return next((w for w in self.words if w.word == word), None)


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
    method: Method = Method(DEFAULT_STATUSES)
    tables: tuple[Table, ...] = ()
    templates: tuple = attrs.field(default=(), eq=False)   # (name, syntax template) for importers
    imports: tuple[tuple[str, str, str], ...] = attrs.field(default=(), eq=False)  # (alias, path, content hash)
    path: str = attrs.field(default="", eq=False)
    sha256: str = attrs.field(default="", eq=False)
    inputs: tuple[str, ...] = attrs.field(default=(), eq=False)   # every file read to make it, links resolved

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for a in self.areas for i in a.indicators)

    @property
    def grades(self) -> tuple[GradeRule, ...]:
        return self.method.grades

    def find(self, kind: str, name: str) -> Described | None:
        return next((d for d in getattr(self, kind) if d.name == name), None)

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)
