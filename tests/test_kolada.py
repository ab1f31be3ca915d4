"""Facts from Kolada files, as its API answers them (JSON) and as CSV with its fields: values by KPI,
municipality, year and gender; its markers made 'not assessed' with the reason; explain citing the
KPI, the year and "Källa: Kolada". No network: the fixtures are files in the shape Kolada writes."""

from __future__ import annotations

import shutil
from fractions import Fraction

import pytest

import impactdsl

from .conftest import ROOT, compile_text

FIXTURES = ROOT / "tests" / "fixtures" / "kolada"
RULES = """ruleset "Kommunen"
period 2023 previous 2022
entities kommuner: umeå "Umeå", vännäs "Vännäs"
fact behörighet percent "andel behöriga lärare"
fact behörighet_män percent "andel behöriga lärare, män"
fact utanförskap percent "andel i utanförskap"
fact saknas percent "en KPI Kolada saknar"
area 1 "Skola"
goal 1.1 "Behöriga lärare"
indicator 1.1.1 "Minst 84 % av lärarna är behöriga." behörighet >= 84%
indicator 1.1.2 "Behörigheten ökar." increase(previous(behörighet), behörighet) > 0pp
indicator 1.1.3 "Minst 80 % av de manliga lärarna är behöriga." behörighet_män >= 80%
indicator 1.1.4 "Utanförskapet i Umeå är högst 12 %." utanförskap[umeå] <= 12%
indicator 1.1.5 "Utanförskapet i Vännäs minskar." decrease(previous(utanförskap[vännäs]), utanförskap[vännäs]) > 0pp
indicator 1.1.6 "En KPI som saknas." saknas >= 1%
"""
DATA = """kolada:
  - path: N15428-0480.json
    downloaded: 2024-02-01
    facts:
      behörighet: {kpi: N15428, municipality: "0480"}
      behörighet_män: {kpi: N15428, municipality: "0480", gender: M}
      saknas: {kpi: N00945, municipality: "0480"}
  - path: N00945.csv
    downloaded: 2024-02-03
    facts:
      utanförskap: {kpi: N00945, municipalities: {umeå: "2480", vännäs: "2460"}}
"""


@pytest.fixture
def kolada(tmp_path):
    ruleset, problems = compile_text(tmp_path, RULES, DATA)
    assert ruleset is not None, problems
    for name in ("N15428-0480.json", "N00945.csv"):
        shutil.copy(FIXTURES / name, tmp_path / "data" / name)
    return tmp_path, ruleset


def test_facts_from_kolada_are_judged(kolada):
    folder, ruleset = kolada
    outcomes, problems = impactdsl.load(folder / "data", ruleset)
    assert not problems, problems
    results = impactdsl.evaluate(ruleset, outcomes)
    got = {r.id: (r.compared, r.status) for r in results.indicators}
    assert got["1.1.1"] == (Fraction(849, 10), "met")
    assert got["1.1.2"] == (Fraction(22, 10), "met")                     # 82,7 → 84,9: the previous year too
    assert got["1.1.4"] == (Fraction(112, 10), "met")                    # CSV, a decimal comma
    assert got["1.1.3"][1] == got["1.1.5"][1] == got["1.1.6"][1] == "not-assessed"


def test_kolada_markers_are_not_assessed_with_the_reason(kolada):
    folder, ruleset = kolada
    outcomes, _ = impactdsl.load(folder / "data", ruleset)
    results = impactdsl.evaluate(ruleset, outcomes)
    reasons = {r.id: r.reason[0] for r in results.unassessed.indicators}
    assert reasons == {"1.1.3": "kolada_withheld", "1.1.5": "kolada_withheld", "1.1.6": "kolada_missing"}
    text = impactdsl.explain(results, "1.1.3")
    assert "Kolada visar inte N15428 för 0480 2023 (..: för litet underlag)" in text


def test_explain_cites_kolada(kolada):
    folder, ruleset = kolada
    outcomes, _ = impactdsl.load(folder / "data", ruleset)
    text = impactdsl.explain(impactdsl.evaluate(ruleset, outcomes), "1.1.1")
    assert "behörighet: Kolada N15428, kommun 0480, 2023 (Källa: Kolada, hämtad 2024-02-01)" in text
    assert "84,9 %" in text.replace("\u00a0", " ")


def test_changing_the_kolada_file_changes_the_result(kolada):
    folder, ruleset = kolada
    path = folder / "data" / "N15428-0480.json"
    path.write_text(path.read_text(encoding="utf-8").replace("84.9", "83.9"), encoding="utf-8")
    outcomes, _ = impactdsl.load(folder / "data", ruleset)
    assert impactdsl.evaluate(ruleset, outcomes).find("1.1.1").status == "missed"


@pytest.mark.parametrize("change, words", [
    (lambda t: t.replace('"kpi": "N15428"', '"kpi": "XYZ"', 1), "KPI id that is not Kolada's"),
    (lambda t: t.replace('"municipality": "0480"', '"municipality": "480"', 1), "not four digits"),
    (lambda t: t.replace('"gender": "K"', '"gender": "X"', 1), "gender other than"),
    (lambda t: t.replace('"value": 86.1', '"value": "many"', 1), "not a number"),
    (lambda t: t.replace('"values": [', '"rows": [', 1), "holds no 'values' list"),
    (lambda t: t[:40], "is not JSON"),
])
def test_a_file_kolada_did_not_write_is_refused(kolada, change, words):
    folder, ruleset = kolada
    path = folder / "data" / "N15428-0480.json"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    _, problems = impactdsl.load(folder / "data", ruleset)
    found = [p for p in problems if p.code == "data-kolada"]
    assert found and words in found[0].message.en and found[0].span.line == 2, problems


@pytest.mark.parametrize("data, code", [
    (DATA.replace("behörighet: {kpi", "behörigheten: {kpi"), "unknown-name"),
    (DATA.replace("umeå: \"2480\"", "umea: \"2480\""), "unknown-subgroup"),
    (DATA.replace("path: N00945.csv", "path: ../N00945.csv"), "manifest"),
    (DATA.replace("path: N00945.csv", "path: saknas.csv"), "data-file"),
    (DATA.replace("downloaded: 2024-02-01", "downloaded: igår"), "data-type"),
    (DATA.replace('municipality: "0480", gender: M', 'municipality: "9999", gender: M'), "data-kolada"),
])
def test_a_kolada_entry_that_cannot_be_read_is_refused_where_it_stands(kolada, data, code):
    folder, ruleset = kolada
    (folder / "data" / "outcomes.yaml").write_text(data, encoding="utf-8")
    _, problems = impactdsl.load(folder / "data", ruleset)
    assert code in [p.code for p in problems], problems
    assert all(p.span is not None and p.span.path.endswith("outcomes.yaml") for p in problems if p.code == code)
