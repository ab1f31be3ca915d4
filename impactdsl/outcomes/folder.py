"""Data folder → Outcomes: aggregated YAML read as tallies, raw survey and
register files tallied in one pass each. The evaluator never sees rows.

    outcomes, problems, sources = load(folder, ruleset)

`sources` are the YAML texts, for quoting their lines in messages; raw files
are never quoted."""

from __future__ import annotations

import contextlib
from pathlib import Path

from impactdsl.compile import model as m
from impactdsl.core.diagnostics import Diagnostic, Said, error
from impactdsl.core.limits import DEFAULT, Limits
from impactdsl.core.source import Source, Span, display_path
from impactdsl.outcomes.aggregates import AggregateReader
from impactdsl.outcomes.manifest import FileSpec
from impactdsl.outcomes.tables import CHECK_PATH, TableError, identity_guard, open_table
from impactdsl.outcomes.tallies import Outcomes
from impactdsl.read import files
from impactdsl.read.cache import cached

STAMPED_FILES = 10_000          # beyond this many other files in the data folder, the tallies are not cached

ALLOW = Said("kopiera filen till datamappen, eller ange dess mapp med --allow DIR",
             "copy the file into the data folder, or name its folder with --allow DIR")
ONCE = Said("lista varje export en gång", "list each export once")


def _data_file(shown: str, reason: Said) -> Said:
    """'datafilen NAMN finns inte' / 'the data file NAME does not exist'."""
    return Said.joined(Said(f"datafilen {shown} ", f"the data file {shown} "), reason)


def load(folder: Path, ruleset: m.Ruleset, progress=None, allow=(), limits: Limits = DEFAULT
         ) -> tuple[Outcomes | None, list[Diagnostic], dict[str, Source]]:
    """Read every *.yaml file in `folder` (in name order) and the raw files they list.

    Every file read is a regular file inside `folder` (links resolved) or in a
    folder named in `allow`. `progress(file, done, total)`, when given, is
    called as large files are read."""
    problems: list[Diagnostic] = []
    shown = display_path(folder)
    try:
        kind = files.kind(folder)
        entries = sorted(folder.iterdir()) if kind == "folder" else []
    except (files.FileProblem, OSError) as exc:
        reason = exc.message if isinstance(exc, files.FileProblem) else files.explain(exc)
        return None, [error("data-read", Said.joined(Said(f"datamappen {shown} ", f"the data folder {shown} "), reason),
                            None, Said("kontrollera att mappen finns och att den får läsas",
                                       "check that the folder exists and may be read"))], {}
    if kind != "folder":
        problems.append(error("data-missing", Said(f"det finns ingen datamapp {shown}",
                                                   f"there is no data folder {shown}"), None,
                              Said("lägg årets utfallsfiler i data/ bredvid ruleset.impact, eller ange en mapp "
                                   "med --data", "put the year's outcome files in data/ beside ruleset.impact, "
                                   "or name a folder with --data")))
        return None, problems, {}
    places = (folder,) + tuple(Path(a) for a in allow)
    yaml_files = [p for p in entries if p.suffix in (".yaml", ".yml") and _kind(p) != "folder"]
    if not yaml_files:
        problems.append(error("data-missing", Said(f"inga .yaml-filer i {shown}", f"no .yaml files in {shown}"), None,
                              Said("utfallsdata är sammanräkningar i YAML, eller rådatafiler som listas under "
                                   "files: i ett manifest i YAML (docs/data.md)",
                                   "outcome data are YAML tallies, or raw files listed under files: "
                                   "in a YAML manifest (docs/data.md)")))
        return None, problems, {}
    sources, inputs = {}, []
    for path in yaml_files:
        source = _read_yaml(path, places, problems, limits)
        if source is not None:
            sources[source.path] = source
            inputs.append(str(files.resolved(path)))
    key = [ruleset.sha256, str(files.resolved(folder)), str(limits), *map(str, allow)] + \
        [content for _, _, content in ruleset.imports] + [x for s in sources.values() for x in (s.path, s.text)]
    stamps = _raw_file_stamps(folder)
    compute = lambda: _tally(sources, folder, places, ruleset, progress, limits)  # noqa: E731
    if ruleset.sha256 and stamps is not None:
        outcomes, found = cached("tallies", key + stamps, compute)
    else:
        outcomes, found = compute()
    digests = tuple(sorted({(s.path, s.sha256) for s in sources.values()} | set(outcomes.digests)))
    outcomes = Outcomes(outcomes.surveys, outcomes.counts, outcomes.facts, outcomes.sources,
                        tuple(dict.fromkeys(inputs + list(outcomes.inputs))), outcomes.reported, digests)
    return outcomes, problems + found, sources


def _kind(path: Path) -> str:
    try:
        return files.kind(path)
    except files.FileProblem:
        return "other"


def _raw_file_stamps(folder: Path) -> list[str] | None:
    """Size and time of every other file below the folder: a changed raw file is a new key.
    None when the folder holds too many files to look at every time (then nothing is cached)."""
    stamps = []
    try:
        for path in sorted(folder.rglob("*")):
            if len(stamps) >= STAMPED_FILES:
                return None
            if path.suffix not in (".yaml", ".yml"):
                info = files.status(path)
                if info is not None and not path.is_dir():
                    stamps.append(f"{path.relative_to(folder)}:{info.st_size}:{info.st_mtime_ns}")
    except (OSError, files.FileProblem):
        return None
    return stamps


def _read_yaml(path: Path, places: tuple[Path, ...], problems: list[Diagnostic], limits: Limits) -> Source | None:
    shown = display_path(path)
    if not files.inside(path, places):
        problems.append(error("data-outside", Said(f"{shown} är en länk till en fil utanför datamappen",
                                                   f"{shown} is a link to a file outside the data folder"),
                              Span(shown, 1, 1), ALLOW))
        return None
    try:
        raw = files.read_bytes(path, limits.data_yaml_bytes, places)
        return Source(shown, raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(error("data-encoding", Said(f"{shown} är inte UTF-8-text", f"{shown} is not UTF-8 text"),
                              Span(shown, 1, 1), Said("spara filen som UTF-8", "save the file as UTF-8")))
    except files.FileProblem as problem:
        if problem.too_large:
            problems.append(error("data-size", Said.joined(f"{shown} ", problem.message), Span(shown, 1, 1),
                                  Said("sammanräknade data är små; lista rådatafiler under files: i stället",
                                       "aggregated data are small; list raw files under files: instead")))
        else:
            problems.append(error("data-read", Said.joined(f"{shown} ", problem.message), Span(shown, 1, 1),
                                  problem.hint))
    return None


def _tally(sources: dict[str, Source], folder: Path, places: tuple[Path, ...], ruleset: m.Ruleset,
           progress, limits: Limits) -> tuple[Outcomes, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    reader = AggregateReader(ruleset, problems, limits)
    for source in sources.values():
        reader.read(source, folder)
    reader.finish()
    surveys, counts, facts = dict(reader.surveys), dict(reader.counts), dict(reader.facts)
    read, inputs, digests = list(sources), [], []
    if len(reader.files) > limits.manifest_files:
        problems.append(error("data-size", Said(f"manifesten listar {len(reader.files)} filer, fler än de "
                                                f"{limits.manifest_files} en datamapp får ha",
                                                f"the manifests list {len(reader.files)} files, more than the "
                                                f"{limits.manifest_files} one data folder may"),
                              reader.files[limits.manifest_files].span, ONCE))
        return Outcomes(surveys, counts, facts, tuple(sorted(read)), (), reader.reported), problems
    with contextlib.ExitStack() as held_open:
        digester = held_open.enter_context(files.Digester())
        opened = []             # each file opened once, its digest begun: they are worked out beside the tallies
        for spec in _readable(reader.files, places, problems):
            held = _open(spec, problems, places)
            if held is not None:
                opened.append((spec, held_open.enter_context(held), digester.add(held)))
        for spec, held, digest in opened:
            tallies = _tallies(spec, ruleset, problems, progress, limits, places, held)
            if tallies is None:
                continue
            try:
                digests.append((spec.shown, digest.result()))
            except files.FileProblem as problem:
                problems.append(error("data-read", _data_file(spec.shown, problem.message), spec.span))
                continue
            read.append(spec.shown)
            inputs.append(str(files.resolved(spec.path)))
            target = surveys if spec.kind == "survey" else counts
            for key, value in tallies.items():
                if key in target:
                    name = " ".join(str(k) for k in key[:2] if k)
                    first = target[key].source.path if target[key].source else None
                    problems.append(error("data-twice", Said(f"{name} anges två gånger: i {spec.shown} och i "
                                                             f"{first or 'en annan fil'}",
                                                             f"{name} is given twice: in {spec.shown} and in "
                                                             f"{first or 'another file'}"),
                                          spec.span, Said("ange varje tal på ett enda ställe",
                                                          "give each number in one place")))
                target[key] = value
    return Outcomes(surveys, counts, facts, tuple(sorted(read)), tuple(inputs), reader.reported,
                    tuple(digests)), problems


def _readable(specs: list[FileSpec], places: tuple[Path, ...], problems: list[Diagnostic]):
    """The files listed that lie inside the data folder, each once (by device and inode)."""
    listed: dict[tuple[int, int], FileSpec] = {}
    for spec in specs:
        if not files.inside(spec.path, places):
            problems.append(error("data-outside", Said(f"{spec.shown} ligger utanför datamappen (via en länk)",
                                                       f"{spec.shown} lies outside the data folder (through a link)"),
                                  spec.span, ALLOW))
            continue
        same = next(iter(files.identities([spec.path])), None)
        if same is not None and same in listed:         # refused before it is read again
            problems.append(error("data-twice", Said(f"{spec.shown} listas två gånger (även på "
                                                     f"{listed[same].span})",
                                                     f"{spec.shown} is listed twice (also at {listed[same].span})"),
                                  spec.span, ONCE))
            continue
        if same is not None:
            listed[same] = spec
        yield spec


def _open(spec: FileSpec, problems: list[Diagnostic], places: tuple[Path, ...]):
    """A raw file opened for reading, once: its readers and its digest all read this opening, so the
    digest names the bytes tallied. None, with a diagnostic, when it cannot be."""
    kind = _kind(spec.path)
    if kind != "file":
        reason = Said("finns inte", "does not exist") if kind == "missing" else \
            Said("är inte en vanlig fil", "is not a regular file")
        problems.append(error("data-file", _data_file(spec.shown, reason),
                              spec.span, CHECK_PATH))
        return None
    try:
        return files.open_regular(spec.path, places)
    except files.FileProblem as problem:
        problems.append(error("data-file", _data_file(spec.shown, problem.message), spec.span,
                              problem.hint or CHECK_PATH))
        return None


def _tallies(spec: FileSpec, ruleset: m.Ruleset, problems: list[Diagnostic], progress, limits: Limits,
             places: tuple[Path, ...], held) -> dict | None:
    """One raw file's tallies, read from its opening `held`; None (with a diagnostic) when it cannot be read.

    Large and Parquet files go through DuckDB when it is installed; when DuckDB
    doubts anything, the plain reader reads the file and says what is wrong."""
    from impactdsl.outcomes import columnar

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
                found = (columnar.survey(ruleset, spec, limits, places=places, opened=held).tallies()
                         if spec.kind == "survey" else columnar.register(ruleset, spec, limits, places=places,
                                                                          opened=held))
                if progress is not None:
                    progress(spec.shown, size, size)
                return found
            except columnar.Doubt:
                if spec.path.suffix.casefold() == ".parquet":
                    problems.append(error("data-parquet", Said(
                        f"{spec.shown} kan inte räknas samman så som regelverket kräver (ett svar utanför "
                        "skalan, en grupp som inte är deklarerad, ett datum som inte går att tolka, eller mer "
                        "minne än som tillåts för den)",
                        f"{spec.shown} cannot be tallied as the ruleset needs "
                        "(an answer off the scale, a group not declared, a date that does not "
                        "parse, or more than the memory allowed for it)"), spec.span,
                        Said("exportera den som CSV för att se varje problem med sin rad",
                             "export it as CSV to see each problem with its line")))
                    return None
            except TableError as exc:
                problems.append(exc.diagnostic)
                return None
            except files.FileProblem as problem:
                problems.append(error("data-file", _data_file(spec.shown, problem.message), spec.span, problem.hint))
                return None
    return _plain_file(spec, ruleset, problems, progress, limits, places, held)


def _plain_file(spec: FileSpec, ruleset: m.Ruleset, problems: list[Diagnostic], progress,
                limits: Limits = DEFAULT, places: tuple[Path, ...] | None = None, held=None) -> dict | None:
    from impactdsl.outcomes.registers import RegisterTally
    from impactdsl.outcomes.surveys import SurveyTally

    opened = files.again(held) if held is not None else None
    try:
        table = identity_guard(open_table(spec.path, spec.shown, spec.sheet, progress, limits, places,
                                          spec.header_row, opened))
        tally = {"survey": SurveyTally, "register": RegisterTally}[spec.kind](ruleset, spec, table, limits)
        tally.read()
        found = tally.problems()
        problems.extend(found)
        return None if found else tally.tallies()
    except TableError as exc:
        problems.append(exc.diagnostic)
        return None
    except OSError as exc:
        problems.append(error("data-read", _data_file(spec.shown, files.explain(exc)), spec.span))
        return None
    finally:
        if opened is not None:          # closed here too when a problem stops the table before its rows
            opened.close()
