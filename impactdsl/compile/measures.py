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
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from impactdsl.compile import model as m
from impactdsl.compile.scope import Problems, Scope
from impactdsl.core.arithmetic import apply
from impactdsl.core.diagnostics import Said
from impactdsl.core.kinds import Unit
from impactdsl.parse import printer
from impactdsl.parse import syntax as s
from impactdsl.parse.keywords import CALLED, PHRASES

Compiled = tuple["m.Measure | None", Unit]
OutcomeUnit = Callable[[s.Outcome], tuple[Unit, "m.Indicator | None"]]


if TYPE_CHECKING:                   # a type only: what a measure's compile function may ask
    from typing import Protocol

    from impactdsl.core.limits import Limits

    class Rules(Protocol):
        """The rule compiler (compile/rule.py RuleCompiler) that calls these functions, as they see it."""

        scope: Scope
        problems: Problems
        limits: Limits
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
        rules.problems.error("register", Said(f"medelmånader behöver ett antal som räknas ur ett register; "
                                              f"{node.ref.name} ges bara som ett tal",
                                              f"mean_months needs a count from a register; {node.ref.name} is given "
                                              "as a number only"), node.span,
                             Said(f"definiera det: räkna {node.ref.name} = REGISTER där ...",
                                  f"define it: count {node.ref.name} = REGISTER where ..."))
    return m.MeanMonthsOf(count, node.span), Unit.NUMBER


def _outcome(rules: Rules, node: s.Outcome) -> Compiled:
    unit, referenced = rules.outcome_unit(node)
    if unit == Unit.INVALID:                # that indicator did not compile (said there): neither does this
        return None, Unit.INVALID
    if referenced is not None and isinstance(referenced.measure, m.TodoOf):
        rules.problems.error("unit", Said(f"{node.indicator} har ingen regel ännu (att göra): dess utfall finns inte "
                                          "att använda", f"{node.indicator} has no rule yet (todo): it has no outcome "
                                          "to use"), node.span,
                             Said(f"skriv regeln för {node.indicator} först", f"write the rule of {node.indicator} first"))
        return None, Unit.INVALID
    if unit == Unit.STATUS:
        rules.problems.error("unit", Said(f"{node.indicator} bedöms av en person (rapporterat): den har inget värde "
                                          "att använda",
                                          f"{node.indicator} is judged by a person (reported): it has no value to use"),
                             node.span, Said("använd ett eget mått här, eller rapportera också den här indikatorns "
                                             "bedömning",
                                             "use a measure of its own here, or report this indicator's status too"))
        return None, Unit.INVALID
    return m.OutcomeOf(node.indicator, node.span), unit


def _gap(rules: Rules, node: s.Gap) -> Compiled:
    first, u1 = rules.measure(node.first)
    second, u2 = rules.measure(node.second)
    for unit, part in ((u1, node.first), (u2, node.second)):
        if unit not in (Unit.PERCENT, Unit.INVALID):
            rules.problems.error("unit", Said("skillnad(...) jämför två procentsatser",
                                              "gap(...) compares two percentages"),
                                 part.span, Said("använd andel(...) eller kvot(...) på båda sidor",
                                                 "use share(...) or ratio(...) on both sides"))
    if first is None or second is None:
        return None, Unit.INVALID
    return m.GapOf(first, second, node.span), Unit.PP


def _change(rules: Rules, node: s.Change) -> Compiled:
    start, u1 = rules.operand(node.start)
    end, u2 = rules.operand(node.end)
    if Unit.INVALID not in (u1, u2) and u1 != u2:
        rules.problems.error("unit", Said.joined(
            Said(f"{swedish(node.direction)}(...) behöver två värden av samma slag, här ",
                 f"{node.direction}(...) needs two values of the same kind, here "),
            describe_unit(u1), Said(" och ", " and "), describe_unit(u2)), node.span)
    if u1 not in (Unit.PERCENT, Unit.NUMBER, Unit.INVALID):
        rules.problems.error("unit", Said.joined(
            Said(f"{swedish(node.direction)}(...) jämför två procentsatser eller två tal, inte ",
                 f"{node.direction}(...) compares two percentages or two numbers, not "),
            describe_unit(u1)), node.span,
            Said("en förändring av en förändring går inte att räkna; jämför de två med skillnad(...)",
                 "a change of a change is not supported; compare the two with gap(...)"))
        return None, Unit.INVALID
    if start is None or end is None or Unit.INVALID in (u1, u2):
        return None, Unit.INVALID
    unit = {Unit.PERCENT: Unit.CHANGE_PERCENT, Unit.NUMBER: Unit.CHANGE_NUMBER}[u1]
    return m.ChangeOf(node.direction, start, end, False, node.span), unit


# ---- figures computed from figures -------------------------------------------

NUMERIC = ("tkr", "count", "number")            # dimensions of plain figures: amounts, people, numbers
DIMENSION_UNITS = {"percent": Unit.PERCENT, "pp": Unit.PP, "relative": Unit.RELATIVE, "tkr": Unit.NUMBER,
                   "count": Unit.NUMBER, "number": Unit.NUMBER, "yes/no": Unit.YES_NO}
DIMENSION_WORDS = {"percent": Said("en procentsats", "a percentage"),
                   "pp": Said("procentenheter", "percentage points"),
                   "relative": Said("relativa procent", "a relative percent"),
                   "tkr": Said("ett belopp i tkr", "an amount in tkr"),
                   "count": Said("ett antal personer", "a count of people"),
                   "number": Said("ett tal", "a number"),
                   "yes/no": Said("en ja/nej-uppgift", "a yes/no fact")}
PLAIN_NUMBER = Said("ett vanligt tal", "a plain number")      # a number written in the rule, or a param
OPERATION_WORDS = {"+": Said("läggas till", "added to"), "-": Said("dras från", "subtracted from"),
                   "*": Said("multipliceras med", "multiplied by"), "/": Said("divideras med", "divided by")}


def swedish(word: str) -> str:
    """A measure's word (share, increase, count) as a Swedish ruleset writes it (andel, ökning, antal)."""
    return CALLED.get(word) or PHRASES.get(word, word)


def dimension(measure: m.Measure, unit: Unit) -> str | None:
    """What a figure is, finer than its unit (an amount in tkr, a count of people, a number), so that
    arithmetic can refuse to add the two; None for a plain number written in the rule or a param,
    which takes the dimension of the figure it is put with."""
    if isinstance(measure, m.COMPUTED):
        return measure.dimension
    if isinstance(measure, m.Constant):
        return None if measure.unit == Unit.NUMBER else str(measure.unit)
    if isinstance(measure, m.FactOf):
        return "tkr" if measure.kind == Unit.TKR else str(measure.kind)
    if isinstance(measure, (m.CountOf, m.AnswerCountOf)):
        return "count"
    return {Unit.PERCENT: "percent", Unit.PP: "pp", Unit.RELATIVE: "relative",
            Unit.YES_NO: "yes/no"}.get(unit, "number")


def combine(op: str, a: str | None, b: str | None) -> tuple[str | None, Fraction] | tuple[Said, Said]:
    """The dimension of `a op b` and the factor its value is multiplied by, or (message, hint) when
    the two cannot be computed together: a percentage and an amount, an amount and a count of people."""
    def refused(hint: Said = Said("räkna med tal av ett slag: belopp med belopp, andelar med andelar",
                                  "compute with figures of one kind: amounts with amounts, shares with shares")):
        first, second = (a, b) if op in "*/" else (b, a)       # a divided by b; b added to a
        return (Said.joined(DIMENSION_WORDS.get(first, PLAIN_NUMBER), Said(" kan inte ", " cannot be "),
                            OPERATION_WORDS[op], " ", DIMENSION_WORDS.get(second, PLAIN_NUMBER)), hint)
    if {"yes/no", "relative"} & {a, b}:
        return refused(Said("ja/nej-uppgifter och relativa förändringar används bara i jämförelser, inte i beräkningar",
                            "yes/no facts and relative changes are compared, not computed with"))
    if op in "+-":
        if a is None or b is None:
            other = b if a is None else a
            if other is None or other in NUMERIC:
                return other, Fraction(1)
            return refused(Said("skriv talet med sin enhet: 5pp, eller 5% för en andel",
                                "write the number with its unit: 5pp, or 5% for a share"))
        if a == b:
            return ("pp" if a == "percent" and op == "-" else a), Fraction(1)
        if {a, b} == {"percent", "pp"} and not (a == "pp" and op == "-"):
            return "percent", Fraction(1)
        if a in NUMERIC and b in NUMERIC and {a, b} != {"tkr", "count"}:
            return ("tkr" if "tkr" in (a, b) else "number"), Fraction(1)
        return refused()
    if op == "*":
        if a is None or b is None:
            return (b if a is None else a), Fraction(1)
        if "percent" in (a, b):
            other = b if a == "percent" else a
            return (other, Fraction(1, 100)) if other in (*NUMERIC, "percent") else refused()
        if a in NUMERIC and b in NUMERIC and (a, b) != ("tkr", "tkr"):
            return ("tkr" if "tkr" in (a, b) else "number"), Fraction(1)
        return refused()
    if b is None:                                   # divided by a number: the same kind of figure
        return a, Fraction(1)
    if a == b:                                      # kostnad / budget: a percentage
        return "percent", Fraction(100)
    if a == "tkr" and b in ("count", "number"):     # an amount per person
        return "tkr", Fraction(1)
    if a in ("count", "number") and b in ("count", "number"):
        return "number", Fraction(1)
    return refused(Said("dela ett tal med ett av samma slag (det ger en procentsats) eller ett belopp med ett antal",
                        "divide a figure by one of its kind (a percentage) or an amount by a count"))


def _computed(rules: Rules, node, op: str, operands) -> tuple[list, list] | None:
    """The operands compiled, and their dimensions; None when one did not compile."""
    compiled = [rules.operand(x) for x in operands]
    if any(unit == Unit.INVALID or measure is None for measure, unit in compiled):
        return None
    return [x for x, _ in compiled], [dimension(x, unit) for x, unit in compiled]


def _unit(dimension_: str | None) -> Unit:
    return DIMENSION_UNITS[dimension_ or "number"]


def _arithmetic(rules: Rules, node: s.Arithmetic, written: str | None = None) -> Compiled:
    found = _computed(rules, node, node.op, (node.left, node.right))
    if found is None:
        return None, Unit.INVALID
    (left, right), (a, b) = found
    made = combine(node.op, a, b)
    if not isinstance(made[1], Fraction):
        rules.problems.error("unit", made[0], node.span, made[1])
        return None, Unit.INVALID
    dim, factor = made
    if isinstance(left, m.Constant) and isinstance(right, m.Constant):     # 2 * 3, -500: a number
        value = apply(node.op, left.value, right.value, factor)
        if value is None:
            rules.problems.error("range", Said("en division med noll", "a division by zero"), node.span,
                                 Said("dela med ett annat tal än 0", "divide by a number other than 0"))
            return None, Unit.INVALID
        return m.Constant(value, _unit(dim), span=node.span), _unit(dim)
    return m.Arithmetic(node.op, left, right, dim or "number", factor, node.span,
                        written or printer.measure(node)), _unit(dim)


def _negate(rules: Rules, node: s.Negate) -> Compiled:
    """-A, as A * -1: the opposite of a figure of any kind (-5%, -resultat)."""
    return _arithmetic(rules, s.Arithmetic("*", node.operand, s.Quantity(Fraction(-1), Unit.NUMBER, node.span),
                                           node.span), printer.measure(node))


def _extreme(rules: Rules, node: s.Call, *figures) -> Compiled:
    """min(A, B, ...), max(A, B, ...): figures of one dimension (a plain number takes theirs)."""
    found = _computed(rules, node, "+", figures)
    if found is None:
        return None, Unit.INVALID
    parts, dimensions = found
    dims = {d for d in dimensions if d is not None}
    zero_only = all(d is not None or (isinstance(x, m.Constant) and x.value == 0) for x, d in zip(parts, dimensions))
    if len(dims) > 1 or (dims and not dims <= set(NUMERIC) and not zero_only) or {"yes/no", "relative"} & dims:
        words = [DIMENSION_WORDS.get(d, PLAIN_NUMBER) for d in dimensions]
        rules.problems.error("unit", Said(f"{node.name}(...) jämför tal av ett slag, här "
                                          f"{' och '.join(w.sv for w in words)}",
                                          f"{node.name}(...) compares figures of one kind, here "
                                          f"{' and '.join(w.en for w in words)}"),
                             node.span, Said("ge alla tal samma enhet: belopp, antal eller andelar",
                                             "give every figure the same unit: amounts, counts or shares"))
        return None, Unit.INVALID
    dim = next(iter(dims), None)
    return m.Extreme(node.name, tuple(parts), dim or "number", node.span, printer.measure(node)), _unit(dim)


def _sum_over(rules: Rules, node: s.SumOver) -> Compiled:
    """sum(NAME over LIST) or sum(NAME over 2020 to 2023): the count or fact for each, added."""
    ref = node.ref
    kind = rules.scope.facts[ref.name].kind if ref.name in rules.scope.facts else None
    if kind is None and ref.name not in rules.scope.counts:
        rules.problems.unknown(Said("okänt antal eller okänd uppgift", "unknown count or fact"), ref.name,
                               [*rules.scope.counts, *rules.scope.facts], ref.span,
                               extra=Said("summa(...) lägger ihop ett antal eller en uppgift med tal eller tkr",
                                          "sum(...) adds a count or a fact of numbers or tkr"))
        return None, Unit.INVALID
    if kind not in (None, Unit.NUMBER, Unit.TKR):
        rules.problems.error("unit", Said.joined(Said(f"summa(...) lägger ihop antal och belopp; {ref.name} är ",
                                                      f"sum(...) adds counts and amounts; {ref.name} is "),
                                                 DIMENSION_WORDS[kind]),
                             ref.span, Said("en andel av en helhet räknas fram ur dess antal: kvot(...) eller A / B",
                                            "a share of a whole is computed from its counts: ratio(...) or A / B"))
        return None, Unit.INVALID
    if node.entities is not None:
        keys = rules.scope.lists.get(node.entities)
        if keys is None:
            rules.problems.unknown(Said("okänd lista med enheter", "unknown list of entities"), node.entities,
                                   rules.scope.lists, node.span,
                                   extra=Said("deklarera den: enheter NAMN: NYCKEL \"text\", ...",
                                              "declare it: entities NAME: KEY \"text\", ..."))
            return None, Unit.INVALID
        refs = [s.Ref(ref.name, "/".join(x for x in (key.name, ref.key) if x), ref.span) for key in keys]
        over = node.entities
    else:
        years = range(node.first, node.last + 1)
        if node.first > node.last or node.first not in m.YEARS or node.last not in m.YEARS \
                or len(years) > rules.limits.periods:
            rules.problems.error("period", Said(f"{node.first} till {node.last} är ingen period på högst "
                                                f"{rules.limits.periods} år",
                                                f"{node.first} to {node.last} is not a span of at most "
                                                f"{rules.limits.periods} years"), node.span,
                                 Said("skriv det första året, sedan det sista: summa(resultat över 2020 till 2023)",
                                      "write the first year, then the last: sum(resultat over 2020 to 2023)"))
            return None, Unit.INVALID
        refs = [s.Ref(ref.name, "/".join(x for x in (ref.key, str(year)) if x), ref.span) for year in years]
        over = f"{node.first}–{node.last}"
    rules.scope.summed += len(refs)
    if rules.scope.summed > rules.limits.summed:            # each a figure of its own: counted before made
        if rules.scope.summed - len(refs) > rules.limits.summed:      # said at the sum that crossed it
            return None, Unit.INVALID
        rules.problems.error("measure", Said(f"regelverkets summor lägger ihop fler än {rules.limits.summed} tal",
                                             f"the ruleset's sums add more than {rules.limits.summed} figures "
                                             "together"), node.span,
                             Said("summera en totalsumma som finns i datan, eller över en kortare lista",
                                  "sum a total given in the data, or over a shorter list"))
        return None, Unit.INVALID
    found = _computed(rules, node, "+", refs)
    if found is None:
        return None, Unit.INVALID
    parts, dimensions = found
    return m.SumOf(tuple(parts), over, dimensions[0], node.span, printer.measure(node)), Unit.NUMBER


def _call(rules: Rules, node: s.Call) -> Compiled:
    """A measure written NAME(arguments): its kind from `CALLS`, its arguments checked against it."""
    kind = CALLS.get(node.name)
    if kind is None:
        if node.name in rules.scope.templates:
            rules.problems.error("template", Said(f"mallen {node.name} är en hel regel: den står ensam före '->'",
                                                  f"template {node.name} is a whole rule: it stands alone before '->'"),
                                 node.span, Said(f"skriv {node.name}(...) -> POÄNG, eller ett mått här",
                                                 f"write {node.name}(...) -> POINTS, or a measure here"))
        else:
            rules.problems.unknown(Said("okänt mått", "unknown measure"), node.name, [*MEASURE_NAMES, *CALLS],
                                   node.span,
                                   extra=Said("ett mått är andel(...), kvot(...), antal(...), ett antal, en uppgift "
                                              "eller en parameter",
                                              "a measure is share(...), ratio(...), count(...), a count, a fact or a "
                                              "param"))
        return None, Unit.INVALID
    wanted = kind.arguments + kind.arguments[-1:] * (len(node.arguments) - len(kind.arguments)) \
        if kind.repeats else kind.arguments
    if len(node.arguments) != len(wanted):
        rules.problems.error("measure", Said(f"{swedish(node.name)}(...) tar {len(kind.arguments)}"
                                             f"{' eller fler' if kind.repeats else ''} värden "
                                             f"({', '.join(PLACEHOLDERS[a] for a in kind.arguments)}), "
                                             f"{len(node.arguments)} angavs",
                                             f"{node.name}(...) takes {len(kind.arguments)}"
                                             f"{' or more' if kind.repeats else ''} values "
                                             f"({', '.join(a.upper() for a in kind.arguments)}), "
                                             f"{len(node.arguments)} given"),
                             node.span, Said(f"t.ex. {_swedish_example(node.name, kind)}", f"e.g. {kind.example}"))
        return None, Unit.INVALID
    for what, argument in zip(wanted, node.arguments):
        taken = ARGUMENTS[what]
        if not isinstance(argument, taken.forms) or (not taken.keyed and getattr(argument, "key", None)):
            rules.problems.error("measure", Said.joined(Said(f"{swedish(node.name)}(...) tar ",
                                                             f"{node.name}(...) takes "),
                                                        taken.words, Said(" här", " here")),
                                 getattr(argument, "span", None) or node.span,
                                 Said(f"t.ex. {_swedish_example(node.name, kind)}", f"e.g. {kind.example}"))
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
    s.Arithmetic: _arithmetic,
    s.Negate: _negate,
    s.SumOver: _sum_over,
}
MEASURE_NAMES = ("share", "ratio", "gap", "increase", "decrease", "outcome", "previous", "mean_months", "sum")


# ---- measures written NAME(arguments) ---------------------------------------

@attrs.frozen
class CallKind:
    """A measure written NAME(arguments): what each argument names, and how it is made from them."""

    arguments: tuple[str, ...]                  # keys of ARGUMENTS
    build: Callable[..., Compiled]              # (rules, node, *arguments) -> (measure, unit)
    example: str
    repeats: bool = False                       # the last argument may be given again and again


@attrs.frozen
class Argument:
    """What an argument of a NAME(...) measure may be: its syntax, whether it is read for a
    subgroup or entity (`staff[kvinnor]`, and a table's row), and its name in messages."""

    forms: tuple[type, ...]
    keyed: bool
    words: Said
    names: bool = True                          # it names a thing (a template's parameter must be a name)


ARGUMENTS = {"group": Argument((s.Ref,), True, Said("en grupp", "a group")),
             "question": Argument((s.Ref,), False, Said("en fråga", "a question")),
             "answers": Argument((s.AnswerList, s.Ref), False, Said("svar (namnet på en delmängd eller en lista)",
                                                                    "answers (a subset name or a list)"), names=False),
             "figure": Argument((*s.MEASURES, s.Quantity), True, Said("ett värde (ett mått, en uppgift, ett tal)",
                                                                      "a figure (a measure, a fact, a number)"),
                                names=False)}
PLACEHOLDERS = {"group": "GRUPP", "question": "FRÅGA", "answers": "SVAR", "figure": "VÄRDE"}   # in Swedish messages


def _swedish_example(name: str, kind: CallKind) -> str:
    """A call's example as a Swedish ruleset writes it: antal(staff, q3.2.6, top2) >= 30."""
    return swedish(name) + kind.example[len(name):] if kind.example.startswith(name + "(") else kind.example


def _count_answers(rules: Rules, node: s.Call, group, question, answers) -> Compiled:
    """count(GROUP, QUESTION, ANSWERS): how many of the group answered within the answers."""
    return _answers_of(rules, m.AnswerCountOf, group, question, answers, node.span), Unit.NUMBER


CALLS: dict[str, CallKind] = {
    "count": CallKind(("group", "question", "answers"), _count_answers, "count(staff, q3.2.6, top2) >= 30"),
    "min": CallKind(("figure", "figure"), _extreme, "min(budget, kostnad) >= 100", repeats=True),
    "max": CallKind(("figure", "figure"), _extreme, "max(0, resultat - 500) >= 0", repeats=True),
}


def _answers_of(rules: Rules, kind: type, group_ref: s.Ref, question_ref: s.Ref, answers_node, span):
    """A measure of a group's answers to a question (a share, a count), or None after its problems."""
    group = rules.scope.groups.get(group_ref.name)
    if group is None:
        rules.problems.unknown(Said("okänd grupp", "unknown group"), group_ref.name, rules.scope.groups,
                               group_ref.span, extra=Said("deklarera den: grupp NAMN \"text\"",
                                                          "declare it: group NAME \"text\""))
    subgroup = rules.key(group_ref)
    question = rules.scope.questions.get(question_ref.name)
    if question is None:
        rules.problems.unknown(Said("okänd fråga", "unknown question"), question_ref.name, rules.scope.questions,
                               question_ref.span, extra=Said("deklarera den: fråga NAMN skala SKALA \"text\"",
                                                             "declare it: question NAME scale SCALE \"text\""))
        return None
    answers, name = rules.answers(answers_node, question.scale)
    if answers is None or group is None:
        return None
    if question.multiple and len(answers) > 1 and name is None:
        rules.problems.error("measure", Said(f"{question.name} tar flera svar från varje person: en lista med svar "
                                             "kan inte räknas ur sina delar",
                                             f"{question.name} takes several answers each: a list of answers cannot "
                                             "be counted from its parts"), getattr(answers_node, "span", None) or span,
                             Said("ange ett svar, eller en delmängd av skalan (delmängd NAMN = [...]) för att räkna "
                                  "dem som gav något av dem",
                                  "name one answer, or a subset of its scale (subset NAME = [...]) to count "
                                  "those who gave any of them"))
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
    m.TodoOf: lambda measure, _: Unit.STATUS,          # no value either: outcome(ID) of it is refused
    m.Arithmetic: lambda measure, _: _unit(measure.dimension),
    m.Extreme: lambda measure, _: _unit(measure.dimension),
    m.SumOf: lambda measure, _: _unit(measure.dimension),
}


def describe_unit(unit: str) -> Said:
    """A unit in the words of a message ("a percentage"), in both languages."""
    return UNIT_WORDS[unit]


UNIT_WORDS = {Unit.PERCENT: Said("en procentsats", "a percentage"),
              Unit.PP: Said("procentenheter", "percentage points"),
              Unit.RELATIVE: Said("relativa procent", "a relative percent"),
              Unit.NUMBER: Said("ett vanligt tal", "a plain number"),
              Unit.YES_NO: Said("en ja/nej-uppgift", "a yes/no fact"),
              Unit.TKR: Said("tusentals kronor", "thousands of kronor"),
              Unit.CHANGE_PERCENT: Said("en förändring mellan procentsatser", "a change between percentages"),
              Unit.CHANGE_NUMBER: Said("en förändring mellan tal", "a change between numbers"),
              Unit.STATUS: Said("en bedömning som en person rapporterat", "a status a person reported"),
              Unit.INVALID: Said("ett mått som inte gick att tolka", "a measure that did not compile")}
