"""Grades of units and descriptive tables, from results and outcomes. Pure.

A unit (an area) takes the first grade whose band holds: every selected goal
at most so far short of its target ('share' goals in percentage points;
'goal' also counts, in relative percent). The goal furthest short decides.
Tables read each cell's measure; a split column also gets what is left of
its total (other or not stated)."""

from __future__ import annotations

from fractions import Fraction

from impactdsl.compile import model as m
from impactdsl.core.kinds import Op, Status, Unit
from impactdsl.evaluation.results import (
    AreaResult,
    CellResult,
    GradeResult,
    GradeStep,
    IndicatorResult,
    TableResult,
    TableRow,
)


def shortfall(r: IndicatorResult, relative_counts: bool) -> Fraction | None:
    """How far the outcome is short of the target: 0 when met, None when not assessed."""
    c = r.indicator.criterion
    if r.status == Status.MET:
        return Fraction(0)
    if r.status == Status.NOT_ASSESSED or r.compared is None or isinstance(r.compared, bool) or c is None:
        return None
    x = r.compared
    op = Op(c.op)
    if op.single_bound and op.rising:
        short = c.bound - x
    elif op.single_bound:
        short = x - c.bound
    elif op == Op.BETWEEN:
        short = c.bound - x if x < c.bound else x - c.upper
    else:
        return None
    short = max(Fraction(0), short)
    if c.unit != Unit.PERCENT and relative_counts and c.bound:
        short = short / abs(c.bound) * 100
    return short


def grade(area: AreaResult, rules: tuple[m.GradeRule, ...]) -> GradeResult | None:
    if not rules:
        return None
    steps = []
    for rule in rules:
        if rule.selector is None:
            worst = steps[-1] if steps else None
            steps.append(GradeStep(rule.name, None, True, worst.worst if worst else None,
                                   worst.shortfall if worst else None, None))
            return GradeResult(rule.name, worst.worst if worst else None, worst.shortfall if worst else None,
                               tuple(steps))
        chosen = [r for r in area.indicators if not r.indicator.is_bonus and
                  (rule.selector == "goal" or (r.indicator.criterion is not None and
                                               r.indicator.criterion.unit == Unit.PERCENT))]
        shorts = [(r.id, shortfall(r, relative_counts=rule.selector == "goal")) for r in chosen]
        missing = [(i, s) for i, s in shorts if s is None]
        worst_id, worst = missing[0] if missing else max(shorts, key=lambda x: x[1], default=(None, None))
        holds = not missing and all(s <= rule.limit for _, s in shorts)
        if worst is not None and worst == 0:
            worst_id = None
        steps.append(GradeStep(rule.name, rule.selector, holds, worst_id, worst, rule.limit))
        if holds:
            return GradeResult(rule.name, worst_id, worst, tuple(steps))
    return None


def tables(ruleset: m.Ruleset, measure) -> tuple[TableResult, ...]:
    """Every table of the ruleset; `measure` is the evaluator's measure function."""
    return tuple(_table(t, measure) for t in ruleset.tables)


def _table(t: m.Table, measure) -> TableResult:
    rows = tuple(TableRow(row.name, row.text or row.name,
                          tuple(_cell(column.cells[i], column.unit, measure) for column in t.columns))
                 for i, row in enumerate(t.rows))
    total = None
    if t.total_label is not None:
        cells = []
        for position, column in enumerate(t.columns):
            cell = _cell(column.total, column.unit, measure)
            if cell.value is None and column.unit in (Unit.NUMBER, Unit.TKR):
                cell = _summed([row.cells[position] for row in rows])
            cells.append(cell)
        total = TableRow(None, t.total_label, tuple(cells))
    return TableResult(t, rows, total)


def _value(measure_function, measure):
    if measure is None:
        return None
    got = measure_function(measure)
    return None if got.missing is not None else got.compared


def _cell(cell: m.Cell, unit: str, measure) -> CellResult:
    value = _value(measure, cell.measure)
    splits = tuple((key, _value(measure, part)) for key, part in cell.splits)
    rest = None
    if unit == Unit.NUMBER and splits and value is not None and all(v is not None for _, v in splits):
        rest = value - sum(v for _, v in splits)
    return CellResult(value, splits, rest)


def _summed(cells: list[CellResult]) -> CellResult:
    def total(values):
        values = list(values)
        return sum(values) if values and all(v is not None for v in values) else None
    value = total(c.value for c in cells)
    keys = [k for k, _ in cells[0].splits] if cells else []
    splits = tuple((k, total(dict(c.splits).get(k) for c in cells)) for k in keys)
    rest = total(c.rest for c in cells) if keys else None
    return CellResult(value, splits, rest)
