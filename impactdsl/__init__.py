"""impactdsl: a ruleset language for the goals and Impact Index of Swedish
coordination associations (samordningsförbund).

The library API, which the command line merely calls:

    ruleset, problems = impactdsl.check("rulesets/umea-2022")
    outcomes, problems = impactdsl.load("rulesets/umea-2022/data", ruleset)
    results = impactdsl.evaluate(ruleset, outcomes)
    print(impactdsl.explain(results, "3.2.6"))

Stage functions return (value, problems); value is None when the stage could
not go on. Problems are Diagnostics, each with its file, line and a hint.

The package is the pipeline, one subpackage per stage (see each one's
docstring): core → read → parse → compile → outcomes (load) → workspace →
evaluation → render → this API → cli.

May import: `core`, `read`, `parse`, `compile`, `outcomes`, `workspace`, `evaluation`, `render`; never the command line.
"""

from __future__ import annotations

from pathlib import Path

from impactdsl.compile.model import Ruleset, TodoOf
from impactdsl.core.diagnostics import Diagnostic, has_errors, with_snippets
from impactdsl.core.diagnostics import render as render_problems
from impactdsl.core.version import __version__
from impactdsl.evaluation.engine import evaluate
from impactdsl.evaluation.results import Results
from impactdsl.outcomes.tallies import Outcomes
from impactdsl.workspace import Inputs, compile_file, locate
from impactdsl.workspace import may_write as workspace_may_write

__all__ = ["check", "check_data", "load", "evaluate", "explain", "goal_table_draft", "inputs", "may_write", "run", "to_json", "render_problems",
           "has_errors", "Diagnostic", "Ruleset", "Outcomes", "Results", "ImpactError", "__version__"]


class ImpactError(Exception):
    """Raised by `run` when the ruleset or data have errors; holds them all."""

    def __init__(self, problems: list[Diagnostic]):
        super().__init__(render_problems(problems))
        self.problems = problems


def check(path: str | Path, allow=()) -> tuple[Ruleset | None, list[Diagnostic]]:
    """Parse, import, compile and statically check a ruleset file or folder.

    `allow` names the folders (besides the ruleset's own) that imports may read."""
    from impactdsl.compile.checks import run_checks

    located, problems = locate(path)
    if located is None:
        return None, problems
    ruleset, problems, sources = compile_file(located.ruleset_file, allow)
    if ruleset is not None:
        problems = problems + run_checks(ruleset)
    return ruleset, with_snippets(problems, sources)


def data_folder(path: str | Path) -> Path | None:
    """The data folder that belongs to a ruleset file or folder."""
    located, _ = locate(path)
    return located.data_folder if located else None


def load(folder: str | Path, ruleset: Ruleset, progress=None, allow=()) -> tuple[Outcomes | None, list[Diagnostic]]:
    """Read a folder of outcome data into tallies, checked against the ruleset.

    Data files are read only inside `folder` (links resolved) and the folders
    named in `allow`. `progress(file, done_bytes, total_bytes)`, when given,
    hears how large files advance."""
    from impactdsl.outcomes.folder import load as load_folder

    outcomes, problems, sources = load_folder(Path(folder), ruleset, progress, allow)
    return outcomes, with_snippets(problems, sources)


def check_data(ruleset: Ruleset, folder: str | Path, allow=(), lang: str = "sv") -> list[Diagnostic]:
    """Every problem of a data folder against the ruleset, and (as warnings, at each indicator) every
    figure a rule needs that the data do not give: what `evaluate` would leave not assessed."""
    from impactdsl.core.diagnostics import Said, warning
    from impactdsl.render.words import Words

    outcomes, problems = load(folder, ruleset, allow=allow)
    if outcomes is None or has_errors(problems):
        return problems
    swedish, say = Words("sv", ruleset.method), Words(lang, ruleset.method)   # the English message gives the
    hint = Said("ange uppgiften i datamappen; tills dess bedöms inte indikatorn",   # reason in `lang`, as before
                "give the figure in the data folder; until then the indicator is not assessed")
    absent = [warning("data-absent", Said(f"{r.id} kan inte bedömas: {swedish.missing_reason(r)}",
                                          f"{r.id} cannot be assessed: {say.missing_reason(r)}"),
                      r.indicator.span, hint)
              for r in evaluate(ruleset, outcomes).unassessed.indicators
              if not isinstance(r.indicator.measure, TodoOf)]      # a placeholder is said once, as todo
    return problems + absent


def goal_table_draft(path: str | Path, name: str | None = None, keywords: str = "sv", limits=None):
    """A ruleset draft of a goal table kept in Excel (`impactdsl init DIR --from TABLE.xlsx`): a Draft
    (parse/draft.py: its text and what it holds, counted), or None; and the problems of the table."""
    from impactdsl.core.limits import DEFAULT
    from impactdsl.core.redact import redact
    from impactdsl.parse.draft import draft
    from impactdsl.read.goal_table import read_goal_table

    path = Path(path)
    table, problems = read_goal_table(path, str(path), limits or DEFAULT)
    if table is None:
        return None, problems
    made, more = draft(table, redact(name or path.stem, 200), keywords)
    return made, problems + more


def inputs(ruleset: Ruleset, outcomes: Outcomes | None = None, data: str | Path | None = None
           ) -> tuple[str, ...]:
    """Every file a ruleset (its imports and lock included) and its outcomes were made from, and
    every file of its data folder: what an output must never be written over (see `may_write`)."""
    return Inputs.of(ruleset, outcomes, Path(data) if data is not None else None).read


def may_write(target: str | Path, ruleset: Ruleset | None = None, outcomes: Outcomes | None = None,
              data: str | Path | None = None, lang: str | None = None) -> str | None:
    """None when an output may be written to `target`, else why not (in words): never through a link,
    onto a folder or device, into the data folder (`data`, or else the ruleset's own), or over any
    file the ruleset or outcomes were made from. The words are in `lang` ("sv" or "en"); by default
    in the locale's language, as the command line's messages are (English for an English locale)."""
    import os

    from impactdsl.core.diagnostics import Said
    from impactdsl.core.kinds import Lang, locale_language

    if data is None and ruleset is not None and ruleset.path:
        data = data_folder(ruleset.path)
    problem = workspace_may_write(Path(target), Inputs.of(ruleset, outcomes, Path(data) if data else None))
    if problem is None:
        return None
    why = problem.message
    if isinstance(why, Said):
        why = why.in_language(lang or (locale_language(os.environ) or Lang.SV).value)
    return f"{target} {why}"


def run(path: str | Path, data: str | Path | None = None, allow=()) -> Results:
    """check + load + evaluate in one call; raises ImpactError on any error."""
    ruleset, problems = check(path, allow)
    if ruleset is None:
        raise ImpactError(problems)
    outcomes, problems = load(data if data is not None else data_folder(path), ruleset, allow=allow)
    if outcomes is None or has_errors(problems):
        raise ImpactError(problems)
    return evaluate(ruleset, outcomes)


def explain(results: Results, wanted: str, lang: str = "sv") -> str | None:
    """A board member's explanation of one indicator, goal or area (None if no such id)."""
    from impactdsl.core.redact import mask_identities
    from impactdsl.render.explain import explain as explain_id
    from impactdsl.render.words import Words

    text = explain_id(results, wanted, Words(lang, results.ruleset.method))
    return None if text is None else mask_identities(text)       # what it sets side by side, too


def to_json(results: Results, lang: str = "sv") -> dict:
    """The documented JSON document (docs/json.md); sentences in `lang`."""
    from impactdsl.render.json_document import to_json as convert
    from impactdsl.render.view import build
    from impactdsl.render.words import Words

    return convert(build(results, Words(lang, results.ruleset.method)))
