"""A goal table as associations keep it in Excel → its areas, goals and indicator rows, for a draft.

One sheet per area, or all areas in one sheet with a column naming the area; a title row above
the header ("Målområde 1 SAMHÄLLS- OCH MEDLEMSNYTTA"); a header naming the columns; goal rows
with the goal's number and text; indicator rows with the indicator's number ("1.1.2 Bonus" marks
a bonus row), text, points and, where there is one, a target value. Columns are found by their
header, whatever their order, case or spacing (`Mål nr`, `Målnr`, `Mål`; `Ind nr`, `Indikator nr`;
`Indikator värde`, `Poäng`; `Målvärde`; `Område`): HEADERS below lists every name read.

The file is read as untrusted: a regular file only, its size, its members' unpacked size, its
sheets, rows and cells limited before the work (`Limits.goal_table_*`, `xlsx_*`), opened
read-only, never written; a formula is never evaluated (the value Excel saved with it is read,
as for outcome data). Every text passes `redact` (an identity number in a cell is masked, and
said), and whitespace is squeezed to single spaces, so a cell is one line of text. Problems are
diagnostics naming the workbook, its sheet, row and column: the span's path is the file, its line
the row. Nothing here writes a ruleset: parse/draft.py does, every text quoted.

May import: `core`."""

from __future__ import annotations

import re
import zipfile
from fractions import Fraction
from pathlib import Path

import attrs

from impactdsl.core.diagnostics import Diagnostic, Said, error, warning
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.redact import holds_identity, redact
from impactdsl.core.source import Span
from impactdsl.read import files

# Each column's role → the header names it is known by, compared with case, spaces, soft hyphens
# and a trailing colon or full stop left out ("Mål­värde", "MÅL NR:", "Indikator värde").
HEADERS: dict[str, tuple[str, ...]] = {
    "area": ("område", "målområde", "målområde nr", "område nr", "perspektiv", "area", "goal area"),
    "goal_id": ("mål nr", "mål nummer", "mål", "mål id", "målid", "goal", "goal id", "goal no", "goal number"),
    "goal_text": ("socialt mål", "sociala mål", "måltext", "målbeskrivning", "mål beskrivning", "mål text",
                  "beskrivning av mål", "goal text"),
    "indicator_id": ("ind nr", "ind nummer", "indikator nr", "indikator nummer", "indikator id", "indicator id",
                     "indicator no", "indicator number"),
    "indicator_text": ("indikator", "indikatortext", "indikator text", "indikatorbeskrivning", "kriterium",
                       "indicator", "indicator text"),
    "points": ("indikator värde", "bedömd indikator värde", "bedömt indikator värde", "bedömt impactvärde",
               "bedömd impactvärde", "poäng", "indexpoäng", "maxpoäng", "max poäng", "värde", "points"),
    "target": ("målvärde", "mål värde", "målnivå", "budgeterat", "budgeterat mål", "budgeterat värde", "target",
               "target value"),
}
REQUIRED = ("goal_id", "indicator_id", "indicator_text")
HEADER_SEARCH = 30                      # rows of a sheet looked at for its header (titles stand above it)


def _key(text: str) -> str:
    """A header as compared: case folded, spaces and soft hyphens removed, a trailing : or . dropped."""
    return re.sub(r"[\s\u00ad:.]+", "", text.casefold())


_ROLE_OF = {_key(name): role for role, names in HEADERS.items() for name in names}

GOAL_ID = re.compile(r"(\d+(?:\.\d+)+)\.?")                        # 1.1, or 4.1. as tables write it
INDICATOR_ID = re.compile(r"(\d+(?:\.\d+){2,})\.?(?:\s*[-–(]?\s*(bonus)\)?)?", re.I)    # 1.1.1, 1.1.2 Bonus
AREA_TITLE = re.compile(r"(?:mål)?område\s+(\d+)\s*[:.\-–]?\s*(.*)|area\s+(\d+)\s*[:.\-–]?\s*(.*)", re.I)
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?\s*%?")
# Words of a table's sums and labels, not of an indicator: "Maximalt impactvärde", "Antal mål".
SUMMARY_WORDS = re.compile(r"maximal|uppnå|antal|summa|totalt|\btotal\b|impact\s*index|impactvärde|resultat|"
                           r"utfall|viktning", re.I)


@attrs.frozen
class Place:
    """Where a cell is: the workbook (as shown), its sheet, row and column (1-based)."""

    path: str
    sheet: str
    row: int
    column: int = 1

    @property
    def span(self) -> Span:
        return Span(self.path, self.row, self.column)

    def said(self) -> Said:
        letter = _letter(self.column)
        return Said(f"{self.path} [{self.sheet}] rad {self.row}, kolumn {letter}",
                    f"{self.path} [{self.sheet}] row {self.row}, column {letter}")


@attrs.frozen
class Row:
    """An indicator or bonus row: its number, text, points and target value as the table gives them."""

    id: str
    text: str
    is_bonus: bool
    points: int | None
    target: str                         # the target column's cell, or ""
    place: Place


@attrs.frozen
class Goal:
    id: str
    text: str
    rows: tuple[Row, ...]
    place: Place


@attrs.frozen
class Area:
    id: str
    title: str
    goals: tuple[Goal, ...]
    place: Place


@attrs.frozen
class GoalTable:
    path: str
    areas: tuple[Area, ...]

    @property
    def goals(self) -> tuple[Goal, ...]:
        return tuple(g for a in self.areas for g in a.goals)

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(r for g in self.goals for r in g.rows)


class _Stop(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message.en)
        self.diagnostic = diagnostic


def read_goal_table(path: Path, shown: str | None = None,
                    limits: Limits = DEFAULT) -> tuple[GoalTable | None, list[Diagnostic]]:
    """The workbook's areas, goals and rows, or None and why not; the problems of single rows beside."""
    shown = redact(shown or str(path))
    reader = _Reader(shown, limits)
    try:
        return reader.read(Path(path)), reader.problems
    except _Stop as stop:
        return None, reader.problems + [stop.diagnostic]


class _Reader:
    def __init__(self, shown: str, limits: Limits):
        self.shown = shown
        self.limits = limits
        self.problems: list[Diagnostic] = []
        self.rows_read = 0
        self.cells_read = 0

    def stop(self, sv: str, en: str, hint: Said | None = None, span: Span | None = None):
        raise _Stop(error("goal-table", Said(f"{self.shown}: {sv}", f"{self.shown}: {en}"),
                          span or Span(self.shown, 1, 1), hint))

    def warn(self, place: Place, sv: str, en: str, hint: Said | None = None, code: str = "goal-table-row"):
        where = place.said()
        self.problems.append(warning(code, Said(f"{where.sv}: {sv}", f"{where.en}: {en}"), place.span, hint))

    # ---- the file --------------------------------------------------------------------------
    def read(self, path: Path) -> GoalTable:
        again = Said("öppna den i Excel och spara den igen som .xlsx", "open it in Excel and save it again as .xlsx")
        if path.suffix.casefold() not in (".xlsx", ".xlsm"):
            self.stop("impactdsl läser en måltabell ur en .xlsx-fil", "impactdsl reads a goal table from an .xlsx file",
                      Said("spara tabellen i Excel som .xlsx", "save the table from Excel as .xlsx"))
        try:
            handle = files.open_regular(path)
        except files.FileProblem as problem:
            self.stop(f"kan inte läsas: {problem.message}", f"cannot be read: {problem.message}")
        with handle:
            size = handle.seek(0, 2)
            handle.seek(0)
            if size > self.limits.goal_table_bytes:
                self.stop(f"är {size} byte, mer än de {self.limits.goal_table_bytes} en måltabell får vara",
                          f"is {size} bytes, more than the {self.limits.goal_table_bytes} a goal table may be",
                          Said("är det rätt fil? en måltabell är några hundra rader", "is this the right file? a goal "
                               "table is a few hundred rows"))
            if not zipfile.is_zipfile(handle):
                self.stop("är ingen XLSX-arbetsbok", "is not an XLSX workbook", again)
            self.unpacked(handle, again)
            try:
                from openpyxl import load_workbook

                book = load_workbook(handle, read_only=True, data_only=True)
            except ImportError:
                self.stop("att läsa .xlsx kräver paketet openpyxl", "reading .xlsx needs the openpyxl package",
                          Said("pip install openpyxl", "pip install openpyxl"))
            except Exception:           # openpyxl raises many kinds on a broken workbook; each means the same
                self.stop("kan inte öppnas som en XLSX-arbetsbok", "cannot be opened as an XLSX workbook", again)
            try:
                return self.book(book, again)
            finally:
                book.close()

    def unpacked(self, handle, again: Said) -> None:
        """Refuse, before unpacking anything, a workbook whose members unpack to more than the limits."""
        try:
            with zipfile.ZipFile(handle) as archive:
                members = [(m.filename, m.file_size) for m in archive.infolist()]
        except (zipfile.BadZipFile, OSError, ValueError):
            self.stop("kan inte öppnas som en XLSX-arbetsbok", "cannot be opened as an XLSX workbook", again)
        handle.seek(0)
        total = sum(size for _, size in members)
        largest = max((size for _, size in members), default=0)
        if total > self.limits.xlsx_unpacked_bytes or largest > self.limits.xlsx_part_bytes:
            self.stop(f"packas upp till {total} byte, mer än en måltabell får", f"unpacks to {total} bytes, more "
                      "than a goal table may", Said("är det rätt fil?", "is this the right file?"))

    def book(self, book, again: Said) -> GoalTable:
        names = list(book.sheetnames)
        if len(names) > self.limits.goal_table_sheets:
            self.stop(f"har {len(names)} blad, fler än de {self.limits.goal_table_sheets} en måltabell får ha",
                      f"has {len(names)} sheets, more than the {self.limits.goal_table_sheets} a goal table may")
        areas: list[Area] = []
        headers_seen: list[tuple[str, tuple[str, ...]]] = []
        tables = 0
        for name in names:
            sheet_name = redact(name, 100)
            try:
                sheet = book[name]
                declared = sheet.max_row, sheet.max_column
                sheet.reset_dimensions()
            except Exception:
                self.stop(f"bladet {sheet_name} kan inte läsas: arbetsboken är skadad",
                          f"the sheet {sheet_name} cannot be read: the workbook is damaged", again)
            rows, columns = (x if isinstance(x, int) else 0 for x in declared)
            if self.rows_read + rows > self.limits.goal_table_rows or \
                    self.cells_read + rows * min(columns, self.limits.columns) > self.limits.goal_table_cells:
                self.stop(f"bladet {sheet_name} säger sig ha {rows} rader och {columns} kolumner, fler än en "
                          "måltabell får ha", f"the sheet {sheet_name} says it has {rows} rows and {columns} columns, "
                          "more than a goal table may", Said("är det rätt fil?", "is this the right file?"))
            try:
                found = self.sheet(sheet, sheet_name, headers_seen)
            except _Stop:
                raise
            except Exception:           # a damaged member, a bad cell reference: the same for the user
                self.stop(f"bladet {sheet_name} kan inte läsas: arbetsboken är skadad",
                          f"the sheet {sheet_name} cannot be read: the workbook is damaged", again)
            if found is not None:
                tables += 1
                areas = _merged(areas, found)
        if not tables:
            seen = "; ".join(f"[{sheet}] " + ", ".join(header[:12]) for sheet, header in headers_seen[:3]) or "–"
            expected = ", ".join(f"'{HEADERS[role][0].capitalize()}'" for role in REQUIRED)
            self.stop(f"inget blad har en rubrikrad med kolumnerna {expected} (rubriker som hittades: {seen})",
                      f"no sheet has a header row with the columns {expected} (headers found: {seen})",
                      Said("ge tabellen en rubrikrad; kända namn: " + _known(),
                           "give the table a header row; names known: " + _known()))
        return GoalTable(self.shown, tuple(areas))

    # ---- one sheet -------------------------------------------------------------------------
    def cells(self, sheet):
        """The sheet's rows as texts, counted against the limits while read."""
        for number, values in enumerate(sheet.iter_rows(), 1):      # as wide as each row is, never padded
            self.rows_read += 1
            self.cells_read += len(values)
            if self.rows_read > self.limits.goal_table_rows or self.cells_read > self.limits.goal_table_cells \
                    or len(values) > self.limits.columns:
                self.stop("har fler rader eller celler än en måltabell får ha",
                          "has more rows or cells than a goal table may", Said("är det rätt fil?",
                                                                                 "is this the right file?"),
                          Span(self.shown, number, 1))
            yield number, tuple(_text(c.value, self.limits, getattr(c, "number_format", None)) for c in values)

    def sheet(self, sheet, name: str, headers_seen: list) -> list[Area] | None:
        rows = self.cells(sheet)
        title: tuple[str, str, Place] | None = None
        header: dict[str, int] | None = None
        for number, cells in rows:
            if number > HEADER_SEARCH:
                break
            first = next((c for c in cells if c), "")
            match = AREA_TITLE.fullmatch(first) if first else None
            if match and title is None:
                area_id = match.group(1) or match.group(3)
                title = (area_id, (match.group(2) or match.group(4) or "").strip(), Place(self.shown, name, number))
                continue
            roles = {}
            for index, cell in enumerate(cells):
                role = _ROLE_OF.get(_key(cell)) if cell else None
                if role and role not in roles:
                    roles[role] = index
            if len(roles) >= 2 and ("indicator_id" in roles or "indicator_text" in roles):
                header = roles
                headers_seen.append((name, tuple(c for c in cells if c)))
                missing = [role for role in REQUIRED if role not in roles]
                if missing and "area" in roles and "goal_id" in missing:
                    missing.remove("goal_id")   # a flat table may number goals only through the indicators
                if missing:
                    found = ", ".join(f"'{c}'" for c in cells if c) or "–"
                    wanted = ", ".join(f"'{HEADERS[role][0].capitalize()}'" for role in missing)
                    self.stop(f"bladet {name} rad {number} saknar kolumnerna {wanted} (rubrikerna är: {found})",
                              f"the sheet {name} row {number} lacks the columns {wanted} (its headers: {found})",
                              Said("döp kolumnerna så; kända namn: " + _known(), "name the columns so; names known: "
                                   + _known()), Span(self.shown, number, 1))
                break
            if any(cells):
                headers_seen.append((name, tuple(c for c in cells if c)))
        if header is None:
            return None
        if "points" not in header:
            self.problems.append(warning("goal-table-row", Said(
                f"{self.shown} [{name}]: bladet har ingen kolumn för poäng; utkastet får inga poäng därifrån",
                f"{self.shown} [{name}]: the sheet has no column of points; the draft takes none from it"),
                Span(self.shown, 1, 1), Said("kända namn: " + ", ".join(HEADERS["points"][:5]),
                                             "names known: " + ", ".join(HEADERS["points"][:5]))))
        return self.table(rows, header, name, title)

    def table(self, rows, header: dict[str, int], name: str, title) -> list[Area]:
        areas: list[dict] = []
        area = None
        goal = None
        seen: set[str] = set()

        def cell(cells, role):
            index = header.get(role)
            return cells[index] if index is not None and index < len(cells) else ""

        def new_area(area_id: str, area_title: str, place: Place):
            made = {"id": area_id, "title": self.text(area_title, place), "goals": [], "place": place}
            areas.append(made)
            return made

        if title is not None:
            area = new_area(title[0], title[1], title[2])
        for number, cells in rows:
            if not any(cells):
                continue
            place = Place(self.shown, name, number)
            named = cell(cells, "area")
            if named:
                match = AREA_TITLE.fullmatch(named) or re.fullmatch(r"(\d+)\s*[:.\-–]?\s*(.*)", named)
                if match:
                    area_id = match.group(1) or match.group(3)
                    if area is None or area["id"] != area_id:
                        area = new_area(area_id, (match.group(2) or match.group(4) or "").strip()
                                        if match.re is AREA_TITLE else match.group(2).strip(),
                                        attrs.evolve(place, column=header["area"] + 1))
                        goal = None
            goal_cell, ind_cell = cell(cells, "goal_id"), cell(cells, "indicator_id")
            goal_match, ind_match = GOAL_ID.fullmatch(goal_cell), INDICATOR_ID.fullmatch(ind_cell)
            goal_text = cell(cells, "goal_text")
            if goal_match is None and goal_cell and "goal_text" not in header:
                together = re.fullmatch(r"(\d+(?:\.\d+)+)\.?\s+(.+)", goal_cell)     # "1.1 Verksamheterna ..."
                if together:
                    goal_match, goal_text = GOAL_ID.fullmatch(together.group(1)), together.group(2)
            if goal_match is None and ind_match is not None and "goal_id" not in header:
                goal_match = GOAL_ID.fullmatch(ind_match.group(1).rsplit(".", 1)[0])    # numbered by the indicator
            if goal_match is not None:
                goal_id = goal_match.group(1)
                if area is None:
                    area = new_area(goal_id.split(".")[0], "", place)
                if goal is None or goal["id"] != goal_id:
                    if not goal_id.startswith(area["id"] + "."):
                        self.warn(attrs.evolve(place, column=header.get("goal_id", 0) + 1),
                                  f"mål {goal_id} står under målområde {area['id']} men dess nummer börjar inte med "
                                  f"{area['id']}.", f"goal {goal_id} stands under area {area['id']} but its number "
                                  f"does not start with {area['id']}.")
                    if goal_id in seen:
                        self.warn(place, f"mål {goal_id} finns redan; raden är utelämnad",
                                  f"goal {goal_id} is there already; the row is left out")
                        continue
                    seen.add(goal_id)
                    text = self.text(goal_text, attrs.evolve(place, column=header.get("goal_text", 0) + 1))
                    if not text:
                        self.warn(place, f"mål {goal_id} har ingen text i tabellen", f"goal {goal_id} has no text "
                                  "in the table", Said("skriv målets text i utkastet", "write the goal's text in the "
                                                       "draft"))
                    goal = {"id": goal_id, "text": text, "rows": [], "place": place}
                    area["goals"].append(goal)
            indicator_text = cell(cells, "indicator_text")
            if ind_match is None:
                if indicator_text and not _summary(cells) and not GOAL_ID.fullmatch(ind_cell or "x"):
                    column = header.get("indicator_id", header.get("indicator_text")) + 1
                    self.warn(attrs.evolve(place, column=column), "raden har en indikatortext men inget "
                              "indikatornummer; den är utelämnad ur utkastet", "the row has an indicator text but no "
                              "indicator number; it is left out of the draft",
                              Said("ge den ett nummer i tabellen, eller skriv den i utkastet",
                                   "give it a number in the table, or write it into the draft"))
                continue
            indicator_id, is_bonus = ind_match.group(1), ind_match.group(2) is not None
            id_place = attrs.evolve(place, column=header["indicator_id"] + 1)
            if goal is None or not indicator_id.startswith(goal["id"] + "."):
                self.warn(id_place, f"indikator {indicator_id} står inte under sitt mål"
                          + (f" ({goal['id']})" if goal else "") + "; raden är utelämnad",
                          f"indicator {indicator_id} does not stand under its goal"
                          + (f" ({goal['id']})" if goal else "") + "; the row is left out",
                          Said("flytta raden under målet, eller rätta numret",
                               "move the row under its goal, or correct its number"))
                continue
            if indicator_id in seen:
                self.warn(id_place, f"indikator {indicator_id} finns redan; raden är utelämnad",
                          f"indicator {indicator_id} is there already; the row is left out")
                continue
            seen.add(indicator_id)
            text = self.text(indicator_text, attrs.evolve(place, column=header["indicator_text"] + 1))
            goal["rows"].append(Row(indicator_id, text, is_bonus, self.points(cell(cells, "points"), place, header),
                                    self.text(cell(cells, "target"), place), id_place))
        return [Area(a["id"], a["title"], tuple(Goal(g["id"], g["text"], tuple(g["rows"]), g["place"])
                                                for g in a["goals"]), a["place"]) for a in areas]

    def text(self, cell: str, place: Place) -> str:
        """A cell's text as it goes into the draft: an identity number in it masked, and said."""
        if holds_identity(cell):
            self.warn(place, "cellen innehåller något som liknar ett personnummer; det är maskerat i utkastet",
                      "the cell holds what looks like a personal identity number; it is masked in the draft",
                      Said("ta bort det ur tabellen", "remove it from the table"), code="goal-table-identity")
        return redact(cell, self.limits.cell_characters)

    def points(self, cell: str, place: Place, header: dict[str, int]) -> int | None:
        if not cell:
            return None
        number = cell.replace(",", ".").replace("\u00a0", "").replace(" ", "")
        if re.fullmatch(r"\d{1,9}(\.0+)?", number) and int(Fraction(number)) <= self.limits.points:
            return int(Fraction(number))
        self.warn(attrs.evolve(place, column=header["points"] + 1),
                  f"poängen '{redact(cell, 40)}' är inget heltal från 0 till {self.limits.points}; utkastet får inga "
                  "poäng för raden", f"the points '{redact(cell, 40)}' are no whole number from 0 to "
                  f"{self.limits.points}; the draft takes none for the row")
        return None


def _merged(areas: list[Area], found: list[Area]) -> list[Area]:
    """Areas of a sheet added to those before: an area continued on another sheet keeps one entry."""
    out = list(areas)
    for area in found:
        same = next((i for i, a in enumerate(out) if a.id == area.id), None)
        if same is None:
            out.append(area)
        else:
            before = out[same]
            out[same] = attrs.evolve(before, title=before.title or area.title, goals=before.goals + area.goals)
    return out


def _summary(cells: tuple[str, ...]) -> bool:
    """A row of a table's sums or their labels: every cell a number or a word of sums."""
    return all(not c or NUMBER.fullmatch(c) or SUMMARY_WORDS.search(c) for c in cells)


def _known() -> str:
    return "; ".join(f"{', '.join(names[:4])}" for role, names in HEADERS.items())


def _letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value, limits: Limits, number_format: str | None = None) -> str:
    """A cell as text, whitespace squeezed to single spaces (a cell is one line); a number Excel shows
    as a percentage (0.4 formatted 0%) as that percentage, 40%."""
    if value is None or isinstance(value, float) and value != value:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (int, float)) and number_format and "%" in number_format:
        share = Fraction(value).limit_denominator(10_000) * 100
        return (str(share.numerator) if share.denominator == 1 else f"{float(share):g}") + "%"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value)
    if len(text) > limits.cell_characters:
        text = text[:limits.cell_characters]
    return " ".join(text.split())
