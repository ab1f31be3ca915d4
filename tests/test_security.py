"""impactdsl under attack: every promise of docs/security.md, each class of hostile input with
tests of its own. A user's files — and a peer's — are untrusted: no identity number leaves in any
output, nothing hangs or grows without bound, no input is written, no data file is read from
outside its folder, no output carries a live formula, a link or a control sequence, and nothing
ends in a traceback."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import impactdsl
from impactdsl.core.limits import Limits
from impactdsl.core.redact import redact
from impactdsl.outcomes.folder import load as load_folder

from .conftest import foreign_formulas
from .hostile import IDENTITIES, MANIFEST, RULESET, WIDE, digits, good_data, leaks, project, readable, run

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def good(tmp_path) -> Path:
    return project(tmp_path / "förbund", RULESET, good_data())


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file below a folder with the hash of its bytes: what must be the same after a run."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def test_the_hostile_project_is_good_to_begin_with(good):
    done = run("evaluate", good, "--format", "json")
    assert done.code == 0, done.text
    assert b'"achieved"' in done.out


# ---- 1. no identity number in any output ---------------------------------------------------

PNR = "850101-1234"


def _with(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# Each way an identity number reached stderr before: (name, file to change, old text, new text).
DATA_LEAKS = [
    ("a free-text answer cell", "personal.csv", "R2;M;Till stor del", f"R2;M;Anna {PNR} svarade"),
    ("a group value", "manifest.yaml", "    group: staff\n", "    group_column: Grupp\n"),
    ("a header in a 'known names' hint", "manifest.yaml", "respondent: Respondent", "respondent: Id"),
    ("a YAML key, quoted with its line", "manifest.yaml", "facts:\n  rapport: ja", f"facts:\n  {PNR}: ja"),
    ("a YAML value, quoted with its line", "manifest.yaml", "rapport: ja", f"rapport: 'nej {PNR}'"),
    ("a file name", "manifest.yaml", "path: personal.csv", f"path: {PNR}.csv"),
]


@pytest.mark.parametrize("name, changed, old, new", DATA_LEAKS, ids=[c[0] for c in DATA_LEAKS])
def test_no_identity_number_reaches_a_message(tmp_path, name, changed, old, new):
    data = good_data()
    data[changed] = _with(data[changed], old, new)
    if name == "a group value":
        data["personal.csv"] = WIDE.replace("Respondent;Kön", "Grupp;Respondent;Kön").replace(
            "\nR1;", f"\n{PNR} personal;R1;").replace("\nR2;", "\nstaff;R2;").replace(
            "\nR3;", "\nstaff;R3;").replace("\nR4;", "\nstaff;R4;")
    if name == "a header in a 'known names' hint":
        data["personal.csv"] = WIDE.replace("Respondent;", f"Svarande {PNR};")
    folder = project(tmp_path / "p", RULESET, data)
    done = run("evaluate", folder)
    assert done.code == 1, done.text
    assert not leaks(done.text), done.text
    assert "#" in done.text                   # masked where it stood, so the user still sees where


def test_sheet_names_are_masked(tmp_path):
    folder = _xlsx_project(tmp_path, GOOD_ROWS, sheet=f"Svar {PNR}")
    manifest = (folder / "data" / "manifest.yaml").read_text(encoding="utf-8")
    (folder / "data" / "manifest.yaml").write_text(
        manifest.replace("    kind: survey\n", f"    kind: survey\n    sheet: 'Blad {PNR}'\n"), encoding="utf-8")
    done = run("evaluate", folder)
    assert done.code == 1 and "data-sheet" in done.text, done.text
    assert not leaks(done.text) and "Svar ######-####" in done.text


def test_a_long_format_question_text_is_masked(tmp_path):
    long = "respondent;fråga;svar\nR1;q1;Till stor del\nR1;" + f"Fråga om {PNR};Till stor del\n"
    manifest = MANIFEST.replace("layout: wide", "layout: long\n    question_column: fråga\n    answer_column: svar") \
        .replace("respondent: Respondent\n    subgroup: Kön\n    values: {K: kvinnor, M: män}\n",
                 "respondent: respondent\n")
    folder = project(tmp_path / "p", RULESET, {**good_data(), "manifest.yaml": manifest, "personal.csv": long})
    done = run("evaluate", folder)
    assert done.code == 1 and "unknown-question" in done.text, done.text
    assert not leaks(done.text)


@pytest.mark.parametrize("row", [2, 1500])
def test_an_identity_column_is_refused_whatever_row_it_shows_in(tmp_path, row):
    """The whole column is looked at, not a sample of the first rows."""
    lines = ["Id;Respondent;Kön;q1;q2"] + [f"X{i};R{i};K;Till stor del;Till stor del" for i in range(1, 2001)]
    lines[row] = lines[row].replace(f"X{row};", "19850101-1234;", 1)
    folder = project(tmp_path / "p", RULESET, {**good_data(), "personal.csv": "\n".join(lines) + "\n"})
    done = run("evaluate", folder)
    assert done.code == 1 and "data-identity" in done.text and "'Id'" in done.text, done.text
    assert not leaks(done.text)


def test_an_identity_column_is_refused_by_the_columnar_reader_too(tmp_path, monkeypatch):
    pytest.importorskip("duckdb")
    from impactdsl.outcomes import columnar

    monkeypatch.setattr(columnar, "LARGE_BYTES", 1)
    lines = ["Id;Respondent;Kön;q1;q2"] + [f"X{i};R{i};K;Till stor del;Till stor del" for i in range(1, 3001)]
    lines[2500] = lines[2500].replace("X2500;", "198501011234;", 1)
    folder = project(tmp_path / "p", RULESET, {**good_data(), "personal.csv": "\n".join(lines) + "\n"})
    ruleset, _ = impactdsl.check(folder)
    outcomes, problems = impactdsl.load(folder / "data", ruleset)
    assert outcomes is None or any(p.code == "data-identity" for p in problems)
    assert [p for p in problems if p.code == "data-identity"][0].message.en.count("'Id'") == 1
    lines[2500] = lines[2500].replace("198501011234;", "X2500;", 1)       # the same file without it is read
    (folder / "data" / "personal.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcomes, problems = impactdsl.load(folder / "data", ruleset)
    assert not [p for p in problems if p.is_error], problems


TEXT_PLACES = [
    ('ruleset "Förbundet"', f'ruleset "Förbundet {PNR}"'),
    ('association "Samordningsförbundet Test"', f'association "Test {PNR}"'),
    ('area 1 "Område A"', f'area 1 "Område {PNR}"'),
    ('goal 1.1 "Mål ett"', f'goal 1.1 "Mål {PNR}"'),
    ('indicator 1.1.1 "Fråga ett"', f'indicator 1.1.1 "Fråga {PNR}"'),
    ('note "en anteckning"', f'note "anteckning {PNR}"'),
    ('group staff "personalen"', f'group staff "personalen {PNR}"'),
]


@pytest.mark.parametrize("old, new", TEXT_PLACES, ids=[p[0] for p in TEXT_PLACES])
@pytest.mark.parametrize("form", ["text", "md", "html", "xlsx", "json"])
def test_no_identity_number_from_a_ruleset_text_reaches_a_report(tmp_path, old, new, form):
    folder = project(tmp_path / "p", _with(RULESET, old, new), good_data())
    target = tmp_path / f"rapport.{form}"
    done = run("evaluate", folder, "--format", form, "-o", target)
    assert done.code == 0, done.text
    assert not leaks(readable(target.read_bytes()) + done.text)


@pytest.mark.parametrize("command", [["explain", "1.1"], ["explain", "1.1.1"], ["explain", "1"],
                                     ["export", "--yaml"], ["check"]])
def test_no_identity_number_from_a_ruleset_reaches_explain_export_or_check(tmp_path, command):
    text = RULESET
    for old, new in TEXT_PLACES:
        text = _with(text, old, new)
    folder = project(tmp_path / "p", text, good_data())
    done = run(command[0], folder, *command[1:])
    assert done.code in (0, 1), done.text
    assert not leaks(done.text), done.text


@pytest.mark.parametrize("old, new", TEXT_PLACES + [('"Till mycket stor del"', f'"Till mycket stor del {PNR}"')])
def test_a_ruleset_text_holding_an_identity_number_is_warned_about(tmp_path, old, new):
    folder = project(tmp_path / "p", _with(RULESET, old, new))
    assert run("check", folder, "--strict").code == 1                  # a warning: a finding with --strict
    done = run("check", folder)
    assert done.code == 0 and "warning[identity]" in done.text and not leaks(done.text), done.text
    line = RULESET.split(old)[0].count("\n") + 1
    assert f"ruleset.impact:{line}:" in done.text


def test_a_ruleset_written_with_an_identity_number_is_masked_in_its_own_error(tmp_path):
    folder = project(tmp_path / "p", RULESET + f'indicator 1.1.9 "x {PNR}" share(staff, q9, top2) >= 1% -> 1\n',
                     good_data())
    done = run("check", folder)
    assert done.code == 1 and "unknown question 'q9'" in done.text and "######-####" in done.text
    assert not leaks(done.text)


def test_an_identity_number_on_the_command_line_is_masked(good):
    done = run("explain", good, PNR)
    assert done.code == 2 and not leaks(done.text), done.text
    done = run("evaluate", good / PNR)
    assert done.code == 1 and not leaks(done.text), done.text


@pytest.mark.parametrize("shape", IDENTITIES)
def test_every_shape_of_identity_number_is_masked_inside_a_text(shape):
    masked = redact(f"svar från {shape}, tack")
    assert digits(shape) not in "".join(c for c in masked if c.isdigit()) and masked.startswith("svar från ")


@pytest.mark.parametrize("text", ["2022-12-31", "12,8 %", "245 av 705", "q3.2.6", "20221231", "1234567890",
                                  "sha 3f9a0b", "070-123 45 67", "1.2.3.4.5.6"])
def test_what_is_no_identity_number_is_left_as_it_is(text):
    assert redact(text) == text


# ---- 2. no hang, no runaway memory -------------------------------------------------------

def test_commented_imports_are_never_followed(tmp_path):
    """Twelve lines of `# import "ruleset.impact"` hung `check` before: comments never count."""
    text = RULESET + "".join('# import "ruleset.impact" as x\n' for _ in range(12))
    folder = project(tmp_path / "p", text, good_data())
    done = run("check", folder, seconds=10)
    assert done.code in (0, 1) and "import" not in done.err.decode(), done.text


def test_a_fan_out_of_imports_is_refused_by_the_number_of_files(tmp_path):
    """16 imports of 16 imports ... within the width and depth limits: the tree's total is limited."""
    def tree(folder: Path, level: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        lines = ['ruleset "x"']
        if level < 4:
            for i in range(16):
                tree(folder / f"p{i}", level + 1)
                lines.append(f'import "p{i}" as p{i}')
        (folder / "ruleset.impact").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tree(tmp_path / "root", 1)
    done = run("check", tmp_path / "root", seconds=10)
    assert done.code == 1 and "whole import tree" in done.text, done.text


def test_a_file_imported_twice_is_read_once(tmp_path, monkeypatch):
    from impactdsl import workspace

    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "ruleset.impact").write_text(RULESET, encoding="utf-8")
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "ruleset.impact").write_text('import "../shared" as s\n', encoding="utf-8")
    root = project(tmp_path, 'ruleset "r"\nimport "a" as a\nimport "b" as b\nimport "shared" as s\n')
    read, real = [], workspace.read_source
    monkeypatch.setattr(workspace, "read_source", lambda path, *rest: (read.append(path), real(path, *rest))[1])
    monkeypatch.setenv("IMPACTDSL_NO_CACHE", "1")
    ruleset, problems = impactdsl.check(root, [tmp_path])
    assert not [p for p in problems if p.is_error], problems
    assert len(read) == 4                                 # root, a, b and shared: shared once, not three times


NUMBERS = [
    ("ruleset", "ruleset.impact", "-> 2", "-> " + "9" * 5000),
    ("ruleset percentage", "ruleset.impact", ">= 80%", ">= " + "8" * 5000 + "%"),
    ("data YAML count", "manifest.yaml", "rapport: ja", "rapport: ja\ncounts:\n  deltagare: " + "7" * 5000),
    ("birth year", "register.csv", "K;1998;", "K;" + "1" * 5000 + ";"),
]


@pytest.mark.parametrize("name, changed, old, new", NUMBERS, ids=[n[0] for n in NUMBERS])
def test_a_number_of_thousands_of_digits_is_refused_naming_the_limit(tmp_path, name, changed, old, new):
    files = {"ruleset.impact": RULESET, **good_data()}
    files[changed] = _with(files[changed], old, new)
    folder = project(tmp_path / "p", files.pop("ruleset.impact"), files)
    done = run("evaluate", folder, seconds=10)
    assert done.code == 1, done.text
    assert "15 digits" in done.text or "birth_year" in done.text, done.text


@pytest.mark.parametrize("value", ["'1e999999999'", "'1e-999999999'", "'" + "9" * 5000 + "'", "9" * 5000,
                                   "'1/0'", "'" + "1" * 20 + "/3'"])
def test_a_peer_yaml_with_a_monstrous_number_is_refused(tmp_path, value):
    exported = run("export", REPO / "rulesets" / "hbs-2022", "--yaml").out.decode()
    assert "target_index: null" in exported
    (tmp_path / "peer.yaml").write_text(exported.replace("target_index: null", f"target_index: {value}", 1),
                                        encoding="utf-8")
    root = project(tmp_path / "r", 'ruleset "r"\nimport "../peer.yaml" as p\n')
    shutil.move(tmp_path / "peer.yaml", root / "peer.yaml")
    (root / "ruleset.impact").write_text('ruleset "r"\nimport "peer.yaml" as p\n', encoding="utf-8")
    done = run("check", root, seconds=10)
    assert done.code == 1 and "import-yaml" in done.text, done.text


@pytest.mark.parametrize("lock", [
    "imports:\n  a: &a [*a]\n",                                           # an alias (a bomb's first step)
    "imports:\n  p: {path: x, sha256: " + "1" * 5000 + "}\n",             # a huge number
    "imports: " + "[" * 100_000 + "]" * 100_000 + "\n",                  # nested 100 000 deep
])
def test_a_hostile_lock_file_is_refused_quickly(tmp_path, lock):
    root = project(tmp_path / "r", 'ruleset "r"\n')
    (root / "ruleset.lock").write_text(lock, encoding="utf-8")
    done = run("check", root, seconds=10)
    assert done.code == 1 and "ruleset.lock" in done.text, done.text


def test_a_lock_file_that_is_not_utf8_is_refused(tmp_path):
    root = project(tmp_path / "r", 'ruleset "r"\n')
    (root / "ruleset.lock").write_bytes(b"imports: \xff\xfe\n")
    done = run("check", root)
    assert done.code == 1 and "not UTF-8" in done.text, done.text


@pytest.mark.parametrize("text", [
    "surveys: " + "[" * 100_000 + "]" * 100_000,
    "a: &a ['lol']\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n",
    "facts:\n  rapport: '" + "x" * 200_000 + "'\n",
])
def test_every_yaml_reader_refuses_deep_nesting_aliases_and_huge_values(tmp_path, text):
    folder = project(tmp_path / "p", RULESET, {"outcomes.yaml": text})
    done = run("evaluate", folder, seconds=10)
    assert done.code == 1 and "outcomes.yaml" in done.text, done.text


def test_a_peer_yaml_nested_deep_is_refused(tmp_path):
    root = project(tmp_path / "r", 'ruleset "r"\nimport "peer.yaml" as p\n')
    (root / "peer.yaml").write_text("format: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    done = run("check", root, seconds=10)
    assert done.code == 1 and "nest" in done.text, done.text


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def test_a_pipe_as_an_import_is_refused_without_waiting(tmp_path):
    root = project(tmp_path / "r", 'ruleset "r"\nimport "pipe.impact" as p\n')
    _fifo(root / "pipe.impact")
    done = run("check", root, seconds=10)
    assert done.code == 1 and "not a regular file" in done.text, done.text


@pytest.mark.parametrize("name", ["personal.csv", "extra.yaml", "personal.parquet"])
def test_a_pipe_as_a_data_file_is_refused_without_waiting(tmp_path, name):
    data = good_data()
    data.pop("personal.csv")
    folder = project(tmp_path / "p", RULESET, data)
    if name.endswith(".parquet"):
        manifest = (folder / "data" / "manifest.yaml").read_text(encoding="utf-8")
        (folder / "data" / "manifest.yaml").write_text(manifest.replace("personal.csv", name), encoding="utf-8")
    _fifo(folder / "data" / name)
    done = run("evaluate", folder, seconds=10)
    assert done.code == 1, done.text


@pytest.mark.parametrize("command", [["evaluate"], ["export", "--yaml"]])
def test_a_pipe_as_the_output_is_refused_without_waiting(good, tmp_path, command):
    done = run(command[0], good, *command[1:], "-o", _fifo(tmp_path / "out.pipe"), seconds=10)
    assert done.code == 2 and "not a regular file" in done.text, done.text


def test_a_one_line_csv_of_megabytes_is_refused_at_the_line_limit(tmp_path):
    big = "Respondent;Kön;q1;q2\n" + "R1;K;" + "x;" * 1_500_000 + "\n"
    folder = project(tmp_path / "p", RULESET, {**good_data(), "personal.csv": big})
    done = run("evaluate", folder, seconds=10)
    assert done.code == 1 and "longer than 1000000 bytes" in done.text, done.text


def test_a_cell_of_millions_of_characters_gets_no_hint_search(tmp_path):
    """A 1.5-million character unknown name took 6 s and 372 MB in did-you-mean."""
    big = WIDE.replace("R2;M;Till stor del", "R2;M;" + "Till stor del" * 7000)
    folder = project(tmp_path / "p", RULESET, {**good_data(), "personal.csv": big})
    done = run("evaluate", folder, seconds=10)
    assert done.code == 1 and "unknown-answer" in done.text and len(done.err) < 5000, done.text


def test_unknown_names_are_kept_up_to_the_limit_and_then_counted(tmp_path):
    rows = "".join(f"R{i};K;svar nummer {i};Till stor del\n" for i in range(1, 502))
    folder = project(tmp_path / "p", RULESET, {**good_data(), "personal.csv": "Respondent;Kön;q1;q2\n" + rows})
    done = run("evaluate", folder, seconds=20)
    assert done.code == 1 and "401 more rows" in done.text, done.text
    assert done.text.count("error[unknown-answer]") == 101


def _rewrite_sheet(path: Path, change) -> None:
    """Rewrite the first worksheet's XML of a workbook with `change(xml) -> xml`, as a hostile file would."""
    with zipfile.ZipFile(path) as source:
        members = {n: source.read(n) for n in source.namelist()}
    members["xl/worksheets/sheet1.xml"] = change(members["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)


def _xlsx(path: Path, rows: list[list], sheet: str = "Svar", dimension: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)
    if dimension is not None:                  # a sheet that says of itself it is larger than it is
        _rewrite_sheet(path, lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(),
                                                xml, count=1))
    return path


def _xlsx_project(tmp_path: Path, rows, **options) -> Path:
    folder = project(tmp_path / "p", RULESET, good_data())
    _xlsx(folder / "data" / "personal.xlsx", rows, **options)
    manifest = MANIFEST.replace("personal.csv", "personal.xlsx")
    (folder / "data" / "manifest.yaml").write_text(manifest, encoding="utf-8")
    (folder / "data" / "personal.csv").unlink()
    return folder


GOOD_ROWS = [["Respondent", "Kön", "q1", "q2"], ["R1", "K", "Till stor del", "Till stor del"],
             ["R2", "M", "Till liten del", "Till stor del"], ["R3", "K", "Till stor del", "Till liten del"]]


def test_an_xlsx_that_says_it_has_millions_of_rows_is_refused_before_reading(tmp_path):
    folder = _xlsx_project(tmp_path, GOOD_ROWS, dimension="A1:D3000000")
    done = run("evaluate", folder, seconds=10)
    assert done.code == 1 and "3000000 rows" in done.text, done.text


def test_an_xlsx_that_claims_every_cell_of_excel_is_read_as_it_is(tmp_path):
    """A false dimension used to make the reader pad out a billion empty cells."""
    folder = _xlsx_project(tmp_path, GOOD_ROWS, dimension="A1:XFD1048576")
    done = run("evaluate", folder, seconds=20)
    assert done.code == 0, done.text


def test_rows_beyond_the_limit_are_refused_while_streaming(tmp_path):
    """The sheet understates its size: the limit is met while reading."""
    folder = _xlsx_project(tmp_path, GOOD_ROWS + [[f"R{9 + i}", "K", "Till stor del", "Till stor del"]
                                                  for i in range(20)], dimension="A1:D2")
    ruleset, _ = impactdsl.check(folder)
    outcomes, problems, _ = load_folder(folder / "data", ruleset, limits=Limits(xlsx_rows=10))
    assert any("more than 10 rows" in p.message.en for p in problems), problems


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_unpacking(tmp_path):
    folder = _xlsx_project(tmp_path, GOOD_ROWS)
    ruleset, _ = impactdsl.check(folder)
    outcomes, problems, _ = load_folder(folder / "data", ruleset, limits=Limits(xlsx_unpacked_bytes=1000))
    assert any("unpacks to" in p.message.en for p in problems), problems


# ---- 3. no input is ever written -------------------------------------------------------

def _inputs(good: Path) -> list[Path]:
    return [good / "ruleset.impact", good / "data" / "manifest.yaml", good / "data" / "personal.csv"]


@pytest.mark.parametrize("link", ["hard", "symbolic"])
@pytest.mark.parametrize("command", [["evaluate", "--format", "json"], ["export", "--yaml"]])
def test_an_output_through_a_link_never_writes_an_input(good, tmp_path, link, command):
    before = fingerprint(good)
    for index, original in enumerate(_inputs(good)):
        target = tmp_path / f"rapport{index}.json"
        (os.link if link == "hard" else os.symlink)(original, target)
        done = run(command[0], good, *command[1:], "-o", target)
        assert done.code == 2, done.text
        assert fingerprint(good) == before


@pytest.mark.parametrize("name", ["ruleset.impact", "data/manifest.yaml", "data/personal.csv"])
def test_an_output_named_as_an_input_is_refused(good, name):
    before = fingerprint(good)
    done = run("evaluate", good, "--format", "text", "-o", good / name)
    assert done.code == 2 and "input" in done.text, done.text
    assert fingerprint(good) == before


def test_a_raw_xlsx_is_protected_through_a_hard_link(tmp_path):
    folder = _xlsx_project(tmp_path, GOOD_ROWS)
    before = fingerprint(folder)
    os.link(folder / "data" / "personal.xlsx", tmp_path / "rapport.xlsx")
    done = run("evaluate", folder, "--format", "xlsx", "-o", tmp_path / "rapport.xlsx")
    assert done.code == 2 and fingerprint(folder) == before, done.text


def test_an_imported_peers_own_imports_are_protected(tmp_path):
    (tmp_path / "peer" / "deeper").mkdir(parents=True)
    (tmp_path / "peer" / "deeper" / "ruleset.impact").write_text(RULESET, encoding="utf-8")
    (tmp_path / "peer" / "ruleset.impact").write_text('ruleset "peer"\nimport "deeper" as d\n', encoding="utf-8")
    root = project(tmp_path / "root", 'ruleset "root"\nimport "../peer" as p\n', {"outcomes.yaml": "facts: {}\n"})
    before = fingerprint(tmp_path / "peer")
    os.link(tmp_path / "peer" / "deeper" / "ruleset.impact", tmp_path / "out.yaml")
    done = run("export", root, "--yaml", "--allow", tmp_path / "peer", "-o", tmp_path / "out.yaml")
    assert done.code == 2 and "input" in done.text, done.text
    assert fingerprint(tmp_path / "peer") == before


def test_lock_never_writes_through_a_linked_lock_file(tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("do not touch\n", encoding="utf-8")
    (tmp_path / "peer").mkdir()
    (tmp_path / "peer" / "ruleset.impact").write_text(RULESET, encoding="utf-8")
    root = project(tmp_path / "root", 'ruleset "root"\nimport "peer" as p\n')
    shutil.move(tmp_path / "peer", root / "peer")
    os.symlink(outside, root / "ruleset.lock")
    done = run("lock", root)
    assert done.code == 2 and "link" in done.text, done.text
    assert outside.read_text(encoding="utf-8") == "do not touch\n"


def test_an_output_is_written_whole_or_not_at_all(good, tmp_path):
    target = tmp_path / "rapport.html"
    target.write_text("the old report\n", encoding="utf-8")
    os.chmod(target, 0o640)
    done = run("evaluate", good, "--format", "html", "-o", target)
    assert done.code == 0 and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640              # the file written again keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["förbund", "rapport.html"]   # no temporary left


# ---- 4. no data file from outside the data folder --------------------------------------

@pytest.mark.parametrize("name", ["personal.csv", "extra.yaml"])
def test_a_data_file_linked_from_outside_is_not_read(tmp_path, name):
    secret = tmp_path / "secret.txt"
    secret.write_text("Respondent;hemlig rad 1\nR1;hemlig rad 2\n", encoding="utf-8")
    data = good_data()
    data.pop(name, None)
    folder = project(tmp_path / "p", RULESET, data)
    os.symlink(secret, folder / "data" / name)
    done = run("evaluate", folder)
    assert done.code == 1 and "outside the data folder" in done.text, done.text
    assert "hemlig" not in done.text
    allowed = run("evaluate", folder, "--allow", tmp_path)               # unless its folder is allowed
    assert "outside the data folder" not in allowed.text


# ---- 5. outputs are inert --------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x.example","klicka")', "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_no_text_becomes_a_formula_in_xlsx(tmp_path, formula):
    from openpyxl import load_workbook

    quoted = formula.replace("\\", "\\\\").replace('"', '\\"')
    folder = project(tmp_path / "p", _with(RULESET, 'indicator 1.1.1 "Fråga ett"', f'indicator 1.1.1 "{quoted}"'),
                     good_data())
    target = tmp_path / "rapport.xlsx"
    assert run("evaluate", folder, "--format", "xlsx", "-o", target).code == 0
    book = load_workbook(target)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not foreign_formulas(book)
    mine = [c for c in cells if "cmd" in c.value or "HYPERLINK" in c.value or "1+1" in c.value]
    assert mine and all(c.data_type == "s" and c.quotePrefix for c in mine)
    sheet = zipfile.ZipFile(target).read("xl/worksheets/sheet2.xml")          # an area's: only its sums
    assert b"cmd" not in b"".join(re.findall(rb"<f>[^<]*</f>", sheet))
    assert b"HYPERLINK" not in b"".join(re.findall(rb"<f>[^<]*</f>", sheet))


CONTROLS = ["\x1b[31mröd\x1b[0m", "klocka\x07", "\u202eevil\u202c", "nul\x00byte", "rad\x0bbrytning"]


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize("form", ["text", "md", "xlsx", "html", "json"])
def test_control_characters_from_a_peer_are_shown_escaped(tmp_path, control, form):
    """A peer's text (an exported YAML may hold any character) cannot drive a terminal or break a file."""
    exported = run("export", project(tmp_path / "peer", RULESET), "--yaml").out.decode()
    import yaml

    document = yaml.safe_load(exported)
    document["ruleset"]["areas"][0]["title"] = control
    root = project(tmp_path / "root", 'ruleset "root"\nperiod 2022\nimport "peer.yaml" as p\narea 1 from p\n',
                   good_data())
    (root / "peer.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    target = tmp_path / f"rapport.{form}"
    done = run("evaluate", root, "--format", form, "-o", target)
    assert done.code == 0, done.text
    written = readable(target.read_bytes())
    raw = control.replace("\x1b", "").replace("\x07", "").replace("\u202e", "").replace("\u202c", "")
    assert not any(c in written for c in "\x1b\x07\u202e\u202c\x00\x0b"), repr(written[:200])
    assert raw[:3] in written


def test_control_characters_in_data_reach_no_terminal(tmp_path):
    data = good_data()
    data["personal.csv"] = WIDE.replace("R2;M;Till stor del", "R2;M;\x1b[2Jtitel\x07\x1b[31m")
    folder = project(tmp_path / "p", RULESET, data)
    done = run("evaluate", folder)
    assert done.code == 1 and b"\x1b" not in done.err and b"\x07" not in done.err
    assert "\\x1b" in done.text


@pytest.mark.parametrize("text, absent", [
    ("[klicka](javascript:alert(1))", "[klicka]("), ("<script>alert(1)</script>", "<script>"),
    ("se https://evil.example", "https://evil"), ("![bild](http://x.example/a.png)", "!["),
    ("skriv till a@evil.example", "a@evil"), ("`kod`", "`kod`"), ("a | b", "a | b"),
])
def test_markdown_holds_no_link_script_or_code(tmp_path, text, absent):
    quoted = text.replace('"', '\\"')
    folder = project(tmp_path / "p", _with(RULESET, 'indicator 1.1.1 "Fråga ett"', f'indicator 1.1.1 "{quoted}"'),
                     good_data())
    done = run("evaluate", folder, "--format", "md")
    assert done.code == 0 and absent not in done.out.decode(), done.text


# ---- 6. no traceback -------------------------------------------------------------------

def _corrupt_member(path: Path) -> None:
    _rewrite_sheet(path, lambda xml: xml[:300] + b"<<<broken")


def _bad_reference(path: Path) -> None:
    _rewrite_sheet(path, lambda xml: xml.replace(b'r="B2"', b'r="!!9"', 1))


@pytest.mark.parametrize("damage", [_corrupt_member, _bad_reference])
def test_a_damaged_xlsx_is_a_message(tmp_path, damage):
    folder = _xlsx_project(tmp_path, GOOD_ROWS)
    damage(folder / "data" / "personal.xlsx")
    done = run("evaluate", folder)
    assert done.code == 1 and "personal.xlsx" in done.text and "Traceback" not in done.text, done.text


@pytest.mark.parametrize("one, two, said", [(b"NaN", b"INF", "row 5 cannot be read"),
                                            (b"1e999", b"-1e308", "unknown-answer")])
def test_numbers_no_spreadsheet_writes_are_a_message(tmp_path, one, two, said):
    """NaN, infinity, 1e999 in a number cell, as other programs write them."""
    folder = _xlsx_project(tmp_path, GOOD_ROWS + [["R4", "K", 1, 2]])
    _rewrite_sheet(folder / "data" / "personal.xlsx", lambda xml: xml.replace(
        b"<v>1</v>", b"<v>" + one + b"</v>").replace(b"<v>2</v>", b"<v>" + two + b"</v>"))
    done = run("evaluate", folder)
    assert done.code == 1 and said in done.text and "Traceback" not in done.text, done.text


@pytest.mark.parametrize("name, ruleset, data", [
    ("path as a list", RULESET, {**good_data(), "manifest.yaml": MANIFEST.replace("path: personal.csv",
                                                                                    "path: [a, b]")}),
    ("a missing parquet file", RULESET, {**good_data(), "manifest.yaml": MANIFEST.replace("personal.csv",
                                                                                            "saknas.parquet")}),
    ("an import name longer than the file system allows", RULESET + f'import "{"x" * 5000}" as x\n', None),
    ("a NUL in an import path", RULESET + 'import "a\\\x00b" as x\n', None),
    ("a NUL escaped in an import path", RULESET + 'import "a\x00b" as x\n', None),
    ("a template written as another template", RULESET + "template a(x) = b(x)\ntemplate b(x) = a(x)\n"
     "indicator 1.1.9 \"t\" a(1) -> 1\n", None),
    ("a period no calendar has", RULESET.replace("period 2022", "period 99999999"), None),
])
def test_no_traceback(tmp_path, name, ruleset, data):
    folder = project(tmp_path / "p", ruleset, data if data is not None else good_data())
    for command in (["check"], ["evaluate"], ["evaluate", "--format", "xlsx", "-o", tmp_path / "x.xlsx"],
                    ["explain", "1.1.1"], ["export", "--yaml"], ["lock"], ["fmt", "--check"]):
        done = run(command[0], folder, *command[1:])
        assert done.code in (0, 1, 2) and "Traceback" not in done.text, (command, done.text)


def test_a_path_of_thousands_of_characters_is_a_message():
    for command in ("check", "evaluate", "lock", "export", "fmt"):
        extra = ["--yaml"] if command == "export" else []
        done = run(command, "x" * 5000, *extra)
        assert done.code in (1, 2) and "Traceback" not in done.text, done.text


def _without_privileges() -> list[str]:
    """The command prefix that makes file permissions hold: as root (CI runs as root), the
    capabilities that override them are dropped, as an unprivileged user would have none."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root, the permission tests need util-linux's setpriv"
    return [setpriv, "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


def _program(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), IMPACTDSL_NO_CACHE="1")
    return subprocess.run(_without_privileges() + [sys.executable, "-m", "impactdsl", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, timeout=60)


def test_an_unreadable_data_folder_and_an_unwritable_output_folder_are_messages(tmp_path):
    os.chmod(tmp_path, 0o755)
    folder = project(tmp_path / "p", RULESET, good_data())
    for path in [tmp_path, *tmp_path.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    os.chmod(folder / "data", 0o000)
    done = _program("evaluate", folder, cwd=tmp_path)
    assert done.returncode == 1 and b"Traceback" not in done.stderr and b"permission" in done.stderr, done.stderr
    os.chmod(folder / "data", 0o755)
    closed = tmp_path / "closed"
    closed.mkdir()
    os.chmod(closed, 0o555)
    done = _program("evaluate", folder, "-o", closed / "rapport.txt", cwd=tmp_path)
    assert done.returncode == 2 and b"Traceback" not in done.stderr and b"permission" in done.stderr, done.stderr
    assert not list(closed.iterdir())


INTERRUPTED = """
import os, signal, sys
import impactdsl.outcomes.tables as tables
from impactdsl.cli import main

reading = tables._csv_rows

def interrupted(*args):                  # Ctrl-C as the survey file is being read
    os.kill(os.getpid(), signal.SIGINT)
    yield from reading(*args)

tables._csv_rows = interrupted
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_during_evaluate_exits_130_with_one_line_and_writes_nothing(good, tmp_path):
    target = tmp_path / "rapport.html"
    env = dict(os.environ, PYTHONPATH=str(REPO), IMPACTDSL_NO_CACHE="1")
    done = subprocess.run([sys.executable, "-c", INTERRUPTED, "evaluate", good, "--format", "html", "-o", target],
                          env=env, capture_output=True, timeout=60)
    assert done.returncode == 130, done.stderr
    assert b"Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not target.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["förbund"]


def test_ctrl_c_while_writing_leaves_the_old_file_and_no_temporary(good, tmp_path, monkeypatch):
    target = tmp_path / "rapport.html"
    target.write_text("the old report\n", encoding="utf-8")

    def interrupted(source, destination):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "replace", interrupted)
    done = run("evaluate", good, "--format", "html", "-o", target)
    assert done.code == 130 and "Traceback" not in done.text
    assert target.read_text(encoding="utf-8") == "the old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["förbund", "rapport.html"]


# ---- docs/security.md states every limit with its value ---------------------------------

def test_the_security_document_lists_every_limit_with_its_value():
    text = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| ([\d ]+) \|", text, re.M))
    for name, value in Limits._field_defaults.items():
        assert name in rows, f"docs/security.md does not list the limit {name}"
        assert int(rows[name].replace(" ", "")) == value, name
    assert set(rows) <= set(Limits._fields), "docs/security.md lists a limit impactdsl does not have"


def test_a_link_swapped_between_the_check_and_the_opening_is_caught(tmp_path, monkeypatch):
    """The race a data folder's writer could run: the link points inside when checked, outside when
    opened. The file actually opened is checked, so nothing outside is read."""
    from impactdsl.read import files

    secret = tmp_path / "secret.csv"
    secret.write_text("Respondent;hemlig\nR1;hemlig rad\n", encoding="utf-8")
    folder = project(tmp_path / "p", RULESET, good_data())
    inside = folder / "data" / "inne.csv"
    shutil.move(folder / "data" / "personal.csv", inside)
    link = folder / "data" / "personal.csv"
    os.symlink(inside, link)
    real_open = os.open

    def swapping_open(path, *args, **kwargs):
        if str(path).endswith("personal.csv"):
            os.unlink(link)
            os.symlink(secret, link)
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr(files.os, "open", swapping_open)
    done = run("evaluate", folder)
    assert done.code == 1 and "outside" in done.text and "hemlig" not in done.text, done.text


# ---- what an independent attack found, each closed by its mechanism -----------------------

def test_a_tkr_amount_written_with_spaces_is_refused_when_it_holds_an_identity_number(tmp_path):
    data = {"outcomes.yaml": "facts:\n  budget: '8 501 011 234 tkr'\n"}
    folder = project(tmp_path / "p", RULESET + 'fact budget tkr "budget"\n', data)
    done = run("evaluate", folder, "--format", "json")
    assert done.code == 1 and "data-identity" in done.text and not leaks(done.text), done.text


@pytest.mark.parametrize("rule", ["-> 10001", "-> 1 each up to 4250505617", "-> 2; bonus >= 90% -> 99999"])
def test_points_beyond_the_limit_are_refused(tmp_path, rule):
    """So no sum of points reaches ten digits: no total can spell an identity number."""
    text = _with(RULESET, "share(staff, q1, top2) >= 80% -> 2", "share(staff, q1, top2) >= 80% " + rule) \
        if "each" not in rule else RULESET + 'fact antal number "antal"\nindicator 1.1.8 "x" antal ' + rule + "\n"
    done = run("check", project(tmp_path / "p", text))
    assert done.code == 1 and ("error[points]" in done.text or "15 digits" in done.text), done.text


@pytest.mark.parametrize("separated", ["850101  1234", "850101\t1234", "850101\u00a01234", "850101\u30001234",
                                       "850101/1234", "8501\u200b01-1234", "850101–1234"])
@pytest.mark.parametrize("form", ["text", "md", "xlsx", "html"])
def test_an_identity_number_with_any_separator_is_masked_before_any_renderer_squeezes_it(tmp_path, separated,
                                                                                         form):
    text = _with(RULESET, 'indicator 1.1.1 "Fråga ett"', f'indicator 1.1.1 "Fråga {separated} ett"')
    text = _with(text, 'area 1 "Område A"', f'area 1 "Område {separated}"')
    target = tmp_path / f"r.{form}"
    done = run("evaluate", project(tmp_path / "p", text, good_data()), "--format", form, "-o", target)
    assert done.code == 0, done.text
    shown = readable(target.read_bytes())
    assert "8501011234" not in "".join(c for c in shown if c.isdigit() or c == "\n").replace("\n", " ")
    assert "850101" not in shown and "1234" not in shown.split("ett")[0][-20:]


def test_a_tab_in_a_quoted_line_is_masked_as_the_line_is_shown(tmp_path):
    data = {"outcomes.yaml": "facts:\n  okänd: 5   # 850101\t1234\n"}
    done = run("evaluate", project(tmp_path / "p", RULESET, data))
    assert done.code == 1 and "######" in done.text and not leaks(done.text), done.text


def _exported(tmp_path, change) -> Path:
    """A peer exported as YAML, changed by `change(document)`, and a ruleset importing it whole."""
    import yaml

    document = yaml.safe_load(run("export", project(tmp_path / "peer", RULESET), "--yaml").out.decode())
    change(document)
    root = project(tmp_path / "root", 'ruleset "r"\nperiod 2022\nimport "peer.yaml" as p\narea 1 from p\n',
                   good_data())
    (root / "peer.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return root


def _first_indicator(document) -> dict:
    return document["ruleset"]["areas"][0]["goals"][0]["indicators"][0]


EXPORTED = [
    ("points that spell an identity number", lambda d: _first_indicator(d).update(points=8501011234)),
    ("points beyond the limit", lambda d: _first_indicator(d).update(points=50_000)),
    ("a hexadecimal number", lambda d: _first_indicator(d).update(points="0x1fab32322")),
    ("a number of 20 000 hexadecimal digits", lambda d: _first_indicator(d).update(points="0x" + "F" * 20_000)),
    ("a period no calendar has", lambda d: d["ruleset"]["settings"].update(period=8501011234)),
    ("a comparison taken away", lambda d: _first_indicator(d).update(criterion=None)),
    ("answers off the scale", lambda d: _first_indicator(d)["measure"].update(answers={"set": ["ingen"]})),
    ("between with one number", lambda d: _first_indicator(d)["criterion"].update(op="between")),
    ("an outcome of nothing", lambda d: _first_indicator(d).update(measure={"type": "OutcomeOf",
                                                                           "indicator": "9.9.9"})),
    ("an outcome of itself", lambda d: _first_indicator(d).update(measure={"type": "OutcomeOf",
                                                                          "indicator": "1.1.1"})),
]


@pytest.mark.parametrize("name, change", EXPORTED, ids=[e[0] for e in EXPORTED])
def test_an_exported_peer_is_held_to_what_the_compiler_guarantees(tmp_path, name, change):
    root = _exported(tmp_path, change)
    text = (root / "peer.yaml").read_text(encoding="utf-8")
    if "0x" in text:                                   # safe_dump quotes it: make it a YAML number
        (root / "peer.yaml").write_text(text.replace("'0x", "0x").replace("F'", "F").replace("322'", "322"),
                                        encoding="utf-8")
    for command in (["check"], ["evaluate", "--format", "json"], ["explain", "1.1.1"]):
        done = run(command[0], root, *command[1:])
        assert done.code == 1 and "import-yaml" in done.text, (command, done.text)
        assert not leaks(done.text) and "impactdsl failed inside" not in done.text


def test_a_long_chain_of_outcomes_is_read_once_and_a_chain_built_backwards_is_limited(tmp_path):
    lines = [f'indicator 1.1.{i} "i" outcome(1.1.{i - 1}) >= 1% -> 1' for i in range(10, 510)]
    head = RULESET + 'indicator 1.1.9 "i" ratio(avslut, deltagare) >= 1% -> 1\n'
    forward = project(tmp_path / "forward", head + "\n".join(lines) + "\n", good_data())
    done = run("evaluate", forward, "--format", "json")
    assert done.code == 0, done.text[-500:]
    backward = project(tmp_path / "backward", head + "\n".join(reversed(lines)) + "\n", good_data())
    done = run("check", backward)
    assert done.code == 1 and "more than 100 indicators deep" in done.text, done.text[-500:]


def test_problems_of_a_data_folder_are_listed_up_to_the_limit_without_hints_for_the_rest(tmp_path):
    questions = "".join(f"question k{i} scale del\n" for i in range(3000))
    files = {f"o{n}.yaml": "surveys:\n  staff:\n" + "".join(f"    okänd{n}x{i}: {{n: 1, top2: 1}}\n"
                                                            for i in range(300)) for n in range(5)}
    folder = project(tmp_path / "p", RULESET + questions, files)
    done = run("evaluate", folder, seconds=30)
    assert done.code == 1 and done.text.count("error[unknown-question]") == 200, done.text[-300:]
    assert "1300 more problems in the outcome data" in done.text


def test_an_xlsx_part_held_whole_is_refused_past_its_limit(tmp_path):
    folder = _xlsx_project(tmp_path, GOOD_ROWS)
    ruleset, _ = impactdsl.check(folder)
    outcomes, problems, _ = load_folder(folder / "data", ruleset, limits=Limits(xlsx_part_bytes=100))
    assert any("a part read whole" in p.message.en for p in problems), problems


def test_rows_with_a_cell_far_to_the_right_are_read_as_wide_as_the_header(tmp_path):
    folder = _xlsx_project(tmp_path, GOOD_ROWS)
    far = b"".join(b'<row r="%d"><c r="XFD%d"/></row>' % (i, i) for i in range(5, 30_005))

    def widen(xml: bytes) -> bytes:
        end = xml.rindex(b"</sheetData>")
        return re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", xml[:end] + far + xml[end:])
    _rewrite_sheet(folder / "data" / "personal.xlsx", widen)
    done = run("evaluate", folder, seconds=20)
    assert done.code == 0, done.text


def test_no_output_is_written_into_the_data_folder_even_over_a_file_never_read(good):
    notes = good / "data" / "anteckningar.txt"
    notes.write_text("mina anteckningar\n", encoding="utf-8")
    for command in (["evaluate", "--format", "json"], ["export", "--yaml"]):
        for target in (notes, good / "data" / "ny.json"):
            done = run(command[0], good, *command[1:], "-o", target)
            assert done.code == 2 and "data folder" in done.text, done.text
    assert notes.read_text(encoding="utf-8") == "mina anteckningar\n" and not (good / "data" / "ny.json").exists()


def test_an_identity_column_written_with_an_en_dash_is_refused(tmp_path):
    data = good_data()
    data["personal.csv"] = WIDE.replace("R1;", "850101–1000;").replace("R2;", "850102–1000;")
    done = run("evaluate", project(tmp_path / "p", RULESET, data))
    assert done.code == 1 and "data-identity" in done.text, done.text


def test_fmt_never_writes_through_a_link_and_names_it_as_given(tmp_path):
    real = tmp_path / "riktig.impact"
    real.write_text('ruleset   "x"\n', encoding="utf-8")
    os.symlink(real, tmp_path / "länk.impact")
    done = run("fmt", tmp_path / "länk.impact")
    assert done.code == 2 and "länk.impact is a link" in done.text, done.text
    assert real.read_text(encoding="utf-8") == 'ruleset   "x"\n'


@pytest.mark.parametrize("old, new", [("    kind: survey\n", "    kind: survey\n    sheet: [Svar]\n"),
                                      ("    kind: survey\n", "    kind: survey\n    layout: {a: b}\n"),
                                      ("values: {K: kvinnor, M: män}", "values: {[K]: kvinnor}"),
                                      ("values: {K: kvinnor, M: män}", "values: {K: [kvinnor]}")])
def test_a_manifest_setting_of_the_wrong_shape_is_a_message(tmp_path, old, new):
    data = good_data()
    data["manifest.yaml"] = _with(data["manifest.yaml"], old, new)
    done = run("evaluate", project(tmp_path / "p", RULESET, data))
    assert done.code == 1 and "manifest.yaml" in done.text, done.text


# ---- what a second attack found ---------------------------------------------------------------

@pytest.mark.parametrize("written", ["８５０１０１-１２３４", "٨٥٠١٠١-١٢٣٤", "85\u034f0101-1234", "85\ufe0f0101-1234",
                                     "85\U000e00200101-1234", "85\u180e0101-1234"])
def test_an_identity_number_in_other_digits_or_behind_an_invisible_mark_is_masked(tmp_path, written):
    text = _with(RULESET, 'area 1 "Område A"', f'area 1 "Område {written}"')
    data = good_data()
    data["personal.csv"] = WIDE.replace("R2;M;Till stor del", f"R2;M;svar {written}")
    folder = project(tmp_path / "p", text, data)
    checked = run("check", folder)
    assert "warning[identity]" in checked.text
    done = run("evaluate", folder)
    shown = unicodedata_digits(done.text)
    assert done.code == 1 and "8501011234" not in shown.replace("-", ""), done.text
    ok = run("evaluate", project(tmp_path / "q", text, good_data()), "--format", "md")
    assert "8501011234" not in unicodedata_digits(ok.text).replace("-", "")


def unicodedata_digits(text: str) -> str:
    """The text with every decimal digit as an ASCII digit and every invisible mark gone: as a reader sees it."""
    import unicodedata

    return "".join(str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c
                   for c in text if unicodedata.category(c) not in ("Cf", "Mn"))


@pytest.mark.parametrize("form", ["text", "md", "html", "json"])
def test_two_harmless_texts_set_side_by_side_make_no_identity_number(tmp_path, form):
    text = RULESET.replace('ruleset "Förbundet"', 'ruleset "Rapport 850101"').replace(
        'association "Samordningsförbundet Test"', 'association "1234 förbundet"').replace(
        'area 1 "Område A"', 'area 850101 "1234 Område"').replace("goal 1.1 ", "goal 850101.1 ").replace(
        "indicator 1.1.", "indicator 850101.1.")
    folder = project(tmp_path / "p", text, good_data())
    done = run("evaluate", folder, "--format", form)
    assert done.code == 0, done.text
    assert not re.search(r"850101\W{0,4}1234", done.out.decode()), done.out.decode()[:500]
    explained = run("explain", folder, "850101")
    assert not re.search(r"850101\W{0,4}1234", explained.text), explained.text


def test_a_text_made_an_identity_number_by_its_rendering_is_masked(tmp_path):
    text = RULESET + ('entities projekt: lyra "Lyra"\ntable t "850101?1234" rows projekt\n'
                      '  column c "c" = deltagare\n')
    text = _with(text, 'area 1 "Område A"', 'area 1 "Område 850101        1234"')
    folder = project(tmp_path / "p", text, good_data())
    for form in ("xlsx", "md", "html"):
        target = tmp_path / f"r.{form}"
        done = run("evaluate", folder, "--format", form, "-o", target)
        assert done.code == 0, done.text
        shown = " ".join(readable(target.read_bytes()).split())
        assert "850101 1234" not in shown, form


def test_a_fact_with_a_decimal_comma_holding_an_identity_number_is_refused(tmp_path):
    folder = project(tmp_path / "p", RULESET + 'fact tal number "tal"\n',
                     {"outcomes.yaml": "facts:\n  tal: '850101,1234'\n"})
    done = run("evaluate", folder, "--format", "json")
    assert done.code == 1 and "data-identity" in done.text, done.text


def test_tables_and_grades_beyond_their_limits_are_refused_before_the_work(tmp_path):
    keys = ", ".join(f'e{i} "E{i}"' for i in range(2000))
    columns = "".join(f'  column c{i} "c{i}" = deltagare\n' for i in range(60))
    tables = RULESET + f"entities många: {keys}\ntable t \"t\" rows många\n" + columns
    done = run("check", project(tmp_path / "t", tables), seconds=20)
    assert done.code == 1 and "more than 100000 cells" in done.text, done.text
    grades = RULESET + "".join(f'grade "G{i}" when every share is at most {i}pp short\n' for i in range(30)) + \
        'grade "Sist" otherwise\n'
    done = run("check", project(tmp_path / "g", grades), seconds=20)
    assert done.code == 1 and "a grade scale has at most 20" in done.text, done.text


EXPORTED_SECOND = [
    ("an origin target of a huge number", lambda d: _first_indicator(d).update(
        origin=[["target", "p", "1e40000000|percent"]])),
    ("an origin target that is no number", lambda d: _first_indicator(d).update(origin=[["target", "p", "abc|pp"]])),
    ("an override of nothing", lambda d: _first_indicator(d).update(
        override={"type": "Override", "reason": "x", "outcome": None, "points": None})),
    ("too many grades", lambda d: d["ruleset"].update(grades=[
        {"type": "GradeRule", "name": f"G{i}", "selector": "share", "limit": "5"} for i in range(25)]
        + [{"type": "GradeRule", "name": "Sist", "selector": None, "limit": None}])),
]


@pytest.mark.parametrize("name, change", EXPORTED_SECOND, ids=[e[0] for e in EXPORTED_SECOND])
def test_an_exported_peer_is_held_to_the_compilers_limits_and_shapes(tmp_path, name, change):
    root = _exported(tmp_path, change)
    for form in ("text", "md", "html", "xlsx"):
        target = tmp_path / f"r.{form}"
        done = run("evaluate", root, "--format", form, "-o", target, seconds=20)
        assert done.code == 1 and "import-yaml" in done.text, (form, done.text)


@pytest.mark.parametrize("call, said", [("top2('styrelsen', q1)", "uses grupp as a name"),
                                        ("top2(staff, 'q1')", "uses fråga as a name"),
                                        ("top2(80%, q1)", "is given a number")])
def test_a_template_given_no_name_where_it_names_things_is_a_message(tmp_path, call, said):
    text = RULESET + ("template top2(grupp, fråga) = share(grupp, fråga, top2) >= 80%\n"
                      f"indicator 1.1.9 \"t\" {call} -> 1\n")
    done = run("check", project(tmp_path / "p", text))
    assert done.code == 1 and said in done.text, done.text


def test_points_from_a_param_of_texts_are_a_message(tmp_path):
    text = RULESET + ('entities orter: a "A", b "B"\nparam nivå = [a: "hög", b: "låg"]\n'
                      'each ort in orter:\n  indicator 1.1.* "{ort}" share(staff, q1, top2) >= 80% -> nivå\nend\n')
    done = run("check", project(tmp_path / "p", text))
    assert done.code == 1 and "holds a text here" in done.text, done.text


def test_markdown_holds_no_code_fence(tmp_path):
    folder = project(tmp_path / "p", _with(RULESET, 'association "Samordningsförbundet Test"', 'association "~~~"'),
                     good_data())
    done = run("evaluate", folder, "--format", "md")
    assert done.code == 0 and "~~~" not in done.out.decode() and "\\~\\~\\~" in done.out.decode()


def test_a_raw_file_listed_twice_is_refused_before_it_is_read_again(tmp_path, monkeypatch):
    from impactdsl.outcomes import tables

    entries = MANIFEST.split("  - path: register.csv")[0].split("files:\n")[1]
    manifest = "files:\n" + entries * 50 + "  - path: register.csv" + MANIFEST.split("  - path: register.csv")[1]
    folder = project(tmp_path / "p", RULESET, {**good_data(), "manifest.yaml": manifest})
    opened, real = [], tables.open_table
    monkeypatch.setattr(tables, "open_table", lambda path, *rest: (opened.append(path.name), real(path, *rest))[1])
    import impactdsl.outcomes.folder as readers
    monkeypatch.setattr(readers, "open_table", tables.open_table)
    done = run("evaluate", folder)
    assert done.code == 1 and done.text.count("is listed twice") == 49, done.text[-400:]
    assert opened.count("personal.csv") == 1
    many = "files:\n" + "".join(f"  - path: f{i}.csv\n    kind: survey\n    group: staff\n" for i in range(101))
    done = run("evaluate", project(tmp_path / "m", RULESET, {"manifest.yaml": many}))
    assert done.code == 1 and "more than the 100" in done.text, done.text[-400:]


def test_a_mapping_where_a_number_belongs_is_named_so(tmp_path):
    folder = project(tmp_path / "p", RULESET,
                     {"outcomes.yaml": "counts:\n  deltagare: {kvinnor: {män: {total: 1}}}\n"})
    done = run("evaluate", folder)
    assert done.code == 1 and "found a list or a mapping" in done.text and "ScalarNode" not in done.text, done.text


@pytest.mark.parametrize("old, new, said", [
    ("indicator 1.1.4 ", "indicator 1.1.* ", "numbered by an each block"),
    ("minimum n 3", "minimum n 0", "minimum n is at least 1"),
])
def test_what_compiles_also_exports_and_imports(tmp_path, old, new, said):
    done = run("check", project(tmp_path / "p", _with(RULESET, old, new)))
    assert done.code == 1 and said in done.text, done.text


def test_a_tiny_rounding_step_survives_export_and_import(tmp_path):
    text = _with(RULESET, "rounding half-up to 1%", "rounding half-up to 0.000000000000001%")
    folder = project(tmp_path / "p", text, good_data())
    exported = tmp_path / "peer.yaml"
    assert run("export", folder, "--yaml", "-o", exported).code == 0
    assert run("check", exported).code in (0, 1) and "import-yaml" not in run("check", exported).text
