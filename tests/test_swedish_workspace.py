"""The problems found while a ruleset is found, read, imported and pinned (workspace.py), counted
and measured before it is parsed (parse/parser.py's limits), and checked against its data
(impactdsl.check_data) are written in Swedish as well as in English: a methodologist with a Swedish
locale reads what is wrong, where, and what to do in Swedish. And the live page (serve.py) shows a
broken ruleset's diagnostics in the language it is served in."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

import impactdsl
from impactdsl import workspace
from impactdsl.core.diagnostics import Said
from impactdsl.core.limits import Limits

HEADER = 'ruleset "r"\n'

TWO = """ruleset "Två"
index "Index"
fact a percent "a"
fact b percent "b"
area 1 "A"
goal 1.1 "G"
indicator 1.1.1 "Minst 50 %." a >= 50% -> 1
indicator 1.1.2 "Minst 50 %." b >= 50% -> 1
"""


def _ruleset(folder: Path, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        (folder / "ruleset.impact").write_bytes(text)
    else:
        (folder / "ruleset.impact").write_text(text, encoding="utf-8")
    return folder


def _checked(folder: Path, allow=()) -> list:
    return impactdsl.check(folder, allow)[1]


def _compiled(folder: Path, **limits) -> list:
    return workspace.compile_file(folder / "ruleset.impact", limits=Limits(**limits))[1]


# ---- how each problem is provoked -------------------------------------------------------------

def missing(tmp: Path):
    return _checked(tmp / "finns-inte")


def empty_folder(tmp: Path):
    (tmp / "tom").mkdir()
    return _checked(tmp / "tom")


def not_utf8(tmp: Path):
    return _checked(_ruleset(tmp / "r", 'ruleset "V\xe4ster\xe5s"\n'.encode("latin-1")))


def too_many_statements(tmp: Path):
    return _compiled(_ruleset(tmp / "r", HEADER + 'count a "a"\ncount b "b"\n'), statements=1)


def too_many_tokens(tmp: Path):
    return _compiled(_ruleset(tmp / "r", HEADER + 'count a "a"\ncount b "b"\n'), tokens=3)


def no_such_import(tmp: Path):
    return _checked(_ruleset(tmp / "egen", HEADER + 'import "grannen" as grannen\n'))


def absolute_import(tmp: Path):
    return _checked(_ruleset(tmp / "egen", HEADER + 'import "/etc/grannen" as grannen\n'))


def outside_import(tmp: Path):
    _ruleset(tmp / "utanför", HEADER)
    _ruleset(tmp / "egen" / "peer", HEADER + 'import "../../utanför" as p\n')
    return _checked(_ruleset(tmp / "egen", HEADER + 'import "peer" as q\n'))


def beside_import(tmp: Path):
    _ruleset(tmp / "egen" / "utanför", HEADER)
    _ruleset(tmp / "egen" / "peer", HEADER + 'import "utanför" as p\n')
    return _checked(_ruleset(tmp / "egen", HEADER + 'import "peer" as q\n'))


def cycle(tmp: Path):
    return _checked(_ruleset(tmp / "egen", HEADER + 'import "ruleset.impact" as själv\n'))


def too_many_imports(tmp: Path):
    _ruleset(tmp / "egen" / "grannen", HEADER)
    folder = _ruleset(tmp / "egen", HEADER + 'import "grannen" as a\nimport "grannen" as b\n')
    return _compiled(folder, imports=1)


def broken_yaml_import(tmp: Path):
    folder = _ruleset(tmp / "egen", HEADER + 'import "förra.yaml" as förra\n')
    (folder / "förra.yaml").write_bytes(b"format: \xff\xfe\n")
    return _checked(folder)


def _locked(tmp: Path, lock: str) -> list:
    _ruleset(tmp / "egen" / "grannen", HEADER)
    folder = _ruleset(tmp / "egen", HEADER + 'import "grannen" as grannen\n')
    (folder / "ruleset.lock").write_text(lock, encoding="utf-8")
    return _checked(folder)


def lock_without_the_import(tmp: Path):
    return _locked(tmp, "imports: {}\n")


def lock_of_other_content(tmp: Path):
    return _locked(tmp, 'imports:\n  grannen: {path: "grannen", sha256: "' + hashlib.sha256(b"x").hexdigest() + '"}\n')


def lock_of_another_shape(tmp: Path):
    return _locked(tmp, "imports: [grannen]\n")


def lock_not_utf8(tmp: Path):
    _ruleset(tmp / "egen", HEADER)
    (tmp / "egen" / "ruleset.lock").write_bytes(b"imports: \xff\xfe\n")
    return _checked(tmp / "egen")


def identity_number(tmp: Path):
    return _checked(_ruleset(tmp / "r", HEADER + 'indicator 1.1.3 "Rapport" rapport = yes -> 8501011234\n'))


def identity_in_a_text(tmp: Path):
    return _checked(_ruleset(tmp / "r", 'ruleset "Anna 850101-1234"\n'))


def long_number(tmp: Path):
    return _checked(_ruleset(tmp / "r", HEADER + 'indicator 1.1.3 "Rapport" rapport = yes -> 1000000000000000\n'))


def deep_brackets(tmp: Path):
    return _checked(_ruleset(tmp / "r", HEADER + 'indicator 1.1.1 "x" ratio(' + "(" * 49 + "a" + ")" * 50
                             + ", b) >= 40% -> 2\n"))


def long_computation(tmp: Path):
    return _checked(_ruleset(tmp / "r", HEADER + 'fact a number "a"\nparam p = ' + " + ".join(["a"] * 50) + "\n"))


def absent_figure(tmp: Path):
    folder = _ruleset(tmp / "r", TWO)
    (folder / "data").mkdir()
    (folder / "data" / "outcomes.yaml").write_text("facts:\n  a: 60%\n", encoding="utf-8")
    ruleset, problems = impactdsl.check(folder)
    assert ruleset is not None, impactdsl.render_problems(problems, "en")
    return impactdsl.check_data(ruleset, folder / "data")


# (how, code, words the Swedish message holds, words the Swedish hint holds or None: no hint)
CASES = [
    (missing, "ruleset-missing", ["det finns ingen fil eller mapp", "finns-inte"], ["kontrollera sökvägen", "regelverk"]),
    (empty_folder, "ruleset-missing", ["mappen", "har ingen ruleset.impact"], ["ange en .impact-fil", "mapp"]),
    (not_utf8, "ruleset-encoding", ["är inte text i UTF-8"], ["spara regelverket som UTF-8", "svenska bokstäver"]),
    (too_many_statements, "ruleset-size", ["satser", "fler än de 1 ett regelverk får ha"], None),
    (too_many_tokens, "ruleset-size", ["ord, tal och tecken", "ett regelverk får ha"], ["är det rätt fil?"]),
    (no_such_import, "import", ["det finns inget regelverk 'grannen'"],
     ["kontrollera namnet", 'importera "../NAMN" som']),
    (absolute_import, "import", ["importen '/etc/grannen' är en absolut sökväg"], ["regelverkets mapp", "--allow"]),
    (outside_import, "import", ["ligger utanför de mappar", "importerade regelverket"],
     ["annat förbunds regelverk", "--allow MAPP"]),
    (beside_import, "import", ["ligger bredvid det här regelverkets mapp"], ["lägg till --allow"]),
    (cycle, "import-cycle", ["importerna går runt i en cirkel"], ["kan inte importera"]),
    (too_many_imports, "import-limit", ["2 importer; högst 1 läses"], ["importera färre regelverk"]),
    (broken_yaml_import, "import-yaml", ["kan inte importeras", "den är inte text i UTF-8"],
     ["importera en fil som `impactdsl export` har skrivit"]),
    (lock_without_the_import, "lock", ["importen 'grannen' (grannen) finns inte i", "ruleset.lock"],
     ["granska den och kör `impactdsl lock REGELVERK`"]),
    (lock_of_other_content, "lock", ["har ändrats sedan den låstes"], ["se vad som har ändrats", "för att godta det"]),
    (lock_of_another_shape, "lock", ["är inte en låsfil som impactdsl kan läsa", "den listar inte importerna"],
     ["ta bort den och kör"]),
    (lock_not_utf8, "lock", ["ruleset.lock är inte text i UTF-8"], ["ta bort den och kör"]),
    (identity_number, "identity", ["ser ut som ett personnummer", "nämner ingen person"],
     ["skriv talet som rapporten skriver det"]),
    (identity_in_a_text, "identity", ["innehåller något som ser ut som ett personnummer", "######"],
     ["nämner ingen person", "ta bort numret"]),
    (long_number, "number-size", ["det här talet har fler än 15 siffror"], ["skriv talet som rapporten"]),
    (deep_brackets, "syntax-depth", ["parenteser i mer än 40 nivåer"], ["mindre steg", "en mall"]),
    (long_computation, "syntax-depth", ["en uträkning med fler än 40 räknetecken"], ["summa(NAMN över LISTA)"]),
    (absent_figure, "data-absent", ["1.1.2 kan inte bedömas"], ["ange uppgiften i datamappen"]),
]


@pytest.mark.parametrize("how, code, message, hint", CASES, ids=[c[0].__name__ for c in CASES])
def test_the_problem_is_said_in_swedish_too(tmp_path, how, code, message, hint):
    problems = how(tmp_path)
    found = [d for d in problems if d.code == code]
    assert found, impactdsl.render_problems(problems, "en")
    d = found[0]
    assert all(words in d.message.sv for words in message), d.message
    assert d.message.sv != d.message.en
    if hint is None:
        assert d.hint is None
    else:
        assert d.hint is not None and all(words in d.hint.sv for words in hint), d.hint
        assert d.hint.sv != d.hint.en
    assert all(note.sv != note.en for note in d.notes)
    shown = impactdsl.render_problems([d])                      # Swedish unless English is asked for
    assert f"[{code}]: {d.message.sv}" in shown and (hint is None or f"tips: {d.hint.sv}" in shown)
    assert d.message.en in impactdsl.render_problems([d], "en")


def test_the_cases_cover_the_codes_of_these_files():
    assert len({code for _, code, _, _ in CASES}) >= 6


def test_a_number_too_long_is_said_in_both_languages_and_plain_english_stays_english():
    said = Limits().number_message()
    assert isinstance(said, Said)
    assert said.sv.startswith("det här talet har fler än 15 siffror")
    assert said.en == "this number has more than 15 digits, more than any number impactdsl reads"
    named = Limits().number_message(Said("talet på rad 3", "the number on line 3"))
    assert named.sv.startswith("talet på rad 3 har") and named.en.startswith("the number on line 3 has")
    assert Limits().number_message("this number") == said.en          # a caller not yet written in Swedish


def test_a_missing_pdf_engine_is_said_in_swedish_too(monkeypatch):
    from impactdsl.render.output import missing_extra

    monkeypatch.setitem(sys.modules, "weasyprint", None)                # as if not installed
    said = missing_extra("pdf")
    assert "WeasyPrint" in said.sv and "inte är installerat" in said.sv
    assert said.en == "a PDF is made by WeasyPrint, the optional extra 'pdf', which is not installed or cannot load"
    assert missing_extra("html") is None


def test_the_live_page_shows_the_diagnostics_in_its_language(tmp_path):
    from impactdsl.serve import Live

    folder = _ruleset(tmp_path / "egen", HEADER + 'import "grannen" as grannen\n')
    page = Live(str(folder)).page().decode("utf-8")
    assert '<html lang="sv">' in page and "<title>Regelverket har fel</title>" in page
    assert "fel[import]: det finns inget regelverk &#x27;grannen&#x27;" in page
    assert "tips: kontrollera namnet" in page and "there is no ruleset" not in page
    page = Live(str(folder), lang="en").page().decode("utf-8")
    assert '<html lang="en">' in page and "<title>The ruleset has errors</title>" in page
    assert "error[import]: there is no ruleset &#x27;grannen&#x27;" in page
    assert "hint: check the name" in page and "det finns inget regelverk" not in page
