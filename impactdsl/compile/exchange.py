"""The compiled ruleset as canonical YAML, and back: the exchange format.

Every model class is written as a mapping with its class name under `type`
and its fields in declared order; numbers are exact ("56/5" for 11,2). Only
the model's own classes are read back, by name from a fixed table, so a file
cannot make anything else: a peer's YAML is data, never code. YAML is read
with the safe loader, refusing aliases and more nodes than the limit allows
before anything is built (an alias bomb stops at once), and every field is
checked against its declared type before its object is made."""

from __future__ import annotations

import functools
import re
import types
import typing
from fractions import Fraction

import attrs

from impactdsl.compile import model as m
from impactdsl.compile.measures import DIMENSION_UNITS
from impactdsl.core.arithmetic import Rounding
from impactdsl.core.diagnostics import Said
from impactdsl.core.kinds import Op, RowOp, Status, Term, Unit
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.redact import holds_identity

CLASSES = {cls.__name__: cls for cls in (
    m.Settings, m.Scale, m.Question, m.Described, m.RowCondition, m.Count, *m.MEASURES, m.Criterion, m.Bonus,
    m.Override, m.Indicator, m.Goal, m.Area, m.GradeRule, m.GradeCondition, m.Judged, m.Word, m.IndexRule,
    m.StatusLevel, m.Band, m.PointBand, m.Method, m.Cell, m.Column, m.Table, m.Ruleset, Rounding)}
SKIPPED = {"span", "path", "sha256", "templates", "imports", "inputs", "written"}
FORMAT = "impactdsl-ruleset/1"


class ExchangeError(Exception):
    """A YAML text that is not an exported ruleset; `said` says why, in Swedish and in English
    (and the English is the exception's text, `str(error)`)."""

    def __init__(self, said: Said):
        super().__init__(said.en)
        self.said = said


def to_data(value):
    if isinstance(value, str):
        return str(value)                   # a kind (Unit.PERCENT) as the plain text it spells
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if isinstance(value, frozenset):
        return {"set": sorted(to_data(v) for v in value)}
    if isinstance(value, tuple):
        return [to_data(v) for v in value]
    if attrs.has(type(value)):
        out = {"type": type(value).__name__}
        for f in attrs.fields(type(value)):
            if f.name not in SKIPPED:
                out[f.name] = to_data(getattr(value, f.name))
        return out
    raise TypeError(f"cannot export {type(value).__name__}")


def to_yaml(ruleset: m.Ruleset) -> str:
    import yaml

    document = {"format": FORMAT, "ruleset": to_data(ruleset)}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)


def from_data(data, limits: Limits = DEFAULT):
    if isinstance(data, list):
        return tuple(from_data(v, limits) for v in data)
    if isinstance(data, dict):
        if set(data) == {"set"}:
            return frozenset(from_data(v, limits) for v in _listed(data["set"]))
        cls = CLASSES.get(data.get("type")) if isinstance(data.get("type"), str) else None
        if cls is None:
            kind = str(data.get('type'))[:30]
            raise ExchangeError(Said(f"okänt slags objekt '{kind}'", f"unknown kind of object '{kind}'"))
        hints = _hints(cls)
        extra = set(data) - set(hints) - {"type"}
        if extra:
            field = str(sorted(map(str, extra))[0])[:30]
            raise ExchangeError(Said(f"{cls.__name__} har inget fält '{field}'",
                                     f"{cls.__name__} has no field '{field}'"))
        fields = {k: _field(cls, k, v, hints[k], limits) for k, v in data.items() if k != "type"}
        if cls is m.RowCondition and "values" in fields:
            fields["values"] = _condition_values(fields)
        for name, value in fields.items():
            allowed = CHECKS.get(cls.__name__, {}).get(name)
            if not _conforms(value, hints[name]) or (allowed is not None and not allowed(value)):
                raise ExchangeError(Said(f"{cls.__name__}.{name} har ett värde som impactdsl inte känner till: "
                                         f"{str(value)[:30]!r}",
                                         f"{cls.__name__}.{name} has a value impactdsl does not know: "
                                         f"{str(value)[:30]!r}"))
        try:
            return cls(**fields)
        except TypeError as exc:
            raise ExchangeError(Said(f"{cls.__name__} går inte att skapa: {exc}", f"{cls.__name__}: {exc}")) from None
    return data


def _listed(value):
    if not isinstance(value, list):
        raise ExchangeError(Said("en mängd skrivs som en lista", "a set is written as a list"))
    return value


@functools.cache
def _hints(cls) -> dict:
    """Each field's declared type, resolved: what an exported file must give it."""
    attrs.resolve_types(cls, globalns=vars(m))
    return {f.name: f.type for f in attrs.fields(cls) if f.name not in SKIPPED}


def _holds_fraction(hint) -> bool:
    return hint is Fraction or Fraction in typing.get_args(hint)


def _conforms(value, hint) -> bool:
    """Whether `value` is of the declared type: the model's field types checked generically, so a
    file can give no field a kind of value the evaluator would trip over."""
    origin = typing.get_origin(hint)
    if hint is type(None):
        return value is None
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, option) for option in typing.get_args(hint))
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_conforms(v, args[0]) for v in value)
        return len(args) == len(value) and all(_conforms(v, a) for v, a in zip(value, args))
    if origin is frozenset:
        return isinstance(value, frozenset) and all(_conforms(v, typing.get_args(hint)[0]) for v in value)
    if hint is tuple:
        return isinstance(value, tuple) and all(isinstance(v, (str, Fraction)) for v in value)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(hint, type) and isinstance(value, hint)


def _condition_values(fields: dict) -> tuple:
    """A register condition's values: numbers where the condition compares numbers (age, < …)."""
    values = fields["values"]
    if not isinstance(values, tuple):
        return values
    if fields.get("op") in NUMERIC_ROW_OPS or fields.get("field") == "age":
        return tuple(_fraction(v, "RowCondition.values") if isinstance(v, str) else v for v in values)
    return values


NUMERIC_ROW_OPS = tuple(op for op in RowOp if op.numeric)


def _one_of(*values):
    return lambda value: value in values


def _an_id(value) -> bool:
    """An id as the language writes them (1.2.4), each part a number of at most 15 digits."""
    return re.fullmatch(r"[0-9]{1,15}(\.[0-9]{1,15})*", value) is not None


def _number(value) -> bool:
    return isinstance(value, (Fraction, int)) and not isinstance(value, bool)


# What a field may hold beyond its type, for every field whose values the evaluator distinguishes:
# an exported ruleset is checked as strictly as a compiled one.
CHECKS = {
    "Criterion": {"op": _one_of(*Op),
                  "unit": _one_of(Unit.PERCENT, Unit.PP, Unit.RELATIVE, Unit.NUMBER, Unit.YES_NO)},
    "Indicator": {"id": _an_id, "points": lambda v: v >= 0, "cap": lambda v: v is None or v >= 0},
    "Goal": {"id": _an_id},
    "Area": {"id": _an_id},
    "Bonus": {"points": lambda v: v >= 0},
    "Override": {"outcome": _one_of(None, Status.MET, Status.MISSED), "points": lambda v: v is None or v >= 0},
    "Rounding": {"mode": _one_of("half-up", "half-even", "none"), "step": lambda v: v > 0},
    "FactOf": {"kind": _one_of(Unit.PERCENT, Unit.NUMBER, Unit.YES_NO, Unit.TKR),
               "period": lambda v: v is None or v in m.YEARS},
    "Constant": {"unit": _one_of(Unit.PERCENT, Unit.NUMBER, Unit.PP, Unit.RELATIVE)},
    "ChangeOf": {"direction": _one_of("increase", "decrease")},
    "Arithmetic": {"op": _one_of("+", "-", "*", "/"), "dimension": _one_of(*DIMENSION_UNITS),
                   "factor": _one_of(Fraction(1), Fraction(1, 100), Fraction(100))},
    "Extreme": {"kind": _one_of("min", "max"), "dimension": _one_of(*DIMENSION_UNITS), "parts": bool},
    "SumOf": {"dimension": _one_of(*DIMENSION_UNITS), "parts": bool},
    "CountOf": {"period": lambda v: v is None or v in m.YEARS},
    "GradeRule": {"level": _one_of("goal", "area")},
    "GradeCondition": {"kind": _one_of("share_short", "part_short", "all", "at_least", "none"),
                       "unit": _one_of(Unit.PERCENT, Unit.PP, Unit.RELATIVE, Unit.NUMBER)},
    "StatusLevel": {"role": _one_of(*Status), "colour": lambda v: re.fullmatch(r"#[0-9a-f]{6}", v) is not None},
    "Band": {"kind": _one_of("distance", "share"), "side": _one_of("of", "below", "above"),
             "unit": _one_of(Unit.PERCENT, Unit.PP, Unit.RELATIVE, Unit.NUMBER), "amount": lambda v: v >= 0},
    "Word": {"word": _one_of(*Term)},
    "PointBand": {"points": lambda v: v >= 0},
    "Table": {"kind": _one_of("table", "followup")},
    "Column": {"unit": _one_of(*Unit.shown())},
    "RowCondition": {"op": _one_of(*RowOp)},
    "Settings": {"minimum_n": lambda v: v >= 1, "minimum_assessed": lambda v: v >= 1,
                 "missing_limit": lambda v: v is None or 0 <= v <= 100},
}


def _fraction(value: str, where: str, limits: Limits = DEFAULT) -> Fraction:
    """An exact number as exported ("56/5", "-3"): refused, before any arithmetic, when it is not
    one or has more digits than a number may have."""
    most = 2 * limits.number_digits           # a ruleset's 15 digits and 15 decimals make parts this long
    if len(value) > 2 * most + 2 or any(sum(c.isdigit() for c in part) > most for part in value.split("/")):
        raise ExchangeError(Said(f"{where} har en del med fler än {most} siffror, fler än något tal impactdsl läser",
                                 f"{where} has a part of more than {most} digits, more than any number impactdsl "
                                 "reads"))
    if not re.fullmatch(r"-?[0-9]+(/[0-9]+)?", value) or value.endswith("/0"):
        raise ExchangeError(Said(f"{where} är inget tal: '{value[:20]}'", f"{where} is not a number: '{value[:20]}'"))
    if holds_identity(value):
        raise ExchangeError(Said(f"{where} ser ut som ett personnummer",
                                 f"{where} looks like a personal identity number"))
    return Fraction(value)


def _field(cls, name: str, value, hint, limits: Limits):
    if _holds_fraction(hint) and isinstance(value, (str, int)) and not isinstance(value, bool):
        return _fraction(str(value), f"{cls.__name__}.{name}", limits)
    return from_data(value, limits)


def from_yaml(text: str, limits: Limits = DEFAULT) -> m.Ruleset:
    from impactdsl.read.safe_yaml import YamlRefused, load

    if len(text.encode("utf-8")) > limits.file_bytes:
        raise ExchangeError(Said(f"större än {limits.file_bytes} byte", f"larger than {limits.file_bytes} bytes"))
    try:
        document = load(text, limits.yaml_nodes, limits)
    except YamlRefused as exc:
        raise ExchangeError(Said.joined(Said(f"rad {exc.line}: ", f"line {exc.line}: "), exc.message)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExchangeError(Said(f"inget exporterat impactdsl-regelverk (väntat format: {FORMAT})",
                                 f"not an exported impactdsl ruleset (expected format: {FORMAT})"))
    ruleset = from_data(document.get("ruleset"), limits)
    if not isinstance(ruleset, m.Ruleset):
        raise ExchangeError(Said("filen innehåller inget regelverk", "the file holds no ruleset"))
    check_meaning(ruleset, limits)
    return ruleset


def check_meaning(ruleset: m.Ruleset, limits: Limits = DEFAULT) -> None:
    """What the compiler guarantees of every ruleset it makes, asked of one read from YAML: the
    evaluator and the reports rely on it, and a file can set any field to any value of its type."""
    settings = ruleset.settings
    for year in (settings.period, settings.previous_period):
        if year is not None and year not in m.YEARS:
            raise ExchangeError(Said(f"Settings: en period är ett år från {m.YEARS.start} till {m.YEARS.stop - 1}",
                                     f"Settings: a period is a year from {m.YEARS.start} to {m.YEARS.stop - 1}"))
    for scale in ruleset.scales + tuple(q.scale for q in ruleset.questions):
        if len(scale.labels) != len(scale.answers) or len(set(scale.answers)) != len(scale.answers):
            raise ExchangeError(Said(f"Scale {scale.name[:30]}: varje svar en gång, vart och ett med sin etikett",
                                     f"Scale {scale.name[:30]}: every answer once, each with its label"))
        if any(not subset <= set(scale.answers) for _, subset in scale.subsets):
            raise ExchangeError(Said(f"Scale {scale.name[:30]}: en delmängd har ett svar som skalan saknar",
                                     f"Scale {scale.name[:30]}: a subset holds an answer the scale has not"))
    indicators = ruleset.indicators
    ids = {i.id for i in indicators}
    if len(ids) != len(indicators):
        raise ExchangeError(Said("två indikatorer har samma id", "two indicators have the same id"))
    cells = sum((len(t.rows) + 1) * sum(1 + len(c.split) for c in t.columns) for t in ruleset.tables)
    for what, count, most in ((Said("indikatorer", "indicators"), len(indicators), limits.indicators),
                              (Said("betyg", "grades"), len(ruleset.grades), limits.grades),
                              (Said("tabellceller", "table cells"), cells, limits.table_cells)):
        if count > most:
            raise ExchangeError(Said(f"{count} {what.sv}, fler än de {most} ett regelverk får ha",
                                     f"{count} {what.en}, more than the {most} a ruleset may hold"))
    uses = {}
    for indicator in indicators:
        where = f"Indicator {indicator.id}"
        reported = isinstance(indicator.measure, m.ReportedOf)
        todo = isinstance(indicator.measure, m.TodoOf)             # a placeholder: its target, if known
        if reported and (indicator.measure.indicator != indicator.id or indicator.criterion is not None
                         or indicator.cap is not None):
            raise ExchangeError(Said(f"{where}: en rapporterad bedömning hör till sin egen indikator, utan jämförelse "
                                     "eller tak",
                                     f"{where}: a reported status is its own indicator's, with no comparison or cap"))
        if todo and (indicator.measure.indicator != indicator.id or indicator.cap is not None
                     or indicator.bonus is not None or indicator.override is not None
                     or (indicator.criterion is not None and indicator.criterion.computed)):
            raise ExchangeError(Said(f"{where}: en platshållare (att göra) hör till sin egen indikator, med högst "
                                     "ett målvärde",
                                     f"{where}: a placeholder (todo) is its own indicator's, with a target at most"))
        if not reported and not todo and (indicator.criterion is None) != (indicator.cap is not None):
            raise ExchangeError(Said(f"{where}: poäng per styck har ett tak och ingen jämförelse, andra regler har "
                                     "en jämförelse",
                                     f"{where}: points per unit have a cap and no comparison, others a comparison"))
        for points in (indicator.points, indicator.cap, indicator.bonus and indicator.bonus.points,
                       indicator.override and indicator.override.points):
            if points is not None and not 0 <= points <= limits.points:
                raise ExchangeError(Said(f"{where}: poäng är från 0 till {limits.points}",
                                         f"{where}: points are from 0 to {limits.points}"))
        override = indicator.override
        if override is not None and (override.outcome is None) == (override.points is None):
            raise ExchangeError(Said(f"{where}: en ändring anger ett utfall eller poäng, ett av de två",
                                     f"{where}: an override sets an outcome or points, one of the two"))
        for what, _, old in indicator.origin:
            if what not in ORIGINS:
                raise ExchangeError(Said(f"{where}: inget ursprung '{what[:30]}'", f"{where}: no origin '{what[:30]}'"))
            if what == "target":
                number, _, unit = old.partition("|")
                _fraction(number, f"{where}: the peer's target", limits)
                if unit not in (Unit.PERCENT, Unit.PP, Unit.RELATIVE, Unit.NUMBER, Unit.YES_NO):
                    raise ExchangeError(Said(f"{where}: målvärdet i det andra förbundets regelverk har ingen enhet "
                                             "som impactdsl känner till",
                                             f"{where}: the peer's target has no unit impactdsl knows"))
        for criterion in (indicator.criterion, indicator.bonus and indicator.bonus.criterion):
            two = criterion is not None and criterion.op in TWO_NUMBERS
            if criterion is not None and (criterion.upper is None) == two:
                raise ExchangeError(Said(f"{where}: '{criterion.op}' jämför med {'två tal' if two else 'ett'}",
                                         f"{where}: '{criterion.op}' compares with {'two numbers' if two else 'one'}"))
        uses[indicator.id] = []
        computed = [c for c in (indicator.criterion.bound_from, indicator.criterion.upper_from)
                    if c is not None] if indicator.criterion is not None else []
        nodes = [n for root in (indicator.measure, *computed) for n in _nodes(root)]
        if any(isinstance(n, (m.ReportedOf, m.TodoOf)) for n in nodes[0 if not (reported or todo) else 1:]):
            raise ExchangeError(Said(f"{where}: en rapporterad bedömning eller en platshållare står ensam, aldrig "
                                     "inuti ett värde",
                                     f"{where}: a reported status or a placeholder stands alone, never inside a "
                                     "figure"))
        for node in nodes:
            if hasattr(node, "answers") and isinstance(getattr(node, "question", None), m.Question) \
                    and not (node.answers and node.answers <= set(node.question.scale.answers)):
                raise ExchangeError(Said(f"{where}: en andel räknar svar som frågans skala saknar",
                                         f"{where}: a share counts answers its question's scale has not"))
            if isinstance(node, m.OutcomeOf):
                if node.indicator not in ids:
                    raise ExchangeError(Said(f"{where}: outcome({node.indicator[:30]}) anger ingen indikator",
                                             f"{where}: outcome({node.indicator[:30]}) names no indicator"))
                uses[indicator.id].append(node.indicator)
    _check_outcome_chains(uses, limits)
    _check_method(ruleset.method)
    for table in ruleset.tables:
        if not table.rows or not table.columns:
            raise ExchangeError(Said(f"Table {table.name[:30]}: en tabell har rader och kolumner",
                                     f"Table {table.name[:30]}: a table has rows and columns"))
        for column in table.columns:
            if len(column.cells) != len(table.rows) or len(column.split) != len(column.total.splits):
                raise ExchangeError(Said(f"Table {table.name[:30]}: varje kolumn har en cell för varje rad",
                                         f"Table {table.name[:30]}: every column has a cell for every row"))
            for cell in column.cells + (column.total,):
                for node in (n for root in (cell.measure, *(part for _, part in cell.splits)) for n in _nodes(root)):
                    if isinstance(node, (m.ReportedOf, m.TodoOf)):
                        raise ExchangeError(Said(f"Table {table.name[:30]}: en tabells cell är ett värde, inte en "
                                                 "bedömning",
                                                 f"Table {table.name[:30]}: a table's cell is a figure, not a status"))
                    if isinstance(node, m.OutcomeOf) and node.indicator not in ids:
                        raise ExchangeError(Said(f"Table {table.name[:30]}: outcome({node.indicator[:30]}) anger "
                                                 "ingen indikator",
                                                 f"Table {table.name[:30]}: outcome({node.indicator[:30]}) names no "
                                                 "indicator"))


def _check_method(method: m.Method) -> None:
    """What the evaluator and the reports take for granted of a method: one status per role (but
    partly), each with a colour a report may print, and grades naming only what there is."""
    roles = [x.role for x in method.statuses]
    for role in Status:
        if role != Status.PARTLY and roles.count(role) != 1:
            raise ExchangeError(Said(f"Method: en bedömning ska vara '{role}', {roles.count(role)} är det",
                                     f"Method: one status is '{role}', {roles.count(role)} are"))
    if len({x.name for x in method.statuses}) != len(method.statuses):
        raise ExchangeError(Said("Method: två bedömningar har samma namn", "Method: two statuses have the same name"))
    for level in method.statuses:
        if (level.role == Status.PARTLY) != (level.band is not None):
            raise ExchangeError(Said(f"Status {level.name[:30]}: en bedömning mellan uppnått och ej uppnått har ett "
                                     "intervall",
                                     f"Status {level.name[:30]}: a status between met and missed has a band"))
    names = {x.name for x in method.statuses}
    for grade in method.grades:
        if grade.is_status and grade.name not in names:          # its level: CHECKS
            raise ExchangeError(Said(f"GradeRule {grade.name[:30]}: ett betyg som anger en bedömning som finns",
                                     f"GradeRule {grade.name[:30]}: a grade naming a status there is"))
        for c in grade.conditions:
            if (c.kind in ("share_short", "part_short")) != (c.status is None) \
                    or (c.kind not in ("all", "none")) == (c.amount is None):
                raise ExchangeError(Said(f"GradeRule {grade.name[:30]}: inget sådant villkor",
                                         f"GradeRule {grade.name[:30]}: no such condition"))
    for level in ("goal", "area"):
        rules = method.grades_of(level)
        if rules and (rules[-1].conditions or any(not r.conditions for r in rules[:-1])):
            raise ExchangeError(Said(f"betygen för {'mål' if level == 'goal' else 'målområden'} slutar med ett "
                                     "'annars', och bara där",
                                     f"the {level} grades end in one 'otherwise', and only there"))
    if method.index is not None and method.index.of_goals is not None and \
            method.index.of_goals not in {g.name for g in method.grades_of("goal")}:
        raise ExchangeError(Said("IndexRule: indexet räknar mål efter ett betyg som inget mål har",
                                 "IndexRule: the index counts goals by a grade no goal has"))


TWO_NUMBERS = (Op.BETWEEN, Op.WITHIN_TARGET, Op.CLOSER_THAN_TARGET)
ORIGINS = ("from", "points", "text", "target", "question", "group", "count", "fact")   # as peers.py writes them


def _nodes(node):
    """Every model object inside a measure (nested at most as deep as the YAML file was)."""
    yield node
    if attrs.has(type(node)) and not isinstance(node, (m.Question, m.Described, m.Scale)):
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            for part in value if isinstance(value, tuple) else (value,):     # min(...), sum(...): their parts
                if attrs.has(type(part)):
                    yield from _nodes(part)


def _check_outcome_chains(uses: dict[str, list[str]], limits: Limits) -> None:
    """No indicator reaches itself through outcome(...), and no chain is longer than the limit:
    the longest path from each indicator, found once for each (depth-first, without recursion)."""
    longest: dict[str, int] = {}
    for start in uses:
        stack = [(start, iter(uses[start]))]
        on_path = {start}
        while stack:
            current, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                on_path.discard(current)
                longest[current] = 1 + max((longest[c] for c in uses.get(current, ())), default=0)
                if longest[current] > limits.outcome_chain:
                    raise ExchangeError(Said(f"hänvisningar med outcome(...) går mer än {limits.outcome_chain} "
                                             "indikatorer djupt",
                                             f"outcome(...) references lead more than {limits.outcome_chain} "
                                             "indicators deep"))
                continue
            if child in on_path:
                raise ExchangeError(Said(f"indikatorerna beror på varandra i en cirkel genom {child[:30]}",
                                         f"indicators depend on each other in a circle through {child[:30]}"))
            if child not in longest:
                on_path.add(child)
                stack.append((child, iter(uses.get(child, ()))))
