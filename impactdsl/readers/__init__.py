"""Data folder → Outcomes: aggregated YAML read as tallies, raw survey and
register files tallied in one pass each. The evaluator never sees rows.

    outcomes, problems, sources = load(folder, ruleset)

`sources` are the YAML texts, for quoting their lines in messages; raw files
are never quoted."""

from __future__ import annotations

from pathlib import Path

from .. import model as m
from ..cache import cached
from ..diagnostics import Diagnostic, error
from ..outcomes import Outcomes
from ..source import Source, Span, display_path
from .aggregates import AggregateReader
from .manifest import FileSpec
from .tables import TableError, identity_guard, open_table

MAX_YAML_BYTES = 20 * 1024 * 1024


def load(folder: Path, ruleset: m.Ruleset, progress=None) -> tuple[Outcomes | None, list[Diagnostic],
                                                                    dict[str, Source]]:
    """Read every *.yaml file in `folder` (in name order) and the raw files they list.

    `progress(file, done, total)`, when given, is called as large files are read."""
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        problems.append(error("data-missing", f"there is no data folder {display_path(folder)}", None,
                              "put the year's outcome files in data/ beside ruleset.impact, "
                              "or name a folder with --data"))
        return None, problems, {}
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        problems.append(error("data-missing", f"no .yaml files in {display_path(folder)}", None,
                              "outcome data are YAML tallies, or raw files listed under files: "
                              "in a YAML manifest (docs/data.md)"))
        return None, problems, {}
    sources = {}
    for path in files:
        source = _read_yaml(path, problems)
        if source is not None:
            sources[source.path] = source
    key = [ruleset.sha256, str(folder.resolve())] + [content for _, _, content in ruleset.imports] + [x for s in sources.values() for x in (s.path, s.text)]
    key += _raw_file_stamps(folder)
    compute = lambda: _tally(sources, folder, ruleset, progress)  # noqa: E731
    outcomes, found = cached("tallies", key, compute) if ruleset.sha256 else compute()
    return outcomes, problems + found, sources


def _raw_file_stamps(folder: Path) -> list[str]:
    """Size and time of every other file below the folder: a changed raw file is a new key."""
    stamps = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix not in (".yaml", ".yml"):
            stat = path.stat()
            stamps.append(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}")
    return stamps


def _read_yaml(path: Path, problems: list[Diagnostic]) -> Source | None:
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            problems.append(error("data-size", f"{shown} is {size // 1_000_000} MB, more than the "
                                  f"{MAX_YAML_BYTES // 1_000_000} MB a tally file may hold", Span(shown, 1, 1),
                                  "aggregated data are small; list raw files under files: instead"))
            return None
        raw = path.read_bytes()
        return Source(shown, raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(error("data-encoding", f"{shown} is not UTF-8 text", Span(shown, 1, 1),
                              "save the file as UTF-8"))
    except OSError as exc:
        problems.append(error("data-read", f"cannot read {shown}: {exc.strerror}", Span(shown, 1, 1)))
    return None


def _tally(sources: dict[str, Source], folder: Path, ruleset: m.Ruleset,
           progress=None) -> tuple[Outcomes, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    reader = AggregateReader(ruleset, problems)
    for source in sources.values():
        reader.read(source, folder)
    surveys, counts, facts = dict(reader.surveys), dict(reader.counts), dict(reader.facts)
    read = list(sources)
    for spec in reader.files:
        tallies = _raw_file(spec, ruleset, problems, progress)
        if tallies is None:
            continue
        read.append(spec.shown)
        target = surveys if spec.kind == "survey" else counts
        for key, value in tallies.items():
            if key in target:
                name = " ".join(str(k) for k in key[:2] if k)
                problems.append(error("data-twice", f"{name} is given twice: in {spec.shown} and in "
                                      f"{target[key].source.path if target[key].source else 'another file'}",
                                      spec.span, "give each number in one place"))
            target[key] = value
    return Outcomes(surveys, counts, facts, tuple(sorted(read))), problems


def _raw_file(spec: FileSpec, ruleset: m.Ruleset, problems: list[Diagnostic], progress=None) -> dict | None:
    """One raw file → its tallies, or None (with a diagnostic) when it cannot be read.

    Large and Parquet files go through DuckDB when it is installed; when DuckDB
    doubts anything, the plain reader reads the file and says what is wrong."""
    from . import columnar

    if columnar.wanted(spec):
        if not columnar.available():
            problems.append(columnar.missing_engine(spec))
            if problems[-1].is_error:
                return None
        else:
            size = spec.path.stat().st_size
            try:
                if progress is not None:
                    progress(spec.shown, 0, size)
                found = (columnar.survey(ruleset, spec).tallies() if spec.kind == "survey"
                         else columnar.register(ruleset, spec))
                if progress is not None:
                    progress(spec.shown, size, size)
                return found
            except columnar.Doubt:
                if spec.path.suffix.casefold() == ".parquet":
                    problems.append(error("data-parquet", f"{spec.shown} holds values that do not fit the "
                                          "ruleset (an answer off the scale, a group not declared or a date "
                                          "that does not parse)", spec.span,
                                          "export it as CSV to see each problem with its line"))
                    return None
            except TableError as exc:
                problems.append(exc.diagnostic)
                return None
    return _plain_file(spec, ruleset, problems, progress)


def _plain_file(spec: FileSpec, ruleset: m.Ruleset, problems: list[Diagnostic], progress) -> dict | None:
    from .registers import RegisterTally
    from .surveys import SurveyTally

    try:
        table = identity_guard(open_table(spec.path, spec.shown, spec.sheet, progress))
        if spec.kind == "survey":
            tally = SurveyTally(ruleset, spec, table)
            tally.read()
            found = tally.problems()
            problems.extend(found)
            return None if found else tally.tallies()
        tally = RegisterTally(ruleset, spec, table)
        tally.read()
        return tally.values()
    except TableError as exc:
        problems.append(exc.diagnostic)
        return None
    except OSError as exc:
        problems.append(error("data-read", f"cannot read {spec.shown}: {exc.strerror}", spec.span))
        return None
