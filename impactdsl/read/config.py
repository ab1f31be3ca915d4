"""`impactdsl.toml` beside a ruleset: the command line's defaults, so no flag is retyped.

    data = "data-2023"          # the outcome data folder (default: data/ beside the ruleset)
    allow = ["../grannar"]      # folders a peer's imports and data files may be read from
    format = "html"             # evaluate's report format
    lang = "sv"                 # sv or en
    date = "2023-02-15"         # the day reports say they were evaluated

Paths are relative to the file's folder. A flag given on the command line
wins over the file. A key the file should not have, or a value of the wrong
kind, is a usage error naming the file, its line and what is allowed; the file
is read within the size limit of a ruleset file, never written."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import attrs

from impactdsl.core.diagnostics import Diagnostic, Said, did_you_mean, error
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.source import Span, display_path
from impactdsl.read import files

CONFIG_FILE = "impactdsl.toml"
KEYS = ("data", "allow", "format", "lang", "date")


@attrs.frozen
class Config:
    """The defaults a config file gives; None where it gives none."""

    path: Path | None = None
    data: Path | None = None
    allow: tuple[Path, ...] = ()
    format: str | None = None
    lang: str | None = None
    date: datetime.date | None = None


def find(ruleset: str | Path) -> Path | None:
    """The config file beside a ruleset (in its folder, or beside its .impact file), if there is one."""
    path = Path(ruleset)
    try:
        folder = path if files.kind(path) == "folder" else path.parent
        candidate = folder / CONFIG_FILE
        return candidate if files.kind(candidate) == "file" else None
    except files.FileProblem:                   # a ruleset path that cannot be used: its reader says why
        return None


def read(path: Path, formats: tuple[str, ...], langs: tuple[str, ...],
         limits: Limits = DEFAULT) -> tuple[Config | None, list[Diagnostic]]:
    """The file's defaults, or None with every problem in it."""
    import tomllib

    shown = display_path(path)
    try:
        text = files.read_bytes(path, limits.file_bytes).decode("utf-8")
    except files.FileProblem as problem:
        return None, [error("config", Said.joined(f"{shown} ", problem.message), Span(shown, 1, 1), problem.hint)]
    except UnicodeDecodeError:
        return None, [error("config", Said(f"{shown} är inte UTF-8-text", f"{shown} is not UTF-8 text"),
                            Span(shown, 1, 1), Said("spara filen som UTF-8", "save it as UTF-8"))]
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        reason = str(exc).split(' (at')[0].lower()      # the TOML reader's own words, in English
        return None, [error("config", Said(f"{shown} är inte giltig TOML: {reason}", f"{shown} is not TOML: {reason}"),
                            Span(shown, line, column),
                            Said('skriv varje inställning som namn = värde, t.ex. lang = "sv"',
                                 'write each setting as name = value, e.g. lang = "sv"'))]
    folder = path.parent
    problems, values = [], {}

    def wrong(key: str, what: Said, hint: Said | None = None) -> None:
        problems.append(error("config", Said.joined(f"{shown}: '{key}' ", what), _span(text, shown, key), hint))

    for key, value in table.items():
        if key not in KEYS:
            wrong(key, Said("är inte en inställning i impactdsl.toml", "is not a setting of impactdsl.toml"),
                  did_you_mean(key, KEYS) or Said("inställningar: " + ", ".join(KEYS), "settings: " + ", ".join(KEYS)))
        elif key == "data" and isinstance(value, str) and value:
            values["data"] = folder / value
        elif key == "allow" and isinstance(value, list) and all(isinstance(v, str) and v for v in value):
            values["allow"] = tuple(folder / v for v in value)
        elif key == "format" and value in formats:
            values["format"] = value
        elif key == "lang" and value in langs:
            values["lang"] = value
        elif key == "date" and isinstance(value, (datetime.date, str)) and not isinstance(value, datetime.datetime) \
                and parse_day(str(value)) is not None:
            values["date"] = parse_day(str(value))
        else:
            wrong(key, Said("har ett värde som den inte kan ha", "has a value it cannot take"), {
                "data": Said('en mapp, t.ex. data = "data-2023"', 'a folder, e.g. data = "data-2023"'),
                "allow": Said('en lista med mappar, t.ex. allow = ["../grannar"]',
                              'a list of folders, e.g. allow = ["../grannar"]'),
                "format": Said("en av " + ", ".join(formats), "one of " + ", ".join(formats)),
                "lang": Said("en av " + ", ".join(langs), "one of " + ", ".join(langs)),
                "date": Said("en dag, t.ex. date = 2023-02-15", "a day, e.g. date = 2023-02-15")}[key])
    if problems:
        return None, problems
    return Config(path=path, **values), []


def parse_day(text: str) -> datetime.date | None:
    """A day written YYYY-MM-DD (--date, or date in this file), in the years a period can be; else None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return day if 1900 <= day.year < 2200 else None


def _span(text: str, shown: str, key: str) -> Span:
    """Where a key is set in the file (its first line that starts with it)."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return Span(shown, number, line.index(key) + 1)
    return Span(shown, 1, 1)
