"""Results → the table shown in a terminal: one block per area, then the
summary table of seed 002 (planned and actual weight, goals, indicators,
max, achieved, index, target and difference)."""

from __future__ import annotations

from .arithmetic import format_number
from .evaluate import show
from .results import MET, MISSED, NEAR, NOT_ASSESSED, Results

STATUS = {MET: "uppfyllt", NEAR: "nära", MISSED: "ej uppfyllt", NOT_ASSESSED: "ej bedömt"}
TEXT_WIDTH = 56


def _num(value) -> str:
    return "–" if value is None else format_number(value)


def _signed(value) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + format_number(value)


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def render_text(results: Results) -> str:
    s = results.ruleset.settings
    out = [f"{s.name} — {s.association} ({s.period})" if s.association else s.name, ""]
    for a in results.areas:
        out.append(f"Målområde {a.area.id}: {a.area.title}")
        out.append(f"  {a.achieved} av {a.maximum} poäng, Impact Index {_num(a.index)}"
                   f" (budgeterat {_num(a.target_index)}, {_signed(a.difference)})")
        for r in a.indicators:
            ind = r.indicator
            score = f"+{r.bonus_points} bonus" if ind.is_bonus else f"{r.earned}/{ind.value}"
            if r.bonus_points and not ind.is_bonus:
                score += f" (+{r.bonus_points})"
            mark = STATUS[r.status] + ("*" if ind.override else "")
            value = show(r.compared, r.unit) if r.compared is not None else "–"
            if r.unit == "pp" and r.compared is not None:
                value = format_number(r.compared) + " pe"
            elif r.unit == "relative" and r.compared is not None:
                value = format_number(r.compared) + " % rel"
            out.append(f"  {ind.id:<8} {mark:<12} {score:>9}  {value:>10}  {_short(ind.text)}")
        out.append("")
    if any(r.indicator.override for r in results.indicators):
        out.append("* manuellt beslut med skäl; se impactdsl explain RULESET ID")
        out.append("")
    header = ["Målområde", "Planerad", "Faktisk", "Mål", "Indikatorer", "Max", "Uppnått", "Index",
              "Budget", "Diff"]
    rows = [[f"{a.area.id} {a.area.title}", _pct(a.area.weight), _pct(a.actual_weight), str(a.goal_count),
             str(a.indicator_count), str(a.maximum), str(a.achieved), _num(a.index), _num(a.target_index),
             _signed(a.difference)] for a in results.areas]
    planned = [a.area.weight for a in results.areas]
    rows.append(["Totalt", _pct(sum(planned)) if None not in planned else "–", "100 %",
                 str(results.goal_count), str(results.indicator_count), str(results.maximum),
                 str(results.achieved), _num(results.index), _num(results.target_index),
                 _signed(results.difference)])
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    out += ["Sammanfattning", line(header)] + [line(r) for r in rows]
    out.append("")
    out.append(f"Impact Index {_num(results.index)}: {results.achieved} av {results.maximum} poäng.")
    return "\n".join(out) + "\n"


def _pct(value) -> str:
    return "–" if value is None else f"{format_number(value)} %"
