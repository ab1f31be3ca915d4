"""Every kind has a handler in every stage that needs one, and no stage falls back silently.

Kinds are declared once: measure kinds as classes (parse/syntax.py's MEASURES
for what is written, compile/model.py's MEASURES for what is compiled, and
compile/measures.py's CALLS for measures written NAME(...)); units,
operators, row conditions, statuses, formats and languages as enums in
core/kinds.py. `missing()` lists every (kind, stage) pair without a handler;
the test fails naming them, and a test below shows that it does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from impactdsl.cli import build_parser
from impactdsl.compile import exchange, measures, method
from impactdsl.compile import model as m
from impactdsl.core import formats
from impactdsl.core.kinds import Format, Lang, Op, RowOp, Status, Term, Unit, choices
from impactdsl.core.source import Source
from impactdsl.evaluation import engine
from impactdsl.evaluation import measures as evaluation
from impactdsl.outcomes import columnar, registers
from impactdsl.parse import printer
from impactdsl.parse import syntax as s
from impactdsl.parse.parser import parse
from impactdsl.render import output, text, view
from impactdsl.render.words import WORDS

REPO = Path(__file__).resolve().parent.parent

# What each written measure kind looks like, to show the parser builds it. A new syntax class
# needs its example here (the test says so).
WRITTEN = {
    s.Share: "share(staff, q1, top2)", s.Ratio: "ratio(avslut, deltagare)", s.Gap: "gap(f, f)",
    s.Change: "increase(40%, f)", s.Outcome: "outcome(1.1.1)", s.Previous: "previous(f)",
    s.MeanMonths: "mean_months(deltagare)", s.Call: "count(staff, q1, top2)", s.Ref: "f",
    s.Arithmetic: "f - 5", s.Negate: "-f", s.SumOver: "sum(f over 2020 to 2023)",
}
COMPARED = {Op.AT_LEAST: ">= 1", Op.AT_MOST: "at most 1", Op.MORE_THAN: "more than 1", Op.LESS_THAN: "< 1",
            Op.EQUAL: "= 1", Op.BETWEEN: "between 1 and 2", Op.WITHIN_TARGET: "within 5pp of target",
            Op.CLOSER_THAN_TARGET: "less than 5pp from target"}
ROWS = {RowOp.FLAG: "exited", RowOp.IN: "kön in ['K']", RowOp.EQUAL: "kön = 'K'", RowOp.LESS_THAN: "age < 30",
        RowOp.AT_MOST: "age <= 30", RowOp.MORE_THAN: "age > 30", RowOp.AT_LEAST: "age >= 30"}


def _parsed(rule: str):
    document, problems = parse(Source("k.impact", f'indicator 1.1.1 "x" {rule} -> 1\n'))
    assert document is not None, problems
    return document.statements[0].rule.condition


def _row_condition(condition: str):
    document, problems = parse(Source("k.impact", f"count c = reg where {condition}\n"))
    assert document is not None, problems
    return document.statements[0].detail.conditions[0]


def missing() -> list[str]:
    """Every (kind, stage) pair without a handler, in words."""
    gaps = []

    def need(found: bool, kind, stage: str):
        if not found:
            gaps.append(f"{getattr(kind, '__name__', kind)}: no handler in {stage}")
    for kind in m.MEASURES:
        need(kind in measures.UNITS, kind, "compile/measures.py UNITS (its unit)")
        need(kind in evaluation.EVALUATE, kind, "evaluation/measures.py EVALUATE")
        need(exchange.CLASSES.get(kind.__name__) is kind, kind, "compile/exchange.py CLASSES (YAML exchange)")
        need(getattr(kind, "sentence", None) in view.SENTENCES, kind, "render/view.py SENTENCES (its report sentence)")
    for kind in s.MEASURES:
        need(kind in measures.FROM_SYNTAX, kind, "compile/measures.py FROM_SYNTAX (compile)")
        need(kind in printer.MEASURES, kind, "parse/printer.py MEASURES (fmt)")
        need(kind in WRITTEN and isinstance(_parsed(f"{WRITTEN.get(kind, 'f')} >= 1").measure, kind), kind,
             "the parser (and an example in tests/test_kinds.py WRITTEN)")
    for name, call in measures.CALLS.items():
        need(set(call.arguments) <= set(measures.ARGUMENTS), name, "compile/measures.py ARGUMENTS")
        need(name not in measures.MEASURE_NAMES, name, "a name of its own (not a built-in measure's)")
        example = _parsed(call.example).measure
        need(isinstance(example, s.Call) and example.name == name, name, "its example, as the parser reads it")
    for op in Op:
        need(op in engine.TESTS, op, "evaluation/engine.py TESTS")
        need(op in COMPARED and _parsed(f"f {COMPARED.get(op, '= 1')}").comparison.op == op, op,
             "the parser (and an example in tests/test_kinds.py COMPARED)")
        need(op.single_bound or op in explain_ops(), op, "render/explain.py (its words)")
        if op in COMPARED:
            printed = printer.comparison(_parsed(f"f {COMPARED[op]}").comparison)
            need(_parsed(f"f {printed}").comparison.op == op, op, "parse/printer.py comparison (fmt)")
    for op in RowOp:
        need(op in ROWS and _row_condition(ROWS.get(op, "exited")).op == op, op, "the parser (ROWS above)")
        if op.numeric or op == RowOp.EQUAL:
            need(op in registers.COMPARE, op, "outcomes/registers.py COMPARE")
            need(op in columnar.SQL_COMPARE, op, "outcomes/columnar.py SQL_COMPARE (DuckDB)")
    for status in Status:
        need(status in method.ROLES.values(), status, "compile/method.py ROLES (how a status line says it)")
        need(status in method.DEFAULT_COLOURS, status, "compile/method.py DEFAULT_COLOURS")
        need(status in text.COLOURS, status, "render/text.py COLOURS")
        need(any(x.role == status for x in m.DEFAULT_STATUSES) or status == Status.PARTLY, status,
             "compile/model.py DEFAULT_STATUSES")
    for term in Term:
        for lang in Lang:
            need(f"term.{term}" in WORDS.get(lang, {}), term, f"render/words.py WORDS {lang} (its neutral word)")
    for unit in Unit:
        need(unit in measures.UNIT_WORDS, unit, "compile/measures.py UNIT_WORDS (messages)")
    for unit in Unit.shown():
        need(unit in formats.VALUES, unit, "core/formats.py VALUES")
    for form in Format:
        need(form in output.RENDERERS, form, "render/output.py RENDERERS")
    for lang in Lang:
        need(lang in WORDS, lang, "render/words.py WORDS")
        need(lang in formats.STYLES, lang, "core/formats.py STYLES (its numbers)")
    return gaps


def explain_ops() -> set[Op]:
    """The operators the explanation says in words of their own (not as a sign before the bound)."""
    return {Op(key[3:]) for key in WORDS[Lang.SV] if key.startswith("op.") and not Op(key[3:]).single_bound}


def test_every_kind_has_a_handler_in_every_stage():
    assert missing() == []


def test_a_forgotten_handler_is_named_with_its_stage(monkeypatch):
    monkeypatch.delitem(evaluation.EVALUATE, m.CountOf)
    monkeypatch.delitem(text.COLOURS, Status.PARTLY)
    monkeypatch.setattr(m.RatioOf, "sentence", "ratio")
    assert missing() == ["CountOf: no handler in evaluation/measures.py EVALUATE",
                         "RatioOf: no handler in render/view.py SENTENCES (its report sentence)",
                         "partly: no handler in render/text.py COLOURS"]


@pytest.mark.parametrize("lang", list(Lang))
def test_every_status_and_operator_has_its_words(lang):
    table = WORDS[lang]
    for op in Op:
        assert f"op.{op}" in table, (lang, op)


def test_both_languages_have_the_same_words():
    assert set(WORDS[Lang.SV]) == set(WORDS[Lang.EN])


def test_the_command_line_offers_every_format_and_language():
    commands = build_parser()._subparsers._group_actions[0].choices
    evaluate = {a.dest: a for a in commands["evaluate"]._actions}
    assert tuple(evaluate["format"].choices) == choices(Format)
    for command in ("check", "evaluate", "explain"):
        actions = {a.dest: a for a in commands[command]._actions}
        assert tuple(actions["lang"].choices) == choices(Lang), command


def test_the_docs_list_the_same_formats_and_languages():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = "\\|"                                   # a | in a Markdown table cell
    assert "--format " + listed.join(choices(Format)) in readme
    assert "--lang " + listed.join(choices(Lang)) in readme
    reports = (REPO / "docs" / "reports.md").read_text(encoding="utf-8")
    for form in Format:
        assert re.search(rf"`{form}`|--format {form}\b", reports), form


def test_json_and_yaml_spell_the_kinds_as_before():
    """The enums are the very strings the documents spell: nothing written before changes."""
    assert [u.value for u in Unit.shown()] == ["percent", "pp", "relative", "number", "yes/no", "tkr"]
    assert [s.value for s in Status] == ["met", "partly", "missed", "not-assessed"]
    assert [o.value for o in Op] == [">=", "<=", ">", "<", "=", "between", "within-target", "closer-than-target"]


def test_the_statement_keywords_are_the_grammars():
    """The error recovery's list of words that open a statement, and the words a name may not be,
    are the grammar's own: the first word of every statement (and `end`, which closes an each block).
    A name may be a Swedish one (`mål`, `andel`): only the English words are reserved."""
    import re as regex

    from impactdsl.parse.errors import OPENERS, STATEMENT_KEYWORDS
    from impactdsl.parse.parser import grammar_text, parser

    lark = parser()
    statements = {r.expansion[0].name for r in lark.rules if r.origin.name == "_statement"}
    terminals = {t.name: t for t in lark.terminals}
    first_words = {terminals[r.expansion[0].name].pattern.value for r in lark.rules
                   if r.origin.name in statements and r.expansion} | {"end", "slut"}
    assert OPENERS == first_words
    not_names = regex.search(r"NAME: /\(\?!\(([^)]*)\)", grammar_text()).group(1).split("|")
    assert set(not_names) == set(STATEMENT_KEYWORDS) and set(STATEMENT_KEYWORDS) < first_words


HEADER = {"ruleset": 'ruleset "r"', "association": 'association "a"', "period": "period 2022 previous 2021",
          "rounding": "rounding half-up to 1%", "minimum_assessed": "minimum assessed 2",
          "missing_data": "missing data excluded from maximum", "minimum_n": "minimum n 5",
          "total_target_index": "total target index 70", "missing_limit": "missing data at most 10%"}


@pytest.mark.parametrize("key", s.SETTINGS)
def test_every_setting_is_read_compiled_and_printed(key):
    from impactdsl.compile import document

    assert key in HEADER, f"{key}: no example in tests/test_kinds.py HEADER"
    parsed, problems = parse(Source("k.impact", HEADER[key] + "\n"))
    assert parsed is not None and parsed.statements[0].key == key, (key, problems)
    assert key in document.SETTINGS, f"{key}: no handler in compile/document.py SETTINGS"
    assert key in printer.SETTING_WORDS, f"{key}: no words in parse/printer.py SETTING_WORDS"
    assert printer.statement_text(parsed.statements[0]) == HEADER[key]


def test_the_parser_makes_no_setting_the_list_lacks():
    made = re.findall(r'_setting\("(\w+)"\)', (REPO / "impactdsl" / "parse" / "builder.py").read_text(encoding="utf-8"))
    assert made and set(made) == set(s.SETTINGS)


def test_every_measure_class_is_listed():
    """A measure class (one that names its report sentence) left out of MEASURES would be written
    by export and refused on import, and escape every check above."""
    declared = {cls for cls in vars(m).values() if isinstance(cls, type) and "sentence" in vars(cls)}
    assert declared == set(m.MEASURES)


def _first_literals(function: str) -> set[str]:
    """Every text given first to `function(...)` in the evaluation stage."""
    import ast

    found = set()
    for path in (REPO / "impactdsl" / "evaluation").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == function and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("lang", list(Lang))
def test_every_traced_number_and_reason_has_its_words(lang):
    """A trace or reason key without words would stop explain and the reports (a KeyError)."""
    traces = _first_literals("TraceItem") | {"increase", "decrease"}      # a change is traced by its direction
    reasons = _first_literals("_missing")
    assert traces and reasons
    assert {k for k in traces if f"trace.{k}" not in WORDS[lang]} == set()
    assert {k for k in reasons if f"reason.{k}" not in WORDS[lang]} == set()


def test_the_measures_with_syntax_of_their_own_are_the_grammars():
    """compile/measures.py MEASURE_NAMES (for hints, and the names no template may take) lists
    exactly the measure keywords the grammar has."""
    keywords = set(re.findall(r'^\s*(?:\?plain_measure:|\|)\s*"(\w+)" "\("',
                              (REPO / "grammar" / "impactdsl.lark").read_text(encoding="utf-8"), re.M))
    assert keywords == set(measures.MEASURE_NAMES)
