"""syntax.Document → model.Ruleset: resolve every name, expand templates, check units.

All problems are collected with their spans; a ruleset with any error is not
returned (nothing is evaluated from a ruleset that did not compile)."""

from __future__ import annotations

from fractions import Fraction

import attrs

from . import model as m
from . import syntax as s
from .arithmetic import Rounding, format_number
from .diagnostics import Diagnostic, did_you_mean, error, has_errors, warning

PERCENT_LIKE = ("percent", "pp")


def compile_document(document: s.Document, sha256: str = "") -> tuple[m.Ruleset | None, list[Diagnostic]]:
    compiler = _Compiler(document)
    ruleset = compiler.run()
    ruleset = attrs.evolve(ruleset, path=document.path, sha256=sha256)
    problems = compiler.problems
    return (None if has_errors(problems) else ruleset), problems


class _Compiler:
    def __init__(self, document: s.Document):
        self.document = document
        self.problems: list[Diagnostic] = []
        self.scales: dict[str, m.Scale] = {}
        self.questions: dict[str, m.Question] = {}
        self.groups: dict[str, m.Described] = {}
        self.keys: dict[str, m.Described] = {}
        self.counts: dict[str, m.Described] = {}
        self.facts: dict[str, m.Described] = {}
        self.params: dict[str, s.Quantity] = {}
        self.templates: dict[str, s.TemplateDecl] = {}
        self.declared_ids: dict[str, s.IndicatorDecl] = {}
        self.compiled: dict[str, m.Indicator | None] = {}
        self.in_progress: list[str] = []

    # ---- helpers ---------------------------------------------------------
    def err(self, code, message, span, hint=None, notes=()):
        self.problems.append(error(code, message, span, hint, notes))

    def unknown(self, what: str, name: str, known, span, code="unknown-name", extra=None):
        hint = did_you_mean(name, known) or extra
        self.err(code, f"unknown {what} '{name}'", span, hint)

    def declare(self, table: dict, name: str, value, span, what: str):
        if name in table:
            self.err("duplicate", f"{what} '{name}' is declared twice", span,
                     "remove one of them or give it another name")
        else:
            table[name] = value

    # ---- the whole document ---------------------------------------------
    def run(self) -> m.Ruleset:
        statements = self.document.statements
        settings = self.settings([x for x in statements if isinstance(x, s.Setting)])
        for statement in statements:
            self.declaration(statement)
        for statement in statements:
            if isinstance(statement, s.IndicatorDecl):
                if statement.id in self.declared_ids:
                    self.err("duplicate", f"indicator id {statement.id} is used twice",
                             statement.id_span, "each indicator and bonus row needs its own id")
                else:
                    self.declared_ids[statement.id] = statement
        areas = self.structure(statements)
        return m.Ruleset(settings, tuple(self.scales.values()), tuple(self.questions.values()),
                         tuple(self.groups.values()), tuple(self.keys.values()),
                         tuple(self.counts.values()), tuple(self.facts.values()), areas)

    def settings(self, items: list[s.Setting]) -> m.Settings:
        seen: dict[str, s.Setting] = {}
        values: dict = {}
        for item in items:
            if item.key in seen:
                self.err("duplicate", f"'{item.key.replace('_', ' ')}' is set twice", item.span,
                         f"it was first set on line {seen[item.key].span.line}")
                continue
            seen[item.key] = item
            v = item.value
            if item.key in ("ruleset", "association"):
                values["name" if item.key == "ruleset" else "association"] = v[0]
            elif item.key == "period":
                values["period"] = int(v[0])
                if len(v) > 1:
                    values["previous_period"] = int(v[1])
            elif item.key == "rounding":
                step = v[1] if len(v) > 1 else s.Quantity(Fraction(1), "percent")
                if step.unit != "percent" or step.number <= 0:
                    self.err("unit", "rounding is to a step in percent, e.g. 'to 1%'", step.span or item.span)
                values["rounding"] = Rounding(v[0], step.number)
            elif item.key == "near_band":
                band = v[0]
                if band.unit not in PERCENT_LIKE:
                    self.err("unit", "the near-target band is a distance in percentage points",
                             band.span or item.span, "write e.g. 'near target within 5pp'")
                values["near_band"] = band.number
            elif item.key == "missing_data":
                values["missing_in_maximum"] = v[0].startswith("included")
            elif item.key == "minimum_n":
                values["minimum_n"] = int(v[0])
            elif item.key == "total_target_index":
                values["target_index"] = v[0]
        return m.Settings(**values)

    def declaration(self, d) -> None:
        if isinstance(d, s.ScaleDecl):
            self.scale(d)
        elif isinstance(d, s.NameDecl):
            if d.kind == "question":
                scale = self.scales.get(d.detail.name)
                if scale is None:
                    self.unknown("scale", d.detail.name, self.scales, d.detail.span,
                                 extra="declare the scale before the question")
                    return
                self.declare(self.questions, d.name, m.Question(d.name, scale, d.text), d.span, "question")
            else:
                table = {"group": self.groups, "count": self.counts, "fact": self.facts}[d.kind]
                self.declare(table, d.name, m.Described(d.name, d.text, d.detail or d.kind), d.span, d.kind)
        elif isinstance(d, s.KeysDecl):
            for key in d.keys:
                self.declare(self.keys, key.name, m.Described(key.name, key.label, d.name), key.span,
                             "subgroup or entity")
        elif isinstance(d, s.ParamDecl):
            self.declare(self.params, d.name, d.value, d.span, "param")
        elif isinstance(d, s.TemplateDecl):
            self.declare(self.templates, d.name, d, d.span, "template")

    def scale(self, d: s.ScaleDecl) -> None:
        answers = [o.key for o in d.options]
        for o in d.options:
            if answers.count(o.key) > 1:
                self.err("duplicate", f"answer '{o.key}' appears twice in scale {d.name}", o.span)
                break
        subsets = []
        for sub in d.subsets:
            for answer in sub.answers.answers:
                if answer not in answers:
                    self.unknown(f"answer in scale {d.name}", answer, answers, sub.answers.span,
                                 code="unknown-answer")
            subsets.append((sub.name, frozenset(sub.answers.answers)))
        labels = tuple(o.label or o.key for o in d.options)
        self.declare(self.scales, d.name, m.Scale(d.name, tuple(answers), labels, tuple(subsets)),
                     d.span, "scale")

    # ---- areas, goals, indicators ---------------------------------------
    def structure(self, statements) -> tuple[m.Area, ...]:
        areas: list[tuple[s.AreaDecl, list]] = []
        for statement in statements:
            if isinstance(statement, s.AreaDecl):
                areas.append((statement, []))
            elif isinstance(statement, s.GoalDecl):
                if not areas:
                    self.err("structure", f"goal {statement.id} has no area above it", statement.span,
                             "write 'area N \"title\"' before the goals of that area")
                    continue
                self.check_prefix("goal", statement.id, areas[-1][0].id, statement.span)
                areas[-1][1].append((statement, []))
            elif isinstance(statement, s.IndicatorDecl):
                if not areas or not areas[-1][1]:
                    self.err("structure", f"indicator {statement.id} has no goal above it",
                             statement.id_span, "write 'goal N.N \"text\"' before its indicators")
                    continue
                goal = areas[-1][1][-1]
                self.check_prefix("indicator", statement.id, goal[0].id, statement.id_span)
                goal[1].append(statement)
        seen_ids: set[str] = set()
        result = []
        for area, goals in areas:
            for decl_id, span in [(area.id, area.span)] + [(g.id, g.span) for g, _ in goals]:
                if decl_id in seen_ids:
                    self.err("duplicate", f"id {decl_id} is used twice", span)
                seen_ids.add(decl_id)
            built_goals = []
            for goal, indicators in goals:
                built = tuple(x for x in (self.indicator(i.id) for i in indicators) if x is not None)
                built_goals.append(m.Goal(goal.id, goal.text, built, goal.span))
            weight = None
            if area.weight is not None:
                if area.weight.unit != "percent":
                    self.err("unit", "a planned weight is a percentage, e.g. 'weight 35%'", area.weight.span)
                weight = area.weight.number
            result.append(m.Area(area.id, area.title, tuple(built_goals), weight, area.target_index, area.span))
        return tuple(result)

    def check_prefix(self, what: str, child: str, parent: str, span) -> None:
        if not child.startswith(parent + "."):
            self.problems.append(warning(
                "structure", f"{what} {child} stands under {parent}, but its id does not start with {parent}.",
                span, f"move it under the right {('area' if what == 'goal' else 'goal')} or correct its id"))

    def indicator(self, indicator_id: str) -> m.Indicator | None:
        """Compile one indicator (memoised), its outcome(...) references first."""
        if indicator_id in self.compiled:
            return self.compiled[indicator_id]
        decl = self.declared_ids[indicator_id]
        self.in_progress.append(indicator_id)
        built = _IndicatorCompiler(self, decl).build()
        self.in_progress.pop()
        self.compiled[indicator_id] = built
        return built

    def outcome_unit(self, ref: s.Outcome) -> tuple[str, m.Indicator | None]:
        if ref.indicator in self.in_progress:
            chain = " → ".join(self.in_progress[self.in_progress.index(ref.indicator):] + [ref.indicator])
            self.err("cycle", f"indicators depend on each other in a circle: {chain}", ref.span,
                     "an indicator can use the outcome of another only if that one does not use it back")
            return "invalid", None
        if ref.indicator not in self.declared_ids:
            self.unknown("indicator", ref.indicator, self.declared_ids, ref.span)
            return "invalid", None
        target = self.indicator(ref.indicator)
        if target is None:
            return "invalid", None
        return _unit_of(target.measure, self), target


def _unit_of(measure: m.Measure, compiler: _Compiler) -> str:
    if isinstance(measure, (m.ShareOf, m.RatioOf)):
        return "percent"
    if isinstance(measure, m.GapOf):
        return "pp"
    if isinstance(measure, (m.FactOf, m.Constant)):
        return measure.kind if isinstance(measure, m.FactOf) else measure.unit
    if isinstance(measure, m.CountOf):
        return "number"
    if isinstance(measure, m.ChangeOf):
        return "change"
    if isinstance(measure, m.OutcomeOf):
        return compiler.outcome_unit(s.Outcome(measure.indicator, measure.span))[0]
    return "invalid"


class _IndicatorCompiler:
    """Compiles one indicator statement; problems go to the shared compiler."""

    def __init__(self, compiler: _Compiler, decl: s.IndicatorDecl):
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
            target = criterion.bound if criterion and criterion.op in (">=", "<=", ">", "<") else None
            if criterion is not None and isinstance(measure, m.ChangeOf):
                measure = attrs.evolve(measure, relative=criterion.unit == "relative")
        bonus, override = None, None
        for clause in rule.clauses:
            if isinstance(clause, s.BonusClause):
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
        if self.failed:
            return None
        return m.Indicator(self.decl.id, self.decl.text, measure, criterion, rule.points,
                           rule.cap if isinstance(rule, s.PerUnitRule) else None, bonus, override,
                           self.decl.is_bonus, template, rule.written, self.decl.span)

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
        bindings = dict(zip(template.parameters, call.arguments))
        return _substitute(template.body, bindings)

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
            if u1 == "yes/no":
                self.err("unit", f"a yes/no fact cannot {node.direction}", node.span)
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
                known = [n for n, _ in scale.subsets] + list(scale.answers)
                self.c.unknown(f"subset of scale {scale.name}", node.name, known, node.span,
                               code="unknown-answer")
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
        if ref.key is None:
            return None
        key = self.c.keys.get(ref.key)
        if key is None:
            self.failed = True
            self.c.unknown("subgroup or entity", ref.key, self.c.keys, ref.span,
                           extra="declare it: subgroups NAME: KEY \"text\", ...")
        return key

    def count_ref(self, ref: s.Ref, previous=False) -> m.CountOf:
        if ref.name not in self.c.counts:
            self.failed = True
            self.c.unknown("count", ref.name, self.c.counts, ref.span,
                           extra="declare it: count NAME \"text\"")
        self.key(ref)
        return m.CountOf(ref.name, ref.key, previous, ref.span)

    def value_ref(self, ref: s.Ref, previous: bool) -> tuple[m.Measure | None, str]:
        if ref.name in self.c.params and not previous:
            q = self.c.params[ref.name]
            return m.Constant(q.number, q.unit, ref.name, ref.span), q.unit
        if ref.name in self.c.facts:
            kind = self.c.facts[ref.name].kind
            self.key(ref)
            return m.FactOf(ref.name, kind, ref.key, previous, ref.span), kind
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
        if op in ("within-target", "closer-than-target"):
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
            node = self.c.params[node.name]
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
        return None


def _plain(number: Fraction) -> str:
    return format_number(number, decimals=4, comma=False)


def _describe_unit(unit: str) -> str:
    return {"percent": "a percentage", "pp": "percentage points", "relative": "a relative percent",
            "number": "a plain number"}.get(unit, unit)


def _substitute(node, bindings: dict):
    """The template body with each parameter replaced by the argument given for it."""
    if isinstance(node, s.Ref) and node.name in bindings:
        argument = bindings[node.name]
        if isinstance(argument, s.Ref):
            return s.Ref(argument.name, node.key or argument.key, argument.span)
        return argument
    if isinstance(node, tuple):
        return tuple(_substitute(x, bindings) for x in node)
    if attrs.has(type(node)):
        changes = {f.name: _substitute(getattr(node, f.name), bindings)
                   for f in attrs.fields(type(node)) if f.name != "span"}
        return attrs.evolve(node, **changes)
    return node
