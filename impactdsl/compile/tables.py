"""Descriptive tables → model.

Tables: a row per entity of a list and a column per measure; each cell is the column's
measure for the row's entity (`deltagare` in row lyra reads `deltagare[lyra]`),
split by a subgroup list when asked (`deltagare[lyra, kvinnor]`)."""

from __future__ import annotations

import attrs

from impactdsl.compile import model as m
from impactdsl.compile.measures import ARGUMENTS, CALLS, unit_of
from impactdsl.compile.rewrite import rewrite
from impactdsl.compile.rule import RuleCompiler
from impactdsl.compile.scope import Problems, Scope
from impactdsl.core.diagnostics import Said
from impactdsl.core.kinds import Unit
from impactdsl.core.limits import Limits
from impactdsl.parse import syntax as s


def tables(decls: list[s.TableDecl], scope: Scope, problems: Problems, limits: Limits,
           rules: RuleCompiler) -> tuple[m.Table, ...]:
    """Every table, refused whole once their cells together pass the limit (before a cell is made)."""
    made, cells = [], 0
    for decl in decls:
        splits = _splits(decl, scope, problems)
        if splits is None:
            continue
        cells += (len(scope.lists[decl.rows]) + 1) * sum(1 + len(split) for split in splits)
        if cells > limits.table_cells:
            problems.error("ruleset-size", Said(f"tabellerna har fler än {limits.table_cells} celler",
                                                f"the tables have more than {limits.table_cells} cells"), decl.span,
                           Said("en tabell som en styrelse läser har en rad per projekt eller kommun och några få "
                                "kolumner",
                                "a table a board reads has a row per project or municipality and a few columns"))
            continue
        found = _table(decl, splits, scope, problems, rules)
        if found is not None:
            made.append(found)
    return tuple(made)


def _splits(decl: s.TableDecl, scope: Scope, problems: Problems) -> list[tuple] | None:
    """Each column's (subgroup key, label) pairs, in order; None after a problem with the rows or a split."""
    if scope.lists.get(decl.rows) is None:
        problems.unknown(Said("okänd lista med enheter", "unknown list of entities"), decl.rows, scope.lists,
                         decl.span, extra=Said("deklarera den: enheter NAMN: nyckel \"etikett\", ...",
                                               "declare it: entities NAME: key \"label\", ..."))
        return None
    splits = []
    for column in decl.columns:
        if column.split is not None and scope.lists.get(column.split) is None:
            problems.unknown(Said("okänd lista med undergrupper", "unknown list of subgroups"), column.split,
                             scope.lists, column.span)
            return None
        splits.append(tuple((k.name, k.text or k.name) for k in scope.lists.get(column.split, ())))
    return splits


def _table(decl: s.TableDecl, splits: list[tuple], scope: Scope, problems: Problems,
           rules: RuleCompiler) -> m.Table | None:
    rows = scope.lists[decl.rows]
    mark = problems.mark()
    columns = []
    for column, split in zip(decl.columns, splits):

        def cell(row: str | None) -> m.Cell:
            measure, _ = rules.measure(_at(column.measure, row))
            parts = tuple((key, rules.measure(_at(column.measure, f"{row}/{key}" if row else key))[0])
                          for key, _ in split)
            return m.Cell(measure, parts)
        cells = tuple(cell(row.name) for row in rows)
        total = cell(None)
        shown_in_tkr = isinstance(total.measure, m.FactOf) and total.measure.kind == Unit.TKR
        unit = Unit.TKR if shown_in_tkr else unit_of(total.measure, rules.outcome_unit) \
            if total.measure is not None else Unit.NUMBER
        columns.append(m.Column(column.name, column.title, unit, split, cells, total))
    if problems.failed_since(mark):
        return None
    return m.Table(decl.kind, decl.name, decl.title, tuple(rows), decl.total, tuple(columns), decl.span)


def _at(node, key: str | None):
    """The measure with every reference that names no key read at `key` (in a NAME(...) measure,
    only the arguments read for a subgroup or entity: count's group, not its question)."""
    if key is None:
        return node

    def at(x):
        if isinstance(x, s.Ref):
            return x if x.key is not None else attrs.evolve(x, key=key)
        if isinstance(x, s.Call) and x.name in CALLS:
            keyed = [ARGUMENTS[what].keyed for what in CALLS[x.name].arguments] + [False] * len(x.arguments)
            return attrs.evolve(x, arguments=tuple(_at(a, key) if k else a for a, k in zip(x.arguments, keyed)))
        return None
    return rewrite(node, at)
