"""Descriptive tables, from the outcomes. Pure.

Tables read each cell's measure; a split column also gets what is left of
its total (other or not stated), and a total row sums its column where the
data give no total of their own."""

from __future__ import annotations

from fractions import Fraction

from impactdsl.compile import model as m
from impactdsl.core.kinds import Unit
from impactdsl.evaluation.results import CellResult, TableResult, TableRow


def tables(ruleset: m.Ruleset, measure) -> tuple[TableResult, ...]:
    """Every table of the ruleset, small counts of people hidden; `measure` is the evaluator's."""
    return tuple(suppress(_table(t, measure), ruleset.settings.minimum_n) for t in ruleset.tables)


# ---- small numbers stay private ---------------------------------------------------------

def _counts_people(cell: m.Cell) -> bool:
    return isinstance(cell.measure, (m.CountOf, m.AnswerCountOf))


def suppress(result: TableResult, minimum: int) -> TableResult:
    """Every count of people from 1 to below the ruleset's minimum n hidden, and then, as long as some
    sum (a row's total of its parts, a column's total of its rows) has exactly one part hidden, the
    smallest other part of that sum too: so no total minus what is shown reveals a hidden count."""
    if minimum <= 1:
        return result
    rows = list(result.rows) + ([result.total] if result.total is not None else [])
    columns = [position for position, column in enumerate(result.table.columns) if _counts_people(column.total)
               or any(_counts_people(cell) for cell in column.cells)]
    values: dict[tuple[int, int, str], Fraction] = {}
    for r, row in enumerate(rows):
        for c in columns:
            cell = row.cells[c]
            for part, value in (("value", cell.value), *cell.splits, ("rest", cell.rest)):
                if value is not None and not isinstance(value, bool):
                    values[(r, c, part)] = value
    lines = []                                          # sums: each a list of items, the total first
    for r, row in enumerate(rows):
        for c in columns:
            parts = [(r, c, k) for k, _ in row.cells[c].splits] + [(r, c, "rest")]
            lines.append([(r, c, "value"), *parts])
    if result.total is not None:
        last = len(rows) - 1
        for c in columns:
            for part in ["value", *(k for k, _ in rows[last].cells[c].splits), "rest"]:
                lines.append([(last, c, part)] + [(r, c, part) for r in range(last)])
    lines = [[item for item in line if item in values] for line in lines]
    hidden = {item for item, value in values.items() if 0 < value < minimum}
    changed = bool(hidden)
    while changed:                                      # hidden only grows: this ends
        changed = False
        for line in lines:
            unknown = [item for item in line if item in hidden]
            if len(unknown) != 1 or len(line) < 2:
                continue
            shown = [item for item in line if item not in hidden]
            if not shown:
                continue
            hidden.add(min(shown, key=lambda item: (values[item] == 0, values[item], item)))
            changed = True
    if not hidden:
        return result
    made = [TableRow(row.key, row.label, tuple(_hide(cell, {part for (rr, cc, part) in hidden if (rr, cc) == (r, c)})
                                               for c, cell in enumerate(row.cells)))
            for r, row in enumerate(rows)]
    return TableResult(result.table, tuple(made[:len(result.rows)]), made[-1] if result.total is not None else None)


def _hide(cell: CellResult, parts: set[str]) -> CellResult:
    if not parts:
        return cell
    return CellResult(None if "value" in parts else cell.value,
                      tuple((k, None if k in parts else v) for k, v in cell.splits),
                      None if "rest" in parts else cell.rest, frozenset(parts))


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
