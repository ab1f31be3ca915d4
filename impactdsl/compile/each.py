"""`each ENTITY in LIST: ... end` → one indicator per entity, before compiling.

The block is written once; for every entity of the list (in declared order)
each indicator is copied with the entity put in place of the variable in
references (`utanförskap[kommun]` → `utanförskap[umeå]`), params given per
entity replaced by the entity's value, `{kommun}` and `{param}` in the text
filled in, clauses `for` another entity dropped, and an id ending in `.*`
given the next free number under its goal (1.3.1, 1.3.2, 1.3.3, ...)."""

from __future__ import annotations

import re

import attrs

from impactdsl.core.formats import value as formatted
from impactdsl.parse import syntax as s


def expand(statements, compiler) -> list:
    """The statements with every `each` block replaced by its indicators."""
    out = []
    used: dict[str, int] = {}                   # goal id -> highest indicator number used
    goal = None
    made = sum(isinstance(st, s.IndicatorDecl) for st in statements)
    for statement in statements:
        if isinstance(statement, s.GoalDecl):
            goal = statement.id
        if isinstance(statement, s.IndicatorDecl):
            _count(statement.id, used)
            out.append(statement)
        elif isinstance(statement, s.EachBlock):
            entities = compiler.lists.get(statement.entities.name, ())
            made += len(entities) * len(statement.indicators)
            if made > compiler.limits.indicators:           # refused before a single copy is made
                compiler.err("ruleset-size", f"the each blocks make more than {compiler.limits.indicators} "
                             "indicators", statement.span, "a ruleset of so many indicators is read by no board; "
                             "split it, or use fewer entities")
                return out
            out += _instances(statement, goal, used, compiler)
        else:
            out.append(statement)
    return out


def _count(indicator_id: str, used: dict[str, int]) -> None:
    prefix, _, last = indicator_id.rpartition(".")
    if last.isdigit():
        used[prefix] = max(used.get(prefix, 0), int(last))


def _instances(block: s.EachBlock, goal: str | None, used: dict[str, int], compiler) -> list:
    entities = compiler.lists.get(block.entities.name)
    if entities is None:
        compiler.unknown("list of entities", block.entities.name, compiler.lists, block.entities.span,
                         extra="declare it: entities NAME: key \"label\", ...")
        return []
    out = []
    for entity in entities:
        for decl in block.indicators:
            indicator_id = decl.id
            if indicator_id.endswith(".*"):
                prefix = indicator_id[:-2]
                if goal is not None and prefix != goal:
                    compiler.err("structure", f"{indicator_id} in an each block is numbered under {prefix}, "
                                 f"but it stands under goal {goal}", decl.id_span,
                                 f"write {goal}.* or move the block")
                used[prefix] = used.get(prefix, 0) + 1
                indicator_id = f"{prefix}.{used[prefix]}"
            else:
                _count(indicator_id, used)
            before = len(compiler.problems)
            made = _instance(decl, block.variable, entity, indicator_id, compiler)
            if len(compiler.problems) == before:     # a missing value is reported once, not cascaded
                out.append(made)
    return out


def _instance(decl: s.IndicatorDecl, variable: str, entity, indicator_id: str, compiler) -> s.IndicatorDecl:
    def put(node):
        if isinstance(node, s.Ref):
            if node.key is not None:
                key = "/".join(entity.name if part == variable else part for part in node.key.split("/"))
                return attrs.evolve(node, key=key)
            value = compiler.entity_param(node.name, entity.name, node.span)
            return value if value is not None else node
        if isinstance(node, tuple):
            return tuple(put(x) for x in node if not _for_other(x, entity.name))
        if attrs.has(type(node)):
            return attrs.evolve(node, **{f.name: put(getattr(node, f.name))
                                         for f in attrs.fields(type(node)) if f.name not in ("span", "written")})
        return node
    rule = put(decl.rule)
    if isinstance(rule, s.PointsRule) and isinstance(rule.points, s.Quantity):   # a per-entity param
        rule = attrs.evolve(rule, points=int(rule.points.number))
    return attrs.evolve(decl, id=indicator_id, text=_fill(decl.text, variable, entity, compiler), rule=rule)


def _for_other(node, entity: str) -> bool:
    return isinstance(node, (s.OverrideClause, s.NoteClause)) and node.entity not in (None, entity)


def _fill(text: str, variable: str, entity, compiler) -> str:
    """`{kommun}` → the entity's label; `{param}` → the param's value for the entity."""
    def one(match):
        name = match.group(1)
        if name == variable:
            return entity.text or entity.name
        value = compiler.entity_param(name, entity.name, None)
        if isinstance(value, s.Quantity):                 # "11,2 %", as a text writes it
            return formatted(value.number, value.unit).replace("\u00a0", " ")
        return value if isinstance(value, str) else match.group(0)
    return re.sub(r"\{(\w+)\}", one, text)
