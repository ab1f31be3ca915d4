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

from impactdsl.compile.rewrite import DROP, rewrite
from impactdsl.compile.scope import Problems, Scope
from impactdsl.core.diagnostics import Said
from impactdsl.core.formats import value as formatted
from impactdsl.core.limits import Limits
from impactdsl.parse import syntax as s


def expand(statements, scope: Scope, problems: Problems, limits: Limits) -> list:
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
            entities = scope.lists.get(statement.entities.name, ())
            made += len(entities) * len(statement.indicators)
            if made > limits.indicators:           # refused before a single copy is made
                problems.error("ruleset-size", Said(f"för varje-blocken ger fler än {limits.indicators} indikatorer",
                                                    f"the each blocks make more than {limits.indicators} "
                                                    "indicators"), statement.span,
                               Said("ett regelverk med så många indikatorer läser ingen styrelse; dela upp det, "
                                    "eller använd färre enheter",
                                    "a ruleset of so many indicators is read by no board; split it, or use fewer "
                                    "entities"))
                return out
            out += _instances(statement, goal, used, scope, problems)
        else:
            out.append(statement)
    return out


def _count(indicator_id: str, used: dict[str, int]) -> None:
    prefix, _, last = indicator_id.rpartition(".")
    if last.isdigit():
        used[prefix] = max(used.get(prefix, 0), int(last))


def _instances(block: s.EachBlock, goal: str | None, used: dict[str, int], scope: Scope,
               problems: Problems) -> list:
    entities = scope.lists.get(block.entities.name)
    if entities is None:
        problems.unknown(Said("okänd lista med enheter", "unknown list of entities"), block.entities.name,
                         scope.lists, block.entities.span,
                         extra=Said("deklarera den: enheter NAMN: nyckel \"etikett\", ...",
                                    "declare it: entities NAME: key \"label\", ..."))
        return []
    out = []
    for entity in entities:
        for decl in block.indicators:
            indicator_id = decl.id
            if indicator_id.endswith(".*"):
                prefix = indicator_id[:-2]
                if goal is not None and prefix != goal:
                    problems.error("structure", Said(f"{indicator_id} i ett för varje-block numreras under {prefix}, "
                                                     f"men står under målet {goal}",
                                                     f"{indicator_id} in an each block is numbered under {prefix}, "
                                                     f"but it stands under goal {goal}"), decl.id_span,
                                   Said(f"skriv {goal}.* eller flytta blocket", f"write {goal}.* or move the block"))
                used[prefix] = used.get(prefix, 0) + 1
                indicator_id = f"{prefix}.{used[prefix]}"
            else:
                _count(indicator_id, used)
            mark = problems.mark()
            made = _instance(decl, block.variable, entity, indicator_id, scope, problems)
            if not problems.failed_since(mark):     # a missing value is reported once, not cascaded
                out.append(made)
    return out


def _instance(decl: s.IndicatorDecl, variable: str, entity, indicator_id: str, scope: Scope,
              problems: Problems) -> s.IndicatorDecl:
    def put(node):
        if isinstance(node, s.Ref):
            if node.key is not None:
                key = "/".join(entity.name if part == variable else part for part in node.key.split("/"))
                return attrs.evolve(node, key=key)
            value = scope.entity_param(node.name, entity.name, node.span, problems)
            return value if value is not None else node
        return DROP if _for_other(node, entity.name) else None
    rule = rewrite(decl.rule, put)
    if isinstance(rule, s.PointsRule) and isinstance(rule.points, s.Quantity):   # a per-entity param
        rule = attrs.evolve(rule, points=int(rule.points.number))
    return attrs.evolve(decl, id=indicator_id, text=_fill(decl.text, variable, entity, scope, problems), rule=rule)


def _for_other(node, entity: str) -> bool:
    return isinstance(node, (s.OverrideClause, s.NoteClause)) and node.entity not in (None, entity)


def _fill(text: str, variable: str, entity, scope: Scope, problems: Problems) -> str:
    """`{kommun}` → the entity's label; `{param}` → the param's value for the entity."""
    def one(match):
        name = match.group(1)
        if name == variable:
            return entity.text or entity.name
        value = scope.entity_param(name, entity.name, None, problems)
        if isinstance(value, s.Quantity):                 # "11,2 %", as a text writes it
            return formatted(value.number, value.unit).replace("\u00a0", " ")
        return value if isinstance(value, str) else match.group(0)
    return re.sub(r"\{(\w+)\}", one, text)
