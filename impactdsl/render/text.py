"""The report view → the table shown in a terminal: one block per area, then the
summary table of seed 002 (planned and actual weight, goals, indicators,
max, achieved, index, target and difference).

Plain Python rather than a Jinja2 template: it is the default output of
`evaluate`, and aligning columns is code, while importing Jinja2 would double
the command's start-up time (bench/run.py). Colours only when asked (the
CLI asks on a terminal); the status is always written out in words."""

from __future__ import annotations

from impactdsl.core.formats import NBSP
from impactdsl.core.kinds import Status
from impactdsl.render.view import ReportView, Row, TableView

TEXT_WIDTH = 56
COLOURS = {Status.MET: "\033[32m", Status.NEAR: "\033[33m", Status.MISSED: "\033[31m", Status.NOT_ASSESSED: "\033[90m"}
RESET = "\033[0m"


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _plain(text: str) -> str:
    """A figure as a terminal shows it: the no-break spaces of Swedish numbers as spaces."""
    return text.replace(NBSP, " ")


def render_text(view: ReportView, colour: bool = False) -> str:
    say = view.say
    out = [f"{view.name} — {view.association}" + (f" ({view.period})" if view.period else "")
           if view.association else view.name, ""]
    for a in view.areas:
        out.append(f"{say('report.area')} {a.id}: {a.title}")
        out.append(f"  {a.achieved} {say('report.of')} {a.maximum} {say('report.points').lower()}, "
                   f"Impact Index {a.index} ({say('report.target').lower()} {a.target}, {a.difference})")
        out += ["  " + line for line in a.grade_lines]
        out += [_row(row, say, colour) for row in a.rows]
        out.append("")
    for table in view.tables:
        out += _table(table) + [""]
    header = [say("report.area"), say("report.planned_weight"), say("report.actual_weight"), say("report.goals"),
              say("report.indicators"), "Max", say("report.achieved"), say("report.index"), say("report.target"),
              say("report.difference")]
    rows = [[f"{a.id} {a.title}", _plain(a.planned), _plain(a.actual), str(a.goal_count), str(a.indicator_count),
             str(a.maximum), str(a.achieved), a.index, a.target, a.difference] for a in view.areas]
    rows.append([say("report.total"), _plain(view.planned_total), _plain(say.percent(100, 0)), str(view.goal_count),
                 str(view.indicator_count), str(view.maximum), str(view.achieved), view.index, view.target,
                 view.difference])
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    out += [say("report.summary"), line(header)] + [line(r) for r in rows] + [""]
    if any(row.has_override for a in view.areas for row in a.rows):
        out.append("* " + say("report.override").lower() + ": impactdsl explain RULESET ID")
    out.append(f"Impact Index {view.index}: {view.achieved} "
               f"{say('report.of')} {view.maximum} {say('report.points').lower()}.")
    return "\n".join(out) + "\n"


def _row(row: Row, say, colour: bool) -> str:
    score = f"+{row.bonus_points} {say('report.bonus')}" if row.is_bonus else f"{row.points}/{row.value}"
    if row.bonus_points and not row.is_bonus:
        score += f" (+{row.bonus_points})"
    mark = row.status_label + ("*" if row.has_override else "")
    if colour:
        mark = COLOURS[row.status] + f"{mark:<13}" + RESET
    return f"  {row.id:<8} {mark:<13} {score:>9}  {_plain(row.value_text):>16}  {_short(row.text)}"


def _table(v: TableView) -> list[str]:
    """A descriptive table, aligned, from the report view's cells."""
    rows = [tuple(_plain(c) for c in row) for row in (v.header,) + v.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(v.header))]
    lines = [v.title]
    for row in rows:
        lines.append("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                      for i, (c, w) in enumerate(zip(row, widths))).rstrip())
    return lines
