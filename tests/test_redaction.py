"""The redaction step as a property: a generated personnummer or samordningsnummer, in any of its
shapes, embedded anywhere in any user text — a ruleset text, a data cell, a header, a YAML key or
value, a sheet or file name, an argument — never survives into any output of any command: not on
stdout, not on stderr, not in a written report (an XLSX workbook is searched member by member)."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactdsl.core.redact import holds_identity, redact

from .hostile import MANIFEST, RULESET, WIDE, digits, good_data, project, readable, run


@st.composite
def identity_numbers(draw) -> str:
    year = draw(st.integers(1900, 2025))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28)) + draw(st.sampled_from([0, 60]))     # 60 more: a samordningsnummer
    last = draw(st.integers(0, 9999))
    century = draw(st.booleans())
    separator = draw(st.sampled_from(["", "-", "+", " "]))
    born = f"{year:04d}" if century else f"{year % 100:02d}"
    return f"{born}{month:02d}{day:02d}{separator}{last:04d}"


def _embed(text: str, identity: str, at: int) -> str:
    at = at % (len(text) + 1)
    return text[:at] + f" {identity} " + text[at:]


def _ruleset_text(old: str):
    def slot(identity: str, at: int):
        inner = old.split('"')[1]
        return RULESET.replace(old, old.replace(inner, _embed(inner, identity, at)), 1), good_data(), []
    return slot


def _data(file: str, old: str, extra_manifest: tuple[str, str] | None = None):
    def slot(identity: str, at: int):
        data = good_data()
        data[file] = data[file].replace(old, _embed(old, identity, at).strip(), 1)
        if extra_manifest:
            data["manifest.yaml"] = data["manifest.yaml"].replace(*extra_manifest)
        return RULESET, data, []
    return slot


def _file_name(identity: str, at: int):
    data = good_data()
    name = _embed("personal", identity, at).strip().replace(" ", "_") + ".csv"
    data["manifest.yaml"] = data["manifest.yaml"].replace("path: personal.csv", f"path: '{name}'")
    data[name] = data.pop("personal.csv")
    return RULESET, data, []


def _sheet_name(identity: str, at: int):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = _embed("Svar", identity, at).strip()[:31]
    for row in [line.split(";") for line in WIDE.strip().split("\n")]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = good_data()
    data.pop("personal.csv")
    data["personal.xlsx"] = buffer.getvalue()
    data["manifest.yaml"] = MANIFEST.replace("path: personal.csv", "path: personal.xlsx\n    sheet: Saknas")
    return RULESET, data, []


def _argument(identity: str, at: int):
    return RULESET, good_data(), ["explain-id", _embed("1.1.1", identity, at).strip()]


SLOTS = {
    "ruleset name": _ruleset_text('ruleset "Förbundet"'),
    "association": _ruleset_text('association "Samordningsförbundet Test"'),
    "area title": _ruleset_text('area 1 "Område A"'),
    "goal text": _ruleset_text('goal 1.1 "Mål ett"'),
    "indicator text": _ruleset_text('indicator 1.1.1 "Fråga ett"'),
    "note": _ruleset_text('note "en anteckning"'),
    "group text": _ruleset_text('group staff "personalen"'),
    "question text": _ruleset_text('question q1 scale del "Fråga ett"'),
    "answer cell": _data("personal.csv", "Till liten del;Vet ej"),
    "header": _data("personal.csv", "Respondent;Kön", ("respondent: Respondent", "respondent: Nummer")),
    "group value": _data("personal.csv", "R3;K", ("group: staff", "group_column: Respondent")),
    "register cell": _data("register.csv", "2022-01-15"),
    "YAML value": _data("manifest.yaml", "rapport: ja"),
    "YAML key": _data("manifest.yaml", "  rapport: ja"),
    "file name": _file_name,
    "sheet name": _sheet_name,
    "argument": _argument,
}

COMMANDS = [["check"], ["evaluate"], ["evaluate", "--format", "json"], ["evaluate", "--format", "md"],
            ["evaluate", "--format", "html", "-o", "{out}/r.html"], ["evaluate", "--format", "xlsx", "-o",
                                                                      "{out}/r.xlsx"],
            ["explain", "1.1.1"], ["explain", "1.1"], ["explain", "1"], ["export", "--yaml"], ["diff", "{self}"],
            ["lock"], ["fmt", "--check"]]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(identity=identity_numbers(), slot=st.sampled_from(sorted(SLOTS)), at=st.integers(0, 200))
def test_no_identity_number_survives_into_any_output_of_any_command(tmp_path, identity, slot, at):
    work = tmp_path / "work"
    shutil.rmtree(work, ignore_errors=True)
    ruleset, data, extra = SLOTS[slot](identity, at)
    folder = project(work / "förbund", ruleset, data)
    out = work / "out"
    out.mkdir()
    commands = [["explain", extra[1]]] if extra and extra[0] == "explain-id" else COMMANDS
    for command in commands:
        args = [a.replace("{out}", str(out)).replace("{self}", str(folder)) for a in command[1:]]
        done = run(command[0], folder, *args)
        shown = done.text + "".join(readable(p.read_bytes()) for p in out.iterdir())
        assert done.code in (0, 1, 2), (command, done.text)
        assert identity not in shown and digits(identity) not in shown, (slot, command, identity, shown[-1500:])


@pytest.mark.parametrize("separator", ["\u2212", "\ufe63", "\ufe58", "\uff0f", "\u2215", "\u00b7", "\u2027",
                                       "\u2043", "\u02d7", "\x7f", "\x80", "\x00", "\x1b"])
def test_an_identity_parted_by_any_dash_slash_dot_or_control_is_masked(separator):
    text = f"Anna 850101{separator}1234 deltog"
    assert holds_identity(text) and "850101" not in redact(text) and "1234" not in redact(text)
