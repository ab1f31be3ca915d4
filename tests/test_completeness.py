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
    assert main(["check", str(tmp_path)]) == 1
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
