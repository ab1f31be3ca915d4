"""Every closed list of names the engine knows, declared once: units, comparison operators,
statuses, output formats and languages.

Each is a `StrEnum`, so a member is the very string the JSON document, the
exported YAML and the words table spell (`Unit.PERCENT == "percent"`): files
already written read back unchanged. The command line's choices, the docs'
tables and the tests read these lists; `tests/test_kinds.py` fails, naming
the member and the stage, when a stage has no handler for one."""

from __future__ import annotations

from enum import StrEnum


class Unit(StrEnum):
    """What a value is measured in. The first six are written by authors and shown in reports;
    the change units and INVALID are the compiler's own (the kind of a change, and a measure
    that already failed to compile, so no second message is given for it)."""

    PERCENT = "percent"                  # a share of 100: 80 %
    PP = "pp"                            # a difference of two percentages: 5 procentenheter
    RELATIVE = "relative"                # a relative change: 0,5 % relativt
    NUMBER = "number"
    YES_NO = "yes/no"
    TKR = "tkr"                          # thousands of kronor, a number shown as such
    CHANGE_PERCENT = "change-percent"    # increase/decrease of two percentages, before its comparison
    CHANGE_NUMBER = "change-number"      # increase/decrease of two numbers, before its comparison
    STATUS = "status"                    # a status a person reported: no value, only the judgement
    INVALID = "invalid"

    @classmethod
    def shown(cls) -> tuple[Unit, ...]:
        """The units a compared value can have in results (and so in JSON and reports)."""
        return (cls.PERCENT, cls.PP, cls.RELATIVE, cls.NUMBER, cls.YES_NO, cls.TKR)


class Op(StrEnum):
    """How a criterion compares the measured value with its bound."""

    AT_LEAST = ">="
    AT_MOST = "<="
    MORE_THAN = ">"
    LESS_THAN = "<"
    EQUAL = "="
    BETWEEN = "between"
    WITHIN_TARGET = "within-target"              # bound: the distance allowed; upper: the target
    CLOSER_THAN_TARGET = "closer-than-target"

    @property
    def single_bound(self) -> bool:
        """A target on one side: met at or beyond it (a margin and a 'near' band make sense)."""
        return self in (Op.AT_LEAST, Op.AT_MOST, Op.MORE_THAN, Op.LESS_THAN)

    @property
    def rising(self) -> bool:
        """More of what is counted helps."""
        return self in (Op.AT_LEAST, Op.MORE_THAN)

    @property
    def near_target(self) -> bool:
        return self in (Op.WITHIN_TARGET, Op.CLOSER_THAN_TARGET)


class RowOp(StrEnum):
    """How a count's condition tests a register row: a flag (exited, new, active), a field's value
    (=, in), or a number (age < 30)."""

    FLAG = "flag"
    IN = "in"
    EQUAL = "="
    LESS_THAN = "<"
    AT_MOST = "<="
    MORE_THAN = ">"
    AT_LEAST = ">="

    @property
    def numeric(self) -> bool:
        return self in (RowOp.LESS_THAN, RowOp.AT_MOST, RowOp.MORE_THAN, RowOp.AT_LEAST)


class Status(StrEnum):
    """The role a declared status plays in its scale (compile/model.StatusLevel): the ruleset names
    its statuses and their words; the engine knows only these four roles. A scale has one met, any
    number of partly bands between, one missed (otherwise), and one for no data."""

    MET = "met"
    PARTLY = "partly"
    MISSED = "missed"
    NOT_ASSESSED = "not-assessed"


class Term(StrEnum):
    """The parts of a method a ruleset names in its own words (`call area "Insats"`); a part it
    does not name is shown in the engine's neutral word for it (render/words.py, `term.`)."""

    AREA = "area"                        # Målområde, Insats, Perspektiv
    GOAL = "goal"                        # Mål, Strategiskt mål
    INDICATOR = "indicator"
    GRADE = "grade"                      # Betyg, Bedömning
    TARGET = "target"                    # the index's target: Budgeterat
    WEIGHT = "weight"                    # an area's planned weight: Planerad viktning
    POINTS = "points"                    # Poäng
    VALUE = "value"                      # an indicator's points at most: Indikatorvärde


class Format(StrEnum):
    TEXT = "text"
    MD = "md"
    HTML = "html"
    XLSX = "xlsx"
    JSON = "json"
    PDF = "pdf"

    @property
    def binary(self) -> bool:
        """Bytes for a file, never for a terminal."""
        return self in (Format.XLSX, Format.PDF)

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The file endings that say this format: `-o rapport.pdf` needs no --format."""
        return {Format.TEXT: (".txt",), Format.MD: (".md",), Format.HTML: (".html", ".htm")}.get(
            self, ("." + self.value,))

    @classmethod
    def of_path(cls, path) -> Format | None:
        """The format a file's ending says, or None when it says none of them."""
        from pathlib import PurePath

        suffix = PurePath(path).suffix.casefold()
        return next((form for form in cls if suffix in form.suffixes), None)


class Lang(StrEnum):
    SV = "sv"
    EN = "en"


LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")     # in the order gettext reads them


def locale_language(environ) -> Lang | None:
    """The language a user's locale asks messages in: English for an English locale (en_GB.UTF-8),
    Swedish for any other; None when it names no language (unset, C, POSIX)."""
    for variable in LOCALE_VARIABLES:
        language = environ.get(variable, "").split(":")[0].split(".")[0].split("_")[0].lower()
        if language not in ("", "c", "posix"):
            return Lang.EN if language == "en" else Lang.SV
    return None


def choices(kind: type[StrEnum]) -> tuple[str, ...]:
    """The members' spellings, in declared order: what a command-line flag accepts."""
    return tuple(member.value for member in kind)
