"""What a ruleset's rules can give at all (evaluation/reachable.py), held against the engine on
small rulesets of every kind of rule and band: every status and grade the engine gives random
outcomes is one the reasoning says data can give (sound), and every one it says data can give is
given by some outcomes of a grid searched here (nothing claimed that no data gives). And the
bundled rulesets: what their rules cannot give, and why."""

from __future__ import annotations

import itertools
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactdsl
from impactdsl import testing
from impactdsl.compile import model as m
from impactdsl.core.kinds import Status
from impactdsl.evaluation import judging
from impactdsl.evaluation.reachable import Reach, reachable_statuses
from impactdsl.outcomes.tallies import Outcomes, Report, Tally, Value, period_slot

from .conftest import ROOT, compile_text

NEAR = """
status uppfyllt "Uppfyllt" colour green when met
status nära "Nära" colour yellow when within 5pp below target
status ej_uppfyllt "Ej uppfyllt" colour red otherwise
status ej_bedömt "Ej bedömt" colour grey when no data
"""
PARTLY = """
status uppfyllt "Uppfyllt" colour green when met
status delvis "Delvis" colour yellow when at least 80% of target
status ej_uppfyllt "Ej uppfyllt" colour red otherwise
status ej_bedömt "Ej bedömt" colour grey when no data
"""

RULESETS = {
    # points and a 'nära' band (Umeå's method): a share, a ratio, a ceiling, a yes/no, a count, points
    # per unit, a change in pp, a range, an override, a band of its own in days inside another band of
    # its own, no one target (near another indicator's, equal to a number)
    "poäng": ('ruleset "Poäng"\nperiod 2024 previous 2023\nrounding half-up to 1%\nminimum n 5\n'
              'index "Index"\n' + NEAR.replace("status ej_uppfyllt", 'status långt "Långt" colour orange when '
                                               'within 10pp below target\nstatus ej_uppfyllt') + """
scale s: 'ja' "Ja", 'nej' "Nej"
group g "gruppen"
question q1 scale s "Fråga"
count a "a"
count b "b"
count c "c"
count fall "fall"
fact tak percent "tak"
fact plan yes/no "plan"
fact andel percent "andel"
fact jämn percent "jämn"
fact låst percent "låst"
fact dagar number "dagar"
fact dagar2 number "dagar2"

area 1 "Ett"

goal 1.1 "Ett"

indicator 1.1.1 "andel svar"
  share(g, q1, ['ja']) >= 80% -> 3

indicator 1.1.2 "kvot"
  ratio(a, b) >= 40% -> 2

indicator 1.1.3 "tak"
  tak <= 10% -> 1

indicator 1.1.4 "ja/nej"
  plan = yes -> 1

area 2 "Två"

goal 2.1 "Två"

indicator 2.1.1 "antal"
  c >= 3 -> 1

indicator 2.1.2 "per enhet"
  fall -> 1 each up to 4

indicator 2.1.3 "ökning"
  increase(previous(andel), andel) >= 2pp -> 1

indicator 2.1.4 "spann"
  jämn between 40% and 60% -> 2

indicator 2.1.5 "ändrad"
  låst >= 50% -> 1
    ; override met because "styrelsen beslutade"

indicator 2.1.6 "dagar"
  dagar >= 10 -> 1
    ; status nära when within 2 of target
    ; status långt when within 1 of target

indicator 2.1.7 "nära ett annat mål"
  outcome(1.1.1) within 5pp of target -> 1

indicator 2.1.8 "lika"
  dagar2 = 3 -> 1
""", {"1.1.3": {"nära", "långt"}, "1.1.4": {"nära", "långt"}, "2.1.1": {"nära", "långt"},
      "2.1.2": {"nära", "långt"}, "2.1.3": {"nära", "långt"},
      "2.1.5": {"nära", "långt", "ej_uppfyllt", "ej_bedömt"},
      "2.1.6": {"långt"}, "2.1.7": {"nära", "långt"}, "2.1.8": {"nära", "långt"}}),
    # traffic lights (kommun-exempel's method): goals and units graded, a ceiling, a yes/no, a
    # reported status, counts (whole: none is 80 % of 3), a computed target, a target of 0, a goal
    # judged by a person
    "trafikljus": ('ruleset "Trafikljus"\nperiod 2024\nrounding half-up to 1%\nminimum n 5\n' + PARTLY + """
grade goal uppfyllt when all uppfyllt
grade goal delvis when at least 50% uppfyllt
grade goal delvis when at least 1 delvis
grade goal ej_uppfyllt otherwise
grade uppfyllt when at least 75% uppfyllt
grade delvis when none ej_uppfyllt
grade ej_uppfyllt otherwise
judge 3.1 delvis because "styrelsens bedömning"

fact nöjd percent "nöjda"
fact vänt number "väntetid"
fact plan yes/no "plan"
fact res tkr "resultat"
fact intäkt tkr "intäkter"
fact skuld tkr "skuld"
fact avvik percent "avvikelse"
fact samv percent "samverkan"
count deltagare "deltagare"
count besök "besök"

area 1 "Ett"

goal 1.1 "Ett"

indicator 1.1.1 "nöjda"
  nöjd >= 85%

indicator 1.1.2 "väntetid"
  vänt <= 10

goal 1.2 "Två"

indicator 1.2.1 "plan"
  plan = yes

indicator 1.2.2 "bedömd"
  reported

goal 1.3 "Tre"

indicator 1.3.1 "deltagare"
  deltagare >= 3

indicator 1.3.2 "besök"
  besök >= 5

area 2 "Två"

goal 2.1 "Ekonomi"

indicator 2.1.1 "resultat"
  res >= 2% * intäkt

indicator 2.1.2 "ingen skuld"
  sum(skuld over 2022 to 2024) >= 0

area 3 "Tre"

goal 3.1 "Budget"

indicator 3.1.1 "avvikelse"
  avvik <= 2%

goal 3.2 "Samverkan"

indicator 3.2.1 "samverkan"
  samv >= 50%
""", {"1.2.1": {"delvis"}, "1.3.1": {"delvis"}, "2.1.2": {"delvis"}, "3.1": {"uppfyllt", "ej_uppfyllt"},
      "3": {"uppfyllt"}}),
    # grades by how far short (hbs-2022's method), by points and of goals, with the default statuses
    "betyg": ("""ruleset "Betyg"
period 2024
rounding half-up to 1%
grade goal met when all met
grade goal "Halvvägs" when at least 50% met by points
grade goal missed otherwise
grade "God" when every share is at most 5pp short
grade "Godtagbart" when every goal is at most 20% relative short
grade "Svag" when at least 1 Halvvägs
grade "Ej godtagbart" otherwise

fact f1 percent "f1"
fact f2 percent "f2"
fact f3 percent "f3"
fact n1 number "n1"
fact n2 number "n2"

area 1 "Ett"

goal 1.1 "Ett"

indicator 1.1.1 "f1"
  f1 >= 80% -> 3

indicator 1.1.2 "n1"
  n1 >= 10 -> 1

goal 1.2 "Två"

indicator 1.2.1 "f2"
  f2 >= 70% -> 1

area 2 "Två"

goal 2.1 "Ett"

indicator 2.1.1 "f3"
  f3 >= 60% -> 2

indicator 2.1.2 "n2"
  n2 <= 5 -> 2
""", {"1.2": {"Halvvägs"}}),      # one indicator: all met (met) or none (missed), never half
}


@pytest.fixture(scope="module", params=sorted(RULESETS))
def case(request, tmp_path_factory):
    text, unreachable = RULESETS[request.param]
    ruleset, problems = compile_text(tmp_path_factory.mktemp(request.param), text)
    assert ruleset is not None and not impactdsl.has_errors(problems), impactdsl.render_problems(problems)
    return request.param, ruleset, unreachable


# ---- the data an indicator reads, and values to try for each ---------------------------------
def _reads(ruleset: m.Ruleset, node) -> list[tuple]:
    """The outcome data a measure (or an indicator) reads: (table, key)."""
    settings_ = ruleset.settings
    if isinstance(node, m.Indicator):
        c = node.criterion
        extra = [x for x in ((c.bound_from, c.upper_from) if c else ()) if x is not None]
        return _reads(ruleset, node.measure) + [k for x in extra for k in _reads(ruleset, x)]
    if isinstance(node, m.AnswersOf):
        return [("surveys", (node.group.name, node.question.name, node.subgroup.name if node.subgroup else None),
                 frozenset(node.answers))]
    if isinstance(node, m.CountOf):
        return [("counts", (node.name, node.key, period_slot(settings_, node.previous, node.period)), None)]
    if isinstance(node, m.FactOf):
        return [("facts", (node.name, node.key, period_slot(settings_, node.previous, node.period)), node.kind)]
    if isinstance(node, m.ReportedOf):
        return [("reported", node.indicator, None)]
    if isinstance(node, m.OutcomeOf):
        return _reads(ruleset, next(i for i in ruleset.indicators if i.id == node.indicator))
    parts = {m.RatioOf: ("part", "whole"), m.GapOf: ("first", "second"), m.ChangeOf: ("start", "end"),
             m.Arithmetic: ("left", "right")}.get(type(node))
    found = [getattr(node, p) for p in parts] if parts else list(getattr(node, "parts", ()))
    return [k for x in found for k in _reads(ruleset, x)]


def _grid(ruleset: m.Ruleset, read: tuple, reads: int) -> list:
    """Values to try for one piece of data (None: not in the data), fewer when an indicator reads
    `reads` pieces."""
    table, _, kind = read
    if table == "surveys":
        return [None, (0, 0)] + [(n, k) for n in ((3, 5, 10, 20, 100, 200) if reads == 1 else (5, 20))
                                 for k in range(n + 1)]
    if table == "counts":
        return [[None, *range(16), 20, 30, 50, 100], [None, *range(11), 20], [None, 0, 1, 5]][min(reads, 3) - 1]
    if table == "reported":
        return [None] + [s.name for s in ruleset.method.statuses]
    if kind == "yes/no":
        return [None, True, False]
    if kind == "percent":
        return [[None] + [Fraction(x, 2) for x in range(-4, 241)],
                [None] + [Fraction(x, 2) for x in range(-2, 7)] + [Fraction(x) for x in (10, 50, 100)],
                [None, Fraction(-1), Fraction(0), Fraction(50), Fraction(100)]][min(reads, 3) - 1]
    return [[None] + [Fraction(x, 2) for x in range(-20, 61)] + [Fraction(x) for x in (100, 500, 1000, 10000)],
            [None] + [Fraction(x) for x in (-10, -1, 0, 1, 2, 8, 10, 100, 500, 1000)],
            [None, Fraction(-10), Fraction(-1), Fraction(0), Fraction(1), Fraction(10)]][min(reads, 3) - 1]


def _put(outcomes: Outcomes, read: tuple, value) -> Outcomes:
    table, key, kind = read
    entries = dict(getattr(outcomes, table))
    entries.pop(key, None)
    if value is not None:
        entries[key] = {"surveys": lambda: Tally(value[0], ((kind, value[1]),)),
                        "counts": lambda: Value(value, "number"),
                        "facts": lambda: Value(value, kind),
                        "reported": lambda: Report(value, "styrelsen")}[table]()
    return attrs.evolve(outcomes, **{table: entries})


def _signature(r, method: m.Method) -> tuple:
    """What a goal's or unit's grade reads of an indicator result, as the engine has it."""
    met = method.role(Status.MET).name
    limits = [(c.kind, c.amount) for g in method.grades for c in g.conditions if c.kind.endswith("_short")]
    short = [Fraction(0) if r.status == met else judging.shortfall(r, kind == "part_short") for kind, _ in limits]
    return r.status, r.counted_in_max, tuple(s is not None and s <= q for s, (_, q) in zip(short, limits))


def _given(results) -> dict[str, str]:
    """Every status, goal grade and unit grade the engine gave."""
    out = {r.id: r.status for r in results.indicators if not r.indicator.is_bonus}
    for area in results.areas:
        for goal in area.goals:
            if goal.grade is not None and goal.grade.grade:
                out[goal.goal.id] = goal.grade.grade
        if area.grade is not None and area.grade.grade:
            out[area.area.id] = area.grade.grade
    return out


def _reachable(ruleset) -> dict[str, set[str]]:
    coverage = testing.coverage(ruleset)
    return {id_: set(names) for id_, names in coverage.declared.items()}


# ---- the engine never gives what the reasoning says no data can give ---------------------------
@st.composite
def _outcomes(draw, ruleset: m.Ruleset) -> Outcomes:
    outcomes = Outcomes()
    for ind in ruleset.indicators:
        for read in _reads(ruleset, ind):
            table, _, kind = read
            if draw(st.integers(0, 9)) == 0:
                value = None
            elif table == "surveys":
                n = draw(st.integers(0, 250))
                value = (n, draw(st.integers(0, n)))
            elif table == "counts":
                value = draw(st.integers(0, 60))
            elif table == "reported":
                value = draw(st.sampled_from([s.name for s in ruleset.method.statuses]))
            elif kind == "yes/no":
                value = draw(st.booleans())
            else:
                value = Fraction(draw(st.integers(-200, 1500)), draw(st.sampled_from([1, 2, 10])))
            outcomes = _put(outcomes, read, value)
    return outcomes


EXAMPLES = 400


def test_the_engine_gives_only_what_the_rules_can_give(case):
    name, ruleset, _ = case
    reachable = _reachable(ruleset)
    seen: dict[str, set[str]] = {}

    @settings(max_examples=EXAMPLES, deadline=None)
    @given(_outcomes(ruleset))
    def sound(outcomes):
        for id_, got in _given(impactdsl.evaluate(ruleset, outcomes)).items():
            assert got in reachable[id_], (name, id_, got, reachable[id_])
            seen.setdefault(id_, set()).add(got)

    sound()
    assert seen                                   # the examples were judged


# ---- and what the reasoning says data can give, some data give --------------------------------
def test_every_status_and_grade_said_reachable_is_given_by_some_data(case):
    name, ruleset, unreachable = case
    reachable = _reachable(ruleset)
    method = ruleset.method
    found: dict[str, set[str]] = {}
    witnesses: dict[str, dict[tuple, dict]] = {}          # per indicator: a state it was in, and its data
    tried = 0
    for ind in ruleset.indicators:
        reads = _reads(ruleset, ind)
        grids = [_grid(ruleset, read, len(reads)) for read in reads]
        for values in itertools.product(*grids):
            outcomes = Outcomes()
            for read, value in zip(reads, values):
                outcomes = _put(outcomes, read, value)
            results = impactdsl.evaluate(ruleset, outcomes)
            tried += 1
            r = results.find(ind.id)
            found.setdefault(ind.id, set()).add(r.status)
            assert r.status in reachable[ind.id], (name, ind.id, r.status)
            witnesses.setdefault(ind.id, {}).setdefault(_signature(r, method), dict(zip(reads, values)))
    parts = [(g.id, [i.id for i in g.indicators]) for a in ruleset.areas for g in a.goals] + \
        [(a.id, [i.id for i in a.indicators]) for a in ruleset.areas]
    for part, ids in parts:
        if part not in reachable:
            continue
        for chosen in itertools.product(*(witnesses[i].values() for i in ids)):
            outcomes = Outcomes()
            for data in chosen:
                for read, value in data.items():
                    outcomes = _put(outcomes, read, value)
            given_ = _given(impactdsl.evaluate(ruleset, outcomes))
            tried += 1
            if part in given_:
                found.setdefault(part, set()).add(given_[part])
    for id_, names in reachable.items():
        assert found.get(id_, set()) == names, (name, id_, found.get(id_), names)
    every = {id_: set(names) | set(testing.coverage(ruleset).unreachable.get(id_, ())) for id_, names in
             reachable.items()}
    assert {id_: every[id_] - names for id_, names in reachable.items() if every[id_] - names} == unreachable
    assert tried > 1000


# ---- the bundled rulesets -------------------------------------------------------------------------
def _bundled(name: str) -> m.Ruleset:
    ruleset, problems = impactdsl.check(ROOT / "rulesets" / name)
    assert ruleset is not None, impactdsl.render_problems(problems)
    return ruleset


def test_what_the_bundled_rules_cannot_give_and_why():
    """Umeå's and its peer's 'nära' is `within 5pp below target`: never for a yes/no, points per unit,
    a ceiling (< and <=: below targets to reach only), a change in pp or in relative percent (a band
    in pp is on a share's target only); Umeå's 1.3.1 has `override for umeå met`. kommun-exempel's
    1.2.1 is a yes/no; 3.1.3's target is 0, and 80 % of 0 is no band; its goal 3.1 is judged delvis
    by a person, so perspective 3 (goals 3.1 and 3.2) has at most 1 of 2 goals uppfyllt, under the
    75 % its uppfyllt asks."""
    ceilings = ("2.3.1 2.3.2 2.3.3 2.3.4 2.3.5 2.3.6 2.3.7 2.4.1 2.4.2 2.4.3 2.4.4 2.4.5 2.4.6 4.2.2 4.3.2 4.4.2 "
                "4.4.4 4.4.6 4.5.2 4.6.2 1.3.3 1.3.5 1.3.7 1.3.9 1.3.11")
    yes_no_and_per_unit = "1.2.10 1.2.11 3.1.4 3.2.5 3.3.4 3.4.5"
    changes = "1.1.3 1.2.3 1.2.6 1.2.9 1.3.2 1.3.4 1.3.6 1.3.8 1.3.10 1.3.12"
    umea = testing.coverage(_bundled("umea-2022"))
    assert umea.left_out() == 44 and umea.counts()[1] == 352
    assert umea.unreachable == {**dict.fromkeys(f"{yes_no_and_per_unit} {changes} {ceilings}".split(), ("nära",)),
                    "1.3.1": ("nära", "ej_uppfyllt", "ej_bedömt")}
    assert testing.coverage(_bundled("example-peer")).unreachable == dict.fromkeys("3.1.4 3.2.5 3.3.4 3.4.5".split(),
                                                                                   ("nära",))
    assert testing.coverage(_bundled("kommun-exempel")).unreachable == {
        "1.2.1": ("delvis",), "3.1.3": ("delvis",), "3.1": ("uppfyllt", "ej_uppfyllt"), "3": ("uppfyllt",)}
    for name in ("hbs-2022", "sofvast-2022"):
        assert testing.coverage(_bundled(name)).unreachable == {}


def test_a_status_is_worked_out_for_one_indicator():
    ruleset = _bundled("kommun-exempel")
    by_id = {i.id: i for i in ruleset.indicators}
    assert reachable_statuses(by_id["1.1.2"], ruleset) == ("uppfyllt", "delvis", "ej_uppfyllt", "ej_bedömt")
    assert reachable_statuses(by_id["1.2.1"], ruleset) == ("uppfyllt", "ej_uppfyllt", "ej_bedömt")
    assert Reach(ruleset).grades("3") == ("delvis", "ej_uppfyllt")
