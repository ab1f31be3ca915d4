"""Aggregated YAML → tallies, and the `files:` manifest of raw files.

Every entry is checked against the ruleset (groups, questions, answers,
counts, facts, subgroups), with "did you mean" for a misspelled name, and
keeps its file and line so that explain can say where a number came from."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from impactdsl.compile import model as m
from impactdsl.core.diagnostics import Diagnostic, Said, did_you_mean, error
from impactdsl.core.kinds import Unit
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.redact import holds_identity, redact
from impactdsl.core.source import Source, Span, display_path
from impactdsl.outcomes.manifest import REGISTER_KEYS, SURVEY_KEYS, FileSpec
from impactdsl.outcomes.tables import normalised, parse_date
from impactdsl.outcomes.tallies import Report, Tally, Value, period_slot

SECTIONS = ("surveys", "counts", "facts", "previous", "reported", "kolada", "files")
REPORT_FIELDS = ("status", "by", "date", "evidence", "text")    # a reported status: what, who, when, on what
PAIRED_SETTINGS = ("values", "questions", "columns", "where", "codes", "separators", "dates",
                   "options")       # manifest settings that are name: value lines (options: name: lines)
SETTING_EXAMPLES = {"values": "values: {K: kvinnor, M: män}", "questions": "questions: {q1: \"Fråga 1\"}",
                    "options": "options: {q5: {arbete: \"Stöd - Arbete\", studier: \"Stöd - Studier\"}}",
                    "columns": "columns: {gender: Kön}", "sheet": "sheet: Svar", "layout": "layout: long"}
TOTAL_KEYS = ("total", "all", "alla", "totalt")
PERCENT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%\s*$")
NUMBER = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*$")
YES = ("yes", "ja", "true")
NO = ("no", "nej", "false")

AGGREGATES_SMALL = Said("sammanräknade data är små; lista rådatafiler under files: i stället",
                        "aggregated data are small; list raw files under files: instead")
INSIDE = Said("sökvägen till en datafil måste ligga inom datamappen",
              "a data file path stays inside the data folder")
MAPPING_SV = "rader med 'namn: värde'"          # a YAML mapping, as a methodologist knows it ("a mapping")


def _first_given(source) -> Said:
    return Said(f"det angavs först på {source}", f"it was first given at {source}")


def _too_many_digits(limits: Limits) -> Said:
    return Said(f"detta tal har fler än {limits.number_digits} siffror, fler än något tal impactdsl läser",
                limits.number_message("this number"))


def _given_twice(what: str) -> Said:
    return Said(f"{what} anges två gånger", f"{what} is given twice")


class AggregateReader:
    """Reads aggregated YAML files one by one into its tables and file specs."""

    def __init__(self, ruleset: m.Ruleset, problems: list[Diagnostic], limits: Limits = DEFAULT):
        self.r = ruleset
        self.problems = problems
        self.limits = limits
        self.surveys: dict = {}
        self.counts: dict = {}
        self.facts: dict = {}
        self.reported: dict = {}
        self.files: list[FileSpec] = []
        self.found = self.more = 0              # problems listed, and past the limit only counted
        self.path = ""
        self.folder = Path(".")

    def span(self, node) -> Span:
        mark = node.start_mark
        end = node.end_mark
        return Span(self.path, mark.line + 1, mark.column + 1, end.line + 1, end.column + 1)

    def err(self, code: str, message: Said, node, hint=None):
        """One problem of the file being read; past `Limits.problems` for the whole folder only counted
        (a hint — a Said, or a function giving one, because "did you mean" takes time — is then never
        worked out)."""
        if self.found >= self.limits.problems:
            self.more += 1
            return
        self.found += 1
        hint = hint() if callable(hint) else hint
        self.problems.append(error(code, message, self.span(node) if node is not None else None, hint))

    def read(self, source: Source, folder: Path) -> None:
        from impactdsl.read.safe_yaml import YamlRefused, compose

        self.path = source.path
        self.folder = folder
        try:
            root = compose(source.text, self.limits.data_yaml_nodes, self.limits)
        except YamlRefused as refused:
            hint = {"alias": Said("skriv ut varje tal där det hör hemma", "write each number out where it belongs"),
                    "size": AGGREGATES_SMALL,
                    "syntax": Said("kontrollera indraget, och att varje 'namn:' har ett värde",
                                   "check indentation and that every 'name:' has a value")}[refused.kind]
            self.problems.append(error(f"data-{refused.kind}", refused.message,
                                       Span(source.path, refused.line, refused.column), hint))
            return
        if root is None:
            return
        for key, value in self.mapping(root, Said("filen", "the file")):
            section = key.value
            if section == "surveys":
                for group_node, questions in self.mapping(value, "surveys"):
                    self.group(group_node, questions)
            elif section in ("counts", "facts", "previous"):
                for name_node, entry in self.mapping(value, section):
                    self.value(section, name_node, entry)
            elif section == "reported":
                for id_node, entry in self.mapping(value, "reported"):
                    self.report(id_node, entry)
            elif section == "kolada":
                self.kolada_files(value)
            elif section == "files":
                self.file_specs(value)
            else:
                self.err("data-section", Said(f"okänt avsnitt '{section}'", f"unknown section '{section}'"), key,
                         lambda: did_you_mean(section, SECTIONS) or Said(f"avsnitt: {', '.join(SECTIONS)}",
                                                                         f"sections: {', '.join(SECTIONS)}"))


    def finish(self) -> None:
        """After the last file: how many problems were only counted."""
        if self.more:
            self.problems.append(error("data-more", Said(f"ytterligare {self.more} problem i utfallsdata listas inte "
                                                         f"(de första {self.limits.problems} listas)",
                                                         f"{self.more} more problems in the outcome data are not "
                                                         f"listed (the first {self.limits.problems} are)"), None,
                                       Said("rätta dessa och kör igen för att se resten",
                                            "mend these, and run again to see the rest")))

    def mapping(self, node, what: "Said | str"):
        """The (name, value) pairs of a mapping; `what` names it in messages: a Said ("filen" / "the
        file"), or a text the data format itself spells (a section, a setting, a name), the same in both."""
        import yaml

        what = what if isinstance(what, Said) else Said(what, what)
        if not isinstance(node, yaml.MappingNode):
            self.err("data-shape", Said(f"{what.sv} ska vara en lista med rader 'namn: värde'",
                                        f"{what.en} should be a list of 'name: value' lines"), node)
            return []
        pairs = []
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                pairs.append((key, value))
            else:
                self.err("data-shape", Said(f"ett namn i {what.sv} är en lista eller {MAPPING_SV}, inte ett namn",
                                            f"a name in {what.en} is a list or a mapping, not a name"), key)
        seen = set()
        for key, _ in pairs:
            if key.value in seen:
                self.err("data-duplicate", Said(f"'{key.value}' anges två gånger i {what.sv}",
                                                f"'{key.value}' is given twice in {what.en}"), key,
                         Said("behåll en av dem: med två är det oklart vilket tal som avses",
                              "keep one of them: with two, it is unclear which number is meant"))
            seen.add(key.value)
        return pairs

    # ---- surveys ---------------------------------------------------------
    def group(self, group_node, questions) -> None:
        group = group_node.value
        if self.r.find("groups", group) is None:
            self.err("unknown-group", Said(f"okänd grupp '{group}'", f"unknown group '{group}'"), group_node,
                     lambda: did_you_mean(group, [g.name for g in self.r.groups]))
            return
        for question_node, entry in self.mapping(questions, Said(f"gruppen {group}", f"group {group}")):
            question = self.r.question(question_node.value)
            if question is None:
                self.err("unknown-question", Said(f"okänd fråga '{question_node.value}'",
                                                  f"unknown question '{question_node.value}'"), question_node,
                         lambda: did_you_mean(question_node.value, [q.name for q in self.r.questions]))
                continue
            self.tally(group, question, None, entry)

    def tally(self, group: str, question: m.Question, subgroup: str | None, node) -> None:
        n, n_given = None, False
        counts: list[tuple[frozenset[str], int]] = []
        for key_node, value in self.mapping(node, Said(f"frågan {question.name}", f"question {question.name}")):
            key = str(key_node.value)
            if key == "by" and subgroup is None:
                for sub_node, sub_entry in self.mapping(value, "by"):
                    if self.r.find("keys", sub_node.value) is None:
                        self.err("unknown-subgroup", Said(f"okänd undergrupp '{sub_node.value}'",
                                                          f"unknown subgroup '{sub_node.value}'"), sub_node,
                                 lambda: did_you_mean(sub_node.value, [k.name for k in self.r.keys]))
                        continue
                    self.tally(group, question, sub_node.value, sub_entry)
                continue
            if key == "n":
                n_given = True
            number = self.whole(value)
            if number is None:
                continue
            if key == "n":
                n = number
                continue
            answers = _answer_set(key, question.scale)
            if answers is None:
                scale = question.scale
                self.err("unknown-answer", Said(f"'{key}' är varken ett svar eller en delmängd i skalan {scale.name}",
                                                f"'{key}' is not an answer or subset of scale {scale.name}"),
                         key_node, lambda: did_you_mean(key, list(scale.answers) + list(scale.labels)
                                                + [s for s, _ in scale.subsets]))
                continue
            counts.append((answers, number))
        if n is None and n_given:
            return
        if n is None:
            of = f"{group}{'[' + subgroup + ']' if subgroup else ''}"
            self.err("data-n", Said(f"frågan {question.name} för {of} har inget 'n' (hur många som svarade)",
                                    f"question {question.name} for {of} has no 'n' (how many answered)"), node,
                     Said("lägg till n: antalet som svarade på frågan",
                          "add n: the number who answered the question"))
            return
        singles = [(a, c) for a, c in counts if len(a) == 1]
        for answers, number in counts + ([(frozenset().union(*(a for a, _ in singles)),
                                           sum(c for _, c in singles))] if len(singles) > 1 else []):
            if number > n:
                given = ', '.join(sorted(answers))
                self.err("data-count", Said(f"{number} svar i {given}, men bara n = {n} svarade på {question.name}",
                                            f"{number} answers in {given} but only n = {n} "
                                            f"answered {question.name}"), node,
                         Said("antalen kan inte tillsammans bli fler än n", "the counts cannot add up to more than n"))
                return
        covered = frozenset().union(*(a for a, _ in singles)) if singles else frozenset()
        if covered == frozenset(question.scale.answers) and sum(c for _, c in singles) != n:
            total = sum(c for _, c in singles)
            self.err("data-count", Said(f"svaren på {question.name} blir tillsammans {total}, men n = {n}",
                                        f"the answers to {question.name} add up to {total}, "
                                        f"but n = {n}"), node,
                     Said("n är antalet som svarade; svaren måste tillsammans bli lika många",
                          "n is the number who answered; the answers must add up to it"))
            return
        key = (group, question.name, subgroup)
        if key in self.surveys:
            of = f"{group}{'[' + subgroup + ']' if subgroup else ''}"
            self.err("data-twice", Said(f"{question.name} för {of} anges två gånger",
                                        f"{question.name} for {of} is given twice"), node,
                     _first_given(self.surveys[key].source))
            return
        self.surveys[key] = Tally(n, tuple(counts), self.span(node), multiple=question.multiple)

    # ---- the manifest of raw files ---------------------------------------
    def file_specs(self, node) -> None:
        import yaml

        if not isinstance(node, yaml.SequenceNode):
            self.err("data-shape", Said("files: ska vara en lista, med en post '- path: ...' per fil",
                                        "files: should be a list, one '- path: ...' entry per file"), node)
            return
        for item in node.value:
            entry = {k.value: v for k, v in self.mapping(item, Said("en filpost", "a file entry"))}
            spec = self.file_spec(item, entry)
            if spec is not None:
                self.files.append(spec)

    def file_spec(self, node, entry: dict) -> FileSpec | None:
        import yaml

        kind = getattr(entry.get("kind"), "value", None)
        if kind not in ("survey", "register"):
            self.err("manifest", Said("varje fil behöver 'kind: survey' eller 'kind: register'",
                                      "each file needs 'kind: survey' or 'kind: register'"), node)
            return None
        allowed = SURVEY_KEYS if kind == "survey" else REGISTER_KEYS
        for key, value in entry.items():
            if key not in allowed:
                self.err("manifest", Said(f"'{key}' är inte en inställning för en "
                                          f"{'enkätfil' if kind == 'survey' else 'registerfil'}",
                                          f"'{key}' is not a setting of a {kind} file"), value,
                         lambda: did_you_mean(key, allowed) or Said("inställningar: " + ", ".join(allowed),
                                                                    "settings: " + ", ".join(allowed)))
        if "path" not in entry:
            self.err("manifest", Said("filposten har ingen 'path'", "the file entry has no 'path'"), node)
            return None
        if not isinstance(entry["path"], yaml.ScalarNode) or not str(entry["path"].value).strip():
            self.err("manifest", Said("'path' är ett enda filnamn, t.ex. path: personal.csv",
                                      "'path' is one file name, e.g. path: personal.csv"), entry["path"])
            return None
        for key, value in entry.items():
            wanted = yaml.MappingNode if key in PAIRED_SETTINGS else yaml.ScalarNode
            if key in allowed and not isinstance(value, wanted):
                shape = Said("en lista med rader namn: värde", "a list of name: value lines") \
                    if key in PAIRED_SETTINGS else Said("en enda text", "one text")
                example = SETTING_EXAMPLES.get(key, key + ': ...')
                self.err("manifest", Said(f"'{key}' är {shape.sv}, t.ex. {example}",
                                          f"'{key}' is {shape.en}, e.g. {example}"), value)
                return None
        text = {k: v.value for k, v in entry.items() if isinstance(v, yaml.ScalarNode)}
        pairs = {k: tuple((str(a.value), str(b.value)) for a, b in self.mapping(v, k) if self.scalar_value(b, k))
                 for k, v in entry.items() if isinstance(v, yaml.MappingNode) and k != "options"}
        options = self.options(entry["options"]) if "options" in entry else ()
        if options is None:
            return None
        dates = dict(pairs.get("dates", ()))
        if dates and (set(dates) - {"column", "from", "to"} or "column" not in dates or not (
                {"from", "to"} & set(dates)) or any(parse_date(dates[k]) is None for k in ("from", "to")
                                                   if k in dates)):
            self.err("manifest", Said("'dates' anger en kolumn och en första och sista dag",
                                      "'dates' names a column and a first and last day"), entry["dates"],
                     Said("t.ex. dates: {column: Inskickad, from: 2022-01-01, to: 2022-12-31}",
                          "e.g. dates: {column: Inskickad, from: 2022-01-01, to: 2022-12-31}"))
            return None
        header_row = text.get("header_row")
        if header_row is not None and not (str(header_row).isdigit() and 1 <= int(header_row) <= 1000):
            self.err("manifest", Said("'header_row' är rubrikradens nummer, ett heltal från 1 till 1000",
                                      "'header_row' is the line of the header, a whole number from 1 to 1000"),
                     entry["header_row"], Said("t.ex. header_row: 3", "e.g. header_row: 3"))
            return None
        raw = Path(text["path"])
        if raw.is_absolute() or ".." in raw.parts or "\x00" in text["path"]:
            self.err("manifest", INSIDE, entry["path"],
                     Said("skriv den relativt till manifestet, utan '..'",
                          "write it relative to the manifest, without '..'"))
            return None
        spec = FileSpec(kind=kind, path=self.folder / raw, shown=display_path(self.folder / raw),
                        span=self.span(entry["path"]), sheet=text.get("sheet"),
                        layout=text.get("layout", "wide"), group=text.get("group"),
                        group_column=text.get("group_column"), respondent=text.get("respondent"),
                        subgroup=text.get("subgroup"),
                        values=tuple((" ".join(a.split()).casefold(), b) for a, b in pairs.get("values", ())),
                        questions=pairs.get("questions", ()), question_column=text.get("question_column"),
                        answer_column=text.get("answer_column"), register=text.get("register"),
                        columns=pairs.get("columns", ()),
                        header_row=int(header_row) if header_row is not None else None,
                        where=pairs.get("where", ()),
                        codes=tuple((" ".join(a.split()).casefold(), b) for a, b in pairs.get("codes", ())),
                        separators=pairs.get("separators", ()), dates=tuple(sorted(dates.items())),
                        options=options, chosen=text.get("chosen"))
        return self.check_spec(spec, entry)

    def options(self, node) -> tuple | None:
        """`options: {q5: {arbete: "Stöd - Arbete", ...}}`: each question's answers, a column each."""
        import yaml

        out = []
        for question, columns in self.mapping(node, "options"):
            if not isinstance(columns, yaml.MappingNode):
                self.err("manifest", Said(f"alternativen (options) för '{question.value}' är dess svar och "
                                          "deras kolumner",
                                          f"the options of '{question.value}' are its answers and their columns"),
                         columns, Said("t.ex. " + SETTING_EXAMPLES["options"], "e.g. " + SETTING_EXAMPLES["options"]))
                return None
            out.append((str(question.value), tuple((str(a.value), str(b.value)) for a, b in
                                                   self.mapping(columns, "options") if self.scalar_value(b, "options"))))
        return tuple(out)

    def scalar_value(self, node, what: str) -> bool:
        import yaml

        if isinstance(node, yaml.ScalarNode):
            return True
        self.err("manifest", Said(f"ett värde i '{what}' är en lista eller {MAPPING_SV}, inte en enda text",
                                  f"a value in '{what}' is a list or a mapping, not one text"), node)
        return False

    def check_spec(self, spec: FileSpec, entry: dict) -> FileSpec | None:
        where = entry["path"]
        ok = True
        suffix = spec.path.suffix.casefold()
        for setting in ("where", "header_row", "dates", "options"):
            if setting in entry and suffix == ".parquet" or setting == "header_row" and setting in entry and \
                    suffix == ".sav":
                self.err("manifest", Said(f"'{setting}' läses för CSV- och XLSX-filer, inte för {suffix[1:]}",
                                          f"'{setting}' is read for CSV and XLSX files, not {suffix[1:]}"),
                         entry[setting],
                         Said("filtrera raderna när filen skapas", "filter the rows when the file is made")
                         if setting != "options" else
                         Said("skapa filen med frågans svar i en enda kolumn",
                              "make the file with the question's answers in one column"))
                ok = False
        if spec.kind == "survey":
            if spec.layout not in ("wide", "long"):
                self.err("manifest", Said(f"layout är wide eller long, inte '{spec.layout}'",
                                          f"layout is wide or long, not '{spec.layout}'"), entry.get("layout", where))
                ok = False
            if (spec.group is None) == (spec.group_column is None):
                self.err("manifest", Said("en enkätfil anger antingen sin grupp ('group: staff') eller kolumnen som "
                                          "innehåller gruppen ('group_column: Grupp'), en av de två",
                                          "a survey file names its group ('group: staff') or the column that "
                                          "holds it ('group_column: Grupp'), one of the two"), where)
                ok = False
            if spec.group and self.r.find("groups", spec.group) is None:
                self.err("unknown-group", Said(f"okänd grupp '{spec.group}'", f"unknown group '{spec.group}'"),
                         entry["group"], lambda: did_you_mean(spec.group, [g.name for g in self.r.groups]))
                ok = False
            if spec.layout == "long" and not (spec.question_column and spec.answer_column):
                self.err("manifest", Said("en enkätfil i långt format (layout: long) anger sin question_column och "
                                          "sin answer_column",
                                          "a long survey file names its question_column and answer_column"), where)
                ok = False
            for question, _ in spec.questions:
                if self.r.question(question) is None:
                    self.err("unknown-question", Said(f"okänd fråga '{question}'", f"unknown question '{question}'"),
                             entry["questions"], lambda: did_you_mean(question, [q.name for q in self.r.questions]))
                    ok = False
            ok = self.check_options(spec, entry) and ok
        else:
            if spec.register is None or self.r.find("registers", spec.register) is None:
                self.err("unknown-name", Said(f"okänt register '{spec.register}'",
                                              f"unknown register '{spec.register}'"),
                         entry.get("register", where),
                         lambda: did_you_mean(spec.register or "", [x.name for x in self.r.registers])
                         or Said("deklarera det i regelverket: register NAMN \"text\"",
                                 "declare it in the ruleset: register NAME \"text\""))
                ok = False
        for _, key in spec.values:
            if self.r.find("keys", key) is None:
                self.err("unknown-subgroup", Said(f"okänd undergrupp '{key}' i values",
                                                  f"unknown subgroup '{key}' in values"),
                         entry["values"], lambda: did_you_mean(key, [k.name for k in self.r.keys]))
                ok = False
        return spec if ok else None

    def check_options(self, spec: FileSpec, entry: dict) -> bool:
        """Each question given a column per answer is a multiple one, and each option one of its answers."""
        ok = True
        for name, columns in spec.options:
            question = self.r.question(name)
            if question is None:
                self.err("unknown-question", Said(f"okänd fråga '{name}'", f"unknown question '{name}'"),
                         entry["options"], lambda: did_you_mean(name, [q.name for q in self.r.questions]))
                ok = False
            elif not question.multiple:
                self.err("manifest", Said(f"{name} tar ett enda svar, så den har en kolumn, inte en per alternativ",
                                          f"{name} takes one answer, so it has one column, not one per option"),
                         entry["options"],
                         Said(f"deklarera den med flera svar per svarande: question {name} scale "
                              f"{question.scale.name} multiple",
                              f"declare it with several answers each: question {name} scale "
                              f"{question.scale.name} multiple"))
                ok = False
            elif spec.layout != "wide" or name in dict(spec.questions):
                self.err("manifest", Said(f"{name} läses från en kolumn per svar (options) i en fil i brett format "
                                          "(layout: wide), inte också från en enda kolumn (questions)",
                                          f"{name} is read from one column per answer (options) in a wide file, "
                                          "not also from one column (questions)"), entry["options"])
                ok = False
            else:
                known = {normalised(a) for a in question.scale.answers} | \
                    {normalised(label) for label in question.scale.labels}
                for answer, _ in columns:
                    if normalised(answer) not in known:
                        self.err("unknown-answer", Said(f"alternativet '{answer}' till {name} är inte ett svar på "
                                                        f"skalan {question.scale.name}",
                                                        f"the option '{answer}' of {name} is not an answer on scale "
                                                        f"{question.scale.name}"), entry["options"],
                                 lambda: did_you_mean(answer, list(question.scale.answers))
                                 or Said("svaren: " + ", ".join(question.scale.answers),
                                         "answers: " + ", ".join(question.scale.answers)))
                        ok = False
        return ok

    def whole(self, node) -> int | None:
        if not self.is_text(node, Said("ett helt antal svar eller personer", "a whole number of answers or people")):
            return None
        text = str(node.value)
        if not re.fullmatch(r"\s*[0-9]+\s*", text):
            self.err("data-type", Said(f"här ska stå ett helt antal svar eller personer, men det står '{text[:20]}'",
                                       f"expected a whole number of answers or people, found '{text[:20]}'"), node)
            return None
        if self.limits.number_too_long(text):
            self.err("data-size", _too_many_digits(self.limits), node)
            return None
        if self.identity(text, node):
            return None
        return int(text)

    def identity(self, text: str, node) -> bool:
        """A value that holds a personal identity number is refused, as a column of them is."""
        if holds_identity(text):
            self.err("data-identity", Said("detta värde ser ut som ett personnummer; impactdsl vägrar läsa det",
                                           "this value looks like a personal identity number; impactdsl refuses "
                                           "to read it"), node,
                     Said("utfallsdata är antal och uppgifter, aldrig någons personnummer",
                          "outcome data are counts and facts, never a person's number"))
            return True
        return False

    # ---- facts from Kolada ---------------------------------------------------
    def kolada_files(self, node) -> None:
        """`kolada: [- {path: ..., downloaded: ..., facts: {NAME: {kpi: ..., municipality: ...}}}]`."""
        import yaml

        if not isinstance(node, yaml.SequenceNode):
            self.err("data-shape", Said("kolada: ska vara en lista, med en post '- path: ...' per nedladdad fil",
                                        "kolada: should be a list, one '- path: ...' entry per downloaded file"), node)
            return
        for item in node.value:
            entry = dict((k.value, (k, v)) for k, v in self.mapping(item, Said("en Kolada-fil", "a Kolada file")))
            unknown = [k for k in entry if k not in ("path", "downloaded", "facts")]
            for key in unknown:
                self.err("data-section", Said(f"'{key}' är inte en inställning för en Kolada-fil",
                                              f"'{key}' is not a setting of a Kolada file"), entry[key][0],
                         Said("inställningar: path, downloaded, facts", "settings: path, downloaded, facts"))
            if "path" not in entry or "facts" not in entry or unknown:
                if "path" not in entry or "facts" not in entry:
                    example = "- {path: kolada.json, facts: {nöjdhet: {kpi: N00945, municipality: \"1860\"}}}"
                    self.err("data-shape", Said("en Kolada-fil behöver 'path' och 'facts'",
                                                "a Kolada file needs 'path' and 'facts'"), item,
                             Said(f"t.ex. {example}", f"e.g. {example}"))
                continue
            path_node = entry["path"][1]
            downloaded = entry.get("downloaded", (None, None))[1]
            if downloaded is not None and not (self.is_text(downloaded, Said("ett datum", "a date"))
                                               and _is_date(str(downloaded.value))):
                self.err("data-type", Said("'downloaded' är dagen då filen hämtades från Kolada",
                                           "'downloaded' is the day the file was taken from Kolada"), downloaded,
                         Said("skriv den som 2024-02-01", "write it as 2024-02-01"))
                continue
            found = self.kolada_values(path_node)
            if found is not None:
                for name_node, spec in self.mapping(entry["facts"][1], "facts"):
                    self.kolada_fact(name_node, spec, found, str(downloaded.value) if downloaded else "",
                                     str(path_node.value))

    def kolada_values(self, path_node):
        from impactdsl.outcomes.kolada import KoladaProblem, values
        from impactdsl.read import files

        if not self.is_text(path_node, Said("ett filnamn", "a file name")):
            return None
        raw = Path(str(path_node.value))
        if raw.is_absolute() or ".." in raw.parts or "\x00" in str(path_node.value):
            self.err("manifest", INSIDE, path_node,
                     Said("skriv den relativt till YAML-filen, utan '..'",
                          "write it relative to the YAML file, without '..'"))
            return None
        path = self.folder / raw
        the_file = Said(f"Kolada-filen {display_path(path)} ", f"the Kolada file {display_path(path)} ")
        try:
            return values(files.read_bytes(path, self.limits.kolada_bytes, [self.folder]), raw.name)
        except files.FileProblem as problem:
            self.err("data-file", Said.joined(the_file, problem.message), path_node, problem.hint)
        except UnicodeDecodeError:
            self.err("data-encoding", Said.joined(the_file, Said("är inte UTF-8-text", "is not UTF-8 text")),
                     path_node,
                     Said("ladda ner den igen från Kolada; Koladas filer är UTF-8",
                          "download it again from Kolada; its files are UTF-8"))
        except KoladaProblem as problem:
            self.err("data-kolada", Said.joined(the_file, problem.message,
                                                Said(f" (rad {problem.line})", f" (line {problem.line})")),
                     path_node, Said("ladda ner filen igen: /v2/data/kpi/KPI/municipality/ID som JSON, eller som "
                                     "CSV med kolumnerna kpi, municipality, period, gender, value, status",
                                     "download the file again: /v2/data/kpi/KPI/municipality/ID as JSON, or the "
                                     "CSV with the columns kpi, municipality, period, gender, value, status"))
        return None

    def kolada_fact(self, name_node, spec, found: dict, downloaded: str, shown: str) -> None:
        import yaml

        name = str(name_node.value)
        declared = self.r.find("facts", name)
        if declared is None:
            self.err("unknown-name", Said(f"'{name}' är inte en deklarerad uppgift",
                                          f"'{name}' is not a declared fact"),
                     name_node, lambda: did_you_mean(name, [d.name for d in self.r.facts]))
            return
        fields = {k.value: v for k, v in self.mapping(spec, Said(f"Kolada-uppgiften {name}",
                                                                f"the Kolada fact {name}"))}
        kpi, gender = (str(fields[k].value) if isinstance(fields.get(k), yaml.ScalarNode) else None
                       for k in ("kpi", "gender"))
        gender = gender or "T"
        places = []
        if isinstance(fields.get("municipality"), yaml.ScalarNode):
            places.append((None, str(fields["municipality"].value)))
        elif isinstance(fields.get("municipalities"), yaml.MappingNode):
            for key, value in self.mapping(fields["municipalities"], "municipalities"):
                if self.r.find("keys", key.value) is None:
                    self.err("unknown-subgroup", Said(f"okänd enhet '{key.value}'", f"unknown entity '{key.value}'"),
                             key, lambda: did_you_mean(key.value, [k.name for k in self.r.keys]))
                    return
                places.append((str(key.value), str(value.value)))
        if kpi is None or not places or gender not in ("T", "K", "M"):
            example = "nöjdhet: {kpi: N00945, municipality: \"1860\"}"
            self.err("data-shape", Said(f"Kolada-uppgiften {name} anger en kpi och en kommun (municipality, eller "
                                        "municipalities med en kommun per enhet), och i så fall ett kön T, K eller M",
                                        f"the Kolada fact {name} names a kpi and a municipality (or municipalities per "
                                        "entity), and a gender T, K or M if any"), spec,
                     Said(f"t.ex. {example}", f"e.g. {example}"))
            return
        if declared.kind not in (Unit.PERCENT, Unit.NUMBER, Unit.TKR):
            kind = "ja/nej" if declared.kind == Unit.YES_NO else declared.kind
            self.err("data-type", Said(f"{name} är en uppgift av slaget {kind}; Kolada ger tal",
                                       f"{name} is a {declared.kind} fact; Kolada gives numbers"), name_node)
            return
        given = 0
        for key, municipality in places:
            for (k, m_id, year, g), value in found.items():
                if (k, m_id, g) != (kpi, municipality, gender) or year not in m.YEARS:
                    continue
                slot = period_slot(self.r.settings, False, year)
                if (name, key, slot) in self.facts:
                    self.err("data-twice", Said(f"{name} anges två gånger för {year}",
                                                f"{name} is given twice for {year}"),
                             name_node, _first_given(self.facts[(name, key, slot)].source))
                    continue
                origin = (("kpi", kpi), ("municipality", municipality), ("period", str(year)),
                          ("downloaded", downloaded), ("file", redact(shown)))
                self.facts[(name, key, slot)] = Value(value.value, declared.kind, self.span(spec), origin=origin,
                                                      marker=value.marker)
                given += 1
        if not given:
            where = ', '.join(p for _, p in places)
            self.err("data-kolada", Said(f"Kolada-filen har inget värde för {kpi} i {where} ({gender})",
                                         f"the Kolada file has no value of {kpi} for {where} "
                                         f"({gender})"), spec,
                     Said("kontrollera KPI-id:t och kommunens id, eller ladda ner filen igen",
                          "check the KPI id and the municipality id, or download the file again"))

    # ---- statuses a person reported ------------------------------------------
    def report(self, id_node, node) -> None:
        """`1.2.1: {status: uppfyllt, by: styrelsen, date: 2023-12-14, evidence: ..., text: ...}`."""
        import yaml

        indicator = str(id_node.value)
        reported = [i.id for i in self.r.indicators if isinstance(i.measure, m.ReportedOf)]
        if indicator not in reported:
            known = any(i.id == indicator for i in self.r.indicators)
            self.err("unknown-name", Said(f"{indicator} är inte en indikator vars status rapporteras",
                                          f"{indicator} is not an indicator whose status is reported") if known else
                     Said(f"det finns ingen indikator {indicator} i regelverket",
                          f"there is no indicator {indicator} in the ruleset"), id_node,
                     (lambda: Said(f"skriv dess regel som 'reported' i regelverket: indicator {indicator} \"...\" "
                                   "reported",
                                   f"write its rule as 'reported' in the ruleset: indicator {indicator} \"...\" "
                                   "reported"))
                     if known else (lambda: did_you_mean(indicator, reported) or
                                    Said(f"de indikatorer vars status rapporteras: {', '.join(reported) or 'inga'}",
                                         f"the reported indicators: {', '.join(reported) or 'none'}")))
            return
        if indicator in self.reported:
            source = self.reported[indicator].source
            self.err("data-twice", Said(f"statusen för {indicator} rapporteras två gånger",
                                        f"the status of {indicator} is reported twice"), id_node,
                     Said(f"den rapporterades först på {source}", f"it was first reported at {source}"))
            return
        if not isinstance(node, yaml.MappingNode):
            example = "{status: uppfyllt, by: styrelsen, date: 2023-12-14, evidence: \"protokoll § 12\"}"
            self.err("data-shape", Said(f"rapporten för {indicator} ska vara en lista med rader 'namn: värde'",
                                        f"the report of {indicator} should be a list of 'name: value' lines"), node,
                     Said(f"t.ex. {example}", f"e.g. {example}"))
            return
        fields, failed = {}, False
        for key, value in self.mapping(node, Said(f"rapporten för {indicator}", f"the report of {indicator}")):
            if key.value not in REPORT_FIELDS:
                self.err("data-section", Said(f"okänt fält '{key.value}' i rapporten för {indicator}",
                                              f"unknown field '{key.value}' in the report of {indicator}"), key,
                         lambda: did_you_mean(key.value, REPORT_FIELDS)
                         or Said(f"fälten: {', '.join(REPORT_FIELDS)}", f"the fields: {', '.join(REPORT_FIELDS)}"))
                failed = True
            elif self.is_text(value, Said("en text", "a text")):
                text = str(value.value)
                if len(text) > self.limits.report_characters:
                    self.err("data-size", Said(f"fältet {key.value} i rapporten för {indicator} är längre än de "
                                               f"{self.limits.report_characters} tecken en rapports text får ha",
                                               f"the {key.value} of {indicator} is longer than the "
                                               f"{self.limits.report_characters} characters a report's text may be"),
                             value, Said("ge en sammanfattning här; hela texten hör hemma i rapporten den "
                                         "kommer från",
                                         "give a summary here; the whole text belongs in the report it comes from"))
                    failed = True
                elif holds_identity(text):
                    self.err("data-identity", Said(f"fältet {key.value} i rapporten för {indicator} ser ut att "
                                                   "innehålla ett personnummer; impactdsl vägrar läsa det",
                                                   f"the {key.value} of {indicator} looks like it holds a personal "
                                                   "identity number; impactdsl refuses to read it"), value,
                             Said("skriv texten utan någons personnummer", "write the text without anyone's number"))
                    failed = True
                elif not _one_line(text) and key.value in ("status", "by"):
                    self.err("data-shape", Said(f"fältet {key.value} i rapporten för {indicator} är tomt",
                                                f"the {key.value} of {indicator}'s report is empty"), value,
                             Said("skriv vem som bedömde: by: styrelsen", "say who judged it: by: styrelsen")
                             if key.value == "by" else Said("skriv statusen", "write the status"))
                    failed = True
                elif _one_line(text):
                    fields[key.value] = (text, value)
            else:
                failed = True
        for needed, example in (("status", "status: uppfyllt"), ("by", "by: styrelsen")):
            if needed not in fields and not failed:
                self.err("data-shape", Said(f"rapporten för {indicator} saknar {needed}",
                                            f"the report of {indicator} does not say its {needed}"), node,
                         Said(f"lägg till {example}", f"add {example}"))
                failed = True
        if failed:
            return
        status = self.reported_status(indicator, *fields["status"])
        date = fields.get("date", ("", None))
        if date[0] and not _is_date(date[0]):
            self.err("data-type", Said(f"datumet (date) i rapporten för {indicator} är inte ett datum",
                                       f"the date of {indicator}'s report is not a date"), date[1],
                     Said("skriv det som 2023-12-14", "write it as 2023-12-14"))
            return
        if status is None:
            return
        paragraphs = tuple(" ".join(p.split()) for p in fields.get("text", ("", None))[0].split("\n\n") if p.strip())
        self.reported[indicator] = Report(
            status, _one_line(fields["by"][0]), date[0].strip(), _one_line(fields.get("evidence", ("", None))[0]),
            tuple(redact(p) for p in paragraphs), self.span(node))

    def reported_status(self, indicator: str, text: str, node) -> str | None:
        """A reported status by its name in the ruleset, or its word (`Delvis uppfyllt`), any case."""
        method = self.r.method
        folded = normalised(text)
        for level in method.statuses:
            if folded in (normalised(level.name), normalised(level.label), normalised(level.english or "")):
                return level.name
        names = [level.name for level in method.statuses]
        self.err("unknown-status", Said(f"statusen som rapporterats för {indicator} är inte en av regelverkets "
                                        "statusar",
                                        f"the status reported for {indicator} is not one of the ruleset's statuses"),
                 node, lambda: did_you_mean(text, names) or Said(f"statusarna: {', '.join(names)}",
                                                                 f"the statuses: {', '.join(names)}"))
        return None

    # ---- counts and facts -----------------------------------------------
    def value(self, section: str, name_node, node) -> None:

        name = name_node.value
        previous = section == "previous"
        declared = self.r.find("facts", name) or self.r.find("counts", name)
        is_count = self.r.find("counts", name) is not None
        wanted = "counts" if section == "counts" else "facts" if section == "facts" else None
        if declared is None or (wanted == "counts" and not is_count) or \
                (wanted == "facts" and self.r.find("facts", name) is None):
            table = [d.name for d in (self.r.counts if section == "counts" else self.r.facts
                                      if section == "facts" else self.r.counts + self.r.facts)]
            declared_sv = {"counts": "ett deklarerat antal", "facts": "en deklarerad uppgift"}.get(
                wanted, "en deklarerad uppgift eller ett deklarerat antal")
            self.err("unknown-name", Said(f"'{name}' är inte {declared_sv}",
                                          f"'{name}' is not a declared {section[:-1] if wanted else 'fact or count'}"),
                     name_node, lambda: did_you_mean(name, table))
            return
        kind = Unit.NUMBER if is_count else declared.kind
        table = self.counts if is_count else self.facts
        for key, value_node in self.entries(node, name):
            parts = (key or "").split("/")
            years = [int(part) for part in parts if part.isdigit()]
            unknown = [part for part in parts if part and not part.isdigit() and self.r.find("keys", part) is None]
            if unknown:
                self.err("unknown-subgroup", Said(f"okänd undergrupp eller enhet '{unknown[0]}'",
                                                  f"unknown subgroup or entity '{unknown[0]}'"), value_node,
                         lambda: did_you_mean(unknown[0], [k.name for k in self.r.keys]))
                continue
            if len(years) > 1 or (years and (previous or years[0] not in m.YEARS)):
                span = f"{m.YEARS.start}–{m.YEARS.stop - 1}"
                self.err("data-period", Said(f"ett värde för {name} anges för mer än en period, eller för ett år "
                                             f"utanför {span}",
                                             f"a value of {name} is given for more than one period, or for a year "
                                             f"outside {span}"), value_node,
                         Said("ange ett värde per år under namnet: resultat: {2022: -1200, 2023: 18000}",
                              "give a value per year under the name: resultat: {2022: -1200, 2023: 18000}"))
                continue
            key = "/".join(part for part in parts if part and not part.isdigit()) or None
            slot = period_slot(self.r.settings, previous, years[0] if years else None)
            parsed = self.scalar(value_node, kind, negative=not is_count)
            if parsed is None:
                continue
            if is_count and parsed.denominator != 1:
                self.err("data-type", Said("ett antal personer är ett heltal, inte ett bråktal",
                                           "a count is a whole number of people, not a fraction"), value_node)
                continue
            if (name, key, slot) in table:
                self.err("data-twice", _given_twice(f"{name}{'[' + key + ']' if key else ''}"
                                                    f"{f' ({years[0]})' if years else ''}"), value_node,
                         _first_given(table[(name, key, slot)].source))
                continue
            table[(name, key, slot)] = Value(parsed, kind, self.span(value_node))

    def entries(self, node, name: str, prefix: str | None = None) -> list:
        """(key, value node) pairs: a number, or per key, or per entity and then per subgroup
        (`deltagare: {lyra: {total: 38, kvinnor: 19}}` gives keys lyra and lyra/kvinnor)."""
        import yaml

        if isinstance(node, yaml.ScalarNode):
            return [(prefix, node)]
        out = []
        for k, v in self.mapping(node, name):
            key = prefix if k.value in TOTAL_KEYS else (f"{prefix}/{k.value}" if prefix else k.value)
            out += self.entries(v, name, key) if prefix is None else [(key, v)]
        return out

    def is_text(self, node, wanted: Said) -> bool:
        import yaml

        if isinstance(node, yaml.ScalarNode):
            return True
        self.err("data-type", Said(f"här ska stå {wanted.sv}, men det står en lista eller {MAPPING_SV}",
                                   f"expected {wanted.en}, found a list or a mapping"), node)
        return False

    def scalar(self, node, kind: str, negative: bool = False):
        """The value of a count or fact; below zero only where `negative` allows it (an amount, a
        result, a difference: never a count of people)."""
        if not self.is_text(node, {Unit.YES_NO: Said("ja eller nej", "yes or no"),
                                   Unit.PERCENT: Said("en procentsats", "a percentage")}.get(kind,
                                                                                          Said("ett tal", "a number"))):
            return None
        text = str(node.value).strip()
        if kind != Unit.YES_NO and self.limits.number_too_long(text):
            self.err("data-size", _too_many_digits(self.limits), node)
            return None
        if self.identity("".join(text.split()), node):       # "8 501 011 234 tkr" is read without spaces
            return None
        if kind == Unit.TKR:
            text, kind = text.removesuffix("tkr").replace(" ", "").replace("\u00a0", ""), Unit.NUMBER
        text = text.replace("\u2212", "-")                    # a minus sign as Excel and Word write it
        if kind == Unit.YES_NO:
            if text.casefold() in YES:
                return True
            if text.casefold() in NO:
                return False
            self.err("data-type", Said(f"här ska stå ja eller nej, men det står '{text[:20]}'",
                                       f"expected yes or no, found '{text[:20]}'"), node)
        elif kind == Unit.PERCENT:
            match = PERCENT.match(text)
            if match:
                return Fraction(match.group(1).replace(",", "."))   # a change of a share may be below zero
            self.err("data-type", Said(f"här ska stå en procentsats som 12,8 %, men det står '{text[:20]}'",
                                       f"expected a percentage such as 12.8%, found '{text[:20]}'"), node,
                     Said("skriv ut procenttecknet: en uppgift i procent anges som 12,8 % eller 12.8%",
                          "write the % sign: a percentage fact is given as 12.8% or 12,8 %"))
        else:
            match = NUMBER.match(text)
            if match and kind == Unit.NUMBER:
                value = Fraction(match.group(1).replace(",", "."))
                if value < 0 and not negative:
                    self.err("data-type", Said("ett antal personer kan inte vara under noll",
                                               "a count of people cannot be below zero"), node,
                             Said("ange antalet som räknats; ett underskott eller en skillnad är en uppgift: "
                                  "fact NAMN tkr",
                                  "give the number counted; a deficit or a difference is a fact: fact NAME tkr"))
                    return None
                return value
            self.err("data-type", Said(f"här ska stå ett tal, men det står '{text[:20]}'",
                                       f"expected a number, found '{text[:20]}'"), node)
        return None


def _is_date(text: str) -> bool:
    """A day written 2023-12-14, in a year a period can be."""
    import datetime

    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        return False
    return len(text.strip()) == 10 and day.year in m.YEARS


def _one_line(text: str) -> str:
    return redact(" ".join(text.split()))


def _answer_set(key: str, scale: m.Scale) -> frozenset[str] | None:
    """A data key as a set of answers: a subset name, an answer key or its label."""
    subset = scale.subset(key)
    if subset is not None:
        return subset
    folded = normalised(key)
    for answer, label in zip(scale.answers, scale.labels):
        if folded in (normalised(answer), normalised(label)):
            return frozenset({answer})
    return None
