"""The compiler's problems in Swedish: what a methodologist reads by default.

Each row is a small bad ruleset and words its diagnostic's Swedish message and hint must hold;
the English beside them is checked by tests/test_diagnostics.py and the rest. A Swedish text is
never the English one left untranslated. Also: `impactdsl diff` in Swedish, and an exported
ruleset that cannot be read says why in both languages."""

from __future__ import annotations

from typing import NamedTuple

import pytest

import impactdsl
from impactdsl.cli import main
from impactdsl.compile.exchange import ExchangeError, from_yaml

from .conftest import ROOT

PRELUDE = """\
scale del: 'mycket stor' "Till mycket stor del", 'stor' "Till stor del",
           'liten' "Till liten del", 'inte alls' "Inte alls"
  subset top2 = ['mycket stor', 'stor']
group staff "personalen"
question q3.2.4 scale del "Den lokala samverkan har fungerat"
count avslut "avslut under året"
count deltagare "deltagare under året"
template top2(grupp, fråga) = share(grupp, fråga, top2) >= 80%
"""
AREA = 'area 1 "Samhällsnytta"\ngoal 1.1 "Genomströmning"\n'
OK = 'indicator 1.1.1 "Genomströmning" ratio(avslut, deltagare) >= 40% -> 2\n'


class Case(NamedTuple):
    text: str                   # appended to PRELUDE
    code: str
    message: tuple[str, ...]    # words the Swedish message holds
    hint: tuple[str, ...] = ()  # words the Swedish hint holds (none: the diagnostic has no hint)


CASES = [
    pytest.param(Case(AREA + 'indicator 1.1.1 "x" share(staff, q3.2.4, top2) >= 80 -> 2\n', "unit",
                      ("här jämförs en procentsats", "ett vanligt tal"), ("skriv 80%", "en andel av 100")),
                 id="unit"),
    pytest.param(Case('count avslut "avslut igen"\n' + AREA + OK, "duplicate",
                      ("antalet 'avslut'", "deklareras två gånger"), ("ta bort en av dem",)), id="duplicate"),
    pytest.param(Case(AREA + 'indicator 1.1.1 "x" ratio(avslut, deltagare) within 5% of target -> 2\n', "target",
                      ("inget målvärde",), ("'inom X av målvärdet'", "bonus", "utfall(ID)")), id="target"),
    pytest.param(Case(AREA + OK.rstrip("\n") + ' ; override met because ""\n', "override",
                      ("måste säga varför",), ('ändra uppnått eftersom "',)), id="override"),
    pytest.param(Case(AREA + 'indicator 1.1.1 "a" outcome(1.1.2) >= 40% -> 2\n'
                      'indicator 1.1.2 "b" outcome(1.1.1) >= 40% -> 2\n', "cycle",
                      ("beror på varandra i en cirkel", "1.1.1 → 1.1.2 → 1.1.1"), ("tillbaka",)), id="cycle"),
    pytest.param(Case(AREA + 'indicator 1.1.1 "x" top2(80%, q3.2.4) -> 2\n', "template",
                      ("mallen top2 använder grupp som ett namn", "men får ett tal"),
                      ("anropa den med namn", "top2(board, q1, 80%)")), id="template"),
    pytest.param(Case(AREA + 'indicator 1.1.1 "x" ratio(avslut, deltagare) >= 40% -> 100000\n', "points",
                      ("100000 poäng", "en indikator ger högst"), ("några få poäng av indexet",)), id="points"),
    pytest.param(Case('goal 1.1 "Utan målområde"\n', "structure",
                      ("målet 1.1", "inget målområde ovanför sig"), ("målområde N \"rubrik\"",)), id="structure"),
    pytest.param(Case("period 1800\n" + AREA + OK, "period",
                      ("en period är ett år från",), ("period 2022 föregående 2021",)), id="period"),
    pytest.param(Case('status uppfyllt "Uppfyllt" when met\n' + AREA + OK, "status",
                      ("ingen av bedömningarna är 'annars'",),
                      ('lägg till t.ex.: status ej_uppfyllt "Ej uppfyllt" annars',)), id="status"),
    pytest.param(Case('grade goal "Bra" when all met\n' + AREA + OK, "grade",
                      ("betygen behöver ett sista som gäller annars",),
                      ('lägg till: betyg mål "Ej godtagbart" annars',)), id="grade"),
    pytest.param(Case(AREA + 'indicator 1.1.1 "x" count(staff, q3.2.4) >= 3 -> 1\n', "measure",
                      ("antal(...) tar 3 värden (GRUPP, FRÅGA, SVAR), 2 angavs",),
                      ("t.ex. antal(staff, q3.2.6, top2) >= 30",)), id="measure"),
    pytest.param(Case(AREA + 'indicator 1.1.1 "x" ratio(avslutt, deltagare) >= 40% -> 2\n', "unknown-name",
                      ("okänt antal 'avslutt'",), ("menade du 'avslut'",)), id="unknown-count"),
    pytest.param(Case(AREA + 'each kommun in kommuner:\n  indicator 1.1.* "x" ratio(avslut, deltagare) >= 40% -> 2\n'
                      'end\n', "unknown-name",
                      ("okänd lista med enheter 'kommuner'",), ("deklarera den: enheter NAMN",)), id="unknown-list"),
    pytest.param(Case('area 1 "Ett" weight 60%\n' + AREA.split("\n", 1)[1] + OK, "weight",
                      ("de planerade vikterna blir sammanlagt 60 %",), ("fördelar hela indexet",)), id="weight"),
    pytest.param(Case(AREA + 'indikator 1.1.1 "x" kvot(avslut, deltagare) >= 40 -> 2\n', "unit",
                      ("här jämförs en procentsats",), ("skriv 40%",)), id="written-in-swedish"),
]


def _diagnostic(tmp_path, case: Case):
    (tmp_path / "ruleset.impact").write_text(PRELUDE + case.text, encoding="utf-8")
    _, problems = impactdsl.check(tmp_path)
    found = [d for d in problems if d.code == case.code and case.message[0] in d.message.sv]
    assert found, impactdsl.render_problems(problems, lang="sv")
    return found[0]


@pytest.mark.parametrize("case", CASES)
def test_a_compile_problem_is_said_in_swedish(tmp_path, case):
    d = _diagnostic(tmp_path, case)
    for word in case.message:
        assert word in d.message.sv, d.message
    assert d.message.sv != d.message.en
    if case.hint:
        assert d.hint is not None, d
        for word in case.hint:
            assert word in d.hint.sv, d.hint
        assert d.hint.sv != d.hint.en
    assert case.message[0] in impactdsl.render_problems([d], lang="sv")       # as the command line shows it


def test_diff_speaks_the_users_language(capsys, monkeypatch):
    peer, umea = ROOT / "rulesets" / "example-peer", ROOT / "rulesets" / "umea-2022"
    monkeypatch.setenv("LANGUAGE", "sv")
    assert main(["diff", str(umea), str(peer), "--allow", str(ROOT / "rulesets")]) == 0
    out = capsys.readouterr().out
    assert "- målområde 1 \"Samhälls- och medlemsnytta\"" in out
    assert "~ målområde 3 vikt: 20\u00a0% → 65\u00a0%" in out
    assert "~ indikator 3.2.6 målvärde: >= 80\u00a0% → >= 75\u00a0%" in out
    assert "~ indikator 5.1.2 poäng: 5 → 3" in out
    assert "~ indikator 3.2.6 regel:" in out
    monkeypatch.setenv("LANGUAGE", "en")
    assert main(["diff", str(umea), str(peer), "--allow", str(ROOT / "rulesets")]) == 0
    assert "~ area 3 weight: 20% → 65%" in capsys.readouterr().out


def test_an_exported_ruleset_that_cannot_be_read_says_why_in_both_languages():
    with pytest.raises(ExchangeError) as caught:
        from_yaml("format: something-else\n")
    said = caught.value.said
    assert "inget exporterat impactdsl-regelverk" in said.sv
    assert str(caught.value) == said.en and "not an exported impactdsl ruleset" in said.en
