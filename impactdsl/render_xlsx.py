"""The report as an XLSX workbook: a sheet per area in the Impact Index
layout (Mål nr, Socialt mål, Ind nr, Indikator, Indikatorvärde, Positivt
utfall, Negativt utfall, Uppnått värde, Resultat) and a summary sheet.
Numbers are numbers in their cells, percentages are formatted as such, and
the same inputs give the same bytes (fixed dates, sorted zip entries)."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from .report import ReportView, plain_number

FIXED_TIME = datetime.datetime(2000, 1, 1, 0, 0, 0)


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
    fills = {"met": "C8E6C9", "near": "FFE0B2", "missed": "FFCDD2", "not-assessed": "E0E0E0"}
    book = Workbook()
    book.remove(book.active)
    for area in view.areas:
        sheet = book.create_sheet(f"{w['area']} {area.id}"[:31])
        sheet.append([f"{w['area']} {area.id} {area.title}"])
        sheet["A1"].font = Font(bold=True, size=13)
        header = [w["goal_no"], w["social_goal"], w["indicator_no"], w["indicator"], w["value"],
                  w["positive"], w["negative"], w["achieved_value"], w["result"]]
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = bold
        for row in area.rows:
            positive = 1 if row.status == "met" else None
            negative = 1 if row.status in ("missed", "near") else None
            sheet.append([row.goal_id if row.goal_text else None, row.goal_text or None,
                          row.id + (f" {w['bonus_row']}" if row.is_bonus else ""), row.text, row.value,
                          positive, negative, row.points, row.outcome])
            sheet.cell(sheet.max_row, 9).fill = PatternFill("solid", fgColor=fills[row.status])
        sheet.append([])
        sheet.append([w["max"], area.maximum, w["indicators"], area.indicator_count, w["achieved"], area.achieved,
                      w["goals"], area.goal_count])
        sheet.append([w["fulfilment"], float(area.index_fraction) if area.index_fraction is not None else None])
        sheet.cell(sheet.max_row, 2).number_format = "0%"
        for line in area.grade_lines:
            sheet.append([line])
        for column, width in zip("ABCDEFGHI", (8, 40, 10, 60, 12, 12, 12, 12, 60)):
            sheet.column_dimensions[column].width = width
        for cells in sheet.iter_rows(min_row=3):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A3"
    summary = book.create_sheet(w["summary"][:31])
    summary.append([w["planned_weight"], w["actual_weight"], w["area"], w["goals"], w["indicators"], w["max"],
                    w["achieved"], w["fulfilment"], w["index"], w["target"], w["difference"]])
    for cell in summary[1]:
        cell.font = bold
    for area in view.areas:
        summary.append([_fraction(area.planned_fraction), _fraction(area.actual_fraction), f"{area.id} {area.title}",
                        area.goal_count, area.indicator_count, area.maximum, area.achieved,
                        _fraction(area.index_fraction), plain_number(area.index_value),
                        plain_number(area.target_value), plain_number(area.difference_value)])
    total_planned = sum(a.planned_fraction for a in view.areas) if all(
        a.planned_fraction is not None for a in view.areas) else None
    summary.append([_fraction(total_planned), 1.0 if view.maximum else None, w["total"], view.goal_count,
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
    sheet = book.create_sheet(table.title[:31].replace(":", " ").replace("/", " "))
    sheet.append(list(table.header))
    for cell in sheet[1]:
        cell.font = bold
    for row in table.numbers:
        sheet.append([value / 100 if unit == "percent" and isinstance(value, (int, float)) else value
                      for value, unit in zip(row, ("",) + table.units)])
        for cell, unit in zip(sheet[sheet.max_row][1:], table.units):
            cell.number_format = "0%" if unit == "percent" else ('# ##0 "tkr"' if unit == "tkr" else "0")
    sheet.column_dimensions["A"].width = 32


def _fraction(value):
    return None if value is None else float(value)

