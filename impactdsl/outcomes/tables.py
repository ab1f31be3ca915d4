"""CSV, XLSX and SPSS files as a header and numbered rows, the way Swedish offices write them.

`;` or `,` separators (sniffed), UTF-8 with or without BOM or Windows-1252,
stray whitespace in headers and cells. Files are opened read-only and read
as a stream, with the limits of `Limits` (line and cell length, columns,
rows, an XLSX file's unpacked size) checked as they are met, so memory stays
bounded whatever the file's length; nothing here ever prints a cell:
problems name the file, the line (and sheet) and the column, never a value.
A column whose cells are personal identity numbers is refused, every row
looked at."""

from __future__ import annotations

import csv
import datetime
import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path

import attrs

from impactdsl.core.diagnostics import Diagnostic, Said, did_you_mean, error
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.redact import is_identity
from impactdsl.core.source import Span
from impactdsl.read import files

SNIFF_BYTES = 64 * 1024
IDENTITY_HEADER = re.compile(r"person\s*n(umme)?r|^pnr$|^personnr|social\s*security|^ssn$", re.I)

# Hints said by several problems.
CHECK_PATH = Said("kontrollera sökvägen i manifestet; den är relativ till manifestets mapp",
                  "check the path in the manifest; it is relative to the manifest's folder")
RIGHT_FILE = Said("är det här rätt fil?", "is this the right file?")
AS_CSV = Said("exportera data som CSV", "export the data as CSV")
SAVE_XLSX = Said("öppna den i Excel och spara den igen som .xlsx", "open it in Excel and save it again as .xlsx")


class TableError(Exception):
    """A problem that stops reading one file; carries its diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@attrs.frozen
class Table:
    """An open table: its header and a one-pass iterator of (line, cells)."""

    shown: str                          # file (and sheet) as shown in messages
    path: str
    sheet: str | None
    header: tuple[str, ...]
    rows: Iterator[tuple[int, tuple[str, ...]]] = attrs.field(eq=False)
    texts: tuple[str, ...] = ()         # each column's own text, where the file holds one (SPSS's labels)

    def span(self, line: int) -> Span:
        return Span(self.path, line, 1)

    def column(self, wanted: str, role: Said) -> int:
        """Index of a column by header (case and spaces ignored), or a TableError; `role` says what the
        column is for ("grupp" / "group")."""
        key = normalised(wanted)
        for index, name in enumerate(self.header):
            if normalised(name) == key:
                return index
        columns = ", ".join(self.header[:12])
        hint = did_you_mean(wanted, self.header) or Said("filens kolumner: " + columns,
                                                         "the file's columns: " + columns)
        raise TableError(error("data-column", Said(f"{self.shown} har ingen kolumn '{wanted}' ({role.sv})",
                                                   f"{self.shown} has no column '{wanted}' ({role.en})"),
                               self.span(1), hint))

    def find(self, wanted: str) -> int | None:
        key = normalised(wanted)
        return next((i for i, name in enumerate(self.header) if normalised(name) == key), None)


def normalised(text: str) -> str:
    """A cell or label as compared: spaces squeezed, case folded ('  Till STOR del' = 'till stor del')."""
    return " ".join(str(text).split()).casefold()


def open_table(path: Path, shown: str, sheet: str | None = None, progress=None,
               limits: Limits = DEFAULT, within=None, header_row: int | None = None, opened=None) -> Table:
    """Open a CSV or XLSX file (from inside the folders `within`, when given; or read the opening
    given, which the table then owns and closes) for one pass; raises TableError with a diagnostic.

    The header is on line `header_row` when the manifest says so; else it is found: the first line
    of the first 20 with two cells or more (survey tools put a title and a date above it). A line
    below it with one cell, in the first column, is a footer ("Antal svar: 97") and is passed over.
    `progress(file, done, total)` is called about every megabyte of a CSV file."""
    opener = OPENERS.get(path.suffix.casefold())
    if opener is None:
        if opened is not None:
            opened.close()
        raise TableError(error("data-file", Said(
            f"{shown}: impactdsl läser filer av typerna .csv, .txt, .xlsx och .zip (med en CSV-fil i), .sav med "
            "tillägget 'spss' och .parquet med tillägget 'large'",
            f"{shown}: impactdsl reads .csv, .txt, .xlsx and .zip (one CSV inside) "
            "files, .sav with the 'spss' extra and .parquet with the 'large' extra"), Span(shown, 1, 1)))
    try:
        handle = opened if opened is not None else files.open_regular(path, within)
    except files.FileProblem as problem:
        raise TableError(error("data-file", Said.joined(Said(f"datafilen {shown} ", f"the data file {shown} "),
                                                        problem.message), Span(shown, 1, 1),
                               problem.hint or CHECK_PATH)) from None
    try:
        return opener(handle, shown, sheet, progress, limits, header_row)
    except BaseException:
        handle.close()
        raise


UTF16 = (b"\xff\xfe", b"\xfe\xff")                # Excel's "Unicode text": UTF-16 with its byte-order mark
HEADER_SEARCH = 20                                # lines looked at for a header that is not on line 1


def _open_csv(handle, shown: str, progress, limits: Limits, header_row: int | None = None) -> Table:
    head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise TableError(error("data-empty", Said(f"{shown} är tom", f"{shown} is empty"), Span(shown, 1, 1),
                               Said("exportera filen igen med dess rubrikrad",
                                    "export the file again with its header row")))
    utf16 = head.startswith(UTF16)
    if b"\x00" in head and not utf16:
        raise TableError(error("data-binary", Said(f"{shown} är inte en texttabell (den innehåller binära data)",
                                                   f"{shown} is not a text table (it holds binary data)"),
                               Span(shown, 1, 1), Said("spara den som CSV (UTF-8 eller Windows-1252) eller XLSX",
                                                       "save it as CSV (UTF-8 or Windows-1252) or XLSX")))
    delimiter = _delimiter(head.decode("utf-16" if utf16 else "utf-8", errors="replace"))
    handle.seek(0)
    csv.field_size_limit(limits.cell_characters)
    lines = _utf16_lines(handle, shown, limits) if utf16 else _decoded_lines(handle, shown, limits)
    if progress is not None:
        lines = _reporting(lines, shown, os.fstat(handle.fileno()).st_size, progress)
    reader = csv.reader(lines, delimiter=delimiter)
    numbered = ((reader.line_num, cells) for cells in reader)
    seen: list = []
    try:
        header = _header(_kept(numbered, seen), header_row, shown)
    except csv.Error:
        line = reader.line_num + 1
        raise TableError(error("data-line", Said(f"{shown} rad {line} har en cell som är längre än "
                                                 f"{limits.cell_characters} tecken, eller ett trasigt citattecken",
                                                 f"{shown} line {line} has a cell longer than "
                                                 f"{limits.cell_characters} characters, or a broken quote"),
                               Span(shown, line, 1), RIGHT_FILE))
    line = next(number for number, cells in seen if cells is header)
    after = [(number, cells) for number, cells in seen if number > line]      # read while looking: read again
    header = tuple(cell.strip().lstrip("\ufeff").strip() for cell in header)
    check_header(header, shown, Span(shown, line, 1), limits)
    return Table(shown, shown, None, header,
                 _csv_rows(itertools.chain(after, numbered), handle, shown, len(header), limits))


def _kept(numbered, seen: list):
    """The cells of each (line, cells), each pair kept in `seen` as it passes."""
    for pair in numbered:
        seen.append(pair)
        yield pair[1]


def _header(rows, header_row: int | None, shown: str):
    """The header: on the line the manifest names, or the first of the first lines with two cells (a
    table of one column: its first line)."""
    first = None
    for number, cells in enumerate(rows, 1):
        filled = sum(1 for cell in cells if cell is not None and str(cell).strip())
        if header_row is not None and number == header_row or header_row is None and filled >= 2:
            if not filled:
                break
            return cells
        if first is None and filled:
            first = cells
        if header_row is None and number >= HEADER_SEARCH:
            break
    if header_row is None and first is not None:
        return first
    raise TableError(error("data-empty", Said(
        f"{shown} har ingen rubrikrad" + (f" på rad {header_row}" if header_row
                                          else f" bland sina första {HEADER_SEARCH} rader"),
        f"{shown} has no header row" + (f" on line {header_row}" if header_row
                                        else f" in its first {HEADER_SEARCH} lines")), Span(shown, 1, 1),
        Said("ange rubrikradens nummer i manifestet: header_row: 3",
             "name the header's line in the manifest: header_row: 3")))


def is_footer(cells: tuple[str, ...]) -> bool:
    """A line below the header with one cell, in the first column: a survey tool's "Antal svar: 97"."""
    return len(cells) > 0 and bool(str(cells[0]).strip()) and not any(str(c).strip() for c in cells[1:])


def _utf16_lines(handle, shown: str, limits: Limits):
    """A UTF-16 file's lines (its BOM says which byte order), each refused past the line limit."""
    import codecs

    reader = codecs.getreader("utf-16")(handle, errors="replace")
    number = 0
    while True:
        text = reader.readline(limits.line_bytes + 1)
        if not text:
            return
        number += 1
        if len(text) > limits.line_bytes:
            raise TableError(error("data-line", Said(f"{shown} rad {number} är längre än {limits.line_bytes} tecken",
                                                     f"{shown} line {number} is longer than {limits.line_bytes} "
                                                     "characters"), Span(shown, number, 1), RIGHT_FILE))
        yield text


def _decoded_lines(handle, shown: str, limits: Limits):
    """The file's lines as text in one pass: UTF-8 (a BOM dropped) until a line is not,
    then Windows-1252 from there on. Lines before that were plain ASCII, the same in both.
    A line longer than the limit is refused when it is met, before it is held whole."""
    encoding = "utf-8"
    number = 0
    while True:
        raw = handle.readline(limits.line_bytes + 1)
        if not raw:
            return
        if len(raw) > limits.line_bytes:
            raise TableError(error("data-line", Said(f"{shown} rad {number + 1} är längre än "
                                                     f"{limits.line_bytes} byte",
                                                     f"{shown} line {number + 1} is longer than "
                                                     f"{limits.line_bytes} bytes"), Span(shown, number + 1, 1),
                                   Said("är det här rätt fil, exporterad som CSV med en textrad per tabellrad?",
                                        "is this the right file, exported as CSV with a line per row?")))
        if number == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        number += 1
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            encoding = "cp1252"
            yield raw.decode(encoding, errors="replace")


def _reporting(lines, shown: str, total: int, progress, every: int = 1 << 20):
    done = reported = 0
    for line in lines:
        done += len(line)
        if done - reported >= every:
            progress(shown, min(done, total), total)
            reported = done
        yield line
    progress(shown, total, total)


def _delimiter(sample: str) -> str:
    first = sample.splitlines()[0] if sample.splitlines() else sample
    outside = re.sub(r'"[^"]*"', "", first)
    counts = {d: outside.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def _csv_rows(numbered, handle, shown: str, width: int, limits: Limits):
    with handle:
        line = 1
        rows = 0
        try:
            for line, cells in numbered:
                if not any(c.strip() for c in cells) or (width > 1 and is_footer(tuple(cells))):
                    continue
                rows += 1
                if len(cells) != width:
                    raise TableError(error(
                        "data-ragged", Said(f"{shown} rad {line} har {len(cells)} celler där rubrikraden har {width}",
                                            f"{shown} line {line} has {len(cells)} cells where the header has {width}"),
                        Span(shown, line, 1),
                        Said("leta efter en avgränsare inuti en cell, eller en cell som saknas eller är för mycket",
                             "check for a separator inside a cell, or a missing or extra cell")))
                yield line, tuple(c.strip() for c in cells)
        except csv.Error:
            raise TableError(error("data-line", Said(
                f"{shown} rad {line + 1} kan inte läsas som CSV "
                f"(en cell som är längre än {limits.cell_characters} tecken, eller ett trasigt citattecken)",
                f"{shown} line {line + 1} cannot be read as CSV "
                f"(a cell longer than {limits.cell_characters} characters or a broken quote)"),
                Span(shown, line + 1, 1), Said("är det här rätt fil, exporterad som CSV?",
                                               "is this the right file, exported as CSV?")))
        if rows == 0:
            raise _header_only(shown, shown)


WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")      # the parts read as a stream; every other is held whole


def _open_xlsx(handle, shown: str, sheet: str | None, limits: Limits, header_row: int | None = None) -> Table:
    import zipfile

    try:
        from openpyxl import load_workbook
    except ImportError:
        raise TableError(error("data-xlsx", Said("för att läsa .xlsx behövs paketet openpyxl",
                                                 "reading .xlsx needs the openpyxl package"), Span(shown, 1, 1),
                               Said("pip install openpyxl", "pip install openpyxl")))
    if not zipfile.is_zipfile(handle):
        raise TableError(error("data-binary", Said(f"{shown} är inte en XLSX-arbetsbok",
                                                   f"{shown} is not an XLSX workbook"), Span(shown, 1, 1),
                               Said("spara den från Excel som .xlsx, eller exportera CSV",
                                    "save it from Excel as .xlsx, or export CSV")))
    _check_unpacked(handle, shown, limits)
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
        names = book.sheetnames
    except Exception:               # openpyxl raises many kinds on a broken workbook; each means the same
        raise TableError(_unopened_xlsx(shown))
    if sheet is None:
        sheet = names[0]
    elif sheet not in names:
        book.close()
        raise TableError(error("data-sheet", Said(f"{shown} har inget blad '{sheet}'",
                                                  f"{shown} has no sheet '{sheet}'"),
                               Span(shown, 1, 1), did_you_mean(sheet, names)
                               or Said("blad: " + ", ".join(names), "sheets: " + ", ".join(names))))
    where = f"{shown} [{sheet}]"
    try:
        worksheet = book[sheet]
        declared = worksheet.max_row            # as the sheet says of itself: may be absent or false
        worksheet.reset_dimensions()            # so rows are read as they are, never padded to it
    except Exception:
        book.close()
        raise TableError(_damaged_xlsx(where, shown))
    if isinstance(declared, int) and declared > limits.xlsx_rows:
        book.close()
        raise TableError(error("data-size", Said(f"{where} har {declared} rader, fler än de {limits.xlsx_rows} "
                                                 "ett blad får ha",
                                                 f"{where} has {declared} rows, more than the {limits.xlsx_rows} "
                                                 "a worksheet may hold"), Span(shown, 1, 1), AS_CSV))
    try:
        first = worksheet.iter_rows(max_row=header_row or HEADER_SEARCH, max_col=limits.columns + 1,
                                    values_only=True)
        header = _header(first, header_row, where)
        line = next(number for number, cells in enumerate(
            worksheet.iter_rows(max_row=header_row or HEADER_SEARCH, max_col=limits.columns + 1,
                                values_only=True), 1) if cells == header)
    except TableError:
        book.close()
        raise
    except Exception:
        book.close()
        raise TableError(_damaged_xlsx(where, shown))
    header = tuple(_cell(c) for c in header)
    while header and not header[-1]:
        header = header[:-1]
    check_header(header, where, Span(shown, 1, 1), limits)
    # Rows are read only as wide as the header (and one more column, to see a cell beyond it): a
    # cell far to the right makes no row as wide as the sheet.
    rows = worksheet.iter_rows(min_row=line + 1, max_col=len(header) + 1, values_only=True)
    return Table(where, shown, sheet, header, _xlsx_rows(book, rows, where, shown, len(header), limits, line + 1))


def _unopened_xlsx(shown: str) -> Diagnostic:
    return error("data-xlsx", Said(f"{shown} kan inte öppnas som en XLSX-arbetsbok",
                                   f"{shown} cannot be opened as an XLSX workbook"), Span(shown, 1, 1), SAVE_XLSX)


def _damaged_xlsx(where: str, shown: str) -> Diagnostic:
    return error("data-xlsx", Said(f"{where} kan inte läsas: arbetsboken är skadad",
                                   f"{where} cannot be read: the workbook is damaged"), Span(shown, 1, 1), SAVE_XLSX)


def _csv(handle, shown: str, sheet, progress, limits: Limits, header_row: int | None = None) -> Table:
    return _open_csv(handle, shown, progress, limits, header_row)


def _xlsx(handle, shown: str, sheet, progress, limits: Limits, header_row: int | None = None) -> Table:
    return _open_xlsx(handle, shown, sheet, limits, header_row)


class _Member:
    """A CSV inside a ZIP, read as a file; closing it closes the archive and the file it came from."""

    def __init__(self, member, *owners):
        self.member, self.owners = member, owners

    def read(self, size: int = -1) -> bytes:
        return self.member.read(size)

    def readline(self, size: int = -1) -> bytes:
        return self.member.readline(size)

    def seek(self, *position) -> int:
        return self.member.seek(*position)

    def fileno(self) -> int:
        raise OSError("a ZIP member has no file number")

    def close(self) -> None:
        self.member.close()
        for owner in self.owners:
            owner.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _zip(handle, shown: str, sheet, progress, limits: Limits, header_row: int | None = None) -> Table:
    """Google Forms' download: a ZIP holding one CSV, read from inside it as a stream."""
    import zipfile

    if not zipfile.is_zipfile(handle):
        raise TableError(error("data-binary", Said(f"{shown} är inte ett ZIP-arkiv", f"{shown} is not a ZIP archive"),
                               Span(shown, 1, 1), Said("ladda ner svaren igen, eller exportera dem som CSV",
                                                       "download the responses again, or export them as CSV")))
    archive = zipfile.ZipFile(handle)
    tables = [i for i in archive.infolist() if not i.is_dir() and i.filename.casefold().endswith(".csv")]
    if len(tables) != 1:
        archive.close()
        raise TableError(error("data-file", Said(f"{shown} innehåller {len(tables)} CSV-filer; impactdsl läser en "
                                                 "ZIP med en enda (så som Google Formulär laddar ner den)",
                                                 f"{shown} holds {len(tables)} CSV files; impactdsl reads a ZIP "
                                                 "with one (as Google Forms downloads it)"), Span(shown, 1, 1),
                               Said("packa upp den och lista varje CSV-fil i manifestet",
                                    "unpack it and list each CSV in the manifest")))
    if tables[0].file_size > limits.xlsx_unpacked_bytes:          # said by the archive: checked before reading
        archive.close()
        raise TableError(error("data-size", Said(f"{shown} blir mer än {limits.xlsx_unpacked_bytes} byte uppackad",
                                                 f"{shown} unpacks to more than {limits.xlsx_unpacked_bytes} bytes"),
                               Span(shown, 1, 1), Said("packa upp den och lista CSV-filen i manifestet",
                                                       "unpack it and list the CSV in the manifest")))
    where = f"{shown} [{tables[0].filename}]"
    return _open_csv(_Member(archive.open(tables[0]), archive, handle), where, None, limits, header_row)


SAV_CHUNK = 50_000                               # cases of an SPSS file held at a time


def _sav(handle, shown: str, sheet, progress, limits: Limits, header_row: int | None = None) -> Table:
    """An SPSS file as survey tools export it, read through pyreadstat (the 'spss' extra): its variable
    names are the header, its variable labels the columns' texts (the questions' wording), and its value
    labels the code book, so a cell reads as the answer's label ("Till stor del"), not its code. A value
    the file declares missing (SPSS's user-missing, as 9 "Vet ej") is a blank cell. Lines are counted as
    in a CSV of the same file: the header is line 1, the first case line 2."""
    try:
        import pyreadstat
    except ImportError:
        raise TableError(error("data-spss", Said(f"{shown} är en SPSS-fil, och för att läsa den behövs "
                                                 "tillägget 'spss'",
                                                 f"{shown} is an SPSS file, and reading one needs the 'spss' extra"),
                               Span(shown, 1, 1),
                               Said("pip install 'impactdsl[spss]', eller exportera svaren från enkätverktyget som "
                                    "CSV eller XLSX", "pip install 'impactdsl[spss]', or export the answers from "
                                    "the survey tool as CSV or XLSX"))) from None
    try:
        _, meta = pyreadstat.read_sav(handle, metadataonly=True, output_format="dict")
    except Exception:               # ReadStat says only that the file is not one it reads; so do we
        raise TableError(_damaged_sav(shown)) from None
    header = tuple(" ".join(str(name).split()) for name in meta.column_names)
    check_header(header, shown, Span(shown, 1, 1), limits)
    if meta.number_rows is not None and meta.number_rows > limits.xlsx_rows:
        raise TableError(error("data-size", Said(f"{shown} har {meta.number_rows} fall (rader), fler än de "
                                                 f"{limits.xlsx_rows} en tabell får ha",
                                                 f"{shown} has {meta.number_rows} cases, more than the "
                                                 f"{limits.xlsx_rows} a table may hold"), Span(shown, 1, 1), AS_CSV))
    texts = tuple(_cell(text, limits) for text in (meta.column_labels or [""] * len(header)))
    books = tuple(meta.variable_value_labels.get(name, {}) for name in meta.column_names)
    return Table(shown, shown, None, header,
                 _sav_rows(handle, pyreadstat.read_sav, list(meta.column_names), books, shown, limits), texts)


def _sav_rows(handle, read, names: list, books: tuple, shown: str, limits: Limits):
    """The cases of an SPSS file, SAV_CHUNK at a time, each value read through its value labels."""
    with handle:
        offset = count = 0
        while True:
            handle.seek(0)
            try:
                data, _ = read(handle, output_format="dict", row_offset=offset, row_limit=SAV_CHUNK)
            except Exception:
                raise TableError(_damaged_sav(shown, offset + 2)) from None
            columns = [data[name] for name in names]
            cases = len(columns[0]) if columns else 0
            for index in range(cases):
                line = offset + index + 2
                if line > limits.xlsx_rows:
                    raise TableError(error("data-size", Said(f"{shown} har fler än {limits.xlsx_rows} fall (rader)",
                                                             f"{shown} has more than {limits.xlsx_rows} cases"),
                                           Span(shown, line, 1), AS_CSV))
                cells = tuple(_cell(book.get(column[index], column[index]), limits)
                              for column, book in zip(columns, books))
                if any(cells):
                    count += 1
                    yield line, cells
            if cases < SAV_CHUNK:
                break
            offset += cases
        if count == 0:
            raise _header_only(shown, shown)


def _damaged_sav(shown: str, line: int = 1) -> Diagnostic:
    return error("data-spss", Said(f"{shown} kan inte läsas som en SPSS-fil" + (f" från rad {line}" if line > 1
                                                                                 else ""),
                                   f"{shown} cannot be read as an SPSS file" + (f" from line {line}" if line > 1
                                                                                else "")),
                 Span(shown, line, 1), Said("spara den igen från SPSS eller enkätverktyget, eller exportera CSV "
                                            "eller XLSX",
                                            "save it again from SPSS or the survey tool, or export CSV or XLSX"))


OPENERS = {".csv": _csv, ".txt": _csv, ".tsv": _csv, ".xlsx": _xlsx, ".xlsm": _xlsx,   # each file type read
           ".zip": _zip, ".sav": _sav}

def _check_unpacked(handle, shown: str, limits: Limits) -> None:
    """Refuse, before unpacking anything, a workbook whose members unpack to more than the limit
    (an XLSX file is a zip: a few megabytes can unpack to gigabytes)."""
    import zipfile

    try:
        with zipfile.ZipFile(handle) as archive:
            members = [(member.filename, member.file_size) for member in archive.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableError(_unopened_xlsx(shown)) from None
    handle.seek(0)
    unpacked = sum(size for _, size in members)
    if unpacked > limits.xlsx_unpacked_bytes:
        raise TableError(error("data-size", Said(f"{shown} blir {unpacked} byte uppackad, mer än de "
                                                 f"{limits.xlsx_unpacked_bytes} en XLSX-fil får bli",
                                                 f"{shown} unpacks to {unpacked} bytes, more than the "
                                                 f"{limits.xlsx_unpacked_bytes} an XLSX file may"), Span(shown, 1, 1),
                               AS_CSV))
    held = [(name, size) for name, size in members if not WORKSHEET.fullmatch(name)]
    name, size = max(held, key=lambda member: member[1], default=("", 0))
    if size > limits.xlsx_part_bytes:
        raise TableError(error("data-size", Said(f"{shown}: dess del {name[:60]} blir {size} byte uppackad, mer än de "
                                                 f"{limits.xlsx_part_bytes} en del som läses hel får bli (delade "
                                                 "texter, format)",
                                                 f"{shown}: its part {name[:60]} unpacks to {size} bytes, more "
                                                 f"than the {limits.xlsx_part_bytes} a part read whole may (shared "
                                                 "texts, styles)"),
                               Span(shown, 1, 1), AS_CSV))


def _xlsx_rows(book, rows, where: str, shown: str, width: int, limits: Limits, first: int = 2):
    count = 0
    number = first - 1
    try:
        for number, values in enumerate(rows, start=first):
            if number > limits.xlsx_rows:
                raise TableError(error("data-size", Said(f"{where} har fler än {limits.xlsx_rows} rader",
                                                         f"{where} has more than {limits.xlsx_rows} rows"),
                                       Span(shown, number, 1), AS_CSV))
            cells = tuple(_cell(c, limits) for c in values)
            if any(cells[width:]):
                raise TableError(error("data-ragged", Said(f"{where} rad {number} har celler bortom rubrikradens "
                                                           f"{width} kolumner",
                                                           f"{where} row {number} has cells beyond the header's "
                                                           f"{width} columns"), Span(shown, number, 1),
                                       Said("ge varje kolumn en rubrik", "give every column a header")))
            cells = (cells + ("",) * width)[:width]
            if any(cells) and not (width > 1 and is_footer(cells)):
                count += 1
                yield number, cells
        if count == 0:
            raise _header_only(where, shown)
    except TableError:
        raise
    except Exception:               # a damaged member, a bad cell reference: the same for the user
        raise TableError(error("data-xlsx", Said(f"{where} rad {number + 1} kan inte läsas: en cell eller en del av "
                                                 "arbetsboken är skadad",
                                                 f"{where} row {number + 1} cannot be read: a cell or a part of "
                                                 "the workbook is damaged"), Span(shown, number + 1, 1),
                               SAVE_XLSX)) from None
    finally:
        book.close()


def _header_only(where: str, path: str) -> TableError:
    return TableError(error("data-empty", Said(f"{where} har en rubrikrad men inga rader",
                                               f"{where} has a header but no rows"), Span(path, 2, 1),
                            Said("exportera filen igen med dess svar eller deltagare",
                                 "export the file again with its answers or participants")))


def _cell(value, limits: Limits = DEFAULT) -> str:
    if value is None or isinstance(value, float) and value != value:       # empty, or NaN
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if len(text) > limits.cell_characters:
        text = text[:limits.cell_characters]       # a cell of a workbook is never this long unless damaged
    return " ".join(text.split())


def check_header(header: tuple[str, ...], where: str, span: Span, limits: Limits = DEFAULT) -> None:
    if len(header) > limits.columns:
        raise TableError(error("data-size", Said(f"{where} har fler än {limits.columns} kolumner",
                                                 f"{where} has more than {limits.columns} columns"), span, RIGHT_FILE))
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            raise TableError(error("data-column", Said(f"{where}: kolumn {index + 1} har ingen rubrik",
                                                       f"{where}: column {index + 1} has no header"), span,
                                   Said("ge varje kolumn ett namn på rubrikraden",
                                        "give every column a name in the first row")))
        key = normalised(name)
        if key in seen:
            raise TableError(error("data-column", Said(f"{where}: kolumnen '{name}' finns två gånger "
                                                       f"(kolumn {seen[key] + 1} och {index + 1})",
                                                       f"{where}: the column '{name}' appears twice "
                                                       f"(columns {seen[key] + 1} and {index + 1})"), span,
                                   Said("byt namn på en av dem, så att varje kolumn betyder en sak",
                                        "rename one of them so each column means one thing")))
        seen[key] = index
        if IDENTITY_HEADER.search(name):
            raise TableError(identity(where, name, span))


def identity(where: str, column: str, span: Span) -> Diagnostic:
    return error("data-identity", Said(f"{where}: kolumnen '{column}' innehåller personnummer; "
                                       "impactdsl vägrar läsa dem",
                                       f"{where}: the column '{column}' holds personal identity numbers; "
                                       "impactdsl refuses to read them"), span,
                 Said("ta bort kolumnen (eller byt ut den mot ett neutralt id för svarande) innan du exporterar",
                      "remove the column (or replace it with a neutral respondent id) before exporting"))


def identity_guard(table: Table):
    """Wrap a table's rows: refuse the file when a cell of any column, in any row, is a personnummer
    or samordningsnummer (a whole cell; one inside a free text is masked wherever it is shown)."""
    def rows():
        for line, cells in table.rows:
            for index, cell in enumerate(cells):
                if len(cell) >= 10 and cell[0].isdigit() and is_identity(cell):
                    raise TableError(identity(table.shown, table.header[index], table.span(line)))
            yield line, cells
    return attrs.evolve(table, rows=rows())


DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y")


def parse_date(text: str) -> datetime.date | None:
    """A date as Swedish exports write it; None when it is not one."""
    text = text.strip()
    if " " in text:
        text = text.split(" ", 1)[0]
    for form in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def parse_number(text: str, limits: Limits = DEFAULT):
    """'12,5' or '12.5' or '1 200' as a Fraction; None when it is not a number, or has more digits
    than any number impactdsl reads."""
    from fractions import Fraction

    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cleaned) or limits.number_too_long(cleaned):
        return None
    return Fraction(cleaned)
