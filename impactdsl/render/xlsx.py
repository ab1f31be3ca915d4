"""The report as an XLSX workbook an association keeps: a summary sheet first
(title, association, period, a row per unit and the total), a sheet per unit
(goal, indicator, target, the outcome as a number and in words, the status
filled in its colour, and the points where the method has them), and a sheet
per descriptive table.

Sums and indices are formulas (SUM, ROUND, a unit's cells named from the
summary) whose stored values are the engine's own figures, so the workbook
shows them before anything is recalculated and recalculates to them; a figure
the method makes in a way no formula here says (an index of goals, a rounding
other than half-up) is written as the number. Every sheet prints on A4
landscape, fitted to the page's width, its header row repeated, its rows as
high as their wrapped texts. The same inputs give the same bytes (the
evaluation's date as the document's, sorted zip entries).

The workbook is inert: every text goes through `_append` or `_put`, which
store it as a text — never a formula, whatever it starts with — and mark a
text that begins like a formula (= + - @, a tab or a carriage return) with
Excel's quote prefix, the way spreadsheet-safe exporters do, so it stays a
text when it is edited or copied elsewhere. Formulas are made here only, of
cell references and numbers. Control characters cannot reach a cell (every
ruleset text has passed `redact`; `_text` replaces any that remain); sheet
names are made valid and unique by `_sheet_name`, and page headers escape
Excel's '&' codes."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from impactdsl.core.kinds import Unit
from impactdsl.core.redact import redact
from impactdsl.render.view import ReportView, plain_number

FIXED_TIME = datetime.datetime(2000, 1, 1, 0, 0, 0)      # a report with neither --date nor a period
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_CHARACTERS = 31
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
LINE_HEIGHT = 15                                         # points per line of wrapped 11 pt text
AREA_COLUMNS = (8, 34, 10, 56, 17, 10, 16, 15, 9, 15, 56)   # widths: goal, its text, id, indicator, target, ...
NUMBER_FORMATS = {Unit.PERCENT: "0%", Unit.TKR: '# ##0 "tkr"', Unit.PP: "0", Unit.NUMBER: "General"}


def _text(value: str) -> str:
    return redact(value)


def _inert(cell) -> None:
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def _append(sheet, values) -> int:
    """Append one row; each text is stored as a text, a formula-like one with the quote prefix.
    Returns the row's number (openpyxl's own count: an empty row makes no cells, so `max_row` would
    name the row above it)."""
    sheet.append([_text(v) if isinstance(v, str) else v for v in values])
    number = sheet._current_row
    for cell in sheet[number] if values else ():
        _inert(cell)
    return number


class Formulas:
    """The workbook's formulas and the value each is to show: openpyxl writes a formula with no
    stored value, so `workbook_bytes` writes each one's value into its cell afterwards."""

    def __init__(self):
        self.values: dict[tuple[str, str], float | int] = {}

    def put(self, sheet, row: int, column: int, formula: str, value: int | float) -> None:
        """A formula in a cell, with the value it comes to (the engine's figure)."""
        assert isinstance(value, (int, float)) and not isinstance(value, bool), "a formula comes to a number"
        cell = sheet.cell(row, column)
        cell.value = "=" + formula
        self.values[(sheet.title, cell.coordinate)] = value


def _sheet_name(book, wanted: str) -> str:
    """A valid sheet name (no [ ] : * ? / \\, not quoted, at most 31 characters, cut at a word with
    '…' when longer), unique in the book."""
    name = " ".join(_text(NOT_IN_SHEET_NAMES.sub(" ", wanted)).strip("'").split()) or "Blad"
    taken = {title.casefold() for title in book.sheetnames}
    candidate, number = _cut(name, SHEET_NAME_CHARACTERS), 1
    while candidate.casefold() in taken or not candidate.strip():
        number += 1
        suffix = f" ({number})"
        candidate = _cut(name, SHEET_NAME_CHARACTERS - len(suffix)) + suffix
    return candidate


def _cut(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    head = name[:limit - 1]
    word = head.rfind(" ")
    return (head[:word] if word >= len(head) - 8 else head).rstrip(" '") + "…"     # at a word, if one is near


def _reference(sheet, coordinate: str) -> str:
    """A cell of another sheet, as a formula names it ('Målområde 1'!$C$30)."""
    return "'" + sheet.title.replace("'", "''") + "'!" + re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", coordinate)


def workbook_bytes(book, when: datetime.datetime = FIXED_TIME, formulas: Formulas | None = None) -> bytes:
    """Save an openpyxl workbook with its document dates and every zip entry set to `when`, and the
    value of each formula written into its cell."""
    book.properties.created = book.properties.modified = when
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                          rb"\g<1>" + stamp + rb"\g<2>", entries["docProps/core.xml"])
    for position, sheet in enumerate(book.worksheets, 1):
        part = f"xl/worksheets/sheet{position}.xml"
        wanted = {cell: value for (title, cell), value in (formulas.values if formulas else {}).items()
                  if title == sheet.title}
        if wanted:
            entries[part] = _with_values(entries[part], wanted)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v ?/></c>')


def _with_values(xml: bytes, wanted: dict) -> bytes:
    """A sheet's XML with each formula cell's stored value filled in."""
    def filled(match) -> bytes:
        value = wanted.get(match.group(1).decode())
        if value is None:
            return match.group(0)
        return b'<c r="%s"%s><f>%s</f><v>%s</v></c>' % (match.group(1), match.group(2), match.group(3),
                                                       repr(value).encode())
    return FORMULA_CELL.sub(filled, xml)


def render_xlsx(view: ReportView) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    formulas = Formulas()
    summary = book.create_sheet(_sheet_name(book, view.w["summary"]))
    totals = [_area_sheet(book, view, area, formulas) for area in view.areas]
    _summary_sheet(summary, view, totals, formulas)
    for table in view.tables:
        _table_sheet(book, view, table)
    book.properties.title = _text(view.name or view.title)
    book.properties.creator = _text(view.association) or "impactdsl"
    book.properties.subject = _text(" · ".join(p for p in (view.association, view.period) if p))
    book.properties.description = _text(view.evaluated)
    book.properties.lastModifiedBy = "impactdsl"
    book.properties.keywords = _text(view.period)
    book.calculation.fullCalcOnLoad = True
    when = datetime.datetime.fromisoformat(view.date) if view.date else FIXED_TIME
    return workbook_bytes(book, when, formulas)


def _title(sheet, view: ReportView, heading: str) -> int:
    """The sheet's title rows: what it shows, whose and when; returns the next row's number."""
    from openpyxl.styles import Font

    _append(sheet, [heading])
    sheet["A1"].font = Font(bold=True, size=14)
    _append(sheet, [" · ".join(part for part in (view.association, view.name, view.period) if part)])
    _append(sheet, [view.evaluated])
    for row in (2, 3):
        sheet.cell(row, 1).font = Font(color="555555")
    return _append(sheet, []) + 1


def _header(sheet, row: int, view: ReportView) -> None:
    """A header row: bold, wrapped, repeated on every printed page, and the page's head and foot."""
    from openpyxl.styles import Alignment, Font, PatternFill

    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    sheet.print_title_rows = f"{row}:{row}"
    sheet.freeze_panes = f"A{row + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.left.text = _page_text(view.running)
    sheet.oddFooter.left.text = _page_text(view.evaluated)
    sheet.oddFooter.right.text = f"{_page_text(view.w['page'])} &P {_page_text(view.w['of'])} &N"


def _page_text(text: str) -> str:
    """A text in a printed page's head or foot, where '&' starts Excel's codes: written '&&'."""
    return _text(text).replace("&", "&&")


def _area_sheet(book, view: ReportView, area, formulas: Formulas) -> dict:
    """A unit's sheet; returns where its sums are, for the summary's formulas to name."""
    from openpyxl.styles import Alignment, PatternFill

    w = view.w
    sheet = book.create_sheet(_sheet_name(book, f"{w['area']} {area.id}"))
    first = _title(sheet, view, f"{w['area']} {area.id}: {area.title}")
    header = [w["goal"], "", w["indicator_no"], w["indicator"], w["target_column"], w["outcome"], w["status"]]
    header += [w["value"], w["points"], w["max"]] if view.has_points else []
    _append(sheet, header + [w["outcome_text"]])
    _header(sheet, first, view)
    status_column, words_column = 7, len(header) + 1
    for row in area.rows:
        values = [row.goal_id if row.goal_text else None,
                  (row.goal_text + (f" — {row.goal_grade}" if row.goal_grade else "")) or None,
                  row.id + (f" {w['bonus_row']}" if row.is_bonus else ""), row.text, row.target_text,
                  _measured(row), row.status_label]
        values += [row.value, row.points, row.result.value] if view.has_points else []
        number = _append(sheet, values + [" ".join([row.outcome, *row.narrative])])   # one line: inert
        outcome = sheet.cell(number, 6)
        outcome.number_format = NUMBER_FORMATS.get(row.unit, "General")
        sheet.cell(number, status_column).fill = PatternFill("solid", fgColor=_light(row.colour))
    last = _append(sheet, []) - 1
    sums = {}

    def total(label: str, value, formula: str | None = None) -> int:
        number = _append(sheet, [None, label, value])
        if formula is not None:
            formulas.put(sheet, number, 3, formula, value)
        return number

    sums["goals"] = total(w["goals"], area.goal_count)
    sums["indicators"] = total(w["indicators"], area.indicator_count)
    if view.has_points:
        sums["max"] = total(w["max"], area.maximum, f"SUM(J{first + 1}:J{last})")
        sums["achieved"] = total(w["achieved"], area.achieved, f"SUM(I{first + 1}:I{last})")
    if view.index_name:
        value = plain_number(area.index_value) if not area.withheld else area.index
        sums["index"] = total(view.index_name, value, _index_formula(
            view, f"C{sums['achieved']}", f"C{sums['max']}", area) if view.has_points else None)
    for line in area.grade_lines:
        _append(sheet, [None, line])
    for column, width in enumerate(AREA_COLUMNS[:words_column - 1] + (AREA_COLUMNS[-1],), 1):
        sheet.column_dimensions[_letter(column)].width = width
    for cells in sheet.iter_rows(min_row=first + 1):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _fit_rows(sheet, first)
    return {key: _reference(sheet, f"C{number}") for key, number in sums.items()}


def _measured(row):
    """The outcome as a number in its cell: a percentage as a fraction (formatted 0 %), else as it is."""
    value = plain_number(row.measured)
    if row.unit == Unit.PERCENT and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value / 100
    if isinstance(value, bool):
        return row.value_text
    return value


def _index_formula(view: ReportView, achieved: str, maximum: str, part) -> str | None:
    """ROUND(achieved/max*100) where that is how the method makes its index, and the index is shown."""
    rounding = view.results.ruleset.settings.rounding
    rule = view.results.ruleset.method.index
    if part.withheld or part.index_value is None or rule is None or rule.of_goals is not None or \
            rounding.mode not in ("half-up", "none"):
        return None
    return f"ROUND({achieved}/{maximum}*100,0)"


def _summary_sheet(sheet, view: ReportView, totals: list[dict], formulas: Formulas) -> None:
    w = view.w
    first = _title(sheet, view, view.name or view.title)
    columns = [(w["area"], lambda a: f"{a.id} {a.title}", w["total"], None, None)]
    if view.has_weights:
        total_planned = sum(a.planned_fraction for a in view.areas) if all(
            a.planned_fraction is not None for a in view.areas) else None
        columns += [(w["planned_weight"], lambda a: _fraction(a.planned_fraction), _fraction(total_planned), "0%",
                     None),
                    (w["actual_weight"], lambda a: _fraction(a.actual_fraction), 1.0 if view.maximum else None,
                     "0%", None)]
    columns += [(w["goals"], lambda a: a.goal_count, view.goal_count, None, "goals"),
                (w["indicators"], lambda a: a.indicator_count, view.indicator_count, None, "indicators")]
    if view.has_points:
        columns += [(w["max"], lambda a: a.maximum, view.maximum, None, "max"),
                    (w["achieved"], lambda a: a.achieved, view.achieved, None, "achieved")]
    if view.index_name:
        columns.append((view.index_name, lambda a: plain_number(a.index_value) if not a.withheld else a.index,
                        plain_number(view.index_value) if not view.withheld else view.index, None, "index"))
        if view.has_target:
            columns += [(w["target"], lambda a: plain_number(a.target_value), plain_number(view.target_value),
                         None, None),
                        (w["difference"], lambda a: plain_number(a.difference_value),
                         plain_number(view.difference_value), None, "difference")]
    if view.graded:
        columns.append((w["grade"], lambda a: a.grade or None, None, None, None))
    _append(sheet, [title for title, *_ in columns])
    _header(sheet, first, view)
    where = {key: position for position, (*_, key) in enumerate(columns, 1) if key}
    for area, sums in zip(view.areas, totals):
        number = _append(sheet, [value(area) for _, value, *_ in columns])
        _row_formulas(sheet, number, where, sums, area, view, formulas)
    number = _append(sheet, [total for _, _, total, *_ in columns])
    _total_formulas(sheet, number, where, first + 1, number - 1, view, formulas)
    from openpyxl.styles import Font

    for cell in sheet[number]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=first + 1):
        for cell, (*_, number_format, _) in zip(row, columns):
            if number_format:
                cell.number_format = number_format
    for position, _ in enumerate(columns):
        sheet.column_dimensions[_letter(position + 1)].width = 34 if position == 0 else 14
    for line in (view.withheld, view.unassessed):           # what could not be assessed, under the figures
        if line:
            _append(sheet, [])
            _append(sheet, [line + "."])
    if view.inputs:                                          # the files the figures come from, by content
        _append(sheet, [])
        _append(sheet, [w["inputs"]])
        for path, digest in view.inputs:
            _append(sheet, [path, digest])
    _fit_rows(sheet, first)


def _row_formulas(sheet, number: int, where: dict, sums: dict, area, view: ReportView, formulas: Formulas) -> None:
    """A unit's row of the summary: its sums named from its own sheet, its difference worked out."""
    for key in ("goals", "indicators", "max", "achieved", "index"):
        if key in where and key in sums and isinstance(sheet.cell(number, where[key]).value, (int, float)):
            formulas.put(sheet, number, where[key], sums[key], sheet.cell(number, where[key]).value)
    _difference(sheet, number, where, area, formulas)


def _total_formulas(sheet, number: int, where: dict, top: int, bottom: int, view: ReportView,
                    formulas: Formulas) -> None:
    """The total row: sums of the units' rows, and the index of the sums where the method makes it so."""
    for key in ("goals", "indicators", "max", "achieved"):
        if key in where:
            column = _letter(where[key])
            formulas.put(sheet, number, where[key], f"SUM({column}{top}:{column}{bottom})",
                         sheet.cell(number, where[key]).value)
    if "index" in where and "max" in where and "achieved" in where:
        formula = _index_formula(view, f"{_letter(where['achieved'])}{number}", f"{_letter(where['max'])}{number}",
                                 view)
        if formula is not None:
            formulas.put(sheet, number, where["index"], formula, sheet.cell(number, where["index"]).value)
    _difference(sheet, number, where, view, formulas)


def _difference(sheet, number: int, where: dict, part, formulas: Formulas) -> None:
    """The index's difference from its target, as index − target, where both are shown as numbers."""
    if "difference" not in where or part.difference_value is None or part.withheld or part.index_value is None:
        return
    index, difference = where["index"], where["difference"]          # the target stands just before it
    formulas.put(sheet, number, difference, f"{_letter(index)}{number}-{_letter(difference - 1)}{number}",
                 plain_number(part.difference_value))


def _table_sheet(book, view: ReportView, table) -> None:
    from openpyxl.styles import Alignment

    sheet = book.create_sheet(_sheet_name(book, table.title))
    first = _title(sheet, view, table.title)
    _append(sheet, list(table.header))
    _header(sheet, first, view)
    for row in table.numbers:
        number = _append(sheet, [value / 100 if unit == Unit.PERCENT and isinstance(value, (int, float)) else value
                                 for value, unit in zip(row, ("",) + table.units)])
        for cell, unit in zip(sheet[number][1:], table.units):
            cell.number_format = "0%" if unit == Unit.PERCENT else ('# ##0 "tkr"' if unit == Unit.TKR else "0")
    if table.note:
        _append(sheet, [])
        _append(sheet, [table.note + "."])
    sheet.column_dimensions["A"].width = 32
    for position in range(2, len(table.header) + 1):
        sheet.column_dimensions[_letter(position)].width = 12
    for cells in sheet.iter_rows(min_row=first + 1):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _fit_rows(sheet, first)


def _fit_rows(sheet, first: int) -> None:
    """Every row from the header down as high as its longest wrapped text needs, so no text runs into
    the row below it (LibreOffice and Excel do not grow a row on opening). The lines are counted by
    wrapping the text at its words, a column's width taken as that many characters less one: wide
    enough for the fonts either program substitutes."""
    widths = {}
    for row in sheet.iter_rows(min_row=first):
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            letter = cell.column_letter
            width = widths.setdefault(letter, sheet.column_dimensions[letter].width or 8.43)
            lines = max(lines, sum(_wrapped(part, max(1, int(width) - 1)) for part in cell.value.split("\n")))
        sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines + 3


def _wrapped(text: str, per_line: int) -> int:
    """How many lines a text takes wrapped at its words into lines of `per_line` characters."""
    lines, used = 1, 0
    for word in text.split():
        length = len(word)
        if used and used + 1 + length > per_line:
            lines, used = lines + 1, 0
        if length > per_line:                      # a word longer than a line is broken inside it
            lines += (length - 1) // per_line
            length = (length - 1) % per_line + 1
        used += length + (1 if used else 0)
    return lines


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _light(colour: str) -> str:
    """A status's colour mixed with white, as a cell's fill that its text stays readable on."""
    channels = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "".join(f"{round(255 - (255 - c) * 0.35):02X}" for c in channels)


def _fraction(value):
    return None if value is None else float(value)
