"""The grammar is conflict-free under Lark's strict mode, and it ships inside
the wheel: an installed (non-editable) impactdsl parses without the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import impactdsl
from impactdsl.parse.parser import grammar_text

from .conftest import ROOT, UMEA


def test_grammar_has_no_conflicts():
    from lark import Lark

    Lark(grammar_text(), parser="lalr", lexer="contextual", strict=True)


def test_wheel_ships_grammar_and_runs_outside_checkout(tmp_path):
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("impactdsl-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        assert "impactdsl/grammar/impactdsl.lark" in archive.namelist()
        assert {"impactdsl/starter/ruleset.impact", "impactdsl/starter/data/outcomes.yaml"} <= set(archive.namelist())
        archive.extractall(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-c",
                          "import impactdsl, sys; from impactdsl.render.output import render; "
                          "print(impactdsl.__file__); r = impactdsl.run(sys.argv[1]); "
                          "print(r.index, len(render(r, 'html')) > 10000)", str(UMEA)],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    location, index, templates_shipped = run.stdout.split()
    assert location.startswith(str(tmp_path / "site")) and index == "70" and templates_shipped == "True"


def test_same_inputs_same_bytes():
    def once():
        return subprocess.run([sys.executable, "-m", "impactdsl", "evaluate", str(UMEA), "--format", "json"],
                              capture_output=True, cwd=ROOT).stdout
    first = once()
    assert first and first == once()


def test_cache_gives_the_same_results_and_survives_damage(tmp_path):
    """The content-keyed cache changes no byte of output, and a damaged entry is a miss."""
    def run(**env):
        return subprocess.run([sys.executable, "-m", "impactdsl", "evaluate", str(UMEA), "--format", "json"],
                              capture_output=True, cwd=ROOT,
                              env={**clean, "XDG_CACHE_HOME": str(tmp_path), **env}).stdout
    clean = {k: v for k, v in os.environ.items() if k != "IMPACTDSL_NO_CACHE"}
    uncached = run(IMPACTDSL_NO_CACHE="1")
    assert run() == uncached                          # fills the cache
    entries = list((tmp_path / "impactdsl").rglob("*.pickle"))
    assert {p.parent.name for p in entries} == {"compiled", "tallies"}
    assert run() == uncached                          # reads it back
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    assert run() == uncached


def test_the_benchmarks_rulesets_compile(tmp_path):
    """bench/national.py writes its own ruleset: it must stay in the language as it is (a removed
    setting once broke it unseen)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("national", ROOT / "bench" / "national.py")
    national = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(national)
    (tmp_path / "ruleset.impact").write_text(national.ruleset_text(), encoding="utf-8")
    ruleset, problems = impactdsl.check(tmp_path)
    assert ruleset is not None and not impactdsl.has_errors(problems), impactdsl.render_problems(problems)
