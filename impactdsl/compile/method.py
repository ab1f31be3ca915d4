"""The method statements → model.Method: statuses, grades, manual judgements, words, index.

Nothing here is Umeå's or anyone's: a ruleset that declares no status gets the
plain scale met / missed / not assessed (model.DEFAULT_STATUSES), one that
declares no index shows none, and a word it does not `call` is shown in the
engine's neutral wording. Every statement is checked against the others: a
band that cannot be reached, a grade that names no status, an otherwise that
is not last, a judgement that can never hold.

"""

from __future__ import annotations

import re

from impactdsl.compile import model as m
from impactdsl.compile.scope import Problems
from impactdsl.core.arithmetic import format_number
from impactdsl.core.kinds import Op, Status, Term, Unit
from impactdsl.core.limits import Limits
from impactdsl.parse import syntax as s

COLOURS = {"green": "#2e7d32", "grön": "#2e7d32", "yellow": "#f9a825", "gul": "#f9a825",
           "orange": "#ef8f00", "red": "#c62828", "röd": "#c62828", "grey": "#8a8a8a", "gray": "#8a8a8a",
           "grå": "#8a8a8a", "blue": "#1565c0", "blå": "#1565c0"}
HEX = re.compile(r"#[0-9a-fA-F]{6}")
ROLES = {"met": Status.MET, "band": Status.PARTLY, "otherwise": Status.MISSED, "no_data": Status.NOT_ASSESSED}
DEFAULT_COLOURS = {Status.MET: "#2e7d32", Status.PARTLY: "#ef8f00", Status.MISSED: "#c62828",
                   Status.NOT_ASSESSED: "#8a8a8a"}


def compile_method(statements, problems: Problems, limits: Limits) -> m.Method:
    statuses = _statuses([x for x in statements if isinstance(x, s.StatusDecl)], problems)
    grades = _grades([x for x in statements if isinstance(x, s.GradeDecl)], statuses, problems, limits)
    words = _words([x for x in statements if isinstance(x, s.CallDecl)], problems)
    index = _index([x for x in statements if isinstance(x, s.IndexDecl)], grades, problems)
    judged = tuple(_judged(x, statuses, grades, problems) for x in statements if isinstance(x, s.JudgeDecl))
    return m.Method(statuses, grades, tuple(j for j in judged if j is not None), words, index)


def status_points(statements, method: m.Method, problems: Problems) -> tuple[tuple[str, int], ...]:
    """The `points uppfyllt 2, delvis 1` table: what an indicator that writes no points earns."""
    decls = [x for x in statements if isinstance(x, s.PointsByStatus)]
    for extra in decls[1:]:
        problems.error("duplicate", "the points per status are given twice", extra.span,
                       f"keep one line; the first is on line {decls[0].span.line}" if decls[0].span else None)
    if not decls:
        return ()
    table = []
    for name, points in decls[0].points:
        level = method.status(name)
        if level is None:
            problems.unknown("status", name, [x.name for x in method.statuses], decls[0].span)
        elif level.role == Status.NOT_ASSESSED:
            problems.error("points", f"'{name}' is the status for no data, which earns nothing", decls[0].span,
                           "give points to the statuses of judged outcomes only")
        elif name in dict(table):
            problems.error("duplicate", f"status '{name}' is given points twice", decls[0].span)
        else:
            table.append((name, points))
    ranks = [next(i for i, x in enumerate(method.statuses) if x.name == name) for name, _ in table]
    ordered = [points for _, (_, points) in sorted(zip(ranks, table))]
    if any(worse > better for better, worse in zip(ordered, ordered[1:])):
        problems.error("points", "a worse status earns more points than a better one", decls[0].span,
                       "the statuses are ordered as declared, best first; give the better ones more")
    return tuple(table)


# ---- statuses ----------------------------------------------------------------

def _statuses(decls: list[s.StatusDecl], problems: Problems) -> tuple[m.StatusLevel, ...]:
    if not decls:
        return m.DEFAULT_STATUSES
    made: list[m.StatusLevel] = []
    for decl in decls:
        role = ROLES[decl.rule]
        if any(x.name == decl.name for x in made):
            problems.error("duplicate", f"status '{decl.name}' is declared twice", decl.span)
            continue
        if role != Status.PARTLY and any(x.role == role for x in made):
            problems.error("status", f"two statuses are declared '{_rule_words(decl.rule)}'", decl.span,
                           "a scale has one status when met, one otherwise and one when no data; "
                           "the ones between have bands ('when within 5pp of target')")
            continue
        band = band_of(decl.band, problems) if decl.band is not None else None
        made.append(m.StatusLevel(decl.name, decl.label, decl.english, _colour(decl, role, problems), role, band,
                                  decl.span))
    for role, rule in ((Status.MET, "when met"), (Status.MISSED, "otherwise")):
        if not any(x.role == role for x in made):
            problems.error("status", f"the statuses have none '{rule}'", decls[0].span,
                           f'add e.g.: status {"uppfyllt" if role == Status.MET else "ej_uppfyllt"} '
                           f'"{"Uppfyllt" if role == Status.MET else "Ej uppfyllt"}" {rule}')
    if not any(x.role == Status.NOT_ASSESSED for x in made):
        made.append(m.DEFAULT_STATUSES[-1])
    order = [x.role for x in made if x.role != Status.NOT_ASSESSED]
    if order and (order[0] != Status.MET or order[-1] != Status.MISSED):
        problems.error("status", "the statuses are written best first: the one 'when met' first, the bands "
                       "after it, the one 'otherwise' last", decls[0].span, "reorder the status lines")
    _unreachable_bands(made, problems)
    ranked = sorted(made, key=lambda x: list(Status).index(x.role) if x.role != Status.PARTLY else 1)
    return tuple(ranked)


def _rule_words(rule: str) -> str:
    return {"met": "when met", "otherwise": "otherwise", "no_data": "when no data"}.get(rule, rule)


def _colour(decl: s.StatusDecl, role: Status, problems: Problems) -> str:
    if decl.colour is None:
        return DEFAULT_COLOURS[role]
    if HEX.fullmatch(decl.colour):
        return decl.colour.lower()
    found = COLOURS.get(decl.colour.casefold())
    if found is None:
        problems.unknown("colour", decl.colour, COLOURS, decl.span,
                         extra='a colour is a name (green, yellow, orange, red, grey, blue, or in Swedish) '
                               'or "#rrggbb"')
        return DEFAULT_COLOURS[role]
    return found


def band_of(band: s.Band, problems: Problems) -> m.Band:
    amount = band.amount
    if band.kind == "share":
        if amount.unit != Unit.PERCENT or not 0 < amount.number < 100:
            problems.error("unit", "a share of the target is a percentage between 0 and 100", amount.span or band.span,
                           "write e.g. 'when at least 80% of target'")
        return m.Band("share", amount.number, Unit.PERCENT, "of", band.span)
    unit = {Unit.PERCENT: Unit.PP, Unit.PP: Unit.PP, Unit.RELATIVE: Unit.RELATIVE}.get(amount.unit, Unit.NUMBER)
    return m.Band("distance", amount.number, unit, band.side, band.span)


def _unreachable_bands(made: list[m.StatusLevel], problems: Problems) -> None:
    """A band no wider than a better status's band of the same kind can never be reached."""
    bands = [x for x in made if x.role == Status.PARTLY and x.band is not None]
    for position, level in enumerate(bands):
        for better in bands[:position]:
            a, b = better.band, level.band
            same = (a.kind, a.unit) == (b.kind, b.unit) and (a.side == b.side or a.side == "of")
            narrower = b.amount >= a.amount if b.kind == "share" else b.amount <= a.amount
            if same and narrower:
                problems.error("status", f"status '{level.name}' can never be reached: every outcome in its "
                               f"band is already '{better.name}'", level.span,
                               "a worse status needs a wider band than the better ones above it")


# ---- points bands ---------------------------------------------------------------

def check_point_bands(first: m.PointBand, rest: list[m.PointBand], problems: Problems) -> None:
    """Bands are tried in order. Written all as >= (or all as <=) they form a staircase: each
    bound further from the target and fewer points than the one before; written as between,
    side by side with no gap and no overlap, more points nearer the target."""
    bands = [first, *rest]
    ops = {Op(b.criterion.op) for b in bands}
    if any(isinstance(b.criterion.bound, bool) for b in bands) or not (
            all(op.single_bound for op in ops) or ops == {Op.BETWEEN}):
        problems.error("points", "points bands compare a value with bounds, written all as >= (or all as <=), "
                       "or all as between", rest[0].span, "write e.g. '>= 80% -> 3, >= 60% -> 2, >= 40% -> 1'")
        return
    if all(op.single_bound for op in ops):
        if len({op.rising for op in ops}) > 1:
            problems.error("points", "the points bands point both ways: some are 'at least', some 'at most'",
                           rest[0].span, "a band further from the target is on the same side: >= 80%, then >= 60%")
            return
        rising = next(iter(ops)).rising
        for better, band in zip(bands, bands[1:]):
            further = (band.criterion.bound < better.criterion.bound if rising
                       else band.criterion.bound > better.criterion.bound)
            if not further:
                problems.error("points", f"the band {_bound(band)} can never be reached: every value it holds for "
                               f"already holds for {_bound(better)} before it", band.span,
                               "bands are tried in order: write the one nearest the target first")
            elif band.points >= better.points:
                problems.error("points", f"the band {_bound(band)} gives {band.points} points, no fewer than the "
                               f"band before it ({better.points})", band.span,
                               "a band further from the target gives fewer points")
        return
    ordered = sorted(bands, key=lambda b: b.criterion.bound)
    for low, high in zip(ordered, ordered[1:]):
        if high.criterion.bound <= low.criterion.upper:
            problems.error("points", f"the bands {_bound(low)} and {_bound(high)} overlap", high.span,
                           "let each value fall in one band: between 60% and 79%, between 80% and 100%")
        elif high.criterion.bound - low.criterion.upper > 1:
            problems.error("points", f"no band holds between {_bound(low)} and {_bound(high)}", high.span,
                           "let the next band start where the last ends: between 60% and 79%, between 80% and 100%")
        elif high.points <= low.points:
            problems.error("points", f"the band {_bound(high)} gives no more points than {_bound(low)} below it",
                           high.span, "a band nearer the target gives more points")


def _bound(band: m.PointBand) -> str:
    c = band.criterion
    text = format_number(c.bound) if not isinstance(c.bound, bool) else str(c.bound)
    if c.op == Op.BETWEEN:
        return f"between {text} and {format_number(c.upper)}"
    return f"{c.op} {text}"


# ---- grades of goals and units ------------------------------------------------

def _grades(decls: list[s.GradeDecl], statuses, problems: Problems, limits: Limits) -> tuple[m.GradeRule, ...]:
    if len(decls) > limits.grades:           # every unit is tried against every band
        problems.error("grade", f"{len(decls)} grades; a grade scale has at most {limits.grades}",
                       decls[limits.grades].span, "a scale such as God / Godtagbart / Ej godtagbart")
        return ()
    rules: list[m.GradeRule] = []
    for level in ("goal", "area"):
        of_level = [d for d in decls if d.level == level]
        parts = _part_scale(level, statuses, rules)
        for position, decl in enumerate(of_level):
            if decl.is_status and not any(x.name == decl.name for x in statuses):
                problems.unknown("status", decl.name, [x.name for x in statuses], decl.span,
                                 extra='a grade of its own is written in quotes: grade "God" when ...')
            if not decl.conditions and position != len(of_level) - 1:
                problems.error("grade", f"'{decl.name}' otherwise must be the last grade", decl.span,
                               "grades are tried in order; the one that holds otherwise comes last")
            if any(r.name == decl.name and r.level == level for r in rules) and not any(
                    r.name == decl.name for r in rules[-1:]):
                problems.error("duplicate", f"grade '{decl.name}' is given twice, apart", decl.span,
                               "a grade may have several bands (any of them holds), written one after another")
                continue
            conditions = tuple(_condition(c, level, parts, problems) for c in decl.conditions)
            rules.append(m.GradeRule(decl.name, level, conditions, decl.is_status, decl.span))
        if of_level and of_level[-1].conditions:
            problems.error("grade", "the grades need a last one that holds otherwise", of_level[-1].span,
                           f'add: grade {"goal " if level == "goal" else ""}"Ej godtagbart" otherwise')
    return tuple(rules)


def _part_scale(level: str, statuses, rules: list[m.GradeRule]) -> list[str]:
    """The names a part of this level can be judged: a goal's parts are indicators (the statuses);
    a unit's are its goals when goals are graded, else its indicators."""
    goal_grades = [r.name for r in rules if r.level == "goal"]
    if level == "area" and goal_grades:
        return goal_grades
    return [x.name for x in statuses if x.role != Status.NOT_ASSESSED]


def _condition(c: s.GradeCondition, level: str, parts: list[str], problems: Problems) -> m.GradeCondition:
    amount = c.amount.number if c.amount is not None else None
    unit = c.amount.unit if c.amount is not None else Unit.NUMBER
    if c.kind in ("share_short", "part_short"):
        if unit not in (Unit.PP, Unit.PERCENT, Unit.RELATIVE):
            problems.error("unit", "how far short is a distance: 5pp for shares, or 10% relative", c.amount.span,
                           "write 'at most 5pp short'")
        if c.kind == "share_short" and unit == Unit.RELATIVE:
            problems.error("unit", "a share goal is short by percentage points", c.amount.span,
                           "write 'every share is at most 5pp short'")
        return m.GradeCondition(c.kind, amount, Unit.PP if unit == Unit.PERCENT and c.kind == "share_short" else unit,
                                span=c.span)
    if c.status not in parts:
        problems.unknown("status or grade of the parts", c.status, parts, c.span,
                         extra=f"a {level}'s parts are judged {', '.join(parts)}")
    if c.kind == "at_least":
        if unit == Unit.PERCENT and not 0 < amount <= 100:
            problems.error("grade", "a share of the parts is more than 0 % and at most 100 %", c.amount.span)
        elif unit == Unit.NUMBER and (amount.denominator != 1 or amount < 1):
            problems.error("grade", "at least N parts: N is a whole number, at least 1", c.amount.span,
                           "write e.g. 'at least 2 uppfyllt' or 'at least 75% uppfyllt'")
        elif unit not in (Unit.NUMBER, Unit.PERCENT):
            problems.error("unit", "at least a number of parts, or a percentage of them", c.amount.span,
                           "write e.g. 'at least 2 uppfyllt' or 'at least 75% uppfyllt'")
        if c.by_points and unit != Unit.PERCENT:
            problems.error("grade", "by points reads a share of the points", c.amount.span,
                           "write e.g. 'at least 60% uppfyllt by points'")
    elif c.kind == "none" and parts and c.status == parts[0]:
        problems.error("grade", f"'none {c.status}' can never hold where a part is met: no part may be "
                       f"{c.status} or worse", c.span, "name a worse status: none ej_uppfyllt")
    return m.GradeCondition(c.kind, amount, unit, c.status, c.by_points, c.span)


def _judged(decl: s.JudgeDecl, statuses, grades, problems: Problems) -> m.Judged | None:
    if not decl.reason.strip():
        problems.error("judge", f"the judgement of {decl.id} has no reason", decl.span,
                       "write why, e.g. because \"sammanvägd bedömning: ...\"")
    if decl.is_status and not any(x.name == decl.name for x in statuses):
        problems.unknown("status", decl.name, [x.name for x in statuses], decl.span)
        return None
    return m.Judged(decl.id, decl.name, decl.reason, decl.is_status, decl.span)


# ---- words and the index ---------------------------------------------------------

def _words(decls: list[s.CallDecl], problems: Problems) -> tuple[m.Word, ...]:
    made: dict[str, m.Word] = {}
    for decl in decls:
        if decl.word not in set(Term):
            problems.unknown("word to call", decl.word, [t.value for t in Term], decl.span,
                             extra="the parts a ruleset can name: " + ", ".join(Term))
        elif decl.word in made:
            problems.error("duplicate", f"'{decl.word}' is called twice", decl.span)
        else:
            made[decl.word] = m.Word(decl.word, decl.text, decl.english)
    return tuple(made.values())


def _index(decls: list[s.IndexDecl], grades, problems: Problems) -> m.IndexRule | None:
    for extra in decls[1:]:
        problems.error("duplicate", "the index is declared twice", extra.span)
    if not decls:
        return None
    decl = decls[0]
    goal_grades = [g.name for g in grades if g.level == "goal"]
    if decl.of_goals is not None and decl.of_goals not in goal_grades:
        problems.error("index", f"the index counts goals judged '{decl.of_goals}', which no goal grade is",
                       decl.span, "grade the goals first (grade goal NAME when ...)" if not goal_grades
                       else f"the goals are graded {', '.join(goal_grades)}")
    return m.IndexRule(decl.name, decl.english, decl.of_goals, decl.span)
