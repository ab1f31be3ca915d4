"""Every keyword has a Swedish spelling that parses to the same syntax as the English one; `fmt`
keeps a file's spelling or converts it; a name that is a Swedish word stays a name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from impactdsl.core.source import Source
from impactdsl.parse import syntax as s
from impactdsl.parse.keywords import PHRASES
from impactdsl.parse.parser import grammar_text, parse
from impactdsl.parse.printer import format_source
from impactdsl.parse.spelling import spelling, translate

ROOT = Path(__file__).resolve().parent.parent
RULESETS = sorted(p for p in (ROOT / "rulesets").glob("*/ruleset.impact"))
EVERY_KEYWORD = ROOT / "tests" / "fixtures" / "svenska-nyckelord.impact"


def statements(text: str) -> tuple:
    document, problems = parse(Source("r.impact", text))
    assert document is not None, [p.message.en for p in problems]
    return document.statements


# Swedish as a methodologist writes it -> the same statement in English.
SAME = [
    ('regelverk "X"', 'ruleset "X"'),
    ("period 2023 föregående 2022", "period 2023 previous 2022"),
    ("avrundning halv-upp till 1%", "rounding half-up to 1%"),
    ("saknade data räknas bort ur maximum", "missing data excluded from maximum"),
    ("saknade data högst 10%", "missing data at most 10%"),
    ("totalt målindex 60", "total target index 60"),
    ("fakta budget tkr \"Budget\"", "fact budget tkr \"Budget\""),
    ("fakta rapport ja/nej", "fact rapport yes/no"),
    ("räkna avslut = reg där exited och kön i ['k'] per person",
     "count avslut = reg where exited and kön in ['k'] per person"),
    ('status nära "Nära" färg yellow när inom 5pp under målvärdet',
     'status nära "Nära" colour yellow when within 5pp below target'),
    ('status ingen "Ej bedömt" när inga data', 'status ingen "Ej bedömt" when no data'),
    ("betyg mål uppfyllt när alla uppfyllt", "grade goal uppfyllt when all uppfyllt"),
    ('betyg "God" när varje andel är högst 5pp efter', 'grade "God" when every share is at most 5pp short'),
    ('betyg "Svag" när minst 50% uppfyllt i poäng', 'grade "Svag" when at least 50% uppfyllt by points'),
    ('indikator 1.1.1 "I" andel(staff, q1, top2) >= 80% -> 2; bonus inom 5% av målvärdet -> 4',
     'indicator 1.1.1 "I" share(staff, q1, top2) >= 80% -> 2; bonus within 5% of target -> 4'),
    ('indikator 1.1.2 "J" antal(staff, q1, [\'Ja\']) mer än 3 -> 1',
     'indicator 1.1.2 "J" count(staff, q1, [\'Ja\']) more than 3 -> 1'),
    ('indikator 1.1.3 "K" deltagare -> 1 per styck upp till 5', 'indicator 1.1.3 "K" deltagare -> 1 each up to 5'),
    ('indikator 1.1.4 "L" minskning(föregående(u), u) minst 0.5% relativt -> 1',
     'indicator 1.1.4 "L" decrease(previous(u), u) at least 0.5% relative -> 1'),
    ('indikator 1.1.5 "M" r >= 1 -> 1; ändra för umeå ej uppnått eftersom "x"',
     'indicator 1.1.5 "M" r >= 1 -> 1; override for umeå missed because "x"'),
    ('för varje k i kommuner:\n  indikator 1.1.* "{k}" d[k] >= 1 -> 1\nslut',
     'each k in kommuner:\n  indicator 1.1.* "{k}" d[k] >= 1 -> 1\nend'),
    ('importera "../umea-2022" som umea', 'import "../umea-2022" as umea'),
    ("koppla fråga q1 till fråga1", "map question q1 to fråga1"),
]


@pytest.mark.parametrize("swedish, english", SAME, ids=[e.split()[0] + str(i) for i, (_, e) in enumerate(SAME)])
def test_a_swedish_statement_is_its_english_one(swedish, english):
    assert statements(swedish + "\n") == statements(english + "\n")


def test_names_that_are_swedish_words_stay_names():
    """A count called `andel`, a param called `mål`, points called `poäng`, a template's `antal`:
    a Swedish measure word is a keyword only before its bracket, and Swedish words are not reserved."""
    found = statements("param mål = 40%\ntemplate jämn(antal) = ratio(antal[kvinnor], antal) between 40% and 60%\n"
                       'indicator 1.1 "x" andel[insats] >= mål -> poäng\n')
    indicator = found[2]
    assert found[0].name == "mål" and found[1].parameters == ("antal",)
    assert indicator.rule.condition.measure == s.Ref("andel", "insats") and indicator.rule.points == s.Ref("poäng")


def test_the_briefs_line_parses_as_written():
    line = "share(staff, q3.2.4, ['mycket stor','stor']) >= 80% -> 2; bonus within 5% of target -> 4"
    rule = statements(f'indicator 3.2.4 "x" {line}\n')[0].rule
    assert rule.points == 2 and rule.clauses[0].points == 4


def test_every_swedish_spelling_is_in_the_grammar():
    """No phrase of the table is dead: each English word of it is one the grammar has."""
    grammar_words = set(re.findall(r'"([^"\s]*[a-z_][^"\s]*)"', grammar_text())) | \
        {"excluded from", "included in", "by points"}
    for english in PHRASES:
        assert all(word in grammar_words for word in english.split()) or english in grammar_words, english


def test_the_file_with_every_keyword_in_swedish_is_its_english_formatting():
    text = EVERY_KEYWORD.read_text(encoding="utf-8")
    english = format_source(parse(Source("r.impact", text))[0], Source("r.impact", text), "en")
    assert spelling(text) == "sv" and spelling(english) == "en"
    assert not re.search(r"\b(indikator|andel|målområde|när|eftersom)\b", english)
    assert statements(english) == statements(text)


@pytest.mark.parametrize("path", RULESETS, ids=[p.parent.name for p in RULESETS])
def test_a_bundled_ruleset_in_swedish_is_the_same_ruleset(path):
    """Each bundled ruleset, its keywords turned into Swedish: the same syntax; fmt keeps the
    Swedish; converted back it is the English formatting to the byte."""
    text = path.read_text(encoding="utf-8")
    source = Source(str(path), text)
    english = format_source(parse(source)[0], source, "en")
    swedish = translate(english, "sv")
    assert swedish != english and spelling(swedish) == "sv"
    assert statements(swedish) == statements(english)
    swedish_source = Source("sv.impact", swedish)
    assert format_source(parse(swedish_source)[0], swedish_source) == swedish
    assert format_source(parse(swedish_source)[0], swedish_source, "en") == english


def test_translation_leaves_names_texts_and_comments(tmp_path):
    text = ('# indicator share at least\nparam share_x = 5\n'
            'indicator 1.1 "indicator share at least" utfall >= share_x -> 2  # at least\n')
    swedish = translate(text, "sv")
    assert swedish == ('# indicator share at least\nparam share_x = 5\n'
                       'indikator 1.1 "indicator share at least" utfall >= share_x -> 2  # at least\n')


def test_fmt_keywords_flag(tmp_path):
    from impactdsl.cli import main

    ruleset = tmp_path / "ruleset.impact"
    ruleset.write_text('ruleset "X"\nindicator 1.1 "x" a >= 1 -> 2\n', encoding="utf-8")
    assert main(["fmt", "--keywords", "sv", str(ruleset)]) == 0
    assert ruleset.read_text(encoding="utf-8") == 'regelverk "X"\n\nindikator 1.1 "x"\n  a >= 1 -> 2\n'
    assert main(["fmt", str(ruleset)]) == 0                 # kept Swedish
    assert ruleset.read_text(encoding="utf-8").startswith('regelverk "X"')
    assert main(["fmt", "--keywords", "en", str(ruleset)]) == 0
    assert ruleset.read_text(encoding="utf-8") == 'ruleset "X"\n\nindicator 1.1 "x"\n  a >= 1 -> 2\n'


def test_the_language_page_lists_every_swedish_spelling():
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    for english, swedish in PHRASES.items():
        assert f"| `{english}` | `{swedish}` |" in page, english


# A keyword misspelt, or in a form the language does not have: "did you mean", in both languages.
MISSPELT = [
    ('indikatorr 1.1 "x" a >= 1 -> 2\n', "indikatorr", "indikator"),
    ('mål 1.1 "x"\nindikatorn 1.1.1 "x" a >= 1 -> 2\n', "indikatorn", "indikator"),
    ('indicatr 1.1 "x" a >= 1 -> 2\n', "indicatr", "indicator"),
    ('målområdet 1 "x"\n', "målområdet", "målområde"),
    ('regelverket "X"\n', "regelverket", "regelverk"),
]


@pytest.mark.parametrize("text, written, meant", MISSPELT, ids=[m[1] for m in MISSPELT])
def test_a_misspelt_keyword_gets_did_you_mean(text, written, meant):
    document, problems = parse(Source("r.impact", text))
    assert document is None and [p.code for p in problems] == ["syntax"]
    problem = problems[0]
    assert problem.hint.sv == f"menade du '{meant}'?" and problem.hint.en == f"did you mean '{meant}'?"
    assert f"oväntat '{written}'" in problem.message.sv and f"unexpected '{written}'" in problem.message.en
    assert problem.span.column == 1 and problem.span.end_column == 1 + len(written)


def test_expected_keywords_are_listed_in_the_readers_language_and_briefly():
    """After a complete statement, what may follow is a new statement: named by three of its
    keywords in the reader's language, not the thirty of both."""
    document, problems = parse(Source("r.impact", 'mål 1.1 "x" "y"\n'))
    message = problems[0].message
    assert "en ny sats ('indikator', 'mål', 'målområde', …)" in message.sv
    assert "a new statement ('indicator', 'goal', 'area', …)" in message.en
    assert "indicator" not in message.sv and "'indikator'" not in message.en
    assert len(message.sv) < 160 and len(message.en) < 160
