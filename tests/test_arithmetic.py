"""Figures computed from figures: + - * / and brackets, min, max, sums over entities and years,
amounts below zero, targets computed from other outcomes, facts per year, and the units kept
apart (a percentage is never added to an amount, nor a share to a count of people)."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactdsl
from impactdsl.core.source import Source
from impactdsl.outcomes.tallies import Value
from impactdsl.parse import printer
from impactdsl.parse.parser import parse
from impactdsl.render.output import render

from .conftest import ROOT, compile_text, evaluate_text

HEAD = """ruleset "Ekonomi"
period 2023
fact resultat tkr "årets resultat"
fact intäkter tkr "skatteintäkter"
fact kostnad tkr "kostnader"
fact nöjda percent "andel nöjda"
fact mål_andel percent "andel nöjda året före"
count deltagare "deltagare"
count avslut "avslut"
entities kommuner: umeå "Umeå", vännäs "Vännäs"
param golv = -500
area 1 "Ekonomi"
goal 1.1 "God hushållning"
"""
DATA = """facts:
  resultat: {2020: -4200, 2021: -1500, 2022: 2600, 2023: 18000, umeå: 700, vännäs: -300}
  intäkter: 1000000
  kostnad: 950000
  nöjda: 84%
  mål_andel: 80%
counts:
  deltagare: 40
  avslut: 10
"""


def _value(tmp_path, rule: str, data: str = DATA):
    results = evaluate_text(tmp_path, HEAD + f'indicator 1.1.1 "x" {rule}\n', data)
    return results.find("1.1.1")


# ---- what each computation gives: (rule, compared value, status) ------------------------------
CASES = [
    ("resultat - kostnad / 100 >= 0", Fraction(8500), "met"),              # / binds before -
    ("(resultat - kostnad) / 100 >= 0", Fraction(-9320), "missed"),        # brackets group
    ("resultat - 1000 - 2000 >= 0", Fraction(15000), "met"),               # left to right
    ("-resultat <= 0", Fraction(-18000), "met"),
    ("2% * intäkter >= 20000", Fraction(20000), "met"),                    # a percentage of an amount
    ("kostnad / intäkter <= 95%", Fraction(95), "met"),                    # an amount of an amount: a share
    ("intäkter / deltagare >= 25000", Fraction(25000), "met"),             # an amount per person
    ("max(0, resultat[2021] + resultat[2020]) >= 0", Fraction(0), "met"),
    ("min(resultat[2020], resultat[2021], golv) <= -4000", Fraction(-4200), "met"),
    ("sum(resultat over 2020 to 2023) >= 0", Fraction(14900), "met"),
    ("sum(resultat over 2020 to 2021) >= 0", Fraction(-5700), "missed"),
    ("sum(resultat over kommuner) >= 500", Fraction(400), "missed"),
    ("nöjda - mål_andel >= 5pp", Fraction(4), "missed"),                   # two shares: points between
    ("avslut + deltagare >= 50", Fraction(50), "met"),
    ("resultat[2022] >= golv", Fraction(2600), "met"),                     # a negative param
    ("resultat >= -500", Fraction(18000), "met"),
]


@pytest.mark.parametrize("rule, value, status", CASES, ids=[c[0] for c in CASES])
def test_each_computation(tmp_path, rule, value, status):
    result = _value(tmp_path, rule)
    assert (result.compared, result.status) == (value, status)


# ---- targets computed from other outcomes ----------------------------------------------------
@pytest.mark.parametrize("rule, target, status", [
    ("resultat >= 2% * intäkter", Fraction(20000), "missed"),
    ("resultat >= 2% * intäkter - 2000", Fraction(18000), "met"),
    ("nöjda >= mål_andel + 5pp", Fraction(85), "missed"),
    ("nöjda >= mål_andel", Fraction(80), "met"),
    ("resultat between golv and max(intäkter - kostnad, 0)", Fraction(-500), "met"),
])
def test_a_target_computed_from_other_outcomes(tmp_path, rule, target, status):
    result = _value(tmp_path, rule)
    assert (result.criterion.bound, result.status) == (target, status)


def test_a_computed_target_follows_its_data(tmp_path):
    """Changing the figure a target is computed from changes the judgement."""
    met = _value(tmp_path, "resultat >= 2% * intäkter", DATA.replace("intäkter: 1000000", "intäkter: 900000"))
    assert (met.criterion.bound, met.status) == (18000, "met")


def test_explain_shows_a_computed_target_with_its_computation(tmp_path):
    results = evaluate_text(tmp_path, HEAD + 'indicator 1.1.1 "x" resultat >= 2% * intäkter - 2500\n', DATA)
    text = impactdsl.explain(results, "1.1.1").replace("\u00a0", " ")
    assert "minst 2% * intäkter - 2500 = 17 500" in text
    assert "räknat: 2% * intäkter" in text and "20 000 tkr" in text
    assert "målvärdet, räknat" in text and "17 500 tkr" in text
    assert "Jämförelse: 18 000 tkr ≥ 17 500? Ja." in text
    report = render(results, "text").replace("\u00a0", " ")
    assert "≥ 17 500" in report                       # the target column shows the target as judged


def test_a_target_without_its_data_is_not_assessed_with_the_reason(tmp_path):
    result = _value(tmp_path, "resultat >= 2% * intäkter", DATA.replace("  intäkter: 1000000\n", ""))
    assert result.status == "not-assessed" and result.reason[0] == "no_value"
    assert "intäkter" in dict(result.reason[1])["label"]


def test_a_division_by_zero_is_not_assessed(tmp_path):
    result = _value(tmp_path, "kostnad / resultat[2024] <= 100%", DATA.replace("2023: 18000", "2023: 18000, 2024: 0"))
    assert (result.status, result.reason[0]) == ("not-assessed", "zero_divisor")


# ---- facts per year, amounts below zero --------------------------------------------------------
def test_facts_per_year_are_one_with_the_period_and_the_previous_one(tmp_path):
    data = "facts:\n  resultat: {2022: 5}\n  intäkter: 1\nprevious:\n  resultat: 5\n"
    _, problems = compile_text(tmp_path, HEAD.replace("period 2023", "period 2023 previous 2022")
                               + 'indicator 1.1.1 "x" resultat >= 0\n', data)
    ruleset, _ = impactdsl.check(tmp_path)
    _, found = impactdsl.load(tmp_path / "data", ruleset)
    assert [(d.code, d.span.line) for d in found] == [("data-twice", 5)]    # 2022 is the previous period


def test_a_deficit_is_read_and_a_negative_count_refused(tmp_path):
    ruleset, _ = compile_text(tmp_path, HEAD + 'indicator 1.1.1 "x" resultat >= golv\n',
                              "facts:\n  resultat: −1 200\n  kostnad: -3,5\ncounts:\n  deltagare: -3\n")
    outcomes, found = impactdsl.load(tmp_path / "data", ruleset)
    assert [(d.code, d.span.line) for d in found] == [("data-type", 5)]
    assert "below zero" in found[0].message.en
    assert outcomes.facts[("resultat", None, False)].value == -1200
    assert outcomes.facts[("kostnad", None, False)].value == Fraction(-7, 2)
    assert impactdsl.evaluate(ruleset, outcomes).find("1.1.1").status == "missed"    # -1 200 < -500


@pytest.mark.parametrize("entry, words", [
    ("resultat: {2020: 1, 1890: 2}", "outside 1900"),
    ("resultat: {umeå: {2020: 1, 2021: {}}}", "expected a number"),
])
def test_a_value_for_a_year_that_cannot_be_is_refused(tmp_path, entry, words):
    ruleset, _ = compile_text(tmp_path, HEAD + 'indicator 1.1.1 "x" resultat >= 0\n', f"facts:\n  {entry}\n")
    _, found = impactdsl.load(tmp_path / "data", ruleset)
    assert found and words in found[0].message.en and found[0].span.line == 2


# ---- the units kept apart ----------------------------------------------------------------------
@pytest.mark.parametrize("rule, words", [
    ("nöjda + resultat >= 0", "an amount in tkr cannot be added to a percentage"),
    ("resultat + nöjda >= 0", "a percentage cannot be added to an amount in tkr"),
    ("nöjda + deltagare >= 0", "a count of people cannot be added to a percentage"),
    ("resultat - deltagare >= 0", "a count of people cannot be subtracted from an amount in tkr"),
    ("resultat * kostnad >= 0", "multiplied by"),
    ("nöjda + 5 >= 0", "a plain number cannot be added to a percentage"),
    ("deltagare / resultat >= 0", "a count of people cannot be divided by an amount in tkr"),
    ("max(nöjda, resultat) >= 0", "max(...) compares figures of one kind"),
    ("resultat >= 2% * nöjda", "a plain number is compared here with a target computed as a percentage"),
    ("nöjda >= intäkter", "a percentage is compared here with a target computed as a plain number"),
    ("sum(nöjda over kommuner) >= 0", "sum(...) adds counts and amounts"),
    ("sum(resultat over 2023 to 2020) >= 0", "is not a span of at most 50 years"),
    ("sum(resultat over regioner) >= 0", "regioner"),
    ("resultat[2021, 2022] >= 0", "names one year"),
])
def test_figures_of_different_kinds_are_a_diagnostic(tmp_path, rule, words):
    ruleset, problems = compile_text(tmp_path, HEAD + f'indicator 1.1.1 "x" {rule}\n')
    assert ruleset is None and len(problems) == 1 and words in problems[0].message.en, problems
    assert (problems[0].span.line, problems[0].hint) != (None, None)


def test_a_target_of_a_figure_that_is_not_declared_names_what_it_could_be(tmp_path):
    """Once 'unknown param': a target may be any count, fact or param, and the message says so."""
    _, problems = compile_text(tmp_path, HEAD + 'indicator 1.1.1 "x" resultat >= budgett\n')
    assert [d.code for d in problems] == ["unknown-name"] and "budgett" in problems[0].message.en


# ---- the municipal example: a financial goal over four years -------------------------------------
def test_the_municipal_financial_goal(tmp_path):
    kommun = ROOT / "rulesets" / "kommun-exempel"
    ruleset, problems = impactdsl.check(kommun)
    outcomes, found = impactdsl.load(kommun / "data", ruleset)
    assert not problems and not found
    results = impactdsl.evaluate(ruleset, outcomes)
    four_years, this_year = results.find("3.1.3"), results.find("3.1.1")
    assert (four_years.compared, four_years.status) == (14900, "uppfyllt")
    assert (this_year.criterion.bound, this_year.status) == (20000, "delvis")
    deeper = dict(outcomes.facts)
    deeper[("resultat", None, 2021)] = Value(Fraction(-16500), "tkr")
    changed = impactdsl.evaluate(ruleset, attrs.evolve(outcomes, facts=deeper))
    assert (changed.find("3.1.3").compared, changed.find("3.1.3").status) == (-100, "ej_uppfyllt")


# ---- fmt prints a computation back as it is read ------------------------------------------------
FIGURES = st.sampled_from(["resultat", "kostnad", "resultat[2021]", "5", "golv"])


def _expressions():
    return st.recursive(FIGURES, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from("+-*/"), inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        inner.map(lambda x: f"({x})"),
        inner.map(lambda x: f"-{x}" if not x.startswith("-") else f"-({x})"),
        st.tuples(inner, inner).map(lambda t: f"max({t[0]}, {t[1]})")), max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(_expressions())
def test_fmt_prints_any_computation_back_to_the_same_meaning(expression):
    text = f'indicator 1.1.1 "x" {expression} >= 0\n'
    document, problems = parse(Source("t.impact", text))
    assert document is not None, problems
    first = document.statements[0].rule.condition.measure
    printed = printer.measure(first)
    again, problems = parse(Source("t.impact", f'indicator 1.1.1 "x" {printed} >= 0\n'))
    assert again is not None, (printed, problems)
    assert again.statements[0].rule.condition.measure == first, printed


# ---- an exported ruleset is held to what the compiler guarantees ---------------------------------
@pytest.mark.parametrize("change, words", [
    (lambda y: y.replace("indicator: 3.2.1", "indicator: 1.1.1", 1), "a reported status is its own indicator's"),
    (lambda y: y.replace("    op: '+'", "    op: '**'", 1) if "op: '+'" in y else y.replace("op: '*'", "op: '**'", 1),
     "op"),
    (lambda y: y.replace("factor: 1/100", "factor: 7", 1), "factor"),
    (lambda y: y.replace("period: 2020", "period: 1066", 1), "period"),
])
def test_a_hostile_export_of_computed_figures_is_refused(change, words):
    from impactdsl.compile.exchange import ExchangeError, from_yaml, to_yaml

    ruleset, _ = impactdsl.check(ROOT / "rulesets" / "kommun-exempel")
    text = to_yaml(ruleset)
    changed = change(text)
    assert changed != text
    with pytest.raises(ExchangeError, match=words):
        from_yaml(changed)


def test_a_computed_target_that_reaches_its_own_indicator_is_refused_in_an_export(tmp_path):
    from impactdsl.compile.exchange import ExchangeError, from_yaml, to_yaml

    ruleset, _ = compile_text(tmp_path, HEAD + 'indicator 1.1.1 "x" resultat >= 0\n'
                                                'indicator 1.1.2 "y" resultat >= outcome(1.1.1) + 5\n')
    text = to_yaml(ruleset).replace("indicator: 1.1.1", "indicator: 1.1.2")
    with pytest.raises(ExchangeError, match="circle|itself"):
        from_yaml(text)


# ---- what a hostile ruleset cannot make the engine do -------------------------------------------
def test_a_computation_of_more_signs_than_the_limit_is_refused_before_it_is_read(tmp_path):
    ok, _ = compile_text(tmp_path, HEAD + 'indicator 1.1.1 "x" ' + " + ".join(["resultat"] * 41) + " >= 0\n")
    assert ok is not None
    for chain in (" + ".join(["resultat"] * 42), "-" * 41 + "resultat", " + ".join(["count(g, q, a)"] * 42)):
        ruleset, problems = compile_text(tmp_path, HEAD + f'indicator 1.1.1 "x" {chain} >= 0\n')
        assert ruleset is None and [(p.code, p.span.line) for p in problems] == [("syntax-depth", 14)], problems


def test_a_figure_too_large_to_show_is_not_assessed(tmp_path):
    huge = " * ".join(["999999999999999"] * 3)
    results = evaluate_text(tmp_path, HEAD + f'indicator 1.1.1 "x" resultat * {huge} >= 0\n', DATA)
    result = results.find("1.1.1")
    assert (result.status, result.reason[0]) == ("not-assessed", "too_large")
    assert render(results, "xlsx") and render(results, "text")


def test_sums_inside_an_each_block_over_their_own_list_are_limited(tmp_path):
    keys = ", ".join(f"k{i} \"K{i}\"" for i in range(400))
    text = (HEAD + f"entities många: {keys}\n" + 'each kom in många:\n  indicator 1.1.* "x {kom}" '
            "sum(resultat over många) >= 0\nend\n")
    ruleset, problems = compile_text(tmp_path, text)
    assert ruleset is None and [p.code for p in problems] == ["measure"] and "100000" in problems[0].message.en


@pytest.mark.parametrize("rule, value", [("-nöjda <= 0%", -84), ("nöjda >= -5%", 84),
                                         ("nöjda - mål_andel >= -5pp", 4), ("-(-resultat) >= 0", 18000)])
def test_the_opposite_of_any_figure(tmp_path, rule, value):
    assert _value(tmp_path, rule).compared == value


def test_a_share_computed_by_division_is_rounded_as_a_ratio_is(tmp_path):
    data = "counts:\n  avslut: 1024\n  deltagare: 1000\n"
    text = HEAD.replace('period 2023', 'period 2023\nrounding half-up to 1%')
    by_ratio = evaluate_text(tmp_path, text + 'indicator 1.1.1 "x" ratio(avslut, deltagare) <= 102%\n', data)
    by_division = evaluate_text(tmp_path, text + 'indicator 1.1.1 "x" avslut / deltagare <= 102%\n', data)
    assert by_ratio.find("1.1.1").compared == by_division.find("1.1.1").compared == 102
    assert by_division.find("1.1.1").measured == Fraction(1024, 10)


def test_diff_names_a_changed_computed_target(tmp_path):
    from impactdsl.cli import main

    for name, share in (("a", 2), ("b", 3)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "ruleset.impact").write_text(
            HEAD + f'indicator 1.1.1 "x" resultat >= {share}% * intäkter\nindicator 1.1.2 "y" reported\n',
            encoding="utf-8")
    import io
    from contextlib import redirect_stdout
    out = io.StringIO()
    with redirect_stdout(out):
        main(["diff", str(tmp_path / "a"), str(tmp_path / "b")])
    assert "~ indicator 1.1.1 target: >= 2% * intäkter → >= 3% * intäkter" in out.getvalue()
    assert "None" not in out.getvalue()


def test_an_exported_computation_is_explained_with_its_formula(tmp_path):
    from impactdsl.compile.exchange import from_yaml, to_yaml

    ruleset, _ = compile_text(tmp_path, HEAD + 'indicator 1.1.1 "x" resultat - kostnad >= 0\n', DATA)
    outcomes, _ = impactdsl.load(tmp_path / "data", ruleset)
    text = impactdsl.explain(impactdsl.evaluate(from_yaml(to_yaml(ruleset)), outcomes), "1.1.1")
    assert "räknat: (resultat - kostnad)" in text
