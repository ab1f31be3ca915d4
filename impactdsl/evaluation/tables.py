"""Descriptive tables, from the outcomes. Pure.

Tables read each cell's measure; a split column also gets what is left of
its total (other or not stated), and a total row sums its column where the
data give no total of their own."""

from __future__ import annotations

from impactdsl.compile import model as m
from impactdsl.core.kinds import Unit
from impactdsl.evaluation.results import CellResult, TableResult, TableRow


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
