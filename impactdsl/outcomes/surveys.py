"""Survey exports → tallies in one pass, wide or long.

Answer labels match the question's scale whatever their case and spacing;
blank answers and the scale's `unanswered` labels ("vet ej") are kept apart
from n and counted for explain. Any other label is an error that lists each
unknown label with its count and first line, with "did you mean"."""

from __future__ import annotations

from collections import Counter, defaultdict

from impactdsl.compile import model as m
from impactdsl.core.diagnostics import Diagnostic, Said, did_you_mean, error
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.redact import redact
from impactdsl.core.source import Span
from impactdsl.outcomes.manifest import FileSpec
from impactdsl.outcomes.tables import Table, TableError, normalised, parse_date
from impactdsl.outcomes.tallies import Tally

BLANK = "(tomt)"
CHOSEN = ("1", "x", "ja", "yes", "true", "sant", "vald", "markerad", "selected", "checked")   # an option's cell
NOT_CHOSEN = ("", "0", "nej", "no", "false", "falskt", "ej vald", "inte vald", "ej markerad", "not selected",
              "unchecked")

# What a column is for, as a missing one is named ("has no column 'Kön' (subgroup)").
GROUP = Said("grupp", "group")
SUBGROUP = Said("undergrupp", "subgroup")
RESPONDENT = Said("svarandens id", "respondent id")
QUESTION = Said("fråga", "question")
ANSWER = Said("svar", "answer")
EACH_ONCE = Said("varje svarande svarar en gång; ta bort den upprepade raden",
                 "each respondent answers once; remove the repeated row")


def _times(count: int) -> Said:
    """'3 gånger' / '3 times'."""
    return Said(f"{count} {'gång' if count == 1 else 'gånger'}", f"{count} time{'s' if count != 1 else ''}")


def _rows(count: int) -> Said:
    """'3 rader' / '3 rows' (English says 'rows' of one too, as it always has)."""
    return Said(f"{count} {'rad' if count == 1 else 'rader'}", f"{count} rows")


class _Answers:
    """Answer matching for one scale: text → answer key, unanswered label, or None."""

    def __init__(self, scale: m.Scale):
        self.scale = scale
        self.keys = {}
        for answer, label in zip(scale.answers, scale.labels):
            self.keys[normalised(answer)] = answer
            self.keys[normalised(label)] = answer
        self.unanswered = {normalised(u): u for u in scale.unanswered}

    def classify(self, cell: str) -> tuple[str, str] | None:
        text = normalised(cell)
        if not text:
            return ("unanswered", BLANK)
        if text in self.keys:
            return ("answer", self.keys[text])
        if text in self.unanswered:
            return ("unanswered", self.unanswered[text])
        return None



class Unknown:
    """Names a file holds that the ruleset does not know, each with its count and first line.

    Memory stays bounded whatever the file holds: a name is kept at most
    `name_characters` long (no longer one can be a known name), and beyond
    `unknown_names` distinct names the rest are only counted."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.names: dict = {}                   # key -> [count, first line]
        self.more = 0                           # rows with a name beyond the kept ones

    def add(self, key, line: int, times: int = 1) -> None:
        entry = self.names.get(key)
        if entry is None:
            if len(self.names) >= self.limits.unknown_names:
                self.more += times
                return
            entry = self.names[key] = [0, line]
        entry[0] += times

    def __bool__(self) -> bool:
        return bool(self.names) or self.more > 0

    def items(self):
        return sorted(self.names.items(), key=lambda item: item[1][1])


def shown_name(cell: str, limits: Limits) -> str:
    """A cell as a name is reported: spaces squeezed, cut at the longest a name may be."""
    return " ".join(cell[:limits.name_characters + 1].split())[:limits.name_characters]


class SurveyTally:
    """Accumulates answers per (group, question, subgroup) from one file."""

    def __init__(self, ruleset: m.Ruleset, spec: FileSpec, table: Table, limits: Limits = DEFAULT):
        self.r = ruleset
        self.spec = spec
        self.table = table
        self.limits = limits
        self.answers: dict = defaultdict(Counter)          # (group, question, sub) -> Counter(key)
        self.unanswered: dict = defaultdict(Counter)
        self.unknown = Unknown(limits)                     # (question, label)
        self.unknown_groups = Unknown(limits)
        self.unknown_questions = Unknown(limits)
        self.matchers: dict[str, _Answers] = {}
        self.groups = {normalised(g.name): g.name for g in ruleset.groups} | \
            {normalised(g.text): g.name for g in ruleset.groups if g.text}
        self.subgroups = _subgroup_map(ruleset, spec)
        self.left_out = 0                                  # rows the manifest's `where` passed over
        self.texts: dict[str, str] = {}                    # question → its column's text, as the file says it
        self.codes = dict(spec.codes)                      # an answer written as a code → the answer
        self.separators = dict(spec.separators)
        self.chose: dict = defaultdict(Counter)            # a multiple question: (group, question, sub) ->
        self.chosen_by: Counter = Counter()                # Counter(answer or subset); and who chose any
        self.marks = set(CHOSEN) | ({normalised(spec.chosen)} if spec.chosen else set())
        self.unknown_marks = Unknown(limits)               # (question, column, cell) neither chosen nor not

    def kept(self):
        """The table's rows that the manifest's `where` keeps (every row without one), the rest counted."""
        t = self.table
        wanted = [(t.column(column, Said("filter (where)", "filter (where)")), normalised(value))
                  for column, value in self.spec.where]
        dates = dict(self.spec.dates)
        column = t.column(dates["column"], Said("filter (dates)", "filter (dates)")) if dates else None
        first, last = (parse_date(dates[k]) if k in dates else None for k in ("from", "to"))
        for line, cells in t.rows:
            day = parse_date(cells[column]) if column is not None else None
            in_period = column is None or (day is not None and (first is None or day >= first)
                                           and (last is None or day <= last))
            if in_period and all(normalised(cells[index]) == value for index, value in wanted):
                yield line, cells
            else:
                self.left_out += 1

    def matcher(self, question: m.Question) -> _Answers:
        if question.name not in self.matchers:
            self.matchers[question.name] = _Answers(question.scale)
        return self.matchers[question.name]

    def add(self, line: int, group: str, question: m.Question, subgroup: str | None, cell: str,
            times: int = 1) -> None:
        """Count `times` answers `cell` (the columnar reader passes counts, not rows)."""
        if question.multiple and normalised(cell):
            self.add_several(line, group, question, subgroup, cell, times)
            return
        if self.codes:
            cell = self.codes.get(normalised(cell), cell)
        found = self.matcher(question).classify(cell)
        if found is None:
            self.unknown.add((question.name, shown_name(cell, self.limits)), line, times)
            return
        kind, value = found
        table = self.answers if kind == "answer" else self.unanswered
        table[(group, question.name, None)][value] += times
        if subgroup is not None:
            table[(group, question.name, subgroup)][value] += times

    def add_several(self, line: int, group: str, question: m.Question, subgroup: str | None, cell: str,
                    times: int = 1) -> None:
        """`times` respondents' answers to a multiple question, in one cell each."""
        separator = self.separators.get(question.name, ";")
        chosen, unanswered = set(), None
        for part in (p for p in cell.split(separator) if p.strip()):
            part = self.codes.get(normalised(part), part) if self.codes else part
            found = self.matcher(question).classify(part)
            if found is None:
                self.unknown.add((question.name, shown_name(part, self.limits)), line, times)
            elif found[0] == "answer":
                chosen.add(found[1])
            else:
                unanswered = unanswered or found[1]
        self.count_chosen(group, question, subgroup, chosen, unanswered, times)

    def add_options(self, line: int, group: str, question: m.Question, subgroup: str | None,
                    options: list[tuple[str, int, str]], cells) -> None:
        """One respondent's answers to a multiple question written a column per answer: each cell
        says chosen (1, x, ja, the answer's own text, or the manifest's `chosen`) or not (blank, 0, nej)."""
        chosen = set()
        for answer, index, column in options:
            mark = normalised(cells[index])
            if mark in self.marks or self.matcher(question).keys.get(mark) == answer:
                chosen.add(answer)
            elif mark not in NOT_CHOSEN:
                self.unknown_marks.add((question.name, column, shown_name(cells[index], self.limits)), line)
        self.count_chosen(group, question, subgroup, chosen, None if chosen else BLANK)

    def count_chosen(self, group: str, question: m.Question, subgroup: str | None, chosen: set,
                     unanswered: str | None, times: int = 1) -> None:
        """Count `times` respondents of a multiple question who chose alike: each answer chosen once, each
        named subset of the scale once if any of its answers was; n counts each, if anything was chosen."""
        for key in [(group, question.name, None)] + ([(group, question.name, subgroup)] if subgroup else []):
            if chosen:
                self.chosen_by[key] += times
                for answer in chosen:
                    self.chose[key][frozenset({answer})] += times
                for _, subset in question.scale.subsets:
                    if subset & chosen:
                        self.chose[key][subset] += times
            elif unanswered is not None:
                self.unanswered[key][unanswered] += times

    def filter_words(self) -> str:
        """The manifest's filters as explain says them: 'Status = Slutförd, Inskickad 2022-01-01–2022-12-31'."""
        said = [f"{column} = {value}" for column, value in self.spec.where]
        dates = dict(self.spec.dates)
        if dates:
            said.append(f"{dates['column']} {dates.get('from', '')}–{dates.get('to', '')}")
        return redact(", ".join(said), self.limits.name_characters)     # the manifest's own words: shown

    def group_of(self, line: int, cells, column: int | None) -> str | None:
        if column is None:
            return self.spec.group
        raw = cells[column]
        group = self.groups.get(normalised(raw))
        if group is None:
            self.unknown_groups.add(shown_name(raw, self.limits), line)
        return group

    def subgroup_of(self, cells, column: int | None) -> str | None:
        return None if column is None else self.subgroups.get(normalised(cells[column]))

    def read(self) -> None:
        (self._wide if self.spec.layout == "wide" else self._long)()

    def _wide(self) -> None:
        t = self.table
        group_column = t.column(self.spec.group_column, GROUP) if self.spec.group_column else None
        subgroup_column = t.column(self.spec.subgroup, SUBGROUP) if self.spec.subgroup else None
        respondent = t.column(self.spec.respondent, RESPONDENT) if self.spec.respondent else None
        options = [(self.r.question(q), [(self._answer(q, a), t.column(c, Said(f"alternativet {a} till {q}",
                                                                              f"option {a} of {q}")), c)
                                         for a, c in columns]) for q, columns in self.spec.options]
        columns = self._question_columns(required=not options)
        self.texts = {q.name: text for q, index in columns if (text := self._text(index))}
        seen: dict[str, int] = {}
        for line, cells in self.kept():
            if respondent is not None:
                _once(seen, cells[respondent], line, t, RESPONDENT)
            group = self.group_of(line, cells, group_column)
            if group is None:
                continue
            subgroup = self.subgroup_of(cells, subgroup_column)
            for question, index in columns:
                self.add(line, group, question, subgroup, cells[index])
            for question, answers in options:
                self.add_options(line, group, question, subgroup, answers, cells)

    def _answer(self, question: str, option: str) -> str:
        """The answer an option of the manifest names, by its key or its label."""
        return self.matcher(self.r.question(question)).keys[normalised(option)]

    def _text(self, index: int) -> str:
        """A column's text as a question's wording: the file's own (an SPSS label), else a header the
        manifest maps (a question id as header is no wording); shown, so redacted."""
        t = self.table
        text = (t.texts[index] if t.texts else "") or (t.header[index] if self.spec.questions else "")
        return redact(text, self.limits.name_characters) if text else ""

    def _question_columns(self, required: bool = True) -> list[tuple[m.Question, int]]:
        """The questions answered in one column each: as the manifest maps them, else the columns named
        after question ids (one at least, unless the file's questions have a column per answer)."""
        t = self.table
        if self.spec.questions:
            return [(self.r.question(q), t.column(c, Said(f"frågan {q}", f"question {q}")))
                    for q, c in self.spec.questions]
        by_option = {q for q, _ in self.spec.options}
        found = [(q, t.find(q.name)) for q in self.r.questions if q.name not in by_option]
        found = [(q, i) for q, i in found if i is not None]
        if not found and required:
            raise TableError(error("data-column", Said(f"{t.shown} har ingen kolumn som heter som en fråga i "
                                                       "regelverket",
                                                       f"{t.shown} has no column named after a question of the "
                                                       "ruleset"), t.span(1),
                                   Said("döp kolumnerna efter frågornas id (q3.2.1), eller koppla dem till frågorna "
                                        "med 'questions:' i manifestet",
                                        "name the columns after the question ids "
                                        "(q3.2.1) or map them with 'questions:' in the manifest")))
        return found

    def _long(self) -> None:
        t = self.table
        group_column = t.column(self.spec.group_column, GROUP) if self.spec.group_column else None
        subgroup_column = t.column(self.spec.subgroup, SUBGROUP) if self.spec.subgroup else None
        respondent = t.column(self.spec.respondent, RESPONDENT) if self.spec.respondent else None
        question_column = t.column(self.spec.question_column, QUESTION)
        answer_column = t.column(self.spec.answer_column, ANSWER)
        mapped = {normalised(c): self.r.question(q) for q, c in self.spec.questions}
        questions = {normalised(q.name): q for q in self.r.questions}
        answered = _Answered(self.r.questions, t)
        for line, cells in self.kept():
            key = normalised(cells[question_column])
            question = mapped.get(key) or questions.get(key)
            if question is None:
                self.unknown_questions.add(shown_name(cells[question_column], self.limits), line)
                continue
            group = self.group_of(line, cells, group_column)
            if respondent is not None and cells[respondent]:
                answered.once(f"{group}\0{cells[respondent]}", question.name, line)
            if group is not None:
                self.add(line, group, question, self.subgroup_of(cells, subgroup_column), cells[answer_column])

    def problems(self) -> list[Diagnostic]:
        out = []
        for (question, label), (count, line) in self.unknown.items():
            scale = self.r.question(question).scale
            times = _times(count)
            out.append(error(
                "unknown-answer", Said(f"{self.table.shown}: svaret '{label}' på {question} finns inte på skalan "
                                       f"{scale.name} ({times.sv}, första gången på rad {line})",
                                       f"{self.table.shown}: the answer '{label}' to {question} is not on scale "
                                       f"{scale.name} ({times.en}, first on line {line})"),
                Span(self.table.path, line, 1),
                did_you_mean(label, list(scale.labels) + list(scale.answers) + list(scale.unanswered))
                or Said("svaren: " + ", ".join(scale.labels), "answers: " + ", ".join(scale.labels))))
        for label, (count, line) in self.unknown_questions.items():
            rows = _rows(count)
            out.append(error("unknown-question", Said(f"{self.table.shown}: frågan '{label}' finns inte i "
                                                      f"regelverket ({rows.sv}, den första på rad {line})",
                                                      f"{self.table.shown}: the question '{label}' is not in the "
                                                      f"ruleset ({rows.en}, first on line {line})"),
                             Span(self.table.path, line, 1),
                             did_you_mean(label, [q.name for q in self.r.questions])
                             or Said("koppla filens frågenamn till regelverkets frågor under questions: i manifestet",
                                     "map the file's question names under questions: in the manifest")))
        for label, (count, line) in self.unknown_groups.items():
            rows = _rows(count)
            out.append(error("unknown-group", Said(f"{self.table.shown}: gruppen '{label}' är inte deklarerad "
                                                   f"({rows.sv}, den första på rad {line})",
                                                   f"{self.table.shown}: the group '{label}' is not declared "
                                                   f"({rows.en}, first on line {line})"),
                             Span(self.table.path, line, 1),
                             did_you_mean(label, [g.name for g in self.r.groups])))
        for (question, column, label), (count, line) in self.unknown_marks.items():
            times, shown = _times(count), shown_name(column, self.limits)
            out.append(error(
                "unknown-answer", Said(f"{self.table.shown}: kolumnen '{shown}' (ett svar på {question}) innehåller "
                                       f"'{label}', som varken säger vald eller inte vald ({times.sv}, första "
                                       f"gången på rad {line})",
                                       f"{self.table.shown}: the column '{shown}' (an answer "
                                       f"of {question}) holds '{label}', which says neither chosen nor not chosen "
                                       f"({times.en}, first on line {line})"), Span(self.table.path, line, 1),
                Said("cellen för ett valt svar innehåller 1, x, ja eller svarets text, och för ett svar som inte "
                     "valts är den tom, 0 eller nej; ange filens eget ord för vald i manifestet: chosen: Markerad",
                     "a chosen answer's cell holds 1, x, ja or the answer's text, one not chosen is empty, 0 or nej; "
                     "name the file's own word for chosen in the manifest: chosen: Markerad")))
        more = self.unknown.more + self.unknown_questions.more + self.unknown_groups.more + self.unknown_marks.more
        if more:
            out.append(error("unknown-answer", Said(f"{self.table.shown}: ytterligare {more} rader innehåller svar, "
                                                    "frågor eller grupper som regelverket inte känner till (bara de "
                                                    f"första {self.limits.unknown_names} av varje slag listas)",
                                                    f"{self.table.shown}: {more} more rows hold answers, questions "
                                                    f"or groups the ruleset does not know (only the first "
                                                    f"{self.limits.unknown_names} of each kind are listed)"),
                             Span(self.table.path, 1, 1),
                             Said("är det här rätt fil, och är dess kolumner kopplade så som manifestet säger?",
                                  "is this the right file, and its columns mapped as the manifest says?")))
        return out

    def tallies(self) -> dict:
        out = {}
        said = self.filter_words()
        for key in set(self.answers) | set(self.unanswered) | set(self.chosen_by):
            question = self.r.question(key[1])
            scale = question.scale
            if question.multiple:           # each answer and each named subset, once per respondent
                chose = self.chose.get(key, Counter())
                wanted = [frozenset({a}) for a in scale.answers] + [subset for _, subset in scale.subsets]
                n, entries = self.chosen_by.get(key, 0), tuple((w, chose.get(w, 0)) for w in wanted)
            else:
                counts = self.answers.get(key, Counter())
                n, entries = sum(counts.values()), tuple((frozenset({a}), counts.get(a, 0)) for a in scale.answers)
            out[key] = Tally(n, entries, Span(self.table.path, 1, 1),
                             tuple(sorted(self.unanswered.get(key, Counter()).items())), self.left_out, said,
                             self.texts.get(key[1], ""), multiple=question.multiple)
        return out


def _subgroup_map(ruleset: m.Ruleset, spec: FileSpec) -> dict[str, str]:
    """Cell value (normalised) → subgroup key: the manifest's values, then keys and labels."""
    out = {normalised(k.name): k.name for k in ruleset.keys} | \
        {normalised(k.text): k.name for k in ruleset.keys if k.text}
    out.update(spec.value_map())
    return out


class _Answered:
    """Which questions each respondent of a long file has answered, to refuse an answer given twice.

    Per respondent, the questions answered are the bits of one number, with
    the line the respondent was first seen on: memory grows with the
    respondents, not with the rows (ten million answers of 100 000 people
    need 100 000 entries)."""

    def __init__(self, questions, table: Table):
        self.bit = {q.name: 1 << i for i, q in enumerate(questions)}
        self.table = table
        self.seen: dict[str, tuple[int, int]] = {}

    def once(self, respondent: str, question: str, line: int) -> None:
        mask, first = self.seen.get(respondent, (0, line))
        bit = self.bit[question]
        if mask & bit:
            raise TableError(error("data-duplicate", Said(f"{self.table.shown} rad {line} upprepar ett svar på "
                                                          f"{question} från den svarande som först finns på rad "
                                                          f"{first}",
                                                          f"{self.table.shown} line {line} repeats an answer to "
                                                          f"{question} of the respondent first seen on line {first}"),
                                   Span(self.table.path, line, 1), EACH_ONCE))
        self.seen[respondent] = (mask | bit, first)


def _once(seen: dict[str, int], value: str, line: int, table: Table, what: Said) -> None:
    """Refuse a repeated id, naming both lines but never the id itself."""
    if not value:
        return
    if value in seen:
        raise TableError(error("data-duplicate", Said(f"{table.shown} rad {line} upprepar {what.sv} från rad "
                                                      f"{seen[value]}",
                                                      f"{table.shown} line {line} repeats the {what.en} of line "
                                                      f"{seen[value]}"), Span(table.path, line, 1), EACH_ONCE))
    seen[value] = line
