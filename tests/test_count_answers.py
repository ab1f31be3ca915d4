"""count(GROUP, QUESTION, ANSWERS): the number of answers in a set, not their share.

The proof that a measure kind is declared in one place: it was added in
model.py, compile/measures.py and evaluation/measures.py only, and every
stage (parse, print, compile, evaluate, explain, report, JSON, exchange,
peers' maps) finds it there."""

from __future__ import annotations

import json

import pytest

import impactdsl
from impactdsl.compile.exchange import from_yaml, to_yaml
from impactdsl.core.source import Source
from impactdsl.parse.parser import parse
from impactdsl.parse.printer import format_source
from impactdsl.render.output import render

from .conftest import compile_text, evaluate_text

HEADER = """
ruleset "t"
minimum n 5
scale jn: 'Ja', 'Nej', 'Vet ej'
  subset ja = ['Ja']
group deltagare "deltagarna"
subgroups kon: kvinnor "kvinnor", man "män"
question q1 scale jn "Har du fått stöd?"
area 1 "A"
goal 1.1 "g"
"""


def run(tmp_path, rule: str, data: str):
    return evaluate_text(tmp_path, HEADER + rule, data)


def survey(n: int, ja: int, kvinnor: tuple[int, int] | None = None) -> str:
    text = f"surveys:\n  deltagare:\n    q1:\n      n: {n}\n      'Ja': {ja}\n"
    if kvinnor:
        text += f"      by:\n        kvinnor: {{n: {kvinnor[0]}, 'Ja': {kvinnor[1]}}}\n"
    return text


@pytest.mark.parametrize("ja, met", [(29, False), (30, True), (41, True)])
def test_the_count_is_compared_as_a_number(tmp_path, ja, met):
    results = run(tmp_path, "indicator 1.1.1 \"x\" count(deltagare, q1, ja) >= 30 -> 2\n", survey(60, ja))
    r = results.find("1.1.1")
    assert r.compared == ja and r.unit == "number"
    assert (r.points == 2) is met


def test_the_answers_may_be_listed_and_a_subgroup_read(tmp_path):
    results = run(tmp_path, "indicator 1.1.1 \"x\" count(deltagare[kvinnor], q1, ['Ja']) at least 10 -> 1\n",
                  survey(60, 41, kvinnor=(30, 12)))
    assert results.find("1.1.1").compared == 12 and results.find("1.1.1").points == 1


def test_too_few_answers_are_never_counted_or_shown(tmp_path):
    results = run(tmp_path, "indicator 1.1.1 \"x\" count(deltagare, q1, ja) >= 1 -> 1\n", survey(4, 3))
    r = results.find("1.1.1")
    assert r.status == "not-assessed" and r.compared is None
    text = render(results, "text")
    assert " 3 " not in text and "färre än 5" in impactdsl.explain(results, "1.1.1")


def test_explain_json_and_reports_show_the_count(tmp_path):
    results = run(tmp_path, "indicator 1.1.1 \"x\" count(deltagare, q1, ja) >= 30 -> 2\n", survey(60, 41))
    explained = impactdsl.explain(results, "1.1.1")
    assert "count(deltagare, q1, ja) >= 30" in explained and "41" in explained and "60" in explained
    document = json.loads(render(results, "json"))
    indicator = document["areas"][0]["indicators"][0]
    assert indicator["compared"] == 41 and indicator["unit"] == "number" and indicator["points"] == 2
    assert "41" in render(results, "md") and "41" in render(results, "text")


def test_it_prints_back_and_survives_export(tmp_path):
    text = HEADER + "indicator 1.1.1 \"x\" count(deltagare, q1, ['Ja']) >= 30 -> 2\n"
    document, problems = parse(Source("r.impact", text))
    assert document is not None, problems
    assert "count(deltagare, q1, ['Ja']) >= 30 -> 2" in format_source(document, Source("r.impact", text))
    ruleset, problems = compile_text(tmp_path, text)
    assert ruleset is not None, problems
    assert from_yaml(to_yaml(ruleset)) == ruleset


def test_a_template_may_count(tmp_path):
    rule = ("template minst(grupp, antal) = count(grupp, q1, ja) >= antal\n"
            "indicator 1.1.1 \"x\" minst(deltagare, 30) -> 2\n")
    results = run(tmp_path, rule, survey(60, 35))
    assert results.find("1.1.1").points == 2


@pytest.mark.parametrize("rule, code, words", [
    ("count(deltagare, q1) >= 3", "measure", "count(...) takes 3 values (GROUP, QUESTION, ANSWERS), 2 given"),
    ("count(deltagare, q1[kvinnor], ja) >= 3", "measure", "takes a question here"),
    ("count(deltagare, 12, ja) >= 3", "measure", "takes a question here"),
    ("count(deltagare, q1, nej) >= 3", "unknown-answer", "unknown subset of scale jn 'nej'"),
    ("count(styrelsen, q1, ja) >= 3", "unknown-name", "unknown group 'styrelsen'"),
    ("cuont(deltagare, q1, ja) >= 3", "unknown-name", "unknown measure 'cuont'"),
    ("count(deltagare, q1, ja) >= 30%", "unit", "a number is compared here"),
])
def test_a_wrong_count_says_what_and_where(tmp_path, rule, code, words):
    ruleset, problems = compile_text(tmp_path, HEADER + f"indicator 1.1.1 \"x\" {rule} -> 2\n")
    assert ruleset is None
    found = [p for p in problems if p.code == code]
    assert found and words in found[0].message.en, impactdsl.render_problems(problems)
    assert found[0].span is not None and found[0].span.line == HEADER.count("\n") + 1
    if "cuont" in rule:
        assert "count" in found[0].hint.en


def test_a_template_where_a_measure_belongs_is_named(tmp_path):
    rule = ("template minst(grupp) = count(grupp, q1, ja) >= 3\n"
            "indicator 1.1.1 \"x\" minst(deltagare) >= 3 -> 2\n")
    ruleset, problems = compile_text(tmp_path, HEADER + rule)
    assert ruleset is None
    assert any(p.code == "template" and "is a whole rule" in p.message.en for p in problems)


def test_a_table_counts_each_rows_answers(tmp_path):
    header = HEADER.replace('area 1 "A"', 'entities projekt: lyra "Lyra", mia "MIA"\narea 1 "A"')
    rules = ('indicator 1.1.1 "x" count(deltagare, q1, ja) >= 1 -> 1\n'
             'table t "Svar per projekt" rows projekt total "Totalt"\n'
             '  column ja "Ja-svar" = count(deltagare, q1, ja)\n')
    data = ("surveys:\n  deltagare:\n    q1:\n      n: 30\n      'Ja': 19\n      by:\n"
            "        lyra: {n: 12, 'Ja': 7}\n        mia: {n: 18, 'Ja': 12}\n")
    ruleset, problems = compile_text(tmp_path, header + rules, data)
    assert ruleset is not None, impactdsl.render_problems(problems)
    outcomes, problems = impactdsl.load(tmp_path / "data", ruleset)
    table = impactdsl.evaluate(ruleset, outcomes).tables[0]
    assert [row.cells[0].value for row in table.rows] == [7, 12] and table.total.cells[0].value == 19


def test_answers_are_not_read_for_a_subgroup(tmp_path):
    ruleset, problems = compile_text(tmp_path, HEADER + 'indicator 1.1.1 "x" count(deltagare, q1, ja[kvinnor]) >= 3 -> 1\n')
    assert ruleset is None and any(p.code == "measure" and "takes answers" in p.message.en for p in problems)


def test_a_template_given_a_number_where_count_names_its_group_says_so(tmp_path):
    rules = ("template minst(grupp) = count(grupp, q1, ja) >= 3\n"
             "indicator 1.1.1 \"x\" minst(12) -> 2\n")
    ruleset, problems = compile_text(tmp_path, HEADER + rules)
    assert ruleset is None
    assert any(p.code == "template" and "uses grupp as a name" in p.message.en for p in problems), problems


@pytest.mark.parametrize("name", ["count", "indicator", "share"])
def test_a_template_may_not_take_the_name_of_a_measure_or_a_statement(tmp_path, name):
    rules = f"template {name}(g) = share(g, q1, ja) >= 80%\nindicator 1.1.1 \"x\" share(deltagare, q1, ja) >= 80% -> 1\n"
    ruleset, problems = compile_text(tmp_path, HEADER + rules)
    assert ruleset is None
    assert any(p.code in ("template", "syntax") for p in problems), problems


def test_a_space_before_the_bracket_is_allowed(tmp_path):
    results = run(tmp_path, "indicator 1.1.1 \"x\" count (deltagare, q1, ja) >= 30 -> 2\n", survey(60, 41))
    assert results.find("1.1.1").points == 2


def test_the_json_document_holds_plain_texts(tmp_path):
    import yaml

    results = run(tmp_path, "indicator 1.1.1 \"x\" count(deltagare, q1, ja) >= 30 -> 2\n", survey(60, 41))
    document = impactdsl.to_json(results)
    assert yaml.safe_dump(document) and type(document["areas"][0]["indicators"][0]["status"]) is str


def test_a_peers_count_reads_our_question_once_mapped(tmp_path):
    peer = tmp_path / "peer"
    peer.mkdir()
    (peer / "ruleset.impact").write_text(HEADER + 'indicator 1.1.1 "x" count(deltagare, q1, ja) >= 30 -> 2\n',
                                         encoding="utf-8")
    own = tmp_path / "own"
    (own / "data").mkdir(parents=True)
    (own / "ruleset.impact").write_text(
        'ruleset "vår"\nimport "../peer" as p\nscale jn: \'Ja\', \'Nej\'\n  subset ja = [\'Ja\']\n'
        'group deltagare "deltagarna"\nquestion q9 scale jn "Vår fråga"\narea 1 from p\n'
        'map question p.q1 to q9\n', encoding="utf-8")
    (own / "data" / "outcomes.yaml").write_text("surveys:\n  deltagare:\n    q9: {n: 50, 'Ja': 31}\n",
                                               encoding="utf-8")
    results = impactdsl.run(own, allow=[tmp_path])
    r = results.find("1.1.1")
    assert r.compared == 31 and r.points == 2
    assert "q1 → q9" in " ".join(value for _, _, value in r.indicator.origin)


def test_a_count_before_points_per_unit_is_explained(tmp_path):
    ruleset, problems = compile_text(tmp_path, HEADER + 'indicator 1.1.1 "x"\n  count(deltagare, q1, ja) -> 1 each up to 4\n')
    assert ruleset is None
    assert any(p.code == "syntax" and "cannot stand alone before '-> N each up to M'" in (p.hint.en if p.hint else "")
               for p in problems), impactdsl.render_problems(problems)
