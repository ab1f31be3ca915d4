"""What changed between two rulesets (a peer and ours, or two years of one):
indicators, targets, points, weights and texts added, removed or changed, in Swedish or English."""

from __future__ import annotations

from impactdsl.compile import model as m
from impactdsl.core.formats import value as shown
from impactdsl.core.kinds import Op, Unit

# The words of a diff's lines, by language: each line is the user's own text (titles, indicator texts),
# so a line is put together here, never cut or rewritten as a diagnostic's message is.
WORDS = {"sv": {"area": "målområde", "indicator": "indikator", "title": "rubrik", "weight": "vikt",
                "target index": "målindex", "target": "målvärde", "points": "poäng", "text": "text",
                "rule": "regel", "reads other data": "läser andra data", "written elsewhere": "skriven på annat ställe",
                "reported": "rapporterat", "todo": "att göra", "each up to": "per styck upp till", "and": "och",
                "between": "mellan"},
         "en": {}}                              # English: each word as it is written here


def _word(word: str, lang: str) -> str:
    return WORDS.get(lang, {}).get(word, word)


def differences(old: m.Ruleset, new: m.Ruleset, lang: str = "en") -> list[str]:
    """The changes, one line each, in `lang` ("sv" or "en"); what is compared is the same in both."""
    def area(a: m.Area):
        return [("title", a.title, a.title), ("weight", _pct(a.weight, lang), a.weight),
                ("target index", a.target_index, a.target_index)]

    def indicator(i: m.Indicator):
        return [("target", _target(i, lang), _target(i, "en")), ("points", i.value, i.value), ("text", i.text, i.text),
                ("rule", i.written or f"({_word('written elsewhere', lang)})", _rule(i))]
    return (_compare("area", old.areas, new.areas, lambda a: a.title, area, lang)
            + _compare("indicator", old.indicators, new.indicators, lambda i: i.text, indicator, lang))


def _compare(kind: str, old, new, name, fields, lang: str = "en") -> list[str]:
    """'+' added, '-' removed, '~' a field changed, in the old order then the new ones.
    `fields` gives (name, as shown, as compared) for each thing compared."""
    before, after = {x.id: x for x in old}, {x.id: x for x in new}
    kind_word = _word(kind, lang)
    lines = []
    for key in _ordered(before, after):
        a, b = before.get(key), after.get(key)
        if a is None:
            lines.append(f"+ {kind_word} {key} \"{name(b)}\"")
        elif b is None:
            lines.append(f"- {kind_word} {key} \"{name(a)}\"")
        else:
            lines += [f"~ {kind_word} {key} {_word(field, lang)}: "
                      + (f"{x} → {y}" if x != y else f"{x} ({_word('reads other data', lang)})")
                      for (field, x, cx), (_, y, cy) in zip(fields(a), fields(b)) if cx != cy]
    return lines


def _ordered(first: dict, second: dict) -> list[str]:
    return list(first) + [k for k in second if k not in first]


def _pct(value, lang: str = "en") -> str:
    return "–" if value is None else shown(value, Unit.PERCENT, lang)


def _target(i: m.Indicator, lang: str = "en") -> str:
    c = i.criterion
    if isinstance(i.measure, m.ReportedOf):
        return _word("reported", lang)
    if isinstance(i.measure, m.TodoOf) and c is None:
        return _word("todo", lang)
    if c is None:
        return f"{i.points} {_word('each up to', lang)} {i.cap}"

    def end(value, computed) -> str:                      # a computed target by its formula
        if computed is not None:
            return m.figure_text(computed)
        if isinstance(value, bool):
            return str(value) if lang == "en" else shown(value, c.unit, lang)
        return shown(value, c.unit, lang)
    op = _word(str(c.op), lang) if c.op == Op.BETWEEN else c.op
    return f"{op} {end(c.bound, c.bound_from)}" + (f" {_word('and', lang)} {end(c.upper, c.upper_from)}"
                                                   if c.op == Op.BETWEEN else "")


def _rule(i: m.Indicator):
    """Everything the indicator measures and awards besides its target and points: what it reads
    (question, group, answers, counts), its bonus and override. A change here is a change of method."""
    from impactdsl.compile.exchange import to_data

    return to_data((i.measure, i.bonus, i.override))
