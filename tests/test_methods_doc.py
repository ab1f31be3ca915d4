"""docs/methods.md: every worked example runs as it stands and prints what the page shows."""

from __future__ import annotations

import re

import pytest

from impactdsl.cli import main

from .conftest import ROOT

PAGE = (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"<!-- example (\w+): ([\w./]+) -->\n```\w+\n(.*?)\n```", re.S)


def _examples() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for name, what, text in BLOCK.findall(PAGE):
        found.setdefault(name, {})[what] = text
    return found


EXAMPLES = _examples()


def test_the_page_shows_the_four_families():
    assert sorted(EXAMPLES) == ["betyg", "kommun", "mal", "poang"]
    assert all(set(files) == {"ruleset.impact", "data/outcomes.yaml", "evaluate"} for files in EXAMPLES.values())


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_example_prints_what_the_page_shows(tmp_path, capsys, monkeypatch, name):
    """Saved in a folder named as the example and run from beside it, as the page says."""
    files = EXAMPLES[name]
    (tmp_path / name / "data").mkdir(parents=True)
    for path in ("ruleset.impact", "data/outcomes.yaml"):
        (tmp_path / name / path).write_text(files[path] + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", name]) == 0
    capsys.readouterr()
    assert main(["evaluate", name]) == 0
    printed = capsys.readouterr().out.replace("\u00a0", " ")
    assert printed.rstrip("\n") == files["evaluate"]
