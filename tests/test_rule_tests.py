"""`impactdsl test RULESET`: a ruleset's own tests, each a folder of given outcomes and the figures
they must give; a failure shows expected against got with the explanation; --coverage lists the
statuses and grades no test reached."""

from __future__ import annotations

import pytest

from impactdsl.cli import main


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
    assert main(["test", str(started), "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "Täckning: testerna nådde 4 av 12 bedömningar" in out
    assert "  1.1.2: nådde uppfyllt, nära; aldrig ej_uppfyllt, ej_bedömt" in out


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
