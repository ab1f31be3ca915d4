"""syntax.Document → model.Ruleset: resolve every name, expand templates, check units.

All problems are collected with their spans; a ruleset with any error is not
returned (nothing is evaluated from a ruleset that did not compile). The
names declared are kept in a `Scope` and the problems in a `Problems` list
(scope.py); the modules that compile parts of the document (each blocks,
rules, tables, peers) are given those two, never this compiler."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import attrs

from impactdsl.compile import model as m
from impactdsl.compile.each import expand
from impactdsl.compile.measures import CALLS, MEASURE_NAMES, unit_of
from impactdsl.compile.method import compile_method, status_points
from impactdsl.compile.peers import apply, area_from, declare_prefixed, declare_taken
from impactdsl.compile.rule import RuleCompiler
from impactdsl.compile.scope import Problems, Scope
from impactdsl.compile.tables import tables
from impactdsl.core.arithmetic import Rounding
from impactdsl.core.diagnostics import Diagnostic, Said, has_errors
from impactdsl.core.kinds import RowOp, Unit
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.parse import syntax as s
from impactdsl.parse.errors import STATEMENT_KEYWORDS

RESERVED = frozenset(MEASURE_NAMES) | frozenset(CALLS) | frozenset(STATEMENT_KEYWORDS)   # no template's name
DECLARED_WORDS = {"group": Said("gruppen", "group"), "fact": Said("uppgiften", "fact"),      # as `declare` says
                  "register": Said("registret", "register")}                                 # them: "group 'x' ..."


def compile_document(document: s.Document, sha256: str = "", peers: dict | None = None,
                     limits: Limits = DEFAULT) -> tuple[m.Ruleset | None, list[Diagnostic]]:
    """Compile one document; `peers` are its imports, already compiled (alias -> peers.Peer)."""
    compiler = _DocumentCompiler(document, peers or {}, limits)
    ruleset = attrs.evolve(compiler.run(), path=document.path, sha256=sha256)
    problems = compiler.problems.all(document.path)
    return (None if has_errors(problems) else ruleset), problems


class _DocumentCompiler:
    """The order of compiling: settings, declarations, each blocks, structure, grades, tables;
    indicators compiled once each, an outcome(ID) reference's indicator first."""

    def __init__(self, document: s.Document, peers: dict, limits: Limits = DEFAULT):
        self.document = document
        self.peers = peers
        self.limits = limits
        self.scope = Scope()
        self.problems = Problems(limits)
        self.declared_ids: dict[str, s.IndicatorDecl] = {}
        self.compiled: dict[str, m.Indicator | None] = {}
        self.units: dict[str, Unit] = {}               # indicator id -> the unit of its measure
        self.in_progress: list[str] = []

    def declare(self, table: dict, name: str, value, span, what: Said):
        """`what` is the kind as a message names it, Swedish in its definite form: Said("frågan", "question")."""
        if name in table:
            self.problems.error("duplicate", Said.joined(what, f" '{name}' ",
                                                         Said("deklareras två gånger", "is declared twice")), span,
                                Said("ta bort en av dem eller ge den ett annat namn",
                                     "remove one of them or give it another name"))
        else:
            table[name] = value

    def rules(self, decl: s.IndicatorDecl | None = None) -> RuleCompiler:
        return RuleCompiler(self.scope, self.problems, self.limits, self.outcome_unit, decl)

    # ---- the whole document ---------------------------------------------
    def run(self) -> m.Ruleset:
        statements = self.document.statements
        settings = self.settings([x for x in statements if isinstance(x, s.Setting)])
        method = compile_method(statements, self.problems, self.limits)
        self.scope.method = method
        self.scope.status_points = status_points(statements, method, self.problems)
        declare_prefixed(self.scope, self.peers)
        for statement in statements:
            self.declaration(statement)
        declare_taken(self.scope, self.peers, statements)
        for statement in statements:
            if isinstance(statement, s.ImportDecl) and statement.alias not in self.peers:
                self.problems.error("import", Said(f"importen '{statement.alias}' gick inte att läsa",
                                                   f"the import '{statement.alias}' could not be read"), statement.span)
        statements = expand(statements, self.scope, self.problems, self.limits)
        for statement in statements:
            if isinstance(statement, s.IndicatorDecl):
                if statement.id.endswith(".*"):          # expanded each blocks have numbered theirs
                    self.problems.error("structure", Said(f"id:t {statement.id} numreras av ett för varje-block, men "
                                                          "står utanför ett",
                                                          f"the id {statement.id} is numbered by an each block, and "
                                                          "stands outside one"), statement.id_span,
                                        Said("skriv indikatorns eget nummer, t.ex. 1.1.4",
                                             "write the indicator's own number, e.g. 1.1.4"))
                elif statement.id in self.declared_ids:
                    self.problems.error("duplicate", Said(f"indikatorns id {statement.id} används två gånger",
                                                          f"indicator id {statement.id} is used twice"),
                                        statement.id_span, Said("varje indikator och bonusrad behöver ett eget id",
                                                                "each indicator and bonus row needs its own id"))
                else:
                    self.declared_ids[statement.id] = statement
        areas = apply(self.structure(statements), statements, self.peers, self.scope, self.problems, self.limits)
        self.check_judged(method, areas)
        made = tables([x for x in statements if isinstance(x, s.TableDecl)], self.scope, self.problems,
                      self.limits, self.rules())
        own = self.scope.own
        return m.Ruleset(settings, own("scales"), own("questions"), own("groups"), own("keys"), own("counts"),
                         own("facts"), areas, own("registers"), method, made,
                         tuple((n, t) for n, t in self.scope.templates.items() if "." not in n))

    def check_judged(self, method: m.Method, areas: tuple[m.Area, ...]) -> None:
        """A manual judgement names a goal or unit there is, on a scale that level is graded on."""
        levels = {a.id: "area" for a in areas} | {g.id: "goal" for a in areas for g in a.goals}
        seen: set[str] = set()
        for judged in method.judged:
            level = levels.get(judged.id)
            if level is None:
                self.problems.unknown(Said("okänt mål eller målområde", "unknown goal or area"), judged.id, levels,
                                      judged.span, extra=Said("en bedömning görs av ett mål eller ett målområde",
                                                              "a judgement is made of a goal or an area (unit)"))
                continue
            if judged.id in seen:
                self.problems.error("duplicate", Said(f"{judged.id} bedöms två gånger", f"{judged.id} is judged twice"),
                                    judged.span)
            seen.add(judged.id)
            graded = [g.name for g in method.grades_of(level)]
            if not judged.is_status and judged.name not in graded:
                of_level = "ett mål" if level == "goal" else "ett målområde"
                self.problems.error("judge", Said(f"'{judged.name}' är inget betyg för {of_level} i det här "
                                                  "regelverket",
                                                  f"'{judged.name}' is not a grade of a {level} in this ruleset"),
                                    judged.span, Said(f"betygen för {of_level}: {', '.join(graded)}",
                                                      f"the {level} grades: {', '.join(graded)}") if graded else
                                    Said("ange en bedömning, eller deklarera betygen (betyg ... när ...)",
                                         "name a status, or declare the grades (grade ... when ...)"))

    def settings(self, items: list[s.Setting]) -> m.Settings:
        seen: dict[str, s.Setting] = {}
        values: dict = {}
        for item in items:
            if item.key in seen:
                setting = item.key.replace('_', ' ')
                self.problems.error("duplicate", Said(f"'{setting}' anges två gånger", f"'{setting}' is set twice"),
                                    item.span, Said(f"den angavs först på rad {seen[item.key].span.line}",
                                                    f"it was first set on line {seen[item.key].span.line}"))
                continue
            seen[item.key] = item
            values.update(SETTINGS[item.key](item, self.problems))
        return m.Settings(**values)

    def declaration(self, d) -> None:
        if isinstance(d, s.ScaleDecl):
            self.scale(d)
        elif isinstance(d, s.NameDecl):
            if d.kind == "question":
                scale = self.scope.scales.get(d.detail.name)
                if scale is None:
                    self.problems.unknown(Said("okänd skala", "unknown scale"), d.detail.name, self.scope.scales,
                                          d.detail.span, extra=Said("deklarera skalan före frågan",
                                                                    "declare the scale before the question"))
                    return
                self.declare(self.scope.questions, d.name, m.Question(d.name, scale, d.text, d.multiple), d.span,
                             Said("frågan", "question"))
            elif d.kind == "count":
                self.declare(self.scope.counts, d.name, self.count(d), d.span, Said("antalet", "count"))
            else:
                table = {"group": self.scope.groups, "fact": self.scope.facts, "register": self.scope.registers}[d.kind]
                self.declare(table, d.name, m.Described(d.name, d.text, d.detail or d.kind), d.span,
                             DECLARED_WORDS[d.kind])
        elif isinstance(d, s.KeysDecl):
            self.scope.lists[d.name] = [m.Described(key.name, key.label, d.kind) for key in d.keys]
            for key in d.keys:
                self.declare(self.scope.keys, key.name, m.Described(key.name, key.label, d.kind), key.span,
                             Said("undergruppen eller enheten", "subgroup or entity"))
        elif isinstance(d, s.ParamDecl):
            self.declare(self.scope.params, d.name, d.value, d.span, Said("parametern", "param"))
        elif isinstance(d, s.TemplateDecl):
            if d.name in RESERVED:
                self.problems.error("template", Said(f"en mall kan inte heta {d.name}: ordet är namnet på ett mått "
                                                     "eller en sats",
                                                     f"a template cannot be called {d.name}: the word names a "
                                                     "measure or a statement"), d.span,
                                    Said(f"ge den ett eget namn, t.ex. {d.name}_mål",
                                         f"give it a name of its own, e.g. {d.name}_mål"))
                return
            self.declare(self.scope.templates, d.name, d, d.span, Said("mallen", "template"))

    def count(self, d: s.NameDecl) -> m.Count:
        source = d.detail
        if source is None:
            return m.Count(d.name, d.text)
        if source.register.name not in self.scope.registers:
            self.problems.unknown(Said("okänt register", "unknown register"), source.register.name,
                                  self.scope.registers, source.register.span,
                                  extra=Said("deklarera det före dess antal: register NAMN \"text\"",
                                             "declare it before its counts: register NAME \"text\""))
        conditions = []
        for c in source.conditions:
            if c.op == RowOp.FLAG and c.field not in m.FLAGS:
                self.problems.unknown(Said("okänt villkor", "unknown condition"), c.field, m.FLAGS, c.span,
                                      extra=Said("ett villkor är exited, new, active, FÄLT = 'värde', FÄLT i [...] "
                                                 "eller age < 30",
                                                 "a condition is exited, new, active, FIELD = 'value', FIELD in [...] "
                                                 "or age < 30"))
            if RowOp(c.op).numeric and not all(isinstance(v, Fraction) for v in c.values):
                self.problems.error("unit", Said(f"'{c.field} {c.op}' jämför med ett tal",
                                                 f"'{c.field} {c.op}' compares with a number"), c.span,
                                    Said("t.ex. age < 30", "e.g. age < 30"))
            conditions.append(m.RowCondition(c.field, c.op, tuple(c.values)))
        return m.Count(d.name, d.text, source.register.name, tuple(conditions), source.per_person)

    def scale(self, d: s.ScaleDecl) -> None:
        answers = [o.key for o in d.options]
        times = Counter(answers)
        twice = next((o for o in d.options if times[o.key] > 1), None)
        if twice is not None:
            self.problems.error("duplicate", Said(f"svaret '{twice.key}' står två gånger i skalan {d.name}",
                                                  f"answer '{twice.key}' appears twice in scale {d.name}"), twice.span)
        subsets = []
        for sub in d.subsets:
            for answer in sub.answers.answers:
                if answer not in answers:
                    self.problems.unknown(Said(f"okänt svar i skalan {d.name}", f"unknown answer in scale {d.name}"),
                                          answer, answers, sub.answers.span, code="unknown-answer")
            subsets.append((sub.name, frozenset(sub.answers.answers)))
        labels = tuple(o.label or o.key for o in d.options)
        unanswered = d.unanswered.answers if d.unanswered else ()
        folded = {a.casefold() for a in answers}
        for answer in unanswered:
            if answer.casefold() in folded:
                self.problems.error("unanswered", Said(f"'{answer}' är både ett svar och obesvarat i skalan {d.name}",
                                                       f"'{answer}' is both an answer and unanswered in scale "
                                                       f"{d.name}"),
                                    d.unanswered.span, Said("ett svar som räknas som obesvarat står inte i listan "
                                                            "med svar",
                                                            "an answer that counts as not answered is not in the "
                                                            "answer list"))
        self.declare(self.scope.scales, d.name, m.Scale(d.name, tuple(answers), labels, tuple(subsets), unanswered),
                     d.span, Said("skalan", "scale"))

    # ---- areas, goals, indicators ---------------------------------------
    def structure(self, statements) -> tuple[m.Area, ...]:
        areas: list = []                        # (AreaDecl, goals) or an area taken from a peer
        for statement in statements:
            if isinstance(statement, s.AreaDecl):
                areas.append((statement, []))
            elif isinstance(statement, s.AreaFrom):
                imported = area_from(statement, self.peers, self.problems)
                if imported is not None:
                    areas.append(imported)
            elif isinstance(statement, s.GoalDecl):
                if not areas or isinstance(areas[-1], m.Area):
                    self.problems.error("structure", Said(f"målet {statement.id} har inget målområde ovanför sig",
                                                          f"goal {statement.id} has no area above it"), statement.span,
                                        Said("skriv 'målområde N \"rubrik\"' före det målområdets mål",
                                             "write 'area N \"title\"' before the goals of that area"))
                    continue
                self.check_prefix("goal", statement.id, areas[-1][0].id, statement.span)
                areas[-1][1].append((statement, []))
            elif isinstance(statement, s.IndicatorDecl):
                if not areas or isinstance(areas[-1], m.Area) or not areas[-1][1]:
                    self.problems.error("structure", Said(f"indikatorn {statement.id} har inget mål ovanför sig",
                                                          f"indicator {statement.id} has no goal above it"),
                                        statement.id_span, Said("skriv 'mål N.N \"text\"' före dess indikatorer",
                                                                "write 'goal N.N \"text\"' before its indicators"))
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
                        self.problems.error("duplicate", Said(f"id:t {made_id} i ett importerat målområde används "
                                                              "här också",
                                                              f"id {made_id} of an imported area is used here too"),
                                            entry.span)
                    seen_ids.add(made_id)
                result.append(entry)
                continue
            area, goals = entry
            for decl_id, span in [(area.id, area.span)] + [(g.id, g.span) for g, _ in goals]:
                if decl_id in seen_ids:
                    self.problems.error("duplicate", Said(f"id:t {decl_id} används två gånger",
                                                          f"id {decl_id} is used twice"), span)
                seen_ids.add(decl_id)
            built_goals = []
            for goal, indicators in goals:
                built = tuple(x for x in (self.indicator(i.id) for i in indicators) if x is not None)
                built_goals.append(m.Goal(goal.id, goal.text, built, goal.span))
            weight = None
            if area.weight is not None:
                if area.weight.unit != Unit.PERCENT:
                    self.problems.error("unit", Said("en planerad vikt är en procentsats, t.ex. 'vikt 35%'",
                                                     "a planned weight is a percentage, e.g. 'weight 35%'"),
                                        area.weight.span)
                weight = area.weight.number
            result.append(m.Area(area.id, area.title, tuple(built_goals), weight, area.target_index, area.span))
        return tuple(result)

    def check_prefix(self, what: str, child: str, parent: str, span) -> None:
        if not child.startswith(parent + "."):
            kind = Said("målet", "goal") if what == "goal" else Said("indikatorn", "indicator")
            self.problems.warning(
                "structure", Said(f"{kind.sv} {child} står under {parent}, men dess id börjar inte med {parent}.",
                                  f"{kind.en} {child} stands under {parent}, but its id does not start with {parent}."),
                span, Said(f"flytta {'det' if what == 'goal' else 'den'} till rätt "
                           f"{'målområde' if what == 'goal' else 'mål'} eller rätta dess id",
                           f"move it under the right {('area' if what == 'goal' else 'goal')} or correct its id"))

    def indicator(self, indicator_id: str) -> m.Indicator | None:
        """Compile one indicator (memoised), its outcome(...) references first."""
        if indicator_id in self.compiled:
            return self.compiled[indicator_id]
        decl = self.declared_ids.get(indicator_id)
        if decl is None:                                # refused as it was declared: said there
            return None
        if len(self.in_progress) >= self.limits.outcome_chain:
            self.problems.error("cycle", Said(f"hänvisningar med utfall(...) går mer än {self.limits.outcome_chain} "
                                              "indikatorer djupt",
                                              f"outcome(...) references lead more than {self.limits.outcome_chain} "
                                              "indicators deep"), decl.span,
                                Said("låt en indikator använda utfallet av en som mäter, inte av en kedja",
                                     "let an indicator use the outcome of one that measures, not of a chain"))
            self.compiled[indicator_id] = None
            return None
        self.in_progress.append(indicator_id)
        built = self.rules(decl).build()
        self.in_progress.pop()
        self.compiled[indicator_id] = built
        return built

    def outcome_unit(self, ref: s.Outcome) -> tuple[Unit, m.Indicator | None]:
        if ref.indicator in self.in_progress:
            chain = " → ".join(self.in_progress[self.in_progress.index(ref.indicator):] + [ref.indicator])
            self.problems.error("cycle", Said(f"indikatorerna beror på varandra i en cirkel: {chain}",
                                              f"indicators depend on each other in a circle: {chain}"), ref.span,
                                Said("en indikator kan använda utfallet av en annan bara om den andra inte använder "
                                     "den tillbaka",
                                     "an indicator can use the outcome of another only if that one does not use it "
                                     "back"))
            return Unit.INVALID, None
        if ref.indicator not in self.declared_ids:
            self.problems.unknown(Said("okänd indikator", "unknown indicator"), ref.indicator, self.declared_ids,
                                  ref.span)
            return Unit.INVALID, None
        target = self.indicator(ref.indicator)
        if target is None:
            return Unit.INVALID, None
        if ref.indicator not in self.units:               # once for each: a chain is not walked again
            self.units[ref.indicator] = unit_of(target.measure, self.outcome_unit)
        return self.units[ref.indicator], target


# ---- the header's settings: each key (syntax.SETTINGS) → the model's Settings fields it sets ----

def _period(item: s.Setting, problems: Problems) -> dict:
    years = [int(x) for x in item.value]
    if any(year not in m.YEARS for year in years):
        problems.error("period", Said(f"en period är ett år från {m.YEARS.start} till {m.YEARS.stop - 1}",
                                      f"a period is a year from {m.YEARS.start} to {m.YEARS.stop - 1}"), item.span,
                       Said("skriv t.ex. 'period 2022 föregående 2021'", "write e.g. 'period 2022 previous 2021'"))
        return {}
    return {"period": years[0], **({"previous_period": years[1]} if len(years) > 1 else {})}


def _rounding(item: s.Setting, problems: Problems) -> dict:
    step = item.value[1] if len(item.value) > 1 else s.Quantity(Fraction(1), Unit.PERCENT)
    if step.unit != Unit.PERCENT or step.number <= 0:
        problems.error("unit", Said("avrundning sker till ett steg i procent, t.ex. 'till 1%'",
                                    "rounding is to a step in percent, e.g. 'to 1%'"), step.span or item.span)
    return {"rounding": Rounding(item.value[0], step.number)}


def _minimum_n(item: s.Setting, problems: Problems) -> dict:
    if int(item.value[0]) < 1:
        problems.error("unit", Said("minsta n är minst 1: en andel av ingen visas aldrig",
                                    "minimum n is at least 1: a share of nobody is never shown"), item.span,
                       Said("skriv t.ex. 'minsta n 5'", "write e.g. 'minimum n 5'"))
        return {}
    return {"minimum_n": int(item.value[0])}


def _minimum_assessed(item: s.Setting, problems: Problems) -> dict:
    if int(item.value[0]) < 1:
        problems.error("unit", Said("minsta bedömda är minst 1: ingenting bedöms utifrån ingenting",
                                    "minimum assessed is at least 1: nothing is judged from nothing"), item.span,
                       Said("skriv t.ex. 'minsta bedömda 2'", "write e.g. 'minimum assessed 2'"))
        return {}
    return {"minimum_assessed": int(item.value[0])}


def _missing_limit(item: s.Setting, problems: Problems) -> dict:
    share = item.value[0]
    if share.unit != Unit.PERCENT or not 0 <= share.number <= 100:
        problems.error("unit", Said("den del som får saknas är en procentsats av maximum, från 0% till 100%",
                                    "the part that may be missing is a percentage of the maximum, from 0% to 100%"),
                       share.span or item.span, Said("skriv t.ex. 'saknade data högst 10%'",
                                                     "write e.g. 'missing data at most 10%'"))
        return {}
    return {"missing_limit": share.number}


SETTINGS = {
    "ruleset": lambda item, problems: {"name": item.value[0]},
    "association": lambda item, problems: {"association": item.value[0]},
    "period": _period,
    "rounding": _rounding,
    "missing_data": lambda item, problems: {"missing_in_maximum": item.value[0].startswith("included")},
    "missing_limit": _missing_limit,
    "minimum_n": _minimum_n,
    "minimum_assessed": _minimum_assessed,
    "total_target_index": lambda item, problems: {"target_index": item.value[0]},
}
