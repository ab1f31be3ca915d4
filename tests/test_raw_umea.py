"""Umeå 2022 from raw files: the generated survey exports and registers score
exactly as the aggregates do; the columnar reader (DuckDB) gives the same
tallies as the plain one; small files never load DuckDB."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys

import pytest

import impactdsl
from impactdsl.core.source import Source
from impactdsl.outcomes import columnar
from impactdsl.outcomes.aggregates import AggregateReader
from impactdsl.outcomes.folder import _plain_file

from .conftest import ROOT, UMEA

RAW = UMEA / "raw"


def _scores(results) -> dict:
    document = impactdsl.to_json(results)
    for area in document["areas"]:
        for indicator in area["indicators"]:
            for volatile in ("trace", "source"):
                indicator.pop(volatile)
    document.pop("data")
    document.pop("inputs")                 # the files read differ: their digests too
    return document


def test_raw_files_score_exactly_as_the_aggregates(umea, umea_ruleset):
    outcomes, problems = impactdsl.load(RAW, umea_ruleset)
    assert outcomes is not None and not problems, impactdsl.render_problems(problems)
    raw = impactdsl.evaluate(umea_ruleset, outcomes)
    assert (raw.maximum, raw.achieved, raw.index) == (244, 171, 70)
    assert _scores(raw) == _scores(umea)


def test_raw_tallies_equal_every_aggregate(umea_ruleset, umea_outcomes):
    """Every n and answer count the aggregates give, and every register count, comes out of the raw files."""
    outcomes, _ = impactdsl.load(RAW, umea_ruleset)
    for key, tally in umea_outcomes.surveys.items():
        scale = umea_ruleset.question(key[1]).scale.answers
        raw = outcomes.surveys[key]
        assert raw.n == tally.n, key
        for answers, count in tally.counts:
            assert raw.count(answers, scale) == count, (key, answers)
    for key, value in umea_outcomes.counts.items():
        assert outcomes.counts[key].value == value.value, key


def test_unanswered_answers_are_shown_in_explain(umea_ruleset):
    outcomes, _ = impactdsl.load(RAW, umea_ruleset)
    text = impactdsl.explain(impactdsl.evaluate(umea_ruleset, outcomes), "3.2.6")
    assert "svarade inte: vet ej" in text and "75" in text and "95" in text


def test_cli_on_raw_folder(capsys):
    from impactdsl.cli import main

    assert main(["evaluate", str(UMEA), "--data", str(RAW), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["index"], document["max"], document["achieved"]) == (70, 244, 171)


def test_small_files_stay_on_plain_python():
    code = ("import sys, impactdsl; r, _ = impactdsl.check(sys.argv[1]); "
            "o, p = impactdsl.load(sys.argv[2], r); print('duckdb' in sys.modules, len(p))")
    run = subprocess.run([sys.executable, "-c", code, str(UMEA), str(RAW)], capture_output=True, text=True,
                         cwd=ROOT, env={"IMPACTDSL_NO_CACHE": "1", "PATH": ""})
    assert run.stdout.split() == ["False", "0"], run.stderr


# ---- the columnar reader against the plain one ------------------------------

RULESET = """
ruleset "stor"
period 2022
rounding half-up to 1%
scale del: 'ja' "Ja", 'nej' "Nej", 'kanske' "Kanske"
  unanswered = ['vet ej']
group staff "personalen"
group participants "deltagarna"
subgroups kön: kvinnor "kvinnor", män "män"
entities insatser: lyra "Lyra", mia "MIA"
question q1 scale del
question q2 scale del
register reg "register"
count alla = reg
count avslut = reg where exited
count nya_unga = reg where new and age < 30
count arbete = reg where exited and exit_reason in ['arbete', 'studier']
area 1 "A"
goal 1.1 "g"
indicator 1.1.1 "x" share(staff, q1, 'ja') >= 50% -> 1
indicator 1.1.2 "y" mean_months(avslut) <= 9 -> 1
"""


@pytest.fixture
def large_folder(tmp_path):
    rnd = random.Random(7)
    data = tmp_path / "data"
    data.mkdir()
    with (data / "svar.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["id", "grupp", "kön", "fråga", "svar"])
        for r in range(3000):
            group, gender = rnd.choice(["staff", "Deltagarna"]), rnd.choice(["K", "M", ""])
            for q in ("q1", "q2"):
                out.writerow([f"R{r}", group, gender, q, rnd.choice([" ja", "NEJ", "Kanske", "vet ej", ""])])
    with (data / "register.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=",")
        out.writerow(["Kön", "Födelseår", "Insats", "Start", "Slut", "Orsak"])
        for _ in range(5000):
            start = f"202{rnd.randint(0, 2)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            end = "" if rnd.random() < 0.3 else f"202{rnd.randint(2, 3)}-{rnd.randint(1, 12):02d}-15"
            end = end if not end or end >= start else ""
            out.writerow([rnd.choice(["K", "M", "X"]), rnd.randint(1950, 2004), rnd.choice(["Lyra", "mia", "Annan"]),
                          start, end, rnd.choice(["arbete", "Studier", "avbrott", ""])])
    (data / "manifest.yaml").write_text("""files:
  - path: svar.csv
    kind: survey
    layout: long
    group_column: grupp
    respondent: id
    subgroup: kön
    values: {K: kvinnor, M: män}
    question_column: fråga
    answer_column: svar
  - path: register.csv
    kind: register
    register: reg
    columns: {gender: Kön, birth_year: Födelseår, project: Insats, start: Start, end: Slut, exit_reason: Orsak}
    values: {K: kvinnor, M: män}
""", encoding="utf-8")
    (tmp_path / "ruleset.impact").write_text(RULESET, encoding="utf-8")
    ruleset, problems = impactdsl.check(tmp_path)
    assert ruleset is not None, impactdsl.render_problems(problems)
    reader = AggregateReader(ruleset, [])
    reader.read(Source("manifest.yaml", (data / "manifest.yaml").read_text(encoding="utf-8")), data)
    return ruleset, reader.files


def test_columnar_equals_plain(large_folder):
    ruleset, (survey, register) = large_folder
    problems: list = []
    assert columnar.survey(ruleset, survey).tallies() == _plain_file(survey, ruleset, problems, None)
    assert columnar.register(ruleset, register) == _plain_file(register, ruleset, problems, None)
    assert not problems


def test_columnar_doubt_falls_back_to_the_plain_readers_diagnostics(large_folder, monkeypatch):
    ruleset, (survey, _) = large_folder
    path = survey.path
    path.write_text(path.read_text(encoding="utf-8").replace("Kanske", "Kansk", 1), encoding="utf-8")
    with pytest.raises(columnar.Doubt):
        columnar.survey(ruleset, survey)
    monkeypatch.setattr(columnar, "LARGE_BYTES", 1)
    outcomes, problems = impactdsl.load(path.parent, ruleset)
    assert [d.code for d in problems] == ["unknown-answer"] and "first on line" in problems[0].message.en


def test_without_duckdb_parquet_is_refused_and_large_csv_read_plainly(large_folder, monkeypatch, tmp_path):
    ruleset, (survey, _) = large_folder
    monkeypatch.setattr(columnar, "available", lambda: False)
    monkeypatch.setattr(columnar, "LARGE_BYTES", 1)
    outcomes, problems = impactdsl.load(survey.path.parent, ruleset)
    assert [d.code for d in problems] == ["data-large", "data-large"] and not impactdsl.has_errors(problems)
    assert "impactdsl[large]" in problems[0].hint.en and outcomes.surveys
    manifest = survey.path.parent / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("svar.csv", "svar.parquet"), encoding="utf-8")
    (survey.path.parent / "svar.parquet").write_bytes(b"PAR1")
    _, problems = impactdsl.load(survey.path.parent, ruleset)
    assert "data-parquet" in [d.code for d in problems]


def test_progress_bar_only_for_large_files(capsys):
    from impactdsl.cli import _progress_bar

    report = _progress_bar()
    report("liten.csv", 5, 10)
    assert capsys.readouterr().err == ""
    report("stor.csv", 16 << 20, 32 << 20)
    report("stor.csv", 32 << 20, 32 << 20)
    err = capsys.readouterr().err
    assert "stor.csv" in err and " 50 %" in err and "100 %" in err


def test_generator_is_deterministic_and_the_committed_files_are_its_output(tmp_path):
    """rulesets/umea-2022/generate_raw.py (seeded) writes exactly the files in raw/."""
    for out in (tmp_path / "a", tmp_path / "b"):
        run = subprocess.run([sys.executable, str(UMEA / "generate_raw.py"), "--out", str(out)],
                             capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in RAW.iterdir())
    for name in names:
        generated = (tmp_path / "a" / name).read_bytes()
        assert generated == (tmp_path / "b" / name).read_bytes() == (RAW / name).read_bytes(), name
