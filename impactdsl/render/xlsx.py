"""The report as an XLSX workbook: a sheet per area in the Impact Index
layout (Mål nr, Socialt mål, Ind nr, Indikator, Indikatorvärde, Positivt
utfall, Negativt utfall, Uppnått värde, Resultat) and a summary sheet.
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

from impactdsl.core.kinds import Status, Unit
from impactdsl.core.redact import redact
from impactdsl.render.view import ReportView, plain_number

FILLS = {Status.MET: "C8E6C9", Status.NEAR: "FFE0B2", Status.MISSED: "FFCDD2", Status.NOT_ASSESSED: "E0E0E0"}
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
        header = [w["goal_no"], w["social_goal"], w["indicator_no"], w["indicator"], w["value"],
                  w["positive"], w["negative"], w["achieved_value"], w["result"]]
        _append(sheet, header)
        for cell in sheet[2]:
            cell.font = bold
        for row in area.rows:
            positive = 1 if row.status == Status.MET else None
            negative = 1 if row.status in (Status.MISSED, Status.NEAR) else None
            _append(sheet, [row.goal_id if row.goal_text else None, row.goal_text or None,
                          row.id + (f" {w['bonus_row']}" if row.is_bonus else ""), row.text, row.value,
                          positive, negative, row.points, row.outcome])
            sheet.cell(sheet.max_row, 9).fill = PatternFill("solid", fgColor=FILLS[row.status])
        _append(sheet, [])
        _append(sheet, [w["max"], area.maximum, w["indicators"], area.indicator_count, w["achieved"], area.achieved,
                        w["goals"], area.goal_count])
        _append(sheet, [w["fulfilment"], float(area.index_fraction) if area.index_fraction is not None else None])
        sheet.cell(sheet.max_row, 2).number_format = "0%"
        for line in area.grade_lines:
            _append(sheet, [line])
        for column, width in zip("ABCDEFGHI", (8, 40, 10, 60, 12, 12, 12, 12, 60)):
            sheet.column_dimensions[column].width = width
        for cells in sheet.iter_rows(min_row=3):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A3"
    summary = book.create_sheet(_sheet_name(book, w["summary"]))
    _append(summary, [w["planned_weight"], w["actual_weight"], w["area"], w["goals"], w["indicators"], w["max"],
                    w["achieved"], w["fulfilment"], w["index"], w["target"], w["difference"]])
    for cell in summary[1]:
        cell.font = bold
    for area in view.areas:
        _append(summary, [_fraction(area.planned_fraction), _fraction(area.actual_fraction), f"{area.id} {area.title}",
                        area.goal_count, area.indicator_count, area.maximum, area.achieved,
                        _fraction(area.index_fraction), plain_number(area.index_value),
                        plain_number(area.target_value), plain_number(area.difference_value)])
    total_planned = sum(a.planned_fraction for a in view.areas) if all(
        a.planned_fraction is not None for a in view.areas) else None
    _append(summary, [_fraction(total_planned), 1.0 if view.maximum else None, w["total"], view.goal_count,
                    view.indicator_count, view.maximum, view.achieved,
                    view.achieved / view.maximum if view.maximum else None,
                    plain_number(view.index_value), plain_number(view.target_value), plain_number(view.difference_value)])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for row in summary.iter_rows(min_row=2):
        for index in (0, 1, 7):
            row[index].number_format = "0%"
    for column, width in zip("ABCDEFGHIJK", (12, 12, 32, 10, 12, 10, 10, 14, 14, 12, 10)):
        summary.column_dimensions[column].width = width
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
    sheet.column_dimensions["A"].width = 32


def _fraction(value):
    return None if value is None else float(value)

