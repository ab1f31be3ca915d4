"""What changed between two rulesets (a peer and ours, or two years of one):
indicators, targets, points, weights and texts added, removed or changed."""

from __future__ import annotations

from . import model as m
from .formats import value as shown


def differences(old: m.Ruleset, new: m.Ruleset) -> list[str]:
    lines = []
    old_areas, new_areas = {a.id: a for a in old.areas}, {a.id: a for a in new.areas}
    for area_id in _ordered(old_areas, new_areas):
        a, b = old_areas.get(area_id), new_areas.get(area_id)
        if a is None:
            lines.append(f"+ area {area_id} \"{b.title}\"")
        elif b is None:
            lines.append(f"- area {area_id} \"{a.title}\"")
        else:
            lines += _changed(f"area {area_id}", [("title", a.title, b.title),
                                                  ("weight", _pct(a.weight), _pct(b.weight)),
                                                  ("target index", a.target_index, b.target_index)])
    old_ind, new_ind = {i.id: i for i in old.indicators}, {i.id: i for i in new.indicators}
    for ind_id in _ordered(old_ind, new_ind):
        a, b = old_ind.get(ind_id), new_ind.get(ind_id)
        if a is None:
            lines.append(f"+ indicator {ind_id} \"{b.text}\"")
        elif b is None:
            lines.append(f"- indicator {ind_id} \"{a.text}\"")
        else:
            lines += _changed(f"indicator {ind_id}", [
                ("target", _target(a), _target(b)), ("points", a.value, b.value), ("text", a.text, b.text),
                ("rule", _rule(a), _rule(b))])
    return lines


def _ordered(first: dict, second: dict) -> list[str]:
    return list(first) + [k for k in second if k not in first]


def _changed(what: str, pairs) -> list[str]:
    return [f"~ {what} {name}: {old} → {new}" for name, old, new in pairs if old != new]


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
