"""Lark's tree → syntax: one method per grammar rule, each building that rule's frozen class.

Imported only when a ruleset is parsed (a run that reads the compiled ruleset
from the cache never loads Lark). Lark's trees and tokens never leave this
module and parser.py."""

from __future__ import annotations

import re
from fractions import Fraction

import attrs
from lark import Token, Transformer, v_args

from impactdsl.core.kinds import Op, Unit
from impactdsl.core.source import Source, Span
from impactdsl.parse import syntax as s
from impactdsl.parse.keywords import CALLED, english


def _span(path: str, meta_or_token) -> Span | None:
    if getattr(meta_or_token, "empty", False):
        return None
    line = getattr(meta_or_token, "line", None)
    if line is None:
        return None
    return Span(path, line, meta_or_token.column,
                getattr(meta_or_token, "end_line", line) or line,
                getattr(meta_or_token, "end_column", meta_or_token.column) or meta_or_token.column)


def unquote(token: str) -> str:
    if token.startswith('"""'):
        return " ".join(token[3:-3].split())
    body = token[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def number(token: str) -> Fraction:
    return Fraction(token.replace(",", "."))


@v_args(meta=True)
class Builder(Transformer):
    def __init__(self, source: Source):
        super().__init__()
        self.path = source.path
        self.text = source.text
        for name in CALLBACKS:          # bound once: Lark's v_args wraps a method anew on every lookup
            setattr(self, name, getattr(self, name))

    def written(self, meta) -> str:
        """The source text of a rule, layout squeezed to single spaces."""
        return " ".join(self.text[meta.start_pos:meta.end_pos].split())

    def sp(self, meta):
        return _span(self.path, meta)

    def tok(self, token):
        return _span(self.path, token)

    # values
    def STRING(self, token):
        return Token("TEXT", unquote(str(token)), token.start_pos, token.line, token.column,
                     token.end_line, token.end_column, token.end_pos)

    LONG_STRING = STRING

    def _in_english(self, token):
        """A value word as the model holds it, whichever language it was written in."""
        return token.update(value=english(str(token)))

    ROUNDING_MODE = MISSING_POLICY = FACT_KIND = MAP_KIND = OVERRIDE_OUTCOME = _in_english

    def quantity(self, meta, children):
        value = number(str(children[0]))
        marks = {c.type for c in children[1:]}
        unit = (Unit.PP if "POINTS" in marks else Unit.RELATIVE if "RELATIVE" in marks
                else Unit.PERCENT if "PERCENT" in marks else Unit.NUMBER)
        return s.Quantity(value, unit, self.sp(meta))

    def reference(self, meta, children):
        key = "/".join(str(c) for c in children[1:]) or None
        return s.Ref(str(children[0]), key, self.sp(meta))

    def answer_list(self, meta, children):
        return s.AnswerList(tuple(str(c) for c in children), self.sp(meta))

    def yes(self, meta, children):
        return s.YesNo(True, self.sp(meta))

    def no(self, meta, children):
        return s.YesNo(False, self.sp(meta))

    def _answers(self, node):
        if isinstance(node, Token) and node.type == "TEXT":
            return s.AnswerList((str(node),), self.tok(node))
        if isinstance(node, Token):
            return s.Ref(str(node), None, self.tok(node))
        return node

    # measures
    def share(self, meta, c):
        return s.Share(c[0], s.Ref(str(c[1]), None, self.tok(c[1])), self._answers(c[2]),
                       self.sp(meta))

    def ratio(self, meta, c):
        return s.Ratio(c[0], c[1], self.sp(meta))

    def gap(self, meta, c):
        return s.Gap(c[0], c[1], self.sp(meta))

    def increase(self, meta, c):
        return s.Change("increase", c[0], c[1], self.sp(meta))

    def decrease(self, meta, c):
        return s.Change("decrease", c[0], c[1], self.sp(meta))

    def outcome(self, meta, c):
        return s.Outcome(str(c[0]), self.sp(meta))

    def previous(self, meta, c):
        return s.Previous(c[0], self.sp(meta))

    def mean_months(self, meta, c):
        return s.MeanMonths(c[0], self.sp(meta))

    def _arithmetic(op):
        def build(self, meta, c):
            return s.Arithmetic(op, c[0], c[1], self.sp(meta))
        return build

    add = _arithmetic("+")
    subtract = _arithmetic("-")
    multiply = _arithmetic("*")
    divide = _arithmetic("/")

    def negate(self, meta, c):
        return s.Negate(c[0], self.sp(meta))

    def negative(self, meta, c):
        return attrs.evolve(c[0], number=-c[0].number, span=self.sp(meta))

    def sum_over(self, meta, c):
        return attrs.evolve(c[1], ref=c[0], span=self.sp(meta))

    def over_entities(self, meta, c):
        return s.SumOver(None, entities=str(c[0]))

    def over_periods(self, meta, c):
        return s.SumOver(None, first=int(c[0]), last=int(c[1]))

    def flag_condition(self, meta, c):
        return s.RowCondition(str(c[0]), "flag", (), self.sp(meta))

    def compare_condition(self, meta, c):
        value = number(str(c[2])) if c[2].type == "NUMBER" else str(c[2])
        return s.RowCondition(str(c[0]), str(c[1]), (value,), self.sp(meta))

    def in_condition(self, meta, c):
        return s.RowCondition(str(c[0]), "in", c[1].answers, self.sp(meta))

    # comparisons
    def compare(self, meta, c):
        return s.Comparison(Op(str(c[0])), c[1], None, self.sp(meta))

    def _op(op):
        def build(self, meta, c):
            return s.Comparison(op, c[0], None, self.sp(meta))
        return build

    at_least = _op(Op.AT_LEAST)
    at_most = _op(Op.AT_MOST)
    more_than = _op(Op.MORE_THAN)
    less_than = _op(Op.LESS_THAN)
    within_target = _op(Op.WITHIN_TARGET)
    closer_than_target = _op(Op.CLOSER_THAN_TARGET)

    def between(self, meta, c):
        return s.Comparison(Op.BETWEEN, c[0], c[1], self.sp(meta))

    # rules
    def criterion(self, meta, c):
        return s.Criterion(c[0], c[1], self.sp(meta))

    def _arguments(self, c):
        return tuple(self._answers(a) if isinstance(a, Token) else a for a in c)

    def template_call(self, meta, c):
        return s.TemplateCall(str(c[0]), self._arguments(c[1:]), self.sp(meta))

    def measure_call(self, meta, c):
        return s.Call(english(str(c[0])) if str(c[0]) in CALLED.values() else str(c[0]), self._arguments(c[1:]), self.sp(meta))

    def bonus_clause(self, meta, c):
        return s.BonusClause(c[0], int(c[1]), self.sp(meta))

    def for_entity(self, meta, c):
        return ("for", str(c[0]))

    def _entity(self, c):
        """Split an optional leading ('for', entity) off a clause's children."""
        if c and isinstance(c[0], tuple):
            return c[0][1], c[1:]
        return None, c

    def override_clause(self, meta, c):
        entity, c = self._entity(c)
        return s.OverrideClause(str(c[1]), outcome=str(c[0]), entity=entity, span=self.sp(meta))

    def note_clause(self, meta, c):
        entity, c = self._entity(c)
        return s.NoteClause(str(c[0]), entity, self.sp(meta))

    def override_points_clause(self, meta, c):
        entity, c = self._entity(c)
        return s.OverrideClause(str(c[1]), points=int(c[0]), entity=entity, span=self.sp(meta))

    def status_clause(self, meta, c):
        return s.StatusClause(str(c[0]), c[1], self.sp(meta))

    def point_band(self, meta, c):
        return s.PointBand(c[0], int(c[1]), self.sp(meta))

    def points_rule(self, meta, c):
        points = None
        if len(c) > 1 and isinstance(c[1], Token):
            points = int(c[1]) if c[1].type == "INT" else s.Ref(str(c[1]), None, self.tok(c[1]))
        rest = c[2:] if points is not None else c[1:]
        bands = tuple(x for x in rest if isinstance(x, s.PointBand))
        clauses = tuple(x for x in rest if not isinstance(x, s.PointBand))
        return s.PointsRule(c[0], points, clauses, self.sp(meta), self.written(meta), bands)

    def per_unit_rule(self, meta, c):
        return s.PerUnitRule(c[0], int(c[1]), int(c[2]), tuple(c[3:]), self.sp(meta),
                             self.written(meta))

    def reported_rule(self, meta, c):
        points = int(c[0]) if c and isinstance(c[0], Token) else None
        return s.ReportedRule(points, tuple(c[1:] if points is not None else c), self.sp(meta), self.written(meta))

    def todo_rule(self, meta, c):
        comparison = c[0] if c and isinstance(c[0], s.Comparison) else None
        rest = c[1:] if comparison is not None else c
        points = int(rest[0]) if rest and isinstance(rest[0], Token) else None
        return s.TodoRule(comparison, points, tuple(rest[1:] if points is not None else rest), self.sp(meta),
                          self.written(meta))

    # header
    def _setting(key):
        def build(self, meta, c):
            return s.Setting(key, tuple(_plain(x) for x in c), self.sp(meta))
        return build

    ruleset_name = _setting("ruleset")
    association = _setting("association")
    period = _setting("period")
    rounding = _setting("rounding")
    missing_data = _setting("missing_data")
    missing_limit = _setting("missing_limit")
    minimum_n = _setting("minimum_n")
    minimum_assessed = _setting("minimum_assessed")
    target_index = _setting("total_target_index")

    # declarations
    def option(self, meta, c):
        return s.Option(str(c[0]), str(c[1]) if len(c) > 1 else None, self.sp(meta))

    def subset(self, meta, c):
        return s.SubsetDecl(str(c[0]), c[1], self.sp(meta), self.tok(c[0]))

    def unanswered(self, meta, c):
        return c[0]

    def scale(self, meta, c):
        options = tuple(x for x in c[1:] if isinstance(x, s.Option))
        subsets = tuple(x for x in c[1:] if isinstance(x, s.SubsetDecl))
        unanswered = [x for x in c[1:] if isinstance(x, s.AnswerList)]
        return s.ScaleDecl(str(c[0]), options, subsets, unanswered[-1] if unanswered else None,
                           self.sp(meta), self.tok(c[0]))

    def key(self, meta, c):
        return s.Key(str(c[0]), str(c[1]) if len(c) > 1 else None, self.sp(meta))

    def subgroups(self, meta, c):
        return s.KeysDecl("subgroups", str(c[0]), tuple(c[1:]), self.sp(meta), self.tok(c[0]))

    def entities(self, meta, c):
        return s.KeysDecl("entities", str(c[0]), tuple(c[1:]), self.sp(meta), self.tok(c[0]))

    def group(self, meta, c):
        return s.NameDecl("group", str(c[0]), str(c[1]) if len(c) > 1 else None, None,
                          self.sp(meta), name_span=self.tok(c[0]))

    def register(self, meta, c):
        return s.NameDecl("register", str(c[0]), str(c[1]) if len(c) > 1 else None, None,
                          self.sp(meta), name_span=self.tok(c[0]))

    def per_person(self, meta, c):
        return "per person"

    def count(self, meta, c):
        text = next((str(x) for x in c[1:2] if isinstance(x, Token) and x.type == "TEXT"), None)
        rest = c[2:] if text is not None else c[1:]
        source = None
        if rest:
            per_person = rest[-1] == "per person"
            conditions = tuple(x for x in rest[1:] if isinstance(x, s.RowCondition))
            source = s.CountSource(s.Ref(str(rest[0]), None, self.tok(rest[0])), conditions, per_person,
                                   self.sp(meta))
        return s.NameDecl("count", str(c[0]), text, source, self.sp(meta), name_span=self.tok(c[0]))

    def question(self, meta, c):
        multiple = len(c) > 2 and isinstance(c[2], Token) and c[2].type == "MULTIPLE"
        rest = c[3:] if multiple else c[2:]
        return s.NameDecl("question", str(c[0]), str(rest[0]) if rest else None,
                          s.Ref(str(c[1]), None, self.tok(c[1])), self.sp(meta), multiple, self.tok(c[0]))

    def fact(self, meta, c):
        return s.NameDecl("fact", str(c[0]), str(c[2]) if len(c) > 2 else None, str(c[1]),
                          self.sp(meta), name_span=self.tok(c[0]))

    def entity_value(self, meta, c):
        return (str(c[0]), str(c[1]) if isinstance(c[1], Token) else c[1])

    def entity_values(self, meta, c):
        return tuple(c)

    def param(self, meta, c):
        value = str(c[1]) if isinstance(c[1], Token) else c[1]
        return s.ParamDecl(str(c[0]), value, self.sp(meta), self.tok(c[0]))

    # the method
    def english(self, meta, c):
        return ("english", str(c[0]))

    def colour(self, meta, c):
        return ("colour", str(c[0]))

    def when_met(self, meta, c):
        return ("met", None)

    def when_band(self, meta, c):
        return ("band", c[0])

    def when_otherwise(self, meta, c):
        return ("otherwise", None)

    def when_no_data(self, meta, c):
        return ("no_data", None)

    def distance_band(self, meta, c):
        return s.Band("distance", c[0], str(c[1]), self.sp(meta))

    def share_band(self, meta, c):
        return s.Band("share", c[0], "of", self.sp(meta))

    def status(self, meta, c):
        options = dict(x for x in c[2:-1])
        rule, band = c[-1]
        return s.StatusDecl(str(c[0]), str(c[1]), options.get("english"), options.get("colour"), rule, band,
                            self.sp(meta), self.tok(c[0]))

    def call_word(self, meta, c):
        return str(c[0])

    def _term(word):
        def build(self, meta, c):
            return word
        return build

    term_area = _term("area")
    term_goal = _term("goal")
    term_indicator = _term("indicator")
    term_points = _term("points")
    term_grade = _term("grade")
    side_of = _term("of")
    side_below = _term("below")
    side_above = _term("above")

    def call(self, meta, c):
        english = c[2][1] if len(c) > 2 else None
        return s.CallDecl(str(c[0]), str(c[1]), english, self.sp(meta))

    def index(self, meta, c):
        english = next((x[1] for x in c[1:] if isinstance(x, tuple)), None)
        of_goals = next((str(x) for x in c[1:] if isinstance(x, Token) and x.type == "NAME"), None)
        return s.IndexDecl(str(c[0]), english, of_goals, self.sp(meta))

    def points_by_status(self, meta, c):
        return s.PointsByStatus(tuple((str(c[i]), int(c[i + 1])) for i in range(0, len(c), 2)), self.sp(meta))

    def level_goal(self, meta, c):
        return ("level", "goal")

    def level_area(self, meta, c):
        return ("level", "area")

    def _grade(self, meta, c):
        level = c[0][1] if isinstance(c[0], tuple) else "area"
        c = c[1:] if isinstance(c[0], tuple) else c
        name = c[0]
        return s.GradeDecl(str(name), level, tuple(c[1:]), name.type == "NAME", self.sp(meta))

    grade_band = _grade
    grade_otherwise = _grade

    def every_share_short(self, meta, c):
        return s.GradeCondition("share_short", c[0], span=self.sp(meta))

    def every_part_short(self, meta, c):
        return s.GradeCondition("part_short", c[0], span=self.sp(meta))

    def all_parts(self, meta, c):
        return s.GradeCondition("all", status=str(c[0]), span=self.sp(meta))

    def at_least_parts(self, meta, c):
        return s.GradeCondition("at_least", c[0], str(c[1]), len(c) > 2, self.sp(meta))

    def no_parts(self, meta, c):
        return s.GradeCondition("none", status=str(c[0]), span=self.sp(meta))

    def judge(self, meta, c):
        return s.JudgeDecl(str(c[0]), str(c[1]), str(c[2]), c[1].type == "NAME", self.sp(meta))

    def column(self, meta, c):
        return s.ColumnDecl(str(c[0]), str(c[1]), c[2], str(c[3]) if len(c) > 3 else None, self.sp(meta))

    def _table(kind):
        def build(self, meta, c):
            columns = tuple(x for x in c if isinstance(x, s.ColumnDecl))
            words = [x for x in c if not isinstance(x, s.ColumnDecl)]
            total = str(words[3]) if len(words) > 3 else None
            return s.TableDecl(kind, str(words[0]), str(words[1]), str(words[2]), total, columns, self.sp(meta))
        return build

    table = _table("table")
    followup = _table("followup")

    def import_peer(self, meta, c):
        return s.ImportDecl(str(c[0]), str(c[1]), self.sp(meta))

    def area_from(self, meta, c):
        return s.AreaFrom(str(c[0]), str(c[1]), self.sp(meta))

    def _adapt(what):
        def build(self, meta, c):
            value = c[1] if not isinstance(c[1], Token) else (int(c[1]) if c[1].type == "INT" else str(c[1]))
            return s.Adapt(what, str(c[0]), value, self.sp(meta))
        return build

    adapt_target = _adapt("target")
    adapt_weight = _adapt("weight")
    adapt_points = _adapt("points")
    adapt_text = _adapt("text")

    def map(self, meta, c):
        return s.MapDecl(str(c[0]), str(c[1]), str(c[2]), self.sp(meta))

    def each(self, meta, c):
        return s.EachBlock(str(c[0]), s.Ref(str(c[1]), None, self.tok(c[1])), tuple(c[2:]), self.sp(meta))

    def template(self, meta, c):
        return s.TemplateDecl(str(c[0]), tuple(str(x) for x in c[1:-1]), c[-1], self.sp(meta), self.tok(c[0]))

    # structure
    def planned_weight(self, meta, c):
        return ("weight", c[0])

    def area_target_index(self, meta, c):
        return ("target_index", number(str(c[0])))

    def area(self, meta, c):
        options = dict(c[2:])
        return s.AreaDecl(str(c[0]), str(c[1]), options.get("weight"),
                          options.get("target_index"), self.sp(meta))

    def goal(self, meta, c):
        return s.GoalDecl(str(c[0]), str(c[1]), self.sp(meta))

    def indicator(self, meta, c, is_bonus=False):
        return s.IndicatorDecl(str(c[0]), str(c[1]), c[2], is_bonus, self.sp(meta), self.tok(c[0]))

    def bonus_row(self, meta, c):
        return self.indicator(meta, c, is_bonus=True)


CALLBACKS = [name for name, value in vars(Builder).items() if not name.startswith("_") and callable(value)]


def _plain(value):
    """Header values as plain Python: texts and words as str, numbers as Fraction."""
    if isinstance(value, Token):
        return number(value) if value.type in ("INT", "NUMBER") else str(value)
    return value
