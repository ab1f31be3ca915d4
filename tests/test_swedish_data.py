"""Problems with the year's data are said in Swedish too, not only in English: a bad data folder,
survey export, register, aggregated YAML, Kolada file or impactdsl.toml gives a message and a hint
whose Swedish holds the words a methodologist reads (datafilen, kolumn, rad, rubrikraden, svar,
skala, ...) and differs from the English — and, as in English, never a raw cell or identity number."""

from __future__ import annotations

from pathlib import Path

import pytest

import impactdsl
from impactdsl.cli import main
from impactdsl.read import config, files

from .conftest import compile_text
from .test_raw_data import REGISTER, REGISTER_SPEC, RULESET, SURVEY_WIDE, WIDE, evaluate


def _survey(manifest=SURVEY_WIDE, content=WIDE):
    """A survey folder: (manifest, {file: content}); content None leaves the file out."""
    return manifest, ({} if content is None else {"personal.csv": content})


def _register(column: str, bad: str):
    lines = REGISTER.split("\n")
    header = lines[0].split(";")
    cells = lines[3].split(";")
    cells[header.index(column)] = bad
    lines[3] = ";".join(cells)
    return "files:\n" + REGISTER_SPEC, {"register.csv": "\n".join(lines)}


# (name, (manifest, files) of a raw data folder, code, words of the Swedish message, of the Swedish hint)
RAW = [
    ("missing file", _survey(SURVEY_WIDE.replace("personal.csv", "saknas.csv"), None), "data-file",
     ["datafilen", "saknas.csv", "finns inte"], ["sökvägen i manifestet", "manifestets mapp"]),
    ("missing column", _survey(SURVEY_WIDE.replace("respondent: Respondent", "respondent: Id")), "data-column",
     ["har ingen kolumn 'Id'", "svarandens id"], ["kända namn", "'Respondent'"]),
    ("duplicated column", _survey(content=WIDE.replace("Respondent;Kön;q1;q2", "Respondent;Kön;q1;Q1")),
     "data-column", ["kolumnen 'Q1' finns två gånger", "kolumn 3 och 4"], ["byt namn", "varje kolumn"]),
    ("empty file", _survey(content=""), "data-empty", ["är tom"], ["exportera filen igen", "rubrikrad"]),
    ("header only", _survey(content="Respondent;Kön;q1;q2\n"), "data-empty",
     ["har en rubrikrad men inga rader"], ["svar eller deltagare"]),
    ("ragged row", _survey(content=WIDE.replace("R3;K;Till liten del;Vet ej", "R3;K;Till liten del")),
     "data-ragged", ["rad 4 har 3 celler där rubrikraden har 4"], ["avgränsare inuti en cell"]),
    ("repeated respondent", _survey(content=WIDE.replace("R4;M", "R2;M")), "data-duplicate",
     ["rad 5 upprepar svarandens id från rad 3"], ["varje svarande svarar en gång", "ta bort den upprepade raden"]),
    ("binary file", _survey(content=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), "data-binary",
     ["är inte en texttabell", "binära data"], ["spara den som CSV"]),
    ("answer off the scale", _survey(content=WIDE.replace("R4;M;Till stor del;", "R4;M;Till stoor del;")),
     "unknown-answer", ["svaret 'Till stoor del' på q1 finns inte på skalan del", "1 gång, första gången på rad 5"],
     ["menade du 'Till stor del'?"]),
    ("identity column", _survey(SURVEY_WIDE.replace("respondent: Respondent", "respondent: Personnummer"),
                                WIDE.replace("Respondent;", "Personnummer;")), "data-identity",
     ["kolumnen 'Personnummer' innehåller personnummer", "vägrar läsa dem"], ["ta bort kolumnen", "innan du exporterar"]),
    ("identity cell", _survey(content=WIDE.replace("R1;", "19850101-1234;")), "data-identity",
     ["kolumnen 'Respondent' innehåller personnummer"], ["neutralt id för svarande"]),
    ("register birth year", _register("Födelseår", "nittio"), "data-type",
     ["rad 4: kolumnen för birth_year ('Födelseår') innehåller inte ett årtal som 1994"], ["skriv ett årtal som 1994"]),
    ("register end before start", _register("Slut", "2021-01-01"), "data-date",
     ["rad 4: inskrivningen slutar innan den börjar"], ["kolumnerna för start och slut"]),
    ("unknown register", ("files:\n" + REGISTER_SPEC.replace("register: reg", "register: regg"), {}), "unknown-name",
     ["okänt register 'regg'"], ["menade du 'reg'?"]),
    ("a file without kind", ("files:\n  - path: personal.csv\n", {}), "manifest",
     ["varje fil behöver 'kind: survey' eller 'kind: register'"], []),
    ("a path out of the folder", (SURVEY_WIDE.replace("path: personal.csv", "path: ../personal.csv"), {}), "manifest",
     ["sökvägen till en datafil", "inom datamappen"], ["relativt till manifestet", "utan '..'"]),
]


@pytest.mark.parametrize("name, folder, code, message, hint", RAW, ids=[case[0] for case in RAW])
def test_a_bad_raw_data_file_is_said_in_swedish(tmp_path, name, folder, code, message, hint):
    manifest, given = folder
    _, problems, _ = evaluate(tmp_path, manifest, given)
    found = [d for d in problems if d.code == code]
    assert found, impactdsl.render_problems(problems, "en")
    d = found[0]
    _said_in_swedish(d, message, hint)


# (name, aggregated YAML, code, words of the Swedish message, of the Swedish hint)
AGGREGATED = [
    ("answers more than n", "surveys:\n  staff:\n    q1: {n: 10, 'mycket stor': 4, stor: 4, liten: 1}\n",
     "data-count", ["svaren på q1 blir tillsammans 9, men n = 10"], ["n är antalet som svarade"]),
    ("no n", "surveys:\n  staff:\n    q1: {stor: 4}\n", "data-n",
     ["frågan q1 för staff har inget 'n'"], ["lägg till n: antalet som svarade på frågan"]),
    ("given twice", "counts:\n  deltagare: {total: 10, alla: 100}\n", "data-twice",
     ["deltagare anges två gånger"], ["det angavs först på"]),
    ("a fraction of people", "counts:\n  avslut: 4.9\n", "data-type", ["ett antal personer är ett heltal, inte ett bråktal"], []),
    ("not a number", "counts:\n  avslut: många\n", "data-type", ["här ska stå ett tal, men det står 'många'"], []),
    ("unknown group", "surveys:\n  stafff:\n    q1: {n: 10, stor: 4}\n", "unknown-group",
     ["okänd grupp 'stafff'"], ["menade du 'staff'?"]),
    ("unknown section", "count:\n  avslut: 4\n", "data-section", ["okänt avsnitt 'count'"], ["menade du 'counts'?"]),
    ("unknown answer", "surveys:\n  staff:\n    q1: {n: 10, störst: 4}\n", "unknown-answer",
     ["'störst' är varken ett svar eller en delmängd i skalan del"], []),
    ("not a mapping", "surveys:\n  staff: 12\n", "data-shape",
     ["gruppen staff ska vara en lista med rader 'namn: värde'"], []),
    ("broken YAML", "counts:\n  avslut: [4\n", "data-syntax", ["detta är inte giltig YAML"],
     ["kontrollera indraget"]),
    ("an alias", "counts:\n  avslut: &a 4\n  deltagare: *a\n", "data-alias", ["YAML-alias (*namn) är inte tillåtna"],
     ["skriv ut varje tal där det hör hemma"]),
    ("an identity number", "counts:\n  avslut: 198501011234\n", "data-identity",
     ["ser ut som ett personnummer", "vägrar läsa det"], ["aldrig någons personnummer"]),
]


@pytest.mark.parametrize("name, data, code, message, hint", AGGREGATED, ids=[case[0] for case in AGGREGATED])
def test_bad_aggregated_data_are_said_in_swedish(tmp_path, name, data, code, message, hint):
    ruleset, problems = compile_text(tmp_path, RULESET, data)
    assert ruleset is not None, impactdsl.render_problems(problems, "en")
    _, problems = impactdsl.load(tmp_path / "data", ruleset)
    found = [d for d in problems if d.code == code]
    assert found, impactdsl.render_problems(problems, "en")
    _said_in_swedish(found[0], message, hint)
    assert "198501011234" not in impactdsl.render_problems(problems, "sv")


def test_a_missing_data_folder_and_a_broken_kolada_file_are_said_in_swedish(tmp_path):
    ruleset, _ = compile_text(tmp_path, RULESET)
    _, problems = impactdsl.load(tmp_path / "saknas", ruleset)
    _said_in_swedish(_one(problems, "data-missing"), ["det finns ingen datamapp"], ["lägg årets utfallsfiler i data/"])

    rules = RULESET + "fact nöjdhet percent \"nöjdhet\"\n"
    (tmp_path / "k").mkdir()
    ruleset, problems = compile_text(tmp_path / "k", rules, "kolada:\n  - path: kolada.json\n    facts:\n"
                                     "      nöjdhet: {kpi: N00945, municipality: \"1860\"}\n")
    assert ruleset is not None, impactdsl.render_problems(problems, "en")
    (tmp_path / "k" / "data" / "kolada.json").write_text('{"values": [{"kpi": "N00945", "municipality": "1860", '
                                                         '"period": "2022", "values": [{"gender": "X"}]}]}')
    _, problems = impactdsl.load(tmp_path / "k" / "data", ruleset)
    _said_in_swedish(_one(problems, "data-kolada"), ["Kolada-filen", "har ett annat kön än T, K eller M", "(rad 1)"],
                     ["ladda ner filen igen"])


def test_a_bad_setting_in_impactdsl_toml_is_said_in_swedish(tmp_path):
    toml = tmp_path / config.CONFIG_FILE
    toml.write_text('lnag = "sv"\nformat = "pdff"\n', encoding="utf-8")
    _, problems = config.read(toml, ("html", "pdf"), ("sv", "en"))
    unknown, wrong = problems
    _said_in_swedish(unknown, ["'lnag' är inte en inställning i impactdsl.toml"], ["menade du 'lang'?"])
    _said_in_swedish(wrong, ["'format' har ett värde som den inte kan ha"], ["en av html, pdf"])
    toml.write_text("lang = \n", encoding="utf-8")
    _said_in_swedish(_one(config.read(toml, ("html",), ("sv", "en"))[1], "config"), ["är inte giltig TOML"],
                     ["skriv varje inställning som namn = värde"])


def test_what_the_file_system_says_is_said_in_swedish(tmp_path):
    assert files.explain(FileNotFoundError(2, "No such file")).sv == "finns inte"
    assert files.explain(ValueError("embedded null byte")).sv == "har ett NUL-tecken i namnet"
    with pytest.raises(files.FileProblem) as refused:
        files.open_regular(tmp_path)
    assert (refused.value.message.sv, refused.value.message.en) == ("är en mapp, inte en fil", "is a folder, not a file")
    with pytest.raises(files.FileProblem) as refused:
        files.read_bytes(_written(tmp_path / "stor.txt", b"x" * 11), 10)
    assert refused.value.too_large and refused.value.message.sv == "är 11 byte, mer än de 10 som tillåts här"
    (tmp_path / "data").mkdir()
    with pytest.raises(files.FileProblem) as refused:
        files.check_target(tmp_path / "data" / "rapport.html", folders=[tmp_path / "data"])
    assert "ligger i datamappen" in refused.value.message.sv and "regelverket" in refused.value.hint.sv


def test_the_command_line_shows_a_data_problem_in_swedish(tmp_path, capsys):
    _, problems, _ = evaluate(tmp_path, *_survey(content=WIDE.replace("R4;M", "R2;M")))
    assert [d.code for d in problems] == ["data-duplicate"]
    assert main(["evaluate", str(tmp_path), "--lang", "sv"]) == 1
    err = capsys.readouterr().err
    assert "fel[data-duplicate]" in err and "upprepar svarandens id från rad 3" in err
    assert "tips: varje svarande svarar en gång" in err and "repeats" not in err


def _said_in_swedish(d, message: list[str], hint: list[str]) -> None:
    assert d.message.sv != d.message.en, d.message
    for words in message:
        assert words in d.message.sv, (words, d.message.sv)
    if hint:
        assert d.hint is not None and d.hint.sv != d.hint.en, d.hint
        for words in hint:
            assert words in d.hint.sv, (words, d.hint.sv)
    for text in (d.message.sv, d.hint.sv if d.hint else ""):
        assert "19850101" not in text and "8501011234" not in text          # as in English: never a number


def _one(problems, code: str):
    found = [d for d in problems if d.code == code]
    assert len(found) == 1, impactdsl.render_problems(problems, "en")
    return found[0]


def _written(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
