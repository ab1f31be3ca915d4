"""syntax.Document → canonical text: the formatter (`impactdsl fmt`).

One layout for every ruleset: a statement per line, rules indented under
their indicator, each clause on its own line, a blank line between kinds of
statement. Comments are kept: one written above a statement stays above it,
one at the end of a statement's line stays there. Printing what was parsed
parses back to the same document (tests hold it to that), and printing twice
changes nothing. Keywords are printed in English and put into Swedish afterwards (spelling.py)
when the file is written in Swedish or `fmt --keywords sv` asks for it."""

from __future__ import annotations

import bisect
import itertools
from fractions import Fraction

from impactdsl.core.kinds import Op, Unit
from impactdsl.core.source import Source
from impactdsl.parse import syntax as s
from impactdsl.parse.spelling import spelling, translate

SETTING_WORDS = {"ruleset": "ruleset", "association": "association", "period": "period",
                 "rounding": "rounding", "missing_data": "missing data", "missing_limit": "missing data at most",
                 "minimum_n": "minimum n",
                 "minimum_assessed": "minimum assessed", "total_target_index": "total target index"}


def format_source(document: s.Document, source: Source, keywords: str | None = None) -> str:
    """The document in the canonical layout, its keywords in `keywords` ('sv' or 'en'; by default
    the language the source is written in)."""
    return translate(_canonical(document, source), keywords or spelling(source.text))


def _canonical(document: s.Document, source: Source) -> str:
    statements = list(document.statements)
    ends = list(itertools.accumulate((st.span.end_line if st.span else 0 for st in statements), max))
    leading: dict[int, list[str]] = {}
    trailing: dict[int, str] = {}
    rest: list[str] = []
    for line, text, after_code in _comments(source.text):
        # A comment belongs to the first statement that ends on or after its line: above it,
        # inside it (moved above it), or at the end of its last line (kept there).
        owner = bisect.bisect_left(ends, line)          # the first statement ending on or after the line
        owner = owner if owner < len(ends) else None
        if owner is None:
            rest.append(text)
        elif after_code and line == ends[owner] and owner not in trailing:
            trailing[owner] = text
        else:
            leading.setdefault(owner, []).append(text)
    out: list[str] = []
    previous = None
    for index, statement in enumerate(statements):
        text = statement_text(statement)
        before = leading.get(index, [])
        if out and (before or _kind(statement) != _kind(previous) or _kind(statement) in SPACED):
            out.append("")
        out += before
        if index in trailing:
            text += "  " + trailing[index]
        out.append(text)
        previous = statement
    if rest:
        out += ([""] if out else []) + rest
    return "\n".join(out).rstrip() + "\n"


SPACED = ("area", "goal", "indicator", "each", "template", "table", "scale")


def _kind(statement) -> str | None:
    if statement is None:
        return None
    if isinstance(statement, s.Setting):
        return "setting"
    if isinstance(statement, s.NameDecl):
        return statement.kind
    return {s.ScaleDecl: "scale", s.KeysDecl: "keys", s.ParamDecl: "param", s.TemplateDecl: "template",
            s.GradeDecl: "grade", s.StatusDecl: "status", s.CallDecl: "call", s.IndexDecl: "index",
            s.PointsByStatus: "points", s.JudgeDecl: "judge", s.TableDecl: "table", s.AreaDecl: "area", s.GoalDecl: "goal",
            s.IndicatorDecl: "indicator", s.EachBlock: "each", s.ImportDecl: "import", s.AreaFrom: "area",
            s.Adapt: "adapt", s.MapDecl: "map"}[type(statement)]


def _comments(text: str) -> list[tuple[int, str, bool]]:
    """Every comment as (line, text, after code on its line), found outside quoted texts."""
    found, line, i, code_on_line = [], 1, 0, False
    while i < len(text):
        char = text[i]
        if text.startswith('"""', i):
            end = text.find('"""', i + 3)
            end = len(text) if end < 0 else end + 3
            line += text.count("\n", i, end)
            i, code_on_line = end, True
            continue
        if char in "\"'":
            end = i + 1
            while end < len(text) and text[end] not in (char, "\n"):
                end += 2 if text[end] == "\\" else 1
            i, code_on_line = end + 1, True
            continue
        if char == "#":
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            found.append((line, text[i:end].rstrip(), code_on_line))
            i = end
            continue
        if char == "\n":
            line, code_on_line = line + 1, False
        elif not char.isspace():
            code_on_line = True
        i += 1
    return found


# ---- statements ------------------------------------------------------------

def statement_text(st) -> str:
    if isinstance(st, s.Setting):
        return _setting(st)
    if isinstance(st, s.ScaleDecl):
        lines = [_listed(f"scale {st.name}: ", [_answer(o.key) + (f" {_text(o.label)}" if o.label else "")
                                                for o in st.options])]
        lines += [f"  subset {sub.name} = {_answers(sub.answers)}" for sub in st.subsets]
        if st.unanswered is not None:
            lines.append(f"  unanswered = {_answers(st.unanswered)}")
        return "\n".join(lines)
    if isinstance(st, s.NameDecl):
        return _name_decl(st)
    if isinstance(st, s.KeysDecl):
        return _listed(f"{st.kind} {st.name}: ", [k.name + (f" {_text(k.label)}" if k.label else "")
                                                   for k in st.keys])
    if isinstance(st, s.ParamDecl):
        head = f"param {st.name} = "
        return head + _param_value(st.value).replace("\n", "\n" + " " * len(head))
    if isinstance(st, s.TemplateDecl):
        return f"template {st.name}({', '.join(st.parameters)}) = {condition(st.body)}"
    if isinstance(st, s.GradeDecl):
        head = "grade " + ("goal " if st.level == "goal" else "") + _grade_name(st.name, st.is_status)
        if not st.conditions:
            return f"{head} otherwise"
        return f"{head} when " + " and ".join(_grade_condition(c) for c in st.conditions)
    if isinstance(st, s.StatusDecl):
        text = f"status {st.name} {_text(st.label)}" + _english(st.english)
        if st.colour is not None:
            text += f" colour {_text(st.colour) if st.colour.startswith('#') else st.colour}"
        return text + " " + {"met": "when met", "otherwise": "otherwise", "no_data": "when no data"}.get(
            st.rule, f"when {band(st.band) if st.band else ''}")
    if isinstance(st, s.CallDecl):
        return f"call {st.word} {_text(st.text)}" + _english(st.english)
    if isinstance(st, s.IndexDecl):
        return f"index {_text(st.name)}" + _english(st.english) + (f" of goals {st.of_goals}" if st.of_goals else "")
    if isinstance(st, s.PointsByStatus):
        return "points " + ", ".join(f"{name} {points}" for name, points in st.points)
    if isinstance(st, s.JudgeDecl):
        return f"judge {st.id} {_grade_name(st.name, st.is_status)} because {_text(st.reason)}"
    if isinstance(st, s.TableDecl):
        head = f"{st.kind} {st.name} {_text(st.title)} rows {st.rows}" + (f" total {_text(st.total)}" if st.total else "")
        columns = [f"  column {c.name} {_text(c.title)} = {measure(c.measure)}" + (f" split {c.split}" if c.split else "")
                   for c in st.columns]
        return "\n".join([head] + columns)
    if isinstance(st, s.AreaDecl):
        text = f"area {st.id} {_text(st.title)}"
        if st.weight is not None:
            text += f" weight {quantity(st.weight)}"
        if st.target_index is not None:
            text += f" target index {_number(st.target_index)}"
        return text
    if isinstance(st, s.GoalDecl):
        return f"goal {st.id} {_text(st.text)}"
    if isinstance(st, s.IndicatorDecl):
        return _indicator(st)
    if isinstance(st, s.EachBlock):
        body = "\n".join("  " + line for ind in st.indicators for line in _indicator(ind).split("\n"))
        return f"each {st.variable} in {st.entities.name}:\n{body}\nend"
    if isinstance(st, s.ImportDecl):
        return f"import {_text(st.path)} as {st.alias}"
    if isinstance(st, s.AreaFrom):
        return f"area {st.id} from {st.peer}"
    if isinstance(st, s.Adapt):
        value = _text(st.value) if st.what == "text" else (str(st.value) if isinstance(st.value, int)
                                                             else quantity(st.value))
        return f"adapt {st.what} {st.id} {value}" if st.what == "text" else f"adapt {st.what} {st.id} = {value}"
    if isinstance(st, s.MapDecl):
        return f"map {st.kind} {st.peer_name} to {st.own_name}"
    raise TypeError(type(st).__name__)


def _setting(st: s.Setting) -> str:
    words = SETTING_WORDS[st.key]
    v = st.value
    if st.key in ("ruleset", "association"):
        return f"{words} {_text(v[0])}"
    if st.key == "period":
        return f"period {_number(v[0])}" + (f" previous {_number(v[1])}" if len(v) > 1 else "")
    if st.key == "rounding":
        return f"rounding {v[0]}" + (f" to {quantity(v[1])}" if len(v) > 1 else "")
    if st.key == "missing_data":
        return f"missing data {' '.join(str(v[0]).split())} maximum"
    if st.key == "missing_limit":
        return f"{words} {quantity(v[0])}"
    return f"{words} {_number(v[0])}"


def _name_decl(st: s.NameDecl) -> str:
    text = f" {_text(st.text)}" if st.text else ""
    if st.kind == "question":
        return f"question {st.name} scale {st.detail.name}{' multiple' if st.multiple else ''}{text}"
    if st.kind == "fact":
        return f"fact {st.name} {st.detail}{text}"
    if st.kind == "count" and st.detail is not None:
        source = st.detail
        where = " and ".join(_row_condition(c) for c in source.conditions)
        return (f"count {st.name}{text} = {source.register.name}" + (f" where {where}" if where else "")
                + (" per person" if source.per_person else ""))
    return f"{st.kind} {st.name}{text}"


WIDTH = 100


def _listed(head: str, items: list[str]) -> str:
    """Items after `head`, comma-separated; one per line, aligned, when they do not fit."""
    line = head + ", ".join(items)
    if len(line) <= WIDTH:
        return line
    return (",\n" + " " * len(head)).join([head + items[0]] + items[1:]) if items else head


def _row_condition(c: s.RowCondition) -> str:
    if c.op == "flag":
        return c.field
    if c.op == "in":
        return f"{c.field} in {_answers(s.AnswerList(c.values))}"
    value = c.values[0]
    return f"{c.field} {c.op} " + (_number(value) if isinstance(value, Fraction) else _answer(value))


def _param_value(value) -> str:
    if isinstance(value, s.Quantity):
        return quantity(value)
    if isinstance(value, str):
        return _text(value)
    return _listed("[", [f"{k}: {quantity(v) if isinstance(v, s.Quantity) else _text(v)}" for k, v in value]) + "]"


def _indicator(st: s.IndicatorDecl) -> str:
    head = f"{'bonus' if st.is_bonus else 'indicator'} {st.id} {_text(st.text)}"
    return head + "\n" + "\n".join("  " + line for line in rule(st.rule).split("\n"))


def rule(r) -> str:
    if isinstance(r, s.PerUnitRule):
        first = f"{measure(r.measure)} -> {r.points} each up to {r.cap}"
    elif isinstance(r, s.ReportedRule):
        first = "reported" + (f" -> {r.points}" if r.points is not None else "")
    elif isinstance(r, s.TodoRule):
        first = "todo" + (f" {comparison(r.comparison)}" if r.comparison is not None else "") \
            + (f" -> {r.points}" if r.points is not None else "")
    else:
        first = condition(r.condition)
        if r.points is not None:
            first += " -> " + (r.points.name if isinstance(r.points, s.Ref) else str(r.points))
        first += "".join(f", {comparison(b.comparison)} -> {b.points}" for b in r.bands)
    return "\n".join([first] + ["  " + clause(c) for c in r.clauses])


def clause(c) -> str:
    if isinstance(c, s.BonusClause):
        return f"; bonus {comparison(c.comparison)} -> {c.points}"
    if isinstance(c, s.NoteClause):
        return "; note " + (f"for {c.entity} " if c.entity else "") + _text(c.text)
    if isinstance(c, s.StatusClause):
        return f"; status {c.name} when {band(c.band)}"
    target = f"for {c.entity} " if c.entity else ""
    what = f"{c.points} points" if c.points is not None else c.outcome
    return f"; override {target}{what} because {_text(c.reason)}"


def condition(c) -> str:
    if isinstance(c, s.TemplateCall):
        return f"{c.name}({', '.join(_argument(a) for a in c.arguments)})"
    return f"{measure(c.measure)} {comparison(c.comparison)}"


def _argument(a) -> str:
    if isinstance(a, s.Quantity):
        return quantity(a)
    if isinstance(a, s.AnswerList):
        return _answers(a)
    return measure(a)


def comparison(c: s.Comparison) -> str:
    if c.op == Op.BETWEEN:
        return f"between {_threshold(c.bound)} and {_threshold(c.upper)}"
    if c.op == Op.WITHIN_TARGET:
        return f"within {quantity(c.bound)} of target"
    if c.op == Op.CLOSER_THAN_TARGET:
        return f"less than {quantity(c.bound)} from target"
    return f"{c.op} {_threshold(c.bound)}"


def band(b: s.Band) -> str:
    if b.kind == "share":
        return f"at least {quantity(b.amount)} of target"
    return f"within {quantity(b.amount)} {b.side} target"


def _english(text: str | None) -> str:
    return f" english {_text(text)}" if text is not None else ""


def _grade_name(name: str, is_status: bool) -> str:
    return name if is_status else _text(name)


def _grade_condition(c: s.GradeCondition) -> str:
    if c.kind == "share_short":
        return f"every share is at most {quantity(c.amount)} short"
    if c.kind == "part_short":
        return f"every goal is at most {quantity(c.amount)} short"
    if c.kind == "at_least":
        return f"at least {quantity(c.amount)} {c.status}" + (" by points" if c.by_points else "")
    return f"{c.kind} {c.status}"


def _threshold(t) -> str:
    if isinstance(t, s.YesNo):
        return "yes" if t.value else "no"
    if isinstance(t, s.Quantity):
        return quantity(t)
    return measure(t)


def measure(x) -> str:
    return MEASURES[type(x)](x)


def _share(x: s.Share) -> str:
    answers = _answers(x.answers) if isinstance(x.answers, s.AnswerList) else x.answers.name
    return f"share({measure(x.group)}, {x.question.name}, {answers})"


MEASURES = {                                # each measure's syntax printed back, by its class
    s.Ref: lambda x: x.name + (f"[{', '.join(x.key.split('/'))}]" if x.key else ""),
    s.Share: _share,
    s.Ratio: lambda x: f"ratio({measure(x.part)}, {measure(x.whole)})",
    s.Gap: lambda x: f"gap({measure(x.first)}, {measure(x.second)})",
    s.Change: lambda x: f"{x.direction}({_argument(x.start)}, {_argument(x.end)})",
    s.Outcome: lambda x: f"outcome({x.indicator})",
    s.Previous: lambda x: f"previous({measure(x.ref)})",
    s.MeanMonths: lambda x: f"mean_months({measure(x.ref)})",
    s.Call: lambda x: f"{x.name}({', '.join(_argument(a) for a in x.arguments)})",
    s.Quantity: lambda x: quantity(x),
    s.Arithmetic: lambda x: f"{_operand(x.left, x.op, False)} {x.op} {_operand(x.right, x.op, True)}",
    s.Negate: lambda x: "-" + _operand(x.operand, "-", True, unary=True),
    s.SumOver: lambda x: f"sum({measure(x.ref)} over " + (x.entities or f"{x.first} to {x.last}") + ")",
}
BINDING = {"+": 1, "-": 1, "*": 2, "/": 2}       # how tightly an operator holds its figures


def _operand(x, op: str, right: bool, unary: bool = False) -> str:
    """A figure of an arithmetic, bracketed where it would otherwise be read differently: a sum inside a
    product, the right side of - or /, anything but a plain figure after a minus sign."""
    text = measure(x)
    inner = BINDING.get(x.op) if isinstance(x, s.Arithmetic) else None
    if unary:                                   # - -a and - -5 need no brackets, a sum does
        if isinstance(x, s.Negate) or (isinstance(x, s.Quantity) and x.number < 0):
            return f" {text}"
        needs = inner is not None
    else:
        needs = inner is not None and (inner < BINDING[op] or (right and inner == BINDING[op]))
    return f"({text})" if needs else text


def quantity(q: s.Quantity) -> str:
    number = _number(q.number)
    return {Unit.PERCENT: f"{number}%", Unit.PP: f"{number}pp", Unit.RELATIVE: f"{number}% relative"}.get(q.unit, number)


def _number(value) -> str:
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.10f}".rstrip("0").rstrip(".")
    return text


def _answers(a: s.AnswerList) -> str:
    return "[" + ", ".join(_answer(x) for x in a.answers) + "]"


def _answer(text: str) -> str:
    if "'" not in text:
        return "'" + text.replace("\\", "\\\\") + "'"
    return _text(text)


def _text(text: str) -> str:
    if '"' in text and '"""' not in text and not text.endswith('"'):
        return '"""' + text + '"""'
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
