"""Results → the table shown in a terminal: one block per area, then the
summary table of seed 002 (planned and actual weight, goals, indicators,
max, achieved, index, target and difference).

Plain Python rather than a Jinja2 template: it is the default output of
`evaluate`, and aligning columns is code, while importing Jinja2 would double
the command's start-up time (bench/run.py). Colours only when asked (the
CLI asks on a terminal); the status is always written out in words."""

from __future__ import annotations

from impactdsl.core import formats
from impactdsl.core.kinds import Status
from impactdsl.evaluation.results import Results
from impactdsl.render.explain import grade_lines, status_text
from impactdsl.render.words import words

TEXT_WIDTH = 56
COLOURS = {Status.MET: "\033[32m", Status.NEAR: "\033[33m", Status.MISSED: "\033[31m", Status.NOT_ASSESSED: "\033[90m"}
RESET = "\033[0m"


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def render_text(results: Results, lang: str = "sv", colour: bool = False) -> str:
    say = words(lang)
    s = results.ruleset.settings
    out = [f"{s.name} — {s.association} ({s.period})" if s.association else s.name, ""]
    for a in results.areas:
        out.append(f"{say('report.area')} {a.area.id}: {a.area.title}")
        out.append(f"  {a.achieved} {say('report.of')} {a.maximum} {say('report.points').lower()}, "
                   f"Impact Index {formats.number(a.index, lang)} ({say('report.target').lower()} "
                   f"{formats.number(a.target_index, lang)}, {formats.signed(a.difference, lang)})")
        out += ["  " + line for line in grade_lines(a, lang)]
        for r in a.indicators:
            ind = r.indicator
            score = f"+{r.bonus_points} {say('report.bonus')}" if ind.is_bonus else f"{r.earned}/{ind.value}"
            if r.bonus_points and not ind.is_bonus:
                score += f" (+{r.bonus_points})"
            mark = status_text(r.status, lang, long=False) + ("*" if ind.override else "")
            if colour:
                mark = COLOURS[r.status] + f"{mark:<13}" + RESET
            value = "–" if r.compared is None else formats.value(r.compared, r.unit, lang)
            out.append(f"  {ind.id:<8} {mark:<13} {score:>9}  {value.replace(formats.NBSP, ' '):>16}  "
                       f"{_short(ind.text)}")
        out.append("")
    for table in results.tables:
        out += _table(table, lang) + [""]
    header = [say("report.area"), say("report.planned_weight"), say("report.actual_weight"), say("report.goals"),
              say("report.indicators"), "Max", say("report.achieved"), say("report.index"), say("report.target"),
              say("report.difference")]

    def pct(x):
        return formats.percent(x, lang, 0).replace(formats.NBSP, " ") if x is not None else "–"
    rows = [[f"{a.area.id} {a.area.title}", pct(a.area.weight), pct(a.actual_weight), str(a.goal_count),
             str(a.indicator_count), str(a.maximum), str(a.achieved), formats.number(a.index, lang),
             formats.number(a.target_index, lang), formats.signed(a.difference, lang)] for a in results.areas]
    planned = [a.area.weight for a in results.areas]
    rows.append([say("report.total"), pct(sum(planned)) if None not in planned else "–", pct(100),
                 str(results.goal_count), str(results.indicator_count), str(results.maximum),
                 str(results.achieved), formats.number(results.index, lang),
                 formats.number(results.target_index, lang), formats.signed(results.difference, lang)])
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    out += [say("report.summary"), line(header)] + [line(r) for r in rows] + [""]
    if any(r.indicator.override for r in results.indicators):
        out.append("* " + say("report.override").lower() + ": impactdsl explain RULESET ID")
    out.append(f"Impact Index {formats.number(results.index, lang)}: {results.achieved} "
               f"{say('report.of')} {results.maximum} {say('report.points').lower()}.")
    return "\n".join(out) + "\n"


def _table(table, lang: str) -> list[str]:
    """A descriptive table, aligned, from the report view's cells."""
    from impactdsl.render.view import table_view

    v = table_view(table, lang)
    rows = [tuple(c.replace(formats.NBSP, " ") for c in row) for row in (v.header,) + v.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(v.header))]
    lines = [v.title]
    for row in rows:
        lines.append("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                      for i, (c, w) in enumerate(zip(row, widths))).rstrip())
    return lines
