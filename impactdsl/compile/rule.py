"""One indicator's rule → model: template expansion, measures, comparisons, units.

The document compiler (document.py) owns the order of compiling; this module
turns one rule into a measure (each kind by its entry in measures.py) and a
criterion, and checks that their kinds fit: a share against a percentage, a
count against a number, a change in percentage points or in relative
percent. Names are read from the scope, problems go to the problem list."""

from __future__ import annotations

import functools
from fractions import Fraction

import attrs

from impactdsl.compile import model as m
from impactdsl.compile.measures import ARGUMENTS, CALLS, FROM_SYNTAX, OutcomeUnit, describe_unit
from impactdsl.compile.method import band_of, check_point_bands
from impactdsl.compile.rewrite import rewrite, walk
from impactdsl.compile.scope import Problems, Scope
from impactdsl.core.arithmetic import format_number
from impactdsl.core.diagnostics import Said
from impactdsl.core.kinds import Op, Status, Unit
from impactdsl.core.limits import Limits
from impactdsl.parse import printer
from impactdsl.parse import syntax as s


def too_many_points(points: int | None, span, problems: Problems, limits: Limits) -> bool:
    """Points beyond the limit are refused, so no sum of them can reach ten digits."""
    if points is not None and points > limits.points:
        problems.error("points", Said(f"{points} poäng; en indikator ger högst {limits.points}",
                                      f"{points} points; at most {limits.points} are given for one indicator"), span,
                       Said("en indikator är värd några få poäng av indexet",
                            "an indicator is worth a few points of the index"))
        return True
    return False


class RuleCompiler:
    """Compiles the rules of indicators (and the measures of table columns). `outcome_unit` is the
    document compiler's answer to outcome(ID): the unit of that indicator's value and the
    indicator, compiled first (None when it could not be)."""

    def __init__(self, scope: Scope, problems: Problems, limits: Limits, outcome_unit: OutcomeUnit,
                 decl: s.IndicatorDecl | None = None):
        self.scope = scope
        self.problems = problems
        self.limits = limits
        self.outcome_unit = outcome_unit
        self.decl = decl
        self.mark = problems.mark()

    def measure(self, node) -> tuple[m.Measure | None, Unit]:
        """Any measure, by its kind's entry in measures.py."""
        handler = FROM_SYNTAX.get(type(node))
        if handler is None:         # a template's number, or an each block's per-entity param, put here
            self.problems.error("measure", Said.joined(_describe_argument(node),
                                                       Said(" står där ett mått ska stå",
                                                            " stands where a measure belongs")),
                                getattr(node, "span", None),
                                Said("ett mått är andel(...), antal(...), ett antal, en uppgift eller en parameter "
                                     "med ett tal; en mall får ett namn där, och en parameter som ges per enhet "
                                     "jämförs med, den mäts inte (>= mål)",
                                     "a measure is share(...), count(...), a count, a fact "
                                     "or a param of one number; a template is given a name there, and a param given "
                                     "per entity is compared with, not measured (>= mål)"))
            return None, Unit.INVALID
        return handler(self, node)

    def build(self) -> m.Indicator | None:
        rule = self.decl.rule
        template = None
        if isinstance(rule, s.ReportedRule):
            measure, unit = m.ReportedOf(self.decl.id, rule.span), Unit.STATUS
            criterion, target = None, None
        elif isinstance(rule, s.TodoRule):
            measure, unit = m.TodoOf(self.decl.id, rule.span), Unit.STATUS
            criterion = self.todo_target(rule)
            target = None
            self.problems.warning("todo", *todo_said(self.decl, rule))
        elif isinstance(rule, s.PerUnitRule):
            measure, unit = self.measure(rule.measure)
            if unit not in (Unit.NUMBER, Unit.INVALID):
                self.problems.error("unit", Said("poäng per styck kräver ett antal eller en uppgift som är ett tal",
                                                 "points per unit need a count or a number fact"), rule.measure.span,
                                    Said("t.ex. 'fallstudier -> 1 per styck upp till 4' med 'fakta fallstudier tal'",
                                         "e.g. 'fallstudier -> 1 each up to 4' with 'fact fallstudier number'"))
            criterion, target = None, None
            if rule.cap < rule.points:
                self.problems.error("points", Said(f"taket {rule.cap} är lägre än poängen per styck {rule.points}",
                                                   f"the cap {rule.cap} is smaller than the points per unit "
                                                   f"{rule.points}"), rule.span)
        else:
            condition = rule.condition
            if isinstance(condition, s.TemplateCall):
                template = condition.name
                condition = self.expand(condition)
                if condition is None:
                    return None
            measure, unit = self.measure(condition.measure)
            own_target = None
            if isinstance(condition.measure, s.Outcome) and unit != Unit.INVALID:
                _, referenced = self.outcome_unit(condition.measure)
                own_target = referenced.target if referenced else None
            criterion = self.criterion(condition.comparison, unit, own_target)
            target = criterion.bound if criterion and Op(criterion.op).single_bound and not criterion.computed else None
            if criterion is not None and isinstance(measure, m.ChangeOf):
                measure = attrs.evolve(measure, relative=criterion.unit == Unit.RELATIVE)
        bonus, override, notes, bands = None, None, [], []
        for clause in rule.clauses:
            if isinstance(rule, s.TodoRule) and not isinstance(clause, s.NoteClause):
                self.problems.error("bonus" if isinstance(clause, s.BonusClause) else "status" if isinstance(
                    clause, s.StatusClause) else "override", Said(
                    "en platshållare (att göra) har ingen regel ännu att ge bonus, ändra eller ge band",
                    "a placeholder (todo) has no rule yet to give a bonus, override or band"), clause.span,
                    Said("skriv regeln först, eller lämna bara '; notera \"...\"' kvar",
                         "write the rule first, or keep only '; note \"...\"'"))
                continue
            if isinstance(clause, s.NoteClause):
                notes.append(clause.text.strip())
            elif isinstance(clause, s.StatusClause):
                band = self.status_band(clause, criterion, unit)
                if band is not None:
                    bands.append((clause.name, band))
            elif isinstance(clause, s.BonusClause):
                if not isinstance(rule, s.PointsRule):
                    self.problems.error("bonus", Said("en bonus behöver en jämförelse med ett målvärde",
                                                      "a bonus clause needs a comparison to a target"), clause.span)
                    continue
                bonus_criterion = self.criterion(clause.comparison, unit, target)
                if bonus_criterion:
                    bonus = m.Bonus(bonus_criterion, clause.points, clause.span)
            elif isinstance(rule, s.ReportedRule):
                self.problems.error("override", Said("en rapporterad bedömning är redan en persons bedömning: den "
                                                     "ändras inte i regelverket",
                                                     "a reported status is already a person's judgement: it is not "
                                                     "overridden in the ruleset"), clause.span,
                                    Said("ange bedömningen i utfallsdata under reported:, med vem som gjorde den",
                                         "give the status in the outcome data under reported:, with who judged it"))
            else:
                if override is not None:
                    self.problems.error("override", Said("en indikator kan bara ha en ändring (ändra)",
                                                         "an indicator can have one override"), clause.span)
                if not clause.reason.strip():
                    self.problems.error("override", Said("en ändring måste säga varför",
                                                         "an override must say why"), clause.span,
                                        Said('skriv skälet: ändra uppnått eftersom "styrelsen beslutade ..."',
                                             'write the reason: override met because "the board decided ..."'))
                override = m.Override(clause.reason.strip(), clause.outcome, clause.points, clause.span)
        point_bands = self.point_bands(rule, unit, target, criterion) if isinstance(rule, s.PointsRule) else ()
        points = rule.points
        status_points = ()
        if points is None:                               # no points written: the ruleset's points per status
            status_points = self.scope.status_points
            points = max((p for _, p in status_points), default=0)
        if isinstance(points, s.Ref):
            if points.name not in self.scope.params:
                self.problems.unknown(Said("okänd parameter", "unknown param"), points.name, self.scope.params,
                                      points.span,
                                      extra=Said("poäng är ett heltal (-> 2) eller en parameter med heltal",
                                                 "points are a whole number (-> 2) or a param of whole numbers"))
                return None
            value = self.param(points)
            if value is None or value.unit != Unit.NUMBER or value.number.denominator != 1:
                self.problems.error("points", Said(f"poäng är ett heltal; '{points.name}' är inget heltal här",
                                                   f"points are a whole number; '{points.name}' is not one here"),
                                    points.span,
                                    Said("skriv -> 2, eller ange en parameter med heltal (per enhet inuti ett "
                                         "för varje-block)",
                                         "write -> 2, or name a param of whole numbers (per entity inside an each "
                                         "block)"))
                return None
            points = int(value.number)
        if not isinstance(points, int):                  # a per-entity param of texts, put in by each
            self.problems.error("points", Said("poäng är ett heltal; parametern som anges för dem har en text här",
                                               "points are a whole number; the param given for them holds a text "
                                               "here"),
                                rule.span, Said("skriv -> 2, eller ange en parameter med heltal",
                                                "write -> 2, or name a param of whole numbers"))
            return None
        cap = rule.cap if isinstance(rule, s.PerUnitRule) else None
        for value in (points, cap, bonus.points if bonus else None, override.points if override else None):
            too_many_points(value, rule.span, self.problems, self.limits)
        if self.problems.failed_since(self.mark) or measure is None or unit == Unit.INVALID:
            return None
        return m.Indicator(self.decl.id, self.decl.text, measure, criterion, points,
                           cap=cap, bonus=bonus,
                           override=override, is_bonus=self.decl.is_bonus, template=template,
                           note=" ".join(notes) or None, written=rule.written, span=self.decl.span,
                           bands=tuple(bands), point_bands=point_bands, status_points=status_points)

    def todo_target(self, rule: s.TodoRule) -> m.Criterion | None:
        """What a placeholder says of its target (`todo >= 40%`), kept for the reports: a number written
        there or a param's, in the unit it is written in (there is no measure yet to check it against)."""
        c = rule.comparison
        if c is None:
            return None
        if Op(c.op).near_target:
            self.problems.error("target", Said("en platshållare har inget mål att vara nära",
                                               "a placeholder has no target to be near"), c.span,
                                Said("skriv målvärdet, t.ex. 'att göra minst 40%'", "write the target, e.g. 'todo >= 40%'"))
            return None
        bound = self.param(c.bound) if isinstance(c.bound, s.Ref) and c.bound.name in self.scope.params else c.bound
        if isinstance(bound, s.YesNo):
            unit = Unit.YES_NO
        elif isinstance(bound, s.Quantity):
            unit = Unit.PERCENT if bound.unit == Unit.PERCENT else Unit.NUMBER if bound.unit == Unit.NUMBER \
                else Unit(bound.unit)
        else:
            if bound is not None:
                self.problems.error("target", Said("en platshållares mål är ett tal skrivet här eller en param",
                                                   "a placeholder's target is a number written here or a param"),
                                    c.span, Said("t.ex. 'att göra minst 40%'", "e.g. 'todo >= 40%'"))
            return None
        return self.criterion(c, unit, None)

    # ---- the method's parts of a rule ----------------------------------------
    def status_band(self, clause: s.StatusClause, criterion: m.Criterion | None, unit: Unit) -> m.Band | None:
        """`; status delvis when ...`: a band of a declared partly status, fitting this indicator's target."""
        level = self.scope.method.status(clause.name)
        if level is None or level.role != Status.PARTLY:
            partly = [x.name for x in self.scope.method.partly]
            if level is None:
                self.problems.unknown(Said("okänd bedömning", "unknown status"), clause.name, partly, clause.span,
                                      extra=Said("deklarera den först: status NAMN \"text\" när inom 5pp av "
                                                 "målvärdet",
                                                 "declare it first: status NAME \"text\" when within 5pp of "
                                                 "target"))
            else:
                self.problems.error("status", Said(f"'{clause.name}' har inget intervall att ange här: bara en "
                                                   "bedömning mellan uppnått och annars har ett",
                                                   f"'{clause.name}' has no band to set here: only a status between "
                                                   "met and otherwise has one"), clause.span,
                                    Said(f"bedömningarna med intervall: {', '.join(partly) or 'inga'}",
                                         f"the statuses with bands: {', '.join(partly) or 'none'}"))
            return None
        band = band_of(clause.band, self.problems)
        if criterion is None or not (Op(criterion.op).single_bound or criterion.op == Op.BETWEEN) \
                or isinstance(criterion.bound, bool):
            self.problems.error("status", Said("ett intervall mäts från ett målvärde, och den här regeln har inget "
                                               "att vara nära",
                                               "a band is measured from a target, and this rule has none to be near"),
                                clause.span, Said("ett intervall passar en regel som '>= 80%' eller 'högst 3%'",
                                                  "a band fits a rule such as '>= 80%' or 'at most 3%'"))
        elif band.kind == "distance" and band.unit == Unit.PP and criterion.unit != Unit.PERCENT:
            self.problems.error("unit", Said("procentenheter mäter avståndet till ett målvärde i procent; det här "
                                             "målvärdet är ett tal",
                                             "percentage points measure the distance to a percentage target; this "
                                             "target is a number"), clause.band.span,
                                Said("skriv t.ex. 'inom 5 av målvärdet' eller 'minst 80% av målvärdet'",
                                     "write e.g. 'within 5 of target' or 'at least 80% of target'"))
        return band

    def point_bands(self, rule: s.PointsRule, unit: Unit, target, first: m.Criterion | None) -> tuple[m.PointBand, ...]:
        """`>= 80% -> 3, >= 60% -> 2, >= 40% -> 1`: tried in order, the points falling."""
        if not rule.bands:
            return ()
        made = []
        for band in rule.bands:
            criterion = self.criterion(band.comparison, unit, target)
            too_many_points(band.points, band.span, self.problems, self.limits)
            if criterion is not None:
                made.append(m.PointBand(criterion, band.points, band.span))
        if any(band.criterion.computed for band in made) or (first is not None and first.computed):
            self.problems.error("points", Said("poängintervall jämför med tal som skrivs här, inte med målvärden "
                                               "som räknas fram",
                                               "points bands compare with numbers written here, not with computed "
                                               "targets"), rule.bands[0].span,
                                Said("skriv t.ex. '>= 80% -> 3, >= 60% -> 2'", "write e.g. '>= 80% -> 3, >= 60% -> 2'"))
        elif rule.points is None:
            self.problems.error("points", Said("poängintervall följer efter poängen för det första intervallet",
                                               "points bands follow the points of the first band"),
                                rule.bands[0].span,
                                Said("skriv t.ex. '>= 80% -> 3, >= 60% -> 2'", "write e.g. '>= 80% -> 3, >= 60% -> 2'"))
        elif first is not None and isinstance(rule.points, int) and len(made) == len(rule.bands):
            check_point_bands(m.PointBand(first, rule.points, rule.span), made, self.problems)
        return tuple(made)

    # ---- templates -------------------------------------------------------
    def expand(self, call: s.TemplateCall) -> s.Criterion | None:
        template = self.scope.templates.get(call.name)
        if template is None:
            self.problems.unknown(Said("okänd mall", "unknown template"), call.name, self.scope.templates, call.span)
            return None
        if len(call.arguments) != len(template.parameters):
            self.problems.error("template", Said(f"mallen {call.name} tar {len(template.parameters)} värden "
                                                 f"({', '.join(template.parameters)}), {len(call.arguments)} angavs",
                                                 f"template {call.name} takes {len(template.parameters)} values "
                                                 f"({', '.join(template.parameters)}), {len(call.arguments)} given"),
                                call.span)
            return None
        if isinstance(template.body, s.TemplateCall):
            self.problems.error("template", Said(f"mallen {call.name} är skriven som en annan mall, "
                                                 f"{template.body.name}",
                                                 f"template {call.name} is written as another template, "
                                                 f"{template.body.name}"),
                                template.body.span,
                                Said("skriv en mall som ett mått och en jämförelse, t.ex. andel(GRUPP, F, top2) >= 80%",
                                     "write a template as a measure and a comparison, e.g. "
                                     "share(GROUP, Q, top2) >= 80%"))
            return None
        misplaced = _misplaced(template.body, dict(zip(template.parameters, call.arguments)))
        for parameter, argument in misplaced:
            self.problems.error("template", Said.joined(
                Said(f"mallen {call.name} använder {parameter} som ett namn (en grupp, en fråga, ett antal), men får ",
                     f"template {call.name} uses {parameter} as a name (a group, a question, a count), but is given "),
                _describe_argument(argument)), getattr(argument, "span", None) or call.span,
                Said(f"anropa den med namn där den namnger saker, t.ex. {call.name}(board, q1, 80%)",
                     f"call it with names where it names things, e.g. {call.name}(board, q1, 80%)"))
        return None if misplaced else expansion(template, call.arguments)

    def operand(self, node):
        """A figure of a computation or a change: a measure, or a number written in the rule."""
        if isinstance(node, s.Quantity):
            if node.unit == Unit.RELATIVE:
                self.problems.error("unit", Said("relativa procent används bara i jämförelser, inte i beräkningar",
                                                 "a relative percent is compared with, not computed with"), node.span,
                                    Said("skriv en procentsats (80%), procentenheter (5pp) eller ett tal",
                                         "write a percentage (80%), percentage points (5pp) or a number"))
                return None, Unit.INVALID
            return m.Constant(node.number, node.unit, span=node.span), Unit(node.unit)
        return self.measure(node)

    def answers(self, node, scale: m.Scale) -> tuple[frozenset[str] | None, str | None]:
        if isinstance(node, s.Ref):
            subset = scale.subset(node.name)
            if subset is None:
                if node.name in scale.answers:
                    self.problems.error("unknown-answer", Said(f"'{node.name}' är ett svar i skalan {scale.name}, "
                                                               "skrivet utan citattecken",
                                                               f"'{node.name}' is an answer of scale {scale.name}, "
                                                               "written without quotes"), node.span,
                                        Said(f"sätt citattecken runt det: '{node.name}'", f"quote it: '{node.name}'"))
                else:
                    answers = ', '.join(repr(a) for a in scale.answers)
                    self.problems.unknown(Said(f"okänd delmängd av skalan {scale.name}",
                                               f"unknown subset of scale {scale.name}"), node.name,
                                          [n for n, _ in scale.subsets], node.span, code="unknown-answer",
                                          extra=Said(f"svar skrivs inom citattecken: {answers}",
                                                     f"answers are quoted: {answers}"))
                return None, None
            return subset, node.name
        chosen = set()
        for answer in node.answers:
            match = next((a for a in scale.answers if a.casefold() == answer.strip().casefold()), None)
            match = match or next((a for a, label in zip(scale.answers, scale.labels)
                                   if label.casefold() == answer.strip().casefold()), None)
            if match is None:
                self.problems.unknown(Said(f"okänt svar i skalan {scale.name}",
                                           f"unknown answer in scale {scale.name}"), answer,
                                      scale.answers + scale.labels, node.span, code="unknown-answer")
            else:
                chosen.add(match)
        for name, subset in scale.subsets:
            if subset == frozenset(chosen):
                return frozenset(chosen), name
        return frozenset(chosen), None

    def key(self, ref: s.Ref) -> m.Described | None:
        """The (last) declared key of a reference; `[lyra, kvinnor]` checks both parts (a year, as in
        `resultat[2021]`, is a period, not a key: see `period`)."""
        if ref.key is None:
            return None
        found = None
        for part in ref.key.split("/"):
            if part.isdigit():
                continue
            found = self.scope.keys.get(part)
            if found is None:
                self.problems.unknown(Said("okänd undergrupp eller enhet", "unknown subgroup or entity"), part,
                                      self.scope.keys, ref.span,
                                      extra=Said("deklarera den: undergrupper NAMN: NYCKEL \"text\", ...",
                                                 "declare it: subgroups NAME: KEY \"text\", ..."))
        return found

    def count_ref(self, ref: s.Ref, previous=False) -> m.CountOf:
        if ref.name not in self.scope.counts:
            self.problems.unknown(Said("okänt antal", "unknown count"), ref.name, self.scope.counts, ref.span,
                                  extra=Said("deklarera det: räkna NAMN \"text\"", "declare it: count NAME \"text\""))
        self.key(ref)
        key, period = self.period(ref, previous)
        return m.CountOf(ref.name, key, previous, ref.span, period)

    def period(self, ref: s.Ref, previous: bool) -> tuple[str | None, int | None]:
        """A reference's key without its year, and the year (`resultat[2021]`, `deltagare[lyra, 2022]`)."""
        if ref.key is None:
            return None, None
        parts = ref.key.split("/")
        years = [int(p) for p in parts if p.isdigit()]
        if not years:
            return ref.key, None
        if len(years) > 1 or years[0] not in m.YEARS or previous:
            self.problems.error("period", Said(f"{ref.name}[...] anger ett år från {m.YEARS.start} till "
                                               f"{m.YEARS.stop - 1}" + (", och föregående(...) anger året före"
                                                                        if previous else ""),
                                               f"{ref.name}[...] names one year from {m.YEARS.start} to "
                                               f"{m.YEARS.stop - 1}" + (", and previous(...) names the year before"
                                                                        if previous else "")), ref.span,
                                Said(f"t.ex. {ref.name}[2021]", f"e.g. {ref.name}[2021]"))
        return "/".join(p for p in parts if not p.isdigit()) or None, years[0]

    def param(self, ref: s.Ref) -> s.Quantity | None:
        """A param's number (for one entity when it is given per entity), or None with a diagnostic."""
        value = self.scope.params[ref.name]
        if isinstance(value, tuple):
            if ref.key is None:
                self.problems.error("param", Said(f"parametern {ref.name} anges per enhet; säg vilken",
                                                  f"param {ref.name} is given per entity; say which"), ref.span,
                                    Said(f"skriv {ref.name}[ENHET], eller använd den inuti ett för varje-block",
                                         f"write {ref.name}[ENTITY], or use it inside an each block"))
                return None
            value = self.scope.entity_param(ref.name, ref.key, ref.span, self.problems)
            if value is None:
                return None
        if isinstance(value, str):
            self.problems.error("param", Said(f"parametern {ref.name} är en text; en regel behöver ett tal här",
                                              f"param {ref.name} is a text; a rule needs a number here"), ref.span,
                                Said("texter är till för {platshållare} i indikatorernas texter",
                                     "texts are for {placeholders} in indicator texts"))
            return None
        return value

    def value_ref(self, ref: s.Ref, previous: bool) -> tuple[m.Measure | None, str]:
        if ref.name in self.scope.params and not previous and not (ref.key or "").replace("/", "").isdigit():
            q = self.param(ref)
            if q is None:
                return None, Unit.INVALID
            return m.Constant(q.number, q.unit, ref.name, ref.span), q.unit
        if ref.name in self.scope.facts:
            kind = self.scope.facts[ref.name].kind
            self.key(ref)
            key, period = self.period(ref, previous)
            return m.FactOf(ref.name, kind, key, previous, ref.span, period), (Unit.NUMBER if kind == Unit.TKR else kind)
        if ref.name in self.scope.counts:
            return self.count_ref(ref, previous), Unit.NUMBER
        known = list(self.scope.facts) + list(self.scope.counts) + list(self.scope.params)
        self.problems.unknown(Said("okänt namn", "unknown name"), ref.name, known, ref.span,
                              extra=Said("deklarera det som ett antal (räkna), en uppgift (fakta) eller en parameter",
                                         "declare it as a count, fact or param"))
        return None, Unit.INVALID

    # ---- criteria --------------------------------------------------------
    def criterion(self, comparison: s.Comparison, unit: str, target) -> m.Criterion | None:
        if unit == Unit.INVALID:
            return None
        op = comparison.op
        if Op(op).near_target:
            if target is None:
                self.problems.error("target", Said("här finns inget målvärde att vara nära",
                                                   "there is no target to be near here"), comparison.span,
                                    Said("'inom X av målvärdet' hör hemma i en bonus, eller efter utfall(ID) "
                                         "för en indikator med ett målvärde",
                                         "'within X of target' belongs in a bonus clause, or after outcome(ID) "
                                         "of an indicator with a target"))
                return None
            distance = self.threshold(comparison.bound, Unit.PP if unit == Unit.PERCENT else unit, comparison)
            if distance is None:
                return None
            if distance[2] is not None:
                self.problems.error("target", Said("avståndet till ett målvärde är ett tal som skrivs här",
                                                   "the distance to a target is a number written here"),
                                    comparison.span,
                                    Said("skriv t.ex. 'inom 5pp av målvärdet'", "write e.g. 'within 5pp of target'"))
                return None
            return m.Criterion(op, distance[0], target, distance[1], comparison.span)
        if unit == Unit.YES_NO:
            if op != Op.EQUAL or not isinstance(comparison.bound, s.YesNo):
                self.problems.error("unit", Said("en ja/nej-uppgift prövas med '= ja' eller '= nej'",
                                                 "a yes/no fact is tested with '= yes' or '= no'"), comparison.span)
                return None
            return m.Criterion(Op.EQUAL, comparison.bound.value, None, Unit.YES_NO, comparison.span)
        bound = self.threshold(comparison.bound, unit, comparison)
        upper = self.threshold(comparison.upper, unit, comparison) if comparison.upper is not None else None
        if bound is None or (comparison.upper is not None and upper is None):
            return None
        if upper is not None and upper[2] is None and bound[2] is None and upper[0] < bound[0]:
            self.problems.error("range", Said("den nedre gränsen i 'mellan' är högre än den övre",
                                              "the lower end of 'between' is above the upper end"), comparison.span)
        return m.Criterion(op, bound[0], upper[0] if upper else None, bound[1], comparison.span,
                           bound[2], upper[2] if upper else None)

    def threshold(self, node, unit: str, comparison) -> tuple[Fraction, str, m.Measure | None] | None:
        """The bound in the measure's unit — a number, or (third) the measure it is computed from,
        `>= budget - 500` — or None after a diagnostic when the kinds do not fit."""
        span = getattr(node, "span", None) or comparison.span
        if isinstance(node, s.Ref) and node.name in self.scope.params and node.key is None:
            node = self.param(node)
            if node is None:
                return None
        elif not isinstance(node, (s.Quantity, s.YesNo)):
            return self.computed_threshold(node, unit, span, comparison)
        return self.written_threshold(node, unit, span)

    def computed_threshold(self, node, unit: str, span, comparison):
        """A target computed from other figures: its unit must be the measure's."""
        measure, got = self.measure(node)
        if measure is None or got == Unit.INVALID:
            return None
        if isinstance(measure, m.Constant):            # numbers only (-500, 2 * 40%): a number after all
            return self.written_threshold(s.Quantity(measure.value, measure.unit, span), unit, span)
        fits = {Unit.PERCENT: (Unit.PERCENT,), Unit.PP: (Unit.PP,), Unit.CHANGE_PERCENT: (Unit.PP,),
                Unit.NUMBER: (Unit.NUMBER,), Unit.CHANGE_NUMBER: (Unit.NUMBER,)}.get(unit, ())
        if got not in fits:
            self.problems.error("unit", Said.joined(
                Said("här jämförs ", ""), describe_unit(unit),
                Said(" med ett målvärde som räknas fram som ", " is compared here with a target computed as "),
                describe_unit(got)), span,
                Said("räkna fram målvärdet i måttets enhet: en andel med en andel, ett belopp med ett belopp",
                     "compute the target in the measure's unit: a share with a share, an amount with an amount"))
            return None
        return Fraction(0), (Unit.PP if unit == Unit.CHANGE_PERCENT else unit), measure

    def written_threshold(self, node, unit: str, span) -> tuple[Fraction, str, None] | None:
        """A number written in the rule (or a param's), in the measure's unit."""
        found = self.unit_of_written(node, unit, span)
        return None if found is None else (*found, None)

    def unit_of_written(self, node, unit: str, span) -> tuple[Fraction, str] | None:
        if isinstance(node, s.YesNo):
            self.problems.error("unit", Said("ja/nej jämförs bara med en ja/nej-uppgift",
                                             "yes/no only compares with a yes/no fact"), span)
            return None
        written = node.unit
        if unit == Unit.PERCENT:
            if written == Unit.PERCENT:
                return node.number, Unit.PERCENT
            self.problems.error("unit", Said.joined(Said("här jämförs en procentsats, men det som skrevs är ",
                                                         "a percentage is compared here, but "),
                                                    describe_unit(written), Said("", " was written")),
                                span, Said(f"skriv {_plain(node.number)}% (en andel av 100)",
                                           f"write {_plain(node.number)}% (a share of 100)"))
            return None
        if unit in (Unit.PP, Unit.CHANGE_PERCENT):
            if written in (Unit.PERCENT, Unit.PP):
                return node.number, Unit.PP
            if written == Unit.RELATIVE and unit == Unit.CHANGE_PERCENT:
                return node.number, Unit.RELATIVE
            number = _plain(node.number)
            self.problems.error("unit", Said.joined(Said("här jämförs en skillnad i procentenheter, men det som "
                                                         "skrevs är ",
                                                         "a difference in percentage points is compared here, but "),
                                                    describe_unit(written), Said("", " was written")), span,
                                Said(f"skriv {number}pp" + (f", eller {number}% relativt för en relativ förändring"
                                                            if unit == Unit.CHANGE_PERCENT else ""),
                                     f"write {number}pp" + (f", or {number}% relative for relative change"
                                                            if unit == Unit.CHANGE_PERCENT else "")))
            return None
        if unit in (Unit.NUMBER, Unit.CHANGE_NUMBER):
            if written == Unit.NUMBER:
                return node.number, Unit.NUMBER
            if written == Unit.RELATIVE and unit == Unit.CHANGE_NUMBER:
                return node.number, Unit.RELATIVE
            self.problems.error("unit", Said.joined(Said("här jämförs ett tal, men det som skrevs är ",
                                                         "a number is compared here, but "),
                                                    describe_unit(written), Said("", " was written")),
                                span, Said(f"skriv {_plain(node.number)} utan enhet",
                                           f"write {_plain(node.number)} without a unit"))
            return None
        if unit == Unit.RELATIVE and written in (Unit.RELATIVE, Unit.PERCENT):
            return node.number, Unit.RELATIVE
        self.problems.error("unit", Said.joined(describe_unit(unit), Said(" kan inte jämföras med ",
                                                                          " cannot be compared with "),
                                                describe_unit(written)), span,
                            Said("jämför en andel med 80%, en skillnad med 5pp, en relativ förändring med 0.5% "
                                 "relativt, ett tal med 12",
                                 "compare a share with 80%, a difference with 5pp, a relative change with 0.5% "
                                 "relative, a number with 12"))
        return None



def todo_said(decl: s.IndicatorDecl, rule: s.TodoRule) -> tuple:
    """The `todo` warning's message, span and hint: what is left to write, and what is known."""
    known_sv, known_en = [], []
    c = rule.comparison
    if c is not None:
        if c.op == Op.BETWEEN:
            bounds = printer.comparison(c).split(" ", 1)[1].split(" and ")
            sv, en = f"mellan {bounds[0]} och {bounds[1]}", f"between {bounds[0]} and {bounds[1]}"
        else:
            bound = printer.comparison(c).split(" ", 1)[1]
            words = {Op.AT_LEAST: ("minst", "at least"), Op.AT_MOST: ("högst", "at most"),
                     Op.MORE_THAN: ("mer än", "more than"), Op.LESS_THAN: ("mindre än", "less than")}
            sv, en = (f"{w} {bound}" for w in words.get(Op(c.op), ("=", "=")))
        known_sv.append(f"målvärde {sv}")
        known_en.append(f"target {en}")
    if rule.points is not None:
        known_sv.append(f"{rule.points} poäng")
        known_en.append(f"{rule.points} point{'s' if rule.points != 1 else ''}")
    kind_sv, kind_en = ("bonusraden", "bonus row") if decl.is_bonus else ("indikatorn", "indicator")
    message = Said(f"att göra: {kind_sv} {decl.id} har ingen regel ännu"
                   + (f" ({', '.join(known_sv)})" if known_sv else ""),
                   f"to do: {kind_en} {decl.id} has no rule yet" + (f" ({', '.join(known_en)})" if known_en else ""))
    hint = Said("sätt ett mått där 'att göra' står (t.ex. kvot(avslut, deltagare)); till dess bedöms den inte "
                "och räknas inte in i maximum",
                "put a measure where 'todo' stands (e.g. ratio(avslut, deltagare)); until then it is not assessed "
                "and not in the maximum")
    return message, rule.span, hint


def _plain(number: Fraction) -> str:
    return format_number(number, decimals=4, comma=False)


def expansion(template: s.TemplateDecl, arguments: tuple):
    """A template's body with each parameter replaced by its argument (a name given for a parameter
    written with a key, `antal[kvinnor]`, keeps the key)."""
    bindings = dict(zip(template.parameters, arguments))

    def put(node):
        if isinstance(node, s.Ref) and node.name in bindings:
            argument = bindings[node.name]
            return s.Ref(argument.name, node.key or argument.key, argument.span) \
                if isinstance(argument, s.Ref) else argument
        return None
    return rewrite(template.body, put)


def _misplaced(body, bindings: dict) -> list[tuple[str, object]]:
    """Each parameter that stands where only a name may stand (a field of type Ref) but is given
    something else, with what it was given."""
    given = {name: argument for name, argument in bindings.items() if not isinstance(argument, s.Ref)}
    if not given:                           # every parameter was given a name: none can be misplaced
        return []
    return [(value.name, given[value.name]) for node in walk(body) for value in _names_in(node)
            if isinstance(value, s.Ref) and value.name in given]


def _names_in(node) -> list:
    """What stands where only a name may: a field of type Ref, or a NAME(...) measure's group or question."""
    if isinstance(node, s.Call) and node.name in CALLS:
        return [a for what, a in zip(CALLS[node.name].arguments, node.arguments) if ARGUMENTS[what].names]
    return [getattr(node, name) for name in _name_fields(type(node))]


@functools.cache
def _name_fields(cls: type) -> tuple[str, ...]:
    """The fields of a syntax class where only a name (a Ref) may stand."""
    return tuple(f.name for f in attrs.fields(cls) if f.type == "Ref")


def _describe_argument(argument) -> Said:
    if isinstance(argument, s.Quantity):
        return Said("ett tal", "a number")
    if isinstance(argument, s.AnswerList):
        return Said("en lista med svar", "a list of answers")
    return Said("en text", "a text") if isinstance(argument, str) else Said("något annat", "something else")
