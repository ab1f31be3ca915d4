"""The year's outcome data as tallies and facts — never rows about people.

Aggregated YAML and (later) raw survey and register files both end here, so
the evaluator sees one shape whatever the users had."""

from __future__ import annotations

from fractions import Fraction
from types import MappingProxyType
from typing import Mapping, NamedTuple

import attrs

from impactdsl.core.source import Span


@attrs.frozen
class Tally:
    """Answers of one group (or subgroup) to one question.

    `counts` maps sets of answers to how many answered within that set: a
    survey export gives one entry per answer, a typed report may give only
    "75 in the top two"."""

    n: int
    counts: tuple[tuple[frozenset[str], int], ...]
    source: Span | None = attrs.field(default=None, eq=False)
    unanswered: tuple[tuple[str, int], ...] = ()   # blank and "vet ej": not in n, shown in explain
    left_out: int = 0                              # rows of the file the manifest's `where` passed over
    left_out_by: str = ""                          # ... and that filter, in words (Status = Slutförd)
    question_text: str = attrs.field(default="", eq=False)   # the export's header for the question, if mapped
    multiple: bool = False                         # several answers each: only the counts given are known

    def count(self, answers: frozenset[str], scale: tuple[str, ...]) -> int | None:
        """How many answered within `answers`, from any known entries that add up to it."""
        known = dict(self.counts)
        if answers in known:
            return known[answers]
        if self.multiple:                          # answers overlap: no sum of parts counts people once
            return None
        found = _sum_of_parts(answers, known)
        if found is not None:
            return found
        rest = frozenset(scale) - answers
        if rest and (other := _sum_of_parts(rest, known)) is not None:
            return self.n - other
        if not rest:
            return self.n
        return None


def _sum_of_parts(wanted: frozenset[str], known: dict[frozenset[str], int]) -> int | None:
    """Sum of disjoint known entries covering exactly `wanted`, if there is such a cover."""
    parts = sorted((k for k in known if k <= wanted), key=lambda k: (-len(k), sorted(k)))
    covered: set[str] = set()
    total = 0
    for part in parts:
        if covered.isdisjoint(part):
            covered |= part
            total += known[part]
    return total if covered == wanted else None


@attrs.frozen
class Value:
    """A count or fact: an int, a Fraction (percent on 0–100) or a bool."""

    value: int | Fraction | bool | None        # None: the source gives a marker instead (`marker`)
    unit: str                                  # number, percent, yes/no
    source: Span | None = attrs.field(default=None, eq=False)
    months: Fraction | None = None             # register counts: months enrolled, summed
    origin: tuple[tuple[str, str], ...] = ()   # a Kolada value: its kpi, municipality, period, download day
    marker: str | None = None                  # why there is no value: withheld, missing, not_applicable (Kolada)


class Report(NamedTuple):
    """An indicator's status as a person gave it (`reported` in the ruleset): the status's name, who
    judged, when, on what evidence, and for a deliverable its text, in paragraphs. Every text has
    passed `redact` and none holds an identity number (the reader refuses those). A named tuple:
    made on every run that reads outcome data, it costs no generated code to import."""

    status: str
    by: str
    date: str = ""
    evidence: str = ""
    text: tuple[str, ...] = ()
    source: Span | None = None


def period_slot(settings, previous: bool, period: int | None) -> bool | int:
    """Where a count or fact of a period is kept: False for the ruleset's period, True for the
    previous one, else the year itself (`resultat: {2021: -1200}` under facts)."""
    if period is None:
        return previous
    if period == settings.period:
        return False
    if period == settings.previous_period:
        return True
    return period


def _frozen(mapping: Mapping | None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


@attrs.frozen(eq=False)
class Outcomes:
    """Keys: surveys (group, question, subgroup|None); counts and facts (name, key|None, period),
    the period False for the ruleset's, True for the previous, or a year (`period_slot`);
    reported: an indicator's id."""

    surveys: Mapping = attrs.field(factory=dict, converter=_frozen)
    counts: Mapping = attrs.field(factory=dict, converter=_frozen)
    facts: Mapping = attrs.field(factory=dict, converter=_frozen)
    sources: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()               # every data file read, links resolved: never written over
    reported: Mapping = attrs.field(factory=dict, converter=_frozen)    # indicator id → Report
    digests: tuple[tuple[str, str], ...] = ()  # (file as shown, SHA-256) of every data file read

    def __eq__(self, other):
        return isinstance(other, Outcomes) and self._tables() == other._tables()

    def _tables(self) -> tuple[dict, ...]:
        return dict(self.surveys), dict(self.counts), dict(self.facts), dict(self.reported)

    __hash__ = None

    def __reduce__(self):
        """Pickle as plain dicts (read-only views do not pickle); used by the cache."""
        return (Outcomes, (dict(self.surveys), dict(self.counts), dict(self.facts), self.sources, self.inputs,
                           dict(self.reported), self.digests))
