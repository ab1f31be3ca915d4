"""A goal table (read/goal_table.py) → a ruleset draft (`impactdsl init DIR --from TABLE.xlsx`).

Every area, goal and indicator of the table with its text and points, each indicator's rule a
placeholder `att göra` (todo) holding what the table says of it: its target, where the table's
target column or the indicator's text states one unambiguously, and its points. The draft is
made as syntax and printed by the formatter, so every text from a cell is a quoted text and
nothing else (a cell reading `" -> 99 ; override met because "x` stays a text), and `fmt` leaves
the draft as it is.

The target read from a text is read conservatively: one percentage (or one range "40 % - 60 %")
in the whole text, with a word that says which way ("minst", "uppnå", "ska 35 %", "80 % av ...":
at least; "högst", "får inte överstiga": at most; "mindre än": less than), and no word of a
change or a distance ("bättre", "minskat", "5 % från", "ökning"), which would make it a target of
another kind. A bonus row gets no target (a bonus is judged against another indicator). Points
are the table's; a row whose points cell is empty takes them from its text when the text names
exactly one number of points ("berättigar det till 4 indexpoäng i bonus").

May import: `core`, `read` (as the parse stage)."""

from __future__ import annotations

import re
from fractions import Fraction

import attrs

from impactdsl.core.diagnostics import Diagnostic, Said, error
from impactdsl.core.kinds import Op, Unit
from impactdsl.core.redact import redact
from impactdsl.core.source import Source
from impactdsl.parse import syntax as s
from impactdsl.read.goal_table import GoalTable, Row

_N = r"(\d+(?:[.,]\d+)?)"
_PERCENT = re.compile(_N + r"\s*(?:%|procent\b)", re.I)
_RANGE = re.compile(_N + r"\s*(?:%|procent)?\s*[-–]\s*" + _N + r"\s*(?:%|procent\b)", re.I)
_CUES = {                                   # the words before a percentage that say which way a target goes
    Op.AT_LEAST: re.compile(r"\b(?:minst|uppnå|ska\s+vara|ska|at\s+least)\s+" + _N + r"\s*(?:%|procent)", re.I),
    Op.AT_MOST: re.compile(r"\b(?:högst|maximalt|max|inte\s+överstiga|ej\s+överstiga|at\s+most)\s+" + _N
                           + r"\s*(?:%|procent)", re.I),
    Op.LESS_THAN: re.compile(r"\b(?:mindre|lägre)\s+än\s+" + _N + r"\s*(?:%|procent)", re.I),
}
_OPENING_SHARE = re.compile(r"^\s*" + _N + r"\s*(?:%|procent)\s+av\b", re.I)   # "80 % av personalen ..."
_CHANGE = re.compile(r"\b(?:bättre|sämre|förbättr|försämr|ökat|ökning|öka\b|minskat|minskning|minska\b|jämfört"
                     r"|året innan|föregående)|%\s*från\b", re.I)
_POINTS_IN_TEXT = re.compile(r"(\d+)\s+(?:index)?poäng", re.I)
_CELL_TARGET = re.compile(r"\s*(>=|<=|≥|≤|<|>|minst|högst|mindre än|mer än|at least|at most)?\s*" + _N
                          + r"\s*(%|procent|pp)?\s*", re.I)
_CELL_WORDS = {">=": Op.AT_LEAST, "≥": Op.AT_LEAST, "minst": Op.AT_LEAST, "at least": Op.AT_LEAST,
               "<=": Op.AT_MOST, "≤": Op.AT_MOST, "högst": Op.AT_MOST, "at most": Op.AT_MOST,
               "<": Op.LESS_THAN, "mindre än": Op.LESS_THAN, ">": Op.MORE_THAN, "mer än": Op.MORE_THAN}


_WAYS = {Op.AT_LEAST: re.compile(r"\b(?:minst|uppnå|at least)\b", re.I),     # the way a text's words point
         Op.AT_MOST: re.compile(r"\b(?:högst|maximalt|inte\s+överstiga|ej\s+överstiga|at most)\b", re.I),
         Op.LESS_THAN: re.compile(r"\b(?:mindre|lägre|färre)\s+än\b|\bless than\b", re.I),
         Op.MORE_THAN: re.compile(r"\b(?:mer|fler|högre)\s+än\b|\bmore than\b", re.I)}


@attrs.frozen
class Draft:
    """The draft's text and what it holds, counted (the command line says it, the tests read it)."""

    text: str
    areas: int
    goals: int
    indicators: int
    bonus_rows: int
    targets: int                        # placeholders with a target
    points: int                         # placeholders with points
    points_from_text: int               # ... of which the points were read from the row's text


def _number(text: str) -> Fraction:
    return Fraction(text.replace(",", "."))


def _quantity(value: Fraction, unit: str = Unit.PERCENT) -> s.Quantity:
    return s.Quantity(value, unit)


def stated_target(text: str) -> s.Comparison | None:
    """The target an indicator's text states, read conservatively (the module's docstring), or None."""
    if _CHANGE.search(text):
        return None
    values = {_number(m.group(1)) for m in _PERCENT.finditer(text)}
    ranges = {(_number(m.group(1)), _number(m.group(2))) for m in _RANGE.finditer(text)}
    if len(ranges) == 1:
        low, high = next(iter(ranges))
        if values == {low, high} and low < high:
            return s.Comparison(Op.BETWEEN, _quantity(low), _quantity(high))
        return None
    if len(values) != 1 or ranges:
        return None
    (value,) = values
    found = {op for op, cue in _CUES.items() if any(_number(m.group(1)) == value for m in cue.finditer(text))}
    if any(_number(m.group(1)) == value for m in _OPENING_SHARE.finditer(text)):
        found.add(Op.AT_LEAST)
    if len(found) != 1:
        return None
    return s.Comparison(found.pop(), _quantity(value))


def cell_target(cell: str, text: str) -> s.Comparison | None:
    """The target column's value: '40%', '40 %', 'minst 40 %', '>= 40%', 'högst 10 %', '40-60 %', '12';
    a value without a word takes its direction from the text ('högst', 'mindre än'), else at least;
    a text whose words point both ways gives no target."""
    cell = " ".join(cell.split())
    if not cell:
        return None
    span = _RANGE.fullmatch(cell)
    if span:
        low, high = _number(span.group(1)), _number(span.group(2))
        return s.Comparison(Op.BETWEEN, _quantity(low), _quantity(high)) if low < high else None
    match = _CELL_TARGET.fullmatch(cell)
    if match is None:
        return None
    word, number, unit = match.group(1), _number(match.group(2)), (match.group(3) or "").casefold()
    quantity = _quantity(number, Unit.PP if unit == "pp" else Unit.PERCENT if unit else Unit.NUMBER)
    if word:
        op = _CELL_WORDS[word.casefold()]
    else:
        said = stated_target(text)
        ways = {said.op} if said is not None and said.op != Op.BETWEEN else \
            {op for op, words in _WAYS.items() if words.search(text)}
        if len(ways) > 1:                       # the text says both ways: no target is guessed
            return None
        op = ways.pop() if ways else Op.AT_LEAST
    return s.Comparison(op, quantity)


def _points(row: Row) -> tuple[int | None, bool]:
    """The row's points, and whether they were read from its text."""
    if row.points is not None:
        return row.points, False
    found = {int(m.group(1)) for m in _POINTS_IN_TEXT.finditer(row.text)}
    return (found.pop(), True) if len(found) == 1 else (None, False)


def held(counts, lang: str) -> str:
    """What a draft holds, in words: '5 målområden, 21 mål, 99 indikatorer och 4 bonusrader'."""
    words = {"sv": (("målområde", "målområden"), ("mål", "mål"), ("indikator", "indikatorer"),
                    ("bonusrad", "bonusrader"), "och"),
             "en": (("area", "areas"), ("goal", "goals"), ("indicator", "indicators"), ("bonus row", "bonus rows"),
                    "and")}[lang]
    numbers = [counts[k] if isinstance(counts, dict) else getattr(counts, k)
               for k in ("areas", "goals", "indicators", "bonus_rows")]
    parts = [f"{n} {one if n == 1 else many}" for n, (one, many) in zip(numbers, words[:4])]
    return f"{', '.join(parts[:3])} {words[4]} {parts[3]}"


def draft(table: GoalTable, name: str, keywords: str = "sv") -> tuple[Draft | None, list[Diagnostic]]:
    """The draft ruleset of a goal table, in Swedish keywords (or `keywords` 'en')."""
    from impactdsl.parse.parser import parse
    from impactdsl.parse.printer import format_source

    statements: list = [s.Setting("ruleset", (name,))]
    targets = points = from_text = indicators = bonus_rows = 0
    for area in table.areas:
        statements.append(s.AreaDecl(area.id, area.title))
        for goal in area.goals:
            statements.append(s.GoalDecl(goal.id, goal.text))
            for row in goal.rows:
                target = None if row.is_bonus else (cell_target(row.target, row.text) if row.target
                                                     else stated_target(row.text))
                row_points, read = _points(row)
                targets += target is not None
                points += row_points is not None
                from_text += read
                bonus_rows += row.is_bonus
                indicators += not row.is_bonus
                statements.append(s.IndicatorDecl(row.id, row.text, s.TodoRule(target, row_points), row.is_bonus))
    counts = dict(areas=len(table.areas), goals=len(table.goals), indicators=indicators, bonus_rows=bonus_rows,
                  targets=targets, points=points, points_from_text=from_text)
    shown = redact(table.path.rsplit("/", 1)[-1], 200)
    if keywords == "sv":
        head = [f"# Utkast ur måltabellen {shown} (impactdsl init --from):",
                f"# {held(counts, 'sv')}.",
                "# Varje regel är en platshållare, 'att göra', med målvärdet där tabellen eller",
                "# texten anger det entydigt, och poängen; 'impactdsl check' listar dem. Ersätt",
                "# 'att göra' med ett mått: 'att göra >= 40% -> 8' blir t.ex.",
                "# 'kvot(avslut, deltagare) >= 40% -> 8'."]
    else:
        head = [f"# A draft from the goal table {shown} (impactdsl init --from):",
                f"# {held(counts, 'en')}.",
                "# Each rule is a placeholder, 'todo', with the target where the table or the",
                "# text states it unambiguously, and the points; 'impactdsl check' lists them.",
                "# Replace 'todo' with a measure: 'todo >= 40% -> 8' becomes e.g.",
                "# 'ratio(avslut, deltagare) >= 40% -> 8'."]
    body = format_source(s.Document("ruleset.impact", tuple(statements)), Source("ruleset.impact", ""), keywords)
    text = "\n".join(head) + "\n" + body
    source = Source("ruleset.impact", text)
    document, problems = parse(source)
    if document is None or format_source(document, source) != text:
        return None, list(problems) or [error("goal-table", Said(
            f"{table.path}: utkastet kunde inte skrivas så att det läses tillbaka likadant",
            f"{table.path}: the draft could not be written so that it reads back the same"))]
    return Draft(text, **counts), []
