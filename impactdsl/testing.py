"""`impactdsl test RULESET`: the ruleset's own tests, each a folder beside it that states given
outcomes and what the ruleset must make of them.

    förbund/
      ruleset.impact
      tests/
        nära-målet/
          data/outcomes.yaml      # the given outcomes, as any data folder holds them
          expect.yaml             # what they must give

    # expect.yaml
    data: ../../data              # optional: another data folder (relative to this file)
    expect:
      1.1.2: {status: nära, points: 0}     # an indicator: its status (name or words), its points
      1.1: {grade: uppfyllt}               # a goal: its grade
      "1": {index: 50, points: 10}         # a unit: its index, its points (achieved), its grade
      total: {index: 60, points: 15}       # the whole

A test passes when every figure it names is what the engine computes; a failure says the
expected against what came, with the indicator's explanation. Coverage counts, per indicator,
which of the statuses some data would give it the tests reached and, per goal and unit the
method grades, which grades: one data can give and no test reaches is listed. What no data can
give (a yes/no is never near its target, an overridden indicator is always its status; see
evaluation/reachable.py) is not asked for.

May import: `core`, `read`, `evaluation`, `render`, `impactdsl`."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import impactdsl
from impactdsl.core.diagnostics import Diagnostic, Said, error
from impactdsl.core.limits import DEFAULT
from impactdsl.core.source import Span, display_path
from impactdsl.read import files

TESTS_FOLDER = "tests"
EXPECT_FILE = "expect.yaml"
FIELDS = {"indicator": ("status", "points"), "goal": ("grade",), "area": ("index", "points", "grade"),
          "total": ("index", "points")}


class Miss(NamedTuple):
    """One expected figure that did not come."""

    id: str
    field: str
    expected: str
    got: str
    explanation: str


class Case(NamedTuple):
    name: str
    checked: int                          # figures compared
    misses: tuple[Miss, ...]
    problems: tuple[Diagnostic, ...]      # the test could not be run: its files say why


class Coverage(NamedTuple):
    reached: dict                         # id -> set of statuses or grades the tests gave it
    declared: dict                        # id -> the statuses or grades data can give it, in order
    unreachable: dict = {}                # id -> those of the method's that no data can give it

    def counts(self) -> tuple[int, int]:
        """(judgements reached, judgements data can give)."""
        return (sum(len(self.reached[i] & set(d)) for i, d in self.declared.items()),
                sum(len(d) for d in self.declared.values()))

    def left_out(self) -> int:
        """The judgements the method has that no data can give: not asked of the tests."""
        return sum(len(x) for x in self.unreachable.values())

    def gaps(self) -> list[tuple[str, list[str], list[str]]]:
        """Each part some judgement of which data can give and no test reached: (id, reached,
        never), in declared order."""
        out = []
        for id_, declared in self.declared.items():
            never = [x for x in declared if x not in self.reached[id_]]
            if never:
                out.append((id_, [x for x in declared if x in self.reached[id_]], never))
        return out


def cases_of(ruleset_path: str | Path) -> list[Path]:
    """The test folders beside a ruleset (each holding expect.yaml), in name order."""
    path = Path(ruleset_path)
    folder = (path if files.kind(path) == "folder" else path.parent) / TESTS_FOLDER
    if files.kind(folder) != "folder":
        return []
    return [case for case in sorted(folder.iterdir()) if files.kind(case / EXPECT_FILE) == "file"]


def run(ruleset, case: Path, allow=(), lang: str = "sv", seen: Coverage | None = None) -> Case:
    """One test folder against a compiled ruleset; what it reached is added to `seen`."""
    expect_path = case / EXPECT_FILE
    shown = display_path(expect_path)
    try:
        from impactdsl.read.safe_yaml import YamlRefused, load

        document = load(files.read_bytes(expect_path, DEFAULT.data_yaml_bytes).decode("utf-8"),
                        DEFAULT.data_yaml_nodes)
    except (files.FileProblem, UnicodeDecodeError, YamlRefused) as problem:
        why = getattr(problem, "message", None) or Said("inte UTF-8-text", "not UTF-8 text")
        said = Said.joined(shown, Said(" kan inte läsas: ", " cannot be read: "), why)
        return Case(case.name, 0, (), (error("test", said, Span(shown, 1, 1),
                                             Said("skriv den som YAML: expect: {1.1.1: {status: uppfyllt}}",
                                                  "write it as YAML: expect: {1.1.1: {status: uppfyllt}}")),))
    if not isinstance(document, dict) or not isinstance(document.get("expect"), dict) or \
            set(document) - {"expect", "data"}:
        said = Said(f"{shown} innehåller 'expect:' (och får innehålla 'data:'), inget annat",
                    f"{shown} holds 'expect:' (and may hold 'data:'), nothing else")
        return Case(case.name, 0, (), (error("test", said, Span(shown, 1, 1),
                                             Said("till exempel expect: {1.1.1: {status: uppfyllt, points: 8}}",
                                                  "expect: {1.1.1: {status: uppfyllt, points: 8}}")),))
    data = case / str(document.get("data") or "data")
    outcomes, problems = impactdsl.load(data, ruleset, None, list(allow) + [case])
    if outcomes is None or impactdsl.has_errors(problems):
        return Case(case.name, 0, (), tuple(p for p in problems if p.is_error))
    results = impactdsl.evaluate(ruleset, outcomes)
    if seen is not None:
        _reach(results, seen)
    checked, misses, wrong = 0, [], []
    for key, wanted in document["expect"].items():
        key = str(key)
        part = results if key == "total" else results.find(key)
        kind = "total" if key == "total" else _kind(part)
        if part is None or not isinstance(wanted, dict) or set(wanted) - set(FIELDS[kind]):
            fields = ", ".join(FIELDS[kind])
            wrong.append(error("test", Said(f"{shown}: '{key}' är ingen indikator, inget mål och inget område i "
                                            "regelverket" if part is None else
                                            f"{shown}: för '{key}' anges bara {fields}",
                                            f"{shown}: '{key}' " + ("is no indicator, goal or unit of the ruleset"
                                                                   if part is None else f"takes {fields}")),
                               Span(shown, 1, 1), Said("id:n som regelverket skriver dem; total för helheten",
                                                       "ids as the ruleset writes them; total for the whole")))
            continue
        for field, value in wanted.items():
            checked += 1
            got = _figure(part, kind, field)
            if not _same(results.ruleset.method, field, str(value), got, lang):
                explanation = impactdsl.explain(results, key, lang) if kind != "total" else ""
                misses.append(Miss(key, field, str(value), got, explanation or ""))
    return Case(case.name, checked, tuple(misses), tuple(wrong))


def _kind(part) -> str:
    from impactdsl.evaluation.results import AreaResult, GoalResult

    return "area" if isinstance(part, AreaResult) else "goal" if isinstance(part, GoalResult) else "indicator"


def _figure(part, kind: str, field: str) -> str:
    if field == "status":
        return str(part.status)
    if field == "points":
        return str(part.earned if kind == "indicator" else part.achieved)
    if field == "index":
        return "–" if part.index is None or part.withheld else str(part.index)
    grade = part.grade
    return "–" if grade is None or grade.grade is None else str(grade.grade)


def _same(method, field: str, expected: str, got: str, lang: str) -> bool:
    """A status or grade by its name or its words, whatever their case; a figure as written."""
    if field in ("status", "grade"):
        names = {s.name.casefold(): s.name for s in method.statuses} | \
            {s.words(lang).casefold(): s.name for s in method.statuses}
        names |= {g.name.casefold(): g.name for g in method.grades}
        return names.get(expected.casefold(), expected) == got
    return expected == got


def coverage(ruleset) -> Coverage:
    """What the tests could reach: for each indicator the statuses, for each goal and unit the
    method grades the grades, that some data would give it (evaluation/reachable.py says why the
    others cannot be given, and they are not asked for)."""
    from impactdsl.evaluation.reachable import Reach

    method = ruleset.method
    reach = Reach(ruleset)
    statuses = tuple(s.name for s in method.statuses)
    every = {ind.id: (statuses, reach.statuses(ind)) for ind in ruleset.indicators if not ind.is_bonus}
    for scope in ("goal", "area"):
        grades = tuple(dict.fromkeys(g.name for g in method.grades_of(scope)))
        if grades:
            for area in ruleset.areas:
                for id_ in ([g.id for g in area.goals] if scope == "goal" else [area.id]):
                    every[id_] = (grades, reach.grades(id_))
    declared = {id_: tuple(x for x in names if x in can) for id_, (names, can) in every.items()}
    unreachable = {id_: never for id_, (names, can) in every.items() if (never := tuple(x for x in names
                                                                                     if x not in can))}
    return Coverage({id_: set() for id_ in declared}, declared, unreachable)


def _reach(results, seen: Coverage) -> None:
    for area in results.areas:
        if area.area.id in seen.reached and area.grade is not None and area.grade.grade:
            seen.reached[area.area.id].add(area.grade.grade)
        for goal in area.goals:
            if goal.goal.id in seen.reached and goal.grade is not None and goal.grade.grade:
                seen.reached[goal.goal.id].add(goal.grade.grade)
            for r in goal.indicators:
                if r.id in seen.reached:
                    seen.reached[r.id].add(str(r.status))
