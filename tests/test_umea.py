"""Umeå's 2022 Impact Index (seeds 000–002): every published figure, computed.

The expected figures below are the published ones; the engine computes them
from rulesets/umea-2022 and its data. The contradiction tests name each place
where the seeds disagree with themselves and show what the other reading gives."""

from __future__ import annotations

import re
from fractions import Fraction

import attrs
import pytest

import impactdsl
from impactdsl.outcomes.tallies import Tally, Value
from impactdsl.render.words import Words

from .conftest import UMEA

# area: goals, indicators, max, achieved, index, planned weight, actual weight (seed 002, last table)
PUBLISHED_AREAS = {
    "1": (3, 22, 84, 46, 55, 35, 34),
    "2": (4, 23, 47, 41, 87, 20, 19),
    "3": (5, 28, 50, 34, 68, 20, 20),
    "4": (6, 16, 38, 33, 87, 15, 16),
    "5": (3, 10, 25, 17, 68, 10, 10),
}

# Each indicator's published points and outcome (P positive, N negative, B bonus row), seed 002.
PUBLISHED_INDICATORS = """
1.1.1 0 N  1.1.2 4 B  1.1.3 0 N  1.2.1 0 N  1.2.2 0 B  1.2.3 0 N  1.2.4 10 P  1.2.5 0 B  1.2.6 5 P
1.2.7 0 N  1.2.8 0 B  1.2.9 0 N  1.2.10 2 P  1.2.11 4 P  1.3.1 10 P  1.3.2 1 P  1.3.3 1 P  1.3.4 1 P
1.3.5 1 P  1.3.6 1 P  1.3.7 1 P  1.3.8 1 P  1.3.9 1 P  1.3.10 1 P  1.3.11 1 P  1.3.12 1 P
2.1.1 3 P  2.1.2 2 P  2.1.3 2 P  2.1.4 0 N  2.1.5 0 N  2.2.1 3 P  2.2.2 3 P  2.2.3 3 P  2.2.4 3 P
2.2.5 3 P  2.3.1 1 P  2.3.2 1 P  2.3.3 1 P  2.3.4 1 P  2.3.5 0 N  2.3.6 1 P  2.3.7 0 N  2.4.1 2 P
2.4.2 2 P  2.4.3 2 P  2.4.4 2 P  2.4.5 3 P  2.4.6 3 P
3.1.1 2 P  3.1.2 2 P  3.1.3 2 P  3.1.4 2 P  3.2.1 2 P  3.2.2 2 P  3.2.3 2 P  3.2.4 0 N  3.2.5 2 P
3.2.6 0 N  3.2.7 0 N  3.2.8 1 P  3.2.9 1 P  3.2.10 1 P  3.2.11 1 P  3.3.1 0 N  3.3.2 0 N  3.3.3 0 N
3.3.4 4 P  3.4.1 2 P  3.4.2 0 N  3.4.3 2 P  3.4.4 0 N  3.4.5 2 P  3.5.1 2 P  3.5.2 0 N  3.5.3 2 P
3.5.4 0 N
4.1.1 0 N  4.2.1 5 P  4.2.2 1 P  4.2.3 2 P  4.3.1 2 P  4.3.2 1 P  4.4.1 3 P  4.4.2 1 P  4.4.3 3 P
4.4.4 1 P  4.4.5 3 P  4.4.6 1 P  4.5.1 3 P  4.5.2 1 P  4.6.1 5 P  4.6.2 1 P
5.1.1 2 P  5.1.2 5 P  5.1.3 5 P  5.1.4 2 P  5.2.1 1 P  5.2.2 0 N  5.3.1 2 P  5.3.2 0 N  5.3.3 0 N
5.3.4 0 N
"""
PUBLISHED = {i: (int(p), o) for i, p, o in re.findall(r"(\S+) (\d+) ([PNB])", PUBLISHED_INDICATORS)}


def test_total(umea):
    assert (umea.maximum, umea.achieved, umea.index) == (244, 171, 70)
    assert (umea.goal_count, umea.indicator_count) == (21, 99)
    assert umea.target_index == 70 and umea.difference == 0


@pytest.mark.parametrize("area_id", sorted(PUBLISHED_AREAS))
def test_area(umea, area_id):
    area = umea.find(area_id)
    goals, indicators, maximum, achieved, index, planned, actual = PUBLISHED_AREAS[area_id]
    assert (area.goal_count, area.indicator_count) == (goals, indicators)
    assert (area.maximum, area.achieved, area.index) == (maximum, achieved, index)
    assert (area.area.weight, area.actual_weight) == (planned, actual)
    assert area.difference == index - 70   # "Impact Index 55 är 15 indexpunkter sämre ..."


def test_every_published_indicator(umea):
    results = {r.id: r for r in umea.indicators}
    assert set(results) == set(PUBLISHED)
    assert sum(r.indicator.is_bonus for r in results.values()) == 4
    for ind_id, (points, outcome) in PUBLISHED.items():
        r = results[ind_id]
        assert r.earned == points, ind_id
        if outcome == "P":
            assert r.status == "uppfyllt", ind_id
        elif outcome == "N":
            assert r.status in ("ej_uppfyllt", "nära"), ind_id
        else:
            assert r.indicator.is_bonus and r.status == ("uppfyllt" if points else "ej_uppfyllt"), ind_id


@pytest.mark.parametrize("ind_id, status", [("1.1.1", "nära"), ("3.2.6", "nära"), ("3.2.7", "ej_uppfyllt")])
def test_web_page_status_marks(umea, ind_id, status):
    """Seeds 000/001 mark 1.1.1 and 3.2.6 'Nära målet' and 3.2.7 plainly negative."""
    assert umea.find(ind_id).status == status


@pytest.mark.parametrize("ind_id, compared", [
    ("1.1.1", 38), ("1.2.1", 66), ("1.2.4", 38), ("3.2.6", 79), ("3.2.4", 79), ("3.2.7", 58),
    ("2.3.2", 3), ("2.3.7", 4), ("2.1.3", 40), ("4.4.6", 5), ("3.2.3", 80),
])
def test_published_rounded_shares(umea, ind_id, compared):
    assert umea.find(ind_id).compared == compared


def test_bonus_near_target(umea):
    """1.1.2: 38 % is '2 % från målet' 40 %: bonus 4, and the bonus is not in the maximum."""
    bonus = umea.find("1.1.2")
    assert bonus.bonus_points == 4 and bonus.value == 0
    assert umea.find("1").maximum == 84


# ---- the seeds' contradictions, each named --------------------------------

def _with(outcomes, **changes):
    return attrs.evolve(outcomes, **{k: {**getattr(outcomes, k), **v} for k, v in changes.items()})


def test_contradiction_1_3_1_override(umea):
    """1.3.1 states 'mindre än 11,2 %', the outcome is 12,8 %, yet 10 points were published:
    the ruleset keeps the published level and overrides with a written reason."""
    r = umea.find("1.3.1")
    assert r.compared == Fraction(128, 10)
    assert r.computed_status != "uppfyllt" and r.status == "uppfyllt" and r.points == 10
    assert "11,2" in r.indicator.override.reason


def test_contradiction_1_3_10_relative_decrease(umea, umea_ruleset, umea_outcomes, tmp_path):
    """Robertsfors 13,1 % → 12,8 % earns its point only as a relative decrease of ≥ 0,5 %."""
    r = umea.find("1.3.10")
    assert r.status == "uppfyllt" and r.unit == "relative"
    text = (UMEA / "ruleset.impact").read_text(encoding="utf-8").replace("0.5% relative", "0.5pp")
    (tmp_path / "ruleset.impact").write_text(text, encoding="utf-8")
    as_points, problems = impactdsl.check(tmp_path)
    assert as_points is not None, impactdsl.render_problems(problems)
    other = impactdsl.evaluate(as_points, umea_outcomes)
    assert other.find("1.3.10").status != "uppfyllt"
    assert other.find("1").achieved == 45


def test_contradiction_1_2_7_studies(umea, umea_ruleset, umea_outcomes):
    """1.2.7 prints '19 %, 27 deltagare av 179'; 27/179 is 15 %. 2.2.4's 34 to studies
    gives the printed 19 %. Read as 27, 1.2.7 still scores 0 but 2.2.4's split (19 women
    of 27 = 70 %) fails and the total falls to 168: only 34 matches the published 171."""
    assert umea.find("1.2.7").compared == 19
    key = ("till_studier", None, False)
    read_as_27 = _with(umea_outcomes, counts={key: Value(27, "number")})
    other = impactdsl.evaluate(umea_ruleset, read_as_27)
    assert other.find("1.2.7").compared == 15
    assert other.find("1.2.7").points == 0
    assert (other.find("2.2.4").compared, other.find("2.2.4").points) == (70, 0)
    assert other.achieved == 168


def test_contradiction_3_3_4_descriptions(umea_ruleset, umea_outcomes):
    """3.3.4: the table awards 4 of 4; seed 001 says no descriptions were submitted.
    With none, area 3 is 30/50 and the total 167/244 → 68, not the published 70."""
    none = _with(umea_outcomes, facts={("fallstudier_3_3_4", None, False): Value(Fraction(0), "number")})
    other = impactdsl.evaluate(umea_ruleset, none)
    assert (other.find("3").achieved, other.find("3").maximum) == (30, 50)
    assert (other.achieved, other.maximum, other.index) == (167, 244, 68)


def test_contradiction_area_4_table_rows(umea):
    """Area 4's extracted table has 20 rows for 16 indicators; the totals 38/33 hold,
    with only 4.1.1 (worth 5) failed."""
    area = umea.find("4")
    assert len([r for r in area.indicators]) == 16
    assert [r.id for r in area.indicators if r.points == 0] == ["4.1.1"]
    assert umea.find("4.1.1").indicator.value == 5


# ---- changing one number changes exactly what it should --------------------

def _statuses(results):
    return {r.id: (r.status, r.earned) for r in results.indicators}


def test_one_more_staff_answer_meets_3_2_6(umea, umea_ruleset, umea_outcomes):
    """'1 more staff answer in the top two would have met 80 %' — and only 3.2.6 changes."""
    key = ("staff", "q3.2.6", None)
    tally = umea_outcomes.surveys[key]
    counts = tuple((a, c + 1) for a, c in tally.counts)
    changed = impactdsl.evaluate(umea_ruleset, _with(umea_outcomes, surveys={key: Tally(tally.n, counts)}))
    before, after = _statuses(umea), _statuses(changed)
    assert {k for k in before if before[k] != after[k]} == {"3.2.6"}
    assert after["3.2.6"] == ("uppfyllt", 2)
    assert (changed.find("3").achieved, changed.find("3").index) == (36, 72)
    assert (changed.achieved, changed.index) == (173, 71)
    assert umea.find("3.2.6").margin.change == 1


def test_throughput_count_moves_1_1_x(umea, umea_ruleset, umea_outcomes):
    """Eleven more exits: 282/705 = 40 % meets 1.1.1 (8 points). Every other user of the
    exit count is recomputed (1.2.1: 179/282 = 63 %, 2.2.1: 123/282 = 44 % women) but
    none crosses its limit, so only 1.1.1 and the totals move."""
    key = ("avslut", None, False)
    changed = impactdsl.evaluate(umea_ruleset, _with(umea_outcomes, counts={key: Value(282, "number")}))
    before, after = _statuses(umea), _statuses(changed)
    assert {k for k in before if before[k] != after[k]} == {"1.1.1"}
    assert after["1.1.1"] == ("uppfyllt", 8)
    assert (changed.find("1.2.1").compared, changed.find("2.2.1").compared) == (63, 44)
    assert (changed.find("1").achieved, changed.achieved, changed.index) == (54, 179, 73)


def test_missing_data_is_not_assessed(umea_ruleset, umea_outcomes):
    surveys = {k: v for k, v in umea_outcomes.surveys.items() if k != ("staff", "q3.2.6", None)}
    outcomes = attrs.evolve(umea_outcomes, surveys=surveys)
    results = impactdsl.evaluate(umea_ruleset, outcomes)
    r = results.find("3.2.6")
    assert r.status == "ej_bedömt" and "q3.2.6" in Words("en").reason(r.reason)
    assert results.find("3").maximum == 48          # 'missing data excluded from maximum'
