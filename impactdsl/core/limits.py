"""Limits applied before any work, so an untrusted peer's file or a hostile
data export cannot exhaust memory or time. A frozen value passed in, never a
global; docs/security.md lists every value and why (a test holds the two
together). A named tuple: every command makes one, and it is cheap to make."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from impactdsl.core.diagnostics import Said


class Limits(NamedTuple):
    # rulesets and what they import
    file_bytes: int = 2 * 1024 * 1024         # one ruleset file, text or exported YAML
    imports: int = 16                         # imports in one file
    depth: int = 4                            # a peer importing a peer importing ...
    files: int = 32                           # ruleset files read for one ruleset, its imports' imports included
    total_bytes: int = 4 * 1024 * 1024        # ... and their bytes together (see total_tokens too)
    statements: int = 5000                    # statements in one file
    tokens: int = 200_000                     # words, numbers and signs in one file (10 000 indicators: 160 000)
    brackets: int = 40                        # brackets nested inside each other
    operators: int = 40                       # + - * / in one statement (the compiler walks them one in another)
    total_tokens: int = 300_000               # ... in all the files of the import tree together
    indicators: int = 20_000                  # indicators and bonus rows, each-blocks expanded
    points: int = 10_000                      # points of one indicator, bonus or cap (totals stay below 10⁹)
    grades: int = 20                          # bands of a grade scale (every unit is tried against each)
    table_cells: int = 100_000                # cells of all tables, splits and totals included
    periods: int = 50                         # years one sum(... over 2020 to 2023) adds
    summed: int = 100_000                     # figures all the sums of a ruleset add (an each block of sums)
    outcome_chain: int = 100                  # indicators reached through outcome(...) of outcome(...)
    problems: int = 200                       # problems listed for one ruleset or data folder, the rest counted
    # every YAML file: exported rulesets, outcome data and manifests, lock files
    yaml_nodes: int = 200_000                 # values in one exported ruleset or lock file
    data_yaml_nodes: int = 200_000            # values in one outcome-data file (large data are raw files)
    data_yaml_bytes: int = 2 * 1024 * 1024    # one outcome-data YAML file
    kolada_bytes: int = 32 * 1024 * 1024      # one file downloaded from Kolada (JSON or CSV)
    yaml_depth: int = 64                      # mappings and lists inside each other
    yaml_scalar: int = 100_000                # characters in one YAML value or key
    report_characters: int = 20_000           # one text of a reported status: who, evidence, a deliverable's text
    # numbers, wherever they are written
    number_digits: int = 15                   # digits in one number (a count, a percentage, a year)
    # raw survey exports and registers, checked while streaming
    line_bytes: int = 1_000_000               # one line of a CSV file
    cell_characters: int = 100_000            # characters in one cell
    columns: int = 16_384                     # columns of a table (Excel's own limit)
    xlsx_rows: int = 1_048_576                # rows of a worksheet (Excel's own limit)
    xlsx_unpacked_bytes: int = 256 * 1024 * 1024   # an XLSX file's members, unpacked, together
    xlsx_part_bytes: int = 16 * 1024 * 1024   # one member read whole (shared texts, styles), unpacked
    goal_table_bytes: int = 8 * 1024 * 1024   # a goal table read by `init --from` (.xlsx), as a file
    goal_table_sheets: int = 100              # ... its sheets
    goal_table_rows: int = 20_000             # ... its rows, all sheets together (a table is a few hundred)
    goal_table_cells: int = 1_000_000         # ... its cells read, all sheets together
    manifest_files: int = 100                 # raw files the manifests of one data folder list
    name_characters: int = 1000               # a cell read as a name: a label, a group, a question
    unknown_names: int = 100                  # distinct unknown names kept per kind, the rest counted
    duckdb_megabytes: int = 400               # DuckDB's memory for a large file (it never spills to disk)
    distinct_answers: int = 100_000           # distinct (group, subgroup, question, answer) DuckDB hands back

    def number_too_long(self, text: str) -> bool:
        """Whether a written number has more digits than any number impactdsl reads."""
        return sum(character.isdigit() for character in str(text)) > self.number_digits

    def number_message(self, what: Said | str | None = None) -> Said | str:
        """What is said of a number with too many digits, `what` naming it (by default "this number"),
        in Swedish and English; a `what` given as plain English text gets the English sentence alone."""
        from impactdsl.core.diagnostics import Said

        english = f" has more than {self.number_digits} digits, more than any number impactdsl reads"
        if isinstance(what, str):
            return what + english
        return Said.joined(what or Said("det här talet", "this number"),
                           Said(f" har fler än {self.number_digits} siffror; impactdsl läser inga så långa tal",
                                english))


DEFAULT = Limits()
