"""The compiled ruleset as canonical YAML, and back: the exchange format.

Every model class is written as a mapping with its class name under `type`
and its fields in declared order; numbers are exact ("56/5" for 11,2). Only
the model's own classes are read back, by name from a fixed table, so a file
cannot make anything else: a peer's YAML is data, never code. YAML is read
with the safe loader, refusing aliases and more nodes than the limit allows
before anything is built (an alias bomb stops at once)."""

from __future__ import annotations

from fractions import Fraction

import attrs

from . import model as m
from .arithmetic import Rounding
from .limits import DEFAULT, Limits

CLASSES = {cls.__name__: cls for cls in (
    m.Settings, m.Scale, m.Question, m.Described, m.RowCondition, m.Count, m.ShareOf, m.CountOf, m.RatioOf,
    m.MeanMonthsOf, m.FactOf, m.Constant, m.GapOf, m.ChangeOf, m.OutcomeOf, m.Criterion, m.Bonus, m.Override,
    m.Indicator, m.Goal, m.Area, m.GradeRule, m.Cell, m.Column, m.Table, m.Ruleset, Rounding)}
SKIPPED = {"span", "path", "sha256", "templates", "imports", "written"}
FORMAT = "impactdsl-ruleset/1"


class ExchangeError(Exception):
    """A YAML text that is not an exported ruleset; the message says why."""


def to_data(value):
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
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


def from_data(data):
    if isinstance(data, list):
        return tuple(from_data(v) for v in data)
    if isinstance(data, dict):
        if set(data) == {"set"}:
            return frozenset(from_data(v) for v in data["set"])
        cls = CLASSES.get(data.get("type"))
        if cls is None:
            raise ExchangeError(f"unknown kind of object '{data.get('type')}'")
        names = {f.name for f in attrs.fields(cls)}
        extra = set(data) - names - {"type"}
        if extra:
            raise ExchangeError(f"{cls.__name__} has no field '{sorted(extra)[0]}'")
        fields = {k: _field(cls, k, v) for k, v in data.items() if k != "type"}
        for name, allowed in CHECKS.get(cls.__name__, {}).items():
            if name in fields and not allowed(fields[name]):
                raise ExchangeError(f"{cls.__name__}.{name} has a value impactdsl does not know: "
                                    f"{str(fields[name])[:30]!r}")
        try:
            return cls(**fields)
        except TypeError as exc:
            raise ExchangeError(f"{cls.__name__}: {exc}") from None
    return data


NUMERIC = {("Criterion", "bound"), ("Criterion", "upper"), ("Constant", "value"), ("Area", "weight"),
           ("Area", "target_index"), ("Settings", "near_band"), ("Settings", "target_index"),
           ("GradeRule", "limit"), ("Rounding", "step")}


def _one_of(*values):
    return lambda value: value in values


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value) -> bool:
    return isinstance(value, (Fraction, int)) and not isinstance(value, bool)


# What a field may hold, for every field an untrusted file could set to something the evaluator
# would trip over: an exported ruleset is checked as strictly as a compiled one.
CHECKS = {
    "Criterion": {"op": _one_of(">=", "<=", ">", "<", "=", "between", "within-target", "closer-than-target"),
                  "unit": _one_of("percent", "pp", "relative", "number", "yes/no"),
                  "bound": lambda v: _number(v) or isinstance(v, bool),
                  "upper": lambda v: v is None or _number(v)},
    "Indicator": {"points": _whole, "cap": lambda v: v is None or _whole(v), "is_bonus": _one_of(True, False),
                  "id": lambda v: isinstance(v, str), "text": lambda v: isinstance(v, str)},
    "Bonus": {"points": _whole},
    "Override": {"outcome": _one_of(None, "met", "missed"), "points": lambda v: v is None or _whole(v)},
    "Rounding": {"mode": _one_of("half-up", "half-even", "none"), "step": lambda v: _number(v) and v > 0},
    "FactOf": {"kind": _one_of("percent", "number", "yes/no", "tkr")},
    "Constant": {"unit": _one_of("percent", "number", "pp", "relative"), "value": _number},
    "ChangeOf": {"direction": _one_of("increase", "decrease"), "relative": _one_of(True, False)},
    "GradeRule": {"selector": _one_of(None, "share", "goal"), "limit": lambda v: v is None or _number(v)},
    "Table": {"kind": _one_of("table", "followup")},
    "RowCondition": {"op": _one_of("flag", "=", "<", "<=", ">", ">=", "in")},
    "Area": {"weight": lambda v: v is None or _number(v), "target_index": lambda v: v is None or _number(v)},
    "Settings": {"minimum_n": _whole, "near_band": lambda v: v is None or _number(v)},
}


def _field(cls, name: str, value):
    if (cls.__name__, name) in NUMERIC and isinstance(value, str):
        try:
            return Fraction(value)
        except (ValueError, ZeroDivisionError):
            raise ExchangeError(f"{cls.__name__}.{name} is not a number: '{value[:20]}'") from None
    return from_data(value)


def _loader(limits: Limits):
    import yaml

    class Limited(yaml.SafeLoader):
        """The safe loader, refusing aliases and counting nodes as they are made."""

        nodes = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise ExchangeError(f"line {event.start_mark.line + 1}: YAML aliases (*name) are not allowed here")
            Limited.nodes += 1
            if Limited.nodes > limits.yaml_nodes:
                raise ExchangeError(f"more than {limits.yaml_nodes} values: too large for a ruleset")
            return super().compose_node(parent, index)
    return Limited


def from_yaml(text: str, limits: Limits = DEFAULT) -> m.Ruleset:
    import yaml

    if len(text.encode("utf-8")) > limits.file_bytes:
        raise ExchangeError(f"larger than {limits.file_bytes} bytes")
    try:
        document = yaml.load(text, Loader=_loader(limits))
    except yaml.YAMLError as exc:
        raise ExchangeError(f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExchangeError(f"not an exported impactdsl ruleset (expected format: {FORMAT})")
    ruleset = from_data(document.get("ruleset"))
    if not isinstance(ruleset, m.Ruleset):
        raise ExchangeError("the file holds no ruleset")
    return ruleset
