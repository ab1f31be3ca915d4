"""The house: the folder tree is the pipeline, and no stage imports a later one.

Every stage (a subpackage, or the top-level modules `workspace`, the API in
`impactdsl/__init__.py` and `cli`) says in its docstring which stages it may
import (`May import: ...`); this test reads those lines and every import in
the package — at the top of a module or inside a function, as both run — so
the docstrings and the code cannot drift apart."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "impactdsl"
ORDER = ("core", "read", "parse", "compile", "outcomes", "workspace", "evaluation", "render", "impactdsl", "serve",
         "testing", "lsp", "cli")


def _stage(module: str) -> str:
    """`impactdsl.compile.rule` → compile; `impactdsl` (the API) → impactdsl; `impactdsl.__main__` → cli."""
    parts = module.split(".")
    if len(parts) == 1:
        return "impactdsl"
    return "cli" if parts[1] == "__main__" else parts[1]


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(module: str, path: Path) -> set[str]:
    """Every impactdsl module `module` imports, relative imports resolved."""
    out = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "impactdsl"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            if base.split(".")[0] != "impactdsl":
                continue
            out.add(base)
    return out


def _allowed(path: Path) -> set[str]:
    text = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    line = re.search(r"May import:(.*?)(?:\.\s*$|\n\n|$)", text, re.S)
    assert line, f"{path.relative_to(PACKAGE.parent)}: its docstring does not say what it may import"
    return set(re.findall(r"`(\w+)`", line.group(1)))


def _stage_files() -> dict[str, Path]:
    """The file whose docstring speaks for each stage."""
    return {stage: PACKAGE / (f"{stage}/__init__.py" if (PACKAGE / stage).is_dir() else f"{stage}.py")
            for stage in ORDER if stage != "impactdsl"} | {"impactdsl": PACKAGE / "__init__.py"}


def test_the_folder_tree_is_the_pipeline():
    stages = {_stage(m) for m in _modules()}
    assert stages == set(ORDER), f"a module outside the stages: {sorted(stages - set(ORDER))}"
    for stage, path in _stage_files().items():
        assert path.is_file(), f"stage {stage} has no {path.name}"


@pytest.mark.parametrize("stage", ORDER)
def test_each_stage_imports_only_what_its_docstring_allows(stage):
    allowed = _allowed(_stage_files()[stage]) | {stage}
    wrong = []
    for module, path in _modules().items():
        if _stage(module) != stage:
            continue
        for imported in _imports(module, path):
            if _stage(imported) not in allowed:
                wrong.append(f"{module} imports {imported}")
    assert not wrong, f"stage {stage} may import {sorted(allowed)}, but: " + "; ".join(wrong)


def test_no_stage_may_import_a_later_one():
    for stage, path in _stage_files().items():
        later = {s for s in _allowed(path) if ORDER.index(s) > ORDER.index(stage)}
        assert not later, f"{stage} says it may import the later {sorted(later)}"


def test_the_check_sees_a_forbidden_import(tmp_path):
    """The test above can fail: a compile module importing the renderer is caught."""
    module = tmp_path / "rule.py"
    module.write_text("def f():\n    from impactdsl.render.words import words\n", encoding="utf-8")
    imported = _imports("impactdsl.compile.rule", module)
    assert {_stage(m) for m in imported} == {"render"}
    assert "render" not in _allowed(_stage_files()["compile"])
