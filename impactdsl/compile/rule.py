"""One indicator's rule → model: template expansion, measures, comparisons, units.

The document-level compiler (compile.py) owns the name tables and the
problem list; this module turns one rule into a measure and a criterion and
checks that their kinds fit: a share against a percentage, a count against a
number, a change in percentage points or in relative percent."""

from __future__ import annotations

from fractions import Fraction

import attrs

from impactdsl.compile import model as m
from impactdsl.core.arithmetic import format_number
from impactdsl.core.diagnostics import did_you_mean
from impactdsl.core.kinds import Op
from impactdsl.parse import syntax as s


def unit_of(measure: m.Measure, compiler) -> str:
    if isinstance(measure, (m.ShareOf, m.RatioOf)):
        return "percent"
    if isinstance(measure, m.GapOf):
        return "pp"
    if isinstance(measure, m.FactOf):
        return "number" if measure.kind == "tkr" else measure.kind
    if isinstance(measure, m.Constant):
        return measure.unit
    if isinstance(measure, (m.CountOf, m.MeanMonthsOf)):
        return "number"
    if isinstance(measure, m.ChangeOf):                     # the change as its indicator compared it
        if measure.relative:
            return "relative"
        return "pp" if unit_of(measure.start, compiler) == "percent" else "number"
    if isinstance(measure, m.OutcomeOf):
        return compiler.outcome_unit(s.Outcome(measure.indicator, measure.span))[0]
    return "invalid"


class RuleCompiler:
    """Compiles one indicator statement; problems go to the shared compiler."""

    def __init__(self, compiler, decl: s.IndicatorDecl):
        self.c = compiler
        self.decl = decl
        self.failed = False

    def err(self, *args, **kwargs):
        self.failed = True
        self.c.err(*args, **kwargs)

    def build(self) -> m.Indicator | None:
        rule = self.decl.rule
        template = None
        if isinstance(rule, s.PerUnitRule):
            measure, unit = self.measure(rule.measure)
            if unit not in ("number", "invalid"):
                self.err("unit", "points per unit need a count or a number fact", rule.measure.span,
                         "e.g. 'fallstudier -> 1 each up to 4' with 'fact fallstudier number'")
            criterion, target = None, None
            if rule.cap < rule.points:
                self.err("points", f"the cap {rule.cap} is smaller than the points per unit {rule.points}",
                         rule.span)
        else:
            condition = rule.condition
            if isinstance(condition, s.TemplateCall):
                template = condition.name
                condition = self.expand(condition)
                if condition is None:
                    return None
            measure, unit = self.measure(condition.measure)
            own_target = None
            if isinstance(condition.measure, s.Outcome) and unit != "invalid":
                _, referenced = self.c.outcome_unit(condition.measure)
                own_target = referenced.target if referenced else None
            criterion = self.criterion(condition.comparison, unit, own_target)
            if criterion is None:
                self.failed = True
            target = criterion.bound if criterion and Op(criterion.op).single_bound else None
            if criterion is not None and isinstance(measure, m.ChangeOf):
                measure = attrs.evolve(measure, relative=criterion.unit == "relative")
        bonus, override, notes = None, None, []
        for clause in rule.clauses:
            if isinstance(clause, s.NoteClause):
                notes.append(clause.text.strip())
            elif isinstance(clause, s.BonusClause):
                if isinstance(rule, s.PerUnitRule):
                    self.err("bonus", "a bonus clause needs a comparison to a target", clause.span)
                    continue
                bonus_criterion = self.criterion(clause.comparison, unit, target)
                if bonus_criterion:
                    bonus = m.Bonus(bonus_criterion, clause.points, clause.span)
            else:
                if override is not None:
                    self.err("override", "an indicator can have one override", clause.span)
                if not clause.reason.strip():
                    self.err("override", "an override must say why", clause.span,
                             'write the reason: override met because "the board decided ..."')
                override = m.Override(clause.reason.strip(), clause.outcome, clause.points, clause.span)
        points = rule.points
        if isinstance(points, s.Ref):
            if points.name not in self.c.params:
                self.c.unknown("param", points.name, self.c.params, points.span,
                               extra="points are a whole number (-> 2) or a param of whole numbers")
                return None
            value = self.param(points)
            if value is None or value.unit != "number" or value.number.denominator != 1:
                self.err("points", f"points are a whole number; '{points.name}' is not one here", points.span,
                         "write -> 2, or name a param of whole numbers (per entity inside an each block)")
                return None
            points = int(value.number)
        if not isinstance(points, int):                  # a per-entity param of texts, put in by each
            self.err("points", "points are a whole number; the param given for them holds a text here",
                     rule.span, "write -> 2, or name a param of whole numbers")
            return None
        cap = rule.cap if isinstance(rule, s.PerUnitRule) else None
        for value in (points, cap, bonus.points if bonus else None, override.points if override else None):
            if self.c.too_many_points(value, rule.span):
                self.failed = True
        if self.failed:
            return None
        return m.Indicator(self.decl.id, self.decl.text, measure, criterion, points,
                           cap=cap, bonus=bonus,
                           override=override, is_bonus=self.decl.is_bonus, template=template,
                           note=" ".join(notes) or None, written=rule.written, span=self.decl.span)

    # ---- templates -------------------------------------------------------
    def expand(self, call: s.TemplateCall) -> s.Criterion | None:
        template = self.c.templates.get(call.name)
        if template is None:
            self.failed = True
            self.c.unknown("template", call.name, self.c.templates, call.span)
            return None
        if len(call.arguments) != len(template.parameters):
            self.err("template", f"template {call.name} takes {len(template.parameters)} values "
                     f"({', '.join(template.parameters)}), {len(call.arguments)} given", call.span)
            return None
        if isinstance(template.body, s.TemplateCall):
            self.err("template", f"template {call.name} is written as another template, {template.body.name}",
                     template.body.span, "write a template as a measure and a comparison, e.g. "
                     "share(GROUP, Q, top2) >= 80%")
            return None
        bindings = dict(zip(template.parameters, call.arguments))
        misplaced: list = []
        body = _substitute(template.body, bindings, misplaced)
        for parameter, argument in misplaced:
            self.err("template", f"template {call.name} uses {parameter} as a name (a group, a question, a "
                     f"count), but is given {_describe_argument(argument)}", getattr(argument, "span", None)
                     or call.span, f"call it with names where it names things, e.g. {call.name}(board, q1, 80%)")
        return None if misplaced else body

    # ---- measures --------------------------------------------------------
    def measure(self, node) -> tuple[m.Measure | None, str]:
        if isinstance(node, s.Share):
            return self.share(node), "percent"
        if isinstance(node, s.Ratio):
            part, whole = self.count_ref(node.part), self.count_ref(node.whole)
            return m.RatioOf(part, whole, node.span), "percent"
        if isinstance(node, s.Ref):
            return self.value_ref(node, previous=False)
        if isinstance(node, s.Previous):
            return self.value_ref(node.ref, previous=True)
        if isinstance(node, s.MeanMonths):
            count = self.count_ref(node.ref)
            declared = self.c.counts.get(node.ref.name)
            if declared is not None and declared.register is None:
                self.err("register", f"mean_months needs a count from a register; {node.ref.name} is given "
                         "as a number only", node.span,
                         f"define it: count {node.ref.name} = REGISTER where ...")
            return m.MeanMonthsOf(count, node.span), "number"
        if isinstance(node, s.Outcome):
            unit, _ = self.c.outcome_unit(node)
            if unit == "invalid":
                self.failed = True
            return m.OutcomeOf(node.indicator, node.span), unit
        if isinstance(node, s.Gap):
            first, u1 = self.measure(node.first)
            second, u2 = self.measure(node.second)
            for unit, part in ((u1, node.first), (u2, node.second)):
                if unit not in ("percent", "invalid"):
                    self.err("unit", "gap(...) compares two percentages", part.span,
                             "use share(...) or ratio(...) on both sides")
            return m.GapOf(first, second, node.span), "pp"
        if isinstance(node, s.Change):
            start, u1 = self.operand(node.start)
            end, u2 = self.operand(node.end)
            if "invalid" not in (u1, u2) and u1 != u2:
                self.err("unit", f"{node.direction}(...) needs two values of the same kind, "
                         f"here {_describe_unit(u1)} and {_describe_unit(u2)}", node.span)
            if u1 not in ("percent", "number", "invalid"):
                self.err("unit", f"{node.direction}(...) compares two percentages or two numbers, "
                         f"not {_describe_unit(u1)}", node.span,
                         "a change of a change is not supported; compare the two with gap(...)")
                return None, "invalid"
            return m.ChangeOf(node.direction, start, end, False, node.span), \
                ("change-" + u1 if u1 != "invalid" else "invalid")
        self.err("internal", "this measure is not understood", getattr(node, "span", None))
        return None, "invalid"

    def operand(self, node):
        if isinstance(node, s.Quantity):
            if node.unit not in ("percent", "number"):
                self.err("unit", "a starting or ending value is a percentage or a number", node.span)
            return m.Constant(node.number, node.unit if node.unit == "percent" else "number",
                              span=node.span), ("percent" if node.unit == "percent" else "number")
        return self.measure(node)

    def share(self, node: s.Share) -> m.ShareOf | None:
        group = self.c.groups.get(node.group.name)
        if group is None:
            self.failed = True
            self.c.unknown("group", node.group.name, self.c.groups, node.group.span,
                           extra="declare it: group NAME \"text\"")
        subgroup = self.key(node.group)
        question = self.c.questions.get(node.question.name)
        if question is None:
            self.failed = True
            self.c.unknown("question", node.question.name, self.c.questions, node.question.span,
                           extra="declare it: question NAME scale SCALE \"text\"")
            return None
        answers, name = self.answers(node.answers, question.scale)
        if answers is None or group is None:
            return None
        return m.ShareOf(group, subgroup, question, answers, name, node.span)

    def answers(self, node, scale: m.Scale) -> tuple[frozenset[str] | None, str | None]:
        if isinstance(node, s.Ref):
            subset = scale.subset(node.name)
            if subset is None:
                self.failed = True
                if node.name in scale.answers:
                    self.c.err("unknown-answer", f"'{node.name}' is an answer of scale {scale.name}, "
                               "written without quotes", node.span, f"quote it: '{node.name}'")
                else:
                    self.c.unknown(f"subset of scale {scale.name}", node.name, [n for n, _ in scale.subsets],
                                   node.span, code="unknown-answer",
                                   extra=f"answers are quoted: {', '.join(repr(a) for a in scale.answers)}")
                return None, None
            return subset, node.name
        chosen = set()
        for answer in node.answers:
            match = next((a for a in scale.answers if a.casefold() == answer.strip().casefold()), None)
            match = match or next((a for a, label in zip(scale.answers, scale.labels)
                                   if label.casefold() == answer.strip().casefold()), None)
            if match is None:
                self.failed = True
                self.c.unknown(f"answer in scale {scale.name}", answer, scale.answers + scale.labels,
                               node.span, code="unknown-answer")
            else:
                chosen.add(match)
        for name, subset in scale.subsets:
            if subset == frozenset(chosen):
                return frozenset(chosen), name
        return frozenset(chosen), None

    def key(self, ref: s.Ref) -> m.Described | None:
        """The (last) declared key of a reference; `[lyra, kvinnor]` checks both parts."""
        if ref.key is None:
            return None
        found = None
        for part in ref.key.split("/"):
            found = self.c.keys.get(part)
            if found is None:
                self.failed = True
                self.c.unknown("subgroup or entity", part, self.c.keys, ref.span,
                               extra="declare it: subgroups NAME: KEY \"text\", ...")
        return found

    def count_ref(self, ref: s.Ref, previous=False) -> m.CountOf:
        if ref.name not in self.c.counts:
            self.failed = True
            self.c.unknown("count", ref.name, self.c.counts, ref.span,
                           extra="declare it: count NAME \"text\"")
        self.key(ref)
        return m.CountOf(ref.name, ref.key, previous, ref.span)

    def param(self, ref: s.Ref) -> s.Quantity | None:
        """A param's number (for one entity when it is given per entity), or None with a diagnostic."""
        value = self.c.params[ref.name]
        if isinstance(value, tuple):
            if ref.key is None:
                self.err("param", f"param {ref.name} is given per entity; say which", ref.span,
                         f"write {ref.name}[ENTITY], or use it inside an each block")
                return None
            value = self.c.entity_param(ref.name, ref.key, ref.span)
            if value is None:
                self.failed = True
                return None
        if isinstance(value, str):
            self.err("param", f"param {ref.name} is a text; a rule needs a number here", ref.span,
                     "texts are for {placeholders} in indicator texts")
            return None
        return value

    def value_ref(self, ref: s.Ref, previous: bool) -> tuple[m.Measure | None, str]:
        if ref.name in self.c.params and not previous:
            q = self.param(ref)
            if q is None:
                return None, "invalid"
            return m.Constant(q.number, q.unit, ref.name, ref.span), q.unit
        if ref.name in self.c.facts:
            kind = self.c.facts[ref.name].kind
            self.key(ref)
            return m.FactOf(ref.name, kind, ref.key, previous, ref.span), ("number" if kind == "tkr" else kind)
        if ref.name in self.c.counts:
            return self.count_ref(ref, previous), "number"
        self.failed = True
        known = list(self.c.facts) + list(self.c.counts) + list(self.c.params)
        self.c.unknown("name", ref.name, known, ref.span,
                       extra="declare it as a count, fact or param")
        return None, "invalid"

    # ---- criteria --------------------------------------------------------
    def criterion(self, comparison: s.Comparison, unit: str, target) -> m.Criterion | None:
        if unit == "invalid":
            return None
        op = comparison.op
        if Op(op).near_target:
            if target is None:
                self.err("target", "there is no target to be near here", comparison.span,
                         "'within X of target' belongs in a bonus clause, or after outcome(ID) "
                         "of an indicator with a target")
                return None
            distance = self.threshold(comparison.bound, "pp" if unit == "percent" else unit, comparison)
            if distance is None:
                return None
            return m.Criterion(op, distance[0], target, distance[1], comparison.span)
        if unit == "yes/no":
            if op != "=" or not isinstance(comparison.bound, s.YesNo):
                self.err("unit", "a yes/no fact is tested with '= yes' or '= no'", comparison.span)
                return None
            return m.Criterion("=", comparison.bound.value, None, "yes/no", comparison.span)
        bound = self.threshold(comparison.bound, unit, comparison)
        upper = self.threshold(comparison.upper, unit, comparison) if comparison.upper is not None else None
        if bound is None or (comparison.upper is not None and upper is None):
            return None
        if upper is not None and upper[0] < bound[0]:
            self.err("range", "the lower end of 'between' is above the upper end", comparison.span)
        return m.Criterion(op, bound[0], upper[0] if upper else None, bound[1], comparison.span)

    def threshold(self, node, unit: str, comparison) -> tuple[Fraction, str] | None:
        """The bound in the measure's unit, or a diagnostic when the kinds do not fit."""
        span = getattr(node, "span", None) or comparison.span
        if isinstance(node, s.Ref):
            if node.name not in self.c.params:
                self.err("unknown-name", f"unknown param '{node.name}'", span,
                         did_you_mean(node.name, self.c.params) or "declare it: param NAME = 80%")
                return None
            node = self.param(node)
            if node is None:
                return None
        if isinstance(node, s.YesNo):
            self.err("unit", "yes/no only compares with a yes/no fact", span)
            return None
        written = node.unit
        if unit == "percent":
            if written == "percent":
                return node.number, "percent"
            self.err("unit", f"a percentage is compared here, but {_describe_unit(written)} was written",
                     span, f"write {_plain(node.number)}% (a share of 100)")
            return None
        if unit in ("pp", "change-percent"):
            if written in ("percent", "pp"):
                return node.number, "pp"
            if written == "relative" and unit == "change-percent":
                return node.number, "relative"
            self.err("unit", f"a difference in percentage points is compared here, but "
                     f"{_describe_unit(written)} was written", span,
                     f"write {_plain(node.number)}pp" + (f", or {_plain(node.number)}% relative for relative change"
                                                  if unit == "change-percent" else ""))
            return None
        if unit in ("number", "change-number"):
            if written == "number":
                return node.number, "number"
            if written == "relative" and unit == "change-number":
                return node.number, "relative"
            self.err("unit", f"a number is compared here, but {_describe_unit(written)} was written",
                     span, f"write {_plain(node.number)} without a unit")
            return None
        if unit == "relative" and written in ("relative", "percent"):
            return node.number, "relative"
        self.err("unit", f"{_describe_unit(unit)} cannot be compared with {_describe_unit(written)}", span,
                 "compare a share with 80%, a difference with 5pp, a relative change with 0.5% relative, "
                 "a number with 12")
        return None


def _plain(number: Fraction) -> str:
    return format_number(number, decimals=4, comma=False)


def _describe_unit(unit: str) -> str:
    return {"percent": "a percentage", "pp": "percentage points", "relative": "a relative percent",
            "number": "a plain number", "yes/no": "a yes/no fact", "change-percent": "a change between percentages",
            "change-number": "a change between numbers"}.get(unit, unit)


def _substitute(node, bindings: dict, misplaced: list):
    """The template body with each parameter replaced by the argument given for it; a parameter
    standing where only a name may stand, given something else, is put in `misplaced`."""
    if isinstance(node, s.Ref) and node.name in bindings:
        argument = bindings[node.name]
        if isinstance(argument, s.Ref):
            return s.Ref(argument.name, node.key or argument.key, argument.span)
        return argument
    if isinstance(node, tuple):
        return tuple(_substitute(x, bindings, misplaced) for x in node)
    if attrs.has(type(node)):
        changes = {}
        for f in attrs.fields(type(node)):
            if f.name == "span":
                continue
            old = getattr(node, f.name)
            changes[f.name] = new = _substitute(old, bindings, misplaced)
            if f.type == "Ref" and not isinstance(new, s.Ref):        # a name's place, given no name
                misplaced.append((old.name, new))
        return attrs.evolve(node, **changes)
    return node


def _describe_argument(argument) -> str:
    if isinstance(argument, s.Quantity):
        return "a number"
    if isinstance(argument, s.AnswerList):
        return "a list of answers"
    return "a text" if isinstance(argument, str) else "something else"
