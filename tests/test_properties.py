"""Scoring invariants for all inputs (Hypothesis), on the Umeå ruleset with
random outcome data: points without bonus never exceed the maximum, the index
without bonus stays in 0–100, more positive answers never lower a share
criterion's points, a bonus never changes the maximum, and the order of
indicators or data entries changes nothing."""

from __future__ import annotations

import json
from fractions import Fraction

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import impactdsl
from impactdsl.compile import model as m
from impactdsl.outcomes.tallies import Outcomes, Tally, Value

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def outcomes_like(draw, base: Outcomes) -> Outcomes:
    """Random tallies and counts with the shape of `base` (same keys, any numbers)."""
    surveys = {}
    for key, tally in base.surveys.items():
        n = draw(st.integers(0, 300))
        left, counts = n, []
        for answers, _ in tally.counts:            # the base's entries are disjoint
            k = draw(st.integers(0, left))
            left -= k
            counts.append((answers, k))
        surveys[key] = Tally(n, tuple(counts))
    counts = {key: Value(draw(st.integers(0, 1000)), "number") for key in base.counts}
    facts = {}
    for key, value in base.facts.items():
        if value.unit == "percent":
            facts[key] = Value(Fraction(draw(st.integers(0, 400)), 10), "percent")
        elif value.unit == "yes/no":
            facts[key] = Value(draw(st.booleans()), "yes/no")
        else:
            facts[key] = Value(Fraction(draw(st.integers(0, 10))), "number")
    return Outcomes(surveys, counts, facts)


def _ordinary(area) -> int:
    return sum(r.points for r in area.indicators)


def test_properties(umea_ruleset, umea_outcomes):
    ruleset = umea_ruleset

    @SETTINGS
    @given(outcomes_like(umea_outcomes))
    def points_within_maximum(outcomes):
        results = impactdsl.evaluate(ruleset, outcomes)
        for area in results.areas:
            assert 0 <= _ordinary(area) <= area.maximum
            if area.maximum:
                index_without_bonus = Fraction(100 * _ordinary(area), area.maximum)
                assert 0 <= index_without_bonus <= 100
            for r in area.indicators:
                assert r.points <= r.indicator.value
        assert results.achieved >= sum(_ordinary(a) for a in results.areas)

    points_within_maximum()


def test_more_positive_answers_never_lower_points(umea_ruleset, umea_outcomes):
    shares = [i for i in umea_ruleset.indicators
              if isinstance(i.measure, m.ShareOf) and i.criterion.op in (">=", ">") and i.override is None]

    @SETTINGS
    @given(outcomes_like(umea_outcomes), st.sampled_from(shares), st.integers(1, 20))
    def monotone(outcomes, indicator, more):
        s = indicator.measure
        key = (s.group.name, s.question.name, s.subgroup.name if s.subgroup else None)
        tally = outcomes.surveys[key]
        assume(s.answers in dict(tally.counts))
        # Turn up to `more` other answers into positive ones: unlisted answers first, then listed ones.
        counts = dict(tally.counts)
        moved = min(more, tally.n - counts[s.answers])
        assume(moved > 0)
        left = moved - min(moved, tally.n - sum(counts.values()))
        for answers in counts:
            if answers != s.answers and left:
                taken = min(left, counts[answers])
                counts[answers] -= taken
                left -= taken
        counts[s.answers] += moved
        better = attrs.evolve(outcomes, surveys={**outcomes.surveys, key: Tally(tally.n, tuple(counts.items()))})
        before = impactdsl.evaluate(umea_ruleset, outcomes).find(indicator.id).points
        after = impactdsl.evaluate(umea_ruleset, better).find(indicator.id).points
        assert after >= before

    monotone()


def _without_bonus(ruleset: m.Ruleset) -> m.Ruleset:
    def goal(g):
        kept = tuple(attrs.evolve(i, bonus=None) for i in g.indicators if not i.is_bonus)
        return attrs.evolve(g, indicators=kept)
    return attrs.evolve(ruleset, areas=tuple(attrs.evolve(a, goals=tuple(goal(g) for g in a.goals))
                                             for a in ruleset.areas))


def test_bonus_never_changes_the_maximum(umea_ruleset, umea_outcomes):
    plain = _without_bonus(umea_ruleset)

    @SETTINGS
    @given(outcomes_like(umea_outcomes))
    def same_maximum(outcomes):
        with_bonus = impactdsl.evaluate(umea_ruleset, outcomes)
        without = impactdsl.evaluate(plain, outcomes)
        assert [a.maximum for a in with_bonus.areas] == [a.maximum for a in without.areas]
        assert with_bonus.achieved >= without.achieved

    same_maximum()


def test_order_changes_nothing(umea_ruleset, umea_outcomes):
    @SETTINGS
    @given(st.randoms(use_true_random=False))
    def reordered(rnd):
        def shuffled(mapping):
            items = list(mapping.items())
            rnd.shuffle(items)
            return dict(items)

        outcomes = Outcomes(shuffled(umea_outcomes.surveys), shuffled(umea_outcomes.counts),
                            shuffled(umea_outcomes.facts), umea_outcomes.sources, digests=umea_outcomes.digests)

        def goal(g):
            indicators = list(g.indicators)
            rnd.shuffle(indicators)
            return attrs.evolve(g, indicators=tuple(indicators))

        ruleset = attrs.evolve(umea_ruleset, areas=tuple(
            attrs.evolve(a, goals=tuple(goal(g) for g in a.goals)) for a in umea_ruleset.areas))
        base = impactdsl.to_json(impactdsl.evaluate(umea_ruleset, umea_outcomes))
        other = impactdsl.to_json(impactdsl.evaluate(ruleset, outcomes))
        for area in base["areas"] + other["areas"]:
            area["indicators"].sort(key=lambda i: i["id"])
            for g in area["goals"]:
                g["indicators"].sort()
        assert json.dumps(base, sort_keys=True) == json.dumps(other, sort_keys=True)

    reordered()
