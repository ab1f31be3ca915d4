"""Grade scales and descriptive tables → model.

Grades: the bands in the order written, the last one `otherwise`. Tables: a
row per entity of a list and a column per measure; each cell is the column's
measure for the row's entity (`deltagare` in row lyra reads `deltagare[lyra]`),
split by a subgroup list when asked (`deltagare[lyra, kvinnor]`)."""

from __future__ import annotations

import attrs

from impactdsl.compile import model as m
from impactdsl.compile.rule import RuleCompiler, unit_of
from impactdsl.parse import syntax as s


def grade_rules(decls: list[s.GradeDecl], compiler) -> tuple[m.GradeRule, ...]:
    if len(decls) > compiler.limits.grades:           # every unit is tried against every band
        compiler.err("grade", f"{len(decls)} grades; a grade scale has at most {compiler.limits.grades}",
                     decls[compiler.limits.grades].span, "a scale such as God / Godtagbart / Ej godtagbart")
        return ()
    rules = []
    for position, decl in enumerate(decls):
        last = position == len(decls) - 1
        if decl.selector is None and not last:
            compiler.err("grade", f"'{decl.name}' otherwise must be the last grade", decl.span,
                         "grades are tried in order; the one that holds otherwise comes last")
        if decl.selector is not None and decl.limit.unit not in ("pp", "percent"):
            compiler.err("unit", "a grade's limit is a distance in percentage points, e.g. 5pp", decl.limit.span,
                         "write 'at most 5pp short'")
        rules.append(m.GradeRule(decl.name, decl.selector, decl.limit.number if decl.limit else None, decl.span))
    if rules and rules[-1].selector is not None:
        compiler.err("grade", "the grades need a last one that holds otherwise", decls[-1].span,
                     'add: grade "Ej godtagbart" otherwise')
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            compiler.err("duplicate", f"grade '{rule.name}' is given twice", rule.span)
            break
        seen.add(rule.name)
    return tuple(rules)


def table(decl: s.TableDecl, compiler) -> m.Table | None:
    rows = compiler.lists.get(decl.rows)
    if rows is None:
        compiler.unknown("list of entities", decl.rows, compiler.lists, decl.span,
                         extra="declare it: entities NAME: key \"label\", ...")
        return None
    splits = []                                     # each column's (subgroup key, label), in order
    for column in decl.columns:
        if column.split is not None and compiler.lists.get(column.split) is None:
            compiler.unknown("list of subgroups", column.split, compiler.lists, column.span)
            return None
        splits.append(tuple((k.name, k.text or k.name) for k in compiler.lists.get(column.split, ())))
    compiler.table_cells += (len(rows) + 1) * sum(1 + len(split) for split in splits)
    if compiler.table_cells > compiler.limits.table_cells:     # refused before a single cell is made
        compiler.err("ruleset-size", f"the tables have more than {compiler.limits.table_cells} cells", decl.span,
                     "a table a board reads has a row per project or municipality and a few columns")
        return None
    columns = []
    rules = RuleCompiler(compiler, None)
    for column, split in zip(decl.columns, splits):

        def cell(row: str | None) -> m.Cell:
            measure, _ = rules.measure(_at(column.measure, row))
            parts = tuple((key, rules.measure(_at(column.measure, f"{row}/{key}" if row else key))[0])
                          for key, _ in split)
            return m.Cell(measure, parts)
        cells = tuple(cell(row.name) for row in rows)
        total = cell(None)
        shown_in_tkr = isinstance(total.measure, m.FactOf) and total.measure.kind == "tkr"
        unit = "tkr" if shown_in_tkr else unit_of(total.measure, compiler) if total.measure is not None else "number"
        columns.append(m.Column(column.name, column.title, unit, split, cells, total))
    if rules.failed:
        return None
    return m.Table(decl.kind, decl.name, decl.title, tuple(rows), decl.total, tuple(columns), decl.span)


def _at(node, key: str | None):
    """The measure with every reference that names no key read at `key`."""
    if key is None:
        return node
    if isinstance(node, s.Ref):
        return node if node.key is not None else attrs.evolve(node, key=key)
    if isinstance(node, tuple):
        return tuple(_at(x, key) for x in node)
    if attrs.has(type(node)):
        return attrs.evolve(node, **{f.name: _at(getattr(node, f.name), key)
                                     for f in attrs.fields(type(node)) if f.name != "span"})
    return node
