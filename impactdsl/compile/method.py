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
from impactdsl.core.diagnostics import Said
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
        problems.error("duplicate", Said("poängen per bedömning anges två gånger",
                                         "the points per status are given twice"), extra.span,
                       Said(f"behåll en rad; den första står på rad {decls[0].span.line}",
                            f"keep one line; the first is on line {decls[0].span.line}") if decls[0].span else None)
    if not decls:
        return ()
    table = []
    for name, points in decls[0].points:
        level = method.status(name)
        if level is None:
            problems.unknown(Said("okänd bedömning", "unknown status"), name, [x.name for x in method.statuses],
                             decls[0].span)
        elif level.role == Status.NOT_ASSESSED:
            problems.error("points", Said(f"'{name}' är bedömningen när data saknas, och den ger inga poäng",
                                          f"'{name}' is the status for no data, which earns nothing"), decls[0].span,
                           Said("ge poäng bara till bedömningar av utfall som har bedömts",
                                "give points to the statuses of judged outcomes only"))
        elif name in dict(table):
            problems.error("duplicate", Said(f"bedömningen '{name}' får poäng två gånger",
                                             f"status '{name}' is given points twice"), decls[0].span)
        else:
            table.append((name, points))
    ranks = [next(i for i, x in enumerate(method.statuses) if x.name == name) for name, _ in table]
    ordered = [points for _, (_, points) in sorted(zip(ranks, table))]
    if any(worse > better for better, worse in zip(ordered, ordered[1:])):
        problems.error("points", Said("en sämre bedömning ger fler poäng än en bättre",
                                      "a worse status earns more points than a better one"), decls[0].span,
                       Said("bedömningarna står i den ordning de deklareras, bäst först; ge de bättre fler poäng",
                            "the statuses are ordered as declared, best first; give the better ones more"))
    return tuple(table)


# ---- statuses ----------------------------------------------------------------

def _statuses(decls: list[s.StatusDecl], problems: Problems) -> tuple[m.StatusLevel, ...]:
    if not decls:
        return m.DEFAULT_STATUSES
    made: list[m.StatusLevel] = []
    for decl in decls:
        role = ROLES[decl.rule]
        if any(x.name == decl.name for x in made):
            problems.error("duplicate", Said(f"bedömningen '{decl.name}' deklareras två gånger",
                                             f"status '{decl.name}' is declared twice"), decl.span)
            continue
        if role != Status.PARTLY and any(x.role == role for x in made):
            words = _rule_words(decl.rule)
            problems.error("status", Said(f"två bedömningar deklareras '{words.sv}'",
                                          f"two statuses are declared '{words.en}'"), decl.span,
                           Said("en skala har en bedömning när uppnått, en annars och en när inga data; "
                                "de däremellan har intervall ('när inom 5pp av målvärdet')",
                                "a scale has one status when met, one otherwise and one when no data; "
                                "the ones between have bands ('when within 5pp of target')"))
            continue
        band = band_of(decl.band, problems) if decl.band is not None else None
        made.append(m.StatusLevel(decl.name, decl.label, decl.english, _colour(decl, role, problems), role, band,
                                  decl.span))
    for role, rule in ((Status.MET, "met"), (Status.MISSED, "otherwise")):
        if not any(x.role == role for x in made):
            words = _rule_words(rule)
            example = (f'status {"uppfyllt" if role == Status.MET else "ej_uppfyllt"} '
                       f'"{"Uppfyllt" if role == Status.MET else "Ej uppfyllt"}"')
            problems.error("status", Said(f"ingen av bedömningarna är '{words.sv}'",
                                          f"the statuses have none '{words.en}'"), decls[0].span,
                           Said(f"lägg till t.ex.: {example} {words.sv}", f"add e.g.: {example} {words.en}"))
    if not any(x.role == Status.NOT_ASSESSED for x in made):
        made.append(m.DEFAULT_STATUSES[-1])
    order = [x.role for x in made if x.role != Status.NOT_ASSESSED]
    if order and (order[0] != Status.MET or order[-1] != Status.MISSED):
        problems.error("status", Said("bedömningarna skrivs bäst först: den med 'när uppnått' först, intervallen "
                                      "efter den, den med 'annars' sist",
                                      "the statuses are written best first: the one 'when met' first, the bands "
                                      "after it, the one 'otherwise' last"), decls[0].span,
                       Said("ändra ordningen på status-raderna", "reorder the status lines"))
    _unreachable_bands(made, problems)
    ranked = sorted(made, key=lambda x: list(Status).index(x.role) if x.role != Status.PARTLY else 1)
    return tuple(ranked)


def _rule_words(rule: str) -> Said:
    return {"met": Said("när uppnått", "when met"), "otherwise": Said("annars", "otherwise"),
            "no_data": Said("när inga data", "when no data")}.get(rule, Said(rule, rule))


def _colour(decl: s.StatusDecl, role: Status, problems: Problems) -> str:
    if decl.colour is None:
        return DEFAULT_COLOURS[role]
    if HEX.fullmatch(decl.colour):
        return decl.colour.lower()
    found = COLOURS.get(decl.colour.casefold())
    if found is None:
        problems.unknown(Said("okänd färg", "unknown colour"), decl.colour, COLOURS, decl.span,
                         extra=Said('en färg är ett namn (grön, gul, orange, röd, grå, blå, eller på engelska) '
                                    'eller "#rrggbb"',
                                    'a colour is a name (green, yellow, orange, red, grey, blue, or in Swedish) '
                                    'or "#rrggbb"'))
        return DEFAULT_COLOURS[role]
    return found


def band_of(band: s.Band, problems: Problems) -> m.Band:
    amount = band.amount
    if band.kind == "share":
        if amount.unit != Unit.PERCENT or not 0 < amount.number < 100:
            problems.error("unit", Said("en andel av målvärdet är en procentsats mellan 0 och 100",
                                        "a share of the target is a percentage between 0 and 100"),
                           amount.span or band.span,
                           Said("skriv t.ex. 'när minst 80% av målvärdet'", "write e.g. 'when at least 80% of target'"))
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
                problems.error("status", Said(f"bedömningen '{level.name}' kan aldrig nås: varje utfall i dess "
                                              f"intervall är redan '{better.name}'",
                                              f"status '{level.name}' can never be reached: every outcome in its "
                                              f"band is already '{better.name}'"), level.span,
                               Said("en sämre bedömning behöver ett bredare intervall än de bättre ovanför den",
                                    "a worse status needs a wider band than the better ones above it"))


# ---- points bands ---------------------------------------------------------------

def check_point_bands(first: m.PointBand, rest: list[m.PointBand], problems: Problems) -> None:
    """Bands are tried in order. Written all as >= (or all as <=) they form a staircase: each
    bound further from the target and fewer points than the one before; written as between,
    side by side with no gap and no overlap, more points nearer the target."""
    bands = [first, *rest]
    ops = {Op(b.criterion.op) for b in bands}
    if any(isinstance(b.criterion.bound, bool) for b in bands) or not (
            all(op.single_bound for op in ops) or ops == {Op.BETWEEN}):
        problems.error("points", Said("poängintervall jämför ett värde med gränser, skrivna alla som >= (eller alla "
                                      "som <=), eller alla som mellan",
                                      "points bands compare a value with bounds, written all as >= (or all as <=), "
                                      "or all as between"), rest[0].span,
                       Said("skriv t.ex. '>= 80% -> 3, >= 60% -> 2, >= 40% -> 1'",
                            "write e.g. '>= 80% -> 3, >= 60% -> 2, >= 40% -> 1'"))
        return
    if all(op.single_bound for op in ops):
        if len({op.rising for op in ops}) > 1:
            problems.error("points", Said("poängintervallen pekar åt båda hållen: några är 'minst', några 'högst'",
                                          "the points bands point both ways: some are 'at least', some 'at most'"),
                           rest[0].span, Said("ett intervall längre från målvärdet ligger på samma sida: >= 80%, "
                                              "sedan >= 60%",
                                              "a band further from the target is on the same side: >= 80%, then "
                                              ">= 60%"))
            return
        rising = next(iter(ops)).rising
        for better, band in zip(bands, bands[1:]):
            further = (band.criterion.bound < better.criterion.bound if rising
                       else band.criterion.bound > better.criterion.bound)
            if not further:
                problems.error("points", Said(f"intervallet {_bound(band).sv} kan aldrig nås: varje värde det gäller "
                                              f"för gäller redan för {_bound(better).sv} före det",
                                              f"the band {_bound(band).en} can never be reached: every value it holds "
                                              f"for already holds for {_bound(better).en} before it"), band.span,
                               Said("intervallen prövas i ordning: skriv det som ligger närmast målvärdet först",
                                    "bands are tried in order: write the one nearest the target first"))
            elif band.points >= better.points:
                problems.error("points", Said(f"intervallet {_bound(band).sv} ger {band.points} poäng, inte färre än "
                                              f"intervallet före det ({better.points})",
                                              f"the band {_bound(band).en} gives {band.points} points, no fewer than "
                                              f"the band before it ({better.points})"), band.span,
                               Said("ett intervall längre från målvärdet ger färre poäng",
                                    "a band further from the target gives fewer points"))
        return
    ordered = sorted(bands, key=lambda b: b.criterion.bound)
    for low, high in zip(ordered, ordered[1:]):
        if high.criterion.bound <= low.criterion.upper:
            problems.error("points", Said(f"intervallen {_bound(low).sv} och {_bound(high).sv} överlappar",
                                          f"the bands {_bound(low).en} and {_bound(high).en} overlap"), high.span,
                           Said("låt varje värde falla i ett intervall: mellan 60% och 79%, mellan 80% och 100%",
                                "let each value fall in one band: between 60% and 79%, between 80% and 100%"))
        elif high.criterion.bound - low.criterion.upper > 1:
            problems.error("points", Said(f"inget intervall gäller mellan {_bound(low).sv} och {_bound(high).sv}",
                                          f"no band holds between {_bound(low).en} and {_bound(high).en}"), high.span,
                           Said("låt nästa intervall börja där det förra slutar: mellan 60% och 79%, mellan 80% och "
                                "100%",
                                "let the next band start where the last ends: between 60% and 79%, between 80% and "
                                "100%"))
        elif high.points <= low.points:
            problems.error("points", Said(f"intervallet {_bound(high).sv} ger inte fler poäng än {_bound(low).sv} "
                                          "under det",
                                          f"the band {_bound(high).en} gives no more points than {_bound(low).en} "
                                          "below it"),
                           high.span, Said("ett intervall närmare målvärdet ger fler poäng",
                                           "a band nearer the target gives more points"))


def _bound(band: m.PointBand) -> Said:
    c = band.criterion
    text = format_number(c.bound) if not isinstance(c.bound, bool) else str(c.bound)
    if c.op == Op.BETWEEN:
        return Said(f"mellan {text} och {format_number(c.upper)}", f"between {text} and {format_number(c.upper)}")
    return Said(f"{c.op} {text}", f"{c.op} {text}")


# ---- grades of goals and units ------------------------------------------------

def _grades(decls: list[s.GradeDecl], statuses, problems: Problems, limits: Limits) -> tuple[m.GradeRule, ...]:
    if len(decls) > limits.grades:           # every unit is tried against every band
        problems.error("grade", Said(f"{len(decls)} betyg; en betygsskala har högst {limits.grades}",
                                     f"{len(decls)} grades; a grade scale has at most {limits.grades}"),
                       decls[limits.grades].span, Said("en skala som God / Godtagbart / Ej godtagbart",
                                                       "a scale such as God / Godtagbart / Ej godtagbart"))
        return ()
    rules: list[m.GradeRule] = []
    for level in ("goal", "area"):
        of_level = [d for d in decls if d.level == level]
        parts = _part_scale(level, statuses, rules)
        for position, decl in enumerate(of_level):
            if decl.is_status and not any(x.name == decl.name for x in statuses):
                problems.unknown(Said("okänd bedömning", "unknown status"), decl.name, [x.name for x in statuses],
                                 decl.span, extra=Said('ett eget betyg skrivs inom citattecken: betyg "God" när ...',
                                                       'a grade of its own is written in quotes: grade "God" when ...'))
            if not decl.conditions and position != len(of_level) - 1:
                problems.error("grade", Said(f"'{decl.name}' annars måste vara det sista betyget",
                                             f"'{decl.name}' otherwise must be the last grade"), decl.span,
                               Said("betygen prövas i ordning; det som gäller annars kommer sist",
                                    "grades are tried in order; the one that holds otherwise comes last"))
            if any(r.name == decl.name and r.level == level for r in rules) and not any(
                    r.name == decl.name for r in rules[-1:]):
                problems.error("duplicate", Said(f"betyget '{decl.name}' anges två gånger, på olika ställen",
                                                 f"grade '{decl.name}' is given twice, apart"), decl.span,
                               Said("ett betyg kan ha flera villkor (vilket som helst av dem räcker), skrivna efter "
                                    "varandra",
                                    "a grade may have several bands (any of them holds), written one after another"))
                continue
            conditions = tuple(_condition(c, level, parts, problems) for c in decl.conditions)
            rules.append(m.GradeRule(decl.name, level, conditions, decl.is_status, decl.span))
        if of_level and of_level[-1].conditions:
            problems.error("grade", Said("betygen behöver ett sista som gäller annars",
                                         "the grades need a last one that holds otherwise"), of_level[-1].span,
                           Said(f'lägg till: betyg {"mål " if level == "goal" else ""}"Ej godtagbart" annars',
                                f'add: grade {"goal " if level == "goal" else ""}"Ej godtagbart" otherwise'))
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
            problems.error("unit", Said("hur långt efter anges som ett avstånd: 5pp för andelar, eller 10% relativt",
                                        "how far short is a distance: 5pp for shares, or 10% relative"),
                           c.amount.span, Said("skriv 'högst 5pp efter'", "write 'at most 5pp short'"))
        if c.kind == "share_short" and unit == Unit.RELATIVE:
            problems.error("unit", Said("hur långt efter ett mål om en andel ligger mäts i procentenheter",
                                        "a share goal is short by percentage points"), c.amount.span,
                           Said("skriv 'varje andel är högst 5pp efter'", "write 'every share is at most 5pp short'"))
        return m.GradeCondition(c.kind, amount, Unit.PP if unit == Unit.PERCENT and c.kind == "share_short" else unit,
                                span=c.span)
    if c.status not in parts:
        problems.unknown(Said("okänd bedömning eller okänt betyg för delarna",
                              "unknown status or grade of the parts"), c.status, parts, c.span,
                         extra=Said(f"{'ett måls' if level == 'goal' else 'ett målområdes'} delar bedöms "
                                    f"{', '.join(parts)}",
                                    f"a {level}'s parts are judged {', '.join(parts)}"))
    if c.kind == "at_least":
        if unit == Unit.PERCENT and not 0 < amount <= 100:
            problems.error("grade", Said("en andel av delarna är mer än 0 % och högst 100 %",
                                         "a share of the parts is more than 0 % and at most 100 %"), c.amount.span)
        elif unit == Unit.NUMBER and (amount.denominator != 1 or amount < 1):
            problems.error("grade", Said("minst N delar: N är ett heltal, minst 1",
                                         "at least N parts: N is a whole number, at least 1"), c.amount.span,
                           Said("skriv t.ex. 'minst 2 uppfyllt' eller 'minst 75% uppfyllt'",
                                "write e.g. 'at least 2 uppfyllt' or 'at least 75% uppfyllt'"))
        elif unit not in (Unit.NUMBER, Unit.PERCENT):
            problems.error("unit", Said("minst ett antal delar, eller en procentandel av dem",
                                        "at least a number of parts, or a percentage of them"), c.amount.span,
                           Said("skriv t.ex. 'minst 2 uppfyllt' eller 'minst 75% uppfyllt'",
                                "write e.g. 'at least 2 uppfyllt' or 'at least 75% uppfyllt'"))
        if c.by_points and unit != Unit.PERCENT:
            problems.error("grade", Said("'i poäng' avser en andel av poängen", "by points reads a share of the points"),
                           c.amount.span, Said("skriv t.ex. 'minst 60% uppfyllt i poäng'",
                                               "write e.g. 'at least 60% uppfyllt by points'"))
    elif c.kind == "none" and parts and c.status == parts[0]:
        problems.error("grade", Said(f"'ingen {c.status}' kan aldrig gälla där en del är uppnådd: ingen del får "
                                     f"vara {c.status} eller sämre",
                                     f"'none {c.status}' can never hold where a part is met: no part may be "
                                     f"{c.status} or worse"), c.span,
                       Said("ange en sämre bedömning: ingen ej_uppfyllt", "name a worse status: none ej_uppfyllt"))
    return m.GradeCondition(c.kind, amount, unit, c.status, c.by_points, c.span)


def _judged(decl: s.JudgeDecl, statuses, grades, problems: Problems) -> m.Judged | None:
    if not decl.reason.strip():
        problems.error("judge", Said(f"bedömningen av {decl.id} har inget skäl",
                                     f"the judgement of {decl.id} has no reason"), decl.span,
                       Said("skriv varför, t.ex. eftersom \"sammanvägd bedömning: ...\"",
                            "write why, e.g. because \"sammanvägd bedömning: ...\""))
    if decl.is_status and not any(x.name == decl.name for x in statuses):
        problems.unknown(Said("okänd bedömning", "unknown status"), decl.name, [x.name for x in statuses], decl.span)
        return None
    return m.Judged(decl.id, decl.name, decl.reason, decl.is_status, decl.span)


# ---- words and the index ---------------------------------------------------------

def _words(decls: list[s.CallDecl], problems: Problems) -> tuple[m.Word, ...]:
    made: dict[str, m.Word] = {}
    for decl in decls:
        if decl.word not in set(Term):
            problems.unknown(Said("okänt ord efter kalla", "unknown word to call"), decl.word,
                             [t.value for t in Term], decl.span,
                             extra=Said("de delar ett regelverk kan namnge: " + ", ".join(Term),
                                        "the parts a ruleset can name: " + ", ".join(Term)))
        elif decl.word in made:
            problems.error("duplicate", Said(f"'{decl.word}' namnges två gånger med kalla",
                                             f"'{decl.word}' is called twice"), decl.span)
        else:
            made[decl.word] = m.Word(decl.word, decl.text, decl.english)
    return tuple(made.values())


def _index(decls: list[s.IndexDecl], grades, problems: Problems) -> m.IndexRule | None:
    for extra in decls[1:]:
        problems.error("duplicate", Said("indexet deklareras två gånger", "the index is declared twice"), extra.span)
    if not decls:
        return None
    decl = decls[0]
    goal_grades = [g.name for g in grades if g.level == "goal"]
    if decl.of_goals is not None and decl.of_goals not in goal_grades:
        problems.error("index", Said(f"indexet räknar mål med betyget '{decl.of_goals}', men det är inget betyg "
                                     "för mål",
                                     f"the index counts goals judged '{decl.of_goals}', which no goal grade is"),
                       decl.span, Said("ge målen betyg först (betyg mål NAMN när ...)",
                                       "grade the goals first (grade goal NAME when ...)") if not goal_grades
                       else Said(f"målens betyg är {', '.join(goal_grades)}",
                                 f"the goals are graded {', '.join(goal_grades)}"))
    return m.IndexRule(decl.name, decl.english, decl.of_goals, decl.span)
