"""Large and Parquet files through DuckDB: one GROUP BY instead of a Python loop.

An accelerator, not a second reader: it asks DuckDB for the same tallies the
plain reader builds (answers per group, question, subgroup and label; register
counts per gender, project and municipality) and hands them to the same
classes. Whenever DuckDB finds anything doubtful — a row it cannot read, a
label off the scale, a date that does not parse — it gives up and the plain
reader reads the file again, so every diagnostic comes from one place.
DuckDB is imported only here, for files this module is asked to read."""

from __future__ import annotations

import os
from contextlib import contextmanager

from impactdsl.compile import model as m
from impactdsl.core.diagnostics import Diagnostic, Said, error, warning
from impactdsl.core.kinds import RowOp
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.redact import IDENTITY_CELL_RE2, is_identity
from impactdsl.outcomes.manifest import FileSpec
from impactdsl.outcomes.registers import KEYED_FIELDS, RegisterTally, row_keys
from impactdsl.outcomes.surveys import ANSWER, GROUP, QUESTION, SUBGROUP, SurveyTally
from impactdsl.outcomes.tables import Table, TableError, check_header, identity, normalised
from impactdsl.read import files

LARGE_BYTES = 8 * 1024 * 1024


class Doubt(Exception):
    """DuckDB met something the plain reader should explain."""


def wanted(spec: FileSpec) -> bool:
    """Whether this file goes through DuckDB: Parquet always, CSV when large."""
    suffix = spec.path.suffix.casefold()
    if suffix == ".parquet":
        return True
    return suffix == ".csv" and spec.header_row is None and not spec.where and not spec.separators and \
        not spec.dates and not spec.options and \
        not spec.codes and spec.path.is_file() and \
        spec.path.stat().st_size >= LARGE_BYTES


def available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def missing_engine(spec: FileSpec) -> Diagnostic:
    if spec.path.suffix.casefold() == ".parquet":
        return error("data-parquet", Said(f"{spec.shown}: för att läsa Parquet behövs DuckDB, som inte är "
                                          "installerat",
                                          f"{spec.shown}: reading Parquet needs DuckDB, which is not installed"),
                     spec.span, Said("pip install 'impactdsl[large]'", "pip install 'impactdsl[large]'"))
    return warning("data-large", Said(f"{spec.shown} är stor; utan DuckDB läses den rad för rad, vilket tar "
                                      "längre tid",
                                      f"{spec.shown} is large; without DuckDB it is read row by row, which is slower"),
                   spec.span, Said("pip install 'impactdsl[large]' för att läsa stora filer i ett svep med DuckDB",
                                   "pip install 'impactdsl[large]' to read large files in one pass through DuckDB"))


@contextmanager
def _opened(spec: FileSpec, places, opened=None):
    """The file opened once (regular, inside its folders; or the opening given) and the name DuckDB
    is to read it by: the open file itself where the system names it (/proc/self/fd), so no link
    changed meanwhile can lead DuckDB to another file, and no character of its name is read as a
    pattern."""
    with (files.again(opened) if opened is not None else files.open_regular(spec.path, places)) as handle:
        by_descriptor = f"/proc/self/fd/{handle.fileno()}"
        if os.path.exists(by_descriptor):
            yield handle, by_descriptor
            return
        if any(character in str(spec.path) for character in "*?[]{}"):
            raise Doubt("DuckDB would read the name as a pattern of names")
        yield handle, str(spec.path)


def _source(spec: FileSpec, handle, name: str) -> str:
    name = name.replace("'", "''")
    if spec.path.suffix.casefold() == ".parquet":
        return f"read_parquet('{name}')"
    head = handle.read(64 * 1024)
    try:
        head.rsplit(b"\n", 1)[0].decode("utf-8")           # whole lines: a character may be cut at the end
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "latin-1"
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    delimiter = max((";", ",", "\t"), key=lambda d: (first.count(d), d == ";"))
    return (f"read_csv('{name}', header=true, all_varchar=true, delim='{delimiter}', "
            f"encoding='{encoding}', strict_mode=true)")


def _connect(progress: bool, limits: Limits):
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
    # Memory stays bounded, and nothing is written: a query that needs more fails (the plain reader
    # then reads the file within its own limits) instead of spilling to a folder of DuckDB's.
    con.execute(f"SET memory_limit = '{limits.duckdb_megabytes}MB'")
    con.execute("SET temp_directory = ''")
    return con


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _columns(con, source: str, spec: FileSpec, limits: Limits) -> tuple[str, ...]:
    """The header, checked as the plain reader checks it."""
    cursor = con.execute(f"SELECT * FROM {source} LIMIT 0")
    header = tuple(str(d[0]).strip() for d in cursor.description)
    check_header(header, spec.shown, spec.span, limits)
    return header


def _is_identity_sql(column: str) -> str:
    """True for a cell that is a personnummer or samordningsnummer (the plain reader's test, in SQL;
    the length test first, so the pattern runs only on cells that could be one: AND would run both)."""
    cell = f"CAST({column} AS VARCHAR)"
    return (f"(CASE WHEN length({cell}) BETWEEN 10 AND 15 "
            f"THEN regexp_full_match(replace({cell}, ' ', ''), '{IDENTITY_CELL_RE2}') ELSE false END)")


def _refuse_identities(spec: FileSpec, header: tuple[str, ...], flags, values=()) -> None:
    """Refuse the file, naming the column, when any row's flag for a column is set or a value that
    came back from DuckDB is an identity number: every row is looked at, in the same scan."""
    for index, flag in flags:
        if flag:
            raise TableError(identity(spec.shown, header[index], spec.span))
    for index, value in values:
        if value is not None and is_identity(str(value)):
            raise TableError(identity(spec.shown, header[index], spec.span))


def _header_table(spec: FileSpec, header: tuple[str, ...]) -> Table:
    """A Table with the file's header and no rows: the column lookups and their messages."""
    return Table(spec.shown, spec.shown, None, header, iter(()))


def survey(ruleset: m.Ruleset, spec: FileSpec, limits: Limits = DEFAULT, progress: bool = False,
           places=None, opened=None) -> SurveyTally:
    """The file's tallies through one GROUP BY; raises Doubt for the plain reader to explain.

    The columns the tallies do not use are tested for identity numbers in the same scan; the
    values of those they use come back and are tested here."""
    import duckdb

    con = _connect(progress, limits)
    try:
        with _opened(spec, places, opened) as (handle, name):
            source = _source(spec, handle, name)
            header = _columns(con, source, spec, limits)
            tally = SurveyTally(ruleset, spec, _header_table(spec, header), limits)
            t = tally.table
            used = {}                                   # role -> column index
            if spec.group_column:
                used["g"] = t.column(spec.group_column, GROUP)
            if spec.subgroup:
                used["s"] = t.column(spec.subgroup, SUBGROUP)
            group = _quote(header[used["g"]]) if "g" in used else "NULL"
            subgroup = _quote(header[used["s"]]) if "s" in used else "NULL"
            if spec.layout == "long":
                used["q"] = t.column(spec.question_column, QUESTION)
                used["a"] = t.column(spec.answer_column, ANSWER)
                unused = [i for i in range(len(header)) if i not in used.values()]
                flags = "".join(f", bool_or({_is_identity_sql(_quote(header[i]))})" for i in unused)
                query = (f"SELECT {group}, {subgroup}, {_quote(header[used['q']])}, {_quote(header[used['a']])}, "
                         f"count(*){flags} FROM {source} GROUP BY ALL")
                questions = {normalised(c): ruleset.question(q) for q, c in spec.questions} | \
                    {normalised(q.name): q for q in ruleset.questions}
            else:
                pairs = tally._question_columns()
                answers = [i for _, i in pairs]
                names = ", ".join(_quote(header[i]) for i in answers)
                unused = [i for i in range(len(header)) if i not in used.values() and i not in answers]
                inner = "".join(f", {_is_identity_sql(_quote(header[i]))} AS id_{i}" for i in unused)
                flags = "".join(f", bool_or(id_{i})" for i in unused)
                query = (f"SELECT g, s, q, a, count(*){flags} FROM (SELECT {group} AS g, {subgroup} AS s{inner}, "
                         f"{names} FROM {source}) UNPIVOT INCLUDE NULLS (a FOR q IN ({names})) GROUP BY g, s, q, a")
                # INCLUDE NULLS: a blank answer is counted, as the plain reader counts it for explain
                questions = {normalised(header[i]): q for q, i in pairs}
            # More distinct answers than the limit are unknown ones, for the plain reader to count
            # within its limits: never a result held whole.
            rows = con.execute(f"{query} LIMIT {limits.distinct_answers + 1}").fetchall()
    except duckdb.Error as exc:
        raise Doubt(str(exc)) from None
    finally:
        con.close()
    if len(rows) > limits.distinct_answers:
        raise Doubt("more distinct answers than a survey of the ruleset's scales can hold")
    column_of = {header[i]: i for i in range(len(header))}
    for row in rows:
        values = [(used[role], value) for role, value in zip("gsqa", row[:4]) if role in used]
        if spec.layout != "long":
            values.append((column_of.get(row[2], 0), row[3]))       # wide: the answer's own column
        _refuse_identities(spec, header, zip(unused, row[5:]), values)
    for raw_group, raw_subgroup, raw_question, raw_answer, count, *_ in rows:
        q = questions.get(normalised(raw_question or ""))
        if q is None:
            raise Doubt("unknown question")
        g = spec.group if raw_group is None and spec.group else tally.groups.get(normalised(raw_group or ""))
        if g is None:
            raise Doubt("unknown group")
        sub = tally.subgroups.get(normalised(raw_subgroup)) if raw_subgroup is not None else None
        tally.add(0, g, q, sub, raw_answer or "", count)
    if tally.unknown:
        raise Doubt("unknown answers")
    return tally


def register(ruleset: m.Ruleset, spec: FileSpec, limits: Limits = DEFAULT, progress: bool = False,
             places=None, opened=None) -> dict:
    """Register counts through one GROUP BY over what the conditions can tell apart.

    Rows are grouped by the mapped gender, project and municipality (other
    values count in the total only), by whether they fall in the period and
    by the truth of each distinct condition; each count then adds up the
    groups in the period whose conditions all hold. Every column of every
    row is tested for identity numbers in the same scan."""
    import duckdb

    con = _connect(progress, limits)
    try:
        with _opened(spec, places, opened) as (handle, name):
            source = _source(spec, handle, name)
            header = _columns(con, source, spec, limits)
            tally = RegisterTally(ruleset, spec, _header_table(spec, header), limits)
            if any(count.per_person for count in tally.counts):
                raise Doubt("counts per person are counted by the plain reader")
            raw = {field: _quote(header[index]) for field, index in tally.columns.items()}
            text = {field: f"f_{i}" for i, field in enumerate(raw)}       # each cell normalised once
            first, last = f"DATE '{tally.first}'", f"DATE '{tally.last}'"
            start = f"TRY_CAST({raw['start']} AS DATE)" if "start" in raw else first
            end = f"TRY_CAST(NULLIF({text['end']}, '') AS DATE)" if "end" in raw else "NULL"
            age = (f"TRY_CAST({raw['age']} AS DOUBLE)" if "age" in raw else
                   f"{tally.year} - TRY_CAST({raw['birth_year']} AS INTEGER)" if "birth_year" in raw else "NULL")
            keys = [_key_sql(text.get(f), tally.keys[f]) for f in KEYED_FIELDS]
            conditions = sorted({c for count in tally.counts for c in count.conditions}, key=repr)
            tests = [_sql(c, text, first, last) for c in conditions] or ["true"]
            bad = (["st IS NULL"] if "start" in raw else []) + \
                ([f"(en IS NULL AND {text['end']} <> '')"] if "end" in raw else [])
            normalised = ", ".join(f"lower(trim({raw[f]})) AS {text[f]}" for f in raw)
            identities = "".join(f", {_is_identity_sql(_quote(column))} AS id_{i}" for i, column in enumerate(header))
            flags = "".join(f", bool_or(id_{i})" for i in range(len(header)))
            period = f"(st IS NULL OR (st <= {last} AND (en IS NULL OR en >= {first})))"
            query = (f"WITH r AS (SELECT {normalised}, {start} AS st, {end} AS en, {age} AS age_{identities} "
                     f"FROM {source}) "
                     f"SELECT {', '.join(keys)}, {', '.join(tests)}, "
                     f"{' OR '.join(bad) or 'false'} AS bad, {period} AS in_period, count(*), "
                     f"sum(date_diff('day', st, coalesce(en, {last}))){flags} FROM r GROUP BY ALL")
            rows = con.execute(query).fetchall()
    except duckdb.Error as exc:
        raise Doubt(str(exc)) from None
    finally:
        con.close()
    width, index = len(KEYED_FIELDS), {c: i for i, c in enumerate(conditions)}
    after = width + len(tests)
    for row in rows:
        _refuse_identities(spec, header, enumerate(row[after + 4:]))
    for row in rows:
        truths, is_bad, in_period, people, days = row[width:after], *row[after:after + 4]
        if not in_period:
            continue
        if is_bad:
            raise Doubt("cells that do not parse")
        found = {f: tally.keys[f][v] for f, v in zip(KEYED_FIELDS, row[:width]) if v is not None}
        for count in tally.counts:
            if all(truths[index[c]] for c in count.conditions):
                for key in row_keys(found):
                    tally.totals[(count.name, key)] += int(people)
                    tally.days[(count.name, key)] += int(days or 0)
    return tally.tallies()


def _key_sql(cell: str | None, known: dict[str, str]) -> str:
    """The normalised cell when it names a declared key, else NULL (it counts in the total only)."""
    if cell is None or not known:
        return "NULL"
    return f"CASE WHEN {cell} IN ({', '.join(_literal(v) for v in sorted(known))}) THEN {cell} END"


def _sql(c: m.RowCondition, text: dict, first: str, last: str) -> str:
    """One condition as SQL over the normalised cells (text), dates (st, en) and age_."""
    if c.op == RowOp.FLAG:
        return {"exited": f"(en IS NOT NULL AND en BETWEEN {first} AND {last})",
                "new": f"(st BETWEEN {first} AND {last})",
                "active": f"(en IS NULL OR en > {last})"}[c.field]
    if c.field == "age":
        return f"(age_ {SQL_COMPARE[c.op]} {float(c.values[0])})"
    cell = text[c.field]
    if c.op == RowOp.IN:
        return f"({cell} IN ({', '.join(_literal(v) for v in c.values)}))"
    if c.op == RowOp.EQUAL:
        return f"({cell} = {_literal(c.values[0])})"
    return f"(TRY_CAST({cell} AS DOUBLE) {SQL_COMPARE[c.op]} {float(c.values[0])})"


SQL_COMPARE = {RowOp.LESS_THAN: "<", RowOp.AT_MOST: "<=", RowOp.MORE_THAN: ">", RowOp.AT_LEAST: ">=",
               RowOp.EQUAL: "="}           # SQL of each numeric comparison: no text of a ruleset is put in


def _literal(value) -> str:
    return "'" + normalised(str(value)).replace("'", "''") + "'"
