"""Results → an explanation a board member can read: the rule as written,
every number with its source, the rounding, the comparison, the points, and
how far the outcome was from changing. Reads Results only; every word and
number comes from the `Words` of the output's language."""

from __future__ import annotations

from fractions import Fraction

from impactdsl.compile import model as m
from impactdsl.core.kinds import Op, Status, Unit
from impactdsl.evaluation.results import AreaResult, GoalResult, GradeResult, IndicatorResult, Results
from impactdsl.render.words import Words, lower_first

OP_SIGNS = {Op.AT_LEAST: "≥", Op.AT_MOST: "≤", Op.MORE_THAN: ">", Op.LESS_THAN: "<", Op.EQUAL: "="}


def explain(results: Results, wanted: str, say: Words) -> str | None:
    found = results.find(wanted)
    if isinstance(found, IndicatorResult):
        return indicator(found, say)
    if isinstance(found, GoalResult):
        return goal(found, say)
    if isinstance(found, AreaResult):
        return area(found, results, say)
    return None


def criterion_words(c: m.Criterion, say: Words, resolved: bool = True) -> str:
    """The criterion in words; a target computed from figures as its formula, and (`resolved`) its value."""
    unit = c.unit

    def show(x, u=unit, source=None):
        if source is None:
            return say.value(x, u)
        return m.figure_text(source) + (f" = {say.value(x, u)}" if resolved else "")
    if c.op == Op.BETWEEN:
        return say("op.between", low=show(c.bound, source=c.bound_from), high=show(c.upper, source=c.upper_from))
    if Op(c.op).near_target:
        return say("op." + c.op, distance=show(c.bound, Unit.PP), target=show(c.upper, Unit.PERCENT))
    return f"{say('op.' + c.op)} {show(c.bound, source=c.bound_from)}"


def indicator(r: IndicatorResult, say: Words) -> str:
    ind = r.indicator
    kind = say("explain.kind.bonus" if ind.is_bonus else "explain.kind.indicator")
    lines = [say("explain.header", kind=kind, id=ind.id, goal=r.goal, area=r.area,
                 goal_word=say("report.goal").lower(), area_word=say("report.area").lower()), f"  ”{ind.text}”", ""]
    where = f" ({ind.span})" if ind.span else ""
    lines += [say("explain.rule") + where + ":", f"  {ind.written}"]
    if ind.template:
        lines.append("  " + say("explain.template", name=ind.template))
    origin = {what: (peer, old) for what, peer, old in ind.origin}
    if ind.criterion is not None:
        requirement = criterion_words(r.criterion or ind.criterion, say, resolved=r.criterion is not None)
        if "target" in origin:
            peer, old = origin["target"]
            number, _, unit = old.partition("|")
            requirement += say("origin.target", peer=peer, old=say.value(Fraction(number), unit))
        lines.append("  " + say("explain.requirement", criterion=requirement))
        if isinstance(ind.measure, m.TodoOf):
            lines.append("  " + say("explain.todo_rule"))
    elif isinstance(ind.measure, m.TodoOf):
        lines.append("  " + say("explain.todo_rule"))
    elif isinstance(ind.measure, m.ReportedOf):
        lines.append("  " + say("explain.reported_rule"))
    else:
        lines.append("  " + say("explain.per_unit", points=ind.points, cap=ind.cap))
    lines += ["  " + line for line in origin_lines(ind, say)]
    if r.trace:
        rows = [say.trace(t) + (t.source,) for t in r.trace]
        width = max(len(what) for what, _, _ in rows)
        lines += ["", say("explain.numbers")]
        lines += [f"  {what.ljust(width)}  {shown}" + (f"   [{source}]" if source else "")
                  for what, shown, source in rows]
    lines.append("")
    lines += _outcome(r, say)
    return "\n".join(lines) + "\n"


def origin_lines(ind: m.Indicator, say: Words) -> list[str]:
    """Where the indicator and its numbers came from, when a peer's ruleset was adapted."""
    lines = []
    for what, peer, old in ind.origin:
        if what == "from":
            lines.append(say("origin.from", peer=peer))
        elif what == "points":
            lines.append(say("origin.points", peer=peer, old=old))
        elif what == "text":
            lines.append(say("origin.text", peer=peer, old=old))
        elif what in ("question", "group", "count", "fact"):
            before, _, after = old.partition(" → ")
            lines.append(say("origin.map", peer=peer, kind=say("origin.kind." + what), old=before, new=after))
    return lines


def _outcome(r: IndicatorResult, say: Words) -> list[str]:
    ind = r.indicator
    lines = []
    yes, no = say("explain.yes"), say("explain.no")
    if r.report is not None:
        lines.append(say("explain.reported", status=say.status(r.status), by=say.reported(r.report)))
        lines += [f"  {paragraph}" for paragraph in r.report.text]
    elif say.role(r.status) == Status.NOT_ASSESSED and r.computed_status is None:
        lines.append(say("explain.not_assessed", reason=say.reason(r.reason)))
        if not isinstance(ind.measure, m.TodoOf):          # a placeholder is never in it: said above
            lines.append(say("explain.in_max" if r.counted_in_max else "explain.out_of_max"))
    elif r.criterion is not None and r.compared is not None:
        holds = say.role(r.computed_status or r.status) == Status.MET
        shown = say.value(r.compared, r.unit)
        sign = OP_SIGNS.get(r.criterion.op)
        if sign:
            lines.append(say("explain.comparison", value=shown, sign=sign, answer=yes if holds else no,
                             bound=say.value(r.criterion.bound, r.criterion.unit)))
        else:
            lines.append(say("explain.comparison_words", value=shown, answer=yes if holds else no,
                             criterion=criterion_words(r.criterion, say)))
    elif r.compared is not None:
        lines.append(say("explain.count", value=say.value(r.compared, r.unit), points=r.points,
                         cap=ind.cap))
    if say.role(r.status) == Status.PARTLY:
        level = say.method.status(r.status)
        band = dict(ind.bands).get(r.status, level.band)
        lines.append(say("explain.band", status=say.status(r.status), band=band_words(band, say)))
    if ind.override is not None:
        lines.append(say("explain.override", status=say.status(r.status),
                         computed=say.status(r.computed_status)))
        lines.append("  " + say("explain.reason", reason=ind.override.reason))
    if ind.note:
        lines.append(say("explain.note", note=ind.note))
    if ind.is_bonus:
        lines.append(say("explain.bonus_row", status=say.status(r.status), points=r.bonus_points))
    elif ind.value:
        lines.append(say("explain.result", status=say.status(r.status), points=r.points, value=ind.value,
                         points_word=say("report.points").lower()))
    else:
        lines.append(say("explain.status", status=say.status(r.status)))
    if ind.bonus is not None:
        lines.append(say("explain.bonus", criterion=criterion_words(ind.bonus.criterion, say),
                         answer=(yes if r.bonus_met else no).lower(), points=r.bonus_points))
    if r.margin is not None:
        lines.append(margin(r, say))
    elif r.criterion is not None and r.compared is not None and r.criterion.op in OP_SIGNS \
            and not isinstance(r.compared, bool):
        distance = abs(r.compared - r.criterion.bound)
        lines.append(say("explain.distance",
                         distance=say.value(distance, Unit.PP if r.unit == Unit.PERCENT else r.unit)))
    return lines


def band_words(band: m.Band, say: Words) -> str:
    """'högst 5 procentenheter under målet', 'minst 80 % av målet'."""
    if band.kind == "share":
        return say("band.share", amount=say.value(band.amount, Unit.PERCENT))
    unit = band.unit if band.unit != Unit.RELATIVE else Unit.RELATIVE
    key = "band.distance" + ("" if band.side == "of" else "." + band.side)
    return say(key, amount=say.value(band.amount, unit))


def margin(r: IndicatorResult, say: Words) -> str:
    """'1 more answer 'till mycket stor del eller till stor del' (of the same 95) would have met 80 %'."""
    mg = r.margin
    what = mg.counted
    if what.startswith("answers in "):
        key = "explain.answer_in" if abs(mg.change) == 1 else "explain.answers_in"
        labels = [dict(t.args)["labels"] for t in r.trace if t.key == "in_answers" and "labels" in dict(t.args)]
        what = say(key, answers=say.answers(labels[0].split("\n")) if len(labels) == 1 else what[len("answers in "):])
    goal_text = say.value(r.criterion.bound, Unit.PERCENT)
    if mg.change > 0:
        verb = say("explain.margin_met" if mg.flips_to == Status.MET else "explain.margin_crossed")
        return say("explain.margin_more", count=mg.change, what=what, whole=mg.whole, verb=verb, goal=goal_text)
    result = say("explain.margin_lost", goal=goal_text) if mg.flips_to != Status.MET else say("explain.margin_gained")
    return say("explain.margin_fewer", count=-mg.change, what=what, whole=mg.whole, result=result)


def goal(g: GoalResult, say: Words) -> str:
    count = sum(not r.indicator.is_bonus for r in g.indicators)
    lines = [f"{say('report.goal')} {g.goal.id}", f"  ”{g.goal.text}”", ""]
    if g.maximum:
        lines.append(say("explain.goal_points", achieved=g.achieved, maximum=g.maximum, count=count))
    for r in g.indicators:
        value = f"{say('report.bonus')} {r.bonus_points}" if r.indicator.is_bonus else \
            f"{r.earned} {say('report.of')} {r.indicator.value}" if g.maximum else ""
        lines.append(f"  {r.id:<8} {value:<12} {say.status(r.status)}".rstrip())
    if g.grade is not None:
        lines += [""] + grade_lines(g.grade, say)
    return "\n".join(lines) + "\n"


def index_sentence(index, target, say: Words) -> str | None:
    """'Impact Index 55 är 15 indexpunkter sämre resultat än budgeterat.'"""
    if index is None or target is None or not say.index_name:
        return None
    difference = index - target
    target_word = say("report.target").lower()
    if difference == 0:
        return say("report.as_planned", name=say.index_name, index=say.number(index), target=target_word)
    return say("report.index_sentence", name=say.index_name, index=say.number(index),
               diff=say.number(abs(difference)), target=target_word,
               word=say("report.better" if difference > 0 else "report.worse"))


def area(a: AreaResult, results: Results, say: Words) -> str:
    lines = [f"{say('report.area')} {a.area.id}: {a.area.title}", ""]
    if a.maximum:
        lines += [say("explain.area_max", maximum=a.maximum), say("explain.area_achieved", achieved=a.achieved)]
    rule = say.method.index
    if a.index is not None and rule is not None and rule.of_goals is None:
        exact = Fraction(100 * a.achieved, a.maximum)
        lines.append(say("explain.area_index", name=say.index_name, index=say.number(a.index), achieved=a.achieved,
                         maximum=a.maximum, exact=say.percent(exact)))
    elif a.index is not None:
        graded = [g for g in a.goals if g.grade is not None and g.grade.grade is not None]
        scale = [r.name for r in say.method.grades_of("goal")]
        good = sum(scale.index(g.grade.grade) <= scale.index(rule.of_goals) for g in graded if g.grade.grade in scale)
        lines.append(say("explain.goal_index", name=say.index_name, index=say.number(a.index), good=good,
                         assessed=len(graded)))
    sentence = index_sentence(a.index, a.target_index, say)
    if sentence:
        lines.append(say("explain.area_target", target=say.number(a.target_index), text=sentence,
                         target_word=say("report.target")))
    if a.area.weight is not None and a.actual_weight is not None:
        lines.append(say("explain.area_weight", planned=say.percent(a.area.weight), weight_word=say("report.planned_weight"),
                         actual=say.percent(a.actual_weight), maximum=a.maximum, total=results.maximum))
    lines += [say("explain.area_counts", goals=a.goal_count, indicators=a.indicator_count)]
    if a.grade is not None:
        lines += grade_lines(a.grade, say)
    lines.append("")
    for g in a.goals:
        judged = f" — {say.status(g.grade.grade)}" if g.grade is not None else ""
        points = say("explain.goal_line", id=g.goal.id, achieved=g.achieved, maximum=g.maximum) if a.maximum \
            else f"{say('report.goal').lower()} {g.goal.id}"
        lines.append("  " + points + judged)
    return "\n".join(lines) + "\n"


def grade_lines(g: GradeResult, say: Words) -> list[str]:
    """The judgement, who or what decided it, and each band tried on the way."""
    lines = [say("grade.line", word=say("report.grade"), grade=say.status(g.grade))]
    if g.judged is not None:
        lines.append(say("grade.judged", reason=g.judged.reason, computed=say.status(g.computed)))
    elif g.grade is None and g.reason and g.reason[0] == "too_few_parts":
        args = dict(g.reason[1])
        lines.append(say("grade.not_assessed", assessed=args["assessed"], parts=g.parts, minimum=args["minimum"]))
    elif g.grade is None:
        lines.append(say("grade.no_band"))
    elif g.decided_by:
        lines.append(say("grade.decided", ids=", ".join(g.decided_by)))
    for step in g.steps:
        if not step.tried:
            lines.append("  " + say("grade.otherwise", grade=say.status(step.grade)))
            continue
        conditions = say("grade.and").join(condition_words(t.condition, say) for t in step.tried)
        line = "  " + say("grade.step", grade=say.status(step.grade), conditions=conditions,
                          answer=say("explain.yes" if step.holds else "explain.no"))
        if len(step.tried) == 1:
            tried = step.tried[0]
            ids = (": " + ", ".join(tried.deciding)) if tried.deciding else ""
            lines.append(f"{line} ({_found(tried, say)}{ids})")
            continue
        lines.append(line)
        for tried in step.tried:
            ids = (": " + ", ".join(tried.deciding)) if tried.deciding else ""
            lines.append("    " + say("grade.tried", condition=condition_words(tried.condition, say),
                                      answer=say("explain.yes" if tried.holds else "explain.no").lower(),
                                      found=_found(tried, say), ids=ids))
    return lines


def condition_words(c: m.GradeCondition, say: Words) -> str:
    if c.kind in ("share_short", "part_short"):
        return say("grade.cond." + c.kind, amount=say.value(c.amount, c.unit))
    if c.kind == "at_least":
        amount = say.value(c.amount, c.unit) if c.unit == Unit.PERCENT else say.number(c.amount)
        return say("grade.cond.at_least", amount=amount, status=lower_first(say.status(c.status))) + \
            (say("grade.cond.by_points") if c.by_points else "")
    return say("grade.cond." + c.kind, status=lower_first(say.status(c.status)))




def _found(tried, say: Words) -> str:
    c = tried.condition
    if tried.found is None:
        return say("grade.found.none")
    if c.kind in ("share_short", "part_short"):
        return say("grade.found.short", shortfall=say.value(tried.found, c.unit))
    if c.kind == "at_least" and c.unit == Unit.PERCENT:
        return say("grade.found.share", found=say.value(tried.found, Unit.PERCENT))
    return say("grade.found.count", found=say.number(tried.found), of=tried.of)
