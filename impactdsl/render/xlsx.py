"""The report as an XLSX workbook: a sheet per area (goal, indicator, target,
outcome, status filled in its colour, and the points where the method has
them) and a summary sheet with the columns the method has.
Numbers are numbers in their cells, percentages are formatted as such, and
the same inputs give the same bytes (fixed dates, sorted zip entries).

The workbook is inert: every row goes through `_append`, which stores each
text as a text — never a formula, whatever it starts with — and marks a text
that begins like a formula (= + - @, a tab or a carriage return) with
Excel's quote prefix, the way spreadsheet-safe exporters do, so it stays a
text when it is edited or copied elsewhere. Control characters cannot reach
a cell (every ruleset text has passed `redact`; `_text` replaces any that
remain); sheet names are made valid and unique by `_sheet_name`."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from impactdsl.core.kinds import Unit
from impactdsl.core.redact import redact
from impactdsl.render.view import ReportView, plain_number

FIXED_TIME = datetime.datetime(2000, 1, 1, 0, 0, 0)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_CHARACTERS = 31
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def _text(value: str) -> str:
    return redact(value)


def _append(sheet, values) -> None:
    """Append one row; each text is stored as a text, a formula-like one with the quote prefix."""
    sheet.append([_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True


def _sheet_name(book, wanted: str) -> str:
    """A valid sheet name (no [ ] : * ? / \\, not quoted, at most 31 characters), unique in the book."""
    name = _text(NOT_IN_SHEET_NAMES.sub(" ", wanted)).strip("'") or "Blad"      # redacted after the change
    taken = {title.casefold() for title in book.sheetnames}
    candidate, number = name[:SHEET_NAME_CHARACTERS].rstrip("'"), 1
    while candidate.casefold() in taken or not candidate.strip():
        number += 1
        suffix = f" ({number})"
        candidate = name[:SHEET_NAME_CHARACTERS - len(suffix)].rstrip("'") + suffix
    return candidate


def workbook_bytes(book, when: datetime.datetime = FIXED_TIME) -> bytes:
    """Save an openpyxl workbook with its document dates and every zip entry set to `when`."""
    book.properties.created = book.properties.modified = when
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                          rb"\g<1>" + stamp + rb"\g<2>", entries["docProps/core.xml"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


def render_xlsx(view: ReportView, when: datetime.datetime = FIXED_TIME) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    w = view.w
    bold = Font(bold=True)
    book = Workbook()
    book.remove(book.active)
    for area in view.areas:
        sheet = book.create_sheet(_sheet_name(book, f"{w['area']} {area.id}"))
        _append(sheet, [f"{w['area']} {area.id} {area.title}"])
        sheet["A1"].font = Font(bold=True, size=13)
        header = [w["goal"], "", w["indicator_no"], w["indicator"], w["target_column"], w["outcome"], w["status"]]
        header += [w["value"], w["points"]] if view.has_points else []
        _append(sheet, header + [w["explanation"]])
        for cell in sheet[2]:
            cell.font = bold
        status_column = 7
        for row in area.rows:
            values = [row.goal_id if row.goal_text else None,
                      (row.goal_text + (f" — {row.goal_grade}" if row.goal_grade else "")) or None,
                      row.id + (f" {w['bonus_row']}" if row.is_bonus else ""), row.text, row.target_text,
                      plain_number(row.measured), row.status_label]
            values += [row.value, row.points] if view.has_points else []
            _append(sheet, values + [" ".join([row.outcome, *row.narrative])])   # one line: a cell's text is inert
            if row.unit == Unit.PERCENT and isinstance(row.measured, (int, float)) or row.unit == Unit.PERCENT \
                    and row.measured is not None and not isinstance(row.measured, bool):
                cell = sheet.cell(sheet.max_row, 6)
                cell.value = float(row.measured) / 100
                cell.number_format = "0%"
            sheet.cell(sheet.max_row, status_column).fill = PatternFill("solid", fgColor=_light(row.colour))
        _append(sheet, [])
        counts = [w["goals"], area.goal_count, w["indicators"], area.indicator_count]
        if view.has_points:
            counts += [w["max"], area.maximum, w["achieved"], area.achieved]
        _append(sheet, counts)
        if view.index_name:
            _append(sheet, [view.index_name, plain_number(area.index_value)])
        for line in area.grade_lines:
            _append(sheet, [line])
        for column, width in zip("ABCDEFGHIJ", (8, 40, 10, 60, 12, 12, 16, 12, 12, 60)):
            sheet.column_dimensions[column].width = width
        for cells in sheet.iter_rows(min_row=3):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A3"
    summary = book.create_sheet(_sheet_name(book, w["summary"]))
    columns = [(w["area"], lambda a: f"{a.id} {a.title}", w["total"], None)]
    if view.has_weights:
        total_planned = sum(a.planned_fraction for a in view.areas) if all(
            a.planned_fraction is not None for a in view.areas) else None
        columns += [(w["planned_weight"], lambda a: _fraction(a.planned_fraction), _fraction(total_planned), "0%"),
                    (w["actual_weight"], lambda a: _fraction(a.actual_fraction), 1.0 if view.maximum else None, "0%")]
    columns += [(w["goals"], lambda a: a.goal_count, view.goal_count, None),
                (w["indicators"], lambda a: a.indicator_count, view.indicator_count, None)]
    if view.has_points:
        columns += [(w["max"], lambda a: a.maximum, view.maximum, None),
                    (w["achieved"], lambda a: a.achieved, view.achieved, None)]
    if view.index_name:
        columns.append((view.index_name, lambda a: plain_number(a.index_value), plain_number(view.index_value), None))
        if view.has_target:
            columns += [(w["target"], lambda a: plain_number(a.target_value), plain_number(view.target_value), None),
                        (w["difference"], lambda a: plain_number(a.difference_value),
                         plain_number(view.difference_value), None)]
    if view.graded:
        columns.append((w["grade"], lambda a: a.grade or None, None, None))
    _append(summary, [title for title, _, _, _ in columns])
    for cell in summary[1]:
        cell.font = bold
    for area in view.areas:
        _append(summary, [value(area) for _, value, _, _ in columns])
    _append(summary, [total for _, _, total, _ in columns])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for row in summary.iter_rows(min_row=2):
        for cell, (_, _, _, number_format) in zip(row, columns):
            if number_format:
                cell.number_format = number_format
    for position, _ in enumerate(columns):
        summary.column_dimensions[chr(ord("A") + position)].width = 32 if position == 0 else 14
    for line in (view.withheld, view.unassessed):           # what could not be assessed, under the figures
        if line:
            _append(summary, [])
            _append(summary, [line + "."])
    if view.inputs:                                          # the files the figures come from, by content
        _append(summary, [])
        _append(summary, [w["inputs"]])
        for path, digest in view.inputs:
            _append(summary, [path, digest])
    book.move_sheet(summary, offset=-len(view.areas))
    for table in view.tables:
        _table_sheet(book, table, bold)
    return workbook_bytes(book, when)


def _table_sheet(book, table, bold) -> None:
    sheet = book.create_sheet(_sheet_name(book, table.title))
    _append(sheet, list(table.header))
    for cell in sheet[1]:
        cell.font = bold
    for row in table.numbers:
        _append(sheet, [value / 100 if unit == Unit.PERCENT and isinstance(value, (int, float)) else value
                        for value, unit in zip(row, ("",) + table.units)])
        for cell, unit in zip(sheet[sheet.max_row][1:], table.units):
            cell.number_format = "0%" if unit == Unit.PERCENT else ('# ##0 "tkr"' if unit == Unit.TKR else "0")
    if table.note:
        _append(sheet, [])
        _append(sheet, [table.note + "."])
    sheet.column_dimensions["A"].width = 32


def _light(colour: str) -> str:
    """A status's colour mixed with white, as a cell's fill that its text stays readable on."""
    channels = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "".join(f"{round(255 - (255 - c) * 0.35):02X}" for c in channels)


def _fraction(value):
    return None if value is None else float(value)

