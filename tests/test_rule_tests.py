"""`impactdsl test RULESET`: a ruleset's own tests, each a folder of given outcomes and the figures
they must give; a failure shows expected against got with the explanation; --coverage lists the
statuses and grades some data would give that no test reached."""

from __future__ import annotations

import shutil

import pytest

from impactdsl.cli import main

from .conftest import ROOT


@pytest.fixture
def started(tmp_path, capsys):
    folder = tmp_path / "förbund"
    assert main(["init", str(folder)]) == 0
    capsys.readouterr()
    return folder


def test_the_starters_tests_pass(started, capsys):
    assert main(["test", str(started)]) == 0
    out = capsys.readouterr().out
    assert "ok    allt-uppfyllt (7 värden som väntat)" in out and "ok    nära-målet (8 värden som väntat)" in out
    assert out.rstrip().endswith("2 tester, 0 fel")


def test_a_wrong_expectation_shows_expected_against_got_with_the_explanation(started, capsys):
    expect = started / "tests" / "nära-målet" / "expect.yaml"
    expect.write_text(expect.read_text(encoding="utf-8").replace("{status: nära, points: 0}",
                                                                 "{status: uppfyllt, points: 10}"), encoding="utf-8")
    assert main(["test", str(started)]) == 1
    out = capsys.readouterr().out
    assert "FEL   nära-målet: 2 av 8 värden blev inte som väntat" in out
    assert "    1.1.2 bedömning: väntat uppfyllt, blev nära" in out and "    1.1.2 poäng: väntat 10, blev 0" in out
    assert "      Jämförelse: 36" in out                                  # the indicator's explanation
    assert "    total index: väntat 60" not in out


def test_changed_data_fail_a_test_that_held(started, capsys):
    data = started / "data" / "outcomes.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("avslut: 36%", "avslut: 20%"), encoding="utf-8")
    assert main(["test", str(started)]) == 1
    assert "1.1.2 bedömning: väntat nära, blev ej_uppfyllt" in capsys.readouterr().out


def test_coverage_lists_what_no_test_reached(started, capsys):
    """The starter's 3 indicators have 4 statuses each, but 2.1.1 is a yes/no, never nära (a missed
    yes/no is missed): 11 judgements data can give, of which the two tests reach 1.1.1 and 2.1.1
    uppfyllt, 1.1.2 uppfyllt and nära."""
    assert main(["test", str(started), "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "Täckning: testerna nådde 4 av 11 bedömningar" in out
    assert "  1.1.2: nådde uppfyllt, nära; aldrig ej_uppfyllt, ej_bedömt" in out
    assert "  2.1.1: nådde uppfyllt; aldrig ej_uppfyllt, ej_bedömt" in out


def test_one_figure_and_one_test_are_said_in_the_singular(started, capsys):
    shutil.rmtree(started / "tests" / "nära-målet")
    expect = started / "tests" / "allt-uppfyllt" / "expect.yaml"
    expect.write_text("expect:\n  2.1.1: {status: uppfyllt}\n", encoding="utf-8")
    assert main(["test", str(started)]) == 0
    out = capsys.readouterr().out
    assert "ok    allt-uppfyllt (1 värde som väntat)" in out and out.rstrip().endswith("1 test, 0 fel")
    expect.write_text("expect:\n  2.1.1: {status: ej_uppfyllt}\n", encoding="utf-8")
    assert main(["test", str(started), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  allt-uppfyllt: 1 of 1 figure was not as expected" in out and out.rstrip().endswith("1 test, 1 failed")


def test_a_broken_test_and_no_tests_are_findings(started, tmp_path, capsys):
    (started / "tests" / "trasig").mkdir()
    (started / "tests" / "trasig" / "expect.yaml").write_text("expect: [1, 2]\n", encoding="utf-8")
    assert main(["test", str(started)]) == 1
    captured = capsys.readouterr()
    assert "FEL   trasig: testet kunde inte köras" in captured.out and "error[test]" in captured.err
    bare = tmp_path / "utan"
    bare.mkdir()
    (bare / "ruleset.impact").write_text((started / "ruleset.impact").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["test", str(bare)]) == 1
    assert "har inga tester" in capsys.readouterr().err


# ---- the bundled rulesets' own tests ------------------------------------------------------------
RULESETS = ROOT / "rulesets"
BUNDLED = sorted(p.name for p in RULESETS.iterdir() if (p / "ruleset.impact").is_file())



@pytest.mark.parametrize("name", BUNDLED)
def test_each_bundled_ruleset_ships_tests_that_pass_and_reach_every_judgement_data_can_give(name, capsys):
    """Every status of every indicator and every grade of every graded goal and unit that some data
    would give is reached by some test of the ruleset (what no data can give is not asked for:
    tests/test_reachable.py says what that is and why): a new ruleset under rulesets/ is held to
    the same."""
    assert main(["test", str(RULESETS / name), "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "FEL" not in out and ", 0 fel\n" in out
    summary = out.splitlines()[-1]
    assert summary.startswith("Täckning: testerna nådde ")
    reached, of = (int(x) for x in summary.split()[3:6:2])
    assert reached == of > 0


def test_a_changed_figure_in_a_bundled_test_fails_that_test(tmp_path, capsys):
    """74,5 % rounds half-up to 75 %, within 5 points of 80 %: nära. One answer fewer, 74 %, is not."""
    folder = tmp_path / "umea-2022"
    shutil.copytree(RULESETS / "umea-2022", folder)
    data = folder / "tests" / "nära-målet" / "data" / "outcomes.yaml"
    text = data.read_text(encoding="utf-8")
    assert text.count("q5.3.4: {n: 200, top2: 149}") == 1
    data.write_text(text.replace("q5.3.4: {n: 200, top2: 149}", "q5.3.4: {n: 200, top2: 148}"), encoding="utf-8")
    assert main(["test", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "FEL   nära-målet: 1 av 218 värden blev inte som väntat" in out
    assert "    5.3.4 bedömning: väntat nära, blev ej_uppfyllt" in out
    assert "ok    allt-uppfyllt" in out and "ok    inga-data" in out and "ok    inget-uppfyllt" in out
    assert out.rstrip().endswith("4 tester, 1 fel")
