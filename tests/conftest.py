"""Shared fixtures: the repository root and the Umeå ruleset, evaluated once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import impactdsl

# The tests read messages in English, as a user with an English locale does (tests of the Swedish
# that everyone else reads set LANGUAGE=sv or pass --lang sv themselves).
os.environ["LANGUAGE"] = "en"

ROOT = Path(__file__).resolve().parent.parent
UMEA = ROOT / "rulesets" / "umea-2022"


@pytest.fixture(scope="session")
def umea_ruleset():
    ruleset, problems = impactdsl.check(UMEA)
    assert ruleset is not None, impactdsl.render_problems(problems)
    return ruleset


@pytest.fixture(scope="session")
def umea_outcomes(umea_ruleset):
    outcomes, problems = impactdsl.load(UMEA / "data", umea_ruleset)
    assert outcomes is not None and not problems, impactdsl.render_problems(problems)
    return outcomes


@pytest.fixture(scope="session")
def umea(umea_ruleset, umea_outcomes):
    return impactdsl.evaluate(umea_ruleset, umea_outcomes)


def evaluate_text(tmp_path: Path, text: str, data: str):
    """Compile a ruleset text, load its data YAML and evaluate; every stage must find no problem."""
    ruleset, problems = compile_text(tmp_path, text, data)
    assert ruleset is not None, impactdsl.render_problems(problems)
    outcomes, problems = impactdsl.load(tmp_path / "data", ruleset)
    assert outcomes is not None and not problems, impactdsl.render_problems(problems)
    return impactdsl.evaluate(ruleset, outcomes)


def compile_text(tmp_path: Path, text: str, data: str | None = None):
    """Write a ruleset (and optional data YAML) into tmp_path; return (ruleset, problems)."""
    (tmp_path / "ruleset.impact").write_text(text, encoding="utf-8")
    if data is not None:
        (tmp_path / "data").mkdir(exist_ok=True)
        (tmp_path / "data" / "outcomes.yaml").write_text(data, encoding="utf-8")
    return impactdsl.check(tmp_path)


OWN_FORMULA = __import__("re").compile(                # the only formulas a report's workbook makes itself
    r"=(SUM\([A-Z]+[0-9]+:[A-Z]+[0-9]+\)|ROUND\([A-Z]+[0-9]+/[A-Z]+[0-9]+\*100,0\)|"
    r"ROUND\('(?:[^']|'')+'!\$[A-Z]+\$[0-9]+/'(?:[^']|'')+'!\$[A-Z]+\$[0-9]+\*100,0\)|"
    r"'(?:[^']|'')+'!\$[A-Z]+\$[0-9]+|[A-Z]+[0-9]+-[A-Z]+[0-9]+)")


def foreign_formulas(book) -> list:
    """Formula cells of a workbook that are not of the shapes the report makes (sums, an index, a
    unit's cell named from the summary, a difference): a text that became a formula."""
    return [c for sheet in book for row in sheet.iter_rows() for c in row
            if c.data_type == "f" and not OWN_FORMULA.fullmatch(str(c.value))]
