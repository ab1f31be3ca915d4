"""Participant registers → the counts the ruleset defines, in one pass.

A row is one participant in one enrolment. The period is the ruleset's year:
a row counts among the year's participants when its enrolment overlaps the
year; `exited` when it ended within the year, `new` when it started within
it, `active` when it was still open at the year's end. Every count is kept in
total, per gender subgroup and per project or municipality entity, with the
months enrolled summed for mean_months. Cells are never shown in messages."""

from __future__ import annotations

import datetime
import operator
from collections import defaultdict
from fractions import Fraction

from impactdsl.compile import model as m
from impactdsl.core.diagnostics import Diagnostic, Said, did_you_mean, error
from impactdsl.core.kinds import RowOp, Unit
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.source import Span
from impactdsl.outcomes.manifest import FileSpec
from impactdsl.outcomes.tables import Table, TableError, normalised, parse_date, parse_number
from impactdsl.outcomes.tallies import Value

KEYED_FIELDS = ("gender", "project", "municipality")
KEY_KINDS = {"gender": "subgroups", "project": "entities", "municipality": "entities"}
DAYS_PER_MONTH = Fraction(36525, 1200)



def key_map(ruleset: m.Ruleset, spec: FileSpec, kind: str) -> dict[str, str]:
    """Cell value (normalised) → key, for keys of one kind: gender → subgroups,
    project and municipality → entities; the manifest's values first."""
    keys = [k for k in ruleset.keys if k.kind == kind]
    names = {k.name for k in keys}
    out = {normalised(k.name): k.name for k in keys} | {normalised(k.text): k.name for k in keys if k.text}
    out.update({raw: key for raw, key in spec.values if key in names})
    return out


def row_keys(found: dict[str, str]) -> list[str | None]:
    """The keys a row counts under: the total (None), its gender, project and municipality,
    and each project or municipality crossed with the gender ("lyra/kvinnor")."""
    keys: list[str | None] = [None] + list(found.values())
    gender = found.get("gender")
    if gender is not None:
        keys += [f"{found[f]}/{gender}" for f in ("project", "municipality") if f in found]
    return keys


class RegisterTally:
    def __init__(self, ruleset: m.Ruleset, spec: FileSpec, table: Table, limits: Limits = DEFAULT):
        self.r = ruleset
        self.spec = spec
        self.table = table
        self.limits = limits
        self.counts = [c for c in ruleset.counts if c.register == spec.register]
        year = ruleset.settings.period
        if year is None:
            raise TableError(error("data-period", Said("för att läsa ett register behövs regelverkets period "
                                                       "(period 2022)", "reading a register needs the ruleset's period "
                                                       "(period 2022)"), spec.span,
                                   Said("lägg till 'period ÅR' i början av regelverket",
                                        "add 'period YEAR' to the ruleset's header")))
        self.first, self.last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        self.year = year
        self.columns = {field: table.column(column, Said(f"registerfältet {field}", f"register field {field}"))
                        for field, column in spec.columns}
        self.keys = {field: key_map(ruleset, spec, kind) for field, kind in KEY_KINDS.items()}
        self.check_fields()
        self.totals: dict = defaultdict(int)           # (count, key) -> people
        self.days: dict = defaultdict(int)             # (count, key) -> days enrolled, summed
        self.persons: dict = defaultdict(set)          # per-person counts: (count, key) -> person ids

    def check_fields(self) -> None:
        """Every field a count's conditions use must be a mapped column; flags need start and end."""
        flags = any(c.op == "flag" for count in self.counts for c in count.conditions)
        needed = {c.field for count in self.counts for c in count.conditions if c.op != "flag"}
        needed |= {"start", "end"} if flags else set()
        needed |= {"person"} if any(count.per_person for count in self.counts) else set()
        for field in sorted(needed):
            if field == "age" and ("age" in self.columns or "birth_year" in self.columns):
                continue
            if field not in self.columns:
                known = list(self.columns)
                raise TableError(error(
                    "data-column", Said(f"registret {self.spec.register} har ingen kolumn för '{field}'",
                                        f"the register {self.spec.register} has no column for '{field}'"),
                    self.spec.span,
                    did_you_mean(field, known) or Said(f"ange kolumnen under columns: i manifestet, t.ex. "
                                                       f"{field}: Kolumn",
                                                       f"map it under columns: in the manifest, e.g. {field}: Kolumn")))

    def read(self) -> None:
        for line, cells in self.table.rows:
            row = self.parse(line, cells)
            if row is None:
                continue
            found = {f: k for f in KEYED_FIELDS if f in row and (k := self.keys[f].get(normalised(row[f])))}
            days = self.days_enrolled(row)
            for count in self.counts:
                if all(self.holds(c, row) for c in count.conditions):
                    for key in row_keys(found):
                        if count.per_person:
                            self.persons[(count.name, key)].add(row.get("person", ""))
                        else:
                            self.totals[(count.name, key)] += 1
                            self.days[(count.name, key)] += days

    def parse(self, line: int, cells) -> dict | None:
        row = {field: cells[index] for field, index in self.columns.items()}
        if "start" not in self.columns:               # a list without dates: everyone is in the period
            row["_start"], row["_end"] = self.first, None
            return self.with_age(line, row)
        start = parse_date(row["start"]) if row.get("start") else None
        if start is None:
            raise TableError(self.bad(line, "start", Said("ett datum som 2022-03-01", "a date such as 2022-03-01")))
        end = None
        if row.get("end"):
            end = parse_date(row["end"])
            if end is None:
                raise TableError(self.bad(line, "end", Said("ett datum som 2022-11-30, eller tomt så länge "
                                                            "deltagaren är inskriven",
                                                            "a date such as 2022-11-30, or empty while enrolled")))
            if end < start:
                raise TableError(error("data-date", Said(f"{self.table.shown} rad {line}: inskrivningen slutar innan "
                                                         "den börjar",
                                                         f"{self.table.shown} line {line}: the enrolment ends before "
                                                         "it starts"), self.table.span(line),
                                       Said("kontrollera kolumnerna för start och slut",
                                            "check the start and end columns")))
        if start > self.last or (end is not None and end < self.first):
            return None                                # not enrolled during the period
        row["_start"], row["_end"] = start, end
        return self.with_age(line, row)

    def with_age(self, line: int, row: dict) -> dict:
        if "age" in row and row["age"]:
            age = parse_number(row["age"], self.limits)
            if age is None:
                raise TableError(self.bad(line, "age", Said("ett helt antal år", "a whole number of years")))
            row["_age"] = age
        elif "birth_year" in row and row["birth_year"]:
            born = parse_number(row["birth_year"], self.limits)
            if born is None or not 1900 <= born <= self.year:
                raise TableError(self.bad(line, "birth_year", Said("ett årtal som 1994", "a year such as 1994")))
            row["_age"] = self.year - born
        return row

    def bad(self, line: int, field: str, wanted: Said):
        """A cell that is not what its field holds: the line and column are named, never the cell."""
        column = dict(self.spec.columns)[field]
        return error("data-type", Said(f"{self.table.shown} rad {line}: kolumnen för {field} ('{column}') innehåller "
                                       f"inte {wanted.sv}",
                                       f"{self.table.shown} line {line}: the {field} column ('{column}') does not "
                                       f"hold {wanted.en}"), self.table.span(line),
                     Said(f"skriv {wanted.sv}", f"write {wanted.en}"))

    def holds(self, c: m.RowCondition, row: dict) -> bool:
        if c.op == RowOp.FLAG:
            start, end = row["_start"], row["_end"]
            if c.field == "exited":
                return end is not None and self.first <= end <= self.last
            if c.field == "new":
                return self.first <= start <= self.last
            return end is None or end > self.last      # active
        if c.field == "age":
            value = row.get("_age")
            if value is None:
                return False
            return _compare(value, c.op, c.values[0])
        cell = normalised(row.get(c.field, ""))
        if c.op == RowOp.IN:
            return cell in {normalised(v) for v in c.values}
        if c.op == RowOp.EQUAL:
            return cell == normalised(str(c.values[0]))
        number = parse_number(cell, self.limits)
        return number is not None and _compare(number, c.op, c.values[0])

    def days_enrolled(self, row: dict) -> int:
        return ((row["_end"] or self.last) - row["_start"]).days

    def problems(self) -> list[Diagnostic]:
        """A register's problems are raised as they are met (TableError): none are left to report."""
        return []

    def tallies(self) -> dict:
        """Every count under every key it could have: a key no row matched is 0, not missing
        (no woman exited is an outcome of 0 %, not a gap in the data)."""
        source = Span(self.table.path, 1, 1)
        keys = {None} | {key for _, key in self.totals} | {key for _, key in self.persons}
        keys |= {key for field, known in self.keys.items() if field in self.columns for key in known.values()}
        out = {}
        for count in self.counts:
            for key in keys:
                out[(count.name, key, False)] = Value(0, Unit.NUMBER, source, None if count.per_person else Fraction(0))
        for (name, key), people in self.totals.items():
            out[(name, key, False)] = Value(people, Unit.NUMBER, source, Fraction(self.days[(name, key)]) / DAYS_PER_MONTH)
        for (name, key), persons in self.persons.items():
            out[(name, key, False)] = Value(len(persons), Unit.NUMBER, source)
        return out


COMPARE = {RowOp.LESS_THAN: operator.lt, RowOp.AT_MOST: operator.le, RowOp.MORE_THAN: operator.gt,
           RowOp.AT_LEAST: operator.ge, RowOp.EQUAL: operator.eq}


def _compare(value, op: str, bound) -> bool:
    return COMPARE[op](value, bound)
