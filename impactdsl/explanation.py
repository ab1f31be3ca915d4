"""Results → an explanation a board member can read: the rule as written,
every number with its source, the rounding, the comparison, the points, and
how far the outcome was from changing. Reads Results only."""

from __future__ import annotations

from fractions import Fraction

from . import model as m
from .arithmetic import format_number
from .evaluate import show
from .results import (MET, MISSED, NEAR, NOT_ASSESSED, AreaResult, GoalResult, IndicatorResult,
                      Results)

STATUS_WORDS = {MET: "uppfyllt (positivt utfall)", NEAR: "nära målet, inte uppfyllt",
                MISSED: "inte uppfyllt (negativt utfall)", NOT_ASSESSED: "inte bedömt"}
OP_WORDS = {">=": "minst", "<=": "högst", ">": "mer än", "<": "mindre än", "=": "lika med"}
OP_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def explain(results: Results, wanted: str) -> str | None:
    found = results.find(wanted)
    if isinstance(found, IndicatorResult):
        return indicator(found)
    if isinstance(found, GoalResult):
        return goal(found)
    if isinstance(found, AreaResult):
        return area(found, results)
    return None


def points(n: int) -> str:
    return f"{n} {'poäng' if n != 1 else 'poäng'}"


def criterion_words(c: m.Criterion) -> str:
    unit = "percent" if c.unit == "percent" else c.unit
    if c.op == "between":
        return f"mellan {show(c.bound, unit)} och {show(c.upper, unit)} (gränserna inräknade)"
    if c.op == "within-target":
        return f"högst {show(c.bound, 'pp')} från målet {show(c.upper, 'percent')}"
    if c.op == "closer-than-target":
        return f"mindre än {show(c.bound, 'pp')} från målet {show(c.upper, 'percent')}"
    return f"{OP_WORDS[c.op]} {show(c.bound, unit)}"


def indicator(r: IndicatorResult) -> str:
    ind = r.indicator
    kind = "Bonus" if ind.is_bonus else "Indikator"
    lines = [f"{kind} {ind.id} (mål {r.goal}, målområde {r.area})", f"  ”{ind.text}”", ""]
    where = f" ({ind.span})" if ind.span else ""
    lines.append(f"Regeln som den är skriven{where}:")
    lines.append(f"  {ind.written}")
    if ind.template:
        lines.append(f"  (mallen {ind.template} används)")
    if ind.criterion is not None:
        lines.append(f"  Kravet: utfallet ska vara {criterion_words(ind.criterion)}.")
    else:
        lines.append(f"  {ind.points} poäng per styck, högst {ind.cap} poäng.")
    if r.trace:
        lines += ["", "Siffror som använts:"]
        width = max(len(t.what) for t in r.trace)
        for t in r.trace:
            source = f"   [{t.source}]" if t.source else ""
            lines.append(f"  {t.what.ljust(width)}  {t.value}{source}")
    lines.append("")
    if r.status == NOT_ASSESSED and r.computed_status is None:
        lines.append(f"Inte bedömt: {r.reason}.")
        lines.append("Indikatorn räknas " + ("med i" if r.counted_in_max else "inte med i")
                     + " maxvärdet enligt regelverkets val för saknade data.")
    elif ind.criterion is not None and r.compared is not None:
        sign = OP_SIGNS.get(ind.criterion.op)
        shown = show(r.compared, r.unit)
        holds = r.computed_status == MET if r.computed_status else r.status == MET
        if sign:
            lines.append(f"Jämförelse: {shown} {sign} {show(ind.criterion.bound, ind.criterion.unit)}? "
                         f"{'Ja' if holds else 'Nej'}.")
        else:
            lines.append(f"Jämförelse: {shown}, krav {criterion_words(ind.criterion)}? {'Ja' if holds else 'Nej'}.")
    elif r.compared is not None:
        lines.append(f"Antal: {show(r.compared, r.unit)}, ger {points(r.points)} av högst {ind.cap}.")
    if r.status == NEAR:
        lines.append("Utfallet ligger inom regelverkets band för 'nära målet'.")
    if ind.override is not None:
        lines.append(f"Manuellt beslut: utfallet sätts till {STATUS_WORDS[r.status]} "
                     f"(beräknat: {STATUS_WORDS.get(r.computed_status, r.computed_status)}).")
        lines.append(f"  Skäl: {ind.override.reason}")
    if ind.is_bonus:
        lines.append(f"Resultat: {STATUS_WORDS[r.status]} — {points(r.bonus_points)} i bonus "
                     "(bonus räknas inte i maxvärdet).")
    else:
        lines.append(f"Resultat: {STATUS_WORDS[r.status]} — {r.points} av {ind.value} poäng.")
    if ind.bonus is not None:
        lines.append(f"Bonus: utfallet ska vara {criterion_words(ind.bonus.criterion)}: "
                     f"{'ja' if r.bonus_met else 'nej'}, {points(r.bonus_points)} i bonus.")
    if r.margin is not None:
        lines.append(_margin(r))
    elif ind.criterion is not None and r.compared is not None and ind.criterion.op in OP_SIGNS \
            and not isinstance(r.compared, bool):
        distance = abs(r.compared - ind.criterion.bound)
        unit = "pp" if r.unit == "percent" else r.unit
        lines.append(f"Avstånd till gränsen: {show(distance, unit)}.")
    return "\n".join(lines) + "\n"


def _margin(r: IndicatorResult) -> str:
    mg = r.margin
    many = abs(mg.change)
    what = mg.counted.replace("answers in ", "svar i ")
    goal = show(r.indicator.criterion.bound, "percent")
    if mg.change > 0:
        return (f"Marginal: {many} fler {what} (av samma {mg.whole}) hade "
                f"{'nått' if mg.flips_to == MET else 'gått över'} {goal}.")
    return (f"Marginal: med {many} färre {what} (av samma {mg.whole}) hade "
            f"{'kravet ' + goal + ' inte längre nåtts' if mg.flips_to == MISSED else 'kravet nåtts'}.")


def goal(g: GoalResult) -> str:
    lines = [f"Mål {g.goal.id}", f"  ”{g.goal.text}”", "",
             f"{g.achieved} av {g.maximum} poäng från {sum(not r.indicator.is_bonus for r in g.indicators)} "
             "indikatorer:"]
    for r in g.indicators:
        value = f"bonus {r.bonus_points}" if r.indicator.is_bonus else f"{r.earned} av {r.indicator.value}"
        lines.append(f"  {r.id:<8} {value:<12} {STATUS_WORDS[r.status]}")
    return "\n".join(lines) + "\n"


def area(a: AreaResult, results: Results) -> str:
    lines = [f"Målområde {a.area.id}: {a.area.title}", "",
             f"Maxvärde {a.maximum} poäng (summan av indikatorvärdena, utan bonus).",
             f"Uppnått {a.achieved} poäng (inklusive bonus).",
             ]
    if a.index is not None:
        exact = Fraction(100 * a.achieved, a.maximum)
        lines.append(f"Impact Index {format_number(a.index)} = {a.achieved}/{a.maximum} = "
                     f"{format_number(exact)} %, avrundat till helt procent.")
    if a.difference is not None:
        better = "bättre" if a.difference > 0 else "sämre"
        lines.append(f"Budgeterat mål {format_number(a.target_index)}: "
                     + (f"{format_number(abs(a.difference))} indexpunkter {better} resultat än budgeterat."
                        if a.difference else "precis som budgeterat."))
    if a.area.weight is not None and a.actual_weight is not None:
        lines.append(f"Planerad viktning {format_number(a.area.weight)} %, faktisk viktning "
                     f"{format_number(a.actual_weight)} % ({a.maximum} av {results.maximum} poäng).")
    lines.append(f"{a.goal_count} mål, {a.indicator_count} indikatorer.")
    lines.append("")
    for g in a.goals:
        lines.append(f"  mål {g.goal.id:<6} {g.achieved:>3} av {g.maximum:<3} poäng")
    return "\n".join(lines) + "\n"
