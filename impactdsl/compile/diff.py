"""What changed between two rulesets (a peer and ours, or two years of one):
indicators, targets, points, weights and texts added, removed or changed."""

from __future__ import annotations

from impactdsl.compile import model as m
from impactdsl.core.formats import value as shown
from impactdsl.core.kinds import Op, Unit


def differences(old: m.Ruleset, new: m.Ruleset) -> list[str]:
    def area(a: m.Area):
        return [("title", a.title, a.title), ("weight", _pct(a.weight), a.weight),
                ("target index", a.target_index, a.target_index)]

    def indicator(i: m.Indicator):
        return [("target", _target(i), _target(i)), ("points", i.value, i.value), ("text", i.text, i.text),
                ("rule", i.written or "(written elsewhere)", _rule(i))]
    return (_compare("area", old.areas, new.areas, lambda a: a.title, area)
            + _compare("indicator", old.indicators, new.indicators, lambda i: i.text, indicator))


def _compare(kind: str, old, new, name, fields) -> list[str]:
    """'+' added, '-' removed, '~' a field changed, in the old order then the new ones.
    `fields` gives (name, as shown, as compared) for each thing compared."""
    before, after = {x.id: x for x in old}, {x.id: x for x in new}
    lines = []
    for key in _ordered(before, after):
        a, b = before.get(key), after.get(key)
        if a is None:
            lines.append(f"+ {kind} {key} \"{name(b)}\"")
        elif b is None:
            lines.append(f"- {kind} {key} \"{name(a)}\"")
        else:
            lines += [f"~ {kind} {key} {field}: " + (f"{x} → {y}" if x != y else f"{x} (reads other data)")
                      for (field, x, cx), (_, y, cy) in zip(fields(a), fields(b)) if cx != cy]
    return lines


def _ordered(first: dict, second: dict) -> list[str]:
    return list(first) + [k for k in second if k not in first]


def _pct(value) -> str:
    return "–" if value is None else shown(value, Unit.PERCENT, "en")


def _target(i: m.Indicator) -> str:
    c = i.criterion
    if isinstance(i.measure, m.ReportedOf):
        return "reported"
    if isinstance(i.measure, m.TodoOf) and c is None:
        return "todo"
    if c is None:
        return f"{i.points} each up to {i.cap}"

    def end(value, computed) -> str:                      # a computed target by its formula
        if computed is not None:
            return m.figure_text(computed)
        return shown(value, c.unit, "en") if not isinstance(value, bool) else str(value)
    return f"{c.op} {end(c.bound, c.bound_from)}" + (f" and {end(c.upper, c.upper_from)}" if c.op == Op.BETWEEN
                                                      else "")


def _rule(i: m.Indicator):
    """Everything the indicator measures and awards besides its target and points: what it reads
    (question, group, answers, counts), its bonus and override. A change here is a change of method."""
    from impactdsl.compile.exchange import to_data

    return to_data((i.measure, i.bonus, i.override))
