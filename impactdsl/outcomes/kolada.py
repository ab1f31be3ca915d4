"""Facts from Kolada, the municipalities' open statistics (RKA): a file downloaded from its API (the
JSON it answers) or saved as CSV, read as facts of the ruleset. No network: the file is read as the
user downloaded it, and every value keeps where it came from (KPI, municipality, year, the day it
was downloaded) for explain, which cites "Källa: Kolada".

The data folder's YAML names the file and which fact each KPI is:

    kolada:
      - path: kolada/skola.json
        downloaded: 2024-02-01
        facts:
          behörighet: {kpi: N15428, municipality: "0480"}              # the total (T)
          behörighet_kvinnor: {kpi: N15428, municipality: "0480", gender: K}
          utanförskap: {kpi: N00945, municipalities: {umeå: "2480", vännäs: "2460"}}

Every year the file holds is read (the ruleset's, the previous one, the others as `NAME[2021]`).
Kolada's markers — `..` withheld for too small a base, `-` missing, `.` not applicable, or no
value — make the fact not assessed, with that reason."""

from __future__ import annotations

import csv
import io
import json
import re
from fractions import Fraction
from typing import NamedTuple

from impactdsl.core.diagnostics import Said

GENDERS = ("T", "K", "M")
MARKERS = {"..": "withheld", "-": "missing", ".": "not_applicable"}   # Kolada's marker → why, as a words key
COLUMNS = ("kpi", "municipality", "period", "gender", "value", "status")
MUNICIPALITY = re.compile(r"[0-9]{4}")


class KoladaValue(NamedTuple):
    """One value of the file: a number, or None with why (`MARKERS`' words key for Kolada's marker)."""

    value: Fraction | None
    marker: str | None


class KoladaProblem(Exception):
    """The file is not in a shape Kolada writes, said in Swedish and in English (what follows "the Kolada
    file NAME"); `line` where that shows, when it does."""

    def __init__(self, message: Said, line: int = 1):
        super().__init__(message.en)
        self.message, self.line = message, line


def values(raw: bytes, name: str) -> dict[tuple[str, str, int, str], KoladaValue]:
    """(kpi, municipality, period, gender) → value, from the API's JSON or a CSV with its fields."""
    text = raw.decode("utf-8-sig")
    if name.casefold().endswith(".json"):
        return _from_json(text)
    return _from_csv(text)


def _from_json(text: str) -> dict:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = exc.msg                        # the JSON reader's own words, in English
        raise KoladaProblem(Said(f"är inte JSON så som Koladas API svarar ({reason})",
                                 f"is not JSON as Kolada's API answers ({reason})"), exc.lineno) from None
    except RecursionError:
        raise KoladaProblem(Said("är djupare nästlad än något svar från Kolada",
                                 "is nested deeper than any Kolada answer")) from None
    rows = document.get("values") if isinstance(document, dict) else None
    if not isinstance(rows, list):
        raise KoladaProblem(Said("har ingen lista 'values', som Koladas API svarar på /v2/data/...",
                                 "holds no 'values' list, as Kolada's API answers /v2/data/..."))
    found = {}
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("values"), list):
            raise KoladaProblem(Said("har en post utan sina 'values' per kön",
                                     "has an entry without its 'values' by gender"))
        for value in row["values"]:
            if not isinstance(value, dict):
                raise KoladaProblem(Said("har ett värde som inte är {gender, value, status}",
                                         "has a value that is not {gender, value, status}"))
            _put(found, row.get("kpi"), row.get("municipality"), row.get("period"), value.get("gender"),
                 value.get("value"), value.get("status"), 1)
    return found


def _from_csv(text: str) -> dict:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().casefold() for cell in next(reader, [])]
    missing = [c for c in COLUMNS[:5] if c not in header]
    if missing:
        raise KoladaProblem(Said(f"har ingen kolumn {missing[0]} (Koladas fält: {', '.join(COLUMNS)})",
                                 f"has no column {missing[0]} (Kolada's fields: {', '.join(COLUMNS)})"))
    at = {c: header.index(c) for c in COLUMNS if c in header}
    found = {}
    for line, cells in enumerate(reader, 2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            raise KoladaProblem(Said("har en rad med färre fält än rubrikraden",
                                     "has a line with fewer fields than its header"), line)
        get = {c: cells[i].strip() for c, i in at.items()}
        _put(found, get["kpi"], get["municipality"], get["period"], get["gender"], get["value"] or None,
             get.get("status"), line)
    return found


def _put(found: dict, kpi, municipality, period, gender, value, status, line: int) -> None:
    if not isinstance(kpi, str) or not re.fullmatch(r"[A-Z][0-9]{5}", kpi or ""):
        raise KoladaProblem(Said("har ett KPI-id som inte är Koladas (en bokstav och fem siffror, N00945)",
                                 "has a KPI id that is not Kolada's (a letter and five digits, N00945)"), line)
    if not isinstance(municipality, str) or not MUNICIPALITY.fullmatch(municipality):
        raise KoladaProblem(Said("har ett kommun-id som inte är fyra siffror (0480)",
                                 "has a municipality id that is not four digits (0480)"), line)
    try:
        year = int(period)
    except (TypeError, ValueError):
        raise KoladaProblem(Said("har en period som inte är ett år", "has a period that is not a year"),
                            line) from None
    if gender not in GENDERS:
        raise KoladaProblem(Said("har ett annat kön än T, K eller M", "has a gender other than T, K or M"), line)
    marker = (status or "").strip() or None
    if isinstance(value, str) and value.strip() in MARKERS:
        marker, value = value.strip(), None
    number = None
    if value is not None:
        try:
            number = Fraction(str(value).replace(",", ".").replace(" ", ""))
        except (ValueError, ZeroDivisionError):
            raise KoladaProblem(Said("har ett värde som varken är ett tal eller en av Koladas markeringar",
                                     "has a value that is not a number or one of Kolada's markers"), line) from None
        if len(str(abs(number.numerator))) > 30:
            raise KoladaProblem(Said("har ett värde som är längre än något tal impactdsl läser",
                                     "has a value longer than any number impactdsl reads"), line)
    key = (kpi, municipality, year, gender)
    if key in found:
        raise KoladaProblem(Said(f"anger {kpi} för {municipality}, {year}, {gender} två gånger",
                                 f"gives {kpi} for {municipality}, {year}, {gender} twice"), line)
    found[key] = KoladaValue(number, None if number is not None else MARKERS.get(marker or "-", "missing"))

