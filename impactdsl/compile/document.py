"""syntax.Document → model.Ruleset: resolve every name, expand templates, check units.

All problems are collected with their spans; a ruleset with any error is not
returned (nothing is evaluated from a ruleset that did not compile)."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import attrs

from impactdsl.compile import model as m
from impactdsl.compile.each import expand
from impactdsl.compile.peers import apply, area_from, declare_prefixed, declare_taken
from impactdsl.compile.rule import RuleCompiler, unit_of
from impactdsl.compile.tables import grade_rules, table
from impactdsl.core.arithmetic import Rounding
from impactdsl.core.diagnostics import (
    Diagnostic,
    did_you_mean,
    error,
    has_errors,
    warning,
)
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.parse import syntax as s

PERCENT_LIKE = ("percent", "pp")


def compile_document(document: s.Document, sha256: str = "", peers: dict | None = None,
                     limits: Limits = DEFAULT) -> tuple[m.Ruleset | None, list[Diagnostic]]:
    """Compile one document; `peers` are its imports, already compiled (alias -> compile_peers.Peer)."""
    compiler = _Compiler(document, peers or {}, limits)
    ruleset = compiler.run()
    ruleset = attrs.evolve(ruleset, path=document.path, sha256=sha256)
    problems = compiler.problems
    if compiler.more:
        problems.append(error("more", f"{compiler.more} more problems in {document.path} are not listed (the first "
                              f"{limits.problems} are)", None, "mend these, and check again to see the rest"))
    return (None if has_errors(problems) else ruleset), problems


def _own(table: dict) -> tuple:
    """A declaration table's entries under their own names (a peer's ALIAS.NAME entries left out)."""
    return tuple(value for name, value in table.items() if name == getattr(value, "name", name))


class _Compiler:
    def __init__(self, document: s.Document, peers: dict, limits: Limits = DEFAULT):
        self.document = document
        self.peers = peers
        self.limits = limits
        self.problems: list[Diagnostic] = []
        self.listed = self.more = 0             # problems listed, and past the limit only counted
        self.scales: dict[str, m.Scale] = {}
        self.questions: dict[str, m.Question] = {}
        self.groups: dict[str, m.Described] = {}
        self.keys: dict[str, m.Described] = {}
        self.counts: dict[str, m.Count] = {}
        self.registers: dict[str, m.Described] = {}
        self.facts: dict[str, m.Described] = {}
        self.params: dict = {}                  # name -> Quantity, text, or {entity: Quantity or text}
        self.lists: dict[str, list[m.Described]] = {}   # subgroups/entities name -> its keys
        self.templates: dict[str, s.TemplateDecl] = {}
        self.declared_ids: dict[str, s.IndicatorDecl] = {}
        self.compiled: dict[str, m.Indicator | None] = {}
        self.units: dict[str, str] = {}                # indicator id -> the unit of its measure
        self.table_cells = 0                            # cells of the tables made so far
        self.in_progress: list[str] = []

    # ---- helpers ---------------------------------------------------------
    def err(self, code, message, span, hint=None, notes=()):
        """One problem; past `Limits.problems` only counted (a hint may be a function, as "did you
        mean" takes time: it is worked out only for a problem that is listed)."""
        if self.listed >= self.limits.problems:
            self.more += 1
            return
        self.listed += 1
        self.problems.append(error(code, message, span, hint() if callable(hint) else hint, notes))

    def unknown(self, what: str, name: str, known, span, code="unknown-name", extra=None):
        self.err(code, f"unknown {what} '{name}'", span, lambda: did_you_mean(name, known) or extra)

    def too_many_points(self, points, span) -> bool:
        """Points beyond the limit are refused, so no sum of them can reach ten digits."""
        if points is not None and points > self.limits.points:
            self.err("points", f"{points} points; at most {self.limits.points} are given for one indicator", span,
                     "an indicator is worth a few points of the index")
            return True
        return False

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
        declare_prefixed(self, self.peers)
        for statement in statements:
            self.declaration(statement)
        declare_taken(self, self.peers, statements)
        for statement in statements:
            if isinstance(statement, s.ImportDecl) and statement.alias not in self.peers:
                self.err("import", f"the import '{statement.alias}' could not be read", statement.span)
        statements = expand(statements, self)
        for statement in statements:
            if isinstance(statement, s.IndicatorDecl):
                if statement.id.endswith(".*"):          # expanded each blocks have numbered theirs
                    self.err("structure", f"the id {statement.id} is numbered by an each block, and stands "
                             "outside one", statement.id_span, "write the indicator's own number, e.g. 1.1.4")
                elif statement.id in self.declared_ids:
                    self.err("duplicate", f"indicator id {statement.id} is used twice",
                             statement.id_span, "each indicator and bonus row needs its own id")
                else:
                    self.declared_ids[statement.id] = statement
        areas = apply(self.structure(statements), statements, self.peers, self)
        grades = grade_rules([x for x in statements if isinstance(x, s.GradeDecl)], self)
        tables = tuple(t for t in (table(x, self) for x in statements if isinstance(x, s.TableDecl)) if t)
        return m.Ruleset(settings, _own(self.scales), _own(self.questions), _own(self.groups), _own(self.keys),
                         _own(self.counts), _own(self.facts), areas, _own(self.registers), grades, tables,
                         tuple((n, t) for n, t in self.templates.items() if "." not in n))

    def entity_param(self, name: str, entity: str, span):
        """A param's value for one entity (a Quantity or a text), or None when it is no such param."""
        value = self.params.get(name)
        if not isinstance(value, tuple):
            return None
        found = dict(value).get(entity)
        if found is None:
            self.err("param", f"param {name} has no value for '{entity}'", span,
                     f"add it: param {name} = [{entity}: ..., ...]")
        return found

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
                years = [int(x) for x in v]
                if any(year not in m.YEARS for year in years):
                    self.err("period", f"a period is a year from {m.YEARS.start} to {m.YEARS.stop - 1}", item.span,
                             "write e.g. 'period 2022 previous 2021'")
                    continue
                values["period"] = years[0]
                if len(years) > 1:
                    values["previous_period"] = years[1]
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
                if int(v[0]) < 1:
                    self.err("unit", "minimum n is at least 1: a share of nobody is never shown", item.span,
                             "write e.g. 'minimum n 5'")
                    continue
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
            elif d.kind == "count":
                self.declare(self.counts, d.name, self.count(d), d.span, "count")
            else:
                table = {"group": self.groups, "fact": self.facts, "register": self.registers}[d.kind]
                self.declare(table, d.name, m.Described(d.name, d.text, d.detail or d.kind), d.span, d.kind)
        elif isinstance(d, s.KeysDecl):
            self.lists[d.name] = [m.Described(key.name, key.label, d.kind) for key in d.keys]
            for key in d.keys:
                self.declare(self.keys, key.name, m.Described(key.name, key.label, d.kind), key.span,
                             "subgroup or entity")
        elif isinstance(d, s.ParamDecl):
            self.declare(self.params, d.name, d.value, d.span, "param")
        elif isinstance(d, s.TemplateDecl):
            self.declare(self.templates, d.name, d, d.span, "template")

    def count(self, d: s.NameDecl) -> m.Count:
        source = d.detail
        if source is None:
            return m.Count(d.name, d.text)
        if source.register.name not in self.registers:
            self.unknown("register", source.register.name, self.registers, source.register.span,
                         extra="declare it before its counts: register NAME \"text\"")
        conditions = []
        for c in source.conditions:
            if c.op == "flag" and c.field not in m.FLAGS:
                self.unknown("condition", c.field, m.FLAGS, c.span,
                             extra="a condition is exited, new, active, FIELD = 'value', FIELD in [...] or age < 30")
            if c.op in ("<", "<=", ">", ">=") and not all(isinstance(v, Fraction) for v in c.values):
                self.err("unit", f"'{c.field} {c.op}' compares with a number", c.span, "e.g. age < 30")
            conditions.append(m.RowCondition(c.field, c.op, tuple(c.values)))
        return m.Count(d.name, d.text, source.register.name, tuple(conditions), source.per_person)

    def scale(self, d: s.ScaleDecl) -> None:
        answers = [o.key for o in d.options]
        times = Counter(answers)
        twice = next((o for o in d.options if times[o.key] > 1), None)
        if twice is not None:
            self.err("duplicate", f"answer '{twice.key}' appears twice in scale {d.name}", twice.span)
        subsets = []
        for sub in d.subsets:
            for answer in sub.answers.answers:
                if answer not in answers:
                    self.unknown(f"answer in scale {d.name}", answer, answers, sub.answers.span,
                                 code="unknown-answer")
            subsets.append((sub.name, frozenset(sub.answers.answers)))
        labels = tuple(o.label or o.key for o in d.options)
        unanswered = d.unanswered.answers if d.unanswered else ()
        folded = {a.casefold() for a in answers}
        for answer in unanswered:
            if answer.casefold() in folded:
                self.err("unanswered", f"'{answer}' is both an answer and unanswered in scale {d.name}",
                         d.unanswered.span, "an answer that counts as not answered is not in the answer list")
        self.declare(self.scales, d.name, m.Scale(d.name, tuple(answers), labels, tuple(subsets), unanswered),
                     d.span, "scale")

    # ---- areas, goals, indicators ---------------------------------------
    def structure(self, statements) -> tuple[m.Area, ...]:
        areas: list = []                        # (AreaDecl, goals) or an area taken from a peer
        for statement in statements:
            if isinstance(statement, s.AreaDecl):
                areas.append((statement, []))
            elif isinstance(statement, s.AreaFrom):
                imported = area_from(statement, self.peers, self)
                if imported is not None:
                    areas.append(imported)
            elif isinstance(statement, s.GoalDecl):
                if not areas or isinstance(areas[-1], m.Area):
                    self.err("structure", f"goal {statement.id} has no area above it", statement.span,
                             "write 'area N \"title\"' before the goals of that area")
                    continue
                self.check_prefix("goal", statement.id, areas[-1][0].id, statement.span)
                areas[-1][1].append((statement, []))
            elif isinstance(statement, s.IndicatorDecl):
                if not areas or isinstance(areas[-1], m.Area) or not areas[-1][1]:
                    self.err("structure", f"indicator {statement.id} has no goal above it",
                             statement.id_span, "write 'goal N.N \"text\"' before its indicators")
                    continue
                goal = areas[-1][1][-1]
                self.check_prefix("indicator", statement.id, goal[0].id, statement.id_span)
                goal[1].append(statement)
        seen_ids: set[str] = set()
        result = []
        for entry in areas:
            if isinstance(entry, m.Area):
                for made_id in [entry.id] + [g.id for g in entry.goals] + [i.id for i in entry.indicators]:
                    if made_id in seen_ids or made_id in self.declared_ids:
                        self.err("duplicate", f"id {made_id} of an imported area is used here too", entry.span)
                    seen_ids.add(made_id)
                result.append(entry)
                continue
            area, goals = entry
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
        decl = self.declared_ids.get(indicator_id)
        if decl is None:                                # refused as it was declared: said there
            return None
        if len(self.in_progress) >= self.limits.outcome_chain:
            self.err("cycle", f"outcome(...) references lead more than {self.limits.outcome_chain} indicators "
                     "deep", decl.span, "let an indicator use the outcome of one that measures, not of a chain")
            self.compiled[indicator_id] = None
            return None
        self.in_progress.append(indicator_id)
        built = RuleCompiler(self, decl).build()
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
        if ref.indicator not in self.units:               # once for each: a chain is not walked again
            self.units[ref.indicator] = unit_of(target.measure, self)
        return self.units[ref.indicator], target
