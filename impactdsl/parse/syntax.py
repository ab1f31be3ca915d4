"""What the author wrote, one frozen class per grammar construct.

The parser builds these from Lark's tree (Lark's types never leave parser.py and builder.py);
the compiler turns them into the model; the formatter prints them back.
Spans are kept on every node but take no part in equality."""

from __future__ import annotations

from fractions import Fraction
from typing import Union

import attrs

from impactdsl.core.source import Span, span_field

# ---- values --------------------------------------------------------------

@attrs.frozen
class Quantity:
    """A number with its unit: 'percent' (80%), 'pp' (5pp), 'relative' (0.5% relative), 'number'."""

    number: Fraction
    unit: str
    span: Span | None = span_field()


@attrs.frozen
class Ref:
    """A name, optionally for one subgroup or entity: `avslut`, `avslut[kvinnor]`,
    or both: `avslut[lyra, kvinnor]` (key "lyra/kvinnor")."""

    name: str
    key: str | None = None
    span: Span | None = span_field()


@attrs.frozen
class AnswerList:
    answers: tuple[str, ...]
    span: Span | None = span_field()


@attrs.frozen
class YesNo:
    value: bool
    span: Span | None = span_field()


# ---- measures ------------------------------------------------------------

@attrs.frozen
class Share:
    group: Ref
    question: Ref
    answers: AnswerList | Ref
    span: Span | None = span_field()


@attrs.frozen
class Ratio:
    part: Ref
    whole: Ref
    span: Span | None = span_field()


@attrs.frozen
class Gap:
    first: "Measure"
    second: "Measure"
    span: Span | None = span_field()


@attrs.frozen
class Change:
    """`increase(FROM, TO)` or `decrease(FROM, TO)`."""

    direction: str
    start: "Measure | Quantity"
    end: "Measure | Quantity"
    span: Span | None = span_field()


@attrs.frozen
class Outcome:
    indicator: str
    span: Span | None = span_field()


@attrs.frozen
class MeanMonths:
    """`mean_months(COUNT)`: mean months enrolled of the people a register count counts."""

    ref: Ref
    span: Span | None = span_field()


@attrs.frozen
class Previous:
    ref: Ref
    span: Span | None = span_field()


@attrs.frozen
class Call:
    """`NAME(arguments)` where a measure stands: a measure kind declared by the compiler
    (`count(staff, q1, ['Ja'])`), so a new kind needs no new syntax. Arguments are as a
    template call's: names (Ref), quantities, answer lists."""

    name: str
    arguments: tuple
    span: Span | None = span_field()


@attrs.frozen
class Arithmetic:
    """`A + B`, `A - B`, `A * B`, `A / B`: a figure computed from figures (measures, facts, params,
    numbers); brackets only group, they leave no node."""

    op: str
    left: "Measure | Quantity"
    right: "Measure | Quantity"
    span: Span | None = span_field()


@attrs.frozen
class Negate:
    """`-A`: a figure below zero, or the opposite of one."""

    operand: "Measure | Quantity"
    span: Span | None = span_field()


@attrs.frozen
class SumOver:
    """`sum(NAME over LIST)`: a count's or fact's value for every entity of a list, added; or
    `sum(NAME over 2020 to 2023)`: for every year from the first to the last."""

    ref: Ref
    entities: str | None = None
    first: int | None = None
    last: int | None = None
    span: Span | None = span_field()


MEASURES = (Share, Ratio, Gap, Change, Outcome, Previous, MeanMonths, Call, Ref, Arithmetic, Negate, SumOver)
Measure = Union[MEASURES]
Threshold = Union[Quantity, Ref, YesNo]


# ---- rules ---------------------------------------------------------------

@attrs.frozen
class Comparison:
    """`op` is one of >= <= > < = between within-target closer-than-target."""

    op: str
    bound: Threshold
    upper: Threshold | None = None
    span: Span | None = span_field()


@attrs.frozen
class Criterion:
    measure: Measure
    comparison: Comparison
    span: Span | None = span_field()


@attrs.frozen
class TemplateCall:
    name: str
    arguments: tuple
    span: Span | None = span_field()


Condition = Union[Criterion, TemplateCall]


@attrs.frozen
class BonusClause:
    comparison: Comparison
    points: int
    span: Span | None = span_field()


@attrs.frozen
class OverrideClause:
    """A manual outcome: `outcome` is 'met' or 'missed', or `points` is set.
    In an `each` block, `entity` limits it to one entity."""

    reason: str
    outcome: str | None = None
    points: int | None = None
    entity: str | None = None
    span: Span | None = span_field()


@attrs.frozen
class NoteClause:
    """A note shown beside the indicator in every report: the ruleset's reading of a source."""

    text: str
    entity: str | None = None
    span: Span | None = span_field()


@attrs.frozen
class StatusClause:
    """`; status delvis when at least 90% of target`: this indicator's own band for a declared status."""

    name: str
    band: "Band"
    span: Span | None = span_field()


@attrs.frozen
class PointBand:
    """`, >= 60% -> 2`: a further band of a points rule, tried after the ones before it."""

    comparison: Comparison
    points: int
    span: Span | None = span_field()


@attrs.frozen
class PointsRule:
    condition: Condition
    points: int | Ref | None                   # a Ref names a param given per entity; None: no points written
    clauses: tuple = ()
    span: Span | None = span_field()
    written: str = attrs.field(default="", eq=False)      # as the author wrote it, for explain
    bands: tuple[PointBand, ...] = ()


@attrs.frozen
class PerUnitRule:
    measure: Measure
    points: int
    cap: int
    clauses: tuple = ()
    span: Span | None = span_field()
    written: str = attrs.field(default="", eq=False)      # as the author wrote it, for explain


@attrs.frozen
class ReportedRule:
    """`reported`: the indicator's status is not computed but given in the outcome data, with who
    judged it and on what evidence (and, for a deliverable, its text)."""

    points: int | None
    clauses: tuple = ()
    span: Span | None = span_field()
    written: str = attrs.field(default="", eq=False)


@attrs.frozen
class TodoRule:
    """`todo >= 40% -> 8`: a placeholder where the rule is still to be written (`att göra`), as a draft
    made from a goal table has one for each indicator whose measure could not be read from it. What is
    known stands beside it: the target (`comparison`, or None) and the points. Never assessed."""

    comparison: Comparison | None
    points: int | None
    clauses: tuple = ()
    span: Span | None = span_field()
    written: str = attrs.field(default="", eq=False)


Rule = Union[PointsRule, PerUnitRule, ReportedRule, TodoRule]


# ---- statements ----------------------------------------------------------

SETTINGS = ("ruleset", "association", "period", "rounding", "missing_data", "missing_limit", "minimum_n",
            "minimum_assessed",
            "total_target_index")        # the keys of the header's lines, each handled by every stage


@attrs.frozen
class Setting:
    """A header line: `key` (one of SETTINGS) names it; `value` is a tuple of what followed the keyword."""

    key: str
    value: tuple
    span: Span | None = span_field()


@attrs.frozen
class Option:
    key: str
    label: str | None = None
    span: Span | None = span_field()


@attrs.frozen
class SubsetDecl:
    name: str
    answers: AnswerList
    span: Span | None = span_field()
    name_span: Span | None = span_field()         # where its name is written, for an editor


@attrs.frozen
class ScaleDecl:
    name: str
    options: tuple[Option, ...]
    subsets: tuple[SubsetDecl, ...] = ()
    unanswered: AnswerList | None = None      # answers that count as not answered ("vet ej")
    span: Span | None = span_field()
    name_span: Span | None = span_field()         # where its name is written, for an editor


@attrs.frozen
class Key:
    name: str
    label: str | None = None
    span: Span | None = span_field()


@attrs.frozen
class RowCondition:
    """One condition on a register row: `exited` (op 'flag'), `age < 30`, `exit_reason in [...]`."""

    field: str
    op: str
    values: tuple = ()
    span: Span | None = span_field()


@attrs.frozen
class CountSource:
    """Where a count comes from when raw registers are read: REGISTER where CONDITIONS."""

    register: Ref
    conditions: tuple[RowCondition, ...] = ()
    per_person: bool = False
    span: Span | None = span_field()


@attrs.frozen
class NameDecl:
    """A declared name: `kind` is group, question, register, count or fact.
    `detail` is the question's scale, the fact's kind or the count's source."""

    kind: str
    name: str
    text: str | None = None
    detail: Ref | CountSource | str | None = None
    span: Span | None = span_field()
    multiple: bool = False                      # a question whose respondents may give several answers
    name_span: Span | None = span_field()         # where its name is written, for an editor


@attrs.frozen
class KeysDecl:
    """`subgroups` or `entities`: named keys that select part of a group or a fact."""

    kind: str
    name: str
    keys: tuple[Key, ...]
    span: Span | None = span_field()
    name_span: Span | None = span_field()         # where its name is written, for an editor


@attrs.frozen
class ParamDecl:
    """`value` is a Quantity, a text, or a tuple of (entity, Quantity or text) pairs."""

    name: str
    value: Quantity | str | tuple
    span: Span | None = span_field()
    name_span: Span | None = span_field()         # where its name is written, for an editor


# ---- the method --------------------------------------------------------

@attrs.frozen
class Band:
    """How far from its target an outcome may be for a status: `within 5pp of target` (kind
    'distance'; side of/below/above) or `at least 80% of target` (kind 'share')."""

    kind: str
    amount: Quantity
    side: str = "of"
    span: Span | None = span_field()


@attrs.frozen
class StatusDecl:
    """`status delvis "Delvis uppfyllt" english "Partly met" colour yellow when ...`; `rule` is
    met, band, otherwise or no_data."""

    name: str
    label: str
    english: str | None
    colour: str | None
    rule: str
    band: Band | None = None
    span: Span | None = span_field()
    name_span: Span | None = span_field()         # where its name is written, for an editor


@attrs.frozen
class CallDecl:
    """`call area "Insats" english "Project"`: the method's own word for one of its parts."""

    word: str
    text: str
    english: str | None = None
    span: Span | None = span_field()


@attrs.frozen
class IndexDecl:
    """`index "Impact Index"`: points achieved of the maximum; `of goals NAME`: the share of goals so judged."""

    name: str
    english: str | None = None
    of_goals: str | None = None
    span: Span | None = span_field()


@attrs.frozen
class PointsByStatus:
    """`points uppfyllt 2, delvis 1`."""

    points: tuple[tuple[str, int], ...]
    span: Span | None = span_field()


@attrs.frozen
class GradeCondition:
    """One test of a grade band over a goal's or unit's parts. `kind`: share_short, part_short (every
    share / every goal at most AMOUNT short), all, at_least, none; `status` names a status or grade."""

    kind: str
    amount: Quantity | None = None
    status: str | None = None
    by_points: bool = False
    span: Span | None = span_field()


@attrs.frozen
class GradeDecl:
    """`grade goal uppfyllt when all uppfyllt`, `grade "God" when every share is at most 5pp short`:
    no conditions means otherwise. A NAME (`is_status`) is a declared status; a text is a grade of its own."""

    name: str
    level: str = "area"
    conditions: tuple[GradeCondition, ...] = ()
    is_status: bool = False
    span: Span | None = span_field()


@attrs.frozen
class JudgeDecl:
    """`judge 2.1 delvis because "..."`: a goal's or unit's judgement made by a person, with the reason."""

    id: str
    name: str
    reason: str
    is_status: bool = False
    span: Span | None = span_field()


@attrs.frozen
class ColumnDecl:
    name: str
    title: str
    measure: "Measure"
    split: str | None = None
    span: Span | None = span_field()


@attrs.frozen
class TableDecl:
    """A descriptive table (or a follow-up of one cohort): a row per entity, a column per measure."""

    kind: str
    name: str
    title: str
    rows: str
    total: str | None
    columns: tuple[ColumnDecl, ...]
    span: Span | None = span_field()


@attrs.frozen
class TemplateDecl:
    name: str
    parameters: tuple[str, ...]
    body: Condition
    span: Span | None = span_field()
    name_span: Span | None = span_field()         # where its name is written, for an editor


@attrs.frozen
class AreaDecl:
    id: str
    title: str
    weight: Quantity | None = None
    target_index: Fraction | None = None
    span: Span | None = span_field()


@attrs.frozen
class GoalDecl:
    id: str
    text: str
    span: Span | None = span_field()


@attrs.frozen
class IndicatorDecl:
    id: str
    text: str
    rule: Rule
    is_bonus: bool = False
    span: Span | None = span_field()
    id_span: Span | None = span_field()


@attrs.frozen
class EachBlock:
    """Indicators written once and made for every entity of a list."""

    variable: str
    entities: Ref
    indicators: tuple[IndicatorDecl, ...]
    span: Span | None = span_field()


@attrs.frozen
class ImportDecl:
    """`import "umea-2022" as umea`: a peer ruleset (folder, .impact file or exported .yaml)."""

    path: str
    alias: str
    span: Span | None = span_field()


@attrs.frozen
class AreaFrom:
    """`area 3 from umea`: the peer's whole area, its goals and indicators."""

    id: str
    peer: str
    span: Span | None = span_field()


@attrs.frozen
class Adapt:
    """`adapt target 3.2.6 = 75%`, `adapt weight 3 = 25%`, `adapt points ...`, `adapt text ...`."""

    what: str
    id: str
    value: "Quantity | int | str"
    span: Span | None = span_field()


@attrs.frozen
class MapDecl:
    """`map question umea.q3.2.6 to q12`: the peer's name means our own."""

    kind: str
    peer_name: str
    own_name: str
    span: Span | None = span_field()



@attrs.frozen
class Document:
    path: str
    statements: tuple
    tokens: int = attrs.field(default=0, eq=False)     # words, numbers and signs read: an import tree's budget
