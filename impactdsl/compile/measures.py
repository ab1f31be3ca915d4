"""Every measure kind, compiled: the syntax the parser built → a model node and the unit of its value.

A measure that cannot be made is (None, Unit.INVALID), and so is every measure holding one; its
problem has been reported (maybe earlier: outcome(ID) of an indicator that did not compile).

One table holds a compile function per syntax class (`FROM_SYNTAX`); a
measure written `NAME(arguments)` (`count(staff, q1, ['Ja'])`) is declared
only here, in `CALLS`, with what each argument names, and needs no grammar of
its own. `UNITS` gives, per model class, the unit its value has after
compiling. A kind that some stage has no handler for fails
`tests/test_kinds.py`, which names the kind and the stage.

Adding a measure kind (docs/internals.md): its model class in model.py
(listed in `model.MEASURES`), its entry in `CALLS` and `UNITS` here, its
evaluation in evaluation/measures.py — and its tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from impactdsl.compile import model as m
from impactdsl.compile.scope import Problems, Scope
from impactdsl.core.kinds import Unit
from impactdsl.parse import syntax as s

Compiled = tuple["m.Measure | None", Unit]
OutcomeUnit = Callable[[s.Outcome], tuple[Unit, "m.Indicator | None"]]


if TYPE_CHECKING:                   # a type only: what a measure's compile function may ask
    from typing import Protocol

    class Rules(Protocol):
        """The rule compiler (compile/rule.py RuleCompiler) that calls these functions, as they see it."""

        scope: Scope
        problems: Problems
        outcome_unit: OutcomeUnit

        def measure(self, node) -> Compiled: ...
        def operand(self, node) -> Compiled: ...
        def key(self, ref: s.Ref) -> m.Described | None: ...
        def count_ref(self, ref: s.Ref, previous: bool = False) -> m.CountOf: ...
        def value_ref(self, ref: s.Ref, previous: bool) -> Compiled: ...
        def answers(self, node, scale: m.Scale) -> tuple[frozenset[str] | None, str | None]: ...


# ---- measures with syntax of their own --------------------------------------

def _share(rules: Rules, node: s.Share) -> Compiled:
    return _answers_of(rules, m.ShareOf, node.group, node.question, node.answers, node.span), Unit.PERCENT


def _ratio(rules: Rules, node: s.Ratio) -> Compiled:
    return m.RatioOf(rules.count_ref(node.part), rules.count_ref(node.whole), node.span), Unit.PERCENT


def _value(rules: Rules, node: s.Ref) -> Compiled:
    return rules.value_ref(node, previous=False)


def _previous(rules: Rules, node: s.Previous) -> Compiled:
    return rules.value_ref(node.ref, previous=True)


def _mean_months(rules: Rules, node: s.MeanMonths) -> Compiled:
    count = rules.count_ref(node.ref)
    declared = rules.scope.counts.get(node.ref.name)
    if declared is not None and declared.register is None:
        rules.problems.error("register", f"mean_months needs a count from a register; {node.ref.name} is given "
                             "as a number only", node.span, f"define it: count {node.ref.name} = REGISTER where ...")
    return m.MeanMonthsOf(count, node.span), Unit.NUMBER


def _outcome(rules: Rules, node: s.Outcome) -> Compiled:
    unit, _ = rules.outcome_unit(node)
    if unit == Unit.INVALID:                # that indicator did not compile (said there): neither does this
        return None, Unit.INVALID
    if unit == Unit.STATUS:
        rules.problems.error("unit", f"{node.indicator} is judged by a person (reported): it has no value to use",
                             node.span, "use a measure of its own here, or report this indicator's status too")
        return None, Unit.INVALID
    return m.OutcomeOf(node.indicator, node.span), unit


def _gap(rules: Rules, node: s.Gap) -> Compiled:
    first, u1 = rules.measure(node.first)
    second, u2 = rules.measure(node.second)
    for unit, part in ((u1, node.first), (u2, node.second)):
        if unit not in (Unit.PERCENT, Unit.INVALID):
            rules.problems.error("unit", "gap(...) compares two percentages", part.span,
                                 "use share(...) or ratio(...) on both sides")
    if first is None or second is None:
        return None, Unit.INVALID
    return m.GapOf(first, second, node.span), Unit.PP


def _change(rules: Rules, node: s.Change) -> Compiled:
    start, u1 = rules.operand(node.start)
    end, u2 = rules.operand(node.end)
    if Unit.INVALID not in (u1, u2) and u1 != u2:
        rules.problems.error("unit", f"{node.direction}(...) needs two values of the same kind, "
                             f"here {describe_unit(u1)} and {describe_unit(u2)}", node.span)
    if u1 not in (Unit.PERCENT, Unit.NUMBER, Unit.INVALID):
        rules.problems.error("unit", f"{node.direction}(...) compares two percentages or two numbers, "
                             f"not {describe_unit(u1)}", node.span,
                             "a change of a change is not supported; compare the two with gap(...)")
        return None, Unit.INVALID
    if start is None or end is None or Unit.INVALID in (u1, u2):
        return None, Unit.INVALID
    unit = {Unit.PERCENT: Unit.CHANGE_PERCENT, Unit.NUMBER: Unit.CHANGE_NUMBER}[u1]
    return m.ChangeOf(node.direction, start, end, False, node.span), unit


def _call(rules: Rules, node: s.Call) -> Compiled:
    """A measure written NAME(arguments): its kind from `CALLS`, its arguments checked against it."""
    kind = CALLS.get(node.name)
    if kind is None:
        if node.name in rules.scope.templates:
            rules.problems.error("template", f"template {node.name} is a whole rule: it stands alone before '->'",
                                 node.span, f"write {node.name}(...) -> POINTS, or a measure here")
        else:
            rules.problems.unknown("measure", node.name, [*MEASURE_NAMES, *CALLS], node.span,
                                   extra="a measure is share(...), ratio(...), count(...), a count, a fact or a param")
        return None, Unit.INVALID
    if len(node.arguments) != len(kind.arguments):
        rules.problems.error("measure", f"{node.name}(...) takes {len(kind.arguments)} values "
                             f"({', '.join(a.upper() for a in kind.arguments)}), {len(node.arguments)} given",
                             node.span, f"e.g. {kind.example}")
        return None, Unit.INVALID
    for what, argument in zip(kind.arguments, node.arguments):
        taken = ARGUMENTS[what]
        if not isinstance(argument, taken.forms) or (not taken.keyed and getattr(argument, "key", None)):
            rules.problems.error("measure", f"{node.name}(...) takes {taken.words} here",
                                 getattr(argument, "span", None) or node.span, f"e.g. {kind.example}")
            return None, Unit.INVALID
    return kind.build(rules, node, *node.arguments)


FROM_SYNTAX: dict[type, Callable[..., Compiled]] = {
    s.Share: _share,
    s.Ratio: _ratio,
    s.Ref: _value,
    s.Previous: _previous,
    s.MeanMonths: _mean_months,
    s.Outcome: _outcome,
    s.Gap: _gap,
    s.Change: _change,
    s.Call: _call,
}
MEASURE_NAMES = ("share", "ratio", "gap", "increase", "decrease", "outcome", "previous", "mean_months")


# ---- measures written NAME(arguments) ---------------------------------------

@attrs.frozen
class CallKind:
    """A measure written NAME(arguments): what each argument names, and how it is made from them."""

    arguments: tuple[str, ...]                  # keys of ARGUMENTS
    build: Callable[..., Compiled]              # (rules, node, *arguments) -> (measure, unit)
    example: str


@attrs.frozen
class Argument:
    """What an argument of a NAME(...) measure may be: its syntax, whether it is read for a
    subgroup or entity (`staff[kvinnor]`, and a table's row), and its name in messages."""

    forms: tuple[type, ...]
    keyed: bool
    words: str


ARGUMENTS = {"group": Argument((s.Ref,), True, "a group"),
             "question": Argument((s.Ref,), False, "a question"),
             "answers": Argument((s.AnswerList, s.Ref), False, "answers (a subset name or a list)")}


def _count_answers(rules: Rules, node: s.Call, group, question, answers) -> Compiled:
    """count(GROUP, QUESTION, ANSWERS): how many of the group answered within the answers."""
    return _answers_of(rules, m.AnswerCountOf, group, question, answers, node.span), Unit.NUMBER


CALLS: dict[str, CallKind] = {
    "count": CallKind(("group", "question", "answers"), _count_answers, "count(staff, q3.2.6, top2) >= 30"),
}


def _answers_of(rules: Rules, kind: type, group_ref: s.Ref, question_ref: s.Ref, answers_node, span):
    """A measure of a group's answers to a question (a share, a count), or None after its problems."""
    group = rules.scope.groups.get(group_ref.name)
    if group is None:
        rules.problems.unknown("group", group_ref.name, rules.scope.groups, group_ref.span,
                               extra="declare it: group NAME \"text\"")
    subgroup = rules.key(group_ref)
    question = rules.scope.questions.get(question_ref.name)
    if question is None:
        rules.problems.unknown("question", question_ref.name, rules.scope.questions, question_ref.span,
                               extra="declare it: question NAME scale SCALE \"text\"")
        return None
    answers, name = rules.answers(answers_node, question.scale)
    if answers is None or group is None:
        return None
    return kind(group, subgroup, question, answers, name, span)


# ---- the unit of a compiled measure -----------------------------------------

def unit_of(measure: m.Measure, outcome_unit: OutcomeUnit) -> Unit:
    """The unit of a compiled measure's value; `outcome_unit` (the document compiler's) answers for
    outcome(ID), compiling that indicator first."""
    return UNITS[type(measure)](measure, outcome_unit)


def _change_unit(measure: m.ChangeOf, outcome_unit: OutcomeUnit) -> Unit:
    """The change as its indicator compared it."""
    if measure.relative:
        return Unit.RELATIVE
    return Unit.PP if unit_of(measure.start, outcome_unit) == Unit.PERCENT else Unit.NUMBER


UNITS: dict[type, Callable[[m.Measure, OutcomeUnit], Unit]] = {
    m.ShareOf: lambda measure, _: Unit.PERCENT,
    m.AnswerCountOf: lambda measure, _: Unit.NUMBER,
    m.RatioOf: lambda measure, _: Unit.PERCENT,
    m.GapOf: lambda measure, _: Unit.PP,
    m.FactOf: lambda measure, _: Unit.NUMBER if measure.kind == Unit.TKR else Unit(measure.kind),
    m.Constant: lambda measure, _: Unit(measure.unit),
    m.CountOf: lambda measure, _: Unit.NUMBER,
    m.MeanMonthsOf: lambda measure, _: Unit.NUMBER,
    m.ChangeOf: _change_unit,
    m.OutcomeOf: lambda measure, outcome_unit: outcome_unit(s.Outcome(measure.indicator, measure.span))[0],
    m.ReportedOf: lambda measure, _: Unit.STATUS,
}


def describe_unit(unit: str) -> str:
    """A unit in the words of a message ("a percentage")."""
    return UNIT_WORDS[unit]


UNIT_WORDS = {Unit.PERCENT: "a percentage", Unit.PP: "percentage points", Unit.RELATIVE: "a relative percent",
              Unit.NUMBER: "a plain number", Unit.YES_NO: "a yes/no fact", Unit.TKR: "thousands of kronor",
              Unit.CHANGE_PERCENT: "a change between percentages", Unit.CHANGE_NUMBER: "a change between numbers",
              Unit.STATUS: "a status a person reported", Unit.INVALID: "a measure that did not compile"}
