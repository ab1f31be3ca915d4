"""The report view → the table shown in a terminal: one block per area (its
points and index, or how many of its indicators were met; its judgement; a
row per indicator with status, target and outcome), then the summary table
with the columns the ruleset's method has.

Plain Python rather than a Jinja2 template: it is the default output of
`evaluate`, and aligning columns is code, while importing Jinja2 would double
the command's start-up time (bench/run.py). Colours only when asked (the
CLI asks on a terminal); the status is always written out in words."""

from __future__ import annotations

from impactdsl.core.formats import NBSP
from impactdsl.core.kinds import Status
from impactdsl.render.view import ReportView, Row, TableView

TEXT_WIDTH = 56
COLOURS = {Status.MET: "\033[32m", Status.PARTLY: "\033[33m", Status.MISSED: "\033[31m",
           Status.NOT_ASSESSED: "\033[90m"}                  # by the status's role
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
    out += [line + "." for line in (view.withheld, view.unassessed) if line]
    out += [""] if view.withheld or view.unassessed else []
    width = max((len(row.status_label) for a in view.areas for row in a.rows), default=0) + 2
    for a in view.areas:
        out.append(f"{say('report.area')} {a.id}: {a.title}")
        out.append("  " + _area_line(view, a, say))
        out += ["  " + line + "." for line in (a.withheld, a.unassessed) if line]
        out += ["  " + line for line in a.grade_lines]
        for row in a.rows:
            if row.goal_grade:                  # a goal judged from its indicators: its judgement first
                out.append(f"  {say('report.goal')} {row.goal_id}: {row.goal_grade}")
            out.append(_row(row, view, say, colour, width))
        out.append("")
    for table in view.tables:
        out += _table(table) + [""]
    out += _summary(view, say)
    if any(row.has_override for a in view.areas for row in a.rows):
        out.append("* " + say("report.override").lower() + ": impactdsl explain RULESET ID")
    if view.index_name and view.index != "–":
        out.append(f"{view.index_name} {view.index}" + (f": {view.achieved} {say('report.of')} {view.maximum} "
                                                        f"{say('report.points').lower()}." if view.has_points and
                                                        not view.withheld else "."))
    if view.inputs:                                 # the files the figures come from, by their content
        out += ["", say("report.inputs") + ":"] + [f"  {digest}  {path}" for path, digest in view.inputs]
    out += ["", view.evaluated + "."]
    return "\n".join(out) + "\n"


def _area_line(view: ReportView, a, say) -> str:
    """'46 av 84 poäng, Impact Index 55 (budgeterat 70, −15)', or with no points '3 av 4 uppfyllt'."""
    line = f"{a.achieved} {say('report.of')} {a.maximum} {say('report.points').lower()}" if view.has_points \
        else a.goals_met
    if view.index_name and a.index != "–":
        line += f", {view.index_name} {a.index}"
        if a.target != "–" and not a.withheld:
            line += f" ({say('report.target').lower()} {a.target}, {a.difference})"
    return line


def _summary(view: ReportView, say) -> list[str]:
    """The summary table, with the columns this method has: weights, points, index, target, judgement."""
    columns = [(say("report.area"), lambda a: f"{a.id} {a.title}", say("report.total"))]
    if view.has_weights:
        columns += [(say("report.planned_weight"), lambda a: _plain(a.planned), _plain(view.planned_total)),
                    (say("report.actual_weight"), lambda a: _plain(a.actual), _plain(say.percent(100, 0)))]
    columns += [(say("report.goals"), lambda a: str(a.goal_count), str(view.goal_count)),
                (say("report.indicators"), lambda a: str(a.indicator_count), str(view.indicator_count))]
    if view.has_points:
        columns += [(say("report.max"), lambda a: str(a.maximum), str(view.maximum)),
                    (say("report.achieved"), lambda a: str(a.achieved), str(view.achieved))]
    if view.index_name:
        columns.append((view.index_name, lambda a: a.index, view.index))
        if view.has_target:
            columns += [(say("report.target"), lambda a: a.target, view.target),
                        (say("report.difference"), lambda a: a.difference, view.difference)]
    if view.graded:
        columns.append((say("report.grade"), lambda a: a.grade or "–", ""))
    header = [title for title, _, _ in columns]
    rows = [[cell(a) for _, cell, _ in columns] for a in view.areas]
    rows.append([total for _, _, total in columns])
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return [say("report.summary"), line(header)] + [line(r) for r in rows] + [""]


def _row(row: Row, view: ReportView, say, colour: bool, width: int) -> str:
    mark = row.status_label + ("*" if row.has_override else "")
    if colour:
        mark = COLOURS[row.role] + f"{mark:<{width}}" + RESET
    score = ""
    if view.has_points:
        score = f"+{row.bonus_points} {say('report.bonus')}" if row.is_bonus else f"{row.points}/{row.value}"
        if row.bonus_points and not row.is_bonus:
            score += f" (+{row.bonus_points})"
        score = f" {score:>9}"
    line = (f"  {row.id:<8} {mark:<{width}}{score}  {_plain(row.target_text):>10}  {_plain(row.value_text):>16}  "
            f"{_short(row.text)}")
    said = [row.reported] if row.reported else []
    said += [(f"{say('report.narrative')}: " if not i else "") + p for i, p in enumerate(row.narrative)]
    return "\n".join([line] + [f"{'':11}{_short(x, TEXT_WIDTH + 30)}" for x in said])


def _table(v: TableView) -> list[str]:
    """A descriptive table, aligned, from the report view's cells."""
    rows = [tuple(_plain(c) for c in row) for row in (v.header,) + v.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(v.header))]
    lines = [v.title]
    for row in rows:
        lines.append("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                      for i, (c, w) in enumerate(zip(row, widths))).rstrip())
    return lines + ([f"  {v.note}."] if v.note else [])
