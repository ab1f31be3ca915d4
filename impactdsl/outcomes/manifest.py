"""What the raw files in a data folder mean, declared once in YAML (`files:`).

    files:
      - path: personal.csv          # relative to the YAML file's folder
        kind: survey                # survey or register
        layout: wide                # wide: a row per respondent; long: a row per answer
        group: staff                # or group_column: the column naming each row's group
        respondent: Respondent      # optional id column; a repeated id is an error
        subgroup: Kön               # optional column of subgroups ...
        values: {K: kvinnor, M: män}    # ... and how its values map to subgroup keys
        questions: {q3.2.1: "Fråga 1"}  # wide: question -> column (default: the question id)
      - path: svar.xlsx
        sheet: Svar
        header_row: 3               # optional: the header's line (else the first line with two cells)
        where: {Status: Slutförd}   # optional: only the rows whose column holds the value (completed only)
        codes: {1: mycket stor, 2: stor, 3: liten}   # optional: answers written as codes, and what they are
        dates: {column: Inskickad, from: 2022-01-01, to: 2022-12-31}   # optional: the rows of a period
        options: {q5: {arbete: "Stöd - Arbete", studier: "Stöd - Studier"}}   # a multiple question, a column
        chosen: Markerad            # optional: the word an option's column says chosen with (beside 1, x, ja)
        kind: survey
        layout: long
        group: participants
        respondent: id
        question_column: fråga
        answer_column: svar
      - path: deltagare.csv
        kind: register
        register: deltagare
        columns: {gender: Kön, birth_year: Födelseår, start: Start, end: Slut, exit_reason: Avslutsorsak}
        values: {K: kvinnor, M: män}
"""

from __future__ import annotations

from pathlib import Path

import attrs

from impactdsl.core.source import Span

SURVEY_KEYS = ("path", "kind", "sheet", "header_row", "where", "layout", "group", "group_column", "respondent",
               "subgroup", "values", "questions", "question_column", "answer_column", "codes", "separators", "dates",
               "options", "chosen")
REGISTER_KEYS = ("path", "kind", "sheet", "header_row", "register", "columns", "values")


@attrs.frozen
class FileSpec:
    kind: str                                   # survey or register
    path: Path
    shown: str
    span: Span = attrs.field(eq=False)
    sheet: str | None = None
    layout: str = "wide"
    group: str | None = None
    group_column: str | None = None
    respondent: str | None = None
    subgroup: str | None = None
    values: tuple[tuple[str, str], ...] = ()    # raw value (casefolded) -> subgroup key
    questions: tuple[tuple[str, str], ...] = ()
    question_column: str | None = None
    answer_column: str | None = None
    register: str | None = None
    columns: tuple[tuple[str, str], ...] = ()   # field -> column header
    header_row: int | None = None               # the header's line, when it is not found (title rows above)
    where: tuple[tuple[str, str], ...] = ()     # survey rows read: only those whose column holds the value
    codes: tuple[tuple[str, str], ...] = ()     # the export's answer codes and the answers they stand for
    separators: tuple[tuple[str, str], ...] = ()   # a multiple question's separator in its cell (default ";")
    dates: tuple[tuple[str, str], ...] = ()     # rows read: only those whose `column` date is `from`..`to`
    options: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()   # a multiple question, a column per
    chosen: str | None = None                   # answer: question -> (answer, column); and the file's word

    def value_map(self) -> dict[str, str]:
        return dict(self.values)
