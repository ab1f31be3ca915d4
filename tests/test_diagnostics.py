"""Every kind of problem a methodologist can make, and what impactdsl says about it.

Each table row is a small ruleset (or data file) and the diagnostic expected
for it: its code, where its caret points (line and column), a word of its
message and, where there is one, its hint. Rows are checked through the public
API only: `impactdsl.check(path)` for rulesets, `impactdsl.load(folder,
ruleset)` for outcome data, `impactdsl.render_problems(...)` for the text a
person sees.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

import impactdsl

# ---------------------------------------------------------------------------
# A small, valid ruleset head. Ruleset rows are appended to it; their expected
# line numbers count from the first line of the row's own text (line 1 = the
# first line after the prelude).
# ---------------------------------------------------------------------------

PRELUDE = """\
scale del: 'mycket stor' "Till mycket stor del", 'stor' "Till stor del",
           'liten' "Till liten del", 'inte alls' "Inte alls"
  subset top2 = ['mycket stor', 'stor']
group staff "personalen"
subgroups kön: kvinnor "kvinnor", män "män"
question q3.2.4 scale del "Den lokala samverkan har fungerat"
count avslut "avslut under året"
count deltagare "deltagare under året"
fact beskrivning yes/no "sammanfattande beskrivning presenterad"
param mål = 80%
template top2(grupp, fråga) = share(grupp, fråga, top2) >= 80%
area 1 "Samhällsnytta"
goal 1.1 "Genomströmning"
"""
PRELUDE_LINES = PRELUDE.count("\n")

# Two lines that are used in many rows: a valid indicator, and its id.
OK = 'indicator 1.1.1 "Genomströmning 40 %" ratio(avslut, deltagare) >= 40% -> 2'
GAP = "gap(share(staff[kvinnor], q3.2.4, top2), share(staff[män], q3.2.4, top2))"


class Case(NamedTuple):
    text: str | bytes          # the ruleset row (appended to PRELUDE unless prelude=False)
    code: str                  # Diagnostic.code
    line: int                  # line of the span, counted in `text`
    column: int                # column of the span (1-based)
    word: str                  # a word the message must hold
    hint: str | None = None    # a text the hint must hold (None: not checked)
    prelude: bool = True
    severity: str = "error"


def write_ruleset(tmp_path, case: Case):
    path = tmp_path / "ruleset.impact"
    if isinstance(case.text, bytes):
        path.write_bytes((PRELUDE.encode() if case.prelude else b"") + case.text)
    else:
        path.write_text((PRELUDE if case.prelude else "") + case.text, encoding="utf-8")
    return path


def offset(case: Case) -> int:
    return PRELUDE_LINES if case.prelude else 0


def the_one(problems, code):
    found = [d for d in problems if d.code == code]
    assert len(found) == 1, f"expected one '{code}' among:\n{impactdsl.render_problems(problems)}"
    return found[0]


def assert_case(problems, case: Case, line_offset: int):
    """The one diagnostic with the row's code on the row's line has the row's column, word and hint."""
    line = line_offset + case.line
    found = [d for d in problems if d.code == case.code and d.span is not None and d.span.line == line]
    assert len(found) == 1, \
        f"expected one '{case.code}' on line {line} among:\n{impactdsl.render_problems(problems)}"
    d = found[0]
    assert d.span is not None, d
    assert (d.span.line, d.span.column) == (line_offset + case.line, case.column), \
        impactdsl.render_problems([d])
    assert case.word in d.message.en, d.message
    if case.hint is not None:
        assert d.hint is not None and case.hint in d.hint.en, d.hint
    assert d.severity.value == case.severity


# ---------------------------------------------------------------------------
# Syntax
# ---------------------------------------------------------------------------

SYNTAX = [
    pytest.param(Case(
        OK.replace("-> 2", "->") + "\n"
        'indicator 1.1.2 "Avslut" ratio(avslut, deltagare) >= 50% -> 2\n',
        "syntax", 1, 73, "whole number", hint="-> POINTS"),
        id="missing-points-after-arrow"),
    pytest.param(Case(
        'indicator 1.1.1 ”Genomströmning” ratio(avslut, deltagare) >= 40% -> 2\n',
        "syntax", 1, 17, "text in quotes", hint='straight quotes "..."'),
        id="curly-quotes"),
    pytest.param(Case(
        'indicator 1.1.1 "Genomströmning" ratio(avslut, deltagare) >=',
        "syntax", 1, 61, "unexpected end of file", hint="-> POINTS"),
        id="cut-off-at-end-of-file"),
    pytest.param(Case(
        'scale janej: ja, nej\n',
        "syntax", 1, 14, "'ja'", hint=None),
        id="answer-key-without-quotes"),
    pytest.param(Case(
        "  subset topp = ['mycket stor', 'stort']\n",
        "syntax", 1, 3, "subset", hint=None),
        id="subset-outside-its-scale"),
]


@pytest.mark.parametrize("case", SYNTAX)
def test_syntax_errors(tmp_path, case):
    ruleset, problems = impactdsl.check(write_ruleset(tmp_path, case))
    assert ruleset is None
    assert_case(problems, case, offset(case))


def test_two_syntax_errors_are_both_reported_each_on_its_own_line(tmp_path):
    text = (
        OK.replace("-> 2", "->") + "\n"                                        # line 1: no points
        + 'indicator 1.1.2 "Avslut" ratio(avslut, deltagare) >= 50% -> 2\n'    # line 2: fine
        + 'indicator 1.1.3 ”Positiva” ratio(avslut, deltagare) >= 50% -> 2\n'  # line 3: curly quotes
    )
    path = write_ruleset(tmp_path, Case(text, "syntax", 0, 0, ""))
    ruleset, problems = impactdsl.check(path)
    assert ruleset is None
    assert [(d.code, d.span.line - PRELUDE_LINES) for d in problems] == [("syntax", 1), ("syntax", 3)]
    assert "straight quotes" in problems[1].hint.en


# ---------------------------------------------------------------------------
# Names: every kind of unknown name, each with "did you mean"
# ---------------------------------------------------------------------------

UNKNOWN = [
    pytest.param(Case(
        'question q3.2.5 scale dell "Fråga"\n',
        "unknown-name", 1, 23, "scale 'dell'", hint="did you mean 'del'"),
        id="scale"),
    pytest.param(Case(
        'indicator 1.1.1 "x" share(staf, q3.2.4, top2) >= 80% -> 2\n',
        "unknown-name", 1, 27, "group 'staf'", hint="did you mean 'staff'"),
        id="group"),
    pytest.param(Case(
        'indicator 1.1.1 "x" share(staff, q3.2.44, top2) >= 80% -> 2\n',
        "unknown-name", 1, 34, "question 'q3.2.44'", hint="did you mean 'q3.2.4'"),
        id="question"),
    # The caret underlines the whole answer list, which holds the misspelt answer.
    pytest.param(Case(
        "indicator 1.1.1 \"x\" share(staff, q3.2.4, ['mycket stor', 'stort']) >= 80% -> 2\n",
        "unknown-answer", 1, 42, "'stort'", hint="did you mean 'stor'"),
        id="answer-in-list"),
    pytest.param(Case(
        "indicator 1.1.1 \"x\" share(staff, q3.2.4, top3) >= 80% -> 2\n",
        "unknown-answer", 1, 42, "subset", hint="did you mean 'top2'"),
        id="subset"),
    pytest.param(Case(
        'indicator 1.1.1 "x" ratio(avslutt, deltagare) >= 40% -> 2\n',
        "unknown-name", 1, 27, "count 'avslutt'", hint="did you mean 'avslut'"),
        id="count"),
    pytest.param(Case(
        'indicator 1.1.1 "x" beskrivnin = yes -> 2\n',
        "unknown-name", 1, 21, "'beskrivnin'", hint="did you mean 'beskrivning'"),
        id="fact"),
    # The caret underlines the whole reference staff[kvinor].
    pytest.param(Case(
        'indicator 1.1.1 "x" share(staff[kvinor], q3.2.4, top2) >= 80% -> 2\n',
        "unknown-name", 1, 27, "subgroup or entity 'kvinor'", hint="did you mean 'kvinnor'"),
        id="subgroup-key"),
    pytest.param(Case(
        'indicator 1.1.1 "x" topp2(staff, q3.2.4) -> 2\n',
        "unknown-name", 1, 21, "template 'topp2'", hint="did you mean 'top2'"),
        id="template"),
    pytest.param(Case(
        OK + '\nbonus 1.1.2 "Nära målet" outcome(1.1.11) less than 5% from target -> 4\n',
        "unknown-name", 2, 26, "indicator '1.1.11'", hint="did you mean '1.1.1'"),
        id="indicator-in-outcome"),
    pytest.param(Case(
        'indicator 1.1.1 "x" ratio(avslut, deltagare) >= måll -> 2\n',
        "unknown-name", 1, 49, "name 'måll'", hint="did you mean 'mål'"),
        id="param"),
]


@pytest.mark.parametrize("case", UNKNOWN)
def test_unknown_names(tmp_path, case):
    ruleset, problems = impactdsl.check(write_ruleset(tmp_path, case))
    assert ruleset is None
    assert_case(problems, case, offset(case))


# ---------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------

DUPLICATES = [
    pytest.param(Case(
        OK + '\nindicator 1.1.1 "Samma id" ratio(avslut, deltagare) >= 50% -> 2\n',
        "duplicate", 2, 11, "1.1.1", hint="its own id"),
        id="indicator-id"),
    pytest.param(Case(
        'goal 1.1 "Samma mål igen"\n' + OK.replace("1.1.1", "1.1.9") + "\n",
        "duplicate", 1, 1, "1.1", hint=None),
        id="goal-id"),
    pytest.param(Case(
        'count avslut "avslut igen"\n',
        "duplicate", 1, 1, "count 'avslut'", hint="remove one"),
        id="count-declaration"),
    pytest.param(Case(
        "scale del: 'ja', 'nej'\n",
        "duplicate", 1, 1, "scale 'del'", hint="remove one"),
        id="scale-declaration"),
    pytest.param(Case(
        "scale janej: 'ja', 'nej', 'ja'\n",
        "duplicate", 1, 14, "'ja' appears twice", hint=None),
        id="answer-in-scale"),
    pytest.param(Case(
        "period 2022\nperiod 2023\n",
        "duplicate", 2, 1, "'period' is set twice", hint="first set on line 14"),
        id="setting"),
]


@pytest.mark.parametrize("case", DUPLICATES)
def test_duplicates(tmp_path, case):
    _, problems = impactdsl.check(write_ruleset(tmp_path, case))
    assert_case(problems, case, offset(case))


# ---------------------------------------------------------------------------
# Units, targets, overrides, cycles, templates
# ---------------------------------------------------------------------------

MEANING = [
    pytest.param(Case(
        'indicator 1.1.1 "x" share(staff, q3.2.4, top2) >= 80 -> 2\n',
        "unit", 1, 51, "percentage", hint="write 80%"),
        id="share-compared-with-plain-number"),
    pytest.param(Case(
        f'indicator 1.1.1 "x" {GAP} <= 5% relative -> 2\n',
        "unit", 1, 98, "percentage points", hint="write 5pp"),
        id="gap-compared-with-relative-percent"),
    # A decimal threshold: the hint must show the number as written, not as a fraction.
    pytest.param(Case(
        f'indicator 1.1.1 "x" {GAP} <= 2.5% relative -> 2\n',
        "unit", 1, 98, "percentage points", hint="write 2.5pp"),
        id="gap-hint-shows-decimal-as-written"),
    pytest.param(Case(
        'indicator 1.1.1 "x" beskrivning >= 1 -> 2\n',
        "unit", 1, 33, "yes/no", hint=None),
        id="yes-no-fact-compared-with-number"),
    pytest.param(Case(
        'indicator 1.1.1 "x" ratio(avslut, deltagare) within 5% of target -> 2\n',
        "target", 1, 46, "no target", hint="bonus clause"),
        id="within-target-without-target"),
    pytest.param(Case(
        OK + ' ; override met because ""\n',
        "override", 1, 76, "must say why", hint="override met because"),
        id="override-with-empty-reason"),
    pytest.param(Case(
        'indicator 1.1.1 "a" outcome(1.1.2) >= 40% -> 2\n'
        'indicator 1.1.2 "b" outcome(1.1.1) >= 40% -> 2\n',
        "cycle", 2, 21, "1.1.1 → 1.1.2 → 1.1.1", hint="does not use it back"),
        id="outcome-cycle"),
    pytest.param(Case(
        'indicator 1.1.1 "x" top2(staff) -> 2\n',
        "template", 1, 21, "takes 2 values", hint=None),
        id="template-too-few-values"),
    pytest.param(Case(
        'indicator 1.1.1 "x" top2(staff, q3.2.4, top2) -> 2\n',
        "template", 1, 21, "3 given", hint=None),
        id="template-too-many-values"),
    pytest.param(Case(
        'indicator 1.1.1 "x" ratio(avslut, deltagare) between 60% and 40% -> 2\n',
        "range", 1, 46, "between", hint=None),
        id="between-upside-down"),
    pytest.param(Case(
        'indicator 1.1.1 "x" beskrivning -> 1 each up to 4\n',
        "unit", 1, 21, "points per unit", hint=None),
        id="per-unit-on-yes-no"),
]


@pytest.mark.parametrize("case", MEANING)
def test_meaning_errors(tmp_path, case):
    ruleset, problems = impactdsl.check(write_ruleset(tmp_path, case))
    assert ruleset is None
    assert_case(problems, case, offset(case))


# ---------------------------------------------------------------------------
# Structure and planned weights (these rows carry their own head)
# ---------------------------------------------------------------------------

HEAD = 'count avslut\ncount deltagare\n'
ROW = 'indicator {id} "x" ratio(avslut, deltagare) >= 40% -> {points}\n'

STRUCTURE = [
    pytest.param(Case(
        HEAD + 'area 1 "A"\n' + ROW.format(id="1.1.1", points=2),
        "structure", 4, 11, "no goal above it", hint="goal N.N", prelude=False),
        id="indicator-before-any-goal"),
    pytest.param(Case(
        HEAD + 'goal 1.1 "G"\n',
        "structure", 3, 1, "no area above it", hint="area N", prelude=False),
        id="goal-before-any-area"),
    pytest.param(Case(
        HEAD + 'area 1 "A"\ngoal 2.1 "G"\n' + ROW.format(id="2.1.1", points=2),
        "structure", 4, 1, "does not start with 1.", hint="correct its id",
        prelude=False, severity="warning"),
        id="goal-id-not-under-its-area"),
    pytest.param(Case(
        HEAD + 'area 1 "A" weight 80%\ngoal 1.1 "G"\n' + ROW.format(id="1.1.1", points=5)
        + 'area 2 "B" weight 20%\ngoal 2.1 "G"\n' + ROW.format(id="2.1.1", points=15),
        "weight", 3, 1, "planned at 80 %", hint="at most 5 points apart",
        prelude=False, severity="warning"),
        id="planned-weight-far-from-actual"),
]


@pytest.mark.parametrize("case", STRUCTURE)
def test_structure(tmp_path, case):
    _, problems = impactdsl.check(write_ruleset(tmp_path, case))
    assert_case(problems, case, offset(case))


def test_planned_weight_within_five_points_is_fine(tmp_path):
    text = (HEAD + 'area 1 "A" weight 52%\ngoal 1.1 "G"\n' + ROW.format(id="1.1.1", points=5)
            + 'area 2 "B" weight 48%\ngoal 2.1 "G"\n' + ROW.format(id="2.1.1", points=5))
    ruleset, problems = impactdsl.check(write_ruleset(tmp_path, Case(text, "", 0, 0, "", prelude=False)))
    assert ruleset is not None
    assert problems == []


# ---------------------------------------------------------------------------
# Files that are no ruleset text, and brackets nested too deep
# ---------------------------------------------------------------------------

DEEP = 'indicator 1.1.1 "x" ratio(' + "(" * 49 + "avslut" + ")" * 50 + ", deltagare) >= 40% -> 2\n"
# Unbalanced ')' in a comment must not let a much deeper nesting past the guard.
DEEPER = "# :-) " + ")" * 1000 + "\n" + 'indicator 1.1.1 "x" ' + "increase(" * 1000 + "avslut, avslut" \
    + "), avslut" * 999 + ") >= 1 -> 2\n"

FILES = [
    pytest.param(Case(DEEP, "syntax-depth", 1, 66, "nested", hint="smaller steps"),
                 id="brackets-50-deep"),
    pytest.param(Case(DEEPER, "syntax-depth", 2, 21 + 9 * 40 + 8, "nested", hint="smaller steps"),
                 id="brackets-1000-deep-after-closing-brackets-in-a-comment"),
    pytest.param(Case('count a\ngroup b "personalen"\ngroup c "m\xe4n"\n'.encode("latin-1"),
                      "ruleset-encoding", 3, 1, "UTF-8", hint="save the ruleset as UTF-8", prelude=False),
                 id="not-utf-8"),
    pytest.param(Case(b'count a "\x00"\ncount b\n',
                      "ruleset-binary", 1, 1, "not a text file", prelude=False),
                 id="nul-byte"),
]


@pytest.mark.parametrize("case", FILES)
def test_files_and_depth(tmp_path, case):
    ruleset, problems = impactdsl.check(write_ruleset(tmp_path, case))   # never raises
    assert ruleset is None
    assert_case(problems, case, offset(case))


def test_missing_ruleset(tmp_path):
    ruleset, problems = impactdsl.check(tmp_path / "nothing-here")
    assert ruleset is None
    assert [d.code for d in problems] == ["ruleset-missing"]
    assert "nothing-here" in problems[0].message.en


# ---------------------------------------------------------------------------
# All problems of one file in one call, and how they are shown
# ---------------------------------------------------------------------------

MANY = (
    'indicator 1.1.1 "a" share(staf, q3.2.4, top2) >= 80% -> 2\n'               # 1 unknown group
    'indicator 1.1.2 "b" share(staff, q3.2.4, top2) >= 80 -> 2\n'               # 2 unit
    'indicator 1.1.3 "c" ratio(avslut, deltagare) >= 40% -> 2 ; override met because ""\n'  # 3
    'indicator 1.1.4 "d" top2(staff) -> 2\n'                                    # 4 template
    'indicator 1.1.1 "e" ratio(avslut, deltagare) >= 40% -> 2\n'                # 5 duplicate id
)


def test_all_problems_of_a_file_come_out_in_one_call(tmp_path):
    path = write_ruleset(tmp_path, Case(MANY, "", 0, 0, ""))
    ruleset, problems = impactdsl.check(path)
    assert ruleset is None
    found = sorted((d.span.line - PRELUDE_LINES, d.code) for d in problems)
    assert found == [(1, "unknown-name"), (2, "unit"), (3, "override"), (4, "template"),
                     (5, "duplicate")]


def test_render_problems_shows_place_line_and_caret(tmp_path):
    path = write_ruleset(tmp_path, Case(MANY, "", 0, 0, ""))
    _, problems = impactdsl.check(path)
    text = impactdsl.render_problems(problems, "en")
    for d in problems:
        assert f"{d.span.path}:{d.span.line}:{d.span.column}" in text
        assert d.span.path.endswith("ruleset.impact")
        assert d.snippet is not None and d.snippet in text
        assert f"{d.span.line} | {d.snippet}" in text
    # the caret stands under the culprit: 'staf' on line 1 of the rows
    lines = text.splitlines()
    at = lines.index(f"{PRELUDE_LINES + 1} | " + MANY.splitlines()[0])
    caret = lines[at + 1]
    assert caret.strip(" |") == "^^^^"
    assert caret.index("^") - caret.index("|") - 2 == MANY.index("staf")
    assert "= hint: did you mean 'staff'?" in text
    swedish = impactdsl.render_problems(problems)          # the library speaks Swedish unless asked
    assert "fel[unknown-name]" in swedish and "= tips: menade du 'staff'?" in swedish


# ---------------------------------------------------------------------------
# Outcome data, read through impactdsl.load(folder, ruleset)
# ---------------------------------------------------------------------------

DATA_RULESET = PRELUDE + """\
scale janej: 'ja' "Ja", 'nej' "Nej"
question q3.2.7 scale janej "Finns det en tillräcklig planering"
fact andel percent "andel i utanförskap"
indicator 1.1.1 "x" share(staff, q3.2.4, top2) >= 80% -> 2
"""


@pytest.fixture
def data_ruleset(tmp_path):
    folder = tmp_path / "rs"
    (folder / "data").mkdir(parents=True)
    (folder / "ruleset.impact").write_text(DATA_RULESET, encoding="utf-8")
    ruleset, problems = impactdsl.check(folder)
    assert ruleset is not None and problems == [], impactdsl.render_problems(problems)
    return folder, ruleset


DATA = [
    pytest.param(Case(
        "surveys:\n  staf:\n    q3.2.4: {n: 10, top2: 5}\n",
        "unknown-group", 2, 3, "'staf'", hint="did you mean 'staff'"),
        id="unknown-group"),
    pytest.param(Case(
        "surveys:\n  staff:\n    q3.2.44: {n: 10, top2: 5}\n",
        "unknown-question", 3, 5, "'q3.2.44'", hint="did you mean 'q3.2.4'"),
        id="unknown-question"),
    pytest.param(Case(
        "surveys:\n  staff:\n    q3.2.4: {n: 10, stort: 5}\n",
        "unknown-answer", 3, 21, "'stort'", hint="did you mean 'stor'"),
        id="unknown-answer-key"),
    # Answers may be keyed by their label as in the survey export ("Till stor del").
    pytest.param(Case(
        "surveys:\n  staff:\n    q3.2.4: {n: 10, Till stor dell: 5}\n",
        "unknown-answer", 3, 21, "'Till stor dell'", hint="did you mean 'Till stor del'"),
        id="unknown-answer-label"),
    pytest.param(Case(
        "surveys:\n  staff:\n    q3.2.4:\n      n: 10\n      top2: 5\n"
        "      by:\n        kvinor: {n: 5, top2: 3}\n",
        "unknown-subgroup", 7, 9, "'kvinor'", hint="did you mean 'kvinnor'"),
        id="unknown-subgroup"),
    pytest.param(Case(
        "surveys:\n  staff:\n    q3.2.7: {n: 10, ja: 12}\n",
        "data-count", 3, 13, "only n = 10", hint="more than n"),
        id="count-above-n"),
    pytest.param(Case(
        "surveys:\n  staff:\n    q3.2.4: {top2: 3}\n",
        "data-n", 3, 13, "no 'n'", hint="add n"),
        id="missing-n"),
    pytest.param(Case(
        "counts:\n  avslut: tio\n",
        "data-type", 2, 11, "'tio'", hint=None),
        id="count-not-a-number"),
    pytest.param(Case(
        "counts:\n  avslutt: 3\n",
        "unknown-name", 2, 3, "'avslutt'", hint="did you mean 'avslut'"),
        id="unknown-count"),
    pytest.param(Case(
        "facts:\n  andel: 12.8\n",
        "data-type", 2, 10, "percentage", hint="write the % sign"),
        id="percent-fact-without-percent-sign"),
    pytest.param(Case(
        "facts:\n  beskrivning: kanske\n",
        "data-type", 2, 16, "yes or no", hint=None),
        id="yes-no-fact-not-yes-or-no"),
    pytest.param(Case(
        "surveys:\n  staff:\n    q3.2.4: {n: 10, top2: 3\ncounts:\n  avslut: 3\n",
        "data-syntax", 4, 7, "not valid YAML", hint="indentation"),
        id="invalid-yaml"),
    pytest.param(Case(
        "previos:\n  andel: 3%\n",
        "data-section", 1, 1, "'previos'", hint="did you mean 'previous'"),
        id="unknown-section"),
]


@pytest.mark.parametrize("case", DATA)
def test_data_problems(data_ruleset, case):
    folder, ruleset = data_ruleset
    (folder / "data" / "outcomes.yaml").write_text(case.text, encoding="utf-8")
    _, problems = impactdsl.load(folder / "data", ruleset)
    d = the_one(problems, case.code)
    assert d.span.path.endswith("outcomes.yaml")
    assert_case(problems, case, 0)


def test_missing_data_folder(data_ruleset):
    folder, ruleset = data_ruleset
    outcomes, problems = impactdsl.load(folder / "no-such-data", ruleset)
    assert outcomes is None
    d = the_one(problems, "data-missing")
    assert "no-such-data" in d.message.en
    assert "--data" in d.hint.en


def test_all_data_problems_of_a_file_come_out_in_one_call(data_ruleset):
    folder, ruleset = data_ruleset
    (folder / "data" / "outcomes.yaml").write_text(
        "surveys:\n"
        "  staf:\n"                              # 2 unknown group
        "    q3.2.4: {n: 10, top2: 5}\n"
        "  staff:\n"
        "    q3.2.44: {n: 10, top2: 5}\n"        # 5 unknown question
        "    q3.2.7: {n: 10, ja: 12}\n"          # 6 count above n
        "counts:\n"
        "  avslut: tio\n"                        # 8 not a number
        "facts:\n"
        "  andel: 12.8\n",                       # 10 no % sign
        encoding="utf-8")
    _, problems = impactdsl.load(folder / "data", ruleset)
    assert sorted((d.span.line, d.code) for d in problems) == [
        (2, "unknown-group"), (5, "unknown-question"), (6, "data-count"), (8, "data-type"),
        (10, "data-type")]
    text = impactdsl.render_problems(problems)
    for d in problems:
        assert f"{d.span.path}:{d.span.line}:{d.span.column}" in text
        assert f"{d.span.line} | {d.snippet}" in text
    assert "  staf:\n  |   ^^^^\n" in text
