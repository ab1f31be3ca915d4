"""Raw survey exports and registers: formats as Swedish offices write them,
registers counted by the ruleset's conditions, every kind of bad file, and
privacy (identity numbers refused, small groups never shown)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

import impactdsl
from impactdsl.cli import main
from impactdsl.render.words import Words

from .conftest import compile_text

RULESET = """
ruleset "rådata"
period 2022
rounding half-up to 1%
minimum n 3
scale del: 'mycket stor' "Till mycket stor del", 'stor' "Till stor del", 'liten' "Till liten del"
  subset top2 = ['mycket stor', 'stor']
  unanswered = ['vet ej']
group staff "personalen"
subgroups kön: kvinnor "kvinnor", män "män"
entities insatser: lyra "Lyra", mia "MIA"
question q1 scale del "Fråga ett"
question q2 scale del "Fråga två"
register reg "deltagarregistret"
count deltagare "deltagare" = reg
count avslut "avslut" = reg where exited
count nya "nya" = reg where new
count unga "unga nya" = reg where new and age < 30
count positiva "positiva avslut" = reg where exited and exit_reason in ['arbete', 'studier']
area 1 "A"
goal 1.1 "g"
indicator 1.1.1 "q1" share(staff, q1, top2) >= 80% -> 2
indicator 1.1.2 "q2" share(staff[kvinnor], q2, top2) >= 50% -> 1
indicator 1.1.3 "genomströmning" ratio(avslut, deltagare) >= 40% -> 1
indicator 1.1.4 "inskrivningstid" mean_months(avslut) <= 10 -> 1
indicator 1.1.5 "kvinnor bland avslut" ratio(avslut[kvinnor], avslut) between 40% and 60% -> 1
indicator 1.1.6 "unga" ratio(unga, nya) >= 20% -> 1
"""

WIDE = """Respondent;Kön;q1;q2
R1;K;Till mycket stor del;till stor del
R2;M; till  STOR del ;Till liten del
R3;K;Till liten del;Vet ej
R4;M;Till stor del;
R5;K;Till mycket stor del;Till mycket stor del
R6;;vet ej;Till stor del
"""

LONG = "respondent,kön,fråga,svar\n" + "".join(
    f"{r},{g},{q},{a}\n" for r, g, q, a in [
        ("R1", "K", "q1", "Till mycket stor del"), ("R1", "K", "q2", "till stor del"),
        ("R2", "M", "q1", " till  STOR del "), ("R2", "M", "q2", "Till liten del"),
        ("R3", "K", "q1", "Till liten del"), ("R3", "K", "q2", "Vet ej"),
        ("R4", "M", "q1", "Till stor del"), ("R4", "M", "q2", ""),
        ("R5", "K", "q1", "Till mycket stor del"), ("R5", "K", "q2", "Till mycket stor del"),
        ("R6", "", "q1", "vet ej"), ("R6", "", "q2", "Till stor del")])

REGISTER = """Kön;Födelseår;Insats;Start;Slut;Avslutsorsak
K;1998;Lyra;2021-05-01;2022-03-01;arbete
M;1990;Lyra;2022-01-15;2022-10-15;studier
K;2001;MIA;2022-02-01;;
M;1985;MIA;2021-09-01;2022-06-30;flytt
K;1999;Lyra;2022-08-01;;
M;1970;MIA;2020-01-01;2021-12-31;arbete
K;1995;MIA;2023-01-10;;
"""

SURVEY_WIDE = """files:
  - path: personal.csv
    kind: survey
    layout: wide
    group: staff
    respondent: Respondent
    subgroup: Kön
    values: {K: kvinnor, M: män}
"""
SURVEY_LONG = """files:
  - path: personal.csv
    kind: survey
    layout: long
    group: staff
    respondent: respondent
    subgroup: kön
    values: {K: kvinnor, M: män}
    question_column: fråga
    answer_column: svar
"""
REGISTER_SPEC = """  - path: register.csv
    kind: register
    register: reg
    columns: {gender: Kön, birth_year: Födelseår, project: Insats, start: Start, end: Slut, exit_reason: Avslutsorsak}
    values: {K: kvinnor, M: män}
"""


def folder(tmp_path: Path, manifest: str, files: dict[str, bytes | str], encoding="utf-8") -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "manifest.yaml").write_text(manifest, encoding="utf-8")
    for name, content in files.items():
        raw = content if isinstance(content, bytes) else content.encode(encoding)
        (data / name).write_bytes(raw)
    return data


def evaluate(tmp_path: Path, manifest: str, files: dict, encoding="utf-8"):
    tmp_path.mkdir(parents=True, exist_ok=True)
    ruleset, problems = compile_text(tmp_path, RULESET)
    assert ruleset is not None, impactdsl.render_problems(problems)
    data = folder(tmp_path, manifest, files, encoding)
    outcomes, problems = impactdsl.load(data, ruleset)
    return outcomes, problems, (impactdsl.evaluate(ruleset, outcomes) if outcomes and not problems else None)


def test_wide_csv_semicolon_windows_1252(tmp_path):
    outcomes, problems, results = evaluate(tmp_path, SURVEY_WIDE + REGISTER_SPEC,
                                           {"personal.csv": WIDE, "register.csv": REGISTER}, "cp1252")
    assert not problems, impactdsl.render_problems(problems)
    q1 = outcomes.surveys[("staff", "q1", None)]
    assert q1.n == 5 and dict(q1.unanswered) == {"vet ej": 1}          # 'vet ej' is not in n
    assert results.find("1.1.1").compared == 80 and results.find("1.1.1").points == 2   # 4 of 5
    q2 = outcomes.surveys[("staff", "q2", "kvinnor")]
    assert q2.n == 2 and dict(q2.unanswered) == {"vet ej": 1}
    assert results.find("1.1.2").status == "not-assessed"              # 2 women < minimum n 3
    trace = " ".join(Words("sv").trace(t)[1] for t in results.find("1.1.2").trace)
    assert "färre än 3 svar" in trace and " 2 " not in f" {trace} "


def test_long_csv_with_bom_gives_the_same_tallies_as_wide(tmp_path):
    wide, _, _ = evaluate(tmp_path / "a", SURVEY_WIDE, {"personal.csv": WIDE}, "cp1252")
    long, problems, _ = evaluate(tmp_path / "b", SURVEY_LONG, {"personal.csv": "\ufeff" + LONG})
    assert not problems, impactdsl.render_problems(problems)
    assert dict(long.surveys) == dict(wide.surveys)


def test_xlsx_wide_and_long(tmp_path):
    from openpyxl import Workbook

    def xlsx(text: str, separator: str, sheet: str) -> bytes:
        book = Workbook()
        sheet_ = book.active
        sheet_.title = sheet
        for line in text.strip("\n").split("\n"):
            sheet_.append(line.split(separator))
        path = tmp_path / f"{sheet}.xlsx"
        book.save(path)
        return path.read_bytes()

    wide, _, _ = evaluate(tmp_path / "a", SURVEY_WIDE.replace("personal.csv", "personal.xlsx"),
                          {"personal.xlsx": xlsx(WIDE, ";", "Svar")})
    long, problems, _ = evaluate(tmp_path / "b", SURVEY_LONG.replace("personal.csv", "personal.xlsx")
                                 + "    sheet: Långt\n", {"personal.xlsx": xlsx(LONG, ",", "Långt")})
    assert not problems, impactdsl.render_problems(problems)
    assert dict(long.surveys) == dict(wide.surveys)
    assert wide.surveys[("staff", "q1", None)].n == 5


def test_register_counts_by_the_rulesets_conditions(tmp_path):
    outcomes, problems, results = evaluate(tmp_path, SURVEY_WIDE + REGISTER_SPEC,
                                           {"personal.csv": WIDE, "register.csv": REGISTER})
    assert not problems, impactdsl.render_problems(problems)
    count = {k: v.value for k, v in outcomes.counts.items()}
    # Rows enrolled during 2022: five (one ended 2021, one starts 2023).
    assert count[("deltagare", None, False)] == 5
    assert count[("avslut", None, False)] == 3 and count[("avslut", "kvinnor", False)] == 1
    assert count[("positiva", None, False)] == 2
    assert count[("nya", None, False)] == 3 and count[("unga", None, False)] == 2   # born 2001 and 1999
    assert count[("deltagare", "lyra", False)] == 3 and count[("deltagare", "mia", False)] == 2
    assert results.find("1.1.3").compared == 60                        # 3 exits of 5
    assert results.find("1.1.5").compared == 33 and results.find("1.1.5").points == 0
    mean = results.find("1.1.4").compared                               # (304 + 273 + 302 days) / 3
    assert abs(float(mean) - (304 + 273 + 302) / 3 / 30.4375) < 1e-9 and results.find("1.1.4").points == 1


def test_unknown_labels_listed_with_count_first_line_and_hint(tmp_path):
    bad = WIDE.replace("R4;M;Till stor del;", "R4;M;Till stoor del;").replace(
        "R5;K;Till mycket stor del;Till mycket stor del", "R5;K;Till stoor del;Kanske")
    _, problems, _ = evaluate(tmp_path, SURVEY_WIDE, {"personal.csv": bad})
    messages = {d.message.en: d for d in problems}
    stoor = next(d for m, d in messages.items() if "'Till stoor del'" in m)
    assert "2 times, first on line 5" in stoor.message.en and "Till stor del" in stoor.hint.en
    assert any("'Kanske'" in m and "1 time, first on line 6" in m for m in messages)


BAD_FILES = [
    # (name, manifest tweak, file content, code, line of the .csv file; for a missing one, of the manifest)
    ("missing file", lambda m: m.replace("personal.csv", "saknas.csv"), None, "data-file", 2),
    ("missing column", lambda m: m.replace("respondent: Respondent", "respondent: Id"), WIDE, "data-column", 1),
    ("duplicated column", None, WIDE.replace("Respondent;Kön;q1;q2", "Respondent;Kön;q1;Q1"), "data-column", 1),
    ("empty file", None, "", "data-empty", 1),
    ("header only", None, "Respondent;Kön;q1;q2\n", "data-empty", 2),
    ("ragged row", None, WIDE.replace("R3;K;Till liten del;Vet ej", "R3;K;Till liten del"), "data-ragged", 4),
    ("duplicate respondent", None, WIDE.replace("R4;M", "R2;M"), "data-duplicate", 5),
    ("binary file", None, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "data-binary", 1),
    ("50 MB line", None, "Respondent;Kön;q1;q2\nR1;K;" + "x" * 50_000_000 + ";Ja\n", "data-line", 2),
]


@pytest.mark.parametrize("name, tweak, content, code, line", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_survey_files(tmp_path, capsys, name, tweak, content, code, line):
    manifest = tweak(SURVEY_WIDE) if tweak else SURVEY_WIDE
    files = {} if content is None else {"personal.csv": content}
    _, problems, _ = evaluate(tmp_path, manifest, files)
    found = [d for d in problems if d.code == code]
    assert found, impactdsl.render_problems(problems)
    assert found[0].span.line == line
    assert found[0].span.path.endswith("manifest.yaml" if content is None else ".csv")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / "data").iterdir()}
    assert main(["evaluate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and code in err
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / "data").iterdir()}
    assert before == after                                  # input files are never changed


@pytest.mark.parametrize("name, column, bad, code", [
    ("start date", "Start", "2022-13-45", "data-type"),
    ("end date", "Slut", "igår", "data-type"),
    ("birth year", "Födelseår", "nittio", "data-type"),
])
def test_bad_register_cells_name_line_and_column_never_the_value(tmp_path, name, column, bad, code):
    lines = REGISTER.split("\n")
    header = lines[0].split(";")
    cells = lines[3].split(";")
    cells[header.index(column)] = bad
    lines[3] = ";".join(cells)
    _, problems, _ = evaluate(tmp_path, "files:\n" + REGISTER_SPEC, {"register.csv": "\n".join(lines)})
    found = [d for d in problems if d.code == code]
    assert found and found[0].span.line == 4
    assert column in found[0].message.en and bad not in impactdsl.render_problems(problems)


def test_xlsx_problems_name_the_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Svar"
    for row in [["Respondent", "Kön", "q1", "q2"], ["R1", "K", "Till stor del", "Till stor del"],
                ["R1", "M", "Till stor del", "Till stor del"]]:
        book.active.append(row)
    book.save(tmp_path / "s.xlsx")
    manifest = SURVEY_WIDE.replace("personal.csv", "s.xlsx")
    _, problems, _ = evaluate(tmp_path, manifest + "    sheet: Svarr\n", {"s.xlsx": (tmp_path / "s.xlsx").read_bytes()})
    assert [d.code for d in problems] == ["data-sheet"] and "did you mean 'Svar'" in problems[0].hint.en
    _, problems, _ = evaluate(tmp_path, manifest + "    sheet: Svar\n", {"s.xlsx": (tmp_path / "s.xlsx").read_bytes()})
    assert problems[0].code == "data-duplicate" and "[Svar]" in problems[0].message.en
    assert problems[0].span.line == 3


@pytest.mark.parametrize("header, cell", [("Personnummer", "R1"), ("Id", "19850101-1234"), ("Id", "8501011234")])
def test_identity_numbers_are_refused_by_column_never_value(tmp_path, capsys, header, cell):
    text = WIDE.replace("Respondent;", f"{header};").replace("R1;", f"{cell};")
    manifest = SURVEY_WIDE.replace("respondent: Respondent", f"respondent: {header}")
    _, problems, _ = evaluate(tmp_path, manifest, {"personal.csv": text})
    assert [d.code for d in problems] == ["data-identity"]
    shown = impactdsl.render_problems(problems)
    assert f"'{header}'" in shown and "19850101" not in shown and "8501011234" not in shown
    assert main(["evaluate", str(tmp_path)]) == 1
    assert "8501011234" not in capsys.readouterr().err


def test_a_key_no_row_matched_counts_zero_not_missing(tmp_path):
    """No woman exited: 0 % of women exited, scored as missed, not 'not assessed' out of the maximum
    (three women: a share of fewer than the minimum n 3 would not be shown at all)."""
    register = ("Kön;Födelseår;Insats;Start;Slut;Avslutsorsak\nK;1990;Lyra;2022-01-01;;\nK;1991;Lyra;2022-02-01;;\n"
                "K;1993;Lyra;2022-03-01;;\nM;1992;MIA;2022-01-01;2022-06-01;arbete\n")
    rules = RULESET + 'indicator 1.1.7 "kvinnor" ratio(avslut[kvinnor], deltagare[kvinnor]) >= 10% -> 2\n'
    (tmp_path / "ruleset.impact").write_text(rules, encoding="utf-8")
    ruleset, problems = impactdsl.check(tmp_path)
    assert ruleset is not None, impactdsl.render_problems(problems)
    folder(tmp_path, "files:\n" + REGISTER_SPEC, {"register.csv": register})
    outcomes, problems = impactdsl.load(tmp_path / "data", ruleset)
    assert not problems, impactdsl.render_problems(problems)
    r = impactdsl.evaluate(ruleset, outcomes).find("1.1.7")
    assert (r.compared, r.status, r.counted_in_max) == (0, "missed", True)


@pytest.mark.parametrize("data, code, words", [
    ("counts:\n  deltagare: {total: 10, alla: 100}\n", "data-twice", "given twice"),
    ("counts:\n  avslut: 4.9\n", "data-type", "whole number"),
    ("surveys:\n  staff:\n    q1: {n: 10, 'mycket stor': 4, stor: 4, liten: 1}\n", "data-count", "add up to 9"),
    ("surveys:\n  staff:\n    q1: {n: 10.5, stor: 4}\n", "data-type", "whole number"),
])
def test_aggregated_numbers_that_contradict_are_refused(tmp_path, data, code, words):
    ruleset, _ = compile_text(tmp_path, RULESET, data)
    _, problems = impactdsl.load(tmp_path / "data", ruleset)
    assert [d.code for d in problems] == [code] and words in problems[0].message.en


def test_a_number_in_two_files_is_refused(tmp_path):
    ruleset, _ = compile_text(tmp_path, RULESET, "counts:\n  avslut: 4\n")
    (tmp_path / "data" / "more.yaml").write_text("counts:\n  avslut: 5\n", encoding="utf-8")
    _, problems = impactdsl.load(tmp_path / "data", ruleset)
    assert [d.code for d in problems] == ["data-twice"]
    assert {problems[0].span.path.rsplit("/", 1)[-1], problems[0].hint.en.rsplit("/", 1)[-1].split(":")[0]} == \
        {"outcomes.yaml", "more.yaml"}


# ---- exports as survey tools write them -----------------------------------------------------------
def _tool_xlsx(rows) -> bytes:
    """An XLSX as Netigate- or Esmaker-style tools write it: title rows above the header, a footer."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WIDE_ROWS = [line.split(";") for line in WIDE.strip().split("\n")]


def test_an_export_with_title_rows_and_a_footer_reads_as_the_plain_one(tmp_path):
    plain, _, _ = evaluate(tmp_path / "a", SURVEY_WIDE, {"personal.csv": WIDE})
    rows = [["Personalenkäten 2022"], ["Exporterad 2023-01-15 från enkätverktyget"], []] + WIDE_ROWS + \
        [[], ["Antal svar: 6"]]
    xlsx, problems, _ = evaluate(tmp_path / "b", SURVEY_WIDE.replace("personal.csv", "personal.xlsx"),
                                 {"personal.xlsx": _tool_xlsx(rows)})
    assert not problems, impactdsl.render_problems(problems)
    assert dict(xlsx.surveys) == dict(plain.surveys)
    text = "Personalenkäten 2022\nExporterad 2023-01-15\n" + WIDE + "Antal svar: 6\n"
    csv_found, problems, _ = evaluate(tmp_path / "c", SURVEY_WIDE, {"personal.csv": text})
    assert not problems and dict(csv_found.surveys) == dict(plain.surveys)


def test_a_header_line_named_in_the_manifest(tmp_path):
    plain, _, _ = evaluate(tmp_path / "a", SURVEY_WIDE, {"personal.csv": WIDE})
    text = "Svar;2022\nEnkät;personal\n" + WIDE                      # the title lines have two cells each
    found, problems, _ = evaluate(tmp_path / "b", SURVEY_WIDE.replace("    kind: survey", "    kind: survey\n"
                                                                       "    header_row: 3"), {"personal.csv": text})
    assert not problems and dict(found.surveys) == dict(plain.surveys)
    _, problems, _ = evaluate(tmp_path / "c", SURVEY_WIDE.replace("    kind: survey", "    kind: survey\n"
                                                                   "    header_row: noll"), {"personal.csv": WIDE})
    assert [p.code for p in problems] == ["manifest"]


def test_excel_unicode_text_utf16_reads_as_utf8(tmp_path):
    plain, _, _ = evaluate(tmp_path / "a", SURVEY_WIDE, {"personal.csv": WIDE})
    tabbed = WIDE.replace(";", "\t").replace("\n", "\r\n")
    for encoding in ("utf-16-le", "utf-16-be"):
        bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
        found, problems, _ = evaluate(tmp_path / encoding, SURVEY_WIDE.replace("personal.csv", "personal.txt"),
                                      {"personal.txt": bom + tabbed.encode(encoding)})
        assert not problems, impactdsl.render_problems(problems)
        assert dict(found.surveys) == dict(plain.surveys), encoding


def test_google_forms_zip_of_one_csv(tmp_path):
    import io
    import zipfile

    plain, _, _ = evaluate(tmp_path / "a", SURVEY_WIDE, {"personal.csv": WIDE})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Personalenkät (svar).csv", WIDE.replace(";", ","))
    found, problems, _ = evaluate(tmp_path / "b", SURVEY_WIDE.replace("personal.csv", "svar.zip"),
                                  {"svar.zip": out.getvalue()})
    assert not problems, impactdsl.render_problems(problems)
    assert dict(found.surveys) == dict(plain.surveys)
    two = io.BytesIO()
    with zipfile.ZipFile(two, "w") as archive:
        archive.writestr("a.csv", WIDE)
        archive.writestr("b.csv", WIDE)
    _, problems, _ = evaluate(tmp_path / "c", SURVEY_WIDE.replace("personal.csv", "svar.zip"),
                              {"svar.zip": two.getvalue()})
    assert [p.code for p in problems] == ["data-file"] and "holds 2 CSV files" in problems[0].message.en


def test_a_filter_in_the_manifest_counts_completed_answers_only_and_explain_says_so(tmp_path):
    text = WIDE.replace("Respondent;Kön;q1;q2", "Respondent;Kön;q1;q2;Status")
    lines = text.strip().split("\n")
    lines = [lines[0]] + [line + (";Slutförd" if i < 5 else ";Påbörjad") for i, line in enumerate(lines[1:])]
    lines += [f"R{i};K;Till liten del;Till liten del;Påbörjad" for i in range(7, 11)]
    manifest = SURVEY_WIDE.replace("    kind: survey", "    kind: survey\n    where: {Status: slutförd}")
    outcomes, problems, results = evaluate(tmp_path, manifest, {"personal.csv": "\n".join(lines) + "\n"})
    assert not problems, impactdsl.render_problems(problems)
    q1 = outcomes.surveys[("staff", "q1", None)]
    assert (q1.n, q1.left_out, q1.left_out_by) == (5, 5, "Status = slutförd")      # R6 and R7-R10 passed over
    text = impactdsl.explain(results, "1.1.1")
    assert "rader borträknade, de uppfyller inte Status = slutförd" in text and "  5" in text
    unfiltered, _, _ = evaluate(tmp_path / "b", SURVEY_WIDE, {"personal.csv": WIDE})
    assert unfiltered.surveys[("staff", "q1", None)].n == 5 and results.find("1.1.1").compared == 80
    _, problems, _ = evaluate(tmp_path / "c", manifest.replace("Status:", "Tillstånd:"),
                              {"personal.csv": "\n".join(lines) + "\n"})
    assert [p.code for p in problems] == ["data-column"] and "filter" in problems[0].message.en


def test_a_question_text_comes_from_the_exports_header_when_the_ruleset_gives_none(tmp_path):
    header = "Samverkan har fungerat väl under året"
    text = WIDE.replace("Respondent;Kön;q1;q2", f"Respondent;Kön;{header};q2")
    manifest = SURVEY_WIDE + f'    questions: {{q1: "{header}", q2: q2}}\n'
    ruleset, _ = compile_text(tmp_path, RULESET.replace('question q1 scale del "Fråga ett"', "question q1 scale del"))
    outcomes, problems = impactdsl.load(folder(tmp_path, manifest, {"personal.csv": text}), ruleset)
    assert not problems, impactdsl.render_problems(problems)
    results = impactdsl.evaluate(ruleset, outcomes)
    assert f"personalen som svarat på {header}" in impactdsl.explain(results, "1.1.1")
    assert "som svarat på q2" in impactdsl.explain(results, "1.1.2")      # a text typed in the ruleset: its id


def test_answers_written_as_codes_read_through_the_code_book(tmp_path):
    plain, _, _ = evaluate(tmp_path / "a", SURVEY_WIDE, {"personal.csv": WIDE})
    coded = WIDE
    for label, code in (("Till mycket stor del", "1"), (" till  STOR del ", "2"), ("till stor del", "2"),
                        ("Till stor del", "2"), ("Till liten del", "3"), ("Vet ej", "9"), ("vet ej", "9")):
        coded = coded.replace(label, code)
    manifest = SURVEY_WIDE + "    codes: {1: mycket stor, 2: stor, 3: liten, 9: vet ej}\n"
    found, problems, _ = evaluate(tmp_path / "b", manifest, {"personal.csv": coded})
    assert not problems, impactdsl.render_problems(problems)
    assert dict(found.surveys) == dict(plain.surveys)
    _, problems, _ = evaluate(tmp_path / "c", manifest.replace("3: liten, ", ""), {"personal.csv": coded})
    assert {p.code for p in problems} == {"unknown-answer"} and all("'3'" in p.message.en for p in problems)


MULTI = RULESET.replace('question q2 scale del "Fråga två"', 'question q2 scale del multiple "Fråga två"') + \
    'indicator 1.1.7 "minst en av de två bästa" share(staff, q2, top2) >= 50% -> 1\n'


def test_a_multiple_choice_question_counts_each_answer_and_each_respondent_once(tmp_path):
    text = """Respondent;Kön;q1;q2
R1;K;Till stor del;Till mycket stor del;Till stor del
R2;M;Till stor del;Till liten del
R3;K;Till liten del;Vet ej
R4;M;Till stor del;
R5;K;Till stor del;till stor del;Till liten del
""".replace(";Till mycket stor del;Till stor del", ";Till mycket stor del|Till stor del").replace(
        ";till stor del;Till liten del", ";till stor del|Till liten del")
    ruleset, problems = compile_text(tmp_path, MULTI)
    assert ruleset is not None, impactdsl.render_problems(problems)
    manifest = SURVEY_WIDE + "    separators: {q2: '|'}\n"
    outcomes, problems = impactdsl.load(folder(tmp_path, manifest, {"personal.csv": text}), ruleset)
    assert not problems, impactdsl.render_problems(problems)
    q2 = outcomes.surveys[("staff", "q2", None)]
    answers = ruleset.question("q2").scale
    assert q2.n == 3 and q2.multiple                                 # R1, R2, R5 chose; R3 'vet ej', R4 blank
    assert q2.count(frozenset({"stor"}), answers.answers) == 2       # R1 and R5
    assert q2.count(answers.subset("top2"), answers.answers) == 2    # R1 (twice in top2) counted once, R5
    assert q2.count(frozenset({"stor", "liten"}), answers.answers) is None    # overlapping: not a sum
    results = impactdsl.evaluate(ruleset, outcomes)
    assert results.find("1.1.7").compared == 67                      # 2 of 3 chose at least one of top2


def test_a_list_of_answers_of_a_multiple_question_is_refused(tmp_path):
    ruleset, problems = compile_text(tmp_path, MULTI + "indicator 1.1.8 \"x\" share(staff, q2, ['stor', 'liten']) "
                                     ">= 50% -> 1\n")
    assert ruleset is None and [p.code for p in problems] == ["measure"]
    assert "takes several answers each" in problems[0].message.en


def test_a_period_filter_reads_the_rows_of_its_days_only(tmp_path):
    text = WIDE.replace("Respondent;Kön;q1;q2", "Respondent;Kön;q1;q2;Inskickad")
    lines = text.strip().split("\n")
    days = ["2022-03-01", "2022-12-31 23:59", "2021-12-31", "2023-01-01", "", "2022-06-15"]
    lines = [lines[0]] + [line + ";" + day for line, day in zip(lines[1:], days)]
    manifest = SURVEY_WIDE + "    dates: {column: Inskickad, from: 2022-01-01, to: 2022-12-31}\n"
    outcomes, problems, results = evaluate(tmp_path, manifest, {"personal.csv": "\n".join(lines) + "\n"})
    assert not problems, impactdsl.render_problems(problems)
    q1 = outcomes.surveys[("staff", "q1", None)]
    assert (q1.n, q1.left_out) == (2, 3)                     # R1, R2 (R6 'vet ej'); R3, R4, R5 passed over
    assert "Inskickad 2022-01-01–2022-12-31" in q1.left_out_by
    _, problems, _ = evaluate(tmp_path / "b", manifest.replace("from: 2022-01-01", "from: igår"),
                              {"personal.csv": "\n".join(lines) + "\n"})
    assert [p.code for p in problems] == ["manifest"]


def test_a_microsoft_forms_export(tmp_path):
    """Microsoft Forms' XLSX: ID, start and completion times, e-mail and name, then a column per question
    headed by its text; a multiple-choice answer as 'A;B;' with a separator after the last."""
    first = "Jag har fått det stöd jag behövt"
    second = "Vilka stöd har du fått?"
    rows = [["ID", "Starttid", "Tid för slutförande", "E-post", "Namn", first, second],
            [1, "2022-03-01 10:00", "2022-03-01 10:04", "anonymous", None, "Till mycket stor del",
             "Till stor del;Till liten del;"],
            [2, "2022-03-02 11:00", "2022-03-02 11:09", "anonymous", None, "Till liten del", "Till liten del;"],
            [3, "2022-03-03 12:00", "2022-03-03 12:02", "anonymous", None, "Till stor del", ""]]
    rules = RULESET.replace('question q1 scale del "Fråga ett"', "question q1 scale del").replace(
        'question q2 scale del "Fråga två"', "question q2 scale del multiple")
    ruleset, problems = compile_text(tmp_path, rules)
    assert ruleset is not None, impactdsl.render_problems(problems)
    manifest = f'files:\n  - path: forms.xlsx\n    kind: survey\n    group: staff\n    respondent: ID\n' \
               f'    questions: {{q1: "{first}", q2: "{second}"}}\n'
    outcomes, problems = impactdsl.load(folder(tmp_path, manifest, {"forms.xlsx": _tool_xlsx(rows)}), ruleset)
    assert not problems, impactdsl.render_problems(problems)
    q1, q2 = outcomes.surveys[("staff", "q1", None)], outcomes.surveys[("staff", "q2", None)]
    scale = ruleset.question("q1").scale.answers
    assert (q1.n, q1.count(frozenset({"mycket stor", "stor"}), scale)) == (3, 2)
    assert (q2.n, q2.count(frozenset({"liten"}), scale), q2.count(frozenset({"stor"}), scale)) == (2, 2, 1)
    results = impactdsl.evaluate(ruleset, outcomes)
    assert f"som svarat på {first}" in impactdsl.explain(results, "1.1.1")


# ---- SPSS, and a multiple question written a column per answer ------------------------------------
SPSS = Path(__file__).parent / "fixtures" / "spss" / "deltagarenkat.sav"      # made by fixtures/spss/make.py
SPSS_RULESET = """
ruleset "spss"
period 2022
rounding half-up to 1%
minimum n 3
scale del: 'mycket stor' "Till mycket stor del", 'stor' "Till stor del", 'liten' "Till liten del"
  subset top2 = ['mycket stor', 'stor']
scale stod: 'arbete' "Arbetsträning", 'studier' "Studier", 'samtal' "Samtal"
  subset sysselsättning = ['arbete', 'studier']
group deltagare "deltagarna"
subgroups kön: kvinnor "kvinnor", män "män"
question q1 scale del
question q2 scale del
question stod scale stod multiple "Vilket stöd har du fått?"
area 1 "A"
goal 1.1 "g"
indicator 1.1.1 "stödet" share(deltagare, q1, top2) >= 80% -> 2
indicator 1.1.2 "stödet, kvinnor" share(deltagare[kvinnor], q1, top2) >= 70% -> 1
indicator 1.1.3 "arbete eller studier" share(deltagare, stod, sysselsättning) >= 75% -> 1
"""
SPSS_MANIFEST = """files:
  - path: deltagarenkat.sav
    kind: survey
    group: deltagare
    respondent: id
    subgroup: kon
    values: {Kvinna: kvinnor, Man: män}
    options: {stod: {arbete: stod_1, studier: stod_2, samtal: stod_3}}
"""


def spss(tmp_path: Path, manifest: str = SPSS_MANIFEST, content: bytes | None = None):
    tmp_path.mkdir(parents=True, exist_ok=True)
    ruleset, problems = compile_text(tmp_path, SPSS_RULESET)
    assert ruleset is not None, impactdsl.render_problems(problems)
    data = folder(tmp_path, manifest, {"deltagarenkat.sav": content if content is not None else SPSS.read_bytes()})
    outcomes, problems = impactdsl.load(data, ruleset)
    return outcomes, problems, (impactdsl.evaluate(ruleset, outcomes) if outcomes and not problems else None)


def test_an_spss_file_reads_through_its_value_labels_and_question_texts(tmp_path):
    """Seven cases: codes 1-3 labelled as the scale, 9 'Vet ej' declared missing, kön 1/2 labelled
    Kvinna/Man, the support question as three 0/1 variables labelled 'Ej vald'/'Vald'."""
    outcomes, problems, results = spss(tmp_path)
    assert not problems, impactdsl.render_problems(problems)
    q1 = outcomes.surveys[("deltagare", "q1", None)]
    assert (q1.n, dict(q1.unanswered)) == (6, {"(tomt)": 1})          # case 104's 9 is missing: not in n
    assert outcomes.surveys[("deltagare", "q1", "kvinnor")].n == 4
    assert [results.find(i).compared for i in ("1.1.1", "1.1.2", "1.1.3")] == [83, 75, 80]
    assert "som svarat på Jag har fått det stöd jag behövt" in impactdsl.explain(results, "1.1.1")
    stod = outcomes.surveys[("deltagare", "stod", None)]
    assert stod.n == 5 and stod.multiple              # 103 chose none, 105 left all three blank
    assert stod.count(frozenset({"arbete"}), ("arbete", "studier", "samtal")) == 3


def test_an_spss_files_rows_filtered_by_date_change_the_result(tmp_path):
    manifest = SPSS_MANIFEST + "    dates: {column: inskickad, to: 2022-12-31}\n"
    outcomes, problems, results = spss(tmp_path, manifest)
    assert not problems, impactdsl.render_problems(problems)
    assert outcomes.surveys[("deltagare", "q1", None)].left_out == 1              # case 107, sent in 2023
    assert [results.find(i).compared for i in ("1.1.1", "1.1.3")] == [80, 75]


def test_an_spss_file_without_the_extra_or_damaged_is_a_problem_not_a_traceback(tmp_path, monkeypatch):
    _, problems, _ = spss(tmp_path / "a", content=b"$FL2" + bytes(range(256)) * 4)
    assert [p.code for p in problems] == ["data-spss"] and "cannot be read as an SPSS file" in problems[0].message.en
    _, problems, _ = spss(tmp_path / "b", content=SPSS.read_bytes()[:900])
    assert [p.code for p in problems] == ["data-spss"]
    monkeypatch.setitem(sys.modules, "pyreadstat", None)
    _, problems, _ = spss(tmp_path / "c")
    assert [p.code for p in problems] == ["data-spss"] and "impactdsl[spss]" in problems[0].hint.en


def test_an_spss_file_holding_identity_numbers_is_refused_without_showing_one(tmp_path):
    content = (SPSS.parent / "med-personnummer.sav").read_bytes()
    _, problems, _ = spss(tmp_path, SPSS_MANIFEST.replace("    respondent: id\n", "").split("    subgroup")[0],
                          content)
    assert [p.code for p in problems] == ["data-identity"] and "deltagare" in problems[0].message.en
    assert "1212" not in impactdsl.render_problems(problems)


OPTIONS_RULESET = SPSS_RULESET.replace("question q2 scale del\n", "")
NETIGATE = """Enkät: Deltagarenkät 2022
Respondent;Kön;q1;Vilket stöd? - Arbetsträning;Vilket stöd? - Studier;Vilket stöd? - Samtal
1;K;Till mycket stor del;1;;1
2;M;Till stor del;;1;
3;K;Till liten del;;;
4;M;;1;1;
5;K;Till stor del;{mark};;
"""
OPTIONS_MANIFEST = """files:
  - path: svar.csv
    kind: survey
    group: deltagare
    respondent: Respondent
    subgroup: Kön
    values: {K: kvinnor, M: män}
    options:
      stod: {arbete: "Vilket stöd? - Arbetsträning", Studier: "Vilket stöd? - Studier",
             samtal: "Vilket stöd? - Samtal"}
"""


def options(tmp_path: Path, text: str, manifest: str = OPTIONS_MANIFEST, rules: str = OPTIONS_RULESET):
    tmp_path.mkdir(parents=True, exist_ok=True)
    ruleset, problems = compile_text(tmp_path, rules)
    assert ruleset is not None, impactdsl.render_problems(problems)
    outcomes, problems = impactdsl.load(folder(tmp_path, manifest, {"svar.csv": text}), ruleset)
    return ruleset, outcomes, problems


@pytest.mark.parametrize("mark, chose", [("1", 4), ("x", 4), ("Arbetsträning", 4), ("0", 3), ("nej", 3)])
def test_a_multiple_question_a_column_per_answer(tmp_path, mark, chose):
    """Netigate writes 1 or blank, SurveyMonkey the answer's own text; n is who chose anything."""
    _, outcomes, problems = options(tmp_path, NETIGATE.format(mark=mark))
    assert not problems, impactdsl.render_problems(problems)
    stod = outcomes.surveys[("deltagare", "stod", None)]
    answers = ("arbete", "studier", "samtal")
    assert (stod.n, stod.count(frozenset({"arbete"}), answers)) == (chose, chose - 1)
    assert outcomes.surveys[("deltagare", "q1", None)].n == 4         # the one-column question beside it


def test_an_option_cell_that_says_neither_chosen_nor_not_is_named_with_the_word_to_give(tmp_path):
    _, _, problems = options(tmp_path, NETIGATE.format(mark="Kanske"))
    assert [p.code for p in problems] == ["unknown-answer"]
    assert "'Kanske'" in problems[0].message.en and "line 7" in problems[0].message.en
    assert "chosen:" in problems[0].hint.en
    _, outcomes, problems = options(tmp_path / "b", NETIGATE.format(mark="Kanske"),
                                    OPTIONS_MANIFEST + "    chosen: kanske\n")
    assert not problems and outcomes.surveys[("deltagare", "stod", None)].n == 4


@pytest.mark.parametrize("change, code", [
    ("stod: {", "q1: {"),                                        # a one-answer question: one column
    ("arbete:", "arbeta:"),                                      # not an answer of the scale
    ("stod: {", "stöd: {"),                                      # not a question
])
def test_options_the_ruleset_does_not_allow_are_refused_before_reading(tmp_path, change, code):
    manifest = OPTIONS_MANIFEST.replace(*change if isinstance(change, tuple) else (change, code))
    _, _, problems = options(tmp_path, NETIGATE.format(mark="1"), manifest)
    assert len(problems) == 1 and problems[0].code in ("manifest", "unknown-answer", "unknown-question")
    assert problems[0].span.path.endswith("manifest.yaml")


def test_a_multiple_question_counts_alike_through_duckdb(tmp_path):
    """The columnar reader hands the plain one a count of alike cells: each counts as that many people."""
    from impactdsl.core.source import Source
    from impactdsl.outcomes import columnar
    from impactdsl.outcomes.aggregates import AggregateReader
    from impactdsl.outcomes.folder import _plain_file

    text = "Respondent,Kön,q1,q2\n" + "".join(f"R{i},K,Till stor del,{a}\n" for i, a in enumerate(
        ["Till stor del;Till liten del"] * 3 + ["Till liten del"] * 2 + [""]))
    ruleset, problems = compile_text(tmp_path, MULTI)
    assert ruleset is not None, impactdsl.render_problems(problems)
    data = folder(tmp_path, SURVEY_WIDE.replace("    respondent: Respondent\n", ""), {"personal.csv": text})
    reader = AggregateReader(ruleset, [])
    reader.read(Source("manifest.yaml", (data / "manifest.yaml").read_text(encoding="utf-8")), data)
    spec, = reader.files
    plain = _plain_file(spec, ruleset, [], None)
    assert columnar.survey(ruleset, spec).tallies() == plain
    q2 = plain[("staff", "q2", None)]
    assert q2.n == 5 and q2.count(frozenset({"liten"}), ("mycket stor", "stor", "liten")) == 5
