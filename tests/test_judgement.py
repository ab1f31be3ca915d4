"""The method written in the ruleset: statuses with bands, points bands and points per status,
goals and units judged from their parts, a person's judgement, the method's own words; and the
municipal example (rulesets/kommun-exempel) at each of its boundaries."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactdsl
from impactdsl.outcomes.tallies import Value
from impactdsl.render.output import render

from .conftest import ROOT, compile_text, evaluate_text, foreign_formulas

KOMMUN = ROOT / "rulesets" / "kommun-exempel"
SCALE = """ruleset "t"
status bra "Bra" english "Good" colour green when met
status nära "Nära" colour "#ffaa00" when at least 80% of target
status dåligt "Dåligt" colour red otherwise
"""


@pytest.fixture(scope="module")
def kommun_inputs():
    ruleset, problems = impactdsl.check(KOMMUN)
    assert ruleset is not None and not problems, problems
    outcomes, problems = impactdsl.load(KOMMUN / "data", ruleset)
    assert not problems
    return ruleset, outcomes


def _with(outcomes, name, value, unit="percent"):
    number = value if isinstance(value, bool) else Fraction(value)
    return attrs.evolve(outcomes, facts={**outcomes.facts, (name, None, False): Value(number, unit)})


def test_every_status_of_the_municipal_example(kommun_inputs):
    results = impactdsl.evaluate(*kommun_inputs)
    assert {r.id: r.status for r in results.indicators} == {
        "1.1.1": "uppfyllt", "1.1.2": "delvis", "1.2.1": "ej_uppfyllt", "1.2.2": "ej_uppfyllt", "2.1.1": "ej_uppfyllt",
        "2.1.2": "delvis", "3.1.1": "delvis", "3.1.2": "ej_bedömt", "3.1.3": "uppfyllt", "3.2.1": "uppfyllt"}


def test_goals_units_and_the_index_of_the_municipal_example(kommun_inputs):
    results = impactdsl.evaluate(*kommun_inputs)
    goals = {g.goal.id: g.grade.grade for a in results.areas for g in a.goals}
    assert goals == {"1.1": "delvis", "1.2": "ej_uppfyllt", "2.1": "delvis", "3.1": "delvis", "3.2": "uppfyllt"}
    assert [a.grade.grade for a in results.areas] == ["ej_uppfyllt", "delvis", "delvis"]
    assert (results.index, results.maximum) == (20, 0)                  # 1 of 5 goals met; no points
    judged = results.find("3.1").grade
    assert judged.judged.reason.startswith("Sammanvägd bedömning") and judged.computed == "delvis"


@pytest.mark.parametrize("value, status", [(85, "uppfyllt"), (84, "delvis"), (68, "delvis"), (67, "ej_uppfyllt")])
def test_partly_at_80_percent_of_a_target_to_reach(kommun_inputs, value, status):
    ruleset, outcomes = kommun_inputs
    assert impactdsl.evaluate(ruleset, _with(outcomes, "nöjdhet", value)).find("1.1.1").status == status


@pytest.mark.parametrize("days, status", [(10, "uppfyllt"), (Fraction(25, 2), "delvis"), (13, "ej_uppfyllt")])
def test_a_ceilings_partly_band_lies_above_it(kommun_inputs, days, status):
    """At most 10 days: 12,5 days reaches 80 % of the target (10 / 12,5), 13 does not."""
    ruleset, outcomes = kommun_inputs
    assert impactdsl.evaluate(ruleset, _with(outcomes, "väntetid", days, "number")).find("1.1.2").status == status


@pytest.mark.parametrize("value, status", [(90, "uppfyllt"), (Fraction(171, 2), "delvis"), (85, "ej_uppfyllt")])
def test_an_indicators_own_band(kommun_inputs, value, status):
    """2.1.2 is partly only at 95 % of its target (85,5 of 90), not at the scale's 80 %."""
    ruleset, outcomes = kommun_inputs
    assert impactdsl.evaluate(ruleset, _with(outcomes, "behörighet", value)).find("2.1.2").status == status


def test_a_missed_yes_no_is_missed_and_a_goal_of_it_is_judged(kommun_inputs):
    ruleset, outcomes = kommun_inputs
    results = impactdsl.evaluate(ruleset, outcomes)
    assert (results.find("1.2.1").status, results.find("1.2").grade.grade) == ("ej_uppfyllt", "ej_uppfyllt")
    changed = impactdsl.evaluate(ruleset, _with(outcomes, "plan", True, "yes/no"))
    assert (changed.find("1.2.1").status, changed.find("1.2").grade.grade) == ("uppfyllt", "delvis")  # 1 of 2
    both = impactdsl.evaluate(ruleset, _reported(_with(outcomes, "plan", True, "yes/no"), "1.2.2", "uppfyllt"))
    assert both.find("1.2").grade.grade == "uppfyllt"
    assert both.index == 40 and both.find("1").grade.grade == "delvis"


def _reported(outcomes, indicator, status=None):
    """The outcomes with the status reported for `indicator` changed, or (None) taken away."""
    reported = dict(outcomes.reported)
    if status is None:
        del reported[indicator]
    else:
        reported[indicator] = reported[indicator]._replace(status=status)
    return attrs.evolve(outcomes, reported=reported)


def test_nothing_is_judged_from_nothing(kommun_inputs):
    ruleset, outcomes = kommun_inputs
    results = impactdsl.evaluate(ruleset, _reported(outcomes, "3.2.1"))
    goal = results.find("3.2").grade
    assert (goal.grade, goal.assessed, goal.reason[0]) == (None, 0, "too_few_parts")
    assert results.find("3.2.1").reason == ("no_report", (("id", "3.2.1"),))
    assert "Inte bedömt: 0 av 1 delar har bedömts" in impactdsl.explain(results, "3.2")


# ---- statuses a person gave (`reported`) -------------------------------------------

def test_a_reported_status_is_read_with_who_judged_it(kommun_inputs):
    results = impactdsl.evaluate(*kommun_inputs)
    judged = results.find("1.2.2")
    assert (judged.status, judged.report.by, judged.report.date) == ("ej_uppfyllt", "kommunstyrelsen", "2023-12-14")
    assert judged.report.evidence == "protokoll KS 2023-12-14 § 112" and judged.compared is None
    text = impactdsl.explain(results, "1.2.2")
    assert "Rapporterad status: Ej uppfyllt, inte beräknad. Bedömd av kommunstyrelsen 2023-12-14" in text
    for form in ("text", "md", "html"):
        shown = render(results, form).replace("\u00a0", " ")
        assert "Bedömd av kommunstyrelsen 2023-12-14" in shown, form


@pytest.mark.parametrize("status, grade", [("uppfyllt", "delvis"), ("delvis", "delvis"), ("ej_uppfyllt", "ej_uppfyllt")])
def test_a_reported_status_judges_its_goal_as_a_computed_one_does(kommun_inputs, status, grade):
    """1.2 has 1.2.1 missed: with 1.2.2 met it is 1 of 2 (50 %), partly with one partly, else missed."""
    ruleset, outcomes = kommun_inputs
    assert impactdsl.evaluate(ruleset, _reported(outcomes, "1.2.2", status)).find("1.2").grade.grade == grade


def test_a_deliverables_text_is_carried_into_every_report(kommun_inputs):
    results = impactdsl.evaluate(*kommun_inputs)
    paragraphs = results.find("3.2.1").report.text
    assert len(paragraphs) == 2 and paragraphs[1] == "Överenskommelsen följs upp i ett gemensamt råd två gånger per år."
    assert paragraphs[0].startswith("Kommunen har under året tecknat") and "\n" not in paragraphs[0]
    for form in ("text", "md", "html"):
        assert "gemensamt råd två gånger per år" in render(results, form), form
    document = json.loads(render(results, "json"))
    row = next(i for a in document["areas"] for i in a["indicators"] if i["id"] == "3.2.1")
    assert row["reported"]["text"] == list(paragraphs) and row["reported"]["by"] == "kommunledningsförvaltningen"
    import io

    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(render(results, "xlsx")))
    cells = [c.value for sheet in book for r in sheet.iter_rows() for c in r if isinstance(c.value, str)]
    assert any("gemensamt råd" in c for c in cells)


def test_a_reported_status_in_the_ruleset_s_own_words_and_points(tmp_path):
    rules = SCALE + """points bra 2, nära 1
area 1 "A"
goal 1.1 "G"
indicator 1.1.1 "I" reported
indicator 1.1.2 "J" reported -> 5
"""
    (tmp_path / "ruleset.impact").write_text(rules, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "o.yaml").write_text(
        "reported:\n  1.1.1: {status: Nära, by: styrelsen}\n  1.1.2: {status: bra, by: styrelsen}\n", encoding="utf-8")
    ruleset, problems = impactdsl.check(tmp_path)
    outcomes, found = impactdsl.load(tmp_path / "data", ruleset)
    assert not problems and not found
    results = impactdsl.evaluate(ruleset, outcomes)
    assert [(r.status, r.points) for r in results.indicators] == [("nära", 1), ("bra", 5)]


@pytest.mark.parametrize("entry, code, words", [
    ("1.1.1: {status: klart, by: styrelsen}", "unknown-status", "not one of the ruleset's statuses"),
    ("1.1.1: {status: bra}", "data-shape", "does not say its by"),
    ("1.1.1: {by: styrelsen}", "data-shape", "does not say its status"),
    ("1.1.1: {status: bra, by: styrelsen, date: 14 dec}", "data-type", "is not a date"),
    ("1.1.1: {status: bra, by: styrelsen, sign: x}", "data-section", "unknown field 'sign'"),
    ("1.1.1: {status: bra, by: styrelsen, text: 'Anna 850101-1234 deltog'}", "data-identity", "identity number"),
    ("1.1.2: {status: bra, by: styrelsen}", "unknown-name", "not an indicator whose status is reported"),
    ("9.9.9: {status: bra, by: styrelsen}", "unknown-name", "there is no indicator 9.9.9"),
    ("1.1.1: bra", "data-shape", "should be a list of 'name: value' lines"),
    ("1.1.1: {status: bra, by: '   '}", "data-shape", "the by of 1.1.1's report is empty"),
    ("1.1.1: {status: bra, by: \"\\u200b\"}", "data-shape", "the by of 1.1.1's report is empty"),
    ("1.1.1: {status: bra, by: styrelsen, date: 0001-01-01}", "data-type", "is not a date"),
    ("1.1.1: {status: bra, by: styrelsen, text: 'Anna 850101\u22121234 deltog'}", "data-identity", "identity"),
])
def test_a_report_that_cannot_be_read_is_refused_with_where_and_why(tmp_path, entry, code, words):
    (tmp_path / "ruleset.impact").write_text(SCALE + """area 1 "A"
goal 1.1 "G"
indicator 1.1.1 "I" reported
fact f percent "f"
indicator 1.1.2 "J" f >= 80%
""", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "o.yaml").write_text(f"reported:\n  {entry}\n", encoding="utf-8")
    ruleset, problems = impactdsl.check(tmp_path)
    outcomes, found = impactdsl.load(tmp_path / "data", ruleset)
    assert [(d.code, d.span.line) for d in found] == [(code, 2)], found
    assert words in found[0].message.en and "850101" not in found[0].message.en + (found[0].hint.en if found[0].hint else "")
    assert "1.1.1" not in outcomes.reported


def test_a_reported_rule_has_no_value_to_use_nor_an_override(tmp_path):
    head = SCALE + 'area 1 "A"\ngoal 1.1 "G"\nindicator 1.1.1 "I" reported\n'
    _, problems = compile_text(tmp_path, head + 'indicator 1.1.2 "J" outcome(1.1.1) >= 1\n')
    assert [(d.code, d.span.line) for d in problems] == [("unit", 8)] and "judged by a person" in problems[0].message.en
    _, problems = compile_text(tmp_path, head + '  ; override met because "x"\n')
    assert [d.code for d in problems] == ["override"]


def test_explain_names_each_band_tried_and_what_decided(kommun_inputs):
    text = impactdsl.explain(impactdsl.evaluate(*kommun_inputs), "1").replace("\u00a0", " ")
    assert "Måluppfyllelse: Ej uppfyllt" in text
    assert "Uppfyllt: minst 75 % uppfyllt? Nej (0 %: 1.1, 1.2)" in text
    assert "Delvis uppfyllt: ingen ej uppfyllt eller sämre? Nej (1 av 2: 1.2)" in text


@pytest.mark.parametrize("path", ["hbs-2022", "sofvast-2022", "kommun-exempel"])
@pytest.mark.parametrize("form", ["text", "md", "html", "json"])
def test_no_output_uses_a_word_the_ruleset_did_not_give(path, form):
    results = impactdsl.run(ROOT / "rulesets" / path)
    out = render(results, form, "sv")
    for word in ("Impact Index", "Målområde", "Budgeterat", "Planerad viktning", "nära målet"):
        assert word not in out, (path, form, word)
    if path != "hbs-2022":
        assert "Betyg" not in out
    if form != "json":
        assert "Poäng" not in out and "poäng" not in out


def test_json_adds_the_vocabulary(kommun_inputs):
    document = json.loads(render(impactdsl.evaluate(*kommun_inputs), "json"))
    method = document["method"]
    assert method["words"]["area"] == "Perspektiv" and method["index"] == "Andel uppfyllda mål"
    assert [s["name"] for s in method["statuses"]] == ["uppfyllt", "delvis", "ej_uppfyllt", "ej_bedömt"]
    assert document["areas"][0]["indicators"][1]["target_text"] == "≤ 10"


def test_reports_show_the_target_and_the_rulesets_statuses(kommun_inputs):
    results = impactdsl.evaluate(*kommun_inputs)
    html = render(results, "html")
    assert "Målvärde" in html and "≥ 85\u00a0%" in html and "#f9a825" in html and "Delvis uppfyllt" in html
    assert '<svg class="gauge"' in html                              # an index: a gauge
    assert '<svg class="gauge"' not in render(impactdsl.run(ROOT / "rulesets" / "hbs-2022"), "html")   # none
    md = render(results, "md")
    assert "| Målvärde |" in md and "Perspektiv 1: Invånare" in md and "| Poäng |" not in md


# ---- points bands and points per status --------------------------------------------

BANDS = SCALE + 'index "Index"\nfact f percent\narea 1 "a"\ngoal 1.1 "g"\nindicator 1.1.1 "i" f {rule}\n'


@pytest.mark.parametrize("value, points", [(90, 3), (80, 3), (79, 2), (60, 2), (40, 1), (39, 0)])
def test_points_bands_are_tried_in_order(tmp_path, value, points):
    results = evaluate_text(tmp_path, BANDS.format(rule=">= 80% -> 3, >= 60% -> 2, >= 40% -> 1"),
                            f"facts:\n  f: {value}%\n")
    assert (results.find("1.1.1").points, results.maximum) == (points, 3)


@pytest.mark.parametrize("rule, words", [
    (">= 60% -> 3, >= 80% -> 2", "can never be reached"),
    (">= 80% -> 2, >= 60% -> 2", "no fewer than"),
    (">= 80% -> 3, <= 60% -> 2", "both ways"),
    ("between 80% and 100% -> 3, between 50% and 70% -> 2", "no band holds between"),
    ("between 80% and 100% -> 3, between 60% and 85% -> 2", "overlap"),
])
def test_check_refuses_bands_out_of_order_with_gaps_or_overlaps(tmp_path, rule, words):
    ruleset, problems = compile_text(tmp_path, BANDS.format(rule=rule))
    assert ruleset is None and any(p.code == "points" and words in p.message.en for p in problems), problems


@pytest.mark.parametrize("value, status, points", [(90, "bra", 2), (70, "nära", 1), (50, "dåligt", 0)])
def test_points_per_status(tmp_path, value, status, points):
    text = SCALE + 'index "Index"\npoints bra 2, nära 1\nfact f percent\narea 1 "a"\ngoal 1.1 "g"\n' \
                   'indicator 1.1.1 "i" f >= 80%\n'
    r = evaluate_text(tmp_path, text, f"facts:\n  f: {value}%\n")
    assert (r.find("1.1.1").status, r.find("1.1.1").points, r.maximum) == (status, points, 2)


@pytest.mark.parametrize("text, code, words", [
    (SCALE + 'status nästan "N" when at least 90% of target\n', "status", "best first"),
    ('ruleset "t"\nstatus a "A" when met\nstatus b "B" when at least 80% of target\n'
     'status c "C" when at least 70% of target\nstatus d "D" when at least 90% of target\nstatus e "E" otherwise\n',
     "status", "can never be reached"),
    (SCALE + "grade goal bra when none bra\ngrade goal dåligt otherwise\n", "grade", "can never hold"),
    (SCALE + 'index "I" of goals bra\n', "index", "no goal grade"),
    (SCALE + "grade goal bra when all okänd\ngrade goal dåligt otherwise\n", "unknown-name", "okänd"),
    (SCALE + 'status x "X" colour "javascript:alert(1)" when no data\n', "unknown-name", "colour"),
])
def test_check_finds_what_can_never_hold(tmp_path, text, code, words):
    _, problems = compile_text(tmp_path, text)
    assert any(p.code == code and words in p.message.en for p in problems), problems


# ---- proved over generated methods ---------------------------------------------------

STATUS_ORDER = ["bra", "nära", "dåligt"]


@settings(max_examples=60, deadline=None)
@given(target=st.integers(1, 99), share=st.integers(50, 99), low=st.integers(0, 100), rise=st.integers(0, 100),
       ceiling=st.booleans())
def test_a_status_never_worsens_as_the_value_improves(tmp_path_factory, target, share, low, rise, ceiling):
    tmp = tmp_path_factory.mktemp("m")
    text = (SCALE.replace("80%", f"{share}%") + 'fact f percent\narea 1 "a"\ngoal 1.1 "g"\n'
            f'indicator 1.1.1 "i" f {"<=" if ceiling else ">="} {target}%\n'
            "grade goal bra when all bra\ngrade goal nära when none dåligt\ngrade goal dåligt otherwise\n")
    ruleset, _ = compile_text(tmp, text)
    high = min(100, low + rise)
    worse, better = (high, low) if ceiling else (low, high)
    results = [impactdsl.evaluate(ruleset, _facts(ruleset, value)) for value in (worse, better)]
    ranks = [STATUS_ORDER.index(r.find("1.1.1").status) for r in results]
    assert ranks[1] <= ranks[0]
    goal_ranks = [STATUS_ORDER.index(r.find("1.1").grade.grade) for r in results]
    assert goal_ranks[1] <= goal_ranks[0]                 # the goal never worsens as its indicator improves
    assert all(0 <= r.achieved <= r.maximum for r in results)


def _facts(ruleset, value):
    from impactdsl.outcomes.tallies import Outcomes

    return Outcomes(facts={("f", None, False): Value(Fraction(value), "percent")})


@settings(max_examples=40, deadline=None)
@given(statuses=st.lists(st.sampled_from(STATUS_ORDER + [None]), min_size=1, max_size=6),
       minimum=st.integers(1, 3))
def test_no_judgement_from_fewer_assessed_parts_than_the_minimum(tmp_path_factory, statuses, minimum):
    tmp = tmp_path_factory.mktemp("n")
    values = {"bra": 90, "nära": 70, "dåligt": 10}
    lines = [f'indicator 1.1.{i + 1} "i" f{i} >= 80%' for i in range(len(statuses))]
    facts = "".join(f"fact f{i} percent\n" for i in range(len(statuses)))
    text = (SCALE + f"minimum assessed {minimum}\n" + facts + 'area 1 "a"\ngoal 1.1 "g"\n' + "\n".join(lines) +
            "\ngrade goal bra when at least 50% bra\ngrade goal dåligt otherwise\n")
    ruleset, problems = compile_text(tmp, text)
    assert ruleset is not None, problems
    from impactdsl.outcomes.tallies import Outcomes

    outcomes = Outcomes(facts={(f"f{i}", None, False): Value(Fraction(values[s]), "percent")
                               for i, s in enumerate(statuses) if s is not None})
    grade = impactdsl.evaluate(ruleset, outcomes).find("1.1").grade
    assessed = sum(s is not None for s in statuses)
    assert (grade.grade is None) == (assessed < minimum)
    assert grade.assessed == assessed


def test_a_reported_text_stays_inert_in_every_report(tmp_path):
    """A deliverable's text is data: no markup, formula or terminal control sequence survives it."""
    (tmp_path / "ruleset.impact").write_text(SCALE + 'area 1 "A"\ngoal 1.1 "G"\nindicator 1.1.1 "I" reported\n',
                                             encoding="utf-8")
    (tmp_path / "data").mkdir()
    hostile = '=HYPERLINK("http://x") <script>alert(1)</script> \x1b[31mröd'
    (tmp_path / "data" / "o.yaml").write_text(
        "reported:\n  1.1.1:\n    status: bra\n    by: '<b>styrelsen</b>'\n    text: " + json.dumps(hostile) + "\n",
        encoding="utf-8")
    ruleset, _ = impactdsl.check(tmp_path)
    outcomes, found = impactdsl.load(tmp_path / "data", ruleset)
    assert not found
    results = impactdsl.evaluate(ruleset, outcomes)
    html = render(results, "html")
    assert "<script>alert" not in html and "<b>styrelsen" not in html and "&lt;script&gt;" in html
    assert "\x1b" not in render(results, "text") and "\\x1b" in render(results, "text")
    import io

    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(render(results, "xlsx")))
    cells = [c for sheet in book for r in sheet.iter_rows() for c in r if isinstance(c.value, str)]
    assert not foreign_formulas(book)
    assert all(c.data_type == "s" for c in cells if "HYPERLINK" in c.value)
    assert any("HYPERLINK" in c.value for c in cells)


@settings(max_examples=80, deadline=None)
@given(bands=st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100), st.integers(0, 9)), min_size=1, max_size=4),
       between=st.booleans())
def test_points_bands_that_check_accepts_partition_the_values(tmp_path_factory, bands, between):
    """Accepted bands give every whole value one band at most, each band's values side by side, and
    points that never fall as the value rises; and never more than the maximum."""
    tmp = tmp_path_factory.mktemp("b")
    if between:
        written = [f"between {min(a, b)}% and {max(a, b)}% -> {p}" for a, b, p in bands]
    else:
        written = [f">= {a}% -> {p}" for a, _, p in bands]
    ruleset, problems = compile_text(tmp, BANDS.format(rule=", ".join(written)))
    if ruleset is None:
        assert any(p.code == "points" for p in problems), problems
        return
    indicator = ruleset.indicators[0]
    criteria = [indicator.criterion] + [b.criterion for b in indicator.point_bands]
    from impactdsl.evaluation.engine import test as holds

    points, previous = [], None
    for value in range(0, 101):
        holding = [c for c in criteria if holds(c, Fraction(value))]
        if between:
            assert len(holding) <= 1, (written, value)
        result = impactdsl.evaluate(ruleset, _facts(ruleset, value)).find("1.1.1")
        assert 0 <= result.points <= indicator.value
        points.append(result.points)
        if previous is not None:
            assert result.points >= previous or between, (written, value)
        previous = result.points
    if between:
        lows = sorted((c.bound, c.upper) for c in criteria)
        covered = [v for v in range(0, 101) if any(low <= v <= high for low, high in lows)]
        assert covered == list(range(int(lows[0][0]), int(min(100, lows[-1][1])) + 1))   # no whole value left out
        ranked = [p for p in points if p]
        assert ranked == sorted(ranked)                  # more points nearer the target


GRADE_CONDITIONS = st.sampled_from(["all {s}", "at least 1 {s}", "at least 2 {s}", "at least 50% {s}",
                                    "at least 75% {s}", "none {s}", "every share is at most 10pp short"])


@st.composite
def _method(draw):
    """A goal scale and a unit scale, each best first, and goals of indicators with statuses."""
    def bands(level):
        lines = []
        for grade in draw(st.lists(st.sampled_from(STATUS_ORDER[:2]), min_size=1, max_size=3, unique=True)):
            conditions = draw(st.lists(GRADE_CONDITIONS, min_size=1, max_size=2))
            status = draw(st.sampled_from(STATUS_ORDER))
            lines.append(f"grade {level} {grade} when " + " and ".join(c.format(s=status) for c in conditions))
        lines.sort(key=lambda line: STATUS_ORDER.index(line.split()[2]))
        return lines + [f"grade {level} dåligt otherwise"]
    goals = draw(st.lists(st.lists(st.sampled_from(STATUS_ORDER), min_size=1, max_size=4), min_size=1, max_size=3))
    return bands("goal"), bands("area"), goals


@settings(max_examples=120, deadline=None)
@given(method=_method(), which=st.integers(0, 100))
def test_a_unit_never_worsens_when_one_of_its_indicators_improves(tmp_path_factory, method, which):
    goal_bands, area_bands, goals = method
    values = {"bra": 90, "nära": 70, "dåligt": 10}
    lines, facts, statuses = [], [], []
    for g, indicators in enumerate(goals, 1):
        lines.append(f'goal 1.{g} "g"')
        for i, status in enumerate(indicators, 1):
            name = f"f{g}_{i}"
            facts.append(f"fact {name} percent")
            lines.append(f'indicator 1.{g}.{i} "i" {name} >= 80%')
            statuses.append((name, status))
    text = SCALE + "\n".join(facts + goal_bands + area_bands + ['area 1 "a"'] + lines) + "\n"
    ruleset, problems = compile_text(tmp_path_factory.mktemp("u"), text)
    if ruleset is None:                          # a band that can never hold: refused, nothing to prove
        return
    improvable = [k for k, (_, status) in enumerate(statuses) if status != "bra"]
    if not improvable:
        return
    k = improvable[which % len(improvable)]
    better = list(statuses)
    better[k] = (statuses[k][0], STATUS_ORDER[STATUS_ORDER.index(statuses[k][1]) - 1])
    from impactdsl.outcomes.tallies import Outcomes

    def grade(given):
        outcomes = Outcomes(facts={(name, None, False): Value(Fraction(values[s]), "percent") for name, s in given})
        results = impactdsl.evaluate(ruleset, outcomes)
        assert [r.status for r in results.indicators] == [s for _, s in given]
        return [STATUS_ORDER.index(g.grade.grade) for g in results.areas[0].goals], \
            STATUS_ORDER.index(results.areas[0].grade.grade)
    (goals_before, unit_before), (goals_after, unit_after) = grade(statuses), grade(better)
    assert all(after <= before for before, after in zip(goals_before, goals_after)), text
    assert unit_after <= unit_before, text


# ---- a target whose text disagrees with its rule -----------------------------------------------
@pytest.mark.parametrize("text, rule, warned", [
    ("Minst 85 % av brukarna är nöjda.", "f >= 80%", "states 85 % but its rule's target is 80 %"),
    ("80 % av personalen ska svara ja.", "f >= 75%", "states 80 % but its rule's target is 75 %"),
    ("Minst 85 % av brukarna är nöjda.", "f >= 85%", None),
    ("Andelen ligger mellan 40 % och 60 %.", "f between 40% and 60%", None),
    ("Väntetiden är högst 10 dagar.", "n <= 12", "states 10 but its rule's target is 12"),
    ("Årets resultat är minst 20 000 tkr.", "n >= 20000", None),
    ("Minst 3 av 5 insatser följs upp.", "n >= 3", None),
    ("Brukarna är nöjda.", "f >= 80%", None),                       # no target in the text: nothing to say
])
def test_check_warns_when_a_text_states_another_target(tmp_path, text, rule, warned):
    ruleset, problems = compile_text(tmp_path, SCALE + f'fact f percent\nfact n number\narea 1 "a"\ngoal 1.1 "g"\n'
                                     f'indicator 1.1.1 "{text}" {rule}\n')
    found = [p for p in problems if p.code == "target-text"]
    assert ruleset is not None
    assert [p.message.en for p in found] == (
        [f"the text of 1.1.1 {warned}"] if warned else [])


def test_check_warns_when_a_peers_target_is_adapted_but_not_its_text(tmp_path):
    """The example peer adapts Umeå's 80 % to 75 % and its texts too; without the texts, check says so."""
    folder = tmp_path / "rulesets"
    shutil.copytree(ROOT / "rulesets" / "umea-2022", folder / "umea-2022", ignore=shutil.ignore_patterns("raw"))
    shutil.copytree(ROOT / "rulesets" / "example-peer", folder / "example-peer")
    _, problems = impactdsl.check(folder / "example-peer", allow=[folder])
    assert not [p for p in problems if p.code == "target-text"]
    peer = folder / "example-peer" / "ruleset.impact"
    peer.write_text("\n".join(line for line in peer.read_text(encoding="utf-8").splitlines()
                              if not line.startswith("adapt text 3.2.")) + "\n", encoding="utf-8")
    _, problems = impactdsl.check(folder / "example-peer", allow=[folder])
    warned = [p for p in problems if p.code == "target-text"]
    assert [p.message.en for p in warned] == [f"the text of 3.2.{i} states 80 % but its rule's target is 75 %"
                                           for i in (4, 6)]
    assert all("adapt text 3.2." in p.hint.en for p in warned)


def test_the_terminal_report_shows_each_goals_judgement(kommun_inputs):
    text = render(impactdsl.evaluate(*kommun_inputs), "text")
    assert "  Strategiskt mål 1.1: Delvis uppfyllt\n  1.1.1 " in text
    assert "  Strategiskt mål 1.2: Ej uppfyllt\n  1.2.1 " in text


def test_a_gauge_without_a_target_says_none(kommun_inputs):
    html = render(impactdsl.evaluate(*kommun_inputs), "html")
    assert 'class="gauge"' in html and "Målvärde" not in html.split('class="gauge"')[1].split("</svg>")[0]


def test_the_old_near_target_setting_is_told_what_it_became(tmp_path):
    _, problems = compile_text(tmp_path, 'ruleset "x"\nnear target within 5pp\n')
    assert [p.code for p in problems] == ["syntax"] and "status nära" in problems[0].hint.en


def test_a_status_reported_twice_is_refused_where_it_is_given_again(tmp_path):
    (tmp_path / "ruleset.impact").write_text(SCALE + 'area 1 "A"\ngoal 1.1 "G"\nindicator 1.1.1 "I" reported\n',
                                             encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_text("reported:\n  1.1.1: {status: bra, by: s}\n", encoding="utf-8")
    (tmp_path / "data" / "b.yaml").write_text("reported:\n  1.1.1: {status: dåligt, by: t}\n", encoding="utf-8")
    ruleset, _ = impactdsl.check(tmp_path)
    _, found = impactdsl.load(tmp_path / "data", ruleset)
    assert [(d.code, d.span.path.endswith("b.yaml"), d.span.line) for d in found] == [("data-twice", True, 2)]


def test_a_reported_bonus_rows_points_are_its_bonus(tmp_path):
    rules = SCALE + 'index "Index"\nfact x number\narea 1 "A"\ngoal 1.1 "G"\n' \
        'indicator 1.1.2 "c" x >= 1 -> 2\nbonus 1.1.1 "rep" reported -> 3\n'
    results = evaluate_text(tmp_path, rules, "facts:\n  x: 1\nreported:\n  1.1.1: {status: bra, by: s}\n")
    row = results.find("1.1.1")
    assert (row.points, row.bonus_points, results.maximum, results.achieved) == (0, 3, 2, 5)
    assert "+3" in render(results, "text")
