"""Generate raw outcome files for Umeå 2022 that add up to every published aggregate.

    python rulesets/umea-2022/generate_raw.py [--out DIR]

writes these files to DIR (default rulesets/umea-2022/raw/, created when
missing; a folder holding any other file is refused) and touches nothing else:

    personalenkat.csv              staff survey: wide, `;`, Windows-1252, a row per respondent
    deltagarenkat.xlsx   [Svar]    participants survey: long, a row per answer, with Kön
    styrelse_ssg_styrgrupper.csv   board, SSG and steering-group surveys: long, `,`, UTF-8 with BOM
    deltagarregister.xlsx [Deltagare]  participant register: a row per participant and enrolment
    forteckning.csv                member list of the board, SSG, steering groups and staff
    manifest.yaml                  the `files:` manifest, plus the facts and previous levels

Why: Samordningsförbundet Umeåregionen published only aggregates (n, top-two
counts, register counts per kön). An association's real inputs are the files
above: survey-tool exports and registers kept in Excel. These files are what
such exports look like — survey labels with stray case and spaces, blanks and
"Vet ej" where a question was not answered, respondents who did not state
kön, enrolments that ended in 2021 or started in 2023 — and they are built so
that every aggregate in data/outcomes.yaml comes out exactly:

    impactdsl evaluate rulesets/umea-2022 --data rulesets/umea-2022/raw

scores the same as the aggregated data. No number is typed here: the ruleset
and the aggregates are read with the package's own API (impactdsl.check and
impactdsl.load), so scales, labels, question texts, groups, municipalities and
the register conditions come from ruleset.impact and every count from
data/outcomes.yaml. Where the aggregates give only a subset count (top2: 75 of
n 95), the count is split over the subset's answers by a seeded draw and the
rest of n gets answers outside every listed set. Answer counts known only in
total (5 'mycket liten' to q4.2.1) are spread over women, men and those who
did not state kön within what each subgroup's own counts leave free.

The output is deterministic: one fixed seed, no clock, and XLSX files
re-zipped with fixed timestamps, sorted entries and fixed document dates, so
two runs give byte-identical files. Besides the standard library and the
impactdsl package of this checkout, it uses openpyxl (the XLSX files) and
PyYAML (to find the facts and previous sections of data/outcomes.yaml, which
the manifest copies as written, comments and all).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

import impactdsl
from impactdsl.compile.model import Question, RowCondition
from impactdsl.render.xlsx import workbook_bytes

SEED = 20221231
DOCUMENT_TIME = datetime.datetime(2023, 1, 31, 9, 0, 0)   # XLSX created/modified, and every zip entry

FILES = {
    "staff": "personalenkat.csv",
    "participants": "deltagarenkat.xlsx",
    "bodies": "styrelse_ssg_styrgrupper.csv",
    "register": "deltagarregister.xlsx",
    "members": "forteckning.csv",
}
MANIFEST = "manifest.yaml"
GENDER_CODES = {"kvinnor": "K", "män": "M"}     # subgroup key -> code written in the files
GENDER_VALUES = {code: key for key, code in GENDER_CODES.items()}
UNSTATED = None                                 # respondents or rows without kön (the rest of a total)


def gender_code(subgroup: str | None) -> str:
    return GENDER_CODES.get(subgroup, "")


# =============================================================================
# The aggregates, as the package reads them
# =============================================================================

def read_inputs():
    """The compiled ruleset and its outcomes; stops on any error the package reports."""
    ruleset, problems = impactdsl.check(HERE)
    outcomes = None
    if ruleset is not None and not impactdsl.has_errors(problems):
        outcomes, more = impactdsl.load(HERE / "data", ruleset)
        problems += more
    if ruleset is None or outcomes is None or impactdsl.has_errors(problems):
        sys.exit(impactdsl.render_problems(problems))
    return ruleset, outcomes


def survey_tallies(ruleset, outcomes) -> dict[str, dict[Question, dict]]:
    """group -> question -> subgroup (UNSTATED: everyone) -> Tally, in the data's order."""
    groups: dict = {}
    for (group, name, subgroup), tally in outcomes.surveys.items():
        groups.setdefault(group, {}).setdefault(ruleset.question(name), {})[subgroup] = tally
    return groups


def by_gender(outcomes, name: str) -> dict:
    """A count's {kvinnor, män, UNSTATED}: rows without kön make up the rest of the total."""
    total = int(outcomes.counts[(name, None, False)].value)
    out = {g: int(outcomes.counts[(name, g, False)].value) for g in GENDER_CODES
           if (name, g, False) in outcomes.counts}
    out[UNSTATED] = total - sum(out.values())
    if out[UNSTATED] < 0:
        raise ValueError(f"counts {name}: the subgroups add up to more than the total")
    return out


def register_counts(ruleset, register: str) -> dict[str, frozenset[RowCondition]]:
    return {c.name: frozenset(c.conditions) for c in ruleset.counts if c.register == register}


def check_coverage(ruleset, outcomes, surveys: dict) -> None:
    """Refuse data this generator would leave out of the raw files."""
    unknown_groups = set(surveys) - {"staff", "participants", "board", "ssg", "steering"}
    if unknown_groups:
        raise ValueError(f"outcomes.yaml has survey groups this generator does not write: {unknown_groups}")
    unregistered = {name for name, _, _ in outcomes.counts} - {c.name for c in ruleset.counts if c.register}
    if unregistered:
        raise ValueError(f"outcomes.yaml has counts without a register: {unregistered}")


# =============================================================================
# Survey answers: from the aggregates to one answer per respondent and question
# =============================================================================

def in_scale_order(question: Question, answers) -> tuple[str, ...]:
    return tuple(a for a in question.scale.answers if a in answers)


def seeded_split(total: int, members: tuple[str, ...], rng: random.Random) -> Counter:
    """`total` answers spread over `members` (positive first) by a seeded draw."""
    if total == 0 or not members:
        return Counter()
    weights = [rng.uniform(0.6, 1.4) * 0.75 ** index for index in range(len(members))]
    return Counter(rng.choices(members, weights, k=total))


def answer_columns(where: str, question: Question, total) -> list[tuple[tuple[str, ...], int]]:
    """The total's disjoint answer sets with their counts, then the rest of the scale with the rest of n."""
    listed = [(in_scale_order(question, answers), count) for answers, count in total.counts]
    seen: set[str] = set()
    for answers, _ in listed:
        if seen & set(answers):
            raise ValueError(f"{where}: overlapping answer sets are not supported")
        seen |= set(answers)
    rest = in_scale_order(question, set(question.scale.answers) - seen)
    left = total.n - sum(count for _, count in listed)
    if left < 0 or (not rest and left != 0):
        raise ValueError(f"{where}: the listed counts do not add up to n = {total.n}")
    return listed + [(rest, left)]


def partitions(where: str, question: Question, tallies: dict, columns: list) -> dict:
    """Per subgroup, then UNSTATED for the rest: (n, count per listed column or None where unknown)."""
    sets = [answers for answers, _ in columns[:-1]]
    parts = {}
    for subgroup, tally in tallies.items():
        if subgroup is UNSTATED:
            continue
        known = {in_scale_order(question, answers): count for answers, count in tally.counts}
        if set(known) - set(sets):
            raise ValueError(f"{where} [{subgroup}]: {set(known) - set(sets)} is not given in total")
        parts[subgroup] = (tally.n, [known.get(answers) for answers in sets])
    rest = [None if any(known[j] is None for _, known in parts.values())
            else count - sum(known[j] for _, known in parts.values())
            for j, (_, count) in enumerate(columns[:-1])]
    parts[UNSTATED] = (tallies[UNSTATED].n - sum(n for n, _ in parts.values()), rest)
    return parts


def place_unknown_counts(where: str, parts: dict, columns: list, rng: random.Random) -> tuple[dict, dict]:
    """Spread each set's count not known per subgroup over the partitions that do not know it,
    within each partition's room; what room is left goes to the rest of the scale."""
    room = {p: n - sum(k for k in known if k is not None) for p, (n, known) in parts.items()}
    for p, (n, known) in parts.items():
        if n < 0 or room[p] < 0 or any(k is not None and k < 0 for k in known):
            raise ValueError(f"{where}: the subgroup counts exceed the totals")
    cells = {p: list(known) for p, (_, known) in parts.items()}
    for j, (answers, count) in enumerate(columns[:-1]):
        free = [p for p in parts if cells[p][j] is None]
        left = count - sum(cells[p][j] for p in parts if cells[p][j] is not None)
        if left < 0:
            raise ValueError(f"{where}: the subgroup counts exceed the totals")
        for p in free:
            cells[p][j] = 0
        for _ in range(left):
            open_parts = [p for p in free if room[p] > 0]
            if not open_parts:
                raise ValueError(f"{where}: cannot place the {answers} answers")
            p = rng.choices(open_parts, [room[q] for q in open_parts])[0]
            cells[p][j] += 1
            room[p] -= 1
    return cells, room


def plan_question(group: str, question: Question, tallies: dict, rng: random.Random) -> dict[str | None, list]:
    """Per partition (subgroup key, or UNSTATED for the rest): the answers given, in scale order."""
    where = f"{group} {question.name}"
    columns = answer_columns(where, question, tallies[UNSTATED])
    parts = partitions(where, question, tallies, columns)
    cells, room = place_unknown_counts(where, parts, columns, rng)
    plan = {}
    for p in parts:
        drawn = Counter()
        for (answers, _), amount in zip(columns, cells[p] + [room[p]], strict=True):
            if amount and not answers:
                raise ValueError(f"{where}: no answer left outside the listed sets")
            drawn += seeded_split(amount, answers, rng)
        plan[p] = [a for a in question.scale.answers for _ in range(drawn[a])]
    return plan


class Respondent:
    def __init__(self, part):
        self.part = part                                   # subgroup key, or UNSTATED
        self.id = ""
        self.answers: dict[Question, tuple[str, str]] = {}  # (kind, answer key or 'vet ej')


def survey_respondents(group: str, questions: dict, rng: random.Random) -> list[Respondent]:
    """Respondents of one group, each with an answer, a 'vet ej' or a blank per question."""
    plans = {q: plan_question(group, q, tallies, rng) for q, tallies in questions.items()}
    # As many respondents per subgroup as its largest n; those without a stated
    # subgroup make up the rest, also for questions asked without a split.
    subs = list(dict.fromkeys(s for plan in plans.values() for s in plan if s is not UNSTATED))
    size = {s: max(len(plan[s]) for plan in plans.values() if s in plan) for s in subs}
    split = [len(plan[UNSTATED]) for plan in plans.values() if len(plan) > 1]
    whole = max((len(plan[UNSTATED]) for plan in plans.values() if len(plan) == 1), default=0)
    size[UNSTATED] = max(split + [whole - sum(size.values()), 0])
    people = [Respondent(s) for s in subs + [UNSTATED] for _ in range(size[s])]
    rng.shuffle(people)
    for question, plan in plans.items():
        members = {p: [x for x in people if x.part == p] for p in plan} if len(plan) > 1 else {UNSTATED: people}
        for part, answering in members.items():
            hand_out(question, plan[part], answering, rng)
    return people


def hand_out(question: Question, answers: list[str], people: list[Respondent], rng: random.Random) -> None:
    """The planned answers to `people`; the others get 'vet ej' or leave it blank."""
    given = [("answer", a) for a in answers]
    if len(people) < len(given):
        raise ValueError(f"{question.name}: more answers than respondents")
    unanswered = question.scale.unanswered
    for _ in range(len(people) - len(answers)):
        if unanswered and rng.random() < 0.4:
            given.append(("unanswered", unanswered[0]))
        else:
            given.append(("blank", ""))
    rng.shuffle(given)
    for person, cell in zip(people, given, strict=True):
        person.answers[question] = cell


def written(question: Question, cell: tuple[str, str], rng: random.Random, noisy: bool) -> str:
    """The answer as the survey tool wrote it: the label, now and then in other case or with stray spaces."""
    kind, value = cell
    if kind == "blank":
        return ""
    text = question.scale.label(value) if kind == "answer" else value.capitalize()
    if not noisy:
        return text
    roll = rng.random()
    if roll < 0.05:
        return text.lower()
    if roll < 0.08:
        return text.upper()
    if roll < 0.12:
        return text + " "
    if roll < 0.15:
        return " " + text
    if roll < 0.18 and " " in text:
        return text.replace(" ", "  ", 1)
    return text


# =============================================================================
# The five files
# =============================================================================

UNITS = ["Ungdomstorget", "Vuxentorget", "Samordningsteamet kranskommunerna"]


def staff_survey(questions: dict, rng: random.Random) -> tuple[list, dict]:
    people = survey_respondents("staff", questions, rng)
    header = ["Respondent", "Inskickad", "Verksamhet"] + [q.text for q in questions]
    start = datetime.datetime(2022, 10, 24, 8, 0)
    times = sorted(start + datetime.timedelta(minutes=rng.randrange(0, 21 * 24 * 60)) for _ in people)
    rows = [header]
    for number, (person, when) in enumerate(zip(people, times, strict=True), start=1):
        person.id = f"R{number:04d}"
        unit = rng.choices(UNITS, [5, 4, 3])[0]
        cells = [written(q, person.answers[q], rng, noisy=True) for q in questions]
        rows.append([person.id, when.strftime("%Y-%m-%d %H:%M"), unit] + cells)
    spec = {"path": FILES["staff"], "kind": "survey", "layout": "wide", "group": "staff",
            "respondent": "Respondent", "questions": {q.name: q.text for q in questions}}
    return rows, spec


def participant_survey(questions: dict, rng: random.Random) -> tuple[list, dict]:
    rows = [["Respondent", "Verksamhet", "Kön", "Fråga", "Svar"]]
    for number, person in enumerate(survey_respondents("participants", questions, rng), start=1):
        person.id = f"D{number:04d}"
        unit = rng.choices(UNITS, [4, 5, 3])[0]
        for q in questions:
            if person.answers[q][0] == "blank" and rng.random() < 0.5:
                continue                      # a skipped question: no row at all, or an empty answer
            rows.append([person.id, unit, gender_code(person.part), q.text,
                         written(q, person.answers[q], rng, noisy=rng.random() < 0.5)])
    spec = {"path": FILES["participants"], "sheet": "Svar", "kind": "survey", "layout": "long",
            "group": "participants", "respondent": "Respondent", "subgroup": "Kön", "values": GENDER_VALUES,
            "question_column": "Fråga", "answer_column": "Svar",
            "questions": {q.name: q.text for q in questions}}
    return rows, spec


BODY_NAMES = {"board": None, "ssg": "SSG", "steering": None}   # as each group is written; None: its text
BODY_PREFIX = {"board": "STY", "ssg": "SSG", "steering": "SG"}


def body_surveys(ruleset, surveys: dict, rng: random.Random) -> tuple[list, dict]:
    rows = [["Grupp", "Respondent", "Fråga", "Svar"]]
    for group, name in BODY_NAMES.items():
        shown = name or ruleset.find("groups", group).text
        for number, person in enumerate(survey_respondents(group, surveys[group], rng), start=1):
            person.id = f"{BODY_PREFIX[group]}{number:02d}"
            for q in surveys[group]:
                if person.answers[q][0] == "blank" and rng.random() < 0.5:
                    continue
                rows.append([shown, person.id, q.name, written(q, person.answers[q], rng, noisy=True)])
    spec = {"path": FILES["bodies"], "kind": "survey", "layout": "long", "group_column": "Grupp",
            "respondent": "Respondent", "question_column": "Fråga", "answer_column": "Svar"}
    return rows, spec


POSITIVE_EXITS = ["Arbete", "Studier", "Annan positiv lösning"]
OTHER_EXITS = ["Avbrott", "Flytt", "Sjukskrivning", "Föräldraledighet", "Annan orsak", "Aktivitetsersättning"]
MUNICIPALITY_WEIGHTS = {"umeå": 60, "vännäs": 10, "nordmaling": 8, "robertsfors": 8, "vindeln": 8, "bjurholm": 6}
REGISTER_COLUMNS = {"gender": "Kön", "birth_year": "Födelseår", "project": "Insats", "municipality": "Kommun",
                    "start": "Startdatum", "end": "Slutdatum", "exit_reason": "Avslutsorsak"}
EXITED = RowCondition("exited", "flag")


def exit_counts(ruleset, outcomes) -> tuple[dict, dict, dict, dict]:
    """Participants, exits, positive exits and positive exits per reason, each by kön.

    The counts are told apart by their conditions: none (everyone), `exited`,
    `exited and exit_reason in [...]`, and `exited and exit_reason = '...'` per reason."""
    counts = register_counts(ruleset, "deltagarregister")
    fields = {c.field for conditions in counts.values() for c in conditions if c.op != "flag"}
    if fields - set(REGISTER_COLUMNS):
        raise ValueError(f"the register conditions use fields without a column: {fields - set(REGISTER_COLUMNS)}")
    reason = {n: next((c for c in conditions if c.field == "exit_reason"), None) for n, conditions in counts.items()}
    everyone = next(n for n, conditions in counts.items() if not conditions)
    exited = next(n for n, conditions in counts.items() if conditions == {EXITED})
    positive = next(n for n, c in reason.items() if c and c.op == "in")
    singles = {c.values[0]: n for n, c in reason.items() if c and c.op == "="}
    if any(counts[n] != {EXITED, reason[n]} for n in [positive, *singles.values()]):
        raise ValueError("unexpected conditions on the exit reasons")
    if sorted(v.casefold() for v in reason[positive].values) != sorted(v.casefold() for v in singles):
        raise ValueError("the positive exit reasons are not the union of the single reasons")
    per_reason = {r[:1].upper() + r[1:]: by_gender(outcomes, n) for r, n in singles.items()}
    return by_gender(outcomes, everyone), by_gender(outcomes, exited), by_gender(outcomes, positive), per_reason


def register_records(total: dict, exits: dict, positives: dict, per_reason: dict,
                     rng: random.Random) -> list[tuple]:
    """(kön, exited or staying, exit reason) per enrolment in the period."""
    records = []
    for g, enrolled in total.items():
        if sum(counts[g] for counts in per_reason.values()) != positives[g]:
            raise ValueError(f"the positive exits per reason do not add up ({g or 'without kön'})")
        others, staying = exits[g] - positives[g], enrolled - exits[g]
        if others < 0 or staying < 0:
            raise ValueError("the register counts are not nested (exits > participants?)")
        for reason, counts in per_reason.items():
            records += [(g, "exited", reason)] * counts[g]
        records += [(g, "exited", rng.choice(OTHER_EXITS)) for _ in range(others)]
        records += [(g, "staying", None)] * staying
    return records


def random_date(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def municipality(rng: random.Random) -> str:
    return rng.choices(list(MUNICIPALITY_WEIGHTS), list(MUNICIPALITY_WEIGHTS.values()))[0]


def enrolment_in_period(record: tuple, year: int, towns: dict, rng: random.Random) -> list:
    """[kön, born, insats, kommun, start, end, reason]: an exit in the year, or an enrolment running in it."""
    g, category, reason = record
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    kommun = municipality(rng)
    young = rng.random() < 0.45
    insats = ("Ungdomstorget" if young else "Vuxentorget") if kommun == "umeå" \
        else f"Samordningsteam {towns[kommun]}"
    born = year - (rng.randint(17, 29) if young else rng.randint(30, 64))
    if category == "exited":
        end = random_date(rng, first, last)
        start = random_date(rng, max(end - datetime.timedelta(days=900), datetime.date(year - 3, 1, 1)), end)
    else:
        start = random_date(rng, datetime.date(year - 2, 6, 1), last)
        end = None
        if rng.random() < 0.2:                         # ended after the period, in the next year
            end = random_date(rng, max(start, datetime.date(year + 1, 1, 1)), datetime.date(year + 1, 6, 30))
            reason = rng.choice(POSITIVE_EXITS + OTHER_EXITS)
    return [g, born, insats, towns[kommun], start, end, reason]


def add_boundary_cases(rows: list, year: int) -> None:
    """A start on the period's last day, an exit on its first."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    next(row for row in rows if row[5] is None)[4] = last
    exit_row = next(row for row in rows if row[5] is not None and first <= row[5] <= last)
    exit_row[4], exit_row[5] = datetime.date(year - 1, 9, 12), first


def enrolment_outside(index: int, year: int, towns: dict, rng: random.Random) -> list:
    """An enrolment that must not count: ended before the period (even index) or started after it."""
    g = rng.choice(list(GENDER_CODES))
    kommun = municipality(rng)
    insats = rng.choice(["Ungdomstorget", "Vuxentorget"]) if kommun == "umeå" \
        else f"Samordningsteam {towns[kommun]}"
    born = year - rng.randint(18, 60)
    if index % 2 == 0:
        end = datetime.date(year - 1, 12, 31) if index == 0 else \
            random_date(rng, datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 30))
        start = random_date(rng, datetime.date(year - 3, 1, 1), end)
        reason = rng.choice(POSITIVE_EXITS + OTHER_EXITS)
    else:
        start = datetime.date(year + 1, 1, 1) if index == 1 else \
            random_date(rng, datetime.date(year + 1, 1, 2), datetime.date(year + 1, 5, 31))
        end = None if rng.random() < 0.6 else random_date(rng, start, datetime.date(year + 1, 6, 30))
        reason = rng.choice(POSITIVE_EXITS[:2] + OTHER_EXITS) if end else None
    return [g, born, insats, towns[kommun], start, end, reason]


def person_numbers(inside: list, outside: list, rng: random.Random) -> list[str]:
    """Neutral running numbers for inside + outside rows. Every third enrolment outside the
    period belongs to someone also enrolled in it: same number, birth year, insats and kommun."""
    rows = inside + outside
    order = list(range(len(rows)))
    rng.shuffle(order)
    numbers = [""] * len(rows)
    for number, index in enumerate(order, start=1):
        numbers[index] = f"P{number:05d}"
    taken: set[int] = set()
    for k, row in enumerate(outside[::3]):
        candidates = [i for i, other in enumerate(inside) if i not in taken
                      and other[0] == row[0] and not overlapping(other, row)]
        chosen = rng.choice(candidates)
        taken.add(chosen)
        numbers[len(inside) + 3 * k] = numbers[chosen]
        row[1:4] = inside[chosen][1:4]
    return numbers


def overlapping(a: list, b: list) -> bool:
    return not ((a[5] or datetime.date.max) < b[4] or (b[5] or datetime.date.max) < a[4])


def participant_register(ruleset, outcomes, rng: random.Random) -> tuple[list, dict]:
    year = ruleset.settings.period
    towns = {key.name: key.text for key in ruleset.keys if key.kind == "entities"}
    records = register_records(*exit_counts(ruleset, outcomes), rng)
    inside = [enrolment_in_period(record, year, towns, rng) for record in records]
    add_boundary_cases(inside, year)
    outside = [enrolment_outside(index, year, towns, rng) for index in range(14)]
    numbers = person_numbers(inside, outside, rng)
    table = sorted(([number, gender_code(row[0])] + row[1:] for number, row in zip(numbers, inside + outside)),
                   key=lambda row: (row[5], row[0]))
    header = ["Löpnr", "Kön", "Födelseår", "Insats", "Kommun", "Startdatum", "Slutdatum", "Avslutsorsak"]
    spec = {"path": FILES["register"], "sheet": "Deltagare", "kind": "register", "register": "deltagarregister",
            "values": GENDER_VALUES, "columns": REGISTER_COLUMNS}
    return [header] + table, spec


ORGANS = {  # organ value (from the ruleset's conditions) -> organisations its members come from
    "styrelse": ["Umeå kommun", "Vännäs kommun", "Nordmaling kommun", "Bjurholm kommun", "Vindeln kommun",
                 "Robertsfors kommun", "Region Västerbotten", "Försäkringskassan", "Arbetsförmedlingen"],
    "ssg": ["Umeå kommun", "Region Västerbotten", "Försäkringskassan", "Arbetsförmedlingen", "Kranskommunerna"],
    "styrgrupp": ["Umeå kommun", "Vännäs kommun", "Nordmaling kommun", "Region Västerbotten",
                  "Försäkringskassan", "Arbetsförmedlingen"],
    "personal": ["Umeå kommun", "Region Västerbotten", "Försäkringskassan", "Arbetsförmedlingen",
                 "Samordningsförbundet"],
}
ROLES = {"styrelse": ["Ordinarie", "Ersättare"], "ssg": ["Ledamot"], "styrgrupp": ["Ledamot"],
         "personal": ["Coach", "Handläggare", "Arbetsterapeut", "Socialsekreterare", "Studie- och yrkesvägledare",
                      "Arbetskonsulent", "Psykolog", "Sjuksköterska", "Samordnare"]}


def member_list(ruleset, outcomes, rng: random.Random) -> tuple[list, dict]:
    rows = [["Organ", "Organisation", "Uppdrag", "Kön"]]
    for name, conditions in register_counts(ruleset, "förteckning").items():
        (condition,) = conditions
        if (condition.field, condition.op) != ("organ", "="):
            raise ValueError(f"count {name}: expected organ = '...'")
        organ = condition.values[0]
        shown, kind = (organ if organ.isupper() else organ.capitalize()), organ.casefold()
        members = [[shown, rng.choice(ORGANS[kind]), rng.choice(ROLES[kind]), gender_code(g)]
                   for g, k in by_gender(outcomes, name).items() for _ in range(k)]
        rng.shuffle(members)
        rows += sorted(members, key=lambda row: row[1])
    spec = {"path": FILES["members"], "kind": "register", "register": "förteckning",
            "values": GENDER_VALUES, "columns": {"organ": "Organ", "gender": "Kön"}}
    return rows, spec


# =============================================================================
# Writing files
# =============================================================================

def csv_bytes(rows: list[list], delimiter: str, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(sheet: str, rows: list[list], widths: dict[str, float]) -> bytes:
    """An XLSX workbook, bold header, with fixed document dates, re-zipped with fixed entry times in sorted order."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(rows[0])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows[1:]:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for column, width in widths.items():
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    book.properties.creator = book.properties.lastModifiedBy = "Samordningsförbundet Umeåregionen"
    return workbook_bytes(book, DOCUMENT_TIME)


def yaml_text(value) -> str:
    """A YAML scalar: plain when safe, else a double-quoted (JSON) string."""
    text = str(value)
    if re.fullmatch(r"[A-Za-zÅÄÖåäö_][\wÅÄÖåäö.\- ]*", text) and text.strip() == text \
            and text.casefold() not in ("yes", "no", "true", "false", "on", "off", "null", "y", "n"):
        return text
    return json.dumps(text, ensure_ascii=False)


def yaml_entry(lead: str, key: str, value) -> list[str]:
    """`key: value` as YAML lines; a mapping in flow style when it fits on a line of 100."""
    if not isinstance(value, dict):
        return [f"{lead}{key}: {yaml_text(value)}"]
    flow = "{" + ", ".join(f"{yaml_text(k)}: {yaml_text(v)}" for k, v in value.items()) + "}"
    if len(f"{lead}{key}: {flow}") <= 100:
        return [f"{lead}{key}: {flow}"]
    return [f"{lead}{key}:"] + [f"      {yaml_text(k)}: {yaml_text(v)}" for k, v in value.items()]


def copied_sections(text: str, names: tuple[str, ...]) -> str:
    """The top-level sections `names` of a YAML text as written, comments and all."""
    keys = [key for key, _ in yaml.compose(text, Loader=yaml.SafeLoader).value]
    starts = [key.start_mark.index for key in keys] + [len(text)]
    chunks = [text[start:end].rstrip() for key, start, end in zip(keys, starts, starts[1:]) if key.value in names]
    return "\n\n".join(chunks) + "\n"


MANIFEST_HEADER = """\
# Raw outcome files for rulesets/umea-2022, written by ../generate_raw.py (do not edit;
# run the generator again). Consistent with every aggregate in ../data/outcomes.yaml:
#   impactdsl evaluate rulesets/umea-2022 --data rulesets/umea-2022/raw
# scores the same. The facts and previous levels below are copied from that file.

files:
"""


def manifest(specs: list[dict], copied: str) -> bytes:
    lines = []
    for spec in specs:
        for index, (key, value) in enumerate(spec.items()):
            lines += yaml_entry("  - " if index == 0 else "    ", key, value)
    return (MANIFEST_HEADER + "\n".join(lines) + "\n\n" + copied).encode("utf-8")


# =============================================================================
# The main program
# =============================================================================

def generate() -> tuple[dict[str, bytes], dict[str, int]]:
    """The five data files and the manifest (name -> content), and each data file's rows."""
    ruleset, outcomes = read_inputs()
    surveys = survey_tallies(ruleset, outcomes)
    check_coverage(ruleset, outcomes, surveys)
    rng = random.Random(SEED)
    staff, staff_spec = staff_survey(surveys["staff"], random.Random(rng.random()))
    participants, participants_spec = participant_survey(surveys["participants"], random.Random(rng.random()))
    bodies, bodies_spec = body_surveys(ruleset, surveys, random.Random(rng.random()))
    register, register_spec = participant_register(ruleset, outcomes, random.Random(rng.random()))
    members, members_spec = member_list(ruleset, outcomes, random.Random(rng.random()))
    outcomes_text = (HERE / "data" / "outcomes.yaml").read_text(encoding="utf-8-sig")
    contents = {
        FILES["staff"]: csv_bytes(staff, ";", "cp1252"),
        FILES["participants"]: xlsx_bytes("Svar", participants, {"A": 12, "B": 34, "C": 6, "D": 90, "E": 28}),
        FILES["bodies"]: b"\xef\xbb\xbf" + csv_bytes(bodies, ",", "utf-8"),
        FILES["register"]: xlsx_bytes("Deltagare", register,
                                      {"A": 10, "B": 6, "C": 11, "D": 34, "E": 14, "F": 12, "G": 12, "H": 24}),
        FILES["members"]: csv_bytes(members, ";", "utf-8"),
        MANIFEST: manifest([staff_spec, participants_spec, bodies_spec, register_spec, members_spec],
                           copied_sections(outcomes_text, ("facts", "previous"))),
    }
    tables = (staff, participants, bodies, register, members)
    return contents, {name: len(rows) - 1 for name, rows in zip(FILES.values(), tables, strict=True)}


def shown(path: Path) -> Path:
    try:
        return path.resolve().relative_to(ROOT)
    except ValueError:
        return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "raw",
                        help="folder to write (default: rulesets/umea-2022/raw)")
    out = parser.parse_args(argv).out
    ours = {*FILES.values(), MANIFEST}
    others = sorted(p.name for p in out.iterdir() if p.name not in ours) if out.is_dir() else []
    if others:
        parser.error(f"{out} holds files this generator does not write ({', '.join(others)}); "
                     "choose an empty or new folder")
    contents, rows = generate()
    out.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        (out / name).write_bytes(content)
    for name, count in rows.items():
        print(f"{shown(out) / name}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
