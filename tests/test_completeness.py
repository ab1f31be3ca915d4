"""Nothing missing goes unseen: every report's headline says what could not be assessed and why,
`--strict` makes it a finding, a ruleset may withhold an index built on too little, and `check`
reads the data folder too."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactdsl
from impactdsl.cli import main
from impactdsl.render.output import render

from .conftest import UMEA, compile_text, evaluate_text

TWO = """ruleset "Två"
index "Index"
fact a percent "a"
fact b percent "b"
area 1 "A"
goal 1.1 "G"
indicator 1.1.1 "Minst 50 %." a >= 50% -> 1
indicator 1.1.2 "Minst 50 %." b >= 50% -> 1
"""


@pytest.fixture(scope="module")
def without_staff(tmp_path_factory):
    """Umeå's data with the staff survey left out, as a forgotten file would leave them."""
    folder = tmp_path_factory.mktemp("umea") / "umea-2022"
    shutil.copytree(UMEA, folder, ignore=shutil.ignore_patterns("raw"))
    data = folder / "data" / "outcomes.yaml"
    lines, kept, skipping = data.read_text(encoding="utf-8").split("\n"), [], False
    for line in lines:
        if line.startswith("  ") and not line.startswith("   "):
            skipping = line.startswith("  staff:")
        if not skipping:
            kept.append(line)
    data.write_text("\n".join(kept), encoding="utf-8")
    return folder


def test_a_forgotten_survey_is_said_in_every_headline(without_staff):
    results = impactdsl.run(without_staff)
    missing = results.unassessed
    assert (len(missing.indicators), missing.points, missing.possible) == (20, 42, 244)
    said = "20 indikatorer kunde inte bedömas (42 av 244 poäng): svar från personalen saknas"
    for form in ("text", "md", "html"):
        shown = render(results, form)
        assert said in shown, form
        assert shown.index(said) < shown.index("1.1.1"), form            # the headline, above the tables
    assert "20 indicators could not be assessed (42 of 244 points): no answers from" in render(results, "text", "en")
    document = json.loads(render(results, "json"))
    assert (document["not_assessed"]["count"], document["not_assessed"]["points"]) == (20, 42)
    assert {i["reason"] for i in document["not_assessed"]["indicators"]} == {"svar från personalen saknas"}
    area5 = next(a for a in document["areas"] if a["id"] == "5")
    assert area5["not_assessed"]["count"] == 10 and area5["index"] is None
    import io

    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(render(results, "xlsx")))
    assert any(said in str(cell.value) for row in book.worksheets[0].iter_rows() for cell in row)


def test_the_full_data_say_nothing_is_missing(umea):
    assert umea.unassessed.indicators == () and "kunde inte bedömas" not in render(umea, "text")
    assert json.loads(render(umea, "json"))["not_assessed"]["count"] == 0


def test_strict_makes_what_could_not_be_assessed_a_finding(without_staff, capsys):
    assert main(["evaluate", str(without_staff)]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(without_staff), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "20 indikatorer kunde inte bedömas" in err and "--strict" in err
    assert main(["evaluate", str(UMEA), "--strict"]) == 0


@pytest.mark.parametrize("data, index, withheld", [
    ("facts:\n  a: 60%\n  b: 40%\n", 50, False),
    ("facts:\n  a: 60%\n", None, True),              # half the maximum not assessed: more than 10 %
])
def test_an_index_built_on_too_little_is_not_reported(tmp_path, data, index, withheld):
    results = evaluate_text(tmp_path, TWO.replace('index "Index"', 'index "Index"\nmissing data at most 10%'), data)
    assert (results.index, results.withheld) == (index, withheld)
    text = render(results, "text")
    if withheld:
        assert "Index ej redovisat" in text and "Index redovisas inte: 50 % kunde inte bedömas, regelverket " \
            "tillåter högst 10 %" in text.replace("\u00a0", " ")
        assert json.loads(render(results, "json"))["index_withheld"] is True
        assert "Index 100" not in text
    else:
        assert "ej redovisat" not in text


def test_without_a_completeness_rule_a_missing_figure_still_shows(tmp_path):
    """The two-indicator case: 1 of 1 assessed makes 100, and the headline says why it is not 50."""
    results = evaluate_text(tmp_path, TWO, "facts:\n  a: 60%\n")
    assert results.index == 100
    assert "1 indikator kunde inte bedömas (1 av 2 poäng): data saknar värde för b (1.1.2)" in render(results, "text")


def test_check_reads_the_data_folder_and_names_what_a_rule_lacks(tmp_path, capsys):
    ruleset, _ = compile_text(tmp_path, TWO, "facts:\n  a: 60%\n  c: 10%\n")
    assert main(["check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "error[unknown-name]" in err and "'c' is not a declared fact" in err
    (tmp_path / "data" / "outcomes.yaml").write_text("facts:\n  a: 60%\n", encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 0                      # a warning is shown; --strict fails on it
    assert main(["check", str(tmp_path), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "warning[data-absent]: 1.1.2 cannot be assessed: data saknar värde för b" in err
    assert "ruleset.impact:8:1" in err                              # at the indicator
    other = tmp_path / "other"
    other.mkdir()
    (other / "o.yaml").write_text("facts:\n  a: 60%\n  b: 70%\n", encoding="utf-8")
    assert main(["check", str(tmp_path), "--data", str(other)]) == 0


def test_a_status_reported_as_not_assessed_is_counted_with_its_words(tmp_path):
    text = 'ruleset "r"\narea 1 "A"\ngoal 1.1 "G"\nindicator 1.1.1 "I" reported\n'
    results = evaluate_text(tmp_path, text, "reported:\n  1.1.1: {status: not-assessed, by: styrelsen}\n")
    assert [r.id for r in results.unassessed.indicators] == ["1.1.1"]
    assert "1 indikator kunde inte bedömas: ej bedömt (1.1.1)" in render(results, "text")


# ---- results name their inputs by content ---------------------------------------------------------
def test_every_output_names_its_inputs_by_sha256(umea):
    import hashlib

    expected = {str(UMEA / "ruleset.impact"): hashlib.sha256((UMEA / "ruleset.impact").read_bytes()).hexdigest(),
                str(UMEA / "data" / "outcomes.yaml"):
                    hashlib.sha256((UMEA / "data" / "outcomes.yaml").read_bytes()).hexdigest()}
    shown = {path: digest for path, digest in umea.inputs}
    assert {p.split("umea-2022/", 1)[1]: d for p, d in shown.items()} == \
        {p.split("umea-2022/", 1)[1]: d for p, d in expected.items()}
    document = json.loads(render(umea, "json"))
    assert sorted(i["sha256"] for i in document["inputs"]) == sorted(expected.values())
    from impactdsl.render.view import digest_text

    for form in ("text", "md", "html"):
        assert all(digest_text(digest) in render(umea, form) for digest in expected.values()), form
    assert digest_text("0123456789abcdef") == "0123 4567 89ab cdef"


def test_a_raw_file_is_named_by_the_sha256_of_its_bytes():
    import hashlib

    raw = UMEA / "raw"
    results = impactdsl.run(UMEA, data=raw)
    digests = {path.rsplit("/", 1)[-1]: digest for path, digest in results.data_digests}
    files = sorted(p for p in raw.iterdir() if p.is_file() and p.name != "generate_raw.py")
    assert sorted(digests) == [f.name for f in files]           # every file read, the raw ones and the manifest
    assert all(digests[f.name] == hashlib.sha256(f.read_bytes()).hexdigest() for f in files)


def test_without_positioned_reads_the_digests_and_tallies_are_the_same(monkeypatch):
    """Windows has no os.pread: each raw file is then hashed before it is tallied, from the same opening."""
    raw = UMEA / "raw"
    with_pread = impactdsl.run(UMEA, data=raw)
    monkeypatch.delattr("os.pread")
    monkeypatch.setenv("IMPACTDSL_NO_CACHE", "1")
    without = impactdsl.run(UMEA, data=raw)
    assert without.data_digests == with_pread.data_digests and without.index == with_pread.index


def test_changing_a_data_file_changes_its_digest(tmp_path):
    first = evaluate_text(tmp_path, TWO, "facts:\n  a: 60%\n  b: 40%\n")
    second = evaluate_text(tmp_path, TWO, "facts:\n  a: 60%\n  b: 41%\n")
    assert dict(first.data_digests) != dict(second.data_digests)
    assert first.inputs[0] == second.inputs[0]                 # the same ruleset, the same digest


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64))
def test_a_digest_as_printed_never_reads_as_an_identity_number(digest):
    from impactdsl.core.redact import holds_identity, redact
    from impactdsl.render.view import digest_text

    shown = digest_text(digest)
    assert not holds_identity(shown) and redact(shown) == shown and shown.replace(" ", "") == digest


# ---- small numbers stay private across tables ------------------------------------------------------
TABLE = """ruleset "t"
minimum n {minimum}
subgroups kön: kvinnor "kvinnor", män "män"
entities rader: {rows}
count deltagare "deltagare"
count nya "nya deltagare"
table flöden "Flöden" rows rader total "TOTALT"
  column deltagare "Deltagare" = deltagare split kön
  column nya "Nya" = nya split kön
"""


def _flows(tmp_path, minimum: int, figures: list[list[tuple[int, int, int]]]):
    """A table of two count columns split by gender, with a row per entity and a total: (women, men,
    others) for each row and column; the data give each count and its total."""
    from impactdsl.outcomes.tallies import Outcomes, Value

    names = [f"r{i}" for i in range(len(figures))]
    ruleset, problems = compile_text(tmp_path, TABLE.format(minimum=minimum,
                                                            rows=", ".join(f'{n} "{n}"' for n in names)))
    assert ruleset is not None, problems
    counts = {}
    for column, name in enumerate(("deltagare", "nya")):
        for row, figure in zip(names, figures):
            women, men, others = figure[column]
            counts[(name, row, False)] = Value(women + men + others, "number")
            counts[(name, f"{row}/kvinnor", False)] = Value(women, "number")
            counts[(name, f"{row}/män", False)] = Value(men, "number")
        counts[(name, None, False)] = Value(sum(sum(f[column]) for f in figures), "number")
        for position, key in ((0, "kvinnor"), (1, "män")):            # the data's totals by gender too
            counts[(name, key, False)] = Value(sum(f[column][position] for f in figures), "number")
    return impactdsl.evaluate(ruleset, Outcomes(counts=counts)).tables[0], counts


CELL = st.integers(0, 12) | st.integers(0, 200)


@settings(max_examples=150, deadline=None)
@given(minimum=st.integers(2, 6),
       figures=st.lists(st.lists(st.tuples(CELL, CELL, st.integers(0, 4)), min_size=2, max_size=2),
                        min_size=1, max_size=5))
def test_no_total_minus_the_shown_reveals_a_hidden_count(tmp_path_factory, minimum, figures):
    table, _ = _flows(tmp_path_factory.mktemp("t"), minimum, figures)
    rows = list(table.rows) + [table.total]

    def items(row, column):
        cell = row.cells[column]
        return [("value", cell.value), *cell.splits, ("rest", cell.rest)]
    # every count of 1 to below the minimum is hidden
    for r, row in enumerate(rows[:-1]):
        for column in (0, 1):
            women, men, others = figures[r][column]
            for part, value in zip(("kvinnor", "män", "rest"), (women, men, others)):
                assert not 0 < value < minimum or part in row.cells[column].hidden, (figures, r, column, part)
    # no sum has exactly one part hidden and all its others shown: a row's total and its parts, a
    # column's total and its rows (a part the data do not give, None, reveals nothing)
    def reveals(line):
        hidden = [x for x in line if x[0]]
        return len(hidden) == 1 and all(value is not None for is_hidden, value in line if not is_hidden)
    for row in rows:
        for column in (0, 1):
            line = [(part in row.cells[column].hidden, value) for part, value in items(row, column)]
            assert not reveals(line), (figures, row.label, column, line)
    for column in (0, 1):
        for part in ("value", "kvinnor", "män", "rest"):
            line = [(part in row.cells[column].hidden, dict(items(row, column))[part]) for row in rows]
            assert not reveals(line), (figures, column, part, line)
    # what is shown is the data's own figure
    for r, row in enumerate(rows[:-1]):
        for column in (0, 1):
            cell = row.cells[column]
            if "value" not in cell.hidden:
                assert cell.value == sum(figures[r][column])


def test_the_hidden_counts_are_not_in_any_report(tmp_path):
    table, _ = _flows(tmp_path, 5, [[(3, 40, 0), (20, 21, 0)], [(30, 31, 0), (2, 30, 1)]])
    hidden = {(row.label, i, part) for row in table.rows + (table.total,) for i, c in enumerate(row.cells)
              for part in c.hidden}
    assert ("r0", 0, "kvinnor") in hidden and ("r1", 1, "kvinnor") in hidden
    results = evaluate_text(tmp_path, TABLE.format(minimum=5, rows='r0 "r0", r1 "r1"'),
                            "counts:\n  deltagare: {r0: {total: 43, kvinnor: 3, män: 40}, "
                            "r1: {total: 61, kvinnor: 30, män: 31}, total: 104}\n"
                            "  nya: {r0: {total: 41, kvinnor: 20, män: 21}, r1: {total: 33, kvinnor: 2, män: 30}, "
                            "total: 74}\n")
    for form in ("text", "md", "html"):
        shown = render(results, form)
        assert "..: visas inte" in shown and " 3 (" not in shown and "3 (7" not in shown, form
    cells = json.loads(render(results, "json"))["tables"][0]["rows"][0]["cells"]["deltagare"]
    assert cells["split"]["kvinnor"] is None and "kvinnor" in cells["hidden"]
