"""`impactdsl init DIR --from TABLE.xlsx`: a goal table kept in Excel → a ruleset draft, every rule a
placeholder `att göra` (todo) with what the table says of it; and the placeholder itself, a rule
that is never assessed and never in the maximum.

The fixture tests/fixtures/goal_table/impact-index-2022.xlsx is Umeå's 2022 table (seed 002),
one sheet per area as the association keeps it (tests/fixtures/goal_table/make.py builds it)."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest

import impactdsl
from impactdsl.cli import main
from impactdsl.core.limits import Limits
from impactdsl.core.source import Source
from impactdsl.parse import syntax as s
from impactdsl.parse.parser import parse
from impactdsl.parse.printer import format_source

from .conftest import ROOT, UMEA, evaluate_text

FIXTURES = ROOT / "tests" / "fixtures" / "goal_table"
TABLE = FIXTURES / "impact-index-2022.xlsx"
SMALL = FIXTURES / "måltabell.xlsx"
HEADER = ["Mål nr", "Socialt mål", "Ind nr", "Indikator", "Indikator värde"]

# Seed 002's last table: per area its goals, indicators and maximum (bonus rows are no indicators).
PUBLISHED = {"1": (3, 22, 84), "2": (4, 23, 47), "3": (5, 28, 50), "4": (6, 16, 38), "5": (3, 10, 25)}
BONUS_ROWS = {"1.1.2": 4, "1.2.2": 5, "1.2.5": 5, "1.2.8": 5}       # "1.1.2 Bonus": points from their text


def _book(rows_by_sheet: dict[str, list[list]], percent_cells=()):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in rows_by_sheet.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for title, cell in percent_cells:
        book[title][cell].number_format = "0%"
    return book


def _save(book, path: Path) -> Path:
    book.save(path)
    return path


def _drafted(path: Path, **kwargs):
    made, problems = impactdsl.goal_table_draft(path, **kwargs)
    assert made is not None, impactdsl.render_problems(problems)
    return made, problems


def _document(text: str) -> s.Document:
    document, problems = parse(Source("ruleset.impact", text))
    assert document is not None, problems
    return document


def _indicators(text: str) -> dict[str, s.IndicatorDecl]:
    return {st.id: st for st in _document(text).statements if isinstance(st, s.IndicatorDecl)}


@pytest.fixture(scope="module")
def seed():
    return _drafted(TABLE)


@pytest.fixture(scope="module")
def seed_folder(seed, tmp_path_factory):
    folder = tmp_path_factory.mktemp("utkast")
    (folder / "ruleset.impact").write_text(seed[0].text, encoding="utf-8")
    (folder / "data").mkdir()
    (folder / "data" / "outcomes.yaml").write_text("# inga data ännu\n", encoding="utf-8")
    return folder


# ---- seed 002: Umeå's table, every area, goal and row ------------------------------------------

def test_the_seed_table_gives_every_area_goal_indicator_and_bonus_row(seed):
    made, _ = seed
    assert (made.areas, made.goals, made.indicators, made.bonus_rows) == (5, 21, 99, 4)
    assert made.indicators + made.bonus_rows == 103                     # "99+4 rows": 99 indicators, 4 bonus rows
    assert (made.points, made.points_from_text, made.targets) == (103, 4, 74)
    document = _document(made.text)
    areas = [st for st in document.statements if isinstance(st, s.AreaDecl)]
    assert [(a.id, a.title) for a in areas] == [("1", "SAMHÄLLS- OCH MEDLEMSNYTTA"), ("2", "JÄMLIK SAMVERKAN"),
                                                 ("3", "SAMORDNING"), ("4", "DELTAGARNÖJDHET"),
                                                 ("5", "MEDARBETARNÖJDHET")]
    rules = [st.rule for st in document.statements if isinstance(st, s.IndicatorDecl)]
    assert len(rules) == 103 and all(isinstance(r, s.TodoRule) for r in rules)    # placeholders, no rule inferred
    bonus = {st.id: st.rule.points for st in document.statements if isinstance(st, s.IndicatorDecl) and st.is_bonus}
    assert bonus == BONUS_ROWS
    assert all(st.rule.comparison is None for st in document.statements
               if isinstance(st, s.IndicatorDecl) and st.is_bonus)         # a bonus is judged against another


def test_the_seed_tables_counts_and_maxima_are_the_published_ones(seed_folder):
    ruleset, problems = impactdsl.check(seed_folder)
    assert ruleset is not None
    for area in ruleset.areas:
        ordinary = [i for i in area.indicators if not i.is_bonus]
        assert (len(area.goals), len(ordinary), sum(i.points for i in ordinary)) == PUBLISHED[area.id], area.id
    assert sum(i.points for i in ruleset.indicators if not i.is_bonus) == 244


def test_the_seed_tables_ids_texts_and_points_are_umeas(seed_folder):
    """The draft holds what the hand-written umea-2022 ruleset transcribed from the same seed: every id,
    text and indikatorvärde; its goal texts but the two the table does not print (3.4, 3.5)."""
    draft, _ = impactdsl.check(seed_folder)
    umea, _ = impactdsl.check(UMEA)
    written = {i.id: i for i in umea.indicators}
    assert [i.id for i in draft.indicators] == [i.id for i in umea.indicators]
    for ind in draft.indicators:
        theirs = written[ind.id]
        assert (ind.text, ind.is_bonus) == (theirs.text, theirs.is_bonus), ind.id
        assert ind.points == (theirs.cap if theirs.cap is not None else theirs.points), ind.id
    goals = {g.id: g.text for a in umea.areas for g in a.goals}
    for area in draft.areas:
        for goal in area.goals:
            assert goal.text == ("" if goal.id in ("3.4", "3.5") else goals[goal.id]), goal.id


def test_every_target_read_from_the_seed_is_the_one_umeas_ruleset_has(seed_folder):
    """74 of the 103 rows state their target so that it can be read (80 % av ..., högst 10 %, mindre än
    11,2 %, 40 % - 60 %, får inte överstiga 20 %); each is the target umea-2022 was given by hand."""
    draft, _ = impactdsl.check(seed_folder)
    umea = {i.id: i for i in impactdsl.check(UMEA)[0].indicators}
    read = [i for i in draft.indicators if i.criterion is not None]
    assert len(read) == 74
    for ind in read:
        c, theirs = ind.criterion, umea[ind.id].criterion
        assert (c.op, c.bound, c.upper) == (theirs.op, theirs.bound, theirs.upper), ind.id
    left = {i.id for i in draft.indicators if i.criterion is None}
    assert {"1.1.3", "1.3.2", "2.2.1", "2.3.1", "4.1.1", "1.2.10"} <= left   # a change, two figures, 8/10, none


def test_the_table_says_what_it_left_out_with_sheet_row_and_column(seed):
    _, problems = seed
    said = [(d.code, d.severity.value, d.span.line, d.span.column, d.message.sv) for d in problems]
    assert [x[:4] for x in said] == [("goal-table-row", "warning", 17, 3), ("goal-table-row", "warning", 23, 1),
                                     ("goal-table-row", "warning", 28, 1)]
    assert "[Målområde 1] rad 17, kolumn C" in said[0][4] and "inget indikatornummer" in said[0][4]
    assert "mål 3.4 har ingen text" in said[1][4] and "[Målområde 3] rad 23" in said[1][4]
    assert all(d.span.path == str(TABLE) for d in problems)


def test_the_draft_parses_checks_with_only_todo_and_fmt_leaves_it(seed, seed_folder, capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "sv")
    made, _ = seed
    ruleset, problems = impactdsl.check(seed_folder)
    assert ruleset is not None and {d.code for d in problems} == {"todo"} and len(problems) == 103
    assert all(not d.is_error for d in problems)
    lines = made.text.split("\n")
    for d in problems:                                       # each at its placeholder's line
        assert lines[d.span.line - 1].strip().startswith("att göra"), d.span
    first = min(problems, key=lambda d: d.span.line)
    assert first.message.sv == "att göra: indikatorn 1.1.1 har ingen regel ännu (målvärde minst 40%, 8 poäng)"
    assert first.message.en == "to do: indicator 1.1.1 has no rule yet (target at least 40%, 8 points)"
    source = Source("ruleset.impact", made.text)
    assert format_source(_document(made.text), source) == made.text
    assert main(["fmt", "--check", str(seed_folder)]) == 0
    assert main(["check", str(seed_folder)]) == 0             # warnings only
    err = capsys.readouterr().err
    assert err.count("varning[todo]: att göra:") == 103 and "ruleset.impact:14:3" in err


def test_the_draft_reads_in_english_keywords_too(seed):
    made, _ = _drafted(TABLE, keywords="en")
    assert "\nindicator 1.1.1 " in made.text and "\n  todo >= 40% -> 8\n" in made.text
    assert _document(made.text).statements[1:] == _document(seed[0].text).statements[1:]


# ---- other layouts: columns found by their headers ---------------------------------------------

def test_another_layout_is_read_by_its_header_names(tmp_path):
    """One sheet for every area, the area in a column of its own, other names, order, case and spacing,
    a target column (a soft hyphen in its header, one value a percentage cell), points as 'Poäng'."""
    rows = [["Förbundets mål 2024"],
            ["  OMRÅDE ", "Målnr", "Måltext", "Indikator nr", "Indikator", "Mål\u00advärde", "Poäng"],
            ["1 Samverkan", "1.1", "Samverkan fungerar", "1.1.1", "Andel av styrelsen som svarar ja", 0.75, 3],
            ["1 Samverkan", "1.1", "Samverkan fungerar", "1.1.2", "Högst en liten andel svarar nej", "10 %", 1],
            ["2 Nöjdhet", "2.1", "Deltagarna är nöjda", "2.1.1", "Minst 80 % av deltagarna är nöjda", "", 2],
            ["2 Nöjdhet", "2.1", "Deltagarna är nöjda", "2.1.2", "Antal nya deltagare", "minst 120", ""]]
    path = _save(_book({"Mål": rows}, [("Mål", "F3")]), tmp_path / "mål.xlsx")
    made, problems = _drafted(path)
    assert problems == []
    document = _document(made.text)
    assert [(st.id, st.title) for st in document.statements if isinstance(st, s.AreaDecl)] == \
        [("1", "Samverkan"), ("2", "Nöjdhet")]
    assert [(st.id, st.text) for st in document.statements if isinstance(st, s.GoalDecl)] == \
        [("1.1", "Samverkan fungerar"), ("2.1", "Deltagarna är nöjda")]
    rules = {i: (d.rule.comparison and (d.rule.comparison.op, d.rule.comparison.bound.number,
                                        d.rule.comparison.bound.unit), d.rule.points)
             for i, d in _indicators(made.text).items()}
    assert rules == {"1.1.1": ((">=", 75, "percent"), 3),           # 0.75 shown as 75 %
                     "1.1.2": (("<=", 10, "percent"), 1),           # "högst" in the text, 10 % in the table
                     "2.1.1": ((">=", 80, "percent"), 2),           # no value: the text's "minst 80 %"
                     "2.1.2": ((">=", 120, "number"), None)}        # a number with its word; no points
    assert "  att göra >= 120\n" in made.text


def test_a_sheet_whose_header_lacks_columns_names_them_and_those_it_has(tmp_path):
    path = _save(_book({"Blad1": [["Indikator", "Poäng", "Kommentar"], ["Minst 40 %", 8, ""]]}), tmp_path / "t.xlsx")
    made, problems = impactdsl.goal_table_draft(path)
    assert made is None and [d.code for d in problems] == ["goal-table"]
    said = problems[0].message.en
    assert "lacks the columns 'Mål nr', 'Ind nr'" in said and "(its headers: 'Indikator', 'Poäng', 'Kommentar')" in said
    assert "kända namn" in problems[0].hint.sv


def test_a_workbook_with_no_table_at_all_says_what_headers_it_found(tmp_path):
    path = _save(_book({"Summa": [["Område", "Antal"], ["1", 3]]}), tmp_path / "t.xlsx")
    made, problems = impactdsl.goal_table_draft(path)
    assert made is None and "headers found: [Summa] Område, Antal" in problems[0].message.en


# ---- nothing from a cell becomes syntax -------------------------------------------------------

HOSTILE = ['" -> 99 ; override met because "x', 'a """ b', 'två\nrader', 'slut\\', "# ingen kommentar",
           '" \nindicator 9.9.9 "y" reported', "'; note 'x"]


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_hostile_cell_stays_a_text(tmp_path, cell):
    rows = [HEADER, ["1.1", cell, "1.1.1", cell, 2], ["", "", "1.1.2", "vanlig", 1]]
    made, _ = _drafted(_save(_book({"Målområde 1": rows}), tmp_path / "t.xlsx"))
    statements = _document(made.text).statements
    expected = " ".join(cell.split())                           # a cell is one line of text
    goal = next(st for st in statements if isinstance(st, s.GoalDecl))
    assert goal.text == expected
    found = _indicators(made.text)
    assert list(found) == ["1.1.1", "1.1.2"] and found["1.1.1"].text == expected
    assert found["1.1.1"].rule == s.TodoRule(None, 2) and found["1.1.2"].rule == s.TodoRule(None, 1)
    assert format_source(_document(made.text), Source("r.impact", made.text)) == made.text


def test_an_identity_number_in_a_cell_is_masked_and_said(tmp_path):
    rows = [HEADER, ["1.1", "Mål", "1.1.1", "Fallstudie om 19850101-1234", 2]]
    made, problems = _drafted(_save(_book({"Målområde 1": rows}), tmp_path / "t.xlsx"))
    assert "19850101-1234" not in made.text and "########-####" in made.text
    assert [(d.code, d.span.line, d.span.column) for d in problems] == [("goal-table-identity", 2, 4)]


# ---- the table decides the draft ------------------------------------------------------------

def test_changing_one_cells_points_changes_the_drafts_points(tmp_path, seed):
    from openpyxl import load_workbook

    book = load_workbook(TABLE)
    sheet = book["Målområde 1"]
    assert (sheet["C3"].value, sheet["E3"].value) == ("1.1.1", 8)
    sheet["E3"] = 9
    made, _ = _drafted(_save(book, tmp_path / "ändrad.xlsx"))
    before, after = seed[0].text.split("\n"), made.text.split("\n")
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert changed == [("# Utkast ur måltabellen impact-index-2022.xlsx (impactdsl init --from):",
                        "# Utkast ur måltabellen ändrad.xlsx (impactdsl init --from):"),
                       ('regelverk "impact-index-2022"', 'regelverk "ändrad"'),           # named by its file
                       ("  att göra >= 40% -> 8", "  att göra >= 40% -> 9")]


def test_points_that_are_no_whole_number_are_said_and_left_out(tmp_path):
    rows = [HEADER, ["1.1", "Mål", "1.1.1", "Minst 40 %", "2,5"], ["", "", "1.1.2", "Minst 50 %", 3]]
    made, problems = _drafted(_save(_book({"Målområde 1": rows}), tmp_path / "t.xlsx"))
    assert [(d.code, d.span.line, d.span.column) for d in problems] == [("goal-table-row", 2, 5)]
    assert [d.rule.points for d in _indicators(made.text).values()] == [None, 3]


# ---- read as untrusted ------------------------------------------------------------------------

def test_the_limits_are_checked_before_the_work(tmp_path):
    rows = [HEADER] + [["1.1" if n == 0 else "", "Mål", f"1.1.{n + 1}", "Minst 40 %", 1] for n in range(50)]
    path = _save(_book({"Målområde 1": rows}), tmp_path / "t.xlsx")
    for limits, said in ((Limits(goal_table_rows=20), "says it has 51 rows"),
                         (Limits(goal_table_bytes=1000), "more than the 1000 a goal table may be"),
                         (Limits(goal_table_sheets=0), "has 1 sheets, more than the 0"),
                         (Limits(xlsx_unpacked_bytes=1000), "unpacks to")):
        made, problems = impactdsl.goal_table_draft(path, limits=limits)
        assert made is None and said in problems[-1].message.en, (limits, problems)
    (tmp_path / "text.xlsx").write_text("Mål nr;Ind nr\n", encoding="utf-8")
    made, problems = impactdsl.goal_table_draft(tmp_path / "text.xlsx")
    assert made is None and "is not an XLSX workbook" in problems[0].message.en


def test_a_formula_is_never_evaluated(tmp_path):
    """The value Excel saved with a formula is read; a formula saved without one (never opened in
    Excel) gives no points, and nothing in impactdsl works one out."""
    rows = [HEADER, ["1.1", "Mål", "1.1.1", "Minst 40 %", "=4+4"]]
    made, _ = _drafted(_save(_book({"Målområde 1": rows}), tmp_path / "t.xlsx"))
    assert _indicators(made.text)["1.1.1"].rule.points is None


# ---- the command line ----------------------------------------------------------------------------

def test_init_from_writes_a_draft_and_never_the_table(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "sv")
    table = tmp_path / "vår tabell.xlsx"
    shutil.copy(TABLE, table)
    digest = hashlib.sha256(table.read_bytes()).hexdigest()
    assert main(["init", str(tmp_path / "utkast"), "--from", str(table)]) == 0
    err = capsys.readouterr().err
    assert "5 målområden, 21 mål, 99 indikatorer och 4 bonusrader; 103 regler att göra" in err
    assert "varning[goal-table-row]" in err and "impactdsl check" in err
    assert sorted(p.name for p in (tmp_path / "utkast").iterdir()) == ["data", "ruleset.impact"]
    assert (tmp_path / "utkast" / "ruleset.impact").read_text(encoding="utf-8").startswith(
        "# Utkast ur måltabellen vår tabell.xlsx")
    assert hashlib.sha256(table.read_bytes()).hexdigest() == digest
    assert main(["check", str(tmp_path / "utkast")]) == 0
    assert main(["init", str(tmp_path / "utkast"), "--from", str(table)]) == 2          # not over a folder in use


def test_init_from_a_table_it_cannot_read_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "sv")
    (tmp_path / "t.xlsx").write_bytes(b"PK\x03\x04 inte en arbetsbok")
    assert main(["init", str(tmp_path / "utkast"), "--from", str(tmp_path / "t.xlsx")]) == 1
    assert "fel[goal-table]" in capsys.readouterr().err and not (tmp_path / "utkast").exists()
    assert main(["init", str(tmp_path / "utkast"), "--from", str(tmp_path / "saknas.xlsx")]) == 1
    assert not (tmp_path / "utkast").exists()


def test_the_fixtures_are_what_make_py_builds_from_the_seed(tmp_path):
    seed = FIXTURES / "seed-002.txt"                # seed 002's text, kept beside the fixture it builds
    import importlib.util

    spec = importlib.util.spec_from_file_location("make", FIXTURES / "make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    lines = seed.read_text(encoding="utf-8").split("\n")
    assert make.workbook(lines) == TABLE.read_bytes()
    assert make.workbook(lines, make.small(lines)) == SMALL.read_bytes()


# ---- the placeholder: never assessed, never in the maximum -----------------------------------------

TWO = """ruleset "r"
index "Index"
missing data included in maximum
fact a percent "a"
area 1 "A"
goal 1.1 "G"
indicator 1.1.1 "Minst 50 %." a >= 50% -> 2
indicator 1.1.2 "Minst 40 %." todo >= 40% -> 8
"""


def test_a_placeholder_is_not_assessed_and_not_in_the_maximum_whatever_the_policy(tmp_path):
    results = evaluate_text(tmp_path, TWO, "facts:\n  a: 60%\n")
    (area,) = results.areas
    assert (area.maximum, area.achieved, results.index) == (2, 2, 100)
    todo = next(r for r in results.areas[0].indicators if r.id == "1.1.2")
    assert (todo.role, todo.counted_in_max, todo.reason[0]) == ("not-assessed", False, "todo")
    from impactdsl.render.output import render

    assert "1 indikator kunde inte bedömas (8 av 10 poäng): ingen regel är skriven ännu (att göra) (1.1.2)" \
        in render(results, "text").replace("\u00a0", " ")
    assert "Regeln är inte skriven ännu (att göra)" in impactdsl.explain(results, "1.1.2")


@pytest.mark.parametrize("rule, code", [("todo -> 2 ; override met because \"x\"", "override"),
                                        ("todo >= 40% -> 2 ; bonus >= 50% -> 1", "bonus"),
                                        ("todo within 5pp of target -> 2", "target"),
                                        ("todo >= a -> 2", "target")])
def test_a_placeholder_takes_a_target_and_notes_only(tmp_path, rule, code):
    from .conftest import compile_text

    text = TWO.replace("todo >= 40% -> 8", rule)
    ruleset, problems = compile_text(tmp_path, text)
    assert ruleset is None and code in {d.code for d in problems if d.is_error}, problems


def test_the_outcome_of_a_placeholder_is_refused(tmp_path):
    from .conftest import compile_text

    ruleset, problems = compile_text(tmp_path, TWO + 'bonus 1.1.3 "b" outcome(1.1.2) less than 5pp from target -> 1\n')
    assert ruleset is None and any("1.1.2 has no rule yet (todo)" in d.message.en for d in problems)


def test_a_placeholder_goes_through_export_and_back(tmp_path):
    from impactdsl.compile.exchange import from_yaml, to_yaml

    from .conftest import compile_text

    ruleset, _ = compile_text(tmp_path, TWO)
    again = from_yaml(to_yaml(ruleset))
    assert again.indicators == ruleset.indicators


def test_io_of_the_draft_is_utf8_text(seed):
    assert io.BytesIO(seed[0].text.encode("utf-8")).read().decode("utf-8") == seed[0].text


def test_an_identity_number_in_an_area_title_is_masked_too(tmp_path):
    rows = [["Målområde 1 Fallet 19850101-1234"], HEADER, ["1.1", "Mål", "1.1.1", "Minst 40 %", 2]]
    made, problems = _drafted(_save(_book({"Målområde 1": rows}), tmp_path / "t.xlsx"))
    assert 'målområde 1 "Fallet ########-####"' in made.text
    assert [(d.code, d.span.line) for d in problems] == [("goal-table-identity", 1)]
