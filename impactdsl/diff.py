"""What changed between two rulesets (a peer and ours, or two years of one):
indicators, targets, points, weights and texts added, removed or changed."""

from __future__ import annotations

from . import model as m
from .formats import value as shown


def differences(old: m.Ruleset, new: m.Ruleset) -> list[str]:
    def area(a: m.Area):
        return [("title", a.title), ("weight", _pct(a.weight)), ("target index", a.target_index)]

    def indicator(i: m.Indicator):
        return [("target", _target(i)), ("points", i.value), ("text", i.text), ("rule", _rule(i))]
    return (_compare("area", old.areas, new.areas, lambda a: a.title, area)
            + _compare("indicator", old.indicators, new.indicators, lambda i: i.text, indicator))


def _compare(kind: str, old, new, name, fields) -> list[str]:
    """'+' added, '-' removed, '~' a field changed, in the old order then the new ones."""
    before, after = {x.id: x for x in old}, {x.id: x for x in new}
    lines = []
    for key in _ordered(before, after):
        a, b = before.get(key), after.get(key)
        if a is None:
            lines.append(f"+ {kind} {key} \"{name(b)}\"")
        elif b is None:
            lines.append(f"- {kind} {key} \"{name(a)}\"")
        else:
            lines += [f"~ {kind} {key} {field}: {x} → {y}"
                      for (field, x), (_, y) in zip(fields(a), fields(b)) if x != y]
    return lines


def _ordered(first: dict, second: dict) -> list[str]:
    return list(first) + [k for k in second if k not in first]


def _pct(value) -> str:
    return "–" if value is None else shown(value, "percent", "en")


def _target(i: m.Indicator) -> str:
    c = i.criterion
    if c is None:
        return f"{i.points} each up to {i.cap}"
    bound = shown(c.bound, c.unit, "en") if not isinstance(c.bound, bool) else str(c.bound)
    return f"{c.op} {bound}" + (f" and {shown(c.upper, c.unit, 'en')}" if c.op == "between" else "")


def _rule(i: m.Indicator) -> str:
    """What the indicator measures, without its target: a change here is a change of method."""
    return type(i.measure).__name__ + ("" if i.template is None else f" ({i.template})")
